//! JavaScript's conversions between numbers and strings (`String(n)` and
//! `Number(s)`), which ajv's type coercion, the JSON parser and the JSON
//! writer follow.
//!
//! In wasm they call JavaScript's own `String` and `Number`: exact by
//! definition, and they keep core's float printer and parser (about 20 KB
//! of code and tables) out of the module. Natively (tests, the emulator,
//! Rust users) they are implemented here.

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        /// JavaScript's `String(n)`.
        #[wasm_bindgen(js_name = String)]
        pub fn number_string(n: f64) -> String;
        /// JavaScript's `Number(s)`.
        #[wasm_bindgen(js_name = Number)]
        pub fn string_number(s: &str) -> f64;
    }
}

/// `"" + n` in JavaScript (`Number.prototype.toString()`).
#[cfg(target_arch = "wasm32")]
pub fn js_number_string(n: f64) -> String {
    js::number_string(n)
}

/// JavaScript's `Number(string)`.
#[cfg(target_arch = "wasm32")]
pub fn js_string_to_number(text: &str) -> f64 {
    js::string_number(text)
}

/// `"" + n` in JavaScript (`Number.prototype.toString()`): the shortest
/// digits that round-trip, in plain notation for exponents -7 < e < 21 and
/// in `d.ddde+x` notation otherwise.
#[cfg(not(target_arch = "wasm32"))]
pub fn js_number_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n == 0.0 {
        return "0".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    let (digits, point) = shortest_digits(n.abs());
    let k = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    let zeros = |count: i64| "0".repeat(usize::try_from(count).unwrap_or(0));
    let mut out = String::from(sign);
    if k <= point && point <= 21 {
        out.push_str(&digits);
        out.push_str(&zeros(point - k));
    } else if 0 < point && point <= 21 {
        let (int, frac) = digits.split_at(usize::try_from(point).unwrap_or(0));
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < point && point <= 0 {
        out.push_str("0.");
        out.push_str(&zeros(-point));
        out.push_str(&digits);
    } else {
        let e = point - 1;
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push_str(if e >= 0 { "e+" } else { "e-" });
        out.push_str(&e.unsigned_abs().to_string());
    }
    out
}

/// The shortest round-trip significant digits of a finite positive `n`
/// (no leading or trailing zeros) and the position of the decimal point
/// relative to them: `n = 0.digits × 10^point`. Rust's `{:e}` prints the
/// shortest round-trip digits, as JavaScript does.
#[cfg(not(target_arch = "wasm32"))]
fn shortest_digits(n: f64) -> (String, i64) {
    let text = format!("{n:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let exponent = exponent.parse::<i64>().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0').to_owned();
    (digits, exponent + 1)
}

/// JavaScript's `Number(string)` (StringToNumber): trims JS whitespace,
/// reads decimal literals, `Infinity`, and unsigned 0x/0o/0b integers;
/// anything else is NaN, and an empty string is 0.
#[cfg(not(target_arch = "wasm32"))]
pub fn js_string_to_number(text: &str) -> f64 {
    let t = text.trim_matches(is_js_whitespace);
    if t.is_empty() {
        return 0.0;
    }
    let prefix = t.get(..2).map(str::to_ascii_lowercase);
    let radix = match prefix.as_deref() {
        Some("0x") => Some(16),
        Some("0o") => Some(8),
        Some("0b") => Some(2),
        _ => None,
    };
    if let Some(radix) = radix {
        return parse_radix(t.get(2..).unwrap_or_default(), radix);
    }
    let (negative, unsigned) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..).unwrap_or_default()),
        Some(b'+') => (false, t.get(1..).unwrap_or_default()),
        _ => (false, t),
    };
    let magnitude = if unsigned == "Infinity" {
        f64::INFINITY
    } else if is_decimal_literal(unsigned) {
        decimal_value(unsigned)
    } else {
        f64::NAN
    };
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// JavaScript's WhiteSpace and LineTerminator code points.
#[cfg(not(target_arch = "wasm32"))]
fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}' | '\u{a}' | '\u{b}' | '\u{c}' | '\u{d}' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// `digits [. digits] [e [+-] digits]` or `. digits [exponent]`, unsigned:
/// the decimal literals of JavaScript's `Number(s)` and Rust's `f64` parser.
#[cfg(any(not(target_arch = "wasm32"), feature = "validators"))]
pub(super) fn is_decimal_literal(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    let digits_at = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let int_end = digits_at(i);
    let mut has_digits = int_end > i;
    i = int_end;
    if bytes.get(i) == Some(&b'.') {
        let frac_end = digits_at(i + 1);
        has_digits |= frac_end > i + 1;
        i = frac_end;
    }
    if !has_digits {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_end = digits_at(i);
        if exp_end == i {
            return false;
        }
        i = exp_end;
    }
    i == bytes.len()
}

/// The value of a decimal literal accepted by [`is_decimal_literal`],
/// correctly rounded (beyond `f64`'s range: infinity, as in JavaScript).
#[cfg(not(target_arch = "wasm32"))]
fn decimal_value(literal: &str) -> f64 {
    literal.parse().unwrap_or(f64::NAN)
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_radix(digits: &str, radix: u32) -> f64 {
    if digits.is_empty() {
        return f64::NAN;
    }
    let mut value = 0f64;
    for c in digits.chars() {
        match c.to_digit(radix) {
            Some(d) => value = value * f64::from(radix) + f64::from(d),
            None => return f64::NAN,
        }
    }
    value
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn number_strings_match_javascript() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-5.5, "-5.5"),
            (0.1, "0.1"),
            (123456.0, "123456"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (1.5e300, "1.5e+300"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.000123, "0.000123"),
            (1234.5678, "1234.5678"),
            (f64::INFINITY, "Infinity"),
        ];
        for (n, text) in cases {
            assert_eq!(js_number_string(n), text, "{n}");
        }
    }

    #[test]
    fn string_to_number_matches_javascript() {
        let cases = [
            ("12", 12.0),
            (" 12 ", 12.0),
            ("\u{feff}\n7\u{3000}", 7.0),
            ("   ", 0.0),
            ("1.", 1.0),
            (".5", 0.5),
            ("1.e3", 1000.0),
            ("+3", 3.0),
            ("-3", -3.0),
            ("0x1F", 31.0),
            ("0o17", 15.0),
            ("0B101", 5.0),
            ("-Infinity", f64::NEG_INFINITY),
            ("1e400", f64::INFINITY),
            ("-1e400", f64::NEG_INFINITY),
            ("1e-400", 0.0),
            ("0e99999999999", 0.0),
            ("007.50", 7.5),
            ("9007199254740993", 9007199254740992.0),
            ("18446744073709551616", 18446744073709551616.0),
            ("2.2250738585072011e-308", 2.225073858507201e-308),
            ("1.7976931348623158e308", f64::MAX),
            ("1.7976931348623159e308", f64::INFINITY),
            ("0.1E+1", 1.0),
            (
                "123456789012345678901234567890e-10",
                12345678901234567890.123456789,
            ),
        ];
        for (text, n) in cases {
            assert_eq!(js_string_to_number(text), n, "{text:?}");
        }
        for text in [
            "12px", ".", "1e", "-0x10", "1_000", "inf", "NaN", "0x", "\u{85}1",
        ] {
            assert!(js_string_to_number(text).is_nan(), "{text:?}");
        }
    }
}
