//! Building the typed model from a validated definition.
//!
//! Validation has already rejected malformed definitions, so this mostly reads
//! fields; what it still cannot build (a path that does not compile, say) becomes a
//! diagnostic rather than a panic.

use super::*;
use crate::choice::ChoiceRule;
use crate::intrinsics::Intrinsic;
use crate::jsonata::Template as Expression;
use crate::jsonpath::JsonPath;
use crate::payload::{pointer_escape, Template};
use crate::validate::{Diagnostic, Severity};
use serde_json::{Map, Value};

/// A definition that cannot be used, with every diagnostic found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid definition: {}", summary(.diagnostics))]
pub struct DefinitionError {
    /// The diagnostics, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("{} at '{}': {}", d.code, d.location, d.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl DefinitionError {
    /// An error with these diagnostics.
    pub fn new(diagnostics: Vec<Diagnostic>) -> Self {
        DefinitionError { diagnostics }
    }
}

struct Builder {
    machines: Vec<Machine>,
    diagnostics: Vec<Diagnostic>,
}

/// Builds the model of a validated definition.
pub(super) fn build(source: Value) -> Result<StateMachine, DefinitionError> {
    let mut builder = Builder {
        machines: Vec::new(),
        diagnostics: Vec::new(),
    };
    let top = source.as_object().cloned().unwrap_or_default();
    let query_language = language(&top, QueryLanguage::JsonPath);
    builder.machine(&top, "", query_language);
    if !builder.diagnostics.is_empty() {
        return Err(DefinitionError::new(builder.diagnostics));
    }
    Ok(StateMachine {
        comment: top
            .get("Comment")
            .and_then(Value::as_str)
            .map(str::to_string),
        query_language,
        timeout_seconds: top.get("TimeoutSeconds").and_then(Value::as_u64),
        machines: builder.machines,
        source,
    })
}

fn language(obj: &Map<String, Value>, inherited: QueryLanguage) -> QueryLanguage {
    match obj.get("QueryLanguage").and_then(Value::as_str) {
        Some("JSONata") => QueryLanguage::JsonAta,
        Some("JSONPath") => QueryLanguage::JsonPath,
        _ => inherited,
    }
}

fn is_expr(value: &Value) -> bool {
    value
        .as_str()
        .map(|s| s.starts_with("{%") && s.ends_with("%}"))
        .unwrap_or(false)
}

impl Builder {
    fn error(&mut self, location: String, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            code: "SCHEMA_VALIDATION_FAILED".into(),
            message: message.into(),
            location,
        });
    }

    /// Builds one `StartAt`/`States` block and everything nested in it; returns its id.
    fn machine(&mut self, obj: &Map<String, Value>, at: &str, lang: QueryLanguage) -> MachineId {
        let id = self.machines.len();
        self.machines.push(Machine {
            start_at: 0,
            states: Vec::new(),
            by_name: HashMap::new(),
        });
        let empty = Map::new();
        let states = obj
            .get("States")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let by_name: HashMap<String, StateId> = states
            .keys()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        let start_at = match obj
            .get("StartAt")
            .and_then(Value::as_str)
            .and_then(|s| by_name.get(s))
        {
            Some(&i) => i,
            None => {
                self.error(
                    format!("{at}/StartAt"),
                    "StartAt must name a state of States",
                );
                0
            }
        };
        let mut built = Vec::with_capacity(states.len());
        for (name, state) in states {
            let here = format!("{at}/States/{}", pointer_escape(name));
            let state_obj = state.as_object().cloned().unwrap_or_default();
            built.push(self.state(name, &state_obj, &here, lang, &by_name));
        }
        let machine = &mut self.machines[id];
        machine.start_at = start_at;
        machine.states = built;
        machine.by_name = by_name;
        id
    }

    fn target(
        &mut self,
        value: Option<&Value>,
        at: String,
        names: &HashMap<String, StateId>,
    ) -> Option<StateId> {
        let name = value?.as_str()?;
        match names.get(name) {
            Some(&id) => Some(id),
            None => {
                self.error(at, format!("Next names a missing state '{name}'"));
                None
            }
        }
    }

    fn path(&mut self, value: &Value, at: String, reference: bool) -> Option<JsonPath> {
        let text = value.as_str()?;
        match JsonPath::parse(text) {
            Ok(p) if reference && !p.is_definite() => {
                self.error(
                    at,
                    format!("'{text}' is not a reference path (no wildcards, slices or filters)"),
                );
                None
            }
            Ok(p) => Some(p),
            Err(e) => {
                self.error(at, format!("invalid JSONPath '{text}': {e}"));
                None
            }
        }
    }

    fn filter(&mut self, obj: &Map<String, Value>, field: &str, at: &str) -> Filter {
        match obj.get(field) {
            None => Filter::All,
            Some(Value::Null) => Filter::Nothing,
            Some(v) if v.as_str() == Some("$") => Filter::All,
            Some(v) => match self.path(v, format!("{at}/{field}"), false) {
                Some(p) => Filter::Path(p),
                None => Filter::All,
            },
        }
    }

    fn result_path(&mut self, obj: &Map<String, Value>, at: &str) -> ResultPath {
        match obj.get("ResultPath") {
            None => ResultPath::Replace,
            Some(Value::Null) => ResultPath::Discard,
            Some(v) if v.as_str() == Some("$") => ResultPath::Replace,
            Some(v) => match self.path(v, format!("{at}/ResultPath"), true) {
                Some(p) => ResultPath::At(p),
                None => ResultPath::Replace,
            },
        }
    }

    fn template(&mut self, obj: &Map<String, Value>, field: &str, at: &str) -> Option<Template> {
        let value = obj.get(field)?;
        match Template::compile(value) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(format!("{at}/{field}{}", e.location), e.message);
                None
            }
        }
    }

    fn seconds(&mut self, obj: &Map<String, Value>, field: &str, at: &str) -> Option<SecondsSpec> {
        if let Some(v) = obj.get(field) {
            if is_expr(v) {
                return self
                    .compile_expression(v, format!("{at}/{field}"))
                    .map(|e| SecondsSpec::Expr(Box::new(e)));
            }
            return v.as_u64().map(SecondsSpec::Fixed);
        }
        let path_field = format!("{field}Path");
        let v = obj.get(&path_field)?;
        self.path(v, format!("{at}/{path_field}"), false)
            .map(SecondsSpec::Path)
    }

    fn number(&mut self, obj: &Map<String, Value>, field: &str, at: &str) -> Option<NumberSpec> {
        if let Some(v) = obj.get(field) {
            if is_expr(v) {
                return self
                    .compile_expression(v, format!("{at}/{field}"))
                    .map(|e| NumberSpec::Expr(Box::new(e)));
            }
            return v.as_f64().map(NumberSpec::Fixed);
        }
        let path_field = format!("{field}Path");
        let v = obj.get(&path_field)?;
        self.path(v, format!("{at}/{path_field}"), false)
            .map(NumberSpec::Path)
    }

    fn string_spec(
        &mut self,
        obj: &Map<String, Value>,
        field: &str,
        at: &str,
    ) -> Option<StringSpec> {
        if let Some(v) = obj.get(field) {
            if is_expr(v) {
                return self
                    .compile_expression(v, format!("{at}/{field}"))
                    .map(|e| StringSpec::Expr(Box::new(e)));
            }
            return v.as_str().map(|text| StringSpec::Literal(text.to_string()));
        }
        let path_field = format!("{field}Path");
        let text = obj.get(&path_field)?.as_str()?;
        let here = format!("{at}/{path_field}");
        if Intrinsic::looks_like(text) {
            match Intrinsic::parse(text) {
                Ok(call) => Some(StringSpec::Intrinsic(Box::new(call))),
                Err(e) => {
                    self.error(here, format!("invalid intrinsic function '{text}': {e}"));
                    None
                }
            }
        } else {
            self.path(&Value::String(text.to_string()), here, false)
                .map(StringSpec::Path)
        }
    }

    fn assign(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        lang: QueryLanguage,
    ) -> Option<Assign> {
        match lang {
            QueryLanguage::JsonPath => self.template(obj, "Assign", at).map(Assign::Paths),
            QueryLanguage::JsonAta => self.expression(obj, "Assign", at).map(Assign::Expressions),
        }
    }

    /// Compiles a JSONata-state field (a value whose `{% %}` strings are expressions).
    fn expression(
        &mut self,
        obj: &Map<String, Value>,
        field: &str,
        at: &str,
    ) -> Option<Expression> {
        let value = obj.get(field)?;
        self.compile_expression(value, format!("{at}/{field}"))
    }

    fn compile_expression(&mut self, value: &Value, at: String) -> Option<Expression> {
        match Expression::compile(value) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(format!("{at}{}", e.pointer), e.error.to_string());
                None
            }
        }
    }

    fn retriers(&mut self, obj: &Map<String, Value>) -> Vec<Retrier> {
        let Some(list) = obj.get("Retry").and_then(Value::as_array) else {
            return Vec::new();
        };
        list.iter()
            .filter_map(Value::as_object)
            .map(|r| Retrier {
                error_equals: strings(r.get("ErrorEquals")),
                interval_seconds: r
                    .get("IntervalSeconds")
                    .and_then(Value::as_u64)
                    .unwrap_or(1),
                max_attempts: r.get("MaxAttempts").and_then(Value::as_u64).unwrap_or(3),
                backoff_rate: r.get("BackoffRate").and_then(Value::as_f64).unwrap_or(2.0),
                max_delay_seconds: r.get("MaxDelaySeconds").and_then(Value::as_u64),
                jitter: match r.get("JitterStrategy").and_then(Value::as_str) {
                    Some("FULL") => Jitter::Full,
                    _ => Jitter::None,
                },
            })
            .collect()
    }

    fn catchers(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        names: &HashMap<String, StateId>,
        lang: QueryLanguage,
    ) -> Vec<Catcher> {
        let Some(list) = obj.get("Catch").and_then(Value::as_array) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, c) in list.iter().enumerate() {
            let Some(c) = c.as_object() else { continue };
            let here = format!("{at}/Catch/{i}");
            let Some(next) = self.target(c.get("Next"), format!("{here}/Next"), names) else {
                continue;
            };
            let result_path = self.result_path(c, &here);
            out.push(Catcher {
                error_equals: strings(c.get("ErrorEquals")),
                next,
                result_path,
                assign: self.assign(c, &here, lang),
                output: self.expression(c, "Output", &here),
            });
        }
        out
    }

    fn state(
        &mut self,
        name: &str,
        obj: &Map<String, Value>,
        at: &str,
        inherited: QueryLanguage,
        names: &HashMap<String, StateId>,
    ) -> State {
        let lang = language(obj, inherited);
        let type_name = obj.get("Type").and_then(Value::as_str).unwrap_or_default();
        let is_map = type_name == "Map";
        let io = Io {
            input_path: self.filter(obj, "InputPath", at),
            parameters: if is_map {
                None
            } else {
                self.template(obj, "Parameters", at)
            },
            result_selector: self.template(obj, "ResultSelector", at),
            result_path: self.result_path(obj, at),
            output_path: self.filter(obj, "OutputPath", at),
        };
        let kind = match type_name {
            "Pass" => StateKind::Pass {
                result: obj.get("Result").cloned(),
            },
            "Task" => StateKind::Task(Box::new(TaskSpec {
                resource: obj
                    .get("Resource")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                timeout: self.seconds(obj, "TimeoutSeconds", at),
                heartbeat: self.seconds(obj, "HeartbeatSeconds", at),
                credentials: obj.get("Credentials").cloned(),
            })),
            "Choice" => {
                let mut choices = Vec::new();
                if let Some(list) = obj.get("Choices").and_then(Value::as_array) {
                    for (i, rule) in list.iter().enumerate() {
                        let here = format!("{at}/Choices/{i}");
                        let empty = Map::new();
                        let rule_obj = rule.as_object().unwrap_or(&empty);
                        let compiled = match ChoiceRule::compile(rule) {
                            Ok(r) => r,
                            Err(message) => {
                                self.error(here, message);
                                continue;
                            }
                        };
                        let Some(next) =
                            self.target(rule.get("Next"), format!("{here}/Next"), names)
                        else {
                            continue;
                        };
                        choices.push(ChoiceBranch {
                            rule: compiled,
                            next,
                            assign: self.assign(rule_obj, &here, lang),
                            output: self.expression(rule_obj, "Output", &here),
                        });
                    }
                }
                let default = self.target(obj.get("Default"), format!("{at}/Default"), names);
                StateKind::Choice(Box::new(ChoiceSpec { choices, default }))
            }
            "Wait" => StateKind::Wait(self.wait(obj, at)),
            "Succeed" => StateKind::Succeed,
            "Fail" => StateKind::Fail(FailSpec {
                error: self.string_spec(obj, "Error", at),
                cause: self.string_spec(obj, "Cause", at),
            }),
            "Parallel" => {
                let mut branches = Vec::new();
                if let Some(list) = obj.get("Branches").and_then(Value::as_array) {
                    for (i, branch) in list.iter().enumerate() {
                        let branch = branch.as_object().cloned().unwrap_or_default();
                        let branch_lang = language(&branch, lang);
                        branches.push(self.machine(
                            &branch,
                            &format!("{at}/Branches/{i}"),
                            branch_lang,
                        ));
                    }
                }
                StateKind::Parallel { branches }
            }
            "Map" => StateKind::Map(Box::new(self.map(obj, at, lang))),
            other => {
                self.error(
                    format!("{at}/Type"),
                    format!("unknown state type '{other}'"),
                );
                StateKind::Succeed
            }
        };
        let next = self.target(obj.get("Next"), format!("{at}/Next"), names);
        State {
            name: name.to_string(),
            query_language: lang,
            kind,
            next,
            io,
            retry: self.retriers(obj),
            catch: self.catchers(obj, at, names, lang),
            assign: self.assign(obj, at, lang),
            output: self.expression(obj, "Output", at),
            arguments: self.expression(obj, "Arguments", at),
        }
    }

    fn wait(&mut self, obj: &Map<String, Value>, at: &str) -> WaitSpec {
        if let Some(seconds) = self.seconds(obj, "Seconds", at) {
            return WaitSpec::Seconds(seconds);
        }
        if let Some(v) = obj.get("Timestamp") {
            if is_expr(v) {
                if let Some(e) = self.compile_expression(v, format!("{at}/Timestamp")) {
                    return WaitSpec::TimestampExpr(Box::new(e));
                }
            }
            return WaitSpec::Timestamp(v.as_str().unwrap_or_default().to_string());
        }
        if let Some(v) = obj.get("TimestampPath") {
            if let Some(p) = self.path(v, format!("{at}/TimestampPath"), false) {
                return WaitSpec::TimestampPath(p);
            }
        }
        self.error(
            at.to_string(),
            "a Wait state needs Seconds, Timestamp, SecondsPath or TimestampPath",
        );
        WaitSpec::Seconds(SecondsSpec::Fixed(0))
    }

    fn map(&mut self, obj: &Map<String, Value>, at: &str, lang: QueryLanguage) -> MapSpec {
        let (processor_field, processor) =
            match obj.get("ItemProcessor").or_else(|| obj.get("Iterator")) {
                Some(p) => (
                    if obj.contains_key("ItemProcessor") {
                        "ItemProcessor"
                    } else {
                        "Iterator"
                    },
                    p.as_object().cloned().unwrap_or_default(),
                ),
                None => ("ItemProcessor", Map::new()),
            };
        let distributed = processor
            .get("ProcessorConfig")
            .and_then(|c| c.get("Mode"))
            .and_then(Value::as_str)
            == Some("DISTRIBUTED");
        let processor_lang = language(&processor, lang);
        let processor_id = self.machine(
            &processor,
            &format!("{at}/{processor_field}"),
            processor_lang,
        );
        let selector_field = if obj.contains_key("ItemSelector") {
            "ItemSelector"
        } else {
            "Parameters"
        };
        let items_path = match obj.get("ItemsPath") {
            Some(v) if v.as_str() != Some("$") => self.path(v, format!("{at}/ItemsPath"), false),
            _ => None,
        };
        let batcher = obj.get("ItemBatcher").and_then(Value::as_object).map(|b| {
            let here = format!("{at}/ItemBatcher");
            BatcherSpec {
                max_items: self.number(b, "MaxItemsPerBatch", &here),
                max_bytes: self.number(b, "MaxInputBytesPerBatch", &here),
                batch_input: if lang == QueryLanguage::JsonPath {
                    self.template(b, "BatchInput", &here)
                } else {
                    None
                },
            }
        });
        MapSpec {
            processor: processor_id,
            distributed,
            items_path,
            items: self.expression(obj, "Items", at),
            item_selector: if lang == QueryLanguage::JsonPath {
                self.template(obj, selector_field, at)
            } else {
                None
            },
            item_selector_expr: if lang == QueryLanguage::JsonAta {
                self.expression(obj, selector_field, at)
            } else {
                None
            },
            max_concurrency: self.number(obj, "MaxConcurrency", at),
            batcher,
            tolerated_failure_count: self.number(obj, "ToleratedFailureCount", at),
            tolerated_failure_percentage: self.number(obj, "ToleratedFailurePercentage", at),
            label: obj.get("Label").and_then(Value::as_str).map(str::to_string),
        }
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_nested_machines_flat() {
        let sm = StateMachine::parse(
            r#"{"StartAt":"P","States":{
                "P":{"Type":"Parallel","Branches":[
                    {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                    {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}
                ],"Next":"Done"},
                "Done":{"Type":"Succeed"}}}"#,
        )
        .unwrap();
        assert_eq!(sm.machines.len(), 4);
        let root = sm.machine(ROOT_MACHINE);
        assert_eq!(root.states[root.start_at].name, "P");
        assert_eq!(root.states[0].next, Some(1));
        match &root.states[0].kind {
            StateKind::Parallel { branches } => assert_eq!(branches, &vec![1, 2]),
            other => panic!("{other:?}"),
        }
    }
}
