//! [`validate_json`]: validation from the definition's text, which also sees what a
//! parsed value hides: JSON syntax errors (`INVALID_JSON_DESCRIPTION`) and two states of
//! the same name in one `States` object (`DUPLICATE_STATE_NAME`).

use super::codes;
use super::context::{child, index};
use super::{validate, Diagnostic, Severity};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

/// Checks a definition given as JSON text; returns every diagnostic found.
///
/// Besides what [`validate`] reports: a text that is not JSON gives
/// `INVALID_JSON_DESCRIPTION` (at `""`), an empty text `MISSING_DESCRIPTION`, and a state
/// name repeated inside one `States` object `DUPLICATE_STATE_NAME` at the repeated state.
/// Nesting deeper than serde_json's limit (128) is reported as invalid JSON.
pub fn validate_json(text: &str) -> Vec<Diagnostic> {
    if text.trim().is_empty() {
        return vec![Diagnostic {
            severity: Severity::Error,
            code: codes::MISSING_DESCRIPTION.into(),
            message: "The definition is empty".into(),
            location: String::new(),
        }];
    }
    let duplicates = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Seed {
        ptr: String::new(),
        duplicates: &duplicates,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    let value = match parsed {
        Ok(v) => v,
        Err(e) => {
            return vec![Diagnostic {
                severity: Severity::Error,
                code: codes::INVALID_JSON_DESCRIPTION.into(),
                message: format!("The definition is not valid JSON: {e}"),
                location: String::new(),
            }]
        }
    };
    let mut out: Vec<Diagnostic> = duplicates
        .into_inner()
        .into_iter()
        .map(|(location, name)| Diagnostic {
            severity: Severity::Error,
            code: codes::DUPLICATE_STATE_NAME.into(),
            message: format!("Duplicate State name: {name}"),
            location,
        })
        .collect();
    out.extend(validate(&value));
    out
}

/// True when the object at `ptr` is a sub-machine (its `States` holds states).
fn is_machine(ptr: &str) -> bool {
    if ptr.is_empty() || ptr.ends_with("/ItemProcessor") || ptr.ends_with("/Iterator") {
        return true;
    }
    match ptr.rsplit_once('/') {
        Some((parent, last)) => {
            parent.ends_with("/Branches")
                && !last.is_empty()
                && last.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Builds a [`Value`] like serde_json does, noting repeated keys of `States` objects.
struct Seed<'a> {
    ptr: String,
    duplicates: &'a RefCell<Vec<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let seed = Seed {
                ptr: index(&self.ptr, items.len()),
                duplicates: self.duplicates,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => items.push(v),
                None => break,
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let holds_states =
            self.ptr.ends_with("/States") && is_machine(&self.ptr[..self.ptr.len() - 7]);
        let mut obj = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let key_ptr = child(&self.ptr, &key);
            if holds_states && obj.contains_key(&key) {
                self.duplicates
                    .borrow_mut()
                    .push((key_ptr.clone(), key.clone()));
            }
            let value = map.next_value_seed(Seed {
                ptr: key_ptr,
                duplicates: self.duplicates,
            })?;
            obj.insert(key, value);
        }
        Ok(Value::Object(obj))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machines() {
        assert!(is_machine(""));
        assert!(is_machine("/States/P/Branches/0"));
        assert!(is_machine("/States/M/ItemProcessor"));
        assert!(!is_machine("/States/P/Parameters"));
        assert!(!is_machine("/States/P/Branches"));
    }

    #[test]
    fn duplicate_state_names_in_one_block() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
            "B":{"Type":"Succeed"},"A":{"Type":"Pass","Next":"B"}}}"#;
        let d = validate_json(text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, codes::DUPLICATE_STATE_NAME);
        assert_eq!(d[0].location, "/States/A");
    }

    #[test]
    fn bad_json() {
        let d = validate_json("{\"StartAt\": ");
        assert_eq!(d[0].code, codes::INVALID_JSON_DESCRIPTION);
        assert_eq!(validate_json("  ")[0].code, codes::MISSING_DESCRIPTION);
        let deep = "[".repeat(10_000);
        assert_eq!(
            validate_json(&deep)[0].code,
            codes::INVALID_JSON_DESCRIPTION
        );
    }

    #[test]
    fn duplicate_keys_elsewhere_are_last_wins() {
        let text =
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1,"x":2},"End":true}}}"#;
        assert!(validate_json(text).is_empty());
    }
}
