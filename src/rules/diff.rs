//! What changing a trigger set would change ([`diff_trigger_sets`]): both
//! sets run the firing cycle on every update of a batch, and the updates
//! whose outcome differs (fired triggers, final ticket, effects) are
//! reported with what differs, plus per-trigger counts.
//!
//! The batch is read in one streaming pass: each update's JSON text is cut
//! out of the array (not parsed into a tree) and read by each set's own
//! reader into its reused working state. Outcomes are compared in the
//! engine's compact form; only the updates that differ, and only when an
//! action changed a ticket, have their final tickets built.

use super::compile::Action;
use super::eval::{Outcome, TicketJson};
use super::types::Effect;
use super::update::{replace_lone_surrogates, State};
use super::{Reads, RuleSet, RulesError};
use serde::de::{DeserializeSeed, Deserializer, Error as _, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The updates whose outcome differs between two trigger sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskTriggerSetDiff {
    /// Each update whose outcome differs, in input order.
    pub changes: Vec<ZendeskUpdateChange>,
    /// Counts over the whole batch.
    pub summary: ZendeskDiffSummary,
}

/// How one update's outcome differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ZendeskUpdateChange {
    /// The update's index in the batch.
    pub index: usize,
    /// The triggers that fired with the `before` set, in firing order.
    pub fired_before: Vec<u64>,
    /// The triggers that fire with the `after` set, in firing order.
    pub fired_after: Vec<u64>,
    /// The top-level ticket keys whose final value differs, in the order of
    /// the `before` ticket's keys, then new keys.
    pub ticket: Vec<ZendeskFieldChange>,
    /// The effects only one side has.
    pub effects: ZendeskEffectChanges,
}

/// A ticket key whose final value differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskFieldChange {
    /// The top-level key of the ticket JSON (`status`, `tags`, `custom_fields`...).
    pub field: String,
    /// Its final value with the `before` set (`null` when absent).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub before: Value,
    /// Its final value with the `after` set (`null` when absent).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub after: Value,
}

/// Effects one set asks for and the other does not (as multisets: an
/// effect asked for twice by one side and once by the other is listed once).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskEffectChanges {
    /// Only with the `before` set, in its order.
    pub before: Vec<Effect>,
    /// Only with the `after` set, in its order.
    pub after: Vec<Effect>,
}

/// Counts over a batch.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskDiffSummary {
    /// Updates read.
    pub updates: usize,
    /// Updates whose outcome differs.
    pub changed: usize,
    /// Per trigger id (only triggers with a count), how many updates it
    /// newly fires on and no longer fires on.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "Record<string, ZendeskTriggerDiffCounts>")
    )]
    #[serde(serialize_with = "string_keys")]
    pub triggers: BTreeMap<u64, ZendeskTriggerDiffCounts>,
}

/// Trigger ids as the object keys they are in JSON (every serializer, not
/// only serde_json, then gives an object).
fn string_keys<S: Serializer>(
    map: &BTreeMap<u64, ZendeskTriggerDiffCounts>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(map.iter().map(|(id, counts)| (id.to_string(), counts)))
}

/// How one trigger's firing changes over a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ZendeskTriggerDiffCounts {
    /// Updates on which it fires with `after` and not with `before`.
    pub newly_fired: usize,
    /// Updates on which it fired with `before` and does not with `after`.
    pub no_longer_fired: usize,
}

/// Runs both trigger sets on every update of a JSON array of ticket
/// updates (read as [`RuleSet::evaluate_many_json`] reads it) and reports
/// the updates whose fired triggers, final ticket or effects differ.
pub fn diff_trigger_sets(
    before: &RuleSet,
    after: &RuleSet,
    updates: &str,
) -> Result<ZendeskTriggerSetDiff, RulesError> {
    diff_text(before, after, &replace_lone_surrogates(updates))
}

/// [`diff_trigger_sets`] on text whose lone surrogates are replaced.
fn diff_text<'a>(
    before: &'a RuleSet,
    after: &'a RuleSet,
    updates: &'a str,
) -> Result<ZendeskTriggerSetDiff, RulesError> {
    let mut side_a = Side::new(before);
    let mut side_b = Side::new(after);
    let mut diff = ZendeskTriggerSetDiff {
        changes: Vec::new(),
        summary: ZendeskDiffSummary::default(),
    };
    let mut index = None;
    let mut each = |n: usize, raw: &'a str| -> Result<(), serde_json::Error> {
        side_a.run(raw)?;
        side_b.run(raw)?;
        if let Some(change) = compare(n, raw, &side_a, &side_b)? {
            count(&mut diff.summary.triggers, &change);
            diff.changes.push(change);
        }
        Ok(())
    };
    let mut de = serde_json::Deserializer::from_str(updates);
    let read = de
        .deserialize_seq(Elements {
            index: &mut index,
            each: &mut each,
        })
        .and_then(|n| de.end().map(|()| n))
        .map_err(|e| RulesError::from_json(&e, index))?;
    diff.summary.updates = read;
    diff.summary.changed = diff.changes.len();
    Ok(diff)
}

/// What [`diff_trigger_sets`] looks at in an update: what either set
/// reads, and whole every ticket key either set's actions may write (their
/// final values are compared). Updates cut down to it give the same diff.
pub fn diff_reads(before: &RuleSet, after: &RuleSet) -> Reads {
    let mut reads = union(before.reads(), after.reads());
    if let Reads::Keys(keys) = &mut reads {
        let written = [before, after]
            .into_iter()
            .flat_map(|set| set.rules.iter().flat_map(|r| r.actions.iter()))
            .flat_map(|action| match action {
                Action::Set { field, .. } => [Some(field.json_key()), None],
                Action::SetTags(_) | Action::AddTags(_) | Action::RemoveTags(_) => {
                    [Some("tags"), None]
                }
                Action::SetCustom { .. } => [Some("custom_fields"), Some("fields")],
                Action::OfferSatisfaction => [Some("satisfaction_rating"), None],
                Action::Effect { .. } => [None, None],
            })
            .flatten()
            .map(|key| (key.to_owned(), Reads::Whole))
            .collect();
        if let Some((_, ticket)) = keys.iter_mut().find(|(k, _)| k == "ticket") {
            *ticket = union(
                std::mem::replace(ticket, Reads::Whole),
                Reads::Keys(written),
            );
        }
    }
    reads
}

/// What either of two readers looks at.
fn union(a: Reads, b: Reads) -> Reads {
    match (a, b) {
        (Reads::Keys(mut a), Reads::Keys(b)) => {
            for (key, read) in b {
                match a.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, have)) => *have = union(std::mem::replace(have, Reads::Whole), read),
                    None => a.push((key, read)),
                }
            }
            Reads::Keys(a)
        }
        _ => Reads::Whole,
    }
}

/// One trigger set's reusable working state and outcome.
struct Side<'r> {
    rules: &'r RuleSet,
    state: State<'r>,
    outcome: Outcome<'r>,
}

impl<'r> Side<'r> {
    fn new(rules: &'r RuleSet) -> Self {
        Side {
            rules,
            state: State::new(rules),
            outcome: Outcome::new(rules),
        }
    }

    /// Reads one update's JSON text and runs the cycle on it.
    fn run(&mut self, raw: &'r str) -> Result<(), serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(raw);
        self.state.seed(self.rules, false).deserialize(&mut de)?;
        self.rules.cycle_into(&mut self.state, &mut self.outcome);
        Ok(())
    }

    fn fired(&self) -> impl Iterator<Item = u64> + '_ {
        self.outcome.fired_rules(self.rules).map(|r| r.key)
    }

    fn effects(&self) -> impl Iterator<Item = EffectRef<'_>> + '_ {
        self.rules.effect_refs(&self.outcome)
    }

    /// The final ticket, from the input ticket's text.
    fn ticket(&self, text: &str) -> Result<Value, serde_json::Error> {
        self.rules
            .final_ticket(TicketJson::Text(text), &self.state, &self.outcome)
    }
}

/// The change of update `n`, if its outcome differs.
fn compare(
    n: usize,
    raw: &str,
    a: &Side<'_>,
    b: &Side<'_>,
) -> Result<Option<ZendeskUpdateChange>, serde_json::Error> {
    let same_fired = a.fired().eq(b.fired());
    let same_effects = a.effects().eq(b.effects());
    let mut ticket = Vec::new();
    if a.outcome.changed() || b.outcome.changed() {
        // The ticket's text is cut out of the update only now: most
        // updates need no final ticket.
        let text = serde_json::from_str::<TicketText<'_>>(raw)?.ticket.get();
        ticket = ticket_changes(a.ticket(text)?, b.ticket(text)?);
    }
    if same_fired && same_effects && ticket.is_empty() {
        return Ok(None);
    }
    let (effects_a, effects_b): (Vec<EffectRef<'_>>, Vec<EffectRef<'_>>) =
        (a.effects().collect(), b.effects().collect());
    Ok(Some(ZendeskUpdateChange {
        index: n,
        fired_before: a.fired().collect(),
        fired_after: b.fired().collect(),
        ticket,
        effects: ZendeskEffectChanges {
            before: only_in(&effects_a, &effects_b),
            after: only_in(&effects_b, &effects_a),
        },
    }))
}

/// An effect as the engine holds it: (trigger id, field, value).
type EffectRef<'a> = (u64, &'a str, &'a Value);

/// The text of an update's ticket.
#[derive(Deserialize)]
struct TicketText<'a> {
    #[serde(borrow)]
    ticket: &'a RawValue,
}

/// The top-level keys whose values differ (a ticket that is not an object
/// compares as a whole, under the key `""`).
fn ticket_changes(a: Value, b: Value) -> Vec<ZendeskFieldChange> {
    match (a, b) {
        (Value::Object(mut a), Value::Object(mut b)) => {
            let mut out = Vec::new();
            for (key, before) in a.iter_mut() {
                let after = b.remove(key).unwrap_or(Value::Null);
                if *before != after {
                    out.push(ZendeskFieldChange {
                        field: key.clone(),
                        before: before.take(),
                        after,
                    });
                }
            }
            for (key, after) in b {
                if !a.contains_key(&key) && !after.is_null() {
                    out.push(ZendeskFieldChange {
                        field: key,
                        before: Value::Null,
                        after,
                    });
                }
            }
            out
        }
        (a, b) if a == b => Vec::new(),
        (a, b) => vec![ZendeskFieldChange {
            field: String::new(),
            before: a,
            after: b,
        }],
    }
}

/// The effects of `list` not matched by one of `other` (each match used once).
fn only_in(list: &[EffectRef<'_>], other: &[EffectRef<'_>]) -> Vec<Effect> {
    let mut used = vec![false; other.len()];
    let mut out = Vec::new();
    for e in list {
        let hit = other
            .iter()
            .enumerate()
            .find(|(k, o)| !used.get(*k).copied().unwrap_or(true) && *o == e);
        match hit {
            Some((k, _)) => {
                if let Some(u) = used.get_mut(k) {
                    *u = true;
                }
            }
            None => out.push(Effect {
                trigger_id: e.0,
                field: e.1.to_owned(),
                value: e.2.clone(),
            }),
        }
    }
    out
}

/// Adds a change's newly fired and no longer fired triggers to the counts.
fn count(counts: &mut BTreeMap<u64, ZendeskTriggerDiffCounts>, change: &ZendeskUpdateChange) {
    for id in &change.fired_after {
        if !change.fired_before.contains(id) {
            counts.entry(*id).or_default().newly_fired += 1;
        }
    }
    for id in &change.fired_before {
        if !change.fired_after.contains(id) {
            counts.entry(*id).or_default().no_longer_fired += 1;
        }
    }
}

/// Hands each element of a JSON array to `each` as its JSON text.
struct Elements<'s, F> {
    /// Index of the element being read (for error reports).
    index: &'s mut Option<usize>,
    each: &'s mut F,
}

impl<'de, F> Visitor<'de> for Elements<'_, F>
where
    F: FnMut(usize, &'de str) -> Result<(), serde_json::Error>,
{
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of ticket updates")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        loop {
            *self.index = Some(n);
            let Some(raw) = seq.next_element::<&'de RawValue>()? else {
                *self.index = None;
                return Ok(n);
            };
            (self.each)(n, raw.get()).map_err(A::Error::custom)?;
            n += 1;
        }
    }
}
