//! Pocketflows trigger validation.

use crate::formats::pocketflows::PocketflowsTriggerInput;
use crate::issue::ValidationResult;
use serde_json::Value;

/// Validates a Pocketflows create-trigger body.
pub fn validate_pocketflows_trigger(input: &Value) -> ValidationResult<PocketflowsTriggerInput> {
    super::decode_only(input)
}
