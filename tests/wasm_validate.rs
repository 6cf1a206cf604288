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
fn a_null_condition_value_stays_null() {
    let input = json(
        r#"{"name":"n","description":"d","enabled":true,"runOnce":false,
        "conditions":[{"name":"chat-opened-by-visitor","value":null}],
        "actions":[{"name":"send-message","params":null}]}"#,
    );
    let result = validate_rocket_chat_trigger(input).expect("returns a result");
    let value = field(&result, "value");
    let condition = Reflect::get(&field(&value, "conditions"), &0.into()).expect("item");
    assert_eq!(field(&condition, "value"), JsValue::NULL);
    let action = Reflect::get(&field(&value, "actions"), &0.into()).expect("item");
    assert!(!Reflect::has(&action, &"params".into()).expect("object"));
    assert_eq!(
        String::from(JSON::stringify(&value).expect("stringifies")),
        String::from(
            r#"{"name":"n","description":"d","enabled":true,"runOnce":false,"conditions":[{"name":"chat-opened-by-visitor","value":null}],"actions":[{"name":"send-message"}]}"#
        )
    );
}
