//! `stepwise run FILE`: one execution in-process, no server. The last line of
//! standard output is one JSON object with DescribeExecution's fields.

use crate::local::{
    execution_info, machine_name, parse_input, random_seed, random_uuid, read_text, RealClock,
};
use anyhow::{Context, Result};
use asl::model::StateMachine;
use chrono::Utc;
use engine::runner::{self, Clock, NoTasks, VirtualClock};
use engine::{EngineConfig, Status};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// Standard or Express.
#[derive(Clone, Copy, clap::ValueEnum)]
#[clap(rename_all = "UPPERCASE")]
pub enum ExecutionType {
    /// Durable semantics, full history.
    Standard,
    /// In-memory semantics.
    Express,
}

/// Arguments of `stepwise run`.
#[derive(clap::Args)]
pub struct Args {
    /// The definition (ASL JSON); `-` reads standard input.
    file: PathBuf,
    /// The execution input: JSON text or file://PATH.
    #[arg(long, default_value = "{}")]
    input: String,
    /// The state machine type.
    #[arg(long = "type", value_enum, default_value = "STANDARD")]
    kind: ExecutionType,
    /// The execution name (default: a random UUID).
    #[arg(long)]
    name: Option<String>,
    /// Print the history events (one JSON object per line) before the result.
    #[arg(long)]
    history: bool,
    /// Virtual time: Wait states and retry backoff return at once, with the same result.
    #[arg(long)]
    fast_timers: bool,
    /// A folder of task components: each NAME.wasm is module NAME (repeatable).
    #[arg(long = "modules", value_name = "DIR")]
    modules: Vec<PathBuf>,
    /// One task component as NAME=PATH (repeatable).
    #[arg(long = "module", value_name = "NAME=PATH")]
    module: Vec<String>,
    /// Where compiled components are cached (default: the user's cache folder).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
}

/// Runs the command.
pub fn main(args: Args) -> Result<ExitCode> {
    let text = read_text(&args.file)?;
    let machine = match StateMachine::parse(&text) {
        Ok(m) => m,
        Err(err) => {
            for d in &err.diagnostics {
                eprintln!(
                    "error: {}: {} [{}]",
                    if d.location.is_empty() {
                        "/"
                    } else {
                        &d.location
                    },
                    d.message,
                    d.code
                );
            }
            println!(
                "{}",
                json!({"status": "FAILED", "error": "States.Runtime", "cause": format!("Invalid State Machine Definition: {err}")})
            );
            return Ok(ExitCode::from(1));
        }
    };
    warn_ignored_fields(&machine);
    let input = parse_input(&args.input)?;
    let express = matches!(args.kind, ExecutionType::Express);
    let name = args.name.unwrap_or_else(random_uuid);
    let mut clock: Box<dyn Clock> = if args.fast_timers {
        Box::new(VirtualClock::new(Utc::now()))
    } else {
        Box::new(RealClock)
    };
    let start = clock.now();
    let info = execution_info(&machine_name(&args.file), &name, express, input, start)?;
    let config = EngineConfig {
        record_history: args.history || !express,
        ..EngineConfig::default()
    };
    let mut wasm;
    let mut none = NoTasks;
    let tasks: &mut dyn runner::TaskRunner = if args.modules.is_empty() && args.module.is_empty() {
        &mut none
    } else {
        let cache = args
            .cache_dir
            .clone()
            .or_else(crate::local::default_cache_dir);
        let options = wasm_host::ModuleOptions::default();
        wasm = crate::tasks::WasmTasks::load(&args.modules, &args.module, cache, &name, options)?;
        &mut wasm
    };
    let finished = runner::run(&machine, info, config, random_seed(), clock.as_mut(), tasks);
    if args.history {
        for event in &finished.history {
            println!("{}", serde_json::to_string(event).context("history event")?);
        }
    }
    let execution = &finished.execution;
    println!("{}", execution.describe());
    Ok(match execution.status {
        Status::Succeeded => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    })
}

/// Task `Credentials` (an IAM role to assume) mean nothing to a local run: say so
/// rather than silently ignoring them.
fn warn_ignored_fields(machine: &StateMachine) {
    for state in machine.machines.iter().flat_map(|m| &m.states) {
        if let asl::model::StateKind::Task(spec) = &state.kind {
            if spec.credentials.is_some() {
                eprintln!(
                    "warning: state '{}': Credentials are ignored (tasks run as WASM components, not under an IAM role)",
                    state.name
                );
            }
        }
    }
}
