//! User accounts.

use super::contains_ci;
use crate::entities::users::{ActiveModel, Column, Entity, Model};
use crate::{Page, PageRequest, Result, StorageError};
use chrono::{DateTime, Utc};
use itmgr_domain::{Role, UserId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

/// A stored user (never an API type: the password hash is here).
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub password_hash: String,
    pub disabled: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl TryFrom<Model> for User {
    type Error = StorageError;
    fn try_from(m: Model) -> Result<Self> {
        Ok(Self {
            id: UserId::from_uuid(m.id),
            role: m
                .role
                .parse()
                .map_err(|_| StorageError::Integrity(format!("unknown role {:?}", m.role)))?,
            username: m.username,
            display_name: m.display_name,
            email: m.email,
            password_hash: m.password_hash,
            disabled: m.disabled,
            must_change_password: m.must_change_password,
            last_login_at: m.last_login_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
        })
    }
}

/// What is needed to create a user.
#[derive(Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub password_hash: String,
    pub must_change_password: bool,
}

/// Fields to change; `None` leaves a field alone (`email: Some(None)` clears it).
#[derive(Debug, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub email: Option<Option<String>>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

/// Columns users can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSort {
    Username,
    DisplayName,
    Role,
    CreatedAt,
    LastLoginAt,
}

/// List filter.
#[derive(Debug, Default)]
pub struct UserFilter {
    pub q: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub sort: Option<(UserSort, bool)>,
}

/// Inserts a user; a taken user name is `Conflict { field: "username" }`.
pub async fn insert(db: &impl ConnectionTrait, new: NewUser) -> Result<User> {
    let now = Utc::now();
    let model = ActiveModel {
        id: Set(UserId::new().as_uuid()),
        username: Set(new.username),
        display_name: Set(new.display_name),
        email: Set(new.email),
        role: Set(new.role.as_str().to_owned()),
        password_hash: Set(new.password_hash),
        disabled: Set(false),
        must_change_password: Set(new.must_change_password),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(db)
    .await
    .map_err(|e| StorageError::from_write(e, &["username"]))?;
    model.try_into()
}

/// Finds a user by id.
pub async fn find_by_id(db: &impl ConnectionTrait, id: UserId) -> Result<User> {
    Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .try_into()
}

/// Finds a user by (normalised) user name.
pub async fn find_by_username(db: &impl ConnectionTrait, username: &str) -> Result<Option<User>> {
    Entity::find()
        .filter(Column::Username.eq(username))
        .one(db)
        .await?
        .map(User::try_from)
        .transpose()
}

/// Lists users matching `filter`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &UserFilter,
    page: PageRequest,
) -> Result<Page<User>> {
    let mut cond = Condition::all();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.is_empty()) {
        cond = cond.add(
            Condition::any()
                .add(contains_ci(Column::Username, q))
                .add(contains_ci(Column::DisplayName, q))
                .add(contains_ci(Column::Email, q)),
        );
    }
    if let Some(role) = filter.role {
        cond = cond.add(Column::Role.eq(role.as_str()));
    }
    if let Some(disabled) = filter.disabled {
        cond = cond.add(Column::Disabled.eq(disabled));
    }
    let query = Entity::find().filter(cond);
    let total = query.clone().count(db).await?;
    let (sort, desc) = filter.sort.unwrap_or((UserSort::Username, false));
    let col = match sort {
        UserSort::Username => Column::Username,
        UserSort::DisplayName => Column::DisplayName,
        UserSort::Role => Column::Role,
        UserSort::CreatedAt => Column::CreatedAt,
        UserSort::LastLoginAt => Column::LastLoginAt,
    };
    let order = if desc {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let rows = query
        .order_by(col, order)
        .order_by_asc(Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(User::try_from)
            .collect::<Result<_>>()?,
        total,
    })
}

/// Applies `changes` if the stored version is still `version`; bumps the version.
pub async fn update(
    db: &impl ConnectionTrait,
    id: UserId,
    version: i64,
    changes: UserChanges,
) -> Result<User> {
    let mut update = Entity::update_many()
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::Version.eq(version));
    if let Some(v) = changes.display_name {
        update = update.col_expr(Column::DisplayName, Expr::value(v));
    }
    if let Some(v) = changes.email {
        update = update.col_expr(Column::Email, Expr::value(v));
    }
    if let Some(v) = changes.role {
        update = update.col_expr(Column::Role, Expr::value(v.as_str()));
    }
    if let Some(v) = changes.disabled {
        update = update.col_expr(Column::Disabled, Expr::value(v));
    }
    let result = update.exec(db).await?;
    if result.rows_affected == 0 {
        // Tell "gone" from "changed under you".
        find_by_id(db, id).await?;
        return Err(StorageError::StaleVersion);
    }
    find_by_id(db, id).await
}

/// Replaces the password hash and sets whether a change is required at next login.
pub async fn set_password(
    db: &impl ConnectionTrait,
    id: UserId,
    hash: &str,
    must_change: bool,
) -> Result<()> {
    let result = Entity::update_many()
        .col_expr(Column::PasswordHash, Expr::value(hash))
        .col_expr(Column::MustChangePassword, Expr::value(must_change))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Stamps a successful login.
pub async fn record_login(db: &impl ConnectionTrait, id: UserId, at: DateTime<Utc>) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::LastLoginAt, Expr::value(at))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes a user (sessions and tokens go with it).
pub async fn delete(db: &impl ConnectionTrait, id: UserId) -> Result<()> {
    let result = Entity::delete_by_id(id.as_uuid()).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Counts users, optionally only enabled admins (to protect the last one).
pub async fn count(
    db: &impl ConnectionTrait,
    only_enabled_admins: bool,
    only_disabled: bool,
) -> Result<u64> {
    let mut q = Entity::find();
    if only_enabled_admins {
        q = q
            .filter(Column::Role.eq(Role::Admin.as_str()))
            .filter(Column::Disabled.eq(false));
    }
    if only_disabled {
        q = q.filter(Column::Disabled.eq(true));
    }
    Ok(q.count(db).await?)
}
