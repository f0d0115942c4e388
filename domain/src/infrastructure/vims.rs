//! VIMs: the cloud managers (OpenStack or Contrail Cloud) of a POP. Their passwords are sealed at rest
//! and never leave this module in clear: views say only whether one is set.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde_json::json;
use time::OffsetDateTime;

use super::types::{endpoint_url, password, text, VimType};
use super::{child, children_page, delete_child, parent_pop, pop_names, require_child, ChildColumns, ChildQuery, DeletedChild, PopChild, FieldErrors, Listing};
use crate::access::Action;
use crate::audit::{self, Entry};
use crate::secrets::SecretKey;
use crate::{validate, Actor, Result};

pub const PASSWORD_PURPOSE: &str = "vim.password";

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "vims")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub pop_id: i64,
        #[sea_orm(unique)]
        pub name: String,
        pub vim_type: String,
        pub auth_url: String,
        pub region: String,
        pub project: String,
        pub username: String,
        pub password_sealed: String,
        /// The largest VM the VIM's compute hosts take.
        pub max_vcpus: i32,
        pub max_ram_mb: i32,
        pub max_disk_gb: i32,
        /// The last "Test connection": when, whether it passed, and what it found or why not.
        pub checked_at: Option<TimeDateTimeWithTimeZone>,
        pub check_ok: Option<bool>,
        pub check_detail: String,
        pub created_at: TimeDateTimeWithTimeZone,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The form, as typed. An empty password on edit keeps the stored one.
#[derive(Debug, Clone, Default)]
pub struct VimInput {
    pub pop_id: i64,
    pub name: String,
    pub vim_type: String,
    pub auth_url: String,
    pub region: String,
    pub project: String,
    pub username: String,
    pub password: String,
    /// The largest VM, as typed; empty takes [`DEFAULT_LIMITS`].
    pub max_vcpus: String,
    pub max_ram_gb: String,
    pub max_disk_gb: String,
}

/// The largest virtual machine a VIM's compute hosts take: what a VNF flavour must fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VmLimits {
    pub vcpus: u32,
    pub ram_mb: u32,
    pub disk_gb: u32,
}

/// One common two-socket compute host: 64 vCPUs, 256 GiB of RAM, 2,000 GB of disk.
pub const DEFAULT_LIMITS: VmLimits = VmLimits { vcpus: 64, ram_mb: 256 * 1024, disk_gb: 2000 };

fn limit(field: &'static str, raw: &str, default: u32, max: u32) -> Result<u32> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(default);
    }
    match s.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(crate::Error::invalid(field, format!("must be a whole number from 1 to {max}"))),
    }
}

impl VmLimits {
    fn parse(input: &VimInput, e: &mut FieldErrors) -> Option<VmLimits> {
        let vcpus = e.take(limit("max_vcpus", &input.max_vcpus, DEFAULT_LIMITS.vcpus, 4096));
        let ram_gb = e.take(limit("max_ram_gb", &input.max_ram_gb, DEFAULT_LIMITS.ram_mb / 1024, 65536));
        let disk_gb = e.take(limit("max_disk_gb", &input.max_disk_gb, DEFAULT_LIMITS.disk_gb, 1_000_000));
        Some(VmLimits { vcpus: vcpus?, ram_mb: ram_gb?.saturating_mul(1024).min(i32::MAX as u32), disk_gb: disk_gb? })
    }

    fn of(m: &entity::Model) -> VmLimits {
        let u = |n: i32| u32::try_from(n).unwrap_or(0);
        VmLimits { vcpus: u(m.max_vcpus), ram_mb: u(m.max_ram_mb), disk_gb: u(m.max_disk_gb) }
    }

    /// "64 vCPUs, 256 GB RAM, 2000 GB disk".
    pub fn describe(&self) -> String {
        format!("{} vCPUs, {} GB RAM, {} GB disk", self.vcpus, self.ram_mb / 1024, self.disk_gb)
    }
}

/// Parsed fields, shared with the importer. The password is still clear text here: seal it before storing.
#[derive(Debug, Clone)]
pub struct VimFields {
    pub name: String,
    pub vim_type: VimType,
    pub auth_url: url::Url,
    pub region: String,
    pub project: String,
    pub username: String,
    pub password: Option<String>,
    pub limits: VmLimits,
}

impl VimFields {
    pub fn parse(input: &VimInput, password_required: bool) -> Result<VimFields> {
        let mut errors = FieldErrors::default();
        let fields = VimFields::parse_each(input, password_required, &mut errors);
        errors.finish(fields)
    }

    pub fn parse_each(input: &VimInput, password_required: bool, e: &mut FieldErrors) -> Option<VimFields> {
        let name = e.take(validate::name("name", &input.name));
        let vim_type = e.take(VimType::parse("vim_type", &input.vim_type));
        let auth_url = e.take(endpoint_url("auth_url", &input.auth_url));
        let region = e.take(text("region", &input.region, 64, false));
        let project = e.take(text("project", &input.project, 64, false));
        let username = e.take(text("username", &input.username, 128, true));
        let limits = VmLimits::parse(input, e);
        let password = if password_required || !input.password.is_empty() { Some(e.take(password("password", &input.password))?) } else { None };
        Some(VimFields {
            limits: limits?,
            name: name?,
            vim_type: vim_type?,
            auth_url: auth_url?,
            region: region?,
            project: project?,
            username: username?,
            password,
        })
    }

    pub(crate) fn into_active(self, key: &SecretKey, pop_id: i64, now: OffsetDateTime) -> Result<entity::ActiveModel> {
        let mut active = entity::ActiveModel {
            pop_id: Set(pop_id),
            name: Set(self.name),
            vim_type: Set(self.vim_type.key().to_string()),
            auth_url: Set(self.auth_url.to_string()),
            region: Set(self.region),
            project: Set(self.project),
            username: Set(self.username),
            max_vcpus: Set(self.limits.vcpus as i32),
            max_ram_mb: Set(self.limits.ram_mb as i32),
            max_disk_gb: Set(self.limits.disk_gb as i32),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        if let Some(p) = self.password {
            active.password_sealed = Set(key.seal(PASSWORD_PURPOSE, &p)?);
        }
        Ok(active)
    }
}

/// A VIM as pages see it: everything but the password.
#[derive(Debug, Clone)]
pub struct Vim {
    pub id: i64,
    pub pop_id: i64,
    pub pop_name: String,
    pub name: String,
    pub vim_type: String,
    pub auth_url: String,
    pub region: String,
    pub project: String,
    pub username: String,
    pub password_set: bool,
    pub limits: VmLimits,
    /// The last connection test, if any.
    pub check: Option<ConnectionCheck>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// What a VIM's last "Test connection" found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionCheck {
    pub at: OffsetDateTime,
    pub ok: bool,
    /// What the cloud said: the summary, or the failing service and its reason.
    pub detail: String,
}

impl Vim {
    fn from_model(m: entity::Model, pop_name: String) -> Vim {
        let limits = VmLimits::of(&m);
        Vim {
            id: m.id,
            pop_id: m.pop_id,
            pop_name,
            name: m.name,
            vim_type: m.vim_type,
            auth_url: m.auth_url,
            region: m.region,
            project: m.project,
            username: m.username,
            password_set: !m.password_sealed.is_empty(),
            limits,
            check: m.checked_at.map(|at| ConnectionCheck { at, ok: m.check_ok.unwrap_or(false), detail: m.check_detail.clone() }),
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }

    pub fn type_label(&self) -> &'static str {
        VimType::parse("vim_type", &self.vim_type).map_or("Unknown", VimType::label)
    }
}

pub(crate) fn snapshot(v: &entity::Model, pop_name: &str) -> serde_json::Value {
    json!({
        "name": v.name,
        "pop": pop_name,
        "vim_type": v.vim_type,
        "auth_url": v.auth_url,
        "region": v.region,
        "project": v.project,
        "username": v.username,
        "largest_vm": VmLimits::of(v).describe(),
        "password": "(sealed; not kept in the history)",
    })
}

impl PopChild for entity::Entity {
    const WHAT: &'static str = "VIM";

    fn columns() -> ChildColumns<entity::Column> {
        ChildColumns { id: entity::Column::Id, pop_id: entity::Column::PopId, name: entity::Column::Name }
    }

    fn sort_column(key: &str) -> Option<entity::Column> {
        Some(match key {
            "name" => entity::Column::Name,
            "type" => entity::Column::VimType,
            "auth_url" => entity::Column::AuthUrl,
            "region" => entity::Column::Region,
            "project" => entity::Column::Project,
            "username" => entity::Column::Username,
            _ => return None,
        })
    }
}

/// VIMs in the actor's view, optionally of one POP, matching `search` by name.
pub async fn list(db: &DatabaseConnection, actor: &Actor, q: &ChildQuery) -> Result<Listing<Vim>> {
    let (rows, total) = children_page::<entity::Entity>(db, actor, q).await?;
    let names = pop_names(db, rows.iter().map(|r| r.pop_id).collect()).await?;
    Ok(Listing { rows: rows.into_iter().map(|m| { let n = names(m.pop_id); Vim::from_model(m, n) }).collect(), total })
}

async fn model(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<entity::Model> {
    child::<entity::Entity>(db, actor, id).await
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Vim> {
    let m = model(db, actor, id).await?;
    let names = pop_names(db, vec![m.pop_id]).await?;
    let n = names(m.pop_id);
    Ok(Vim::from_model(m, n))
}

/// The VIM of this name, when the actor sees it.
pub async fn find_by_name(db: &DatabaseConnection, actor: &Actor, name: &str) -> Result<Option<Vim>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    require_child(actor, Action::View)?;
    match entity::Entity::find().filter(entity::Column::Name.eq(name)).one(db).await? {
        Some(m) => get(db, actor, m.id).await.map(Some),
        None => Ok(None),
    }
}

pub async fn create(db: &DatabaseConnection, key: &SecretKey, actor: &Actor, input: VimInput) -> Result<Vim> {
    require_child(actor, Action::Create)?;
    let fields = VimFields::parse(&input, true)?;
    let pop = parent_pop(db, actor, input.pop_id).await?;
    let active = fields.into_active(key, pop.id, OffsetDateTime::now_utc())?;
    let txn = audit::begin(db).await?;
    let m = active.insert(txn.conn()).await.map_err(|e| validate::unique(e, "name", "a VIM"))?;
    let entry = Entry::new("vim.create", "vim", m.id, &m.name)
        .set("pop", &pop.name)
        .set("vim_type", &m.vim_type)
        .set("auth_url", &m.auth_url)
        .set("username", &m.username)
        .detail("password set")
        .opco(pop.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(Vim::from_model(m, pop.name))
}

/// Edits a VIM; its name stays. An empty password keeps the stored one.
pub async fn update(db: &DatabaseConnection, key: &SecretKey, actor: &Actor, id: i64, input: VimInput) -> Result<Vim> {
    require_child(actor, Action::Edit)?;
    let before = model(db, actor, id).await?;
    let fields = VimFields::parse(&VimInput { name: before.name.clone(), ..input.clone() }, false)?;
    let password_changed = fields.password.is_some();
    let pop = parent_pop(db, actor, input.pop_id).await?;
    let mut active = fields.into_active(key, pop.id, OffsetDateTime::now_utc())?;
    active.id = Set(id);
    active.created_at = Set(before.created_at);
    let txn = audit::begin(db).await?;
    let after = active.update(txn.conn()).await?;
    let entry = Entry::new("vim.update", "vim", id, &after.name)
        .change("pop_id", before.pop_id, after.pop_id)
        .change("vim_type", &before.vim_type, &after.vim_type)
        .change("auth_url", &before.auth_url, &after.auth_url)
        .change("region", &before.region, &after.region)
        .change("project", &before.project, &after.project)
        .change("username", &before.username, &after.username)
        .change("largest_vm", VmLimits::of(&before).describe(), VmLimits::of(&after).describe())
        .detail(if password_changed { "password changed" } else { "" })
        .opco(pop.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(Vim::from_model(after, pop.name))
}

/// Deletes a VIM, keeping a snapshot (without its password) in the deletion history.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    require_child(actor, Action::Delete)?;
    let m = model(db, actor, id).await?;
    let d = DeletedChild { kind: "vim", action: "vim.delete", id, name: &m.name, pop_id: m.pop_id };
    delete_child::<entity::Entity>(db, actor, d, |pop| snapshot(&m, pop)).await
}

/// How long a connection test may take in all.
pub const TEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Logs in to the VIM with its sealed password and reads its flavours, images and networks;
/// records what it found on the VIM (the VIMs page shows it) and in the audit trail. A cloud that
/// refuses or does not answer is a finding, not an error: the result says which service and why.
pub async fn test_connection(db: &DatabaseConnection, key: &SecretKey, cloud: &dyn super::cloud::CloudConnector, actor: &Actor, id: i64) -> Result<Vim> {
    // The password is opened for this: as much as editing the VIM.
    require_child(actor, Action::Edit)?;
    let m = model(db, actor, id).await?;
    let password = if m.password_sealed.is_empty() { secrecy::SecretString::from(String::new()) } else { key.open(PASSWORD_PURPOSE, &m.password_sealed)? };
    let access = super::cloud::VimAccess { auth_url: m.auth_url.clone(), region: m.region.clone(), project: m.project.clone(), username: m.username.clone(), password };
    let started = std::time::Instant::now();
    let outcome = match tokio::time::timeout(TEST_TIMEOUT, cloud.probe(&access, TEST_TIMEOUT)).await {
        Ok(r) => r,
        Err(_) => Err(super::cloud::CloudFailure { service: "Keystone".into(), message: format!("no answer within {} s", TEST_TIMEOUT.as_secs()) }),
    };
    let ms = started.elapsed().as_millis();
    let (ok, detail) = match &outcome {
        Ok(p) => (true, describe_probe(p, ms)),
        Err(f) => (false, format!("{f} (after {ms} ms)")),
    };
    let detail: String = detail.chars().take(1000).collect();
    let now = OffsetDateTime::now_utc();
    let pop = super::pops::entity::Entity::find_by_id(m.pop_id).one(db).await?;
    let (pop_name, opco) = pop.map_or((String::new(), None), |p| (p.name, p.opco_id));
    let txn = audit::begin(db).await?;
    let mut a: entity::ActiveModel = m.clone().into();
    a.checked_at = Set(Some(now));
    a.check_ok = Set(Some(ok));
    a.check_detail = Set(detail.clone());
    let after = a.update(txn.conn()).await?;
    let entry = Entry::new("vim.test", "vim", id, &m.name).set("result", if ok { "connected" } else { "failed" }).detail(&detail).opco(opco);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(Vim::from_model(after, pop_name))
}

/// "Connected in 23 ms: project portico (token until …); Nova 5 flavours, largest m1.xlarge …".
fn describe_probe(p: &super::cloud::Probe, ms: u128) -> String {
    let largest = p
        .largest_flavor
        .as_ref()
        .map(|(name, vcpus, ram, disk)| format!(", largest {name} ({vcpus} vCPUs, {} GB RAM, {disk} GB disk)", ram / 1024))
        .unwrap_or_default();
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "Connected in {ms} ms: Keystone v3 token for project {} (expires {}); Nova {}{largest}; Glance {}; Neutron {}. Services: {}.",
        p.project,
        if p.token_expires.is_empty() { "unknown" } else { &p.token_expires },
        plural(p.flavors, "flavour", "flavours"),
        plural(p.images, "image", "images"),
        plural(p.networks, "network", "networks"),
        p.services.join(", ")
    )
}

/// The largest VM of every VIM, with its POP's and its own name: what a VNF flavour must fit. Read
/// by the Resource Designer's validation, which names no VIM to its caller beyond these.
pub async fn all_limits(db: &DatabaseConnection) -> Result<Vec<(String, String, VmLimits)>> {
    use sea_orm::QueryOrder;
    let rows = entity::Entity::find().order_by_asc(entity::Column::Name).all(db).await?;
    let names = pop_names(db, rows.iter().map(|r| r.pop_id).collect()).await?;
    Ok(rows.iter().map(|m| (names(m.pop_id), m.name.clone(), VmLimits::of(m))).collect())
}
