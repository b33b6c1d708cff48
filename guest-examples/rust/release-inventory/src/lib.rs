//! `release-inventory`: a compensation of the order saga. Releases the reservation
//! that `reserve-inventory` made.
//!
//! Input: the saga's state, `{"orderId": "o-1", "reservation": {"reservationId": "res-o-1", ...}}`
//! (other fields, such as the caught `error`, are ignored). Output:
//! `{"reservationId": "res-o-1", "status": "RELEASED"}`; without a `reservation`
//! there is nothing to release: `{"orderId": "o-1", "status": "NOTHING_TO_RELEASE"}`.

use serde::Deserialize;
use stepwise_sdk::{context, json, TaskError, Value};

/// The part of the saga's state this step reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseRequest {
    /// The order's id.
    pub order_id: String,
    /// What `reserve-inventory` returned, if it ran.
    pub reservation: Option<Reserved>,
}

/// A reservation to release.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reserved {
    /// The reservation's id.
    pub reservation_id: String,
}

/// Releases the order's reservation, if any.
pub fn release(request: ReleaseRequest) -> Result<Value, TaskError> {
    match request.reservation {
        Some(r) => {
            context::info(&format!(
                "order {}: released {}",
                request.order_id, r.reservation_id
            ));
            Ok(json!({"reservationId": r.reservation_id, "status": "RELEASED"}))
        }
        None => Ok(json!({"orderId": request.order_id, "status": "NOTHING_TO_RELEASE"})),
    }
}

stepwise_sdk::task!(release);

#[cfg(test)]
mod tests {
    use stepwise_sdk::json;
    use stepwise_sdk::testing::call;

    use super::release;

    #[test]
    fn releases() {
        let input = json!({"orderId": "o-1", "reservation": {"reservationId": "res-o-1", "totalQuantity": 2},
                           "error": {"Error": "Payment.Declined", "Cause": "{}"}});
        assert_eq!(
            call(release, input).unwrap(),
            json!({"reservationId": "res-o-1", "status": "RELEASED"})
        );
        assert_eq!(
            call(release, json!({"orderId": "o-2"})).unwrap(),
            json!({"orderId": "o-2", "status": "NOTHING_TO_RELEASE"})
        );
    }
}
