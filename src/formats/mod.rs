//! Serde data model of every request and response body in the five seed
//! API documents. These types are the normalized forms the validators
//! produce and the engines consume; they round-trip the seeds' JSON examples.

#[cfg(feature = "validators")]
pub mod composio;
#[cfg(feature = "validators")]
pub mod pocketflows;
pub mod rocketchat;
#[cfg(feature = "validators")]
pub mod zapier;
#[cfg(feature = "validators")]
pub mod zendesk;
