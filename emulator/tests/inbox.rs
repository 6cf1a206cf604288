//! The Zapier Trigger Inbox API over HTTP: lifecycle, leases, acks,
//! releases, expiry, quarantine, errors and authentication.

mod common;

use common::{code, tokens, Emu};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const INBOXES: &str = "/trigger-inbox/api/v1/inboxes/";

fn slack(connection: &str) -> Value {
    json!({
        "app": "slack", "action": "channel_message", "connection": connection,
        "inputs": { "channel": "C0123ABC456" },
    })
}

#[tokio::test]
async fn upsert_is_idempotent_409_on_other_subscription_and_turns_active() {
    let emu = Emu::start().await;
    let path = format!("{INBOXES}my-slack-inbox/");
    let created = emu
        .zap(Method::PUT, &path, Some(slack("slack-conn-1")))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let inbox = &created.body;
    assert_eq!(inbox["status"], "initializing");
    assert_eq!(inbox["name"], "my-slack-inbox");
    assert_eq!(inbox["paused_reason"], Value::Null);
    assert_eq!(inbox["notification_url"], Value::Null);
    assert_eq!(inbox["subscription"]["app_key"], "SlackCLIAPI");
    assert_eq!(inbox["subscription"]["action_key"], "channel_message");
    assert_eq!(inbox["subscription"]["connection_id"], "slack-conn-1");
    assert_eq!(inbox["subscription"]["inputs"]["channel"], "C0123ABC456");
    assert!(inbox["created_at"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z') && t.len() == 27));

    let again = emu
        .zap(Method::PUT, &path, Some(slack("slack-conn-1")))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["id"], inbox["id"]);

    let conflict = emu
        .zap(Method::PUT, &path, Some(slack("slack-conn-2")))
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(code(&conflict), "conflict");
    assert_eq!(conflict.body["errors"][0]["status"], 409);
    let other_action =
        json!({"app": "slack", "action": "mention", "connection": "slack-conn-1", "inputs": {}});
    assert_eq!(
        emu.zap(Method::PUT, &path, Some(other_action)).await.status,
        StatusCode::CONFLICT
    );

    // Real time: the emulator was started with a 50 ms initialization.
    let mut status = Value::Null;
    for _ in 0..50 {
        status = emu.zap(Method::GET, &path, None).await.body["status"].clone();
        if status == "active" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(status, "active");
}

#[tokio::test]
async fn paths_without_trailing_slash_are_accepted() {
    let emu = Emu::start().await;
    let r = emu
        .zap(
            Method::PUT,
            "/trigger-inbox/api/v1/inboxes/no-slash",
            Some(slack("slack-conn-1")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
}

#[tokio::test]
async fn bad_connection_fails_initialization_with_reason() {
    let emu = Emu::start().await;
    let path = format!("{INBOXES}broken/");
    emu.zap(Method::PUT, &path, Some(slack("bad-connection")))
        .await;
    emu.advance_ms(1000).await;
    let r = emu.zap(Method::GET, &path, None).await;
    assert_eq!(r.body["status"], "initialization_failure");
    assert!(r.body["paused_reason"]
        .as_str()
        .is_some_and(|s| s.contains("bad-connection")));
    let listed = emu
        .zap(
            Method::GET,
            &format!("{INBOXES}?status=initialization_failure"),
            None,
        )
        .await;
    assert_eq!(listed.body["results"].as_array().map(Vec::len), Some(1));
    let paused = emu.zap(Method::POST, &format!("{path}pause/"), None).await;
    assert_eq!(paused.status, StatusCode::CONFLICT);
    let resumed = emu.zap(Method::POST, &format!("{path}resume/"), None).await;
    assert_eq!(resumed.body["status"], "initializing");
}

#[tokio::test]
async fn invalid_bodies_and_names_are_422() {
    let emu = Emu::start().await;
    let cases = [
        (
            "ok-name",
            json!({"action": "channel_message", "connection": "c", "inputs": {}}),
            "",
        ),
        (
            "ok-name",
            json!({"app": "nope", "action": "x", "connection": "c", "inputs": {}}),
            "/app",
        ),
        (
            "ok-name",
            json!({"app": "slack", "action": "nope", "connection": "c", "inputs": {}}),
            "/action",
        ),
        (
            "ok-name",
            json!({"app": "slack", "action": "channel_message", "connection": 5, "inputs": {}}),
            "",
        ),
        ("ok-name", json!([1, 2]), ""),
    ];
    for (name, body, pointer) in cases {
        let r = emu
            .zap(
                Method::PUT,
                &format!("{INBOXES}{name}/"),
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(code(&r), "validation_error");
        let pointers: Vec<&str> = r.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["source"]["pointer"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            pointers.iter().any(|p| p.starts_with(pointer)),
            "{body}: {pointers:?}"
        );
    }
    let bad_name = emu
        .zap(
            Method::PUT,
            &format!("{INBOXES}has%20space/"),
            Some(slack("c")),
        )
        .await;
    assert_eq!(bad_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_name.body["errors"][0]["source"]["parameter"], "name");
    let long = "x".repeat(101);
    let too_long = emu
        .zap(Method::PUT, &format!("{INBOXES}{long}/"), Some(slack("c")))
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let not_json = emu
        .send(
            Method::PUT,
            &format!("{INBOXES}x/"),
            &[("authorization", "Bearer triggerkit-dev-token")],
            None,
        )
        .await;
    assert_eq!(not_json.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn authentication_errors() {
    let emu = Emu::start().await;
    let none = emu.send(Method::GET, INBOXES, &[], None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&none), "authentication_failed");
    assert_eq!(none.headers["www-authenticate"], "Bearer");
    let wrong = emu
        .send(
            Method::GET,
            INBOXES,
            &[("authorization", "Bearer nope")],
            None,
        )
        .await;
    assert_eq!(code(&wrong), "authentication_failed");
    let no_scheme = emu
        .send(
            Method::GET,
            INBOXES,
            &[("authorization", "triggerkit-dev-token")],
            None,
        )
        .await;
    assert_eq!(no_scheme.status, StatusCode::UNAUTHORIZED);

    let short = emu
        .admin(
            Method::POST,
            "/_admin/tokens",
            Some(json!({"ttl_seconds": 60})),
        )
        .await;
    let bearer = format!(
        "Bearer {}",
        short.body["access_token"].as_str().unwrap_or_default()
    );
    let ok = emu
        .send(Method::GET, INBOXES, &[("authorization", &bearer)], None)
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    emu.advance_ms(61_000).await;
    let expired = emu
        .send(Method::GET, INBOXES, &[("authorization", &bearer)], None)
        .await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.body["errors"][0]["detail"], "Token has expired.");

    let other = emu
        .admin(
            Method::POST,
            "/_admin/tokens",
            Some(json!({"scope": "zap:write"})),
        )
        .await;
    let bearer = format!(
        "Bearer {}",
        other.body["access_token"].as_str().unwrap_or_default()
    );
    let audience = emu
        .send(Method::GET, INBOXES, &[("authorization", &bearer)], None)
        .await;
    assert_eq!(audience.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&audience), "invalid_audience");
    let v2 = emu
        .send(
            Method::GET,
            "/v2/authentications/?app=slack",
            &[("authorization", &bearer)],
            None,
        )
        .await;
    assert_eq!(v2.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_inbox_is_404_everywhere() {
    let emu = Emu::start().await;
    let base = format!("{INBOXES}ghost/");
    let calls = [
        (Method::GET, base.clone(), None),
        (Method::DELETE, base.clone(), None),
        (Method::POST, format!("{base}pause/"), None),
        (Method::POST, format!("{base}resume/"), None),
        (Method::GET, format!("{base}messages/"), None),
        (
            Method::POST,
            format!("{base}messages/lease/"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("{base}messages/ack/"),
            Some(json!({"lease_tokens": ["x"]})),
        ),
        (
            Method::POST,
            format!("{base}messages/release/"),
            Some(json!({"lease_tokens": ["x"]})),
        ),
    ];
    for (method, path, body) in calls {
        let r = emu.zap(method.clone(), &path, body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(code(&r), "not_found");
    }
    let route = emu
        .zap(Method::GET, "/trigger-inbox/api/v1/nothing/", None)
        .await;
    assert_eq!(route.status, StatusCode::NOT_FOUND);
    assert_eq!(code(&route), "not_found");
}

#[tokio::test]
async fn lease_hides_messages_with_unique_tokens() {
    let emu = Emu::start().await;
    emu.active_inbox("box").await;
    let ids = emu.publish("box", 25).await;
    assert_eq!(ids.len(), 25);
    let first = emu
        .lease("box", json!({"lease_seconds": 30, "max_messages": 20}))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let second = emu.lease("box", json!({})).await;
    let third = emu.lease("box", json!({})).await;
    assert_eq!(first.body["results"].as_array().map(Vec::len), Some(20));
    assert_eq!(second.body["results"].as_array().map(Vec::len), Some(5));
    assert_eq!(third.body["results"].as_array().map(Vec::len), Some(0));
    let msg = &first.body["results"][0];
    assert_eq!(msg["status"], "leased");
    assert_eq!(msg["message_attributes"]["lease_count"], 1);
    assert_eq!(msg["message_attributes"]["possible_duplicate_data"], false);
    assert_eq!(msg["message_attributes"]["error_message"], Value::Null);
    assert_eq!(msg["payload"]["channel"], "C0123ABC456");
    let mut all = tokens(&first);
    all.extend(tokens(&second));
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n);
    let mut leased_ids: Vec<String> = first.body["results"]
        .as_array()
        .into_iter()
        .chain(second.body["results"].as_array())
        .flatten()
        .filter_map(|m| m["id"].as_str().map(str::to_owned))
        .collect();
    leased_ids.sort();
    let mut published = ids.clone();
    published.sort();
    assert_eq!(leased_ids, published);

    let default_max = Emu::start().await;
    default_max.active_inbox("b").await;
    default_max.publish("b", 15).await;
    let r = default_max.lease("b", json!({})).await;
    assert_eq!(r.body["results"].as_array().map(Vec::len), Some(10));
}

#[tokio::test]
async fn lease_parameters_are_validated() {
    let emu = Emu::start().await;
    emu.active_inbox("box").await;
    for body in [
        json!({"lease_seconds": 0}),
        json!({"lease_seconds": 3601}),
        json!({"lease_seconds": "30"}),
        json!({"max_messages": 0}),
        json!({"max_messages": 101}),
        json!({"lease_seconds": 1.5}),
    ] {
        let r = emu.lease("box", body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(code(&r), "validation_error");
    }
    let empty = emu
        .send(
            Method::POST,
            &format!("{INBOXES}box/messages/lease/"),
            &[("authorization", "Bearer triggerkit-dev-token")],
            None,
        )
        .await;
    assert_eq!(empty.status, StatusCode::OK);
    for body in [
        json!({}),
        json!({"lease_tokens": []}),
        json!({"lease_tokens": [1]}),
        json!({"lease_tokens": "x"}),
    ] {
        let r = emu
            .zap(
                Method::POST,
                &format!("{INBOXES}box/messages/ack/"),
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
}

#[tokio::test]
async fn ack_removes_release_returns_and_expiry_refuses_stale_tokens() {
    let emu = Emu::start().await;
    emu.active_inbox("box").await;
    emu.publish("box", 3).await;
    let lease = emu.lease("box", json!({"lease_seconds": 10})).await;
    let t = tokens(&lease);
    assert_eq!(t.len(), 3);

    let acked = emu.settle("box", "ack", &[&t[0]]).await;
    assert_eq!(acked.status, StatusCode::OK);
    assert_eq!(acked.body["results"][0]["status"], "acked");
    assert_eq!(acked.body["results"][0]["lease_token"], t[0].as_str());
    assert_eq!(acked.body["failed"], json!([]));
    let released = emu.settle("box", "release", &[&t[1]]).await;
    assert_eq!(released.body["results"][0]["status"], "released");

    let listed = emu
        .zap(Method::GET, &format!("{INBOXES}box/messages/"), None)
        .await;
    let statuses: Vec<&str> = listed.body["results"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["status"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(statuses, vec!["available", "leased"]);

    // The released message is leased again at once with a new token.
    let again = emu.lease("box", json!({"lease_seconds": 10})).await;
    let t2 = tokens(&again);
    assert_eq!(t2.len(), 1);
    assert_ne!(t2[0], t[1]);
    assert_eq!(
        again.body["results"][0]["message_attributes"]["lease_count"],
        2
    );

    // t[2]'s lease runs out: the message comes back by itself.
    emu.advance_ms(10_000).await;
    let back = emu.lease("box", json!({"lease_seconds": 10})).await;
    assert_eq!(back.body["results"].as_array().map(Vec::len), Some(2));
    let stale = emu.settle("box", "ack", &[&t[2], "lt_never", &t[1]]).await;
    assert_eq!(stale.status, StatusCode::OK);
    assert_eq!(stale.body["results"], json!([]));
    let codes: Vec<&str> = stale.body["failed"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        codes,
        vec!["lease_expired", "unknown_lease_token", "lease_released"]
    );

    // Repeating an ack that took effect is idempotent.
    let repeat = emu.settle("box", "ack", &[&t[0]]).await;
    assert_eq!(repeat.body["results"][0]["status"], "acked");
    let released_after_ack = emu.settle("box", "release", &[&t[0]]).await;
    assert_eq!(
        released_after_ack.body["failed"][0]["code"],
        "already_acked"
    );

    let c = emu.counters().await;
    assert_eq!(c["published"], 3);
    assert_eq!(c["acked"], 1);
    assert_eq!(c["released"], 1);
    assert_eq!(c["expired"], 2);
    assert_eq!(c["leased"], 6);
    assert_eq!(c["ack_repeats"], 1);
    assert_eq!(c["acked_twice"], 0);
    assert_eq!(c["ack_rejected"]["lease_expired"], 1);
    assert_eq!(c["ack_rejected"]["unknown_lease_token"], 1);
    assert_eq!(c["ack_rejected"]["lease_released"], 1);
    assert_eq!(c["release_rejected"]["already_acked"], 1);
    assert_eq!(c["inboxes"]["box"]["messages"]["leased"], 2);

    let dump = emu
        .admin(
            Method::GET,
            "/_admin/inboxes/box/messages?status=acked",
            None,
        )
        .await;
    assert_eq!(dump.body["results"][0]["ack_count"], 1);
}

#[tokio::test]
async fn fifth_lease_quarantines_and_list_still_shows_it() {
    let emu = Emu::start().await;
    emu.active_inbox("box").await;
    emu.publish("box", 1).await;
    for round in 1..=4 {
        let r = emu.lease("box", json!({})).await;
        assert_eq!(
            r.body["results"][0]["message_attributes"]["lease_count"],
            round
        );
        if round % 2 == 0 {
            emu.settle("box", "release", &[&tokens(&r)[0]]).await;
        } else {
            emu.advance_ms(30_000).await;
        }
    }
    let fifth = emu.lease("box", json!({})).await;
    assert_eq!(fifth.body["results"], json!([]));
    let listed = emu
        .zap(
            Method::GET,
            &format!("{INBOXES}box/messages/?status=quarantined"),
            None,
        )
        .await;
    assert_eq!(listed.body["results"][0]["status"], "quarantined");
    assert_eq!(
        listed.body["results"][0]["message_attributes"]["lease_count"],
        5
    );
    let c = emu.counters().await;
    assert_eq!(c["quarantined"], 1);
    assert_eq!(c["leased"], 4);
}

#[tokio::test]
async fn pause_keeps_messages_resume_and_delete() {
    let emu = Emu::start().await;
    emu.active_inbox("box").await;
    emu.publish("box", 2).await;
    let paused = emu
        .zap(Method::POST, &format!("{INBOXES}box/pause/"), None)
        .await;
    assert_eq!(paused.body["status"], "paused");
    let refused = emu
        .admin(
            Method::POST,
            "/_admin/inboxes/box/publish",
            Some(json!({"count": 1})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let listed = emu
        .zap(Method::GET, &format!("{INBOXES}?status=paused"), None)
        .await;
    assert_eq!(listed.body["results"][0]["name"], "box");
    let lease = emu.lease("box", json!({})).await;
    assert_eq!(lease.body["results"].as_array().map(Vec::len), Some(2));
    let resumed = emu
        .zap(Method::POST, &format!("{INBOXES}box/resume/"), None)
        .await;
    assert_eq!(resumed.body["status"], "active");
    let deleted = emu
        .zap(Method::DELETE, &format!("{INBOXES}box/"), None)
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.body["status"], "deleting");
    let gone = emu.zap(Method::GET, &format!("{INBOXES}box/"), None).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let recreated = emu
        .zap(
            Method::PUT,
            &format!("{INBOXES}box/"),
            Some(slack("slack-conn-2")),
        )
        .await;
    assert_eq!(recreated.status, StatusCode::CREATED);
}

#[tokio::test]
async fn list_filters_by_status_and_name() {
    let emu = Emu::start().await;
    emu.active_inbox("a").await;
    emu.active_inbox("b").await;
    emu.zap(
        Method::PUT,
        &format!("{INBOXES}c/"),
        Some(slack("slack-conn-1")),
    )
    .await;
    let names = |r: &common::Reply| -> Vec<String> {
        r.body["results"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let all = emu.zap(Method::GET, INBOXES, None).await;
    assert_eq!(names(&all), ["a", "b", "c"]);
    let active = emu
        .zap(Method::GET, &format!("{INBOXES}?status=active"), None)
        .await;
    assert_eq!(names(&active), ["a", "b"]);
    let init = emu
        .zap(Method::GET, &format!("{INBOXES}?status=initializing"), None)
        .await;
    assert_eq!(names(&init), ["c"]);
    let by_name = emu
        .zap(Method::GET, &format!("{INBOXES}?name=b"), None)
        .await;
    assert_eq!(names(&by_name), ["b"]);
    let bad = emu
        .zap(Method::GET, &format!("{INBOXES}?status=weird"), None)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn triggers_input_fields_and_authentications() {
    let emu = Emu::start().await;
    let triggers = emu
        .zap(
            Method::GET,
            "/trigger-inbox/api/v1/triggers/?app=slack",
            None,
        )
        .await;
    assert_eq!(triggers.body["results"][0]["key"], "channel_message");
    assert_eq!(triggers.body["results"][0]["app_key"], "SlackCLIAPI");
    assert_eq!(triggers.body["results"][1]["key"], "mention");
    let fields = emu
        .zap(
            Method::GET,
            "/trigger-inbox/api/v1/trigger-input-fields/?app=slack&action=channel_message&connection=slack-conn-1",
            None,
        )
        .await;
    assert_eq!(
        fields.body["results"][0],
        json!({
            "key": "channel", "title": "Channel", "value_type": "STRING", "format": "SELECT",
            "is_required": true, "description": "Only channels you are a member of will appear in this list.",
        })
    );
    assert_eq!(fields.body["results"][1]["default_value"], "no");
    let missing = emu
        .zap(
            Method::GET,
            "/trigger-inbox/api/v1/trigger-input-fields/?app=slack",
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["errors"].as_array().map(Vec::len), Some(2));
    let unknown = emu
        .zap(
            Method::GET,
            "/trigger-inbox/api/v1/triggers/?app=nope",
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let no_app = emu
        .zap(Method::GET, "/trigger-inbox/api/v1/triggers/", None)
        .await;
    assert_eq!(no_app.status, StatusCode::UNPROCESSABLE_ENTITY);

    let auths = emu
        .zap(Method::GET, "/v2/authentications/?app=slack&limit=2", None)
        .await;
    assert_eq!(auths.status, StatusCode::OK);
    assert_eq!(
        auths.body["meta"],
        json!({"count": 3, "limit": 2, "offset": 0})
    );
    assert_eq!(auths.body["data"][0]["type"], "authentication");
    assert_eq!(auths.body["data"][0]["app"], "SlackCLIAPI");
    assert_eq!(auths.body["data"][0]["is_expired"], false);
    let next = auths.body["links"]["next"].as_str().unwrap_or_default();
    assert!(next.ends_with("offset=2"), "{next}");
    let page2 = emu
        .zap(
            Method::GET,
            "/v2/authentications/?app=slack&limit=2&offset=2",
            None,
        )
        .await;
    assert_eq!(page2.body["data"][0]["is_expired"], true);
    assert_eq!(page2.body["links"]["next"], Value::Null);
}

async fn oauth(emu: &Emu, form: &str) -> common::Reply {
    let resp = emu
        .http
        .post(emu.url("/oauth/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await
        .expect("oauth");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.json().await.unwrap_or(Value::Null);
    common::Reply {
        status,
        headers,
        body,
    }
}

#[tokio::test]
async fn oauth_token_grants_and_errors() {
    let emu = Emu::start().await;
    let client = "client_id=triggerkit-dev-client&client_secret=triggerkit-dev-secret";
    let cc = oauth(
        &emu,
        &format!("grant_type=client_credentials&{client}&scope=external"),
    )
    .await;
    assert_eq!(cc.status, StatusCode::OK);
    assert_eq!(cc.body["token_type"], "Bearer");
    assert_eq!(cc.body["expires_in"], 3600);
    let bearer = format!(
        "Bearer {}",
        cc.body["access_token"].as_str().unwrap_or_default()
    );
    let used = emu
        .send(Method::GET, INBOXES, &[("authorization", &bearer)], None)
        .await;
    assert_eq!(used.status, StatusCode::OK);

    let exchange = oauth(
        &emu,
        &format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&{client}\
             &subject_token=eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl\
             &subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aexternal-jwt\
             &requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess-token&scope=external"
        ),
    )
    .await;
    assert_eq!(exchange.status, StatusCode::OK, "{}", exchange.body);
    assert_eq!(
        exchange.body["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access-token"
    );

    let bad_client = oauth(
        &emu,
        "grant_type=client_credentials&client_id=x&client_secret=y",
    )
    .await;
    assert_eq!(bad_client.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad_client.body["error"], "invalid_client");
    assert!(bad_client.body["error_description"].is_string());
    let grant = oauth(&emu, &format!("grant_type=password&{client}")).await;
    assert_eq!(grant.body["error"], "unsupported_grant_type");
    let no_grant = oauth(&emu, client).await;
    assert_eq!(no_grant.body["error"], "invalid_request");
    let bad_jwt = oauth(
        &emu,
        &format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&{client}\
             &subject_token=notajwt&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aexternal-jwt"
        ),
    )
    .await;
    assert_eq!(bad_jwt.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_jwt.body["error"], "invalid_grant");
}

#[tokio::test]
async fn notification_url_receives_a_post_when_messages_arrive() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let receiver = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let hook = format!(
        "http://{}/trigger-webhook",
        receiver.local_addr().expect("addr")
    );
    let got = tokio::spawn(async move {
        let (mut socket, _) = receiver.accept().await.expect("accept");
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&seen).contains("messages_available") {
            let n = socket.read(&mut buf).await.expect("read");
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await;
        String::from_utf8_lossy(&seen).into_owned()
    });
    let emu = Emu::start().await;
    let mut body = slack("slack-conn-1");
    body["notification_url"] = json!(hook);
    let created = emu
        .zap(Method::PUT, &format!("{INBOXES}pushed/"), Some(body))
        .await;
    assert_eq!(created.body["notification_url"], hook.as_str());
    emu.advance_ms(1000).await;
    emu.publish("pushed", 2).await;
    let request = tokio::time::timeout(std::time::Duration::from_secs(5), got)
        .await
        .expect("notified in time")
        .expect("receiver");
    assert!(
        request.starts_with("POST /trigger-webhook HTTP/1.1"),
        "{request}"
    );
    assert!(
        request.contains("\"inbox_name\":\"pushed\"") && request.contains("\"count\":2"),
        "{request}"
    );
    let mut sent = Value::Null;
    for _ in 0..50 {
        sent = emu.counters().await["notifications_sent"].clone();
        if sent == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(sent, 1);
}
