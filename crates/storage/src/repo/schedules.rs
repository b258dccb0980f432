//! Schedules: when a playbook runs by itself. Firing is claimed with a compare-and-set on
//! `next_fire_at`, so with any number of servers each slot fires once.

use crate::entities::schedules;
use crate::{Result, StorageError};
use chrono::{DateTime, Utc};
use itmgr_domain::{PlaybookId, RunId, ScheduleId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

/// A schedule as stored.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub id: ScheduleId,
    pub playbook_id: PlaybookId,
    pub name: String,
    /// A 5-field cron expression, or `None` with `interval_seconds`.
    pub cron: Option<String>,
    pub interval_seconds: Option<i64>,
    /// An IANA zone such as `Europe/Paris`.
    pub timezone: String,
    pub enabled: bool,
    pub ends_at: Option<DateTime<Utc>>,
    /// Target and variable overrides for the launches.
    pub overrides: serde_json::Value,
    /// `skip` or `queue` when the previous run is still going.
    pub overlap: String,
    /// `run_once` or `skip` for slots missed while no server was up.
    pub missed: String,
    pub next_fire_at: Option<DateTime<Utc>>,
    pub last_fired_at: Option<DateTime<Utc>>,
    pub last_run_id: Option<RunId>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

impl From<schedules::Model> for Schedule {
    fn from(m: schedules::Model) -> Self {
        Self {
            id: ScheduleId::from_uuid(m.id),
            playbook_id: PlaybookId::from_uuid(m.playbook_id),
            name: m.name,
            cron: m.cron,
            interval_seconds: m.interval_seconds,
            timezone: m.timezone,
            enabled: m.enabled,
            ends_at: m.ends_at,
            overrides: m.overrides,
            overlap: m.overlap,
            missed: m.missed,
            next_fire_at: m.next_fire_at,
            last_fired_at: m.last_fired_at,
            last_run_id: m.last_run_id.map(RunId::from_uuid),
            created_by: m.created_by.map(UserId::from_uuid),
            created_at: m.created_at,
        }
    }
}

fn active(s: &Schedule) -> schedules::ActiveModel {
    schedules::ActiveModel {
        id: Set(s.id.as_uuid()),
        playbook_id: Set(s.playbook_id.as_uuid()),
        name: Set(s.name.clone()),
        cron: Set(s.cron.clone()),
        interval_seconds: Set(s.interval_seconds),
        timezone: Set(s.timezone.clone()),
        enabled: Set(s.enabled),
        ends_at: Set(s.ends_at),
        overrides: Set(s.overrides.clone()),
        overlap: Set(s.overlap.clone()),
        missed: Set(s.missed.clone()),
        next_fire_at: Set(s.next_fire_at),
        last_fired_at: Set(s.last_fired_at),
        last_run_id: Set(s.last_run_id.map(|r| r.as_uuid())),
        created_by: Set(s.created_by.map(|u| u.as_uuid())),
        created_at: Set(s.created_at),
    }
}

/// Stores a new schedule.
pub async fn insert(db: &impl ConnectionTrait, s: &Schedule) -> Result<()> {
    active(s).insert(db).await?;
    Ok(())
}

/// Saves a schedule.
pub async fn update(db: &impl ConnectionTrait, s: &Schedule) -> Result<()> {
    let mut m = active(s);
    m.created_at = sea_orm::ActiveValue::NotSet;
    m.created_by = sea_orm::ActiveValue::NotSet;
    m.update(db).await?;
    Ok(())
}

/// A schedule by id.
pub async fn find(db: &impl ConnectionTrait, id: ScheduleId) -> Result<Schedule> {
    Ok(schedules::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .into())
}

/// Deletes a schedule.
pub async fn delete(db: &impl ConnectionTrait, id: ScheduleId) -> Result<()> {
    let r = schedules::Entity::delete_by_id(id.as_uuid())
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// All schedules (optionally of one playbook), by name.
pub async fn list(
    db: &impl ConnectionTrait,
    playbook: Option<PlaybookId>,
) -> Result<Vec<Schedule>> {
    let mut q = schedules::Entity::find();
    if let Some(p) = playbook {
        q = q.filter(schedules::Column::PlaybookId.eq(p.as_uuid()));
    }
    Ok(q.order_by_asc(schedules::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(Schedule::from)
        .collect())
}

/// Enabled schedules due at `now`.
pub async fn due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<Schedule>> {
    Ok(schedules::Entity::find()
        .filter(schedules::Column::Enabled.eq(true))
        .filter(schedules::Column::NextFireAt.lte(now))
        .order_by_asc(schedules::Column::NextFireAt)
        .all(db)
        .await?
        .into_iter()
        .map(Schedule::from)
        .collect())
}

/// Claims the slot `expected` of a schedule by moving its next fire time on to `next`: only one
/// caller among any number of servers sees `true` for a slot.
pub async fn claim_slot(
    db: &impl ConnectionTrait,
    id: ScheduleId,
    expected: DateTime<Utc>,
    next: Option<DateTime<Utc>>,
    fired_at: DateTime<Utc>,
) -> Result<bool> {
    let r = schedules::Entity::update_many()
        .col_expr(schedules::Column::NextFireAt, Expr::value(next))
        .col_expr(schedules::Column::LastFiredAt, Expr::value(Some(fired_at)))
        .filter(schedules::Column::Id.eq(id.as_uuid()))
        .filter(schedules::Column::NextFireAt.eq(expected))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Records the run a fire started.
pub async fn set_last_run(db: &impl ConnectionTrait, id: ScheduleId, run: RunId) -> Result<()> {
    schedules::Entity::update_many()
        .col_expr(
            schedules::Column::LastRunId,
            Expr::value(Some(run.as_uuid())),
        )
        .filter(schedules::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}
