//! What an EXPRESS state machine may not use, as AWS refuses it at creation:
//! the `.sync` and `.waitForTaskToken` integration patterns and activities
//! (an Express execution keeps no task tokens and lasts at most 5 minutes).

use driver::Unsupported;
use engine::resource::is_activity;
use serde_json::Value;

/// The first Task of `definition` an Express machine cannot run, with the
/// JSON pointer of its `Resource`.
pub fn unsupported(definition: &str) -> Option<Unsupported> {
    let value: Value = serde_json::from_str(definition).ok()?;
    let mut found = None;
    driver::any_state(&value, &mut |pointer, state| {
        if state.get("Type").and_then(Value::as_str) != Some("Task") {
            return false;
        }
        let resource = state.get("Resource").and_then(Value::as_str);
        found = resource.and_then(pattern).map(|why| Unsupported {
            location: format!("{pointer}/Resource"),
            message: format!("Express state machine does not support {why}"),
        });
        found.is_some()
    });
    found
}

/// Why an Express machine cannot run `resource`, if it cannot.
fn pattern(resource: &str) -> Option<&'static str> {
    if resource.ends_with(".waitForTaskToken") {
        return Some("'.waitForTaskToken' service integration");
    }
    if resource.ends_with(".sync") || resource.contains(".sync:") {
        return Some("'.sync' service integration");
    }
    is_activity(resource).then_some("activities")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_callbacks_syncs_and_activities_anywhere() {
        let ok = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"wasm:x","End":true}}}"#;
        assert_eq!(unsupported(ok), None);
        let token = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}"#;
        let found = unsupported(token).unwrap();
        assert_eq!(found.location, "/States/A/Resource");
        assert!(
            found
                .message
                .starts_with("Express state machine does not support '.waitForTaskToken'"),
            "{found:?}"
        );
        let nested = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"a/b","States":{
              "a/b":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:w","End":true}}}}}}]}}}"#;
        let found = unsupported(nested).unwrap();
        assert_eq!(
            found.location,
            "/States/P/Branches/0/States/M/ItemProcessor/States/a~1b/Resource"
        );
        assert!(unsupported(r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","End":true}}}"#).is_some());
        assert_eq!(unsupported("not json"), None);
    }
}
