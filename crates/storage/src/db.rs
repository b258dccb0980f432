use crate::migration::Migrator;
use crate::Result;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    Statement, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

/// Which database engine is behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Arbitrary but fixed: the advisory lock id that serialises migrations
/// between processes on one PostgreSQL database.
const MIGRATION_LOCK_ID: i64 = 0x6974_6d67_725f_6d31;

/// The PostgreSQL notification channel on which queued jobs are announced to workers.
const JOBS_CHANNEL: &str = "itmgr_jobs";

/// A connection pool plus the knowledge of which engine it talks to.
#[derive(Debug, Clone)]
pub struct Db {
    conn: DatabaseConnection,
    backend: Backend,
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(crate::StorageError::Integrity(
                "DATABASE_URL must start with sqlite:// or postgres://".into(),
            ));
        };
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.max_connections(max_connections.max(2))
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        if backend == Backend::Sqlite {
            // WAL lets readers proceed during a write; the busy timeout makes
            // concurrent writers queue instead of failing with SQLITE_BUSY.
            opts.map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    .with_regexp()
            });
        }
        let conn = Database::connect(opts).await?;
        Ok(Self { conn, backend })
    }

    /// The engine behind this pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The underlying SeaORM connection (for repositories in this crate).
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Starts a transaction; every audited change runs in one.
    pub async fn begin(&self) -> Result<DatabaseTransaction> {
        Ok(self.conn.begin().await?)
    }

    /// Applies pending migrations. On PostgreSQL a transaction-scoped advisory
    /// lock makes a second process wait, then find nothing left to do.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Postgres => {
                let txn = self.conn.begin().await?;
                txn.query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})"),
                ))
                .await?;
                Migrator::up(&txn, None).await?;
                txn.commit().await?;
            }
            Backend::Sqlite => {
                // SQLite serialises writers itself; one process owns the file.
                Migrator::up(&self.conn, None).await?;
            }
        }
        Ok(())
    }

    /// Names of the applied migrations, oldest first.
    pub async fn applied_migrations(&self) -> Result<Vec<String>> {
        Ok(Migrator::get_applied_migrations(&self.conn)
            .await?
            .into_iter()
            .map(|m| m.name().to_owned())
            .collect())
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<()> {
        Ok(self.conn.ping().await?)
    }

    /// Pool statistics for metrics: (connections open, idle).
    pub fn pool_stats(&self) -> (u32, u32) {
        match self.backend {
            Backend::Sqlite => {
                let pool = self.conn.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle() as u32)
            }
            Backend::Postgres => {
                let pool = self.conn.get_postgres_connection_pool();
                (pool.size(), pool.num_idle() as u32)
            }
        }
    }

    /// Tells worker processes that a job was queued (PostgreSQL `NOTIFY`). On SQLite one process
    /// owns the database and wakes its worker directly, so this does nothing.
    pub async fn notify_jobs_queued(&self) -> Result<()> {
        if self.backend == Backend::Postgres {
            self.conn
                .execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("SELECT pg_notify('{JOBS_CHANNEL}', '')"),
                ))
                .await?;
        }
        Ok(())
    }

    /// Calls `wake` whenever any process queues a job (PostgreSQL `LISTEN`), for as long as the
    /// database exists; the listening connection is re-established after an error. Returns at
    /// once on SQLite. Workers still poll: a notification lost during a reconnect costs one poll.
    pub async fn listen_jobs_queued(&self, wake: impl Fn() + Send) {
        if self.backend != Backend::Postgres {
            return;
        }
        let pool = self.conn.get_postgres_connection_pool().clone();
        loop {
            let listener = async {
                let mut l = sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await?;
                l.listen(JOBS_CHANNEL).await?;
                Ok::<_, sea_orm::sqlx::Error>(l)
            };
            match listener.await {
                Ok(mut l) => loop {
                    match l.recv().await {
                        Ok(_) => wake(),
                        Err(e) => {
                            tracing::debug!(error = %e, "job notifications interrupted");
                            break;
                        }
                    }
                },
                Err(e) => tracing::debug!(error = %e, "cannot listen for job notifications"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// Closes the pool.
    pub async fn close(self) -> Result<()> {
        Ok(self.conn.close().await?)
    }
}
