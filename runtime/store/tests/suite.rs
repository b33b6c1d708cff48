//! The behaviour both backends share: every test here runs on a
//! [`MemoryStore`] and on a [`SledStore`] in a temporary directory.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::*;
use store::*;

/// Runs each listed test function on both backends.
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod memory {
            $(#[test]
            fn $test() {
                super::$test(&store::MemoryStore::new());
            })*
        }
        mod sled {
            $(#[test]
            fn $test() {
                let dir = tempfile::tempdir().expect("temp dir");
                let store = store::SledStore::open(dir.path()).expect("open");
                super::$test(&store);
            })*
        }
    };
}

on_both_backends!(
    state_machines_are_created_updated_listed_and_deleted,
    versions_are_published_once_per_revision,
    executions_are_listed_newest_first_by_page_and_status,
    executions_of_versions_are_listed_under_their_machine_too,
    transitions_apply_atomically_and_conflicts_write_nothing,
    a_first_transition_creates_the_execution,
    transitions_that_break_the_rules_are_refused,
    timers_come_back_in_due_order,
    task_tokens_are_registered_and_forgotten,
    finishing_clears_timers_tokens_and_queued_tasks,
    history_pages_forward_and_reverse,
    modules_are_content_addressed_and_refcounted,
    activity_tasks_are_claimed_oldest_first,
    activities_are_updated_in_place,
    definitions_are_stored_once_by_content,
    purge_removes_old_finished_executions_only,
    running_index_follows_status,
    leases_are_exclusive_until_they_expire,
    concurrent_writers_never_both_win,
    tickets_can_be_awaited,
);

fn machine(arn: &str, revision: &str) -> StateMachineRecord {
    StateMachineRecord {
        arn: arn.to_owned(),
        name: arn.rsplit(':').next().unwrap_or_default().to_owned(),
        definition: r#"{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}"#.to_owned(),
        role_arn: "arn:aws:iam::123456789012:role/r".to_owned(),
        kind: MachineType::Standard,
        created_ms: 1,
        updated_ms: 1,
        revision_id: revision.to_owned(),
        status: MachineStatus::Active,
        description: Some("d".to_owned()),
        logging_configuration: Some(serde_json::json!({"level": "OFF"})),
        tracing_configuration: None,
        tags: BTreeMap::from([("team".to_owned(), "a".to_owned())]),
        version: 0,
    }
}

/// A transition that finishes `record` with `status` at `stop_ms`.
fn finish(record: &ExecutionRecord, status: ExecutionStatus, stop_ms: i64) -> Transition {
    let mut t = step(record, 1);
    t.execution.status = status;
    t.execution.stop_ms = Some(stop_ms);
    t
}

fn ok(ticket: Result<Ticket>) {
    ticket.expect("write").wait().expect("durable");
}

fn create(store: &dyn Store, record: &ExecutionRecord) {
    let events = events(&record.id, 1, record.seq);
    ok(store.create_execution(record.clone(), events));
}

fn get(store: &dyn Store, id: &str) -> ExecutionRecord {
    store.get_execution(id).expect("get").expect("exists")
}

fn history_len(store: &dyn Store, id: &str) -> usize {
    let all = HistoryQuery {
        limit: usize::MAX,
        ..HistoryQuery::default()
    };
    store.history(id, all).expect("history").len()
}

fn all_timers(store: &dyn Store) -> Vec<TimerRecord> {
    store.due_timers(i64::MAX, usize::MAX).expect("timers")
}

fn state_machines_are_created_updated_listed_and_deleted(store: &dyn Store) {
    let arns: Vec<String> = (0..5).map(|i| format!("{MACHINE}{i}")).collect();
    for arn in arns.iter().rev() {
        ok(store.create_state_machine(machine(arn, "r1")));
    }
    assert!(matches!(
        store.create_state_machine(machine(&arns[0], "r1")),
        Err(StoreError::AlreadyExists(_))
    ));
    assert_eq!(
        store.get_state_machine(&arns[0]).expect("get"),
        Some(machine(&arns[0], "r1"))
    );
    assert_eq!(store.get_state_machine("nope").expect("get"), None);

    let mut updated = machine(&arns[0], "r2");
    updated.definition = "{}".to_owned();
    updated.version = 42; // ignored: the store keeps its own
    ok(store.update_state_machine(updated.clone()));
    updated.version = 0;
    assert_eq!(
        store.get_state_machine(&arns[0]).expect("get"),
        Some(updated)
    );
    assert!(matches!(
        store.update_state_machine(machine("nope", "r")),
        Err(StoreError::NotFound(_))
    ));

    let mut listed = Vec::new();
    let mut page = PageRequest::first(2);
    loop {
        let result = store.list_state_machines(&page).expect("list");
        assert!(result.items.len() <= 2);
        listed.extend(result.items.into_iter().map(|m| m.arn));
        match result.next_token {
            Some(token) => page.token = Some(token),
            None => break,
        }
    }
    assert_eq!(listed, arns);

    ok(store.delete_state_machine(&arns[1]));
    assert_eq!(store.get_state_machine(&arns[1]).expect("get"), None);
    assert!(matches!(
        store.delete_state_machine(&arns[1]),
        Err(StoreError::NotFound(_))
    ));
    let bad = PageRequest {
        token: Some("not hex".to_owned()),
        max_results: 1,
    };
    assert!(matches!(
        store.list_state_machines(&bad),
        Err(StoreError::Invalid(_))
    ));
}

fn versions_are_published_once_per_revision(store: &dyn Store) {
    ok(store.create_state_machine(machine(MACHINE, "r1")));
    let publish = |description: &str| {
        let (version, ticket) = store
            .publish_state_machine_version(MACHINE, Some(description.to_owned()), 7)
            .expect("publish");
        ticket.wait().expect("durable");
        version
    };
    let v1 = publish("first");
    assert_eq!((v1.version, v1.arn.clone()), (1, format!("{MACHINE}:1")));
    assert_eq!(publish("again"), v1, "same revision, same version");

    ok(store.update_state_machine(machine(MACHINE, "r2")));
    let v2 = publish("second");
    assert_eq!((v2.version, v2.revision_id.as_str()), (2, "r2"));
    assert_eq!(
        store
            .get_state_machine(MACHINE)
            .expect("get")
            .map(|m| m.version),
        Some(2)
    );
    assert_eq!(
        store.get_state_machine_version(&v1.arn).expect("get"),
        Some(v1.clone())
    );
    assert_eq!(
        store.get_state_machine_version(MACHINE).expect("no number"),
        None
    );

    let listed = store
        .list_state_machine_versions(MACHINE, &PageRequest::first(1))
        .expect("list");
    assert_eq!(listed.items, vec![v2.clone()]);
    let rest = PageRequest {
        token: listed.next_token,
        max_results: 5,
    };
    assert_eq!(
        store
            .list_state_machine_versions(MACHINE, &rest)
            .expect("list")
            .items,
        vec![v1.clone()]
    );

    ok(store.delete_state_machine_version(&v2.arn));
    assert!(matches!(
        store.delete_state_machine_version(&v2.arn),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(publish("third").version, 3, "numbers are not reused");
    assert!(matches!(
        store.publish_state_machine_version("nope", None, 1),
        Err(StoreError::NotFound(_))
    ));
    ok(store.delete_state_machine(MACHINE));
    assert_eq!(store.get_state_machine_version(&v1.arn).expect("get"), None);
}

fn executions_are_listed_newest_first_by_page_and_status(store: &dyn Store) {
    let other = format!("{MACHINE}-other");
    for i in 0..7 {
        create(store, &execution(MACHINE, &format!("e{i}"), 100 + i, 2));
    }
    create(store, &execution(&other, "x", 500, 1));
    let e3 = get(store, &exec_id("e3"));
    assert_eq!(e3, execution(MACHINE, "e3", 103, 2));
    assert_eq!(history_len(store, &e3.id), 2);
    assert!(matches!(
        store.create_execution(execution(MACHINE, "e3", 1, 0), vec![]),
        Err(StoreError::AlreadyExists(_))
    ));
    ok(store.apply(finish(&e3, ExecutionStatus::Failed, 900)));

    let list = |status, token, max_results| {
        store
            .list_executions(&ExecutionQuery {
                state_machine_arn: MACHINE.to_owned(),
                status,
                page: PageRequest { token, max_results },
            })
            .expect("list")
    };
    let names = |page: &Page<ExecutionRecord>| {
        page.items
            .iter()
            .map(|e| e.name.clone())
            .collect::<Vec<_>>()
    };
    let first = list(None, None, 3);
    assert_eq!(names(&first), ["e6", "e5", "e4"]);
    let second = list(None, first.next_token.clone(), 3);
    assert_eq!(names(&second), ["e3", "e2", "e1"]);
    let third = list(None, second.next_token.clone(), 3);
    assert_eq!(
        (names(&third), third.next_token),
        (vec!["e0".to_owned()], None)
    );

    let running = list(Some(ExecutionStatus::Running), None, 100);
    assert_eq!(names(&running), ["e6", "e5", "e4", "e2", "e1", "e0"]);
    let failed = list(Some(ExecutionStatus::Failed), None, 0);
    assert_eq!(names(&failed), ["e3"]);
    assert_eq!(failed.items[0].stop_ms, Some(900));
    assert!(list(Some(ExecutionStatus::Aborted), None, 0)
        .items
        .is_empty());
    assert!(matches!(
        store.list_executions(&ExecutionQuery {
            state_machine_arn: MACHINE.to_owned(),
            status: None,
            page: PageRequest {
                token: Some("zz".to_owned()),
                max_results: 1
            },
        }),
        Err(StoreError::Invalid(_))
    ));
}

fn executions_of_versions_are_listed_under_their_machine_too(store: &dyn Store) {
    let version = format!("{MACHINE}:2");
    let alias = format!("{MACHINE}:live");
    create(store, &execution(MACHINE, "plain", 100, 1));
    create(store, &execution(&version, "pinned", 200, 1));
    create(store, &execution(&alias, "aliased", 300, 1));
    let pinned = get(store, &exec_id("pinned"));
    ok(store.apply(finish(&pinned, ExecutionStatus::Succeeded, 400)));
    let names = |arn: &str, status| {
        store
            .list_executions(&ExecutionQuery {
                state_machine_arn: arn.to_owned(),
                status,
                page: PageRequest {
                    token: None,
                    max_results: 10,
                },
            })
            .expect("list")
            .items
            .into_iter()
            .map(|e| e.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(MACHINE, None), ["aliased", "pinned", "plain"]);
    assert_eq!(names(&version, None), ["pinned"]);
    assert_eq!(names(&alias, None), ["aliased"]);
    assert_eq!(names(MACHINE, Some(ExecutionStatus::Succeeded)), ["pinned"]);
    assert_eq!(
        names(MACHINE, Some(ExecutionStatus::Running)),
        ["aliased", "plain"]
    );
    assert!(names(&version, Some(ExecutionStatus::Running)).is_empty());
    // Purged from every listing.
    assert_eq!(store.purge_finished(1_000, 10).unwrap(), 1);
    assert_eq!(names(MACHINE, None), ["aliased", "plain"]);
    assert!(names(&version, None).is_empty());
}

fn a_first_transition_creates_the_execution(store: &dyn Store) {
    let empty = execution(MACHINE, "first", 1, 0);
    let mut t = step(&empty, 2);
    t.add_timers = vec![timer(&empty.id, 1, 50)];
    t.add_tokens = vec![token(&empty.id, "tok-first")];
    ok(store.apply(t.clone()));
    assert_eq!(get(store, &empty.id), t.execution);
    assert_eq!(history_len(store, &empty.id), 2);
    assert_eq!(all_timers(store), vec![timer(&empty.id, 1, 50)]);
    assert!(store.get_task_token("tok-first").unwrap().is_some());
    assert_eq!(
        store.running_executions(None, 10).unwrap(),
        vec![empty.id.clone()]
    );
    // Creating it again (from seq 0) conflicts and writes nothing.
    let mut again = step(&empty, 1);
    again.add_timers = vec![timer(&empty.id, 2, 10)];
    assert!(matches!(
        store.apply(again),
        Err(StoreError::Conflict {
            expected_seq: 0,
            actual_seq: 2
        })
    ));
    assert_eq!(all_timers(store), vec![timer(&empty.id, 1, 50)]);
    // Any other seq onto no record is still NotFound.
    let missing = execution(MACHINE, "missing", 1, 3);
    assert!(matches!(
        store.apply(step(&missing, 1)),
        Err(StoreError::NotFound(_))
    ));
}

fn transitions_apply_atomically_and_conflicts_write_nothing(store: &dyn Store) {
    let record = execution(MACHINE, "a", 1, 1);
    create(store, &record);
    let mut t = step(&record, 2);
    t.add_timers = vec![timer(&record.id, 1, 50)];
    t.add_tokens = vec![token(&record.id, "tok-1")];
    ok(store.apply(t.clone()));
    let stored = get(store, &record.id);
    assert_eq!(stored, t.execution);
    assert_eq!(history_len(store, &record.id), 3);

    // The same transition again is stale: nothing of it is written.
    let mut stale = t.clone();
    stale.add_timers = vec![timer(&record.id, 2, 10)];
    stale.remove_timers = vec![1];
    stale.add_tokens = vec![token(&record.id, "tok-2")];
    stale.remove_tokens = vec!["tok-1".to_owned()];
    assert_eq!(
        store.apply(stale).err(),
        Some(StoreError::Conflict {
            expected_seq: 1,
            actual_seq: 3
        })
    );
    assert_eq!(get(store, &record.id), stored);
    assert_eq!(history_len(store, &record.id), 3);
    assert_eq!(all_timers(store), vec![timer(&record.id, 1, 50)]);
    assert!(store.get_task_token("tok-1").expect("get").is_some());
    assert!(store.get_task_token("tok-2").expect("get").is_none());

    // (From seq 0 it would create the execution.)
    let mut missing = step(&execution(MACHINE, "ghost", 1, 1), 1);
    missing.execution.id = exec_id("ghost");
    assert!(matches!(store.apply(missing), Err(StoreError::NotFound(_))));

    // A transition without events still checks and moves nothing but state.
    let mut quiet = step(&stored, 0);
    quiet.execution.output = Some("\"x\"".to_owned());
    ok(store.apply(quiet.clone()));
    assert_eq!(get(store, &record.id), quiet.execution);
    assert_eq!(
        store
            .history(&record.id, HistoryQuery::default())
            .expect("history")
            .last()
            .map(|e| e.json.clone()),
        Some(event(&record.id, 3))
    );
}

fn transitions_that_break_the_rules_are_refused(store: &dyn Store) {
    let record = execution(MACHINE, "a", 1, 1);
    assert!(matches!(
        store.create_execution(record.clone(), vec![]),
        Err(StoreError::Invalid(_))
    ));
    let mut finished = record.clone();
    finished.status = ExecutionStatus::Succeeded;
    assert!(matches!(
        store.create_execution(finished, events(&record.id, 1, 1)),
        Err(StoreError::Invalid(_))
    ));
    create(store, &record);

    let mut wrong_seq = step(&record, 2);
    wrong_seq.execution.seq = 7;
    let mut foreign_timer = step(&record, 1);
    foreign_timer.add_timers = vec![timer("other", 1, 1)];
    let mut moved = step(&record, 1);
    moved.execution.start_ms = 99;
    let mut no_stop = step(&record, 1);
    no_stop.execution.status = ExecutionStatus::Aborted;
    let mut unregistered = step(&record, 1);
    unregistered.add_activity_tasks = vec![ActivityTaskRecord {
        activity_arn: "act".to_owned(),
        token: "never".to_owned(),
        input: "{}".to_owned(),
    }];
    for bad in [wrong_seq, foreign_timer, moved, no_stop, unregistered] {
        assert!(matches!(store.apply(bad), Err(StoreError::Invalid(_))));
    }
    assert_eq!(get(store, &record.id), record);
    assert_eq!(history_len(store, &record.id), 1);
}

fn timers_come_back_in_due_order(store: &dyn Store) {
    let a = execution(MACHINE, "a", 1, 0);
    let b = execution(MACHINE, "b", 1, 0);
    create(store, &a);
    create(store, &b);
    let mut ta = step(&a, 1);
    ta.add_timers = vec![
        timer(&a.id, 1, 300),
        timer(&a.id, 2, -5),
        timer(&a.id, 3, 100),
    ];
    ok(store.apply(ta.clone()));
    let mut tb = step(&b, 1);
    tb.add_timers = vec![timer(&b.id, 1, 100), timer(&b.id, 2, 200)];
    ok(store.apply(tb.clone()));

    let due = store.due_timers(200, 10).expect("due");
    let expected = vec![
        timer(&a.id, 2, -5),
        timer(&a.id, 3, 100),
        timer(&b.id, 1, 100),
        timer(&b.id, 2, 200),
    ];
    assert_eq!(due, expected);
    assert_eq!(store.due_timers(200, 2).expect("due"), expected[..2]);
    assert_eq!(store.due_timers(-6, 10).expect("due"), vec![]);
    assert_eq!(store.next_timer().expect("next"), Some(timer(&a.id, 2, -5)));

    // Moving a timer and cancelling another.
    let mut t = step(&ta.execution, 1);
    t.add_timers = vec![timer(&a.id, 2, 1000)];
    t.remove_timers = vec![3, 77];
    ok(store.apply(t));
    assert_eq!(
        all_timers(store),
        vec![
            timer(&b.id, 1, 100),
            timer(&b.id, 2, 200),
            timer(&a.id, 1, 300),
            timer(&a.id, 2, 1000)
        ]
    );
}

fn task_tokens_are_registered_and_forgotten(store: &dyn Store) {
    let a = execution(MACHINE, "a", 1, 0);
    let b = execution(MACHINE, "b", 1, 0);
    create(store, &a);
    create(store, &b);
    let mut t = step(&a, 1);
    t.add_tokens = vec![token(&a.id, "t1"), token(&a.id, "t2")];
    ok(store.apply(t.clone()));
    assert_eq!(
        store.get_task_token("t1").expect("get"),
        Some(token(&a.id, "t1"))
    );

    let mut stolen = step(&b, 1);
    stolen.add_tokens = vec![token(&b.id, "t1")];
    assert!(matches!(
        store.apply(stolen),
        Err(StoreError::AlreadyExists(_))
    ));
    // Forgetting another execution's token does nothing.
    let mut other = step(&b, 1);
    other.remove_tokens = vec!["t1".to_owned()];
    ok(store.apply(other));
    assert!(store.get_task_token("t1").expect("get").is_some());

    let mut done = step(&t.execution, 1);
    done.remove_tokens = vec!["t1".to_owned()];
    ok(store.apply(done));
    assert_eq!(store.get_task_token("t1").expect("get"), None);
    assert_eq!(
        store.get_task_token("t2").expect("get"),
        Some(token(&a.id, "t2"))
    );
}

fn finishing_clears_timers_tokens_and_queued_tasks(store: &dyn Store) {
    let a = execution(MACHINE, "a", 1, 0);
    create(store, &a);
    let mut t = step(&a, 1);
    t.add_timers = vec![timer(&a.id, 1, 10)];
    t.add_tokens = vec![token(&a.id, "t1")];
    t.add_activity_tasks = vec![ActivityTaskRecord {
        activity_arn: "act".to_owned(),
        token: "t1".to_owned(),
        input: "{}".to_owned(),
    }];
    ok(store.apply(t.clone()));
    ok(store.apply(finish(&t.execution, ExecutionStatus::Aborted, 20)));
    assert_eq!(all_timers(store), vec![]);
    assert_eq!(store.get_task_token("t1").expect("get"), None);
    assert_eq!(store.claim_activity_task("act").expect("claim"), None);
}

fn history_pages_forward_and_reverse(store: &dyn Store) {
    // Events 1-4 from the start, then 5-7 and 8-10 from two transitions
    // (each write's events are stored together).
    let mut a = execution(MACHINE, "a", 1, 4);
    create(store, &a);
    for _ in 0..2 {
        let t = step(&a, 3);
        ok(store.apply(t.clone()));
        a = t.execution;
    }
    // A neighbour whose id extends this one must not leak into the history.
    create(store, &execution(MACHINE, "a2", 1, 3));
    let seqs = |query| {
        store
            .history(&a.id, query)
            .expect("history")
            .into_iter()
            .map(|e| {
                assert_eq!(e.json, event(&a.id, e.seq));
                e.seq
            })
            .collect::<Vec<_>>()
    };
    let query = |from, reverse, limit| HistoryQuery {
        from,
        reverse,
        limit,
    };
    assert_eq!(seqs(query(None, false, 3)), [1, 2, 3]);
    assert_eq!(seqs(query(Some(4), false, 3)), [4, 5, 6]);
    assert_eq!(seqs(query(Some(9), false, 0)), [9, 10]);
    assert_eq!(seqs(query(None, true, 3)), [10, 9, 8]);
    assert_eq!(seqs(query(Some(2), true, 5)), [2, 1]);
    assert_eq!(seqs(query(Some(11), false, 5)), Vec::<u64>::new());
    assert_eq!(seqs(query(Some(0), true, 5)), Vec::<u64>::new());
    assert_eq!(seqs(query(Some(3), false, 6)), [3, 4, 5, 6, 7, 8]);
    assert_eq!(seqs(query(Some(8), true, 4)), [8, 7, 6, 5]);
    assert_eq!(seqs(query(Some(7), false, 1)), [7]);
    assert_eq!(seqs(query(Some(50), true, 2)), [10, 9]);
    assert_eq!(
        seqs(query(None, false, usize::MAX)),
        (1..=10).collect::<Vec<_>>()
    );
    assert!(store
        .history("nope", HistoryQuery::default())
        .expect("history")
        .is_empty());
}

fn modules_are_content_addressed_and_refcounted(store: &dyn Store) {
    let put = |name: &str, bytes: &[u8]| {
        let (record, ticket) = store.put_module(name, bytes, 9).expect("put");
        ticket.wait().expect("durable");
        record
    };
    let v1 = put("a", b"one");
    assert_eq!(
        (v1.version, v1.size, v1.sha256.as_str()),
        (
            1,
            3,
            "7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed"
        )
    );
    assert_eq!(put("a", b"one"), v1, "same bytes, same version");
    let v2 = put("a", b"two");
    let v3 = put("a", b"one");
    assert_eq!(
        (v2.version, v3.version, v3.sha256.clone()),
        (2, 3, v1.sha256.clone())
    );
    let other = put("b", b"one");
    assert_eq!(store.list_modules().expect("list"), ["a", "b"]);
    assert_eq!(
        store.list_module_versions("a").expect("list"),
        vec![v1.clone(), v2.clone(), v3.clone()]
    );
    assert_eq!(store.latest_module_version("a").expect("latest"), Some(v3));
    assert_eq!(
        store.get_module_version("a", 2).expect("get"),
        Some(v2.clone())
    );
    assert_eq!(
        store.module_blob(&v1.sha256).expect("blob").as_deref(),
        Some(&b"one"[..])
    );

    ok(store.delete_module("a"));
    assert_eq!(store.latest_module_version("a").expect("latest"), None);
    assert_eq!(
        store.module_blob(&v2.sha256).expect("blob"),
        None,
        "no one refers to it"
    );
    assert!(
        store.module_blob(&v1.sha256).expect("blob").is_some(),
        "b still refers to it"
    );
    ok(store.delete_module("b"));
    assert_eq!(store.module_blob(&other.sha256).expect("blob"), None);
    assert!(matches!(
        store.delete_module("b"),
        Err(StoreError::NotFound(_))
    ));
    assert!(store.list_modules().expect("list").is_empty());
}

fn definitions_are_stored_once_by_content(store: &dyn Store) {
    let text = r#"{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}"#;
    let (key, ticket) = store.put_definition(text).expect("put");
    ticket.wait().expect("durable");
    assert_eq!(key.len(), 64);
    assert_eq!(store.put_definition(text).expect("again").0, key);
    let (other, _) = store.put_definition("{}").expect("other");
    assert_ne!(other, key);
    assert_eq!(
        store.get_definition(&key).expect("get").as_deref(),
        Some(text)
    );
    assert_eq!(
        store.get_definition(&other).expect("get").as_deref(),
        Some("{}")
    );
    assert_eq!(store.get_definition("nope").expect("get"), None);
}

fn activities_are_updated_in_place(store: &dyn Store) {
    let arn = "arn:aws:states:us-east-1:123456789012:activity:tagged";
    let mut activity = ActivityRecord {
        arn: arn.to_owned(),
        name: "tagged".to_owned(),
        created_ms: 3,
        tags: BTreeMap::from([("a".to_owned(), "1".to_owned())]),
    };
    assert!(matches!(
        store.update_activity(activity.clone()),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.get_activity(arn).expect("get"), None);
    ok(store.create_activity(activity.clone()));
    activity.tags = BTreeMap::from([("b".to_owned(), "2".to_owned())]);
    ok(store.update_activity(activity.clone()));
    assert_eq!(
        store.get_activity(arn).expect("get"),
        Some(activity.clone())
    );
    ok(store.delete_activity(arn));
    assert!(matches!(
        store.update_activity(activity),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.get_activity(arn).expect("get"), None);
}

fn activity_tasks_are_claimed_oldest_first(store: &dyn Store) {
    let arn = "arn:aws:states:us-east-1:123456789012:activity:work";
    let activity = ActivityRecord {
        arn: arn.to_owned(),
        name: "work".to_owned(),
        created_ms: 3,
        tags: BTreeMap::new(),
    };
    ok(store.create_activity(activity.clone()));
    assert!(matches!(
        store.create_activity(activity.clone()),
        Err(StoreError::AlreadyExists(_))
    ));
    assert_eq!(
        store.get_activity(arn).expect("get"),
        Some(activity.clone())
    );
    assert_eq!(
        store
            .list_activities(&PageRequest::default())
            .expect("list")
            .items,
        vec![activity]
    );

    let a = execution(MACHINE, "a", 1, 0);
    create(store, &a);
    let task = |token: &str| ActivityTaskRecord {
        activity_arn: arn.to_owned(),
        token: token.to_owned(),
        input: format!("{{\"token\":\"{token}\"}}"),
    };
    let mut t = step(&a, 1);
    t.add_tokens = ["k1", "k2", "k3"].map(|k| token(&a.id, k)).to_vec();
    t.add_activity_tasks = vec![task("k1"), task("k2")];
    ok(store.apply(t.clone()));
    let mut t2 = step(&t.execution, 1);
    t2.add_activity_tasks = vec![task("k3")];
    t2.remove_tokens = vec!["k2".to_owned()]; // its task goes too
    ok(store.apply(t2));

    assert_eq!(
        store.claim_activity_task(arn).expect("claim"),
        Some(task("k1"))
    );
    assert_eq!(
        store.claim_activity_task(arn).expect("claim"),
        Some(task("k3"))
    );
    assert_eq!(store.claim_activity_task(arn).expect("claim"), None);
    assert_eq!(store.claim_activity_task("other").expect("claim"), None);
    ok(store.delete_activity(arn));
    assert_eq!(store.get_activity(arn).expect("get"), None);
    assert!(matches!(
        store.delete_activity(arn),
        Err(StoreError::NotFound(_))
    ));
}

fn purge_removes_old_finished_executions_only(store: &dyn Store) {
    let mut finished = Vec::new();
    for (i, stop_ms) in [(0, 100), (1, 200), (2, 300), (3, 1000)] {
        let record = execution(MACHINE, &format!("f{i}"), 10, 3);
        create(store, &record);
        let mut t = step(&record, 0);
        t.add_timers = vec![timer(&record.id, 1, 5)];
        ok(store.apply(t.clone()));
        ok(store.apply(finish(&t.execution, ExecutionStatus::Succeeded, stop_ms)));
        finished.push(record.id);
    }
    let running = execution(MACHINE, "r", 1, 2);
    create(store, &running);

    assert_eq!(store.purge_finished(250, 1).expect("purge"), 1);
    assert_eq!(store.get_execution(&finished[0]).expect("get"), None);
    assert!(store.get_execution(&finished[1]).expect("get").is_some());
    assert_eq!(store.purge_finished(250, 10).expect("purge"), 1);
    assert_eq!(store.purge_finished(250, 10).expect("purge"), 0);
    for id in &finished[..2] {
        assert_eq!(history_len(store, id), 0);
    }
    assert_eq!(history_len(store, &finished[2]), 4);
    let listed = store
        .list_executions(&ExecutionQuery {
            state_machine_arn: MACHINE.to_owned(),
            status: None,
            page: PageRequest::default(),
        })
        .expect("list");
    let mut names: Vec<_> = listed.items.iter().map(|e| e.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["f2", "f3", "r"]);
    assert_eq!(store.purge_finished(i64::MAX, 10).expect("purge"), 2);
    assert_eq!(get(store, &running.id), running);
    assert_eq!(Retention::default().cutoff(90 * 86_400_000 + 5), 5);
}

fn running_index_follows_status(store: &dyn Store) {
    let ids: Vec<_> = (0..4)
        .map(|i| {
            let record = execution(MACHINE, &format!("r{i}"), i, 1);
            create(store, &record);
            record
        })
        .collect();
    let names =
        |after: Option<&str>, limit| store.running_executions(after, limit).expect("running");
    assert_eq!(
        names(None, 10),
        ids.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
    );
    ok(store.apply(finish(&ids[1], ExecutionStatus::TimedOut, 5)));
    assert_eq!(names(None, 2), [ids[0].id.clone(), ids[2].id.clone()]);
    assert_eq!(names(Some(&ids[2].id), 10), [ids[3].id.clone()]);

    // A redrive makes a finished execution run again.
    let failed = get(store, &ids[1].id);
    let mut redrive = step(&failed, 1);
    redrive.execution.status = ExecutionStatus::Running;
    redrive.execution.stop_ms = None;
    redrive.execution.redrive_count = 1;
    ok(store.apply(redrive));
    assert_eq!(names(None, 10).len(), 4);
    assert_eq!(store.purge_finished(i64::MAX, 10).expect("purge"), 0);
}

fn leases_are_exclusive_until_they_expire(store: &dyn Store) {
    let record = execution(MACHINE, "a", 1, 1);
    create(store, &record);
    assert!(store.try_lease(&record.id, "n1", 100, 50).expect("lease"));
    assert!(!store.try_lease(&record.id, "n2", 120, 50).expect("lease"));
    assert!(store.try_lease(&record.id, "n1", 140, 50).expect("renew"));
    let lease = Lease {
        owner: "n1".to_owned(),
        expires_ms: 190,
    };
    // Transitions keep the stored lease whatever their record says.
    ok(store.apply(step(&record, 1)));
    assert_eq!(get(store, &record.id).lease, Some(lease));
    assert!(!store.try_lease(&record.id, "n2", 189, 50).expect("lease"));
    assert!(store.try_lease(&record.id, "n2", 190, 50).expect("expired"));
    ok(store.release_lease(&record.id, "n1")); // not the holder: nothing
    assert_eq!(
        get(store, &record.id).lease.map(|l| l.owner),
        Some("n2".to_owned())
    );
    ok(store.release_lease(&record.id, "n2"));
    assert_eq!(get(store, &record.id).lease, None);
    assert!(matches!(
        store.try_lease("nope", "n1", 1, 1),
        Err(StoreError::NotFound(_))
    ));
}

fn concurrent_writers_never_both_win(store: &dyn Store) {
    let record = execution(MACHINE, "hot", 1, 0);
    create(store, &record);
    let wins = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|scope| {
        for writer in 0..4u64 {
            let wins = &wins;
            scope.spawn(move || {
                for _ in 0..50 {
                    let current = get(store, &exec_id("hot"));
                    let mut t = step(&current, 1);
                    t.execution.input = format!("writer {writer}");
                    match store.apply(t) {
                        Ok(ticket) => {
                            ticket.wait().expect("durable");
                            wins.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                        Err(StoreError::Conflict { .. }) => {}
                        Err(other) => panic!("unexpected {other}"),
                    }
                }
            });
        }
    });
    let wins = wins.load(std::sync::atomic::Ordering::SeqCst);
    let stored = get(store, &record.id);
    assert_eq!(stored.seq, wins);
    assert_eq!(history_len(store, &record.id) as u64, wins);
}

fn tickets_can_be_awaited(store: &dyn Store) {
    let record = execution(MACHINE, "a", 1, 0);
    let ticket = store.create_execution(record, vec![]).expect("create");
    block_on(async move { ticket.await }).expect("durable");
}

/// A minimal executor for the async test.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

/// A small seeded generator, so that failures replay.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What a store shows of everything: for comparing backends.
fn observe(store: &dyn Store, names: &[String]) -> String {
    let all = HistoryQuery {
        limit: usize::MAX,
        ..HistoryQuery::default()
    };
    let mut out = String::new();
    for name in names {
        let id = exec_id(name);
        let record = store.get_execution(&id).expect("get");
        let history = store.history(&id, all).expect("history");
        if let Some(record) = &record {
            assert_eq!(
                record.seq,
                history.len() as u64,
                "{id}: record and history disagree"
            );
        }
        out += &format!("{record:?}\n{history:?}\n");
    }
    let timers = all_timers(store);
    for timer in &timers {
        let record = store.get_execution(&timer.execution_id).expect("get");
        assert!(
            record.is_some_and(|r| !r.status.is_finished()),
            "timer of a finished or missing execution: {timer:?}"
        );
    }
    let listed = store
        .list_executions(&ExecutionQuery {
            state_machine_arn: MACHINE.to_owned(),
            status: None,
            page: PageRequest::default(),
        })
        .expect("list");
    let running = store.running_executions(None, usize::MAX).expect("running");
    out += &format!("{timers:?}\n{:?}\n{running:?}\n", listed.items);
    for n in 0..40 {
        out += &format!(
            "{:?}\n",
            store.get_task_token(&format!("tok{n}")).expect("token")
        );
    }
    out
}

/// Random workloads give the same results, call by call, on both backends,
/// and keep the store's invariants (record seq = history length, no timers of
/// finished executions).
#[test]
fn backends_agree_on_random_workloads() {
    for seed in 1..=6u64 {
        let dir = tempfile::tempdir().expect("temp dir");
        let sled = SledStore::open(dir.path()).expect("open");
        let memory = MemoryStore::new();
        let stores: [&dyn Store; 2] = [&memory, &sled];
        let names: Vec<String> = (0..5).map(|n| format!("x{n}")).collect();
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        for step_no in 0..300 {
            let name = &names[rng.below(names.len() as u64) as usize];
            let id = exec_id(name);
            let op = rng.below(10);
            let (a, b, c) = (rng.below(4), rng.below(40), rng.below(1000) as i64);
            let outcomes: Vec<String> = stores
                .iter()
                .map(|store| {
                    let current = store.get_execution(&id).expect("get");
                    let result = match (op, current) {
                        (_, None) => {
                            let record = execution(MACHINE, name, c, a);
                            store.create_execution(record, events(&id, 1, a)).map(drop)
                        }
                        (0, Some(_)) => store.purge_finished(c, 2).map(drop),
                        (1, Some(_)) => store.try_lease(&id, &format!("n{a}"), c, 100).map(drop),
                        (2, Some(current)) => {
                            let mut t = step(&current, a);
                            t.expected_seq = current.seq.saturating_sub(1); // stale
                            t.execution.seq = t.expected_seq + a;
                            store.apply(t).map(drop)
                        }
                        (3, Some(current)) => store
                            .apply(finish(&current, ExecutionStatus::Failed, c))
                            .map(drop),
                        (_, Some(current)) => {
                            let mut t = step(&current, a);
                            t.add_timers = vec![timer(&id, b % 4, c)];
                            t.remove_timers = vec![(b + 1) % 4];
                            t.add_tokens = vec![token(&id, &format!("tok{b}"))];
                            t.remove_tokens = vec![format!("tok{}", (b + 7) % 40)];
                            if current.status.is_finished() {
                                t.execution.status = ExecutionStatus::Running;
                                t.execution.stop_ms = None;
                            }
                            store.apply(t).map(drop)
                        }
                    };
                    format!("{result:?}")
                })
                .collect();
            assert_eq!(outcomes[0], outcomes[1], "seed {seed}, step {step_no}");
            if step_no % 50 == 49 {
                assert_eq!(
                    observe(&memory, &names),
                    observe(&sled, &names),
                    "seed {seed}"
                );
            }
        }
        assert_eq!(
            observe(&memory, &names),
            observe(&sled, &names),
            "seed {seed}"
        );
    }
}
