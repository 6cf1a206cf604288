//! Words and tags: the vocabularies a rule set interns at compile time, the
//! bit sets tickets are reduced to, and the word splitter shared by the
//! compiler (condition values) and the evaluator (subjects, comments, text
//! fields), so both sides agree on what a word is.
//!
//! A word is a maximal run of Unicode letters, digits and `_`, compared in
//! lowercase. A quoted part of a condition value (`"money back"`) is a phrase:
//! its words must appear next to each other in the text.

use rustc_hash::FxHashMap;

/// A fixed-size set of small integers (vocabulary ids).
#[derive(Debug, Clone, Default)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    /// An empty set able to hold ids below `len`.
    pub(crate) fn with_len(len: usize) -> Self {
        Bits(vec![0; len.div_ceil(64)])
    }

    pub(crate) fn clear(&mut self) {
        self.0.iter_mut().for_each(|w| *w = 0);
    }

    pub(crate) fn insert(&mut self, id: u32) {
        if let Some(w) = self.0.get_mut((id / 64) as usize) {
            *w |= 1 << (id % 64);
        }
    }

    pub(crate) fn remove(&mut self, id: u32) {
        if let Some(w) = self.0.get_mut((id / 64) as usize) {
            *w &= !(1 << (id % 64));
        }
    }

    pub(crate) fn contains(&self, id: u32) -> bool {
        self.0
            .get((id / 64) as usize)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    pub(crate) fn contains_any(&self, ids: &[u32]) -> bool {
        ids.iter().any(|&id| self.contains(id))
    }
}

/// Interned strings with dense ids, looked up with a fast non-cryptographic
/// hash (the keys come from the rule set, not from attackers' tickets).
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocab {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
}

impl Vocab {
    pub(crate) fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        self.ids.insert(word.into(), id);
        self.words.push(word.into());
        id
    }

    pub(crate) fn get(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub(crate) fn word(&self, id: u32) -> Option<&str> {
        self.words.get(id as usize).map(|w| &**w)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Calls `f` with each word of `text`, lowercased. `buf` is scratch space
/// so words that are already lowercase ASCII cost no allocation.
pub(crate) fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                emit(text.get(s..i).unwrap_or_default(), buf, &mut f);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        emit(text.get(s..).unwrap_or_default(), buf, &mut f);
    }
}

fn emit(word: &str, buf: &mut String, f: &mut impl FnMut(&str)) {
    if word
        .bytes()
        .all(|b| !b.is_ascii_uppercase() && b.is_ascii())
    {
        f(word);
    } else {
        lowercase_into(word, buf);
        f(buf);
    }
}

/// Writes the lowercase form of `s` into `buf` (replacing its content).
pub(crate) fn lowercase_into(s: &str, buf: &mut String) {
    buf.clear();
    if s.is_ascii() {
        buf.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        buf.extend(s.chars().flat_map(char::to_lowercase));
    }
}

/// True when `s` lowercased equals `lower` (already lowercase).
pub(crate) fn eq_lowercase(s: &str, lower: &str) -> bool {
    if s.is_ascii() {
        s.len() == lower.len()
            && s.bytes()
                .zip(lower.bytes())
                .all(|(a, b)| a.to_ascii_lowercase() == b)
    } else {
        s.chars().flat_map(char::to_lowercase).eq(lower.chars())
    }
}

/// Splits a condition value into phrases: whitespace separates phrases
/// unless inside double quotes; each phrase is its list of word ids.
pub(crate) fn phrases(value: &str, vocab: &mut Vocab) -> Vec<Box<[u32]>> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for (i, part) in value.split('"').enumerate() {
        let quoted = i % 2 == 1;
        let mut push = |chunk: &str| {
            let mut ids = Vec::new();
            for_each_word(chunk, &mut buf, |w| ids.push(vocab.intern(w)));
            if !ids.is_empty() {
                out.push(ids.into_boxed_slice());
            }
        };
        if quoted {
            push(part);
        } else {
            part.split_whitespace().for_each(&mut push);
        }
    }
    out
}

/// Sentinel id of a word that no condition mentions.
const UNKNOWN: u32 = u32::MAX;

/// One text of an update (subject, comment, text field) reduced to what
/// the rule set asks of it: its word ids in order, their set, and/or its
/// lowercase form for substring conditions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Text {
    present: bool,
    ids: Vec<u32>,
    bits: Bits,
    lower: String,
}

impl Text {
    pub(crate) fn new(vocab: &Vocab) -> Self {
        Text {
            bits: Bits::with_len(vocab.len()),
            ..Text::default()
        }
    }

    pub(crate) fn clear(&mut self) {
        self.present = false;
        self.ids.clear();
        self.bits.clear();
        self.lower.clear();
    }

    /// Reads `text`: word ids when `words`, lowercase copy when `lower`.
    pub(crate) fn fill(
        &mut self,
        text: &str,
        vocab: &Vocab,
        words: bool,
        lower: bool,
        buf: &mut String,
    ) {
        self.present = true;
        if words {
            let (ids, bits) = (&mut self.ids, &mut self.bits);
            for_each_word(text, buf, |w| {
                let id = vocab.get(w).unwrap_or(UNKNOWN);
                ids.push(id);
                bits.insert(id);
            });
        }
        if lower {
            lowercase_into(text, &mut self.lower);
        }
    }

    /// True when any of `phrases` occurs in the text.
    pub(crate) fn has_any_phrase(&self, phrases: &[Box<[u32]>]) -> bool {
        phrases.iter().any(|p| self.has_phrase(p))
    }

    fn has_phrase(&self, phrase: &[u32]) -> bool {
        match phrase {
            [] => false,
            [one] => self.bits.contains(*one),
            _ => {
                phrase.iter().all(|&id| self.bits.contains(id))
                    && self.ids.windows(phrase.len()).any(|w| w == phrase)
            }
        }
    }

    /// True when the lowercase text contains `needle` (already lowercase).
    pub(crate) fn contains(&self, needle: &str) -> bool {
        self.present && self.lower.contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_punctuation_and_lowercase() {
        let mut words = Vec::new();
        let mut buf = String::new();
        for_each_word("Re: REFUND-now, Ärger_1 ok!", &mut buf, |w| {
            words.push(w.to_owned())
        });
        assert_eq!(words, ["re", "refund", "now", "ärger_1", "ok"]);
    }

    #[test]
    fn quoted_phrases_keep_words_together() {
        let mut vocab = Vocab::default();
        let p = phrases(r#"refund "money back"  x"#, &mut vocab);
        assert_eq!(p.len(), 3);
        assert_eq!(p[1].len(), 2);
        let mut text = Text::new(&vocab);
        let mut buf = String::new();
        text.fill("I want my MONEY back", &vocab, true, false, &mut buf);
        assert!(text.has_any_phrase(&p[1..2]));
        text.clear();
        text.fill("back my money", &vocab, true, false, &mut buf);
        assert!(!text.has_any_phrase(&p[1..2]));
    }

    #[test]
    fn bits_ignore_out_of_range_ids() {
        let mut b = Bits::with_len(3);
        b.insert(2);
        b.insert(500);
        assert!(b.contains(2) && !b.contains(500) && !b.contains(1));
        b.remove(2);
        assert!(!b.contains_any(&[0, 1, 2]));
    }
}
