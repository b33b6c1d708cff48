//! Feature-rich definitions that must stay valid (the conformance corpus has no Task,
//! no distributed Map reader or writer, no JSONata Task), and a few messages.

use super::{has_errors, validate, Diagnostic};
use serde_json::{json, Value};

fn errors(definition: &Value) -> Vec<String> {
    validate(definition)
        .iter()
        .filter(|d| d.is_error())
        .map(Diagnostic::to_string)
        .collect()
}

#[test]
fn rich_jsonpath_task_is_valid() {
    let d = json!({
        "Comment": "order flow", "Version": "1.0", "TimeoutSeconds": 3600,
        "StartAt": "Charge",
        "States": {
            "Charge": {
                "Type": "Task", "Comment": "charge the card",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "charge", "Payload": {"order.$": "$.order", "id.$": "States.UUID()",
                               "items": [{"sku.$": "$.order.items[0].sku"}], "when.$": "$$.Execution.StartTime"}},
                "ResultSelector": {"status.$": "$.Payload.status"},
                "ResultPath": "$.charge", "InputPath": "$", "OutputPath": "$",
                "TimeoutSecondsPath": "$.timeout", "HeartbeatSeconds": 60,
                "Credentials": {"RoleArn.$": "$.role"},
                "Retry": [
                    {"ErrorEquals": ["States.Timeout", "Lambda.ServiceException"], "IntervalSeconds": 2,
                     "MaxAttempts": 3, "BackoffRate": 1.5, "MaxDelaySeconds": 30, "JitterStrategy": "FULL"},
                    {"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}
                ],
                "Catch": [
                    {"ErrorEquals": ["CardDeclined"], "Next": "Declined", "ResultPath": "$.error"},
                    {"ErrorEquals": ["States.ALL"], "Next": "Failed", "ResultPath": null}
                ],
                "Assign": {"attempt": 1, "orderId.$": "$.order.id"},
                "Next": "Route"
            },
            "Route": {
                "Type": "Choice",
                "Choices": [
                    {"And": [{"Variable": "$.charge.status", "StringEquals": "OK"},
                             {"Not": {"Variable": "$.order.total", "NumericGreaterThanPath": "$.limit"}}],
                     "Next": "Ship", "Assign": {"routed": true}},
                    {"Variable": "$orderId", "IsPresent": true, "Next": "Wait"},
                    {"Variable": "$.when", "TimestampLessThan": "2030-01-01T00:00:00Z", "Next": "Wait"}
                ],
                "Default": "Failed"
            },
            "Wait": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Ship"},
            "Ship": {
                "Type": "Map", "Label": "ship-items", "ItemsPath": "$.order.items", "MaxConcurrency": 10,
                "ItemSelector": {"item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                                  "StartAt": "Pack", "States": {"Pack": {"Type": "Task", "Resource": "wasm:pack:2", "End": true}}},
                "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                               "ReaderConfig": {"InputType": "JSON", "MaxItems": 100},
                               "Parameters": {"Bucket.$": "$.bucket", "Key": "items.json"}},
                "ItemBatcher": {"MaxItemsPerBatch": 10, "BatchInput": {"order.$": "$.order.id"}},
                "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}},
                "ToleratedFailurePercentage": 5, "ToleratedFailureCountPath": "$.tolerated",
                "ResultPath": "$.shipped", "Next": "Both"
            },
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Email", "States": {"Email": {"Type": "Pass", "Result": {"sent": true}, "End": true}}},
                    {"StartAt": "Audit", "States": {"Audit": {"Type": "Succeed"}}}
                ],
                "ResultSelector": {"email.$": "$[0]"},
                "Retry": [{"ErrorEquals": ["States.BranchFailed"]}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
                "End": true
            },
            "Declined": {"Type": "Fail", "Error": "Declined", "CausePath": "States.Format('Order {} declined', $.order.id)"},
            "Failed": {"Type": "Fail", "ErrorPath": "$.error.Error"}
        }
    });
    assert_eq!(errors(&d), Vec::<String>::new());
    assert!(validate(&d).is_empty(), "{:#?}", validate(&d));
}

#[test]
fn rich_jsonata_definition_is_valid() {
    let d = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Charge",
        "States": {
            "Charge": {
                "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
                "Arguments": {"order": "{% $states.input.order %}", "fixed": 1},
                "Output": "{% $states.result.Payload %}",
                "Assign": {"total": "{% $sum($states.input.order.items.price) %}"},
                "TimeoutSeconds": "{% $states.input.timeout %}", "HeartbeatSeconds": 10,
                "Credentials": {"RoleArn": "{% $states.input.role %}"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed",
                           "Output": "{% $states.errorOutput %}", "Assign": {"failed": true}}],
                "Next": "Route"
            },
            "Route": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $total > 100 %}", "Next": "Wait", "Output": {"big": true}},
                            {"Condition": true, "Next": "Items"}],
                "Default": "Failed"
            },
            "Wait": {"Type": "Wait", "Timestamp": "{% $states.input.until %}", "Next": "Items"},
            "Items": {
                "Type": "Map", "Items": "{% $states.input.order.items %}",
                "ItemSelector": {"value": "{% $states.context.Map.Item.Value %}"},
                "MaxConcurrency": "{% $states.input.n %}", "ToleratedFailureCount": 2,
                "ItemProcessor": {"StartAt": "One", "States": {"One": {"Type": "Pass", "Output": "{% $states.input.value %}", "End": true}}},
                "Next": "Fork"
            },
            "Fork": {
                "Type": "Parallel", "Arguments": {"x": "{% 1 %}"},
                "Branches": [{"StartAt": "Done", "States": {"Done": {"Type": "Succeed", "Output": "{% $states.input %}"}}}],
                "End": true
            },
            "Failed": {"Type": "Fail", "Error": "{% 'E' & $string($total) %}", "Cause": "failed"}
        }
    });
    assert!(validate(&d).is_empty(), "{:#?}", validate(&d));
}

#[test]
fn jsonata_state_in_jsonpath_definition_is_valid() {
    let d = json!({
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}", "Next": "B"},
            "B": {"Type": "Pass", "QueryLanguage": "JSONPath", "Parameters": {"a.$": "$.a"}, "End": true}
        }
    });
    assert!(validate(&d).is_empty(), "{:#?}", validate(&d));
}

#[test]
fn messages_name_the_field_and_the_reason() {
    let d = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}], "End": true}}});
    let diagnostics = validate(&d);
    assert!(has_errors(&diagnostics));
    assert_eq!(
        diagnostics[0].to_string(),
        "SCHEMA_VALIDATION_FAILED: 'BackoffRate' must be a number >= 1 at /States/T/Retry/0/BackoffRate"
    );
    let d = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}, "C": {"Type": "Succeed"}}});
    assert_eq!(
        validate(&d)[0].to_string(),
        "MISSING_TRANSITION_TARGET: State \"C\" is not reachable. at /States/C"
    );
}

#[test]
fn diagnostics_serialize_like_aws() {
    let d = validate(&json!({"StartAt": "A", "States": {"A": {"Type": "Pass"}}}));
    let v = serde_json::to_value(&d[0]).unwrap_or_default();
    assert_eq!(v["severity"], "ERROR");
    assert_eq!(v["code"], "SCHEMA_VALIDATION_FAILED");
    assert_eq!(v["location"], "/States/A");
}

#[test]
fn variables_read_after_their_assign_are_clean() {
    // Every place a JSONPath state can read a variable, each assigned before it is read:
    // in the same scope, in an enclosing one, along a Choice rule or a catcher.
    let d = json!({
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Assign": {"items": [1, 2], "limit": 2, "name": "n", "delay": 1,
                                               "until": "2030-01-01T00:00:00Z", "role": "arn:aws:iam::123456789012:role/r"},
                     "Next": "Work"},
            "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "InputPath": "$items", "Parameters": {"msg.$": "States.Format('{} {}', $name, $limit)"},
                     "TimeoutSecondsPath": "$delay", "Credentials": {"RoleArn.$": "$role"},
                     "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed", "Assign": {"error.$": "$.Error"}}],
                     "Assign": {"result.$": "$.Payload"}, "Next": "Route"},
            "Route": {"Type": "Choice",
                      "Choices": [{"Variable": "$result", "IsPresent": true, "Next": "Each", "Assign": {"routed": true}}],
                      "Default": "Sleep"},
            "Sleep": {"Type": "Wait", "TimestampPath": "$until", "Next": "Work"},
            "Each": {"Type": "Map", "ItemsPath": "$items", "MaxConcurrencyPath": "$limit",
                     "ItemSelector": {"item.$": "$$.Map.Item.Value", "routed.$": "$routed"},
                     "ItemProcessor": {"StartAt": "One", "States": {
                         "One": {"Type": "Pass", "Parameters": {"n.$": "$name"}, "Assign": {"inner": 1}, "Next": "Two"},
                         "Two": {"Type": "Pass", "OutputPath": "$inner", "End": true}}},
                     "Next": "Done"},
            "Done": {"Type": "Succeed", "OutputPath": "$result"},
            "Failed": {"Type": "Fail", "CausePath": "$error"}
        }
    });
    assert!(validate(&d).is_empty(), "{:#?}", validate(&d));
}

#[test]
fn jsonata_expressions_with_context_items_are_clean() {
    let d = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Assign": {"rate": 2}, "Next": "Prices"},
            "Prices": {"Type": "Pass",
                       "Output": {"cheap": "{% $states.input.items[price < 10].name %}",
                                  "total": "{% $sum($states.input.items.(price * qty)) * $rate %}",
                                  "sorted": "{% $states.input.items^(>price) %}",
                                  "by": "{% $states.input.items{category: $count(name)} %}",
                                  "names": "{% $map($states.input.items, function($v){ $v.name & tag }) %}",
                                  "piped": "{% $states.input.items.price ~> $max() %}",
                                  "local": "{% ($x := $states.input.n; $x * 2) %}"},
                       "Next": "Call"},
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "Arguments": {"Payload": "{% $states.input %}", "When": "{% $states.context.State.EnteredTime %}"},
                     "Output": "{% $states.result.Payload %}",
                     "Assign": {"status": "{% $states.result.StatusCode %}"},
                     "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed",
                                "Output": "{% $states.errorOutput %}", "Assign": {"cause": "{% $states.errorOutput.Cause %}"}}],
                     "Next": "Done"},
            "Done": {"Type": "Succeed", "Output": "{% $status %}"},
            "Failed": {"Type": "Fail", "Error": "Failed", "Cause": "{% $cause %}"}
        }
    });
    assert!(validate(&d).is_empty(), "{:#?}", validate(&d));
}
