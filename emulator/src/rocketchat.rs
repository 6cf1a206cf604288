//! Rocket.Chat livechat: POST/GET /api/v1/livechat/triggers (X-Auth-Token
//! and X-User-Id), GET/DELETE /api/v1/livechat/triggers/{id}, the widget's
//! GET /api/v1/livechat/config (enabled triggers under `config.triggers`),
//! and POST /api/v1/livechat/triggers/{id}/external-service/call. The
//! external service is never called: the trigger's serviceUrl selects a
//! canned response set through the admin API (contents, delay, failure), or
//! a deterministic default. Response shapes follow Rocket.Chat's server code.

use crate::http::{header_str, json_body};
use crate::state::{lock, AppState};
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::time::Duration;
use triggerkit::validate::{rocketchat_error_text, validate_rocketchat_trigger};

/// Rocket.Chat's defaults for a use-external-service action.
const DEFAULT_TIMEOUT_MS: u64 = 5000;
const DEFAULT_FALLBACK: &str = "trigger-default-fallback-message";
/// The X-User-Id that lacks the `view-livechat-manager` permission.
pub const NO_PERMISSION_USER: &str = "no-permission";

/// A canned external service (PUT /_admin/rocketchat/services).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The serviceUrl this answers for.
    service_url: String,
    /// `contents` returned (`[{msg, order}]`); default: the deterministic reply.
    #[serde(default)]
    contents: Option<Vec<Value>>,
    /// Time the service takes to answer, in milliseconds.
    #[serde(default)]
    delay_ms: u64,
    /// HTTP status the service answers with (non-200 is a failure).
    #[serde(default = "ok_status")]
    status: u16,
    /// Body text of a failing answer.
    #[serde(default)]
    body: Option<String>,
}

fn ok_status() -> u16 {
    200
}

/// Rocket.Chat data.
#[derive(Debug, Clone, Default)]
pub struct RcState {
    triggers: Vec<Value>,
    services: HashMap<String, Service>,
    disabled: bool,
}

impl RcState {
    /// Stored triggers and canned services, for the admin state dump.
    pub fn dump(&self) -> Value {
        let services: Vec<&str> = self.services.keys().map(String::as_str).collect();
        json!({ "triggers": self.triggers, "services": services, "enabled": !self.disabled })
    }
}

/// The Rocket.Chat routes.
pub fn routes(state: AppState) -> Router<AppState> {
    let authed = Router::new()
        .route("/api/v1/livechat/triggers", post(upsert).get(list))
        .route("/api/v1/livechat/triggers/{id}", get(show).delete(remove))
        .route_layer(from_fn_with_state(state, require_login));
    authed.route("/api/v1/livechat/config", get(config)).route(
        "/api/v1/livechat/triggers/{id}/external-service/call",
        post(external_service_call),
    )
}

fn failure(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

fn invalid_params(text: &str) -> Response {
    failure(
        StatusCode::BAD_REQUEST,
        json!({ "success": false, "error": format!("{text} [invalid-params]"), "errorType": "invalid-params" }),
    )
}

async fn require_login(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let token = header_str(req.headers(), "x-auth-token");
    let user = header_str(req.headers(), "x-user-id").filter(|u| !u.is_empty());
    let ok = token.is_some_and(|t| lock(&state.0.credentials).is_static(t)) && user.is_some();
    if !ok {
        return failure(
            StatusCode::UNAUTHORIZED,
            json!({ "status": "error", "message": "You must be logged in to do this." }),
        );
    }
    if user == Some(NO_PERMISSION_USER) {
        return failure(
            StatusCode::FORBIDDEN,
            json!({
                "success": false,
                "error": "User does not have the permissions required for this action [error-unauthorized]",
            }),
        );
    }
    next.run(req).await
}

async fn upsert(State(state): State<AppState>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(v) => v,
        Err(e) => return invalid_params(&e),
    };
    let verdict = validate_rocketchat_trigger(&(&body).into());
    let trigger = match (&verdict.value, rocketchat_error_text(&verdict)) {
        (Some(t), None) => t.clone(),
        (_, text) => {
            let text = text.unwrap_or_else(|| "must be object [invalid-params]".to_owned());
            return failure(
                StatusCode::BAD_REQUEST,
                json!({ "success": false, "error": text, "errorType": "invalid-params" }),
            );
        }
    };
    let mut stored = match serde_json::to_value(&trigger) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let now = state.now();
    stored.insert("_updatedAt".into(), json!(state.0.clock.iso_millis(now)));
    let mut rc = lock(&state.0.rocketchat);
    match trigger.id.flatten() {
        // Rocket.Chat updates by id without upserting: an unknown id is a no-op.
        Some(id) => {
            if let Some(existing) = rc.triggers.iter_mut().find(|t| t["_id"] == id.as_str()) {
                *existing = Value::Object(stored);
            }
        }
        None => {
            let id = lock(&state.0.ids).meteor();
            stored.insert("_id".into(), json!(id));
            rc.triggers.push(Value::Object(stored));
        }
    }
    Json(json!({ "success": true })).into_response()
}

async fn list(State(state): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    let number = |k: &str| q.get(k).and_then(|v| v.parse::<usize>().ok());
    let offset = number("offset").unwrap_or(0);
    let count = number("count").unwrap_or(50);
    let rc = lock(&state.0.rocketchat);
    let mut sorted = rc.triggers.clone();
    sorted.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let page: Vec<Value> = sorted.iter().skip(offset).take(count).cloned().collect();
    Json(json!({
        "triggers": page, "count": page.len(), "offset": offset, "total": sorted.len(), "success": true,
    }))
    .into_response()
}

async fn show(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let rc = lock(&state.0.rocketchat);
    let trigger = rc
        .triggers
        .iter()
        .find(|t| t["_id"] == id.as_str())
        .cloned();
    Json(json!({ "trigger": trigger, "success": true })).into_response()
}

async fn remove(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    lock(&state.0.rocketchat)
        .triggers
        .retain(|t| t["_id"] != id.as_str());
    Json(json!({ "success": true })).into_response()
}

async fn config(State(state): State<AppState>) -> Response {
    let rc = lock(&state.0.rocketchat);
    if rc.disabled {
        return Json(json!({ "config": { "enabled": false }, "success": true })).into_response();
    }
    let triggers: Vec<Value> = rc
        .triggers
        .iter()
        .filter(|t| t["enabled"] == true)
        .map(|t| {
            json!({
                "_id": t["_id"], "actions": t["actions"], "conditions": t["conditions"], "runOnce": t["runOnce"],
            })
        })
        .collect();
    Json(json!({
        "config": {
            "enabled": true,
            "settings": {
                "registrationForm": true,
                "allowSwitchingDepartments": true,
                "nameFieldRegistrationForm": true,
                "emailFieldRegistrationForm": true,
                "displayOfflineForm": true,
                "videoCall": false,
                "fileUpload": true,
                "language": "",
                "transcript": false,
                "historyMonitorType": "url",
                "forceAcceptDataProcessingConsent": false,
                "showConnecting": false,
                "agentHiddenInfo": false,
                "clearLocalStorageWhenChatEnded": false,
                "limitTextLength": false,
            },
            "theme": {
                "title": "Rocket.Chat",
                "color": "#C1272D",
                "offlineTitle": "Leave a message",
                "offlineColor": "#666666",
                "position": "right",
            },
            "messages": {
                "offlineMessage": "We are not online right now. Please leave us a message:",
                "offlineSuccessMessage": "",
                "offlineUnavailableMessage": "",
                "conversationFinishedMessage": "Conversation finished",
                "conversationFinishedText": "",
                "transcriptMessage": "Would you like a copy of this chat emailed?",
                "registrationFormMessage": "",
                "dataProcessingConsentText": "",
            },
            "survey": {
                "items": ["satisfaction", "agentKnowledge", "agentResposiveness", "agentFriendliness"],
                "values": ["1", "2", "3", "4", "5"],
            },
            "triggers": triggers,
            "departments": [],
            "resources": { "sound": format!("{}/sounds/chime.mp3", state.0.base_url), "emojis": [] },
            "online": true,
        },
        "success": true,
    }))
    .into_response()
}

/// Checks the call body like Rocket.Chat's ajv schema: `{token: string,
/// extraData?: [{key: string, value: string}] | null}`, nothing else.
fn check_call_body(body: &Value) -> Result<Vec<(String, String)>, &'static str> {
    let obj = body.as_object().ok_or("must be object")?;
    if obj.keys().any(|k| k != "token" && k != "extraData") {
        return Err("must NOT have additional properties");
    }
    match obj.get("token") {
        None => return Err("must have required property 'token'"),
        Some(Value::String(_)) => {}
        Some(_) => return Err("must be string"),
    }
    let mut extra = Vec::new();
    match obj.get("extraData") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let o = item.as_object().ok_or("must be object")?;
                if o.keys().any(|k| k != "key" && k != "value") {
                    return Err("must NOT have additional properties");
                }
                let key = o.get("key").ok_or("must have required property 'key'")?;
                let value = o
                    .get("value")
                    .ok_or("must have required property 'value'")?;
                match (key.as_str(), value.as_str()) {
                    (Some(k), Some(v)) => extra.push((k.to_owned(), v.to_owned())),
                    _ => return Err("must be string"),
                }
            }
        }
        Some(_) => return Err("must be array"),
    }
    Ok(extra)
}

fn contents_valid(contents: &[Value]) -> bool {
    !contents.is_empty()
        && contents
            .iter()
            .all(|c| c["msg"].is_string() && c["order"].is_number())
}

async fn external_service_call(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let body = match json_body(&body) {
        Ok(v) => v,
        Err(e) => return invalid_params(&e),
    };
    let extra = match check_call_body(&body) {
        Ok(extra) => extra,
        Err(text) => return invalid_params(text),
    };
    let plain_error = |text: &str| {
        failure(
            StatusCode::BAD_REQUEST,
            json!({ "success": false, "error": text }),
        )
    };
    let (trigger, service) = {
        let rc = lock(&state.0.rocketchat);
        let Some(trigger) = rc
            .triggers
            .iter()
            .find(|t| t["_id"] == id.as_str())
            .cloned()
        else {
            return plain_error("Invalid trigger");
        };
        let url = trigger["actions"][0]["params"]["serviceUrl"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        (trigger, rc.services.get(&url).cloned())
    };
    let action = &trigger["actions"][0];
    if action["name"] != "use-external-service" {
        return plain_error("Trigger is not configured to use an external service");
    }
    let params = &action["params"];
    let Some(url) = params["serviceUrl"].as_str().filter(|u| !u.is_empty()) else {
        return plain_error("Invalid service URL");
    };
    let timeout = params["serviceTimeout"]
        .as_f64()
        .filter(|t| *t >= 0.0)
        .map_or(DEFAULT_TIMEOUT_MS, |t| t as u64);
    let fallback = params["serviceFallbackMessage"]
        .as_str()
        .unwrap_or(DEFAULT_FALLBACK);
    let fail = |error: &str, response: &str| {
        failure(
            StatusCode::BAD_REQUEST,
            json!({
                "success": false, "triggerId": id, "error": error,
                "response": response, "fallbackMessage": fallback,
            }),
        )
    };
    let delay = service.as_ref().map_or(0, |s| s.delay_ms);
    tokio::time::sleep(Duration::from_millis(delay.min(timeout))).await;
    if delay >= timeout && delay > 0 {
        return fail("error-timeout", "The user aborted a request.");
    }
    let contents = match &service {
        Some(s) if s.status != 200 => {
            let text = s.body.clone().unwrap_or_else(|| {
                StatusCode::from_u16(s.status)
                    .ok()
                    .and_then(|c| c.canonical_reason())
                    .unwrap_or("Error")
                    .to_owned()
            });
            return fail("error-invalid-webhook-response", &text);
        }
        Some(Service {
            contents: Some(c), ..
        }) => c.clone(),
        _ => default_contents(url, &extra),
    };
    if !contents_valid(&contents) {
        return fail(
            "error-invalid-webhook-response",
            "External service response does not match expected format",
        );
    }
    Json(json!({
        "triggerId": id,
        "response": { "statusCode": 200, "contents": contents },
        "success": true,
    }))
    .into_response()
}

/// The reply of a service nobody configured: two messages listed out of
/// `order`, so clients show that they sort; the first echoes extraData.
fn default_contents(url: &str, extra: &[(String, String)]) -> Vec<Value> {
    let echo = if extra.is_empty() {
        String::new()
    } else {
        let pairs: Vec<String> = extra.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(" ({})", pairs.join(", "))
    };
    vec![
        json!({ "msg": format!("Second reply from {url}"), "order": 1 }),
        json!({ "msg": format!("First reply from {url}{echo}"), "order": 0 }),
    ]
}

/// PUT /_admin/rocketchat/services: sets the canned answer of a serviceUrl.
pub async fn set_service(State(state): State<AppState>, body: Bytes) -> Response {
    let parsed = json_body(&body)
        .and_then(|v| serde_json::from_value::<Service>(v).map_err(|e| e.to_string()));
    match parsed {
        Ok(s) if (100..=599).contains(&s.status) => {
            let url = s.service_url.clone();
            lock(&state.0.rocketchat).services.insert(url.clone(), s);
            Json(json!({ "service_url": url })).into_response()
        }
        Ok(_) => failure(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "error": "invalid", "detail": "status must be 100 to 599" }),
        ),
        Err(e) => failure(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "error": "invalid", "detail": e }),
        ),
    }
}

/// DELETE /_admin/rocketchat/services: forgets every canned answer.
pub async fn clear_services(State(state): State<AppState>) -> StatusCode {
    lock(&state.0.rocketchat).services.clear();
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    enabled: bool,
}

/// PUT /_admin/rocketchat/settings: `{"enabled": false}` turns livechat off.
pub async fn set_settings(State(state): State<AppState>, body: Bytes) -> Response {
    match json_body(&body)
        .and_then(|v| serde_json::from_value::<Settings>(v).map_err(|e| e.to_string()))
    {
        Ok(s) => {
            lock(&state.0.rocketchat).disabled = !s.enabled;
            Json(json!({ "enabled": s.enabled })).into_response()
        }
        Err(e) => failure(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "error": "invalid", "detail": e }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_body_follows_the_server_schema() {
        assert_eq!(
            check_call_body(&json!({})),
            Err("must have required property 'token'")
        );
        assert_eq!(
            check_call_body(&json!({"token": "t", "x": 1})),
            Err("must NOT have additional properties")
        );
        assert_eq!(
            check_call_body(&json!({"token": "t", "extraData": [{"key": "a"}]})),
            Err("must have required property 'value'")
        );
        assert_eq!(
            check_call_body(&json!({"token": "t", "extraData": [{"key": "a", "value": "b"}]})),
            Ok(vec![("a".to_owned(), "b".to_owned())])
        );
    }

    #[test]
    fn default_contents_are_valid_and_out_of_order() {
        let c = default_contents("http://svc", &[("k".into(), "v".into())]);
        assert!(contents_valid(&c));
        assert_eq!(c[0]["order"], 1);
        assert!(c[1]["msg"].as_str().is_some_and(|m| m.ends_with("(k=v)")));
        assert!(!contents_valid(&[json!({"msg": 1, "order": 0})]));
    }
}
