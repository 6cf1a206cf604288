//! Rocket.Chat livechat trigger validation (POST /api/v1/livechat/triggers).
//!
//! The server checks the body with the ajv schema `isPOSTLivechatTriggersParams`
//! (Rocket.Chat `packages/rest-typings/src/v1/omnichannel.ts`), compiled by an
//! ajv 2020 instance with `coerceTypes: true` and the default `allErrors: false`.
//! This module walks the same schema in the same keyword order, applies ajv's
//! coercions (which is what the server then stores), and reports with ajv's
//! keyword names and wording. It reports every problem, not only the first;
//! [`rocketchat_error_text`] rebuilds the one string the server answers with.
//!
//! The schema, in the order ajv evaluates it: type; `required` (in the
//! listed order); `additionalProperties: false`; then each property in
//! schema order. Triggers need `name`, `description` (strings), `enabled`,
//! `runOnce` (booleans), `conditions` and `actions` (arrays of at least one
//! item); `_id` is an optional nullable string. A condition needs `name`
//! (one of four kinds) and `value` (a nullable string). An action is
//! `oneOf` send-message (params need `sender` queue|custom and `msg`, may
//! have a nullable `name`) or use-external-service (params need
//! `serviceUrl`, `serviceTimeout` (number) and `serviceFallbackMessage`, may
//! have `sender` and a nullable `name`); `params` itself is nullable.
//!
//! The normalized value is the body as ajv leaves it: every member the body
//! has, coerced (`"false"` to `false`, `5` to `"5"`, `null` to `""`, `false`
//! or `0` where a string, boolean or number is required), `null` kept where
//! the schema accepts it (`_id`, a condition's `value`, `params`, which
//! `""`, `0` and `false` also become, and `params.name`), nothing added.
//!
//! Beyond the server, warnings flag what will misbehave in the widget. A
//! page-url pattern is checked with the livechat engine's own translation
//! ([`crate::livechat::check_pattern`]), so a warning here means the engine
//! would not fire the trigger: `missing_pattern` (null or empty),
//! `unsupported_pattern` (valid JavaScript a linear-time engine cannot run:
//! look-around, backreferences), `invalid_pattern` (JavaScript would throw
//! too) and `pattern_too_long` (beyond the engine's size limits).

use crate::formats::rocketchat::{
    ActionName, ActionParams, ConditionName, ConditionValue, RocketChatAction, RocketChatCondition,
    RocketChatTrigger, Sender,
};
use crate::issue::{Issues, Pointer, ValidationResult};
use crate::json::{js_number_string, js_string_to_number, Map, Value};
use crate::livechat::{check_pattern, PatternError};

const MSG_ONE_OF: &str = "must match exactly one schema in oneOf";
const MSG_ENUM: &str = "must be equal to one of the allowed values";
const MSG_ADDITIONAL: &str = "must NOT have additional properties";

const TRIGGER_REQUIRED: &[&str] = &[
    "name",
    "description",
    "enabled",
    "runOnce",
    "conditions",
    "actions",
];
const TRIGGER_PROPERTIES: &[&str] = &[
    "name",
    "description",
    "enabled",
    "runOnce",
    "conditions",
    "actions",
    "_id",
];
const CONDITION_PROPERTIES: &[&str] = &["name", "value"];
const ACTION_REQUIRED: &[&str] = &["name"];
const ACTION_PROPERTIES: &[&str] = &["name", "params"];
const SEND_MESSAGE_REQUIRED: &[&str] = &["sender", "msg"];
const SEND_MESSAGE_PROPERTIES: &[&str] = &["sender", "msg", "name"];
const EXTERNAL_REQUIRED: &[&str] = &["serviceUrl", "serviceTimeout", "serviceFallbackMessage"];
const EXTERNAL_PROPERTIES: &[&str] = &[
    "sender",
    "name",
    "serviceUrl",
    "serviceTimeout",
    "serviceFallbackMessage",
];

/// The `oneOf` branches of an action, in schema order: ajv lists the
/// branches' errors in this order in the server's error text.
const BRANCHES: [(ActionName, &str); 2] = [
    (ActionName::SendMessage, "send-message"),
    (ActionName::UseExternalService, "use-external-service"),
];

/// Validates a livechat trigger with the server's verdict. A valid result
/// carries the trigger as the server stores it after coercion.
pub fn validate_rocketchat_trigger(input: &Value) -> ValidationResult<RocketChatTrigger> {
    let mut checker = Checker::default();
    let value = checker.trigger(input);
    ValidationResult::from_parts(checker.issues, value)
}

/// The server's error string for an invalid result (`None` when valid):
/// the messages of the errors ajv reports with `allErrors: false`, joined
/// with `"\n "`, then ` [invalid-params]` (Rocket.Chat's API layer throws
/// `Meteor.Error('invalid-params', errors.map(e => e.message).join('\n '))`).
///
/// Ajv stops at the first error, except inside an action's `oneOf`, where
/// it reports the errors of each branch and then the `oneOf` error. A
/// branch stops at its first error too, but a value of the wrong type that
/// also has an `enum` (`name`, `sender`) fails the `enum` as well, since ajv
/// checks `enum` before it tests the error count. A branch other than the
/// one the action's `name` selects fails on `name`'s `enum`, unless the
/// action already fails before `name` is checked, in which case both
/// branches fail alike.
pub fn rocketchat_error_text<T>(result: &ValidationResult<T>) -> Option<String> {
    let first = result.errors.first()?;
    let mut messages = vec![first.message.as_str()];
    if let Some(item) = action_item(&first.path) {
        let selected = result
            .errors
            .iter()
            .find(|e| e.code == "one_of" && e.path == item)
            .and_then(|e| selected_branch(&e.message));
        let rest = first.path.get(item.len()..).unwrap_or_default();
        if first.code == "type" && (rest == "/name" || rest == "/params/sender") {
            messages.push(MSG_ENUM);
        }
        let shared = rest.is_empty()
            || rest == "/name"
            || (first.code == "additional_properties"
                && !rest.get(1..).unwrap_or_default().contains('/'));
        messages = match selected {
            Some(0) if !shared => [messages.as_slice(), &[MSG_ENUM]].concat(),
            Some(_) if !shared => [&[MSG_ENUM], messages.as_slice()].concat(),
            _ => messages.repeat(2),
        };
        messages.push(MSG_ONE_OF);
    }
    Some(format!("{} [invalid-params]", messages.join("\n ")))
}

/// `/actions/<n>` when `path` is that action item or inside it.
fn action_item(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/actions/")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !(rest.len() == digits || rest.as_bytes().get(digits) == Some(&b'/')) {
        return None;
    }
    path.get(.."/actions/".len() + digits)
}

/// The message of an action's `oneOf` error: ajv's wording, plus the branch
/// the action's `name` selected, which fixes the order of the server text.
fn one_of_message(selected: Option<ActionName>) -> String {
    match BRANCHES.iter().find(|(kind, _)| Some(*kind) == selected) {
        Some((_, name)) => format!("{MSG_ONE_OF} (checked as a {name} action)"),
        None => MSG_ONE_OF.to_owned(),
    }
}

fn selected_branch(message: &str) -> Option<usize> {
    BRANCHES
        .iter()
        .position(|(kind, _)| one_of_message(Some(*kind)) == message)
}

/// Walks the input in ajv's order, recording errors and warnings.
#[derive(Default)]
struct Checker {
    issues: Issues,
}

impl Checker {
    fn error(&mut self, path: &Pointer, code: &str, message: &str) {
        self.issues.error(path, code, message);
    }

    fn error_count(&self) -> usize {
        self.issues.errors.len()
    }

    /// `type: object`. Nothing coerces to an object.
    fn object<'a>(&mut self, value: &'a Value, path: &Pointer) -> Option<&'a Map> {
        let object = value.as_object();
        if object.is_none() {
            self.error(path, "type", "must be object");
        }
        object
    }

    /// `required` then `additionalProperties: false`, as ajv orders them.
    fn members(&mut self, object: &Map, path: &Pointer, required: &[&str], properties: &[&str]) {
        for key in required {
            if !object.contains_key(key) {
                self.error(
                    path,
                    "required",
                    &format!("must have required property '{key}'"),
                );
            }
        }
        for key in object.keys() {
            if !properties.contains(&key.as_str()) {
                self.error(&path.key(key), "additional_properties", MSG_ADDITIONAL);
            }
        }
    }

    /// `type: string` with ajv's coercion.
    fn string(&mut self, value: &Value, path: &Pointer) -> Option<String> {
        let coerced = coerce_string(value);
        if coerced.is_none() {
            self.error(path, "type", "must be string");
        }
        coerced
    }

    /// `type: string, nullable: true`: null stays null.
    fn nullable_string(&mut self, value: &Value, path: &Pointer) -> Option<Option<String>> {
        if value.is_null() {
            return Some(None);
        }
        self.string(value, path).map(Some)
    }

    /// `type: boolean` with ajv's coercion.
    fn boolean(&mut self, value: &Value, path: &Pointer) -> Option<bool> {
        let coerced = coerce_boolean(value);
        if coerced.is_none() {
            self.error(path, "type", "must be boolean");
        }
        coerced
    }

    /// `type: number` with ajv's coercion.
    fn number(&mut self, value: &Value, path: &Pointer) -> Option<f64> {
        let coerced = coerce_number(value);
        if coerced.is_none() {
            self.error(path, "type", "must be number");
        }
        coerced
    }

    /// `type: array` then `minItems: 1`.
    fn array<'a>(&mut self, value: &'a Value, path: &Pointer) -> Option<&'a Vec<Value>> {
        let Some(items) = value.as_array() else {
            self.error(path, "type", "must be array");
            return None;
        };
        if items.is_empty() {
            self.error(path, "min_items", "must NOT have fewer than 1 items");
        }
        Some(items)
    }

    /// `enum` over strings, after the type check.
    fn one_of_values<T: Copy>(
        &mut self,
        value: &str,
        allowed: &[(T, &str)],
        path: &Pointer,
    ) -> Option<T> {
        let found = allowed
            .iter()
            .find(|(_, name)| *name == value)
            .map(|(kind, _)| *kind);
        if found.is_none() {
            self.error(path, "enum", MSG_ENUM);
        }
        found
    }

    fn trigger(&mut self, input: &Value) -> Option<RocketChatTrigger> {
        let root = Pointer::root();
        let object = self.object(input, &root)?;
        self.members(object, &root, TRIGGER_REQUIRED, TRIGGER_PROPERTIES);
        let name = self.member(object, &root, "name", Self::string);
        let description = self.member(object, &root, "description", Self::string);
        let enabled = self.member(object, &root, "enabled", Self::boolean);
        let run_once = self.member(object, &root, "runOnce", Self::boolean);
        let conditions = self.member(object, &root, "conditions", Self::conditions);
        let actions = self.member(object, &root, "actions", Self::actions);
        let id = match object.get("_id") {
            Some(value) => Some(self.nullable_string(value, &root.key("_id"))?),
            None => None,
        };
        Some(RocketChatTrigger {
            id,
            name: name?,
            description: description?,
            enabled: enabled?,
            run_once: run_once?,
            conditions: conditions?,
            actions: actions?,
        })
    }

    /// Checks member `key` of `object` when present (`required` already
    /// reported it when absent).
    fn member<T>(
        &mut self,
        object: &Map,
        path: &Pointer,
        key: &str,
        check: impl FnOnce(&mut Self, &Value, &Pointer) -> Option<T>,
    ) -> Option<T> {
        let value = object.get(key)?;
        check(self, value, &path.key(key))
    }

    fn conditions(&mut self, value: &Value, path: &Pointer) -> Option<Vec<RocketChatCondition>> {
        self.items(value, path, Self::condition)
    }

    /// An array of at least one item, each checked by `check`; `None` when
    /// any item fails.
    fn items<T>(
        &mut self,
        value: &Value,
        path: &Pointer,
        mut check: impl FnMut(&mut Self, &Value, &Pointer) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = self.array(value, path)?;
        let before = self.error_count();
        // A loop, not filter_map + collect: one copy of the check in the
        // wasm instead of two (collect's first-item and extend paths).
        let mut checked = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(item) = check(self, item, &path.index(i)) {
                checked.push(item);
            }
        }
        (self.error_count() == before && !items.is_empty()).then_some(checked)
    }

    fn condition(&mut self, value: &Value, path: &Pointer) -> Option<RocketChatCondition> {
        const NAMES: [(ConditionName, &str); 4] = [
            (ConditionName::TimeOnSite, "time-on-site"),
            (ConditionName::PageUrl, "page-url"),
            (ConditionName::ChatOpenedByVisitor, "chat-opened-by-visitor"),
            (
                ConditionName::AfterGuestRegistration,
                "after-guest-registration",
            ),
        ];
        let object = self.object(value, path)?;
        self.members(object, path, CONDITION_PROPERTIES, CONDITION_PROPERTIES);
        let name = self
            .member(object, path, "name", Self::string)
            .and_then(|name| self.one_of_values(&name, &NAMES, &path.key("name")));
        let value = self.member(object, path, "value", Self::nullable_string);
        if let (Some(name), Some(value)) = (name, &value) {
            self.lint_condition(name, value.as_deref(), &path.key("value"));
        }
        Some(RocketChatCondition {
            name: name?,
            value: value?.map(ConditionValue::Text),
        })
    }

    fn actions(&mut self, value: &Value, path: &Pointer) -> Option<Vec<RocketChatAction>> {
        self.items(value, path, Self::action)
    }

    /// One action item: `oneOf` the two action schemas. The branch the
    /// `name` selects is checked fully; when the item fails, the `oneOf`
    /// error follows the branch's errors, as in ajv's report.
    fn action(&mut self, value: &Value, path: &Pointer) -> Option<RocketChatAction> {
        let before = self.error_count();
        let (selected, action) = self.action_branch(value, path);
        if self.error_count() > before {
            self.issues.error(path, "one_of", one_of_message(selected));
            return None;
        }
        action
    }

    fn action_branch(
        &mut self,
        value: &Value,
        path: &Pointer,
    ) -> (Option<ActionName>, Option<RocketChatAction>) {
        let Some(object) = self.object(value, path) else {
            return (None, None);
        };
        self.members(object, path, ACTION_REQUIRED, ACTION_PROPERTIES);
        let name = self
            .member(object, path, "name", Self::string)
            .and_then(|name| self.one_of_values(&name, &BRANCHES, &path.key("name")));
        let Some(name) = name else {
            return (None, None);
        };
        let params_path = path.key("params");
        let params = match object.get("params") {
            Some(params) => self.params(name, params, &params_path).map(Some),
            None => Some(None),
        };
        let action = params.map(|params| RocketChatAction { name, params });
        (Some(name), action)
    }

    /// `params`: a nullable object; `""`, `0` and `false` coerce to null.
    fn params(
        &mut self,
        kind: ActionName,
        value: &Value,
        path: &Pointer,
    ) -> Option<Option<ActionParams>> {
        if coerces_to_null(value) {
            return Some(None);
        }
        let object = self.object(value, path)?;
        let before = self.error_count();
        let params = match kind {
            ActionName::SendMessage => self.send_message_params(object, path),
            ActionName::UseExternalService => self.external_service_params(object, path),
        };
        (self.error_count() == before).then_some(Some(params))
    }

    fn sender(&mut self, value: &Value, path: &Pointer) -> Option<Sender> {
        const SENDERS: [(Sender, &str); 2] = [(Sender::Queue, "queue"), (Sender::Custom, "custom")];
        let sender = self.string(value, path)?;
        self.one_of_values(&sender, &SENDERS, path)
    }

    fn send_message_params(&mut self, object: &Map, path: &Pointer) -> ActionParams {
        self.members(object, path, SEND_MESSAGE_REQUIRED, SEND_MESSAGE_PROPERTIES);
        let sender = self.member(object, path, "sender", Self::sender);
        let msg = self.member(object, path, "msg", Self::string);
        let name = self.member(object, path, "name", Self::nullable_string);
        let named = name.as_ref().and_then(Option::as_deref);
        if sender == Some(Sender::Custom) && named.is_none_or(|n| n.trim().is_empty()) {
            self.issues.warning(
                path,
                "missing_sender_name",
                "a custom sender needs a name: the message would show no agent name",
            );
        }
        ActionParams {
            sender,
            name,
            msg,
            ..ActionParams::default()
        }
    }

    fn external_service_params(&mut self, object: &Map, path: &Pointer) -> ActionParams {
        self.members(object, path, EXTERNAL_REQUIRED, EXTERNAL_PROPERTIES);
        let sender = self.member(object, path, "sender", Self::sender);
        let name = self.member(object, path, "name", Self::nullable_string);
        let service_url = self.member(object, path, "serviceUrl", Self::string);
        let service_timeout = self.member(object, path, "serviceTimeout", Self::number);
        let service_fallback_message =
            self.member(object, path, "serviceFallbackMessage", Self::string);
        if let Some(url) = &service_url {
            if !is_http_url(url) {
                self.issues.warning(
                    &path.key("serviceUrl"),
                    "not_http_url",
                    "the server can only call an http:// or https:// URL",
                );
            }
        }
        if let Some(timeout) = service_timeout {
            if !(timeout > 0.0 && timeout.is_finite()) {
                self.issues.warning(
                    &path.key("serviceTimeout"),
                    "not_positive_timeout",
                    "the timeout must be a positive number of milliseconds",
                );
            }
        }
        ActionParams {
            sender,
            name,
            msg: None,
            service_url,
            service_timeout,
            service_fallback_message,
        }
    }

    /// Warnings for conditions the widget cannot evaluate as meant.
    fn lint_condition(&mut self, name: ConditionName, value: Option<&str>, path: &Pointer) {
        match name {
            ConditionName::TimeOnSite => {
                let seconds = value.map(js_string_to_number);
                if !seconds.is_some_and(|s| s > 0.0 && s.is_finite()) {
                    self.issues.warning(
                        path,
                        "not_positive_number",
                        "time-on-site needs a positive number of seconds",
                    );
                }
            }
            ConditionName::PageUrl => match value {
                None => self.issues.warning(
                    path,
                    "missing_pattern",
                    "page-url needs a pattern to test the page URL against",
                ),
                Some(pattern) => self.lint_pattern(pattern, path),
            },
            ConditionName::ChatOpenedByVisitor | ConditionName::AfterGuestRegistration => {}
        }
    }

    /// Lints a page-url pattern with the livechat engine's own translation
    /// of JavaScript regex syntax, so the editor and the engine agree on
    /// which patterns can fire.
    fn lint_pattern(&mut self, pattern: &str, path: &Pointer) {
        let Err(e) = check_pattern(pattern) else {
            return;
        };
        let code = match e {
            PatternError::Missing => "missing_pattern",
            PatternError::Unsupported { .. } => "unsupported_pattern",
            PatternError::Syntax { .. } => "invalid_pattern",
            PatternError::TooLarge => "pattern_too_long",
        };
        self.issues.warning(path, code, e.to_string());
    }
}

/// ajv's coercion to `string`: numbers as JavaScript prints them, booleans
/// as `"true"`/`"false"`, null as `""`.
fn coerce_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(js_number_string(*n)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// ajv's coercion to `boolean`: `"false"`, `0` and null are false, `"true"`
/// and `1` are true; nothing else coerces.
fn coerce_boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Null => Some(false),
        Value::String(s) if s == "false" => Some(false),
        Value::String(s) if s == "true" => Some(true),
        Value::Number(n) if *n == 0.0 => Some(false),
        Value::Number(n) if *n == 1.0 => Some(true),
        _ => None,
    }
}

/// ajv's coercion to `number`: booleans to 0/1, null to 0, and a non-empty
/// string whose JavaScript `Number()` is not NaN (so `" 12 "`, `"0x1f"` and
/// `"Infinity"` coerce, `""` and `"12px"` do not).
fn coerce_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => Some(*n),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Null => Some(0.0),
        Value::String(s) if !s.is_empty() => Some(js_string_to_number(s)).filter(|n| !n.is_nan()),
        _ => None,
    }
}

/// ajv's coercion to `null` (for the nullable `params` object).
fn coerces_to_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => *n == 0.0,
        Value::Array(_) | Value::Object(_) => false,
    }
}

fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        url.get(8..)
    } else if lower.starts_with("http://") {
        url.get(7..)
    } else {
        None
    };
    rest.is_some_and(|r| {
        r.chars()
            .next()
            .is_some_and(|c| c != '/' && !c.is_whitespace())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_item_prefix() {
        assert_eq!(action_item("/actions/12/params/msg"), Some("/actions/12"));
        assert_eq!(action_item("/actions/3"), Some("/actions/3"));
        assert_eq!(action_item("/actions"), None);
        assert_eq!(action_item("/actions/x"), None);
        assert_eq!(action_item("/actions/1x"), None);
        assert_eq!(action_item("/conditions/0"), None);
    }
}
