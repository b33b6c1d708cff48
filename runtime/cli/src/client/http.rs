//! Talking to a server: the AWS JSON protocol and Stepwise's own routes.

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

/// A server at `endpoint` (such as `http://127.0.0.1:8080`).
pub struct Server {
    endpoint: String,
    agent: ureq::Agent,
}

/// What a Stepwise route answered: its status and body.
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The body, as text.
    pub body: String,
    /// The `x-stepwise-execution-arn` header, if any.
    pub execution_arn: Option<String>,
}

impl Server {
    /// A client of `endpoint`.
    pub fn new(endpoint: &str) -> Server {
        Server {
            endpoint: endpoint.trim_end_matches('/').to_string(),
            agent: ureq::AgentBuilder::new().build(),
        }
    }

    /// Calls the Step Functions operation `operation` with `input`; an AWS
    /// error becomes `Err` with its code and message.
    pub fn call(&self, operation: &str, input: &Value) -> Result<Value> {
        let response = self
            .agent
            .post(&format!("{}/", self.endpoint))
            .set("X-Amz-Target", &format!("AWSStepFunctions.{operation}"))
            .set("Content-Type", "application/x-amz-json-1.0")
            .send_string(&input.to_string());
        match response {
            Ok(response) => response
                .into_json()
                .with_context(|| format!("{operation}: the reply is not JSON")),
            Err(ureq::Error::Status(_, response)) => {
                let error: Value = response.into_json().unwrap_or(Value::Null);
                bail!(
                    "{operation}: {}: {}",
                    error["__type"].as_str().unwrap_or("error"),
                    error["message"].as_str().unwrap_or("")
                )
            }
            Err(e) => Err(anyhow!("cannot reach {}: {e}", self.endpoint)),
        }
    }

    /// A request to one of Stepwise's own routes (`/modules`, `/invoke`).
    pub fn route(&self, method: &str, path: &str, body: Option<&[u8]>) -> Result<Reply> {
        let request = self
            .agent
            .request(method, &format!("{}{path}", self.endpoint));
        let response = match body {
            Some(bytes) => request.send_bytes(bytes),
            None => request.call(),
        };
        let response = match response {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(e) => return Err(anyhow!("cannot reach {}: {e}", self.endpoint)),
        };
        let status = response.status();
        let execution_arn = response
            .header("x-stepwise-execution-arn")
            .map(str::to_string);
        let body = response.into_string().context("reading the reply")?;
        Ok(Reply {
            status,
            body,
            execution_arn,
        })
    }

    /// The ARN of the state machine named `name`.
    pub fn state_machine_arn(&self, name: &str) -> Result<String> {
        let mut token: Option<String> = None;
        loop {
            let mut input = serde_json::json!({"maxResults": 1000});
            if let Some(token) = &token {
                input["nextToken"] = Value::from(token.as_str());
            }
            let page = self.call("ListStateMachines", &input)?;
            let machines = page["stateMachines"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if let Some(found) = machines.iter().find(|m| m["name"] == name) {
                return found["stateMachineArn"]
                    .as_str()
                    .map(str::to_string)
                    .context("ListStateMachines gave no ARN");
            }
            match page["nextToken"].as_str() {
                Some(next) => token = Some(next.to_string()),
                None => bail!("no state machine is named '{name}' (deploy it first)"),
            }
        }
    }
}
