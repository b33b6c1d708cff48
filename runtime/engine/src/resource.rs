//! Which work a Task state's `Resource` names, and how its input and result are
//! shaped, independent of what runs it.
//!
//! - `wasm:<module>` or `wasm:<module>:<version>`: an uploaded component.
//! - A Lambda function ARN, `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`:
//!   the module of that name; the input and result pass through unchanged. Its
//!   task is recorded as `LambdaFunction*` events, as AWS records it.
//! - `arn:aws:states:::lambda:invoke`: the optimized integration. The module is
//!   `FunctionName` (a name or an ARN), its input `Payload`, and the result AWS's
//!   `{"Payload": ..., "StatusCode": 200, ...}` shape.
//!
//! A `.waitForTaskToken` suffix is understood by the engine (the token is in the
//! request); the target is the same.

use serde_json::{json, Value};
use std::borrow::Cow;

/// The suffix that makes a Task wait for SendTaskSuccess/Failure.
pub const WAIT_FOR_TASK_TOKEN: &str = ".waitForTaskToken";

/// What a Task resource runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskTarget<'a> {
    /// A component: module name and optional version (borrowed from the resource
    /// or the input: resolving allocates nothing).
    Module {
        /// The module name.
        name: &'a str,
        /// `wasm:<module>:<version>`, or a Lambda ARN's qualifier.
        version: Option<&'a str>,
        /// How input and result are shaped around the call.
        shape: Shape,
    },
    /// A resource Stepwise cannot run.
    Unsupported(String),
}

/// How a target's input and result are shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The state's input goes in and the component's output comes back as is.
    Plain,
    /// `arn:aws:states:::lambda:invoke`: `Payload` goes in, the result is wrapped.
    LambdaInvoke,
}

/// Resolves a resource (and, for `lambda:invoke`, the task input that names the
/// function).
pub fn resolve<'a>(resource: &'a str, input: &'a Value) -> TaskTarget<'a> {
    let base = resource
        .strip_suffix(WAIT_FOR_TASK_TOKEN)
        .unwrap_or(resource);
    if let Some(rest) = base.strip_prefix("wasm:") {
        let mut parts = rest.splitn(2, ':');
        let name = parts.next().unwrap_or_default();
        if name.is_empty() {
            return TaskTarget::Unsupported(resource.to_string());
        }
        return TaskTarget::Module {
            name,
            version: parts.next(),
            shape: Shape::Plain,
        };
    }
    if base == "arn:aws:states:::lambda:invoke" {
        let Some(function) = input.get("FunctionName").and_then(Value::as_str) else {
            return TaskTarget::Unsupported(format!(
                "{resource} (no FunctionName in the task's input)"
            ));
        };
        return match lambda_function(function) {
            Some((name, version)) => TaskTarget::Module {
                name,
                version,
                shape: Shape::LambdaInvoke,
            },
            None => TaskTarget::Unsupported(format!("{resource} (FunctionName '{function}')")),
        };
    }
    match lambda_function(base).filter(|_| base.starts_with("arn:")) {
        Some((name, version)) => TaskTarget::Module {
            name,
            version,
            shape: Shape::Plain,
        },
        None => TaskTarget::Unsupported(resource.to_string()),
    }
}

/// Whether `resource` is an activity,
/// `arn:aws:states:<region>:<account>:activity:<name>`: its task is queued for
/// a worker's GetActivityTask and recorded as `Activity*` history events.
pub fn is_activity(resource: &str) -> bool {
    let mut fields = fields(resource);
    fields.next() == Some("arn")
        && fields.nth(1) == Some("states")
        && fields.nth(2) == Some("activity")
        && fields.next().is_some_and(|name| !name.is_empty())
        && fields.next().is_none()
}

/// Whether `resource` is a Lambda function ARN used directly,
/// `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`
/// (not `arn:aws:states:::lambda:invoke`, and with no `.waitForTaskToken`): AWS
/// records its task as `LambdaFunction*` history events.
pub fn is_lambda_function(resource: &str) -> bool {
    let mut fields = fields(resource);
    fields.next() == Some("arn")
        && fields.nth(1) == Some("lambda")
        && fields.nth(2) == Some("function")
        && fields.next().is_some_and(|name| !name.is_empty())
        && fields.next().is_none_or(|qualifier| !qualifier.is_empty())
        && fields.next().is_none()
        && !resource.ends_with(WAIT_FOR_TASK_TOKEN)
}

/// A function name from a plain name or a Lambda function ARN, with its qualifier.
fn lambda_function(text: &str) -> Option<(&str, Option<&str>)> {
    if !text.starts_with("arn:") {
        let mut parts = text.splitn(2, ':');
        let name = parts.next()?;
        return (!name.is_empty()).then(|| (name, parts.next()));
    }
    // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
    let mut fields = fields(text);
    let lambda = fields.nth(2) == Some("lambda");
    let function = fields.nth(2) == Some("function");
    let name = fields.next().filter(|name| !name.is_empty())?;
    (lambda && function).then_some((name, fields.next()))
}

/// `text.split(':')` as a plain byte loop: an ARN's fields are short, and the
/// engine and the runners look at a Task's resource several times per task.
fn fields(text: &str) -> Fields<'_> {
    Fields { rest: Some(text) }
}

/// The iterator of [`fields`].
struct Fields<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest?;
        match text.bytes().position(|b| b == b':') {
            Some(at) => {
                self.rest = Some(&text[at + 1..]);
                Some(&text[..at])
            }
            None => {
                self.rest = None;
                Some(text)
            }
        }
    }
}

/// The component's input for a target: `Payload` for `lambda:invoke` (`{}` when
/// absent, as Lambda does), the state's input otherwise.
pub fn module_input(shape: Shape, input: &Value) -> Cow<'_, Value> {
    match shape {
        Shape::Plain => Cow::Borrowed(input),
        Shape::LambdaInvoke => match input.get("Payload") {
            Some(payload) => Cow::Borrowed(payload),
            None => Cow::Owned(json!({})),
        },
    }
}

/// The task result for a target: the output, or `lambda:invoke`'s envelope.
pub fn task_result(shape: Shape, output: Value) -> Value {
    match shape {
        Shape::Plain => output,
        Shape::LambdaInvoke => json!({
            "ExecutedVersion": "$LATEST",
            "Payload": output,
            "SdkHttpMetadata": {"HttpStatusCode": 200},
            "SdkResponseMetadata": {},
            "StatusCode": 200,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activities_are_recognised() {
        assert!(is_activity(
            "arn:aws:states:us-east-1:123456789012:activity:approve"
        ));
        assert!(!is_activity(
            "arn:aws:states:us-east-1:123456789012:activity:"
        ));
        assert!(!is_activity(
            "arn:aws:states:us-east-1:123456789012:activity:a:b"
        ));
        assert!(!is_activity(
            "arn:aws:states:us-east-1:123456789012:stateMachine:a"
        ));
        assert!(!is_activity(
            "arn:aws:lambda:us-east-1:123456789012:activity:a"
        ));
        assert!(!is_activity("wasm:activity"));
    }

    #[test]
    fn lambda_functions_are_recognised() {
        assert!(is_lambda_function(
            "arn:aws:lambda:us-east-1:123456789012:function:add"
        ));
        assert!(is_lambda_function(
            "arn:aws:lambda:us-east-1:123456789012:function:add:prod"
        ));
        assert!(is_lambda_function(
            "arn:aws-cn:lambda:cn-north-1:123456789012:function:add:$LATEST"
        ));
        assert!(!is_lambda_function("arn:aws:states:::lambda:invoke"));
        assert!(!is_lambda_function(
            "arn:aws:states:::lambda:invoke.waitForTaskToken"
        ));
        assert!(!is_lambda_function(
            "arn:aws:lambda:us-east-1:123456789012:function:"
        ));
        assert!(!is_lambda_function(
            "arn:aws:lambda:us-east-1:123456789012:function:add:"
        ));
        assert!(!is_lambda_function(
            "arn:aws:lambda:us-east-1:123456789012:function:add:1:x"
        ));
        assert!(!is_lambda_function(
            "arn:aws:lambda:us-east-1:123456789012:function:add.waitForTaskToken"
        ));
        assert!(!is_lambda_function(
            "arn:aws:lambda:us-east-1:123456789012:layer:add"
        ));
        assert!(!is_lambda_function(
            "arn:aws:states:us-east-1:123456789012:activity:add"
        ));
        assert!(!is_lambda_function("wasm:add"));
        assert!(!is_lambda_function("add"));
    }

    #[test]
    fn fields_split_at_every_colon() {
        for text in [
            "",
            ":",
            "::",
            "a",
            "a:",
            ":a",
            "arn:aws:states:::lambda:invoke",
            "arn:aws:lambda:us-east-1:1:function:f:prod:x",
            "é:ü::😀",
        ] {
            assert_eq!(
                fields(text).collect::<Vec<_>>(),
                text.split(':').collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    fn module<'a>(name: &'a str, version: Option<&'a str>, shape: Shape) -> TaskTarget<'a> {
        TaskTarget::Module {
            name,
            version,
            shape,
        }
    }

    #[test]
    fn resolves_every_resource_form() {
        let none = json!({});
        assert_eq!(
            resolve("wasm:saga", &none),
            module("saga", None, Shape::Plain)
        );
        assert_eq!(
            resolve("wasm:saga:3", &none),
            module("saga", Some("3"), Shape::Plain)
        );
        assert_eq!(
            resolve(
                "arn:aws:lambda:us-east-1:123456789012:function:add:prod",
                &none
            ),
            module("add", Some("prod"), Shape::Plain)
        );
        assert_eq!(
            resolve(
                "arn:aws:states:::lambda:invoke",
                &json!({"FunctionName": "charge", "Payload": {}})
            ),
            module("charge", None, Shape::LambdaInvoke)
        );
        assert_eq!(
            resolve(
                "arn:aws:states:::lambda:invoke.waitForTaskToken",
                &json!({"FunctionName": "arn:aws:lambda:eu-west-1:1:function:notify"})
            ),
            module("notify", None, Shape::LambdaInvoke)
        );
        assert!(matches!(
            resolve("arn:aws:states:::sqs:sendMessage", &none),
            TaskTarget::Unsupported(_)
        ));
        assert!(matches!(
            resolve("arn:aws:states:::lambda:invoke", &none),
            TaskTarget::Unsupported(_)
        ));
        assert!(matches!(
            resolve("wasm:", &none),
            TaskTarget::Unsupported(_)
        ));
    }

    #[test]
    fn lambda_invoke_shapes_input_and_result() {
        let input = json!({"FunctionName": "f", "Payload": {"a": 1}});
        assert_eq!(*module_input(Shape::LambdaInvoke, &input), json!({"a": 1}));
        assert_eq!(
            *module_input(Shape::LambdaInvoke, &json!({"FunctionName": "f"})),
            json!({})
        );
        assert_eq!(
            task_result(Shape::LambdaInvoke, json!(5))["Payload"],
            json!(5)
        );
        assert_eq!(
            task_result(Shape::LambdaInvoke, json!(5))["StatusCode"],
            json!(200)
        );
        assert_eq!(task_result(Shape::Plain, json!(5)), json!(5));
    }
}
