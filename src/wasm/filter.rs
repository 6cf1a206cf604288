//! JS exports of the filter language and Pocketflows matching:
//! `compileFilter` (a `Filter` with `evaluate`, `explain`, `evaluateMany`)
//! and `matchPocketflowsTriggers`.
//!
//! Data from JS goes through one path for all three methods: `filter.js`
//! copies the parts of each item the filter can read (its projection) with
//! the rules of `convert.rs` (plain objects, arrays, finite numbers,
//! strings, booleans, null; 128 levels at most), serializes the batch once,
//! and wasm parses and evaluates it. An item that is not JSON data where the
//! filter reads it evaluates to false with an `invalid_data` error; parts
//! the filter never reads are not looked at. `evaluateMany` also takes the
//! JSON text itself, as a string or as UTF-8 bytes, which wasm reads with
//! the filter's batch scanner (`crate::filter`'s `evaluate_json_array`).

use super::convert::{js_string_to_rust, js_to_json, to_js, utf8_bytes_to_string};
use super::errors::js_error;
use crate::filter::{EvalError, EvalErrorCode, Filter as CoreFilter, FilterResult, Projection};
use crate::issue::Issue;
use crate::json;
use crate::pocketflows_match::{match_triggers, PocketflowsEvent, PocketflowsMatchTrigger};
use js_sys::{Array, JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// The JS half of the batch boundary (see filter.js): items are projected
// onto what the filter reads and handed over as one JSON text.
#[wasm_bindgen(module = "/src/wasm/filter.js")]
extern "C" {
    /// Returns the JSON text of the projected items, or `[json, errors]`
    /// where `errors` lists `index, path, message` for every item that is
    /// not JSON data where it is read.
    #[wasm_bindgen(js_name = projectItems, catch)]
    fn project_items(items: &JsValue, spec: &JsValue) -> Result<JsValue, JsValue>;

    /// `projectItems` of a batch of one item.
    #[wasm_bindgen(js_name = projectOne, catch)]
    fn project_one(item: &JsValue, spec: &JsValue) -> Result<JsValue, JsValue>;

    /// Turns a byte per verdict into a JS boolean array in one call.
    #[wasm_bindgen(js_name = toBooleans)]
    fn to_booleans(bytes: &[u8]) -> Array;
}

/// A compiled filter expression (CEL subset). Compile once with
/// `compileFilter`, evaluate many times.
#[wasm_bindgen(js_name = Filter)]
pub struct JsFilter {
    inner: CoreFilter,
    spec: JsValue,
}

/// A projection as `filter.js` reads it: `true` for a whole value, else
/// an array of `[key, projection]` pairs.
fn js_spec(projection: &Projection) -> JsValue {
    match projection.fields() {
        None => JsValue::TRUE,
        Some(fields) => fields
            .iter()
            .map(|(key, p)| Array::of2(&JsValue::from_str(key), &js_spec(p)))
            .collect::<Array>()
            .into(),
    }
}

/// Compiles a filter expression. Throws a `FilterSyntaxError` (with
/// `code`, `line`, `column`, `offset` and `snippet`) when it does not parse.
#[wasm_bindgen(js_name = compileFilter)]
pub fn compile_filter(
    #[wasm_bindgen(unchecked_param_type = "string")] expression: JsValue,
) -> Result<JsFilter, JsValue> {
    let Some(source) = expression.as_string() else {
        return Err(js_error(
            "FilterSyntaxError",
            "invalid_argument",
            "compileFilter expects the expression as a string",
            &[],
        ));
    };
    CoreFilter::compile(&source)
        .map(|inner| JsFilter {
            spec: js_spec(inner.projection()),
            inner,
        })
        .map_err(|e| {
            js_error(
                "FilterSyntaxError",
                e.code(),
                &e.to_string(),
                &[
                    ("line", JsValue::from(e.line as f64)),
                    ("column", JsValue::from(e.column as f64)),
                    ("offset", JsValue::from(e.offset as f64)),
                    ("snippet", JsValue::from(e.snippet.as_str())),
                ],
            )
        })
}

#[wasm_bindgen(js_class = Filter)]
impl JsFilter {
    /// The expression text.
    #[wasm_bindgen(getter)]
    pub fn expression(&self) -> String {
        self.inner.source().to_owned()
    }

    /// True when the filter evaluates to `true` for `data` (an object whose
    /// keys are the variables). Evaluation errors, and data that is not
    /// JSON, give `false`; `explain` says why.
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] data: JsValue,
    ) -> bool {
        matches!(self.outcome(&data), Ok(true))
    }

    /// Evaluates and reports the error, if any, as data (never throws for data).
    #[wasm_bindgen(unchecked_return_type = "FilterResult")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] data: JsValue,
    ) -> Result<JsValue, JsValue> {
        to_js(&FilterResult::from(self.outcome(&data)))
    }

    /// Evaluates every item of a batch: a JS array, or the text of a JSON
    /// array as a string or as UTF-8 bytes (a `Uint8Array` such as a Node
    /// `Buffer` read from a file or a fetch body's bytes), parsed inside
    /// wasm: the fastest paths. One verdict per item, as `evaluate` gives.
    /// Throws a `FilterDataError` when the argument is none of these
    /// (`invalid_argument`) or the text is not a JSON array (`invalid_json`).
    #[wasm_bindgen(js_name = evaluateMany, unchecked_return_type = "boolean[]")]
    pub fn evaluate_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown[] | string | Uint8Array")] items: JsValue,
    ) -> Result<Array, JsValue> {
        let outcomes = if let Some(text) = items.dyn_ref::<JsString>() {
            self.outcomes_of_text(&js_string_to_rust(text))?
        } else if let Some(bytes) = items.dyn_ref::<Uint8Array>() {
            let text = utf8_bytes_to_string(bytes).map_err(|offset| {
                data_error(
                    "invalid_json",
                    format!("evaluateMany: the bytes are not UTF-8 text (at byte {offset})"),
                )
            })?;
            self.outcomes_of_text(&text)?
        } else if Array::is_array(&items) {
            self.outcomes_of_array(&items)?
        } else {
            return Err(data_error(
                "invalid_argument",
                "evaluateMany expects an array or the text of a JSON array".to_owned(),
            ));
        };
        let verdicts: Vec<u8> = outcomes
            .iter()
            .map(|r| u8::from(matches!(r, Ok(true))))
            .collect();
        Ok(to_booleans(&verdicts))
    }
}

type Outcome = Result<bool, EvalError>;

impl JsFilter {
    /// One item through the batch path, so `evaluate`, `explain` and
    /// `evaluateMany` agree; a failure of the JS side is an
    /// `invalid_data` outcome, never a throw.
    fn outcome(&self, data: &JsValue) -> Outcome {
        match self.outcomes_of_projected(project_one(data, &self.spec)) {
            Ok(mut outcomes) => outcomes.pop().unwrap_or(Ok(false)),
            Err(e) => Err(EvalError::new(
                EvalErrorCode::InvalidData,
                format!("cannot read the data: {e:?}"),
            )),
        }
    }

    fn outcomes_of_text(&self, text: &str) -> Result<Vec<Outcome>, JsValue> {
        self.inner.evaluate_json_array(text).map_err(|e| {
            data_error(
                "invalid_json",
                format!("evaluateMany: not the text of a JSON array: {e}"),
            )
        })
    }

    /// Projects a JS array in JS (one call), evaluates the resulting JSON
    /// text, and marks the items that are not JSON data where read.
    fn outcomes_of_array(&self, items: &JsValue) -> Result<Vec<Outcome>, JsValue> {
        self.outcomes_of_projected(project_items(items, &self.spec))
    }

    /// Evaluates what `projectItems` returned.
    fn outcomes_of_projected(
        &self,
        projected: Result<JsValue, JsValue>,
    ) -> Result<Vec<Outcome>, JsValue> {
        let projected = projected
            .map_err(|e| data_error("invalid_data", format!("cannot read the items: {e:?}")))?;
        let Some(text) = projected.dyn_ref::<JsString>() else {
            let pair: &Array = projected.unchecked_ref();
            let text: JsString = pair.get(0).unchecked_into();
            let mut outcomes = self.outcomes_of_text(&js_string_to_rust(&text))?;
            mark_invalid(&mut outcomes, &pair.get(1).unchecked_into());
            return Ok(outcomes);
        };
        self.outcomes_of_text(&js_string_to_rust(text))
    }
}

/// Marks the items the JS side found not to be JSON data where read.
fn mark_invalid(outcomes: &mut [Outcome], errors: &Array) {
    let mut i = 0;
    while i + 2 < errors.length() {
        let index = errors.get(i).as_f64().unwrap_or(-1.0);
        let path = errors.get(i + 1).as_string().unwrap_or_default();
        let message = errors.get(i + 2).as_string().unwrap_or_default();
        if let Some(slot) = outcomes.get_mut(index as usize) {
            *slot = Err(EvalError::new(
                EvalErrorCode::InvalidData,
                format!("the data is not JSON at '{path}': {message}"),
            ));
        }
        i += 3;
    }
}

fn data_error(code: &str, message: String) -> JsValue {
    js_error("FilterDataError", code, &message, &[])
}

fn not_json(problems: &[Issue]) -> String {
    problems
        .first()
        .map(|p| format!("not JSON data at '{}': {}", p.path, p.message))
        .unwrap_or_default()
}

/// Which Pocketflows triggers an event fires, with the reason for every
/// trigger that does not. Throws a `PocketflowsMatchError` (code
/// `invalid_argument`) when the arguments do not have the documented shape.
#[wasm_bindgen(js_name = matchPocketflowsTriggers, unchecked_return_type = "PocketflowsMatch[]")]
pub fn match_pocketflows_triggers(
    #[wasm_bindgen(unchecked_param_type = "PocketflowsMatchTrigger[]")] triggers: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PocketflowsEvent")] event: JsValue,
) -> Result<JsValue, JsValue> {
    let triggers = decode(
        &triggers,
        "triggers",
        PocketflowsMatchTrigger::list_from_json,
    )?;
    let event = decode(&event, "event", PocketflowsEvent::from_json)?;
    to_js(&match_triggers(&triggers, &event))
}

fn decode<T>(
    value: &JsValue,
    what: &str,
    read: fn(&json::Value) -> Result<T, String>,
) -> Result<T, JsValue> {
    let bad = |detail: String| {
        js_error(
            "PocketflowsMatchError",
            "invalid_argument",
            &format!("{what}: {detail}"),
            &[],
        )
    };
    let json = js_to_json::<json::Value>(value).map_err(|problems| bad(not_json(&problems)))?;
    read(&json).map_err(bad)
}
