//! HTTP plumbing shared by the API modules: which API a path belongs to and
//! that API's error body, lenient JSON body parsing, and credential parsing
//! (bearer and basic).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};

/// The API a request path belongs to; decides the shape of error bodies
/// produced outside the API's own handlers (faults, unknown routes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// Zapier Trigger Inbox and the Zapier v2 authentications list.
    Zapier,
    /// POST /oauth/token.
    OAuth,
    /// Rocket.Chat REST API (`/api/v1/`).
    RocketChat,
    /// Zendesk Support API (`/api/v2/`).
    Zendesk,
    /// Pocketflows (`/businesses/`).
    Pocketflows,
    /// Composio (`/api/v3/`).
    Composio,
    /// The emulator's own admin API (`/_admin/`).
    Admin,
    /// Anything else.
    Other,
}

impl Api {
    /// The API serving `path`.
    pub fn of(path: &str) -> Api {
        if path.starts_with("/trigger-inbox/") || path.starts_with("/v2/") {
            Api::Zapier
        } else if path.starts_with("/oauth/") {
            Api::OAuth
        } else if path.starts_with("/api/v1/") {
            Api::RocketChat
        } else if path.starts_with("/api/v2/") {
            Api::Zendesk
        } else if path.starts_with("/api/v3/") {
            Api::Composio
        } else if path.starts_with("/businesses/") {
            Api::Pocketflows
        } else if path.starts_with("/_admin") {
            Api::Admin
        } else {
            Api::Other
        }
    }

    /// A generic error of this API for `status` (used for faults, unknown
    /// routes and rate limiting), in the API's own body shape.
    pub fn error(self, status: StatusCode, detail: &str) -> Response {
        let reason = status.canonical_reason().unwrap_or("Error");
        let body = match self {
            Api::Zapier => {
                return crate::zapier::ZapierError::new(status, generic_code(status), detail)
                    .into_response()
            }
            Api::OAuth => json!({"error": oauth_code(status), "error_description": detail}),
            Api::RocketChat => match status {
                StatusCode::UNAUTHORIZED => {
                    json!({"status": "error", "message": "You must be logged in to do this."})
                }
                StatusCode::TOO_MANY_REQUESTS => json!({
                    "success": false,
                    "error": format!("{detail} [error-too-many-requests]"),
                    "errorType": "error-too-many-requests",
                }),
                _ => json!({"success": false, "error": detail}),
            },
            Api::Zendesk => match status {
                StatusCode::UNAUTHORIZED => json!({"error": "Couldn't authenticate you"}),
                StatusCode::NOT_FOUND => json!({"error": "RecordNotFound", "description": detail}),
                StatusCode::TOO_MANY_REQUESTS => {
                    json!({"error": "APIRateLimitExceeded", "description": detail})
                }
                StatusCode::UNPROCESSABLE_ENTITY => json!({
                    "error": "RecordInvalid",
                    "description": "Record validation errors",
                    "details": { "base": [{ "description": detail, "error": "InjectedFault" }] },
                }),
                _ => json!({"error": reason.replace(' ', ""), "description": detail}),
            },
            Api::Composio => return crate::composio::error(status, reason, detail, Vec::new()),
            Api::Pocketflows => json!({"message": detail}),
            Api::Admin | Api::Other => json!({"error": generic_code(status), "detail": detail}),
        };
        (status, Json(body)).into_response()
    }
}

/// Snake-case code for a status, as the Zapier error table names them.
pub fn generic_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "authentication_failed",
        StatusCode::FORBIDDEN => "permission_denied",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::CONFLICT => "conflict",
        StatusCode::UNPROCESSABLE_ENTITY => "validation_error",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        StatusCode::SERVICE_UNAVAILABLE => "service_unavailable",
        StatusCode::BAD_GATEWAY => "bad_gateway",
        StatusCode::GATEWAY_TIMEOUT => "gateway_timeout",
        _ => "internal_error",
    }
}

fn oauth_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::UNAUTHORIZED => "invalid_client",
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
            "temporarily_unavailable"
        }
        s if s.is_client_error() => "invalid_request",
        _ => "server_error",
    }
}

/// Sets `Retry-After: seconds` on a response.
pub fn with_retry_after(mut response: Response, value: HeaderValue) -> Response {
    response.headers_mut().insert(header::RETRY_AFTER, value);
    response
}

/// Parses a request body as JSON; an empty body is `null`.
pub fn json_body(body: &[u8]) -> Result<Value, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| format!("Request body is not valid JSON: {e}"))
}

/// What the Authorization header holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Credential {
    /// No Authorization header.
    Missing,
    /// A header that is not `Bearer <token>` / `Basic <base64>`.
    Malformed,
    /// `Bearer <token>`.
    Bearer(String),
    /// `Basic` user and password.
    Basic(String, String),
}

/// Reads the Authorization header.
pub fn credential(headers: &HeaderMap) -> Credential {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Credential::Missing;
    };
    let Ok(text) = value.to_str() else {
        return Credential::Malformed;
    };
    let (scheme, rest) = text.trim().split_once(' ').unwrap_or((text, ""));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") && !rest.is_empty() {
        return Credential::Bearer(rest.to_owned());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        if let Some((user, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) {
            return Credential::Basic(user.to_owned(), password.to_owned());
        }
    }
    Credential::Malformed
}

/// A header's value as text, when present and valid.
pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_of_paths() {
        assert_eq!(Api::of("/trigger-inbox/api/v1/inboxes/"), Api::Zapier);
        assert_eq!(Api::of("/v2/authentications/"), Api::Zapier);
        assert_eq!(Api::of("/api/v1/livechat/config"), Api::RocketChat);
        assert_eq!(Api::of("/api/v2/triggers"), Api::Zendesk);
        assert_eq!(Api::of("/api/v3/trigger_instances/X/upsert"), Api::Composio);
        assert_eq!(Api::of("/businesses/b/triggers"), Api::Pocketflows);
        assert_eq!(Api::of("/_admin/faults"), Api::Admin);
    }

    #[test]
    fn parses_credentials() {
        let mut h = HeaderMap::new();
        assert_eq!(credential(&h), Credential::Missing);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert_eq!(credential(&h), Credential::Bearer("abc".into()));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic dTpwOnE="),
        );
        assert_eq!(credential(&h), Credential::Basic("u".into(), "p:q".into()));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("abc"));
        assert_eq!(credential(&h), Credential::Malformed);
    }

    #[test]
    fn empty_body_is_null() {
        assert_eq!(json_body(b"  "), Ok(Value::Null));
        assert!(json_body(b"{").is_err());
    }
}
