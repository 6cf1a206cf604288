//! Fetch-based (gloo-net) clients for the five server APIs and the Trigger Inbox consumer.
//!
//! `http` is the shared fetch layer (typed errors, retries, cancellation),
//! `js` the runtime glue it stands on (timers, clock, abort signals),
//! `zapier` the Trigger Inbox client and `consumer` its `consume` loop.

pub mod consumer;
pub mod http;
pub mod js;
pub mod zapier;
