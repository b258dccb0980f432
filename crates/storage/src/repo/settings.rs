//! System settings: one row, optimistic locking like every mutable resource.

use crate::entities::settings::{ActiveModel, Column, Entity, Model};
use crate::{Result, StorageError};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

const ROW_ID: i32 = 1;

/// The stored settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub session_idle_timeout_minutes: i32,
    pub session_absolute_lifetime_hours: i32,
    pub audit_retention_days: i32,
    /// Run retention chosen on the Settings page; `None` fields follow the configuration.
    pub run_retention: RunRetention,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// How long finished runs are kept. Each `None` means "as configured"; 0 means no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunRetention {
    /// Finished runs older than this many days are deleted.
    pub days: Option<i64>,
    /// Runs kept per playbook, newest first.
    pub kept_per_playbook: Option<i64>,
    /// Stored run output kept in all, MiB (oldest runs go first).
    pub logs_max_mb: Option<i64>,
}

/// Settings values without bookkeeping, for defaults and updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingsValues {
    pub session_idle_timeout_minutes: i32,
    pub session_absolute_lifetime_hours: i32,
    pub audit_retention_days: i32,
}

impl From<Model> for Settings {
    fn from(m: Model) -> Self {
        Self {
            session_idle_timeout_minutes: m.session_idle_timeout_minutes,
            session_absolute_lifetime_hours: m.session_absolute_lifetime_hours,
            audit_retention_days: m.audit_retention_days,
            run_retention: RunRetention {
                days: m.run_retention_days,
                kept_per_playbook: m.runs_kept_per_playbook,
                logs_max_mb: m.run_logs_max_mb,
            },
            updated_at: m.updated_at,
            version: m.version,
        }
    }
}

/// Inserts the settings row with `defaults` unless it exists.
pub async fn ensure(db: &impl ConnectionTrait, defaults: SettingsValues) -> Result<Settings> {
    if let Some(m) = Entity::find_by_id(ROW_ID).one(db).await? {
        return Ok(m.into());
    }
    let model = ActiveModel {
        id: Set(ROW_ID),
        session_idle_timeout_minutes: Set(defaults.session_idle_timeout_minutes),
        session_absolute_lifetime_hours: Set(defaults.session_absolute_lifetime_hours),
        audit_retention_days: Set(defaults.audit_retention_days),
        run_retention_days: Set(None),
        runs_kept_per_playbook: Set(None),
        run_logs_max_mb: Set(None),
        updated_at: Set(Utc::now()),
        version: Set(1),
    };
    match model.insert(db).await {
        Ok(m) => Ok(m.into()),
        // Another process inserted it first: read theirs.
        Err(_) => get(db).await,
    }
}

/// Reads the settings.
pub async fn get(db: &impl ConnectionTrait) -> Result<Settings> {
    Ok(Entity::find_by_id(ROW_ID)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .into())
}

/// Writes new values if the version still matches.
pub async fn update(
    db: &impl ConnectionTrait,
    version: i64,
    v: SettingsValues,
    retention: RunRetention,
) -> Result<Settings> {
    let result = Entity::update_many()
        .col_expr(
            Column::SessionIdleTimeoutMinutes,
            Expr::value(v.session_idle_timeout_minutes),
        )
        .col_expr(
            Column::SessionAbsoluteLifetimeHours,
            Expr::value(v.session_absolute_lifetime_hours),
        )
        .col_expr(
            Column::AuditRetentionDays,
            Expr::value(v.audit_retention_days),
        )
        .col_expr(Column::RunRetentionDays, Expr::value(retention.days))
        .col_expr(
            Column::RunsKeptPerPlaybook,
            Expr::value(retention.kept_per_playbook),
        )
        .col_expr(Column::RunLogsMaxMb, Expr::value(retention.logs_max_mb))
        .col_expr(Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(ROW_ID))
        .filter(Column::Version.eq(version))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(StorageError::StaleVersion);
    }
    get(db).await
}
