//! Task states run by the WASM host: `--modules DIR` (each `NAME.wasm` is module
//! NAME) and `--module NAME=PATH`, resolved from the Task's Resource by
//! [`engine::resource::resolve`].

use anyhow::{bail, Context, Result};
use asl::errors::{Failure, TASK_FAILED};
use engine::effect::TaskRequest;
use engine::resource::{self, Shape, TaskTarget};
use engine::runner::TaskRunner;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use wasm_host::{Host, HostConfig, Module, ModuleOptions};

/// Runs tasks with loaded components.
pub struct WasmTasks {
    host: Host,
    /// Each module's file, loaded (compiled or read from the cache) on first use.
    files: BTreeMap<String, PathBuf>,
    /// Modules loaded so far, or why one could not be (a task using it fails with that).
    modules: BTreeMap<String, Result<Module, String>>,
    /// How modules run (memory limit, warm instances).
    options: ModuleOptions,
    /// Resources already resolved to a loaded module, for those whose
    /// resolution does not depend on the task's input (all but `lambda:invoke`):
    /// a workflow calls the same few resources again and again.
    resolved: Vec<(String, Module)>,
    execution_name: String,
}

/// Most resources [`WasmTasks`] remembers the module of.
const MAX_RESOLVED: usize = 32;

impl WasmTasks {
    /// Finds every `NAME.wasm` of `dirs` and each `NAME=PATH` of `pairs`; each is
    /// loaded when a task first uses it, through the on-disk cache in `cache_dir`.
    pub fn load(
        dirs: &[PathBuf],
        pairs: &[String],
        cache_dir: Option<PathBuf>,
        execution_name: &str,
        options: ModuleOptions,
    ) -> Result<WasmTasks> {
        let mut config = HostConfig::default();
        if let Some(dir) = cache_dir {
            config = config.with_cache_dir(dir);
        }
        let host = Host::new(config).context("cannot start the WASM host")?;
        let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
        for dir in dirs {
            let entries =
                std::fs::read_dir(dir).with_context(|| format!("--modules {}", dir.display()))?;
            for entry in entries {
                let path = entry?.path();
                if path.extension().and_then(|e| e.to_str()) == Some("wasm") {
                    if let Some(name) = path.file_stem().and_then(|s| s.to_str()) {
                        files.insert(name.to_string(), path.clone());
                    }
                }
            }
        }
        for pair in pairs {
            let Some((name, path)) = pair.split_once('=') else {
                bail!("--module {pair}: expected NAME=PATH");
            };
            files.insert(name.to_string(), PathBuf::from(path));
        }
        Ok(WasmTasks {
            host,
            files,
            modules: BTreeMap::new(),
            options,
            resolved: Vec::new(),
            execution_name: execution_name.to_string(),
        })
    }

    /// The module `name`, loading it on first use; `None` when no file names it.
    fn module(&mut self, name: &str) -> Option<&Result<Module, String>> {
        if !self.modules.contains_key(name) {
            let path = self.files.get(name)?;
            let loaded = load_module(&self.host, path, self.options).map_err(|e| {
                format!(
                    "module '{name}' ({}) cannot be loaded: {e:#}",
                    path.display()
                )
            });
            self.modules.insert(name.to_string(), loaded);
        }
        self.modules.get(name)
    }
}

fn load_module(host: &Host, path: &Path, options: ModuleOptions) -> Result<Module> {
    let bytes = std::fs::read(path)?;
    Ok(host.load(&bytes, options)?)
}

impl TaskRunner for WasmTasks {
    fn run(&mut self, request: &TaskRequest) -> Result<Value, Failure> {
        let known = self.resolved.iter().find(|(r, _)| *r == request.resource);
        if let Some((_, module)) = known {
            let shape = Shape::Plain;
            return driver::tasks::invoke(
                &self.host,
                module,
                shape,
                request,
                &self.execution_name,
                None,
                true,
            );
        }
        let (name, shape) = match resource::resolve(&request.resource, &request.input) {
            TaskTarget::Module { name, shape, .. } => (name, shape),
            TaskTarget::Unsupported(what) => {
                return Err(Failure::new(
                    TASK_FAILED,
                    format!(
                        "Stepwise cannot run the resource '{what}' of state '{}'",
                        request.state_name
                    ),
                ))
            }
        };
        let module = match self.module(name) {
            Some(Ok(module)) => module.clone(),
            Some(Err(why)) => return Err(Failure::new(TASK_FAILED, why.clone())),
            None => {
            return Err(Failure::new(
                TASK_FAILED,
                format!(
                    "No module named '{name}' is loaded for state '{}' (give one with --modules DIR or --module {name}=PATH)",
                    request.state_name
                ),
            ))
            }
        };
        if shape == Shape::Plain && self.resolved.len() < MAX_RESOLVED {
            self.resolved
                .push((request.resource.clone(), module.clone()));
        }
        driver::tasks::invoke(
            &self.host,
            &module,
            shape,
            request,
            &self.execution_name,
            None,
            true,
        )
    }
}
