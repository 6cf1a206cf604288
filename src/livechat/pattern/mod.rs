//! page-url patterns: JavaScript regular-expression source (as an admin types
//! it into Rocket.Chat, which runs `new RegExp(value, 'g').test(url)` on a
//! fresh RegExp) run by our own linear-time engine, so that a hostile pattern
//! such as `(a+)+$` cannot freeze the page.
//!
//! [`parse`] reads the JavaScript grammar without the `u` flag, Annex B
//! web-compatibility rules included, into a small tree; [`nfa`] compiles it
//! into a Thompson NFA and simulates it over the UTF-16 code units of the
//! URL, as JavaScript matches without the `u` flag (so `\uD83D` and `.`
//! meet astral characters exactly as in JavaScript). The search is
//! unanchored and case-sensitive, `^` and `$` only match at the ends of the
//! URL (no `m` flag) and `.` matches anything but a line terminator (no `s`
//! flag). Constructs a finite automaton cannot run (lookaround,
//! backreferences) and inline modifiers are errors naming the construct.
//!
//! Before running the automaton, [`Pattern::is_match`] checks the literals
//! every match must contain, which spares most runs; a pattern that is one
//! literal never runs it.

use std::cell::RefCell;
use std::fmt;

use nfa::{Program, Scratch};
use parse::Node;

mod nfa;
mod parse;
#[cfg(test)]
mod tests;

/// Longest accepted pattern, in characters.
pub const MAX_PATTERN_CHARS: usize = 8_192;

/// Why a page-url pattern cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// The pattern is empty or absent (Rocket.Chat never fires such a trigger).
    Missing,
    /// Valid JavaScript the linear-time engine cannot run.
    Unsupported {
        /// The construct, as the admin would recognize it (`lookahead (?=...)`).
        construct: String,
        /// Offset in the pattern, in UTF-16 code units (a JavaScript string index).
        at: usize,
    },
    /// Not a valid JavaScript regular expression (JavaScript would throw too).
    Syntax {
        /// What is wrong.
        message: String,
        /// Offset in the pattern, in UTF-16 code units (a JavaScript string index).
        at: usize,
    },
    /// Longer than [`MAX_PATTERN_CHARS`] or larger than the compiled-size limit.
    TooLarge,
}

impl PatternError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            PatternError::Missing => "pattern_missing",
            PatternError::Unsupported { .. } => "pattern_unsupported",
            PatternError::Syntax { .. } => "pattern_syntax",
            PatternError::TooLarge => "pattern_too_large",
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternError::Missing => f.write_str("the page-url pattern is empty"),
            PatternError::Unsupported { construct, at } => write!(
                f,
                "{construct} at offset {at} is not supported: page-url patterns run on a \
                 linear-time engine, so this trigger would never fire"
            ),
            PatternError::Syntax { message, at } => {
                write!(f, "invalid regular expression: {message} at offset {at}")
            }
            PatternError::TooLarge => write!(
                f,
                "the pattern is too large (at most {MAX_PATTERN_CHARS} characters and a bounded \
                 compiled size, so matching stays fast)"
            ),
        }
    }
}

/// A compiled page-url pattern.
#[derive(Debug)]
pub struct Pattern {
    /// Literals every match contains; a URL without one of them cannot
    /// match, which spares most automaton runs.
    required: Vec<Literal>,
    /// None when the whole pattern is that literal.
    program: Option<Program>,
    /// Buffers reused from one search to the next.
    scratch: RefCell<Scratch>,
}

impl Clone for Pattern {
    fn clone(&self) -> Self {
        Pattern {
            required: self.required.clone(),
            program: self.program.clone(),
            scratch: RefCell::default(),
        }
    }
}

impl Pattern {
    /// Compiles JavaScript regular-expression source.
    pub fn compile(source: &str) -> Result<Pattern, PatternError> {
        if source.is_empty() {
            return Err(PatternError::Missing);
        }
        // Every byte but a UTF-8 continuation byte starts a character: the
        // count `chars().count()` gives, without core's 1 KB counter.
        let chars = source.bytes().filter(|b| b & 0xC0 != 0x80).count();
        if chars > MAX_PATTERN_CHARS {
            return Err(PatternError::TooLarge);
        }
        let units: Vec<u16> = source.encode_utf16().collect();
        let node = parse::parse(&units)?;
        let (required, literal) = required_literals(&node);
        let program = if literal {
            None
        } else {
            Some(Program::compile(&node)?)
        };
        Ok(Pattern {
            required,
            program,
            scratch: RefCell::default(),
        })
    }

    /// Whether the pattern matches anywhere in `url` (unanchored, case-sensitive).
    pub fn is_match(&self, url: &str) -> bool {
        if !self.required.iter().all(|r| r.is_in(url.as_bytes())) {
            return false;
        }
        let Some(program) = &self.program else {
            return true;
        };
        match self.scratch.try_borrow_mut() {
            Ok(mut scratch) => program.is_match(url, &mut scratch),
            Err(_) => program.is_match(url, &mut Scratch::default()),
        }
    }
}

/// Checks a pattern without keeping the compiled form (for validators).
pub fn check_pattern(source: &str) -> Result<(), PatternError> {
    Pattern::compile(source).map(|_| ())
}

/// The runs of literal code units at the top level of the pattern, which
/// every match contains, and whether the pattern is nothing but one run.
/// A run that is not well-formed UTF-16 (a lone surrogate escape) is left
/// out: a `&str` cannot contain it.
fn required_literals(node: &Node) -> (Vec<Literal>, bool) {
    let items = match node {
        Node::Concat(items) => items.as_slice(),
        other => std::slice::from_ref(other),
    };
    let mut runs = Vec::new();
    let mut literal = true;
    let mut flush = |run: &mut Vec<u16>, literal: &mut bool| {
        if run.is_empty() {
            return;
        }
        match char::decode_utf16(run.iter().copied()).collect::<Result<String, _>>() {
            Ok(text) => runs.push(Literal::new(text.into_bytes())),
            Err(_) => *literal = false,
        }
        run.clear();
    };
    let mut run = Vec::new();
    for item in items {
        match item {
            Node::Unit(u) => run.push(*u),
            _ => {
                literal = false;
                flush(&mut run, &mut literal);
            }
        }
    }
    flush(&mut run, &mut literal);
    (runs, literal)
}

/// A literal searched for in linear time (Knuth-Morris-Pratt over UTF-8
/// bytes; a literal that is whole characters only matches at character
/// boundaries). `str::contains` would do, but its searcher links core's
/// string-slicing panic messages and their character-escaping tables, about
/// 5 KB of the compressed livechat build.
#[derive(Debug, Clone)]
struct Literal {
    bytes: Vec<u8>,
    /// `fallback[i]`: the length of the longest proper border of
    /// `bytes[..=i]`, where a search resumes after a mismatch.
    fallback: Vec<usize>,
}

impl Literal {
    fn new(bytes: Vec<u8>) -> Literal {
        let mut fallback = Vec::with_capacity(bytes.len());
        let mut border = 0;
        for (i, &b) in bytes.iter().enumerate() {
            border = if i == 0 {
                0
            } else {
                Literal::advance(&bytes, &fallback, border, b)
            };
            fallback.push(border);
        }
        Literal { bytes, fallback }
    }

    /// The matched length after reading `b` with `matched` bytes matched.
    fn advance(bytes: &[u8], fallback: &[usize], mut matched: usize, b: u8) -> usize {
        loop {
            if bytes.get(matched) == Some(&b) {
                return matched + 1;
            }
            if matched == 0 {
                return 0;
            }
            matched = fallback.get(matched - 1).copied().unwrap_or(0);
        }
    }

    fn is_in(&self, haystack: &[u8]) -> bool {
        let mut matched = 0;
        for &b in haystack {
            if matched == self.bytes.len() {
                return true;
            }
            matched = Literal::advance(&self.bytes, &self.fallback, matched, b);
        }
        matched == self.bytes.len()
    }
}
