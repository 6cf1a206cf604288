//! Zendesk triggers API (`/api/v2/triggers`, `.json` suffix optional):
//! create, show, update, delete, list with cursor (`page[size]`,
//! `page[after]`, `page[before]`; `meta` and `links`) and offset (`page`,
//! `per_page`; `next_page`, `previous_page`, `count`) pagination, active,
//! search, definitions, update_many, reorder, destroy_many and revisions.
//! Basic (password or API token) or bearer authentication with a static
//! token. Bodies are checked with triggerkit's validator; errors use
//! Zendesk's `RecordInvalid` / `RecordNotFound` shapes.

use crate::http::{credential, json_body, Credential};
use crate::state::{lock, AppState};
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Map, Value};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use triggerkit::validate::validate_zendesk_trigger;

/// Largest page of a trigger list.
const MAX_PAGE: usize = 100;
/// Largest (and default) page of a revision list.
const MAX_REVISIONS: usize = 1000;
/// First id handed out.
const FIRST_ID: u64 = 10_001;
/// The fields a revision snapshots.
const SNAPSHOT: [&str; 5] = ["actions", "active", "conditions", "description", "title"];
/// Fields clients may not set.
const READ_ONLY: [&str; 4] = ["id", "created_at", "updated_at", "url"];

#[derive(Debug, Clone)]
struct Revision {
    id: u64,
    created_at: String,
    snapshot: Value,
}

/// Zendesk data.
#[derive(Debug, Clone, Default)]
pub struct ZdState {
    triggers: BTreeMap<u64, Value>,
    revisions: BTreeMap<u64, Vec<Revision>>,
    last_id: u64,
    last_revision: u64,
    definitions: Option<Value>,
}

impl ZdState {
    /// Every trigger, for the admin state dump.
    pub fn dump(&self) -> Value {
        json!({ "triggers": self.triggers.values().collect::<Vec<_>>() })
    }

    /// Replaces the definitions document GET /api/v2/triggers/definitions serves.
    pub fn set_definitions(&mut self, definitions: Value) {
        self.definitions = Some(definitions);
    }

    fn next_id(&mut self) -> u64 {
        self.last_id = self.last_id.max(FIRST_ID - 1) + 1;
        self.last_id
    }

    fn record_revision(&mut self, trigger: &Value, created_at: &str) {
        self.last_revision += 1;
        let snapshot: Map<String, Value> = SNAPSHOT
            .iter()
            .map(|k| {
                (
                    (*k).to_owned(),
                    trigger.get(*k).cloned().unwrap_or(Value::Null),
                )
            })
            .collect();
        let id = trigger["id"].as_u64().unwrap_or_default();
        self.revisions.entry(id).or_default().push(Revision {
            id: self.last_revision,
            created_at: created_at.to_owned(),
            snapshot: Value::Object(snapshot),
        });
    }
}

/// A Zendesk error: status and `{"error", "description"[, "details"]}` body.
#[derive(Debug)]
struct ZdError(StatusCode, Value);

impl IntoResponse for ZdError {
    fn into_response(self) -> Response {
        (self.0, Json(self.1)).into_response()
    }
}

fn error(status: StatusCode, error: &str, description: &str) -> ZdError {
    ZdError(
        status,
        json!({ "error": error, "description": description }),
    )
}

fn not_found() -> ZdError {
    error(StatusCode::NOT_FOUND, "RecordNotFound", "Not found")
}

fn bad_param(description: &str) -> ZdError {
    error(StatusCode::BAD_REQUEST, "InvalidValue", description)
}

/// The Zendesk routes.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/v2/triggers", get(list).post(create))
        .route("/api/v2/triggers/active", get(list_active))
        .route("/api/v2/triggers/search", get(search))
        .route("/api/v2/triggers/definitions", get(definitions))
        .route("/api/v2/triggers/update_many", put(update_many))
        .route("/api/v2/triggers/reorder", put(reorder))
        .route("/api/v2/triggers/destroy_many", delete(destroy_many))
        .route(
            "/api/v2/triggers/{id}",
            get(show).put(update).delete(destroy),
        )
        .route("/api/v2/triggers/{id}/revisions", get(revisions))
        .route(
            "/api/v2/triggers/{id}/revisions/{revision}",
            get(show_revision),
        )
        .route_layer(from_fn_with_state(state, require_auth))
}

async fn require_auth(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let secret = match credential(req.headers()) {
        Credential::Basic(_, password) => Some(password),
        Credential::Bearer(token) => Some(token),
        _ => None,
    };
    if secret.is_some_and(|s| lock(&state.0.credentials).is_static(&s)) {
        return next.run(req).await;
    }
    let mut r = (
        StatusCode::UNAUTHORIZED,
        Json(json!({ "error": "Couldn't authenticate you" })),
    )
        .into_response();
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"Web Password\""),
    );
    r
}

/// `{"trigger": {...}}` of a request body, read-only fields removed.
fn trigger_body(body: &[u8]) -> Result<Map<String, Value>, ZdError> {
    let parsed = json_body(body).map_err(|e| error(StatusCode::BAD_REQUEST, "InvalidJSON", &e))?;
    match parsed.get("trigger") {
        Some(Value::Object(t)) => {
            let mut t = t.clone();
            for k in READ_ONLY {
                t.remove(k);
            }
            Ok(t)
        }
        _ => Err(error(
            StatusCode::BAD_REQUEST,
            "ParameterMissing",
            "Parameter trigger is required and must be an object",
        )),
    }
}

/// Validates with triggerkit; answers 422 `RecordInvalid` listing every error.
fn validated(input: &Map<String, Value>) -> Result<Map<String, Value>, ZdError> {
    let verdict = validate_zendesk_trigger(
        &triggerkit::json::Value::from(&Value::Object(input.clone())),
        None,
    );
    match verdict.value.as_ref().map(serde_json::to_value) {
        Some(Ok(Value::Object(normalized))) if verdict.valid => Ok(normalized),
        _ => {
            let base: Vec<Value> = verdict
                .errors
                .iter()
                .map(|i| {
                    let field = i.path.trim_start_matches('/');
                    let description = if field.is_empty() {
                        i.message.clone()
                    } else {
                        format!("{field}: {}", i.message)
                    };
                    json!({ "description": description, "error": i.code })
                })
                .collect();
            Err(ZdError(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({
                    "error": "RecordInvalid",
                    "description": "Record validation errors",
                    "details": { "base": base },
                }),
            ))
        }
    }
}

/// The stored form: Zendesk's full trigger object.
fn complete(
    mut t: Map<String, Value>,
    id: u64,
    created_at: &str,
    updated_at: &str,
    base: &str,
) -> Value {
    let conditions = t.remove("conditions").unwrap_or_else(|| json!({}));
    let list = |k: &str| {
        conditions
            .get(k)
            .cloned()
            .filter(Value::is_array)
            .unwrap_or_else(|| json!([]))
    };
    t.insert(
        "conditions".into(),
        json!({ "all": list("all"), "any": list("any") }),
    );
    let title = t.get("title").cloned().unwrap_or(Value::Null);
    t.entry("raw_title").or_insert(title);
    t.entry("description").or_insert(Value::Null);
    t.entry("default").or_insert(json!(false));
    t.insert("id".into(), json!(id));
    t.insert("created_at".into(), json!(created_at));
    t.insert("updated_at".into(), json!(updated_at));
    t.insert(
        "url".into(),
        json!(format!("{base}/api/v2/triggers/{id}.json")),
    );
    Value::Object(t)
}

fn parse_id(id: &str) -> Option<u64> {
    id.parse().ok()
}

async fn create(State(state): State<AppState>, body: Bytes) -> Response {
    let input = match trigger_body(&body).and_then(|t| validated(&t)) {
        Ok(t) => t,
        Err(r) => return r.into_response(),
    };
    let now = state.0.clock.iso_seconds(state.now());
    let mut zd = lock(&state.0.zendesk);
    let id = zd.next_id();
    let mut input = input;
    if input.get("position").is_none_or(Value::is_null) {
        let last = zd
            .triggers
            .values()
            .filter_map(|t| t["position"].as_i64())
            .max()
            .unwrap_or(0);
        input.insert("position".into(), json!(last + 1));
    }
    let trigger = complete(input, id, &now, &now, &state.0.base_url);
    zd.record_revision(&trigger, &now);
    zd.triggers.insert(id, trigger.clone());
    (StatusCode::CREATED, Json(json!({ "trigger": trigger }))).into_response()
}

async fn show(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let zd = lock(&state.0.zendesk);
    match parse_id(&id).and_then(|id| zd.triggers.get(&id)) {
        Some(t) => Json(json!({ "trigger": t })).into_response(),
        None => not_found().into_response(),
    }
}

async fn update(State(state): State<AppState>, Path(id): Path<String>, body: Bytes) -> Response {
    let changes = match trigger_body(&body) {
        Ok(t) => t,
        Err(r) => return r.into_response(),
    };
    let Some(id) = parse_id(&id) else {
        return not_found().into_response();
    };
    let mut zd = lock(&state.0.zendesk);
    let Some(Value::Object(existing)) = zd.triggers.get(&id).cloned() else {
        return not_found().into_response();
    };
    let mut merged = existing.clone();
    for k in READ_ONLY {
        merged.remove(k);
    }
    // Zendesk: updating conditions or actions replaces both lists.
    if changes.contains_key("conditions") || changes.contains_key("actions") {
        merged.insert("conditions".into(), json!({ "all": [], "any": [] }));
        merged.insert("actions".into(), json!([]));
    }
    merged.extend(changes);
    let normalized = match validated(&merged) {
        Ok(t) => t,
        Err(r) => return r.into_response(),
    };
    let now = state.0.clock.iso_seconds(state.now());
    let created = existing
        .get("created_at")
        .and_then(Value::as_str)
        .unwrap_or(&now)
        .to_owned();
    let trigger = complete(normalized, id, &created, &now, &state.0.base_url);
    zd.record_revision(&trigger, &now);
    zd.triggers.insert(id, trigger.clone());
    Json(json!({ "trigger": trigger })).into_response()
}

async fn destroy(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let mut zd = lock(&state.0.zendesk);
    match parse_id(&id).and_then(|id| zd.triggers.remove(&id).map(|_| id)) {
        Some(id) => {
            zd.revisions.remove(&id);
            StatusCode::NO_CONTENT.into_response()
        }
        None => not_found().into_response(),
    }
}

/// A position in a sorted list: the sort key, then the id.
#[derive(Debug, Clone, PartialEq)]
struct SortPos {
    key: Value,
    id: u64,
}

fn compare_keys(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Number(_), _) => Ordering::Less,
        (_, Value::Number(_)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

impl SortPos {
    fn encode(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(json!([self.key, self.id]).to_string())
    }

    fn decode(text: &str) -> Option<SortPos> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text)
            .ok()?;
        let v: Value = serde_json::from_slice(&bytes).ok()?;
        Some(SortPos {
            key: v.get(0)?.clone(),
            id: v.get(1)?.as_u64()?,
        })
    }
}

/// How a list is filtered, sorted and paged.
struct ListQuery {
    sort_by: String,
    descending: bool,
    query: HashMap<String, String>,
}

impl ListQuery {
    fn parse(query: HashMap<String, String>) -> Result<ListQuery, ZdError> {
        let sort_by = query
            .get("sort_by")
            .cloned()
            .unwrap_or_else(|| "position".to_owned());
        if !matches!(
            sort_by.as_str(),
            "position"
                | "alphabetical"
                | "created_at"
                | "updated_at"
                | "usage_1h"
                | "usage_24h"
                | "usage_7d"
                | "usage_30d"
        ) {
            return Err(bad_param("sort_by must be alphabetical, created_at, updated_at, usage_1h, usage_24h, usage_7d or position"));
        }
        let descending = match query.get("sort_order").map(String::as_str) {
            Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(bad_param("sort_order must be asc or desc")),
            None => !matches!(sort_by.as_str(), "position" | "alphabetical"),
        };
        if let Some(a) = query.get("active") {
            if a != "true" && a != "false" {
                return Err(bad_param("active must be true or false"));
            }
        }
        Ok(ListQuery {
            sort_by,
            descending,
            query,
        })
    }

    fn pos(&self, t: &Value) -> SortPos {
        let key = match self.sort_by.as_str() {
            "alphabetical" => json!(t["title"].as_str().unwrap_or_default().to_lowercase()),
            "created_at" | "updated_at" => t[self.sort_by.as_str()].clone(),
            "position" => json!(t["position"].as_i64().unwrap_or_default()),
            // No usage is recorded in the emulator: every trigger has 0.
            _ => json!(0),
        };
        SortPos {
            key,
            id: t["id"].as_u64().unwrap_or_default(),
        }
    }

    fn order(&self, a: &SortPos, b: &SortPos) -> Ordering {
        let o = compare_keys(&a.key, &b.key).then(a.id.cmp(&b.id));
        if self.descending {
            o.reverse()
        } else {
            o
        }
    }

    fn keeps(&self, t: &Value) -> bool {
        let active = self
            .query
            .get("active")
            .is_none_or(|a| t["active"].as_bool() == Some(a == "true"));
        let category = self
            .query
            .get("category_id")
            .is_none_or(|c| t["category_id"].as_str() == Some(c.as_str()));
        let search = self.query.get("query").is_none_or(|q| {
            t["title"]
                .as_str()
                .is_some_and(|title| title.to_lowercase().contains(&q.to_lowercase()))
        });
        active && category && search
    }

    fn size(&self, key: &str) -> Result<Option<usize>, ZdError> {
        match self.query.get(key) {
            None => Ok(None),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => Ok(Some(n)),
                _ => Err(bad_param(&format!(
                    "{key} must be an integer from 1 to {MAX_PAGE}"
                ))),
            },
        }
    }

    /// The list URL for other pages, keeping the filters.
    fn link(&self, base: &str, path: &str, extra: &[(&str, String)]) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        let mut pairs: Vec<(&String, &String)> = self.query.iter().collect();
        pairs.sort();
        for (k, v) in pairs {
            if !k.starts_with("page") && k != "per_page" {
                ser.append_pair(k, v);
            }
        }
        for (k, v) in extra {
            ser.append_pair(k, v);
        }
        format!("{base}{path}.json?{}", ser.finish())
    }
}

/// Lists triggers at `path` with the filters in `query`.
fn list_page(state: &AppState, path: &str, query: HashMap<String, String>) -> Response {
    let q = match ListQuery::parse(query) {
        Ok(q) => q,
        Err(r) => return r.into_response(),
    };
    let zd = lock(&state.0.zendesk);
    let mut items: Vec<(SortPos, &Value)> = zd
        .triggers
        .values()
        .filter(|t| q.keeps(t))
        .map(|t| (q.pos(t), t))
        .collect();
    items.sort_by(|a, b| q.order(&a.0, &b.0));
    let base = &state.0.base_url;
    let cursor_mode = q.query.keys().any(|k| k.starts_with("page["));
    if cursor_mode {
        let size = match q.size("page[size]") {
            Ok(s) => s.unwrap_or(MAX_PAGE),
            Err(r) => return r.into_response(),
        };
        let decode = |k: &str| q.query.get(k).map(|c| SortPos::decode(c).ok_or(()));
        let (start, end) = match (decode("page[after]"), decode("page[before]")) {
            (Some(Err(())), _) | (_, Some(Err(()))) => {
                return bad_param("invalid pagination cursor").into_response()
            }
            (Some(Ok(after)), _) => {
                let start = items.partition_point(|(p, _)| q.order(p, &after) != Ordering::Greater);
                (start, (start + size).min(items.len()))
            }
            (None, Some(Ok(before))) => {
                let end = items.partition_point(|(p, _)| q.order(p, &before) == Ordering::Less);
                (end.saturating_sub(size), end)
            }
            (None, None) => (0, size.min(items.len())),
        };
        let page: Vec<&Value> = items[start..end].iter().map(|(_, t)| *t).collect();
        let after = (end > start).then(|| items[end - 1].0.encode());
        let before = (end > start).then(|| items[start].0.encode());
        let has_more = end < items.len();
        let next = after.as_ref().filter(|_| has_more).map(|c| {
            q.link(
                base,
                path,
                &[("page[size]", size.to_string()), ("page[after]", c.clone())],
            )
        });
        let prev = before.as_ref().filter(|_| start > 0).map(|c| {
            q.link(
                base,
                path,
                &[
                    ("page[size]", size.to_string()),
                    ("page[before]", c.clone()),
                ],
            )
        });
        return Json(json!({
            "triggers": page,
            "meta": { "has_more": has_more, "after_cursor": after, "before_cursor": before },
            "links": { "next": next, "prev": prev },
        }))
        .into_response();
    }
    let per_page = match q.size("per_page") {
        Ok(s) => s.unwrap_or(MAX_PAGE),
        Err(r) => return r.into_response(),
    };
    let page = match q.query.get("page").map(|p| p.parse::<usize>()) {
        None => 1,
        Some(Ok(p)) if p >= 1 => p,
        Some(_) => return bad_param("page must be a positive integer").into_response(),
    };
    let total = items.len();
    let start = (page - 1).saturating_mul(per_page);
    let triggers: Vec<&Value> = items
        .iter()
        .skip(start)
        .take(per_page)
        .map(|(_, t)| *t)
        .collect();
    let link = |p: usize| {
        q.link(
            base,
            path,
            &[("page", p.to_string()), ("per_page", per_page.to_string())],
        )
    };
    let next_page = (start.saturating_add(per_page) < total).then(|| link(page + 1));
    let previous_page = (page > 1).then(|| link(page - 1));
    Json(json!({
        "triggers": triggers, "count": total, "next_page": next_page, "previous_page": previous_page,
    }))
    .into_response()
}

async fn list(State(state): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    list_page(&state, "/api/v2/triggers", q)
}

async fn list_active(
    State(state): State<AppState>,
    Query(mut q): Query<HashMap<String, String>>,
) -> Response {
    q.insert("active".into(), "true".into());
    list_page(&state, "/api/v2/triggers/active", q)
}

async fn search(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if q.get("query").is_none_or(String::is_empty) {
        return error(
            StatusCode::BAD_REQUEST,
            "ParameterMissing",
            "Parameter query is required",
        )
        .into_response();
    }
    list_page(&state, "/api/v2/triggers/search", q)
}

async fn definitions(State(state): State<AppState>) -> Response {
    let custom = lock(&state.0.zendesk).definitions.clone();
    Json(custom.unwrap_or_else(default_definitions)).into_response()
}

async fn update_many(State(state): State<AppState>, body: Bytes) -> Response {
    let parsed = match json_body(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, "InvalidJSON", &e).into_response(),
    };
    let Some(items) = parsed.get("triggers").and_then(Value::as_array) else {
        return error(
            StatusCode::BAD_REQUEST,
            "ParameterMissing",
            "Parameter triggers is required",
        )
        .into_response();
    };
    let mut zd = lock(&state.0.zendesk);
    let mut ids = Vec::with_capacity(items.len());
    for item in items {
        let Some(id) = item.get("id").and_then(Value::as_u64) else {
            return bad_param("each trigger needs an id").into_response();
        };
        if !zd.triggers.contains_key(&id) {
            return not_found().into_response();
        }
        let position_ok = item.get("position").is_none_or(|p| p.is_i64());
        let active_ok = item.get("active").is_none_or(Value::is_boolean);
        let category_ok = item
            .get("category_id")
            .is_none_or(|c| c.is_string() || c.is_null());
        if !(position_ok && active_ok && category_ok) {
            return bad_param(
                "position must be an integer, active a boolean, category_id a string",
            )
            .into_response();
        }
        ids.push(id);
    }
    let now = state.0.clock.iso_seconds(state.now());
    let mut updated = Vec::with_capacity(ids.len());
    for (item, id) in items.iter().zip(ids) {
        let Some(Value::Object(t)) = zd.triggers.get_mut(&id) else {
            continue;
        };
        for key in ["position", "active", "category_id"] {
            if let Some(v) = item.get(key) {
                t.insert(key.into(), v.clone());
            }
        }
        t.insert("updated_at".into(), json!(now));
        let snapshot = Value::Object(t.clone());
        zd.record_revision(&snapshot, &now);
        updated.push(snapshot);
    }
    Json(json!({ "triggers": updated, "count": updated.len(), "next_page": null, "previous_page": null }))
        .into_response()
}

async fn reorder(State(state): State<AppState>, body: Bytes) -> Response {
    let parsed = match json_body(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, "InvalidJSON", &e).into_response(),
    };
    let Some(order): Option<Vec<u64>> = parsed
        .get("trigger_ids")
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .map(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
                .collect()
        })
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "ParameterMissing",
            "Parameter trigger_ids is required",
        )
        .into_response();
    };
    let mut zd = lock(&state.0.zendesk);
    let given: BTreeSet<u64> = order.iter().copied().collect();
    // Zendesk: every trigger id of the account must be listed, else 404.
    if given.len() != order.len() || given != zd.triggers.keys().copied().collect() {
        return not_found().into_response();
    }
    let now = state.0.clock.iso_seconds(state.now());
    let mut all = Vec::with_capacity(order.len());
    for (i, id) in order.iter().enumerate() {
        if let Some(Value::Object(t)) = zd.triggers.get_mut(id) {
            t.insert("position".into(), json!(i + 1));
            t.insert("updated_at".into(), json!(now));
            all.push(Value::Object(t.clone()));
        }
    }
    // The seed documents `{"trigger": ...}`; the whole new order is added.
    Json(json!({ "trigger": all.first(), "triggers": all })).into_response()
}

async fn destroy_many(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(text) = q.get("ids").filter(|s| !s.is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "ParameterMissing",
            "Parameter ids is required",
        )
        .into_response();
    };
    let Some(ids): Option<Vec<u64>> = text.split(',').map(|s| s.trim().parse().ok()).collect()
    else {
        return bad_param("ids must be a comma-separated list of trigger ids").into_response();
    };
    let mut zd = lock(&state.0.zendesk);
    if ids.iter().any(|id| !zd.triggers.contains_key(id)) {
        return not_found().into_response();
    }
    for id in ids {
        zd.triggers.remove(&id);
        zd.revisions.remove(&id);
    }
    StatusCode::NO_CONTENT.into_response()
}

fn revision_view(base: &str, trigger: u64, r: &Revision, previous: Option<&Revision>) -> Value {
    let mut diff = Map::new();
    for k in SNAPSHOT {
        let old = previous.map_or(&Value::Null, |p| &p.snapshot[k]);
        let new = &r.snapshot[k];
        let change = if old == new {
            json!([])
        } else {
            json!([{ "change": "-", "content": old }, { "change": "+", "content": new }])
        };
        diff.insert(k.to_owned(), change);
    }
    diff.insert("source_id".into(), json!(previous.map(|p| p.id)));
    diff.insert("target_id".into(), json!(r.id));
    json!({
        "author_id": 1,
        "created_at": r.created_at,
        "diff": diff,
        "id": r.id,
        "snapshot": r.snapshot,
        "url": format!("{base}/api/v2/triggers/{trigger}/revisions/{}.json", r.id),
    })
}

async fn revisions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found().into_response();
    };
    let limit = match q.get("limit").map(|l| l.parse::<usize>()) {
        None => MAX_REVISIONS,
        Some(Ok(n)) if (1..=MAX_REVISIONS).contains(&n) => n,
        Some(_) => return bad_param("limit must be an integer from 1 to 1000").into_response(),
    };
    let cursor = match q.get("cursor") {
        None => None,
        Some(c) => match base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(c)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| {
                let (dir, n) = s.split_once(':')?;
                Some((dir == "after", n.parse::<u64>().ok()?))
            }) {
            Some(c) => Some(c),
            None => return bad_param("invalid cursor").into_response(),
        },
    };
    let zd = lock(&state.0.zendesk);
    if !zd.triggers.contains_key(&id) {
        return not_found().into_response();
    }
    let all = zd.revisions.get(&id).cloned().unwrap_or_default();
    // Newest first.
    let newest_first: Vec<(usize, &Revision)> = all.iter().enumerate().rev().collect();
    let window: Vec<(usize, &Revision)> = match cursor {
        None => newest_first.iter().take(limit).copied().collect(),
        Some((false, before)) => newest_first
            .iter()
            .filter(|(_, r)| r.id < before)
            .take(limit)
            .copied()
            .collect(),
        Some((true, after)) => {
            let newer: Vec<(usize, &Revision)> = newest_first
                .iter()
                .filter(|(_, r)| r.id > after)
                .copied()
                .collect();
            newer[newer.len().saturating_sub(limit)..].to_vec()
        }
    };
    let base = &state.0.base_url;
    let encode = |dir: &str, n: u64| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{dir}:{n}"))
    };
    let first = window.first().map(|(_, r)| r.id);
    let last = window.last().map(|(_, r)| r.id);
    let after_cursor = first
        .filter(|f| all.iter().any(|r| r.id > *f))
        .map(|f| encode("after", f));
    let before_cursor = last
        .filter(|l| all.iter().any(|r| r.id < *l))
        .map(|l| encode("before", l));
    let url = |c: &String| {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        ser.append_pair("cursor", c)
            .append_pair("limit", &limit.to_string());
        format!(
            "{base}/api/v2/triggers/{id}/revisions.json?{}",
            ser.finish()
        )
    };
    let list: Vec<Value> = window
        .iter()
        .map(|(i, r)| revision_view(base, id, r, i.checked_sub(1).and_then(|p| all.get(p))))
        .collect();
    Json(json!({
        "after_cursor": after_cursor,
        "after_url": after_cursor.as_ref().map(url),
        "before_cursor": before_cursor,
        "before_url": before_cursor.as_ref().map(url),
        "count": list.len(),
        "trigger_revisions": list,
    }))
    .into_response()
}

async fn show_revision(
    State(state): State<AppState>,
    Path((id, revision)): Path<(String, String)>,
) -> Response {
    let zd = lock(&state.0.zendesk);
    let found = parse_id(&id)
        .zip(parse_id(&revision))
        .and_then(|(id, rev)| {
            let all = zd.revisions.get(&id)?;
            let r = all.iter().find(|r| r.id == rev)?;
            Some(json!({
                "author_id": 1,
                "created_at": r.created_at,
                "id": r.id,
                "snapshot": r.snapshot,
                "url": format!("{}/api/v2/triggers/{id}/revisions/{}.json", state.0.base_url, r.id),
            }))
        });
    match found {
        Some(r) => Json(json!({ "trigger_revision": r })).into_response(),
        None => not_found().into_response(),
    }
}

/// Operators of ordered list fields (status, priority): value, title, terminal.
const ORDERED_OPERATORS: [(&str, &str, bool); 10] = [
    ("is", "Is", false),
    ("is_not", "Is not", false),
    ("less_than", "Less than", false),
    ("greater_than", "Greater than", false),
    ("changed", "Changed", true),
    ("value", "Changed to", false),
    ("value_previous", "Changed from", false),
    ("not_changed", "Not changed", true),
    ("not_value", "Not changed to", false),
    ("not_value_previous", "Not changed from", false),
];

fn values(items: &[(&str, &str)]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|(value, title)| json!({ "enabled": true, "title": title, "value": value }))
            .collect(),
    )
}

fn operators(items: &[(&str, &str, bool)]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|(value, title, terminal)| json!({ "terminal": terminal, "title": title, "value": value }))
            .collect(),
    )
}

/// The definitions document the emulator serves unless the admin API set one.
fn default_definitions() -> Value {
    let statuses = values(&[
        ("new", "New"),
        ("open", "Open"),
        ("pending", "Pending"),
        ("hold", "On-hold"),
        ("solved", "Solved"),
        ("closed", "Closed"),
    ]);
    let priorities = values(&[
        ("low", "Low"),
        ("normal", "Normal"),
        ("high", "High"),
        ("urgent", "Urgent"),
    ]);
    let types = values(&[
        ("question", "Question"),
        ("incident", "Incident"),
        ("problem", "Problem"),
        ("task", "Task"),
    ]);
    let ordered = operators(&ORDERED_OPERATORS);
    // Unordered lists take the same operators but the comparisons.
    let unordered: Vec<(&str, &str, bool)> = ORDERED_OPERATORS
        .iter()
        .copied()
        .filter(|(v, _, _)| !matches!(*v, "less_than" | "greater_than"))
        .collect();
    let equality = operators(&unordered);
    let tags = operators(&[
        ("includes", "Contains at least one of the following", false),
        ("not_includes", "Contains none of the following", false),
    ]);
    let words = operators(&[
        (
            "includes",
            "Contains at least one of the following words",
            false,
        ),
        (
            "not_includes",
            "Contains none of the following words",
            false,
        ),
        ("is", "Contains the following string", false),
        ("is_not", "Does not contain the following string", false),
    ]);
    let condition = |subject: &str, title: &str, kind: &str, ops: &Value, vals: Option<&Value>| {
        let mut c = json!({
            "group": "ticket", "nullable": false, "operators": ops, "repeatable": false,
            "subject": subject, "title": title, "type": kind,
        });
        if let (Some(v), Some(obj)) = (vals, c.as_object_mut()) {
            obj.insert("values".into(), v.clone());
        }
        c
    };
    let conditions = json!([
        condition("status", "Status", "list", &ordered, Some(&statuses)),
        condition("priority", "Priority", "list", &ordered, Some(&priorities)),
        condition("type", "Type", "list", &equality, Some(&types)),
        condition("group_id", "Group", "list", &equality, None),
        condition("assignee_id", "Assignee", "list", &equality, None),
        condition("current_tags", "Tags", "tags", &tags, None),
        condition(
            "comment_includes_word",
            "Comment text",
            "text",
            &words,
            None
        ),
        condition(
            "update_type",
            "Ticket is",
            "list",
            &operators(&[("is", "Is", false)]),
            Some(&values(&[("Create", "Created"), ("Change", "Updated")]))
        ),
    ]);
    let action = |subject: &str, title: &str, kind: &str, vals: Option<&Value>| {
        let mut a = json!({ "group": "ticket", "nullable": false, "repeatable": false, "subject": subject, "title": title, "type": kind });
        if let (Some(v), Some(obj)) = (vals, a.as_object_mut()) {
            obj.insert("values".into(), v.clone());
        }
        a
    };
    json!({
        "definitions": {
            "actions": [
                action("status", "Status", "list", Some(&statuses)),
                action("priority", "Priority", "list", Some(&priorities)),
                action("type", "Type", "list", Some(&types)),
                action("group_id", "Group", "list", None),
                action("assignee_id", "Assignee", "list", None),
                action("set_tags", "Set tags", "text", None),
                action("current_tags", "Add tags", "text", None),
                action("remove_tags", "Remove tags", "text", None),
                action("notification_user", "Email user", "list", None),
            ],
            "conditions_all": conditions,
            "conditions_any": conditions,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let p = SortPos {
            key: json!("roger wilco"),
            id: 10_002,
        };
        assert_eq!(SortPos::decode(&p.encode()), Some(p));
        assert_eq!(SortPos::decode("!!"), None);
    }

    #[test]
    fn ids_start_high_and_grow() {
        let mut zd = ZdState::default();
        assert_eq!(zd.next_id(), FIRST_ID);
        assert_eq!(zd.next_id(), FIRST_ID + 1);
    }

    #[test]
    fn complete_fills_zendesk_fields() {
        let mut t = Map::new();
        t.insert("title".into(), json!("T"));
        t.insert(
            "conditions".into(),
            json!({ "all": [{ "field": "status", "operator": "is", "value": "open" }] }),
        );
        let v = complete(t, 7, "c", "u", "http://h");
        assert_eq!(v["conditions"]["any"], json!([]));
        assert_eq!(v["raw_title"], "T");
        assert_eq!(v["url"], "http://h/api/v2/triggers/7.json");
        assert_eq!(v["description"], Value::Null);
    }
}
