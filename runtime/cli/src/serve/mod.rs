//! `stepwise serve`: the Step Functions API on one port, backed by the driver
//! and a sled store.
//!
//! # Layout
//! - `mod.rs`: the command's arguments and startup (data directory, store,
//!   WASM host, driver, listener, shutdown on Ctrl-C or SIGTERM).
//! - `backend.rs`: [`ServeBackend`], the [`api::Backend`] implementation; each
//!   method hands over to the module of its group:
//!   - `machines.rs`: Create/Describe/Update/Delete/List state machines,
//!     ValidateStateMachineDefinition, DescribeStateMachineForExecution;
//!   - `executions.rs`: Start/StartSync/Describe/List/Stop executions;
//!   - `history.rs`: GetExecutionHistory (stored events to AWS's shape, pages);
//!   - `tasks.rs`: task tokens (SendTask*) and activities;
//!   - `tags.rs`: Tag/Untag/ListTagsForResource;
//!   - `modules.rs`: `PUT/GET/DELETE /modules`;
//!   - `invoke.rs`: `POST /invoke/<name>`;
//!   - `metrics.rs`: `GET /metrics` from the driver's counters.
//! - `express_rules.rs`: what EXPRESS machines may not use (callbacks, `.sync`,
//!   activities).
//! - `errors.rs`: driver and store errors as AWS error codes.
//! - `util.rs`: times, random ids, pages, durable writes.

mod backend;
mod errors;
mod executions;
mod express_rules;
mod history;
mod invoke;
mod machines;
mod metrics;
mod modules;
mod tags;
mod tasks;
mod util;

pub use backend::ServeBackend;

use anyhow::{anyhow, Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// The address served when neither `--addr` nor `STEPWISE_ADDR` says otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Arguments of `stepwise serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Where state machines, executions and modules are kept (default: the
    /// user's data directory + `/stepwise`).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// The address to listen on (default: `STEPWISE_ADDR`, else 127.0.0.1:8080;
    /// port 0 picks a free port).
    #[arg(long)]
    addr: Option<String>,
    /// The region written into ARNs.
    #[arg(long, default_value = api::arn::DEFAULT_REGION)]
    region: String,
    /// The 12-digit account written into ARNs.
    #[arg(long, default_value = api::arn::DEFAULT_ACCOUNT)]
    account: String,
    /// Write each task's log lines to standard error.
    #[arg(long)]
    task_logs: bool,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub fn main(args: Args) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(args))?;
    Ok(ExitCode::SUCCESS)
}

/// The data directory: `--data-dir`, else the user's data directory.
fn data_dir(args: &Args) -> Result<PathBuf> {
    match &args.data_dir {
        Some(dir) => Ok(dir.clone()),
        None => dirs::data_dir()
            .map(|dir| dir.join("stepwise"))
            .ok_or_else(|| anyhow!("no user data directory is known here; pass --data-dir")),
    }
}

/// The address to listen on: `--addr`, else `STEPWISE_ADDR`, else the default.
fn listen_addr(args: &Args) -> Result<SocketAddr> {
    let text = match &args.addr {
        Some(addr) => addr.clone(),
        None => std::env::var("STEPWISE_ADDR").unwrap_or_else(|_| DEFAULT_ADDR.to_owned()),
    };
    text.parse()
        .with_context(|| format!("'{text}' is not an address such as {DEFAULT_ADDR}"))
}

async fn serve(args: Args) -> Result<()> {
    let arns = api::Arns::new(&args.region, &args.account).map_err(|e| anyhow!("{e}"))?;
    let addr = listen_addr(&args)?;
    let dir = data_dir(&args)?;
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    println!("stepwise: data directory {}", dir.display());

    let store = store::SledStore::open(dir.join("store"))
        .with_context(|| format!("cannot open the store in {}", dir.join("store").display()))?;
    let host =
        wasm_host::Host::new(wasm_host::HostConfig::default().with_cache_dir(dir.join("cache")))
            .context("cannot start the WebAssembly host")?;
    let config = driver::DriverConfig {
        region: arns.region().to_owned(),
        account: arns.account().to_owned(),
        print_task_logs: args.task_logs,
        ..driver::DriverConfig::default()
    };
    let driver =
        driver::Driver::open(Arc::new(store), host, config).context("cannot start the driver")?;
    let backend = Arc::new(ServeBackend::new(driver, arns));

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener
        .local_addr()
        .context("cannot read the bound address")?;
    println!("stepwise: listening on http://{local}");
    api::serve(listener, backend, shutdown_signal()).await;
    println!("stepwise: stopped");
    Ok(())
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
