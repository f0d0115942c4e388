//! The Resource Designer over HTTP, as its editor drives it: a VNF package is described, fails
//! Validate for a missing right interface (and for a flavour no VIM takes, an image checksum that is
//! not the uploaded one), is fixed, validates, publishes; its bundle and its SOL006 descriptor
//! export; it is deleted and imported back identical. A day-0 template a published package uses
//! cannot be deleted. The predefined packages are there, published, and cannot be deleted. On
//! SQLite and, when configured, PostgreSQL.

use reqwest::header::ACCEPT;
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;
use serde_json::Value;

use domain::designs::{self, config, Status, Tool};

const PASSWORD: &str = "Initial-Password-1";

async fn call(http: &Client, base: &str, endpoint: &str, args: &[(String, String)]) -> (StatusCode, Value) {
    let res = http.post(format!("{base}/api/{endpoint}")).header(ACCEPT, "application/json").form(args).send().await.expect("POST");
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The editor's form as the last answer shows it, with `changes` (field → value; an empty value
/// removes the field, as an unticked box sends nothing).
fn form(view: &Value, id: i64, op: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![("id".into(), id.to_string()), ("op".into(), op.into())];
    for k in [
        "provider", "product", "software_version", "descriptor_version", "service_mode", "image_id", "image_name", "image_version", "image_sha256", "disk_format",
        "min_disk_gb", "min_ram_mb", "day0", "day1", "licensing", "licensing_note", "health_method", "health_port", "health_path", "health_interval",
        "health_timeout", "health_retries",
    ] {
        f.push((k.into(), s(&view[k])));
    }
    for x in view["functions"].as_array().cloned().unwrap_or_default() {
        f.push((format!("functions[{}]", s(&x)), "on".into()));
    }
    for x in view["deployment_models"].as_array().cloned().unwrap_or_default() {
        f.push((format!("deploy[{}]", s(&x)), "on".into()));
    }
    for (i, r) in view["flavours"].as_array().cloned().unwrap_or_default().iter().enumerate() {
        for col in ["name", "vcpu", "ram_mb", "disk_gb", "min_instances", "max_instances", "throughput_mbps", "sessions", "new_sessions_per_s", "latency_ms"] {
            f.push((format!("fl[{col}.{i}]"), s(&r[col])));
        }
    }
    for (i, r) in view["interfaces"].as_array().cloned().unwrap_or_default().iter().enumerate() {
        for col in ["name", "role", "order"] {
            f.push((format!("iface[{col}.{i}]"), s(&r[col])));
        }
    }
    for (k, v) in changes {
        f.retain(|(name, _)| name != k);
        if !v.is_empty() {
            f.push((k.to_string(), v.to_string()));
        }
    }
    f
}

fn findings(view: &Value) -> String {
    view["findings"].as_array().map(|f| f.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("; ")).unwrap_or_default()
}

#[tokio::test]
async fn a_vnf_package_is_designed_validated_published_exported_and_imported_back_identical() {
    for t in domain::testing::all().await.expect("test databases") {
        let mut settings = server::Settings::for_tests(&t.url, std::env::temp_dir());
        settings.admin_password = Some(SecretString::from(PASSWORD.to_string()));
        let running = server::spawn(settings).await.expect("server starts");
        let db = &running.db;
        db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("sql");
        let admin = domain::users::find_by_username(db, "admin").await.expect("find").expect("admin");
        let sp = domain::users::actor_for(db, &admin, None, "127.0.0.1").await.expect("actor");
        let base = format!("http://{}", running.addr);
        let http = Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let (status, _) = call(&http, &base, "login", &[("username".into(), "admin".into()), ("password".into(), PASSWORD.into())]).await;
        assert_eq!(status, StatusCode::OK, "{}", t.label);
        let l = &t.label;

        // The predefined packages ship published, and stay.
        let shipped = designs::list(db, &sp, Tool::Resource).await.expect("list");
        for name in ["vSRX", "LxCIPtable", "Cisco CSR-1000v", "Riverbed Steelhead", "Fortinet FortiGate-VM", "Ubuntu"] {
            let p = shipped.iter().find(|x| x.design.name == name).unwrap_or_else(|| panic!("{l}: {name} ships"));
            assert_eq!(Status::from_key(&p.latest.status), Status::Published, "{l}: {name}");
        }
        let vsrx = shipped.iter().find(|x| x.design.name == "vSRX").map(|x| x.design.id).unwrap_or_default();
        let (status, body) = call(&http, &base, "delete_design", &[("id".into(), vsrx.to_string())]).await;
        assert_eq!(status, StatusCode::CONFLICT, "{l}: a predefined package is not deleted: {body}");

        // What the package needs around it: an uploaded VNF image, a POP with a VIM, a published
        // day-0 template.
        let sha = "c0ffee".repeat(10) + "c0ff";
        let image = domain::images::register(
            db,
            &sp,
            domain::images::ImageUpload {
                file_name: "edge-fw-2.1.qcow2".into(),
                version: "2.1".into(),
                family: "vnf".into(),
                size_bytes: 4096,
                sha256: sha.clone(),
                ..Default::default()
            },
        )
        .await
        .expect("image");
        let pop = domain::infrastructure::pops::create(
            db,
            &sp,
            domain::infrastructure::pops::PopInput {
                name: "ams1".into(),
                address: "1 Main Street".into(),
                city: "Amsterdam".into(),
                country: "NL".into(),
                latitude: "52.37".into(),
                longitude: "4.89".into(),
                ..Default::default()
            },
        )
        .await
        .expect("pop");
        domain::infrastructure::vims::create(
            db,
            &running.secret_key,
            &sp,
            domain::infrastructure::vims::VimInput {
                pop_id: pop.id,
                name: "ams1-openstack".into(),
                vim_type: "openstack".into(),
                auth_url: "https://keystone.example.net:5000/v3".into(),
                username: "portico".into(),
                password: "Vim-Pass-1".into(),
                max_vcpus: "16".into(),
                ..Default::default()
            },
        )
        .await
        .expect("vim");
        let tpl = config::from_configuration("set system host-name fw-1\n").expect("template");
        let body = serde_json::to_string(&tpl).expect("json");
        let (base_tpl, _) = designs::create(db, &sp, Tool::Config, designs::NewDesign { name: "FW base".into(), family: "vsrx".into(), body, ..Default::default() }).await.expect("template");
        designs::record_validation(db, &sp, base_tpl.id, 1, &[]).await.expect("validated");
        designs::publish(db, &sp, base_tpl.id).await.expect("published");

        // A new package, described in the editor: no right interface yet.
        let (status, body) = call(&http, &base, "create_design", &[("tool".into(), "resource".into()), ("name".into(), "Edge FW".into()), ("family".into(), "firewall".into())]).await;
        assert!(status.is_success() || status.is_redirection(), "{l}: create: {status} {body}");
        let id = designs::list(db, &sp, Tool::Resource).await.expect("list").iter().find(|x| x.design.name == "Edge FW").map(|x| x.design.id).expect("created");
        let (status, view) = call(&http, &base, "open_package_editor", &[("id".into(), id.to_string())]).await;
        assert_eq!(status, StatusCode::OK, "{l}: open: {view}");
        let (status, view) = call(&http, &base, "package_editor_action", &form(&view, id, "add_interface", &[])).await;
        assert_eq!(status, StatusCode::OK, "{l}: add interface: {view}");
        let day0 = format!("{}:1", base_tpl.id);
        let filled = form(
            &view,
            id,
            "validate",
            &[
                ("provider", "Example Networks"),
                ("product", "Edge Firewall"),
                ("software_version", "2.1"),
                ("functions[firewall]", "on"),
                ("functions[nat]", "on"),
                ("deploy[centralized]", "on"),
                ("image_id", &image.id.to_string()),
                ("fl[throughput_mbps.0]", "1000"),
                ("fl[sessions.0]", "100000"),
                ("fl[new_sessions_per_s.0]", "10000"),
                ("fl[latency_ms.0]", "0.5"),
                ("iface[name.1]", "eth1"),
                ("iface[role.1]", "left"),
                ("day0", &day0),
            ],
        );
        let (status, bad) = call(&http, &base, "package_editor_action", &filled).await;
        assert_eq!(status, StatusCode::OK, "{l}: validate: {bad}");
        assert_eq!(bad["status"], "Draft", "{l}");
        let problems = findings(&bad);
        assert!(problems.contains("right interface"), "{l}: {problems}");
        assert!(!problems.contains("image"), "{l}: the picked image's checksum was copied: {problems}");
        assert_eq!(bad["image_sha256"], sha.as_str(), "{l}");

        // A flavour too big for every VIM, and a typed checksum that is not the upload's.
        let (_, big) = call(&http, &base, "package_editor_action", &form(&bad, id, "validate", &[("fl[vcpu.0]", "32"), ("image_sha256", &"ab".repeat(32))])).await;
        let problems = findings(&big);
        assert!(problems.contains("fits no POP's VIM") && problems.contains("ams1/ams1-openstack"), "{l}: {problems}");
        assert!(problems.contains("does not match the uploaded image edge-fw-2.1.qcow2"), "{l}: {problems}");
        // A number that is no number is refused and saves nothing.
        let (status, _) = call(&http, &base, "package_editor_action", &form(&bad, id, "save", &[("fl[vcpu.0]", "two")])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{l}");

        // Fixed: a right interface, the flavour back in size, the checksum the upload's.
        let (_, more) = call(&http, &base, "package_editor_action", &form(&bad, id, "add_interface", &[])).await;
        let fixed = form(&more, id, "validate", &[("iface[name.2]", "eth2"), ("iface[role.2]", "right"), ("image_sha256", &sha)]);
        let (status, good) = call(&http, &base, "package_editor_action", &fixed).await;
        assert_eq!(status, StatusCode::OK, "{l}: {good}");
        assert_eq!(good["status"], "Validated", "{l}: {}", findings(&good));
        let (status, _) = call(&http, &base, "publish_design", &[("id".into(), id.to_string())]).await;
        assert!(status.is_success() || status.is_redirection(), "{l}: publish: {status}");
        let v1 = designs::latest_version(db, &sp, id).await.expect("latest");
        assert_eq!(Status::from_key(&v1.status), Status::Published, "{l}");

        // The template it uses cannot go, and says who uses it; nor can the image.
        let (status, body) = call(&http, &base, "delete_design", &[("id".into(), base_tpl.id.to_string())]).await;
        assert_eq!(status, StatusCode::CONFLICT, "{l}");
        assert!(body.to_string().contains("VNF package Edge FW v1"), "{l}: {body}");
        assert!(domain::images::delete(db, &sp, image.id).await.is_err(), "{l}: the package's image stays");

        // Exports: the bundle and the SOL006 descriptor.
        let res = http.get(format!("{base}/designer/export/{id}")).send().await.expect("GET");
        assert_eq!(res.status(), StatusCode::OK, "{l}: export");
        let bundle = res.text().await.expect("bundle");
        let res = http.get(format!("{base}/designer/export/{id}?format=sol006")).send().await.expect("GET");
        assert_eq!(res.status(), StatusCode::OK, "{l}: SOL006");
        let yaml = res.text().await.expect("yaml");
        let vnfd: Value = serde_norway::from_str(&yaml).expect("SOL006 YAML reads");
        assert_eq!(vnfd["vnfd"]["provider"], "Example Networks", "{l}: {yaml}");
        assert_eq!(vnfd["vnfd"]["ext-cpd"].as_array().map(Vec::len), Some(3), "{l}: {yaml}");
        assert_eq!(vnfd["vnfd"]["sw-image-desc"][0]["checksum"]["hash"], sha.as_str(), "{l}");
        let res = http.get(format!("{base}/designer/export/{}?format=sol006", base_tpl.id)).send().await.expect("GET");
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{l}: a template has no VNF descriptor");

        // Deleted, and imported back identical.
        let (status, body) = call(&http, &base, "delete_design", &[("id".into(), id.to_string())]).await;
        assert!(status.is_success() || status.is_redirection(), "{l}: delete: {status} {body}");
        // A broken bundle (one interface without a role it may have) imports nothing: its body is
        // still a package, so a wrong type is the problem here.
        let broken = bundle.replacen("\"vcpu\": 2", "\"vcpu\": \"two\"", 1);
        assert_ne!(broken, bundle, "{l}: the bundle holds the flavour");
        let (status, _) = call(&http, &base, "import_design", &[("tool".into(), "resource".into()), ("bundle".into(), broken)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{l}");
        assert!(designs::list(db, &sp, Tool::Resource).await.expect("list").iter().all(|x| x.design.name != "Edge FW"), "{l}: nothing imported");
        let (status, body) = call(&http, &base, "import_design", &[("tool".into(), "resource".into()), ("bundle".into(), bundle)]).await;
        assert!(status.is_success() || status.is_redirection(), "{l}: import: {status} {body}");
        let back = designs::list(db, &sp, Tool::Resource).await.expect("list").into_iter().find(|x| x.design.name == "Edge FW").expect("imported");
        assert_eq!(back.latest.body, v1.body, "{l}: the import is identical");

        running.stop().await;
    }
}
