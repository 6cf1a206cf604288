//! wasm-bindgen tests of the validation exports, run in Node and in Chrome.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Object, Reflect, JSON};
use triggerkit::wasm::validate_rocket_chat_trigger;
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
