//! Lint of a Zendesk trigger set ([`lint_zendesk_triggers`]): what a set of
//! triggers will do wrong as a whole, found from their compiled form (the
//! typed tests and actions of [`super::compile`]), never by running them.
//!
//! Findings are `{code, severity, path, message, related}`: `path` is a
//! JSON Pointer into the triggers array (`/2/conditions/all/1`, also for a
//! `{"triggers": [...]}` input), `related` the ids (input indexes when
//! they have none) of the other triggers involved. The codes:
//!
//! | code | severity | rule |
//! |---|---|---|
//! | `never_fires` | error | the conditions cannot all hold in any update: one ticket field required to have two values, `is` and `is_not` the same value, an empty range of an ordered field (status, priority, satisfaction, type, ticket_is_public and the update counters), a tag both required and excluded, a condition and its negation, a substring required and a part of it excluded, or an `any` list none of whose members can hold with the `all` list. Sound: reported only when no update the engine can read satisfies them (conditions it cannot reason about count as satisfiable). |
//! | `depends_on_order` | info | an active trigger reads a field, tag or custom field that an active trigger before it (in firing order) writes. |
//! | `undone_by` | warning | a later active trigger fires whenever this one does and writes a different value to a field it sets, removes a tag it adds or adds one it removes. "Whenever" means: each of the later trigger's `all` conditions (and one of its `any` conditions, if it has some) is made true by this trigger's actions or follows from this trigger's `all` conditions on a field its actions leave alone. It does not account for triggers firing in between, or for the later trigger having fired already in the same update. |
//! | `missing_loop_guard` | warning | an active trigger calls a webhook or a target (`notification_webhook`, `notification_target`, which may update the ticket again) and no condition stops it from firing on that next update: no `all` condition (nor every `any` condition) is made false by its own actions, is a change operator (`changed`, `value`, `value_previous`) or is `update_type is Create`. |
//! | `inactive_dependency` | warning | an active trigger reads a field, tag or custom field that an inactive trigger writes. |
//! | `duplicate_title` | warning | two triggers have the same title (trimmed, ignoring case). |
//! | `unknown_reference` | error | (with definitions) a field, custom field or value (group, brand, option...) that the account's definitions do not list or have turned off. |
//!
//! Triggers the compiler rejects are reported with the compiler's codes
//! (`invalid_trigger`, `unknown_field`, `invalid_value`, ...: errors;
//! `unsupported_field`: info, the lint cannot reason about it) and left out
//! of the other analyses; with definitions, any other problem only the
//! definitions reveal keeps the validator's code.

use super::compile::{
    custom_operand, sorted_by_key, Action, Change, Cmp, CommentIs, Compiler, CustomSource,
    CustomTest, Operand, Test,
};
use super::eval::{changed, compare};
use super::field::{TicketField, UpdateField, NEVER, NONE, TICKET_FIELDS};
use super::{trigger_list, RuleSet, RulesError};
use crate::formats::zendesk::{ZendeskCondition, ZendeskDefinitions, ZendeskTrigger};
use crate::issue::{Issue, Pointer};
use crate::validate::zendesk::validate_zendesk_trigger;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt::Write as _;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The trigger is broken (it never fires, or refers to nothing).
    Error,
    /// The trigger set probably misbehaves.
    Warning,
    /// Worth knowing (order dependencies, triggers not analyzed).
    Info,
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LintFinding {
    /// Stable code (see [`LINT_CODES`], plus the compiler's and validator's codes).
    pub code: String,
    /// How bad it is.
    pub severity: Severity,
    /// JSON Pointer into the triggers array.
    pub path: String,
    /// What is wrong, naming the triggers and conditions involved.
    pub message: String,
    /// Ids (input indexes when they have none) of the other triggers involved.
    pub related: Vec<u64>,
}

const NEVER_FIRES: &str = "never_fires";
const DEPENDS_ON_ORDER: &str = "depends_on_order";
const UNDONE_BY: &str = "undone_by";
const MISSING_LOOP_GUARD: &str = "missing_loop_guard";
const INACTIVE_DEPENDENCY: &str = "inactive_dependency";
const DUPLICATE_TITLE: &str = "duplicate_title";
const UNKNOWN_REFERENCE: &str = "unknown_reference";

/// The lint's own codes with their severity (findings may also carry the
/// compiler's and the validator's codes for triggers that are not valid).
pub const LINT_CODES: &[(&str, Severity)] = &[
    (NEVER_FIRES, Severity::Error),
    (DEPENDS_ON_ORDER, Severity::Info),
    (UNDONE_BY, Severity::Warning),
    (MISSING_LOOP_GUARD, Severity::Warning),
    (INACTIVE_DEPENDENCY, Severity::Warning),
    (DUPLICATE_TITLE, Severity::Warning),
    (UNKNOWN_REFERENCE, Severity::Error),
];

/// Action fields that call out of Zendesk, whose receiver may update the
/// ticket again (and so run the triggers again).
const CALLS_OUT: &[&str] = &["notification_webhook", "notification_target"];

/// Above this many tests on one field, the field is not analyzed (it is
/// assumed satisfiable), which bounds the work on hostile input.
const MAX_FIELD_TESTS: usize = 16;

/// Above this many conditions, a trigger is not checked for `never_fires`
/// (pairwise checks would take too long on hostile input).
const MAX_CONDITIONS: usize = 128;

/// Above this many conditions, a contradiction is not narrowed down to a
/// pair of conditions (the finding points at the whole list).
const MAX_PAIR_SEARCH: usize = 64;

/// Lints a trigger set (an array of triggers or a List Triggers response),
/// optionally against an account's definitions document. Findings come in
/// input order of the trigger they are about. Fails only when the input is
/// not a list of triggers at all.
pub fn lint_zendesk_triggers(
    input: &Value,
    definitions: Option<&ZendeskDefinitions>,
) -> Result<Vec<LintFinding>, RulesError> {
    let list = trigger_list(input)?;
    let mut out = Findings::default();
    let mut valid = vec![true; list.len()];
    for p in RuleSet::compile_json(input)?.problems() {
        let path = p.path.strip_prefix("/triggers").unwrap_or(&p.path);
        let index = trigger_index(path);
        if let Some(v) = index.and_then(|i| valid.get_mut(i)) {
            *v = false;
        }
        let severity = match p.code.as_str() {
            "unsupported_field" => Severity::Info,
            _ => Severity::Error,
        };
        let message = match severity {
            Severity::Info => format!("{} (the trigger is not linted)", p.message),
            _ => p.message.clone(),
        };
        out.push(
            index,
            &p.code,
            severity,
            path.to_owned(),
            message,
            Vec::new(),
        );
    }
    let mut compiler = Compiler::new();
    let mut items = Vec::new();
    for (i, raw) in list.iter().enumerate() {
        if !valid.get(i).copied().unwrap_or(false) {
            continue;
        }
        if let Ok(t) = ZendeskTrigger::deserialize(raw) {
            if let Some(item) = Item::compile(&mut compiler, i, &t) {
                items.push(item);
            }
        }
    }
    let items = sorted_by_key(items, |item| item.order);
    let set = compiler.finish();
    let lint = Lint { set: &set, items };
    for item in &lint.items {
        lint.never_fires(item, &mut out);
    }
    lint.duplicate_titles(list, &mut out);
    lint.dependencies(&mut out);
    lint.undone(&mut out);
    lint.loop_guards(&mut out);
    if let Some(definitions) = definitions {
        unknown_references(list, definitions, &mut out);
    }
    Ok(out.finish())
}

/// The trigger index a path into the triggers array starts with.
fn trigger_index(path: &str) -> Option<usize> {
    path.strip_prefix('/')?.split('/').next()?.parse().ok()
}

/// Findings with the index of the trigger each is about (for ordering).
#[derive(Default)]
struct Findings(Vec<(usize, LintFinding)>);

impl Findings {
    fn push(
        &mut self,
        index: Option<usize>,
        code: &str,
        severity: Severity,
        path: String,
        message: String,
        related: Vec<u64>,
    ) {
        let finding = LintFinding {
            code: code.to_owned(),
            severity,
            path,
            message,
            related,
        };
        self.0.push((index.unwrap_or(usize::MAX), finding));
    }

    fn finish(self) -> Vec<LintFinding> {
        sorted_by_key(self.0, |(index, _)| *index)
            .into_iter()
            .map(|(_, f)| f)
            .collect()
    }
}

/// Which condition list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    All,
    Any,
}

/// One compiled condition and where it is.
struct Cond {
    list: List,
    index: usize,
    test: Test,
    /// `field operator value` as written.
    label: String,
}

/// One valid trigger, compiled condition by condition.
struct Item {
    index: usize,
    key: u64,
    title: String,
    active: bool,
    order: (i64, u64, usize),
    conds: Vec<Cond>,
    actions: Vec<(usize, Action)>,
    after: After,
    /// What its conditions read, each with the first condition reading it.
    reads: Vec<(Res, usize)>,
    /// Whether its conditions can never all hold.
    never: bool,
}

impl Item {
    fn compile(compiler: &mut Compiler, index: usize, t: &ZendeskTrigger) -> Option<Item> {
        let at = Pointer::root().index(index);
        let mut conds = Vec::new();
        for (list, name, conditions) in [
            (List::All, "all", &t.conditions.all),
            (List::Any, "any", &t.conditions.any),
        ] {
            let at = at.key("conditions").key(name);
            for (j, c) in conditions.iter().flatten().enumerate() {
                let test = compiler.condition(c, &at.index(j)).ok()?;
                conds.push(Cond {
                    list,
                    index: j,
                    test,
                    label: label(c),
                });
            }
        }
        let mut actions = Vec::new();
        for (k, a) in t.actions.iter().enumerate() {
            actions.push((k, compiler.action(a, &at.key("actions").index(k)).ok()?));
        }
        let after = After::of(&actions);
        let mut reads_list: Vec<(Res, usize)> = Vec::new();
        for (i, c) in conds.iter().enumerate() {
            for r in reads(&c.test) {
                if !reads_list.iter().any(|(s, _)| *s == r) {
                    reads_list.push((r, i));
                }
            }
        }
        let mut item = Item {
            index,
            key: t.id.unwrap_or(index as u64),
            title: t.title.clone(),
            active: t.active,
            order: (
                t.position.unwrap_or(i64::MAX),
                t.id.unwrap_or(u64::MAX),
                index,
            ),
            conds,
            actions,
            after,
            reads: reads_list,
            never: false,
        };
        item.never = item.contradiction().is_some();
        Some(item)
    }

    fn tests(&self, list: List) -> impl Iterator<Item = &Cond> + '_ {
        self.conds.iter().filter(move |c| c.list == list)
    }

    fn path(&self, cond: &Cond) -> String {
        let list = match cond.list {
            List::All => "all",
            List::Any => "any",
        };
        format!("/{}/conditions/{list}/{}", self.index, cond.index)
    }

    /// `trigger 12 "Title"`.
    fn name(&self) -> String {
        format!("trigger {} {:?}", self.key, self.title)
    }

    /// Why the conditions can never all hold: the conditions to blame
    /// (one or two, or none when only the whole list is contradictory) and
    /// whether the `any` list is to blame.
    fn contradiction(&self) -> Option<(Vec<&Cond>, List)> {
        if self.conds.len() > MAX_CONDITIONS {
            return None;
        }
        let all: Vec<&Cond> = self.tests(List::All).collect();
        let tests: Vec<&Test> = all.iter().map(|c| &c.test).collect();
        if !satisfiable(&tests) {
            return Some((culprits(&all), List::All));
        }
        let any: Vec<&Cond> = self.tests(List::Any).collect();
        if any.is_empty() {
            return None;
        }
        let mut with = tests;
        for c in &any {
            with.push(&c.test);
            let ok = satisfiable(&with);
            with.pop();
            if ok {
                return None;
            }
        }
        Some((Vec::new(), List::Any))
    }
}

/// The conditions to blame for a contradictory list: one that cannot hold
/// alone, or the first pair that cannot hold together.
fn culprits<'c>(conds: &[&'c Cond]) -> Vec<&'c Cond> {
    if conds.len() > MAX_PAIR_SEARCH {
        return Vec::new();
    }
    for c in conds {
        if !satisfiable(&[&c.test]) {
            return vec![*c];
        }
    }
    for (i, a) in conds.iter().enumerate() {
        for b in conds.iter().skip(i + 1) {
            if !satisfiable(&[&a.test, &b.test]) {
                return vec![*a, *b];
            }
        }
    }
    Vec::new()
}

fn label(c: &ZendeskCondition) -> String {
    let mut s = format!("{} {}", c.field, c.operator);
    match c.value.as_ref().map(super::to_serde) {
        Some(Value::String(v)) => {
            let _ = write!(s, " {v:?}");
        }
        Some(Value::Null) | None => {}
        Some(v) => {
            let _ = write!(s, " {v}");
        }
    }
    s
}

/// A ticket field, tag or custom field: what conditions read and actions write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Res {
    Field(TicketField),
    Tag(u32),
    Custom(u32),
}

/// What the writable parts of the ticket read by a test.
fn reads(test: &Test) -> Vec<Res> {
    match test {
        Test::Ticket { field, .. } | Test::TicketChange { field, .. } => vec![Res::Field(*field)],
        Test::Tags { ids, .. } => ids.ids().map(Res::Tag).collect(),
        Test::Custom {
            source: CustomSource::Ticket,
            slot,
            ..
        }
        | Test::CustomChange { slot, .. } => vec![Res::Custom(*slot)],
        _ => Vec::new(),
    }
}

/// The condition name of a ticket field.
fn field_name(field: TicketField) -> &'static str {
    match field {
        TicketField::Satisfaction => "satisfaction_score",
        TicketField::IsPublic => "ticket_is_public",
        f => f.json_key(),
    }
}

/// What a trigger's actions leave in the ticket, as far as known, with the
/// index of the action that wrote each part last.
#[derive(Debug, Default)]
struct After {
    /// Per ticket field: written by action k, to a known value or not.
    fields: [Option<(usize, Option<u64>)>; TICKET_FIELDS],
    /// Tags written: present or not, by action k.
    tags: FxHashMap<u32, (usize, bool)>,
    /// A `set_tags` action (its index) removed every tag it did not list.
    reset: Option<usize>,
    /// Custom fields written (slot -> (action k, value)).
    custom: FxHashMap<u32, (usize, Value)>,
}

/// What an `After` says about a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// The actions write nothing the test reads.
    NotWritten,
    /// They write what it reads, to values that do not settle it.
    Unknown,
    /// After the actions the test has this result.
    Is(bool),
}

impl After {
    fn of(actions: &[(usize, Action)]) -> After {
        let mut after = After::default();
        for (k, action) in actions {
            let k = *k;
            match action {
                Action::Set { field, value } => {
                    let v = match value {
                        Operand::Lit(v) => Some(*v),
                        Operand::CurrentUser => None,
                    };
                    after.set_field(*field, k, v);
                }
                Action::OfferSatisfaction => after.set_field(TicketField::Satisfaction, k, None),
                Action::SetTags(ids) => {
                    after.tags.clear();
                    after.reset = Some(k);
                    for id in ids.iter() {
                        after.tags.insert(*id, (k, true));
                    }
                }
                Action::AddTags(ids) => {
                    for id in ids.iter() {
                        after.tags.insert(*id, (k, true));
                    }
                }
                Action::RemoveTags(ids) => {
                    for id in ids.iter() {
                        after.tags.insert(*id, (k, false));
                    }
                }
                Action::SetCustom { slot, value } => {
                    after.custom.insert(*slot, (k, value.clone()));
                }
                Action::Effect { .. } => {}
            }
        }
        after
    }

    fn set_field(&mut self, field: TicketField, k: usize, v: Option<u64>) {
        if let Some(f) = self.fields.get_mut(field.index()) {
            *f = Some((k, v));
        }
    }

    fn field(&self, field: TicketField) -> Option<(usize, Option<u64>)> {
        self.fields.get(field.index()).copied().flatten()
    }

    /// Whether a tag is present after the actions, if they settle it.
    fn tag(&self, id: u32) -> Option<bool> {
        match self.tags.get(&id) {
            Some((_, present)) => Some(*present),
            None => self.reset.map(|_| false),
        }
    }

    fn writes(&self, res: Res) -> bool {
        match res {
            Res::Field(f) => self.field(f).is_some(),
            Res::Tag(id) => self.tag(id).is_some(),
            Res::Custom(slot) => self.custom.contains_key(&slot),
        }
    }

    /// The result of `test` on the ticket the actions leave.
    fn test(&self, test: &Test) -> Known {
        match test {
            Test::Ticket { field, cmp, value } => match (self.field(*field), value) {
                (None, _) => Known::NotWritten,
                (Some((_, Some(v))), Operand::Lit(x)) => Known::Is(compare(v, *cmp, *x)),
                (Some(_), _) => Known::Unknown,
            },
            Test::Tags { ids, negate } => {
                let states: Vec<Option<bool>> = ids.ids().map(|id| self.tag(id)).collect();
                if states.iter().all(Option::is_none) {
                    Known::NotWritten
                } else if states.contains(&Some(true)) {
                    Known::Is(!*negate)
                } else if states.iter().all(|s| *s == Some(false)) {
                    Known::Is(*negate)
                } else {
                    Known::Unknown
                }
            }
            Test::Custom {
                source: CustomSource::Ticket,
                slot,
                test,
            } => match (self.custom.get(slot), test) {
                (None, _) => Known::NotWritten,
                (Some((_, value)), CustomTest::Is(o, negate)) => {
                    // Equal texts always compare equal (other values may too).
                    match custom_operand(value) {
                        Some(v) if v.text == o.text => Known::Is(!*negate),
                        _ => Known::Unknown,
                    }
                }
                (Some(_), _) => Known::Unknown,
            },
            t => {
                if reads(t).into_iter().any(|r| self.writes(r)) {
                    Known::Unknown
                } else {
                    Known::NotWritten
                }
            }
        }
    }
}

/// A test on one integer field: now, or as a change since before the update.
#[derive(Debug, Clone, Copy)]
enum FieldTest {
    Now(Cmp, u64),
    Change(Change, u64),
}

impl FieldTest {
    fn holds(self, cur: u64, prev: u64) -> bool {
        match self {
            FieldTest::Now(cmp, v) => compare(cur, cmp, v),
            FieldTest::Change(c, v) => changed(c, cur != prev, cur == v, prev == v),
        }
    }

    fn constant(self) -> u64 {
        match self {
            FieldTest::Now(_, v) | FieldTest::Change(_, v) => v,
        }
    }
}

/// An integer field a test reads: of the ticket, or of the update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Ticket(TicketField),
    Update(UpdateField),
}

/// The field test a test is, if it is one with a literal value.
fn field_test(test: &Test) -> Option<(Slot, FieldTest)> {
    match test {
        Test::Ticket {
            field,
            cmp,
            value: Operand::Lit(v),
        } => Some((Slot::Ticket(*field), FieldTest::Now(*cmp, *v))),
        Test::TicketChange {
            field,
            change,
            value: Operand::Lit(v),
        } => Some((Slot::Ticket(*field), FieldTest::Change(*change, *v))),
        Test::Update { field, cmp, value } => {
            Some((Slot::Update(*field), FieldTest::Now(*cmp, *value)))
        }
        _ => None,
    }
}

/// The largest value a field can have besides [`NONE`], for fields the
/// engine only ever fills from a short list (ranks, booleans).
fn finite_max(slot: Slot) -> Option<u64> {
    use TicketField as T;
    match slot {
        Slot::Ticket(T::Status | T::Satisfaction) => Some(5),
        Slot::Ticket(T::Priority) => Some(4),
        Slot::Ticket(T::Type) => Some(3),
        Slot::Ticket(T::IsPublic) => Some(1),
        _ => None,
    }
}

/// Values that stand for every value the field can have, as far as the
/// tests can tell: the whole list for short fields; otherwise no value,
/// the tests' constants and two neighbours on each side of each (so every
/// interval between constants has two distinct members), and small values.
fn candidates(slot: Slot, tests: &[FieldTest]) -> Vec<u64> {
    let mut values = vec![NONE, NEVER];
    match finite_max(slot) {
        Some(max) => values.extend(0..=max),
        None => {
            values.extend([0, 1, 2, NEVER - 1, NEVER - 2]);
            for t in tests {
                let k = t.constant();
                values.extend((k.saturating_sub(2)..=k.saturating_add(2)).take(5));
            }
        }
    }
    values.sort_unstable();
    values.dedup();
    if finite_max(slot).is_some() {
        values.retain(|v| *v != NEVER);
    }
    values
}

/// Whether some value (and value before the update) of one field passes
/// all its tests.
fn field_satisfiable(slot: Slot, tests: &[FieldTest]) -> bool {
    if tests.len() > MAX_FIELD_TESTS {
        return true;
    }
    let values = candidates(slot, tests);
    let changes = tests.iter().any(|t| matches!(t, FieldTest::Change(..)));
    values.iter().any(|&cur| {
        if changes {
            values
                .iter()
                .any(|&prev| tests.iter().all(|t| t.holds(cur, prev)))
        } else {
            tests.iter().all(|t| t.holds(cur, cur))
        }
    })
}

/// Whether every value of one field that passes `given` also passes `test`.
fn field_implies(slot: Slot, given: &[FieldTest], test: FieldTest) -> bool {
    if given.is_empty() || given.len() > MAX_FIELD_TESTS {
        return false;
    }
    let mut all = given.to_vec();
    all.push(test);
    let values = candidates(slot, &all);
    values.iter().all(|&cur| {
        values
            .iter()
            .all(|&prev| !given.iter().all(|t| t.holds(cur, prev)) || test.holds(cur, prev))
    })
}

/// The test that holds exactly when `test` does not, when it is one of the
/// kinds whose negation is a test too.
fn negation(test: &Test) -> Option<Test> {
    let mut t = test.clone();
    match &mut t {
        Test::Tags { negate, .. }
        | Test::Words { negate, .. }
        | Test::Substring { negate, .. }
        | Test::Recipient { negate, .. } => *negate = !*negate,
        Test::TicketChange { change, .. } | Test::CustomChange { change, .. } => {
            change.negate = !change.negate;
        }
        Test::Custom { test, .. } => match test {
            CustomTest::Is(_, negate)
            | CustomTest::Present(negate)
            | CustomTest::Words { negate, .. }
            | CustomTest::Substring(_, negate) => *negate = !*negate,
            CustomTest::Order(..) => return None,
        },
        _ => return None,
    }
    Some(t)
}

/// Whether two tests can never hold together (beyond field ranges).
fn contradict(a: &Test, b: &Test) -> bool {
    if negation(a).as_ref() == Some(b) {
        return true;
    }
    let contains = |hay: &str, needle: &str| hay.contains(needle);
    match (a, b) {
        (Test::Comment(x), Test::Comment(y)) => matches!(
            (x, y),
            (CommentIs::Public, CommentIs::Private) | (CommentIs::Private, CommentIs::Public)
        ),
        (
            Test::Recipient {
                address: x,
                negate: false,
            },
            Test::Recipient {
                address: y,
                negate: false,
            },
        ) => x != y,
        (
            Test::Substring {
                source: s1,
                needle: p,
                negate: false,
            },
            Test::Substring {
                source: s2,
                needle: n,
                negate: true,
            },
        ) => s1 == s2 && contains(p, n),
        (
            Test::Custom {
                source: s1,
                slot: k1,
                test: x,
            },
            Test::Custom {
                source: s2,
                slot: k2,
                test: y,
            },
        ) if s1 == s2 && k1 == k2 => match (x, y) {
            (CustomTest::Substring(p, false), CustomTest::Substring(n, true)) => contains(p, n),
            // not_present leaves no value or an unchecked box.
            (CustomTest::Is(o, false), CustomTest::Present(true)) => {
                !(o.text.is_empty() || o.flag == Some(false))
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether some update the engine can read passes all the tests (tests it
/// cannot reason about count as passing).
fn satisfiable(tests: &[&Test]) -> bool {
    for (i, a) in tests.iter().enumerate() {
        for b in tests.iter().skip(i + 1) {
            if contradict(a, b) || contradict(b, a) {
                return false;
            }
        }
    }
    let mut fields: Vec<(Slot, Vec<FieldTest>)> = Vec::new();
    for (slot, t) in tests.iter().filter_map(|t| field_test(t)) {
        match fields.iter_mut().find(|(s, _)| *s == slot) {
            Some((_, list)) => list.push(t),
            None => fields.push((slot, vec![t])),
        }
    }
    if !fields
        .iter()
        .all(|(slot, list)| field_satisfiable(*slot, list))
    {
        return false;
    }
    // A required tag must be one no `not_includes` excludes.
    let excluded: Vec<u32> = tests
        .iter()
        .filter_map(|t| match t {
            Test::Tags { ids, negate: true } => Some(ids.ids()),
            _ => None,
        })
        .flatten()
        .collect();
    tests.iter().all(|t| match t {
        Test::Tags { ids, negate: false } => ids.ids().any(|id| !excluded.contains(&id)),
        _ => true,
    })
}

/// The field tests of `conds` on `slot`.
fn field_tests<'c>(conds: impl Iterator<Item = &'c Cond>, slot: Slot) -> Vec<FieldTest> {
    conds
        .filter_map(|c| field_test(&c.test))
        .filter(|(s, _)| *s == slot)
        .map(|(_, t)| t)
        .collect()
}

/// A write of one trigger that a later one undoes.
enum Undo<'i> {
    /// A ticket field set to `.1`, later to `.2`.
    Field(TicketField, u64, u64),
    /// A tag added (true) or removed (false), later the opposite.
    Tag(u32, bool),
    /// A custom field set to `.1`, later to `.2`.
    Custom(u32, &'i Value, &'i Value),
}

/// The triggers that write what one trigger reads, for its finding.
#[derive(Default)]
struct Writers {
    keys: Vec<u64>,
    /// `status (trigger 1 "Triage")` for the first few writers.
    named: Vec<String>,
    /// The path of the first condition that reads what a writer writes.
    path: Option<String>,
}

impl Writers {
    /// Writers named in a message; the others are only counted.
    const NAMED: usize = 5;

    /// Adds a writer; `what` names what it writes (called only for the
    /// writers a message names).
    fn add(&mut self, writer: &Item, what: impl FnOnce() -> String, path: impl FnOnce() -> String) {
        self.keys.push(writer.key);
        if self.named.len() < Self::NAMED {
            self.named.push(format!("{} ({})", what(), writer.name()));
        }
        if self.path.is_none() {
            self.path = Some(path());
        }
    }

    /// The path and the list of writers, if any.
    fn finish(&self) -> Option<(String, String)> {
        let path = self.path.clone()?;
        let mut list = self.named.join("; ");
        let more = self.keys.len().saturating_sub(self.named.len());
        if more > 0 {
            let _ = write!(list, "; and {more} more");
        }
        Some((path, list))
    }
}

/// The analyses over the valid triggers, in firing order.
struct Lint<'s> {
    set: &'s RuleSet,
    items: Vec<Item>,
}

impl Lint<'_> {
    fn res_name(&self, res: Res) -> String {
        match res {
            Res::Field(f) => field_name(f).to_owned(),
            Res::Tag(id) => format!("tag {:?}", self.set.tags.word(id).unwrap_or("?")),
            Res::Custom(slot) => match self.set.custom_ids.get(slot as usize) {
                Some(id) => format!("custom_fields_{id}"),
                None => "a custom field".to_owned(),
            },
        }
    }

    fn never_fires(&self, item: &Item, out: &mut Findings) {
        let Some((blame, list)) = item.contradiction() else {
            return;
        };
        let (path, message) = match (list, blame.as_slice()) {
            (List::Any, _) => (
                format!("/{}/conditions/any", item.index),
                "none of the `any` conditions can hold together with the `all` conditions, so the trigger never fires".to_owned(),
            ),
            (List::All, [one]) => (
                item.path(one),
                format!("`{}` can never hold, so the trigger never fires", one.label),
            ),
            (List::All, [first, second, ..]) => (
                item.path(second),
                format!(
                    "`{}` and `{}` (/{}/conditions/all/{}) cannot both hold, so the trigger never fires",
                    second.label, first.label, item.index, first.index
                ),
            ),
            (List::All, []) => (
                format!("/{}/conditions/all", item.index),
                "the `all` conditions cannot all hold together, so the trigger never fires"
                    .to_owned(),
            ),
        };
        out.push(
            Some(item.index),
            NEVER_FIRES,
            Severity::Error,
            path,
            message,
            Vec::new(),
        );
    }

    fn duplicate_titles(&self, list: &[Value], out: &mut Findings) {
        let mut seen: FxHashMap<String, u64> = FxHashMap::default();
        for (i, raw) in list.iter().enumerate() {
            let Some(title) = raw.get("title").and_then(Value::as_str) else {
                continue;
            };
            let normalized = title.trim().to_lowercase();
            if normalized.is_empty() {
                continue;
            }
            let key = raw.get("id").and_then(Value::as_u64).unwrap_or(i as u64);
            match seen.get(&normalized) {
                Some(&first) => out.push(
                    Some(i),
                    DUPLICATE_TITLE,
                    Severity::Warning,
                    format!("/{i}/title"),
                    format!("trigger {first} already has the title {title:?}"),
                    vec![first],
                ),
                None => {
                    seen.insert(normalized, key);
                }
            }
        }
    }

    /// `depends_on_order` and `inactive_dependency`: one finding per
    /// reading trigger and kind, naming every writer.
    fn dependencies(&self, out: &mut Findings) {
        for (b_rank, b) in self.items.iter().enumerate() {
            if !b.active || b.never {
                continue;
            }
            let mut earlier = Writers::default();
            let mut inactive = Writers::default();
            for (a_rank, a) in self.items.iter().enumerate() {
                if a_rank == b_rank || a.never || (a.active && a_rank > b_rank) {
                    continue;
                }
                let mut shared = b
                    .reads
                    .iter()
                    .filter(|(r, _)| a.after.writes(*r))
                    .peekable();
                let Some(&&(_, first)) = shared.peek() else {
                    continue;
                };
                let first = || b.conds.get(first).map(|c| b.path(c)).unwrap_or_default();
                let writers = if a.active {
                    &mut earlier
                } else {
                    &mut inactive
                };
                let names = |shared: &mut dyn Iterator<Item = &(Res, usize)>| {
                    let names: Vec<String> = shared.map(|(r, _)| self.res_name(*r)).collect();
                    names.join(", ")
                };
                writers.add(a, || names(&mut shared), first);
            }
            if let Some((path, list)) = earlier.finish() {
                out.push(
                    Some(b.index),
                    DEPENDS_ON_ORDER,
                    Severity::Info,
                    path,
                    format!("reads what triggers earlier in firing order write, so whether it fires depends on them firing first: {list}"),
                    earlier.keys,
                );
            }
            if let Some((path, list)) = inactive.finish() {
                out.push(
                    Some(b.index),
                    INACTIVE_DEPENDENCY,
                    Severity::Warning,
                    path,
                    format!("reads what inactive triggers write, so it depends on triggers that do not run: {list}"),
                    inactive.keys,
                );
            }
        }
    }

    /// Whether `test` holds whenever trigger `a` has just fired.
    fn implied(&self, a: &Item, test: &Test) -> bool {
        match a.after.test(test) {
            Known::Is(result) => result,
            Known::Unknown => false,
            Known::NotWritten => {
                if a.tests(List::All).any(|c| c.test == *test) {
                    return true;
                }
                match field_test(test) {
                    Some((slot, t)) => {
                        field_implies(slot, &field_tests(a.tests(List::All), slot), t)
                    }
                    None => false,
                }
            }
        }
    }

    /// Whether `b`'s conditions hold whenever `a` has just fired.
    fn fires_after(&self, a: &Item, b: &Item) -> bool {
        b.tests(List::All).all(|c| self.implied(a, &c.test)) && {
            let mut any = b.tests(List::Any).peekable();
            any.peek().is_none() || any.any(|c| self.implied(a, &c.test))
        }
    }

    /// What of `a`'s writes `b`'s writes undo, with `a`'s action index.
    fn overrides<'i>(&self, a: &'i Item, b: &'i Item) -> Vec<(usize, Undo<'i>)> {
        let mut undone = Vec::new();
        for field in TicketField::ALL {
            if let (Some((k, Some(v))), Some((_, Some(w)))) =
                (a.after.field(field), b.after.field(field))
            {
                if v != w {
                    undone.push((k, Undo::Field(field, v, w)));
                }
            }
        }
        for (&id, &(k, present)) in &a.after.tags {
            if b.after.tag(id) == Some(!present) {
                undone.push((k, Undo::Tag(id, present)));
            }
        }
        for (&slot, (k, v)) in &a.after.custom {
            if let Some((_, w)) = b.after.custom.get(&slot) {
                if w != v {
                    undone.push((*k, Undo::Custom(slot, v, w)));
                }
            }
        }
        sorted_by_key(undone, |(k, _)| *k)
    }

    fn undo_text(&self, undo: &Undo<'_>) -> String {
        match undo {
            Undo::Field(field, v, w) => format!(
                "sets {} to {} (this trigger sets {})",
                field_name(*field),
                field.encode(*w),
                field.encode(*v)
            ),
            Undo::Tag(id, present) => {
                let name = self.res_name(Res::Tag(*id));
                if *present {
                    format!("removes {name} (this trigger adds it)")
                } else {
                    format!("adds {name} (this trigger removes it)")
                }
            }
            Undo::Custom(slot, v, w) => {
                let name = self.res_name(Res::Custom(*slot));
                format!("sets {name} to {w} (this trigger sets {v})")
            }
        }
    }

    fn undone(&self, out: &mut Findings) {
        for (rank, a) in self.items.iter().enumerate() {
            if !a.active || a.never {
                continue;
            }
            for b in self.items.iter().skip(rank + 1) {
                if !b.active || b.never {
                    continue;
                }
                let undone = self.overrides(a, b);
                if undone.is_empty() || !self.fires_after(a, b) {
                    continue;
                }
                for (k, undo) in undone {
                    let what = self.undo_text(&undo);
                    out.push(
                        Some(a.index),
                        UNDONE_BY,
                        Severity::Warning,
                        format!("/{}/actions/{k}", a.index),
                        format!(
                            "{} comes later, fires whenever this trigger fires, and {what}",
                            b.name()
                        ),
                        vec![b.key],
                    );
                }
            }
        }
    }

    /// Whether a condition stops `item` from firing again on the update a
    /// webhook or target makes after it fired.
    fn guards(item: &Item, test: &Test) -> bool {
        match test {
            // changed, value and value_previous need the update to change the field.
            Test::TicketChange { change, .. } | Test::CustomChange { change, .. } => !change.negate,
            Test::Update {
                field: UpdateField::UpdateType,
                cmp: Cmp::Eq,
                value: 0,
            } => true,
            t => item.after.test(t) == Known::Is(false),
        }
    }

    fn loop_guards(&self, out: &mut Findings) {
        for item in &self.items {
            if !item.active || item.never {
                continue;
            }
            let Some((k, field)) = item.actions.iter().find_map(|(k, a)| match a {
                Action::Effect { field, .. } if CALLS_OUT.contains(&&**field) => Some((k, field)),
                _ => None,
            }) else {
                continue;
            };
            let guarded = item.tests(List::All).any(|c| Self::guards(item, &c.test)) || {
                let mut any = item.tests(List::Any).peekable();
                any.peek().is_some() && any.all(|c| Self::guards(item, &c.test))
            };
            if guarded {
                continue;
            }
            out.push(
                Some(item.index),
                MISSING_LOOP_GUARD,
                Severity::Warning,
                format!("/{}/actions/{k}", item.index),
                format!(
                    "{field} may update the ticket again, and no condition of this trigger becomes false once it has fired: add a tag in the actions and a `current_tags not_includes` condition on it (or another condition its actions make false)"
                ),
                Vec::new(),
            );
        }
    }
}

/// `unknown_reference` (and other problems only the definitions reveal):
/// each trigger is validated with and without the definitions, and the
/// errors only the first gives are reported.
fn unknown_references(list: &[Value], definitions: &ZendeskDefinitions, out: &mut Findings) {
    for (i, raw) in list.iter().enumerate() {
        let raw = &crate::json::Value::from(raw);
        let plain = validate_zendesk_trigger(raw, None).errors;
        let known = |issue: &Issue| {
            plain
                .iter()
                .any(|p| p.path == issue.path && p.code == issue.code)
        };
        for issue in validate_zendesk_trigger(raw, Some(definitions)).errors {
            if known(&issue) {
                continue;
            }
            let code = match issue.code.as_str() {
                "unknown_field" | "invalid_value" => UNKNOWN_REFERENCE,
                other => other,
            };
            out.push(
                Some(i),
                code,
                Severity::Error,
                format!("/{i}{}", issue.path),
                issue.message,
                Vec::new(),
            );
        }
    }
}
