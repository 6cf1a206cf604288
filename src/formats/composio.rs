//! Composio trigger instances: the body of
//! POST /api/v3/trigger_instances/{slug}/upsert, its response and the
//! error envelope.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The upsert body, normalized: deprecated fields mapped to their replacements.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ComposioUpsertInput {
    /// Connected account nanoid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub connected_account_id: Option<String>,
    /// Trigger configuration (checked against the trigger type's schema when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>")
    )]
    pub trigger_config: Option<Value>,
    /// `"latest"` or a map of toolkit slug to version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub toolkit_versions: Option<ToolkitVersions>,
}

/// Toolkit version specification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum ToolkitVersions {
    /// The string `"latest"`.
    Latest(String),
    /// Toolkit slug to version.
    PerToolkit(BTreeMap<String, String>),
}
