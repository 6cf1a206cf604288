//! POST /oauth/token: the client-credentials grant and the RFC 8693
//! token-exchange grant, form-encoded, with RFC 6749 error bodies.

use crate::http::{credential, Credential};
use crate::state::{lock, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::collections::HashMap;

const CLIENT_CREDENTIALS: &str = "client_credentials";
const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const EXTERNAL_JWT: &str = "urn:ietf:params:oauth:token-type:external-jwt";
const JWT: &str = "urn:ietf:params:oauth:token-type:jwt";
const ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access-token";

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut r = (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"oauth\""),
        );
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn bad_request(error: &str, description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, error, description)
}

/// A JWT is three non-empty base64url segments separated by dots.
fn looks_like_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        })
}

/// Handles POST /oauth/token.
pub async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |k: &str| form.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let Some(grant) = field("grant_type") else {
        return bad_request("invalid_request", "Missing grant_type.");
    };
    let (id, secret) = match (credential(&headers), field("client_id")) {
        (Credential::Basic(user, password), _) => (Some(user), Some(password)),
        (_, id) => (
            id.map(str::to_owned),
            field("client_secret").map(str::to_owned),
        ),
    };
    let config = &state.0.config;
    if id.as_deref() != Some(config.client_id.as_str())
        || secret.as_deref() != Some(config.client_secret.as_str())
    {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed: unknown client_id or wrong client_secret.",
        );
    }
    let exchange = match grant {
        CLIENT_CREDENTIALS => false,
        TOKEN_EXCHANGE => {
            let Some(subject) = field("subject_token") else {
                return bad_request("invalid_request", "Missing subject_token.");
            };
            match field("subject_token_type") {
                Some(EXTERNAL_JWT | JWT) => {}
                Some(_) => {
                    return bad_request("invalid_request", "Unsupported subject_token_type.")
                }
                None => return bad_request("invalid_request", "Missing subject_token_type."),
            }
            if field("requested_token_type").is_some_and(|t| t != ACCESS_TOKEN) {
                return bad_request("invalid_request", "Unsupported requested_token_type.");
            }
            if !looks_like_jwt(subject) {
                return bad_request("invalid_grant", "subject_token is not a signed JWT.");
            }
            true
        }
        _ => {
            return bad_request(
                "unsupported_grant_type",
                "grant_type must be client_credentials or urn:ietf:params:oauth:grant-type:token-exchange.",
            )
        }
    };
    let scope = field("scope")
        .unwrap_or(crate::auth::INBOX_SCOPE)
        .to_owned();
    let ttl = config.token_ttl;
    let token = lock(&state.0.ids).token("ztk_", 32);
    lock(&state.0.credentials).issue(
        token.clone(),
        &scope,
        state.now(),
        u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX),
    );
    let mut body = json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": ttl.as_secs(),
        "scope": scope,
    });
    if exchange {
        if let Some(obj) = body.as_object_mut() {
            obj.insert("issued_token_type".into(), json!(ACCESS_TOKEN));
        }
    }
    let mut r = Json(body).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::looks_like_jwt;

    #[test]
    fn jwt_shape() {
        assert!(looks_like_jwt("eyJh.eyJi.c2ln"));
        assert!(!looks_like_jwt("eyJh.eyJi"));
        assert!(!looks_like_jwt("a..b"));
    }
}
