//! VIMs: the cloud managers (OpenStack or Contrail Cloud) of a POP. Their passwords are sealed at rest
//! and never leave this module in clear: views say only whether one is set.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};
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
        let password = if password_required || !input.password.is_empty() { Some(e.take(password("password", &input.password))?) } else { None };
        Some(VimFields {
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
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Vim {
    fn from_model(m: entity::Model, pop_name: String) -> Vim {
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
