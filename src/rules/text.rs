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

    /// True when the set holds any id of `set`.
    pub(crate) fn intersects(&self, set: &IdSet) -> bool {
        set.0
            .iter()
            .any(|&(w, mask)| self.0.get(w as usize).is_some_and(|b| b & mask != 0))
    }
}

/// Ids packed as (word of [`Bits`], mask) pairs, so testing a condition's
/// few tags or words against a ticket is one AND per 64 ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IdSet(Box<[(u32, u64)]>);

impl IdSet {
    pub(crate) fn new(ids: &[u32]) -> Self {
        let mut packed: Vec<(u32, u64)> = Vec::new();
        for &id in ids {
            let (word, bit) = (id / 64, 1u64 << (id % 64));
            match packed.iter_mut().find(|(w, _)| *w == word) {
                Some((_, mask)) => *mask |= bit,
                None => packed.push((word, bit)),
            }
        }
        IdSet(packed.into_boxed_slice())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The ids of the set, in increasing order within each word of bits.
    pub(crate) fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().flat_map(|&(word, mask)| {
            (0..64u32)
                .filter(move |bit| mask & (1 << bit) != 0)
                .map(move |bit| word * 64 + bit)
        })
    }
}

/// Interned strings with dense ids, looked up with a fast non-cryptographic
/// hash (the keys come from the rule set, not from attackers' tickets).
/// Most words of a text are in no condition: a (first byte, length) filter
/// turns them away before hashing.
#[derive(Debug, Clone)]
pub(crate) struct Vocab {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    /// Per first byte, bit `min(len, 31)` is set when a word has that shape.
    shapes: Box<[u32; 256]>,
    /// Whether a phrase of several words was interned, so texts must keep
    /// their word order (not only their set of words).
    sequences: bool,
}

impl Default for Vocab {
    fn default() -> Self {
        Vocab {
            ids: FxHashMap::default(),
            words: Vec::new(),
            shapes: Box::new([0; 256]),
            sequences: false,
        }
    }
}

/// The (first byte, length bit) of a word for [`Vocab`]'s filter.
fn shape(word: &str) -> Option<(usize, u32)> {
    let first = *word.as_bytes().first()?;
    Some((usize::from(first), 1 << word.len().min(31)))
}

impl Vocab {
    pub(crate) fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        self.ids.insert(word.into(), id);
        self.words.push(word.into());
        if let Some((first, bit)) = shape(word) {
            if let Some(s) = self.shapes.get_mut(first) {
                *s |= bit;
            }
        }
        id
    }

    pub(crate) fn get(&self, word: &str) -> Option<u32> {
        let (first, bit) = shape(word)?;
        if self.shapes.get(first).is_some_and(|s| s & bit != 0) {
            self.ids.get(word).copied()
        } else {
            None
        }
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
    if text.is_ascii() {
        // Most text is ASCII: one pass over the bytes; only words with an
        // uppercase letter are copied (lowercased) into `buf`.
        let mut start = None;
        let mut upper = false;
        for (i, b) in text.bytes().enumerate() {
            if b.is_ascii_alphanumeric() || b == b'_' {
                if start.is_none() {
                    start = Some(i);
                    upper = false;
                }
                upper |= b.is_ascii_uppercase();
            } else if let Some(s) = start.take() {
                ascii_word(text.get(s..i).unwrap_or_default(), upper, buf, &mut f);
            }
        }
        if let Some(s) = start {
            ascii_word(text.get(s..).unwrap_or_default(), upper, buf, &mut f);
        }
        return;
    }
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

fn ascii_word(word: &str, upper: bool, buf: &mut String, f: &mut impl FnMut(&str)) {
    if upper {
        buf.clear();
        buf.push_str(word);
        buf.make_ascii_lowercase();
        f(buf);
    } else {
        f(word);
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
        buf.push_str(s);
        buf.make_ascii_lowercase();
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

/// The words of a word condition: single words as one [`IdSet`], and the
/// phrases of several words, whose words must appear in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Phrases {
    singles: IdSet,
    multi: Box<[Box<[u32]>]>,
}

impl Phrases {
    pub(crate) fn is_empty(&self) -> bool {
        self.singles.is_empty() && self.multi.is_empty()
    }
}

/// Splits a condition value into phrases: whitespace separates phrases
/// unless inside double quotes; each phrase is its list of word ids.
pub(crate) fn phrases(value: &str, vocab: &mut Vocab) -> Phrases {
    let mut singles = Vec::new();
    let mut multi = Vec::new();
    let mut buf = String::new();
    for (i, part) in value.split('"').enumerate() {
        let quoted = i % 2 == 1;
        let mut push = |chunk: &str| {
            let mut ids = Vec::new();
            for_each_word(chunk, &mut buf, |w| ids.push(vocab.intern(w)));
            match ids.as_slice() {
                [] => {}
                [one] => singles.push(*one),
                _ => {
                    vocab.sequences = true;
                    multi.push(ids.into_boxed_slice());
                }
            }
        };
        if quoted {
            push(part);
        } else {
            part.split_whitespace().for_each(&mut push);
        }
    }
    Phrases {
        singles: IdSet::new(&singles),
        multi: multi.into_boxed_slice(),
    }
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
                if vocab.sequences {
                    ids.push(id);
                }
                bits.insert(id);
            });
        }
        if lower {
            lowercase_into(text, &mut self.lower);
        }
    }

    /// True when any of the phrases occurs in the text.
    pub(crate) fn has_any(&self, phrases: &Phrases) -> bool {
        self.bits.intersects(&phrases.singles) || phrases.multi.iter().any(|p| self.has_phrase(p))
    }

    /// True when the words `phrase` occur next to each other in the text.
    fn has_phrase(&self, phrase: &[u32]) -> bool {
        phrase.iter().all(|&id| self.bits.contains(id))
            && self.ids.windows(phrase.len()).any(|w| w == phrase)
    }

    /// The phrases that occur in the text, each as its words joined by a
    /// space (for traces; [`Text::has_any`] is true exactly when this is
    /// not empty).
    pub(crate) fn found(&self, phrases: &Phrases, vocab: &Vocab) -> Vec<String> {
        let mut hits = Vec::new();
        for id in phrases.singles.ids() {
            if self.bits.contains(id) {
                hits.extend(vocab.word(id).map(str::to_owned));
            }
        }
        for p in phrases.multi.iter() {
            if self.has_phrase(p) {
                let words: Vec<&str> = p.iter().filter_map(|&id| vocab.word(id)).collect();
                hits.push(words.join(" "));
            }
        }
        hits
    }

    /// Whether the update has this text at all.
    pub(crate) fn present(&self) -> bool {
        self.present
    }

    /// The lowercase text, when it was kept for substring conditions.
    pub(crate) fn lower(&self) -> &str {
        &self.lower
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
        assert_eq!(p.multi.len(), 1);
        let back = phrases(r#""money back""#, &mut vocab);
        assert_eq!(vocab.len(), 4);
        let mut text = Text::new(&vocab);
        let mut buf = String::new();
        text.fill("I want my MONEY back", &vocab, true, false, &mut buf);
        assert!(text.has_any(&back) && text.has_any(&p));
        text.clear();
        text.fill("back my money", &vocab, true, false, &mut buf);
        assert!(!text.has_any(&back) && !text.has_any(&p));
        text.clear();
        text.fill("x", &vocab, true, false, &mut buf);
        assert!(text.has_any(&p) && !text.has_any(&back));
    }

    #[test]
    fn bits_ignore_out_of_range_ids() {
        let mut b = Bits::with_len(3);
        b.insert(2);
        b.insert(500);
        assert!(b.contains(2) && !b.contains(500) && !b.contains(1));
        assert!(b.intersects(&IdSet::new(&[0, 2])));
        b.remove(2);
        assert!(!b.intersects(&IdSet::new(&[0, 1, 2, 500])));
    }
}
