//! JS exports of the livechat engine (`LivechatEngine`), the browser runtime
//! (`LivechatTriggers`), the config loader (`fetchLivechatTriggers`) and the
//! use-external-service call the runtime makes.
//!
//! The runtime owns everything the pure engine must not touch: the clock
//! (`Date.now()`, epoch ms, because visits outlive the page), `location`,
//! storage, one `setTimeout` and the page's navigation and visibility events.
//! It never calls back into JS (onAction, storage) while holding its own
//! state borrowed, so a callback may call `navigate`, `chatOpened` or `stop`.

use super::convert::{js_to_json, to_js_json as to_js};
use super::errors::js_error;
use crate::formats::rocketchat::{RocketChatTrigger, Sender};
use crate::json::{self, Value};
use crate::livechat::service::{external_service_path, parse_service_response, ServiceFailure};
use crate::livechat::{
    check_triggers, InvalidTrigger, LivechatAction, LivechatEngine, LivechatError, LivechatEvent,
    LivechatState, LivechatStep, LoadReport,
};
use js_sys::{Array, Function, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortController;

/// Key of the persisted state in the visitor's storage.
const STORAGE_KEY: &str = "triggerkit.livechat";
/// The Rocket.Chat server's own default for `serviceTimeout`.
const DEFAULT_SERVICE_TIMEOUT_MS: f64 = 5000.0;
/// `setTimeout` treats longer delays as 0.
const MAX_TIMER_DELAY_MS: u64 = i32::MAX as u64;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Where the runtime keeps its state (localStorage by default). */
export interface LivechatStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The Rocket.Chat server that runs use-external-service actions. */
export interface LivechatExternalService {
  /** Base URL of the Rocket.Chat server, e.g. `https://chat.example.com`. */
  serverUrl: string;
  /** The visitor's livechat token. */
  token: string;
  /** Timeout in ms when a trigger has no `serviceTimeout` (default 5000). */
  timeoutMs?: number;
}

/** Options of `new LivechatTriggers(triggers, options)`. */
export interface LivechatTriggersOptions {
  /**
   * Called with each action, in order. `send-message` text is plain text:
   * render it as text (textContent), never as HTML. `use-external-service`
   * actions arrive here only when `externalService` is not given.
   */
  onAction: (action: LivechatAction) => void;
  /** Default: `localStorage` (in-memory, with a warning, where unavailable). */
  storage?: LivechatStorage;
  /**
   * The embedding page's URL when the widget runs in an iframe. Then the
   * iframe's own history is not watched: call `navigate(url)` when the
   * parent page navigates.
   */
  parentUrl?: string;
  /** Run use-external-service actions against this Rocket.Chat server. */
  externalService?: LivechatExternalService;
}

/**
 * Why one trigger fired or not (`LivechatEngine.explain(nowMs)`,
 * `LivechatTriggers.explain()`), in the order given. `index` is its
 * position in the list, `id` its `_id` (or null).
 * - `fired`: in this page view, at `firedAt`; not again before the next one.
 * - `pending`: `waiting` lists the conditions that do not hold yet; empty
 *   when all hold and it fires at the next event or tick.
 * - `spent`: run-once, fired for this visitor in an earlier page view or
 *   another tab.
 * - `disabled`: `enabled: false`.
 * - `invalid`: rejected when loading; `code` is its first error's.
 */
export type LivechatExplanation =
  | { status: "fired"; index: number; id: string | null; firedAt: number; runOnce: boolean }
  | { status: "pending"; index: number; id: string | null; waiting: LivechatWaiting[] }
  | { status: "spent"; index: number; id: string | null }
  | { status: "disabled"; index: number; id: string | null }
  | { status: "invalid"; index: number; id: string | null; code: string };

/**
 * A condition of a pending trigger that does not hold yet: `start` (no
 * `start(url)` yet), `time-on-site` (ms to the threshold; `dueAt` null and
 * the whole threshold left when no visit is going), `page-url` (the pattern
 * and the current URL it does not match, null before `start`), or an event
 * not seen in this page view.
 */
export type LivechatWaiting =
  | { condition: "start" }
  | { condition: "time-on-site"; thresholdMs: number; remainingMs: number; dueAt: number | null }
  | { condition: "page-url"; pattern: string; url: string | null }
  | { condition: "chat-opened-by-visitor" }
  | { condition: "after-guest-registration" };

/** What `fetchLivechatTriggers` returns. */
export interface LivechatTriggerList {
  /** Valid triggers, normalized. */
  triggers: RocketChatTrigger[];
  /** Triggers that will never fire, and why. */
  invalid: InvalidTrigger[];
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &JsValue, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn(message: &str);
    /// `globalThis` (ES2020, as `Promise.allSettled` below): read directly,
    /// without js_sys's fallbacks for older engines, which cost 0.4 KB gzip.
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn_value(message: &str, value: &JsValue);

    /// Anything with addEventListener (window, document).
    type Target;
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn add_event_listener(this: &Target, kind: &str, listener: &JsValue);
    #[wasm_bindgen(method, js_name = removeEventListener)]
    fn remove_event_listener(this: &Target, kind: &str, listener: &JsValue);
}

fn warn(message: &str) {
    console_warn(&format!("[triggerkit livechat] {message}"));
}

/// Warns with a JS value (a thrown error) after the message: the console
/// shows it whole, stack included, and no debug printer is linked.
fn warn_value(message: &str, value: &JsValue) {
    console_warn_value(&format!("[triggerkit livechat] {message}:"), value);
}

fn livechat_error(code: &str, message: &str) -> JsValue {
    js_error("LivechatError", code, message, &[])
}

fn engine_error(e: LivechatError) -> JsValue {
    livechat_error(e.code(), &e.to_string())
}

/// A property of the global object, if it exists and reading it does not throw.
fn global(name: &str) -> Option<JsValue> {
    GLOBAL_THIS
        .with(|g| Reflect::get(g, &name.into()))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn property(object: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(object, &name.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// `Reflect.apply(function, this, args)`: one binding for every call, of
/// any arity, instead of one per `call1`, `call2`, `Array.of1`, ... (each a
/// function in the JS glue and an import of the module).
fn call(function: &Function, this: &JsValue, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    Reflect::apply(function, this, &js_array(args))
}

/// A JS array of `items`, built with the `push` binding the JSON
/// conversions use anyway.
fn js_array(items: &[&JsValue]) -> Array {
    let array = Array::new();
    for item in items {
        array.push(item);
    }
    array
}

fn location_href() -> Option<String> {
    global("location").and_then(|l| property(&l, "href")?.as_string())
}

fn document_hidden() -> bool {
    global("document")
        .and_then(|d| property(&d, "visibilityState"))
        .and_then(|v| v.as_string())
        .is_some_and(|v| v == "hidden")
}

fn now_ms() -> u64 {
    // Date.now() is a whole, non-negative number on any sane clock.
    js_sys::Date::now().max(0.0) as u64
}

fn time_arg(now_ms: f64) -> Result<u64, JsValue> {
    if now_ms.is_finite() && now_ms >= 0.0 {
        Ok(now_ms as u64)
    } else {
        Err(livechat_error(
            "invalid_argument",
            "nowMs: expected a finite, non-negative number of milliseconds",
        ))
    }
}

/// Converts the triggers argument item by item, so one unconvertible
/// trigger is reported as invalid instead of failing the whole list.
fn triggers_arg(triggers: &JsValue) -> Result<(Vec<Value>, Vec<InvalidTrigger>), JsValue> {
    if !Array::is_array(triggers) {
        return Err(livechat_error(
            "invalid_argument",
            "triggers: expected an array of Rocket.Chat triggers",
        ));
    }
    let array: &Array = triggers.unchecked_ref();
    let mut values = Vec::new();
    let mut unconvertible = Vec::new();
    for (index, item) in array.iter().enumerate() {
        match js_to_json(&item) {
            Ok(value) => values.push(value),
            Err(errors) => {
                values.push(Value::Null);
                unconvertible.push(InvalidTrigger { index, errors });
            }
        }
    }
    Ok((values, unconvertible))
}

/// Builds an engine, with conversion problems taking the place of the
/// engine's complaint about the placeholder it was given.
fn build_engine(
    triggers: &JsValue,
    state: Option<&Value>,
) -> Result<(LivechatEngine, LoadReport), JsValue> {
    let (values, unconvertible) = triggers_arg(triggers)?;
    let (mut engine, mut report) = LivechatEngine::new(&values, state);
    for bad in unconvertible {
        if let Some(first) = bad.errors.first() {
            engine.set_invalid(bad.index, &first.code);
        }
        match report.invalid.iter_mut().find(|i| i.index == bad.index) {
            Some(slot) => *slot = bad,
            None => report.invalid.push(bad),
        }
    }
    Ok((engine, report))
}

/// The pure livechat engine, for server-side rendering, tests and custom
/// runtimes: the caller passes the time and persists `state()`.
#[wasm_bindgen(js_name = LivechatEngine)]
pub struct JsLivechatEngine {
    engine: LivechatEngine,
    report: LoadReport,
}

#[wasm_bindgen(js_class = LivechatEngine)]
impl JsLivechatEngine {
    /// Compiles the triggers (normalized, raw server JSON or config entries;
    /// invalid ones are listed in `invalid`) and restores a saved state
    /// (object or JSON text; an unusable one is listed in `warnings`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "unknown[]")] triggers: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LivechatState | string | null")]
        state: Option<JsValue>,
    ) -> Result<JsLivechatEngine, JsValue> {
        // Unconvertible state is just more corrupt state: the engine
        // discards it with a warning.
        let state = state
            .filter(|s| !s.is_undefined() && !s.is_null())
            .map(|s| js_to_json(&s).unwrap_or(Value::Bool(false)));
        let (engine, report) = build_engine(&triggers, state.as_ref())?;
        Ok(JsLivechatEngine { engine, report })
    }

    fn step(&mut self, event: LivechatEvent<'_>, now_ms: f64) -> Result<JsValue, JsValue> {
        let step = self
            .engine
            .handle(event, time_arg(now_ms)?)
            .map_err(engine_error)?;
        to_js(&step)
    }

    /// A page load at `url`.
    #[wasm_bindgen(unchecked_return_type = "LivechatStep")]
    pub fn start(
        &mut self,
        url: &str,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        self.step(LivechatEvent::Start(url), now_ms)
    }

    /// A single-page-app navigation to `url`.
    #[wasm_bindgen(unchecked_return_type = "LivechatStep")]
    pub fn navigate(
        &mut self,
        url: &str,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        self.step(LivechatEvent::Navigate(url), now_ms)
    }

    /// The time asked for in `nextWakeAt` has come.
    #[wasm_bindgen(unchecked_return_type = "LivechatStep")]
    pub fn tick(
        &mut self,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        self.step(LivechatEvent::Tick, now_ms)
    }

    /// The visitor opened the chat window.
    #[wasm_bindgen(js_name = chatOpened, unchecked_return_type = "LivechatStep")]
    pub fn chat_opened(
        &mut self,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        self.step(LivechatEvent::ChatOpened, now_ms)
    }

    /// The visitor registered as a guest.
    #[wasm_bindgen(js_name = guestRegistered, unchecked_return_type = "LivechatStep")]
    pub fn guest_registered(
        &mut self,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        self.step(LivechatEvent::GuestRegistered, now_ms)
    }

    /// The page became visible or hidden (`document.visibilityState`).
    #[wasm_bindgen(js_name = visibilityChanged, unchecked_return_type = "LivechatStep")]
    pub fn visibility_changed(
        &mut self,
        visible: bool,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        self.step(LivechatEvent::Visibility(visible), now_ms)
    }

    /// The state to persist (JSON data; pass it to the next constructor).
    #[wasm_bindgen(unchecked_return_type = "LivechatState")]
    pub fn state(&self) -> Result<JsValue, JsValue> {
        to_js(self.engine.state())
    }

    /// Triggers that will never fire, and why.
    #[wasm_bindgen(getter, unchecked_return_type = "InvalidTrigger[]")]
    pub fn invalid(&self) -> Result<JsValue, JsValue> {
        to_js(&self.report.invalid)
    }

    /// Problems that stopped nothing (a discarded saved state).
    #[wasm_bindgen(getter, unchecked_return_type = "Issue[]")]
    pub fn warnings(&self) -> Result<JsValue, JsValue> {
        to_js(&self.report.warnings)
    }

    /// Why each trigger fired or not at `nowMs`, in the order given:
    /// `fired`, `pending` (with what it waits for), `spent`, `disabled` or
    /// `invalid`. Changes nothing.
    #[wasm_bindgen(unchecked_return_type = "LivechatExplanation[]")]
    pub fn explain(
        &self,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.engine.explain(time_arg(now_ms)?))
    }
}

/// Reads the visitor's storage defensively: a throwing or missing store is
/// a warning, never an error.
enum Storage {
    Js(JsValue),
    Memory(Option<String>),
}

impl Storage {
    fn from_option(option: Option<JsValue>) -> Result<Storage, JsValue> {
        if let Some(store) = option {
            let callable = |name| property(&store, name).is_some_and(|f| f.is_function());
            if !(callable("getItem") && callable("setItem")) {
                return Err(livechat_error(
                    "invalid_argument",
                    "options.storage: expected an object with getItem and setItem",
                ));
            }
            return Ok(Storage::Js(store));
        }
        match global("localStorage") {
            Some(store) => Ok(Storage::Js(store)),
            None => {
                warn("localStorage is unavailable: run-once records and visits last for this page only");
                Ok(Storage::Memory(None))
            }
        }
    }

    fn get(&self) -> Option<String> {
        match self {
            Storage::Memory(text) => text.clone(),
            Storage::Js(store) => {
                let get = property(store, "getItem")?;
                let function: &Function = get.dyn_ref()?;
                match call(function, store, &[&STORAGE_KEY.into()]) {
                    Ok(v) => v.as_string(),
                    Err(e) => {
                        warn_value("storage.getItem failed", &e);
                        None
                    }
                }
            }
        }
    }

    fn set(&mut self, text: &str) {
        match self {
            Storage::Memory(slot) => *slot = Some(text.to_owned()),
            Storage::Js(store) => {
                let result = property(store, "setItem")
                    .and_then(|f| f.dyn_into::<Function>().ok())
                    .map(|f| call(&f, store, &[&STORAGE_KEY.into(), &text.into()]));
                if let Some(Err(e)) = result {
                    warn_value("storage.setItem failed", &e);
                }
            }
        }
    }
}

#[derive(Clone)]
struct ExternalService {
    server_url: String,
    token: String,
    timeout_ms: Option<f64>,
}

impl ExternalService {
    fn from_option(option: Option<JsValue>) -> Result<Option<ExternalService>, JsValue> {
        let Some(o) = option else { return Ok(None) };
        let text = |name: &str| property(&o, name).and_then(|v| v.as_string());
        let (Some(server_url), Some(token)) = (text("serverUrl"), text("token")) else {
            return Err(livechat_error(
                "invalid_argument",
                "options.externalService: expected { serverUrl: string, token: string, timeoutMs?: number }",
            ));
        };
        let timeout_ms = match property(&o, "timeoutMs") {
            None => None,
            Some(v) => match v.as_f64().filter(|t| t.is_finite() && *t > 0.0) {
                Some(t) => Some(t),
                None => {
                    return Err(livechat_error(
                        "invalid_argument",
                        "options.externalService.timeoutMs: expected a positive number",
                    ))
                }
            },
        };
        Ok(Some(ExternalService {
            server_url: server_url.trim_end_matches('/').to_owned(),
            token,
            timeout_ms,
        }))
    }
}

/// `history.pushState` / `replaceState` as a closure: (state, unused, url?).
type HistoryWrapper = Closure<dyn FnMut(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>;

/// One wrapped `history` method. The wrapper outlives a `stop()` when other
/// code wrapped it in turn (it cannot be unhooked then), so it carries its
/// own original and an `active` switch.
struct HistoryHook {
    name: &'static str,
    original: Rc<RefCell<Option<Function>>>,
    active: Rc<Cell<bool>>,
    /// The wrapper is (still) somewhere in `history[name]`'s chain.
    installed: bool,
    wrapper: Option<HistoryWrapper>,
}

impl HistoryHook {
    fn new(name: &'static str, runtime: Weak<RefCell<Runtime>>) -> HistoryHook {
        let original: Rc<RefCell<Option<Function>>> = Rc::new(RefCell::new(None));
        let active = Rc::new(Cell::new(false));
        let (orig, on) = (original.clone(), active.clone());
        let wrapper = Closure::new(move |state: JsValue, unused: JsValue, url: JsValue| {
            let Some(history) = global("history") else {
                return Ok(JsValue::UNDEFINED);
            };
            let args = js_array(&[&state, &unused]);
            if !url.is_undefined() {
                args.push(&url);
            }
            let target = orig.borrow().clone();
            let result = match target {
                Some(f) => Reflect::apply(&f, &history, &args)?,
                None => JsValue::UNDEFINED,
            };
            if on.get() {
                if let Some(rt) = runtime.upgrade() {
                    location_changed(&rt);
                }
            }
            Ok(result)
        });
        HistoryHook {
            name,
            original,
            active,
            installed: false,
            wrapper: Some(wrapper),
        }
    }

    fn wrapper_fn(&self) -> Option<&JsValue> {
        self.wrapper.as_ref().map(|w| w.as_ref())
    }

    fn install(&mut self, history: &JsValue) {
        self.active.set(true);
        if self.installed {
            return;
        }
        let (Some(current), Some(wrapper)) = (
            property(history, self.name).and_then(|f| f.dyn_into::<Function>().ok()),
            self.wrapper_fn(),
        ) else {
            return;
        };
        *self.original.borrow_mut() = Some(current);
        self.installed = Reflect::set(history, &self.name.into(), wrapper).unwrap_or(false);
    }

    fn uninstall(&mut self, history: &JsValue) {
        self.active.set(false);
        if !self.installed {
            return;
        }
        let ours = property(history, self.name);
        if ours.as_ref() == self.wrapper_fn() {
            if let Some(original) = self.original.borrow().as_ref() {
                self.installed =
                    !Reflect::set(history, &self.name.into(), original).unwrap_or(false);
            }
        }
    }
}

impl Drop for HistoryHook {
    fn drop(&mut self) {
        // Still referenced by someone else's wrapper: it must stay callable
        // (it only forwards to the original now that `active` is off).
        if self.installed {
            if let Some(wrapper) = self.wrapper.take() {
                wrapper.forget();
            }
        }
    }
}

/// Closures created once per runtime and reused by every start, so none is
/// ever dropped while it might be running.
struct Callbacks {
    timer: Closure<dyn FnMut()>,
    location: Closure<dyn FnMut(JsValue)>,
    visibility: Closure<dyn FnMut(JsValue)>,
    push_state: HistoryHook,
    replace_state: HistoryHook,
}

struct Runtime {
    engine: LivechatEngine,
    report: LoadReport,
    on_action: Function,
    storage: Storage,
    /// The last state text read from or written to storage.
    seen: Option<String>,
    parent_url: Option<String>,
    external: Option<ExternalService>,
    callbacks: Option<Callbacks>,
    started: bool,
    /// Whether the page's history and events are watched (not in iframe mode).
    watching: bool,
    timer: Option<JsValue>,
    queue: VecDeque<LivechatAction>,
    /// An external-service call is running; later actions wait for it.
    busy: bool,
    /// onAction is running: actions due meanwhile wait for it to return, so
    /// it is never re-entered and order is kept.
    delivering: bool,
    in_flight: Option<AbortController>,
    /// Bumped by `stop()`, so a call that ends afterwards is ignored.
    generation: u32,
}

impl Runtime {
    /// Folds in what other tabs or pages wrote since we last looked.
    fn sync(&mut self) {
        let text = self.storage.get();
        if text.is_none() || text == self.seen {
            return;
        }
        if let Some(text) = &text {
            match LivechatState::from_json_str(text) {
                Ok(stored) => self.engine.merge_state(&stored),
                Err(reason) => warn(&format!("{reason}; it is discarded")),
            }
        }
        self.seen = text;
    }

    fn persist(&mut self) {
        let text = self.engine.state().to_json_string();
        if self.seen.as_deref() != Some(text.as_str()) {
            self.storage.set(&text);
            self.seen = Some(text);
        }
    }

    fn schedule(&mut self, at: Option<u64>, now: u64) {
        if let Some(id) = self.timer.take() {
            clear_timeout(&id);
        }
        let (Some(at), Some(callbacks), true) = (at, &self.callbacks, self.started) else {
            return;
        };
        let delay = at.saturating_sub(now).min(MAX_TIMER_DELAY_MS);
        self.timer = Some(set_timeout(callbacks.timer.as_ref(), delay as f64));
    }

    fn install(&mut self) {
        let Some(cb) = self.callbacks.as_mut() else {
            return;
        };
        self.watching = self.parent_url.is_none();
        if self.watching {
            if let Some(history) = global("history") {
                cb.push_state.install(&history);
                cb.replace_state.install(&history);
            }
            if let Some(window) = global("window") {
                let window: &Target = window.unchecked_ref();
                window.add_event_listener("popstate", cb.location.as_ref());
                window.add_event_listener("hashchange", cb.location.as_ref());
            }
        }
        if let Some(document) = global("document") {
            let document: &Target = document.unchecked_ref();
            document.add_event_listener("visibilitychange", cb.visibility.as_ref());
        }
    }

    fn uninstall(&mut self) {
        if let Some(id) = self.timer.take() {
            clear_timeout(&id);
        }
        if let Some(controller) = self.in_flight.take() {
            controller.abort();
        }
        self.queue.clear();
        self.busy = false;
        self.delivering = false;
        self.generation = self.generation.wrapping_add(1);
        let Some(cb) = self.callbacks.as_mut() else {
            return;
        };
        if self.watching {
            if let Some(history) = global("history") {
                cb.push_state.uninstall(&history);
                cb.replace_state.uninstall(&history);
            }
            if let Some(window) = global("window") {
                let window: &Target = window.unchecked_ref();
                window.remove_event_listener("popstate", cb.location.as_ref());
                window.remove_event_listener("hashchange", cb.location.as_ref());
            }
        }
        if let Some(document) = global("document") {
            let document: &Target = document.unchecked_ref();
            document.remove_event_listener("visibilitychange", cb.visibility.as_ref());
        }
        self.watching = false;
        self.started = false;
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if self.started {
            self.uninstall();
        }
    }
}

type Shared = Rc<RefCell<Runtime>>;

/// Runs one event through the engine, then delivers what is due.
fn dispatch(shared: &Shared, event: LivechatEvent<'_>) -> Result<(), JsValue> {
    {
        let mut rt = shared
            .try_borrow_mut()
            .map_err(|_| livechat_error("busy", "the runtime is already handling an event"))?;
        rt.sync();
        let now = now_ms();
        let step: LivechatStep = rt.engine.handle(event, now).map_err(engine_error)?;
        rt.persist();
        rt.schedule(step.next_wake_at, now);
        rt.queue.extend(step.actions);
    }
    drain(shared);
    Ok(())
}

/// What `drain` does with the next queued action, once the runtime is no
/// longer borrowed.
enum Next {
    Deliver(LivechatAction, Function),
    Call(
        ExternalService,
        LivechatAction,
        Option<AbortController>,
        u32,
    ),
}

/// Hands queued actions to `onAction` in order, pausing at an external-service
/// call until its messages are in.
fn drain(shared: &Shared) {
    loop {
        let next = {
            let Ok(mut rt) = shared.try_borrow_mut() else {
                return;
            };
            if rt.busy || rt.delivering {
                return;
            }
            let Some(action) = rt.queue.pop_front() else {
                return;
            };
            match (&action, rt.external.clone()) {
                (LivechatAction::UseExternalService { .. }, Some(service)) => {
                    let controller = AbortController::new().ok();
                    rt.busy = true;
                    rt.in_flight = controller.clone();
                    Next::Call(service, action, controller, rt.generation)
                }
                _ => {
                    rt.delivering = true;
                    Next::Deliver(action, rt.on_action.clone())
                }
            }
        };
        let (action, on_action) = match next {
            Next::Deliver(action, on_action) => (action, on_action),
            Next::Call(service, action, controller, generation) => {
                let weak = Rc::downgrade(shared);
                let done = move |messages: Vec<LivechatAction>, problem: Option<String>| {
                    let Some(shared) = weak.upgrade() else {
                        return;
                    };
                    {
                        let Ok(mut rt) = shared.try_borrow_mut() else {
                            return;
                        };
                        // Stopped meanwhile: the call was cancelled, not failed.
                        if rt.generation != generation {
                            return;
                        }
                        if let Some(problem) = problem {
                            warn(&problem);
                        }
                        rt.busy = false;
                        rt.in_flight = None;
                        for message in messages.into_iter().rev() {
                            rt.queue.push_front(message);
                        }
                    }
                    drain(&shared);
                };
                run_external_service(&service, action, controller, Box::new(done));
                return;
            }
        };
        match to_js(&action) {
            Ok(value) => {
                if let Err(e) = call(&on_action, &JsValue::UNDEFINED, &[&value]) {
                    warn_value("onAction threw", &e);
                }
            }
            Err(e) => warn_value("could not convert an action", &e),
        }
        if let Ok(mut rt) = shared.try_borrow_mut() {
            rt.delivering = false;
        }
    }
}

fn location_changed(shared: &Shared) {
    let watching = shared.try_borrow().map(|rt| rt.watching).unwrap_or(false);
    if let (true, Some(url)) = (watching, location_href()) {
        if let Err(e) = dispatch(shared, LivechatEvent::Navigate(&url)) {
            warn_value("navigation not handled", &e);
        }
    }
}

fn make_callbacks(weak: &Weak<RefCell<Runtime>>) -> Callbacks {
    let w = weak.clone();
    let timer = Closure::new(move || {
        if let Some(rt) = w.upgrade() {
            if let Ok(mut r) = rt.try_borrow_mut() {
                r.timer = None;
            }
            if let Err(e) = dispatch(&rt, LivechatEvent::Tick) {
                warn_value("timer not handled", &e);
            }
        }
    });
    let w = weak.clone();
    let location = Closure::new(move |_event: JsValue| {
        if let Some(rt) = w.upgrade() {
            location_changed(&rt);
        }
    });
    let w = weak.clone();
    let visibility = Closure::new(move |_event: JsValue| {
        if let Some(rt) = w.upgrade() {
            let visible = !document_hidden();
            if let Err(e) = dispatch(&rt, LivechatEvent::Visibility(visible)) {
                warn_value("visibility change not handled", &e);
            }
        }
    });
    Callbacks {
        timer,
        location,
        visibility,
        push_state: HistoryHook::new("pushState", weak.clone()),
        replace_state: HistoryHook::new("replaceState", weak.clone()),
    }
}

/// The browser runtime: watches the page, keeps one timer, persists the
/// state and calls `onAction` with each action due.
#[wasm_bindgen]
pub struct LivechatTriggers {
    shared: Shared,
}

#[wasm_bindgen]
impl LivechatTriggers {
    /// Compiles the triggers (invalid ones are listed in `invalid` and
    /// logged) and checks the options; nothing is watched until `start()`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "unknown[]")] triggers: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LivechatTriggersOptions")] options: JsValue,
    ) -> Result<LivechatTriggers, JsValue> {
        let on_action = property(&options, "onAction")
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| {
                livechat_error("invalid_argument", "options.onAction: expected a function")
            })?;
        let storage = Storage::from_option(property(&options, "storage"))?;
        let parent_url = match property(&options, "parentUrl") {
            None => None,
            Some(v) => Some(v.as_string().ok_or_else(|| {
                livechat_error("invalid_argument", "options.parentUrl: expected a string")
            })?),
        };
        let external = ExternalService::from_option(property(&options, "externalService"))?;
        let (engine, report) = build_engine(&triggers, None)?;
        for bad in &report.invalid {
            let mut text = format!("trigger {} will never fire: ", bad.index);
            for (i, e) in bad.errors.iter().enumerate() {
                let separator = if i == 0 { "" } else { "; " };
                text.push_str(&format!(
                    "{separator}{} ({} at {})",
                    e.message, e.code, e.path
                ));
            }
            warn(&text);
        }
        let shared = Rc::new_cyclic(|weak| {
            RefCell::new(Runtime {
                engine,
                report,
                on_action,
                storage,
                seen: None,
                parent_url,
                external,
                callbacks: Some(make_callbacks(weak)),
                started: false,
                watching: false,
                timer: None,
                queue: VecDeque::new(),
                busy: false,
                delivering: false,
                in_flight: None,
                generation: 0,
            })
        });
        Ok(LivechatTriggers { shared })
    }

    /// Starts a page view at `parentUrl` or `location.href`, hooks the page
    /// and delivers what is due. Calling it again while started does nothing.
    pub fn start(&self) -> Result<(), JsValue> {
        let url = {
            let mut rt = self
                .shared
                .try_borrow_mut()
                .map_err(|_| livechat_error("busy", "the runtime is handling an event"))?;
            if rt.started {
                return Ok(());
            }
            let url = rt
                .parent_url
                .clone()
                .or_else(location_href)
                .ok_or_else(|| {
                    livechat_error(
                        "no_location",
                        "no location.href here: pass options.parentUrl",
                    )
                })?;
            rt.started = true;
            rt.install();
            url
        };
        dispatch(&self.shared, LivechatEvent::Start(&url))?;
        if document_hidden() {
            dispatch(&self.shared, LivechatEvent::Visibility(false))?;
        }
        Ok(())
    }

    /// A navigation the runtime cannot see itself (the parent page of an
    /// iframe, or a custom router).
    pub fn navigate(&self, url: &str) -> Result<(), JsValue> {
        if let Ok(mut rt) = self.shared.try_borrow_mut() {
            if rt.parent_url.is_some() {
                rt.parent_url = Some(url.to_owned());
            }
        }
        dispatch(&self.shared, LivechatEvent::Navigate(url))
    }

    /// The visitor opened the chat window.
    #[wasm_bindgen(js_name = chatOpened)]
    pub fn chat_opened(&self) -> Result<(), JsValue> {
        dispatch(&self.shared, LivechatEvent::ChatOpened)
    }

    /// The visitor registered as a guest.
    #[wasm_bindgen(js_name = guestRegistered)]
    pub fn guest_registered(&self) -> Result<(), JsValue> {
        dispatch(&self.shared, LivechatEvent::GuestRegistered)
    }

    /// Removes every hook, listener and timer added by `start()`, cancels a
    /// running external-service call and drops undelivered actions.
    pub fn stop(&self) -> Result<(), JsValue> {
        let mut rt = self
            .shared
            .try_borrow_mut()
            .map_err(|_| livechat_error("busy", "the runtime is handling an event"))?;
        if rt.started {
            rt.persist();
            rt.uninstall();
        }
        Ok(())
    }

    /// Triggers that will never fire, and why.
    #[wasm_bindgen(getter, unchecked_return_type = "InvalidTrigger[]")]
    pub fn invalid(&self) -> Result<JsValue, JsValue> {
        let rt = self
            .shared
            .try_borrow()
            .map_err(|_| livechat_error("busy", "the runtime is handling an event"))?;
        to_js(&rt.report.invalid)
    }

    /// The current persisted state.
    #[wasm_bindgen(unchecked_return_type = "LivechatState")]
    pub fn state(&self) -> Result<JsValue, JsValue> {
        let rt = self
            .shared
            .try_borrow()
            .map_err(|_| livechat_error("busy", "the runtime is handling an event"))?;
        to_js(rt.engine.state())
    }

    /// Why each trigger fired or not now (`Date.now()`), in the order
    /// given, as `LivechatEngine.explain`. Changes nothing.
    #[wasm_bindgen(unchecked_return_type = "LivechatExplanation[]")]
    pub fn explain(&self) -> Result<JsValue, JsValue> {
        let rt = self
            .shared
            .try_borrow()
            .map_err(|_| livechat_error("busy", "the runtime is handling an event"))?;
        to_js(&rt.engine.explain(now_ms()))
    }
}

/// What a use-external-service call ends with: the send-message actions to
/// deliver (the service's contents in `order`, or the fallback message) and,
/// when the call failed, what to tell the console.
type ServiceDone = Box<dyn FnOnce(Vec<LivechatAction>, Option<String>)>;

/// Runs a use-external-service action and hands `done` its outcome, always
/// later, from a promise reaction (never before this returns).
fn run_external_service(
    service: &ExternalService,
    action: LivechatAction,
    controller: Option<AbortController>,
    done: ServiceDone,
) {
    let LivechatAction::UseExternalService {
        trigger_id,
        sender,
        agent_name,
        service_timeout,
        service_fallback_message,
        ..
    } = action
    else {
        return done(Vec::new(), None);
    };
    let timeout = service_timeout
        .filter(|t| t.is_finite() && *t > 0.0)
        .or(service.timeout_ms)
        .unwrap_or(DEFAULT_SERVICE_TIMEOUT_MS);
    let url = format!(
        "{}{}",
        service.server_url,
        external_service_path(&trigger_id)
    );
    let finish = move |result: Result<Vec<String>, ServiceFailure>| {
        let message = |msg: String| LivechatAction::SendMessage {
            trigger_id: Some(trigger_id.clone()),
            sender: sender.unwrap_or(Sender::Queue),
            agent_name: agent_name.clone(),
            msg,
        };
        match result {
            Ok(contents) => done(contents.into_iter().map(message).collect(), None),
            Err(ServiceFailure {
                reason,
                server_fallback,
            }) => {
                let context = format!("external service of trigger {trigger_id}: {reason}");
                match service_fallback_message.or(server_fallback) {
                    Some(fallback) => done(
                        vec![message(fallback)],
                        Some(format!("{context}; showing the fallback message")),
                    ),
                    None => done(Vec::new(), Some(format!("{context}; no fallback message"))),
                }
            }
        }
    };
    call_external_service(service, &url, timeout, controller, Box::new(finish));
}

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (browsers and Node): called directly, as the two
    /// requests here need no more, which keeps an HTTP crate out of the wasm.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &js_sys::Object) -> Result<Promise, JsValue>;
    type FetchResponse;
    #[wasm_bindgen(method, getter)]
    fn status(this: &FetchResponse) -> u16;
    #[wasm_bindgen(method, catch)]
    fn text(this: &FetchResponse) -> Result<Promise, JsValue>;
    /// A promise, seen only for its `then`.
    type Thenable;
    /// `promise.then(f)`, with `f` a function that frees itself when called.
    #[wasm_bindgen(method, js_name = then)]
    fn then_once(this: &Thenable, f: &JsValue);
}

/// Calls `done` with the promise's value or rejection reason once it
/// settles. `Promise.allSettled` never rejects, so a single callback serves
/// both outcomes and is always called, which frees it (of a `then(ok, err)`
/// pair, the one never called would stay allocated).
fn on_settled(promise: &Promise, done: Box<dyn FnOnce(Result<JsValue, JsValue>)>) {
    let settled = Promise::all_settled(&js_array(&[promise.as_ref()]));
    let settled: &Thenable = settled.unchecked_ref();
    settled.then_once(&Closure::once_into_js(move |outcomes: JsValue| {
        let outcome = outcomes.unchecked_ref::<Array>().get(0);
        let field = |name: &str| Reflect::get(&outcome, &name.into()).unwrap_or_default();
        done(if field("status") == "fulfilled" {
            Ok(field("value"))
        } else {
            Err(field("reason"))
        })
    }));
}

/// The status and body text of an HTTP answer.
struct HttpAnswer {
    status: u16,
    text: String,
}

/// Why an HTTP exchange failed, as the JS error's `toString()`.
enum HttpFailure {
    /// No answer: network error, refused URL, or aborted.
    Send(String),
    /// The answer's body could not be read.
    Read(String),
}

/// `String(error)` for an `Error` (`TypeError: Failed to fetch`), else the
/// value's own string, so a console message names what went wrong.
fn js_error_text(value: &JsValue) -> String {
    match value.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.to_string()),
        None => value
            .as_string()
            .unwrap_or_else(|| "the request failed".to_owned()),
    }
}

/// Where an HTTP exchange's outcome goes.
type HttpDone = Box<dyn FnOnce(Result<HttpAnswer, HttpFailure>)>;

/// `fetch(url, {method, headers, body, signal})`, then the body as text,
/// handed to `done` from a promise reaction. A body is sent as
/// `application/json`.
fn http(
    method: &str,
    url: &str,
    body: Option<&str>,
    signal: Option<&web_sys::AbortSignal>,
    done: HttpDone,
) {
    let init = js_sys::Object::new();
    // Reflect::set on a fresh plain object cannot fail.
    let _ = Reflect::set(&init, &"method".into(), &method.into());
    if let Some(body) = body {
        let headers = js_sys::Object::new();
        let _ = Reflect::set(&headers, &"Content-Type".into(), &"application/json".into());
        let _ = Reflect::set(&init, &"headers".into(), &headers);
        let _ = Reflect::set(&init, &"body".into(), &body.into());
    }
    if let Some(signal) = signal {
        let _ = Reflect::set(&init, &"signal".into(), signal);
    }
    // A synchronous throw (no `fetch` here) goes the way of a rejection, so
    // `done` never runs inside the caller.
    let sent = global_fetch(url, &init).unwrap_or_else(|e| Promise::reject(&e));
    on_settled(
        &sent,
        Box::new(move |response| {
            let response: FetchResponse = match response {
                Ok(response) => response.unchecked_into(),
                Err(e) => return done(Err(HttpFailure::Send(js_error_text(&e)))),
            };
            let status = response.status();
            let read = response.text().unwrap_or_else(|e| Promise::reject(&e));
            on_settled(
                &read,
                Box::new(move |text| {
                    done(match text {
                        Ok(text) => Ok(HttpAnswer {
                            status,
                            text: text.as_string().unwrap_or_default(),
                        }),
                        Err(e) => Err(HttpFailure::Read(js_error_text(&e))),
                    })
                }),
            );
        }),
    );
}

/// POSTs the call to `url` and hands `done` the messages sorted by `order`,
/// or why not (and the server's own fallback message, when its error
/// carried one).
fn call_external_service(
    service: &ExternalService,
    url: &str,
    timeout_ms: f64,
    controller: Option<AbortController>,
    done: Box<dyn FnOnce(Result<Vec<String>, ServiceFailure>)>,
) {
    let signal = controller.as_ref().map(|c| c.signal());
    let sent_signal = signal.clone();
    // The timer calls the controller's own `abort`, bound to it: no Rust
    // closure that a cleared timer would leave allocated.
    let timer = controller.as_ref().and_then(|c| {
        let abort: Function = property(c, "abort")?.dyn_into().ok()?;
        let delay = timeout_ms.min(MAX_TIMER_DELAY_MS as f64);
        Some(set_timeout(&abort.bind0(c), delay))
    });
    let mut body = json::Map::new();
    body.insert("extraData".to_owned(), Value::Array(Vec::new()));
    body.insert("token".to_owned(), Value::String(service.token.clone()));
    let body = crate::livechat::write_json(&Value::Object(body));
    let answered = move |answer: Result<HttpAnswer, HttpFailure>| {
        if let Some(id) = timer {
            clear_timeout(&id);
        }
        let result = answer
            .map_err(|e| {
                let aborted = signal.as_ref().is_some_and(|s| s.aborted());
                let reason = if aborted {
                    format!(
                        "no answer within {} ms",
                        crate::livechat::decimal(timeout_ms as u64)
                    )
                } else {
                    match e {
                        HttpFailure::Send(e) => format!("network error: {e}"),
                        HttpFailure::Read(e) => format!("response not read: {e}"),
                    }
                };
                ServiceFailure::new(reason)
            })
            .and_then(|answer| parse_service_response(answer.status, &answer.text));
        done(result)
    };
    http(
        "POST",
        url,
        Some(&body),
        sent_signal.as_ref(),
        Box::new(answered),
    );
}

struct TriggerList {
    triggers: Vec<RocketChatTrigger>,
    invalid: Vec<InvalidTrigger>,
}

impl json::ToJson for TriggerList {
    fn to_json(&self) -> json::Value {
        let mut object = json::Map::new();
        object.insert("triggers".to_owned(), self.triggers.to_json());
        object.insert("invalid".to_owned(), self.invalid.to_json());
        json::Value::Object(object)
    }
}

fn fetch_error(code: &str, message: &str, status: Option<u16>) -> JsValue {
    let extra: Vec<(&str, JsValue)> = status
        .map(|s| vec![("status", JsValue::from(s))])
        .unwrap_or_default();
    js_error("LivechatError", code, message, &extra)
}

/// Reads the livechat triggers from GET {serverUrl}/api/v1/livechat/config,
/// validated: invalid triggers are listed, not thrown.
#[wasm_bindgen(
    js_name = fetchLivechatTriggers,
    unchecked_return_type = "Promise<LivechatTriggerList>"
)]
pub fn fetch_livechat_triggers(#[wasm_bindgen(js_name = serverUrl)] server_url: &str) -> Promise {
    let url = format!(
        "{}/api/v1/livechat/config",
        server_url.trim_end_matches('/')
    );
    Promise::new(&mut |resolve, reject| {
        let target = url.clone();
        let answered = move |answer| {
            let _ = match read_config(&target, answer) {
                Ok(list) => call(&resolve, &JsValue::UNDEFINED, &[&list]),
                Err(e) => call(&reject, &JsValue::UNDEFINED, &[&e]),
            };
        };
        http("GET", &url, None, None, Box::new(answered));
    })
}

/// The trigger list of the config answer from `url`, or the LivechatError
/// to reject with.
fn read_config(url: &str, answer: Result<HttpAnswer, HttpFailure>) -> Result<JsValue, JsValue> {
    let HttpAnswer { status, text } = answer.map_err(|e| {
        let (HttpFailure::Send(e) | HttpFailure::Read(e)) = e;
        fetch_error("network_error", &format!("GET {url}: {e}"), None)
    })?;
    if !(200..300).contains(&status) {
        return Err(fetch_error(
            "http_error",
            &format!("GET {url}: HTTP {}", u32::from(status)),
            Some(status),
        ));
    }
    let answer = crate::livechat::parse_json(&text).map_err(|_| {
        fetch_error(
            "invalid_response",
            &format!("GET {url}: the body is not JSON"),
            Some(status),
        )
    })?;
    let triggers = answer
        .get("config")
        .and_then(|c| c.get("triggers"))
        .and_then(Value::as_array)
        .ok_or_else(|| {
            fetch_error(
                "invalid_response",
                &format!("GET {url}: no config.triggers array"),
                Some(status),
            )
        })?;
    let (triggers, invalid) = check_triggers(triggers);
    to_js(&TriggerList { triggers, invalid })
}
