//! Values with `{% %}` expressions inside: `Arguments`, `Output`, `Assign`, `Items`,
//! `ItemSelector`, and scalar fields such as `TimeoutSeconds`.
//!
//! Every string that is an expression is evaluated; objects and arrays are walked;
//! everything else (other strings included) is literal. An expression anywhere in
//! the value that evaluates to nothing is an error, as on AWS (a member is not
//! silently dropped).

use super::expr::{Expr, JsonataSyntaxError};
use super::{is_expression, JsonataEnv};
use crate::errors::Failure;
use jsonata_core::value::with_stack;
use serde_json::{Map, Value};

/// A value in which every string that [`is_expression`] is evaluated (objects and
/// arrays walked recursively, other values literal).
#[derive(Debug, Clone)]
pub enum Template {
    /// A value without expressions, returned as is.
    Literal(Value),
    /// A `{% %}` expression.
    Expr(Expr),
    /// An object with an expression somewhere inside.
    Object(Vec<(String, Template)>),
    /// An array with an expression somewhere inside.
    Array(Vec<Template>),
}

/// An expression inside a template that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {error}", if pointer.is_empty() { "/" } else { pointer.as_str() })]
pub struct TemplateError {
    /// The JSON pointer of the expression below the template's value (`/result/0`;
    /// empty for the value itself).
    pub pointer: String,
    /// Why it does not parse.
    pub error: JsonataSyntaxError,
}

/// One step of the path to a template part, for error locations.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl Template {
    /// Compiles; errors carry the JSON pointer below the value (e.g. `/result/0`) and
    /// why.
    pub fn compile(value: &Value) -> Result<Template, TemplateError> {
        let mut pointer = String::new();
        compile(value, &mut pointer)
    }

    /// Evaluates for the field `field` (`Output`, `Arguments`, `Assign`, `Items`,
    /// `TimeoutSeconds`); failures are `States.QueryEvaluationError` with AWS's cause
    /// texts, without the "An error occurred while executing the state ..." prefix
    /// (the engine adds it). The location in a cause is the field followed by the
    /// path below it, joined with `/` (`Output/result`, `Items/0`).
    pub fn eval(&self, field: &str, env: &mut dyn JsonataEnv) -> Result<Value, Failure> {
        let mut path = Vec::new();
        self.eval_at(field, &mut path, env)
    }

    fn eval_at<'a>(
        &'a self,
        field: &str,
        path: &mut Vec<Step<'a>>,
        env: &mut dyn JsonataEnv,
    ) -> Result<Value, Failure> {
        match self {
            Template::Literal(value) => Ok(value.clone()),
            Template::Expr(expr) => match expr.eval(env) {
                Ok(Some(value)) => Ok(value),
                Ok(None) => Err(expr.nothing_failure(&location(field, path))),
                Err(error) => Err(expr.failure(&location(field, path), &error)),
            },
            Template::Object(members) => with_stack(|| {
                let mut out = Map::with_capacity(members.len());
                for (key, template) in members {
                    path.push(Step::Key(key));
                    let value = template.eval_at(field, path, env)?;
                    path.pop();
                    out.insert(key.clone(), value);
                }
                Ok(Value::Object(out))
            }),
            Template::Array(items) => with_stack(|| {
                let mut out = Vec::with_capacity(items.len());
                for (i, template) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    out.push(template.eval_at(field, path, env)?);
                    path.pop();
                }
                Ok(Value::Array(out))
            }),
        }
    }

    /// Variables referenced anywhere inside, each once, in order of first use.
    pub fn variables(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_variables(&mut out);
        out
    }

    fn collect_variables(&self, out: &mut Vec<String>) {
        match self {
            Template::Literal(_) => {}
            Template::Expr(expr) => {
                for name in expr.variables() {
                    if !out.contains(name) {
                        out.push(name.clone());
                    }
                }
            }
            Template::Object(members) => {
                with_stack(|| members.iter().for_each(|(_, t)| t.collect_variables(out)))
            }
            Template::Array(items) => {
                with_stack(|| items.iter().for_each(|t| t.collect_variables(out)))
            }
        }
    }

    /// The value, when the template has no expression in it.
    pub fn as_literal(&self) -> Option<&Value> {
        match self {
            Template::Literal(value) => Some(value),
            _ => None,
        }
    }
}

fn location(field: &str, path: &[Step<'_>]) -> String {
    let mut out = field.to_string();
    for step in path {
        out.push('/');
        match step {
            Step::Key(key) => out.push_str(key),
            Step::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

fn compile(value: &Value, pointer: &mut String) -> Result<Template, TemplateError> {
    match value {
        Value::String(text) if is_expression(text) => match Expr::parse(text) {
            Ok(expr) => Ok(Template::Expr(expr)),
            Err(error) => Err(TemplateError {
                pointer: pointer.clone(),
                error,
            }),
        },
        Value::Object(map) => with_stack(|| {
            let mut members = Vec::with_capacity(map.len());
            let mut literal = true;
            for (key, member) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                let template = compile(member, pointer)?;
                pointer.truncate(len);
                literal &= matches!(template, Template::Literal(_));
                members.push((key.clone(), template));
            }
            Ok(if literal {
                Template::Literal(value.clone())
            } else {
                Template::Object(members)
            })
        }),
        Value::Array(items) => with_stack(|| {
            let mut templates = Vec::with_capacity(items.len());
            let mut literal = true;
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                let template = compile(item, pointer)?;
                pointer.truncate(len);
                literal &= matches!(template, Template::Literal(_));
                templates.push(template);
            }
            Ok(if literal {
                Template::Literal(value.clone())
            } else {
                Template::Array(templates)
            })
        }),
        other => Ok(Template::Literal(other.clone())),
    }
}
