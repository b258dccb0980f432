//! Persistence for IT Manager: one schema and one migration source for SQLite
//! (embedded default) and PostgreSQL (production), and repositories that speak
//! in domain terms. This is the only crate that knows SQL dialects.

mod db;
mod entities;
mod error;
pub mod migration;
pub mod repo;
pub mod transfer;

pub use db::{Backend, Db};
pub use error::StorageError;
/// Re-exported so callers can run repositories inside a transaction without depending on SeaORM.
pub use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

/// Shorthand for storage results.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// A page request: `limit` rows after skipping `offset`.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    /// Rows to return (already clamped by the caller).
    pub limit: u64,
    /// Rows to skip.
    pub offset: u64,
}

/// One page of rows plus the total matching the filter.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// How many rows match in all.
    pub total: u64,
}

/// Commits a transaction, mapping the error into [`StorageError`].
pub async fn commit(txn: DatabaseTransaction) -> Result<()> {
    Ok(txn.commit().await?)
}
