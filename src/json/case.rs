//! Unicode case mapping of text (`str::to_lowercase` and
//! `str::to_uppercase`: full mappings, final sigma included).
//!
//! In wasm the non-ASCII case goes to JavaScript's `toLowerCase` and
//! `toUpperCase`, which apply the same Unicode mappings: core's case tables
//! (24 KB of data, about 10 KB gzip) then stay out of the module. ASCII text
//! never leaves Rust. Natively core's own functions are used.

/// `text.to_lowercase()`.
pub fn to_lowercase(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        unicode::lower(text)
    }
}

/// `text.to_uppercase()`.
pub fn to_uppercase(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_uppercase()
    } else {
        unicode::upper(text)
    }
}

#[cfg(target_arch = "wasm32")]
mod unicode {
    use js_sys::JsString;

    pub fn lower(text: &str) -> String {
        JsString::from(text).to_lower_case().into()
    }

    pub fn upper(text: &str) -> String {
        JsString::from(text).to_upper_case().into()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod unicode {
    pub fn lower(text: &str) -> String {
        text.to_lowercase()
    }

    pub fn upper(text: &str) -> String {
        text.to_uppercase()
    }
}

/// Appends `c.to_lowercase()` (one character's mapping, without the
/// final-sigma rule of whole texts) to `out`.
pub fn push_char_lowercase(c: char, out: &mut Vec<char>) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        // A lone character has no letter before it, so the text mapping
        // of it is the character mapping (Σ stays σ, never ς).
        out.extend(to_lowercase(c.encode_utf8(&mut [0; 4])).chars());
    }
}

/// `c.to_uppercase()` as text.
pub fn char_uppercase(c: char) -> String {
    to_uppercase(c.encode_utf8(&mut [0; 4]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_like_core() {
        for text in ["", "Abc", "ÀÉÎ straße", "ΌΣΟΣ ΣΑ", "İstanbul", "K Å", "ǅ ﬁ"] {
            assert_eq!(to_lowercase(text), text.to_lowercase(), "{text}");
            assert_eq!(to_uppercase(text), text.to_uppercase(), "{text}");
        }
        for c in ['A', 'z', 'Σ', 'İ', 'ß', 'ǅ', 'K', '1', 'ﬁ'] {
            let mut lower = Vec::new();
            push_char_lowercase(c, &mut lower);
            assert_eq!(lower, c.to_lowercase().collect::<Vec<_>>(), "{c}");
            assert_eq!(char_uppercase(c), c.to_uppercase().to_string(), "{c}");
        }
    }
}
