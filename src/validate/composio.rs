//! Composio trigger instance upsert validation.

use crate::formats::composio::ComposioUpsertInput;
use crate::issue::ValidationResult;
use serde_json::Value;

/// Validates a Composio upsert body, optionally against a config JSON Schema.
pub fn validate_composio_trigger_instance(
    input: &Value,
    _config_schema: Option<&Value>,
) -> ValidationResult<ComposioUpsertInput> {
    super::decode_only(input)
}
