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
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// Logged with its cause; shown to people as a generic message.
    #[error("an internal error occurred")]
    Db(#[from] DbErr),
    #[error("an internal error occurred")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Invalid { field, reason: reason.into() }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
