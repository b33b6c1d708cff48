//! What an EXPRESS state machine may not use, as AWS refuses it at creation:
//! the `.sync` and `.waitForTaskToken` integration patterns and activities
//! (an Express execution keeps no task tokens and lasts at most 5 minutes).

use serde_json::Value;

/// The first Task of `definition` an Express machine cannot run, as an
/// `InvalidDefinition` diagnostic (`CODE: message at /pointer`).
pub fn unsupported(definition: &str) -> Option<String> {
    let value: Value = serde_json::from_str(definition).ok()?;
    find(&value, "")
}

/// Looks through one `States` block (and the blocks nested in it).
fn find(machine: &Value, pointer: &str) -> Option<String> {
    let states = machine.get("States")?.as_object()?;
    for (name, state) in states {
        let here = format!("{pointer}/States/{}", escape(name));
        match state.get("Type").and_then(Value::as_str) {
            Some("Task") => {
                let resource = state.get("Resource").and_then(Value::as_str);
                if let Some(why) = resource.and_then(pattern) {
                    return Some(format!(
                        "SCHEMA_VALIDATION_FAILED: Express state machine does not support {why} \
                         at {here}/Resource"
                    ));
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
        assert!(found.ends_with("at /States/A/Resource"), "{found}");
        let nested = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"a/b","States":{
              "a/b":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:w","End":true}}}}}}]}}}"#;
        let found = unsupported(nested).unwrap();
        assert!(
            found.ends_with("at /States/P/Branches/0/States/M/ItemProcessor/States/a~1b/Resource"),
            "{found}"
        );
        assert!(unsupported(r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","End":true}}}"#).is_some());
        assert_eq!(unsupported("not json"), None);
    }
}
