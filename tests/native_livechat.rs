//! Native tests of the livechat engine with a simulated clock: every
//! condition alone and combined, visits across reloads and throttled
//! background tabs, run-once, disabled, invalid and hostile triggers.

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use triggerkit::livechat::{
    LivechatAction, LivechatEngine, LivechatError, LivechatEvent as Ev, LivechatState,
    LivechatStep, LoadReport, HEARTBEAT_MS, VISIT_TIMEOUT_MS,
};

/// The engine, given serde_json data (converted as the full build's Rust
/// callers do).
fn new_engine(triggers: &[Value], state: Option<&Value>) -> (LivechatEngine, LoadReport) {
    let triggers: Vec<triggerkit::json::Value> = triggers.iter().map(Into::into).collect();
    LivechatEngine::new(&triggers, state.map(Into::into).as_ref())
}

const S: u64 = 1000;
const MIN: u64 = 60 * S;
/// An arbitrary epoch-ms origin, so nothing relies on time starting at 0.
const T0: u64 = 1_700_000_000_000;
const HOME: &str = "https://shop.example/";
const PRICING: &str = "https://shop.example/pricing";

fn trigger(id: &str, conditions: Value, msgs: &[&str]) -> Value {
    let actions: Vec<Value> = msgs
        .iter()
        .map(|m| json!({"name": "send-message", "params": {"sender": "queue", "msg": m}}))
        .collect();
    json!({
        "_id": id, "name": id, "description": "", "enabled": true, "runOnce": false,
        "conditions": conditions, "actions": actions,
    })
}

fn with(mut trigger: Value, key: &str, value: Value) -> Value {
    trigger[key] = value;
    trigger
}

fn engine(triggers: &[Value]) -> LivechatEngine {
    engine_with_state(triggers, None)
}

fn engine_with_state(triggers: &[Value], state: Option<&LivechatState>) -> LivechatEngine {
    let stored = state.map(|s| serde_json::to_value(s).expect("state serializes"));
    let (engine, report) = new_engine(triggers, stored.as_ref());
    assert!(report.invalid.is_empty(), "{:?}", report.invalid);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    engine
}

fn go(engine: &mut LivechatEngine, event: Ev<'_>, now: u64) -> LivechatStep {
    engine.handle(event, now).expect("started")
}

fn msgs(step: &LivechatStep) -> Vec<&str> {
    step.actions
        .iter()
        .map(|a| match a {
            LivechatAction::SendMessage { msg, .. } => msg.as_str(),
            LivechatAction::UseExternalService { trigger_id, .. } => trigger_id.as_str(),
        })
        .collect()
}

fn time_on_site(seconds: Value) -> Value {
    json!([{"name": "time-on-site", "value": seconds}])
}

fn page_url(pattern: &str) -> Value {
    json!([{"name": "page-url", "value": pattern}])
}

// ---- each condition alone ----

#[test]
fn time_on_site_fires_at_the_threshold_and_asks_to_be_woken_then() {
    let mut e = engine(&[trigger("t", time_on_site(json!(30)), &["hi"])]);
    let step = go(&mut e, Ev::Start(HOME), T0);
    assert!(step.actions.is_empty());
    assert_eq!(step.next_wake_at, Some(T0 + 30 * S));
    let early = go(&mut e, Ev::Tick, T0 + 29_999);
    assert!(early.actions.is_empty());
    assert_eq!(early.next_wake_at, Some(T0 + 30 * S));
    let step = go(&mut e, Ev::Tick, T0 + 30 * S);
    assert_eq!(msgs(&step), ["hi"]);
    // Nothing left to wait for but the heartbeat of a visible page.
    assert_eq!(step.next_wake_at, Some(T0 + 30 * S + HEARTBEAT_MS));
    assert!(go(&mut e, Ev::Tick, T0 + 40 * S).actions.is_empty());
}

#[test]
fn time_on_site_accepts_text_seconds_and_null_means_at_once() {
    let mut e = engine(&[
        trigger("text", time_on_site(json!("2.5")), &["text"]),
        trigger("null", time_on_site(Value::Null), &["null"]),
    ]);
    assert_eq!(msgs(&go(&mut e, Ev::Start(HOME), T0)), ["null"]);
    assert_eq!(msgs(&go(&mut e, Ev::Tick, T0 + 2_500)), ["text"]);
}

#[test]
fn page_url_is_checked_at_start_and_on_every_navigation() {
    let mut e = engine(&[trigger("p", page_url("/pricing"), &["plans"])]);
    let step = go(&mut e, Ev::Start(HOME), T0);
    assert!(step.actions.is_empty());
    assert_eq!(step.next_wake_at, None, "no timed trigger, no timer");
    assert_eq!(msgs(&go(&mut e, Ev::Navigate(PRICING), T0 + S)), ["plans"]);
    // Same URL again (replaceState): same page view, no second message.
    assert!(go(&mut e, Ev::Navigate(PRICING), T0 + 2 * S)
        .actions
        .is_empty());
    assert!(go(&mut e, Ev::Navigate(HOME), T0 + 3 * S)
        .actions
        .is_empty());
    // Back on pricing: a new page view, so it fires again.
    let step = go(
        &mut e,
        Ev::Navigate("https://shop.example/pricing#team"),
        T0 + 4 * S,
    );
    assert_eq!(msgs(&step), ["plans"]);
    // A fresh load on a matching URL fires at start.
    let mut e = engine(&[trigger("p", page_url("/pricing"), &["plans"])]);
    assert_eq!(msgs(&go(&mut e, Ev::Start(PRICING), T0)), ["plans"]);
}

#[test]
fn page_url_is_an_unanchored_case_sensitive_javascript_regex() {
    let mut e = engine(&[
        trigger(
            "a",
            page_url(r"^https://shop\.example/item/\d+$"),
            &["item"],
        ),
        trigger("b", page_url("PRICING"), &["upper"]),
        trigger("c", page_url("[?&]utm_source=(mail|ads)"), &["campaign"]),
    ]);
    assert_eq!(
        msgs(&go(&mut e, Ev::Start("https://shop.example/item/42"), T0)),
        ["item"]
    );
    assert!(go(&mut e, Ev::Navigate(PRICING), T0 + 1).actions.is_empty());
    let step = go(
        &mut e,
        Ev::Navigate("https://shop.example/?a=1&utm_source=ads"),
        T0 + 2,
    );
    assert_eq!(msgs(&step), ["campaign"]);
}

#[test]
fn chat_opened_holds_for_the_rest_of_the_page_view() {
    let mut e = engine(&[trigger(
        "c",
        json!([{"name": "chat-opened-by-visitor", "value": "0"}]),
        &["welcome"],
    )]);
    assert!(go(&mut e, Ev::Start(HOME), T0).actions.is_empty());
    assert_eq!(msgs(&go(&mut e, Ev::ChatOpened, T0 + S)), ["welcome"]);
    assert!(go(&mut e, Ev::ChatOpened, T0 + 2 * S).actions.is_empty());
    // A new page view does not carry the event over.
    assert!(go(&mut e, Ev::Navigate(PRICING), T0 + 3 * S)
        .actions
        .is_empty());
    assert_eq!(msgs(&go(&mut e, Ev::ChatOpened, T0 + 4 * S)), ["welcome"]);
}

#[test]
fn after_guest_registration_fires_on_registration() {
    let mut e = engine(&[trigger(
        "g",
        json!([{"name": "after-guest-registration", "value": null}]),
        &["thanks"],
    )]);
    assert!(go(&mut e, Ev::Start(HOME), T0).actions.is_empty());
    assert!(go(&mut e, Ev::ChatOpened, T0 + S).actions.is_empty());
    assert_eq!(
        msgs(&go(&mut e, Ev::GuestRegistered, T0 + 2 * S)),
        ["thanks"]
    );
    assert!(go(&mut e, Ev::Navigate(PRICING), T0 + 3 * S)
        .actions
        .is_empty());
}

// ---- combinations ----

#[test]
fn all_conditions_must_hold_and_all_actions_run_in_order() {
    let mut e = engine(&[trigger(
        "combo",
        json!([
            {"name": "page-url", "value": "pricing"},
            {"name": "time-on-site", "value": 20},
        ]),
        &["one", "two", "three"],
    )]);
    let step = go(&mut e, Ev::Start(HOME), T0);
    assert!(step.actions.is_empty());
    // Not on a matching page: time alone is not worth a timer (only the heartbeat).
    assert_eq!(step.next_wake_at, Some(T0 + HEARTBEAT_MS));
    assert!(go(&mut e, Ev::Tick, T0 + 25 * S).actions.is_empty());
    // Time already reached when the URL starts to match: fires at once.
    assert_eq!(
        msgs(&go(&mut e, Ev::Navigate(PRICING), T0 + 26 * S)),
        ["one", "two", "three"]
    );

    // URL first, then time.
    let mut e = engine(&[trigger(
        "combo",
        json!([
            {"name": "page-url", "value": "pricing"},
            {"name": "time-on-site", "value": 20},
        ]),
        &["one"],
    )]);
    assert_eq!(
        go(&mut e, Ev::Start(PRICING), T0).next_wake_at,
        Some(T0 + 20 * S)
    );
    assert_eq!(msgs(&go(&mut e, Ev::Tick, T0 + 20 * S)), ["one"]);
}

#[test]
fn event_and_time_conditions_combine_in_either_order() {
    let conditions = json!([
        {"name": "chat-opened-by-visitor", "value": null},
        {"name": "time-on-site", "value": 60},
    ]);
    // Chat opened first, the time comes later.
    let mut e = engine(&[trigger("x", conditions.clone(), &["m"])]);
    go(&mut e, Ev::Start(HOME), T0);
    let step = go(&mut e, Ev::ChatOpened, T0 + 10 * S);
    assert!(step.actions.is_empty());
    assert_eq!(step.next_wake_at, Some(T0 + 60 * S));
    assert_eq!(msgs(&go(&mut e, Ev::Tick, T0 + 60 * S)), ["m"]);
    // Time first, the chat is opened later.
    let mut e = engine(&[trigger("x", conditions, &["m"])]);
    go(&mut e, Ev::Start(HOME), T0);
    assert!(go(&mut e, Ev::Tick, T0 + 90 * S).actions.is_empty());
    assert_eq!(msgs(&go(&mut e, Ev::ChatOpened, T0 + 95 * S)), ["m"]);
}

#[test]
fn two_event_conditions_need_both_in_the_same_page_view() {
    let conditions = json!([
        {"name": "chat-opened-by-visitor", "value": null},
        {"name": "after-guest-registration", "value": null},
    ]);
    let mut e = engine(&[trigger("x", conditions, &["both"])]);
    go(&mut e, Ev::Start(HOME), T0);
    assert!(go(&mut e, Ev::ChatOpened, T0 + S).actions.is_empty());
    assert!(go(&mut e, Ev::Navigate(PRICING), T0 + 2 * S)
        .actions
        .is_empty());
    assert!(go(&mut e, Ev::GuestRegistered, T0 + 3 * S)
        .actions
        .is_empty());
    assert_eq!(msgs(&go(&mut e, Ev::ChatOpened, T0 + 4 * S)), ["both"]);
}

#[test]
fn triggers_fire_in_the_order_given() {
    let mut e = engine(&[
        trigger("b", page_url("shop"), &["b1", "b2"]),
        trigger("a", page_url("example"), &["a1"]),
        trigger("c", page_url("nomatch"), &["c1"]),
    ]);
    assert_eq!(msgs(&go(&mut e, Ev::Start(HOME), T0)), ["b1", "b2", "a1"]);
}

#[test]
fn two_page_url_conditions_must_both_match() {
    let mut e = engine(&[trigger(
        "x",
        json!([{"name": "page-url", "value": "shop"}, {"name": "page-url", "value": "pricing"}]),
        &["m"],
    )]);
    assert!(go(&mut e, Ev::Start(HOME), T0).actions.is_empty());
    assert_eq!(msgs(&go(&mut e, Ev::Navigate(PRICING), T0 + 1)), ["m"]);
}

// ---- once per page view, run once per visitor ----

#[test]
fn a_trigger_fires_at_most_once_per_page_view() {
    let mut e = engine(&[trigger("t", time_on_site(json!(5)), &["m"])]);
    go(&mut e, Ev::Start(HOME), T0);
    assert_eq!(msgs(&go(&mut e, Ev::Tick, T0 + 5 * S)), ["m"]);
    for k in 6..20 {
        assert!(go(&mut e, Ev::Tick, T0 + k * S).actions.is_empty());
    }
    // A navigation is a new page view; time-on-site still holds.
    assert_eq!(msgs(&go(&mut e, Ev::Navigate(PRICING), T0 + 21 * S)), ["m"]);
}

#[test]
fn run_once_fires_once_per_visitor_across_reloads_and_navigations() {
    let triggers = [with(
        trigger("once", page_url("shop"), &["first"]),
        "runOnce",
        json!(true),
    )];
    let mut e = engine(&triggers);
    assert_eq!(msgs(&go(&mut e, Ev::Start(HOME), T0)), ["first"]);
    assert!(go(&mut e, Ev::Navigate(PRICING), T0 + S).actions.is_empty());
    assert_eq!(e.state().fired_run_once, ["once"]);
    // Reload, even days later: still remembered.
    let saved = e.state().clone();
    let mut e = engine_with_state(&triggers, Some(&saved));
    assert!(go(&mut e, Ev::Start(HOME), T0 + 3 * 24 * 60 * MIN)
        .actions
        .is_empty());
    // Without the stored state it would fire again.
    let mut e = engine(&triggers);
    assert_eq!(msgs(&go(&mut e, Ev::Start(HOME), T0)), ["first"]);
}

#[test]
fn run_once_records_from_another_tab_are_honoured() {
    let triggers = [with(
        trigger("once", time_on_site(json!(10)), &["m"]),
        "runOnce",
        json!(true),
    )];
    let mut tab_a = engine(&triggers);
    let mut tab_b = engine(&triggers);
    go(&mut tab_a, Ev::Start(HOME), T0);
    go(&mut tab_b, Ev::Start(PRICING), T0 + S);
    assert_eq!(msgs(&go(&mut tab_a, Ev::Tick, T0 + 10 * S)), ["m"]);
    tab_b.merge_state(&tab_a.state().clone());
    assert!(go(&mut tab_b, Ev::Tick, T0 + 11 * S).actions.is_empty());
}

#[test]
fn disabled_triggers_never_fire() {
    // The seed's own example: `"enabled": "false"` as a string.
    let raw_disabled = json!({
        "_id": "d2", "name": "d2", "description": "", "enabled": "false", "runOnce": "false",
        "conditions": [{"name": "page-url", "value": "shop"}],
        "actions": [{"name": "send-message", "params": {"sender": "queue", "msg": "no"}}],
    });
    let triggers = [
        with(
            trigger("d1", page_url("shop"), &["no"]),
            "enabled",
            json!(false),
        ),
        raw_disabled,
        with(
            trigger("d3", time_on_site(json!(0)), &["no"]),
            "enabled",
            json!(false),
        ),
    ];
    let (mut e, report) = new_engine(&triggers, None);
    assert!(report.invalid.is_empty(), "{:?}", report.invalid);
    assert_eq!(e.trigger_count(), 0);
    assert!(go(&mut e, Ev::Start(HOME), T0).actions.is_empty());
    assert!(go(&mut e, Ev::ChatOpened, T0 + S).actions.is_empty());
    assert!(go(&mut e, Ev::Tick, T0 + 10 * MIN).actions.is_empty());
}

// ---- visits: reloads, throttled background tabs, sleep ----

#[test]
fn a_reload_within_the_visit_keeps_counting_from_the_visit_start() {
    let triggers = [trigger("t", time_on_site(json!(60)), &["m"])];
    let mut first = engine(&triggers);
    go(&mut first, Ev::Start(HOME), T0);
    go(&mut first, Ev::Visibility(false), T0 + 20 * S); // unload
    let saved = first.state().clone();
    let mut second = engine_with_state(&triggers, Some(&saved));
    let step = go(&mut second, Ev::Start(PRICING), T0 + 25 * S);
    assert!(step.actions.is_empty());
    assert_eq!(
        step.next_wake_at,
        Some(T0 + 60 * S),
        "due 60 s after the visit began"
    );
    assert_eq!(msgs(&go(&mut second, Ev::Tick, T0 + 60 * S)), ["m"]);
    // A reload long after the threshold fires at once (a new page view).
    let saved = second.state().clone();
    let mut third = engine_with_state(&triggers, Some(&saved));
    assert_eq!(msgs(&go(&mut third, Ev::Start(HOME), T0 + 5 * MIN)), ["m"]);
}

#[test]
fn a_reload_after_the_visit_timeout_starts_a_new_visit() {
    let triggers = [trigger("t", time_on_site(json!(60)), &["m"])];
    let mut first = engine(&triggers);
    go(&mut first, Ev::Start(HOME), T0);
    go(&mut first, Ev::Visibility(false), T0 + 20 * S);
    let saved = first.state().clone();
    let back = T0 + 20 * S + VISIT_TIMEOUT_MS + 1;
    let mut second = engine_with_state(&triggers, Some(&saved));
    let step = go(&mut second, Ev::Start(HOME), back);
    assert!(step.actions.is_empty());
    assert_eq!(step.next_wake_at, Some(back + 60 * S));
    assert_eq!(second.state().visit.map(|v| v.start), Some(back));
    // Exactly at the timeout the visit still counts.
    let mut third = engine_with_state(&triggers, Some(&saved));
    let step = go(&mut third, Ev::Start(HOME), T0 + 20 * S + VISIT_TIMEOUT_MS);
    assert_eq!(msgs(&step), ["m"]);
}

#[test]
fn a_background_tab_throttled_for_minutes_fires_when_it_wakes() {
    let mut e = engine(&[trigger("t", time_on_site(json!(60)), &["m"])]);
    go(&mut e, Ev::Start(HOME), T0);
    let hidden = go(&mut e, Ev::Visibility(false), T0 + 5 * S);
    assert_eq!(
        hidden.next_wake_at,
        Some(T0 + 60 * S),
        "no heartbeat while hidden"
    );
    // The browser held the timer back for 7 minutes.
    let step = go(&mut e, Ev::Tick, T0 + 7 * MIN);
    assert_eq!(msgs(&step), ["m"]);
    assert_eq!(step.next_wake_at, None);
    // Coming back does not fire it again in this page view.
    assert!(go(&mut e, Ev::Visibility(true), T0 + 8 * MIN)
        .actions
        .is_empty());
}

#[test]
fn a_hidden_tab_that_wakes_after_the_visit_ended_waits_for_the_visitor() {
    let mut e = engine(&[trigger("t", time_on_site(json!(60)), &["m"])]);
    go(&mut e, Ev::Start(HOME), T0);
    go(&mut e, Ev::Visibility(false), T0 + 5 * S);
    let late = T0 + 5 * S + VISIT_TIMEOUT_MS + MIN;
    let step = go(&mut e, Ev::Tick, late);
    assert!(step.actions.is_empty());
    assert_eq!(step.next_wake_at, None);
    assert_eq!(e.state().visit, None);
    let back = late + 10 * MIN;
    let step = go(&mut e, Ev::Visibility(true), back);
    assert!(step.actions.is_empty());
    assert_eq!(step.next_wake_at, Some(back + 60 * S), "a new visit began");
    assert_eq!(msgs(&go(&mut e, Ev::Tick, back + 60 * S)), ["m"]);
}

#[test]
fn an_idle_visible_page_keeps_its_visit_through_heartbeats() {
    let mut e = engine(&[trigger("t", time_on_site(json!(45 * 60)), &["m"])]);
    let mut wake = go(&mut e, Ev::Start(HOME), T0).next_wake_at;
    let mut fired = None;
    while let Some(at) = wake {
        let step = go(&mut e, Ev::Tick, at);
        if !step.actions.is_empty() {
            fired = Some(at);
            break;
        }
        wake = step.next_wake_at;
    }
    assert_eq!(fired, Some(T0 + 45 * MIN));
    assert_eq!(e.state().visit.map(|v| v.start), Some(T0));
}

#[test]
fn a_machine_that_slept_longer_than_the_timeout_starts_a_new_visit() {
    let mut e = engine(&[trigger("t", time_on_site(json!(3600)), &["m"])]);
    go(&mut e, Ev::Start(HOME), T0);
    // The laptop lid was closed for two hours; the page stayed "visible".
    let woke = T0 + 120 * MIN;
    let step = go(&mut e, Ev::Tick, woke);
    assert!(step.actions.is_empty());
    assert_eq!(e.state().visit.map(|v| v.start), Some(woke));
}

#[test]
fn a_clock_that_jumps_backwards_never_panics() {
    let mut e = engine(&[trigger("t", time_on_site(json!(10)), &["m"])]);
    go(&mut e, Ev::Start(HOME), T0);
    assert!(go(&mut e, Ev::Tick, T0 - 60 * MIN).actions.is_empty());
    assert!(go(&mut e, Ev::Tick, 0).actions.is_empty());
    assert_eq!(msgs(&go(&mut e, Ev::Tick, T0 + 10 * S)), ["m"]);
    assert!(go(&mut e, Ev::Tick, u64::MAX).actions.is_empty());
}

// ---- inputs: raw server JSON, config entries, invalid and hostile ----

#[test]
fn accepts_raw_bodies_config_entries_and_stored_records() {
    let raw = json!({
        "name": "api-trigger", "description": "seed", "enabled": "true", "runOnce": "false",
        "conditions": [{"name": "page-url", "value": "shop"}],
        "actions": [{"name": "send-message", "params": {"sender": "custom", "name": "Ana", "msg": "raw"}}],
    });
    let config_entry = json!({
        "_id": "cfg", "runOnce": false,
        "conditions": [{"name": "page-url", "value": "shop"}],
        "actions": [{"name": "send-message", "params": {"sender": "queue", "msg": "config"}}],
    });
    let stored = with(
        trigger("stored", page_url("shop"), &["stored"]),
        "_updatedAt",
        json!("2024-03-20T10:00:00.000Z"),
    );
    let mut e = engine(&[raw, config_entry, stored]);
    let step = go(&mut e, Ev::Start(HOME), T0);
    assert_eq!(msgs(&step), ["raw", "config", "stored"]);
    assert_eq!(
        step.actions[0],
        LivechatAction::SendMessage {
            trigger_id: None,
            sender: triggerkit::formats::rocketchat::Sender::Custom,
            agent_name: Some("Ana".into()),
            msg: "raw".into(),
        }
    );
}

#[test]
fn nulls_kept_by_normalization_fire_as_before_and_keep_run_once_keys() {
    // `_id: null`, `params: null` and `params.name: null`, as the validator
    // now keeps them (the server stores them so).
    let with_nulls = json!({
        "_id": null, "name": "nulls", "description": "", "enabled": true, "runOnce": true,
        "conditions": [{"name": "page-url", "value": "shop"}, {"name": "time-on-site", "value": null}],
        "actions": [
            {"name": "send-message", "params": {"sender": "custom", "msg": "hi", "name": null}},
            {"name": "send-message", "params": {"sender": "queue", "msg": "two"}}
        ],
    });
    let mut without = with_nulls.clone();
    without.as_object_mut().expect("object").remove("_id");
    without["actions"][0]["params"]
        .as_object_mut()
        .expect("object")
        .remove("name");
    let validated = triggerkit::validate::validate_rocketchat_trigger(&(&with_nulls).into());
    let normalized = serde_json::to_value(validated.value.expect("valid")).expect("serializes");
    assert_eq!(
        normalized, with_nulls,
        "the nulls are in the normalized value"
    );

    let mut e = engine(std::slice::from_ref(&normalized));
    let step = go(&mut e, Ev::Start(HOME), T0);
    assert_eq!(msgs(&step), ["hi", "two"]);
    assert_eq!(
        step.actions[0],
        LivechatAction::SendMessage {
            trigger_id: None,
            sender: triggerkit::formats::rocketchat::Sender::Custom,
            agent_name: None,
            msg: "hi".into(),
        }
    );
    // The run-once key is the one the trigger without its nulls had, so a
    // visitor's stored record still matches.
    let mut plain = engine(&[without]);
    go(&mut plain, Ev::Start(HOME), T0);
    assert_eq!(plain.state().fired_run_once, e.state().fired_run_once);
    // And the engine's normalized trigger still has its nulls afterwards.
    let (checked, _) = triggerkit::livechat::check_triggers(&[(&normalized).into()]);
    assert_eq!(
        serde_json::to_value(&checked[0]).expect("serializes"),
        with_nulls
    );
    let mut again = engine_with_state(&[normalized], Some(&plain.state().clone()));
    assert!(go(&mut again, Ev::Start(HOME), T0 + S).actions.is_empty());

    // An action whose params are null is a send-message without sender:
    // reported invalid, as when params are missing, never a panic.
    let null_params = json!({
        "_id": "np", "name": "np", "description": "", "enabled": true, "runOnce": false,
        "conditions": [{"name": "chat-opened-by-visitor", "value": null}],
        "actions": [{"name": "send-message", "params": null}],
    });
    let mut missing = null_params.clone();
    missing["actions"][0]
        .as_object_mut()
        .expect("object")
        .remove("params");
    let (_, null_report) = new_engine(&[null_params], None);
    let (_, missing_report) = new_engine(&[missing], None);
    assert_eq!(null_report.invalid, missing_report.invalid);
    assert_eq!(
        null_report.invalid[0].errors[0].code,
        "action_params_missing"
    );
}

#[test]
fn external_service_actions_carry_the_trigger_id_and_params() {
    let t = json!({
        "_id": "ext1", "name": "x", "description": "", "enabled": true, "runOnce": false,
        "conditions": [{"name": "chat-opened-by-visitor", "value": null}],
        "actions": [{"name": "use-external-service", "params": {
            "sender": "queue", "serviceUrl": "https://svc.example/hook",
            "serviceTimeout": 2500, "serviceFallbackMessage": "sorry"}}],
    });
    let mut e = engine(&[t]);
    go(&mut e, Ev::Start(HOME), T0);
    let step = go(&mut e, Ev::ChatOpened, T0 + S);
    assert_eq!(
        step.actions,
        [LivechatAction::UseExternalService {
            trigger_id: "ext1".into(),
            sender: Some(triggerkit::formats::rocketchat::Sender::Queue),
            agent_name: None,
            service_url: Some("https://svc.example/hook".into()),
            service_timeout: Some(2500.0),
            service_fallback_message: Some("sorry".into()),
        }]
    );
    let json = serde_json::to_value(&step).expect("serializes");
    assert_eq!(json["actions"][0]["type"], "use-external-service");
    assert_eq!(json["actions"][0]["triggerId"], "ext1");
    assert_eq!(json["nextWakeAt"], Value::Null);
}

#[test]
fn invalid_triggers_are_reported_with_located_codes_and_never_fire() {
    let bad_pattern = trigger("lk", page_url("shop(?=x)"), &["no"]);
    let bad_time = trigger("tm", time_on_site(json!("soon")), &["no"]);
    let negative = trigger("ng", time_on_site(json!(-5)), &["no"]);
    let empty_pattern = trigger("ep", page_url(""), &["no"]);
    let null_pattern = trigger("np", json!([{"name": "page-url", "value": null}]), &["no"]);
    let no_conditions = trigger("nc", json!([]), &["no"]);
    let no_actions = trigger("na", page_url("shop"), &[]);
    let no_msg = json!({
        "_id": "nm", "name": "x", "description": "", "enabled": true, "runOnce": false,
        "conditions": [{"name": "page-url", "value": "shop"}],
        "actions": [{"name": "send-message", "params": {"sender": "queue"}}],
    });
    let external_without_id = json!({
        "name": "x", "description": "", "enabled": true, "runOnce": false,
        "conditions": [{"name": "page-url", "value": "shop"}],
        "actions": [{"name": "use-external-service", "params": {"serviceUrl": "https://s",
            "serviceTimeout": 1000, "serviceFallbackMessage": "f"}}],
    });
    let not_a_trigger = json!("hello");
    let good = trigger("ok", page_url("shop"), &["yes"]);
    let inputs = [
        bad_pattern,
        bad_time,
        negative,
        empty_pattern,
        null_pattern,
        no_conditions,
        no_actions,
        no_msg,
        external_without_id,
        not_a_trigger,
        good,
    ];
    let (mut e, report) = new_engine(&inputs, None);
    let found: Vec<(usize, &str, &str)> = report
        .invalid
        .iter()
        .map(|t| {
            (
                t.index,
                t.errors[0].code.as_str(),
                t.errors[0].path.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found[..9],
        [
            (0, "pattern_unsupported", "/conditions/0/value"),
            (1, "time_on_site_invalid", "/conditions/0/value"),
            (2, "time_on_site_invalid", "/conditions/0/value"),
            (3, "pattern_missing", "/conditions/0/value"),
            (4, "pattern_missing", "/conditions/0/value"),
            // The server's own verdicts, from the Rocket.Chat validator.
            (5, "min_items", "/conditions"),
            (6, "min_items", "/actions"),
            (7, "required", "/actions/0/params"),
            (8, "trigger_id_missing", "/actions/0/name"),
        ]
    );
    assert_eq!(found.len(), 10, "the string is reported too");
    assert_eq!(found[9].0, 9);
    assert!(report.invalid[0].errors[0].message.contains("lookahead"));
    assert_eq!(msgs(&go(&mut e, Ev::Start(HOME), T0)), ["yes"]);
}

#[test]
fn hostile_patterns_run_in_linear_time() {
    let hostile = [
        r"(a+)+$",
        r"(a|a)+$",
        r"(a|aa)+$",
        r"(.*a){12}$",
        r"^(a+)+b",
    ];
    let triggers: Vec<Value> = hostile
        .iter()
        .enumerate()
        .map(|(i, p)| trigger(&format!("h{i}"), page_url(p), &[p]))
        .collect();
    let url = "a".repeat(50_000);
    let started = Instant::now();
    let mut e = engine(&triggers);
    let step = go(&mut e, Ev::Start(&url), T0);
    assert_eq!(
        msgs(&step),
        hostile[..4],
        "all but ^(a+)+b match 50,000 a's"
    );
    let step = go(&mut e, Ev::Navigate(&format!("{url}!")), T0 + 1);
    assert!(
        step.actions.is_empty(),
        "a trailing ! defeats every pattern"
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "50,000 a's took {took:?}");

    // Linear: four times the input costs about four times as much (a
    // backtracking engine would not finish at all).
    let single = [trigger("h", page_url(r"(a+)+$"), &["m"])];
    let time_for = |n: usize| {
        let url = format!("{}!", "a".repeat(n));
        (0..2)
            .map(|_| {
                let mut e = engine(&single);
                let started = Instant::now();
                assert!(go(&mut e, Ev::Start(&url), T0).actions.is_empty());
                started.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let small = time_for(25_000);
    let large = time_for(100_000);
    assert!(
        large < small * 10,
        "not linear: 25k took {small:?}, 100k took {large:?}"
    );
}

#[test]
fn corrupt_or_unknown_state_is_discarded_with_a_warning() {
    let triggers = [with(
        trigger("once", page_url("shop"), &["m"]),
        "runOnce",
        json!(true),
    )];
    for bad in [
        json!("{not json"),
        json!({"version": 99, "visit": null, "firedRunOnce": ["once"]}),
        json!({"version": 1, "visit": "yesterday", "firedRunOnce": ["once"]}),
        json!([1, 2, 3]),
    ] {
        let (mut e, report) = new_engine(&triggers, Some(&bad));
        assert_eq!(report.warnings.len(), 1, "{bad}");
        assert_eq!(report.warnings[0].code, "state_discarded");
        assert_eq!(msgs(&go(&mut e, Ev::Start(HOME), T0)), ["m"], "{bad}");
    }
    // The JSON text of a good state is accepted as well as the object.
    let text = json!(r#"{"version":1,"visit":null,"firedRunOnce":["once"]}"#);
    let (mut e, report) = new_engine(&triggers, Some(&text));
    assert!(report.warnings.is_empty());
    assert!(go(&mut e, Ev::Start(HOME), T0).actions.is_empty());
}

#[test]
fn events_before_start_are_refused() {
    let mut e = engine(&[trigger("t", page_url("x"), &["m"])]);
    for event in [
        Ev::Navigate(HOME),
        Ev::Tick,
        Ev::ChatOpened,
        Ev::GuestRegistered,
        Ev::Visibility(false),
    ] {
        let err = e.handle(event, T0).expect_err("not started");
        assert_eq!(err, LivechatError::NotStarted);
        assert_eq!(err.code(), "not_started");
    }
}

#[test]
fn a_thousand_triggers_evaluate_quickly() {
    let triggers: Vec<Value> = (0..1000)
        .map(|i| match i % 4 {
            0 => trigger(&format!("t{i}"), page_url(&format!("/p{i}$")), &["p"]),
            1 => trigger(&format!("t{i}"), page_url(&format!(r"/c/\d+/p{i}")), &["c"]),
            2 => trigger(&format!("t{i}"), time_on_site(json!(i)), &["t"]),
            _ => trigger(
                &format!("t{i}"),
                json!([{"name": "chat-opened-by-visitor", "value": null},
                       {"name": "page-url", "value": format!("p{i}")}]),
                &["o"],
            ),
        })
        .collect();
    let mut e = engine(&triggers);
    go(&mut e, Ev::Start(HOME), T0);
    let started = Instant::now();
    for k in 0..200u64 {
        let url = format!("https://shop.example/c/{k}/p{}", k * 4);
        go(&mut e, Ev::Navigate(&url), T0 + k);
    }
    // Debug build on a shared machine: a loose bound that still catches a blow-up.
    assert!(started.elapsed() < Duration::from_secs(10));
}

// ---- explain ----

#[test]
fn explain_says_what_fired_what_waits_and_why() {
    use triggerkit::livechat::{LivechatExplanation as X, LivechatWaiting as W};
    let triggers = [
        trigger("t30", time_on_site(json!(30)), &["a"]),
        trigger("pricing", page_url("pricing"), &["b"]),
        trigger(
            "chat",
            json!([{"name": "chat-opened-by-visitor", "value": null},
                   {"name": "time-on-site", "value": "10"}]),
            &["c"],
        ),
        trigger(
            "reg",
            json!([{"name": "after-guest-registration", "value": null}]),
            &["d"],
        ),
        with(
            trigger("once", page_url("shop"), &["e"]),
            "runOnce",
            json!(true),
        ),
        with(
            trigger("off", page_url("shop"), &["f"]),
            "enabled",
            json!(false),
        ),
        trigger("bad", page_url("shop(?=x)"), &["g"]),
        json!("hello"),
    ];
    let (mut e, report) = new_engine(&triggers, None);
    assert_eq!(report.invalid.len(), 2);
    let id = |s: &str| Some(s.to_owned());
    let bad_code = report.invalid[0].errors[0].code.clone();
    assert_eq!(bad_code, "pattern_unsupported");
    let fixed = [
        X::Disabled {
            index: 5,
            id: id("off"),
        },
        X::Invalid {
            index: 6,
            id: id("bad"),
            code: bad_code.clone(),
        },
        X::Invalid {
            index: 7,
            id: None,
            code: "type".into(),
        },
    ];

    // Before start: everything waits for the page view.
    let before = e.explain(T0);
    assert_eq!(
        before[..5],
        [
            X::Pending {
                index: 0,
                id: id("t30"),
                waiting: vec![
                    W::Start,
                    W::TimeOnSite {
                        threshold_ms: 30 * S,
                        remaining_ms: 30 * S,
                        due_at: None
                    }
                ]
            },
            X::Pending {
                index: 1,
                id: id("pricing"),
                waiting: vec![
                    W::Start,
                    W::PageUrl {
                        pattern: "pricing".into(),
                        url: None
                    }
                ]
            },
            X::Pending {
                index: 2,
                id: id("chat"),
                waiting: vec![
                    W::Start,
                    W::TimeOnSite {
                        threshold_ms: 10 * S,
                        remaining_ms: 10 * S,
                        due_at: None
                    },
                    W::ChatOpenedByVisitor
                ]
            },
            X::Pending {
                index: 3,
                id: id("reg"),
                waiting: vec![W::Start, W::AfterGuestRegistration]
            },
            X::Pending {
                index: 4,
                id: id("once"),
                waiting: vec![
                    W::Start,
                    W::PageUrl {
                        pattern: "shop".into(),
                        url: None
                    }
                ]
            },
        ]
    );
    assert_eq!(before[5..], fixed);

    // At HOME, 4 s in: the run-once trigger fired at start.
    assert_eq!(msgs(&go(&mut e, Ev::Start(HOME), T0)), ["e"]);
    let now = T0 + 4 * S;
    let at_home = e.explain(now);
    assert_eq!(
        at_home[..5],
        [
            X::Pending {
                index: 0,
                id: id("t30"),
                waiting: vec![W::TimeOnSite {
                    threshold_ms: 30 * S,
                    remaining_ms: 26 * S,
                    due_at: Some(T0 + 30 * S)
                }]
            },
            X::Pending {
                index: 1,
                id: id("pricing"),
                waiting: vec![W::PageUrl {
                    pattern: "pricing".into(),
                    url: Some(HOME.into())
                }]
            },
            X::Pending {
                index: 2,
                id: id("chat"),
                waiting: vec![
                    W::TimeOnSite {
                        threshold_ms: 10 * S,
                        remaining_ms: 6 * S,
                        due_at: Some(T0 + 10 * S)
                    },
                    W::ChatOpenedByVisitor
                ]
            },
            X::Pending {
                index: 3,
                id: id("reg"),
                waiting: vec![W::AfterGuestRegistration]
            },
            X::Fired {
                index: 4,
                id: id("once"),
                fired_at: T0,
                run_once: true
            },
        ]
    );
    assert_eq!(at_home[5..], fixed);

    // The chat opens at 5 s; at 12 s, before any tick, every condition of
    // "chat" holds: pending with nothing left to wait for.
    assert!(go(&mut e, Ev::ChatOpened, T0 + 5 * S).actions.is_empty());
    assert_eq!(
        e.explain(T0 + 12 * S)[2],
        X::Pending {
            index: 2,
            id: id("chat"),
            waiting: vec![]
        }
    );
    assert_eq!(msgs(&go(&mut e, Ev::Tick, T0 + 12 * S)), ["c"]);
    assert_eq!(
        e.explain(T0 + 13 * S)[2],
        X::Fired {
            index: 2,
            id: id("chat"),
            fired_at: T0 + 12 * S,
            run_once: false
        }
    );

    // A new page view: "chat" waits again, the run-once trigger is spent.
    assert_eq!(msgs(&go(&mut e, Ev::Navigate(PRICING), T0 + 14 * S)), ["b"]);
    let later = e.explain(T0 + 14 * S);
    assert_eq!(
        later[2],
        X::Pending {
            index: 2,
            id: id("chat"),
            waiting: vec![W::ChatOpenedByVisitor]
        }
    );
    assert_eq!(
        later[4],
        X::Spent {
            index: 4,
            id: id("once")
        }
    );
    // The visit ended (31 minutes idle): time-on-site waits for a new one.
    assert_eq!(
        e.explain(T0 + 14 * S + VISIT_TIMEOUT_MS + 1)[0],
        X::Pending {
            index: 0,
            id: id("t30"),
            waiting: vec![W::TimeOnSite {
                threshold_ms: 30 * S,
                remaining_ms: 30 * S,
                due_at: None
            }]
        }
    );

    // The JSON shape the JS API returns.
    assert_eq!(
        serde_json::to_value(&at_home[..3]).expect("serializes"),
        json!([
            json!({"status": "pending", "index": 0, "id": "t30", "waiting": [
                {"condition": "time-on-site", "thresholdMs": 30000, "remainingMs": 26000, "dueAt": T0 + 30 * S}]}),
            json!({"status": "pending", "index": 1, "id": "pricing", "waiting": [
                {"condition": "page-url", "pattern": "pricing", "url": HOME}]}),
            json!({"status": "pending", "index": 2, "id": "chat", "waiting": [
                {"condition": "time-on-site", "thresholdMs": 10000, "remainingMs": 6000, "dueAt": T0 + 10 * S},
                {"condition": "chat-opened-by-visitor"}]}),
        ])
    );
    assert_eq!(
        serde_json::to_value(&fixed).expect("serializes"),
        json!([
            {"status": "disabled", "index": 5, "id": "off"},
            {"status": "invalid", "index": 6, "id": "bad", "code": "pattern_unsupported"},
            {"status": "invalid", "index": 7, "id": null, "code": "type"},
        ])
    );
    assert_eq!(
        serde_json::to_value(&at_home[4]).expect("serializes"),
        json!({"status": "fired", "index": 4, "id": "once", "firedAt": T0, "runOnce": true})
    );
}

#[test]
fn explain_never_changes_what_the_engine_does() {
    let triggers = [
        trigger("t", time_on_site(json!(20)), &["t"]),
        with(
            trigger("once", page_url("pricing"), &["o"]),
            "runOnce",
            json!(true),
        ),
        trigger(
            "both",
            json!([{"name": "chat-opened-by-visitor", "value": null},
                   {"name": "after-guest-registration", "value": null}]),
            &["b"],
        ),
    ];
    let events = [
        (Ev::Start(HOME), 0),
        (Ev::Tick, 5 * S),
        (Ev::Visibility(false), 6 * S),
        (Ev::Tick, 25 * S),
        (Ev::Visibility(true), 26 * S),
        (Ev::Navigate(PRICING), 27 * S),
        (Ev::ChatOpened, 28 * S),
        (Ev::GuestRegistered, 29 * S),
        (Ev::Navigate(HOME), 40 * MIN),
        (Ev::Start(PRICING), 41 * MIN),
        (Ev::Tick, 42 * MIN),
    ];
    let mut asked = engine(&triggers);
    let mut alone = engine(&triggers);
    for (i, &(event, at)) in events.iter().enumerate() {
        // Asked at the event's time, before and after it, and at odd times.
        for probe in [T0 + at, T0 + at + 1, T0 + (i as u64) * 7 * MIN] {
            let first = asked.explain(probe);
            assert_eq!(asked.explain(probe), first, "the same answer twice");
        }
        let a = go(&mut asked, event, T0 + at);
        let b = go(&mut alone, event, T0 + at);
        assert_eq!(a, b, "event {i}");
        assert_eq!(asked.state(), alone.state(), "event {i}");
        asked.explain(T0 + at);
        assert_eq!(asked.explain(T0 + at), alone.explain(T0 + at));
    }
}

#[test]
fn explain_lists_each_pattern_that_does_not_match_once() {
    use triggerkit::livechat::{LivechatExplanation as X, LivechatWaiting as W};
    let conditions = json!([
        {"name": "page-url", "value": "pricing"},
        {"name": "page-url", "value": "shop"},
        {"name": "page-url", "value": "pricing"},
        {"name": "page-url", "value": "^https"}
    ]);
    let mut e = engine(&[trigger("p", conditions, &["m"])]);
    go(&mut e, Ev::Start(HOME), T0);
    assert_eq!(
        e.explain(T0),
        [X::Pending {
            index: 0,
            id: Some("p".into()),
            waiting: vec![W::PageUrl {
                pattern: "pricing".into(),
                url: Some(HOME.into())
            }]
        }]
    );
    assert_eq!(msgs(&go(&mut e, Ev::Navigate(PRICING), T0 + S)), ["m"]);
}

#[test]
fn explain_reports_a_trigger_fired_at_time_zero() {
    use triggerkit::livechat::LivechatExplanation as X;
    let mut e = engine(&[trigger("z", page_url("shop"), &["m"])]);
    assert_eq!(msgs(&go(&mut e, Ev::Start(HOME), 0)), ["m"]);
    assert_eq!(
        e.explain(5),
        [X::Fired {
            index: 0,
            id: Some("z".into()),
            fired_at: 0,
            run_once: false
        }]
    );
    assert!(go(&mut e, Ev::Tick, 6).actions.is_empty());
}

/// A trigger without `_id` (escapes, a non-ASCII name, a fractional
/// number), whose run-once record is keyed by a hash of its JSON text; the
/// wasm test `run_once_key_of_a_trigger_without_id` pins the same key.
const NO_ID_TRIGGER: &str = r#"{"name":"Tab\t\"q\" é\u0001 /x","description":"line\nbreak","enabled":true,"runOnce":true,"conditions":[{"name":"time-on-site","value":1.5},{"name":"page-url","value":"shop"}],"actions":[{"name":"send-message","params":{"sender":"queue","msg":"hi"}}]}"#;

#[test]
fn run_once_key_of_a_trigger_without_id_is_stable() {
    let trigger: Value = serde_json::from_str(NO_ID_TRIGGER).expect("JSON");
    let mut e = engine(&[trigger]);
    assert!(go(&mut e, Ev::Start(HOME), T0).actions.is_empty());
    assert_eq!(msgs(&go(&mut e, Ev::Tick, T0 + 2 * S)), ["hi"]);
    // Stored keys must not change between versions (nor between builds).
    assert_eq!(e.state().fired_run_once, ["#56bf66ab3b9e9eb3"]);
}
