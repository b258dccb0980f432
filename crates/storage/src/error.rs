use sea_orm::{DbErr, SqlErr};

/// Failures of the storage layer, in terms a service can act on.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// No row with that key.
    #[error("not found")]
    NotFound,
    /// A unique constraint was violated; names the field when known.
    #[error("already exists")]
    Conflict {
        /// The column that clashed, when it could be identified.
        field: Option<&'static str>,
    },
    /// The row changed since the caller read it (optimistic locking).
    #[error("stale version")]
    StaleVersion,
    /// The database said the master key does not match (or similar integrity failure).
    #[error("integrity: {0}")]
    Integrity(String),
    /// Anything else the database reported: an internal error, never shown to clients.
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl StorageError {
    /// Turns a unique-constraint violation into `Conflict`, guessing the field from the message.
    pub(crate) fn from_write(err: DbErr, fields: &[&'static str]) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(msg)) => {
                let field = fields.iter().copied().find(|f| msg.contains(f));
                StorageError::Conflict { field }
            }
            _ => StorageError::Database(err),
        }
    }
}
