//! The error types of the filter language: [`SyntaxError`] (the
//! expression cannot be compiled; located by line, column and a caret),
//! [`EvalError`] (one evaluation failed; CEL's runtime errors) and
//! [`JsonArrayError`] (a batch's text is not a JSON array).

use std::fmt;

/// Why an expression does not compile. Each variant has a stable
/// snake_case [`code`](SyntaxErrorCode::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxErrorCode {
    /// A token that the grammar does not allow here (including the end of input).
    UnexpectedToken,
    /// A character that starts no token (`#`, `@`, a lone `=` or `&`, ...).
    InvalidCharacter,
    /// A string or bytes literal without its closing quote.
    UnterminatedString,
    /// A backslash escape that CEL does not define, or a bad code point.
    InvalidEscape,
    /// A number literal out of range (`9223372036854775808`, `1e999`).
    InvalidNumber,
    /// A CEL reserved word (`if`, `var`, `package`, ...) used as a name.
    ReservedIdentifier,
    /// A function or method that is not in the supported subset.
    UnknownFunction,
    /// A known function called with the wrong number of arguments.
    WrongArgumentCount,
    /// `has()` given something other than a field selection `a.b`.
    InvalidHasArgument,
    /// A constant `matches` pattern that is not a valid regular expression.
    InvalidRegex,
    /// Nesting deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    TooDeep,
    /// An expression longer than [`MAX_LENGTH`](super::MAX_LENGTH) bytes.
    TooLong,
}

impl SyntaxErrorCode {
    /// The stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            SyntaxErrorCode::UnexpectedToken => "unexpected_token",
            SyntaxErrorCode::InvalidCharacter => "invalid_character",
            SyntaxErrorCode::UnterminatedString => "unterminated_string",
            SyntaxErrorCode::InvalidEscape => "invalid_escape",
            SyntaxErrorCode::InvalidNumber => "invalid_number",
            SyntaxErrorCode::ReservedIdentifier => "reserved_identifier",
            SyntaxErrorCode::UnknownFunction => "unknown_function",
            SyntaxErrorCode::WrongArgumentCount => "wrong_argument_count",
            SyntaxErrorCode::InvalidHasArgument => "invalid_has_argument",
            SyntaxErrorCode::InvalidRegex => "invalid_regex",
            SyntaxErrorCode::TooDeep => "too_deep",
            SyntaxErrorCode::TooLong => "too_long",
        }
    }
}

/// An expression that does not compile, located in its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong.
    pub kind: SyntaxErrorCode,
    /// Human-readable explanation (without the position).
    pub message: String,
    /// 1-based line of the offending character.
    pub line: usize,
    /// 1-based column of the offending character, counted in characters.
    pub column: usize,
    /// Byte offset of the offending character in the expression.
    pub offset: usize,
    /// The source line followed by a line with a caret under the column.
    pub snippet: String,
}

impl SyntaxError {
    /// Builds an error at byte `offset` of `source`, computing line, column and caret.
    pub(crate) fn at(source: &str, offset: usize, kind: SyntaxErrorCode, message: String) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let before = source.get(..offset).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = 1 + before.matches('\n').count();
        let prefix = source.get(line_start..offset).unwrap_or("");
        let column = 1 + prefix.chars().count();
        let rest = source.get(line_start..).unwrap_or("");
        let text = rest.split('\n').next().unwrap_or("");
        let text = text.strip_suffix('\r').unwrap_or(text);
        // Tabs are copied into the caret line so the caret stays aligned in
        // terminals and <pre> blocks that expand them.
        let pad: String = prefix
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        SyntaxError {
            kind,
            message,
            line,
            column,
            offset,
            snippet: format!("{text}\n{pad}^"),
        }
    }

    /// The stable machine-readable code (`unexpected_token`, ...).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {}\n{}",
            self.message, self.line, self.column, self.snippet
        )
    }
}

impl std::error::Error for SyntaxError {}

/// Why one evaluation failed. Each variant has a stable snake_case
/// [`code`](EvalErrorCode::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalErrorCode {
    /// A map (JSON object) has no such key.
    NoSuchKey,
    /// The data has no top-level variable of that name.
    UnknownVariable,
    /// An operator or function applied to types it is not defined for
    /// (`1 + "a"`, `1 + 1.0`, `!"x"`, `"a" < 1`, field selection on a list).
    NoMatchingOverload,
    /// Integer division or modulus by zero.
    DivisionByZero,
    /// Integer arithmetic or a conversion left the 64-bit range.
    Overflow,
    /// A list index outside the list.
    IndexOutOfRange,
    /// A `matches` pattern computed at run time that does not compile.
    InvalidRegex,
    /// A conversion or map literal given a value it cannot accept
    /// (`int("x")`, `string(b"\xff")`, a repeated map key).
    InvalidArgument,
    /// The filter's result is not a boolean.
    NotBoolean,
    /// Data nested deeper than the evaluator walks.
    TooDeep,
    /// The input is not JSON data (reported by the JS binding).
    InvalidData,
}

impl EvalErrorCode {
    /// The stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            EvalErrorCode::NoSuchKey => "no_such_key",
            EvalErrorCode::UnknownVariable => "unknown_variable",
            EvalErrorCode::NoMatchingOverload => "no_matching_overload",
            EvalErrorCode::DivisionByZero => "division_by_zero",
            EvalErrorCode::Overflow => "overflow",
            EvalErrorCode::IndexOutOfRange => "index_out_of_range",
            EvalErrorCode::InvalidRegex => "invalid_regex",
            EvalErrorCode::InvalidArgument => "invalid_argument",
            EvalErrorCode::NotBoolean => "not_boolean",
            EvalErrorCode::TooDeep => "too_deep",
            EvalErrorCode::InvalidData => "invalid_data",
        }
    }
}

/// A failed evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    /// What failed.
    pub kind: EvalErrorCode,
    /// Human-readable explanation.
    pub message: String,
}

impl EvalError {
    /// Builds an error.
    pub fn new(kind: EvalErrorCode, message: impl Into<String>) -> Self {
        EvalError {
            kind,
            message: message.into(),
        }
    }

    /// The stable machine-readable code (`no_such_key`, ...).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// Why the text given to
/// [`Filter::evaluate_json_array`](super::Filter::evaluate_json_array) is
/// not a JSON array, and where. Displayed as `<message> at line <line>
/// column <column>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonArrayError {
    /// What is wrong.
    pub message: &'static str,
    /// Byte offset of the offending byte (the text's length at its end).
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// Bytes from the start of the line to the offending byte, that byte
    /// included (at the end of the text: the line's length, so `0` on an
    /// empty line).
    pub column: usize,
}

impl JsonArrayError {
    /// The error at byte `offset` of `text`.
    pub(crate) fn at(text: &str, offset: usize, message: &'static str) -> Self {
        let bytes = text.as_bytes();
        let offset = offset.min(bytes.len());
        let before = bytes.get(..offset).unwrap_or_default();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = offset - line_start + usize::from(offset < bytes.len());
        JsonArrayError {
            message,
            offset,
            line,
            column,
        }
    }
}

impl fmt::Display for JsonArrayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for JsonArrayError {}

#[cfg(test)]
mod tests {
    use super::JsonArrayError;

    #[test]
    fn json_array_errors_locate_by_line_and_column() {
        let at = |text: &str, offset: usize| {
            let e = JsonArrayError::at(text, offset, "m");
            (e.line, e.column, e.offset)
        };
        assert_eq!(at("", 0), (1, 0, 0));
        assert_eq!(at("[x]", 1), (1, 2, 1));
        assert_eq!(at("[{\"x\": 1},", 10), (1, 10, 10));
        assert_eq!(at("[1,\n", 4), (2, 0, 4));
        assert_eq!(at("[1,\n  x]", 6), (2, 3, 6));
        assert_eq!(at("[1]", 99), (1, 3, 3));
        assert_eq!(
            JsonArrayError::at("[1,\n  x]", 6, "expected a value").to_string(),
            "expected a value at line 2 column 3"
        );
    }
}
