//! A server on 127.0.0.1 (port 0) in its own runtime and thread, a raw HTTP/1.1
//! client over `std::net::TcpStream`, and runners for boto3 and the AWS CLI.

use crate::fake::Fake;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

/// The module upload limit of the test server (small, to test it cheaply).
pub const MODULE_LIMIT: usize = 1 << 20;

/// A running server; dropping it shuts the server down and waits for it.
pub struct Server {
    pub port: u16,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Self {
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                port_tx
                    .send(listener.local_addr().expect("address").port())
                    .expect("port");
                let config = api::Config {
                    max_module_bytes: MODULE_LIMIT,
                    shutdown_grace: Duration::from_secs(5),
                    ..api::Config::default()
                };
                api::serve_with_config(listener, Arc::new(Fake::default()), config, stop).await;
            });
        });
        let port = port_rx.recv().expect("the server starts");
        Server {
            port,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A new raw connection.
    pub fn connect(&self) -> Conn {
        Conn::open(self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts an AWS-shaped error and returns its message.
    #[track_caller]
    pub fn error(&self, status: u16, code: &str) -> String {
        let body = self.json();
        assert_eq!(
            (self.status, body["__type"].as_str()),
            (status, Some(code)),
            "{body}"
        );
        assert_eq!(self.header("x-amzn-ErrorType"), Some(code));
        body["message"].as_str().expect("a message").to_owned()
    }
}

/// One keep-alive connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    pub fn open(port: u16) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        // A hung server fails the test instead of hanging it.
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        Conn {
            reader: BufReader::new(stream),
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.reader.get_mut().write_all(bytes).expect("write");
    }

    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        self.send(&bytes);
        self.read_reply()
    }

    pub fn aws(&mut self, operation: &str, body: &str) -> Reply {
        let target = format!("AWSStepFunctions.{operation}");
        self.request(
            "POST",
            "/",
            &[
                ("X-Amz-Target", &target),
                ("Content-Type", "application/x-amz-json-1.0"),
            ],
            body.as_bytes(),
        )
    }

    pub fn read_reply(&mut self) -> Reply {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {line:?}"));
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).expect("header");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').expect("header line");
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
        let length = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().expect("length"));
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).expect("body");
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Whether the server closed the connection.
    pub fn is_closed(&mut self) -> bool {
        let mut byte = [0];
        matches!(self.reader.read(&mut byte), Ok(0) | Err(_))
    }
}

/// Runs a Python script with `client` (boto3, Step Functions, at the server)
/// and `botocore` already set up; asserts it exits 0 and returns its stdout.
pub fn python(server: &Server, script: &str) -> String {
    let preamble = format!(
        "import boto3, botocore, datetime, json\n\
         from botocore.config import Config\n\
         client = boto3.client('stepfunctions', endpoint_url='{}', region_name='us-east-1',\n\
             aws_access_key_id='x', aws_secret_access_key='x',\n\
             config=Config(retries={{'max_attempts': 1}}))\n",
        server.endpoint()
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(format!("{preamble}{script}"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `aws stepfunctions <args>` against the server.
pub fn aws_cli(server: &Server, args: &[&str]) -> Output {
    Command::new("aws")
        .arg("stepfunctions")
        .args(args)
        .args(["--endpoint-url", &server.endpoint(), "--output", "json"])
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("aws runs")
}
