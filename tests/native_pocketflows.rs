//! Native tests of the Pocketflows data model and validator: the seed's
//! examples, invalid inputs located by path and code, warnings,
//! normalization and hostile inputs.
#![cfg(feature = "validators")]

mod support;

use serde_json::{json, Value};
use support::{located, with_data, with_member, Located};
use triggerkit::formats::pocketflows::{
    PocketflowsTrigger, PocketflowsTriggerInput, PocketflowsTriggerStatus,
};
use triggerkit::validate::json_schema;
use triggerkit::{validate, ValidationResult};

/// The validator on test data built with serde_json.
fn validate_pocketflows_trigger(input: &Value) -> ValidationResult<PocketflowsTriggerInput> {
    with_data(input, validate::validate_pocketflows_trigger)
}

/// JSON Schema equality of test data built with serde_json.
fn json_equal(a: &Value, b: &Value) -> bool {
    with_data(a, |a| with_data(b, |b| json_schema::json_equal(a, b)))
}

/// The create body of the seed, as documented.
const SEED_CREATE_BODY: &str = r#"{
  "project_defined_event": "<string>",
  "name": "<string>",
  "filter": "<string>",
  "metadata": {},
  "attributed_revenue": 123,
  "steps": [
    {
      "type": "email",
      "custom_step_id": "<string>",
      "email_template_id": "<string>"
    }
  ],
  "email_address": "<string>",
  "phone_number": "<string>",
  "excluded_customers": [
    "<string>"
  ]
}"#;

/// The Trigger object of the seed's 200 response.
const SEED_TRIGGER: &str = r#"{
  "id": "<string>",
  "created_at": "<string>",
  "updated_at": "<string>",
  "name": "<string>",
  "project_defined_event": "<string>",
  "internal_event_definition": {
    "type": "customer_created",
    "segment": "<string>"
  },
  "trigger": "<string>",
  "steps": [
    {
      "type": "email",
      "custom_step_id": "<string>",
      "email_template_id": "<string>"
    }
  ],
  "status": "draft",
  "filter": "<string>",
  "email_address": "<string>",
  "phone_number": "<string>",
  "attributed_revenue": 123,
  "statistics": {
    "total_customers_enrolled": 123,
    "total_customers_started": 123,
    "total_customers_finished": 123,
    "emails": {
      "sent": 123,
      "delivered": 123,
      "opened": 123,
      "soft_bounced": 123,
      "hard_bounced": 123,
      "clicked": 123
    },
    "custom_steps": [
      {
        "custom_step": "<string>",
        "sent": 123
      }
    ]
  }
}"#;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("test JSON parses")
}

/// A valid body the invalid cases each break in one place.
fn base() -> Value {
    json!({
        "project_defined_event": "evt_signup",
        "name": "Welcome",
        "steps": [{"type": "email", "email_template_id": "tpl_1"}],
        "email_address": "ea_1"
    })
}

/// `base()` with `key` set to `value` (or removed when `value` is None).
fn with(key: &str, value: Option<Value>) -> Value {
    with_member(base(), key, value)
}

#[test]
fn seed_create_body_round_trips_and_is_valid() {
    let original = parse(SEED_CREATE_BODY);
    let typed: PocketflowsTriggerInput = serde_json::from_value(original.clone()).expect("decodes");
    let back = serde_json::to_value(&typed).expect("encodes");
    assert!(json_equal(&original, &back), "{original} != {back}");

    // The documentation's placeholder `"filter": "<string>"` is not an
    // expression: that one member, and nothing else, is rejected.
    let result = validate_pocketflows_trigger(&original);
    assert_eq!(located(&result.errors), vec![("/filter", "invalid_filter")]);

    // With a real expression in its place, the seed body is valid as it stands.
    let filter = r#"event.properties.plan == "pro""#;
    let filled = with_member(original, "filter", Some(json!(filter)));
    let result = validate_pocketflows_trigger(&filled);
    assert!(result.valid, "{:?}", result.errors);
    assert!(result.warnings.is_empty(), "{:?}", result.warnings);
    let expected = PocketflowsTriggerInput {
        filter: Some(Some(filter.to_owned())),
        ..typed
    };
    assert_eq!(result.value, Some(expected));
}

#[test]
fn seed_trigger_object_round_trips() {
    let original = parse(SEED_TRIGGER);
    let typed: PocketflowsTrigger = serde_json::from_value(original.clone()).expect("decodes");
    assert_eq!(typed.status, PocketflowsTriggerStatus::Draft);
    assert_eq!(typed.statistics.emails.soft_bounced, 123);
    assert_eq!(typed.statistics.custom_steps[0].sent, 123);
    let back = serde_json::to_value(&typed).expect("encodes");
    assert!(json_equal(&original, &back), "{original} != {back}");
}

#[test]
fn trigger_object_keeps_required_nulls_and_rejects_unknown_status() {
    let mut object = parse(SEED_TRIGGER);
    for key in [
        "filter",
        "email_address",
        "phone_number",
        "attributed_revenue",
        "project_defined_event",
    ] {
        object[key] = Value::Null;
    }
    let typed: PocketflowsTrigger = serde_json::from_value(object.clone()).expect("decodes");
    let back = serde_json::to_value(&typed).expect("encodes");
    assert_eq!(back["filter"], Value::Null);
    assert_eq!(back["attributed_revenue"], Value::Null);
    for status in ["draft", "active", "inactive"] {
        object["status"] = json!(status);
        assert!(serde_json::from_value::<PocketflowsTrigger>(object.clone()).is_ok());
    }
    object["status"] = json!("paused");
    assert!(serde_json::from_value::<PocketflowsTrigger>(object).is_err());
}

#[test]
fn invalid_bodies_are_located() {
    let long_filter = "a".repeat(10_001);
    let cases: Vec<(&str, Value, Located)> = vec![
        ("array body", json!([]), vec![("", "type")]),
        ("null body", Value::Null, vec![("", "type")]),
        (
            "missing event",
            with("project_defined_event", None),
            vec![("/project_defined_event", "required")],
        ),
        (
            "null event",
            with("project_defined_event", Some(Value::Null)),
            vec![("/project_defined_event", "required")],
        ),
        (
            "numeric name",
            with("name", Some(json!(5))),
            vec![("/name", "type")],
        ),
        (
            "blank name",
            with("name", Some(json!("  "))),
            vec![("/name", "empty")],
        ),
        (
            "missing steps",
            with("steps", None),
            vec![("/steps", "required")],
        ),
        (
            "object steps",
            with("steps", Some(json!({}))),
            vec![("/steps", "type")],
        ),
        (
            "string step",
            with("steps", Some(json!(["email"]))),
            vec![("/steps/0", "type")],
        ),
        (
            "step without type",
            with("steps", Some(json!([{"email_template_id": "t"}]))),
            vec![("/steps/0/type", "required")],
        ),
        (
            "unknown step type",
            with("steps", Some(json!([{"type": "fax"}]))),
            vec![("/steps/0/type", "unknown_step_type")],
        ),
        (
            "email step without template",
            with("steps", Some(json!([{"type": "email"}]))),
            vec![("/steps/0/email_template_id", "required")],
        ),
        (
            "numeric template id",
            with(
                "steps",
                Some(json!([{"type": "email", "email_template_id": 7}])),
            ),
            vec![("/steps/0/email_template_id", "type")],
        ),
        (
            "email step without sender",
            with("email_address", None),
            vec![("/email_address", "required")],
        ),
        (
            "sms step without phone",
            with("steps", Some(json!([{"type": "sms"}]))),
            vec![("/phone_number", "required")],
        ),
        (
            "custom step without id",
            with("steps", Some(json!([{"type": "custom"}]))),
            vec![("/steps/0/custom_step_id", "required")],
        ),
        (
            "null excluded customers",
            with("excluded_customers", Some(Value::Null)),
            vec![("/excluded_customers", "type")],
        ),
        (
            "numeric excluded customer",
            with("excluded_customers", Some(json!(["c1", 3]))),
            vec![("/excluded_customers/1", "type")],
        ),
        (
            "blank excluded customer",
            with("excluded_customers", Some(json!([""]))),
            vec![("/excluded_customers/0", "empty")],
        ),
        (
            "string revenue",
            with("attributed_revenue", Some(json!("100"))),
            vec![("/attributed_revenue", "type")],
        ),
        (
            "array metadata",
            with("metadata", Some(json!([]))),
            vec![("/metadata", "type")],
        ),
        (
            "numeric filter",
            with("filter", Some(json!(42))),
            vec![("/filter", "type")],
        ),
        (
            "blank filter",
            with("filter", Some(json!("   "))),
            vec![("/filter", "empty")],
        ),
        (
            "overlong filter",
            with("filter", Some(json!(long_filter))),
            vec![("/filter", "too_long")],
        ),
        (
            "empty email address",
            with("email_address", Some(json!(""))),
            vec![("/email_address", "empty")],
        ),
        (
            "numeric phone number",
            with("phone_number", Some(json!(5))),
            vec![("/phone_number", "type")],
        ),
    ];
    for (name, input, expected) in cases {
        let result = validate_pocketflows_trigger(&input);
        assert!(!result.valid, "{name}: should be invalid");
        assert!(result.value.is_none(), "{name}: no value when invalid");
        assert_eq!(located(&result.errors), expected, "{name}");
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let input = json!({
        "name": 3,
        "steps": [
            {"type": "email"},
            {"type": "carrier-pigeon"},
            {"type": "sms", "custom_step_id": 9}
        ],
        "excluded_customers": "c1"
    });
    let result = validate_pocketflows_trigger(&input);
    assert_eq!(
        located(&result.errors),
        vec![
            ("/project_defined_event", "required"),
            ("/name", "type"),
            ("/excluded_customers", "type"),
            ("/steps/0/email_template_id", "required"),
            ("/steps/1/type", "unknown_step_type"),
            ("/steps/2/custom_step_id", "type"),
            ("/email_address", "required"),
            ("/phone_number", "required"),
        ]
    );
}

#[test]
fn warnings_do_not_invalidate() {
    let mut input = base();
    input["status"] = json!("active");
    input["exclude_customers"] = json!(["c1"]);
    input["excluded_customers"] = json!(["c1", "c2", "c1"]);
    input["attributed_revenue"] = json!(-5);
    input["steps"][0]["colour"] = json!("red");
    let result = validate_pocketflows_trigger(&input);
    assert!(result.valid, "{:?}", result.errors);
    assert_eq!(
        located(&result.warnings),
        vec![
            ("/exclude_customers", "unknown_key"),
            ("/status", "unknown_key"),
            ("/attributed_revenue", "negative"),
            ("/excluded_customers/2", "duplicate"),
            ("/steps/0/colour", "unknown_key"),
        ]
    );
    assert!(result.warnings[0]
        .message
        .contains("did you mean \"excluded_customers\""));
    assert!(result.warnings[1].message.contains("read-only"));
    let value = result.value.expect("normalized value");
    assert_eq!(
        value.excluded_customers,
        Some(vec!["c1".to_owned(), "c2".to_owned()])
    );
}

#[test]
fn an_empty_step_list_warns() {
    let result = validate_pocketflows_trigger(&with("steps", Some(json!([]))));
    assert!(result.valid);
    assert_eq!(located(&result.warnings), vec![("/steps", "no_steps")]);
}

#[test]
fn normalization_keeps_the_nulls_of_nullable_members_and_adds_nothing() {
    let mut input = base();
    for key in ["filter", "metadata", "attributed_revenue", "phone_number"] {
        input[key] = Value::Null;
    }
    input["steps"] = json!([
        {"type": "email", "email_template_id": "tpl_1", "custom_step_id": null},
        {"type": "custom", "custom_step_id": "cs_1"},
        {"type": "sms"}
    ]);
    input["phone_number"] = json!("pn_1");
    input["attributed_revenue"] = json!(12.5);
    let result = validate_pocketflows_trigger(&input);
    assert!(result.valid, "{:?}", result.errors);
    let value = serde_json::to_value(result.value.expect("value")).expect("encodes");
    assert_eq!(
        value,
        json!({
            "project_defined_event": "evt_signup",
            "name": "Welcome",
            "filter": null,
            "metadata": null,
            "attributed_revenue": 12.5,
            "steps": [
                {"type": "email", "email_template_id": "tpl_1"},
                {"type": "custom", "custom_step_id": "cs_1"},
                {"type": "sms"}
            ],
            "email_address": "ea_1",
            "phone_number": "pn_1"
        })
    );
    // Read back, a kept null stays apart from an absent member.
    let typed: PocketflowsTriggerInput = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(typed.filter, Some(None));
    assert_eq!(typed.excluded_customers, None);
    assert_eq!(serde_json::to_value(&typed).expect("encodes"), value);
    // Absent members stay absent.
    let mut bare = base();
    for key in ["filter", "metadata", "attributed_revenue", "phone_number"] {
        bare.as_object_mut().map(|o| o.remove(key));
    }
    let value = validate_pocketflows_trigger(&bare).value.expect("valid");
    for key in ["filter", "metadata", "attributed_revenue", "phone_number"] {
        assert!(
            serde_json::to_value(&value)
                .expect("encodes")
                .get(key)
                .is_none(),
            "{key}"
        );
    }
}

#[test]
fn check_filter_accepts_expressions_and_bounds_length() {
    use triggerkit::issue::{Issues, Pointer};
    use triggerkit::validate::check_filter;
    let at = Pointer::root().key("filter");
    let mut issues = Issues::new();
    check_filter("event.properties.plan == \"pro\"", &at, &mut issues);
    check_filter(&"x".repeat(10_000), &at, &mut issues);
    assert!(issues.errors.is_empty());
    check_filter("\n\t", &at, &mut issues);
    assert_eq!(located(&issues.errors), vec![("/filter", "empty")]);
}

#[test]
fn hostile_inputs_return_errors_quickly() {
    let huge = "s".repeat(10 * 1024 * 1024);
    let mut deep = json!({});
    for _ in 0..1000 {
        deep = json!({ "a": deep });
    }
    let inputs = vec![
        json!(1),
        json!("x"),
        json!(true),
        json!({"project_defined_event": huge.clone(), "name": [], "steps": [{"type": huge.clone()}]}),
        json!({"project_defined_event": "e", "name": "n", "steps": [deep.clone()], "metadata": deep}),
        json!({"steps": (0..10_000).map(|_| json!({"type": 1})).collect::<Vec<_>>()}),
    ];
    for input in inputs {
        let result = validate_pocketflows_trigger(&input);
        assert!(!result.valid);
        assert!(
            result.errors.iter().all(|e| e.message.len() < 300),
            "messages stay short"
        );
    }
}
