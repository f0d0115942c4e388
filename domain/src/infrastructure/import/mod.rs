//! Importing many POPs, with their VIMs, EMS and routers, from a CSV or JSON file.
//!
//! A dry run checks every row and lists each error with its line, column and reason, writing nothing
//! but its history record. A real import is a job: it checks again (the database may have changed)
//! and, only when every row is valid, writes everything in one transaction, together with the
//! history record's outcome and the job's success. One bad row commits nothing.

mod check;
pub mod parse;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{ems, pops, routers, vims, Listing};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::jobs::{self, JobContext, JobFailure, NewJob};
use crate::secrets::SecretKey;
use crate::{Actor, Error, Home, Result};

pub use check::Plan;

pub const JOB_KIND: &str = "pops.import";
/// What an uploaded file is sealed for: it carries VIM and EMS passwords, so it is stored encrypted
/// under the portal's secret key (the purpose is authenticated data, like every sealed column).
const CONTENT_PURPOSE: &str = "imports.content";
/// How long an uploaded file is kept by default (`PORTICO_IMPORT_RETENTION_DAYS`): long enough to
/// import a checked file or retry a failed import; after that only the history record stays.
pub const DEFAULT_RETENTION_DAYS: u32 = 7;
/// Larger files are refused before anything is read.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_ROWS: usize = 100_000;
/// Errors kept per import; the count says how many there were in all.
const MAX_ERRORS_KEPT: usize = 5_000;
/// Rows per INSERT statement: well inside both engines' bound-parameter limits.
const CHUNK: usize = 500;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "imports")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub file_name: String,
        /// `csv` or `json`.
        pub format: String,
        pub dry_run: bool,
        /// `valid`, `invalid` (dry runs); `queued`, `running`, `succeeded`, `failed`, `cancelled`.
        pub outcome: String,
        pub rows: i32,
        pub pops: i32,
        pub vims: i32,
        pub ems: i32,
        pub routers: i32,
        /// JSON list of [`super::RowError`].
        pub errors: String,
        /// The uploaded file, sealed (`v1:…`); empty once its retention has passed.
        pub content: String,
        pub job_id: Option<i64>,
        pub user_id: Option<i64>,
        pub username: String,
        pub opco_id: Option<i64>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub finished_at: Option<TimeDateTimeWithTimeZone>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One problem in a file: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    /// The column (CSV) or field (JSON); empty when the whole row is wrong.
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub fn key(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// By the file's extension, else by its first character.
    pub fn detect(file_name: &str, content: &str) -> Format {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Format::Json
        } else if lower.ends_with(".csv") {
            Format::Csv
        } else if content.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Csv
        }
    }
}

/// An import's history record without the file itself.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Summary {
    pub id: i64,
    pub file_name: String,
    pub format: String,
    pub dry_run: bool,
    pub outcome: String,
    pub rows: i32,
    pub pops: i32,
    pub vims: i32,
    pub ems: i32,
    pub routers: i32,
    pub job_id: Option<i64>,
    pub username: String,
    pub created_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
    pub errors: String,
    /// Whether the uploaded file is still kept (for "Import this checked file" and retries).
    pub file_kept: bool,
}

impl Summary {
    pub fn row_errors(&self) -> Vec<RowError> {
        serde_json::from_str(&self.errors).unwrap_or_default()
    }

    pub fn outcome_label(&self) -> &'static str {
        outcome_label(&self.outcome)
    }
}

pub fn outcome_label(outcome: &str) -> &'static str {
    match outcome {
        "valid" => "Checked: no errors",
        "invalid" => "Checked: errors found",
        "queued" => "Queued",
        "running" => "Running",
        "succeeded" => "Imported",
        "failed" => "Failed: nothing imported",
        "cancelled" => "Cancelled: nothing imported",
        _ => "Unknown",
    }
}

fn summary_columns<E: EntityTrait>(q: sea_orm::Select<E>) -> sea_orm::Select<E> {
    use entity::Column as C;
    q.select_only().columns([
        C::Id,
        C::FileName,
        C::Format,
        C::DryRun,
        C::Outcome,
        C::Rows,
        C::Pops,
        C::Vims,
        C::Ems,
        C::Routers,
        C::JobId,
        C::Username,
        C::CreatedAt,
        C::FinishedAt,
        C::Errors,
    ])
    .column_as(sea_orm::sea_query::Expr::cust("content <> ''"), "file_kept")
}

fn visible(actor: &Actor) -> Result<Condition> {
    actor.require(Resource::Pops, Action::View)?;
    match actor.home {
        Home::ServiceProvider => Ok(Condition::all()),
        Home::Opco(o) => Ok(Condition::all().add(entity::Column::OpcoId.eq(o))),
        Home::Tenant(_) => Err(Error::Forbidden),
    }
}

/// The import history, newest first.
pub async fn list(db: &DatabaseConnection, actor: &Actor, page: u64, per_page: u64) -> Result<Listing<Summary>> {
    let cond = visible(actor)?;
    let total = entity::Entity::find().filter(cond.clone()).count(db).await?;
    let per_page = per_page.clamp(1, 200);
    let rows = summary_columns(entity::Entity::find())
        .filter(cond)
        .order_by_desc(entity::Column::Id)
        .offset(crate::paging::offset(page, per_page))
        .limit(per_page)
        .into_model::<Summary>()
        .all(db)
        .await?;
    Ok(Listing { rows, total })
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Summary> {
    summary_columns(entity::Entity::find_by_id(id))
        .filter(visible(actor)?)
        .into_model::<Summary>()
        .one(db)
        .await?
        .ok_or(Error::NotFound("import"))
}

/// A file handed in for import.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub content: String,
    pub dry_run: bool,
}

fn clean_file_name(raw: &str) -> String {
    // Browsers may send a path; only the last part is the name. Control characters never help.
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let name: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.trim().is_empty() {
        "upload".to_string()
    } else {
        name
    }
}

/// The outcome of reading and checking a file.
pub struct Checked {
    pub format: Format,
    pub plan: Plan,
    pub errors: Vec<RowError>,
    pub rows: usize,
}

/// Parses and checks a file against the database as it is now.
pub async fn check_file<C: ConnectionTrait>(db: &C, actor: &Actor, file_name: &str, content: &str) -> Result<Checked> {
    let format = Format::detect(file_name, content);
    let (records, mut errors) = match format {
        Format::Csv => parse::csv(content),
        Format::Json => parse::json(content),
    };
    if records.len() > MAX_ROWS {
        errors.push(RowError { line: 0, column: String::new(), message: format!("the file has {} records; at most {MAX_ROWS} per import", records.len()) });
    }
    if records.is_empty() && errors.is_empty() {
        errors.push(RowError { line: 0, column: String::new(), message: "the file holds no POP, VIM, EMS or router".into() });
    }
    let existing = check::Existing::load(db, actor).await?;
    let (plan, mut more) = check::check(&records, &existing, actor);
    errors.append(&mut more);
    errors.sort_by(|a, b| a.line.cmp(&b.line).then_with(|| a.column.cmp(&b.column)));
    Ok(Checked { format, plan, errors, rows: records.len() })
}

fn errors_json(errors: &[RowError]) -> String {
    let mut kept: Vec<RowError> = errors.iter().take(MAX_ERRORS_KEPT).cloned().collect();
    if errors.len() > MAX_ERRORS_KEPT {
        kept.push(RowError { line: 0, column: String::new(), message: format!("… and {} more errors", errors.len() - MAX_ERRORS_KEPT) });
    }
    serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())
}

/// The stored file of an import, opened; "no longer kept" once its retention has passed.
fn stored_file(key: &SecretKey, row: &entity::Model) -> Result<String> {
    use secrecy::ExposeSecret;
    if row.content.is_empty() {
        return Err(Error::Conflict(format!(
            "the file {} is no longer kept (uploads are kept for a limited time); upload it again",
            row.file_name
        )));
    }
    Ok(key.open(CONTENT_PURPOSE, &row.content)?.expose_secret().to_string())
}

/// Takes a file: a dry run is checked at once and recorded; a real import is recorded and queued as
/// a job. Either way the history record is returned. The file is stored sealed under `key`.
pub async fn submit(db: &DatabaseConnection, key: &SecretKey, actor: &Actor, upload: Upload) -> Result<Summary> {
    actor.require(Resource::Pops, Action::Create)?;
    if matches!(actor.home, Home::Tenant(_)) {
        return Err(Error::Forbidden);
    }
    if upload.content.len() > MAX_BYTES {
        return Err(Error::invalid("file", format!("is larger than {} MB", MAX_BYTES / 1024 / 1024)));
    }
    if upload.content.trim().is_empty() {
        return Err(Error::invalid("file", "is empty"));
    }
    if upload.content.contains('\0') {
        return Err(Error::invalid("file", "is not a text file (CSV or JSON)"));
    }
    let file_name = clean_file_name(&upload.file_name);
    let format = Format::detect(&file_name, &upload.content);
    let now = OffsetDateTime::now_utc();
    let mut row = entity::ActiveModel {
        file_name: Set(file_name.clone()),
        format: Set(format.key().to_string()),
        dry_run: Set(upload.dry_run),
        outcome: Set("queued".into()),
        rows: Set(0),
        pops: Set(0),
        vims: Set(0),
        ems: Set(0),
        routers: Set(0),
        errors: Set("[]".into()),
        content: Set(key.seal(CONTENT_PURPOSE, &upload.content)?),
        job_id: Set(None),
        user_id: Set((actor.user_id != 0).then_some(actor.user_id)),
        username: Set(actor.username.clone()),
        opco_id: Set(actor.opco_id()),
        created_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    };
    if upload.dry_run {
        let checked = check_file(db, actor, &file_name, &upload.content).await?;
        row.outcome = Set(if checked.errors.is_empty() { "valid" } else { "invalid" }.into());
        set_counts(&mut row, &checked);
        row.finished_at = Set(Some(OffsetDateTime::now_utc()));
        let saved = row.insert(db).await?;
        return get(db, actor, saved.id).await;
    }
    let txn = audit::begin(db).await?;
    let saved = row.insert(txn.conn()).await?;
    let job = jobs::enqueue(
        txn.conn(),
        actor,
        NewJob {
            kind: JOB_KIND,
            title: format!("Import {file_name}"),
            params: serde_json::json!({ "import_id": saved.id }),
            steps: vec!["Read the file".into(), "Check every row".into(), "Write POPs, VIMs, EMS and routers".into()],
            tenant_id: None,
            opco_id: actor.opco_id(),
        },
    )
    .await?;
    let mut linked: entity::ActiveModel = saved.into();
    linked.job_id = Set(Some(job.id));
    let saved = linked.update(txn.conn()).await?;
    txn.record(actor, Entry::new("pops.import.queue", "import", saved.id, &file_name).detail(format!("job #{}", job.id)).opco(actor.opco_id()))
        .await?;
    txn.commit().await?;
    jobs::wake();
    get(db, actor, saved.id).await
}

/// Starts a real import of a file checked in a dry run, without uploading it again.
pub async fn import_checked(db: &DatabaseConnection, key: &SecretKey, actor: &Actor, dry_run_id: i64) -> Result<Summary> {
    // Checked first, so that someone who may only read the history learns nothing from the answer.
    actor.require(Resource::Pops, Action::Create)?;
    let found = entity::Entity::find_by_id(dry_run_id).filter(visible(actor)?).one(db).await?.ok_or(Error::NotFound("import"))?;
    if !found.dry_run {
        return Err(Error::Conflict("this record is an import already; start a new one from its file".into()));
    }
    let content = stored_file(key, &found)?;
    submit(db, key, actor, Upload { file_name: found.file_name, content, dry_run: false }).await
}

/// Forgets the files of imports older than `cutoff` (the history records stay, with their counts
/// and errors). Imports still queued or running keep theirs. Returns how many files went.
pub async fn purge_files(db: &DatabaseConnection, cutoff: OffsetDateTime) -> Result<u64> {
    let done = entity::Entity::update_many()
        .col_expr(entity::Column::Content, sea_orm::sea_query::Expr::value(""))
        .filter(entity::Column::Content.ne(""))
        .filter(entity::Column::CreatedAt.lt(cutoff))
        .filter(entity::Column::Outcome.is_not_in(["queued", "running"]))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// House-keeping: forgets uploaded files past their retention ([`purge_files`]). Scheduled by
/// the server with its `PORTICO_IMPORT_RETENTION_DAYS`.
pub struct ForgetFiles;

/// How long uploaded files are kept.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Retention {
    pub days: u32,
}

#[async_trait::async_trait]
impl jobs::JobKind for ForgetFiles {
    type Params = Retention;
    const KEY: &'static str = "imports.forget_files";
    const LABEL: &'static str = "Import file retention";
    const PERMISSION: (Resource, Action) = (Resource::Jobs, Action::Operate);

    async fn run(&self, ctx: &JobContext, retention: Retention) -> Result<String, JobFailure> {
        ctx.step_started(1).await?;
        let cutoff = OffsetDateTime::now_utc() - time::Duration::days(i64::from(retention.days));
        let forgotten = purge_files(&ctx.db, cutoff).await?;
        let summary = format!("{forgotten} uploaded file(s) older than {} days forgotten", retention.days);
        ctx.step_done(1, &summary).await?;
        Ok(summary)
    }
}

fn set_counts(row: &mut entity::ActiveModel, checked: &Checked) {
    let clamp = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    row.rows = Set(clamp(checked.rows));
    row.pops = Set(clamp(checked.plan.pops.len()));
    row.vims = Set(clamp(checked.plan.vims.len()));
    row.ems = Set(clamp(checked.plan.ems.len()));
    row.routers = Set(clamp(checked.plan.routers.len()));
    row.errors = Set(errors_json(&checked.errors));
}

/// The documented formats, as downloadable templates.
pub fn template(format: Format) -> &'static str {
    match format {
        Format::Csv => include_str!("template.csv"),
        Format::Json => include_str!("template.json"),
    }
}

/// Writes a checked plan: every POP, then every VIM, EMS and router, in the caller's transaction.
pub async fn write<C: ConnectionTrait>(conn: &C, key: &SecretKey, plan: Plan) -> Result<(usize, usize, usize, usize)> {
    let now = OffsetDateTime::now_utc();
    let counts = (plan.pops.len(), plan.vims.len(), plan.ems.len(), plan.routers.len());
    let new_names: Vec<String> = plan.pops.iter().map(|(p, _)| p.name.clone()).collect();
    let pops_rows: Vec<pops::entity::ActiveModel> = plan.pops.into_iter().map(|(f, opco)| f.into_active(opco, now)).collect();
    for chunk in pops_rows.chunks(CHUNK) {
        pops::entity::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
    }
    let mut pop_ids = plan.existing_pops;
    for chunk in new_names.chunks(CHUNK) {
        let found: Vec<(i64, String)> = pops::entity::Entity::find()
            .select_only()
            .column(pops::entity::Column::Id)
            .column(pops::entity::Column::Name)
            .filter(pops::entity::Column::Name.is_in(chunk.to_vec()))
            .into_tuple()
            .all(conn)
            .await?;
        pop_ids.extend(found.into_iter().map(|(id, name)| (name, id)));
    }
    let pop_id = |name: &str| pop_ids.get(name).copied().ok_or_else(|| Error::Internal(format!("POP {name} vanished during the import")));
    let mut vim_rows = Vec::with_capacity(plan.vims.len());
    for (pop, f) in plan.vims {
        vim_rows.push(f.into_active(key, pop_id(&pop)?, now)?);
    }
    for chunk in vim_rows.chunks(CHUNK) {
        vims::entity::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
    }
    let mut ems_rows = Vec::with_capacity(plan.ems.len());
    for (pop, f) in plan.ems {
        ems_rows.push(f.into_active(key, pop_id(&pop)?, now)?);
    }
    for chunk in ems_rows.chunks(CHUNK) {
        ems::entity::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
    }
    let mut router_rows = Vec::with_capacity(plan.routers.len());
    for (pop, f) in plan.routers {
        router_rows.push(f.into_active(pop_id(&pop)?, now));
    }
    for chunk in router_rows.chunks(CHUNK) {
        routers::entity::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
    }
    Ok(counts)
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What an import job works on.
#[derive(Serialize, Deserialize)]
pub struct Params {
    import_id: i64,
}

async fn set_outcome<C: ConnectionTrait>(conn: &C, id: i64, outcome: &str, errors: Option<&[RowError]>) -> Result<()> {
    let Some(found) = entity::Entity::find_by_id(id).one(conn).await? else { return Ok(()) };
    let mut row: entity::ActiveModel = found.into();
    row.outcome = Set(outcome.to_string());
    if let Some(errors) = errors {
        row.errors = Set(errors_json(errors));
    }
    if outcome != "running" {
        row.finished_at = Set(Some(OffsetDateTime::now_utc()));
    }
    row.update(conn).await?;
    Ok(())
}

/// Runs import jobs.
pub struct ImportHandler {
    pub key: SecretKey,
}

#[async_trait::async_trait]
impl jobs::JobKind for ImportHandler {
    type Params = Params;
    const KEY: &'static str = JOB_KIND;
    const LABEL: &'static str = "POP import";
    const PERMISSION: (Resource, Action) = (Resource::Pops, Action::Create);

    async fn run(&self, ctx: &JobContext, params: Params) -> Result<String, JobFailure> {
        let Params { import_id } = params;
        let actor = ctx.actor().await?;
        ctx.step_started(1).await?;
        let found = entity::Entity::find_by_id(import_id)
            .one(&ctx.db)
            .await
            .map_err(Error::from)?
            .ok_or_else(|| JobFailure::permanent("the import's file is gone"))?;
        let content = match stored_file(&self.key, &found) {
            Ok(c) => c,
            Err(e) => {
                let message = e.to_string();
                set_outcome(&ctx.db, import_id, "failed", Some(&[RowError { line: 0, column: String::new(), message: message.clone() }])).await?;
                return Err(JobFailure::permanent(message));
            }
        };
        let mut row: entity::ActiveModel = found.clone().into();
        row.outcome = Set("running".into());
        row.job_id = Set(Some(ctx.job.id));
        row.update(&ctx.db).await.map_err(Error::from)?;
        ctx.step_done(1, &format!("{} ({} KB)", found.file_name, content.len().div_ceil(1024))).await?;
        ctx.progress(10).await?;

        ctx.step_started(2).await?;
        let checked = match check_file(&ctx.db, &actor, &found.file_name, &content).await {
            Ok(c) => c,
            Err(e) => {
                set_outcome(&ctx.db, import_id, "failed", Some(&[RowError { line: 0, column: String::new(), message: e.to_string() }])).await?;
                return Err(e.into());
            }
        };
        if !checked.errors.is_empty() {
            let bad_rows = checked.errors.iter().map(|e| e.line).collect::<std::collections::BTreeSet<_>>().len();
            let message = format!("{} in {}; nothing was imported", count(checked.errors.len(), "error", "errors"), count(bad_rows, "row", "rows"));
            let mut row: entity::ActiveModel = found.into();
            set_counts(&mut row, &checked);
            row.outcome = Set("failed".into());
            row.finished_at = Set(Some(OffsetDateTime::now_utc()));
            let txn = audit::begin(&ctx.db).await?;
            row.update(txn.conn()).await.map_err(Error::from)?;
            txn.record(&actor, Entry::new("pops.import", "import", import_id, &ctx.job.title).failed(&message).opco(actor.opco_id())).await?;
            txn.commit().await?;
            ctx.step_failed(2, &message).await?;
            return Err(JobFailure::permanent(message));
        }
        ctx.step_done(2, &format!("{} rows, all valid", checked.rows)).await?;
        ctx.progress(40).await?;
        if ctx.cancel_requested() {
            set_outcome(&ctx.db, import_id, "cancelled", None).await?;
            return Err(JobFailure::Cancelled);
        }

        ctx.step_started(3).await?;
        let mut row: entity::ActiveModel = found.into();
        set_counts(&mut row, &checked);
        row.outcome = Set("succeeded".into());
        row.finished_at = Set(Some(OffsetDateTime::now_utc()));
        // No progress or log writes from here to the commit: on SQLite they would wait for this
        // transaction's own write lock.
        let txn = audit::begin(&ctx.db).await?;
        let (p, v, e, r) = write(txn.conn(), &self.key, checked.plan).await?;
        let summary = format!(
            "imported {}, {}, {} EMS and {}",
            count(p, "POP", "POPs"),
            count(v, "VIM", "VIMs"),
            e,
            count(r, "router", "routers")
        );
        row.update(txn.conn()).await.map_err(Error::from)?;
        jobs::set_step(txn.conn(), ctx.job.id, 3, jobs::StepState::Succeeded, &summary).await?;
        jobs::succeed_in(txn.conn(), ctx.job.id, &summary).await?;
        txn.record(&actor, Entry::new("pops.import", "import", import_id, &ctx.job.title).detail(&summary).opco(actor.opco_id())).await?;
        txn.commit().await?;
        Ok(summary)
    }

    async fn abandoned(&self, db: &DatabaseConnection, job: &jobs::Job) -> Result<()> {
        let Ok(Params { import_id }) = serde_json::from_str(&job.params) else { return Ok(()) };
        let message = "the server stopped during the import; nothing was imported (retry the job to run it again)";
        let still_open = entity::Entity::find_by_id(import_id)
            .filter(entity::Column::Outcome.is_in(["queued", "running"]))
            .one(db)
            .await?
            .is_some();
        if still_open {
            set_outcome(db, import_id, "failed", Some(&[RowError { line: 0, column: String::new(), message: message.into() }])).await?;
        }
        Ok(())
    }

    /// A queued import job was cancelled: its history record says so.
    async fn cancelled_before_start(db: &DatabaseConnection, job: &jobs::Job) -> Result<()> {
        let Ok(Params { import_id }) = serde_json::from_str(&job.params) else { return Ok(()) };
        set_outcome(db, import_id, "cancelled", None).await
    }
}
