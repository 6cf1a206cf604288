//! Validators for the five trigger formats. Each returns every problem at
//! once (errors and warnings, located by JSON Pointer) and, when valid, the
//! normalized value, with the verdict the server itself would give.

#[cfg(feature = "validators")]
pub mod composio;
#[cfg(feature = "validators")]
pub mod json_schema;
#[cfg(feature = "validators")]
pub mod pocketflows;
pub mod rocketchat;
#[cfg(feature = "validators")]
pub mod zapier;
#[cfg(feature = "validators")]
pub mod zendesk;

#[cfg(feature = "validators")]
pub use composio::{
    composio_error_envelope, validate_composio_slug, validate_composio_trigger_instance,
    validate_composio_upsert, ComposioTriggerType,
};
#[cfg(feature = "validators")]
pub use pocketflows::{check_filter, validate_pocketflows_trigger};
pub use rocketchat::{rocketchat_error_text, validate_rocketchat_trigger};
#[cfg(feature = "validators")]
pub use zapier::{validate_zapier_inbox, validate_zapier_inbox_name, zapier_error_body};
#[cfg(feature = "validators")]
pub use zendesk::{validate_zendesk_trigger, zendesk_record_invalid};
