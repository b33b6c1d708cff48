//! Client commands against a running `stepwise serve`: deploy, start, invoke,
//! describe, history, send-task-success/failure and modules. Output is for a
//! person; `--json` prints the server's JSON instead, for scripts.
//!
//! # Layout
//! - `mod.rs`: the commands and how they print.
//! - `http.rs`: [`http::Server`]: the AWS JSON protocol and Stepwise's routes.

mod http;

/// `println!` that ends the process quietly when standard output is closed
/// (`stepwise history ARN | head`), instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

use crate::local::parse_input;
use anyhow::{bail, Context, Result};
use http::Server;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Where the server is, and how to print.
#[derive(clap::Args)]
pub struct Common {
    /// The server (default: `STEPWISE_ENDPOINT`, else http://127.0.0.1:8080).
    #[arg(long, global = true)]
    endpoint_url: Option<String>,
    /// Print the server's JSON replies instead of text.
    #[arg(long, global = true)]
    json: bool,
}

/// A client command.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Create a state machine from FILE, or update it if NAME exists.
    Deploy {
        /// The state machine's name.
        name: String,
        /// The ASL definition.
        file: PathBuf,
        /// STANDARD or EXPRESS (creation only).
        #[arg(long = "type", default_value = "STANDARD")]
        kind: String,
    },
    /// Start an execution of state machine NAME and print its ARN.
    Start {
        /// The state machine's name.
        name: String,
        /// The input: JSON text, or file://PATH.
        #[arg(long, default_value = "{}")]
        input: String,
        /// The execution's name (default: a random UUID).
        #[arg(long = "name")]
        execution_name: Option<String>,
        /// Wait until it ends and print its result.
        #[arg(long)]
        wait: bool,
    },
    /// Run state machine NAME synchronously (POST /invoke) and print its output.
    Invoke {
        /// The state machine's name.
        name: String,
        /// The input: JSON text, or file://PATH.
        #[arg(long, default_value = "{}")]
        input: String,
    },
    /// Print an execution's status, input, output or error.
    Describe {
        /// The execution ARN.
        arn: String,
    },
    /// Print an execution's history, one event per line.
    History {
        /// The execution ARN.
        arn: String,
    },
    /// Complete the task waiting for TOKEN with OUTPUT.
    SendTaskSuccess {
        /// The task token.
        token: String,
        /// The task's output (JSON text, or file://PATH).
        #[arg(long, default_value = "{}")]
        output: String,
    },
    /// Fail the task waiting for TOKEN.
    SendTaskFailure {
        /// The task token.
        token: String,
        /// The error name.
        #[arg(long, default_value = "")]
        error: String,
        /// The cause.
        #[arg(long, default_value = "")]
        cause: String,
    },
    /// Upload and list task modules.
    #[command(subcommand)]
    Modules(ModulesCommand),
}

/// `stepwise modules ...`.
#[derive(clap::Subcommand)]
pub enum ModulesCommand {
    /// Upload FILE (a WASM component) as the next version of module NAME.
    Upload {
        /// The module's name (`wasm:NAME` in a Task's Resource).
        name: String,
        /// The component file.
        file: PathBuf,
    },
    /// List the uploaded modules.
    List,
}

/// Runs a client command.
pub fn main(common: Common, command: Command) -> Result<ExitCode> {
    let endpoint = common
        .endpoint_url
        .or_else(|| std::env::var("STEPWISE_ENDPOINT").ok())
        .unwrap_or_else(|| "http://127.0.0.1:8080".to_string());
    let server = Server::new(&endpoint);
    let json = common.json;
    match command {
        Command::Deploy { name, file, kind } => deploy(&server, &name, &file, &kind, json),
        Command::Start {
            name,
            input,
            execution_name,
            wait,
        } => start(&server, &name, &input, execution_name, wait, json),
        Command::Invoke { name, input } => invoke(&server, &name, &input, json),
        Command::Describe { arn } => {
            let execution = server.call("DescribeExecution", &json!({"executionArn": arn}))?;
            print_execution(&execution, json)
        }
        Command::History { arn } => history(&server, &arn, json),
        Command::SendTaskSuccess { token, output } => {
            let output = parse_input(&output)?;
            let reply = server.call(
                "SendTaskSuccess",
                &json!({"taskToken": token, "output": output.to_string()}),
            )?;
            done(&reply, json, "task succeeded")
        }
        Command::SendTaskFailure {
            token,
            error,
            cause,
        } => {
            let reply = server.call(
                "SendTaskFailure",
                &json!({"taskToken": token, "error": error, "cause": cause}),
            )?;
            done(&reply, json, "task failed")
        }
        Command::Modules(ModulesCommand::Upload { name, file }) => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let reply = server.route("PUT", &format!("/modules/{name}"), Some(&bytes))?;
            let body: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
            if reply.status != 200 {
                bail!(
                    "PUT /modules/{name}: {}: {}",
                    body["__type"].as_str().unwrap_or("error"),
                    body["message"].as_str().unwrap_or(&reply.body)
                );
            }
            if json {
                say!("{body}");
            } else {
                say!(
                    "module {name} version {} ({} bytes, sha256 {})",
                    body["version"],
                    body["size"],
                    body["sha256"].as_str().unwrap_or("")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Modules(ModulesCommand::List) => {
            let reply = server.route("GET", "/modules", None)?;
            let body: Value = serde_json::from_str(&reply.body).context("GET /modules")?;
            if json {
                say!("{body}");
            } else {
                for module in body["modules"].as_array().into_iter().flatten() {
                    say!(
                        "{:<24} version {:<4} {}",
                        module["name"].as_str().unwrap_or(""),
                        module["version"],
                        module["sha256"].as_str().unwrap_or("")
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn deploy(server: &Server, name: &str, file: &Path, kind: &str, json: bool) -> Result<ExitCode> {
    let definition = crate::local::read_text(file)?;
    let created = server.call(
        "CreateStateMachine",
        &json!({
            "name": name,
            "definition": definition,
            "type": kind.to_ascii_uppercase(),
            "roleArn": "arn:aws:iam::123456789012:role/stepwise",
        }),
    );
    let reply = match created {
        Ok(reply) => reply,
        Err(e) if e.to_string().contains("StateMachineAlreadyExists") => {
            let arn = server.state_machine_arn(name)?;
            let mut reply = server.call(
                "UpdateStateMachine",
                &json!({"stateMachineArn": arn, "definition": definition}),
            )?;
            reply["stateMachineArn"] = Value::from(arn);
            reply
        }
        Err(e) => return Err(e),
    };
    if json {
        say!("{reply}");
    } else {
        say!("{}", reply["stateMachineArn"].as_str().unwrap_or(""));
    }
    Ok(ExitCode::SUCCESS)
}

fn start(
    server: &Server,
    name: &str,
    input: &str,
    execution_name: Option<String>,
    wait: bool,
    json: bool,
) -> Result<ExitCode> {
    let arn = server.state_machine_arn(name)?;
    let input = parse_input(input)?;
    let mut request = json!({"stateMachineArn": arn, "input": input.to_string()});
    if let Some(execution_name) = execution_name {
        request["name"] = Value::from(execution_name);
    }
    let started = server.call("StartExecution", &request)?;
    let execution_arn = started["executionArn"]
        .as_str()
        .context("StartExecution gave no executionArn")?
        .to_string();
    if !wait {
        if json {
            say!("{started}");
        } else {
            say!("{execution_arn}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    loop {
        let execution =
            server.call("DescribeExecution", &json!({"executionArn": execution_arn}))?;
        if execution["status"] != "RUNNING" {
            return print_execution(&execution, json);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn invoke(server: &Server, name: &str, input: &str, json: bool) -> Result<ExitCode> {
    let input = parse_input(input)?;
    let reply = server.route(
        "POST",
        &format!("/invoke/{name}"),
        Some(input.to_string().as_bytes()),
    )?;
    if json || reply.status == 200 {
        say!("{}", reply.body);
    } else {
        let body: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        say!(
            "HTTP {}: {}: {}",
            reply.status,
            body["error"]
                .as_str()
                .or(body["__type"].as_str())
                .unwrap_or(""),
            body["cause"]
                .as_str()
                .or(body["message"].as_str())
                .unwrap_or(&reply.body)
        );
    }
    if let Some(arn) = reply.execution_arn.filter(|_| !json) {
        eprintln!("execution {arn}");
    }
    Ok(if reply.status == 200 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn history(server: &Server, arn: &str, json: bool) -> Result<ExitCode> {
    let mut token: Option<String> = None;
    loop {
        let mut request = json!({"executionArn": arn, "maxResults": 1000});
        if let Some(token) = &token {
            request["nextToken"] = Value::from(token.as_str());
        }
        let page = server.call("GetExecutionHistory", &request)?;
        for event in page["events"].as_array().into_iter().flatten() {
            if json {
                say!("{event}");
            } else {
                say!("{}", event_line(event));
            }
        }
        match page["nextToken"].as_str() {
            Some(next) => token = Some(next.to_string()),
            None => return Ok(ExitCode::SUCCESS),
        }
    }
}

/// One history event on a line: id, type, and what matters of its details.
fn event_line(event: &Value) -> String {
    let kind = event["type"].as_str().unwrap_or("");
    let details = event
        .as_object()
        .and_then(|o| o.iter().find(|(k, _)| k.ends_with("EventDetails")))
        .map(|(_, v)| v.clone())
        .unwrap_or(Value::Null);
    let mut what = Vec::new();
    for key in ["name", "resource", "error"] {
        if let Some(text) = details[key].as_str() {
            what.push(text.to_string());
        }
    }
    if let Some(output) = details["output"].as_str() {
        what.push(shorten(output));
    }
    let id = event["id"].as_u64().unwrap_or_default();
    format!("{id:>4}  {kind:<28} {}", what.join("  "))
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

fn print_execution(execution: &Value, json: bool) -> Result<ExitCode> {
    if json {
        say!("{execution}");
    } else {
        say!(
            "execution {}",
            execution["executionArn"].as_str().unwrap_or("")
        );
        say!("status    {}", execution["status"].as_str().unwrap_or(""));
        for key in ["input", "output", "error", "cause"] {
            if let Some(text) = execution[key].as_str() {
                say!("{key:<9} {text}");
            }
        }
    }
    Ok(
        if execution["status"] == "SUCCEEDED" || execution["status"] == "RUNNING" {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}

fn done(reply: &Value, json: bool, what: &str) -> Result<ExitCode> {
    if json {
        say!("{reply}");
    } else {
        say!("{what}");
    }
    Ok(ExitCode::SUCCESS)
}
