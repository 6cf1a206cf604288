//! Zapier Trigger Inbox creation body validation.

use crate::formats::zapier::{ZapierInboxInput, ZapierInputField};
use crate::issue::ValidationResult;
use serde_json::Value;

/// Validates an inbox creation body, optionally against input-field definitions.
pub fn validate_zapier_inbox(
    input: &Value,
    _input_fields: Option<&[ZapierInputField]>,
) -> ValidationResult<ZapierInboxInput> {
    super::decode_only(input)
}
