//! `States.Hash(data, algorithm)`: the lowercase hex digest of the UTF-8 bytes.
//!
//! The algorithm is one of `MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`, spelled
//! exactly so. The data is limited to 10,000 Java characters; data that is not a
//! string is hashed as its Java text (AWS hashes `123` and `{}` rather than failing).

use super::encoding::too_long;
use super::format::java_string;
use super::{exactly, invalid, Function};
use md5::Md5;
use serde_json::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};
use std::borrow::Cow;
use std::fmt::Write;

fn digest<D: Digest>(data: &[u8]) -> String {
    let bytes = D::digest(data);
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// `States.Hash(data, algorithm)`.
pub(crate) fn hash(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::Hash;
    let [data, algorithm] = exactly(f, args)?;
    let data: Cow<'_, str> = match data {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(java_string(other)),
    };
    if too_long(&data) {
        return Err(invalid(f));
    }
    let bytes = data.as_bytes();
    let hex = match algorithm.as_str() {
        Some("MD5") => digest::<Md5>(bytes),
        Some("SHA-1") => digest::<Sha1>(bytes),
        Some("SHA-256") => digest::<Sha256>(bytes),
        Some("SHA-384") => digest::<Sha384>(bytes),
        Some("SHA-512") => digest::<Sha512>(bytes),
        _ => return Err(invalid(f)),
    };
    Ok(Value::String(hex))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(args: &[Value]) -> Result<Value, String> {
        let args: Vec<Cow<'_, Value>> = args.iter().map(Cow::Borrowed).collect();
        hash(&args)
    }

    #[test]
    fn digests() {
        let cases = [
            ("input data", "MD5", "812f45842bc6d66ee14572ce20db8e86"),
            ("input data", "SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
            ("input data", "SHA-512", "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"),
            ("Hash this string", "SHA-256", "1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e"),
            ("hello", "SHA-384", "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f"),
            ("", "SHA-256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("✓", "SHA-256", "1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604"),
            ("🚀", "SHA-256", "ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5"),
            ("abc\u{0}def", "MD5", "a5e4d5963ae44c1f4bfb37b1a3d55a3c"),
        ];
        for (data, algorithm, hex) in cases {
            assert_eq!(
                call(&[json!(data), json!(algorithm)]),
                Ok(json!(hex)),
                "{data} {algorithm}"
            );
        }
    }

    #[test]
    fn non_strings_hash_their_java_text() {
        assert_eq!(
            call(&[json!(123), json!("MD5")]),
            call(&[json!("123"), json!("MD5")])
        );
        assert_eq!(
            call(&[json!({}), json!("MD5")]),
            call(&[json!("{}"), json!("MD5")])
        );
    }

    #[test]
    fn invalid_arguments() {
        let invalid = Err("Invalid arguments in States.Hash".to_string());
        for algorithm in ["UNSUPPORTED", "sha-256", "SHA256", "", "MD-5", "SHA-257"] {
            assert_eq!(
                call(&[json!("data"), json!(algorithm)]),
                invalid,
                "{algorithm}"
            );
        }
        assert_eq!(call(&[json!("hello"), json!(123)]), invalid);
        assert_eq!(
            call(&[json!("a".repeat(10_001)), json!("SHA-256")]),
            invalid
        );
        assert!(call(&[json!("a".repeat(10_000)), json!("SHA-256")]).is_ok());
        assert_eq!(call(&[]), invalid);
        assert_eq!(call(&[json!("hello")]), invalid);
        assert_eq!(
            call(&[json!("hello"), json!("SHA-256"), json!("extra")]),
            invalid
        );
    }
}
