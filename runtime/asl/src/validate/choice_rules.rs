//! Choice rules.
//!
//! JSONPath: a rule is either a comparison (`Variable`, a reference path, and exactly
//! one comparison operator with a value of the operator's type) or a combination
//! (`And`/`Or`: non-empty arrays of rules; `Not`: one rule). Only the rules directly in
//! `Choices` have a `Next` (and may `Assign`); nested rules must not.
//! JSONata: a rule is a `Condition` (a boolean or a `{% %}` expression) with a `Next`,
//! and may `Assign` and `Output`.

use super::codes;
use super::context::{child, index, type_name, Ctx, Lang, MAX_CHOICE_RULE_DEPTH};
use super::fields::{only_in, wrong_language_message};
use super::jsonata::{self, Site};
use super::paths;
use super::reachability::StateSummary;
use super::states::common;
use super::values;
use super::variables;
use serde_json::{Map, Value};

/// What a comparison operator compares against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operand {
    /// A string literal.
    String,
    /// A number literal.
    Number,
    /// A boolean literal.
    Boolean,
    /// An ISO-8601 timestamp literal.
    Timestamp,
    /// `true`/`false`: the type tests (`IsNull`, `IsPresent`, ...).
    TypeTest,
    /// A path to the value to compare against (`…Path` operators).
    Path,
}

/// Every comparison operator and its operand.
const OPERATORS: &[(&str, Operand)] = &[
    ("StringEquals", Operand::String),
    ("StringEqualsPath", Operand::Path),
    ("StringLessThan", Operand::String),
    ("StringLessThanPath", Operand::Path),
    ("StringGreaterThan", Operand::String),
    ("StringGreaterThanPath", Operand::Path),
    ("StringLessThanEquals", Operand::String),
    ("StringLessThanEqualsPath", Operand::Path),
    ("StringGreaterThanEquals", Operand::String),
    ("StringGreaterThanEqualsPath", Operand::Path),
    ("StringMatches", Operand::String),
    ("NumericEquals", Operand::Number),
    ("NumericEqualsPath", Operand::Path),
    ("NumericLessThan", Operand::Number),
    ("NumericLessThanPath", Operand::Path),
    ("NumericGreaterThan", Operand::Number),
    ("NumericGreaterThanPath", Operand::Path),
    ("NumericLessThanEquals", Operand::Number),
    ("NumericLessThanEqualsPath", Operand::Path),
    ("NumericGreaterThanEquals", Operand::Number),
    ("NumericGreaterThanEqualsPath", Operand::Path),
    ("BooleanEquals", Operand::Boolean),
    ("BooleanEqualsPath", Operand::Path),
    ("TimestampEquals", Operand::Timestamp),
    ("TimestampEqualsPath", Operand::Path),
    ("TimestampLessThan", Operand::Timestamp),
    ("TimestampLessThanPath", Operand::Path),
    ("TimestampGreaterThan", Operand::Timestamp),
    ("TimestampGreaterThanPath", Operand::Path),
    ("TimestampLessThanEquals", Operand::Timestamp),
    ("TimestampLessThanEqualsPath", Operand::Path),
    ("TimestampGreaterThanEquals", Operand::Timestamp),
    ("TimestampGreaterThanEqualsPath", Operand::Path),
    ("IsNull", Operand::TypeTest),
    ("IsPresent", Operand::TypeTest),
    ("IsNumeric", Operand::TypeTest),
    ("IsString", Operand::TypeTest),
    ("IsBoolean", Operand::TypeTest),
    ("IsTimestamp", Operand::TypeTest),
];

const COMBINATORS: &[&str] = &["And", "Or", "Not"];

/// Checks a Choice state's `Choices`; each rule's `Next` becomes a transition.
pub(crate) fn check_choices(
    ctx: &mut Ctx,
    v: &Value,
    ptr: &str,
    lang: Lang,
    summary: &mut StateSummary,
) {
    let Value::Array(rules) = v else {
        ctx.schema(
            ptr,
            format!("'Choices' must be an array of rules, not {}", type_name(v)),
        );
        return;
    };
    if rules.is_empty() {
        ctx.schema(ptr, "'Choices' must hold at least one rule");
        return;
    }
    for (i, rule) in rules.iter().enumerate() {
        let rptr = index(ptr, i);
        let Value::Object(obj) = rule else {
            ctx.schema(
                &rptr,
                format!("A Choice rule must be an object, not {}", type_name(rule)),
            );
            continue;
        };
        match obj.get("Next") {
            Some(Value::String(target)) => summary.add_assigning_transition(
                child(&rptr, "Next"),
                target,
                variables::assigned_names(obj.get("Assign")),
            ),
            Some(other) => ctx.schema(
                child(&rptr, "Next"),
                format!("'Next' must be a state name, not {}", type_name(other)),
            ),
            None => ctx.schema(
                child(&rptr, "Next"),
                "A rule in 'Choices' must have a 'Next' field",
            ),
        }
        match lang {
            Lang::JsonPath => check_rule(ctx, obj, &rptr, 0),
            Lang::Jsonata => check_condition_rule(ctx, obj, &rptr),
        }
    }
}

/// A JSONata rule: `Condition`, `Next`, `Assign`, `Output`, `Comment`.
fn check_condition_rule(ctx: &mut Ctx, obj: &Map<String, Value>, ptr: &str) {
    for (key, v) in obj {
        let kptr = child(ptr, key);
        match key.as_str() {
            "Next" => {}
            "Comment" => {
                values::check_string(ctx, v, &kptr, "Comment");
            }
            "Assign" => variables::check_assign(ctx, v, &kptr, Lang::Jsonata, Site::PLAIN),
            "Output" => common::check_output(ctx, v, &kptr, Site::PLAIN),
            "Condition" => match v {
                Value::Bool(_) => {}
                Value::String(s) if jsonata::starts_expression(s) => {
                    jsonata::check_expression(ctx, s, &kptr, Site::PLAIN)
                }
                other => ctx.schema(
                    kptr,
                    format!(
                        "'Condition' must be a boolean or a JSONata expression, not {}",
                        describe(other)
                    ),
                ),
            },
            _ if is_operator(key) || only_in(key) == Some(Lang::JsonPath) => {
                ctx.schema(kptr, wrong_language_message(key, Lang::Jsonata));
            }
            _ => ctx.schema(
                kptr,
                format!("Field '{key}' is not supported in a Choice rule"),
            ),
        }
    }
    if !obj.contains_key("Condition") {
        ctx.schema(
            child(ptr, "Condition"),
            "A JSONata Choice rule must have a 'Condition' field",
        );
    }
}

/// A JSONPath rule at `depth` (0 for the rules in `Choices`).
fn check_rule(ctx: &mut Ctx, obj: &Map<String, Value>, ptr: &str, depth: usize) {
    if depth > MAX_CHOICE_RULE_DEPTH {
        ctx.error(
            codes::TOO_DEEPLY_NESTED,
            ptr,
            format!("Choice rules are nested more than {MAX_CHOICE_RULE_DEPTH} deep"),
        );
        return;
    }
    let mut operators: Vec<&str> = Vec::new();
    for (key, v) in obj {
        let kptr = child(ptr, key);
        match key.as_str() {
            "Variable" => {}
            "Next" if depth == 0 => {}
            "Next" => ctx.schema(
                kptr,
                "A nested Choice rule (inside 'And', 'Or' or 'Not') may not have a 'Next' field",
            ),
            "Assign" if depth == 0 => {
                variables::check_assign(ctx, v, &kptr, Lang::JsonPath, Site::PLAIN)
            }
            "Comment" => {
                values::check_string(ctx, v, &kptr, "Comment");
            }
            "Condition" | "Output" => ctx.schema(kptr, wrong_language_message(key, Lang::JsonPath)),
            k if COMBINATORS.contains(&k) || is_operator(k) => operators.push(k),
            _ => ctx.schema(
                kptr,
                format!("Field '{key}' is not supported in a Choice rule"),
            ),
        }
    }
    match operators.as_slice() {
        [] => ctx.schema(
            ptr,
            "A Choice rule must have one comparison operator (such as 'StringEquals'), or 'And', 'Or' or 'Not'",
        ),
        [op] => {
            let op = *op;
            let v = obj.get(op).unwrap_or(&Value::Null);
            let optr = child(ptr, op);
            if COMBINATORS.contains(&op) {
                if obj.contains_key("Variable") {
                    ctx.schema(
                        child(ptr, "Variable"),
                        format!("'Variable' is not used with '{op}': put it in the nested rules"),
                    );
                }
                check_combinator(ctx, op, v, &optr, depth);
            } else {
                match obj.get("Variable") {
                    Some(var) => paths::check_reference_path(ctx, var, &child(ptr, "Variable"), "Variable", false, true),
                    None => ctx.schema(
                        child(ptr, "Variable"),
                        format!("A Choice rule using '{op}' must have a 'Variable' field"),
                    ),
                }
                check_operand(ctx, op, v, &optr);
            }
        }
        many => ctx.schema(
            ptr,
            format!(
                "A Choice rule must have exactly one comparison operator, not {} ({})",
                many.len(),
                values::quoted_list(many)
            ),
        ),
    }
}

/// `And`/`Or`: non-empty arrays of rules; `Not`: one rule.
fn check_combinator(ctx: &mut Ctx, op: &str, v: &Value, ptr: &str, depth: usize) {
    if op == "Not" {
        match v {
            Value::Object(inner) => check_rule(ctx, inner, ptr, depth + 1),
            other => ctx.schema(
                ptr,
                format!(
                    "'Not' must hold one Choice rule object, not {}",
                    type_name(other)
                ),
            ),
        }
        return;
    }
    match v {
        Value::Array(rules) if !rules.is_empty() => {
            for (i, rule) in rules.iter().enumerate() {
                let rptr = index(ptr, i);
                match rule {
                    Value::Object(inner) => check_rule(ctx, inner, &rptr, depth + 1),
                    other => ctx.schema(
                        rptr,
                        format!("A Choice rule must be an object, not {}", type_name(other)),
                    ),
                }
            }
        }
        Value::Array(_) => ctx.schema(ptr, format!("'{op}' must hold at least one rule")),
        other => ctx.schema(
            ptr,
            format!("'{op}' must be an array of rules, not {}", type_name(other)),
        ),
    }
}

/// The value of a comparison operator.
fn check_operand(ctx: &mut Ctx, op: &str, v: &Value, ptr: &str) {
    let Some(kind) = OPERATORS
        .iter()
        .find(|(name, _)| *name == op)
        .map(|(_, k)| *k)
    else {
        return;
    };
    let ok = match kind {
        Operand::String => v.is_string(),
        Operand::Number => v.is_number(),
        Operand::Boolean | Operand::TypeTest => v.is_boolean(),
        Operand::Timestamp => match v {
            Value::String(s) if values::is_timestamp(s) => true,
            Value::String(s) => {
                ctx.schema(
                    ptr,
                    format!("'{op}' must be an ISO-8601 date-time such as '2016-03-14T01:59:00Z', not '{s}'"),
                );
                return;
            }
            _ => false,
        },
        Operand::Path => {
            paths::check_path(ctx, v, ptr, op, false);
            return;
        }
    };
    if !ok {
        let expected = match kind {
            Operand::String => "a string",
            Operand::Number => "a number",
            Operand::Boolean | Operand::TypeTest => "a boolean",
            Operand::Timestamp => "an ISO-8601 timestamp string",
            Operand::Path => "a path",
        };
        ctx.schema(
            ptr,
            format!("'{op}' must be {expected}, not {}", describe(v)),
        );
    }
}

fn is_operator(key: &str) -> bool {
    OPERATORS.iter().any(|(name, _)| *name == key)
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string '{s}'"),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("the boolean {b}"),
        other => type_name(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_table_is_complete() {
        // 11 String + 10 Numeric + 2 Boolean + 10 Timestamp + 6 type tests.
        assert_eq!(OPERATORS.len(), 39);
        let mut names: Vec<_> = OPERATORS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPERATORS.len());
    }
}
