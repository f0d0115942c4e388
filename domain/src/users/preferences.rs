//! What a user chose about how the portal shows things to them: for now, the columns they hide in
//! each list. Personal display choices, not changes to anything the portal manages, so they are not
//! written to the audit log (a column toggled on and off would bury the entries that matter).

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, QueryFilter};

use crate::{Actor, Error, Result};

/// A list's name as the UI kit gives it (`vims`, `users`…): short, lower-case words.
const MAX_TABLE_KEY: usize = 64;
/// Far more columns than any list has; keeps a crafted request from storing a novel.
const MAX_HIDDEN: usize = 40;
const MAX_COLUMN_KEY: usize = 64;

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_table_columns")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub table_key: String,
        /// Comma-separated column keys.
        pub hidden: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn valid_key(field: &'static str, key: &str, max: usize) -> Result<()> {
    let ok = !key.is_empty() && key.len() <= max && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("Use 1–{max} lower-case letters, digits, '-' or '_'.")))
    }
}

/// Remembers that `actor` hides `hidden` in the list `table`; an empty list shows every column.
pub async fn set_hidden_columns(db: &DatabaseConnection, actor: &Actor, table: &str, hidden: &[String]) -> Result<()> {
    valid_key("table", table, MAX_TABLE_KEY)?;
    if hidden.len() > MAX_HIDDEN {
        return Err(Error::invalid("hidden", format!("At most {MAX_HIDDEN} columns can be hidden.")));
    }
    for column in hidden {
        valid_key("hidden", column, MAX_COLUMN_KEY)?;
    }
    let row = entity::ActiveModel { user_id: Set(actor.user_id), table_key: Set(table.to_string()), hidden: Set(hidden.join(",")) };
    entity::Entity::insert(row)
        .on_conflict(OnConflict::columns([entity::Column::UserId, entity::Column::TableKey]).update_column(entity::Column::Hidden).to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Every list's hidden columns for `actor`, as (table, column keys).
pub async fn hidden_columns(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<(String, Vec<String>)>> {
    let rows = entity::Entity::find().filter(entity::Column::UserId.eq(actor.user_id)).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let columns = r.hidden.split(',').filter(|c| !c.is_empty()).map(str::to_string).collect();
            (r.table_key, columns)
        })
        .collect())
}
