//! The matcher: a [`Node`] tree compiled into a Thompson NFA, run by
//! simulating every thread at once over the UTF-16 code units of the input.
//!
//! Only whether a match exists is needed, so threads carry no captures and
//! each NFA state is visited at most once per input position: the search
//! takes `O(states × input)` time whatever the pattern, with the number of
//! states bounded by [`MAX_STATES`]. Counted repetitions are expanded into
//! copies of their body, which is what that bound limits.

use super::parse::{Look, Node};
use super::PatternError;

/// Largest compiled program, in instructions.
const MAX_STATES: usize = 1 << 13;

/// One NFA state. Jump targets are instruction indices.
#[derive(Debug, Clone, Copy)]
enum Inst {
    /// Consume this code unit.
    Unit(u16),
    /// Consume a code unit in `ranges[start..end]`.
    Class(u32, u32),
    /// Continue only where the assertion holds.
    Look(Look),
    /// Continue at both.
    Split(u32, u32),
    Jump(u32),
    Match,
}

impl Inst {
    /// The same instruction in a copy placed `by` instructions later.
    fn moved(self, by: u32) -> Inst {
        match self {
            Inst::Split(a, b) => Inst::Split(a + by, b + by),
            Inst::Jump(a) => Inst::Jump(a + by),
            other => other,
        }
    }
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(super) struct Program {
    insts: Vec<Inst>,
    ranges: Vec<(u16, u16)>,
    /// Every match starts at the input start (the pattern begins with `^`),
    /// so the search need not restart at later positions.
    anchored: bool,
}

/// Reusable buffers of a search.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    /// For each state, the step at which it last joined a list.
    seen: Vec<usize>,
    current: Vec<u32>,
    next: Vec<u32>,
    stack: Vec<u32>,
}

impl Program {
    /// Compiles a parsed pattern.
    pub(super) fn compile(node: &Node) -> Result<Program, PatternError> {
        let mut compiler = Compiler {
            insts: Vec::new(),
            ranges: Vec::new(),
        };
        compiler.node(node)?;
        compiler.emit(Inst::Match)?;
        let anchored = matches!(compiler.insts.first(), Some(Inst::Look(Look::Start)));
        Ok(Program {
            insts: compiler.insts,
            ranges: compiler.ranges,
            anchored,
        })
    }

    /// Whether the pattern matches anywhere in `text`, read as UTF-16.
    pub(super) fn is_match(&self, text: &str, scratch: &mut Scratch) -> bool {
        let Scratch {
            seen,
            current,
            next,
            stack,
        } = scratch;
        seen.clear();
        seen.resize(self.insts.len(), 0);
        current.clear();
        next.clear();
        let mut units = text.encode_utf16();
        let mut before: Option<u16> = None;
        let mut here = units.next();
        // Lists are stamped with the step they belong to, so `seen` never
        // needs clearing between steps.
        let mut step = 1;
        // When every match starts by consuming one code unit, positions
        // where no thread is alive can be skipped up to one it accepts.
        let lead = match self.insts.first() {
            Some(&lead @ (Inst::Unit(_) | Inst::Class(..))) if !self.anchored => Some(lead),
            _ => None,
        };
        loop {
            if let (Some(lead), true) = (lead, current.is_empty()) {
                let mut skipped = false;
                while let Some(unit) = here.filter(|&unit| !self.consumes(lead, unit)) {
                    before = Some(unit);
                    here = units.next();
                    skipped = true;
                }
                // The marks of this step were made at another position.
                step += usize::from(skipped);
            }
            if step == 1 || !self.anchored {
                let at = Position { before, here };
                if self.add(0, at, step, seen, current, stack) {
                    return true;
                }
            } else if current.is_empty() {
                return false;
            }
            let Some(unit) = here else { return false };
            let after = units.next();
            let at = Position {
                before: here,
                here: after,
            };
            for &pc in current.iter() {
                let consumes = self
                    .insts
                    .get(pc as usize)
                    .is_some_and(|&inst| self.consumes(inst, unit));
                if consumes && self.add(pc + 1, at, step + 1, seen, next, stack) {
                    return true;
                }
            }
            std::mem::swap(current, next);
            next.clear();
            before = here;
            here = after;
            step += 1;
        }
    }

    /// Whether `inst` consumes `unit`.
    fn consumes(&self, inst: Inst, unit: u16) -> bool {
        match inst {
            Inst::Unit(u) => u == unit,
            Inst::Class(start, end) => self
                .ranges
                .get(start as usize..end as usize)
                .unwrap_or_default()
                .iter()
                .any(|&(lo, hi)| lo <= unit && unit <= hi),
            _ => false,
        }
    }

    /// Adds `pc` and every state reachable from it without consuming input
    /// to `list`; true when that reaches `Match`.
    fn add(
        &self,
        pc: u32,
        at: Position,
        step: usize,
        seen: &mut [usize],
        list: &mut Vec<u32>,
        stack: &mut Vec<u32>,
    ) -> bool {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            let Some(mark) = seen.get_mut(pc as usize) else {
                continue;
            };
            if *mark == step {
                continue;
            }
            *mark = step;
            match self.insts.get(pc as usize) {
                Some(Inst::Unit(_) | Inst::Class(..)) => list.push(pc),
                Some(Inst::Look(look)) if at.holds(*look) => stack.push(pc + 1),
                Some(Inst::Split(a, b)) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Some(Inst::Jump(a)) => stack.push(*a),
                Some(Inst::Match) => return true,
                Some(Inst::Look(_)) | None => {}
            }
        }
        false
    }
}

/// The code units on either side of an input position.
#[derive(Clone, Copy)]
struct Position {
    before: Option<u16>,
    here: Option<u16>,
}

impl Position {
    fn holds(self, look: Look) -> bool {
        let word = |c: Option<u16>| {
            c.and_then(|c| u8::try_from(c).ok())
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        };
        match look {
            Look::Start => self.before.is_none(),
            Look::End => self.here.is_none(),
            Look::WordBoundary => word(self.before) != word(self.here),
            Look::NotWordBoundary => word(self.before) == word(self.here),
        }
    }
}

struct Compiler {
    insts: Vec<Inst>,
    ranges: Vec<(u16, u16)>,
}

impl Compiler {
    fn len(&self) -> u32 {
        // Never truncates: `emit` keeps the length at most MAX_STATES.
        self.insts.len() as u32
    }

    fn emit(&mut self, inst: Inst) -> Result<u32, PatternError> {
        if self.insts.len() >= MAX_STATES {
            return Err(PatternError::TooLarge);
        }
        self.insts.push(inst);
        Ok(self.len() - 1)
    }

    /// Points the placeholder split at `at` to the next instruction and `to`.
    fn patch_split(&mut self, at: u32, to: u32) {
        if let Some(inst) = self.insts.get_mut(at as usize) {
            *inst = Inst::Split(at + 1, to);
        }
    }

    fn node(&mut self, node: &Node) -> Result<(), PatternError> {
        match node {
            Node::Empty => {}
            Node::Unit(u) => {
                self.emit(Inst::Unit(*u))?;
            }
            Node::Class(ranges) => {
                // Classes are few and small next to MAX_STATES instructions.
                let start = self.ranges.len() as u32;
                self.ranges.extend_from_slice(ranges);
                self.emit(Inst::Class(start, self.ranges.len() as u32))?;
            }
            Node::Look(look) => {
                self.emit(Inst::Look(*look))?;
            }
            Node::Concat(items) => {
                for item in items {
                    self.node(item)?;
                }
            }
            Node::Alt(items) => {
                let mut jumps = Vec::new();
                let mut items = items.iter().peekable();
                while let Some(item) = items.next() {
                    if items.peek().is_none() {
                        self.node(item)?;
                        break;
                    }
                    let split = self.emit(Inst::Split(0, 0))?;
                    self.node(item)?;
                    jumps.push(self.emit(Inst::Jump(0))?);
                    let next = self.len();
                    self.patch_split(split, next);
                }
                let end = self.len();
                for jump in jumps {
                    if let Some(inst) = self.insts.get_mut(jump as usize) {
                        *inst = Inst::Jump(end);
                    }
                }
            }
            Node::Repeat { node, min, max } => self.repeat(node, *min, *max)?,
        }
        Ok(())
    }

    /// `min` copies of the body, then either a loop (no `max`) or `max -
    /// min` nested optional copies.
    fn repeat(&mut self, node: &Node, min: u32, max: Option<u32>) -> Result<(), PatternError> {
        let start = self.len();
        self.node(node)?;
        let body = self.insts.split_off(start as usize);
        if body.is_empty() {
            // Any number of empty matches is one empty match.
            return Ok(());
        }
        let copy = |this: &mut Compiler| -> Result<u32, PatternError> {
            let at = this.len();
            for inst in &body {
                this.emit(inst.moved(at - start))?;
            }
            Ok(at)
        };
        for _ in 1..min {
            copy(self)?;
        }
        match max {
            None if min == 0 => {
                let split = self.emit(Inst::Split(0, 0))?;
                copy(self)?;
                self.emit(Inst::Jump(split))?;
                let end = self.len();
                self.patch_split(split, end);
            }
            None => {
                let body_at = copy(self)?;
                let next = self.len() + 1;
                self.emit(Inst::Split(body_at, next))?;
            }
            Some(max) => {
                if min > 0 {
                    copy(self)?;
                }
                let mut splits = Vec::new();
                for _ in min..max {
                    splits.push(self.emit(Inst::Split(0, 0))?);
                    copy(self)?;
                }
                let end = self.len();
                for split in splits {
                    self.patch_split(split, end);
                }
            }
        }
        Ok(())
    }
}
