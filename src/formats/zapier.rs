//! Zapier Trigger Inbox: inbox create body, inbox and inbox list, lease
//! request, lease response and message, ack/release body, trigger list,
//! input-field definitions, authentication list, OAuth token response and
//! error bodies.

use crate::json::{Map, Value};
use serde::{Deserialize, Serialize};

/// The body of PUT /trigger-inbox/api/v1/inboxes/{name}/.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierInboxInput {
    /// App key.
    pub app: String,
    /// Trigger key.
    pub action: String,
    /// Connection ID.
    pub connection: String,
    /// Trigger input values keyed by input-field key.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub inputs: Map,
    /// URL Zapier POSTs to when new messages arrive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub notification_url: Option<String>,
}

/// One input-field definition of a trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierInputField {
    /// Field key: the key in `inputs`.
    pub key: String,
    /// Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub title: Option<String>,
    /// `STRING`, `BOOLEAN` or `INTEGER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub value_type: Option<String>,
    /// `SELECT` or `TEXT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub format: Option<String>,
    /// Must be provided when creating the inbox.
    #[serde(default)]
    pub is_required: bool,
    /// Help text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub description: Option<String>,
    /// Value used when an optional field is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub default_value: Option<String>,
}

/// The response of GET /trigger-inbox/api/v1/trigger-input-fields/.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierInputFieldList {
    /// The trigger's input fields.
    pub results: Vec<ZapierInputField>,
}

/// The lifecycle state of an inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum ZapierInboxStatus {
    /// Zapier is setting up the subscription; do not lease yet.
    Initializing,
    /// Subscription is live; events are buffered.
    Active,
    /// Collection stopped; buffered messages are preserved.
    Paused,
    /// Scheduled for removal; the subscription is being cancelled.
    Deleting,
    /// Setup failed; see `paused_reason`.
    InitializationFailure,
}

impl ZapierInboxStatus {
    /// The wire name (`"initialization_failure"`, ...), e.g. for the `status` query filter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initializing => "initializing",
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Deleting => "deleting",
            Self::InitializationFailure => "initialization_failure",
        }
    }
}

/// An inbox: the response of PUT and GET /trigger-inbox/api/v1/inboxes/{name}/.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ZapierInbox {
    /// Inbox ID (a UUID).
    pub id: String,
    /// The inbox name (its key in URLs).
    pub name: String,
    /// Lifecycle state.
    pub status: ZapierInboxStatus,
    /// Creation time, ISO 8601.
    pub created_at: String,
    /// Why collection stopped or setup failed; null otherwise.
    pub paused_reason: Option<String>,
    /// URL Zapier POSTs to when messages arrive; null when polling.
    pub notification_url: Option<String>,
    /// What the inbox is subscribed to.
    pub subscription: ZapierSubscription,
}

/// The subscription of an inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierSubscription {
    /// Connection ID.
    pub connection_id: String,
    /// Versioned app key (e.g. `SlackCLIAPI`).
    pub app_key: String,
    /// Trigger key.
    pub action_key: String,
    /// Trigger input values.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub inputs: Map,
}

/// The response of GET /trigger-inbox/api/v1/inboxes/. The pagination
/// links are optional: the seed does not show them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierInboxList {
    /// The inboxes.
    pub results: Vec<ZapierInbox>,
    /// URL of the next page, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub next: Option<String>,
    /// URL of the previous page, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub previous: Option<String>,
}

/// Query filters of GET /trigger-inbox/api/v1/inboxes/.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierInboxListQuery {
    /// Only inboxes in this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub status: Option<ZapierInboxStatus>,
    /// Only the inbox with exactly this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub name: Option<String>,
}

/// The body of POST .../inboxes/{name}/messages/lease/.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierLeaseRequest {
    /// Seconds before leased messages return to the pool (server default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub lease_seconds: Option<u32>,
    /// Most messages to lease in one call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub max_messages: Option<u32>,
}

/// The response of the lease call (also the shape of message lists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierLeaseResponse {
    /// The leased messages (empty when the inbox is drained).
    pub results: Vec<ZapierMessage>,
}

/// Lease count at which a message is quarantined and no longer leased.
pub const ZAPIER_QUARANTINE_LEASE_COUNT: u32 = 5;

/// One buffered event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierMessage {
    /// Stable message identifier.
    pub id: String,
    /// When the event was buffered, ISO 8601.
    pub created_at: String,
    /// Message state; `"leased"` in lease responses.
    pub status: String,
    /// Opaque token for ack or release; unique per lease, not per message.
    pub lease_token: String,
    /// Raw event data from the upstream app; its shape varies by trigger.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub payload: Map,
    /// Delivery bookkeeping.
    pub message_attributes: ZapierMessageAttributes,
}

/// Delivery bookkeeping of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ZapierMessageAttributes {
    /// How many times the message has been leased; at
    /// [`ZAPIER_QUARANTINE_LEASE_COUNT`] it is quarantined.
    pub lease_count: u32,
    /// Last processing error, if any.
    pub error_message: Option<String>,
    /// True when Zapier could not deduplicate the event: handle it idempotently.
    pub possible_duplicate_data: bool,
}

/// The body of POST .../messages/ack/ and .../messages/release/.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierAckRequest {
    /// Lease tokens of the messages to ack (or release).
    pub lease_tokens: Vec<String>,
}

/// The release body has the same shape as the ack body.
pub type ZapierReleaseRequest = ZapierAckRequest;

/// One trigger of an app (GET /trigger-inbox/api/v1/triggers/?app=...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierTrigger {
    /// Stable identifier: pass as `action` when creating an inbox.
    pub key: String,
    /// Human-readable name.
    pub title: String,
    /// What the trigger fires on.
    pub description: String,
    /// Versioned app identifier (informational).
    pub app_key: String,
}

/// The response of GET /trigger-inbox/api/v1/triggers/.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierTriggerList {
    /// The app's triggers.
    pub results: Vec<ZapierTrigger>,
}

/// A user's connection to an app (GET /v2/authentications/?app=...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierAuthentication {
    /// Always `"authentication"`.
    #[serde(rename = "type", default = "authentication_type")]
    pub object_type: String,
    /// Connection identifier: pass as `connection`.
    pub id: String,
    /// App key.
    pub app: String,
    /// True when the user must reconnect.
    pub is_expired: bool,
    /// Label of the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub title: Option<String>,
}

fn authentication_type() -> String {
    "authentication".to_owned()
}

/// The response of GET /v2/authentications/.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierAuthenticationList {
    /// The connections.
    pub data: Vec<ZapierAuthentication>,
    /// Pagination links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub links: Option<ZapierPageLinks>,
    /// Pagination counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub meta: Option<ZapierPageMeta>,
}

/// Links of a paginated Zapier v2 response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ZapierPageLinks {
    /// URL of the next page, or null.
    pub next: Option<String>,
    /// URL of the previous page, or null.
    pub prev: Option<String>,
}

/// Counts of a paginated Zapier v2 response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierPageMeta {
    /// Total number of items.
    pub count: u64,
    /// Page size.
    pub limit: u64,
    /// Offset of this page.
    pub offset: u64,
}

/// The response of POST https://zapier.com/oauth/token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierTokenResponse {
    /// The bearer token.
    pub access_token: String,
    /// `"Bearer"`.
    pub token_type: String,
    /// Lifetime in seconds.
    pub expires_in: u64,
    /// Granted scopes, when the server reports them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub scope: Option<String>,
}

/// The `code` values of Trigger Inbox error responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum ZapierErrorCode {
    /// 401: missing or expired bearer token.
    AuthenticationFailed,
    /// 401: the token's audience does not include trigger-inbox.
    InvalidAudience,
    /// 404: no inbox with that name.
    NotFound,
    /// 409: an inbox with that name exists with a different (app, action, connection).
    Conflict,
    /// 422: a required field is missing or an input value is invalid.
    ValidationError,
    /// 429: too many requests; respect Retry-After.
    RateLimited,
}

impl ZapierErrorCode {
    /// The wire name (`"validation_error"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthenticationFailed => "authentication_failed",
            Self::InvalidAudience => "invalid_audience",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::ValidationError => "validation_error",
            Self::RateLimited => "rate_limited",
        }
    }

    /// The HTTP status the code comes with.
    pub fn http_status(self) -> u16 {
        match self {
            Self::AuthenticationFailed | Self::InvalidAudience => 401,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::ValidationError => 422,
            Self::RateLimited => 429,
        }
    }
}

/// A Trigger Inbox error response: `{"code": ..., "detail": ...}`.
/// `detail` is a message, or for `validation_error` the problems by field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZapierErrorBody {
    /// Machine-readable code (see [`ZapierErrorCode`]; kept as text so
    /// codes added by the server still decode).
    pub code: String,
    /// Explanation: a string, or an object of field problems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "unknown"))]
    pub detail: Option<Value>,
}
