//! "Test connection" on a VIM over HTTP against the simulator's OpenStack cloud on 127.0.0.1:
//! Keystone accepts the sealed password and the VIM records what Nova, Glance and Neutron hold; a
//! wrong password is recorded as Keystone's refusal; the password never comes back; each test is
//! in the audit trail. On SQLite and, when configured, PostgreSQL.

use reqwest::header::ACCEPT;
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;
use serde_json::Value;

use domain::infrastructure::{pops, vims};
use drivers::simulator::{CloudSpec, Fleet, FleetSpec, SimCloud};

const PASSWORD: &str = "Initial-Password-1";
const CLOUD_PASSWORD: &str = "Cloud-Secret-77";

async fn call(http: &Client, base: &str, endpoint: &str, args: &[(&str, String)]) -> (StatusCode, Value) {
    let res = http.post(format!("{base}/api/{endpoint}")).header(ACCEPT, "application/json").form(args).send().await.expect("POST");
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[tokio::test]
async fn test_connection_reads_the_cloud_and_records_a_refusal_with_keystones_reason() {
    let fleet = Fleet::new(&FleetSpec { devices: 0, seed: 5, reboot_seconds: 1 });
    let mut spec = CloudSpec::new(CLOUD_PASSWORD);
    spec.images = vec![("junos-vsrx3-x86-64-22.4R3.qcow2".into(), "qcow2".into()), ("steelhead-v-9.14.2.qcow2".into(), "qcow2".into())];
    let cloud = SimCloud::new(fleet, spec);
    let endpoint = cloud.serve("127.0.0.1:0".parse().expect("addr")).await.expect("cloud listens");

    for t in domain::testing::all().await.expect("test databases") {
        let l = &t.label;
        let mut settings = server::Settings::for_tests(&t.url, std::env::temp_dir());
        settings.admin_password = Some(SecretString::from(PASSWORD.to_string()));
        let running = server::spawn(settings).await.expect("server starts");
        let db = &running.db;
        db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("sql");
        let admin = domain::users::find_by_username(db, "admin").await.expect("find").expect("admin");
        let sp = domain::users::actor_for(db, &admin, None, "127.0.0.1").await.expect("actor");
        let pop = pops::create(
            db,
            &sp,
            pops::PopInput { name: "ams1".into(), address: "1 Main Street".into(), city: "Amsterdam".into(), country: "NL".into(), latitude: "52.37".into(), longitude: "4.89".into(), ..Default::default() },
        )
        .await
        .expect("pop");
        let input = vims::VimInput {
            pop_id: pop.id,
            name: "ams1-openstack".into(),
            vim_type: "openstack".into(),
            auth_url: endpoint.auth_url(),
            region: "RegionOne".into(),
            project: "portico".into(),
            username: "portico".into(),
            password: CLOUD_PASSWORD.into(),
            ..Default::default()
        };
        let vim = vims::create(db, &running.secret_key, &sp, input.clone()).await.expect("vim");
        assert!(vim.check.is_none(), "{l}: not tested yet");

        let base = format!("http://{}", running.addr);
        let http = Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let (status, _) = call(&http, &base, "login", &[("username", "admin".into()), ("password", PASSWORD.into())]).await;
        assert_eq!(status, StatusCode::OK, "{l}");

        let (status, row) = call(&http, &base, "test_vim_connection", &[("id", vim.id.to_string())]).await;
        assert_eq!(status, StatusCode::OK, "{l}: {row}");
        assert_eq!(row["check_ok"], Value::Bool(true), "{l}: {row}");
        let detail = row["check_detail"].as_str().unwrap_or_default();
        for part in ["project portico", "Nova 5 flavours", "largest m1.xlarge (8 vCPUs, 16 GB RAM, 160 GB disk)", "Glance 2 images", "Neutron 0 networks", "compute"] {
            assert!(detail.contains(part), "{l}: `{part}` in {detail}");
        }
        assert!(!row.to_string().contains(CLOUD_PASSWORD), "{l}: the password never comes back");

        // The VIM list shows it.
        let (status, list) = call(&http, &base, "list_vims", &[("q", String::new()), ("pop", "0".into()), ("page", "0".into())]).await;
        assert_eq!(status, StatusCode::OK, "{l}");
        assert_eq!(list["rows"][0]["check_ok"], Value::Bool(true), "{l}: {list}");

        // A wrong password: the test passes as a call and records Keystone's refusal.
        vims::update(db, &running.secret_key, &sp, vim.id, vims::VimInput { password: "Wrong-Pass-1".into(), ..input.clone() }).await.expect("edit");
        let (status, row) = call(&http, &base, "test_vim_connection", &[("id", vim.id.to_string())]).await;
        assert_eq!(status, StatusCode::OK, "{l}: {row}");
        assert_eq!(row["check_ok"], Value::Bool(false), "{l}: {row}");
        let detail = row["check_detail"].as_str().unwrap_or_default();
        assert!(detail.starts_with("Keystone: the credentials were refused: The request you have made requires authentication."), "{l}: {detail}");

        // An unknown VIM is a 404, not a probe.
        let (status, _) = call(&http, &base, "test_vim_connection", &[("id", "999999".into())]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{l}");

        // Both tests are in the audit trail, with their result.
        let n = db
            .query_one(Statement::from_string(db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'vim.test' AND object_id = '{}'", vim.id)))
            .await
            .expect("count")
            .and_then(|r| r.try_get::<i64>("", "n").ok());
        assert_eq!(n, Some(2), "{l}");
        running.stop().await;
    }
}
