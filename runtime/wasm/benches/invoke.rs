//! The host's per-task overhead against raw wasmtime, and the components' load
//! times, for the Rust, Python and JavaScript example guests.
//!
//! ```text
//! cargo bench -p stepwise-wasm --bench invoke                # everything (~1-2 min)
//! cargo bench -p stepwise-wasm --bench invoke -- calls       # only the call table
//! cargo bench -p stepwise-wasm --bench invoke -- loads       # only the load table
//! cargo bench -p stepwise-wasm --bench invoke -- variants    # only the Rust variants
//! cargo bench -p stepwise-wasm --bench invoke -- price-order # one guest's calls
//! ```
//!
//! Needs `target/guests` (`scripts/build-guests`; the Rust guests are built on
//! first use, a missing Python or JavaScript guest is skipped with a note).
//!
//! **calls**: for `bench-add-field` (Rust), `validate-order` (Python,
//! componentize-py) and `price-order` (JavaScript, componentize-js), each on a
//! valid 100-byte JSON input, the time of one task call:
//!
//! - raw wasmtime, the floor: an `Engine` configured as the host's (component
//!   model, epoch interruption, the pooling allocator sized and tuned the same),
//!   a `Linker` with WASI p2 and the task world, a `WasiCtx` of the same shape
//!   (no network); per call only `Store::new` + `TaskPre::instantiate` +
//!   `call_run` + reading the result (and the epoch deadline the engine needs);
//! - host, fresh: `Host::invoke` with the default options (a new instance per
//!   call), everything included: store data, limits, deadline, log capture,
//!   output size and JSON checks;
//! - host, warm: `Host::invoke` with `warm_instances: 1` (the instance is reused).
//!
//! The host keeps its compiled code under cargo's temporary folder
//! (`CARGO_TARGET_TMPDIR/wasm-host-cache`, as the integration tests do) and the
//! raw engine reads the same files, so only the first run compiles these guests.
//! The three run in alternating rounds (after a warm-up each), so that a noisy
//! machine slows them alike. Prints the median, 99th percentile and mean of single
//! calls, then a table of medians with host fresh / raw fresh (the goal: at most
//! 1.5).
//!
//! **loads**: for each example guest (not the hostile ones), its size, the
//! time of `Host::load` with an empty cache folder (validation, compilation,
//! writing the cache; median of 3 for Rust guests, one run for Python and
//! JavaScript, which take seconds) and with that folder warm, as a restarted
//! host loads it (median of 5), and the size of the cached compiled code.
//!
//! **variants** (Rust guest only): raw wasmtime with the pooling allocator's
//! default memory reset, and the host without the pooling allocator.
//!
//! `cargo test --benches` runs it without `--bench`: then it only checks that
//! each guest present accepts its input, through the host and the raw path.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use wasm_host::{Host, HostConfig, LoadedFrom, ModuleOptions, TaskInvocation};
use wasmtime::component::{Component, HasSelf, Linker, ResourceTable};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

/// A guest of the call benchmark: its input and a piece of its expected output.
struct CallGuest {
    name: &'static str,
    language: &'static str,
    /// Valid JSON, exactly 100 bytes.
    input: &'static str,
    /// Found in the output of a successful call.
    expect: &'static str,
    /// Timed calls per case, and warm-up calls per case.
    calls: usize,
    warmup: usize,
}

const CALL_GUESTS: &[CallGuest] = &[
    CallGuest {
        name: "bench-add-field",
        language: "Rust",
        input: r#"{"orderId":"o-1234","customer":"ada@example.com","items":[{"sku":"BOOK-1","qty":2}],"hops":0,"p":""}"#,
        expect: r#""hops":1"#,
        calls: 20_000,
        warmup: 2_000,
    },
    CallGuest {
        name: "validate-order",
        language: "Python",
        input: r#"{"orderId":"o-12","customer":"ada@example.com","items":[{"sku":"BOOK-1","quantity":2,"price":12.5}]}"#,
        expect: r#""total":25.0"#,
        calls: 1_000,
        warmup: 50,
    },
    CallGuest {
        name: "price-order",
        language: "JS",
        input: r#"{"orderId":"o1","items":[{"sku":"BK","quantity":2,"price":12.5}],"discountPercent":10,"taxRate":0.2}"#,
        expect: r#""total":27"#,
        calls: 1_000,
        warmup: 50,
    },
];

/// Every example guest (the hostile and malformed ones left out), with its language.
const LOAD_GUESTS: &[(&str, &str)] = &[
    ("bench-add-field", "Rust"),
    ("reserve-inventory", "Rust"),
    ("charge-payment", "Rust"),
    ("refund-payment", "Rust"),
    ("release-inventory", "Rust"),
    ("transform-record", "Rust"),
    ("notify-approver", "Rust"),
    ("validate-order", "Python"),
    ("price-order", "JS"),
];

/// Rounds the timed calls of each case are split into (cases alternate by round).
const ROUNDS: usize = 20;

mod raw {
    wasmtime::component::bindgen!({ path: "../../wit", world: "task" });
}

/// Store data of the raw case: WASI's and nothing else.
struct RawState {
    wasi: WasiCtx,
    table: ResourceTable,
}

impl RawState {
    /// The host's WASI shape: no files, environment, arguments or network
    /// (stdout and stderr are discarded rather than captured).
    fn new() -> Self {
        RawState {
            wasi: WasiCtx::builder()
                .allow_tcp(false)
                .allow_udp(false)
                .allow_ip_name_lookup(false)
                .build(),
            table: ResourceTable::new(),
        }
    }
}

impl WasiView for RawState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl raw::stepwise::task::types::Host for RawState {}

impl raw::stepwise::task::context::Host for RawState {
    fn log(&mut self, _: raw::stepwise::task::context::Level, _: String) {}
    fn heartbeat(&mut self) {}
    fn execution_name(&mut self) -> String {
        String::new()
    }
    fn state_name(&mut self) -> String {
        String::new()
    }
    fn task_token(&mut self) -> Option<String> {
        None
    }
    fn remaining_millis(&mut self) -> Option<u64> {
        None
    }
}

/// Raw wasmtime: an engine and a linker, and how to run a component on them.
struct Raw {
    engine: Engine,
    linker: Linker<RawState>,
}

impl Raw {
    /// With `host_pool`, the engine is configured as the host's (see
    /// `engine_config` in src/engine.rs) for `HostConfig::default()`; without,
    /// it uses the pooling allocator's defaults.
    fn new(host_pool: bool) -> Raw {
        let defaults = HostConfig::default();
        let mut config = Config::new();
        config
            .wasm_component_model(true)
            .epoch_interruption(true)
            .parallel_compilation(true)
            .wasm_backtrace_details(wasmtime::WasmBacktraceDetails::Disable);
        let mut pool = PoolingAllocationConfig::new();
        if host_pool {
            let slots = defaults.instance_slots;
            pool.total_component_instances(slots)
                .total_core_instances(slots * 8)
                .total_memories(slots * 2)
                .total_tables(slots * 4)
                .total_stacks(1)
                .max_memory_size(defaults.memory_ceiling)
                .table_elements(defaults.table_elements)
                .pagemap_scan(wasmtime::Enabled::Auto)
                .linear_memory_keep_resident(defaults.keep_resident)
                .table_keep_resident(64 * 1024);
        }
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        let engine = Engine::new(&config).unwrap();
        let mut linker = Linker::<RawState>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
        raw::Task::add_to_linker::<RawState, HasSelf<RawState>>(&mut linker, |s| s).unwrap();
        Raw { engine, linker }
    }

    /// Compiles `bytes`, or reads the compiled code `module`'s host cached under
    /// `cache` when this engine can use it (same wasmtime and settings).
    fn prepare(
        &self,
        bytes: &[u8],
        cached_by: Option<(&Path, &wasm_host::Module)>,
    ) -> raw::TaskPre<RawState> {
        let cached = cached_by.and_then(|(dir, module)| {
            let file = find_file(dir, &format!("{}.cwasm", module.sha256()))?;
            // SAFETY: the file is wasmtime's own `serialize` output, written by
            // the host's disk cache; wasmtime checks its header.
            unsafe { Component::deserialize_file(&self.engine, file).ok() }
        });
        let component = cached.unwrap_or_else(|| Component::new(&self.engine, bytes).unwrap());
        raw::TaskPre::new(self.linker.instantiate_pre(&component).unwrap()).unwrap()
    }
}

/// The one call of the raw case.
#[inline(never)]
fn raw_call(raw: &Raw, pre: &raw::TaskPre<RawState>, guest: &CallGuest) {
    let mut store = Store::new(&raw.engine, RawState::new());
    store.set_epoch_deadline(1 << 40);
    let task = pre.instantiate(&mut store).unwrap();
    let out = task.call_run(&mut store, guest.input).unwrap().unwrap();
    assert!(out.contains(guest.expect), "{}: {out}", guest.name);
}

/// The one call of the host cases, with the names and timeout a Task state gives.
#[inline(never)]
fn host_call(host: &Host, module: &wasm_host::Module, guest: &CallGuest) {
    let mut invocation = TaskInvocation::new(guest.input);
    invocation.timeout = Some(Duration::from_secs(10));
    invocation.execution_name = "exec-1".into();
    invocation.state_name = "Step".into();
    let out = host.invoke(module, invocation).unwrap();
    assert!(
        out.output.contains(guest.expect),
        "{}: {}",
        guest.name,
        out.output
    );
}

/// Median, 99th percentile and mean of single calls.
#[derive(Debug, Clone, Copy)]
struct Stats {
    median: Duration,
    p99: Duration,
    mean: Duration,
}

impl Stats {
    fn of(mut times: Vec<Duration>) -> Stats {
        times.sort();
        let total: Duration = times.iter().sum();
        Stats {
            median: times[times.len() / 2],
            p99: times[times.len() * 99 / 100],
            mean: total / times.len() as u32,
        }
    }

    fn print(&self, name: &str) {
        println!(
            "  {name:<40} median {:>9.2} µs   p99 {:>9.2} µs   mean {:>9.2} µs",
            micros(self.median),
            micros(self.p99),
            micros(self.mean)
        );
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Warms each case up with `warmup` calls, then times `calls` single calls of
/// each, the cases taking turns in [`ROUNDS`] rounds.
fn interleaved(calls: usize, warmup: usize, cases: &mut [&mut dyn FnMut()]) -> Vec<Stats> {
    for case in cases.iter_mut() {
        for _ in 0..warmup {
            case();
        }
    }
    let per_round = calls.div_ceil(ROUNDS);
    let mut times = vec![Vec::with_capacity(per_round * ROUNDS); cases.len()];
    for _ in 0..ROUNDS {
        for (case, times) in cases.iter_mut().zip(&mut times) {
            for _ in 0..per_round {
                let start = Instant::now();
                case();
                times.push(start.elapsed());
            }
        }
    }
    times.into_iter().map(Stats::of).collect()
}

/// `target/guests/NAME.wasm`, or `None` for a missing Python or JavaScript guest
/// (the Rust ones are built when missing).
fn guest_bytes(name: &str, language: &str) -> Option<Vec<u8>> {
    if language == "Rust" {
        return Some(common::guest(name));
    }
    let path = common::repo().join(format!("target/guests/{name}.wasm"));
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            println!(
                "  {name}: {} missing, skipped (run scripts/build-guests)",
                path.display()
            );
            None
        }
    }
}

/// A new empty folder under the system's temporary folder.
fn temp_dir(what: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "stepwise-wasm-bench-{}-{what}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The file called `name` somewhere under `dir`.
fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, name) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}

/// The disk cache of `common::host()`, kept across runs under cargo's
/// temporary folder: the call benchmark does not compile again on a rerun.
fn shared_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wasm-host-cache")
}

/// One row of the call table.
struct CallRow {
    name: &'static str,
    language: &'static str,
    raw: Stats,
    fresh: Stats,
    warm: Stats,
}

fn calls(only: &[&str]) {
    println!("== calls: one task call on a 100-byte JSON input (alternating rounds)");
    let raw = Raw::new(true);
    let mut rows = Vec::new();
    for guest in CALL_GUESTS {
        if !only.is_empty() && !only.contains(&guest.name) {
            continue;
        }
        assert_eq!(guest.input.len(), 100, "{}'s input", guest.name);
        let Some(bytes) = guest_bytes(guest.name, guest.language) else {
            continue;
        };
        // The raw engine (same settings) reads the code the host compiled
        // rather than compiling again.
        let host = common::host();
        let fresh_module = host.load(&bytes, ModuleOptions::default()).unwrap();
        let warm_module = host
            .load(
                &bytes,
                ModuleOptions {
                    warm_instances: 1,
                    ..Default::default()
                },
            )
            .unwrap();
        let pre = raw.prepare(&bytes, Some((&shared_cache(), &fresh_module)));
        println!(
            "{} ({}), {} calls per case:",
            guest.name, guest.language, guest.calls
        );
        let stats = interleaved(
            guest.calls,
            guest.warmup,
            &mut [
                &mut || raw_call(&raw, &pre, guest),
                &mut || host_call(host, &fresh_module, guest),
                &mut || host_call(host, &warm_module, guest),
            ],
        );
        stats[0].print("raw wasmtime: instantiate + call");
        stats[1].print("host: invoke, fresh instance");
        stats[2].print("host: invoke, warm instance");
        rows.push(CallRow {
            name: guest.name,
            language: guest.language,
            raw: stats[0],
            fresh: stats[1],
            warm: stats[2],
        });
    }
    println!();
    println!(
        "{:<16} {:<7} {:>13} {:>14} {:>12} {:>13} {:>11}",
        "guest", "lang", "raw fresh µs", "host fresh µs", "fresh/raw", "host warm µs", "warm/raw"
    );
    for row in &rows {
        let ratio = |s: Stats| s.median.as_secs_f64() / row.raw.median.as_secs_f64();
        println!(
            "{:<16} {:<7} {:>13.2} {:>14.2} {:>11.2}x {:>13.2} {:>10.2}x",
            row.name,
            row.language,
            micros(row.raw.median),
            micros(row.fresh.median),
            ratio(row.fresh),
            micros(row.warm.median),
            ratio(row.warm),
        );
    }
    println!("(medians; goal: host fresh / raw fresh at most 1.50x)");
}

fn loads() {
    println!("== loads: Host::load with an empty cache folder (compile) and a warm one");
    println!(
        "{:<18} {:<7} {:>10} {:>11} {:>13} {:>12}",
        "guest", "lang", "wasm KiB", "cwasm KiB", "compile ms", "cached ms"
    );
    for &(name, language) in LOAD_GUESTS {
        let Some(bytes) = guest_bytes(name, language) else {
            continue;
        };
        let runs = if language == "Rust" { 3 } else { 1 };
        let mut compiles = Vec::new();
        let mut warm = None;
        for _ in 0..runs {
            let dir = temp_dir("loads");
            let host = Host::new(HostConfig::default().with_cache_dir(&dir)).unwrap();
            let start = Instant::now();
            let module = host.load(&bytes, ModuleOptions::default()).unwrap();
            compiles.push(start.elapsed());
            assert_eq!(module.loaded_from(), LoadedFrom::Compiled);
            drop((module, host));
            if let Some(old) = warm.replace(dir) {
                let _ = std::fs::remove_dir_all(old);
            }
        }
        let dir = warm.unwrap();
        let mut cached = Vec::new();
        let mut sha = String::new();
        for _ in 0..5 {
            let host = Host::new(HostConfig::default().with_cache_dir(&dir)).unwrap();
            let start = Instant::now();
            let module = host.load(&bytes, ModuleOptions::default()).unwrap();
            cached.push(start.elapsed());
            assert_eq!(module.loaded_from(), LoadedFrom::DiskCache);
            sha = module.sha256();
        }
        let cwasm = find_file(&dir, &format!("{sha}.cwasm"))
            .and_then(|path| std::fs::metadata(path).ok())
            .map_or("-".to_string(), |m| {
                format!("{:.0}", m.len() as f64 / 1024.0)
            });
        let _ = std::fs::remove_dir_all(&dir);
        let median = |mut times: Vec<Duration>| {
            times.sort();
            times[times.len() / 2]
        };
        println!(
            "{:<18} {:<7} {:>10.0} {:>11} {:>13.1} {:>12.2}",
            name,
            language,
            bytes.len() as f64 / 1024.0,
            cwasm,
            millis(median(compiles)),
            millis(median(cached)),
        );
    }
    println!(
        "(compile: median of 3 for Rust, one run for Python and JS; cached: median of 5 restarts)"
    );
}

fn variants() {
    println!("== variants: bench-add-field, 20000 calls each");
    let guest = &CALL_GUESTS[0];
    let bytes = common::guest(guest.name);
    let defaults = Raw::new(false);
    let defaults_pre = defaults.prepare(&bytes, None);
    let unpooled = Host::new(HostConfig {
        pooling: false,
        ..Default::default()
    })
    .unwrap();
    let module = unpooled.load(&bytes, ModuleOptions::default()).unwrap();
    let stats = interleaved(
        guest.calls,
        guest.warmup,
        &mut [
            &mut || raw_call(&defaults, &defaults_pre, guest),
            &mut || host_call(&unpooled, &module, guest),
        ],
    );
    stats[0].print("raw wasmtime, pooling allocator defaults");
    stats[1].print("host: fresh instance, no pooling");
}

/// `cargo test --benches`: one call of each guest present, raw and through the
/// host (a Python or JavaScript guest takes seconds to compile).
fn check() {
    let host = common::host();
    let raw = Raw::new(true);
    for guest in CALL_GUESTS {
        let Some(bytes) = guest_bytes(guest.name, guest.language) else {
            continue;
        };
        let module = host.load(&bytes, ModuleOptions::default()).unwrap();
        host_call(host, &module, guest);
        raw_call(
            &raw,
            &raw.prepare(&bytes, Some((&shared_cache(), &module))),
            guest,
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        check();
        return;
    }
    // Words are sections (calls, loads, variants) or guests of the call table.
    let (guests, sections): (Vec<&str>, Vec<&str>) = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .partition(|a| CALL_GUESTS.iter().any(|g| g.name == *a));
    let wanted = |name: &str| {
        sections.contains(&name) || (sections.is_empty() && (guests.is_empty() || name == "calls"))
    };
    if wanted("calls") {
        calls(&guests);
        println!();
    }
    if wanted("loads") {
        loads();
        println!();
    }
    if wanted("variants") {
        variants();
    }
}
