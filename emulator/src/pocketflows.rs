//! Pocketflows: POST /businesses/{id}/triggers with HTTP Basic
//! authentication (any user, a static token as password), validated with
//! triggerkit's validator, returning the seed's Trigger object.

use crate::http::{credential, json_body, Credential};
use crate::state::{lock, AppState};
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use triggerkit::validate::validate_pocketflows_trigger;

/// Pocketflows data: created triggers by business.
#[derive(Debug, Clone, Default)]
pub struct PfState {
    triggers: Vec<(String, Value)>,
}

impl PfState {
    /// Every trigger with its business, for the admin state dump.
    pub fn dump(&self) -> Value {
        let list: Vec<Value> = self
            .triggers
            .iter()
            .map(|(business, t)| json!({ "business_id": business, "trigger": t }))
            .collect();
        json!({ "triggers": list })
    }
}

/// The Pocketflows routes.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/businesses/{id}/triggers", post(create))
        .route_layer(from_fn_with_state(state, require_basic))
}

async fn require_basic(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ok = match credential(req.headers()) {
        Credential::Basic(_, password) => lock(&state.0.credentials).is_static(&password),
        _ => false,
    };
    if ok {
        return next.run(req).await;
    }
    let mut r = (
        StatusCode::UNAUTHORIZED,
        Json(
            json!({ "message": "Unauthorized: use HTTP Basic authentication with your API key." }),
        ),
    )
        .into_response();
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"pocketflows\""),
    );
    r
}

async fn create(
    State(state): State<AppState>,
    Path(business): Path<String>,
    body: Bytes,
) -> Response {
    let bad = |message: String, errors: Value| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({ "message": message, "errors": errors })),
        )
            .into_response()
    };
    let body = match json_body(&body) {
        Ok(v) => v,
        Err(e) => return bad(e, json!([])),
    };
    let verdict = validate_pocketflows_trigger(&triggerkit::json::Value::from(&body));
    let input = match verdict.value {
        Some(input) if verdict.valid => input,
        _ => return bad("Invalid trigger".to_owned(), json!(verdict.errors)),
    };
    let now = state.now();
    let stamp = state.0.clock.iso_seconds(now);
    let id = lock(&state.0.ids).uuid4();
    let trigger = json!({
        "id": id,
        "created_at": stamp,
        "updated_at": stamp,
        "name": input.name,
        "project_defined_event": input.project_defined_event,
        "internal_event_definition": { "type": "project_defined_event", "segment": null },
        "trigger": null,
        "steps": input.steps,
        "status": "draft",
        "filter": input.filter,
        "email_address": input.email_address,
        "phone_number": input.phone_number,
        "attributed_revenue": input.attributed_revenue,
        "metadata": input.metadata,
        "excluded_customers": input.excluded_customers.unwrap_or_default(),
        "statistics": {
            "total_customers_enrolled": 0,
            "total_customers_started": 0,
            "total_customers_finished": 0,
            "emails": {
                "sent": 0, "delivered": 0, "opened": 0,
                "soft_bounced": 0, "hard_bounced": 0, "clicked": 0,
            },
            "custom_steps": [],
        },
    });
    lock(&state.0.pocketflows)
        .triggers
        .push((business, trigger.clone()));
    Json(trigger).into_response()
}
