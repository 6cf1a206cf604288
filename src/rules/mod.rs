//! Zendesk condition engine (DESIGN.md section 4): triggers are compiled
//! once into a typed, pre-indexed [`RuleSet`] (ranks for status, priority and
//! satisfaction, interned tag and word sets, custom fields resolved to
//! slots), then ticket updates are evaluated against it, one at a time or in
//! batches read straight from JSON text.
//!
//! Two modes:
//! - **firing cycle** ([`RuleSet::evaluate`]): active triggers in `position`
//!   order (ties by id, then input order); when a trigger's conditions hold
//!   it fires, its actions change the working ticket (side-effect actions
//!   are recorded as [`Effect`]s) and checking restarts from the first
//!   trigger; each trigger fires at most once per update, and the cycle ends
//!   after a pass in which nothing fires.
//! - **match only** ([`RuleSet::matching`], [`RuleSet::match_many_json`]):
//!   which active triggers' conditions hold for the update as given.
//!
//! Batch results also come in index form ([`RuleSet::evaluate_many_indexed`]):
//! fired trigger positions plus where each final ticket is, in the input
//! text when no action changed it, so a caller can build results without
//! parsing them all; [`RuleSet::reads`] says which parts of an update are
//! read, so a caller holding objects can send only those.
//!
//! Compilation never fails as a whole on bad trigger data: a trigger that
//! does not compile is left out and reported in [`RuleSet::problems`] with a
//! JSON Pointer (`/triggers/3/conditions/all/1/operator`) and a stable code.
//!
//! Semantics where Zendesk data can be missing: a missing or unrecognised
//! value is "no value" (`group_id is ""` holds, `is 5` does not, `is_not 5`
//! does, `less_than`/`greater_than` never hold); a missing priority is
//! "(none)", ranked below low; a missing satisfaction rating is unoffered;
//! `comment_includes_word includes` needs a comment, so `not_includes` holds
//! without one; a `current_user` value needs `current_user.id` in the update;
//! a ticket's `fields` (the API's alias of `custom_fields`) is read only when
//! it has no `custom_fields`. Reading never depends on the order of keys.
//!
//! JSON text is read as serde_json reads it, except that escaped lone UTF-16
//! surrogates (`"\\ud83c"`, which `JSON.stringify` writes for a cut emoji) are
//! read as U+FFFD instead of failing the batch.

mod compile;
mod diff;
mod error;
mod eval;
mod field;
mod indexed;
mod lint;
mod text;
mod trace;
mod types;
mod update;

pub use diff::{
    diff_reads, diff_trigger_sets, ZendeskDiffSummary, ZendeskEffectChanges, ZendeskFieldChange,
    ZendeskTriggerDiffCounts, ZendeskTriggerSetDiff, ZendeskUpdateChange,
};
pub use error::RulesError;
pub use indexed::{Indexed, Reads, TicketForm, IN_INPUT, IN_TEXT};
pub use trace::{
    ZendeskActionTrace, ZendeskConditionTrace, ZendeskConditionTraces, ZendeskExplanation,
    ZendeskTraceActual, ZendeskTraceOutcome, ZendeskTracePass, ZendeskTriggerTrace,
};
pub use types::{
    CurrentUser, Effect, EvaluationResult, TicketMetrics, TicketUpdate, UpdateComment,
};

pub use lint::{lint_zendesk_triggers, LintFinding, Severity, LINT_CODES};

use crate::formats::zendesk::ZendeskTrigger;
use crate::issue::{Issue, Pointer};
use compile::{codes, Compiler, Needs, Rule};
use eval::{Outcome, TicketJson, Unwatched, Watch};
use rustc_hash::FxHashMap;
use serde::de::{DeserializeSeed, Deserializer, Error as _, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;
use text::Vocab;
use update::{replace_lone_surrogates, State};

/// Compiled Zendesk triggers, ready to evaluate ticket updates (the
/// default is the empty rule set).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Active compiled triggers in firing order.
    rules: Vec<Rule>,
    problems: Vec<Issue>,
    tags: Vocab,
    words: Vocab,
    /// Custom ticket field id of each custom slot.
    custom_ids: Vec<u64>,
    custom_slots: FxHashMap<u64, u32>,
    requester_keys: Vocab,
    organization_keys: Vocab,
    needs: Needs,
}

impl RuleSet {
    /// Compiles triggers; problems are located under `/triggers/<index>`.
    pub fn compile(triggers: &[ZendeskTrigger]) -> RuleSet {
        let mut compiler = Compiler::new();
        let root = Pointer::root().key("triggers");
        for (i, t) in triggers.iter().enumerate() {
            compiler.trigger(i, &root.index(i), t);
        }
        compiler.finish()
    }

    /// Compiles triggers given as JSON: an array of triggers or a List
    /// Triggers response (`{"triggers": [...]}`). An element that is not a
    /// trigger is reported (`invalid_trigger`) and skipped; only input that
    /// is neither shape is an error.
    pub fn compile_json(input: &Value) -> Result<RuleSet, RulesError> {
        let list = trigger_list(input)?;
        let mut compiler = Compiler::new();
        let root = Pointer::root().key("triggers");
        for (i, item) in list.iter().enumerate() {
            let at = root.index(i);
            match ZendeskTrigger::deserialize(item) {
                Ok(t) => compiler.trigger(i, &at, &t),
                Err(e) => compiler.problem(&at, codes::INVALID_TRIGGER, e.to_string()),
            }
        }
        Ok(compiler.finish())
    }

    /// The triggers that did not compile, and why (they never fire).
    pub fn problems(&self) -> &[Issue] {
        &self.problems
    }

    /// The ids of the active compiled triggers in firing order (a trigger
    /// without an id is named by its input index). Positions in this list
    /// are the indices [`RuleSet::match_many_json`] reports.
    pub fn trigger_ids(&self) -> Vec<u64> {
        self.rules.iter().map(|r| r.key).collect()
    }

    /// Runs the firing cycle for one update (`TicketUpdate` JSON).
    pub fn evaluate(&self, update: &Value) -> Result<EvaluationResult, RulesError> {
        self.run(update, &mut Unwatched)
    }

    /// [`RuleSet::evaluate`] with the cycle reported to `watch`.
    fn run<'a, W: Watch<'a>>(
        &'a self,
        update: &'a Value,
        watch: &mut W,
    ) -> Result<EvaluationResult, RulesError> {
        let error = |e: serde_json::Error| RulesError::from_json(&e, None);
        let mut state = State::new(self);
        state.read(self, update).map_err(error)?;
        let mut outcome = Outcome::new(self);
        self.cycle_watched(&mut state, &mut outcome, watch);
        let ticket = match update.get("ticket") {
            Some(t) => self
                .final_ticket(TicketJson::Value(t), &state, &outcome)
                .map_err(error)?,
            None => Value::Null,
        };
        Ok(EvaluationResult {
            fired: outcome.fired_ids(self),
            ticket,
            effects: self.effects(&outcome),
        })
    }

    /// Runs the firing cycle for one typed update.
    pub fn evaluate_update(&self, update: &TicketUpdate) -> Result<EvaluationResult, RulesError> {
        let value = serde_json::to_value(update).map_err(|e| RulesError::from_json(&e, None))?;
        self.evaluate(&value)
    }

    /// Runs the firing cycle for one update given as JSON text and returns
    /// the `EvaluationResult` as JSON text. A ticket no action changed is
    /// copied from the input text without being parsed into a tree.
    pub fn evaluate_json(&self, update: &str) -> Result<String, RulesError> {
        let update = replace_lone_surrogates(update);
        let mut state = self.read_text(&update)?;
        let outcome = self.cycle(&mut state);
        let ticket = TicketJson::Text(state.ticket_text.unwrap_or("null"));
        let mut out = Vec::with_capacity(update.len() + 64);
        self.write_result(&mut out, ticket, &state, &outcome)
            .map_err(|e| RulesError::from_json(&e, None))?;
        utf8(out)
    }

    /// Reads one update's JSON text (lone surrogates already replaced),
    /// keeping the ticket's text.
    fn read_text<'a>(&'a self, update: &'a str) -> Result<State<'a>, RulesError> {
        let mut de = serde_json::Deserializer::from_str(update);
        let mut state = State::new(self);
        state
            .seed(self, true)
            .deserialize(&mut de)
            .and_then(|()| de.end())
            .map_err(|e| RulesError::from_json(&e, None))?;
        Ok(state)
    }

    /// Runs the firing cycle for each update of a JSON array, read in one
    /// streaming pass, and returns the results as a JSON array text (one
    /// `EvaluationResult` per update).
    pub fn evaluate_many_json(&self, updates: &str) -> Result<String, RulesError> {
        let updates = replace_lone_surrogates(updates);
        let mut out = Vec::with_capacity(updates.len() + 64);
        out.push(b'[');
        let mut outcome = Outcome::new(self);
        self.stream(&updates, true, |rules, state| {
            if out.len() > 1 {
                out.push(b',');
            }
            rules.cycle_into(state, &mut outcome);
            let ticket = TicketJson::Text(state.ticket_text.unwrap_or("null"));
            rules.write_result(&mut out, ticket, state, &outcome)
        })?;
        out.push(b']');
        utf8(out)
    }

    /// The ids of the triggers whose conditions hold for the update as
    /// given (no actions, no cycle), in firing order.
    pub fn matching(&self, update: &Value) -> Result<Vec<u64>, RulesError> {
        let mut state = State::new(self);
        state
            .read(self, update)
            .map_err(|e| RulesError::from_json(&e, None))?;
        Ok(self
            .rules
            .iter()
            .filter(|r| self.holds(r, &state))
            .map(|r| r.key)
            .collect())
    }

    /// Match-only over a JSON array of updates, read in one streaming pass:
    /// calls `each` once per update, in order, with the positions (in
    /// [`RuleSet::trigger_ids`]) of the triggers whose conditions hold.
    /// Returns the number of updates.
    pub fn match_many_json(
        &self,
        updates: &str,
        mut each: impl FnMut(&[u32]),
    ) -> Result<usize, RulesError> {
        let updates = replace_lone_surrogates(updates);
        let mut hits = Vec::with_capacity(self.rules.len());
        self.stream(&updates, false, |rules, state| {
            hits.clear();
            for (i, rule) in rules.rules.iter().enumerate() {
                if rules.holds(rule, state) {
                    hits.push(u32::try_from(i).unwrap_or(u32::MAX));
                }
            }
            each(&hits);
            Ok(())
        })
    }

    /// Reads a JSON array of updates one element at a time into a reused
    /// state and hands each to `each`; returns the number of updates.
    fn stream<'a, F>(
        &'a self,
        updates: &'a str,
        capture: bool,
        mut each: F,
    ) -> Result<usize, RulesError>
    where
        F: FnMut(&'a RuleSet, &mut State<'a>) -> Result<(), serde_json::Error>,
    {
        let mut de = serde_json::Deserializer::from_str(updates);
        let mut state = State::new(self);
        let mut index = None;
        let batch = Batch {
            rules: self,
            state: &mut state,
            index: &mut index,
            capture,
            each: &mut each,
        };
        de.deserialize_seq(batch)
            .and_then(|n| de.end().map(|()| n))
            .map_err(|e| RulesError::from_json(&e, index))
    }
}

/// The serde_json form of a model's JSON data (the engine reads serde_json
/// values; the models hold the crate's own): safe integers become
/// serde_json integers, as values read from JavaScript are.
pub(crate) fn to_serde(value: &crate::json::Value) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The triggers of an array of triggers or of a List Triggers response
/// (`{"triggers": [...]}`).
fn trigger_list(input: &Value) -> Result<&Vec<Value>, RulesError> {
    match input {
        Value::Array(items) => Ok(items),
        Value::Object(o) => match o.get("triggers") {
            Some(Value::Array(items)) => Ok(items),
            _ => Err(RulesError::InvalidTriggers(
                "expected an array of triggers or an object with a `triggers` array".into(),
            )),
        },
        _ => Err(RulesError::InvalidTriggers(
            "expected an array of triggers".into(),
        )),
    }
}

/// The text of JSON the engine wrote (always UTF-8: it writes only
/// serde_json output and slices of its `&str` input).
fn utf8(out: Vec<u8>) -> Result<String, RulesError> {
    String::from_utf8(out).map_err(|e| RulesError::InvalidUpdate {
        index: None,
        message: e.to_string(),
    })
}

/// The streaming reader of [`RuleSet::stream`].
struct Batch<'s, 'a, F> {
    rules: &'a RuleSet,
    state: &'s mut State<'a>,
    /// Index of the update being read (for error reports).
    index: &'s mut Option<usize>,
    capture: bool,
    each: &'s mut F,
}

impl<'de: 'a, 'a, F> Visitor<'de> for Batch<'_, 'a, F>
where
    F: FnMut(&'a RuleSet, &mut State<'a>) -> Result<(), serde_json::Error>,
{
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of ticket updates")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        loop {
            *self.index = Some(n);
            let seed = self.state.seed(self.rules, self.capture);
            if seq.next_element_seed(seed)?.is_none() {
                *self.index = None;
                return Ok(n);
            }
            (self.each)(self.rules, self.state).map_err(A::Error::custom)?;
            n += 1;
        }
    }
}
