//! Copying every row of one database into another, either way between SQLite and PostgreSQL
//! (`itmgr migrate-data`). Rows go through the same entities the repositories use, so each
//! engine's column types are converted by the driver, not by hand-written SQL.

use crate::entities as e;
use crate::{Backend, Db, Result, StorageError};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    EntityTrait, IntoActiveModel, Iterable, PaginatorTrait, PrimaryKeyToColumn, QueryOrder,
    Statement, TransactionTrait,
};

/// How many rows of one table were copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopied {
    /// The table's name.
    pub table: &'static str,
    /// Rows copied (and verified present in the target).
    pub rows: u64,
}

/// SQLite allows 32,766 bound parameters in one statement; stay well below it.
const MAX_PARAMS_PER_INSERT: usize = 30_000;

/// Tables whose single rows can be large (artifacts, run output chunks): fetched a few at a time.
const LARGE_ROW_BATCH: u64 = 16;

/// Copies every table of `from` into `to`, in one transaction on `to`: either all rows arrive or
/// none. Both databases must already be migrated to the same schema. `to` must never have been
/// used (no users); rows that migrations alone created there are replaced. `progress` is told
/// about each table as it is done.
pub async fn copy_all(
    from: &Db,
    to: &Db,
    mut progress: impl FnMut(&TableCopied),
) -> Result<Vec<TableCopied>> {
    let ours = from.applied_migrations().await?;
    let theirs = to.applied_migrations().await?;
    if ours != theirs {
        return Err(StorageError::Integrity(format!(
            "the databases are at different schema versions ({} and {} migrations)",
            ours.len(),
            theirs.len()
        )));
    }
    // A table added by a later migration but not to TABLES would be left behind silently.
    for db in [from, to] {
        let unknown: Vec<String> = table_names(db)
            .await?
            .into_iter()
            .filter(|t| t != "seaql_migrations" && !TABLES.contains(&t.as_str()))
            .collect();
        if !unknown.is_empty() {
            return Err(StorageError::Integrity(format!(
                "migrate-data does not know the tables {}; refusing to copy only part of the data",
                unknown.join(", ")
            )));
        }
    }
    let users = e::users::Entity::find().count(to.conn()).await?;
    if users > 0 {
        return Err(StorageError::Integrity(format!(
            "the target database already holds data ({users} users); migrate-data only fills a \
             database that has never been used"
        )));
    }
    let txn = to.conn().begin().await?;
    // Children before parents, so foreign keys never see a missing row.
    for table in TABLES.iter().rev() {
        txn.execute_raw(Statement::from_string(
            txn.get_database_backend(),
            format!("DELETE FROM {table}"),
        ))
        .await?;
    }
    let mut copied = Vec::with_capacity(TABLES.len());
    macro_rules! copy {
        ($($module:ident $(: $batch:expr)?),* $(,)?) => {
            $(
                let rows = copy_table::<e::$module::Entity>(
                    from.conn(), &txn, batch_size::<e::$module::Entity>(None $(.or(Some($batch)))?),
                ).await?;
                let done = TableCopied { table: stringify!($module), rows };
                progress(&done);
                copied.push(done);
            )*
        };
    }
    // Parents before children; this order is TABLES.
    copy!(
        users,
        sessions,
        api_tokens,
        audit_events,
        settings,
        secrets,
        vault_key_check,
        hosts,
        host_tags,
        host_status_events,
        inventory_settings,
        host_groups,
        group_children,
        group_members,
        group_membership_events,
        terminal_recordings,
        playbooks,
        playbook_versions: LARGE_ROW_BATCH,
        runs,
        run_hosts,
        run_output: LARGE_ROW_BATCH,
        jobs,
        run_events,
        run_artifacts: LARGE_ROW_BATCH,
        schedules,
    );
    debug_assert_eq!(copied.len(), TABLES.len());
    if to.backend() == Backend::Postgres {
        // Explicit ids do not advance PostgreSQL's sequences; the next insert would collide.
        for table in SERIAL_TABLES {
            txn.execute_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                ),
            ))
            .await?;
        }
    }
    // Read back inside the transaction: a count that differs means a row was dropped on the way.
    for done in &copied {
        let row = txn
            .query_one_raw(Statement::from_string(
                txn.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {}", done.table),
            ))
            .await?
            .ok_or_else(|| StorageError::Integrity("count returned no row".into()))?;
        let n: i64 = row.try_get("", "n")?;
        if u64::try_from(n).ok() != Some(done.rows) {
            return Err(StorageError::Integrity(format!(
                "{}: copied {} rows but the target holds {n}",
                done.table, done.rows
            )));
        }
    }
    txn.commit().await?;
    Ok(copied)
}

/// Every table, parents before children (the order rows are copied in).
pub const TABLES: [&str; 25] = [
    "users",
    "sessions",
    "api_tokens",
    "audit_events",
    "settings",
    "secrets",
    "vault_key_check",
    "hosts",
    "host_tags",
    "host_status_events",
    "inventory_settings",
    "host_groups",
    "group_children",
    "group_members",
    "group_membership_events",
    "terminal_recordings",
    "playbooks",
    "playbook_versions",
    "runs",
    "run_hosts",
    "run_output",
    "jobs",
    "run_events",
    "run_artifacts",
    "schedules",
];

/// Tables whose `id` comes from a sequence on PostgreSQL.
const SERIAL_TABLES: [&str; 3] = [
    "audit_events",
    "host_status_events",
    "group_membership_events",
];

/// The tables of the connected database's current schema.
async fn table_names(db: &Db) -> Result<Vec<String>> {
    let (backend, sql) = match db.backend() {
        Backend::Sqlite => (
            DbBackend::Sqlite,
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ),
        Backend::Postgres => (
            DbBackend::Postgres,
            "SELECT tablename::text AS t FROM pg_tables WHERE schemaname = current_schema()",
        ),
    };
    db.conn()
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
        .iter()
        .map(|row| Ok(row.try_get::<String>("", "t")?))
        .collect()
}

fn batch_size<E: EntityTrait>(cap: Option<u64>) -> u64 {
    let columns = E::Column::iter().count().max(1);
    let by_params = (MAX_PARAMS_PER_INSERT / columns) as u64;
    by_params.min(cap.unwrap_or(1_000)).max(1)
}

async fn copy_table<E>(
    from: &DatabaseConnection,
    to: &DatabaseTransaction,
    batch: u64,
) -> Result<u64>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let mut query = E::find();
    // A stable order, so pages neither skip nor repeat rows.
    for key in E::PrimaryKey::iter() {
        query = query.order_by_asc(key.into_column());
    }
    let mut pages = query.paginate(from, batch);
    let mut rows = 0u64;
    while let Some(page) = pages.fetch_and_next().await? {
        rows += page.len() as u64;
        E::insert_many(page.into_iter().map(IntoActiveModel::into_active_model))
            .exec_without_returning(to)
            .await?;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn fresh(dir: &std::path::Path, name: &str) -> Db {
        let url = format!("sqlite://{}/{name}.db?mode=rwc", dir.display());
        let db = Db::connect(&url, 2).await.unwrap();
        db.migrate().await.unwrap();
        db
    }

    #[tokio::test]
    async fn every_table_is_copied_and_a_table_it_does_not_know_stops_the_copy() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (fresh(dir.path(), "a").await, fresh(dir.path(), "b").await);
        let mut told = Vec::new();
        let copied = copy_all(&a, &b, |t| told.push(t.table)).await.unwrap();
        assert_eq!(told, TABLES.to_vec(), "every table, parents first");
        assert_eq!(copied.len(), TABLES.len());

        // A schema with a table this module was not taught about is refused, not half-copied.
        a.conn()
            .execute_unprepared("CREATE TABLE stray (x INTEGER)")
            .await
            .unwrap();
        let c = fresh(dir.path(), "c").await;
        let err = copy_all(&a, &c, |_| {}).await.unwrap_err().to_string();
        assert!(err.contains("stray"), "{err}");
    }
}
