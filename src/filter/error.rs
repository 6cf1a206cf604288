//! The two error types of the filter language: [`SyntaxError`] (the
//! expression cannot be compiled; located by line, column and a caret) and
//! [`EvalError`] (one evaluation failed; CEL's runtime errors).

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
