//! What an EXPRESS state machine may not use, as AWS refuses it at creation:
//! the `.sync` and `.waitForTaskToken` integration patterns and activities
//! (an Express execution keeps no task tokens and lasts at most 5 minutes).

use serde_json::Value;
use std::fmt;

/// A Task an Express machine cannot run, as a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The diagnostic code (`SCHEMA_VALIDATION_FAILED`).
    pub code: &'static str,
    /// What is not supported.
    pub message: String,
    /// A JSON pointer to the Task's `Resource`.
    pub location: String,
}

/// `CODE: message at /pointer`, as `InvalidDefinition` messages give it.
impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} at {}", self.code, self.message, self.location)
    }
}

/// The first Task of `definition` an Express machine cannot run.
pub fn unsupported(definition: &str) -> Option<Unsupported> {
    let value: Value = serde_json::from_str(definition).ok()?;
    find(&value, "")
}

/// Looks through one `States` block (and the blocks nested in it).
fn find(machine: &Value, pointer: &str) -> Option<Unsupported> {
    let states = machine.get("States")?.as_object()?;
    for (name, state) in states {
        let here = format!("{pointer}/States/{}", escape(name));
        match state.get("Type").and_then(Value::as_str) {
            Some("Task") => {
                let resource = state.get("Resource").and_then(Value::as_str);
                if let Some(why) = resource.and_then(pattern) {
                    return Some(Unsupported {
                        code: "SCHEMA_VALIDATION_FAILED",
                        message: format!("Express state machine does not support {why}"),
                        location: format!("{here}/Resource"),
                    });
                }
            }
            Some("Parallel") => {
                let branches = state.get("Branches").and_then(Value::as_array);
                for (i, branch) in branches.into_iter().flatten().enumerate() {
                    if let Some(found) = find(branch, &format!("{here}/Branches/{i}")) {
                        return Some(found);
                    }
                }
            }
            Some("Map") => {
                for field in ["ItemProcessor", "Iterator"] {
                    if let Some(processor) = state.get(field) {
                        if let Some(found) = find(processor, &format!("{here}/{field}")) {
                            return Some(found);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// Why an Express machine cannot run `resource`, if it cannot.
fn pattern(resource: &str) -> Option<&'static str> {
    if resource.ends_with(".waitForTaskToken") {
        return Some("'.waitForTaskToken' service integration");
    }
    if resource.ends_with(".sync") || resource.contains(".sync:") {
        return Some("'.sync' service integration");
    }
    let fields: Vec<&str> = resource.split(':').collect();
    if fields.len() == 7 && fields[0] == "arn" && fields[2] == "states" && fields[5] == "activity" {
        return Some("activities");
    }
    None
}

/// A state name as a JSON pointer segment (RFC 6901).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
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
        assert_eq!(found.code, "SCHEMA_VALIDATION_FAILED");
        let text = found.to_string();
        assert!(text.starts_with("SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken'"), "{text}");
        assert!(text.ends_with("at /States/A/Resource"), "{text}");
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
