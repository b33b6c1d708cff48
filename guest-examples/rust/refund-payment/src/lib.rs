//! `refund-payment`: a compensation of the order saga. Refunds the charge that
//! `charge-payment` made.
//!
//! Input: the saga's state, `{"orderId": "o-1", "payment": {"paymentId": "pay-o-1", "amount": 25.0}}`
//! (other fields are ignored). Output:
//! `{"refundId": "ref-pay-o-1", "paymentId": "pay-o-1", "amount": 25.0, "status": "REFUNDED"}`;
//! without a `payment` there is nothing to refund:
//! `{"orderId": "o-1", "status": "NOTHING_TO_REFUND"}` (compensations must be safe
//! to run whatever happened before).

use serde::{Deserialize, Serialize};
use stepwise_sdk::{context, TaskError};

/// The part of the saga's state this step reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    /// The order's id.
    pub order_id: String,
    /// What `charge-payment` returned, if it ran.
    pub payment: Option<Charged>,
}

/// A charge to refund.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Charged {
    /// The payment's id.
    pub payment_id: String,
    /// The amount charged.
    #[serde(default)]
    pub amount: f64,
}

/// What was done.
#[derive(Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Refund {
    /// A refund.
    Refunded {
        /// `ref-<paymentId>`.
        #[serde(rename = "refundId")]
        refund_id: String,
        /// The payment refunded.
        #[serde(rename = "paymentId")]
        payment_id: String,
        /// The amount refunded.
        amount: f64,
        /// `REFUNDED`.
        status: &'static str,
    },
    /// There was no charge.
    Nothing {
        /// The order's id.
        #[serde(rename = "orderId")]
        order_id: String,
        /// `NOTHING_TO_REFUND`.
        status: &'static str,
    },
}

/// Refunds the order's payment, if any.
pub fn refund(request: RefundRequest) -> Result<Refund, TaskError> {
    let Some(payment) = request.payment else {
        context::info(&format!("order {}: nothing to refund", request.order_id));
        return Ok(Refund::Nothing {
            order_id: request.order_id,
            status: "NOTHING_TO_REFUND",
        });
    };
    context::info(&format!(
        "order {}: refunding {} of {}",
        request.order_id, payment.amount, payment.payment_id
    ));
    Ok(Refund::Refunded {
        refund_id: format!("ref-{}", payment.payment_id),
        payment_id: payment.payment_id,
        amount: payment.amount,
        status: "REFUNDED",
    })
}

stepwise_sdk::task!(refund);

#[cfg(test)]
mod tests {
    use stepwise_sdk::json;
    use stepwise_sdk::testing::call;

    use super::refund;

    #[test]
    fn refunds_the_payment() {
        let input = json!({"orderId": "o-1", "payment": {"paymentId": "pay-o-1", "amount": 25.0, "status": "CHARGED"}});
        assert_eq!(
            call(refund, input).unwrap(),
            json!({"refundId": "ref-pay-o-1", "paymentId": "pay-o-1", "amount": 25.0, "status": "REFUNDED"})
        );
    }

    #[test]
    fn nothing_to_refund() {
        assert_eq!(
            call(
                refund,
                json!({"orderId": "o-2", "error": {"Error": "Payment.Declined"}})
            )
            .unwrap(),
            json!({"orderId": "o-2", "status": "NOTHING_TO_REFUND"})
        );
    }
}
