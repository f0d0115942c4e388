//! Application SLA profiles against real databases: CSO's predefined traffic types and profiles, the
//! six-enabled and 100 % buffer rules, CSO's name rule, and who sees and changes which profile.

use domain::sla::profiles::{self, SlaProfileInput};
use domain::sla::traffic_types::{self, TrafficTypeInput};
use domain::testing::TestDb;
use domain::tenants::{self, TenantInput};
use domain::users::{self, UserInput};
use domain::{Actor, Error};
use sea_orm::{ConnectionTrait, Statement};

use crate::common::{databases, sp_admin};

async fn tenant(t: &TestDb, sp: &Actor, name: &str) -> tenants::Tenant {
    let input = TenantInput {
        name: name.into(),
        display_name: name.into(),
        description: String::new(),
        deployment_type: "sdwan".into(),
        site_limit: "10".into(),
        opco: String::new(),
        tenant_type: String::new(),
    };
    tenants::create(&t.db, sp, input).await.expect("tenant")
}

async fn tenant_admin(t: &TestDb, sp: &Actor, username: &str, tenant: &str) -> Actor {
    let input = UserInput {
        username: username.into(),
        display_name: username.into(),
        email: format!("{username}@example.net"),
        role: "tenant_admin".into(),
        tenant: tenant.into(),
        opco: String::new(),
        password_mode: "temporary".into(),
    };
    let created = users::accounts::create(&t.db, sp, input, "http://portico.test").await.expect("user");
    users::actor_for(&t.db, &created.user, None, "198.51.100.9").await.expect("actor")
}

async fn count(t: &TestDb, table: &str) -> i64 {
    let row = t
        .db
        .query_one(Statement::from_string(t.db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {table}")))
        .await
        .expect("count")
        .expect("row");
    row.try_get::<i64>("", "n").expect("n")
}

fn field(e: Error) -> &'static str {
    match e {
        Error::Invalid { field, .. } => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn custom_type(name: &str, enabled: bool, buffer: u32) -> TrafficTypeInput {
    TrafficTypeInput {
        name: name.into(),
        enabled,
        priority: "medium".into(),
        buffer_pct: buffer.to_string(),
        bw_min_pct: "5".into(),
        bw_max_pct: "10".into(),
        probe_size_b: "64".into(),
        probe_interval_s: "15".into(),
        probe_count: "10".into(),
        probe_burst: "1".into(),
        dscp: "af21".into(),
        voice: false,
        baseline_rtt_ms: "250".into(),
        baseline_jitter_ms: "50".into(),
        baseline_loss_pct: "1.5".into(),
    }
}

fn profile(name: &str, traffic_type: i64) -> SlaProfileInput {
    SlaProfileInput {
        name: name.into(),
        traffic_type: traffic_type.to_string(),
        sla_config: "recommended".into(),
        threshold: "conservative".into(),
        failover: "any".into(),
        path_pref: "mpls".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn csos_predefined_traffic_types_and_profiles_are_there_from_the_start() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let types = traffic_types::list(&t.db, &sp).await.expect("types");
        assert_eq!(types.len(), 5, "{}", t.label);
        let enabled: Vec<&str> = types.iter().filter(|t| t.enabled).map(|t| t.name.as_str()).collect();
        assert_eq!(enabled, ["Internet", "Premium-Internet", "Voice-Video"], "{}", t.label);
        let voice = types.iter().find(|t| t.name == "Voice-Video").expect("Voice-Video");
        assert_eq!((voice.buffer_pct, voice.probe_interval_s, voice.probe_count, voice.dscp.as_str(), voice.voice), (5, 10, 100, "af41", true));
        let rows = profiles::list(&t.db, &sp).await.expect("profiles");
        let names: Vec<&str> = rows.iter().map(|r| r.profile.name.as_str()).collect();
        assert_eq!(names, ["CSO-AV", "CSO-Email", "CSO-FileShare", "CSO-Productivity", "CSO-Security"], "{}", t.label);
        let av = &rows[0];
        assert_eq!((av.traffic_type.as_str(), av.profile.app_group.as_str()), ("Voice-Video", "CSO_Collaboration_AV"));
        assert_eq!((av.profile.rtt_ms, av.profile.jitter_ms, av.profile.loss_pct), (150.0, 30.0, 1.0), "the baseline preset");
        assert!(rows.iter().all(|r| r.profile.predefined && r.tenant.is_none()));
    }
}

#[tokio::test]
async fn at_most_six_traffic_types_are_enabled_and_their_buffers_stay_within_100_percent() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let types = traffic_types::list(&t.db, &sp).await.expect("types");
        let id = |name: &str| types.iter().find(|t| t.name == name).map(|t| t.id).expect("type");
        // 10 + 5 + 5 enabled; High Priority Video (20) and Hosted-AV (10) bring it to 50 %.
        traffic_types::set_enabled(&t.db, &sp, id("High Priority Video"), true).await.expect("enable HPV");
        traffic_types::set_enabled(&t.db, &sp, id("Hosted-AV"), true).await.expect("enable Hosted-AV");
        let before = count(&t, "sla_traffic_types").await;
        let over = traffic_types::create(&t.db, &sp, custom_type("Bulk", true, 51)).await.unwrap_err();
        assert_eq!(field(over), "buffer_pct", "{}", t.label);
        assert_eq!(count(&t, "sla_traffic_types").await, before, "a refused traffic type writes nothing");
        traffic_types::create(&t.db, &sp, custom_type("Bulk", true, 50)).await.expect("the sixth, exactly 100 %");
        let seventh = traffic_types::create(&t.db, &sp, custom_type("Backup", true, 0)).await.unwrap_err();
        assert_eq!(field(seventh), "enabled", "{}", t.label);
        // Disabled ones do not count.
        traffic_types::create(&t.db, &sp, custom_type("Backup", false, 30)).await.expect("a disabled seventh");
        let dup = traffic_types::create(&t.db, &sp, custom_type("backup", false, 0)).await.unwrap_err();
        assert_eq!(field(dup), "name");
        // Raising an enabled buffer past the total is refused like creating one.
        let mut bigger = TrafficTypeInput::from_row(&traffic_types::get(&t.db, &sp, id("Internet")).await.expect("get"));
        bigger.buffer_pct = "6".into();
        assert_eq!(field(traffic_types::update(&t.db, &sp, id("Internet"), bigger).await.unwrap_err()), "buffer_pct");
        // A traffic type in use names the profiles that use it.
        match traffic_types::delete(&t.db, &sp, id("Voice-Video")).await {
            Err(Error::Conflict(m)) => assert!(m.contains("CSO-AV"), "{m}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn tenants_see_the_providers_profiles_and_their_own_and_change_only_their_own() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenant(&t, &sp, "acme").await;
        let globex_tenant = tenant(&t, &sp, "globex").await;
        let acme = tenant_admin(&t, &sp, "acme-admin", "acme").await;
        let globex = tenant_admin(&t, &sp, "globex-admin", "globex").await;
        let types = traffic_types::list(&t.db, &acme).await.expect("a tenant reads traffic types");
        let voice = types.iter().find(|t| t.name == "Voice-Video").expect("voice").id;
        let disabled = types.iter().find(|t| !t.enabled).expect("a disabled type").id;

        let mine = profiles::create(&t.db, &acme, profile("Branch-VoIP", voice)).await.expect("acme's profile");
        assert_eq!((mine.rtt_ms, mine.jitter_ms, mine.loss_pct), (75.0, 15.0, 0.5), "conservative halves the baseline");
        // Another tenant may use the same name; nobody may take the provider's.
        profiles::create(&t.db, &globex, profile("Branch-VoIP", voice)).await.expect("globex's own Branch-VoIP");
        assert_eq!(field(profiles::create(&t.db, &acme, profile("cso-av", voice)).await.unwrap_err()), "name");
        assert_eq!(field(profiles::create(&t.db, &acme, profile("Sixteen-chars-xx", voice)).await.unwrap_err()), "name");
        assert_eq!(field(profiles::create(&t.db, &acme, profile("Video", disabled)).await.unwrap_err()), "traffic_type");
        let mut custom = profile("Strict", voice);
        custom.sla_config = "custom".into();
        custom.rtt_ms = "abc".into();
        assert_eq!(field(profiles::create(&t.db, &acme, custom.clone()).await.unwrap_err()), "rtt_ms");
        custom.rtt_ms = "80".into();
        custom.jitter_ms = "10".into();
        custom.loss_pct = "0".into();
        custom.rate_limit = true;
        assert_eq!(field(profiles::create(&t.db, &acme, custom.clone()).await.unwrap_err()), "up_kbps", "rates are required when limiting");
        custom.up_kbps = "2048".into();
        custom.down_kbps = "8192".into();
        let strict = profiles::create(&t.db, &acme, custom).await.expect("custom thresholds");
        assert_eq!((strict.rtt_ms, strict.loss_pct, strict.up_kbps), (80.0, 0.0, Some(2048)));

        let seen: Vec<String> = profiles::list(&t.db, &acme).await.expect("list").into_iter().map(|r| r.profile.name).collect();
        assert_eq!(seen.len(), 7, "five predefined and acme's two, not globex's: {seen:?} ({})", t.label);
        let globex_row = profiles::list(&t.db, &globex).await.expect("list").into_iter().find(|r| r.tenant.is_some()).expect("globex's");
        assert!(matches!(profiles::get(&t.db, &acme, globex_row.profile.id).await, Err(Error::NotFound(_))), "{}", t.label);
        assert!(matches!(profiles::delete(&t.db, &acme, globex_row.profile.id).await, Err(Error::NotFound(_))));

        // The provider's profiles are read-only to tenants; predefined ones are never deleted.
        let av = profiles::list(&t.db, &acme).await.expect("list").into_iter().find(|r| r.profile.name == "CSO-AV").expect("CSO-AV");
        let edit = SlaProfileInput::from_row(&av.profile);
        assert!(matches!(profiles::update(&t.db, &acme, av.profile.id, edit.clone()).await, Err(Error::Forbidden)));
        assert!(matches!(profiles::delete(&t.db, &sp, av.profile.id).await, Err(Error::Conflict(_))));
        let mut renamed = edit;
        renamed.name = "CSO-Voice".into();
        assert_eq!(field(profiles::update(&t.db, &sp, av.profile.id, renamed).await.unwrap_err()), "name");
        // CSO's own CSO-Productivity is 16 characters: editing it keeps its name.
        let productivity = profiles::list(&t.db, &sp).await.expect("list").into_iter().find(|r| r.profile.name == "CSO-Productivity").expect("CSO-Productivity");
        let mut looser = SlaProfileInput::from_row(&productivity.profile);
        looser.threshold = "liberal".into();
        let saved = profiles::update(&t.db, &sp, productivity.profile.id, looser).await.expect("the SP edits a predefined profile");
        assert_eq!((saved.name.as_str(), saved.rtt_ms), ("CSO-Productivity", 600.0), "{}", t.label);

        // Tenant users never change traffic types.
        assert!(matches!(traffic_types::set_enabled(&t.db, &acme, voice, false).await, Err(Error::Forbidden)));
        profiles::delete(&t.db, &acme, mine.id).await.expect("acme deletes its own");
        // A tenant's profiles go with it.
        let before = count(&t, "sla_profiles").await;
        tenants::delete(&t.db, &sp, globex_tenant.id, "globex").await.expect("delete globex");
        assert_eq!(count(&t, "sla_profiles").await, before - 1, "{}", t.label);
    }
}
