//! Whole calls: parsing, argument resolution, nesting and AWS's cause texts.

use super::*;
use crate::random::SplitMix64;
use serde_json::json;

struct Scope {
    input: Value,
    context: Value,
    variables: Value,
}

impl PathScope for Scope {
    fn input(&self) -> &Value {
        &self.input
    }
    fn context(&self, _: Option<&str>) -> Cow<'_, Value> {
        Cow::Borrowed(&self.context)
    }
    fn variable(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.variables.get(name).map(Cow::Borrowed)
    }
}

fn scope(input: Value) -> Scope {
    Scope {
        input,
        context: json!({
            "Execution": {"Id": "arn:aws:states:us-east-1:111111111111:execution:MyMachine-abc:run-1", "Input": {"suffix": "run"}},
            "StateMachine": {"Name": "MyMachine-abc"},
            "Map": {"Item": {"Value": "Pikachu", "Index": 1}}
        }),
        variables: json!({"AnswerTemplate": "It's {}!", "name": "John", "json1": {"a": 1}, "arr": [1, 2]}),
    }
}

fn eval(text: &str, input: Value) -> Result<Value, IntrinsicError> {
    let call = Intrinsic::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    call.eval(&scope(input), &mut SplitMix64::new(1))
}

fn ok(text: &str, input: Value) -> Value {
    eval(text, input).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn cause(text: &str, input: Value) -> String {
    match eval(text, input) {
        Ok(v) => panic!("{text} gave {v}"),
        Err(e) => {
            assert_eq!(e.error, "States.Runtime");
            e.cause
        }
    }
}

#[test]
fn format_cases_from_the_aws_corpus() {
    let t = "States.Format('Formatting argument {}.', $.FunctionInput)";
    for (input, expected) in [
        (json!(""), "Formatting argument ."),
        (json!("HelloWorld"), "Formatting argument HelloWorld."),
        (json!(null), "Formatting argument null."),
        (json!(1.1), "Formatting argument 1.1."),
        (
            json!("{\"Arg1\": 1, \"Arg2\": []}"),
            "Formatting argument {\"Arg1\": 1, \"Arg2\": []}.",
        ),
        (
            json!({"Arg1": 1, "Arg2": []}),
            "Formatting argument {Arg1=1, Arg2=[]}.",
        ),
    ] {
        assert_eq!(ok(t, json!({"FunctionInput": input})), json!(expected));
    }
    assert_eq!(
        ok(
            "States.Format('{}|{}|{}|{}|{}', $.nil, $.bool, $.negative, $.fractional, $.huge)",
            json!({"nil": null, "bool": false, "negative": -1, "fractional": 3.5, "huge": 9007199254740991_i64})
        ),
        json!("null|false|-1|3.5|9007199254740991")
    );
    assert_eq!(
        ok(
            "States.Format('Name: \\'{}\\', Surname: \"{}\"', $.name, $.surname)",
            json!({"name": "Gabriel", "surname": "Moreira"})
        ),
        json!("Name: 'Gabriel', Surname: \"Moreira\"")
    );
    assert_eq!(
        ok("States.Format('no placeholders')", json!({})),
        json!("no placeholders")
    );
    assert_eq!(
        ok("States.Format('  {}  ', $.a)", json!({"a": "x"})),
        json!("  x  ")
    );
    assert_eq!(ok("States.Format('\\{{}\\}', 1)", json!({})), json!("{1}"));
    assert_eq!(
        ok(
            "States.Format($.template, $.name)",
            json!({"template": "Hello {}", "name": "Ada"})
        ),
        json!("Hello Ada")
    );
    assert_eq!(
        ok(
            "States.Format($AnswerTemplate, $$.Map.Item.Value)",
            json!({})
        ),
        json!("It's Pikachu!")
    );
    assert_eq!(
        ok(
            "States.Format('{}:{}', $.name, $$.Execution.Input.suffix)",
            json!({"name": "job"})
        ),
        json!("job:run")
    );
    assert_eq!(
        ok(
            "States.Format('arn:{}:{}', $.svc, States.JsonToString($.obj))",
            json!({"svc": "lambda", "obj": {"k": 1}})
        ),
        json!("arn:lambda:{\"k\":1}")
    );
    assert_eq!(
        ok(
            "States.Format('Hello {}, welcome to {}!', $name, 'LocalStack')",
            json!({})
        ),
        json!("Hello John, welcome to LocalStack!")
    );
}

#[test]
fn format_errors() {
    let invalid = "The function 'States.Format('{} {}', $.a)' had the following error: \
                   Invalid arguments in States.Format: number of arguments do not match the occurrences of {}.";
    assert_eq!(
        cause("States.Format('{} {}', $.a)", json!({"a": "x"})),
        invalid
    );
    assert!(
        cause("States.Format('{}', $.a, $.b)", json!({"a": 1, "b": 2}))
            .ends_with("do not match the occurrences of {}.")
    );
    assert!(cause(
        "States.Format($.template, $.name)",
        json!({"template": 123, "name": "Ada"})
    )
    .ends_with("Invalid arguments in States.Format"));
    assert!(cause("States.Format('Hello {', $.a)", json!({"a": 1}))
        .ends_with("Invalid template in States.Format: matching '}' not found for '{'."));
    assert!(cause("States.Format('Hello {{}}', $.a)", json!({"a": 1})).contains("Invalid template"));
    assert!(cause("States.Format('}')", json!({})).contains("Invalid template"));
    assert!(cause("States.Format($.t)", json!({"t": "{"})).contains("Invalid template"));
    assert!(cause("States.Format()", json!({})).ends_with("Invalid arguments in States.Format"));
}

#[test]
fn missing_paths_name_the_argument_and_the_input() {
    assert_eq!(
        cause("States.Format('{}', $.nope)", json!({"other": 1})),
        "The function 'States.Format('{}', $.nope)' had the following error: \
         The JsonPath argument for the field '$.nope' could not be found in the input '{\"other\":1}'"
    );
    assert_eq!(
        cause("States.Format('{}',$.nope)", json!({"other": 1})),
        "The function 'States.Format('{}',$.nope)' had the following error: \
         The JsonPath argument for the field '$.nope' could not be found in the input '{\"other\":1}'"
    );
    assert!(cause(
        "States.Format('{} {}', $.other, $.a.b)",
        json!({"other": 1})
    )
    .contains("for the field '$.a.b' could not"));
    assert_eq!(
        cause("States.Format('{}', States.Format('{}', $.nope))", json!({"other": 1})),
        "The function 'States.Format('{}', States.Format('{}', $.nope))' had the following error: \
         The JsonPath argument for the field '$.nope' could not be found in the input '{\"other\":1}'"
    );
    // An index past the end is a miss here, though "v.$": "$.items[5]" is null.
    assert!(
        cause("States.Format('{}', $.items[5])", json!({"items": [1, 2]}))
            .contains("field '$.items[5]' could not be found in the input '{\"items\":[1,2]}'")
    );
    assert!(
        cause("States.Format('{}', $.items[5].x)", json!({"items": [1]}))
            .contains("'$.items[5].x'")
    );
    assert!(cause("States.Format('{}', $.other[0])", json!({"other": 1})).contains("'$.other[0]'"));
    assert!(
        cause("States.Format('{}', $[0].nope)", json!([{"other": 1}]))
            .contains("in the input '[{\"other\":1}]'")
    );
    // A context path is named from `$`, and the state input is shown.
    assert_eq!(
        cause("States.Format('{}', $$.Nope.Deep)", json!({"other": 1})),
        "The function 'States.Format('{}', $$.Nope.Deep)' had the following error: \
         The JsonPath argument for the field '$.Nope.Deep' could not be found in the input '{\"other\":1}'"
    );
    assert!(cause("States.Array($nope)", json!({}))
        .contains("for the field '$nope' could not be found"));
    for call in [
        "States.ArrayLength($.nope)",
        "States.Array(1, $.nope)",
        "States.JsonToString($.nope)",
        "States.StringToJson($.nope)",
        "States.MathAdd($.nope, 1)",
        "States.ArrayContains($.nope, 1)",
        "States.JsonMerge($.nope, $.other, false)",
        "States.Hash('hello', $.nope)",
        "States.Base64Encode($.nope)",
    ] {
        assert!(
            cause(call, json!({"other": 1}))
                .ends_with("field '$.nope' could not be found in the input '{\"other\":1}'"),
            "{call}"
        );
    }
    // Only absence fails: null is a value.
    assert_eq!(
        ok("States.Format('{}', $.nul)", json!({"nul": null})),
        json!("null")
    );
    // A wildcard that matches nothing is an empty array, not a miss.
    assert_eq!(
        ok(
            "States.ArrayLength($.items[*].nope)",
            json!({"items": [1, 2]})
        ),
        json!(0)
    );
    assert_eq!(
        ok("States.JsonToString($)", json!({"other": 1})),
        json!("{\"other\":1}")
    );
}

#[test]
fn every_function_through_the_parser() {
    let input = json!({
        "inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4],
        "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string",
        "json1": {"a": 1, "b": 2}, "json2": {"c": 3, "d": 4}, "jsonString": "{\"key\":\"value\"}",
        "jsonObject": {"test": "object"}, "value1": 5, "value2": 3, "csvString": "a,b,c,d,e"
    });
    let cases = [
        ("States.Array('a', 'b', 'c')", json!(["a", "b", "c"])),
        (
            "States.ArrayPartition($.inputArray, 2)",
            json!([[1, 2], [3, 4], [5, 6]]),
        ),
        ("States.ArrayContains($.inputArray, 5)", json!(true)),
        ("States.ArrayRange(1, 10, 2)", json!([1, 3, 5, 7, 9])),
        ("States.ArrayGetItem($.inputArray, 2)", json!(3)),
        ("States.ArrayLength($.inputArray)", json!(6)),
        ("States.ArrayUnique($.duplicateArray)", json!([1, 2, 3, 4])),
        (
            "States.Base64Encode($.rawString)",
            json!("SGVsbG8gV29ybGQ="),
        ),
        ("States.Base64Decode($.encodedString)", json!("Hello World")),
        (
            "States.Hash($.inputString, 'SHA-256')",
            json!("1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e"),
        ),
        (
            "States.JsonMerge($.json1, $.json2, false)",
            json!({"a": 1, "b": 2, "c": 3, "d": 4}),
        ),
        ("States.StringToJson($.jsonString)", json!({"key": "value"})),
        (
            "States.JsonToString($.jsonObject)",
            json!("{\"test\":\"object\"}"),
        ),
        ("States.MathAdd($.value1, $.value2)", json!(8)),
        // new java.util.Random(42).nextInt(99) is 62 (JDK).
        ("States.MathRandom(1, 100, 42)", json!(1 + 62)),
        (
            "States.StringSplit($.csvString, ',')",
            json!(["a", "b", "c", "d", "e"]),
        ),
        (
            "States.Format('Hello {}, welcome to {}!', 'John', 'LocalStack')",
            json!("Hello John, welcome to LocalStack!"),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(ok(text, input.clone()), expected, "{text}");
    }
    let uuid = ok("States.UUID()", json!({}));
    assert!(uuid.as_str().is_some_and(|u| u.len() == 36));
    assert_eq!(
        ok("States.MathRandom(1, 100, 42)", json!({})),
        ok("States.MathRandom(1, 100, 42)", json!({}))
    );
}

#[test]
fn nested_calls() {
    assert_eq!(
        ok(
            "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)",
            json!(null)
        ),
        json!("MyMachine")
    );
    assert_eq!(
        ok("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))", json!(null)),
        json!("abc")
    );
    assert_eq!(
        ok("States.Array(1, States.Array(2, 3))", json!({})),
        json!([1, [2, 3]])
    );
    assert_eq!(
        ok(
            "States.Base64Decode(States.Base64Encode($.s))",
            json!({"s": "hello"})
        ),
        json!("hello")
    );
    assert_eq!(
        ok(
            "States.StringToJson(States.JsonToString($.obj))",
            json!({"obj": {"a": 1, "n": {"ok": true}}})
        ),
        json!({"a": 1, "n": {"ok": true}})
    );
    assert_eq!(
        ok(
            "States.Array(States.MathAdd($.x, -1), States.MathAdd($.x, 1))",
            json!({"x": 5})
        ),
        json!([4, 6])
    );
    assert_eq!(
        ok(
            "States.JsonMerge($json1, $$.Execution.Input, false)",
            json!({})
        ),
        json!({"a": 1, "suffix": "run"})
    );
    assert_eq!(ok("States.ArrayLength($arr)", json!({})), json!(2));
    assert!(cause(
        "States.Format('{}', States.ArrayGetItem($.a, 9))",
        json!({"a": [1]})
    )
    .ends_with("Invalid arguments in States.ArrayGetItem"));
}

#[test]
fn wrong_arity_fails_when_run() {
    for (text, name) in [
        ("States.Base64Decode()", "States.Base64Decode"),
        ("States.Base64Encode('a', 'b')", "States.Base64Encode"),
        ("States.Hash('hello')", "States.Hash"),
        ("States.StringToJson()", "States.StringToJson"),
        ("States.ArrayRange(1, 5)", "States.ArrayRange"),
        ("States.MathRandom(1)", "States.MathRandom"),
        ("States.UUID(1)", "States.UUID"),
        ("States.JsonMerge($.a, $.b)", "States.JsonMerge"),
    ] {
        let c = cause(text, json!({"a": {}, "b": {}}));
        assert_eq!(
            c,
            format!("The function '{text}' had the following error: Invalid arguments in {name}")
        );
    }
}

#[test]
fn public_helpers() {
    assert!(Intrinsic::looks_like("  States.UUID()"));
    assert!(!Intrinsic::looks_like("$.States"));
    let call = Intrinsic::parse(
        "States.Format('{}', States.ArrayGetItem(States.StringSplit($.a, ','), 0))",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(call.function(), Function::Format);
    assert_eq!(call.nesting_depth(), 3);
    assert_eq!(
        call.functions(),
        vec![
            Function::Format,
            Function::ArrayGetItem,
            Function::StringSplit
        ]
    );
    assert_eq!(
        call.as_str(),
        "States.Format('{}', States.ArrayGetItem(States.StringSplit($.a, ','), 0))"
    );
    for f in Function::ALL {
        assert_eq!(Function::from_name(f.name()), Some(f));
        let (min, max) = f.arity();
        assert!(max.is_none_or(|max| max >= min));
    }
    assert_eq!(Function::from_name("States.Nope"), None);
    assert_eq!(Function::ALL.len(), 18);
}

#[test]
fn num_conversions_follow_java() {
    assert_eq!(Num::Float(2.6).truncate(), 2);
    assert_eq!(Num::Float(-2.6).truncate(), -2);
    assert_eq!(Num::Float(1e300).truncate(), i64::MAX);
    assert_eq!(Num::Float(-0.5).round(), 0);
    assert_eq!(Num::Float(0.5).round(), 1);
    assert_eq!(Num::Float(-2.5).round(), -2);
    assert_eq!(Num::Float(0.49999999999999994).round(), 0);
    assert_eq!(Num::Float(-1.51).round(), -2);
    assert_eq!(Num::Int(7).round(), 7);
    assert_eq!(Num::of(&json!(u64::MAX)), Some(Num::Float(u64::MAX as f64)));
    assert_eq!(Num::of(&json!("1")), None);
}
