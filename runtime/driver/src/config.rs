//! How the driver runs executions.

use std::time::Duration;
use wasm_host::ModuleOptions;

/// The driver's settings.
#[derive(Debug, Clone)]
pub struct DriverConfig {
    /// The region written into ARNs.
    pub region: String,
    /// The account written into ARNs.
    pub account: String,
    /// Longest an Express execution runs (AWS: 5 minutes).
    pub express_max_duration: Duration,
    /// Longest a Standard execution runs (AWS: one year).
    pub standard_max_duration: Duration,
    /// Executions with work in flight (actors) at once; past it new
    /// executions are refused with [`crate::DriverError::Throttled`] instead
    /// of queueing without bound.
    pub max_active_executions: usize,
    /// Task invocations running at once (each on a blocking thread).
    pub max_running_tasks: usize,
    /// How modules run (memory limit, warm instances).
    pub module_options: ModuleOptions,
    /// How long a GetActivityTask call waits for a task (AWS: 60 s).
    pub activity_poll: Duration,
    /// How long finished executions are kept before they are purged.
    pub retention: Duration,
    /// Write each task's log lines to standard error.
    pub print_task_logs: bool,
}

impl Default for DriverConfig {
    fn default() -> Self {
        DriverConfig {
            region: "us-east-1".into(),
            account: "123456789012".into(),
            express_max_duration: Duration::from_secs(300),
            standard_max_duration: Duration::from_secs(365 * 24 * 3600),
            max_active_executions: 100_000,
            max_running_tasks: 64,
            module_options: ModuleOptions::default(),
            activity_poll: Duration::from_secs(60),
            retention: Duration::from_secs(90 * 24 * 3600),
            print_task_logs: false,
        }
    }
}
