//! A compiled `{% ... %}` expression and its evaluation.

use super::analysis::{Analysis, HOST_FUNCTIONS, STATES_MEMBERS};
use super::convert::{from_jvalue, project, ResultError};
use super::functions::{self, Host};
use super::guard;
use super::limits::Limits;
use super::{is_expression, messages, JsonataEnv};
use crate::errors::{Failure, QUERY_EVALUATION_ERROR};
use crate::random::SplitMix64;
use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Context, Evaluator, EvaluatorError};
use jsonata_core::value::JValue;
use serde_json::Value;
use std::cell::RefCell;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Arc;

/// A `{% ... %}` text that is not a valid JSONata expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", .position.map(|p| format!(" at position {p}")).unwrap_or_default())]
pub struct JsonataSyntaxError {
    /// jsonata-js's message, `"{code}: {text}"` for JSONata syntax errors
    /// (`S0201: Syntax error: ")"`).
    pub message: String,
    /// Where the error was found: a 0-based character offset into the whole text
    /// (delimiters included), just past the offending token. `None` for very long
    /// expressions, whose errors are not located.
    pub position: Option<usize>,
}

/// Why an evaluation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonataError {
    /// The expression threw.
    #[error("{message}")]
    Evaluation {
        /// The JSONata error code (`T2001`), when the error has one.
        code: Option<String>,
        /// jsonata-js's text, code included: `T2001: The left side of the "+" operator must evaluate to a number`.
        message: String,
    },
    /// The result is a function, or a number JSON cannot hold (`1/0`).
    #[error("returned an unsupported result type")]
    UnsupportedResult,
    /// The result nests arrays and objects deeper than the limit (levels).
    #[error("the result is nested deeper than {limit} levels")]
    ResultTooDeep {
        /// The limit, in levels.
        limit: usize,
    },
}

impl JsonataError {
    /// AWS's cause text for this error of the expression `source` in the field at
    /// `location` (`Output/result`), without the "An error occurred while executing
    /// the state ..." prefix.
    pub fn cause(&self, source: &str, location: &str) -> String {
        let head =
            format!("The JSONata expression '{source}' specified for the field '{location}'");
        match self {
            JsonataError::Evaluation { message, .. } => {
                format!("{head} threw an error during evaluation. {message}")
            }
            JsonataError::UnsupportedResult => format!("{head} returned an unsupported result type."),
            JsonataError::ResultTooDeep { limit } => format!(
                "{head} threw an error during evaluation. The result is nested deeper than {limit} levels."
            ),
        }
    }

    fn from_evaluator(error: &EvaluatorError) -> Self {
        let message = messages::evaluation(error.message());
        JsonataError::Evaluation {
            code: messages::code_of(&message).map(str::to_string),
            message,
        }
    }

    fn internal() -> Self {
        JsonataError::Evaluation {
            code: None,
            message: "The JSONata evaluator failed unexpectedly".to_string(),
        }
    }
}

/// A compiled `{% ... %}` expression. Cloning is cheap (the parsed form is shared).
#[derive(Clone)]
pub struct Expr {
    inner: Arc<Inner>,
}

struct Inner {
    source: String,
    /// The parsed expression, with the string checks of `guard.rs`.
    ast: AstNode,
    analysis: Analysis,
    /// True when `ast` calls the string check.
    guarded: bool,
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expr({{% {} %}})", self.inner.source)
    }
}

/// Two expressions are equal when they are written the same.
impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.inner.source == other.inner.source
    }
}

impl Eq for Expr {}

impl Expr {
    /// Parses the full text including the `{%` `%}` delimiters; a syntax error names
    /// the position.
    pub fn parse(text: &str) -> Result<Expr, JsonataSyntaxError> {
        if !is_expression(text) {
            return Err(JsonataSyntaxError {
                message: "A JSONata expression must start with '{%' and end with '%}'".to_string(),
                position: Some(0),
            });
        }
        let body = &text[2..text.len() - 2];
        let source = body.trim();
        let offset = 2 + body[..body.len() - body.trim_start().len()].chars().count();
        if source.is_empty() {
            return Err(JsonataSyntaxError {
                message: "The JSONata expression is empty".to_string(),
                position: Some(offset),
            });
        }
        let parsed = catch_unwind(|| jsonata_core::parser::parse(source)).map_err(|_| {
            JsonataSyntaxError {
                message: "The JSONata expression could not be parsed".to_string(),
                position: None,
            }
        })?;
        let mut ast = parsed.map_err(|error| JsonataSyntaxError {
            message: messages::syntax(&error),
            position: messages::position(source, &error).map(|p| offset + p),
        })?;
        let analysis = Analysis::of(&ast);
        let guarded = guard::guard(&mut ast);
        Ok(Expr {
            inner: Arc::new(Inner {
                source: source.to_string(),
                ast,
                analysis,
                guarded,
            }),
        })
    }

    /// The expression as written between the delimiters, trimmed (what AWS quotes in
    /// errors).
    pub fn source(&self) -> &str {
        &self.inner.source
    }

    /// Names of the workflow variables it references (`$x` → `"x"`), excluding
    /// `states`, JSONata built-ins and names the expression binds itself (`:=` and
    /// function parameters), found by walking the AST once at parse time.
    pub fn variables(&self) -> &[String] {
        &self.inner.analysis.variables
    }

    /// Evaluates with the default [`Limits`]; `Ok(None)` when the result is undefined
    /// (nothing).
    pub fn eval(&self, env: &mut dyn JsonataEnv) -> Result<Option<Value>, JsonataError> {
        self.eval_with(env, &Limits::default())
    }

    /// Evaluates with the given limits; `Ok(None)` when the result is undefined.
    pub fn eval_with(
        &self,
        env: &mut dyn JsonataEnv,
        limits: &Limits,
    ) -> Result<Option<Value>, JsonataError> {
        let analysis = &self.inner.analysis;
        let mut context = Context::new();
        if analysis.reads_states() {
            let mut states = Vec::with_capacity(STATES_MEMBERS.len());
            for (name, need) in STATES_MEMBERS.iter().zip(&analysis.states) {
                if let Some(need) = need {
                    let members: Option<Vec<&str>> = (!need.full)
                        .then(|| need.members.iter().map(|(key, _)| key.as_str()).collect());
                    env.with_states_member_reading(name, members.as_deref(), &mut |value| {
                        states.push((name.to_string(), project(value, need)));
                    });
                }
            }
            context.bind(
                "states".to_string(),
                JValue::object(states.into_iter().collect()),
            );
        }
        for (name, need) in analysis.variables.iter().zip(&analysis.variable_needs) {
            env.with_variable(name, &mut |value| {
                context.bind(name.clone(), project(value, need))
            });
        }
        let host = self.host(env, limits);
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut evaluator = Evaluator::with_options(context, limits.options());
            if self.inner.guarded {
                let limits = *limits;
                evaluator.register_fn(guard::CHECK, move |args: &[JValue]| {
                    guard::check(args, &limits)
                })?;
            }
            if let Some(host) = &host {
                for name in HOST_FUNCTIONS.iter().filter(|n| analysis.calls(n)) {
                    functions::register(&mut evaluator, name, host)?;
                }
            }
            let value = evaluator.evaluate(&self.inner.ast, &JValue::Undefined)?;
            Ok::<_, EvaluatorError>(from_jvalue(&value, limits.max_result_depth))
        }));
        match result {
            Err(_) => Err(JsonataError::internal()),
            Ok(Err(error)) => Err(JsonataError::from_evaluator(&error)),
            Ok(Ok(Ok(value))) => Ok(value),
            Ok(Ok(Err(ResultError::Unsupported))) => Err(JsonataError::UnsupportedResult),
            Ok(Ok(Err(ResultError::TooDeep))) => Err(JsonataError::ResultTooDeep {
                limit: limits.max_result_depth,
            }),
        }
    }

    /// The state the replacement functions share, when the expression calls any.
    fn host(&self, env: &mut dyn JsonataEnv, limits: &Limits) -> Option<Rc<Host>> {
        let analysis = &self.inner.analysis;
        if analysis.host_functions == 0 {
            return None;
        }
        let random = ["random", "uuid", "shuffle"]
            .iter()
            .any(|n| analysis.calls(n));
        let seed = if random { env.entropy().next_u64() } else { 0 };
        let timed = analysis.calls("now") || analysis.calls("millis");
        Some(Rc::new(Host {
            rng: RefCell::new(SplitMix64::new(seed)),
            now_millis: if timed { env.now_millis() } else { None },
            limits: *limits,
        }))
    }

    /// Evaluates for the field at `location` (`Output`, `Output/result`,
    /// `TimeoutSeconds`); an undefined result is an error there, as on AWS.
    pub fn eval_field(&self, location: &str, env: &mut dyn JsonataEnv) -> Result<Value, Failure> {
        match self.eval(env) {
            Ok(Some(value)) => Ok(value),
            Ok(None) => Err(self.nothing_failure(location)),
            Err(error) => Err(self.failure(location, &error)),
        }
    }

    /// `States.QueryEvaluationError` for `error` of this expression at `location`.
    pub fn failure(&self, location: &str, error: &JsonataError) -> Failure {
        Failure::new(QUERY_EVALUATION_ERROR, error.cause(self.source(), location))
    }

    /// `States.QueryEvaluationError`: this expression returned nothing at `location`.
    pub fn nothing_failure(&self, location: &str) -> Failure {
        Failure::new(
            QUERY_EVALUATION_ERROR,
            format!(
                "The JSONata expression '{}' specified for the field '{location}' returned nothing (undefined).",
                self.source()
            ),
        )
    }

    /// `States.QueryEvaluationError`: this expression at `location` returned `value`
    /// where a value of JSON type `expected` (`array`, `number`, ...) is required.
    pub fn unexpected_type_failure(
        &self,
        location: &str,
        expected: &str,
        value: &Value,
    ) -> Failure {
        Failure::new(
            QUERY_EVALUATION_ERROR,
            format!(
                "The JSONata expression '{}' specified for the field '{location}' returned an unexpected result type. Expected '{expected}', but was '{}' for value: {value}",
                self.source(),
                json_type(value)
            ),
        )
    }
}

/// The JSON type name of a value as AWS's messages spell it.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
