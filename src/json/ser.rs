//! A serde serializer into [`Value`], so the crate's serde-derived types
//! become JSON data without serde_json: structs as objects with their
//! members in declaration order, `None` and `()` as `null`, enums as serde's
//! externally tagged forms, every number as `f64`.

use super::{Map, Value};
use serde::ser::{self, Serialize};

/// Why a value could not become JSON data (a map key that is not a
/// string, or an error raised by a `Serialize` impl).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerializeError(String);

impl std::fmt::Display for SerializeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SerializeError {}

impl ser::Error for SerializeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        SerializeError(msg.to_string())
    }
}

/// Converts a serializable value into JSON data.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, SerializeError> {
    value.serialize(Serializer)
}

struct Serializer;

/// The members or items collected for an object, an array or an enum
/// variant holding them (`variant` is then the key of the wrapping object).
struct Collect<T> {
    items: T,
    variant: Option<&'static str>,
    key: Option<String>,
}

impl<T> Collect<T> {
    fn new(items: T, variant: Option<&'static str>) -> Self {
        Collect {
            items,
            variant,
            key: None,
        }
    }

    fn wrap(variant: Option<&'static str>, value: Value) -> Value {
        match variant {
            Some(name) => Value::Object(Map(vec![(name.to_owned(), value)])),
            None => value,
        }
    }
}

type Items = Collect<Vec<Value>>;
type Members = Collect<Vec<(String, Value)>>;

impl ser::Serializer for Serializer {
    type Ok = Value;
    type Error = SerializeError;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    type SerializeTupleVariant = Items;
    type SerializeMap = Members;
    type SerializeStruct = Members;
    type SerializeStructVariant = Members;

    fn serialize_bool(self, v: bool) -> Result<Value, SerializeError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, SerializeError> {
        Ok(Value::Number(f64::from(v)))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, SerializeError> {
        Ok(Value::Number(f64::from(v)))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, SerializeError> {
        Ok(Value::Number(f64::from(v)))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, SerializeError> {
        Ok(Value::Number(v as f64))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, SerializeError> {
        Ok(Value::Number(f64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, SerializeError> {
        Ok(Value::Number(f64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, SerializeError> {
        Ok(Value::Number(f64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, SerializeError> {
        Ok(Value::Number(v as f64))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, SerializeError> {
        Ok(Value::Number(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, SerializeError> {
        Ok(Value::Number(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, SerializeError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, SerializeError> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, SerializeError> {
        Ok(Value::Array(
            v.iter().map(|b| Value::Number(f64::from(*b))).collect(),
        ))
    }
    fn serialize_none(self) -> Result<Value, SerializeError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, SerializeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, SerializeError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, SerializeError> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, SerializeError> {
        Ok(Value::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, SerializeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, SerializeError> {
        Ok(Items::wrap(Some(variant), value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Items, SerializeError> {
        Ok(Collect::new(Vec::with_capacity(len.unwrap_or(0)), None))
    }
    fn serialize_tuple(self, len: usize) -> Result<Items, SerializeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Items, SerializeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Items, SerializeError> {
        Ok(Collect::new(Vec::with_capacity(len), Some(variant)))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Members, SerializeError> {
        Ok(Collect::new(Vec::with_capacity(len.unwrap_or(0)), None))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Members, SerializeError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Members, SerializeError> {
        Ok(Collect::new(Vec::with_capacity(len), Some(variant)))
    }
}

impl Items {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerializeError> {
        self.add(value.serialize(Serializer))
    }

    /// The non-generic rest of [`Items::push`], kept out of its many copies.
    #[inline(never)]
    fn add(&mut self, value: Result<Value, SerializeError>) -> Result<(), SerializeError> {
        self.items.push(value?);
        Ok(())
    }

    fn finish(self) -> Result<Value, SerializeError> {
        Ok(Self::wrap(self.variant, Value::Array(self.items)))
    }
}

/// The compound-serializer traits of arrays (sequences, tuples, tuple
/// structs and variants), which differ only in their method name.
macro_rules! items_impl {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Items {
            type Ok = Value;
            type Error = SerializeError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
                self.push(value)
            }
            fn end(self) -> Result<Value, SerializeError> {
                self.finish()
            }
        }
    )*};
}

items_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl Members {
    fn member<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), SerializeError> {
        self.add(key, value.serialize(Serializer))
    }

    /// The non-generic rest of [`Members::member`], kept out of its many
    /// copies.
    #[inline(never)]
    fn add(
        &mut self,
        key: &str,
        value: Result<Value, SerializeError>,
    ) -> Result<(), SerializeError> {
        self.items.push((key.to_owned(), value?));
        Ok(())
    }

    /// A map may repeat a key (structs never do): [`Map::from_pairs`] then
    /// keeps one member per key, as `JSON.parse` of the text would.
    fn finish(self) -> Result<Value, SerializeError> {
        Ok(Self::wrap(
            self.variant,
            Value::Object(Map::from_pairs(self.items)),
        ))
    }
}

impl ser::SerializeMap for Members {
    type Ok = Value;
    type Error = SerializeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        match key.serialize(Serializer)? {
            Value::String(key) => {
                self.key = Some(key);
                Ok(())
            }
            _ => Err(SerializeError("a map key must be a string".to_owned())),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        let key = self.key.take().unwrap_or_default();
        self.member(&key, value)
    }
    fn end(self) -> Result<Value, SerializeError> {
        self.finish()
    }
}

/// The compound-serializer traits of objects with named fields (structs
/// and struct variants).
macro_rules! fields_impl {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Members {
            type Ok = Value;
            type Error = SerializeError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Self::Error> {
                self.member(key, value)
            }
            fn end(self) -> Result<Value, SerializeError> {
                self.finish()
            }
        }
    )*};
}

fields_impl!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::super::to_string;
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Record {
        zeta: u64,
        alpha_beta: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<i32>,
        list: Vec<Kind>,
        unit: (),
        pair: (i8, f32),
    }

    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        PlainName,
        Wrapped(u8),
        Tuple(u8, bool),
        Fields { x: char },
    }

    #[derive(Serialize)]
    #[serde(tag = "type", rename_all = "kebab-case")]
    enum Tagged {
        SendMessage { msg: String },
    }

    #[test]
    fn structs_and_enums_become_json_data() {
        let record = Record {
            zeta: 1_700_000_000_000,
            alpha_beta: None,
            skipped: None,
            list: vec![
                Kind::PlainName,
                Kind::Wrapped(7),
                Kind::Tuple(1, true),
                Kind::Fields { x: 'é' },
            ],
            unit: (),
            pair: (-3, 0.5),
        };
        assert_eq!(
            to_string(&to_value(&record).unwrap()),
            r#"{"zeta":1700000000000,"alphaBeta":null,"list":["plain-name",{"wrapped":7},{"tuple":[1,true]},{"fields":{"x":"é"}}],"unit":null,"pair":[-3,0.5]}"#
        );
        let tagged = Tagged::SendMessage { msg: "hi".into() };
        assert_eq!(
            to_string(&to_value(&tagged).unwrap()),
            r#"{"type":"send-message","msg":"hi"}"#
        );
        assert_eq!(
            to_value(&b"ab"[..]).unwrap(),
            Value::Array(vec![Value::Number(97.0), Value::Number(98.0)])
        );
    }

    /// The engine keys run-once triggers without `_id` by a hash of this
    /// text, which serde_json wrote before: a normalized trigger (strings
    /// only, no numbers) must come out byte for byte the same.
    #[cfg(feature = "validators")]
    #[test]
    fn triggers_write_as_serde_json_wrote_them() {
        use crate::formats::rocketchat::{
            ActionName, ActionParams, ConditionName, ConditionValue, RocketChatAction,
            RocketChatCondition, RocketChatTrigger, Sender,
        };
        let trigger = RocketChatTrigger {
            id: None,
            name: "n \"q\" \u{1}\u{1f}é😀 </b>".into(),
            description: "back\\slash\r\n\t\u{8}\u{c}\u{7f}".into(),
            enabled: true,
            run_once: true,
            conditions: vec![
                RocketChatCondition {
                    name: ConditionName::PageUrl,
                    value: Some(ConditionValue::Text("a/b?c=[1]".into())),
                },
                RocketChatCondition {
                    name: ConditionName::ChatOpenedByVisitor,
                    value: None,
                },
            ],
            actions: vec![
                RocketChatAction {
                    name: ActionName::SendMessage,
                    params: Some(Some(ActionParams {
                        sender: Some(Sender::Custom),
                        name: Some(Some("Bot".into())),
                        msg: Some("hi".into()),
                        ..ActionParams::default()
                    })),
                },
                RocketChatAction {
                    name: ActionName::SendMessage,
                    params: None,
                },
            ],
        };
        let ours = to_string(&to_value(&trigger).unwrap());
        assert_eq!(ours, serde_json::to_string(&trigger).unwrap());
    }

    #[test]
    fn maps_need_string_keys() {
        let mut map = BTreeMap::new();
        map.insert("b", 2);
        map.insert("a", 1);
        assert_eq!(to_string(&to_value(&map).unwrap()), r#"{"a":1,"b":2}"#);
        let mut numbered = BTreeMap::new();
        numbered.insert(1, 2);
        assert_eq!(
            to_value(&numbered).unwrap_err().to_string(),
            "a map key must be a string"
        );
    }
}
