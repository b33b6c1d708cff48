//! Property tests: parsing and evaluating JSONata never panics, whatever the text,
//! the input or the variables, and runaway expressions (deep nesting, huge
//! sequences, pathological regexes) end with an error, quickly.

use asl::jsonata::{is_expression, Expr, JsonataEnv, JsonataError, Limits, Template};
use asl::random::{Entropy, SplitMix64};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

struct Env {
    input: Value,
    rng: SplitMix64,
}

impl JsonataEnv for Env {
    fn states_member(&self, name: &str) -> Option<Value> {
        match name {
            "input" => Some(self.input.clone()),
            "context" => Some(json!({"Execution": {"Id": "arn:x"}, "State": {"Name": "S"}})),
            _ => None,
        }
    }

    fn variable(&self, name: &str) -> Option<Value> {
        self.input.get(name).cloned()
    }

    fn entropy(&mut self) -> &mut dyn Entropy {
        &mut self.rng
    }
}

/// Tight limits, so that a runaway case ends fast.
fn limits() -> Limits {
    Limits {
        timeout_ms: 300,
        ..Limits::default()
    }
}

fn env(input: Value) -> Env {
    Env {
        input,
        rng: SplitMix64::new(3),
    }
}

/// Evaluates `text` (which need not parse), checking the result is well formed.
fn run(text: &str, input: Value) -> Option<Result<Option<Value>, JsonataError>> {
    let expr = Expr::parse(text).ok()?;
    let started = Instant::now();
    let result = expr.eval_with(&mut env(input), &limits());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{text} took {:?}",
        started.elapsed()
    );
    if let Ok(Some(value)) = &result {
        assert_integral_numbers_are_integers(value);
    }
    Some(result)
}

fn assert_integral_numbers_are_integers(value: &Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64() {
                if f.fract() == 0.0 && f.abs() < 9e15 {
                    assert!(n.is_i64() || n.is_u64(), "{n} came back as a float");
                }
            }
        }
        Value::Array(items) => items.iter().for_each(assert_integral_numbers_are_integers),
        Value::Object(map) => map.values().for_each(assert_integral_numbers_are_integers),
        _ => {}
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
        "[a-c{}%$ '\"\\\\-]{0,6}".prop_map(Value::String),
        Just(Value::String("{% $states.input %}".into())),
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

/// Tokens of JSONata, to build texts that get past the lexer.
const TOKENS: &[&str] = &[
    "$states",
    ".input",
    ".context",
    ".a",
    ".b",
    "[0]",
    "[-1]",
    "[a > 1]",
    "$a",
    "$b",
    "$",
    "$$",
    "%",
    "*",
    "**",
    "+",
    "-",
    "/",
    "&",
    "=",
    "!=",
    "<",
    ">=",
    "and",
    "or",
    "in",
    "?",
    ":",
    "??",
    "?:",
    ":=",
    "~>",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    "..",
    "^(",
    "#$i",
    "@$v",
    "|",
    "1",
    "0",
    "-1",
    "1.5",
    "1e308",
    "'s'",
    "\"t\"",
    "`a`",
    "true",
    "null",
    "function($x){",
    "$x",
    "$sum(",
    "$map(",
    "$string(",
    "$partition(",
    "$range(",
    "$hash(",
    "$random(",
    "$uuid(",
    "$parse(",
    "$eval(",
    "$match(",
    "$replace(",
    "$split(",
    "$pad(",
    "$reduce(",
    "$sort(",
    "$keys(",
    "$each(",
    "$lookup(",
    "$formatNumber(",
    "$fromMillis(",
    "$now(",
    "$shuffle(",
    "/a+/",
    "/(a|b)*c/i",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..14).prop_map(|t| t.join(" "))
}

/// Well-formed expressions: literals, paths, variables, operators, calls.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("$states.input".to_string()),
        Just("$states.input.a".to_string()),
        Just("$states.input.b[0]".to_string()),
        Just("$states.context.State.Name".to_string()),
        Just("$states.result".to_string()),
        Just("$a".to_string()),
        Just("$a.a.b".to_string()),
        Just("$states.input.a.a".to_string()),
        Just("$states.input.b.a.c".to_string()),
        Just("$states.input.a.*".to_string()),
        Just("$states.input.**.a".to_string()),
        Just("$states.input.b.a[0]".to_string()),
        Just("$states.input.a.b.%.a".to_string()),
        Just("$missing".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        (-1000i64..1000).prop_map(|i| i.to_string()),
        (-100.0f64..100.0).prop_map(|f| format!("{f:.2}")),
        "[a-c ]{0,5}".prop_map(|s| format!("'{s}'")),
        Just("'SHA-256'".to_string()),
        Just("[1, 2, 3]".to_string()),
        Just("{'k': 1}".to_string()),
    ];
    leaf.prop_recursive(4, 32, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(
                    &["+", "-", "*", "/", "%", "&", "=", "<", "and", "or", "in"][..]
                ),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            (
                prop::sample::select(
                    &[
                        "sum",
                        "count",
                        "string",
                        "number",
                        "partition",
                        "range",
                        "hash",
                        "random",
                        "uuid",
                        "parse",
                        "eval",
                        "keys",
                        "append",
                        "reverse",
                        "exists",
                        "type",
                        "join",
                        "split",
                        "substring",
                        "uppercase",
                        "pad",
                        "match",
                        "replace",
                        "sort",
                        "distinct",
                        "merge",
                        "shuffle",
                        "not",
                        "boolean",
                        "floor",
                        "power",
                        "sqrt",
                        "formatBase",
                        "toMillis",
                    ][..]
                ),
                prop::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(f, args)| format!("${f}({})", args.join(", "))),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("($x := {a}; $x & {b})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("$map({a}, function($v){{ {b} }})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_never_panics(body in "\\PC{0,40}", input in json_value()) {
        let text = format!("{{%{body}%}}");
        prop_assert!(is_expression(&text));
        let _ = run(&text, input);
        let _ = Expr::parse(&body);
    }

    #[test]
    fn token_soup_never_panics(body in token_soup(), input in json_value()) {
        let text = format!("{{% {body} %}}");
        match Expr::parse(&text) {
            Ok(expr) => {
                for name in expr.variables() {
                    prop_assert!(body.contains(&format!("${name}")), "{name} not in {body}");
                }
                let _ = run(&text, input);
            }
            Err(e) => {
                let chars = text.chars().count();
                prop_assert!(e.position.is_none_or(|p| p <= chars), "{e} past {chars}");
            }
        }
    }

    #[test]
    fn expressions_evaluate_to_json_or_an_error(body in expression(), input in json_value()) {
        let text = format!("{{% {body} %}}");
        let expr = Expr::parse(&text);
        prop_assert!(expr.is_ok(), "{text}: {:?}", expr.err());
        let _ = run(&text, json!({"a": input.clone(), "b": [input]}));
    }

    #[test]
    fn reading_only_what_paths_reach_changes_nothing(body in expression(), input in json_value()) {
        let input = json!({"a": input.clone(), "b": [input]});
        let projected = run(&format!("{{% {body} %}}"), input.clone());
        let whole = run(&format!("{{% ($w := [$states.input, $a]; {body}) %}}"), input);
        // A timeout depends on the machine, not on what was read.
        let timed_out = |r: &Option<Result<Option<Value>, JsonataError>>| {
            matches!(r, Some(Err(JsonataError::Evaluation { code: Some(c), .. })) if c == "D1012")
        };
        if !timed_out(&projected) && !timed_out(&whole) {
            prop_assert_eq!(projected, whole, "{}", body);
        }
    }

    #[test]
    fn templates_never_panic(template in json_value(), input in json_value()) {
        if let Ok(compiled) = Template::compile(&template) {
            let _ = compiled.variables();
            match compiled.eval("Output", &mut env(input)) {
                // Literals come back as written; expression results are checked by `run`.
                Ok(_) => {}
                Err(failure) => {
                    prop_assert_eq!(failure.error.as_str(), "States.QueryEvaluationError");
                    prop_assert!(failure.cause.contains("specified for the field 'Output"));
                }
            }
        }
    }

}

// Each case of these runs a runaway expression to its limit: fewer cases.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn deep_nesting_ends_with_an_error_quickly(depth in 1usize..20_000, kind in 0usize..6) {
        let body = match kind {
            0 => format!("{}1{}", "(".repeat(depth), ")".repeat(depth)),
            1 => format!("{}1{}", "[".repeat(depth), "]".repeat(depth)),
            2 => format!("{}1", "-".repeat(depth)),
            3 => format!("$states.input{}", ".a".repeat(depth)),
            4 => format!("($f := function($n){{ $n = 0 ? 0 : 1 + $f($n - 1) }}; $f({depth}))"),
            _ => format!("$reduce($range(1, {depth}, 1), function($acc, $x){{ [$acc] }}, [])"),
        };
        let started = Instant::now();
        let _ = run(&format!("{{% {body} %}}"), json!({"a": {"a": 1}}));
        prop_assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn huge_sequences_end_with_an_error_quickly(exp in 3u32..13, kind in 0usize..6) {
        let n = 10u64.pow(exp);
        let body = match kind {
            0 => format!("$count([1..{n}])"),
            1 => format!("$count($range(1, {n}, 1))"),
            2 => format!("$sum($map([1..{n}], function($x){{ $x * 2 }}))"),
            3 => format!("$count($partition($range(1, {n}, 1), 2))"),
            4 => format!("$length($join($map([1..{n}], function($x){{ 'abcdefgh' }})))"),
            _ => format!("$count($filter([1..{n}], function($x){{ $x % 2 = 0 }}))"),
        };
        let started = Instant::now();
        let result = run(&format!("{{% {body} %}}"), json!({}));
        prop_assert!(result.is_some());
        prop_assert!(started.elapsed() < Duration::from_secs(5), "{body}: {:?}", started.elapsed());
    }

    #[test]
    fn pathological_regexes_finish_quickly(len in 1usize..3_000, pattern in 0usize..5) {
        let regex = ["/(a+)+$/", "/(a|a)*b/", "/(a*)*$/", "/^(a|aa)+$/", "/((a{1,10}){1,10}){1,10}b/"][pattern];
        let subject = format!("{}!", "a".repeat(len));
        let started = Instant::now();
        for f in ["$match($states.input.s, {r})", "$replace($states.input.s, {r}, 'x')", "$contains($states.input.s, {r})", "$split($states.input.s, {r})"] {
            let body = f.replace("{r}", regex);
            let _ = run(&format!("{{% {body} %}}"), json!({"s": subject}));
        }
        prop_assert!(started.elapsed() < Duration::from_secs(5));
    }
}
