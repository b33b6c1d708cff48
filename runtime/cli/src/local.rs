//! What the in-process commands share: reading definitions and inputs, naming
//! executions with AWS-shaped ARNs, and the real clock.

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use engine::runner::Clock;
use engine::ExecutionInfo;
use serde_json::Value;
use std::path::Path;

/// The region written into local ARNs.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The account written into local ARNs.
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// Reads a file, or `-` for standard input.
pub fn read_text(path: &Path) -> Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
        return Ok(text);
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Parses `--input`: JSON text, or `file://PATH`.
pub fn parse_input(input: &str) -> Result<Value> {
    let text = match input.strip_prefix("file://") {
        Some(path) => read_text(Path::new(path))?,
        None => input.to_string(),
    };
    serde_json::from_str(&text).context("--input is not valid JSON")
}

/// A random 64-bit seed from the operating system.
pub fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        return Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64;
    }
    u64::from_le_bytes(bytes)
}

/// A version-4 UUID from the operating system's randomness.
pub fn random_uuid() -> String {
    let a = random_seed();
    let b = random_seed();
    let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000;
    let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// The state machine name a file stands for: its stem without `.asl`, reduced to
/// AWS's name rules.
pub fn machine_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("workflow");
    let stem = stem.strip_suffix(".asl").unwrap_or(stem);
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(80)
        .collect();
    if name.is_empty() {
        "workflow".into()
    } else {
        name
    }
}

/// Builds the execution's identity as AWS would name it.
pub fn execution_info(
    machine: &str,
    name: &str,
    express: bool,
    input: Value,
    start: DateTime<Utc>,
) -> Result<ExecutionInfo> {
    if name.is_empty() || name.len() > 80 {
        bail!("--name must be 1 to 80 characters");
    }
    // Express execution ARNs carry a third part after the name, as AWS writes them.
    let execution_arn = if express {
        format!(
            "arn:aws:states:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:express:{machine}:{name}:{}",
            random_uuid()
        )
    } else {
        format!("arn:aws:states:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:execution:{machine}:{name}")
    };
    Ok(ExecutionInfo {
        execution_arn,
        name: name.to_string(),
        state_machine_arn: format!(
            "arn:aws:states:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:stateMachine:{machine}"
        ),
        state_machine_name: machine.to_string(),
        role_arn: format!("arn:aws:iam::{DEFAULT_ACCOUNT}:role/stepwise-local"),
        start_time: start,
        input,
        redrive_count: 0,
        express,
    })
}

/// The wall clock; waiting sleeps the thread.
pub struct RealClock;

impl Clock for RealClock {
    fn now(&mut self) -> DateTime<Utc> {
        Utc::now()
    }
    fn sleep_until(&mut self, due: DateTime<Utc>) {
        if let Ok(wait) = (due - Utc::now()).to_std() {
            std::thread::sleep(wait);
        }
    }
}

/// Where compiled components are cached when no `--cache-dir` is given:
/// `$XDG_CACHE_HOME/stepwise` or `~/.cache/stepwise`.
pub fn default_cache_dir() -> Option<std::path::PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| std::path::PathBuf::from(home).join(".cache"))
        })?;
    Some(base.join("stepwise"))
}
