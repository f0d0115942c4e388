//! Designer Tools' lifecycle on both engines: requests, versions (draft → validated → published →
//! deprecated, a published version frozen), the one-editor lock, clone, delete blocked by a
//! dependant, the side-by-side history, and who may do any of it.

use std::collections::BTreeMap;

use domain::designs::config::{self, Kind, Variable};
use domain::designs::{self, diff::Change, NewDesign, RequestInput, RequestStatus, Status, Tool};
use domain::Error;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

use crate::common::{databases, sp_admin, tenant_user as user};

fn template_body() -> String {
    let mut t = config::from_configuration("set system host-name branch-01\nset system name-server 8.8.8.8\nset vlans lan vlan-id 10\n").expect("template");
    config::make_variable(&mut t, "branch-01", Variable { name: "host".into(), required: true, ..Default::default() }).expect("host");
    config::make_variable(&mut t, "8.8.8.8", Variable { name: "dns".into(), kind: Kind::Ipv4Address, ..Default::default() }).expect("dns");
    config::make_variable(&mut t, "10", Variable { name: "vlan".into(), kind: Kind::Integer, min: Some(1), max: Some(4094), ..Default::default() }).expect("vlan");
    serde_json::to_string(&t).expect("json")
}

fn conflict(e: Error) -> String {
    match e {
        Error::Conflict(m) => m,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn designs_go_from_draft_to_published_and_a_published_version_never_changes() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let designer = user(&t, &sp, "dora", "designer", "").await;
        let other = user(&t, &sp, "dan", "designer", "").await;

        // A request, worked on.
        let spec = BTreeMap::from([("family".to_string(), "srx".to_string()), ("purpose".to_string(), "stage-2".to_string())]);
        let input = RequestInput { title: "Branch base config".into(), priority: "high".into(), due_date: "2027-01-15".into(), spec, ..Default::default() };
        let req = designs::create_request(&t.db, &sp, Tool::Config, input).await.expect("request");
        assert_eq!(req.status, "open");
        let bad = RequestInput { title: "x".into(), priority: "high".into(), due_date: "15/01/2027".into(), ..Default::default() };
        assert!(matches!(designs::create_request(&t.db, &sp, Tool::Config, bad).await, Err(Error::Invalid { field: "due_date", .. })), "{}", t.label);
        let req = designs::set_request_status(&t.db, &designer, req.id, RequestStatus::InDesign).await.expect("in design");
        assert!(designs::set_request_status(&t.db, &designer, req.id, RequestStatus::InDesign).await.is_err(), "no same-state move");

        // Version 1: a draft; publish refused until validated.
        let new = NewDesign { name: "Branch base".into(), family: "srx".into(), request_id: Some(req.id), body: template_body(), ..Default::default() };
        let (d, v1) = designs::create(&t.db, &designer, Tool::Config, new).await.expect("design");
        assert_eq!((v1.number, v1.status.as_str()), (1, "draft"));
        let dup = NewDesign { name: "Branch base".into(), family: "srx".into(), body: template_body(), ..Default::default() };
        assert!(matches!(designs::create(&t.db, &other, Tool::Config, dup).await, Err(Error::Invalid { field: "name", .. })));
        assert!(conflict(designs::publish(&t.db, &designer, d.id).await.unwrap_err()).contains("Validate version 1"));
        let (v, findings) = designs::validate(&t.db, &designer, d.id).await.expect("validate");
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(Status::from_key(&v.status), Status::Validated);
        let v = designs::publish(&t.db, &designer, d.id).await.expect("publish");
        assert_eq!((v.status.as_str(), v.published_by.as_deref()), ("published", Some("dora")));

        // The lock: one editor at a time, named to the other.
        designs::lock(&t.db, &designer, d.id).await.expect("lock");
        let msg = conflict(designs::lock(&t.db, &other, d.id).await.unwrap_err());
        assert!(msg.contains("being edited by dora"), "{msg}");
        assert!(conflict(designs::save(&t.db, &other, d.id, &template_body(), false).await.unwrap_err()).contains("dora"));

        // Editing the published version starts version 2; version 1 stays as it was.
        let mut edited: config::Template = serde_json::from_str(&template_body()).expect("body");
        edited.text = edited.text.replace("vlans lan", "vlans branch-lan");
        let body2 = serde_json::to_string(&edited).expect("json");
        let v2 = designs::save(&t.db, &designer, d.id, &body2, false).await.expect("save");
        assert_eq!((v2.number, v2.status.as_str()), (2, "draft"));
        let v1 = designs::version(&t.db, &designer, d.id, 1).await.expect("v1");
        assert_eq!(v1.status, "published");
        assert!(!v1.body.contains("branch-lan"), "a published version never changes");
        // Saving let the lock go: the other designer gets it now.
        designs::lock(&t.db, &other, d.id).await.expect("free after save");

        // The history shows the change side by side.
        let rows = designs::compare(&t.db, &designer, d.id, 1, 2).await.expect("diff");
        let changed: Vec<_> = rows.iter().filter(|r| r.change == Change::Changed).collect();
        assert_eq!(changed.len(), 1, "{rows:?}");
        assert!(changed[0].left.as_ref().is_some_and(|(_, l)| l.contains("vlans lan")) && changed[0].right.as_ref().is_some_and(|(_, r)| r.contains("branch-lan")));

        // A bad template fails validation with the reason, and stays a draft.
        let mut broken = edited.clone();
        broken.text.push_str("\nset system ntp server {{ ntp }}");
        designs::lock(&t.db, &designer, d.id).await.expect_err("dan holds it");
        let sp_lock = designs::break_lock(&t.db, &designer, d.id).await;
        assert!(matches!(sp_lock, Err(Error::Forbidden)), "only an SP administrator breaks a lock");
        designs::break_lock(&t.db, &sp, d.id).await.expect("break");
        designs::lock(&t.db, &designer, d.id).await.expect("lock after break");
        designs::save(&t.db, &designer, d.id, &serde_json::to_string(&broken).expect("json"), true).await.expect("save draft");
        let (v, findings) = designs::validate(&t.db, &designer, d.id).await.expect("validate");
        assert_eq!(v.status, "draft");
        assert!(findings.iter().any(|f| f.message.contains("ntp")), "{findings:?}");
        assert_eq!(designs::findings(&v), findings);

        // A lapsed lock is no one's.
        let mut stale: designs::entity::design::ActiveModel = designs::get(&t.db, &designer, d.id).await.expect("d").into();
        stale.locked_at = Set(Some(time::OffsetDateTime::now_utc() - designs::LOCK_IDLE - time::Duration::minutes(1)));
        stale.update(&t.db).await.expect("age the lock");
        designs::lock(&t.db, &other, d.id).await.expect("lapsed lock taken");
        designs::unlock(&t.db, &other, d.id).await.expect("unlock");

        // Clone from version 1, then a dependant blocks deleting the original, by name.
        let (copy, c1) = designs::clone(&t.db, &designer, d.id, 1, "Branch base copy").await.expect("clone");
        assert_eq!((c1.number, c1.status.as_str()), (1, "draft"));
        assert_eq!(c1.body, v1.body);
        designs::add_dependency(&t.db, c1.id, v1.id).await.expect("depends");
        let listed = designs::list(&t.db, &designer, Tool::Config).await.expect("list");
        let base = listed.iter().find(|s| s.design.id == d.id).expect("listed");
        assert_eq!((base.latest.number, base.used_by), (2, 1));
        let msg = conflict(designs::delete(&t.db, &designer, d.id).await.unwrap_err());
        assert!(msg.contains("configuration template Branch base copy v1"), "{msg}");
        designs::delete(&t.db, &designer, copy.id).await.expect("delete the copy");
        designs::delete(&t.db, &designer, d.id).await.expect("delete once unused");
        assert!(designs::entity::version::Entity::find().all(&t.db).await.expect("versions").is_empty(), "versions go with their design");

        // Deprecate: only a published version.
        let new = NewDesign { name: "Other".into(), family: "any".into(), body: template_body(), ..Default::default() };
        let (o, _) = designs::create(&t.db, &designer, Tool::Config, new).await.expect("design");
        assert!(designs::deprecate(&t.db, &designer, o.id, 1).await.is_err());
        designs::validate(&t.db, &designer, o.id).await.expect("validate");
        designs::publish(&t.db, &designer, o.id).await.expect("publish");
        assert_eq!(designs::deprecate(&t.db, &designer, o.id, 1).await.expect("deprecate").status, "deprecated");
    }
}

#[tokio::test]
async fn only_the_service_providers_designers_reach_designs() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let tenant = domain::tenants::create(
            &t.db,
            &sp,
            domain::tenants::TenantInput { name: "acme".into(), display_name: "Acme".into(), deployment_type: "sdwan".into(), site_limit: "10".into(), ..Default::default() },
        )
        .await
        .expect("tenant");
        let designer = user(&t, &sp, "dora", "designer", "").await;
        let operator = user(&t, &sp, "otto", "sp_operator", "").await;
        let admin = user(&t, &sp, "tara", "tenant_admin", &tenant.name).await;
        let new = || NewDesign { name: "T".into(), family: "srx".into(), body: template_body(), ..Default::default() };
        let (d, _) = designs::create(&t.db, &designer, Tool::Config, new()).await.expect("design");

        assert!(matches!(designs::list(&t.db, &admin, Tool::Config).await, Err(Error::Forbidden)), "tenants see no designs");
        assert!(matches!(designs::get(&t.db, &admin, d.id).await, Err(Error::Forbidden)));
        assert_eq!(designs::list(&t.db, &operator, Tool::Config).await.expect("operators read").len(), 1);
        assert!(matches!(designs::create(&t.db, &operator, Tool::Config, new()).await, Err(Error::Forbidden)));
        assert!(matches!(designs::lock(&t.db, &operator, d.id).await, Err(Error::Forbidden)));
        assert!(matches!(designs::delete(&t.db, &operator, d.id).await, Err(Error::Forbidden)));
        // A designer sees no tenant data: naming a tenant on a request is refused.
        let input = RequestInput { title: "For acme".into(), priority: "normal".into(), tenant_id: Some(tenant.id), ..Default::default() };
        assert!(matches!(designs::create_request(&t.db, &designer, Tool::Config, input.clone()).await, Err(Error::Forbidden)));
        assert_eq!(designs::create_request(&t.db, &sp, Tool::Config, input).await.expect("sp names a tenant").tenant_id, Some(tenant.id));
        // Every mutation is in the audit log.
        let actions: Vec<String> = domain::audit::latest(&t.db, 50).await.expect("audit").into_iter().map(|r| r.action).collect();
        assert!(actions.iter().any(|a| a == "design.create") && actions.iter().any(|a| a == "design_request.create"), "{actions:?}");
    }
}

#[tokio::test]
async fn a_device_template_renders_a_published_template_and_keeps_it_from_deletion() {
    use domain::device_templates::{self, Parameter, TemplateInput};
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let designer = user(&t, &sp, "dora", "designer", "").await;
        let new = NewDesign { name: "Branch base".into(), family: "srx".into(), body: template_body(), ..Default::default() };
        let (d, _) = designs::create(&t.db, &designer, Tool::Config, new).await.expect("design");
        let input = |design: String| TemplateInput { name: "branch".into(), family: "srx".into(), design, ..Default::default() };
        // Only a published version may be chosen.
        let refused = device_templates::create(&t.db, &sp, input(format!("{}:1", d.id))).await;
        assert!(matches!(&refused, Err(Error::Invalid { field: "design", .. })), "{}: {refused:?}", t.label);
        designs::validate(&t.db, &designer, d.id).await.expect("validate");
        designs::publish(&t.db, &designer, d.id).await.expect("publish");
        let choices = device_templates::design_choices(&t.db, &sp).await.expect("choices");
        assert_eq!(choices.iter().map(|c| c.key()).collect::<Vec<_>>(), vec![format!("{}:1", d.id)], "{}", t.label);
        // An NFX template cannot use an SRX design.
        let mut nfx = input(format!("{}:1", d.id));
        nfx.family = "nfx".into();
        assert!(matches!(device_templates::create(&t.db, &sp, nfx).await, Err(Error::Invalid { field: "design", .. })), "{}", t.label);

        // The design's variables become the template's parameters, with defaults the template sets.
        let mut with_defaults = input(format!("{}:1", d.id));
        with_defaults.parameters = vec![
            Parameter { name: "host".into(), default: "edge-1".into(), ..Default::default() },
            Parameter { name: "stray".into(), default: "x".into(), ..Default::default() },
        ];
        let tpl = device_templates::create(&t.db, &sp, with_defaults).await.expect("template from the design");
        assert_eq!((tpl.format.as_str(), tpl.design_version, tpl.body.as_str()), ("set", Some(1), ""), "{}", t.label);
        let params = device_templates::parameters(&tpl);
        assert_eq!(params.iter().map(|p| (p.name.as_str(), p.default.as_str())).collect::<Vec<_>>(), vec![("host", "edge-1"), ("dns", "8.8.8.8"), ("vlan", "10")]);

        // The design is in use: not deletable, and its page counts the user.
        let msg = conflict(designs::delete(&t.db, &designer, d.id).await.unwrap_err());
        assert!(msg.contains("device template branch"), "{msg}");
        let listed = designs::list(&t.db, &designer, Tool::Config).await.expect("list");
        assert_eq!(listed.iter().find(|s| s.design.id == d.id).map(|s| s.used_by), Some(1), "{}", t.label);
        device_templates::delete(&t.db, &sp, tpl.id).await.expect("unused template deleted");
        designs::delete(&t.db, &designer, d.id).await.expect("design deletable once unused");
    }
}
