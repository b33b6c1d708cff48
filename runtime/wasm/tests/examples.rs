//! Each example component of guest-examples/rust does its job through the host:
//! JSON in and out, errors as ASL names, logs, and the context imports.

mod common;

use common::{invocation, json, module};
use serde_json::json as j;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wasm_host::{Level, LogSource};

#[test]
fn bench_add_field_counts_hops() {
    let m = module("bench-add-field");
    let out = common::host()
        .invoke(&m, invocation(r#"{"payload": "x", "hops": 41}"#))
        .unwrap();
    assert_eq!(json(&out.output), j!({"payload": "x", "hops": 42}));
    assert!(out.logs.is_empty(), "{:?}", out.logs);
    let err = common::host()
        .invoke(&m, invocation(r#"{"hops": "3"}"#))
        .unwrap_err();
    assert_eq!(err.error, "Bench.InvalidHops");
}

#[test]
fn reserve_inventory_reserves_and_logs() {
    let m = module("reserve-inventory");
    let input = r#"{"orderId": "o-1", "items": [{"sku": "BOOK-1", "quantity": 2}, {"sku": "PEN-9", "quantity": 1}]}"#;
    let out = common::host().invoke(&m, invocation(input)).unwrap();
    assert_eq!(
        json(&out.output),
        j!({"reservationId": "res-o-1", "items": [{"sku": "BOOK-1", "quantity": 2}, {"sku": "PEN-9", "quantity": 1}], "totalQuantity": 3})
    );
    assert_eq!(out.logs.len(), 1, "{:?}", out.logs);
    assert_eq!(out.logs[0].level, Level::Info);
    assert_eq!(out.logs[0].source, LogSource::Context);
    assert_eq!(out.logs[0].message, "reserved 3 item(s) for order o-1");

    let input = r#"{"orderId": "o-2", "items": [{"sku": "OUT-OF-STOCK-1", "quantity": 1}]}"#;
    let err = common::host().invoke(&m, invocation(input)).unwrap_err();
    assert_eq!(err.error, "Inventory.OutOfStock");
    assert_eq!(json(&err.cause)["sku"], "OUT-OF-STOCK-1");
}

#[test]
fn charge_payment_charges_or_declines() {
    let m = module("charge-payment");
    let out = common::host()
        .invoke(
            &m,
            invocation(r#"{"orderId": "o-1", "card": "visa", "amount": 25}"#),
        )
        .unwrap();
    assert_eq!(
        json(&out.output),
        j!({"paymentId": "pay-o-1", "orderId": "o-1", "amount": 25.0, "currency": "USD", "status": "CHARGED"})
    );
    let err = common::host()
        .invoke(
            &m,
            invocation(r#"{"orderId": "o-3", "card": "declined", "amount": 10}"#),
        )
        .unwrap_err();
    assert_eq!(err.error, "Payment.Declined");
    assert_eq!(json(&err.cause)["reason"], "card declined");
    assert!(err
        .logs
        .iter()
        .any(|l| l.level == Level::Warn && l.message.contains("declined")));
}

#[test]
fn refund_and_release_compensate() {
    let refund = module("refund-payment");
    let out = common::host()
        .invoke(
            &refund,
            invocation(
                r#"{"orderId": "o-1", "payment": {"paymentId": "pay-o-1", "amount": 25.0}}"#,
            ),
        )
        .unwrap();
    assert_eq!(
        json(&out.output),
        j!({"refundId": "ref-pay-o-1", "paymentId": "pay-o-1", "amount": 25.0, "status": "REFUNDED"})
    );
    let out = common::host()
        .invoke(&refund, invocation(r#"{"orderId": "o-1"}"#))
        .unwrap();
    assert_eq!(json(&out.output)["status"], "NOTHING_TO_REFUND");

    let release = module("release-inventory");
    let out = common::host()
        .invoke(
            &release,
            invocation(
                r#"{"orderId": "o-1", "reservation": {"reservationId": "res-o-1"}, "error": {}}"#,
            ),
        )
        .unwrap();
    assert_eq!(
        json(&out.output),
        j!({"reservationId": "res-o-1", "status": "RELEASED"})
    );
}

#[test]
fn transform_record_normalises_or_rejects() {
    let m = module("transform-record");
    let input = r#"{"id": " 42 ", "full_name": "  ada   LOVELACE ", "email": " ADA@Example.COM ", "tags": "Math, computing,, math", "amount": "1,234.50"}"#;
    let out = common::host().invoke(&m, invocation(input)).unwrap();
    assert_eq!(
        json(&out.output),
        j!({"id": "42", "name": "Ada Lovelace", "email": "ada@example.com", "amount": 1234.5, "tags": ["computing", "math"]})
    );
    let err = common::host()
        .invoke(&m, invocation(r#"{"name": "no id"}"#))
        .unwrap_err();
    assert_eq!(err.error, "Record.Invalid");
}

#[test]
fn notify_approver_reads_the_context() {
    let m = module("notify-approver");
    let heartbeats = Arc::new(AtomicUsize::new(0));
    let mut inv = invocation(r#"{"approver": "lead@example.com", "orderId": "o-1"}"#);
    inv.execution_name = "order-o-1".into();
    inv.state_name = "AskApproval".into();
    inv.task_token = Some("token-123".into());
    inv.timeout = Some(Duration::from_secs(30));
    let counter = heartbeats.clone();
    inv.on_heartbeat = Some(Arc::new(move || {
        counter.fetch_add(1, Ordering::Relaxed);
    }));
    let out = common::host().invoke(&m, inv).unwrap();
    let out = json(&out.output);
    assert_eq!(out["taskToken"], "token-123");
    assert_eq!(out["execution"], "order-o-1");
    assert_eq!(out["state"], "AskApproval");
    assert_eq!(out["approver"], "lead@example.com");
    assert_eq!(heartbeats.load(Ordering::Relaxed), 1);

    let err = common::host()
        .invoke(&m, invocation(r#"{"orderId": "o-2"}"#))
        .unwrap_err();
    assert_eq!(err.error, "Approval.NoTaskToken");
}

#[test]
fn invocations_run_in_parallel_on_one_host() {
    let m = module("bench-add-field");
    std::thread::scope(|s| {
        for t in 0..4 {
            let m = m.clone();
            s.spawn(move || {
                for i in 0..25 {
                    let out = common::host()
                        .invoke(&m, invocation(&format!(r#"{{"t": {t}, "hops": {i}}}"#)))
                        .unwrap();
                    assert_eq!(json(&out.output), j!({"t": t, "hops": i + 1}));
                }
            });
        }
    });
}
