//! The JSON writer: compact text as `JSON.stringify` writes it (numbers
//! in JavaScript's notation, non-finite numbers as `null`), with the string
//! escapes serde_json uses, so texts hashed or stored earlier stay the same.

use super::{js_number_string, Value};

/// The value as compact JSON text.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) if n.is_finite() => out.push_str(&js_number_string(*n)),
        Value::Number(_) => out.push_str("null"),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let code = u32::from(c) as usize;
                out.push_str("\\u00");
                for digit in [code >> 4, code & 0xf] {
                    out.push(char::from(HEX.get(digit).copied().unwrap_or(b'0')));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::super::{parse, Map};
    use super::*;

    #[test]
    fn writes_compact_json_in_member_order() {
        let mut map = Map::new();
        map.insert(
            "z".into(),
            Value::Array(vec![Value::Null, Value::Bool(true)]),
        );
        map.insert("a".into(), Value::Number(1.5));
        map.insert("n".into(), Value::Number(f64::INFINITY));
        map.insert("e".into(), Value::Object(Map::new()));
        assert_eq!(
            to_string(&Value::Object(map)),
            r#"{"z":[null,true],"a":1.5,"n":null,"e":{}}"#
        );
        assert_eq!(to_string(&Value::Array(Vec::new())), "[]");
        assert_eq!(to_string(&Value::Number(1e21)), "1e+21");
        assert_eq!(to_string(&Value::Number(-0.0)), "0");
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let text = "q\"b\\n\nr\rt\tb\u{8}f\u{c}\u{1}\u{1f}\u{7f}/é😀";
        let written = to_string(&Value::String(text.into()));
        assert_eq!(
            written,
            "\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\f\\u0001\\u001f\u{7f}/é😀\""
        );
        assert_eq!(parse(&written), Ok(Value::String(text.into())));
    }
}
