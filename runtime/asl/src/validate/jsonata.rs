//! `{% ... %}` JSONata expressions. They are not evaluated here: a string that opens
//! with `{%` must close with `%}`, have a non-empty body, and keep its brackets and
//! string literals balanced.

use super::codes;
use super::context::{walk, Ctx};
use serde_json::Value;

/// True when `s` is meant as an expression (it opens with `{%`).
pub(crate) fn starts_expression(s: &str) -> bool {
    s.starts_with("{%")
}

/// True when `s` is a complete `{% ... %}` expression (not checked further).
pub(crate) fn is_expression(s: &str) -> bool {
    s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
}

/// Checks one string that opens with `{%`.
pub(crate) fn check_expression(ctx: &mut Ctx, s: &str, ptr: &str) {
    if !is_expression(s) {
        ctx.error(
            codes::INVALID_JSONATA_EXPRESSION,
            ptr,
            "A JSONata expression must start with '{%' and end with '%}'",
        );
        return;
    }
    let body = &s[2..s.len() - 2];
    if body.trim().is_empty() {
        ctx.error(
            codes::INVALID_JSONATA_EXPRESSION,
            ptr,
            "The JSONata expression is empty",
        );
        return;
    }
    if let Err(why) = balanced(body) {
        ctx.error(
            codes::INVALID_JSONATA_EXPRESSION,
            ptr,
            format!("The JSONata expression is not well formed: {why}"),
        );
    }
}

/// Checks every string inside `value` (objects and arrays walked without recursion)
/// that opens with `{%`.
pub(crate) fn check_values(ctx: &mut Ctx, value: &Value, ptr: &str) {
    walk(value, ptr, |v, _, cursor| {
        if let Value::String(s) = v {
            if starts_expression(s) {
                check_expression(ctx, s, &cursor.pointer());
            }
        }
        true
    });
}

/// Brackets `()[]{}` nest properly outside string literals (`'…'`, `"…"`, `` `…` ``)
/// and comments (`/* … */`).
fn balanced(body: &str) -> Result<(), String> {
    let mut stack: Vec<char> = Vec::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                let mut closed = false;
                while let Some(d) = chars.next() {
                    if d == '\\' && c != '`' {
                        chars.next();
                    } else if d == c {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return Err(format!("unterminated string literal opened with {c}"));
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                let mut closed = false;
                for d in chars.by_ref() {
                    if prev == '*' && d == '/' {
                        closed = true;
                        break;
                    }
                    prev = d;
                }
                if !closed {
                    return Err("unterminated comment".into());
                }
            }
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match stack.pop() {
                    Some(o) if o == open => {}
                    Some(o) => return Err(format!("'{c}' closes '{o}'")),
                    None => return Err(format!("unexpected '{c}'")),
                }
            }
            _ => {}
        }
    }
    match stack.last() {
        Some(o) => Err(format!("'{o}' is never closed")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance() {
        assert!(balanced(" $states.input.a[0] ").is_ok());
        assert!(balanced(" $contains('a)b', /^x/) ").is_ok());
        assert!(balanced(" {'a': [1, (2)]} /* ) */ ").is_ok());
        assert!(balanced(" $f(1 ").is_err());
        assert!(balanced(" a[1,2) ").is_err());
        assert!(balanced(" \"unterminated ").is_err());
        assert!(balanced(" ] ").is_err());
    }

    #[test]
    fn expressions() {
        assert!(is_expression("{% 1 %}"));
        assert!(!is_expression("{%}"));
        assert!(!is_expression("{% 1"));
    }
}
