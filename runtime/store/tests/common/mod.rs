//! Helpers shared by the integration tests: records and transitions with
//! sensible defaults.

use store::{
    ExecutionRecord, ExecutionStatus, MachineType, TaskTokenRecord, TimerRecord, Transition,
};

pub const MACHINE: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

/// The id (and ARN) of execution `name` of [`MACHINE`].
pub fn exec_id(name: &str) -> String {
    format!("arn:aws:states:us-east-1:123456789012:execution:m:{name}")
}

/// A running execution of `machine` with `seq` events, started at `start_ms`.
pub fn execution(machine: &str, name: &str, start_ms: i64, seq: u64) -> ExecutionRecord {
    ExecutionRecord {
        id: exec_id(name),
        arn: exec_id(name),
        state_machine_arn: machine.to_owned(),
        name: name.to_owned(),
        kind: MachineType::Standard,
        status: ExecutionStatus::Running,
        input: "{}".to_owned(),
        start_ms,
        snapshot: seq.to_be_bytes().repeat(4),
        seq,
        ..ExecutionRecord::default()
    }
}

/// History event `seq` of execution `id`.
pub fn event(id: &str, seq: u64) -> String {
    format!(r#"{{"id":{seq},"execution":"{id}","type":"PassStateEntered"}}"#)
}

/// Events `from..from + count` of `id`.
pub fn events(id: &str, from: u64, count: u64) -> Vec<String> {
    (from..from + count).map(|seq| event(id, seq)).collect()
}

/// A transition of `record` adding `count` events.
pub fn step(record: &ExecutionRecord, count: u64) -> Transition {
    let mut next = record.clone();
    next.seq += count;
    next.snapshot = next.seq.to_be_bytes().repeat(4);
    Transition {
        execution: next,
        expected_seq: record.seq,
        events: events(&record.id, record.seq + 1, count),
        ..Transition::default()
    }
}

pub fn timer(id: &str, timer: u64, due_ms: i64) -> TimerRecord {
    TimerRecord {
        due_ms,
        execution_id: id.to_owned(),
        timer,
    }
}

pub fn token(id: &str, token: &str) -> TaskTokenRecord {
    TaskTokenRecord {
        token: token.to_owned(),
        execution_id: id.to_owned(),
        task: 1,
        state_name: "Wait".to_owned(),
        created_ms: 5,
    }
}
