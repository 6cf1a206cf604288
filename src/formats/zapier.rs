//! Zapier Trigger Inbox: inbox create body, inbox, lease response and
//! message, trigger list, input-field definitions, authentication list.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of PUT /trigger-inbox/api/v1/inboxes/{name}/.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierInboxInput {
    /// App key.
    pub app: String,
    /// Trigger key.
    pub action: String,
    /// Connection ID.
    pub connection: String,
    /// Trigger input values keyed by input-field key.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub inputs: Map<String, Value>,
    /// URL Zapier POSTs to when new messages arrive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub notification_url: Option<String>,
}

/// One input-field definition of a trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierInputField {
    /// Field key: the key in `inputs`.
    pub key: String,
    /// Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub title: Option<String>,
    /// `STRING`, `BOOLEAN` or `INTEGER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub value_type: Option<String>,
    /// `SELECT` or `TEXT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub format: Option<String>,
    /// Must be provided when creating the inbox.
    #[serde(default)]
    pub is_required: bool,
    /// Help text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub description: Option<String>,
    /// Value used when an optional field is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub default_value: Option<String>,
}
