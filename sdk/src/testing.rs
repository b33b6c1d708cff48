//! Running a task function on your machine, as the host runs the component: for the
//! unit tests of a task (`cargo test` on the host target; this module does not exist
//! in the component).
//!
//! [`call`] runs a task on a JSON value with the default context;
//! [`TestContext`] sets the execution name, state name, task token and time left
//! that the [`context`](crate::context) functions return, and records what the task
//! logged and how often it sent a heartbeat.
//!
//! ```
//! use serde_json::{json, Value};
//! use stepwise_sdk::{context, testing::TestContext, Level, TaskError};
//!
//! fn ask(input: Value) -> Result<Value, TaskError> {
//!     let token = context::task_token()
//!         .ok_or_else(|| TaskError::new("Approval.NoToken", "use .waitForTaskToken"))?;
//!     context::info("asking for approval");
//!     context::heartbeat();
//!     Ok(json!({"token": token, "for": input["user"]}))
//! }
//!
//! let ctx = TestContext::new().task_token("tok-1");
//! let (result, recorded) = ctx.call(ask, json!({"user": "ada"}));
//! assert_eq!(result.unwrap(), json!({"token": "tok-1", "for": "ada"}));
//! assert_eq!(recorded.logs, [(Level::Info, "asking for approval".to_string())]);
//! assert_eq!(recorded.heartbeats, 1);
//!
//! // Without a token (the default context) the task fails.
//! let err = stepwise_sdk::testing::call(ask, json!({})).unwrap_err();
//! assert_eq!(err.error, "Approval.NoToken");
//! ```

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::context::Level;
use crate::error::{TaskError, INVALID_OUTPUT};
use crate::run::run_json;

/// The execution name of the default context.
pub const DEFAULT_EXECUTION_NAME: &str = "test-execution";
/// The state name of the default context.
pub const DEFAULT_STATE_NAME: &str = "test-state";

/// What the [`context`](crate::context) functions return while a test runs a
/// task. The default: [`DEFAULT_EXECUTION_NAME`], [`DEFAULT_STATE_NAME`], no task
/// token, no timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestContext {
    /// `$$.Execution.Name`.
    pub execution_name: String,
    /// `$$.State.Name`.
    pub state_name: String,
    /// `$$.Task.Token`.
    pub task_token: Option<String>,
    /// Milliseconds left before TimeoutSeconds.
    pub remaining_millis: Option<u64>,
}

impl Default for TestContext {
    fn default() -> Self {
        TestContext {
            execution_name: DEFAULT_EXECUTION_NAME.to_string(),
            state_name: DEFAULT_STATE_NAME.to_string(),
            task_token: None,
            remaining_millis: None,
        }
    }
}

/// What a task did to its context while a [`TestContext`] was in force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    /// The lines it logged, in order.
    pub logs: Vec<(Level, String)>,
    /// How many heartbeats it sent.
    pub heartbeats: usize,
}

impl TestContext {
    /// The default context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the execution name.
    pub fn execution_name(mut self, name: impl Into<String>) -> Self {
        self.execution_name = name.into();
        self
    }

    /// Sets the state name.
    pub fn state_name(mut self, name: impl Into<String>) -> Self {
        self.state_name = name.into();
        self
    }

    /// Sets the task token.
    pub fn task_token(mut self, token: impl Into<String>) -> Self {
        self.task_token = Some(token.into());
        self
    }

    /// Sets the milliseconds left.
    pub fn remaining_millis(mut self, millis: u64) -> Self {
        self.remaining_millis = Some(millis);
        self
    }

    /// Runs `f` on this thread with this context in force; returns its result and
    /// what it logged and how often it sent a heartbeat.
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> (R, Recorded) {
        struct Pop;
        impl Drop for Pop {
            fn drop(&mut self) {
                STACK.with(|s| s.borrow_mut().pop());
            }
        }
        STACK.with(|s| {
            s.borrow_mut().push(Frame {
                context: self.clone(),
                recorded: Recorded::default(),
            })
        });
        let _pop = Pop;
        let result = f();
        let recorded = STACK.with(|s| {
            s.borrow_mut()
                .last_mut()
                .map(|frame| std::mem::take(&mut frame.recorded))
                .unwrap_or_default()
        });
        (result, recorded)
    }

    /// [`call`] with this context in force.
    pub fn call<I, O, E, F>(&self, task: F, input: Value) -> (Result<Value, TaskError>, Recorded)
    where
        I: DeserializeOwned,
        O: Serialize,
        E: Into<TaskError>,
        F: FnOnce(I) -> Result<O, E>,
    {
        self.run(|| call(task, input))
    }
}

/// Runs `task` on `input` exactly as the component's `run` export does (the input
/// goes through JSON text, see [`run_json`]) and parses its output back.
pub fn call<I, O, E, F>(task: F, input: Value) -> Result<Value, TaskError>
where
    I: DeserializeOwned,
    O: Serialize,
    E: Into<TaskError>,
    F: FnOnce(I) -> Result<O, E>,
{
    let text = run_json(&input.to_string(), task)?;
    serde_json::from_str(&text).map_err(|e| {
        TaskError::new(
            INVALID_OUTPUT,
            format!("the task's output is not JSON: {e}"),
        )
    })
}

struct Frame {
    context: TestContext,
    recorded: Recorded,
}

thread_local! {
    static STACK: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Reads the context in force (the default one outside [`TestContext::run`]).
pub(crate) fn with_current<R>(f: impl FnOnce(&TestContext) -> R) -> R {
    STACK.with(|s| match s.borrow().last() {
        Some(frame) => f(&frame.context),
        None => f(&TestContext::default()),
    })
}

/// Records a log line; outside [`TestContext::run`] prints it to stderr.
pub(crate) fn record_log(level: Level, message: &str) {
    STACK.with(|s| match s.borrow_mut().last_mut() {
        Some(frame) => frame.recorded.logs.push((level, message.to_string())),
        None => eprintln!("[{level:?}] {message}"),
    })
}

/// Counts a heartbeat.
pub(crate) fn record_heartbeat() {
    STACK.with(|s| {
        if let Some(frame) = s.borrow_mut().last_mut() {
            frame.recorded.heartbeats += 1;
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::context;

    #[test]
    fn defaults_outside_a_context() {
        assert_eq!(context::execution_name(), DEFAULT_EXECUTION_NAME);
        assert_eq!(context::state_name(), DEFAULT_STATE_NAME);
        assert_eq!(context::task_token(), None);
        assert_eq!(context::remaining(), None);
        context::heartbeat();
        context::debug("printed to stderr, not recorded");
    }

    #[test]
    fn the_context_in_force_is_read_and_recorded() {
        let ctx = TestContext::new()
            .execution_name("exec-7")
            .state_name("Charge")
            .task_token("tok")
            .remaining_millis(1500);
        let ((), rec) = ctx.run(|| {
            assert_eq!(context::execution_name(), "exec-7");
            assert_eq!(context::state_name(), "Charge");
            assert_eq!(context::task_token().as_deref(), Some("tok"));
            assert_eq!(context::remaining_millis(), Some(1500));
            assert_eq!(
                context::remaining(),
                Some(std::time::Duration::from_millis(1500))
            );
            context::trace("t");
            context::warn("w");
            context::heartbeat();
            context::heartbeat();
        });
        assert_eq!(
            rec.logs,
            [
                (Level::Trace, "t".to_string()),
                (Level::Warn, "w".to_string())
            ]
        );
        assert_eq!(rec.heartbeats, 2);
        // Gone afterwards.
        assert_eq!(context::task_token(), None);
    }

    #[test]
    fn contexts_nest_and_a_panic_pops_its_context() {
        let outer = TestContext::new().state_name("Outer");
        let ((), rec) = outer.run(|| {
            let inner = TestContext::new().state_name("Inner");
            let ((), inner_rec) = inner.run(|| {
                assert_eq!(context::state_name(), "Inner");
                context::info("inner");
            });
            assert_eq!(inner_rec.logs.len(), 1);
            assert_eq!(context::state_name(), "Outer");
            let panicked = std::panic::catch_unwind(|| {
                TestContext::new()
                    .state_name("Panics")
                    .run(|| panic!("boom"))
            });
            assert!(panicked.is_err());
            assert_eq!(context::state_name(), "Outer");
            context::error("outer");
        });
        assert_eq!(rec.logs, [(Level::Error, "outer".to_string())]);
    }

    #[test]
    fn call_goes_through_json_text() {
        let out = call(
            |v: Value| Ok::<_, TaskError>(json!({"got": v})),
            json!([1, "a"]),
        );
        assert_eq!(out.unwrap(), json!({"got": [1, "a"]}));
        let (res, _) = TestContext::new().call(
            |_: u8| Err::<Value, _>(TaskError::new("A.B", "c")),
            json!(7),
        );
        assert_eq!(res.unwrap_err(), TaskError::new("A.B", "c"));
    }
}
