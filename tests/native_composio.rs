//! Native tests of the Composio data model, the upsert validator (deprecated
//! fields, toolkit versions, config schemas), the JSON Schema subset, the
//! slug check and the error envelope.
#![cfg(feature = "validators")]

mod support;

use serde_json::{json, Value};
use support::{located, with_data, with_member, Located};
use triggerkit::formats::composio::{
    ComposioErrorEnvelope, ComposioUpsertInput, ComposioUpsertResponse, ToolkitVersions,
};
use triggerkit::issue::{Issues, Pointer};
use triggerkit::validate::json_schema::check_json_schema;
use triggerkit::validate::{composio_error_envelope, validate_composio_slug, ComposioTriggerType};
use triggerkit::{validate, ValidationResult};

/// The validator on test data built with serde_json.
fn validate_composio_trigger_instance(
    input: &Value,
    config_schema: Option<&Value>,
) -> ValidationResult<ComposioUpsertInput> {
    with_data(input, |input| match config_schema {
        Some(schema) => with_data(schema, |schema| {
            validate::validate_composio_trigger_instance(input, Some(schema))
        }),
        None => validate::validate_composio_trigger_instance(input, None),
    })
}

/// The validator on test data built with serde_json.
fn validate_composio_upsert(
    input: &Value,
    trigger_type: &ComposioTriggerType<'_>,
) -> ValidationResult<ComposioUpsertInput> {
    with_data(input, |input| {
        validate::validate_composio_upsert(input, trigger_type)
    })
}

const SEED_REQUEST: &str = "{}";

const SEED_RESPONSE: &str = r#"{
  "trigger_id": "string",
  "deprecated": {
    "uuid": "string"
  }
}"#;

const SEED_ERROR: &str = r#"{
  "error": {
    "message": "string",
    "code": 0,
    "slug": "string",
    "status": 0,
    "request_id": "string",
    "suggested_fix": "string",
    "errors": [
      "string"
    ]
  }
}"#;

/// The documented shape of GITHUB_COMMIT_EVENT's config schema, with extras.
fn github_schema() -> Value {
    json!({
        "title": "GithubCommitEventConfig",
        "type": "object",
        "properties": {
            "owner": {"type": "string", "title": "Owner", "minLength": 1},
            "repo": {"type": "string", "title": "Repo", "maxLength": 100},
            "events": {"type": "array", "items": {"enum": ["push", "pull_request"]}, "default": ["push"]}
        },
        "required": ["owner", "repo"],
        "additionalProperties": false
    })
}

#[test]
fn seed_examples_round_trip() {
    let request: Value = serde_json::from_str(SEED_REQUEST).expect("parses");
    let typed: ComposioUpsertInput = serde_json::from_value(request.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&typed).expect("encodes"), request);

    let response: Value = serde_json::from_str(SEED_RESPONSE).expect("parses");
    let typed: ComposioUpsertResponse = serde_json::from_value(response.clone()).expect("decodes");
    assert_eq!(
        typed.deprecated.as_ref().map(|d| d.uuid.as_str()),
        Some("string")
    );
    assert_eq!(serde_json::to_value(&typed).expect("encodes"), response);

    let error: Value = serde_json::from_str(SEED_ERROR).expect("parses");
    let typed: ComposioErrorEnvelope = serde_json::from_value(error.clone()).expect("decodes");
    assert_eq!(typed.error.code, Some(0));
    assert_eq!(serde_json::to_value(&typed).expect("encodes"), error);

    let documented = json!({"error": {"message": "No connected account", "status": 400,
        "request_id": "req_abc123def456", "suggested_fix": "Connect the user to the toolkit first"}});
    let typed: ComposioErrorEnvelope = serde_json::from_value(documented.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&typed).expect("encodes"), documented);
}

#[test]
fn seed_request_needs_a_connected_account() {
    let result = validate_composio_trigger_instance(&json!({}), None);
    assert_eq!(
        located(&result.errors),
        vec![("/connected_account_id", "required")]
    );
}

#[test]
fn toolkit_versions_decode_as_latest_or_a_map() {
    let latest: ToolkitVersions = serde_json::from_value(json!("latest")).expect("decodes");
    assert!(matches!(latest, ToolkitVersions::Latest(_)));
    assert_eq!(
        serde_json::to_value(&latest).expect("encodes"),
        json!("latest")
    );
    let map: ToolkitVersions =
        serde_json::from_value(json!({"github": "20250905_00"})).expect("decodes");
    assert!(matches!(map, ToolkitVersions::PerToolkit(_)));
    assert!(serde_json::from_value::<ToolkitVersions>(json!("v2")).is_err());
}

#[test]
fn a_full_body_normalizes_with_schema_defaults() {
    let input = json!({
        "connected_account_id": "ca_abc",
        "trigger_config": {"owner": "octo", "repo": "hello"},
        "toolkit_versions": {"github": "20250905_00"}
    });
    let schema = github_schema();
    let result = validate_composio_trigger_instance(&input, Some(&schema));
    assert!(result.valid, "{:?}", result.errors);
    assert!(result.warnings.is_empty(), "{:?}", result.warnings);
    let value = serde_json::to_value(result.value.expect("value")).expect("encodes");
    assert_eq!(
        value,
        json!({
            "connected_account_id": "ca_abc",
            "trigger_config": {"owner": "octo", "repo": "hello", "events": ["push"]},
            "toolkit_versions": {"github": "20250905_00"}
        })
    );
}

#[test]
fn invalid_bodies_are_located() {
    let schema = github_schema();
    // A valid body with the members of `extra` added.
    let ok = |extra: Value| {
        let base = json!({"connected_account_id": "ca_1"});
        extra
            .as_object()
            .into_iter()
            .flatten()
            .fold(base, |body, (k, v)| with_member(body, k, Some(v.clone())))
    };
    let cases: Vec<(&str, Value, Option<&Value>, Located)> = vec![
        ("array body", json!([]), None, vec![("", "type")]),
        (
            "no account",
            json!({"trigger_config": {}}),
            None,
            vec![("/connected_account_id", "required")],
        ),
        (
            "numeric account",
            json!({"connected_account_id": 5}),
            None,
            vec![("/connected_account_id", "type")],
        ),
        (
            "blank account",
            json!({"connected_account_id": ""}),
            None,
            vec![("/connected_account_id", "empty")],
        ),
        (
            "numeric deprecated account",
            json!({"connectedAuthId": 5}),
            None,
            vec![("/connectedAuthId", "type")],
        ),
        (
            "conflicting accounts",
            ok(json!({"connectedAuthId": "ca_2"})),
            None,
            vec![("/connectedAuthId", "deprecated_conflict")],
        ),
        (
            "string config",
            ok(json!({"trigger_config": "owner=octo"})),
            None,
            vec![("/trigger_config", "type")],
        ),
        (
            "array deprecated config",
            ok(json!({"triggerConfig": []})),
            Some(&schema),
            vec![("/triggerConfig", "type")],
        ),
        (
            "conflicting configs",
            ok(json!({"trigger_config": {"a": 1}, "triggerConfig": {"a": 2}})),
            None,
            vec![("/triggerConfig", "deprecated_conflict")],
        ),
        (
            "version string",
            ok(json!({"toolkit_versions": "v2"})),
            None,
            vec![("/toolkit_versions", "invalid_toolkit_versions")],
        ),
        (
            "numeric versions",
            ok(json!({"toolkit_versions": 3})),
            None,
            vec![("/toolkit_versions", "type")],
        ),
        (
            "numeric toolkit version",
            ok(json!({"toolkit_versions": {"github": 1}})),
            None,
            vec![("/toolkit_versions/github", "type")],
        ),
        (
            "blank toolkit version",
            ok(json!({"toolkit_versions": {"github": " "}})),
            None,
            vec![("/toolkit_versions/github", "empty")],
        ),
        (
            "blank toolkit slug",
            ok(json!({"toolkit_versions": {"": "latest"}})),
            None,
            vec![("/toolkit_versions/", "empty")],
        ),
        (
            "numeric deprecated version",
            ok(json!({"version": 5})),
            None,
            vec![("/version", "type")],
        ),
        (
            "conflicting versions",
            ok(json!({"version": "latest", "toolkit_versions": {"github": "20250101_00"}})),
            None,
            vec![("/version", "deprecated_conflict")],
        ),
        (
            "missing required config",
            ok(json!({})),
            Some(&schema),
            vec![
                ("/trigger_config/owner", "required"),
                ("/trigger_config/repo", "required"),
            ],
        ),
        (
            "wrong config member type",
            ok(json!({"trigger_config": {"owner": "o", "repo": 1}})),
            Some(&schema),
            vec![("/trigger_config/repo", "type")],
        ),
        (
            "deprecated config checked in place",
            ok(json!({"triggerConfig": {"owner": "", "repo": "r"}})),
            Some(&schema),
            vec![("/triggerConfig/owner", "min_length")],
        ),
        (
            "unknown config member",
            ok(json!({"trigger_config": {"owner": "o", "repo": "r", "branch": "main"}})),
            Some(&schema),
            vec![("/trigger_config/branch", "additional_properties")],
        ),
        (
            "bad enum item",
            ok(json!({"trigger_config": {"owner": "o", "repo": "r", "events": ["push", "star"]}})),
            Some(&schema),
            vec![("/trigger_config/events/1", "enum")],
        ),
    ];
    for (name, input, schema, expected) in cases {
        let result = validate_composio_trigger_instance(&input, schema);
        assert!(!result.valid, "{name}: should be invalid");
        assert!(result.value.is_none(), "{name}");
        assert_eq!(located(&result.errors), expected, "{name}");
    }
}

#[test]
fn deprecated_fields_warn_and_map_to_replacements() {
    let input = json!({
        "connectedAuthId": "ca_old",
        "triggerConfig": {"owner": "octo", "repo": "hello"},
        "version": "latest"
    });
    let result = validate_composio_trigger_instance(&input, None);
    assert!(result.valid, "{:?}", result.errors);
    assert_eq!(
        located(&result.warnings),
        vec![
            ("/connectedAuthId", "deprecated"),
            ("/triggerConfig", "deprecated"),
            ("/version", "deprecated"),
        ]
    );
    assert!(result.warnings[0]
        .message
        .contains("use connected_account_id"));
    assert!(result.warnings[1].message.contains("use trigger_config"));
    assert!(result.warnings[2].message.contains("use toolkit_versions"));
    let value = serde_json::to_value(result.value.expect("value")).expect("encodes");
    assert_eq!(
        value,
        json!({
            "connected_account_id": "ca_old",
            "trigger_config": {"owner": "octo", "repo": "hello"},
            "toolkit_versions": "latest"
        })
    );
}

#[test]
fn equal_old_and_new_spellings_are_not_a_conflict() {
    let input = json!({
        "connectedAuthId": "ca_1", "connected_account_id": "ca_1",
        "triggerConfig": {"n": 1}, "trigger_config": {"n": 1.0},
        "version": "20250905_00", "toolkit_versions": {"github": "20250905_00"}
    });
    let result = validate_composio_trigger_instance(&input, None);
    assert!(result.valid, "{:?}", result.errors);
    assert_eq!(result.warnings.len(), 3);
    let value = result.value.expect("value");
    assert_eq!(value.version, None);
}

#[test]
fn a_specific_version_maps_with_a_known_toolkit_and_is_kept_without() {
    let input = json!({"connected_account_id": "ca_1", "version": "20250905_00"});
    let known = ComposioTriggerType {
        config_schema: None,
        toolkit_slug: Some("github"),
    };
    let mapped = validate_composio_upsert(&input, &known);
    let value = serde_json::to_value(mapped.value.expect("value")).expect("encodes");
    assert_eq!(
        value,
        json!({"connected_account_id": "ca_1", "toolkit_versions": {"github": "20250905_00"}})
    );

    let kept = validate_composio_trigger_instance(&input, None);
    let value = serde_json::to_value(kept.value.expect("value")).expect("encodes");
    assert_eq!(
        value,
        json!({"connected_account_id": "ca_1", "version": "20250905_00"})
    );

    let conflicting = json!({"connected_account_id": "ca_1", "version": "20250905_00",
        "toolkit_versions": {"github": "20250101_00", "slack": "20250905_00"}});
    let result = validate_composio_upsert(&conflicting, &known);
    assert_eq!(
        located(&result.errors),
        vec![("/version", "deprecated_conflict")]
    );
}

#[test]
fn lint_warnings() {
    let input = json!({"connected_account_id": "ca_1", "trigger_confg": {},
        "toolkit_versions": {"git hub": "v1"}});
    let result = validate_composio_trigger_instance(&input, None);
    assert!(result.valid);
    assert_eq!(
        located(&result.warnings),
        vec![
            ("/trigger_confg", "unknown_key"),
            ("/toolkit_versions/git hub", "slug_format"),
            ("/toolkit_versions/git hub", "version_format"),
        ]
    );
    assert!(result.warnings[0]
        .message
        .contains("did you mean \"trigger_config\""));
}

#[test]
fn null_members_count_as_absent() {
    let input = json!({"connected_account_id": "ca_1", "trigger_config": null,
        "toolkit_versions": null, "connectedAuthId": null, "version": null});
    let result = validate_composio_trigger_instance(&input, None);
    assert!(result.valid, "{:?}", result.errors);
    assert!(result.warnings.is_empty());
    assert_eq!(
        result.value,
        Some(ComposioUpsertInput {
            connected_account_id: Some("ca_1".to_owned()),
            ..Default::default()
        })
    );
}

/// Runs the schema subset on `instance` at /trigger_config.
fn schema_check(schema: Value, instance: Value) -> (Issues, Value) {
    let mut issues = Issues::new();
    let normalized = with_data(&instance, |instance| {
        with_data(&schema, |schema| {
            check_json_schema(
                instance,
                schema,
                &Pointer::root().key("trigger_config"),
                &mut issues,
            )
        })
    });
    let normalized = serde_json::to_value(normalized).expect("encodes");
    (issues, normalized)
}

#[test]
fn json_schema_subset() {
    let cases: Vec<(&str, Value, Value, Located)> = vec![
        ("type ok", json!({"type": "string"}), json!("x"), vec![]),
        (
            "type mismatch",
            json!({"type": "string"}),
            json!(1),
            vec![("/trigger_config", "type")],
        ),
        (
            "type array",
            json!({"type": ["string", "null"]}),
            json!(null),
            vec![],
        ),
        (
            "type array mismatch",
            json!({"type": ["string", "null"]}),
            json!(true),
            vec![("/trigger_config", "type")],
        ),
        (
            "integer accepts 2.0",
            json!({"type": "integer"}),
            json!(2.0),
            vec![],
        ),
        (
            "integer rejects 2.5",
            json!({"type": "integer"}),
            json!(2.5),
            vec![("/trigger_config", "type")],
        ),
        (
            "number accepts integers",
            json!({"type": "number"}),
            json!(2),
            vec![],
        ),
        (
            "nullable",
            json!({"type": "string", "nullable": true}),
            json!(null),
            vec![],
        ),
        (
            "enum compares numbers by value",
            json!({"enum": [1, "a"]}),
            json!(1.0),
            vec![],
        ),
        (
            "enum",
            json!({"enum": ["a", "b"]}),
            json!("c"),
            vec![("/trigger_config", "enum")],
        ),
        (
            "const",
            json!({"const": {"a": [1]}}),
            json!({"a": [2]}),
            vec![("/trigger_config", "const")],
        ),
        (
            "nested properties",
            json!({"properties": {"a": {"properties": {"b": {"type": "integer"}}}}}),
            json!({"a": {"b": "x"}}),
            vec![("/trigger_config/a/b", "type")],
        ),
        (
            "required",
            json!({"required": ["a", "b"]}),
            json!({"a": 1}),
            vec![("/trigger_config/b", "required")],
        ),
        (
            "required escapes pointer",
            json!({"required": ["a/b"]}),
            json!({}),
            vec![("/trigger_config/a~1b", "required")],
        ),
        (
            "additionalProperties false",
            json!({"properties": {"a": {}}, "additionalProperties": false}),
            json!({"a": 1, "b": 2}),
            vec![("/trigger_config/b", "additional_properties")],
        ),
        (
            "additionalProperties schema",
            json!({"additionalProperties": {"type": "string"}}),
            json!({"x": "1", "y": 2}),
            vec![("/trigger_config/y", "type")],
        ),
        (
            "items schema",
            json!({"items": {"type": "integer"}}),
            json!([1, "a", 3]),
            vec![("/trigger_config/1", "type")],
        ),
        (
            "items tuple",
            json!({"items": [{"type": "string"}, {"type": "integer"}]}),
            json!(["a", "b", "c"]),
            vec![("/trigger_config/1", "type")],
        ),
        (
            "minItems maxItems",
            json!({"minItems": 2, "maxItems": 3}),
            json!([1]),
            vec![("/trigger_config", "min_items")],
        ),
        (
            "maxItems",
            json!({"maxItems": 1}),
            json!([1, 2]),
            vec![("/trigger_config", "max_items")],
        ),
        (
            "uniqueItems",
            json!({"uniqueItems": true}),
            json!([1, 2, 1.0]),
            vec![("/trigger_config/2", "unique_items")],
        ),
        (
            "minimum",
            json!({"minimum": 1}),
            json!(0),
            vec![("/trigger_config", "minimum")],
        ),
        (
            "minimum inclusive",
            json!({"minimum": 1, "maximum": 1}),
            json!(1),
            vec![],
        ),
        (
            "maximum",
            json!({"maximum": 10}),
            json!(10.5),
            vec![("/trigger_config", "maximum")],
        ),
        (
            "exclusiveMinimum number",
            json!({"exclusiveMinimum": 1}),
            json!(1),
            vec![("/trigger_config", "exclusive_minimum")],
        ),
        (
            "exclusiveMaximum number",
            json!({"exclusiveMaximum": 1}),
            json!(1),
            vec![("/trigger_config", "exclusive_maximum")],
        ),
        (
            "draft-4 exclusiveMinimum",
            json!({"minimum": 1, "exclusiveMinimum": true}),
            json!(1),
            vec![("/trigger_config", "exclusive_minimum")],
        ),
        (
            "draft-4 exclusiveMaximum",
            json!({"maximum": 1, "exclusiveMaximum": true}),
            json!(0.5),
            vec![],
        ),
        (
            "multipleOf float",
            json!({"multipleOf": 0.1}),
            json!(0.3),
            vec![],
        ),
        (
            "multipleOf integer",
            json!({"multipleOf": 2}),
            json!(7),
            vec![("/trigger_config", "multiple_of")],
        ),
        (
            "minLength counts code points",
            json!({"minLength": 3}),
            json!("éé"),
            vec![("/trigger_config", "min_length")],
        ),
        (
            "maxLength counts code points",
            json!({"maxLength": 2}),
            json!("😀😀"),
            vec![],
        ),
        (
            "maxLength",
            json!({"maxLength": 2}),
            json!("abc"),
            vec![("/trigger_config", "max_length")],
        ),
        (
            "minProperties",
            json!({"minProperties": 1}),
            json!({}),
            vec![("/trigger_config", "min_properties")],
        ),
        (
            "maxProperties",
            json!({"maxProperties": 1}),
            json!({"a": 1, "b": 2}),
            vec![("/trigger_config", "max_properties")],
        ),
        (
            "allOf",
            json!({"allOf": [{"minimum": 0}, {"maximum": 5}]}),
            json!(6),
            vec![("/trigger_config", "maximum")],
        ),
        (
            "anyOf passes",
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
            json!(3),
            vec![],
        ),
        (
            "anyOf fails",
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
            json!(true),
            vec![("/trigger_config", "any_of")],
        ),
        (
            "anyOf optional reports inner",
            json!({"anyOf": [{"type": "string", "maxLength": 2}, {"type": "null"}]}),
            json!("abc"),
            vec![("/trigger_config", "max_length")],
        ),
        (
            "oneOf two match",
            json!({"oneOf": [{"type": "integer"}, {"minimum": 0}]}),
            json!(3),
            vec![("/trigger_config", "one_of")],
        ),
        (
            "oneOf one matches",
            json!({"oneOf": [{"type": "integer"}, {"type": "string"}]}),
            json!(3),
            vec![],
        ),
        (
            "not",
            json!({"not": {"type": "string"}}),
            json!("x"),
            vec![("/trigger_config", "not")],
        ),
        (
            "false schema",
            json!({"properties": {"a": false}}),
            json!({"a": 1}),
            vec![("/trigger_config/a", "false_schema")],
        ),
        ("true schema", json!(true), json!({"anything": [1]}), vec![]),
        (
            "local $ref",
            json!({"$defs": {"Event": {"enum": ["push"]}}, "properties": {"e": {"$ref": "#/$defs/Event"}}}),
            json!({"e": "pull"}),
            vec![("/trigger_config/e", "enum")],
        ),
        (
            "draft-4 definitions $ref",
            json!({"definitions": {"n": {"type": "integer"}}, "items": {"$ref": "#/definitions/n"}}),
            json!([1, "x"]),
            vec![("/trigger_config/1", "type")],
        ),
        (
            "annotations ignored",
            json!({"title": "T", "description": "d", "format": "email", "examples": [1], "x-ui": 3}),
            json!("not an email"),
            vec![],
        ),
    ];
    for (name, schema, instance, expected) in cases {
        let (issues, _) = schema_check(schema, instance);
        assert_eq!(located(&issues.errors), expected, "{name}");
        assert!(issues.warnings.is_empty(), "{name}: {:?}", issues.warnings);
    }
}

#[test]
fn json_schema_defaults_fill_absent_members() {
    let schema = json!({
        "properties": {
            "interval": {"type": "integer", "default": 15},
            "labels": {"type": "array", "default": []},
            "filter": {"anyOf": [
                {"type": "object", "properties": {"state": {"default": "open"}}},
                {"type": "null"}
            ]}
        },
        "required": ["interval"]
    });
    let (issues, normalized) = schema_check(schema, json!({"filter": {}, "interval": 30}));
    assert!(issues.errors.is_empty(), "{:?}", issues.errors);
    assert_eq!(
        normalized,
        json!({"interval": 30, "labels": [], "filter": {"state": "open"}})
    );

    let (issues, normalized) = schema_check(
        json!({"properties": {"n": {"default": 1}}, "required": ["n"]}),
        json!({}),
    );
    assert!(issues.errors.is_empty(), "a default satisfies required");
    assert_eq!(normalized, json!({"n": 1}));
}

#[test]
fn json_schema_problems_warn_once() {
    let schema = json!({"items": {"type": "string", "pattern": "^a", "minLength": "two"}});
    let (issues, _) = schema_check(schema, json!(["a", "b", "c"]));
    assert!(issues.errors.is_empty());
    assert_eq!(
        located(&issues.warnings),
        vec![
            ("/trigger_config/0", "schema_unsupported"),
            ("/trigger_config/0", "invalid_schema")
        ]
    );
    for (schema, code) in [
        (json!({"type": 5}), "invalid_schema"),
        (json!({"type": "strin"}), "invalid_schema"),
        (json!({"required": "a"}), "invalid_schema"),
        (json!({"$ref": "#/nowhere"}), "invalid_schema"),
        (
            json!({"$ref": "https://example.com/s.json"}),
            "schema_unsupported",
        ),
        (json!({"anyOf": []}), "invalid_schema"),
        (json!(5), "invalid_schema"),
    ] {
        let (issues, _) = schema_check(schema.clone(), json!({"a": 1}));
        assert_eq!(
            located(&issues.warnings),
            vec![("/trigger_config", code)],
            "{schema}"
        );
    }
}

#[test]
fn hostile_schemas_terminate() {
    let (issues, _) = schema_check(json!({"$ref": "#"}), json!(1));
    assert_eq!(
        located(&issues.warnings),
        vec![("/trigger_config", "schema_limit")]
    );

    // Linear in size, but 2^40 branch evaluations without the work budget.
    let mut defs = serde_json::Map::new();
    defs.insert("a0".to_owned(), json!({"type": "string"}));
    for i in 1..=40 {
        let inner = json!({"$ref": format!("#/$defs/a{}", i - 1)});
        defs.insert(format!("a{i}"), json!({"anyOf": [inner.clone(), inner]}));
    }
    let schema = json!({"$defs": defs, "$ref": "#/$defs/a40"});
    let (issues, _) = schema_check(schema, json!(1));
    assert!(issues.warnings.iter().any(|w| w.code == "schema_limit"));

    let many = Value::Array((0..5_000).map(Value::from).collect());
    let (issues, _) = schema_check(json!({"uniqueItems": true}), many);
    assert!(issues.errors.is_empty());
    assert_eq!(
        located(&issues.warnings),
        vec![("/trigger_config", "schema_limit")]
    );
}

#[test]
fn slugs() {
    let ok = validate_composio_slug("github_commit_event");
    assert!(ok.valid);
    assert_eq!(ok.value.as_deref(), Some("GITHUB_COMMIT_EVENT"));
    for (slug, code) in [
        ("", "empty"),
        ("  ", "empty"),
        ("GITHUB/../X", "invalid_slug"),
        ("A B", "invalid_slug"),
    ] {
        let result = validate_composio_slug(slug);
        assert_eq!(located(&result.errors), vec![("", code)], "{slug:?}");
    }
}

#[test]
fn error_envelope() {
    let valid = validate_composio_trigger_instance(&json!({"connected_account_id": "ca_1"}), None);
    assert_eq!(composio_error_envelope(&valid), None);

    let invalid = validate_composio_trigger_instance(&json!({"toolkit_versions": 3}), None);
    let envelope = composio_error_envelope(&invalid).expect("an envelope");
    let body = serde_json::to_value(&envelope).expect("encodes");
    assert_eq!(body["error"]["status"], json!(400));
    assert_eq!(body["error"]["code"], json!(10400));
    assert_eq!(body["error"]["slug"], json!("BadRequest"));
    assert_eq!(body["error"]["errors"].as_array().map(Vec::len), Some(2));
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("2 problems")));
    assert!(body["error"]["suggested_fix"]
        .as_str()
        .is_some_and(|m| m.contains("connected_account_id")));
    let decoded: ComposioErrorEnvelope = serde_json::from_value(body).expect("decodes");
    assert_eq!(decoded, envelope);
}

#[test]
fn hostile_inputs_return_errors() {
    let huge = "v".repeat(10 * 1024 * 1024);
    for input in [
        json!(null),
        json!(1.5),
        json!("x"),
        json!([{"connected_account_id": "a"}]),
        json!({"connected_account_id": [], "toolkit_versions": {huge.clone(): huge.clone()}, "version": huge}),
    ] {
        let result = validate_composio_trigger_instance(&input, Some(&github_schema()));
        assert!(!result.valid);
        assert!(result
            .errors
            .iter()
            .chain(&result.warnings)
            .all(|i| i.message.len() < 400));
    }
}
