//! JS error objects: every error thrown across the boundary is an `Error`
//! whose `name` names the area and whose `code` is stable.

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

/// Builds a JS `Error` with `name`, `code` and `message`, plus any extra
/// `(key, value)` properties (positions, HTTP status, ...).
pub fn js_error(name: &str, code: &str, message: &str, extra: &[(&str, JsValue)]) -> JsValue {
    let error = Error::new(message);
    error.set_name(name);
    let object: &JsValue = error.as_ref();
    // Reflect::set on a fresh Error object cannot fail (it is extensible).
    let _ = Reflect::set(object, &"code".into(), &code.into());
    for (key, value) in extra {
        let _ = Reflect::set(object, &(*key).into(), value);
    }
    error.into()
}
