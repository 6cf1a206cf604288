//! Composio trigger instances: the body of
//! POST /api/v3/trigger_instances/{slug}/upsert, its response and the
//! error envelope every Composio endpoint answers failures with.

use crate::json::Value;
use serde::{Deserialize, Serialize};
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
    /// The deprecated trigger-type `version`, kept only when it cannot be
    /// expressed as `toolkit_versions`: a specific version given while the
    /// trigger's toolkit slug is unknown to the validator. Otherwise it is
    /// mapped into `toolkit_versions` and absent here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub version: Option<String>,
}

/// Toolkit version specification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum ToolkitVersions {
    /// The string `"latest"`: every toolkit at its latest version.
    Latest(LatestKeyword),
    /// Toolkit slug to version (`"20250905_00"` or `"latest"`).
    PerToolkit(
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, string>"))]
        BTreeMap<String, String>,
    ),
}

/// The keyword `"latest"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum LatestKeyword {
    /// `"latest"`.
    #[serde(rename = "latest")]
    Latest,
}

/// The success response of the upsert: `{"trigger_id": ..., "deprecated": {"uuid": ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ComposioUpsertResponse {
    /// ID of the created or updated trigger instance (`ti_...`).
    pub trigger_id: String,
    /// Identifiers of the previous API generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub deprecated: Option<ComposioDeprecatedIds>,
}

/// Legacy identifiers of a trigger instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ComposioDeprecatedIds {
    /// The trigger instance's legacy UUID.
    pub uuid: String,
}

/// Composio's error response: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ComposioErrorEnvelope {
    /// The error.
    pub error: ComposioError,
}

/// The body of a Composio error. Only `message` is always present; the
/// other members appear when the server has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ComposioError {
    /// Human-readable description.
    pub message: String,
    /// Composio's numeric error code (e.g. 10400 for a bad request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub code: Option<i64>,
    /// The error's name (e.g. `BadRequest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub slug: Option<String>,
    /// The HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub status: Option<u16>,
    /// Identifier of the failed request, for support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub request_id: Option<String>,
    /// Guidance on how to resolve the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub suggested_fix: Option<String>,
    /// Individual validation problems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub errors: Option<Vec<String>>,
}
