//! Software image uploads over HTTP: the checksum is computed while the file streams to disk and must
//! match the one typed; the size limit refuses a larger file before it is kept; a tenant user may not
//! upload at all. On SQLite and, when configured, PostgreSQL.

use reqwest::header::ACCEPT;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::SecretString;
use sha2::{Digest, Sha256};

const PASSWORD: &str = "Initial-Password-1";

fn form(file_name: &str, bytes: Vec<u8>, sha256: &str) -> Form {
    Form::new()
        .text("version", "22.2R3-S3")
        .text("family", "srx")
        .text("description", "test image")
        .text("sha256", sha256.to_string())
        .part("file", Part::bytes(bytes).file_name(file_name.to_string()))
}

async fn upload(http: &Client, base: &str, form: Form) -> (StatusCode, serde_json::Value) {
    let res = http.post(format!("{base}/images/upload")).header(ACCEPT, "application/json").multipart(form).send().await.expect("POST");
    let status = res.status();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn an_image_is_kept_only_when_its_checksum_matches_and_it_fits_the_limit() {
    for t in domain::testing::all().await.expect("test databases") {
        let data_dir = std::env::temp_dir().join(format!("portico-images-{}", uuid::Uuid::new_v4()));
        let mut settings = server::Settings::for_tests(&t.url, std::env::temp_dir());
        settings.admin_password = Some(SecretString::from(PASSWORD.to_string()));
        settings.data_dir = data_dir.clone();
        settings.max_image_mb = 1;
        let running = server::spawn(settings).await.expect("server starts");
        let db = &running.db;
        db.execute(Statement::from_string(db.get_database_backend(), "UPDATE users SET must_change_password = false")).await.expect("sql");
        let base = format!("http://{}", running.addr);
        let http = Client::builder().cookie_store(true).build().expect("client");
        let res = http.post(format!("{base}/api/login")).header(ACCEPT, "application/json").form(&[("username", "admin"), ("password", PASSWORD)]).send().await.expect("login");
        assert_eq!(res.status(), StatusCode::OK);

        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let sha = hex::encode(Sha256::digest(&bytes));

        // A wrong checksum: refused on the field, nothing kept.
        let wrong = "0".repeat(64);
        let (status, body) = upload(&http, &base, form("junos-srxsme-22.2R3-S3.tgz", bytes.clone(), &wrong)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {body}", t.label);
        assert_eq!(body["field"], "sha256", "{}: {body}", t.label);
        assert!(body["error"].as_str().unwrap_or_default().contains(&sha), "{}: the message gives the real checksum: {body}", t.label);
        let kept = std::fs::read_dir(data_dir.join("images")).map(|d| d.count()).unwrap_or(0);
        assert_eq!(kept, 0, "{}: a refused upload leaves no file", t.label);

        // Over the 1 MiB limit: refused as too large.
        let big = vec![7u8; 1024 * 1024 + 10];
        let (status, body) = upload(&http, &base, form("junos-srxsme-big.tgz", big, "")).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{}: {body}", t.label);

        // The right checksum: kept under its SHA-256, registered with its size.
        let (status, body) = upload(&http, &base, form("junos-srxsme-22.2R3-S3.tgz", bytes.clone(), &sha.to_uppercase())).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {body}", t.label);
        assert_eq!(body["sha256"], sha.as_str(), "{}", t.label);
        assert_eq!(body["size_bytes"], bytes.len() as i64, "{}", t.label);
        let stored = std::fs::read(data_dir.join("images").join(&sha)).expect("the stored file");
        assert_eq!(stored, bytes, "{}: the stored bytes are the uploaded ones", t.label);

        // Without signing in: sent to the sign-in page before a byte is stored.
        let anonymous = Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let res = anonymous
            .post(format!("{base}/images/upload"))
            .multipart(form("junos-srxsme-other.tgz", vec![1, 2, 3], ""))
            .send()
            .await
            .expect("POST");
        let location = res.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert!(res.status().is_redirection() && location == "/login", "{}: {} → {location}", t.label, res.status());
        let kept = std::fs::read_dir(data_dir.join("images")).map(|d| d.count()).unwrap_or(0);
        assert_eq!(kept, 1, "{}: only the accepted image is on disk", t.label);

        running.stop().await;
        let _ = std::fs::remove_dir_all(&data_dir);
    }
}
