//! Native tests of the Zendesk trigger-set lint: a positive and a negative
//! case for every code, invalid triggers, definitions, and the soundness of
//! `never_fires` on thousands of random triggers and updates (no trigger
//! that fires on some update is ever said never to fire).
#![cfg(feature = "zendesk")]

use serde_json::{json, Value};
use triggerkit::formats::zendesk::ZendeskDefinitions;
#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

use triggerkit::rules::{lint_zendesk_triggers, LintFinding, RuleSet, Severity, LINT_CODES};

fn c(field: &str, operator: &str, value: Value) -> Value {
    json!({"field": field, "operator": operator, "value": value})
}

fn t(id: u64, all: Value, any: Value, actions: Value) -> Value {
    json!({"id": id, "title": format!("t{id}"), "position": id,
           "conditions": {"all": all, "any": any}, "actions": actions})
}

fn lint(triggers: Value) -> Vec<LintFinding> {
    lint_zendesk_triggers(&triggers, None).expect("a list of triggers")
}

/// The (code, path, related) of the findings with `code`.
fn with_code(findings: &[LintFinding], code: &str) -> Vec<(String, Vec<u64>)> {
    findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| (f.path.clone(), f.related.clone()))
        .collect()
}

fn codes(findings: &[LintFinding]) -> Vec<&str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

const NOTE: &str = "notification_user";

fn note() -> Value {
    json!([{"field": NOTE, "value": ["requester_id", "s", "b"]}])
}

/// Whether the single trigger with these conditions is flagged `never_fires`.
fn never(all: Value, any: Value) -> Option<String> {
    let findings = lint(json!([t(1, all, any, note())]));
    findings
        .iter()
        .find(|f| f.code == "never_fires")
        .map(|f| f.path.clone())
}

#[test]
fn never_fires_on_contradictions() {
    let s = |op: &str, v: &str| c("status", op, json!(v));
    let cases: Vec<(&str, Value, Value, &str)> = vec![
        (
            "two values",
            json!([s("is", "open"), s("is", "solved")]),
            json!([]),
            "/0/conditions/all/1",
        ),
        (
            "is and is_not",
            json!([
                c("group_id", "is", json!(5)),
                c("group_id", "is_not", json!("5"))
            ]),
            json!([]),
            "/0/conditions/all/1",
        ),
        (
            "empty range",
            json!([s("greater_than", "pending"), s("less_than", "hold")]),
            json!([]),
            "/0/conditions/all/1",
        ),
        (
            "range and is",
            json!([
                c("priority", "less_than", json!("normal")),
                c("priority", "is", json!("high"))
            ]),
            json!([]),
            "/0/conditions/all/1",
        ),
        (
            "nothing above closed",
            json!([s("greater_than", "closed")]),
            json!([]),
            "/0/conditions/all/0",
        ),
        (
            "three-way range",
            json!([
                s("greater_than", "open"),
                s("less_than", "solved"),
                s("is_not", "pending"),
                s("is_not", "hold")
            ]),
            json!([]),
            "/0/conditions/all",
        ),
        (
            "tags",
            json!([
                c("current_tags", "includes", json!("a b")),
                c("current_tags", "not_includes", json!("b c a"))
            ]),
            json!([]),
            "/0/conditions/all/1",
        ),
        (
            "any list",
            json!([s("is", "open")]),
            json!([s("is", "solved"), s("greater_than", "hold")]),
            "/0/conditions/any",
        ),
        (
            "changed and not changed",
            json!([
                c("priority", "changed", Value::Null),
                c("priority", "not_changed", Value::Null)
            ]),
            json!([]),
            "/0/conditions/all/1",
        ),
        (
            "changed to a value it is not",
            json!([c("status", "value", json!("solved")), s("is", "open")]),
            json!([]),
            "/0/conditions/all/1",
        ),
        (
            "comment public and private",
            json!([
                c("comment_is_public", "is", json!(true)),
                c("comment_is_public", "is", json!(false))
            ]),
            json!([]),
            "/0/conditions/all/1",
        ),
        (
            "substring",
            json!([
                c("comment_includes_word", "is", json!("refund now")),
                c("comment_includes_word", "is_not", json!("refund"))
            ]),
            json!([]),
            "/0/conditions/all/1",
        ),
        (
            "custom present and not",
            json!([
                c("custom_fields_7", "present", Value::Null),
                c("custom_fields_7", "not_present", Value::Null)
            ]),
            json!([]),
            "/0/conditions/all/1",
        ),
        (
            "update type",
            json!([
                c("update_type", "is", json!("Create")),
                c("update_type", "is", json!("Change"))
            ]),
            json!([]),
            "/0/conditions/all/1",
        ),
    ];
    for (label, all, any, path) in cases {
        assert_eq!(never(all, any).as_deref(), Some(path), "{label}");
    }
}

#[test]
fn never_fires_is_not_said_of_satisfiable_conditions() {
    let s = |op: &str, v: &str| c("status", op, json!(v));
    let cases: Vec<(&str, Value, Value)> = vec![
        (
            "range with room",
            json!([s("greater_than", "open"), s("less_than", "solved")]),
            json!([]),
        ),
        (
            "is_not twice",
            json!([s("is_not", "open"), s("is_not", "solved")]),
            json!([]),
        ),
        (
            "tags with a way out",
            json!([
                c("current_tags", "includes", json!("a b")),
                c("current_tags", "not_includes", json!("a"))
            ]),
            json!([]),
        ),
        (
            "one any member fits",
            json!([s("is", "open")]),
            json!([s("is", "solved"), s("less_than", "pending")]),
        ),
        (
            "changed from another value",
            json!([c("status", "value_previous", json!("new")), s("is", "open")]),
            json!([]),
        ),
        (
            "priority none below low",
            json!([c("priority", "less_than", json!("low"))]),
            json!([]),
        ),
        (
            "group none",
            json!([
                c("group_id", "is", json!("")),
                c("group_id", "is_not", json!(3))
            ]),
            json!([]),
        ),
        (
            "multi-select values",
            json!([
                c("custom_fields_7", "is", json!("a")),
                c("custom_fields_7", "is", json!("b"))
            ]),
            json!([]),
        ),
        (
            "unchecked box",
            json!([
                c("custom_fields_7", "is", json!(false)),
                c("custom_fields_7", "not_present", Value::Null)
            ]),
            json!([]),
        ),
        (
            "current user",
            json!([
                c("assignee_id", "is", json!("current_user")),
                c("assignee_id", "is", json!(5))
            ]),
            json!([]),
        ),
        ("empty", json!([]), json!([])),
    ];
    for (label, all, any) in cases {
        assert_eq!(never(all, any), None, "{label}");
    }
}

#[test]
fn depends_on_order_names_the_earlier_writer() {
    let findings = lint(json!([
        t(
            1,
            json!([c("status", "is", json!("new"))]),
            json!([]),
            json!([{"field": "current_tags", "value": "triaged"}])
        ),
        t(
            2,
            json!([c("current_tags", "includes", json!("triaged"))]),
            json!([]),
            note()
        ),
        // Reads what only a later trigger writes: not an order dependency.
        t(
            3,
            json!([c("priority", "is", json!("high"))]),
            json!([]),
            note()
        ),
        t(
            4,
            json!([c("status", "is", json!("open"))]),
            json!([]),
            json!([{"field": "priority", "value": "high"}])
        ),
        // Two earlier writers: one finding naming both.
        t(
            5,
            json!([
                c("via_id", "is", json!("email")),
                c("priority", "is_not", json!("low"))
            ]),
            json!([c("current_tags", "not_includes", json!("triaged"))]),
            note()
        ),
    ]));
    let deps = with_code(&findings, "depends_on_order");
    assert_eq!(
        deps,
        vec![
            ("/1/conditions/all/0".to_owned(), vec![1]),
            ("/4/conditions/any/0".to_owned(), vec![1, 4]),
        ]
    );
    let f = findings
        .iter()
        .find(|f| f.code == "depends_on_order")
        .expect("finding");
    assert!(
        f.message.contains("trigger 1 \"t1\"") && f.message.contains("\"triaged\""),
        "{}",
        f.message
    );
    assert_eq!(f.severity, Severity::Info);
}

#[test]
fn undone_by_a_later_trigger_that_always_follows() {
    let findings = lint(json!([
        t(
            1,
            json!([c("status", "is", json!("new"))]),
            json!([]),
            json!([{"field": "status", "value": "open"}, {"field": "current_tags", "value": "a"}])
        ),
        // Fires whenever 1 fired (status is open after it): resets both.
        t(
            2,
            json!([c("status", "less_than", json!("pending"))]),
            json!([]),
            json!([{"field": "status", "value": "pending"}, {"field": "remove_tags", "value": "a"}])
        ),
        // Needs a tag 1 does not add: not "whenever".
        t(
            3,
            json!([c("current_tags", "includes", json!("b"))]),
            json!([]),
            json!([{"field": "status", "value": "hold"}])
        ),
    ]));
    let undone = with_code(&findings, "undone_by");
    assert_eq!(
        undone,
        vec![
            ("/0/actions/0".to_owned(), vec![2]),
            ("/0/actions/1".to_owned(), vec![2]),
        ]
    );
    // A later trigger whose conditions need something 1 does not give.
    let none = lint(json!([
        t(
            1,
            json!([c("status", "is", json!("new"))]),
            json!([]),
            json!([{"field": "status", "value": "open"}])
        ),
        t(
            2,
            json!([c("status", "is", json!("new"))]),
            json!([]),
            json!([{"field": "status", "value": "solved"}])
        ),
        // Same value as 1, and does not follow 2: nothing undone.
        t(
            3,
            json!([c("status", "is", json!("open"))]),
            json!([]),
            json!([{"field": "status", "value": "open"}])
        ),
    ]));
    assert!(with_code(&none, "undone_by").is_empty(), "{none:?}");
}

#[test]
fn undone_by_follows_conditions_on_fields_left_alone() {
    let findings = lint(json!([
        t(
            1,
            json!([
                c("group_id", "is", json!(5)),
                c("via_id", "is", json!("email"))
            ]),
            json!([]),
            json!([{"field": "priority", "value": "high"}])
        ),
        t(
            2,
            json!([c("group_id", "is_not", json!(6))]),
            json!([
                c("via_id", "is", json!("email")),
                c("brand_id", "is", json!(9))
            ]),
            json!([{"field": "priority", "value": "low"}])
        ),
    ]));
    assert_eq!(
        with_code(&findings, "undone_by"),
        vec![("/0/actions/0".to_owned(), vec![2])]
    );
}

#[test]
fn missing_loop_guard_on_webhooks_without_a_nullifying_condition() {
    let hook = |extra: Value| {
        let mut actions = vec![json!({"field": "notification_webhook", "value": ["1", "{}"]})];
        if !extra.is_null() {
            actions.push(extra);
        }
        Value::Array(actions)
    };
    let findings = lint(json!([
        t(
            1,
            json!([c("status", "is", json!("open"))]),
            json!([]),
            hook(Value::Null)
        ),
        t(
            2,
            json!([c("current_tags", "not_includes", json!("sent"))]),
            json!([]),
            hook(json!({"field": "current_tags", "value": "sent"}))
        ),
        t(
            3,
            json!([c("status", "changed", Value::Null)]),
            json!([]),
            hook(Value::Null)
        ),
        t(
            4,
            json!([c("update_type", "is", json!("Create"))]),
            json!([]),
            hook(Value::Null)
        ),
        t(
            5,
            json!([c("status", "less_than", json!("solved"))]),
            json!([]),
            hook(json!({"field": "status", "value": "solved"}))
        ),
        t(
            6,
            json!([c("custom_fields_9", "is_not", json!("done"))]),
            json!([]),
            hook(json!({"field": "custom_fields_9", "value": "Done"}))
        ),
        // A guard that its actions do not trip.
        t(
            7,
            json!([c("current_tags", "not_includes", json!("sent"))]),
            json!([]),
            hook(json!({"field": "current_tags", "value": "other"}))
        ),
        t(
            8,
            json!([]),
            json!([]),
            json!([{"field": "notification_target", "value": ["1", "m"]}])
        ),
        // Email notifications are not reported.
        t(9, json!([]), json!([]), note()),
    ]));
    assert_eq!(
        with_code(&findings, "missing_loop_guard"),
        vec![
            ("/0/actions/0".to_owned(), vec![]),
            ("/6/actions/0".to_owned(), vec![]),
            ("/7/actions/0".to_owned(), vec![]),
        ]
    );
}

#[test]
fn inactive_dependency_and_duplicate_title() {
    let mut inactive = t(
        1,
        json!([]),
        json!([]),
        json!([{"field": "current_tags", "value": "vip"}]),
    );
    inactive["active"] = json!(false);
    let mut dup = t(3, json!([]), json!([]), note());
    dup["title"] = json!(" T2 ");
    let findings = lint(json!([
        inactive,
        t(
            2,
            json!([c("current_tags", "includes", json!("vip"))]),
            json!([]),
            note()
        ),
        dup,
        t(
            4,
            json!([c("current_tags", "includes", json!("other"))]),
            json!([]),
            note()
        ),
    ]));
    assert_eq!(
        with_code(&findings, "inactive_dependency"),
        vec![("/1/conditions/all/0".to_owned(), vec![1])]
    );
    assert_eq!(
        with_code(&findings, "duplicate_title"),
        vec![("/2/title".to_owned(), vec![2])]
    );
}

#[test]
fn invalid_triggers_get_the_compiler_codes_and_are_skipped() {
    let findings = lint(json!({"triggers": [
        "not a trigger",
        t(2, json!([c("status", "is", json!("nope")), c("status", "is", json!("open")), c("status", "is", json!("solved"))]), json!([]), note()),
        t(3, json!([c("exact_created_at", "is", json!("2024-01-01"))]), json!([]), note()),
        t(3, json!([]), json!([]), note()),
    ]}));
    let found: Vec<(&str, &str, Severity)> = findings
        .iter()
        .map(|f| (f.code.as_str(), f.path.as_str(), f.severity))
        .collect();
    assert_eq!(
        found,
        vec![
            ("invalid_trigger", "/0", Severity::Error),
            (
                "invalid_value",
                "/1/conditions/all/0/value",
                Severity::Error
            ),
            (
                "unsupported_field",
                "/2/conditions/all/0/field",
                Severity::Info
            ),
            ("duplicate_id", "/3/id", Severity::Error),
            ("duplicate_title", "/3/title", Severity::Warning),
        ]
    );
    let err = lint_zendesk_triggers(&json!({"nope": 1}), None).expect_err("not a list");
    assert_eq!(err.code(), "invalid_triggers");
}

#[test]
fn unknown_references_need_definitions() {
    let definitions: ZendeskDefinitions = serde_json::from_value(json!({"definitions": {
        "conditions_all": [
            {"subject": "status", "type": "list", "operators": [{"value": "is"}],
             "values": [{"value": "open"}, {"value": "solved"}]},
            {"subject": "group_id", "type": "list", "nullable": true, "operators": [{"value": "is"}],
             "values": [{"value": "10", "title": "Support"}]}
        ],
        "conditions_any": [],
        "actions": [
            {"subject": "group_id", "type": "list", "values": [{"value": "10"}, {"value": "11", "enabled": false}]},
            {"subject": "notification_user", "type": "list"}
        ]
    }}))
    .expect("definitions");
    let triggers = json!([
        t(
            1,
            json!([c("group_id", "is", json!("10"))]),
            json!([]),
            json!([{"field": "group_id", "value": "10"}])
        ),
        t(
            2,
            json!([
                c("group_id", "is", json!("12")),
                c("custom_fields_5", "is", json!("x"))
            ]),
            json!([]),
            json!([{"field": "group_id", "value": "11"}, {"field": "brand_id", "value": "3"}])
        ),
    ]);
    let findings = lint_zendesk_triggers(&triggers, Some(&definitions)).expect("list");
    let refs = with_code(&findings, "unknown_reference");
    let paths: Vec<&str> = refs.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "/1/conditions/all/0/value",
            "/1/conditions/all/1/field",
            "/1/actions/0/value",
            "/1/actions/1/field"
        ]
    );
    assert!(findings
        .iter()
        .all(|f| f.code != "unknown_reference" || f.severity == Severity::Error));
    assert!(with_code(&lint(triggers), "unknown_reference").is_empty());
}

#[test]
fn every_code_has_its_documented_severity() {
    let codes_seen: Vec<&str> = LINT_CODES.iter().map(|(c, _)| *c).collect();
    assert_eq!(
        codes_seen,
        vec![
            "never_fires",
            "depends_on_order",
            "undone_by",
            "missing_loop_guard",
            "inactive_dependency",
            "duplicate_title",
            "unknown_reference"
        ]
    );
    let findings = lint(json!([t(
        1,
        json!([
            c("status", "is", json!("open")),
            c("status", "is", json!("new"))
        ]),
        json!([]),
        note()
    ),]));
    assert_eq!(codes(&findings), vec!["never_fires"]);
    assert_eq!(findings[0].severity, Severity::Error);
}

// ---- soundness of never_fires on random triggers and updates ----

const STATUS: &[&str] = &["new", "open", "pending", "hold", "solved", "closed"];
const PRIORITY: &[&str] = &["low", "normal", "high", "urgent"];
const TAGS: &[&str] = &["a", "b", "c", "vip"];
const WORDS: &[&str] = &["refund", "help", "refund now", "now"];

/// One of `items` (a string list, where `pick`'s reference would not coerce).
fn word(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len())]
}

fn random_condition(rng: &mut Rng) -> Value {
    let ordered = ["is", "is_not", "less_than", "greater_than"];
    let changes = [
        "changed",
        "not_changed",
        "value",
        "not_value",
        "value_previous",
        "not_value_previous",
    ];
    match rng.below(20) {
        0 | 1 => {
            let op = if rng.chance(70) {
                rng.pick(&ordered)
            } else {
                rng.pick(&changes)
            };
            c("status", op, json!(rng.pick(STATUS)))
        }
        2 => {
            let op = if rng.chance(70) {
                rng.pick(&ordered)
            } else {
                rng.pick(&changes)
            };
            let v = if rng.chance(15) {
                json!("")
            } else {
                json!(rng.pick(PRIORITY))
            };
            c("priority", op, v)
        }
        3 => {
            let op = if rng.chance(70) {
                rng.pick(&["is", "is_not"])
            } else {
                rng.pick(&changes)
            };
            let v = if rng.chance(20) {
                json!("")
            } else {
                json!(rng.below(3) + 1)
            };
            c("group_id", op, v)
        }
        4 | 5 => {
            let n = rng.below(2) + 1;
            let tags: Vec<&str> = (0..n).map(|_| *rng.pick(TAGS)).collect();
            c(
                "current_tags",
                word(rng, &["includes", "not_includes"]),
                json!(tags.join(" ")),
            )
        }
        6 => c("update_type", "is", json!(rng.pick(&["Create", "Change"]))),
        7 => c(
            "comment_is_public",
            "is",
            json!(rng.pick(&[json!(true), json!(false), json!("not_relevant")])),
        ),
        8 => c(
            "comment_includes_word",
            word(rng, &["includes", "not_includes", "is", "is_not"]),
            json!(rng.pick(WORDS)),
        ),
        9 => {
            let op = *rng.pick(&[
                "is",
                "is_not",
                "present",
                "not_present",
                "includes_string",
                "not_includes_string",
            ]);
            let v = match op {
                "present" | "not_present" => Value::Null,
                _ => json!(rng.pick(&["gold", "go", "", "true", "false"])),
            };
            if op.contains("string") && v == json!("") {
                return c("custom_fields_100", op, json!("go"));
            }
            c("custom_fields_100", op, v)
        }
        10 => c(
            "assignee_id",
            word(rng, &["is", "is_not"]),
            json!(rng.pick(&[json!("current_user"), json!(20), json!("")])),
        ),
        11 => {
            let op = if rng.chance(60) {
                word(rng, &["is", "is_not"])
            } else {
                rng.pick(&changes)
            };
            c("type", op, json!(rng.pick(&["question", "incident", ""])))
        }
        12 => c(
            "reopens",
            word(rng, &["is", "less_than", "greater_than"]),
            json!(rng.below(4)),
        ),
        13 => c(
            "recipient",
            word(rng, &["is", "is_not"]),
            json!(rng.pick(&["a@x.io", "b@x.io"])),
        ),
        14 => {
            let op = word(
                rng,
                &[
                    "changed",
                    "not_changed",
                    "value",
                    "not_value",
                    "value_previous",
                ],
            );
            let v = match op {
                "changed" | "not_changed" => Value::Null,
                _ => json!(rng.pick(&["gold", "silver"])),
            };
            c("custom_fields_100", op, v)
        }
        15 => c(
            "custom_fields_101",
            word(
                rng,
                &[
                    "less_than",
                    "greater_than",
                    "less_than_equal",
                    "greater_than_equal",
                    "is",
                ],
            ),
            json!(rng.below(6)),
        ),
        16 => c("ticket_is_public", "is", json!(rng.pick(&[true, false]))),
        17 => c(
            "via_id",
            word(rng, &["is", "is_not"]),
            json!(rng.pick(&["email", "web"])),
        ),
        18 => {
            let op = word(rng, &["is", "is_not", "present", "not_present"]);
            let v = match op {
                "present" | "not_present" => Value::Null,
                _ => json!(rng.pick(&["premium", "free"])),
            };
            c("requester.custom_fields.plan", op, v)
        }
        _ => c(
            "satisfaction_score",
            word(rng, &ordered),
            json!(rng.pick(&["offered", "good", "bad", "unoffered"])),
        ),
    }
}

fn random_action(rng: &mut Rng) -> Value {
    match rng.below(7) {
        0 => json!({"field": "status", "value": rng.pick(&STATUS[1..])}),
        1 => json!({"field": "priority", "value": rng.pick(PRIORITY)}),
        2 => json!({"field": "current_tags", "value": rng.pick(TAGS)}),
        3 => json!({"field": "remove_tags", "value": rng.pick(TAGS)}),
        4 => json!({"field": "set_tags", "value": rng.pick(TAGS)}),
        5 => json!({"field": "custom_fields_100", "value": rng.pick(&["gold", "silver"])}),
        _ => json!({"field": "group_id", "value": rng.below(3) + 1}),
    }
}

fn random_trigger(rng: &mut Rng, id: u64) -> Value {
    let all: Vec<Value> = (0..rng.below(4)).map(|_| random_condition(rng)).collect();
    let any: Vec<Value> = (0..rng.below(3)).map(|_| random_condition(rng)).collect();
    let actions: Vec<Value> = (0..rng.below(2) + 1).map(|_| random_action(rng)).collect();
    t(id, json!(all), json!(any), json!(actions))
}

fn random_update(rng: &mut Rng) -> Value {
    let mut ticket = json!({"id": 1, "status": rng.pick(STATUS)});
    if rng.chance(70) {
        ticket["priority"] = json!(rng.pick(PRIORITY));
    }
    if rng.chance(60) {
        ticket["group_id"] = json!(rng.below(3) + 1);
    }
    if rng.chance(50) {
        ticket["assignee_id"] = json!(rng.pick(&[20, 21]));
    }
    let n = rng.below(4);
    ticket["tags"] = json!((0..n).map(|_| *rng.pick(TAGS)).collect::<Vec<_>>());
    if rng.chance(70) {
        let v = rng
            .pick(&[
                json!("gold"),
                json!("Gold"),
                json!(true),
                json!(false),
                Value::Null,
                json!("silver"),
            ])
            .clone();
        ticket["custom_fields"] = json!([{"id": 100, "value": v}]);
    }
    if rng.chance(60) {
        ticket["type"] = json!(rng.pick(&["question", "incident", "task"]));
    }
    if rng.chance(60) {
        ticket["recipient"] = json!(rng.pick(&["a@x.io", "B@x.io", "c@x.io"]));
    }
    if rng.chance(80) {
        ticket["is_public"] = json!(rng.chance(50));
    }
    ticket["via"] = json!({"channel": rng.pick(&["email", "web", "api"])});
    if rng.chance(70) {
        let fields = ticket["custom_fields"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut fields = fields;
        fields.push(json!({"id": 101, "value": rng.below(6)}));
        ticket["custom_fields"] = Value::Array(fields);
    }
    if rng.chance(40) {
        ticket["satisfaction_rating"] =
            json!({"score": rng.pick(&["offered", "good", "bad", "unoffered"])});
    }
    let mut update = json!({"ticket": ticket.clone()});
    if rng.chance(60) {
        let mut prev = ticket;
        prev["status"] = json!(rng.pick(STATUS));
        if rng.chance(50) {
            prev["priority"] = json!(rng.pick(PRIORITY));
        }
        if rng.chance(50) {
            prev["group_id"] = json!(rng.below(3) + 1);
        }
        if rng.chance(50) {
            prev["type"] = json!(rng.pick(&["question", "incident"]));
        }
        if rng.chance(50) {
            prev["custom_fields"] = json!([{"id": 100, "value": rng.pick(&["gold", "silver"])}]);
        }
        update["previous"] = prev;
    }
    if rng.chance(70) {
        let body = (0..rng.below(3) + 1)
            .map(|_| *rng.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ");
        update["comment"] = json!({"body": body, "public": rng.chance(70)});
    }
    if rng.chance(60) {
        update["metrics"] = json!({"reopens": rng.below(4)});
    }
    if rng.chance(60) {
        update["requester"] = json!({"user_fields": {"plan": rng.pick(&["premium", "free", ""])}});
    }
    if rng.chance(50) {
        update["current_user"] = json!({"id": rng.pick(&[20, 21]), "role": "agent"});
    }
    update
}

/// Ids of the triggers flagged `never_fires`.
fn flagged(triggers: &Value, findings: &[LintFinding]) -> Vec<u64> {
    findings
        .iter()
        .filter(|f| f.code == "never_fires")
        .filter_map(|f| {
            let i: usize = f.path.split('/').nth(1)?.parse().ok()?;
            triggers[i]["id"].as_u64()
        })
        .collect()
}

#[test]
fn never_fires_is_sound_on_random_triggers_and_updates() {
    const SETS: u64 = 400;
    const UPDATES_PER_SET: usize = 40;
    const EXTRA_UPDATES: usize = 3000;
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut fired_total, mut checked) = (0, 0);
    let mut never_all = Vec::new();
    for round in 0..SETS {
        let triggers = Value::Array(
            (1..=12)
                .map(|id| random_trigger(&mut rng, round * 100 + id))
                .collect(),
        );
        let findings = lint(triggers.clone());
        let never = flagged(&triggers, &findings);
        let rules = RuleSet::compile_json(&triggers).expect("list");
        assert!(rules.problems().is_empty(), "{:?}", rules.problems());
        // Through the firing cycle (conditions see earlier actions) and as given.
        for _ in 0..UPDATES_PER_SET {
            let update = random_update(&mut rng);
            let result = rules.evaluate(&update).expect("update");
            let matched = rules.matching(&update).expect("update");
            checked += 1;
            for id in result.fired.iter().chain(&matched) {
                fired_total += 1;
                assert!(
                    !never.contains(id),
                    "trigger {id} fired but was flagged never_fires\ntriggers: {triggers}\nupdate: {update}\nfindings: {findings:?}"
                );
            }
        }
        let list = triggers.as_array().expect("array");
        never_all.extend(
            list.iter()
                .filter(|t| never.contains(&t["id"].as_u64().unwrap_or(0)))
                .cloned(),
        );
    }
    // Every flagged trigger against many more updates.
    let flagged_set = Value::Array(never_all.clone());
    let rules = RuleSet::compile_json(&flagged_set).expect("list");
    for _ in 0..EXTRA_UPDATES {
        let update = random_update(&mut rng);
        let matched = rules.matching(&update).expect("update");
        assert!(
            matched.is_empty(),
            "flagged never_fires but matched {matched:?}: {update}"
        );
    }
    // The generator must produce both kinds, or the test proves nothing.
    let triggers = SETS * 12;
    assert!(
        never_all.len() > 200,
        "only {} never_fires findings",
        never_all.len()
    );
    assert!(fired_total > 10_000, "only {fired_total} firings");
    eprintln!(
        "never_fires soundness: {triggers} random triggers in {SETS} sets, {checked} updates through the cycle and as given ({fired_total} firings/matches), {} flagged triggers x {EXTRA_UPDATES} more updates",
        never_all.len()
    );
}

#[test]
fn undone_by_holds_on_random_pairs() {
    // With only the two triggers, "whenever" is exact: when the first fires
    // and the second had not fired before it, the second fires after it.
    let mut rng = Rng(0x0dd_ba11_5eed_0002);
    let (mut pairs, mut checked) = (0, 0);
    for round in 0..4000 {
        let pair = json!([random_trigger(&mut rng, 1), random_trigger(&mut rng, 2)]);
        let findings = lint(pair.clone());
        if !findings
            .iter()
            .any(|f| f.code == "undone_by" && f.path.starts_with("/0/"))
        {
            continue;
        }
        pairs += 1;
        let rules = RuleSet::compile_json(&pair).expect("list");
        for _ in 0..30 {
            let update = random_update(&mut rng);
            let fired = rules.evaluate(&update).expect("update").fired;
            if fired.first() == Some(&1) {
                checked += 1;
                assert_eq!(
                    fired,
                    vec![1, 2],
                    "round {round}: {pair}\nupdate: {update}\n{findings:?}"
                );
            }
        }
    }
    assert!(
        pairs > 50 && checked > 200,
        "{pairs} pairs, {checked} updates"
    );
    eprintln!("undone_by: {pairs} random pairs, {checked} updates where the first fired first");
}

#[test]
fn lint_never_panics_on_odd_input() {
    let odd = json!([
        {},
        {"title": 5},
        {"title": "x", "actions": [], "conditions": {"all": [{"field": "status", "operator": "less_than", "value": ""}]}},
        {"title": "y", "actions": [{"field": "current_tags", "value": "a"}], "conditions": {"all": [
            {"field": "current_tags", "operator": "includes", "value": "a"}], "any": null}},
        {"title": "z", "id": 18446744073709551615u64, "actions": [{"field": "notification_webhook", "value": null}],
         "conditions": {"any": []}},
        null
    ]);
    let findings = lint(odd);
    assert!(!findings.is_empty());
}

#[test]
fn huge_triggers_are_linted_in_bounded_time() {
    // Thousands of conditions and triggers that all read and write the same
    // fields: the pairwise analyses are bounded, not quadratic in conditions.
    let many = |n: usize| -> Value {
        (0..n)
            .map(|i| {
                c(
                    "status",
                    if i % 2 == 0 { "is_not" } else { "less_than" },
                    json!(STATUS[i % 6]),
                )
            })
            .collect()
    };
    let mut triggers = vec![t(
        1,
        many(5000),
        many(5000),
        json!([{"field": "notification_webhook", "value": ["1", "{}"]}]),
    )];
    triggers.extend((2..300).map(|id| {
        t(
            id,
            many(40),
            many(40),
            json!([{"field": "status", "value": "open"}, {"field": "current_tags", "value": "a"}]),
        )
    }));
    let findings = lint(Value::Array(triggers));
    assert!(findings.iter().any(|f| f.code == "missing_loop_guard"));
    assert!(findings.iter().any(|f| f.code == "depends_on_order"));
}
