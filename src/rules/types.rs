//! The public data of the rule engine: the ticket update it reads and the
//! evaluation result it returns, with their TypeScript shapes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One ticket update: the ticket as it is now, and what Zendesk knows about
/// the update. Only `ticket` is required; without `previous` the update is a
/// ticket creation (`update_type` is `Create`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct TicketUpdate {
    /// The ticket after the update, as Zendesk ticket JSON.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "ZendeskTicket"))]
    pub ticket: Value,
    /// The ticket before the update; absent for a new ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "ZendeskTicket"))]
    pub previous: Option<Value>,
    /// The comment added by this update, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub comment: Option<UpdateComment>,
    /// The channel of this update (`current_via_id`); defaults to the
    /// ticket's own via for a creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub via_id: Option<u64>,
    /// Whether the update happens within business hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub in_business_hours: Option<bool>,
    /// The requester (Zendesk user JSON: `user_fields`, `locale_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "ZendeskUser"))]
    pub requester: Option<Value>,
    /// The ticket's organization (Zendesk organization JSON: `organization_fields`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "ZendeskOrganization"))]
    pub organization: Option<Value>,
    /// Who makes the update (for `current_user` values and `role`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub current_user: Option<CurrentUser>,
    /// The ticket's metrics (Zendesk Ticket Metrics JSON) for `reopens`,
    /// `replies`, `agent_stations` and `group_stations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub metrics: Option<TicketMetrics>,
}

/// The comment an update adds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct UpdateComment {
    /// The comment text.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub body: String,
    /// Whether the comment is public (default true, as in Zendesk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub public: Option<bool>,
}

/// The user making the update.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct CurrentUser {
    /// The user's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub id: Option<u64>,
    /// `end-user`, `agent` or `admin` (Zendesk user roles; `end_user` accepted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub role: Option<String>,
}

/// The counters of Zendesk's Ticket Metrics object that conditions read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct TicketMetrics {
    /// Times the ticket went from solved back to open or pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub reopens: Option<u64>,
    /// Public agent replies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub replies: Option<u64>,
    /// Distinct agents the ticket was assigned to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub assignee_stations: Option<u64>,
    /// Distinct groups the ticket was assigned to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub group_stations: Option<u64>,
}

/// A side effect a fired trigger asks for (a notification, a webhook call,
/// a CC...): recorded, never performed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Effect {
    /// The trigger's id (its index in the input when it has no id).
    pub trigger_id: u64,
    /// The action field (`notification_webhook`, ...).
    pub field: String,
    /// The action value as written in the trigger.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub value: Value,
}

/// The outcome of one update's firing cycle.
///
/// In JavaScript, `ticket` and `effects` are parsed from JSON when first
/// read and then kept: they are enumerable accessor properties that can be
/// assigned, so `JSON.stringify`, spread and `structuredClone` see the same
/// data as plain properties. The results of a batch given as JSON text keep
/// that text alive until their tickets are read or the results dropped.
///
/// For an update given as an object (not JSON text), `ticket` is the very
/// object passed as `update.ticket` when no action changed it (not a copy,
/// as immutable-update libraries do: a later change to one shows in the
/// other). When actions changed it, `ticket` is a new object made when the
/// call ran: a shallow copy of `update.ticket` in which the keys the actions
/// wrote (`status`, `tags`, `custom_fields`, `satisfaction_rating`, ...)
/// hold new values, and every other member is the input's own value,
/// shared. Keys keep the input's order, new ones come last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct EvaluationResult {
    /// Ids of the triggers that fired, in firing order (a trigger without
    /// an id is named by its index in the input).
    pub fired: Vec<u64>,
    /// The ticket after every fired trigger's actions, as Zendesk ticket
    /// JSON (from an object input: the input ticket itself when no action
    /// changed it, else a shallow copy with the changes; see above).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "ZendeskTicket"))]
    pub ticket: Value,
    /// The side effects of the fired triggers, in order.
    pub effects: Vec<Effect>,
}
