//! `States.StringSplit(string, delimiters)`.
//!
//! AWS splits like Java's `StringTokenizer`: every character of the second argument
//! is a delimiter on its own (`'.+,='` splits on any of the four) and empty pieces are
//! dropped (`", , ,"` split on `,` is `[" ", " "]`, `""` gives `[]`).

use super::{exactly, invalid, Function};
use serde_json::Value;
use std::borrow::Cow;

/// `States.StringSplit(string, delimiters)`.
pub(crate) fn split(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::StringSplit;
    let [text, delimiters] = exactly(f, args)?;
    let (Value::String(text), Value::String(delimiters)) = (text, delimiters) else {
        return Err(invalid(f));
    };
    let pieces = text
        .split(|c: char| delimiters.contains(c))
        .filter(|piece| !piece.is_empty())
        .map(|piece| Value::String(piece.to_string()))
        .collect();
    Ok(Value::Array(pieces))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(args: &[Value]) -> Result<Value, String> {
        let args: Vec<Cow<'_, Value>> = args.iter().map(Cow::Borrowed).collect();
        split(&args)
    }

    #[test]
    fn splits_like_a_string_tokenizer() {
        let cases = [
            ("1,2,3,4,5", ",", json!(["1", "2", "3", "4", "5"])),
            (", , ,", ",", json!([" ", " "])),
            (
                "This.is+a,test=string",
                ".+,=",
                json!(["This", "is", "a", "test", "string"]),
            ),
            ("1a2b3ab4", "ab", json!(["1", "2", "3", "4"])),
            ("a,,b", ",", json!(["a", "b"])),
            (",a,b,", ",", json!(["a", "b"])),
            (",", ",", json!([])),
            ("", ",", json!([])),
            ("abc", "", json!(["abc"])),
            ("Hello\nWorld", "\n", json!(["Hello", "World"])),
            ("a|b.c+d", "|.+", json!(["a", "b", "c", "d"])),
            ("x🚀y", "🚀", json!(["x", "y"])),
        ];
        for (text, delimiters, expected) in cases {
            assert_eq!(
                call(&[json!(text), json!(delimiters)]),
                Ok(expected),
                "{text:?} {delimiters:?}"
            );
        }
    }

    #[test]
    fn invalid_arguments() {
        let invalid = Err("Invalid arguments in States.StringSplit".to_string());
        for (a, b) in [
            (json!(123), json!(",")),
            (json!("a,b"), json!(1)),
            (json!(null), json!(",")),
            (json!("a,b"), json!(null)),
            (json!(false), json!(",")),
            (json!("a,b"), json!([","])),
        ] {
            assert_eq!(call(&[a, b]), invalid);
        }
        assert_eq!(call(&[]), invalid);
        assert_eq!(call(&[json!("a")]), invalid);
        assert_eq!(call(&[json!("a"), json!(","), json!("x")]), invalid);
    }
}
