//! Runs, their hosts and their output chunks.

use crate::entities::{jobs, run_artifacts, run_events, run_hosts, run_output, runs};
use crate::{Page, PageRequest, Result, StorageError};
use chrono::{DateTime, Utc};
use itmgr_domain::{
    HostId, HostRunStatus, PlaybookId, RunId, RunKind, RunStatus, RunTrigger, UserId,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

/// A run.
#[derive(Debug, Clone)]
pub struct Run {
    pub id: RunId,
    pub kind: RunKind,
    pub status: RunStatus,
    pub trigger: RunTrigger,
    pub rerun_of: Option<RunId>,
    pub created_by: Option<UserId>,
    pub created_by_name: String,
    /// A one-line description (the command, the script's name, the key's fingerprint).
    pub title: String,
    /// The selection as given (hosts, groups, rule).
    pub target: serde_json::Value,
    /// What was asked, secrets never included.
    pub parameters: serde_json::Value,
    /// Host counts by status.
    pub summary: serde_json::Value,
    pub queued_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
    /// The playbook a playbook run ran, and which version of its content.
    pub playbook: Option<(PlaybookId, i32)>,
    /// `ansible-playbook`'s exit status.
    pub exit_code: Option<i32>,
}

/// One target host of a run, as it was at launch, and its result.
#[derive(Debug, Clone)]
pub struct RunHost {
    pub host_id: HostId,
    pub position: i32,
    pub host_name: String,
    pub address: String,
    pub port: u16,
    pub status: HostRunStatus,
    pub exit_code: Option<i32>,
    pub error: Option<String>,
    /// A short machine-readable outcome (e.g. `added` / `present` for a key deployment).
    pub result: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub output_bytes: i64,
    /// Ansible's counts for the host (`ok`, `changed`, `failed`, `unreachable`, `skipped`, …).
    pub stats: Option<serde_json::Value>,
}

/// A piece of output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Chunk {
    pub seq: i64,
    /// `None`: a message of the run itself.
    pub host_id: Option<HostId>,
    /// `out`, `err` or `sys`.
    pub stream: &'static str,
    pub data: String,
    pub at: DateTime<Utc>,
}

fn integrity(what: &str, v: &str) -> StorageError {
    StorageError::Integrity(format!("run {what} {v:?}"))
}

impl TryFrom<runs::Model> for Run {
    type Error = StorageError;
    fn try_from(m: runs::Model) -> Result<Self> {
        Ok(Self {
            id: RunId::from_uuid(m.id),
            kind: m.kind.parse().map_err(|_| integrity("kind", &m.kind))?,
            status: m
                .status
                .parse()
                .map_err(|_| integrity("status", &m.status))?,
            trigger: m
                .trigger
                .parse()
                .map_err(|_| integrity("trigger", &m.trigger))?,
            rerun_of: m.rerun_of.map(RunId::from_uuid),
            created_by: m.created_by.map(UserId::from_uuid),
            created_by_name: m.created_by_name,
            title: m.title,
            target: m.target,
            parameters: m.parameters,
            summary: m.summary,
            queued_at: m.queued_at,
            started_at: m.started_at,
            finished_at: m.finished_at,
            error: m.error,
            playbook: m
                .playbook_id
                .map(|p| (PlaybookId::from_uuid(p), m.playbook_version.unwrap_or(0))),
            exit_code: m.exit_code,
        })
    }
}

impl TryFrom<run_hosts::Model> for RunHost {
    type Error = StorageError;
    fn try_from(m: run_hosts::Model) -> Result<Self> {
        Ok(Self {
            host_id: HostId::from_uuid(m.host_id),
            position: m.position,
            host_name: m.host_name,
            address: m.address,
            port: u16::try_from(m.port).map_err(|_| integrity("port", &m.port.to_string()))?,
            status: m
                .status
                .parse()
                .map_err(|_| integrity("host status", &m.status))?,
            exit_code: m.exit_code,
            error: m.error,
            result: m.result,
            started_at: m.started_at,
            finished_at: m.finished_at,
            output_bytes: m.output_bytes,
            stats: m.stats,
        })
    }
}

fn stream_name(s: &str) -> &'static str {
    match s {
        "out" => "out",
        "err" => "err",
        _ => "sys",
    }
}

/// Stores a new run with its target snapshot, in one transaction.
pub async fn insert(db: &sea_orm::DatabaseConnection, run: &Run, hosts: &[RunHost]) -> Result<()> {
    let txn = db.begin().await?;
    insert_in(&txn, run, hosts).await?;
    crate::commit(txn).await
}

/// Stores a new run with its target snapshot and queues its job, in one transaction.
pub async fn insert_queued(
    db: &sea_orm::DatabaseConnection,
    run: &Run,
    hosts: &[RunHost],
    max_attempts: i32,
    payload: Option<serde_json::Value>,
) -> Result<()> {
    let txn = db.begin().await?;
    insert_in(&txn, run, hosts).await?;
    super::jobs::enqueue(&txn, run.id, "runs", max_attempts, payload, Utc::now()).await?;
    crate::commit(txn).await
}

async fn insert_in(txn: &sea_orm::DatabaseTransaction, run: &Run, hosts: &[RunHost]) -> Result<()> {
    runs::ActiveModel {
        id: Set(run.id.as_uuid()),
        kind: Set(run.kind.as_str().to_owned()),
        status: Set(run.status.as_str().to_owned()),
        trigger: Set(run.trigger.as_str().to_owned()),
        rerun_of: Set(run.rerun_of.map(|r| r.as_uuid())),
        created_by: Set(run.created_by.map(|u| u.as_uuid())),
        created_by_name: Set(run.created_by_name.clone()),
        title: Set(run.title.clone()),
        target: Set(run.target.clone()),
        parameters: Set(run.parameters.clone()),
        summary: Set(run.summary.clone()),
        queued_at: Set(run.queued_at),
        started_at: Set(run.started_at),
        finished_at: Set(run.finished_at),
        error: Set(run.error.clone()),
        playbook_id: Set(run.playbook.map(|p| p.0.as_uuid())),
        playbook_version: Set(run.playbook.map(|p| p.1)),
        exit_code: Set(run.exit_code),
    }
    .insert(txn)
    .await?;
    for batch in hosts.chunks(500) {
        run_hosts::Entity::insert_many(batch.iter().map(|h| run_hosts::ActiveModel {
            run_id: Set(run.id.as_uuid()),
            host_id: Set(h.host_id.as_uuid()),
            position: Set(h.position),
            host_name: Set(h.host_name.clone()),
            address: Set(h.address.clone()),
            port: Set(i32::from(h.port)),
            status: Set(h.status.as_str().to_owned()),
            exit_code: Set(h.exit_code),
            error: Set(h.error.clone()),
            result: Set(h.result.clone()),
            started_at: Set(h.started_at),
            finished_at: Set(h.finished_at),
            output_bytes: Set(h.output_bytes),
            stats: Set(h.stats.clone()),
        }))
        .exec(txn)
        .await?;
    }
    Ok(())
}

/// Marks a run started.
pub async fn start(db: &impl ConnectionTrait, id: RunId) -> Result<()> {
    runs::Entity::update_many()
        .col_expr(
            runs::Column::Status,
            Expr::value(RunStatus::Running.as_str()),
        )
        .col_expr(runs::Column::StartedAt, Expr::value(Utc::now()))
        .filter(runs::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Records the end of a run.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: RunId,
    status: RunStatus,
    summary: &serde_json::Value,
    error: Option<&str>,
) -> Result<()> {
    runs::Entity::update_many()
        .col_expr(runs::Column::Status, Expr::value(status.as_str()))
        .col_expr(runs::Column::FinishedAt, Expr::value(Utc::now()))
        .col_expr(runs::Column::Summary, Expr::value(summary.clone()))
        .col_expr(runs::Column::Error, Expr::value(error.map(str::to_owned)))
        .filter(runs::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Saves one host's state.
pub async fn update_host(db: &impl ConnectionTrait, run: RunId, h: &RunHost) -> Result<()> {
    run_hosts::Entity::update_many()
        .col_expr(run_hosts::Column::Status, Expr::value(h.status.as_str()))
        .col_expr(run_hosts::Column::ExitCode, Expr::value(h.exit_code))
        .col_expr(run_hosts::Column::Error, Expr::value(h.error.clone()))
        .col_expr(run_hosts::Column::Result, Expr::value(h.result.clone()))
        .col_expr(run_hosts::Column::StartedAt, Expr::value(h.started_at))
        .col_expr(run_hosts::Column::FinishedAt, Expr::value(h.finished_at))
        .col_expr(run_hosts::Column::OutputBytes, Expr::value(h.output_bytes))
        .col_expr(run_hosts::Column::Stats, Expr::value(h.stats.clone()))
        .filter(run_hosts::Column::RunId.eq(run.as_uuid()))
        .filter(run_hosts::Column::HostId.eq(h.host_id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Appends output chunks (already numbered) in one statement.
pub async fn append_output(db: &impl ConnectionTrait, run: RunId, chunks: &[Chunk]) -> Result<()> {
    for batch in chunks.chunks(200) {
        run_output::Entity::insert_many(batch.iter().map(|c| run_output::ActiveModel {
            run_id: Set(run.as_uuid()),
            seq: Set(c.seq),
            host_id: Set(c.host_id.map(|h| h.as_uuid())),
            stream: Set(c.stream.to_owned()),
            data: Set(c.data.clone()),
            at: Set(c.at),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Stores a batch of output and host states in one transaction.
pub async fn store_batch(
    db: &sea_orm::DatabaseConnection,
    run: RunId,
    chunks: &[Chunk],
    events: &[RunEvent],
    hosts: &[&RunHost],
) -> Result<()> {
    let txn = db.begin().await?;
    append_output(&txn, run, chunks).await?;
    append_events(&txn, run, events).await?;
    for h in hosts {
        update_host(&txn, run, h).await?;
    }
    crate::commit(txn).await
}

/// Output after `after` (exclusive), in order, optionally of one host.
pub async fn output(
    db: &impl ConnectionTrait,
    run: RunId,
    after: i64,
    host: Option<HostId>,
    limit: u64,
) -> Result<Vec<Chunk>> {
    let mut q = run_output::Entity::find()
        .filter(run_output::Column::RunId.eq(run.as_uuid()))
        .filter(run_output::Column::Seq.gt(after));
    if let Some(h) = host {
        q = q.filter(run_output::Column::HostId.eq(h.as_uuid()));
    }
    Ok(q.order_by_asc(run_output::Column::Seq)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Chunk {
            seq: m.seq,
            host_id: m.host_id.map(HostId::from_uuid),
            stream: stream_name(&m.stream),
            data: m.data,
            at: m.at,
        })
        .collect())
}

/// A run by id.
pub async fn find(db: &impl ConnectionTrait, id: RunId) -> Result<Run> {
    runs::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .try_into()
}

/// A run's hosts in launch order.
pub async fn hosts(db: &impl ConnectionTrait, id: RunId) -> Result<Vec<RunHost>> {
    run_hosts::Entity::find()
        .filter(run_hosts::Column::RunId.eq(id.as_uuid()))
        .order_by_asc(run_hosts::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(RunHost::try_from)
        .collect()
}

/// Filters for the run history.
#[derive(Debug, Clone, Default)]
pub struct RunFilter {
    pub kinds: Vec<RunKind>,
    pub statuses: Vec<RunStatus>,
    pub created_by: Option<UserId>,
    /// Runs that targeted this host.
    pub host: Option<HostId>,
    /// Substring of the title.
    pub q: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub playbook: Option<PlaybookId>,
    pub triggers: Vec<RunTrigger>,
    /// Order (default: newest first).
    pub sort: RunSort,
    pub descending: bool,
}

/// What the run history is ordered by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RunSort {
    #[default]
    Queued,
    Started,
    Finished,
    Title,
    Status,
    Kind,
}

/// Runs in the filter's order (newest first by default).
pub async fn list(
    db: &impl ConnectionTrait,
    f: &RunFilter,
    page: PageRequest,
) -> Result<Page<Run>> {
    let mut cond = Condition::all();
    if !f.kinds.is_empty() {
        cond = cond.add(runs::Column::Kind.is_in(f.kinds.iter().map(|k| k.as_str())));
    }
    if !f.statuses.is_empty() {
        cond = cond.add(runs::Column::Status.is_in(f.statuses.iter().map(|k| k.as_str())));
    }
    if !f.triggers.is_empty() {
        cond = cond.add(runs::Column::Trigger.is_in(f.triggers.iter().map(|k| k.as_str())));
    }
    if let Some(p) = f.playbook {
        cond = cond.add(runs::Column::PlaybookId.eq(p.as_uuid()));
    }
    if let Some(u) = f.created_by {
        cond = cond.add(runs::Column::CreatedBy.eq(u.as_uuid()));
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.is_empty()) {
        cond = cond.add(runs::Column::Title.contains(q));
    }
    if let Some(t) = f.since {
        cond = cond.add(runs::Column::QueuedAt.gte(t));
    }
    if let Some(t) = f.until {
        cond = cond.add(runs::Column::QueuedAt.lt(t));
    }
    if let Some(h) = f.host {
        cond = cond.add(
            runs::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(run_hosts::Column::RunId)
                    .from(run_hosts::Entity)
                    .and_where(run_hosts::Column::HostId.eq(h.as_uuid()))
                    .to_owned(),
            ),
        );
    }
    let total = runs::Entity::find().filter(cond.clone()).count(db).await?;
    let col = match f.sort {
        RunSort::Queued => runs::Column::QueuedAt,
        RunSort::Started => runs::Column::StartedAt,
        RunSort::Finished => runs::Column::FinishedAt,
        RunSort::Title => runs::Column::Title,
        RunSort::Status => runs::Column::Status,
        RunSort::Kind => runs::Column::Kind,
    };
    let order = if f.descending {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let rows = runs::Entity::find()
        .filter(cond)
        .order_by(col, order)
        // Ties (same status, same title) stay in a stable, newest-first order.
        .order_by_desc(runs::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(Run::try_from).collect::<Result<_>>()?,
        total,
    })
}

/// Runs executed in-process (without a queued job, e.g. key rotations) left queued or running by
/// a process that is gone: marked `lost`, their unfinished hosts `canceled`. Returns how many.
/// Queued runs keep their jobs; running ones are reaped when their lease expires.
pub async fn mark_abandoned_lost(db: &impl ConnectionTrait) -> Result<u64> {
    let open: Vec<uuid::Uuid> = runs::Entity::find()
        .select_only()
        .column(runs::Column::Id)
        .filter(
            runs::Column::Status.is_in([RunStatus::Queued.as_str(), RunStatus::Running.as_str()]),
        )
        .filter(
            runs::Column::Id.not_in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(jobs::Column::RunId)
                    .from(jobs::Entity)
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    if open.is_empty() {
        return Ok(0);
    }
    run_hosts::Entity::update_many()
        .col_expr(
            run_hosts::Column::Status,
            Expr::value(HostRunStatus::Canceled.as_str()),
        )
        .col_expr(run_hosts::Column::Error, Expr::value("the run was lost"))
        .filter(run_hosts::Column::RunId.is_in(open.clone()))
        .filter(run_hosts::Column::Status.is_in([
            HostRunStatus::Pending.as_str(),
            HostRunStatus::Running.as_str(),
        ]))
        .exec(db)
        .await?;
    let r = runs::Entity::update_many()
        .col_expr(runs::Column::Status, Expr::value(RunStatus::Lost.as_str()))
        .col_expr(runs::Column::FinishedAt, Expr::value(Utc::now()))
        .col_expr(
            runs::Column::Error,
            Expr::value("the server stopped while the run was in progress"),
        )
        .filter(runs::Column::Id.is_in(open))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Marks one open run `lost` (its worker vanished), its unfinished hosts `canceled`.
pub async fn mark_lost(db: &impl ConnectionTrait, id: RunId, error: &str) -> Result<()> {
    end_open(db, id, RunStatus::Lost, error).await
}

/// Ends an open run with `status` (a canceled queued run, a lost one), its unfinished hosts
/// `canceled`. A run already over is left alone.
pub async fn end_open(
    db: &impl ConnectionTrait,
    id: RunId,
    status: RunStatus,
    error: &str,
) -> Result<()> {
    run_hosts::Entity::update_many()
        .col_expr(
            run_hosts::Column::Status,
            Expr::value(HostRunStatus::Canceled.as_str()),
        )
        .filter(run_hosts::Column::RunId.eq(id.as_uuid()))
        .filter(run_hosts::Column::Status.is_in([
            HostRunStatus::Pending.as_str(),
            HostRunStatus::Running.as_str(),
        ]))
        .exec(db)
        .await?;
    runs::Entity::update_many()
        .col_expr(runs::Column::Status, Expr::value(status.as_str()))
        .col_expr(runs::Column::FinishedAt, Expr::value(Utc::now()))
        .col_expr(runs::Column::Error, Expr::value(error.to_owned()))
        .filter(runs::Column::Id.eq(id.as_uuid()))
        .filter(
            runs::Column::Status.is_in([RunStatus::Queued.as_str(), RunStatus::Running.as_str()]),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a queued run running, unless it is a run of a playbook that does not allow parallel
/// runs and another run of it is running. Returns whether it started. The playbook row is
/// locked for the check so two workers never both start one.
pub async fn start_exclusive(
    db: &sea_orm::DatabaseConnection,
    id: RunId,
    exclusive_playbook: Option<PlaybookId>,
) -> Result<bool> {
    let txn = db.begin().await?;
    if let Some(p) = exclusive_playbook {
        let mut lock = sea_orm::sea_query::Query::select();
        lock.column(crate::entities::playbooks::Column::Id)
            .from(crate::entities::playbooks::Entity)
            .and_where(crate::entities::playbooks::Column::Id.eq(p.as_uuid()));
        if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
            lock.lock(sea_orm::sea_query::LockType::Update);
            txn.query_all(&lock).await?;
        } else {
            // SQLite: an immediate write takes the database lock for this transaction.
            crate::entities::playbooks::Entity::update_many()
                .col_expr(
                    crate::entities::playbooks::Column::Id,
                    Expr::col(crate::entities::playbooks::Column::Id),
                )
                .filter(crate::entities::playbooks::Column::Id.eq(p.as_uuid()))
                .exec(&txn)
                .await?;
        }
        let busy = runs::Entity::find()
            .filter(runs::Column::PlaybookId.eq(p.as_uuid()))
            .filter(runs::Column::Status.eq(RunStatus::Running.as_str()))
            .filter(runs::Column::Id.ne(id.as_uuid()))
            .count(&txn)
            .await?;
        if busy > 0 {
            crate::commit(txn).await?;
            return Ok(false);
        }
    }
    let r = runs::Entity::update_many()
        .col_expr(
            runs::Column::Status,
            Expr::value(RunStatus::Running.as_str()),
        )
        .col_expr(runs::Column::StartedAt, Expr::value(Utc::now()))
        .filter(runs::Column::Id.eq(id.as_uuid()))
        .filter(
            runs::Column::Status.is_in([RunStatus::Queued.as_str(), RunStatus::Running.as_str()]),
        )
        .exec(&txn)
        .await?;
    crate::commit(txn).await?;
    Ok(r.rows_affected == 1)
}

/// Records `ansible-playbook`'s exit status.
pub async fn set_exit_code(db: &impl ConnectionTrait, id: RunId, code: Option<i32>) -> Result<()> {
    runs::Entity::update_many()
        .col_expr(runs::Column::ExitCode, Expr::value(code))
        .filter(runs::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// One structured event of a playbook run (from the callback plugin).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunEvent {
    pub seq: i64,
    /// `playbook_on_play_start`, `runner_on_ok`, `playbook_on_stats`, …
    pub event: String,
    pub host: Option<String>,
    pub play: Option<String>,
    pub task: Option<String>,
    /// The event's fields (already masked).
    pub data: serde_json::Value,
    pub at: DateTime<Utc>,
}

/// Appends events (already numbered).
pub async fn append_events(
    db: &impl ConnectionTrait,
    run: RunId,
    events: &[RunEvent],
) -> Result<()> {
    for batch in events.chunks(200) {
        run_events::Entity::insert_many(batch.iter().map(|e| run_events::ActiveModel {
            run_id: Set(run.as_uuid()),
            seq: Set(e.seq),
            event: Set(e.event.clone()),
            host: Set(e.host.clone()),
            play: Set(e.play.clone()),
            task: Set(e.task.clone()),
            data: Set(e.data.clone()),
            at: Set(e.at),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Events after `after`, in order.
pub async fn events(
    db: &impl ConnectionTrait,
    run: RunId,
    after: i64,
    limit: u64,
) -> Result<Vec<RunEvent>> {
    Ok(run_events::Entity::find()
        .filter(run_events::Column::RunId.eq(run.as_uuid()))
        .filter(run_events::Column::Seq.gt(after))
        .order_by_asc(run_events::Column::Seq)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| RunEvent {
            seq: m.seq,
            event: m.event,
            host: m.host,
            play: m.play,
            task: m.task,
            data: m.data,
            at: m.at,
        })
        .collect())
}

/// A file a run left in its artifacts directory.
#[derive(Debug, Clone)]
pub struct Artifact {
    pub name: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

/// Stores an artifact.
pub async fn put_artifact(
    db: &impl ConnectionTrait,
    run: RunId,
    name: &str,
    content: Vec<u8>,
) -> Result<()> {
    run_artifacts::ActiveModel {
        run_id: Set(run.as_uuid()),
        name: Set(name.to_owned()),
        size: Set(content.len() as i64),
        content: Set(content),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A run's artifacts, by name.
pub async fn artifacts(db: &impl ConnectionTrait, run: RunId) -> Result<Vec<Artifact>> {
    let rows: Vec<(String, i64, DateTime<Utc>)> = run_artifacts::Entity::find()
        .select_only()
        .column(run_artifacts::Column::Name)
        .column(run_artifacts::Column::Size)
        .column(run_artifacts::Column::CreatedAt)
        .filter(run_artifacts::Column::RunId.eq(run.as_uuid()))
        .order_by_asc(run_artifacts::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(name, size, created_at)| Artifact {
            name,
            size,
            created_at,
        })
        .collect())
}

/// One artifact's content.
pub async fn artifact(db: &impl ConnectionTrait, run: RunId, name: &str) -> Result<Vec<u8>> {
    Ok(
        run_artifacts::Entity::find_by_id((run.as_uuid(), name.to_owned()))
            .one(db)
            .await?
            .ok_or(StorageError::NotFound)?
            .content,
    )
}

/// Deletes finished runs (with their hosts, output, events, artifacts and jobs): those finished
/// before `before`, for each playbook all but its newest `keep_per_playbook`, and the oldest
/// beyond `max_log_bytes` of stored output in all. Returns how many.
pub async fn delete_old(
    db: &sea_orm::DatabaseConnection,
    before: Option<DateTime<Utc>>,
    keep_per_playbook: Option<u64>,
    max_log_bytes: Option<i64>,
) -> Result<u64> {
    let mut doomed: Vec<uuid::Uuid> = Vec::new();
    if let Some(cap) = max_log_bytes {
        // Newest first: keep runs while the running total of their output fits.
        let sizes: Vec<(uuid::Uuid, Option<i64>)> = runs::Entity::find()
            .select_only()
            .column(runs::Column::Id)
            .column_as(
                sea_orm::sea_query::Expr::cust(
                    "(SELECT CAST(COALESCE(SUM(LENGTH(data)), 0) AS BIGINT) FROM run_output WHERE run_output.run_id = runs.id)",
                ),
                "bytes",
            )
            .filter(runs::Column::FinishedAt.is_not_null())
            .order_by_desc(runs::Column::QueuedAt)
            .into_tuple()
            .all(db)
            .await?;
        let mut total = 0i64;
        for (id, bytes) in sizes {
            total += bytes.unwrap_or(0);
            if total > cap {
                doomed.push(id);
            }
        }
    }
    if let Some(t) = before {
        doomed.extend(
            runs::Entity::find()
                .select_only()
                .column(runs::Column::Id)
                .filter(runs::Column::FinishedAt.lt(t))
                .into_tuple::<uuid::Uuid>()
                .all(db)
                .await?,
        );
    }
    if let Some(keep) = keep_per_playbook {
        let playbooks: Vec<Option<uuid::Uuid>> = runs::Entity::find()
            .select_only()
            .column(runs::Column::PlaybookId)
            .filter(runs::Column::PlaybookId.is_not_null())
            .distinct()
            .into_tuple()
            .all(db)
            .await?;
        for p in playbooks.into_iter().flatten() {
            doomed.extend(
                runs::Entity::find()
                    .select_only()
                    .column(runs::Column::Id)
                    .filter(runs::Column::PlaybookId.eq(p))
                    .filter(runs::Column::FinishedAt.is_not_null())
                    .order_by_desc(runs::Column::QueuedAt)
                    // SQLite takes OFFSET only after a LIMIT.
                    .limit(i64::MAX as u64)
                    .offset(keep)
                    .into_tuple::<uuid::Uuid>()
                    .all(db)
                    .await?,
            );
        }
    }
    doomed.sort();
    doomed.dedup();
    for batch in doomed.chunks(500) {
        let txn = db.begin().await?;
        let ids = batch.to_vec();
        run_events::Entity::delete_many()
            .filter(run_events::Column::RunId.is_in(ids.clone()))
            .exec(&txn)
            .await?;
        run_artifacts::Entity::delete_many()
            .filter(run_artifacts::Column::RunId.is_in(ids.clone()))
            .exec(&txn)
            .await?;
        jobs::Entity::delete_many()
            .filter(jobs::Column::RunId.is_in(ids.clone()))
            .exec(&txn)
            .await?;
        // Hosts and output go with the run (ON DELETE CASCADE).
        runs::Entity::delete_many()
            .filter(runs::Column::Id.is_in(ids))
            .exec(&txn)
            .await?;
        crate::commit(txn).await?;
    }
    Ok(doomed.len() as u64)
}

/// Puts a run that failed to start back to `queued` (its job is retried).
pub async fn requeue(db: &impl ConnectionTrait, id: RunId) -> Result<()> {
    runs::Entity::update_many()
        .col_expr(
            runs::Column::Status,
            Expr::value(RunStatus::Queued.as_str()),
        )
        .col_expr(
            runs::Column::StartedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(runs::Column::Id.eq(id.as_uuid()))
        .filter(runs::Column::Status.eq(RunStatus::Running.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Replaces a run's parameters (e.g. to record the commit a Git playbook ran).
pub async fn set_parameters(
    db: &impl ConnectionTrait,
    id: RunId,
    parameters: &serde_json::Value,
) -> Result<()> {
    runs::Entity::update_many()
        .col_expr(runs::Column::Parameters, Expr::value(parameters.clone()))
        .filter(runs::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}
