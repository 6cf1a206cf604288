//! Errors of the rule engine: what is thrown when an argument is not what
//! the API takes (bad trigger data is reported per trigger, never thrown).

use std::fmt;

/// Why a rule-engine call could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulesError {
    /// The triggers argument is neither an array nor `{triggers: [...]}`.
    InvalidTriggers(String),
    /// The updates text is not JSON (or nests too deep).
    InvalidJson {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// An update is not a ticket update (not an object, no `ticket` object...).
    InvalidUpdate {
        /// The update's index in a batch (`None` for a single update).
        index: Option<usize>,
        /// What is wrong.
        message: String,
    },
}

impl RulesError {
    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            RulesError::InvalidTriggers(_) => "invalid_triggers",
            RulesError::InvalidJson { .. } => "invalid_json",
            RulesError::InvalidUpdate { .. } => "invalid_update",
        }
    }

    /// Classifies a serde_json error met while reading update number `index`.
    pub(crate) fn from_json(e: &serde_json::Error, index: Option<usize>) -> Self {
        if e.is_data() {
            RulesError::InvalidUpdate {
                index,
                message: e.to_string(),
            }
        } else {
            RulesError::InvalidJson {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            }
        }
    }
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RulesError::InvalidTriggers(m) => write!(f, "invalid triggers: {m}"),
            RulesError::InvalidJson { message, .. } => write!(f, "invalid JSON: {message}"),
            RulesError::InvalidUpdate {
                index: Some(i),
                message,
            } => write!(f, "invalid update at index {i}: {message}"),
            RulesError::InvalidUpdate {
                index: None,
                message,
            } => write!(f, "invalid update: {message}"),
        }
    }
}

impl std::error::Error for RulesError {}
