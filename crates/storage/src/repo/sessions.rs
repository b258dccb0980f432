//! Login sessions: one row per refresh-token family.

use crate::entities::sessions::{ActiveModel, Column, Entity, Model};
use crate::{Page, PageRequest, Result, StorageError};
use chrono::{DateTime, Utc};
use itmgr_domain::{SessionId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

/// A stored session.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl From<Model> for Session {
    fn from(m: Model) -> Self {
        Self {
            id: SessionId::from_uuid(m.id),
            user_id: UserId::from_uuid(m.user_id),
            created_at: m.created_at,
            last_seen_at: m.last_seen_at,
            expires_at: m.expires_at,
            revoked_at: m.revoked_at,
            ip: m.ip,
            user_agent: m.user_agent,
        }
    }
}

/// What a refresh-token lookup found.
#[derive(Debug)]
pub enum RefreshLookup {
    /// The current token of a session.
    Current(Session),
    /// A token this session already rotated away: a replay, so the family is compromised.
    Reused(Session),
    /// Unknown token.
    Unknown,
}

/// Creates a session.
pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: UserId,
    refresh_hash: &str,
    expires_at: DateTime<Utc>,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<Session> {
    let now = Utc::now();
    let model = ActiveModel {
        id: Set(SessionId::new().as_uuid()),
        user_id: Set(user_id.as_uuid()),
        refresh_hash: Set(refresh_hash.to_owned()),
        previous_refresh_hash: Set(None),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        ip: Set(ip),
        user_agent: Set(user_agent),
    }
    .insert(db)
    .await?;
    Ok(model.into())
}

/// Finds a session by id.
pub async fn find_by_id(db: &impl ConnectionTrait, id: SessionId) -> Result<Session> {
    Ok(Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .into())
}

/// Looks a refresh token up by its hash, current or previous.
pub async fn find_by_refresh_hash(db: &impl ConnectionTrait, hash: &str) -> Result<RefreshLookup> {
    if let Some(m) = Entity::find()
        .filter(Column::RefreshHash.eq(hash))
        .one(db)
        .await?
    {
        return Ok(RefreshLookup::Current(m.into()));
    }
    if let Some(m) = Entity::find()
        .filter(Column::PreviousRefreshHash.eq(hash))
        .one(db)
        .await?
    {
        return Ok(RefreshLookup::Reused(m.into()));
    }
    Ok(RefreshLookup::Unknown)
}

/// Replaces the refresh token, remembering the old one to detect replays.
/// Fails with `StaleVersion` when another request rotated it first.
pub async fn rotate(
    db: &impl ConnectionTrait,
    id: SessionId,
    old_hash: &str,
    new_hash: &str,
) -> Result<()> {
    let result = Entity::update_many()
        .col_expr(Column::RefreshHash, Expr::value(new_hash))
        .col_expr(Column::PreviousRefreshHash, Expr::value(old_hash))
        .col_expr(Column::LastSeenAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::RefreshHash.eq(old_hash))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(StorageError::StaleVersion);
    }
    Ok(())
}

/// Marks the session as used now (idle-timeout bookkeeping).
pub async fn touch(db: &impl ConnectionTrait, id: SessionId) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::LastSeenAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes one session; `false` when it was already revoked.
pub async fn revoke(db: &impl ConnectionTrait, id: SessionId) -> Result<bool> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Revokes every live session of a user except `keep`; returns how many.
pub async fn revoke_all_for_user(
    db: &impl ConnectionTrait,
    user_id: UserId,
    keep: Option<SessionId>,
) -> Result<u64> {
    let mut q = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Utc::now()))
        .filter(Column::UserId.eq(user_id.as_uuid()))
        .filter(Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        q = q.filter(Column::Id.ne(keep.as_uuid()));
    }
    Ok(q.exec(db).await?.rows_affected)
}

fn live(now: DateTime<Utc>, idle_cutoff: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(Column::RevokedAt.is_null())
        .add(Column::ExpiresAt.gt(now))
        .add(Column::LastSeenAt.gt(idle_cutoff))
}

/// Lists live sessions (not revoked, not expired, not idle past `idle_cutoff`), newest first.
pub async fn list_live(
    db: &impl ConnectionTrait,
    user: Option<UserId>,
    idle_cutoff: DateTime<Utc>,
    page: PageRequest,
) -> Result<Page<Session>> {
    let mut q = Entity::find().filter(live(Utc::now(), idle_cutoff));
    if let Some(user) = user {
        q = q.filter(Column::UserId.eq(user.as_uuid()));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(Column::LastSeenAt)
        .order_by_asc(Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(Session::from).collect(),
        total,
    })
}

/// Counts live sessions.
pub async fn count_live(db: &impl ConnectionTrait, idle_cutoff: DateTime<Utc>) -> Result<u64> {
    Ok(Entity::find()
        .filter(live(Utc::now(), idle_cutoff))
        .count(db)
        .await?)
}
