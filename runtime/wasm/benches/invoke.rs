//! Per-invocation overhead of the host against raw wasmtime.
//!
//! `cargo bench -p stepwise-wasm` (needs `target/guests`, built on first use by
//! `scripts/build-guests --rust-only`). Each case runs the `bench-add-field`
//! component on a 100-byte JSON input:
//!
//! - raw wasmtime: `TaskPre::instantiate` + `run` in a fresh store with an empty
//!   WASI context, no limits, no logs, no checks (the floor), with the pooling
//!   allocator's defaults, then with its memory reset tuned as the host's;
//! - host, fresh instance: `Host::invoke` (the default), everything included:
//!   store data, limits, deadline, log capture, output size and JSON checks;
//! - host, warm instance: `Host::invoke` with `warm_instances: 1`;
//! - host without the pooling allocator;
//!
//! then the load times: compiling the component, and reading it from the disk
//! cache as a restarted host does.
//!
//! Prints the median and 99th percentile of single calls, and the mean.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};
use wasm_host::{Host, HostConfig, ModuleOptions, TaskInvocation};
use wasmtime::component::{HasSelf, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

/// The benchmark's input: exactly 100 bytes of JSON.
const INPUT: &str = r#"{"orderId":"o-1234","customer":"ada@example.com","items":[{"sku":"BOOK-1","qty":2}],"hops":0,"p":""}"#;

const ITERATIONS: usize = 20_000;
const WARMUP: usize = 2_000;

mod raw {
    wasmtime::component::bindgen!({ path: "../../wit", world: "task" });
}

/// Store data of the raw case: WASI's and nothing else.
struct RawState {
    wasi: WasiCtx,
    table: wasmtime::component::ResourceTable,
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

/// Times `f` ITERATIONS times after WARMUP calls; prints and returns the median.
fn measure(name: &str, mut f: impl FnMut()) -> Duration {
    for _ in 0..WARMUP {
        f();
    }
    let mut times = Vec::with_capacity(ITERATIONS);
    let all = Instant::now();
    for _ in 0..ITERATIONS {
        let start = Instant::now();
        f();
        times.push(start.elapsed());
    }
    let mean = all.elapsed() / ITERATIONS as u32;
    times.sort();
    let median = times[times.len() / 2];
    let p99 = times[times.len() * 99 / 100];
    println!(
        "{name:<44} median {:>8.2} µs   p99 {:>8.2} µs   mean {:>8.2} µs",
        micros(median),
        micros(p99),
        micros(mean)
    );
    median
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn raw_wasmtime(name: &str, bytes: &[u8], tuned: bool) -> Duration {
    let mut config = Config::new();
    let mut pool = PoolingAllocationConfig::new();
    if tuned {
        // What the host does: reset used memory in place.
        pool.pagemap_scan(wasmtime::Enabled::Auto)
            .linear_memory_keep_resident(wasm_host::DEFAULT_KEEP_RESIDENT)
            .table_keep_resident(64 * 1024);
    }
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    let engine = Engine::new(&config).unwrap();
    let mut linker = Linker::<RawState>::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    raw::Task::add_to_linker::<RawState, HasSelf<RawState>>(&mut linker, |s| s).unwrap();
    let component = wasmtime::component::Component::new(&engine, bytes).unwrap();
    let pre = raw::TaskPre::new(linker.instantiate_pre(&component).unwrap()).unwrap();
    measure(name, || {
        let mut store = Store::new(
            &engine,
            RawState {
                wasi: WasiCtx::builder().build(),
                table: wasmtime::component::ResourceTable::new(),
            },
        );
        let task = pre.instantiate(&mut store).unwrap();
        let out = task.call_run(&mut store, INPUT).unwrap().unwrap();
        assert!(out.contains(r#""hops":1"#));
    })
}

fn host_case(name: &str, host: &Host, options: ModuleOptions) -> Duration {
    let module = host
        .load(&common::guest("bench-add-field"), options)
        .unwrap();
    measure(name, || {
        let mut invocation = TaskInvocation::new(INPUT);
        invocation.timeout = Some(Duration::from_secs(10));
        invocation.state_name = "Step".into();
        let out = host.invoke(&module, invocation).unwrap();
        assert!(out.output.contains(r#""hops":1"#));
    })
}

fn loads(bytes: &[u8]) {
    let dir = std::env::temp_dir().join(format!("stepwise-wasm-bench-{}", std::process::id()));
    let config = || HostConfig::default().with_cache_dir(&dir);
    let host = Host::new(config()).unwrap();
    let start = Instant::now();
    drop(host.load(bytes, ModuleOptions::default()).unwrap());
    println!(
        "{:<44} {:>8.2} ms",
        "load: compile (cache miss), write the cache",
        start.elapsed().as_secs_f64() * 1e3
    );
    drop(host);
    let mut times = Vec::new();
    for _ in 0..20 {
        let host = Host::new(config()).unwrap();
        let start = Instant::now();
        let module = host.load(bytes, ModuleOptions::default()).unwrap();
        times.push(start.elapsed());
        assert_eq!(module.loaded_from(), wasm_host::LoadedFrom::DiskCache);
    }
    times.sort();
    println!(
        "{:<44} {:>8.2} ms (median of 20 restarts)",
        "load: from the disk cache (deserialize_file)",
        times[10].as_secs_f64() * 1e3
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    // `cargo test --benches` runs this with `--bench`-less arguments: keep it short.
    let quick = !std::env::args().any(|a| a == "--bench");
    let bytes = common::guest("bench-add-field");
    if quick {
        let host = Host::new(HostConfig::default()).unwrap();
        let module = host.load(&bytes, ModuleOptions::default()).unwrap();
        host.invoke(&module, TaskInvocation::new(INPUT)).unwrap();
        return;
    }
    println!(
        "bench-add-field, {}-byte JSON input, {ITERATIONS} calls each",
        INPUT.len()
    );
    raw_wasmtime("raw wasmtime: instantiate + call, pooling", &bytes, false);
    let raw = raw_wasmtime("raw wasmtime: same, pooling as the host's", &bytes, true);
    let host = Host::new(HostConfig::default()).unwrap();
    let fresh = host_case(
        "host: invoke, fresh instance (default)",
        &host,
        ModuleOptions::default(),
    );
    host_case(
        "host: invoke, warm instance",
        &host,
        ModuleOptions {
            warm_instances: 1,
            ..Default::default()
        },
    );
    let unpooled = Host::new(HostConfig {
        pooling: false,
        ..Default::default()
    })
    .unwrap();
    host_case(
        "host: invoke, fresh instance, no pooling",
        &unpooled,
        ModuleOptions::default(),
    );
    println!(
        "host overhead over raw wasmtime with the same pooling (medians): {:.2} µs",
        micros(fresh.saturating_sub(raw))
    );
    loads(&bytes);
}
