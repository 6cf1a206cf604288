//! Test data built with serde_json handed to the validators, which take the
//! crate's own JSON data: converted and taken apart without recursion, so
//! the hostile tests' values nested 100,000 deep pass through unchanged.

use serde_json::Value;
use triggerkit::json;

/// Runs `check` on `value` converted to the crate's JSON data (numbers as
/// `f64`, as JavaScript reads them), then takes the converted value apart
/// iteratively (its default drop would recurse).
pub fn with_data<T>(value: &Value, check: impl FnOnce(&json::Value) -> T) -> T {
    let converted = convert(value);
    let out = check(&converted);
    dismantle(converted);
    out
}

/// One step of the conversion: a value to convert, or an array or object
/// whose converted items are the last ones done.
enum Step<'v> {
    Visit(&'v Value),
    Array(usize),
    Object(Vec<String>),
}

fn convert(value: &Value) -> json::Value {
    let mut steps = vec![Step::Visit(value)];
    let mut done: Vec<json::Value> = Vec::new();
    while let Some(step) = steps.pop() {
        match step {
            Step::Visit(Value::Array(items)) => {
                steps.push(Step::Array(items.len()));
                steps.extend(items.iter().rev().map(Step::Visit));
            }
            Step::Visit(Value::Object(members)) => {
                steps.push(Step::Object(members.keys().cloned().collect()));
                steps.extend(members.values().rev().map(Step::Visit));
            }
            Step::Visit(Value::Null) => done.push(json::Value::Null),
            Step::Visit(Value::Bool(b)) => done.push(json::Value::Bool(*b)),
            Step::Visit(Value::Number(n)) => {
                done.push(json::Value::Number(n.as_f64().unwrap_or(f64::NAN)))
            }
            Step::Visit(Value::String(s)) => done.push(json::Value::String(s.clone())),
            Step::Array(len) => {
                let items = done.split_off(done.len() - len);
                done.push(json::Value::Array(items));
            }
            Step::Object(keys) => {
                let values = done.split_off(done.len() - keys.len());
                let members = json::Map::from_pairs(keys.into_iter().zip(values).collect());
                done.push(json::Value::Object(members));
            }
        }
    }
    done.pop().expect("one value converted")
}

fn dismantle(value: json::Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            json::Value::Array(items) => stack.extend(items),
            json::Value::Object(members) => stack.extend(members.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}
