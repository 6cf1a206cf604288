//! Zendesk trigger validation.

use crate::formats::zendesk::{ZendeskDefinitions, ZendeskTrigger};
use crate::issue::ValidationResult;
use serde_json::Value;

/// Validates a Zendesk trigger, optionally against an account's definitions.
pub fn validate_zendesk_trigger(
    input: &Value,
    _definitions: Option<&ZendeskDefinitions>,
) -> ValidationResult<ZendeskTrigger> {
    super::decode_only(input)
}
