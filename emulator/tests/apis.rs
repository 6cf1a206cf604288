//! Rocket.Chat, Zendesk, Pocketflows and Composio endpoints over HTTP.

mod common;

use common::Emu;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const RC_AUTH: [(&str, &str); 2] = [
    ("x-auth-token", "triggerkit-dev-token"),
    ("x-user-id", "u1"),
];
// "agent@example.com/token:triggerkit-dev-token" in base64.
const ZD_AUTH: [(&str, &str); 1] = [(
    "authorization",
    "Basic YWdlbnRAZXhhbXBsZS5jb20vdG9rZW46dHJpZ2dlcmtpdC1kZXYtdG9rZW4=",
)];

fn rc_trigger(name: &str, enabled: bool, action: Value) -> Value {
    json!({
        "name": name, "description": "d", "enabled": enabled, "runOnce": false,
        "conditions": [{ "name": "page-url", "value": "/pricing" }],
        "actions": [action],
    })
}

fn external(url: &str, timeout: u64) -> Value {
    json!({
        "name": "use-external-service",
        "params": { "serviceUrl": url, "serviceTimeout": timeout, "serviceFallbackMessage": "Sorry!" },
    })
}

async fn rc_ids(emu: &Emu) -> Vec<(String, String)> {
    let r = emu
        .send(Method::GET, "/api/v1/livechat/triggers", &RC_AUTH, None)
        .await;
    r.body["triggers"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    let s = |k: &str| t[k].as_str().unwrap_or_default().to_owned();
                    (s("name"), s("_id"))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn rocketchat_triggers_config_and_errors() {
    let emu = Emu::start().await;
    let send =
        json!({ "name": "send-message", "params": { "sender": "queue", "msg": "hello world" } });
    let created = emu
        .send(
            Method::POST,
            "/api/v1/livechat/triggers",
            &RC_AUTH,
            Some(rc_trigger("a", true, send.clone())),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);
    assert_eq!(created.body, json!({ "success": true }));
    emu.send(
        Method::POST,
        "/api/v1/livechat/triggers",
        &RC_AUTH,
        Some(rc_trigger("b", false, send.clone())),
    )
    .await;

    let ids = rc_ids(&emu).await;
    assert_eq!(ids.len(), 2);
    assert!(ids.iter().all(|(_, id)| id.len() == 17));

    let config = emu
        .send(Method::GET, "/api/v1/livechat/config", &[], None)
        .await;
    assert_eq!(config.status, StatusCode::OK);
    assert_eq!(config.body["success"], true);
    assert_eq!(config.body["config"]["enabled"], true);
    let triggers = config.body["config"]["triggers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(triggers.len(), 1, "only enabled triggers");
    let t = &triggers[0];
    assert_eq!(t["_id"], ids[0].1.as_str());
    assert_eq!(t["runOnce"], false);
    assert_eq!(t["conditions"][0]["name"], "page-url");
    assert_eq!(t["actions"][0]["params"]["msg"], "hello world");
    assert!(t.get("name").is_none() && t.get("enabled").is_none());

    // Update by _id, then show and delete.
    let mut update = rc_trigger("a2", true, send);
    update["_id"] = json!(ids[0].1);
    emu.send(
        Method::POST,
        "/api/v1/livechat/triggers",
        &RC_AUTH,
        Some(update),
    )
    .await;
    let shown = emu
        .send(
            Method::GET,
            &format!("/api/v1/livechat/triggers/{}", ids[0].1),
            &RC_AUTH,
            None,
        )
        .await;
    assert_eq!(shown.body["trigger"]["name"], "a2");
    emu.send(
        Method::DELETE,
        &format!("/api/v1/livechat/triggers/{}", ids[0].1),
        &RC_AUTH,
        None,
    )
    .await;
    assert_eq!(rc_ids(&emu).await.len(), 1);

    let mut missing = rc_trigger(
        "x",
        true,
        json!({"name": "send-message", "params": {"sender": "queue", "msg": "m"}}),
    );
    missing.as_object_mut().map(|o| o.remove("description"));
    let invalid = emu
        .send(
            Method::POST,
            "/api/v1/livechat/triggers",
            &RC_AUTH,
            Some(missing),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert_eq!(invalid.body["success"], false);
    assert_eq!(invalid.body["errorType"], "invalid-params");
    assert!(invalid.body["error"]
        .as_str()
        .is_some_and(|e| e.ends_with(" [invalid-params]")));

    let anonymous = emu
        .send(
            Method::POST,
            "/api/v1/livechat/triggers",
            &[],
            Some(json!({})),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.body,
        json!({"status": "error", "message": "You must be logged in to do this."})
    );
    let forbidden = emu
        .send(
            Method::GET,
            "/api/v1/livechat/triggers",
            &[
                ("x-auth-token", "triggerkit-dev-token"),
                ("x-user-id", "no-permission"),
            ],
            None,
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    emu.admin(
        Method::PUT,
        "/_admin/rocketchat/settings",
        Some(json!({"enabled": false})),
    )
    .await;
    let off = emu
        .send(Method::GET, "/api/v1/livechat/config", &[], None)
        .await;
    assert_eq!(
        off.body,
        json!({"config": {"enabled": false}, "success": true})
    );
}

#[tokio::test]
async fn rocketchat_triggers_keep_the_nulls_the_schema_accepts() {
    let emu = Emu::start().await;
    let body = json!({
        "_id": null, "name": "nulls", "description": "d", "enabled": true, "runOnce": false,
        "conditions": [{ "name": "page-url", "value": "pricing" }, { "name": "time-on-site", "value": null }],
        "actions": [
            { "name": "use-external-service", "params": {
                "serviceUrl": "http://svc/default", "serviceTimeout": 5000,
                "serviceFallbackMessage": "Sorry!", "sender": "custom", "name": null } },
            { "name": "send-message", "params": { "sender": "queue", "msg": "m", "name": null } }
        ],
    });
    let created = emu
        .send(
            Method::POST,
            "/api/v1/livechat/triggers",
            &RC_AUTH,
            Some(body.clone()),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let ids = rc_ids(&emu).await;
    assert_eq!(ids.len(), 1);
    let id = ids[0].1.clone();
    assert_eq!(id.len(), 17, "a null _id creates a trigger with a new id");
    let shown = emu
        .send(
            Method::GET,
            &format!("/api/v1/livechat/triggers/{id}"),
            &RC_AUTH,
            None,
        )
        .await;
    let mut stored = shown.body["trigger"].clone();
    assert!(stored["_updatedAt"].is_string());
    stored.as_object_mut().map(|o| o.remove("_updatedAt"));
    let mut expected = body.clone();
    expected["_id"] = json!(id);
    // The model's number type: serde_json reads the stored 5000 as a float.
    expected["actions"][0]["params"]["serviceTimeout"] = json!(5000.0);
    assert_eq!(stored, expected, "stored as sent, nulls included");

    // The widget's config carries the nulls; the engine runs it.
    let config = emu
        .send(Method::GET, "/api/v1/livechat/config", &[], None)
        .await;
    let triggers = config.body["config"]["triggers"].clone();
    assert_eq!(triggers[0]["actions"][1]["params"]["name"], Value::Null);
    let entry: triggerkit::json::Value = (&triggers[0]).into();
    let (mut engine, report) =
        triggerkit::livechat::LivechatEngine::new(std::slice::from_ref(&entry), None);
    assert!(report.invalid.is_empty(), "{:?}", report.invalid);
    let step = engine
        .handle(
            triggerkit::livechat::LivechatEvent::Start("https://shop.example/pricing"),
            1_700_000_000_000,
        )
        .expect("started");
    let kinds: Vec<Value> = step
        .actions
        .iter()
        .map(|a| serde_json::to_value(a).expect("serializes")["type"].clone())
        .collect();
    assert_eq!(
        kinds,
        [json!("use-external-service"), json!("send-message")]
    );

    // The external-service call reads the params with a null name.
    let call = emu
        .send(
            Method::POST,
            &format!("/api/v1/livechat/triggers/{id}/external-service/call"),
            &[],
            Some(json!({ "token": "visitor-token" })),
        )
        .await;
    assert_eq!(call.status, StatusCode::OK, "{}", call.body);
    assert_eq!(call.body["success"], true);
}

#[tokio::test]
async fn rocketchat_external_service_call() {
    let emu = Emu::start().await;
    for (name, action) in [
        ("default", external("http://svc/default", 5000)),
        ("canned", external("http://svc/canned", 5000)),
        ("slow", external("http://svc/slow", 150)),
        ("broken", external("http://svc/broken", 5000)),
        (
            "message",
            json!({"name": "send-message", "params": {"sender": "queue", "msg": "m"}}),
        ),
    ] {
        let r = emu
            .send(
                Method::POST,
                "/api/v1/livechat/triggers",
                &RC_AUTH,
                Some(rc_trigger(name, true, action)),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
    }
    let ids: std::collections::HashMap<String, String> = rc_ids(&emu).await.into_iter().collect();
    let call = |name: &str| {
        format!(
            "/api/v1/livechat/triggers/{}/external-service/call",
            ids[name]
        )
    };
    let body =
        json!({ "token": "visitor-token", "extraData": [{ "key": "plan", "value": "pro" }] });

    let default = emu
        .send(Method::POST, &call("default"), &[], Some(body.clone()))
        .await;
    assert_eq!(default.status, StatusCode::OK);
    assert_eq!(default.body["success"], true);
    assert_eq!(default.body["triggerId"], ids["default"].as_str());
    assert_eq!(default.body["response"]["statusCode"], 200);
    let contents = &default.body["response"]["contents"];
    assert_eq!(contents[0]["order"], 1);
    assert_eq!(contents[1]["order"], 0);
    assert!(contents[1]["msg"]
        .as_str()
        .is_some_and(|m| m.contains("plan=pro")));

    let canned = json!({
        "service_url": "http://svc/canned",
        "contents": [{ "msg": "Hi there", "order": 0 }, { "msg": "Need help?", "order": 1 }],
        "delay_ms": 50,
    });
    assert_eq!(
        emu.admin(Method::PUT, "/_admin/rocketchat/services", Some(canned))
            .await
            .status,
        StatusCode::OK
    );
    let started = Instant::now();
    let r = emu
        .send(Method::POST, &call("canned"), &[], Some(body.clone()))
        .await;
    assert!(started.elapsed() >= Duration::from_millis(50));
    assert_eq!(r.body["response"]["contents"][0]["msg"], "Hi there");

    emu.admin(
        Method::PUT,
        "/_admin/rocketchat/services",
        Some(json!({"service_url": "http://svc/slow", "delay_ms": 10_000})),
    )
    .await;
    let started = Instant::now();
    let timeout = emu
        .send(Method::POST, &call("slow"), &[], Some(body.clone()))
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the trigger's 150 ms serviceTimeout applies"
    );
    assert_eq!(timeout.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        timeout.body,
        json!({
            "success": false, "triggerId": ids["slow"], "error": "error-timeout",
            "response": "The user aborted a request.", "fallbackMessage": "Sorry!",
        })
    );

    emu.admin(
        Method::PUT,
        "/_admin/rocketchat/services",
        Some(json!({"service_url": "http://svc/broken", "status": 502})),
    )
    .await;
    let broken = emu
        .send(Method::POST, &call("broken"), &[], Some(body.clone()))
        .await;
    assert_eq!(broken.body["error"], "error-invalid-webhook-response");
    assert_eq!(broken.body["fallbackMessage"], "Sorry!");

    let not_external = emu
        .send(Method::POST, &call("message"), &[], Some(body.clone()))
        .await;
    assert_eq!(
        not_external.body["error"],
        "Trigger is not configured to use an external service"
    );
    let unknown = emu
        .send(
            Method::POST,
            "/api/v1/livechat/triggers/nope/external-service/call",
            &[],
            Some(body),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unknown.body,
        json!({"success": false, "error": "Invalid trigger"})
    );
    let no_token = emu
        .send(Method::POST, &call("default"), &[], Some(json!({})))
        .await;
    assert_eq!(
        no_token.body["error"],
        "must have required property 'token' [invalid-params]"
    );
    assert_eq!(no_token.body["errorType"], "invalid-params");
}

fn zd_trigger(title: &str) -> Value {
    json!({ "trigger": {
        "title": title,
        "conditions": { "all": [
            { "field": "status", "operator": "is", "value": "open" },
            { "field": "priority", "operator": "less_than", "value": "high" },
        ]},
        "actions": [{ "field": "group_id", "value": "20455932" }],
        "category_id": "10026",
    }})
}

async fn zd(emu: &Emu, method: Method, path: &str, body: Option<Value>) -> common::Reply {
    emu.send(method, path, &ZD_AUTH, body).await
}

fn titles(v: &Value) -> Vec<String> {
    v["triggers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t["title"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn zendesk_crud_pagination_and_bulk() {
    let emu = Emu::start().await;
    let mut ids = Vec::new();
    for title in [
        "Roger Wilco",
        "Close and Save",
        "Assign priority tag",
        "Notify requester",
        "Escalate",
    ] {
        let r = zd(
            &emu,
            Method::POST,
            "/api/v2/triggers.json",
            Some(zd_trigger(title)),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.body["trigger"]["id"].as_u64().unwrap_or_default());
    }
    let first = zd(
        &emu,
        Method::GET,
        &format!("/api/v2/triggers/{}.json", ids[0]),
        None,
    )
    .await;
    let t = &first.body["trigger"];
    assert_eq!(t["title"], "Roger Wilco");
    assert_eq!(t["raw_title"], "Roger Wilco");
    assert_eq!(t["active"], true);
    assert_eq!(t["position"], 1);
    assert_eq!(t["category_id"], "10026");
    assert_eq!(t["conditions"]["any"], json!([]));
    assert!(t["url"]
        .as_str()
        .is_some_and(|u| u.ends_with(&format!("/api/v2/triggers/{}.json", ids[0]))));
    assert!(t["created_at"].as_str().is_some_and(|c| c.len() == 20));

    // Offset pagination.
    let p1 = zd(&emu, Method::GET, "/api/v2/triggers?per_page=2", None).await;
    assert_eq!(p1.body["count"], 5);
    assert_eq!(titles(&p1.body), ["Roger Wilco", "Close and Save"]);
    assert_eq!(p1.body["previous_page"], Value::Null);
    let next = p1.body["next_page"].as_str().unwrap_or_default().to_owned();
    assert!(next.contains("page=2"), "{next}");
    let p3 = zd(
        &emu,
        Method::GET,
        "/api/v2/triggers?per_page=2&page=3",
        None,
    )
    .await;
    assert_eq!(titles(&p3.body), ["Escalate"]);
    assert_eq!(p3.body["next_page"], Value::Null);

    // Cursor pagination, following links.
    let mut seen = Vec::new();
    let mut url = emu.url("/api/v2/triggers?page[size]=2&sort_by=alphabetical");
    loop {
        let resp = emu
            .http
            .get(&url)
            .header(ZD_AUTH[0].0, ZD_AUTH[0].1)
            .send()
            .await
            .expect("get");
        let page: Value = resp.json().await.expect("json");
        seen.extend(titles(&page));
        match page["links"]["next"].as_str() {
            Some(next) => {
                assert_eq!(page["meta"]["has_more"], true);
                url = next.to_owned();
            }
            None => {
                assert_eq!(page["meta"]["has_more"], false);
                break;
            }
        }
    }
    assert_eq!(
        seen,
        [
            "Assign priority tag",
            "Close and Save",
            "Escalate",
            "Notify requester",
            "Roger Wilco"
        ]
    );
    let last = zd(
        &emu,
        Method::GET,
        "/api/v2/triggers?page[size]=2&sort_by=alphabetical&sort_order=desc",
        None,
    )
    .await;
    assert_eq!(titles(&last.body), ["Roger Wilco", "Notify requester"]);
    let before = last.body["meta"]["after_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let back = zd(
        &emu,
        Method::GET,
        &format!("/api/v2/triggers?page[size]=2&sort_by=alphabetical&sort_order=desc&page[before]={before}"),
        None,
    )
    .await;
    assert_eq!(titles(&back.body), ["Roger Wilco"]);
    assert_eq!(
        zd(&emu, Method::GET, "/api/v2/triggers?page[size]=500", None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        zd(&emu, Method::GET, "/api/v2/triggers?sort_by=nope", None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // update_many, active list, search.
    let many =
        json!({ "triggers": [{ "id": ids[1], "active": false }, { "id": ids[4], "position": 9 }] });
    let updated = zd(
        &emu,
        Method::PUT,
        "/api/v2/triggers/update_many.json",
        Some(many),
    )
    .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.body["count"], 2);
    assert_eq!(updated.body["triggers"][0]["active"], false);
    let active = zd(&emu, Method::GET, "/api/v2/triggers/active", None).await;
    assert_eq!(active.body["count"], 4);
    let inactive = zd(&emu, Method::GET, "/api/v2/triggers?active=false", None).await;
    assert_eq!(titles(&inactive.body), ["Close and Save"]);
    let found = zd(
        &emu,
        Method::GET,
        "/api/v2/triggers/search.json?query=close",
        None,
    )
    .await;
    assert_eq!(titles(&found.body), ["Close and Save"]);
    assert_eq!(
        zd(&emu, Method::GET, "/api/v2/triggers/search", None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let unknown = json!({ "triggers": [{ "id": 1, "active": false }] });
    assert_eq!(
        zd(
            &emu,
            Method::PUT,
            "/api/v2/triggers/update_many",
            Some(unknown)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // Reorder needs every id.
    let partial = json!({ "trigger_ids": [ids[0], ids[1]] });
    assert_eq!(
        zd(&emu, Method::PUT, "/api/v2/triggers/reorder", Some(partial))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut reversed = ids.clone();
    reversed.reverse();
    let reordered = zd(
        &emu,
        Method::PUT,
        "/api/v2/triggers/reorder",
        Some(json!({ "trigger_ids": reversed })),
    )
    .await;
    assert_eq!(reordered.status, StatusCode::OK);
    assert_eq!(reordered.body["trigger"]["id"], ids[4]);
    let by_position = zd(&emu, Method::GET, "/api/v2/triggers", None).await;
    assert_eq!(titles(&by_position.body)[0], "Escalate");

    // Update, revisions, delete.
    let renamed = zd(
        &emu,
        Method::PUT,
        &format!("/api/v2/triggers/{}", ids[0]),
        Some(json!({ "trigger": { "title": "Roger Wilco II" } })),
    )
    .await;
    assert_eq!(renamed.body["trigger"]["title"], "Roger Wilco II");
    assert_eq!(renamed.body["trigger"]["actions"][0]["field"], "group_id");
    let revs = zd(
        &emu,
        Method::GET,
        &format!("/api/v2/triggers/{}/revisions.json?limit=1", ids[0]),
        None,
    )
    .await;
    assert_eq!(revs.body["count"], 1);
    let newest = &revs.body["trigger_revisions"][0];
    assert_eq!(newest["snapshot"]["title"], "Roger Wilco II");
    assert_eq!(newest["diff"]["title"][1]["content"], "Roger Wilco II");
    assert_eq!(revs.body["after_cursor"], Value::Null);
    let older_url = revs.body["before_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let older: Value = emu
        .http
        .get(&older_url)
        .header(ZD_AUTH[0].0, ZD_AUTH[0].1)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(
        older["trigger_revisions"][0]["snapshot"]["title"],
        "Roger Wilco"
    );
    let rev_id = older["trigger_revisions"][0]["id"]
        .as_u64()
        .unwrap_or_default();
    let one = zd(
        &emu,
        Method::GET,
        &format!("/api/v2/triggers/{}/revisions/{rev_id}", ids[0]),
        None,
    )
    .await;
    assert_eq!(
        one.body["trigger_revision"]["snapshot"]["title"],
        "Roger Wilco"
    );

    assert_eq!(
        zd(
            &emu,
            Method::DELETE,
            &format!("/api/v2/triggers/{}", ids[0]),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        zd(
            &emu,
            Method::GET,
            &format!("/api/v2/triggers/{}", ids[0]),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let many_ids = format!("{},{}", ids[1], ids[2]);
    let gone = zd(
        &emu,
        Method::DELETE,
        &format!("/api/v2/triggers/destroy_many.json?ids={many_ids}"),
        None,
    )
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(
        zd(&emu, Method::GET, "/api/v2/triggers", None).await.body["count"],
        2
    );
    assert_eq!(
        zd(&emu, Method::DELETE, "/api/v2/triggers/destroy_many", None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn zendesk_errors_definitions_and_auth() {
    let emu = Emu::start().await;
    let invalid = zd(
        &emu,
        Method::POST,
        "/api/v2/triggers",
        Some(json!({ "trigger": { "actions": [] } })),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.body["error"], "RecordInvalid");
    assert!(invalid.body["details"]["base"][0]["description"].is_string());
    let no_root = zd(
        &emu,
        Method::POST,
        "/api/v2/triggers",
        Some(json!({ "title": "x" })),
    )
    .await;
    assert_eq!(no_root.status, StatusCode::BAD_REQUEST);
    let missing = zd(&emu, Method::GET, "/api/v2/triggers/424242", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.body,
        json!({ "error": "RecordNotFound", "description": "Not found" })
    );
    let defs = zd(&emu, Method::GET, "/api/v2/triggers/definitions.json", None).await;
    let subjects: Vec<&str> = defs.body["definitions"]["conditions_all"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["subject"].as_str()).collect())
        .unwrap_or_default();
    assert!(subjects.contains(&"status") && subjects.contains(&"priority"));
    let custom =
        json!({ "definitions": { "actions": [], "conditions_all": [], "conditions_any": [] } });
    emu.admin(
        Method::PUT,
        "/_admin/zendesk/definitions",
        Some(custom.clone()),
    )
    .await;
    assert_eq!(
        zd(&emu, Method::GET, "/api/v2/triggers/definitions", None)
            .await
            .body,
        custom
    );

    let bearer = emu
        .send(
            Method::GET,
            "/api/v2/triggers",
            &[("authorization", "Bearer triggerkit-dev-token")],
            None,
        )
        .await;
    assert_eq!(bearer.status, StatusCode::OK);
    let anonymous = emu.send(Method::GET, "/api/v2/triggers", &[], None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.body,
        json!({ "error": "Couldn't authenticate you" })
    );
}

#[tokio::test]
async fn pocketflows_create_trigger() {
    let emu = Emu::start().await;
    // "api:triggerkit-dev-token" in base64.
    let auth = [("authorization", "Basic YXBpOnRyaWdnZXJraXQtZGV2LXRva2Vu")];
    let body = json!({
        "project_defined_event": "evt_signup", "name": "Welcome",
        "filter": "event.properties.plan == \"pro\"",
        "steps": [{ "type": "email", "email_template_id": "tmpl_1" }],
        "email_address": "addr_1", "excluded_customers": ["cus_9"],
    });
    let r = emu
        .send(
            Method::POST,
            "/businesses/biz_1/triggers",
            &auth,
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = &r.body;
    assert_eq!(t["name"], "Welcome");
    assert_eq!(t["status"], "draft");
    assert_eq!(t["trigger"], Value::Null);
    assert_eq!(t["steps"][0]["email_template_id"], "tmpl_1");
    assert_eq!(t["statistics"]["emails"]["sent"], 0);
    assert!(
        t["id"].is_string()
            && t["created_at"].is_string()
            && t["internal_event_definition"].is_object()
    );
    let invalid = emu
        .send(
            Method::POST,
            "/businesses/biz_1/triggers",
            &auth,
            Some(json!({ "name": "x" })),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert!(invalid.body["errors"].is_array());
    let anonymous = emu
        .send(
            Method::POST,
            "/businesses/biz_1/triggers",
            &[],
            Some(json!({})),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn composio_upsert() {
    let emu = Emu::start().await;
    let key = [("x-api-key", "triggerkit-dev-token")];
    let body = json!({ "connected_account_id": "ca_123", "trigger_config": { "owner": "o", "repo": "r" } });
    let path = "/api/v3/trigger_instances/github_commit_event/upsert";
    let created = emu.send(Method::POST, path, &key, Some(body.clone())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["trigger_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(created.body["deprecated"]["uuid"]
        .as_str()
        .is_some_and(|u| u.len() == 36));
    emu.admin(
        Method::POST,
        &format!("/_admin/composio/trigger_instances/{id}/disable"),
        None,
    )
    .await;
    let again = emu.send(Method::POST, path, &key, Some(body)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["trigger_id"], id.as_str());
    let state = emu.admin(Method::GET, "/_admin/state", None).await;
    assert_eq!(
        state.body["composio"]["trigger_instances"][0]["enabled"],
        true
    );
    assert_eq!(
        state.body["composio"]["trigger_instances"][0]["slug"],
        "GITHUB_COMMIT_EVENT"
    );

    let no_account = emu
        .send(
            Method::POST,
            path,
            &key,
            Some(json!({ "trigger_config": {} })),
        )
        .await;
    assert_eq!(no_account.status, StatusCode::BAD_REQUEST);
    let e = &no_account.body["error"];
    assert_eq!(e["status"], 400);
    assert!(e["message"].is_string() && e["request_id"].is_string() && e["errors"].is_array());
    let unknown = emu
        .send(
            Method::POST,
            "/api/v3/trigger_instances/NOPE/upsert",
            &key,
            Some(json!({})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let anonymous = emu.send(Method::POST, path, &[], Some(json!({}))).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.body["error"]["status"], 401);
}
