//! Zendesk triggers API (being written).

use crate::state::AppState;
use axum::Router;
use serde_json::{json, Value};

/// Zendesk data.
#[derive(Debug, Clone, Default)]
pub struct ZdState {}

impl ZdState {
    /// Admin state dump.
    pub fn dump(&self) -> Value {
        json!({})
    }
}

/// The Zendesk routes.
pub fn routes(_state: AppState) -> Router<AppState> {
    Router::new()
}
