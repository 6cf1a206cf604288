//! Zendesk ticket triggers: the trigger object and the request and response
//! bodies of the Triggers REST API (list pages, definitions, update_many,
//! reorder, revisions).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A Zendesk ticket trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskTrigger {
    /// Automatically assigned when created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub id: Option<u64>,
    /// The title of the trigger.
    pub title: String,
    /// Whether the trigger is active (defaults to true).
    #[serde(default = "default_true")]
    pub active: bool,
    /// Position of the trigger: the order triggers run in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub position: Option<i64>,
    /// The conditions under which the trigger fires.
    pub conditions: ZendeskConditions,
    /// What the trigger does when it fires.
    pub actions: Vec<ZendeskAction>,
    /// The description of the trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub description: Option<String>,
    /// The ID of the category the trigger belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub category_id: Option<String>,
    /// The raw format of the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub raw_title: Option<String>,
    /// Whether this is a default trigger of the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub default: Option<bool>,
    /// Creation time (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub created_at: Option<String>,
    /// Last update time (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub updated_at: Option<String>,
    /// API URL of the trigger (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub url: Option<String>,
}

fn default_true() -> bool {
    true
}

/// `all` conditions must all hold; at least one `any` condition must hold
/// (an empty list adds no constraint).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskConditions {
    /// Conditions that must all hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub all: Option<Vec<ZendeskCondition>>,
    /// Conditions of which at least one must hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub any: Option<Vec<ZendeskCondition>>,
}

/// One `{field, operator, value}` condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskCondition {
    /// The ticket field the condition reads (`status`, `custom_fields_123`, ...).
    pub field: String,
    /// The comparison (`is`, `less_than`, `includes`, `changed`, ...).
    pub operator: String,
    /// The value compared against; absent for terminal operators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "unknown"))]
    pub value: Option<Value>,
}

/// One `{field, value}` action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskAction {
    /// The ticket field set, or the side effect (`notification_user`, ...).
    pub field: String,
    /// The value set, or the side effect's arguments.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub value: Value,
}

/// The document of GET /api/v2/triggers/definitions: the account's
/// authoritative list of condition fields, operators and values.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskDefinitions {
    /// The definitions.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub definitions: Value,
}
