//! Conversion between JS values and JSON data (the crate's own
//! [`crate::json::Value`], and in the full build serde_json's). Incoming
//! values may be anything a caller holds (cycles, functions, BigInt, Map,
//! deep nesting), so they are walked here with a depth bound instead of a
//! recursive serde deserializer that could overflow the stack and kill the
//! module.

use crate::issue::{Issue, Pointer};
use crate::json;
use js_sys::{Array, JsString, Object, Reflect, Uint8Array, WebAssembly};
#[cfg(feature = "validators")]
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// Deepest nesting accepted from JS (also what ends a cyclic object).
pub const MAX_DEPTH: usize = json::MAX_DEPTH;

/// JSON data a JS value can be read into, one constructor per JSON kind.
pub trait FromJs: Sized {
    /// `null` (also what `undefined` and unconvertible values become).
    fn null() -> Self;
    /// A boolean.
    fn boolean(b: bool) -> Self;
    /// A finite number.
    fn number(n: f64) -> Self;
    /// A string.
    fn string(s: String) -> Self;
    /// An array.
    fn array(items: Vec<Self>) -> Self;
    /// An object, its members in `Object.entries` order (unique keys).
    fn object(members: Vec<(String, Self)>) -> Self;
}

impl FromJs for json::Value {
    fn null() -> Self {
        json::Value::Null
    }
    fn boolean(b: bool) -> Self {
        json::Value::Bool(b)
    }
    fn number(n: f64) -> Self {
        json::Value::Number(n)
    }
    fn string(s: String) -> Self {
        json::Value::String(s)
    }
    fn array(items: Vec<Self>) -> Self {
        json::Value::Array(items)
    }
    fn object(members: Vec<(String, Self)>) -> Self {
        json::Value::Object(json::Map::from_pairs(members))
    }
}

#[cfg(any(feature = "zendesk", feature = "clients"))]
impl FromJs for serde_json::Value {
    fn null() -> Self {
        serde_json::Value::Null
    }
    fn boolean(b: bool) -> Self {
        serde_json::Value::Bool(b)
    }
    fn number(n: f64) -> Self {
        match serde_json::Number::from_f64(n) {
            Some(num) => serde_json::Value::Number(integral(n).unwrap_or(num)),
            None => serde_json::Value::Null,
        }
    }
    fn string(s: String) -> Self {
        serde_json::Value::String(s)
    }
    fn array(items: Vec<Self>) -> Self {
        serde_json::Value::Array(items)
    }
    fn object(members: Vec<(String, Self)>) -> Self {
        // Inserted one by one: collecting into the map (a BTreeMap) would
        // sort the members first, with a stable sort of its own in the wasm.
        let mut map = serde_json::Map::new();
        for (key, value) in members {
            map.insert(key, value);
        }
        serde_json::Value::Object(map)
    }
}

/// Converts a JS value into JSON data. `undefined` object members are
/// skipped, as `JSON.stringify` does. On failure returns every place that is
/// not JSON data.
pub fn js_to_json<V: FromJs>(value: &JsValue) -> Result<V, Vec<Issue>> {
    convert(value, false)
}

/// [`js_to_json`], where `infinity` says whether infinite numbers are data
/// (as `JSON.parse` gives numbers beyond `f64`'s range) or not JSON.
fn convert<V: FromJs>(value: &JsValue, infinity: bool) -> Result<V, Vec<Issue>> {
    let mut problems = Vec::new();
    let json = walk(value, &Pointer::root(), 0, infinity, &mut problems);
    if problems.is_empty() {
        Ok(json)
    } else {
        Err(problems)
    }
}

fn problem<V: FromJs>(problems: &mut Vec<Issue>, path: &Pointer, code: &str, message: String) -> V {
    // Bounded so a huge hostile object cannot make the report itself huge.
    if problems.len() < 100 {
        problems.push(Issue {
            path: path.as_str().to_owned(),
            code: code.to_owned(),
            message,
        });
    }
    V::null()
}

fn walk<V: FromJs>(
    value: &JsValue,
    path: &Pointer,
    depth: usize,
    infinity: bool,
    problems: &mut Vec<Issue>,
) -> V {
    if value.is_null() || value.is_undefined() {
        return V::null();
    }
    if let Some(b) = value.as_bool() {
        return V::boolean(b);
    }
    if let Some(n) = value.as_f64() {
        if n.is_finite() || (infinity && !n.is_nan()) {
            return V::number(n);
        }
        return problem(
            problems,
            path,
            "not_json",
            format!("{} is not a finite number", non_finite_name(n)),
        );
    }
    if let Some(s) = value.as_string() {
        return V::string(s);
    }
    if value.is_function() || value.is_symbol() || value.is_bigint() {
        let kind = value.js_typeof().as_string().unwrap_or_default();
        return problem(
            problems,
            path,
            "not_json",
            format!("a {kind} is not JSON data"),
        );
    }
    if depth >= MAX_DEPTH {
        return problem(
            problems,
            path,
            "too_deep",
            format!("nested deeper than {MAX_DEPTH} levels (or cyclic)"),
        );
    }
    if Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        let items = array
            .iter()
            .enumerate()
            .map(|(i, item)| walk(&item, &path.index(i), depth + 1, infinity, problems))
            .collect();
        return V::array(items);
    }
    if !value.is_object() {
        return problem(problems, path, "not_json", "not JSON data".to_owned());
    }
    if !is_plain_object(value) {
        return problem(
            problems,
            path,
            "not_json",
            format!("a {} is not JSON data", constructor_name(value)),
        );
    }
    let object: &Object = value.unchecked_ref();
    let mut members = Vec::new();
    for entry in Object::entries(object).iter() {
        let pair: Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let item = pair.get(1);
        if item.is_undefined() {
            continue;
        }
        let converted = walk(&item, &path.key(&key), depth + 1, infinity, problems);
        members.push((key, converted));
    }
    V::object(members)
}

/// Parses JSON text with the JS engine's `JSON.parse`, then reads the result
/// with the same depth bound as [`json::parse`], whose results it matches
/// (lone surrogates become U+FFFD, a repeated key keeps its first place and
/// last value). The livechat-only build reads text this way (see
/// `crate::livechat::parse_json`), leaving the crate's parser out of it.
/// `Err` is the engine's `SyntaxError` message or the nesting error.
pub fn parse_json_text(text: &str) -> Result<json::Value, String> {
    let value = js_sys::JSON::parse(text).map_err(|e| {
        Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "JSON.parse failed".to_owned())
    })?;
    convert(&value, true).map_err(|problems| {
        problems
            .into_iter()
            .next()
            .map(|p| p.message)
            .unwrap_or_default()
    })
}

/// JSON text of `value` as the JS engine's `JSON.stringify` writes it,
/// which is the text of [`json::to_string`] as long as no object key is an
/// array index (JS objects list those first) or `__proto__` (which sets the
/// prototype of the object built for it); the livechat-only build writes its
/// fixed-key data this way (see `crate::livechat::write_json`), leaving the
/// crate's writer out of it.
pub fn write_json_text(value: &json::Value) -> String {
    js_sys::JSON::stringify(&json_to_js(value))
        .map(String::from)
        .unwrap_or_default()
}

/// How Rust's `Display` writes a non-finite `f64`, without linking the float
/// printer of `core::fmt` for it.
fn non_finite_name(n: f64) -> &'static str {
    if n.is_nan() {
        "NaN"
    } else if n > 0.0 {
        "inf"
    } else {
        "-inf"
    }
}

/// Whole numbers become serde_json integers so ids stay `25`, not `25.0`.
#[cfg(any(feature = "zendesk", feature = "clients"))]
fn integral(n: f64) -> Option<serde_json::Number> {
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        if n >= 0.0 {
            return Some(serde_json::Number::from(n as u64));
        }
        return Some(serde_json::Number::from(n as i64));
    }
    None
}

/// Plain objects are those whose prototype is `Object.prototype` or null;
/// Map, Set, Date, class instances and the like are refused.
fn is_plain_object(value: &JsValue) -> bool {
    let object: &Object = value.unchecked_ref();
    let proto = Object::get_prototype_of(object);
    if proto.is_null() {
        return true;
    }
    let object_proto = Object::get_prototype_of(&Object::new());
    JsValue::from(proto) == JsValue::from(object_proto)
}

fn constructor_name(value: &JsValue) -> String {
    Reflect::get(value, &"constructor".into())
        .ok()
        .and_then(|c| Reflect::get(&c, &"name".into()).ok())
        .and_then(|n| n.as_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "non-plain object".to_owned())
}

/// Converts a Rust value into a plain JS value through its hand-built JSON
/// form ([`json::ToJson`]: structs as objects, `None` as `null` where the
/// member is kept, numbers as they are, `Infinity` included). The livechat
/// bindings use it, so the livechat-only build needs no serializer.
pub fn to_js_json<T: json::ToJson + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    Ok(json_to_js(&value.to_json()))
}

/// Converts a Rust value into a plain JS value through the crate's JSON
/// data (structs and maps as objects, `None` as `null`, numbers as they
/// are, `Infinity` included).
#[cfg(feature = "validators")]
pub fn to_js_data<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    data_to_js(json::to_value(value))
}

/// The non-generic rest of [`to_js_data`], kept out of its many copies.
#[cfg(feature = "validators")]
fn data_to_js(data: Result<json::Value, json::SerializeError>) -> Result<JsValue, JsValue> {
    data.map(|v| json_to_js(&v)).map_err(|e| {
        super::errors::js_error("TriggerkitError", "serialize_failed", &e.to_string(), &[])
    })
}

/// Builds the plain JS value of JSON data.
pub fn json_to_js(value: &json::Value) -> JsValue {
    match value {
        json::Value::Null => JsValue::NULL,
        json::Value::Bool(b) => JsValue::from_bool(*b),
        json::Value::Number(n) => JsValue::from_f64(*n),
        json::Value::String(s) => JsValue::from_str(s),
        json::Value::Array(items) => items.iter().map(json_to_js).collect::<Array>().into(),
        json::Value::Object(map) => {
            let object = Object::new();
            for (key, item) in map.iter() {
                // Reflect::set on a fresh plain object cannot fail.
                let _ = Reflect::set(&object, &JsValue::from_str(key), &json_to_js(item));
            }
            object.into()
        }
    }
}

/// Converts a Rust value into a plain JS value (maps as objects, and JSON
/// `null` and `None` as `null`, as `JSON.parse` would give them), through
/// the crate's JSON data like [`to_js_data`]: the serializer into
/// [`json::Value`] is in the module anyway, and a second, JS-building
/// serializer (serde-wasm-bindgen) cost about 2.5 KB gzip more. Integers
/// beyond 2^53 become the nearest `f64`, as `JSON.parse` reads them.
#[cfg(feature = "validators")]
pub use self::to_js_data as to_js;

#[wasm_bindgen]
extern "C" {
    /// The global `TextEncoder` (browsers, Node.js >= 11).
    type TextEncoder;

    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;

    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, input: &JsString, dest: &Uint8Array) -> EncodeIntoResult;

    /// What `encodeInto` returns: UTF-16 units read, bytes written.
    type EncodeIntoResult;

    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodeIntoResult) -> u32;

    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeIntoResult) -> u32;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// A JS view of `bytes` in the module's memory, for `encodeInto` to fill.
fn wasm_view(bytes: &mut [u8]) -> Uint8Array {
    let memory: WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    Uint8Array::new_with_byte_offset_and_length(
        &memory.buffer(),
        bytes.as_mut_ptr() as u32,
        bytes.len() as u32,
    )
}

/// Strings up to this many UTF-16 units are copied by wasm-bindgen, whose
/// per-character copy costs less than the encoder's calls at this size.
const SHORT_STRING: u32 = 256;

/// Copies a JS string into Rust. wasm-bindgen's own string conversion
/// copies ASCII one character at a time in JS, which dominated batch calls
/// of big JSON texts; the native encoder writing straight into the Rust
/// buffer is many times faster. The buffer starts at one byte per UTF-16
/// unit (exact for ASCII) and grows only if the text has other characters.
/// Lone surrogates become U+FFFD, as in wasm-bindgen's conversion.
pub fn js_string_to_rust(text: &JsString) -> String {
    let units = text.length();
    if units <= SHORT_STRING {
        // One call instead of the five the encoder path makes.
        return String::from(text);
    }
    let mut bytes = vec![0u8; units as usize];
    let (mut read, mut written) = (0u32, 0usize);
    ENCODER.with(|encoder| {
        while read < units {
            let rest = if read == 0 {
                text.clone()
            } else {
                text.slice(read, units)
            };
            let view = wasm_view(bytes.get_mut(written..).unwrap_or_default());
            let done = encoder.encode_into(&rest, &view);
            if done.read() == 0 && bytes.len() - written >= (units - read) as usize * 3 {
                break; // no progress with room for anything: never loop
            }
            read += done.read();
            written += done.written() as usize;
            if read < units {
                // Each UTF-16 unit left takes at most three bytes.
                bytes.resize(written + (units - read) as usize * 3, 0);
            }
        }
    });
    bytes.truncate(written);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Copies the bytes of a `Uint8Array` that should be UTF-8 text into a
/// Rust string; `Err` gives the offset of the first byte that is not UTF-8.
pub fn utf8_bytes_to_string(bytes: &Uint8Array) -> Result<String, usize> {
    String::from_utf8(bytes.to_vec()).map_err(|e| e.utf8_error().valid_up_to())
}
