//! Choice rules: boolean combinators and the comparison operators.
//!
//! A comparison whose `Variable` is of the wrong type is simply false (AWS's rule:
//! `NumericEquals` on a string does not match). A `Variable` path that selects
//! nothing is a `States.Runtime` failure for every operator but `IsPresent`.

use crate::errors::Failure;
use crate::jsonpath::{JsonPath, PathScope};
use crate::timestamp;
use serde_json::Value;
use std::cmp::Ordering;

/// A compiled Choice rule.
#[derive(Debug, Clone)]
pub enum ChoiceRule {
    /// `And`: every rule holds.
    And(Vec<ChoiceRule>),
    /// `Or`: some rule holds.
    Or(Vec<ChoiceRule>),
    /// `Not`: the rule does not hold.
    Not(Box<ChoiceRule>),
    /// `Variable` compared with an operand.
    Compare {
        /// The path of the value tested.
        variable: JsonPath,
        /// The operator.
        op: Operator,
        /// What it is compared with.
        operand: Operand,
    },
    /// `Condition` (JSONata), evaluated by the engine.
    Condition(Box<crate::jsonata::Template>),
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone)]
pub enum Operand {
    /// A literal (`StringEquals: "x"`).
    Value(Value),
    /// A path (`StringEqualsPath: "$.x"`).
    Path(JsonPath),
}

/// What kind of values an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `String*`.
    String,
    /// `Numeric*`.
    Numeric,
    /// `Timestamp*`.
    Timestamp,
    /// `BooleanEquals`.
    Boolean,
}

/// A comparison operator (the `...Path` form is the same operator with a path operand).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `...Equals`.
    Equals(Family),
    /// `...LessThan`.
    LessThan(Family),
    /// `...GreaterThan`.
    GreaterThan(Family),
    /// `...LessThanEquals`.
    LessThanEquals(Family),
    /// `...GreaterThanEquals`.
    GreaterThanEquals(Family),
    /// `StringMatches` with `*` wildcards.
    StringMatches,
    /// `IsNull`.
    IsNull,
    /// `IsPresent`.
    IsPresent,
    /// `IsNumeric`.
    IsNumeric,
    /// `IsString`.
    IsString,
    /// `IsBoolean`.
    IsBoolean,
    /// `IsTimestamp`.
    IsTimestamp,
}

/// Every comparison operator name (without the `Path` suffix) and its operator.
pub const OPERATORS: &[(&str, Operator)] = &[
    ("StringEquals", Operator::Equals(Family::String)),
    ("StringLessThan", Operator::LessThan(Family::String)),
    ("StringGreaterThan", Operator::GreaterThan(Family::String)),
    (
        "StringLessThanEquals",
        Operator::LessThanEquals(Family::String),
    ),
    (
        "StringGreaterThanEquals",
        Operator::GreaterThanEquals(Family::String),
    ),
    ("StringMatches", Operator::StringMatches),
    ("NumericEquals", Operator::Equals(Family::Numeric)),
    ("NumericLessThan", Operator::LessThan(Family::Numeric)),
    ("NumericGreaterThan", Operator::GreaterThan(Family::Numeric)),
    (
        "NumericLessThanEquals",
        Operator::LessThanEquals(Family::Numeric),
    ),
    (
        "NumericGreaterThanEquals",
        Operator::GreaterThanEquals(Family::Numeric),
    ),
    ("BooleanEquals", Operator::Equals(Family::Boolean)),
    ("TimestampEquals", Operator::Equals(Family::Timestamp)),
    ("TimestampLessThan", Operator::LessThan(Family::Timestamp)),
    (
        "TimestampGreaterThan",
        Operator::GreaterThan(Family::Timestamp),
    ),
    (
        "TimestampLessThanEquals",
        Operator::LessThanEquals(Family::Timestamp),
    ),
    (
        "TimestampGreaterThanEquals",
        Operator::GreaterThanEquals(Family::Timestamp),
    ),
    ("IsNull", Operator::IsNull),
    ("IsPresent", Operator::IsPresent),
    ("IsNumeric", Operator::IsNumeric),
    ("IsString", Operator::IsString),
    ("IsBoolean", Operator::IsBoolean),
    ("IsTimestamp", Operator::IsTimestamp),
];

/// Finds the operator for a field name, `StringEqualsPath` included; the flag says
/// whether it is the `Path` form. `StringMatches` and the `Is*` tests have no `Path` form.
pub fn operator_for_field(field: &str) -> Option<(Operator, bool)> {
    if let Some(op) = OPERATORS.iter().find(|(name, _)| *name == field) {
        return Some((op.1, false));
    }
    let base = field.strip_suffix("Path")?;
    OPERATORS
        .iter()
        .find(|(name, op)| {
            *name == base
                && !matches!(
                    op,
                    Operator::StringMatches
                        | Operator::IsNull
                        | Operator::IsPresent
                        | Operator::IsNumeric
                        | Operator::IsString
                        | Operator::IsBoolean
                        | Operator::IsTimestamp
                )
        })
        .map(|op| (op.1, true))
}

impl ChoiceRule {
    /// Compiles a rule from its JSON (a validated definition's). Fields other than
    /// the rule's own (`Next`, `Assign`, `Output`, `Comment`) are ignored.
    pub fn compile(rule: &Value) -> Result<ChoiceRule, String> {
        let obj = rule.as_object().ok_or("a Choice rule must be an object")?;
        if let Some(cond) = obj.get("Condition") {
            let compiled =
                crate::jsonata::Template::compile(cond).map_err(|e| format!("Condition: {e}"))?;
            return Ok(ChoiceRule::Condition(Box::new(compiled)));
        }
        if let Some(list) = obj.get("And").or_else(|| obj.get("Or")) {
            let rules = list
                .as_array()
                .ok_or("And/Or must be an array of rules")?
                .iter()
                .map(ChoiceRule::compile)
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(if obj.contains_key("And") {
                ChoiceRule::And(rules)
            } else {
                ChoiceRule::Or(rules)
            });
        }
        if let Some(inner) = obj.get("Not") {
            return Ok(ChoiceRule::Not(Box::new(ChoiceRule::compile(inner)?)));
        }
        let variable = obj
            .get("Variable")
            .and_then(Value::as_str)
            .ok_or("a comparison needs a Variable path")?;
        let variable = JsonPath::parse(variable).map_err(|e| format!("Variable: {e}"))?;
        for (field, value) in obj {
            if let Some((op, is_path)) = operator_for_field(field) {
                let operand = if is_path {
                    let text = value
                        .as_str()
                        .ok_or_else(|| format!("{field} must be a path"))?;
                    Operand::Path(JsonPath::parse(text).map_err(|e| format!("{field}: {e}"))?)
                } else {
                    Operand::Value(value.clone())
                };
                return Ok(ChoiceRule::Compare {
                    variable,
                    op,
                    operand,
                });
            }
        }
        Err("a Choice rule needs a comparison operator, And, Or or Not".into())
    }

    /// Evaluates a JSONPath rule against the state's input. `Condition` rules are the
    /// engine's (JSONata) and give `Ok(false)` here.
    pub fn eval(&self, scope: &dyn PathScope) -> Result<bool, Failure> {
        match self {
            ChoiceRule::And(rules) => {
                for rule in rules {
                    if !rule.eval(scope)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            ChoiceRule::Or(rules) => {
                for rule in rules {
                    if rule.eval(scope)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            ChoiceRule::Not(rule) => Ok(!rule.eval(scope)?),
            ChoiceRule::Condition(_) => Ok(false),
            ChoiceRule::Compare {
                variable,
                op,
                operand,
            } => {
                let value = variable.resolve(scope);
                if *op == Operator::IsPresent {
                    return Ok(value.is_some() == (operand_bool(operand) == Some(true)));
                }
                let Some(value) = value else {
                    return Err(Failure::runtime(format!(
                        "Invalid path '{}': The choice state's condition path references an invalid value.",
                        variable.as_str()
                    )));
                };
                let rhs = match operand {
                    Operand::Value(v) => v.clone(),
                    Operand::Path(path) => path.resolve(scope).ok_or_else(|| {
                        Failure::runtime(format!(
                            "Invalid path '{}': The choice state's condition path references an invalid value.",
                            path.as_str()
                        ))
                    })?,
                };
                Ok(compare(*op, &value, &rhs))
            }
        }
    }
}

fn operand_bool(operand: &Operand) -> Option<bool> {
    match operand {
        Operand::Value(Value::Bool(b)) => Some(*b),
        _ => None,
    }
}

/// Applies `op` to the tested value and the operand.
pub fn compare(op: Operator, value: &Value, rhs: &Value) -> bool {
    let expect = rhs.as_bool();
    match op {
        Operator::IsNull => Some(value.is_null()) == expect,
        Operator::IsPresent => expect == Some(true),
        Operator::IsNumeric => Some(value.is_number()) == expect,
        Operator::IsString => Some(value.is_string()) == expect,
        Operator::IsBoolean => Some(value.is_boolean()) == expect,
        Operator::IsTimestamp => {
            Some(value.as_str().and_then(timestamp::parse).is_some()) == expect
        }
        Operator::StringMatches => match (value.as_str(), rhs.as_str()) {
            (Some(s), Some(pattern)) => string_matches(s, pattern),
            _ => false,
        },
        Operator::Equals(family)
        | Operator::LessThan(family)
        | Operator::GreaterThan(family)
        | Operator::LessThanEquals(family)
        | Operator::GreaterThanEquals(family) => {
            let Some(ordering) = order(family, value, rhs) else {
                return false;
            };
            match op {
                Operator::Equals(_) => ordering == Ordering::Equal,
                Operator::LessThan(_) => ordering == Ordering::Less,
                Operator::GreaterThan(_) => ordering == Ordering::Greater,
                Operator::LessThanEquals(_) => ordering != Ordering::Greater,
                _ => ordering != Ordering::Less,
            }
        }
    }
}

fn order(family: Family, value: &Value, rhs: &Value) -> Option<Ordering> {
    match family {
        Family::String => Some(value.as_str()?.cmp(rhs.as_str()?)),
        Family::Numeric => {
            if !value.is_number() {
                return None;
            }
            value.as_f64()?.partial_cmp(&rhs.as_f64()?)
        }
        Family::Boolean => (value.as_bool()? == rhs.as_bool()?).then_some(Ordering::Equal),
        Family::Timestamp => {
            let a = timestamp::parse(value.as_str()?)?;
            let b = timestamp::parse(rhs.as_str()?)?;
            Some(a.cmp(&b))
        }
    }
}

/// `StringMatches`: `*` matches any run of characters; `\*` is a literal star and
/// `\\` a literal backslash.
pub fn string_matches(text: &str, pattern: &str) -> bool {
    #[derive(PartialEq)]
    enum Token {
        Star,
        Char(char),
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => tokens.push(Token::Char(escaped)),
                None => tokens.push(Token::Char('\\')),
            },
            '*' => tokens.push(Token::Star),
            other => tokens.push(Token::Char(other)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Greedy matching with backtracking to the last star: linear in practice.
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Token::Char(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(Token::Star) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(|tok| *tok == Token::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_matches_wildcards_and_escapes() {
        assert!(string_matches("log-2024.txt", "log-*.txt"));
        assert!(string_matches("anything", "*"));
        assert!(string_matches("", "*"));
        assert!(!string_matches("log.csv", "log-*.txt"));
        assert!(string_matches("a*b", "a\\*b"));
        assert!(!string_matches("axb", "a\\*b"));
        assert!(string_matches("a\\b", "a\\\\b"));
        assert!(string_matches("abcabd", "*abd"));
    }

    #[test]
    fn wrong_types_do_not_match() {
        let num = Operator::Equals(Family::Numeric);
        assert!(compare(num, &json!(1), &json!(1.0)));
        assert!(!compare(num, &json!("1"), &json!(1)));
        assert!(compare(
            Operator::LessThan(Family::String),
            &json!("a"),
            &json!("b")
        ));
        assert!(!compare(
            Operator::Equals(Family::Boolean),
            &json!(1),
            &json!(true)
        ));
        assert!(compare(
            Operator::LessThan(Family::Timestamp),
            &json!("2016-03-14T01:59:00Z"),
            &json!("2016-03-14T02:59:00+00:30")
        ));
        assert!(!compare(
            Operator::Equals(Family::Timestamp),
            &json!("nope"),
            &json!("2016-03-14T01:59:00Z")
        ));
        assert!(compare(Operator::IsNull, &json!(null), &json!(true)));
        assert!(compare(Operator::IsTimestamp, &json!("x"), &json!(false)));
    }

    #[test]
    fn path_forms_are_recognised() {
        assert_eq!(
            operator_for_field("NumericEqualsPath"),
            Some((Operator::Equals(Family::Numeric), true))
        );
        assert_eq!(operator_for_field("IsNullPath"), None);
        assert_eq!(operator_for_field("StringMatchesPath"), None);
        assert_eq!(operator_for_field("Next"), None);
    }
}
