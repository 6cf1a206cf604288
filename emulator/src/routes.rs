//! The whole router: every API's routes, the admin API, the JSON 404 of
//! each API, fault injection (inside) and CORS (outside, so injected errors
//! carry CORS headers and preflights never meet a fault).

use crate::http::Api;
use crate::state::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderName, Method, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::time::Duration;
use tower_http::cors::{AllowHeaders, Any, CorsLayer};

/// Headers browser code may read from responses.
const EXPOSED: [HeaderName; 3] = [
    header::RETRY_AFTER,
    header::LOCATION,
    header::WWW_AUTHENTICATE,
];

/// Builds the application.
pub fn router(state: AppState) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(EXPOSED)
        .max_age(Duration::from_secs(600));
    Router::new()
        .route("/", get(index))
        .merge(crate::zapier::routes(state.clone()))
        .merge(crate::rocketchat::routes(state.clone()))
        .merge(crate::zendesk::routes(state.clone()))
        .merge(crate::pocketflows::routes(state.clone()))
        .merge(crate::composio::routes(state.clone()))
        .merge(crate::admin::routes())
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), crate::faults::inject))
        .layer(cors)
        .with_state(state)
}

async fn not_found(req: Request) -> Response {
    let path = req.uri().path();
    Api::of(path).error(
        StatusCode::NOT_FOUND,
        &format!("No route for {} {path}.", req.method()),
    )
}

async fn index() -> Response {
    Json(json!({
        "name": "triggerkit-emulator",
        "version": env!("CARGO_PKG_VERSION"),
        "apis": {
            "zapier": ["/trigger-inbox/api/v1/", "/v2/authentications/", "/oauth/token"],
            "rocketchat": ["/api/v1/livechat/triggers", "/api/v1/livechat/config"],
            "zendesk": ["/api/v2/triggers"],
            "pocketflows": ["/businesses/{id}/triggers"],
            "composio": ["/api/v3/trigger_instances/{slug}/upsert"],
            "admin": ["/_admin/"],
        },
    }))
    .into_response()
}
