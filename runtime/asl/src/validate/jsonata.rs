//! `{% ... %}` JSONata expressions, checked as CreateStateMachine checks them (none is
//! evaluated):
//! - a string that opens with `{%` must close with `%}` and parse
//!   ([`Expr::parse`]); otherwise `INVALID_JSONATA_EXPRESSION`, with jsonata's message
//!   and the position;
//! - `$states.<member>` must be a member the field offers ([`Site`]): `input` and
//!   `context` everywhere, `result` only in a Task, Map or Parallel state's own
//!   `Output` and `Assign`, `errorOutput` only in a catcher's `Output` and `Assign`;
//!   anything else is `UNSUPPORTED_JSONATA_EXPRESSION` (AWS:
//!   `Field '$states.errorOutput' does not exist.`);
//! - no field name, `$` or `$$` at the top level, where there is no context item
//!   (`UNSUPPORTED_JSONATA_EXPRESSION`: `Reference to 'phone' at the top level is not
//!   supported.`), see [`jsonata_ast`](super::jsonata_ast);
//! - `$eval` is a warning (AWS accepts the definition and fails the state with `T1006`);
//! - the workflow variables it reads ([`Expr::variables`]) are recorded for the
//!   variable checks of [`variables`](super::variables).

use super::codes;
use super::context::{walk, Ctx};
use super::jsonata_ast::{self, Finding};
use crate::jsonata::Expr;
use serde_json::Value;

/// Which members of `$states` an expression's field offers besides `input` and
/// `context`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Site {
    /// `$states.result`: the state's own `Output` and `Assign` in Task, Map and Parallel.
    pub(crate) result: bool,
    /// `$states.errorOutput`: a catcher's `Output` and `Assign`.
    pub(crate) error_output: bool,
}

impl Site {
    /// Any field without a result or an error: `Arguments`, `Items`, `TimeoutSeconds`,
    /// a Pass, Wait, Choice or Succeed state's `Output` and `Assign`, ...
    pub(crate) const PLAIN: Site = Site {
        result: false,
        error_output: false,
    };
    /// `Output` and `Assign` of a Task, Map or Parallel state.
    pub(crate) const RESULT: Site = Site {
        result: true,
        error_output: false,
    };
    /// `Output` and `Assign` of a catcher.
    pub(crate) const ERROR: Site = Site {
        result: false,
        error_output: true,
    };

    /// `Output`/`Assign` of a state: [`Site::RESULT`] when the state produces a result.
    pub(crate) fn state_output(produces_result: bool) -> Site {
        if produces_result {
            Site::RESULT
        } else {
            Site::PLAIN
        }
    }

    /// Why `member` is not available here, or `None` when it is.
    fn refuses(self, member: &str) -> Option<&'static str> {
        match member {
            "input" | "context" => None,
            "result" if self.result => None,
            "result" => Some(
                "'$states.result' is available only in the 'Output' and 'Assign' of a Task, Map or Parallel state",
            ),
            "errorOutput" if self.error_output => None,
            "errorOutput" => {
                Some("'$states.errorOutput' is available only in a catcher's 'Output' and 'Assign'")
            }
            _ => Some("'$states' has the members 'input', 'context', 'result' and 'errorOutput'"),
        }
    }
}

/// True when `s` is meant as an expression (it opens with `{%`).
pub(crate) fn starts_expression(s: &str) -> bool {
    s.starts_with("{%")
}

/// Checks one string that opens with `{%`, found at `ptr` in a field offering `site`.
pub(crate) fn check_expression(ctx: &mut Ctx, s: &str, ptr: &str, site: Site) {
    let expr = match Expr::parse(s) {
        Ok(expr) => expr,
        Err(e) => {
            ctx.error(
                codes::INVALID_JSONATA_EXPRESSION,
                ptr,
                format!("Invalid JSONata expression: {e}"),
            );
            return;
        }
    };
    for name in expr.variables() {
        ctx.vars.reference(name, ptr);
    }
    for finding in jsonata_ast::findings(expr.source()) {
        match finding {
            Finding::StatesMember(member) => {
                if let Some(why) = site.refuses(&member) {
                    ctx.error(
                        codes::UNSUPPORTED_JSONATA_EXPRESSION,
                        ptr,
                        format!("Field '$states.{member}' does not exist. ({why})"),
                    );
                }
            }
            Finding::TopLevel(name) => ctx.error(
                codes::UNSUPPORTED_JSONATA_EXPRESSION,
                ptr,
                format!(
                    "Reference to '{name}' at the top level is not supported. \
                     (An expression has no input of its own: read it from '$states.input')"
                ),
            ),
            Finding::Eval => ctx.warning(
                codes::JSONATA_EVAL_UNSUPPORTED,
                ptr,
                "'$eval' is not supported by Step Functions: the state fails when it runs",
            ),
        }
    }
}

/// Checks every string inside `value` (objects and arrays walked without recursion)
/// that opens with `{%`.
pub(crate) fn check_values(ctx: &mut Ctx, value: &Value, ptr: &str, site: Site) {
    walk(value, ptr, |v, _, cursor| {
        if let Value::String(s) = v {
            if starts_expression(s) {
                check_expression(ctx, s, &cursor.pointer(), site);
            }
        }
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_of(text: &str, site: Site) -> Vec<String> {
        let mut ctx = Ctx::new();
        check_expression(&mut ctx, text, "/States/A/Output", site);
        ctx.into_diagnostics().into_iter().map(|d| d.code).collect()
    }

    #[test]
    fn syntax() {
        assert!(codes_of("{% $states.input.a[0] %}", Site::PLAIN).is_empty());
        assert!(codes_of("{% $contains('a)b', /^x/) %}", Site::PLAIN).is_empty());
        for bad in [
            "{% $f(1 %}",
            "{% a[1,2) %}",
            "{% \"x %}",
            "{% ] %}",
            "{%}",
            "{% 1",
            "{%  %}",
        ] {
            assert_eq!(
                codes_of(bad, Site::PLAIN),
                [codes::INVALID_JSONATA_EXPRESSION],
                "{bad}"
            );
        }
    }

    #[test]
    fn states_members_by_site() {
        let unsupported = [codes::UNSUPPORTED_JSONATA_EXPRESSION];
        assert!(codes_of("{% $states.result %}", Site::RESULT).is_empty());
        assert_eq!(codes_of("{% $states.result %}", Site::PLAIN), unsupported);
        assert_eq!(codes_of("{% $states.result %}", Site::ERROR), unsupported);
        assert!(codes_of("{% $states.errorOutput %}", Site::ERROR).is_empty());
        assert_eq!(
            codes_of("{% $states.errorOutput %}", Site::RESULT),
            unsupported
        );
        assert_eq!(codes_of("{% $states.inputs %}", Site::RESULT), unsupported);
        assert!(codes_of("{% $states.context.Execution.Id %}", Site::PLAIN).is_empty());
    }

    #[test]
    fn eval_is_a_warning() {
        assert_eq!(
            codes_of("{% $eval('1') %}", Site::PLAIN),
            [codes::JSONATA_EVAL_UNSUPPORTED]
        );
    }
}
