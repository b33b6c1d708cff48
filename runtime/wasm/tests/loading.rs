//! Loading components: what is refused (and why), and the compiled-code caches.

mod common;

use common::{guest, host, invocation, json};
use std::path::{Path, PathBuf};
use wasm_host::{CacheStats, Host, HostConfig, LoadError, LoadedFrom, ModuleOptions};

fn load_error(name: &str) -> LoadError {
    host()
        .load(&guest(name), ModuleOptions::default())
        .expect_err("refused")
}

#[test]
fn a_core_module_is_not_a_component() {
    let err = load_error("not-a-component");
    assert_eq!(err, LoadError::NotAComponent);
    assert!(err.to_string().contains("wasm32-wasip2"), "{err}");
}

#[test]
fn text_is_not_wasm() {
    assert_eq!(load_error("not-wasm"), LoadError::NotWasm);
}

#[test]
fn a_component_of_another_world_is_refused() {
    let err = load_error("wrong-world");
    let LoadError::WrongWorld(why) = &err else {
        panic!("{err:?}")
    };
    assert!(
        why.contains("does not export `run") && why.contains("`greet`"),
        "{why}"
    );
    assert!(err.to_string().contains("stepwise:task@0.1.0"), "{err}");
}

#[test]
fn a_run_of_the_wrong_type_is_refused() {
    let err = load_error("wrong-signature");
    let LoadError::WrongWorld(why) = &err else {
        panic!("{err:?}")
    };
    assert!(why.contains("`run` export is not"), "{why}");
}

#[test]
fn a_broken_component_is_invalid() {
    let mut bytes = guest("bench-add-field");
    bytes.truncate(bytes.len() / 2);
    let err = host()
        .load(&bytes, ModuleOptions::default())
        .expect_err("refused");
    assert!(matches!(err, LoadError::Invalid(_)), "{err:?}");
}

#[test]
fn a_memory_limit_over_the_ceiling_is_refused() {
    let options = ModuleOptions {
        memory_limit: host().config().memory_ceiling + 1,
        ..Default::default()
    };
    let err = host()
        .load(&guest("bench-add-field"), options)
        .expect_err("refused");
    assert!(matches!(err, LoadError::Options(_)), "{err:?}");
}

/// The `.cwasm` files under `dir`.
fn cached_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(cached_files(&path));
        } else if path.extension().is_some_and(|e| e == "cwasm") {
            files.push(path);
        }
    }
    files
}

#[test]
fn compiled_code_is_cached_in_memory_and_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = guest("bench-add-field");
    let config = || HostConfig::default().with_cache_dir(dir.path());

    let first = Host::new(config()).unwrap();
    let module = first.load(&bytes, ModuleOptions::default()).unwrap();
    assert_eq!(module.loaded_from(), LoadedFrom::Compiled);
    let again = first.load(&bytes, ModuleOptions::default()).unwrap();
    assert_eq!(again.loaded_from(), LoadedFrom::Memory);
    assert_eq!(again.sha256(), module.sha256());
    assert_eq!(
        first.cache_stats(),
        CacheStats {
            compiled: 1,
            memory_hits: 1,
            ..Default::default()
        }
    );
    let files = cached_files(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0]
        .to_string_lossy()
        .ends_with(&format!("{}.cwasm", module.sha256())));
    drop((module, again, first));

    // A restart: a new engine finds the compiled code on disk.
    let second = Host::new(config()).unwrap();
    let module = second.load(&bytes, ModuleOptions::default()).unwrap();
    assert_eq!(module.loaded_from(), LoadedFrom::DiskCache);
    assert_eq!(
        second.cache_stats(),
        CacheStats {
            disk_hits: 1,
            ..Default::default()
        }
    );
    let out = second
        .invoke(&module, invocation(r#"{"hops": 7}"#))
        .unwrap();
    assert_eq!(json(&out.output)["hops"], 8);
    drop((module, second));

    // A damaged file is dropped and the component compiled again.
    std::fs::write(&files[0], b"not compiled code").unwrap();
    let third = Host::new(config()).unwrap();
    let module = third.load(&bytes, ModuleOptions::default()).unwrap();
    assert_eq!(module.loaded_from(), LoadedFrom::Compiled);
    let out = third.invoke(&module, invocation(r#"{"hops": 1}"#)).unwrap();
    assert_eq!(json(&out.output)["hops"], 2);
}

#[test]
fn a_refused_component_is_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    let host = Host::new(HostConfig::default().with_cache_dir(dir.path())).unwrap();
    assert!(host
        .load(&guest("wrong-world"), ModuleOptions::default())
        .is_err());
    assert!(cached_files(dir.path()).is_empty());
}

#[test]
fn the_host_runs_without_the_pooling_allocator() {
    let host = Host::new(HostConfig {
        pooling: false,
        ..Default::default()
    })
    .unwrap();
    let module = host
        .load(&guest("bench-add-field"), ModuleOptions::default())
        .unwrap();
    let out = host.invoke(&module, invocation("{}")).unwrap();
    assert_eq!(json(&out.output)["hops"], 1);
}
