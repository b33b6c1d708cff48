//! Behaviour of whole paths: every kind of step, select/take/assign, errors.

use super::*;
use serde_json::json;

fn path(text: &str) -> JsonPath {
    JsonPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn sel(text: &str, doc: &Value) -> Option<Value> {
    path(text).select(doc)
}

fn store() -> Value {
    json!({
        "store": {
            "book": [
                {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
                {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
                {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
                {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
            ],
            "bicycle": {"color": "red", "price": 19.95}
        },
        "expensive": 10
    })
}

#[test]
fn root_and_definite_paths() {
    let doc = json!({"a": {"b": [10, 20, {"c": "x"}]}, "n": null, "my prop": 1, "a-b": 2});
    assert_eq!(sel("$", &doc), Some(doc.clone()));
    assert_eq!(sel("$.a.b[0]", &doc), Some(json!(10)));
    assert_eq!(sel("$.a.b[-1].c", &doc), Some(json!("x")));
    assert_eq!(sel("$['a'][\"b\"][1]", &doc), Some(json!(20)));
    assert_eq!(sel("$['my prop']", &doc), Some(json!(1)));
    assert_eq!(sel("$.a-b", &doc), Some(json!(2)));
    assert_eq!(sel("$.n", &doc), Some(Value::Null));
    assert_eq!(sel("$.missing", &doc), None);
    assert_eq!(sel("$.a.missing.deeper", &doc), None);
    assert_eq!(sel("$.n.x", &doc), None);
    assert_eq!(sel("$.a.b.c", &doc), None);
    assert_eq!(sel("$.a[0]", &doc), None);
    assert!(path("$.a.b[0]").is_definite());
}

#[test]
fn out_of_range_index_is_null_like_jackson_but_missing_when_strict() {
    let doc = json!({"items": [1, 2]});
    assert_eq!(sel("$.items[5]", &doc), Some(Value::Null));
    assert_eq!(sel("$.items[-3]", &doc), Some(Value::Null));
    assert_eq!(sel("$.items[5].x", &doc), None);
    assert_eq!(path("$.items[5]").select_strict(&doc), None);
    assert_eq!(path("$.items[1]").select_strict(&doc), Some(json!(2)));
    assert_eq!(
        path("$.items[*][3]").select(&json!({"items": [[1], [2]]})),
        Some(json!([null, null]))
    );
    assert_eq!(
        path("$.items[*][3]").select_strict(&json!({"items": [[1], [2]]})),
        Some(json!([]))
    );
}

#[test]
fn wildcards_and_slices() {
    let doc = store();
    assert_eq!(
        sel("$.store.book[*].author", &doc),
        Some(json!([
            "Nigel Rees",
            "Evelyn Waugh",
            "Herman Melville",
            "J. R. R. Tolkien"
        ]))
    );
    assert_eq!(sel("$.store.bicycle.*", &doc), Some(json!(["red", 19.95])));
    assert_eq!(
        sel("$.store.book[1:3].price", &doc),
        Some(json!([12.99, 8.99]))
    );
    assert_eq!(
        sel("$.store.book[:2].price", &doc),
        Some(json!([8.95, 12.99]))
    );
    assert_eq!(
        sel("$.store.book[-2:].price", &doc),
        Some(json!([8.99, 22.99]))
    );
    assert_eq!(
        sel("$.store.book[0,2].price", &doc),
        Some(json!([8.95, 8.99]))
    );
    assert_eq!(sel("$.store.book[2:1]", &doc), Some(json!([])));
    assert_eq!(sel("$.expensive[*]", &doc), Some(json!([])));
}

#[test]
fn indefinite_paths_never_miss() {
    // AWS: {"item.$": "$.item.items[:1]"} on {} is [] (conformance corpus).
    assert_eq!(sel("$.item.items[:1]", &json!({})), Some(json!([])));
    assert_eq!(sel("$.items[*].itemValue", &json!({})), Some(json!([])));
    assert_eq!(sel("$.items[1:].itemValue", &json!({})), Some(json!([])));
    assert_eq!(
        sel(
            "$.items[*].v",
            &json!({"items": [{"v": 1}, {}, {"v": null}]})
        ),
        Some(json!([1, null]))
    );
}

#[test]
fn deep_scan() {
    let doc = store();
    assert_eq!(
        sel("$..author", &doc),
        Some(json!([
            "Nigel Rees",
            "Evelyn Waugh",
            "Herman Melville",
            "J. R. R. Tolkien"
        ]))
    );
    assert_eq!(
        sel("$.store..price", &doc),
        Some(json!([8.95, 12.99, 8.99, 22.99, 19.95]))
    );
    assert_eq!(sel("$..book[2].title", &doc), Some(json!(["Moby Dick"])));
    assert_eq!(
        sel("$..book[-1:].title", &doc),
        Some(json!(["The Lord of the Rings"]))
    );
    assert_eq!(
        sel("$..*", &json!({"a": {"b": 1}, "c": [2]})),
        Some(json!([{"b": 1}, [2], 1, 2]))
    );
    assert_eq!(
        sel("$..[0]", &json!({"a": [1, [2, 3]]})),
        Some(json!([1, 2]))
    );
    assert_eq!(sel("$..x", &json!(5)), Some(json!([])));
}

#[test]
fn filters() {
    let doc = store();
    assert_eq!(
        sel("$.store.book[?(@.price < 10)].title", &doc),
        Some(json!(["Sayings of the Century", "Moby Dick"]))
    );
    assert_eq!(
        sel("$.store.book[?(@.isbn)].title", &doc),
        Some(json!(["Moby Dick", "The Lord of the Rings"]))
    );
    assert_eq!(
        sel("$.store.book[?(!@.isbn)].title", &doc),
        Some(json!(["Sayings of the Century", "Sword of Honour"]))
    );
    assert_eq!(
        sel(
            "$.store.book[?(@.category == 'fiction' && @.price > 20)].author",
            &doc
        ),
        Some(json!(["J. R. R. Tolkien"]))
    );
    assert_eq!(
        sel(
            "$.store.book[?(@.price < 9 || @.author == \"Evelyn Waugh\")].price",
            &doc
        ),
        Some(json!([8.95, 12.99, 8.99]))
    );
    assert_eq!(
        sel("$.store.book[?(@.price <= $.expensive)].price", &doc),
        Some(json!([8.95, 8.99]))
    );
    assert_eq!(
        sel(
            "$..book[?(@.author in ['Nigel Rees', 'Herman Melville'])].price",
            &doc
        ),
        Some(json!([8.95, 8.99]))
    );
    assert_eq!(
        sel("$..book[?(@.category != 'fiction')].title", &doc),
        Some(json!(["Sayings of the Century"]))
    );
    assert_eq!(
        sel("$..[?(@.color == 'red')].price", &doc),
        Some(json!([19.95]))
    );
    let flags = json!([{"on": true}, {"on": false}, {"on": null}, {}]);
    assert_eq!(
        sel("$[?(@.on == true)]", &flags),
        Some(json!([{"on": true}]))
    );
    assert_eq!(
        sel("$[?(@.on == null)]", &flags),
        Some(json!([{"on": null}]))
    );
    assert_eq!(
        sel("$[?(@.on)]", &flags),
        Some(json!([{"on": true}, {"on": false}, {"on": null}]))
    );
    assert_eq!(
        sel("$[?(@.on != false)]", &flags),
        Some(json!([{"on": true}, {"on": null}, {}]))
    );
    assert_eq!(
        sel("$[?((@.on == true))]", &flags),
        Some(json!([{"on": true}]))
    );
    let nums = json!([1, 5, "5", 7]);
    assert_eq!(sel("$[?(@ > 2)]", &nums), Some(json!([5, 7])));
    assert_eq!(sel("$[?(@ == 5)]", &nums), Some(json!([5, "5"])));
    // A filter on an object tests the object itself (Jayway).
    assert_eq!(
        sel("$.a[?(@.b == 1)]", &json!({"a": {"b": 1}})),
        Some(json!([{"b": 1}]))
    );
    assert_eq!(
        sel("$.a[?(@.b == 2)]", &json!({"a": {"b": 1}})),
        Some(json!([]))
    );
    assert_eq!(
        sel(
            "$[?(@.tags[?(@ == 'x')])].id",
            &json!([{"id": 1, "tags": ["x"]}, {"id": 2, "tags": []}])
        ),
        Some(json!([1]))
    );
    assert_eq!(
        sel("$[?(@.s size 2)]", &json!([{"s": "ab"}, {"s": "abc"}])),
        Some(json!([{"s": "ab"}]))
    );
}

#[test]
fn unions_merge_like_jayway() {
    let doc = json!({"a": 1, "b": 2, "c": 3, "o": {"x": {"v": 1}, "y": {"v": 2}}});
    // A trailing multi-name step is definite in Jayway and merges into one object.
    assert_eq!(sel("$['a','b','zz']", &doc), Some(json!({"a": 1, "b": 2})));
    assert!(!path("$['a','b']").is_definite());
    assert_eq!(sel("$.c['a','b']", &doc), None);
    // Followed by more steps, it iterates.
    assert_eq!(sel("$.o['x','y'].v", &doc), Some(json!([1, 2])));
    assert_eq!(
        sel("$..['v','w']", &json!({"p": {"v": 1}})),
        Some(json!([{}, {"v": 1}]))
    );
}

#[test]
fn normalized_and_first_property() {
    assert_eq!(path("$").normalized(), "$");
    assert_eq!(path("$.a.b[0]").normalized(), "$['a']['b'][0]");
    assert_eq!(path("$$.Execution.Id").normalized(), "$['Execution']['Id']");
    assert_eq!(
        path("$..a[*][?(@.x)]['b','c'][1:]").normalized(),
        "$..['a'][*][?]['b','c'][1:]"
    );
    assert_eq!(path("$$.Map.Item.Value").first_property(), Some("Map"));
    assert_eq!(path("$$").first_property(), None);
    assert_eq!(path("$[0].a").first_property(), None);
    assert_eq!(path("$$.Map").root(), Root::Context);
    assert_eq!(path(" $.a ").as_str(), " $.a ");
    assert_eq!(path("$.a").to_string(), "$.a");
}

#[test]
fn select_ref_and_select_all_borrow() {
    let doc = json!({"a": [{"b": 1}, {"b": 2}]});
    let found = path("$.a[1].b").select_ref(&doc);
    assert!(std::ptr::eq(
        found.unwrap_or(&Value::Null),
        &doc["a"][1]["b"]
    ));
    assert_eq!(path("$.a[*].b").select_ref(&doc), None);
    assert_eq!(path("$.zz").select_ref(&doc), None);
    let all = path("$.a[*].b").select_all(&doc);
    assert_eq!(all.len(), 2);
    assert!(matches!(all[0], Cow::Borrowed(_)));
    assert_eq!(path("$.a[0]").select_all(&doc).len(), 1);
    assert_eq!(path("$.x").select_all(&doc).len(), 0);
}

#[test]
fn take_moves_without_cloning() {
    let doc = json!({"a": {"b": [1, {"c": "big"}]}, "z": 0});
    assert_eq!(path("$.a.b[1].c").take(doc.clone()), Some(json!("big")));
    assert_eq!(path("$").take(doc.clone()), Some(doc.clone()));
    assert_eq!(path("$.a.b[9]").take(doc.clone()), Some(Value::Null));
    assert_eq!(path("$.a.x").take(doc.clone()), None);
    assert_eq!(
        path("$.a.b[*]").take(doc.clone()),
        Some(json!([1, {"c": "big"}]))
    );
}

#[test]
fn assign_follows_result_path_rules() {
    let mut doc = json!({"a": {"keep": 1}, "s": "text", "arr": [1, 2]});
    path("$.a.result")
        .assign(&mut doc, json!(42))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["a"], json!({"keep": 1, "result": 42}));
    path("$.x.y.z")
        .assign(&mut doc, json!(true))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["x"], json!({"y": {"z": true}}));
    path("$.arr[1]")
        .assign(&mut doc, json!("two"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["arr"], json!([1, "two"]));
    path("$.arr[-2]")
        .assign(&mut doc, json!("one"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["arr"], json!(["one", "two"]));
    path("$['a']['keep']")
        .assign(&mut doc, json!(null))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["a"]["keep"], Value::Null);

    let err = path("$.s.inner").assign(&mut doc, json!(1));
    assert_eq!(
        err,
        Err(AssignError::NotAnObject {
            path: "$.s.inner".into(),
            step: "['inner']".into()
        })
    );
    assert!(matches!(
        path("$.arr[5]").assign(&mut doc, json!(1)),
        Err(AssignError::NotAnObject { step, .. }) if step == "[5]"
    ));
    assert!(matches!(
        path("$.arr.name").assign(&mut doc, json!(1)),
        Err(AssignError::NotAnObject { .. })
    ));
    assert!(matches!(
        path("$.a.keep.x").assign(&mut doc, json!(1)),
        Err(AssignError::NotAnObject { .. })
    ));
    assert_eq!(
        path("$.arr[*]").assign(&mut doc, json!(1)),
        Err(AssignError::NotReference("$.arr[*]".into()))
    );
    assert_eq!(
        path("$$.Execution").assign(&mut doc, json!(1)),
        Err(AssignError::Context)
    );

    let mut scalar = json!("a string");
    assert!(path("$.x").assign(&mut scalar, json!(1)).is_err());
    path("$")
        .assign(&mut scalar, json!({"whole": true}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scalar, json!({"whole": true}));
}

#[test]
fn reference_paths() {
    assert!(parse_reference("$.a.b[0]").is_ok());
    assert!(parse_reference("$").is_ok());
    assert!(parse_reference("$$.Execution.Id").is_ok());
    let err = parse_reference("$.a[*].b")
        .err()
        .unwrap_or_else(|| panic!("indefinite"));
    assert_eq!(err.position, 3);
    assert!(err.message.contains("'[*]' is not allowed"), "{err}");
    assert!(
        err.message.contains("'$.a[*].b' is not a reference path"),
        "{err}"
    );
    let err = parse_reference("$..a").err().map(|e| e.message);
    assert!(err.is_some_and(|m| m.contains("'..' is not allowed")));
    assert!(parse_reference("$.a[?(@.b)]").is_err());
    assert!(parse_reference("$['a','b']").is_err());
    assert!(parse_reference("$.a[1:2]").is_err());
    assert!(parse_reference("$.a b").is_err());
}

#[test]
fn miss_reasons_are_jaywayish() {
    let doc = json!({"a": {"b": "s"}, "n": 1, "arr": [1], "z": null});
    let reason = |p: &str| path(p).miss_reason(&doc);
    assert_eq!(
        reason("$.NoSuchOutputPath").as_deref(),
        Some("No results for path: $['NoSuchOutputPath']")
    );
    assert_eq!(
        reason("$.x.y").as_deref(),
        Some("Missing property in path $['x']")
    );
    assert_eq!(reason("$.a.b").as_deref(), None);
    assert_eq!(
        reason("$.n[0]").as_deref(),
        Some("Filter: [0] can only be applied to arrays. Current context is: 1")
    );
    assert_eq!(reason("$.z[0]").as_deref(), Some("The path $['z'] is null"));
    assert!(reason("$.a.b.c").is_some_and(|r| r.starts_with(
        "Expected to find an object with property ['c'] in path $['a']['b'] but found 'java.lang.String'"
    )));
    assert_eq!(reason("$.arr[*]"), None);
}

#[test]
fn resolve_uses_the_scope() {
    struct Scope {
        input: Value,
    }
    impl PathScope for Scope {
        fn input(&self) -> &Value {
            &self.input
        }
        fn context(&self, first: Option<&str>) -> Cow<'_, Value> {
            assert_eq!(first, Some("Execution"));
            Cow::Owned(json!({"Execution": {"Id": "arn:x"}}))
        }
    }
    let scope = Scope {
        input: json!({"a": [1]}),
    };
    assert_eq!(path("$.a[0]").resolve(&scope), Some(json!(1)));
    assert_eq!(
        path("$$.Execution.Id").resolve(&scope),
        Some(json!("arn:x"))
    );
    assert_eq!(path("$.a[3]").resolve(&scope), Some(Value::Null));
    assert_eq!(path("$.a[3]").resolve_strict(&scope), None);
    assert_eq!(scope.variable("x"), None);
}

#[test]
fn deep_documents_do_not_overflow() {
    let mut doc = json!(1);
    for _ in 0..100_000 {
        doc = Value::Array(vec![doc]);
    }
    assert_eq!(sel("$..[?(@ == 1)]", &doc), Some(json!([])));
    assert_eq!(sel("$..x", &doc), Some(json!([])));
    // serde_json drops recursively; take the document apart iteratively.
    let mut stack = vec![doc];
    while let Some(v) = stack.pop() {
        if let Value::Array(items) = v {
            stack.extend(items);
        }
    }
}

#[test]
fn filter_nesting_is_capped() {
    let deep = format!("$[?({}@.a{})]", "(".repeat(100), ")".repeat(100));
    let err = JsonPath::parse(&deep).err().map(|e| e.message);
    assert!(err.is_some_and(|m| m.contains("nested too deeply")));
    let ok = format!("$[?({}@.a{})]", "(".repeat(10), ")".repeat(10));
    assert!(JsonPath::parse(&ok).is_ok());
}
