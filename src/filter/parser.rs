//! Recursive-descent parser for CEL's grammar (same precedence levels and
//! associativity as cel-spec's `CEL.g4`), producing the compiled [`Expr`]
//! tree: literals folded, functions resolved with their arity checked,
//! constant regular expressions compiled. Every way to nest passes through
//! [`Parser::expr`], which counts depth, so hostile input cannot overflow
//! the stack; node depth is bounded too, which bounds the evaluator.

use super::ast::{BinOp, Expr, ExprKind, Func, Pattern, Step};
use super::error::{SyntaxError, SyntaxErrorCode};
use super::lexer::{tokenize, Tok, Token};
use super::simple_regex::{literal_escape, SimplePattern};
use super::value::{key_eq, List, Map, StringList, Val};
use super::{MAX_DEPTH, MAX_LENGTH};
use std::borrow::Cow;
use std::sync::Arc;

/// Words CEL reserves: they may not name a variable or a field.
const RESERVED: &[&str] = &[
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// CEL functions and macros outside the supported subset, named in errors.
const UNSUPPORTED: &[&str] = &[
    "all",
    "exists",
    "exists_one",
    "map",
    "filter",
    "type",
    "timestamp",
    "duration",
];

/// Parses and compiles `source`.
pub(crate) fn parse(source: &str) -> Result<Expr, SyntaxError> {
    if source.len() > MAX_LENGTH {
        return Err(SyntaxError::at(
            source,
            MAX_LENGTH,
            SyntaxErrorCode::TooLong,
            format!(
                "expression is {} bytes long; the limit is {MAX_LENGTH}",
                source.len()
            ),
        ));
    }
    let tokens = tokenize(source)?;
    let mut parser = Parser {
        src: source,
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.expr()?;
    match parser.peek() {
        Tok::Eof => Ok(expr),
        _ => Err(parser.unexpected("an operator or the end of the expression")),
    }
}

struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn token(&self) -> Option<&Token> {
        self.tokens.get(self.pos).or_else(|| self.tokens.last())
    }

    fn peek(&self) -> &Tok {
        self.token().map_or(&Tok::Eof, |t| &t.tok)
    }

    fn peek_second(&self) -> &Tok {
        self.tokens.get(self.pos + 1).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn start(&self) -> usize {
        self.token().map_or(self.src.len(), |t| t.start)
    }

    fn text(&self) -> &str {
        self.token()
            .and_then(|t| self.src.get(t.start..t.end))
            .unwrap_or("")
    }

    fn bump(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        tok
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == tok {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn error_at(&self, offset: usize, kind: SyntaxErrorCode, message: String) -> SyntaxError {
        SyntaxError::at(self.src, offset, kind, message)
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        let found = self.peek().describe(self.text());
        self.error_at(
            self.start(),
            SyntaxErrorCode::UnexpectedToken,
            format!("expected {expected}, found {found}"),
        )
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> Result<(), SyntaxError> {
        if self.eat(tok) {
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    /// Wraps `kind` in a node, refusing trees deeper than [`MAX_DEPTH`].
    fn node(&self, kind: ExprKind, at: usize) -> Result<Expr, SyntaxError> {
        let depth = match &kind {
            ExprKind::Const(_) | ExprKind::Ident(_) => 1,
            ExprKind::Path { base, steps } => {
                let indexes = steps.iter().filter_map(|s| match s {
                    Step::Index(e) => Some(e),
                    Step::Field(_) => None,
                });
                Expr::depth_over(std::iter::once(base.as_ref()).chain(indexes))
            }
            ExprKind::List(items) | ExprKind::And(items) | ExprKind::Or(items) => {
                Expr::depth_over(items)
            }
            ExprKind::Call { args, .. } => Expr::depth_over(args),
            ExprKind::Map(pairs) => Expr::depth_over(pairs.iter().flat_map(|(k, v)| [k, v])),
            ExprKind::Not(e) | ExprKind::Neg(e) | ExprKind::Has { base: e, .. } => {
                Expr::depth_over([e.as_ref()])
            }
            ExprKind::Binary { first, rest } => {
                Expr::depth_over(std::iter::once(first.as_ref()).chain(rest.iter().map(|r| &r.1)))
            }
            ExprKind::Cond(parts) => Expr::depth_over(parts.iter()),
            ExprKind::Matches { target, pattern } => match pattern {
                Pattern::Fixed(_) | Pattern::Simple(_) | Pattern::Literal { .. } => {
                    Expr::depth_over([target.as_ref()])
                }
                Pattern::Dynamic(p) => Expr::depth_over([target.as_ref(), p.as_ref()]),
            },
        };
        if depth > MAX_DEPTH {
            return Err(self.too_deep(at));
        }
        Ok(Expr { kind, depth })
    }

    fn too_deep(&self, at: usize) -> SyntaxError {
        self.error_at(
            at,
            SyntaxErrorCode::TooDeep,
            format!("expression is nested deeper than {MAX_DEPTH} levels"),
        )
    }

    /// `expr: or ('?' or ':' expr)?`: the entry of every nested expression.
    fn expr(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.start();
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.too_deep(at));
        }
        let cond = self.or()?;
        let result = if self.eat(&Tok::Question) {
            let then = self.or()?;
            self.expect(&Tok::Colon, "':'")?;
            let otherwise = self.expr()?;
            self.node(ExprKind::Cond(Box::new([cond, then, otherwise])), at)
        } else {
            Ok(cond)
        };
        self.depth -= 1;
        result
    }

    fn or(&mut self) -> Result<Expr, SyntaxError> {
        self.logical(Self::and, &Tok::OrOr, ExprKind::Or)
    }

    fn and(&mut self) -> Result<Expr, SyntaxError> {
        self.logical(Self::relation, &Tok::AndAnd, ExprKind::And)
    }

    /// A run of `&&` or `||` operands, kept flat (one n-ary node).
    fn logical(
        &mut self,
        operand: fn(&mut Self) -> Result<Expr, SyntaxError>,
        op: &Tok,
        make: fn(Vec<Expr>) -> ExprKind,
    ) -> Result<Expr, SyntaxError> {
        let at = self.start();
        let mut terms = vec![operand(self)?];
        while self.eat(op) {
            terms.push(operand(self)?);
        }
        match terms.pop() {
            Some(only) if terms.is_empty() => Ok(only),
            Some(last) => {
                terms.push(last);
                self.node(make(terms), at)
            }
            None => Err(self.unexpected("an expression")),
        }
    }

    fn chain(
        &mut self,
        operand: fn(&mut Self) -> Result<Expr, SyntaxError>,
        operator: fn(&Tok) -> Option<BinOp>,
    ) -> Result<Expr, SyntaxError> {
        let at = self.start();
        let first = operand(self)?;
        let mut rest = Vec::new();
        while let Some(op) = operator(self.peek()) {
            self.bump();
            rest.push((op, operand(self)?));
        }
        if rest.is_empty() {
            return Ok(first);
        }
        self.node(
            ExprKind::Binary {
                first: Box::new(first),
                rest,
            },
            at,
        )
    }

    fn relation(&mut self) -> Result<Expr, SyntaxError> {
        self.chain(Self::addition, |t| match t {
            Tok::EqEq => Some(BinOp::Eq),
            Tok::NotEq => Some(BinOp::Ne),
            Tok::Lt => Some(BinOp::Lt),
            Tok::Le => Some(BinOp::Le),
            Tok::Gt => Some(BinOp::Gt),
            Tok::Ge => Some(BinOp::Ge),
            Tok::In => Some(BinOp::In),
            _ => None,
        })
    }

    fn addition(&mut self) -> Result<Expr, SyntaxError> {
        self.chain(Self::multiplication, |t| match t {
            Tok::Plus => Some(BinOp::Add),
            Tok::Minus => Some(BinOp::Sub),
            _ => None,
        })
    }

    fn multiplication(&mut self) -> Result<Expr, SyntaxError> {
        self.chain(Self::unary, |t| match t {
            Tok::Star => Some(BinOp::Mul),
            Tok::Slash => Some(BinOp::Div),
            Tok::Percent => Some(BinOp::Rem),
            _ => None,
        })
    }

    /// `unary: member | '!'+ member | '-'+ member`. As in cel-go, an even
    /// run of one operator cancels out, and `-` directly before a number
    /// is part of the literal (so `-9223372036854775808` is an int).
    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.start();
        let op = self.peek().clone();
        let negative_literal =
            op == Tok::Minus && matches!(self.peek_second(), Tok::Int(_) | Tok::Double(_));
        if !matches!(op, Tok::Bang | Tok::Minus) || negative_literal {
            return self.member();
        }
        let mut count = 0usize;
        while self.eat(&op) {
            count += 1;
        }
        let operand = self.member()?;
        if count % 2 == 0 {
            return Ok(operand);
        }
        let kind = if op == Tok::Bang {
            ExprKind::Not(Box::new(operand))
        } else {
            ExprKind::Neg(Box::new(operand))
        };
        self.node(kind, at)
    }

    /// `member: primary ('.' IDENT | '.' IDENT '(' args ')' | '[' expr ']')*`.
    fn member(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.start();
        let mut base = self.primary()?;
        let mut steps: Vec<Step> = Vec::new();
        loop {
            if self.eat(&Tok::Dot) {
                let name_at = self.start();
                let name = self.name("a field or method name after '.'")?;
                if self.peek() == &Tok::LParen {
                    base = self.finish_path(base, std::mem::take(&mut steps), at)?;
                    self.bump();
                    let args = self.arguments()?;
                    base = self.method(base, &name, args, name_at)?;
                } else {
                    steps.push(Step::Field(name.into()));
                }
            } else if self.eat(&Tok::LBracket) {
                let index = self.expr()?;
                self.expect(&Tok::RBracket, "']'")?;
                steps.push(Step::Index(index));
            } else {
                return self.finish_path(base, steps, at);
            }
        }
    }

    fn finish_path(&self, base: Expr, steps: Vec<Step>, at: usize) -> Result<Expr, SyntaxError> {
        if steps.is_empty() {
            return Ok(base);
        }
        self.node(
            ExprKind::Path {
                base: Box::new(base),
                steps,
            },
            at,
        )
    }

    /// An identifier that may name a variable or a field.
    fn name(&mut self, expected: &str) -> Result<String, SyntaxError> {
        if self.peek() != &Tok::Ident {
            return Err(self.unexpected(expected));
        }
        let text = self.text().to_owned();
        if RESERVED.contains(&text.as_str()) {
            return Err(self.error_at(
                self.start(),
                SyntaxErrorCode::ReservedIdentifier,
                format!("'{text}' is a reserved word in CEL"),
            ));
        }
        self.bump();
        Ok(text)
    }

    /// Comma-separated arguments after '(' up to and including ')'.
    fn arguments(&mut self) -> Result<Vec<Expr>, SyntaxError> {
        let mut args = Vec::new();
        if self.eat(&Tok::RParen) {
            return Ok(args);
        }
        loop {
            args.push(self.expr()?);
            if self.eat(&Tok::RParen) {
                return Ok(args);
            }
            self.expect(&Tok::Comma, "',' or ')'")?;
        }
    }

    fn primary(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.start();
        let constant = match self.peek().clone() {
            Tok::Int(m) => Some(self.int_literal(m, false, at)?),
            Tok::Uint(u) => Some(Val::Uint(u)),
            Tok::Double(d) => Some(Val::Double(d)),
            Tok::Str(s) => Some(Val::Str(Cow::Owned(s))),
            Tok::Bytes(b) => Some(Val::Bytes(Cow::Owned(b))),
            Tok::True => Some(Val::Bool(true)),
            Tok::False => Some(Val::Bool(false)),
            Tok::Null => Some(Val::Null),
            Tok::Minus => match self.peek_second().clone() {
                Tok::Int(m) => {
                    self.bump();
                    Some(self.int_literal(m, true, at)?)
                }
                Tok::Double(d) => {
                    self.bump();
                    Some(Val::Double(-d))
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(value) = constant {
            self.bump();
            return self.node(ExprKind::Const(value), at);
        }
        match self.peek() {
            Tok::Dot if self.peek_second() == &Tok::Ident => {
                // A leading dot names a variable in the root scope.
                self.bump();
                self.identifier(at)
            }
            Tok::Ident => self.identifier(at),
            Tok::LParen => {
                self.bump();
                let inner = self.expr()?;
                self.expect(&Tok::RParen, "')'")?;
                Ok(inner)
            }
            Tok::LBracket => {
                self.bump();
                self.list(at)
            }
            Tok::LBrace => {
                self.bump();
                self.map(at)
            }
            _ => Err(self.unexpected("an expression")),
        }
    }

    fn int_literal(
        &self,
        magnitude: u64,
        negative: bool,
        at: usize,
    ) -> Result<Val<'static>, SyntaxError> {
        let value = if negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        };
        value.map(Val::Int).ok_or_else(|| {
            self.error_at(
                at,
                SyntaxErrorCode::InvalidNumber,
                "integer literal is out of the 64-bit signed range (use a 'u' suffix for uint)"
                    .to_owned(),
            )
        })
    }

    fn identifier(&mut self, at: usize) -> Result<Expr, SyntaxError> {
        let name = self.name("an identifier")?;
        if self.eat(&Tok::LParen) {
            let args = self.arguments()?;
            return self.global_call(&name, args, at);
        }
        self.node(ExprKind::Ident(name.into()), at)
    }

    fn list(&mut self, at: usize) -> Result<Expr, SyntaxError> {
        let mut items = Vec::new();
        while !self.eat(&Tok::RBracket) {
            items.push(self.expr()?);
            if !self.eat(&Tok::Comma) {
                self.expect(&Tok::RBracket, "',' or ']'")?;
                break;
            }
        }
        if items.iter().all(|e| matches!(e.kind, ExprKind::Const(_))) {
            let values: Vec<Val<'static>> = items.into_iter().filter_map(into_const).collect();
            let list = match StringList::of(&values) {
                Some(strings) if values.len() >= StringList::MIN_LEN => {
                    List::Strings(Arc::new(strings))
                }
                _ => List::Owned(Arc::from(values)),
            };
            return self.node(ExprKind::Const(Val::List(list)), at);
        }
        self.node(ExprKind::List(items), at)
    }

    fn map(&mut self, at: usize) -> Result<Expr, SyntaxError> {
        let mut pairs = Vec::new();
        while !self.eat(&Tok::RBrace) {
            let key = self.expr()?;
            self.expect(&Tok::Colon, "':'")?;
            let value = self.expr()?;
            pairs.push((key, value));
            if !self.eat(&Tok::Comma) {
                self.expect(&Tok::RBrace, "',' or '}'")?;
                break;
            }
        }
        // A literal map is folded only when CEL would build it without
        // error; otherwise the error belongs to evaluation, as in CEL.
        let foldable = pairs
            .iter()
            .enumerate()
            .all(|(i, (k, v))| match (&k.kind, &v.kind) {
                (ExprKind::Const(key), ExprKind::Const(_)) => {
                    matches!(key, Val::Int(_) | Val::Uint(_) | Val::Bool(_) | Val::Str(_))
                        && !pairs.iter().take(i).any(|(prev, _)| match &prev.kind {
                            ExprKind::Const(p) => key_eq(p, key),
                            _ => false,
                        })
                }
                _ => false,
            });
        if foldable {
            let values: Vec<(Val<'static>, Val<'static>)> = pairs
                .into_iter()
                .filter_map(|(k, v)| Some((into_const(k)?, into_const(v)?)))
                .collect();
            return self.node(ExprKind::Const(Val::Map(Map::Owned(Arc::from(values)))), at);
        }
        self.node(ExprKind::Map(pairs), at)
    }

    fn arity(&self, name: &str, args: &[Expr], want: usize, at: usize) -> Result<(), SyntaxError> {
        if args.len() == want {
            return Ok(());
        }
        Err(self.error_at(
            at,
            SyntaxErrorCode::WrongArgumentCount,
            format!("{name} takes {want} argument(s), got {}", args.len()),
        ))
    }

    fn unknown(&self, name: &str, method: bool, at: usize) -> SyntaxError {
        let what = if method { "method" } else { "function" };
        let message = if UNSUPPORTED.contains(&name) {
            format!("{what} '{name}' is not supported in this CEL subset")
        } else {
            format!("unknown {what} '{name}'")
        };
        self.error_at(at, SyntaxErrorCode::UnknownFunction, message)
    }

    fn global_call(&self, name: &str, mut args: Vec<Expr>, at: usize) -> Result<Expr, SyntaxError> {
        let func = match name {
            "has" => return self.has(args, at),
            "matches" => {
                self.arity("matches", &args, 2, at)?;
                let pattern = args.pop();
                let target = args.pop();
                return match (target, pattern) {
                    (Some(t), Some(p)) => self.matches(t, p, at),
                    _ => Err(self.unknown(name, false, at)),
                };
            }
            "size" => Func::Size,
            "int" => Func::Int,
            "uint" => Func::Uint,
            "double" => Func::Double,
            "string" => Func::String,
            "bytes" => Func::Bytes,
            "bool" => Func::Bool,
            "dyn" => Func::Dyn,
            _ => return Err(self.unknown(name, false, at)),
        };
        self.arity(name, &args, 1, at)?;
        self.node(ExprKind::Call { func, args }, at)
    }

    fn method(
        &self,
        receiver: Expr,
        name: &str,
        mut args: Vec<Expr>,
        at: usize,
    ) -> Result<Expr, SyntaxError> {
        let (func, want) = match name {
            "size" => (Func::Size, 0),
            "contains" => (Func::Contains, 1),
            "startsWith" => (Func::StartsWith, 1),
            "endsWith" => (Func::EndsWith, 1),
            "matches" => {
                self.arity("matches", &args, 1, at)?;
                return match args.pop() {
                    Some(pattern) => self.matches(receiver, pattern, at),
                    None => Err(self.unknown(name, true, at)),
                };
            }
            _ => return Err(self.unknown(name, true, at)),
        };
        self.arity(name, &args, want, at)?;
        args.insert(0, receiver);
        self.node(ExprKind::Call { func, args }, at)
    }

    fn matches(&self, target: Expr, pattern: Expr, at: usize) -> Result<Expr, SyntaxError> {
        let pattern = match &pattern.kind {
            ExprKind::Const(Val::Str(text)) => {
                let regex = compile_regex(text).map_err(|e| {
                    self.error_at(
                        at,
                        SyntaxErrorCode::InvalidRegex,
                        format!("invalid regular expression: {e}"),
                    )
                })?;
                match literal_pattern(text) {
                    Some((text, start, end)) => Pattern::Literal {
                        text: text.into(),
                        start,
                        end,
                    },
                    None => match SimplePattern::parse(text) {
                        Some(simple) => Pattern::Simple(simple),
                        None => Pattern::Fixed(regex),
                    },
                }
            }
            _ => Pattern::Dynamic(Box::new(pattern)),
        };
        self.node(
            ExprKind::Matches {
                target: Box::new(target),
                pattern,
            },
            at,
        )
    }

    /// `has(e.f)`: the argument must end in a field selection.
    fn has(&self, mut args: Vec<Expr>, at: usize) -> Result<Expr, SyntaxError> {
        self.arity("has", &args, 1, at)?;
        let invalid = || {
            self.error_at(
                at,
                SyntaxErrorCode::InvalidHasArgument,
                "has() takes a field selection such as has(event.properties.plan)".to_owned(),
            )
        };
        let arg = args.pop().ok_or_else(invalid)?;
        let ExprKind::Path { base, mut steps } = arg.kind else {
            return Err(invalid());
        };
        let Some(Step::Field(field)) = steps.pop() else {
            return Err(invalid());
        };
        let base = if steps.is_empty() {
            *base
        } else {
            self.node(ExprKind::Path { base, steps }, at)?
        };
        self.node(
            ExprKind::Has {
                base: Box::new(base),
                field,
            },
            at,
        )
    }
}

fn into_const(e: Expr) -> Option<Val<'static>> {
    match e.kind {
        ExprKind::Const(v) => Some(v),
        _ => None,
    }
}

/// The text a pattern matches literally, and whether it is anchored at
/// the start (`^`) and end (`$`), when it has no other metacharacter; an
/// escaped punctuation character (`\\.`) stands for itself.
fn literal_pattern(pattern: &str) -> Option<(String, bool, bool)> {
    let (start, body) = match pattern.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let mut text = String::with_capacity(body.len());
    let mut end = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) if literal_escape(escaped) => text.push(escaped),
                _ => return None,
            },
            '$' if chars.peek().is_none() => end = true,
            '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' => {
                return None
            }
            other => text.push(other),
        }
    }
    Some((text, start, end))
}

/// Compiles a pattern with regex-lite (linear-time matching, RE2-like syntax).
pub(crate) fn compile_regex(pattern: &str) -> Result<regex_lite::Regex, regex_lite::Error> {
    regex_lite::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .nest_limit(MAX_DEPTH as u32)
        .build()
}
