//! Composio trigger instance upsert validation
//! (POST /api/v3/trigger_instances/{slug}/upsert): the body, its deprecated
//! spellings, `toolkit_versions`, `trigger_config` against the trigger
//! type's config JSON Schema, the `{slug}` path parameter, and the error
//! envelope Composio answers an invalid request with.
//!
//! Deprecated members are accepted with a `deprecated` warning naming the
//! replacement and are mapped into the normalized value: `connectedAuthId`
//! → `connected_account_id`, `triggerConfig` → `trigger_config`, `version`
//! → `toolkit_versions` (`"latest"` maps to `"latest"`; a specific version
//! maps to `{toolkit: version}` when the trigger's toolkit slug is known,
//! and is otherwise kept as `version`, since dropping it would change what
//! the server does). Giving both spellings with different values is an
//! error (`deprecated_conflict`): the server would silently pick one.
//! The endpoint "requires a connected account ID", so one of the two
//! account members must be present.

use super::json_schema::{
    check_json_schema, describe_type, expect_object, is_given, json_equal, preview, string_member,
    typed_member, warn_unknown_keys, Presence,
};
use crate::formats::composio::{
    ComposioError, ComposioErrorEnvelope, ComposioUpsertInput, LatestKeyword, ToolkitVersions,
};
use crate::issue::{Issues, Pointer, ValidationResult};
use crate::json::{debug_quote_char, Map, Value};
use std::collections::BTreeMap;

/// Composio's numeric code for a bad request (HTTP 400).
pub const COMPOSIO_BAD_REQUEST_CODE: i64 = 10400;

const KNOWN_KEYS: &[&str] = &[
    "connected_account_id",
    "trigger_config",
    "toolkit_versions",
    "connectedAuthId",
    "triggerConfig",
    "version",
];

/// What the validator may know about the trigger type beyond the body.
#[derive(Debug, Clone, Copy, Default)]
pub struct ComposioTriggerType<'a> {
    /// The trigger type's config JSON Schema (`config` of GET /api/v3/triggers_types/{slug}).
    pub config_schema: Option<&'a Value>,
    /// The trigger type's toolkit slug (`toolkit.slug`), used to map a
    /// specific deprecated `version` into `toolkit_versions`.
    pub toolkit_slug: Option<&'a str>,
}

/// Validates a Composio upsert body, optionally against a config JSON Schema.
pub fn validate_composio_trigger_instance(
    input: &Value,
    config_schema: Option<&Value>,
) -> ValidationResult<ComposioUpsertInput> {
    validate_composio_upsert(
        input,
        &ComposioTriggerType {
            config_schema,
            toolkit_slug: None,
        },
    )
}

/// Validates a Composio upsert body with what is known about the trigger type.
pub fn validate_composio_upsert(
    input: &Value,
    trigger_type: &ComposioTriggerType<'_>,
) -> ValidationResult<ComposioUpsertInput> {
    let mut issues = Issues::new();
    let root = Pointer::root();
    let Some(members) = expect_object(input, &root, &mut issues) else {
        return ValidationResult::from_parts(issues, None);
    };
    warn_unknown_keys(members, KNOWN_KEYS, &root, &mut issues, |_| None);

    let connected_account_id = account_members(members, &root, &mut issues);
    let trigger_config = config_members(members, &root, trigger_type.config_schema, &mut issues);
    let (toolkit_versions, version) =
        version_members(members, &root, trigger_type.toolkit_slug, &mut issues);

    let value = ComposioUpsertInput {
        connected_account_id,
        trigger_config,
        toolkit_versions,
        version,
    };
    ValidationResult::from_parts(issues, Some(value))
}

fn warn_deprecated(members: &Map, old: &str, new: &str, root: &Pointer, issues: &mut Issues) {
    if is_given(members, old) {
        issues.warning(
            &root.key(old),
            "deprecated",
            format!("{old} is deprecated and will be removed; use {new} instead"),
        );
    }
}

fn conflict(root: &Pointer, old: &str, new: &str, issues: &mut Issues) {
    issues.error(
        &root.key(old),
        "deprecated_conflict",
        format!(
            "{old} (deprecated) and {new} are both given with different values; send only {new}"
        ),
    );
}

fn account_members(members: &Map, root: &Pointer, issues: &mut Issues) -> Option<String> {
    warn_deprecated(
        members,
        "connectedAuthId",
        "connected_account_id",
        root,
        issues,
    );
    let current = string_member(
        members,
        "connected_account_id",
        root,
        Presence::Optional,
        issues,
    );
    let old = string_member(members, "connectedAuthId", root, Presence::Optional, issues);
    match (current, old) {
        (Some(current), Some(old)) if current != old => {
            conflict(root, "connectedAuthId", "connected_account_id", issues);
            None
        }
        (Some(id), _) | (None, Some(id)) => Some(id),
        (None, None) => {
            // A present but malformed id has been reported already.
            if !is_given(members, "connected_account_id") && !is_given(members, "connectedAuthId") {
                issues.error(
                    &root.key("connected_account_id"),
                    "required",
                    "connected_account_id is required: the trigger needs the user's connected account",
                );
            }
            None
        }
    }
}

fn config_members(
    members: &Map,
    root: &Pointer,
    schema: Option<&Value>,
    issues: &mut Issues,
) -> Option<Value> {
    warn_deprecated(members, "triggerConfig", "trigger_config", root, issues);
    let current = typed_member(
        members,
        "trigger_config",
        "object",
        root,
        Presence::Optional,
        issues,
    );
    let old = typed_member(
        members,
        "triggerConfig",
        "object",
        root,
        Presence::Optional,
        issues,
    );
    // A config of the wrong type was reported; checking {} instead would only add noise.
    if (is_given(members, "trigger_config") && current.is_none())
        || (is_given(members, "triggerConfig") && old.is_none())
    {
        return None;
    }
    let (config, key) = match (current, old) {
        (Some(current), Some(old)) if !json_equal(current, old) => {
            conflict(root, "triggerConfig", "trigger_config", issues);
            return None;
        }
        (Some(config), _) => (Some(config), "trigger_config"),
        (None, Some(config)) => (Some(config), "triggerConfig"),
        (None, None) => (None, "trigger_config"),
    };
    match schema {
        // The server checks an absent config as an empty one.
        Some(schema) => {
            let empty = Value::Object(Map::new());
            Some(check_json_schema(
                config.unwrap_or(&empty),
                schema,
                &root.key(key),
                issues,
            ))
        }
        None => config.cloned(),
    }
}

fn version_members(
    members: &Map,
    root: &Pointer,
    toolkit_slug: Option<&str>,
    issues: &mut Issues,
) -> (Option<ToolkitVersions>, Option<String>) {
    let current = toolkit_versions_member(members, root, issues);
    if is_given(members, "version") {
        issues.warning(
            &root.key("version"),
            "deprecated",
            "version is deprecated and will be removed; use toolkit_versions instead \
             (\"latest\" or {\"<toolkit slug>\": \"<version>\"})",
        );
    }
    let Some(version) = string_member(members, "version", root, Presence::Optional, issues) else {
        return (current, None);
    };
    check_version_text(&version, &root.key("version"), issues);
    let mapped = if version == "latest" {
        Some(ToolkitVersions::Latest(LatestKeyword::Latest))
    } else {
        toolkit_slug.map(|slug| {
            ToolkitVersions::PerToolkit(BTreeMap::from([(slug.to_owned(), version.clone())]))
        })
    };
    let Some(current) = current else {
        // With no toolkit slug a specific version cannot be mapped: keep it.
        return match mapped {
            Some(mapped) => (Some(mapped), None),
            None => (None, Some(version)),
        };
    };
    let agrees = match (&current, toolkit_slug) {
        (ToolkitVersions::Latest(_), _) => version == "latest",
        (ToolkitVersions::PerToolkit(map), Some(slug)) => map.get(slug) == Some(&version),
        (ToolkitVersions::PerToolkit(map), None) => map.values().any(|v| *v == version),
    };
    if !agrees {
        conflict(root, "version", "toolkit_versions", issues);
    }
    (Some(current), None)
}

fn toolkit_versions_member(
    members: &Map,
    root: &Pointer,
    issues: &mut Issues,
) -> Option<ToolkitVersions> {
    let at = root.key("toolkit_versions");
    match members.get("toolkit_versions")? {
        Value::Null => None,
        Value::String(text) if text == "latest" => {
            Some(ToolkitVersions::Latest(LatestKeyword::Latest))
        }
        Value::String(text) => {
            issues.error(
                &at,
                "invalid_toolkit_versions",
                format!(
                    "must be \"latest\" or an object mapping toolkit slugs to versions, not the string {}; \
                     to pin one toolkit write {{\"<toolkit slug>\": {}}}",
                    preview(text),
                    preview(text)
                ),
            );
            None
        }
        Value::Object(map) => {
            let mut versions = BTreeMap::new();
            for (slug, version) in map {
                let here = at.key(slug);
                if slug.trim().is_empty() {
                    issues.error(&here, "empty", "a toolkit slug must not be empty");
                } else if !slug
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    issues.warning(
                        &here,
                        "slug_format",
                        format!(
                            "{} does not look like a toolkit slug (letters, digits, _ and -)",
                            preview(slug)
                        ),
                    );
                }
                match version {
                    Value::String(text) if text.trim().is_empty() => {
                        issues.error(&here, "empty", "a toolkit version must not be empty")
                    }
                    Value::String(text) => {
                        check_version_text(text, &here, issues);
                        versions.insert(slug.clone(), text.clone());
                    }
                    other => issues.error(
                        &here,
                        "type",
                        format!(
                            "a toolkit version must be a string, not {}",
                            describe_type(other)
                        ),
                    ),
                }
            }
            Some(ToolkitVersions::PerToolkit(versions))
        }
        other => {
            issues.error(
                &at,
                "type",
                format!(
                    "must be \"latest\" or an object mapping toolkit slugs to versions, not {}",
                    describe_type(other)
                ),
            );
            None
        }
    }
}

/// Toolkit versions are `latest` or dated, like `20250905_00`.
fn check_version_text(version: &str, at: &Pointer, issues: &mut Issues) {
    let bytes = version.as_bytes();
    let dated = bytes.len() == 11
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 8 {
                *b == b'_'
            } else {
                b.is_ascii_digit()
            }
        });
    if version != "latest" && !dated {
        issues.warning(
            at,
            "version_format",
            format!(
                "{} is neither \"latest\" nor a dated toolkit version like \"20250905_00\"",
                preview(version)
            ),
        );
    }
}

/// Validates the `{slug}` path parameter: letters, digits and `_`. The
/// normalized value is the uppercase slug the server uses internally.
pub fn validate_composio_slug(slug: &str) -> ValidationResult<String> {
    let mut issues = Issues::new();
    let root = Pointer::root();
    if slug.trim().is_empty() {
        issues.error(&root, "empty", "a trigger slug must not be empty");
    } else if let Some(bad) = slug
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        issues.error(
            &root,
            "invalid_slug",
            format!(
                "a trigger slug has only letters, digits and _, not {}",
                debug_quote_char(bad)
            ),
        );
    }
    ValidationResult::from_parts(issues, Some(slug.to_ascii_uppercase()))
}

/// The error envelope Composio answers an invalid request with (HTTP 400,
/// code 10400 `BadRequest`), built from a validation result; `None` when valid.
pub fn composio_error_envelope<T>(result: &ValidationResult<T>) -> Option<ComposioErrorEnvelope> {
    let first = result.errors.first()?;
    let located = |path: &str, message: &str| {
        let at = if path.is_empty() { "body" } else { path };
        format!("{at}: {message}")
    };
    let message = match result.errors.len() {
        1 => format!("Invalid request: {}", located(&first.path, &first.message)),
        n => format!(
            "Invalid request: {n} problems, first {}",
            located(&first.path, &first.message)
        ),
    };
    let suggested_fix = if result
        .errors
        .iter()
        .any(|e| e.code == "deprecated_conflict")
    {
        "Send only the current fields (connected_account_id, trigger_config, toolkit_versions), not their deprecated spellings"
    } else if result
        .errors
        .iter()
        .any(|e| e.path == "/connected_account_id" && e.code == "required")
    {
        "Pass the connected account ID of the user's connection as connected_account_id"
    } else {
        "Correct the fields listed in errors and retry"
    };
    Some(ComposioErrorEnvelope {
        error: ComposioError {
            message,
            code: Some(COMPOSIO_BAD_REQUEST_CODE),
            slug: Some("BadRequest".to_owned()),
            status: Some(400),
            request_id: None,
            suggested_fix: Some(suggested_fix.to_owned()),
            errors: Some(
                result
                    .errors
                    .iter()
                    .map(|e| located(&e.path, &e.message))
                    .collect(),
            ),
        },
    })
}
