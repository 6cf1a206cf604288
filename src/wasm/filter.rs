//! JS exports of the filter language and Pocketflows matching:
//! `compileFilter` (a `Filter` with `evaluate`, `explain`, `evaluateMany`)
//! and `matchPocketflowsTriggers`.

use super::convert::{js_to_json, to_js};
use super::errors::js_error;
use crate::filter::{EvalError, EvalErrorCode, Filter as CoreFilter, FilterResult};
use crate::issue::Issue;
use crate::pocketflows_match::{match_triggers, PocketflowsEvent, PocketflowsTrigger};
use js_sys::{Array, JsString};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(inline_js = "export function toBooleans(bytes) {
  const out = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] === 1;
  return out;
}")]
extern "C" {
    /// Turns a byte per verdict into a JS boolean array in one call.
    #[wasm_bindgen(js_name = toBooleans)]
    fn to_booleans(bytes: &[u8]) -> Array;
}

/// A compiled filter expression (CEL subset). Compile once with
/// `compileFilter`, evaluate many times.
#[wasm_bindgen(js_name = Filter)]
pub struct JsFilter {
    inner: CoreFilter,
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
        .map(|inner| JsFilter { inner })
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
        self.outcome(&data).unwrap_or(false)
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
    /// array (parsed inside wasm, the fastest path). One verdict per item,
    /// as `evaluate` gives. Throws a `FilterDataError` when the argument is
    /// neither an array nor the text of a JSON array.
    #[wasm_bindgen(js_name = evaluateMany, unchecked_return_type = "boolean[]")]
    pub fn evaluate_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown[] | string")] items: JsValue,
    ) -> Result<Array, JsValue> {
        let verdicts: Vec<u8> = if let Some(text) = items.dyn_ref::<JsString>() {
            let text = String::from(text);
            let values: Vec<Value> = serde_json::from_str(&text).map_err(|e| {
                js_error(
                    "FilterDataError",
                    "invalid_json",
                    &format!("evaluateMany: not the text of a JSON array: {e}"),
                    &[],
                )
            })?;
            values
                .iter()
                .map(|v| u8::from(self.inner.matches(v)))
                .collect()
        } else if Array::is_array(&items) {
            let array: &Array = items.unchecked_ref();
            array
                .iter()
                .map(|item| u8::from(self.outcome(&item).unwrap_or(false)))
                .collect()
        } else {
            return Err(js_error(
                "FilterDataError",
                "invalid_argument",
                "evaluateMany expects an array or the text of a JSON array",
                &[],
            ));
        };
        Ok(to_booleans(&verdicts))
    }
}

impl JsFilter {
    fn outcome(&self, data: &JsValue) -> Result<bool, EvalError> {
        let json = js_to_json(data).map_err(|problems| not_json(&problems))?;
        self.inner.evaluate(&json)
    }
}

fn not_json(problems: &[Issue]) -> EvalError {
    let detail = problems
        .first()
        .map(|p| format!(" at '{}': {}", p.path, p.message))
        .unwrap_or_default();
    EvalError::new(
        EvalErrorCode::InvalidData,
        format!("the data is not JSON{detail}"),
    )
}

/// Which Pocketflows triggers an event fires, with the reason for every
/// trigger that does not. Throws a `PocketflowsMatchError` (code
/// `invalid_argument`) when the arguments do not have the documented shape.
#[wasm_bindgen(js_name = matchPocketflowsTriggers, unchecked_return_type = "PocketflowsMatch[]")]
pub fn match_pocketflows_triggers(
    #[wasm_bindgen(unchecked_param_type = "PocketflowsTrigger[]")] triggers: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PocketflowsEvent")] event: JsValue,
) -> Result<JsValue, JsValue> {
    let triggers: Vec<PocketflowsTrigger> = decode(&triggers, "triggers")?;
    let event: PocketflowsEvent = decode(&event, "event")?;
    to_js(&match_triggers(&triggers, &event))
}

fn decode<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    let bad = |detail: String| {
        js_error(
            "PocketflowsMatchError",
            "invalid_argument",
            &format!("{what}: {detail}"),
            &[],
        )
    };
    let json = js_to_json(value).map_err(|problems| bad(not_json(&problems).message))?;
    serde_json::from_value(json).map_err(|e| bad(e.to_string()))
}
