//! page-url patterns: JavaScript regular-expression source (as an admin types
//! it into Rocket.Chat, which runs `new RegExp(value, 'g').test(url)`) translated
//! into the syntax of `regex-lite`, a linear-time engine, so that a hostile
//! pattern such as `(a+)+$` cannot freeze the page.
//!
//! The translation follows the JavaScript grammar without the `u` flag,
//! including the web-compatibility rules of ECMAScript Annex B (`{` that is
//! not a quantifier is a literal, `\8` is `8`, `\12` is an octal escape when
//! there are fewer than 12 groups, `\p` is `p`, ...), and emits every literal
//! escaped, so that syntax Rust gives a meaning to but JavaScript does not
//! (`[[:alpha:]]`, `\p{L}`, `(?i)`) keeps its JavaScript meaning. Constructs a
//! finite automaton cannot run (lookaround, backreferences) and inline
//! modifiers are errors naming the construct. The scanner is a loop, never
//! recursive, so deep nesting cannot overflow the stack.
//!
//! Matching is on Unicode scalar values where JavaScript uses UTF-16 code
//! units; the two agree on every URL `location.href` produces (it is ASCII).

use std::fmt;

/// Longest accepted pattern, in characters.
pub const MAX_PATTERN_CHARS: usize = 8_192;
/// Compiled-size limit handed to regex-lite (bytes of NFA, roughly); bounds
/// both memory and the `m` in the engine's `O(m * n)` search time.
const SIZE_LIMIT: usize = 1 << 20;
/// Deepest group nesting accepted.
const MAX_NESTING: usize = 100;

/// Why a page-url pattern cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// The pattern is empty or absent (Rocket.Chat never fires such a trigger).
    Missing,
    /// Valid JavaScript the linear-time engine cannot run.
    Unsupported {
        /// The construct, as the admin would recognize it (`lookahead (?=...)`).
        construct: String,
        /// Character offset in the pattern.
        at: usize,
    },
    /// Not a valid JavaScript regular expression (JavaScript would throw too).
    Syntax {
        /// What is wrong.
        message: String,
        /// Character offset in the pattern.
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
#[derive(Debug, Clone)]
pub struct Pattern {
    /// Literals every match contains; a URL without one of them cannot
    /// match, which spares most regex runs.
    required: Vec<String>,
    /// None when the whole pattern is that literal.
    regex: Option<regex_lite::Regex>,
}

impl Pattern {
    /// Compiles JavaScript regular-expression source.
    pub fn compile(source: &str) -> Result<Pattern, PatternError> {
        if source.is_empty() {
            return Err(PatternError::Missing);
        }
        let chars: Vec<char> = source.chars().collect();
        if chars.len() > MAX_PATTERN_CHARS {
            return Err(PatternError::TooLarge);
        }
        let translated = Translator::new(&chars).run()?;
        let regex = if translated.pure_literal {
            None
        } else {
            let built = regex_lite::RegexBuilder::new(&translated.rust)
                .size_limit(SIZE_LIMIT)
                .build();
            match built {
                Ok(regex) => Some(regex),
                // The translation only emits syntax regex-lite accepts, so
                // the one way left to fail is the size limit.
                Err(_) => return Err(PatternError::TooLarge),
            }
        };
        Ok(Pattern {
            required: translated.required,
            regex,
        })
    }

    /// Whether the pattern matches anywhere in `url` (unanchored, case-sensitive).
    pub fn is_match(&self, url: &str) -> bool {
        if !self.required.iter().all(|r| url.contains(r.as_str())) {
            return false;
        }
        match &self.regex {
            Some(regex) => regex.is_match(url),
            None => true,
        }
    }
}

/// Checks a pattern without keeping the compiled form (for validators).
pub fn check_pattern(source: &str) -> Result<(), PatternError> {
    Pattern::compile(source).map(|_| ())
}

struct Translated {
    rust: String,
    required: Vec<String>,
    pure_literal: bool,
}

/// One step of the JavaScript grammar's ClassAtom / Atom escapes: either a
/// single character or one of the class escapes `\d \D \w \W \s \S`.
enum Unit {
    Char(char),
    Set(&'static str, bool),
}

const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";
// JavaScript's WhiteSpace and LineTerminator code points.
const SPACE: &str = r"\t\n\x0B\x0C\r\x20\xA0\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
// What `.` matches without the `s` flag: anything but a line terminator.
const DOT: &str = r"[^\n\r\x{2028}\x{2029}]";
// A class that matches nothing (JavaScript's `[]`).
const NOTHING: &str = r"[^\x00-\x{10FFFF}]";
// A class that matches anything (JavaScript's `[^]`).
const ANYTHING: &str = r"[\x00-\x{10FFFF}]";

struct Translator<'a> {
    src: &'a [char],
    pos: usize,
    out: String,
    /// Capturing groups in the whole pattern (a backreference may point forward).
    group_count: usize,
    /// Names of the named groups in the whole pattern.
    names: Vec<String>,
    /// Open groups; each says whether it may take a quantifier once closed
    /// (Annex B allows it after a lookahead, not after a lookbehind).
    groups: Vec<bool>,
    /// The first construct the engine cannot run. Reported only once the
    /// whole pattern has parsed, so a pattern JavaScript rejects is always a
    /// syntax error and one it accepts never is.
    unsupported: Option<PatternError>,
    /// The last emitted item can take a quantifier.
    quantifiable: bool,
    /// Literal characters at the top level since the last non-literal.
    run: String,
    /// The top-level literal runs seen so far.
    runs: Vec<String>,
    top_level_alternation: bool,
    pure_literal: bool,
}

impl<'a> Translator<'a> {
    fn new(src: &'a [char]) -> Self {
        let (group_count, names) = count_groups(src);
        Translator {
            src,
            pos: 0,
            out: String::with_capacity(src.len() * 2),
            group_count,
            names,
            groups: Vec::new(),
            unsupported: None,
            quantifiable: false,
            run: String::new(),
            runs: Vec::new(),
            top_level_alternation: false,
            pure_literal: true,
        }
    }

    fn peek(&self, offset: usize) -> Option<char> {
        self.src.get(self.pos + offset).copied()
    }

    fn syntax<T>(&self, message: &str, at: usize) -> Result<T, PatternError> {
        Err(PatternError::Syntax {
            message: message.to_owned(),
            at,
        })
    }

    fn unsupported(&mut self, construct: &str, at: usize) {
        if self.unsupported.is_none() {
            self.unsupported = Some(PatternError::Unsupported {
                construct: construct.to_owned(),
                at,
            });
        }
    }

    fn run(mut self) -> Result<Translated, PatternError> {
        while let Some(c) = self.peek(0) {
            let at = self.pos;
            self.pos += 1;
            match c {
                '|' => {
                    self.not_literal();
                    if self.groups.is_empty() {
                        self.top_level_alternation = true;
                    }
                    self.out.push('|');
                    self.quantifiable = false;
                }
                '(' => self.open_group(at)?,
                ')' => {
                    let Some(quantifiable) = self.groups.pop() else {
                        return self.syntax("unmatched ')'", at);
                    };
                    self.out.push(')');
                    self.quantifiable = quantifiable;
                }
                '*' | '+' | '?' => self.quantifier(c.to_string(), c != '+', at)?,
                '{' => match self.counted_quantifier(at)? {
                    Some((text, optional)) => self.quantifier(text, optional, at)?,
                    None => self.literal('{'),
                },
                '^' | '$' => {
                    self.not_literal();
                    self.out.push(c);
                    self.quantifiable = false;
                }
                '.' => {
                    self.not_literal();
                    self.out.push_str(DOT);
                    self.quantifiable = true;
                }
                '[' => self.class(at)?,
                '\\' => self.atom_escape(at)?,
                _ => self.literal(c),
            }
        }
        if !self.groups.is_empty() {
            return self.syntax("unterminated group", self.src.len());
        }
        if let Some(unsupported) = self.unsupported {
            return Err(unsupported);
        }
        self.end_run();
        let required = if self.top_level_alternation {
            Vec::new()
        } else {
            self.runs
        };
        let pure_literal = self.pure_literal && !self.top_level_alternation;
        Ok(Translated {
            rust: self.out,
            required,
            pure_literal,
        })
    }

    fn literal(&mut self, c: char) {
        push_char(&mut self.out, c);
        self.quantifiable = true;
        if self.groups.is_empty() {
            self.run.push(c);
        } else {
            self.pure_literal = false;
        }
    }

    fn not_literal(&mut self) {
        self.pure_literal = false;
        self.end_run();
    }

    fn end_run(&mut self) {
        if !self.run.is_empty() {
            self.runs.push(std::mem::take(&mut self.run));
        }
    }

    fn open_group(&mut self, at: usize) -> Result<(), PatternError> {
        self.not_literal();
        if self.groups.len() >= MAX_NESTING {
            return Err(PatternError::TooLarge);
        }
        let mut quantifiable_after = true;
        if self.peek(0) == Some('?') {
            match (self.peek(1), self.peek(2)) {
                (Some(':'), _) => self.pos += 2,
                (Some('='), _) => {
                    self.unsupported("lookahead `(?=...)`", at);
                    self.pos += 2;
                }
                (Some('!'), _) => {
                    self.unsupported("negative lookahead `(?!...)`", at);
                    self.pos += 2;
                }
                (Some('<'), Some('=')) => {
                    self.unsupported("lookbehind `(?<=...)`", at);
                    self.pos += 3;
                    quantifiable_after = false;
                }
                (Some('<'), Some('!')) => {
                    self.unsupported("negative lookbehind `(?<!...)`", at);
                    self.pos += 3;
                    quantifiable_after = false;
                }
                (Some('<'), _) => {
                    self.pos += 2;
                    self.group_name(at)?;
                }
                _ => {
                    let mut end = self.pos + 1;
                    while matches!(self.src.get(end), Some('i' | 'm' | 's' | '-')) {
                        end += 1;
                    }
                    if end == self.pos + 1 || self.src.get(end) != Some(&':') {
                        return self.syntax("invalid group", at);
                    }
                    self.unsupported("inline modifiers `(?flags:...)`", at);
                    self.pos = end + 1;
                }
            }
        }
        self.groups.push(quantifiable_after);
        self.out.push_str("(?:");
        self.quantifiable = false;
        Ok(())
    }

    /// Consumes `name>` of a named group; the name only has to be well formed.
    fn group_name(&mut self, at: usize) -> Result<(), PatternError> {
        let start = self.pos;
        while let Some(c) = self.peek(0) {
            if c == '>' {
                break;
            }
            let ok = if self.pos == start {
                c == '$' || c == '_' || c.is_alphabetic()
            } else {
                c == '$' || c == '_' || c.is_alphanumeric()
            };
            if !ok {
                return self.syntax("invalid capture group name", at);
            }
            self.pos += 1;
        }
        if self.pos == start || self.peek(0) != Some('>') {
            return self.syntax("invalid capture group name", at);
        }
        let name: String = self
            .src
            .get(start..self.pos)
            .unwrap_or_default()
            .iter()
            .collect();
        if self.names.iter().filter(|n| **n == name).count() > 1 {
            return self.syntax("duplicate capture group name", at);
        }
        self.pos += 1;
        Ok(())
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` after the `{` at `at`; None when the
    /// brace is not a quantifier (then it is a literal, as Annex B says).
    fn counted_quantifier(&mut self, at: usize) -> Result<Option<(String, bool)>, PatternError> {
        let mut i = self.pos;
        let min = digits(self.src, &mut i);
        let Some(min) = min else { return Ok(None) };
        let max = match self.src.get(i) {
            Some('}') => Some(Some(min)),
            Some(',') => {
                i += 1;
                let max = digits(self.src, &mut i);
                if self.src.get(i) == Some(&'}') {
                    Some(max)
                } else {
                    None
                }
            }
            _ => None,
        };
        let Some(max) = max else { return Ok(None) };
        self.pos = i + 1;
        // JavaScript accepts any count; beyond u32 nothing could compile here.
        let (Ok(min), max) = (u32::try_from(min), max.map(u32::try_from)) else {
            return Err(PatternError::TooLarge);
        };
        let text = match max {
            None => format!("{{{min},}}"),
            Some(Ok(max)) if max < min => {
                return self.syntax("numbers out of order in {} quantifier", at)
            }
            Some(Ok(max)) => format!("{{{min},{max}}}"),
            Some(Err(_)) => return Err(PatternError::TooLarge),
        };
        Ok(Some((text, min == 0)))
    }

    fn quantifier(&mut self, text: String, optional: bool, at: usize) -> Result<(), PatternError> {
        if !self.quantifiable {
            return self.syntax("nothing to repeat", at);
        }
        self.pure_literal = false;
        if self.groups.is_empty() {
            // An optional character is not required; a repeated one is, but
            // the run of required characters cannot continue past it.
            if optional {
                self.run.pop();
            }
            self.end_run();
        }
        self.out.push_str(&text);
        if self.peek(0) == Some('?') {
            self.pos += 1;
            self.out.push('?');
        }
        self.quantifiable = false;
        Ok(())
    }

    fn atom_escape(&mut self, at: usize) -> Result<(), PatternError> {
        let Some(c) = self.peek(0) else {
            return self.syntax("\\ at end of pattern", at);
        };
        match c {
            'b' | 'B' => {
                self.pos += 1;
                self.not_literal();
                // regex-lite's \b is ASCII, like JavaScript's without the u flag.
                self.out.push('\\');
                self.out.push(c);
                self.quantifiable = false;
                Ok(())
            }
            '1'..='9' => {
                let mut i = self.pos;
                let n = digits(self.src, &mut i).unwrap_or(u64::MAX);
                if usize::try_from(n).is_ok_and(|n| n <= self.group_count) {
                    self.unsupported(&format!("backreference `\\{n}`"), at);
                    self.pos = i;
                    self.not_literal();
                    self.out.push_str("(?:)");
                    self.quantifiable = true;
                    return Ok(());
                }
                let unit = self.legacy_octal_or_identity();
                self.unit(unit);
                Ok(())
            }
            'k' if !self.names.is_empty() => {
                let rest = self.src.get(self.pos + 1..).unwrap_or_default();
                let close = rest.iter().position(|&c| c == '>');
                let name: Option<String> = match (rest.first(), close) {
                    (Some('<'), Some(end)) => rest.get(1..end).map(|n| n.iter().collect()),
                    _ => None,
                };
                match (name, close) {
                    (Some(name), Some(end)) if self.names.contains(&name) => {
                        self.unsupported("named backreference `\\k<...>`", at);
                        self.pos += end + 2;
                        self.not_literal();
                        self.out.push_str("(?:)");
                        self.quantifiable = true;
                        Ok(())
                    }
                    _ => self.syntax("invalid named reference", at),
                }
            }
            'c' => match self.peek(1) {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.pos += 2;
                    self.unit(Unit::Char(control(l)));
                    Ok(())
                }
                // Annex B: `\c` not followed by a letter is a backslash; the
                // `c` is read again as an ordinary character.
                _ => {
                    self.literal('\\');
                    Ok(())
                }
            },
            _ => {
                let unit = self.character_escape(at, false)?;
                self.unit(unit);
                Ok(())
            }
        }
    }

    fn unit(&mut self, unit: Unit) {
        match unit {
            Unit::Char(c) => self.literal(c),
            Unit::Set(set, negated) => {
                self.not_literal();
                self.out.push('[');
                if negated {
                    self.out.push('^');
                }
                self.out.push_str(set);
                self.out.push(']');
                self.quantifiable = true;
            }
        }
    }

    /// `\0`, `\1`..`\7` (up to three octal digits, at most 0o377) or `\8`, `\9`.
    fn legacy_octal_or_identity(&mut self) -> Unit {
        let Some(first) = self.peek(0).and_then(|c| c.to_digit(8)) else {
            // `\8` and `\9` are identity escapes.
            let c = self.peek(0).unwrap_or('9');
            self.pos += 1;
            return Unit::Char(c);
        };
        self.pos += 1;
        let mut value = first;
        let max_digits = if first <= 3 { 3 } else { 2 };
        for _ in 1..max_digits {
            match self.peek(0).and_then(|c| c.to_digit(8)) {
                Some(d) => {
                    value = value * 8 + d;
                    self.pos += 1;
                }
                None => break,
            }
        }
        Unit::Char(char::from_u32(value).unwrap_or('\0'))
    }

    /// Escapes common to atoms and classes; `self.pos` is after the backslash.
    fn character_escape(&mut self, at: usize, in_class: bool) -> Result<Unit, PatternError> {
        let Some(c) = self.peek(0) else {
            return self.syntax("\\ at end of pattern", at);
        };
        self.pos += 1;
        let unit = match c {
            'd' => Unit::Set(DIGIT, false),
            'D' => Unit::Set(DIGIT, true),
            'w' => Unit::Set(WORD, false),
            'W' => Unit::Set(WORD, true),
            's' => Unit::Set(SPACE, false),
            'S' => Unit::Set(SPACE, true),
            't' => Unit::Char('\t'),
            'n' => Unit::Char('\n'),
            'v' => Unit::Char('\x0B'),
            'f' => Unit::Char('\x0C'),
            'r' => Unit::Char('\r'),
            '0' if !self.peek(0).is_some_and(|d| d.is_ascii_digit()) => Unit::Char('\0'),
            '0'..='9' => {
                self.pos -= 1;
                self.legacy_octal_or_identity()
            }
            'x' => match self.hex(2) {
                Some(v) => Unit::Char(char::from_u32(v).unwrap_or('x')),
                None => Unit::Char('x'),
            },
            'u' => match self.hex(4) {
                Some(v) => self.code_unit(v, at, in_class)?,
                None => Unit::Char('u'),
            },
            other => Unit::Char(other),
        };
        Ok(unit)
    }

    /// Reads exactly `n` hex digits if they are there.
    fn hex(&mut self, n: usize) -> Option<u32> {
        let mut value = 0u32;
        for k in 0..n {
            value = value * 16 + self.peek(k)?.to_digit(16)?;
        }
        self.pos += n;
        Some(value)
    }

    /// A `\uXXXX` escape: surrogates only make sense as a pair outside a class.
    fn code_unit(&mut self, v: u32, at: usize, in_class: bool) -> Result<Unit, PatternError> {
        if let Some(c) = char::from_u32(v) {
            return Ok(Unit::Char(c));
        }
        if !in_class && (0xD800..0xDC00).contains(&v) && self.peek(0) == Some('\\') {
            let save = self.pos;
            if self.peek(1) == Some('u') {
                self.pos += 2;
                if let Some(low) = self.hex(4).filter(|l| (0xDC00..0xE000).contains(l)) {
                    let combined = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00);
                    if let Some(c) = char::from_u32(combined) {
                        return Ok(Unit::Char(c));
                    }
                }
            }
            self.pos = save;
        }
        self.unsupported("a UTF-16 surrogate escape `\\uD800`-`\\uDFFF`", at);
        Ok(Unit::Set("", false))
    }

    fn class(&mut self, at: usize) -> Result<(), PatternError> {
        self.not_literal();
        let negated = self.peek(0) == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut body = String::new();
        let mut empty = true;
        loop {
            let Some(c) = self.peek(0) else {
                return self.syntax("unterminated character class", at);
            };
            if c == ']' {
                self.pos += 1;
                break;
            }
            let first = self.class_atom(at)?;
            empty = false;
            let is_range = self.peek(0) == Some('-') && !matches!(self.peek(1), Some(']') | None);
            if !is_range {
                push_unit(&mut body, &first);
                continue;
            }
            let dash = self.pos;
            self.pos += 1;
            let second = self.class_atom(at)?;
            match (&first, &second) {
                (Unit::Char(a), Unit::Char(b)) => {
                    if a > b {
                        return self.syntax("range out of order in character class", dash);
                    }
                    push_char(&mut body, *a);
                    body.push('-');
                    push_char(&mut body, *b);
                }
                // Annex B: a class escape next to `-` makes the `-` a literal.
                _ => {
                    push_unit(&mut body, &first);
                    push_char(&mut body, '-');
                    push_unit(&mut body, &second);
                }
            }
        }
        self.out.push_str(match (empty, negated) {
            (true, false) => NOTHING,
            (true, true) => ANYTHING,
            _ => "",
        });
        if !empty {
            self.out.push('[');
            if negated {
                self.out.push('^');
            }
            self.out.push_str(&body);
            self.out.push(']');
        }
        self.quantifiable = true;
        Ok(())
    }

    fn class_atom(&mut self, at: usize) -> Result<Unit, PatternError> {
        let Some(c) = self.peek(0) else {
            return self.syntax("unterminated character class", at);
        };
        self.pos += 1;
        if c != '\\' {
            return Ok(Unit::Char(c));
        }
        match self.peek(0) {
            Some('b') => {
                self.pos += 1;
                Ok(Unit::Char('\x08'))
            }
            Some('-') => {
                self.pos += 1;
                Ok(Unit::Char('-'))
            }
            Some('c') => match self.peek(1) {
                // Annex B ClassControlLetter also takes digits and `_`.
                Some(l) if l.is_ascii_alphanumeric() || l == '_' => {
                    self.pos += 2;
                    Ok(Unit::Char(control(l)))
                }
                _ => Ok(Unit::Char('\\')),
            },
            // Inside a class `\1` is always octal, never a backreference.
            Some('1'..='9') => Ok(self.legacy_octal_or_identity()),
            _ => self.character_escape(at, true),
        }
    }
}

/// Counts capturing groups and collects group names, skipping escapes and classes.
fn count_groups(src: &[char]) -> (usize, Vec<String>) {
    let (mut count, mut names) = (0, Vec::new());
    let mut i = 0;
    let mut in_class = false;
    while let Some(&c) = src.get(i) {
        match c {
            '\\' => i += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => match (src.get(i + 1), src.get(i + 2)) {
                (Some('?'), Some('<')) if !matches!(src.get(i + 3), Some('=' | '!')) => {
                    count += 1;
                    let rest = src.get(i + 3..).unwrap_or_default();
                    let end = rest.iter().position(|&c| c == '>').unwrap_or(0);
                    names.push(rest.get(..end).unwrap_or_default().iter().collect());
                }
                (Some('?'), _) => {}
                _ => count += 1,
            },
            _ => {}
        }
        i += 1;
    }
    (count, names)
}

/// Reads decimal digits at `*i` (saturating); None when there is none.
fn digits(src: &[char], i: &mut usize) -> Option<u64> {
    let start = *i;
    let mut value: u64 = 0;
    while let Some(d) = src.get(*i).and_then(|c| c.to_digit(10)) {
        value = value.saturating_mul(10).saturating_add(u64::from(d));
        *i += 1;
    }
    (*i > start).then_some(value)
}

fn control(letter: char) -> char {
    char::from_u32(u32::from(letter) % 32).unwrap_or('\0')
}

/// Emits a character so that regex-lite reads it as that literal character.
fn push_char(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:X}}}", u32::from(c)));
    }
}

/// Emits a class item: a character, or a class escape as a nested class.
fn push_unit(out: &mut String, unit: &Unit) {
    match unit {
        Unit::Char(c) => push_char(out, *c),
        Unit::Set(set, false) => out.push_str(set),
        Unit::Set(set, true) => {
            out.push_str("[^");
            out.push_str(set);
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, url: &str) -> bool {
        Pattern::compile(pattern)
            .unwrap_or_else(|e| panic!("{pattern}: {e}"))
            .is_match(url)
    }

    fn code(pattern: &str) -> &'static str {
        match Pattern::compile(pattern) {
            Ok(_) => "ok",
            Err(e) => e.code(),
        }
    }

    #[test]
    fn literal_patterns_are_unanchored_and_case_sensitive() {
        assert!(matches("pricing", "https://example.com/pricing?x=1"));
        assert!(!matches("Pricing", "https://example.com/pricing"));
        assert!(matches("example.com/p", "https://example.com/pricing"));
        // `.` is a wildcard, as in JavaScript.
        assert!(matches("example.com", "https://exampleXcom/"));
    }

    #[test]
    fn anchors_classes_and_quantifiers_keep_their_javascript_meaning() {
        assert!(matches("^https://", "https://a.b/"));
        assert!(!matches("^http://", "https://a.b/"));
        assert!(matches(r"/item/\d+$", "https://a.b/item/42"));
        assert!(!matches(r"/item/\d+$", "https://a.b/item/42/x"));
        assert!(matches(
            r"[?&]utm_source=\w+",
            "https://a.b/?x=1&utm_source=mail"
        ));
        assert!(matches("(docs|help)/", "https://a.b/help/x"));
        assert!(matches("a{2,3}b", "xaab"));
        assert!(!matches("a{2,3}b", "xab"));
        assert!(
            matches("a{,2}", "a{,2}"),
            "an invalid quantifier is a literal brace"
        );
        assert!(matches("x{", "x{"));
        assert!(matches("}", "}"));
        assert!(matches("]", "a]"));
        assert!(matches(r"[^/]+\.pdf$", "https://a.b/files/r.pdf"));
        assert!(!matches("[]]?x", "x"), "`[]` matches nothing");
        assert!(!matches("[]]?x", "]x"));
        assert!(!matches("a[]", "a"));
        assert!(matches("a[^]", "ab"));
        assert!(matches(r"[\d-z]", "-"));
        assert!(matches(r"\bfoo\b", "a foo b"));
        assert!(!matches(r"\bfoo\b", "afoob"));
        assert!(matches(r"[\b]", "\u{8}"));
    }

    #[test]
    fn rust_only_syntax_keeps_its_javascript_meaning() {
        // In JavaScript `[[:alpha:]]` is the class `[:alph` then `]`.
        assert!(matches("[[:alpha:]]", "a]"));
        assert!(!matches("[[:alpha:]]", "b"));
        // Without the u flag, `\p{L}` is `p{L}`.
        assert!(matches(r"\p{L}", "p{L}"));
        assert!(!matches(r"\p{L}", "x"));
        assert!(matches(r"\<", "<"));
        assert!(matches("a#b", "a#b"));
        assert!(matches("a b", "a b"));
    }

    #[test]
    fn annex_b_escapes() {
        assert!(matches(r"\8", "8"));
        assert!(
            matches(r"\101", "A"),
            "octal escape when there is no group 101"
        );
        assert!(matches(r"\x41\u0042", "AB"));
        assert!(matches(r"\xZ", "xZ"));
        assert!(matches(r"\cJ", "\n"));
        assert!(matches(r"\c1", "\\c1"));
        assert!(matches(r"\uD83D\uDE00", "😀"));
        assert!(matches(r"\k", "k"), "without named groups \\k is a k");
        assert!(matches(r"\/path\/", "/path/"));
    }

    #[test]
    fn what_the_linear_engine_cannot_run_is_named() {
        for (pattern, construct) in [
            ("foo(?=bar)", "lookahead"),
            ("foo(?!bar)", "negative lookahead"),
            ("(?<=a)b", "lookbehind"),
            ("(?<!a)b", "negative lookbehind"),
            (r"(a)\1", "backreference `\\1`"),
            (r"\1(a)", "backreference `\\1`"),
            (r"(?<x>a)\k<x>", "named backreference"),
            ("(?i:a)", "inline modifiers"),
            (r"\uD800", "surrogate"),
        ] {
            match Pattern::compile(pattern) {
                Err(e @ PatternError::Unsupported { .. }) => {
                    assert!(e.to_string().contains(construct), "{pattern}: {e}")
                }
                other => panic!("{pattern}: {other:?}"),
            }
        }
    }

    #[test]
    fn javascript_syntax_errors_are_syntax_errors() {
        for pattern in [
            "(",
            ")",
            "[a",
            "*a",
            "a**",
            "a{2}{3}",
            "^*",
            r"\b+",
            "[z-a]",
            "a{3,2}",
            "(?a)",
            "(?i)",
            "(?<1>a)",
            "\\",
            "(?<x>a)\\k",
            "(?<x>a)(?<x>b)",
        ] {
            assert_eq!(code(pattern), "pattern_syntax", "{pattern}");
        }
        assert_eq!(code(""), "pattern_missing");
    }

    #[test]
    fn named_groups_and_lazy_quantifiers_are_fine() {
        assert!(matches("(?<page>docs)/(.+?)$", "https://a.b/docs/x"));
        assert!(matches("a+?b", "aab"));
    }

    #[test]
    fn oversized_patterns_are_refused() {
        assert_eq!(
            code(&"a".repeat(MAX_PATTERN_CHARS + 1)),
            "pattern_too_large"
        );
        assert_eq!(code("a{99999999999}"), "pattern_too_large");
        assert_eq!(code("(a{1000}){1000}"), "pattern_too_large");
        assert_eq!(code(&"(".repeat(200)), "pattern_too_large");
    }

    #[test]
    fn required_literal_prefilter_agrees_with_the_regex() {
        for (pattern, url, expected) in [
            ("abc?d", "https://x/abd", true),
            ("abc*d", "https://x/abd", true),
            ("abc{0}d", "https://x/abd", true),
            ("shop|cart", "https://x/cart", true),
            ("a(b|c)d", "https://x/acd", true),
            ("ab+c", "https://x/abbbc", true),
            (r"^https://a\.b/(x|y)/12$", "https://a.b/y/12", true),
            (r"^https://a\.b/(x|y)/12$", "https://a.b/y/13", false),
            (r"[?&]c=1(&|$)", "https://a.b/?c=1", true),
            (
                "example\\.com/p+ricing",
                "https://example.com/ppricing",
                true,
            ),
            (
                "example\\.com/p+ricing",
                "https://example.com/ricing",
                false,
            ),
        ] {
            assert_eq!(matches(pattern, url), expected, "{pattern} on {url}");
        }
    }
}
