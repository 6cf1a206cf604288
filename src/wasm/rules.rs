//! JS exports of the Zendesk rule engine (`compileZendeskTriggers`, `ZendeskRuleSet`).
//!
//! Updates cross the boundary as JSON text, once per call: a string is used
//! as is; an array of objects is cut down in JS (`rules.js`) to the parts
//! the compiled rules read, checked to be JSON data there, and serialized
//! once. Results come back in index form (`crate::rules::Indexed`) and
//! `rules.js` builds them as plain objects whose `ticket` and `effects` are
//! parsed on first read; `matchMany` returns a flat `Float64Array`. Building
//! JS objects field by field across the boundary, or parsing every result
//! up front, would cost more than the evaluation itself.

use super::convert::{js_string_to_rust, js_to_json, to_js, utf8_bytes_to_string};
use super::errors::js_error;
use crate::rules::{Indexed, Reads, RuleSet, RulesError, TicketForm};
use js_sys::{Array, Float64Array, JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// The JS half of the batch boundary (see rules.js).
#[wasm_bindgen(module = "/src/wasm/rules.js")]
extern "C" {
    /// Returns `[jsonText, tickets]`, or `[undefined, index, path,
    /// message]` for the first update that is not JSON data where read.
    #[wasm_bindgen(js_name = projectUpdates)]
    fn project_updates(updates: &JsValue, spec: &JsValue, keep_tickets: bool) -> Array;

    /// Builds `EvaluationResult` objects from an index.
    #[wasm_bindgen(js_name = buildResults)]
    fn build_results(
        index: &[u32],
        text: &str,
        source: &JsValue,
        tickets: &JsValue,
        ids: &JsValue,
        effects: &JsValue,
    ) -> Array;
}

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

/** What a trace reports a condition or action read: a ticket value in its JSON form (a name such as `"open"`, an id, a boolean, `null` for no value), or a list (tags present, words found, a tag list). */
export type ZendeskTraceValue = string | number | boolean | null | string[];

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

/// A `Reads` as `rules.js` takes it: `true`, or `[key, spec, ...]`.
fn js_spec(reads: &Reads) -> JsValue {
    match reads {
        Reads::Whole => JsValue::TRUE,
        Reads::Keys(keys) => {
            let spec = Array::new();
            for (key, reads) in keys {
                spec.push(&JsValue::from_str(key));
                spec.push(&js_spec(reads));
            }
            spec.into()
        }
    }
}

/// A single update's error: no batch index.
fn single(e: RulesError) -> RulesError {
    match e {
        RulesError::InvalidUpdate { message, .. } => RulesError::InvalidUpdate {
            index: None,
            message,
        },
        e => e,
    }
}

/// Compiles triggers given from JS; `what` prefixes the error message.
fn compile_js(triggers: &JsValue, what: &str) -> Result<RuleSet, JsValue> {
    let json = js_to_json(triggers).map_err(|problems| {
        let detail = problems
            .first()
            .map(|p| format!("{what}{} at {}", p.message, p.path))
            .unwrap_or_default();
        throw(&RulesError::InvalidTriggers(detail))
    })?;
    RuleSet::compile_json(&json).map_err(|e| match e {
        RulesError::InvalidTriggers(m) => throw(&RulesError::InvalidTriggers(format!("{what}{m}"))),
        e => throw(&e),
    })
}

/// Compiled Zendesk triggers. Free it with `free()` when done.
#[wasm_bindgen]
pub struct ZendeskRuleSet {
    rules: RuleSet,
    ids: Vec<f64>,
    /// `ids` as a `Float64Array`, for `rules.js`.
    js_ids: JsValue,
    /// What `rules.js` sends of an update given as an object.
    spec: JsValue,
    /// Per trigger, the JSON of its effects (`RuleSet::effects_json`).
    effects: JsValue,
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
    let rules = compile_js(&triggers, "")?;
    let ids: Vec<f64> = rules
        .trigger_ids()
        .into_iter()
        .map(|id| id as f64)
        .collect();
    let effects = rules
        .effects_json()
        .iter()
        .map(|e| JsValue::from_str(e))
        .collect::<Array>();
    Ok(ZendeskRuleSet {
        js_ids: Float64Array::from(ids.as_slice()).into(),
        spec: js_spec(&rules.reads()),
        effects: effects.into(),
        rules,
        ids,
    })
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

    /// Runs the firing cycle for one update (an object, or its JSON text);
    /// the result is built as `evaluateMany` builds each of its results.
    #[wasm_bindgen(unchecked_return_type = "EvaluationResult")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketUpdate | string")] update: JsValue,
    ) -> Result<JsValue, JsValue> {
        let results = if let Some(text) = update.dyn_ref::<JsString>() {
            let indexed = self
                .rules
                .evaluate_indexed(&js_string_to_rust(text), TicketForm::Whole)
                .map_err(|e| throw(&e))?;
            self.results(&indexed, &update, &JsValue::UNDEFINED)
        } else {
            let batch = Array::of1(&update);
            let (json, tickets) = self.project(&batch, true, false)?;
            let indexed = self
                .rules
                .evaluate_many_indexed(&json, TicketForm::Patch)
                .map_err(|e| throw(&single(e)))?;
            self.results(&indexed, &JsValue::UNDEFINED, &tickets)
        };
        Ok(results.get(0))
    }

    /// Runs the firing cycle for each update of a batch (an array, or its
    /// JSON text), crossing the JS/wasm boundary once.
    ///
    /// From an array, only the members the compiled triggers read are
    /// looked at, and those must be JSON data (plain objects, arrays, finite
    /// numbers, strings, booleans, null; 128 levels deep at most): otherwise
    /// a `RulesError` with code `invalid_update`, the update's `index` and
    /// the JSON Pointer `path` of the bad value is thrown. Other members
    /// (a `Date`, a function...) are left as they are. See `EvaluationResult`
    /// for which tickets are the input objects themselves.
    #[wasm_bindgen(js_name = evaluateMany, unchecked_return_type = "EvaluationResult[]")]
    pub fn evaluate_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketUpdate[] | string")] updates: JsValue,
    ) -> Result<Array, JsValue> {
        if let Some(text) = updates.dyn_ref::<JsString>() {
            let indexed = self
                .rules
                .evaluate_many_indexed(&js_string_to_rust(text), TicketForm::Whole)
                .map_err(|e| throw(&e))?;
            return Ok(self.results(&indexed, &updates, &JsValue::UNDEFINED));
        }
        let (json, tickets) = self.project(&updates, true, true)?;
        let indexed = self
            .rules
            .evaluate_many_indexed(&json, TicketForm::Patch)
            .map_err(|e| throw(&e))?;
        Ok(self.results(&indexed, &JsValue::UNDEFINED, &tickets))
    }

    /// Ids of the triggers whose conditions hold for the update as given
    /// (no actions, no firing cycle), in firing order. An object is read as
    /// `evaluateMany` reads one.
    #[wasm_bindgen(js_name = "match", unchecked_return_type = "number[]")]
    pub fn match_one(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketUpdate | string")] update: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ids = Array::new();
        if let Some(text) = update.dyn_ref::<JsString>() {
            let update: serde_json::Value = serde_json::from_str(&js_string_to_rust(text))
                .map_err(|e| throw(&RulesError::from_json(&e, None)))?;
            for id in self.rules.matching(&update).map_err(|e| throw(&e))? {
                ids.push(&JsValue::from(id as f64));
            }
        } else {
            let (json, _) = self.project(&Array::of1(&update), false, false)?;
            self.rules
                .match_many_json(&json, |hits| {
                    for &k in hits {
                        ids.push(&JsValue::from(self.id(k)));
                    }
                })
                .map_err(|e| throw(&single(e)))?;
        }
        Ok(ids.into())
    }

    /// Match-only over a batch, in one pass: a flat `Float64Array` holding,
    /// for each update in order, the number of matching triggers followed
    /// by their ids (in firing order). An array is read as `evaluateMany`
    /// reads one.
    #[wasm_bindgen(js_name = matchMany)]
    pub fn match_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketUpdate[] | string")] updates: JsValue,
    ) -> Result<Float64Array, JsValue> {
        let text = match updates.dyn_ref::<JsString>() {
            Some(text) => js_string_to_rust(text),
            None => self.project(&updates, false, true)?.0,
        };
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

/// `ZendeskRuleSet.explain` and `diffZendeskTriggerSets` (see
/// `crate::rules::trace` and `crate::rules::diff`).
#[wasm_bindgen]
impl ZendeskRuleSet {
    /// Runs the firing cycle for one update (an object, or its JSON text)
    /// and traces it: `evaluate`'s `fired`, `ticket` and `effects`, plus
    /// every pass of the cycle (each active trigger in firing order: fired,
    /// skipped because it already fired, or not matched; each condition
    /// with the value read and whether it held; each fired trigger's
    /// actions with the value before and after). The ticket is always a
    /// new object; an update given as an object must be JSON data
    /// throughout (`invalid_update` with `path` otherwise).
    #[wasm_bindgen(unchecked_return_type = "ZendeskExplanation")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketUpdate | string")] update: JsValue,
    ) -> Result<JsValue, JsValue> {
        let explanation = if let Some(text) = update.dyn_ref::<JsString>() {
            self.rules.explain_json(&js_string_to_rust(text))
        } else {
            let value: serde_json::Value = js_to_json(&update).map_err(|problems| {
                let (path, why) = problems
                    .first()
                    .map(|p| (p.path.clone(), p.message.clone()))
                    .unwrap_or_default();
                let message = format!("invalid update: not JSON data at '{path}': {why}");
                js_error(
                    "RulesError",
                    "invalid_update",
                    &message,
                    &[("path", JsValue::from_str(&path))],
                )
            })?;
            self.rules.explain(&value)
        };
        to_js(&explanation.map_err(|e| throw(&single(e)))?)
    }
}

/// Runs two versions of a trigger set (each an array of triggers or a List
/// Triggers response, as `compileZendeskTriggers` takes) on every update of
/// a batch (an array, its JSON text, or that text as UTF-8 bytes, e.g. a
/// Node `Buffer`; from an array only what either set reads or writes is
/// looked at, and that must be JSON data) and reports the updates whose
/// outcome differs: fired triggers before and after, the top-level ticket
/// keys whose final value differs, the effects only one side has; plus
/// counts per trigger. Throws
/// a `RulesError`: `invalid_triggers` (message starting `before: ` or
/// `after: `), `invalid_json` (with `line`/`column`), `invalid_update`
/// (with the update's `index`; `path` for an array member that is not JSON
/// data).
#[wasm_bindgen(js_name = diffZendeskTriggerSets, unchecked_return_type = "ZendeskTriggerSetDiff")]
pub fn diff_zendesk_trigger_sets(
    #[wasm_bindgen(unchecked_param_type = "ZendeskTrigger[] | { triggers: ZendeskTrigger[] }")]
    before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ZendeskTrigger[] | { triggers: ZendeskTrigger[] }")]
    after: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TicketUpdate[] | string | Uint8Array")] updates: JsValue,
) -> Result<JsValue, JsValue> {
    let before = compile_js(&before, "before: ")?;
    let after = compile_js(&after, "after: ")?;
    let text = if let Some(text) = updates.dyn_ref::<JsString>() {
        js_string_to_rust(text)
    } else if let Some(bytes) = updates.dyn_ref::<Uint8Array>() {
        utf8_bytes_to_string(bytes).map_err(|offset| {
            let message = format!("invalid JSON: the bytes are not UTF-8 text (at byte {offset})");
            js_error("RulesError", "invalid_json", &message, &[])
        })?
    } else {
        let spec = js_spec(&crate::rules::diff_reads(&before, &after));
        project(&updates, &spec, false, true)?.0
    };
    let diff = crate::rules::diff_trigger_sets(&before, &after, &text).map_err(|e| throw(&e))?;
    // One JSON text parsed by the engine's JSON.parse: faster than building
    // a large result member by member across the boundary.
    let json = serde_json::to_string(&diff)
        .map_err(|e| js_error("TriggerkitError", "serialize_failed", &e.to_string(), &[]))?;
    js_sys::JSON::parse(&json)
}

impl ZendeskRuleSet {
    fn id(&self, position: u32) -> f64 {
        self.ids.get(position as usize).copied().unwrap_or(f64::NAN)
    }

    /// The JSON text of an array of updates cut down to what the rules
    /// read, and the updates' tickets (when `keep_tickets`). Throws a
    /// `RulesError` (`invalid_update`, with `index` in a batch and `path`)
    /// for an update that is not JSON data where it is read.
    fn project(
        &self,
        updates: &JsValue,
        keep_tickets: bool,
        batch: bool,
    ) -> Result<(String, JsValue), JsValue> {
        project(updates, &self.spec, keep_tickets, batch)
    }

    /// The result objects of an index (see `rules.js`).
    fn results(&self, indexed: &Indexed, source: &JsValue, tickets: &JsValue) -> Array {
        build_results(
            &indexed.index,
            &indexed.text,
            source,
            tickets,
            &self.js_ids,
            &self.effects,
        )
    }
}

/// The JSON text of an array of updates cut down to `spec` (`true`: whole
/// updates), and the updates' tickets (when `keep_tickets`). Throws a
/// `RulesError` (`invalid_update`, with `index` in a batch and `path`)
/// for an update that is not JSON data where it is read.
fn project(
    updates: &JsValue,
    spec: &JsValue,
    keep_tickets: bool,
    batch: bool,
) -> Result<(String, JsValue), JsValue> {
    let out = project_updates(updates, spec, keep_tickets);
    if let Some(text) = out.get(0).dyn_ref::<JsString>() {
        return Ok((js_string_to_rust(text), out.get(1)));
    }
    let index = out.get(1).as_f64().unwrap_or(-1.0);
    let path = out.get(2).as_string().unwrap_or_default();
    let why = out.get(3).as_string().unwrap_or_default();
    let mut extra = vec![("path", JsValue::from_str(&path))];
    let message = if index < 0.0 {
        format!("invalid update: {why}")
    } else if batch {
        extra.push(("index", JsValue::from(index)));
        format!("invalid update at index {index}: not JSON data at '{path}': {why}")
    } else {
        format!("invalid update: not JSON data at '{path}': {why}")
    };
    Err(js_error("RulesError", "invalid_update", &message, &extra))
}
