//! The one error type of the domain crate. The app maps it once to server-function errors.

use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("sign in first")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    /// Deliberately the same for an unknown user and a wrong password.
    #[error("user name or password is incorrect")]
    BadCredentials,
    /// Too many failed sign-ins for this name; says for how long.
    #[error("account locked for {minutes} more minute(s)")]
    Locked { minutes: i64 },
    #[error("account disabled")]
    Disabled,
    /// The request is fine but the state of things refuses it; the message says why and what to do.
    #[error("{0}")]
    Conflict(String),
    /// Too much work at once (password hashing slots, database connections): come back later.
    #[error("the server is busy; try again in {retry_after_secs} seconds")]
    Busy { retry_after_secs: u32 },
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// Logged with its cause; shown to people as a generic message.
    #[error("an internal error occurred")]
    Db(DbErr),
    #[error("an internal error occurred")]
    Internal(String),
}

/// Most database errors are faults (logged, shown as generic); two say something about the request.
impl From<DbErr> for Error {
    fn from(e: DbErr) -> Self {
        match e {
            // Every pooled connection stayed busy for the whole acquire timeout: overload, not a
            // fault; the caller may try again shortly.
            DbErr::ConnectionAcquire(cause) => {
                tracing::warn!(error = %cause, "no database connection came free in time");
                Error::busy()
            }
            // A row still referenced by another. Services name the dependants before deleting (and
            // tests say so); one that slips through is refused, not a 500.
            e if matches!(e.sql_err(), Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))) => {
                tracing::warn!(error = %e, "a change was refused by a foreign key");
                Error::Conflict("Other records still refer to this one; remove or move them first.".into())
            }
            e => Error::Db(e),
        }
    }
}

impl Error {
    /// What a busy answer asks the caller to wait before trying again.
    pub const RETRY_AFTER_SECS: u32 = 2;

    /// Too much work at once; come back in [`Error::RETRY_AFTER_SECS`].
    pub fn busy() -> Self {
        Error::Busy { retry_after_secs: Self::RETRY_AFTER_SECS }
    }

    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Invalid { field, reason: reason.into() }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
