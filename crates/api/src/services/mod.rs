//! Business logic behind the handlers. Each mutating function writes its change
//! and its audit event in one transaction.

pub mod audit;
pub mod auth;
pub mod bootstrap;
pub mod checks;
pub mod dashboard;
pub mod executor;
pub mod groups;
pub mod hosts;
pub mod membership;
pub mod playbooks;
pub mod recordings;
pub mod runs;
pub mod schedules;
pub mod secrets;
pub mod sessions;
pub mod settings;
pub mod terminal;
pub mod tokens;
pub mod users;

use crate::error::ApiError;
use itmgr_storage::{PageRequest, StorageError};

/// The largest page any list endpoint returns.
pub const MAX_LIMIT: u64 = 500;

/// Clamps client paging to sane bounds.
pub fn page(limit: Option<u64>, offset: Option<u64>) -> PageRequest {
    PageRequest {
        limit: limit.unwrap_or(50).clamp(1, MAX_LIMIT),
        offset: offset.unwrap_or(0),
    }
}

/// Maps `NotFound` to a 404 naming the resource.
pub(crate) fn not_found(what: &'static str) -> impl Fn(StorageError) -> ApiError {
    move |e| match e {
        StorageError::NotFound => ApiError::NotFound(what),
        e => e.into(),
    }
}
