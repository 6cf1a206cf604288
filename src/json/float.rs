//! Rust's own float conversions (`str::parse::<f64>`, `f64`'s `Display`,
//! and the shortest round-trip digits behind `{:e}`) computed with
//! JavaScript's `Number(s)` and `String(n)` ([`super::js_string_to_number`],
//! [`super::js_number_string`]), with the same results. In wasm those call
//! JavaScript, which keeps core's float parser and printer (about 30 KB of
//! code and tables) out of the filter and rule engines' build; natively
//! they are the crate's implementations, so the tests here cover the code
//! the wasm build runs. Short decimals (the usual data) are read without a
//! call into JavaScript.

use super::number::is_decimal_literal;
use super::{js_number_string, js_string_to_number};

/// `text.parse::<f64>().ok()`: an optional sign, then `inf`, `infinity`
/// or `nan` in any case, or a decimal literal (`1`, `1.`, `.5`, `1e-3`);
/// nothing else (no spaces). Correctly rounded; beyond the range, infinity
/// or zero.
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..).unwrap_or_default()),
        Some(b'+') => (false, text.get(1..).unwrap_or_default()),
        _ => (false, text),
    };
    let magnitude =
        if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
            f64::INFINITY
        } else if unsigned.eq_ignore_ascii_case("nan") {
            f64::NAN
        } else if is_decimal_literal(unsigned) {
            exact_short(unsigned).unwrap_or_else(|| js_string_to_number(unsigned))
        } else {
            return None;
        };
    Some(if negative { -magnitude } else { magnitude })
}

/// Powers of ten that are exact doubles.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The value of a decimal literal whose digits form an integer of at most
/// 2^53 and whose decimal exponent is within ±22: that integer and that
/// power of ten are exact doubles, so one multiplication or division gives
/// the correctly rounded value (Clinger's fast path). `None` otherwise.
fn exact_short(literal: &str) -> Option<f64> {
    let (number, exponent) = match literal.find(['e', 'E']) {
        Some(at) => (
            literal.get(..at)?,
            literal.get(at + 1..)?.parse::<i32>().ok()?,
        ),
        None => (literal, 0),
    };
    let mut mantissa: u64 = 0;
    let mut scale = exponent;
    let mut after_point = false;
    for byte in number.bytes() {
        if byte == b'.' {
            after_point = true;
            continue;
        }
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(u64::from(byte - b'0'))?;
        if after_point {
            scale = scale.checked_sub(1)?;
        }
    }
    if mantissa > 1 << 53 {
        return None;
    }
    let value = mantissa as f64;
    let power = POW10.get(usize::try_from(scale.unsigned_abs()).ok()?)?;
    Some(if scale < 0 {
        value / power
    } else {
        value * power
    })
}

/// `n.to_string()` for an `f64`: the shortest digits that round-trip, in
/// plain notation (`1000000000000000000000`, `0.0000001`), `-0` for
/// negative zero, `inf`, `-inf` and `NaN`.
pub(crate) fn display_f64(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    let sign = if n.is_sign_negative() { "-" } else { "" };
    if n.is_infinite() {
        return format!("{sign}inf");
    }
    let (digits, point) = shortest_digits(n.abs());
    let zeros = |count: i64| "0".repeat(usize::try_from(count).unwrap_or(0));
    let len = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    if point <= 0 {
        format!("{sign}0.{}{digits}", zeros(-point))
    } else if point >= len {
        format!("{sign}{digits}{}", zeros(point - len))
    } else {
        let (int, frac) = digits.split_at(usize::try_from(point).unwrap_or(0));
        format!("{sign}{int}.{frac}")
    }
}

/// The shortest round-trip significant digits of a finite `n >= 0`
/// (no leading or trailing zeros; `"0"` for zero) and the position of the
/// decimal point relative to them: `n = 0.digits × 10^point`. Read from
/// JavaScript's `String(n)`, which prints those digits (`123`, `1.5`,
/// `0.000123`, `1e+21`, `1.5e-7`).
pub(crate) fn shortest_digits(n: f64) -> (String, i64) {
    if n == 0.0 {
        return ("0".to_owned(), 1);
    }
    let text = js_number_string(n);
    let (mantissa, exponent) = match text.split_once('e') {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i64>().unwrap_or(0)),
        None => (text.as_str(), 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int}{frac}");
    let digits = all.trim_start_matches('0');
    let leading = i64::try_from(all.len() - digits.len()).unwrap_or(0);
    let point = i64::try_from(int.len()).unwrap_or(0) + exponent - leading;
    (digits.trim_end_matches('0').to_owned(), point)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Doubles of every magnitude and digit count, with the edge cases.
    fn samples() -> Vec<f64> {
        let mut out = vec![
            0.0,
            -0.0,
            1.0,
            0.1,
            0.3,
            1e21,
            1e22,
            1e23,
            1e-7,
            123456.789,
            9007199254740993.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            2.225_073_858_507_201e-308,
            f64::EPSILON,
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            // xorshift64*: random bit patterns cover every exponent.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let bits = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
            let n = f64::from_bits(bits);
            if n.is_finite() {
                out.push(n);
                out.push((n.abs().log10().fract() * 1e6).round() / 1e3);
            }
        }
        out
    }

    #[test]
    fn display_is_rusts() {
        for n in samples()
            .into_iter()
            .chain([f64::INFINITY, f64::NEG_INFINITY, f64::NAN])
        {
            assert_eq!(display_f64(n), n.to_string(), "{n:e}");
        }
    }

    #[test]
    fn shortest_digits_are_those_of_lower_exp() {
        for n in samples() {
            let sci = format!("{:e}", n.abs());
            let (mantissa, exponent) = sci.split_once('e').unwrap();
            let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
            let expected = (digits, exponent.parse::<i64>().unwrap() + 1);
            assert_eq!(shortest_digits(n.abs()), expected, "{n:e}");
        }
    }

    #[test]
    fn parse_is_rusts() {
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "+0",
            "1",
            "1.",
            ".5",
            "-.5",
            "+1.5e3",
            "1E-3",
            "007.50",
            "1e400",
            "-1e400",
            "1e-400",
            "9007199254740993",
            "9007199254740992",
            "18446744073709551616",
            "123456789012345678901234567890e-10",
            "2.2250738585072011e-308",
            "1.7976931348623159e308",
            "0.1",
            "0.3",
            "1e22",
            "1e23",
            "123456789e-22",
            "123456789e-23",
            "4.5e15",
            "1e99999999999",
            "inf",
            "-Infinity",
            "INF",
            "nan",
            "-NaN",
            "",
            ".",
            "-",
            "+",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            " 1",
            "1 ",
            "0x10",
            "1_0",
            "infinit",
            "--1",
            "+-1",
            "1e5.5",
            "١",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        for n in samples() {
            texts.push(n.to_string());
            texts.push(format!("{n:e}"));
            texts.push(format!("{n:.3}"));
        }
        for text in texts {
            let expected = text.parse::<f64>().ok();
            let got = parse_f64(&text);
            match (expected, got) {
                (Some(e), Some(g)) if e.is_nan() => assert!(g.is_nan(), "{text:?}"),
                (Some(e), Some(g)) => {
                    assert_eq!(e.to_bits(), g.to_bits(), "{text:?}: {e:e} vs {g:e}")
                }
                (None, None) => {}
                _ => panic!("{text:?}: {expected:?} vs {got:?}"),
            }
        }
    }
}
