//! wasm-bindgen tests of `lintZendeskTriggers`, run in Node and in Chrome:
//! findings as plain JS data, definitions, and the errors it throws.
#![cfg(all(target_arch = "wasm32", feature = "zendesk"))]

use js_sys::{Reflect, JSON};
use serde_json::json;
use triggerkit::wasm::lint::lint_zendesk_triggers_js;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

/// Lints JSON text (and optional definitions JSON text); findings as JSON data.
fn lint(triggers: &str, definitions: Option<&str>) -> Result<serde_json::Value, JsValue> {
    let parse = |text: &str| JSON::parse(text).expect("test JSON parses");
    let findings = lint_zendesk_triggers_js(parse(triggers), definitions.map(parse))?;
    let text: String = JSON::stringify(&findings).expect("plain data").into();
    Ok(serde_json::from_str(&text).expect("JSON"))
}

const TRIGGERS: &str = r#"[
  {"id": 11, "title": "Escalate", "position": 1,
   "conditions": {"all": [{"field": "status", "operator": "is", "value": "open"},
                          {"field": "status", "operator": "is", "value": "solved"}]},
   "actions": [{"field": "priority", "value": "urgent"}]},
  {"id": 12, "title": "Hook", "position": 2,
   "conditions": {"all": [{"field": "group_id", "operator": "is", "value": "7"}]},
   "actions": [{"field": "notification_webhook", "value": ["42", "{}"]}]},
  {"id": 13, "title": "escalate ", "position": 3,
   "conditions": {"all": [{"field": "status", "operator": "near", "value": "open"}]},
   "actions": []}
]"#;

#[wasm_bindgen_test]
fn findings_are_plain_data() {
    let findings = lint(TRIGGERS, None).expect("lints");
    assert_eq!(
        findings,
        json!([
            {"code": "never_fires", "severity": "error", "path": "/0/conditions/all/1",
             "message": "`status is \"solved\"` and `status is \"open\"` (/0/conditions/all/0) cannot both hold, so the trigger never fires",
             "related": []},
            {"code": "missing_loop_guard", "severity": "warning", "path": "/1/actions/0",
             "message": findings[1]["message"], "related": []},
            {"code": "invalid_operator", "severity": "error", "path": "/2/conditions/all/0/operator",
             "message": findings[2]["message"], "related": []},
            {"code": "duplicate_title", "severity": "warning", "path": "/2/title",
             "message": "trigger 11 already has the title \"escalate \"", "related": [11]}
        ])
    );
}

#[wasm_bindgen_test]
fn definitions_reveal_unknown_references() {
    let definitions = r#"{"definitions": {
      "conditions_all": [{"subject": "status", "type": "list", "operators": [{"value": "is"}],
                          "values": [{"value": "open"}, {"value": "solved"}]},
                         {"subject": "group_id", "type": "list", "operators": [{"value": "is"}],
                          "values": [{"value": "8", "title": "Support"}]}],
      "conditions_any": [],
      "actions": [{"subject": "notification_webhook", "type": "list"}]}}"#;
    let findings = lint(TRIGGERS, Some(definitions)).expect("lints");
    let refs: Vec<&str> = findings
        .as_array()
        .expect("array")
        .iter()
        .filter(|f| f["code"] == "unknown_reference")
        .filter_map(|f| f["path"].as_str())
        .collect();
    // Trigger 1 sets priority, which these definitions do not list.
    assert_eq!(refs, ["/0/actions/0/field", "/1/conditions/all/0/value"]);
}

#[wasm_bindgen_test]
fn bad_arguments_throw_errors_with_codes() {
    let code = |e: JsValue| {
        Reflect::get(&e, &"code".into())
            .ok()
            .and_then(|c| c.as_string())
    };
    let err = lint(r#"{"nope": []}"#, None).expect_err("not a list");
    assert_eq!(code(err).as_deref(), Some("invalid_triggers"));
    let err = lint("[]", Some("[1]")).expect_err("not definitions");
    assert_eq!(code(err).as_deref(), Some("invalid_argument"));
    let err = lint_zendesk_triggers_js(JsValue::from(js_sys::Symbol::for_("x")), None)
        .expect_err("not data");
    assert_eq!(code(err).as_deref(), Some("invalid_triggers"));
    assert_eq!(lint("[]", None).expect("empty"), json!([]));
}
