//! The batch path: evaluates a filter over the text of a JSON array without
//! building the items. Each item is read through the filter's
//! [`Projection`], compiled here into a [`Plan`]: the keys the filter looks
//! up are read into a small per-item [`Doc`] whose strings are borrowed from
//! the text (or decoded into one reused buffer when they have escapes);
//! everything else is skipped by the [`scan`](super::scan) scanner. Only a
//! container the filter uses whole (`size(event.tags)`, `x == [1, 2]`) is
//! built, as a `serde_json::Value`. The buffers are reused from item to
//! item, so a batch allocates almost nothing per item.
//!
//! The result equals evaluating the projected value that
//! `serde_json` would build (see [`project`](super::project)), errors
//! included: the scanner refuses exactly the texts `serde_json` refuses,
//! nesting of read containers included (at most 127 levels, like
//! `serde_json`'s recursion limit of 128).

use super::project::Projection;
use super::scan::{ScanError, Scanner, Str};
use super::value::{Map, Val};
use serde_json::Value;
use std::borrow::Cow;

/// `serde_json`'s recursion limit: a read container nested this deep is an error.
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
    /// Flattens a projection (keys in the projection's sorted order, which
    /// is the order of a `serde_json` map).
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
/// look up are there, as in the projected `serde_json` value.
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
        self.entries()
            .find(|(k, _)| *k == key)
            .map(|(_, slot)| self.doc.val(self.plan, slot))
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
            match scanner.skip_ws() {
                Some(b',') => scanner.bump(),
                Some(b']') => {
                    scanner.bump();
                    break;
                }
                Some(_) => return scanner.error("expected ',' or ']'"),
                None => return scanner.error("end of text inside the array"),
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

/// Reads an array or object whole, as `serde_json` would inside the batch.
fn whole<'t>(
    scanner: &mut Scanner<'t>,
    level: usize,
    doc: &mut Doc<'t>,
) -> Result<Node<'t>, ScanError> {
    let start = scanner.pos();
    let deepest = scanner.skip_value()?;
    if level + deepest >= RECURSION_LIMIT {
        return Err(ScanError {
            offset: start,
            reason: "nested too deep",
        });
    }
    // Checked above except for what only parsing finds (unpaired surrogate
    // escapes, numbers out of range), which `serde_json` reports here.
    let value =
        serde_json::from_str(scanner.slice(start, scanner.pos())).map_err(|_| ScanError {
            offset: start,
            reason: "invalid string or number in a value",
        })?;
    doc.values.push(value);
    Ok(Node::Whole(offset(doc.values.len() - 1)))
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
            // Keys of a read object are parsed (escapes checked) by serde_json too.
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
                    // A repeated key keeps its last value, as in serde_json.
                    if let Some(slot) = doc.slots.get_mut(first + i) {
                        *slot = value;
                    }
                }
                None => {
                    scanner.skip_value()?;
                }
            }
            match scanner.skip_ws() {
                Some(b',') => scanner.bump(),
                Some(b'}') => {
                    scanner.bump();
                    break;
                }
                Some(_) => return scanner.error("expected ',' or '}'"),
                None => return scanner.error("end of text inside an object"),
            }
        }
    }
    Ok(doc.push(Node::Object {
        plan: plan_node,
        first: offset(first),
    }))
}
