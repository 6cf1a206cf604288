//! The parser: JavaScript regular-expression source, read as UTF-16 code
//! units the way JavaScript reads it without the `u` flag, into a small
//! [`Node`] tree.
//!
//! It follows the grammar with the web-compatibility rules of ECMAScript
//! Annex B: `{`, `}` and `]` that do not close anything are literals, `\8`
//! is `8`, `\12` is an octal escape when there are fewer than 12 groups,
//! `\p` is `p`, `\c` not followed by a letter is a backslash, a class
//! escape next to `-` in a class makes the `-` a literal, and so on.
//! Constructs a finite automaton cannot run (lookaround, backreferences)
//! and inline modifiers are reported only once the whole pattern has
//! parsed, so a pattern JavaScript rejects is always a syntax error and one
//! it accepts never is. Groups are kept on an explicit stack, never by
//! recursion, and their nesting is bounded.

use super::PatternError;
use crate::json::stable_order;

/// Deepest group nesting accepted.
const MAX_NESTING: usize = 100;

/// A parsed pattern. Capturing groups are plain grouping here, and lazy
/// quantifiers are greedy: only whether a match exists matters.
#[derive(Debug)]
pub(super) enum Node {
    /// Matches the empty string.
    Empty,
    /// One code unit.
    Unit(u16),
    /// One code unit within these sorted, disjoint, non-adjacent ranges
    /// (empty: matches nothing).
    Class(Vec<(u16, u16)>),
    /// A zero-width assertion.
    Look(Look),
    /// Each in turn (never nested, never empty or a single item).
    Concat(Vec<Node>),
    /// Any one of them.
    Alt(Vec<Node>),
    /// `min` to `max` (None: unbounded) times.
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

/// The zero-width assertions the engine runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Look {
    /// `^`: the start of the input (there is no `m` flag).
    Start,
    /// `$`: the end of the input.
    End,
    /// `\b`, on ASCII word characters.
    WordBoundary,
    /// `\B`.
    NotWordBoundary,
}

const fn unit(c: char) -> u16 {
    c as u16
}

const DIGIT: &[(u16, u16)] = &[(unit('0'), unit('9'))];
const WORD: &[(u16, u16)] = &[
    (unit('0'), unit('9')),
    (unit('A'), unit('Z')),
    (unit('_'), unit('_')),
    (unit('a'), unit('z')),
];
/// JavaScript's WhiteSpace and LineTerminator code points.
const SPACE: &[(u16, u16)] = &[
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
];
/// The line terminators, which `.` does not match without the `s` flag.
const LINE_TERMINATORS: &[(u16, u16)] = &[(0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029)];

/// One class atom: a code unit or a class escape (`\d`, `\W`, ...).
enum ClassAtom {
    Unit(u16),
    Set(&'static [(u16, u16)], bool),
}

/// The alternatives of one group (or of the whole pattern) being read.
struct Frame {
    alternatives: Vec<Node>,
    sequence: Vec<Node>,
    /// Whether a quantifier may follow the group once closed (Annex B
    /// allows one after a lookahead, not after a lookbehind).
    quantifiable: bool,
}

impl Frame {
    fn new(quantifiable: bool) -> Self {
        Frame {
            alternatives: Vec::new(),
            sequence: Vec::new(),
            quantifiable,
        }
    }

    fn end_alternative(&mut self) {
        let sequence = std::mem::take(&mut self.sequence);
        self.alternatives.push(concat(sequence));
    }

    fn finish(mut self) -> Node {
        self.end_alternative();
        if self.alternatives.len() == 1 {
            self.alternatives.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(self.alternatives)
        }
    }
}

/// A sequence as one node, with nested sequences flattened.
fn concat(items: Vec<Node>) -> Node {
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Node::Empty => {}
            Node::Concat(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    if flat.len() > 1 {
        Node::Concat(flat)
    } else {
        flat.pop().unwrap_or(Node::Empty)
    }
}

/// Parses JavaScript regular-expression source given as UTF-16 code units.
pub(super) fn parse(src: &[u16]) -> Result<Node, PatternError> {
    Parser::new(src).run()
}

struct Parser<'a> {
    src: &'a [u16],
    pos: usize,
    /// Capturing groups in the whole pattern (a backreference may point forward).
    group_count: usize,
    /// Names of the named groups in the whole pattern.
    names: Vec<String>,
    /// The groups enclosing the current one.
    open: Vec<Frame>,
    current: Frame,
    /// The first construct the engine cannot run.
    unsupported: Option<PatternError>,
    /// The last item read can take a quantifier.
    quantifiable: bool,
}

impl<'a> Parser<'a> {
    fn new(src: &'a [u16]) -> Self {
        let (group_count, names) = count_groups(src);
        Parser {
            src,
            pos: 0,
            group_count,
            names,
            open: Vec::new(),
            current: Frame::new(false),
            unsupported: None,
            quantifiable: false,
        }
    }

    fn peek(&self, offset: usize) -> Option<u16> {
        self.src.get(self.pos + offset).copied()
    }

    fn peek_is(&self, offset: usize, c: char) -> bool {
        self.peek(offset) == Some(unit(c))
    }

    fn unsupported(&mut self, construct: &str, at: usize) {
        if self.unsupported.is_none() {
            self.unsupported = Some(PatternError::Unsupported {
                construct: construct.to_owned(),
                at,
            });
        }
    }

    /// Appends an item to the current alternative.
    fn push(&mut self, node: Node, quantifiable: bool) {
        self.current.sequence.push(node);
        self.quantifiable = quantifiable;
    }

    fn run(mut self) -> Result<Node, PatternError> {
        while let Some(c) = self.peek(0) {
            let at = self.pos;
            self.pos += 1;
            match char::from_u32(u32::from(c)).unwrap_or('\u{FFFD}') {
                '|' => {
                    self.current.end_alternative();
                    self.quantifiable = false;
                }
                '(' => self.open_group(at)?,
                ')' => {
                    let Some(parent) = self.open.pop() else {
                        return Err(syntax("unmatched ')'", at));
                    };
                    let group = std::mem::replace(&mut self.current, parent);
                    let quantifiable = group.quantifiable;
                    self.push(group.finish(), quantifiable);
                }
                q @ ('*' | '+' | '?') => {
                    let (min, max) = match q {
                        '*' => (0, None),
                        '+' => (1, None),
                        _ => (0, Some(1)),
                    };
                    self.quantify(min, max, at)?;
                }
                '{' => match self.braced_quantifier(at)? {
                    Some((min, max)) => self.quantify(min, max, at)?,
                    None => self.push(Node::Unit(c), true),
                },
                '^' => self.push(Node::Look(Look::Start), false),
                '$' => self.push(Node::Look(Look::End), false),
                '.' => self.push(set_node(LINE_TERMINATORS, true), true),
                '[' => self.class(at)?,
                '\\' => self.atom_escape(at)?,
                _ => self.push(Node::Unit(c), true),
            }
        }
        if !self.open.is_empty() {
            return Err(syntax("unterminated group", self.src.len()));
        }
        match self.unsupported {
            Some(unsupported) => Err(unsupported),
            None => Ok(self.current.finish()),
        }
    }

    fn open_group(&mut self, at: usize) -> Result<(), PatternError> {
        if self.open.len() >= MAX_NESTING {
            return Err(PatternError::TooLarge);
        }
        let mut quantifiable = true;
        if self.peek_is(0, '?') {
            let next = self.peek(1).and_then(|c| char::from_u32(u32::from(c)));
            let after = self.peek(2).and_then(|c| char::from_u32(u32::from(c)));
            match (next, after) {
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
                    quantifiable = false;
                }
                (Some('<'), Some('!')) => {
                    self.unsupported("negative lookbehind `(?<!...)`", at);
                    self.pos += 3;
                    quantifiable = false;
                }
                (Some('<'), _) => {
                    self.pos += 2;
                    self.group_name(at)?;
                }
                _ => {
                    let mut end = self.pos + 1;
                    while self
                        .src
                        .get(end)
                        .is_some_and(|&c| [unit('i'), unit('m'), unit('s'), unit('-')].contains(&c))
                    {
                        end += 1;
                    }
                    if end == self.pos + 1 || self.src.get(end) != Some(&unit(':')) {
                        return Err(syntax("invalid group", at));
                    }
                    self.unsupported("inline modifiers `(?flags:...)`", at);
                    self.pos = end + 1;
                }
            }
        }
        let parent = std::mem::replace(&mut self.current, Frame::new(quantifiable));
        self.open.push(parent);
        self.quantifiable = false;
        Ok(())
    }

    /// Consumes `name>` of a named group; the name only has to be well
    /// formed and unique.
    fn group_name(&mut self, at: usize) -> Result<(), PatternError> {
        let Some(name) = read_name(self.src, &mut self.pos) else {
            return Err(syntax("invalid capture group name", at));
        };
        if self.names.iter().filter(|n| **n == name).count() > 1 {
            return Err(syntax("duplicate capture group name", at));
        }
        Ok(())
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` after the `{` at `at`; None when the
    /// brace is not a quantifier (then it is a literal, as Annex B says).
    #[allow(clippy::type_complexity)]
    fn braced_quantifier(&mut self, at: usize) -> Result<Option<(u32, Option<u32>)>, PatternError> {
        let mut i = self.pos;
        let Some(min) = digits(self.src, &mut i) else {
            return Ok(None);
        };
        let max = match self.src.get(i).copied() {
            Some(c) if c == unit('}') => Some(min),
            Some(c) if c == unit(',') => {
                i += 1;
                let max = digits(self.src, &mut i);
                if self.src.get(i) != Some(&unit('}')) {
                    return Ok(None);
                }
                max
            }
            _ => return Ok(None),
        };
        self.pos = i + 1;
        // JavaScript accepts any count; beyond u32 nothing could compile here.
        let min = u32::try_from(min).map_err(|_| PatternError::TooLarge)?;
        let max = match max {
            None => None,
            Some(max) if max < u64::from(min) => {
                return Err(syntax("numbers out of order in {} quantifier", at))
            }
            Some(max) => Some(u32::try_from(max).map_err(|_| PatternError::TooLarge)?),
        };
        Ok(Some((min, max)))
    }

    fn quantify(&mut self, min: u32, max: Option<u32>, at: usize) -> Result<(), PatternError> {
        let last = self.current.sequence.pop();
        let Some(node) = last.filter(|_| self.quantifiable) else {
            return Err(syntax("nothing to repeat", at));
        };
        // A lazy quantifier finds a match exactly when the greedy one does.
        if self.peek_is(0, '?') {
            self.pos += 1;
        }
        self.push(
            Node::Repeat {
                node: Box::new(node),
                min,
                max,
            },
            false,
        );
        Ok(())
    }

    fn atom_escape(&mut self, at: usize) -> Result<(), PatternError> {
        let Some(c) = self.peek(0) else {
            return Err(syntax("\\ at end of pattern", at));
        };
        match char::from_u32(u32::from(c)).unwrap_or('\u{FFFD}') {
            b @ ('b' | 'B') => {
                self.pos += 1;
                let look = if b == 'b' {
                    Look::WordBoundary
                } else {
                    Look::NotWordBoundary
                };
                self.push(Node::Look(look), false);
            }
            '1'..='9' => {
                let mut i = self.pos;
                let n = digits(self.src, &mut i).unwrap_or(u64::MAX);
                if usize::try_from(n).is_ok_and(|n| n <= self.group_count) {
                    self.unsupported(
                        &format!("backreference `\\{}`", crate::livechat::decimal(n)),
                        at,
                    );
                    self.pos = i;
                    self.push(Node::Empty, true);
                } else {
                    let c = self.legacy_octal_or_identity();
                    self.push(Node::Unit(c), true);
                }
            }
            'k' if !self.names.is_empty() => {
                let mut end = self.pos + 1;
                let known = self.src.get(end) == Some(&unit('<')) && {
                    end += 1;
                    read_name(self.src, &mut end).is_some_and(|name| self.names.contains(&name))
                };
                if !known {
                    return Err(syntax("invalid named reference", at));
                }
                self.unsupported("named backreference `\\k<...>`", at);
                self.pos = end;
                self.push(Node::Empty, true);
            }
            // Annex B: `\c` not followed by a letter is a backslash; the `c`
            // is read again as an ordinary character.
            'c' => match self
                .peek(1)
                .filter(|l| is_ascii(*l, u8::is_ascii_alphabetic))
            {
                Some(letter) => {
                    self.pos += 2;
                    self.push(Node::Unit(letter % 32), true);
                }
                None => self.push(Node::Unit(unit('\\')), true),
            },
            _ => match self.character_escape(at)? {
                ClassAtom::Unit(c) => self.push(Node::Unit(c), true),
                ClassAtom::Set(set, negated) => self.push(set_node(set, negated), true),
            },
        }
        Ok(())
    }

    /// `\0`, `\1`..`\7` (up to three octal digits, at most 0o377) or `\8`, `\9`.
    fn legacy_octal_or_identity(&mut self) -> u16 {
        let octal = |c: Option<u16>| c.filter(|c| (unit('0')..=unit('7')).contains(c));
        let Some(first) = octal(self.peek(0)) else {
            // `\8` and `\9` are identity escapes.
            let c = self.peek(0).unwrap_or(unit('9'));
            self.pos += 1;
            return c;
        };
        self.pos += 1;
        let mut value = first - unit('0');
        let max_digits = if value <= 3 { 3 } else { 2 };
        for _ in 1..max_digits {
            let Some(d) = octal(self.peek(0)) else { break };
            value = value * 8 + (d - unit('0'));
            self.pos += 1;
        }
        value
    }

    /// Escapes common to atoms and classes; `self.pos` is after the backslash.
    fn character_escape(&mut self, at: usize) -> Result<ClassAtom, PatternError> {
        let Some(c) = self.peek(0) else {
            return Err(syntax("\\ at end of pattern", at));
        };
        self.pos += 1;
        let atom = match char::from_u32(u32::from(c)).unwrap_or('\u{FFFD}') {
            'd' => ClassAtom::Set(DIGIT, false),
            'D' => ClassAtom::Set(DIGIT, true),
            'w' => ClassAtom::Set(WORD, false),
            'W' => ClassAtom::Set(WORD, true),
            's' => ClassAtom::Set(SPACE, false),
            'S' => ClassAtom::Set(SPACE, true),
            't' => ClassAtom::Unit(0x09),
            'n' => ClassAtom::Unit(0x0A),
            'v' => ClassAtom::Unit(0x0B),
            'f' => ClassAtom::Unit(0x0C),
            'r' => ClassAtom::Unit(0x0D),
            '0' if !self
                .peek(0)
                .is_some_and(|d| is_ascii(d, u8::is_ascii_digit)) =>
            {
                ClassAtom::Unit(0)
            }
            '0'..='9' => {
                self.pos -= 1;
                ClassAtom::Unit(self.legacy_octal_or_identity())
            }
            'x' => ClassAtom::Unit(self.hex(2).unwrap_or(c)),
            // Without the `u` flag `\uXXXX` is one code unit, a lone
            // surrogate included, and `\u{...}` is not an escape.
            'u' => ClassAtom::Unit(self.hex(4).unwrap_or(c)),
            _ => ClassAtom::Unit(c),
        };
        Ok(atom)
    }

    /// Reads exactly `n` hex digits if they are there.
    fn hex(&mut self, n: usize) -> Option<u16> {
        let mut end = self.pos;
        let value = u16::try_from(hex(self.src, &mut end, n)?).ok()?;
        self.pos = end;
        Some(value)
    }

    fn class(&mut self, at: usize) -> Result<(), PatternError> {
        let negated = self.peek_is(0, '^');
        if negated {
            self.pos += 1;
        }
        let mut ranges = Vec::new();
        let add = |ranges: &mut Vec<(u16, u16)>, atom: &ClassAtom| match atom {
            ClassAtom::Unit(c) => ranges.push((*c, *c)),
            ClassAtom::Set(set, false) => ranges.extend_from_slice(set),
            ClassAtom::Set(set, true) => ranges.extend(complement(set)),
        };
        loop {
            if self.peek_is(0, ']') {
                self.pos += 1;
                break;
            }
            let first = self.class_atom(at)?;
            let is_range = self.peek_is(0, '-') && self.peek(1).is_some_and(|c| c != unit(']'));
            if !is_range {
                add(&mut ranges, &first);
                continue;
            }
            let dash = self.pos;
            self.pos += 1;
            let second = self.class_atom(at)?;
            match (&first, &second) {
                (ClassAtom::Unit(a), ClassAtom::Unit(b)) => {
                    if a > b {
                        return Err(syntax("range out of order in character class", dash));
                    }
                    ranges.push((*a, *b));
                }
                // Annex B: a class escape next to `-` makes the `-` a literal.
                _ => {
                    add(&mut ranges, &first);
                    ranges.push((unit('-'), unit('-')));
                    add(&mut ranges, &second);
                }
            }
        }
        self.push(Node::Class(normalize(ranges, negated)), true);
        Ok(())
    }

    fn class_atom(&mut self, at: usize) -> Result<ClassAtom, PatternError> {
        let Some(c) = self.peek(0) else {
            return Err(syntax("unterminated character class", at));
        };
        self.pos += 1;
        if c != unit('\\') {
            return Ok(ClassAtom::Unit(c));
        }
        let next = self.peek(0).and_then(|c| char::from_u32(u32::from(c)));
        match next {
            Some('b') => {
                self.pos += 1;
                Ok(ClassAtom::Unit(0x08))
            }
            Some('-') => {
                self.pos += 1;
                Ok(ClassAtom::Unit(unit('-')))
            }
            // Annex B ClassControlLetter also takes digits and `_`; any
            // other `\c` is a backslash and the `c` is read again.
            Some('c') => match self
                .peek(1)
                .filter(|l| is_ascii(*l, u8::is_ascii_alphanumeric) || *l == unit('_'))
            {
                Some(letter) => {
                    self.pos += 2;
                    Ok(ClassAtom::Unit(letter % 32))
                }
                None => Ok(ClassAtom::Unit(unit('\\'))),
            },
            // With named groups, `\k` is a reference, which a class cannot hold.
            Some('k') if !self.names.is_empty() => Err(syntax("invalid escape", self.pos - 1)),
            // Inside a class `\1` is always octal, never a backreference.
            Some('1'..='9') => Ok(ClassAtom::Unit(self.legacy_octal_or_identity())),
            _ => self.character_escape(at),
        }
    }
}

fn syntax(message: &str, at: usize) -> PatternError {
    PatternError::Syntax {
        message: message.to_owned(),
        at,
    }
}

fn is_ascii(c: u16, test: fn(&u8) -> bool) -> bool {
    u8::try_from(c).is_ok_and(|b| test(&b))
}

/// A class escape or `.` as a node.
fn set_node(set: &[(u16, u16)], negated: bool) -> Node {
    Node::Class(normalize(set.to_vec(), negated))
}

/// Sorts and merges ranges, then complements them when `negated`.
fn normalize(ranges: Vec<(u16, u16)>, negated: bool) -> Vec<(u16, u16)> {
    // The crate's one shared sort, rather than a copy of core's for pairs.
    let order = stable_order(ranges.len(), &|a, b| ranges.get(a) < ranges.get(b));
    let mut merged: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in order.into_iter().filter_map(|i| ranges.get(i).copied()) {
        match merged.last_mut() {
            Some(last) if u32::from(lo) <= u32::from(last.1) + 1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    if negated {
        complement(&merged).collect()
    } else {
        merged
    }
}

/// The code units outside sorted, disjoint, non-adjacent ranges.
fn complement(ranges: &[(u16, u16)]) -> impl Iterator<Item = (u16, u16)> + '_ {
    // Gaps between consecutive ranges, with sentinels before and after.
    let mut next_lo: u32 = 0;
    ranges
        .iter()
        .map(|&(lo, hi)| (u32::from(lo), u32::from(hi) + 1))
        .chain(std::iter::once((0x1_0000, 0x1_0000)))
        .filter_map(move |(lo, after)| {
            let gap = (next_lo < lo).then(|| (next_lo, lo - 1));
            next_lo = after;
            gap.and_then(|(a, b)| Some((u16::try_from(a).ok()?, u16::try_from(b).ok()?)))
        })
}

/// Counts capturing groups and collects group names, skipping escapes and classes.
fn count_groups(src: &[u16]) -> (usize, Vec<String>) {
    let (mut count, mut names) = (0, Vec::new());
    let mut i = 0;
    let mut in_class = false;
    while let Some(&c) = src.get(i) {
        if c == unit('\\') {
            i += 1;
        } else if c == unit('[') {
            in_class = true;
        } else if c == unit(']') {
            in_class = false;
        } else if c == unit('(') && !in_class {
            let at = |k: usize, c: char| src.get(i + k) == Some(&unit(c));
            if !at(1, '?') {
                count += 1;
            } else if at(2, '<') && !at(3, '=') && !at(3, '!') {
                count += 1;
                let mut end = i + 3;
                names.extend(read_name(src, &mut end));
            }
        }
        i += 1;
    }
    (count, names)
}

/// Reads decimal digits at `*i` (saturating); None when there is none.
fn digits(src: &[u16], i: &mut usize) -> Option<u64> {
    let start = *i;
    let mut value: u64 = 0;
    while let Some(&d) = src.get(*i).filter(|d| is_ascii(**d, u8::is_ascii_digit)) {
        value = value
            .saturating_mul(10)
            .saturating_add(u64::from(d - unit('0')));
        *i += 1;
    }
    (*i > start).then_some(value)
}

/// Reads exactly `n` hex digits at `*i`, moving past them.
fn hex(src: &[u16], i: &mut usize, n: usize) -> Option<u32> {
    let mut value = 0;
    for k in 0..n {
        let digit = char::from_u32(u32::from(*src.get(*i + k)?))?.to_digit(16)?;
        value = (value << 4) | digit;
    }
    *i += n;
    Some(value)
}

/// Reads a group name and its closing `>` at `*i`, decoding `\uXXXX`,
/// `\u{...}` and surrogate pairs as JavaScript does; None when malformed.
fn read_name(src: &[u16], i: &mut usize) -> Option<String> {
    let mut name = String::new();
    loop {
        let c = *src.get(*i)?;
        *i += 1;
        let code = if c == unit('>') {
            break;
        } else if c == unit('\\') {
            if src.get(*i) != Some(&unit('u')) {
                return None;
            }
            *i += 1;
            if src.get(*i) == Some(&unit('{')) {
                *i += 1;
                let digits = src.get(*i..)?.iter().position(|&c| c == unit('}'))?;
                let value = (1..=6).contains(&digits).then(|| hex(src, i, digits))??;
                *i += 1;
                value
            } else {
                let high = hex(src, i, 4)?;
                let mut after = *i + 2;
                let low = (src.get(*i) == Some(&unit('\\')) && src.get(*i + 1) == Some(&unit('u')))
                    .then(|| hex(src, &mut after, 4))
                    .flatten()
                    .filter(|low| {
                        (0xD800..0xDC00).contains(&high) && (0xDC00..0xE000).contains(low)
                    });
                match low {
                    Some(low) => {
                        *i = after;
                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    }
                    None => high,
                }
            }
        } else {
            let pair = char::decode_utf16(src.get(*i - 1..*i + 1)?.iter().copied()).next();
            match pair {
                Some(Ok(ch)) if u32::from(ch) > 0xFFFF => {
                    *i += 1;
                    u32::from(ch)
                }
                _ => u32::from(c),
            }
        };
        let ch = char::from_u32(code)?;
        let ok = ch == '$'
            || ch == '_'
            || if name.is_empty() {
                ch.is_alphabetic()
            } else {
                ch.is_alphanumeric() || ch == '\u{200C}' || ch == '\u{200D}'
            };
        if !ok {
            return None;
        }
        name.push(ch);
    }
    (!name.is_empty()).then_some(name)
}
