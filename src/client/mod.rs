//! Fetch-based (gloo-net) clients for the five server APIs and the Trigger Inbox consumer.
