//! Table-driven tests of the CEL-subset filter language: literals, every
//! operator and function, precedence, CEL's type rules and error
//! absorption, unicode, and the bounds (length, depth), plus the positions
//! of syntax errors.
#![cfg(feature = "validators")]

use triggerkit::filter::{CelValue, Filter, MAX_DEPTH, MAX_LENGTH};
use triggerkit::json::{Map, Value};
use CelValue::{Bool, Bytes, Double, Int, Null, Uint};

/// The filter's JSON data written in serde_json's `json!` notation.
macro_rules! json {
    ($($t:tt)+) => {
        to_data(&serde_json::json!($($t)+))
    };
}

/// The crate's JSON data of a serde_json value, through its text.
fn to_data(value: &serde_json::Value) -> Value {
    triggerkit::json::parse(&value.to_string()).expect("serde_json's text parses")
}

/// An object of one member.
fn object(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

fn data() -> Value {
    json!({
        "event": {
            "name": "purchase",
            "properties": {
                "plan": "pro", "amount": 150, "count": 3, "ratio": 0.5,
                "tags": ["new", "promo"], "e-mail": "x@y.z", "nested": {"k": null},
                "big": 9007199254740993u64
            }
        },
        "customer": {"id": "c1", "email": "Ann@Example.com", "name": "Zoë", "vip": true},
        "customer_id": "c1",
        "s": "héllo",
        "list": [1, 2, 3],
        "empty": {},
        "nothing": null
    })
}

fn s(text: &str) -> CelValue {
    CelValue::String(text.to_owned())
}

fn eval(expr: &str) -> Result<CelValue, String> {
    let filter = Filter::compile(expr).map_err(|e| format!("syntax {}: {}", e.code(), e))?;
    filter
        .evaluate_value(&data())
        .map_err(|e| e.code().to_owned())
}

fn check_values(cases: &[(&str, CelValue)]) {
    let mut failures = Vec::new();
    for (expr, want) in cases {
        match eval(expr) {
            Ok(got) if &got == want => {}
            other => failures.push(format!("{expr}: want {want:?}, got {other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_errors(cases: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for (expr, code) in cases {
        match eval(expr) {
            Err(got) if got == *code => {}
            other => failures.push(format!("{expr}: want error {code}, got {other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_syntax(cases: &[(&str, &str, usize, usize)]) {
    let mut failures = Vec::new();
    for (expr, code, line, column) in cases {
        match Filter::compile(expr) {
            Err(e) if e.code() == *code && e.line == *line && e.column == *column => {}
            Err(e) => failures.push(format!(
                "{expr:?}: want {code} at {line}:{column}, got {} at {}:{} ({})",
                e.code(),
                e.line,
                e.column,
                e.message
            )),
            Ok(_) => failures.push(format!("{expr:?}: compiled, want {code}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn literals() {
    check_values(&[
        ("0", Int(0)),
        ("42", Int(42)),
        ("007", Int(7)),
        ("-7", Int(-7)),
        ("0x1F", Int(31)),
        ("-0x10", Int(-16)),
        ("9223372036854775807", Int(i64::MAX)),
        ("-9223372036854775808", Int(i64::MIN)),
        ("1u", Uint(1)),
        ("0xFFu", Uint(255)),
        ("18446744073709551615u", Uint(u64::MAX)),
        ("1.5", Double(1.5)),
        (".5", Double(0.5)),
        ("1e3", Double(1000.0)),
        ("2.5E-1", Double(0.25)),
        ("-1.5", Double(-1.5)),
        ("true", Bool(true)),
        ("false", Bool(false)),
        ("null", Null),
        ("'single'", s("single")),
        ("\"double\"", s("double")),
        ("'''tri\nple'''", s("tri\nple")),
        ("\"\"\"say \"hi\" \"\"\"", s("say \"hi\" ")),
        (r"r'raw\n'", s("raw\\n")),
        (r#"R"a\d+""#, s("a\\d+")),
        (
            r#"'\a\b\f\n\r\t\v\\\'\"\?\`'"#,
            s("\x07\x08\x0c\n\r\t\x0b\\'\"?`"),
        ),
        (r"'\x41\101\u00e9\U0001F600'", s("AAé😀")),
        (r"'\xff'", s("\u{ff}")),
        (r"b'\xff\000'", Bytes(vec![0xff, 0])),
        ("b'á'", Bytes("á".as_bytes().to_vec())),
        (r"b'\u00FF'", Bytes(vec![0xc3, 0xbf])),
        (r"br'\x'", Bytes(b"\\x".to_vec())),
        ("[]", CelValue::List(vec![])),
        (
            "[1, 'a', [true],]",
            CelValue::List(vec![Int(1), s("a"), CelValue::List(vec![Bool(true)])]),
        ),
        ("{}", CelValue::Map(vec![])),
        (
            "{'a': 1, 2: 'b', true: null,}",
            CelValue::Map(vec![(s("a"), Int(1)), (Int(2), s("b")), (Bool(true), Null)]),
        ),
        ("// comment\n 1 // trailing", Int(1)),
    ]);
}

#[test]
fn paths_and_variables() {
    check_values(&[
        ("event.name", s("purchase")),
        ("event.properties.plan", s("pro")),
        ("event['properties']['plan']", s("pro")),
        ("event.properties['e-mail']", s("x@y.z")),
        ("event.properties.tags[0]", s("new")),
        ("event.properties.tags[1u]", s("promo")),
        ("event.properties.tags[1.0]", s("promo")),
        ("list[2]", Double(3.0)),
        ("event.properties.nested.k", Null),
        ("nothing", Null),
        (".customer_id", s("c1")),
        ("{'a': {'b': 1}}.a.b", Int(1)),
        ("[[1, 2], [3]][0][1]", Int(2)),
        ("{1: 'one'}[1u]", s("one")),
        ("{1: 'one'}[1.0]", s("one")),
        ("{true: 'yes'}[true]", s("yes")),
        ("[event.name, 1][0]", s("purchase")),
        ("{event.name: customer.id}['purchase']", s("c1")),
    ]);
    check_errors(&[
        ("event.missing", "no_such_key"),
        ("event.properties['nope']", "no_such_key"),
        ("event.properties.plan.x", "no_matching_overload"),
        ("missing", "unknown_variable"),
        ("missing.x", "unknown_variable"),
        ("list[3]", "index_out_of_range"),
        ("list[-1]", "index_out_of_range"),
        ("list[0.5]", "no_matching_overload"),
        ("list['0']", "no_matching_overload"),
        ("event[1]", "no_such_key"),
        ("event[null]", "no_such_key"),
        ("{'a': 1}[[1]]", "no_such_key"),
        ("'abc'[0]", "no_matching_overload"),
        ("nothing.x", "no_matching_overload"),
        ("{'a': 1}.b", "no_such_key"),
        ("{1: 'one'}[2]", "no_such_key"),
        ("{[1]: 2}", "invalid_argument"),
        ("{1.5: 2}", "invalid_argument"),
        ("{1: 'a', 1u: 'b'}", "invalid_argument"),
        ("{'k': 1, 'k': 2}", "invalid_argument"),
        ("{customer_id: 1, 'c1': 2}", "invalid_argument"),
    ]);
}

#[test]
fn json_numbers_are_doubles() {
    check_values(&[
        ("event.properties.amount", Double(150.0)),
        ("event.properties.count == 3", Bool(true)),
        ("event.properties.count == 3u", Bool(true)),
        ("event.properties.count > 2", Bool(true)),
        ("event.properties.amount + 1.0", Double(151.0)),
        ("int(event.properties.count) + 1", Int(4)),
        (
            "size(event.properties.tags) == event.properties.tags.size()",
            Bool(true),
        ),
        // 2^53 + 1 does not survive as a double, exactly as in CEL.
        ("event.properties.big == 9007199254740992", Bool(true)),
    ]);
    check_errors(&[("event.properties.count + 1", "no_matching_overload")]);
}

#[test]
fn equality_is_heterogeneous() {
    check_values(&[
        ("1 == 1", Bool(true)),
        ("1 == 1.0", Bool(true)),
        ("1u == 1.0", Bool(true)),
        ("1 == 1u", Bool(true)),
        ("-1 == 18446744073709551615u", Bool(false)),
        ("1 == '1'", Bool(false)),
        ("'1' != 1", Bool(true)),
        ("null == null", Bool(true)),
        ("null == 0", Bool(false)),
        ("null != false", Bool(true)),
        ("true == 1", Bool(false)),
        ("'a' == b'a'", Bool(false)),
        ("b'abc' == b'abc'", Bool(true)),
        ("[1, 2] == [1.0, 2u]", Bool(true)),
        ("[1, 2] == [2, 1]", Bool(false)),
        ("[1] == [1, 1]", Bool(false)),
        ("[[]] == [[]]", Bool(true)),
        ("[1] == {1: 1}", Bool(false)),
        ("{'a': 1, 'b': 2} == {'b': 2.0, 'a': 1u}", Bool(true)),
        ("{'a': 1} == {'a': 2}", Bool(false)),
        ("{'a': 1} == {'b': 1}", Bool(false)),
        ("event.properties.tags == ['new', 'promo']", Bool(true)),
        ("event.properties.nested == {'k': null}", Bool(true)),
        ("empty == {}", Bool(true)),
        ("0.0 / 0.0 == 0.0 / 0.0", Bool(false)),
        ("0.0 / 0.0 != 0.0 / 0.0", Bool(true)),
        ("-0.0 == 0.0", Bool(true)),
        ("9223372036854775807 == 9223372036854775807.0", Bool(false)),
    ]);
    // A double cannot be a map key, so this map literal is an error.
    check_errors(&[("{1: 1} == {1.0: 1}", "invalid_argument")]);
}

#[test]
fn ordering() {
    check_values(&[
        ("1 < 2", Bool(true)),
        ("2 <= 2", Bool(true)),
        ("3 > 2u", Bool(true)),
        ("-1 < 0u", Bool(true)),
        ("1.5 > 1", Bool(true)),
        ("1 >= 1.0", Bool(true)),
        ("2u < 2.5", Bool(true)),
        ("18446744073709551615u > 9223372036854775807", Bool(true)),
        ("-1.0e19 < -9223372036854775808", Bool(true)),
        ("1.0e19 > 9223372036854775807", Bool(true)),
        ("-0.5 < 0u", Bool(true)),
        ("0.0 / 0.0 < 1", Bool(false)),
        ("0.0 / 0.0 >= 1", Bool(false)),
        ("'a' < 'b'", Bool(true)),
        ("'Abc' < 'aBC'", Bool(true)),
        ("'a' < 'á'", Bool(true)),
        ("'abc' < 'abcd'", Bool(true)),
        ("'\u{ffff}' < '😀'", Bool(true)),
        ("b'\\x00' < b'\\x01'", Bool(true)),
        ("false < true", Bool(true)),
        ("true <= true", Bool(true)),
        ("event.properties.amount >= 150", Bool(true)),
    ]);
    check_errors(&[
        ("1 < '2'", "no_matching_overload"),
        ("null < null", "no_matching_overload"),
        ("[0] < [1]", "no_matching_overload"),
        ("{} > {}", "no_matching_overload"),
        ("true < 1", "no_matching_overload"),
        ("'a' < b'a'", "no_matching_overload"),
        ("1 < 2 < 3", "no_matching_overload"),
    ]);
}

#[test]
fn arithmetic() {
    check_values(&[
        ("1 + 2", Int(3)),
        ("10 - 20", Int(-10)),
        ("6 * 7", Int(42)),
        ("7 / 2", Int(3)),
        ("-7 / 2", Int(-3)),
        ("7 % 3", Int(1)),
        ("-7 % 3", Int(-1)),
        ("7 % -3", Int(1)),
        ("3u + 4u", Uint(7)),
        ("10u / 3u", Uint(3)),
        ("10u % 3u", Uint(1)),
        ("1.5 + 1.5", Double(3.0)),
        ("1.0 / 0.0", Double(f64::INFINITY)),
        ("-1.0 / 0.0", Double(f64::NEG_INFINITY)),
        ("2.0 * -0.5", Double(-1.0)),
        ("-(3)", Int(-3)),
        ("-(-3)", Int(3)),
        ("--3", Int(3)),
        ("-(1.5)", Double(-1.5)),
        ("'ab' + 'cd'", s("abcd")),
        ("b'a' + b'b'", Bytes(b"ab".to_vec())),
        ("[1] + [2, 3]", CelValue::List(vec![Int(1), Int(2), Int(3)])),
        (
            "event.properties.tags + ['x']",
            CelValue::List(vec![s("new"), s("promo"), s("x")]),
        ),
        ("[] + []", CelValue::List(vec![])),
        ("9223372036854775807 - 1", Int(9223372036854775806)),
        ("-9223372036854775808 + 1", Int(-9223372036854775807)),
        ("1 + 2 * 3 - 4 / 2 % 3", Int(5)),
        ("(1 + 2) * 3", Int(9)),
        ("2 * 3 % 4", Int(2)),
        ("10 - 2 - 3", Int(5)),
        ("100 / 10 / 5", Int(2)),
    ]);
    check_errors(&[
        ("9223372036854775807 + 1", "overflow"),
        ("-9223372036854775808 - 1", "overflow"),
        ("9223372036854775807 * 2", "overflow"),
        ("-9223372036854775808 / -1", "overflow"),
        ("-9223372036854775808 % -1", "overflow"),
        ("-(-9223372036854775808)", "overflow"),
        ("0u - 1u", "overflow"),
        ("18446744073709551615u + 1u", "overflow"),
        ("18446744073709551615u * 2u", "overflow"),
        ("1 / 0", "division_by_zero"),
        ("1 % 0", "division_by_zero"),
        ("1u / 0u", "division_by_zero"),
        ("1u % 0u", "division_by_zero"),
        ("1 + 1.0", "no_matching_overload"),
        ("1 + 1u", "no_matching_overload"),
        ("1.5 % 1.0", "no_matching_overload"),
        ("'a' + 1", "no_matching_overload"),
        ("'a' - 'a'", "no_matching_overload"),
        ("[1] * 2", "no_matching_overload"),
        ("{} + {}", "no_matching_overload"),
        ("null + null", "no_matching_overload"),
        ("-'a'", "no_matching_overload"),
        ("-1u", "no_matching_overload"),
        ("-true", "no_matching_overload"),
        ("true + true", "no_matching_overload"),
    ]);
}

#[test]
fn logic_and_error_absorption() {
    check_values(&[
        ("true && true", Bool(true)),
        ("true && false", Bool(false)),
        ("false || true", Bool(true)),
        ("false || false", Bool(false)),
        ("!true", Bool(false)),
        ("!!true", Bool(true)),
        ("!(1 == 2)", Bool(true)),
        // Errors are absorbed by the deciding value on either side.
        ("false && missing", Bool(false)),
        ("missing && false", Bool(false)),
        ("1 / 0 == 1 && false", Bool(false)),
        ("true || missing", Bool(true)),
        ("missing || true", Bool(true)),
        ("event.nope == 1 || event.name == 'purchase'", Bool(true)),
        ("'str' && false", Bool(false)),
        ("false && 'str'", Bool(false)),
        ("1 || true", Bool(true)),
        ("missing && true && false", Bool(false)),
        ("missing || false || true", Bool(true)),
        // Precedence: && binds tighter than ||.
        ("true || false && false", Bool(true)),
        ("(true || false) && false", Bool(false)),
        ("false && true || true", Bool(true)),
        ("!false && false", Bool(false)),
    ]);
    check_errors(&[
        ("true && missing", "unknown_variable"),
        ("missing && true", "unknown_variable"),
        ("false || missing", "unknown_variable"),
        ("missing || false", "unknown_variable"),
        ("missing || 1 / 0 == 1", "unknown_variable"),
        ("1 / 0 == 1 || missing", "division_by_zero"),
        ("true && 'str'", "no_matching_overload"),
        ("'str' || false", "no_matching_overload"),
        ("!'a'", "no_matching_overload"),
        ("!1", "no_matching_overload"),
        ("!null", "no_matching_overload"),
    ]);
}

#[test]
fn conditional() {
    check_values(&[
        ("true ? 1 : 2", Int(1)),
        ("false ? 1 : 2", Int(2)),
        ("1 < 2 ? 'yes' : 'no'", s("yes")),
        ("false ? 1 : true ? 2 : 3", Int(2)),
        ("true ? 1 : missing", Int(1)),
        ("false ? missing : 2", Int(2)),
        ("true || false ? 'a' : 'b'", s("a")),
        ("(true ? false : true) ? 1 : 2", Int(2)),
    ]);
    check_errors(&[
        ("1 ? 2 : 3", "no_matching_overload"),
        ("null ? 2 : 3", "no_matching_overload"),
        ("missing ? 1 : 2", "unknown_variable"),
    ]);
}

#[test]
fn membership() {
    check_values(&[
        ("'pro' in ['pro', 'team']", Bool(true)),
        ("'free' in ['pro', 'team']", Bool(false)),
        ("1 in [1.0, 2.0]", Bool(true)),
        ("2u in [1, 2]", Bool(true)),
        ("'1' in [1]", Bool(false)),
        ("[1] in [[1], [2]]", Bool(true)),
        ("null in [null]", Bool(true)),
        ("event.properties.plan in ['pro', 'team']", Bool(true)),
        ("'promo' in event.properties.tags", Bool(true)),
        ("'plan' in event.properties", Bool(true)),
        ("'nope' in event.properties", Bool(false)),
        ("1 in event.properties", Bool(false)),
        ("1 in {1: 'a'}", Bool(true)),
        ("1u in {1: 'a'}", Bool(true)),
        ("1.0 in {1: 'a'}", Bool(true)),
        ("1.5 in {1: 'a'}", Bool(false)),
        ("'a' in {1: 'a'}", Bool(false)),
        ("null in {'a': 1}", Bool(false)),
        ("[1] in {'a': 1}", Bool(false)),
        ("{} in event.properties", Bool(false)),
        ("'k' in {}", Bool(false)),
        ("1 in []", Bool(false)),
        ("'a' in ['b'] || 1 in [1]", Bool(true)),
        ("!('a' in ['b'])", Bool(true)),
    ]);
    check_errors(&[
        ("'a' in 'abc'", "no_matching_overload"),
        ("1 in 1", "no_matching_overload"),
    ]);
}

#[test]
fn has_macro() {
    check_values(&[
        ("has(event.properties)", Bool(true)),
        ("has(event.properties.plan)", Bool(true)),
        ("has(event.properties.nope)", Bool(false)),
        ("has(event.properties.nested.k)", Bool(true)),
        ("has(empty.x)", Bool(false)),
        ("has({'a': 1}.a)", Bool(true)),
        (
            "has(customer.email) && customer.email.endsWith('.com')",
            Bool(true),
        ),
        (
            "has(customer.phone) && customer.phone.startsWith('+1')",
            Bool(false),
        ),
        ("has((event.name).x) || true", Bool(true)),
    ]);
    check_errors(&[
        ("has(event.nope.plan)", "no_such_key"),
        ("has(missing.x)", "unknown_variable"),
        ("has(event.name.x)", "no_matching_overload"),
        ("has(list.x)", "no_matching_overload"),
        ("has(nothing.x)", "no_matching_overload"),
    ]);
}

#[test]
fn size_function() {
    check_values(&[
        ("size('')", Int(0)),
        ("size('abc')", Int(3)),
        ("size('héllo')", Int(5)),
        ("'😀👍'.size()", Int(2)),
        ("size(s)", Int(5)),
        ("customer.name.size()", Int(3)),
        ("size(b'héllo')", Int(6)),
        ("size([1, 2, 3])", Int(3)),
        ("size(list)", Int(3)),
        ("size({'a': 1})", Int(1)),
        ("size(event.properties)", Int(8)),
        ("size([]) == 0", Bool(true)),
        ("size(event.properties.tags) > 1", Bool(true)),
    ]);
    check_errors(&[
        ("size(1)", "no_matching_overload"),
        ("size(null)", "no_matching_overload"),
        ("true.size()", "no_matching_overload"),
    ]);
}

#[test]
fn string_functions() {
    check_values(&[
        ("'hello'.contains('ell')", Bool(true)),
        ("'hello'.contains('')", Bool(true)),
        ("'hello'.contains('xyz')", Bool(false)),
        ("'hello'.startsWith('he')", Bool(true)),
        ("'hello'.startsWith('lo')", Bool(false)),
        ("'hello'.endsWith('lo')", Bool(true)),
        ("'héllo'.endsWith('llo')", Bool(true)),
        ("customer.email.contains('@')", Bool(true)),
        ("customer.email.startsWith('ann')", Bool(false)),
        ("'abc'.matches('^a.c$')", Bool(true)),
        ("'xabcx'.matches('abc')", Bool(true)),
        ("'abc'.matches('^b')", Bool(false)),
        ("matches('abc', 'b+')", Bool(true)),
        (
            "customer.email.matches('(?i)^ann@example\\\\.com$')",
            Bool(true),
        ),
        (
            "customer.email.matches(r'(?i)^ann@example\\.com$')",
            Bool(true),
        ),
        ("'héllo'.matches('^h.llo$')", Bool(true)),
        ("'a1'.matches('\\\\d')", Bool(true)),
        ("'abc'.matches(event.properties.plan)", Bool(false)),
        ("'pro'.matches(event.properties.plan)", Bool(true)),
        (
            "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('^(a+)+$')",
            Bool(false),
        ),
    ]);
    check_errors(&[
        ("'abc'.contains(1)", "no_matching_overload"),
        ("1.contains('a')", "no_matching_overload"),
        ("list.startsWith('a')", "no_matching_overload"),
        ("'abc'.endsWith(null)", "no_matching_overload"),
        ("1.matches('a')", "no_matching_overload"),
        ("'a'.matches(1)", "no_matching_overload"),
        ("'a'.matches(customer_id + '(')", "invalid_regex"),
    ]);
}

#[test]
fn conversions() {
    check_values(&[
        ("int(42u)", Int(42)),
        ("int(-123.456)", Int(-123)),
        ("int(1.9)", Int(1)),
        ("int(-7.9)", Int(-7)),
        ("int('987')", Int(987)),
        ("int('-5')", Int(-5)),
        ("int('+5')", Int(5)),
        ("int(9223372036854775807)", Int(i64::MAX)),
        ("uint(1729)", Uint(1729)),
        ("uint(3.14159265)", Uint(3)),
        ("uint(1e19)", Uint(10000000000000000000)),
        ("uint('300')", Uint(300)),
        ("double(0)", Double(0.0)),
        (
            "double(18446744073709551615u)",
            Double(18446744073709551615.0),
        ),
        ("double('123.456')", Double(123.456)),
        ("double('-84.32e7')", Double(-8.432e8)),
        ("double('1e400') == 0.0 || true", Bool(true)),
        ("string(123)", s("123")),
        ("string(-456)", s("-456")),
        ("string(9876u)", s("9876")),
        ("string(123.456)", s("123.456")),
        ("string(-4.5e-3)", s("-0.0045")),
        ("string(1.0)", s("1")),
        ("string(1e6)", s("1e+06")),
        ("string(123456.0)", s("123456")),
        ("string(1.5e-5)", s("1.5e-05")),
        ("string(1e100)", s("1e+100")),
        ("string(event.properties.amount)", s("150")),
        ("string(b'abc')", s("abc")),
        ("string(true)", s("true")),
        ("string('x')", s("x")),
        ("bytes('ÿ')", Bytes(vec![0xc3, 0xbf])),
        ("bytes('\\377') == b'\\377'", Bool(false)),
        ("bool('true')", Bool(true)),
        ("bool('F')", Bool(false)),
        ("dyn(1) == 1.0", Bool(true)),
        ("string(int('12')) == '12'", Bool(true)),
    ]);
    check_errors(&[
        ("int(18446744073709551615u)", "overflow"),
        ("int(1e99)", "overflow"),
        ("int(-9223372036854775808.0)", "overflow"),
        ("int(0.0 / 0.0)", "overflow"),
        ("int('1.5')", "invalid_argument"),
        ("int('abc')", "invalid_argument"),
        ("int('9223372036854775808')", "invalid_argument"),
        ("int(true)", "no_matching_overload"),
        ("int(null)", "no_matching_overload"),
        ("uint(-1)", "overflow"),
        ("uint(6.022e23)", "overflow"),
        ("uint(-0.5)", "overflow"),
        ("uint('+3')", "invalid_argument"),
        ("uint('-3')", "invalid_argument"),
        ("double('x')", "invalid_argument"),
        ("double('1e400')", "invalid_argument"),
        ("double(true)", "no_matching_overload"),
        ("string(b'\\000\\xff')", "invalid_argument"),
        ("string(null)", "no_matching_overload"),
        ("string([1])", "no_matching_overload"),
        ("bytes(1)", "no_matching_overload"),
        ("bool('yes')", "invalid_argument"),
        ("bool(1)", "no_matching_overload"),
    ]);
}

#[test]
fn precedence_and_grouping() {
    check_values(&[
        ("1 + 2 == 3", Bool(true)),
        ("1 + 2 * 3 == 7", Bool(true)),
        ("2 < 3 == true", Bool(true)),
        ("1 == 1 == true", Bool(true)),
        ("'a' + 'b' in ['ab']", Bool(true)),
        ("-2 * -3", Int(6)),
        ("!true == false", Bool(true)),
        ("-size('ab')", Int(-2)),
        ("-event.properties.ratio", Double(-0.5)),
        ("[1, 2][0] + {'a': 3}['a']", Int(4)),
        ("((((1))))", Int(1)),
        ("1 < 2 && 2 < 3 || false", Bool(true)),
        ("true ? 1 + 1 : 2 * 2", Int(2)),
        ("'abc'.size() * 2", Int(6)),
        (
            "event.properties.plan == 'pro' && event.properties.amount > 100",
            Bool(true),
        ),
        (
            "customer.vip && customer_id == 'c1' && !(event.name in ['refund'])",
            Bool(true),
        ),
    ]);
}

#[test]
fn unicode() {
    check_values(&[
        ("'Zoë' == customer.name", Bool(true)),
        ("size('Zoë') == 3", Bool(true)),
        ("size('e\u{301}')", Int(2)),
        ("'\\u00eb' == 'ë'", Bool(true)),
        ("'\\U0001F600' == '😀'", Bool(true)),
        ("'日本語'.startsWith('日本')", Bool(true)),
        ("size('日本語')", Int(3)),
        ("'日本語'.matches('^.{3}$')", Bool(true)),
        ("'ü' < 'z'", Bool(false)),
    ]);
}

#[test]
fn syntax_errors_are_located() {
    check_syntax(&[
        ("", "unexpected_token", 1, 1),
        ("   ", "unexpected_token", 1, 4),
        ("1 +", "unexpected_token", 1, 4),
        ("(1", "unexpected_token", 1, 3),
        ("1 2", "unexpected_token", 1, 3),
        ("a.", "unexpected_token", 1, 3),
        ("a.1", "unexpected_token", 1, 2),
        ("0X1F", "unexpected_token", 1, 2),
        ("[1, 2", "unexpected_token", 1, 6),
        ("{'a' 1}", "unexpected_token", 1, 6),
        ("f(1,)", "unexpected_token", 1, 5),
        ("true ? 1", "unexpected_token", 1, 9),
        ("a ? b ? c : d : e", "unexpected_token", 1, 7),
        ("!-x", "unexpected_token", 1, 2),
        ("a == = b", "invalid_character", 1, 6),
        ("a = b", "invalid_character", 1, 3),
        ("a & b", "invalid_character", 1, 3),
        ("a | b", "invalid_character", 1, 3),
        ("#", "invalid_character", 1, 1),
        ("é", "invalid_character", 1, 1),
        ("'é' + @", "invalid_character", 1, 7),
        ("x ==\n  'open", "unterminated_string", 2, 3),
        ("'line\nbreak'", "unterminated_string", 1, 1),
        ("'''never", "unterminated_string", 1, 1),
        ("b'abc", "unterminated_string", 1, 1),
        ("'\\q'", "invalid_escape", 1, 2),
        ("'ab\\x4'", "invalid_escape", 1, 4),
        ("'\\ud800'", "invalid_escape", 1, 2),
        ("'\\U00110000'", "invalid_escape", 1, 2),
        ("'\\400'", "invalid_escape", 1, 2),
        ("9223372036854775808", "invalid_number", 1, 1),
        ("-9223372036854775809", "invalid_number", 1, 1),
        ("18446744073709551616u", "invalid_number", 1, 1),
        ("0x10000000000000000", "invalid_number", 1, 1),
        ("1e999", "invalid_number", 1, 1),
        ("if", "reserved_identifier", 1, 1),
        ("a.var", "reserved_identifier", 1, 3),
        ("foo(1)", "unknown_function", 1, 1),
        ("a.foo()", "unknown_function", 1, 3),
        ("[1].exists(x, x > 0)", "unknown_function", 1, 5),
        ("type(1)", "unknown_function", 1, 1),
        ("size()", "wrong_argument_count", 1, 1),
        ("size(1, 2)", "wrong_argument_count", 1, 1),
        ("'a'.contains()", "wrong_argument_count", 1, 5),
        ("'a'.size(1)", "wrong_argument_count", 1, 5),
        ("matches('a')", "wrong_argument_count", 1, 1),
        ("has(a)", "invalid_has_argument", 1, 1),
        ("has(a['b'])", "invalid_has_argument", 1, 1),
        ("has(1)", "invalid_has_argument", 1, 1),
        ("x.matches('(')", "invalid_regex", 1, 3),
        ("matches(x, '[a')", "invalid_regex", 1, 1),
        ("a &&\n\tb ||\n\tc d", "unexpected_token", 3, 4),
    ]);
}

#[test]
fn caret_snippet_points_at_the_column() {
    let e = Filter::compile("event.name == 'a' &&\n  customer.x =! 3").unwrap_err();
    assert_eq!(e.code(), "invalid_character");
    assert_eq!((e.line, e.column), (2, 14));
    assert_eq!(e.snippet, "  customer.x =! 3\n             ^");
    let e = Filter::compile("'日本' == x y").unwrap_err();
    assert_eq!((e.line, e.column), (1, 11));
    assert_eq!(e.snippet, "'日本' == x y\n          ^");
    let e = Filter::compile("\tx y").unwrap_err();
    assert_eq!(e.snippet, "\tx y\n\t  ^");
    let shown = e.to_string();
    assert!(shown.contains("line 1, column 4"), "{shown}");
}

#[test]
fn length_limit() {
    let ok = format!("'{}'", "a".repeat(MAX_LENGTH - 2));
    assert!(Filter::compile(&ok).is_ok());
    let long = format!("'{}'", "a".repeat(MAX_LENGTH - 1));
    let e = Filter::compile(&long).unwrap_err();
    assert_eq!(e.code(), "too_long");
    let huge = "1 + ".repeat(100_000) + "1";
    assert_eq!(Filter::compile(&huge).unwrap_err().code(), "too_long");
}

#[test]
fn depth_limit() {
    let nested =
        |n: usize, open: &str, close: &str| format!("{}1{}", open.repeat(n), close.repeat(n));
    // Parentheses do not create nodes but do nest the parser.
    assert!(Filter::compile(&nested(MAX_DEPTH - 1, "(", ")")).is_ok());
    for (open, close) in [
        ("(", ")"),
        ("[", "]"),
        ("size(", ")"),
        ("-(", ")"),
        ("!(", ")"),
        ("{1:", "}"),
    ] {
        let deep = nested(MAX_DEPTH + 1, open, close);
        let e = Filter::compile(&deep).unwrap_err();
        assert_eq!(e.code(), "too_deep", "{open}");
        // Far beyond the limit (but within the length): refused without
        // exhausting the stack.
        let deeper = nested(2700, open, close);
        assert!(deeper.len() <= MAX_LENGTH);
        assert_eq!(
            Filter::compile(&deeper).unwrap_err().code(),
            "too_deep",
            "{open}"
        );
    }
    let chain = vec!["1"; 2000].join(" + ");
    assert_eq!(
        Filter::compile(&chain)
            .map(|f| f.evaluate_value(&json!({})))
            .ok(),
        Some(Ok(Int(2000)))
    );
    let ors = vec!["x == 1"; 1500].join(" || ");
    assert!(!Filter::compile(&ors).unwrap().matches(&json!({"x": 2})));
    let path = format!("a{}", ".b".repeat(3000));
    assert_eq!(
        Filter::compile(&path)
            .unwrap()
            .evaluate(&json!({}))
            .unwrap_err()
            .code(),
        "unknown_variable"
    );
    let ternary = format!("{}1{}", "true ? 1 : ".repeat(MAX_DEPTH + 1), "");
    assert_eq!(Filter::compile(&ternary).unwrap_err().code(), "too_deep");
    let methods = format!("'a'{}", ".size()".repeat(MAX_DEPTH + 1));
    assert_eq!(Filter::compile(&methods).unwrap_err().code(), "too_deep");
    let unary = format!("{}true", "!".repeat(5001));
    assert!(!Filter::compile(&unary).unwrap().matches(&json!({})));
}

#[test]
fn deep_data_is_bounded() {
    let mut deep = json!(1);
    for _ in 0..200 {
        deep = Value::Array(vec![deep]);
    }
    let mut data = object("a", deep.clone());
    if let Value::Object(map) = &mut data {
        map.insert("b".to_owned(), deep);
    }
    let f = Filter::compile("a == b").unwrap();
    assert_eq!(f.evaluate(&data).unwrap_err().code(), "too_deep");
    let f = Filter::compile("a[0][0][0] == b[0][0][0]").unwrap();
    assert_eq!(f.evaluate(&data).unwrap_err().code(), "too_deep");
    let f = Filter::compile("size(a) == 1").unwrap();
    assert!(f.matches(&data));
}

#[test]
fn evaluate_matches_and_explain() {
    let f =
        Filter::compile("event.properties.plan == 'pro' && event.properties.amount > 100").unwrap();
    assert_eq!(
        f.source(),
        "event.properties.plan == 'pro' && event.properties.amount > 100"
    );
    assert_eq!(f.evaluate(&data()), Ok(true));
    assert!(f.matches(&data()));
    let r = f.explain(&json!({"event": {"properties": {"plan": "pro"}}}));
    assert!(!r.matched);
    assert_eq!(
        r.error.as_ref().map(|e| e.code.as_str()),
        Some("no_such_key")
    );
    let f = Filter::compile("event.name").unwrap();
    assert_eq!(f.evaluate(&data()).unwrap_err().code(), "not_boolean");
    assert!(!f.matches(&data()));
    // Data that is not an object has no variables.
    let f = Filter::compile("x == 1").unwrap();
    assert_eq!(
        f.evaluate(&json!([1])).unwrap_err().code(),
        "unknown_variable"
    );
    assert_eq!(
        Filter::compile("true").unwrap().evaluate(&json!(null)),
        Ok(true)
    );
}

#[test]
fn projection_keeps_what_the_filter_reads() {
    let filters = [
        "event.properties.plan == 'pro' && event.properties.amount > 100",
        "has(event.properties.coupon) && event.properties.coupon != null",
        "has(event.properties) && size(event) == 2",
        "event['properties'][event.key] == 1.0",
        "event.properties.tags[0] == 'new' || customer.email.endsWith('.com')",
        "customer == {'email': 'a@b.co'}",
        "[customer_id, event.name][1] == 'purchase'",
        "{'k': event.properties.plan}.k.startsWith('p')",
        "has(customer.x) || has(customer.email)",
        "customer_id in event.properties.owners",
        "event.properties.nested.deep.value == 1",
        "true",
    ];
    let items = serde_json::json!([
        {"event": {"name": "purchase", "key": "amount", "properties": {"plan": "pro", "amount": 150, "tags": ["new"], "coupon": null, "owners": ["c1"], "nested": {"deep": {"value": 1, "other": [1, 2]}}}}, "customer": {"email": "a@b.co"}, "customer_id": "c1"},
        {"event": {"name": "signup", "properties": {"plan": "free", "coupon": "X", "tags": []}}, "customer": {"email": "x@y.com", "x": 1, "extra": {"a": [1]}}},
        {"event": {"properties": [1, 2]}, "customer": "not an object", "customer_id": 5},
        {"event": {"properties": {"nested": {"deep": [1]}}}, "customer": null},
        {"event": "text"},
        {},
        [],
        null,
        3,
        {"event": {"name": "purchase", "properties": {"plan": "pro", "plan": "team", "amount": 1e300}}}
    ]);
    let text = items.to_string();
    for expr in filters {
        let filter = Filter::compile(expr).expect("compiles");
        let projected = filter.evaluate_json_array(&text).expect("a JSON array");
        let whole: Vec<_> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|v| filter.evaluate(&to_data(v)))
            .collect();
        let codes = |rs: &[Result<bool, triggerkit::filter::EvalError>]| -> Vec<Result<bool, &'static str>> {
            rs.iter().map(|r| r.as_ref().map(|b| *b).map_err(|e| e.code())).collect()
        };
        assert_eq!(codes(&projected), codes(&whole), "{expr}");
    }
    let f = Filter::compile("event.properties.plan == 'pro'").unwrap();
    let Some(fields) = f.projection().fields() else {
        panic!("root is projected")
    };
    assert_eq!(fields.keys().collect::<Vec<_>>(), vec!["event"]);
    assert!(f.evaluate_json_array("{\"a\": 1}").is_err());
    assert!(f.evaluate_json_array("[1,").is_err());
    assert!(f.evaluate_json_array("[1] x").is_err());
    // Skipped parts are still validated as JSON.
    assert!(f.evaluate_json_array("[{\"other\": [1,}]").is_err());
    assert_eq!(f.evaluate_json_array("[]").unwrap(), vec![]);
}

#[test]
fn validator_issue_for_a_bad_filter() {
    use triggerkit::filter::validate_filter;
    use triggerkit::Pointer;
    let path = Pointer::root().key("filter");
    assert_eq!(
        validate_filter("event.properties.plan == 'pro'", &path),
        None
    );
    let issue = validate_filter("event.properties.plan = 'pro'", &path).expect("an issue");
    assert_eq!(issue.path, "/filter");
    assert_eq!(issue.code, "invalid_filter");
    assert_eq!(
        issue.message,
        "invalid_character at line 1, column 23: unexpected character '=' (did you mean '=='?)\nevent.properties.plan = 'pro'\n                      ^"
    );
}

#[test]
fn long_paths_project_a_bounded_tree() {
    let mut value = json!({"b": 7});
    for _ in 0..99 {
        value = object("b", value);
    }
    let data = object("a", value);
    let path = format!("a{} == 7", ".b".repeat(100));
    let f = Filter::compile(&path).unwrap();
    let mut depth = 0;
    let mut node = f.projection();
    while let Some(fields) = node.fields() {
        node = fields.values().next().expect("one key per level");
        depth += 1;
    }
    assert!(depth <= 32, "{depth}");
    assert_eq!(f.evaluate(&data), Ok(true));
    let text = format!("[{}]", triggerkit::json::to_string(&data));
    assert!(matches!(
        f.evaluate_json_array(&text).unwrap()[..],
        [Ok(true)]
    ));
    let has = Filter::compile(&format!("has(a{})", ".b".repeat(100))).unwrap();
    assert!(has.matches(&data));
    assert!(matches!(
        has.evaluate_json_array(&text).unwrap()[..],
        [Ok(true)]
    ));
}

#[test]
fn literal_patterns_match_as_the_regex_engine_does() {
    let patterns = [
        "",
        "abc",
        "^abc",
        "abc$",
        "^abc$",
        "^",
        "$",
        "^$",
        "a\\.b",
        "gmail\\.com$",
        "^\\$5",
        "\\+1",
        "a.c",
        "a+",
        "^a|b$",
        "(?i)abc",
        "\\d",
        "ab$c",
        "a^b",
        "a\\\\b",
        "é",
        "^日本",
        "語$",
        "\\@",
        " x ",
        "a{2}",
        "[a]",
        "\\Qa\\E",
        // Word boundaries, not the characters '<' and '>'.
        "\\<abc",
        "abc\\>",
        // Simple patterns, matched without the regex engine.
        "^user[0-9]+@example\\.com$",
        "a.c",
        "^[^a-z]+$",
        "\\w+\\s*\\d?",
    ];
    let texts = [
        "",
        "abc",
        "xabcx",
        "ABC",
        "a.b",
        "axb",
        "me@gmail.com",
        "$5",
        "+1 555",
        "a\\b",
        "é",
        "日本語",
        "x@y",
        " x ",
        "aa",
        "ab$c",
        "\n",
        "abc\n",
        "<abc>",
        "user42@example.com",
        "ABC 1",
    ];
    let mut checked = 0;
    for pattern in patterns {
        let Ok(regex) = regex_lite::Regex::new(pattern) else {
            continue;
        };
        let expr = format!("s.matches({})", serde_json::json!(pattern));
        let filter = Filter::compile(&expr).expect("a valid regex compiles");
        for text in texts {
            let want = regex.is_match(text);
            assert_eq!(
                filter.evaluate(&json!({ "s": text })),
                Ok(want),
                "{pattern:?} on {text:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 400);
}

#[test]
fn long_constant_string_lists_behave_as_lists() {
    // Nine constant strings are indexed for `in`; the same list with one
    // item from the data is an ordinary list: both must agree everywhere.
    let items = r#""a", "b", "c", "d", "e", "f", "g", "h", "é""#;
    let data = json!({"first": "a", "s": "e", "n": 1, "z": null, "u": "É", "l": ["a"]});
    let exprs = [
        "s in L",
        "u in L",
        "'é' in L",
        "'x' in L",
        "n in L",
        "z in L",
        "l in L",
        "size(L) == 9",
        "L[8] == 'é'",
        "L == ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'é']",
        "L + ['x'] == ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'é', 'x']",
        "L[9] == 'x'",
        "L != ['a']",
        "'a' in L && !('A' in L)",
    ];
    for expr in exprs {
        let constant = Filter::compile(&expr.replace('L', &format!("[{items}]"))).unwrap();
        let dynamic =
            Filter::compile(&expr.replace('L', &format!("[first, {}]", &items[5..]))).unwrap();
        let code = |r: Result<bool, triggerkit::filter::EvalError>| r.map_err(|e| e.code());
        assert_eq!(
            code(constant.evaluate(&data)),
            code(dynamic.evaluate(&data)),
            "{expr}"
        );
    }
    let f = Filter::compile(&format!("s in [{items}]")).unwrap();
    assert_eq!(f.evaluate(&data), Ok(true));
    assert_eq!(f.evaluate(&json!({"s": "É"})), Ok(false));
    assert_eq!(f.evaluate(&json!({"s": 5})), Ok(false));
    assert_eq!(
        f.evaluate(&json!({})).unwrap_err().code(),
        "unknown_variable"
    );
}
