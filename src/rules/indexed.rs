//! Batch results as a flat index, for callers that build result objects
//! lazily (the JS binding): per update, the positions of the fired triggers
//! and where its final ticket is, either in the input text (a ticket no
//! action changed is never copied) or in an output text that holds only the
//! tickets the actions changed. Offsets count UTF-16 code units, the
//! indices of JavaScript strings. Effects depend only on which triggers
//! fired, so they are given once per trigger ([`RuleSet::effects_json`]).
//!
//! Also what reading an update looks at ([`RuleSet::reads`]), so a caller
//! holding objects can send only those parts and get the same results.

use super::error::RulesError;
use super::eval::Outcome;
use super::field::TicketField;
use super::update::{replace_lone_surrogates, State};
use super::RuleSet;
use serde::de::Error as _;
use serde_json::Value;

/// How [`RuleSet::evaluate_many_indexed`] reports a final ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketForm {
    /// The whole ticket: an unchanged one is located in the input, a
    /// changed one is written to the output text.
    Whole,
    /// Only what the actions changed: for a changed ticket, a JSON object
    /// of the top-level keys they wrote (in the order first written), with
    /// their final values; nothing is written for an unchanged ticket.
    Patch,
}

/// `where` of a ticket no action changed: `start..end` is the ticket in
/// the input text (both 0 in the [`TicketForm::Patch`] form).
pub const IN_INPUT: u32 = 0;
/// `where` of a changed ticket (or one whose input text had to be
/// repaired): `start..end` is its JSON in [`Indexed::text`].
pub const IN_TEXT: u32 = 1;

/// The results of a batch in index form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Indexed {
    /// The JSON texts the index points to with [`IN_TEXT`], one after another.
    pub text: String,
    /// Per update, in order: `where` ([`IN_INPUT`] or [`IN_TEXT`]), `start`
    /// and `end` of the ticket in UTF-16 code units, the number of fired
    /// triggers, then their positions in [`RuleSet::trigger_ids`].
    pub index: Vec<u32>,
}

/// Which parts of a JSON value a reader looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reads {
    /// All of it.
    Whole,
    /// When the value is an object, only these keys, each read as given;
    /// any other value is read whole.
    Keys(Vec<(String, Reads)>),
}

impl Reads {
    fn keys<'k>(keys: impl IntoIterator<Item = (&'k str, Reads)>) -> Reads {
        Reads::Keys(keys.into_iter().map(|(k, r)| (k.to_owned(), r)).collect())
    }
}

impl RuleSet {
    /// Runs the firing cycle for each update of a JSON array (like
    /// [`RuleSet::evaluate_many_json`]) and returns the results in index
    /// form. Offsets into the input count the UTF-16 code units of
    /// `updates` as given.
    pub fn evaluate_many_indexed(
        &self,
        updates: &str,
        form: TicketForm,
    ) -> Result<Indexed, RulesError> {
        let fixed = replace_lone_surrogates(updates);
        let mut w = IndexWriter::new(updates, &fixed, form);
        // A patch needs the ticket's text only when it can change.
        let capture = form == TicketForm::Whole || self.rules.iter().any(|r| r.mutates);
        let mut outcome = Outcome::new(self);
        self.stream(&fixed, capture, |rules, state| {
            rules.cycle_into(state, &mut outcome);
            w.push(rules, state, &outcome)
        })?;
        Ok(w.finish())
    }

    /// Runs the firing cycle for one update given as JSON text and returns
    /// its result in index form (one entry).
    pub fn evaluate_indexed(&self, update: &str, form: TicketForm) -> Result<Indexed, RulesError> {
        let fixed = replace_lone_surrogates(update);
        let mut state = self.read_text(&fixed)?;
        let outcome = self.cycle(&mut state);
        let mut w = IndexWriter::new(update, &fixed, form);
        w.push(self, &state, &outcome)
            .map_err(|e| RulesError::from_json(&e, None))?;
        Ok(w.finish())
    }

    /// Per trigger (in [`RuleSet::trigger_ids`] order), the `Effect` JSON
    /// objects its side-effect actions record, comma-separated (empty when
    /// it has none). An update's effects are those of its fired triggers,
    /// in firing order.
    pub fn effects_json(&self) -> Vec<String> {
        self.rules
            .iter()
            .map(|rule| {
                let mut w = Vec::new();
                // Serializing strings and JSON values to memory cannot fail.
                let _ = self.write_effects(&mut w, rule, &mut true);
                String::from_utf8_lossy(&w).into_owned()
            })
            .collect()
    }

    /// What reading an update looks at: any part outside it can change
    /// neither a result nor whether the update is refused. It includes
    /// whole the ticket keys actions merge into (tags, custom fields,
    /// satisfaction rating), so a [`TicketForm::Patch`] read from it holds
    /// their final values.
    pub fn reads(&self) -> Reads {
        let needs = self.needs;
        let custom = !self.custom_ids.is_empty();
        let mut ticket = ticket_reads(needs.ticket_fields, !self.tags.is_empty(), custom);
        if let Reads::Keys(keys) = &mut ticket {
            if needs.subject_words || needs.subject_text {
                keys.push(("subject".to_owned(), Reads::Whole));
            }
            if needs.recipient {
                keys.push(("recipient".to_owned(), Reads::Whole));
            }
        }
        let previous = if needs.previous() {
            ticket_reads(needs.previous_fields, false, needs.previous_custom)
        } else {
            // Only whether there is one (a creation or a change).
            Reads::Keys(Vec::new())
        };
        let comment = if needs.comment_words || needs.comment_text {
            Reads::keys([("body", Reads::Whole), ("public", Reads::Whole)])
        } else {
            Reads::keys([("public", Reads::Whole)])
        };
        let owner = |fields_key: &str, keys: &super::text::Vocab, locale: bool| {
            let mut read = Vec::new();
            if !keys.is_empty() {
                let names = (0..keys.len())
                    .filter_map(|i| keys.word(u32::try_from(i).ok()?))
                    .map(|k| (k.to_owned(), Reads::Whole))
                    .collect();
                read.push((fields_key.to_owned(), Reads::Keys(names)));
            }
            if locale {
                read.push(("locale_id".to_owned(), Reads::Whole));
            }
            Reads::Keys(read)
        };
        Reads::Keys(vec![
            ("ticket".to_owned(), ticket),
            ("previous".to_owned(), previous),
            ("comment".to_owned(), comment),
            ("via_id".to_owned(), Reads::Whole),
            ("in_business_hours".to_owned(), Reads::Whole),
            (
                "requester".to_owned(),
                owner("user_fields", &self.requester_keys, true),
            ),
            (
                "organization".to_owned(),
                owner("organization_fields", &self.organization_keys, false),
            ),
            (
                "current_user".to_owned(),
                Reads::keys([("id", Reads::Whole), ("role", Reads::Whole)]),
            ),
            (
                "metrics".to_owned(),
                Reads::keys([
                    ("reopens", Reads::Whole),
                    ("replies", Reads::Whole),
                    ("assignee_stations", Reads::Whole),
                    ("agent_stations", Reads::Whole),
                    ("group_stations", Reads::Whole),
                ]),
            ),
        ])
    }
}

/// The keys of a ticket (or the ticket before the update) that reading
/// looks at, given the fields read (bits of `field_bit`), whether tags
/// and custom fields are read.
fn ticket_reads(fields: u16, tags: bool, custom: bool) -> Reads {
    let mut keys = Vec::new();
    for field in TicketField::ALL {
        if fields & super::compile::field_bit(field) == 0 {
            continue;
        }
        match field {
            TicketField::ViaId => {
                keys.push(("via_id".to_owned(), Reads::Whole));
                keys.push(("via".to_owned(), Reads::keys([("channel", Reads::Whole)])));
            }
            field => keys.push((field.json_key().to_owned(), Reads::Whole)),
        }
    }
    if tags {
        keys.push(("tags".to_owned(), Reads::Whole));
    }
    if custom {
        keys.push(("custom_fields".to_owned(), Reads::Whole));
        keys.push(("fields".to_owned(), Reads::Whole));
    }
    Reads::Keys(keys)
}

/// Builds an [`Indexed`] update by update.
struct IndexWriter<'t> {
    /// The input as the caller gave it.
    original: &'t str,
    /// The input as read (escaped lone surrogates replaced: same length).
    read: &'t str,
    form: TicketForm,
    input: Utf16Cursor<'t>,
    out: Vec<u8>,
    out_units: usize,
    index: Vec<u32>,
}

impl<'t> IndexWriter<'t> {
    fn new(original: &'t str, read: &'t str, form: TicketForm) -> Self {
        IndexWriter {
            original,
            read,
            form,
            input: Utf16Cursor::new(read),
            out: Vec::new(),
            out_units: 0,
            index: Vec::with_capacity(original.len() / 64),
        }
    }

    fn push(
        &mut self,
        rules: &RuleSet,
        s: &State<'_>,
        out: &Outcome<'_>,
    ) -> Result<(), serde_json::Error> {
        let ticket = s.ticket_text.unwrap_or("null");
        if !out.changed() {
            if self.form == TicketForm::Patch {
                self.index.extend([IN_INPUT, 0, 0]);
                return self.push_fired(out);
            }
            // Unless escaped lone surrogates were replaced, the input and
            // the text read are the same.
            let start = offset_in(self.read, ticket).filter(|&at| {
                self.original.as_ptr() == self.read.as_ptr()
                    || self.original.get(at..at + ticket.len()) == Some(ticket)
            });
            if let Some(at) = start {
                let from = self.input.units_at(at);
                let to = self.input.units_at(at + ticket.len());
                self.index.extend([IN_INPUT, unit(from)?, unit(to)?]);
                return self.push_fired(out);
            }
        }
        let from = self.out.len();
        match self.form {
            TicketForm::Whole if !out.changed() => self.out.extend_from_slice(ticket.as_bytes()),
            TicketForm::Whole => {
                let value = rules.final_ticket(super::eval::TicketJson::Text(ticket), s, out)?;
                serde_json::to_writer(&mut self.out, &value)?;
            }
            TicketForm::Patch => self.write_patch(rules, ticket, s, out)?,
        }
        let start = self.out_units;
        self.out_units += utf16_len(self.out.get(from..).unwrap_or_default());
        self.index
            .extend([IN_TEXT, unit(start)?, unit(self.out_units)?]);
        self.push_fired(out)
    }

    fn push_fired(&mut self, out: &Outcome<'_>) -> Result<(), serde_json::Error> {
        self.index.push(unit(out.fired.len())?);
        self.index.extend_from_slice(&out.fired);
        Ok(())
    }

    /// Writes the changed keys of the final ticket as a JSON object.
    fn write_patch(
        &mut self,
        rules: &RuleSet,
        ticket: &str,
        s: &State<'_>,
        out: &Outcome<'_>,
    ) -> Result<(), serde_json::Error> {
        let mut value: Value = serde_json::from_str(ticket)?;
        let keys = rules.patch(&mut value, s, out);
        self.out.push(b'{');
        for (i, key) in keys.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            serde_json::to_writer(&mut self.out, key)?;
            self.out.push(b':');
            serde_json::to_writer(&mut self.out, value.get(key).unwrap_or(&Value::Null))?;
        }
        self.out.push(b'}');
        Ok(())
    }

    fn finish(self) -> Indexed {
        Indexed {
            // Only serde_json output and slices of `&str` input were written.
            text: String::from_utf8(self.out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            index: self.index,
        }
    }
}

/// The byte offset of `part` in `whole` when `part` is a slice of it.
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let at = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (at + part.len() <= whole.len()).then_some(at)
}

fn unit(n: usize) -> Result<u32, serde_json::Error> {
    u32::try_from(n).map_err(|_| serde_json::Error::custom("batch too large for UTF-16 offsets"))
}

/// Counts UTF-16 code units up to increasing byte offsets of a text.
struct Utf16Cursor<'t> {
    text: &'t [u8],
    byte: usize,
    units: usize,
}

impl<'t> Utf16Cursor<'t> {
    fn new(text: &'t str) -> Self {
        Utf16Cursor {
            text: text.as_bytes(),
            byte: 0,
            units: 0,
        }
    }

    /// The UTF-16 length of the text before byte `at` (a char boundary).
    fn units_at(&mut self, at: usize) -> usize {
        if at < self.byte {
            self.byte = 0;
            self.units = 0;
        }
        let at = at.min(self.text.len());
        self.units += utf16_len(self.text.get(self.byte..at).unwrap_or_default());
        self.byte = at;
        self.units
    }
}

/// The UTF-16 length of UTF-8 text: one unit per character, two for
/// those outside the Basic Multilingual Plane (four-byte sequences).
fn utf16_len(utf8: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let per_byte = |b: &u8| usize::from(b & 0xC0 != 0x80) + usize::from(*b >= 0xF0);
    let mut chunks = utf8.chunks_exact(8);
    let mut n = 0;
    for chunk in &mut chunks {
        match <[u8; 8]>::try_from(chunk) {
            Ok(bytes) if u64::from_le_bytes(bytes) & HIGH == 0 => n += 8,
            _ => n += chunk.iter().map(per_byte).sum::<usize>(),
        }
    }
    n + chunks.remainder().iter().map(per_byte).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::utf16_len;

    #[test]
    fn utf16_lengths_match_the_standard_library() {
        for text in [
            "",
            "plain ascii text longer than eight bytes",
            "é",
            "日本語のテキスト",
            "🎉 party 🎉🎉 and more 🎉",
            "mixed é 日 🎉 a\u{fffd}",
            "1234567é",
            "12345678🎉",
        ] {
            assert_eq!(
                utf16_len(text.as_bytes()),
                text.encode_utf16().count(),
                "{text}"
            );
        }
    }
}
