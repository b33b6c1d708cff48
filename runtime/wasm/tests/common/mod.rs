//! Shared by the integration tests: the real guest components of
//! `scripts/build-guests` (built on first use when `target/guests` lacks them) and
//! one host per test binary.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Once, OnceLock};
use wasm_host::{Host, HostConfig, Module, ModuleOptions, TaskInvocation};

/// Every component the tests use.
pub const GUESTS: &[&str] = &[
    "bench-add-field",
    "reserve-inventory",
    "charge-payment",
    "refund-payment",
    "release-inventory",
    "transform-record",
    "notify-approver",
    "hostile-loop",
    "hostile-alloc",
    "hostile-recursion",
    "hostile-panic",
    "hostile-big-output",
    "hostile-trap-at-start",
    "not-a-component",
    "not-wasm",
    "wrong-world",
    "wrong-signature",
];

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `target/guests`, where `scripts/build-guests` puts the components (always under
/// the repository, whatever CARGO_TARGET_DIR says).
fn guests_dir() -> PathBuf {
    repo().join("target/guests")
}

/// Whether any test component is missing from `target/guests`.
fn guests_missing() -> bool {
    GUESTS
        .iter()
        .any(|g| !guests_dir().join(format!("{g}.wasm")).is_file())
}

/// The bytes of `target/guests/NAME.wasm`. When any guest is missing, runs
/// `scripts/build-guests --rust-only` first (once, under a file lock, since test
/// runners such as nextest run tests in parallel processes); fails with what to
/// do if that does not produce it.
pub fn guest(name: &str) -> Vec<u8> {
    static CHECKED: Once = Once::new();
    CHECKED.call_once(|| {
        if !guests_missing() {
            return;
        }
        let target = repo().join("target");
        std::fs::create_dir_all(&target).expect("target/ can be created");
        let lock = std::fs::File::create(target.join(".build-guests.lock"))
            .expect("the build lock can be created");
        lock.lock().expect("the build lock can be taken");
        if !guests_missing() {
            return;
        }
        let status = Command::new("bash")
            .arg(repo().join("scripts/build-guests"))
            .arg("--rust-only")
            .current_dir(repo())
            .env_remove("CARGO_TARGET_DIR")
            .status();
        if !matches!(&status, Ok(s) if s.success()) {
            panic!(
                "target/guests lacks the test components and `scripts/build-guests --rust-only` failed ({status:?}); run it by hand and look at its output"
            );
        }
    });
    let path = guests_dir().join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); run `scripts/build-guests --rust-only` to build the test components",
            path.display()
        )
    })
}

/// One host for the whole test binary, with its compiled components cached under
/// cargo's per-target temporary folder (so a rerun does not compile them again).
pub fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(|| {
        let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wasm-host-cache");
        Host::new(HostConfig::default().with_cache_dir(cache)).expect("the host starts")
    })
}

/// `target/guests/NAME.wasm` loaded on the shared host with default options.
pub fn module(name: &str) -> Module {
    module_with(name, ModuleOptions::default())
}

/// `target/guests/NAME.wasm` loaded on the shared host.
pub fn module_with(name: &str, options: ModuleOptions) -> Module {
    host()
        .load(&guest(name), options)
        .unwrap_or_else(|e| panic!("{name} loads: {e}"))
}

/// An invocation of `input` with the names a Task state would give.
pub fn invocation(input: &str) -> TaskInvocation {
    let mut invocation = TaskInvocation::new(input);
    invocation.execution_name = "exec-1".into();
    invocation.state_name = "Step".into();
    invocation
}

/// Parses JSON text.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
