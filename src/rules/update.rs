//! Reading a ticket update into the evaluator's working state in one pass:
//! serde seeds walk the JSON (text or a parsed `Value`) and keep only what
//! the compiled rules read (ranks, ids, tag and word bits, the custom fields
//! they name), borrowing strings from the input instead of copying them.
//!
//! Reading is lenient about values (a status Zendesk does not know, an id
//! that is not a number: the field has no value) and strict about shape
//! (an update must be an object with a `ticket` object).

use super::compile::{field_bit, role_of};
use super::field::{
    id_of, rank_in, via_of, Datum, TicketField, UpdateField, NEVER, NONE, OFFERED, SATISFACTION,
    TICKET_FIELDS, UNOFFERED, UPDATE_FIELDS,
};
use super::text::{lowercase_into, Bits, Text, Vocab};
use super::RuleSet;
use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// The ticket fields the rules read, in their integer encoding.
#[derive(Debug, Clone)]
pub(crate) struct Facts<'a> {
    pub fields: [u64; TICKET_FIELDS],
    pub tags: Bits,
    /// One value per custom field id the rules name (see `RuleSet::custom_ids`).
    pub custom: Vec<Datum<'a>>,
}

impl<'a> Facts<'a> {
    fn new(rules: &RuleSet) -> Self {
        let mut facts = Facts {
            fields: [NONE; TICKET_FIELDS],
            tags: Bits::with_len(rules.tags.len()),
            custom: vec![Datum::Null; rules.custom_ids.len()],
        };
        facts.reset();
        facts
    }

    /// A ticket with nothing set: also the "before" of a ticket creation.
    fn reset(&mut self) {
        self.fields = [NONE; TICKET_FIELDS];
        self.fields[TicketField::Priority.index()] = 0;
        self.fields[TicketField::Satisfaction.index()] = UNOFFERED;
        self.tags.clear();
        self.custom.iter_mut().for_each(|d| *d = Datum::Null);
    }

    pub(crate) fn get(&self, field: TicketField) -> u64 {
        self.fields.get(field.index()).copied().unwrap_or(NONE)
    }

    pub(crate) fn set(&mut self, field: TicketField, value: u64) {
        if let Some(f) = self.fields.get_mut(field.index()) {
            *f = value;
        }
    }
}

/// JSON text with every `\\u` escape of a lone UTF-16 surrogate replaced by
/// `\\ufffd`. JavaScript strings may hold lone surrogates (a cut emoji) and
/// `JSON.stringify` escapes them; serde_json refuses them in strings, which
/// would fail a whole batch for one broken subject. Borrowed when there is
/// nothing to replace (the usual case: one scan for `\\u`).
pub(crate) fn replace_lone_surrogates(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let hex = |at: usize| {
        text.get(at..at + 4)
            .and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut from = 0;
    // `find(char)` is a memchr: backslashes are rare in most JSON text.
    while let Some(found) = text.get(from..).and_then(|t| t.find('\\')) {
        let run_start = from + found;
        let run = bytes
            .get(run_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| **b == b'\\')
            .count();
        from = run_start + run;
        // Backslashes pair up; an odd run escapes the character after it.
        if run % 2 == 0 || bytes.get(from) != Some(&b'u') {
            continue;
        }
        let at = from - 1;
        let Some(unit) = hex(at + 2) else { continue };
        let lone = match unit {
            0xD800..=0xDBFF => {
                let trail = match text.get(at + 6..at + 8) {
                    Some("\\u") => hex(at + 8),
                    _ => None,
                };
                if trail.is_some_and(|t| (0xDC00..=0xDFFF).contains(&t)) {
                    from = at + 12;
                    false
                } else {
                    true
                }
            }
            0xDC00..=0xDFFF => true,
            _ => false,
        };
        if lone {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(text.get(copied..at).unwrap_or_default());
            out.push_str("\\ufffd");
            copied = at + 6;
            from = at + 6;
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(text.get(copied..).unwrap_or_default());
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// Everything the rules can read about one update.
#[derive(Debug, Clone)]
pub(crate) struct State<'a> {
    /// The working ticket (actions change it during the firing cycle).
    pub cur: Facts<'a>,
    /// The ticket before the update (blank for a creation).
    pub prev: Facts<'a>,
    pub update: [u64; UPDATE_FIELDS],
    /// Id of the user making the update, [`NEVER`] when unknown.
    pub current_user: u64,
    pub subject: Text,
    pub comment: Text,
    /// Whether the update's comment is public; `None` without a comment.
    pub comment_public: Option<bool>,
    pub requester: Vec<Datum<'a>>,
    pub organization: Vec<Datum<'a>>,
    pub recipient: Option<Cow<'a, str>>,
    /// The JSON text of the ticket, when read with `capture` from text.
    pub ticket_text: Option<&'a str>,
    buf: String,
}

impl<'a> State<'a> {
    pub(crate) fn new(rules: &RuleSet) -> Self {
        State {
            cur: Facts::new(rules),
            prev: Facts::new(rules),
            update: [NONE; UPDATE_FIELDS],
            current_user: NEVER,
            subject: Text::new(&rules.words),
            comment: Text::new(&rules.words),
            comment_public: None,
            requester: vec![Datum::Null; rules.requester_keys.len()],
            organization: vec![Datum::Null; rules.organization_keys.len()],
            recipient: None,
            ticket_text: None,
            buf: String::new(),
        }
    }

    fn reset(&mut self) {
        self.cur.reset();
        self.prev.reset();
        self.update = [NONE; UPDATE_FIELDS];
        self.current_user = NEVER;
        self.subject.clear();
        self.comment.clear();
        self.comment_public = None;
        self.requester.iter_mut().for_each(|d| *d = Datum::Null);
        self.organization.iter_mut().for_each(|d| *d = Datum::Null);
        self.recipient = None;
        self.ticket_text = None;
    }

    pub(crate) fn get(&self, field: UpdateField) -> u64 {
        self.update.get(field.index()).copied().unwrap_or(NONE)
    }

    fn set(&mut self, field: UpdateField, value: u64) {
        if let Some(f) = self.update.get_mut(field.index()) {
            *f = value;
        }
    }

    /// Reads one update (any serde deserializer over JSON) into this state.
    pub(crate) fn read<'de: 'a, D: Deserializer<'de>>(
        &mut self,
        rules: &RuleSet,
        input: D,
    ) -> Result<(), D::Error> {
        self.seed(rules, false).deserialize(input)
    }

    /// The seed that reads one update into this state. With `capture` the
    /// ticket's JSON text is kept in `ticket_text` (the input must then be
    /// JSON text read by serde_json).
    pub(crate) fn seed<'s>(&'s mut self, rules: &'s RuleSet, capture: bool) -> UpdateSeed<'s, 'a> {
        UpdateSeed {
            rules,
            state: self,
            capture,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Datum<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DatumVisitor)
    }
}

struct DatumVisitor;

impl<'de> Visitor<'de> for DatumVisitor {
    type Value = Datum<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Datum::Bool(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Datum::Id(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(u64::try_from(v).map_or(Datum::Num(v as f64), Datum::Id))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Datum::Num(v))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Datum::Str(Cow::Borrowed(v)).normalized())
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Datum::Str(Cow::Owned(v.to_owned())).normalized())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Datum::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Datum::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(DatumVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(ListItem(item)) = seq.next_element()? {
            items.extend(item);
        }
        Ok(Datum::List(items).normalized())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Datum::Null)
    }
}

/// An element of a list value: kept when it is a string. Nested lists and
/// objects are skipped without descending into them, so a list value never
/// recurses however deep the input nests.
struct ListItem<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for ListItem<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListItemVisitor)
    }
}

struct ListItemVisitor;

impl<'de> Visitor<'de> for ListItemVisitor {
    type Value = ListItem<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list item")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(ListItem(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(ListItem(Some(Cow::Owned(v.to_owned()))))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(ListItem(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(ListItem(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(ListItem(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(ListItem(None))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(ListItem(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ListItem(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(ListItem(None))
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum UpdateKey {
    Ticket,
    Previous,
    Comment,
    ViaId,
    InBusinessHours,
    Requester,
    Organization,
    CurrentUser,
    Metrics,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum TicketKey {
    Status,
    Priority,
    Type,
    GroupId,
    AssigneeId,
    RequesterId,
    OrganizationId,
    BrandId,
    TicketFormId,
    Tags,
    CustomFields,
    Fields,
    Subject,
    SatisfactionRating,
    Via,
    ViaId,
    IsPublic,
    Recipient,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct CommentIn<'a> {
    #[serde(default, borrow)]
    body: Datum<'a>,
    #[serde(default, borrow)]
    public: Datum<'a>,
}

#[derive(Deserialize)]
struct CurrentUserIn<'a> {
    #[serde(default, borrow)]
    id: Datum<'a>,
    #[serde(default, borrow)]
    role: Datum<'a>,
}

#[derive(Deserialize)]
struct MetricsIn<'a> {
    #[serde(default, borrow)]
    reopens: Datum<'a>,
    #[serde(default, borrow)]
    replies: Datum<'a>,
    #[serde(default, borrow, alias = "agent_stations")]
    assignee_stations: Datum<'a>,
    #[serde(default, borrow)]
    group_stations: Datum<'a>,
}

#[derive(Deserialize)]
struct RatingIn<'a> {
    #[serde(default, borrow)]
    score: Datum<'a>,
    #[serde(default, borrow)]
    comment: Datum<'a>,
}

#[derive(Deserialize)]
struct ViaIn<'a> {
    #[serde(default, borrow)]
    channel: Datum<'a>,
}

#[derive(Deserialize)]
struct CustomFieldIn<'a> {
    #[serde(default, borrow)]
    id: Datum<'a>,
    #[serde(default, borrow)]
    value: Datum<'a>,
}

/// Reads one update into a [`State`].
pub(crate) struct UpdateSeed<'s, 'a> {
    rules: &'s RuleSet,
    state: &'s mut State<'a>,
    capture: bool,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for UpdateSeed<'_, 'a> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for UpdateSeed<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a ticket update object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let UpdateSeed {
            rules,
            state,
            capture,
        } = self;
        state.reset();
        let mut has_ticket = false;
        let mut created = true;
        while let Some(key) = map.next_key::<UpdateKey>()? {
            match key {
                UpdateKey::Ticket => {
                    has_ticket = true;
                    let seed = TicketSeed {
                        rules,
                        facts: &mut state.cur,
                        fields: rules.needs.ticket_fields,
                        tags: !rules.tags.is_empty(),
                        custom: !rules.custom_ids.is_empty(),
                        current: Some(Current {
                            subject: &mut state.subject,
                            recipient: &mut state.recipient,
                        }),
                        buf: &mut state.buf,
                    };
                    if capture {
                        // Keep the text so an unchanged ticket is echoed
                        // as is, then read it like any other ticket.
                        let raw: &'de RawValue = map.next_value()?;
                        let mut de = serde_json::Deserializer::from_str(raw.get());
                        seed.deserialize(&mut de).map_err(A::Error::custom)?;
                        state.ticket_text = Some(raw.get());
                    } else {
                        map.next_value_seed(seed)?;
                    }
                }
                UpdateKey::Previous if rules.needs.previous() => {
                    created = !map.next_value_seed(Optional(TicketSeed {
                        rules,
                        facts: &mut state.prev,
                        fields: rules.needs.previous_fields,
                        tags: false,
                        custom: rules.needs.previous_custom,
                        current: None,
                        buf: &mut state.buf,
                    }))?;
                }
                UpdateKey::Previous => created = map.next_value::<Option<IgnoredAny>>()?.is_none(),
                UpdateKey::Comment => {
                    if let Some(c) = map.next_value::<Option<CommentIn<'de>>>()? {
                        state.comment_public = Some(!matches!(c.public, Datum::Bool(false)));
                        if let Datum::Str(body) = &c.body {
                            let n = rules.needs;
                            state.comment.fill(
                                body,
                                &rules.words,
                                n.comment_words,
                                n.comment_text,
                                &mut state.buf,
                            );
                        }
                    }
                }
                UpdateKey::ViaId => {
                    let via = via_of(&map.next_value::<Datum<'de>>()?);
                    state.set(UpdateField::CurrentViaId, via);
                }
                UpdateKey::InBusinessHours => {
                    let v = match map.next_value::<Datum<'de>>()? {
                        Datum::Bool(b) => u64::from(b),
                        _ => NONE,
                    };
                    state.set(UpdateField::InBusinessHours, v);
                }
                UpdateKey::Requester => {
                    let mut locale = NONE;
                    map.next_value_seed(Optional(OwnerSeed {
                        keys: &rules.requester_keys,
                        values: &mut state.requester,
                        fields_key: "user_fields",
                        locale: Some(&mut locale),
                    }))?;
                    state.set(UpdateField::LocaleId, locale);
                }
                UpdateKey::Organization => {
                    map.next_value_seed(Optional(OwnerSeed {
                        keys: &rules.organization_keys,
                        values: &mut state.organization,
                        fields_key: "organization_fields",
                        locale: None,
                    }))?;
                }
                UpdateKey::CurrentUser => {
                    if let Some(u) = map.next_value::<Option<CurrentUserIn<'de>>>()? {
                        state.current_user = match id_of(&u.id) {
                            NONE => NEVER,
                            id => id,
                        };
                        state.set(UpdateField::Role, role_of(&u.role));
                    }
                }
                UpdateKey::Metrics => {
                    if let Some(m) = map.next_value::<Option<MetricsIn<'de>>>()? {
                        state.set(UpdateField::Reopens, id_of(&m.reopens));
                        state.set(UpdateField::Replies, id_of(&m.replies));
                        state.set(UpdateField::AgentStations, id_of(&m.assignee_stations));
                        state.set(UpdateField::GroupStations, id_of(&m.group_stations));
                    }
                }
                UpdateKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !has_ticket {
            return Err(A::Error::missing_field("ticket"));
        }
        state.set(UpdateField::UpdateType, u64::from(!created));
        if created && state.get(UpdateField::CurrentViaId) == NONE {
            state.set(UpdateField::CurrentViaId, state.cur.get(TicketField::ViaId));
        }
        if created {
            state.prev.reset();
        }
        Ok(())
    }
}

/// Wraps a seed so `null` reads as absent; yields whether a value was read.
struct Optional<S>(S);

impl<'de, S: DeserializeSeed<'de, Value = ()>> DeserializeSeed<'de> for Optional<S> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de, Value = ()>> Visitor<'de> for Optional<S> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or null")
    }

    fn visit_none<E>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        self.0.deserialize(d).map(|()| true)
    }
}

/// The parts of the state only the ticket after the update fills.
struct Current<'s, 'a> {
    subject: &'s mut Text,
    recipient: &'s mut Option<Cow<'a, str>>,
}

struct TicketSeed<'s, 'a> {
    rules: &'s RuleSet,
    facts: &'s mut Facts<'a>,
    /// Which ticket fields to read (bits of `field_bit`).
    fields: u16,
    tags: bool,
    custom: bool,
    current: Option<Current<'s, 'a>>,
    buf: &'s mut String,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for TicketSeed<'_, 'a> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for TicketSeed<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a ticket object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use TicketField as T;
        let TicketSeed {
            rules,
            facts,
            fields,
            tags,
            custom,
            mut current,
            buf,
        } = self;
        let needs = rules.needs;
        let wants = |f: T| fields & field_bit(f) != 0;
        let mut has_custom_fields = false;
        let mut alias: Option<Vec<Option<Datum<'de>>>> = None;
        let mut via_id = None;
        let mut via_channel = NONE;
        while let Some(key) = map.next_key::<TicketKey>()? {
            let field = match key {
                TicketKey::Status => T::Status,
                TicketKey::Priority => T::Priority,
                TicketKey::Type => T::Type,
                TicketKey::GroupId => T::GroupId,
                TicketKey::AssigneeId => T::AssigneeId,
                TicketKey::RequesterId => T::RequesterId,
                TicketKey::OrganizationId => T::OrganizationId,
                TicketKey::BrandId => T::BrandId,
                TicketKey::TicketFormId => T::TicketFormId,
                TicketKey::IsPublic => T::IsPublic,
                TicketKey::ViaId if wants(T::ViaId) => {
                    via_id = Some(via_of(&map.next_value::<Datum<'de>>()?));
                    continue;
                }
                TicketKey::Via if wants(T::ViaId) => {
                    if let Some(via) = map.next_value::<Option<ViaIn<'de>>>()? {
                        via_channel = via_of(&via.channel);
                    }
                    continue;
                }
                TicketKey::SatisfactionRating if wants(T::Satisfaction) => {
                    let rating = map.next_value::<Option<RatingIn<'de>>>()?;
                    facts.set(
                        T::Satisfaction,
                        rating.map_or(UNOFFERED, |r| satisfaction(&r)),
                    );
                    continue;
                }
                TicketKey::Tags if tags => {
                    map.next_value_seed(TagsSeed {
                        vocab: &rules.tags,
                        bits: &mut facts.tags,
                        buf: &mut *buf,
                    })?;
                    continue;
                }
                // `fields` is the API's alias of `custom_fields`: read only
                // when there is no `custom_fields`, whatever the key order.
                TicketKey::CustomFields if custom => {
                    has_custom_fields = true;
                    map.next_value_seed(CustomFieldsSeed {
                        rules,
                        values: &mut facts.custom,
                    })?;
                    continue;
                }
                TicketKey::Fields if custom => {
                    let values = alias.get_or_insert_with(|| vec![None; facts.custom.len()]);
                    map.next_value_seed(CustomFieldsSeed { rules, values })?;
                    continue;
                }
                TicketKey::Subject if needs.subject_words || needs.subject_text => {
                    let subject = map.next_value::<Datum<'de>>()?;
                    if let (Some(cur), Datum::Str(s)) = (current.as_mut(), &subject) {
                        let (words, text) = (needs.subject_words, needs.subject_text);
                        cur.subject.fill(s, &rules.words, words, text, &mut *buf);
                    }
                    continue;
                }
                TicketKey::Recipient if needs.recipient => {
                    if let (Some(cur), Datum::Str(s)) =
                        (current.as_mut(), map.next_value::<Datum<'de>>()?)
                    {
                        *cur.recipient = Some(s);
                    }
                    continue;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if wants(field) {
                let value = map.next_value::<Datum<'de>>()?;
                facts.set(field, field.decode(&value));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        facts.set(T::ViaId, via_id.unwrap_or(via_channel));
        if let (false, Some(alias)) = (has_custom_fields, alias) {
            for (slot, value) in facts.custom.iter_mut().zip(alias) {
                if let Some(value) = value {
                    *slot = value;
                }
            }
        }
        Ok(())
    }
}

/// The satisfaction rank of a `satisfaction_rating` object.
fn satisfaction(r: &RatingIn<'_>) -> u64 {
    let Datum::Str(score) = &r.score else {
        return UNOFFERED;
    };
    let rank = rank_in(SATISFACTION, score).unwrap_or(UNOFFERED);
    let commented = matches!(&r.comment, Datum::Str(c) if !c.trim().is_empty());
    // good and bad become good/bad_with_comment, the next rank up.
    if rank > OFFERED && rank % 2 == 0 && commented {
        rank + 1
    } else {
        rank
    }
}

struct TagsSeed<'s> {
    vocab: &'s Vocab,
    bits: &'s mut Bits,
    buf: &'s mut String,
}

impl<'de> DeserializeSeed<'de> for TagsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TagsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of tags")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(tag) = seq.next_element::<Datum<'de>>()? {
            if let Datum::Str(tag) = tag {
                let id = if tag.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                    lowercase_into(&tag, self.buf);
                    self.vocab.get(self.buf)
                } else {
                    self.vocab.get(&tag)
                };
                if let Some(id) = id {
                    self.bits.insert(id);
                }
            }
        }
        Ok(())
    }
}

/// Where [`CustomFieldsSeed`] puts the value of a custom-field slot.
trait Slots<'a> {
    fn put(&mut self, slot: u32, value: Datum<'a>);
}

impl<'a> Slots<'a> for Vec<Datum<'a>> {
    fn put(&mut self, slot: u32, value: Datum<'a>) {
        if let Some(v) = self.get_mut(slot as usize) {
            *v = value;
        }
    }
}

impl<'a> Slots<'a> for Vec<Option<Datum<'a>>> {
    fn put(&mut self, slot: u32, value: Datum<'a>) {
        if let Some(v) = self.get_mut(slot as usize) {
            *v = Some(value);
        }
    }
}

struct CustomFieldsSeed<'s, S> {
    rules: &'s RuleSet,
    values: &'s mut S,
}

impl<'de: 'a, 'a, S: Slots<'a>> DeserializeSeed<'de> for CustomFieldsSeed<'_, S> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de: 'a, 'a, S: Slots<'a>> Visitor<'de> for CustomFieldsSeed<'_, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of {id, value} custom fields")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<Option<CustomFieldIn<'de>>>()? {
            let Some(item) = item else { continue };
            if let Some(&slot) = self.rules.custom_slots.get(&id_of(&item.id)) {
                self.values.put(slot, item.value);
            }
        }
        Ok(())
    }
}

/// A requester or organization object: its custom fields map, and the
/// requester's locale.
struct OwnerSeed<'s, 'a> {
    keys: &'s Vocab,
    values: &'s mut Vec<Datum<'a>>,
    fields_key: &'static str,
    locale: Option<&'s mut u64>,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for OwnerSeed<'_, 'a> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for OwnerSeed<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a user or organization object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Datum<'de>>()? {
            match &key {
                Datum::Str(k) if k == self.fields_key && !self.keys.is_empty() => {
                    map.next_value_seed(Optional(FieldsSeed {
                        keys: self.keys,
                        values: &mut *self.values,
                    }))?;
                }
                Datum::Str(k) if k == "locale_id" && self.locale.is_some() => {
                    let locale = id_of(&map.next_value::<Datum<'de>>()?);
                    if let Some(l) = self.locale.as_deref_mut() {
                        *l = locale;
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct FieldsSeed<'s, 'a> {
    keys: &'s Vocab,
    values: &'s mut Vec<Datum<'a>>,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for FieldsSeed<'_, 'a> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for FieldsSeed<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of custom field keys to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Datum<'de>>()? {
            let slot = match &key {
                Datum::Str(k) => self.keys.get(k),
                _ => None,
            };
            match slot.and_then(|s| self.values.get_mut(s as usize)) {
                Some(v) => *v = map.next_value::<Datum<'de>>()?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::replace_lone_surrogates as fix;
    use std::borrow::Cow;

    #[test]
    fn lone_surrogate_escapes_become_replacement_characters() {
        let same = |s: &str| matches!(fix(s), Cow::Borrowed(b) if b == s);
        assert!(same(r#"{"a": "plain \n \u00e9"}"#));
        assert!(same(r#""\ud83c\udf89""#));
        assert!(same(r#""\\ud800""#));
        assert!(same(r#""\ud8""#));
        assert_eq!(fix(r#""\ud800 x""#), r#""\ufffd x""#);
        assert_eq!(fix(r#""\udc00""#), r#""\ufffd""#);
        assert_eq!(fix(r#""\uD800\u0041""#), r#""\ufffd\u0041""#);
        assert_eq!(fix(r#""\ud800\ud83c\udf89""#), r#""\ufffd\ud83c\udf89""#);
        assert_eq!(fix(r#""\\\ud800""#), r#""\\\ufffd""#);
        let parsed: String = serde_json::from_str(&fix(r#""a\ud800b""#)).unwrap();
        assert_eq!(parsed, "a\u{fffd}b");
    }
}
