//! The JSON Schema subset Composio trigger configs are checked against, and
//! the JSON-level primitives (type names, numeric equality, member checks,
//! unknown-key hints) the Pocketflows, Composio and Zapier validators share.
//!
//! Supported keywords: `type` (a name or an array of names; `integer` is any
//! number without a fractional part), `nullable` (OpenAPI), `enum`, `const`,
//! `properties` (with `default` filled into the normalized value for absent
//! members), `required`, `additionalProperties` (boolean or schema),
//! `minProperties`/`maxProperties`, `items` (schema or tuple array),
//! `minItems`/`maxItems`, `uniqueItems`, `minimum`/`maximum`,
//! `exclusiveMinimum`/`exclusiveMaximum` (draft-4 booleans and draft-6
//! numbers), `multipleOf`, `minLength`/`maxLength` (counted in Unicode code
//! points, as JSON Schema says), `allOf`/`anyOf`/`oneOf`/`not`, and local
//! `$ref`s (`#/...`). Annotations (`title`, `description`, `format`,
//! `examples`, ...) and unknown extension keywords are ignored, as the
//! specification says. Assertion keywords outside the subset (`pattern`,
//! `patternProperties`, `if`, ...) are not checked: each one yields a single
//! `schema_unsupported` warning, so a caller never mistakes "unchecked" for
//! "valid". Work and depth are bounded, so a hostile schema (a `$ref`
//! cycle, nested `anyOf`s) cannot hang or overflow the stack.

use crate::issue::{Issues, Pointer};
use crate::json::{debug_quote, display_f64, number_text, Map, Value};

/// Deepest schema nesting (including `$ref` hops) followed.
pub const MAX_SCHEMA_DEPTH: usize = 128;

/// Most schema-node visits (and `uniqueItems` comparisons) spent on one check.
pub const SCHEMA_WORK_BUDGET: usize = 250_000;

/// Assertion keywords this subset does not evaluate.
const UNSUPPORTED: &[&str] = &[
    "pattern",
    "patternProperties",
    "propertyNames",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "contains",
    "minContains",
    "maxContains",
    "prefixItems",
    "additionalItems",
    "unevaluatedProperties",
    "unevaluatedItems",
    "$dynamicRef",
    "$recursiveRef",
];

/// Checks `instance` against `schema`, recording every problem under `path`,
/// and returns the instance with the `default` of each absent property filled in.
pub fn check_json_schema(
    instance: &Value,
    schema: &Value,
    path: &Pointer,
    issues: &mut Issues,
) -> Value {
    let mut walk = Walk {
        root: schema,
        issues: Issues::new(),
        budget: SCHEMA_WORK_BUDGET,
        warned: Default::default(),
    };
    let mut normalized = instance.clone();
    walk.check(&mut normalized, schema, &Pointer::root(), path, 0);
    issues.errors.append(&mut walk.issues.errors);
    issues.warnings.append(&mut walk.issues.warnings);
    normalized
}

struct Walk<'s> {
    root: &'s Value,
    issues: Issues,
    budget: usize,
    /// Schema locations already warned about, so a warning is not repeated
    /// for every array item the same subschema applies to.
    warned: rustc_hash::FxHashSet<String>,
}

impl<'s> Walk<'s> {
    fn spend(&mut self, cost: usize, at: &Pointer) -> bool {
        if self.budget == 0 {
            return false;
        }
        if cost >= self.budget {
            self.budget = 0;
            self.issues.warning(
                at,
                "schema_limit",
                format!("schema check stopped here: it needs more than {SCHEMA_WORK_BUDGET} steps"),
            );
            return false;
        }
        self.budget -= cost;
        true
    }

    fn warn_schema(&mut self, spath: &Pointer, at: &Pointer, code: &str, message: String) {
        if self.warned.insert(format!("{code}@{spath}")) {
            self.issues.warning(at, code, message);
        }
    }

    fn check(
        &mut self,
        inst: &mut Value,
        schema: &'s Value,
        spath: &Pointer,
        ipath: &Pointer,
        depth: usize,
    ) {
        if !self.spend(1, ipath) {
            return;
        }
        if depth > MAX_SCHEMA_DEPTH {
            self.warn_schema(
                spath,
                ipath,
                "schema_limit",
                format!("schema nests deeper than {MAX_SCHEMA_DEPTH} levels (or has a $ref cycle); not checked further"),
            );
            return;
        }
        let s = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                self.issues
                    .error(ipath, "false_schema", "no value is allowed here");
                return;
            }
            Value::Object(s) => s,
            _ => {
                self.warn_schema(
                    spath,
                    ipath,
                    "invalid_schema",
                    format!("schema at #{spath} is not an object or a boolean; not checked"),
                );
                return;
            }
        };
        for keyword in UNSUPPORTED {
            if s.contains_key(keyword) {
                self.warn_schema(
                    &spath.key(keyword),
                    ipath,
                    "schema_unsupported",
                    format!("`{keyword}` (at #{spath}) is not checked by triggerkit"),
                );
            }
        }
        if let Some(reference) = s.get("$ref") {
            self.check_ref(inst, reference, spath, ipath, depth);
        }
        if !self.check_type(inst, s, spath, ipath) {
            return;
        }
        self.check_enum_const(inst, s, spath, ipath);
        match inst {
            Value::Number(_) => self.check_number(inst, s, spath, ipath),
            Value::String(text) => self.check_string(text, s, spath, ipath),
            Value::Array(_) => self.check_array(inst, s, spath, ipath, depth),
            Value::Object(_) => self.check_object(inst, s, spath, ipath, depth),
            _ => {}
        }
        self.check_combinators(inst, s, spath, ipath, depth);
    }

    fn check_ref(
        &mut self,
        inst: &mut Value,
        reference: &Value,
        spath: &Pointer,
        ipath: &Pointer,
        depth: usize,
    ) {
        let here = spath.key("$ref");
        let Some(text) = reference.as_str() else {
            self.warn_schema(
                &here,
                ipath,
                "invalid_schema",
                format!("`$ref` at #{spath} is not a string"),
            );
            return;
        };
        let Some(fragment) = text.strip_prefix('#') else {
            self.warn_schema(
                &here,
                ipath,
                "schema_unsupported",
                format!(
                    "`$ref` {} is not a local reference (#/...); not checked",
                    preview(text)
                ),
            );
            return;
        };
        match (self.root.pointer(fragment), pointer_from_fragment(fragment)) {
            (Some(target), Some(target_path)) => {
                self.check(inst, target, &target_path, ipath, depth + 1)
            }
            _ => self.warn_schema(
                &here,
                ipath,
                "invalid_schema",
                format!("`$ref` {} does not resolve; not checked", preview(text)),
            ),
        }
    }

    /// Returns false when the instance has none of the allowed types, in
    /// which case the type-specific keywords are moot.
    fn check_type(&mut self, inst: &Value, s: &Map, spath: &Pointer, ipath: &Pointer) -> bool {
        let Some(ty) = s.get("type") else {
            return true;
        };
        let names: Vec<&str> = match ty {
            Value::String(name) => vec![name.as_str()],
            Value::Array(items) if items.iter().all(Value::is_string) => {
                items.iter().filter_map(Value::as_str).collect()
            }
            _ => {
                self.warn_schema(
                    &spath.key("type"),
                    ipath,
                    "invalid_schema",
                    format!("`type` at #{spath} is not a type name or an array of them"),
                );
                return true;
            }
        };
        if let Some(unknown) = names.iter().find(|n| !TYPE_NAMES.contains(n)) {
            self.warn_schema(
                &spath.key("type"),
                ipath,
                "invalid_schema",
                format!(
                    "`type` at #{spath} names the unknown type {}; not checked",
                    preview(unknown)
                ),
            );
            return true;
        }
        let nullable = s.get("nullable") == Some(&Value::Bool(true));
        if (nullable && inst.is_null()) || names.iter().any(|n| has_type(inst, n)) {
            return true;
        }
        let mut expected = names.join(" or ");
        if nullable {
            expected.push_str(" or null");
        }
        self.issues.error(
            ipath,
            "type",
            format!("must be {}, not {}", expected, describe_type(inst)),
        );
        false
    }

    fn check_enum_const(&mut self, inst: &Value, s: &Map, spath: &Pointer, ipath: &Pointer) {
        match s.get("enum") {
            Some(Value::Array(options)) if !options.iter().any(|o| json_equal(o, inst)) => {
                let listed: Vec<String> = options.iter().take(10).map(preview_json).collect();
                let more = if options.len() > 10 { ", ..." } else { "" };
                self.issues.error(
                    ipath,
                    "enum",
                    format!("must be one of {}{}", listed.join(", "), more),
                );
            }
            Some(Value::Array(_)) | None => {}
            Some(_) => self.warn_schema(
                &spath.key("enum"),
                ipath,
                "invalid_schema",
                format!("`enum` at #{spath} is not an array"),
            ),
        }
        if let Some(expected) = s.get("const") {
            if !json_equal(expected, inst) {
                self.issues.error(
                    ipath,
                    "const",
                    format!("must be {}", preview_json(expected)),
                );
            }
        }
    }

    /// Reads a numeric keyword; a non-number is reported as a schema problem.
    fn number_keyword(
        &mut self,
        s: &Map,
        key: &str,
        spath: &Pointer,
        ipath: &Pointer,
    ) -> Option<f64> {
        let value = s.get(key)?;
        let number = value.as_f64();
        if number.is_none() && !value.is_boolean() {
            self.warn_schema(
                &spath.key(key),
                ipath,
                "invalid_schema",
                format!("`{key}` at #{spath} is not a number"),
            );
        }
        number
    }

    /// Reads a count keyword (`minLength`, ...): a non-negative integer.
    fn count_keyword(
        &mut self,
        s: &Map,
        key: &str,
        spath: &Pointer,
        ipath: &Pointer,
    ) -> Option<u64> {
        let value = s.get(key)?;
        let count = value.as_u64().or_else(|| {
            value
                .as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                .map(|f| f as u64)
        });
        if count.is_none() {
            self.warn_schema(
                &spath.key(key),
                ipath,
                "invalid_schema",
                format!("`{key}` at #{spath} is not a non-negative integer"),
            );
        }
        count
    }

    fn check_number(&mut self, inst: &Value, s: &Map, spath: &Pointer, ipath: &Pointer) {
        let Some(x) = inst.as_f64() else {
            return;
        };
        // Draft 4 spells exclusive bounds as booleans beside minimum/maximum.
        let exclusive_flag = |key: &str| s.get(key) == Some(&Value::Bool(true));
        if let Some(min) = self.number_keyword(s, "minimum", spath, ipath) {
            if exclusive_flag("exclusiveMinimum") {
                if x <= min {
                    self.issues.error(
                        ipath,
                        "exclusive_minimum",
                        format!("must be greater than {}", display_f64(min)),
                    );
                }
            } else if x < min {
                self.issues.error(
                    ipath,
                    "minimum",
                    format!("must be at least {}", display_f64(min)),
                );
            }
        }
        if let Some(max) = self.number_keyword(s, "maximum", spath, ipath) {
            if exclusive_flag("exclusiveMaximum") {
                if x >= max {
                    self.issues.error(
                        ipath,
                        "exclusive_maximum",
                        format!("must be less than {}", display_f64(max)),
                    );
                }
            } else if x > max {
                self.issues.error(
                    ipath,
                    "maximum",
                    format!("must be at most {}", display_f64(max)),
                );
            }
        }
        if let Some(min) = self.number_keyword(s, "exclusiveMinimum", spath, ipath) {
            if x <= min {
                self.issues.error(
                    ipath,
                    "exclusive_minimum",
                    format!("must be greater than {}", display_f64(min)),
                );
            }
        }
        if let Some(max) = self.number_keyword(s, "exclusiveMaximum", spath, ipath) {
            if x >= max {
                self.issues.error(
                    ipath,
                    "exclusive_maximum",
                    format!("must be less than {}", display_f64(max)),
                );
            }
        }
        if let Some(step) = self.number_keyword(s, "multipleOf", spath, ipath) {
            if step <= 0.0 {
                self.warn_schema(
                    &spath.key("multipleOf"),
                    ipath,
                    "invalid_schema",
                    format!("`multipleOf` at #{spath} is not greater than 0"),
                );
            } else if !is_multiple_of(inst, x, step) {
                self.issues.error(
                    ipath,
                    "multiple_of",
                    format!("must be a multiple of {}", display_f64(step)),
                );
            }
        }
    }

    fn check_string(&mut self, text: &str, s: &Map, spath: &Pointer, ipath: &Pointer) {
        if s.contains_key("minLength") || s.contains_key("maxLength") {
            let length = text.chars().count() as u64;
            let bounds = Bounds {
                min: ("minLength", "min_length"),
                max: ("maxLength", "max_length"),
                unit: "characters long",
            };
            self.check_bounds(length, &bounds, s, spath, ipath);
        }
    }

    /// Checks a size (string length, item or property count) against a
    /// pair of count keywords.
    fn check_bounds(
        &mut self,
        size: u64,
        bounds: &Bounds,
        s: &Map,
        spath: &Pointer,
        ipath: &Pointer,
    ) {
        let (min_key, min_code) = bounds.min;
        let (max_key, max_code) = bounds.max;
        let unit = bounds.unit;
        if let Some(min) = self.count_keyword(s, min_key, spath, ipath) {
            if size < min {
                let message = format!("must be at least {min} {unit}, not {size}");
                self.issues.error(ipath, min_code, message);
            }
        }
        if let Some(max) = self.count_keyword(s, max_key, spath, ipath) {
            if size > max {
                let message = format!("must be at most {max} {unit}, not {size}");
                self.issues.error(ipath, max_code, message);
            }
        }
    }

    fn check_array(
        &mut self,
        inst: &mut Value,
        s: &'s Map,
        spath: &Pointer,
        ipath: &Pointer,
        depth: usize,
    ) {
        let Value::Array(items) = inst else {
            return;
        };
        let bounds = Bounds {
            min: ("minItems", "min_items"),
            max: ("maxItems", "max_items"),
            unit: "items",
        };
        self.check_bounds(items.len() as u64, &bounds, s, spath, ipath);
        match s.get("items") {
            Some(Value::Array(tuple)) => {
                let here = spath.key("items");
                for (i, (item, item_schema)) in items.iter_mut().zip(tuple).enumerate() {
                    self.check(
                        item,
                        item_schema,
                        &here.index(i),
                        &ipath.index(i),
                        depth + 1,
                    );
                }
            }
            Some(item_schema) => {
                let here = spath.key("items");
                for (i, item) in items.iter_mut().enumerate() {
                    self.check(item, item_schema, &here, &ipath.index(i), depth + 1);
                }
            }
            None => {}
        }
        if s.get("uniqueItems") == Some(&Value::Bool(true)) {
            self.check_unique(items, ipath);
        }
    }

    fn check_unique(&mut self, items: &[Value], ipath: &Pointer) {
        for (j, later) in items.iter().enumerate().skip(1) {
            if !self.spend(j, ipath) {
                return;
            }
            if let Some(i) = items[..j]
                .iter()
                .position(|earlier| json_equal(earlier, later))
            {
                self.issues.error(
                    &ipath.index(j),
                    "unique_items",
                    format!("duplicates item {i}; items must be unique"),
                );
            }
        }
    }

    fn check_object(
        &mut self,
        inst: &mut Value,
        s: &'s Map,
        spath: &Pointer,
        ipath: &Pointer,
        depth: usize,
    ) {
        let Value::Object(members) = inst else {
            return;
        };
        let properties = match s.get("properties") {
            Some(Value::Object(p)) => Some(p),
            Some(_) => {
                self.warn_schema(
                    &spath.key("properties"),
                    ipath,
                    "invalid_schema",
                    format!("`properties` at #{spath} is not an object"),
                );
                None
            }
            None => None,
        };
        if let Some(properties) = properties {
            let here = spath.key("properties");
            for (key, property_schema) in properties {
                match members.get_mut(key) {
                    Some(member) => self.check(
                        member,
                        property_schema,
                        &here.key(key),
                        &ipath.key(key),
                        depth + 1,
                    ),
                    None => {
                        if let Some(default) = property_schema.get("default") {
                            members.insert(key.clone(), default.clone());
                        }
                    }
                }
            }
        }
        match s.get("required") {
            Some(Value::Array(required)) => {
                for key in required {
                    match key.as_str() {
                        Some(key) if !members.contains_key(key) => self.issues.error(
                            &ipath.key(key),
                            "required",
                            format!("required property {} is missing", preview(key)),
                        ),
                        Some(_) => {}
                        None => self.warn_schema(
                            &spath.key("required"),
                            ipath,
                            "invalid_schema",
                            format!("`required` at #{spath} lists a non-string"),
                        ),
                    }
                }
            }
            Some(_) => self.warn_schema(
                &spath.key("required"),
                ipath,
                "invalid_schema",
                format!("`required` at #{spath} is not an array"),
            ),
            None => {}
        }
        let bounds = Bounds {
            min: ("minProperties", "min_properties"),
            max: ("maxProperties", "max_properties"),
            unit: "properties",
        };
        self.check_bounds(members.len() as u64, &bounds, s, spath, ipath);
        // With patternProperties unchecked, "additional" cannot be decided.
        if s.contains_key("patternProperties") {
            return;
        }
        let Some(additional) = s.get("additionalProperties") else {
            return;
        };
        let extra: Vec<String> = members
            .keys()
            .filter(|k| properties.is_none_or(|p| !p.contains_key(k)))
            .cloned()
            .collect();
        let here = spath.key("additionalProperties");
        for key in extra {
            match additional {
                Value::Bool(false) => {
                    let hint = properties
                        .and_then(|p| suggest(&key, p.keys().map(String::as_str)))
                        .map(|s| format!("; did you mean {}?", preview(s)))
                        .unwrap_or_default();
                    self.issues.error(
                        &ipath.key(&key),
                        "additional_properties",
                        format!("property {} is not allowed{hint}", preview(&key)),
                    );
                }
                other => {
                    if let Some(member) = members.get_mut(&key) {
                        self.check(member, other, &here, &ipath.key(&key), depth + 1);
                    }
                }
            }
        }
    }

    fn check_combinators(
        &mut self,
        inst: &mut Value,
        s: &'s Map,
        spath: &Pointer,
        ipath: &Pointer,
        depth: usize,
    ) {
        if let Some(all) = self.schema_list(s, "allOf", spath, ipath) {
            let here = spath.key("allOf");
            for (i, branch) in all.iter().enumerate() {
                self.check(inst, branch, &here.index(i), ipath, depth + 1);
            }
        }
        if let Some(any) = self.schema_list(s, "anyOf", spath, ipath) {
            let outcomes = self.try_branches(inst, any, &spath.key("anyOf"), ipath, depth, true);
            self.settle(inst, outcomes, ipath, "any_of", "anyOf");
        }
        if let Some(one) = self.schema_list(s, "oneOf", spath, ipath) {
            let outcomes = self.try_branches(inst, one, &spath.key("oneOf"), ipath, depth, false);
            let passing = outcomes
                .iter()
                .filter(|o| o.issues.errors.is_empty())
                .count();
            if passing > 1 {
                self.issues.error(
                    ipath,
                    "one_of",
                    format!("matches {passing} of the schemas in oneOf; exactly one must match"),
                );
            } else {
                self.settle(inst, outcomes, ipath, "one_of", "oneOf");
            }
        }
        if let Some(negated) = s.get("not") {
            let mut scratch = inst.clone();
            let saved = std::mem::take(&mut self.issues);
            self.check(&mut scratch, negated, &spath.key("not"), ipath, depth + 1);
            let outcome = std::mem::replace(&mut self.issues, saved);
            self.issues.warnings.extend(outcome.warnings);
            if outcome.errors.is_empty() {
                self.issues
                    .error(ipath, "not", "must not match the schema in `not`");
            }
        }
    }

    fn schema_list(
        &mut self,
        s: &'s Map,
        key: &str,
        spath: &Pointer,
        ipath: &Pointer,
    ) -> Option<&'s Vec<Value>> {
        match s.get(key)? {
            Value::Array(list) if !list.is_empty() => Some(list),
            _ => {
                self.warn_schema(
                    &spath.key(key),
                    ipath,
                    "invalid_schema",
                    format!("`{key}` at #{spath} is not a non-empty array"),
                );
                None
            }
        }
    }

    /// Evaluates each branch on its own copy of the instance; with
    /// `stop_at_first`, stops at the first branch that passes.
    fn try_branches(
        &mut self,
        inst: &Value,
        branches: &'s [Value],
        here: &Pointer,
        ipath: &Pointer,
        depth: usize,
        stop_at_first: bool,
    ) -> Vec<Branch> {
        let mut outcomes = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let mut value = inst.clone();
            let saved = std::mem::take(&mut self.issues);
            self.check(&mut value, branch, &here.index(i), ipath, depth + 1);
            let issues = std::mem::replace(&mut self.issues, saved);
            let passed = issues.errors.is_empty();
            outcomes.push(Branch { value, issues });
            if passed && stop_at_first {
                break;
            }
        }
        outcomes
    }

    /// Adopts the passing branch (its filled defaults included) or reports
    /// why none passed: the errors of the one branch whose type fits, when
    /// there is exactly one (the `anyOf: [{...}, {"type": "null"}]` shape of
    /// optional fields), else a single error naming the combinator.
    fn settle(
        &mut self,
        inst: &mut Value,
        outcomes: Vec<Branch>,
        ipath: &Pointer,
        code: &str,
        keyword: &str,
    ) {
        for outcome in &outcomes {
            self.issues
                .warnings
                .extend(outcome.issues.warnings.iter().cloned());
        }
        let total = outcomes.len();
        let mut fitting = Vec::new();
        for outcome in outcomes {
            if outcome.issues.errors.is_empty() {
                *inst = outcome.value;
                return;
            }
            let type_mismatch = outcome
                .issues
                .errors
                .iter()
                .any(|e| e.code == "type" && e.path == ipath.as_str());
            if !type_mismatch {
                fitting.push(outcome);
            }
        }
        match fitting.pop() {
            Some(only) if fitting.is_empty() => self.issues.errors.extend(only.issues.errors),
            _ => self.issues.error(
                ipath,
                code,
                format!(
                    "must match {} of the {total} schemas in {keyword}",
                    if code == "one_of" {
                        "exactly one"
                    } else {
                        "at least one"
                    }
                ),
            ),
        }
    }
}

struct Branch {
    value: Value,
    issues: Issues,
}

/// A pair of count keywords, `(keyword, error code)` each, and what they count.
struct Bounds {
    min: (&'static str, &'static str),
    max: (&'static str, &'static str),
    unit: &'static str,
}

const TYPE_NAMES: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        "integer" => is_integer(value),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// True for numbers without a fractional part (`2` and `2.0` alike).
pub fn is_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.is_finite() && n.fract() == 0.0,
        _ => false,
    }
}

fn is_multiple_of(inst: &Value, x: f64, step: f64) -> bool {
    if let (Some(a), Some(b)) = (
        inst.as_safe_i64(),
        Some(step).filter(|s| s.fract() == 0.0 && s.abs() < 9.0e15),
    ) {
        return a % (b as i64) == 0;
    }
    let quotient = x / step;
    quotient.is_finite() && (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0)
}

/// Rebuilds a schema location pointer from a `$ref` fragment (`/$defs/A`).
fn pointer_from_fragment(fragment: &str) -> Option<Pointer> {
    if fragment.is_empty() {
        return Some(Pointer::root());
    }
    let rest = fragment.strip_prefix('/')?;
    Some(rest.split('/').fold(Pointer::root(), |p, token| {
        p.key(&token.replace("~1", "/").replace("~0", "~"))
    }))
}

/// The JSON Schema type name of a value; numbers without a fractional part are `integer`.
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) if is_integer(value) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `"a string"`, `"an object"`, `"null"`: the type of a value for messages.
pub fn describe_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) if is_integer(value) => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// JSON equality as JSON Schema defines it: numbers compare by value
/// (`1 == 1.0`), objects regardless of member order. Values nested deeper
/// than [`MAX_SCHEMA_DEPTH`] compare unequal rather than recurse further.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    equal_within(a, b, 0)
}

fn equal_within(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > MAX_SCHEMA_DEPTH {
        return false;
    }
    match (a, b) {
        // Numbers are f64, as in JavaScript: `1` and `1.0` are one value.
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal_within(p, q, depth + 1))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| equal_within(v, w, depth + 1)))
        }
        _ => a == b,
    }
}

/// Quotes a piece of input for a message, cut short so a 10 MB string
/// cannot bloat the report.
pub fn preview(text: &str) -> String {
    const KEEP: usize = 40;
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(KEEP).collect();
    let quoted = debug_quote(&head);
    if chars.next().is_some() {
        quoted + "..."
    } else {
        quoted
    }
}

fn preview_json(value: &Value) -> String {
    match value {
        Value::String(text) => preview(text),
        Value::Array(_) | Value::Object(_) => json_type_name(value).to_owned(),
        Value::Number(n) => number_text(*n),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
    }
}

/// The known key an unknown `key` was probably meant to be: the same
/// letters up to case, `_` and `-` (`connectedAccountId`), or at most two
/// edits away.
pub fn suggest<'k>(key: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    const MAX_KEY: usize = 64;
    if key.len() > MAX_KEY {
        return None;
    }
    let fold = |s: &str| -> Vec<char> {
        let mut folded = Vec::new();
        for c in s.chars().filter(|c| *c != '_' && *c != '-') {
            crate::json::case::push_char_lowercase(c, &mut folded);
        }
        folded
    };
    let wanted = fold(key);
    let mut best: Option<(usize, &'k str)> = None;
    for candidate in known {
        if candidate.len() > MAX_KEY {
            continue;
        }
        let distance = edit_distance(&wanted, &fold(candidate));
        let allowed = if wanted.len() >= 5 { 2 } else { 1 };
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            let insert = current[j] + 1;
            let delete = previous[j + 1] + 1;
            current.push(substitute.min(insert).min(delete));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Records an error unless `value` is an object; returns the object.
pub fn expect_object<'v>(value: &'v Value, path: &Pointer, issues: &mut Issues) -> Option<&'v Map> {
    match value {
        Value::Object(members) => Some(members),
        other => {
            issues.error(
                path,
                "type",
                format!("must be an object, not {}", describe_type(other)),
            );
            None
        }
    }
}

/// Warns (`unknown_key`) about each member of `members` not in `known`,
/// with a "did you mean" hint when one is close. `note` may add a reason
/// for a specific key (such as "read-only field of the response").
pub fn warn_unknown_keys(
    members: &Map,
    known: &[&str],
    path: &Pointer,
    issues: &mut Issues,
    note: impl Fn(&str) -> Option<&'static str>,
) {
    for key in members.keys().filter(|k| !known.contains(&k.as_str())) {
        let message = match (note(key), suggest(key, known.iter().copied())) {
            (Some(reason), _) => {
                format!("unknown property {}: {reason}; it is ignored", preview(key))
            }
            (None, Some(close)) => {
                format!(
                    "unknown property {}; did you mean {}? It is ignored",
                    preview(key),
                    preview(close)
                )
            }
            (None, None) => format!("unknown property {}; it is ignored", preview(key)),
        };
        issues.warning(&path.key(key), "unknown_key", message);
    }
}

/// True when `key` is present with a non-null value (null means "not given").
pub fn is_given(members: &Map, key: &str) -> bool {
    members.get(key).is_some_and(|v| !v.is_null())
}

/// Whether a member may be absent, and what null means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Absent or null is an error (`required`).
    Required,
    /// Absent or null means "not given".
    Optional,
    /// May be absent, but null is a `type` error (the API does not allow it).
    NotNull,
}

/// Reads member `key`, which must have the JSON Schema type `kind`
/// (`"object"`, `"array"`, `"string"`, `"number"`, ...): a wrong type is a
/// `type` error, and absence (or null, unless `NotNull`) is `required` when
/// the member is required. Returns the value when it has the right type.
pub fn typed_member<'v>(
    members: &'v Map,
    key: &str,
    kind: &str,
    path: &Pointer,
    presence: Presence,
    issues: &mut Issues,
) -> Option<&'v Value> {
    let at = path.key(key);
    match (members.get(key), presence) {
        (Some(value), _) if has_type(value, kind) => Some(value),
        (None, Presence::Required) | (Some(Value::Null), Presence::Required) => {
            issues.error(&at, "required", format!("{} is required", preview(key)));
            None
        }
        (None, _) | (Some(Value::Null), Presence::Optional) => None,
        (Some(other), _) => {
            let or_null = if presence == Presence::Optional {
                " or null"
            } else {
                ""
            };
            let expected = match kind {
                "object" | "array" | "integer" => format!("an {kind}"),
                _ => format!("a {kind}"),
            };
            issues.error(
                &at,
                "type",
                format!("must be {expected}{or_null}, not {}", describe_type(other)),
            );
            None
        }
    }
}

/// Reads the string member `key` as [`typed_member`] does; a blank string
/// is an `empty` error. Returns the string when usable.
pub fn string_member(
    members: &Map,
    key: &str,
    path: &Pointer,
    presence: Presence,
    issues: &mut Issues,
) -> Option<String> {
    let text = typed_member(members, key, "string", path, presence, issues)?.as_str()?;
    if text.trim().is_empty() {
        issues.error(&path.key(key), "empty", "must not be empty");
        return None;
    }
    Some(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        crate::json::parse(text).expect("test JSON parses")
    }

    #[test]
    fn equality_compares_numbers_by_value() {
        assert!(json_equal(
            &json(r#"{"a": [1, 2.0]}"#),
            &json(r#"{"a": [1.0, 2]}"#)
        ));
        assert!(json_equal(
            &json(r#"{"a": 1, "b": 2}"#),
            &json(r#"{"b": 2, "a": 1}"#)
        ));
        assert!(!json_equal(&json("1"), &json(r#""1""#)));
        assert!(!json_equal(
            &json(r#"{"a": 1}"#),
            &json(r#"{"a": 1, "b": 2}"#)
        ));
    }

    #[test]
    fn suggestions_fold_case_and_separators() {
        let known = ["connected_account_id", "trigger_config"];
        assert_eq!(
            suggest("connectedAccountId", known),
            Some("connected_account_id")
        );
        assert_eq!(suggest("trigger_confg", known), Some("trigger_config"));
        assert_eq!(suggest("zzz", known), None);
    }

    #[test]
    fn fragment_pointers_unescape() {
        let p = pointer_from_fragment("/$defs/a~1b").expect("a pointer");
        assert_eq!(p.as_str(), "/$defs/a~1b");
        assert_eq!(pointer_from_fragment("x"), None);
    }

    #[test]
    fn number_bounds_print_as_rust_does() {
        let schema = json(r#"{"minimum": 1.5, "maximum": 1e21, "multipleOf": 0.25}"#);
        let mut issues = Issues::new();
        for x in [json("1"), json("2e21"), json("2.1")] {
            check_json_schema(&x, &schema, &Pointer::root(), &mut issues);
        }
        let messages: Vec<&str> = issues.errors.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "must be at least 1.5",
                "must be at most 1000000000000000000000",
                "must be a multiple of 0.25",
            ]
        );
    }

    #[test]
    fn previews_are_bounded() {
        let long = "x".repeat(1000);
        assert!(preview(&long).len() < 50);
        assert_eq!(preview("ab"), "\"ab\"");
    }
}
