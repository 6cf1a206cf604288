//! Rocket.Chat livechat trigger: the body of POST /api/v1/livechat/triggers,
//! in its normalized form (booleans and strings after the server's coercion;
//! a nullable member the body had as `null` stays `null`, one it lacked stays
//! absent), and the `{success, error, errorType}` envelope the endpoint answers with.

use serde::{Deserialize, Serialize};

/// A livechat trigger as the Rocket.Chat server stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RocketChatTrigger {
    /// Trigger id; present when updating an existing trigger. `null` when
    /// the body has `_id: null` (the server accepts and keeps it; in Rust
    /// `Some(None)`, apart from an absent `_id`, `None`).
    #[serde(
        rename = "_id",
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub id: Option<Option<String>>,
    /// Trigger name.
    pub name: String,
    /// Trigger description.
    pub description: String,
    /// Disabled triggers never fire.
    pub enabled: bool,
    /// Fire at most once per visitor.
    pub run_once: bool,
    /// Conditions; all must hold for the trigger to fire.
    pub conditions: Vec<RocketChatCondition>,
    /// Actions, run in order when the trigger fires.
    pub actions: Vec<RocketChatAction>,
}

/// The event kinds a livechat trigger condition can wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum ConditionName {
    /// Seconds the visitor has spent on the site in this visit.
    TimeOnSite,
    /// The current URL matches a regular expression.
    PageUrl,
    /// The visitor opened the chat window.
    ChatOpenedByVisitor,
    /// The visitor registered as a guest.
    AfterGuestRegistration,
}

/// One condition of a livechat trigger. The server requires both keys;
/// `value` may be null and serializes as `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct RocketChatCondition {
    /// Which event the condition waits for.
    pub name: ConditionName,
    /// Seconds for time-on-site, a pattern for page-url, otherwise ignored.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "ConditionValue | null"))]
    pub value: Option<ConditionValue>,
}

/// A condition value. The server's schema types it as a nullable string and
/// coerces numbers to text, so a validated trigger always holds `Text`;
/// `Number` serves triggers built in code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum ConditionValue {
    /// A number (seconds for time-on-site).
    Number(f64),
    /// A string (a pattern for page-url, or seconds as text).
    Text(String),
}

/// The actions a livechat trigger can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum ActionName {
    /// Show a message to the visitor.
    SendMessage,
    /// Ask the server to call an external service and show what it returns.
    UseExternalService,
}

/// One action of a livechat trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct RocketChatAction {
    /// Which action.
    pub name: ActionName,
    /// The action's parameters; `null` when the body has `params: null` (or
    /// `""`, `0` or `false`, which the server coerces to null; in Rust
    /// `Some(None)`).
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "ActionParams | null"))]
    pub params: Option<Option<ActionParams>>,
}

/// Who a send-message action speaks as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Sender {
    /// The next available agent in the queue.
    Queue,
    /// A named agent or bot (`params.name`).
    Custom,
}

/// Parameters of a livechat trigger action (the union of both action kinds).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActionParams {
    /// send-message: who speaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub sender: Option<Sender>,
    /// send-message with a custom sender: the agent or bot name; `null`
    /// when the body has `name: null` (in Rust `Some(None)`).
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub name: Option<Option<String>>,
    /// send-message: the text shown to the visitor (plain text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub msg: Option<String>,
    /// use-external-service: the service URL the server calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub service_url: Option<String>,
    /// use-external-service: timeout in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub service_timeout: Option<f64>,
    /// use-external-service: text shown when the service fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub service_fallback_message: Option<String>,
}

/// The JSON envelope of the endpoint's answers: `{"success": true}` on
/// success, `{"success": false, "error": "...", "errorType": "..."}` on a
/// rejected body, and `{"status": "error", "message": "..."}` when the caller
/// is not logged in.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct RocketChatApiResponse {
    /// Whether the call succeeded. The API documentation writes it as the
    /// strings `"true"`/`"false"`; those are read as booleans.
    #[serde(
        default,
        deserialize_with = "lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub success: Option<bool>,
    /// The error text, e.g. `must have required property 'description' [invalid-params]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error: Option<String>,
    /// The error kind, e.g. `invalid-params` or `error-unauthorized`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error_type: Option<String>,
    /// `"error"` in the not-logged-in answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub status: Option<String>,
    /// The explanation in the not-logged-in answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub message: Option<String>,
}

/// Reads a boolean given either as JSON `true`/`false` or as the strings
/// `"true"`/`"false"` (the documentation's spelling).
fn lenient_bool<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    match Option::<Flag>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Flag::Bool(b)) => Ok(Some(b)),
        Some(Flag::Text(t)) => match t.as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(serde::de::Error::custom("expected true or false")),
        },
    }
}
