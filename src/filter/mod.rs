//! CEL-subset filter language for Pocketflows `filter` strings (DESIGN.md section 5).
//!
//! An expression is compiled once ([`Filter::compile`]: tokenize, parse,
//! resolve functions, fold literals, compile constant regular expressions)
//! and evaluated many times against JSON data whose top-level keys are the
//! variables. Results equal CEL's for every expression in the subset:
//! strict types (`1 + 1.0` is an error), checked 64-bit integer arithmetic,
//! heterogeneous equality (`1 == 1.0` is true, `1 == "1"` false), numeric
//! ordering across int, uint and double, and `&&`/`||` that are commutative
//! and absorb errors (`false && error` is false). JSON numbers are doubles,
//! as in CEL's JSON mapping.
//!
//! Bounds: expressions of at most [`MAX_LENGTH`] bytes nested at most
//! [`MAX_DEPTH`] levels; evaluation has no loops and recursion bounded by
//! the nesting. Nothing here panics, reads the clock, or performs I/O.

mod ast;
mod batch;
mod error;
mod eval;
mod lexer;
mod parser;
mod project;
mod scan;
mod simple_regex;
mod value;

pub use error::{EvalError, EvalErrorCode, JsonArrayError, SyntaxError, SyntaxErrorCode};
pub use project::Projection;
pub use value::CelValue;

use crate::issue::{Issue, Pointer};
use crate::json::Value;
use serde::{Deserialize, Serialize};

/// Longest accepted expression, in bytes.
pub const MAX_LENGTH: usize = 16 * 1024;

/// Deepest accepted nesting (parentheses, calls, operands of operators).
pub const MAX_DEPTH: usize = 64;

/// A compiled filter expression.
#[derive(Debug)]
pub struct Filter {
    source: String,
    expr: ast::Expr,
    projection: Projection,
    plan: batch::Plan,
}

impl Filter {
    /// Compiles an expression, or says where and why it is not valid.
    pub fn compile(source: &str) -> Result<Filter, SyntaxError> {
        let expr = parser::parse(source)?;
        let projection = Projection::of(&expr);
        Ok(Filter {
            source: source.to_owned(),
            plan: batch::Plan::of(&projection),
            projection,
            expr,
        })
    }

    /// The expression text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates against `data`, whose keys are the variables, and returns
    /// the boolean result (a non-boolean result is a `not_boolean` error).
    pub fn evaluate(&self, data: &Value) -> Result<bool, EvalError> {
        self.evaluate_root(value::Val::from_json(data))
    }

    fn evaluate_root(&self, root: value::Val<'_>) -> Result<bool, EvalError> {
        match eval::eval(&self.expr, root)? {
            value::Val::Bool(b) => Ok(b),
            other => Err(EvalError::new(
                EvalErrorCode::NotBoolean,
                format!(
                    "the filter evaluated to a {}, not a bool",
                    value::type_name(&other)
                ),
            )),
        }
    }

    /// True when the filter evaluates to `true`; any error counts as no match.
    pub fn matches(&self, data: &Value) -> bool {
        self.evaluate(data).unwrap_or(false)
    }

    /// The outcome with the error, if any, as data.
    pub fn explain(&self, data: &Value) -> FilterResult {
        FilterResult::from(self.evaluate(data))
    }

    /// The parts of the data this filter can read: evaluating a value cut
    /// down to them gives the same result as evaluating the whole value.
    pub fn projection(&self) -> &Projection {
        &self.projection
    }

    /// Evaluates every item of the text of a JSON array, reading each item
    /// through the [`projection`](Filter::projection) so the parts the
    /// filter cannot read are skipped without being built, and the strings
    /// it reads are borrowed from `text`. One outcome per item; `Err` when
    /// the text is not a JSON array (strict JSON; where the filter reads,
    /// `\u` escapes must pair up and numbers stay within the double range),
    /// saying why and where.
    pub fn evaluate_json_array(
        &self,
        text: &str,
    ) -> Result<Vec<Result<bool, EvalError>>, JsonArrayError> {
        let mut out = Vec::new();
        batch::for_each_item(text, &self.plan, |item| out.push(self.evaluate_root(item)))
            .map_err(|e| JsonArrayError::at(text, e.offset, e.reason))?;
        Ok(out)
    }

    /// Evaluates to any CEL value (for expressions that are not predicates).
    pub fn evaluate_value(&self, data: &Value) -> Result<CelValue, EvalError> {
        CelValue::from_val(&eval::eval(&self.expr, value::Val::from_json(data))?, 0)
    }
}

/// Checks a trigger's `filter` string for a validator: `None` when it
/// compiles, else an `invalid_filter` issue at `path` whose message names
/// the syntax error's code, line and column and shows the caret snippet.
pub fn validate_filter(source: &str, path: &Pointer) -> Option<Issue> {
    Filter::compile(source).err().map(|e| Issue {
        path: path.as_str().to_owned(),
        code: "invalid_filter".to_owned(),
        message: format!(
            "{} at line {}, column {}: {}\n{}",
            e.code(),
            e.line,
            e.column,
            e.message,
            e.snippet
        ),
    })
}

/// The outcome of one evaluation as data: whether the filter matched and,
/// when evaluation failed, why (a failed evaluation never matches).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct FilterResult {
    /// True when the filter evaluated to `true`.
    pub matched: bool,
    /// Why evaluation failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error: Option<FilterIssue>,
}

impl From<Result<bool, EvalError>> for FilterResult {
    fn from(result: Result<bool, EvalError>) -> Self {
        match result {
            Ok(matched) => FilterResult {
                matched,
                error: None,
            },
            Err(e) => FilterResult {
                matched: false,
                error: Some(FilterIssue::from(&e)),
            },
        }
    }
}

/// A filter problem as data: an evaluation error (code and message) or a
/// syntax error (also line, column and caret snippet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct FilterIssue {
    /// Stable code (`no_such_key`, `unexpected_token`, ...).
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// 1-based line of a syntax error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub line: Option<usize>,
    /// 1-based column (in characters) of a syntax error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub column: Option<usize>,
    /// The source line and a caret under the column, for a syntax error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub snippet: Option<String>,
}

impl From<&EvalError> for FilterIssue {
    fn from(e: &EvalError) -> Self {
        FilterIssue {
            code: e.code().to_owned(),
            message: e.message.clone(),
            line: None,
            column: None,
            snippet: None,
        }
    }
}

impl From<&SyntaxError> for FilterIssue {
    fn from(e: &SyntaxError) -> Self {
        FilterIssue {
            code: e.code().to_owned(),
            message: e.message.clone(),
            line: Some(e.line),
            column: Some(e.column),
            snippet: Some(e.snippet.clone()),
        }
    }
}
