//! Pocketflows event triggers: the create body of
//! POST /businesses/{id}/triggers and the Trigger object it returns.

use crate::json::Map;
use serde::{Deserialize, Serialize};

/// The body of POST /businesses/{id}/triggers. The members the API types as
/// nullable are `Some(None)` when the body has them as `null` (kept, as the
/// server keeps them), `None` when it lacks them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsTriggerInput {
    /// The ID of the project-defined event that fires the trigger.
    pub project_defined_event: String,
    /// The name of the trigger.
    pub name: String,
    /// A further filter on the trigger: a CEL-subset expression.
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub filter: Option<Option<String>>,
    /// Metadata for the trigger.
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown> | null")
    )]
    pub metadata: Option<Option<Map>>,
    /// The revenue attributed to the trigger.
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "number | null"))]
    pub attributed_revenue: Option<Option<f64>>,
    /// The steps of the trigger.
    pub steps: Vec<PocketflowsStep>,
    /// The email address used to send email steps.
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub email_address: Option<Option<String>>,
    /// The phone number used to send SMS steps.
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub phone_number: Option<Option<String>>,
    /// Customers the trigger never enrolls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub excluded_customers: Option<Vec<String>>,
}

/// One step of a Pocketflows trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsStep {
    /// The step kind (`email`, `sms` or `custom`; see [`PocketflowsStepType`]).
    #[serde(rename = "type")]
    pub step_type: String,
    /// The custom step this step runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub custom_step_id: Option<String>,
    /// The email template an email step sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub email_template_id: Option<String>,
}

/// The step kinds the validator knows. The seed shows `email` steps (with
/// `email_template_id`) and implies the other two: `custom_step_id` and the
/// `custom_steps` statistics for custom steps, and the trigger's
/// `phone_number` ("used to send SMS messages") for SMS steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum PocketflowsStepType {
    /// Sends the email template `email_template_id` from the trigger's `email_address`.
    Email,
    /// Sends an SMS from the trigger's `phone_number`.
    Sms,
    /// Runs the custom step `custom_step_id`.
    Custom,
}

impl PocketflowsStepType {
    /// Every known step kind, in documentation order.
    pub const ALL: [PocketflowsStepType; 3] = [Self::Email, Self::Sms, Self::Custom];

    /// The wire name (`"email"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Custom => "custom",
        }
    }

    /// The kind named `name` on the wire, if known.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// The status of a Pocketflows trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum PocketflowsTriggerStatus {
    /// Created but not yet enrolling customers.
    Draft,
    /// Enrolling customers.
    Active,
    /// Stopped.
    Inactive,
}

/// The Trigger object: the response of POST /businesses/{id}/triggers.
/// Fields the documentation marks "required" but nullable are always
/// serialized (as `null` when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct PocketflowsTrigger {
    /// The ID of the trigger.
    pub id: String,
    /// Creation time, ISO 8601.
    pub created_at: String,
    /// Last update time, ISO 8601.
    pub updated_at: String,
    /// The name of the trigger.
    pub name: String,
    /// The project-defined event that fires the trigger (null for internal events).
    pub project_defined_event: Option<String>,
    /// The internal event that fires the trigger.
    pub internal_event_definition: PocketflowsInternalEventDefinition,
    /// Deprecated: always null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub trigger: Option<String>,
    /// The steps of the trigger.
    pub steps: Vec<PocketflowsStep>,
    /// Draft, active or inactive.
    pub status: PocketflowsTriggerStatus,
    /// The additional filter expression, if any.
    pub filter: Option<String>,
    /// The email address used by email steps.
    pub email_address: Option<String>,
    /// The phone number used by SMS steps.
    pub phone_number: Option<String>,
    /// The revenue attributed to the trigger.
    pub attributed_revenue: Option<f64>,
    /// Enrollment, email and custom-step statistics.
    pub statistics: PocketflowsStatistics,
    /// Customers the trigger never enrolls. Not in the documented response;
    /// carried when a server (such as the local emulator) returns it, since
    /// matching events needs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub excluded_customers: Option<Vec<String>>,
    /// Metadata given at creation. Not in the documented response; carried
    /// when a server returns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>")
    )]
    pub metadata: Option<Map>,
}

/// The internal event definition of a trigger (`{"type": "customer_created", "segment": ...}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsInternalEventDefinition {
    /// The internal event kind, e.g. `customer_created`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub event_type: Option<String>,
    /// The segment the event concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub segment: Option<String>,
}

/// The statistics of a trigger.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsStatistics {
    /// Customers enrolled in the trigger.
    pub total_customers_enrolled: u64,
    /// Customers who started its steps.
    pub total_customers_started: u64,
    /// Customers who finished its steps.
    pub total_customers_finished: u64,
    /// Email delivery counts.
    pub emails: PocketflowsEmailStatistics,
    /// Sends per custom step.
    pub custom_steps: Vec<PocketflowsCustomStepStatistics>,
}

/// Email delivery counts of a trigger.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsEmailStatistics {
    /// Emails sent.
    pub sent: u64,
    /// Emails delivered.
    pub delivered: u64,
    /// Emails opened.
    pub opened: u64,
    /// Emails that bounced softly.
    pub soft_bounced: u64,
    /// Emails that bounced hard.
    pub hard_bounced: u64,
    /// Emails with a clicked link.
    pub clicked: u64,
}

/// Sends of one custom step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsCustomStepStatistics {
    /// The custom step.
    pub custom_step: String,
    /// How many times it was sent.
    pub sent: u64,
}
