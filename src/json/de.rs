//! Serde for [`Value`] and [`Map`]: `Serialize` and `Deserialize` impls, so
//! the format models hold the crate's own JSON data, and [`from_value`], a
//! deserializer over a [`Value`] that reads the validators' auxiliary
//! arguments (Zendesk definitions, Zapier input fields) into their types.
//! Its array and object readers are this module's own, leaner than serde's
//! generic `SeqDeserializer` and `MapDeserializer` (one copy of each per
//! type read).
//!
//! Numbers keep the classification serde_json gave values read from
//! JavaScript: a whole number below 2^53 in magnitude is an integer
//! (`u64`, or `i64` when negative), anything else a float. Error texts are
//! serde's, with floats written by [`js_number_string`] and strings quoted
//! by [`debug_quote`], so neither core's float printer nor its Unicode
//! tables are linked for them.

use super::{shortest_digits, unexpected_text, Map, Value, MAX_DEPTH};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Unexpected, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;

/// 2^53: whole numbers below it in magnitude are exact integers in JavaScript.
const SAFE: f64 = 9_007_199_254_740_992.0;

/// A whole number below 2^53 in magnitude, as the integer it is (`-0` is 0).
fn safe_integer(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() < SAFE).then_some(n as i64)
}

impl Value {
    /// The number, when it is whole and below 2^53 in magnitude (a safe
    /// integer of JavaScript, which is what JS callers' ids are).
    pub fn as_safe_i64(&self) -> Option<i64> {
        self.as_f64().and_then(safe_integer)
    }

    /// The number, when it is whole, not negative and below 2^53.
    pub fn as_safe_u64(&self) -> Option<u64> {
        self.as_safe_i64().and_then(|n| u64::try_from(n).ok())
    }

    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Whether this is a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    /// Whether this is a boolean.
    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }

    /// The items, mutable, when this is an array.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }
}

impl Value {
    /// The value a JSON Pointer (RFC 6901) designates, as serde_json's
    /// `pointer`: `""` is the whole value, array indexes are plain decimal.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |target, token| {
            let token = token.replace("~1", "/").replace("~0", "~");
            match target {
                Value::Object(map) => map.get(&token),
                Value::Array(items) => {
                    let plain =
                        !token.starts_with('+') && (!token.starts_with('0') || token.len() == 1);
                    items.get(token.parse::<usize>().ok().filter(|_| plain)?)
                }
                _ => None,
            }
        })
    }
}

impl Map {
    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, v)| v)
    }
}

impl FromIterator<(String, Value)> for Map {
    /// Collects members; a repeated key keeps its first position and its
    /// last value, as [`Map::from_pairs`].
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Map::from_pairs(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// The text serde_json gave a number read from JavaScript: a safe integer
/// in plain digits (`25`, `-3`), any other number in the notation of its
/// float printer (`1.5`, `0.001`, `1e-7`, `1e+21`, `9007199254740994.0`).
/// The validators normalize numbers to strings this way.
pub fn number_text(n: f64) -> String {
    match safe_integer(n) {
        Some(i) => i.to_string(),
        None => float_text(n),
    }
}

/// serde_json's text of a float (its float printer's notation).
pub(super) fn float_text(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    if n == 0.0 {
        return if n.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    // n = 0.digits × 10^point; the last digit is at 10^(point - len).
    let (digits, point) = shortest_digits(n.abs());
    let len = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    let zeros = |count: i64| "0".repeat(usize::try_from(count).unwrap_or(0));
    let body = if point >= len && point <= 16 {
        format!("{digits}{}.0", zeros(point - len))
    } else if 0 < point && point <= 16 {
        let (int, frac) = digits.split_at(usize::try_from(point).unwrap_or(0));
        format!("{int}.{frac}")
    } else if -5 < point && point <= 0 {
        format!("0.{}{digits}", zeros(-point))
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let dot = if rest.is_empty() { "" } else { "." };
        let exponent = point - 1;
        let plus = if exponent > 0 { "+" } else { "" };
        format!("{first}{dot}{rest}e{plus}{exponent}")
    };
    format!("{sign}{body}")
}

/// `format!("{:?}", text)` for the text users write: quoted, with `"`,
/// `\`, tab, newline, carriage return and NUL escaped as Rust escapes them,
/// other control characters and the common invisible format characters as
/// `\u{hex}`. Written by hand: core's `Debug` of strings links Unicode
/// tables. It differs from it only on rarer non-printable characters
/// (unassigned code points, combining marks), which it leaves as they are.
pub fn debug_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        push_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// `format!("{:?}", c)` for a character, as [`debug_quote`] escapes it.
pub fn debug_quote_char(c: char) -> String {
    let mut out = String::from('\'');
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\0' => out.push_str("\\0"),
        '\\' => out.push_str("\\\\"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if c.is_control() || is_invisible(c) => {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
        c => out.push(c),
    }
}

/// Format characters Rust's `Debug` escapes (soft hyphen, zero-width and
/// direction marks, separators, byte order mark, ...).
fn is_invisible(c: char) -> bool {
    matches!(
        u32::from(c),
        0xad | 0x600..=0x605
            | 0x61c
            | 0x6dd
            | 0x70f
            | 0x180e
            | 0x200b..=0x200f
            | 0x2028..=0x202e
            | 0x2060..=0x2064
            | 0x2066..=0x206f
            | 0xfeff
            | 0xfff9..=0xfffb
    )
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => match safe_integer(*n) {
                Some(i) if i >= 0 => serializer.serialize_u64(i.unsigned_abs()),
                Some(i) => serializer.serialize_i64(i),
                None => serializer.serialize_f64(*n),
            },
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => serializer.collect_seq(items),
            Value::Object(map) => map.serialize(serializer),
        }
    }
}

impl Serialize for Map {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut members = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            members.serialize_entry(key, value)?;
        }
        members.end()
    }
}

/// Builds a [`Value`] from any serde data; nesting deeper than
/// [`MAX_DEPTH`] is refused, so no input can exhaust the stack.
struct ValueVisitor {
    depth: usize,
}

impl ValueVisitor {
    fn deeper<E: de::Error>(&self) -> Result<ValueSeed, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(ValueSeed {
            depth: self.depth + 1,
        })
    }
}

#[derive(Clone, Copy)]
struct ValueSeed {
    depth: usize,
}

impl<'de> de::DeserializeSeed<'de> for ValueSeed {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor { depth: self.depth })
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let seed = self.deeper()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(seed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let seed = self.deeper()?;
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            members.push((key, map.next_value_seed(seed)?));
        }
        Ok(Value::Object(Map::from_pairs(members)))
    }
}

impl<'de> de::Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor { depth: 0 })
    }
}

impl<'de> de::Deserialize<'de> for Map {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Map, D::Error> {
        match <Value as de::Deserialize>::deserialize(deserializer)? {
            Value::Object(map) => Ok(map),
            other => Err(de::Error::invalid_type(unexpected(&other), &"a map")),
        }
    }
}

/// Why JSON data did not read as the type asked for (serde's text:
/// `missing field `x``, `invalid type: string "a", expected u64`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeserializeError(String);

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeserializeError {}

impl de::Error for DeserializeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeserializeError(msg.to_string())
    }
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeserializeError(format!(
            "invalid type: {}, expected {exp}",
            unexpected_text(unexp)
        ))
    }
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeserializeError(format!(
            "invalid value: {}, expected {exp}",
            unexpected_text(unexp)
        ))
    }
}

/// The serde description of a value, for type errors.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match safe_integer(*n) {
            Some(i) if i >= 0 => Unexpected::Unsigned(i.unsigned_abs()),
            Some(i) => Unexpected::Signed(i),
            None => Unexpected::Float(*n),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// Reads JSON data as a deserializable type.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, DeserializeError> {
    T::deserialize(value)
}

impl IntoDeserializer<'_, DeserializeError> for Value {
    type Deserializer = Value;
    fn into_deserializer(self) -> Value {
        self
    }
}

/// Deserializer methods that read as another one does.
macro_rules! forward_to {
    ($target:ident: $($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeserializeError> {
            self.$target(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = DeserializeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeserializeError> {
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visit_items(items, visitor),
            Value::Object(map) => visitor.visit_map(Members {
                members: map.into_iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeserializeError> {
        match self {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeserializeError> {
        match self {
            Value::String(s) => s
                .into_deserializer()
                .deserialize_enum(name, variants, visitor),
            Value::Object(map) if map.len() == 1 => match map.into_iter().next() {
                Some((variant, value)) => visitor.visit_enum(Variant { variant, value }),
                None => Err(de::Error::custom("an enum needs one member")),
            },
            Value::Object(_) => Err(de::Error::invalid_value(
                Unexpected::Map,
                &"map with a single key",
            )),
            other => Err(de::Error::invalid_type(
                unexpected(&other),
                &"string or map",
            )),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeserializeError> {
        visitor.visit_newtype_struct(self)
    }

    // A typed read visits only the kinds that can hold its type (others are
    // one type error, as serde_json's value deserializer does): what each
    // type's copy of this code holds stays small.
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeserializeError> {
        match self {
            Value::Bool(b) => visitor.visit_bool(b),
            other => refuse(&other, &visitor),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeserializeError> {
        match self {
            Value::Number(n) => visit_number(n, visitor),
            other => refuse(&other, &visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeserializeError> {
        match self {
            Value::String(s) => visitor.visit_string(s),
            other => refuse(&other, &visitor),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeserializeError> {
        match self {
            Value::Array(items) => visit_items(items, visitor),
            other => refuse(&other, &visitor),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeserializeError> {
        match self {
            Value::Object(map) => visitor.visit_map(Members {
                members: map.into_iter(),
                value: None,
            }),
            other => refuse(&other, &visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeserializeError> {
        match self {
            Value::Array(items) => visit_items(items, visitor),
            other => other.deserialize_map(visitor),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeserializeError> {
        match self {
            Value::Null => visitor.visit_unit(),
            other => refuse(&other, &visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, DeserializeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        char bytes byte_buf unit_struct
    }

    // Numbers are read as serde_json reads them from a value: by their kind
    // (unsigned, negative integer, float), checked by the visitor.
    forward_to!(deserialize_u64: deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_f32 deserialize_f64);
    forward_to!(deserialize_string: deserialize_str deserialize_identifier);

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeserializeError> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeserializeError> {
        self.deserialize_seq(visitor)
    }
}

/// Hands a number to a visitor by its kind, as serde_json classes the
/// numbers it reads from JavaScript.
fn visit_number<'de, V: Visitor<'de>>(n: f64, visitor: V) -> Result<V::Value, DeserializeError> {
    match safe_integer(n) {
        Some(i) if i >= 0 => visitor.visit_u64(i.unsigned_abs()),
        Some(i) => visitor.visit_i64(i),
        None => visitor.visit_f64(n),
    }
}

/// The type error of a value a visitor cannot take.
fn refuse<'de, V: Visitor<'de>, T>(value: &Value, visitor: &V) -> Result<T, DeserializeError> {
    Err(de::Error::invalid_type(unexpected(value), visitor))
}

/// Hands an array's items to a visitor, then checks it read them all.
fn visit_items<'de, V: Visitor<'de>>(
    items: Vec<Value>,
    visitor: V,
) -> Result<V::Value, DeserializeError> {
    let len = items.len();
    let mut seq = Items(items.into_iter());
    let out = visitor.visit_seq(&mut seq)?;
    all_read(len, seq.0.len())?;
    Ok(out)
}

/// The items of an array, handed to a visitor one by one.
struct Items(std::vec::IntoIter<Value>);

impl<'de> de::SeqAccess<'de> for Items {
    type Error = DeserializeError;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeserializeError> {
        self.0.next().map(|item| seed.deserialize(item)).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// serde_json's check that a visitor read every item of an array.
fn all_read(len: usize, left: usize) -> Result<(), DeserializeError> {
    if left == 0 {
        return Ok(());
    }
    Err(de::Error::invalid_length(len, &"fewer elements in array"))
}

/// The members of an object, handed to a visitor key by key.
struct Members {
    members: std::vec::IntoIter<(String, Value)>,
    value: Option<Value>,
}

impl<'de> de::MapAccess<'de> for Members {
    type Error = DeserializeError;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeserializeError> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(key.into_deserializer()).map(Some)
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DeserializeError> {
        seed.deserialize(self.value.take().unwrap_or_default())
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// An enum variant written as a one-member object: its name and its data.
struct Variant {
    variant: String,
    value: Value,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = DeserializeError;
    type Variant = Value;
    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Value), DeserializeError> {
        let name = seed.deserialize(self.variant.into_deserializer())?;
        Ok((name, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for Value {
    type Error = DeserializeError;
    fn unit_variant(self) -> Result<(), DeserializeError> {
        de::Deserialize::deserialize(self)
    }
    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, DeserializeError> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeserializeError> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeserializeError> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

#[cfg(all(test, feature = "validators"))]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn parse(text: &str) -> Value {
        super::super::parse(text).expect("test JSON parses")
    }

    #[test]
    fn number_text_is_serde_jsons() {
        for n in [
            0.0,
            -0.0,
            1.0,
            -3.0,
            25.0,
            1.5,
            -0.25,
            0.1,
            0.001,
            1e-5,
            1e-7,
            1.5e-7,
            123.456,
            1e15,
            9007199254740991.0,
            9007199254740992.0,
            9007199254740994.0,
            1e16,
            1.5e16,
            1e20,
            1e21,
            1.2345e25,
            1e300,
            5e-324,
            1.7976931348623157e308,
        ] {
            let theirs = match safe_integer(n) {
                Some(i) => serde_json::Number::from(i).to_string(),
                None => serde_json::Number::from_f64(n).expect("finite").to_string(),
            };
            assert_eq!(number_text(n), theirs, "{n:e}");
        }
    }

    #[test]
    fn quoting_is_rusts_debug() {
        for text in [
            "plain",
            "q\"uote's\\",
            "\t\n\r\0\u{1}\u{1f}\u{7f}\u{85}\u{9f}",
            "é 中文 😀 ñ",
            "\u{ad}\u{200b}\u{200f}\u{2028}\u{202e}\u{2060}\u{feff}",
        ] {
            assert_eq!(debug_quote(text), format!("{text:?}"));
        }
        for c in ['a', '\'', '"', '\n', '\u{7f}', 'é', '\u{200b}'] {
            assert_eq!(debug_quote_char(c), format!("{c:?}"));
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Field {
        key: String,
        #[serde(default)]
        required: Option<bool>,
        count: Option<u64>,
        shift: Option<i32>,
        kind: Option<Kind>,
        any: Option<Value>,
        list: Vec<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Plain,
        Boxed(u8),
    }

    #[test]
    fn values_read_as_types() {
        let field: Field = from_value(parse(
            r#"{"key":"k","count":3,"shift":-2,"kind":"plain","any":{"a":[1.5,null]},"list":["x"],"extra":1}"#,
        ))
        .expect("reads");
        assert_eq!(
            field,
            Field {
                key: "k".into(),
                required: None,
                count: Some(3),
                shift: Some(-2),
                kind: Some(Kind::Plain),
                any: Some(parse(r#"{"a":[1.5,null]}"#)),
                list: vec!["x".into()],
            }
        );
        let boxed: Kind = from_value(parse(r#"{"boxed":7}"#)).expect("reads");
        assert_eq!(boxed, Kind::Boxed(7));
    }

    /// The messages are serde_json's for the same data.
    #[test]
    fn errors_read_as_serde_jsons() {
        for text in [
            r#"{"count":3}"#,
            r#"{"key":1.5,"list":[]}"#,
            r#"{"key":"k","count":-1,"list":[]}"#,
            r#"{"key":"k","count":2.5,"list":[]}"#,
            r#"{"key":"k","list":"a\"b"}"#,
            r#"{"key":"k","list":[true]}"#,
            r#"{"key":"k","kind":"other","list":[]}"#,
            r#"{"key":"k","kind":7,"list":[]}"#,
            r#"{"key":"k","shift":3000000000,"list":[]}"#,
            r#"[1]"#,
        ] {
            let ours = from_value::<Field>(parse(text)).expect_err(text);
            let theirs = serde_json::from_str::<serde_json::Value>(text)
                .and_then(serde_json::from_value::<Field>)
                .expect_err(text);
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        }
    }

    #[test]
    fn values_round_trip_through_serde_json() {
        let text = r#"{"b":[1,-2,2.5,"x",null,true,{}],"a":1e300}"#;
        let value = parse(text);
        let theirs: serde_json::Value = serde_json::to_value(&value).expect("serializes");
        assert_eq!(
            theirs.to_string(),
            r#"{"a":1e+300,"b":[1,-2,2.5,"x",null,true,{}]}"#
        );
        assert!(theirs["b"][1].is_i64() && theirs["b"][0].is_u64());
        let back: Value = serde_json::from_value(theirs).expect("reads");
        assert_eq!(back.get("b"), value.get("b"));
        let repeated: Value = serde_json::from_str(r#"{"x":1,"y":2,"x":3}"#).expect("reads");
        assert_eq!(super::super::to_string(&repeated), r#"{"x":3,"y":2}"#);
    }

    #[test]
    fn pointers_resolve_as_serde_jsons() {
        let text = r#"{"a":[{"b/c":1,"d~e":2},3],"":{"x":4},"0":5}"#;
        let ours = parse(text);
        let theirs: serde_json::Value = serde_json::from_str(text).expect("parses");
        assert_eq!(ours.pointer(""), Some(&ours));
        for pointer in [
            "/",
            "/a",
            "/a/0",
            "/a/1",
            "/a/2",
            "/a/01",
            "/a/+1",
            "/a/-1",
            "/a/0/b~1c",
            "/a/0/d~0e",
            "/a/0/b/c",
            "//x",
            "/0",
            "a",
            "/a/x",
        ] {
            assert_eq!(
                ours.pointer(pointer).map(super::super::to_string),
                theirs.pointer(pointer).map(|v| v.to_string()),
                "{pointer}"
            );
        }
    }

    #[test]
    fn deep_data_is_refused() {
        let nest =
            |levels: usize| (0..levels).fold(Value::Null, |inner, _| Value::Array(vec![inner]));
        assert!(from_value::<Value>(nest(MAX_DEPTH + 1)).is_err());
        assert_eq!(from_value::<Value>(nest(MAX_DEPTH)), Ok(nest(MAX_DEPTH)));
        assert_eq!(
            (Value::as_safe_u64(&parse("-0")), parse("-1").as_safe_u64()),
            (Some(0), None)
        );
        assert_eq!(parse("9007199254740992").as_safe_i64(), None);
        assert_eq!(
            parse("-9007199254740991").as_safe_i64(),
            Some(-9007199254740991)
        );
    }
}
