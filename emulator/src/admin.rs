//! The admin API under `/_admin/`: publish test events into an inbox, set
//! faults, read counters and message states, move the clock, issue tokens,
//! reset. No authentication (the server binds loopback only) and never
//! subject to faults.

use crate::faults::FaultConfig;
use crate::http::json_body;
use crate::state::{lock, AppState};
use crate::zapier::inbox::{InboxError, NewMessage, Status};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

/// Most messages one publish call may create.
const MAX_PUBLISH: usize = 100_000;

fn admin_error(status: StatusCode, code: &str, detail: impl Into<String>) -> Response {
    (
        status,
        Json(json!({ "error": code, "detail": detail.into() })),
    )
        .into_response()
}

fn invalid(detail: impl Into<String>) -> Response {
    admin_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", detail)
}

fn inbox_error(e: InboxError) -> Response {
    match e {
        InboxError::NotFound(name) => {
            admin_error(StatusCode::NOT_FOUND, "not_found", format!("Inbox '{name}' does not exist."))
        }
        InboxError::Conflict(detail) => admin_error(StatusCode::CONFLICT, "conflict", detail),
        InboxError::NotCollecting(status) => admin_error(
            StatusCode::CONFLICT,
            "not_collecting",
            format!(
                "Inbox is {}: it collects no events. Wait until it is active or pass \"force\": true.",
                status.as_str()
            ),
        ),
    }
}

/// Parses a JSON body into `T` (empty body: the default).
fn parse<T: for<'de> Deserialize<'de> + Default>(body: &[u8]) -> Result<T, String> {
    match json_body(body)? {
        Value::Null => Ok(T::default()),
        v => serde_json::from_value(v).map_err(|e| e.to_string()),
    }
}

/// The admin routes (state is supplied by the outer router).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/_admin", get(index))
        .route(
            "/_admin/health",
            get(|| async { Json(json!({ "ok": true })) }),
        )
        .route("/_admin/reset", post(reset))
        .route(
            "/_admin/faults",
            get(get_faults).put(set_faults).delete(clear_faults),
        )
        .route("/_admin/counters", get(counters))
        .route("/_admin/clock/advance", post(advance_clock))
        .route("/_admin/tokens", post(issue_token))
        .route("/_admin/inboxes/{name}/publish", post(publish))
        .route("/_admin/inboxes/{name}/messages", get(dump_messages))
        .route(
            "/_admin/rocketchat/services",
            put(crate::rocketchat::set_service).delete(crate::rocketchat::clear_services),
        )
        .route(
            "/_admin/rocketchat/settings",
            put(crate::rocketchat::set_settings),
        )
        .route(
            "/_admin/composio/trigger_instances/{id}/disable",
            post(disable_instance),
        )
        .route("/_admin/zendesk/definitions", put(set_definitions))
        .route("/_admin/state", get(dump_state))
}

/// GET /_admin: what the admin API offers.
async fn index() -> Json<Value> {
    Json(json!({
        "GET /_admin/health": "liveness",
        "POST /_admin/reset": "forget inboxes, triggers, issued tokens, faults and counters",
        "GET|PUT|DELETE /_admin/faults": "fault settings and statistics (latency_min_ms, latency_max_ms, error_rate, error_status, rate_limit_rate, retry_after_seconds, retry_after_http_date, drop_rate, drop_after_rate, path_prefix, seed, next)",
        "GET /_admin/counters": "message counters, totals and per inbox, and fault statistics",
        "POST /_admin/clock/advance": "move emulator time forward: {seconds} or {ms}",
        "POST /_admin/tokens": "issue a bearer token: {scope?, ttl_seconds?}",
        "POST /_admin/inboxes/{name}/publish": "publish events: {messages?: [{payload, possible_duplicate_data?, error_message?}], count?, duplicate_rate?, seed?, force?}",
        "GET /_admin/inboxes/{name}/messages": "every message with its state and ack_count (?status=)",
        "PUT|DELETE /_admin/rocketchat/services": "canned external services: {service_url, contents?, delay_ms?, status?, body?}",
        "PUT /_admin/rocketchat/settings": "{enabled: false} turns livechat off",
        "PUT /_admin/zendesk/definitions": "the document GET /api/v2/triggers/definitions serves",
        "POST /_admin/composio/trigger_instances/{id}/disable": "disable a trigger instance",
        "GET /_admin/state": "dump of every API's data",
    }))
}

async fn reset(State(state): State<AppState>) -> StatusCode {
    state.reset();
    StatusCode::NO_CONTENT
}

async fn get_faults(State(state): State<AppState>) -> Json<Value> {
    Json(lock(&state.0.faults).view())
}

async fn set_faults(State(state): State<AppState>, body: Bytes) -> Response {
    let config: FaultConfig = match parse(&body) {
        Ok(c) => c,
        Err(e) => return invalid(e),
    };
    let problems = config.problems();
    if !problems.is_empty() {
        return invalid(problems.join("; "));
    }
    let mut faults = lock(&state.0.faults);
    faults.set(config);
    Json(faults.view()).into_response()
}

async fn clear_faults(State(state): State<AppState>) -> Json<Value> {
    let mut faults = lock(&state.0.faults);
    faults.set(FaultConfig::default());
    Json(faults.view())
}

async fn counters(State(state): State<AppState>) -> Json<Value> {
    let now = state.now();
    let mut v = lock(&state.0.inboxes).counters(now);
    let faults = json!(lock(&state.0.faults).stats());
    if let Some(obj) = v.as_object_mut() {
        obj.insert("faults".into(), faults);
    }
    Json(v)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Advance {
    seconds: f64,
    ms: u64,
}

async fn advance_clock(State(state): State<AppState>, body: Bytes) -> Response {
    let a: Advance = match parse(&body) {
        Ok(a) => a,
        Err(e) => return invalid(e),
    };
    if !(0.0..=1e9).contains(&a.seconds) {
        return invalid("seconds must be between 0 and 1e9");
    }
    let by = Duration::from_secs_f64(a.seconds) + Duration::from_millis(a.ms);
    let offset = state.0.clock.advance(by);
    let now = state.now();
    lock(&state.0.inboxes).sweep(now);
    Json(json!({ "offset_ms": offset, "now_ms": now })).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct TokenRequest {
    scope: Option<String>,
    ttl_seconds: Option<u64>,
}

/// Issues a bearer token without the OAuth dance (short lifetimes and
/// other scopes let tests reach 401 `authentication_failed` and
/// `invalid_audience`).
async fn issue_token(State(state): State<AppState>, body: Bytes) -> Response {
    let req: TokenRequest = match parse(&body) {
        Ok(r) => r,
        Err(e) => return invalid(e),
    };
    let scope = req
        .scope
        .unwrap_or_else(|| crate::auth::INBOX_SCOPE.to_owned());
    let ttl = req
        .ttl_seconds
        .map_or(state.0.config.token_ttl, Duration::from_secs);
    let token = lock(&state.0.ids).token("ztk_", 32);
    let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
    lock(&state.0.credentials).issue(token.clone(), &scope, state.now(), ttl_ms);
    Json(json!({
        "access_token": token, "token_type": "Bearer", "expires_in": ttl.as_secs(), "scope": scope,
    }))
    .into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PublishMessage {
    payload: Value,
    possible_duplicate_data: bool,
    error_message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Publish {
    /// Explicit messages.
    messages: Vec<PublishMessage>,
    /// Plus this many generated Slack-like messages.
    count: usize,
    /// Share of generated messages flagged `possible_duplicate_data`.
    duplicate_rate: f64,
    /// Seed of the generated content.
    seed: Option<u64>,
    /// Publish even when the inbox is not active.
    force: bool,
}

fn generated(n: usize, channel: &str, duplicate_rate: f64, seed: Option<u64>) -> Vec<NewMessage> {
    let mut rng = match seed {
        Some(s) => StdRng::seed_from_u64(s),
        None => StdRng::from_os_rng(),
    };
    (0..n)
        .map(|i| NewMessage {
            payload: json!({
                "text": format!("Test message {i}"),
                "user": format!("U{:07}", rng.random_range(0..10_000_000u32)),
                "channel": channel,
                "seq": i,
            }),
            possible_duplicate_data: rng.random::<f64>() < duplicate_rate,
            error_message: None,
        })
        .collect()
}

async fn publish(State(state): State<AppState>, Path(name): Path<String>, body: Bytes) -> Response {
    let req: Publish = match parse(&body) {
        Ok(p) => p,
        Err(e) => return invalid(e),
    };
    if req.messages.len() + req.count > MAX_PUBLISH {
        return invalid(format!("at most {MAX_PUBLISH} messages per call"));
    }
    if !(0.0..=1.0).contains(&req.duplicate_rate) {
        return invalid("duplicate_rate must be between 0 and 1");
    }
    let now = state.now();
    let view = match lock(&state.0.inboxes).get(&name, now) {
        Ok(inbox) => inbox.view(),
        Err(e) => return inbox_error(e),
    };
    let channel = view["subscription"]["inputs"]["channel"]
        .as_str()
        .unwrap_or("C0000000000");
    let mut events: Vec<NewMessage> = req
        .messages
        .into_iter()
        .map(|m| NewMessage {
            payload: m.payload,
            possible_duplicate_data: m.possible_duplicate_data,
            error_message: m.error_message,
        })
        .collect();
    events.extend(generated(req.count, channel, req.duplicate_rate, req.seed));
    let created_at = state.0.clock.iso_micros(now);
    let result = {
        let mut generator = lock(&state.0.ids);
        lock(&state.0.inboxes).publish(&name, events, req.force, &created_at, now, &mut generator)
    };
    match result {
        Ok(ids) => {
            if let (Some(url), false) = (view["notification_url"].as_str(), ids.is_empty()) {
                let notice = json!({
                    "event": "messages_available",
                    "inbox_id": view["id"],
                    "inbox_name": name,
                    "count": ids.len(),
                });
                let (state, url) = (state.clone(), url.to_owned());
                tokio::spawn(async move {
                    let delivered = crate::notify::post(&url, &notice).await;
                    lock(&state.0.inboxes).notified(&name, delivered);
                });
            }
            Json(json!({ "published": ids.len(), "ids": ids })).into_response()
        }
        Err(e) => inbox_error(e),
    }
}

async fn dump_messages(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let now = state.now();
    match lock(&state.0.inboxes).dump(&name, now) {
        Ok(all) => {
            let results: Vec<Value> = all
                .into_iter()
                .filter(|m| q.get("status").is_none_or(|s| m["status"] == s.as_str()))
                .collect();
            Json(json!({ "results": results })).into_response()
        }
        Err(e) => inbox_error(e),
    }
}

async fn dump_state(State(state): State<AppState>) -> Json<Value> {
    let now = state.now();
    let inboxes = lock(&state.0.inboxes).list(now, None::<Status>, None);
    Json(json!({
        "now_ms": now,
        "clock_offset_ms": state.0.clock.offset_ms(),
        "zapier": { "inboxes": inboxes },
        "rocketchat": lock(&state.0.rocketchat).dump(),
        "zendesk": lock(&state.0.zendesk).dump(),
        "pocketflows": lock(&state.0.pocketflows).dump(),
        "composio": lock(&state.0.composio).dump(),
    }))
}

async fn disable_instance(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if lock(&state.0.composio).disable(&id) {
        Json(json!({ "trigger_id": id, "enabled": false })).into_response()
    } else {
        admin_error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("No trigger instance '{id}'."),
        )
    }
}

/// PUT /_admin/zendesk/definitions: the document GET /api/v2/triggers/definitions serves.
async fn set_definitions(State(state): State<AppState>, body: Bytes) -> Response {
    match json_body(&body) {
        Ok(v) if v.get("definitions").is_some_and(Value::is_object) => {
            lock(&state.0.zendesk).set_definitions(v);
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(_) => invalid("expected {\"definitions\": {...}}"),
        Err(e) => invalid(e),
    }
}
