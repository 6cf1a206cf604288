//! Pocketflows matching: event name, status, excluded customers, filters,
//! the reason reported for every non-match, and the filter's variables.
#![cfg(feature = "validators")]

use serde_json::{json, Value};
use triggerkit::json;
use triggerkit::pocketflows_match::{
    match_triggers, PocketflowsEvent, PocketflowsMatchTrigger, PocketflowsMatcher,
    PocketflowsMismatchReason,
};

/// The crate's JSON data of a serde_json value, through its text.
fn data(value: &Value) -> json::Value {
    json::parse(&value.to_string()).expect("serde_json's text parses")
}

fn trigger(value: Value) -> PocketflowsMatchTrigger {
    PocketflowsMatchTrigger::from_json(&data(&value)).expect("trigger JSON")
}

fn event(value: Value) -> PocketflowsEvent {
    PocketflowsEvent::from_json(&data(&value)).expect("event JSON")
}

fn purchase() -> PocketflowsEvent {
    event(json!({
        "event": "purchase",
        "customer_id": "cus_1",
        "properties": {"plan": "pro", "amount": 150, "items": ["a", "b"]},
        "customer": {"email": "ann@example.com", "country": "FR", "orders": 4}
    }))
}

/// The response shape of the seed (POST /businesses/{id}/triggers).
fn api_trigger(id: &str, event: &str, status: &str, filter: Value) -> PocketflowsMatchTrigger {
    trigger(json!({
        "id": id, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        "name": format!("trigger {id}"), "project_defined_event": event,
        "internal_event_definition": {"type": "customer_created", "segment": "all"},
        "trigger": null, "steps": [{"type": "email", "email_template_id": "tpl"}],
        "status": status, "filter": filter, "email_address": null, "phone_number": null,
        "attributed_revenue": 123, "statistics": {"total_customers_enrolled": 0},
        "excluded_customers": ["cus_blocked"]
    }))
}

fn reasons(
    triggers: &[PocketflowsMatchTrigger],
    e: &PocketflowsEvent,
) -> Vec<Option<PocketflowsMismatchReason>> {
    match_triggers(triggers, e)
        .into_iter()
        .map(|m| m.reason)
        .collect()
}

#[test]
fn each_reason_in_order() {
    let triggers = vec![
        api_trigger("t0", "purchase", "active", Value::Null),
        api_trigger("t1", "signup", "active", Value::Null),
        api_trigger("t2", "purchase", "draft", Value::Null),
        api_trigger("t3", "purchase", "inactive", Value::Null),
        api_trigger(
            "t4",
            "purchase",
            "active",
            json!("event.properties.amount > 100"),
        ),
        api_trigger(
            "t5",
            "purchase",
            "active",
            json!("event.properties.amount > 1000"),
        ),
        api_trigger(
            "t6",
            "purchase",
            "active",
            json!("event.properties.missing > 1"),
        ),
        api_trigger(
            "t7",
            "purchase",
            "active",
            json!("event.properties.plan = 'pro'"),
        ),
        // The event check comes first: an invalid filter on another event is not reported.
        api_trigger("t8", "signup", "draft", json!("((")),
        api_trigger("t9", "purchase", "active", json!("   ")),
    ];
    let results = match_triggers(&triggers, &purchase());
    let got: Vec<(usize, Option<&str>, bool, Option<PocketflowsMismatchReason>)> = results
        .iter()
        .map(|m| (m.index, m.id.as_deref(), m.matched, m.reason))
        .collect();
    use PocketflowsMismatchReason::*;
    assert_eq!(
        got,
        vec![
            (0, Some("t0"), true, None),
            (1, Some("t1"), false, Some(EventMismatch)),
            (2, Some("t2"), false, Some(Inactive)),
            (3, Some("t3"), false, Some(Inactive)),
            (4, Some("t4"), true, None),
            (5, Some("t5"), false, Some(FilterFalse)),
            (6, Some("t6"), false, Some(FilterError)),
            (7, Some("t7"), false, Some(FilterInvalid)),
            (8, Some("t8"), false, Some(EventMismatch)),
            (9, Some("t9"), true, None),
        ]
    );
    let error = results[6]
        .error
        .as_ref()
        .expect("filter_error has an error");
    assert_eq!(error.code, "no_such_key");
    assert_eq!(error.line, None);
    let invalid = results[7]
        .error
        .as_ref()
        .expect("filter_invalid has an error");
    assert_eq!(invalid.code, "invalid_character");
    assert_eq!((invalid.line, invalid.column), (Some(1), Some(23)));
    assert!(invalid.snippet.as_deref().is_some_and(|s| s.ends_with('^')));
    assert!(results
        .iter()
        .filter(|m| m.matched)
        .all(|m| m.error.is_none()));
}

#[test]
fn excluded_customers() {
    let t = api_trigger("t", "purchase", "active", Value::Null);
    let mut e = purchase();
    assert_eq!(reasons(std::slice::from_ref(&t), &e), vec![None]);
    e.customer_id = Some("cus_blocked".to_owned());
    assert_eq!(
        reasons(std::slice::from_ref(&t), &e),
        vec![Some(PocketflowsMismatchReason::ExcludedCustomer)]
    );
    e.customer_id = None;
    assert_eq!(reasons(std::slice::from_ref(&t), &e), vec![None]);
    // Status is checked before exclusion.
    let mut inactive = t;
    inactive.status = None;
    e.customer_id = Some("cus_blocked".to_owned());
    assert_eq!(
        reasons(&[inactive], &e),
        vec![Some(PocketflowsMismatchReason::Inactive)]
    );
}

#[test]
fn minimal_triggers_and_null_fields() {
    let bare = trigger(json!({"project_defined_event": "purchase", "status": "active"}));
    let null_event = trigger(json!({"project_defined_event": null, "status": "active"}));
    let no_status = trigger(json!({"project_defined_event": "purchase"}));
    let null_filter = trigger(
        json!({"project_defined_event": "purchase", "status": "active", "filter": null, "excluded_customers": []}),
    );
    let results = match_triggers(&[bare, null_event, no_status, null_filter], &purchase());
    assert_eq!(
        results.iter().map(|m| m.reason).collect::<Vec<_>>(),
        vec![
            None,
            Some(PocketflowsMismatchReason::EventMismatch),
            Some(PocketflowsMismatchReason::Inactive),
            None
        ]
    );
    assert!(results.iter().all(|m| m.id.is_none()));
    let read = |value: Value| PocketflowsMatchTrigger::from_json(&data(&value));
    assert_eq!(
        read(json!({"status": "paused"})).unwrap_err(),
        "unknown variant `paused`, expected one of `draft`, `active`, `inactive`"
    );
    assert_eq!(
        read(json!({"excluded_customers": ["a", 5]})).unwrap_err(),
        "invalid type: integer `5`, expected a string"
    );
    assert_eq!(
        read(json!([])).unwrap_err(),
        "invalid type: sequence, expected a map"
    );
    let read_event = |value: Value| PocketflowsEvent::from_json(&data(&value));
    assert_eq!(
        read_event(json!({"customer_id": "c"})).unwrap_err(),
        "missing field `event`"
    );
    assert_eq!(
        read_event(json!({"event": "e", "properties": [1.5]})).unwrap_err(),
        "invalid type: sequence, expected a map"
    );
    assert_eq!(
        read_event(json!({"event": 1.5})).unwrap_err(),
        "invalid type: floating point `1.5`, expected a string"
    );
    let list = PocketflowsMatchTrigger::list_from_json(&data(&json!([
        {"status": "draft", "filter": null},
        {"id": "t", "status": null}
    ])))
    .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].id.as_deref(), Some("t"));
}

#[test]
fn filter_variables() {
    let e = purchase();
    assert_eq!(
        e.activation(),
        data(&json!({
            "event": {"name": "purchase", "properties": {"plan": "pro", "amount": 150, "items": ["a", "b"]}},
            "customer": {"email": "ann@example.com", "country": "FR", "orders": 4},
            "customer_id": "cus_1"
        }))
    );
    let cases = [
        ("event.name == 'purchase'", true),
        (
            "event.properties.plan == 'pro' && event.properties.amount > 100",
            true,
        ),
        (
            "'b' in event.properties.items && size(event.properties.items) == 2",
            true,
        ),
        (
            "customer.email.endsWith('@example.com') && customer.orders >= 4",
            true,
        ),
        ("customer.country in ['DE', 'AT']", false),
        ("customer_id == 'cus_1'", true),
        ("customer_id.startsWith('cus_')", true),
        ("has(customer.phone)", false),
        ("has(event.properties.plan)", true),
    ];
    for (filter, want) in cases {
        let t = trigger(
            json!({"project_defined_event": "purchase", "status": "active", "filter": filter}),
        );
        let m = &match_triggers(&[t], &e)[0];
        assert_eq!(m.matched, want, "{filter}: {m:?}");
    }
    // An event without properties, customer or customer id.
    let bare = event(json!({"event": "purchase"}));
    assert_eq!(
        bare.activation(),
        data(
            &json!({"event": {"name": "purchase", "properties": {}}, "customer": {}, "customer_id": null})
        )
    );
    let checks = [
        (
            "has(event.properties.plan)",
            Some(PocketflowsMismatchReason::FilterFalse),
        ),
        ("customer_id == null", None),
        (
            "event.properties.plan == 'pro'",
            Some(PocketflowsMismatchReason::FilterError),
        ),
        (
            "has(customer.email) && customer.email.contains('@')",
            Some(PocketflowsMismatchReason::FilterFalse),
        ),
    ];
    for (filter, want) in checks {
        let t = trigger(
            json!({"project_defined_event": "purchase", "status": "active", "filter": filter}),
        );
        assert_eq!(match_triggers(&[t], &bare)[0].reason, want, "{filter}");
    }
}

#[test]
fn matcher_is_reusable_across_events() {
    let triggers = vec![
        api_trigger(
            "big",
            "purchase",
            "active",
            json!("event.properties.amount >= 100"),
        ),
        api_trigger(
            "fr",
            "purchase",
            "active",
            json!("customer.country == 'FR'"),
        ),
        api_trigger("signup", "signup", "active", Value::Null),
    ];
    let matcher = PocketflowsMatcher::new(&triggers);
    let fired = |e: &PocketflowsEvent| -> Vec<String> {
        matcher
            .match_event(e)
            .into_iter()
            .filter(|m| m.matched)
            .filter_map(|m| m.id)
            .collect()
    };
    assert_eq!(fired(&purchase()), vec!["big", "fr"]);
    let small = event(
        json!({"event": "purchase", "properties": {"amount": 5}, "customer": {"country": "FR"}}),
    );
    assert_eq!(fired(&small), vec!["fr"]);
    assert_eq!(fired(&event(json!({"event": "signup"}))), vec!["signup"]);
    assert!(fired(&event(json!({"event": "other"}))).is_empty());
}

#[test]
fn many_triggers() {
    let triggers: Vec<PocketflowsMatchTrigger> = (0..500)
        .map(|i| {
            api_trigger(
                &format!("t{i}"),
                if i % 2 == 0 { "purchase" } else { "signup" },
                "active",
                json!(format!("event.properties.amount > {i}")),
            )
        })
        .collect();
    let results = match_triggers(&triggers, &purchase());
    let fired = results.iter().filter(|m| m.matched).count();
    // Even indexes are purchase triggers; amount 150 exceeds i for i < 150.
    assert_eq!(fired, 75);
}
