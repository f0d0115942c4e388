//! What the server gives every page render and server function (provided as Leptos context).

use leptos::prelude::use_context;

use crate::AppError;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: domain::DatabaseConnection,
}

/// The state provided by the server; its absence is a wiring bug, reported as an internal error.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}
