//! Fast matching of simple constant `matches()` patterns: a sequence of at
//! most 63 single-character atoms (literal characters, `.`, `\d \w \s` and
//! their negations, bracketed classes of ASCII characters), each with an
//! optional `? * +` quantifier, optionally anchored by `^` and `$`, such as
//! `^user[0-9]+@example\.com$`. Such a pattern is matched by a bit-parallel
//! automaton (one bit per atom, a few operations per character) instead of
//! regex-lite's general engine, which is many times slower; anything else
//! (groups, alternation, counted repetition, flags, other escapes) is left
//! to regex-lite. The pattern has already compiled with regex-lite, whose
//! meaning this follows: `.` is any character but `\n`, the Perl classes
//! are ASCII, `^` and `$` are the ends of the text.

/// The characters one atom matches: a set of ASCII characters, and
/// whether every non-ASCII character matches too, or one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Atom {
    Set { ascii: u128, other: bool },
    Char(char),
}

impl Atom {
    fn matches(self, c: char) -> bool {
        match self {
            Atom::Set { ascii, other } => match u32::from(c) {
                code @ 0..=127 => ascii & (1u128 << code) != 0,
                _ => other,
            },
            Atom::Char(expected) => c == expected,
        }
    }
}

const DIGITS: u128 = ranges(&[(b'0', b'9')]);
const WORD: u128 = ranges(&[(b'0', b'9'), (b'A', b'Z'), (b'a', b'z'), (b'_', b'_')]);
const SPACE: u128 = ranges(&[(b'\t', b'\r'), (b' ', b' ')]);
const ALL_ASCII: u128 = u128::MAX;

const fn ranges(list: &[(u8, u8)]) -> u128 {
    let mut set = 0u128;
    let mut i = 0;
    while i < list.len() {
        let (lo, hi) = list[i];
        let mut c = lo;
        while c <= hi {
            set |= 1u128 << c;
            c += 1;
        }
        i += 1;
    }
    set
}

/// The ASCII set and non-ASCII flag of a Perl class letter (`d w s D W S`).
fn perl_class(letter: char) -> Option<(u128, bool)> {
    let (set, negated) = match letter {
        'd' => (DIGITS, false),
        'w' => (WORD, false),
        's' => (SPACE, false),
        'D' => (DIGITS, true),
        'W' => (WORD, true),
        'S' => (SPACE, true),
        _ => return None,
    };
    Some(if negated { (!set, true) } else { (set, false) })
}

/// Whether `\c` stands for `c` itself: ASCII punctuation except `<` and
/// `>`, which regex-lite reads as word boundaries.
pub(crate) fn literal_escape(c: char) -> bool {
    c.is_ascii_punctuation() && c != '<' && c != '>'
}

/// A compiled simple pattern.
#[derive(Debug, Clone)]
pub(crate) struct SimplePattern {
    atoms: Vec<Atom>,
    /// Per atom: the states after it matched one character (the next
    /// atoms it may be followed by, and itself when it repeats).
    follow: Vec<u64>,
    /// The states at the start: atom 0 and the optional atoms after it.
    start: u64,
    /// The bit of the accepting state (all atoms matched).
    accept: u64,
    anchored_start: bool,
    anchored_end: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    One,
    Optional,
    Star,
    Plus,
}

/// Most atoms a simple pattern has (one bit each plus the accepting bit).
const MAX_ATOMS: usize = 63;

impl SimplePattern {
    /// The pattern compiled, when it is in the simple subset.
    pub(crate) fn parse(pattern: &str) -> Option<SimplePattern> {
        let (anchored_start, body) = match pattern.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, pattern),
        };
        let mut parsed: Vec<(Atom, Repeat)> = Vec::new();
        let mut anchored_end = false;
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            let atom = match c {
                '$' if chars.peek().is_none() => {
                    anchored_end = true;
                    break;
                }
                '\\' => {
                    let escaped = chars.next()?;
                    match perl_class(escaped) {
                        Some((ascii, other)) => Atom::Set { ascii, other },
                        None if literal_escape(escaped) => Atom::Char(escaped),
                        None => return None,
                    }
                }
                '.' => Atom::Set {
                    ascii: ALL_ASCII & !(1u128 << b'\n'),
                    other: true,
                },
                '[' => class(&mut chars)?,
                '+' | '*' | '?' | '(' | ')' | '|' | ']' | '{' | '}' | '^' | '$' => return None,
                other => Atom::Char(other),
            };
            let repeat = match chars.peek() {
                Some('?') => Repeat::Optional,
                Some('*') => Repeat::Star,
                Some('+') => Repeat::Plus,
                _ => Repeat::One,
            };
            if repeat != Repeat::One {
                chars.next();
                // A lazy quantifier matches the same texts.
                if chars.peek() == Some(&'?') {
                    chars.next();
                }
                if matches!(chars.peek(), Some('?' | '*' | '+' | '{')) {
                    return None;
                }
            }
            parsed.push((atom, repeat));
            if parsed.len() > MAX_ATOMS {
                return None;
            }
        }
        Some(SimplePattern::build(parsed, anchored_start, anchored_end))
    }

    fn build(parsed: Vec<(Atom, Repeat)>, anchored_start: bool, anchored_end: bool) -> Self {
        let n = parsed.len();
        // entry[k]: the states reachable on entering position k without
        // reading a character (skipping optional atoms).
        let mut entry = vec![0u64; n + 1];
        if let Some(last) = entry.get_mut(n) {
            *last = 1u64 << n;
        }
        for k in (0..n).rev() {
            let skippable = matches!(parsed.get(k), Some((_, Repeat::Optional | Repeat::Star)));
            let after = entry.get(k + 1).copied().unwrap_or(0);
            if let Some(e) = entry.get_mut(k) {
                *e = (1u64 << k) | if skippable { after } else { 0 };
            }
        }
        let follow = parsed
            .iter()
            .enumerate()
            .map(|(k, (_, repeat))| {
                let again = matches!(repeat, Repeat::Star | Repeat::Plus);
                entry.get(k + 1).copied().unwrap_or(0) | if again { 1u64 << k } else { 0 }
            })
            .collect();
        SimplePattern {
            atoms: parsed.into_iter().map(|(atom, _)| atom).collect(),
            follow,
            start: entry.first().copied().unwrap_or(1),
            accept: 1u64 << n,
            anchored_start,
            anchored_end,
        }
    }

    /// Whether the pattern matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let mut states = self.start;
        for c in text.chars() {
            if states & self.accept != 0 && !self.anchored_end {
                return true;
            }
            let mut next = 0u64;
            let mut active = states & !self.accept;
            while active != 0 {
                let k = active.trailing_zeros() as usize;
                active &= active - 1;
                if let (Some(atom), Some(follow)) = (self.atoms.get(k), self.follow.get(k)) {
                    if atom.matches(c) {
                        next |= follow;
                    }
                }
            }
            states = next;
            if !self.anchored_start {
                states |= self.start;
            } else if states == 0 {
                return false;
            }
        }
        states & self.accept != 0
    }
}

/// A bracketed class after its `[`: ASCII characters, ranges of ASCII
/// letters or digits, escaped punctuation and Perl classes, optionally
/// negated by a leading `^`. Anything else (nested classes, set
/// operations, non-ASCII members) is not simple.
fn class(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<Atom> {
    let negated = chars.peek() == Some(&'^');
    if negated {
        chars.next();
    }
    let mut ascii = 0u128;
    let mut other = false;
    let mut first = true;
    loop {
        let c = chars.next()?;
        match c {
            ']' if !first => break,
            '\\' => {
                let escaped = chars.next()?;
                match perl_class(escaped) {
                    Some((set, o)) => {
                        ascii |= set;
                        other |= o;
                    }
                    None if literal_escape(escaped) => ascii |= 1u128 << (escaped as u32),
                    None => return None,
                }
            }
            c if c.is_ascii_alphanumeric() => {
                if chars.peek() == Some(&'-') {
                    chars.next();
                    let hi = chars.next()?;
                    let same_kind = (c.is_ascii_digit() && hi.is_ascii_digit())
                        || (c.is_ascii_lowercase() && hi.is_ascii_lowercase())
                        || (c.is_ascii_uppercase() && hi.is_ascii_uppercase());
                    if !same_kind || hi < c {
                        return None;
                    }
                    for code in c as u32..=hi as u32 {
                        ascii |= 1u128 << code;
                    }
                } else {
                    ascii |= 1u128 << (c as u32);
                }
            }
            '-' if first || chars.peek() == Some(&']') => ascii |= 1u128 << b'-',
            ' ' | '_' | '@' | '.' | ',' | ':' | ';' | '!' | '#' | '%' | '\'' | '"' | '<' | '>'
            | '=' | '/' | '+' | '*' | '?' | '(' | ')' | '{' | '}' | '|' | '$' => {
                ascii |= 1u128 << (c as u32)
            }
            _ => return None,
        }
        first = false;
    }
    Some(if negated {
        Atom::Set {
            ascii: !ascii,
            other: !other,
        }
    } else {
        Atom::Set { ascii, other }
    })
}

#[cfg(test)]
mod tests {
    use super::SimplePattern;

    const PATTERNS: &[&str] = &[
        r"^user[0-9]+@example\.com$",
        r"[0-9]+",
        r"^a.c$",
        r"a.*c",
        r"^ab?c*d+$",
        r"\d\d-\d\d",
        r"^\w+@\w+\.\w+$",
        r"\s\S\D\W",
        r"[^a-z]",
        r"^[^\d\s]+$",
        r"[._%+-]",
        r"colou?r",
        r"x*",
        r"^$",
        r"a+?b",
        r"é.ü",
        r"^[A-Fa-f0-9]+$",
        r"[\[\]]",
        r"^.*$",
        r"a$",
        r"^\$[0-9]+\.[0-9]{2}$",
        r"(a|b)",
        r"a{2}",
        r"\bword",
        r"[é]",
        r"^user[0-9]+@(example|corp)\.com$",
    ];

    const TEXTS: &[&str] = &[
        "",
        "user12@example.com",
        "user@example.com",
        "xuser12@example.com",
        "user12@example.comx",
        "USER1@example.com",
        "abc",
        "a\nc",
        "ac",
        "abbcd",
        "abccccddd",
        "12-34",
        "١٢-٣٤",
        "a_b@c1.io",
        "a b\tc",
        "hello world",
        "HELLO",
        "colour color colr",
        "éxü",
        "é\nü",
        "deadBEEF",
        "[x]",
        "line\n",
        "$12.50",
        "aab",
        "b",
        "a",
        "aaaa",
        "😀 emoji 😀",
    ];

    #[test]
    fn matches_as_regex_lite_does() {
        let mut simple = 0;
        for pattern in PATTERNS {
            let re = regex_lite::Regex::new(pattern).unwrap();
            let Some(compiled) = SimplePattern::parse(pattern) else {
                continue;
            };
            simple += 1;
            for text in TEXTS {
                assert_eq!(
                    compiled.is_match(text),
                    re.is_match(text),
                    "{pattern} on {text:?}"
                );
            }
        }
        assert!(simple >= 18, "{simple}");
    }

    #[test]
    fn leaves_the_rest_to_regex_lite() {
        for pattern in [
            "(a|b)",
            "a{2}",
            r"[a-z&&b]",
            r"\bword",
            "[é]",
            "(?i)abc",
            r"\x41",
            "[[:alpha:]]",
            r"\<word\>",
            "a**",
            &"a".repeat(64),
        ] {
            assert!(SimplePattern::parse(pattern).is_none(), "{pattern}");
        }
        assert!(SimplePattern::parse(&"a".repeat(63)).is_some());
    }

    #[test]
    fn every_ascii_character_in_every_class() {
        for pattern in [
            r"\d",
            r"\w",
            r"\s",
            r"\D",
            r"\W",
            r"\S",
            ".",
            "[^a-z]",
            "[._%+-]",
            "[A-Fa-f0-9]",
        ] {
            let re = regex_lite::Regex::new(&format!("^{pattern}$")).unwrap();
            let compiled = SimplePattern::parse(&format!("^{pattern}$")).unwrap();
            for c in (0u8..128)
                .map(char::from)
                .chain(['é', '١', '\u{2028}', '😀'])
            {
                let text = c.to_string();
                assert_eq!(
                    compiled.is_match(&text),
                    re.is_match(&text),
                    "{pattern} on {c:?}"
                );
            }
        }
    }

    #[test]
    fn random_patterns_match_as_regex_lite_does() {
        let atoms = [
            "a", "b", ".", r"\d", r"\w", r"\s", r"\D", "[ab]", "[^a]", "[a-c0-9]", r"\.", "é", "-",
        ];
        let quantifiers = ["", "", "?", "*", "+", "*?", "+?"];
        let texts = [
            "", "a", "b", "ab", "ba", "aab", "abc", "a.b", "1-2", "é1", "a\nb", " a", "ccc", "aXb",
        ];
        let mut seed: u32 = 0x9e37_79b9;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % n
        };
        for _ in 0..3000 {
            let mut pattern = String::new();
            if next(2) == 0 {
                pattern.push('^');
            }
            for _ in 0..1 + next(4) {
                pattern.push_str(atoms[next(atoms.len())]);
                pattern.push_str(quantifiers[next(quantifiers.len())]);
            }
            if next(2) == 0 {
                pattern.push('$');
            }
            let re = regex_lite::Regex::new(&pattern).unwrap();
            let compiled = SimplePattern::parse(&pattern).expect(&pattern);
            for text in texts {
                assert_eq!(
                    compiled.is_match(text),
                    re.is_match(text),
                    "{pattern} on {text:?}"
                );
            }
        }
    }
}
