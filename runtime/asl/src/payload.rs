//! Payload templates and input/output processing.
//!
//! A payload template (`Parameters`, `ResultSelector`, `ItemSelector`, `BatchInput`)
//! is compiled once: keys ending in `.$` hold a path or an intrinsic call evaluated
//! per run, everything else is copied as written. The processing functions apply
//! InputPath, ResultPath and OutputPath in AWS's order with AWS's error texts.

use crate::errors::{Failure, RESULT_PATH_MATCH_FAILURE};
use crate::intrinsics::Intrinsic;
use crate::jsonpath::{JsonPath, PathScope};
use crate::model::{Filter, ResultPath};
use crate::random::Entropy;
use serde_json::{Map, Value};

/// A compiled payload template.
#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    /// A constant subtree, copied as is.
    Literal(Value),
    /// An object with at least one dynamic field somewhere below.
    Object(Vec<(String, Template)>),
    /// An array with at least one dynamic element somewhere below.
    Array(Vec<Template>),
    /// `"key.$": "$.path"`; `field` is the key as written, for error messages.
    Path {
        /// The key as written (`value.$`).
        field: String,
        /// The path.
        path: JsonPath,
    },
    /// `"key.$": "States.Format(...)"`.
    Intrinsic {
        /// The key as written.
        field: String,
        /// The call.
        call: Box<Intrinsic>,
    },
}

/// Why a template does not compile; `location` is a JSON pointer below the template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct TemplateError {
    /// Pointer to the offending key, relative to the template.
    pub location: String,
    /// Why.
    pub message: String,
}

impl Template {
    /// Compiles a template as written in a JSONPath state.
    pub fn compile(value: &Value) -> Result<Template, TemplateError> {
        compile_at(value, "")
    }

    /// True when nothing is evaluated at run time.
    pub fn is_literal(&self) -> bool {
        matches!(self, Template::Literal(_))
    }

    /// Evaluates the template: paths are resolved in `scope`, intrinsics may draw
    /// randomness from `entropy`.
    pub fn eval(&self, scope: &dyn PathScope, entropy: &mut dyn Entropy) -> Result<Value, Failure> {
        match self {
            Template::Literal(v) => Ok(v.clone()),
            Template::Object(fields) => {
                let mut map = Map::with_capacity(fields.len());
                for (key, template) in fields {
                    map.insert(key.clone(), template.eval(scope, entropy)?);
                }
                Ok(Value::Object(map))
            }
            Template::Array(items) => items
                .iter()
                .map(|t| t.eval(scope, entropy))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Template::Path { field, path } => path.resolve(scope).ok_or_else(|| {
                let searched = match path.root() {
                    crate::jsonpath::Root::Input => scope.input().to_string(),
                    crate::jsonpath::Root::Context => scope.context(None).to_string(),
                    crate::jsonpath::Root::Variable => path
                        .variable()
                        .and_then(|name| scope.variable(name))
                        .map(|v| v.to_string())
                        .unwrap_or_else(|| "null".into()),
                };
                Failure::runtime(format!(
                    "The JSONPath '{}' specified for the field '{}' could not be found in the input '{}'",
                    path.as_str(),
                    field,
                    searched
                ))
            }),
            Template::Intrinsic { call, .. } => call
                .eval(scope, entropy)
                .map_err(|e| Failure::new(e.error, e.cause)),
        }
    }
}

fn compile_at(value: &Value, location: &str) -> Result<Template, TemplateError> {
    match value {
        Value::Object(map) => {
            let mut fields = Vec::with_capacity(map.len());
            let mut dynamic = false;
            for (key, item) in map {
                let here = format!("{location}/{}", pointer_escape(key));
                let template = match key.strip_suffix(".$") {
                    Some(name) => {
                        let text = item.as_str().ok_or_else(|| TemplateError {
                            location: here.clone(),
                            message: format!("the value of '{key}' must be a path or an intrinsic function (a string)"),
                        })?;
                        fields.push((name.to_string(), compile_dynamic(key, text, &here)?));
                        dynamic = true;
                        continue;
                    }
                    None => compile_at(item, &here)?,
                };
                dynamic |= !template.is_literal();
                fields.push((key.clone(), template));
            }
            Ok(if dynamic {
                Template::Object(fields)
            } else {
                Template::Literal(value.clone())
            })
        }
        Value::Array(items) => {
            let compiled = items
                .iter()
                .enumerate()
                .map(|(i, item)| compile_at(item, &format!("{location}/{i}")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if compiled.iter().all(Template::is_literal) {
                Template::Literal(value.clone())
            } else {
                Template::Array(compiled)
            })
        }
        other => Ok(Template::Literal(other.clone())),
    }
}

fn compile_dynamic(field: &str, text: &str, location: &str) -> Result<Template, TemplateError> {
    if Intrinsic::looks_like(text) {
        let call = Intrinsic::parse(text).map_err(|e| TemplateError {
            location: location.to_string(),
            message: format!("invalid intrinsic function '{text}': {e}"),
        })?;
        Ok(Template::Intrinsic {
            field: field.to_string(),
            call: Box::new(call),
        })
    } else {
        let path = JsonPath::parse(text).map_err(|e| TemplateError {
            location: location.to_string(),
            message: format!("invalid JSONPath '{text}': {e}"),
        })?;
        Ok(Template::Path {
            field: field.to_string(),
            path,
        })
    }
}

/// Escapes a key for a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn pointer_escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Applies `InputPath` or `OutputPath` to `value`.
pub fn apply_filter(filter: &Filter, value: Value) -> Result<Value, Failure> {
    match filter {
        Filter::All => Ok(value),
        Filter::Nothing => Ok(Value::Object(Map::new())),
        Filter::Path(path) => match path.root() {
            crate::jsonpath::Root::Input => {
                if path.is_definite() && path.select_ref(&value).is_none() {
                    return Err(no_results(path, &value));
                }
                path.take(value)
                    .ok_or_else(|| no_results(path, &Value::Null))
            }
            crate::jsonpath::Root::Context | crate::jsonpath::Root::Variable => {
                Err(no_results(path, &Value::Null))
            }
        },
    }
}

/// AWS's text for a path (InputPath, OutputPath, ItemsPath, ...) that selects
/// nothing in `root`: Jayway's reason, quoted.
pub fn no_results(path: &JsonPath, root: &Value) -> Failure {
    let reason = path
        .miss_reason(root)
        .unwrap_or_else(|| format!("No results for path: {}", path.normalized()));
    Failure::runtime(format!("Invalid path '{}' : {}", path.as_str(), reason))
}

/// Applies `ResultPath`: combines the state's (raw) input with its result.
pub fn apply_result_path(
    result_path: &ResultPath,
    input: Value,
    result: Value,
) -> Result<Value, Failure> {
    match result_path {
        ResultPath::Replace => Ok(result),
        ResultPath::Discard => Ok(input),
        ResultPath::At(path) => {
            let mut target = input;
            match path.assign(&mut target, result) {
                Ok(()) => Ok(target),
                Err(_) => Err(Failure::new(
                    RESULT_PATH_MATCH_FAILURE,
                    format!(
                        "Unable to apply ResultPath \"{}\" to input \"{}\"",
                        path.as_str(),
                        target
                    ),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn constant_templates_stay_literal() {
        let t = Template::compile(&json!({"a": [1, {"b": "$.not-a-path"}]})).unwrap();
        assert!(t.is_literal());
    }

    #[test]
    fn dynamic_keys_lose_their_suffix_and_report_their_location() {
        let t = Template::compile(&json!({"x": {"y.$": "$.a"}})).unwrap();
        match t {
            Template::Object(fields) => {
                assert_eq!(fields[0].0, "x");
                match &fields[0].1 {
                    Template::Object(inner) => assert_eq!(inner[0].0, "y"),
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        }
        let err = Template::compile(&json!({"x": [{"y.$": 3}]})).unwrap_err();
        assert_eq!(err.location, "/x/0/y.$");
    }

    #[test]
    fn null_result_path_keeps_input() {
        let out = apply_result_path(&ResultPath::Discard, json!({"a": 1}), json!(2)).unwrap();
        assert_eq!(out, json!({"a": 1}));
        assert_eq!(
            apply_filter(&Filter::Nothing, json!([1])).unwrap(),
            json!({})
        );
    }
}
