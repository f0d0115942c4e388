//! Tenants: the SP's customers. Only what the foundation needs lives here yet.

pub mod entity;

use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::{Actor, Result};

/// How many tenants the actor can see.
pub async fn count_visible(db: &DatabaseConnection, actor: &Actor) -> Result<u64> {
    if actor.role.is_service_provider() {
        Ok(entity::Entity::find().count(db).await?)
    } else {
        Ok(u64::from(actor.tenant_id.is_some()))
    }
}
