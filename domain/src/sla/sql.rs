//! A small SQL text builder for the SLA tables: their writes are multi-row upserts and their reads
//! are grouped sums, which read best as SQL. Placeholders follow the engine (`?` on SQLite, `$n` on
//! PostgreSQL); every value is bound, never spliced into the text.

use sea_orm::{ConnectionTrait, DatabaseBackend, QueryResult, Statement, Value};

use crate::Result;

pub(crate) struct Sql {
    backend: DatabaseBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(backend: DatabaseBackend) -> Sql {
        Sql { backend, text: String::with_capacity(256), values: Vec::new() }
    }

    /// Appends SQL text (never user input).
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Sql {
        self.values.push(value.into());
        match self.backend {
            DatabaseBackend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.values.len().to_string());
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// `(?, ?, …)` binding each value.
    pub fn tuple(&mut self, values: impl IntoIterator<Item = Value>) -> &mut Sql {
        self.text.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v);
        }
        self.text.push(')');
        self
    }

    /// ` IN (…)` over ids; an empty list matches nothing.
    pub fn in_ids(&mut self, ids: &[i64]) -> &mut Sql {
        if ids.is_empty() {
            return self.push(" IN (NULL)");
        }
        self.push(" IN ");
        self.tuple(ids.iter().map(|&i| Value::from(i)))
    }

    fn statement(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }

    pub async fn execute(self, conn: &impl ConnectionTrait) -> Result<u64> {
        Ok(conn.execute(self.statement()).await?.rows_affected())
    }

    pub async fn all(self, conn: &impl ConnectionTrait) -> Result<Vec<QueryResult>> {
        Ok(conn.query_all(self.statement()).await?)
    }
}

/// A column as i64, whichever integer type the engine answered with (PostgreSQL keeps SMALLINT,
/// INTEGER and BIGINT apart; SQLite has one INTEGER).
pub(crate) fn int(row: &QueryResult, column: &str) -> i64 {
    row.try_get::<i64>("", column)
        .or_else(|_| row.try_get::<i32>("", column).map(i64::from))
        .or_else(|_| row.try_get::<i16>("", column).map(i64::from))
        .or_else(|_| row.try_get::<f64>("", column).map(|f| f as i64))
        .unwrap_or(0)
}

/// A column as f64, from a float or an integer column; 0 when NULL.
pub(crate) fn real(row: &QueryResult, column: &str) -> f64 {
    row.try_get::<f64>("", column)
        .or_else(|_| row.try_get::<i64>("", column).map(|i| i as f64))
        .unwrap_or(0.0)
}

pub(crate) fn text(row: &QueryResult, column: &str) -> String {
    row.try_get::<String>("", column).unwrap_or_default()
}
