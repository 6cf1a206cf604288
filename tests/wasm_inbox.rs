//! wasm-bindgen tests of the Trigger Inbox client, run in Node and in
//! headless Chrome: the deterministic parts of the fetch layer (Retry-After,
//! backoff, error envelopes), then a round trip against the local emulator
//! (upsert, wait until active, publish through the admin API, lease, ack,
//! release, consume). The emulator URL is compiled in from TRIGGERKIT_EMULATOR_URL
//! (scripts/test.sh starts the emulator and exports it before building);
//! without it the round-trip test fails instead of passing silently.
#![cfg(all(target_arch = "wasm32", feature = "clients"))]

use js_sys::{Array, Object, Promise, Reflect, JSON};
use serde_json::json;
use triggerkit::client::http::{
    basic_auth, describe_error_body, is_retryable_status, parse_retry_after, HttpFailure,
    RetryPolicy,
};
use triggerkit::client::zapier::TriggerInboxClient;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const EMULATOR_URL: Option<&str> = option_env!("TRIGGERKIT_EMULATOR_URL");
const DEV_TOKEN: &str = "triggerkit-dev-token";

fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).expect("object")
}

fn path(obj: &JsValue, keys: &[&str]) -> JsValue {
    keys.iter().fold(obj.clone(), |v, k| field(&v, k))
}

fn json_value(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON parses")
}

async fn settle(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

#[wasm_bindgen_test]
fn retry_after_seconds_and_http_dates() {
    let now = js_sys::Date::parse("Wed, 21 Oct 2015 07:28:00 GMT");
    assert_eq!(parse_retry_after("120", now), Some(120.0));
    assert_eq!(parse_retry_after(" 3 ", now), Some(3.0));
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
        Some(30.0)
    );
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now),
        Some(0.0),
        "a date in the past means now"
    );
    assert_eq!(parse_retry_after("soon", now), None);
    assert_eq!(parse_retry_after("", now), None);
    assert_eq!(parse_retry_after("-5", now), None);
}

#[wasm_bindgen_test]
fn backoff_is_capped_exponential_with_full_jitter() {
    let policy = RetryPolicy {
        base_delay_ms: 100.0,
        max_delay_ms: 1000.0,
        ..RetryPolicy::default()
    };
    assert_eq!(policy.backoff_ms(1, 0.5), 50.0);
    assert_eq!(policy.backoff_ms(2, 0.5), 100.0);
    assert_eq!(policy.backoff_ms(3, 1.0), 400.0);
    assert_eq!(policy.backoff_ms(10, 1.0), 1000.0, "capped");
    assert_eq!(policy.backoff_ms(u32::MAX, 1.0), 1000.0, "no overflow");
    assert_eq!(policy.backoff_ms(4, 0.0), 0.0, "full jitter reaches zero");
    for status in [429, 500, 502, 503, 599] {
        assert!(is_retryable_status(status));
    }
    for status in [400, 401, 403, 404, 409, 422] {
        assert!(!is_retryable_status(status));
    }
}

#[wasm_bindgen_test]
fn error_envelopes_of_the_five_apis() {
    let cases = [
        (
            json!({"errors": [{"code": "conflict", "detail": "Inbox exists", "status": 409}]}),
            Some("conflict"),
            Some("Inbox exists"),
        ),
        (
            json!({"error": "invalid_client", "error_description": "wrong secret"}),
            Some("invalid_client"),
            Some("wrong secret"),
        ),
        (
            json!({"error": "RecordInvalid", "description": "Record validation errors", "details": {}}),
            Some("RecordInvalid"),
            Some("Record validation errors"),
        ),
        (
            json!({"success": false, "error": "must have required property 'name'", "errorType": "invalid-params"}),
            Some("invalid-params"),
            Some("must have required property 'name'"),
        ),
        (
            json!({"error": {"message": "Trigger not found", "code": 404, "slug": "trigger_not_found"}}),
            Some("trigger_not_found"),
            Some("Trigger not found"),
        ),
        (
            json!({"success": false, "error": "User does not have the permissions required for this action [error-unauthorized]"}),
            Some("error-unauthorized"),
            Some(
                "User does not have the permissions required for this action [error-unauthorized]",
            ),
        ),
        (json!({"detail": "Not found."}), None, Some("Not found.")),
        (json!([1, 2]), None, None),
    ];
    for (body, code, message) in cases {
        let (c, m) = describe_error_body(&body);
        assert_eq!(c.as_deref(), code, "{body}");
        assert_eq!(m.as_deref(), message, "{body}");
    }
    let failure = HttpFailure::from_response(502, "<html>Bad gateway</html>", Some("7"));
    assert_eq!(failure.code, "http_502");
    assert_eq!(failure.message, "<html>Bad gateway</html>");
    assert_eq!(failure.retry_after, Some(7.0));
    let empty = HttpFailure::from_response(503, "", None);
    assert_eq!(empty.message, "HTTP 503");
    let long = HttpFailure::from_response(500, &"é".repeat(2000), None);
    assert!(long.message.chars().count() <= 503);
}

#[wasm_bindgen_test]
fn basic_authentication_header() {
    // RFC 7617's example.
    assert_eq!(
        basic_auth("Aladdin", "open sesame"),
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );
    assert_eq!(basic_auth("", "é"), "Basic OsOp");
}

#[wasm_bindgen_test]
fn constructor_and_arguments_are_checked() {
    let bad = |options: &str| {
        let error = TriggerInboxClient::new(json_value(options))
            .err()
            .expect("rejected");
        assert_eq!(field(&error, "name"), JsValue::from("TriggerInboxError"));
        assert_eq!(field(&error, "code"), JsValue::from("invalid_argument"));
    };
    bad(r#"{"token": 5}"#);
    bad(r#"{"baseUrl": "not a url", "token": "t"}"#);
    bad(r#"{"token": "t", "retry": {"maxAttempts": 1.5}}"#);
    bad(r#"{"token": "t", "retry": {"timeoutMs": -1}}"#);
    bad("null");
}

async fn admin(base: &str, path: &str, body: serde_json::Value) -> JsValue {
    let response = gloo_net::http::Request::post(&format!("{base}/_admin{path}"))
        .json(&body)
        .expect("request")
        .send()
        .await
        .expect("admin call");
    assert!(response.ok(), "admin {path}: {}", response.status());
    json_value(&response.text().await.expect("text"))
}

#[wasm_bindgen_test]
async fn round_trip_against_the_emulator() {
    let Some(base) = EMULATOR_URL else {
        panic!("TRIGGERKIT_EMULATOR_URL was not set when the wasm tests were built: start the emulator and export its URL (scripts/test.sh does)");
    };
    let options = Object::new();
    Reflect::set(&options, &"baseUrl".into(), &base.into()).expect("set");
    Reflect::set(&options, &"token".into(), &DEV_TOKEN.into()).expect("set");
    let client = TriggerInboxClient::new(options.into()).expect("client");
    let name = format!(
        "wasm-{}",
        js_sys::Math::random().to_string().replace("0.", "")
    );
    let body = json_value(
        r#"{"app":"slack","action":"channel_message","connection":"slack-conn-1","inputs":{"channel":"C0123ABC456"}}"#,
    );

    let inbox = settle(client.upsert_inbox(name.clone().into(), body, None))
        .await
        .expect("upsert");
    assert_eq!(field(&inbox, "name"), JsValue::from(name.as_str()));
    let active = settle(client.wait_until_active(name.clone().into(), None))
        .await
        .expect("active");
    assert_eq!(field(&active, "status"), JsValue::from("active"));

    let published = admin(
        base,
        &format!("/inboxes/{name}/publish"),
        json!({"count": 3}),
    )
    .await;
    assert_eq!(field(&published, "published"), JsValue::from(3));

    let lease_options = json_value(r#"{"leaseSeconds": 30, "maxMessages": 2}"#);
    let lease = settle(client.lease(name.clone().into(), Some(lease_options)))
        .await
        .expect("lease");
    let results: Array = field(&lease, "results").dyn_into().expect("array");
    assert_eq!(results.length(), 2);
    let first = results.get(0);
    assert_eq!(
        path(&first, &["message_attributes", "lease_count"]),
        JsValue::from(1)
    );
    let token = |m: &JsValue| field(m, "lease_token");

    let acked = settle(client.ack(name.clone().into(), Array::of1(&token(&first)).into(), None))
        .await
        .expect("ack");
    assert_eq!(
        path(&field(&acked, "results"), &["0", "status"]),
        JsValue::from("acked")
    );
    let released = settle(client.release(
        name.clone().into(),
        Array::of1(&token(&results.get(1))).into(),
        None,
    ))
    .await
    .expect("release");
    assert_eq!(
        path(&field(&released, "results"), &["0", "status"]),
        JsValue::from("released")
    );

    // The released message and the third one come back; the acked one does not.
    let again = settle(client.lease(name.clone().into(), None))
        .await
        .expect("lease again");
    let again: Array = field(&again, "results").dyn_into().expect("array");
    assert_eq!(again.length(), 2);
    let ids: Vec<JsValue> = again.iter().map(|m| field(&m, "id")).collect();
    assert!(!ids.contains(&field(&first, "id")));
    let tokens: Array = again.iter().map(|m| token(&m)).collect();
    settle(client.ack(name.clone().into(), tokens.into(), None))
        .await
        .expect("ack the rest");

    // consume() drains with the browser's (or Node's) timers and fetch.
    admin(
        base,
        &format!("/inboxes/{name}/publish"),
        json!({"count": 5}),
    )
    .await;
    let handled = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let counter = handled.clone();
    let handler =
        Closure::<dyn FnMut(JsValue, JsValue)>::new(move |message: JsValue, context: JsValue| {
            assert!(field(&message, "lease_token").is_string());
            assert!(field(&context, "signal").is_object());
            counter.set(counter.get() + 1);
        });
    let consume_options = json_value(r#"{"stopWhenEmpty": true, "emptyBackoffMs": 50}"#);
    let stats = settle(client.consume(
        name.clone().into(),
        handler.as_ref().clone(),
        Some(consume_options),
    ))
    .await
    .expect("consume");
    assert_eq!(handled.get(), 5);
    assert_eq!(field(&stats, "acked"), JsValue::from(5));
    assert_eq!(field(&stats, "expired"), JsValue::from(0));

    // Typed errors: 404 with the API's code, 409 never retried.
    let missing = settle(client.get_inbox("wasm-missing-inbox".into(), None))
        .await
        .expect_err("404");
    assert_eq!(field(&missing, "code"), JsValue::from("not_found"));
    assert_eq!(field(&missing, "status"), JsValue::from(404));
    let other = json_value(
        r#"{"app":"slack","action":"channel_message","connection":"slack-conn-2","inputs":{"channel":"C0123ABC456"}}"#,
    );
    let conflict = settle(client.upsert_inbox(name.clone().into(), other, None))
        .await
        .expect_err("409");
    assert_eq!(field(&conflict, "code"), JsValue::from("conflict"));
    assert_eq!(field(&conflict, "attempts"), JsValue::from(1));

    settle(client.delete_inbox(name.into(), None))
        .await
        .expect("delete");
}
