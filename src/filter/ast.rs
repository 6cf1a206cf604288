//! The compiled form of an expression: a tree whose function names are
//! resolved, whose literals are folded into constants and whose constant
//! regular expressions are compiled. Chains of one operator (`a && b && c`,
//! `a + b - c`) and of selections (`a.b[0].c`) are flat vectors, so the
//! tree's depth follows the nesting of the source, which the parser bounds.

use super::simple_regex::SimplePattern;
use super::value::Val;

/// A node and its depth (1 for a leaf).
#[derive(Debug)]
pub(crate) struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) depth: usize,
}

#[derive(Debug)]
pub(crate) enum ExprKind {
    /// A literal, or a list or map literal made only of literals.
    Const(Val<'static>),
    /// A top-level variable: a key of the data object.
    Ident(Box<str>),
    /// `base.f[i].g`: selections and indexes applied left to right.
    Path {
        base: Box<Expr>,
        steps: Vec<Step>,
    },
    List(Vec<Expr>),
    Map(Vec<(Expr, Expr)>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    /// A left-associative chain of operators of one precedence level.
    Binary {
        first: Box<Expr>,
        rest: Vec<(BinOp, Expr)>,
    },
    /// `a && b && ...`, commutative with error absorption.
    And(Vec<Expr>),
    /// `a || b || ...`, commutative with error absorption.
    Or(Vec<Expr>),
    /// `cond ? then : otherwise`.
    Cond(Box<[Expr; 3]>),
    /// `has(base.field)`.
    Has {
        base: Box<Expr>,
        field: Box<str>,
    },
    /// A function; for methods the receiver is the first argument.
    Call {
        func: Func,
        args: Vec<Expr>,
    },
    /// `target.matches(pattern)` / `matches(target, pattern)`.
    Matches {
        target: Box<Expr>,
        pattern: Pattern,
    },
}

#[derive(Debug)]
pub(crate) enum Step {
    Field(Box<str>),
    Index(Expr),
}

#[derive(Debug)]
pub(crate) enum Pattern {
    /// A constant pattern without metacharacters (beyond a leading `^`
    /// and a trailing `$`): matched with string search instead of the
    /// regex engine, with the same result.
    Literal {
        text: Box<str>,
        start: bool,
        end: bool,
    },
    /// A constant pattern in the simple subset, matched without the regex engine.
    Simple(SimplePattern),
    /// A constant pattern, compiled once.
    Fixed(regex_lite::Regex),
    /// A pattern computed per evaluation.
    Dynamic(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    Size,
    Contains,
    StartsWith,
    EndsWith,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Bool,
    Dyn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
}

impl BinOp {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
        }
    }
}

impl Expr {
    /// The depth of a node over the given children.
    pub(crate) fn depth_over<'e>(children: impl IntoIterator<Item = &'e Expr>) -> usize {
        1 + children.into_iter().map(|c| c.depth).max().unwrap_or(0)
    }
}
