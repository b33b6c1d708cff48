//! `Map`: runs its processor once per item (or batch), at most MaxConcurrency at
//! a time; the result is the array of the iterations' outputs in item order.

use crate::execution::{Execution, Flow};
use crate::history::EventType;
use crate::thread::{Fanout, ParentLink, Phase, ThreadId};
use asl::errors::Failure;
use asl::jsonata::json_type;
use asl::jsonpath::JsonPath;
use asl::model::{MapSpec, NumberSpec, State, StateKind, StateMachine};
use serde_json::{json, Map, Value};

impl Execution {
    pub(crate) fn run_map(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
        spec: &MapSpec,
    ) -> Result<Flow, Failure> {
        let effective = self.effective_input(tid, state)?.into_owned();
        let items = self.map_items(tid, state, spec, &effective)?;
        let limit = match self.count(
            tid,
            state,
            spec.max_concurrency.as_ref(),
            &effective,
            "MaxConcurrencyPath",
            true,
        )? {
            Some(n) if n < 0.0 => {
                return Err(Failure::runtime(format!(
                    "Expected non-negative integer for MaxConcurrency, got '{n}' instead."
                )))
            }
            Some(n) => n as usize,
            None => 0,
        };
        let tolerated_count = match self.count(
            tid,
            state,
            spec.tolerated_failure_count.as_ref(),
            &effective,
            "ToleratedFailureCountPath",
            true,
        )? {
            Some(n) if n < 0.0 => {
                return Err(Failure::runtime(
                    "ToleratedFailureCount cannot be negative.",
                ))
            }
            other => other.map(|n| n as u64),
        };
        let tolerated_percentage = match self.count(
            tid,
            state,
            spec.tolerated_failure_percentage.as_ref(),
            &effective,
            "ToleratedFailurePercentagePath",
            false,
        )? {
            Some(p) if !(0.0..=100.0).contains(&p) => {
                return Err(Failure::runtime(
                    "ToleratedFailurePercentage must be between 0 and 100.",
                ))
            }
            other => other,
        };
        let items = match &spec.batcher {
            Some(batcher) => self.batch(tid, state, batcher, &effective, items)?,
            None => items,
        };
        let length = items.len();
        let started = self.record(
            tid,
            EventType::MapStateStarted,
            Some(json!({"length": length})),
        );
        let _ = started;
        let fanout = Fanout {
            is_map: true,
            effective_input: effective,
            results: vec![Value::Null; length],
            items,
            next_item: 0,
            limit,
            running: 0,
            finished: 0,
            failed: 0,
            tolerated_count,
            tolerated_percentage,
        };
        if length == 0 {
            self.record(tid, EventType::MapStateSucceeded, None);
            self.thread_mut_expect(tid).phase = Phase::Completed(Value::Array(Vec::new()));
            return Ok(Flow::Continue);
        }
        self.thread_mut_expect(tid).phase = Phase::Fanout(Box::new(fanout));
        self.fill_map(machine, tid)?;
        Ok(Flow::Stop)
    }

    /// The items to iterate: ItemsPath (JSONPath), Items (JSONata), or the input.
    fn map_items(
        &mut self,
        tid: ThreadId,
        state: &State,
        spec: &MapSpec,
        effective: &Value,
    ) -> Result<Vec<Value>, Failure> {
        let jsonata = state.query_language == asl::model::QueryLanguage::JsonAta;
        let items = match (&spec.items, &spec.items_path) {
            (Some(items), _) if jsonata => {
                let value = self.eval_expression(
                    tid,
                    state,
                    items,
                    "Items",
                    super::States {
                        input: Some(effective),
                        ..Default::default()
                    },
                )?;
                if !value.is_array() {
                    let source = match items {
                        asl::jsonata::Template::Expr(expr) => expr.source(),
                        _ => "",
                    };
                    return Err(Failure::new(
                        asl::errors::QUERY_EVALUATION_ERROR,
                        format!(
                            "The JSONata expression '{source}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {value}",
                            json_type(&value)
                        ),
                    ));
                }
                value
            }
            (_, Some(path)) => self
                .resolve_in(tid, state, path, effective)
                .ok_or_else(|| asl::payload::no_results(path, effective))?,
            _ => effective.clone(),
        };
        match items {
            Value::Array(items) => Ok(items),
            other => {
                let cause = format!(
                    "Map state input must be an array but was: {}",
                    json_type(&other)
                );
                Err(if jsonata {
                    Failure::new(asl::errors::QUERY_EVALUATION_ERROR, cause)
                } else {
                    Failure::runtime(cause)
                })
            }
        }
    }

    /// A count given literally, by a path (`...Path` field `path_field`) or by a
    /// JSONata expression.
    fn count(
        &mut self,
        tid: ThreadId,
        state: &State,
        spec: Option<&NumberSpec>,
        effective: &Value,
        path_field: &str,
        integer: bool,
    ) -> Result<Option<f64>, Failure> {
        if let Some(NumberSpec::Expr(expr)) = spec {
            let field = path_field.trim_end_matches("Path");
            let value = self.eval_expression(
                tid,
                state,
                expr,
                field,
                super::States {
                    input: Some(effective),
                    ..Default::default()
                },
            )?;
            return match value.as_f64() {
                Some(n) if !integer || n.fract() == 0.0 => Ok(Some(n)),
                _ => Err(Failure::new(
                    asl::errors::QUERY_EVALUATION_ERROR,
                    format!(
                        "The {field} field must evaluate to a {}, but was: {value}",
                        if integer { "whole number" } else { "number" }
                    ),
                )),
            };
        }
        resolve_number(
            &|p: &JsonPath| self.resolve_in(tid, state, p, effective),
            spec,
            effective,
            path_field,
            integer,
        )
    }

    /// Starts iterations while fewer than the limit run and items remain.
    pub(crate) fn fill_map(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
    ) -> Result<(), Failure> {
        let state = self.current_state(machine, tid);
        let StateKind::Map(spec) = &state.kind else {
            return Ok(());
        };
        let Some(Phase::Fanout(mut fanout)) = self
            .thread_mut(tid)
            .map(|t| std::mem::replace(&mut t.phase, Phase::Enter))
        else {
            return Ok(());
        };
        let start = machine.machine(spec.processor).start_at;
        let mut result = Ok(());
        while fanout.next_item < fanout.items.len()
            && (fanout.limit == 0 || fanout.running < fanout.limit)
        {
            let index = fanout.next_item;
            fanout.next_item += 1;
            let item = std::mem::take(&mut fanout.items[index]);
            let input = match (&spec.item_selector_expr, &spec.item_selector) {
                (Some(selector), _) => {
                    let states = super::States {
                        input: Some(&fanout.effective_input),
                        map_item: Some((index, &item)),
                        ..Default::default()
                    };
                    match self.eval_expression(tid, state, selector, "ItemSelector", states) {
                        Ok(v) => v,
                        Err(failure) => {
                            result = Err(failure);
                            break;
                        }
                    }
                }
                (None, Some(selector)) => {
                    let mut rng = self.rng;
                    let scope = self.scope(
                        tid,
                        state,
                        &fanout.effective_input,
                        None,
                        Some((index, &item)),
                    );
                    let evaluated = selector.eval(&scope, &mut rng);
                    self.rng = rng;
                    match evaluated {
                        Ok(v) => v,
                        Err(failure) => {
                            result = Err(failure);
                            break;
                        }
                    }
                }
                (None, None) => item,
            };
            let input_bound = match self.check_input_size(state, &input) {
                Ok(bound) => bound,
                Err(failure) => {
                    result = Err(failure);
                    break;
                }
            };
            fanout.running += 1;
            let parent_last = self.thread(tid).last_event;
            let child = self.spawn(
                spec.processor,
                start,
                input,
                input_bound,
                Some(ParentLink {
                    thread: tid,
                    slot: index,
                }),
                parent_last,
            );
            let details = self
                .config
                .record_history
                .then(|| json!({"name": state.name, "index": index}));
            self.record(child, EventType::MapIterationStarted, details);
            self.ready.push_back(child);
        }
        self.thread_mut_expect(tid).phase = Phase::Fanout(fanout);
        result
    }

    /// Groups items into batches: `{"Items": [...], "BatchInput": ...}`.
    fn batch(
        &mut self,
        tid: ThreadId,
        state: &State,
        batcher: &asl::model::BatcherSpec,
        effective: &Value,
        items: Vec<Value>,
    ) -> Result<Vec<Value>, Failure> {
        let max_items = resolve_number(
            &|p: &JsonPath| self.resolve_in(tid, state, p, effective),
            batcher.max_items.as_ref(),
            effective,
            "MaxItemsPerBatchPath",
            true,
        )?
        .map(|n| n.max(1.0) as usize)
        .unwrap_or(usize::MAX);
        let max_bytes = resolve_number(
            &|p: &JsonPath| self.resolve_in(tid, state, p, effective),
            batcher.max_bytes.as_ref(),
            effective,
            "MaxInputBytesPerBatchPath",
            true,
        )?
        .map(|n| n.max(1.0) as usize)
        .unwrap_or(asl::errors::MAX_PAYLOAD_BYTES);
        let batch_input = match &batcher.batch_input {
            Some(template) => {
                let mut rng = self.rng;
                let scope = self.scope(tid, state, effective, None, None);
                let v = template.eval(&scope, &mut rng)?;
                self.rng = rng;
                Some(v)
            }
            None => None,
        };
        let mut batches = Vec::new();
        let mut current: Vec<Value> = Vec::new();
        let mut bytes = 0usize;
        for item in items {
            let size = asl::size::json_len_capped(&item, max_bytes) + 1;
            if !current.is_empty() && (current.len() >= max_items || bytes + size > max_bytes) {
                batches.push(std::mem::take(&mut current));
                bytes = 0;
            }
            bytes += size;
            current.push(item);
        }
        if !current.is_empty() {
            batches.push(current);
        }
        Ok(batches
            .into_iter()
            .map(|items| {
                let mut batch = Map::new();
                if let Some(input) = &batch_input {
                    batch.insert("BatchInput".into(), input.clone());
                }
                batch.insert("Items".into(), Value::Array(items));
                Value::Object(batch)
            })
            .collect())
    }
}

/// Resolves a number given literally or by a path, with AWS's error texts.
fn resolve_number(
    lookup: &dyn Fn(&JsonPath) -> Option<Value>,
    spec: Option<&NumberSpec>,
    effective: &Value,
    field: &str,
    integer: bool,
) -> Result<Option<f64>, Failure> {
    match spec {
        None => Ok(None),
        Some(NumberSpec::Fixed(n)) => Ok(Some(*n)),
        Some(NumberSpec::Path(path)) => {
            let value = lookup(path).ok_or_else(|| asl::payload::no_results(path, effective))?;
            // AWS also takes numbers written as strings ("1").
            let value = match &value {
                Value::String(text) => serde_json::from_str::<Value>(text.trim())
                    .ok()
                    .filter(Value::is_number)
                    .unwrap_or(value),
                _ => value,
            };
            let number = if integer {
                value.as_i64().map(|n| n as f64)
            } else {
                value.as_f64()
            };
            number.map(Some).ok_or_else(|| {
                let shown = match &value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Failure::runtime(format!(
                    "The {field} field refers to value \"{shown}\" which is not a valid {}: {}",
                    if integer { "integer" } else { "float" },
                    path.as_str()
                ))
            })
        }
        // Expressions are evaluated by `Execution::count` before this.
        Some(NumberSpec::Expr(_)) => Ok(None),
    }
}
