//! The JSON parser (RFC 8259), as `JSON.parse` reads text: numbers
//! correctly rounded to `f64` (beyond its range: infinity), escapes decoded,
//! a lone surrogate escape read as U+FFFD (a Rust string cannot hold it),
//! and nesting bounded so hostile input cannot exhaust the stack.

use super::{js_string_to_number, Map, Value};

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 128;

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong.
    pub message: &'static str,
    /// Byte offset in the text where it was found.
    pub offset: usize,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

/// Parses one JSON text (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        at: 0,
    };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.at < parser.bytes.len() {
        return Err(parser.error("unexpected text after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, message: &'static str) -> ParseError {
        ParseError {
            message,
            offset: self.at,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `byte` after optional whitespace, or fails with `message`.
    fn expect(&mut self, byte: u8, message: &'static str) -> Result<(), ParseError> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(message))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.error("unexpected end of text")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        if self.text.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn nest(&mut self, depth: usize) -> Result<usize, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.at += 1;
        Ok(depth + 1)
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        let depth = self.nest(depth)?;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        let depth = self.nest(depth)?;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(Map::from_pairs(members)));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let key = self.string()?;
            self.expect(b':', "expected ':'")?;
            members.push((key, self.value(depth)?));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(Map::from_pairs(members)));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    /// A string, the cursor on its opening quote.
    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Copy the run of plain characters in one piece.
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The run ends at an ASCII byte or the end, so on a char boundary.
            out.push_str(self.text.get(start..self.at).unwrap_or_default());
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character in a string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let Some(b) = self.peek() else {
            return Err(self.error("unterminated string"));
        };
        self.at += 1;
        let c = match (b, short_escape(b)) {
            (_, Some(c)) => c,
            (b'u', None) => self.unicode_escape()?,
            _ => {
                self.at -= 1;
                return Err(self.error("invalid escape"));
            }
        };
        out.push(c);
        Ok(())
    }

    /// The code point of `\uXXXX` (the cursor after the `u`), joining a
    /// surrogate pair written as two escapes.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.text.get(self.at..self.at + 2) == Some("\\u") {
            let resume = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            // Not a low surrogate: the first is lone; read the second anew.
            self.at = resume;
        }
        Ok(char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        let code = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.at += 4;
        Ok(code)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.required_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.required_digits()?;
        }
        // A JSON number is a JavaScript numeric literal, read correctly
        // rounded (beyond f64's range: infinity, as JSON.parse gives).
        let literal = self.text.get(start..self.at).unwrap_or_default();
        Ok(Value::Number(js_string_to_number(literal)))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), ParseError> {
        let start = self.at;
        self.digits();
        if self.at == start {
            return Err(self.error("invalid number"));
        }
        Ok(())
    }
}

/// The character a one-letter JSON escape (`\n`, `\"`, ...) stands for;
/// `None` for `u` and for letters JSON does not define.
pub(crate) fn short_escape(b: u8) -> Option<char> {
    Some(match b {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    #[test]
    fn reads_every_kind_of_value() {
        let value = parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\"], \"b\": {}} ").unwrap();
        let a = value.get("a").and_then(Value::as_array).unwrap();
        assert_eq!(
            a,
            &vec![
                n(1.0),
                n(-2500.0),
                Value::Bool(true),
                Value::Bool(false),
                Value::Null,
                Value::String("x".into())
            ]
        );
        assert_eq!(value.get("b"), Some(&Value::Object(Map::new())));
        assert_eq!(parse("[]"), Ok(Value::Array(Vec::new())));
    }

    #[test]
    fn numbers_round_as_javascript_reads_them() {
        for (text, expected) in [
            ("0", 0.0),
            ("-0", -0.0),
            ("0.1", 0.1),
            ("1E2", 100.0),
            ("1e+2", 100.0),
            ("1e-2", 0.01),
            ("9007199254740993", 9007199254740992.0),
            ("2.2250738585072011e-308", 2.225073858507201e-308),
            ("1.7976931348623157e308", f64::MAX),
            ("1e400", f64::INFINITY),
            ("-1e400", f64::NEG_INFINITY),
            ("1e-400", 0.0),
            ("123456789012345678901234567890", 1.2345678901234568e29),
        ] {
            let parsed = parse(text).unwrap().as_f64().unwrap();
            assert_eq!(parsed.to_bits(), expected.to_bits(), "{text}");
        }
        for bad in [
            "01", "1.", ".5", "+1", "1e", "1e+", "-", "0x10", "NaN", "Infinity", "1.e3",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn strings_decode_escapes_and_surrogates() {
        let text = r#""a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC\ud83d\ude00é😀""#;
        assert_eq!(
            parse(text),
            Ok(Value::String(
                "a\"b\\c/d\u{8}\u{c}\n\r\t\u{e9}\u{20ac}\u{1f600}é😀".into()
            ))
        );
        // Lone surrogates, as JSON.parse keeps them, become U+FFFD.
        assert_eq!(parse(r#""\ud800""#), Ok(Value::String("\u{fffd}".into())));
        assert_eq!(parse(r#""\udc00x""#), Ok(Value::String("\u{fffd}x".into())));
        assert_eq!(
            parse(r#""\ud800\u0041""#),
            Ok(Value::String("\u{fffd}A".into()))
        );
        assert_eq!(
            parse(r#""\ud800\ud800\udc00""#),
            Ok(Value::String("\u{fffd}\u{10000}".into()))
        );
        for bad in [
            r#""abc"#,
            r#""\x""#,
            r#""\u12""#,
            r#""\u12g4""#,
            "\"a\nb\"",
            "\"\\",
            r#""\ud800\u12""#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(parse(&deep).unwrap_err().message, "nested too deeply");
        let objects = "{\"a\":".repeat(100_000);
        assert_eq!(parse(&objects).unwrap_err().message, "nested too deeply");
    }

    #[test]
    fn garbage_is_an_error_never_a_panic() {
        for bad in [
            "",
            "   ",
            "nul",
            "tru",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "{a:1}",
            "{\"a\":}",
            "[1]x",
            "\"\u{0}\"",
            "é",
            "[\"é",
            "{\"é\":",
            "\u{feff}1",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        // Every prefix of a valid text, cut anywhere (even inside a UTF-8
        // sequence), fails cleanly.
        let text = r#"{"k":["é😀",1.5e-3,{"x":null}],"\u00e9":"\ud83d\ude00"}"#;
        for cut in 0..text.len() {
            if let Some(prefix) = text.get(..cut) {
                assert!(parse(prefix).is_err(), "{prefix}");
            }
        }
        assert!(parse(text).is_ok());
        // Random texts over JSON's alphabet: never a panic, and whatever
        // parses is written back to text that parses to the same value.
        let pieces = [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "u", "d8", "00", "e", "-", "+", ".", "0",
            "1", "9", " ", "\n", "true", "null", "fals", "é", "😀", "\"a\"", "\\n", "\\ud83d",
        ];
        let mut seed = 0x2545_f491_u32;
        let mut parsed = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(seed % 12) {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
            }
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            if let Ok(value) = parse(&text) {
                parsed += 1;
                assert_eq!(parse(&super::super::to_string(&value)), Ok(value), "{text}");
            }
        }
        assert!(parsed > 50, "the texts exercise valid JSON too ({parsed})");
        let error = parse("[1,?]").unwrap_err();
        assert_eq!(error.to_string(), "expected a value at byte 3");
    }
}
