//! Listing and revoking login sessions.

use super::audit::Event;
use super::not_found;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::Utc;
use itmgr_auth::{perm, Capability, Principal};
use itmgr_domain::{SessionId, UserId};
use itmgr_storage::repo::sessions::{self as repo, Session};
use itmgr_storage::{commit, Page, PageRequest};

/// Whose sessions to list.
pub enum Scope {
    /// The caller's own.
    Own(Capability<perm::ProfileManage>),
    /// Anyone's (optionally one user's).
    All(Capability<perm::SessionsReadAll>, Option<UserId>),
}

/// Lists live sessions.
pub async fn list(state: &AppState, scope: Scope, page: PageRequest) -> ApiResult<Page<Session>> {
    let settings = state.settings().await?;
    let idle_cutoff =
        Utc::now() - chrono::Duration::minutes(settings.session_idle_timeout_minutes.into());
    let user = match &scope {
        Scope::Own(cap) => Some(cap.principal().user_id),
        Scope::All(_, user) => *user,
    };
    Ok(repo::list_live(state.db.conn(), user, idle_cutoff, page).await?)
}

/// Revokes a session: one's own with `profile:manage`, anyone's with `sessions:revoke_all`.
pub async fn revoke(
    state: &AppState,
    principal: &Principal,
    ctx: &RequestContext,
    id: SessionId,
) -> ApiResult<()> {
    let txn = state.db.begin().await?;
    let session = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("session"))?;
    if session.user_id == principal.user_id {
        principal.require::<perm::ProfileManage>()?;
    } else if principal.require::<perm::SessionsRevokeAll>().is_err() {
        // Someone else's session is none of the caller's business: do not confirm it exists.
        return Err(ApiError::NotFound("session"));
    }
    repo::revoke(&txn, id).await?;
    Event::new(ctx, Some(principal), "session.revoke")
        .target("session", id, None)
        .diff(serde_json::json!({ "user_id": session.user_id }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(())
}
