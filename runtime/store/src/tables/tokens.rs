//! [`TaskTokens`] on any backend.

use super::get_json;
use crate::error::Result;
use crate::kv::{Kv, TreeId};
use crate::tokens::{TaskTokenRecord, TaskTokens};

impl<K: Kv> TaskTokens for K {
    fn get_task_token(&self, token: &str) -> Result<Option<TaskTokenRecord>> {
        get_json(self, TreeId::Tokens, token.as_bytes(), "task token")
    }
}
