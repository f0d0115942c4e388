//! Managing users: the list an administrator sees, creating, editing, disabling, deleting, resetting
//! passwords and unlocking. An administrator manages the users their scope covers, gives only roles of
//! the user's level, and never grants more than they hold.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use super::{entity, history, passwords, User};
use crate::access::{self, Action, Permissions, Resource};
use crate::audit::{self, Entry};
use crate::{opcos, roles, sessions, tenants, validate, Actor, Error, Home, Level, Result, Role, TenantScope};

/// Users the actor's scope covers, as a condition.
fn visible(actor: &Actor) -> Condition {
    match actor.tenant_scope() {
        TenantScope::All => Condition::all(),
        TenantScope::One(t) => Condition::all().add(entity::Column::TenantId.eq(t)),
        TenantScope::Opco(o) => Condition::any()
            .add(entity::Column::OpcoId.eq(o))
            .add(tenants::scope_condition(TenantScope::Opco(o), entity::Column::TenantId)),
    }
}

/// A row of the Users page.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub user: User,
    pub role_label: String,
    /// "Service provider", "OpCo acme", "Tenant blue-bank".
    pub home_label: String,
}

/// The user's role name (from the built-in table or the custom role's row) and what it lets them
/// do: the role's permissions within the ceiling of the user's level, so a custom role (or a stored
/// one edited outside the portal) never reaches beyond the holder's own scope, whatever its matrix
/// says.
pub async fn role_of<C: ConnectionTrait>(conn: &C, user: &User) -> Result<(String, Permissions)> {
    let ceiling = access::ceiling(user.home().level());
    match (user.role, user.custom_role_id) {
        (Role::Custom, Some(id)) => {
            let role = roles::find(conn, id).await?.ok_or(Error::Forbidden)?;
            Ok((role.name, role.permissions.intersect(ceiling)))
        }
        (Role::Custom, None) => Ok((Role::Custom.label().to_string(), Permissions::NONE)),
        (r, _) => Ok((r.label().to_string(), access::builtin(r).intersect(ceiling))),
    }
}

/// The actor for a signed-in user, with the tenant they chose if their home still covers it.
pub async fn actor_for(db: &DatabaseConnection, user: &User, selected_tenant: Option<i64>, client_addr: &str) -> Result<Actor> {
    let (role_label, permissions) = role_of(db, user).await?;
    let mut actor = Actor {
        user_id: user.id,
        username: user.username.clone(),
        role: user.role,
        role_label,
        home: user.home(),
        permissions,
        selected_tenant: None,
        client_addr: client_addr.to_string(),
    };
    if let (Some(t), false) = (selected_tenant, matches!(actor.home, Home::Tenant(_))) {
        if tenants::within_home(db, &actor, t).await? {
            actor.selected_tenant = Some(t);
        }
    }
    Ok(actor)
}

async fn home_label<C: ConnectionTrait>(conn: &C, user: &User) -> Result<String> {
    Ok(match user.home() {
        Home::ServiceProvider => "Service provider".to_string(),
        Home::Opco(o) => format!("OpCo {}", opcos::entity::Entity::find_by_id(o).one(conn).await?.map_or_else(|| o.to_string(), |o| o.name)),
        Home::Tenant(t) => format!("Tenant {}", tenants::entity::Entity::find_by_id(t).one(conn).await?.map_or_else(|| t.to_string(), |t| t.name)),
    })
}

/// A page of users, by user name, matching a search on user name, display name or e-mail; with the total.
pub async fn list(db: &DatabaseConnection, actor: &Actor, search: &str, page: u64, per_page: u64) -> Result<(Vec<UserRow>, u64)> {
    actor.require(Resource::Users, Action::View)?;
    let mut q = entity::Entity::find().filter(visible(actor));
    let s = validate::search(search)?;
    if !s.is_empty() {
        q = q.filter(
            Condition::any()
                .add(entity::Column::Username.contains(s))
                .add(entity::Column::DisplayName.contains(s))
                .add(entity::Column::Email.contains(s)),
        );
    }
    let total = q.clone().count(db).await?;
    let users = q.order_by_asc(entity::Column::Username).offset(crate::paging::offset0(page, per_page)).limit(per_page).all(db).await?;
    // Names of the homes and roles on this page, fetched once each rather than per row.
    let tenant_ids: Vec<i64> = users.iter().filter_map(|u| u.tenant_id).collect();
    let opco_ids: Vec<i64> = users.iter().filter_map(|u| u.opco_id).collect();
    let tenant_names: Vec<(i64, String)> = tenants::entity::Entity::find()
        .select_only()
        .column(tenants::entity::Column::Id)
        .column(tenants::entity::Column::Name)
        .filter(tenants::entity::Column::Id.is_in(tenant_ids))
        .into_tuple()
        .all(db)
        .await?;
    let opco_names: Vec<(i64, String)> = opcos::entity::Entity::find()
        .select_only()
        .column(opcos::entity::Column::Id)
        .column(opcos::entity::Column::Name)
        .filter(opcos::entity::Column::Id.is_in(opco_ids))
        .into_tuple()
        .all(db)
        .await?;
    let custom: Vec<(i64, String)> = roles::entity::Entity::find()
        .select_only()
        .column(roles::entity::Column::Id)
        .column(roles::entity::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    let name_in = |list: &[(i64, String)], id: i64| list.iter().find(|(i, _)| *i == id).map_or_else(|| id.to_string(), |(_, n)| n.clone());
    let rows = users
        .into_iter()
        .map(|user| {
            let home_label = match user.home() {
                Home::ServiceProvider => "Service provider".to_string(),
                Home::Opco(o) => format!("OpCo {}", name_in(&opco_names, o)),
                Home::Tenant(t) => format!("Tenant {}", name_in(&tenant_names, t)),
            };
            let role_label = match (user.role, user.custom_role_id) {
                (Role::Custom, Some(id)) => name_in(&custom, id),
                (r, _) => r.label().to_string(),
            };
            UserRow { user, role_label, home_label }
        })
        .collect();
    Ok((rows, total))
}

/// One user the actor's scope covers; anyone else is "not found".
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<UserRow> {
    actor.require(Resource::Users, Action::View)?;
    let user = entity::Entity::find_by_id(id).filter(visible(actor)).one(db).await?.ok_or(Error::NotFound("user"))?;
    let (role_label, _) = role_of(db, &user).await?;
    let home_label = home_label(db, &user).await?;
    Ok(UserRow { user, role_label, home_label })
}

/// A role choice: a built-in key (`tenant_admin`) or `custom:<id>`.
async fn parse_role(db: &DatabaseConnection, actor: &Actor, raw: &str) -> Result<(Role, Option<i64>, Level, Permissions)> {
    let raw = raw.trim();
    let (role, custom, level, permissions) = if let Some(id) = raw.strip_prefix("custom:") {
        let id: i64 = id.parse().map_err(|_| Error::invalid("role", "is not a known role"))?;
        let custom = roles::find(db, id).await?.ok_or_else(|| Error::invalid("role", "is not a known role"))?;
        (Role::Custom, Some(custom.id), custom.level, custom.permissions)
    } else {
        let role = Role::from_key(raw).ok_or_else(|| Error::invalid("role", "is not a known role"))?;
        (role, None, role.level().unwrap_or(Level::ServiceProvider), access::builtin(role))
    };
    // What the role would really let its holder do: nothing beyond the level's ceiling.
    let permissions = permissions.intersect(access::ceiling(level));
    if !permissions.is_subset_of(actor.permissions) {
        return Err(Error::invalid("role", "grants more than your own role; ask someone who holds it"));
    }
    let allowed_levels: &[Level] = match actor.home {
        Home::ServiceProvider => &[Level::ServiceProvider, Level::Opco, Level::Tenant],
        Home::Opco(_) => &[Level::Opco, Level::Tenant],
        Home::Tenant(_) => &[Level::Tenant],
    };
    if !allowed_levels.contains(&level) {
        return Err(Error::invalid("role", "is above your scope"));
    }
    Ok((role, custom, level, permissions))
}

#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: String,
    /// For tenant-level roles: the tenant's name (defaults to the tenant chosen in the header).
    pub tenant: String,
    /// For OpCo-level roles given by an SP user: the OpCo's name.
    pub opco: String,
    /// `temporary` (show a one-time password) or `invite` (e-mail a link).
    pub password_mode: String,
}

/// The home a new user gets from the role's level and the form.
async fn parse_home(db: &DatabaseConnection, actor: &Actor, level: Level, input: &UserInput) -> Result<Home> {
    match level {
        Level::ServiceProvider => Ok(Home::ServiceProvider),
        Level::Opco => match actor.home {
            Home::Opco(o) => Ok(Home::Opco(o)),
            _ => {
                let name = input.opco.trim();
                if name.is_empty() {
                    return Err(Error::invalid("opco", "is required for an OpCo role"));
                }
                let opco = opcos::entity::Entity::find()
                    .filter(opcos::entity::Column::Name.eq(name))
                    .one(db)
                    .await?
                    .ok_or_else(|| Error::invalid("opco", "names no operating company"))?;
                Ok(Home::Opco(opco.id))
            }
        },
        Level::Tenant => {
            if let Home::Tenant(t) = actor.home {
                return Ok(Home::Tenant(t));
            }
            let name = input.tenant.trim();
            let tenant = if name.is_empty() {
                match actor.selected_tenant {
                    Some(t) => tenants::entity::Entity::find_by_id(t).one(db).await?,
                    None => return Err(Error::invalid("tenant", "is required for a tenant role")),
                }
            } else {
                tenants::find_by_name(db, actor, name).await?
            };
            Ok(Home::Tenant(tenant.ok_or_else(|| Error::invalid("tenant", "names no tenant you manage"))?.id))
        }
    }
}

/// What creating a user produced: the one-time password to hand over, or where the invitation went.
#[derive(Debug, Clone)]
pub struct Created {
    pub user: User,
    pub temporary_password: Option<String>,
    pub invited: bool,
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, input: UserInput, public_url: &str) -> Result<Created> {
    actor.require(Resource::Users, Action::Create)?;
    let username = validate::name("username", &input.username)?;
    let display_name = validate::display_name("display_name", &input.display_name)?;
    let email = validate::email(&input.email)?;
    let (role, custom_role_id, level, _) = parse_role(db, actor, &input.role).await?;
    let home = parse_home(db, actor, level, &input).await?;
    let invite = match input.password_mode.trim() {
        "invite" if email.is_empty() => return Err(Error::invalid("email", "is required to send an invitation")),
        "invite" => true,
        "temporary" | "" => false,
        _ => return Err(Error::invalid("password_mode", "must be a temporary password or an invitation")),
    };
    let temporary = passwords::generate();
    let hash = passwords::hash_async(temporary.clone()).await?;
    let (tenant_id, opco_id) = match home {
        Home::ServiceProvider => (None, None),
        Home::Opco(o) => (None, Some(o)),
        Home::Tenant(t) => (Some(t), None),
    };
    let now = OffsetDateTime::now_utc();
    let txn = audit::begin(db).await?;
    let user = entity::ActiveModel {
        username: Set(username),
        display_name: Set(display_name),
        role: Set(role),
        tenant_id: Set(tenant_id),
        password_hash: Set(hash.clone()),
        must_change_password: Set(true),
        password_changed_at: Set(now),
        created_at: Set(now),
        email: Set(email),
        opco_id: Set(opco_id),
        custom_role_id: Set(custom_role_id),
        disabled: Set(false),
        unlocked_at: Set(None),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "username", "a user"))?;
    history::remember(txn.conn(), user.id, &hash).await?;
    if invite {
        super::recovery::invite(txn.conn(), &user, public_url).await?;
    }
    let (role_label, _) = role_of(txn.conn(), &user).await?;
    let entry = Entry::new("user.create", "user", user.id, &user.username)
        .set("display_name", &user.display_name)
        .set("email", &user.email)
        .set("role", role_label)
        .set("home", home_label(txn.conn(), &user).await?)
        .detail(if invite { "invitation sent" } else { "temporary password issued" })
        .tenant(tenant_id)
        .opco(opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(Created { temporary_password: (!invite).then_some(temporary), invited: invite, user })
}

/// Display name, e-mail and role; the home scope never changes.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: UserInput) -> Result<User> {
    actor.require(Resource::Users, Action::Edit)?;
    let before = get(db, actor, id).await?;
    let display_name = validate::display_name("display_name", &input.display_name)?;
    let email = validate::email(&input.email)?;
    let (role, custom_role_id, level, _) = parse_role(db, actor, &input.role).await?;
    if level != before.user.home().level() {
        return Err(Error::invalid("role", "must be a role of the user's own level"));
    }
    if id == actor.user_id && (role != before.user.role || custom_role_id != before.user.custom_role_id) {
        return Err(Error::invalid("role", "cannot be changed for yourself"));
    }
    if before.user.role == Role::SpAdmin && role != Role::SpAdmin {
        ensure_another_sp_admin(db, id).await?;
    }
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = before.user.clone().into();
    active.display_name = Set(display_name);
    active.email = Set(email);
    active.role = Set(role);
    active.custom_role_id = Set(custom_role_id);
    let after = active.update(txn.conn()).await?;
    let (after_role, _) = role_of(txn.conn(), &after).await?;
    let entry = Entry::new("user.update", "user", id, &after.username)
        .change("display_name", &before.user.display_name, &after.display_name)
        .change("email", &before.user.email, &after.email)
        .change("role", &before.role_label, after_role)
        .tenant(after.tenant_id)
        .opco(after.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// The portal must keep at least one enabled SP administrator.
async fn ensure_another_sp_admin(db: &DatabaseConnection, except: i64) -> Result<()> {
    let others = entity::Entity::find()
        .filter(entity::Column::Role.eq(Role::SpAdmin))
        .filter(entity::Column::Disabled.eq(false))
        .filter(entity::Column::Id.ne(except))
        .count(db)
        .await?;
    if others == 0 {
        Err(Error::Conflict("This is the last enabled SP administrator; make another one first.".into()))
    } else {
        Ok(())
    }
}

/// Disabling also ends the user's sessions.
pub async fn set_disabled(db: &DatabaseConnection, actor: &Actor, id: i64, disabled: bool) -> Result<()> {
    actor.require(Resource::Users, Action::Edit)?;
    let row = get(db, actor, id).await?;
    if id == actor.user_id {
        return Err(Error::Conflict("You cannot disable your own account.".into()));
    }
    if disabled && row.user.role == Role::SpAdmin {
        ensure_another_sp_admin(db, id).await?;
    }
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = row.user.clone().into();
    active.disabled = Set(disabled);
    active.update(txn.conn()).await?;
    if disabled {
        sessions::delete_for_user(txn.conn(), id).await?;
    }
    let action = if disabled { "user.disable" } else { "user.enable" };
    let entry = Entry::new(action, "user", id, &row.user.username)
        .change("disabled", row.user.disabled, disabled)
        .tenant(row.user.tenant_id)
        .opco(row.user.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await
}

pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Resource::Users, Action::Delete)?;
    let row = get(db, actor, id).await?;
    if id == actor.user_id {
        return Err(Error::Conflict("You cannot delete your own account.".into()));
    }
    if row.user.role == Role::SpAdmin {
        ensure_another_sp_admin(db, id).await?;
    }
    let txn = audit::begin(db).await?;
    entity::Entity::delete_by_id(id).exec(txn.conn()).await?;
    let entry = Entry::new("user.delete", "user", id, &row.user.username)
        .change("username", &row.user.username, "")
        .change("role", &row.role_label, "")
        .tenant(row.user.tenant_id)
        .opco(row.user.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await
}

/// Issues a one-time temporary password, to be changed at next sign-in, and ends the user's sessions.
pub async fn reset_password(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<String> {
    actor.require(Resource::Users, Action::Edit)?;
    let row = get(db, actor, id).await?;
    if id == actor.user_id {
        return Err(Error::Conflict("Use Change password for your own account.".into()));
    }
    let temporary = passwords::generate();
    let hash = passwords::hash_async(temporary.clone()).await?;
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = row.user.clone().into();
    active.password_hash = Set(hash.clone());
    active.must_change_password = Set(true);
    active.password_changed_at = Set(OffsetDateTime::now_utc());
    active.update(txn.conn()).await?;
    history::remember(txn.conn(), id, &hash).await?;
    sessions::delete_for_user(txn.conn(), id).await?;
    let entry = Entry::new("user.password_reset", "user", id, &row.user.username)
        .detail("temporary password issued by an administrator")
        .tenant(row.user.tenant_id)
        .opco(row.user.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(temporary)
}

/// Lifts a lockout: failures before now no longer count.
pub async fn unlock(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Resource::Users, Action::Operate)?;
    let row = get(db, actor, id).await?;
    let txn = audit::begin(db).await?;
    let mut active: entity::ActiveModel = row.user.clone().into();
    active.unlocked_at = Set(Some(OffsetDateTime::now_utc()));
    active.update(txn.conn()).await?;
    let entry = Entry::new("user.unlock", "user", id, &row.user.username).tenant(row.user.tenant_id).opco(row.user.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await
}

/// Whether the account is locked now, for the user page.
pub async fn locked_until(db: &DatabaseConnection, user: &User) -> Result<Option<OffsetDateTime>> {
    let policy = crate::settings::policy(db).await?;
    super::sign_in::locked_until(db, &policy, &user.username, user.unlocked_at).await
}

/// (built-in role, custom role id, users) for every role in use among the users the actor's scope
/// covers: a tenant administrator counts their own tenant's users, not the portal's.
pub async fn role_counts(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<(Role, Option<i64>, u64)>> {
    let rows: Vec<(Role, Option<i64>, i64)> = entity::Entity::find()
        .filter(visible(actor))
        .select_only()
        .column(entity::Column::Role)
        .column(entity::Column::CustomRoleId)
        .column_as(entity::Column::Id.count(), "n")
        .group_by(entity::Column::Role)
        .group_by(entity::Column::CustomRoleId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(r, c, n)| (r, c, u64::try_from(n).unwrap_or(0))).collect())
}

pub async fn count_with_custom_role(db: &DatabaseConnection, role_id: i64) -> Result<u64> {
    Ok(entity::Entity::find().filter(entity::Column::CustomRoleId.eq(role_id)).count(db).await?)
}

pub async fn usernames_with_custom_role(db: &DatabaseConnection, role_id: i64) -> Result<Vec<String>> {
    crate::db::names::<entity::Entity, _>(db, entity::Column::Username, entity::Column::CustomRoleId, role_id).await
}

/// How many users the actor's scope covers.
pub async fn count_visible(db: &DatabaseConnection, actor: &Actor) -> Result<u64> {
    Ok(entity::Entity::find().filter(visible(actor)).count(db).await?)
}

/// The roles the actor may give, for the user form: (key, label, level).
pub async fn assignable_roles(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<(String, String, Level)>> {
    let mut out = Vec::new();
    for role in Role::BUILT_IN {
        if parse_role(db, actor, role.key()).await.is_ok() {
            out.push((role.key().to_string(), role.label().to_string(), role.level().unwrap_or(Level::ServiceProvider)));
        }
    }
    for role in roles::entity::Entity::find().order_by_asc(roles::entity::Column::Name).all(db).await? {
        let key = format!("custom:{}", role.id);
        if let Ok((_, _, level, _)) = parse_role(db, actor, &key).await {
            out.push((key, role.name, level));
        }
    }
    Ok(out)
}
