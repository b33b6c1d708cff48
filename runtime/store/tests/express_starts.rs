//! Pending asynchronous Express starts, on both backends, and surviving a
//! reopen of the sled store.

use store::{ExpressStartRecord, ExpressStarts, MemoryStore, SledStore};

fn start(arn: &str) -> ExpressStartRecord {
    ExpressStartRecord {
        arn: arn.to_owned(),
        state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:m".to_owned(),
        state_machine_name: "m".to_owned(),
        definition: r#"{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}"#.to_owned(),
        role_arn: "arn:aws:iam::123456789012:role/r".to_owned(),
        name: arn.rsplit(':').nth(1).unwrap_or_default().to_owned(),
        input: r#"{"n":1}"#.to_owned(),
        trace_header: None,
        start_ms: 7,
    }
}

fn arns(records: &[ExpressStartRecord]) -> Vec<&str> {
    records.iter().map(|r| r.arn.as_str()).collect()
}

fn kept_listed_and_forgotten(store: &dyn ExpressStarts) {
    let a = "arn:aws:states:us-east-1:123456789012:express:m:a:1";
    let b = "arn:aws:states:us-east-1:123456789012:express:m:b:2";
    let c = "arn:aws:states:us-east-1:123456789012:express:m:c:3";
    for arn in [c, a, b] {
        store
            .put_express_start(&start(arn))
            .unwrap()
            .wait()
            .unwrap();
    }
    let all = store.pending_express_starts(None, 10).unwrap();
    assert_eq!(arns(&all), [a, b, c]);
    assert_eq!(all[0], start(a));
    assert_eq!(
        arns(&store.pending_express_starts(None, 2).unwrap()),
        [a, b]
    );
    assert_eq!(
        arns(&store.pending_express_starts(Some(b), 10).unwrap()),
        [c]
    );
    store.remove_express_start(b).unwrap().wait().unwrap();
    store.remove_express_start(b).unwrap().wait().unwrap();
    assert_eq!(
        arns(&store.pending_express_starts(None, 10).unwrap()),
        [a, c]
    );
}

#[test]
fn memory_store_keeps_lists_and_forgets_starts() {
    kept_listed_and_forgotten(&MemoryStore::new());
}

#[test]
fn sled_store_keeps_lists_and_forgets_starts() {
    let dir = tempfile::tempdir().unwrap();
    kept_listed_and_forgotten(&SledStore::open(dir.path()).unwrap());
}

#[test]
fn a_durable_start_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let arn = "arn:aws:states:us-east-1:123456789012:express:m:x:9";
    {
        let store = SledStore::open(dir.path()).unwrap();
        store
            .put_express_start(&start(arn))
            .unwrap()
            .wait()
            .unwrap();
    }
    let store = SledStore::open(dir.path()).unwrap();
    assert_eq!(
        store.pending_express_starts(None, 10).unwrap(),
        [start(arn)]
    );
}
