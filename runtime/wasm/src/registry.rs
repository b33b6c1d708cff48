//! Loading components: validation against the task world, compile once (or
//! read the disk cache), and the in-memory map of loaded components.

use crate::bindings::TaskPre;
use crate::cache::{self, Digest256, DiskCache};
use crate::context::State;
use crate::engine::Host;
use crate::errors::LoadError;
use crate::invoke::WarmPool;
use crate::limits::DEFAULT_MEMORY_LIMIT;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use wasmtime::component::{Component, Linker};
use wasmtime::Engine;

/// How a module runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleOptions {
    /// Memory an instance may use, in bytes, over all its memories; growing
    /// past it stops the task with `States.TaskFailed`. At most the host's
    /// `memory_ceiling`. Default: [`DEFAULT_MEMORY_LIMIT`] (128 MiB).
    pub memory_limit: usize,
    /// Instances kept after a successful invocation and reused by the next
    /// ones (the guest's memory and globals carry over; an instance that
    /// trapped is never reused). `0`, the default, gives every invocation a
    /// fresh instance.
    pub warm_instances: usize,
}

impl Default for ModuleOptions {
    fn default() -> Self {
        ModuleOptions {
            memory_limit: DEFAULT_MEMORY_LIMIT,
            warm_instances: 0,
        }
    }
}

/// Where a [`Module`]'s compiled code came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadedFrom {
    /// Compiled from the component's bytes by this load.
    Compiled,
    /// Read from the disk cache (compiled by an earlier run).
    DiskCache,
    /// Already loaded in this process (another [`Module`] with the same bytes).
    Memory,
}

/// How loads were served since the host started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Components compiled from their bytes.
    pub compiled: u64,
    /// Components read from the disk cache.
    pub disk_hits: u64,
    /// Loads of components already in memory.
    pub memory_hits: u64,
    /// Compiled components that could not be written to the disk cache.
    pub disk_write_errors: u64,
}

/// A compiled, validated component, ready to instantiate.
pub(crate) struct Compiled {
    pub digest: Digest256,
    pub pre: TaskPre<State>,
}

/// A loaded task component. Cheap to clone; clones share warm instances.
#[derive(Clone)]
pub struct Module {
    pub(crate) compiled: Arc<Compiled>,
    pub(crate) options: ModuleOptions,
    pub(crate) warm: Arc<WarmPool>,
    loaded_from: LoadedFrom,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("sha256", &self.sha256())
            .field("options", &self.options)
            .field("loaded_from", &self.loaded_from)
            .finish_non_exhaustive()
    }
}

impl Module {
    /// Hex sha256 of the component's bytes (its content address).
    pub fn sha256(&self) -> String {
        cache::hex(&self.compiled.digest)
    }

    /// Where its compiled code came from.
    pub fn loaded_from(&self) -> LoadedFrom {
        self.loaded_from
    }

    /// Instances kept warm for the next invocations right now (never more than
    /// [`ModuleOptions::warm_instances`]).
    pub fn warm_instances(&self) -> usize {
        self.warm.len()
    }

    /// The options it runs with.
    pub fn options(&self) -> &ModuleOptions {
        &self.options
    }
}

/// Loaded components by content address, the disk cache and the counters.
pub(crate) struct Registry {
    cache: Option<DiskCache>,
    loaded: Mutex<HashMap<Digest256, Weak<Compiled>>>,
    compiled: AtomicU64,
    disk_hits: AtomicU64,
    memory_hits: AtomicU64,
    disk_write_errors: AtomicU64,
}

impl Registry {
    pub(crate) fn new(cache: Option<DiskCache>) -> Self {
        Registry {
            cache,
            loaded: Mutex::new(HashMap::new()),
            compiled: AtomicU64::new(0),
            disk_hits: AtomicU64::new(0),
            memory_hits: AtomicU64::new(0),
            disk_write_errors: AtomicU64::new(0),
        }
    }

    fn in_memory(&self, digest: &Digest256) -> Option<Arc<Compiled>> {
        let loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        loaded.get(digest).and_then(Weak::upgrade)
    }

    fn remember(&self, compiled: &Arc<Compiled>) {
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        loaded.retain(|_, module| module.strong_count() > 0);
        loaded.insert(compiled.digest, Arc::downgrade(compiled));
    }
}

impl Host {
    /// Loads a task component from its bytes: checks that it implements the
    /// `task` world, then takes its compiled code from memory, from the disk
    /// cache, or compiles it (and writes the disk cache).
    pub fn load(&self, bytes: &[u8], options: ModuleOptions) -> Result<Module, LoadError> {
        let inner = &self.inner;
        if options.memory_limit == 0 || options.memory_limit > inner.config.memory_ceiling {
            return Err(LoadError::Options(format!(
                "memory_limit is {} bytes; it must be between 1 and the host's memory_ceiling of {} bytes",
                options.memory_limit, inner.config.memory_ceiling
            )));
        }
        check_header(bytes)?;
        let registry = &inner.registry;
        let digest = cache::sha256(bytes);
        let module = |compiled, loaded_from| Module {
            compiled,
            options,
            warm: Arc::new(WarmPool::default()),
            loaded_from,
        };
        if let Some(compiled) = registry.in_memory(&digest) {
            registry.memory_hits.fetch_add(1, Ordering::Relaxed);
            return Ok(module(compiled, LoadedFrom::Memory));
        }
        let cached = registry
            .cache
            .as_ref()
            .and_then(|cache| cache.load(&inner.engine, &digest));
        let (component, loaded_from) = match cached {
            Some(component) => (component, LoadedFrom::DiskCache),
            None => (
                Component::new(&inner.engine, bytes)
                    .map_err(|err| LoadError::Invalid(format!("{err:#}")))?,
                LoadedFrom::Compiled,
            ),
        };
        let pre = check_world(&inner.engine, &inner.linker, &component)?;
        match loaded_from {
            LoadedFrom::Compiled => {
                registry.compiled.fetch_add(1, Ordering::Relaxed);
                if let Some(cache) = &registry.cache {
                    if cache.store(&digest, &component).is_err() {
                        registry.disk_write_errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            _ => {
                registry.disk_hits.fetch_add(1, Ordering::Relaxed);
            }
        }
        let compiled = Arc::new(Compiled { digest, pre });
        registry.remember(&compiled);
        Ok(module(compiled, loaded_from))
    }

    /// How loads were served so far.
    pub fn cache_stats(&self) -> CacheStats {
        let registry = &self.inner.registry;
        CacheStats {
            compiled: registry.compiled.load(Ordering::Relaxed),
            disk_hits: registry.disk_hits.load(Ordering::Relaxed),
            memory_hits: registry.memory_hits.load(Ordering::Relaxed),
            disk_write_errors: registry.disk_write_errors.load(Ordering::Relaxed),
        }
    }
}

/// Tells apart "not WebAssembly", "a core module" and "a component" from the
/// preamble (magic number, then version and layer).
fn check_header(bytes: &[u8]) -> Result<(), LoadError> {
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err(LoadError::NotWasm);
    }
    // Core modules have layer 0 (version 1); components have layer 1.
    if bytes[6..8] == [0, 0] {
        return Err(LoadError::NotAComponent);
    }
    Ok(())
}

/// Interfaces a task may import: the host's `context`, the type-only `types`,
/// and the WASI 0.2 interfaces the linker provides (files, sockets and name
/// lookup are present but deny everything: no preopens, no addresses).
const ALLOWED_IMPORTS: &[&str] = &[
    "stepwise:task/context@0.1.",
    "stepwise:task/types@0.1.",
    "wasi:io/",
    "wasi:clocks/",
    "wasi:random/",
    "wasi:cli/",
    "wasi:filesystem/",
    "wasi:sockets/",
];

/// Checks that `component` implements the task world; gives what to
/// instantiate it from.
fn check_world(
    engine: &Engine,
    linker: &Linker<State>,
    component: &Component,
) -> Result<TaskPre<State>, LoadError> {
    let ty = component.component_type();
    let foreign: Vec<String> = ty
        .imports(engine)
        .map(|(name, _)| name)
        .filter(|name| !ALLOWED_IMPORTS.iter().any(|ok| name.starts_with(ok)))
        .map(|name| format!("`{name}`"))
        .collect();
    if !foreign.is_empty() {
        return Err(LoadError::WrongWorld(format!(
            "it imports {}, which a task cannot use (a task may import stepwise:task/context@0.1.0 and WASI 0.2 clocks, random and stdio)",
            foreign.join(", ")
        )));
    }
    if !ty.exports(engine).any(|(name, _)| name == "run") {
        let exports: Vec<String> = ty
            .exports(engine)
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        return Err(LoadError::WrongWorld(format!(
            "it does not export `run: func(input: string) -> result<string, task-error>` (its exports: {})",
            if exports.is_empty() {
                "none".to_string()
            } else {
                exports.join(", ")
            }
        )));
    }
    let pre = linker.instantiate_pre(component).map_err(|err| {
        LoadError::WrongWorld(format!(
            "its imports do not match what the host provides: {err:#}"
        ))
    })?;
    TaskPre::new(pre).map_err(|err| {
        LoadError::WrongWorld(format!(
            "its `run` export is not `func(input: string) -> result<string, task-error>`: {err:#}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preamble_tells_modules_components_and_other_bytes_apart() {
        assert_eq!(check_header(b""), Err(LoadError::NotWasm));
        assert_eq!(
            check_header(b"{\"not\": \"wasm\"}"),
            Err(LoadError::NotWasm)
        );
        assert_eq!(
            check_header(b"\0asm\x01\0\0\0"),
            Err(LoadError::NotAComponent)
        );
        assert_eq!(check_header(b"\0asm\x0d\0\x01\0"), Ok(()));
    }
}
