//! The Configuration Designer over HTTP, as its pages drive it: a pasted configuration becomes a
//! template with three variables; Validate commit-checks the rendering over NETCONF/SSH on the
//! server's own simulated devices, so a value the device cannot take fails with the device's words
//! and a good one validates; only then does it publish; its export imports back losslessly, and a
//! broken bundle imports nothing. On SQLite and, when configured, PostgreSQL.

use reqwest::header::ACCEPT;
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;
use serde_json::Value;

use domain::designs::{self, Status, Tool};

const PASSWORD: &str = "Initial-Password-1";

async fn call(http: &Client, base: &str, endpoint: &str, args: &[(&str, String)]) -> (StatusCode, Value) {
    let res = http.post(format!("{base}/api/{endpoint}")).header(ACCEPT, "application/json").form(args).send().await.expect("POST");
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// The editor's action with the text as the last answer had it.
async fn act(http: &Client, base: &str, id: i64, view: &Value, op: &str, extra: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut args: Vec<(&str, String)> = vec![
        ("id", id.to_string()),
        ("op", op.to_string()),
        ("format", view["format"].as_str().unwrap_or("set").to_string()),
        ("text", view["text"].as_str().unwrap_or_default().to_string()),
    ];
    args.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    call(http, base, "design_editor_action", &args).await
}

fn findings(view: &Value) -> String {
    view["findings"].as_array().map(|f| f.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("; ")).unwrap_or_default()
}

#[tokio::test]
async fn a_pasted_configuration_becomes_a_template_that_validates_on_a_simulated_device_and_round_trips() {
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
        let (status, _) = call(&http, &base, "login", &[("username", "admin".into()), ("password", PASSWORD.into())]).await;
        assert_eq!(status, StatusCode::OK, "{}", t.label);
        let l = &t.label;

        // Paste a configuration.
        let source = "set system host-name branch-01\nset interfaces ge-0/0/1 unit 0 family inet address 10.1.1.1/24\nset interfaces ge-0/0/1 description lan\n";
        let (status, body) = call(
            &http,
            &base,
            "create_design",
            &[("tool", "config".into()), ("name", "Branch base".into()), ("family", "srx".into()), ("source", source.into())],
        )
        .await;
        assert!(status.is_success() || status.is_redirection(), "{l}: create: {status} {body}");
        let id = designs::list(db, &sp, Tool::Config).await.expect("list").iter().find(|s| s.design.name == "Branch base").map(|s| s.design.id).expect("created");

        // Open it (the lock), make three variables.
        let (status, mut view) = call(&http, &base, "open_design_editor", &[("id", id.to_string())]).await;
        assert_eq!(status, StatusCode::OK, "{l}: open: {view}");
        for (sel, name, kind) in [("branch-01", "host_name", "string"), ("ge-0/0/1", "lan_port", "string"), ("10.1.1.1/24", "lan_address", "ipv4_prefix")] {
            let (status, next) = act(&http, &base, id, &view, "variable", &[("sel", sel), ("var_name", name), ("var_kind", kind)]).await;
            assert_eq!(status, StatusCode::OK, "{l}: make {name}: {next}");
            view = next;
        }
        assert_eq!(view["variables"].as_array().map(Vec::len), Some(3), "{l}: {view}");
        let text = view["text"].as_str().unwrap_or_default();
        assert!(text.contains("{{ lan_port }}") && !text.contains("ge-0/0/1"), "{l}: both places of the port became the variable: {text}");

        // A value of the right type that the device cannot take: the simulator's own words.
        let (status, bad) = act(&http, &base, id, &view, "validate", &[("value[lan_port]", "ge-0/0/99")]).await;
        assert_eq!(status, StatusCode::OK, "{l}: validate: {bad}");
        let problems = findings(&bad);
        assert!(problems.contains("commit-check") && problems.contains("interface ge-0/0/99 does not exist on srx345"), "{l}: {problems}");
        assert_eq!(bad["status"], "Draft", "{l}");
        // A value of the wrong type never reaches the device.
        let (_, typed) = act(&http, &base, id, &view, "validate", &[("value[lan_address]", "10.1.1.300/24")]).await;
        assert!(findings(&typed).contains("variables.lan_address"), "{l}: {}", findings(&typed));
        // Publishing a draft is refused.
        let (status, _) = call(&http, &base, "publish_design", &[("id", id.to_string())]).await;
        assert_eq!(status, StatusCode::CONFLICT, "{l}: only a validated version publishes");

        // Good values (the defaults): validated on the simulated SRX, then published.
        let (status, good) = act(&http, &base, id, &view, "validate", &[]).await;
        assert_eq!(status, StatusCode::OK, "{l}: {good}");
        assert_eq!(good["status"], "Validated", "{l}: {}", findings(&good));
        assert!(good["note"].as_str().unwrap_or_default().contains("Commit-check passed on a simulated SRX345"), "{l}: {good}");
        let (status, _) = call(&http, &base, "publish_design", &[("id", id.to_string())]).await;
        assert!(status.is_success() || status.is_redirection(), "{l}: publish: {status}");
        let v1 = designs::latest_version(db, &sp, id).await.expect("latest");
        assert_eq!(Status::from_key(&v1.status), Status::Published, "{l}");

        // Export, and import it back as another design: the same body.
        let res = http.get(format!("{base}/designer/export/{id}")).send().await.expect("GET");
        assert_eq!(res.status(), StatusCode::OK, "{l}: export");
        let bundle = res.text().await.expect("bundle");
        let parsed: Value = serde_json::from_str(&bundle).expect("JSON");
        assert_eq!(parsed["kind"], designs::BUNDLE_KIND, "{l}");
        assert!(parsed["yang"].as_str().unwrap_or_default().contains("leaf lan_port"), "{l}: the YANG module comes along: {}", parsed["yang"]);
        let yang = http.get(format!("{base}/designer/export/{id}?format=yang")).send().await.expect("GET");
        assert_eq!(yang.status(), StatusCode::OK, "{l}: YANG");
        let (status, body) = call(&http, &base, "import_design", &[("tool", "config".into()), ("bundle", bundle.clone()), ("name", "Branch copy".into())]).await;
        assert!(status.is_success() || status.is_redirection(), "{l}: import: {status} {body}");
        let copy = designs::list(db, &sp, Tool::Config).await.expect("list").into_iter().find(|s| s.design.name == "Branch copy").expect("imported");
        assert_eq!(copy.latest.body, v1.body, "{l}: the import is lossless");
        assert_eq!(Status::from_key(&copy.latest.status), Status::Draft, "{l}: an import starts as a draft");

        // A bundle with a problem (a variable of an unknown type) imports nothing.
        let broken = bundle.replace("\"ipv4_prefix\"", "\"ipv5_prefix\"");
        let before = designs::list(db, &sp, Tool::Config).await.expect("list").len();
        let (status, body) = call(&http, &base, "import_design", &[("tool", "config".into()), ("bundle", broken), ("name", "Broken copy".into())]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{l}: {body}");
        assert_eq!(designs::list(db, &sp, Tool::Config).await.expect("list").len(), before, "{l}: nothing imported");

        // XML templates are checked the same way: an interface the SRX345 lacks.
        let xml = "<configuration><interfaces><interface><name>ge-0/0/40</name><description>uplink</description></interface></interfaces></configuration>";
        let (status, _) = call(&http, &base, "create_design", &[("tool", "config".into()), ("name", "Uplink".into()), ("family", "srx".into()), ("source", xml.into())]).await;
        assert!(status.is_success() || status.is_redirection(), "{l}: create XML: {status}");
        let xid = designs::list(db, &sp, Tool::Config).await.expect("list").iter().find(|s| s.design.name == "Uplink").map(|s| s.design.id).expect("created");
        let (_, xview) = call(&http, &base, "open_design_editor", &[("id", xid.to_string())]).await;
        assert_eq!(xview["format"], "xml", "{l}");
        let (_, checked) = act(&http, &base, xid, &xview, "validate", &[]).await;
        assert!(findings(&checked).contains("interface ge-0/0/40 does not exist"), "{l}: {}", findings(&checked));

        // The history of the published design after an edit: a new draft v2, and the diff between.
        let (_, reopened) = call(&http, &base, "open_design_editor", &[("id", id.to_string())]).await;
        let edited = reopened["text"].as_str().unwrap_or_default().replace("description lan", "description lan-side");
        let mut changed = reopened.clone();
        changed["text"] = Value::String(edited);
        let (status, saved) = act(&http, &base, id, &changed, "save", &[]).await;
        assert_eq!(status, StatusCode::OK, "{l}: {saved}");
        assert_eq!(saved["version"], 2, "{l}: editing a published version starts v2");
        let (status, history) = call(&http, &base, "design_history", &[("id", id.to_string())]).await;
        assert_eq!(status, StatusCode::OK, "{l}: {history}");
        let rows = history["rows"].as_array().cloned().unwrap_or_default();
        assert!(rows.iter().any(|r| r["change"] == "changed" && r["right"].as_str().unwrap_or_default().contains("lan-side")), "{l}: {history}");

        running.stop().await;
    }
}
