//! Replay: an execution serialized at any point and resumed from its JSON agrees,
//! step by step, with the run that was never interrupted.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use engine::{Effect, EngineConfig, Event, Execution, Status, Step};
use serde_json::{json, Value};
use std::collections::{BTreeMap, VecDeque};

const WORK: &str = "arn:aws:lambda:us-east-1:123456789012:function:work";
const TOKEN: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

/// Retry with jitter, a Wait, a Parallel holding a token task with heartbeats and
/// a Map with MaxConcurrency and UUIDs, then a task that times out into Catch.
fn definition() -> Value {
    json!({
        "StartAt": "Fetch",
        "States": {
            "Fetch": {
                "Type": "Task", "Resource": WORK,
                "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "MaxAttempts": 2, "JitterStrategy": "FULL"}],
                "ResultPath": "$.fetched",
                "Next": "Pause"
            },
            "Pause": {"Type": "Wait", "Seconds": 10, "Next": "Fan"},
            "Fan": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Ask", "States": {"Ask": {
                        "Type": "Task", "Resource": TOKEN, "HeartbeatSeconds": 30,
                        "Parameters": {"token.$": "$$.Task.Token"}, "End": true
                    }}},
                    {"StartAt": "Each", "States": {"Each": {
                        "Type": "Map", "ItemsPath": "$.fetched.items", "MaxConcurrency": 2,
                        "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "id.$": "States.UUID()"},
                        "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": WORK, "End": true}}},
                        "End": true
                    }}}
                ],
                "ResultPath": "$.fan",
                "Next": "Slow"
            },
            "Slow": {
                "Type": "Task", "Resource": WORK, "TimeoutSeconds": 5,
                "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.slow", "Next": "Done"}],
                "Next": "Done"
            },
            "Done": {
                "Type": "Pass",
                "Parameters": {"uuid.$": "States.UUID()", "fan.$": "$.fan", "slow.$": "$.slow"},
                "End": true
            }
        }
    })
}

/// The outside world: answers RunTask effects by state name and runs timers.
#[derive(Default)]
struct World {
    queue: VecDeque<Event>,
    timers: BTreeMap<u64, DateTime<Utc>>,
}

impl World {
    fn react(&mut self, step: &Step) {
        for effect in &step.effects {
            match effect {
                Effect::RunTask(r) => {
                    let task = r.id;
                    self.queue.push_back(Event::TaskStarted { task });
                    match r.state_name.as_str() {
                        "Fetch" if r.attempt == 0 => self.queue.push_back(Event::TaskFailed {
                            task,
                            error: "Flaky".into(),
                            cause: "try again".into(),
                        }),
                        "Fetch" => self.queue.push_back(Event::TaskSucceeded {
                            task,
                            output: json!({"items": [1, 2, 3]}),
                        }),
                        "Ask" => {
                            self.queue.push_back(Event::TaskHeartbeat { task });
                            self.queue.push_back(Event::TaskSucceeded {
                                task,
                                output: json!({"approved": true}),
                            });
                        }
                        "Work" => self.queue.push_back(Event::TaskSucceeded {
                            task,
                            output: json!({"doubled": r.input["v"].as_i64().unwrap() * 2}),
                        }),
                        _ => {} // Slow never answers.
                    }
                }
                Effect::StartTimer { id, due } => {
                    self.timers.insert(*id, *due);
                }
                Effect::CancelTimer { id } => {
                    self.timers.remove(id);
                }
                _ => {}
            }
        }
    }

    /// The next event and when it happens: queued events a second apart, else the
    /// earliest timer at its due time.
    fn next(&mut self, now: DateTime<Utc>) -> Option<(DateTime<Utc>, Event)> {
        if let Some(event) = self.queue.pop_front() {
            return Some((now + Duration::seconds(1), event));
        }
        let (&timer, &due) = self.timers.iter().min_by_key(|(id, due)| (**due, **id))?;
        self.timers.remove(&timer);
        Some((due.max(now), Event::TimerFired { timer }))
    }
}

/// An uninterrupted run: the events fed (with their times), the step each gave,
/// and the ended execution.
struct Transcript {
    events: Vec<(DateTime<Utc>, Event)>,
    steps: Vec<Step>,
    start: Step,
    end: Execution,
}

fn record(seed: u64) -> Transcript {
    let machine = machine(definition());
    let (mut exec, start) = Execution::start(
        &machine,
        info(json!({"order": 7})),
        EngineConfig::default(),
        seed,
        t0(),
    );
    let mut world = World::default();
    world.react(&start);
    let (mut events, mut steps) = (Vec::new(), Vec::new());
    let mut now = t0();
    while !exec.is_finished() {
        let (at, event) = world.next(now).expect("the world has something to say");
        now = at;
        let step = exec.handle(&machine, event.clone(), now);
        world.react(&step);
        events.push((now, event));
        steps.push(step);
        assert!(steps.len() < 200, "runaway run");
    }
    Transcript {
        events,
        steps,
        start,
        end: exec,
    }
}

fn snapshot(exec: &Execution) -> Value {
    serde_json::to_value(exec).unwrap()
}

fn round_trip(exec: &Execution) -> Execution {
    let text = serde_json::to_string(exec).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_scripted_run_ends_as_expected() {
    let t = record(SEED);
    let end = &t.end;
    assert_eq!(end.status, Status::Succeeded);
    let output = end.output.clone().unwrap();
    assert_eq!(
        output["fan"],
        json!([{"approved": true}, [{"doubled": 2}, {"doubled": 4}, {"doubled": 6}]])
    );
    assert_eq!(
        output["slow"],
        json!({"Error": "States.Timeout", "Cause": ""})
    );
    assert_eq!(output["uuid"].as_str().unwrap().len(), 36);
    assert_eq!(output.as_object().unwrap().len(), 3);
    let history: Vec<_> = t
        .start
        .events
        .iter()
        .chain(t.steps.iter().flat_map(|s| &s.events))
        .collect();
    let ids: Vec<u64> = history.iter().map(|e| e.id).collect();
    assert_eq!(ids, (1..=history.len() as u64).collect::<Vec<_>>());
    let count = |ty: &str| {
        history
            .iter()
            .filter(|e| e.event_type.as_str() == ty)
            .count()
    };
    // The Lambda function ARNs (Fetch, Work, Slow) are recorded as
    // LambdaFunction* events, the token task (Ask) as Task* events.
    assert_eq!(count("LambdaFunctionFailed"), 1);
    assert_eq!(count("LambdaFunctionTimedOut"), 1);
    assert_eq!(count("MapIterationSucceeded"), 3);
    assert_eq!(count("LambdaFunctionScheduled"), 6); // Fetch twice, Work x3, Slow
    assert_eq!(count("TaskScheduled"), 1); // Ask
    assert_eq!(count("TaskFailed") + count("TaskTimedOut"), 0);
    assert_eq!(t.end.pending_tasks() + t.end.pending_timers(), 0);
}

#[test]
fn the_same_events_replayed_from_the_start_give_the_same_steps() {
    let t = record(SEED);
    let machine = machine(definition());
    let (mut exec, start) = Execution::start(
        &machine,
        info(json!({"order": 7})),
        EngineConfig::default(),
        SEED,
        t0(),
    );
    assert_eq!(start, t.start);
    for (n, (now, event)) in t.events.iter().enumerate() {
        assert_eq!(
            exec.handle(&machine, event.clone(), *now),
            t.steps[n],
            "event {n}"
        );
    }
    assert_eq!(snapshot(&exec), snapshot(&t.end));
}

#[test]
fn an_execution_resumed_from_json_at_any_point_agrees_with_the_uninterrupted_run() {
    let t = record(SEED);
    let machine = machine(definition());
    for cut in 0..=t.events.len() {
        let (mut exec, _) = Execution::start(
            &machine,
            info(json!({"order": 7})),
            EngineConfig::default(),
            SEED,
            t0(),
        );
        for (now, event) in &t.events[..cut] {
            exec.handle(&machine, event.clone(), *now);
        }
        let mut resumed = round_trip(&exec);
        drop(exec);
        for (n, (now, event)) in t.events.iter().enumerate().skip(cut) {
            let step = resumed.handle(&machine, event.clone(), *now);
            assert_eq!(step, t.steps[n], "cut after {cut} events, event {n}");
        }
        assert_eq!(
            snapshot(&resumed),
            snapshot(&t.end),
            "cut after {cut} events"
        );
        assert_eq!(resumed.describe(), t.end.describe());
    }
}

#[test]
fn resumed_after_a_task_is_dispatched() {
    // Stop right after Fetch's first RunTask, as a durable driver would.
    let t = record(SEED);
    assert!(matches!(&t.start.effects[..], [Effect::RunTask(r)] if r.state_name == "Fetch"));
    let machine = machine(definition());
    let (exec, _) = Execution::start(
        &machine,
        info(json!({"order": 7})),
        EngineConfig::default(),
        SEED,
        t0(),
    );
    let text = serde_json::to_string(&exec).unwrap();
    let mut resumed: Execution = serde_json::from_str(&text).unwrap();
    assert_eq!(resumed.pending_tasks(), 1);
    let mut history = t.start.events.clone();
    for (now, event) in &t.events {
        history.extend(resumed.handle(&machine, event.clone(), *now).events);
    }
    let expected: Vec<_> = t
        .start
        .events
        .iter()
        .chain(t.steps.iter().flat_map(|s| &s.events))
        .cloned()
        .collect();
    assert_eq!(history, expected);
    assert_eq!(resumed.output, t.end.output);
    assert_eq!(resumed.status, Status::Succeeded);
}

#[test]
fn round_tripping_before_every_event_changes_nothing() {
    let t = record(SEED);
    let machine = machine(definition());
    let (mut exec, _) = Execution::start(
        &machine,
        info(json!({"order": 7})),
        EngineConfig::default(),
        SEED,
        t0(),
    );
    for (n, (now, event)) in t.events.iter().enumerate() {
        exec = round_trip(&exec);
        assert_eq!(
            exec.handle(&machine, event.clone(), *now),
            t.steps[n],
            "event {n}"
        );
    }
    assert_eq!(snapshot(&exec), snapshot(&t.end));
}

#[test]
fn the_seed_decides_the_random_parts() {
    let a = record(1);
    let b = record(2);
    assert_ne!(
        a.end.output.as_ref().unwrap()["uuid"],
        b.end.output.as_ref().unwrap()["uuid"]
    );
    assert_eq!(
        a.end.output.as_ref().unwrap()["fan"],
        b.end.output.as_ref().unwrap()["fan"]
    );
    assert_eq!(snapshot(&record(1).end), snapshot(&a.end));
}

#[test]
fn an_execution_serialized_while_yielded_resumes_where_it_stopped() {
    let def = json!({
        "StartAt": "S1",
        "States": {
            "S1": {"Type": "Pass", "Next": "S2"},
            "S2": {"Type": "Pass", "Next": "S3"},
            "S3": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()"}, "Next": "S4"},
            "S4": {"Type": "Pass", "End": true}
        }
    });
    let config = EngineConfig {
        max_steps_per_call: 2,
        ..EngineConfig::default()
    };
    let machine = machine(def);
    let run = |interrupt: bool| {
        let (mut exec, step) = Execution::start(&machine, info(json!({})), config, SEED, t0());
        assert_eq!(step.effects, vec![Effect::Yield]);
        let mut events = step.events;
        if interrupt {
            exec = round_trip(&exec);
        }
        let step = exec.handle(&machine, Event::Resume, at(1));
        assert_eq!(
            step.effects,
            vec![Effect::Finished {
                status: Status::Succeeded
            }]
        );
        events.extend(step.events);
        (events, exec.output.clone())
    };
    let (events, output) = run(false);
    assert_eq!(run(true), (events.clone(), output));
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
}
