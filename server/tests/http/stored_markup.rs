//! Stored markup: every free-text field a page shows back is given a payload that would become markup
//! if any page wrote it unescaped — `</textarea>` (ends a text area: Leptos writes text areas'
//! contents raw), a `<meta http-equiv="refresh">` (which a CSP does not stop), and an attribute
//! break-out with `<svg onload>`. Then every page is fetched and checked for the payload, raw; the
//! pages that show these objects are also checked for it escaped, so the test sees what it checks.

use reqwest::header::ACCEPT;
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;

use domain::device_templates::{Parameter, TemplateInput};
use domain::images::ImageUpload;
use domain::infrastructure::pops::{self, PopInput};
use domain::infrastructure::vims::{self, VimInput};
use domain::opcos::OpcoInput;
use domain::roles::RoleInput;
use domain::sites::{DepartmentInput, DeviceSlotInput, LanSegmentInput, SiteInput, WanLinkInput};
use domain::tenants::TenantInput;
use domain::users::UserInput;

const PASSWORD: &str = "Initial-Password-1";
/// An attribute break-out, the end of a text area, a refresh to elsewhere and a script hook, in 62
/// characters: short enough for every free-text field (the shortest take 64).
const PAYLOAD: &str = r#""></textarea><meta http-equiv="refresh" content=0><svg onload=1>"#;
/// What must never appear in a page: any one of these means the payload became markup.
const RAW: [&str; 3] = ["</textarea><meta", r#"<meta http-equiv="refresh""#, "<svg onload"];
/// What a page that shows the payload as text contains.
const ESCAPED: &str = "&lt;svg onload=1&gt;";

struct Ids {
    tenant: i64,
    opco: i64,
    user: i64,
    role: i64,
    pop: i64,
    vim: i64,
    site: i64,
    device: i64,
    template: i64,
    alert: i64,
    alarm: i64,
    design: i64,
    package: i64,
    service: i64,
    service_design: i64,
}

async fn objects(db: &domain::DatabaseConnection, key: &domain::secrets::SecretKey) -> Ids {
    let admin = domain::users::find_by_username(db, "admin").await.expect("find").expect("admin");
    let sp = domain::users::actor_for(db, &admin, None, "127.0.0.1").await.expect("actor");
    let opco = domain::opcos::create(db, &sp, OpcoInput { name: "marked".into(), display_name: PAYLOAD.into(), description: PAYLOAD.into() }).await.expect("opco");
    let tenant = domain::tenants::create(
        db,
        &sp,
        TenantInput { name: "marked-tenant".into(), display_name: PAYLOAD.into(), description: PAYLOAD.into(), deployment_type: "sdwan".into(), site_limit: "5".into(), opco: "marked".into(), tenant_type: String::new() },
    )
    .await
    .expect("tenant");
    let user = domain::users::accounts::create(
        db,
        &sp,
        UserInput { username: "marked-user".into(), display_name: PAYLOAD.into(), email: String::new(), role: "tenant_operator".into(), tenant: "marked-tenant".into(), opco: String::new(), password_mode: "temporary".into() },
        "http://x",
    )
    .await
    .expect("user")
    .user;
    let role = domain::roles::create(db, &sp, RoleInput { name: PAYLOAD.into(), description: PAYLOAD.into(), level: "tenant".into(), permissions: vec!["sites.view".into()] }).await.expect("role");
    let pop = pops::create(
        db,
        &sp,
        PopInput { name: "marked-pop".into(), description: PAYLOAD.into(), address: PAYLOAD.into(), city: "Oslo".into(), country: "NO".into(), opco: "marked".into(), ..Default::default() },
    )
    .await
    .expect("pop");
    let vim = vims::create(
        db,
        key,
        &sp,
        VimInput {
            pop_id: pop.id,
            name: "marked-vim".into(),
            vim_type: "openstack".into(),
            auth_url: "https://keystone.example.net:5000/v3".into(),
            region: PAYLOAD.into(),
            project: PAYLOAD.into(),
            username: "cso".into(),
            password: "Vim-Pass-1".into(),
            ..Default::default()
        },
    )
    .await
    .expect("vim");
    let template = domain::device_templates::create(
        db,
        &sp,
        TemplateInput {
            name: "marked-template".into(),
            description: PAYLOAD.into(),
            family: "srx".into(),
            body: format!("<configuration>\n  <!-- {} -->\n  <system><host-name>{{{{ hostname }}}}</host-name></system>\n</configuration>", PAYLOAD.replace("--", "")),
            parameters: vec![Parameter { name: "banner".into(), label: PAYLOAD.into(), default: PAYLOAD.into(), required: false }],
            ..Default::default()
        },
    )
    .await
    .expect("template");
    let image = domain::images::register(
        db,
        &sp,
        ImageUpload {
            file_name: "junos-srxsme-21.4R3-S5.tgz".into(),
            version: "21.4R3-S5".into(),
            family: "srx".into(),
            description: PAYLOAD.into(),
            size_bytes: 1024,
            sha256: "ab".repeat(32),
            expected_sha256: String::new(),
        },
    )
    .await
    .expect("image");
    domain::sites::create_department(db, &sp, DepartmentInput { name: "finance".into(), description: PAYLOAD.into(), tenant: "marked-tenant".into() }).await.expect("department");
    let site = domain::sites::create(
        db,
        &sp,
        SiteInput {
            name: "marked-site".into(),
            kind: "on_premise_spoke".into(),
            deployment: "sdwan".into(),
            topology: "hub_and_spoke".into(),
            redundancy: "none".into(),
            model: "SRX300".into(),
            template: template.id.to_string(),
            image: image.id.to_string(),
            address: PAYLOAD.into(),
            tenant: "marked-tenant".into(),
            wan_links: vec![WanLinkInput { name: "inet".into(), link_type: "internet".into(), bandwidth_mbps: "100".into(), cost: "10".into(), ..Default::default() }],
            lan_segments: vec![LanSegmentInput { name: "office".into(), vlan_id: "10".into(), gateway: "10.1.0.1/24".into(), department: "finance".into() }],
            devices: vec![DeviceSlotInput { name: String::new(), serial: "MARKED00001".into() }],
            ..Default::default()
        },
    )
    .await
    .expect("site");
    let device = domain::sites::get(db, &sp, site.id).await.expect("site").devices.first().map(|d| d.id).expect("a device");
    // Alerts: a definition, a webhook target and a maintenance window, and an alarm acknowledged
    // with a comment, each carrying the payload.
    let hook = domain::alerts::webhooks::create(
        db,
        key,
        &sp,
        domain::alerts::webhooks::WebhookInput { name: PAYLOAD.into(), url: "https://hooks.example.net/marked".into(), enabled: true, secret: String::new() },
    )
    .await
    .expect("webhook");
    let alert = domain::alerts::create(
        db,
        &sp,
        domain::alerts::DefinitionInput {
            name: PAYLOAD.into(),
            description: PAYLOAD.into(),
            enabled: true,
            scope_kind: "site".into(),
            scope_id: Some(site.id),
            metric: "link_rtt".into(),
            comparator: ">".into(),
            threshold: "100".into(),
            webhook_ids: vec![hook.webhook.id],
            severity: "major".into(),
            ..Default::default()
        },
    )
    .await
    .expect("alert definition");
    let ends = time::OffsetDateTime::now_utc() + time::Duration::hours(2);
    domain::alerts::maintenance::create(
        db,
        &sp,
        domain::alerts::maintenance::WindowInput { site_id: Some(site.id), ends_at: domain::rfc3339(ends), reason: PAYLOAD.into(), ..Default::default() },
    )
    .await
    .expect("window");
    let alarm = domain::alarms::raise(
        db,
        domain::alarms::NewAlarm {
            tenant_id: Some(tenant.id),
            site_id: Some(site.id),
            device_id: Some(device),
            kind: format!("alert.{}", alert.id),
            severity: domain::alarms::Severity::Major,
            object_type: "link".into(),
            object_name: PAYLOAD.into(),
            message: PAYLOAD.into(),
            detail: PAYLOAD.into(),
            definition_id: Some(alert.id),
        },
    )
    .await
    .expect("raise")
    .expect("a new alarm");
    domain::alarms::acknowledge(db, &sp, alarm.id, PAYLOAD).await.expect("acknowledge");
    let design = {
        use domain::designs::{self, config, NewDesign, RequestInput, Tool};
        let request = designs::create_request(db, &sp, Tool::Config, RequestInput { title: "marked request".into(), description: PAYLOAD.into(), priority: "normal".into(), ..Default::default() })
            .await
            .expect("request");
        let source = format!("set system host-name branch-1\nset system login message \"{}\"\n", PAYLOAD.replace('"', "'"));
        let body = serde_json::to_string(&config::from_configuration(&source).expect("template")).expect("json");
        let input = NewDesign { name: "marked design".into(), family: "srx".into(), description: PAYLOAD.into(), request_id: Some(request.id), body };
        designs::create(db, &sp, Tool::Config, input).await.expect("design").0.id
    };
    let package = {
        use domain::designs::{self, vnf, NewDesign, Tool};
        let mut p = vnf::blank();
        p.provider = PAYLOAD.chars().take(60).collect();
        p.product = "marked".into();
        p.settings = vec![domain::designs::config::Variable { name: "marked".into(), label: PAYLOAD.into(), default: PAYLOAD.into(), ..Default::default() }];
        let body = serde_json::to_string(&p).expect("json");
        let input = NewDesign { name: "marked package".into(), family: "firewall".into(), description: PAYLOAD.into(), request_id: None, body };
        let id = designs::create(db, &sp, Tool::Resource, input).await.expect("package").0.id;
        let manager = domain::designs::managers::ManagerInput {
            name: "marked-manager".into(),
            kind: "rest".into(),
            endpoint: "https://vnfm.example.net/api".into(),
            username: PAYLOAD.into(),
            password: "Vnfm-Pass-1".into(),
            serves: vec![id],
        };
        domain::designs::managers::create(db, key, &sp, manager).await.expect("manager");
        id
    };
    // Published with the payload as its description, allocated to the marked tenant (whose page
    // lists it).
    let (service, service_design) = crate::fixtures::published_service(db, &sp, "marked service", PAYLOAD, &[tenant.id]).await;
    Ids { tenant: tenant.id, opco: opco.id, user: user.id, role: role.id, pop: pop.id, vim: vim.id, site: site.id, device, template: template.id, alert: alert.id, alarm: alarm.id, design, package, service, service_design }
}

/// Every page, with the ids of the marked objects in its path (routes are listed as `/tenants/{id}`).
fn pages(ids: &Ids) -> Vec<String> {
    server::page_paths()
        .into_iter()
        .map(|p| {
            let id = match p.split('/').nth(1).unwrap_or_default() {
                "tenants" => ids.tenant,
                "opcos" => ids.opco,
                "users" => ids.user,
                "roles" => ids.role,
                "pops" => ids.pop,
                "vims" => ids.vim,
                "sites" => ids.site,
                "devices" => ids.device,
                "device-templates" => ids.template,
                "alerts" => ids.alert,
                "alarms" => ids.alarm,
                "designer" => ids.design,
                "network-services" => ids.service,
                // /sla/performance/tenants/{id} and /sla/performance/sites/{id}.
                "sla" => match p.split('/').nth(3) {
                    Some("tenants") => ids.tenant,
                    Some("sites") => ids.site,
                    _ => 1,
                },
                _ => 1,
            };
            p.replace("{id}", &id.to_string()).replace("{key}", "tenant_admin").replace("{tool}", "config")
        })
        // The Resource Designer's own pages for a VNF package.
        .chain([
            format!("/designer/resource/{}", ids.package),
            format!("/designer/resource/{}/edit", ids.package),
            "/designer/resource/managers".to_string(),
            format!("/designer/service/{}", ids.service_design),
        ])
        .collect()
}

#[tokio::test]
async fn stored_and_reflected_text_never_becomes_markup() {
    for t in domain::testing::all().await.expect("test databases") {
        let mut settings = server::Settings::for_tests(&t.url, std::env::temp_dir());
        settings.admin_password = Some(SecretString::from(PASSWORD.to_string()));
        let running = server::spawn(settings).await.expect("server starts");
        let db = &running.db;
        let ids = objects(db, &running.secret_key).await;
        db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("clear");
        let base = format!("http://{}", running.addr);
        let http = Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let login = http.post(format!("{base}/api/login")).header(ACCEPT, "application/json").form(&[("username", "admin"), ("password", PASSWORD)]).send().await.expect("login");
        assert!(login.status().is_success(), "{}", login.status());

        let mut failures = Vec::new();
        let mut shown = Vec::new();
        let mut checked = 0;
        for path in pages(&ids) {
            // The page as stored objects make it, and with the payload reflected from its query.
            for query in ["", "?q=P&search=P&user=P&description=P&name=P&notice=P&from=P&to=P"] {
                let url = format!("{base}{path}{}", query.replace('P', &domain_encode(PAYLOAD)));
                let res = http.get(&url).header(ACCEPT, "text/html,application/xhtml+xml").send().await.expect("GET");
                let status = res.status();
                let html = res.text().await.unwrap_or_default();
                checked += 1;
                if status.is_server_error() {
                    failures.push(format!("{path}{}: {status}", if query.is_empty() { "" } else { " (reflected)" }));
                }
                for raw in RAW {
                    if html.contains(raw) {
                        failures.push(format!("{path}{}: the payload is markup ({raw})", if query.is_empty() { "" } else { " (reflected)" }));
                    }
                }
                if html.contains(ESCAPED) && status == StatusCode::OK {
                    shown.push(format!("{path}{}", if query.is_empty() { "" } else { "?…" }));
                }
            }
        }
        // The pages that show the marked objects really show the payload, as text.
        for must in [
            format!("/tenants/{}", ids.tenant),
            format!("/opcos/{}", ids.opco),
            format!("/users/{}", ids.user),
            format!("/roles/{}", ids.role),
            format!("/pops/{}", ids.pop),
            format!("/pops/{}/edit", ids.pop),
            format!("/vims/{}", ids.vim),
            format!("/sites/{}", ids.site),
            format!("/device-templates/{}", ids.template),
            "/images".to_string(),
            "/images/new?…".to_string(),
            "/departments".to_string(),
            "/sla/performance".to_string(),
            format!("/sla/performance/tenants/{}", ids.tenant),
            format!("/sla/performance/sites/{}", ids.site),
            "/alarms".to_string(),
            format!("/alarms/{}", ids.alarm),
            "/alerts".to_string(),
            format!("/alerts/{}", ids.alert),
            "/alerts/webhooks".to_string(),
            "/maintenance".to_string(),
            "/designer/config".to_string(),
            "/designer/config/requests".to_string(),
            format!("/designer/config/{}", ids.design),
            format!("/designer/config/{}/edit", ids.design),
            format!("/designer/resource/{}", ids.package),
            format!("/designer/resource/{}/edit", ids.package),
            "/designer/resource/managers".to_string(),
            "/network-services".to_string(),
            format!("/network-services/{}", ids.service),
            format!("/designer/service/{}", ids.service_design),
        ] {
            if !shown.contains(&must) {
                failures.push(format!("{must}: does not show the stored text at all (the check would be empty)"));
            }
        }
        println!("{}: {checked} page loads checked; {} show the payload as text", t.label, shown.len());
        assert!(failures.is_empty(), "{}:\n{}", t.label, failures.join("\n"));
        running.stop().await;
    }
}

/// Percent-encodes a query value.
fn domain_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
