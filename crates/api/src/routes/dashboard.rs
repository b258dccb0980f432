//! `/api/v1/dashboard`.

use super::audit::AuditEvent;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;
use crate::services;
use crate::state::AppState;
use axum::extract::State;
use itmgr_auth::perm;
use serde::Serialize;
use utoipa::ToSchema;

/// Figures for the dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub users_total: u64,
    pub users_disabled: u64,
    pub active_sessions: u64,
    pub api_tokens: u64,
    pub audit_events_24h: u64,
    pub failed_logins_24h: u64,
    /// The ten newest audit events (empty without `audit:read`).
    pub recent_events: Vec<AuditEvent>,
}

/// Reads the dashboard figures.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "dashboard",
    responses((status = 200, body = Dashboard), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_dashboard(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<Dashboard>> {
    let cap = p.require::<perm::DashboardRead>()?;
    let f = services::dashboard::figures(&state, cap).await?;
    Ok(axum::Json(Dashboard {
        users_total: f.users_total,
        users_disabled: f.users_disabled,
        active_sessions: f.active_sessions,
        api_tokens: f.api_tokens,
        audit_events_24h: f.audit_events_24h,
        failed_logins_24h: f.failed_logins_24h,
        recent_events: f.recent_events.into_iter().map(AuditEvent::from).collect(),
    }))
}
