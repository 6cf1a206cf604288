//! wasm-bindgen tests of the crate's JSON module where it differs from the
//! native build: number text goes through JavaScript's own `String` and
//! `Number`, and JSON data converts to and from JS values. Run in Node and
//! in Chrome.
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use triggerkit::json::{self, js_number_string, js_string_to_number, Value};
use triggerkit::wasm::convert::{js_to_json, json_to_js};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn numbers_print_as_javascript_does() {
    for (n, text) in [
        (0.0, "0"),
        (-0.0, "0"),
        (-5.5, "-5.5"),
        (0.1, "0.1"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "1.5e-7"),
        (5e-324, "5e-324"),
        (f64::INFINITY, "Infinity"),
        (f64::NAN, "NaN"),
    ] {
        assert_eq!(js_number_string(n), text, "{text}");
    }
}

#[wasm_bindgen_test]
fn strings_read_as_javascript_numbers() {
    for (text, n) in [
        (" 12 ", 12.0),
        ("0x1F", 31.0),
        (".5", 0.5),
        ("", 0.0),
        ("-Infinity", f64::NEG_INFINITY),
        ("1e400", f64::INFINITY),
        ("9007199254740993", 9007199254740992.0),
    ] {
        assert_eq!(js_string_to_number(text), n, "{text:?}");
    }
    assert!(js_string_to_number("12px").is_nan());
    assert!(js_string_to_number("-0x10").is_nan());
}

#[wasm_bindgen_test]
fn json_text_round_trips_through_js_values() {
    let text = r#"{"b":[1,-2.5e3,true,null,"é\n😀"],"a":{"x":1e400},"c":0.1}"#;
    let value = json::parse(text).expect("JSON");
    assert_eq!(
        value.get("a").and_then(|a| a.get("x")),
        Some(&Value::Number(f64::INFINITY))
    );
    let js = json_to_js(&value);
    // Infinity survives as a JS number; JSON.stringify writes it as null.
    let x = Reflect::get(&Reflect::get(&js, &"a".into()).expect("a"), &"x".into()).expect("x");
    assert_eq!(x.as_f64(), Some(f64::INFINITY));
    let stringified = JSON::stringify(&js).expect("stringify");
    assert_eq!(
        String::from(stringified),
        r#"{"b":[1,-2500,true,null,"é\n😀"],"a":{"x":null},"c":0.1}"#
    );
    let finite = JSON::parse(r#"{"b":[1,-2500,true,null,"é\n😀"],"c":0.1}"#).expect("JSON");
    let back: Value = js_to_json(&finite).expect("JSON data");
    assert_eq!(
        json::to_string(&back),
        r#"{"b":[1,-2500,true,null,"é\n😀"],"c":0.1}"#
    );
    assert!(js_to_json::<Value>(&JsValue::from_f64(f64::NAN)).is_err());
}

#[wasm_bindgen_test]
fn case_mapping_on_javascript_is_cores() {
    use triggerkit::json::case;
    for text in [
        "ÀÉÎ straße",
        "ΌΣΟΣ ΣΑ. ὈΔΥΣΣΕΎΣ",
        "İstanbul ǅ ﬁ K Å",
        "Ωmega",
        "ab",
    ] {
        assert_eq!(case::to_lowercase(text), text.to_lowercase(), "{text}");
        assert_eq!(case::to_uppercase(text), text.to_uppercase(), "{text}");
    }
    // One character at a time (what the validators' key folding does):
    // every character that core maps, and a sample of the others.
    let mut differ = Vec::new();
    let mapped = |c: char| !c.to_lowercase().eq([c]) || !c.to_uppercase().eq([c]);
    let chars = (0x80..=0x10FFFF).filter_map(char::from_u32);
    for c in chars.filter(|c| mapped(*c) || u32::from(*c) % 251 == 0) {
        let mut lower = Vec::new();
        case::push_char_lowercase(c, &mut lower);
        if lower != c.to_lowercase().collect::<Vec<_>>()
            || case::char_uppercase(c) != c.to_uppercase().to_string()
        {
            differ.push(format!("U+{:04X}", u32::from(c)));
        }
    }
    assert!(differ.is_empty(), "mapped differently: {differ:?}");
}

/// The livechat-only build reads JSON text with `JSON.parse` and writes it
/// with `JSON.stringify` (`parse_json_text`, `write_json_text`) instead of
/// the crate's parser and writer: the results must be the same.
#[wasm_bindgen_test]
fn json_text_through_the_js_engine_reads_and_writes_as_the_crate_does() {
    use triggerkit::wasm::convert::{parse_json_text, write_json_text};
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let texts = [
        r#" {"a": [1, -0, 2.5e-7, 1e21, 1e400, -1e400, true, false, null], "b": {}} "#.to_owned(),
        r#"{"k": 1, "k": 2, "z": {"y": "x", "y": [3]}, "": ""}"#.to_owned(),
        r#""esc \" \\ \/ \b \f \n \r \t \u0001 \u00e9 \ud83d\ude00 é""#.to_owned(),
        r#"["\ud800", "\udc00x", "\ud800\u0041"]"#.to_owned(),
        "123".to_owned(),
        deep(json::MAX_DEPTH),
    ];
    for text in &texts {
        let ours = json::parse(text).expect(text);
        assert_eq!(parse_json_text(text).as_ref(), Ok(&ours), "{text}");
        assert_eq!(write_json_text(&ours), json::to_string(&ours), "{text}");
    }
    // JSON.parse keeps `__proto__` as a member, as the parser does (the
    // writer's JS object would take it as its prototype: never written so).
    let proto = r#"{"__proto__": {"x": 1}, "constructor": 2}"#;
    assert_eq!(parse_json_text(proto), Ok(json::parse(proto).expect(proto)));
    let refused = [
        "",
        " ",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "01",
        "1.",
        "-",
        "+1",
        ".5",
        "1e",
        "NaN",
        "Infinity",
        "'x'",
        "\"\t\"",
        "\"\\x\"",
        "[1] 2",
        "tru",
        "nul",
        "\u{a0}1",
        &deep(json::MAX_DEPTH + 1),
    ];
    for text in refused {
        assert!(json::parse(text).is_err(), "{text}");
        assert!(parse_json_text(text).is_err(), "{text}");
    }
    // Numbers the writer prints as `null`, as JSON.stringify does.
    let odd = Value::Array(vec![
        Value::Number(f64::NAN),
        Value::Number(f64::INFINITY),
        Value::Number(-0.0),
    ]);
    assert_eq!(write_json_text(&odd), json::to_string(&odd));
}
