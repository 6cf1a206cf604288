//! Hostile JSON for the native validator tests: values nested far deeper
//! than any recursion could follow, taken apart without recursion, and the
//! JSON Pointer of every place in a document (to put wrong types there).

use serde_json::{json, Value};

/// Values of every JSON type, to put where something else belongs.
pub fn fillers() -> [Value; 7] {
    [
        json!(null),
        json!(0),
        json!(""),
        json!(true),
        json!([]),
        json!({}),
        json!(-1.5),
    ]
}

/// A JSON value nested `depth` levels (arrays and objects in turn), built
/// without recursion. `json!` is not used: it would copy the inner value
/// by recursion.
pub fn deep(depth: usize) -> Value {
    let mut value = json!("bottom");
    for i in 0..depth {
        value = if i % 2 == 0 {
            Value::Array(vec![value])
        } else {
            Value::Object(std::iter::once(("a".to_owned(), value)).collect())
        };
    }
    value
}

/// Takes a deep value apart iteratively: the default drop recurses.
pub fn dismantle(value: Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => stack.extend(members.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

/// The JSON Pointer of every value in `document`, the root included.
pub fn pointers(document: &Value) -> Vec<String> {
    let mut found = vec![String::new()];
    let mut stack = vec![(String::new(), document)];
    while let Some((path, value)) = stack.pop() {
        let children: Vec<(String, &Value)> = match value {
            Value::Object(m) => m.iter().map(|(k, v)| (format!("{path}/{k}"), v)).collect(),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{path}/{i}"), v))
                .collect(),
            _ => Vec::new(),
        };
        for (child, value) in children {
            found.push(child.clone());
            stack.push((child, value));
        }
    }
    found
}
