//! Helpers shared by the native validator tests.

use serde_json::Value;
use triggerkit::Issue;

mod data;
pub use data::with_data;

/// Issues as `(path, code)` pairs, in order.
pub type Located<'a> = Vec<(&'a str, &'a str)>;

/// The `(path, code)` of each issue, in order.
pub fn located(issues: &[Issue]) -> Located<'_> {
    issues
        .iter()
        .map(|i| (i.path.as_str(), i.code.as_str()))
        .collect()
}

/// `body` with member `key` set to `value`, or removed when `value` is None.
pub fn with_member(mut body: Value, key: &str, value: Option<Value>) -> Value {
    if let Some(members) = body.as_object_mut() {
        match value {
            Some(v) => members.insert(key.to_owned(), v),
            None => members.remove(key),
        };
    }
    body
}
