//! Projection: which parts of the data a filter can read, so batch input
//! is converted only where it matters. Evaluating the projected value gives
//! exactly the result of evaluating the whole value: every key the filter
//! can look up is kept, and any value the filter can use as a whole is kept
//! whole. The batch scanner ([`batch`](super::batch)) reads JSON text
//! through a projection; the tests check it against a reference reader
//! built on a general JSON parser (`reference`, test builds only).

use super::ast::{Expr, ExprKind, Pattern, Step};
use super::value::Val;
use std::collections::BTreeMap;

/// Deepest projection kept: a longer path keeps the value at this depth
/// whole, so the tree (and everything that walks it) stays shallow.
const MAX_PROJECTION_DEPTH: usize = 32;

/// The part of a value a filter reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Projection {
    /// The whole value.
    All,
    /// When the value is an object, only these keys (with their own
    /// projections); any other value whole.
    Fields(BTreeMap<String, Projection>),
}

impl Projection {
    /// The projection of the data (the variables object) for `expr`.
    pub(crate) fn of(expr: &Expr) -> Projection {
        let mut root = Projection::Fields(BTreeMap::new());
        root.collect(expr);
        root
    }

    /// The keys kept when the value is an object; `None` for the whole value.
    pub fn fields(&self) -> Option<&BTreeMap<String, Projection>> {
        match self {
            Projection::All => None,
            Projection::Fields(fields) => Some(fields),
        }
    }

    /// Marks the value at `keys` as needed; `whole` keeps all of it,
    /// otherwise only its presence (for `has()`).
    fn need(&mut self, keys: &[&str], whole: bool) {
        let mut node = self;
        let keys = &keys[..keys.len().min(MAX_PROJECTION_DEPTH)];
        for (i, key) in keys.iter().enumerate() {
            let Projection::Fields(fields) = node else {
                return; // already whole
            };
            let last = i + 1 == keys.len();
            let child = fields
                .entry((*key).to_owned())
                .or_insert_with(|| Projection::Fields(BTreeMap::new()));
            if last && (whole || i + 1 == MAX_PROJECTION_DEPTH) {
                *child = Projection::All;
            }
            node = child;
        }
    }

    fn collect(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Const(_) => {}
            ExprKind::Ident(name) => self.need(&[name], true),
            ExprKind::Path { base, steps } => {
                match &base.kind {
                    ExprKind::Ident(name) => {
                        let mut keys = vec![name.as_ref()];
                        keys.extend(steps.iter().map_while(constant_key));
                        self.need(&keys, true);
                    }
                    _ => self.collect(base),
                }
                for step in steps {
                    if let Step::Index(e) = step {
                        self.collect(e);
                    }
                }
            }
            ExprKind::Has { base, field } => match field_chain(base) {
                Some(mut keys) => {
                    keys.push(field);
                    self.need(&keys, false);
                }
                None => self.collect(base),
            },
            ExprKind::List(items) | ExprKind::And(items) | ExprKind::Or(items) => {
                items.iter().for_each(|e| self.collect(e));
            }
            ExprKind::Call { args, .. } => args.iter().for_each(|e| self.collect(e)),
            ExprKind::Map(pairs) => pairs.iter().for_each(|(k, v)| {
                self.collect(k);
                self.collect(v);
            }),
            ExprKind::Not(e) | ExprKind::Neg(e) => self.collect(e),
            ExprKind::Binary { first, rest } => {
                self.collect(first);
                rest.iter().for_each(|(_, e)| self.collect(e));
            }
            ExprKind::Cond(parts) => parts.iter().for_each(|e| self.collect(e)),
            ExprKind::Matches { target, pattern } => {
                self.collect(target);
                if let Pattern::Dynamic(p) = pattern {
                    self.collect(p);
                }
            }
        }
    }
}

/// A step that always reads the same key: `.f` or `["f"]`.
fn constant_key(step: &Step) -> Option<&str> {
    match step {
        Step::Field(name) => Some(name),
        Step::Index(Expr {
            kind: ExprKind::Const(Val::Str(key)),
            ..
        }) => Some(key),
        Step::Index(_) => None,
    }
}

/// The keys of `var.a["b"].c`, when `expr` is such a chain.
fn field_chain(expr: &Expr) -> Option<Vec<&str>> {
    match &expr.kind {
        ExprKind::Ident(name) => Some(vec![name]),
        ExprKind::Path { base, steps } => {
            let ExprKind::Ident(name) = &base.kind else {
                return None;
            };
            let mut keys = vec![name.as_ref()];
            for step in steps {
                keys.push(constant_key(step)?);
            }
            Some(keys)
        }
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod reference {
    //! The reference reading of a batch through a projection, with
    //! serde_json: what the scanner must accept, refuse and give.

    use super::Projection;
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;
    use serde_json::{Map, Number, Value};
    use std::collections::BTreeMap;
    use std::fmt;

    /// Parses one JSON value through a projection.
    pub(crate) struct ProjectSeed<'p>(pub(crate) &'p Projection);

    impl<'de> DeserializeSeed<'de> for ProjectSeed<'_> {
        type Value = Value;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
            match self.0 {
                Projection::All => Value::deserialize(deserializer),
                Projection::Fields(fields) => deserializer.deserialize_any(FieldsVisitor(fields)),
            }
        }
    }

    struct FieldsVisitor<'p>(&'p BTreeMap<String, Projection>);

    impl<'de, 'p> Visitor<'de> for FieldsVisitor<'p> {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }

        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::Number(v.into()))
        }

        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::Number(v.into()))
        }

        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
        }

        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_owned()))
        }

        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }

        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element::<Value>()? {
                items.push(item);
            }
            Ok(Value::Array(items))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = Map::new();
            while let Some(wanted) = map.next_key_seed(KeySeed(self.0))? {
                match wanted {
                    Some((key, projection)) => {
                        let value = map.next_value_seed(ProjectSeed(projection))?;
                        out.insert(key.clone(), value);
                    }
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(Value::Object(out))
        }
    }

    /// Reads an object key and looks it up without allocating.
    struct KeySeed<'p>(&'p BTreeMap<String, Projection>);

    type Wanted<'p> = Option<(&'p String, &'p Projection)>;

    impl<'de, 'p> DeserializeSeed<'de> for KeySeed<'p> {
        type Value = Wanted<'p>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Wanted<'p>, D::Error> {
            deserializer.deserialize_str(self)
        }
    }

    impl<'de, 'p> Visitor<'de> for KeySeed<'p> {
        type Value = Wanted<'p>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object key")
        }

        fn visit_str<E>(self, key: &str) -> Result<Wanted<'p>, E> {
            Ok(self.0.get_key_value(key))
        }
    }

    /// Parses the text of a JSON array item by item, calling `each` on every
    /// projected item as soon as it is parsed (the array is never held whole).
    pub(crate) fn for_each_projected(
        text: &str,
        projection: &Projection,
        each: impl FnMut(&Value),
    ) -> Result<(), serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        deserializer.deserialize_seq(BatchVisitor { projection, each })?;
        deserializer.end()
    }

    struct BatchVisitor<'p, F> {
        projection: &'p Projection,
        each: F,
    }

    impl<'de, F: FnMut(&Value)> Visitor<'de> for BatchVisitor<'_, F> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON array")
        }

        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
            while let Some(item) = seq.next_element_seed(ProjectSeed(self.projection))? {
                (self.each)(&item);
            }
            Ok(())
        }
    }
}
