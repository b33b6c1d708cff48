//! One walk over a parsed JSONata expression for what Step Functions refuses in it,
//! whatever field it sits in:
//! - `$states.<member>`: which members it reads (whether the field offers them is
//!   decided by the caller, see [`super::jsonata::Site`]);
//! - references at the *top level*, where there is no context item: a path starting
//!   with a field name (`phone`, `order.total`), `$` or `$$` (AWS:
//!   `Reference to 'phone' at the top level is not supported.`);
//! - calls of `$eval`, which Step Functions does not provide.
//!
//! "Top level" is everything evaluated against the (absent) input of the expression:
//! the expression itself, operands, function arguments, array and object constructors,
//! blocks, conditions, the first step of a path. Steps after the first, filters, sort
//! terms, group-by and transform patterns and function bodies have a context item of
//! their own, so names there are fine (`$states.input.items[price > 10]`).

use jsonata_core::ast::{AstNode, BinaryOp, PathStep, Stage};
use jsonata_core::value::with_stack;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Something the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Finding {
    /// `$states.<member>`, the member as written.
    StatesMember(String),
    /// A reference at the top level: the field name, `$` or `$$`.
    TopLevel(String),
    /// `$eval`, called or passed as a function.
    Eval,
}

/// The findings of the expression `source` (the text between the delimiters), each
/// once, in the order first met. An expression jsonata-core cannot parse has none (the
/// caller reports the syntax error).
pub(crate) fn findings(source: &str) -> Vec<Finding> {
    let Ok(Ok(ast)) = catch_unwind(|| jsonata_core::parser::parse(source)) else {
        return Vec::new();
    };
    let mut walker = Walker {
        out: Vec::new(),
        states_rebound: false,
    };
    // The walk cannot panic on a parsed tree, but a finding is not worth an abort.
    let walked = catch_unwind(AssertUnwindSafe(|| walker.node(&ast, true)));
    if walked.is_err() {
        return Vec::new();
    }
    if walker.states_rebound {
        // `$states := ...` or a parameter named `$states`: not the workflow's.
        walker
            .out
            .retain(|f| !matches!(f, Finding::StatesMember(_)));
    }
    walker.out
}

struct Walker {
    out: Vec<Finding>,
    /// The expression binds `$states` itself somewhere.
    states_rebound: bool,
}

impl Walker {
    fn push(&mut self, finding: Finding) {
        if !self.out.contains(&finding) {
            self.out.push(finding);
        }
    }

    /// Visits `node`; `top` is true where there is no context item.
    fn node(&mut self, node: &AstNode, top: bool) {
        with_stack(|| self.node_inner(node, top));
    }

    fn node_inner(&mut self, node: &AstNode, top: bool) {
        match node {
            AstNode::Variable(name) if name.is_empty() => {
                if top {
                    self.push(Finding::TopLevel("$".into()));
                }
            }
            AstNode::Variable(name) if name == "eval" => self.push(Finding::Eval),
            AstNode::ParentVariable(_) => {
                if top {
                    self.push(Finding::TopLevel("$$".into()));
                }
            }
            AstNode::Name(name) => {
                if top {
                    self.push(Finding::TopLevel(name.clone()));
                }
            }
            AstNode::Path { steps } => self.path(steps, top),
            AstNode::Binary { op, lhs, rhs } => {
                if *op == BinaryOp::ColonEqual
                    && matches!(lhs.as_ref(), AstNode::Variable(n) if n == "states")
                {
                    self.states_rebound = true;
                }
                self.node(lhs, top);
                self.node(rhs, top);
            }
            AstNode::Unary { operand, .. } => self.node(operand, top),
            AstNode::Function {
                name,
                args,
                is_builtin,
            } => {
                if *is_builtin && name == "eval" {
                    self.push(Finding::Eval);
                }
                args.iter().for_each(|a| self.node(a, top));
            }
            AstNode::Call { procedure, args } => {
                self.node(procedure, top);
                args.iter().for_each(|a| self.node(a, top));
            }
            AstNode::Lambda { params, body, .. } => {
                if params.iter().any(|p| p == "states") {
                    self.states_rebound = true;
                }
                self.node(body, false);
            }
            AstNode::Array(items) | AstNode::ArrayGroup(items) | AstNode::Block(items) => {
                items.iter().for_each(|i| self.node(i, top));
            }
            AstNode::Object(pairs) => {
                for (k, v) in pairs {
                    self.node(k, top);
                    self.node(v, top);
                }
            }
            AstNode::ObjectTransform { input, pattern } => {
                self.node(input, top);
                for (k, v) in pattern {
                    self.node(k, false);
                    self.node(v, false);
                }
            }
            AstNode::Conditional {
                condition,
                then_branch,
                else_branch,
            } => {
                self.node(condition, top);
                self.node(then_branch, top);
                if let Some(e) = else_branch {
                    self.node(e, top);
                }
            }
            AstNode::FunctionApplication(inner) => self.node(inner, false),
            AstNode::Sort { input, terms } => {
                self.node(input, top);
                terms.iter().for_each(|(t, _)| self.node(t, false));
            }
            AstNode::Transform {
                location,
                update,
                delete,
            } => {
                self.node(location, false);
                self.node(update, false);
                if let Some(d) = delete {
                    self.node(d, false);
                }
            }
            AstNode::String(_)
            | AstNode::Number(_)
            | AstNode::Boolean(_)
            | AstNode::Null
            | AstNode::Undefined
            | AstNode::Placeholder
            | AstNode::Regex { .. }
            | AstNode::Variable(_)
            | AstNode::Wildcard
            | AstNode::Descendant
            | AstNode::Parent(_) => {}
        }
    }

    /// A path: only its first step is evaluated where the path is.
    fn path(&mut self, steps: &[PathStep], top: bool) {
        if let [head, member, ..] = steps {
            if matches!(&head.node, AstNode::Variable(n) if n == "states") && head.stages.is_empty()
            {
                if let AstNode::Name(name) = &member.node {
                    self.push(Finding::StatesMember(name.clone()));
                }
            }
        }
        for (i, step) in steps.iter().enumerate() {
            self.node(&step.node, top && i == 0);
            for stage in &step.stages {
                if let Stage::Filter(filter) = stage {
                    self.node(filter, false);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(names: &[&str]) -> Vec<Finding> {
        names
            .iter()
            .map(|n| Finding::TopLevel(n.to_string()))
            .collect()
    }

    #[test]
    fn states_members_in_order() {
        assert_eq!(
            findings("$states.input.a + $states.result.b + $states.input.c"),
            [
                Finding::StatesMember("input".into()),
                Finding::StatesMember("result".into())
            ]
        );
        assert_eq!(
            findings("$keys($states)"),
            Vec::<Finding>::new(),
            "the whole of $states names no member"
        );
        assert_eq!(
            findings("$count($states.inputs)"),
            [Finding::StatesMember("inputs".into())]
        );
        assert_eq!(
            findings("($states := {'result': 1}; $states.result)"),
            Vec::<Finding>::new()
        );
    }

    #[test]
    fn top_level_references() {
        assert_eq!(findings("phone"), top(&["phone"]));
        assert_eq!(findings("order.total * 2"), top(&["order"]));
        assert_eq!(findings("$"), top(&["$"]));
        assert_eq!(findings("$.a"), top(&["$"]));
        assert_eq!(findings("$$.a"), top(&["$$"]));
        assert_eq!(findings("$sum(prices)"), top(&["prices"]));
        assert_eq!(findings("{'a': b}"), top(&["b"]));
        assert_eq!(findings("x ? 1 : 2"), top(&["x"]));
    }

    #[test]
    fn names_with_a_context_item_are_fine() {
        for text in [
            "$states.input.items[price > 10].name",
            "$states.input.items.(price * qty)",
            "$map($states.input.items, function($v){ $v.price + tax })",
            "$states.input.items^(price)",
            "$states.input.items{category: $sum(price)}",
            "$x.y[$ > 1]",
            "$states.context.Execution.Id",
            "'text' & 1",
        ] {
            let found = findings(text);
            assert!(
                found.iter().all(|f| matches!(f, Finding::StatesMember(_))),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn eval() {
        assert_eq!(findings("$eval('1 + 1')"), [Finding::Eval]);
        assert_eq!(findings("$map(['1'], $eval)"), [Finding::Eval]);
    }

    #[test]
    fn unparsable_text_has_no_findings() {
        assert_eq!(findings("$sum("), Vec::<Finding>::new());
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let text = format!("{}phone{}", "(".repeat(500), ")".repeat(500));
        assert_eq!(findings(&text), top(&["phone"]));
    }
}
