//! `stepwise validate FILE`: every diagnostic, each with its field's JSON pointer.

use crate::local::read_text;
use anyhow::Result;
use asl::validate::{validate_json, Severity};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `stepwise validate`.
#[derive(clap::Args)]
pub struct Args {
    /// The definition (ASL JSON); `-` reads standard input.
    file: PathBuf,
    /// Print the diagnostics as JSON (ValidateStateMachineDefinition's shape).
    #[arg(long)]
    json: bool,
}

/// Runs the command: exit 0 when valid, 1 when not.
pub fn main(args: Args) -> Result<ExitCode> {
    let text = read_text(&args.file)?;
    let diagnostics = validate_json(&text);
    let valid = diagnostics.iter().all(|d| d.severity != Severity::Error);
    if args.json {
        let result = if valid { "OK" } else { "FAIL" };
        println!(
            "{}",
            serde_json::json!({"result": result, "diagnostics": diagnostics})
        );
    } else {
        for d in &diagnostics {
            let location = if d.location.is_empty() {
                "/"
            } else {
                &d.location
            };
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            println!("{severity}: {location}: {} [{}]", d.message, d.code);
        }
        if valid {
            println!("{}: valid", args.file.display());
        } else {
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            println!(
                "{}: invalid ({errors} error{})",
                args.file.display(),
                if errors == 1 { "" } else { "s" }
            );
        }
    }
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
