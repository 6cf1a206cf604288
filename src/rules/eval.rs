//! Evaluation: conditions against the working state, the firing cycle
//! (position order, restart after each firing, each trigger at most once,
//! stop after a quiet pass), actions applied to the working ticket, and
//! the final ticket written back into the input's JSON.

use super::compile::{
    date_prefix, Action, Change, ChangeKind, Cmp, CommentIs, CustomOperand, CustomSource,
    CustomTest, Operand, Order, Rule, Source, Test,
};
use super::field::{parse_number, Datum, TicketField, NEVER, OFFERED, TICKET_FIELDS, UNOFFERED};
use super::text::{eq_lowercase, lowercase_into, Bits, Text};
use super::types::Effect;
use super::update::State;
use super::RuleSet;
use serde::Serialize;
use serde_json::{Map, Value};

impl RuleSet {
    /// True when the rule's conditions hold for the state.
    pub(crate) fn holds(&self, rule: &Rule, s: &State<'_>) -> bool {
        rule.all.iter().all(|t| self.test(t, s))
            && (rule.any.is_empty() || rule.any.iter().any(|t| self.test(t, s)))
    }

    pub(crate) fn test(&self, test: &Test, s: &State<'_>) -> bool {
        match test {
            Test::Ticket { field, cmp, value } => {
                compare(s.cur.get(*field), *cmp, resolve(*value, s))
            }
            Test::TicketChange {
                field,
                change,
                value,
            } => {
                let (cur, prev, v) = (s.cur.get(*field), s.prev.get(*field), resolve(*value, s));
                changed(*change, cur != prev, cur == v, prev == v)
            }
            Test::Update { field, cmp, value } => compare(s.get(*field), *cmp, *value),
            Test::Tags { ids, negate } => s.cur.tags.intersects(ids) != *negate,
            Test::Words {
                source,
                phrases,
                negate,
            } => text(s, *source).has_any(phrases) != *negate,
            Test::Substring {
                source,
                needle,
                negate,
            } => text(s, *source).contains(needle) != *negate,
            Test::Comment(is) => matches!(
                (is, s.comment_public),
                (CommentIs::Public, Some(true))
                    | (CommentIs::Private, Some(false))
                    | (CommentIs::Present, Some(_))
            ),
            Test::Recipient { address, negate } => {
                let hit = s
                    .recipient
                    .as_deref()
                    .is_some_and(|r| eq_lowercase(r.trim(), address));
                hit != *negate
            }
            Test::Custom { source, slot, test } => {
                let values = match source {
                    CustomSource::Ticket => &s.cur.custom,
                    CustomSource::Requester => &s.requester,
                    CustomSource::Organization => &s.organization,
                };
                let value = values.get(*slot as usize).unwrap_or(&Datum::Null);
                self.custom(test, value)
            }
            Test::CustomChange {
                slot,
                change,
                value,
            } => {
                let null = Datum::Null;
                let cur = s.cur.custom.get(*slot as usize).unwrap_or(&null);
                let prev = s.prev.custom.get(*slot as usize).unwrap_or(&null);
                let is = |d: &Datum<'_>| value.as_ref().is_some_and(|o| custom_is(d, o));
                changed(*change, !same(cur, prev), is(cur), is(prev))
            }
        }
    }

    fn custom(&self, test: &CustomTest, v: &Datum<'_>) -> bool {
        match test {
            CustomTest::Is(o, negate) => custom_is(v, o) != *negate,
            CustomTest::Present(negate) => {
                !matches!(v, Datum::Null | Datum::Bool(false)) != *negate
            }
            CustomTest::Words {
                phrases,
                words,
                negate,
            } => {
                let hit = match v {
                    Datum::Str(s) => {
                        let mut t = Text::new(&self.words);
                        t.fill(s, &self.words, true, false, &mut String::new());
                        t.has_any(phrases)
                    }
                    Datum::List(items) => items
                        .iter()
                        .any(|i| words.iter().any(|w| eq_lowercase(i, w))),
                    _ => false,
                };
                hit != *negate
            }
            CustomTest::Substring(needle, negate) => {
                let mut lower = String::new();
                let mut has = |s: &str| {
                    lowercase_into(s, &mut lower);
                    lower.contains(&**needle)
                };
                let hit = match v {
                    Datum::Str(s) => has(s),
                    Datum::List(items) => items.iter().any(|i| has(i)),
                    Datum::Id(_) | Datum::Num(_) => v
                        .as_f64()
                        .is_some_and(|n| has(&crate::json::display_f64(n))),
                    Datum::Null | Datum::Bool(_) => false,
                };
                hit != *negate
            }
            CustomTest::Order(order, o) => custom_order(v, *order, o),
        }
    }

    /// Runs the firing cycle on `s`: returns the fired rules' positions and
    /// what changed, for [`RuleSet::patch`].
    pub(crate) fn cycle<'r>(&'r self, s: &mut State<'r>) -> Outcome<'r> {
        let mut out = Outcome::new(self);
        self.cycle_into(s, &mut out);
        out
    }

    /// [`RuleSet::cycle`] into an outcome reused across the updates of a
    /// batch (its previous content is cleared).
    pub(crate) fn cycle_into<'r>(&'r self, s: &mut State<'r>, out: &mut Outcome<'r>) {
        self.cycle_watched(s, out, &mut Unwatched);
    }

    /// The firing cycle, reporting each step to `watch` (see [`Watch`]).
    pub(crate) fn cycle_watched<'r, W: Watch<'r>>(
        &'r self,
        s: &mut State<'r>,
        out: &mut Outcome<'r>,
        watch: &mut W,
    ) {
        out.clear();
        'pass: loop {
            watch.pass();
            for (i, rule) in self.rules.iter().enumerate() {
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                if out.done.contains(i) {
                    watch.skipped(rule);
                    continue;
                }
                let holds = self.holds(rule, s);
                watch.checked(self, rule, s, holds);
                if !holds {
                    continue;
                }
                out.done.insert(i);
                out.fired.push(i);
                for (k, action) in rule.actions.iter().enumerate() {
                    watch.action(self, rule, k, s, out, false);
                    out.apply(action, s);
                    watch.action(self, rule, k, s, out, true);
                }
                // Restart only when the ticket changed: with effects alone
                // the triggers above would see the same ticket again.
                if rule.mutates {
                    continue 'pass;
                }
            }
            break;
        }
    }

    /// The final ticket as a JSON value: the input with every field the
    /// actions changed written back in Zendesk's JSON form.
    pub(crate) fn final_ticket(
        &self,
        input: TicketJson<'_>,
        s: &State<'_>,
        out: &Outcome<'_>,
    ) -> Result<Value, serde_json::Error> {
        let mut ticket = match input {
            TicketJson::Text(text) => serde_json::from_str(text)?,
            TicketJson::Value(v) => v.clone(),
        };
        if out.changed() {
            self.patch(&mut ticket, s, out);
        }
        Ok(ticket)
    }

    /// Writes the `EvaluationResult` JSON of a cycle. An unchanged ticket
    /// given as text is copied as is, without being parsed.
    pub(crate) fn write_result(
        &self,
        w: &mut Vec<u8>,
        input: TicketJson<'_>,
        s: &State<'_>,
        out: &Outcome<'_>,
    ) -> Result<(), serde_json::Error> {
        w.extend_from_slice(b"{\"fired\":");
        serde_json::to_writer(&mut *w, &out.fired_ids(self))?;
        w.extend_from_slice(b",\"ticket\":");
        match input {
            TicketJson::Text(text) if !out.changed() => w.extend_from_slice(text.as_bytes()),
            _ => serde_json::to_writer(&mut *w, &self.final_ticket(input, s, out)?)?,
        }
        w.extend_from_slice(b",\"effects\":[");
        let mut first = true;
        for rule in out.fired_rules(self) {
            self.write_effects(w, rule, &mut first)?;
        }
        w.push(b']');
        w.push(b'}');
        Ok(())
    }

    /// Writes the `Effect` JSON of each side-effect action of `rule`, each
    /// preceded by a comma unless it is the `first` of a list.
    pub(crate) fn write_effects(
        &self,
        w: &mut Vec<u8>,
        rule: &Rule,
        first: &mut bool,
    ) -> Result<(), serde_json::Error> {
        for action in rule.actions.iter() {
            if let Action::Effect { field, value } = action {
                if !std::mem::take(first) {
                    w.push(b',');
                }
                let effect = EffectOut {
                    trigger_id: rule.key,
                    field,
                    value,
                };
                serde_json::to_writer(&mut *w, &effect)?;
            }
        }
        Ok(())
    }

    /// The effects of a cycle, in firing order.
    pub(crate) fn effects(&self, out: &Outcome<'_>) -> Vec<Effect> {
        self.effect_refs(out)
            .map(|(trigger_id, field, value)| Effect {
                trigger_id,
                field: field.to_owned(),
                value: value.clone(),
            })
            .collect()
    }

    /// The effects of a cycle as (trigger id, field, value), in firing
    /// order, without copies.
    pub(crate) fn effect_refs<'a>(
        &'a self,
        out: &'a Outcome<'_>,
    ) -> impl Iterator<Item = (u64, &'a str, &'a Value)> + 'a {
        out.fired_rules(self).flat_map(|rule| {
            rule.actions.iter().filter_map(move |action| match action {
                Action::Effect { field, value } => Some((rule.key, &**field, value)),
                _ => None,
            })
        })
    }

    /// Writes every field the actions changed into `ticket` (an object;
    /// anything else is left alone) and returns their keys, in the order
    /// they were first written.
    pub(crate) fn patch(
        &self,
        ticket: &mut Value,
        s: &State<'_>,
        out: &Outcome<'_>,
    ) -> Vec<&'static str> {
        let mut keys = Vec::new();
        let Some(obj) = ticket.as_object_mut() else {
            return keys;
        };
        for (i, field) in TicketField::ALL.iter().enumerate() {
            if !out.dirty.get(i).copied().unwrap_or(false) {
                continue;
            }
            let value = field.encode(s.cur.get(*field));
            keys.push(field.json_key());
            if *field == TicketField::Satisfaction {
                let rating = obj
                    .entry("satisfaction_rating")
                    .or_insert_with(|| Value::Object(Map::new()));
                if !rating.is_object() {
                    *rating = Value::Object(Map::new());
                }
                if let Some(r) = rating.as_object_mut() {
                    r.insert("score".into(), value);
                }
            } else {
                obj.insert(field.json_key().into(), value);
            }
        }
        if out.tags_changed {
            let tags = self.final_tags(obj.get("tags"), s, out);
            obj.insert("tags".into(), Value::Array(tags));
            keys.push("tags");
        }
        for (slot, value) in out.custom.iter().enumerate() {
            let (Some(value), Some(&id)) = (value, self.custom_ids.get(slot)) else {
                continue;
            };
            let has_fields = obj.get("fields").is_some_and(Value::is_array);
            for key in ["custom_fields", "fields"] {
                if key == "fields" && !has_fields {
                    continue;
                }
                if !keys.contains(&key) {
                    keys.push(key);
                }
                let list = obj.entry(key).or_insert_with(|| Value::Array(Vec::new()));
                if !list.is_array() {
                    *list = Value::Array(Vec::new());
                }
                if let Some(items) = list.as_array_mut() {
                    set_custom(items, id, value);
                }
            }
        }
        keys
    }

    /// The ticket's tags after the actions: kept in input order, then the
    /// added ones in the order they were added.
    pub(crate) fn final_tags(
        &self,
        input: Option<&Value>,
        s: &State<'_>,
        out: &Outcome<'_>,
    ) -> Vec<Value> {
        let mut emitted = Bits::with_len(self.tags.len());
        let mut tags = Vec::new();
        let mut lower = String::new();
        if !out.tags_replaced {
            for tag in input.and_then(Value::as_array).into_iter().flatten() {
                let Some(text) = tag.as_str() else { continue };
                lowercase_into(text, &mut lower);
                match self.tags.get(&lower) {
                    Some(id) if !s.cur.tags.contains(id) || emitted.contains(id) => {}
                    Some(id) => {
                        emitted.insert(id);
                        tags.push(tag.clone());
                    }
                    None => tags.push(tag.clone()),
                }
            }
        }
        for &id in &out.tags_added {
            if s.cur.tags.contains(id) && !emitted.contains(id) {
                emitted.insert(id);
                if let Some(word) = self.tags.word(id) {
                    tags.push(Value::from(word));
                }
            }
        }
        tags
    }
}

/// Sets custom field `id` to `value` in a `[{id, value}]` list.
fn set_custom(items: &mut Vec<Value>, id: u64, value: &Value) {
    let matches = |item: &Value| {
        item.get("id")
            .is_some_and(|v| super::field::id_of(&Datum::from_value(v)) == id)
    };
    match items.iter_mut().find(|item| matches(item)) {
        Some(Value::Object(item)) => {
            item.insert("value".into(), value.clone());
        }
        _ => {
            let mut item = Map::new();
            item.insert("id".into(), Value::from(id));
            item.insert("value".into(), value.clone());
            items.push(Value::Object(item));
        }
    }
}

/// What a firing cycle tells as it runs ([`RuleSet::cycle_watched`]): the
/// trace records it, the evaluator's own [`Unwatched`] ignores it (every
/// method is empty by default, so the plain cycle compiles to what it was).
pub(crate) trait Watch<'r> {
    /// A pass over the triggers starts.
    fn pass(&mut self) {}
    /// `rule` was not checked: it already fired in this update.
    fn skipped(&mut self, _rule: &'r Rule) {}
    /// `rule`'s conditions were checked against `s`; `holds` says whether
    /// they hold (then it fires).
    fn checked(&mut self, _rules: &'r RuleSet, _rule: &'r Rule, _s: &State<'r>, _holds: bool) {}
    /// Action `index` of the firing `rule` is about to be applied (`done`
    /// false) or was just applied (`done` true) to `s`, with `out` what the
    /// cycle changed so far.
    fn action(
        &mut self,
        _rules: &'r RuleSet,
        _rule: &'r Rule,
        _index: usize,
        _s: &State<'r>,
        _out: &Outcome<'r>,
        _done: bool,
    ) {
    }
}

/// The watcher of plain evaluation: sees nothing.
pub(crate) struct Unwatched;

impl Watch<'_> for Unwatched {}

/// The ticket of an update, as JSON text or as a parsed value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TicketJson<'a> {
    Text(&'a str),
    Value(&'a Value),
}

/// An effect serialized from references (no copy of the action value).
#[derive(Serialize)]
struct EffectOut<'r> {
    trigger_id: u64,
    field: &'r str,
    value: &'r Value,
}

/// What one firing cycle did.
pub(crate) struct Outcome<'r> {
    /// Positions (in `RuleSet::rules`) of the fired rules, in firing order.
    pub fired: Vec<u32>,
    /// The same positions as a set.
    done: Bits,
    dirty: [bool; TICKET_FIELDS],
    tags_changed: bool,
    tags_replaced: bool,
    tags_added: Vec<u32>,
    /// Per custom slot, the value an action last set.
    custom: Vec<Option<&'r Value>>,
}

impl<'r> Outcome<'r> {
    pub(crate) fn new(rules: &RuleSet) -> Self {
        Outcome {
            fired: Vec::new(),
            done: Bits::with_len(rules.rules.len()),
            dirty: [false; TICKET_FIELDS],
            tags_changed: false,
            tags_replaced: false,
            tags_added: Vec::new(),
            custom: vec![None; rules.custom_ids.len()],
        }
    }

    fn clear(&mut self) {
        self.fired.clear();
        self.done.clear();
        self.dirty = [false; TICKET_FIELDS];
        self.tags_changed = false;
        self.tags_replaced = false;
        self.tags_added.clear();
        self.custom.iter_mut().for_each(|c| *c = None);
    }

    fn apply(&mut self, action: &'r Action, s: &mut State<'r>) {
        match action {
            Action::Set { field, value } => {
                let v = resolve(*value, s);
                // current_user with no current user: nothing to assign.
                if v == NEVER {
                    return;
                }
                s.cur.set(*field, v);
                self.mark(*field);
            }
            Action::SetTags(ids) => {
                s.cur.tags.clear();
                ids.iter().for_each(|&id| s.cur.tags.insert(id));
                self.tags_changed = true;
                self.tags_replaced = true;
                self.tags_added = ids.to_vec();
            }
            Action::AddTags(ids) => {
                for &id in ids.iter() {
                    s.cur.tags.insert(id);
                    if !self.tags_added.contains(&id) {
                        self.tags_added.push(id);
                    }
                }
                self.tags_changed = true;
            }
            Action::RemoveTags(ids) => {
                ids.iter().for_each(|&id| s.cur.tags.remove(id));
                self.tags_changed = true;
            }
            Action::SetCustom { slot, value } => {
                if let Some(v) = s.cur.custom.get_mut(*slot as usize) {
                    *v = Datum::from_value(value);
                }
                if let Some(v) = self.custom.get_mut(*slot as usize) {
                    *v = Some(value);
                }
            }
            Action::OfferSatisfaction => {
                // A survey is offered once; a rated ticket keeps its rating.
                if s.cur.get(TicketField::Satisfaction) == UNOFFERED {
                    s.cur.set(TicketField::Satisfaction, OFFERED);
                    self.mark(TicketField::Satisfaction);
                }
            }
            // Recorded from the fired rules when the result is written.
            Action::Effect { .. } => {}
        }
    }

    /// Whether any action changed the ticket.
    pub(crate) fn changed(&self) -> bool {
        self.tags_changed || self.dirty.contains(&true) || self.custom.iter().any(Option::is_some)
    }

    fn mark(&mut self, field: TicketField) {
        if let Some(d) = self.dirty.get_mut(field.index()) {
            *d = true;
        }
    }

    /// The fired rules, in firing order.
    pub(crate) fn fired_rules<'a>(&'a self, rules: &'a RuleSet) -> impl Iterator<Item = &'a Rule> {
        self.fired
            .iter()
            .filter_map(|&i| rules.rules.get(i as usize))
    }

    /// The ids of the fired triggers, in firing order.
    pub(crate) fn fired_ids(&self, rules: &RuleSet) -> Vec<u64> {
        self.fired_rules(rules).map(|r| r.key).collect()
    }
}

pub(crate) fn resolve(value: Operand, s: &State<'_>) -> u64 {
    match value {
        Operand::Lit(v) => v,
        Operand::CurrentUser => s.current_user,
    }
}

pub(crate) fn compare(v: u64, cmp: Cmp, target: u64) -> bool {
    match cmp {
        Cmp::Eq => v == target,
        Cmp::Ne => v != target,
        // No value is neither less nor greater than anything.
        Cmp::Lt => v < target && target < NEVER,
        Cmp::Gt => v > target && v < NEVER,
    }
}

/// A change operator given whether the field changed and whether its
/// value after (`to`) and before (`from`) equals the condition's value.
pub(crate) fn changed(c: Change, changed: bool, to: bool, from: bool) -> bool {
    let hit = match c.kind {
        ChangeKind::Any => changed,
        ChangeKind::To => changed && to,
        ChangeKind::From => changed && from,
    };
    hit != c.negate
}

pub(crate) fn text<'s>(s: &'s State<'_>, source: Source) -> &'s Text {
    match source {
        Source::Subject => &s.subject,
        Source::Comment => &s.comment,
    }
}

/// Custom values equal as Zendesk stores them (numbers by value).
fn same(a: &Datum<'_>, b: &Datum<'_>) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn custom_is(v: &Datum<'_>, o: &CustomOperand) -> bool {
    match v {
        // An unset checkbox is false.
        Datum::Null => o.text.is_empty() || o.flag == Some(false),
        Datum::Bool(b) => o.flag == Some(*b),
        Datum::Num(_) | Datum::Id(_) => v.as_f64().is_some() && v.as_f64() == o.num,
        Datum::Str(s) => eq_lowercase(s, &o.text) || (o.num.is_some() && parse_number(s) == o.num),
        Datum::List(items) => items.iter().any(|i| eq_lowercase(i, &o.text)),
    }
}

fn custom_order(v: &Datum<'_>, order: Order, o: &CustomOperand) -> bool {
    let ord = match (v.as_f64(), o.num, v, &o.date) {
        (Some(a), Some(b), _, _) => a.partial_cmp(&b),
        (_, _, Datum::Str(s), Some(date)) => date_prefix(s).map(|d| d.cmp(date)),
        _ => None,
    };
    ord.is_some_and(|ord| match order {
        Order::Lt => ord.is_lt(),
        Order::Gt => ord.is_gt(),
        Order::Le => ord.is_le(),
        Order::Ge => ord.is_ge(),
    })
}
