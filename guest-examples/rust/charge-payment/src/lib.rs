//! `charge-payment`: step 2 of the order saga. Charges the order and returns the
//! payment (`ResultPath: "$.payment"`, where `refund-payment` finds it).
//!
//! Input: `{"orderId": "o-1", "card": "visa", "amount": 25.0}`, or instead of
//! `amount` the order's `items` with `price` and `quantity` (other fields are
//! ignored). Output:
//! `{"paymentId": "pay-o-1", "orderId": "o-1", "amount": 25.0, "currency": "USD", "status": "CHARGED"}`.
//!
//! Errors: `Payment.Declined` when `card` is `"declined"` or `failPayment` is true
//! (the saga's Catch compensates), `Payment.InvalidAmount` when there is nothing to
//! charge; the cause is JSON: `{"orderId": ..., "amount": ..., "reason": ...}`.

use serde::{Deserialize, Serialize};
use stepwise_sdk::{context, json, TaskError};

/// The part of the order this step reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeRequest {
    /// The order's id.
    pub order_id: String,
    /// The card to charge; `"declined"` is declined.
    #[serde(default)]
    pub card: String,
    /// The amount; when absent, the sum of the items' `price` × `quantity`.
    pub amount: Option<f64>,
    /// The order's items.
    #[serde(default)]
    pub items: Vec<Line>,
    /// Declines the payment, to exercise compensation.
    #[serde(default)]
    pub fail_payment: bool,
    /// ISO currency code; USD when absent.
    pub currency: Option<String>,
}

/// An order line with its price.
#[derive(Debug, Deserialize)]
pub struct Line {
    /// Unit price.
    #[serde(default)]
    pub price: f64,
    /// How many.
    #[serde(default)]
    pub quantity: u32,
}

/// The charge made.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    /// `pay-<orderId>`.
    pub payment_id: String,
    /// The order's id.
    pub order_id: String,
    /// The amount charged, rounded to cents.
    pub amount: f64,
    /// The currency.
    pub currency: String,
    /// Always `CHARGED`.
    pub status: &'static str,
}

/// Charges the order.
pub fn charge(request: ChargeRequest) -> Result<Payment, TaskError> {
    let amount = request.amount.unwrap_or_else(|| {
        request
            .items
            .iter()
            .map(|l| l.price * f64::from(l.quantity))
            .sum()
    });
    let amount = (amount * 100.0).round() / 100.0;
    let fail =
        |reason: &str| json!({"orderId": request.order_id, "amount": amount, "reason": reason});
    if !amount.is_finite() || amount <= 0.0 {
        return Err(TaskError::with_json_cause(
            "Payment.InvalidAmount",
            &fail("the amount must be positive"),
        ));
    }
    if request.fail_payment || request.card == "declined" {
        context::warn(&format!("payment for order {} declined", request.order_id));
        return Err(TaskError::with_json_cause(
            "Payment.Declined",
            &fail("card declined"),
        ));
    }
    context::info(&format!("charged {amount} for order {}", request.order_id));
    Ok(Payment {
        payment_id: format!("pay-{}", request.order_id),
        order_id: request.order_id,
        amount,
        currency: request.currency.unwrap_or_else(|| "USD".to_string()),
        status: "CHARGED",
    })
}

stepwise_sdk::task!(charge);

#[cfg(test)]
mod tests {
    use stepwise_sdk::testing::call;
    use stepwise_sdk::{json, Value};

    use super::charge;

    #[test]
    fn charges_the_amount_or_the_items() {
        let out = call(
            charge,
            json!({"orderId": "o-1", "card": "visa", "amount": 25}),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"paymentId": "pay-o-1", "orderId": "o-1", "amount": 25.0, "currency": "USD", "status": "CHARGED"})
        );
        let items = json!({"orderId": "o-2", "card": "visa", "currency": "EUR", "items": [
            {"sku": "A", "price": 12.5, "quantity": 2}, {"sku": "B", "price": 0.1, "quantity": 3}
        ]});
        let out = call(charge, items).unwrap();
        assert_eq!(out["amount"], 25.3);
        assert_eq!(out["currency"], "EUR");
    }

    #[test]
    fn declines_on_demand_with_a_json_cause() {
        for input in [
            json!({"orderId": "o-3", "card": "declined", "amount": 10}),
            json!({"orderId": "o-3", "card": "visa", "amount": 10, "failPayment": true}),
        ] {
            let err = call(charge, input).unwrap_err();
            assert_eq!(err.error, "Payment.Declined");
            let cause: Value = serde_json::from_str(&err.cause).unwrap();
            assert_eq!(
                cause,
                json!({"orderId": "o-3", "amount": 10.0, "reason": "card declined"})
            );
        }
    }

    #[test]
    fn nothing_to_charge() {
        let err = call(charge, json!({"orderId": "o-4", "card": "visa"})).unwrap_err();
        assert_eq!(err.error, "Payment.InvalidAmount");
    }
}
