//! The shared conformance corpus (`../shared/conformance/run.py`) against a
//! real `stepwise serve`, through boto3: as Standard executions, then every
//! case as a synchronous Express execution. Prints run.py's counts lines and
//! fails below the floors: `conformance-floor.txt` (Standard, the in-process
//! harness's floor) and `conformance-floor-express.txt` (Express: the cases
//! recorded as Standard that read `$$.Execution.RedriveCount`, which an Express
//! context does not have, cannot pass).

mod serve_support;

use serve_support::{check, data_dir, python, Server};
use std::path::Path;

fn run_py() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/run.py");
    path.is_file()
        .then(|| path.to_str().map(str::to_owned))
        .flatten()
}

/// `passed, failed` from run.py's last line.
fn counts(stdout: &str) -> (u64, u64) {
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("conformance: "))
        .unwrap_or_else(|| panic!("no counts line in:\n{stdout}"));
    let numbers: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [passed, failed] => (passed, failed),
        _ => panic!("unexpected counts line: {line}"),
    }
}

#[test]
fn conformance_through_the_server() {
    let Some(run_py) = run_py() else {
        println!(
            "conformance: corpus not found beside the repository (../shared/conformance); skipped"
        );
        return;
    };
    let dir = data_dir();
    let server = Server::start(dir.path());
    for (label, mode) in [("standard", None), ("express", Some("--express"))] {
        let mut args = vec![run_py.as_str(), server.endpoint.as_str()];
        args.extend(mode);
        let out = python(&args, &[]);
        check("run.py", &out);
        let (passed, failed) = counts(&String::from_utf8_lossy(&out.stdout));
        println!("conformance (server, {label}): {passed} passed, {failed} failed");
        let floor_file = match label {
            "standard" => "conformance-floor.txt",
            _ => "conformance-floor-express.txt",
        };
        let floor: u64 = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests")
                .join(floor_file),
        )
        .expect("floor file")
        .trim()
        .parse()
        .expect("floor number");
        assert!(
            passed >= floor,
            "{passed} cases pass as {label} through the server, below the floor of {floor}"
        );
    }
}
