//! Zapier: the Trigger Inbox API (`/trigger-inbox/api/v1/...`), the
//! authentications list (`/v2/authentications/`) and POST /oauth/token, with
//! the seed's paths, bodies, status codes and error table. Errors use the
//! Trigger Inbox error format: `{"errors": [{code, detail, status, title, source}]}`.

pub mod catalog;
pub mod inbox;
mod oauth;

use crate::auth::{BearerCheck, INBOX_SCOPE};
use crate::http::{credential, json_body, Credential};
use crate::state::{lock, AppState};
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use inbox::{InboxError, InboxSpec, Status};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use triggerkit::validate::validate_zapier_inbox;

/// Default `lease_seconds` (the seed's).
pub const DEFAULT_LEASE_SECONDS: u64 = 30;
/// Largest `lease_seconds` accepted.
pub const MAX_LEASE_SECONDS: u64 = 3600;
/// Default `max_messages`.
pub const DEFAULT_MAX_MESSAGES: u64 = 10;
/// Largest `max_messages` accepted.
pub const MAX_MAX_MESSAGES: u64 = 100;
/// Longest inbox name.
pub const MAX_NAME_LEN: usize = 100;

/// A Trigger Inbox error response.
#[derive(Debug)]
pub struct ZapierError {
    status: StatusCode,
    errors: Vec<Value>,
}

impl ZapierError {
    /// One error with `code` and `detail`.
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        ZapierError {
            status,
            errors: vec![error_object(status, code, &detail.into(), None)],
        }
    }

    /// A 422 `validation_error` listing every problem, each located by a
    /// JSON Pointer into the body (`pointer`) or a query `parameter`.
    fn invalid(problems: Vec<(Value, String)>) -> Self {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        ZapierError {
            status,
            errors: problems
                .into_iter()
                .map(|(source, detail)| {
                    error_object(status, "validation_error", &detail, Some(source))
                })
                .collect(),
        }
    }

    fn invalid_param(parameter: &str, detail: impl Into<String>) -> Self {
        Self::invalid(vec![(json!({ "parameter": parameter }), detail.into())])
    }

    fn invalid_body(pointer: &str, detail: impl Into<String>) -> Self {
        Self::invalid(vec![(json!({ "pointer": pointer }), detail.into())])
    }
}

fn error_object(status: StatusCode, code: &str, detail: &str, source: Option<Value>) -> Value {
    let mut e = json!({
        "code": code,
        "detail": detail,
        "status": status.as_u16(),
        "title": status.canonical_reason().unwrap_or("Error"),
    });
    if let (Some(source), Some(obj)) = (source, e.as_object_mut()) {
        obj.insert("source".into(), source);
    }
    e
}

impl IntoResponse for ZapierError {
    fn into_response(self) -> Response {
        let mut r = (self.status, Json(json!({ "errors": self.errors }))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

impl From<InboxError> for ZapierError {
    fn from(e: InboxError) -> Self {
        match e {
            InboxError::NotFound(name) => ZapierError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("Inbox '{name}' does not exist."),
            ),
            InboxError::Conflict(detail) => ZapierError::new(StatusCode::CONFLICT, "conflict", detail),
            InboxError::NotCollecting(status) => ZapierError::new(
                StatusCode::CONFLICT,
                "not_collecting",
                format!(
                    "The inbox is {} and collects no events; pass \"force\": true to publish anyway.",
                    status.as_str()
                ),
            ),
        }
    }
}

type Result<T> = std::result::Result<T, ZapierError>;

/// The Zapier routes, with bearer authentication on all but /oauth/token.
pub fn routes(state: AppState) -> Router<AppState> {
    const INBOX: &str = "/trigger-inbox/api/v1/inboxes/{name}";
    Router::new()
        .route("/trigger-inbox/api/v1/triggers/", get(list_triggers))
        .route(
            "/trigger-inbox/api/v1/trigger-input-fields/",
            get(input_fields),
        )
        .route("/trigger-inbox/api/v1/inboxes/", get(list_inboxes))
        .route(
            &format!("{INBOX}/"),
            put(upsert).get(get_inbox).delete(delete_inbox),
        )
        .route(&format!("{INBOX}/pause/"), post(pause))
        .route(&format!("{INBOX}/resume/"), post(resume))
        .route(&format!("{INBOX}/messages/"), get(list_messages))
        .route(&format!("{INBOX}/messages/lease/"), post(lease))
        .route(&format!("{INBOX}/messages/ack/"), post(ack))
        .route(&format!("{INBOX}/messages/release/"), post(release))
        .route("/v2/authentications/", get(authentications))
        .route_layer(from_fn_with_state(state, require_bearer))
        .route("/oauth/token", post(oauth::token))
}

async fn require_bearer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let unauthorized = |code: &str, detail: &str| {
        ZapierError::new(StatusCode::UNAUTHORIZED, code, detail).into_response()
    };
    let token = match credential(req.headers()) {
        Credential::Bearer(t) => t,
        Credential::Missing => {
            return unauthorized(
                "authentication_failed",
                "Authentication credentials were not provided.",
            )
        }
        _ => {
            return unauthorized(
                "authentication_failed",
                "The Authorization header must be 'Bearer <token>'.",
            )
        }
    };
    let scope = req
        .uri()
        .path()
        .starts_with("/trigger-inbox/")
        .then_some(INBOX_SCOPE);
    let verdict = lock(&state.0.credentials).check_bearer(&token, state.now(), scope);
    match verdict {
        BearerCheck::Valid => next.run(req).await,
        BearerCheck::Unknown => unauthorized("authentication_failed", "Invalid bearer token."),
        BearerCheck::Expired => unauthorized("authentication_failed", "Token has expired."),
        BearerCheck::WrongAudience => unauthorized(
            "invalid_audience",
            "Token audience does not include trigger-inbox: issue it via POST /oauth/token with scope=external.",
        ),
    }
}

fn required<'a>(q: &'a HashMap<String, String>, names: &[&str]) -> Result<Vec<&'a str>> {
    let mut missing = Vec::new();
    let mut found = Vec::new();
    for name in names {
        match q.get(*name).map(String::as_str).filter(|v| !v.is_empty()) {
            Some(v) => found.push(v),
            None => missing.push((
                json!({ "parameter": name }),
                format!("Query parameter '{name}' is required."),
            )),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(ZapierError::invalid(missing))
    }
}

fn find_app(name: &str) -> Result<&'static catalog::App> {
    catalog::app(name).ok_or_else(|| {
        ZapierError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("App '{name}' does not exist."),
        )
    })
}

async fn list_triggers(Query(q): Query<HashMap<String, String>>) -> Result<Json<Value>> {
    let found = required(&q, &["app"])?;
    let app = find_app(found.first().copied().unwrap_or_default())?;
    Ok(Json(json!({ "results": app.trigger_views() })))
}

async fn input_fields(Query(q): Query<HashMap<String, String>>) -> Result<Json<Value>> {
    let found = required(&q, &["app", "action", "connection"])?;
    let app = find_app(found.first().copied().unwrap_or_default())?;
    let action = found.get(1).copied().unwrap_or_default();
    let trigger = app.trigger(action).ok_or_else(|| {
        ZapierError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("App '{}' has no trigger '{action}'.", app.slug),
        )
    })?;
    Ok(Json(json!({ "results": trigger.input_fields() })))
}

/// Inbox names are one URL path segment: letters, digits, `-`, `_`, `.`.
fn check_name(name: &str) -> Result<()> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if name.is_empty() || name.len() > MAX_NAME_LEN || !ok_chars || name == "." || name == ".." {
        return Err(ZapierError::invalid_param(
            "name",
            format!(
                "Inbox names are 1 to {MAX_NAME_LEN} characters of letters, digits, '-', '_' and '.'."
            ),
        ));
    }
    Ok(())
}

async fn upsert(
    State(state): State<AppState>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response> {
    check_name(&name)?;
    let body = json_body(&body).map_err(|e| ZapierError::invalid_body("", e))?;
    let mut problems = Vec::new();
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    let app = text("app").and_then(catalog::app);
    if let (Some(given), None) = (text("app"), app) {
        problems.push((
            json!({"pointer": "/app"}),
            format!("Unknown app '{given}'."),
        ));
    }
    let trigger = app.zip(text("action")).and_then(|(a, t)| a.trigger(t));
    if let (Some(a), Some(given), None) = (app, text("action"), trigger) {
        problems.push((
            json!({"pointer": "/action"}),
            format!("App '{}' has no trigger '{given}'.", a.slug),
        ));
    }
    let fields = trigger.map(catalog::Trigger::input_fields);
    let verdict = validate_zapier_inbox(&triggerkit::json::Value::from(&body), fields.as_deref());
    problems.extend(verdict.errors.iter().map(|i| {
        (
            json!({"pointer": i.path, "issue": i.code}),
            i.message.clone(),
        )
    }));
    let (Some(app), Some(input), true) = (app, verdict.value, problems.is_empty()) else {
        if problems.is_empty() {
            problems.push((json!({"pointer": ""}), "Invalid inbox body.".to_owned()));
        }
        return Err(ZapierError::invalid(problems));
    };
    let spec = InboxSpec {
        app_key: app.key.to_owned(),
        init_failure: catalog::init_failure(&input.connection),
        action: input.action,
        connection: input.connection,
        inputs: input
            .inputs
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or(Value::Null)))
            .collect(),
        notification_url: input.notification_url,
    };
    let now = state.now();
    let created_at = state.0.clock.iso_micros(now);
    let unix_ms = state
        .0
        .clock
        .wall(now)
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let id = lock(&state.0.ids).uuid7(unix_ms);
    let mut store = lock(&state.0.inboxes);
    let (created, inbox) = store.upsert(&name, spec, id, &created_at, now)?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(inbox.view())).into_response())
}

async fn get_inbox(State(state): State<AppState>, Path(name): Path<String>) -> Result<Json<Value>> {
    let now = state.now();
    Ok(Json(lock(&state.0.inboxes).get(&name, now)?.view()))
}

async fn list_inboxes(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    let status = match q.get("status") {
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            ZapierError::invalid_param(
                "status",
                format!("'{s}' is not one of active, paused, initializing, deleting, initialization_failure."),
            )
        })?),
        None => None,
    };
    let now = state.now();
    let results = lock(&state.0.inboxes).list(now, status, q.get("name").map(String::as_str));
    Ok(Json(json!({ "results": results })))
}

async fn pause(State(state): State<AppState>, Path(name): Path<String>) -> Result<Json<Value>> {
    let now = state.now();
    Ok(Json(lock(&state.0.inboxes).pause(&name, now)?))
}

async fn resume(State(state): State<AppState>, Path(name): Path<String>) -> Result<Json<Value>> {
    let now = state.now();
    Ok(Json(lock(&state.0.inboxes).resume(&name, now)?))
}

async fn delete_inbox(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<Value>> {
    let now = state.now();
    Ok(Json(lock(&state.0.inboxes).delete(&name, now)?))
}

/// Reads an optional positive integer field in `lo..=hi`.
fn int_field(body: &Map<String, Value>, key: &str, default: u64, lo: u64, hi: u64) -> Result<u64> {
    let Some(v) = body.get(key).filter(|v| !v.is_null()) else {
        return Ok(default);
    };
    let n = v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0)
            .map(|f| f as u64)
    });
    match n {
        Some(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(ZapierError::invalid_body(
            &format!("/{key}"),
            format!("'{key}' must be an integer from {lo} to {hi}."),
        )),
    }
}

fn object_body(body: &[u8]) -> Result<Map<String, Value>> {
    match json_body(body).map_err(|e| ZapierError::invalid_body("", e))? {
        Value::Null => Ok(Map::new()),
        Value::Object(m) => Ok(m),
        _ => Err(ZapierError::invalid_body(
            "",
            "The request body must be a JSON object.",
        )),
    }
}

async fn lease(
    State(state): State<AppState>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Json<Value>> {
    let body = object_body(&body)?;
    let secs = int_field(
        &body,
        "lease_seconds",
        DEFAULT_LEASE_SECONDS,
        1,
        MAX_LEASE_SECONDS,
    )?;
    let max = int_field(
        &body,
        "max_messages",
        DEFAULT_MAX_MESSAGES,
        1,
        MAX_MAX_MESSAGES,
    )?;
    let now = state.now();
    let mut ids = lock(&state.0.ids);
    let results = lock(&state.0.inboxes).lease(
        &name,
        secs * 1000,
        usize::try_from(max).unwrap_or(usize::MAX),
        now,
        &mut ids,
    )?;
    Ok(Json(json!({ "results": results })))
}

fn lease_tokens(body: &[u8]) -> Result<Vec<String>> {
    let body = object_body(body)?;
    let Some(Value::Array(items)) = body.get("lease_tokens") else {
        return Err(ZapierError::invalid_body(
            "/lease_tokens",
            "'lease_tokens' is required: an array of lease tokens.",
        ));
    };
    if items.is_empty() {
        return Err(ZapierError::invalid_body(
            "/lease_tokens",
            "'lease_tokens' must not be empty.",
        ));
    }
    let mut problems = Vec::new();
    let mut tokens = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(t) if !t.is_empty() => tokens.push(t.to_owned()),
            _ => problems.push((
                json!({ "pointer": format!("/lease_tokens/{i}") }),
                "Each lease token must be a non-empty string.".to_owned(),
            )),
        }
    }
    if problems.is_empty() {
        Ok(tokens)
    } else {
        Err(ZapierError::invalid(problems))
    }
}

async fn settle(state: AppState, name: String, body: Bytes, ack: bool) -> Result<Json<Value>> {
    let tokens = lease_tokens(&body)?;
    let now = state.now();
    let report = lock(&state.0.inboxes).settle(&name, &tokens, ack, now)?;
    Ok(Json(json!(report)))
}

async fn ack(
    State(state): State<AppState>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Json<Value>> {
    settle(state, name, body, true).await
}

async fn release(
    State(state): State<AppState>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Json<Value>> {
    settle(state, name, body, false).await
}

async fn list_messages(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    let status = q.get("status").map(String::as_str);
    if let Some(s) = status {
        if !matches!(s, "available" | "leased" | "quarantined") {
            return Err(ZapierError::invalid_param(
                "status",
                format!("'{s}' is not one of available, leased, quarantined."),
            ));
        }
    }
    let now = state.now();
    let results = lock(&state.0.inboxes).messages(&name, status, now)?;
    Ok(Json(json!({ "results": results })))
}

async fn authentications(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    let found = required(&q, &["app"])?;
    let app = find_app(found.first().copied().unwrap_or_default())?;
    let number = |key: &str, default: usize| -> Result<usize> {
        match q.get(key) {
            None => Ok(default),
            Some(v) => v.parse::<usize>().map_err(|_| {
                ZapierError::invalid_param(key, format!("'{key}' must be a non-negative integer."))
            }),
        }
    };
    let limit = number("limit", 10)?.clamp(1, 100);
    let offset = number("offset", 0)?;
    let all = app.authentications();
    let total = all.len();
    let page: Vec<Value> = all.into_iter().skip(offset).take(limit).collect();
    let link = |off: usize| {
        format!(
            "{}/v2/authentications/?app={}&limit={limit}&offset={off}",
            state.0.base_url, app.slug
        )
    };
    let next = (offset + limit < total).then(|| link(offset + limit));
    let prev = (offset > 0).then(|| link(offset.saturating_sub(limit)));
    Ok(Json(json!({
        "links": { "next": next, "prev": prev },
        "meta": { "count": total, "limit": limit, "offset": offset },
        "data": page,
    })))
}
