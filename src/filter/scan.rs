//! A byte-level JSON scanner for the batch path: reads one token or value at
//! a time from the text of a JSON array, borrowing strings from the input
//! where they have no escapes and skipping whole values without building
//! them. A value that is read (materialized) is checked in full (paired
//! surrogates in `\u` escapes, numbers within the double range); a skipped
//! value is checked for syntax, escapes and control characters only, at any
//! nesting depth (the tests check both against a reference parser). Nothing
//! here allocates except the reusable buffers the caller passes, and nothing
//! recurses: skipping keeps its own stack of open brackets.

use crate::json::short_escape;

/// Where and why the text is not what the scanner expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScanError {
    /// Byte offset of the offending byte (the text's length at its end).
    pub(crate) offset: usize,
    /// What was expected or found there.
    pub(crate) reason: &'static str,
}

/// A string read from the text: borrowed when it has no escapes, else
/// decoded at `start..` of the caller's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Str<'t> {
    Borrowed(&'t str),
    Decoded { start: usize, end: usize },
}

/// The scanner: a position in a text.
pub(crate) struct Scanner<'t> {
    text: &'t str,
    pos: usize,
    /// Open brackets while skipping (`true` for an object), kept between
    /// calls so skipping allocates only when it nests deeper than before.
    frames: Vec<bool>,
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of every byte of `word` that is zero is set (the lowest
/// flagged byte is exact; borrows may flag bytes above it).
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(LOW_BITS) & !word & HIGH_BITS
}

impl<'t> Scanner<'t> {
    /// A scanner at the start of `text`.
    pub(crate) fn new(text: &'t str) -> Scanner<'t> {
        Scanner {
            text,
            pos: 0,
            frames: Vec::new(),
        }
    }

    /// The current byte offset.
    #[cfg(test)]
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// The text between two offsets (empty if they are not boundaries).
    pub(crate) fn slice(&self, start: usize, end: usize) -> &'t str {
        self.text.get(start..end).unwrap_or("")
    }

    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    /// The next byte, if any, without consuming it.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    /// Consumes one byte (the one `peek` returned).
    pub(crate) fn bump(&mut self) {
        self.pos += 1;
    }

    /// An error at the current position.
    pub(crate) fn error<T>(&self, reason: &'static str) -> Result<T, ScanError> {
        Err(ScanError {
            offset: self.pos.min(self.text.len()),
            reason,
        })
    }

    /// Skips JSON whitespace and returns the next byte, if any.
    pub(crate) fn skip_ws(&mut self) -> Option<u8> {
        while let Some(b) = self.peek() {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Skips whitespace and consumes `expected`, or fails with `reason`.
    pub(crate) fn expect(&mut self, expected: u8, reason: &'static str) -> Result<(), ScanError> {
        if self.skip_ws() == Some(expected) {
            self.pos += 1;
            Ok(())
        } else {
            self.error(reason)
        }
    }

    /// After a member of an array or object: consumes a comma (`true`: a
    /// member follows) or the closing bracket `close` (`false`).
    pub(crate) fn next_member(&mut self, close: u8) -> Result<bool, ScanError> {
        match self.skip_ws() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(false)
            }
            Some(_) => self.error("expected ',' or a closing bracket"),
            None => self.error("end of text inside an array or object"),
        }
    }

    /// Advances to the next `"`, `\` or control character of a string body
    /// (or the end), eight bytes at a time where it can.
    fn skip_plain(&mut self) {
        let bytes = self.bytes();
        let mut pos = self.pos;
        while let Some(chunk) = bytes.get(pos..pos + 8) {
            let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            let word = u64::from_le_bytes(chunk);
            let special = zero_bytes(word ^ (LOW_BITS * u64::from(b'"')))
                | zero_bytes(word ^ (LOW_BITS * u64::from(b'\\')))
                | (word.wrapping_sub(LOW_BITS * 0x20) & !word & HIGH_BITS);
            if special != 0 {
                self.pos = pos + (special.trailing_zeros() / 8) as usize;
                return;
            }
            pos += 8;
        }
        while let Some(&b) = bytes.get(pos) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            pos += 1;
        }
        self.pos = pos;
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u16, ScanError> {
        let Some(digits) = self.bytes().get(self.pos..self.pos + 4) else {
            self.pos = self.text.len();
            return self.error("end of text in a string");
        };
        let mut n: u16 = 0;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return self.error("invalid \\u escape"),
            };
            n = (n << 4) | u16::from(v);
        }
        self.pos += 4;
        Ok(n)
    }

    /// Skips the rest of a string whose opening quote is consumed, checking
    /// it as a skipped value (escapes well formed, lone surrogates allowed).
    pub(crate) fn skip_string(&mut self) -> Result<(), ScanError> {
        loop {
            self.skip_plain();
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(b) if short_escape(b).is_some() => self.pos += 1,
                        Some(b'u') => {
                            self.pos += 1;
                            self.hex4()?;
                        }
                        Some(_) => return self.error("invalid escape"),
                        None => return self.error("end of text in a string"),
                    }
                }
                Some(_) => return self.error("control character in a string"),
                None => return self.error("end of text in a string"),
            }
        }
    }

    /// Reads the rest of a string whose opening quote is consumed, in full:
    /// borrowed when it has no escapes, else
    /// decoded onto the end of `buf` (surrogate escapes must pair up).
    pub(crate) fn string(&mut self, buf: &mut String) -> Result<Str<'t>, ScanError> {
        let mut start = self.pos;
        self.skip_plain();
        if self.peek() == Some(b'"') {
            let s = self.slice(start, self.pos);
            self.pos += 1;
            return Ok(Str::Borrowed(s));
        }
        let begin = buf.len();
        loop {
            match self.peek() {
                Some(b'"') => {
                    buf.push_str(self.slice(start, self.pos));
                    self.pos += 1;
                    return Ok(Str::Decoded {
                        start: begin,
                        end: buf.len(),
                    });
                }
                Some(b'\\') => {
                    buf.push_str(self.slice(start, self.pos));
                    self.pos += 1;
                    let c = self.escape()?;
                    buf.push(c);
                    start = self.pos;
                }
                Some(_) => return self.error("control character in a string"),
                None => return self.error("end of text in a string"),
            }
            self.skip_plain();
        }
    }

    /// The character of an escape whose backslash is consumed.
    fn escape(&mut self) -> Result<char, ScanError> {
        let Some(b) = self.peek() else {
            return self.error("end of text in a string");
        };
        self.pos += 1;
        match (b, short_escape(b)) {
            (_, Some(c)) => Ok(c),
            (b'u', None) => self.unicode_escape(),
            _ => {
                self.pos -= 1;
                self.error("invalid escape")
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, ScanError> {
        let first = self.hex4()?;
        let code = match first {
            0xDC00..=0xDFFF => return self.error("unpaired surrogate in a \\u escape"),
            0xD800..=0xDBFF => {
                if self.bytes().get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return self.error("unpaired surrogate in a \\u escape");
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return self.error("unpaired surrogate in a \\u escape");
                }
                0x1_0000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
            }
            _ => u32::from(first),
        };
        match char::from_u32(code) {
            Some(c) => Ok(c),
            None => self.error("invalid \\u escape"),
        }
    }

    /// Consumes the rest of `word` after its first byte (already checked).
    fn literal(&mut self, word: &'static [u8]) -> Result<(), ScanError> {
        for &expected in word.iter().skip(1) {
            self.pos += 1;
            if self.peek() != Some(expected) {
                return self.error("invalid literal");
            }
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads `true`, `false` or `null` at the current byte.
    pub(crate) fn keyword(&mut self) -> Result<Option<bool>, ScanError> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| Some(true)),
            Some(b'f') => self.literal(b"false").map(|()| Some(false)),
            _ => self.literal(b"null").map(|()| None),
        }
    }

    /// Checks the syntax of a number at the current byte and returns
    /// whether it is an integer (no fraction, no exponent).
    fn number_syntax(&mut self) -> Result<bool, ScanError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return self.error("leading zero in a number");
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return self.error("invalid number"),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return self.error("invalid number");
            }
            self.digits();
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return self.error("invalid number");
            }
            self.digits();
            integer = false;
        }
        Ok(integer)
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// Reads a number at the current byte as a correctly rounded double;
    /// out of the double range is an error.
    pub(crate) fn number(&mut self) -> Result<f64, ScanError> {
        let start = self.pos;
        let integer = self.number_syntax()?;
        let text = self.slice(start, self.pos);
        if integer {
            let (negative, digits) = match text.strip_prefix('-') {
                Some(digits) => (true, digits),
                None => (false, text),
            };
            if let Ok(n) = digits.parse::<u64>() {
                // Integer to double conversion rounds to nearest, as the
                // decimal parser does, and `-0` is the double -0.0 in both.
                let d = n as f64;
                return Ok(if negative { -d } else { d });
            }
        }
        match crate::json::parse_f64(text) {
            Some(d) if d.is_finite() => Ok(d),
            _ => Err(ScanError {
                offset: start,
                reason: "number out of range",
            }),
        }
    }

    /// Skips one value (after whitespace), checking it as a skipped value
    /// (syntax only, at any depth). Returns the deepest nesting of arrays
    /// and objects in it (0 for a scalar).
    pub(crate) fn skip_value(&mut self) -> Result<usize, ScanError> {
        // Most skipped values are strings and numbers: no bracket stack.
        match self.skip_ws() {
            Some(b'"') => {
                self.pos += 1;
                return self.skip_string().map(|()| 0);
            }
            Some(b'-' | b'0'..=b'9') => return self.number_syntax().map(|_| 0),
            _ => {}
        }
        self.frames.clear();
        let mut deepest = 0;
        loop {
            // A value is expected here.
            match self.skip_ws() {
                Some(open @ (b'[' | b'{')) => {
                    self.pos += 1;
                    let object = open == b'{';
                    self.frames.push(object);
                    deepest = deepest.max(self.frames.len());
                    let close = if object { b'}' } else { b']' };
                    if self.skip_ws() == Some(close) {
                        self.pos += 1;
                        self.frames.pop();
                    } else {
                        if object {
                            self.key()?;
                        }
                        continue;
                    }
                }
                Some(b'"') => {
                    self.pos += 1;
                    self.skip_string()?;
                }
                Some(b't' | b'f' | b'n') => {
                    self.keyword()?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.number_syntax()?;
                }
                Some(_) => return self.error("expected a value"),
                None => return self.error("end of text where a value was expected"),
            }
            // After a value: close brackets until a comma or the end.
            loop {
                let Some(&object) = self.frames.last() else {
                    return Ok(deepest);
                };
                if self.next_member(if object { b'}' } else { b']' })? {
                    if object {
                        self.key()?;
                    }
                    break;
                }
                self.frames.pop();
            }
        }
    }

    /// Skips an object key of a skipped object and its colon.
    fn key(&mut self) -> Result<(), ScanError> {
        self.expect(b'"', "expected an object key")?;
        self.skip_string()?;
        self.expect(b':', "expected ':'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Reads one string literal (with its quotes) as the scanner does.
    fn read_string(literal: &str) -> Result<String, ScanError> {
        let mut scanner = Scanner::new(literal);
        scanner.expect(b'"', "quote")?;
        let mut buf = String::from("prefix");
        let s = match scanner.string(&mut buf)? {
            Str::Borrowed(s) => s.to_owned(),
            Str::Decoded { start, end } => buf[start..end].to_owned(),
        };
        assert_eq!(scanner.pos(), literal.len(), "{literal}");
        Ok(s)
    }

    #[test]
    fn strings_decode_as_serde_json_parses_them() {
        let cases = [
            r#""""#,
            r#""plain""#,
            r#""héllo wörld ✓ 😀""#,
            r#""a\"b\\c\/d\be\ff\ng\rh\ti""#,
            r#""\u00e9\u00E9\u0000\u001f\uffff""#,
            r#""\ud83d\ude00 pair""#,
            r#""long plain text well past eight bytes \n then more""#,
            r#""12345678\"""#,
        ];
        for literal in cases {
            let expected: String = serde_json::from_str(literal).unwrap();
            assert_eq!(read_string(literal), Ok(expected), "{literal}");
        }
        // Strings without escapes are borrowed; decoded ones go after what
        // the buffer already holds.
        let mut buf = String::from("kept");
        let mut scanner = Scanner::new("\"abc\" \"a\\nb\"");
        scanner.bump();
        assert_eq!(scanner.string(&mut buf), Ok(Str::Borrowed("abc")));
        assert_eq!(scanner.expect(b'"', "quote"), Ok(()));
        assert_eq!(
            scanner.string(&mut buf),
            Ok(Str::Decoded { start: 4, end: 7 })
        );
        assert_eq!(buf, "kepta\nb");
    }

    #[test]
    fn bad_strings_fail_where_serde_json_fails() {
        let cases = [
            "\"open",
            "\"bad \\x escape\"",
            "\"tab\there\"",
            "\"nl\nhere\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"\\udc00\"",
            "\"\\ud800\"",
            "\"\\ud800\\n\"",
            "\"\\ud800\\u0041\"",
            "\"\\",
            "\"\\u",
        ];
        for literal in cases {
            assert!(
                serde_json::from_str::<String>(literal).is_err(),
                "{literal}"
            );
            let e = read_string(literal).unwrap_err();
            assert!(e.offset <= literal.len(), "{literal}: {e:?}");
        }
    }

    #[test]
    fn skipped_strings_accept_lone_surrogates_as_serde_json_ignores_them() {
        for literal in ["\"\\ud800\"", "\"\\udc00x\"", "\"\\ud800\\u0041\""] {
            let mut scanner = Scanner::new(literal);
            assert_eq!(scanner.skip_value(), Ok(0));
            assert!(serde_json::from_str::<serde::de::IgnoredAny>(literal).is_ok());
        }
    }

    #[test]
    fn numbers_read_as_serde_json_doubles() {
        let cases = [
            "0",
            "-0",
            "-0.0",
            "1",
            "-1",
            "123456789",
            "9007199254740993",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "1.5",
            "0.1",
            "2.5e-3",
            "1E5",
            "1e+5",
            "1.7976931348623157e308",
            "4.9e-324",
            "1e-400",
            "-1e-400",
            "0e99999",
            "0.30000000000000004",
        ];
        for text in cases {
            let expected = serde_json::from_str::<Value>(text)
                .unwrap()
                .as_f64()
                .unwrap();
            let got = Scanner::new(text).number().unwrap();
            assert_eq!(got.to_bits(), expected.to_bits(), "{text}");
        }
        for text in ["1e309", "-1e400", "1.8e308", &"9".repeat(400)] {
            assert!(serde_json::from_str::<Value>(text).is_err(), "{text}");
            assert_eq!(Scanner::new(text).number().unwrap_err().offset, 0);
            // Skipping checks only the syntax, as serde_json's ignore does.
            assert_eq!(Scanner::new(text).skip_value(), Ok(0));
        }
        for text in ["01", "-", "-a", "1.", "1.e5", "1e", "1e+", ".5", "+1"] {
            assert!(serde_json::from_str::<Value>(text).is_err(), "{text}");
            let mut scanner = Scanner::new(text);
            let read = scanner.number();
            let skipped = Scanner::new(text).skip_value();
            // A number may stop early ("01" reads "0"); the caller then
            // finds the rest where it expects a separator.
            assert!(read.is_err() || scanner.pos() < text.len(), "{text}");
            assert!(skipped.is_err() || skipped == Ok(0), "{text}");
        }
    }

    #[test]
    fn skipping_walks_nesting_without_recursion() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let mut scanner = Scanner::new(&deep);
        assert_eq!(scanner.skip_value(), Ok(100_000));
        assert_eq!(scanner.pos(), deep.len());
        let mixed = r#"{"a": [1, {"b": "x\"]}"}, [], {}], "c": {"d": [[null, true, false]]}} tail"#;
        let mut scanner = Scanner::new(mixed);
        assert_eq!(scanner.skip_value(), Ok(4));
        assert_eq!(&mixed[scanner.pos()..], " tail");
        for bad in [
            "[1,]",
            "[,1]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "[1 2]",
            "[1}",
            "{\"a\":1]",
            "[",
            "{",
            "{\"a\"",
            "{\"a\":",
            "[tru]",
            "nul",
            "]",
            "",
        ] {
            assert!(
                serde_json::from_str::<serde::de::IgnoredAny>(bad).is_err(),
                "{bad}"
            );
            let e = Scanner::new(bad).skip_value().unwrap_err();
            assert!(e.offset <= bad.len(), "{bad}: {e:?}");
        }
    }
}
