//! Evaluates a filter over arbitrary text read as a JSON array (the batch
//! scanner, `Filter::evaluate_json_array`). The first line is the filter
//! when it has one that compiles, else a fixed filter that reads, tests and
//! wholly uses parts of the items. Checks that nothing panics and that,
//! whenever serde_json reads the text as an array of values, the batch
//! reads it too and every outcome equals evaluating that value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use triggerkit::filter::{EvalError, Filter};

const DEFAULT: &str =
    "event.properties.plan == 'pro' || size(event.tags) > 1 || has(customer.email)";

fn codes(outcomes: &[Result<bool, EvalError>]) -> Vec<Result<bool, &'static str>> {
    outcomes
        .iter()
        .map(|r| r.as_ref().map(|b| *b).map_err(EvalError::code))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (filter, rest) = match text.split_once('\n') {
        Some((expr, rest)) => match Filter::compile(expr) {
            Ok(filter) => (filter, rest),
            Err(_) => (Filter::compile(DEFAULT).expect("compiles"), text.as_ref()),
        },
        None => (Filter::compile(DEFAULT).expect("compiles"), text.as_ref()),
    };
    let batch = filter.evaluate_json_array(rest);
    if let Ok(items) = serde_json::from_str::<Vec<Value>>(rest) {
        let batch = batch.expect("a JSON array serde_json reads is read");
        let whole: Vec<_> = items
            .iter()
            .map(|v| filter.evaluate(&triggerkit::json::Value::from(v)))
            .collect();
        assert_eq!(codes(&batch), codes(&whole), "{}", filter.source());
    }
});
