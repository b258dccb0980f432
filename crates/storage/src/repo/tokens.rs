//! Personal API tokens.

use crate::entities::api_tokens::{ActiveModel, Column, Entity, Model};
use crate::{Page, PageRequest, Result, StorageError};
use chrono::{DateTime, Utc};
use itmgr_domain::{ApiTokenId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

/// A stored API token (its hash stays in this crate).
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<Model> for ApiToken {
    fn from(m: Model) -> Self {
        Self {
            id: ApiTokenId::from_uuid(m.id),
            user_id: UserId::from_uuid(m.user_id),
            name: m.name,
            prefix: m.prefix,
            created_at: m.created_at,
            expires_at: m.expires_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
        }
    }
}

/// Stores a new token by its hash.
pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: UserId,
    name: &str,
    hash: &str,
    prefix: &str,
    expires_at: Option<DateTime<Utc>>,
) -> Result<ApiToken> {
    let model = ActiveModel {
        id: Set(ApiTokenId::new().as_uuid()),
        user_id: Set(user_id.as_uuid()),
        name: Set(name.to_owned()),
        token_hash: Set(hash.to_owned()),
        prefix: Set(prefix.to_owned()),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(model.into())
}

fn usable(now: DateTime<Utc>) -> Condition {
    Condition::all().add(Column::RevokedAt.is_null()).add(
        Condition::any()
            .add(Column::ExpiresAt.is_null())
            .add(Column::ExpiresAt.gt(now)),
    )
}

/// Finds a usable (not revoked, not expired) token by hash.
pub async fn find_usable_by_hash(
    db: &impl ConnectionTrait,
    hash: &str,
) -> Result<Option<ApiToken>> {
    Ok(Entity::find()
        .filter(Column::TokenHash.eq(hash))
        .filter(usable(Utc::now()))
        .one(db)
        .await?
        .map(ApiToken::from))
}

/// Finds a token by id.
pub async fn find_by_id(db: &impl ConnectionTrait, id: ApiTokenId) -> Result<ApiToken> {
    Ok(Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .into())
}

/// Stamps the last use.
pub async fn touch(db: &impl ConnectionTrait, id: ApiTokenId) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::LastUsedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Lists a user's usable tokens, newest first.
pub async fn list_for_user(
    db: &impl ConnectionTrait,
    user_id: UserId,
    page: PageRequest,
) -> Result<Page<ApiToken>> {
    let q = Entity::find()
        .filter(Column::UserId.eq(user_id.as_uuid()))
        .filter(usable(Utc::now()));
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(Column::CreatedAt)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(ApiToken::from).collect(),
        total,
    })
}

/// Revokes a token; `false` when it was already revoked.
pub async fn revoke(db: &impl ConnectionTrait, id: ApiTokenId) -> Result<bool> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Counts usable tokens across all users.
pub async fn count_usable(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(Entity::find().filter(usable(Utc::now())).count(db).await?)
}
