//! JS export of the Zendesk trigger-set lint (`lintZendeskTriggers`, see
//! `crate::rules::lint_zendesk_triggers`): findings come back as plain
//! objects `{code, severity, path, message, related}`.

use super::convert::{js_to_json, to_js_data};
use super::errors::js_error;
use super::validate::optional_arg;
use crate::formats::zendesk::ZendeskDefinitions;
use crate::rules::{lint_zendesk_triggers, RulesError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const LINT_TS: &str = r#"
/** The codes of the trigger-set lint's own findings. */
export type ZendeskLintCode =
  | "never_fires"
  | "depends_on_order"
  | "undone_by"
  | "missing_loop_guard"
  | "inactive_dependency"
  | "duplicate_title"
  | "unknown_reference";

/**
 * Codes a finding carries for a trigger that is not valid: the rule
 * compiler's (the trigger is left out of the analyses), and the validator's
 * for problems only the definitions reveal that are not references.
 */
export type ZendeskLintProblemCode =
  | "invalid_trigger"
  | "duplicate_id"
  | "unknown_field"
  | "unsupported_field"
  | "invalid_operator"
  | "invalid_value"
  | "unknown_action"
  | "invalid_action_value"
  | "unexpected_value"
  | "missing_value"
  | "required"
  | "blank"
  | "type"
  | "too_deep";

/** One lint finding. */
export interface ZendeskLintFinding {
  code: ZendeskLintCode | ZendeskLintProblemCode;
  /** `never_fires`, `unknown_reference` and invalid triggers are errors; `unsupported_field` and `depends_on_order` are info; the rest warnings. */
  severity: "error" | "warning" | "info";
  /** JSON Pointer into the triggers array (`/2/conditions/all/1`), also for a `{triggers}` input. */
  path: string;
  message: string;
  /** Ids (input indexes for triggers without one) of the other triggers involved. */
  related: number[];
}

/**
 * Lints a Zendesk trigger set (an array, or a List Triggers response),
 * optionally against the account's definitions document
 * (GET /api/v2/triggers/definitions). Findings come in input order of the
 * trigger they are about. Throws a `RulesError` with code
 * `invalid_triggers` when `triggers` is not a list of triggers, and an
 * Error with code `invalid_argument` when `definitions` is not a
 * definitions document.
 */
export function lintZendeskTriggers(
  triggers: ZendeskTrigger[] | { triggers: ZendeskTrigger[] },
  definitions?: ZendeskDefinitions | null,
): ZendeskLintFinding[];
"#;

/// Lints a Zendesk trigger set, optionally against an account's definitions.
#[wasm_bindgen(js_name = lintZendeskTriggers, skip_typescript)]
pub fn lint_zendesk_triggers_js(
    triggers: JsValue,
    definitions: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let definitions: Option<ZendeskDefinitions> = optional_arg(definitions, "definitions")?;
    let result = js_to_json(&triggers)
        .map_err(|problems| {
            let first = problems.first();
            RulesError::InvalidTriggers(
                first.map_or_else(String::new, |p| format!("{} at {}", p.message, p.path)),
            )
        })
        .and_then(|json| lint_zendesk_triggers(&json, definitions.as_ref()));
    match result {
        Ok(findings) => to_js_data(&findings),
        Err(e) => Err(js_error("RulesError", e.code(), &e.to_string(), &[])),
    }
}
