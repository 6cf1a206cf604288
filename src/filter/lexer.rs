//! The tokenizer: CEL's lexical grammar (numbers with hex and `u` suffix,
//! the four quote styles with raw and bytes prefixes and every CEL escape,
//! `//` comments). It works in one pass over the bytes and never recurses.

use super::error::{SyntaxError, SyntaxErrorCode};

/// One token kind. Number literals carry their magnitude: the sign is a
/// separate `-` token that the parser folds into int and double literals.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Int(u64),
    Uint(u64),
    Double(f64),
    Str(String),
    Bytes(Vec<u8>),
    Ident,
    True,
    False,
    Null,
    In,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Dot,
    Comma,
    Colon,
    Question,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    AndAnd,
    OrOr,
    Eof,
}

impl Tok {
    /// How the token reads in an error message.
    pub(crate) fn describe(&self, text: &str) -> String {
        match self {
            Tok::Int(_) | Tok::Uint(_) | Tok::Double(_) => format!("number {text}"),
            Tok::Str(_) => "a string".to_owned(),
            Tok::Bytes(_) => "a bytes literal".to_owned(),
            Tok::Ident => format!("identifier '{text}'"),
            Tok::Eof => "end of input".to_owned(),
            _ => format!("'{text}'"),
        }
    }
}

/// A token and where it is: `start..end` are byte offsets in the source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Splits `source` into tokens, ending with [`Tok::Eof`].
pub(crate) fn tokenize(source: &str) -> Result<Vec<Token>, SyntaxError> {
    let mut lexer = Lexer {
        src: source,
        bytes: source.as_bytes(),
        pos: 0,
    };
    let mut tokens = Vec::new();
    loop {
        lexer.skip_blank();
        let start = lexer.pos;
        let tok = lexer.next_token()?;
        let done = tok == Tok::Eof;
        tokens.push(Token {
            tok,
            start,
            end: lexer.pos,
        });
        if done {
            return Ok(tokens);
        }
    }
}

struct Lexer<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn error(&self, offset: usize, kind: SyntaxErrorCode, message: String) -> SyntaxError {
        SyntaxError::at(self.src, offset, kind, message)
    }

    /// Skips CEL whitespace (`\t \n \f \r` and space) and `//` comments.
    fn skip_blank(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0c => self.pos += 1,
                b'/' if self.peek_at(1) == Some(b'/') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    fn next_token(&mut self) -> Result<Tok, SyntaxError> {
        let Some(b) = self.peek() else {
            return Ok(Tok::Eof);
        };
        let start = self.pos;
        if b.is_ascii_digit() || (b == b'.' && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()))
        {
            return self.number();
        }
        if b == b'"' || b == b'\'' {
            return self.string(start, false, false);
        }
        if b == b'_' || b.is_ascii_alphabetic() {
            if let Some(tok) = self.prefixed_string(start)? {
                return Ok(tok);
            }
            while self
                .peek()
                .is_some_and(|c| c == b'_' || c.is_ascii_alphanumeric())
            {
                self.pos += 1;
            }
            return Ok(match self.src.get(start..self.pos).unwrap_or("") {
                "true" => Tok::True,
                "false" => Tok::False,
                "null" => Tok::Null,
                "in" => Tok::In,
                _ => Tok::Ident,
            });
        }
        let two = |second: u8| self.peek_at(1) == Some(second);
        let (tok, len) = match b {
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b'[' => (Tok::LBracket, 1),
            b']' => (Tok::RBracket, 1),
            b'{' => (Tok::LBrace, 1),
            b'}' => (Tok::RBrace, 1),
            b'.' => (Tok::Dot, 1),
            b',' => (Tok::Comma, 1),
            b':' => (Tok::Colon, 1),
            b'?' => (Tok::Question, 1),
            b'+' => (Tok::Plus, 1),
            b'-' => (Tok::Minus, 1),
            b'*' => (Tok::Star, 1),
            b'/' => (Tok::Slash, 1),
            b'%' => (Tok::Percent, 1),
            b'=' if two(b'=') => (Tok::EqEq, 2),
            b'!' if two(b'=') => (Tok::NotEq, 2),
            b'!' => (Tok::Bang, 1),
            b'<' if two(b'=') => (Tok::Le, 2),
            b'<' => (Tok::Lt, 1),
            b'>' if two(b'=') => (Tok::Ge, 2),
            b'>' => (Tok::Gt, 1),
            b'&' if two(b'&') => (Tok::AndAnd, 2),
            b'|' if two(b'|') => (Tok::OrOr, 2),
            _ => return Err(self.invalid_character(start)),
        };
        self.pos += len;
        Ok(tok)
    }

    fn invalid_character(&self, start: usize) -> SyntaxError {
        let c = self.src.get(start..).and_then(|s| s.chars().next());
        let hint = match c {
            Some('=') => " (did you mean '=='?)",
            Some('&') => " (did you mean '&&'?)",
            Some('|') => " (did you mean '||'?)",
            _ => "",
        };
        let shown = c.map_or_else(String::new, |c| c.escape_debug().to_string());
        self.error(
            start,
            SyntaxErrorCode::InvalidCharacter,
            format!("unexpected character '{shown}'{hint}"),
        )
    }

    /// Recognizes `r"…"`, `b"…"`, `br"…"` (any case) at an identifier start.
    fn prefixed_string(&mut self, start: usize) -> Result<Option<Tok>, SyntaxError> {
        let quote_at = |i: usize| matches!(self.peek_at(i), Some(b'"' | b'\''));
        let (raw, bytes, len) = match (self.peek(), self.peek_at(1)) {
            (Some(b'r' | b'R'), _) if quote_at(1) => (true, false, 1),
            (Some(b'b' | b'B'), _) if quote_at(1) => (false, true, 1),
            (Some(b'b' | b'B'), Some(b'r' | b'R')) if quote_at(2) => (true, true, 2),
            _ => return Ok(None),
        };
        self.pos += len;
        self.string(start, raw, bytes).map(Some)
    }

    fn number(&mut self) -> Result<Tok, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'0')
            && self.peek_at(1) == Some(b'x')
            && self.peek_at(2).is_some_and(|c| c.is_ascii_hexdigit())
        {
            self.pos += 2;
            let digits = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                self.pos += 1;
            }
            let text = self.src.get(digits..self.pos).unwrap_or("");
            let value = u64::from_str_radix(text, 16).map_err(|_| {
                self.error(
                    start,
                    SyntaxErrorCode::InvalidNumber,
                    "hex literal out of range".to_owned(),
                )
            })?;
            return Ok(self.int_suffix(value));
        }
        let mut is_double = false;
        self.digits();
        if self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            is_double = true;
            self.pos += 1;
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.peek_at(1), Some(b'+' | b'-')));
            if self.peek_at(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                is_double = true;
                self.pos += 1 + sign;
                self.digits();
            }
        }
        let text = self.src.get(start..self.pos).unwrap_or("");
        if is_double {
            return match crate::json::parse_f64(text) {
                Some(v) if v.is_finite() => Ok(Tok::Double(v)),
                _ => Err(self.error(
                    start,
                    SyntaxErrorCode::InvalidNumber,
                    format!("double literal {text} is out of range"),
                )),
            };
        }
        let value = text.parse::<u64>().map_err(|_| {
            self.error(
                start,
                SyntaxErrorCode::InvalidNumber,
                format!("integer literal {text} is out of range"),
            )
        })?;
        Ok(self.int_suffix(value))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn int_suffix(&mut self, value: u64) -> Tok {
        if matches!(self.peek(), Some(b'u' | b'U')) {
            self.pos += 1;
            Tok::Uint(value)
        } else {
            Tok::Int(value)
        }
    }

    /// Lexes a quoted literal whose opening quote is at `self.pos`; `start`
    /// is where its prefix began (for error positions).
    fn string(&mut self, start: usize, raw: bool, bytes: bool) -> Result<Tok, SyntaxError> {
        let Some(quote) = self.peek() else {
            return Err(self.unterminated(start));
        };
        let triple = self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote);
        self.pos += if triple { 3 } else { 1 };
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(self.unterminated(start));
            };
            if b == quote {
                if !triple {
                    self.pos += 1;
                    break;
                }
                if self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote) {
                    self.pos += 3;
                    break;
                }
            }
            if !triple && (b == b'\n' || b == b'\r') {
                return Err(self.unterminated(start));
            }
            if b == b'\\' && !raw {
                self.escape(&mut out, bytes)?;
                continue;
            }
            out.push(b);
            self.pos += 1;
        }
        if bytes {
            return Ok(Tok::Bytes(out));
        }
        // Only escapes add bytes that are not copied from the (valid UTF-8)
        // source, and string escapes always add whole UTF-8 sequences.
        String::from_utf8(out).map(Tok::Str).map_err(|_| {
            self.error(
                start,
                SyntaxErrorCode::InvalidEscape,
                "string literal is not valid UTF-8".to_owned(),
            )
        })
    }

    fn unterminated(&self, start: usize) -> SyntaxError {
        self.error(
            start,
            SyntaxErrorCode::UnterminatedString,
            "string literal is not terminated".to_owned(),
        )
    }

    /// Decodes one escape at `self.pos` (a backslash). In strings `\x`,
    /// `\u`, `\U` and octal escapes denote code points; in bytes `\x` and
    /// octal denote single bytes while `\u`/`\U` add UTF-8.
    fn escape(&mut self, out: &mut Vec<u8>, bytes: bool) -> Result<(), SyntaxError> {
        let at = self.pos;
        let bad = |lexer: &Self, what: &str| {
            lexer.error(
                at,
                SyntaxErrorCode::InvalidEscape,
                format!("invalid escape sequence: {what}"),
            )
        };
        let Some(c) = self.peek_at(1) else {
            return Err(self.unterminated(at));
        };
        self.pos += 2;
        let simple = match c {
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'"' | b'\'' | b'\\' | b'?' | b'`' => Some(c),
            _ => None,
        };
        if let Some(byte) = simple {
            out.push(byte);
            return Ok(());
        }
        let (digits, radix, is_byte) = match c {
            b'x' | b'X' => (2, 16, true),
            b'u' => (4, 16, false),
            b'U' => (8, 16, false),
            b'0'..=b'3' => {
                self.pos -= 1;
                (3, 8, true)
            }
            _ => {
                let shown = self
                    .src
                    .get(at..)
                    .and_then(|s| s.chars().nth(1))
                    .unwrap_or('?');
                return Err(bad(self, &format!("\\{shown}")));
            }
        };
        let text = self
            .src
            .get(self.pos..self.pos + digits)
            .filter(|t| t.len() == digits && t.bytes().all(|d| (d as char).is_digit(radix)))
            .ok_or_else(|| bad(self, "expected more digits"))?;
        let value = u32::from_str_radix(text, radix).map_err(|_| bad(self, text))?;
        self.pos += digits;
        if is_byte && bytes {
            out.push(u8::try_from(value).map_err(|_| bad(self, text))?);
            return Ok(());
        }
        let ch = char::from_u32(value).ok_or_else(|| bad(self, "not a Unicode scalar value"))?;
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }
}
