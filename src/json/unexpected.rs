//! serde's [`Unexpected`] as text for the `invalid_type`/`invalid_value`
//! messages of [`super::from_value`]'s errors, worded as serde_json worded
//! them (the texts users saw before the crate had its own deserializer):
//! serde's `Display`, except `null` for unit and serde_json's float notation.
//! `Unexpected`'s own `Display` prints floats with core's float printer and
//! strings with core's `Debug`, which link Grisu, Dragon4, their tables and
//! Unicode tables (about 20 KB) into the wasm even if no float is ever
//! reported; here floats go through the crate's printer and strings through
//! [`super::debug_quote`].

use serde::de::Unexpected;

/// The text of an unexpected value in a serde_json-style message.
pub fn unexpected_text(unexp: Unexpected<'_>) -> String {
    match unexp {
        Unexpected::Bool(b) => format!("boolean `{b}`"),
        Unexpected::Unsigned(i) => format!("integer `{i}`"),
        Unexpected::Signed(i) => format!("integer `{i}`"),
        Unexpected::Float(f) => format!("floating point `{}`", super::de::float_text(f)),
        Unexpected::Char(c) => format!("character `{c}`"),
        Unexpected::Str(s) => format!("string {}", super::debug_quote(s)),
        Unexpected::Bytes(_) => "byte array".to_owned(),
        Unexpected::Unit => "null".to_owned(),
        Unexpected::Option => "Option value".to_owned(),
        Unexpected::NewtypeStruct => "newtype struct".to_owned(),
        Unexpected::Seq => "sequence".to_owned(),
        Unexpected::Map => "map".to_owned(),
        Unexpected::Enum => "enum".to_owned(),
        Unexpected::UnitVariant => "unit variant".to_owned(),
        Unexpected::NewtypeVariant => "newtype variant".to_owned(),
        Unexpected::TupleVariant => "tuple variant".to_owned(),
        Unexpected::StructVariant => "struct variant".to_owned(),
        Unexpected::Other(other) => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_as_serde_json_writes_them() {
        for f in [
            0.0,
            -0.0,
            1.0,
            -2.5,
            1e21,
            1e-7,
            123_456_789.125,
            9_007_199_254_740_994.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
        ] {
            let theirs = serde_json::from_value::<String>(serde_json::Value::from(f))
                .unwrap_err()
                .to_string();
            let ours = format!(
                "invalid type: {}, expected a string",
                unexpected_text(Unexpected::Float(f))
            );
            assert_eq!(ours, theirs, "{f}");
        }
    }

    #[test]
    fn null_and_strings_as_serde_json_writes_them() {
        let theirs =
            |v: serde_json::Value| serde_json::from_value::<u8>(v).unwrap_err().to_string();
        let ours = |u: Unexpected<'_>| format!("invalid type: {}, expected u8", unexpected_text(u));
        assert_eq!(ours(Unexpected::Unit), theirs(serde_json::Value::Null));
        let text = "a\"b\\c\n\t\u{7f}é";
        assert_eq!(
            ours(Unexpected::Str(text)),
            theirs(serde_json::Value::from(text))
        );
    }

    #[test]
    fn the_rest_as_serdes_display() {
        for unexp in [
            Unexpected::Bool(true),
            Unexpected::Unsigned(u64::MAX),
            Unexpected::Signed(i64::MIN),
            Unexpected::Char('\u{301}'),
            Unexpected::Bytes(b"x"),
            Unexpected::Option,
            Unexpected::NewtypeStruct,
            Unexpected::Seq,
            Unexpected::Map,
            Unexpected::Enum,
            Unexpected::UnitVariant,
            Unexpected::NewtypeVariant,
            Unexpected::TupleVariant,
            Unexpected::StructVariant,
            Unexpected::Other("something else"),
        ] {
            assert_eq!(unexpected_text(unexp), unexp.to_string());
        }
    }
}
