//! `reserve-inventory`: step 1 of the order saga. Reserves the order's items and
//! returns the reservation (a workflow puts it at `ResultPath: "$.reservation"`,
//! where `release-inventory` finds it if a later step fails).
//!
//! Input: `{"orderId": "o-1", "items": [{"sku": "BOOK-1", "quantity": 2}, ...]}`
//! (other fields are ignored). Output:
//! `{"reservationId": "res-o-1", "items": [{"sku": "BOOK-1", "quantity": 2}], "totalQuantity": 2}`.
//!
//! Errors: `Inventory.InvalidOrder` (no items, a quantity of 0),
//! `Inventory.OutOfStock` (a sku starting with `OUT-OF-STOCK`, or
//! `"failInventory": true`), cause JSON naming the order and the sku.

use serde::{Deserialize, Serialize};
use stepwise_sdk::{context, json, TaskError};

/// The part of the order this step reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The order's id.
    pub order_id: String,
    /// What to reserve.
    #[serde(default)]
    pub items: Vec<Item>,
    /// Fails the step with `Inventory.OutOfStock`, to exercise compensation.
    #[serde(default)]
    pub fail_inventory: bool,
}

/// One line of the order.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Item {
    /// Stock keeping unit.
    pub sku: String,
    /// How many.
    pub quantity: u32,
}

/// The reservation made.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reservation {
    /// `res-<orderId>`.
    pub reservation_id: String,
    /// The items reserved.
    pub items: Vec<Item>,
    /// Their total quantity.
    pub total_quantity: u64,
}

/// Reserves the items of `order`.
pub fn reserve(order: Order) -> Result<Reservation, TaskError> {
    if order.items.is_empty() {
        return Err(TaskError::with_json_cause(
            "Inventory.InvalidOrder",
            &json!({"orderId": order.order_id, "reason": "the order has no items"}),
        ));
    }
    for item in &order.items {
        if item.quantity == 0 {
            return Err(TaskError::with_json_cause(
                "Inventory.InvalidOrder",
                &json!({"orderId": order.order_id, "sku": item.sku, "reason": "quantity must be at least 1"}),
            ));
        }
        if order.fail_inventory || item.sku.starts_with("OUT-OF-STOCK") {
            return Err(TaskError::with_json_cause(
                "Inventory.OutOfStock",
                &json!({"orderId": order.order_id, "sku": item.sku, "requested": item.quantity, "available": 0}),
            ));
        }
    }
    let total_quantity = order.items.iter().map(|i| u64::from(i.quantity)).sum();
    context::info(&format!(
        "reserved {total_quantity} item(s) for order {}",
        order.order_id
    ));
    Ok(Reservation {
        reservation_id: format!("res-{}", order.order_id),
        items: order.items,
        total_quantity,
    })
}

stepwise_sdk::task!(reserve);

#[cfg(test)]
mod tests {
    use stepwise_sdk::testing::{call, TestContext};
    use stepwise_sdk::{json, Level, Value};

    use super::reserve;

    #[test]
    fn reserves() {
        let input = json!({"orderId": "o-1", "customer": "ada", "items": [
            {"sku": "BOOK-1", "quantity": 2, "price": 12.5}, {"sku": "PEN-9", "quantity": 1}
        ]});
        let (out, rec) = TestContext::new().call(reserve, input);
        assert_eq!(
            out.unwrap(),
            json!({"reservationId": "res-o-1", "items": [
                {"sku": "BOOK-1", "quantity": 2}, {"sku": "PEN-9", "quantity": 1}
            ], "totalQuantity": 3})
        );
        assert_eq!(
            rec.logs,
            [(Level::Info, "reserved 3 item(s) for order o-1".to_string())]
        );
    }

    #[test]
    fn out_of_stock() {
        let input = json!({"orderId": "o-2", "items": [{"sku": "OUT-OF-STOCK-1", "quantity": 1}]});
        let err = call(reserve, input).unwrap_err();
        assert_eq!(err.error, "Inventory.OutOfStock");
        let cause: Value = serde_json::from_str(&err.cause).unwrap();
        assert_eq!(cause["sku"], "OUT-OF-STOCK-1");
        let input = json!({"orderId": "o-3", "failInventory": true, "items": [{"sku": "A", "quantity": 1}]});
        assert_eq!(
            call(reserve, input).unwrap_err().error,
            "Inventory.OutOfStock"
        );
    }

    #[test]
    fn invalid_orders() {
        let err = call(reserve, json!({"orderId": "o-4"})).unwrap_err();
        assert_eq!(err.error, "Inventory.InvalidOrder");
        let err = call(
            reserve,
            json!({"orderId": "o-4", "items": [{"sku": "A", "quantity": 0}]}),
        )
        .unwrap_err();
        assert_eq!(err.error, "Inventory.InvalidOrder");
        let err = call(reserve, json!({"items": []})).unwrap_err();
        assert_eq!(err.error, "Stepwise.InvalidInput");
    }
}
