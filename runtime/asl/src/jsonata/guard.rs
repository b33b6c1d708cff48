//! A parse-time rewrite that bounds the strings an evaluation builds.
//!
//! jsonata-core has no memory limit, and a few lines of JSONata double a string
//! thirty times (`$f := function($s, $n){ $n = 0 ? $s : $f($s & $s, $n - 1) }`):
//! gigabytes before the timeout is ever checked. So every `a & b` becomes
//! `$__stepwise_check(a & b)`, and every argument of `$pad` (whose width alone can
//! ask for two billion characters) is passed through the same check, which returns
//! its argument unchanged unless it is a string longer than
//! [`DEFAULT_MAX_STRING_BYTES`](super::limits::DEFAULT_MAX_STRING_BYTES) or a number
//! beyond it. The wrapped nodes evaluate exactly as before, so semantics do not
//! change; each string stays within twice the limit.

use super::limits::Limits;
use jsonata_core::ast::{AstNode, BinaryOp, Stage};
use jsonata_core::evaluator::EvaluatorError;
use jsonata_core::value::{with_stack, JValue};

/// The name of the checking function (as `$__stepwise_check`).
pub(crate) const CHECK: &str = "__stepwise_check";

/// Rewrites `ast` in place; true when it added a check.
pub(crate) fn guard(ast: &mut AstNode) -> bool {
    let mut added = false;
    rewrite(ast, &mut added);
    added
}

fn checked(node: AstNode) -> AstNode {
    AstNode::Function {
        name: CHECK.to_string(),
        args: vec![node],
        is_builtin: true,
    }
}

fn rewrite(node: &mut AstNode, added: &mut bool) {
    with_stack(|| rewrite_inner(node, added));
}

fn rewrite_inner(node: &mut AstNode, added: &mut bool) {
    match node {
        AstNode::Binary {
            op: BinaryOp::Concatenate,
            lhs,
            rhs,
        } => {
            rewrite(lhs, added);
            rewrite(rhs, added);
            let concat = std::mem::replace(node, AstNode::Null);
            *node = checked(concat);
            *added = true;
        }
        AstNode::Function {
            name,
            args,
            is_builtin: true,
        } if name == "pad" => {
            for arg in args.iter_mut() {
                rewrite(arg, added);
                let inner = std::mem::replace(arg, AstNode::Null);
                *arg = checked(inner);
            }
            *added = true;
        }
        AstNode::String(_)
        | AstNode::Name(_)
        | AstNode::Number(_)
        | AstNode::Boolean(_)
        | AstNode::Null
        | AstNode::Undefined
        | AstNode::Placeholder
        | AstNode::Regex { .. }
        | AstNode::Variable(_)
        | AstNode::ParentVariable(_)
        | AstNode::Wildcard
        | AstNode::Descendant
        | AstNode::Parent(_) => {}
        AstNode::Path { steps } => {
            for step in steps {
                rewrite(&mut step.node, added);
                for stage in &mut step.stages {
                    if let Stage::Filter(filter) = stage {
                        rewrite(filter, added);
                    }
                }
            }
        }
        AstNode::Binary { lhs, rhs, .. } => {
            rewrite(lhs, added);
            rewrite(rhs, added);
        }
        AstNode::Unary { operand, .. } => rewrite(operand, added),
        AstNode::Function { args, .. } => args.iter_mut().for_each(|a| rewrite(a, added)),
        AstNode::Call { procedure, args } => {
            rewrite(procedure, added);
            args.iter_mut().for_each(|a| rewrite(a, added));
        }
        AstNode::Lambda { body, .. } => rewrite(body, added),
        AstNode::Array(items) | AstNode::Block(items) | AstNode::ArrayGroup(items) => {
            items.iter_mut().for_each(|i| rewrite(i, added))
        }
        AstNode::Object(pairs) => pairs.iter_mut().for_each(|(k, v)| {
            rewrite(k, added);
            rewrite(v, added);
        }),
        AstNode::ObjectTransform { input, pattern } => {
            rewrite(input, added);
            pattern.iter_mut().for_each(|(k, v)| {
                rewrite(k, added);
                rewrite(v, added);
            });
        }
        AstNode::Conditional {
            condition,
            then_branch,
            else_branch,
        } => {
            rewrite(condition, added);
            rewrite(then_branch, added);
            if let Some(e) = else_branch {
                rewrite(e, added);
            }
        }
        AstNode::FunctionApplication(inner) => rewrite(inner, added),
        AstNode::Sort { input, terms } => {
            rewrite(input, added);
            terms.iter_mut().for_each(|(t, _)| rewrite(t, added));
        }
        AstNode::Transform {
            location,
            update,
            delete,
        } => {
            rewrite(location, added);
            rewrite(update, added);
            if let Some(d) = delete {
                rewrite(d, added);
            }
        }
    }
}

/// `$__stepwise_check(value)`: the value, unless it is a string longer than the limit
/// (bytes) or a number beyond it.
pub(crate) fn check(args: &[JValue], limits: &Limits) -> Result<JValue, EvaluatorError> {
    let limit = limits.max_string_bytes;
    match args.first() {
        Some(JValue::String(s)) if s.len() > limit => Err(too_long(limit)),
        Some(JValue::Number(n)) if n.abs() > limit as f64 => Err(too_long(limit)),
        Some(value) => Ok(value.clone()),
        None => Ok(JValue::Undefined),
    }
}

fn too_long(limit: usize) -> EvaluatorError {
    EvaluatorError::EvaluationError(format!(
        "The expression builds a string longer than the limit of {limit} bytes"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded(text: &str) -> (AstNode, bool) {
        let mut ast = jsonata_core::parser::parse(text).expect("parses");
        let added = guard(&mut ast);
        (ast, added)
    }

    #[test]
    fn concatenations_and_pad_arguments_are_wrapped() {
        let (ast, added) = guarded("'a' & 'b'");
        assert!(added);
        assert!(
            matches!(&ast, AstNode::Function { name, args, .. } if name == CHECK && matches!(args.as_slice(), [AstNode::Binary { op: BinaryOp::Concatenate, .. }]))
        );
        let (ast, added) = guarded("$pad('a', 5)");
        assert!(added);
        let AstNode::Function { args, .. } = &ast else {
            panic!("{ast:?}")
        };
        assert!(args
            .iter()
            .all(|a| matches!(a, AstNode::Function { name, .. } if name == CHECK)));
        let (_, added) = guarded("$states.input.a + 1");
        assert!(!added);
        let (ast, _) = guarded("[x.(a & b)]");
        assert!(format!("{ast:?}").contains(CHECK));
    }

    #[test]
    fn check_passes_values_through_unless_too_big() {
        let limits = Limits {
            max_string_bytes: 4,
            ..Limits::default()
        };
        assert_eq!(
            check(&[JValue::string("abcd")], &limits).ok(),
            Some(JValue::string("abcd"))
        );
        assert_eq!(
            check(&[JValue::Number(-4.0)], &limits).ok(),
            Some(JValue::Number(-4.0))
        );
        assert_eq!(check(&[], &limits).ok(), Some(JValue::Undefined));
        let err = check(&[JValue::string("abcde")], &limits)
            .err()
            .map(|e| e.message().to_string());
        assert_eq!(
            err.as_deref(),
            Some("The expression builds a string longer than the limit of 4 bytes")
        );
        assert!(check(&[JValue::Number(5.0)], &limits).is_err());
    }
}
