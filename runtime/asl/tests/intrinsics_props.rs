//! Property tests: parsing and evaluating intrinsic calls never panics, whatever the
//! text, the arguments or the input, and a few functions keep their invariants.

use asl::intrinsics::{Function, Intrinsic};
use asl::jsonpath::PathScope;
use asl::random::SplitMix64;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::borrow::Cow;

struct Scope {
    input: Value,
}

impl PathScope for Scope {
    fn input(&self) -> &Value {
        &self.input
    }
    fn context(&self, _: Option<&str>) -> Cow<'_, Value> {
        Cow::Owned(json!({"Execution": {"Id": "arn:x", "Input": self.input.clone()}}))
    }
    fn variable(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.input.get(name).map(Cow::Borrowed)
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-5i64..5).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-c{}, '\\\\-]{0,6}".prop_map(Value::String),
        Just(Value::String("SHA-256".into())),
        Just(Value::String("{\"a\": [1, -0]}".into())),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-c]{1,2}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Argument text: literals, paths, variables, nested calls (up to a few levels).
fn arg_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("$.a".to_string()),
        Just("$.b".to_string()),
        Just("$.c[0]".to_string()),
        Just("$.a[*]".to_string()),
        Just("$".to_string()),
        Just("$$.Execution.Id".to_string()),
        Just("$$.Execution.Input.a".to_string()),
        Just("$a.b".to_string()),
        Just("$missing".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        (-1000i64..1000).prop_map(|i| i.to_string()),
        (-100.0f64..100.0).prop_map(|f| format!("{f:.2}")),
        "[a-c{} ,\\-]{0,5}"
            .prop_map(|s| format!("'{}'", s.replace('\\', "\\\\").replace('{', "\\{"))),
        "[a-c {}]{0,5}".prop_map(|s| format!("'{s}'")),
        Just("'SHA-1'".to_string()),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        (
            prop::sample::select(Function::ALL.to_vec()),
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(f, args)| format!("{}({})", f.name(), args.join(", ")))
    })
}

fn call_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(Function::ALL.to_vec()),
        prop::collection::vec(arg_text(), 0..4),
    )
        .prop_map(|(f, args)| format!("{}({})", f.name(), args.join(", ")))
}

fn eval(text: &str, input: Value) -> Option<Result<Value, String>> {
    let call = Intrinsic::parse(text).ok()?;
    let scope = Scope { input };
    Some(
        call.eval(&scope, &mut SplitMix64::new(3))
            .map_err(|e| format!("{}|{}", e.error, e.cause)),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), input in json_value()) {
        let _ = eval(&text, input);
        let _ = eval(&format!("States.Format({text})"), json!({}));
        let _ = Intrinsic::looks_like(&text);
    }

    #[test]
    fn generated_calls_parse_and_never_panic(text in call_text(), a in json_value(), b in json_value(), c in json_value()) {
        let input = json!({"a": a, "b": b, "c": c});
        let parsed = Intrinsic::parse(&text);
        prop_assert!(parsed.is_ok(), "{text}: {:?}", parsed.err());
        if let Some(Err(failure)) = eval(&text, input) {
            let prefix = format!("States.Runtime|The function '{text}' had the following error: ");
            prop_assert!(failure.starts_with(&prefix), "{failure}");
        }
    }

    #[test]
    fn every_function_on_arbitrary_values(f in prop::sample::select(Function::ALL.to_vec()), arity in 0usize..5, a in json_value(), b in json_value(), c in json_value(), d in json_value()) {
        let args = ["$.a", "$.b", "$.c", "$.d"];
        let text = format!("{}({})", f.name(), args[..arity].join(", "));
        let _ = eval(&text, json!({"a": a, "b": b, "c": c, "d": d}));
    }

    #[test]
    fn round_trips(value in json_value(), text in "\\PC{0,200}") {
        let input = json!({"v": value, "s": text});
        let back = eval("States.StringToJson(States.JsonToString($.v))", input.clone());
        // serde_json reads back what it wrote; Jackson's -0 rule only turns -0.0 into 0.
        prop_assert!(matches!(back, Some(Ok(_))));
        prop_assert_eq!(eval("States.Base64Decode(States.Base64Encode($.s))", input.clone()), Some(Ok(Value::String(text))));
        if let Some(Ok(Value::Array(items))) = eval("States.ArrayPartition(States.Array($.v, $.v, $.v), 2)", input) {
            prop_assert_eq!(items.len(), 2);
        } else {
            prop_assert!(false, "partition failed");
        }
    }

    #[test]
    fn array_invariants(items in prop::collection::vec(json_value(), 0..20), size in 1i64..7, start in -50i64..50, end in -50i64..50, step in -7i64..7) {
        let input = json!({"a": items.clone(), "n": size});
        prop_assert_eq!(eval("States.ArrayLength($.a)", input.clone()), Some(Ok(json!(items.len()))));
        if let Some(Ok(Value::Array(chunks))) = eval("States.ArrayPartition($.a, $.n)", input.clone()) {
            let flat: Vec<Value> = chunks.iter().flat_map(|c| c.as_array().cloned().unwrap_or_default()).collect();
            prop_assert_eq!(flat, items.clone());
        } else {
            prop_assert!(false, "partition failed");
        }
        if let Some(Ok(Value::Array(unique))) = eval("States.ArrayUnique($.a)", input.clone()) {
            prop_assert!(unique.len() <= items.len());
            for (i, x) in unique.iter().enumerate() {
                prop_assert!(!unique[..i].contains(x));
                prop_assert!(items.contains(x));
            }
        } else {
            prop_assert!(false, "unique failed");
        }
        let range = eval(&format!("States.ArrayRange({start}, {end}, {step})"), json!({}));
        match range {
            Some(Ok(Value::Array(values))) => {
                prop_assert!(step != 0);
                for v in &values {
                    let v = v.as_i64().unwrap_or(i64::MAX);
                    prop_assert!(v >= start.min(end) && v <= start.max(end));
                }
            }
            _ => prop_assert_eq!(step, 0),
        }
    }
}
