//! Traces of the firing cycle ([`RuleSet::explain`]): every pass of the
//! cycle (DESIGN.md section 4), and in each pass every active compiled
//! trigger in firing order, with whether it fired, was skipped (it already
//! fired in this update, so its conditions were not checked) or did not
//! match; for each checked trigger every `all` and `any` condition as
//! written, the value the engine read for it and whether it held; for each
//! fired trigger its actions with the value of what they change before and
//! after.
//!
//! The trace is recorded by a [`Watch`] on the same cycle `evaluate` runs
//! (the decision to fire is the evaluator's own), so `fired`, `ticket` and
//! `effects` are `evaluate`'s. Inactive triggers and triggers that did not
//! compile are not in the rule set and so never appear in a trace (see
//! [`RuleSet::problems`]).
//!
//! Conditions are listed in the order the engine checks them (cheap tests
//! first, which may differ from the input order); a trace checks every
//! condition of a trigger even where the evaluator stops at the first that
//! fails (conditions have no side effects).

use super::compile::{Action, CustomSource, Rule, Test};
use super::eval::{text, Outcome, TicketJson, Watch};
use super::field::{Datum, TicketField};
use super::types::{Effect, EvaluationResult};
use super::update::{replace_lone_surrogates, State};
use super::{RuleSet, RulesError};
use crate::formats::zendesk::ZendeskCondition;
use serde::Serialize;
use serde_json::Value;

/// The trace of one update's firing cycle: `evaluate`'s result plus every
/// pass.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskExplanation {
    /// As `evaluate` gives it: the fired triggers' ids in firing order.
    pub fired: Vec<u64>,
    /// As `evaluate` gives it: the ticket after the actions (always a new
    /// object, parsed from the input).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "ZendeskTicket"))]
    pub ticket: Value,
    /// As `evaluate` gives it: the side effects of the fired triggers.
    pub effects: Vec<Effect>,
    /// Every pass of the cycle, in order; the last one fired nothing that
    /// changed the ticket.
    pub passes: Vec<ZendeskTracePass>,
}

/// One pass over the triggers: from the first trigger until one that
/// changes the ticket fires (the cycle then restarts) or to the last.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskTracePass {
    /// 0 for the first pass.
    pub index: usize,
    /// The triggers this pass came to, in firing order.
    pub triggers: Vec<ZendeskTriggerTrace>,
}

/// What one pass did with one trigger.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskTriggerTrace {
    /// The trigger's id (its index in the input when it has none).
    pub id: u64,
    /// The trigger's title.
    pub title: String,
    /// Whether it fired, was skipped or did not match.
    pub outcome: ZendeskTraceOutcome,
    /// Its conditions with what was read for each (both lists empty when
    /// the trigger was skipped).
    pub conditions: ZendeskConditionTraces,
    /// When it fired: its actions in order, with what they changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub actions: Option<Vec<ZendeskActionTrace>>,
}

/// The outcome of one trigger in one pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum ZendeskTraceOutcome {
    /// Its conditions held: its actions ran.
    Fired,
    /// It already fired in this update; not checked again.
    Skipped,
    /// Its conditions did not hold.
    NotMatched,
}

/// The `all` and `any` conditions of a trigger as checked.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskConditionTraces {
    /// The `all` conditions, cheap tests first.
    pub all: Vec<ZendeskConditionTrace>,
    /// The `any` conditions, cheap tests first.
    pub any: Vec<ZendeskConditionTrace>,
}

/// One condition as checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskConditionTrace {
    /// The condition's field as written.
    pub field: String,
    /// The condition's operator as written.
    pub operator: String,
    /// The condition's value as written (`null` when it has none).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub value: Value,
    /// What the engine read for it (see [`ZendeskTraceActual`]).
    pub actual: ZendeskTraceActual,
    /// Whether the condition held.
    pub held: bool,
}

/// The value a condition read, in the JSON form of the ticket: a name
/// (`"open"`), an id, a boolean, `null` for no value. Tag conditions read
/// the condition's tags present on the ticket (a list), word conditions the
/// condition's words and phrases found in the text (a list; `null` when the
/// update has no such text), substring conditions the lowercase text.
/// Change operators read the value before the update and the current one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum ZendeskTraceActual {
    /// What a plain condition read.
    Value(#[cfg_attr(target_arch = "wasm32", tsify(type = "ZendeskTraceValue"))] Value),
    /// What a change operator read.
    Change {
        /// In the ticket before the update.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "ZendeskTraceValue"))]
        before: Value,
        /// In the working ticket.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "ZendeskTraceValue"))]
        current: Value,
    },
}

/// One action of a fired trigger.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskActionTrace {
    /// The action's field as written.
    pub field: String,
    /// The action's value as written.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub value: Value,
    /// What the action changes, before it ran: the field's value, the
    /// ticket's tags for tag actions (the list the final ticket would have
    /// at that point), the custom field's value. Absent for side effects
    /// (notifications, webhooks...), which change nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "ZendeskTraceValue"))]
    pub before: Option<Value>,
    /// The same after it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "ZendeskTraceValue"))]
    pub after: Option<Value>,
}

impl RuleSet {
    /// Runs the firing cycle for one update (`TicketUpdate` JSON) and
    /// traces it: the same `fired`, `ticket` and `effects` as
    /// [`RuleSet::evaluate`], plus every pass.
    pub fn explain(&self, update: &Value) -> Result<ZendeskExplanation, RulesError> {
        let tags = update.get("ticket").and_then(|t| t.get("tags"));
        let mut tracer = Tracer {
            tags,
            passes: Vec::new(),
        };
        let EvaluationResult {
            fired,
            ticket,
            effects,
        } = self.run(update, &mut tracer)?;
        Ok(ZendeskExplanation {
            fired,
            ticket,
            effects,
            passes: tracer.passes,
        })
    }

    /// [`RuleSet::explain`] for an update given as JSON text, read as
    /// [`RuleSet::evaluate_json`] reads it (the same reader, so the same
    /// updates are refused).
    pub fn explain_json(&self, update: &str) -> Result<ZendeskExplanation, RulesError> {
        let error = |e: serde_json::Error| RulesError::from_json(&e, None);
        let update = replace_lone_surrogates(update);
        let mut state = self.read_text(&update)?;
        let ticket: Value =
            serde_json::from_str(state.ticket_text.unwrap_or("null")).map_err(error)?;
        let mut tracer = Tracer {
            tags: ticket.get("tags"),
            passes: Vec::new(),
        };
        let mut outcome = Outcome::new(self);
        self.cycle_watched(&mut state, &mut outcome, &mut tracer);
        Ok(ZendeskExplanation {
            fired: outcome.fired_ids(self),
            ticket: self
                .final_ticket(TicketJson::Value(&ticket), &state, &outcome)
                .map_err(error)?,
            effects: self.effects(&outcome),
            passes: tracer.passes,
        })
    }
}

/// Records a cycle into passes.
struct Tracer<'t> {
    /// The input ticket's tags, for the tag lists of tag actions.
    tags: Option<&'t Value>,
    passes: Vec<ZendeskTracePass>,
}

impl Tracer<'_> {
    fn push(&mut self, trigger: ZendeskTriggerTrace) {
        if let Some(pass) = self.passes.last_mut() {
            pass.triggers.push(trigger);
        }
    }
}

impl<'r> Watch<'r> for Tracer<'_> {
    fn pass(&mut self) {
        let index = self.passes.len();
        self.passes.push(ZendeskTracePass {
            index,
            triggers: Vec::new(),
        });
    }

    fn skipped(&mut self, rule: &'r Rule) {
        self.push(ZendeskTriggerTrace {
            id: rule.key,
            title: rule.source.title.to_string(),
            outcome: ZendeskTraceOutcome::Skipped,
            conditions: ZendeskConditionTraces::default(),
            actions: None,
        });
    }

    fn checked(&mut self, rules: &'r RuleSet, rule: &'r Rule, s: &State<'r>, holds: bool) {
        let list = |tests: &[Test], sources: &[ZendeskCondition]| {
            tests
                .iter()
                .zip(sources)
                .map(|(test, c)| ZendeskConditionTrace {
                    field: c.field.clone(),
                    operator: c.operator.clone(),
                    value: c.value.as_ref().map_or(Value::Null, super::to_serde),
                    actual: actual(rules, test, s),
                    held: rules.test(test, s),
                })
                .collect()
        };
        let conditions = ZendeskConditionTraces {
            all: list(&rule.all, &rule.source.all),
            any: list(&rule.any, &rule.source.any),
        };
        self.push(ZendeskTriggerTrace {
            id: rule.key,
            title: rule.source.title.to_string(),
            outcome: if holds {
                ZendeskTraceOutcome::Fired
            } else {
                ZendeskTraceOutcome::NotMatched
            },
            conditions,
            actions: holds.then(Vec::new),
        });
    }

    fn action(
        &mut self,
        rules: &'r RuleSet,
        rule: &'r Rule,
        index: usize,
        s: &State<'r>,
        out: &Outcome<'r>,
        done: bool,
    ) {
        let Some(action) = rule.actions.get(index) else {
            return;
        };
        let value = changed_value(rules, action, s, out, self.tags);
        let Some(actions) = self
            .passes
            .last_mut()
            .and_then(|p| p.triggers.last_mut())
            .and_then(|t| t.actions.as_mut())
        else {
            return;
        };
        if done {
            if let Some(last) = actions.last_mut() {
                last.after = value;
            }
        } else if let Some(source) = rule.source.actions.get(index) {
            actions.push(ZendeskActionTrace {
                field: source.field.clone(),
                value: super::to_serde(&source.value),
                before: value,
                after: None,
            });
        }
    }
}

/// What an action changes, as it is now (`None` for a side effect).
fn changed_value(
    rules: &RuleSet,
    action: &Action,
    s: &State<'_>,
    out: &Outcome<'_>,
    tags: Option<&Value>,
) -> Option<Value> {
    Some(match action {
        Action::Set { field, .. } => field.encode(s.cur.get(*field)),
        Action::SetTags(_) | Action::AddTags(_) | Action::RemoveTags(_) => {
            Value::Array(rules.final_tags(tags, s, out))
        }
        Action::SetCustom { slot, .. } => datum(&s.cur.custom, *slot),
        Action::OfferSatisfaction => {
            TicketField::Satisfaction.encode(s.cur.get(TicketField::Satisfaction))
        }
        Action::Effect { .. } => return None,
    })
}

/// The JSON form of custom slot `slot` of `values`.
fn datum(values: &[Datum<'_>], slot: u32) -> Value {
    values
        .get(slot as usize)
        .map_or(Value::Null, Datum::to_value)
}

/// What `test` reads from `s` (see [`ZendeskTraceActual`]).
fn actual(rules: &RuleSet, test: &Test, s: &State<'_>) -> ZendeskTraceActual {
    let value = match test {
        Test::Ticket { field, .. } => field.encode(s.cur.get(*field)),
        Test::TicketChange { field, .. } => {
            return ZendeskTraceActual::Change {
                before: field.encode(s.prev.get(*field)),
                current: field.encode(s.cur.get(*field)),
            }
        }
        Test::Update { field, .. } => field.encode(s.get(*field)),
        Test::Tags { ids, .. } => ids
            .ids()
            .filter(|&id| s.cur.tags.contains(id))
            .filter_map(|id| rules.tags.word(id))
            .map(Value::from)
            .collect(),
        Test::Words {
            source, phrases, ..
        } => {
            let t = text(s, *source);
            if t.present() {
                t.found(phrases, &rules.words)
                    .into_iter()
                    .map(Value::from)
                    .collect()
            } else {
                Value::Null
            }
        }
        Test::Substring { source, .. } => {
            let t = text(s, *source);
            if t.present() {
                Value::from(t.lower())
            } else {
                Value::Null
            }
        }
        Test::Comment(_) => s.comment_public.map_or(Value::Null, Value::Bool),
        Test::Recipient { .. } => s.recipient.as_deref().map_or(Value::Null, Value::from),
        Test::Custom { source, slot, .. } => datum(
            match source {
                CustomSource::Ticket => &s.cur.custom,
                CustomSource::Requester => &s.requester,
                CustomSource::Organization => &s.organization,
            },
            *slot,
        ),
        Test::CustomChange { slot, .. } => {
            return ZendeskTraceActual::Change {
                before: datum(&s.prev.custom, *slot),
                current: datum(&s.cur.custom, *slot),
            }
        }
    };
    ZendeskTraceActual::Value(value)
}
