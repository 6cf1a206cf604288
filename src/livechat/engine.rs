//! The livechat trigger state machine: triggers compiled once, then events
//! (each with the time in ms) in, actions due now and the next wake-up time
//! out. See the module documentation of [`crate::livechat`] for the rules.

use super::pattern::Pattern;
use super::state::{LivechatState, Visit};
use crate::formats::rocketchat::{
    ActionName, ActionParams, ConditionName, ConditionValue, RocketChatAction, RocketChatTrigger,
    Sender,
};
use crate::issue::{Issue, Issues, Pointer};
use crate::json::{self, js_number_string, Value};
use crate::validate::validate_rocketchat_trigger;
use serde::Serialize;

/// While the page is visible and some trigger waits on time, the engine asks
/// to be woken at least this often, so an idle but open page keeps its visit
/// alive and a machine that slept is noticed as a gap.
pub const HEARTBEAT_MS: u64 = 10 * 60 * 1000;

/// Something the embedder must do now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    all(target_arch = "wasm32", feature = "livechat"),
    derive(tsify::Tsify)
)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum LivechatAction {
    /// Show `msg` to the visitor. It is plain text: render it as text, never as HTML.
    #[serde(rename_all = "camelCase")]
    SendMessage {
        /// The trigger's `_id`, when it has one.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "livechat"), tsify(optional))]
        trigger_id: Option<String>,
        /// `queue`: the next available agent speaks; `custom`: `agentName` does.
        sender: Sender,
        /// The agent or bot name of a `custom` sender.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "livechat"), tsify(optional))]
        agent_name: Option<String>,
        /// The message, plain text.
        msg: String,
    },
    /// Ask the Rocket.Chat server to call the trigger's external service and
    /// show the messages it returns (the browser runtime does this itself
    /// when given `externalService` options).
    #[serde(rename_all = "camelCase")]
    UseExternalService {
        /// The trigger's `_id`, part of the call's URL.
        trigger_id: String,
        /// Who speaks the returned messages.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "livechat"), tsify(optional))]
        sender: Option<Sender>,
        /// The agent or bot name of a `custom` sender.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "livechat"), tsify(optional))]
        agent_name: Option<String>,
        /// The service the server calls (informational; the server has it too).
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "livechat"), tsify(optional))]
        service_url: Option<String>,
        /// Milliseconds to wait for the service.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "livechat"), tsify(optional))]
        service_timeout: Option<f64>,
        /// Plain text shown when the call times out or fails.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(all(target_arch = "wasm32", feature = "livechat"), tsify(optional))]
        service_fallback_message: Option<String>,
    },
}

/// The outcome of one event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    all(target_arch = "wasm32", feature = "livechat"),
    derive(tsify::Tsify)
)]
#[serde(rename_all = "camelCase")]
pub struct LivechatStep {
    /// Actions due now, in trigger order, each trigger's actions in order.
    pub actions: Vec<LivechatAction>,
    /// When to call `tick` next (epoch ms), or null when only an event can
    /// make anything happen.
    #[cfg_attr(
        all(target_arch = "wasm32", feature = "livechat"),
        tsify(type = "number | null")
    )]
    pub next_wake_at: Option<u64>,
}

/// A trigger the engine will not run, with every reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    all(target_arch = "wasm32", feature = "livechat"),
    derive(tsify::Tsify)
)]
pub struct InvalidTrigger {
    /// Position in the list given.
    pub index: usize,
    /// Why, located by JSON Pointer inside that trigger.
    pub errors: Vec<Issue>,
}

/// What loading triggers and stored state found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadReport {
    /// Triggers that will never fire, and why.
    pub invalid: Vec<InvalidTrigger>,
    /// Problems that did not stop anything (stored state discarded, ...).
    pub warnings: Vec<Issue>,
}

/// Errors of the livechat engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LivechatError {
    /// An event other than `start` came before `start`.
    NotStarted,
}

impl LivechatError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            LivechatError::NotStarted => "not_started",
        }
    }
}

impl std::fmt::Display for LivechatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LivechatError::NotStarted => f.write_str("call start(url) before any other event"),
        }
    }
}

/// An input to the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LivechatEvent<'a> {
    /// A page load at this URL (a reload is a new start).
    Start(&'a str),
    /// A single-page-app navigation (or the parent page's, for an iframe).
    Navigate(&'a str),
    /// The wake-up time asked for has come (or any time: ticks are harmless).
    Tick,
    /// The visitor opened the chat window.
    ChatOpened,
    /// The visitor registered as a guest.
    GuestRegistered,
    /// The page became visible (`true`) or hidden (`false`).
    Visibility(bool),
}

#[derive(Debug, Clone)]
pub(super) struct CompiledTrigger {
    key: String,
    pub(super) run_once: bool,
    /// The largest time-on-site threshold, in ms.
    pub(super) time_ms: Option<u64>,
    pub(super) patterns: Vec<usize>,
    pub(super) chat_opened: bool,
    pub(super) guest_registered: bool,
    actions: Vec<LivechatAction>,
}

#[derive(Debug, Clone)]
pub(super) struct PageView {
    pub(super) url: String,
    /// Per trigger: when it fired in this page view.
    pub(super) fired: Vec<Option<u64>>,
    pub(super) chat_opened: bool,
    pub(super) guest_registered: bool,
}

/// What loading made of one trigger of the list given.
#[derive(Debug, Clone)]
pub(super) enum Listed {
    /// Enabled and valid: this index into the compiled triggers.
    Compiled(usize),
    /// Valid but disabled.
    Disabled,
    /// Invalid, with the code of its first error.
    Invalid(String),
}

/// The livechat trigger engine (pure: time is always passed in).
#[derive(Debug, Clone)]
pub struct LivechatEngine {
    pub(super) triggers: Vec<CompiledTrigger>,
    patterns: Vec<Pattern>,
    /// (source, index into `patterns`), sorted by source: for `explain`.
    pub(super) pattern_sources: Vec<(String, usize)>,
    pub(super) pattern_hits: Vec<bool>,
    has_timed: bool,
    pub(super) state: LivechatState,
    /// Per trigger: its run-once record exists (mirror of `state`, for speed).
    pub(super) fired_once: Vec<bool>,
    pub(super) view: Option<PageView>,
    visible: bool,
    /// Every trigger given, in order, with its `_id` (if it has a string one).
    pub(super) listed: Vec<(Option<String>, Listed)>,
}

impl LivechatEngine {
    /// Compiles `triggers` (each a normalized `RocketChatTrigger`, a raw body
    /// of POST /api/v1/livechat/triggers, or an entry of GET
    /// /api/v1/livechat/config) and restores `stored_state` (the value of
    /// [`LivechatEngine::state`] or its JSON text). Invalid triggers and
    /// unusable state are reported, never fatal.
    pub fn new(triggers: &[Value], stored_state: Option<&Value>) -> (LivechatEngine, LoadReport) {
        let mut report = LoadReport::default();
        let mut compiled = Vec::new();
        let mut listed = Vec::new();
        let mut patterns = PatternSet::default();
        for (index, value) in triggers.iter().enumerate() {
            match compile_trigger(value, &mut patterns) {
                Ok((trigger, c)) => {
                    let id = trigger.id.flatten();
                    if trigger.enabled {
                        listed.push((id, Listed::Compiled(compiled.len())));
                        compiled.push(c);
                    } else {
                        listed.push((id, Listed::Disabled));
                    }
                }
                Err(errors) => {
                    let id = value
                        .as_object()
                        .and_then(|o| o.get("_id"))
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    let code = errors.first().map(|e| e.code.clone()).unwrap_or_default();
                    listed.push((id, Listed::Invalid(code)));
                    report.invalid.push(InvalidTrigger { index, errors });
                }
            }
        }
        let state = match stored_state {
            None | Some(Value::Null) => LivechatState::default(),
            Some(value) => {
                let parsed = match value {
                    Value::String(text) => LivechatState::from_json_str(text),
                    other => LivechatState::from_json(other),
                };
                parsed.unwrap_or_else(|reason| {
                    report.warnings.push(Issue {
                        path: String::new(),
                        code: "state_discarded".to_owned(),
                        message: format!("{reason}; starting afresh"),
                    });
                    LivechatState::default()
                })
            }
        };
        let has_timed = compiled.iter().any(|t| t.time_ms.is_some());
        let mut engine = LivechatEngine {
            pattern_sources: patterns.index,
            listed,
            pattern_hits: vec![false; patterns.patterns.len()],
            fired_once: Vec::new(),
            triggers: compiled,
            patterns: patterns.patterns,
            has_timed,
            state,
            view: None,
            visible: true,
        };
        engine.sync_fired_once();
        (engine, report)
    }

    /// The state to persist.
    pub fn state(&self) -> &LivechatState {
        &self.state
    }

    /// Folds in state written elsewhere (another tab, an earlier page).
    pub fn merge_state(&mut self, other: &LivechatState) {
        if other.fired_run_once.is_empty() && other.visit == self.state.visit {
            return;
        }
        self.state.merge(other);
        self.sync_fired_once();
    }

    /// Records that the trigger at `index` of the list given is invalid with
    /// `code` (a binding that could not even convert it says why).
    pub fn set_invalid(&mut self, index: usize, code: &str) {
        if let Some(slot) = self.listed.get_mut(index) {
            slot.1 = Listed::Invalid(code.to_owned());
        }
    }

    /// How many triggers can fire (enabled and valid).
    pub fn trigger_count(&self) -> usize {
        self.triggers.len()
    }

    fn sync_fired_once(&mut self) {
        let state = &self.state;
        self.fired_once = self
            .triggers
            .iter()
            .map(|t| t.run_once && state.has_fired(&t.key))
            .collect();
    }

    /// Feeds one event at time `now` (epoch ms).
    pub fn handle(
        &mut self,
        event: LivechatEvent<'_>,
        now: u64,
    ) -> Result<LivechatStep, LivechatError> {
        match event {
            LivechatEvent::Start(url) => {
                self.visible = true;
                self.new_page_view(url);
                self.activity(now);
            }
            LivechatEvent::Navigate(url) => {
                let view = self.view.as_ref().ok_or(LivechatError::NotStarted)?;
                if view.url != url {
                    self.new_page_view(url);
                }
                self.activity(now);
            }
            LivechatEvent::Tick => {
                self.require_started()?;
                if self.visible {
                    self.activity(now);
                } else if self.state.visit.is_some_and(|v| !v.alive_at(now)) {
                    // A hidden tab woke after the visitor left: that visit is
                    // over, and nothing starts a new one until they are back.
                    self.state.visit = None;
                }
            }
            LivechatEvent::ChatOpened => {
                self.view_mut()?.chat_opened = true;
                self.activity(now);
            }
            LivechatEvent::GuestRegistered => {
                self.view_mut()?.guest_registered = true;
                self.activity(now);
            }
            LivechatEvent::Visibility(visible) => {
                self.require_started()?;
                // Becoming hidden still means the visitor was here until now.
                if visible || self.visible {
                    self.activity(now);
                }
                self.visible = visible;
            }
        }
        Ok(self.evaluate(now))
    }

    fn require_started(&self) -> Result<(), LivechatError> {
        self.view
            .as_ref()
            .map(|_| ())
            .ok_or(LivechatError::NotStarted)
    }

    fn view_mut(&mut self) -> Result<&mut PageView, LivechatError> {
        self.view.as_mut().ok_or(LivechatError::NotStarted)
    }

    fn new_page_view(&mut self, url: &str) {
        for (hit, pattern) in self.pattern_hits.iter_mut().zip(&self.patterns) {
            *hit = pattern.is_match(url);
        }
        self.view = Some(PageView {
            url: url.to_owned(),
            fired: vec![None; self.triggers.len()],
            chat_opened: false,
            guest_registered: false,
        });
    }

    /// The visitor is present at `now`: extend the visit or begin a new one.
    fn activity(&mut self, now: u64) {
        self.state.visit = Some(match self.state.visit {
            Some(v) if v.alive_at(now) => Visit {
                start: v.start,
                last_activity: v.last_activity.max(now),
            },
            _ => Visit {
                start: now,
                last_activity: now,
            },
        });
    }

    fn evaluate(&mut self, now: u64) -> LivechatStep {
        let mut actions = Vec::new();
        let mut wake: Option<u64> = None;
        let visit = self.state.visit;
        let Some(view) = self.view.as_mut() else {
            return LivechatStep {
                actions,
                next_wake_at: None,
            };
        };
        for (i, trigger) in self.triggers.iter().enumerate() {
            let done = view.fired.get(i).is_none_or(Option::is_some)
                || self.fired_once.get(i).copied().unwrap_or(false);
            if done
                || (trigger.chat_opened && !view.chat_opened)
                || (trigger.guest_registered && !view.guest_registered)
                || !trigger
                    .patterns
                    .iter()
                    .all(|&p| self.pattern_hits.get(p).copied().unwrap_or(false))
            {
                continue;
            }
            if let Some(ms) = trigger.time_ms {
                let Some(visit) = visit else { continue };
                let due = visit.start.saturating_add(ms);
                if now < due {
                    wake = Some(wake.map_or(due, |w| w.min(due)));
                    continue;
                }
            }
            if let Some(slot) = view.fired.get_mut(i) {
                *slot = Some(now);
            }
            if trigger.run_once {
                self.state.record_fired(&trigger.key);
                if let Some(slot) = self.fired_once.get_mut(i) {
                    *slot = true;
                }
            }
            actions.extend(trigger.actions.iter().cloned());
        }
        if let (true, true, Some(visit)) = (self.visible, self.has_timed, visit) {
            let beat = visit.last_activity.saturating_add(HEARTBEAT_MS);
            wake = Some(wake.map_or(beat, |w| w.min(beat)));
        }
        LivechatStep {
            actions,
            next_wake_at: wake,
        }
    }
}

/// The distinct patterns of a trigger list, each compiled once however many
/// triggers use it (a sorted index instead of a hash map keeps the wasm small).
#[derive(Default)]
struct PatternSet {
    patterns: Vec<Pattern>,
    /// (source, index into `patterns`), sorted by source.
    index: Vec<(String, usize)>,
}

impl PatternSet {
    fn intern(&mut self, source: String) -> Result<usize, super::pattern::PatternError> {
        match self
            .index
            .binary_search_by(|(s, _)| s.as_str().cmp(&source))
        {
            Ok(found) => Ok(self.index.get(found).map_or(0, |(_, p)| *p)),
            Err(slot) => {
                let pattern = Pattern::compile(&source)?;
                let p = self.patterns.len();
                self.patterns.push(pattern);
                self.index.insert(slot, (source, p));
                Ok(p)
            }
        }
    }
}

/// Validates and normalizes triggers the way the engine does (normalized,
/// raw server JSON or config entries), keeping those that can fire when
/// enabled and listing the others with every reason.
pub fn check_triggers(triggers: &[Value]) -> (Vec<RocketChatTrigger>, Vec<InvalidTrigger>) {
    let (mut valid, mut invalid) = (Vec::new(), Vec::new());
    let mut patterns = PatternSet::default();
    for (index, value) in triggers.iter().enumerate() {
        match compile_trigger(value, &mut patterns) {
            Ok((trigger, _)) => valid.push(trigger),
            Err(errors) => invalid.push(InvalidTrigger { index, errors }),
        }
    }
    (valid, invalid)
}

/// Brings one input trigger to its normalized form and compiles it.
fn compile_trigger(
    value: &Value,
    patterns: &mut PatternSet,
) -> Result<(RocketChatTrigger, CompiledTrigger), Vec<Issue>> {
    let trigger = normalize(value)?;
    let mut issues = Issues::new();
    let root = Pointer::root();
    let id = trigger.id.clone().flatten();
    let key = id.clone().unwrap_or_else(|| content_key(&trigger));
    let mut compiled = CompiledTrigger {
        key,
        run_once: trigger.run_once,
        time_ms: None,
        patterns: Vec::new(),
        chat_opened: false,
        guest_registered: false,
        actions: Vec::new(),
    };
    for (i, condition) in trigger.conditions.iter().enumerate() {
        let at = root.key("conditions").index(i).key("value");
        let value = condition.value.as_ref();
        match condition.name {
            ConditionName::TimeOnSite => match seconds(value) {
                Some(s) => {
                    let ms = (s * 1000.0).round() as u64;
                    compiled.time_ms = Some(compiled.time_ms.map_or(ms, |t| t.max(ms)));
                }
                None => issues.error(
                    &at,
                    "time_on_site_invalid",
                    "time-on-site needs a number of seconds, zero or more",
                ),
            },
            ConditionName::PageUrl => match patterns.intern(pattern_source(value)) {
                Ok(p) => compiled.patterns.push(p),
                Err(e) => issues.error(&at, e.code(), e.to_string()),
            },
            ConditionName::ChatOpenedByVisitor => compiled.chat_opened = true,
            ConditionName::AfterGuestRegistration => compiled.guest_registered = true,
        }
    }
    for (i, action) in trigger.actions.iter().enumerate() {
        let at = root.key("actions").index(i);
        match compile_action(action, id.as_deref()) {
            Ok(a) => compiled.actions.push(a),
            Err((field, code, message)) => issues.error(&at.key(field), code, message),
        }
    }
    if issues.is_ok() {
        Ok((trigger, compiled))
    } else {
        Err(issues.errors)
    }
}

/// Accepts the stored form, the POST body and the config entry (which lists
/// only enabled triggers and omits name, description and enabled).
fn normalize(value: &Value) -> Result<RocketChatTrigger, Vec<Issue>> {
    let mut input = value.clone();
    if let Some(object) = input.as_object_mut() {
        // Server-managed, present in what GET /api/v1/livechat/triggers returns.
        object.remove("_updatedAt");
        if !["name", "description", "enabled"]
            .iter()
            .any(|k| object.contains_key(k))
        {
            object.insert("name".into(), Value::String(String::new()));
            object.insert("description".into(), Value::String(String::new()));
            object.insert("enabled".into(), Value::Bool(true));
        }
    }
    let result = validate_rocketchat_trigger(&input);
    match result.value {
        Some(trigger) if result.valid => Ok(trigger),
        _ => Err(result.errors),
    }
}

fn compile_action(
    action: &RocketChatAction,
    trigger_id: Option<&str>,
) -> Result<LivechatAction, (&'static str, &'static str, String)> {
    let empty = ActionParams::default();
    let params = action.params.as_ref().and_then(Option::as_ref);
    let params = params.unwrap_or(&empty);
    let agent_name = |sender: Option<Sender>| {
        (sender == Some(Sender::Custom))
            .then(|| params.name.clone())
            .flatten()
            .flatten()
            .filter(|n| !n.is_empty())
    };
    match action.name {
        ActionName::SendMessage => {
            let missing = |field: &'static str| {
                (
                    "params",
                    "action_params_missing",
                    format!("send-message needs params.{field}"),
                )
            };
            let sender = params.sender.ok_or_else(|| missing("sender"))?;
            let msg = params.msg.clone().ok_or_else(|| missing("msg"))?;
            Ok(LivechatAction::SendMessage {
                trigger_id: trigger_id.map(str::to_owned),
                sender,
                agent_name: agent_name(Some(sender)),
                msg,
            })
        }
        ActionName::UseExternalService => {
            let trigger_id = trigger_id.ok_or((
                "name",
                "trigger_id_missing",
                "use-external-service needs the trigger's _id: the server call is \
                 /api/v1/livechat/triggers/{_id}/external-service/call"
                    .to_owned(),
            ))?;
            Ok(LivechatAction::UseExternalService {
                trigger_id: trigger_id.to_owned(),
                sender: params.sender,
                agent_name: agent_name(params.sender),
                service_url: params.service_url.clone(),
                service_timeout: params.service_timeout,
                service_fallback_message: params.service_fallback_message.clone(),
            })
        }
    }
}

/// Seconds of a time-on-site condition: absent means 0, as in the widget.
fn seconds(value: Option<&ConditionValue>) -> Option<f64> {
    let s = match value {
        None => 0.0,
        Some(ConditionValue::Number(n)) => *n,
        // JSON number syntax.
        Some(ConditionValue::Text(t)) => super::parse_json(t.trim()).ok()?.as_f64()?,
    };
    (s.is_finite() && s >= 0.0).then_some(s)
}

/// The pattern text, as the widget builds it with `${value}`.
fn pattern_source(value: Option<&ConditionValue>) -> String {
    match value {
        None => String::new(),
        Some(ConditionValue::Text(t)) => t.clone(),
        Some(ConditionValue::Number(n)) => js_number_string(*n),
    }
}

/// A stable key for a trigger without `_id`: FNV-1a of its JSON (the text
/// serde_json wrote for it in earlier versions, so stored keys still match),
/// written without the nulls normalization keeps (`_id`, `params` and
/// `params.name`), which those versions left out.
fn content_key(trigger: &RocketChatTrigger) -> String {
    let mut value = json::ToJson::to_json(trigger);
    if let Some(object) = value.as_object_mut() {
        object.remove_null("_id");
        if let Some(Value::Array(actions)) = object.get_mut("actions") {
            for action in actions.iter_mut().filter_map(Value::as_object_mut) {
                action.remove_null("params");
                if let Some(params) = action.get_mut("params").and_then(Value::as_object_mut) {
                    params.remove_null("name");
                }
            }
        }
    }
    let text = super::write_json(&value);
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let digits = (0..16)
        .rev()
        .map(|i| super::hex_digit(hash >> (4 * i), b"0123456789abcdef"));
    std::iter::once('#').chain(digits).collect()
}
