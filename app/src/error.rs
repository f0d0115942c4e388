//! The one error type of the UI crate: what a server function can fail with, as the browser sees it.

use serde::{Deserialize, Serialize};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Your session has ended. Sign in again to continue.")]
    Unauthenticated,
    #[error("Change your password before you continue.")]
    PasswordChangeRequired,
    #[error("You are not allowed to do that.")]
    Forbidden,
    /// The same words whether the user name or the password was wrong.
    #[error("The user name or password is incorrect.")]
    BadCredentials,
    #[error("This account is locked after too many failed sign-ins. Try again in {minutes} minute(s), or ask an administrator to unlock it.")]
    Locked { minutes: i64 },
    #[error("This account is disabled. Ask your administrator.")]
    Disabled,
    #[error("Too many attempts from your address. Wait a minute and try again.")]
    TooManyRequests,
    /// Refused because of the state of things; the message says why and what to do.
    #[error("{0}")]
    Conflict(String),
    /// A value that failed validation; `field` is the form field's `name`.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{0} not found.")]
    NotFound(String),
    /// The request itself could not be read: a missing or malformed argument, bad encoding, a body
    /// too large. Says what was wrong; nothing was done.
    #[error("The request could not be read: {0}")]
    BadRequest(String),
    /// Too much work at once; answered `503` with `Retry-After`.
    #[error("The server is busy. Try again in {retry_after_secs} seconds.")]
    Busy { retry_after_secs: u32 },
    #[error("Something went wrong on the server. Try again; if it keeps happening, tell your administrator.")]
    Internal,
    /// The request never reached the function, or its answer could not be read.
    #[error("The server could not be reached: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // On the server these mean the caller sent something the function's arguments cannot be
            // read from (missing field, wrong type, negative or huge number, duplicate key, bad
            // UTF-8, a body too large): the caller's fault, a 400 with the reason, never a 500.
            ServerFnErrorErr::Args(reason) | ServerFnErrorErr::MissingArg(reason) => bad_request(reason),
            other => AppError::Transport(other.to_string()),
        }
    }
}

fn bad_request(reason: String) -> AppError {
    // serde's messages are precise but long; the first line says what is wrong.
    let reason: String = reason.lines().next().unwrap_or_default().chars().take(300).collect();
    let error = AppError::BadRequest(reason);
    #[cfg(feature = "ssr")]
    let error = error.respond();
    error
}

impl AppError {
    /// The error for `field`, if this is one.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid { field, message } if field == name => Some(message.clone()),
            _ => None,
        }
    }

    /// Errors that belong to no single field, shown above the form.
    pub fn form_level(&self) -> Option<String> {
        match self {
            AppError::Invalid { .. } => None,
            other => Some(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use axum::http::{
        header::{ACCEPT, RETRY_AFTER},
        request::Parts,
        HeaderValue, StatusCode,
    };
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    use super::AppError;

    impl AppError {
        pub fn status(&self) -> StatusCode {
            match self {
                AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
                AppError::PasswordChangeRequired | AppError::Forbidden | AppError::Disabled => StatusCode::FORBIDDEN,
                AppError::Locked { .. } => StatusCode::LOCKED,
                AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
                AppError::Conflict(_) => StatusCode::CONFLICT,
                AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                AppError::Transport(_) | AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
                AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
                AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            }
        }

        /// Logs the cause and returns the generic internal error.
        pub fn internal(cause: impl std::fmt::Display) -> Self {
            tracing::error!(%cause, "internal error");
            AppError::Internal.respond()
        }

        /// Sets the HTTP status of a server function's response to match this error (and, when
        /// busy, `Retry-After`). A plain form post (JavaScript off) is left alone: server_fn answers
        /// it with a redirect carrying the error, and a 4xx status would break that redirect. So is
        /// a page being rendered: a page may show an error in one panel and be fine otherwise; the
        /// page's own [`crate::ui::ErrorPanel`] sets its status when the error is the page.
        pub fn respond(self) -> Self {
            if let (Some(parts), Some(res)) = (use_context::<Parts>(), use_context::<ResponseOptions>()) {
                let plain_form = parts
                    .headers
                    .get(ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("text/html"));
                if parts.uri.path().starts_with("/api/") && !plain_form {
                    self.set_status_on(&res);
                }
            }
            self
        }

        /// Writes this error's status (and `Retry-After` when busy) into a response.
        pub fn set_status_on(&self, res: &ResponseOptions) {
            res.set_status(self.status());
            if let AppError::Busy { retry_after_secs } = self {
                res.insert_header(RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
        }
    }

    /// The one place an error becomes an HTTP answer for plain axum handlers (downloads, uploads):
    /// its status (the same as a server function's, [`AppError::status`]), `Retry-After` when busy,
    /// and the sentence a person can act on as the body.
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let mut res = (self.status(), self.to_string()).into_response();
            if let AppError::Busy { retry_after_secs } = self {
                res.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            res
        }
    }

    impl From<domain::Error> for AppError {
        fn from(e: domain::Error) -> Self {
            use domain::Error as D;
            let app = match e {
                D::NotFound(what) => AppError::NotFound(what.to_string()),
                D::Unauthenticated => AppError::Unauthenticated,
                D::Forbidden => AppError::Forbidden,
                D::BadCredentials => AppError::BadCredentials,
                D::Locked { minutes } => AppError::Locked { minutes },
                D::Disabled => AppError::Disabled,
                D::Conflict(message) => AppError::Conflict(message),
                D::Busy { retry_after_secs } => AppError::Busy { retry_after_secs },
                D::Invalid { field, reason } => {
                    AppError::Invalid { field: field.to_string(), message: field_message(field, &reason) }
                }
                other @ (D::Db(_) | D::Internal(_)) => return AppError::internal(format!("{other:?}")),
            };
            app.respond()
        }
    }

    /// "invalid new_password: must be…" reads badly on a form; say it the way the label does.
    /// A reason that is already a sentence (starts with a capital) is shown as it is.
    fn field_message(field: &str, reason: &str) -> String {
        if reason.starts_with(|c: char| c.is_uppercase()) {
            return reason.to_string();
        }
        let label = match field {
            "current_password" => "Current password".to_string(),
            "new_password" => "New password".to_string(),
            "confirm_password" => "Confirmation".to_string(),
            "confirm_name" => "Confirmation".to_string(),
            "display_name" => "Display name".to_string(),
            "username" => "User name".to_string(),
            "email" => "E-mail".to_string(),
            "opco" => "Operating company".to_string(),
            "asn" => "AS number".to_string(),
            "pop" => "POP".to_string(),
            "auth_url" => "Auth URL".to_string(),
            "vim_type" => "Type".to_string(),
            "current" => "Current password".to_string(),
            "new" => "New password".to_string(),
            "confirm" => "Confirmation".to_string(),
            "wan_links" => "WAN links".to_string(),
            "lan_segments" => "LAN segments".to_string(),
            "redundancy" => "Redundancy plan".to_string(),
            "template" => "Device template".to_string(),
            "image" => "Software image".to_string(),
            "serial" => "Serial number".to_string(),
            "junos_version" => "Junos version".to_string(),
            "body" => "Configuration".to_string(),
            "sha256" | "expected_sha256" => "SHA-256".to_string(),
            other => {
                let mut words = other.replace('_', " ");
                if let Some(first) = words.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                words
            }
        };
        format!("{label} {reason}.")
    }
}
