//! The durable job queue. A job points at a run; workers claim due jobs under a lease they renew
//! with heartbeats. On PostgreSQL the claim skips rows other workers hold (`FOR UPDATE SKIP
//! LOCKED`), so any number of workers share one queue without running a job twice; SQLite
//! serialises writers, so its single statement is atomic as it is.

use crate::entities::jobs;
use crate::{Result, StorageError};
use chrono::{DateTime, Duration, Utc};
use itmgr_domain::{JobId, RunId};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

/// Where a job is.
pub mod status {
    /// Waiting for a worker (or for its back-off to pass).
    pub const QUEUED: &str = "queued";
    /// Held by a worker under a lease.
    pub const RUNNING: &str = "running";
    /// Over (whatever the run's result).
    pub const DONE: &str = "done";
}

/// A queued or claimed job.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: JobId,
    pub run_id: RunId,
    pub queue: String,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<DateTime<Utc>>,
    pub cancel_requested: bool,
    pub last_error: Option<String>,
    /// Launch-time secrets (survey answers), sealed by the vault; cleared when the job ends.
    pub payload: Option<serde_json::Value>,
}

impl From<jobs::Model> for Job {
    fn from(m: jobs::Model) -> Self {
        Self {
            id: JobId::from_uuid(m.id),
            run_id: RunId::from_uuid(m.run_id),
            queue: m.queue,
            status: m.status,
            attempts: m.attempts,
            max_attempts: m.max_attempts,
            lease_owner: m.lease_owner,
            lease_expires_at: m.lease_expires_at,
            cancel_requested: m.cancel_requested,
            last_error: m.last_error,
            payload: m.payload,
        }
    }
}

/// Queues a job for a run (usually in the transaction that stores the run).
pub async fn enqueue(
    db: &impl ConnectionTrait,
    run: RunId,
    queue: &str,
    max_attempts: i32,
    payload: Option<serde_json::Value>,
    now: DateTime<Utc>,
) -> Result<JobId> {
    let id = JobId::new();
    jobs::ActiveModel {
        id: Set(id.as_uuid()),
        run_id: Set(run.as_uuid()),
        queue: Set(queue.to_owned()),
        status: Set(status::QUEUED.to_owned()),
        available_at: Set(now),
        attempts: Set(0),
        max_attempts: Set(Ord::max(max_attempts, 1)),
        lease_owner: Set(None),
        lease_expires_at: Set(None),
        cancel_requested: Set(false),
        last_error: Set(None),
        payload: Set(payload),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Claims up to `limit` due jobs for `owner`, oldest first, under a lease of `lease`.
///
/// Two statements in one transaction: the due ids are selected and locked (`FOR UPDATE SKIP
/// LOCKED` on PostgreSQL, so concurrent workers take disjoint sets), then exactly those rows are
/// updated. A single `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` is not safe:
/// PostgreSQL may evaluate the subquery more than once and update more than `n` rows.
pub async fn claim(
    db: &sea_orm::DatabaseConnection,
    owner: &str,
    limit: u64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<Job>> {
    use sea_orm::TransactionTrait;
    if limit == 0 {
        return Ok(vec![]);
    }
    let txn = db.begin().await?;
    let mut due = jobs::Entity::find()
        .select_only()
        .column(jobs::Column::Id)
        .filter(jobs::Column::Status.eq(status::QUEUED))
        .filter(jobs::Column::AvailableAt.lte(now))
        .order_by_asc(jobs::Column::AvailableAt)
        .order_by_asc(jobs::Column::Id)
        .limit(limit);
    if txn.get_database_backend() == DbBackend::Postgres {
        sea_orm::QueryTrait::query(&mut due)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let ids: Vec<uuid::Uuid> = due.into_tuple().all(&txn).await?;
    if ids.is_empty() {
        crate::commit(txn).await?;
        return Ok(vec![]);
    }
    let rows = jobs::Entity::update_many()
        .col_expr(jobs::Column::Status, Expr::value(status::RUNNING))
        .col_expr(jobs::Column::LeaseOwner, Expr::value(owner))
        .col_expr(jobs::Column::LeaseExpiresAt, Expr::value(now + lease))
        .col_expr(
            jobs::Column::Attempts,
            Expr::col(jobs::Column::Attempts).add(1),
        )
        .filter(jobs::Column::Id.is_in(ids))
        .filter(jobs::Column::Status.eq(status::QUEUED))
        .exec_with_returning(&txn)
        .await?;
    crate::commit(txn).await?;
    let mut jobs: Vec<Job> = rows.into_iter().map(Job::from).collect();
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

/// What a heartbeat learned about one job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beat {
    /// Still ours; the lease is renewed.
    Held { cancel_requested: bool },
    /// No longer ours (the lease expired and someone else took over, or it was finished).
    Lost,
}

/// Renews the leases of the jobs `owner` holds; reports each job's state.
pub async fn heartbeat(
    db: &impl ConnectionTrait,
    owner: &str,
    ids: &[JobId],
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<(JobId, Beat)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let uuids: Vec<uuid::Uuid> = ids.iter().map(JobId::as_uuid).collect();
    let held = jobs::Entity::update_many()
        .col_expr(jobs::Column::LeaseExpiresAt, Expr::value(now + lease))
        .filter(jobs::Column::Id.is_in(uuids))
        .filter(jobs::Column::LeaseOwner.eq(owner))
        .filter(jobs::Column::Status.eq(status::RUNNING))
        .exec_with_returning(db)
        .await?;
    Ok(ids
        .iter()
        .map(|id| {
            let beat = held
                .iter()
                .find(|m| m.id == id.as_uuid())
                .map_or(Beat::Lost, |m| Beat::Held {
                    cancel_requested: m.cancel_requested,
                });
            (*id, beat)
        })
        .collect())
}

/// Ends a job `owner` holds. Returns false if it no longer held it.
pub async fn complete(
    db: &impl ConnectionTrait,
    id: JobId,
    owner: &str,
    error: Option<&str>,
) -> Result<bool> {
    let r = jobs::Entity::update_many()
        .col_expr(jobs::Column::Status, Expr::value(status::DONE))
        .col_expr(jobs::Column::LeaseOwner, no_owner())
        .col_expr(jobs::Column::LeaseExpiresAt, no_lease())
        .col_expr(
            jobs::Column::LastError,
            Expr::value(error.map(str::to_owned)),
        )
        .col_expr(
            jobs::Column::Payload,
            Expr::value(Option::<serde_json::Value>::None),
        )
        .filter(jobs::Column::Id.eq(id.as_uuid()))
        .filter(jobs::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Puts a job `owner` holds back in the queue after an infrastructure failure, due at `at`.
pub async fn retry_at(
    db: &impl ConnectionTrait,
    id: JobId,
    owner: &str,
    at: DateTime<Utc>,
    error: &str,
) -> Result<bool> {
    let r = jobs::Entity::update_many()
        .col_expr(jobs::Column::Status, Expr::value(status::QUEUED))
        .col_expr(jobs::Column::AvailableAt, Expr::value(at))
        .col_expr(jobs::Column::LeaseOwner, no_owner())
        .col_expr(jobs::Column::LeaseExpiresAt, no_lease())
        .col_expr(jobs::Column::LastError, Expr::value(error.to_owned()))
        .filter(jobs::Column::Id.eq(id.as_uuid()))
        .filter(jobs::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Puts a claimed job back without counting the attempt (e.g. its playbook is busy and does not
/// allow parallel runs).
pub async fn postpone(
    db: &impl ConnectionTrait,
    id: JobId,
    owner: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let r = jobs::Entity::update_many()
        .col_expr(jobs::Column::Status, Expr::value(status::QUEUED))
        .col_expr(jobs::Column::AvailableAt, Expr::value(at))
        .col_expr(
            jobs::Column::Attempts,
            Expr::col(jobs::Column::Attempts).sub(1),
        )
        .col_expr(jobs::Column::LeaseOwner, no_owner())
        .col_expr(jobs::Column::LeaseExpiresAt, no_lease())
        .filter(jobs::Column::Id.eq(id.as_uuid()))
        .filter(jobs::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// From now on a failure of this job is final: its run has started changing hosts.
pub async fn no_more_attempts(db: &impl ConnectionTrait, id: JobId) -> Result<()> {
    jobs::Entity::update_many()
        .col_expr(jobs::Column::MaxAttempts, Expr::col(jobs::Column::Attempts))
        .filter(jobs::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// A cleared lease owner.
fn no_owner() -> sea_orm::sea_query::SimpleExpr {
    Expr::value(Option::<String>::None)
}

/// A cleared lease expiry.
fn no_lease() -> sea_orm::sea_query::SimpleExpr {
    Expr::value(Option::<DateTime<Utc>>::None)
}

/// Jobs whose lease expired (their worker vanished): those with attempts left go back to the
/// queue (returned in the first list), the others end (second list; their runs are lost).
pub async fn reap_expired(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    backoff: Duration,
) -> Result<(Vec<Job>, Vec<Job>)> {
    let expired = |q: sea_orm::UpdateMany<jobs::Entity>| {
        q.filter(jobs::Column::Status.eq(status::RUNNING))
            .filter(jobs::Column::LeaseExpiresAt.lt(now))
    };
    let requeued = expired(jobs::Entity::update_many())
        .col_expr(jobs::Column::Status, Expr::value(status::QUEUED))
        .col_expr(jobs::Column::AvailableAt, Expr::value(now + backoff))
        .col_expr(jobs::Column::LeaseOwner, no_owner())
        .col_expr(jobs::Column::LeaseExpiresAt, no_lease())
        .col_expr(
            jobs::Column::LastError,
            Expr::value("the worker stopped renewing its lease"),
        )
        .filter(Expr::col(jobs::Column::Attempts).lt(Expr::col(jobs::Column::MaxAttempts)))
        .filter(jobs::Column::CancelRequested.eq(false))
        .exec_with_returning(db)
        .await?;
    let ended = expired(jobs::Entity::update_many())
        .col_expr(jobs::Column::Status, Expr::value(status::DONE))
        .col_expr(jobs::Column::LeaseOwner, no_owner())
        .col_expr(jobs::Column::LeaseExpiresAt, no_lease())
        .col_expr(
            jobs::Column::LastError,
            Expr::value("the worker stopped renewing its lease"),
        )
        .exec_with_returning(db)
        .await?;
    Ok((
        requeued.into_iter().map(Job::from).collect(),
        ended.into_iter().map(Job::from).collect(),
    ))
}

/// Asks for a run's job to stop. A job still queued ends at once (returns `Some(false)`); a
/// running one is flagged for its worker (returns `Some(true)`); `None`: no open job.
pub async fn request_cancel(db: &impl ConnectionTrait, run: RunId) -> Result<Option<bool>> {
    let queued = jobs::Entity::update_many()
        .col_expr(jobs::Column::Status, Expr::value(status::DONE))
        .col_expr(jobs::Column::CancelRequested, Expr::value(true))
        .filter(jobs::Column::RunId.eq(run.as_uuid()))
        .filter(jobs::Column::Status.eq(status::QUEUED))
        .exec(db)
        .await?;
    if queued.rows_affected > 0 {
        return Ok(Some(false));
    }
    let running = jobs::Entity::update_many()
        .col_expr(jobs::Column::CancelRequested, Expr::value(true))
        .filter(jobs::Column::RunId.eq(run.as_uuid()))
        .filter(jobs::Column::Status.eq(status::RUNNING))
        .exec(db)
        .await?;
    Ok((running.rows_affected > 0).then_some(true))
}

/// A run's job.
pub async fn for_run(db: &impl ConnectionTrait, run: RunId) -> Result<Job> {
    jobs::Entity::find()
        .filter(jobs::Column::RunId.eq(run.as_uuid()))
        .one(db)
        .await?
        .map(Job::from)
        .ok_or(StorageError::NotFound)
}

/// Jobs by status, for metrics and `doctor`.
pub async fn count(db: &impl ConnectionTrait, status: &str) -> Result<u64> {
    Ok(jobs::Entity::find()
        .filter(jobs::Column::Status.eq(status))
        .count(db)
        .await?)
}

/// Whether any job is due now (a cheap poll).
pub async fn any_due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<bool> {
    Ok(jobs::Entity::find()
        .select_only()
        .column(jobs::Column::Id)
        .filter(jobs::Column::Status.eq(status::QUEUED))
        .filter(jobs::Column::AvailableAt.lte(now))
        .limit(1)
        .into_tuple::<uuid::Uuid>()
        .one(db)
        .await?
        .is_some())
}
