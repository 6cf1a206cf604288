//! wasm-bindgen tests of the filter exports (`compileFilter`, `Filter`,
//! `matchPocketflowsTriggers`), run in Node and in Chrome.
#![cfg(all(target_arch = "wasm32", feature = "validators"))]

use js_sys::{Array, Function, Object, Reflect, JSON};
use triggerkit::wasm::filter::{compile_filter, match_pocketflows_triggers};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON parses")
}

fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).expect("object")
}

fn bools(array: &Array) -> Vec<bool> {
    array
        .iter()
        .map(|v| v.as_bool().expect("a boolean"))
        .collect()
}

const EVENT: &str = r#"{"event":{"name":"purchase","properties":{"plan":"pro","amount":150}},"customer":{"email":"a@b.co"}}"#;

#[wasm_bindgen_test]
fn compiles_and_evaluates() {
    let filter =
        compile_filter("event.properties.plan == 'pro' && event.properties.amount > 100".into())
            .expect("compiles");
    assert!(filter.evaluate(json(EVENT)));
    assert!(!filter.evaluate(json(
        r#"{"event":{"properties":{"plan":"free","amount":500}}}"#
    )));
    assert_eq!(
        filter.expression(),
        "event.properties.plan == 'pro' && event.properties.amount > 100"
    );
}

#[wasm_bindgen_test]
fn syntax_error_is_a_located_js_error() {
    let error = compile_filter("event.name == 'a' &&\n  x =! 1".into())
        .err()
        .expect("throws");
    assert_eq!(field(&error, "name"), JsValue::from("FilterSyntaxError"));
    assert_eq!(field(&error, "code"), JsValue::from("invalid_character"));
    assert_eq!(field(&error, "line"), JsValue::from(2));
    assert_eq!(field(&error, "column"), JsValue::from(5));
    assert_eq!(field(&error, "snippet"), JsValue::from("  x =! 1\n    ^"));
    assert!(error.is_instance_of::<js_sys::Error>());
    let message = field(&error, "message").as_string().unwrap_or_default();
    assert!(message.contains("line 2, column 5"), "{message}");

    let error = compile_filter(JsValue::from(42)).err().expect("throws");
    assert_eq!(field(&error, "code"), JsValue::from("invalid_argument"));
    let deep = format!("{}1{}", "(".repeat(3000), ")".repeat(3000));
    let error = compile_filter(deep.into()).err().expect("throws");
    assert_eq!(field(&error, "code"), JsValue::from("too_deep"));
}

#[wasm_bindgen_test]
fn explain_reports_errors_as_data() {
    let filter = compile_filter("customer.phone.startsWith('+1')".into()).expect("compiles");
    let result = filter.explain(json(EVENT)).expect("a result");
    assert_eq!(field(&result, "matched"), JsValue::FALSE);
    let error = field(&result, "error");
    assert_eq!(field(&error, "code"), JsValue::from("no_such_key"));
    assert!(field(&error, "message").as_string().is_some());

    let ok = compile_filter("has(customer.email)".into()).expect("compiles");
    let result = ok.explain(json(EVENT)).expect("a result");
    assert_eq!(field(&result, "matched"), JsValue::TRUE);
    assert!(field(&result, "error").is_undefined());
}

#[wasm_bindgen_test]
fn hostile_data_is_false_not_a_throw() {
    let filter = compile_filter("x == 1 || has(x.y)".into()).expect("compiles");
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    Reflect::set(&cyclic, &"x".into(), &cyclic).unwrap();
    let function = Function::new_no_args("return 1");
    let with_function = Object::new();
    Reflect::set(&with_function, &"x".into(), &function).unwrap();
    let with_map = Object::new();
    Reflect::set(&with_map, &"x".into(), &js_sys::Map::new()).unwrap();
    let throwing = Function::new_no_args(
        "return Object.defineProperty({}, 'x', { enumerable: true, get() { throw new Error('boom'); } })",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    for (input, code) in [
        (JsValue::UNDEFINED, "unknown_variable"),
        (JsValue::NULL, "unknown_variable"),
        (JsValue::from("text"), "unknown_variable"),
        (cyclic.into(), "invalid_data"),
        (with_function.into(), "invalid_data"),
        (with_map.into(), "invalid_data"),
        (throwing, "invalid_data"),
        (js_sys::BigInt::from(5u32).into(), "invalid_data"),
        (js_sys::Map::new().into(), "invalid_data"),
    ] {
        assert!(!filter.evaluate(input.clone()));
        let result = filter.explain(input).expect("a result");
        assert_eq!(field(&result, "matched"), JsValue::FALSE);
        let got = field(&field(&result, "error"), "code").as_string();
        assert_eq!(got.as_deref(), Some(code));
    }
}

#[wasm_bindgen_test]
fn only_the_parts_read_must_be_json() {
    let filter = compile_filter("x == 1".into()).expect("compiles");
    let data = Object::new();
    Reflect::set(&data, &"x".into(), &JsValue::from(1)).unwrap();
    Reflect::set(&data, &"self".into(), &data).unwrap();
    Reflect::set(&data, &"f".into(), &Function::new_no_args("return 1")).unwrap();
    assert!(filter.evaluate(data.into()));
    let inherited = Function::new_no_args("return Object.create({ x: 1 })")
        .call0(&JsValue::NULL)
        .unwrap();
    let result = filter.explain(inherited).expect("a result");
    assert_eq!(
        field(&field(&result, "error"), "code"),
        JsValue::from("invalid_data")
    );
    let proto_key = json(r#"{"__proto__": {"y": 1}, "x": 1}"#);
    assert!(compile_filter("x == 1 && __proto__.y == 1".into())
        .expect("compiles")
        .evaluate(proto_key));
}

#[wasm_bindgen_test]
fn evaluate_many_takes_arrays_and_json_text() {
    let filter = compile_filter("event.properties.amount > 100".into()).expect("compiles");
    let text = r#"[{"event":{"properties":{"amount":150}}},{"event":{"properties":{"amount":5}}},{},7,null]"#;
    let from_text = filter.evaluate_many(text.into()).expect("verdicts");
    assert_eq!(bools(&from_text), vec![true, false, false, false, false]);
    let from_array = filter.evaluate_many(json(text)).expect("verdicts");
    assert_eq!(bools(&from_array), vec![true, false, false, false, false]);
    let empty = filter.evaluate_many(json("[]")).expect("verdicts");
    assert_eq!(empty.length(), 0);

    let error = filter.evaluate_many("[1,".into()).expect_err("throws");
    assert_eq!(field(&error, "name"), JsValue::from("FilterDataError"));
    assert_eq!(field(&error, "code"), JsValue::from("invalid_json"));
    let message = field(&error, "message").as_string().unwrap_or_default();
    assert!(message.ends_with("at line 1 column 3"), "{message}");
    let error = filter
        .evaluate_many(
            "[{\"event\": 1},\n {\"event\": {\"properties\": {\"amount\": 1e999}}}]".into(),
        )
        .expect_err("throws");
    let message = field(&error, "message").as_string().unwrap_or_default();
    assert!(
        message.ends_with("number out of range at line 2 column 38"),
        "{message}"
    );
    let error = filter.evaluate_many(JsValue::from(3)).expect_err("throws");
    assert_eq!(field(&error, "code"), JsValue::from("invalid_argument"));
}

#[wasm_bindgen_test]
fn matches_pocketflows_triggers() {
    let triggers = json(
        r#"[
        {"id":"t1","project_defined_event":"purchase","status":"active","filter":"event.properties.amount > 100","excluded_customers":[]},
        {"id":"t2","project_defined_event":"purchase","status":"draft","filter":null},
        {"id":"t3","project_defined_event":"signup","status":"active"},
        {"id":"t4","project_defined_event":"purchase","status":"active","excluded_customers":["cus_1"]},
        {"id":"t5","project_defined_event":"purchase","status":"active","filter":"event.properties.plan =="},
        {"id":"t6","project_defined_event":"purchase","status":"active","filter":"customer.tier == 'gold'"}
    ]"#,
    );
    let event = json(
        r#"{"event":"purchase","customer_id":"cus_1","properties":{"amount":150},"customer":{"email":"a@b.co"}}"#,
    );
    let results: Array = match_pocketflows_triggers(triggers, event)
        .expect("results")
        .into();
    let summary: Vec<(String, bool, String)> = results
        .iter()
        .map(|m| {
            (
                field(&m, "id").as_string().unwrap_or_default(),
                field(&m, "matched").as_bool().unwrap_or(true),
                field(&m, "reason").as_string().unwrap_or_default(),
            )
        })
        .collect();
    let expected = [
        ("t1", true, ""),
        ("t2", false, "inactive"),
        ("t3", false, "event_mismatch"),
        ("t4", false, "excluded_customer"),
        ("t5", false, "filter_invalid"),
        ("t6", false, "filter_error"),
    ];
    assert_eq!(
        summary,
        expected
            .iter()
            .map(|(i, m, r)| (i.to_string(), *m, r.to_string()))
            .collect::<Vec<_>>()
    );
    let invalid = field(&results.get(4), "error");
    assert_eq!(field(&invalid, "code"), JsValue::from("unexpected_token"));
    assert_eq!(field(&invalid, "column"), JsValue::from(25));

    let bad =
        match_pocketflows_triggers(json(r#"[{"status":"paused"}]"#), json(r#"{"event":"x"}"#))
            .expect_err("throws");
    assert_eq!(field(&bad, "name"), JsValue::from("PocketflowsMatchError"));
    assert_eq!(field(&bad, "code"), JsValue::from("invalid_argument"));
    assert_eq!(
        field(&bad, "message"),
        JsValue::from(
            "triggers: unknown variant `paused`, expected one of `draft`, `active`, `inactive`"
        )
    );
    let bad = match_pocketflows_triggers(json("[]"), json("{}")).expect_err("throws");
    assert_eq!(field(&bad, "code"), JsValue::from("invalid_argument"));
    assert_eq!(
        field(&bad, "message"),
        JsValue::from("event: missing field `event`")
    );
    let bad = match_pocketflows_triggers(json(r#"{"a": 1}"#), json(r#"{"event":"x"}"#))
        .expect_err("throws");
    assert_eq!(
        field(&bad, "message"),
        JsValue::from("triggers: invalid type: map, expected a sequence")
    );
    let bad = match_pocketflows_triggers(json("[]"), json(r#"{"event":"x","customer_id":25}"#))
        .expect_err("throws");
    assert_eq!(
        field(&bad, "message"),
        JsValue::from("event: invalid type: integer `25`, expected a string")
    );
}

/// Numbers are read and printed through JavaScript's `Number` and `String`
/// in wasm (src/json/float.rs); the results are Rust's and cel-go's.
#[wasm_bindgen_test]
fn doubles_read_and_print_as_natively() {
    for expression in [
        "0.1 + 0.2 == 0.30000000000000004",
        "1e23 == 100000000000000000000000.0",
        "2.2250738585072011e-308 > 0.0",
        "double('-inf') < 0.0 && double('NaN') != double('NaN') && double('+1e300') > 1e299",
        "double('123456789012345678901234567890e-10') == 12345678901234567890.123456789",
        "double('9007199254740993') == 9007199254740992.0",
        "double('.5') == 0.5 && double('-1.') == -1.0 && double('1E-3') == 0.001",
        "string(0.1) == '0.1' && string(1.5e-5) == '1.5e-05' && string(1e6) == '1e+06'",
        "string(1e21) == '1e+21' && string(123456.0) == '123456' && string(-0.0) == '-0'",
        "string(5e-324) == '5e-324' && string(1.7976931348623157e308) == '1.7976931348623157e+308'",
        "string(double('0.000001234')) == '1.234e-06' && string(0.0001234) == '0.0001234'",
    ] {
        let filter = compile_filter(expression.into()).expect(expression);
        assert!(filter.evaluate(json(r#"{"event":{}}"#)), "{expression}");
    }
    let batch = compile_filter("event.amount == 12345678.9 || event.amount == 1e-7".into())
        .expect("compiles");
    let text = r#"[{"event":{"amount":12345678.9}},{"event":{"amount":1e-7}},{"event":{"amount":12345678.8999999999}}]"#;
    let results = batch.evaluate_many(text.into()).expect("evaluates");
    assert_eq!(bools(&results), vec![true, true, true]);
}
