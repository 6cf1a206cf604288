//! Zendesk ticket triggers: the trigger object and the request and response
//! bodies of the Triggers REST API (list and search pages, single-trigger
//! responses, write bodies, definitions, update_many, reorder, destroy_many,
//! revisions), plus the `RecordInvalid` error body.
//!
//! Two shapes of the trigger exist on purpose. [`ZendeskTrigger`] is a
//! checked trigger: every action is a `{field, value}` pair, as the validator
//! produces and the condition engine consumes, and as the server returns.
//! [`ZendeskTriggerPartial`] is a trigger object with any subset of its
//! members, each action as loose as a JSON object: it is what write bodies
//! carry (an update may send only `title`), and it is the only type that
//! reads the API documentation's own placeholder example, whose actions are
//! `[{}]`. Keeping [`ZendeskAction`] strict means a checked trigger never
//! holds an action without a field.

use crate::json::{Map, Value};
use serde::{Deserialize, Deserializer, Serialize};

/// A Zendesk ticket trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskTrigger {
    /// Automatically assigned when created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub id: Option<u64>,
    /// The title of the trigger.
    pub title: String,
    /// Whether the trigger is active (defaults to true).
    #[serde(default = "default_true")]
    pub active: bool,
    /// Position of the trigger: the order triggers run in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub position: Option<i64>,
    /// The conditions under which the trigger fires.
    pub conditions: ZendeskConditions,
    /// What the trigger does when it fires.
    pub actions: Vec<ZendeskAction>,
    /// The description of the trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub description: Option<String>,
    /// The ID of the category the trigger belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub category_id: Option<String>,
    /// The raw format of the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub raw_title: Option<String>,
    /// Whether this is a default trigger of the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub default: Option<bool>,
    /// Creation time (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub created_at: Option<String>,
    /// Last update time (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub updated_at: Option<String>,
    /// API URL of the trigger (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub url: Option<String>,
}

fn default_true() -> bool {
    true
}

/// `all` conditions must all hold; at least one `any` condition must hold
/// (an empty list adds no constraint).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskConditions {
    /// Conditions that must all hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub all: Option<Vec<ZendeskCondition>>,
    /// Conditions of which at least one must hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub any: Option<Vec<ZendeskCondition>>,
}

/// One `{field, operator, value}` condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskCondition {
    /// The ticket field the condition reads (`status`, `custom_fields_123`, ...).
    pub field: String,
    /// The comparison (`is`, `less_than`, `includes`, `changed`, ...).
    pub operator: String,
    /// The value compared against; absent for terminal operators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "unknown"))]
    pub value: Option<Value>,
}

/// One `{field, value}` action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskAction {
    /// The ticket field set, or the side effect (`notification_user`, ...).
    pub field: String,
    /// The value set, or the side effect's arguments.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub value: Value,
}

/// A trigger object with any subset of its members: the body of create
/// (POST) and update (PUT) requests, where only what changes need be sent.
/// Actions are kept as JSON objects; `validate_zendesk_trigger` checks them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskTriggerPartial {
    /// Read-only id, ignored by the server in a body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub id: Option<u64>,
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub title: Option<String>,
    /// New active state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub active: Option<bool>,
    /// New firing position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub position: Option<i64>,
    /// New conditions (replacing both lists together with the actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub conditions: Option<ZendeskConditions>,
    /// New actions, each a JSON object (normally `{field, value}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>[]")
    )]
    pub actions: Option<Vec<Map>>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub description: Option<String>,
    /// New category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub category_id: Option<String>,
    /// New raw title (may hold dynamic content placeholders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub raw_title: Option<String>,
    /// Read-only default flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub default: Option<bool>,
    /// Read-only creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub created_at: Option<String>,
    /// Read-only update time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub updated_at: Option<String>,
    /// Read-only API URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub url: Option<String>,
}

/// `{"trigger": ...}`: the body of POST /api/v2/triggers and
/// PUT /api/v2/triggers/{id}.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskTriggerBody {
    /// The members to create or change.
    pub trigger: ZendeskTriggerPartial,
}

/// `{"trigger": ...}`: the response of show, create, update and reorder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskTriggerResponse {
    /// The trigger as the server stored it.
    pub trigger: ZendeskTrigger,
}

/// One page of triggers: the response of GET /api/v2/triggers,
/// /api/v2/triggers/active, /api/v2/triggers/search and of
/// PUT /api/v2/triggers/update_many. Offset pagination fills `count`,
/// `next_page` and `previous_page`; cursor pagination fills `meta` and `links`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskTriggerPage {
    /// The triggers of this page.
    pub triggers: Vec<ZendeskTrigger>,
    /// Offset pagination: the total number of triggers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub count: Option<u64>,
    /// Offset pagination: the next page's URL, null on the last page.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub next_page: Option<Option<String>>,
    /// Offset pagination: the previous page's URL, null on the first page.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub previous_page: Option<Option<String>>,
    /// Cursor pagination: whether more pages exist, and the cursors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub meta: Option<ZendeskCursorMeta>,
    /// Cursor pagination: the URLs of the neighbouring pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub links: Option<ZendeskCursorLinks>,
}

/// Reads a member that is present, keeping an explicit `null` apart from an
/// absent member (which `#[serde(default)]` leaves as `None`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// The `meta` member of a cursor-paginated page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskCursorMeta {
    /// Whether another page follows.
    pub has_more: bool,
    /// Cursor of the next page (`page[after]`).
    pub after_cursor: Option<String>,
    /// Cursor of the previous page (`page[before]`).
    pub before_cursor: Option<String>,
}

/// The `links` member of a cursor-paginated page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskCursorLinks {
    /// URL of the next page.
    pub next: Option<String>,
    /// URL of the previous page.
    pub prev: Option<String>,
}

/// The document of GET /api/v2/triggers/definitions: the account's
/// authoritative list of condition fields, operators and values, and of
/// action fields and values.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskDefinitions {
    /// The definitions.
    pub definitions: ZendeskDefinitionSet,
}

/// The three lists of a definitions document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskDefinitionSet {
    /// Fields an action can set.
    #[serde(default)]
    pub actions: Vec<ZendeskFieldDefinition>,
    /// Fields a condition of the `all` list can read.
    #[serde(default)]
    pub conditions_all: Vec<ZendeskFieldDefinition>,
    /// Fields a condition of the `any` list can read.
    #[serde(default)]
    pub conditions_any: Vec<ZendeskFieldDefinition>,
}

/// The definition of one action or condition field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskFieldDefinition {
    /// The field name used in triggers (`status`, `custom_fields_20513432`).
    pub subject: String,
    /// Display name (`Status`).
    #[serde(default)]
    pub title: String,
    /// Kind of input (`list`, `text`, `tags`, ...).
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Grouping in the editor (`ticket`, `user`, ...).
    #[serde(default)]
    pub group: String,
    /// Whether the field may be empty (`""` allowed as a value).
    #[serde(default)]
    pub nullable: bool,
    /// Whether the field may appear more than once.
    #[serde(default)]
    pub repeatable: bool,
    /// Conditions only: the operators the field accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub operators: Option<Vec<ZendeskOperatorDefinition>>,
    /// The values the field accepts, when it is a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub values: Option<Vec<ZendeskValueDefinition>>,
}

/// One operator of a condition field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskOperatorDefinition {
    /// The operator used in triggers (`less_than`).
    pub value: String,
    /// Display name (`Less than`).
    #[serde(default)]
    pub title: String,
    /// True when the operator takes no value (`changed`, `present`).
    #[serde(default)]
    pub terminal: bool,
}

/// One value of a list field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskValueDefinition {
    /// The value used in triggers (`open`, or a numeric id).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | number | boolean"))]
    pub value: Value,
    /// Display name (`Open`).
    #[serde(default)]
    pub title: String,
    /// False when the account has the value turned off.
    #[serde(default = "default_true")]
    pub enabled: bool,
}

/// One trigger of an update_many body: its id and what changes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskTriggerUpdate {
    /// The trigger to update.
    pub id: u64,
    /// Its new position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub position: Option<i64>,
    /// Its new active state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub active: Option<bool>,
    /// The category it moves to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub category_id: Option<String>,
}

/// The body of PUT /api/v2/triggers/update_many.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskUpdateManyBody {
    /// The triggers to update.
    pub triggers: Vec<ZendeskTriggerUpdate>,
}

/// The body of PUT /api/v2/triggers/reorder: every trigger id of the
/// account, in the new firing order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskReorderBody {
    /// Trigger ids, first to fire first.
    pub trigger_ids: Vec<u64>,
}

/// The `ids` parameter of DELETE /api/v2/triggers/destroy_many, in the
/// object form the documentation shows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskDestroyManyBody {
    /// Comma-separated trigger ids (`"25,23,27,22"`).
    pub ids: String,
}

/// The trigger as a revision recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskRevisionSnapshot {
    /// The actions then.
    pub actions: Vec<ZendeskAction>,
    /// The active state then.
    pub active: bool,
    /// The conditions then.
    pub conditions: ZendeskConditions,
    /// The description then (null when there was none).
    pub description: Option<String>,
    /// The title then.
    pub title: String,
}

/// What changed between a revision and the one before it. Each member
/// lists change entries as the server reports them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskRevisionDiff {
    /// Changes to the actions.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown[]"))]
    pub actions: Vec<Value>,
    /// Changes to the active state.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown[]"))]
    pub active: Vec<Value>,
    /// Changes to the conditions, by list (`all`, `any`).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown[]>"))]
    pub conditions: Map,
    /// Changes to the description.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown[]"))]
    pub description: Vec<Value>,
    /// The older revision compared.
    pub source_id: u64,
    /// The newer revision compared.
    pub target_id: u64,
    /// Changes to the title.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown[]"))]
    pub title: Vec<Value>,
}

/// One revision of a trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskRevision {
    /// The revision id.
    pub id: u64,
    /// The user who made the change.
    pub author_id: u64,
    /// When the revision was made.
    pub created_at: String,
    /// The change from the previous revision (in lists of revisions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub diff: Option<ZendeskRevisionDiff>,
    /// The trigger as of this revision.
    pub snapshot: ZendeskRevisionSnapshot,
    /// API URL of the revision.
    pub url: String,
}

/// The response of GET /api/v2/triggers/{id}/revisions (cursor-paginated;
/// the cursors and URLs are null when no more records exist).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskRevisionList {
    /// Cursor of more recent revisions.
    pub after_cursor: Option<String>,
    /// URL of more recent revisions.
    pub after_url: Option<String>,
    /// Cursor of older revisions.
    pub before_cursor: Option<String>,
    /// URL of older revisions.
    pub before_url: Option<String>,
    /// Number of revisions in this response.
    pub count: u64,
    /// The revisions, newest first.
    pub trigger_revisions: Vec<ZendeskRevision>,
}

/// The response of GET /api/v2/triggers/{id}/revisions/{revision_id}.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskRevisionResponse {
    /// The revision.
    pub trigger_revision: ZendeskRevision,
}

/// Zendesk's 422 body for a rejected record:
/// `{"error": "RecordInvalid", "description": "Record validation errors",
/// "details": {"base": [{"description": "...", "error": "..."}]}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskRecordInvalid {
    /// `RecordInvalid`.
    pub error: String,
    /// `Record validation errors`.
    pub description: String,
    /// The individual problems.
    pub details: ZendeskErrorDetails,
}

/// The `details` member of a `RecordInvalid` body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskErrorDetails {
    /// Problems with the record as a whole, each naming its field.
    pub base: Vec<ZendeskErrorDetail>,
}

/// One problem of a `RecordInvalid` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ZendeskErrorDetail {
    /// `Field: what is wrong` (`Title: cannot be blank`).
    pub description: String,
    /// The kind of problem (`BlankValue`, `InvalidValue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error: Option<String>,
}
