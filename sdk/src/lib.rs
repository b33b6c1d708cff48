//! Write a Stepwise task component in Rust: one function from
//! the state's input to its result, exported with [`task!`].
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use stepwise_sdk::{context, TaskError};
//!
//! #[derive(Deserialize)]
//! #[serde(rename_all = "camelCase")]
//! struct Charge {
//!     order_id: String,
//!     amount: f64,
//!     card: String,
//! }
//!
//! #[derive(Serialize)]
//! #[serde(rename_all = "camelCase")]
//! struct Receipt {
//!     payment_id: String,
//!     amount: f64,
//! }
//!
//! fn charge(input: Charge) -> Result<Receipt, TaskError> {
//!     context::info(&format!("charging {} for order {}", input.amount, input.order_id));
//!     if input.card == "declined" {
//!         // Retry and Catch match "Payment.Declined"; the cause is JSON text.
//!         return Err(TaskError::with_json_cause(
//!             "Payment.Declined",
//!             &serde_json::json!({"orderId": input.order_id, "reason": "card declined"}),
//!         ));
//!     }
//!     Ok(Receipt { payment_id: format!("pay-{}", input.order_id), amount: input.amount })
//! }
//!
//! // Exports `charge` as the component's `run` (built with
//! // `cargo build --release --target wasm32-wasip2`, crate-type "cdylib").
//! stepwise_sdk::task!(charge);
//!
//! // The same function, tested on the host as the component would run it:
//! use serde_json::json;
//! let ok = stepwise_sdk::testing::call(charge, json!({"orderId": "o-1", "amount": 9.5, "card": "visa"}));
//! assert_eq!(ok.unwrap(), json!({"paymentId": "pay-o-1", "amount": 9.5}));
//! let declined = stepwise_sdk::testing::call(charge, json!({"orderId": "o-2", "amount": 1, "card": "declined"}));
//! assert_eq!(declined.unwrap_err().error, "Payment.Declined");
//! ```
//!
//! # Layout
//! - [`error`]: [`TaskError`] (ASL error name + cause) and the names the SDK itself
//!   raises ([`INVALID_INPUT`], [`INVALID_OUTPUT`]).
//! - [`run`](mod@run): the JSON plumbing the export runs: [`run_json`] (typed, via
//!   serde) and [`run_raw`] (JSON text as is).
//! - [`context`]: the host's imports: [`log`], [`heartbeat`],
//!   execution and state names, [`task_token`](context::task_token), time left.
//! - `testing` (not in components): `testing::call` and `TestContext` run a task
//!   on the host with a context you set, recording its logs and heartbeats.
//! - `bindings` (components only): wit-bindgen's bindings to `wit/task.wit`.
//!
//! # What a task gets and returns
//! The input is the state's effective input (after InputPath and Parameters or
//! Arguments) as JSON text, deserialized into the task function's input type (use
//! [`Value`] for any JSON). The function's `Ok` value, serialized to JSON, is the
//! state's result; its `Err` is the state's failure. A panic, an infinite loop or
//! running out of memory do not bring the host down: they fail the state with
//! `States.TaskFailed` (or `States.Timeout` for time), and a panic's message is
//! logged at [`Level::Error`] first. See `wit/README.md` for the whole contract.
//!
//! Tasks run in a sandbox: clocks and random numbers work (`std::time`, the
//! `getrandom` crate); files, environment variables, sockets and processes do not.

pub mod context;
pub mod error;
pub mod run;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod bindings;

pub use context::{heartbeat, log, Level};
pub use error::{TaskError, INVALID_INPUT, INVALID_OUTPUT, TASK_FAILED};
pub use run::{run_json, run_raw};
pub use serde_json::{json, Value};

/// The README's example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Exports a task function as the component's `run`.
///
/// - `task!(f)`: `f` is any `fn(I) -> Result<O, E>` where `I: Deserialize`,
///   `O: Serialize` and `E: Into<TaskError>`; the input and output cross the
///   boundary as JSON text (see [`run_json`]).
/// - `task!(raw f)`: `f` is a `fn(String) -> Result<String, E>` on the JSON text
///   itself (see [`run_raw`]).
///
/// Use it once per crate (a component has one `run`), at the top level of a
/// `cdylib` crate built for `wasm32-wasip2`. On other targets it only type-checks
/// `f`, so the crate still builds and tests on the host.
#[macro_export]
macro_rules! task {
    (raw $task:expr) => {
        $crate::__stepwise_export_run!(|input: ::std::string::String| {
            $crate::run_raw(input, $task)
        });
    };
    ($task:expr) => {
        $crate::__stepwise_export_run!(|input: ::std::string::String| {
            $crate::run_json(&input, $task)
        });
    };
}

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
#[macro_export]
macro_rules! __stepwise_export_run {
    ($run:expr) => {
        const _: () = {
            struct StepwiseTask;

            impl $crate::__private::Guest for StepwiseTask {
                fn run(
                    input: ::std::string::String,
                ) -> ::std::result::Result<::std::string::String, $crate::__private::WitTaskError>
                {
                    $crate::__private::install_panic_hook();
                    let run: fn(
                        ::std::string::String,
                    ) -> ::std::result::Result<::std::string::String, $crate::TaskError> = $run;
                    run(input).map_err($crate::__private::to_wit)
                }
            }

            $crate::__private::bindings::export!(StepwiseTask with_types_in $crate::__private::bindings);
        };
    };
}

#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __stepwise_export_run {
    ($run:expr) => {
        const _: () = {
            let _run: fn(
                ::std::string::String,
            ) -> ::std::result::Result<::std::string::String, $crate::TaskError> = $run;
        };
    };
}

/// What the macros expand to; not part of the API.
#[doc(hidden)]
#[cfg(target_arch = "wasm32")]
pub mod __private {
    pub use crate::bindings;
    pub use crate::bindings::stepwise::task::types::TaskError as WitTaskError;
    pub use crate::bindings::Guest;

    /// Converts the SDK's error to the binding's record.
    pub fn to_wit(e: crate::TaskError) -> WitTaskError {
        WitTaskError {
            error: e.error,
            cause: e.cause,
        }
    }

    /// Logs a panic's message through the host before the component traps (once).
    pub fn install_panic_hook() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                crate::context::error(&format!("task panicked: {info}"));
                previous(info);
            }));
        });
    }
}
