//! Pocketflows event triggers: the create body of
//! POST /businesses/{id}/triggers and the Trigger object it returns.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of POST /businesses/{id}/triggers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsTriggerInput {
    /// The ID of the project-defined event that fires the trigger.
    pub project_defined_event: String,
    /// The name of the trigger.
    pub name: String,
    /// A further filter on the trigger: a CEL-subset expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub filter: Option<String>,
    /// Metadata for the trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>")
    )]
    pub metadata: Option<Map<String, Value>>,
    /// The revenue attributed to the trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub attributed_revenue: Option<f64>,
    /// The steps of the trigger.
    pub steps: Vec<PocketflowsStep>,
    /// The email address used to send email steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub email_address: Option<String>,
    /// The phone number used to send SMS steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub phone_number: Option<String>,
    /// Customers the trigger never enrolls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub excluded_customers: Option<Vec<String>>,
}

/// One step of a Pocketflows trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsStep {
    /// The step kind (`email`, ...).
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
