//! A load generator for the sync invoke route: starts the server in-process
//! over the test suite's fake backend, then keeps `--connections` keep-alive
//! connections busy with `POST /invoke/<name>` for `--seconds`, and prints the
//! throughput and latency percentiles.
//!
//! ```text
//! cargo run --release -p stepwise-api --example invoke_load -- --connections 16 --seconds 5
//! ```
//!
//! Client and server share the machine, so the numbers are a floor.

#[path = "../tests/api/fake.rs"]
mod fake;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const INPUT: &str = r#"{"order":{"id":42,"items":[{"sku":"a","qty":1},{"sku":"b","qty":2}]}}"#;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Sends `request`, reads one reply; returns its status.
fn round_trip(stream: &mut TcpStream, request: &[u8], buf: &mut Vec<u8>) -> u16 {
    stream.write_all(request).expect("write");
    buf.clear();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).expect("read");
        assert!(n > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = std::str::from_utf8(&buf[..end]).expect("head");
        let length: usize = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse().expect("length"))
            })
            .unwrap_or(0);
        if buf.len() >= end + 4 + length {
            return head[9..12].parse().expect("status");
        }
    }
}

fn main() {
    let connections = arg("--connections", 16) as usize;
    let seconds = arg("--seconds", 5);
    let server_threads = arg("--server-threads", 1) as usize;

    let (port_tx, port_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(server_threads)
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
            api::serve(
                listener,
                Arc::new(fake::Fake::default()),
                std::future::pending::<()>(),
            )
            .await;
        });
    });
    let port = port_rx.recv().expect("port");

    let create = r#"{"name":"orders","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}","roleArn":"arn:aws:iam::123456789012:role/r"}"#;
    let mut setup = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.CreateStateMachine\r\nContent-Length: {}\r\n\r\n{create}",
        create.len()
    );
    assert_eq!(
        round_trip(&mut setup, request.as_bytes(), &mut Vec::new()),
        200
    );

    let request = Arc::new(format!(
        "POST /invoke/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{INPUT}",
        INPUT.len()
    ));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (request, stop) = (Arc::clone(&request), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                let mut buf = Vec::with_capacity(8192);
                let mut latencies = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let start = Instant::now();
                    assert_eq!(round_trip(&mut stream, request.as_bytes(), &mut buf), 200);
                    latencies.push(start.elapsed());
                }
                latencies
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut latencies: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("worker"))
        .collect();
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{} requests in {:.2?} over {connections} connections: {:.0} req/s; p50 {:.2?}, p99 {:.2?}, p99.9 {:.2?}, max {:.2?}",
        latencies.len(),
        elapsed,
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        pct(0.999),
        latencies[latencies.len() - 1],
    );
}
