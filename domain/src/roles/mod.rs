//! Roles: the built-in ones (fixed, from `access::builtin`) and custom ones defined by a permission
//! matrix. Only the SP defines custom roles; administrators at any level may give one to their users
//! when it is of the users' level and grants nothing the administrator lacks.

pub mod entity;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use time::OffsetDateTime;

use crate::access::{self, Action, Permissions, Resource};
use crate::audit::{self, Entry};
use crate::{users, validate, Actor, Error, Level, Result, Role};

/// A role as the Roles page lists it.
#[derive(Debug, Clone)]
pub struct RoleSummary {
    /// `None` for built-in roles.
    pub id: Option<i64>,
    pub key: String,
    pub name: String,
    pub description: String,
    pub level: Level,
    pub permissions: Permissions,
    pub users: u64,
}

#[derive(Debug, Clone)]
pub struct CustomRole {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub level: Level,
    pub permissions: Permissions,
}

impl TryFrom<entity::Model> for CustomRole {
    type Error = Error;
    fn try_from(m: entity::Model) -> Result<Self> {
        let keys: Vec<String> = serde_json::from_str(&m.permissions).map_err(|e| Error::Internal(format!("role {}: {e}", m.id)))?;
        Ok(CustomRole {
            id: m.id,
            level: Level::from_key(&m.level).ok_or_else(|| Error::Internal(format!("role {}: bad level", m.id)))?,
            permissions: Permissions::from_keys(&keys)?,
            name: m.name,
            description: m.description,
        })
    }
}

fn built_in_description(role: Role) -> &'static str {
    match role {
        Role::SpAdmin => "Everything in the Administration Portal, for all tenants.",
        Role::SpOperator => "Reads everything; acknowledges alarms and runs device jobs.",
        Role::OpcoAdmin => "Manages the tenants, users and devices of one operating company.",
        Role::OpcoOperator => "Reads what its operating company owns.",
        Role::TenantAdmin => "Manages one tenant's sites, devices, users and policies.",
        Role::TenantOperator => "Reads one tenant's data and acknowledges alarms.",
        Role::Designer => "Designs templates, VNF packages and network services; no tenant data.",
        Role::Custom => "",
    }
}

/// Whether roles of `level` concern the actor: those of their own level and below. A tenant
/// administrator has no business with the SP's or an OpCo's roles, nor with who holds them.
fn concerns(actor: &Actor, level: Level) -> bool {
    match actor.home.level() {
        Level::ServiceProvider => true,
        Level::Opco => level != Level::ServiceProvider,
        Level::Tenant => level == Level::Tenant,
    }
}

/// The roles of the actor's level and below, each with how many of the users in the actor's scope
/// hold it.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<RoleSummary>> {
    actor.require(Resource::Roles, Action::View)?;
    let counts = users::accounts::role_counts(db, actor).await?;
    let mut out: Vec<RoleSummary> = Role::BUILT_IN
        .iter()
        .filter(|r| concerns(actor, r.level().unwrap_or(Level::ServiceProvider)))
        .map(|r| RoleSummary {
            id: None,
            key: r.key().to_string(),
            name: r.label().to_string(),
            description: built_in_description(*r).to_string(),
            level: r.level().unwrap_or(Level::ServiceProvider),
            permissions: access::builtin(*r),
            users: counts.iter().find(|(role, custom, _)| role == r && custom.is_none()).map_or(0, |c| c.2),
        })
        .collect();
    for m in entity::Entity::find().order_by_asc(entity::Column::Name).all(db).await? {
        let role = CustomRole::try_from(m)?;
        if !concerns(actor, role.level) {
            continue;
        }
        out.push(RoleSummary {
            id: Some(role.id),
            key: format!("custom:{}", role.id),
            users: counts.iter().find(|(_, custom, _)| *custom == Some(role.id)).map_or(0, |c| c.2),
            name: role.name,
            description: role.description,
            level: role.level,
            permissions: role.permissions,
        });
    }
    Ok(out)
}

/// A custom role of the actor's level or below; any other answers "not found".
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<CustomRole> {
    actor.require(Resource::Roles, Action::View)?;
    find(db, id).await?.filter(|r| concerns(actor, r.level)).ok_or(Error::NotFound("role"))
}

/// Without a permission check: for building actors.
pub async fn find(db: &impl sea_orm::ConnectionTrait, id: i64) -> Result<Option<CustomRole>> {
    entity::Entity::find_by_id(id).one(db).await?.map(CustomRole::try_from).transpose()
}

#[derive(Debug, Clone, Default)]
pub struct RoleInput {
    pub name: String,
    pub description: String,
    pub level: String,
    /// Checked boxes of the matrix: `tenants.view`, …
    pub permissions: Vec<String>,
}

fn parse(actor: &Actor, input: &RoleInput) -> Result<(String, Level, Permissions)> {
    let description = validate::description(&input.description)?;
    let level = Level::from_key(input.level.trim()).ok_or_else(|| Error::invalid("level", "must be service provider, operating company or tenant"))?;
    let permissions = Permissions::from_keys(&input.permissions)?;
    if permissions.is_empty() {
        return Err(Error::invalid("permissions", "must include at least one permission"));
    }
    let beyond = permissions.without(access::ceiling(level));
    if !beyond.is_empty() {
        return Err(Error::invalid(
            "permissions",
            format!("A {} role cannot have {}: those objects are owned above its scope", level.label().to_lowercase(), labels(beyond)),
        ));
    }
    if !permissions.is_subset_of(actor.permissions) {
        return Err(Error::invalid("permissions", "include some you do not have yourself"));
    }
    Ok((description, level, permissions))
}

/// "Device templates: Edit, Delete; POPs: View" — a permission set as people read it.
fn labels(p: Permissions) -> String {
    Resource::ALL
        .iter()
        .filter_map(|r| {
            let actions: Vec<&str> = Action::ALL.iter().filter(|a| p.allows(*r, **a)).map(|a| a.label()).collect();
            (!actions.is_empty()).then(|| format!("{}: {}", r.label(), actions.join(", ")))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: RoleInput) -> Result<CustomRole> {
    actor.require(Resource::Roles, Action::Create)?;
    actor.require_service_provider()?;
    let name = validate::display_name("name", &input.name)?;
    let (description, level, permissions) = parse(actor, &input)?;
    let txn = audit::begin(db).await?;
    let m = entity::ActiveModel {
        name: Set(name),
        description: Set(description),
        level: Set(level.key().to_string()),
        permissions: Set(serde_json::to_string(&permissions.keys()).unwrap_or_else(|_| "[]".into())),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "name", "a role"))?;
    let entry = Entry::new("role.create", "role", m.id, &m.name)
        .set("level", level.label())
        .set("permissions", permissions.keys().join(" "));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    CustomRole::try_from(m)
}

pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: RoleInput) -> Result<CustomRole> {
    actor.require(Resource::Roles, Action::Edit)?;
    actor.require_service_provider()?;
    let before_model = entity::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("role"))?;
    let before = CustomRole::try_from(before_model.clone())?;
    let name = validate::display_name("name", &input.name)?;
    let (description, level, permissions) = parse(actor, &input)?;
    if level != before.level && users::accounts::count_with_custom_role(db, id).await? > 0 {
        return Err(Error::invalid("level", "cannot change while users hold this role"));
    }
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = before_model.into();
    active.name = Set(name);
    active.description = Set(description);
    active.level = Set(level.key().to_string());
    active.permissions = Set(serde_json::to_string(&permissions.keys()).unwrap_or_else(|_| "[]".into()));
    let after = active.update(txn.conn()).await.map_err(|e| validate::unique(e, "name", "a role"))?;
    let entry = Entry::new("role.update", "role", id, &after.name)
        .change("name", &before.name, &after.name)
        .change("description", &before.description, &after.description)
        .change("level", before.level.label(), level.label())
        .change("permissions", before.permissions.keys().join(" "), permissions.keys().join(" "));
    txn.record(actor, entry).await?;
    txn.commit().await?;
    CustomRole::try_from(after)
}

/// Refused while users hold the role: they would be left with no permissions at all.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Resource::Roles, Action::Delete)?;
    actor.require_service_provider()?;
    let role = get(db, actor, id).await?;
    let holders = users::accounts::usernames_with_custom_role(db, id).await?;
    if !holders.is_empty() {
        return Err(Error::Conflict(format!(
            "{} is held by {} user(s): {}. Give them another role first.",
            role.name,
            holders.len(),
            holders.join(", ")
        )));
    }
    let txn = audit::begin(db).await?;
    entity::Entity::delete_by_id(id).exec(txn.conn()).await?;
    txn.record(actor, Entry::new("role.delete", "role", id, &role.name).change("name", &role.name, "")).await?;
    txn.commit().await
}

/// Custom roles of a level, for the user form's role list.
pub async fn custom_for_level(db: &DatabaseConnection, level: Level) -> Result<Vec<CustomRole>> {
    entity::Entity::find()
        .filter(entity::Column::Level.eq(level.key()))
        .order_by_asc(entity::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(CustomRole::try_from)
        .collect()
}
