//! `/api/v1/audit`: reading and exporting the audit log. There is no write endpoint.

use super::page_type;
use crate::context::RequestContext;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query};
use crate::services;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use itmgr_auth::perm;
use itmgr_domain::{ActorType, AuditOutcome};
use itmgr_storage::repo::audit::{AuditEvent as EventRow, AuditFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One audited action.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_type: ActorType,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    /// e.g. `user.create`, `auth.login_failed`.
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub target_name: Option<String>,
    pub outcome: AuditOutcome,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    /// Changed fields, secrets redacted.
    #[schema(value_type = Option<Object>)]
    pub diff: Option<serde_json::Value>,
}

impl From<EventRow> for AuditEvent {
    fn from(e: EventRow) -> Self {
        Self {
            id: e.id,
            occurred_at: e.occurred_at,
            actor_type: e.actor_type,
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            action: e.action,
            target_type: e.target_type,
            target_id: e.target_id,
            target_name: e.target_name,
            outcome: e.outcome,
            ip: e.ip,
            user_agent: e.user_agent,
            request_id: e.request_id,
            diff: e.diff,
        }
    }
}

page_type!(AuditPage, AuditEvent);

/// Audit filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Actor id, or part of the actor's name.
    pub actor: Option<String>,
    /// Exact action, or a prefix ending in `.` (`auth.`).
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub outcome: Option<AuditOutcome>,
    /// Inclusive lower bound (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Exclusive upper bound (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

impl AuditParams {
    fn filter(&self) -> AuditFilter {
        AuditFilter {
            actor: self.actor.clone(),
            action: self.action.clone(),
            target_type: self.target_type.clone(),
            target_id: self.target_id.clone(),
            outcome: self.outcome,
            from: self.from,
            to: self.to,
        }
    }
}

/// Lists audit events, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_audit_events(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<AuditParams>,
) -> ApiResult<axum::Json<AuditPage>> {
    let cap = p.require::<perm::AuditRead>()?;
    let page = services::page(q.limit, q.offset);
    let events = services::audit::list(&state, cap, &q.filter(), page).await?;
    Ok(axum::Json(AuditPage::from_page(
        events,
        page,
        AuditEvent::from,
    )))
}

/// Exports matching audit events as CSV (at most 100,000 rows).
#[utoipa::path(get, path = "/api/v1/audit/export", tag = "audit", params(AuditParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn export_audit_events(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Query(q): Query<AuditParams>,
) -> ApiResult<impl IntoResponse> {
    let cap = p.require::<perm::AuditExport>()?;
    let csv = services::audit::export_csv(&state, cap, &ctx, &q.filter()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit.csv\"",
            ),
        ],
        csv,
    ))
}
