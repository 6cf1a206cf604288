//! triggerkit: validate and evaluate the triggers of Rocket.Chat livechat,
//! Zendesk, Pocketflows, Composio and the Zapier Trigger Inbox.
//!
//! The crate is a pure core (formats, validators, engines; no JS types,
//! deterministic, time passed in) plus, on `wasm32`, a binding layer
//! (`wasm`) and fetch-based server clients (`client`). See the README for
//! the JS API and the table of error codes.
#![deny(missing_docs)]

#[cfg(feature = "validators")]
pub mod filter;
pub mod formats;
pub mod issue;
pub mod json;
pub mod livechat;
#[cfg(feature = "validators")]
pub mod pocketflows_match;
#[cfg(feature = "zendesk")]
pub mod rules;
pub mod validate;

#[cfg(all(target_arch = "wasm32", feature = "clients"))]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use issue::{Issue, Issues, Pointer, ValidationResult};
