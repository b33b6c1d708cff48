//! Properties of the validator: it never panics, whatever the JSON; every location is a
//! pointer into the definition (or to a missing field of an object that is there);
//! nesting is bounded with `TOO_DEEPLY_NESTED`, not a stack overflow.

use asl::validate::{
    validate, validate_json, Diagnostic, MAX_CHOICE_RULE_DEPTH, MAX_MACHINE_DEPTH,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Field names the validator knows, so random objects reach its checks.
const KEYS: &[&str] = &[
    "StartAt",
    "States",
    "Type",
    "Next",
    "End",
    "Comment",
    "QueryLanguage",
    "Version",
    "TimeoutSeconds",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "Assign",
    "Output",
    "Arguments",
    "Resource",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Retry",
    "Catch",
    "Credentials",
    "Choices",
    "Default",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Error",
    "ErrorPath",
    "Cause",
    "CausePath",
    "Branches",
    "ItemProcessor",
    "Iterator",
    "ProcessorConfig",
    "Mode",
    "ExecutionType",
    "ItemsPath",
    "Items",
    "ItemSelector",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailureCount",
    "ToleratedFailurePercentage",
    "Label",
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Variable",
    "StringEquals",
    "NumericEquals",
    "BooleanEquals",
    "TimestampEquals",
    "StringEqualsPath",
    "IsPresent",
    "And",
    "Or",
    "Not",
    "Condition",
    "x.$",
    "a/b~",
];

/// Strings the validator treats specially.
const STRINGS: &[&str] = &[
    "",
    "A",
    "B",
    "C",
    "Pass",
    "Task",
    "Choice",
    "Wait",
    "Succeed",
    "Fail",
    "Parallel",
    "Map",
    "JSONPath",
    "JSONata",
    "$",
    "$.a",
    "$$.Map.Item.Value",
    "$.a[*]",
    "$.a[",
    "$var.x",
    "States.ALL",
    "States.Format('{}', $.a)",
    "States.Format(",
    "{% $states.input %}",
    "{% (",
    "{%",
    "%}",
    "arn:aws:states:::lambda:invoke",
    "wasm:m",
    "INLINE",
    "DISTRIBUTED",
    "FULL",
    "2016-03-14T01:59:00Z",
];

const TYPES: &[&str] = &[
    "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_string),
        1 => "[a-zA-Z$./~ ]{0,6}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-5i64..200).prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop::sample::select(STRINGS).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
    ]
}

/// Any JSON value, biased towards ASL's field names and values.
fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(8, 256, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// A definition-shaped value: `StartAt` + `States` of typed states with random fields,
/// Parallel branches and Map item processors nesting further machines.
fn any_machine() -> impl Strategy<Value = Value> {
    let names = prop::sample::select(&["A", "B", "C", "D"][..]);
    let flat_state = (
        prop::sample::select(TYPES),
        prop::collection::vec((key(), any_json()), 0..6),
        names.clone(),
    )
        .prop_map(|(ty, fields, next)| {
            let mut obj: Map<String, Value> = fields.into_iter().collect();
            obj.insert("Type".into(), json!(ty));
            obj.entry("Next").or_insert(json!(next));
            Value::Object(obj)
        })
        .boxed();
    let machine = |states: BoxedStrategy<Value>| {
        (
            prop::sample::select(&["A", "B", "C", "D"][..]),
            prop::collection::vec(
                (prop::sample::select(&["A", "B", "C", "D", "E"][..]), states),
                1..5,
            ),
        )
            .prop_map(|(start, states)| {
                let states: Map<String, Value> = states
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect();
                json!({"StartAt": start, "States": states})
            })
    };
    let base = machine(flat_state.clone());
    base.prop_recursive(4, 64, 4, move |inner| {
        let nested_state = prop_oneof![
            flat_state.clone(),
            prop::collection::vec(inner.clone(), 0..3).prop_map(
                |branches| json!({"Type": "Parallel", "Branches": branches, "End": true})
            ),
            inner.clone().prop_map(
                |processor| json!({"Type": "Map", "ItemProcessor": processor, "End": true})
            ),
        ];
        machine(nested_state.boxed())
    })
}

/// A location is `""`, a pointer into the definition, or a missing field of an object
/// that is in the definition.
fn location_is_in(definition: &Value, d: &Diagnostic) -> bool {
    if d.location.is_empty() || definition.pointer(&d.location).is_some() {
        return true;
    }
    match d.location.rsplit_once('/') {
        Some((parent, _)) => definition.pointer(parent).is_some_and(Value::is_object),
        None => false,
    }
}

fn check_all(definition: &Value) {
    let diagnostics = validate(definition);
    for d in &diagnostics {
        assert!(
            location_is_in(definition, d),
            "{d} is not a location in {definition}"
        );
        assert!(!d.message.is_empty() && !d.code.is_empty());
    }
    assert_eq!(diagnostics, validate(definition), "not deterministic");
    let text = definition.to_string();
    let from_text = validate_json(&text);
    assert_eq!(from_text, diagnostics, "validate_json differs for {text}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_any_json(v in any_json()) {
        let _ = validate(&v);
    }

    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,64}") {
        let _ = validate_json(&text);
    }

    #[test]
    fn locations_point_into_any_object(pairs in prop::collection::vec((key(), any_json()), 0..10)) {
        let v = Value::Object(pairs.into_iter().collect());
        check_all(&v);
    }

    #[test]
    fn locations_point_into_definition_shaped_values(v in any_machine()) {
        check_all(&v);
    }
}

/// Runs `build` and `drop` on a thread with a large stack (serde_json builds and drops
/// deep values recursively) while `validate` runs on a thread with an ordinary 2 MiB
/// stack, so a recursion in the validator would overflow there.
fn with_deep_value(build: impl FnOnce() -> Value + Send, check: impl FnOnce(&Value) + Send) {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(512 << 20)
            .spawn_scoped(scope, || {
                let value = build();
                std::thread::scope(|inner| {
                    std::thread::Builder::new()
                        .stack_size(2 << 20)
                        .spawn_scoped(inner, || check(&value))
                        .expect("spawn validator thread")
                        .join()
                        .expect("validator thread");
                });
                drop(value);
            })
            .expect("spawn builder thread")
            .join()
            .expect("builder thread");
    });
}

/// An object from pairs, moving the values (`json!` would serialize an interpolated
/// value again, which is quadratic for deep values).
fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn leaf_machine() -> Value {
    json!({"StartAt": "Leaf", "States": {"Leaf": {"Type": "Succeed"}}})
}

/// A machine whose one state holds `inner` machine `levels` times over.
fn nested(levels: usize, prefix: &str, wrap: impl Fn(Value) -> Value) -> Value {
    let mut machine = leaf_machine();
    for i in (0..levels).rev() {
        let name = format!("{prefix}{i}");
        let states = Value::Object(std::iter::once((name.clone(), wrap(machine))).collect());
        machine = obj(vec![("StartAt", Value::String(name)), ("States", states)]);
    }
    machine
}

fn nested_parallel(levels: usize) -> Value {
    nested(levels, "P", |m| {
        obj(vec![
            ("Type", json!("Parallel")),
            ("Branches", Value::Array(vec![m])),
            ("End", json!(true)),
        ])
    })
}

fn nested_map(levels: usize) -> Value {
    nested(levels, "M", |m| {
        obj(vec![
            ("Type", json!("Map")),
            ("ItemProcessor", m),
            ("End", json!(true)),
        ])
    })
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn nesting_up_to_the_limit_is_valid() {
    assert!(validate(&nested_parallel(MAX_MACHINE_DEPTH)).is_empty());
    assert!(validate(&nested_map(MAX_MACHINE_DEPTH)).is_empty());
}

#[test]
fn nesting_beyond_the_limit_is_too_deeply_nested() {
    for v in [
        nested_parallel(MAX_MACHINE_DEPTH + 1),
        nested_map(MAX_MACHINE_DEPTH + 1),
    ] {
        let d = validate(&v);
        assert_eq!(codes(&d), ["TOO_DEEPLY_NESTED"], "{d:#?}");
    }
}

#[test]
fn very_deep_parallel_and_map_nesting_do_not_overflow() {
    with_deep_value(
        || nested_parallel(5_000),
        |v| assert_eq!(codes(&validate(v)), ["TOO_DEEPLY_NESTED"]),
    );
    with_deep_value(
        || nested_map(5_000),
        |v| assert_eq!(codes(&validate(v)), ["TOO_DEEPLY_NESTED"]),
    );
}

fn choice_with_rule(rule: Value) -> Value {
    let mut rule = rule;
    if let Value::Object(obj) = &mut rule {
        obj.insert("Next".into(), json!("Yes"));
    }
    let choice = obj(vec![
        ("Type", json!("Choice")),
        ("Choices", Value::Array(vec![rule])),
        ("Default", json!("Yes")),
    ]);
    let states = obj(vec![("C", choice), ("Yes", json!({"Type": "Succeed"}))]);
    obj(vec![("StartAt", json!("C")), ("States", states)])
}

fn nested_not(levels: usize) -> Value {
    let mut rule = json!({"Variable": "$.x", "IsPresent": true});
    for _ in 0..levels {
        rule = obj(vec![("Not", rule)]);
    }
    rule
}

fn nested_and(levels: usize) -> Value {
    let mut rule = json!({"Variable": "$.x", "IsPresent": true});
    for _ in 0..levels {
        rule = obj(vec![(
            "And",
            Value::Array(vec![rule, json!({"Variable": "$.y", "IsNull": false})]),
        )]);
    }
    rule
}

#[test]
fn choice_rule_nesting_is_bounded() {
    assert!(validate(&choice_with_rule(nested_not(MAX_CHOICE_RULE_DEPTH))).is_empty());
    assert!(validate(&choice_with_rule(nested_and(MAX_CHOICE_RULE_DEPTH))).is_empty());
    let d = validate(&choice_with_rule(nested_not(MAX_CHOICE_RULE_DEPTH + 1)));
    assert_eq!(codes(&d), ["TOO_DEEPLY_NESTED"], "{d:#?}");
    // Both rules of the deepest `And` are one level too deep.
    let d = validate(&choice_with_rule(nested_and(MAX_CHOICE_RULE_DEPTH + 1)));
    assert_eq!(codes(&d), ["TOO_DEEPLY_NESTED"; 2], "{d:#?}");
    with_deep_value(
        || choice_with_rule(nested_not(20_000)),
        |v| assert_eq!(codes(&validate(v)), ["TOO_DEEPLY_NESTED"]),
    );
    with_deep_value(
        || choice_with_rule(nested_and(20_000)),
        |v| assert_eq!(codes(&validate(v)), ["TOO_DEEPLY_NESTED"; 2]),
    );
}

/// Payload templates and JSONata values are walked without recursion: any depth is fine.
#[test]
fn deep_templates_and_outputs_do_not_overflow() {
    let deep = |leaf: Value| {
        let mut v = leaf;
        for i in 0..=20_000 {
            v = if i % 2 == 0 {
                obj(vec![("k", v)])
            } else {
                Value::Array(vec![v])
            };
        }
        v
    };
    let pass_machine = |lang: &str, fields: Vec<(&str, Value)>| {
        let mut state = vec![("Type", json!("Pass")), ("End", json!(true))];
        state.extend(fields);
        let states = obj(vec![("A", obj(state))]);
        obj(vec![
            ("QueryLanguage", json!(lang)),
            ("StartAt", json!("A")),
            ("States", states),
        ])
    };
    with_deep_value(
        || {
            pass_machine(
                "JSONPath",
                vec![
                    ("Parameters", deep(json!({"x.$": "$.x"}))),
                    ("Result", deep(json!(1))),
                ],
            )
        },
        |v| {
            let d = validate(v);
            assert!(d.is_empty(), "{:?}", codes(&d));
        },
    );
    with_deep_value(
        || pass_machine("JSONata", vec![("Output", deep(json!("{% (1 %}")))]),
        |v| assert_eq!(codes(&validate(v)), ["INVALID_JSONATA_EXPRESSION"]),
    );
}

#[test]
fn very_deep_text_is_invalid_json_not_a_crash() {
    let text = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert_eq!(codes(&validate_json(&text)), ["INVALID_JSON_DESCRIPTION"]);
}
