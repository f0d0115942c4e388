//! Departments of a tenant: groups (finance, guests, …) that share a CPE, each LAN segment belonging to
//! at most one, each with its own security zone on the device.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::entity::{department, lan_segment, site};
use super::{target_tenant, Department};
use crate::access::{Action, Resource};
use crate::audit::{self, Entry};
use crate::{tenants, validate, Actor, Error, Result};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DepartmentInput {
    pub name: String,
    pub description: String,
    /// A tenant's id (or name); empty for the actor's tenant.
    pub tenant: String,
}

/// A department name: it becomes the zone `dept-<name>` on devices, so 1–32 letters, digits, `_`, `-`.
fn department_name(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 32 || !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')) {
        return Err(Error::invalid("name", "must be 1 to 32 letters, digits, '_' or '-' (it names a security zone)"));
    }
    Ok(s.to_string())
}

/// The departments the actor's scope covers, of one tenant when given, by name.
pub async fn departments(db: &DatabaseConnection, actor: &Actor, tenant_id: Option<i64>) -> Result<Vec<Department>> {
    actor.require(Resource::Sites, Action::View)?;
    let mut q = department::Entity::find().filter(tenants::scope_condition(actor.tenant_scope(), department::Column::TenantId));
    if let Some(t) = tenant_id {
        q = q.filter(department::Column::TenantId.eq(t));
    }
    Ok(q.order_by_asc(department::Column::Name).all(db).await?)
}

pub async fn create_department(db: &DatabaseConnection, actor: &Actor, input: DepartmentInput) -> Result<Department> {
    actor.require(Resource::Sites, Action::Create)?;
    let name = department_name(&input.name)?;
    let description = validate::description(&input.description)?;
    let tenant = target_tenant(db, actor, &input.tenant).await?;
    let txn = audit::begin(db).await?;
    let row = department::ActiveModel {
        tenant_id: Set(tenant.id),
        name: Set(name),
        description: Set(description),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(txn.conn())
    .await
    .map_err(|e| validate::unique(e, "name", "a department"))?;
    let entry = Entry::new("department.create", "department", row.id, &row.name)
        .set("name", &row.name)
        .detail(format!("in tenant {}", tenant.name))
        .tenant(Some(tenant.id))
        .opco(tenant.opco_id);
    txn.record(actor, entry).await?;
    txn.commit().await?;
    Ok(row)
}

/// Deletes a department no LAN segment uses; while some do, says which.
pub async fn delete_department(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Resource::Sites, Action::Delete)?;
    let dept = department::Entity::find_by_id(id)
        .filter(tenants::scope_condition(actor.tenant_scope(), department::Column::TenantId))
        .one(db)
        .await?
        .ok_or(Error::NotFound("department"))?;
    let txn = audit::begin(db).await?;
    let users: Vec<(String, String)> = lan_segment::Entity::find()
        .select_only()
        .column(site::Column::Name)
        .column(lan_segment::Column::Name)
        .join(
            sea_orm::JoinType::InnerJoin,
            lan_segment::Entity::belongs_to(site::Entity).from(lan_segment::Column::SiteId).to(site::Column::Id).into(),
        )
        .filter(lan_segment::Column::DepartmentId.eq(id))
        .order_by_asc(site::Column::Name)
        .order_by_asc(lan_segment::Column::Name)
        .limit(11)
        .into_tuple()
        .all(txn.conn())
        .await?;
    if !users.is_empty() {
        let mut names: Vec<String> = users.iter().take(10).map(|(s, l)| format!("{s} / {l}")).collect();
        if users.len() > 10 {
            names.push("…".into());
        }
        return Err(Error::Conflict(format!(
            "Department {} is used by LAN segments {}; move them to another department first.",
            dept.name,
            names.join(", ")
        )));
    }
    department::Entity::delete_by_id(id).exec(txn.conn()).await?;
    let opco = tenants::entity::Entity::find_by_id(dept.tenant_id).one(txn.conn()).await?.and_then(|t| t.opco_id);
    let entry = Entry::new("department.delete", "department", id, &dept.name).change("name", &dept.name, "").tenant(Some(dept.tenant_id)).opco(opco);
    txn.record(actor, entry).await?;
    txn.commit().await
}
/// How many LAN segments use each of the given departments, for those the actor's scope covers;
/// a department no segment uses is absent from the map.
pub async fn department_usage(db: &DatabaseConnection, actor: &Actor, ids: &[i64]) -> Result<HashMap<i64, u64>> {
    actor.require(Resource::Sites, Action::View)?;
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Only departments inside the actor's scope are counted, whatever ids the caller passes.
    let visible: Vec<i64> = department::Entity::find()
        .select_only()
        .column(department::Column::Id)
        .filter(tenants::scope_condition(actor.tenant_scope(), department::Column::TenantId))
        .filter(department::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    if visible.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Option<i64>, i64)> = lan_segment::Entity::find()
        .select_only()
        .column(lan_segment::Column::DepartmentId)
        .column_as(lan_segment::Column::Id.count(), "n")
        .filter(lan_segment::Column::DepartmentId.is_in(visible))
        .group_by(lan_segment::Column::DepartmentId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(d, n)| d.map(|d| (d, n.max(0) as u64))).collect())
}
