//! The batch path: evaluates a filter over the text of a JSON array without
//! building the items. Each item is read through the filter's
//! [`Projection`], compiled here into a [`Plan`]: the keys the filter looks
//! up are read into a small per-item [`Doc`] whose strings are borrowed from
//! the text (or decoded into one reused buffer when they have escapes);
//! everything else is skipped by the [`scan`](super::scan) scanner. Only a
//! container the filter uses whole (`size(event.tags)`, `x == [1, 2]`) is
//! built, as a [`crate::json::Value`], by the same scanner. The buffers are
//! reused from item to item, so a batch allocates almost nothing per item.
//!
//! The result equals evaluating the projected item (see
//! [`project`](super::project)), errors included. What the batch accepts is
//! what it always accepted: strict JSON; in the parts the filter reads,
//! `\u` escapes whose surrogates pair up and numbers within the double
//! range; read containers nested at most 127 levels (the batch array
//! counts). The tests check all of it against a reference parser.

use super::project::Projection;
use super::scan::{ScanError, Scanner, Str};
use super::value::{Map, Val};
use crate::json::{Map as JsonMap, Value};
use std::borrow::Cow;

/// A read container nested this deep (the batch array is level 1) is an error.
const RECURSION_LIMIT: usize = 128;

/// Marks a key of a projected object that the item does not have.
const ABSENT: u32 = u32::MAX;

/// A [`Projection`] flattened for the scanner: node 0 is the item.
#[derive(Debug)]
pub(crate) struct Plan {
    nodes: Vec<PlanNode>,
}

/// `None` reads the value whole; `Some` reads only these keys of an object
/// (with the plan node of each), any other value whole.
#[derive(Debug)]
struct PlanNode {
    fields: Option<Vec<(Box<str>, u32)>>,
}

impl Plan {
    /// Flattens a projection (keys in the projection's sorted order).
    pub(crate) fn of(projection: &Projection) -> Plan {
        let mut plan = Plan { nodes: Vec::new() };
        plan.add(projection);
        plan
    }

    fn add(&mut self, projection: &Projection) -> u32 {
        let index = self.nodes.len();
        self.nodes.push(PlanNode { fields: None });
        if let Some(fields) = projection.fields() {
            let list = fields
                .iter()
                .map(|(key, child)| (Box::from(key.as_str()), self.add(child)))
                .collect();
            if let Some(node) = self.nodes.get_mut(index) {
                node.fields = Some(list);
            }
        }
        u32::try_from(index).unwrap_or(u32::MAX)
    }

    fn fields(&self, node: u32) -> Option<&[(Box<str>, u32)]> {
        self.nodes
            .get(node as usize)
            .and_then(|n| n.fields.as_deref())
    }
}

/// A value of one item as read through the plan.
#[derive(Debug, Clone, Copy)]
enum Node<'t> {
    Null,
    Bool(bool),
    Number(f64),
    Str(&'t str),
    /// A string with escapes, decoded at this range of `Doc::strings`.
    Decoded(u32, u32),
    /// A container read whole: this index of `Doc::values`.
    Whole(u32),
    /// An object read through plan node `plan`: its keys' nodes are
    /// `Doc::slots[first..]`, one per key of the plan node.
    Object {
        plan: u32,
        first: u32,
    },
}

/// One item as read through a plan. Cleared (not freed) between items.
#[derive(Debug, Default)]
pub(crate) struct Doc<'t> {
    nodes: Vec<Node<'t>>,
    slots: Vec<u32>,
    strings: String,
    values: Vec<Value>,
}

/// An object of an item read through a plan: only the keys the filter can
/// look up are there, as in the projected value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocMap<'a> {
    doc: &'a Doc<'a>,
    plan: &'a Plan,
    plan_node: u32,
    first: u32,
}

impl<'a> DocMap<'a> {
    fn entries(&self) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        let slots = self.doc.slots.get(self.first as usize..).unwrap_or(&[]);
        self.plan
            .fields(self.plan_node)
            .unwrap_or(&[])
            .iter()
            .zip(slots)
            .filter(|(_, &slot)| slot != ABSENT)
            .map(|((key, _), &slot)| (key.as_ref(), slot))
    }

    /// The number of keys present.
    pub(crate) fn len(&self) -> usize {
        self.entries().count()
    }

    /// The value under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<Val<'a>> {
        let fields = self.plan.fields(self.plan_node)?;
        let i = fields.iter().position(|(k, _)| k.as_ref() == key)?;
        let slot = *self.doc.slots.get(self.first as usize + i)?;
        (slot != ABSENT).then(|| self.doc.val(self.plan, slot))
    }

    /// Every entry, in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'a str, Val<'a>)> + 'a {
        let (doc, plan) = (self.doc, self.plan);
        self.entries()
            .map(move |(k, slot)| (k, doc.val(plan, slot)))
    }
}

impl<'t> Doc<'t> {
    fn clear(&mut self) {
        self.nodes.clear();
        self.slots.clear();
        self.strings.clear();
        self.values.clear();
    }

    fn push(&mut self, node: Node<'t>) -> u32 {
        self.nodes.push(node);
        u32::try_from(self.nodes.len() - 1).unwrap_or(ABSENT)
    }

    /// The CEL value of node `index`.
    fn val<'a>(&'a self, plan: &'a Plan, index: u32) -> Val<'a> {
        match self.nodes.get(index as usize) {
            None | Some(Node::Null) => Val::Null,
            Some(Node::Bool(b)) => Val::Bool(*b),
            Some(Node::Number(d)) => Val::Double(*d),
            Some(Node::Str(s)) => Val::Str(Cow::Borrowed(s)),
            Some(Node::Decoded(start, end)) => Val::Str(Cow::Borrowed(
                self.strings
                    .get(*start as usize..*end as usize)
                    .unwrap_or(""),
            )),
            Some(Node::Whole(i)) => self
                .values
                .get(*i as usize)
                .map_or(Val::Null, Val::from_json),
            Some(Node::Object { plan: p, first }) => Val::Map(Map::Doc(DocMap {
                doc: self,
                plan,
                plan_node: *p,
                first: *first,
            })),
        }
    }
}

/// Reads `text`, a JSON array, item by item through `plan`, calling `each`
/// with every item's value as soon as it is read.
pub(crate) fn for_each_item(
    text: &str,
    plan: &Plan,
    mut each: impl FnMut(Val<'_>),
) -> Result<(), ScanError> {
    let mut scanner = Scanner::new(text);
    let mut doc = Doc::default();
    let mut key = String::new();
    scanner.expect(b'[', "expected a JSON array")?;
    if scanner.skip_ws() == Some(b']') {
        scanner.bump();
    } else {
        loop {
            doc.clear();
            let root = read(&mut scanner, plan, 0, 1, &mut doc, &mut key)?;
            each(doc.val(plan, root));
            if !scanner.next_member(b']')? {
                break;
            }
        }
    }
    match scanner.skip_ws() {
        None => Ok(()),
        Some(_) => scanner.error("text after the array"),
    }
}

/// Reads one value through plan node `plan_node`; `level` counts the
/// containers around it (the batch array is level 1). Recursion follows
/// the plan, whose depth the projection bounds.
fn read<'t>(
    scanner: &mut Scanner<'t>,
    plan: &Plan,
    plan_node: u32,
    level: usize,
    doc: &mut Doc<'t>,
    key: &mut String,
) -> Result<u32, ScanError> {
    let node = match scanner.skip_ws() {
        Some(b'{') => match plan.fields(plan_node) {
            Some(fields) => return read_object(scanner, plan, plan_node, fields, level, doc, key),
            None => whole(scanner, level, doc)?,
        },
        Some(b'[') => whole(scanner, level, doc)?,
        Some(b'"') => {
            scanner.bump();
            match scanner.string(&mut doc.strings)? {
                Str::Borrowed(s) => Node::Str(s),
                Str::Decoded { start, end } => Node::Decoded(offset(start), offset(end)),
            }
        }
        Some(b't' | b'f' | b'n') => scanner.keyword()?.map_or(Node::Null, Node::Bool),
        Some(b'-' | b'0'..=b'9') => Node::Number(scanner.number()?),
        Some(_) => return scanner.error("expected a value"),
        None => return scanner.error("end of text where a value was expected"),
    };
    Ok(doc.push(node))
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Reads an array or object whole (at the opening bracket), checking it as
/// a value the filter reads: escapes must pair up, numbers must be finite.
fn whole<'t>(
    scanner: &mut Scanner<'t>,
    level: usize,
    doc: &mut Doc<'t>,
) -> Result<Node<'t>, ScanError> {
    let value = build(scanner, level, &mut doc.strings)?;
    doc.values.push(value);
    Ok(Node::Whole(offset(doc.values.len() - 1)))
}

/// Builds the value at the scanner (after whitespace); a container at
/// `level` holds its items at `level + 1`. Recursion is bounded by
/// [`RECURSION_LIMIT`]. Decoded strings pass through the end of `buf`, which
/// is left as it was.
fn build(scanner: &mut Scanner<'_>, level: usize, buf: &mut String) -> Result<Value, ScanError> {
    let open = scanner.skip_ws();
    if matches!(open, Some(b'[' | b'{')) && level + 1 >= RECURSION_LIMIT {
        return scanner.error("nested too deep");
    }
    Ok(match open {
        Some(b'[') => {
            let mut items = Vec::new();
            members(scanner, b']', |scanner| {
                items.push(build(scanner, level + 1, buf)?);
                Ok(())
            })?;
            Value::Array(items)
        }
        Some(b'{') => {
            let mut pairs = Vec::new();
            members(scanner, b'}', |scanner| {
                scanner.expect(b'"', "expected an object key")?;
                let key = owned_string(scanner, buf)?;
                scanner.expect(b':', "expected ':'")?;
                pairs.push((key, build(scanner, level + 1, buf)?));
                Ok(())
            })?;
            // A repeated key keeps its last value.
            Value::Object(JsonMap::from_pairs(pairs))
        }
        Some(b'"') => {
            scanner.bump();
            Value::String(owned_string(scanner, buf)?)
        }
        Some(b't' | b'f' | b'n') => scanner.keyword()?.map_or(Value::Null, Value::Bool),
        Some(b'-' | b'0'..=b'9') => Value::Number(scanner.number()?),
        Some(_) => return scanner.error("expected a value"),
        None => return scanner.error("end of text where a value was expected"),
    })
}

/// Consumes the opening bracket at the scanner, then reads each member
/// with `member` up to the closing bracket `close`.
fn members<'t>(
    scanner: &mut Scanner<'t>,
    close: u8,
    mut member: impl FnMut(&mut Scanner<'t>) -> Result<(), ScanError>,
) -> Result<(), ScanError> {
    scanner.bump();
    if scanner.skip_ws() == Some(close) {
        scanner.bump();
        return Ok(());
    }
    loop {
        member(scanner)?;
        if !scanner.next_member(close)? {
            return Ok(());
        }
    }
}

/// The rest of a string whose opening quote is consumed, owned.
fn owned_string(scanner: &mut Scanner<'_>, buf: &mut String) -> Result<String, ScanError> {
    let mark = buf.len();
    let s = match scanner.string(buf)? {
        Str::Borrowed(s) => s.to_owned(),
        Str::Decoded { start, end } => buf.get(start..end).unwrap_or("").to_owned(),
    };
    buf.truncate(mark);
    Ok(s)
}

fn read_object<'t>(
    scanner: &mut Scanner<'t>,
    plan: &Plan,
    plan_node: u32,
    fields: &[(Box<str>, u32)],
    level: usize,
    doc: &mut Doc<'t>,
    key: &mut String,
) -> Result<u32, ScanError> {
    if level + 1 >= RECURSION_LIMIT {
        return scanner.error("nested too deep");
    }
    scanner.bump();
    let first = doc.slots.len();
    doc.slots.resize(first + fields.len(), ABSENT);
    if scanner.skip_ws() == Some(b'}') {
        scanner.bump();
    } else {
        loop {
            scanner.expect(b'"', "expected an object key")?;
            // Keys of a read object are read in full (escapes checked).
            key.clear();
            let name = match scanner.string(key)? {
                Str::Borrowed(s) => s,
                Str::Decoded { .. } => key.as_str(),
            };
            let wanted = fields
                .iter()
                .position(|(k, _)| k.as_ref() == name)
                .and_then(|i| Some((i, fields.get(i)?.1)));
            scanner.expect(b':', "expected ':'")?;
            match wanted {
                Some((i, child)) => {
                    let value = read(scanner, plan, child, level + 1, doc, key)?;
                    // A repeated key keeps its last value.
                    if let Some(slot) = doc.slots.get_mut(first + i) {
                        *slot = value;
                    }
                }
                None => {
                    scanner.skip_value()?;
                }
            }
            if !scanner.next_member(b'}')? {
                break;
            }
        }
    }
    Ok(doc.push(Node::Object {
        plan: plan_node,
        first: offset(first),
    }))
}

#[cfg(test)]
mod tests {
    use super::super::{project, EvalError, Filter};
    use super::*;

    type Codes = Vec<Result<bool, &'static str>>;

    fn codes(outcomes: &[Result<bool, EvalError>]) -> Codes {
        outcomes
            .iter()
            .map(|r| r.as_ref().map(|b| *b).map_err(EvalError::code))
            .collect()
    }

    /// The scanner's outcomes, or its error.
    fn scanned(filter: &Filter, text: &str) -> Result<Codes, ScanError> {
        let mut out = Vec::new();
        for_each_item(text, &filter.plan, |item| {
            out.push(filter.evaluate_root(item))
        })?;
        Ok(codes(&out))
    }

    /// serde_json's outcomes through the projection, or its error.
    fn reference_result(filter: &Filter, text: &str) -> Result<Codes, serde_json::Error> {
        let mut out = Vec::new();
        project::reference::for_each_projected(text, &filter.projection, |item| {
            let item = crate::json::parse(&item.to_string()).expect("serde_json's text parses");
            out.push(filter.evaluate(&item))
        })?;
        Ok(codes(&out))
    }

    /// serde_json's outcomes, or `None` when it refuses the text.
    fn reference(filter: &Filter, text: &str) -> Option<Codes> {
        reference_result(filter, text).ok()
    }

    /// The scanner accepts `text` exactly when serde_json does, agrees on
    /// every outcome, and reports an error inside the text, never later
    /// than serde_json finds one (its position may be one byte earlier:
    /// serde_json points at the last byte it read).
    fn agree(filter: &Filter, text: &str) {
        match (scanned(filter, text), reference(filter, text)) {
            (Ok(ours), Some(theirs)) => assert_eq!(ours, theirs, "{} on {text:?}", filter.source()),
            (Err(e), None) => {
                assert!(e.offset <= text.len(), "{e:?} on {text:?}");
                let ours = filter.evaluate_json_array(text).unwrap_err();
                let theirs = reference_result(filter, text).unwrap_err();
                // serde_json's line and column, as a byte offset.
                let line_start: usize = text
                    .split_inclusive('\n')
                    .take(theirs.line().saturating_sub(1))
                    .map(str::len)
                    .sum();
                let at = line_start + theirs.column();
                assert!(ours.offset <= at + 1, "{text:?}: {ours} / {theirs}");
            }
            (ours, theirs) => panic!(
                "{} on {text:?}: scanner {ours:?}, serde_json {theirs:?}",
                filter.source()
            ),
        }
    }

    const FILTERS: [&str; 6] = [
        "event.properties.plan == 'pro' && event.properties.amount > 100",
        "has(event.properties.coupon) && customer.email.endsWith('@corp.io')",
        "size(event.tags) == 2 || event == {'name': 'x'}",
        "customer['e-mail\\n'] == 'a' || customer['é'] == 'b'",
        "x.a.b.c == 1 || size(x) > 0",
        "true",
    ];

    const DOCS: [&str; 5] = [
        r#"[{"event":{"name":"purchase","properties":{"plan":"pro","amount":150,"coupon":null}},"customer":{"email":"a@corp.io"}}]"#,
        r#" [ {"event" : {"properties": {"plan": "p\u0072o", "amount": 1.5e2, "plan": "team"}, "tags": ["a", {"b": [1, -0]}]}},
            {"customer": {"e-mail\n": "a", "\u00e9": "b", "x": "\ud800"}}, null, 3, "s", [1, 2], {"x": {"a": {"b": {"c": 1}}}} ] "#,
        r#"[{"event": "text", "customer": [], "x": {"a": [[[[]]]], "b": true}}, {"event": {"properties": [1e300, false]}}]"#,
        r#"[{"skip": {"deep": [[{"s": "\"]}"}]], "n": 1e999, "u": "\udc00"}, "event": {"name": "\ud83d\ude00"}}]"#,
        "[]",
    ];

    #[test]
    fn agrees_with_serde_json_on_documents() {
        for source in FILTERS {
            let filter = Filter::compile(source).unwrap();
            for doc in DOCS {
                agree(&filter, doc);
                assert!(scanned(&filter, doc).is_ok(), "{source} on {doc}");
            }
        }
    }

    #[test]
    fn every_truncation_is_an_error_like_serde_json() {
        for source in FILTERS {
            let filter = Filter::compile(source).unwrap();
            for doc in DOCS {
                for end in (0..doc.len()).filter(|&i| doc.is_char_boundary(i)) {
                    agree(&filter, &doc[..end]);
                }
            }
        }
    }

    #[test]
    fn every_byte_replaced_agrees_with_serde_json() {
        let replacements = [
            "", " ", "\"", "\\", ",", ":", "[", "]", "{", "}", "0", "-", ".", "e", "u", "n", "\n",
            "\u{1}", "é",
        ];
        for source in FILTERS {
            let filter = Filter::compile(source).unwrap();
            for doc in DOCS {
                for (i, _) in doc.char_indices() {
                    let rest = doc[i..].chars().next().map_or(0, char::len_utf8);
                    for r in replacements {
                        let text = format!("{}{r}{}", &doc[..i], &doc[i + rest..]);
                        agree(&filter, &text);
                    }
                }
            }
        }
    }

    #[test]
    fn read_values_are_checked_as_serde_json_parses_them() {
        let filter = Filter::compile(FILTERS[0]).unwrap();
        for bad in [
            r#"[{"event": {"properties": {"plan": "\ud800"}}}]"#,
            r#"[{"event": {"properties": {"amount": 1e999}}}]"#,
            r#"[{"event": {"properties": {"amount": [1e999]}}}]"#,
            r#"[{"event": {"\udc00": 1}}]"#,
        ] {
            assert!(reference(&filter, bad).is_none(), "{bad}");
            assert!(scanned(&filter, bad).is_err(), "{bad}");
        }
        // The same in parts the filter does not read is accepted.
        let fine = r#"[{"event": {"x": "\ud800", "y": 1e999, "properties": {"z": ["\udc00"]}}}]"#;
        assert_eq!(scanned(&filter, fine), Ok(vec![Err("no_such_key")]));
        agree(&filter, fine);
    }

    #[test]
    fn read_containers_nest_as_deep_as_serde_json_allows() {
        let filter = Filter::compile("size(x) >= 0 && has(y.a)").unwrap();
        for depth in [120, 125, 126, 127, 128, 200] {
            let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            // Read whole (x), read through the plan (y), and skipped (z).
            for item in [
                format!(r#"{{"x": {nested}, "y": {{"a": 1}}}}"#),
                format!(r#"{{"x": [], "y": {{"a": {nested}}}}}"#),
                format!(r#"{{"x": [], "y": {{"a": 1}}, "z": {nested}}}"#),
            ] {
                agree(&filter, &format!("[{item}]"));
            }
        }
        let mut deep = String::from("1");
        for _ in 0..126 {
            deep = format!(r#"{{"b": {deep}}}"#);
        }
        let long = Filter::compile(&format!("a{} == 1", ".b".repeat(126))).unwrap();
        for wrap in 0..3 {
            let mut text = deep.clone();
            for _ in 0..wrap {
                text = format!(r#"{{"b": {text}}}"#);
            }
            agree(&long, &format!(r#"[{{"a": {text}}}]"#));
        }
    }

    /// Random sequences of JSON tokens (mostly invalid), then random
    /// nested documents (mostly valid).
    #[test]
    fn random_texts_agree_with_serde_json() {
        let mut seed: u64 = 0x1234_5678_9abc_def1;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let pieces = [
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\\",
            "\"a\"",
            "\"b\"",
            "\"event\"",
            "\"properties\"",
            "\"plan\"",
            "1",
            "-0",
            "1e999",
            "2.5",
            "null",
            "true",
            "\"\\ud800\"",
            "\"\\u00e9\"",
            " ",
            "\"x\\\"y\"",
            "\"pro\"",
            "\"amount\"",
            "150",
            "\"tags\"",
        ];
        let filters: Vec<Filter> = FILTERS
            .iter()
            .map(|f| Filter::compile(f).unwrap())
            .chain([Filter::compile(
                "event.properties.plan == 'pro' || size(event.tags) > 0 || has(event.a.b)",
            )
            .unwrap()])
            .collect();
        for _ in 0..30_000 {
            let mut text = String::from("[");
            for _ in 0..next(30) {
                text.push_str(pieces[next(pieces.len())]);
            }
            if next(2) == 0 {
                text.push(']');
            }
            let f = &filters[next(filters.len())];
            agree(f, &text);
        }
        // Mostly valid documents, with the hard cases as leaves.
        fn gen(next: &mut dyn FnMut(usize) -> usize, depth: usize, out: &mut String) {
            match if depth > 4 { next(5) } else { next(8) } {
                0 => out.push_str(["1", "-0.5", "1e999", "0", "12345678901234567890"][next(5)]),
                1 => out.push_str(
                    [
                        "\"pro\"",
                        "\"\\ud800\"",
                        "\"a\\nb\"",
                        "\"é\"",
                        "\"\\udc00\"",
                    ][next(5)],
                ),
                2 => out.push_str("null"),
                3 => out.push_str("true"),
                4 => out.push_str("\"s\""),
                5 | 6 => {
                    out.push('{');
                    for i in 0..next(4) {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(
                            [
                                "\"event\"",
                                "\"properties\"",
                                "\"plan\"",
                                "\"tags\"",
                                "\"a\"",
                                "\"b\"",
                                "\"x\"",
                                "\"c\"",
                            ][next(8)],
                        );
                        out.push(':');
                        gen(next, depth + 1, out);
                    }
                    out.push('}');
                }
                _ => {
                    out.push('[');
                    for i in 0..next(4) {
                        if i > 0 {
                            out.push(',');
                        }
                        gen(next, depth + 1, out);
                    }
                    out.push(']');
                }
            }
        }
        for _ in 0..30_000 {
            let mut text = String::from("[");
            for i in 0..next(3) {
                if i > 0 {
                    text.push(',');
                }
                gen(&mut next, 0, &mut text);
            }
            text.push(']');
            let f = &filters[next(filters.len())];
            agree(f, &text);
        }
    }
}
