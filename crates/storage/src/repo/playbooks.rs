//! Playbooks and the versions of their content.

use crate::entities::{playbook_versions, playbooks, runs};
use crate::{Page, PageRequest, Result, StorageError};
use chrono::{DateTime, Utc};
use itmgr_domain::{PlaybookId, RunId, RunStatus, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

/// A playbook as stored. `source`, `defaults` are documents the service layer types.
#[derive(Debug, Clone)]
pub struct Playbook {
    pub id: PlaybookId,
    pub name: String,
    pub description: String,
    /// `{kind: "stored"}` or `{kind: "git", url, git_ref, path, credential}`.
    pub source: serde_json::Value,
    pub current_version: i32,
    /// Targets, variables, survey and options used when a launch does not override them.
    pub defaults: serde_json::Value,
    pub allow_parallel: bool,
    pub retry_infrastructure: bool,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One version of a playbook's content.
#[derive(Debug, Clone)]
pub struct Version {
    pub version: i32,
    pub content: String,
    /// `[{path, content}]`: templates, vars files, `requirements.yml`.
    pub files: serde_json::Value,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
}

/// The latest run of a playbook.
#[derive(Debug, Clone)]
pub struct LastRun {
    pub id: RunId,
    pub status: RunStatus,
    pub queued_at: DateTime<Utc>,
}

impl From<playbooks::Model> for Playbook {
    fn from(m: playbooks::Model) -> Self {
        Self {
            id: PlaybookId::from_uuid(m.id),
            name: m.name,
            description: m.description,
            source: m.source,
            current_version: m.current_version,
            defaults: m.defaults,
            allow_parallel: m.allow_parallel,
            retry_infrastructure: m.retry_infrastructure,
            created_by: m.created_by.map(UserId::from_uuid),
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

impl From<playbook_versions::Model> for Version {
    fn from(m: playbook_versions::Model) -> Self {
        Self {
            version: m.version,
            content: m.content,
            files: m.files,
            created_by_name: m.created_by_name,
            created_at: m.created_at,
        }
    }
}

fn active(p: &Playbook) -> playbooks::ActiveModel {
    playbooks::ActiveModel {
        id: Set(p.id.as_uuid()),
        name: Set(p.name.clone()),
        description: Set(p.description.clone()),
        source: Set(p.source.clone()),
        current_version: Set(p.current_version),
        defaults: Set(p.defaults.clone()),
        allow_parallel: Set(p.allow_parallel),
        retry_infrastructure: Set(p.retry_infrastructure),
        created_by: Set(p.created_by.map(|u| u.as_uuid())),
        created_at: Set(p.created_at),
        updated_at: Set(p.updated_at),
    }
}

async fn insert_version(db: &impl ConnectionTrait, id: PlaybookId, v: &Version) -> Result<()> {
    playbook_versions::ActiveModel {
        playbook_id: Set(id.as_uuid()),
        version: Set(v.version),
        content: Set(v.content.clone()),
        files: Set(v.files.clone()),
        created_by_name: Set(v.created_by_name.clone()),
        created_at: Set(v.created_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Stores a new playbook with its first version.
pub async fn insert(db: &impl ConnectionTrait, p: &Playbook, v: &Version) -> Result<()> {
    active(p)
        .insert(db)
        .await
        .map_err(|e| StorageError::from_write(e, &["name"]))?;
    insert_version(db, p.id, v).await
}

/// Saves a playbook's settings and, when its content changed, a new version (already numbered
/// `p.current_version`).
pub async fn update(
    db: &sea_orm::DatabaseConnection,
    p: &Playbook,
    new_version: Option<&Version>,
) -> Result<()> {
    let txn = db.begin().await?;
    let mut m = active(p);
    m.created_at = sea_orm::ActiveValue::NotSet;
    m.created_by = sea_orm::ActiveValue::NotSet;
    m.update(&txn)
        .await
        .map_err(|e| StorageError::from_write(e, &["name"]))?;
    if let Some(v) = new_version {
        insert_version(&txn, p.id, v).await?;
    }
    crate::commit(txn).await
}

/// A playbook by id.
pub async fn find(db: &impl ConnectionTrait, id: PlaybookId) -> Result<Playbook> {
    Ok(playbooks::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .into())
}

/// A playbook by exact name.
pub async fn find_by_name(db: &impl ConnectionTrait, name: &str) -> Result<Playbook> {
    Ok(playbooks::Entity::find()
        .filter(playbooks::Column::Name.eq(name))
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .into())
}

/// Playbooks by name, optionally matching `q` in the name or description.
pub async fn list(
    db: &impl ConnectionTrait,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Page<Playbook>> {
    let mut cond = Condition::all();
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(
            Condition::any()
                .add(super::contains_ci(playbooks::Column::Name, q))
                .add(super::contains_ci(playbooks::Column::Description, q)),
        );
    }
    let total = playbooks::Entity::find()
        .filter(cond.clone())
        .count(db)
        .await?;
    let items = playbooks::Entity::find()
        .filter(cond)
        .order_by_asc(playbooks::Column::Name)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?
        .into_iter()
        .map(Playbook::from)
        .collect();
    Ok(Page { items, total })
}

/// The newest run of each of these playbooks.
pub async fn last_runs(
    db: &impl ConnectionTrait,
    ids: &[PlaybookId],
) -> Result<Vec<(PlaybookId, LastRun)>> {
    let mut out = Vec::new();
    for id in ids {
        let row: Option<(uuid::Uuid, String, DateTime<Utc>)> = runs::Entity::find()
            .select_only()
            .column(runs::Column::Id)
            .column(runs::Column::Status)
            .column(runs::Column::QueuedAt)
            .filter(runs::Column::PlaybookId.eq(id.as_uuid()))
            .order_by_desc(runs::Column::QueuedAt)
            .limit(1)
            .into_tuple()
            .one(db)
            .await?;
        if let Some((run, status, queued_at)) = row {
            out.push((
                *id,
                LastRun {
                    id: RunId::from_uuid(run),
                    status: status
                        .parse()
                        .map_err(|_| StorageError::Integrity(format!("run status {status:?}")))?,
                    queued_at,
                },
            ));
        }
    }
    Ok(out)
}

/// Deletes a playbook with its versions and schedules (its runs stay in the history).
pub async fn delete(db: &impl ConnectionTrait, id: PlaybookId) -> Result<()> {
    let r = playbooks::Entity::delete_by_id(id.as_uuid())
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// A playbook's versions, newest first (content included).
pub async fn versions(db: &impl ConnectionTrait, id: PlaybookId) -> Result<Vec<Version>> {
    Ok(playbook_versions::Entity::find()
        .filter(playbook_versions::Column::PlaybookId.eq(id.as_uuid()))
        .order_by_desc(playbook_versions::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(Version::from)
        .collect())
}

/// One version of a playbook's content.
pub async fn version(db: &impl ConnectionTrait, id: PlaybookId, version: i32) -> Result<Version> {
    Ok(
        playbook_versions::Entity::find_by_id((id.as_uuid(), version))
            .one(db)
            .await?
            .ok_or(StorageError::NotFound)?
            .into(),
    )
}
