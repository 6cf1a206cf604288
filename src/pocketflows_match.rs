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
use crate::json::{js_number_string, Map, Value};
use serde::{Deserialize, Serialize};

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

/// An event sent to Pocketflows. Read from JSON data with
/// [`PocketflowsEvent::from_json`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PocketflowsEvent {
    /// The event name (compared with `project_defined_event`).
    pub event: String,
    /// The customer the event is about.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub customer_id: Option<String>,
    /// The event's properties.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown> | null")
    )]
    pub properties: Option<Map>,
    /// The customer's attributes.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown> | null")
    )]
    pub customer: Option<Map>,
}

impl PocketflowsEvent {
    /// Reads an event from JSON data: an object with a string `event`, and
    /// optionally a string `customer_id` and objects `properties` and
    /// `customer` (each may be null); other members are ignored. `Err`
    /// says what does not have that shape.
    pub fn from_json(value: &Value) -> Result<Self, String> {
        let object = as_object(value)?;
        Ok(PocketflowsEvent {
            event: match object.get("event") {
                Some(v) => as_string(v)?,
                None => return Err("missing field `event`".to_owned()),
            },
            customer_id: optional(object, "customer_id", as_string)?,
            properties: optional(object, "properties", |v| as_object(v).cloned())?,
            customer: optional(object, "customer", |v| as_object(v).cloned())?,
        })
    }

    /// The variables a trigger's filter sees (see the module documentation).
    pub fn activation(&self) -> Value {
        let mut event = Map::new();
        event.insert("name".to_owned(), Value::String(self.event.clone()));
        event.insert(
            "properties".to_owned(),
            Value::Object(self.properties.clone().unwrap_or_default()),
        );
        // In key order, as the variables always were.
        let mut vars = Map::new();
        vars.insert(
            "customer".to_owned(),
            Value::Object(self.customer.clone().unwrap_or_default()),
        );
        vars.insert(
            "customer_id".to_owned(),
            self.customer_id.clone().map_or(Value::Null, Value::String),
        );
        vars.insert("event".to_owned(), Value::Object(event));
        Value::Object(vars)
    }
}

impl PocketflowsMatchTrigger {
    /// Reads a trigger from JSON data (a full Trigger object or any object
    /// with the members above; each may be null or missing, other members
    /// are ignored). `Err` says what does not have that shape.
    pub fn from_json(value: &Value) -> Result<Self, String> {
        let object = as_object(value)?;
        Ok(PocketflowsMatchTrigger {
            id: optional(object, "id", as_string)?,
            name: optional(object, "name", as_string)?,
            project_defined_event: optional(object, "project_defined_event", as_string)?,
            status: optional(object, "status", as_status)?,
            filter: optional(object, "filter", as_string)?,
            excluded_customers: optional(object, "excluded_customers", |v| {
                as_array(v)?.iter().map(as_string).collect()
            })?,
        })
    }

    /// Reads an array of triggers from JSON data (see [`Self::from_json`]).
    pub fn list_from_json(value: &Value) -> Result<Vec<Self>, String> {
        as_array(value)?.iter().map(Self::from_json).collect()
    }
}

/// Member `key` read by `read`, `None` when it is missing or null.
fn optional<T>(
    object: &Map,
    key: &str,
    read: impl Fn(&Value) -> Result<T, String>,
) -> Result<Option<T>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => read(value).map(Some),
    }
}

/// "invalid type: <what the value is>, expected <expected>".
fn invalid_type(value: &Value, expected: &str) -> String {
    let found = match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 => {
            format!("integer `{}`", js_number_string(*n))
        }
        Value::Number(n) => format!("floating point `{}`", js_number_string(*n)),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    };
    format!("invalid type: {found}, expected {expected}")
}

fn as_string(value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| invalid_type(value, "a string"))
}

fn as_object(value: &Value) -> Result<&Map, String> {
    value
        .as_object()
        .ok_or_else(|| invalid_type(value, "a map"))
}

fn as_array(value: &Value) -> Result<&Vec<Value>, String> {
    value
        .as_array()
        .ok_or_else(|| invalid_type(value, "a sequence"))
}

fn as_status(value: &Value) -> Result<PocketflowsTriggerStatus, String> {
    match value.as_str() {
        Some("draft") => Ok(PocketflowsTriggerStatus::Draft),
        Some("active") => Ok(PocketflowsTriggerStatus::Active),
        Some("inactive") => Ok(PocketflowsTriggerStatus::Inactive),
        Some(other) => Err(format!(
            "unknown variant `{other}`, expected one of `draft`, `active`, `inactive`"
        )),
        None => Err(invalid_type(value, "a string")),
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
