//! Hand-written JSON forms ([`ToJson`]) of what the livechat bindings hand
//! to JavaScript and store: the Rocket.Chat trigger, validation results,
//! the engine's actions, steps, state and explanations. They give the same
//! values, member for member and in the same order, as the serde derives
//! through [`super::to_value`] (the tests below compare both); the livechat
//! wasm uses these instead, since one generic serializer instance per type
//! cost it more than building the values directly.

use super::{Map, Value};
use crate::formats::rocketchat::{
    ActionName, ActionParams, ConditionName, ConditionValue, RocketChatAction, RocketChatCondition,
    RocketChatTrigger, Sender,
};
use crate::issue::{Issue, ValidationResult};
use crate::livechat::engine::{InvalidTrigger, LivechatAction, LivechatStep};
use crate::livechat::explain::{LivechatExplanation, LivechatWaiting};
use crate::livechat::state::LivechatState;

/// A value with a JSON form built by hand.
pub trait ToJson {
    /// The JSON form.
    fn to_json(&self) -> Value;
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

/// An object under construction, members in the order added.
pub(crate) struct Members(Vec<(String, Value)>);

impl Members {
    pub(crate) fn new() -> Self {
        Members(Vec::new())
    }

    /// Adds member `key`.
    pub(crate) fn add(&mut self, key: &str, value: Value) -> &mut Self {
        self.0.push((key.to_owned(), value));
        self
    }

    /// Adds member `key` when there is a value.
    pub(crate) fn some(&mut self, key: &str, value: Option<Value>) -> &mut Self {
        if let Some(value) = value {
            self.add(key, value);
        }
        self
    }

    pub(crate) fn end(&mut self) -> Value {
        Value::Object(Map(std::mem::take(&mut self.0)))
    }
}

/// A string value.
pub(crate) fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// A string or null.
pub(crate) fn text_or_null(s: &Option<String>) -> Value {
    s.as_deref().map_or(Value::Null, text)
}

/// A whole number (as serde writes integers: converted to `f64`).
pub(crate) fn int(n: u64) -> Value {
    Value::Number(n as f64)
}

fn sender(s: Sender) -> Value {
    text(match s {
        Sender::Queue => "queue",
        Sender::Custom => "custom",
    })
}

impl ToJson for RocketChatTrigger {
    fn to_json(&self) -> Value {
        Members::new()
            .some("_id", self.id.as_ref().map(text_or_null))
            .add("name", text(&self.name))
            .add("description", text(&self.description))
            .add("enabled", Value::Bool(self.enabled))
            .add("runOnce", Value::Bool(self.run_once))
            .add("conditions", self.conditions.to_json())
            .add("actions", self.actions.to_json())
            .end()
    }
}

impl ToJson for RocketChatCondition {
    fn to_json(&self) -> Value {
        let name = match self.name {
            ConditionName::TimeOnSite => "time-on-site",
            ConditionName::PageUrl => "page-url",
            ConditionName::ChatOpenedByVisitor => "chat-opened-by-visitor",
            ConditionName::AfterGuestRegistration => "after-guest-registration",
        };
        let value = match &self.value {
            None => Value::Null,
            Some(ConditionValue::Number(n)) => Value::Number(*n),
            Some(ConditionValue::Text(t)) => text(t),
        };
        Members::new()
            .add("name", text(name))
            .add("value", value)
            .end()
    }
}

impl ToJson for RocketChatAction {
    fn to_json(&self) -> Value {
        let name = match self.name {
            ActionName::SendMessage => "send-message",
            ActionName::UseExternalService => "use-external-service",
        };
        let params = self
            .params
            .as_ref()
            .map(|p| p.as_ref().map_or(Value::Null, ToJson::to_json));
        Members::new()
            .add("name", text(name))
            .some("params", params)
            .end()
    }
}

impl ToJson for ActionParams {
    fn to_json(&self) -> Value {
        Members::new()
            .some("sender", self.sender.map(sender))
            .some("name", self.name.as_ref().map(text_or_null))
            .some("msg", self.msg.as_deref().map(text))
            .some("serviceUrl", self.service_url.as_deref().map(text))
            .some("serviceTimeout", self.service_timeout.map(Value::Number))
            .some(
                "serviceFallbackMessage",
                self.service_fallback_message.as_deref().map(text),
            )
            .end()
    }
}

impl ToJson for Issue {
    fn to_json(&self) -> Value {
        Members::new()
            .add("path", text(&self.path))
            .add("code", text(&self.code))
            .add("message", text(&self.message))
            .end()
    }
}

impl<T: ToJson> ToJson for ValidationResult<T> {
    fn to_json(&self) -> Value {
        Members::new()
            .add("valid", Value::Bool(self.valid))
            .add("errors", self.errors.to_json())
            .add("warnings", self.warnings.to_json())
            .some("value", self.value.as_ref().map(ToJson::to_json))
            .end()
    }
}

impl ToJson for InvalidTrigger {
    fn to_json(&self) -> Value {
        Members::new()
            .add("index", int(self.index as u64))
            .add("errors", self.errors.to_json())
            .end()
    }
}

impl ToJson for LivechatAction {
    fn to_json(&self) -> Value {
        let mut m = Members::new();
        match self {
            LivechatAction::SendMessage {
                trigger_id,
                sender: who,
                agent_name,
                msg,
            } => m
                .add("type", text("send-message"))
                .some("triggerId", trigger_id.as_deref().map(text))
                .add("sender", sender(*who))
                .some("agentName", agent_name.as_deref().map(text))
                .add("msg", text(msg)),
            LivechatAction::UseExternalService {
                trigger_id,
                sender: who,
                agent_name,
                service_url,
                service_timeout,
                service_fallback_message,
            } => m
                .add("type", text("use-external-service"))
                .add("triggerId", text(trigger_id))
                .some("sender", who.map(sender))
                .some("agentName", agent_name.as_deref().map(text))
                .some("serviceUrl", service_url.as_deref().map(text))
                .some("serviceTimeout", service_timeout.map(Value::Number))
                .some(
                    "serviceFallbackMessage",
                    service_fallback_message.as_deref().map(text),
                ),
        }
        .end()
    }
}

impl ToJson for LivechatStep {
    fn to_json(&self) -> Value {
        Members::new()
            .add("actions", self.actions.to_json())
            .add("nextWakeAt", self.next_wake_at.map_or(Value::Null, int))
            .end()
    }
}

impl ToJson for LivechatState {
    fn to_json(&self) -> Value {
        let visit = self.visit.map_or(Value::Null, |v| {
            Members::new()
                .add("start", int(v.start))
                .add("lastActivity", int(v.last_activity))
                .end()
        });
        let fired = self.fired_run_once.iter().map(|k| text(k)).collect();
        Members::new()
            .add("version", int(u64::from(self.version)))
            .add("visit", visit)
            .add("firedRunOnce", Value::Array(fired))
            .end()
    }
}

impl ToJson for LivechatExplanation {
    fn to_json(&self) -> Value {
        use LivechatExplanation as X;
        let (status, index, id) = self.head();
        let mut m = Members::new();
        m.add("status", text(status))
            .add("index", int(index as u64))
            .add("id", text_or_null(id));
        match self {
            X::Fired {
                fired_at, run_once, ..
            } => m
                .add("firedAt", int(*fired_at))
                .add("runOnce", Value::Bool(*run_once)),
            X::Pending { waiting, .. } => m.add("waiting", waiting.to_json()),
            X::Invalid { code, .. } => m.add("code", text(code)),
            X::Spent { .. } | X::Disabled { .. } => &mut m,
        };
        m.end()
    }
}

impl ToJson for LivechatWaiting {
    fn to_json(&self) -> Value {
        let mut m = Members::new();
        match self {
            LivechatWaiting::Start => m.add("condition", text("start")),
            LivechatWaiting::TimeOnSite {
                threshold_ms,
                remaining_ms,
                due_at,
            } => m
                .add("condition", text("time-on-site"))
                .add("thresholdMs", int(*threshold_ms))
                .add("remainingMs", int(*remaining_ms))
                .add("dueAt", due_at.map_or(Value::Null, int)),
            LivechatWaiting::PageUrl { pattern, url } => m
                .add("condition", text("page-url"))
                .add("pattern", text(pattern))
                .add("url", text_or_null(url)),
            LivechatWaiting::ChatOpenedByVisitor => {
                m.add("condition", text("chat-opened-by-visitor"))
            }
            LivechatWaiting::AfterGuestRegistration => {
                m.add("condition", text("after-guest-registration"))
            }
        };
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::livechat::state::Visit;
    use serde::Serialize;

    /// The hand-built form and the serde derive's agree, member order included.
    fn agree<T: ToJson + Serialize>(value: &T) {
        let derived = crate::json::to_value(value).expect("serializes");
        let built = value.to_json();
        assert_eq!(built, derived);
        // Order: the written texts are equal too.
        assert_eq!(
            crate::json::to_string(&built),
            crate::json::to_string(&derived)
        );
    }

    fn params(name: Option<Option<String>>) -> ActionParams {
        ActionParams {
            sender: Some(Sender::Custom),
            name,
            msg: Some("hi".into()),
            service_url: Some("https://example.com".into()),
            service_timeout: Some(1500.5),
            service_fallback_message: Some("sorry".into()),
        }
    }

    fn triggers() -> Vec<RocketChatTrigger> {
        let condition = |name, value| RocketChatCondition { name, value };
        let action = |name, params| RocketChatAction { name, params };
        vec![
            RocketChatTrigger {
                id: Some(Some("t1".into())),
                name: "n".into(),
                description: "d".into(),
                enabled: true,
                run_once: false,
                conditions: vec![
                    condition(ConditionName::TimeOnSite, Some(ConditionValue::Number(5.0))),
                    condition(
                        ConditionName::PageUrl,
                        Some(ConditionValue::Text("a".into())),
                    ),
                    condition(ConditionName::ChatOpenedByVisitor, None),
                    condition(ConditionName::AfterGuestRegistration, None),
                ],
                actions: vec![
                    action(ActionName::SendMessage, Some(Some(params(Some(None))))),
                    action(ActionName::UseExternalService, Some(None)),
                    action(ActionName::SendMessage, None),
                    action(
                        ActionName::SendMessage,
                        Some(Some(ActionParams {
                            sender: Some(Sender::Queue),
                            name: Some(Some("Bot".into())),
                            ..ActionParams::default()
                        })),
                    ),
                    action(ActionName::SendMessage, Some(Some(ActionParams::default()))),
                ],
            },
            RocketChatTrigger {
                id: Some(None),
                name: String::new(),
                description: String::new(),
                enabled: false,
                run_once: true,
                conditions: Vec::new(),
                actions: Vec::new(),
            },
            RocketChatTrigger {
                id: None,
                name: "x".into(),
                description: String::new(),
                enabled: true,
                run_once: true,
                conditions: Vec::new(),
                actions: vec![action(
                    ActionName::UseExternalService,
                    Some(Some(params(None))),
                )],
            },
        ]
    }

    fn issues() -> Vec<Issue> {
        vec![Issue {
            path: "/actions/0".into(),
            code: "c".into(),
            message: "m".into(),
        }]
    }

    #[test]
    fn rocketchat_triggers_and_validation_results_agree_with_serde() {
        agree(&triggers());
        for value in [None, triggers().pop()] {
            agree(&ValidationResult {
                valid: value.is_some(),
                errors: issues(),
                warnings: issues(),
                value,
            });
        }
        agree(&vec![InvalidTrigger {
            index: 3,
            errors: issues(),
        }]);
    }

    #[test]
    fn engine_actions_steps_and_state_agree_with_serde() {
        let actions = vec![
            LivechatAction::SendMessage {
                trigger_id: Some("t".into()),
                sender: Sender::Custom,
                agent_name: Some("Bot".into()),
                msg: "hi".into(),
            },
            LivechatAction::SendMessage {
                trigger_id: None,
                sender: Sender::Queue,
                agent_name: None,
                msg: String::new(),
            },
            LivechatAction::UseExternalService {
                trigger_id: "t".into(),
                sender: Some(Sender::Queue),
                agent_name: Some("a".into()),
                service_url: Some("u".into()),
                service_timeout: Some(f64::INFINITY),
                service_fallback_message: Some("f".into()),
            },
            LivechatAction::UseExternalService {
                trigger_id: "t".into(),
                sender: None,
                agent_name: None,
                service_url: None,
                service_timeout: None,
                service_fallback_message: None,
            },
        ];
        for next_wake_at in [None, Some(1_700_000_000_123)] {
            agree(&LivechatStep {
                actions: actions.clone(),
                next_wake_at,
            });
        }
        for visit in [
            None,
            Some(Visit {
                start: 1,
                last_activity: 1_700_000_000_000,
            }),
        ] {
            agree(&LivechatState {
                visit,
                fired_run_once: vec!["a".into(), "#00ff".into()],
                ..LivechatState::default()
            });
        }
    }

    #[test]
    fn explanations_agree_with_serde() {
        use LivechatExplanation as X;
        let waiting = vec![
            LivechatWaiting::Start,
            LivechatWaiting::TimeOnSite {
                threshold_ms: 5000,
                remaining_ms: 10,
                due_at: Some(99),
            },
            LivechatWaiting::TimeOnSite {
                threshold_ms: 5000,
                remaining_ms: 5000,
                due_at: None,
            },
            LivechatWaiting::PageUrl {
                pattern: "p".into(),
                url: Some("https://x/".into()),
            },
            LivechatWaiting::PageUrl {
                pattern: "p".into(),
                url: None,
            },
            LivechatWaiting::ChatOpenedByVisitor,
            LivechatWaiting::AfterGuestRegistration,
        ];
        agree(&vec![
            X::Fired {
                index: 0,
                id: Some("a".into()),
                fired_at: 12,
                run_once: true,
            },
            X::Pending {
                index: 1,
                id: None,
                waiting,
            },
            X::Pending {
                index: 2,
                id: None,
                waiting: Vec::new(),
            },
            X::Spent { index: 3, id: None },
            X::Disabled {
                index: 4,
                id: Some("d".into()),
            },
            X::Invalid {
                index: 5,
                id: None,
                code: "pattern_syntax".into(),
            },
        ]);
    }
}
