//! The api crate end to end: a real server on 127.0.0.1 (port 0) over a fake
//! in-memory backend, driven by real clients: boto3, the AWS CLI, and raw HTTP.
//! One test binary, so the fake and the harness are compiled once.

mod aws_cli;
mod boto3;
mod fake;
mod harness;
mod raw_http;
