//! Figures for the dashboard.

use crate::error::ApiResult;
use crate::state::AppState;
use chrono::Utc;
use itmgr_auth::{perm, Capability};
use itmgr_storage::repo::audit::{self, AuditEvent, AuditFilter};
use itmgr_storage::{repo, PageRequest};

/// What the dashboard shows.
pub struct Figures {
    pub users_total: u64,
    pub users_disabled: u64,
    pub active_sessions: u64,
    pub api_tokens: u64,
    pub audit_events_24h: u64,
    pub failed_logins_24h: u64,
    /// Only filled when the caller may read the audit log.
    pub recent_events: Vec<AuditEvent>,
}

/// Collects the figures.
pub async fn figures(state: &AppState, cap: Capability<perm::DashboardRead>) -> ApiResult<Figures> {
    let db = state.db.conn();
    let settings = state.settings().await?;
    let now = Utc::now();
    let day_ago = now - chrono::Duration::hours(24);
    let idle_cutoff = now - chrono::Duration::minutes(settings.session_idle_timeout_minutes.into());
    let recent_events = match cap.principal().require::<perm::AuditRead>() {
        Ok(_) => {
            audit::list(
                db,
                &AuditFilter::default(),
                PageRequest {
                    limit: 10,
                    offset: 0,
                },
            )
            .await?
            .items
        }
        Err(_) => Vec::new(),
    };
    Ok(Figures {
        users_total: repo::users::count(db, false, false).await?,
        users_disabled: repo::users::count(db, false, true).await?,
        active_sessions: repo::sessions::count_live(db, idle_cutoff).await?,
        api_tokens: repo::tokens::count_usable(db).await?,
        audit_events_24h: audit::count_since(db, day_ago, None).await?,
        failed_logins_24h: audit::count_since(db, day_ago, Some("auth.login_failed")).await?,
        recent_events,
    })
}
