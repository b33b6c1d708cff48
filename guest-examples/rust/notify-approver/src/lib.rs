//! `notify-approver`: the task of a human-approval step. Run with the resource
//! `wasm:notify-approver.waitForTaskToken`-style integration (any resource ending in
//! `.waitForTaskToken`), it receives the task token from the host and returns it with
//! a message for the approver; the execution then waits until someone calls
//! SendTaskSuccess or SendTaskFailure with the token.
//!
//! Input: `{"approver": "lead@example.com", "orderId": "o-1", "amount": 950}` (any
//! object; `approver` defaults to `"approvers"`). Output:
//! `{"taskToken": "...", "approver": "...", "message": "...", "execution": "...", "state": "...", "request": <input>}`.
//!
//! Error: `Approval.NoTaskToken` when the state was not given a token (its resource
//! does not end with `.waitForTaskToken`).

use stepwise_sdk::{context, json, TaskError, Value};

/// Builds the approval request for `input`.
pub fn notify(input: Value) -> Result<Value, TaskError> {
    let token = context::task_token().ok_or_else(|| {
        TaskError::new(
            "Approval.NoTaskToken",
            "no task token: use a resource ending in .waitForTaskToken",
        )
    })?;
    let approver = input
        .get("approver")
        .and_then(Value::as_str)
        .unwrap_or("approvers")
        .to_string();
    let execution = context::execution_name();
    let state = context::state_name();
    let subject = match input.get("orderId") {
        Some(Value::String(id)) => format!("order {id}"),
        _ => format!("execution {execution}"),
    };
    let message = format!(
        "{approver}: please approve or reject {subject}; answer with SendTaskSuccess or SendTaskFailure and the task token"
    );
    context::info(&format!("approval of {subject} requested from {approver}"));
    context::heartbeat();
    Ok(json!({
        "taskToken": token,
        "approver": approver,
        "message": message,
        "execution": execution,
        "state": state,
        "request": input,
    }))
}

stepwise_sdk::task!(notify);

#[cfg(test)]
mod tests {
    use stepwise_sdk::testing::{call, TestContext};
    use stepwise_sdk::{json, Level};

    use super::notify;

    #[test]
    fn returns_the_token_with_a_message() {
        let ctx = TestContext::new()
            .execution_name("order-o-1")
            .state_name("WaitForApproval")
            .task_token("AQB-token");
        let (out, rec) = ctx.call(
            notify,
            json!({"approver": "lead@example.com", "orderId": "o-1", "amount": 950}),
        );
        let out = out.unwrap();
        assert_eq!(out["taskToken"], "AQB-token");
        assert_eq!(out["approver"], "lead@example.com");
        assert_eq!(out["execution"], "order-o-1");
        assert_eq!(out["state"], "WaitForApproval");
        assert_eq!(out["request"]["amount"], 950);
        assert!(out["message"]
            .as_str()
            .unwrap()
            .contains("approve or reject order o-1"));
        assert_eq!(rec.heartbeats, 1);
        assert_eq!(rec.logs[0].0, Level::Info);
    }

    #[test]
    fn needs_a_token() {
        let err = call(notify, json!({})).unwrap_err();
        assert_eq!(err.error, "Approval.NoTaskToken");
    }
}
