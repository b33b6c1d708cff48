//! Property tests: parsing and evaluating paths never panics, whatever the text or
//! the document, and the definite-path operations agree with each other.

use asl::jsonpath::{parse_reference, JsonPath, Root, VariablePath};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-c]{0,3}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-c]{1,2}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Path-shaped text: fragments of the grammar glued together, valid or not.
fn path_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just(".a".to_string()),
        Just(".b".to_string()),
        Just(".c".to_string()),
        Just("..".to_string()),
        Just(".*".to_string()),
        Just("[*]".to_string()),
        Just("['a','b']".to_string()),
        Just("[\"c\"]".to_string()),
        (-4i64..6).prop_map(|i| format!("[{i}]")),
        (-3i64..4, -3i64..4).prop_map(|(a, b)| format!("[{a}:{b}]")),
        (-3i64..4).prop_map(|a| format!("[{a}:]")),
        (-3i64..4).prop_map(|b| format!("[:{b}]")),
        Just("[0,1]".to_string()),
        Just("[?(@.a)]".to_string()),
        Just("[?(@.a > 1)]".to_string()),
        Just("[?(@ == 'a' || @.b != null)]".to_string()),
        Just("[?(!@.c && @.a in [1,'x'])]".to_string()),
        Just("[?(@.a <= $.b)]".to_string()),
        Just("[?(@..a)]".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("(".to_string()),
        Just("'".to_string()),
        Just(" ".to_string()),
        "[ -~]{0,3}",
    ];
    (
        prop_oneof![Just("$"), Just("$$"), Just(""), Just("$x")],
        prop::collection::vec(fragment, 0..6),
    )
        .prop_map(|(root, parts)| format!("{root}{}", parts.concat()))
}

/// Definite paths over the keys and indexes the JSON strategy produces.
fn definite_text() -> impl Strategy<Value = String> {
    let step = prop_oneof![
        "[a-c]{1,2}".prop_map(|k| format!(".{k}")),
        "[a-c]{1,2}".prop_map(|k| format!("['{k}']")),
        (-3i64..4).prop_map(|i| format!("[{i}]")),
    ];
    prop::collection::vec(step, 0..4).prop_map(|steps| format!("${}", steps.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), doc in json_value()) {
        if let Ok(path) = JsonPath::parse(&text) {
            let _ = path.select(&doc);
            let _ = path.select_strict(&doc);
            let _ = path.normalized();
        }
        let _ = parse_reference(&text);
        let _ = VariablePath::parse(&text);
    }

    #[test]
    fn path_shaped_text_never_panics(text in path_text(), doc in json_value(), value in json_value()) {
        if let Ok(path) = JsonPath::parse(&text) {
            let selected = path.select(&doc);
            if !path.is_definite() && !text.trim_end().ends_with("']") {
                prop_assert!(matches!(selected, Some(Value::Array(_))), "{text}: {selected:?}");
            }
            let _ = path.select_strict(&doc);
            let _ = path.select_ref(&doc);
            let _ = path.select_all(&doc);
            let _ = path.take(doc.clone());
            let _ = path.miss_reason(&doc);
            let mut target = doc.clone();
            let _ = path.assign(&mut target, value);
            // A reference path is definite and starts at `$` or `$$`, never at a variable.
            prop_assert_eq!(
                parse_reference(&text).is_ok(),
                path.is_definite() && path.root() != Root::Variable
            );
        }
    }

    #[test]
    fn definite_operations_agree(text in definite_text(), doc in json_value(), value in json_value()) {
        let path = JsonPath::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(path.is_definite());
        let selected = path.select(&doc);
        prop_assert_eq!(path.select_ref(&doc).cloned(), selected.clone());
        prop_assert_eq!(path.take(doc.clone()), selected.clone());
        prop_assert_eq!(path.miss_reason(&doc).is_none(), selected.is_some());
        let strict = path.select_strict(&doc);
        if strict.is_some() {
            prop_assert_eq!(strict, selected);
        }
        let mut target = doc.clone();
        if path.assign(&mut target, value.clone()).is_ok() {
            prop_assert_eq!(path.select_strict(&target), Some(value));
        }
    }
}
