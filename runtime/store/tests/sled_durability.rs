//! What only the disk backend promises: everything is there after reopening,
//! and every acknowledged (durable) write survives `kill -9`, with nothing
//! half-applied.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use store::*;

#[test]
fn everything_is_found_after_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let record = execution(MACHINE, "a", 1, 2);
    let mut t = step(&record, 3);
    t.add_timers = vec![timer(&record.id, 1, 77)];
    t.add_tokens = vec![token(&record.id, "tok")];
    t.add_activity_tasks = vec![ActivityTaskRecord {
        activity_arn: "act".to_owned(),
        token: "tok".to_owned(),
        input: "{}".to_owned(),
    }];
    let module;
    {
        let store = SledStore::open(dir.path()).expect("open");
        let machine = StateMachineRecord {
            arn: MACHINE.to_owned(),
            name: "m".to_owned(),
            definition: "{}".to_owned(),
            role_arn: "r".to_owned(),
            kind: MachineType::Express,
            created_ms: 1,
            updated_ms: 2,
            revision_id: "rev".to_owned(),
            status: MachineStatus::Active,
            description: None,
            logging_configuration: None,
            tracing_configuration: None,
            tags: BTreeMap::new(),
            version: 0,
        };
        store
            .create_state_machine(machine)
            .and_then(Ticket::wait)
            .expect("machine");
        store
            .publish_state_machine_version(MACHINE, None, 3)
            .expect("publish")
            .1
            .wait()
            .expect("durable");
        store
            .create_execution(record.clone(), events(&record.id, 1, 2))
            .and_then(Ticket::wait)
            .expect("create");
        store
            .apply(t.clone())
            .and_then(Ticket::wait)
            .expect("apply");
        assert!(store.try_lease(&record.id, "me", 10, 100).expect("lease"));
        let (put, ticket) = store.put_module("mod", &[0, 97, 115, 109], 4).expect("put");
        ticket.wait().expect("durable");
        module = put;
        assert!(store.flushes() > 0);
        assert!(store.size_on_disk().expect("size") > 0);
    }
    let store = SledStore::open(dir.path()).expect("reopen");
    let mut expected = t.execution.clone();
    expected.lease = Some(Lease {
        owner: "me".to_owned(),
        expires_ms: 110,
    });
    assert_eq!(
        store.get_execution(&record.id).expect("get"),
        Some(expected)
    );
    let history = store
        .history(&record.id, HistoryQuery::default())
        .expect("history");
    assert_eq!(
        history.iter().map(|e| e.json.clone()).collect::<Vec<_>>(),
        events(&record.id, 1, 5)
    );
    assert_eq!(store.due_timers(100, 10).expect("timers"), t.add_timers);
    assert_eq!(
        store.get_task_token("tok").expect("token"),
        Some(t.add_tokens[0].clone())
    );
    assert_eq!(
        store.running_executions(None, 10).expect("running"),
        std::slice::from_ref(&record.id)
    );
    assert_eq!(
        store
            .get_state_machine(MACHINE)
            .expect("machine")
            .map(|m| m.version),
        Some(1)
    );
    assert_eq!(
        store.latest_module_version("mod").expect("module"),
        Some(module.clone())
    );
    assert_eq!(
        store.module_blob(&module.sha256).expect("blob"),
        Some(vec![0, 97, 115, 109])
    );
    assert_eq!(
        store.claim_activity_task("act").expect("claim"),
        Some(t.add_activity_tasks[0].clone())
    );
}

/// Set in the child process of the crash test: the store directory.
const CRASH_DIR: &str = "STEPWISE_STORE_CRASH_DIR";
const EXECUTIONS: u64 = 12;
const WRITERS: u64 = 4;

/// The crash test's child: advances its executions from where the store
/// left them, printing `<execution> <seq>` after each durable write, until
/// killed. Does nothing in a normal test run.
#[test]
fn crash_child() {
    let Some(dir) = std::env::var_os(CRASH_DIR) else {
        return;
    };
    let store = SledStore::open(&dir).expect("open");
    std::thread::scope(|scope| {
        for writer in 0..WRITERS {
            let store = &store;
            scope.spawn(move || {
                let mut out = std::io::stdout();
                let ours: Vec<u64> = (0..EXECUTIONS).filter(|e| e % WRITERS == writer).collect();
                loop {
                    for n in &ours {
                        let seq = advance(store, &format!("c{n}"));
                        writeln!(out, "c{n} {seq}")
                            .and_then(|()| out.flush())
                            .expect("stdout");
                    }
                }
            });
        }
    });
}

/// One durable step of execution `name`: 2 events, its timer and token moved
/// to the new sequence number. Returns the new sequence number.
fn advance(store: &SledStore, name: &str) -> u64 {
    let id = exec_id(name);
    let Some(current) = store.get_execution(&id).expect("get") else {
        let record = execution(MACHINE, name, 1, 2);
        store
            .create_execution(record, events(&id, 1, 2))
            .and_then(Ticket::wait)
            .expect("create");
        return 2;
    };
    let mut t = step(&current, 2);
    t.execution.snapshot = vec![t.execution.seq as u8; 1024];
    let seq = t.execution.seq;
    t.add_timers = vec![timer(&id, seq, seq as i64)];
    t.remove_timers = vec![current.seq];
    t.add_tokens = vec![token(&id, &format!("{name}-{seq}"))];
    t.remove_tokens = vec![format!("{name}-{}", current.seq)];
    store.apply(t).and_then(Ticket::wait).expect("apply");
    seq
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().expect("temp dir");
    let exe = std::env::current_exe().expect("test binary");
    let mut acknowledged: BTreeMap<String, u64> = BTreeMap::new();
    for round in 0..4 {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CRASH_DIR, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut acks = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some((name, seq)) = line.split_once(' ') {
                    if let Ok(seq) = seq.parse::<u64>() {
                        acks.push((exec_id(name), seq));
                    }
                }
            }
            acks
        });
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        std::thread::sleep(Duration::from_millis(100 + u64::from(nanos % 900)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        let acks = reader.join().expect("reader");
        assert!(!acks.is_empty() || round > 0, "the child wrote nothing");
        for (id, seq) in acks {
            let best = acknowledged.entry(id).or_default();
            *best = (*best).max(seq);
        }
        check_consistent(dir.path(), &acknowledged);
        eprintln!("round {round}: acknowledged seqs {acknowledged:?}");
    }
}

/// Every acknowledged write is there and every execution is whole.
fn check_consistent(dir: &Path, acknowledged: &BTreeMap<String, u64>) {
    let store = SledStore::open(dir).expect("reopen after crash");
    let all = HistoryQuery {
        limit: usize::MAX,
        ..HistoryQuery::default()
    };
    let mut expected_timers = Vec::new();
    for n in 0..EXECUTIONS {
        let name = format!("c{n}");
        let id = exec_id(&name);
        let acked = acknowledged.get(&id).copied().unwrap_or(0);
        let Some(record) = store.get_execution(&id).expect("get") else {
            assert_eq!(acked, 0, "{id} was acknowledged but is gone");
            continue;
        };
        assert!(
            record.seq >= acked,
            "{id}: stored seq {} < acknowledged {acked}",
            record.seq
        );
        let history = store.history(&id, all).expect("history");
        assert_eq!(
            history.len() as u64,
            record.seq,
            "{id}: history and record disagree"
        );
        for (event, seq) in history.iter().zip(1..) {
            assert_eq!((event.seq, &event.json), (seq, &common::event(&id, seq)));
        }
        if record.seq > 2 {
            assert_eq!(
                record.snapshot,
                vec![record.seq as u8; 1024],
                "{id}: stale snapshot"
            );
            expected_timers.push(timer(&id, record.seq, record.seq as i64));
            let current = format!("{name}-{}", record.seq);
            let previous = format!("{name}-{}", record.seq - 2);
            assert!(
                store.get_task_token(&current).expect("token").is_some(),
                "{id}: token lost"
            );
            assert!(
                store.get_task_token(&previous).expect("token").is_none(),
                "{id}: token kept"
            );
        }
    }
    expected_timers.sort_by(|a, b| (a.due_ms, &a.execution_id).cmp(&(b.due_ms, &b.execution_id)));
    let mut timers = store.due_timers(i64::MAX, usize::MAX).expect("timers");
    timers.sort_by(|a, b| (a.due_ms, &a.execution_id).cmp(&(b.due_ms, &b.execution_id)));
    assert_eq!(timers, expected_timers, "timers do not match the records");
}
