//! wasm-bindgen tests of the rule-engine exports, run in Node and in Chrome.
#![cfg(all(target_arch = "wasm32", feature = "zendesk"))]

use js_sys::{Array, Function, Object, Reflect, JSON};
use triggerkit::wasm::rules::{
    compile_zendesk_triggers, diff_zendesk_trigger_sets, ZendeskRuleSet,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON parses")
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).expect("object")
}

fn stringify(v: &JsValue) -> String {
    JSON::stringify(v).expect("stringifies").into()
}

/// The JSON data of a JS value, key order aside.
fn value(v: &JsValue) -> serde_json::Value {
    serde_json::from_str(&stringify(v)).expect("JSON")
}

fn code(error: &JsValue) -> String {
    get(error, "code").as_string().unwrap_or_default()
}

const TRIGGERS: &str = r#"[
  {"id": 11, "title": "vip", "position": 1,
   "conditions": {"all": [{"field": "status", "operator": "less_than", "value": "solved"}],
                  "any": [{"field": "current_tags", "operator": "includes", "value": "vip gold"}]},
   "actions": [{"field": "priority", "value": "urgent"},
               {"field": "notification_webhook", "value": ["42", "{}"]}]},
  {"id": 12, "title": "urgent", "position": 2,
   "conditions": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}]},
   "actions": [{"field": "current_tags", "value": "escalated"}]},
  {"id": 13, "title": "broken", "position": 3,
   "conditions": {"all": [{"field": "status", "operator": "near", "value": "open"}]},
   "actions": []}
]"#;

const UPDATES: &str = r#"[
  {"ticket": {"status": "open", "priority": "low", "tags": ["vip"]}},
  {"ticket": {"status": "solved", "tags": ["vip"]}},
  {"ticket": {"status": "new", "priority": "urgent", "tags": []}}
]"#;

fn rule_set() -> ZendeskRuleSet {
    compile_zendesk_triggers(json(TRIGGERS)).expect("compiles")
}

#[wasm_bindgen_test]
fn compiles_with_located_problems() {
    let rules = rule_set();
    let problems = rules.problems().expect("problems");
    let first = Array::from(&problems).get(0);
    assert_eq!(
        get(&first, "path").as_string().as_deref(),
        Some("/triggers/2/conditions/all/0/operator")
    );
    assert_eq!(code(&first), "invalid_operator");
    assert_eq!(stringify(&rules.trigger_ids()), "[11,12]");
}

#[wasm_bindgen_test]
fn evaluates_one_and_many() {
    let rules = rule_set();
    let one = rules
        .evaluate(Array::from(&json(UPDATES)).get(0))
        .expect("evaluates");
    assert_eq!(stringify(&get(&one, "fired")), "[11,12]");
    assert_eq!(
        stringify(&get(&one, "ticket")),
        r#"{"status":"open","priority":"urgent","tags":["vip","escalated"]}"#,
        "from an object: the input's key order"
    );
    assert_eq!(
        stringify(&get(&one, "effects")),
        r#"[{"trigger_id":11,"field":"notification_webhook","value":["42","{}"]}]"#
    );
    let from_array = rules.evaluate_many(json(UPDATES)).expect("array batch");
    let from_text = rules.evaluate_many(UPDATES.into()).expect("text batch");
    // The same data; key order aside (an object input keeps its own).
    assert_eq!(value(&from_array), value(&from_text));
    let fired: Vec<String> = Array::from(&from_text)
        .iter()
        .map(|r| stringify(&get(&r, "fired")))
        .collect();
    assert_eq!(fired, ["[11,12]", "[]", "[12]"]);
}

#[wasm_bindgen_test]
fn matches_one_and_many() {
    let rules = rule_set();
    let flat = rules.match_many(UPDATES.into()).expect("matches");
    assert_eq!(flat.to_vec(), vec![1.0, 11.0, 0.0, 1.0, 12.0]);
    let same = rules.match_many(json(UPDATES)).expect("matches an array");
    assert_eq!(same.to_vec(), flat.to_vec());
    let one = rules
        .match_one(json(
            r#"{"ticket": {"status": "open", "priority": "urgent", "tags": ["gold"]}}"#,
        ))
        .expect("matches one");
    assert_eq!(stringify(&one), "[11,12]");
}

#[wasm_bindgen_test]
fn bad_arguments_throw_errors_with_codes() {
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    for bad in [JsValue::from(3), JsValue::NULL, cyclic.clone().into()] {
        let e = compile_zendesk_triggers(bad).err().expect("throws");
        assert_eq!(code(&e), "invalid_triggers");
        assert_eq!(get(&e, "name").as_string().as_deref(), Some("RulesError"));
    }
    let rules = rule_set();
    let function = Function::new_no_args("return 1");
    let big = js_sys::BigInt::from(5u32);
    for bad in [
        cyclic.into(),
        function.into(),
        big.into(),
        JsValue::UNDEFINED,
    ] {
        assert_eq!(
            code(&rules.evaluate(bad).expect_err("throws")),
            "invalid_update"
        );
    }
    let e = rules
        .match_many("[{\"ticket\": {}}, {}]".into())
        .expect_err("throws");
    assert_eq!(code(&e), "invalid_update");
    assert_eq!(get(&e, "index").as_f64(), Some(1.0));
    let e = rules
        .evaluate_many("[{\"ticket\":\n {]".into())
        .expect_err("throws");
    assert_eq!(code(&e), "invalid_json");
    assert_eq!(get(&e, "line").as_f64(), Some(2.0));
    assert!(get(&e, "column").as_f64().is_some());
}

/// Updates with non-ASCII, astral and escaped text in read and unread
/// members, half of them changed by the actions of `TRIGGERS`.
fn unicode_updates() -> String {
    const TEXT: &[&str] = &[
        "ärger",
        "日本語",
        "🎉🎉",
        "plain",
        "\\ud83c cut",
        "a\\\"b",
        "𐍈 x",
    ];
    const STATUS: &[&str] = &["open", "solved", "new", "pending"];
    let updates: Vec<String> = (0..60usize)
        .map(|i| {
            let text = |k: usize| TEXT[(i * 7 + k * 3) % TEXT.len()];
            let tags = if i % 3 == 0 { r#"["vip"]"# } else { r#"["größe", "🎉"]"# };
            format!(
                r#"{{"note": "{}", "ticket": {{"description": "{}", "status": "{}", "priority": "{}", "tags": {tags}, "ключ": "{}"}}, "comment": {{"body": "{}"}}}}"#,
                text(0),
                text(1),
                STATUS[i % STATUS.len()],
                if i % 4 == 0 { "urgent" } else { "low" },
                text(2),
                text(3)
            )
        })
        .collect();
    format!("[{}]", updates.join(",\n"))
}

#[wasm_bindgen_test]
fn lazy_results_serialize_as_the_eager_json() {
    let rules = rule_set();
    let core = triggerkit::rules::RuleSet::compile_json(
        &serde_json::from_str(TRIGGERS).expect("triggers are JSON"),
    )
    .expect("compiles");
    let text = unicode_updates();
    let eager = core.evaluate_many_json(&text).expect("evaluates");
    let lazy = rules
        .evaluate_many(text.as_str().into())
        .expect("evaluates");
    assert_eq!(stringify(&lazy), stringify(&json(&eager)));
    let changed = Array::from(&lazy)
        .iter()
        .filter(|r| stringify(&get(r, "fired")).contains("11"))
        .count();
    assert!(changed > 10 && changed < 50, "{changed} changed");
    // From objects: the same data (key order aside, as documented).
    let objects = rules.evaluate_many(json(&text)).expect("evaluates");
    assert_eq!(value(&objects), value(&json(&eager)));
    // One update per call, from text and from an object.
    for (i, update) in Array::from(&json(&text)).iter().enumerate() {
        let want = stringify(&Array::from(&lazy).get(i as u32));
        let one_text = rules
            .evaluate(JSON::stringify(&update).unwrap().into())
            .unwrap();
        assert_eq!(stringify(&one_text), want, "update {i}");
        assert_eq!(value(&rules.evaluate(update).unwrap()), value(&json(&want)));
    }
}

#[wasm_bindgen_test]
fn unread_parts_are_not_checked_and_read_parts_are() {
    let rules = rule_set();
    let update = json(r#"{"ticket": {"status": "open", "tags": ["vip"]}}"#);
    let ticket = get(&update, "ticket");
    Reflect::set(
        &ticket,
        &"helper".into(),
        &Function::new_no_args("return 1"),
    )
    .unwrap();
    let result = rules
        .evaluate(update.clone())
        .expect("unread functions are ignored");
    assert_eq!(stringify(&get(&result, "fired")), "[11,12]");
    let tags: Array = get(&ticket, "tags").unchecked_into();
    tags.push(&js_sys::BigInt::from(1u32).into());
    let e = rules
        .evaluate_many(Array::of1(&update).into())
        .expect_err("a BigInt tag");
    assert_eq!(code(&e), "invalid_update");
    assert_eq!(get(&e, "index").as_f64(), Some(0.0));
    assert_eq!(
        get(&e, "path").as_string().as_deref(),
        Some("/ticket/tags/1")
    );
}

#[wasm_bindgen_test]
fn explain_traces_the_cycle_and_agrees_with_evaluate() {
    let rules = rule_set();
    let updates = Array::from(&json(UPDATES));
    for i in 0..updates.length() {
        let update = updates.get(i);
        let plain = value(&rules.evaluate(update.clone()).expect("evaluates"));
        for input in [update.clone(), JSON::stringify(&update).unwrap().into()] {
            let x = value(&rules.explain(input).expect("explains"));
            for key in ["fired", "ticket", "effects"] {
                assert_eq!(x[key], plain[key], "update {i}: {key}");
            }
        }
    }
    let x = value(&rules.explain(updates.get(0)).unwrap());
    let passes = x["passes"].as_array().unwrap();
    assert_eq!(
        passes.len(),
        3,
        "11 fires, restart; 12 fires, restart; quiet pass"
    );
    assert_eq!(passes[1]["triggers"][0]["outcome"], "skipped");
    assert_eq!(passes[1]["triggers"][1]["outcome"], "fired");
    let first = &passes[0]["triggers"][0];
    assert_eq!(first["id"], 11);
    assert_eq!(first["title"], "vip");
    assert_eq!(
        first["conditions"]["any"][0],
        serde_json::json!({"field": "current_tags", "operator": "includes",
                           "value": "vip gold", "actual": ["vip"], "held": true})
    );
    assert_eq!(
        first["actions"],
        serde_json::json!([
            {"field": "priority", "value": "urgent", "before": "low", "after": "urgent"},
            {"field": "notification_webhook", "value": ["42", "{}"]}
        ])
    );
    let not = value(&rules.explain(updates.get(1)).unwrap());
    assert_eq!(not["passes"][0]["triggers"][0]["outcome"], "not_matched");
    assert!(not["passes"][0]["triggers"][0].get("actions").is_none());
}

#[wasm_bindgen_test]
fn explain_errors_have_codes() {
    let rules = rule_set();
    let e = rules.explain(json(r#"{"ticket": 3}"#)).unwrap_err();
    assert_eq!(code(&e), "invalid_update");
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("RulesError"));
    let e = rules.explain("{\"ticket\": {".into()).unwrap_err();
    assert_eq!(code(&e), "invalid_json");
    let bad = json(r#"{"ticket": {"status": "open"}}"#);
    let f = Function::new_no_args("return 1");
    Reflect::set(&get(&bad, "ticket"), &"hook".into(), &f).unwrap();
    let e = rules.explain(bad).unwrap_err();
    assert_eq!(code(&e), "invalid_update");
    assert_eq!(get(&e, "path").as_string().as_deref(), Some("/ticket/hook"));
}

const AFTER: &str = r#"[
  {"id": 11, "title": "vip", "position": 1,
   "conditions": {"all": [{"field": "status", "operator": "less_than", "value": "closed"}],
                  "any": [{"field": "current_tags", "operator": "includes", "value": "vip gold"}]},
   "actions": [{"field": "priority", "value": "urgent"},
               {"field": "notification_webhook", "value": ["42", "{}"]}]},
  {"id": 12, "title": "urgent", "position": 2,
   "conditions": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}]},
   "actions": [{"field": "current_tags", "value": "escalated"}]}
]"#;

#[wasm_bindgen_test]
fn diff_reports_changed_updates_from_every_input_form() {
    let text = UPDATES.to_owned();
    let bytes = js_sys::Uint8Array::from(text.as_bytes());
    let want = serde_json::json!({
        "changes": [{
            "index": 1, "firedBefore": [], "firedAfter": [11, 12],
            "ticket": [{"field": "tags", "before": ["vip"], "after": ["vip", "escalated"]},
                       {"field": "priority", "before": null, "after": "urgent"}],
            "effects": {"before": [], "after": [
                {"trigger_id": 11, "field": "notification_webhook", "value": ["42", "{}"]}]}
        }],
        "summary": {"updates": 3, "changed": 1,
                    "triggers": {"11": {"newlyFired": 1, "noLongerFired": 0},
                                 "12": {"newlyFired": 1, "noLongerFired": 0}}}
    });
    for updates in [json(UPDATES), text.clone().into(), bytes.into()] {
        let diff = diff_zendesk_trigger_sets(json(TRIGGERS), json(AFTER), updates).expect("diffs");
        assert_eq!(value(&diff), want);
    }
    let listed = json(&format!(r#"{{"triggers": {AFTER}}}"#));
    let same = diff_zendesk_trigger_sets(json(AFTER), listed, json(UPDATES)).unwrap();
    assert_eq!(value(&get(&same, "changes")), serde_json::json!([]));
}

#[wasm_bindgen_test]
fn diff_errors_have_codes() {
    let ok = || json(TRIGGERS);
    let e = diff_zendesk_trigger_sets(json("5"), ok(), json("[]")).unwrap_err();
    assert_eq!(code(&e), "invalid_triggers");
    assert!(get(&e, "message").as_string().unwrap().contains("before: "));
    let e = diff_zendesk_trigger_sets(ok(), json("{}"), json("[]")).unwrap_err();
    assert_eq!(code(&e), "invalid_triggers");
    assert!(get(&e, "message").as_string().unwrap().contains("after: "));
    let e = diff_zendesk_trigger_sets(ok(), ok(), "[{".into()).unwrap_err();
    assert_eq!(code(&e), "invalid_json");
    let e = diff_zendesk_trigger_sets(ok(), ok(), json(r#"[{"ticket": {}}, 7]"#)).unwrap_err();
    assert_eq!(code(&e), "invalid_update");
    assert_eq!(get(&e, "index").as_f64(), Some(1.0));
    let e = diff_zendesk_trigger_sets(
        ok(),
        ok(),
        js_sys::Uint8Array::from(&[0xff, 0x5b][..]).into(),
    )
    .unwrap_err();
    assert_eq!(code(&e), "invalid_json");
    let e = diff_zendesk_trigger_sets(ok(), ok(), JsValue::from(5)).unwrap_err();
    assert_eq!(code(&e), "invalid_update");
}
