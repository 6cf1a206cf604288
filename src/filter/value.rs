//! CEL values during evaluation, and the owned [`CelValue`] handed out.
//!
//! [`Val`] borrows wherever it can: strings, lists and maps read from the
//! JSON data are views into the caller's [`crate::json::Value`], and constants
//! are views into the compiled program, so evaluating a path and comparing
//! it with a literal allocates nothing. Values built at run time (string
//! concatenation, list literals with variables) are owned.
//!
//! JSON numbers are CEL `double`s, as in CEL's JSON mapping
//! (`google.protobuf.Value`); heterogeneous numeric equality and ordering
//! make `event.count == 3` and `event.count > 2` hold for `{"count": 3}`.

use super::batch::DocMap;
use super::error::{EvalError, EvalErrorCode};
use crate::json::{Map as JsonMap, Value as Json};
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

/// Deepest nesting of lists and maps that equality and conversion walk.
pub(crate) const MAX_VALUE_DEPTH: usize = 128;

/// A CEL value during evaluation.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Double(f64),
    Str(Cow<'a, str>),
    Bytes(Cow<'a, [u8]>),
    List(List<'a>),
    Map(Map<'a>),
}

/// A list: a JSON array, a slice of values (a constant), an owned list, or
/// a constant list of strings indexed for `in`.
#[derive(Debug, Clone)]
pub(crate) enum List<'a> {
    Json(&'a [Json]),
    Slice(&'a [Val<'a>]),
    Owned(Arc<[Val<'a>]>),
    Strings(Arc<StringList>),
}

/// A constant list of strings with a hash set of its items, so `x in
/// [...]` over a long list is one lookup: a string is in the list when the
/// set has it, and no other value equals a string.
#[derive(Debug)]
pub(crate) struct StringList {
    items: Vec<Box<str>>,
    set: FxHashSet<Box<str>>,
}

impl StringList {
    /// Lists shorter than this are searched item by item, which is faster.
    pub(crate) const MIN_LEN: usize = 8;

    /// The list of `values` when they are all strings.
    pub(crate) fn of(values: &[Val<'_>]) -> Option<StringList> {
        let items: Vec<Box<str>> = values
            .iter()
            .map(|v| match v {
                Val::Str(s) => Some(Box::from(s.as_ref())),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let set = items.iter().cloned().collect();
        Some(StringList { items, set })
    }

    /// Whether `needle` equals an item.
    pub(crate) fn contains(&self, needle: &Val<'_>) -> bool {
        matches!(needle, Val::Str(s) if self.set.contains(s.as_ref()))
    }
}

/// A map: a JSON object (string keys), an object of a batch item read by
/// the scanner (string keys), or key/value pairs from a literal.
#[derive(Debug, Clone)]
pub(crate) enum Map<'a> {
    Json(&'a JsonMap),
    Doc(DocMap<'a>),
    Slice(&'a [(Val<'a>, Val<'a>)]),
    Owned(Arc<[(Val<'a>, Val<'a>)]>),
}

/// The CEL type names used in messages.
pub(crate) fn type_name(v: &Val<'_>) -> &'static str {
    match v {
        Val::Null => "null_type",
        Val::Bool(_) => "bool",
        Val::Int(_) => "int",
        Val::Uint(_) => "uint",
        Val::Double(_) => "double",
        Val::Str(_) => "string",
        Val::Bytes(_) => "bytes",
        Val::List(_) => "list",
        Val::Map(_) => "map",
    }
}

impl<'a> Val<'a> {
    /// The CEL value of a JSON value (numbers become doubles).
    pub(crate) fn from_json(json: &'a Json) -> Val<'a> {
        match json {
            Json::Null => Val::Null,
            Json::Bool(b) => Val::Bool(*b),
            Json::Number(n) => Val::Double(*n),
            Json::String(s) => Val::Str(Cow::Borrowed(s)),
            Json::Array(items) => Val::List(List::Json(items)),
            Json::Object(map) => Val::Map(Map::Json(map)),
        }
    }

    /// A view of this value that borrows instead of owning, so constants of
    /// the program are used without copying.
    pub(crate) fn view(&self) -> Val<'_> {
        match self {
            Val::Null => Val::Null,
            Val::Bool(b) => Val::Bool(*b),
            Val::Int(i) => Val::Int(*i),
            Val::Uint(u) => Val::Uint(*u),
            Val::Double(d) => Val::Double(*d),
            Val::Str(s) => Val::Str(Cow::Borrowed(s)),
            Val::Bytes(b) => Val::Bytes(Cow::Borrowed(b)),
            Val::List(l) => Val::List(match l {
                List::Json(items) => List::Json(items),
                List::Slice(items) => List::Slice(items),
                List::Owned(items) => List::Slice(items),
                List::Strings(list) => List::Strings(Arc::clone(list)),
            }),
            Val::Map(m) => Val::Map(match m {
                Map::Json(map) => Map::Json(map),
                Map::Doc(map) => Map::Doc(*map),
                Map::Slice(pairs) => Map::Slice(pairs),
                Map::Owned(pairs) => Map::Slice(pairs),
            }),
        }
    }
}

impl<'a> List<'a> {
    pub(crate) fn len(&self) -> usize {
        match self {
            List::Json(items) => items.len(),
            List::Slice(items) => items.len(),
            List::Owned(items) => items.len(),
            List::Strings(list) => list.items.len(),
        }
    }

    /// Element `i` (constants and data are borrowed, owned items cloned).
    pub(crate) fn get(&self, i: usize) -> Option<Val<'a>> {
        match self {
            List::Json(items) => items.get(i).map(Val::from_json),
            List::Slice(items) => items.get(i).map(Val::view),
            List::Owned(items) => items.get(i).cloned(),
            List::Strings(list) => list
                .items
                .get(i)
                .map(|s| Val::Str(Cow::Owned(s.to_string()))),
        }
    }

    /// Appends every element to `out` (for list concatenation).
    pub(crate) fn extend_into(&self, out: &mut Vec<Val<'a>>) {
        match self {
            List::Json(items) => out.extend(items.iter().map(Val::from_json)),
            List::Slice(items) => out.extend(items.iter().cloned()),
            List::Owned(items) => out.extend(items.iter().cloned()),
            List::Strings(list) => out.extend(
                list.items
                    .iter()
                    .map(|s| Val::Str(Cow::Owned(s.to_string()))),
            ),
        }
    }
}

impl<'a> Map<'a> {
    pub(crate) fn len(&self) -> usize {
        match self {
            Map::Json(map) => map.len(),
            Map::Doc(map) => map.len(),
            Map::Slice(pairs) => pairs.len(),
            Map::Owned(pairs) => pairs.len(),
        }
    }

    /// The value under a string key.
    pub(crate) fn get_str(&self, key: &str) -> Option<Val<'a>> {
        match self {
            Map::Json(map) => map.get(key).map(Val::from_json),
            Map::Doc(map) => map.get(key),
            Map::Slice(pairs) => find_pair(pairs, &Val::Str(Cow::Borrowed(key))).map(Val::view),
            Map::Owned(pairs) => find_pair(pairs, &Val::Str(Cow::Borrowed(key))).cloned(),
        }
    }

    /// The value under `key`, with CEL's heterogeneous numeric key
    /// equality (`{1: 'a'}[1u]` and `{1: 'a'}[1.0]` find the entry). A key
    /// of a type no map key has (null, list, map, bytes) finds nothing.
    pub(crate) fn get(&self, key: &Val<'_>) -> Option<Val<'a>> {
        match key {
            Val::Str(s) => self.get_str(s),
            Val::Int(_) | Val::Uint(_) | Val::Double(_) | Val::Bool(_) => match self {
                Map::Json(_) | Map::Doc(_) => None,
                Map::Slice(pairs) => find_pair(pairs, key).map(Val::view),
                Map::Owned(pairs) => find_pair(pairs, key).cloned(),
            },
            _ => None,
        }
    }

    /// Calls `f` on every entry until it returns `false` (for map equality).
    pub(crate) fn for_each_entry(
        &self,
        mut f: impl FnMut(Val<'_>, Val<'_>) -> Result<bool, EvalError>,
    ) -> Result<bool, EvalError> {
        match self {
            Map::Json(map) => {
                for (k, v) in map.iter() {
                    if !f(Val::Str(Cow::Borrowed(k)), Val::from_json(v))? {
                        return Ok(false);
                    }
                }
            }
            Map::Doc(map) => {
                for (k, v) in map.iter() {
                    if !f(Val::Str(Cow::Borrowed(k)), v)? {
                        return Ok(false);
                    }
                }
            }
            Map::Slice(pairs) => {
                for (k, v) in pairs.iter() {
                    if !f(k.view(), v.view())? {
                        return Ok(false);
                    }
                }
            }
            Map::Owned(pairs) => {
                for (k, v) in pairs.iter() {
                    if !f(k.view(), v.view())? {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }
}

fn find_pair<'m, 'a>(pairs: &'m [(Val<'a>, Val<'a>)], key: &Val<'_>) -> Option<&'m Val<'a>> {
    pairs.iter().find(|(k, _)| key_eq(k, key)).map(|(_, v)| v)
}

/// Equality of map keys (scalars only, so no depth concern).
pub(crate) fn key_eq(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        _ => numeric_cmp(a, b) == Some(Ordering::Equal),
    }
}

pub(crate) fn no_overload(message: &str) -> EvalError {
    EvalError::new(EvalErrorCode::NoMatchingOverload, message)
}

/// Compares two numbers of any numeric type exactly as cel-go does: int
/// and uint exactly, a double against an integer by range first and then
/// as doubles. `None` when either is not a number or a double is NaN.
pub(crate) fn numeric_cmp(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(y)),
        (Val::Uint(x), Val::Uint(y)) => Some(x.cmp(y)),
        (Val::Double(x), Val::Double(y)) => x.partial_cmp(y),
        (Val::Int(x), Val::Uint(y)) => Some(int_uint_cmp(*x, *y)),
        (Val::Uint(x), Val::Int(y)) => Some(int_uint_cmp(*y, *x).reverse()),
        (Val::Double(d), Val::Int(i)) => double_int_cmp(*d, *i),
        (Val::Int(i), Val::Double(d)) => double_int_cmp(*d, *i).map(Ordering::reverse),
        (Val::Double(d), Val::Uint(u)) => double_uint_cmp(*d, *u),
        (Val::Uint(u), Val::Double(d)) => double_uint_cmp(*d, *u).map(Ordering::reverse),
        _ => None,
    }
}

fn int_uint_cmp(i: i64, u: u64) -> Ordering {
    match u64::try_from(i) {
        Ok(i) => i.cmp(&u),
        Err(_) => Ordering::Less,
    }
}

const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

fn double_int_cmp(d: f64, i: i64) -> Option<Ordering> {
    if d.is_nan() {
        return None;
    }
    if d < -TWO_POW_63 {
        return Some(Ordering::Less);
    }
    if d >= TWO_POW_63 {
        return Some(Ordering::Greater);
    }
    d.partial_cmp(&(i as f64))
}

fn double_uint_cmp(d: f64, u: u64) -> Option<Ordering> {
    if d.is_nan() {
        return None;
    }
    if d < 0.0 {
        return Some(Ordering::Less);
    }
    if d >= TWO_POW_64 {
        return Some(Ordering::Greater);
    }
    d.partial_cmp(&(u as f64))
}

/// CEL equality (`==`): heterogeneous, so values of different types are
/// unequal rather than an error, except that numbers compare by value.
/// Lists compare element-wise, maps by key set and values.
pub(crate) fn equals(a: &Val<'_>, b: &Val<'_>, depth: usize) -> Result<bool, EvalError> {
    if depth > MAX_VALUE_DEPTH {
        return Err(too_deep());
    }
    Ok(match (a, b) {
        (Val::Null, Val::Null) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::Bytes(x), Val::Bytes(y)) => x == y,
        (Val::List(x), Val::List(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for i in 0..x.len() {
                let (Some(l), Some(r)) = (x.get(i), y.get(i)) else {
                    return Ok(false);
                };
                if !equals(&l, &r, depth + 1)? {
                    return Ok(false);
                }
            }
            true
        }
        (Val::Map(x), Val::Map(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            x.for_each_entry(|k, v| match y.get(&k) {
                Some(other) => equals(&v, &other, depth + 1),
                None => Ok(false),
            })?
        }
        _ => numeric_cmp(a, b) == Some(Ordering::Equal),
    })
}

pub(crate) fn too_deep() -> EvalError {
    EvalError::new(
        EvalErrorCode::TooDeep,
        format!("value nested deeper than {MAX_VALUE_DEPTH} levels"),
    )
}

/// CEL ordering (`<`, `<=`, `>`, `>=`): numbers across int, uint and
/// double; strings by code point; bytes; bools. `Ok(None)` for NaN.
pub(crate) fn compare(a: &Val<'_>, b: &Val<'_>) -> Result<Option<Ordering>, EvalError> {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => Ok(Some(x.as_bytes().cmp(y.as_bytes()))),
        (Val::Bytes(x), Val::Bytes(y)) => Ok(Some(x.as_ref().cmp(y.as_ref()))),
        (Val::Bool(x), Val::Bool(y)) => Ok(Some(x.cmp(y))),
        (
            Val::Int(_) | Val::Uint(_) | Val::Double(_),
            Val::Int(_) | Val::Uint(_) | Val::Double(_),
        ) => Ok(numeric_cmp(a, b)),
        _ => Err(no_overload(&format!(
            "no ordering between {} and {}",
            type_name(a),
            type_name(b)
        ))),
    }
}

/// An owned CEL value: what [`Filter::evaluate_value`](super::Filter::evaluate_value)
/// returns. Maps keep their entries in the data's order.
#[derive(Debug, Clone, PartialEq)]
pub enum CelValue {
    /// `null`.
    Null,
    /// `bool`.
    Bool(bool),
    /// `int` (64-bit signed).
    Int(i64),
    /// `uint` (64-bit unsigned).
    Uint(u64),
    /// `double`.
    Double(f64),
    /// `string`.
    String(String),
    /// `bytes`.
    Bytes(Vec<u8>),
    /// `list`.
    List(Vec<CelValue>),
    /// `map` as key/value pairs.
    Map(Vec<(CelValue, CelValue)>),
}

impl CelValue {
    /// Copies a runtime value out of the evaluator.
    pub(crate) fn from_val(v: &Val<'_>, depth: usize) -> Result<CelValue, EvalError> {
        if depth > MAX_VALUE_DEPTH {
            return Err(too_deep());
        }
        Ok(match v {
            Val::Null => CelValue::Null,
            Val::Bool(b) => CelValue::Bool(*b),
            Val::Int(i) => CelValue::Int(*i),
            Val::Uint(u) => CelValue::Uint(*u),
            Val::Double(d) => CelValue::Double(*d),
            Val::Str(s) => CelValue::String(s.to_string()),
            Val::Bytes(b) => CelValue::Bytes(b.to_vec()),
            Val::List(l) => {
                let mut items = Vec::with_capacity(l.len());
                for i in 0..l.len() {
                    if let Some(item) = l.get(i) {
                        items.push(CelValue::from_val(&item, depth + 1)?);
                    }
                }
                CelValue::List(items)
            }
            Val::Map(m) => {
                let mut pairs = Vec::with_capacity(m.len());
                m.for_each_entry(|k, v| {
                    pairs.push((
                        CelValue::from_val(&k, depth + 1)?,
                        CelValue::from_val(&v, depth + 1)?,
                    ));
                    Ok(true)
                })?;
                CelValue::Map(pairs)
            }
        })
    }
}

/// Formats a double as CEL's `string(double)` does (Go's
/// `strconv.FormatFloat(d, 'g', -1, 64)`): the shortest digits that
/// round-trip, in exponent form when the exponent is below -4 or at least 6
/// (so `string(1000000.0)` is `"1e+06"`, as in cel-go).
pub(crate) fn format_double(d: f64) -> String {
    if d.is_nan() {
        return "NaN".to_owned();
    }
    if d.is_infinite() {
        return if d > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    let (digits, point) = crate::json::shortest_digits(d.abs());
    let exp = i32::try_from(point - 1).unwrap_or(0);
    let sign = if d.is_sign_negative() { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1; // digits before the decimal point
    let n = digits.len() as i32;
    let text = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point >= n {
        format!("{}{}", digits, "0".repeat((point - n) as usize))
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{int}.{frac}")
    };
    format!("{sign}{text}")
}
