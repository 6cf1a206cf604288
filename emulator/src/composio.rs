//! Composio: POST /api/v3/trigger_instances/{slug}/upsert with `x-api-key`
//! authentication, the seed's `{trigger_id, deprecated: {uuid}}` response
//! and its `{"error": {...}}` envelope. Bodies are checked with triggerkit's
//! validator against the trigger type's config schema.

use crate::http::{header_str, json_body};
use crate::state::{lock, AppState};
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use triggerkit::validate::validate_composio_trigger_instance;

static REQUESTS: AtomicU64 = AtomicU64::new(0);

/// The error envelope: `{"error": {message, code, slug, status, request_id,
/// suggested_fix, errors}}`; `code` is 10000 + status.
pub fn error(status: StatusCode, slug: &str, message: &str, errors: Vec<String>) -> Response {
    let n = REQUESTS.fetch_add(1, Ordering::Relaxed);
    let suggested_fix = match status {
        StatusCode::UNAUTHORIZED => "Pass a valid project API key in the x-api-key header.",
        StatusCode::NOT_FOUND => "Check the trigger slug against the available trigger types.",
        StatusCode::BAD_REQUEST => "Please check the payload.",
        StatusCode::TOO_MANY_REQUESTS => "Retry after the time given in the Retry-After header.",
        _ => "Retry the request later.",
    };
    let body = json!({
        "error": {
            "message": message,
            "code": 10_000 + u32::from(status.as_u16()),
            "slug": slug.replace(' ', ""),
            "status": status.as_u16(),
            "request_id": format!("req_{n:016x}"),
            "suggested_fix": suggested_fix,
            "errors": errors,
        }
    });
    (status, Json(body)).into_response()
}

/// A stored trigger instance.
#[derive(Debug, Clone)]
struct Instance {
    id: String,
    uuid: String,
    slug: String,
    connected_account_id: String,
    trigger_config: Value,
    toolkit_versions: Value,
    enabled: bool,
}

/// Composio data.
#[derive(Debug, Clone, Default)]
pub struct CpState {
    instances: Vec<Instance>,
}

impl CpState {
    /// Every instance, for the admin state dump.
    pub fn dump(&self) -> Value {
        let list: Vec<Value> = self
            .instances
            .iter()
            .map(|i| {
                json!({
                    "trigger_id": i.id, "uuid": i.uuid, "slug": i.slug,
                    "connected_account_id": i.connected_account_id,
                    "trigger_config": i.trigger_config, "toolkit_versions": i.toolkit_versions,
                    "enabled": i.enabled,
                })
            })
            .collect();
        json!({ "trigger_instances": list })
    }

    /// Disables an instance (so a later upsert shows re-enabling); false if unknown.
    pub fn disable(&mut self, id: &str) -> bool {
        match self.instances.iter_mut().find(|i| i.id == id) {
            Some(i) => {
                i.enabled = false;
                true
            }
            None => false,
        }
    }
}

/// The trigger types the emulator knows, with their config JSON Schemas.
fn config_schema(slug: &str) -> Option<Value> {
    Some(match slug {
        "GITHUB_COMMIT_EVENT" | "GITHUB_ISSUE_ADDED_EVENT" => json!({
            "type": "object",
            "properties": { "owner": { "type": "string" }, "repo": { "type": "string" } },
            "required": ["owner", "repo"],
        }),
        "SLACK_RECEIVE_MESSAGE" => json!({
            "type": "object",
            "properties": { "channel": { "type": "string" } },
            "additionalProperties": false,
        }),
        "GMAIL_NEW_GMAIL_MESSAGE" => json!({
            "type": "object",
            "properties": {
                "labelIds": { "type": "string" },
                "interval": { "type": "integer", "minimum": 1 },
                "userId": { "type": "string" },
            },
        }),
        _ => return None,
    })
}

/// The Composio routes.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/v3/trigger_instances/{slug}/upsert", post(upsert))
        .route_layer(from_fn_with_state(state, require_api_key))
}

async fn require_api_key(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ok = header_str(req.headers(), "x-api-key")
        .is_some_and(|k| lock(&state.0.credentials).is_static(k));
    if ok {
        next.run(req).await
    } else {
        error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Invalid or missing API key.",
            Vec::new(),
        )
    }
}

async fn upsert(State(state): State<AppState>, Path(slug): Path<String>, body: Bytes) -> Response {
    let slug = slug.to_uppercase();
    let Some(schema) = config_schema(&slug) else {
        return error(
            StatusCode::NOT_FOUND,
            "TriggerType_NotFound",
            &format!("Trigger type {slug} not found."),
            Vec::new(),
        );
    };
    let bad = |message: &str, errors: Vec<String>| {
        error(StatusCode::BAD_REQUEST, "ValidationError", message, errors)
    };
    let body = match json_body(&body) {
        Ok(Value::Null) => json!({}),
        Ok(v) => v,
        Err(e) => return bad(&e, Vec::new()),
    };
    let verdict = validate_composio_trigger_instance(
        &triggerkit::json::Value::from(&body),
        Some(&triggerkit::json::Value::from(&schema)),
    );
    let input = match verdict.value {
        Some(input) if verdict.valid => input,
        _ => {
            let errors = verdict
                .errors
                .iter()
                .map(|i| {
                    format!(
                        "Error in payload{}: {}",
                        i.path.replace('/', "."),
                        i.message
                    )
                })
                .collect();
            return bad("Validation error while processing request", errors);
        }
    };
    let Some(account) = input.connected_account_id.filter(|a| !a.is_empty()) else {
        return bad(
            "A connected account is required",
            vec!["Error in payload.connected_account_id: required".to_owned()],
        );
    };
    let config = match &input.trigger_config {
        Some(config) => serde_json::to_value(config).unwrap_or(Value::Null),
        None => json!({}),
    };
    let versions = serde_json::to_value(&input.toolkit_versions).unwrap_or(Value::Null);
    let mut cp = lock(&state.0.composio);
    if let Some(existing) = cp
        .instances
        .iter_mut()
        .find(|i| i.slug == slug && i.connected_account_id == account && i.trigger_config == config)
    {
        existing.enabled = true;
        if !versions.is_null() {
            existing.toolkit_versions = versions;
        }
        let body = json!({ "trigger_id": existing.id, "deprecated": { "uuid": existing.uuid } });
        return (StatusCode::OK, Json(body)).into_response();
    }
    let (id, uuid) = {
        let mut ids = lock(&state.0.ids);
        (ids.token("ti_", 10), ids.uuid4())
    };
    cp.instances.push(Instance {
        id: id.clone(),
        uuid: uuid.clone(),
        slug,
        connected_account_id: account,
        trigger_config: config,
        toolkit_versions: versions,
        enabled: true,
    });
    let body = json!({ "trigger_id": id, "deprecated": { "uuid": uuid } });
    (StatusCode::CREATED, Json(body)).into_response()
}
