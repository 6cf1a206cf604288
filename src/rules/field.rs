//! The ticket and update fields conditions read and actions write, and the
//! one encoding they share: every such field is a `u64` (a rank for ordered
//! lists, an id, a count, 0/1 for booleans) with [`NONE`] for "no value", so
//! a condition is an integer comparison at evaluation time.

use serde_json::Value;

/// The field has no value (no group, no type, unknown status, ...).
pub(crate) const NONE: u64 = u64::MAX;
/// A value no field ever has: `current_user` when the update names none.
pub(crate) const NEVER: u64 = u64::MAX - 1;

/// Status ranks: new < open < pending < hold < solved < closed.
pub(crate) const STATUS: &[&str] = &["new", "open", "pending", "hold", "solved", "closed"];
/// Priority ranks after (none) = 0: low = 1 < normal < high < urgent.
pub(crate) const PRIORITY: &[&str] = &["low", "normal", "high", "urgent"];
/// Ticket types (not ordered).
pub(crate) const TYPE: &[&str] = &["question", "incident", "problem", "task"];
/// Satisfaction ranks, in Zendesk's order of its score codes.
pub(crate) const SATISFACTION: &[&str] = &[
    "unoffered",
    "offered",
    "bad",
    "bad_with_comment",
    "good",
    "good_with_comment",
];
/// The satisfaction rank of a ticket nobody offered a survey.
pub(crate) const UNOFFERED: u64 = 0;
/// The satisfaction rank of an offered survey.
pub(crate) const OFFERED: u64 = 1;

/// Via types: the channel ids of the conditions reference, with both the
/// condition names (`mail`) and the ticket API's `via.channel` names
/// (`email`) that designate them unambiguously.
const VIA: &[(&str, u64)] = &[
    ("web_form", 0),
    ("web", 0),
    ("mail", 4),
    ("email", 4),
    ("web_service", 5),
    ("api", 5),
    ("rule", 8),
    ("get_satisfaction", 16),
    ("twitter_favorite", 23),
    ("twitter_dm", 26),
    ("closed_ticket", 27),
    ("chat", 29),
    ("twitter", 30),
    ("ticket_sharing", 31),
    ("voicemail", 33),
    ("phone_call_inbound", 34),
    ("phone_call_outbound", 35),
    ("facebook_post", 38),
    ("facebook_message", 41),
    ("api_voicemail", 44),
    ("api_phone_call_inbound", 45),
    ("api_phone_call_outbound", 46),
    ("web_widget", 48),
    ("mobile_sdk", 49),
    ("helpcenter", 50),
    ("help_center", 50),
    ("satisfaction_prediction", 54),
    ("any_channel", 55),
    ("mobile", 56),
    ("sms", 57),
    ("line", 72),
    ("wechat", 73),
    ("whatsapp", 74),
];

/// Fields of the ticket itself: actions may change the first ten, and
/// change operators compare them with the ticket before the update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TicketField {
    Status,
    Priority,
    Type,
    GroupId,
    AssigneeId,
    RequesterId,
    OrganizationId,
    BrandId,
    TicketFormId,
    Satisfaction,
    ViaId,
    IsPublic,
}

/// Number of [`TicketField`]s.
pub(crate) const TICKET_FIELDS: usize = 12;

impl TicketField {
    /// Every ticket field, in index order.
    pub(crate) const ALL: [TicketField; TICKET_FIELDS] = [
        TicketField::Status,
        TicketField::Priority,
        TicketField::Type,
        TicketField::GroupId,
        TicketField::AssigneeId,
        TicketField::RequesterId,
        TicketField::OrganizationId,
        TicketField::BrandId,
        TicketField::TicketFormId,
        TicketField::Satisfaction,
        TicketField::ViaId,
        TicketField::IsPublic,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The key of the field in Zendesk ticket JSON.
    pub(crate) fn json_key(self) -> &'static str {
        match self {
            TicketField::Status => "status",
            TicketField::Priority => "priority",
            TicketField::Type => "type",
            TicketField::GroupId => "group_id",
            TicketField::AssigneeId => "assignee_id",
            TicketField::RequesterId => "requester_id",
            TicketField::OrganizationId => "organization_id",
            TicketField::BrandId => "brand_id",
            TicketField::TicketFormId => "ticket_form_id",
            TicketField::Satisfaction => "satisfaction_rating",
            TicketField::ViaId => "via_id",
            TicketField::IsPublic => "is_public",
        }
    }

    /// Encodes a value read from ticket JSON (lenient: anything
    /// unrecognised is [`NONE`]; a missing priority is "(none)").
    pub(crate) fn decode(self, v: &Datum<'_>) -> u64 {
        match self {
            TicketField::Status => rank_of(STATUS, v, 0),
            TicketField::Priority => match v {
                Datum::Null => 0,
                _ => rank_of(PRIORITY, v, 1),
            },
            TicketField::Type => rank_of(TYPE, v, 0),
            TicketField::ViaId => via_of(v),
            TicketField::IsPublic => match v {
                Datum::Bool(b) => u64::from(*b),
                _ => NONE,
            },
            TicketField::Satisfaction => UNOFFERED,
            _ => id_of(v),
        }
    }

    /// The ticket JSON form of an encoded value (for the final ticket).
    pub(crate) fn encode(self, v: u64) -> Value {
        let name = |names: &[&str], offset: u64| {
            v.checked_sub(offset)
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| names.get(i))
                .map_or(Value::Null, |n| Value::from(*n))
        };
        match self {
            TicketField::Status => name(STATUS, 0),
            TicketField::Priority => name(PRIORITY, 1),
            TicketField::Type => name(TYPE, 0),
            TicketField::Satisfaction => name(SATISFACTION, 0),
            TicketField::IsPublic if v != NONE => Value::Bool(v == 1),
            _ if v >= NEVER => Value::Null,
            _ => Value::from(v),
        }
    }
}

/// Fields of the update around the ticket (how, when and by whom).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UpdateField {
    /// 0 = Create, 1 = Change.
    UpdateType,
    CurrentViaId,
    InBusinessHours,
    Reopens,
    Replies,
    AgentStations,
    GroupStations,
    LocaleId,
    /// 0 = end-user, 1 = agent (admins are agents).
    Role,
}

/// Number of [`UpdateField`]s.
pub(crate) const UPDATE_FIELDS: usize = 9;

impl UpdateField {
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The JSON form of an encoded value, as a condition would name it
    /// (`"Create"`, `"agent"`, `true`, a number; `null` for no value).
    pub(crate) fn encode(self, v: u64) -> Value {
        if v >= NEVER {
            return Value::Null;
        }
        match self {
            UpdateField::UpdateType => Value::from(if v == 0 { "Create" } else { "Change" }),
            UpdateField::InBusinessHours => Value::Bool(v == 1),
            UpdateField::Role => Value::from(if v == 0 { "end_user" } else { "agent" }),
            _ => Value::from(v),
        }
    }
}

/// A JSON scalar (or list of strings) read from an update, borrowing its
/// strings from the input when it can.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Datum<'a> {
    #[default]
    Null,
    Bool(bool),
    Num(f64),
    Id(u64),
    Str(std::borrow::Cow<'a, str>),
    List(Vec<std::borrow::Cow<'a, str>>),
}

impl<'a> Datum<'a> {
    /// Borrows a JSON value; objects and empty strings or lists count as
    /// no value, non-string list items are skipped.
    pub(crate) fn from_value(v: &'a Value) -> Datum<'a> {
        match v {
            Value::Bool(b) => Datum::Bool(*b),
            Value::Number(n) => n
                .as_u64()
                .map(Datum::Id)
                .or_else(|| n.as_f64().map(Datum::Num))
                .unwrap_or(Datum::Null),
            Value::String(s) => Datum::Str(s.as_str().into()).normalized(),
            Value::Array(items) => Datum::List(
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(Into::into))
                    .collect(),
            )
            .normalized(),
            Value::Null | Value::Object(_) => Datum::Null,
        }
    }

    /// Empty strings and lists are no value, as in Zendesk.
    pub(crate) fn normalized(self) -> Self {
        match &self {
            Datum::Str(s) if s.is_empty() => Datum::Null,
            Datum::List(l) if l.is_empty() => Datum::Null,
            _ => self,
        }
    }

    /// The JSON value this datum was read from (as far as it was kept:
    /// an empty string or list is `null`).
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Datum::Null => Value::Null,
            Datum::Bool(b) => Value::Bool(*b),
            Datum::Num(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Datum::Id(n) => Value::from(*n),
            Datum::Str(s) => Value::from(&**s),
            Datum::List(items) => items.iter().map(|i| Value::from(&**i)).collect(),
        }
    }

    /// The number this datum holds or spells, if any.
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Datum::Num(n) => Some(*n),
            Datum::Id(n) => Some(*n as f64),
            Datum::Str(s) => parse_number(s),
            _ => None,
        }
    }
}

/// A finite number spelled by `s` (surrounding spaces allowed).
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    crate::json::parse_f64(s.trim()).filter(|n| n.is_finite())
}

/// Largest id kept: beyond it ids collide with the sentinels.
const MAX_ID: u64 = NEVER - 1;

/// An id from a number or a string of digits; anything else is [`NONE`].
pub(crate) fn id_of(v: &Datum<'_>) -> u64 {
    match v {
        Datum::Id(n) if *n <= MAX_ID => *n,
        Datum::Num(n) if n.fract() == 0.0 && *n >= 0.0 && *n < 9.0e15 => *n as u64,
        Datum::Str(s) => s
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= MAX_ID)
            .unwrap_or(NONE),
        _ => NONE,
    }
}

/// The rank of `v` in `names` (case-insensitive), plus `offset`.
fn rank_of(names: &[&str], v: &Datum<'_>, offset: u64) -> u64 {
    match v {
        Datum::Str(s) => rank_in(names, s).map_or(NONE, |r| r + offset),
        _ => NONE,
    }
}

/// The position of `name` in `names`, ignoring ASCII case.
pub(crate) fn rank_in(names: &[&str], name: &str) -> Option<u64> {
    names
        .iter()
        .position(|n| n.eq_ignore_ascii_case(name))
        .map(|i| i as u64)
}

/// A satisfaction rank from a score name, or `true` (unoffered) and
/// `false` (offered) as the conditions reference spells them.
pub(crate) fn satisfaction_of(v: &Datum<'_>) -> u64 {
    match v {
        Datum::Bool(true) => UNOFFERED,
        Datum::Bool(false) => OFFERED,
        Datum::Str(s) if s.eq_ignore_ascii_case("true") => UNOFFERED,
        Datum::Str(s) if s.eq_ignore_ascii_case("false") => OFFERED,
        _ => rank_of(SATISFACTION, v, 0),
    }
}

/// A via id from a number, a string of digits or a channel name.
pub(crate) fn via_of(v: &Datum<'_>) -> u64 {
    match v {
        Datum::Str(s) => VIA
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s))
            .map_or_else(|| id_of(v), |(_, id)| *id),
        _ => id_of(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ticket_values_round_trip() {
        for (field, text) in [
            (TicketField::Status, "hold"),
            (TicketField::Priority, "urgent"),
            (TicketField::Type, "task"),
        ] {
            let v = json!(text);
            let code = field.decode(&Datum::from_value(&v));
            assert_ne!(code, NONE);
            assert_eq!(field.encode(code), v);
        }
        assert_eq!(TicketField::Priority.decode(&Datum::Null), 0);
        assert_eq!(TicketField::Priority.encode(0), Value::Null);
        assert_eq!(TicketField::GroupId.encode(NONE), Value::Null);
        assert_eq!(
            TicketField::Status.decode(&Datum::Str("weird".into())),
            NONE
        );
    }

    #[test]
    fn ids_and_vias_accept_numbers_and_strings() {
        assert_eq!(id_of(&Datum::Str(" 42 ".into())), 42);
        assert_eq!(id_of(&Datum::Num(42.5)), NONE);
        assert_eq!(id_of(&Datum::Id(u64::MAX)), NONE);
        assert_eq!(via_of(&Datum::Str("email".into())), 4);
        assert_eq!(via_of(&Datum::Str("4".into())), 4);
        assert_eq!(via_of(&Datum::Str("voice".into())), NONE);
    }
}
