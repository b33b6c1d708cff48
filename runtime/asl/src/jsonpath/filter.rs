//! Filter expressions: `[?(@.price < 10 && @.isbn)]`.
//!
//! The comparison rules are Jayway's `ValueNode` rules, not the loose ones of
//! JavaScript-flavoured JSONPath crates:
//! - `==` between a number and a string converts the string when the number is on
//!   the left (`@.n == '5'` matches 5) and the number to its text when the string is
//!   on the left (`@.s == 5` matches "5"); booleans and null only equal themselves;
//!   objects and arrays compare structurally;
//! - `<`, `<=`, `>`, `>=` compare two numbers or two strings (by UTF-16 code unit, as
//!   Java does), anything else is false;
//! - a path that matches nothing is "undefined": every comparison with it is false,
//!   except `!=` and `nin`, which negate one;
//! - a lone path tests existence (a present `null` exists).
//!
//! Also supported: `!`, parentheses, `in`, `nin`, `subsetof`, `anyof`, `noneof`,
//! `size`, `empty`, and `$` (the document root) inside filters. Regular expressions
//! (`=~`) are refused at parse time.

use super::parse::{self, Context, Cursor, Segment, MAX_NESTING};
use super::select::{self, Mode};
use super::PathSyntaxError;
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::cmp::Ordering;

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    Or(Box<Filter>, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Exists(PathOperand),
    Compare(Operand, CmpOp, Operand),
}

/// `@...` (relative to the tested item) or `$...` (from the document root).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PathOperand {
    relative: bool,
    segments: Vec<Segment>,
    definite: bool,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Path(PathOperand),
    Literal(Value),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Nin,
    SubsetOf,
    AnyOf,
    NoneOf,
    Size,
    Empty,
}

/// Parses the expression inside `[?( ... )]`; the cursor stops before the `)`.
pub(crate) fn parse_filter(cur: &mut Cursor<'_>, depth: usize) -> Result<Filter, PathSyntaxError> {
    parse_or(cur, depth)
}

fn check_depth(cur: &Cursor<'_>, depth: usize) -> Result<(), PathSyntaxError> {
    if depth > MAX_NESTING {
        Err(cur.error("the filter expression is nested too deeply"))
    } else {
        Ok(())
    }
}

fn parse_or(cur: &mut Cursor<'_>, depth: usize) -> Result<Filter, PathSyntaxError> {
    check_depth(cur, depth)?;
    let mut left = parse_and(cur, depth)?;
    loop {
        cur.skip_ws();
        if cur.eat_str("||") {
            let right = parse_and(cur, depth)?;
            left = Filter::Or(Box::new(left), Box::new(right));
        } else {
            return Ok(left);
        }
    }
}

fn parse_and(cur: &mut Cursor<'_>, depth: usize) -> Result<Filter, PathSyntaxError> {
    let mut left = parse_unary(cur, depth)?;
    loop {
        cur.skip_ws();
        if cur.eat_str("&&") {
            let right = parse_unary(cur, depth)?;
            left = Filter::And(Box::new(left), Box::new(right));
        } else {
            return Ok(left);
        }
    }
}

fn parse_unary(cur: &mut Cursor<'_>, depth: usize) -> Result<Filter, PathSyntaxError> {
    check_depth(cur, depth)?;
    cur.skip_ws();
    if cur.peek() == Some('!') && cur.peek_second() != Some('=') {
        cur.bump();
        let inner = parse_unary(cur, depth + 1)?;
        return Ok(Filter::Not(Box::new(inner)));
    }
    if cur.eat('(') {
        let inner = parse_or(cur, depth + 1)?;
        cur.skip_ws();
        cur.expect(')')?;
        return Ok(inner);
    }
    let start = cur.pos();
    let left = parse_operand(cur, depth)?;
    cur.skip_ws();
    match parse_operator(cur)? {
        Some(op) => {
            cur.skip_ws();
            let right = parse_operand(cur, depth)?;
            Ok(Filter::Compare(left, op, right))
        }
        None => match left {
            Operand::Path(path) => Ok(Filter::Exists(path)),
            Operand::Literal(_) => {
                Err(cur.error_at(start, "expected a comparison after a literal in the filter"))
            }
        },
    }
}

fn parse_operator(cur: &mut Cursor<'_>) -> Result<Option<CmpOp>, PathSyntaxError> {
    const SYMBOLS: [(&str, CmpOp); 6] = [
        ("==", CmpOp::Eq),
        ("!=", CmpOp::Ne),
        ("<=", CmpOp::Le),
        (">=", CmpOp::Ge),
        ("<", CmpOp::Lt),
        (">", CmpOp::Gt),
    ];
    const WORDS: [(&str, CmpOp); 7] = [
        ("nin", CmpOp::Nin),
        ("in", CmpOp::In),
        ("subsetof", CmpOp::SubsetOf),
        ("anyof", CmpOp::AnyOf),
        ("noneof", CmpOp::NoneOf),
        ("size", CmpOp::Size),
        ("empty", CmpOp::Empty),
    ];
    if cur.rest().starts_with("=~") {
        return Err(cur.error(
            "regular expressions (=~) are not supported in Amazon States Language filters",
        ));
    }
    for (symbol, op) in SYMBOLS {
        if cur.eat_str(symbol) {
            return Ok(Some(op));
        }
    }
    let rest = cur.rest();
    for (word, op) in WORDS {
        if let Some(after) = rest.strip_prefix(word) {
            if after.starts_with(|c: char| c.is_whitespace()) {
                cur.eat_str(word);
                return Ok(Some(op));
            }
        }
    }
    match cur.peek() {
        None | Some(')') => Ok(None),
        Some(_) if rest.starts_with("&&") || rest.starts_with("||") => Ok(None),
        Some(c) => Err(cur.error(format!(
            "unexpected '{c}' in the filter: expected an operator"
        ))),
    }
}

fn parse_operand(cur: &mut Cursor<'_>, depth: usize) -> Result<Operand, PathSyntaxError> {
    let start = cur.pos();
    match cur.peek() {
        Some(c @ ('@' | '$')) => {
            cur.bump();
            if c == '$' && cur.peek() == Some('$') {
                return Err(cur.error("'$$' cannot be used inside a filter"));
            }
            let (segments, _) = parse::parse_segments(cur, Context::Filter { depth: depth + 1 })?;
            let definite = segments.iter().all(Segment::is_simple);
            Ok(Operand::Path(PathOperand {
                relative: c == '@',
                segments,
                definite,
            }))
        }
        Some('\'' | '"') => Ok(Operand::Literal(Value::String(parse::parse_quoted(cur)?))),
        Some(c) if c == '-' || c.is_ascii_digit() => parse_number(cur),
        Some('[' | '{') => parse_json_literal(cur),
        Some('/') => Err(cur
            .error("regular expressions (=~) are not supported in Amazon States Language filters")),
        _ => {
            for (word, value) in [
                ("true", Value::Bool(true)),
                ("false", Value::Bool(false)),
                ("null", Value::Null),
            ] {
                let rest = cur.rest();
                if let Some(after) = rest.strip_prefix(word) {
                    if !after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                        cur.eat_str(word);
                        return Ok(Operand::Literal(value));
                    }
                }
            }
            Err(cur.error_at(
                start,
                "expected a path, a string, a number, true, false or null in the filter",
            ))
        }
    }
}

fn parse_number(cur: &mut Cursor<'_>) -> Result<Operand, PathSyntaxError> {
    let start = cur.pos();
    cur.eat('-');
    let mut integral = true;
    while let Some(c) = cur.peek() {
        match c {
            '0'..='9' => {}
            '.' | 'e' | 'E' => integral = false,
            '+' | '-' if matches!(cur.since(start).chars().last(), Some('e' | 'E')) => {}
            _ => break,
        }
        cur.bump();
    }
    let text = cur.since(start);
    let invalid = || cur.error_at(start, format!("'{text}' is not a valid number"));
    if integral {
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Operand::Literal(Value::from(i)));
        }
    }
    let f: f64 = text.parse().map_err(|_| invalid())?;
    Number::from_f64(f)
        .map(|n| Operand::Literal(Value::Number(n)))
        .ok_or_else(invalid)
}

/// A JSON array or object literal (for `in`, `anyof`, ...). Like Jayway's
/// (json-smart) reader, single-quoted strings are accepted too.
fn parse_json_literal(cur: &mut Cursor<'_>) -> Result<Operand, PathSyntaxError> {
    let start = cur.pos();
    let mut depth = 0usize;
    let mut json = String::new();
    while let Some(c) = cur.peek() {
        match c {
            '\'' | '"' => {
                let text = parse::parse_quoted(cur)?;
                json.push_str(&Value::String(text).to_string());
                continue;
            }
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        json.push(c);
        cur.bump();
        if depth == 0 {
            return serde_json::from_str(&json)
                .map(Operand::Literal)
                .map_err(|e| {
                    cur.error_at(start, format!("invalid JSON literal in the filter: {e}"))
                });
        }
    }
    Err(cur.error_at(start, "unterminated JSON literal in the filter"))
}

/// What an operand evaluates to: a value, or nothing (Jayway's "undefined").
type Resolved<'a> = Option<Cow<'a, Value>>;

fn resolve<'a>(operand: &'a Operand, item: &'a Value, root: &'a Value, mode: Mode) -> Resolved<'a> {
    match operand {
        Operand::Literal(value) => Some(Cow::Borrowed(value)),
        Operand::Path(path) => resolve_path(path, item, root, mode),
    }
}

fn resolve_path<'a>(
    path: &PathOperand,
    item: &'a Value,
    root: &'a Value,
    mode: Mode,
) -> Resolved<'a> {
    let start = if path.relative { item } else { root };
    if path.definite {
        select::select_definite(start, &path.segments, mode).map(Cow::Borrowed)
    } else {
        let all = select::select_all(start, root, &path.segments, mode);
        Some(Cow::Owned(Value::Array(
            all.into_iter().map(Cow::into_owned).collect(),
        )))
    }
}

/// True when `item` satisfies `filter`.
pub(crate) fn matches(filter: &Filter, item: &Value, root: &Value, mode: Mode) -> bool {
    match filter {
        Filter::Or(a, b) => matches(a, item, root, mode) || matches(b, item, root, mode),
        Filter::And(a, b) => matches(a, item, root, mode) && matches(b, item, root, mode),
        Filter::Not(inner) => !matches(inner, item, root, mode),
        Filter::Exists(path) => match resolve_path(path, item, root, mode) {
            None => false,
            Some(value) if !path.definite => value.as_array().is_some_and(|a| !a.is_empty()),
            Some(_) => true,
        },
        Filter::Compare(left, op, right) => {
            let left = resolve(left, item, root, mode);
            let right = resolve(right, item, root, mode);
            compare(left.as_deref(), *op, right.as_deref())
        }
    }
}

fn compare(left: Option<&Value>, op: CmpOp, right: Option<&Value>) -> bool {
    let (Some(l), Some(r)) = (left, right) else {
        return matches!(op, CmpOp::Ne | CmpOp::Nin);
    };
    match op {
        CmpOp::Eq => equals(l, r),
        CmpOp::Ne => !equals(l, r),
        CmpOp::Lt => order(l, r) == Some(Ordering::Less),
        CmpOp::Le => matches!(order(l, r), Some(Ordering::Less | Ordering::Equal)),
        CmpOp::Gt => order(l, r) == Some(Ordering::Greater),
        CmpOp::Ge => matches!(order(l, r), Some(Ordering::Greater | Ordering::Equal)),
        CmpOp::In => r
            .as_array()
            .is_some_and(|items| items.iter().any(|i| equals(l, i))),
        CmpOp::Nin => !r
            .as_array()
            .is_some_and(|items| items.iter().any(|i| equals(l, i))),
        CmpOp::SubsetOf => match (l.as_array(), r.as_array()) {
            (Some(ls), Some(rs)) => ls.iter().all(|x| rs.iter().any(|y| equals(x, y))),
            _ => false,
        },
        CmpOp::AnyOf => match (l.as_array(), r.as_array()) {
            (Some(ls), Some(rs)) => ls.iter().any(|x| rs.iter().any(|y| equals(x, y))),
            _ => false,
        },
        CmpOp::NoneOf => match (l.as_array(), r.as_array()) {
            (Some(ls), Some(rs)) => !ls.iter().any(|x| rs.iter().any(|y| equals(x, y))),
            _ => false,
        },
        CmpOp::Size => {
            let Some(expected) = r.as_u64() else {
                return false;
            };
            let actual = match l {
                Value::String(s) => s.encode_utf16().count(),
                Value::Array(items) => items.len(),
                _ => return false,
            };
            u64::try_from(actual).is_ok_and(|a| a == expected)
        }
        CmpOp::Empty => {
            let Some(expected) = r.as_bool() else {
                return false;
            };
            match l {
                Value::String(s) => s.is_empty() == expected,
                Value::Array(items) => items.is_empty() == expected,
                _ => false,
            }
        }
    }
}

/// Jayway's `ValueNode.equals` (see the module doc for the number/string rule).
fn equals(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => numbers_cmp(a, b) == Some(Ordering::Equal),
        (Value::Number(a), Value::String(s)) => {
            parse_decimal(s).is_some_and(|b| a.as_f64().is_some_and(|a| a == b))
        }
        (Value::String(a), Value::String(b)) => a == b,
        (Value::String(a), Value::Number(b)) => *a == b.to_string(),
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Null, Value::Null) => true,
        (Value::Array(_) | Value::Object(_), Value::Array(_) | Value::Object(_)) => left == right,
        _ => false,
    }
}

fn order(left: &Value, right: &Value) -> Option<Ordering> {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => numbers_cmp(a, b),
        (Value::String(a), Value::String(b)) => Some(a.encode_utf16().cmp(b.encode_utf16())),
        _ => None,
    }
}

/// Numeric comparison: exact between integers, by `f64` otherwise.
fn numbers_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    let int = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(a), int(b)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// `java.math.BigDecimal`'s grammar: sign, digits with an optional point, exponent.
fn parse_decimal(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i)?, Some(body.get(i + 1..)?)),
        None => (body, None),
    };
    let digits = mantissa.replacen('.', "", 1);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if let Some(exp) = exponent {
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if exp.is_empty() || !exp.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    text.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equality_follows_jayway_value_nodes() {
        assert!(equals(&json!(5), &json!(5.0)));
        assert!(equals(&json!(5), &json!("5")));
        assert!(equals(&json!(5), &json!("5.00")));
        assert!(!equals(&json!(5), &json!("five")));
        assert!(equals(&json!("5"), &json!(5)));
        assert!(!equals(&json!("5.0"), &json!(5)));
        assert!(equals(&json!(true), &json!(true)));
        assert!(!equals(&json!(true), &json!("true")));
        assert!(equals(&json!(null), &json!(null)));
        assert!(!equals(&json!(null), &json!(0)));
        assert!(equals(&json!({"a": 1, "b": 2}), &json!({"b": 2, "a": 1})));
        assert!(!equals(&json!([1, 2]), &json!([2, 1])));
    }

    #[test]
    fn ordering_needs_same_kinds() {
        assert_eq!(order(&json!(1), &json!(2.5)), Some(Ordering::Less));
        assert_eq!(order(&json!("b"), &json!("a")), Some(Ordering::Greater));
        assert_eq!(order(&json!("1"), &json!(2)), None);
        assert_eq!(order(&json!(true), &json!(false)), None);
        assert_eq!(
            order(&json!(u64::MAX), &json!(i64::MIN)),
            Some(Ordering::Greater)
        );
        // Java compares strings by UTF-16 code unit: U+FF5E sorts after U+1F600.
        assert_eq!(
            order(&json!("\u{ff5e}"), &json!("\u{1f600}")),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn big_decimal_grammar() {
        assert_eq!(parse_decimal("5"), Some(5.0));
        assert_eq!(parse_decimal("-1.5e2"), Some(-150.0));
        assert_eq!(parse_decimal(".5"), Some(0.5));
        assert_eq!(parse_decimal("5."), Some(5.0));
        assert_eq!(parse_decimal("+3"), Some(3.0));
        assert_eq!(parse_decimal(""), None);
        assert_eq!(parse_decimal("NaN"), None);
        assert_eq!(parse_decimal("inf"), None);
        assert_eq!(parse_decimal("1e"), None);
        assert_eq!(parse_decimal(" 1"), None);
    }

    #[test]
    fn undefined_operands() {
        assert!(!compare(None, CmpOp::Eq, Some(&json!(1))));
        assert!(compare(None, CmpOp::Ne, Some(&json!(1))));
        assert!(!compare(None, CmpOp::Lt, Some(&json!(1))));
        assert!(compare(None, CmpOp::Nin, Some(&json!([1]))));
        assert!(!compare(None, CmpOp::In, Some(&json!([1]))));
    }

    #[test]
    fn collection_operators() {
        let c = |l: Value, op, r: Value| compare(Some(&l), op, Some(&r));
        assert!(c(json!(2), CmpOp::In, json!([1, 2])));
        assert!(!c(json!(3), CmpOp::In, json!([1, 2])));
        assert!(c(json!(3), CmpOp::Nin, json!([1, 2])));
        assert!(!c(json!(3), CmpOp::In, json!("3")));
        assert!(c(json!([1]), CmpOp::SubsetOf, json!([1, 2])));
        assert!(!c(json!([3]), CmpOp::SubsetOf, json!([1, 2])));
        assert!(c(json!([3, 1]), CmpOp::AnyOf, json!([1, 2])));
        assert!(c(json!([3]), CmpOp::NoneOf, json!([1, 2])));
        assert!(c(json!("abc"), CmpOp::Size, json!(3)));
        assert!(c(json!([1, 2]), CmpOp::Size, json!(2)));
        assert!(!c(json!(12), CmpOp::Size, json!(2)));
        assert!(c(json!(""), CmpOp::Empty, json!(true)));
        assert!(c(json!([1]), CmpOp::Empty, json!(false)));
        assert!(!c(json!(null), CmpOp::Empty, json!(true)));
    }
}
