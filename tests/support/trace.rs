//! Checks that a trace agrees with plain evaluation, for the rule-engine
//! suites: `explain` gives `evaluate`'s fired triggers, ticket and effects
//! (or its error), from a value and from JSON text, and its passes are a
//! consistent account of the firing cycle.

use serde_json::Value;
use triggerkit::rules::{EvaluationResult, RuleSet, ZendeskExplanation, ZendeskTraceOutcome};

/// Evaluates `update`, checks `explain` against it, and returns the result.
pub fn evaluate_checked(rules: &RuleSet, update: &Value) -> Result<EvaluationResult, String> {
    let plain = rules.evaluate(update);
    let traced = rules.explain(update);
    let from_text = rules.explain_json(&update.to_string());
    match (plain, traced, from_text) {
        (Ok(plain), Ok(traced), Ok(from_text)) => {
            assert_eq!(
                traced, from_text,
                "explain and explain_json differ on {update}"
            );
            check_trace(rules, &plain, &traced, update);
            Ok(plain)
        }
        (Err(a), Err(b), Err(c)) => {
            assert_eq!(a, b, "explain's error differs on {update}");
            assert_eq!(
                a.code(),
                c.code(),
                "explain_json's error differs on {update}"
            );
            Err(a.to_string())
        }
        (a, b, c) => panic!("evaluate and explain disagree on {update}: {a:?} / {b:?} / {c:?}"),
    }
}

/// The checks of one trace against the evaluation of the same update.
pub fn check_trace(
    rules: &RuleSet,
    plain: &EvaluationResult,
    x: &ZendeskExplanation,
    update: &Value,
) {
    assert_eq!(x.fired, plain.fired, "fired differs on {update}");
    assert_eq!(x.ticket, plain.ticket, "ticket differs on {update}");
    assert_eq!(x.effects, plain.effects, "effects differ on {update}");
    let ids = rules.trigger_ids();
    assert!(!x.passes.is_empty(), "no pass on {update}");
    let mut fired = Vec::new();
    for (p, pass) in x.passes.iter().enumerate() {
        assert_eq!(pass.index, p);
        let seen: Vec<u64> = pass.triggers.iter().map(|t| t.id).collect();
        assert_eq!(
            seen.as_slice(),
            ids.get(..seen.len()).unwrap_or_default(),
            "pass {p} is not the triggers in order on {update}"
        );
        let last = p + 1 == x.passes.len();
        if last {
            assert_eq!(
                seen.len(),
                ids.len(),
                "the last pass stops early on {update}"
            );
        } else {
            assert_eq!(
                pass.triggers.last().map(|t| t.outcome),
                Some(ZendeskTraceOutcome::Fired),
                "pass {p} ends without a firing on {update}"
            );
        }
        for t in &pass.triggers {
            match t.outcome {
                ZendeskTraceOutcome::Skipped => {
                    assert!(fired.contains(&t.id), "{} skipped before firing", t.id);
                    assert!(t.conditions.all.is_empty() && t.conditions.any.is_empty());
                    assert!(t.actions.is_none());
                }
                outcome => {
                    assert!(!fired.contains(&t.id), "{} checked after firing", t.id);
                    let (all, any) = (&t.conditions.all, &t.conditions.any);
                    let holds = all.iter().all(|c| c.held)
                        && (any.is_empty() || any.iter().any(|c| c.held));
                    assert_eq!(
                        holds,
                        outcome == ZendeskTraceOutcome::Fired,
                        "trigger {} conditions vs outcome on {update}",
                        t.id
                    );
                    assert_eq!(t.actions.is_some(), holds);
                    if holds {
                        fired.push(t.id);
                    }
                }
            }
        }
    }
    assert_eq!(fired, plain.fired, "the passes' firings differ on {update}");
}
