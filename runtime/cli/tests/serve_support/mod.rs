//! What the `serve_*` tests share: a real `stepwise serve` on a free port with
//! its own data directory, and the Python scenarios of `serve_boto3.py`.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a server may take to start (the first start compiles nothing, but
/// a loaded CI machine is slow).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running `stepwise serve`; killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>`
    pub endpoint: String,
    /// The data directory.
    pub data_dir: PathBuf,
}

impl Server {
    /// Starts a server on `data_dir` and waits for its "listening" line.
    pub fn start(data_dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stepwise"))
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("stepwise serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Keeps reading so the server never blocks on a full pipe.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(endpoint) = line.strip_prefix("stepwise: listening on ") {
                    let _ = tx.send(endpoint.to_owned());
                }
            }
        });
        let endpoint = match rx.recv_timeout(START_TIMEOUT) {
            Ok(endpoint) => endpoint,
            Err(_) => {
                let _ = child.kill();
                panic!("stepwise serve did not print its address");
            }
        };
        Server {
            child,
            endpoint,
            data_dir: data_dir.to_owned(),
        }
    }

    /// Kills the server with SIGKILL (no shutdown, no final flush) and waits
    /// for it to be gone.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `tests/serve_boto3.py`.
pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/serve_boto3.py")
}

/// The guest components `scripts/build-guests` builds, if they were built.
pub fn guests_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/guests");
    dir.join("bench-add-field.wasm").is_file().then_some(dir)
}

/// Runs `python3 serve_boto3.py <endpoint> <scenario> <args...>`; panics with
/// its output unless it exits 0. Returns its standard output.
pub fn scenario(server: &Server, name: &str, args: &[&str]) -> String {
    let output = python(
        &[
            script().to_str().expect("UTF-8 path"),
            &server.endpoint,
            name,
        ],
        args,
    );
    check(name, &output);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs python3 with `first` then `rest` as arguments.
pub fn python(first: &[&str], rest: &[&str]) -> Output {
    Command::new("python3")
        .args(first)
        .args(rest)
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .expect("python3 runs")
}

/// Panics with the command's output unless it succeeded.
pub fn check(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A fresh temporary directory for a server's data.
pub fn data_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("stepwise-serve-test-")
        .tempdir()
        .expect("temporary directory")
}
