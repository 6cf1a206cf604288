//! wasm-bindgen tests of the validation exports, run in Node and in Chrome.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Object, Reflect, JSON};
use triggerkit::wasm::{
    rocket_chat_error_text, validate_rocket_chat_trigger, validate_zendesk_trigger,
    zendesk_record_invalid,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON parses")
}

fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).expect("object")
}

#[wasm_bindgen_test]
fn seed_example_is_valid() {
    let input = json(
        r#"{"name":"api-trigger","description":"testing create trigger endpoint","enabled":false,"runOnce":true,
        "conditions":[{"name":"chat-opened-by-visitor","value":"0"}],
        "actions":[{"name":"send-message","params":{"sender":"queue","msg":"hello world"}}]}"#,
    );
    let result = validate_rocket_chat_trigger(input).expect("returns a result");
    assert_eq!(field(&result, "valid"), JsValue::TRUE);
}

#[wasm_bindgen_test]
fn hostile_inputs_return_errors() {
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let function = Function::new_no_args("return 1");
    let map = js_sys::Map::new();
    let big = js_sys::BigInt::from(5u32);
    for input in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from(3),
        JsValue::from("x"),
        cyclic.into(),
        function.into(),
        map.into(),
        big.into(),
    ] {
        let result = validate_rocket_chat_trigger(input).expect("never throws for data");
        assert_eq!(field(&result, "valid"), JsValue::FALSE);
    }
}

mod pocketflows_composio_zapier {
    use super::{field, json};
    use js_sys::{Array, Object, Reflect};
    use triggerkit::wasm::{
        composio_error_envelope, validate_composio_slug, validate_composio_trigger_instance,
        validate_pocketflows_trigger, validate_zapier_inbox, validate_zapier_inbox_name,
        zapier_error_body,
    };
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::*;

    fn first_error(result: &JsValue) -> (String, String) {
        let errors: Array = field(result, "errors").into();
        let issue = errors.get(0);
        (
            field(&issue, "path").as_string().unwrap_or_default(),
            field(&issue, "code").as_string().unwrap_or_default(),
        )
    }

    #[wasm_bindgen_test]
    fn pocketflows_seed_is_valid_and_errors_are_located() {
        let seed = json(
            r#"{"project_defined_event":"e","name":"n","filter":"x == 1","metadata":{},"attributed_revenue":123,
            "steps":[{"type":"email","custom_step_id":"c","email_template_id":"t"}],
            "email_address":"a","phone_number":"p","excluded_customers":["c1"]}"#,
        );
        let result = validate_pocketflows_trigger(seed).expect("a result");
        assert_eq!(field(&result, "valid"), JsValue::TRUE);
        let value = field(&result, "value");
        assert_eq!(field(&value, "attributed_revenue").as_f64(), Some(123.0));
        let with_null = json(
            r#"{"project_defined_event":"e","name":"n","steps":[],"metadata":{"k":null},"filter":null}"#,
        );
        let result = validate_pocketflows_trigger(with_null).expect("a result");
        let metadata = field(&field(&result, "value"), "metadata");
        assert!(field(&metadata, "k").is_null(), "JSON null stays null");
        let value = field(&result, "value");
        assert!(field(&value, "filter").is_null(), "a null filter is kept");
        assert!(
            field(&value, "phone_number").is_undefined(),
            "an absent member stays absent"
        );

        let bad = json(r#"{"project_defined_event":"e","name":"n","steps":[{"type":"fax"}]}"#);
        let result = validate_pocketflows_trigger(bad).expect("a result");
        assert_eq!(field(&result, "valid"), JsValue::FALSE);
        assert_eq!(
            first_error(&result),
            ("/steps/0/type".to_owned(), "unknown_step_type".to_owned())
        );
    }

    #[wasm_bindgen_test]
    fn composio_optional_arguments() {
        let body = json(r#"{"connectedAuthId":"ca_1","version":"20250905_00"}"#);
        let result =
            validate_composio_trigger_instance(body.clone(), None, None).expect("a result");
        assert_eq!(field(&result, "valid"), JsValue::TRUE);
        let warnings: Array = field(&result, "warnings").into();
        assert_eq!(warnings.length(), 2);
        assert_eq!(
            field(&field(&result, "value"), "version")
                .as_string()
                .as_deref(),
            Some("20250905_00")
        );

        let result = validate_composio_trigger_instance(
            body,
            Some(JsValue::UNDEFINED),
            Some(JsValue::from("github")),
        )
        .expect("a result");
        let versions = field(&field(&result, "value"), "toolkit_versions");
        assert_eq!(
            field(&versions, "github").as_string().as_deref(),
            Some("20250905_00")
        );

        let schema = json(
            r#"{"type":"object","properties":{"repo":{"type":"string"}},"required":["repo"]}"#,
        );
        let result = validate_composio_trigger_instance(
            json(r#"{"connected_account_id":"ca_1","trigger_config":{}}"#),
            Some(schema),
            None,
        )
        .expect("a result");
        assert_eq!(
            first_error(&result),
            ("/trigger_config/repo".to_owned(), "required".to_owned())
        );
        let envelope = composio_error_envelope(result).expect("an envelope");
        assert_eq!(
            field(&field(&envelope, "error"), "status").as_f64(),
            Some(400.0)
        );

        let thrown =
            validate_composio_trigger_instance(JsValue::NULL, None, Some(JsValue::from(5)))
                .expect_err("a non-string toolkit slug is not data for this argument");
        assert_eq!(
            field(&thrown, "code").as_string().as_deref(),
            Some("invalid_argument")
        );
    }

    #[wasm_bindgen_test]
    fn hostile_config_schemas_terminate_within_the_wasm_stack() {
        let body = json(r#"{"connected_account_id":"ca_1","trigger_config":{"a":{"a":{"a":{}}}}}"#);
        // As deep as a JS argument may be (the conversion stops at 128),
        // ending in a cycle back to the root.
        let mut nested = String::from(r##"{"$ref":"#"}"##);
        for _ in 0..60 {
            nested = format!(r#"{{"allOf":[{nested}]}}"#);
        }
        for schema in [r##"{"$ref":"#"}"##.to_owned(), nested] {
            let result =
                validate_composio_trigger_instance(body.clone(), Some(json(&schema)), None)
                    .expect("a result");
            let warnings: Array = field(&result, "warnings").into();
            let codes: Vec<String> = warnings
                .iter()
                .filter_map(|w| field(&w, "code").as_string())
                .collect();
            assert!(codes.iter().any(|c| c == "schema_limit"), "{codes:?}");
        }
    }

    #[wasm_bindgen_test]
    fn composio_slug_and_valid_envelope() {
        let result = validate_composio_slug("github_commit_event").expect("a result");
        assert_eq!(
            field(&result, "value").as_string().as_deref(),
            Some("GITHUB_COMMIT_EVENT")
        );
        let valid = validate_composio_trigger_instance(
            json(r#"{"connected_account_id":"ca_1"}"#),
            None,
            None,
        )
        .expect("a result");
        assert!(composio_error_envelope(valid).expect("no throw").is_null());
    }

    #[wasm_bindgen_test]
    fn zapier_inputs_against_fields() {
        let fields = json(
            r#"[{"key":"channel","value_type":"STRING","is_required":true},
                {"key":"listen_for_bots","value_type":"BOOLEAN","is_required":false,"default_value":"no"}]"#,
        );
        let body = json(
            r#"{"app":"slack","action":"channel_message","connection":"c","inputs":{"channel":"C1"}}"#,
        );
        let result = validate_zapier_inbox(body, Some(fields.clone())).expect("a result");
        assert_eq!(field(&result, "valid"), JsValue::TRUE);
        let inputs = field(&field(&result, "value"), "inputs");
        assert_eq!(field(&inputs, "listen_for_bots"), JsValue::FALSE);

        let missing = json(r#"{"app":"slack","action":"a","connection":"c","inputs":{}}"#);
        let result = validate_zapier_inbox(missing, Some(fields)).expect("a result");
        assert_eq!(
            first_error(&result),
            ("/inputs/channel".to_owned(), "required".to_owned())
        );
        let body = zapier_error_body(result).expect("a body");
        assert_eq!(
            field(&body, "code").as_string().as_deref(),
            Some("validation_error")
        );

        let thrown = validate_zapier_inbox(JsValue::NULL, Some(JsValue::from("fields")))
            .expect_err("inputFields must be an array of definitions");
        assert_eq!(
            field(&thrown, "code").as_string().as_deref(),
            Some("invalid_argument")
        );
    }

    #[wasm_bindgen_test]
    fn zapier_inbox_names() {
        let ok: Array = validate_zapier_inbox_name("my-slack-inbox")
            .expect("issues")
            .into();
        assert_eq!(ok.length(), 0);
        let bad: Array = validate_zapier_inbox_name("../x").expect("issues").into();
        assert_eq!(
            field(&bad.get(0), "code").as_string().as_deref(),
            Some("invalid_name")
        );
    }

    #[wasm_bindgen_test]
    fn hostile_inputs_return_errors() {
        let cyclic = Object::new();
        Reflect::set(&cyclic, &"self".into(), &cyclic).expect("settable");
        for input in [
            JsValue::UNDEFINED,
            JsValue::from(3),
            Array::new().into(),
            cyclic.into(),
            js_sys::Map::new().into(),
            js_sys::BigInt::from(5u32).into(),
        ] {
            for result in [
                validate_pocketflows_trigger(input.clone()),
                validate_composio_trigger_instance(input.clone(), None, None),
                validate_zapier_inbox(input.clone(), None),
            ] {
                let result = result.expect("never throws for data");
                assert_eq!(field(&result, "valid"), JsValue::FALSE);
            }
        }
    }
}

#[wasm_bindgen_test]
fn seed_example_with_string_booleans_normalizes() {
    let input = json(
        r#"{"name":"api-trigger","description":"testing create trigger endpoint","enabled":"false","runOnce":"true",
        "conditions":[{"name":"chat-opened-by-visitor","value":"0"}],
        "actions":[{"name":"send-message","params":{"sender":"queue","msg":"hello world"}}]}"#,
    );
    let result = validate_rocket_chat_trigger(input).expect("returns a result");
    assert_eq!(field(&result, "valid"), JsValue::TRUE);
    let value = field(&result, "value");
    assert_eq!(field(&value, "enabled"), JsValue::FALSE);
    assert_eq!(field(&value, "runOnce"), JsValue::TRUE);
    let condition = Reflect::get(&field(&value, "conditions"), &0.into()).expect("item");
    assert_eq!(field(&condition, "value"), JsValue::from("0"));
    assert_eq!(field(&value, "_id"), JsValue::UNDEFINED);
    assert_eq!(rocket_chat_error_text(result).expect("text"), JsValue::NULL);
}

#[wasm_bindgen_test]
fn rocket_chat_error_text_matches_the_server() {
    let input = json(
        r#"{"name":"n","description":"d","enabled":true,"runOnce":false,
        "conditions":[{"name":"page-url","value":"x"}],
        "actions":[{"name":"use-external-service","params":{"serviceUrl":"https://x","serviceFallbackMessage":"f"}}]}"#,
    );
    let result = validate_rocket_chat_trigger(input).expect("returns a result");
    assert_eq!(field(&result, "valid"), JsValue::FALSE);
    assert_eq!(
        rocket_chat_error_text(result).expect("text"),
        JsValue::from(
            "must be equal to one of the allowed values\n must have required property 'serviceTimeout'\n must match exactly one schema in oneOf [invalid-params]"
        )
    );
    let thrown = rocket_chat_error_text(JsValue::from(5)).expect_err("not a result");
    assert_eq!(field(&thrown, "code"), JsValue::from("invalid_argument"));
}

const ZENDESK_DEFINITIONS: &str = r#"{"definitions":{"actions":[{"group":"ticket","nullable":false,"repeatable":false,"subject":"status","title":"Status","type":"list","values":[{"enabled":true,"title":"Open","value":"open"}]}],
    "conditions_all":[{"group":"ticket","nullable":false,"operators":[{"terminal":false,"title":"Is","value":"is"}],"repeatable":false,"subject":"status","title":"Status","type":"list","values":[{"enabled":true,"title":"New","value":"new"}]}],
    "conditions_any":[]}}"#;

#[wasm_bindgen_test]
fn zendesk_triggers_validate_with_and_without_definitions() {
    let body = r#"{"trigger":{"title":"Roger Wilco","category_id":"10026",
        "conditions":{"all":[{"field":"status","operator":"is","value":"new"}]},
        "actions":[{"field":"group_id","value":20455932}]}}"#;
    let result = validate_zendesk_trigger(json(body), None).expect("returns a result");
    assert_eq!(field(&result, "valid"), JsValue::TRUE);
    let action =
        Reflect::get(&field(&field(&result, "value"), "actions"), &0.into()).expect("item");
    assert_eq!(field(&action, "value"), JsValue::from("20455932"));
    assert_eq!(
        zendesk_record_invalid(result).expect("record"),
        JsValue::NULL
    );

    let result = validate_zendesk_trigger(json(body), Some(json(ZENDESK_DEFINITIONS)))
        .expect("returns a result");
    assert_eq!(field(&result, "valid"), JsValue::FALSE);
    let error = Reflect::get(&field(&result, "errors"), &0.into()).expect("error");
    assert_eq!(
        field(&error, "path"),
        JsValue::from("/trigger/actions/0/field")
    );
    assert_eq!(field(&error, "code"), JsValue::from("unknown_field"));
    let record = zendesk_record_invalid(result).expect("record");
    assert_eq!(field(&record, "error"), JsValue::from("RecordInvalid"));
    let detail =
        Reflect::get(&field(&field(&record, "details"), "base"), &0.into()).expect("detail");
    assert_eq!(
        field(&detail, "description"),
        JsValue::from("Actions: 'group_id' is not an action field of this account")
    );

    let thrown = validate_zendesk_trigger(json(body), Some(json(r#"{"definitions": 5}"#)))
        .expect_err("bad definitions throw");
    assert_eq!(field(&thrown, "code"), JsValue::from("invalid_argument"));
}

#[wasm_bindgen_test]
fn zendesk_hostile_inputs_return_errors() {
    let deep = Object::new();
    let mut cursor = deep.clone();
    for _ in 0..10_000 {
        let next = Object::new();
        Reflect::set(&cursor, &"a".into(), &next).unwrap();
        cursor = next;
    }
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let huge = JsValue::from("x".repeat(10 * 1024 * 1024));
    for input in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from(3),
        huge,
        deep.into(),
        cyclic.into(),
        Function::new_no_args("return 1").into(),
        js_sys::BigInt::from(5u32).into(),
    ] {
        let result = validate_zendesk_trigger(input, None).expect("never throws for data");
        assert_eq!(field(&result, "valid"), JsValue::FALSE);
        assert_ne!(
            zendesk_record_invalid(result).expect("record"),
            JsValue::NULL
        );
    }
}

#[wasm_bindgen_test]
fn nulls_the_schema_accepts_stay_null_and_absent_members_absent() {
    let input = json(
        r#"{"_id":null,"name":"n","description":"d","enabled":true,"runOnce":false,
        "conditions":[{"name":"chat-opened-by-visitor","value":null}],
        "actions":[{"name":"send-message","params":null},{"name":"send-message"},
        {"name":"send-message","params":{"sender":"custom","msg":"m","name":null}}]}"#,
    );
    let result = validate_rocket_chat_trigger(input).expect("returns a result");
    let value = field(&result, "value");
    let condition = Reflect::get(&field(&value, "conditions"), &0.into()).expect("item");
    assert_eq!(field(&condition, "value"), JsValue::NULL);
    let action = Reflect::get(&field(&value, "actions"), &0.into()).expect("item");
    assert!(Reflect::has(&action, &"params".into()).expect("object"));
    assert_eq!(field(&action, "params"), JsValue::NULL);
    let bare = Reflect::get(&field(&value, "actions"), &1.into()).expect("item");
    assert!(!Reflect::has(&bare, &"params".into()).expect("object"));
    assert_eq!(
        String::from(JSON::stringify(&value).expect("stringifies")),
        String::from(
            r#"{"_id":null,"name":"n","description":"d","enabled":true,"runOnce":false,"conditions":[{"name":"chat-opened-by-visitor","value":null}],"actions":[{"name":"send-message","params":null},{"name":"send-message"},{"name":"send-message","params":{"sender":"custom","name":null,"msg":"m"}}]}"#
        )
    );
}
