//! `stepwise bench WORKLOAD...`: the engine benchmark of ../shared/bench.
//!
//! Rules (the bench README's): one process per workload (this command re-runs
//! itself with `--single` for each), definition loading untimed, one untimed
//! warm-up, then up to N timed executions, median reported; every output is
//! checked against `expected_output` and the states entered against
//! `expected_states_entered`; transitions/s = states entered / median time; peak
//! RSS of the process.

use crate::local::{execution_info, read_text};
use anyhow::{bail, Context, Result};
use asl::model::StateMachine;
use chrono::Utc;
use engine::runner::{self, NoTasks, VirtualClock};
use engine::{EngineConfig, Status};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Arguments of `stepwise bench`.
#[derive(clap::Args)]
pub struct Args {
    /// Workload files (../shared/bench/workloads/*.json).
    #[arg(required = true)]
    workloads: Vec<PathBuf>,
    /// Timed executions per workload.
    #[arg(long, default_value_t = 10)]
    n: usize,
    /// Stop timing a workload after this many seconds (at least one run is timed).
    #[arg(long, default_value_t = 60)]
    budget: u64,
    /// Record history events as a Standard execution does (default: none, as Express).
    #[arg(long)]
    history: bool,
    /// Write the results as JSON here (not `--json`: that is the client
    /// commands' global flag).
    #[arg(long = "json-out", value_name = "FILE")]
    json_out: Option<PathBuf>,
    /// Measure one workload in this process (used internally).
    #[arg(long, hide = true)]
    single: bool,
    /// A folder of task components (task-chain-100 needs bench-add-field).
    #[arg(long = "modules", value_name = "DIR")]
    modules: Vec<PathBuf>,
    /// Reuse up to N warm instances per module (0: a fresh instance per task).
    #[arg(long, default_value_t = 0)]
    warm_instances: usize,
}

/// Runs the command.
pub fn main(args: Args) -> Result<ExitCode> {
    if args.single {
        let result = measure(&args)?;
        println!("{result}");
        return Ok(ExitCode::SUCCESS);
    }
    let exe = std::env::current_exe().context("cannot find the stepwise executable")?;
    let mut results = Vec::new();
    println!(
        "{:<20} {:>14} {:>12} {:>10} {:>12}",
        "workload", "transitions/s", "median ms", "runs", "peak RSS MiB"
    );
    for workload in &args.workloads {
        let mut cmd = std::process::Command::new(&exe);
        cmd.arg("bench")
            .arg("--single")
            .arg(workload)
            .arg("--n")
            .arg(args.n.to_string());
        cmd.arg("--budget").arg(args.budget.to_string());
        if args.history {
            cmd.arg("--history");
        }
        for dir in &args.modules {
            cmd.arg("--modules").arg(dir);
        }
        cmd.arg("--warm-instances")
            .arg(args.warm_instances.to_string());
        let out = cmd
            .output()
            .context("cannot run the benchmark child process")?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout.lines().last().unwrap_or_default();
        let result: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(_) => {
                json!({"workload": workload.display().to_string(), "error": String::from_utf8_lossy(&out.stderr).trim().to_string()})
            }
        };
        match result.get("error") {
            Some(error) => println!(
                "{:<20} error: {}",
                result["workload"].as_str().unwrap_or("?"),
                error.as_str().unwrap_or("?")
            ),
            None => println!(
                "{:<20} {:>14.0} {:>12.3} {:>10} {:>12.1}",
                result["workload"].as_str().unwrap_or("?"),
                result["transitions_per_sec"].as_f64().unwrap_or(0.0),
                result["median_ms"].as_f64().unwrap_or(0.0),
                result["runs"].as_u64().unwrap_or(0),
                result["peak_rss_mib"].as_f64().unwrap_or(0.0),
            ),
        }
        results.push(result);
    }
    if let Some(path) = &args.json_out {
        std::fs::write(path, serde_json::to_string_pretty(&results)?)?;
    }
    let failed = results.iter().any(|r| r.get("error").is_some());
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn measure(args: &Args) -> Result<Value> {
    let [path] = args.workloads.as_slice() else {
        bail!("--single takes one workload");
    };
    let workload: Value =
        serde_json::from_str(&read_text(path)?).context("workload is not JSON")?;
    let name = workload["name"].as_str().unwrap_or("workload").to_string();
    let machine = StateMachine::from_value(workload["definition"].clone())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let input = workload["input"].clone();
    let expected = &workload["expected_output"];
    let expected_states = workload["expected_states_entered"].as_u64().unwrap_or(0);
    let config = EngineConfig {
        record_history: args.history,
        ..EngineConfig::default()
    };
    let mut wasm = if args.modules.is_empty() {
        None
    } else {
        let cache = crate::local::default_cache_dir();
        let options = wasm_host::ModuleOptions {
            warm_instances: args.warm_instances,
            ..wasm_host::ModuleOptions::default()
        };
        Some(crate::tasks::WasmTasks::load(
            &args.modules,
            &[],
            cache,
            "bench",
            options,
        )?)
    };
    let mut run_once = || -> Result<Duration> {
        let started = Instant::now();
        let mut clock = VirtualClock::new(Utc::now());
        let info = execution_info(&name, "bench", !args.history, input.clone(), Utc::now())?;
        let mut none = NoTasks;
        let tasks: &mut dyn runner::TaskRunner = match wasm.as_mut() {
            Some(wasm) => wasm,
            None => &mut none,
        };
        let finished = runner::run(&machine, info, config, 1, &mut clock, tasks);
        let elapsed = started.elapsed();
        let execution = finished.execution;
        if execution.status != Status::Succeeded {
            bail!(
                "{name}: execution {} ({}: {})",
                execution.status.as_str(),
                execution.error.unwrap_or_default(),
                execution.cause.unwrap_or_default()
            );
        }
        if execution.output.as_ref() != Some(expected) {
            bail!("{name}: output differs from expected_output");
        }
        if expected_states > 0 && execution.transitions != expected_states {
            bail!(
                "{name}: {} states entered, expected {expected_states}",
                execution.transitions
            );
        }
        Ok(elapsed)
    };
    run_once()?;
    let budget = Duration::from_secs(args.budget);
    let started = Instant::now();
    let mut times = Vec::new();
    while times.len() < args.n.max(1) && (times.is_empty() || started.elapsed() < budget) {
        times.push(run_once()?);
    }
    times.sort();
    let median = times[times.len() / 2];
    let secs = median.as_secs_f64().max(1e-9);
    Ok(json!({
        "workload": name,
        "states_entered": expected_states,
        "runs": times.len(),
        "median_ms": secs * 1000.0,
        "transitions_per_sec": expected_states as f64 / secs,
        "peak_rss_mib": peak_rss_mib(),
        "history": args.history,
    }))
}

/// Peak resident set size of this process (VmHWM), in MiB.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}
