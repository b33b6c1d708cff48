//! `bench-add-field`: the task of the `task-chain-100` benchmark. Returns its input
//! object with `hops` set to `(input.hops ?? 0) + 1`, the benchmark's local function
//! `{...input, hops: (input.hops ?? 0) + 1}`: an existing `hops` keeps its place, a
//! new one comes last. An input that is not an object counts as `{}`.

use stepwise_sdk::{TaskError, Value};

/// Adds one to `hops`.
pub fn add_field(input: Value) -> Result<Value, TaskError> {
    let mut object = match input {
        Value::Object(object) => object,
        _ => Default::default(),
    };
    let hops = match object.get("hops") {
        None | Some(Value::Null) => Value::from(1),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) if i < i64::MAX => Value::from(i + 1),
            (_, Some(f)) => Value::from(f + 1.0),
            _ => return Err(hops_error(&object["hops"])),
        },
        Some(other) => return Err(hops_error(other)),
    };
    object.insert("hops".to_string(), hops);
    Ok(Value::Object(object))
}

fn hops_error(hops: &Value) -> TaskError {
    TaskError::new(
        "Bench.InvalidHops",
        format!("hops must be a number, not {hops}"),
    )
}

stepwise_sdk::task!(add_field);

#[cfg(test)]
mod tests {
    use stepwise_sdk::json;
    use stepwise_sdk::testing::call;

    use super::add_field;

    #[test]
    fn counts_hops() {
        assert_eq!(call(add_field, json!({})).unwrap(), json!({"hops": 1}));
        assert_eq!(
            call(add_field, json!({"hops": null})).unwrap(),
            json!({"hops": 1})
        );
        assert_eq!(
            call(add_field, json!({"hops": 41})).unwrap(),
            json!({"hops": 42})
        );
        assert_eq!(
            call(add_field, json!({"hops": 1.5})).unwrap(),
            json!({"hops": 2.5})
        );
    }

    #[test]
    fn keeps_the_rest_in_order() {
        let out = call(add_field, json!({"z": 1, "hops": 3, "a": {"b": [1]}})).unwrap();
        assert_eq!(out.to_string(), r#"{"z":1,"hops":4,"a":{"b":[1]}}"#);
        let out = call(add_field, json!({"z": 1, "a": 2})).unwrap();
        assert_eq!(out.to_string(), r#"{"z":1,"a":2,"hops":1}"#);
    }

    #[test]
    fn chains() {
        let mut v = json!({"payload": "x"});
        for _ in 0..100 {
            v = call(add_field, v).unwrap();
        }
        assert_eq!(v, json!({"payload": "x", "hops": 100}));
    }

    #[test]
    fn odd_inputs() {
        assert_eq!(call(add_field, json!([1, 2])).unwrap(), json!({"hops": 1}));
        let err = call(add_field, json!({"hops": "3"})).unwrap_err();
        assert_eq!(err.error, "Bench.InvalidHops");
    }
}
