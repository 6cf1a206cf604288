//! JS runtime glue shared by the clients: the global `setTimeout` timers,
//! the monotonic clock, AbortSignal listeners, reading option objects and
//! the one-time console warning. Everything goes through the global scope
//! (`globalThis`), never `window`, so the same code runs in browsers, web
//! workers and Node.js >= 18.
//!
//! Timers and listeners are guards that undo themselves when dropped, so a
//! future that is dropped half-way (a lost race, an abort) leaves no timer
//! or listener behind, and no Rust closure is ever leaked: callbacks are JS
//! functions (a promise's `resolve`, a bound `AbortController.abort`).

use super::http::ClientError;
use crate::wasm::convert::js_to_json;
use crate::wasm::errors::js_error;
use js_sys::{Array, Function, Promise, Reflect};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, AddEventListenerOptions};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = performance, js_name = now)]
    fn performance_now() -> Result<f64, JsValue>;
    #[wasm_bindgen(catch, js_namespace = console, js_name = warn)]
    fn console_warn(message: &str) -> Result<(), JsValue>;
}

/// The longest delay `setTimeout` honours; longer ones fire at once.
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// Milliseconds on the monotonic clock (`performance.now()`), which never
/// jumps with wall-clock changes; falls back to `Date.now()` where missing.
pub fn now_ms() -> f64 {
    performance_now().unwrap_or_else(|_| js_sys::Date::now())
}

/// A pending global timer, cleared when dropped.
pub struct Timer {
    id: Option<JsValue>,
}

impl Timer {
    /// Calls `callback` after `ms` milliseconds (clamped to what timers accept).
    pub fn start(callback: &Function, ms: f64) -> Timer {
        let ms = if ms.is_finite() {
            ms.clamp(0.0, MAX_TIMER_MS)
        } else {
            MAX_TIMER_MS
        };
        Timer {
            id: set_timeout(callback, ms).ok(),
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            let _ = clear_timeout(&id);
        }
    }
}

/// An event listener, removed when dropped.
pub struct Listener {
    target: AbortSignal,
    callback: Function,
}

impl Listener {
    /// Calls `callback` once when `signal` aborts.
    pub fn on_abort(signal: &AbortSignal, callback: &Function) -> Listener {
        let options = AddEventListenerOptions::new();
        options.set_once(true);
        // Adding a listener to a live AbortSignal does not throw.
        let _ = signal.add_event_listener_with_callback_and_add_event_listener_options(
            "abort", callback, &options,
        );
        Listener {
            target: signal.clone(),
            callback: callback.clone(),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback("abort", &self.callback);
    }
}

/// `controller.abort.bind(controller, reason)`: a JS function that aborts
/// `controller` with `reason`, usable as a timer or listener callback.
pub fn bound_abort(
    controller: &AbortController,
    reason: &JsValue,
) -> Result<Function, ClientError> {
    Reflect::get(controller, &"abort".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .map(|abort| abort.bind1(controller, reason).unchecked_into::<Function>())
        .ok_or_else(|| ClientError::Runtime("AbortController.abort is missing".to_owned()))
}

/// A fresh AbortController.
pub fn new_controller() -> Result<AbortController, ClientError> {
    AbortController::new()
        .map_err(|_| ClientError::Runtime("AbortController is not available".to_owned()))
}

/// An `Error` named `AbortError` (what fetch expects as an abort reason).
pub fn abort_error(message: &str) -> JsValue {
    js_error("AbortError", "aborted", message, &[])
}

/// Waits `ms` milliseconds; ends early with the signal's reason if `signal`
/// aborts first.
pub async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), JsValue> {
    if let Some(signal) = signal.filter(|s| s.aborted()) {
        return Err(signal.reason());
    }
    let mut guards: (Option<Timer>, Option<Listener>) = (None, None);
    let promise = Promise::new(&mut |resolve, _reject| {
        guards.0 = Some(Timer::start(&resolve, ms));
        guards.1 = signal.map(|s| Listener::on_abort(s, &resolve));
    });
    let _ = JsFuture::from(promise).await;
    drop(guards);
    match signal.filter(|s| s.aborted()) {
        Some(signal) => Err(signal.reason()),
        None => Ok(()),
    }
}

/// A promise that resolves when `signal` aborts, and the listener keeping it.
pub fn aborted(signal: &AbortSignal) -> (JsFuture, Option<Listener>) {
    let mut listener = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        if signal.aborted() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        } else {
            listener = Some(Listener::on_abort(signal, &resolve));
        }
    });
    (JsFuture::from(promise), listener)
}

/// True when running in a page (a `window` with a `document`), where a
/// server-side credential would be exposed to anyone using the page.
pub fn in_page() -> bool {
    let global = js_sys::global();
    let has = |key: &str| Reflect::has(&global, &key.into()).unwrap_or(false);
    has("window") && has("document")
}

/// Writes `message` with `console.warn` the first time `flag` is seen unset.
pub fn warn_once(flag: &AtomicBool, message: &str) {
    if !flag.swap(true, Ordering::Relaxed) {
        let _ = console_warn(message);
    }
}

/// Reads the members of a JS options object, treating `undefined` and
/// `null` as absent and reporting wrong types as `invalid_argument`.
pub struct Options<'a> {
    object: Option<&'a JsValue>,
    what: &'a str,
}

impl<'a> Options<'a> {
    /// Wraps `value` (absent, or an object) named `what` in error messages.
    pub fn new(value: Option<&'a JsValue>, what: &'a str) -> Result<Options<'a>, ClientError> {
        let object = value.filter(|v| !v.is_undefined() && !v.is_null());
        if let Some(v) = object {
            if !v.is_object() || v.is_function() {
                return Err(ClientError::InvalidArgument(format!(
                    "{what} must be an object"
                )));
            }
        }
        Ok(Options { object, what })
    }

    /// The member `key`, if present.
    pub fn get(&self, key: &str) -> Option<JsValue> {
        let object = self.object?;
        Reflect::get(object, &key.into())
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn wrong(&self, key: &str, expected: &str) -> ClientError {
        ClientError::InvalidArgument(format!("{}.{key} must be {expected}", self.what))
    }

    /// The member `key` read by `read`, which returns `None` for a value
    /// that is not `expected`.
    fn typed<T>(
        &self,
        key: &str,
        expected: &str,
        read: impl FnOnce(JsValue) -> Option<T>,
    ) -> Result<Option<T>, ClientError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => read(v).map(Some).ok_or_else(|| self.wrong(key, expected)),
        }
    }

    /// A number member in `min..=max`.
    pub fn number(&self, key: &str, min: f64, max: f64) -> Result<Option<f64>, ClientError> {
        let expected = format!("a number from {min} to {max}");
        self.typed(key, &expected, |v| {
            v.as_f64().filter(|n| *n >= min && *n <= max)
        })
    }

    /// A whole-number member in `min..=max`.
    pub fn integer(&self, key: &str, min: u32, max: u32) -> Result<Option<u32>, ClientError> {
        let expected = format!("an integer from {min} to {max}");
        let fits = |n: &f64| n.fract() == 0.0 && *n >= f64::from(min) && *n <= f64::from(max);
        self.typed(key, &expected, |v| {
            v.as_f64().filter(fits).map(|n| n as u32)
        })
    }

    /// A string member.
    pub fn string(&self, key: &str) -> Result<Option<String>, ClientError> {
        self.typed(key, "a string", |v| v.as_string())
    }

    /// A string member that must be present.
    pub fn required_string(&self, key: &str) -> Result<String, ClientError> {
        self.string(key)?.ok_or_else(|| self.wrong(key, "a string"))
    }

    /// A boolean member.
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, ClientError> {
        self.typed(key, "a boolean", |v| v.as_bool())
    }

    /// A function member.
    pub fn function(&self, key: &str) -> Result<Option<Function>, ClientError> {
        self.typed(key, "a function", |v| v.dyn_into::<Function>().ok())
    }

    /// An AbortSignal member (`signal`).
    pub fn signal(&self, key: &str) -> Result<Option<AbortSignal>, ClientError> {
        self.typed(key, "an AbortSignal", |v| v.dyn_into::<AbortSignal>().ok())
    }
}

/// A string argument.
pub fn string_arg(value: &JsValue, what: &str) -> Result<String, ClientError> {
    value
        .as_string()
        .ok_or_else(|| ClientError::InvalidArgument(format!("{what} must be a string")))
}

/// The `signal` member of an optional options object.
pub fn signal_of(
    options: &Option<JsValue>,
    what: &str,
) -> Result<Option<AbortSignal>, ClientError> {
    Options::new(options.as_ref(), what)?.signal("signal")
}

/// A JSON-data argument (depth-bounded, cycles refused).
pub fn json_arg(value: &JsValue, what: &str) -> Result<Value, ClientError> {
    js_to_json(value).map_err(|problems| {
        let detail = problems
            .first()
            .map(|p| format!("{} at {}", p.message, p.path))
            .unwrap_or_default();
        ClientError::InvalidArgument(format!("{what}: {detail}"))
    })
}

/// An array of strings.
pub fn string_list(value: &JsValue, what: &str) -> Result<Vec<String>, ClientError> {
    let wrong = || ClientError::InvalidArgument(format!("{what} must be an array of strings"));
    if !Array::is_array(value) {
        return Err(wrong());
    }
    let array: &Array = value.unchecked_ref();
    array
        .iter()
        .map(|v| v.as_string().ok_or_else(wrong))
        .collect()
}
