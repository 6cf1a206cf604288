//! serde's [`Unexpected`] as text, the same as its `Display`, for the
//! `invalid_type`/`invalid_value` messages of a deserializer's error type.
//! `Unexpected`'s own `Display` prints floats with core's float printer,
//! which then links Grisu, Dragon4 and their tables (about 14 KB of code and
//! 5 KB of data) into the wasm even if no float is ever reported; here floats
//! go through [`super::display_f64`] (JavaScript's printer in wasm).

use serde::de::Unexpected;

/// `unexp.to_string()`.
pub fn unexpected_text(unexp: Unexpected<'_>) -> String {
    match unexp {
        Unexpected::Bool(b) => format!("boolean `{b}`"),
        Unexpected::Unsigned(i) => format!("integer `{i}`"),
        Unexpected::Signed(i) => format!("integer `{i}`"),
        Unexpected::Float(f) => format!("floating point `{}`", with_decimal_point(f)),
        Unexpected::Char(c) => format!("character `{c}`"),
        Unexpected::Str(s) => format!("string {s:?}"),
        Unexpected::Bytes(_) => "byte array".to_owned(),
        Unexpected::Unit => "unit value".to_owned(),
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

/// A float as serde writes it in `Unexpected`: `Display`, plus `.0` when a
/// finite value printed without a decimal point.
fn with_decimal_point(f: f64) -> String {
    let mut text = super::display_f64(f);
    if f.is_finite() && !text.contains('.') {
        text.push_str(".0");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_serdes_display() {
        let floats = [
            0.0,
            -0.0,
            1.0,
            -2.5,
            1e21,
            1e-7,
            123_456_789.125,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut cases: Vec<Unexpected<'_>> = floats.iter().map(|f| Unexpected::Float(*f)).collect();
        cases.extend([
            Unexpected::Bool(true),
            Unexpected::Unsigned(u64::MAX),
            Unexpected::Signed(i64::MIN),
            Unexpected::Char('\u{301}'),
            Unexpected::Str("a\"b\\c\n\u{301}\u{7f}é"),
            Unexpected::Bytes(b"x"),
            Unexpected::Unit,
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
        ]);
        for unexp in cases {
            assert_eq!(unexpected_text(unexp), unexp.to_string());
        }
    }
}
