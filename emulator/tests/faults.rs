//! Fault injection, CORS and the admin API's immunity to faults.

mod common;

use common::{code, tokens, Emu};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::{Duration, Instant};

const INBOXES: &str = "/trigger-inbox/api/v1/inboxes/";

async fn set_faults(emu: &Emu, body: serde_json::Value) {
    let r = emu.admin(Method::PUT, "/_admin/faults", Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn scripted_429_and_5xx_in_each_api_shape() {
    let emu = Emu::start().await;
    set_faults(
        &emu,
        json!({"next": ["rate_limit", "error"], "retry_after_seconds": 7}),
    )
    .await;
    let limited = emu.zap(Method::GET, INBOXES, None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers["retry-after"], "7");
    assert_eq!(code(&limited), "rate_limited");
    let failed = emu.zap(Method::GET, INBOXES, None).await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(code(&failed), "internal_error");
    assert_eq!(
        emu.zap(Method::GET, INBOXES, None).await.status,
        StatusCode::OK
    );

    set_faults(
        &emu,
        json!({"next": ["rate_limit", "error"], "error_status": 503}),
    )
    .await;
    let rc = emu
        .send(Method::GET, "/api/v1/livechat/config", &[], None)
        .await;
    assert_eq!(rc.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(rc.body["errorType"], "error-too-many-requests");
    let zd = emu.send(Method::GET, "/api/v2/triggers", &[], None).await;
    assert_eq!(zd.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(zd.body["error"].is_string());

    set_faults(
        &emu,
        json!({"next": ["rate_limit"], "retry_after_http_date": true, "retry_after_seconds": 30}),
    )
    .await;
    let dated = emu.zap(Method::GET, INBOXES, None).await;
    let value = dated.headers["retry-after"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(value.ends_with(" GMT"), "{value}");

    let stats = emu.admin(Method::GET, "/_admin/faults", None).await;
    assert_eq!(stats.body["stats"]["rate_limited"], 3);
    assert_eq!(stats.body["stats"]["errors"], 2);
}

/// An ack whose transport error is kept (the harness would panic on it).
#[tokio::test]
async fn injected_4xx_in_zendesk_shape() {
    let emu = Emu::start().await;
    set_faults(&emu, json!({"next": ["error"], "error_status": 422})).await;
    let refused = emu.send(Method::GET, "/api/v2/triggers", &[], None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["error"], "RecordInvalid");
    assert!(refused.body["details"]["base"][0]["description"]
        .as_str()
        .is_some_and(|d| d.contains("refused")));
    let r = emu
        .admin(
            Method::PUT,
            "/_admin/faults",
            Some(json!({"error_status": 429})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

async fn raw_ack(emu: &Emu, tokens: &[String]) -> reqwest::Result<reqwest::Response> {
    emu.http
        .post(emu.url(&format!("{INBOXES}box/messages/ack/")))
        .header("authorization", "Bearer triggerkit-dev-token")
        .json(&json!({ "lease_tokens": tokens }))
        .send()
        .await
}

#[tokio::test]
async fn dropped_connections_before_and_after_handling() {
    let emu = Emu::start().await;
    emu.active_inbox("box").await;
    emu.publish("box", 1).await;
    let lease = emu.lease("box", json!({})).await;
    let t = tokens(&lease);

    set_faults(&emu, json!({"next": ["drop"]})).await;
    let dropped = raw_ack(&emu, &t).await;
    assert!(dropped.is_err(), "the connection closes without a response");
    assert_eq!(
        emu.counters().await["acked"],
        0,
        "dropped before handling: nothing acked"
    );

    set_faults(&emu, json!({"next": ["drop_after"]})).await;
    let lost = raw_ack(&emu, &t).await;
    assert!(lost.is_err());
    assert_eq!(
        emu.counters().await["acked"],
        1,
        "handled, then the answer was lost"
    );
    // The client's retry of the lost ack is idempotent.
    let retry = emu.settle("box", "ack", &[&t[0]]).await;
    assert_eq!(retry.body["results"][0]["status"], "acked");
    let c = emu.counters().await;
    assert_eq!(
        (c["acked"].as_u64(), c["ack_repeats"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(c["faults"]["dropped"], 1);
    assert_eq!(c["faults"]["dropped_after"], 1);
}

async fn seeded_statuses(emu: &Emu) -> Vec<u16> {
    set_faults(
        emu,
        json!({"error_rate": 0.3, "rate_limit_rate": 0.2, "seed": 42}),
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(emu.zap(Method::GET, INBOXES, None).await.status.as_u16());
    }
    statuses
}

#[tokio::test]
async fn latency_rates_seed_and_admin_immunity() {
    let emu = Emu::start().await;
    set_faults(&emu, json!({"latency_min_ms": 60, "latency_max_ms": 80})).await;
    let started = Instant::now();
    emu.zap(Method::GET, INBOXES, None).await;
    assert!(started.elapsed() >= Duration::from_millis(60));
    let started = Instant::now();
    emu.admin(Method::GET, "/_admin/counters", None).await;
    assert!(
        started.elapsed() < Duration::from_millis(60),
        "admin calls are never delayed"
    );

    set_faults(&emu, json!({"error_rate": 1.0})).await;
    assert_eq!(
        emu.admin(Method::GET, "/_admin/health", None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        emu.zap(Method::GET, INBOXES, None).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );

    // Same seed, same sequence of outcomes.
    let a = seeded_statuses(&emu).await;
    let b = seeded_statuses(&emu).await;
    assert_eq!(a, b);
    assert!(
        a.contains(&500) && a.contains(&429) && a.contains(&200),
        "{a:?}"
    );

    set_faults(&emu, json!({"error_rate": 1.0, "path_prefix": "/api/v2/"})).await;
    assert_eq!(
        emu.zap(Method::GET, INBOXES, None).await.status,
        StatusCode::OK
    );
    emu.admin(Method::DELETE, "/_admin/faults", None).await;

    let bad = emu
        .admin(
            Method::PUT,
            "/_admin/faults",
            Some(json!({"error_rate": 2})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = emu
        .admin(Method::PUT, "/_admin/faults", Some(json!({"nope": 1})))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn cors_preflight_and_exposed_retry_after() {
    let emu = Emu::start().await;
    let preflight = emu
        .send(
            Method::OPTIONS,
            &format!("{INBOXES}box/messages/lease/"),
            &[
                ("origin", "http://localhost:5173"),
                ("access-control-request-method", "POST"),
                (
                    "access-control-request-headers",
                    "authorization,content-type,x-auth-token,x-user-id,x-api-key",
                ),
            ],
            None,
        )
        .await;
    assert!(preflight.status.is_success());
    let h = &preflight.headers;
    assert_eq!(h["access-control-allow-origin"], "*");
    let allowed = h["access-control-allow-headers"]
        .to_str()
        .unwrap_or_default();
    for name in [
        "authorization",
        "content-type",
        "x-auth-token",
        "x-user-id",
        "x-api-key",
    ] {
        assert!(allowed.contains(name), "{allowed}");
    }
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap_or_default()
        .contains("PUT"));

    // A preflight is never faulted; the faulted answer still carries CORS headers.
    emu.admin(
        Method::PUT,
        "/_admin/faults",
        Some(json!({"rate_limit_rate": 1.0, "retry_after_seconds": 2})),
    )
    .await;
    let again = emu
        .send(
            Method::OPTIONS,
            INBOXES,
            &[
                ("origin", "http://localhost:5173"),
                ("access-control-request-method", "GET"),
            ],
            None,
        )
        .await;
    assert!(again.status.is_success());
    let limited = emu
        .send(
            Method::GET,
            INBOXES,
            &[
                ("origin", "http://localhost:5173"),
                ("authorization", "Bearer triggerkit-dev-token"),
            ],
            None,
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers["access-control-allow-origin"], "*");
    let exposed = limited.headers["access-control-expose-headers"]
        .to_str()
        .unwrap_or_default();
    assert!(exposed.contains("retry-after"), "{exposed}");
}

#[tokio::test]
async fn reset_forgets_everything() {
    let emu = Emu::start().await;
    emu.active_inbox("box").await;
    emu.publish("box", 3).await;
    emu.admin(
        Method::PUT,
        "/_admin/faults",
        Some(json!({"error_rate": 1.0})),
    )
    .await;
    assert_eq!(
        emu.admin(Method::POST, "/_admin/reset", None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        emu.zap(Method::GET, &format!("{INBOXES}box/"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(emu.counters().await["published"], 0);
}
