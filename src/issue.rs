//! Located validation problems: the `{path, code, message}` issue, the
//! JSON Pointer builder every validator uses, and the `ValidationResult`
//! envelope (errors, warnings, normalized value) all five formats return.

use serde::{Deserialize, Serialize};

/// One problem found in an input, located by a JSON Pointer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Issue {
    /// RFC 6901 JSON Pointer into the input (`""` is the whole input).
    pub path: String,
    /// Stable machine-readable code (see the README's table of codes).
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

/// The outcome of validating one input: every error and warning at once,
/// and the normalized value when there is no error. Its TypeScript type is
/// a union discriminated on `valid` (declared in `wasm::validate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationResult<T> {
    /// True when `errors` is empty.
    pub valid: bool,
    /// Problems that make the server reject the input.
    pub errors: Vec<Issue>,
    /// Problems the server accepts but that will misbehave or are deprecated.
    pub warnings: Vec<Issue>,
    /// The normalized input (types coerced, defaults filled), present when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<T>,
}

impl<T> ValidationResult<T> {
    /// Builds a result from collected issues; `value` is dropped when any error exists.
    pub fn from_parts(issues: Issues, value: Option<T>) -> Self {
        let valid = issues.errors.is_empty();
        ValidationResult {
            valid,
            errors: issues.errors,
            warnings: issues.warnings,
            value: if valid { value } else { None },
        }
    }
}

/// A JSON Pointer under construction. Cheap to extend: each child owns its
/// own string so validators can pass `&path.key("x")` down without lifetimes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document (`""`).
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// The pointer to member `name` of the object this pointer designates.
    pub fn key(&self, name: &str) -> Self {
        let mut s = String::with_capacity(self.0.len() + name.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        for c in name.chars() {
            match c {
                '~' => s.push_str("~0"),
                '/' => s.push_str("~1"),
                _ => s.push(c),
            }
        }
        Pointer(s)
    }

    /// The pointer to element `index` of the array this pointer designates.
    pub fn index(&self, index: usize) -> Self {
        Pointer(format!("{}/{}", self.0, index))
    }

    /// The pointer text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Collects errors and warnings while a validator walks its input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Issues {
    /// Problems that make the input invalid.
    pub errors: Vec<Issue>,
    /// Problems that do not make the input invalid.
    pub warnings: Vec<Issue>,
}

impl Issues {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error at `path`.
    pub fn error(&mut self, path: &Pointer, code: &str, message: impl Into<String>) {
        self.errors.push(Issue {
            path: path.0.clone(),
            code: code.to_owned(),
            message: message.into(),
        });
    }

    /// Records a warning at `path`.
    pub fn warning(&mut self, path: &Pointer, code: &str, message: impl Into<String>) {
        self.warnings.push(Issue {
            path: path.0.clone(),
            code: code.to_owned(),
            message: message.into(),
        });
    }

    /// True when no error has been recorded (warnings do not count).
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_tilde_and_slash() {
        let p = Pointer::root().key("a/b").key("m~n").index(3);
        assert_eq!(p.as_str(), "/a~1b/m~0n/3");
    }

    #[test]
    fn result_drops_value_when_invalid() {
        let mut issues = Issues::new();
        issues.error(&Pointer::root().key("x"), "required", "missing");
        let r = ValidationResult::from_parts(issues, Some(1));
        assert!(!r.valid);
        assert_eq!(r.value, None);
        assert_eq!(r.errors[0].path, "/x");
    }
}
