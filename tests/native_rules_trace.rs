//! Native tests of the Zendesk trace (`RuleSet::explain`) and of the diff of
//! two trigger sets (`diff_trigger_sets`): on seeded random rule sets and
//! updates, the trace must agree with `evaluate` and the diff with an
//! oracle built from two `evaluate` calls per update; plus the values a
//! trace reports on known updates.
#![cfg(feature = "zendesk")]

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use triggerkit::rules::{
    diff_reads, diff_trigger_sets, EvaluationResult, Reads, RuleSet, ZendeskConditionTrace,
    ZendeskTraceActual, ZendeskTraceOutcome, ZendeskTriggerDiffCounts,
};

#[path = "support/trace.rs"]
mod trace;
use trace::evaluate_checked;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

/// One of `items`, by value.
fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    *rng.pick(items)
}

const STATUS: &[&str] = &["new", "open", "pending", "hold", "solved", "closed"];
const PRIORITY: &[&str] = &["low", "normal", "high", "urgent"];
const TAGS: &[&str] = &["vip", "billing", "seen", "spam", "größe", "日本"];
const WORDS: &[&str] = &["refund", "urgent", "help", "ärger", "order", "naïve", "now"];

fn c(field: &str, operator: &str, value: Value) -> Value {
    json!({"field": field, "operator": operator, "value": value})
}

/// One random condition over the fields the updates below carry.
fn condition(rng: &mut Rng) -> Value {
    match rng.below(14) {
        0 => c(
            "status",
            pick(rng, &["is", "is_not", "less_than", "greater_than"]),
            json!(pick(rng, STATUS)),
        ),
        1 => c(
            "status",
            pick(rng, &["changed", "not_changed"]),
            Value::Null,
        ),
        2 => c(
            "status",
            pick(rng, &["value", "value_previous", "not_value"]),
            json!(pick(rng, STATUS)),
        ),
        3 => c(
            "priority",
            pick(rng, &["is", "less_than", "greater_than"]),
            json!(pick(rng, PRIORITY)),
        ),
        4 => c(
            "current_tags",
            pick(rng, &["includes", "not_includes"]),
            json!(format!("{} {}", pick(rng, TAGS), pick(rng, TAGS))),
        ),
        5 => c(
            "comment_includes_word",
            pick(rng, &["includes", "not_includes"]),
            json!(pick(rng, WORDS)),
        ),
        6 => c(
            "subject_includes_word",
            pick(rng, &["includes", "is"]),
            json!(pick(rng, WORDS)),
        ),
        7 => c(
            "group_id",
            pick(rng, &["is", "is_not"]),
            json!(rng.below(3) + 1),
        ),
        8 => c(
            "custom_fields_100",
            "is",
            json!(pick(rng, &["gold", "silver"])),
        ),
        9 => c(
            "custom_fields_100",
            pick(rng, &["changed", "not_changed"]),
            Value::Null,
        ),
        10 => c("update_type", "is", json!(pick(rng, &["Create", "Change"]))),
        11 => c("comment_is_public", "is", json!(pick(rng, &[true, false]))),
        12 => c("role", "is", json!(pick(rng, &["agent", "end_user"]))),
        _ => c("assignee_id", "is", json!(pick(rng, &["current_user", ""]))),
    }
}

/// One random action: ticket changes, tags and side effects.
fn action(rng: &mut Rng, id: u64) -> Value {
    match rng.below(9) {
        0 => json!({"field": "status", "value": pick(rng, &STATUS[1..])}),
        1 => json!({"field": "priority", "value": pick(rng, PRIORITY)}),
        2 => json!({"field": "current_tags", "value": pick(rng, TAGS)}),
        3 => json!({"field": "remove_tags", "value": pick(rng, TAGS)}),
        4 => {
            json!({"field": "set_tags", "value": format!("{} {}", pick(rng, TAGS), pick(rng, TAGS))})
        }
        5 => json!({"field": "group_id", "value": rng.below(3) + 1}),
        6 => {
            json!({"field": "custom_fields_100", "value": pick(rng, &["gold", "silver", "bronze"])})
        }
        7 => json!({"field": "assignee_id", "value": "current_user"}),
        _ => json!({"field": "notification_webhook", "value": [id.to_string(), "{}"]}),
    }
}

fn trigger(rng: &mut Rng, id: u64) -> Value {
    let all: Vec<Value> = (0..rng.below(4)).map(|_| condition(rng)).collect();
    let any: Vec<Value> = (0..rng.below(3)).map(|_| condition(rng)).collect();
    let actions: Vec<Value> = (0..1 + rng.below(3)).map(|_| action(rng, id)).collect();
    json!({"id": id, "title": format!("random {id}"), "position": rng.below(20),
           "active": !rng.chance(10),
           "conditions": {"all": all, "any": any}, "actions": actions})
}

fn triggers(rng: &mut Rng) -> Vec<Value> {
    (0..1 + rng.below(12) as u64)
        .map(|i| trigger(rng, 100 + i))
        .collect()
}

fn update(rng: &mut Rng) -> Value {
    let tags: Vec<&str> = TAGS.iter().copied().filter(|_| rng.chance(30)).collect();
    let words = |rng: &mut Rng| -> String {
        (0..rng.below(5))
            .map(|_| pick(rng, WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut ticket = json!({
        "id": rng.below(1000), "status": pick(rng, STATUS), "priority": pick(rng, PRIORITY),
        "tags": tags, "subject": words(rng), "group_id": rng.below(4),
        "custom_fields": [{"id": 100, "value": pick(rng, &["gold", "silver", ""])}],
        "extra": {"kept": true}
    });
    if rng.chance(30) {
        ticket["assignee_id"] = json!(7);
    }
    let mut u = Map::new();
    if rng.chance(60) {
        u.insert(
            "previous".into(),
            json!({"status": pick(rng, STATUS),
                   "custom_fields": [{"id": 100, "value": pick(rng, &["gold", "silver"])}]}),
        );
    }
    u.insert("ticket".into(), ticket);
    if rng.chance(70) {
        u.insert(
            "comment".into(),
            json!({"body": words(rng), "public": rng.chance(70)}),
        );
    }
    if rng.chance(60) {
        u.insert(
            "current_user".into(),
            json!({"id": 7, "role": pick(rng, &["agent", "end-user"])}),
        );
    }
    Value::Object(u)
}

/// `list` changed a little: a trigger dropped, one edited, one moved.
fn edited(rng: &mut Rng, list: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = list.to_vec();
    if out.len() > 1 && rng.chance(50) {
        out.remove(rng.below(out.len()));
    }
    if !out.is_empty() {
        let k = rng.below(out.len());
        let id = out[k]["id"].as_u64().unwrap_or(0);
        match rng.below(3) {
            0 => out[k]["conditions"]["all"] = json!([condition(rng)]),
            1 => out[k]["actions"] = json!([action(rng, id)]),
            _ => out[k]["position"] = json!(rng.below(20)),
        }
    }
    if rng.chance(30) {
        out.push(trigger(rng, 900));
    }
    out
}

fn compile(list: &[Value]) -> RuleSet {
    RuleSet::compile_json(&Value::Array(list.to_vec())).expect("triggers compile")
}

#[test]
fn traces_agree_with_evaluation_on_random_rule_sets() {
    let mut rng = Rng(0x7ace_5eed);
    let mut cases = 0;
    let (mut fired, mut restarts, mut skipped) = (0, 0, 0);
    for _ in 0..300 {
        let rules = compile(&triggers(&mut rng));
        assert!(rules.problems().is_empty(), "{:?}", rules.problems());
        for _ in 0..20 {
            let u = update(&mut rng);
            let r = evaluate_checked(&rules, &u).expect("update evaluates");
            let x = rules.explain(&u).expect("update explains");
            fired += usize::from(!r.fired.is_empty());
            restarts += usize::from(x.passes.len() > 1);
            skipped += x
                .passes
                .iter()
                .flat_map(|p| &p.triggers)
                .filter(|t| t.outcome == ZendeskTraceOutcome::Skipped)
                .count();
            cases += 1;
        }
    }
    assert_eq!(cases, 6000);
    // The generator exercises the cycle: firings, restarts, skips.
    assert!(
        fired > 1000 && restarts > 500 && skipped > 500,
        "{fired} {restarts} {skipped}"
    );
}

/// The diff of one update computed from two evaluations.
fn oracle_ticket(a: &Value, b: &Value) -> Vec<(String, Value, Value)> {
    let (a, b) = (a.as_object().unwrap(), b.as_object().unwrap());
    let mut keys: Vec<&String> = a.keys().collect();
    keys.extend(b.keys().filter(|k| !a.contains_key(*k)));
    keys.into_iter()
        .filter_map(|k| {
            let x = a.get(k).cloned().unwrap_or(Value::Null);
            let y = b.get(k).cloned().unwrap_or(Value::Null);
            (x != y).then(|| (k.clone(), x, y))
        })
        .collect()
}

fn differs(a: &EvaluationResult, b: &EvaluationResult) -> bool {
    a != b
}

#[test]
fn diffs_agree_with_two_evaluations_on_random_rule_sets() {
    let mut rng = Rng(0xd1ff);
    let (mut cases, mut changed) = (0, 0);
    for round in 0..200 {
        let list_a = triggers(&mut rng);
        let list_b = edited(&mut rng, &list_a);
        let (a, b) = (compile(&list_a), compile(&list_b));
        let updates: Vec<Value> = (0..25).map(|_| update(&mut rng)).collect();
        let text = if round % 2 == 0 {
            Value::Array(updates.clone()).to_string()
        } else {
            serde_json::to_string_pretty(&updates).unwrap()
        };
        let diff = diff_trigger_sets(&a, &b, &text).expect("diff runs");
        let mut want_changes = Vec::new();
        let mut counts: BTreeMap<u64, ZendeskTriggerDiffCounts> = BTreeMap::new();
        for (i, u) in updates.iter().enumerate() {
            let (ra, rb) = (a.evaluate(u).unwrap(), b.evaluate(u).unwrap());
            if differs(&ra, &rb) {
                want_changes.push(i);
                for id in rb.fired.iter().filter(|id| !ra.fired.contains(id)) {
                    counts.entry(*id).or_default().newly_fired += 1;
                }
                for id in ra.fired.iter().filter(|id| !rb.fired.contains(id)) {
                    counts.entry(*id).or_default().no_longer_fired += 1;
                }
            }
        }
        let got: Vec<usize> = diff.changes.iter().map(|c| c.index).collect();
        assert_eq!(got, want_changes, "round {round}");
        assert_eq!(diff.summary.updates, 25);
        assert_eq!(diff.summary.changed, want_changes.len());
        assert_eq!(diff.summary.triggers, counts, "round {round}");
        for change in &diff.changes {
            let u = &updates[change.index];
            let (ra, rb) = (a.evaluate(u).unwrap(), b.evaluate(u).unwrap());
            assert_eq!(change.fired_before, ra.fired);
            assert_eq!(change.fired_after, rb.fired);
            let ticket: Vec<(String, Value, Value)> = change
                .ticket
                .iter()
                .map(|f| (f.field.clone(), f.before.clone(), f.after.clone()))
                .collect();
            assert_eq!(
                ticket,
                oracle_ticket(&ra.ticket, &rb.ticket),
                "round {round}"
            );
            // Effects: what one side has beyond the other, as multisets.
            for (mine, theirs, only) in [
                (&ra.effects, &rb.effects, &change.effects.before),
                (&rb.effects, &ra.effects, &change.effects.after),
            ] {
                let mut rest = theirs.clone();
                let mut want = Vec::new();
                for e in mine {
                    match rest.iter().position(|o| o == e) {
                        Some(k) => {
                            rest.remove(k);
                        }
                        None => want.push(e.clone()),
                    }
                }
                assert_eq!(only, &want, "round {round}");
            }
        }
        cases += 25;
        changed += diff.changes.len();
        // A set against itself: no change.
        let same = diff_trigger_sets(&a, &a, &text).unwrap();
        assert!(same.changes.is_empty() && same.summary.triggers.is_empty());
    }
    assert_eq!(cases, 5000);
    assert!(changed > 500, "the edits change outcomes: {changed}");
}

/// `value` cut down to what `reads` names, keeping the value's key order
/// (as the JS binding's projection does).
fn cut(value: &Value, reads: &Reads) -> Value {
    match (reads, value) {
        (Reads::Keys(keys), Value::Object(map)) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| {
                    let (_, r) = keys.iter().find(|(name, _)| name == k)?;
                    Some((k.clone(), cut(v, r)))
                })
                .collect(),
        ),
        _ => value.clone(),
    }
}

#[test]
fn updates_cut_down_to_diff_reads_give_the_same_diff() {
    let mut rng = Rng(0xc07);
    let mut changed = 0;
    for _ in 0..150 {
        let list_a = triggers(&mut rng);
        let list_b = edited(&mut rng, &list_a);
        let (a, b) = (compile(&list_a), compile(&list_b));
        let updates: Vec<Value> = (0..20).map(|_| update(&mut rng)).collect();
        let reads = diff_reads(&a, &b);
        let cut_updates: Vec<Value> = updates.iter().map(|u| cut(u, &reads)).collect();
        let whole = diff_trigger_sets(&a, &b, &Value::Array(updates).to_string()).unwrap();
        let part = diff_trigger_sets(&a, &b, &Value::Array(cut_updates).to_string()).unwrap();
        assert_eq!(part, whole);
        changed += whole.changes.len();
    }
    assert!(changed > 300, "{changed}");
}

/// Each condition's field, what it read and whether it held.
fn read(list: &[ZendeskConditionTrace]) -> Vec<(&str, &ZendeskTraceActual, bool)> {
    list.iter()
        .map(|c| (c.field.as_str(), &c.actual, c.held))
        .collect()
}

fn explain(triggers: Value, update: Value) -> triggerkit::rules::ZendeskExplanation {
    let rules = RuleSet::compile_json(&triggers).unwrap();
    assert!(rules.problems().is_empty(), "{:?}", rules.problems());
    evaluate_checked(&rules, &update).unwrap();
    rules.explain(&update).unwrap()
}

#[test]
fn a_trace_names_what_each_condition_read() {
    let x = explain(
        json!([
            {"id": 1, "title": "escalate", "position": 1,
             "conditions": {"all": [
                c("comment_includes_word", "includes", json!("refund urgent")),
                c("status", "changed", Value::Null),
                c("current_tags", "includes", json!("vip gold")),
             ], "any": [
                c("custom_fields_100", "is", json!("gold")),
                c("role", "is", json!("agent")),
             ]},
             "actions": [{"field": "priority", "value": "urgent"},
                         {"field": "current_tags", "value": "escalated"},
                         {"field": "notification_webhook", "value": ["5", "{}"]}]},
            {"id": 2, "title": "inactive", "active": false, "position": 2,
             "conditions": {"all": []}, "actions": [{"field": "status", "value": "solved"}]},
            {"id": 3, "title": "after escalation", "position": 3,
             "conditions": {"all": [c("priority", "is", json!("urgent"))]},
             "actions": [{"field": "status", "value": "pending"}]},
        ]),
        json!({
            "ticket": {"status": "open", "priority": "low", "tags": ["VIP", "other"],
                       "custom_fields": [{"id": 100, "value": "silver"}]},
            "previous": {"status": "new"},
            "comment": {"body": "URGENT: please help", "public": true},
            "current_user": {"id": 9, "role": "agent"}
        }),
    );
    assert_eq!(x.fired, vec![1, 3]);
    // Pass 0: 1 fires (it changes the ticket: restart). Pass 1: 1 is
    // skipped, 3 fires. Pass 2: nothing new. The inactive trigger is
    // never listed.
    let outcomes: Vec<Vec<(u64, ZendeskTraceOutcome)>> = x
        .passes
        .iter()
        .map(|p| p.triggers.iter().map(|t| (t.id, t.outcome)).collect())
        .collect();
    use ZendeskTraceOutcome::*;
    assert_eq!(
        outcomes,
        vec![
            vec![(1, Fired)],
            vec![(1, Skipped), (3, Fired)],
            vec![(1, Skipped), (3, Skipped)],
        ]
    );
    let first = &x.passes[0].triggers[0];
    assert_eq!(first.title, "escalate");
    let all = read(&first.conditions.all);
    // Cheap tests first: status, then tags, then words.
    assert_eq!(
        all,
        vec![
            (
                "status",
                &ZendeskTraceActual::Change {
                    before: json!("new"),
                    current: json!("open")
                },
                true
            ),
            (
                "current_tags",
                &ZendeskTraceActual::Value(json!(["vip"])),
                true
            ),
            (
                "comment_includes_word",
                &ZendeskTraceActual::Value(json!(["urgent"])),
                true
            ),
        ]
    );
    assert_eq!(first.conditions.all[0].operator, "changed");
    assert_eq!(first.conditions.all[0].value, Value::Null);
    assert_eq!(first.conditions.all[1].value, json!("vip gold"));
    let any: Vec<(&ZendeskTraceActual, bool)> = first
        .conditions
        .any
        .iter()
        .map(|c| (&c.actual, c.held))
        .collect();
    assert_eq!(
        any,
        vec![
            (&ZendeskTraceActual::Value(json!("agent")), true),
            (&ZendeskTraceActual::Value(json!("silver")), false),
        ]
    );
    let actions = first.actions.as_ref().unwrap();
    let changes: Vec<(&str, Option<&Value>, Option<&Value>)> = actions
        .iter()
        .map(|a| (a.field.as_str(), a.before.as_ref(), a.after.as_ref()))
        .collect();
    assert_eq!(
        changes,
        vec![
            ("priority", Some(&json!("low")), Some(&json!("urgent"))),
            (
                "current_tags",
                Some(&json!(["VIP", "other"])),
                Some(&json!(["VIP", "other", "escalated"]))
            ),
            ("notification_webhook", None, None),
        ]
    );
    let third = &x.passes[1].triggers[1];
    assert_eq!(
        third.conditions.all[0].actual,
        ZendeskTraceActual::Value(json!("urgent")),
        "later triggers read the working ticket"
    );
    assert_eq!(x.ticket["status"], "pending");
    // The JSON shape of the API.
    let v = serde_json::to_value(&x).unwrap();
    assert_eq!(v["passes"][1]["triggers"][0]["outcome"], "skipped");
    assert!(v["passes"][1]["triggers"][0].get("actions").is_none());
    assert_eq!(
        v["passes"][0]["triggers"][0]["conditions"]["all"][0]["actual"],
        json!({"before": "new", "current": "open"})
    );
    assert!(v["passes"][0]["triggers"][0]["actions"][2]
        .get("before")
        .is_none());
}

#[test]
fn a_trace_reports_missing_values_as_null_and_not_matched() {
    let x = explain(
        json!([{"id": 4, "title": "words", "conditions": {"all": [
            c("comment_includes_word", "includes", json!("refund \"money back\"")),
            c("subject_includes_word", "is", json!("Order")),
            c("group_id", "is", json!(3)),
        ]}, "actions": [{"field": "status", "value": "open"}]}]),
        json!({"ticket": {"subject": "My ORDER: money back"}}),
    );
    assert!(x.fired.is_empty());
    assert_eq!(x.passes.len(), 1);
    let t = &x.passes[0].triggers[0];
    assert_eq!(t.outcome, ZendeskTraceOutcome::NotMatched);
    assert!(t.actions.is_none());
    let actual = read(&t.conditions.all);
    // Every condition is checked and listed, cheap tests first; the
    // update has no comment.
    assert_eq!(
        actual,
        vec![
            ("group_id", &ZendeskTraceActual::Value(Value::Null), false),
            (
                "comment_includes_word",
                &ZendeskTraceActual::Value(Value::Null),
                false
            ),
            (
                "subject_includes_word",
                &ZendeskTraceActual::Value(json!("my order: money back")),
                true
            ),
        ]
    );
    let phrase = explain(
        json!([{"id": 5, "title": "phrase", "conditions": {"all": [
            c("comment_includes_word", "includes", json!("refund \"money back\"")),
        ]}, "actions": []}]),
        json!({"ticket": {}, "comment": {"body": "I want my Money back"}}),
    );
    assert_eq!(
        phrase.passes[0].triggers[0].conditions.all[0].actual,
        ZendeskTraceActual::Value(json!(["money back"]))
    );
}

#[test]
fn diff_reports_what_changes_and_counts_per_trigger() {
    let before = RuleSet::compile_json(&json!([
        {"id": 1, "title": "urgent", "conditions": {"all": [c("priority", "is", json!("urgent"))]},
         "actions": [{"field": "group_id", "value": 5}]},
        {"id": 2, "title": "notify", "conditions": {"all": [c("status", "is", json!("new"))]},
         "actions": [{"field": "notification_webhook", "value": ["1", "{}"]}]},
    ]))
    .unwrap();
    let after = RuleSet::compile_json(&json!([
        {"id": 1, "title": "urgent", "conditions": {"all": [c("priority", "greater_than", json!("normal"))]},
         "actions": [{"field": "group_id", "value": 5}]},
        {"id": 2, "title": "notify", "conditions": {"all": [c("status", "is", json!("new"))]},
         "actions": [{"field": "notification_webhook", "value": ["2", "{}"]}]},
    ]))
    .unwrap();
    let updates = json!([
        {"ticket": {"priority": "urgent", "status": "open", "group_id": 1}},
        {"ticket": {"priority": "high", "status": "open", "group_id": 1}},
        {"ticket": {"priority": "low", "status": "new"}},
        {"ticket": {"priority": "low", "status": "open"}},
    ]);
    let diff = diff_trigger_sets(&before, &after, &updates.to_string()).unwrap();
    assert_eq!(diff.summary.updates, 4);
    assert_eq!(diff.summary.changed, 2);
    let v = serde_json::to_value(&diff).unwrap();
    assert_eq!(
        v["changes"][0],
        json!({"index": 1, "firedBefore": [], "firedAfter": [1],
               "ticket": [{"field": "group_id", "before": 1, "after": 5}],
               "effects": {"before": [], "after": []}})
    );
    assert_eq!(
        v["changes"][1],
        json!({"index": 2, "firedBefore": [2], "firedAfter": [2], "ticket": [],
               "effects": {
                   "before": [{"trigger_id": 2, "field": "notification_webhook", "value": ["1", "{}"]}],
                   "after": [{"trigger_id": 2, "field": "notification_webhook", "value": ["2", "{}"]}]}})
    );
    assert_eq!(
        v["summary"]["triggers"],
        json!({"1": {"newlyFired": 1, "noLongerFired": 0}})
    );
}

#[test]
fn diff_errors_say_where() {
    let rules = RuleSet::compile_json(&json!([])).unwrap();
    let e = diff_trigger_sets(&rules, &rules, r#"[{"ticket": {}}, {"ticket": 3}]"#).unwrap_err();
    assert_eq!(e.code(), "invalid_update");
    assert!(matches!(
        e,
        triggerkit::rules::RulesError::InvalidUpdate { index: Some(1), .. }
    ));
    let e = diff_trigger_sets(&rules, &rules, r#"[{"ticket": {}}, "#).unwrap_err();
    assert_eq!(e.code(), "invalid_json");
    let e = diff_trigger_sets(&rules, &rules, r#"{"ticket": {}}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_update");
    let empty = diff_trigger_sets(&rules, &rules, "[]").unwrap();
    assert_eq!((empty.summary.updates, empty.changes.len()), (0, 0));
    // Lone surrogates read as U+FFFD, as evaluate_many_json reads them.
    let ok = diff_trigger_sets(&rules, &rules, r#"[{"ticket": {"subject": "\ud83c"}}]"#).unwrap();
    assert_eq!(ok.summary.updates, 1);
}

#[test]
fn explain_json_reads_text_as_evaluate_json_does() {
    let rules = RuleSet::compile_json(&json!([{"id": 1, "title": "t",
        "conditions": {"all": [c("status", "is", json!("open"))]},
        "actions": [{"field": "status", "value": "pending"}]}]))
    .unwrap();
    for text in [
        r#"{"ticket": 5, "ticket": {"status": "open"}}"#,
        r#"{"ticket": {"status": "open"}, "ticket": 5}"#,
        r#"{"ticket": {"status": "open", "subject": "\ud83c"}, "comment": {"body": "x"}}"#,
        r#"{"ticket": {"status": "open"}} x"#,
        "[]",
    ] {
        let plain = rules.evaluate_json(text);
        let traced = rules.explain_json(text);
        match (plain, traced) {
            (Ok(out), Ok(x)) => {
                let r: EvaluationResult = serde_json::from_str(&out).unwrap();
                assert_eq!(
                    (r.fired, r.ticket, r.effects),
                    (x.fired, x.ticket, x.effects)
                );
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{text}"),
            (a, b) => panic!("{text}: {a:?} / {b:?}"),
        }
    }
}
