//! Tenancy, people and the audit log against real databases: SQLite always, PostgreSQL when
//! PORTICO_TEST_DATABASE_URL is set.

use domain::audit;
use domain::opcos::{self, OpcoInput};
use domain::roles::{self, RoleInput};
use domain::testing::TestDb;
use domain::tenants::{self, TenantInput};
use domain::users::{self, Client, UserInput};
use domain::{Actor, Error, Home, Role};
use sea_orm::{ConnectionTrait, Statement};
use crate::common::{databases, sp_admin};

fn client() -> Client {
    Client { addr: "198.51.100.4".into(), user_agent: "tenancy-test".into() }
}

const URL: &str = "http://portico.test";

fn tenant_input(name: &str, opco: &str) -> TenantInput {
    TenantInput {
        name: name.into(),
        display_name: format!("{name} display"),
        description: String::new(),
        deployment_type: "sdwan".into(),
        site_limit: "10".into(),
        opco: opco.into(),
        tenant_type: String::new(),
    }
}

fn user_input(username: &str, role: &str, tenant: &str, opco: &str) -> UserInput {
    UserInput {
        username: username.into(),
        display_name: username.into(),
        email: format!("{username}@example.net"),
        role: role.into(),
        tenant: tenant.into(),
        opco: opco.into(),
        password_mode: "temporary".into(),
    }
}

/// Creates a user and returns their actor (as if signed in).
async fn make_user(t: &TestDb, by: &Actor, input: UserInput) -> Actor {
    let created = users::accounts::create(&t.db, by, input, URL).await.expect("create user");
    users::actor_for(&t.db, &created.user, None, "198.51.100.9").await.expect("actor")
}

#[tokio::test]
async fn tenant_users_see_only_their_tenant_and_opco_users_only_their_tenants() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let acme = opcos::create(&t.db, &sp, OpcoInput { name: "acme".into(), display_name: "Acme".into(), description: String::new() }).await.expect("opco");
        let blue = tenants::create(&t.db, &sp, tenant_input("blue-bank", "acme")).await.expect("tenant");
        let red = tenants::create(&t.db, &sp, tenant_input("red-retail", "")).await.expect("tenant");
        assert_eq!(blue.opco_id, Some(acme.id));

        let blue_admin = make_user(&t, &sp, user_input("blue-admin", "tenant_admin", "blue-bank", "")).await;
        let red_admin = make_user(&t, &sp, user_input("red-admin", "tenant_admin", "red-retail", "")).await;
        let acme_admin = make_user(&t, &sp, user_input("acme-admin", "opco_admin", "", "acme")).await;
        assert_eq!(blue_admin.home, Home::Tenant(blue.id), "{}", t.label);

        let (seen, total) = tenants::list(&t.db, &blue_admin, "", 0, 50).await.expect("list");
        assert_eq!((seen.len(), total), (1, 1), "{}", t.label);
        assert!(matches!(tenants::get(&t.db, &blue_admin, red.id).await, Err(Error::NotFound(_))), "{}: foreign tenant is invisible", t.label);
        let (users_seen, _) = users::accounts::list(&t.db, &blue_admin, "", 0, 50).await.expect("users");
        assert_eq!(users_seen.iter().map(|u| u.user.username.as_str()).collect::<Vec<_>>(), vec!["blue-admin"], "{}", t.label);
        assert!(users::accounts::get(&t.db, &blue_admin, red_admin.user_id).await.is_err(), "{}", t.label);
        assert!(users::accounts::reset_password(&t.db, &blue_admin, red_admin.user_id).await.is_err(), "{}", t.label);

        let (opco_sees, _) = tenants::list(&t.db, &acme_admin, "", 0, 50).await.expect("list");
        assert_eq!(opco_sees.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), vec!["blue-bank"], "{}", t.label);
        let (opco_users, _) = users::accounts::list(&t.db, &acme_admin, "", 0, 50).await.expect("users");
        let mut names: Vec<_> = opco_users.iter().map(|u| u.user.username.clone()).collect();
        names.sort();
        assert_eq!(names, vec!["acme-admin", "blue-admin"], "{}", t.label);
        // An OpCo cannot pick another OpCo's tenant in the switcher: the actor drops the choice.
        let acme_user = users::find(&t.db, acme_admin.user_id).await.expect("find").expect("exists");
        let sneaky = users::actor_for(&t.db, &acme_user, Some(red.id), "x").await.expect("actor");
        assert_eq!(sneaky.selected_tenant, None, "{}", t.label);

        // The SP, switched to one tenant, sees exactly what its administrator sees.
        let sp_user = users::find(&t.db, sp.user_id).await.expect("find").expect("exists");
        let sp_in_blue = users::actor_for(&t.db, &sp_user, Some(blue.id), "x").await.expect("actor");
        let (sp_blue_users, _) = users::accounts::list(&t.db, &sp_in_blue, "", 0, 50).await.expect("users");
        assert_eq!(sp_blue_users.len(), users_seen.len(), "{}", t.label);
        assert_eq!(tenants::list(&t.db, &sp_in_blue, "", 0, 50).await.expect("list").1, 1, "{}", t.label);
        // Sign-in activity follows the scope too.
        let _ = users::authenticate(&t.db, "blue-admin", "wrong-password", &client()).await;
        let _ = users::authenticate(&t.db, "red-admin", "wrong-password", &client()).await;
        let in_blue = domain::sign_ins::recent_all(&t.db, &sp_in_blue, 50).await.expect("sign-ins");
        assert_eq!(in_blue.iter().map(|s| s.username.as_str()).collect::<Vec<_>>(), vec!["blue-admin"], "{}", t.label);
        assert_eq!(domain::sign_ins::recent_all(&t.db, &sp, 50).await.expect("sign-ins").len(), 2, "{}", t.label);
    }
}

#[tokio::test]
async fn roles_cannot_be_escalated_and_levels_must_match() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenants::create(&t.db, &sp, tenant_input("blue-bank", "")).await.expect("tenant");
        let blue_admin = make_user(&t, &sp, user_input("blue-admin", "tenant_admin", "blue-bank", "")).await;
        let escalate = users::accounts::create(&t.db, &blue_admin, user_input("mallory", "sp_admin", "", ""), URL).await;
        assert!(matches!(escalate, Err(Error::Invalid { field: "role", .. })), "{}: {escalate:?}", t.label);

        let viewer = roles::create(
            &t.db,
            &sp,
            RoleInput { name: "Site viewer".into(), description: String::new(), level: "tenant".into(), permissions: vec!["sites.view".into(), "tenants.view".into()] },
        )
        .await
        .expect("custom role");
        let custom = make_user(&t, &blue_admin, user_input("site-viewer", &format!("custom:{}", viewer.id), "", "")).await;
        assert_eq!(custom.role, Role::Custom);
        assert_eq!(custom.role_label, "Site viewer", "{}", t.label);
        assert!(custom.can(domain::access::Resource::Sites, domain::access::Action::View));
        assert!(!custom.can(domain::access::Resource::Users, domain::access::Action::View), "{}", t.label);
        assert!(matches!(roles::delete(&t.db, &sp, viewer.id).await, Err(Error::Conflict(_))), "{}: held roles stay", t.label);

        let too_strong = roles::create(
            &t.db,
            &blue_admin,
            RoleInput { name: "x".into(), description: String::new(), level: "tenant".into(), permissions: vec!["users.view".into()] },
        )
        .await;
        assert!(matches!(too_strong, Err(Error::Forbidden)), "{}: only the SP defines roles", t.label);
    }
}

/// A role stored with every right (as one written before the editor refused such roles).
async fn stored_role_with_everything(t: &TestDb, name: &str, level: &str) -> i64 {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let every = domain::access::builtin(Role::SpAdmin).keys();
    let row = roles::entity::ActiveModel {
        name: Set(name.into()),
        description: Set(String::new()),
        level: Set(level.into()),
        permissions: Set(serde_json::to_string(&every).expect("json")),
        created_at: Set(time::OffsetDateTime::now_utc()),
        ..Default::default()
    };
    row.insert(&t.db).await.expect("stored role").id
}

#[tokio::test]
async fn a_custom_role_never_reaches_beyond_its_level_whatever_it_says() {
    use domain::access::{Action, Resource};
    use domain::device_templates::{self, TemplateInput};
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenants::create(&t.db, &sp, tenant_input("blue-bank", "")).await.expect("tenant");
        let body = "<configuration>\n  <system><host-name>{{ hostname }}</host-name></system>\n</configuration>";
        let template = device_templates::create(
            &t.db,
            &sp,
            TemplateInput { name: "global-base".into(), description: String::new(), family: "srx".into(), body: body.into(), parameters: Vec::new(), ..Default::default() },
        )
        .await
        .expect("template");

        // The editor refuses a tenant-level role the SP's templates, and says which rights are out of reach.
        let refused = roles::create(
            &t.db,
            &sp,
            RoleInput { name: "Template editor".into(), description: String::new(), level: "tenant".into(), permissions: vec!["templates.view".into(), "templates.edit".into(), "images.delete".into()] },
        )
        .await;
        let Err(Error::Invalid { field: "permissions", reason }) = refused else { panic!("{}: {refused:?}", t.label) };
        assert!(reason.contains("Device templates: Edit") && reason.contains("Software images: Delete") && !reason.contains("View"), "{reason}");
        let opco_refused = roles::create(
            &t.db,
            &sp,
            RoleInput { name: "OpCo templates".into(), description: String::new(), level: "opco".into(), permissions: vec!["templates.edit".into()] },
        )
        .await;
        assert!(matches!(opco_refused, Err(Error::Invalid { field: "permissions", .. })), "{}", t.label);

        // A stored role that says everything gives a tenant user only what a tenant level can have.
        let everything = stored_role_with_everything(&t, "Everything", "tenant").await;
        let holder = make_user(&t, &sp, user_input("holder", &format!("custom:{everything}"), "blue-bank", "")).await;
        assert!(holder.can(Resource::Sites, Action::Edit) && holder.can(Resource::Templates, Action::View), "{}", t.label);
        for (r, a) in [(Resource::Templates, Action::Edit), (Resource::Images, Action::Delete), (Resource::Pops, Action::View), (Resource::Roles, Action::Create), (Resource::Tenants, Action::Delete)] {
            assert!(!holder.can(r, a), "{}: a tenant-level role grants {r:?} {a:?}", t.label);
        }
        let attack = TemplateInput { name: "global-base".into(), description: String::new(), family: "srx".into(), body: body.replace("{{ hostname }}", "pwned"), parameters: Vec::new(), ..Default::default() };
        assert!(matches!(device_templates::update(&t.db, &holder, template.id, attack).await, Err(Error::Forbidden)), "{}", t.label);
        assert_eq!(device_templates::get(&t.db, &sp, template.id).await.expect("template").body, body, "{}: the SP's template is unchanged", t.label);

        // Even an OpCo-level holder with Templates Edit in its actor cannot change the SP's template.
        let mut forged = holder.clone();
        forged.permissions = domain::access::builtin(Role::SpAdmin);
        forged.home = Home::Opco(1);
        let again = TemplateInput { name: "global-base".into(), description: String::new(), family: "srx".into(), body: body.into(), parameters: Vec::new(), ..Default::default() };
        assert!(matches!(device_templates::update(&t.db, &forged, template.id, again).await, Err(Error::Forbidden)), "{}: owned by the SP", t.label);
    }
}

#[tokio::test]
async fn the_roles_page_shows_a_tenant_its_own_level_and_its_own_users() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenants::create(&t.db, &sp, tenant_input("blue-bank", "")).await.expect("tenant");
        tenants::create(&t.db, &sp, tenant_input("red-retail", "")).await.expect("tenant");
        let blue_admin = make_user(&t, &sp, user_input("blue-admin", "tenant_admin", "blue-bank", "")).await;
        for name in ["red-1", "red-2", "red-3"] {
            make_user(&t, &sp, user_input(name, "tenant_admin", "red-retail", "")).await;
        }
        let sp_role = roles::create(&t.db, &sp, RoleInput { name: "SP auditor".into(), description: String::new(), level: "sp".into(), permissions: vec!["audit_log.view".into()] })
            .await
            .expect("role");
        let listed = roles::list(&t.db, &blue_admin).await.expect("roles");
        let names: Vec<&str> = listed.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Tenant Administrator", "Tenant Operator"], "{}: no SP or OpCo roles", t.label);
        assert_eq!(listed[0].users, 1, "{}: blue-bank's own administrator, not red-retail's three", t.label);
        assert!(matches!(roles::get(&t.db, &blue_admin, sp_role.id).await, Err(Error::NotFound(_))), "{}", t.label);
        let all = roles::list(&t.db, &sp).await.expect("roles");
        assert_eq!(all.iter().find(|r| r.name == "Tenant Administrator").map(|r| r.users), Some(4), "{}", t.label);
        assert!(all.iter().any(|r| r.name == "SP auditor"), "{}", t.label);
    }
}

#[tokio::test]
async fn deleting_a_tenant_takes_its_users_in_one_audited_transaction() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let blue = tenants::create(&t.db, &sp, tenant_input("blue-bank", "")).await.expect("tenant");
        make_user(&t, &sp, user_input("blue-admin", "tenant_admin", "blue-bank", "")).await;
        let deps = tenants::dependents(&t.db, &sp, blue.id).await.expect("deps");
        assert_eq!(deps.users, vec!["blue-admin".to_string()]);
        let wrong = tenants::delete(&t.db, &sp, blue.id, "blue").await;
        assert!(matches!(wrong, Err(Error::Invalid { field: "confirm_name", .. })), "{}", t.label);
        tenants::delete(&t.db, &sp, blue.id, "blue-bank").await.expect("delete");
        assert!(users::find_by_username(&t.db, "blue-admin").await.expect("find").is_none(), "{}", t.label);
        let last = audit::latest(&t.db, 1).await.expect("audit");
        assert_eq!(last[0].action, "tenant.delete");
        assert!(last[0].detail.contains("blue-admin"), "{}: the record names what went with it", t.label);
    }
}

#[tokio::test]
async fn the_audit_chain_verifies_and_reports_the_first_tampered_record() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenants::create(&t.db, &sp, tenant_input("blue-bank", "")).await.expect("tenant");
        tenants::create(&t.db, &sp, tenant_input("red-retail", "")).await.expect("tenant");
        let _ = users::authenticate(&t.db, "admin", "wrong-password", &client()).await;
        let report = audit::verify(&t.db).await.expect("verify");
        assert!(report.first_broken.is_none(), "{}: {report:?}", t.label);
        assert!(report.checked >= 4, "{}: {report:?}", t.label);

        let records = audit::latest(&t.db, 100).await.expect("latest");
        let create = records.iter().find(|r| r.action == "tenant.create" && r.object_name == "blue-bank").expect("create record");
        let changes: Vec<audit::Change> = serde_json::from_str(&create.changes).expect("json");
        assert!(changes.iter().any(|c| c.field == "display_name" && c.after == "blue-bank display"), "{}", t.label);
        let failure = records.iter().find(|r| r.action == "user.sign_in").expect("sign-in record");
        assert_eq!((failure.outcome.as_str(), failure.client_addr.as_str()), ("failure", "198.51.100.4"));

        t.db.execute(Statement::from_string(t.db.get_database_backend(), format!("UPDATE audit_log SET object_name = 'evil' WHERE id = {}", create.id)))
            .await
            .expect("tamper");
        let report = audit::verify(&t.db).await.expect("verify");
        assert_eq!(report.first_broken.map(|(id, _)| id), Some(create.id), "{}", t.label);
    }
}

#[tokio::test]
async fn the_audit_chain_notices_records_cut_from_its_end() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        for name in ["a-one", "b-two", "c-three"] {
            tenants::create(&t.db, &sp, tenant_input(name, "")).await.expect("tenant");
        }
        let report = audit::verify(&t.db).await.expect("verify");
        assert!(report.first_broken.is_none(), "{}: {report:?}", t.label);
        assert_eq!(report.anchored_at, Some(0), "{}: a new log is anchored at its first record", t.label);
        let db = &t.db;
        let sql = |q: String| async move { db.execute(Statement::from_string(db.get_database_backend(), q)).await.expect("sql") };

        // The newest record removed: the rest still links up, but not to the sealed head.
        let newest = audit::latest(&t.db, 1).await.expect("latest")[0].id;
        sql(format!("DELETE FROM audit_log WHERE id = {newest}")).await;
        let report = audit::verify(&t.db).await.expect("verify");
        let (_, why) = report.first_broken.clone().expect("broken");
        assert!(why.contains(&format!("names record {newest}")), "{}: {why}", t.label);

        // All but the first removed.
        sql("DELETE FROM audit_log WHERE id > (SELECT MIN(id) FROM audit_log)".into()).await;
        assert!(audit::verify(&t.db).await.expect("verify").first_broken.is_some(), "{}", t.label);
        // And the head rewritten by hand to match: its seal does not open for it.
        let first: (i64, String) = {
            let r = t.db.query_one(Statement::from_string(t.db.get_database_backend(), "SELECT id, hash FROM audit_log")).await.expect("q").expect("row");
            (r.try_get("", "id").expect("id"), r.try_get("", "hash").expect("hash"))
        };
        sql(format!("UPDATE audit_head SET seq = {}, hash = '{}'", first.0, first.1)).await;
        let (_, why) = audit::verify(&t.db).await.expect("verify").first_broken.expect("broken");
        assert!(why.contains("altered"), "{}: {why}", t.label);
        // Or blanked, as if the log had never been anchored: the anchoring record says it was.
        sql("UPDATE audit_head SET seal = ''".into()).await;
        let (_, why) = audit::verify(&t.db).await.expect("verify").first_broken.expect("broken");
        assert!(why.contains("blanked"), "{}: {why}", t.label);

        // The next change notices and writes the cut into the chain; verify keeps reporting it.
        tenants::create(&t.db, &sp, tenant_input("d-four", "")).await.expect("the portal keeps working");
        let latest = audit::latest(&t.db, 3).await.expect("latest");
        assert!(latest.iter().any(|r| r.action == "audit.head_mismatch"), "{}", t.label);
        let (_, why) = audit::verify(&t.db).await.expect("verify").first_broken.expect("broken");
        assert!(why.contains("found the log cut"), "{}: {why}", t.label);
    }
}

#[tokio::test]
async fn five_bad_passwords_lock_the_account_until_an_admin_unlocks_it() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        for _ in 0..4 {
            let r = users::authenticate(&t.db, "admin", "wrong-password", &client()).await;
            assert!(matches!(r, Err(Error::BadCredentials)), "{}: {r:?}", t.label);
        }
        let fifth = users::authenticate(&t.db, "admin", "wrong-password", &client()).await;
        assert!(matches!(fifth, Err(Error::Locked { minutes: 15 })), "{}: {fifth:?}", t.label);
        let right = users::authenticate(&t.db, "admin", "Initial-Password-1", &client()).await;
        assert!(matches!(right, Err(Error::Locked { .. })), "{}: even the right password waits", t.label);
        // Unknown names lock the same way, so the answer does not reveal which accounts exist.
        for _ in 0..5 {
            let _ = users::authenticate(&t.db, "nobody", "wrong-password", &client()).await;
        }
        assert!(matches!(users::authenticate(&t.db, "nobody", "x", &client()).await, Err(Error::Locked { .. })), "{}", t.label);

        let other = make_user(&t, &sp, user_input("second-admin", "sp_admin", "", "")).await;
        users::accounts::unlock(&t.db, &other, sp.user_id).await.expect("unlock");
        assert!(users::authenticate(&t.db, "admin", "Initial-Password-1", &client()).await.is_ok(), "{}", t.label);
        let actions: Vec<String> = audit::latest(&t.db, 30).await.expect("audit").into_iter().map(|r| r.action).collect();
        assert!(actions.contains(&"user.lockout".to_string()) && actions.contains(&"user.unlock".to_string()), "{}: {actions:?}", t.label);
    }
}

#[tokio::test]
async fn password_policy_history_and_reset_links() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        tenants::create(&t.db, &sp, tenant_input("blue-bank", "")).await.expect("tenant");
        let blue = make_user(&t, &sp, user_input("blue-admin", "tenant_admin", "blue-bank", "")).await;
        let temporary = users::accounts::reset_password(&t.db, &sp, blue.user_id).await.expect("reset");
        let field_of = |r: Result<(), Error>| match r {
            Err(Error::Invalid { field, reason }) => format!("{field}: {reason}"),
            other => panic!("expected a field error, got {other:?}"),
        };
        let weak = field_of(users::change_own_password(&t.db, &blue, &temporary, "blue-admin-password").await);
        assert!(weak.contains("not contain your user name"), "{}: {weak}", t.label);
        users::change_own_password(&t.db, &blue, &temporary, "First-Chosen-Pass-1").await.expect("change");
        users::change_own_password(&t.db, &blue, "First-Chosen-Pass-1", "Second-Chosen-Pass-2").await.expect("change");
        let reused = field_of(users::change_own_password(&t.db, &blue, "Second-Chosen-Pass-2", "First-Chosen-Pass-1").await);
        assert!(reused.starts_with("new_password: must differ"), "{}: {reused}", t.label);

        // Forgot password: a link in the outbox, single use, and the same answer for strangers.
        users::recovery::request_reset(&t.db, "nobody-here", &client(), URL).await.expect("same answer");
        users::recovery::request_reset(&t.db, "blue-admin@example.net", &client(), URL).await.expect("request");
        let mail = domain::outbox::list(&t.db, &sp, 10).await.expect("outbox");
        assert_eq!(mail.len(), 1, "{}: nothing is sent for an unknown account", t.label);
        let token = mail[0].body.split("token=").nth(1).and_then(|s| s.split_whitespace().next()).expect("link").to_string();
        users::recovery::reset_with_token(&t.db, &token, "Third-Chosen-Pass-3", &client()).await.expect("reset via link");
        assert!(users::recovery::reset_with_token(&t.db, &token, "Fourth-Chosen-Pass-4", &client()).await.is_err(), "{}: used once", t.label);
        assert!(users::authenticate(&t.db, "blue-admin", "Third-Chosen-Pass-3", &client()).await.is_ok(), "{}", t.label);
    }
}

#[tokio::test]
async fn an_expired_password_forces_a_change_at_sign_in() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        users::change_own_password(&t.db, &sp, "Initial-Password-1", "Chosen-Portal-Pass-9").await.expect("change");
        let long_ago = time::OffsetDateTime::now_utc() - time::Duration::days(181);
        let backend = t.db.get_database_backend();
        let stmt = Statement::from_sql_and_values(backend, match backend {
            sea_orm::DatabaseBackend::Postgres => "UPDATE users SET password_changed_at = $1 WHERE username = 'admin'",
            _ => "UPDATE users SET password_changed_at = ? WHERE username = 'admin'",
        }, [long_ago.into()]);
        t.db.execute(stmt).await.expect("age the password");
        let user = users::authenticate(&t.db, "admin", "Chosen-Portal-Pass-9", &client()).await.expect("sign in");
        assert!(user.must_change_password, "{}: 181 days > the default 180", t.label);
    }
}
