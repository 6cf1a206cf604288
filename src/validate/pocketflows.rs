//! Pocketflows trigger validation: the body of POST /businesses/{id}/triggers.
//!
//! Structure and types follow the API reference (`filter`, `metadata`,
//! `attributed_revenue`, `email_address` and `phone_number` may be null;
//! `excluded_customers` may not). Step rules: every step has a known
//! `type`; an `email` step needs `email_template_id` and the trigger an
//! `email_address`; an `sms` step needs the trigger's `phone_number`; a
//! `custom` step needs `custom_step_id`. Unknown members are ignored by the
//! server and reported as warnings.
//!
//! The normalized value is the body's known members as given: a nullable
//! member given as `null` stays `null`, an absent one stays absent, and
//! nothing is added.

use super::json_schema::{
    describe_type, expect_object, is_given, preview, string_member, typed_member,
    warn_unknown_keys, Presence,
};
use crate::formats::pocketflows::{PocketflowsStep, PocketflowsStepType, PocketflowsTriggerInput};
use crate::issue::{Issues, Pointer, ValidationResult};
use crate::json::{Map, Value};

/// Longest `filter` accepted, in characters.
pub const MAX_FILTER_LENGTH: usize = 10_000;

const KNOWN_KEYS: &[&str] = &[
    "project_defined_event",
    "name",
    "filter",
    "metadata",
    "attributed_revenue",
    "steps",
    "email_address",
    "phone_number",
    "excluded_customers",
];

/// Members of the Trigger object a caller may paste back into a create body.
const RESPONSE_ONLY_KEYS: &[&str] = &[
    "id",
    "created_at",
    "updated_at",
    "internal_event_definition",
    "trigger",
    "status",
    "statistics",
];

const STEP_KEYS: &[&str] = &["type", "custom_step_id", "email_template_id"];

/// Validates a Pocketflows create-trigger body.
pub fn validate_pocketflows_trigger(input: &Value) -> ValidationResult<PocketflowsTriggerInput> {
    let mut issues = Issues::new();
    let root = Pointer::root();
    let Some(members) = expect_object(input, &root, &mut issues) else {
        return ValidationResult::from_parts(issues, None);
    };
    warn_unknown_keys(members, KNOWN_KEYS, &root, &mut issues, |key| {
        RESPONSE_ONLY_KEYS
            .contains(&key)
            .then_some("a read-only member of the Trigger object, not of the create body")
    });

    let project_defined_event = string_member(
        members,
        "project_defined_event",
        &root,
        Presence::Required,
        &mut issues,
    );
    let name = string_member(members, "name", &root, Presence::Required, &mut issues);
    let filter = filter_member(members, &root, &mut issues);
    let metadata = typed_member(
        members,
        "metadata",
        "object",
        &root,
        Presence::Optional,
        &mut issues,
    )
    .and_then(Value::as_object)
    .cloned();
    let attributed_revenue = revenue_member(members, &root, &mut issues);
    let email_address = string_member(
        members,
        "email_address",
        &root,
        Presence::Optional,
        &mut issues,
    );
    let phone_number = string_member(
        members,
        "phone_number",
        &root,
        Presence::Optional,
        &mut issues,
    );
    let excluded_customers = excluded_customers_member(members, &root, &mut issues);
    let (steps, kinds) = steps_member(members, &root, &mut issues);
    require_senders(&kinds, members, &root, &mut issues);

    let kept = |key: &str| members.get(key).is_some_and(Value::is_null);
    let value = match (project_defined_event, name, steps) {
        (Some(project_defined_event), Some(name), Some(steps)) => Some(PocketflowsTriggerInput {
            project_defined_event,
            name,
            filter: nullable(kept("filter"), filter),
            metadata: nullable(kept("metadata"), metadata),
            attributed_revenue: nullable(kept("attributed_revenue"), attributed_revenue),
            steps,
            email_address: nullable(kept("email_address"), email_address),
            phone_number: nullable(kept("phone_number"), phone_number),
            excluded_customers,
        }),
        _ => None,
    };
    ValidationResult::from_parts(issues, value)
}

/// A nullable member of the value: `null` when the body had it so (the
/// server keeps it), else what was read (absent when the body lacked it).
fn nullable<T>(null: bool, value: Option<T>) -> Option<Option<T>> {
    if null {
        Some(None)
    } else {
        value.map(Some)
    }
}

/// Checks a `filter` expression: it must not be blank, must not exceed
/// [`MAX_FILTER_LENGTH`] characters, and must parse in the filter language
/// (an `invalid_filter` error naming the syntax error's line and column).
pub fn check_filter(filter: &str, path: &Pointer, issues: &mut Issues) {
    if filter.trim().is_empty() {
        issues.error(
            path,
            "empty",
            "a filter must not be blank; omit it or use null for no filter",
        );
        return;
    }
    let length = filter.chars().count();
    if length > MAX_FILTER_LENGTH {
        issues.error(
            path,
            "too_long",
            format!("a filter must be at most {MAX_FILTER_LENGTH} characters long, not {length}"),
        );
        return;
    }
    if let Some(issue) = crate::filter::validate_filter(filter, path) {
        issues.errors.push(issue);
    }
}

fn filter_member(members: &Map, root: &Pointer, issues: &mut Issues) -> Option<String> {
    let filter = typed_member(
        members,
        "filter",
        "string",
        root,
        Presence::Optional,
        issues,
    )?;
    let text = filter.as_str()?;
    check_filter(text, &root.key("filter"), issues);
    Some(text.to_owned())
}

fn revenue_member(members: &Map, root: &Pointer, issues: &mut Issues) -> Option<f64> {
    let amount = typed_member(
        members,
        "attributed_revenue",
        "number",
        root,
        Presence::Optional,
        issues,
    )?
    .as_f64()?;
    if amount < 0.0 {
        issues.warning(
            &root.key("attributed_revenue"),
            "negative",
            "attributed revenue is negative",
        );
    }
    Some(amount)
}

fn excluded_customers_member(
    members: &Map,
    root: &Pointer,
    issues: &mut Issues,
) -> Option<Vec<String>> {
    let at = root.key("excluded_customers");
    let items = typed_member(
        members,
        "excluded_customers",
        "array",
        root,
        Presence::NotNull,
        issues,
    )?
    .as_array()?;
    let mut first_seen: rustc_hash::FxHashMap<&str, usize> = Default::default();
    let mut customers = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let here = at.index(i);
        match item {
            Value::String(id) if id.trim().is_empty() => {
                issues.error(&here, "empty", "a customer ID must not be empty")
            }
            Value::String(id) => match first_seen.get(id.as_str()) {
                Some(first) => issues.warning(
                    &here,
                    "duplicate",
                    format!(
                        "customer {} is already excluded at index {first}",
                        preview(id)
                    ),
                ),
                None => {
                    first_seen.insert(id, i);
                    customers.push(id.clone());
                }
            },
            other => issues.error(
                &here,
                "type",
                format!("must be a customer ID string, not {}", describe_type(other)),
            ),
        }
    }
    Some(customers)
}

/// The steps, when every one is usable, and the kind of each step whose
/// `type` is known (usable or not, so sender rules are checked regardless).
type Steps = (
    Option<Vec<PocketflowsStep>>,
    Vec<(usize, PocketflowsStepType)>,
);

fn steps_member(members: &Map, root: &Pointer, issues: &mut Issues) -> Steps {
    let at = root.key("steps");
    let Some(items) = typed_member(members, "steps", "array", root, Presence::Required, issues)
        .and_then(Value::as_array)
    else {
        return (None, Vec::new());
    };
    if items.is_empty() {
        issues.warning(
            &at,
            "no_steps",
            "the trigger has no steps, so it will do nothing",
        );
    }
    let mut steps = Some(Vec::with_capacity(items.len()));
    let mut kinds = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let (step, kind) = step(item, &at.index(i), issues);
        if let Some(kind) = kind {
            kinds.push((i, kind));
        }
        match (step, steps.as_mut()) {
            (Some(step), Some(all)) => all.push(step),
            _ => steps = None,
        }
    }
    (steps, kinds)
}

fn step(
    item: &Value,
    at: &Pointer,
    issues: &mut Issues,
) -> (Option<PocketflowsStep>, Option<PocketflowsStepType>) {
    let Some(members) = expect_object(item, at, issues) else {
        return (None, None);
    };
    warn_unknown_keys(members, STEP_KEYS, at, issues, |_| None);
    let step_type = string_member(members, "type", at, Presence::Required, issues);
    let custom_step_id = string_member(members, "custom_step_id", at, Presence::Optional, issues);
    let email_template_id =
        string_member(members, "email_template_id", at, Presence::Optional, issues);
    let Some(name) = step_type else {
        return (None, None);
    };
    let Some(kind) = PocketflowsStepType::parse(&name) else {
        let known: Vec<&str> = PocketflowsStepType::ALL
            .iter()
            .map(|t| t.as_str())
            .collect();
        issues.error(
            &at.key("type"),
            "unknown_step_type",
            format!(
                "unknown step type {}; expected one of {}",
                preview(&name),
                known.join(", ")
            ),
        );
        return (None, None);
    };
    let needed = match kind {
        PocketflowsStepType::Email => Some("email_template_id"),
        PocketflowsStepType::Custom => Some("custom_step_id"),
        PocketflowsStepType::Sms => None,
    };
    // A present-but-invalid id was reported already by string_member.
    if let Some(key) = needed.filter(|key| !is_given(members, key)) {
        issues.error(
            &at.key(key),
            "required",
            format!("{} step needs {key}", article(kind)),
        );
    }
    let step = PocketflowsStep {
        step_type: name,
        custom_step_id,
        email_template_id,
    };
    (Some(step), Some(kind))
}

fn article(kind: PocketflowsStepType) -> &'static str {
    match kind {
        PocketflowsStepType::Email => "an email",
        PocketflowsStepType::Sms => "an SMS",
        PocketflowsStepType::Custom => "a custom",
    }
}

/// An email step sends from the trigger's `email_address`, an SMS step from
/// its `phone_number`: each is required once such a step exists.
fn require_senders(
    kinds: &[(usize, PocketflowsStepType)],
    members: &Map,
    root: &Pointer,
    issues: &mut Issues,
) {
    let senders = [
        (PocketflowsStepType::Email, "email_address"),
        (PocketflowsStepType::Sms, "phone_number"),
    ];
    for (kind, key) in senders {
        let Some((first, _)) = kinds.iter().find(|(_, k)| *k == kind) else {
            continue;
        };
        if !is_given(members, key) {
            issues.error(
                &root.key(key),
                "required",
                format!(
                    "{key} is required because step {first} is {} step",
                    article(kind)
                ),
            );
        }
    }
}
