//! Reading a request body into its typed struct with the checks and messages
//! AWS gives, in AWS's order:
//!
//! 1. the body is a JSON object and every member has its JSON type, else
//!    `SerializationException` naming the member;
//! 2. every member meets the model's constraints (required, length, range,
//!    enum, pattern), else one `ValidationException` listing them all
//!    (`2 validation errors detected: Value 'x' at 'name' failed to satisfy
//!    constraint: ...; ...`);
//! 3. names, ARNs and JSON payloads are well formed, else the first of
//!    `InvalidName`, `InvalidArn`, `InvalidExecutionInput`, `InvalidOutput`...
//!
//! Members are moved out of the parsed body (no string is copied); unknown
//! members are ignored and `null` counts as absent, as AWS does. Each request
//! type implements [`Decode`] next to its definition under `model/`.

use crate::arn::{check_arn, ArnError};
use crate::error::{excerpt, ApiError, ErrorCode};
use crate::model::JsonText;
use crate::name::validate_name;
use serde_json::{Map, Value};

/// Whether a member must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Absent or `null` is a `ValidationException` ("Member must not be null").
    Required,
    /// Absent or `null` gives `None`.
    Optional,
}

pub(crate) use Need::{Optional, Required};

/// A string shape of the model: length bounds in characters.
#[derive(Debug)]
pub(crate) struct Str {
    pub(crate) min: usize,
    pub(crate) max: usize,
    /// Sensitive values are never quoted in messages.
    pub(crate) sensitive: bool,
    /// The model's pattern `\p{ASCII}*`.
    pub(crate) ascii: bool,
}

/// An integer shape of the model: inclusive bounds.
#[derive(Debug)]
pub(crate) struct Int {
    pub(crate) min: i64,
    pub(crate) max: i64,
}

/// A string member that must hold JSON text of at most `max_bytes` (UTF-8).
#[derive(Debug)]
pub(crate) struct JsonRule {
    pub(crate) max_bytes: usize,
    /// The error for text that is too large or not JSON.
    pub(crate) code: ErrorCode,
    /// How the message starts, e.g. `Invalid State Machine Execution Input`.
    pub(crate) label: &'static str,
}

/// A request (or nested structure) read from a JSON object.
pub(crate) trait Decode: Sized {
    /// Reads every member (so that all problems are found), recording problems
    /// in `members`; `None` only when a problem was recorded.
    fn decode(members: &mut Members<'_>) -> Option<Self>;
}

/// An enum shape of the model.
pub(crate) trait WireEnum: Copy + 'static {
    /// Every value.
    const ALL: &'static [Self];
    /// The value as written on the wire.
    fn as_str(self) -> &'static str;
}

/// What was wrong with a request, kept in AWS's order of precedence.
#[derive(Debug, Default)]
struct Problems {
    /// The first member of the wrong JSON type.
    malformed: Option<String>,
    /// Every constraint violation.
    violations: Vec<String>,
    /// The first bad name, ARN or payload.
    invalid: Option<ApiError>,
}

impl Problems {
    fn into_error(self) -> Option<ApiError> {
        if let Some(message) = self.malformed {
            return Some(ApiError::new(ErrorCode::SerializationException, message));
        }
        match self.violations.len() {
            0 => self.invalid,
            n => Some(ApiError::new(
                ErrorCode::ValidationException,
                format!(
                    "{n} validation error{} detected: {}",
                    if n == 1 { "" } else { "s" },
                    self.violations.join("; ")
                ),
            )),
        }
    }
}

/// The members of one JSON object being read, and where they sit in the request
/// (`prefix`, e.g. `loggingConfiguration.` or `tags.2.member.`).
pub(crate) struct Members<'p> {
    map: Map<String, Value>,
    prefix: String,
    problems: &'p mut Problems,
}

/// Reads a request body: empty means `{}`.
pub(crate) fn decode_request<T: Decode>(body: &[u8]) -> Result<T, ApiError> {
    let map = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice(body) {
            Ok(Value::Object(map)) => map,
            Ok(other) => {
                return Err(ApiError::new(
                    ErrorCode::SerializationException,
                    format!(
                        "The request body must be a JSON object, not {}",
                        kind(&other)
                    ),
                ))
            }
            Err(err) => {
                return Err(ApiError::new(
                    ErrorCode::SerializationException,
                    format!("The request body is not valid JSON: {err}"),
                ))
            }
        }
    };
    let mut problems = Problems::default();
    let decoded = T::decode(&mut Members {
        map,
        prefix: String::new(),
        problems: &mut problems,
    });
    match (problems.into_error(), decoded) {
        (Some(err), _) => Err(err),
        (None, Some(request)) => Ok(request),
        (None, None) => Err(ApiError::new(
            ErrorCode::InternalFailure,
            "the request was rejected without a reason",
        )),
    }
}

/// The JSON type of a value, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Members<'_> {
    /// Records a bad name, ARN or other semantic problem (reported only when
    /// there is no type or constraint problem).
    pub(crate) fn invalid(&mut self, err: ApiError) {
        self.problems.invalid.get_or_insert(err);
    }

    fn take(&mut self, key: &str, need: Need) -> Option<Value> {
        match self.map.remove(key) {
            Some(Value::Null) | None => {
                if need == Required {
                    let message = format!(
                        "Value null at '{}{key}' failed to satisfy constraint: Member must not be null",
                        self.prefix
                    );
                    self.problems.violations.push(message);
                }
                None
            }
            Some(value) => Some(value),
        }
    }

    fn wrong_type(&mut self, key: &str, expected: &str, got: &Value) {
        if self.problems.malformed.is_none() {
            self.problems.malformed = Some(format!(
                "Expected {expected} at '{}{key}', got {}",
                self.prefix,
                kind(got)
            ));
        }
    }

    fn violation(&mut self, key: &str, shown: Option<&str>, constraint: &str) {
        let message = match shown {
            Some(value) => format!(
                "Value '{}' at '{}{key}' failed to satisfy constraint: {constraint}",
                excerpt(value),
                self.prefix
            ),
            None => format!(
                "Value at '{}{key}' failed to satisfy constraint: {constraint}",
                self.prefix
            ),
        };
        self.problems.violations.push(message);
    }

    fn check_string(&mut self, key: &str, value: Value, shape: &Str) -> Option<String> {
        let Value::String(text) = value else {
            self.wrong_type(key, "a string", &value);
            return None;
        };
        // Byte length bounds character length from above, so most strings need no count.
        let chars = |text: &str| text.chars().count();
        let constraint = if text.len() < shape.min * 4 && chars(&text) < shape.min {
            format!(
                "Member must have length greater than or equal to {}",
                shape.min
            )
        } else if text.len() > shape.max && chars(&text) > shape.max {
            format!(
                "Member must have length less than or equal to {}",
                shape.max
            )
        } else if shape.ascii && !text.is_ascii() {
            r"Member must satisfy regular expression pattern: \p{ASCII}*".to_owned()
        } else {
            return Some(text);
        };
        let shown = (!shape.sensitive).then_some(text.as_str());
        self.violation(key, shown, &constraint);
        None
    }

    /// A string member of this shape.
    pub(crate) fn string(&mut self, key: &str, shape: &Str, need: Need) -> Option<String> {
        let value = self.take(key, need)?;
        self.check_string(key, value, shape)
    }

    /// A state machine, execution or activity name: the `Name` shape, then the
    /// naming rules (`InvalidName`).
    pub(crate) fn name(&mut self, key: &str, need: Need) -> Option<String> {
        let name = self.string(key, &crate::model::shapes::NAME, need)?;
        match validate_name(&name) {
            Ok(()) => Some(name),
            Err(err) => {
                self.invalid(err);
                None
            }
        }
    }

    /// A Step Functions ARN of the type `A`: the `Arn` shape, then
    /// [`crate::arn`]'s parsing (`InvalidArn`).
    pub(crate) fn arn<A>(&mut self, key: &str, need: Need) -> Option<A>
    where
        A: TryFrom<String, Error = ArnError>,
    {
        let text = self.string(key, &crate::model::shapes::ARN, need)?;
        match A::try_from(text) {
            Ok(arn) => Some(arn),
            Err(err) => {
                self.invalid(err.into());
                None
            }
        }
    }

    /// Any ARN (a role or a log group): this shape, then the general ARN syntax.
    pub(crate) fn any_arn(&mut self, key: &str, shape: &Str, need: Need) -> Option<String> {
        let text = self.string(key, shape, need)?;
        match check_arn(&text) {
            Ok(()) => Some(text),
            Err(err) => {
                self.invalid(err.into());
                None
            }
        }
    }

    /// A string member holding JSON text (an execution input, a task output).
    pub(crate) fn json(&mut self, key: &str, rule: &JsonRule, need: Need) -> Option<JsonText> {
        let value = self.take(key, need)?;
        let Value::String(text) = value else {
            self.wrong_type(key, "a string", &value);
            return None;
        };
        let message = if text.len() > rule.max_bytes {
            format!(
                "{} at '{}{key}': {} bytes is more than the maximum of {} bytes (UTF-8)",
                rule.label,
                self.prefix,
                text.len(),
                rule.max_bytes
            )
        } else {
            match JsonText::parse(text) {
                Ok(json) => return Some(json),
                Err(err) => format!("{} at '{}{key}': {err}", rule.label, self.prefix),
            }
        };
        self.invalid(ApiError::new(rule.code, message));
        None
    }

    /// An integer member within these bounds.
    pub(crate) fn int<T: TryFrom<i64>>(&mut self, key: &str, shape: &Int, need: Need) -> Option<T> {
        let value = self.take(key, need)?;
        let number = match &value {
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(number), _) => number,
                // Beyond i64: only its size matters.
                (None, Some(_)) => i64::MAX,
                // A fraction or an exponent.
                (None, None) => {
                    self.wrong_type(key, "an integer", &value);
                    return None;
                }
            },
            _ => {
                self.wrong_type(key, "an integer", &value);
                return None;
            }
        };
        let shown = value.to_string();
        if number < shape.min {
            let constraint = format!(
                "Member must have value greater than or equal to {}",
                shape.min
            );
            self.violation(key, Some(&shown), &constraint);
            None
        } else if number > shape.max {
            let constraint = format!("Member must have value less than or equal to {}", shape.max);
            self.violation(key, Some(&shown), &constraint);
            None
        } else {
            T::try_from(number).ok()
        }
    }

    /// A boolean member.
    pub(crate) fn boolean(&mut self, key: &str, need: Need) -> Option<bool> {
        match self.take(key, need)? {
            Value::Bool(b) => Some(b),
            other => {
                self.wrong_type(key, "a boolean", &other);
                None
            }
        }
    }

    /// An enum member.
    pub(crate) fn enumeration<E: WireEnum>(&mut self, key: &str, need: Need) -> Option<E> {
        let value = self.take(key, need)?;
        let Value::String(text) = value else {
            self.wrong_type(key, "a string", &value);
            return None;
        };
        if let Some(found) = E::ALL.iter().find(|e| e.as_str() == text) {
            return Some(*found);
        }
        let allowed: Vec<&str> = E::ALL.iter().map(|e| e.as_str()).collect();
        let constraint = format!(
            "Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        );
        self.violation(key, Some(&text), &constraint);
        None
    }

    fn nested<T: Decode>(&mut self, path: &str, value: Value) -> Option<T> {
        let Value::Object(map) = value else {
            self.wrong_type(path, "an object", &value);
            return None;
        };
        let prefix = format!("{}{path}.", self.prefix);
        T::decode(&mut Members {
            map,
            prefix,
            problems: self.problems,
        })
    }

    /// A structure member.
    pub(crate) fn object<T: Decode>(&mut self, key: &str, need: Need) -> Option<T> {
        let value = self.take(key, need)?;
        self.nested(key, value)
    }

    fn list(&mut self, key: &str, need: Need) -> Option<Vec<Value>> {
        match self.take(key, need)? {
            Value::Array(items) => Some(items),
            other => {
                self.wrong_type(key, "an array", &other);
                None
            }
        }
    }

    /// A list of structures; items are named `<key>.<n>.member` (from 1), as AWS
    /// does.
    pub(crate) fn objects<T: Decode>(&mut self, key: &str, need: Need) -> Option<Vec<T>> {
        let items = self.list(key, need)?;
        let decoded: Vec<Option<T>> = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| self.nested(&format!("{key}.{}.member", i + 1), item))
            .collect();
        decoded.into_iter().collect()
    }

    /// A list of strings of this shape.
    pub(crate) fn strings(&mut self, key: &str, shape: &Str, need: Need) -> Option<Vec<String>> {
        let items = self.list(key, need)?;
        let checked: Vec<Option<String>> = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| self.check_string(&format!("{key}.{}.member", i + 1), item, shape))
            .collect();
        checked.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHORT: Str = Str {
        min: 1,
        max: 3,
        sensitive: false,
        ascii: false,
    };
    const SECRET: Str = Str {
        min: 0,
        max: 3,
        sensitive: true,
        ascii: true,
    };
    const SMALL: Int = Int { min: 0, max: 10 };
    const DOC: JsonRule = JsonRule {
        max_bytes: 8,
        code: ErrorCode::InvalidExecutionInput,
        label: "Invalid input",
    };

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Color {
        Red,
        Blue,
    }

    impl WireEnum for Color {
        const ALL: &'static [Self] = &[Color::Red, Color::Blue];
        fn as_str(self) -> &'static str {
            match self {
                Color::Red => "RED",
                Color::Blue => "BLUE",
            }
        }
    }

    #[derive(Debug, PartialEq)]
    struct Inner {
        label: Option<String>,
    }

    impl Decode for Inner {
        fn decode(m: &mut Members<'_>) -> Option<Self> {
            Some(Inner {
                label: m.string("label", &SHORT, Optional),
            })
        }
    }

    #[derive(Debug, PartialEq)]
    struct Sample {
        id: String,
        secret: Option<String>,
        count: Option<u32>,
        flag: Option<bool>,
        color: Option<Color>,
        inner: Option<Inner>,
        items: Option<Vec<Inner>>,
        keys: Option<Vec<String>>,
        doc: Option<JsonText>,
    }

    impl Decode for Sample {
        fn decode(m: &mut Members<'_>) -> Option<Self> {
            let id = m.string("id", &SHORT, Required);
            let secret = m.string("secret", &SECRET, Optional);
            let count = m.int("count", &SMALL, Optional);
            let flag = m.boolean("flag", Optional);
            let color = m.enumeration("color", Optional);
            let inner = m.object("inner", Optional);
            let items = m.objects("items", Optional);
            let keys = m.strings("keys", &SHORT, Optional);
            let doc = m.json("doc", &DOC, Optional);
            Some(Sample {
                id: id?,
                secret,
                count,
                flag,
                color,
                inner,
                items,
                keys,
                doc,
            })
        }
    }

    fn decode(body: &str) -> Result<Sample, ApiError> {
        decode_request(body.as_bytes())
    }

    fn error(body: &str) -> (ErrorCode, String) {
        let err = decode(body).unwrap_err();
        (err.code, err.message)
    }

    #[test]
    fn reads_every_kind_of_member() {
        let sample = decode(
            r#"{"id":"abc","secret":"s","count":10,"flag":true,"color":"BLUE","inner":{"label":"x"},
                "items":[{"label":"a"},{}],"keys":["k"],"doc":"[1]","unknown":5,"nothing":null}"#,
        )
        .unwrap();
        assert_eq!(sample.id, "abc");
        assert_eq!(sample.count, Some(10));
        assert_eq!(sample.flag, Some(true));
        assert_eq!(sample.color, Some(Color::Blue));
        assert_eq!(
            sample.inner,
            Some(Inner {
                label: Some("x".into())
            })
        );
        assert_eq!(sample.items.as_ref().map(Vec::len), Some(2));
        assert_eq!(sample.keys, Some(vec!["k".to_owned()]));
        assert_eq!(sample.doc.unwrap().value(), &serde_json::json!([1]));
        let nulls = decode(r#"{"id":"a","count":null,"inner":null}"#).unwrap();
        assert_eq!((nulls.count, nulls.inner), (None, None));
    }

    #[test]
    fn malformed_bodies() {
        assert_eq!(decode_request::<Inner>(b"").unwrap(), Inner { label: None });
        assert_eq!(
            decode_request::<Inner>(b"  \n").unwrap(),
            Inner { label: None }
        );
        let (code, message) = error("{");
        assert_eq!(code, ErrorCode::SerializationException);
        assert!(
            message.starts_with("The request body is not valid JSON"),
            "{message}"
        );
        let (code, message) = error("[]");
        assert_eq!(code, ErrorCode::SerializationException);
        assert_eq!(
            message,
            "The request body must be a JSON object, not an array"
        );
    }

    #[test]
    fn wrong_types_name_the_member() {
        assert_eq!(
            error(r#"{"id":5}"#),
            (
                ErrorCode::SerializationException,
                "Expected a string at 'id', got a number".to_owned()
            )
        );
        assert_eq!(
            error(r#"{"id":"a","count":1.5}"#).1,
            "Expected an integer at 'count', got a number"
        );
        assert_eq!(
            error(r#"{"id":"a","count":"1"}"#).1,
            "Expected an integer at 'count', got a string"
        );
        assert_eq!(
            error(r#"{"id":"a","flag":"true"}"#).1,
            "Expected a boolean at 'flag', got a string"
        );
        assert_eq!(
            error(r#"{"id":"a","inner":[]}"#).1,
            "Expected an object at 'inner', got an array"
        );
        assert_eq!(
            error(r#"{"id":"a","inner":{"label":false}}"#).1,
            "Expected a string at 'inner.label', got a boolean"
        );
        assert_eq!(
            error(r#"{"id":"a","items":{}}"#).1,
            "Expected an array at 'items', got an object"
        );
        assert_eq!(
            error(r#"{"id":"a","items":[{},3]}"#).1,
            "Expected an object at 'items.2.member', got a number"
        );
        assert_eq!(
            error(r#"{"id":"a","keys":["x",1]}"#).1,
            "Expected a string at 'keys.2.member', got a number"
        );
        assert_eq!(
            error(r#"{"id":"a","doc":{}}"#).1,
            "Expected a string at 'doc', got an object"
        );
        // The type error wins over constraint violations anywhere in the request.
        assert_eq!(
            error(r#"{"count":99,"flag":1}"#).0,
            ErrorCode::SerializationException
        );
    }

    #[test]
    fn violations_are_listed_together() {
        assert_eq!(
            error("{}"),
            (
                ErrorCode::ValidationException,
                "1 validation error detected: Value null at 'id' failed to satisfy constraint: Member must not be null".to_owned()
            )
        );
        assert_eq!(
            error(r#"{"id":"","count":11,"color":"GREEN","inner":{"label":"long"},"keys":["ok",""]}"#).1,
            "5 validation errors detected: \
             Value '' at 'id' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value '11' at 'count' failed to satisfy constraint: Member must have value less than or equal to 10; \
             Value 'GREEN' at 'color' failed to satisfy constraint: Member must satisfy enum value set: [RED, BLUE]; \
             Value 'long' at 'inner.label' failed to satisfy constraint: Member must have length less than or equal to 3; \
             Value '' at 'keys.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
        assert_eq!(
            error(r#"{"id":"a","count":-1}"#).1,
            "1 validation error detected: Value '-1' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 0"
        );
        assert_eq!(
            error(r#"{"id":"a","count":18446744073709551615}"#).1,
            "1 validation error detected: Value '18446744073709551615' at 'count' failed to satisfy constraint: Member must have value less than or equal to 10"
        );
        assert_eq!(
            error(r#"{"id":"a","items":[{"label":""}]}"#).1,
            "1 validation error detected: Value '' at 'items.1.member.label' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
    }

    #[test]
    fn lengths_count_characters_and_hide_sensitive_values() {
        assert_eq!(decode(r#"{"id":"äöü"}"#).unwrap().id, "äöü");
        assert_eq!(decode(r#"{"id":"😀"}"#).unwrap().id, "😀");
        assert!(error(r#"{"id":"äöüx"}"#)
            .1
            .contains("less than or equal to 3"));
        assert_eq!(
            error(r#"{"id":"a","secret":"abcd"}"#).1,
            "1 validation error detected: Value at 'secret' failed to satisfy constraint: Member must have length less than or equal to 3"
        );
        assert_eq!(
            error(r#"{"id":"a","secret":"é"}"#).1,
            r"1 validation error detected: Value at 'secret' failed to satisfy constraint: Member must satisfy regular expression pattern: \p{ASCII}*"
        );
    }

    #[test]
    fn json_members() {
        assert_eq!(
            decode(r#"{"id":"a","doc":"12345678"}"#)
                .unwrap()
                .doc
                .unwrap()
                .text(),
            "12345678"
        );
        assert_eq!(
            error(r#"{"id":"a","doc":"123456789"}"#),
            (
                ErrorCode::InvalidExecutionInput,
                "Invalid input at 'doc': 9 bytes is more than the maximum of 8 bytes (UTF-8)"
                    .to_owned()
            )
        );
        let (code, message) = error(r#"{"id":"a","doc":"{"}"#);
        assert_eq!(code, ErrorCode::InvalidExecutionInput);
        assert!(
            message.starts_with("Invalid input at 'doc': EOF"),
            "{message}"
        );
        // Constraint violations come before payload problems.
        assert_eq!(error(r#"{"doc":"{"}"#).0, ErrorCode::ValidationException);
    }
}
