//! [`ExpressStarts`] on any backend.

use std::ops::Bound;

use super::collect;
use crate::codec::{self, to_json};
use crate::durability::Ticket;
use crate::error::Result;
use crate::express_starts::{ExpressStartRecord, ExpressStarts};
use crate::kv::{Kv, TreeId};

impl<K: Kv> ExpressStarts for K {
    fn put_express_start(&self, record: &ExpressStartRecord) -> Result<Ticket> {
        let value = to_json(record)?;
        self.transact(&record.arn, &|txn| {
            txn.insert(TreeId::ExpressStarts, record.arn.as_bytes(), &value)
        })?;
        Ok(self.ticket())
    }

    fn remove_express_start(&self, arn: &str) -> Result<Ticket> {
        self.transact(arn, &|txn| {
            txn.remove(TreeId::ExpressStarts, arn.as_bytes())
        })?;
        Ok(self.ticket())
    }

    fn pending_express_starts(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ExpressStartRecord>> {
        let start = match after {
            Some(arn) => Bound::Excluded(arn.as_bytes().to_vec()),
            None => Bound::Unbounded,
        };
        collect(
            self,
            TreeId::ExpressStarts,
            (start, Bound::Unbounded),
            false,
            limit,
        )?
        .iter()
        .map(|(_, value)| codec::from_json(value, "express start"))
        .collect()
    }
}
