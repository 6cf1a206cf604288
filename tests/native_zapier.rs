//! Native tests of the Zapier Trigger Inbox data model (every JSON example
//! of the seed), the inbox validator with and without input-field
//! definitions, inbox names and the 422 error body.
#![cfg(feature = "validators")]

mod support;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use support::{located, with_data, with_member, Located};
use triggerkit::formats::zapier::{
    ZapierAckRequest, ZapierAuthenticationList, ZapierErrorBody, ZapierErrorCode, ZapierInbox,
    ZapierInboxInput, ZapierInboxList, ZapierInboxStatus, ZapierInputField, ZapierInputFieldList,
    ZapierLeaseRequest, ZapierLeaseResponse, ZapierTokenResponse, ZapierTriggerList,
};
use triggerkit::validate::{validate_zapier_inbox_name, zapier_error_body};
use triggerkit::{validate, ValidationResult};

/// The validator on test data built with serde_json.
fn validate_zapier_inbox(
    input: &Value,
    input_fields: Option<&[ZapierInputField]>,
) -> ValidationResult<ZapierInboxInput> {
    with_data(input, |input| {
        validate::validate_zapier_inbox(input, input_fields)
    })
}

/// A model's JSON data as serde_json data, to compare with `json!`.
fn encoded<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("encodes")
}

const SEED_TOKEN: &str = r#"{
  "access_token": "eyJ...",
  "token_type": "Bearer",
  "expires_in": 3600
}"#;

const SEED_TRIGGERS: &str = r#"{
  "results": [
    {
      "key": "channel_message",
      "title": "New Message Posted to Channel",
      "description": "Triggers when a new message is posted to a specific #channel you choose.",
      "app_key": "SlackCLIAPI"
    },
    {
      "key": "mention",
      "title": "New Mention",
      "description": "Triggers when a username or highlight word is mentioned in a public #channel.",
      "app_key": "SlackCLIAPI"
    }
  ]
}"#;

const SEED_INPUT_FIELDS: &str = r#"{
  "results": [
    {
      "key": "channel",
      "title": "Channel",
      "value_type": "STRING",
      "format": "SELECT",
      "is_required": true,
      "description": "Only channels you are a member of will appear in this list."
    },
    {
      "key": "listen_for_bots",
      "title": "Trigger for Bot Messages?",
      "value_type": "BOOLEAN",
      "format": "SELECT",
      "is_required": false,
      "default_value": "no"
    }
  ]
}"#;

const SEED_INBOX_BODY: &str = r#"{
  "app": "slack",
  "action": "channel_message",
  "connection": "CONNECTION_ID",
  "inputs": {
    "channel": "C0123ABC456"
  }
}"#;

const SEED_INBOX: &str = r#"{
  "id": "01960a3e-4d5f-7b8e-9c0a-1b2c3d4e5f6a",
  "name": "my-slack-inbox",
  "status": "active",
  "created_at": "2026-05-21T12:00:00.000000Z",
  "paused_reason": null,
  "notification_url": null,
  "subscription": {
    "connection_id": "CONNECTION_ID",
    "app_key": "SlackCLIAPI",
    "action_key": "channel_message",
    "inputs": { "channel": "C0123ABC456" }
  }
}"#;

const SEED_PUSH_BODY: &str = r#"{
  "app": "slack",
  "action": "channel_message",
  "connection": "CONNECTION_ID",
  "inputs": { "channel": "C0123ABC456" },
  "notification_url": "https://your-server.example/trigger-webhook"
}"#;

const SEED_LEASE_REQUEST: &str = r#"{
  "lease_seconds": 30
}"#;

const SEED_LEASE_RESPONSE: &str = r#"{
  "results": [
    {
      "id": "msg_abc123",
      "created_at": "2026-05-21T12:01:00.000000Z",
      "status": "leased",
      "lease_token": "lt_xyz789",
      "payload": {
        "text": "Hello from Slack",
        "user": "U0123456",
        "channel": "C0123ABC456"
      },
      "message_attributes": {
        "lease_count": 1,
        "error_message": null,
        "possible_duplicate_data": false
      }
    }
  ]
}"#;

const SEED_ACK: &str = r#"{
  "lease_tokens": ["lt_xyz789"]
}"#;

/// Decodes `text` as `T` and checks it encodes back to the same JSON.
fn round_trip<T: DeserializeOwned + Serialize>(text: &str) -> T {
    let original: Value = serde_json::from_str(text).expect("test JSON parses");
    let typed: T = serde_json::from_value(original.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&typed).expect("encodes"), original);
    typed
}

fn seed_fields() -> Vec<ZapierInputField> {
    serde_json::from_str::<ZapierInputFieldList>(SEED_INPUT_FIELDS)
        .expect("decodes")
        .results
}

#[test]
fn every_seed_example_round_trips() {
    let token: ZapierTokenResponse = round_trip(SEED_TOKEN);
    assert_eq!(token.expires_in, 3600);
    let triggers: ZapierTriggerList = round_trip(SEED_TRIGGERS);
    assert_eq!(triggers.results[1].key, "mention");
    let fields: ZapierInputFieldList = round_trip(SEED_INPUT_FIELDS);
    assert!(fields.results[0].is_required);
    let body: ZapierInboxInput = round_trip(SEED_INBOX_BODY);
    assert_eq!(body.notification_url, None);
    let push: ZapierInboxInput = round_trip(SEED_PUSH_BODY);
    assert!(push.notification_url.is_some());
    let inbox: ZapierInbox = round_trip(SEED_INBOX);
    assert_eq!(inbox.status, ZapierInboxStatus::Active);
    let lease: ZapierLeaseRequest = round_trip(SEED_LEASE_REQUEST);
    assert_eq!(lease.lease_seconds, Some(30));
    let leased: ZapierLeaseResponse = round_trip(SEED_LEASE_RESPONSE);
    let message = &leased.results[0];
    assert_eq!(message.lease_token, "lt_xyz789");
    assert_eq!(message.message_attributes.lease_count, 1);
    assert!(!message.message_attributes.possible_duplicate_data);
    let ack: ZapierAckRequest = round_trip(SEED_ACK);
    assert_eq!(ack.lease_tokens, vec!["lt_xyz789".to_owned()]);
}

#[test]
fn other_bodies_round_trip() {
    let list: ZapierInboxList = round_trip(&format!(r#"{{"results": [{SEED_INBOX}]}}"#));
    assert_eq!(list.results.len(), 1);
    let authentications: ZapierAuthenticationList = round_trip(
        r#"{"links": {"next": null, "prev": null}, "meta": {"count": 1, "limit": 10, "offset": 0},
            "data": [{"type": "authentication", "id": "49509", "app": "SlackCLIAPI", "is_expired": false,
                      "title": "Slack (wade@example.com)"}]}"#,
    );
    assert!(!authentications.data[0].is_expired);
    let error: ZapierErrorBody =
        round_trip(r#"{"code": "not_found", "detail": "Inbox not found."}"#);
    assert_eq!(error.code, ZapierErrorCode::NotFound.as_str());
    assert_eq!(ZapierErrorCode::RateLimited.http_status(), 429);
}

#[test]
fn inbox_statuses_have_their_wire_names() {
    for status in [
        "initializing",
        "active",
        "paused",
        "deleting",
        "initialization_failure",
    ] {
        let decoded: ZapierInboxStatus = serde_json::from_value(json!(status)).expect("decodes");
        assert_eq!(decoded.as_str(), status);
    }
    assert!(serde_json::from_value::<ZapierInboxStatus>(json!("gone")).is_err());
}

#[test]
fn seed_bodies_are_valid_and_defaults_are_filled() {
    let body: Value = serde_json::from_str(SEED_INBOX_BODY).expect("parses");
    let plain = validate_zapier_inbox(&body, None);
    assert!(plain.valid && plain.warnings.is_empty(), "{:?}", plain);
    assert_eq!(
        serde_json::to_value(plain.value.expect("value")).expect("encodes"),
        body
    );

    let fields = seed_fields();
    let checked = validate_zapier_inbox(&body, Some(&fields));
    assert!(
        checked.valid && checked.warnings.is_empty(),
        "{:?}",
        checked
    );
    let value = checked.value.expect("value");
    assert_eq!(
        encoded(value.inputs),
        json!({"channel": "C0123ABC456", "listen_for_bots": false})
    );

    let push: Value = serde_json::from_str(SEED_PUSH_BODY).expect("parses");
    let result = validate_zapier_inbox(&push, Some(&fields));
    assert!(result.valid && result.warnings.is_empty(), "{:?}", result);
}

fn base() -> Value {
    json!({"app": "slack", "action": "channel_message", "connection": "conn_1",
           "inputs": {"channel": "C1"}})
}

/// `base()` with `key` set to `value` (or removed when `value` is None).
fn with(key: &str, value: Option<Value>) -> Value {
    with_member(base(), key, value)
}

fn with_inputs(inputs: Value) -> Value {
    with("inputs", Some(inputs))
}

fn typed_fields() -> Vec<ZapierInputField> {
    let mut fields = seed_fields();
    fields.push(ZapierInputField {
        key: "limit".to_owned(),
        title: None,
        value_type: Some("INTEGER".to_owned()),
        format: Some("TEXT".to_owned()),
        is_required: false,
        description: None,
        default_value: Some("10".to_owned()),
    });
    fields
}

#[test]
fn invalid_bodies_are_located() {
    let fields = typed_fields();
    let cases: Vec<(&str, Value, Located)> = vec![
        ("string body", json!("x"), vec![("", "type")]),
        ("missing app", with("app", None), vec![("/app", "required")]),
        (
            "numeric app",
            with("app", Some(json!(1))),
            vec![("/app", "type")],
        ),
        (
            "blank action",
            with("action", Some(json!(""))),
            vec![("/action", "empty")],
        ),
        (
            "null connection",
            with("connection", Some(Value::Null)),
            vec![("/connection", "required")],
        ),
        (
            "missing inputs",
            with("inputs", None),
            vec![("/inputs", "required")],
        ),
        (
            "array inputs",
            with_inputs(json!([])),
            vec![("/inputs", "type")],
        ),
        (
            "ftp notification url",
            with("notification_url", Some(json!("ftp://example.com/x"))),
            vec![("/notification_url", "invalid_url")],
        ),
        (
            "relative notification url",
            with("notification_url", Some(json!("/hook"))),
            vec![("/notification_url", "invalid_url")],
        ),
        (
            "spaced notification url",
            with("notification_url", Some(json!("https://exa mple.com/"))),
            vec![("/notification_url", "invalid_url")],
        ),
        (
            "bad port",
            with("notification_url", Some(json!("https://example.com:0/"))),
            vec![("/notification_url", "invalid_url")],
        ),
        (
            "numeric notification url",
            with("notification_url", Some(json!(3))),
            vec![("/notification_url", "type")],
        ),
        (
            "missing required input",
            with_inputs(json!({})),
            vec![("/inputs/channel", "required")],
        ),
        (
            "null required input",
            with_inputs(json!({"channel": null})),
            vec![("/inputs/channel", "required")],
        ),
        (
            "blank required input",
            with_inputs(json!({"channel": " "})),
            vec![("/inputs/channel", "empty")],
        ),
        (
            "object string input",
            with_inputs(json!({"channel": {"id": "C1"}})),
            vec![("/inputs/channel", "type")],
        ),
        (
            "unclear boolean",
            with_inputs(json!({"channel": "C1", "listen_for_bots": "maybe"})),
            vec![("/inputs/listen_for_bots", "type")],
        ),
        (
            "numeric boolean",
            with_inputs(json!({"channel": "C1", "listen_for_bots": 1})),
            vec![("/inputs/listen_for_bots", "type")],
        ),
        (
            "text integer",
            with_inputs(json!({"channel": "C1", "limit": "12a"})),
            vec![("/inputs/limit", "type")],
        ),
        (
            "fractional integer",
            with_inputs(json!({"channel": "C1", "limit": 2.5})),
            vec![("/inputs/limit", "type")],
        ),
        (
            "boolean integer",
            with_inputs(json!({"channel": "C1", "limit": true})),
            vec![("/inputs/limit", "type")],
        ),
    ];
    for (name, input, expected) in cases {
        let result = validate_zapier_inbox(&input, Some(&fields));
        assert!(!result.valid, "{name}: should be invalid");
        assert!(result.value.is_none(), "{name}");
        assert_eq!(located(&result.errors), expected, "{name}");
    }
}

#[test]
fn inputs_are_coerced_to_their_value_types() {
    let fields = typed_fields();
    let input = with_inputs(json!({"channel": 12345, "listen_for_bots": "YES", "limit": "42"}));
    let result = validate_zapier_inbox(&input, Some(&fields));
    assert!(result.valid, "{:?}", result.errors);
    let inputs = encoded(result.value.expect("value").inputs);
    assert_eq!(
        inputs,
        json!({"channel": "12345", "listen_for_bots": true, "limit": 42})
    );

    let input = with_inputs(json!({"channel": "C1", "listen_for_bots": "false", "limit": 3.0}));
    let inputs = encoded(
        validate_zapier_inbox(&input, Some(&fields))
            .value
            .expect("value")
            .inputs,
    );
    assert_eq!(
        inputs,
        json!({"channel": "C1", "listen_for_bots": false, "limit": 3})
    );

    let input = with_inputs(json!({"channel": "C1", "listen_for_bots": null}));
    let inputs = encoded(
        validate_zapier_inbox(&input, Some(&fields))
            .value
            .expect("value")
            .inputs,
    );
    assert_eq!(
        inputs,
        json!({"channel": "C1", "listen_for_bots": false, "limit": 10})
    );
}

#[test]
fn unknown_inputs_and_keys_warn() {
    let mut input = with_inputs(json!({"chanel": "C1", "channel": "C1", "thread": "t"}));
    input["notificaton_url"] = json!("https://x.example");
    let result = validate_zapier_inbox(&input, Some(&seed_fields()));
    assert!(result.valid, "{:?}", result.errors);
    assert_eq!(
        located(&result.warnings),
        vec![
            ("/notificaton_url", "unknown_key"),
            ("/inputs/chanel", "unknown_key"),
            ("/inputs/thread", "unknown_key"),
        ]
    );
    assert!(result.warnings[0]
        .message
        .contains("did you mean \"notification_url\""));
    assert!(result.warnings[1]
        .message
        .contains("did you mean \"channel\""));
}

#[test]
fn notification_url_lints() {
    for (url, warnings) in [
        ("https://hooks.example.com/zapier?x=1#f", vec![]),
        ("HTTPS://hooks.example.com", vec![]),
        (
            "http://hooks.example.com/",
            vec![("/notification_url", "insecure_url")],
        ),
        (
            "https://localhost:8443/hook",
            vec![("/notification_url", "private_url")],
        ),
        (
            "http://192.168.1.10/hook",
            vec![
                ("/notification_url", "insecure_url"),
                ("/notification_url", "private_url"),
            ],
        ),
        (
            "https://[::1]/hook",
            vec![("/notification_url", "private_url")],
        ),
    ] {
        let result = validate_zapier_inbox(&with("notification_url", Some(json!(url))), None);
        assert!(result.valid, "{url}: {:?}", result.errors);
        assert_eq!(located(&result.warnings), warnings, "{url}");
    }
}

#[test]
fn inbox_names() {
    for name in ["my-slack-inbox", "a", "Inbox_2.v1", &"n".repeat(100)] {
        assert_eq!(validate_zapier_inbox_name(name), vec![], "{name}");
    }
    let long = "n".repeat(101);
    let long_and_bad = format!("{long}/");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("", vec!["empty"]),
        (&long, vec!["too_long"]),
        ("a/b", vec!["invalid_name"]),
        ("a b", vec!["invalid_name"]),
        ("a?b", vec!["invalid_name"]),
        ("a%2Fb", vec!["invalid_name"]),
        ("é", vec!["invalid_name"]),
        (".", vec!["invalid_name"]),
        ("..", vec!["invalid_name"]),
        (&long_and_bad, vec!["too_long", "invalid_name"]),
    ];
    for (name, codes) in cases {
        let issues = validate_zapier_inbox_name(name);
        let got: Vec<&str> = issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(got, codes, "{name:?}");
        assert!(issues.iter().all(|i| i.path.is_empty()));
    }
}

#[test]
fn error_body_groups_messages_by_path() {
    let valid = validate_zapier_inbox(&base(), None);
    assert_eq!(zapier_error_body(&valid), None);
    let invalid = validate_zapier_inbox(&json!({"app": 1, "inputs": []}), None);
    let body = zapier_error_body(&invalid).expect("a body");
    assert_eq!(body.code, "validation_error");
    let detail = body.detail.expect("detail");
    assert_eq!(
        detail.get("/app").and_then(|d| d.as_array()).map(Vec::len),
        Some(1)
    );
    assert_eq!(
        detail
            .get("/inputs")
            .and_then(|d| d.as_array())
            .map(Vec::len),
        Some(1)
    );
    let whole = zapier_error_body(&validate_zapier_inbox(&json!(7), None)).expect("a body");
    assert!(whole
        .detail
        .expect("detail")
        .get("non_field_errors")
        .is_some());
}

#[test]
fn hostile_inputs_return_errors() {
    let huge = "h".repeat(10 * 1024 * 1024);
    let many: serde_json::Map<String, Value> =
        (0..10_000).map(|i| (format!("k{i}"), json!(i))).collect();
    for input in [
        json!(null),
        json!([1, 2]),
        json!({"app": huge.clone(), "action": [], "connection": "c", "inputs": many}),
        json!({"app": "a", "action": "b", "connection": "c", "inputs": {}, "notification_url": huge}),
    ] {
        let result = validate_zapier_inbox(&input, Some(&seed_fields()));
        assert!(!result.valid);
        assert!(result.errors.iter().all(|i| i.message.len() < 400));
    }
    assert_eq!(validate_zapier_inbox_name(&"x".repeat(10_000_000)).len(), 1);
}
