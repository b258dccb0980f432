//! Terminal recordings' metadata and sealed data keys.

use crate::entities::terminal_recordings::{ActiveModel, Column, Entity, Model};
use crate::{Page, PageRequest, Result, StorageError};
use chrono::{DateTime, Utc};
use itmgr_domain::{HostId, UserId};
use itmgr_vault::Envelope;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

/// A recording.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The terminal session's id.
    pub id: Uuid,
    pub host_id: HostId,
    pub host_name: String,
    pub user_id: UserId,
    pub username: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Output bytes recorded.
    pub bytes: i64,
    /// The recording's data key, sealed by the vault.
    pub key: Envelope,
}

impl From<Model> for Recording {
    fn from(m: Model) -> Self {
        Self {
            id: m.id,
            host_id: HostId::from_uuid(m.host_id),
            host_name: m.host_name,
            user_id: UserId::from_uuid(m.user_id),
            username: m.username,
            started_at: m.started_at,
            ended_at: m.ended_at,
            bytes: m.bytes,
            key: Envelope {
                ciphertext: m.ciphertext,
                nonce: m.nonce,
                wrapped_key: m.wrapped_key,
                key_nonce: m.key_nonce,
                key_id: m.key_id,
            },
        }
    }
}

/// Records the start of a recording.
pub async fn insert(db: &impl ConnectionTrait, r: &Recording) -> Result<()> {
    ActiveModel {
        id: Set(r.id),
        host_id: Set(r.host_id.as_uuid()),
        host_name: Set(r.host_name.clone()),
        user_id: Set(r.user_id.as_uuid()),
        username: Set(r.username.clone()),
        started_at: Set(r.started_at),
        ended_at: Set(None),
        bytes: Set(0),
        ciphertext: Set(r.key.ciphertext.clone()),
        nonce: Set(r.key.nonce.clone()),
        wrapped_key: Set(r.key.wrapped_key.clone()),
        key_nonce: Set(r.key.key_nonce.clone()),
        key_id: Set(r.key.key_id.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Marks a recording finished.
pub async fn finish(db: &impl ConnectionTrait, id: Uuid, bytes: i64) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::EndedAt, Expr::value(Utc::now()))
        .col_expr(Column::Bytes, Expr::value(bytes))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A recording by id.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Recording> {
    Ok(Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .into())
}

/// Recordings, newest first.
pub async fn list(db: &impl ConnectionTrait, page: PageRequest) -> Result<Page<Recording>> {
    let total = Entity::find().count(db).await?;
    let rows = Entity::find()
        .order_by_desc(Column::StartedAt)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(Recording::from).collect(),
        total,
    })
}

/// Every recording (master-key rotation).
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Recording>> {
    Ok(Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(Recording::from)
        .collect())
}

/// Replaces the wrapping of a recording's key (rotation).
pub async fn rewrap(db: &impl ConnectionTrait, id: Uuid, env: &Envelope) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::WrappedKey, Expr::value(env.wrapped_key.clone()))
        .col_expr(Column::KeyNonce, Expr::value(env.key_nonce.clone()))
        .col_expr(Column::KeyId, Expr::value(env.key_id.clone()))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
