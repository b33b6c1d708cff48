//! The data a store carries for one invocation, and the host side of the
//! `stepwise:task/context` interface.

use crate::bindings::stepwise::task::context;
use crate::invoke::{CancelToken, HeartbeatSink};
use crate::limits::Limiter;
use crate::logs::{self, Level, LogBuffer, LogSource, Logs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasmtime::component::{Linker, ResourceTable};
use wasmtime::StoreContextMut;
use wasmtime_wasi::clocks::WasiClocksView;
use wasmtime_wasi::p2::bindings::clocks::monotonic_clock::Host as MonotonicClock;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

/// Why the host stopped a running guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Interrupt {
    /// The deadline passed.
    #[error("the task ran past its deadline")]
    Deadline,
    /// No heartbeat within the heartbeat interval.
    #[error("the task sent no heartbeat within its heartbeat interval")]
    Heartbeat,
    /// The caller cancelled the invocation.
    #[error("the invocation was cancelled")]
    Cancelled,
}

/// What one invocation tells the guest, and what the host watches while it runs.
pub(crate) struct Call {
    pub execution_name: String,
    pub state_name: String,
    pub task_token: Option<String>,
    /// When the task must be done.
    pub deadline: Instant,
    /// Whether the deadline is the state's own timeout (reported by
    /// `remaining-millis`) rather than the host's default.
    pub explicit_timeout: bool,
    /// Longest time allowed between heartbeats.
    pub heartbeat: Option<Duration>,
    /// The start, or the last heartbeat.
    pub last_heartbeat: Instant,
    pub on_heartbeat: Option<HeartbeatSink>,
    pub cancel: Option<CancelToken>,
    /// Set when the host interrupted the guest, and why.
    pub interrupted: Option<Interrupt>,
}

impl Call {
    /// A call with nothing to tell (for a store that is not running a task yet).
    pub(crate) fn idle() -> Self {
        let now = Instant::now();
        Call {
            execution_name: String::new(),
            state_name: String::new(),
            task_token: None,
            deadline: now,
            explicit_timeout: false,
            heartbeat: None,
            last_heartbeat: now,
            on_heartbeat: None,
            cancel: None,
            interrupted: None,
        }
    }
}

impl Call {
    /// Longest the guest may sleep from `now`: until just past its deadline or
    /// its heartbeat's due time, when it is stopped anyway.
    fn sleep_limit(&self, now: Instant) -> Duration {
        let mut until = self.deadline;
        if let Some(heartbeat) = self.heartbeat {
            until = until.min(crate::invoke::later(self.last_heartbeat, heartbeat));
        }
        until.saturating_duration_since(now) + Duration::from_millis(1)
    }
}

/// WASI's monotonic clock as wasmtime-wasi 48.0 provides it (the version of
/// its `wasi:clocks` package).
const MONOTONIC_CLOCK: &str = "wasi:clocks/monotonic-clock@0.2.12";

/// Replaces WASI's `subscribe-duration` and `subscribe-instant` with ones that
/// wake the guest no later than its deadline or its heartbeat's due time.
///
/// Epoch interruption only stops a guest that runs WebAssembly code; a guest
/// that sleeps (`std::thread::sleep`, a `poll` on a timer) waits inside the
/// host. With these, it wakes when the deadline passes and is stopped at its
/// next instruction. Sleeps that end before then are untouched.
pub(crate) fn add_bounded_sleeps(linker: &mut Linker<State>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let mut clock = linker.instance(MONOTONIC_CLOCK)?;
    clock.func_wrap(
        "subscribe-duration",
        |mut store: StoreContextMut<'_, State>, (nanos,): (u64,)| {
            let state = store.data_mut();
            let nanos = bounded(nanos, state.call.sleep_limit(Instant::now()));
            Ok((state.clocks().subscribe_duration(nanos)?,))
        },
    )?;
    clock.func_wrap(
        "subscribe-instant",
        |mut store: StoreContextMut<'_, State>, (when,): (u64,)| {
            let state = store.data_mut();
            let limit = state.call.sleep_limit(Instant::now());
            let mut clocks = state.clocks();
            let now = clocks.now()?;
            Ok((clocks.subscribe_duration(bounded(when.saturating_sub(now), limit))?,))
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

/// `nanos`, at most `limit`.
fn bounded(nanos: u64, limit: Duration) -> u64 {
    nanos.min(u64::try_from(limit.as_nanos()).unwrap_or(u64::MAX))
}

/// A store's data: WASI's state, the limiter, the logs and the current call.
pub(crate) struct State {
    pub wasi: WasiCtx,
    pub table: ResourceTable,
    pub limiter: Limiter,
    pub logs: Logs,
    pub call: Call,
}

impl State {
    /// Fresh state: WASI with no files, environment, arguments or network, and
    /// stdout/stderr going to the logs.
    pub(crate) fn new(limiter: Limiter, max_log_bytes: usize) -> Self {
        let logs: Logs = Arc::new(Mutex::new(LogBuffer::new(max_log_bytes)));
        let wasi = WasiCtx::builder()
            .stdout(logs::CaptureStream {
                logs: logs.clone(),
                source: LogSource::Stdout,
            })
            .stderr(logs::CaptureStream {
                logs: logs.clone(),
                source: LogSource::Stderr,
            })
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        State {
            wasi,
            table: ResourceTable::new(),
            limiter,
            logs,
            call: Call::idle(),
        }
    }
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl From<context::Level> for Level {
    fn from(level: context::Level) -> Self {
        match level {
            context::Level::Trace => Level::Trace,
            context::Level::Debug => Level::Debug,
            context::Level::Info => Level::Info,
            context::Level::Warn => Level::Warn,
            context::Level::Error => Level::Error,
        }
    }
}

/// `types` has no functions; only its `task-error` record.
impl crate::bindings::stepwise::task::types::Host for State {}

impl context::Host for State {
    fn log(&mut self, level: context::Level, message: String) {
        logs::lock(&self.logs).push(level.into(), LogSource::Context, message);
    }

    fn heartbeat(&mut self) {
        self.call.last_heartbeat = Instant::now();
        if let Some(sink) = &self.call.on_heartbeat {
            sink();
        }
    }

    fn execution_name(&mut self) -> String {
        self.call.execution_name.clone()
    }

    fn state_name(&mut self) -> String {
        self.call.state_name.clone()
    }

    fn task_token(&mut self) -> Option<String> {
        self.call.task_token.clone()
    }

    fn remaining_millis(&mut self) -> Option<u64> {
        self.call.explicit_timeout.then(|| {
            let left = self.call.deadline.saturating_duration_since(Instant::now());
            u64::try_from(left.as_millis()).unwrap_or(u64::MAX)
        })
    }
}
