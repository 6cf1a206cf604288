//! JS exports of the five validators (`validateRocketChatTrigger`, ...).

#[cfg(feature = "validators")]
use super::convert::to_js_data;
use super::convert::{js_to_json, to_js_json, FromJs};
#[cfg(feature = "validators")]
use crate::issue::Issue;
use crate::issue::{Issues, ValidationResult};
#[cfg(feature = "validators")]
use crate::json::Value;
use crate::validate;
#[cfg(feature = "validators")]
use serde::de::DeserializeOwned;
#[cfg(feature = "validators")]
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const VALIDATION_RESULT_TS: &str = r#"
/**
 * The outcome of validating one input: every error and warning at once.
 * Discriminated on `valid`: inside `if (result.valid)`, `value` (the
 * normalized input: types coerced, defaults filled) is present; otherwise
 * there is no value and `errors` is not empty.
 */
export type ValidationResult<T> =
  | {
      valid: true;
      /** Problems that make the server reject the input: none here. */
      errors: Issue[];
      /** Problems the server accepts but that will misbehave or are deprecated. */
      warnings: Issue[];
      /** The normalized input. */
      value: T;
    }
  | {
      valid: false;
      /** Problems that make the server reject the input. */
      errors: Issue[];
      /** Problems the server accepts but that will misbehave or are deprecated. */
      warnings: Issue[];
      value?: undefined;
    };
"#;

/// Runs `check` on the converted input and converts the result to JS.
#[cfg(feature = "validators")]
fn run<T: Serialize>(
    input: &JsValue,
    check: impl FnOnce(&Value) -> ValidationResult<T>,
) -> Result<JsValue, JsValue> {
    to_js_data(&checked(input, check))
}

/// Runs `check` on the converted input; unconvertible input yields a result
/// whose errors say where it is not JSON data.
fn checked<V: FromJs, T>(
    input: &JsValue,
    check: impl FnOnce(&V) -> ValidationResult<T>,
) -> ValidationResult<T> {
    match js_to_json(input) {
        Ok(value) => check(&value),
        Err(problems) => {
            let issues = Issues {
                errors: problems,
                warnings: Vec::new(),
            };
            ValidationResult::from_parts(issues, None)
        }
    }
}

/// Converts an optional auxiliary argument (definitions, schema, fields).
#[cfg(feature = "validators")]
pub(crate) fn optional_arg<T: DeserializeOwned>(
    arg: Option<JsValue>,
    what: &str,
) -> Result<Option<T>, JsValue> {
    let Some(arg) = arg.filter(|a| !a.is_undefined() && !a.is_null()) else {
        return Ok(None);
    };
    let bad = |detail: String| {
        super::errors::js_error(
            "ValidationError",
            "invalid_argument",
            &format!("{what}: {detail}"),
            &[],
        )
    };
    let json: Value = js_to_json(&arg).map_err(|p| {
        bad(p
            .first()
            .map(|i| format!("{} at {}", i.message, i.path))
            .unwrap_or_default())
    })?;
    crate::json::from_value(json)
        .map(Some)
        .map_err(|e| bad(e.to_string()))
}

/// Validates a Rocket.Chat livechat trigger.
#[wasm_bindgen(
    js_name = validateRocketChatTrigger,
    unchecked_return_type = "ValidationResult<RocketChatTrigger>"
)]
pub fn validate_rocket_chat_trigger(
    #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let result = checked(&input, validate::validate_rocketchat_trigger);
    // The server requires a condition's `value` even when it is null, so
    // `None` is written as `null`, which survives `JSON.stringify`; every
    // other optional member of the result is left out when absent.
    to_js_json(&result)
}

#[cfg(feature = "validators")]
#[wasm_bindgen(typescript_custom_section)]
const VALIDATE_ZENDESK_TRIGGER_TS: &str = r#"
/**
 * Validates a Zendesk trigger (bare, or the `{trigger: ...}` body of
 * POST /api/v2/triggers), optionally against an account's definitions
 * document (GET /api/v2/triggers/definitions). Throws an Error with code
 * `invalid_argument` when `definitions` is not such a document.
 */
export function validateZendeskTrigger(input: unknown, definitions?: ZendeskDefinitions | null): ValidationResult<ZendeskTrigger>;
"#;

/// Validates a Zendesk trigger, optionally against an account's definitions.
#[cfg(feature = "validators")]
#[wasm_bindgen(js_name = validateZendeskTrigger, skip_typescript)]
pub fn validate_zendesk_trigger(
    input: JsValue,
    definitions: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let definitions = optional_arg(definitions, "definitions")?;
    run(&input, |v| {
        validate::validate_zendesk_trigger(v, definitions.as_ref())
    })
}

/// Validates a Pocketflows create-trigger body.
#[cfg(feature = "validators")]
#[wasm_bindgen(
    js_name = validatePocketflowsTrigger,
    unchecked_return_type = "ValidationResult<PocketflowsTriggerInput>"
)]
pub fn validate_pocketflows_trigger(
    #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
) -> Result<JsValue, JsValue> {
    run(&input, validate::validate_pocketflows_trigger)
}

// The two validators below take optional trailing arguments, which
// wasm-bindgen would declare as required `x: T | undefined`; their exact
// declarations are written here instead.
#[cfg(feature = "validators")]
#[wasm_bindgen(typescript_custom_section)]
const OPTIONAL_ARGUMENT_DECLARATIONS: &'static str = r#"
/**
 * Validates a Composio trigger-instance upsert body
 * (POST /api/v3/trigger_instances/{slug}/upsert). `configSchema` is the
 * trigger type's config JSON Schema; `toolkitSlug` is its toolkit's slug,
 * used to map a specific deprecated `version` into `toolkit_versions`.
 */
export function validateComposioTriggerInstance(input: unknown, configSchema?: object, toolkitSlug?: string): ValidationResult<ComposioUpsertInput>;
/**
 * Validates a Zapier Trigger Inbox creation body, and its `inputs` against
 * the trigger's input-field definitions when given.
 */
export function validateZapierInbox(input: unknown, inputFields?: ZapierInputField[]): ValidationResult<ZapierInboxInput>;
"#;

/// Validates a Composio trigger-instance upsert body.
#[cfg(feature = "validators")]
#[wasm_bindgen(js_name = validateComposioTriggerInstance, skip_typescript)]
pub fn validate_composio_trigger_instance(
    input: JsValue,
    config_schema: Option<JsValue>,
    toolkit_slug: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let schema: Option<Value> = optional_arg(config_schema, "configSchema")?;
    let toolkit: Option<String> = optional_arg(toolkit_slug, "toolkitSlug")?;
    let trigger_type = validate::ComposioTriggerType {
        config_schema: schema.as_ref(),
        toolkit_slug: toolkit.as_deref(),
    };
    run(&input, |v| {
        validate::validate_composio_upsert(v, &trigger_type)
    })
}

/// Validates a Zapier Trigger Inbox creation body.
#[cfg(feature = "validators")]
#[wasm_bindgen(js_name = validateZapierInbox, skip_typescript)]
pub fn validate_zapier_inbox(
    input: JsValue,
    input_fields: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let fields: Option<Vec<crate::formats::zapier::ZapierInputField>> =
        optional_arg(input_fields, "inputFields")?;
    run(&input, |v| {
        validate::validate_zapier_inbox(v, fields.as_deref())
    })
}

/// Checks a Zapier inbox name for use in inbox URLs: 1 to 100 letters,
/// digits, '-', '_' or '.', and not "." or "..". Returns the errors (empty when usable).
#[cfg(feature = "validators")]
#[wasm_bindgen(js_name = validateZapierInboxName, unchecked_return_type = "Issue[]")]
pub fn validate_zapier_inbox_name(name: &str) -> Result<JsValue, JsValue> {
    to_js_data(&validate::validate_zapier_inbox_name(name))
}

/// Validates a Composio trigger slug (the `{slug}` path parameter); the
/// value is the uppercase slug the server uses.
#[cfg(feature = "validators")]
#[wasm_bindgen(
    js_name = validateComposioSlug,
    unchecked_return_type = "ValidationResult<string>"
)]
pub fn validate_composio_slug(slug: &str) -> Result<JsValue, JsValue> {
    to_js_data(&validate::validate_composio_slug(slug))
}

/// The error envelope Composio answers an invalid upsert with, or null for a valid result.
#[cfg(feature = "validators")]
#[wasm_bindgen(
    js_name = composioErrorEnvelope,
    unchecked_return_type = "ComposioErrorEnvelope | null"
)]
pub fn composio_error_envelope(
    #[wasm_bindgen(unchecked_param_type = "ValidationResult<unknown>")] result: JsValue,
) -> Result<JsValue, JsValue> {
    to_js_data(&validate::composio_error_envelope(&result_arg(result)?))
}

/// The 422 `validation_error` body the Zapier Trigger Inbox API answers an
/// invalid request with, or null for a valid result.
#[cfg(feature = "validators")]
#[wasm_bindgen(
    js_name = zapierErrorBody,
    unchecked_return_type = "ZapierErrorBody | null"
)]
pub fn zapier_error_body(
    #[wasm_bindgen(unchecked_param_type = "ValidationResult<unknown>")] result: JsValue,
) -> Result<JsValue, JsValue> {
    to_js_data(&validate::zapier_error_body(&result_arg(result)?))
}

/// Reads the errors of a `ValidationResult` handed back from JS. Only the
/// errors are read: the normalized value may hold what is not JSON data
/// (a coerced `Infinity`), and the error renderings do not need it.
#[cfg(feature = "validators")]
fn result_arg(result: JsValue) -> Result<ValidationResult<()>, JsValue> {
    let errors = result
        .is_object()
        .then(|| js_sys::Reflect::get(&result, &"errors".into()).ok())
        .flatten();
    let errors: Vec<Issue> = optional_arg(errors, "result.errors")?.ok_or_else(|| {
        super::errors::js_error(
            "ValidationError",
            "invalid_argument",
            "result: expected a ValidationResult",
            &[],
        )
    })?;
    let issues = Issues {
        errors,
        warnings: Vec::new(),
    };
    Ok(ValidationResult::from_parts(issues, None))
}

/// The Rocket.Chat server's error string for an invalid result, or null.
/// Left out of the livechat-only build (`--no-default-features --features
/// livechat`), which keeps only what a page embedding the triggers needs.
#[cfg(feature = "validators")]
#[wasm_bindgen(js_name = rocketChatErrorText, unchecked_return_type = "string | null")]
pub fn rocket_chat_error_text(
    #[wasm_bindgen(unchecked_param_type = "ValidationResult<unknown>")] result: JsValue,
) -> Result<JsValue, JsValue> {
    let result = result_arg(result)?;
    Ok(validate::rocketchat_error_text(&result)
        .map(JsValue::from)
        .unwrap_or(JsValue::NULL))
}

/// Zendesk's `RecordInvalid` error body for an invalid result, or null.
#[cfg(feature = "validators")]
#[wasm_bindgen(
    js_name = zendeskRecordInvalid,
    unchecked_return_type = "ZendeskRecordInvalid | null"
)]
pub fn zendesk_record_invalid(
    #[wasm_bindgen(unchecked_param_type = "ValidationResult<unknown>")] result: JsValue,
) -> Result<JsValue, JsValue> {
    let result = result_arg(result)?;
    match validate::zendesk_record_invalid(&result) {
        Some(body) => to_js_data(&body),
        None => Ok(JsValue::NULL),
    }
}
