//! The append-only audit log. There is deliberately no update function, and
//! the only delete is retention.

use super::contains_ci;
use crate::entities::audit_events::{ActiveModel, Column, Entity, Model};
use crate::{Page, PageRequest, Result};
use chrono::{DateTime, Utc};
use itmgr_domain::{ActorType, AuditOutcome};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, NotSet, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

/// An event to append.
#[derive(Debug, Clone)]
pub struct NewAuditEvent {
    pub actor_type: ActorType,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub target_name: Option<String>,
    pub outcome: AuditOutcome,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    /// Changed fields, already redacted by the caller.
    pub diff: Option<serde_json::Value>,
}

/// A stored event.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_type: ActorType,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub target_name: Option<String>,
    pub outcome: AuditOutcome,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub diff: Option<serde_json::Value>,
}

impl From<Model> for AuditEvent {
    fn from(m: Model) -> Self {
        Self {
            id: m.id,
            occurred_at: m.occurred_at,
            actor_type: m.actor_type.parse().unwrap_or(ActorType::System),
            actor_id: m.actor_id,
            actor_name: m.actor_name,
            action: m.action,
            target_type: m.target_type,
            target_id: m.target_id,
            target_name: m.target_name,
            outcome: m.outcome.parse().unwrap_or(AuditOutcome::Failure),
            ip: m.ip,
            user_agent: m.user_agent,
            request_id: m.request_id,
            diff: m.diff,
        }
    }
}

/// Filters for listing and export.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    /// Matches the actor's id exactly or a substring of the actor's name.
    pub actor: Option<String>,
    /// An exact action, or a prefix when it ends with `.` (e.g. `auth.`).
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub outcome: Option<AuditOutcome>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Appends one event.
pub async fn insert(db: &impl ConnectionTrait, e: NewAuditEvent) -> Result<i64> {
    let model = ActiveModel {
        id: NotSet,
        occurred_at: Set(Utc::now()),
        actor_type: Set(e.actor_type.as_str().to_owned()),
        actor_id: Set(e.actor_id),
        actor_name: Set(e.actor_name),
        action: Set(e.action),
        target_type: Set(e.target_type),
        target_id: Set(e.target_id),
        target_name: Set(e.target_name),
        outcome: Set(e.outcome.as_str().to_owned()),
        ip: Set(e.ip),
        user_agent: Set(e.user_agent),
        request_id: Set(e.request_id),
        diff: Set(e.diff),
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

fn condition(f: &AuditFilter) -> Condition {
    let mut c = Condition::all();
    if let Some(actor) = f.actor.as_deref().filter(|s| !s.is_empty()) {
        c = c.add(
            Condition::any()
                .add(Column::ActorId.eq(actor))
                .add(contains_ci(Column::ActorName, actor)),
        );
    }
    if let Some(action) = f.action.as_deref().filter(|s| !s.is_empty()) {
        c = c.add(if action.ends_with('.') {
            Column::Action.starts_with(action)
        } else {
            Column::Action.eq(action)
        });
    }
    if let Some(v) = f.target_type.as_deref().filter(|s| !s.is_empty()) {
        c = c.add(Column::TargetType.eq(v));
    }
    if let Some(v) = f.target_id.as_deref().filter(|s| !s.is_empty()) {
        c = c.add(Column::TargetId.eq(v));
    }
    if let Some(v) = f.outcome {
        c = c.add(Column::Outcome.eq(v.as_str()));
    }
    if let Some(v) = f.from {
        c = c.add(Column::OccurredAt.gte(v));
    }
    if let Some(v) = f.to {
        c = c.add(Column::OccurredAt.lt(v));
    }
    c
}

/// Lists events, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<Page<AuditEvent>> {
    let q = Entity::find().filter(condition(filter));
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(AuditEvent::from).collect(),
        total,
    })
}

/// Counts events since `since`, optionally of one action.
pub async fn count_since(
    db: &impl ConnectionTrait,
    since: DateTime<Utc>,
    action: Option<&str>,
) -> Result<u64> {
    let mut q = Entity::find().filter(Column::OccurredAt.gte(since));
    if let Some(action) = action {
        q = q.filter(Column::Action.eq(action));
    }
    Ok(q.count(db).await?)
}

/// Retention: deletes events older than `cutoff`; returns how many.
pub async fn delete_older_than(db: &impl ConnectionTrait, cutoff: DateTime<Utc>) -> Result<u64> {
    Ok(Entity::delete_many()
        .filter(Column::OccurredAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}
