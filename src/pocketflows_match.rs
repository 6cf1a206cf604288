//! Pocketflows trigger matching: which triggers an event fires, and why the others do not.
//!
//! A trigger fires for an event when, checked in this order (the first
//! failing check is the reported reason):
//! 1. the event's name equals the trigger's `project_defined_event` (`event_mismatch`);
//! 2. the trigger's `status` is `active` (`inactive`; draft, inactive and a
//!    missing status all count as not active);
//! 3. the event's `customer_id` is not in `excluded_customers` (`excluded_customer`);
//! 4. the `filter`, when present and not blank, compiles (`filter_invalid`)
//!    and evaluates to `true` (`filter_false`, or `filter_error` when
//!    evaluation fails, e.g. a missing key).
//!
//! The filter sees exactly three variables:
//! - `event`: `{"name": <event name>, "properties": <event properties or {}>}`,
//! - `customer`: the event's customer object, or `{}`,
//! - `customer_id`: the event's customer id string, or `null`.

use crate::filter::{Filter, FilterIssue};
use crate::formats::pocketflows::PocketflowsTriggerStatus;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The fields of a Pocketflows Trigger object (the API's response shape,
/// `PocketflowsTrigger`) that matching reads; other fields are ignored, so a
/// full Trigger object is accepted as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsMatchTrigger {
    /// The ID of the trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub id: Option<String>,
    /// The name of the trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub name: Option<String>,
    /// The project-defined event that fires the trigger (null: none).
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub project_defined_event: Option<String>,
    /// `draft`, `active` or `inactive`; only active triggers fire.
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "PocketflowsTriggerStatus | null")
    )]
    pub status: Option<PocketflowsTriggerStatus>,
    /// A CEL-subset expression the event must satisfy (null or blank: none).
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub filter: Option<String>,
    /// Customers the trigger never fires for.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string[] | null"))]
    pub excluded_customers: Option<Vec<String>>,
}

/// An event sent to Pocketflows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsEvent {
    /// The event name (compared with `project_defined_event`).
    pub event: String,
    /// The customer the event is about.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub customer_id: Option<String>,
    /// The event's properties.
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown> | null")
    )]
    pub properties: Option<Map<String, Value>>,
    /// The customer's attributes.
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown> | null")
    )]
    pub customer: Option<Map<String, Value>>,
}

impl PocketflowsEvent {
    /// The variables a trigger's filter sees (see the module documentation).
    pub fn activation(&self) -> Value {
        let mut event = Map::new();
        event.insert("name".to_owned(), Value::String(self.event.clone()));
        event.insert(
            "properties".to_owned(),
            Value::Object(self.properties.clone().unwrap_or_default()),
        );
        let mut vars = Map::new();
        vars.insert("event".to_owned(), Value::Object(event));
        vars.insert(
            "customer".to_owned(),
            Value::Object(self.customer.clone().unwrap_or_default()),
        );
        vars.insert(
            "customer_id".to_owned(),
            self.customer_id.clone().map_or(Value::Null, Value::String),
        );
        Value::Object(vars)
    }
}

/// Why a trigger did not fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum PocketflowsMismatchReason {
    /// The event is not the trigger's `project_defined_event`.
    EventMismatch,
    /// The trigger is not active (draft, inactive or no status).
    Inactive,
    /// The event's customer is in `excluded_customers`.
    ExcludedCustomer,
    /// The filter evaluated to false.
    FilterFalse,
    /// The filter's evaluation failed (`error` says why).
    FilterError,
    /// The filter does not compile (`error` says where).
    FilterInvalid,
}

/// The verdict for one trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsMatch {
    /// Position of the trigger in the input.
    pub index: usize,
    /// The trigger's id, when it has one.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub id: Option<String>,
    /// True when the trigger fires.
    pub matched: bool,
    /// Why the trigger does not fire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub reason: Option<PocketflowsMismatchReason>,
    /// The filter's evaluation or syntax error, for `filter_error` and `filter_invalid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error: Option<FilterIssue>,
}

/// One trigger with its filter compiled.
#[derive(Debug)]
struct Compiled {
    id: Option<String>,
    event: Option<String>,
    active: bool,
    excluded: Vec<String>,
    filter: Option<Result<Filter, FilterIssue>>,
}

/// Triggers compiled once (filters parsed) to match many events.
#[derive(Debug)]
pub struct PocketflowsMatcher {
    triggers: Vec<Compiled>,
}

impl PocketflowsMatcher {
    /// Compiles the triggers' filters. A filter that does not compile is
    /// kept as its error and reported (`filter_invalid`) by matching.
    pub fn new(triggers: &[PocketflowsMatchTrigger]) -> Self {
        let triggers = triggers
            .iter()
            .map(|t| Compiled {
                id: t.id.clone(),
                event: t.project_defined_event.clone(),
                active: t.status == Some(PocketflowsTriggerStatus::Active),
                excluded: t.excluded_customers.clone().unwrap_or_default(),
                filter: t
                    .filter
                    .as_deref()
                    .filter(|f| !f.trim().is_empty())
                    .map(|f| Filter::compile(f).map_err(|e| FilterIssue::from(&e))),
            })
            .collect();
        PocketflowsMatcher { triggers }
    }

    /// The verdict for every trigger, in input order.
    pub fn match_event(&self, event: &PocketflowsEvent) -> Vec<PocketflowsMatch> {
        // Built once per event, and only when some filter needs it.
        let mut activation: Option<Value> = None;
        self.triggers
            .iter()
            .enumerate()
            .map(|(index, t)| {
                let verdict = |reason: Option<PocketflowsMismatchReason>,
                               error: Option<FilterIssue>| {
                    PocketflowsMatch {
                        index,
                        id: t.id.clone(),
                        matched: reason.is_none(),
                        reason,
                        error,
                    }
                };
                if t.event.as_deref() != Some(event.event.as_str()) {
                    return verdict(Some(PocketflowsMismatchReason::EventMismatch), None);
                }
                if !t.active {
                    return verdict(Some(PocketflowsMismatchReason::Inactive), None);
                }
                if let Some(customer) = &event.customer_id {
                    if t.excluded.iter().any(|c| c == customer) {
                        return verdict(Some(PocketflowsMismatchReason::ExcludedCustomer), None);
                    }
                }
                match &t.filter {
                    None => verdict(None, None),
                    Some(Err(issue)) => verdict(
                        Some(PocketflowsMismatchReason::FilterInvalid),
                        Some(issue.clone()),
                    ),
                    Some(Ok(filter)) => {
                        let vars = activation.get_or_insert_with(|| event.activation());
                        match filter.evaluate(vars) {
                            Ok(true) => verdict(None, None),
                            Ok(false) => {
                                verdict(Some(PocketflowsMismatchReason::FilterFalse), None)
                            }
                            Err(e) => verdict(
                                Some(PocketflowsMismatchReason::FilterError),
                                Some(FilterIssue::from(&e)),
                            ),
                        }
                    }
                }
            })
            .collect()
    }
}

/// Matches one event against triggers (compiling their filters each call;
/// use [`PocketflowsMatcher`] to match many events).
pub fn match_triggers(
    triggers: &[PocketflowsMatchTrigger],
    event: &PocketflowsEvent,
) -> Vec<PocketflowsMatch> {
    PocketflowsMatcher::new(triggers).match_event(event)
}
