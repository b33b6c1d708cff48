//! `transform-record`: the transform of an ETL workflow, run by a Map state on each
//! record. Normalises one record; a record it cannot normalise fails its iteration
//! with `Record.Invalid` (a Map's ToleratedFailurePercentage can let those through).
//!
//! | field | accepted | output |
//! |---|---|---|
//! | `id` | string or integer, required | trimmed string |
//! | `name` (or `fullName`, `full_name`) | any spacing and case | words capitalised, single spaces |
//! | `email` (or `Email`) | any case, spaces around | trimmed, lower case; must hold one `@` |
//! | `country` | two letters | upper case |
//! | `signupDate` (or `signup_date`) | `YYYY-MM-DD`, `YYYY/MM/DD`, `MM/DD/YYYY` | `YYYY-MM-DD` |
//! | `amount` | number, or text like `"1,234.50"` / `"$12"` | number, rounded to cents |
//! | `tags` | array of strings or `"a, b"` | lower case, sorted, no duplicates or blanks |
//! | `active` | bool, `"yes"`/`"no"`/`"true"`/`"false"`/`1`/`0` | bool |
//!
//! Absent optional fields stay absent; other fields are dropped. Example:
//! `{"id": " 42 ", "full_name": "  ada   LOVELACE ", "email": " ADA@Example.COM ", "tags": "Math, computing,, math", "amount": "1,234.50"}`
//! becomes
//! `{"id": "42", "name": "Ada Lovelace", "email": "ada@example.com", "amount": 1234.5, "tags": ["computing", "math"]}`.

use serde::{Deserialize, Serialize};
use stepwise_sdk::{json, TaskError, Value};

/// A record as it arrives.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawRecord {
    id: Option<Value>,
    #[serde(alias = "fullName", alias = "full_name")]
    name: Option<String>,
    #[serde(alias = "Email")]
    email: Option<String>,
    country: Option<String>,
    #[serde(alias = "signup_date")]
    signup_date: Option<String>,
    amount: Option<Value>,
    tags: Option<Value>,
    active: Option<Value>,
}

/// The normalised record.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signup_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    active: Option<bool>,
}

/// Normalises one record.
pub fn transform(raw: RawRecord) -> Result<Record, TaskError> {
    let id = match &raw.id {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        other => {
            return Err(invalid(
                None,
                "id",
                "a non-empty string or an integer is required",
                other.as_ref(),
            ))
        }
    };
    let bad =
        |field: &str, reason: &str, value: Option<&Value>| invalid(Some(&id), field, reason, value);
    let email = match raw.email.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(e)
            if e.matches('@').count() == 1
                && !e.starts_with('@')
                && !e.ends_with('@')
                && !e.contains(' ') =>
        {
            Some(e.to_lowercase())
        }
        Some(e) => return Err(bad("email", "not an email address", Some(&json!(e)))),
    };
    let country = match raw.country.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
            Some(c.to_ascii_uppercase())
        }
        Some(c) => {
            return Err(bad(
                "country",
                "a two-letter country code is required",
                Some(&json!(c)),
            ))
        }
    };
    let signup_date = match raw.signup_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(iso_date(d).ok_or_else(|| {
            bad(
                "signupDate",
                "not a date (YYYY-MM-DD, YYYY/MM/DD or MM/DD/YYYY)",
                Some(&json!(d)),
            )
        })?),
    };
    let amount = match &raw.amount {
        None | Some(Value::Null) => None,
        Some(v) => Some(amount(v).ok_or_else(|| bad("amount", "not an amount", Some(v)))?),
    };
    let tags = match &raw.tags {
        None | Some(Value::Null) => None,
        Some(v) => Some(tags(v).ok_or_else(|| {
            bad(
                "tags",
                "an array of strings or a comma-separated string is required",
                Some(v),
            )
        })?),
    };
    let active = match &raw.active {
        None | Some(Value::Null) => None,
        Some(v) => Some(flag(v).ok_or_else(|| bad("active", "not a yes/no value", Some(v)))?),
    };
    Ok(Record {
        name: raw
            .name
            .as_deref()
            .map(title_case)
            .filter(|n| !n.is_empty()),
        id,
        email,
        country,
        signup_date,
        amount,
        tags,
        active,
    })
}

stepwise_sdk::task!(transform);

fn invalid(id: Option<&str>, field: &str, reason: &str, value: Option<&Value>) -> TaskError {
    TaskError::with_json_cause(
        "Record.Invalid",
        &json!({"id": id, "field": field, "reason": reason, "value": value}),
    )
}

fn title_case(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let lower = word.to_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn iso_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if a.len() == 4 {
        (a, b, c)
    } else if c.len() == 4 && text.contains('/') {
        (c, a, b)
    } else {
        return None;
    };
    let all_digits =
        |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if ![year, month, day].iter().all(|s| all_digits(s)) {
        return None;
    }
    let (year, month, day): (u32, u32, u32) =
        (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days_in_month)
        .contains(&day)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn amount(value: &Value) -> Option<f64> {
    let n = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => {
            let cleaned: String = s
                .trim()
                .trim_start_matches(['$', '€', '£'])
                .chars()
                .filter(|c| *c != ',')
                .collect();
            cleaned.trim().parse().ok()?
        }
        _ => return None,
    };
    n.is_finite().then(|| (n * 100.0).round() / 100.0)
}

fn tags(value: &Value) -> Option<Vec<String>> {
    let raw: Vec<&str> = match value {
        Value::String(s) => s.split(',').collect(),
        Value::Array(items) => items.iter().map(Value::as_str).collect::<Option<_>>()?,
        _ => return None,
    };
    let mut tags: Vec<String> = raw
        .into_iter()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    Some(tags)
}

fn flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_u64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Some(true),
            "no" | "n" | "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use stepwise_sdk::testing::call;
    use stepwise_sdk::{json, Value};

    use super::transform;

    #[test]
    fn the_documented_example() {
        let input = json!({"id": " 42 ", "full_name": "  ada   LOVELACE ", "email": " ADA@Example.COM ",
                           "tags": "Math, computing,, math", "amount": "1,234.50", "extra": "dropped"});
        assert_eq!(
            call(transform, input).unwrap().to_string(),
            r#"{"id":"42","name":"Ada Lovelace","email":"ada@example.com","amount":1234.5,"tags":["computing","math"]}"#
        );
    }

    #[test]
    fn every_field() {
        let input = json!({"id": 7, "name": "grace hopper", "Email": "g@navy.mil", "country": "us",
                           "signup_date": "12/09/1906", "amount": 12.345, "tags": ["Navy", "cobol", "navy"],
                           "active": "yes"});
        assert_eq!(
            call(transform, input).unwrap(),
            json!({"id": "7", "name": "Grace Hopper", "email": "g@navy.mil", "country": "US",
                   "signupDate": "1906-12-09", "amount": 12.35, "tags": ["cobol", "navy"], "active": true})
        );
        let out = call(
            transform,
            json!({"id": "x", "signupDate": "2024/02/29", "active": 0, "amount": "$5"}),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"id": "x", "signupDate": "2024-02-29", "amount": 5.0, "active": false})
        );
    }

    #[test]
    fn invalid_records_name_the_field() {
        let cases = [
            (json!({}), "id"),
            (json!({"id": "  "}), "id"),
            (json!({"id": 1.5}), "id"),
            (json!({"id": 1, "email": "a@@b"}), "email"),
            (json!({"id": 1, "country": "GBR"}), "country"),
            (json!({"id": 1, "signupDate": "2023-02-29"}), "signupDate"),
            (json!({"id": 1, "signupDate": "31-12-2023"}), "signupDate"),
            (json!({"id": 1, "amount": "lots"}), "amount"),
            (json!({"id": 1, "tags": [1, 2]}), "tags"),
            (json!({"id": 1, "active": "maybe"}), "active"),
        ];
        for (input, field) in cases {
            let err = call(transform, input.clone()).unwrap_err();
            assert_eq!(err.error, "Record.Invalid", "{input}");
            let cause: Value = serde_json::from_str(&err.cause).unwrap();
            assert_eq!(cause["field"], field, "{input}: {cause}");
        }
    }
}
