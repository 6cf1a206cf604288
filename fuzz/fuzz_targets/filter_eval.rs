//! Compiles the first line of the input and evaluates it against the rest
//! (JSON data when it parses, else fixed sample data). Checks that nothing
//! panics and that evaluating through the filter's projection (the batch
//! path that parses only what the filter reads) gives exactly the result
//! of evaluating the whole value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use triggerkit::filter::Filter;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (expr, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let Ok(filter) = Filter::compile(expr) else {
        return;
    };
    let value: Value = serde_json::from_str(rest).unwrap_or_else(|_| {
        json!({
            "event": {"name": "purchase", "properties": {"plan": "pro", "amount": 150, "tags": ["a", "b"], "n": null}},
            "customer": {"email": "ann@example.com", "name": "Zoë"},
            "customer_id": "cus_1", "x": 1, "s": "héllo", "l": [1, 2.5, "three", [4], {"five": 5}]
        })
    });
    let value = triggerkit::json::Value::from(&value);
    let whole = filter.evaluate(&value);
    let _ = filter.evaluate_value(&value);
    let batch = format!("[{}]", triggerkit::json::to_string(&value));
    let projected = filter
        .evaluate_json_array(&batch)
        .expect("serialized JSON parses");
    let code = |r: &Result<bool, triggerkit::filter::EvalError>| {
        r.as_ref().map(|b| *b).map_err(|e| e.code())
    };
    assert_eq!(projected.len(), 1);
    assert_eq!(
        code(&projected[0]),
        code(&whole),
        "projection changed the result of {expr}"
    );
});
