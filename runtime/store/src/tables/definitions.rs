//! [`Definitions`] on any backend.

use sha2::{Digest, Sha256};

use crate::codec;
use crate::definitions::Definitions;
use crate::durability::Ticket;
use crate::error::Result;
use crate::keys;
use crate::kv::{Kv, TreeId};

/// Transactions are scoped by key: the same text always gets the same key.
impl<K: Kv> Definitions for K {
    fn put_definition(&self, definition: &str) -> Result<(String, Ticket)> {
        let key = keys::hex(&Sha256::digest(definition.as_bytes()));
        if self.get(TreeId::Definitions, key.as_bytes())?.is_none() {
            self.transact(&key, &|txn| {
                if txn.get(TreeId::Definitions, key.as_bytes())?.is_none() {
                    txn.insert(TreeId::Definitions, key.as_bytes(), definition.as_bytes())?;
                }
                Ok(())
            })?;
        }
        Ok((key, self.ticket()))
    }

    fn get_definition(&self, key: &str) -> Result<Option<String>> {
        self.get(TreeId::Definitions, key.as_bytes())?
            .map(|bytes| codec::to_text(bytes, "definition"))
            .transpose()
    }
}
