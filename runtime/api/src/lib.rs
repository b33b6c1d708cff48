//! Stepwise's HTTP surface: the AWS Step Functions JSON 1.0 protocol (so boto3,
//! the AWS CLI and the AWS SDKs work with `--endpoint-url`), module upload,
//! sync invoke, health and metrics, on one port, over hyper 1.
//!
//! The crate defines the protocol and a [`Backend`] trait; it depends on neither
//! the engine nor the store. `stepwise serve` implements the trait with the
//! driver and calls [`serve`]. Requests are checked here, as AWS checks them,
//! before the backend sees them.
//!
//! # Layout
//!
//! - `server.rs`: [`serve`] and [`Config`]: the hyper server, connections,
//!   limits, graceful shutdown.
//! - `routes.rs`: the routing table (`/`, `/healthz`, `/metrics`, `/modules`,
//!   `/invoke`), body limits, names in paths, sync invoke replies, a panic
//!   answered with a 500.
//! - `protocol.rs`: the AWS JSON protocol: `X-Amz-Target` to an operation,
//!   input decoded, backend called, output or error written.
//! - `operation.rs`: [`Operation`]: every operation of AWS's model.
//! - `backend.rs`: [`Backend`]: one method per operation and route.
//! - `model/`: the typed requests and responses (one file per group of
//!   operations) and the model's constraints (`shapes.rs`).
//! - `decode.rs`: reading a request body into its type with AWS's checks and
//!   messages (SerializationException, ValidationException, then InvalidName,
//!   InvalidArn, InvalidExecutionInput...).
//! - `arn.rs`: building and parsing Step Functions ARNs ([`Arns`]).
//! - `name.rs`: the naming rules for state machines, executions, activities
//!   and modules.
//! - `error.rs`: [`ErrorCode`] and [`ApiError`], and their HTTP statuses.
//! - `reply.rs`: response builders: JSON, the error shapes.
//! - `request_id.rs`: the `x-amzn-RequestId` of every AWS protocol reply.
//! - `metrics.rs`: [`Metrics`], counters and a histogram in Prometheus text.

pub mod arn;
mod backend;
mod decode;
mod error;
mod metrics;
pub mod model;
mod name;
mod operation;
mod protocol;
mod reply;
mod request_id;
mod routes;
mod server;

pub use arn::{ArnError, Arns};
pub use backend::Backend;
pub use error::{ApiError, ApiResult, ErrorCode};
pub use hyper::body::Bytes;
pub use metrics::{Metrics, Outcome, TASK_LATENCY_BUCKETS_MICROS};
pub use name::{check_name, validate_name, NameProblem, MAX_NAME_CHARS};
pub use operation::{Operation, TARGET_PREFIX};
pub use request_id::uuid_v4_text;
pub use routes::{invoke_failure_status, EXECUTION_ARN_HEADER};
pub use server::{
    serve, serve_with_config, Config, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_MAX_API_BODY_BYTES,
    DEFAULT_MAX_INVOKE_BODY_BYTES, DEFAULT_MAX_MODULE_BYTES, DEFAULT_SHUTDOWN_GRACE,
};
