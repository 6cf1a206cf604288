//! The Zendesk rule engine on any input: the first line is a trigger list
//! (a fixed one covering every condition and action kind when it is not
//! JSON), the rest a batch of ticket updates. Compilation either fails
//! with `invalid_triggers` or reports per-trigger problems; match-only and
//! the firing cycle read the same updates, agree on whether the batch is
//! readable, and write valid JSON; the index form has one well-formed entry
//! per update; a trace (`explain_json`) gives the cycle's own result; a
//! set diffed with itself over the batch changes nothing; nothing panics
//! or overflows the stack (also in traces and diffs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use triggerkit::rules::{
    diff_trigger_sets, EvaluationResult, RuleSet, TicketForm, IN_INPUT, IN_TEXT,
};

const TRIGGERS: &str = r#"[
 {"id": 1, "title": "a", "position": 2, "conditions": {
   "all": [{"field": "status", "operator": "less_than", "value": "solved"},
           {"field": "priority", "operator": "value", "value": "high"},
           {"field": "current_tags", "operator": "not_includes", "value": "x y"}],
   "any": [{"field": "subject_includes_word", "operator": "includes", "value": "a \"b c\""},
           {"field": "comment_includes_word", "operator": "is", "value": "b"},
           {"field": "custom_fields_7", "operator": "changed"},
           {"field": "requester.custom_fields.k", "operator": "includes_string", "value": "v"},
           {"field": "organization.custom_fields.t", "operator": "greater_than", "value": "2024-01-01"}]},
  "actions": [{"field": "current_tags", "value": "x"}, {"field": "priority", "value": "urgent"},
              {"field": "custom_fields_7", "value": ["p", "q"]},
              {"field": "notification_webhook", "value": ["1", "{}"]}]},
 {"id": 2, "title": "b", "position": 1, "conditions": {
   "all": [{"field": "current_tags", "operator": "includes", "value": "x"},
           {"field": "assignee_id", "operator": "is_not", "value": "current_user"},
           {"field": "satisfaction_score", "operator": "less_than", "value": "good"},
           {"field": "update_type", "operator": "is", "value": "Change"},
           {"field": "via_id", "operator": "is", "value": 4},
           {"field": "comment_is_public", "operator": "is", "value": true},
           {"field": "reopens", "operator": "greater_than", "value": 0},
           {"field": "recipient", "operator": "is_not", "value": "a@b.c"}]},
  "actions": [{"field": "remove_tags", "value": "x"}, {"field": "set_tags", "value": "z"},
              {"field": "assignee_id", "value": "current_user"}, {"field": "status", "value": "open"},
              {"field": "satisfaction_score", "value": "offered_to_requester"}]}
]"#;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (head, updates) = text.split_once('\n').unwrap_or((&text, ""));
    let triggers: Value = match serde_json::from_str(head) {
        Ok(v) => v,
        Err(_) => serde_json::from_str(TRIGGERS).expect("TRIGGERS is JSON"),
    };
    let rules = match RuleSet::compile_json(&triggers) {
        Ok(rules) => rules,
        Err(e) => {
            assert_eq!(e.code(), "invalid_triggers");
            return;
        }
    };
    for p in rules.problems() {
        assert!(p.path.starts_with("/triggers/") && !p.code.is_empty());
    }
    let rule_count = rules.trigger_ids().len();
    let mut seen = 0;
    let matched = rules.match_many_json(updates, |hits| {
        seen += 1;
        assert!(hits.windows(2).all(|w| w[0] < w[1]));
        assert!(hits.iter().all(|&h| (h as usize) < rule_count));
    });
    let evaluated = rules.evaluate_many_json(updates);
    match (&matched, &evaluated) {
        (Ok(count), Ok(out)) => {
            assert_eq!(*count, seen);
            let results: Vec<Value> = serde_json::from_str(out).expect("results are JSON");
            assert_eq!(results.len(), *count);
        }
        (Err(_), Err(_)) => {}
        _ => panic!(
            "match-only and the cycle disagree: {matched:?} / {:?}",
            evaluated.map(|_| ())
        ),
    }
    let input_units = updates.encode_utf16().count();
    for form in [TicketForm::Whole, TicketForm::Patch] {
        let indexed = rules.evaluate_many_indexed(updates, form);
        assert_eq!(indexed.is_ok(), evaluated.is_ok(), "{form:?}");
        let (Ok(indexed), Ok(count)) = (indexed, &matched) else {
            continue;
        };
        let text_units = indexed.text.encode_utf16().count();
        let (index, mut p, mut entries) = (&indexed.index, 0, 0);
        while p < index.len() {
            let (place, start, end, n) = (index[p], index[p + 1], index[p + 2], index[p + 3]);
            let limit = if place == IN_INPUT {
                input_units
            } else {
                text_units
            };
            assert!(place == IN_INPUT || place == IN_TEXT);
            assert!(start <= end && end as usize <= limit);
            let fired = &index[p + 4..p + 4 + n as usize];
            assert!(fired.iter().all(|&f| (f as usize) < rule_count));
            p += 4 + n as usize;
            entries += 1;
        }
        assert_eq!(entries, *count);
    }
    // Both read each update from its own text: nesting limits count from
    // there, so only agreement on what both accept is asserted.
    if let (Ok(diff), Ok(count)) = (diff_trigger_sets(&rules, &rules, updates), &matched) {
        assert!(diff.changes.is_empty() && diff.summary.triggers.is_empty());
        assert_eq!(diff.summary.updates, *count);
    }
    // A trace parses the ticket (128 levels at most); evaluation may echo it.
    let single = rules.evaluate_json(updates);
    if let Ok(x) = rules.explain_json(updates) {
        let out = single.expect("evaluate reads what explain reads");
        let r: EvaluationResult = serde_json::from_str(&out).expect("a result is JSON");
        assert_eq!(
            (r.fired, r.ticket, r.effects),
            (x.fired, x.ticket, x.effects)
        );
    }
});
