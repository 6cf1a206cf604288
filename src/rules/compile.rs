//! The trigger compiler: Zendesk `{field, operator, value}` conditions and
//! `{field, value}` actions become typed tests and actions over the integer
//! encoding of [`super::field`], with tags and words interned once. A
//! trigger that does not compile is reported (located, with a stable code)
//! and left out of the rule set; the others still run.

use super::field::{
    id_of, rank_in, satisfaction_of, via_of, Datum, TicketField, UpdateField, NONE, PRIORITY,
    STATUS,
};
use super::text::{lowercase_into, phrases, IdSet, Phrases};
use super::{to_serde, RuleSet};
use crate::formats::zendesk::{ZendeskAction, ZendeskCondition, ZendeskTrigger};
use crate::issue::{Issue, Pointer};
use rustc_hash::FxHashSet;
use serde_json::Value;

/// Which text of the update a word condition reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Subject,
    Comment,
}

/// Whose custom fields a custom-field condition reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CustomSource {
    Ticket,
    Requester,
    Organization,
}

/// An integer comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Gt,
}

/// The right-hand side of a ticket-field test or action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operand {
    Lit(u64),
    /// The id of the user making the update.
    CurrentUser,
}

/// A change operator: `changed` (Any), `value` (To), `value_previous`
/// (From), and their negations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Change {
    pub kind: ChangeKind,
    pub negate: bool,
}

/// What a change operator asks about the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeKind {
    Any,
    To,
    From,
}

/// The `comment_is_public` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CommentIs {
    Public,
    Private,
    Present,
}

/// A custom-field condition value in every form a field may compare it in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CustomOperand {
    /// Lowercase text ("" for no value).
    pub text: Box<str>,
    pub num: Option<f64>,
    pub flag: Option<bool>,
    /// `YYYY-MM-DD` when the value is a date.
    pub date: Option<Box<str>>,
}

/// Ordering comparisons on custom fields (numbers or dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Lt,
    Gt,
    Le,
    Ge,
}

/// A test on one custom field value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CustomTest {
    Is(CustomOperand, bool),
    Present(bool),
    Words {
        phrases: Phrases,
        words: Box<[Box<str>]>,
        negate: bool,
    },
    Substring(Box<str>, bool),
    Order(Order, CustomOperand),
}

/// One compiled condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Test {
    Ticket {
        field: TicketField,
        cmp: Cmp,
        value: Operand,
    },
    TicketChange {
        field: TicketField,
        change: Change,
        value: Operand,
    },
    Update {
        field: UpdateField,
        cmp: Cmp,
        value: u64,
    },
    Tags {
        ids: IdSet,
        negate: bool,
    },
    Words {
        source: Source,
        phrases: Phrases,
        negate: bool,
    },
    Substring {
        source: Source,
        needle: Box<str>,
        negate: bool,
    },
    Comment(CommentIs),
    Recipient {
        address: Box<str>,
        negate: bool,
    },
    Custom {
        source: CustomSource,
        slot: u32,
        test: CustomTest,
    },
    CustomChange {
        slot: u32,
        change: Change,
        value: Option<CustomOperand>,
    },
}

impl Test {
    /// Rough evaluation cost, so `all` and `any` try cheap tests first
    /// (conditions have no side effects, so their order is free).
    fn cost(&self) -> u8 {
        match self {
            Test::Ticket { .. }
            | Test::TicketChange { .. }
            | Test::Update { .. }
            | Test::Comment(_) => 0,
            Test::Tags { .. } => 1,
            Test::Custom { .. } | Test::CustomChange { .. } | Test::Recipient { .. } => 2,
            Test::Words { .. } | Test::Substring { .. } => 3,
        }
    }
}

/// One compiled action.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    Set { field: TicketField, value: Operand },
    SetTags(Box<[u32]>),
    AddTags(Box<[u32]>),
    RemoveTags(Box<[u32]>),
    SetCustom { slot: u32, value: Value },
    OfferSatisfaction,
    Effect { field: Box<str>, value: Value },
}

/// One compiled, active trigger.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    /// The trigger id, or its input index when it has none.
    pub key: u64,
    pub all: Box<[Test]>,
    pub any: Box<[Test]>,
    pub actions: Box<[Action]>,
    /// Whether any action changes the ticket (not only effects).
    pub mutates: bool,
    /// The trigger as written, for traces (kept out of the evaluator's way).
    pub source: Box<RuleSource>,
}

/// A compiled trigger's source text: its title, and the `{field, operator,
/// value}` of each condition in the order of [`Rule::all`] and
/// [`Rule::any`] (cheap tests first), and of each action in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct RuleSource {
    pub title: Box<str>,
    pub all: Box<[ZendeskCondition]>,
    pub any: Box<[ZendeskCondition]>,
    pub actions: Box<[ZendeskAction]>,
}

/// What the compiled rules read from an update, so reading skips the rest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    pub subject_words: bool,
    pub subject_text: bool,
    pub comment_words: bool,
    pub comment_text: bool,
    pub recipient: bool,
    /// Ticket fields conditions read (bit per [`TicketField`] index).
    pub ticket_fields: u16,
    /// Ticket fields change operators compare with the ticket before.
    pub previous_fields: u16,
    /// Whether a change operator reads a custom field before the update.
    pub previous_custom: bool,
}

impl Needs {
    /// Whether anything reads the ticket before the update.
    pub(crate) fn previous(&self) -> bool {
        self.previous_fields != 0 || self.previous_custom
    }
}

/// The bit of `field` in [`Needs::ticket_fields`] and [`Needs::previous_fields`].
pub(crate) fn field_bit(field: TicketField) -> u16 {
    1 << field.index()
}

/// Stable codes of compile problems.
pub(crate) mod codes {
    pub const INVALID_TRIGGER: &str = "invalid_trigger";
    pub const DUPLICATE_ID: &str = "duplicate_id";
    pub const UNKNOWN_FIELD: &str = "unknown_field";
    pub const UNSUPPORTED_FIELD: &str = "unsupported_field";
    pub const INVALID_OPERATOR: &str = "invalid_operator";
    pub const INVALID_VALUE: &str = "invalid_value";
    pub const UNKNOWN_ACTION: &str = "unknown_action";
    pub const INVALID_ACTION_VALUE: &str = "invalid_action_value";
}

/// Condition fields of the reference that need data an update does not
/// carry (time, Twitter, attachments...): reported as unsupported.
const UNSUPPORTED: &[&str] = &[
    "description_includes_word",
    "requester_twitter_followers_count",
    "requester_twitter_statuses_count",
    "requester_twitter_verified",
    "ticket_type_id",
    "exact_created_at",
    "NEW",
    "OPEN",
    "PENDING",
    "SOLVED",
    "CLOSED",
    "assigned_at",
    "updated_at",
    "requester_updated_at",
    "assignee_updated_at",
    "due_date",
    "until_due_date",
    "ticket_due_date",
    "cc",
    "attachment",
    "custom_status_id",
    "schedule_id",
    "within_schedule",
    "via_subtype_id",
    "satisfaction_reason_code",
    "number_of_incidents",
];

/// Action fields recorded as effects rather than applied to the ticket.
const EFFECTS: &[&str] = &[
    "notification_user",
    "notification_group",
    "notification_target",
    "notification_webhook",
    "notification_sms_user",
    "notification_sms_group",
    "notification_messaging_csat",
    "tweet_requester",
    "cc",
    "follower",
    "share_ticket",
    "deflection",
    "add_skills",
    "set_skills",
    "locale_id",
    "custom_status_id",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Is,
    IsNot,
    Lt,
    Gt,
    Le,
    Ge,
    Changed,
    To,
    From,
    NotChanged,
    NotTo,
    NotFrom,
    Includes,
    NotIncludes,
    IncludesString,
    NotIncludesString,
    Present,
    NotPresent,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            // The reference says "omit the operator" for some fields.
            "" | "is" => Op::Is,
            "is_not" => Op::IsNot,
            "less_than" => Op::Lt,
            "greater_than" => Op::Gt,
            "less_than_equal" => Op::Le,
            "greater_than_equal" => Op::Ge,
            "changed" => Op::Changed,
            "value" => Op::To,
            "value_previous" => Op::From,
            "not_changed" => Op::NotChanged,
            "not_value" => Op::NotTo,
            "not_value_previous" => Op::NotFrom,
            "includes" => Op::Includes,
            "not_includes" => Op::NotIncludes,
            "includes_string" => Op::IncludesString,
            "not_includes_string" => Op::NotIncludesString,
            "present" => Op::Present,
            "not_present" => Op::NotPresent,
            _ => return None,
        })
    }

    /// The integer comparison of `is`, `is_not`, `less_than`, `greater_than`.
    fn cmp(self) -> Cmp {
        match self {
            Op::IsNot => Cmp::Ne,
            Op::Lt => Cmp::Lt,
            Op::Gt => Cmp::Gt,
            _ => Cmp::Eq,
        }
    }

    fn change(self) -> Option<Change> {
        let (kind, negate) = match self {
            Op::Changed => (ChangeKind::Any, false),
            Op::NotChanged => (ChangeKind::Any, true),
            Op::To => (ChangeKind::To, false),
            Op::NotTo => (ChangeKind::To, true),
            Op::From => (ChangeKind::From, false),
            Op::NotFrom => (ChangeKind::From, true),
            _ => return None,
        };
        Some(Change { kind, negate })
    }
}

const CHANGE_OPS: &[Op] = &[
    Op::Changed,
    Op::To,
    Op::From,
    Op::NotChanged,
    Op::NotTo,
    Op::NotFrom,
];

/// What a condition field designates.
enum Spec<'f> {
    Ticket(TicketField),
    Update(UpdateField),
    Tags,
    Words(Source),
    Comment,
    Recipient,
    Custom(CustomSource, &'f str),
    Unsupported,
    Unknown,
}

fn spec(field: &str) -> Spec<'_> {
    use TicketField as T;
    use UpdateField as U;
    match field {
        "status" => Spec::Ticket(T::Status),
        "priority" => Spec::Ticket(T::Priority),
        "type" => Spec::Ticket(T::Type),
        "group_id" => Spec::Ticket(T::GroupId),
        "assignee_id" => Spec::Ticket(T::AssigneeId),
        "requester_id" => Spec::Ticket(T::RequesterId),
        "organization_id" => Spec::Ticket(T::OrganizationId),
        "brand_id" => Spec::Ticket(T::BrandId),
        "ticket_form_id" => Spec::Ticket(T::TicketFormId),
        "satisfaction_score" => Spec::Ticket(T::Satisfaction),
        "via_id" => Spec::Ticket(T::ViaId),
        "ticket_is_public" => Spec::Ticket(T::IsPublic),
        "update_type" => Spec::Update(U::UpdateType),
        "current_via_id" => Spec::Update(U::CurrentViaId),
        "in_business_hours" => Spec::Update(U::InBusinessHours),
        "reopens" => Spec::Update(U::Reopens),
        "replies" => Spec::Update(U::Replies),
        "agent_stations" => Spec::Update(U::AgentStations),
        "group_stations" => Spec::Update(U::GroupStations),
        "locale_id" => Spec::Update(U::LocaleId),
        "role" => Spec::Update(U::Role),
        "current_tags" => Spec::Tags,
        "subject_includes_word" => Spec::Words(Source::Subject),
        "comment_includes_word" => Spec::Words(Source::Comment),
        "comment_is_public" => Spec::Comment,
        "recipient" => Spec::Recipient,
        _ if UNSUPPORTED.contains(&field) => Spec::Unsupported,
        _ => custom_spec(field),
    }
}

fn custom_spec(field: &str) -> Spec<'_> {
    const PREFIXES: &[(&str, CustomSource)] = &[
        ("custom_fields_", CustomSource::Ticket),
        ("requester.custom_fields.", CustomSource::Requester),
        ("requester.custom_fields_", CustomSource::Requester),
        ("user.custom_fields.", CustomSource::Requester),
        ("user.custom_fields_", CustomSource::Requester),
        ("organization.custom_fields.", CustomSource::Organization),
        ("organization.custom_fields_", CustomSource::Organization),
    ];
    for (prefix, source) in PREFIXES {
        if let Some(key) = field.strip_prefix(prefix).filter(|k| !k.is_empty()) {
            let ok = *source != CustomSource::Ticket || key.bytes().all(|b| b.is_ascii_digit());
            return if ok {
                Spec::Custom(*source, key)
            } else {
                Spec::Unknown
            };
        }
    }
    Spec::Unknown
}

/// The operators a condition field accepts.
fn allowed(spec: &Spec<'_>) -> Vec<Op> {
    use Op::*;
    use TicketField as T;
    use UpdateField as U;
    let mut ops = match spec {
        Spec::Ticket(T::Status | T::Priority | T::Satisfaction) => vec![Is, IsNot, Lt, Gt],
        Spec::Ticket(T::ViaId) | Spec::Update(U::CurrentViaId | U::LocaleId | U::Role) => {
            vec![Is, IsNot]
        }
        Spec::Ticket(T::IsPublic)
        | Spec::Update(U::UpdateType | U::InBusinessHours)
        | Spec::Comment => vec![Is],
        Spec::Ticket(_) | Spec::Recipient => vec![Is, IsNot],
        Spec::Update(_) => vec![Is, Lt, Gt],
        Spec::Tags => vec![Includes, NotIncludes],
        Spec::Words(_) => vec![Includes, NotIncludes, Is, IsNot],
        Spec::Custom(..) => vec![
            Is,
            IsNot,
            Present,
            NotPresent,
            Includes,
            NotIncludes,
            IncludesString,
            NotIncludesString,
            Lt,
            Gt,
            Le,
            Ge,
        ],
        Spec::Unsupported | Spec::Unknown => Vec::new(),
    };
    let changes = matches!(
        spec,
        Spec::Ticket(
            T::Status
                | T::Priority
                | T::Type
                | T::GroupId
                | T::AssigneeId
                | T::RequesterId
                | T::OrganizationId
                | T::BrandId
                | T::TicketFormId
                | T::Satisfaction
        ) | Spec::Custom(CustomSource::Ticket, _)
    );
    if changes {
        ops.extend_from_slice(CHANGE_OPS);
    }
    ops
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Is => "is",
        Op::IsNot => "is_not",
        Op::Lt => "less_than",
        Op::Gt => "greater_than",
        Op::Le => "less_than_equal",
        Op::Ge => "greater_than_equal",
        Op::Changed => "changed",
        Op::To => "value",
        Op::From => "value_previous",
        Op::NotChanged => "not_changed",
        Op::NotTo => "not_value",
        Op::NotFrom => "not_value_previous",
        Op::Includes => "includes",
        Op::NotIncludes => "not_includes",
        Op::IncludesString => "includes_string",
        Op::NotIncludesString => "not_includes_string",
        Op::Present => "present",
        Op::NotPresent => "not_present",
    }
}

fn flag(d: &Datum<'_>) -> Option<bool> {
    match d {
        Datum::Bool(b) => Some(*b),
        Datum::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Datum::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn describe(v: Option<&Value>) -> String {
    match v {
        None => "no value".to_owned(),
        Some(v) => {
            let text = v.to_string();
            match text.char_indices().nth(60) {
                Some((cut, _)) => format!("{}...", text.get(..cut).unwrap_or_default()),
                None => text,
            }
        }
    }
}

/// Builds a [`RuleSet`]: interns as it goes, collects problems.
pub(crate) struct Compiler {
    /// The rule set being built (its `rules` are filled by `finish`).
    set: RuleSet,
    keys: FxHashSet<u64>,
    /// (position, id, index) sort key with each active rule.
    ordered: Vec<((i64, u64, usize), Rule)>,
}

/// A located compile problem: where, its code, and why.
pub(crate) type Problem = (Pointer, &'static str, String);

impl Compiler {
    pub(crate) fn new() -> Self {
        Compiler {
            set: RuleSet::default(),
            keys: FxHashSet::default(),
            ordered: Vec::new(),
        }
    }

    /// Records a problem found before compiling (a trigger that does not decode).
    pub(crate) fn problem(&mut self, at: &Pointer, code: &str, message: String) {
        self.set.problems.push(Issue {
            path: at.as_str().to_owned(),
            code: code.to_owned(),
            message,
        });
    }

    /// Compiles the trigger at input `index`; `at` locates it.
    pub(crate) fn trigger(&mut self, index: usize, at: &Pointer, t: &ZendeskTrigger) {
        let mut problems: Vec<Problem> = Vec::new();
        let key = t.id.unwrap_or(index as u64);
        if !self.keys.insert(key) {
            problems.push((
                at.key("id"),
                codes::DUPLICATE_ID,
                format!("another trigger is already identified by {key}"),
            ));
        }
        let conditions = at.key("conditions");
        let mut compile_list = |name: &str, list: &Option<Vec<ZendeskCondition>>| {
            let at = conditions.key(name);
            let mut tests = Vec::new();
            for (j, c) in list.iter().flatten().enumerate() {
                match self.condition(c, &at.index(j)) {
                    Ok(test) => tests.push((test, c.clone())),
                    Err(p) => problems.push(p),
                }
            }
            let (tests, sources): (Vec<Test>, Vec<ZendeskCondition>) =
                sorted_by_key(tests, |(test, _)| test.cost())
                    .into_iter()
                    .unzip();
            (tests.into_boxed_slice(), sources.into_boxed_slice())
        };
        let (all, all_source) = compile_list("all", &t.conditions.all);
        let (any, any_source) = compile_list("any", &t.conditions.any);
        let mut actions = Vec::new();
        for (k, a) in t.actions.iter().enumerate() {
            match self.action(a, &at.key("actions").index(k)) {
                Ok(action) => actions.push(action),
                Err(p) => problems.push(p),
            }
        }
        if !problems.is_empty() {
            for (at, code, message) in problems {
                self.problem(&at, code, message);
            }
            return;
        }
        if t.active {
            let order = (
                t.position.unwrap_or(i64::MAX),
                t.id.unwrap_or(u64::MAX),
                index,
            );
            let mutates = actions.iter().any(|a| !matches!(a, Action::Effect { .. }));
            let source = RuleSource {
                title: t.title.as_str().into(),
                all: all_source,
                any: any_source,
                actions: t.actions.clone().into_boxed_slice(),
            };
            let rule = Rule {
                key,
                all,
                any,
                actions: actions.into_boxed_slice(),
                mutates,
                source: Box::new(source),
            };
            self.ordered.push((order, rule));
        }
    }

    pub(crate) fn finish(mut self) -> RuleSet {
        let ordered = sorted_by_key(self.ordered, |(order, _)| *order);
        self.set.rules = ordered.into_iter().map(|(_, r)| r).collect();
        self.set
    }

    fn custom_slot(&mut self, id: u64) -> u32 {
        let next = u32::try_from(self.set.custom_ids.len()).unwrap_or(u32::MAX);
        *self.set.custom_slots.entry(id).or_insert_with(|| {
            self.set.custom_ids.push(id);
            next
        })
    }

    fn tag_ids(&mut self, v: &Value) -> Option<Vec<u32>> {
        let mut ids = Vec::new();
        let mut buf = String::new();
        let mut add = |s: &str| {
            for tag in s.split_whitespace() {
                lowercase_into(tag, &mut buf);
                let id = self.set.tags.intern(&buf);
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        };
        match v {
            Value::String(s) => add(s),
            Value::Array(items) => {
                for item in items {
                    add(item.as_str()?);
                }
            }
            _ => return None,
        }
        Some(ids)
    }

    pub(crate) fn condition(
        &mut self,
        c: &ZendeskCondition,
        at: &Pointer,
    ) -> Result<Test, Problem> {
        let spec = spec(&c.field);
        let bad_field = |code, why: &str| (at.key("field"), code, format!("{why}: {}", c.field));
        match spec {
            Spec::Unknown => {
                return Err(bad_field(codes::UNKNOWN_FIELD, "unknown condition field"))
            }
            Spec::Unsupported => {
                return Err(bad_field(
                    codes::UNSUPPORTED_FIELD,
                    "condition field not supported by the rule engine",
                ))
            }
            _ => {}
        }
        let allowed = allowed(&spec);
        let op = Op::parse(&c.operator)
            .filter(|op| allowed.contains(op))
            .ok_or_else(|| {
                let names: Vec<&str> = allowed.iter().map(|o| op_name(*o)).collect();
                (
                    at.key("operator"),
                    codes::INVALID_OPERATOR,
                    format!(
                        "operator {:?} is not valid for {} (valid: {})",
                        c.operator,
                        c.field,
                        names.join(", ")
                    ),
                )
            })?;
        let null = Value::Null;
        let given = c.value.as_ref().map(to_serde);
        let raw = given.as_ref().unwrap_or(&null);
        let datum = Datum::from_value(raw);
        let bad_value = |why: &str| {
            (
                at.key("value"),
                codes::INVALID_VALUE,
                format!("{why} for {} (got {})", c.field, describe(given.as_ref())),
            )
        };
        match spec {
            Spec::Ticket(field) => {
                self.set.needs.ticket_fields |= field_bit(field);
                let value = match op {
                    Op::Changed | Op::NotChanged => Operand::Lit(NONE),
                    _ => ticket_operand(field, &datum, op)
                        .ok_or_else(|| bad_value("invalid value"))?,
                };
                if let Some(change) = op.change() {
                    self.set.needs.previous_fields |= field_bit(field);
                    return Ok(Test::TicketChange {
                        field,
                        change,
                        value,
                    });
                }
                let cmp = op.cmp();
                Ok(Test::Ticket { field, cmp, value })
            }
            Spec::Update(field) => {
                if field == UpdateField::CurrentViaId {
                    // A creation's update channel is the ticket's own.
                    self.set.needs.ticket_fields |= field_bit(TicketField::ViaId);
                }
                let value =
                    update_value(field, &datum).ok_or_else(|| bad_value("invalid value"))?;
                let cmp = op.cmp();
                Ok(Test::Update { field, cmp, value })
            }
            Spec::Tags => {
                let ids = self
                    .tag_ids(raw)
                    .filter(|ids| !ids.is_empty())
                    .ok_or_else(|| bad_value("expected a space-separated list of tags"))?;
                Ok(Test::Tags {
                    ids: IdSet::new(&ids),
                    negate: op == Op::NotIncludes,
                })
            }
            Spec::Words(source) => {
                let text = raw
                    .as_str()
                    .filter(|s| !s.trim().is_empty())
                    .ok_or_else(|| bad_value("expected words"))?;
                let (words, substring) = match source {
                    Source::Subject => (
                        &mut self.set.needs.subject_words,
                        &mut self.set.needs.subject_text,
                    ),
                    Source::Comment => (
                        &mut self.set.needs.comment_words,
                        &mut self.set.needs.comment_text,
                    ),
                };
                if matches!(op, Op::Is | Op::IsNot) {
                    *substring = true;
                    let mut needle = String::new();
                    lowercase_into(text, &mut needle);
                    return Ok(Test::Substring {
                        source,
                        needle: needle.into(),
                        negate: op == Op::IsNot,
                    });
                }
                *words = true;
                let phrases = phrases(text, &mut self.set.words);
                if phrases.is_empty() {
                    return Err(bad_value("expected at least one word"));
                }
                Ok(Test::Words {
                    source,
                    phrases,
                    negate: op == Op::NotIncludes,
                })
            }
            Spec::Comment => {
                let is =
                    match &datum {
                        Datum::Str(s) if s == "not_relevant" => CommentIs::Present,
                        // The requester sees public comments.
                        Datum::Str(s) if s == "requester_can_see_comment" => CommentIs::Public,
                        _ => match flag(&datum) {
                            Some(true) => CommentIs::Public,
                            Some(false) => CommentIs::Private,
                            None => return Err(bad_value(
                                "expected true, false, not_relevant or requester_can_see_comment",
                            )),
                        },
                    };
                Ok(Test::Comment(is))
            }
            Spec::Recipient => {
                let address = raw
                    .as_str()
                    .filter(|s| s.contains('@'))
                    .ok_or_else(|| bad_value("expected an email address"))?;
                self.set.needs.recipient = true;
                let mut lower = String::new();
                lowercase_into(address.trim(), &mut lower);
                Ok(Test::Recipient {
                    address: lower.into(),
                    negate: op == Op::IsNot,
                })
            }
            Spec::Custom(source, key) => {
                let slot = match source {
                    CustomSource::Ticket => {
                        let id = key.parse::<u64>().map_err(|_| {
                            bad_field(codes::UNKNOWN_FIELD, "unknown condition field")
                        })?;
                        self.custom_slot(id)
                    }
                    CustomSource::Requester => self.set.requester_keys.intern(key),
                    CustomSource::Organization => self.set.organization_keys.intern(key),
                };
                if let Some(change) = op.change() {
                    self.set.needs.previous_custom = true;
                    let value = match change.kind {
                        ChangeKind::Any => None,
                        _ => Some(custom_operand(raw).ok_or_else(|| bad_value("invalid value"))?),
                    };
                    return Ok(Test::CustomChange {
                        slot,
                        change,
                        value,
                    });
                }
                let test = self
                    .custom_test(op, raw)
                    .ok_or_else(|| bad_value("invalid value"))?;
                Ok(Test::Custom { source, slot, test })
            }
            Spec::Unsupported | Spec::Unknown => {
                Err(bad_field(codes::UNKNOWN_FIELD, "unknown condition field"))
            }
        }
    }

    fn custom_test(&mut self, op: Op, raw: &Value) -> Option<CustomTest> {
        Some(match op {
            Op::Present => CustomTest::Present(false),
            Op::NotPresent => CustomTest::Present(true),
            Op::Is | Op::IsNot => CustomTest::Is(custom_operand(raw)?, op == Op::IsNot),
            Op::Includes | Op::NotIncludes => {
                let text = raw.as_str()?;
                let phrases = phrases(text, &mut self.set.words);
                let words: Vec<Box<str>> = text
                    .split_whitespace()
                    .map(|w| {
                        let mut lower = String::new();
                        lowercase_into(w.trim_matches('"'), &mut lower);
                        lower.into_boxed_str()
                    })
                    .filter(|w| !w.is_empty())
                    .collect();
                if words.is_empty() {
                    return None;
                }
                CustomTest::Words {
                    phrases,
                    words: words.into_boxed_slice(),
                    negate: op == Op::NotIncludes,
                }
            }
            Op::IncludesString | Op::NotIncludesString => {
                let text = raw.as_str().filter(|s| !s.is_empty())?;
                let mut lower = String::new();
                lowercase_into(text, &mut lower);
                CustomTest::Substring(lower.into(), op == Op::NotIncludesString)
            }
            Op::Lt | Op::Gt | Op::Le | Op::Ge => {
                let operand =
                    custom_operand(raw).filter(|o| o.num.is_some() || o.date.is_some())?;
                let order = match op {
                    Op::Lt => Order::Lt,
                    Op::Gt => Order::Gt,
                    Op::Le => Order::Le,
                    _ => Order::Ge,
                };
                CustomTest::Order(order, operand)
            }
            _ => return None,
        })
    }

    pub(crate) fn action(&mut self, a: &ZendeskAction, at: &Pointer) -> Result<Action, Problem> {
        use TicketField as T;
        let given = to_serde(&a.value);
        let bad = |why: &str| {
            (
                at.key("value"),
                codes::INVALID_ACTION_VALUE,
                format!("{why} for {} (got {})", a.field, describe(Some(&given))),
            )
        };
        let datum = Datum::from_value(&given);
        let set = |field: T, value: Option<Operand>| {
            value
                .map(|value| Action::Set { field, value })
                .ok_or_else(|| bad("invalid value"))
        };
        let name = |names: &[&str], offset: u64| match &datum {
            Datum::Str(s) => rank_in(names, s).map(|r| Operand::Lit(r + offset)),
            _ => None,
        };
        let id = |current_user: bool| match &datum {
            Datum::Null => Some(Operand::Lit(NONE)),
            Datum::Str(s) if current_user && s == "current_user" => Some(Operand::CurrentUser),
            d => Some(id_of(d)).filter(|i| *i != NONE).map(Operand::Lit),
        };
        match a.field.as_str() {
            // Zendesk never moves a ticket back to new.
            "status" => set(T::Status, name(STATUS, 0).filter(|v| *v != Operand::Lit(0))),
            "priority" => set(
                T::Priority,
                match &datum {
                    Datum::Null => Some(Operand::Lit(0)),
                    _ => name(PRIORITY, 1),
                },
            ),
            "type" => set(
                T::Type,
                match &datum {
                    Datum::Null => Some(Operand::Lit(NONE)),
                    _ => name(super::field::TYPE, 0),
                },
            ),
            "group_id" => set(T::GroupId, id(false)),
            "assignee_id" => set(T::AssigneeId, id(true)),
            "brand_id" => set(T::BrandId, id(false)),
            "ticket_form_id" => set(T::TicketFormId, id(false)),
            "set_tags" | "current_tags" | "remove_tags" => {
                let ids = self
                    .tag_ids(&given)
                    .ok_or_else(|| bad("expected a space-separated list of tags"))?
                    .into_boxed_slice();
                Ok(match a.field.as_str() {
                    "set_tags" => Action::SetTags(ids),
                    "current_tags" => Action::AddTags(ids),
                    _ => Action::RemoveTags(ids),
                })
            }
            "satisfaction_score" => match &datum {
                Datum::Str(s) if s == "offered_to_requester" => {
                    // Offering depends on whether the ticket is rated.
                    self.set.needs.ticket_fields |= field_bit(T::Satisfaction);
                    Ok(Action::OfferSatisfaction)
                }
                _ => Err(bad("expected offered_to_requester")),
            },
            field if EFFECTS.contains(&field) => Ok(Action::Effect {
                field: field.into(),
                value: given.clone(),
            }),
            field => match field
                .strip_prefix("custom_fields_")
                .and_then(|k| k.parse::<u64>().ok())
            {
                Some(id) if !given.is_object() => Ok(Action::SetCustom {
                    slot: self.custom_slot(id),
                    value: given.clone(),
                }),
                Some(_) => Err(bad("expected a field value")),
                None => Err((
                    at.key("field"),
                    codes::UNKNOWN_ACTION,
                    format!("unknown action field: {field}"),
                )),
            },
        }
    }
}

/// The value of a ticket-field condition (`is`, `less_than`, changed to...).
fn ticket_operand(field: TicketField, d: &Datum<'_>, op: Op) -> Option<Operand> {
    use TicketField as T;
    let code = match field {
        T::AssigneeId | T::RequesterId if matches!(d, Datum::Str(s) if s == "current_user") => {
            return Some(Operand::CurrentUser)
        }
        T::Satisfaction => satisfaction_of(d),
        T::IsPublic => match d {
            Datum::Str(s) if s == "public" => 1,
            Datum::Str(s) if s == "private" => 0,
            _ => flag(d).map_or(NONE, u64::from),
        },
        _ => field.decode(d),
    };
    // "" (no value) is meaningful for ids, type and priority, not for the rest.
    let empty_ok = matches!(d, Datum::Null)
        && !matches!(field, T::Status | T::Satisfaction | T::ViaId | T::IsPublic)
        && !matches!(op, Op::Lt | Op::Gt);
    (code != NONE || empty_ok).then_some(Operand::Lit(code))
}

/// The value of an update-field condition.
fn update_value(field: UpdateField, d: &Datum<'_>) -> Option<u64> {
    use UpdateField as U;
    let v = match field {
        U::UpdateType => match d {
            Datum::Str(s) if s.eq_ignore_ascii_case("create") => 0,
            Datum::Str(s) if s.eq_ignore_ascii_case("change") => 1,
            _ => NONE,
        },
        U::InBusinessHours => flag(d).map_or(NONE, u64::from),
        U::CurrentViaId => via_of(d),
        U::Role => role_of(d),
        U::LocaleId | U::Reopens | U::Replies | U::AgentStations | U::GroupStations => id_of(d),
    };
    (v != NONE).then_some(v)
}

/// 0 for end-users, 1 for agents and admins.
pub(crate) fn role_of(d: &Datum<'_>) -> u64 {
    match d {
        Datum::Str(s) => match s.to_ascii_lowercase().as_str() {
            "end_user" | "end-user" => 0,
            "agent" | "admin" => 1,
            _ => NONE,
        },
        _ => NONE,
    }
}

/// `items` sorted by `key`, stably, through the crate's one merge sort
/// ([`crate::json::stable_order`], not generic): core's `sort_by_key` adds
/// about 3 KB of sorting code to the wasm for each element type.
pub(crate) fn sorted_by_key<T, K: PartialOrd>(items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = crate::json::stable_order(keys.len(), &|a, b| keys.get(a) < keys.get(b));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// A custom-field value in every comparable form.
pub(crate) fn custom_operand(raw: &Value) -> Option<CustomOperand> {
    let datum = Datum::from_value(raw);
    let mut text = String::new();
    match &datum {
        Datum::Null => {}
        Datum::Bool(b) => text.push_str(if *b { "true" } else { "false" }),
        Datum::Num(_) | Datum::Id(_) => text = raw.to_string(),
        Datum::Str(s) => lowercase_into(s, &mut text),
        Datum::List(_) => return None,
    }
    if raw.is_object() {
        return None;
    }
    let date = match &datum {
        Datum::Str(s) => date_prefix(s).map(Into::into),
        _ => None,
    };
    Some(CustomOperand {
        num: datum.as_f64(),
        flag: flag(&datum),
        date,
        text: text.into(),
    })
}

/// The `YYYY-MM-DD` start of a date or timestamp string.
pub(crate) fn date_prefix(s: &str) -> Option<&str> {
    let d = s.get(..10)?;
    let b = d.as_bytes();
    let shape = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    (shape && (s.len() == 10 || s.as_bytes().get(10) == Some(&b'T'))).then_some(d)
}
