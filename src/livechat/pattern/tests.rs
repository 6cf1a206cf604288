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
        ("(?-s:a)", "inline modifiers"),
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
    // The limit counts characters, not bytes nor UTF-16 units.
    for c in ["é", "€", "😀"] {
        assert!(
            Pattern::compile(&c.repeat(MAX_PATTERN_CHARS)).is_ok(),
            "{c}"
        );
        let over = c.repeat(MAX_PATTERN_CHARS + 1);
        assert_eq!(code(&over), "pattern_too_large", "{c}");
    }
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

/// (pattern, URL, what `new RegExp(pattern, 'g').test(url)` says in V8),
/// by construct.
const VERDICTS: &[(&str, &str, bool)] = &[
    ("a", "a", true),
    ("a", "b", false),
    ("a", "", false),
    ("abc", "xabcx", true),
    ("abc", "ab", false),
    ("abc", "ABC", false),
    ("\\/path\\/", "/path/", true),
    ("\\.", ".", true),
    ("\\.", "a", false),
    ("\\-", "-", true),
    ("\\p{L}", "p{L}", true),
    ("\\p{L}", "L", false),
    ("\\P", "P", true),
    ("\\<\\>", "<>", true),
    ("\\a\\e\\z", "aez", true),
    ("\\ ", " ", true),
    ("\\\u{e9}", "\u{e9}", true),
    ("a b#c", "a b#c", true),
    ("%20", "a%20b", true),
    ("\\t\\n\\v\\f\\r", "\u{9}\u{a}\u{b}\u{c}\u{d}", true),
    ("\\0", "\u{0}", true),
    ("\\0", "0", false),
    ("\\00", "\u{0}", true),
    ("\\00", "00", false),
    ("\\08", "\u{0}8", true),
    ("\\08", "08", false),
    ("\\07", "\u{7}", true),
    ("\\377", "\u{ff}", true),
    ("\\400", " 0", true),
    ("\\400", "400", false),
    ("\\18", "\u{1}8", true),
    ("\\8", "8", true),
    ("\\9", "9", true),
    ("\\101", "A", true),
    ("\\1", "\u{1}", true),
    ("\\1", "1", false),
    ("\\x41", "A", true),
    ("\\x4", "x4", true),
    ("\\xZ", "xZ", true),
    ("\\x", "x", true),
    ("\\u0041", "A", true),
    ("\\u004", "u004", true),
    ("\\u{41}", "A", false),
    ("\\u{41}", "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu", true),
    ("\\u{41}", "u{41}", false),
    ("\\cJ", "\u{a}", true),
    ("\\cj", "\u{a}", true),
    ("\\c1", "\\c1", true),
    ("\\c1", "\u{11}", false),
    ("\\c", "\\c", true),
    ("\\c_", "\\c_", true),
    ("[\\cJ]", "\u{a}", true),
    ("[\\c1]", "\u{11}", true),
    ("[\\c1]", "c", false),
    ("[\\c_]", "\u{1f}", true),
    ("[\\c*]", "\\", true),
    ("[\\c*]", "c", true),
    ("[\\c*]", "*", true),
    ("[abc]", "b", true),
    ("[abc]", "d", false),
    ("[^abc]", "b", false),
    ("[^abc]", "d", true),
    ("[^abc]", "", false),
    ("[a-c]", "b", true),
    ("[a-c]", "d", false),
    ("[a-]", "-", true),
    ("[a-]", "b", false),
    ("[-a]", "-", true),
    ("[\\d-z]", "-", true),
    ("[\\d-z]", "5", true),
    ("[\\d-z]", "y", false),
    ("[\\d-z]", "z", true),
    ("[\\w-]", "-", true),
    ("[\\w-]", "_", true),
    ("[%-\\d]", "&", false),
    ("[%-\\d]", "%", true),
    ("[%-\\d]", "-", true),
    ("[%-\\d]", "3", true),
    ("[]", "", false),
    ("[]", "a", false),
    ("[^]", "", false),
    ("[^]", "a", true),
    ("[^]", "\u{a}", true),
    ("[]]", "]", false),
    ("[]]", "", false),
    ("[\\]]", "]", true),
    ("[\\b]", "\u{8}", true),
    ("[\\b]", "b", false),
    ("[\\-]", "-", true),
    ("[\\d]", "7", true),
    ("[\\d]", "a", false),
    ("[\\D]", "7", false),
    ("[\\D]", "a", true),
    ("[^\\D]", "7", true),
    ("[^\\D]", "a", false),
    ("[\\s]", " ", true),
    ("[\\s]", "\u{a0}", true),
    ("[\\s]", "a", false),
    ("[\\S]", " ", false),
    ("[\\S]", "a", true),
    ("[\\w]", "_", true),
    ("[\\w]", "-", false),
    ("[\\W]", "_", false),
    ("[\\W]", "-", true),
    ("[\\s\\S]", "\u{a}", true),
    ("[\\s\\S]", "x", true),
    ("[^\\s\\S]", "\u{a}", false),
    ("[^\\s\\S]", "x", false),
    ("[.]", ".", true),
    ("[.]", "a", false),
    ("[$^]", "$", true),
    ("[$^]", "^", true),
    ("[$^]", "a", false),
    ("[\\1]", "\u{1}", true),
    ("[\\1]", "1", false),
    ("[\\01]", "\u{1}", true),
    ("[\\8]", "8", true),
    ("[[:alpha:]]", "a]", true),
    ("[[:alpha:]]", "b", false),
    ("[[:alpha:]]", ":]", true),
    ("[a-a]", "a", true),
    ("[\\x41-\\x43]", "B", true),
    ("[\\x41-\\x43]", "D", false),
    ("[\\u0100-\\uffff]", "\u{e9}", false),
    ("[\\u0100-\\uffff]", "\u{100}", true),
    ("[\\u0100-\\uffff]", "\u{1f600}", true),
    ("\\d", "1", true),
    ("\\d", "x", false),
    ("\\d", "\u{663}", false),
    ("\\D", "1", false),
    ("\\D", "x", true),
    ("\\w", "_", true),
    ("\\w", "\u{e9}", false),
    ("\\W", "_", false),
    ("\\W", "\u{e9}", true),
    ("\\s", " ", true),
    ("\\s", "\u{9}", true),
    ("\\s", "\u{a0}", true),
    ("\\s", "\u{1680}", true),
    ("\\s", "\u{2000}", true),
    ("\\s", "\u{200a}", true),
    ("\\s", "\u{2028}", true),
    ("\\s", "\u{2029}", true),
    ("\\s", "\u{202f}", true),
    ("\\s", "\u{205f}", true),
    ("\\s", "\u{3000}", true),
    ("\\s", "\u{feff}", true),
    ("\\s", "\u{180e}", false),
    ("\\s", "\u{200b}", false),
    ("\\s", "\u{85}", false),
    ("\\s", "x", false),
    ("\\S", " ", false),
    ("\\S", "\u{3000}", false),
    ("\\S", "x", true),
    (".", "a", true),
    (".", "\u{a}", false),
    (".", "\u{d}", false),
    (".", "\u{2028}", false),
    (".", "\u{2029}", false),
    (".", "\u{85}", true),
    (".", "\u{1f600}", true),
    (".", "", false),
    ("^.$", "\u{1f600}", false),
    ("^.$", "a", true),
    ("^..$", "\u{1f600}", true),
    ("^[^]$", "\u{a}", true),
    ("a.c", "abc", true),
    ("a.c", "a\u{a}c", false),
    ("^a", "ab", true),
    ("^a", "ba", false),
    ("^a", "b\u{a}a", false),
    ("a$", "ba", true),
    ("a$", "ab", false),
    ("a$", "a\u{a}b", false),
    ("^$", "", true),
    ("^$", "a", false),
    ("$^", "", true),
    ("$^", "a", false),
    ("a^", "a", false),
    ("^a$", "a", true),
    ("^a$", "a\u{a}a", false),
    ("(^|x)a", "a", true),
    ("(^|x)a", "xa", true),
    ("(^|x)a", "ya", false),
    ("a(^|$)", "a", true),
    ("a(^|$)", "ab", false),
    ("^^a$$", "a", true),
    ("\\bab\\b", "ab", true),
    ("\\bab\\b", "x ab.", true),
    ("\\bab\\b", "xab", false),
    ("\\Bb\\B", "abc", true),
    ("\\Bb\\B", "b", false),
    ("\\Bb\\B", "ab", false),
    ("\\b", "", false),
    ("\\b", " ", false),
    ("\\b", "a", true),
    ("\\B", "", true),
    ("\\B", "a", false),
    ("\\B", " ", true),
    ("\\b\u{e9}", "\u{e9}", false),
    ("\\b\u{e9}", "a\u{e9}", true),
    ("\u{e9}\\b", "\u{e9}a", true),
    ("\u{e9}\\b", "\u{e9}", false),
    ("a\\b_", "a_", false),
    ("1\\b-", "1-", true),
    ("a*", "", true),
    ("a*", "b", true),
    ("ba+", "b", false),
    ("ba+", "ba", true),
    ("^a?b$", "b", true),
    ("^a?b$", "ab", true),
    ("^a?b$", "aab", false),
    ("^a{2}$", "a", false),
    ("^a{2}$", "aa", true),
    ("^a{2}$", "aaa", false),
    ("^a{2,}$", "a", false),
    ("^a{2,}$", "aa", true),
    ("^a{2,}$", "aaaaa", true),
    ("^a{2,3}$", "a", false),
    ("^a{2,3}$", "aa", true),
    ("^a{2,3}$", "aaa", true),
    ("^a{2,3}$", "aaaa", false),
    ("^ba{0}$", "b", true),
    ("^ba{0}$", "ba", false),
    ("^ba{0,0}$", "b", true),
    ("a{,2}", "a{,2}", true),
    ("a{,2}", "aa", false),
    ("^a{2,3}?$", "aaa", true),
    ("^a+?$", "aaa", true),
    ("a*?b", "b", true),
    ("x{", "x{", true),
    ("x{1", "x{1", true),
    ("x{1,", "x{1,", true),
    ("x{a}", "x{a}", true),
    ("}", "}", true),
    ("a{1}{", "a{", true),
    ("^a??b$", "b", true),
    ("^a??b$", "ab", true),
    ("^(?:ab){2,3}$", "ab", false),
    ("^(?:ab){2,3}$", "abab", true),
    ("^(?:ab){2,3}$", "abababab", false),
    ("^a{1,1}$", "a", true),
    ("a|b", "b", true),
    ("a|b", "c", false),
    ("|a", "", true),
    ("|a", "x", true),
    ("a|", "", true),
    ("^(ab|cd)$", "cd", true),
    ("^(ab|cd)$", "abcd", false),
    ("(a|b)c", "bc", true),
    ("(a|b)c", "ac", true),
    ("(a|b)c", "cc", false),
    ("^a(|b)c$", "ac", true),
    ("^a(|b)c$", "abc", true),
    ("^a(|b)c$", "abbc", false),
    ("^(a)$", "a", true),
    ("^(?:a)$", "a", true),
    ("^(?<n>a)$", "a", true),
    ("^((a))$", "a", true),
    ("^(a)*$", "", true),
    ("^(a)*$", "aaa", true),
    ("^(a)*$", "ab", false),
    ("()", "", true),
    ("(?:)+", "", true),
    ("^(a|)+$", "", true),
    ("^(a|)+$", "aa", true),
    ("^(a|)+$", "b", false),
    ("^(?:a|ab)(?:c|bcd)$", "abcd", true),
    ("^(?:a|ab)(?:c|bcd)$", "abc", true),
    ("^(?:a|ab)(?:c|bcd)$", "ac", true),
    ("^(a|b|c|d)+e$", "abcde", true),
    ("^(a|b|c|d)+e$", "abcd", false),
    ("(a+)+b", "aaab", true),
    ("(a+)+b", "aaa", false),
    ("^(a*)*$", "", true),
    ("^(a*)*$", "aaaa", true),
    ("^(a*)*$", "ab", false),
    ("^(a{2}){2}$", "aaaa", true),
    ("^(a{2}){2}$", "aaa", false),
    ("^(ab){1,2}c$", "abc", true),
    ("^(ab){1,2}c$", "ababc", true),
    ("^(ab){1,2}c$", "abababc", false),
    ("^(?:a|b){3}$", "aba", true),
    ("^(?:a|b){3}$", "ab", false),
    ("^(?:a|b){3}$", "abab", false),
    ("^(a?){5}a{5}$", "aaaaa", true),
    ("^(a?){5}a{5}$", "aaaaaaaaaa", true),
    ("^(a?){5}a{5}$", "aaaa", false),
    ("^(a?){5}a{5}$", "aaaaaaaaaaa", false),
    ("^(?:(?:a{2}){2}){2}$", "aaaaaaaa", true),
    ("^(?:(?:a{2}){2}){2}$", "aaaaaaa", false),
    ("^(?:a*b*)*c", "ababbac", true),
    ("^(?:a*b*)*c", "abababc", true),
    ("\u{1f600}", "x\u{1f600}y", true),
    ("\u{1f600}", "x", false),
    ("^.{2}$", "\u{1f600}", true),
    ("^.{2}$", "ab", true),
    ("^.{2}$", "a", false),
    ("\\uD83D", "\u{1f600}", true),
    ("\\uD83D", "\u{1f601}", true),
    ("\\uD83D", "a", false),
    ("\\uDE00$", "a\u{1f600}", true),
    ("\\uDE00$", "a\u{1f601}", false),
    ("[\\uD83D][\\uDE00]", "\u{1f600}", true),
    ("\u{1f600}+", "\u{1f600}\u{1f600}", true),
    ("^\u{1f600}+$", "\u{1f600}\u{1f600}", false),
    ("^\u{1f600}+$", "\u{1f600}", true),
    ("^(?:\u{1f600})+$", "\u{1f600}\u{1f600}", true),
    ("[\u{1f600}]", "\u{1f600}", true),
    ("[\u{1f600}]", "\u{1f601}", true),
    ("[\u{1f600}]", "x", false),
    ("^[\u{1f600}]$", "\u{1f600}", false),
    ("^[^\u{1f600}]{2}$", "\u{1f600}", false),
    ("^[^\u{1f600}]{2}$", "\u{1f601}", false),
    ("^[^\u{1f600}]{2}$", "ab", true),
    ("[\\uD800-\\uDBFF]", "\u{1f600}", true),
    ("[\\uD800-\\uDBFF]", "a", false),
    ("\\uD83D\\uDE00", "\u{1f600}", true),
    ("^\\uD83D.$", "\u{1f600}", true),
    ("\\b\u{e9}\\b", "\u{e9}", false),
    ("\\W\\W", "\u{1f600}", true),
    ("^\\S$", "\u{1f600}", false),
    ("^\\S\\S$", "\u{1f600}", true),
    (
        "^https://shop\\.example/(cart|checkout)/\\d+$",
        "https://shop.example/cart/12",
        true,
    ),
    (
        "^https://shop\\.example/(cart|checkout)/\\d+$",
        "https://shop.example/cart/12/x",
        false,
    ),
    (
        "[?&]utm_source=(mail|ads)(&|$)",
        "https://a.b/?x=1&utm_source=ads",
        true,
    ),
    (
        "[?&]utm_source=(mail|ads)(&|$)",
        "https://a.b/?utm_source=adsx",
        false,
    ),
    (
        "/blog/\\d{4}/post-\\d+",
        "https://a.b/blog/2024/post-7",
        true,
    ),
    (
        "/blog/\\d{4}/post-\\d+",
        "https://a.b/blog/24/post-7",
        false,
    ),
    ("example.com", "https://exampleXcom/", true),
    ("#section-[a-z]+$", "https://a.b/#section-intro", true),
];

#[test]
fn every_construct_matches_as_in_javascript() {
    for &(pattern, url, expected) in VERDICTS {
        assert_eq!(matches(pattern, url), expected, "/{pattern}/ on {url:?}");
    }
}

/// (pattern, code): V8 throws exactly on the `pattern_syntax` ones.
const CODES: &[(&str, &str)] = &[
    ("(", "pattern_syntax"),
    (")", "pattern_syntax"),
    ("a)", "pattern_syntax"),
    ("[a", "pattern_syntax"),
    ("[", "pattern_syntax"),
    ("[^", "pattern_syntax"),
    ("[\\", "pattern_syntax"),
    ("*a", "pattern_syntax"),
    ("+", "pattern_syntax"),
    ("?", "pattern_syntax"),
    ("a**", "pattern_syntax"),
    ("a+*", "pattern_syntax"),
    ("a???", "pattern_syntax"),
    ("a{2}{3}", "pattern_syntax"),
    ("{1}", "pattern_syntax"),
    ("{1,2}", "pattern_syntax"),
    ("^*", "pattern_syntax"),
    ("$+", "pattern_syntax"),
    ("\\b+", "pattern_syntax"),
    ("\\B{2}", "pattern_syntax"),
    ("a|*", "pattern_syntax"),
    ("(*)", "pattern_syntax"),
    ("(?<=a)*", "pattern_syntax"),
    ("(?<!a)+", "pattern_syntax"),
    ("[z-a]", "pattern_syntax"),
    ("[\\x43-\\x41]", "pattern_syntax"),
    ("[😀-😂]", "pattern_syntax"),
    ("a{3,2}", "pattern_syntax"),
    ("(?a)", "pattern_syntax"),
    ("(?i)", "pattern_syntax"),
    ("(?)", "pattern_syntax"),
    ("(?<1>a)", "pattern_syntax"),
    ("(?<>a)", "pattern_syntax"),
    ("(?<a", "pattern_syntax"),
    ("(?<a-b>x)", "pattern_syntax"),
    ("\\", "pattern_syntax"),
    ("a\\", "pattern_syntax"),
    ("(?<x>a)\\k", "pattern_syntax"),
    ("(?<x>a)\\k<y>", "pattern_syntax"),
    ("(?<x>a)\\k<x", "pattern_syntax"),
    ("(?<x>a)(?<x>b)", "pattern_syntax"),
    ("((a)", "pattern_syntax"),
    ("(a))", "pattern_syntax"),
    ("(?<x>a)(?<y>b)", "ok"),
    ("(?<$_é>a)", "ok"),
    ("\\k", "ok"),
    ("\\k<x>", "ok"),
    ("(?=a)*", "pattern_unsupported"),
    ("(?!a){2}", "pattern_unsupported"),
    ("[(?=]", "ok"),
    ("\\(?!x", "ok"),
    ("[\\1]", "ok"),
    ("(a)[\\1]", "ok"),
    ("\\2(a)", "ok"),
    ("(a)\\2", "ok"),
    ("a{,}", "ok"),
    ("a{1,2", "ok"),
    ("{", "ok"),
    ("{}", "ok"),
    ("{,1}", "ok"),
    ("x{2,3}?", "ok"),
    ("(?:)", "ok"),
    ("()", "ok"),
    ("|", "ok"),
    ("[]", "ok"),
    ("[^]", "ok"),
    ("\\u{110000}", "pattern_too_large"),
    ("\\uD800", "ok"),
    ("[\\d-\\w]", "ok"),
    ("\\c", "ok"),
    ("\\08", "ok"),
    ("(?=a)", "pattern_unsupported"),
    ("(?!a)", "pattern_unsupported"),
    ("(?<=a)", "pattern_unsupported"),
    ("(?<!a)", "pattern_unsupported"),
    ("(a)\\1", "pattern_unsupported"),
    ("\\1(a)", "pattern_unsupported"),
    ("(((((((((((a)))))))))))\\11", "pattern_unsupported"),
    ("(?<n>a)\\k<n>", "pattern_unsupported"),
    ("\\k<n>(?<n>a)", "pattern_unsupported"),
    ("(a)(?=b)(", "pattern_syntax"),
    ("(?=a)[", "pattern_syntax"),
    // Group names: escapes and surrogate pairs decode as in JavaScript.
    ("(?<\\u0061>x)", "ok"),
    ("(?<\\u{61}b>x)\\k<ab>", "pattern_unsupported"),
    ("(?<a\\u200Db>x)", "ok"),
    ("(?<😀>x)", "pattern_syntax"),
    ("(?<\\uD835\\uDC9C>x)", "ok"),
    ("(?<𝒜>x)\\k<\\uD835\\uDC9C>", "pattern_unsupported"),
    ("(?<a>x)\\k<\\u0061>", "pattern_unsupported"),
    ("(?<\\u{}>x)", "pattern_syntax"),
    ("(?<\\x61>x)", "pattern_syntax"),
    ("(?<a\\u{110000}>x)", "pattern_syntax"),
    ("(?<é1>x)", "ok"),
    ("(?<1a>x)", "pattern_syntax"),
    ("(?<a b>x)", "pattern_syntax"),
    ("(?<a>x)\\k<a b>", "pattern_syntax"),
    ("(?<a>x)[\\k]", "pattern_syntax"),
    ("[\\k]", "ok"),
];

#[test]
fn every_construct_is_accepted_or_refused_as_in_javascript() {
    for &(pattern, expected) in CODES {
        assert_eq!(code(pattern), expected, "/{pattern}/");
    }
}

#[test]
fn errors_point_at_the_construct() {
    for (pattern, message, at) in [
        ("ab)", "unmatched ')'", 2),
        ("a(b", "unterminated group", 3),
        ("a**", "nothing to repeat", 2),
        ("a|{2}", "nothing to repeat", 2),
        ("x[z-a]", "range out of order in character class", 3),
        ("a{3,2}", "numbers out of order in {} quantifier", 1),
        ("x(?a)", "invalid group", 1),
        ("(?<1>a)", "invalid capture group name", 0),
        ("(?<n>a)(?<n>b)", "duplicate capture group name", 0),
        ("x\\", "\\ at end of pattern", 1),
        ("(?<n>a)\\k<m>", "invalid named reference", 7),
        ("ab[c", "unterminated character class", 2),
        // Offsets count UTF-16 code units, as JavaScript string indices do.
        ("😀(", "unterminated group", 3),
    ] {
        assert_eq!(
            Pattern::compile(pattern).err(),
            Some(PatternError::Syntax {
                message: message.to_owned(),
                at
            }),
            "/{pattern}/"
        );
    }
    for (pattern, at) in [("ab(?=c)", 2), ("a(b)\\1", 4), ("😀(?<!x)", 2)] {
        assert!(
            matches!(Pattern::compile(pattern), Err(PatternError::Unsupported { at: a, .. }) if a == at),
            "/{pattern}/"
        );
    }
}

#[test]
fn counted_repetition_is_expanded_within_the_limit() {
    assert!(matches(&format!("^a{{{0}}}$", 5000), &"a".repeat(5000)));
    assert!(!matches(&format!("^a{{{0}}}$", 5000), &"a".repeat(4999)));
    assert!(matches("^(?:ab|c){2,500}$", &"abc".repeat(200)));
    assert_eq!(code("a{9000}"), "pattern_too_large");
    assert_eq!(code("(?:a{300}){300}"), "pattern_too_large");
    assert_eq!(code("[^a]{1000}[\\s\\S]{9000}"), "pattern_too_large");
    // Repeating what matches only the empty string costs nothing.
    assert!(matches("^(?:(?:){4294967295}){4294967295}$", ""));
    // So does a count of zero.
    assert!(matches("^(?:a{8000}){0}b", "b"));
}

#[test]
fn nesting_is_bounded_and_never_overflows() {
    let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
    assert!(matches(&deep, "a"));
    let nested = format!("{}a{}", "(?:".repeat(100), ")*".repeat(100));
    assert!(matches(&nested, "aaa"));
    assert_eq!(
        code(&format!("{}a{}", "(".repeat(101), ")".repeat(101))),
        "pattern_too_large"
    );
}

#[test]
fn hostile_patterns_take_linear_time() {
    let long = "a".repeat(50_000);
    let started = std::time::Instant::now();
    let spoiled = format!("{long}!");
    for (pattern, on_spoiled) in [
        ("(a+)+$", false),
        ("(a|a)+$", false),
        ("(a|aa)+$", false),
        ("(.*a){12}$", false),
        ("(a*)*$", true),
        ("^(a?){30}a{30}", true),
        ("^(a|aa)+$", false),
    ] {
        let compiled = Pattern::compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        assert!(compiled.is_match(&long), "{pattern}");
        assert_eq!(compiled.is_match(&spoiled), on_spoiled, "{pattern}");
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_compiled_pattern_is_reused_and_cloned_safely() {
    let pattern = Pattern::compile(r"/item/\d+$").unwrap_or_else(|e| panic!("{e}"));
    let copy = pattern.clone();
    for n in 0..100 {
        let url = format!("https://a.b/item/{n}");
        assert!(pattern.is_match(&url) && copy.is_match(&url));
        assert!(!pattern.is_match(&format!("{url}/x")));
    }
}

#[test]
fn check_pattern_agrees_with_compile() {
    assert_eq!(check_pattern("a(b"), Err(code_of("a(b")));
    assert_eq!(check_pattern("a(b)"), Ok(()));
}

fn code_of(pattern: &str) -> PatternError {
    match Pattern::compile(pattern) {
        Ok(_) => panic!("{pattern} compiles"),
        Err(e) => e,
    }
}

#[test]
fn literal_search_agrees_with_str_contains() {
    let texts = [
        "",
        "a",
        "aa",
        "aaab",
        "abaabab",
        "ababab",
        "abcabcabd",
        "xx\u{e9}\u{1F600}yy",
        "aabaabaaa",
    ];
    let needles = [
        "a",
        "aa",
        "aaa",
        "aab",
        "abab",
        "abcabd",
        "\u{e9}",
        "\u{1F600}y",
        "aabaaa",
        "baab",
    ];
    for text in texts {
        for needle in needles {
            let literal = super::Literal::new(needle.as_bytes().to_vec());
            assert_eq!(
                literal.is_in(text.as_bytes()),
                text.contains(needle),
                "{needle:?} in {text:?}"
            );
        }
    }
}

#[test]
fn literal_search_is_linear_on_near_misses() {
    let url = "a".repeat(200_000);
    let needle = format!("{}b", "a".repeat(5_000));
    let literal = super::Literal::new(needle.into_bytes());
    let started = std::time::Instant::now();
    assert!(!literal.is_in(url.as_bytes()));
    assert!(started.elapsed().as_secs() < 2);
}
