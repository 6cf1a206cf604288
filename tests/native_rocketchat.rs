//! Native tests of the Rocket.Chat livechat trigger model and validator:
//! the seed document's examples, the server's verdicts and error texts
//! (expected texts were produced by ajv 8 with the server's schema and
//! options), coercion, lint warnings and hostile inputs.

mod hostile;

use hostile::{deep, dismantle, fillers, pointers};
use serde_json::{json, Value};
use triggerkit::formats::rocketchat::{
    ActionName, ConditionName, ConditionValue, RocketChatApiResponse, RocketChatTrigger,
};
use triggerkit::issue::ValidationResult;
use triggerkit::validate::rocketchat_error_text;

/// The validator, given serde_json data (converted as the full build's
/// Rust callers do).
fn validate_rocketchat_trigger(value: &Value) -> ValidationResult<RocketChatTrigger> {
    triggerkit::validate::validate_rocketchat_trigger(&value.into())
}

/// The request example of rocketchat-livechat-triggers.txt.
const SEED_BODY: &str = r#"{
  "name": "api-trigger",
  "description": "testing create trigger endpoint",
  "enabled": "false",
  "runOnce": "true",
  "conditions": [{"name": "chat-opened-by-visitor", "value": "0"}],
  "actions": [{"name": "send-message", "params": {"sender": "queue", "msg": "hello world"}}]
}"#;

/// Every response example of the seed, and the same after reading the
/// documentation's string booleans as booleans.
const SEED_RESPONSES: &[(&str, &str)] = &[
    (
        r#"{"success": "false", "error": "must have required property 'description' [invalid-params]", "errorType": "invalid-params"}"#,
        r#"{"success": false, "error": "must have required property 'description' [invalid-params]", "errorType": "invalid-params"}"#,
    ),
    (
        r#"{"success": "false", "error": "must be equal to one of the allowed values [invalid-params]", "errorType": "invalid-params"}"#,
        r#"{"success": false, "error": "must be equal to one of the allowed values [invalid-params]", "errorType": "invalid-params"}"#,
    ),
    (r#"{"success": "true"}"#, r#"{"success": true}"#),
    (
        r#"{"status": "error", "message": "You must be logged in to do this."}"#,
        r#"{"status": "error", "message": "You must be logged in to do this."}"#,
    ),
    (
        r#"{"success": "false", "error": "User does not have the permissions required for this action [error-unauthorized]"}"#,
        r#"{"success": false, "error": "User does not have the permissions required for this action [error-unauthorized]"}"#,
    ),
    (
        r#"{"success": "false", "error": "unauthorized"}"#,
        r#"{"success": false, "error": "unauthorized"}"#,
    ),
];

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("test JSON parses")
}

fn base() -> Value {
    json!({
        "name": "n", "description": "d", "enabled": true, "runOnce": false,
        "conditions": [{"name": "page-url", "value": "x"}],
        "actions": [{"name": "send-message", "params": {"sender": "queue", "msg": "hi"}}]
    })
}

fn external() -> Value {
    json!({"name": "use-external-service",
           "params": {"serviceUrl": "https://x", "serviceTimeout": 5000, "serviceFallbackMessage": "f"}})
}

fn with(mutate: impl FnOnce(&mut Value)) -> Value {
    let mut value = base();
    mutate(&mut value);
    value
}

fn at<'a>(value: &'a mut Value, pointer: &str) -> &'a mut Value {
    value
        .pointer_mut(pointer)
        .expect("pointer exists in the test body")
}

fn remove(value: &mut Value, pointer: &str, key: &str) {
    at(value, pointer)
        .as_object_mut()
        .expect("object")
        .remove(key);
}

fn errors(value: &Value) -> Vec<(String, String)> {
    validate_rocketchat_trigger(value)
        .errors
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

fn warnings(value: &Value) -> Vec<(String, String)> {
    validate_rocketchat_trigger(value)
        .warnings
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

#[test]
fn seed_body_is_valid_and_normalizes_to_booleans_and_a_string() {
    let result = validate_rocketchat_trigger(&parse(SEED_BODY));
    assert!(result.valid, "{:?}", result.errors);
    assert_eq!(rocketchat_error_text(&result), None);
    let trigger = result.value.expect("normalized value");
    assert!(!trigger.enabled);
    assert!(trigger.run_once);
    assert_eq!(
        trigger.conditions[0].name,
        ConditionName::ChatOpenedByVisitor
    );
    assert_eq!(
        trigger.conditions[0].value,
        Some(ConditionValue::Text("0".to_owned()))
    );
    let mut expected = parse(SEED_BODY);
    expected["enabled"] = json!(false);
    expected["runOnce"] = json!(true);
    assert_eq!(
        serde_json::to_value(&trigger).expect("serializes"),
        expected
    );
    let reread: RocketChatTrigger = serde_json::from_value(expected.clone()).expect("reads back");
    assert_eq!(reread, trigger);
}

#[test]
fn seed_responses_round_trip_after_normalization() {
    for (example, normalized) in SEED_RESPONSES {
        let response: RocketChatApiResponse = serde_json::from_str(example).expect(example);
        assert_eq!(
            serde_json::to_value(&response).expect("serializes"),
            parse(normalized)
        );
    }
    assert!(serde_json::from_str::<RocketChatApiResponse>(r#"{"success": "maybe"}"#).is_err());
}

/// The seed's own error examples are what the server says for these bodies.
#[test]
fn seed_error_examples_are_reproduced() {
    let mut missing = parse(SEED_BODY);
    remove(&mut missing, "", "description");
    let text = rocketchat_error_text(&validate_rocketchat_trigger(&missing));
    assert_eq!(
        text.as_deref(),
        Some("must have required property 'description' [invalid-params]")
    );
    let mut unknown = parse(SEED_BODY);
    *at(&mut unknown, "/conditions/0/name") = json!("page-views");
    let text = rocketchat_error_text(&validate_rocketchat_trigger(&unknown));
    assert_eq!(
        text.as_deref(),
        Some("must be equal to one of the allowed values [invalid-params]")
    );
}

struct Case {
    label: &'static str,
    input: Value,
    errors: &'static [(&'static str, &'static str)],
    text: &'static str,
}

fn invalid_cases() -> Vec<Case> {
    let msg = "must have required property 'msg'\n must be equal to one of the allowed values\n must match exactly one schema in oneOf [invalid-params]";
    vec![
        Case {
            label: "not an object",
            input: json!([base()]),
            errors: &[("", "type")],
            text: "must be object [invalid-params]",
        },
        Case {
            label: "missing description",
            input: with(|b| remove(b, "", "description")),
            errors: &[("", "required")],
            text: "must have required property 'description' [invalid-params]",
        },
        Case {
            label: "missing several, reported in the schema's order",
            input: with(|b| {
                remove(b, "", "actions");
                remove(b, "", "name");
            }),
            errors: &[("", "required"), ("", "required")],
            text: "must have required property 'name' [invalid-params]",
        },
        Case {
            label: "unknown member",
            input: with(|b| b["trigger"] = json!("x")),
            errors: &[("/trigger", "additional_properties")],
            text: "must NOT have additional properties [invalid-params]",
        },
        Case {
            label: "enabled not boolean",
            input: with(|b| b["enabled"] = json!("yes")),
            errors: &[("/enabled", "type")],
            text: "must be boolean [invalid-params]",
        },
        Case {
            label: "runOnce 2",
            input: with(|b| b["runOnce"] = json!(2)),
            errors: &[("/runOnce", "type")],
            text: "must be boolean [invalid-params]",
        },
        Case {
            label: "name object",
            input: with(|b| b["name"] = json!({})),
            errors: &[("/name", "type")],
            text: "must be string [invalid-params]",
        },
        Case {
            label: "conditions empty",
            input: with(|b| b["conditions"] = json!([])),
            errors: &[("/conditions", "min_items")],
            text: "must NOT have fewer than 1 items [invalid-params]",
        },
        Case {
            label: "conditions not an array",
            input: with(|b| b["conditions"] = json!("page-url")),
            errors: &[("/conditions", "type")],
            text: "must be array [invalid-params]",
        },
        Case {
            label: "condition with unknown name",
            input: with(|b| *at(b, "/conditions/0/name") = json!("page-views")),
            errors: &[("/conditions/0/name", "enum")],
            text: "must be equal to one of the allowed values [invalid-params]",
        },
        Case {
            label: "condition without value",
            input: with(|b| remove(b, "/conditions/0", "value")),
            errors: &[("/conditions/0", "required")],
            text: "must have required property 'value' [invalid-params]",
        },
        Case {
            label: "condition value array",
            input: with(|b| *at(b, "/conditions/0/value") = json!(["x"])),
            errors: &[("/conditions/0/value", "type")],
            text: "must be string [invalid-params]",
        },
        Case {
            label: "condition extra key",
            input: with(|b| *at(b, "/conditions/0") = json!({"name": "page-url", "value": "x", "regex": true})),
            errors: &[("/conditions/0/regex", "additional_properties")],
            text: "must NOT have additional properties [invalid-params]",
        },
        Case {
            label: "actions empty",
            input: with(|b| b["actions"] = json!([])),
            errors: &[("/actions", "min_items")],
            text: "must NOT have fewer than 1 items [invalid-params]",
        },
        Case {
            label: "action with unknown name",
            input: with(|b| *at(b, "/actions/0/name") = json!("send-email")),
            errors: &[("/actions/0/name", "enum"), ("/actions/0", "one_of")],
            text: "must be equal to one of the allowed values\n must be equal to one of the allowed values\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "action without name",
            input: with(|b| remove(b, "/actions/0", "name")),
            errors: &[("/actions/0", "required"), ("/actions/0", "one_of")],
            text: "must have required property 'name'\n must have required property 'name'\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "action not an object",
            input: with(|b| *at(b, "/actions/0") = json!("send-message")),
            errors: &[("/actions/0", "type"), ("/actions/0", "one_of")],
            text: "must be object\n must be object\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "action extra key",
            input: with(|b| at(b, "/actions/0")["delay"] = json!(5)),
            errors: &[("/actions/0/delay", "additional_properties"), ("/actions/0", "one_of")],
            text: "must NOT have additional properties\n must NOT have additional properties\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "send-message without msg",
            input: with(|b| remove(b, "/actions/0/params", "msg")),
            errors: &[("/actions/0/params", "required"), ("/actions/0", "one_of")],
            text: msg,
        },
        Case {
            label: "sender not allowed",
            input: with(|b| *at(b, "/actions/0/params/sender") = json!("bot")),
            errors: &[("/actions/0/params/sender", "enum"), ("/actions/0", "one_of")],
            text: "must be equal to one of the allowed values\n must be equal to one of the allowed values\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "sender of the wrong type also fails its enum",
            input: with(|b| *at(b, "/actions/0/params/sender") = json!(["queue"])),
            errors: &[("/actions/0/params/sender", "type"), ("/actions/0", "one_of")],
            text: "must be string\n must be equal to one of the allowed values\n must be equal to one of the allowed values\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "params array",
            input: with(|b| *at(b, "/actions/0/params") = json!([])),
            errors: &[("/actions/0/params", "type"), ("/actions/0", "one_of")],
            text: "must be object\n must be equal to one of the allowed values\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "send-message params with a service URL",
            input: with(|b| at(b, "/actions/0/params")["serviceUrl"] = json!("https://x")),
            errors: &[
                ("/actions/0/params/serviceUrl", "additional_properties"),
                ("/actions/0", "one_of"),
            ],
            text: "must NOT have additional properties\n must be equal to one of the allowed values\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "external service without timeout",
            input: with(|b| {
                let mut action = external();
                remove(&mut action, "/params", "serviceTimeout");
                b["actions"] = json!([action]);
            }),
            errors: &[("/actions/0/params", "required"), ("/actions/0", "one_of")],
            text: "must be equal to one of the allowed values\n must have required property 'serviceTimeout'\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "external service timeout as words",
            input: with(|b| {
                let mut action = external();
                *at(&mut action, "/params/serviceTimeout") = json!("fast");
                b["actions"] = json!([action]);
            }),
            errors: &[("/actions/0/params/serviceTimeout", "type"), ("/actions/0", "one_of")],
            text: "must be equal to one of the allowed values\n must be number\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "external service with send-message params",
            input: with(|b| {
                b["actions"] = json!([{"name": "use-external-service", "params": {"sender": "queue", "msg": "m"}}]);
            }),
            errors: &[
                ("/actions/0/params", "required"),
                ("/actions/0/params", "required"),
                ("/actions/0/params", "required"),
                ("/actions/0/params/msg", "additional_properties"),
                ("/actions/0", "one_of"),
            ],
            text: "must be equal to one of the allowed values\n must have required property 'serviceUrl'\n must match exactly one schema in oneOf [invalid-params]",
        },
        Case {
            label: "second action invalid",
            input: with(|b| {
                b["actions"]
                    .as_array_mut()
                    .expect("array")
                    .push(json!({"name": "send-message", "params": {"sender": "queue"}}));
            }),
            errors: &[("/actions/1/params", "required"), ("/actions/1", "one_of")],
            text: msg,
        },
        Case {
            label: "id object",
            input: with(|b| b["_id"] = json!({})),
            errors: &[("/_id", "type")],
            text: "must be string [invalid-params]",
        },
        Case {
            label: "action name of the wrong type",
            input: with(|b| *at(b, "/actions/0/name") = json!(["send-message"])),
            errors: &[("/actions/0/name", "type"), ("/actions/0", "one_of")],
            text: "must be string\n must be equal to one of the allowed values\n must be string\n must be equal to one of the allowed values\n must match exactly one schema in oneOf [invalid-params]",
        },
    ]
}

#[test]
fn invalid_bodies_give_located_errors_and_the_server_text() {
    let cases = invalid_cases();
    assert!(cases.len() >= 15);
    for case in cases {
        let result = validate_rocketchat_trigger(&case.input);
        assert!(!result.valid, "{}", case.label);
        assert_eq!(result.value, None, "{}", case.label);
        let found: Vec<(&str, &str)> = result
            .errors
            .iter()
            .map(|e| (e.path.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(found, case.errors, "{}", case.label);
        assert_eq!(
            rocketchat_error_text(&result).as_deref(),
            Some(case.text),
            "{}",
            case.label
        );
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let input = json!({
        "name": {}, "enabled": "yes", "runOnce": true, "extra": 1,
        "conditions": [{"name": "nope", "value": []}, "x"],
        "actions": [{"name": "send-message", "params": {"sender": "bot"}}]
    });
    assert_eq!(
        errors(&input),
        [
            ("", "required"),
            ("/extra", "additional_properties"),
            ("/name", "type"),
            ("/enabled", "type"),
            ("/conditions/0/name", "enum"),
            ("/conditions/0/value", "type"),
            ("/conditions/1", "type"),
            ("/actions/0/params", "required"),
            ("/actions/0/params/sender", "enum"),
            ("/actions/0", "one_of"),
        ]
        .map(|(p, c)| (p.to_owned(), c.to_owned()))
    );
    let result = validate_rocketchat_trigger(&input);
    assert_eq!(
        result.errors[0].message,
        "must have required property 'description'"
    );
    assert_eq!(result.errors[2].message, "must be string");
    assert_eq!(
        result.errors[1].message,
        "must NOT have additional properties"
    );
}

#[test]
fn coercion_follows_ajv() {
    let input = json!({
        "name": 12, "description": null, "enabled": 1, "runOnce": "false", "_id": 7,
        "conditions": [
            {"name": "time-on-site", "value": 1.5},
            {"name": "page-url", "value": true},
            {"name": "chat-opened-by-visitor", "value": null},
            {"name": "after-guest-registration", "value": 1e21}
        ],
        "actions": [
            {"name": "send-message", "params": {"sender": "custom", "msg": 0, "name": false}},
            {"name": "send-message", "params": ""},
            {"name": "send-message", "params": 0},
            {"name": "send-message"},
            {"name": "use-external-service",
             "params": {"serviceUrl": "https://a", "serviceTimeout": " 0x10 ", "serviceFallbackMessage": null}},
            {"name": "use-external-service",
             "params": {"serviceUrl": "https://a", "serviceTimeout": true, "serviceFallbackMessage": "f", "name": null}}
        ]
    });
    let result = validate_rocketchat_trigger(&input);
    assert!(result.valid, "{:?}", result.errors);
    let trigger = result.value.expect("value");
    assert_eq!(trigger.name, "12");
    assert_eq!(trigger.description, "");
    assert!(trigger.enabled);
    assert!(!trigger.run_once);
    assert_eq!(trigger.id, Some(Some("7".into())));
    let values: Vec<Option<ConditionValue>> =
        trigger.conditions.iter().map(|c| c.value.clone()).collect();
    assert_eq!(
        values,
        [
            Some(ConditionValue::Text("1.5".into())),
            Some(ConditionValue::Text("true".into())),
            None,
            Some(ConditionValue::Text("1e+21".into())),
        ]
    );
    assert_eq!(trigger.actions[4].name, ActionName::UseExternalService);
    // What ajv leaves in the body: every member coerced, nulls kept where
    // the schema accepts them (`params: ""` and `0` coerce to null).
    let json = serde_json::to_value(&trigger).expect("serializes");
    assert_eq!(
        json,
        json!({
            "name": "12", "description": "", "enabled": true, "runOnce": false, "_id": "7",
            "conditions": [
                {"name": "time-on-site", "value": "1.5"},
                {"name": "page-url", "value": "true"},
                {"name": "chat-opened-by-visitor", "value": null},
                {"name": "after-guest-registration", "value": "1e+21"}
            ],
            "actions": [
                {"name": "send-message", "params": {"sender": "custom", "msg": "0", "name": "false"}},
                {"name": "send-message", "params": null},
                {"name": "send-message", "params": null},
                {"name": "send-message"},
                {"name": "use-external-service",
                 "params": {"serviceUrl": "https://a", "serviceTimeout": 16.0, "serviceFallbackMessage": ""}},
                {"name": "use-external-service",
                 "params": {"serviceUrl": "https://a", "serviceTimeout": 1.0, "serviceFallbackMessage": "f", "name": null}}
            ]
        })
    );
    // Read back, the nulls stay apart from absent members.
    let again: RocketChatTrigger = serde_json::from_value(json).expect("reads back");
    assert_eq!(again, trigger);
}

#[test]
fn nulls_the_schema_accepts_are_kept_and_absent_members_not_added() {
    let input = json!({
        "name": "n", "description": "d", "enabled": true, "runOnce": false, "_id": null,
        "conditions": [{"name": "page-url", "value": null}],
        "actions": [
            {"name": "send-message", "params": {"sender": "queue", "msg": "m", "name": null}},
            {"name": "send-message", "params": null},
            {"name": "send-message", "params": false},
            {"name": "send-message", "params": {"sender": "queue", "msg": "m"}}
        ]
    });
    let result = validate_rocketchat_trigger(&input);
    assert!(result.valid, "{:?}", result.errors);
    let trigger = result.value.expect("value");
    assert_eq!(trigger.id, Some(None));
    let mut expected = input.clone();
    expected["actions"][2]["params"] = json!(null);
    assert_eq!(
        serde_json::to_value(&trigger).expect("serializes"),
        expected
    );
    let bare = with(|_| {});
    let value = validate_rocketchat_trigger(&bare).value.expect("valid");
    assert_eq!(serde_json::to_value(&value).expect("serializes"), bare);
}

#[test]
fn values_that_do_not_coerce_are_rejected() {
    for (pointer, value) in [
        ("/enabled", json!("TRUE")),
        ("/enabled", json!("1")),
        ("/enabled", json!(0.5)),
        ("/runOnce", json!([])),
        ("/description", json!([])),
    ] {
        let input = with(|b| *at(b, pointer) = value.clone());
        assert_eq!(
            errors(&input),
            [(pointer.to_owned(), "type".to_owned())],
            "{value}"
        );
    }
    for timeout in [json!(""), json!("12px"), json!({}), json!("1_000")] {
        let mut action = external();
        *at(&mut action, "/params/serviceTimeout") = timeout.clone();
        let input = with(|b| b["actions"] = json!([action]));
        assert_eq!(
            errors(&input)[0],
            (
                "/actions/0/params/serviceTimeout".to_owned(),
                "type".to_owned()
            ),
            "{timeout}"
        );
    }
}

#[test]
fn lint_warnings_do_not_change_the_verdict() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            with(|b| *at(b, "/conditions/0/value") = json!("a(?=b)")),
            "/conditions/0/value",
            "unsupported_pattern",
        ),
        (
            with(|b| *at(b, "/conditions/0/value") = json!(r"(a)\1")),
            "/conditions/0/value",
            "unsupported_pattern",
        ),
        (
            with(|b| *at(b, "/conditions/0/value") = json!(r"(?<n>a)\k<n>")),
            "/conditions/0/value",
            "unsupported_pattern",
        ),
        (
            with(|b| *at(b, "/conditions/0/value") = json!("shop/(cart")),
            "/conditions/0/value",
            "invalid_pattern",
        ),
        (
            with(|b| *at(b, "/conditions/0/value") = json!(null)),
            "/conditions/0/value",
            "missing_pattern",
        ),
        (
            with(|b| *at(b, "/conditions/0/value") = json!("")),
            "/conditions/0/value",
            "missing_pattern",
        ),
        // Inline flags are not JavaScript syntax: the engine refuses them as JavaScript does.
        (
            with(|b| *at(b, "/conditions/0/value") = json!("(?i)shop")),
            "/conditions/0/value",
            "invalid_pattern",
        ),
        (
            with(|b| *at(b, "/conditions/0/value") = json!("a".repeat(20_000))),
            "/conditions/0/value",
            "pattern_too_long",
        ),
        (
            with(|b| *at(b, "/conditions/0") = json!({"name": "time-on-site", "value": "soon"})),
            "/conditions/0/value",
            "not_positive_number",
        ),
        (
            with(|b| *at(b, "/conditions/0") = json!({"name": "time-on-site", "value": 0})),
            "/conditions/0/value",
            "not_positive_number",
        ),
        (
            with(|b| *at(b, "/actions/0/params/sender") = json!("custom")),
            "/actions/0/params",
            "missing_sender_name",
        ),
        (
            with(|b| {
                let mut action = external();
                *at(&mut action, "/params/serviceUrl") = json!("ftp://files");
                b["actions"] = json!([action]);
            }),
            "/actions/0/params/serviceUrl",
            "not_http_url",
        ),
        (
            with(|b| {
                let mut action = external();
                *at(&mut action, "/params/serviceTimeout") = json!(-1);
                b["actions"] = json!([action]);
            }),
            "/actions/0/params/serviceTimeout",
            "not_positive_timeout",
        ),
        (
            with(|b| {
                let mut action = external();
                *at(&mut action, "/params/serviceTimeout") = json!("Infinity");
                b["actions"] = json!([action]);
            }),
            "/actions/0/params/serviceTimeout",
            "not_positive_timeout",
        ),
    ];
    for (input, path, code) in cases {
        let result = validate_rocketchat_trigger(&input);
        assert!(result.valid, "{code}: {:?}", result.errors);
        assert_eq!(
            warnings(&input),
            [(path.to_owned(), code.to_owned())],
            "{code}"
        );
    }
    let message = &validate_rocketchat_trigger(&with(|b| {
        *at(b, "/conditions/0/value") = json!("(?<=a)b(?!c)");
    }))
    .warnings[0]
        .message;
    assert!(
        message.contains("lookbehind") && message.contains("offset 0"),
        "{message}"
    );
    for quiet in [
        base(),
        with(|b| *at(b, "/conditions/0") = json!({"name": "time-on-site", "value": "30"})),
        with(|b| {
            *at(b, "/actions/0/params") = json!({"sender": "custom", "msg": "m", "name": "Ada"})
        }),
        with(|b| b["actions"] = json!([external()])),
        with(|b| {
            *at(b, "/conditions/0/value") = json!(r"^https://shop\.example\.com/(cart|checkout)")
        }),
        // JavaScript-only syntax (`[^]`, `\/`, `\u0041`) runs as JavaScript reads it.
        with(|b| *at(b, "/conditions/0/value") = json!(r"\/shop\/[^]*\u0041")),
        // Look-around syntax inside a class or escaped is plain text.
        with(|b| *at(b, "/conditions/0/value") = json!(r"[(?=]\(?!x")),
    ] {
        assert_eq!(warnings(&quiet), []);
    }
}

#[test]
fn hostile_inputs_never_panic() {
    for pointer in [
        "",
        "/name",
        "/conditions",
        "/conditions/0",
        "/conditions/0/value",
        "/actions/0",
        "/actions/0/params",
        "/actions/0/params/msg",
    ] {
        let mut input = base();
        let slot = if pointer.is_empty() {
            &mut input
        } else {
            at(&mut input, pointer)
        };
        *slot = deep(100_000);
        let result = validate_rocketchat_trigger(&input);
        // Taken apart before asserting: a failing assert would drop it by recursion.
        dismantle(input);
        assert!(!result.valid, "{pointer}");
        assert!(rocketchat_error_text(&result).is_some());
    }
    let mut extra = base();
    extra
        .as_object_mut()
        .expect("object")
        .insert("deep".to_owned(), deep(100_000));
    let found = errors(&extra);
    dismantle(extra);
    assert_eq!(
        found,
        [("/deep".to_owned(), "additional_properties".to_owned())]
    );

    let huge = "x".repeat(10 * 1024 * 1024);
    let result = validate_rocketchat_trigger(&with(|b| {
        b["name"] = json!(huge);
        *at(b, "/conditions/0/value") = json!(huge);
    }));
    assert!(result.valid);
    assert!(result.warnings.iter().all(|w| w.message.len() < 200));

    let mut many = base();
    many["conditions"] = Value::Array(vec![json!({"name": "page-url", "value": "x"}); 100_000]);
    assert!(validate_rocketchat_trigger(&many).valid);
}

#[test]
fn wrong_types_at_every_position_are_errors() {
    let fillers = fillers();
    let body = parse(SEED_BODY);
    let pointers = pointers(&body);
    for pointer in &pointers {
        for filler in &fillers {
            let mut input = body.clone();
            *at(&mut input, pointer) = filler.clone();
            let result = validate_rocketchat_trigger(&input);
            if result.valid {
                continue;
            }
            let text = rocketchat_error_text(&result).expect("text for an invalid result");
            assert!(text.ends_with(" [invalid-params]"));
            for error in &result.errors {
                let located =
                    input.pointer(&error.path).is_some() || error.code == "additional_properties";
                assert!(located, "{pointer} = {filler}: {error:?}");
            }
        }
    }
}
