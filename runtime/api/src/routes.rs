//! The routing table, on one port:
//!
//! | method | path               | what                                     |
//! |--------|--------------------|------------------------------------------|
//! | POST   | `/`                | the AWS protocol ([`crate::protocol`])   |
//! | GET    | `/healthz`         | `ok`                                     |
//! | GET    | `/metrics`         | [`Backend::metrics`], Prometheus text    |
//! | GET    | `/modules`         | [`Backend::list_modules`]                |
//! | PUT    | `/modules/<name>`  | [`Backend::put_module`] (raw body)       |
//! | GET    | `/modules/<name>`  | [`Backend::describe_module`]             |
//! | DELETE | `/modules/<name>`  | [`Backend::delete_module`] (204)         |
//! | POST   | `/invoke/<name>`   | [`Backend::invoke`] (body = input)       |
//!
//! A known path with another method is 405, any other path 404, both as JSON
//! errors. Names in paths are percent-decoded, then checked like every name.
//! A panic while answering is a 500 `InternalFailure`. Every reply on `/`
//! carries a fresh `x-amzn-RequestId`.

use crate::backend::Backend;
use crate::error::{excerpt, ApiError, ErrorCode};
use crate::model::{Invocation, InvokeOutcome, JsonText};
use crate::name::validate_name;
use crate::protocol;
use crate::reply::{self, Reply, JSON};
use crate::request_id::{request_id_value, REQUEST_ID_HEADER};
use crate::server::Config;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body, Bytes, Incoming};
use hyper::header::{HeaderName, HeaderValue, ALLOW};
use hyper::{Method, Request, StatusCode};
use serde::Serialize;
use std::borrow::Cow;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::pin;
use std::task::Poll;

/// The header that names the operation of an AWS request.
const X_AMZ_TARGET: &str = "x-amz-target";
/// The header that carries a sync invoke's execution ARN.
pub const EXECUTION_ARN_HEADER: &str = "x-stepwise-execution-arn";

/// The paths the server knows.
enum Route<'a> {
    Aws,
    Health,
    Metrics,
    Modules,
    Module(&'a str),
    Invoke(&'a str),
}

impl<'a> Route<'a> {
    fn parse(path: &'a str) -> Option<Self> {
        match path {
            "/" => Some(Route::Aws),
            "/healthz" => Some(Route::Health),
            "/metrics" => Some(Route::Metrics),
            "/modules" => Some(Route::Modules),
            _ => {
                if let Some(name) = path.strip_prefix("/modules/") {
                    Some(Route::Module(name))
                } else {
                    path.strip_prefix("/invoke/").map(Route::Invoke)
                }
            }
        }
    }

    /// The methods the route answers, for `Allow`.
    fn allow(&self) -> &'static str {
        match self {
            Route::Aws | Route::Invoke(_) => "POST",
            Route::Health | Route::Metrics | Route::Modules => "GET",
            Route::Module(_) => "GET, PUT, DELETE",
        }
    }
}

/// Answers one request; a panic (a bug, here or in the backend) is a 500
/// `InternalFailure` in the route's error shape, and the connection goes on.
pub(crate) async fn route<B: Backend>(
    request: Request<Incoming>,
    backend: &B,
    config: &Config,
) -> Reply {
    let invoking = request.uri().path().starts_with("/invoke/");
    let aws = request.uri().path() == "/";
    let mut reply = match catch_panic(dispatch(request, backend, config)).await {
        Some(reply) => reply,
        None => {
            let err = ApiError::new(
                ErrorCode::InternalFailure,
                "The server failed while handling the request",
            );
            if invoking {
                invoke_error(&err)
            } else {
                reply::aws_error(&err)
            }
        }
    };
    if aws {
        reply
            .headers_mut()
            .insert(REQUEST_ID_HEADER, request_id_value());
    }
    reply
}

/// Runs `future`, turning a panic while polling it into `None`.
async fn catch_panic<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Some(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(None),
        }
    })
    .await
}

async fn dispatch<B: Backend>(request: Request<Incoming>, backend: &B, config: &Config) -> Reply {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let Some(route) = Route::parse(path) else {
        let message = format!("No route for {} {}", parts.method, excerpt(path));
        return reply::rest_error(&ApiError::new(ErrorCode::NotFound, message));
    };
    match (&route, &parts.method) {
        (Route::Aws, &Method::POST) => match read_body(body, config.max_api_body_bytes).await {
            Ok(body) => protocol::handle(backend, parts.headers.get(X_AMZ_TARGET), &body).await,
            Err(err) => reply::aws_error(&err),
        },
        (Route::Health, &Method::GET) => reply::bytes(
            StatusCode::OK,
            HeaderValue::from_static("text/plain; charset=utf-8"),
            "ok",
        ),
        (Route::Metrics, &Method::GET) => reply::bytes(
            StatusCode::OK,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            backend.metrics(),
        ),
        (Route::Modules, &Method::GET) => rest(backend.list_modules().await),
        (Route::Module(raw), method @ (&Method::PUT | &Method::GET | &Method::DELETE)) => {
            let name = match path_name(raw) {
                Ok(name) => name,
                Err(err) => return reply::rest_error(&err),
            };
            match *method {
                Method::PUT => match read_body(body, config.max_module_bytes).await {
                    Ok(component) => rest(backend.put_module(&name, component).await),
                    Err(err) => reply::rest_error(&err),
                },
                Method::GET => rest(backend.describe_module(&name).await),
                _ => match backend.delete_module(&name).await {
                    Ok(()) => reply::bytes(StatusCode::NO_CONTENT, JSON, Bytes::new()),
                    Err(err) => reply::rest_error(&err),
                },
            }
        }
        (Route::Invoke(raw), &Method::POST) => invoke(backend, raw, body, config).await,
        _ => {
            let message = format!(
                "{} does not answer {}; it answers {}",
                excerpt(path),
                parts.method,
                route.allow()
            );
            let mut reply = reply::rest_error(&ApiError::new(ErrorCode::MethodNotAllowed, message));
            reply
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static(route.allow()));
            reply
        }
    }
}

/// A Stepwise route's JSON reply.
fn rest(result: Result<impl Serialize, ApiError>) -> Reply {
    match result {
        Ok(value) => reply::json(StatusCode::OK, JSON, &value),
        Err(err) => reply::rest_error(&err),
    }
}

/// The whole body, if it is at most `limit` bytes.
async fn read_body(body: Incoming, limit: usize) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            ErrorCode::RequestEntityTooLarge,
            format!("The request body is larger than the limit of {limit} bytes"),
        )
    };
    if body.size_hint().lower() > limit as u64 {
        return Err(too_large());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.is::<LengthLimitError>() => Err(too_large()),
        Err(err) => Err(ApiError::new(
            ErrorCode::SerializationException,
            format!("Could not read the request body: {err}"),
        )),
    }
}

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not UTF-8.
fn percent_decode(segment: &str) -> Option<Cow<'_, str>> {
    if !segment.contains('%') {
        return Some(Cow::Borrowed(segment));
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let digit = |b: u8| (b as char).to_digit(16);
            out.push((digit(hex[0])? * 16 + digit(hex[1])?) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

/// A name from a path segment: percent-decoded and checked.
fn path_name(raw: &str) -> Result<Cow<'_, str>, ApiError> {
    let name = percent_decode(raw).ok_or_else(|| {
        ApiError::new(
            ErrorCode::InvalidName,
            format!(
                "Invalid Name: '{}' (not valid percent-encoded UTF-8)",
                excerpt(raw)
            ),
        )
    })?;
    validate_name(&name)?;
    Ok(name)
}

/// The status of a failed sync invoke: 504 for a timeout, 500 for the other
/// `States.*` errors (the workflow itself failed), 502 for a task's own error
/// (`Lambda.*`, custom names: an upstream failure).
pub fn invoke_failure_status(error: &str) -> StatusCode {
    match error {
        "States.Timeout" | "States.HeartbeatTimeout" => StatusCode::GATEWAY_TIMEOUT,
        _ if error.starts_with("States.") => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_GATEWAY,
    }
}

#[derive(Serialize)]
struct Failure<'a> {
    error: &'a str,
    cause: &'a str,
}

/// A sync invoke's error reply: `{"error": ..., "cause": ...}`.
fn failure(status: StatusCode, error: &str, cause: &str) -> Reply {
    reply::json(status, JSON, &Failure { error, cause })
}

/// A sync invoke that ran no execution: the code as `error`, the message as
/// `cause`.
fn invoke_error(err: &ApiError) -> Reply {
    failure(err.code.rest_status(), err.code.as_str(), &err.message)
}

/// The input of a sync invoke: the body as JSON, `{}` when empty.
fn invoke_input(body: Bytes) -> Result<JsonText, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(JsonText::default());
    }
    let invalid = |reason: String| {
        ApiError::new(
            ErrorCode::InvalidExecutionInput,
            format!("Invalid State Machine Execution Input: {reason}"),
        )
    };
    let text =
        String::from_utf8(Vec::from(body)).map_err(|_| invalid("the body is not UTF-8".into()))?;
    JsonText::parse(text).map_err(|err| invalid(err.to_string()))
}

async fn invoke<B: Backend>(backend: &B, raw: &str, body: Incoming, config: &Config) -> Reply {
    let invoked = async {
        let name = path_name(raw)?;
        let input = invoke_input(read_body(body, config.max_invoke_body_bytes).await?)?;
        backend.invoke(&name, input).await
    };
    let Invocation {
        execution_arn,
        outcome,
    } = match invoked.await {
        Ok(invocation) => invocation,
        Err(err) => return invoke_error(&err),
    };
    let mut reply = match outcome {
        InvokeOutcome::Succeeded(output) => reply::bytes(StatusCode::OK, JSON, output),
        InvokeOutcome::Failed { error, cause } => {
            failure(invoke_failure_status(&error), &error, &cause)
        }
    };
    if let Ok(value) = HeaderValue::from_bytes(execution_arn.as_bytes()) {
        reply
            .headers_mut()
            .insert(HeaderName::from_static(EXECUTION_ARN_HEADER), value);
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("plain").unwrap(), "plain");
        assert_eq!(percent_decode("a%20b").unwrap(), "a b");
        assert_eq!(percent_decode("Z%C3%BCrich").unwrap(), "Zürich");
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%+1"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%FF"), None);
    }

    #[test]
    fn path_names_are_checked() {
        assert_eq!(path_name("Z%C3%BCrich").unwrap(), "Zürich");
        assert_eq!(path_name("a%20b").unwrap_err().code, ErrorCode::InvalidName);
        assert_eq!(path_name("a/b").unwrap_err().code, ErrorCode::InvalidName);
        assert_eq!(path_name("").unwrap_err().code, ErrorCode::InvalidName);
        assert!(path_name("%FF")
            .unwrap_err()
            .message
            .contains("percent-encoded"));
    }

    #[test]
    fn failure_statuses() {
        assert_eq!(invoke_failure_status("States.Timeout"), 504);
        assert_eq!(invoke_failure_status("States.HeartbeatTimeout"), 504);
        assert_eq!(invoke_failure_status("States.TaskFailed"), 500);
        assert_eq!(invoke_failure_status("States.Runtime"), 500);
        assert_eq!(invoke_failure_status("Lambda.ServiceException"), 502);
        assert_eq!(invoke_failure_status("OrderRejected"), 502);
    }

    #[test]
    fn invoke_inputs() {
        assert_eq!(invoke_input(Bytes::new()).unwrap(), JsonText::default());
        assert_eq!(
            invoke_input(Bytes::from_static(b" \n")).unwrap(),
            JsonText::default()
        );
        assert_eq!(
            invoke_input(Bytes::from_static(b"[1]")).unwrap().text(),
            "[1]"
        );
        let err = invoke_input(Bytes::from_static(b"{")).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidExecutionInput);
        assert_eq!(err.code.rest_status(), 400);
        let err = invoke_input(Bytes::from_static(b"\xff")).unwrap_err();
        assert!(err.message.contains("UTF-8"));
    }
}
