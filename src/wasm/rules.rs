//! JS exports of the Zendesk rule engine (`compileZendeskTriggers`, `ZendeskRuleSet`).
//!
//! Updates cross the boundary as JSON text, once per call: a string is used
//! as is, anything else goes through `JSON.stringify` (one native call,
//! which also refuses cycles and BigInt); results come back through one
//! `JSON.parse`, or as a flat `Float64Array` for `matchMany`. Building JS
//! objects field by field across the boundary would cost more than the
//! evaluation itself.

use super::convert::{js_string_to_rust, js_to_json, to_js};
use super::errors::js_error;
use crate::rules::{RuleSet, RulesError};
use js_sys::{Array, Float64Array, JsString, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Zendesk ticket JSON: the fields the rule engine reads (others are kept as given). */
export interface ZendeskTicket {
  id?: number;
  status?: "new" | "open" | "pending" | "hold" | "solved" | "closed" | null;
  priority?: "low" | "normal" | "high" | "urgent" | null;
  type?: "question" | "incident" | "problem" | "task" | null;
  group_id?: number | string | null;
  assignee_id?: number | string | null;
  requester_id?: number | string | null;
  organization_id?: number | string | null;
  brand_id?: number | string | null;
  ticket_form_id?: number | string | null;
  tags?: string[];
  custom_fields?: { id: number | string; value: unknown }[];
  fields?: { id: number | string; value: unknown }[];
  subject?: string | null;
  via?: { channel?: string | number; [key: string]: unknown };
  via_id?: number;
  satisfaction_rating?: { score?: string; comment?: string | null; [key: string]: unknown } | null;
  is_public?: boolean;
  recipient?: string | null;
  [key: string]: unknown;
}

/** Zendesk user JSON: the requester's custom fields and locale. */
export interface ZendeskUser {
  locale_id?: number;
  user_fields?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Zendesk organization JSON: its custom fields. */
export interface ZendeskOrganization {
  organization_fields?: Record<string, unknown>;
  [key: string]: unknown;
}
"#;

/// Throws a `RulesError` with the error's code (plus `line`/`column` for
/// JSON syntax errors and `index` for a bad update in a batch).
fn throw(e: &RulesError) -> JsValue {
    let mut extra = Vec::new();
    match e {
        RulesError::InvalidJson { line, column, .. } => {
            extra.push(("line", JsValue::from(*line as f64)));
            extra.push(("column", JsValue::from(*column as f64)));
        }
        RulesError::InvalidUpdate { index: Some(i), .. } => {
            extra.push(("index", JsValue::from(*i as f64)));
        }
        _ => {}
    }
    js_error("RulesError", e.code(), &e.to_string(), &extra)
}

/// The JSON text of an update or a batch: strings as they are, other
/// values through `JSON.stringify`.
fn json_text(value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.dyn_ref::<JsString>() {
        return Ok(js_string_to_rust(text));
    }
    let not_data = |why: String| {
        js_error(
            "RulesError",
            "invalid_update",
            &format!("updates must be JSON data: {why}"),
            &[],
        )
    };
    let text = JSON::stringify(value).map_err(|e| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_default();
        not_data(why)
    })?;
    // JSON.stringify returns undefined for undefined, functions, symbols.
    match text.dyn_ref::<JsString>() {
        Some(text) => Ok(js_string_to_rust(text)),
        None => Err(not_data("got a value JSON cannot represent".to_owned())),
    }
}

/// Parses JSON text made by the engine into JS values (native `JSON.parse`).
fn parse(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text)
}

/// Compiled Zendesk triggers. Free it with `free()` when done.
#[wasm_bindgen]
pub struct ZendeskRuleSet {
    rules: RuleSet,
    ids: Vec<f64>,
}

/// Compiles Zendesk triggers (an array, or a List Triggers response with a
/// `triggers` array). Triggers that do not compile are left out and listed
/// in `problems`; throws a `RulesError` (`invalid_triggers`) only when the
/// argument is not a list of triggers at all.
#[wasm_bindgen(js_name = compileZendeskTriggers)]
pub fn compile_zendesk_triggers(
    #[wasm_bindgen(unchecked_param_type = "ZendeskTrigger[] | { triggers: ZendeskTrigger[] }")]
    triggers: JsValue,
) -> Result<ZendeskRuleSet, JsValue> {
    let json = js_to_json(&triggers).map_err(|problems| {
        let detail = problems
            .first()
            .map(|p| format!("{} at {}", p.message, p.path))
            .unwrap_or_default();
        throw(&RulesError::InvalidTriggers(detail))
    })?;
    let rules = RuleSet::compile_json(&json).map_err(|e| throw(&e))?;
    let ids = rules
        .trigger_ids()
        .into_iter()
        .map(|id| id as f64)
        .collect();
    Ok(ZendeskRuleSet { rules, ids })
}

#[wasm_bindgen]
impl ZendeskRuleSet {
    /// The triggers that did not compile (located, with a stable code).
    #[wasm_bindgen(getter, unchecked_return_type = "Issue[]")]
    pub fn problems(&self) -> Result<JsValue, JsValue> {
        to_js(self.rules.problems())
    }

    /// Ids of the active compiled triggers in firing order (a trigger
    /// without an id is named by its index in the input).
    #[wasm_bindgen(getter, js_name = triggerIds, unchecked_return_type = "number[]")]
    pub fn trigger_ids(&self) -> JsValue {
        self.ids
            .iter()
            .map(|&id| JsValue::from(id))
            .collect::<Array>()
            .into()
    }

    /// Runs the firing cycle for one update.
    #[wasm_bindgen(unchecked_return_type = "EvaluationResult")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketUpdate | string")] update: JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = self
            .rules
            .evaluate_json(&json_text(&update)?)
            .map_err(|e| throw(&e))?;
        parse(&text)
    }

    /// Runs the firing cycle for each update of a batch (an array, or its
    /// JSON text), crossing the JS/wasm boundary once.
    #[wasm_bindgen(js_name = evaluateMany, unchecked_return_type = "EvaluationResult[]")]
    pub fn evaluate_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketUpdate[] | string")] updates: JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = self
            .rules
            .evaluate_many_json(&json_text(&updates)?)
            .map_err(|e| throw(&e))?;
        parse(&text)
    }

    /// Ids of the triggers whose conditions hold for the update as given
    /// (no actions, no firing cycle), in firing order.
    #[wasm_bindgen(js_name = "match", unchecked_return_type = "number[]")]
    pub fn match_one(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketUpdate | string")] update: JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = json_text(&update)?;
        let update: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| throw(&RulesError::from_json(&e, None)))?;
        let ids = self.rules.matching(&update).map_err(|e| throw(&e))?;
        Ok(ids
            .into_iter()
            .map(|id| JsValue::from(id as f64))
            .collect::<Array>()
            .into())
    }

    /// Match-only over a batch, in one pass: a flat `Float64Array` holding,
    /// for each update in order, the number of matching triggers followed
    /// by their ids (in firing order).
    #[wasm_bindgen(js_name = matchMany)]
    pub fn match_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketUpdate[] | string")] updates: JsValue,
    ) -> Result<Float64Array, JsValue> {
        let text = json_text(&updates)?;
        let mut flat = Vec::with_capacity(text.len() / 64);
        self.rules
            .match_many_json(&text, |hits| {
                flat.push(hits.len() as f64);
                flat.extend(hits.iter().map(|&k| self.id(k)));
            })
            .map_err(|e| throw(&e))?;
        Ok(Float64Array::from(flat.as_slice()))
    }
}

impl ZendeskRuleSet {
    fn id(&self, position: u32) -> f64 {
        self.ids.get(position as usize).copied().unwrap_or(f64::NAN)
    }
}
