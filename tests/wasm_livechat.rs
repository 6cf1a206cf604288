//! wasm-bindgen tests of the livechat exports. In headless Chrome they use
//! the real History API, real timers and localStorage; in Node the tests
//! that need a browser window say so and return, and the rest run in both.
#![cfg(all(target_arch = "wasm32", feature = "livechat"))]

use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use triggerkit::wasm::livechat::{JsLivechatEngine, LivechatTriggers};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON parses")
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).expect("readable")
}

fn set(obj: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(obj, &key.into(), value).expect("writable");
}

fn global(name: &str) -> JsValue {
    get(&js_sys::global(), name)
}

/// True in a browser page; the Node run skips (and says so) what needs one.
fn browser(test: &str) -> bool {
    let here = !global("window").is_undefined();
    if !here {
        console_log!("{test}: skipped in Node (needs window, history and localStorage)");
    }
    here
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

fn error_code(result: Result<impl Sized, JsValue>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(e) => get(&e, "code").as_string().unwrap_or_default(),
    }
}

/// A trigger with one send-message action.
fn trigger(id: &str, conditions: &str, msg: &str, run_once: bool) -> String {
    format!(
        r#"{{"_id":"{id}","name":"{id}","description":"","enabled":true,"runOnce":{run_once},
        "conditions":{conditions},
        "actions":[{{"name":"send-message","params":{{"sender":"custom","name":"Ana","msg":"{msg}"}}}}]}}"#
    )
}

fn page_url(pattern: &str) -> String {
    format!(r#"[{{"name":"page-url","value":"{pattern}"}}]"#)
}

fn time_on_site(seconds: f64) -> String {
    format!(r#"[{{"name":"time-on-site","value":{seconds}}}]"#)
}

fn list(triggers: &[String]) -> JsValue {
    json(&format!("[{}]", triggers.join(",")))
}

/// Collects the messages handed to onAction.
struct Recorder {
    messages: Rc<RefCell<Vec<String>>>,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl Recorder {
    fn new() -> Recorder {
        let messages = Rc::new(RefCell::new(Vec::new()));
        let sink = messages.clone();
        let callback = Closure::new(move |action: JsValue| {
            assert_eq!(get(&action, "type"), "send-message");
            assert_eq!(get(&action, "agentName"), "Ana");
            sink.borrow_mut()
                .push(get(&action, "msg").as_string().unwrap_or_default());
        });
        Recorder { messages, callback }
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.messages.borrow_mut())
    }
}

/// An in-memory storage object with getItem/setItem, as a page could pass.
struct MemoryStorage {
    object: JsValue,
    items: Rc<RefCell<HashMap<String, String>>>,
    _get: Closure<dyn FnMut(String) -> JsValue>,
    _set: Closure<dyn FnMut(String, String)>,
}

impl MemoryStorage {
    fn new() -> MemoryStorage {
        let items = Rc::new(RefCell::new(HashMap::new()));
        let (a, b) = (items.clone(), items.clone());
        let get_item = Closure::new(move |key: String| {
            a.borrow()
                .get(&key)
                .map(|v: &String| JsValue::from(v.as_str()))
                .unwrap_or(JsValue::NULL)
        });
        let set_item = Closure::new(move |key: String, value: String| {
            b.borrow_mut().insert(key, value);
        });
        let object: JsValue = Object::new().into();
        set(&object, "getItem", get_item.as_ref());
        set(&object, "setItem", set_item.as_ref());
        MemoryStorage {
            object,
            items,
            _get: get_item,
            _set: set_item,
        }
    }
}

fn options(recorder: &Recorder, extra: &[(&str, JsValue)]) -> JsValue {
    let object: JsValue = Object::new().into();
    set(&object, "onAction", recorder.callback.as_ref());
    for (key, value) in extra {
        set(&object, key, value);
    }
    object
}

/// A runtime as a widget in an iframe would run it: the parent page's URL
/// and an in-memory storage, so it needs no window (runs in Node too).
fn in_iframe(
    triggers: JsValue,
    on_action: &JsValue,
    storage: &MemoryStorage,
    parent_url: &str,
    extra: &[(&str, JsValue)],
) -> LivechatTriggers {
    let object: JsValue = Object::new().into();
    set(&object, "onAction", on_action);
    set(&object, "storage", &storage.object);
    set(&object, "parentUrl", &parent_url.into());
    for (key, value) in extra {
        set(&object, key, value);
    }
    LivechatTriggers::new(triggers, object).expect("runtime")
}

fn history_call(method: &str, url: &str) {
    let history = global("history");
    let f: Function = get(&history, method).unchecked_into();
    f.call3(&history, &JsValue::NULL, &"".into(), &url.into())
        .expect("history call");
}

fn clear_local_storage() {
    let storage = global("localStorage");
    let remove: Function = get(&storage, "removeItem").unchecked_into();
    remove
        .call1(&storage, &"triggerkit.livechat".into())
        .expect("removeItem");
}

// ---- LivechatEngine (Node and Chrome) ----

#[wasm_bindgen_test]
fn engine_export_runs_the_state_machine() {
    let triggers = list(&[
        trigger("t", &time_on_site(30.0), "thirty", false),
        trigger("p", &page_url("/pricing"), "plans", true),
    ]);
    let mut engine = JsLivechatEngine::new(triggers.clone(), None).expect("engine");
    let t0 = 1_700_000_000_000.0;
    let step = engine.start("https://a.example/", t0).expect("start");
    assert_eq!(Array::from(&get(&step, "actions")).length(), 0);
    assert_eq!(get(&step, "nextWakeAt").as_f64(), Some(t0 + 30_000.0));
    let step = engine.tick(t0 + 30_000.0).expect("tick");
    let actions = Array::from(&get(&step, "actions"));
    assert_eq!(get(&actions.get(0), "msg"), "thirty");
    assert_eq!(get(&actions.get(0), "type"), "send-message");
    assert_eq!(get(&actions.get(0), "sender"), "custom");
    assert_eq!(get(&actions.get(0), "triggerId"), "t");
    let step = engine
        .navigate("https://a.example/pricing", t0 + 31_000.0)
        .expect("navigate");
    let msgs: Vec<JsValue> = Array::from(&get(&step, "actions"))
        .iter()
        .map(|a| get(&a, "msg"))
        .collect();
    assert_eq!(msgs, [JsValue::from("thirty"), JsValue::from("plans")]);
    // The saved state carries the run-once record into the next engine.
    let state = engine.state().expect("state");
    assert_eq!(get(&state, "version"), 1);
    assert_eq!(
        Array::from(&get(&state, "firedRunOnce")).get(0),
        JsValue::from("p")
    );
    let mut reloaded = JsLivechatEngine::new(triggers, Some(state)).expect("engine");
    let step = reloaded
        .start("https://a.example/pricing", t0 + 40_000.0)
        .expect("start");
    let msgs: Vec<JsValue> = Array::from(&get(&step, "actions"))
        .iter()
        .map(|a| get(&a, "msg"))
        .collect();
    assert_eq!(msgs, [JsValue::from("thirty")], "run-once stays fired");
    assert_eq!(
        Array::from(&reloaded.warnings().expect("warnings")).length(),
        0
    );
}

/// The trigger of the native test `run_once_key_of_a_trigger_without_id_is_stable`.
const NO_ID_TRIGGER: &str = r#"{"name":"Tab\t\"q\" é\u0001 /x","description":"line\nbreak","enabled":true,"runOnce":true,"conditions":[{"name":"time-on-site","value":1.5},{"name":"page-url","value":"shop"}],"actions":[{"name":"send-message","params":{"sender":"queue","msg":"hi"}}]}"#;

#[wasm_bindgen_test]
fn run_once_key_of_a_trigger_without_id() {
    let triggers = list(&[NO_ID_TRIGGER.to_owned()]);
    let mut engine = JsLivechatEngine::new(triggers.clone(), None).expect("engine");
    let t0 = 1_700_000_000_000.0;
    engine.start("https://shop.example/", t0).expect("start");
    let step = engine.tick(t0 + 2_000.0).expect("tick");
    assert_eq!(
        get(&Array::from(&get(&step, "actions")).get(0), "msg"),
        "hi"
    );
    // The same key as natively: stored records keep matching.
    let state = engine.state().expect("state");
    let fired = Array::from(&get(&state, "firedRunOnce"));
    assert_eq!(fired.get(0), "#56bf66ab3b9e9eb3");
    // Stored as JSON text, the record is read back: the trigger is spent.
    let text = JSON::stringify(&state).expect("stringify");
    let mut reloaded = JsLivechatEngine::new(triggers, Some(text.into())).expect("engine");
    assert_eq!(
        Array::from(&reloaded.warnings().expect("warnings")).length(),
        0
    );
    reloaded
        .start("https://shop.example/", t0 + 5_000.0)
        .expect("start");
    let step = reloaded.tick(t0 + 9_000.0).expect("tick");
    assert_eq!(Array::from(&get(&step, "actions")).length(), 0);
}

#[wasm_bindgen_test]
fn engine_export_reports_invalid_triggers_and_refuses_bad_arguments() {
    let hostile = Object::new();
    set(&hostile, "name", &Function::new_no_args("return 1").into());
    let triggers = Array::new();
    triggers.push(&json(&trigger("bad", &page_url("a(?<=b)"), "x", false)));
    triggers.push(&hostile);
    triggers.push(&json(&trigger("ok", &page_url("."), "x", false)));
    let engine = JsLivechatEngine::new(triggers.into(), Some("{corrupt".into())).expect("engine");
    let invalid = Array::from(&engine.invalid().expect("invalid"));
    assert_eq!(invalid.length(), 2);
    let first = Array::from(&get(&invalid.get(0), "errors")).get(0);
    assert_eq!(get(&first, "code"), "pattern_unsupported");
    assert_eq!(get(&first, "path"), "/conditions/0/value");
    assert!(get(&first, "message")
        .as_string()
        .unwrap_or_default()
        .contains("lookbehind"));
    assert_eq!(get(&invalid.get(1), "index"), 1);
    let second = Array::from(&get(&invalid.get(1), "errors")).get(0);
    assert_eq!(get(&second, "code"), "not_json");
    let warnings = Array::from(&engine.warnings().expect("warnings"));
    assert_eq!(get(&warnings.get(0), "code"), "state_discarded");

    assert_eq!(
        error_code(JsLivechatEngine::new("nope".into(), None)),
        "invalid_argument"
    );
    let mut engine = JsLivechatEngine::new(Array::new().into(), None).expect("engine");
    assert_eq!(error_code(engine.tick(1.0)), "not_started");
    assert_eq!(
        error_code(engine.start("https://a/", f64::NAN)),
        "invalid_argument"
    );
    assert_eq!(
        error_code(engine.start("https://a/", -1.0)),
        "invalid_argument"
    );
    let err = engine.navigate("https://a/", 1.0).expect_err("not started");
    assert_eq!(get(&err, "name"), "LivechatError");
}

#[wasm_bindgen_test]
fn engine_export_explains_each_trigger_without_changing_it() {
    let hostile = Object::new();
    set(&hostile, "name", &Function::new_no_args("return 1").into());
    let triggers = Array::new();
    for t in [
        trigger("t", &time_on_site(30.0), "thirty", false),
        trigger("p", &page_url("/pricing"), "plans", true),
        trigger("bad", &page_url("a(?<=b)"), "x", false),
    ] {
        triggers.push(&json(&t));
    }
    triggers.push(&hostile);
    let triggers: JsValue = triggers.into();
    let mut engine = JsLivechatEngine::new(triggers.clone(), None).expect("engine");
    let mut twin = JsLivechatEngine::new(triggers, None).expect("engine");
    let t0 = 1_700_000_000_000.0;
    let text = |v: &JsValue| JSON::stringify(v).expect("stringifies").as_string();
    let before = engine.explain(t0).expect("explain");
    assert_eq!(
        text(&Array::from(&before).get(0)).as_deref(),
        Some(
            r#"{"status":"pending","index":0,"id":"t","waiting":[{"condition":"start"},{"condition":"time-on-site","thresholdMs":30000,"remainingMs":30000,"dueAt":null}]}"#
        )
    );
    for (engine, explain) in [(&mut engine, true), (&mut twin, false)] {
        engine
            .start("https://a.example/pricing", t0)
            .expect("start");
        if explain {
            engine.explain(t0 + 5_000.0).expect("explain");
        }
    }
    let now = engine.explain(t0 + 10_000.0).expect("explain");
    let items: Vec<Option<String>> = Array::from(&now).iter().map(|v| text(&v)).collect();
    assert_eq!(
        items,
        [
            Some(r#"{"status":"pending","index":0,"id":"t","waiting":[{"condition":"time-on-site","thresholdMs":30000,"remainingMs":20000,"dueAt":1700000030000}]}"#.to_owned()),
            Some(r#"{"status":"fired","index":1,"id":"p","firedAt":1700000000000,"runOnce":true}"#.to_owned()),
            Some(r#"{"status":"invalid","index":2,"id":"bad","code":"pattern_unsupported"}"#.to_owned()),
            Some(r#"{"status":"invalid","index":3,"id":null,"code":"not_json"}"#.to_owned()),
        ]
    );
    // Explaining changed nothing: the twin that was never asked agrees.
    assert_eq!(
        text(&engine.state().expect("state")),
        text(&twin.state().expect("state"))
    );
    let a = engine.tick(t0 + 30_000.0).expect("tick");
    let b = twin.tick(t0 + 30_000.0).expect("tick");
    assert_eq!(text(&a), text(&b));
    assert_eq!(error_code(engine.explain(f64::NAN)), "invalid_argument");
}

// ---- LivechatTriggers without a window (Node and Chrome) ----

#[wasm_bindgen_test]
fn runtime_in_iframe_mode_uses_the_parent_url_and_the_given_storage() {
    let recorder = Recorder::new();
    let storage = MemoryStorage::new();
    let pushes_before = if global("history").is_undefined() {
        JsValue::UNDEFINED
    } else {
        get(&global("history"), "pushState")
    };
    let triggers = list(&[
        trigger(
            "home",
            &page_url("^https://shop\\\\.example/$"),
            "home",
            false,
        ),
        trigger("pricing", &page_url("/pricing"), "pricing", true),
    ]);
    let runtime = in_iframe(
        triggers.clone(),
        recorder.callback.as_ref(),
        &storage,
        "https://shop.example/",
        &[],
    );
    runtime.start().expect("start");
    assert_eq!(recorder.take(), ["home"]);
    if !global("history").is_undefined() {
        assert_eq!(
            get(&global("history"), "pushState"),
            pushes_before,
            "the iframe's own history is left alone"
        );
    }
    runtime
        .navigate("https://shop.example/pricing")
        .expect("navigate");
    assert_eq!(recorder.take(), ["pricing"]);
    let explained = Array::from(&runtime.explain().expect("explain"));
    let statuses: Vec<JsValue> = explained.iter().map(|e| get(&e, "status")).collect();
    assert_eq!(statuses, [JsValue::from("pending"), JsValue::from("fired")]);
    let waiting = Array::from(&get(&explained.get(0), "waiting")).get(0);
    assert_eq!(get(&waiting, "condition"), "page-url");
    assert_eq!(get(&waiting, "url"), "https://shop.example/pricing");
    runtime.stop().expect("stop");
    let saved = storage
        .items
        .borrow()
        .get("triggerkit.livechat")
        .cloned()
        .expect("state saved under triggerkit.livechat");
    let saved = json(&saved);
    assert_eq!(get(&saved, "version"), 1);
    assert_eq!(Array::from(&get(&saved, "firedRunOnce")).get(0), "pricing");

    // The next page load with the same storage: run-once is remembered.
    let again = in_iframe(
        triggers,
        recorder.callback.as_ref(),
        &storage,
        "https://shop.example/pricing",
        &[],
    );
    again.start().expect("start");
    assert!(recorder.take().is_empty());
    let explained = Array::from(&again.explain().expect("explain"));
    assert_eq!(get(&explained.get(1), "status"), "spent");
    again.stop().expect("stop");
}

#[wasm_bindgen_test]
fn runtime_options_are_checked() {
    let recorder = Recorder::new();
    let no_callback: JsValue = Object::new().into();
    assert_eq!(
        error_code(LivechatTriggers::new(Array::new().into(), no_callback)),
        "invalid_argument"
    );
    for (key, value) in [
        ("storage", JsValue::from(Object::new())),
        ("parentUrl", JsValue::from(5)),
        ("externalService", json(r#"{"serverUrl":"http://x"}"#)),
        (
            "externalService",
            json(r#"{"serverUrl":"http://x","token":"t","timeoutMs":-1}"#),
        ),
    ] {
        let result =
            LivechatTriggers::new(Array::new().into(), options(&recorder, &[(key, value)]));
        assert_eq!(error_code(result), "invalid_argument", "{key}");
    }
    if global("location").is_undefined() {
        let runtime =
            LivechatTriggers::new(Array::new().into(), options(&recorder, &[])).expect("runtime");
        assert_eq!(error_code(runtime.start()), "no_location");
    }
}

#[wasm_bindgen_test]
async fn runtime_keeps_one_real_timer_and_stop_clears_it() {
    let recorder = Recorder::new();
    let storage = MemoryStorage::new();
    let triggers = list(&[
        trigger("fast", &time_on_site(0.1), "fast", false),
        trigger("slow", &time_on_site(0.3), "slow", false),
    ]);
    let runtime = in_iframe(
        triggers,
        recorder.callback.as_ref(),
        &storage,
        "https://shop.example/",
        &[],
    );
    runtime.start().expect("start");
    assert!(recorder.take().is_empty());
    sleep(200).await;
    assert_eq!(recorder.take(), ["fast"]);
    runtime.stop().expect("stop");
    sleep(250).await;
    assert!(recorder.take().is_empty(), "the timer died with stop()");
    // Started again: a new page view in the same visit, both are due at once.
    runtime.start().expect("start");
    assert_eq!(recorder.take(), ["fast", "slow"]);
    runtime.stop().expect("stop");
}

#[wasm_bindgen_test]
fn on_action_may_call_back_into_the_runtime() {
    let holder: Rc<RefCell<Option<LivechatTriggers>>> = Rc::new(RefCell::new(None));
    let seen = Rc::new(RefCell::new(Vec::new()));
    let (h, s) = (holder.clone(), seen.clone());
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |action: JsValue| {
        let msg = get(&action, "msg").as_string().unwrap_or_default();
        s.borrow_mut().push(msg.clone());
        if let Some(runtime) = h.borrow().as_ref() {
            if msg == "first" {
                runtime
                    .navigate("https://shop.example/second")
                    .expect("re-entrant navigate");
            }
            if msg == "second" {
                runtime.chat_opened().expect("re-entrant chatOpened");
            }
        }
    });
    let storage = MemoryStorage::new();
    let triggers = list(&[
        trigger("1", &page_url("first"), "first", false),
        trigger("2", &page_url("second"), "second", false),
        trigger(
            "3",
            r#"[{"name":"chat-opened-by-visitor","value":null}]"#,
            "opened",
            false,
        ),
    ]);
    *holder.borrow_mut() = Some(in_iframe(
        triggers,
        callback.as_ref(),
        &storage,
        "https://shop.example/first",
        &[],
    ));
    if let Some(runtime) = holder.borrow().as_ref() {
        runtime.start().expect("start");
        runtime.stop().expect("stop");
    }
    assert_eq!(*seen.borrow(), ["first", "second", "opened"]);
}

// ---- LivechatTriggers in the page (Chrome) ----

#[wasm_bindgen_test]
async fn runtime_follows_push_replace_popstate_and_hashchange() {
    if !browser("runtime_follows_push_replace_popstate_and_hashchange") {
        return;
    }
    clear_local_storage();
    let history = global("history");
    let original_push = get(&history, "pushState");
    let original_replace = get(&history, "replaceState");
    let start_url = get(&global("location"), "href");
    let recorder = Recorder::new();
    let triggers = list(&[
        trigger("a", &page_url("/lc-a$"), "A", false),
        trigger("b", &page_url("/lc-b$"), "B", false),
        trigger("h", &page_url("#lc-h$"), "H", false),
    ]);
    let runtime = LivechatTriggers::new(triggers, options(&recorder, &[])).expect("runtime");
    runtime.start().expect("start");
    assert!(recorder.take().is_empty());
    assert_ne!(
        get(&history, "pushState"),
        original_push,
        "pushState is hooked"
    );

    history_call("pushState", "/lc-a");
    assert_eq!(recorder.take(), ["A"], "pushState is seen at once");
    history_call("replaceState", "/lc-a");
    assert!(recorder.take().is_empty(), "same URL: same page view");
    history_call("replaceState", "/lc-b");
    assert_eq!(recorder.take(), ["B"]);

    let back: Function = get(&history, "back").unchecked_into();
    back.call0(&history).expect("back");
    sleep(150).await;
    assert!(recorder.take().is_empty(), "back at the start URL");
    let forward: Function = get(&history, "forward").unchecked_into();
    forward.call0(&history).expect("forward");
    sleep(150).await;
    assert_eq!(recorder.take(), ["B"], "popstate is a navigation");

    set(&global("location"), "hash", &"lc-h".into());
    sleep(150).await;
    assert_eq!(recorder.take(), ["H"], "hashchange (and its popstate) once");

    runtime.stop().expect("stop");
    assert_eq!(get(&history, "pushState"), original_push, "stop() unhooks");
    assert_eq!(get(&history, "replaceState"), original_replace);
    history_call("pushState", "/lc-a");
    back.call0(&history).expect("back");
    sleep(150).await;
    assert!(
        recorder.take().is_empty(),
        "nothing is watched after stop()"
    );
    history_call("replaceState", &start_url.as_string().unwrap_or_default());
}

#[wasm_bindgen_test]
fn stop_leaves_a_wrapper_added_on_top_of_ours_working() {
    if !browser("stop_leaves_a_wrapper_added_on_top_of_ours_working") {
        return;
    }
    clear_local_storage();
    let history = global("history");
    let original_push = get(&history, "pushState");
    let start_url = get(&global("location"), "href");
    let recorder = Recorder::new();
    let runtime = LivechatTriggers::new(
        list(&[trigger("w", &page_url("/lc-wrapped$"), "W", false)]),
        options(&recorder, &[]),
    )
    .expect("runtime");
    runtime.start().expect("start");
    // A router library wraps pushState after us.
    let wrap = Function::new_with_args(
        "h",
        "const inner = h.pushState; h.calls = 0; \
         h.pushState = function (...a) { h.calls++; return inner.apply(this, a); };",
    );
    wrap.call1(&JsValue::NULL, &history).expect("wrap");
    let theirs = get(&history, "pushState");
    history_call("pushState", "/lc-wrapped");
    assert_eq!(recorder.take(), ["W"]);
    runtime.stop().expect("stop");
    assert_eq!(get(&history, "pushState"), theirs, "their wrapper stays");
    history_call("pushState", "/lc-other");
    history_call("pushState", "/lc-wrapped");
    assert_eq!(get(&history, "calls"), 3, "and keeps working");
    assert!(get(&global("location"), "href")
        .as_string()
        .unwrap_or_default()
        .ends_with("/lc-wrapped"));
    assert!(recorder.take().is_empty(), "ours no longer reports");
    set(&history, "pushState", &original_push);
    history_call("replaceState", &start_url.as_string().unwrap_or_default());
}

#[wasm_bindgen_test]
fn run_once_is_remembered_in_local_storage_across_reloads() {
    if !browser("run_once_is_remembered_in_local_storage_across_reloads") {
        return;
    }
    clear_local_storage();
    let recorder = Recorder::new();
    let triggers = list(&[trigger("once", &page_url("^http"), "once", true)]);
    let first = LivechatTriggers::new(triggers.clone(), options(&recorder, &[])).expect("runtime");
    first.start().expect("start");
    assert_eq!(recorder.take(), ["once"]);
    first.stop().expect("stop");
    let storage = global("localStorage");
    let get_item: Function = get(&storage, "getItem").unchecked_into();
    let saved = get_item
        .call1(&storage, &"triggerkit.livechat".into())
        .expect("getItem");
    let saved = json(&saved.as_string().expect("saved in localStorage"));
    assert_eq!(Array::from(&get(&saved, "firedRunOnce")).get(0), "once");

    let reload = LivechatTriggers::new(triggers.clone(), options(&recorder, &[])).expect("runtime");
    reload.start().expect("start");
    assert!(recorder.take().is_empty(), "fired once per visitor");
    reload.stop().expect("stop");

    // Corrupt storage is discarded (with a console warning) and replaced.
    let set_item: Function = get(&storage, "setItem").unchecked_into();
    set_item
        .call2(&storage, &"triggerkit.livechat".into(), &"{corrupt".into())
        .expect("setItem");
    let fresh = LivechatTriggers::new(triggers, options(&recorder, &[])).expect("runtime");
    fresh.start().expect("start");
    assert_eq!(recorder.take(), ["once"]);
    fresh.stop().expect("stop");
    let saved = get_item
        .call1(&storage, &"triggerkit.livechat".into())
        .expect("getItem");
    assert_eq!(get(&json(&saved.as_string().expect("saved")), "version"), 1);
    clear_local_storage();
}

#[wasm_bindgen_test]
async fn a_hidden_page_still_fires_when_its_timer_runs() {
    if !browser("a_hidden_page_still_fires_when_its_timer_runs") {
        return;
    }
    clear_local_storage();
    let document = global("document");
    let recorder = Recorder::new();
    let runtime = LivechatTriggers::new(
        list(&[trigger("t", &time_on_site(0.15), "late", false)]),
        options(&recorder, &[]),
    )
    .expect("runtime");
    runtime.start().expect("start");
    let hide = Function::new_with_args(
        "d, state",
        "Object.defineProperty(d, 'visibilityState', { value: state, configurable: true }); \
         d.dispatchEvent(new Event('visibilitychange'));",
    );
    hide.call2(&JsValue::NULL, &document, &"hidden".into())
        .expect("hide");
    sleep(300).await;
    assert_eq!(recorder.take(), ["late"]);
    let state = runtime.state().expect("state");
    assert!(
        !get(&state, "visit").is_null(),
        "the visit lasts while hidden"
    );
    runtime.stop().expect("stop");
    Reflect::delete_property(
        document.unchecked_ref::<Object>(),
        &"visibilityState".into(),
    )
    .expect("restore visibilityState");
    clear_local_storage();
}

// ---- against the local API emulator (Node and Chrome) ----

/// Where scripts/test.sh runs the emulator; required, never skipped.
fn emulator() -> &'static str {
    match option_env!("TRIGGERKIT_EMULATOR_URL") {
        Some(url) => url,
        None => panic!(
            "TRIGGERKIT_EMULATOR_URL was not set when this test was compiled: run scripts/test.sh, \
             which starts the emulator and exports it"
        ),
    }
}

/// A name no other test (or earlier run against the same emulator) uses.
fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

async fn send(method: &str, path: &str, body: Option<serde_json::Value>) -> serde_json::Value {
    let url = format!("{}{path}", emulator());
    let builder = gloo_net::http::RequestBuilder::new(&url)
        .method(match method {
            "POST" => gloo_net::http::Method::POST,
            "PUT" => gloo_net::http::Method::PUT,
            "DELETE" => gloo_net::http::Method::DELETE,
            _ => gloo_net::http::Method::GET,
        })
        .header("X-Auth-Token", "triggerkit-dev-token")
        .header("X-User-Id", "wasm-tests");
    let response = match body {
        Some(body) => builder.json(&body).expect("body").send().await,
        None => builder.send().await,
    }
    .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let text = response.text().await.expect("body text");
    assert!(
        response.ok(),
        "{method} {path}: {} {text}",
        response.status()
    );
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

/// Creates a trigger in the emulator and returns the id the server gave it.
async fn create_trigger(mut trigger: serde_json::Value) -> String {
    let name = unique("wasm");
    trigger["name"] = name.clone().into();
    send("POST", "/api/v1/livechat/triggers", Some(trigger)).await;
    let list = send("GET", "/api/v1/livechat/triggers?count=100000", None).await;
    list["triggers"]
        .as_array()
        .and_then(|all| all.iter().find(|t| t["name"] == name.as_str()))
        .and_then(|t| t["_id"].as_str())
        .expect("the created trigger is listed")
        .to_owned()
}

/// Injects faults into the external-service calls of one trigger only.
async fn fault_calls_of(trigger_id: &str, mut faults: serde_json::Value) {
    faults["path_prefix"] = format!("/api/v1/livechat/triggers/{trigger_id}/").into();
    send("PUT", "/_admin/faults", Some(faults)).await;
}

fn external_trigger(service_url: &str, timeout_ms: u64) -> serde_json::Value {
    serde_json::json!({
        "description": "", "enabled": true, "runOnce": false,
        "conditions": [{"name": "chat-opened-by-visitor", "value": null}],
        "actions": [
            {"name": "use-external-service", "params": {"sender": "custom", "name": "Ana",
                "serviceUrl": service_url, "serviceTimeout": timeout_ms,
                "serviceFallbackMessage": "sorry, later"}},
            {"name": "send-message", "params": {"sender": "custom", "name": "Ana", "msg": "after"}},
        ],
    })
}

/// Records every action (type and text) handed to onAction.
struct AnyRecorder {
    seen: Rc<RefCell<Vec<(String, String)>>>,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl AnyRecorder {
    fn new() -> AnyRecorder {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let sink = seen.clone();
        let callback = Closure::new(move |action: JsValue| {
            let kind = get(&action, "type").as_string().unwrap_or_default();
            let text = get(&action, "msg")
                .as_string()
                .or_else(|| get(&action, "triggerId").as_string())
                .unwrap_or_default();
            sink.borrow_mut().push((kind, text));
        });
        AnyRecorder { seen, callback }
    }

    /// Waits (up to 5 s) until `n` actions arrived, and returns their texts.
    async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..250 {
            if self.seen.borrow().len() >= n {
                break;
            }
            sleep(20).await;
        }
        self.seen.borrow().iter().map(|(_, t)| t.clone()).collect()
    }
}

/// A runtime for `trigger_id`'s config entry, talking to the emulator.
async fn runtime_for(trigger_id: &str, recorder: &AnyRecorder, external: bool) -> LivechatTriggers {
    let config = send("GET", "/api/v1/livechat/config", None).await;
    let entry = config["config"]["triggers"]
        .as_array()
        .and_then(|all| all.iter().find(|t| t["_id"] == trigger_id))
        .cloned()
        .expect("the trigger is in the config");
    let service = json(&format!(
        r#"{{"serverUrl":"{}/","token":"visitor-token"}}"#,
        emulator()
    ));
    let extra = if external {
        vec![("externalService", service)]
    } else {
        Vec::new()
    };
    let storage = MemoryStorage::new();
    let runtime = in_iframe(
        json(&format!("[{entry}]")),
        recorder.callback.as_ref(),
        &storage,
        "https://shop.example/",
        &extra,
    );
    // The storage must outlive the runtime, which the test hands back.
    std::mem::forget(storage);
    assert_eq!(
        Array::from(&runtime.invalid().expect("invalid")).length(),
        0
    );
    runtime.start().expect("start");
    runtime
}

/// `fetchLivechatTriggers(serverUrl)`, awaited.
async fn fetch_config(server_url: &str) -> Result<JsValue, JsValue> {
    JsFuture::from(triggerkit::wasm::livechat::fetch_livechat_triggers(
        server_url,
    ))
    .await
}

#[wasm_bindgen_test]
async fn fetch_livechat_triggers_validates_the_config() {
    let good = create_trigger(serde_json::json!({
        "description": "", "enabled": true, "runOnce": true,
        "conditions": [{"name": "page-url", "value": "/pricing"}],
        "actions": [{"name": "send-message", "params": {"sender": "queue", "msg": "plans"}}],
    }))
    .await;
    let lookaround = create_trigger(serde_json::json!({
        "description": "", "enabled": true, "runOnce": false,
        "conditions": [{"name": "page-url", "value": "pricing(?!/enterprise)"}],
        "actions": [{"name": "send-message", "params": {"sender": "queue", "msg": "no"}}],
    }))
    .await;
    let disabled = create_trigger(serde_json::json!({
        "description": "", "enabled": false, "runOnce": false,
        "conditions": [{"name": "page-url", "value": "x"}],
        "actions": [{"name": "send-message", "params": {"sender": "queue", "msg": "no"}}],
    }))
    .await;
    let listed = fetch_config(&format!("{}/", emulator()))
        .await
        .expect("config read");
    let config = send("GET", "/api/v1/livechat/config", None).await;
    let ids: Vec<String> = config["config"]["triggers"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|t| t["_id"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        !ids.contains(&disabled),
        "the config lists enabled triggers only"
    );
    let triggers = Array::from(&get(&listed, "triggers"));
    let found = triggers
        .iter()
        .find(|t| get(t, "_id") == good.as_str())
        .expect("the valid trigger is returned");
    assert_eq!(get(&found, "runOnce"), JsValue::TRUE);
    assert_eq!(
        get(&found, "enabled"),
        JsValue::TRUE,
        "config entries are enabled"
    );
    let invalid = Array::from(&get(&listed, "invalid"));
    let position = ids.iter().position(|id| *id == lookaround).expect("listed") as f64;
    let bad = invalid
        .iter()
        .find(|i| get(i, "index").as_f64() == Some(position))
        .expect("the lookahead trigger is reported, not thrown");
    let error = Array::from(&get(&bad, "errors")).get(0);
    assert_eq!(get(&error, "code"), "pattern_unsupported");
    assert!(triggers
        .iter()
        .all(|t| get(&t, "_id") != lookaround.as_str()));

    // A server that is not there, a wrong path, a body that is not the config.
    let err = fetch_config("http://127.0.0.1:1")
        .await
        .expect_err("nobody listens");
    assert_eq!(get(&err, "code"), "network_error");
    let err = fetch_config(&format!("{}/nowhere", emulator()))
        .await
        .expect_err("404");
    assert_eq!(get(&err, "code"), "http_error");
    assert_eq!(get(&err, "status"), 404);
    let err = fetch_config(&format!("{}/_admin/state?", emulator()))
        .await
        .expect_err("not a config");
    assert_eq!(get(&err, "code"), "invalid_response");
}

#[wasm_bindgen_test]
async fn external_service_contents_arrive_in_order_before_the_next_action() {
    let service_url = format!("http://svc.test/{}", unique("ordered"));
    send(
        "PUT",
        "/_admin/rocketchat/services",
        Some(serde_json::json!({"service_url": service_url, "contents": [
            {"msg": "third", "order": 3}, {"msg": "first", "order": 1}, {"msg": "second", "order": 2},
        ]})),
    )
    .await;
    let id = create_trigger(external_trigger(&service_url, 3000)).await;
    let recorder = AnyRecorder::new();
    let runtime = runtime_for(&id, &recorder, true).await;
    runtime.chat_opened().expect("chatOpened");
    assert_eq!(
        recorder.wait_for(4).await,
        ["first", "second", "third", "after"]
    );
    assert!(recorder
        .seen
        .borrow()
        .iter()
        .all(|(kind, _)| kind == "send-message"));
    runtime.stop().expect("stop");
}

#[wasm_bindgen_test]
async fn a_slow_service_times_out_into_the_fallback_message() {
    let service_url = format!("http://svc.test/{}", unique("slow"));
    let id = create_trigger(external_trigger(&service_url, 300)).await;
    // The server answers after 3 s; the runtime gives up after serviceTimeout.
    fault_calls_of(
        &id,
        serde_json::json!({"latency_min_ms": 3000, "latency_max_ms": 3000}),
    )
    .await;
    let recorder = AnyRecorder::new();
    let runtime = runtime_for(&id, &recorder, true).await;
    let started = js_sys::Date::now();
    runtime.chat_opened().expect("chatOpened");
    let texts = recorder.wait_for(2).await;
    let took = js_sys::Date::now() - started;
    send("DELETE", "/_admin/faults", None).await;
    assert_eq!(texts, ["sorry, later", "after"]);
    assert!(
        took < 2500.0,
        "aborted after about 300 ms, not after {took} ms"
    );
    runtime.stop().expect("stop");
}

#[wasm_bindgen_test]
async fn a_dropped_connection_or_a_failing_service_shows_the_fallback() {
    // The connection is closed without an answer: a network error. Every
    // attempt is dropped, since Chrome retries once on a reused connection.
    let service_url = format!("http://svc.test/{}", unique("dropped"));
    let id = create_trigger(external_trigger(&service_url, 3000)).await;
    fault_calls_of(&id, serde_json::json!({"drop_rate": 1.0})).await;
    let recorder = AnyRecorder::new();
    let runtime = runtime_for(&id, &recorder, true).await;
    runtime.chat_opened().expect("chatOpened");
    let texts = recorder.wait_for(2).await;
    send("DELETE", "/_admin/faults", None).await;
    assert_eq!(texts, ["sorry, later", "after"]);
    runtime.stop().expect("stop");

    // The service answers 500, or with contents of the wrong shape: the
    // server's error answer (400) leads to the fallback as well.
    for (name, service) in [
        ("broken", serde_json::json!({"status": 500, "body": "boom"})),
        (
            "shapeless",
            serde_json::json!({"contents": [{"text": "no msg"}]}),
        ),
    ] {
        let service_url = format!("http://svc.test/{}", unique(name));
        let mut canned = service;
        canned["service_url"] = service_url.clone().into();
        send("PUT", "/_admin/rocketchat/services", Some(canned)).await;
        let id = create_trigger(external_trigger(&service_url, 3000)).await;
        let recorder = AnyRecorder::new();
        let runtime = runtime_for(&id, &recorder, true).await;
        runtime.chat_opened().expect("chatOpened");
        assert_eq!(
            recorder.wait_for(2).await,
            ["sorry, later", "after"],
            "{name}"
        );
        runtime.stop().expect("stop");
    }
}

#[wasm_bindgen_test]
async fn without_external_service_options_the_action_goes_to_on_action() {
    let service_url = format!("http://svc.test/{}", unique("manual"));
    let id = create_trigger(external_trigger(&service_url, 3000)).await;
    let recorder = AnyRecorder::new();
    let runtime = runtime_for(&id, &recorder, false).await;
    runtime.chat_opened().expect("chatOpened");
    let seen = recorder.seen.borrow().clone();
    assert_eq!(
        seen,
        [
            ("use-external-service".to_owned(), id.clone()),
            ("send-message".to_owned(), "after".to_owned())
        ]
    );
    runtime.stop().expect("stop");
}

#[wasm_bindgen_test]
async fn stop_cancels_a_call_in_flight() {
    let service_url = format!("http://svc.test/{}", unique("cancelled"));
    send(
        "PUT",
        "/_admin/rocketchat/services",
        Some(serde_json::json!({"service_url": service_url, "delay_ms": 400})),
    )
    .await;
    let id = create_trigger(external_trigger(&service_url, 3000)).await;
    let recorder = AnyRecorder::new();
    let runtime = runtime_for(&id, &recorder, true).await;
    runtime.chat_opened().expect("chatOpened");
    runtime.stop().expect("stop");
    sleep(700).await;
    assert!(
        recorder.seen.borrow().is_empty(),
        "nothing arrives after stop()"
    );
}
