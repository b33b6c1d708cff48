//! The `stepwise` command.
//!
//! # Layout
//! - `main.rs`: argument parsing (clap), dispatch, and the global allocator
//!   (mimalloc).
//! - [`validate_cmd`]: `stepwise validate FILE`.
//! - [`run_cmd`]: `stepwise run FILE`: one execution in-process, no server.
//! - [`bench_cmd`]: `stepwise bench WORKLOAD...`: the engine benchmark.
//! - [`serve`]: `stepwise serve`: the Step Functions API (AWS's JSON protocol),
//!   module upload and sync invoke on one port, on the driver and a sled store.
//! - [`client`]: `deploy`, `start`, `invoke`, `describe`, `history`,
//!   `send-task-success`/`-failure`, `modules upload|list`: commands against a
//!   running server (`--endpoint-url`, `--json`).
//! - [`local`]: what `run` and `bench` share: ARNs, clocks, loading files.
//! - [`tasks`]: Task states run by the WASM host (`--modules`, `--module`).

mod bench_cmd;
mod client;
mod local;
mod run_cmd;
mod serve;
mod tasks;
mod validate_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc rather than the system allocator: a workflow allocates and frees
/// many small JSON values (a state's input, output and history texts).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Stepwise: Amazon States Language workflows with WebAssembly tasks.
#[derive(Parser)]
#[command(name = "stepwise", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    client: client::Common,
}

#[derive(Subcommand)]
enum Command {
    /// Check a definition the way AWS does; exit 1 when it is invalid.
    Validate(validate_cmd::Args),
    /// Run one execution in-process and print its result.
    Run(run_cmd::Args),
    /// Measure transitions per second on benchmark workloads.
    Bench(bench_cmd::Args),
    /// Serve the Step Functions API, module upload and sync invoke over HTTP.
    Serve(serve::Args),
    #[command(flatten)]
    Client(client::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => validate_cmd::main(args),
        Command::Run(args) => run_cmd::main(args),
        Command::Bench(args) => bench_cmd::main(args),
        Command::Serve(args) => serve::main(args),
        Command::Client(command) => client::main(cli.client, command),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("stepwise: {err:#}");
            ExitCode::from(2)
        }
    }
}
