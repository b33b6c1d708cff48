//! The size of a value's compact JSON text, computed without writing it, so the
//! 256 KiB payload limit costs a walk rather than a serialization per state.

use serde_json::Value;

/// The length in bytes of `serde_json::to_string(value)`, stopping early (and
/// returning a number above `limit`) once `limit` is exceeded.
pub fn json_len_capped(value: &Value, limit: usize) -> usize {
    let mut total = 0usize;
    add_len(value, limit, &mut total);
    total
}

/// True when the compact JSON text of `value` is at most `limit` bytes.
pub fn within(value: &Value, limit: usize) -> bool {
    json_len_capped(value, limit) <= limit
}

fn add_len(value: &Value, limit: usize, total: &mut usize) {
    if *total > limit {
        return;
    }
    match value {
        Value::Null => *total += 4,
        Value::Bool(true) => *total += 4,
        Value::Bool(false) => *total += 5,
        Value::Number(n) => *total += number_len(n),
        Value::String(s) => *total += string_len(s),
        Value::Array(items) => {
            *total += 2 + items.len().saturating_sub(1);
            for item in items {
                add_len(item, limit, total);
            }
        }
        Value::Object(map) => {
            *total += 2 + map.len().saturating_sub(1);
            for (key, item) in map {
                *total += string_len(key) + 1;
                add_len(item, limit, total);
            }
        }
    }
}

fn number_len(n: &serde_json::Number) -> usize {
    if let Some(i) = n.as_u64() {
        digits(i)
    } else if let Some(i) = n.as_i64() {
        1 + digits(i.unsigned_abs())
    } else {
        n.to_string().len()
    }
}

fn digits(mut n: u64) -> usize {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

fn string_len(s: &str) -> usize {
    // Fast path: most strings need no escaping; this count vectorizes.
    let special = s
        .bytes()
        .filter(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .count();
    if special == 0 {
        return s.len() + 2;
    }
    let mut len = 2;
    for b in s.bytes() {
        len += match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            _ => 1,
        };
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_serde_json_length() {
        let samples = [
            json!(null),
            json!({"a": [1, -20, 3.5, true, false, null], "b\"c": "x\ny\u{1}z\\", "é": "ü"}),
            json!([]),
            json!({}),
            json!([{"k": 18446744073709551615u64}, -9223372036854775808i64, 1e300]),
        ];
        for v in samples {
            assert_eq!(
                json_len_capped(&v, usize::MAX),
                serde_json::to_string(&v).unwrap().len(),
                "{v}"
            );
        }
    }

    #[test]
    fn stops_past_the_limit() {
        let big = json!(vec!["x".repeat(100); 1000]);
        assert!(!within(&big, 1000));
        assert!(within(&big, 200_000));
    }
}
