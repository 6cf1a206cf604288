//! Rocket.Chat livechat trigger validation (POST /api/v1/livechat/triggers).

use crate::formats::rocketchat::RocketChatTrigger;
use crate::issue::ValidationResult;
use serde_json::Value;

/// Validates a livechat trigger with the server's verdict.
pub fn validate_rocketchat_trigger(input: &Value) -> ValidationResult<RocketChatTrigger> {
    super::decode_only(input)
}

/// The server's error string for an invalid result (`None` when valid).
pub fn rocketchat_error_text<T>(result: &ValidationResult<T>) -> Option<String> {
    result
        .errors
        .first()
        .map(|e| format!("{} [invalid-params]", e.message))
}
