//! End-to-end tests of expressions and templates against AWS's recorded behaviour.

use super::*;
use crate::errors::QUERY_EVALUATION_ERROR;
use crate::random::{Entropy, SplitMix64};
use serde_json::{json, Value};
use std::collections::HashMap;

/// An environment with fixed `$states` members and variables.
pub(crate) struct TestEnv {
    pub states: HashMap<String, Value>,
    pub vars: HashMap<String, Value>,
    pub rng: SplitMix64,
    pub now: Option<i64>,
    /// Every variable asked for, in order.
    pub asked: std::cell::RefCell<Vec<String>>,
}

impl TestEnv {
    pub fn new(input: Value) -> Self {
        TestEnv {
            states: HashMap::from([("input".to_string(), input)]),
            vars: HashMap::new(),
            rng: SplitMix64::new(1),
            now: None,
            asked: Default::default(),
        }
    }

    pub fn var(mut self, name: &str, value: Value) -> Self {
        self.vars.insert(name.to_string(), value);
        self
    }

    pub fn member(mut self, name: &str, value: Value) -> Self {
        self.states.insert(name.to_string(), value);
        self
    }
}

impl JsonataEnv for TestEnv {
    fn states_member(&self, name: &str) -> Option<Value> {
        self.states.get(name).cloned()
    }

    fn variable(&self, name: &str) -> Option<Value> {
        self.asked.borrow_mut().push(name.to_string());
        self.vars.get(name).cloned()
    }

    fn entropy(&mut self) -> &mut dyn Entropy {
        &mut self.rng
    }

    fn now_millis(&self) -> Option<i64> {
        self.now
    }
}

fn eval(text: &str, env: &mut TestEnv) -> Result<Option<Value>, JsonataError> {
    Expr::parse(text).expect("parses").eval(env)
}

fn value(text: &str, input: Value) -> Value {
    match eval(text, &mut TestEnv::new(input)) {
        Ok(Some(v)) => v,
        other => panic!("{text}: {other:?}"),
    }
}

fn error(text: &str, input: Value) -> String {
    match eval(text, &mut TestEnv::new(input)) {
        Err(e) => e.to_string(),
        other => panic!("{text}: {other:?}"),
    }
}

fn field(template: Value, field: &str, env: &mut TestEnv) -> Result<Value, crate::errors::Failure> {
    Template::compile(&template)
        .expect("compiles")
        .eval(field, env)
}

fn cause(template: Value, name: &str, env: &mut TestEnv) -> String {
    match field(template, name, env) {
        Err(f) => {
            assert_eq!(f.error, QUERY_EVALUATION_ERROR);
            f.cause
        }
        Ok(v) => panic!("succeeded: {v}"),
    }
}

#[test]
fn is_expression_needs_both_delimiters_at_the_edges() {
    assert!(is_expression("{% 1 %}"));
    assert!(is_expression("{%1%}"));
    assert!(!is_expression("{%}"));
    assert!(!is_expression(" {% 1 %}"));
    assert!(!is_expression("{% 1 %} "));
    assert!(!is_expression("$states.input"));
    assert!(!is_expression(""));
}

#[test]
fn parse_keeps_the_trimmed_source_and_finds_variables() {
    let expr = Expr::parse("{%  $sum($states.input.values) + $var_constant_1 %}").expect("parses");
    assert_eq!(
        expr.source(),
        "$sum($states.input.values) + $var_constant_1"
    );
    assert_eq!(expr.variables(), ["var_constant_1"]);
    assert_eq!(
        format!("{expr:?}"),
        "Expr({% $sum($states.input.values) + $var_constant_1 %})"
    );
    assert_eq!(expr, expr.clone());
}

#[test]
fn syntax_errors_name_the_position() {
    let err = |text: &str| match Expr::parse(text) {
        Err(e) => e,
        Ok(e) => panic!("{text} parsed: {e:?}"),
    };
    let e = err("{% 1 2 %}");
    assert_eq!(e.message, "S0201: Syntax error: 2");
    assert_eq!(e.position, Some(6));
    assert_eq!(e.to_string(), "S0201: Syntax error: 2 at position 6");
    let e = err("{% $states.input. %}");
    assert_eq!(e.message, "S0207: Unexpected end of expression");
    assert_eq!(e.position, Some(17));
    let e = err("{%   %}");
    assert_eq!(e.message, "The JSONata expression is empty");
    let e = err("$states.input");
    assert_eq!(
        e.message,
        "A JSONata expression must start with '{%' and end with '%}'"
    );
}

#[test]
fn states_members_and_variables() {
    let mut env = TestEnv::new(json!({"n": 41}))
        .member("context", json!({"State": {"Name": "S"}}))
        .var("x", json!(2));
    assert_eq!(
        eval("{% $states.input.n + 1 %}", &mut env),
        Ok(Some(json!(42)))
    );
    assert_eq!(
        eval("{% $states.context.State.Name %}", &mut env),
        Ok(Some(json!("S")))
    );
    assert_eq!(eval("{% $states.result %}", &mut env), Ok(None));
    assert_eq!(
        eval("{% $keys($states) %}", &mut env).map(|v| v.map(|v| v.as_array().map(Vec::len))),
        Ok(Some(Some(2)))
    );
    assert_eq!(eval("{% $x * 2 %}", &mut env), Ok(Some(json!(4))));
    assert_eq!(eval("{% $doesNotExist %}", &mut env), Ok(None));
    assert_eq!(
        eval("{% ($y := 5; $y + $x) %}", &mut env),
        Ok(Some(json!(7)))
    );
    // Only the free variables are asked for.
    assert_eq!(env.asked.borrow().as_slice(), ["x", "doesNotExist", "x"]);
}

#[test]
fn numbers_come_back_as_integers_when_integral() {
    assert_eq!(
        value("{% $sum($states.input) %}", json!([1, 2, 3])),
        json!(6)
    );
    assert_eq!(value("{% 1.5 * 2 %}", json!(null)), json!(3));
    assert_eq!(
        value("{% 0.1 + 0.2 %}", json!(null)),
        json!(0.30000000000000004)
    );
    assert_eq!(value("{% $number('2') %}", json!(null)), json!(2));
    assert_eq!(value("{% [1, 2.5] %}", json!(null)), json!([1, 2.5]));
}

#[test]
fn corpus_expressions() {
    assert_eq!(
        value("{% $contains(\"hello$world\", /^hello\\ /) %}", json!({})),
        json!(false)
    );
    assert_eq!(
        value(
            "{% $merge([$states.input.part1, $states.input.part2]) %}",
            json!({"part1": {"hello": "world"}, "part2": {"foo": "bar"}})
        ),
        json!({"hello": "world", "foo": "bar"})
    );
    assert_eq!(
        value(
            "{% $not($states.input.type = 'Private') %}",
            json!({"type": "Private"})
        ),
        json!(false)
    );
    assert_eq!(
        value(
            "{% $states.input.value >= 20 and $states.input.value < 30 %}",
            json!({"value": 22})
        ),
        json!(true)
    );
    assert_eq!(value("{% $variable := 1 %}", json!({})), json!(1));
    assert_eq!(
        value("{% $states.input.items %}", json!({"items": []})),
        json!([])
    );
    assert_eq!(
        value(
            "{% $parse($states.input.s) %}",
            json!({"s": "{\"Arg1\": 1, \"Arg2\": []}"})
        ),
        json!({"Arg1": 1, "Arg2": []})
    );
    assert_eq!(
        value("{% $partition([1,2,3,4,5,6,7,8,9], 3) %}", json!({})),
        json!([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    );
    assert_eq!(value("{% $range(1, 9, 9) %}", json!({})), json!(1));
    assert_eq!(
        value("{% $range(0, 10, 2) %}", json!({})),
        json!([0, 2, 4, 6, 8, 10])
    );
    assert_eq!(
        value("{% $exists($states.input.n) %}", json!({"n": null})),
        json!(true)
    );
}

#[test]
fn evaluation_errors_carry_jsonata_js_messages() {
    assert_eq!(
        error("{% $randomSeeded($states.input.x) %}", json!({"x": 1})),
        "T1006: Attempted to invoke a non-function"
    );
    assert_eq!(
        error("{% $states.input.s + 1 %}", json!({"s": "a"})),
        "T2001: The left side of the \"+\" operator must evaluate to a number"
    );
    assert_eq!(
        error("{% $range('0', 4, 1) %}", json!({})),
        "T0410: Argument 1 of function \"range\" does not match function signature"
    );
    match eval("{% 1 + 'a' %}", &mut TestEnv::new(json!({}))) {
        Err(JsonataError::Evaluation { code, .. }) => assert_eq!(code.as_deref(), Some("T2002")),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error("{% $eval('1') %}", json!({})),
        "The function $eval is not supported; use $parse to read a JSON string"
    );
    assert_eq!(
        error("{% $map(['1'], $eval) %}", json!({})),
        error("{% $eval('1') %}", json!({}))
    );
}

#[test]
fn unsupported_results() {
    assert_eq!(
        eval(
            "{% $fn := function($x){$x} %}",
            &mut TestEnv::new(json!({}))
        ),
        Err(JsonataError::UnsupportedResult)
    );
    assert_eq!(
        eval("{% $sum %}", &mut TestEnv::new(json!({}))),
        Err(JsonataError::UnsupportedResult)
    );
    assert_eq!(
        eval("{% 1/0 %}", &mut TestEnv::new(json!({}))),
        Err(JsonataError::UnsupportedResult)
    );
    assert_eq!(
        eval("{% [/a/] %}", &mut TestEnv::new(json!({}))),
        Err(JsonataError::UnsupportedResult)
    );
}

#[test]
fn template_failures_name_the_field_path() {
    let mut env = TestEnv::new(json!({}));
    assert_eq!(
        cause(json!({"result": "{% $doesNotExist %}"}), "Output", &mut env),
        "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined)."
    );
    assert_eq!(
        cause(json!("{% $fn := function($x){$x} %}"), "Items", &mut env),
        "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type."
    );
    assert_eq!(
        cause(json!({"a": [1, {"b": "{% $randomSeeded(1) %}"}]}), "Output", &mut env),
        "The JSONata expression '$randomSeeded(1)' specified for the field 'Output/a/1/b' threw an error during evaluation. T1006: Attempted to invoke a non-function"
    );
    assert_eq!(
        cause(json!("{% $nothing %}"), "TimeoutSeconds", &mut env),
        "The JSONata expression '$nothing' specified for the field 'TimeoutSeconds' returned nothing (undefined)."
    );
}

#[test]
fn templates_evaluate_expressions_and_keep_literals() {
    let template = json!({
        "constant_null": null, "constant_int": 0, "constant_float": 0.1,
        "constant_not_jsonata": " {% states.input %} ",
        "constant_varpath_states": "$states.input",
        "constant_jp_input.$": "$",
        "constant_if": "States.Format('Format:{}', 101)",
        "list": [null, 0, "$no.such.var.path", "{% $states.input.n %}", [], {"constant": 0}],
        "ja_expr": "{% $sum($states.input.input_values) + $var_constant_1 %}"
    });
    let mut env =
        TestEnv::new(json!({"n": 5, "input_values": [1, 2, 3]})).var("var_constant_1", json!(1));
    let out = field(template.clone(), "Output", &mut env).expect("evaluates");
    let mut expected = template.clone();
    expected["list"][3] = json!(5);
    expected["ja_expr"] = json!(7);
    assert_eq!(out, expected);
    let compiled = Template::compile(&template).expect("compiles");
    assert_eq!(compiled.variables(), ["var_constant_1"]);
    assert!(compiled.as_literal().is_none());
    let literal = Template::compile(&json!({"a": [1, "x"]})).expect("compiles");
    assert_eq!(literal.as_literal(), Some(&json!({"a": [1, "x"]})));
    assert!(literal.variables().is_empty());
    assert_eq!(
        field(json!([1, "{% 1 + 1 %}", 3]), "Items", &mut env),
        Ok(json!([1, 2, 3]))
    );
    assert_eq!(field(json!({}), "Output", &mut env), Ok(json!({})));
    assert_eq!(field(json!(0.1), "Output", &mut env), Ok(json!(0.1)));
}

#[test]
fn template_compile_errors_carry_the_pointer() {
    let err = Template::compile(&json!({"a": [0, "{% 1 + %}"], "b/c~": "{% ( %}"}));
    match err {
        Err(e) => {
            assert_eq!(e.pointer, "/a/1");
            assert_eq!(e.error.message, "S0207: Unexpected end of expression");
            assert_eq!(
                e.to_string(),
                "/a/1: S0207: Unexpected end of expression at position 6"
            );
        }
        Ok(t) => panic!("compiled: {t:?}"),
    }
    match Template::compile(&json!({"b/c~": "{% ( %}"})) {
        Err(e) => assert_eq!(e.pointer, "/b~1c~0"),
        Ok(t) => panic!("compiled: {t:?}"),
    }
    match Template::compile(&json!("{% ) %}")) {
        Err(e) => assert_eq!(e.pointer, ""),
        Ok(t) => panic!("compiled: {t:?}"),
    }
}

#[test]
fn expr_failure_helpers() {
    let expr = Expr::parse("{% $ItemsVar %}").expect("parses");
    let mut env = TestEnv::new(json!({})).var("ItemsVar", json!({"foo": "bar"}));
    assert_eq!(
        expr.eval_field("Items", &mut env),
        Ok(json!({"foo": "bar"}))
    );
    let failure = expr.unexpected_type_failure("Items", "array", &json!({"foo": "bar"}));
    assert_eq!(
        failure.cause,
        "The JSONata expression '$ItemsVar' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}"
    );
    assert_eq!(
        expr.unexpected_type_failure("Items", "array", &json!("string")).cause,
        "The JSONata expression '$ItemsVar' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: \"string\""
    );
    assert_eq!(json_type(&json!(true)), "boolean");
    assert_eq!(json_type(&json!(null)), "null");
    assert_eq!(json_type(&json!(1)), "number");
    let missing = Expr::parse("{% $nope %}").expect("parses");
    assert_eq!(
        missing.eval_field("Condition", &mut env).map_err(|f| f.cause),
        Err("The JSONata expression '$nope' specified for the field 'Condition' returned nothing (undefined).".to_string())
    );
}

#[test]
fn randomness_comes_from_the_environment() {
    let run = |text: &str| {
        let mut env = TestEnv::new(json!({}));
        eval(text, &mut env).expect("evaluates")
    };
    let uuid = run("{% $uuid() %}");
    assert_eq!(run("{% $uuid() %}"), uuid);
    assert_ne!(
        run("{% [$uuid(), $uuid()] %}").and_then(|v| v.get(0).cloned()),
        run("{% [$uuid(), $uuid()] %}").and_then(|v| v.get(1).cloned())
    );
    let r = run("{% $random() %}")
        .and_then(|v| v.as_f64())
        .unwrap_or(-1.0);
    assert!((0.0..1.0).contains(&r));
    assert_eq!(run("{% $random(42) %}"), Some(json!(0.7275636800328681)));
    // An expression without randomness leaves the entropy alone.
    let mut env = TestEnv::new(json!({}));
    let before = env.rng;
    eval("{% $states.input %}", &mut env).expect("evaluates");
    assert_eq!(env.rng, before);
}

#[test]
fn time_comes_from_the_environment_when_given() {
    let mut env = TestEnv::new(json!({}));
    env.now = Some(1_700_000_000_123);
    assert_eq!(
        eval("{% $now() %}", &mut env),
        Ok(Some(json!("2023-11-14T22:13:20.123Z")))
    );
    assert_eq!(
        eval("{% $millis() %}", &mut env),
        Ok(Some(json!(1_700_000_000_123_i64)))
    );
    assert_eq!(
        eval("{% $now('[Y0001]') %}", &mut env),
        Ok(Some(json!("2023")))
    );
    let mut system = TestEnv::new(json!({}));
    let now = eval("{% $millis() %}", &mut system)
        .ok()
        .flatten()
        .and_then(|v| v.as_i64())
        .unwrap_or(0);
    assert!(now > 1_700_000_000_000);
}

#[test]
fn runaway_evaluations_end_with_errors() {
    let limits = Limits {
        timeout_ms: 2_000,
        ..Limits::default()
    };
    let run = |text: &str| {
        let started = std::time::Instant::now();
        let result = Expr::parse(text)
            .expect("parses")
            .eval_with(&mut TestEnv::new(json!({})), &limits);
        (result, started.elapsed())
    };
    let (result, took) =
        run("{% ($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000)) %}");
    assert!(
        matches!(&result, Err(JsonataError::Evaluation { code: Some(c), .. }) if c == "D1011"),
        "{result:?}"
    );
    assert!(took.as_secs() < 2, "{took:?}");
    let (result, _) = run("{% $count([0..1e9]) %}");
    assert!(
        matches!(&result, Err(JsonataError::Evaluation { .. })),
        "{result:?}"
    );
    let (result, _) = run("{% $count($range(0, 1e9, 1)) %}");
    assert!(
        matches!(&result, Err(JsonataError::Evaluation { code: Some(c), .. }) if c == "D2015"),
        "{result:?}"
    );
    let (result, took) = run("{% ($f := function(){ $f() }; $f()) %}");
    assert!(
        matches!(&result, Err(JsonataError::Evaluation { code: Some(c), .. }) if c == "D1012"),
        "{result:?}"
    );
    assert!(took.as_secs() < 4, "{took:?}");
    let (result, _) = run("{% $reduce([1..2000], function($acc, $x){ {'a': $acc} }, {}) %}");
    assert_eq!(
        result,
        Err(JsonataError::ResultTooDeep {
            limit: limits.max_result_depth
        })
    );
}

#[test]
fn pathological_regexes_are_linear() {
    let subject = "a".repeat(30);
    let mut env = TestEnv::new(json!({"s": format!("{subject}!")}));
    let started = std::time::Instant::now();
    let result = eval("{% $match($states.input.s, /(a+)+$/) %}", &mut env);
    assert!(result.is_ok(), "{result:?}");
    let result = eval("{% $replace($states.input.s, /(a|a)*b/, 'x') %}", &mut env);
    assert!(result.is_ok(), "{result:?}");
    assert!(started.elapsed().as_secs() < 1);
}

#[test]
fn strings_cannot_double_without_bound() {
    let started = std::time::Instant::now();
    let result = eval(
        "{% ($p := function($s, $n) { $n = 0 ? $s : $p($s & $s, $n - 1) }; $length($p('x', 40))) %}",
        &mut TestEnv::new(json!({})),
    );
    assert_eq!(
        result,
        Err(JsonataError::Evaluation {
            code: None,
            message: format!(
                "The expression builds a string longer than the limit of {} bytes",
                limits::DEFAULT_MAX_STRING_BYTES
            ),
        })
    );
    assert!(started.elapsed().as_secs() < 2);
    assert!(eval("{% $pad('', 2000000000) %}", &mut TestEnv::new(json!({}))).is_err());
    assert!(eval(
        "{% $pad('', -2000000000, '#') %}",
        &mut TestEnv::new(json!({}))
    )
    .is_err());
    // The checks change nothing else.
    assert_eq!(
        value(
            "{% 'a' & 1 & null & [1, {'b': 2.5}] & $nothing %}",
            json!({})
        ),
        json!("a1null[1,{\"b\":2.5}]")
    );
    assert_eq!(
        value("{% $pad('ab', 5, '#') & '|' & $pad('ab', -5) %}", json!({})),
        json!("ab###|   ab")
    );
    assert_eq!(
        value(
            "{% $states.input.name.$pad(4, '-') %}",
            json!({"name": "x"})
        ),
        json!("x---")
    );
    assert_eq!(
        value(
            "{% $states.input.items.(name & '!') %}",
            json!({"items": [{"name": "a"}, {"name": "b"}]})
        ),
        json!(["a!", "b!"])
    );
    assert_eq!(
        value(
            "{% $join($states.input.items.(name & '!'), ',') %}",
            json!({"items": [{"name": "a"}]})
        ),
        json!("a!")
    );
}

#[test]
fn projected_inputs_read_the_same() {
    let input = json!({
        "items": [{"price": 1.5, "name": "a"}, {"name": "b"}, [{"price": 2}], {"price": [3, 4]}],
        "n": {"m": [1, {"k": 2}]},
        "s": "text"
    });
    let mut env = TestEnv::new(input).var("v", json!({"a": [{"b": 1}, {"b": 2, "c": 3}], "d": 4}));
    for (body, expected) in [
        ("$sum($states.input.items.price)", json!(10.5)),
        ("$states.input.items.name", json!(["a", "b"])),
        ("$count($states.input.items)", json!(4)),
        ("$states.input.n.m.k", json!(2)),
        ("$states.input.n.m", json!([1, {"k": 2}])),
        ("$states.input.s.foo", json!("<undefined>")),
        (
            "$states.input.items[0].name & $states.input.items.price[1]",
            json!("a4"),
        ),
        ("$states.input.items.price.%.name", json!("a")),
        ("$keys($states.input.n)", json!("m")),
        // `@` keeps the context: `.name` is read from the input.
        ("$states.input.items@$i.name", json!("<undefined>")),
        ("$states.input.items@$i.($i.name)", json!(["a", "b"])),
        (
            "$states.input.items.*",
            json!([1.5, "a", "b", {"price": 2}, 3, 4]),
        ),
        ("$states.input.**.k", json!(2)),
        ("$v.a.b", json!([1, 2])),
        ("$v.a[b = 2].c & $v.d", json!("34")),
    ] {
        // The same expression, made to read the whole input and variable.
        let whole = format!("{{% ($w := [$states.input, $v]; {body}) %}}");
        let projected = format!("{{% {body} %}}");
        let got = eval(&projected, &mut env).map(|v| v.unwrap_or(json!("<undefined>")));
        assert_eq!(got, Ok(expected), "{body}");
        assert_eq!(eval(&whole, &mut env), eval(&projected, &mut env), "{body}");
    }
}

#[test]
fn nested_results_are_unwrapped_as_jsonata_js_does() {
    let input = json!({"a": 1});
    assert_eq!(
        value(
            "{% $map($states.input, function($v){ $map(true, function($w){ $states.input }) }) %}",
            input.clone()
        ),
        input
    );
    assert_eq!(
        value("{% {'x': $map([1], function($v){ $v })} %}", json!({})),
        json!({"x": 1})
    );
    assert_eq!(value("{% [$states.input.a][] %}", input), json!([1]));
}

#[test]
fn empty_arrays_missing_members_and_nulls_on_variable_paths() {
    let mut env = TestEnv::new(json!({"a": {"items": [], "n": null}}))
        .var("x", json!({"items": [], "n": null}));
    for (text, expected) in [
        ("{% $states.input.a.items %}", Some(json!([]))),
        ("{% $x.items %}", Some(json!([]))),
        ("{% $x.n %}", Some(json!(null))),
        ("{% $exists($x.missing) %}", Some(json!(false))),
        ("{% $exists($x.n) %}", Some(json!(true))),
        ("{% $exists($states.input.a.missing) %}", Some(json!(false))),
        ("{% $states.input.a.missing %}", None),
        ("{% $x.missing %}", None),
        ("{% $count($x.items) %}", Some(json!(0))),
    ] {
        assert_eq!(eval(text, &mut env), Ok(expected), "{text}");
    }
}

#[test]
fn expressions_and_templates_can_be_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Expr>();
    shared::<Template>();
    shared::<JsonataError>();
    shared::<JsonataSyntaxError>();
}

#[test]
fn recursion_well_below_the_limit_works() {
    let text = "{% ($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(500)) %}";
    assert_eq!(
        eval(text, &mut TestEnv::new(json!({}))),
        Ok(Some(json!(500)))
    );
    let tail =
        "{% ($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(20000, 0)) %}";
    assert_eq!(
        eval(tail, &mut TestEnv::new(json!({}))),
        Ok(Some(json!(20000)))
    );
}

/// Time per evaluation. Run with
/// `cargo test --release -p stepwise-asl --lib jsonata::tests::speed -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn speed() {
    /// Lends `$states.input` instead of copying it (`with_states_member`).
    struct Lending(TestEnv);
    impl JsonataEnv for Lending {
        fn states_member(&self, name: &str) -> Option<Value> {
            self.0.states_member(name)
        }
        fn with_states_member(&self, name: &str, f: &mut dyn FnMut(&Value)) {
            if let Some(value) = self.0.states.get(name) {
                f(value);
            }
        }
        fn variable(&self, name: &str) -> Option<Value> {
            self.0.variable(name)
        }
        fn entropy(&mut self) -> &mut dyn Entropy {
            self.0.entropy()
        }
    }
    fn time(label: &str, text: &str, env: &mut dyn JsonataEnv) {
        let expr = Expr::parse(text).expect("parses");
        let runs = 20_000;
        for _ in 0..runs / 10 {
            let _ = expr.eval(env);
        }
        let started = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(expr.eval(env).ok());
        }
        println!(
            "{label:<48} {:>10.2?} per evaluation",
            started.elapsed() / runs
        );
    }
    let items: Vec<Value> = (0..180)
        .map(|i| json!({"id": i, "name": format!("item-{i}"), "price": f64::from(i) * 1.25, "tags": ["a", "b"]}))
        .collect();
    let big = json!({"n": 41, "items": items});
    println!("large input: {} bytes of JSON", big.to_string().len());
    let simple = "{% $states.input.n + 1 %}";
    time(
        "n + 1, small input",
        simple,
        &mut TestEnv::new(json!({"n": 41})),
    );
    time(
        "n + 1, 10 KB input (copied)",
        simple,
        &mut TestEnv::new(big.clone()),
    );
    time(
        "n + 1, 10 KB input (lent)",
        simple,
        &mut Lending(TestEnv::new(big.clone())),
    );
    let sum = "{% $sum($states.input.items.price) %}";
    time(
        "sum of 180 prices, 10 KB input (lent)",
        sum,
        &mut Lending(TestEnv::new(big.clone())),
    );
    let whole = "{% $count($keys($states.input)) %}";
    time(
        "whole 10 KB input converted (lent)",
        whole,
        &mut Lending(TestEnv::new(big)),
    );
    let started = std::time::Instant::now();
    for _ in 0..1_000 {
        std::hint::black_box(Expr::parse(simple).ok());
    }
    println!("{:<48} {:>10.2?}", "parse n + 1", started.elapsed() / 1_000);
}
