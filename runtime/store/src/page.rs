//! Pagination: a request (token + size) and a page of results.
//!
//! A page token is opaque to callers: the hex of the last key returned, relative
//! to the listing's prefix. It stays valid while records are added or removed.

use crate::error::{Result, StoreError};
use crate::keys;

/// Which page of a listing to return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// The `next_token` of the previous page; `None` for the first page.
    pub token: Option<String>,
    /// The most items to return; 0 means the default (100).
    pub max_results: usize,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items, in the listing's order.
    pub items: Vec<T>,
    /// Pass this back in [`PageRequest::token`] for the next page; `None` when
    /// this is the last page.
    pub next_token: Option<String>,
}

/// The page size used when a request asks for 0.
pub const DEFAULT_PAGE_SIZE: usize = 100;

impl PageRequest {
    /// The first page, of at most `max_results` items.
    pub fn first(max_results: usize) -> Self {
        PageRequest {
            token: None,
            max_results,
        }
    }

    /// The page size, with 0 read as [`DEFAULT_PAGE_SIZE`].
    pub(crate) fn size(&self) -> usize {
        if self.max_results == 0 {
            DEFAULT_PAGE_SIZE
        } else {
            self.max_results
        }
    }

    /// The key suffix the token stands for.
    pub(crate) fn after(&self) -> Result<Option<Vec<u8>>> {
        match &self.token {
            None => Ok(None),
            Some(token) => keys::unhex(token)
                .filter(|suffix| !suffix.is_empty())
                .map(Some)
                .ok_or_else(|| StoreError::Invalid(format!("bad page token {token:?}"))),
        }
    }
}

/// Collects up to `size` items, remembering the key suffix of the last one; a
/// candidate beyond that means there is a next page.
pub(crate) struct PageBuilder<T> {
    size: usize,
    items: Vec<T>,
    last: Vec<u8>,
    more: bool,
}

impl<T> PageBuilder<T> {
    pub(crate) fn new(size: usize) -> Self {
        PageBuilder {
            size,
            items: Vec::new(),
            last: Vec::new(),
            more: false,
        }
    }

    /// Called before decoding each candidate: `false` once the page is full
    /// (the page then has a next token, and the scan should stop).
    pub(crate) fn has_room(&mut self) -> bool {
        if self.items.len() < self.size {
            return true;
        }
        self.more = true;
        false
    }

    /// Adds an item, with the key suffix a next page resumes after.
    pub(crate) fn push(&mut self, suffix: &[u8], item: T) {
        self.items.push(item);
        self.last = suffix.to_vec();
    }

    /// The page.
    pub(crate) fn finish(self) -> Page<T> {
        Page {
            next_token: self.more.then(|| keys::hex(&self.last)),
            items: self.items,
        }
    }
}
