//! Building responses: JSON bodies, the two error shapes and plain text.

use crate::error::{ApiError, ErrorCode};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderValue, CONNECTION, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde::Serialize;

/// A response with its whole body in memory.
pub(crate) type Reply = Response<Full<Bytes>>;

/// The content type of the AWS JSON 1.0 protocol.
pub(crate) const AWS_JSON: HeaderValue = HeaderValue::from_static("application/x-amz-json-1.0");
/// The content type of Stepwise's own JSON routes.
pub(crate) const JSON: HeaderValue = HeaderValue::from_static("application/json");
/// The error code header some AWS clients read instead of `__type`.
const ERROR_TYPE: &str = "x-amzn-errortype";

/// A response with this status, content type and body.
pub(crate) fn bytes(
    status: StatusCode,
    content_type: HeaderValue,
    body: impl Into<Bytes>,
) -> Reply {
    let mut reply = Response::new(Full::new(body.into()));
    *reply.status_mut() = status;
    reply.headers_mut().insert(CONTENT_TYPE, content_type);
    reply
}

/// `value` as JSON; a value that cannot be written (a bug) is an
/// `InternalFailure`.
pub(crate) fn json(status: StatusCode, content_type: HeaderValue, value: &impl Serialize) -> Reply {
    match serde_json::to_vec(value) {
        Ok(body) => bytes(status, content_type, body),
        Err(err) => error(
            &ApiError::new(
                ErrorCode::InternalFailure,
                format!("could not write the response: {err}"),
            ),
            StatusCode::INTERNAL_SERVER_ERROR,
            content_type,
        ),
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    #[serde(rename = "__type")]
    code: &'a str,
    message: &'a str,
}

/// `{"__type": code, "message": ...}` with `x-amzn-ErrorType`, and
/// `Connection: close` when the request body was left unread (too large).
fn error(err: &ApiError, status: StatusCode, content_type: HeaderValue) -> Reply {
    let body = ErrorBody {
        code: err.code.as_str(),
        message: &err.message,
    };
    let body = serde_json::to_vec(&body).unwrap_or_default();
    let mut reply = bytes(status, content_type, body);
    let headers = reply.headers_mut();
    headers.insert(ERROR_TYPE, HeaderValue::from_static(err.code.as_str()));
    if err.code == ErrorCode::RequestEntityTooLarge {
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    reply
}

/// An error on the AWS protocol route.
pub(crate) fn aws_error(err: &ApiError) -> Reply {
    error(err, err.code.aws_status(), AWS_JSON)
}

/// An error on a Stepwise route in the AWS shape (`/modules`, 404s).
pub(crate) fn rest_error(err: &ApiError) -> Reply {
    error(err, err.code.rest_status(), JSON)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn body(reply: Reply) -> Vec<u8> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime
            .block_on(reply.into_body().collect())
            .unwrap()
            .to_bytes()
            .to_vec()
    }

    #[test]
    fn error_shape() {
        let reply = aws_error(&ApiError::new(
            ErrorCode::InvalidArn,
            "Invalid Arn: 'x' \"quoted\"",
        ));
        assert_eq!(reply.status(), 400);
        assert_eq!(reply.headers()["x-amzn-ErrorType"], "InvalidArn");
        assert_eq!(
            reply.headers()["content-type"],
            "application/x-amz-json-1.0"
        );
        assert!(reply.headers().get("connection").is_none());
        let value: serde_json::Value = serde_json::from_slice(&body(reply)).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"__type": "InvalidArn", "message": "Invalid Arn: 'x' \"quoted\""})
        );
        let reply = rest_error(&ApiError::new(ErrorCode::RequestEntityTooLarge, "big"));
        assert_eq!(reply.status(), 413);
        assert_eq!(reply.headers()["connection"], "close");
        let reply = aws_error(&ApiError::new(ErrorCode::InternalFailure, "bug"));
        assert_eq!(reply.status(), 500);
    }
}
