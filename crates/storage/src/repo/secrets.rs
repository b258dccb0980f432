//! Vault secrets (metadata plus an encrypted envelope) and the key-check record.

use super::contains_ci;
use crate::entities::secrets::{ActiveModel, Column, Entity, Model};
use crate::entities::vault_key_check;
use crate::{Page, PageRequest, Result, StorageError};
use chrono::{DateTime, Utc};
use itmgr_domain::{SecretId, SecretKind, UserId};
use itmgr_vault::Envelope;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::BTreeMap;

/// A stored secret. The envelope is opaque here; only the vault can open it.
#[derive(Debug, Clone)]
pub struct Secret {
    pub id: SecretId,
    pub name: String,
    pub kind: SecretKind,
    pub description: String,
    pub scope: String,
    pub tags: BTreeMap<String, String>,
    /// Non-secret facts about the value (e.g. its length class, a fingerprint).
    pub metadata: serde_json::Value,
    pub envelope: Envelope,
    pub created_by: Option<UserId>,
    pub updated_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    pub value_version: i64,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl TryFrom<Model> for Secret {
    type Error = StorageError;
    fn try_from(m: Model) -> Result<Self> {
        Ok(Self {
            id: SecretId::from_uuid(m.id),
            kind: m.kind.parse().map_err(|_| {
                StorageError::Integrity(format!("unknown secret kind {:?}", m.kind))
            })?,
            tags: serde_json::from_value(m.tags).unwrap_or_default(),
            name: m.name,
            description: m.description,
            scope: m.scope,
            metadata: m.metadata,
            envelope: Envelope {
                ciphertext: m.ciphertext,
                nonce: m.nonce,
                wrapped_key: m.wrapped_key,
                key_nonce: m.key_nonce,
                key_id: m.key_id,
            },
            created_by: m.created_by.map(UserId::from_uuid),
            updated_by: m.updated_by.map(UserId::from_uuid),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            value_version: m.value_version,
            last_used_at: m.last_used_at,
            expires_at: m.expires_at,
        })
    }
}

/// A secret to insert; the id is chosen by the caller because the ciphertext is bound to it.
#[derive(Debug)]
pub struct NewSecret {
    pub id: SecretId,
    pub name: String,
    pub kind: SecretKind,
    pub description: String,
    pub tags: BTreeMap<String, String>,
    pub metadata: serde_json::Value,
    pub envelope: Envelope,
    pub created_by: Option<UserId>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Metadata changes; `None` keeps a field.
#[derive(Debug, Default)]
pub struct SecretChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub tags: Option<BTreeMap<String, String>>,
    pub expires_at: Option<Option<DateTime<Utc>>>,
}

/// List filter.
#[derive(Debug, Default)]
pub struct SecretFilter {
    pub q: Option<String>,
    pub kind: Option<SecretKind>,
}

/// Inserts a secret; a taken name is `Conflict { field: "name" }`.
pub async fn insert(db: &impl ConnectionTrait, new: NewSecret) -> Result<Secret> {
    let now = Utc::now();
    let model = ActiveModel {
        id: Set(new.id.as_uuid()),
        name: Set(new.name),
        kind: Set(new.kind.as_str().to_owned()),
        description: Set(new.description),
        scope: Set("global".into()),
        tags: Set(serde_json::to_value(&new.tags).unwrap_or_default()),
        metadata: Set(new.metadata),
        ciphertext: Set(new.envelope.ciphertext),
        nonce: Set(new.envelope.nonce),
        wrapped_key: Set(new.envelope.wrapped_key),
        key_nonce: Set(new.envelope.key_nonce),
        key_id: Set(new.envelope.key_id),
        created_by: Set(new.created_by.map(|u| u.as_uuid())),
        updated_by: Set(new.created_by.map(|u| u.as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        value_version: Set(1),
        last_used_at: Set(None),
        expires_at: Set(new.expires_at),
    }
    .insert(db)
    .await
    .map_err(|e| StorageError::from_write(e, &["name"]))?;
    model.try_into()
}

/// Finds a secret by id.
pub async fn find_by_id(db: &impl ConnectionTrait, id: SecretId) -> Result<Secret> {
    Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .try_into()
}

/// Finds a global secret by name.
pub async fn find_by_name(db: &impl ConnectionTrait, name: &str) -> Result<Option<Secret>> {
    Entity::find()
        .filter(Column::Scope.eq("global"))
        .filter(Column::Name.eq(name))
        .one(db)
        .await?
        .map(Secret::try_from)
        .transpose()
}

/// Lists secrets by name.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &SecretFilter,
    page: PageRequest,
) -> Result<Page<Secret>> {
    let mut cond = Condition::all();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.is_empty()) {
        cond = cond.add(
            Condition::any()
                .add(contains_ci(Column::Name, q))
                .add(contains_ci(Column::Description, q)),
        );
    }
    if let Some(kind) = filter.kind {
        cond = cond.add(Column::Kind.eq(kind.as_str()));
    }
    let q = Entity::find().filter(cond);
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(Column::Name)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(Secret::try_from)
            .collect::<Result<_>>()?,
        total,
    })
}

fn versioned(id: SecretId, version: i64, by: Option<UserId>) -> sea_orm::UpdateMany<Entity> {
    Entity::update_many()
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(Column::UpdatedBy, Expr::value(by.map(|u| u.as_uuid())))
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::Version.eq(version))
}

async fn finish(db: &impl ConnectionTrait, id: SecretId, rows: u64) -> Result<Secret> {
    if rows == 0 {
        find_by_id(db, id).await?;
        return Err(StorageError::StaleVersion);
    }
    find_by_id(db, id).await
}

/// Changes metadata when `version` is current.
pub async fn update(
    db: &impl ConnectionTrait,
    id: SecretId,
    version: i64,
    by: Option<UserId>,
    c: SecretChanges,
) -> Result<Secret> {
    let mut q = versioned(id, version, by);
    if let Some(v) = c.name {
        q = q.col_expr(Column::Name, Expr::value(v));
    }
    if let Some(v) = c.description {
        q = q.col_expr(Column::Description, Expr::value(v));
    }
    if let Some(v) = c.tags {
        q = q.col_expr(
            Column::Tags,
            Expr::value(serde_json::to_value(v).unwrap_or_default()),
        );
    }
    if let Some(v) = c.expires_at {
        q = q.col_expr(Column::ExpiresAt, Expr::value(v));
    }
    let rows = q
        .exec(db)
        .await
        .map_err(|e| StorageError::from_write(e, &["name"]))?
        .rows_affected;
    finish(db, id, rows).await
}

/// Replaces the value: the caller sealed `envelope` for `value_version`, which must be the stored one plus one.
pub async fn replace_value(
    db: &impl ConnectionTrait,
    id: SecretId,
    version: i64,
    by: Option<UserId>,
    value_version: i64,
    envelope: Envelope,
    metadata: serde_json::Value,
) -> Result<Secret> {
    let rows = versioned(id, version, by)
        .col_expr(Column::ValueVersion, Expr::value(value_version))
        .col_expr(Column::Ciphertext, Expr::value(envelope.ciphertext))
        .col_expr(Column::Nonce, Expr::value(envelope.nonce))
        .col_expr(Column::WrappedKey, Expr::value(envelope.wrapped_key))
        .col_expr(Column::KeyNonce, Expr::value(envelope.key_nonce))
        .col_expr(Column::KeyId, Expr::value(envelope.key_id))
        .col_expr(Column::Metadata, Expr::value(metadata))
        .filter(Column::ValueVersion.eq(value_version - 1))
        .exec(db)
        .await?
        .rows_affected;
    finish(db, id, rows).await
}

/// Replaces only the wrapped data key (master-key rotation); versions are untouched.
pub async fn rewrap(db: &impl ConnectionTrait, id: SecretId, envelope: &Envelope) -> Result<()> {
    Entity::update_many()
        .col_expr(
            Column::WrappedKey,
            Expr::value(envelope.wrapped_key.clone()),
        )
        .col_expr(Column::KeyNonce, Expr::value(envelope.key_nonce.clone()))
        .col_expr(Column::KeyId, Expr::value(envelope.key_id.clone()))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Stamps a use by a resolver.
pub async fn touch(db: &impl ConnectionTrait, id: SecretId) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::LastUsedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes a secret.
pub async fn delete(db: &impl ConnectionTrait, id: SecretId) -> Result<()> {
    if Entity::delete_by_id(id.as_uuid())
        .exec(db)
        .await?
        .rows_affected
        == 0
    {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Names of the given secrets (for display next to the things that use them); unknown ids are absent.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: &[SecretId],
) -> Result<std::collections::HashMap<SecretId, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Name)
        .filter(Column::Id.is_in(ids.iter().map(|i| i.as_uuid())))
        .into_tuple::<(uuid::Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name)| (SecretId::from_uuid(id), name))
        .collect())
}

/// Every secret, for `vault check` and rotation (the vault is small: thousands, not millions).
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Secret>> {
    Entity::find()
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Secret::try_from)
        .collect()
}

/// Counts secrets.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(Entity::find().count(db).await?)
}

/// The key-check record, if one was written.
pub async fn key_check(db: &impl ConnectionTrait) -> Result<Option<Envelope>> {
    Ok(vault_key_check::Entity::find_by_id(1)
        .one(db)
        .await?
        .map(|m| Envelope {
            ciphertext: m.ciphertext,
            nonce: m.nonce,
            wrapped_key: m.wrapped_key,
            key_nonce: m.key_nonce,
            key_id: m.key_id,
        }))
}

/// Writes (or replaces, on rotation) the key-check record.
pub async fn put_key_check(db: &impl ConnectionTrait, env: &Envelope) -> Result<()> {
    vault_key_check::Entity::delete_many().exec(db).await?;
    vault_key_check::ActiveModel {
        id: Set(1),
        ciphertext: Set(env.ciphertext.clone()),
        nonce: Set(env.nonce.clone()),
        wrapped_key: Set(env.wrapped_key.clone()),
        key_nonce: Set(env.key_nonce.clone()),
        key_id: Set(env.key_id.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}
