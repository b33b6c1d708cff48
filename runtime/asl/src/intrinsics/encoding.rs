//! `States.Base64Encode`, `States.Base64Decode`.
//!
//! Both take a string of at most 10,000 characters (Java characters: UTF-16 code
//! units). Encoding is standard Base64 of the UTF-8 bytes, with padding. Decoding is
//! as lenient as AWS's (Apache commons-codec style): characters outside the alphabet
//! (blanks, `!`, ...) are skipped, the first `=` ends the data, a final group of two
//! or three characters still yields its bytes, and bytes that are not UTF-8 become
//! U+FFFD. Observed on AWS: `'!!!invalid!!!'`, `'abc'`, `'ab==cd'` and
//! `' YWJjZA== '` all decode.

use super::{exactly, invalid, Function};
use base64::Engine;
use serde_json::Value;
use std::borrow::Cow;

/// AWS's limit on the input of the encoding and hash functions, in Java characters.
pub(crate) const MAX_INPUT_CHARS: usize = 10_000;

/// True when `text` has more than `MAX_INPUT_CHARS` Java characters.
pub(crate) fn too_long(text: &str) -> bool {
    text.len() > MAX_INPUT_CHARS && text.encode_utf16().count() > MAX_INPUT_CHARS
}

/// `States.Base64Encode(string)`.
pub(crate) fn encode(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::Base64Encode;
    let [text] = exactly(f, args)?;
    match text {
        Value::String(text) if !too_long(text) => Ok(Value::String(
            base64::engine::general_purpose::STANDARD.encode(text.as_bytes()),
        )),
        _ => Err(invalid(f)),
    }
}

/// `States.Base64Decode(string)`.
pub(crate) fn decode(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::Base64Decode;
    let [text] = exactly(f, args)?;
    match text {
        Value::String(text) if !too_long(text) => {
            let bytes = lenient_decode(text);
            Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        }
        _ => Err(invalid(f)),
    }
}

/// The value of a Base64 digit (standard or URL-safe alphabet).
fn digit(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

fn lenient_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut group = 0u32;
    let mut count = 0u32;
    for byte in text.bytes() {
        if byte == b'=' {
            break;
        }
        let Some(value) = digit(byte) else {
            continue;
        };
        group = (group << 6) | value;
        count += 1;
        if count == 4 {
            out.extend_from_slice(&group.to_be_bytes()[1..]);
            group = 0;
            count = 0;
        }
    }
    match count {
        2 => out.push((group >> 4) as u8),
        3 => {
            let bits = group >> 2;
            out.push((bits >> 8) as u8);
            out.push(bits as u8);
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(
        f: fn(&[Cow<'_, Value>]) -> Result<Value, String>,
        args: &[Value],
    ) -> Result<Value, String> {
        let args: Vec<Cow<'_, Value>> = args.iter().map(Cow::Borrowed).collect();
        f(&args)
    }

    #[test]
    fn encodes_utf8() {
        let cases = [
            ("", ""),
            ("hello", "aGVsbG8="),
            ("Data to encode", "RGF0YSB0byBlbmNvZGU="),
            ("✓", "4pyT"),
            ("こんにちは", "44GT44KT44Gr44Gh44Gv"),
            ("line1\nline2", "bGluZTEKbGluZTI="),
            ("abc\u{0}def", "YWJjAGRlZg=="),
            (" ", "IA=="),
            ("🚀", "8J+agA=="),
        ];
        for (text, encoded) in cases {
            assert_eq!(call(encode, &[json!(text)]), Ok(json!(encoded)), "{text}");
            assert_eq!(
                call(decode, &[json!(encoded)]),
                Ok(json!(text)),
                "{encoded}"
            );
        }
    }

    #[test]
    fn limits_and_types() {
        let invalid =
            |name: &str| Err::<Value, String>(format!("Invalid arguments in States.{name}"));
        assert!(call(encode, &[json!("a".repeat(10_000))]).is_ok());
        assert_eq!(
            call(encode, &[json!("a".repeat(10_001))]),
            invalid("Base64Encode")
        );
        // 5,000 two-byte characters are 5,000 Java characters.
        assert!(call(encode, &[json!("é".repeat(5_001))]).is_ok());
        // An astral character is two Java characters.
        assert_eq!(
            call(encode, &[json!("🚀".repeat(5_001))]),
            invalid("Base64Encode")
        );
        assert_eq!(
            call(decode, &[json!("A".repeat(10_001))]),
            invalid("Base64Decode")
        );
        assert!(call(decode, &[json!("A".repeat(10_000))]).is_ok());
        for bad in [json!(123), json!({}), json!(["x"]), json!(null)] {
            assert_eq!(
                call(encode, std::slice::from_ref(&bad)),
                invalid("Base64Encode")
            );
            assert_eq!(call(decode, &[bad]), invalid("Base64Decode"));
        }
        assert_eq!(call(encode, &[]), invalid("Base64Encode"));
        assert_eq!(
            call(decode, &[json!("a"), json!("b")]),
            invalid("Base64Decode")
        );
    }

    #[test]
    fn decoding_is_lenient() {
        assert_eq!(lenient_decode(" YWJjZA== "), b"abcd");
        assert_eq!(lenient_decode("YWJj\nZA=="), b"abcd");
        assert_eq!(lenient_decode("abc"), vec![0x69, 0xb7]);
        assert_eq!(lenient_decode("ab==cd"), vec![0x69]);
        assert_eq!(lenient_decode("!!!invalid!!!"), lenient_decode("invalid"));
        assert_eq!(lenient_decode("a"), Vec::<u8>::new());
        assert_eq!(lenient_decode("aGVsbG8"), b"hello");
        assert_eq!(lenient_decode("-_-_"), lenient_decode("+/+/"));
        // Bytes that are not UTF-8 become U+FFFD.
        assert_eq!(call(decode, &[json!("/w==")]), Ok(json!("\u{fffd}")));
    }
}
