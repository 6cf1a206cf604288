//! Zendesk trigger validation: the trigger object (bare, or wrapped as the
//! `{"trigger": ...}` body of POST /api/v2/triggers), its members' types,
//! and each condition's field, operator and value and each action's field
//! and value, checked against the conditions and actions references built in
//! here or, when given, against an account's definitions document
//! (GET /api/v2/triggers/definitions), which is authoritative. Also renders
//! errors as Zendesk's `RecordInvalid` body.
//!
//! The built-in references are Zendesk's documented ones for triggers. A
//! field they do not list is only a warning (accounts have more fields than
//! the documentation names); with a definitions document it is an error.
//! Scalar values are normalized to strings, the type the API documents.

use crate::formats::zendesk::{
    ZendeskAction, ZendeskCondition, ZendeskConditions, ZendeskDefinitions, ZendeskErrorDetail,
    ZendeskErrorDetails, ZendeskFieldDefinition, ZendeskRecordInvalid, ZendeskTrigger,
};
use crate::issue::{Issues, Pointer, ValidationResult};
use crate::json::{number_text, Map, Value};

/// Validates a Zendesk trigger, optionally against an account's definitions.
/// A valid result carries the normalized trigger (`active` filled in,
/// scalar values as strings, omitted operators as `is`).
pub fn validate_zendesk_trigger(
    input: &Value,
    definitions: Option<&ZendeskDefinitions>,
) -> ValidationResult<ZendeskTrigger> {
    let mut checker = Checker {
        issues: Issues::new(),
        definitions,
    };
    let (trigger, path) = match input.as_object().map(|o| (o.len(), o.get("trigger"))) {
        Some((1, Some(inner))) if inner.is_object() => (inner, Pointer::root().key("trigger")),
        _ => (input, Pointer::root()),
    };
    let value = checker.trigger(trigger, &path);
    ValidationResult::from_parts(checker.issues, value)
}

/// The errors of an invalid result as Zendesk's 422 `RecordInvalid` body
/// (`None` when valid): one `details.base` entry per error, described as
/// `<Member>: <message>` and typed `BlankValue` (missing) or `InvalidValue`.
pub fn zendesk_record_invalid<T>(result: &ValidationResult<T>) -> Option<ZendeskRecordInvalid> {
    if result.errors.is_empty() {
        return None;
    }
    let base = result
        .errors
        .iter()
        .map(|issue| {
            let blank = matches!(issue.code.as_str(), "required" | "blank" | "missing_value");
            ZendeskErrorDetail {
                description: format!("{}: {}", member_label(&issue.path), issue.message),
                error: Some(if blank { "BlankValue" } else { "InvalidValue" }.to_owned()),
            }
        })
        .collect();
    Some(ZendeskRecordInvalid {
        error: "RecordInvalid".to_owned(),
        description: "Record validation errors".to_owned(),
        details: ZendeskErrorDetails { base },
    })
}

/// The trigger member a path is under, humanized as Rails does
/// (`category_id` -> `Category`, `conditions` -> `Conditions`).
fn member_label(path: &str) -> String {
    let mut segments = path.split('/').skip(1);
    let mut member = segments.next().unwrap_or_default();
    if member == "trigger" {
        member = segments.next().unwrap_or_default();
    }
    let words = member
        .strip_suffix("_id")
        .unwrap_or(member)
        .replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => crate::json::case::char_uppercase(first) + chars.as_str(),
        None => "Trigger".to_owned(),
    }
}

/// How a field's value is written.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// One of the listed strings.
    Choice(&'static [&'static str]),
    /// A numeric id, or one of the listed keywords (`""` when listed).
    Id(&'static [&'static str]),
    /// Text that is not blank.
    Text,
    /// Any text, blank included.
    AnyText,
    /// A whole number.
    Count,
    /// Any scalar: the value depends on the (custom) field's type.
    Scalar,
    /// No value: the field itself is the test.
    Nothing,
    /// Actions: a scalar or a list of scalars (multi-select custom fields).
    ScalarOrList,
    /// Actions: `[recipient, subject, body]`, the recipient a numeric id or
    /// one of the listed keywords.
    Notify(&'static [&'static str]),
    /// Actions: `[target id, message]`.
    Target,
    /// Actions: `[webhook id, payload]`, the payload text or a list.
    Webhook,
}

/// A condition field of the built-in reference.
struct ConditionRule {
    operators: &'static [&'static str],
    kind: Kind,
    /// The reference says to omit the operator; `is` is what the API stores.
    operator_optional: bool,
}

const TERMINAL: &[&str] = &["changed", "not_changed", "present", "not_present"];
const IS: &[&str] = &["is", "is_not"];
const IS_ONLY: &[&str] = &["is"];
const IS_OR_CHANGED: &[&str] = &[
    "is",
    "is_not",
    "changed",
    "value",
    "value_previous",
    "not_changed",
    "not_value",
    "not_value_previous",
];
const ORDERED_OR_CHANGED: &[&str] = &[
    "is",
    "is_not",
    "less_than",
    "greater_than",
    "changed",
    "value",
    "value_previous",
    "not_changed",
    "not_value",
    "not_value_previous",
];
const INCLUDES: &[&str] = &["includes", "not_includes"];
const WORDS: &[&str] = &["includes", "not_includes", "is", "is_not"];
const COUNTS: &[&str] = &["less_than", "greater_than", "is"];
const PERSON_FIELD: &[&str] = &[
    "is",
    "is_not",
    "present",
    "not_present",
    "includes",
    "not_includes",
    "includes_string",
    "not_includes_string",
];
/// Custom ticket fields take the operators of their type (drop-down,
/// checkbox, number, multi-select...), all of which are listed here.
const CUSTOM_FIELD: &[&str] = &[
    "is",
    "is_not",
    "present",
    "not_present",
    "changed",
    "value",
    "value_previous",
    "not_changed",
    "not_value",
    "not_value_previous",
    "less_than",
    "greater_than",
    "less_than_equal",
    "greater_than_equal",
    "includes",
    "not_includes",
    "includes_string",
    "not_includes_string",
];

/// Ticket statuses, in the order `less_than`/`greater_than` compare them.
const STATUSES: &[&str] = &["new", "open", "pending", "hold", "solved", "closed"];
/// Priorities, in order; `""` is no priority.
const PRIORITIES: &[&str] = &["", "low", "normal", "high", "urgent"];
const TYPES: &[&str] = &["question", "incident", "problem", "task"];
const SATISFACTION: &[&str] = &[
    "good_with_comment",
    "good",
    "bad_with_comment",
    "bad",
    "false",
    "true",
];

const fn rule(operators: &'static [&'static str], kind: Kind) -> ConditionRule {
    ConditionRule {
        operators,
        kind,
        operator_optional: false,
    }
}

const fn rule_without_operator(kind: Kind) -> ConditionRule {
    ConditionRule {
        operators: IS_ONLY,
        kind,
        operator_optional: true,
    }
}

/// The conditions reference for triggers, by field.
fn condition_rule(field: &str) -> Lookup<ConditionRule> {
    let found = match field {
        "status" => rule(ORDERED_OR_CHANGED, Kind::Choice(STATUSES)),
        "priority" => rule(ORDERED_OR_CHANGED, Kind::Choice(PRIORITIES)),
        "satisfaction_score" => rule(ORDERED_OR_CHANGED, Kind::Choice(SATISFACTION)),
        "type" => rule(IS_OR_CHANGED, Kind::Choice(TYPES)),
        "group_id" | "organization_id" => rule(IS_OR_CHANGED, Kind::Id(&[""])),
        "assignee_id" | "requester_id" => rule(IS_OR_CHANGED, Kind::Id(&["", "current_user"])),
        "brand_id" | "ticket_form_id" => rule(IS_OR_CHANGED, Kind::Id(&[])),
        "via_id" | "current_via_id" | "locale_id" => rule(IS, Kind::Id(&[])),
        "current_tags" => rule(INCLUDES, Kind::Text),
        "subject_includes_word" | "comment_includes_word" => rule(WORDS, Kind::Text),
        "recipient" => rule_without_operator(Kind::Text),
        "update_type" => rule_without_operator(Kind::Choice(&["Create", "Change"])),
        "comment_is_public" => rule_without_operator(Kind::Choice(&[
            "true",
            "false",
            "not_relevant",
            "requester_can_see_comment",
        ])),
        "ticket_is_public" => rule_without_operator(Kind::Choice(&["public", "private"])),
        "in_business_hours" => rule_without_operator(Kind::Choice(&["true", "false"])),
        "requester_twitter_verified" => rule_without_operator(Kind::Nothing),
        "reopens"
        | "replies"
        | "agent_stations"
        | "group_stations"
        | "requester_twitter_followers_count"
        | "requester_twitter_statuses_count" => rule(COUNTS, Kind::Count),
        "description_includes_word" => {
            return Lookup::Unavailable("is available in views and automations, not in triggers")
        }
        "NEW"
        | "OPEN"
        | "PENDING"
        | "SOLVED"
        | "CLOSED"
        | "assigned_at"
        | "updated_at"
        | "requester_updated_at"
        | "assignee_updated_at"
        | "due_date"
        | "until_due_date" => {
            return Lookup::Unavailable(
                "is a time-based condition of automations and views, not of triggers",
            )
        }
        "ticket_type_id" | "exact_created_at" => {
            return Lookup::Unavailable("is a condition of SLA policies, not of triggers")
        }
        _ if custom_field_id(field).is_some() => rule(CUSTOM_FIELD, Kind::Scalar),
        _ if ["user.custom_fields_", "organization.custom_fields_"]
            .iter()
            .any(|prefix| {
                field
                    .strip_prefix(prefix)
                    .is_some_and(|key| !key.is_empty())
            }) =>
        {
            rule(PERSON_FIELD, Kind::Scalar)
        }
        _ => return Lookup::Unknown,
    };
    Lookup::Known(found)
}

/// The actions reference for triggers, by field.
fn action_kind(field: &str) -> Lookup<Kind> {
    let kind = match field {
        "status" => Kind::Choice(&["open", "pending", "hold", "solved", "closed"]),
        "priority" => Kind::Choice(&["low", "normal", "high", "urgent"]),
        "type" => Kind::Choice(TYPES),
        "group_id" => Kind::Id(&[""]),
        "assignee_id" => Kind::Id(&["", "current_user"]),
        "cc" => Kind::Id(&["current_user"]),
        "brand_id" | "ticket_form_id" | "locale_id" | "set_schedule" => Kind::Id(&[]),
        "set_tags" => Kind::AnyText,
        "current_tags" | "remove_tags" | "tweet_requester" => Kind::Text,
        "satisfaction_score" => Kind::Choice(&["offered_to_requester"]),
        "notification_user" => Kind::Notify(&[
            "current_user",
            "requester_id",
            "assignee_id",
            "requester_and_ccs",
            "all_agents",
        ]),
        "notification_group" => Kind::Notify(&["group_id", "all_agents"]),
        "notification_target" => Kind::Target,
        "notification_webhook" => Kind::Webhook,
        _ if custom_field_id(field).is_some() => Kind::ScalarOrList,
        _ => return Lookup::Unknown,
    };
    Lookup::Known(kind)
}

fn custom_field_id(field: &str) -> Option<&str> {
    field
        .strip_prefix("custom_fields_")
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

enum Lookup<T> {
    Known(T),
    Unavailable(&'static str),
    Unknown,
}

/// Members of a trigger the API knows; others are ignored by the server.
const TRIGGER_MEMBERS: &[&str] = &[
    "id",
    "title",
    "active",
    "position",
    "conditions",
    "actions",
    "description",
    "category_id",
    "raw_title",
    "default",
    "created_at",
    "updated_at",
    "url",
];

/// Deepest value kept as given (unknown fields, webhook payloads); the
/// normalized copy is made by recursion, so depth is bounded first.
const MAX_VALUE_DEPTH: usize = 32;

/// Longest text echoed back in a message.
const MAX_ECHO: usize = 60;

struct Checker<'d> {
    issues: Issues,
    definitions: Option<&'d ZendeskDefinitions>,
}

/// Which list a condition is in; definitions differ per list.
#[derive(Clone, Copy, PartialEq)]
enum List {
    All,
    Any,
}

impl List {
    fn name(self) -> &'static str {
        match self {
            List::All => "all",
            List::Any => "any",
        }
    }
}

impl Checker<'_> {
    fn error(&mut self, path: &Pointer, code: &str, message: impl Into<String>) {
        self.issues.error(path, code, message);
    }

    fn required(&mut self, object: &Map, path: &Pointer, key: &str) -> bool {
        let present = object.contains_key(key);
        if !present {
            self.error(
                path,
                "required",
                format!("must have required property '{key}'"),
            );
        }
        present
    }

    fn trigger(&mut self, input: &Value, path: &Pointer) -> Option<ZendeskTrigger> {
        let Some(object) = input.as_object() else {
            self.error(path, "type", "must be an object");
            return None;
        };
        for key in ["title", "conditions", "actions"] {
            self.required(object, path, key);
        }
        for key in object.keys() {
            if !TRIGGER_MEMBERS.contains(&key.as_str()) {
                self.issues.warning(
                    &path.key(key),
                    "unknown_property",
                    "not a trigger property; the server ignores it",
                );
            }
        }
        let before = self.issues.errors.len();
        let member = |key: &str| object.get(key).filter(|v| !v.is_null());
        let title = object
            .get("title")
            .and_then(|v| self.title(v, &path.key("title")));
        let id = member("id")
            .and_then(|v| self.typed(v.as_safe_u64(), &path.key("id"), "a non-negative integer"));
        let active = member("active")
            .and_then(|v| self.typed(v.as_bool(), &path.key("active"), "a boolean"));
        let position = member("position")
            .and_then(|v| self.typed(v.as_safe_i64(), &path.key("position"), "an integer"));
        let description =
            member("description").and_then(|v| self.text(v, &path.key("description")));
        let category_id =
            member("category_id").and_then(|v| self.id_text(v, &path.key("category_id")));
        let raw_title = member("raw_title").and_then(|v| self.text(v, &path.key("raw_title")));
        let default = member("default")
            .and_then(|v| self.typed(v.as_bool(), &path.key("default"), "a boolean"));
        let created_at = member("created_at").and_then(|v| self.text(v, &path.key("created_at")));
        let updated_at = member("updated_at").and_then(|v| self.text(v, &path.key("updated_at")));
        let url = member("url").and_then(|v| self.text(v, &path.key("url")));
        let conditions = object
            .get("conditions")
            .and_then(|v| self.conditions(v, &path.key("conditions")));
        let actions = object
            .get("actions")
            .and_then(|v| self.actions(v, &path.key("actions")));
        if self.issues.errors.len() > before {
            return None;
        }
        Some(ZendeskTrigger {
            id,
            title: title?,
            active: active.unwrap_or(true),
            position,
            conditions: conditions?,
            actions: actions?,
            description,
            category_id,
            raw_title,
            default,
            created_at,
            updated_at,
            url,
        })
    }

    fn title(&mut self, value: &Value, path: &Pointer) -> Option<String> {
        let title = self.text(value, path)?;
        if title.trim().is_empty() {
            self.error(path, "blank", "cannot be blank");
            return None;
        }
        Some(title)
    }

    fn text(&mut self, value: &Value, path: &Pointer) -> Option<String> {
        self.typed(value.as_str().map(str::to_owned), path, "a string")
    }

    /// A string member the API also accepts as a number (`category_id`).
    fn id_text(&mut self, value: &Value, path: &Pointer) -> Option<String> {
        match value {
            Value::Number(n) => Some(number_text(*n)),
            _ => self.text(value, path),
        }
    }

    /// `found`, or a type error saying what was expected.
    fn typed<T>(&mut self, found: Option<T>, path: &Pointer, expected: &str) -> Option<T> {
        if found.is_none() {
            self.error(path, "type", format!("must be {expected}"));
        }
        found
    }

    fn conditions(&mut self, value: &Value, path: &Pointer) -> Option<ZendeskConditions> {
        let Some(object) = value.as_object() else {
            self.error(path, "type", "must be an object with `all` and `any` lists");
            return None;
        };
        for key in object.keys() {
            if key != "all" && key != "any" {
                self.issues.warning(
                    &path.key(key),
                    "unknown_property",
                    "conditions have only `all` and `any`; the server ignores this",
                );
            }
        }
        let before = self.issues.errors.len();
        let all = self.condition_list(object.get("all"), &path.key("all"), List::All);
        let any = self.condition_list(object.get("any"), &path.key("any"), List::Any);
        let given = |key: &str| {
            object
                .get(key)
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        };
        if given("all") + given("any") == 0 {
            self.issues.warning(
                path,
                "no_conditions",
                "with no condition the trigger fires on every ticket update",
            );
        }
        (self.issues.errors.len() == before).then_some(ZendeskConditions { all, any })
    }

    fn condition_list(
        &mut self,
        value: Option<&Value>,
        path: &Pointer,
        list: List,
    ) -> Option<Vec<ZendeskCondition>> {
        let items = match value? {
            Value::Null => return None,
            Value::Array(items) => items,
            _ => {
                self.error(path, "type", "must be an array of conditions");
                return None;
            }
        };
        let conditions: Vec<_> = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.condition(item, &path.index(i), list))
            .collect();
        self.repeated(
            items.iter().map(|item| item.get("field")),
            path,
            self.definitions.map(|d| match list {
                List::All => &d.definitions.conditions_all,
                List::Any => &d.definitions.conditions_any,
            }),
        );
        Some(conditions)
    }

    /// Warns when a field the definitions call non-repeatable appears twice.
    fn repeated<'v>(
        &mut self,
        fields: impl Iterator<Item = Option<&'v Value>>,
        path: &Pointer,
        definitions: Option<&Vec<ZendeskFieldDefinition>>,
    ) {
        let Some(definitions) = definitions else {
            return;
        };
        let mut seen: Vec<&str> = Vec::new();
        for (i, field) in fields.enumerate() {
            let Some(field) = field.and_then(Value::as_str) else {
                continue;
            };
            let once = definitions
                .iter()
                .any(|d| d.subject == field && !d.repeatable);
            if once && seen.contains(&field) {
                self.issues.warning(
                    &path.index(i).key("field"),
                    "repeated_field",
                    format!("the account allows {} only once here", echo(field)),
                );
            }
            seen.push(field);
        }
    }

    fn condition(&mut self, value: &Value, path: &Pointer, list: List) -> Option<ZendeskCondition> {
        let Some(object) = value.as_object() else {
            self.error(
                path,
                "type",
                "must be an object with field, operator and value",
            );
            return None;
        };
        let field_path = path.key("field");
        let field = match object.get("field") {
            None => {
                self.required(object, path, "field");
                None
            }
            Some(field) => self.field_name(field, &field_path),
        };
        let operator = match object.get("operator") {
            None | Some(Value::Null) => None,
            Some(Value::String(op)) => Some(op.as_str()),
            Some(_) => {
                self.error(&path.key("operator"), "type", "must be a string");
                return None;
            }
        };
        let field = field?;
        let value = object.get("value").filter(|v| !v.is_null());
        let definition = self.definitions.map(|d| {
            let (own, other) = match list {
                List::All => (&d.definitions.conditions_all, &d.definitions.conditions_any),
                List::Any => (&d.definitions.conditions_any, &d.definitions.conditions_all),
            };
            (find(own, field), find(other, field).is_some())
        });
        let rule = condition_rule(field);
        let spec = match (definition, rule) {
            (Some((None, in_other)), _) => {
                let where_ = if in_other {
                    format!(
                        "is not available in `{}` conditions in this account",
                        list.name()
                    )
                } else {
                    "is not a condition field of this account".to_owned()
                };
                self.error(
                    &field_path,
                    "unknown_field",
                    format!("{} {where_}", echo(field)),
                );
                return None;
            }
            (None, Lookup::Unavailable(why)) => {
                self.error(
                    &field_path,
                    "unavailable_field",
                    format!("{} {why}", echo(field)),
                );
                return None;
            }
            (Some((Some(def), _)), rule) => ConditionSpec::from_definition(def, rule),
            (None, Lookup::Known(rule)) => ConditionSpec::from_rule(&rule),
            (None, Lookup::Unknown) => {
                self.issues.warning(
                    &field_path,
                    "unknown_field",
                    format!(
                        "{} is not in the conditions reference; pass the account's definitions to check it",
                        echo(field)
                    ),
                );
                ConditionSpec::unchecked()
            }
        };
        let operator = match (operator, spec.default_operator) {
            (Some(op), _) => op,
            (None, Some(default)) => default,
            (None, None) => {
                self.required(object, path, "operator");
                return None;
            }
        };
        if let Some(allowed) = &spec.operators {
            if !allowed.iter().any(|op| op == operator) {
                self.error(
                    &path.key("operator"),
                    "invalid_operator",
                    format!(
                        "{} does not take the operator {}; it takes {}",
                        echo(field),
                        echo(operator),
                        allowed.join(", ")
                    ),
                );
                return None;
            }
        }
        let terminal = spec.terminal.iter().any(|op| op == operator)
            || matches!(spec.kind, Some(Kind::Nothing));
        let value_path = path.key("value");
        let value = if terminal {
            if value.is_some_and(|v| v.as_str() != Some("")) {
                self.error(
                    &value_path,
                    "unexpected_value",
                    format!("{} takes no value here", echo(operator)),
                );
                return None;
            }
            None
        } else {
            let Some(value) = value else {
                self.error(
                    path,
                    "missing_value",
                    format!("{} needs a value", echo(operator)),
                );
                return None;
            };
            Some(Value::String(self.checked_scalar(
                value,
                &value_path,
                &spec,
            )?))
        };
        Some(ZendeskCondition {
            field: field.to_owned(),
            operator: operator.to_owned(),
            value,
        })
    }

    fn field_name<'v>(&mut self, value: &'v Value, path: &Pointer) -> Option<&'v str> {
        match value.as_str() {
            Some("") => {
                self.error(path, "blank", "cannot be blank");
                None
            }
            Some(field) => Some(field),
            None => {
                self.error(path, "type", "must be a string");
                None
            }
        }
    }

    /// A scalar value as a string, checked against the spec's values or kind.
    fn checked_scalar(
        &mut self,
        value: &Value,
        path: &Pointer,
        spec: &ConditionSpec,
    ) -> Option<String> {
        let Some(text) = scalar_text(value) else {
            self.error(path, "type", "must be a string");
            return None;
        };
        if let Some(values) = &spec.values {
            self.listed_value(&text, values, spec.nullable, path)?;
            return Some(text);
        }
        match spec.kind {
            Some(kind) => self.kind_value(&text, kind, path).then_some(text),
            None => Some(text),
        }
    }

    /// Checks `text` against a definition's list of values.
    fn listed_value(
        &mut self,
        text: &str,
        values: &[(String, bool)],
        nullable: bool,
        path: &Pointer,
    ) -> Option<()> {
        match values.iter().find(|(value, _)| value == text) {
            Some((_, true)) => Some(()),
            _ if nullable && text.is_empty() => Some(()),
            Some((_, false)) => {
                self.error(
                    path,
                    "invalid_value",
                    format!("{} is turned off in this account", echo(text)),
                );
                None
            }
            None => {
                let listed: Vec<&str> = values
                    .iter()
                    .filter(|(_, enabled)| *enabled)
                    .map(|(value, _)| value.as_str())
                    .collect();
                self.error(
                    path,
                    "invalid_value",
                    format!("{} is not one of {}", echo(text), list_text(&listed)),
                );
                None
            }
        }
    }

    /// Checks a scalar text against a built-in kind; true when it fits.
    fn kind_value(&mut self, text: &str, kind: Kind, path: &Pointer) -> bool {
        let problem = match kind {
            Kind::Choice(choices) if !choices.contains(&text) => {
                Some(format!("must be one of {}", list_text(choices)))
            }
            Kind::Id(keywords) if !(keywords.contains(&text) || is_digits(text)) => {
                Some(if keywords.is_empty() {
                    "must be a numeric id".to_owned()
                } else {
                    format!("must be a numeric id or one of {}", list_text(keywords))
                })
            }
            Kind::Text if text.trim().is_empty() => Some("cannot be blank".to_owned()),
            Kind::Count if !is_digits(text) => Some("must be a whole number".to_owned()),
            _ => None,
        };
        if let Some(problem) = &problem {
            self.error(path, "invalid_value", problem.as_str());
        }
        problem.is_none()
    }

    fn actions(&mut self, value: &Value, path: &Pointer) -> Option<Vec<ZendeskAction>> {
        let Some(items) = value.as_array() else {
            self.error(path, "type", "must be an array of actions");
            return None;
        };
        if items.is_empty() {
            self.issues
                .warning(path, "no_actions", "a trigger with no action does nothing");
        }
        let before = self.issues.errors.len();
        let actions: Vec<_> = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.action(item, &path.index(i)))
            .collect();
        self.repeated(
            items.iter().map(|item| item.get("field")),
            path,
            self.definitions.map(|d| &d.definitions.actions),
        );
        (self.issues.errors.len() == before).then_some(actions)
    }

    fn action(&mut self, value: &Value, path: &Pointer) -> Option<ZendeskAction> {
        let Some(object) = value.as_object() else {
            self.error(path, "type", "must be an object with field and value");
            return None;
        };
        let has_field = self.required(object, path, "field");
        let has_value = self.required(object, path, "value");
        let field_path = path.key("field");
        let field = match object.get("field") {
            Some(field) if has_field => self.field_name(field, &field_path),
            _ => None,
        };
        let (field, value) = (field?, object.get("value").filter(|_| has_value)?);
        let value_path = path.key("value");
        if value.is_null() {
            self.error(
                path,
                "missing_value",
                format!("{} needs a value", echo(field)),
            );
            return None;
        }
        let definition = self
            .definitions
            .map(|d| find(&d.definitions.actions, field));
        let kind = match (definition, action_kind(field)) {
            (Some(None), _) => {
                self.error(
                    &field_path,
                    "unknown_field",
                    format!("{} is not an action field of this account", echo(field)),
                );
                return None;
            }
            (Some(Some(def)), builtin) => {
                let listed = listed_values(def);
                if let (Some(values), Some(text)) = (&listed, scalar_text(value)) {
                    self.listed_value(&text, values, def.nullable, &value_path)?;
                    return Some(ZendeskAction {
                        field: field.to_owned(),
                        value: Value::String(text),
                    });
                }
                match builtin {
                    Lookup::Known(kind) => Some(kind),
                    Lookup::Unavailable(_) | Lookup::Unknown => None,
                }
            }
            (None, Lookup::Known(kind)) => Some(kind),
            (None, Lookup::Unavailable(_) | Lookup::Unknown) => {
                self.issues.warning(
                    &field_path,
                    "unknown_field",
                    format!(
                        "{} is not in the actions reference; pass the account's definitions to check it",
                        echo(field)
                    ),
                );
                None
            }
        };
        let value = match kind {
            Some(kind) => self.action_value(value, kind, &value_path)?,
            None => self.kept(value, &value_path)?,
        };
        Some(ZendeskAction {
            field: field.to_owned(),
            value,
        })
    }

    /// An action's value checked against its kind, normalized.
    fn action_value(&mut self, value: &Value, kind: Kind, path: &Pointer) -> Option<Value> {
        match kind {
            Kind::Notify(recipients) => {
                let parts = self.tuple(value, path, &["recipient", "subject", "body"])?;
                let recipient = self.tuple_text(parts.first(), &path.index(0))?;
                let ok = self.kind_value(&recipient, Kind::Id(recipients), &path.index(0));
                let subject = self.tuple_text(parts.get(1), &path.index(1));
                let body = self.tuple_text(parts.get(2), &path.index(2));
                let subject = subject.filter(|s| self.kind_value(s, Kind::Text, &path.index(1)));
                let body = body.filter(|b| self.kind_value(b, Kind::Text, &path.index(2)));
                let parts = [recipient, subject?, body?];
                ok.then(|| Value::Array(parts.into_iter().map(Value::String).collect()))
            }
            Kind::Target => {
                let parts = self.tuple(value, path, &["target id", "message"])?;
                let target = self.tuple_text(parts.first(), &path.index(0));
                let target = target.filter(|t| self.kind_value(t, Kind::Id(&[]), &path.index(0)));
                let message = self.tuple_text(parts.get(1), &path.index(1));
                Some(Value::Array(vec![
                    Value::String(target?),
                    Value::String(message?),
                ]))
            }
            Kind::Webhook => {
                let parts = self.tuple(value, path, &["webhook id", "payload"])?;
                let webhook = self.tuple_text(parts.first(), &path.index(0));
                let webhook = webhook.filter(|w| self.kind_value(w, Kind::Text, &path.index(0)));
                let payload = match parts.get(1) {
                    Some(p @ (Value::String(_) | Value::Array(_))) => self.kept(p, &path.index(1)),
                    _ => {
                        self.error(&path.index(1), "type", "must be a string or an array");
                        None
                    }
                };
                Some(Value::Array(vec![Value::String(webhook?), payload?]))
            }
            Kind::ScalarOrList => match value {
                Value::Array(items) => {
                    let texts: Vec<_> = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            let text = scalar_text(item);
                            if text.is_none() {
                                self.error(&path.index(i), "type", "must be a string");
                            }
                            text.map(Value::String)
                        })
                        .collect();
                    texts
                        .into_iter()
                        .collect::<Option<Vec<_>>>()
                        .map(Value::Array)
                }
                _ => self.scalar_value(value, Kind::Scalar, path),
            },
            other => self.scalar_value(value, other, path),
        }
    }

    fn scalar_value(&mut self, value: &Value, kind: Kind, path: &Pointer) -> Option<Value> {
        let Some(text) = scalar_text(value) else {
            self.error(path, "type", "must be a string");
            return None;
        };
        self.kind_value(&text, kind, path)
            .then_some(Value::String(text))
    }

    /// An array of exactly `names.len()` parts.
    fn tuple<'v>(
        &mut self,
        value: &'v Value,
        path: &Pointer,
        names: &[&str],
    ) -> Option<&'v Vec<Value>> {
        match value.as_array() {
            Some(parts) if parts.len() == names.len() => Some(parts),
            _ => {
                self.error(
                    path,
                    "type",
                    format!("must be an array of [{}]", names.join(", ")),
                );
                None
            }
        }
    }

    fn tuple_text(&mut self, part: Option<&Value>, path: &Pointer) -> Option<String> {
        let text = part.and_then(scalar_text);
        if text.is_none() {
            self.error(path, "type", "must be a string");
        }
        text
    }

    /// A value kept as given, once its depth is known to be bounded.
    fn kept(&mut self, value: &Value, path: &Pointer) -> Option<Value> {
        if deeper_than(value, MAX_VALUE_DEPTH) {
            self.error(
                path,
                "too_deep",
                format!("nested deeper than {MAX_VALUE_DEPTH} levels"),
            );
            return None;
        }
        Some(value.clone())
    }
}

/// What a condition's field accepts, from a definition or the reference.
struct ConditionSpec {
    /// Allowed operators (`None`: not checked).
    operators: Option<Vec<String>>,
    /// Operators that take no value.
    terminal: Vec<String>,
    /// Operator stored when the input omits it.
    default_operator: Option<&'static str>,
    /// Listed values and whether each is enabled (definitions only).
    values: Option<Vec<(String, bool)>>,
    nullable: bool,
    kind: Option<Kind>,
}

impl ConditionSpec {
    fn from_rule(rule: &ConditionRule) -> Self {
        ConditionSpec {
            operators: Some(rule.operators.iter().map(|op| (*op).to_owned()).collect()),
            terminal: TERMINAL.iter().map(|op| (*op).to_owned()).collect(),
            default_operator: rule.operator_optional.then_some("is"),
            values: None,
            nullable: false,
            kind: Some(rule.kind),
        }
    }

    /// The definition decides operators and listed values; the built-in
    /// reference still decides what the definition leaves out (operators
    /// when none are listed, the value's form when no values are listed).
    fn from_definition(def: &ZendeskFieldDefinition, rule: Lookup<ConditionRule>) -> Self {
        let mut spec = match rule {
            Lookup::Known(rule) => Self::from_rule(&rule),
            Lookup::Unavailable(_) | Lookup::Unknown => Self::unchecked(),
        };
        let operators = def.operators.as_deref().unwrap_or_default();
        if !operators.is_empty() {
            spec.operators = Some(operators.iter().map(|op| op.value.clone()).collect());
            spec.terminal = operators
                .iter()
                .filter(|op| op.terminal)
                .map(|op| op.value.clone())
                .collect();
            spec.default_operator = operators.iter().any(|op| op.value == "is").then_some("is");
        }
        spec.values = listed_values(def);
        spec.nullable = def.nullable;
        spec
    }

    fn unchecked() -> Self {
        ConditionSpec {
            operators: None,
            terminal: TERMINAL.iter().map(|op| (*op).to_owned()).collect(),
            default_operator: None,
            values: None,
            nullable: false,
            kind: None,
        }
    }
}

fn find<'d>(
    definitions: &'d [ZendeskFieldDefinition],
    field: &str,
) -> Option<&'d ZendeskFieldDefinition> {
    definitions.iter().find(|d| d.subject == field)
}

/// A definition's listed values as text, with their enabled flags.
fn listed_values(def: &ZendeskFieldDefinition) -> Option<Vec<(String, bool)>> {
    let values = def.values.as_ref().filter(|v| !v.is_empty())?;
    Some(
        values
            .iter()
            .filter_map(|v| scalar_text(&v.value).map(|text| (text, v.enabled)))
            .collect(),
    )
}

/// A scalar as the API's string form; `None` for null, arrays and objects.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(number_text(*n)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// True when `value` nests arrays or objects deeper than `limit`, found
/// without recursion.
fn deeper_than(value: &Value, limit: usize) -> bool {
    let mut stack = vec![(value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(members) => Box::new(members.values()),
            _ => continue,
        };
        if depth >= limit {
            return true;
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    false
}

/// Quotes user text for a message, cut to a readable length.
fn echo(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO) {
        Some((cut, _)) => format!("'{}...'", text.get(..cut).unwrap_or_default()),
        None => format!("'{text}'"),
    }
}

fn list_text(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    quoted.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_rails_humanize() {
        assert_eq!(member_label("/title"), "Title");
        assert_eq!(member_label("/trigger/category_id"), "Category");
        assert_eq!(member_label("/conditions/all/0/value"), "Conditions");
        assert_eq!(member_label(""), "Trigger");
        assert_eq!(member_label("/trigger"), "Trigger");
    }

    #[test]
    fn depth_is_measured_without_recursion() {
        let mut deep = Value::Null;
        for _ in 0..100 {
            deep = Value::Array(vec![deep]);
        }
        assert!(deeper_than(&deep, 32));
        let shallow = crate::json::parse(r#"[[1], {"a": [2]}]"#).expect("parses");
        assert!(!deeper_than(&shallow, 32));
    }

    #[test]
    fn echo_cuts_long_text() {
        assert_eq!(echo("abc"), "'abc'");
        assert_eq!(echo(&"é".repeat(100)).chars().count(), MAX_ECHO + 5);
    }
}
