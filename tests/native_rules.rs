//! Native tests of the Zendesk rule engine: every condition field and
//! operator (table-driven, with missing fields and nulls), the firing cycle,
//! actions and the final ticket, compile problems, and the batch readers.
#![cfg(feature = "zendesk")]

use serde_json::{json, Value};
use triggerkit::rules::{
    lint_zendesk_triggers, EvaluationResult, RuleSet, RulesError, TicketUpdate,
};

#[path = "support/trace.rs"]
mod trace;
use trace::evaluate_checked;

/// A full update: every field a condition can read has a value.
fn base() -> Value {
    json!({
        "ticket": {
            "id": 1, "status": "open", "priority": "high", "type": "incident",
            "group_id": 10, "assignee_id": 20, "requester_id": 30, "organization_id": 40,
            "brand_id": 50, "ticket_form_id": 60, "tags": ["vip", "Billing"],
            "subject": "Refund for my order #123",
            "custom_fields": [
                {"id": 100, "value": "gold"}, {"id": 101, "value": true},
                {"id": 102, "value": 5}, {"id": 103, "value": null},
                {"id": 104, "value": ["a_b", "c"]}, {"id": 105, "value": "2024-03-05"},
                {"id": 106, "value": "The quick brown fox"}, {"id": 107, "value": "7.5"}
            ],
            "via": {"channel": "email"},
            "satisfaction_rating": {"score": "good", "comment": "thanks!"},
            "is_public": true, "recipient": "Support@Example.com"
        },
        "previous": {
            "status": "new", "priority": "high", "type": "incident", "group_id": 11,
            "assignee_id": null, "requester_id": 30, "organization_id": 40,
            "brand_id": 50, "ticket_form_id": 60,
            "custom_fields": [{"id": 100, "value": "silver"}, {"id": 102, "value": 5}],
            "satisfaction_rating": {"score": "offered"}
        },
        "comment": {"body": "Please REFUND me: money back now!", "public": true},
        "via_id": 0,
        "in_business_hours": true,
        "requester": {"locale_id": 1, "user_fields": {
            "plan": "premium", "notes": "likes cats and dogs", "vip": true, "seats": 12
        }},
        "organization": {"organization_fields": {"tier": "enterprise", "regions": ["emea", "apac"]}},
        "current_user": {"id": 20, "role": "agent"},
        "metrics": {"reopens": 2, "replies": 3, "assignee_stations": 1, "group_stations": 4}
    })
}

/// `base()` with JSON Pointer paths replaced (`Value::Null` stays a null)
/// or removed (`None`).
fn with(changes: &[(&str, Option<Value>)]) -> Value {
    let mut v = base();
    for (path, change) in changes {
        let (parent, key) = path.rsplit_once('/').expect("pointer");
        let target = v.pointer_mut(parent).expect("parent exists");
        let obj = target.as_object_mut().expect("object parent");
        match change {
            Some(x) => obj.insert(key.to_owned(), x.clone()),
            None => obj.remove(key),
        };
    }
    v
}

fn trigger(id: u64, position: i64, conditions: Value, actions: Value) -> Value {
    json!({"id": id, "title": format!("t{id}"), "position": position,
           "conditions": conditions, "actions": actions})
}

fn compile(triggers: Value) -> RuleSet {
    let rules = RuleSet::compile_json(&triggers).expect("triggers compile");
    assert!(
        rules.problems().is_empty(),
        "problems: {:?}",
        rules.problems()
    );
    rules
}

/// Whether a single `all` condition holds for the update.
fn holds(condition: &Value, update: &Value) -> bool {
    let rules = compile(json!([trigger(
        1,
        1,
        json!({"all": [condition]}),
        json!([])
    )]));
    let matched = !rules.matching(update).expect("update reads").is_empty();
    // The trace of every table row agrees with evaluation.
    let fired = evaluate_checked(&rules, update).expect("update evaluates");
    assert_eq!(!fired.fired.is_empty(), matched);
    matched
}

fn c(field: &str, operator: &str, value: Value) -> Value {
    json!({"field": field, "operator": operator, "value": value})
}

fn terminal(field: &str, operator: &str) -> Value {
    json!({"field": field, "operator": operator})
}

/// Runs a table: (condition, update, expected) with a label per row.
fn table(rows: &[(&str, Value, Value, bool)]) {
    let mut failures = Vec::new();
    for (label, cond, update, expected) in rows {
        let held = holds(cond, update);
        let single = json!([trigger(1, 1, json!({"all": [cond]}), json!([]))]);
        lint_agrees(&single, if held { &[1] } else { &[] });
        if held != *expected {
            failures.push(format!("{label}: expected {expected} for {cond}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The lint never says a trigger that fired (or matched) never fires.
fn lint_agrees(triggers: &Value, fired: &[u64]) {
    let list = triggers.get("triggers").unwrap_or(triggers);
    let findings = lint_zendesk_triggers(triggers, None).expect("lint runs");
    for f in findings.iter().filter(|f| f.code == "never_fires") {
        let index: usize = f.path[1..]
            .split('/')
            .next()
            .and_then(|i| i.parse().ok())
            .expect("index");
        let id = list[index]["id"].as_u64().unwrap_or(index as u64);
        assert!(
            !fired.contains(&id),
            "trigger {id} fired but lint says: {f:?}"
        );
    }
}

#[test]
fn status_priority_and_satisfaction_are_ordered() {
    let b = base();
    let no_priority = with(&[("/ticket/priority", Some(Value::Null))]);
    let missing_priority = with(&[("/ticket/priority", None)]);
    let no_status = with(&[("/ticket/status", None)]);
    let unrated = with(&[("/ticket/satisfaction_rating", None)]);
    let bad = with(&[("/ticket/satisfaction_rating", Some(json!({"score": "bad"})))]);
    table(&[
        (
            "status is",
            c("status", "is", json!("open")),
            b.clone(),
            true,
        ),
        (
            "status is other",
            c("status", "is", json!("pending")),
            b.clone(),
            false,
        ),
        (
            "status is_not",
            c("status", "is_not", json!("pending")),
            b.clone(),
            true,
        ),
        (
            "status is_not same",
            c("status", "is_not", json!("open")),
            b.clone(),
            false,
        ),
        (
            "status < solved",
            c("status", "less_than", json!("solved")),
            b.clone(),
            true,
        ),
        (
            "status < open",
            c("status", "less_than", json!("open")),
            b.clone(),
            false,
        ),
        (
            "status > new",
            c("status", "greater_than", json!("new")),
            b.clone(),
            true,
        ),
        (
            "status > open",
            c("status", "greater_than", json!("open")),
            b.clone(),
            false,
        ),
        (
            "hold between pending and solved",
            c("status", "less_than", json!("solved")),
            with(&[("/ticket/status", Some(json!("hold")))]),
            true,
        ),
        (
            "hold > pending",
            c("status", "greater_than", json!("pending")),
            with(&[("/ticket/status", Some(json!("hold")))]),
            true,
        ),
        (
            "closed > solved",
            c("status", "greater_than", json!("solved")),
            with(&[("/ticket/status", Some(json!("closed")))]),
            true,
        ),
        (
            "missing status is",
            c("status", "is", json!("new")),
            no_status.clone(),
            false,
        ),
        (
            "missing status is_not",
            c("status", "is_not", json!("new")),
            no_status.clone(),
            true,
        ),
        (
            "missing status <",
            c("status", "less_than", json!("closed")),
            no_status.clone(),
            false,
        ),
        (
            "missing status >",
            c("status", "greater_than", json!("new")),
            no_status,
            false,
        ),
        (
            "status case",
            c("status", "is", json!("Open")),
            b.clone(),
            true,
        ),
        (
            "priority is",
            c("priority", "is", json!("high")),
            b.clone(),
            true,
        ),
        (
            "priority < urgent",
            c("priority", "less_than", json!("urgent")),
            b.clone(),
            true,
        ),
        (
            "priority < high",
            c("priority", "less_than", json!("high")),
            b.clone(),
            false,
        ),
        (
            "priority > normal",
            c("priority", "greater_than", json!("normal")),
            b.clone(),
            true,
        ),
        (
            "priority > high",
            c("priority", "greater_than", json!("high")),
            b.clone(),
            false,
        ),
        (
            "null priority is none",
            c("priority", "is", json!("")),
            no_priority.clone(),
            true,
        ),
        (
            "null priority < low",
            c("priority", "less_than", json!("low")),
            no_priority.clone(),
            true,
        ),
        (
            "null priority > low",
            c("priority", "greater_than", json!("low")),
            no_priority,
            false,
        ),
        (
            "missing priority is none",
            c("priority", "is", json!("")),
            missing_priority.clone(),
            true,
        ),
        (
            "missing priority is_not low",
            c("priority", "is_not", json!("low")),
            missing_priority,
            true,
        ),
        (
            "priority > none",
            c("priority", "greater_than", json!("")),
            b.clone(),
            true,
        ),
        (
            "good with comment",
            c("satisfaction_score", "is", json!("good_with_comment")),
            b.clone(),
            true,
        ),
        (
            "good with comment is not good",
            c("satisfaction_score", "is", json!("good")),
            b.clone(),
            false,
        ),
        (
            "good > bad",
            c(
                "satisfaction_score",
                "greater_than",
                json!("bad_with_comment"),
            ),
            b.clone(),
            true,
        ),
        (
            "bad < good",
            c("satisfaction_score", "less_than", json!("good")),
            bad.clone(),
            true,
        ),
        (
            "bad is_not good",
            c("satisfaction_score", "is_not", json!("good")),
            bad,
            true,
        ),
        (
            "unrated is unoffered (true)",
            c("satisfaction_score", "is", json!("true")),
            unrated.clone(),
            true,
        ),
        (
            "unrated is not offered (false)",
            c("satisfaction_score", "is", json!("false")),
            unrated.clone(),
            false,
        ),
        (
            "unoffered < offered",
            c("satisfaction_score", "less_than", json!("offered")),
            unrated,
            true,
        ),
    ]);
}

#[test]
fn id_fields_and_empty_values() {
    let b = base();
    let unassigned = with(&[("/ticket/assignee_id", Some(Value::Null))]);
    let no_group = with(&[("/ticket/group_id", None)]);
    let string_ids = with(&[
        ("/ticket/group_id", Some(json!("10"))),
        ("/ticket/assignee_id", Some(json!(""))),
    ]);
    let mut rows = vec![
        (
            "assignee is",
            c("assignee_id", "is", json!(20)),
            b.clone(),
            true,
        ),
        (
            "assignee is string id",
            c("assignee_id", "is", json!("20")),
            b.clone(),
            true,
        ),
        (
            "assignee is other",
            c("assignee_id", "is", json!("21")),
            b.clone(),
            false,
        ),
        (
            "assignee is_not",
            c("assignee_id", "is_not", json!("21")),
            b.clone(),
            true,
        ),
        (
            "assignee is empty",
            c("assignee_id", "is", json!("")),
            b.clone(),
            false,
        ),
        (
            "unassigned is empty",
            c("assignee_id", "is", json!("")),
            unassigned.clone(),
            true,
        ),
        (
            "unassigned is null",
            c("assignee_id", "is", Value::Null),
            unassigned.clone(),
            true,
        ),
        (
            "unassigned is_not id",
            c("assignee_id", "is_not", json!(20)),
            unassigned.clone(),
            true,
        ),
        (
            "unassigned is_not empty",
            c("assignee_id", "is_not", json!("")),
            unassigned.clone(),
            false,
        ),
        (
            "assignee is current_user",
            c("assignee_id", "is", json!("current_user")),
            b.clone(),
            true,
        ),
        (
            "unassigned is current_user",
            c("assignee_id", "is", json!("current_user")),
            unassigned.clone(),
            false,
        ),
        (
            "unknown current_user",
            c("assignee_id", "is", json!("current_user")),
            with(&[("/current_user", None)]),
            false,
        ),
        (
            "unknown current_user, unassigned",
            c("assignee_id", "is", json!("current_user")),
            with(&[
                ("/current_user", None),
                ("/ticket/assignee_id", Some(Value::Null)),
            ]),
            false,
        ),
        (
            "unknown current_user is_not",
            c("assignee_id", "is_not", json!("current_user")),
            with(&[("/current_user", None)]),
            true,
        ),
        (
            "requester is current_user",
            c("requester_id", "is", json!("current_user")),
            b.clone(),
            false,
        ),
        (
            "no group is empty",
            c("group_id", "is", json!("")),
            no_group,
            true,
        ),
        (
            "string ids",
            c("group_id", "is", json!(10)),
            string_ids.clone(),
            true,
        ),
        (
            "string empty id",
            c("assignee_id", "is", json!("")),
            string_ids,
            true,
        ),
        (
            "type is",
            c("type", "is", json!("incident")),
            b.clone(),
            true,
        ),
        (
            "type is_not",
            c("type", "is_not", json!("task")),
            b.clone(),
            true,
        ),
        (
            "no type is empty",
            c("type", "is", json!("")),
            with(&[("/ticket/type", Some(Value::Null))]),
            true,
        ),
        (
            "type unknown value",
            c("type", "is_not", json!("task")),
            with(&[("/ticket/type", Some(json!("weird")))]),
            true,
        ),
        ("via email", c("via_id", "is", json!(4)), b.clone(), true),
        (
            "via by name",
            c("via_id", "is", json!("mail")),
            b.clone(),
            true,
        ),
        (
            "via is_not web",
            c("via_id", "is_not", json!("0")),
            b.clone(),
            true,
        ),
        (
            "explicit ticket via_id wins",
            c("via_id", "is", json!(5)),
            with(&[("/ticket/via_id", Some(json!(5)))]),
            true,
        ),
        (
            "current via",
            c("current_via_id", "is", json!(0)),
            b.clone(),
            true,
        ),
        (
            "current via is_not",
            c("current_via_id", "is_not", json!(0)),
            b.clone(),
            false,
        ),
        (
            "creation defaults current via to ticket via",
            c("current_via_id", "is", json!(4)),
            with(&[("/via_id", None), ("/previous", None)]),
            true,
        ),
        (
            "change without via has no current via",
            c("current_via_id", "is_not", json!(4)),
            with(&[("/via_id", None)]),
            true,
        ),
        ("locale", c("locale_id", "is", json!(1)), b.clone(), true),
        (
            "locale is_not",
            c("locale_id", "is_not", json!(1)),
            with(&[("/requester", None)]),
            true,
        ),
        (
            "recipient case-insensitive",
            c("recipient", "is", json!("support@example.com")),
            b.clone(),
            true,
        ),
        (
            "recipient is_not",
            c("recipient", "is_not", json!("other@example.com")),
            b.clone(),
            true,
        ),
        (
            "no recipient is_not",
            c("recipient", "is_not", json!("support@example.com")),
            with(&[("/ticket/recipient", None)]),
            true,
        ),
        (
            "ticket is public",
            c("ticket_is_public", "is", json!("public")),
            b.clone(),
            true,
        ),
        (
            "ticket is private",
            c("ticket_is_public", "is", json!("private")),
            b.clone(),
            false,
        ),
    ];
    for (name, id) in [
        ("group_id", 10),
        ("requester_id", 30),
        ("organization_id", 40),
        ("brand_id", 50),
        ("ticket_form_id", 60),
    ] {
        rows.push((name, c(name, "is", json!(id)), b.clone(), true));
        rows.push((name, c(name, "is_not", json!(id)), b.clone(), false));
        rows.push((name, c(name, "is", json!("")), b.clone(), false));
        let path = format!("/ticket/{name}");
        rows.push((
            name,
            c(name, "is", json!("")),
            with(&[(&path, Some(Value::Null))]),
            true,
        ));
    }
    table(&rows);
}

#[test]
fn tags_and_words() {
    let b = base();
    let no_tags = with(&[("/ticket/tags", None)]);
    let no_comment = with(&[("/comment", None)]);
    let no_subject = with(&[("/ticket/subject", None)]);
    table(&[
        (
            "tag includes one of",
            c("current_tags", "includes", json!("other vip")),
            b.clone(),
            true,
        ),
        (
            "tag includes is case-insensitive",
            c("current_tags", "includes", json!("BILLING")),
            b.clone(),
            true,
        ),
        (
            "tag includes none",
            c("current_tags", "includes", json!("a b")),
            b.clone(),
            false,
        ),
        (
            "tag not_includes any",
            c("current_tags", "not_includes", json!("a vip")),
            b.clone(),
            false,
        ),
        (
            "tag not_includes none",
            c("current_tags", "not_includes", json!("a b")),
            b.clone(),
            true,
        ),
        (
            "tag array value",
            c("current_tags", "includes", json!(["x", "vip"])),
            b.clone(),
            true,
        ),
        (
            "no tags includes",
            c("current_tags", "includes", json!("vip")),
            no_tags.clone(),
            false,
        ),
        (
            "no tags not_includes",
            c("current_tags", "not_includes", json!("vip")),
            no_tags,
            true,
        ),
        (
            "null tags",
            c("current_tags", "not_includes", json!("vip")),
            with(&[("/ticket/tags", Some(Value::Null))]),
            true,
        ),
        (
            "subject includes one word",
            c("subject_includes_word", "includes", json!("cancel refund")),
            b.clone(),
            true,
        ),
        (
            "subject includes case-insensitive",
            c("subject_includes_word", "includes", json!("ORDER")),
            b.clone(),
            true,
        ),
        (
            "subject words are whole words",
            c("subject_includes_word", "includes", json!("ref")),
            b.clone(),
            false,
        ),
        (
            "subject not_includes",
            c(
                "subject_includes_word",
                "not_includes",
                json!("cancel refund"),
            ),
            b.clone(),
            false,
        ),
        (
            "subject not_includes none",
            c("subject_includes_word", "not_includes", json!("cancel")),
            b.clone(),
            true,
        ),
        (
            "subject phrase",
            c("subject_includes_word", "includes", json!("\"my order\"")),
            b.clone(),
            true,
        ),
        (
            "subject phrase order",
            c("subject_includes_word", "includes", json!("\"order my\"")),
            b.clone(),
            false,
        ),
        (
            "subject is = contains string",
            c("subject_includes_word", "is", json!("FUND FOR")),
            b.clone(),
            true,
        ),
        (
            "subject is_not",
            c("subject_includes_word", "is_not", json!("fund for")),
            b.clone(),
            false,
        ),
        (
            "subject is_not absent string",
            c("subject_includes_word", "is_not", json!("xyz")),
            b.clone(),
            true,
        ),
        (
            "digits are words",
            c("subject_includes_word", "includes", json!("123")),
            b.clone(),
            true,
        ),
        (
            "no subject includes",
            c("subject_includes_word", "includes", json!("refund")),
            no_subject.clone(),
            false,
        ),
        (
            "no subject not_includes",
            c("subject_includes_word", "not_includes", json!("refund")),
            no_subject.clone(),
            true,
        ),
        (
            "no subject is",
            c("subject_includes_word", "is", json!("refund")),
            no_subject.clone(),
            false,
        ),
        (
            "no subject is_not",
            c("subject_includes_word", "is_not", json!("refund")),
            no_subject,
            true,
        ),
        (
            "comment includes",
            c("comment_includes_word", "includes", json!("refund")),
            b.clone(),
            true,
        ),
        (
            "comment includes any",
            c("comment_includes_word", "includes", json!("nope back")),
            b.clone(),
            true,
        ),
        (
            "comment phrase",
            c("comment_includes_word", "includes", json!("\"money back\"")),
            b.clone(),
            true,
        ),
        (
            "comment not_includes",
            c("comment_includes_word", "not_includes", json!("refund")),
            b.clone(),
            false,
        ),
        (
            "comment is",
            c("comment_includes_word", "is", json!("me: money")),
            b.clone(),
            true,
        ),
        (
            "comment is_not",
            c("comment_includes_word", "is_not", json!("me: money")),
            b.clone(),
            false,
        ),
        (
            "no comment includes",
            c("comment_includes_word", "includes", json!("refund")),
            no_comment.clone(),
            false,
        ),
        (
            "no comment not_includes",
            c("comment_includes_word", "not_includes", json!("refund")),
            no_comment.clone(),
            true,
        ),
        (
            "no comment is",
            c("comment_includes_word", "is", json!("refund")),
            no_comment.clone(),
            false,
        ),
        (
            "no comment is_not",
            c("comment_includes_word", "is_not", json!("refund")),
            no_comment,
            true,
        ),
        (
            "unicode words",
            c("comment_includes_word", "includes", json!("ÄRGER")),
            with(&[("/comment", Some(json!({"body": "viel ärger, bitte"})))]),
            true,
        ),
    ]);
}

#[test]
fn update_and_comment_fields() {
    let b = base();
    let created = with(&[("/previous", None)]);
    let private = with(&[("/comment/public", Some(json!(false)))]);
    let no_comment = with(&[("/comment", None)]);
    table(&[
        (
            "change",
            c("update_type", "is", json!("Change")),
            b.clone(),
            true,
        ),
        (
            "not create",
            c("update_type", "is", json!("Create")),
            b.clone(),
            false,
        ),
        (
            "create",
            c("update_type", "is", json!("Create")),
            created.clone(),
            true,
        ),
        (
            "null previous is create",
            c("update_type", "is", json!("Create")),
            with(&[("/previous", Some(Value::Null))]),
            true,
        ),
        (
            "omitted operator",
            c("update_type", "", json!("Change")),
            b.clone(),
            true,
        ),
        (
            "public comment",
            c("comment_is_public", "is", json!(true)),
            b.clone(),
            true,
        ),
        (
            "public comment as string",
            c("comment_is_public", "is", json!("true")),
            b.clone(),
            true,
        ),
        (
            "public is not private",
            c("comment_is_public", "is", json!(false)),
            b.clone(),
            false,
        ),
        (
            "private",
            c("comment_is_public", "is", json!(false)),
            private.clone(),
            true,
        ),
        (
            "private present",
            c("comment_is_public", "is", json!("not_relevant")),
            private.clone(),
            true,
        ),
        (
            "private hidden from requester",
            c(
                "comment_is_public",
                "is",
                json!("requester_can_see_comment"),
            ),
            private,
            false,
        ),
        (
            "public seen by requester",
            c(
                "comment_is_public",
                "is",
                json!("requester_can_see_comment"),
            ),
            b.clone(),
            true,
        ),
        (
            "comment public by default",
            c("comment_is_public", "is", json!(true)),
            with(&[("/comment", Some(json!({"body": "x"})))]),
            true,
        ),
        (
            "no comment is not public",
            c("comment_is_public", "is", json!(true)),
            no_comment.clone(),
            false,
        ),
        (
            "no comment is not private",
            c("comment_is_public", "is", json!(false)),
            no_comment.clone(),
            false,
        ),
        (
            "no comment is not present",
            c("comment_is_public", "is", json!("not_relevant")),
            no_comment,
            false,
        ),
        (
            "business hours",
            c("in_business_hours", "is", json!(true)),
            b.clone(),
            true,
        ),
        (
            "business hours false",
            c("in_business_hours", "is", json!("false")),
            b.clone(),
            false,
        ),
        (
            "business hours unknown",
            c("in_business_hours", "is", json!(false)),
            with(&[("/in_business_hours", None)]),
            false,
        ),
        ("reopens is", c("reopens", "is", json!(2)), b.clone(), true),
        (
            "reopens <",
            c("reopens", "less_than", json!("3")),
            b.clone(),
            true,
        ),
        (
            "reopens >",
            c("reopens", "greater_than", json!(2)),
            b.clone(),
            false,
        ),
        (
            "replies >",
            c("replies", "greater_than", json!(2)),
            b.clone(),
            true,
        ),
        (
            "agent stations",
            c("agent_stations", "is", json!(1)),
            b.clone(),
            true,
        ),
        (
            "group stations <",
            c("group_stations", "less_than", json!(4)),
            b.clone(),
            false,
        ),
        (
            "no metrics <",
            c("replies", "less_than", json!(100)),
            with(&[("/metrics", None)]),
            false,
        ),
        (
            "no metrics >",
            c("replies", "greater_than", json!(0)),
            with(&[("/metrics", None)]),
            false,
        ),
        (
            "agent role",
            c("role", "is", json!("agent")),
            b.clone(),
            true,
        ),
        (
            "admin is agent",
            c("role", "is", json!("agent")),
            with(&[("/current_user/role", Some(json!("admin")))]),
            true,
        ),
        (
            "end-user",
            c("role", "is", json!("end_user")),
            with(&[("/current_user/role", Some(json!("end-user")))]),
            true,
        ),
        (
            "role is_not",
            c("role", "is_not", json!("end_user")),
            b,
            true,
        ),
    ]);
}

#[test]
fn change_operators() {
    let b = base();
    let created = with(&[("/previous", None)]);
    table(&[
        (
            "status changed",
            terminal("status", "changed"),
            b.clone(),
            true,
        ),
        (
            "status changed to open",
            c("status", "value", json!("open")),
            b.clone(),
            true,
        ),
        (
            "status changed to pending",
            c("status", "value", json!("pending")),
            b.clone(),
            false,
        ),
        (
            "status changed from new",
            c("status", "value_previous", json!("new")),
            b.clone(),
            true,
        ),
        (
            "status changed from open",
            c("status", "value_previous", json!("open")),
            b.clone(),
            false,
        ),
        (
            "status not_changed",
            terminal("status", "not_changed"),
            b.clone(),
            false,
        ),
        (
            "status not changed to open",
            c("status", "not_value", json!("open")),
            b.clone(),
            false,
        ),
        (
            "status not changed to solved",
            c("status", "not_value", json!("solved")),
            b.clone(),
            true,
        ),
        (
            "status not changed from new",
            c("status", "not_value_previous", json!("new")),
            b.clone(),
            false,
        ),
        (
            "status not changed from hold",
            c("status", "not_value_previous", json!("hold")),
            b.clone(),
            true,
        ),
        (
            "priority unchanged",
            terminal("priority", "changed"),
            b.clone(),
            false,
        ),
        (
            "priority not_changed",
            terminal("priority", "not_changed"),
            b.clone(),
            true,
        ),
        (
            "priority value needs a change",
            c("priority", "value", json!("high")),
            b.clone(),
            false,
        ),
        (
            "group changed from 11",
            c("group_id", "value_previous", json!(11)),
            b.clone(),
            true,
        ),
        (
            "assignee changed from nobody",
            c("assignee_id", "value_previous", json!("")),
            b.clone(),
            true,
        ),
        (
            "assignee changed to current user",
            c("assignee_id", "value", json!("current_user")),
            b.clone(),
            true,
        ),
        (
            "requester not changed",
            terminal("requester_id", "not_changed"),
            b.clone(),
            true,
        ),
        (
            "organization not changed to 40",
            c("organization_id", "not_value", json!(40)),
            b.clone(),
            true,
        ),
        (
            "type not changed",
            terminal("type", "changed"),
            b.clone(),
            false,
        ),
        (
            "brand unchanged",
            terminal("brand_id", "changed"),
            b.clone(),
            false,
        ),
        (
            "form unchanged",
            terminal("ticket_form_id", "not_changed"),
            b.clone(),
            true,
        ),
        (
            "satisfaction changed to good_with_comment",
            c("satisfaction_score", "value", json!("good_with_comment")),
            b.clone(),
            true,
        ),
        (
            "satisfaction changed from offered",
            c("satisfaction_score", "value_previous", json!("false")),
            b.clone(),
            true,
        ),
        (
            "custom changed",
            terminal("custom_fields_100", "changed"),
            b.clone(),
            true,
        ),
        (
            "custom changed to gold",
            c("custom_fields_100", "value", json!("gold")),
            b.clone(),
            true,
        ),
        (
            "custom changed from silver",
            c("custom_fields_100", "value_previous", json!("silver")),
            b.clone(),
            true,
        ),
        (
            "custom not changed from silver",
            c("custom_fields_100", "not_value_previous", json!("silver")),
            b.clone(),
            false,
        ),
        (
            "custom same number not changed",
            terminal("custom_fields_102", "not_changed"),
            b.clone(),
            true,
        ),
        (
            "custom appeared",
            terminal("custom_fields_101", "changed"),
            b.clone(),
            true,
        ),
        (
            "create: set status changed",
            terminal("status", "changed"),
            created.clone(),
            true,
        ),
        (
            "create: status changed from nothing",
            c("status", "value_previous", json!("new")),
            created.clone(),
            false,
        ),
        (
            "create: group set is a change",
            c("group_id", "value", json!(10)),
            created.clone(),
            true,
        ),
        (
            "create: no priority is no change",
            terminal("priority", "changed"),
            with(&[("/previous", None), ("/ticket/priority", None)]),
            false,
        ),
        (
            "create: unset type unchanged",
            terminal("type", "not_changed"),
            with(&[("/previous", None), ("/ticket/type", None)]),
            true,
        ),
        (
            "create: unoffered unchanged",
            terminal("satisfaction_score", "changed"),
            with(&[("/previous", None), ("/ticket/satisfaction_rating", None)]),
            false,
        ),
        (
            "create: custom set",
            terminal("custom_fields_100", "changed"),
            created,
            true,
        ),
    ]);
}

#[test]
fn custom_fields() {
    let b = base();
    table(&[
        (
            "dropdown is",
            c("custom_fields_100", "is", json!("gold")),
            b.clone(),
            true,
        ),
        (
            "dropdown is case-insensitive",
            c("custom_fields_100", "is", json!("GOLD")),
            b.clone(),
            true,
        ),
        (
            "dropdown is_not",
            c("custom_fields_100", "is_not", json!("gold")),
            b.clone(),
            false,
        ),
        (
            "checkbox is true",
            c("custom_fields_101", "is", json!(true)),
            b.clone(),
            true,
        ),
        (
            "checkbox is \"true\"",
            c("custom_fields_101", "is", json!("true")),
            b.clone(),
            true,
        ),
        (
            "checkbox is false",
            c("custom_fields_101", "is", json!(false)),
            b.clone(),
            false,
        ),
        (
            "null checkbox is false",
            c("custom_fields_103", "is", json!(false)),
            b.clone(),
            true,
        ),
        (
            "missing field is false",
            c("custom_fields_999", "is", json!(false)),
            b.clone(),
            true,
        ),
        (
            "number is",
            c("custom_fields_102", "is", json!(5)),
            b.clone(),
            true,
        ),
        (
            "number is string",
            c("custom_fields_102", "is", json!("5.0")),
            b.clone(),
            true,
        ),
        (
            "number <",
            c("custom_fields_102", "less_than", json!(6)),
            b.clone(),
            true,
        ),
        (
            "number <=",
            c("custom_fields_102", "less_than_equal", json!(5)),
            b.clone(),
            true,
        ),
        (
            "number >",
            c("custom_fields_102", "greater_than", json!(5)),
            b.clone(),
            false,
        ),
        (
            "number >=",
            c("custom_fields_102", "greater_than_equal", json!("5")),
            b.clone(),
            true,
        ),
        (
            "decimal string >",
            c("custom_fields_107", "greater_than", json!(7)),
            b.clone(),
            true,
        ),
        (
            "decimal string is",
            c("custom_fields_107", "is", json!(7.5)),
            b.clone(),
            true,
        ),
        (
            "null <",
            c("custom_fields_103", "less_than", json!(10)),
            b.clone(),
            false,
        ),
        (
            "date <",
            c("custom_fields_105", "less_than", json!("2024-04-01")),
            b.clone(),
            true,
        ),
        (
            "date >",
            c("custom_fields_105", "greater_than", json!("2024-04-01")),
            b.clone(),
            false,
        ),
        (
            "date >=",
            c(
                "custom_fields_105",
                "greater_than_equal",
                json!("2024-03-05"),
            ),
            b.clone(),
            true,
        ),
        (
            "present",
            terminal("custom_fields_100", "present"),
            b.clone(),
            true,
        ),
        (
            "not present",
            terminal("custom_fields_100", "not_present"),
            b.clone(),
            false,
        ),
        (
            "null not present",
            terminal("custom_fields_103", "not_present"),
            b.clone(),
            true,
        ),
        (
            "missing not present",
            terminal("custom_fields_999", "not_present"),
            b.clone(),
            true,
        ),
        (
            "empty string not present",
            terminal("custom_fields_100", "not_present"),
            with(&[(
                "/ticket/custom_fields",
                Some(json!([{"id": 100, "value": ""}])),
            )]),
            true,
        ),
        (
            "multiselect includes",
            c("custom_fields_104", "includes", json!("x a_b")),
            b.clone(),
            true,
        ),
        (
            "multiselect not_includes",
            c("custom_fields_104", "not_includes", json!("x y")),
            b.clone(),
            true,
        ),
        (
            "multiselect is member",
            c("custom_fields_104", "is", json!("c")),
            b.clone(),
            true,
        ),
        (
            "text includes word",
            c("custom_fields_106", "includes", json!("slow quick")),
            b.clone(),
            true,
        ),
        (
            "text includes whole words",
            c("custom_fields_106", "includes", json!("qui")),
            b.clone(),
            false,
        ),
        (
            "text not_includes",
            c("custom_fields_106", "not_includes", json!("dog")),
            b.clone(),
            true,
        ),
        (
            "text includes_string",
            c("custom_fields_106", "includes_string", json!("K BRO")),
            b.clone(),
            true,
        ),
        (
            "text not_includes_string",
            c("custom_fields_106", "not_includes_string", json!("k bro")),
            b.clone(),
            false,
        ),
        (
            "missing includes",
            c("custom_fields_999", "includes", json!("x")),
            b.clone(),
            false,
        ),
        (
            "missing not_includes_string",
            c("custom_fields_999", "not_includes_string", json!("x")),
            b.clone(),
            true,
        ),
        (
            "fields alias",
            c("custom_fields_100", "is", json!("gold")),
            with(&[
                ("/ticket/custom_fields", None),
                (
                    "/ticket/fields",
                    Some(json!([{"id": "100", "value": "gold"}])),
                ),
            ]),
            true,
        ),
        (
            "requester is",
            c("requester.custom_fields.plan", "is", json!("premium")),
            b.clone(),
            true,
        ),
        (
            "requester old form",
            c("user.custom_fields_plan", "is_not", json!("premium")),
            b.clone(),
            false,
        ),
        (
            "requester includes",
            c(
                "requester.custom_fields.notes",
                "includes",
                json!("dogs birds"),
            ),
            b.clone(),
            true,
        ),
        (
            "requester includes_string",
            c(
                "requester.custom_fields.notes",
                "includes_string",
                json!("cats and"),
            ),
            b.clone(),
            true,
        ),
        (
            "requester checkbox",
            c("requester.custom_fields.vip", "is", json!(true)),
            b.clone(),
            true,
        ),
        (
            "requester number",
            c("requester.custom_fields.seats", "greater_than", json!(10)),
            b.clone(),
            true,
        ),
        (
            "requester present",
            terminal("requester.custom_fields.plan", "present"),
            b.clone(),
            true,
        ),
        (
            "requester missing key",
            terminal("requester.custom_fields.nope", "not_present"),
            b.clone(),
            true,
        ),
        (
            "no requester",
            terminal("requester.custom_fields.plan", "not_present"),
            with(&[("/requester", None)]),
            true,
        ),
        (
            "organization is",
            c("organization.custom_fields.tier", "is", json!("enterprise")),
            b.clone(),
            true,
        ),
        (
            "organization old form",
            c("organization.custom_fields_tier", "is", json!("smb")),
            b.clone(),
            false,
        ),
        (
            "organization list includes",
            c(
                "organization.custom_fields.regions",
                "includes",
                json!("amer apac"),
            ),
            b.clone(),
            true,
        ),
        (
            "no organization",
            terminal("organization.custom_fields.tier", "present"),
            with(&[("/organization", None)]),
            false,
        ),
    ]);
}

#[test]
fn all_and_any_blocks() {
    let u = base();
    let yes = c("status", "is", json!("open"));
    let no = c("status", "is", json!("closed"));
    let cases = [
        (json!({}), true),
        (json!({"all": [], "any": []}), true),
        (json!({"all": [yes, yes]}), true),
        (json!({"all": [yes, no]}), false),
        (json!({"any": [no, yes]}), true),
        (json!({"any": [no, no]}), false),
        (json!({"all": [yes], "any": []}), true),
        (json!({"all": [], "any": [no]}), false),
        (json!({"all": [no], "any": [yes]}), false),
        (json!({"all": [yes], "any": [no, yes]}), true),
    ];
    for (conditions, expected) in cases {
        let triggers = json!([trigger(1, 1, conditions.clone(), json!([]))]);
        let matched = compile(triggers.clone()).matching(&u).unwrap();
        lint_agrees(&triggers, &matched);
        assert_eq!(!matched.is_empty(), expected, "{conditions}");
    }
}

fn run(triggers: Value, update: Value) -> EvaluationResult {
    let result = evaluate_checked(&compile(triggers.clone()), &update).expect("update evaluates");
    lint_agrees(&triggers, &result.fired);
    result
}

fn tags_of(r: &EvaluationResult) -> Vec<String> {
    r.ticket["tags"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn cycle_restarts_from_the_first_trigger() {
    let triggers = json!([
        trigger(
            1,
            1,
            json!({"all": [c("current_tags", "includes", json!("b"))]}),
            json!([{"field": "current_tags", "value": "c"}])
        ),
        trigger(
            2,
            2,
            json!({"all": [c("status", "is", json!("new"))]}),
            json!([{"field": "current_tags", "value": "b"}])
        ),
    ]);
    let r = run(
        triggers,
        json!({"ticket": {"status": "new", "tags": ["a"]}}),
    );
    assert_eq!(r.fired, vec![2, 1]);
    assert_eq!(tags_of(&r), ["a", "b", "c"]);
}

#[test]
fn each_trigger_fires_at_most_once() {
    let triggers = json!([trigger(
        7,
        1,
        json!({"all": [c("status", "is", json!("open"))]}),
        json!([{"field": "current_tags", "value": "again"},
               {"field": "notification_user", "value": ["requester_id", "s", "b"]}])
    )]);
    let r = run(triggers, json!({"ticket": {"status": "open"}}));
    assert_eq!(r.fired, vec![7]);
    assert_eq!(r.effects.len(), 1);
}

#[test]
fn triggers_that_undo_each_other_end() {
    let triggers = json!([
        trigger(
            1,
            1,
            json!({"all": [c("current_tags", "not_includes", json!("x"))]}),
            json!([{"field": "current_tags", "value": "x"}])
        ),
        trigger(
            2,
            2,
            json!({"all": [c("current_tags", "includes", json!("x"))]}),
            json!([{"field": "remove_tags", "value": "x"}])
        ),
        trigger(
            3,
            3,
            json!({"all": [c("status", "is", json!("open"))]}),
            json!([{"field": "status", "value": "pending"}])
        ),
        trigger(
            4,
            4,
            json!({"all": [c("status", "is", json!("pending"))]}),
            json!([{"field": "status", "value": "open"}])
        ),
    ]);
    let r = run(triggers, json!({"ticket": {"status": "open", "tags": []}}));
    assert_eq!(r.fired, vec![1, 2, 3, 4]);
    assert!(tags_of(&r).is_empty());
    assert_eq!(r.ticket["status"], "open");
}

#[test]
fn order_is_position_then_id_then_input_order_and_inactive_skipped() {
    let always = json!({});
    let act = json!([{"field": "notification_webhook", "value": ["1", "{}"]}]);
    let mut off = trigger(5, 0, always.clone(), act.clone());
    off["active"] = json!(false);
    let no_pos_a = json!({"title": "a", "conditions": {}, "actions": act.clone()});
    let no_pos_b = json!({"id": 99, "title": "b", "conditions": {}, "actions": act.clone()});
    let triggers = json!([
        trigger(30, 2, always.clone(), act.clone()),
        trigger(20, 2, always.clone(), act.clone()),
        off,
        trigger(10, 3, always.clone(), act.clone()),
        no_pos_a,
        no_pos_b,
        trigger(40, -1, always, act),
    ]);
    let rules = compile(triggers);
    // Without a position a trigger runs last; without an id, by its index (4).
    assert_eq!(rules.trigger_ids(), vec![40, 20, 30, 10, 99, 4]);
    let r = evaluate_checked(&rules, &json!({"ticket": {}})).unwrap();
    assert_eq!(r.fired, vec![40, 20, 30, 10, 99, 4]);
    assert_eq!(
        r.effects.iter().map(|e| e.trigger_id).collect::<Vec<_>>(),
        r.fired
    );
}

#[test]
fn actions_change_the_ticket_and_record_effects() {
    let triggers = json!([trigger(
        1,
        1,
        json!({"all": [c("update_type", "is", json!("Create"))]}),
        json!([
            {"field": "status", "value": "pending"},
            {"field": "priority", "value": ""},
            {"field": "type", "value": "task"},
            {"field": "group_id", "value": "77"},
            {"field": "assignee_id", "value": "current_user"},
            {"field": "brand_id", "value": 5},
            {"field": "ticket_form_id", "value": ""},
            {"field": "remove_tags", "value": "old Keep"},
            {"field": "current_tags", "value": "new1 NEW2"},
            {"field": "custom_fields_100", "value": "platinum"},
            {"field": "custom_fields_200", "value": ["x", "y"]},
            {"field": "satisfaction_score", "value": "offered_to_requester"},
            {"field": "notification_webhook", "value": ["123", "{\"a\":1}"]},
            {"field": "notification_group", "value": ["group_id", "subject", "body"]}
        ])
    )]);
    let update = json!({
        "ticket": {"id": 9, "status": "new", "priority": "high", "tags": ["old", "stay"],
                   "ticket_form_id": 3, "extra": {"kept": true},
                   "custom_fields": [{"id": 100, "value": "gold"}],
                   "fields": [{"id": 100, "value": "gold"}]},
        "current_user": {"id": 555}
    });
    let r = run(triggers, update);
    let t = &r.ticket;
    assert_eq!(t["status"], "pending");
    assert_eq!(t["priority"], Value::Null);
    assert_eq!(t["type"], "task");
    assert_eq!(t["group_id"], 77);
    assert_eq!(t["assignee_id"], 555);
    assert_eq!(t["brand_id"], 5);
    assert_eq!(t["ticket_form_id"], Value::Null);
    assert_eq!(t["extra"], json!({"kept": true}));
    assert_eq!(tags_of(&r), ["stay", "new1", "new2"]);
    assert_eq!(
        t["custom_fields"],
        json!([{"id": 100, "value": "platinum"}, {"id": 200, "value": ["x", "y"]}])
    );
    assert_eq!(t["fields"], t["custom_fields"]);
    assert_eq!(t["satisfaction_rating"], json!({"score": "offered"}));
    assert_eq!(r.effects.len(), 2);
    assert_eq!(r.effects[0].trigger_id, 1);
    assert_eq!(r.effects[0].field, "notification_webhook");
    assert_eq!(r.effects[0].value, json!(["123", "{\"a\":1}"]));
    assert_eq!(r.effects[1].field, "notification_group");
}

#[test]
fn untouched_fields_keep_their_input_form() {
    let triggers = json!([trigger(
        1,
        1,
        json!({}),
        json!([{"field": "notification_user", "value": ["x"]}])
    )]);
    let ticket =
        json!({"status": "OPEN", "group_id": "10", "tags": ["B", "a"], "custom_fields": "odd"});
    let r = run(triggers, json!({"ticket": ticket.clone()}));
    assert_eq!(r.ticket, ticket);
}

#[test]
fn unchanged_tickets_are_echoed_from_the_input_text() {
    let rules = compile(json!([
        trigger(
            1,
            1,
            json!({"all": [c("status", "is", json!("open"))]}),
            json!([{"field": "notification_user", "value": ["requester_id", "s", "b"]}])
        ),
        trigger(
            2,
            2,
            json!({"all": [c("status", "is", json!("new"))]}),
            json!([{"field": "status", "value": "open"}])
        ),
    ]));
    let unchanged = r#"{ "ticket" : {"z": 1, "status":"open", "a": [1, 2.50]} }"#;
    assert_eq!(
        rules.evaluate_json(unchanged).unwrap(),
        r#"{"fired":[1],"ticket":{"z": 1, "status":"open", "a": [1, 2.50]},"effects":[{"trigger_id":1,"field":"notification_user","value":["requester_id","s","b"]}]}"#
    );
    let changed = r#"{"ticket": {"z": 1, "status": "new"}}"#;
    let r: EvaluationResult = serde_json::from_str(&rules.evaluate_json(changed).unwrap()).unwrap();
    assert_eq!(r.fired, vec![2, 1]);
    assert_eq!(r.ticket, json!({"z": 1, "status": "open"}));
    assert_eq!(
        r,
        rules
            .evaluate(&serde_json::from_str(changed).unwrap())
            .unwrap()
    );
    assert_eq!(
        rules
            .evaluate_json("{\"ticket\": {}} {}")
            .unwrap_err()
            .code(),
        "invalid_json"
    );
}

#[test]
fn set_tags_replace_and_later_conditions_see_actions() {
    let triggers = json!([
        trigger(
            1,
            1,
            json!({"all": [c("status", "is", json!("open"))]}),
            json!([{"field": "set_tags", "value": "only"}, {"field": "priority", "value": "urgent"}])
        ),
        trigger(
            2,
            2,
            json!({"all": [c("priority", "greater_than", json!("high")),
                                     c("current_tags", "includes", json!("only"))]}),
            json!([{"field": "custom_fields_5", "value": "esc"}])
        ),
        trigger(
            3,
            3,
            json!({"all": [c("custom_fields_5", "is", json!("esc"))],
                             "any": [c("custom_fields_5", "value", json!("esc"))]}),
            json!([{"field": "assignee_id", "value": ""}])
        ),
        trigger(
            4,
            4,
            json!({"all": [c("assignee_id", "changed", Value::Null)]}),
            json!([{"field": "current_tags", "value": "assignee_changed"}])
        ),
    ]);
    let r = run(
        triggers,
        json!({
            "ticket": {"status": "open", "priority": "low", "tags": ["a", "b"], "assignee_id": 3},
            "previous": {"status": "open", "priority": "low", "assignee_id": 3}
        }),
    );
    assert_eq!(r.fired, vec![1, 2, 3, 4]);
    assert_eq!(tags_of(&r), ["only", "assignee_changed"]);
    assert_eq!(r.ticket["assignee_id"], Value::Null);
    assert_eq!(
        r.ticket["custom_fields"],
        json!([{"id": 5, "value": "esc"}])
    );
}

#[test]
fn rated_ticket_is_not_offered_again_and_unknown_current_user_assigns_nobody() {
    let triggers = json!([trigger(
        1,
        1,
        json!({}),
        json!([
            {"field": "satisfaction_score", "value": "offered_to_requester"},
            {"field": "assignee_id", "value": "current_user"}
        ])
    )]);
    let ticket = json!({"assignee_id": 4, "satisfaction_rating": {"score": "bad", "id": 3}});
    let r = run(triggers, json!({"ticket": ticket.clone()}));
    assert_eq!(r.ticket, ticket);
}

#[test]
fn large_rule_set_chains_through_a_thousand_triggers() {
    // Trigger i needs tag t{i} and adds t{i+1}; positions are reversed so
    // every firing restarts the scan from the top.
    let n = 1000;
    let triggers: Vec<Value> = (0..n)
        .map(|i| {
            trigger(
                i + 1,
                (n - i) as i64,
                json!({"all": [c("current_tags", "includes", json!(format!("t{i}")))]}),
                json!([{"field": "current_tags", "value": format!("t{}", i + 1)}]),
            )
        })
        .collect();
    let rules = compile(Value::Array(triggers));
    let r = rules
        .evaluate(&json!({"ticket": {"tags": ["t0"]}}))
        .unwrap();
    assert_eq!(r.fired, (1..=n).collect::<Vec<_>>());
    assert_eq!(tags_of(&r).len(), n as usize + 1);
    let matched = rules
        .matching(&json!({"ticket": {"tags": ["t500"]}}))
        .unwrap();
    assert_eq!(matched, vec![501]);
}

#[test]
fn compile_problems_are_located_and_skip_only_their_trigger() {
    let good = trigger(
        1,
        1,
        json!({"all": [c("status", "is", json!("open"))]}),
        json!([]),
    );
    let triggers = json!([
        good,
        trigger(2, 2, json!({"all": [c("nope", "is", json!("x"))]}), json!([])),
        trigger(3, 3, json!({"all": [c("status", "is", json!("open")), c("status", "includes", json!("open"))]}), json!([])),
        trigger(4, 4, json!({"any": [c("priority", "is", json!("hot"))]}), json!([])),
        trigger(5, 5, json!({}), json!([{"field": "explode", "value": 1}])),
        trigger(6, 6, json!({}), json!([{"field": "status", "value": "new"}])),
        {"title": "no conditions key", "actions": []},
        trigger(1, 8, json!({}), json!([])),
        trigger(9, 9, json!({"all": [c("requester_twitter_verified", "is", Value::Null)]}), json!([])),
        trigger(10, 10, json!({"all": [c("current_tags", "includes", json!("  "))]}), json!([])),
        trigger(11, 11, json!({"all": [c("custom_fields_abc", "is", json!(1))]}), json!([])),
        trigger(12, 12, json!({"all": [c("reopens", "less_than", json!("many"))]}), json!([])),
        trigger(13, 13, json!({"all": [c("custom_fields_1", "less_than", json!("soon"))]}), json!([])),
        trigger(14, 14, json!({"all": [c("type", "less_than", json!("task"))]}), json!([])),
    ]);
    let rules = RuleSet::compile_json(&triggers).unwrap();
    let got: Vec<(&str, &str)> = rules
        .problems()
        .iter()
        .map(|p| (p.path.as_str(), p.code.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("/triggers/1/conditions/all/0/field", "unknown_field"),
            ("/triggers/2/conditions/all/1/operator", "invalid_operator"),
            ("/triggers/3/conditions/any/0/value", "invalid_value"),
            ("/triggers/4/actions/0/field", "unknown_action"),
            ("/triggers/5/actions/0/value", "invalid_action_value"),
            ("/triggers/6", "invalid_trigger"),
            ("/triggers/7/id", "duplicate_id"),
            ("/triggers/8/conditions/all/0/field", "unsupported_field"),
            ("/triggers/9/conditions/all/0/value", "invalid_value"),
            ("/triggers/10/conditions/all/0/field", "unknown_field"),
            ("/triggers/11/conditions/all/0/value", "invalid_value"),
            ("/triggers/12/conditions/all/0/value", "invalid_value"),
            ("/triggers/13/conditions/all/0/operator", "invalid_operator"),
        ]
    );
    assert!(rules.problems().iter().all(|p| !p.message.is_empty()));
    assert_eq!(rules.trigger_ids(), vec![1]);
    assert_eq!(rules.matching(&base()).unwrap(), vec![1]);
}

#[test]
fn compile_accepts_a_list_response_and_rejects_non_lists() {
    let page = json!({"count": 1, "triggers": [trigger(3, 1, json!({}), json!([]))]});
    assert_eq!(RuleSet::compile_json(&page).unwrap().trigger_ids(), vec![3]);
    for bad in [json!(1), json!("x"), json!({"triggers": 3}), json!(null)] {
        let e = RuleSet::compile_json(&bad).unwrap_err();
        assert_eq!(e.code(), "invalid_triggers");
    }
    let typed: Vec<triggerkit::formats::zendesk::ZendeskTrigger> =
        serde_json::from_value(json!([trigger(8, 1, json!({}), json!([]))])).unwrap();
    assert_eq!(RuleSet::compile(&typed).trigger_ids(), vec![8]);
}

#[test]
fn updates_must_be_objects_with_a_ticket() {
    let rules = compile(json!([trigger(
        1,
        1,
        json!({"any": [
        c("current_tags", "includes", json!("x")), c("status", "is", json!("open"))]}),
        json!([])
    )]));
    for bad in [
        json!(1),
        json!({}),
        json!({"ticket": 3}),
        json!({"ticket": {}, "comment": "x"}),
        json!({"ticket": {"tags": "a"}}),
        json!([]),
    ] {
        let e = rules.evaluate(&bad).unwrap_err();
        assert_eq!(rules.explain(&bad).unwrap_err(), e);
        assert_eq!(e.code(), "invalid_update", "{bad}");
        assert_eq!(rules.matching(&bad).unwrap_err().code(), "invalid_update");
    }
    let e = rules.evaluate_json("{\"ticket\": {").unwrap_err();
    assert!(
        matches!(e, RulesError::InvalidJson { line: 1, .. }),
        "{e:?}"
    );
    let typed = TicketUpdate {
        ticket: json!({"status": "open"}),
        ..Default::default()
    };
    assert_eq!(rules.evaluate_update(&typed).unwrap().fired, vec![1]);
}

#[test]
fn batches_equal_single_updates() {
    let triggers = json!([
        trigger(
            1,
            1,
            json!({"all": [c("status", "less_than", json!("solved"))],
                             "any": [c("current_tags", "includes", json!("vip")),
                                     c("subject_includes_word", "includes", json!("urgent"))]}),
            json!([{"field": "current_tags", "value": "seen"}])
        ),
        trigger(
            2,
            2,
            json!({"all": [c("current_tags", "includes", json!("seen"))]}),
            json!([{"field": "notification_webhook", "value": ["1", "x"]}])
        ),
        trigger(
            3,
            3,
            json!({"all": [c("status", "changed", Value::Null)]}),
            json!([])
        ),
    ]);
    let rules = compile(triggers);
    let updates = json!([
        {"ticket": {"status": "open", "tags": ["vip"]}},
        {"ticket": {"status": "solved", "tags": ["vip"]}, "previous": {"status": "solved"}},
        {"ticket": {"status": "new", "subject": "URGENT: help", "tags": []}, "previous": {"status": "open"}},
        {"ticket": {"status": "pending", "subject": "hi \"there\" \u{e9}\\n"}},
    ]);
    let text = updates.to_string();
    let mut batches = Vec::new();
    let n = rules
        .match_many_json(&text, |hits| batches.push(hits.to_vec()))
        .unwrap();
    assert_eq!(n, 4);
    let ids = rules.trigger_ids();
    let many: Vec<EvaluationResult> =
        serde_json::from_str(&rules.evaluate_many_json(&text).unwrap()).unwrap();
    for (i, u) in updates.as_array().unwrap().iter().enumerate() {
        let matched: Vec<u64> = batches[i].iter().map(|&k| ids[k as usize]).collect();
        assert_eq!(matched, rules.matching(u).unwrap(), "update {i}");
        assert_eq!(many[i], evaluate_checked(&rules, u).unwrap(), "update {i}");
    }
    for (i, u) in updates.as_array().unwrap().iter().enumerate() {
        let text = rules.evaluate_json(&u.to_string()).unwrap();
        let single: EvaluationResult = serde_json::from_str(&text).unwrap();
        assert_eq!(single, many[i], "update {i}");
    }
    assert_eq!(batches, vec![vec![0, 2], vec![], vec![0, 2], vec![2]]);
    assert_eq!(many[0].fired, vec![1, 2, 3]);
    assert_eq!(
        rules
            .match_many_json("[]", |_| panic!("no updates"))
            .unwrap(),
        0
    );
    assert_eq!(rules.evaluate_many_json("[]").unwrap(), "[]");
}

#[test]
fn escaped_lone_surrogates_read_as_replacement_characters() {
    let rules = compile(json!([trigger(
        1,
        1,
        json!({"all": [c("subject_includes_word", "includes", json!("broken"))]}),
        json!([{"field": "current_tags", "value": "x"}])
    )]));
    let text = r#"[{"ticket": {"subject": "broken \ud83c"}}]"#;
    let mut hits = Vec::new();
    rules
        .match_many_json(text, |h| hits.push(h.to_vec()))
        .unwrap();
    assert_eq!(hits, vec![vec![0]]);
    let many: Vec<EvaluationResult> =
        serde_json::from_str(&rules.evaluate_many_json(text).unwrap()).unwrap();
    assert_eq!(many[0].ticket["subject"], "broken \u{fffd}");
    let one = rules
        .evaluate_json(r#"{"ticket": {"subject": "broken \udc00"}}"#)
        .unwrap();
    assert!(one.contains(r#""fired":[1]"#), "{one}");
}

#[test]
fn batch_errors_say_where() {
    let rules = compile(json!([trigger(1, 1, json!({}), json!([]))]));
    let e = rules
        .match_many_json("[{\"ticket\":{}}, {\"nope\":1}]", |_| {})
        .unwrap_err();
    assert!(
        matches!(e, RulesError::InvalidUpdate { index: Some(1), .. }),
        "{e:?}"
    );
    let e = rules
        .match_many_json("[{\"ticket\":{}},\n {\"ticket\": {\"a\" 1}}]", |_| {})
        .unwrap_err();
    assert!(
        matches!(e, RulesError::InvalidJson { line: 2, .. }),
        "{e:?}"
    );
    let e = rules
        .match_many_json("{\"ticket\":{}}", |_| {})
        .unwrap_err();
    assert!(
        matches!(e, RulesError::InvalidUpdate { index: None, .. }),
        "{e:?}"
    );
    let e = rules.match_many_json("[] x", |_| {}).unwrap_err();
    assert_eq!(e.code(), "invalid_json");
    let e = rules
        .evaluate_many_json("[{\"ticket\":{}}, 5]")
        .unwrap_err();
    assert!(
        matches!(e, RulesError::InvalidUpdate { index: Some(1), .. }),
        "{e:?}"
    );
    // Deep nesting never recurses (serde_json would refuse past depth 128):
    // values nobody reads are skipped, and a list value keeps only its
    // string items without descending further.
    let deep = |key: &str| {
        format!(
            "[{{\"ticket\":{{\"{key}\":[{{\"id\":1,\"value\":[\"a\",{}{}]}}]}}}}]",
            "[".repeat(5000),
            "]".repeat(5000)
        )
    };
    assert_eq!(rules.match_many_json(&deep("x"), |_| {}).unwrap(), 1);
    assert!(rules.evaluate_many_json(&deep("x")).is_ok());
    let reads = compile(json!([trigger(
        1,
        1,
        json!({"all": [c("custom_fields_1", "is", json!("a"))]}),
        json!([])
    )]));
    let mut hits = Vec::new();
    reads
        .match_many_json(&deep("custom_fields"), |h| hits.push(h.to_vec()))
        .unwrap();
    assert_eq!(hits, vec![vec![0]]);
    assert!(reads.evaluate_many_json(&deep("custom_fields")).is_ok());
}
