//! Fetch-based (gloo-net) clients for the five server APIs and the Trigger Inbox consumer.
//!
//! `http` is the shared fetch layer (typed errors, retries, cancellation),
//! `js` the runtime glue it stands on (timers, clock, abort signals,
//! arguments), `zapier` the Trigger Inbox client and `consumer` its
//! `consume` loop; `zendesk` (with async iterators over pages),
//! `rocketchat`, `pocketflows` and `composio` are thin clients over the
//! same layer.

pub mod composio;
pub mod consumer;
pub mod http;
pub mod js;
pub mod pocketflows;
pub mod rocketchat;
pub mod zapier;
pub mod zendesk;
