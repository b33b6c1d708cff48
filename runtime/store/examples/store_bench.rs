//! Persisted transitions per second with 1, 8 and 64 writer threads.
//!
//! Each transition is what a Standard execution writes per step: the
//! execution record with a 1 KiB snapshot, 2 history events of ~300 bytes,
//! one timer added and one removed; each writer waits until its transition is
//! durable before the next (group commit shares the flushes).
//!
//! ```text
//! cargo run --release -p stepwise-store --example store_bench -- [--seconds 3]
//!     [--threads 1,8,64] [--no-wait] [--memory] [--snapshot-bytes 1024]
//!     [--dir /path/on/disk]
//! ```
//!
//! The database goes in a fresh directory under `--dir` (default: the system
//! temporary directory; not `/dev/shm`, which would make flushes free).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use store::{
    ExecutionRecord, ExecutionStatus, MachineType, MemoryStore, SledStore, Store, TimerRecord,
    Transition,
};

struct Options {
    seconds: f64,
    threads: Vec<usize>,
    wait: bool,
    memory: bool,
    snapshot_bytes: usize,
    dir: std::path::PathBuf,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        seconds: 3.0,
        threads: vec![1, 8, 64],
        wait: true,
        memory: false,
        snapshot_bytes: 1024,
        dir: std::env::temp_dir(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--seconds" => {
                options.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?
            }
            "--threads" => {
                options.threads = value()?
                    .split(',')
                    .map(|n| n.parse().map_err(|e| format!("--threads: {e}")))
                    .collect::<Result<_, _>>()?
            }
            "--no-wait" => options.wait = false,
            "--memory" => options.memory = true,
            "--snapshot-bytes" => {
                options.snapshot_bytes = value()?
                    .parse()
                    .map_err(|e| format!("--snapshot-bytes: {e}"))?
            }
            "--dir" => options.dir = value()?.into(),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

/// CPU seconds (user + system) this process used so far, on Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Bytes this process wrote to storage so far, on Linux.
fn bytes_written() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    let line = io.lines().find(|line| line.starts_with("write_bytes:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One writer: advances its own execution until `stop`.
fn writer(store: &dyn Store, n: usize, options: &Options, stop: &AtomicBool, done: &AtomicU64) {
    let id = format!("arn:aws:states:us-east-1:123456789012:execution:bench:e{n}");
    let event = |seq: u64| {
        let padding = "x".repeat(240);
        format!(
            r#"{{"id":{seq},"type":"TaskStateEntered","details":{{"name":"S","input":"{padding}"}}}}"#
        )
    };
    let mut record = ExecutionRecord {
        id: id.clone(),
        arn: id.clone(),
        state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:bench".into(),
        name: format!("e{n}"),
        kind: MachineType::Standard,
        status: ExecutionStatus::Running,
        input: "{}".into(),
        start_ms: n as i64,
        snapshot: vec![7; options.snapshot_bytes],
        seq: 2,
        ..ExecutionRecord::default()
    };
    let ticket = store.create_execution(record.clone(), vec![event(1), event(2)]);
    ticket.and_then(|t| t.wait()).expect("create");
    while !stop.load(Ordering::Relaxed) {
        let mut next = record.clone();
        next.seq += 2;
        let timer = |seq: u64| TimerRecord {
            due_ms: 1_000_000 + seq as i64,
            execution_id: id.clone(),
            timer: seq,
        };
        let transition = Transition {
            expected_seq: record.seq,
            events: vec![event(record.seq + 1), event(record.seq + 2)],
            add_timers: vec![timer(next.seq)],
            remove_timers: vec![record.seq],
            execution: next.clone(),
            ..Transition::default()
        };
        let ticket = store.apply(transition).expect("apply");
        if options.wait {
            ticket.wait().expect("durable");
        }
        record = next;
        done.fetch_add(1, Ordering::Relaxed);
    }
}

fn main() -> Result<(), String> {
    let options = options()?;
    println!(
        "backend={} wait_for_durability={} seconds={}",
        if options.memory { "memory" } else { "sled" },
        options.wait,
        options.seconds
    );
    for &threads in &options.threads {
        let dir = tempfile::tempdir_in(&options.dir).map_err(|e| e.to_string())?;
        let sled = if options.memory {
            None
        } else {
            Some(SledStore::open(dir.path()).map_err(|e| e.to_string())?)
        };
        let memory = MemoryStore::new();
        let store: &dyn Store = match &sled {
            Some(sled) => sled,
            None => &memory,
        };
        let stop = AtomicBool::new(false);
        let done = AtomicU64::new(0);
        let flushes_before = sled.as_ref().map_or(0, SledStore::flushes);
        let cpu_before = cpu_seconds();
        let written_before = bytes_written();
        let started = Instant::now();
        std::thread::scope(|scope| {
            for n in 0..threads {
                let (stop, done, options) = (&stop, &done, &options);
                scope.spawn(move || writer(store, n, options, stop, done));
            }
            std::thread::sleep(Duration::from_secs_f64(options.seconds));
            stop.store(true, Ordering::Relaxed);
        });
        let elapsed = started.elapsed().as_secs_f64();
        let transitions = done.load(Ordering::Relaxed);
        if let Some(sled) = &sled {
            let size = sled.size_on_disk().map_err(|e| e.to_string())?;
            println!(
                "size_on_disk={size} per_transition={}",
                size / transitions.max(1)
            );
        }
        let flushes = sled.as_ref().map_or(0, SledStore::flushes) - flushes_before;
        drop(sled); // flushes what is left
        let cpu = match (cpu_before, cpu_seconds()) {
            (Some(before), Some(after)) if transitions > 0 => {
                format!("{:.1}", (after - before) * 1e6 / transitions as f64)
            }
            _ => "?".into(),
        };
        let written = match (written_before, bytes_written()) {
            (Some(before), Some(after)) if transitions > 0 => {
                format!("{:.0}", (after - before) as f64 / transitions as f64)
            }
            _ => "?".into(),
        };
        println!(
            "threads={threads:>3} transitions={transitions:>8} per_second={:>8.0} flushes={flushes:>6} \
             per_flush={:>6.1} cpu_us_per_transition={cpu} disk_bytes_per_transition={written}",
            transitions as f64 / elapsed,
            transitions as f64 / flushes.max(1) as f64,
        );
    }
    Ok(())
}
