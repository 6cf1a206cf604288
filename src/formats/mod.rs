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

/// Reads a nullable member that is present: `null` is `Some(None)`, so that
/// it stays apart from an absent member (`None`, by `default`). For the
/// members a server keeps as `null` when the body has them so.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}
