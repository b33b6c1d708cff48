//! The host: one wasmtime engine per process, its linker, and the ticker
//! thread that drives epoch interruption.

use crate::bindings;
use crate::cache::DiskCache;
use crate::context::{self, State};
use crate::errors::HostError;
use crate::limits::{
    DEFAULT_EPOCH_TICK, DEFAULT_INSTANCE_SLOTS, DEFAULT_KEEP_RESIDENT, DEFAULT_MAX_LOG_BYTES,
    DEFAULT_MEMORY_CEILING, DEFAULT_TABLE_ELEMENTS, DEFAULT_TIMEOUT,
};
use crate::registry::Registry;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use wasmtime::component::{HasSelf, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

/// How the host is set up. Every field has a `DEFAULT_*` constant.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// Where compiled components are kept across restarts; `None` compiles
    /// every component on each start. Default: `None`.
    pub cache_dir: Option<PathBuf>,
    /// How often the epoch advances, which bounds how late a deadline or a
    /// missed heartbeat is noticed. Default: [`DEFAULT_EPOCH_TICK`] (5 ms).
    pub epoch_tick: Duration,
    /// Deadline of an invocation that gives no timeout. Default:
    /// [`DEFAULT_TIMEOUT`] (60 s).
    pub default_timeout: Duration,
    /// Use wasmtime's pooling allocator (instances reuse preallocated slots,
    /// about twice as fast to create). Default: `true`.
    pub pooling: bool,
    /// With pooling: component instances that can exist at once, running or
    /// warm. Default: [`DEFAULT_INSTANCE_SLOTS`] (100).
    pub instance_slots: u32,
    /// With pooling: bytes at the start of each used memory slot kept mapped
    /// between instances and reset in place (faster than giving the pages back
    /// and faulting them in again, at the price of that much resident memory
    /// per slot ever used). Default: [`DEFAULT_KEEP_RESIDENT`] (2 MiB).
    pub keep_resident: usize,
    /// Largest memory limit a module may have, in bytes. Default:
    /// [`DEFAULT_MEMORY_CEILING`] (1 GiB).
    pub memory_ceiling: usize,
    /// Elements a table may hold. Default: [`DEFAULT_TABLE_ELEMENTS`] (20 000).
    pub table_elements: usize,
    /// Log bytes kept per invocation. Default: [`DEFAULT_MAX_LOG_BYTES`] (256 KiB).
    pub max_log_bytes: usize,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            cache_dir: None,
            epoch_tick: DEFAULT_EPOCH_TICK,
            default_timeout: DEFAULT_TIMEOUT,
            pooling: true,
            instance_slots: DEFAULT_INSTANCE_SLOTS,
            keep_resident: DEFAULT_KEEP_RESIDENT,
            memory_ceiling: DEFAULT_MEMORY_CEILING,
            table_elements: DEFAULT_TABLE_ELEMENTS,
            max_log_bytes: DEFAULT_MAX_LOG_BYTES,
        }
    }
}

impl HostConfig {
    /// The same configuration with compiled components cached in `dir`.
    pub fn with_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }
}

/// Runs task components. Cheap to clone (the clones share one engine); use one
/// per process. Safe to use from many threads at once.
#[derive(Clone)]
pub struct Host {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub engine: Engine,
    pub linker: Linker<State>,
    pub config: HostConfig,
    pub registry: Registry,
    _ticker: Ticker,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Host {
    /// Starts a host: the engine, the linker, the epoch ticker and, with a
    /// cache directory, the compiled-component cache.
    pub fn new(config: HostConfig) -> Result<Host, HostError> {
        if config.epoch_tick.is_zero() {
            return Err(HostError::Config("epoch_tick must be above zero".into()));
        }
        let engine = Engine::new(&engine_config(&config))
            .map_err(|err| HostError::Engine(format!("{err:#}")))?;
        let mut linker = Linker::<State>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)
            .map_err(|err| HostError::Engine(format!("{err:#}")))?;
        bindings::Task::add_to_linker::<State, HasSelf<State>>(&mut linker, |state| state)
            .map_err(|err| HostError::Engine(format!("{err:#}")))?;
        context::add_bounded_sleeps(&mut linker)
            .map_err(|err| HostError::Engine(format!("{err:#}")))?;
        let cache = match &config.cache_dir {
            Some(dir) => Some(DiskCache::open(dir, &engine)?),
            None => None,
        };
        let ticker = Ticker::start(engine.clone(), config.epoch_tick)
            .map_err(|err| HostError::Engine(format!("the epoch ticker could not start: {err}")))?;
        Ok(Host {
            inner: Arc::new(Inner {
                engine,
                linker,
                config,
                registry: Registry::new(cache),
                _ticker: ticker,
            }),
        })
    }

    /// The configuration the host runs with.
    pub fn config(&self) -> &HostConfig {
        &self.inner.config
    }
}

/// wasmtime's configuration: components, epoch interruption, the pooling
/// allocator sized from `config`.
fn engine_config(config: &HostConfig) -> Config {
    let mut wasmtime = Config::new();
    wasmtime
        .wasm_component_model(true)
        .epoch_interruption(true)
        .parallel_compilation(true)
        .wasm_backtrace_details(wasmtime::WasmBacktraceDetails::Disable);
    if config.pooling {
        let slots = config.instance_slots.max(1);
        let mut pool = PoolingAllocationConfig::new();
        pool.total_component_instances(slots)
            // A Rust guest is a handful of core modules (its code, WASI's
            // adapter, shims) with one memory and a few tables.
            .total_core_instances(slots.saturating_mul(8))
            .total_memories(slots.saturating_mul(2))
            .total_tables(slots.saturating_mul(4))
            // Only async calls (which the host does not make) use stacks.
            .total_stacks(1)
            .max_memory_size(config.memory_ceiling)
            .table_elements(config.table_elements)
            // Reset a used slot by rewriting only its dirty pages (Linux 6.7+;
            // elsewhere the low `keep_resident` bytes are rewritten) rather
            // than unmapping them: a fresh instance then costs a third.
            .pagemap_scan(wasmtime::Enabled::Auto)
            .linear_memory_keep_resident(config.keep_resident)
            .table_keep_resident(TABLE_KEEP_RESIDENT);
        wasmtime.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    }
    wasmtime
}

/// Bytes of each used table slot kept mapped between instances: 64 KiB.
const TABLE_KEEP_RESIDENT: usize = 64 * 1024;

/// Most ticks the ticker makes up for after waking late.
const MAX_CATCH_UP_TICKS: u128 = 1000;

/// A thread that advances the engine's epoch every tick until dropped.
struct Ticker {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    fn start(engine: Engine, tick: Duration) -> std::io::Result<Ticker> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("stepwise-wasm-epoch".into())
            .spawn(move || {
                // Ticks are due at fixed times (start + n * tick), so a late
                // wake-up does not push every later tick back: the epoch keeps
                // counting real time, and deadlines in ticks stay accurate.
                let mut due = Instant::now() + tick;
                loop {
                    let wait = due.saturating_duration_since(Instant::now());
                    match stopped.recv_timeout(wait) {
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                        _ => break,
                    }
                    engine.increment_epoch();
                    due += tick;
                    let now = Instant::now();
                    if due <= now {
                        // Woken late by more than a tick: count the missed
                        // ticks, unless far behind (a suspended machine).
                        let missed = (now - due).as_nanos() / tick.as_nanos() + 1;
                        if missed <= MAX_CATCH_UP_TICKS {
                            for _ in 0..missed {
                                engine.increment_epoch();
                                due += tick;
                            }
                        } else {
                            due = now + tick;
                        }
                    }
                }
            })?;
        Ok(Ticker {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
