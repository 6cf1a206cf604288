//! The crate's own JSON data: a value type, a depth-bounded parser, a
//! writer, a serde serializer into values and a deserializer out of them.
//! Every validator and model, the filter language, Pocketflows matching and
//! the livechat engine use it, so the browser `triggerkit` and livechat
//! builds link no serde_json (whose parser, printer and error texts cost
//! more than the rest of the JSON work there); the Zendesk engine and the
//! clients keep serde_json for streaming and convert at their boundary
//! (`From` impl below).
//!
//! Numbers are `f64`, as in JavaScript: parsing is correctly rounded (what
//! `JSON.parse` gives) and printing uses JavaScript's `Number#toString`.
//! Objects keep their members in insertion order, as JavaScript objects do;
//! a repeated key keeps its first position and its last value, as in
//! `JSON.parse`.

#[cfg(feature = "validators")]
mod de;
#[cfg(feature = "validators")]
mod float;
// Case mapping without core's case tables in wasm (the validators use it).
pub mod case;
mod number;
mod parse;
mod ser;
mod to_json;
// serde's `Unexpected` as text without core's float printer.
#[cfg(feature = "validators")]
mod unexpected;
mod write;

#[cfg(feature = "validators")]
pub use de::{debug_quote, debug_quote_char, from_value, number_text, DeserializeError};
// Rust's float parsing and printing on JavaScript's (the filter and rule
// engines use them).
#[cfg(feature = "validators")]
pub(crate) use float::{display_f64, parse_f64, shortest_digits};
pub use number::{js_number_string, js_string_to_number};
// The filter's batch scanner (full build only) reads escapes the same way.
#[cfg(feature = "validators")]
pub(crate) use parse::short_escape;
pub use parse::{parse, ParseError, MAX_DEPTH};
pub use ser::{to_value, SerializeError};
pub use to_json::ToJson;
#[cfg(feature = "validators")]
pub use unexpected::unexpected_text;
pub use write::to_string;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number. Values built in code may hold non-finite numbers, which
    /// the writer prints as `null`, as `JSON.stringify` does.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// The members of a JSON object, unique by key, in insertion order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map(Vec<(String, Value)>);

impl Map {
    /// An empty object.
    pub fn new() -> Self {
        Map(Vec::new())
    }

    /// Builds an object from members that may repeat a key: each key keeps
    /// its first position and its last value. Sorting positions by key keeps
    /// this `O(n log n)`, so hostile input with many keys stays cheap.
    pub fn from_pairs(pairs: Vec<(String, Value)>) -> Self {
        if pairs.len() < 2 {
            return Map(pairs);
        }
        let key = |i: usize| pairs.get(i).map(|(k, _)| k.as_str());
        let order = stable_order(pairs.len(), &|a, b| key(a) < key(b));
        // In `order` a key's members are adjacent, by position: the first
        // keeps its slot and takes each later one's value in turn (the last
        // wins); the later ones go.
        let mut slots: Vec<Option<(String, Value)>> = pairs.into_iter().map(Some).collect();
        let mut first = None;
        for &i in &order {
            let held = |at: Option<usize>| match at.and_then(|at| slots.get(at)) {
                Some(Some((k, _))) => Some(k.as_str()),
                _ => None,
            };
            if first.is_some() && held(first) == held(Some(i)) {
                let value = slots.get_mut(i).and_then(Option::take);
                if let (Some((_, value)), Some(Some((_, slot)))) =
                    (value, first.and_then(|f| slots.get_mut(f)))
                {
                    *slot = value;
                }
            } else {
                first = Some(i);
            }
        }
        Map(slots.into_iter().flatten().collect())
    }

    /// The value of member `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of member `key`, to change in place.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Removes member `key` when its value is null.
    pub fn remove_null(&mut self, key: &str) {
        if self.get(key).is_some_and(Value::is_null) {
            self.remove(key);
        }
    }

    /// Whether member `key` exists.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets member `key`, in place when it exists, else at the end.
    pub fn insert(&mut self, key: String, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((key, value)),
        }
    }

    /// Removes member `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(at).1)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no member.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The positions `0..len` in the stable order that `less` defines (a
/// bottom-up merge sort, `O(n log n)`). It is not generic, so one copy in
/// the wasm serves every caller, where core's sorts cost several KB per
/// element type.
pub(crate) fn stable_order(len: usize, less: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged = Vec::with_capacity(len);
    let mut width = 1;
    while width < len {
        merged.clear();
        let mut start = 0;
        while start < len {
            let mid = start.saturating_add(width).min(len);
            let end = start.saturating_add(width.saturating_mul(2)).min(len);
            let left = order.get(start..mid).unwrap_or_default();
            let right = order.get(mid..end).unwrap_or_default();
            let (mut i, mut j) = (0, 0);
            while let (Some(&a), Some(&b)) = (left.get(i), right.get(j)) {
                // Ties take the left item: equal items keep their order.
                if less(b, a) {
                    merged.push(b);
                    j += 1;
                } else {
                    merged.push(a);
                    i += 1;
                }
            }
            merged.extend_from_slice(left.get(i..).unwrap_or_default());
            merged.extend_from_slice(right.get(j..).unwrap_or_default());
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width = width.saturating_mul(2);
    }
    order
}

impl Value {
    /// The members, when this is an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The members, mutable, when this is an object.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The items, when this is an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The text, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, when this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The number, when it is a whole number from 0 to `u64::MAX`.
    pub fn as_u64(&self) -> Option<u64> {
        // 2^64 as f64; every f64 below it that is whole fits a u64.
        const LIMIT: f64 = 18_446_744_073_709_551_616.0;
        let n = self.as_f64()?;
        ((0.0..LIMIT).contains(&n) && n.fract() == 0.0).then_some(n as u64)
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Member `key` of an object (`None` for anything else).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }
}

#[cfg(any(feature = "zendesk", feature = "clients"))]
impl From<&serde_json::Value> for Value {
    /// Converts serde_json data (the Zendesk engine, the clients and Rust
    /// callers). Numbers beyond `f64` precision are rounded, as JavaScript
    /// reads them. Arrays and objects nested deeper than [`MAX_DEPTH`] come
    /// out empty, so a hostile value cannot exhaust the stack; no check of
    /// this crate looks that deep, and JS values and parsed text are refused
    /// beyond that depth anyway.
    fn from(value: &serde_json::Value) -> Self {
        from_serde(value, 0)
    }
}

#[cfg(any(feature = "zendesk", feature = "clients"))]
fn from_serde(value: &serde_json::Value, depth: usize) -> Value {
    let deeper = depth < MAX_DEPTH;
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) if deeper => Value::Array(
            items
                .iter()
                .map(|item| from_serde(item, depth + 1))
                .collect(),
        ),
        serde_json::Value::Object(map) if deeper => Value::Object(Map(map
            .iter()
            .map(|(k, v)| (k.clone(), from_serde(v, depth + 1)))
            .collect())),
        serde_json::Value::Array(_) => Value::Array(Vec::new()),
        serde_json::Value::Object(_) => Value::Object(Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn from_pairs_agrees_with_inserting_one_by_one() {
        let mut seed = 11u32;
        for len in [0, 1, 2, 3, 4, 7, 20, 200] {
            let pairs: Vec<(String, Value)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    let key = ((seed >> 16) % (len as u32 / 2 + 1)).to_string();
                    (key, Value::Number(f64::from(i)))
                })
                .collect();
            let mut expected = Map::new();
            for (key, value) in pairs.clone() {
                expected.insert(key, value);
            }
            assert_eq!(Map::from_pairs(pairs), expected, "{len} members");
        }
    }

    #[test]
    fn repeated_keys_keep_first_position_and_last_value() {
        let map = Map::from_pairs(vec![
            ("b".into(), s("1")),
            ("a".into(), s("2")),
            ("b".into(), s("3")),
            ("c".into(), s("4")),
            ("a".into(), s("5")),
            ("b".into(), s("6")),
        ]);
        let members: Vec<_> = map.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        assert_eq!(members, [("b", s("6")), ("a", s("5")), ("c", s("4"))]);
    }

    #[test]
    fn stable_order_sorts_and_keeps_ties_in_order() {
        let mut seed = 7u32;
        for len in [0, 1, 2, 3, 5, 8, 13, 100, 1000] {
            let keys: Vec<u32> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (seed >> 16) % 10
                })
                .collect();
            let order = stable_order(keys.len(), &|a, b| keys[a] < keys[b]);
            let mut expected: Vec<usize> = (0..keys.len()).collect();
            expected.sort_by_key(|&i| keys[i]);
            assert_eq!(order, expected, "{len}");
        }
    }

    #[test]
    fn maps_insert_in_place_and_remove() {
        let mut map = Map::new();
        map.insert("x".into(), Value::Null);
        map.insert("y".into(), Value::Bool(true));
        map.insert("x".into(), Value::Number(1.0));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(map.get("x"), Some(&Value::Number(1.0)));
        assert_eq!(map.remove("x"), Some(Value::Number(1.0)));
        assert_eq!(map.remove("x"), None);
        assert_eq!(map.len(), 1);
        assert!(!map.is_empty());
    }

    #[cfg(feature = "validators")]
    #[test]
    fn serde_json_data_converts_with_bounded_depth() {
        let value = serde_json::json!({"b": [1, 2.5, "x", null, true], "a": {}});
        let converted = Value::from(&value);
        assert_eq!(
            to_string(&converted),
            r#"{"a":{},"b":[1,2.5,"x",null,true]}"#
        );
        let mut deep = serde_json::json!(1);
        for _ in 0..MAX_DEPTH + 5 {
            deep = serde_json::Value::Array(vec![deep]);
        }
        let mut converted = Value::from(&deep);
        let mut levels = 0;
        while let Value::Array(mut items) = converted {
            levels += 1;
            converted = items.pop().unwrap_or(Value::Null);
        }
        assert_eq!(levels, MAX_DEPTH + 1, "the deepest kept array is empty");
    }

    #[test]
    fn whole_numbers_read_as_u64() {
        assert_eq!(Value::Number(5.0).as_u64(), Some(5));
        assert_eq!(Value::Number(1e15).as_u64(), Some(1_000_000_000_000_000));
        assert_eq!(Value::Number(1.5).as_u64(), None);
        assert_eq!(Value::Number(-1.0).as_u64(), None);
        assert_eq!(Value::Number(1.8446744073709552e19).as_u64(), None);
        assert_eq!(Value::Number(f64::NAN).as_u64(), None);
        assert_eq!(s("5").as_u64(), None);
    }
}
