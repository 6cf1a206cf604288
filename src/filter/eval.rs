//! The evaluator: walks the compiled tree against borrowed JSON data with
//! CEL's semantics (strict types, checked 64-bit integer arithmetic,
//! heterogeneous equality, commutative `&&`/`||` that absorb errors).
//! Recursion follows the tree, whose depth the parser bounds.

use super::ast::{BinOp, Expr, ExprKind, Func, Pattern, Step};
use super::error::{EvalError, EvalErrorCode};
use super::parser::compile_regex;
use super::value::{compare, equals, key_eq, no_overload, type_name, List, Map, Val};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

/// Evaluates `expr` with the keys of `root` (a JSON object, or a batch
/// item's object) as variables.
pub(crate) fn eval<'a>(expr: &'a Expr, root: Val<'a>) -> Result<Val<'a>, EvalError> {
    Eval { root }.expr(expr)
}

struct Eval<'a> {
    root: Val<'a>,
}

fn err(kind: EvalErrorCode, message: String) -> EvalError {
    EvalError::new(kind, message)
}

impl<'a> Eval<'a> {
    fn expr(&self, expr: &'a Expr) -> Result<Val<'a>, EvalError> {
        match &expr.kind {
            ExprKind::Const(v) => Ok(v.view()),
            ExprKind::Ident(name) => self.variable(name),
            ExprKind::Path { base, steps } => self.path(base, steps),
            ExprKind::List(items) => {
                let values = items
                    .iter()
                    .map(|e| self.expr(e))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Val::List(List::Owned(Arc::from(values))))
            }
            ExprKind::Map(pairs) => self.map(pairs),
            ExprKind::Not(e) => match self.expr(e)? {
                Val::Bool(b) => Ok(Val::Bool(!b)),
                other => Err(no_overload(&format!(
                    "'!' is not defined for {}",
                    type_name(&other)
                ))),
            },
            ExprKind::Neg(e) => match self.expr(e)? {
                Val::Int(i) => i.checked_neg().map(Val::Int).ok_or_else(overflow),
                Val::Double(d) => Ok(Val::Double(-d)),
                other => Err(no_overload(&format!(
                    "'-' is not defined for {}",
                    type_name(&other)
                ))),
            },
            ExprKind::Binary { first, rest } => {
                let mut acc = self.expr(first)?;
                for (op, e) in rest {
                    let rhs = self.expr(e)?;
                    acc = binary(*op, acc, rhs)?;
                }
                Ok(acc)
            }
            ExprKind::And(terms) => self.logic(terms, false),
            ExprKind::Or(terms) => self.logic(terms, true),
            ExprKind::Cond(parts) => {
                let [cond, then, otherwise] = parts.as_ref();
                match self.expr(cond)? {
                    Val::Bool(true) => self.expr(then),
                    Val::Bool(false) => self.expr(otherwise),
                    other => Err(no_overload(&format!(
                        "the condition of '?:' must be a bool, not {}",
                        type_name(&other)
                    ))),
                }
            }
            ExprKind::Has { base, field } => match self.expr(base)? {
                Val::Map(m) => Ok(Val::Bool(m.get_str(field).is_some())),
                other => Err(no_overload(&format!(
                    "has() cannot test a field of {}",
                    type_name(&other)
                ))),
            },
            ExprKind::Call { func, args } => {
                // The parser checked the arity: one or two arguments.
                let (first, second) = match args.as_slice() {
                    [a] => (self.expr(a)?, None),
                    [a, b] => (self.expr(a)?, Some(self.expr(b)?)),
                    _ => return Err(no_overload("wrong number of arguments")),
                };
                call(*func, first, second)
            }
            ExprKind::Matches { target, pattern } => {
                let target = self.expr(target)?;
                let Val::Str(text) = &target else {
                    return Err(no_overload(&format!(
                        "matches() is defined for strings, not {}",
                        type_name(&target)
                    )));
                };
                match pattern {
                    Pattern::Literal {
                        text: literal,
                        start,
                        end,
                    } => Ok(Val::Bool(match (start, end) {
                        (true, true) => text.as_ref() == literal.as_ref(),
                        (true, false) => text.starts_with(literal.as_ref()),
                        (false, true) => text.ends_with(literal.as_ref()),
                        (false, false) => text.contains(literal.as_ref()),
                    })),
                    Pattern::Simple(p) => Ok(Val::Bool(p.is_match(text))),
                    Pattern::Fixed(re) => Ok(Val::Bool(re.is_match(text))),
                    Pattern::Dynamic(p) => match self.expr(p)? {
                        Val::Str(p) => compile_regex(&p)
                            .map(|re| Val::Bool(re.is_match(text)))
                            .map_err(|e| {
                                err(
                                    EvalErrorCode::InvalidRegex,
                                    format!("invalid regular expression: {e}"),
                                )
                            }),
                        other => Err(no_overload(&format!(
                            "matches() takes a string pattern, not {}",
                            type_name(&other)
                        ))),
                    },
                }
            }
        }
    }

    fn variable(&self, name: &str) -> Result<Val<'a>, EvalError> {
        let found = match &self.root {
            Val::Map(vars) => vars.get_str(name),
            _ => None,
        };
        found.ok_or_else(|| {
            err(
                EvalErrorCode::UnknownVariable,
                format!("no variable named '{name}'"),
            )
        })
    }

    /// Applies selections and indexes left to right.
    fn path(&self, base: &'a Expr, steps: &'a [Step]) -> Result<Val<'a>, EvalError> {
        let mut current = self.expr(base)?;
        for step in steps {
            // The common step, a field present in a map, without the
            // error plumbing of `select`.
            if let (Step::Field(name), Val::Map(map)) = (step, &current) {
                if let Some(value) = map.get_str(name) {
                    current = value;
                    continue;
                }
            }
            current = match step {
                Step::Field(name) => select(current, name)?,
                Step::Index(e) => {
                    let key = self.expr(e)?;
                    index(current, &key)?
                }
            };
        }
        Ok(current)
    }

    fn map(&self, pairs: &'a [(Expr, Expr)]) -> Result<Val<'a>, EvalError> {
        let mut out: Vec<(Val<'a>, Val<'a>)> = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let key = self.expr(k)?;
            if !matches!(key, Val::Int(_) | Val::Uint(_) | Val::Bool(_) | Val::Str(_)) {
                return Err(err(
                    EvalErrorCode::InvalidArgument,
                    format!("a {} cannot be a map key", type_name(&key)),
                ));
            }
            if out.iter().any(|(prev, _)| key_eq(prev, &key)) {
                return Err(err(
                    EvalErrorCode::InvalidArgument,
                    "map literal has a repeated key".to_owned(),
                ));
            }
            let value = self.expr(v)?;
            out.push((key, value));
        }
        Ok(Val::Map(Map::Owned(Arc::from(out))))
    }

    /// `&&` (`short` = false) and `||` (`short` = true): any term equal to
    /// `short` decides, whatever errors other terms have; otherwise the
    /// first error (or non-bool term) is the result.
    fn logic(&self, terms: &'a [Expr], short: bool) -> Result<Val<'a>, EvalError> {
        let mut first_error = None;
        for term in terms {
            match self.expr(term) {
                Ok(Val::Bool(b)) if b == short => return Ok(Val::Bool(short)),
                Ok(Val::Bool(_)) => {}
                Ok(other) => {
                    if first_error.is_none() {
                        let op = if short { "||" } else { "&&" };
                        first_error = Some(no_overload(&format!(
                            "'{op}' takes bools, not {}",
                            type_name(&other)
                        )));
                    }
                }
                Err(e) => {
                    if first_error.is_none() {
                        first_error = Some(e);
                    }
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(Val::Bool(!short)),
        }
    }
}

fn no_such_key(name: &str) -> EvalError {
    err(EvalErrorCode::NoSuchKey, format!("no such key: '{name}'"))
}

fn overflow() -> EvalError {
    err(EvalErrorCode::Overflow, "integer overflow".to_owned())
}

fn select<'a>(value: Val<'a>, name: &str) -> Result<Val<'a>, EvalError> {
    match value {
        Val::Map(m) => m.get_str(name).ok_or_else(|| no_such_key(name)),
        other => Err(no_overload(&format!(
            "cannot select field '{name}' of {}",
            type_name(&other)
        ))),
    }
}

fn index<'a>(value: Val<'a>, key: &Val<'_>) -> Result<Val<'a>, EvalError> {
    match value {
        Val::List(list) => {
            let i = match *key {
                Val::Int(i) => i,
                Val::Uint(u) => i64::try_from(u).unwrap_or(i64::MAX),
                // CEL accepts a double index when it is a whole number.
                Val::Double(d) if d.fract() == 0.0 && d.abs() < 9.0e15 => d as i64,
                _ => {
                    return Err(no_overload(&format!(
                        "a list cannot be indexed by {}",
                        index_desc(key)
                    )))
                }
            };
            usize::try_from(i)
                .ok()
                .and_then(|i| list.get(i))
                .ok_or_else(|| {
                    err(
                        EvalErrorCode::IndexOutOfRange,
                        format!("index {i} out of range for a list of size {}", list.len()),
                    )
                })
        }
        Val::Map(m) => m.get(key).ok_or_else(|| match key {
            Val::Str(s) => no_such_key(s),
            _ => err(
                EvalErrorCode::NoSuchKey,
                format!("no such key: {}", index_desc(key)),
            ),
        }),
        other => Err(no_overload(&format!(
            "cannot index into {}",
            type_name(&other)
        ))),
    }
}

fn index_desc(key: &Val<'_>) -> String {
    match key {
        Val::Int(i) => i.to_string(),
        Val::Uint(u) => format!("{u}u"),
        Val::Double(d) => super::value::format_double(*d),
        Val::Bool(b) => b.to_string(),
        other => format!("a {}", type_name(other)),
    }
}

fn binary<'a>(op: BinOp, a: Val<'a>, b: Val<'a>) -> Result<Val<'a>, EvalError> {
    let ordered = |test: fn(Ordering) -> bool| -> Result<Val<'a>, EvalError> {
        Ok(Val::Bool(compare(&a, &b)?.is_some_and(test)))
    };
    match op {
        BinOp::Eq => Ok(Val::Bool(equals(&a, &b, 0)?)),
        BinOp::Ne => Ok(Val::Bool(!equals(&a, &b, 0)?)),
        BinOp::Lt => ordered(Ordering::is_lt),
        BinOp::Le => ordered(Ordering::is_le),
        BinOp::Gt => ordered(Ordering::is_gt),
        BinOp::Ge => ordered(Ordering::is_ge),
        BinOp::In => contains_element(&b, &a).map(Val::Bool),
        BinOp::Add => add(a, b),
        BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => arithmetic(op, &a, &b),
    }
}

fn mismatch(op: BinOp, a: &Val<'_>, b: &Val<'_>) -> EvalError {
    no_overload(&format!(
        "'{}' is not defined for {} and {}",
        op.symbol(),
        type_name(a),
        type_name(b)
    ))
}

/// `needle in haystack`: list membership by CEL equality, map key presence.
fn contains_element(haystack: &Val<'_>, needle: &Val<'_>) -> Result<bool, EvalError> {
    match haystack {
        Val::List(List::Strings(list)) => Ok(list.contains(needle)),
        Val::List(list) => {
            for i in 0..list.len() {
                if let Some(item) = list.get(i) {
                    if equals(&item, needle, 0)? {
                        return Ok(true);
                    }
                }
            }
            Ok(false)
        }
        Val::Map(m) => Ok(m.get(needle).is_some()),
        other => Err(mismatch(BinOp::In, needle, other)),
    }
}

fn add<'a>(a: Val<'a>, b: Val<'a>) -> Result<Val<'a>, EvalError> {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => {
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(&x);
            s.push_str(&y);
            Ok(Val::Str(Cow::Owned(s)))
        }
        (Val::Bytes(x), Val::Bytes(y)) => {
            let mut v = Vec::with_capacity(x.len() + y.len());
            v.extend_from_slice(&x);
            v.extend_from_slice(&y);
            Ok(Val::Bytes(Cow::Owned(v)))
        }
        (Val::List(x), Val::List(y)) => {
            let mut items = Vec::with_capacity(x.len() + y.len());
            x.extend_into(&mut items);
            y.extend_into(&mut items);
            Ok(Val::List(List::Owned(Arc::from(items))))
        }
        (a, b) => arithmetic(BinOp::Add, &a, &b),
    }
}

/// The checked operations of one integer type, in `+ - * / %` order.
type CheckedOps<T> = [fn(T, T) -> Option<T>; 5];

/// Integer `+ - * / %` with CEL's errors: division or modulus by zero,
/// and overflow (including `MIN / -1` and `MIN % -1`).
fn integer<T: Copy + PartialEq + Default>(
    op: BinOp,
    x: T,
    y: T,
    ops: CheckedOps<T>,
) -> Result<T, EvalError> {
    let index = match op {
        BinOp::Add => 0,
        BinOp::Sub => 1,
        BinOp::Mul => 2,
        BinOp::Div => 3,
        _ => 4,
    };
    if index >= 3 && y == T::default() {
        let what = if index == 4 { "modulus" } else { "division" };
        return Err(err(
            EvalErrorCode::DivisionByZero,
            format!("{what} by zero"),
        ));
    }
    ops.get(index)
        .and_then(|checked| checked(x, y))
        .ok_or_else(overflow)
}

/// Numeric `+ - * / %` on two values of the same numeric type.
fn arithmetic<'a>(op: BinOp, a: &Val<'_>, b: &Val<'_>) -> Result<Val<'a>, EvalError> {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => integer(
            op,
            *x,
            *y,
            [
                i64::checked_add,
                i64::checked_sub,
                i64::checked_mul,
                i64::checked_div,
                i64::checked_rem,
            ],
        )
        .map(Val::Int),
        (Val::Uint(x), Val::Uint(y)) => integer(
            op,
            *x,
            *y,
            [
                u64::checked_add,
                u64::checked_sub,
                u64::checked_mul,
                u64::checked_div,
                u64::checked_rem,
            ],
        )
        .map(Val::Uint),
        (Val::Double(x), Val::Double(y)) if op != BinOp::Rem => Ok(Val::Double(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            _ => x / y,
        })),
        _ => Err(mismatch(op, a, b)),
    }
}

const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

fn call<'a>(func: Func, x: Val<'a>, arg: Option<Val<'a>>) -> Result<Val<'a>, EvalError> {
    let range = |what: &str| err(EvalErrorCode::Overflow, format!("{what} out of range"));
    let unparsable = |what: &str, s: &str| {
        err(
            EvalErrorCode::InvalidArgument,
            format!("cannot convert '{s}' to {what}"),
        )
    };
    let undefined = |name: &str, v: &Val<'_>| {
        no_overload(&format!("{name}() is not defined for {}", type_name(v)))
    };
    match func {
        Func::Size => match &x {
            Val::Str(s) => Ok(Val::Int(count_to_int(s.chars().count()))),
            Val::Bytes(b) => Ok(Val::Int(count_to_int(b.len()))),
            Val::List(l) => Ok(Val::Int(count_to_int(l.len()))),
            Val::Map(m) => Ok(Val::Int(count_to_int(m.len()))),
            other => Err(undefined("size", other)),
        },
        Func::Contains | Func::StartsWith | Func::EndsWith => {
            let (name, test): (&str, fn(&str, &str) -> bool) = match func {
                Func::Contains => ("contains", |s, t| s.contains(t)),
                Func::StartsWith => ("startsWith", |s, t| s.starts_with(t)),
                _ => ("endsWith", |s, t| s.ends_with(t)),
            };
            match (&x, &arg) {
                (Val::Str(s), Some(Val::Str(t))) => Ok(Val::Bool(test(s, t))),
                (Val::Str(_), Some(other)) => Err(no_overload(&format!(
                    "{name}() takes a string argument, not {}",
                    type_name(other)
                ))),
                (other, _) => Err(undefined(name, other)),
            }
        }
        Func::Int => match x {
            Val::Int(i) => Ok(Val::Int(i)),
            Val::Uint(u) => i64::try_from(u).map(Val::Int).map_err(|_| range("int")),
            Val::Double(d) if d > -TWO_POW_63 && d < TWO_POW_63 => Ok(Val::Int(d as i64)),
            Val::Double(_) => Err(range("int")),
            Val::Str(s) => s
                .parse::<i64>()
                .map(Val::Int)
                .map_err(|_| unparsable("int", &s)),
            other => Err(undefined("int", &other)),
        },
        Func::Uint => match x {
            Val::Uint(u) => Ok(Val::Uint(u)),
            Val::Int(i) => u64::try_from(i).map(Val::Uint).map_err(|_| range("uint")),
            Val::Double(d) if (0.0..TWO_POW_64).contains(&d) => Ok(Val::Uint(d as u64)),
            Val::Double(_) => Err(range("uint")),
            Val::Str(s) => {
                // Go's ParseUint, which CEL uses, takes no sign.
                if s.starts_with('+') {
                    return Err(unparsable("uint", &s));
                }
                s.parse::<u64>()
                    .map(Val::Uint)
                    .map_err(|_| unparsable("uint", &s))
            }
            other => Err(undefined("uint", &other)),
        },
        Func::Double => match x {
            Val::Double(d) => Ok(Val::Double(d)),
            Val::Int(i) => Ok(Val::Double(i as f64)),
            Val::Uint(u) => Ok(Val::Double(u as f64)),
            Val::Str(s) => parse_double(&s)
                .map(Val::Double)
                .ok_or_else(|| unparsable("double", &s)),
            other => Err(undefined("double", &other)),
        },
        Func::String => match x {
            Val::Str(s) => Ok(Val::Str(s)),
            Val::Int(i) => Ok(Val::Str(Cow::Owned(i.to_string()))),
            Val::Uint(u) => Ok(Val::Str(Cow::Owned(u.to_string()))),
            Val::Double(d) => Ok(Val::Str(Cow::Owned(super::value::format_double(d)))),
            Val::Bool(b) => Ok(Val::Str(Cow::Borrowed(if b { "true" } else { "false" }))),
            Val::Bytes(b) => match b {
                Cow::Borrowed(b) => std::str::from_utf8(b)
                    .map(|s| Val::Str(Cow::Borrowed(s)))
                    .ok(),
                Cow::Owned(b) => String::from_utf8(b).map(|s| Val::Str(Cow::Owned(s))).ok(),
            }
            .ok_or_else(|| {
                err(
                    EvalErrorCode::InvalidArgument,
                    "bytes are not valid UTF-8".to_owned(),
                )
            }),
            other => Err(undefined("string", &other)),
        },
        Func::Bytes => match x {
            Val::Bytes(b) => Ok(Val::Bytes(b)),
            Val::Str(Cow::Borrowed(s)) => Ok(Val::Bytes(Cow::Borrowed(s.as_bytes()))),
            Val::Str(Cow::Owned(s)) => Ok(Val::Bytes(Cow::Owned(s.into_bytes()))),
            other => Err(undefined("bytes", &other)),
        },
        Func::Bool => match x {
            Val::Bool(b) => Ok(Val::Bool(b)),
            Val::Str(s) => match s.as_ref() {
                "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(Val::Bool(true)),
                "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(Val::Bool(false)),
                _ => Err(unparsable("bool", &s)),
            },
            other => Err(undefined("bool", &other)),
        },
        Func::Dyn => Ok(x),
    }
}

fn count_to_int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Go's `strconv.ParseFloat` as CEL's `double(string)` uses it: decimal
/// and exponent forms, `Inf`/`Infinity`/`NaN` in any case, and a range
/// error (here `None`) for finite text beyond the double range.
fn parse_double(s: &str) -> Option<f64> {
    let d = crate::json::parse_f64(s)?;
    let unsigned = s.trim_start_matches(['+', '-']).to_ascii_lowercase();
    if d.is_infinite() && !unsigned.starts_with("inf") {
        return None;
    }
    Some(d)
}
