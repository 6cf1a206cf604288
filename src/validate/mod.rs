//! Validators for the five trigger formats. Each returns every problem at
//! once (errors and warnings, located by JSON Pointer) and, when valid, the
//! normalized value, with the verdict the server itself would give.

#[cfg(feature = "validators")]
pub mod composio;
#[cfg(feature = "validators")]
pub mod pocketflows;
pub mod rocketchat;
#[cfg(feature = "validators")]
pub mod zapier;
#[cfg(feature = "validators")]
pub mod zendesk;

#[cfg(feature = "validators")]
pub use composio::validate_composio_trigger_instance;
#[cfg(feature = "validators")]
pub use pocketflows::validate_pocketflows_trigger;
pub use rocketchat::{rocketchat_error_text, validate_rocketchat_trigger};
#[cfg(feature = "validators")]
pub use zapier::validate_zapier_inbox;
#[cfg(feature = "validators")]
pub use zendesk::{validate_zendesk_trigger, zendesk_record_invalid};

/// Baseline used until a format's full validator lands: typed decoding only.
#[cfg(feature = "validators")]
pub(crate) fn decode_only<T: serde::de::DeserializeOwned>(
    input: &serde_json::Value,
) -> crate::issue::ValidationResult<T> {
    use crate::issue::{Issues, Pointer, ValidationResult};
    let mut issues = Issues::new();
    let value = match serde_json::from_value::<T>(input.clone()) {
        Ok(v) => Some(v),
        Err(e) => {
            issues.error(&Pointer::root(), "invalid", e.to_string());
            None
        }
    };
    ValidationResult::from_parts(issues, value)
}
