//! Zapier Trigger Inbox validation: the inbox creation body of
//! PUT /trigger-inbox/api/v1/inboxes/{name}/, its `inputs` against the
//! trigger's input-field definitions, inbox names, and the 422 body the
//! API answers an invalid request with.
//!
//! Coercion of `inputs` (when definitions are given), chosen to accept what
//! Zapier itself produces and reject what it cannot mean:
//! - `STRING`: a string; a number or boolean is converted to its text.
//! - `BOOLEAN`: `true`/`false`, or the strings `"true"`, `"false"`, `"yes"`,
//!   `"no"` (any case): Zapier's own `default_value` for booleans is `"no"`.
//!   The normalized value is a JSON boolean.
//! - `INTEGER`: a number without a fractional part, or a string of one
//!   (`"42"`); normalized to a JSON integer.
//! - any other `value_type`: the value is kept as given.
//!
//! A missing or null optional field with a `default_value` gets the default
//! (coerced the same way) in the normalized value.

use super::json_schema::{
    describe_type, expect_object, is_integer, preview, string_member, suggest, typed_member,
    warn_unknown_keys, Presence,
};
use crate::formats::zapier::{
    ZapierErrorBody, ZapierErrorCode, ZapierInboxInput, ZapierInputField,
};
use crate::issue::{Issue, Issues, Pointer, ValidationResult};
use crate::json::{debug_quote_char, number_text, Map, Value};

/// Longest inbox name accepted, in characters.
pub const MAX_INBOX_NAME_LENGTH: usize = 100;

const KNOWN_KEYS: &[&str] = &["app", "action", "connection", "inputs", "notification_url"];

/// Validates an inbox creation body, optionally against input-field definitions.
pub fn validate_zapier_inbox(
    input: &Value,
    input_fields: Option<&[ZapierInputField]>,
) -> ValidationResult<ZapierInboxInput> {
    let mut issues = Issues::new();
    let root = Pointer::root();
    let Some(members) = expect_object(input, &root, &mut issues) else {
        return ValidationResult::from_parts(issues, None);
    };
    warn_unknown_keys(members, KNOWN_KEYS, &root, &mut issues, |_| None);
    let app = string_member(members, "app", &root, Presence::Required, &mut issues);
    let action = string_member(members, "action", &root, Presence::Required, &mut issues);
    let connection = string_member(
        members,
        "connection",
        &root,
        Presence::Required,
        &mut issues,
    );
    let notification_url = string_member(
        members,
        "notification_url",
        &root,
        Presence::Optional,
        &mut issues,
    );
    if let Some(url) = &notification_url {
        check_notification_url(url, &root.key("notification_url"), &mut issues);
    }
    let inputs = inputs_member(members, &root, input_fields, &mut issues);
    let value = match (app, action, connection, inputs) {
        (Some(app), Some(action), Some(connection), Some(inputs)) => Some(ZapierInboxInput {
            app,
            action,
            connection,
            inputs,
            notification_url,
        }),
        _ => None,
    };
    ValidationResult::from_parts(issues, value)
}

fn inputs_member(
    members: &Map,
    root: &Pointer,
    fields: Option<&[ZapierInputField]>,
    issues: &mut Issues,
) -> Option<Map> {
    let at = root.key("inputs");
    let inputs = typed_member(
        members,
        "inputs",
        "object",
        root,
        Presence::Required,
        issues,
    )?
    .as_object()?;
    let Some(fields) = fields else {
        return Some(inputs.clone());
    };
    let mut normalized = inputs.clone();
    for field in fields {
        let here = at.key(&field.key);
        match inputs.get(&field.key).filter(|v| !v.is_null()) {
            Some(given) => match coerce(given, field.value_type.as_deref()) {
                Ok(Value::String(text)) if field.is_required && text.trim().is_empty() => {
                    issues.error(
                        &here,
                        "empty",
                        format!("{} is required and must not be empty", field_label(field)),
                    );
                }
                Ok(value) => {
                    normalized.insert(field.key.clone(), value);
                }
                Err(expected) => issues.error(
                    &here,
                    "type",
                    format!(
                        "{} must be {expected}, not {}",
                        field_label(field),
                        describe_value(given)
                    ),
                ),
            },
            None if field.is_required => {
                issues.error(
                    &here,
                    "required",
                    format!("{} is required", field_label(field)),
                );
            }
            None => {
                if let Some(default) = &field.default_value {
                    let value = Value::String(default.clone());
                    let filled = coerce(&value, field.value_type.as_deref()).unwrap_or(value);
                    normalized.insert(field.key.clone(), filled);
                }
            }
        }
    }
    let keys: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
    for key in inputs.keys().filter(|k| !keys.contains(&k.as_str())) {
        let hint = suggest(key, keys.iter().copied())
            .map(|s| format!("; did you mean {}?", preview(s)))
            .unwrap_or_default();
        issues.warning(
            &at.key(key),
            "unknown_key",
            format!(
                "the trigger has no input field {}{hint}; it is ignored",
                preview(key)
            ),
        );
    }
    Some(normalized)
}

fn field_label(field: &ZapierInputField) -> String {
    match &field.title {
        Some(title) => format!("{} ({})", preview(&field.key), preview(title)),
        None => preview(&field.key),
    }
}

fn describe_value(value: &Value) -> String {
    match value {
        Value::String(text) => format!("the string {}", preview(text)),
        other => describe_type(other).to_owned(),
    }
}

/// Coerces a value to a field's `value_type`; on failure returns what was expected.
fn coerce(value: &Value, value_type: Option<&str>) -> Result<Value, &'static str> {
    let kind = value_type.map(str::to_ascii_uppercase);
    match kind.as_deref() {
        Some("STRING") => match value {
            Value::String(_) => Ok(value.clone()),
            Value::Number(n) => Ok(Value::String(number_text(*n))),
            Value::Bool(b) => Ok(Value::String(b.to_string())),
            _ => Err("a string"),
        },
        Some("BOOLEAN") => match value {
            Value::Bool(_) => Ok(value.clone()),
            Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" => Ok(Value::Bool(true)),
                "false" | "no" => Ok(Value::Bool(false)),
                _ => Err("a boolean (true, false, \"yes\" or \"no\")"),
            },
            _ => Err("a boolean (true, false, \"yes\" or \"no\")"),
        },
        Some("INTEGER") => {
            let parsed = match value {
                Value::Number(n) if is_integer(value) => exact_i64(*n),
                Value::String(text) => text.trim().parse::<i64>().ok(),
                _ => None,
            };
            // As an i64 written to JavaScript (`-0` becomes `0`).
            parsed.map(|i| Value::Number(i as f64)).ok_or("an integer")
        }
        _ => Ok(value.clone()),
    }
}

/// The i64 equal to a whole float, if it is in range.
fn exact_i64(f: f64) -> Option<i64> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    (f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f)).then_some(f as i64)
}

/// Checks that `url` is an absolute http(s) URL Zapier can POST to: an
/// error when it is not an http(s) URL at all, warnings when it is plain
/// http or names a host that is not reachable from the internet.
fn check_notification_url(url: &str, at: &Pointer, issues: &mut Issues) {
    let Some(host) = url_host(url) else {
        issues.error(
            at,
            "invalid_url",
            format!(
                "must be an absolute http or https URL, like \"https://example.com/hook\", not {}",
                preview(url)
            ),
        );
        return;
    };
    if url
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("http:"))
    {
        issues.warning(
            at,
            "insecure_url",
            "uses plain http: event notifications travel unencrypted; use https",
        );
    }
    if is_private_host(&host) {
        issues.warning(
            at,
            "private_url",
            format!(
                "host {} is not reachable from the internet, so Zapier cannot notify it",
                preview(&host)
            ),
        );
    }
}

/// The lowercase host of an absolute http(s) URL, or `None` if it is not one.
fn url_host(url: &str) -> Option<String> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']')?;
        if inside.is_empty()
            || !inside
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return None;
        }
        (format!("[{inside}]"), after.strip_prefix(':'))
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (host_port.to_owned(), None),
        }
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
        if !valid {
            return None;
        }
    }
    let plain = !host.is_empty()
        && !host.starts_with('[')
        && host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    (plain || host.starts_with('[')).then(|| crate::json::case::to_lowercase(&host))
}

fn is_private_host(host: &str) -> bool {
    if host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host == "[::1]"
    {
        return true;
    }
    let octets: Vec<u8> = host.split('.').filter_map(|p| p.parse().ok()).collect();
    match (host.split('.').count(), octets.as_slice()) {
        (4, [a, b, _, _]) => {
            *a == 0
                || *a == 10
                || *a == 127
                || (*a == 169 && *b == 254)
                || (*a == 172 && (16..=31).contains(b))
                || (*a == 192 && *b == 168)
        }
        _ => false,
    }
}

/// Checks an inbox name for use as the `{name}` segment of inbox URLs.
///
/// Allowed: 1 to [`MAX_INBOX_NAME_LENGTH`] characters, each an ASCII
/// letter, digit, `-`, `_` or `.`, and not `.` or `..`. These are the RFC
/// 3986 unreserved characters (minus the rarely-expected `~`), so a name is
/// its own URL encoding: what is sent is what Zapier stores and what the
/// `name` list filter matches. `/`, `?`, `#`, `%` and spaces would change
/// the URL's meaning or need escaping, and `.`/`..` are dot-segments that
/// URL normalization removes, so all are refused. Each issue's path is `""`.
pub fn validate_zapier_inbox_name(name: &str) -> Vec<Issue> {
    let mut issues = Issues::new();
    let here = Pointer::root();
    let length = name.chars().count();
    if length == 0 {
        issues.error(&here, "empty", "an inbox name must not be empty");
    } else if length > MAX_INBOX_NAME_LENGTH {
        issues.error(
            &here,
            "too_long",
            format!("an inbox name must be at most {MAX_INBOX_NAME_LENGTH} characters long, not {length}"),
        );
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        issues.error(
            &here,
            "invalid_name",
            format!(
                "an inbox name may only contain letters, digits, '-', '_' and '.', not {}",
                debug_quote_char(bad)
            ),
        );
    } else if name == "." || name == ".." {
        issues.error(
            &here,
            "invalid_name",
            "an inbox name cannot be \".\" or \"..\"",
        );
    }
    issues.errors
}

/// The 422 `validation_error` body the Trigger Inbox API answers an invalid
/// request with, built from a validation result: `detail` maps each JSON
/// Pointer (`non_field_errors` for the whole body) to its messages.
/// `None` when the result is valid.
pub fn zapier_error_body<T>(result: &ValidationResult<T>) -> Option<ZapierErrorBody> {
    if result.errors.is_empty() {
        return None;
    }
    let mut detail = Map::new();
    for error in &result.errors {
        let key = if error.path.is_empty() {
            "non_field_errors"
        } else {
            error.path.as_str()
        };
        if !detail.contains_key(key) {
            detail.insert(key.to_owned(), Value::Array(Vec::new()));
        }
        if let Some(Value::Array(list)) = detail.get_mut(key) {
            list.push(Value::String(error.message.clone()));
        }
    }
    Some(ZapierErrorBody {
        code: ZapierErrorCode::ValidationError.as_str().to_owned(),
        detail: Some(Value::Object(detail)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_parsed_from_urls() {
        assert_eq!(
            url_host("https://Example.com:8443/x?y#z").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            url_host("http://user:pw@[::1]:80/").as_deref(),
            Some("[::1]")
        );
        assert_eq!(url_host("ftp://example.com"), None);
        assert_eq!(url_host("https://"), None);
        assert_eq!(url_host("https://a..b/"), None);
        assert_eq!(url_host("https://a.b:99999/"), None);
        assert_eq!(url_host("https://a b/"), None);
    }

    #[test]
    fn private_hosts() {
        for host in [
            "localhost",
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.20.0.1",
            "[::1]",
            "x.local",
        ] {
            assert!(is_private_host(host), "{host}");
        }
        for host in ["example.com", "172.32.0.1", "8.8.8.8"] {
            assert!(!is_private_host(host), "{host}");
        }
    }
}
