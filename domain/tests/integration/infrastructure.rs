//! Infrastructure (POPs, VIMs, EMS, routers), imports and the jobs engine against real databases:
//! SQLite always, PostgreSQL when PORTICO_TEST_DATABASE_URL is set.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use domain::infrastructure::import::{self, ImportHandler, Upload};
use domain::infrastructure::pops::{self, PopInput};
use domain::infrastructure::vims::{self, VimInput};
use domain::infrastructure::{deletions, ems, routers};
use domain::jobs::runner::RunnerConfig;
use domain::jobs::{self, JobContext, JobFailure, NewJob, Runner};
use domain::opcos::{self, OpcoInput};
use domain::secrets::SecretKey;
use domain::testing::TestDb;
use domain::users::{self, UserInput};
use domain::{Actor, Error};
use sea_orm::{ConnectionTrait, Statement};
use secrecy::ExposeSecret;
use crate::common::{databases, sp_admin};

async fn opco_admin(t: &TestDb, sp: &Actor, opco: &str) -> Actor {
    let input = UserInput {
        username: format!("{opco}-ops"),
        display_name: "OpCo ops".into(),
        email: format!("ops@{opco}.example"),
        role: "opco_admin".into(),
        tenant: String::new(),
        opco: opco.into(),
        password_mode: "temporary".into(),
    };
    let created = users::accounts::create(&t.db, sp, input, "http://portico.test").await.expect("opco user");
    users::actor_for(&t.db, &created.user, None, "198.51.100.9").await.expect("actor")
}

fn pop(name: &str, opco: &str) -> PopInput {
    PopInput {
        name: name.into(),
        description: String::new(),
        address: "1 Main Street".into(),
        city: "Amsterdam".into(),
        country: "NL".into(),
        latitude: "52.37".into(),
        longitude: "4.89".into(),
        opco: opco.into(),
    }
}

fn vim(pop_id: i64, name: &str, password: &str) -> VimInput {
    VimInput {
        pop_id,
        name: name.into(),
        vim_type: "openstack".into(),
        auth_url: "https://keystone.example.net:5000/v3".into(),
        region: "RegionOne".into(),
        project: "admin".into(),
        username: "cso".into(),
        password: password.into(),
        ..Default::default()
    }
}

async fn count(db: &TestDb, table: &str) -> i64 {
    let row = db
        .db
        .query_one(Statement::from_string(db.db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {table}")))
        .await
        .expect("count")
        .expect("a row");
    row.try_get("", "n").expect("n")
}

async fn all_text(db: &TestDb, sql: &str) -> String {
    let rows = db.db.query_all(Statement::from_string(db.db.get_database_backend(), sql.to_string())).await.expect("query");
    rows.iter().map(|r| r.try_get::<String>("", "t").unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

fn runner(t: &TestDb, key: &SecretKey) -> Runner {
    Runner::new(t.db.clone(), "test-worker", RunnerConfig::default()).register(ImportHandler { key: key.clone() })
}

#[tokio::test]
async fn opco_users_see_only_their_pops_and_what_is_in_them() {
    for t in databases().await {
        let key = SecretKey::generate();
        let sp = sp_admin(&t).await;
        opcos::create(&t.db, &sp, OpcoInput { name: "north".into(), display_name: "North".into(), description: String::new() }).await.expect("opco");
        let shared = pops::create(&t.db, &sp, pop("ams-1", "")).await.expect("sp pop");
        let theirs = pops::create(&t.db, &sp, pop("osl-1", "north")).await.expect("opco pop");
        vims::create(&t.db, &key, &sp, vim(shared.id, "ams-vim", "Vim-Secret-123")).await.expect("vim");
        let north = opco_admin(&t, &sp, "north").await;

        let seen = pops::list(&t.db, &north, &pops::Query { per_page: 50, page: 1, ..Default::default() }).await.expect("list");
        assert_eq!(seen.rows.iter().map(|r| r.pop.name.as_str()).collect::<Vec<_>>(), vec!["osl-1"], "{}", t.label);
        assert!(matches!(pops::get(&t.db, &north, shared.id).await, Err(Error::NotFound(_))), "{}", t.label);
        assert_eq!(vims::list(&t.db, &north, &domain::infrastructure::ChildQuery { page: 1, per_page: 50, ..Default::default() }).await.expect("vims").total, 0, "{}", t.label);
        assert!(pops::get(&t.db, &north, theirs.id).await.is_ok(), "{}", t.label);
        // OpCo administrators read infrastructure; they do not change it.
        assert!(matches!(pops::create(&t.db, &north, pop("osl-2", "")).await, Err(Error::Forbidden)), "{}", t.label);
        // And the OpCo cannot be deleted while it owns a POP.
        let opco = opcos::list(&t.db, &sp).await.expect("opcos").into_iter().find(|o| o.name == "north").expect("north");
        assert!(matches!(opcos::delete(&t.db, &sp, opco.id).await, Err(Error::Conflict(_))), "{}", t.label);
    }
}

#[tokio::test]
async fn credentials_are_sealed_at_rest_and_never_recorded() {
    for t in databases().await {
        let key = SecretKey::generate();
        let sp = sp_admin(&t).await;
        let p = pops::create(&t.db, &sp, pop("ams-1", "")).await.expect("pop");
        let v = vims::create(&t.db, &key, &sp, vim(p.id, "ams-vim", "Vim-Secret-123")).await.expect("vim");
        assert!(v.password_set);
        let stored = all_text(&t, "SELECT password_sealed AS t FROM vims").await;
        assert!(stored.starts_with("v1:") && !stored.contains("Vim-Secret-123"), "{}: {stored}", t.label);
        assert_eq!(key.open(vims::PASSWORD_PURPOSE, &stored).expect("opens").expose_secret(), "Vim-Secret-123");
        // An edit with an empty password keeps it; a new one replaces it.
        vims::update(&t.db, &key, &sp, v.id, VimInput { region: "RegionTwo".into(), ..vim(p.id, "ignored", "") }).await.expect("edit");
        assert_eq!(all_text(&t, "SELECT password_sealed AS t FROM vims").await, stored, "{}", t.label);

        let e = ems::create(
            &t.db,
            &key,
            &sp,
            ems::EmsInput { pop_id: p.id, name: "space-1".into(), management_address: "192.0.2.10".into(), username: "super".into(), password: "Space-Pass-1".into() },
        )
        .await
        .expect("ems");
        let wrong = ems::change_password(&t.db, &key, &sp, e.id, "not-it", "New-Space-Pass-2", "New-Space-Pass-2").await;
        assert!(matches!(wrong, Err(Error::Invalid { field: "current", .. })), "{}: {wrong:?}", t.label);
        let mismatch = ems::change_password(&t.db, &key, &sp, e.id, "Space-Pass-1", "New-Space-Pass-2", "New-Space-Pass-3").await;
        assert!(matches!(mismatch, Err(Error::Invalid { field: "confirm", .. })), "{}", t.label);
        ems::change_password(&t.db, &key, &sp, e.id, "Space-Pass-1", "New-Space-Pass-2", "New-Space-Pass-2").await.expect("changed");
        let sealed = all_text(&t, "SELECT password_sealed AS t FROM ems").await;
        assert_eq!(key.open(ems::PASSWORD_PURPOSE, &sealed).expect("opens").expose_secret(), "New-Space-Pass-2");
        assert!(ems::get(&t.db, &sp, e.id).await.expect("ems").password_changed_at.is_some());

        let audit = all_text(&t, "SELECT changes || ' ' || detail AS t FROM audit_log").await;
        for secret in ["Vim-Secret-123", "Space-Pass-1", "New-Space-Pass-2"] {
            assert!(!audit.contains(secret), "{}: the audit log holds {secret}", t.label);
        }
        assert!(audit.contains("password changed") || audit.contains("appliance password changed"), "{}", t.label);
    }
}

#[tokio::test]
async fn deleting_a_pop_with_contents_needs_its_name_and_keeps_every_snapshot() {
    for t in databases().await {
        let key = SecretKey::generate();
        let sp = sp_admin(&t).await;
        let p = pops::create(&t.db, &sp, pop("ams-1", "")).await.expect("pop");
        vims::create(&t.db, &key, &sp, vim(p.id, "ams-vim", "Vim-Secret-123")).await.expect("vim");
        routers::create(
            &t.db,
            &sp,
            routers::RouterInput {
                pop_id: p.id,
                name: "ams-pe-1".into(),
                role: "pe".into(),
                management_address: "192.0.2.1".into(),
                loopback: "10.255.0.1".into(),
                asn: "AS64512".into(),
                model: "MX480".into(),
            },
        )
        .await
        .expect("router");
        let refused = pops::delete(&t.db, &sp, p.id, "").await;
        assert!(matches!(refused, Err(Error::Invalid { field: "confirm_name", .. })), "{}: {refused:?}", t.label);
        let deps = pops::dependents(&t.db, &sp, p.id).await.expect("deps");
        assert_eq!((deps.vims.clone(), deps.routers.clone()), (vec!["ams-vim".to_string()], vec!["ams-pe-1".to_string()]));
        pops::delete(&t.db, &sp, p.id, "ams-1").await.expect("deleted");
        assert_eq!((count(&t, "pops").await, count(&t, "vims").await, count(&t, "routers").await), (0, 0, 0), "{}", t.label);

        let history = deletions::list(&t.db, &sp, &deletions::Filter::default(), 1, 50).await.expect("history");
        assert_eq!(history.rows.len(), 1, "{}: cascaded records hang under the POP", t.label);
        let (parent, children) = deletions::get(&t.db, &sp, history.rows[0].id).await.expect("record");
        assert_eq!((parent.object_type.as_str(), parent.object_name.as_str()), ("pop", "ams-1"));
        let mut kinds: Vec<_> = children.iter().map(|c| c.object_type.clone()).collect();
        kinds.sort();
        assert_eq!(kinds, vec!["router", "vim"], "{}", t.label);
        let fields = deletions::fields(&parent);
        assert!(fields.iter().any(|(k, v)| k == "city" && v == "Amsterdam"), "{fields:?}");
        let snapshots = all_text(&t, "SELECT snapshot AS t FROM deletions").await;
        assert!(!snapshots.contains("Vim-Secret-123") && !snapshots.contains("v1:"), "{}: {snapshots}", t.label);
    }
}

fn csv_of_pops(n: usize, bad_line: Option<usize>) -> String {
    let mut text = String::from("type,name,pop,city,country,latitude,longitude,role,management_address,loopback,asn\n");
    for i in 0..n {
        // Line numbers: the header is line 1, so POP i sits on line i + 2.
        let country = if bad_line == Some(i + 2) { "Atlantis" } else { "NL" };
        text.push_str(&format!("pop,pop-{i:05},,City {i},{country},52.{i},4.{i}\n"));
    }
    for i in 0..n {
        text.push_str(&format!("router,pe-{i:05},pop-{i:05},,,,,pe,192.0.2.1,10.{}.{}.1,64512\n", i / 250, i % 250));
    }
    text
}

#[tokio::test]
async fn an_import_with_one_bad_row_commits_nothing_and_says_where() {
    for t in databases().await {
        let key = SecretKey::generate();
        let sp = sp_admin(&t).await;
        let upload = Upload { file_name: "pops.csv".into(), content: csv_of_pops(50, Some(37)), dry_run: true };
        let dry = import::submit(&t.db, &key, &sp, upload.clone()).await.expect("dry run");
        assert_eq!(dry.outcome, "invalid", "{}", t.label);
        let errors = dry.row_errors();
        assert_eq!(errors.len(), 1, "{}: {errors:?}", t.label);
        assert_eq!((errors[0].line, errors[0].column.as_str()), (37, "country"), "{}", t.label);
        assert!(errors[0].message.contains("Atlantis"), "{}", errors[0].message);

        let real = import::submit(&t.db, &key, &sp, Upload { dry_run: false, ..upload }).await.expect("queued");
        assert_eq!(real.outcome, "queued");
        let job_id = runner(&t, &key).run_one().await.expect("ran").expect("a job");
        let job = jobs::get(&t.db, &sp, job_id).await.expect("job");
        assert_eq!(job.job.state, "failed", "{}", t.label);
        assert!(!job.job.retryable, "{}: bad data does not pass on a retry", t.label);
        assert!(job.job.error.contains("nothing was imported"), "{}", job.job.error);
        assert_eq!(job.steps.iter().map(|s| s.state.as_str()).collect::<Vec<_>>(), vec!["succeeded", "failed", "skipped"]);
        let after = import::get(&t.db, &sp, real.id).await.expect("record");
        assert_eq!((after.outcome.as_str(), after.row_errors().len()), ("failed", 1), "{}", t.label);
        assert_eq!((count(&t, "pops").await, count(&t, "routers").await), (0, 0), "{}: nothing committed", t.label);
    }
}

#[tokio::test]
async fn an_import_of_a_thousand_pops_succeeds_atomically() {
    for t in databases().await {
        let key = SecretKey::generate();
        let sp = sp_admin(&t).await;
        let upload = Upload { file_name: "pops.csv".into(), content: csv_of_pops(1000, None), dry_run: false };
        let queued = import::submit(&t.db, &key, &sp, upload).await.expect("queued");
        let job_id = runner(&t, &key).run_one().await.expect("ran").expect("a job");
        let detail = jobs::get(&t.db, &sp, job_id).await.expect("job");
        assert_eq!((detail.job.state.as_str(), detail.job.progress), ("succeeded", 100), "{}: {}", t.label, detail.job.error);
        assert_eq!(detail.job.error, "imported 1000 POPs, 0 VIMs, 0 EMS and 1000 routers");
        assert!(detail.steps.iter().all(|s| s.state == "succeeded"), "{}", t.label);
        assert_eq!((count(&t, "pops").await, count(&t, "routers").await), (1000, 1000), "{}", t.label);
        let record = import::get(&t.db, &sp, queued.id).await.expect("record");
        assert_eq!((record.outcome.as_str(), record.pops, record.routers), ("succeeded", 1000, 1000));
        let listed = pops::list(&t.db, &sp, &pops::Query { search: "pop-00099".into(), per_page: 50, page: 1, ..Default::default() }).await.expect("list");
        assert_eq!((listed.total, listed.rows[0].routers), (1, 1), "{}", t.label);
        // The same file again: every name is now a duplicate, and nothing is written twice.
        let again = import::submit(&t.db, &key, &sp, Upload { file_name: "pops.csv".into(), content: csv_of_pops(1000, None), dry_run: true }).await.expect("dry");
        assert_eq!((again.outcome.as_str(), again.row_errors().len()), ("invalid", 2000), "{}", t.label);
    }
}

#[tokio::test]
async fn json_imports_report_lines_and_unknown_references() {
    for t in databases().await {
        let key = SecretKey::generate();
        let sp = sp_admin(&t).await;
        let text = r#"{
  "pops": [
    { "name": "fra-1", "city": "Frankfurt", "country": "Germany", "latitude": 50.11, "longitude": 8.68,
      "vims": [ { "name": "fra-vim", "vim_type": "contrail-cloud", "auth_url": "ftp://x", "username": "u", "password": "p" } ] }
  ],
  "routers": [
    { "pop": "nowhere", "name": "rr-1", "role": "route-reflector", "management_address": "192.0.2.9", "loopback": "10.0.0.9", "asn": 0 }
  ]
}"#;
        let dry = import::submit(&t.db, &key, &sp, Upload { file_name: "pops.json".into(), content: text.into(), dry_run: true }).await.expect("dry");
        let got: Vec<(u64, String)> = dry.row_errors().into_iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(got, vec![(4, "auth_url".to_string()), (7, "asn".to_string()), (7, "pop".to_string())], "{}", t.label);
    }
}

/// Records which worker ran which job; slow enough that two workers overlap.
struct Recorder {
    seen: Arc<Mutex<Vec<(i64, String)>>>,
    worker: String,
}

#[async_trait::async_trait]
impl jobs::JobKind for Recorder {
    type Params = serde_json::Value;
    const KEY: &'static str = "test.record";
    const LABEL: &'static str = "Test recorder";
    const PERMISSION: (domain::access::Resource, domain::access::Action) = (domain::access::Resource::Jobs, domain::access::Action::Operate);

    async fn run(&self, ctx: &JobContext, _: serde_json::Value) -> Result<String, JobFailure> {
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        if let Ok(mut seen) = self.seen.lock() {
            seen.push((ctx.job.id, self.worker.clone()));
        }
        Ok("recorded".into())
    }
}

#[tokio::test]
async fn two_workers_on_one_database_never_run_the_same_job_twice() {
    for t in databases().await {
        let sp = sp_admin(&t).await;
        for i in 0..120 {
            let job = NewJob { kind: "test.record", title: format!("job {i}"), params: serde_json::json!({}), steps: vec![], tenant_id: None, opco_id: None };
            jobs::enqueue(&t.db, &sp, job).await.expect("enqueue");
        }
        let seen = Arc::new(Mutex::new(Vec::new()));
        // Two "servers": separate connection pools to the same database, two loops each.
        let mut tasks = Vec::new();
        for w in ["server-a", "server-b"] {
            let db = domain::db::connect(&t.url).await.expect("second pool");
            let runner = Runner::new(db, w, RunnerConfig::default()).register(Recorder { seen: seen.clone(), worker: w.into() });
            for _ in 0..2 {
                let r = runner.clone();
                tasks.push(tokio::spawn(async move { while r.run_one().await.expect("run").is_some() {} }));
            }
        }
        for task in tasks {
            task.await.expect("worker loop");
        }
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        let ids: HashSet<i64> = seen.iter().map(|(id, _)| *id).collect();
        assert_eq!((seen.len(), ids.len()), (120, 120), "{}: a job ran twice or not at all", t.label);
        let done = jobs::list(&t.db, &sp, &jobs::Filter { state: "succeeded".into(), ..Default::default() }, 1, 200).await.expect("list");
        assert_eq!(done.total, 120, "{}", t.label);
        if t.label == "postgres" {
            let workers: HashSet<&str> = seen.iter().map(|(_, w)| w.as_str()).collect();
            assert_eq!(workers.len(), 2, "both servers took jobs");
        }
    }
}

#[tokio::test]
async fn a_job_left_running_by_a_dead_server_is_failed_with_the_reason_and_can_be_retried() {
    for t in databases().await {
        let key = SecretKey::generate();
        let sp = sp_admin(&t).await;
        let queued = import::submit(&t.db, &key, &sp, Upload { file_name: "pops.csv".into(), content: csv_of_pops(3, None), dry_run: false }).await.expect("queued");
        // A server claims the job and dies before finishing: no heartbeat follows.
        let claimed = jobs::claim(&t.db, "dead-server", &[import::JOB_KIND]).await.expect("claim").expect("job");
        assert_eq!(claimed.state, "running");
        let live = runner(&t, &key);
        assert_eq!(live.recover(false).await.expect("sweep"), 0, "{}: a fresh heartbeat is not stale", t.label);
        assert_eq!(live.recover(true).await.expect("start-up sweep"), 1, "{}", t.label);
        let failed = jobs::get(&t.db, &sp, claimed.id).await.expect("job").job;
        assert_eq!((failed.state.as_str(), failed.retryable), ("failed", true), "{}", t.label);
        assert!(failed.error.contains("stopped before it finished"), "{}", failed.error);
        assert_eq!(import::get(&t.db, &sp, queued.id).await.expect("record").outcome, "failed");

        let retry = jobs::retry(&t.db, &sp, claimed.id).await.expect("retry");
        assert_eq!(retry.retry_of, Some(claimed.id));
        assert_eq!(live.run_one().await.expect("ran"), Some(retry.id));
        assert_eq!(jobs::get(&t.db, &sp, retry.id).await.expect("job").job.state, "succeeded", "{}", t.label);
        assert_eq!(import::get(&t.db, &sp, queued.id).await.expect("record").outcome, "succeeded", "{}", t.label);
        assert_eq!(count(&t, "pops").await, 3);
        assert!(jobs::retry(&t.db, &sp, retry.id).await.is_err(), "a succeeded job is not retried");

        // A queued job can be cancelled before it starts, and its import says so.
        let other = import::submit(&t.db, &key, &sp, Upload { file_name: "b.csv".into(), content: csv_of_pops(2, None).replace("pop-", "b-pop-").replace("pe-", "b-pe-"), dry_run: false }).await.expect("queued");
        let job_id = other.job_id.expect("job");
        assert_eq!(jobs::cancel(&t.db, &sp, job_id).await.expect("cancel").state, "cancelled");
        assert_eq!(import::get(&t.db, &sp, other.id).await.expect("record").outcome, "cancelled", "{}", t.label);
        assert_eq!(live.run_one().await.expect("nothing to run"), None);
    }
}

#[tokio::test]
async fn uploaded_files_are_sealed_at_rest_and_forgotten_after_their_retention() {
    for t in databases().await {
        let key = SecretKey::generate();
        let sp = sp_admin(&t).await;
        let secret = "Vim-Secret-Pass-77";
        let content = format!(
            "type,name,city,country,pop,vim_type,auth_url,username,password\n\
             pop,seal-pop,Oslo,NO,,,,,\n\
             vim,seal-vim,,,seal-pop,openstack,https://keystone.example.net:5000/v3,cso,{secret}\n"
        );
        let dry = import::submit(&t.db, &key, &sp, Upload { file_name: "seal.csv".into(), content, dry_run: true }).await.expect("dry run");
        assert_eq!(dry.outcome, "valid", "{}: {:?}", t.label, dry.row_errors());
        assert!(dry.file_kept, "{}", t.label);
        // What the database holds: the sealed file, no password in any column of the row.
        let row = t
            .db
            .query_one(Statement::from_string(t.db.get_database_backend(), format!("SELECT content, errors, file_name FROM imports WHERE id = {}", dry.id)))
            .await
            .expect("select")
            .expect("row");
        let stored: String = row.try_get("", "content").expect("content");
        assert!(stored.starts_with("v1:") && !stored.contains(secret), "{}: the file is sealed", t.label);
        assert!(!row.try_get::<String>("", "errors").expect("errors").contains(secret));

        // Sealed under another key, it cannot be read back.
        let other_key = SecretKey::generate();
        assert!(import::import_checked(&t.db, &other_key, &sp, dry.id).await.is_err(), "{}", t.label);
        // Under the right key the checked file imports, VIM password and all.
        let real = import::import_checked(&t.db, &key, &sp, dry.id).await.expect("import the checked file");
        runner(&t, &key).run_one().await.expect("ran").expect("a job");
        assert_eq!(import::get(&t.db, &sp, real.id).await.expect("record").outcome, "succeeded", "{}", t.label);
        assert_eq!(count(&t, "vims").await, 1, "{}", t.label);

        // Past the retention the files go; the history stays and says so.
        let purged = import::purge_files(&t.db, time::OffsetDateTime::now_utc() + time::Duration::minutes(1)).await.expect("purge");
        assert_eq!(purged, 2, "{}: the dry run's file and the import's", t.label);
        let after = import::get(&t.db, &sp, dry.id).await.expect("record");
        assert!(!after.file_kept && after.outcome == "valid", "{}", t.label);
        let err = import::import_checked(&t.db, &key, &sp, dry.id).await.expect_err("no file to import");
        assert!(err.to_string().contains("no longer kept"), "{}: {err}", t.label);
    }
}

/// Scheduled jobs: first due one interval after they are first seen, queued once however many
/// servers ask at the same moment, then not again until the next interval; the job runs its kind.
#[tokio::test]
async fn a_due_schedule_is_queued_once_across_servers_and_runs_its_kind() {
    use domain::jobs::schedule::{queue_due, NoParams};
    use domain::jobs::{Every, JobKind, Schedule};
    use domain::sessions::{self, NewSession, SweepExpired};
    use time::{Duration, OffsetDateTime};
    for t in databases().await {
        let sp = sp_admin(&t).await;
        let schedule = Schedule::of::<SweepExpired>("test.sweep", &NoParams {}, Every::Minutes(10)).expect("schedule");
        let schedules = vec![schedule];
        let now = OffsetDateTime::now_utc();
        assert!(queue_due(&t.db, &schedules, now).await.expect("queue").is_empty(), "{}: not due when first seen", t.label);

        let later = now + Duration::minutes(11);
        let second = domain::db::connect(&t.url).await.expect("second pool");
        let (a, b) = tokio::join!(queue_due(&t.db, &schedules, later), queue_due(&second, &schedules, later));
        let queued: Vec<i64> = a.expect("server a").into_iter().chain(b.expect("server b")).collect();
        assert_eq!(queued.len(), 1, "{}: one run, whichever server queued it", t.label);
        assert!(queue_due(&t.db, &schedules, later + Duration::minutes(1)).await.expect("queue").is_empty(), "{}", t.label);
        assert_eq!(queue_due(&t.db, &schedules, later + Duration::minutes(10)).await.expect("queue").len(), 1, "{}: due again an interval on", t.label);

        let expired = NewSession {
            id: "expired-session".into(),
            user_id: None,
            data: "{}".into(),
            expires_at: now - Duration::minutes(1),
            client_addr: String::new(),
            user_agent: String::new(),
            signed_in_at: None,
        };
        assert!(sessions::insert_new(&t.db, expired).await.expect("insert"));
        let runner = Runner::new(t.db.clone(), "test-worker", RunnerConfig::default()).register(SweepExpired);
        assert_eq!(runner.run_one().await.expect("run"), Some(queued[0]), "{}", t.label);
        let job = jobs::get(&t.db, &sp, queued[0]).await.expect("job");
        assert_eq!(job.job.state, "succeeded", "{}: {}", t.label, job.job.error);
        assert_eq!(job.job.title, "Expired session clean-up (every 10 minutes)");
        assert_eq!(job.steps.iter().map(|s| s.state.as_str()).collect::<Vec<_>>(), ["succeeded"], "{}", t.label);
        assert!(!sessions::exists(&t.db, "expired-session").await.expect("lookup"), "{}: swept", t.label);
        assert_eq!(jobs::kind(SweepExpired::KEY).map(|k| k.label), Some("Expired session clean-up"), "registered by the runner");
    }
}

#[tokio::test]
async fn things_in_a_pop_list_in_the_order_asked_and_page_without_repeats() {
    for t in databases().await {
        let key = SecretKey::generate();
        let sp = sp_admin(&t).await;
        let p = pops::create(&t.db, &sp, pop("ams-1", "")).await.expect("pop");
        for (name, region) in [("c-vim", "RegionB"), ("a-vim", "RegionC"), ("b-vim", "RegionA"), ("d-vim", "RegionA")] {
            vims::create(&t.db, &key, &sp, VimInput { region: region.into(), ..vim(p.id, name, "Vim-Secret-123") }).await.expect("vim");
        }
        let names = |l: domain::infrastructure::Listing<vims::Vim>| l.rows.into_iter().map(|v| v.name).collect::<Vec<_>>();
        let query = |sort: &str, descending: bool, page: u64, per_page: u64| domain::infrastructure::ChildQuery {
            sort: sort.into(),
            descending,
            page,
            per_page,
            ..Default::default()
        };
        let by_name = vims::list(&t.db, &sp, &query("", false, 1, 50)).await.expect("list");
        assert_eq!(names(by_name), ["a-vim", "b-vim", "c-vim", "d-vim"], "{}", t.label);
        let by_name_desc = vims::list(&t.db, &sp, &query("name", true, 1, 50)).await.expect("list");
        assert_eq!(names(by_name_desc), ["d-vim", "c-vim", "b-vim", "a-vim"], "{}", t.label);
        // Ties on the region keep the names' order, so two pages hold every VIM once.
        let first = vims::list(&t.db, &sp, &query("region", false, 1, 2)).await.expect("page 1");
        let second = vims::list(&t.db, &sp, &query("region", false, 2, 2)).await.expect("page 2");
        assert_eq!(first.total, 4, "{}", t.label);
        assert_eq!([names(first), names(second)].concat(), ["b-vim", "d-vim", "c-vim", "a-vim"], "{}", t.label);
        // A key that names no column (or an attempt at SQL) lists by name.
        let unknown = vims::list(&t.db, &sp, &query("password_sealed; DROP TABLE vims", true, 1, 50)).await.expect("list");
        assert_eq!(names(unknown), ["d-vim", "c-vim", "b-vim", "a-vim"], "{}", t.label);
    }
}

#[tokio::test]
async fn hidden_columns_are_each_users_own_and_refuse_odd_keys() {
    use domain::users::preferences::{hidden_columns, set_hidden_columns};
    for t in databases().await {
        let sp = sp_admin(&t).await;
        opcos::create(&t.db, &sp, OpcoInput { name: "north".into(), display_name: "North".into(), description: String::new() }).await.expect("opco");
        let north = opco_admin(&t, &sp, "north").await;
        set_hidden_columns(&t.db, &sp, "vims", &["region".into(), "project".into()]).await.expect("save");
        set_hidden_columns(&t.db, &sp, "vims", &["region".into()]).await.expect("replace");
        set_hidden_columns(&t.db, &north, "vims", &[]).await.expect("save");
        assert_eq!(hidden_columns(&t.db, &sp).await.expect("read"), vec![("vims".to_string(), vec!["region".to_string()])], "{}", t.label);
        assert_eq!(hidden_columns(&t.db, &north).await.expect("read"), vec![("vims".to_string(), Vec::<String>::new())], "{}", t.label);
        for (table, column) in [("VIMS", "region"), ("", "region"), ("vims", "re gion"), ("vims", "<b>")] {
            let refused = set_hidden_columns(&t.db, &sp, table, &[column.to_string()]).await;
            assert!(matches!(refused, Err(Error::Invalid { .. })), "{table:?} {column:?}: {refused:?} ({})", t.label);
        }
        assert_eq!(hidden_columns(&t.db, &sp).await.expect("read").len(), 1, "{}", t.label);
    }
}
