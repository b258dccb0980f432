//! `/api/v1/sessions`: one's own sessions; administrators see and revoke anyone's.

use super::page_type;
use crate::context::RequestContext;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Path, Query};
use crate::services::{self, sessions::Scope};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use itmgr_auth::perm;
use itmgr_domain::{SessionId, UserId};
use itmgr_storage::repo::sessions::Session as SessionRow;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A live login session.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    pub id: Uuid,
    pub user_id: Uuid,
    pub username: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session making this request.
    pub current: bool,
}

page_type!(SessionPage, Session);

/// Whose sessions to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionListParams {
    /// `all` (administrators) or omitted for one's own.
    pub scope: Option<String>,
    /// With `scope=all`: only this user's.
    pub user_id: Option<Uuid>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Lists live sessions.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sessions", params(SessionListParams),
    responses((status = 200, body = SessionPage), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_sessions(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<SessionListParams>,
) -> ApiResult<axum::Json<SessionPage>> {
    let scope = if q.scope.as_deref() == Some("all")
        || q.user_id.is_some_and(|u| u != p.user_id.as_uuid())
    {
        Scope::All(
            p.require::<perm::SessionsReadAll>()?,
            q.user_id.map(UserId::from_uuid),
        )
    } else {
        Scope::Own(p.require::<perm::ProfileManage>()?)
    };
    let page = services::page(q.limit, q.offset);
    let sessions = services::sessions::list(&state, scope, page).await?;
    // Names for the page's users in one pass; pages are small.
    let mut names = HashMap::new();
    for s in &sessions.items {
        if let std::collections::hash_map::Entry::Vacant(e) = names.entry(s.user_id) {
            let name = itmgr_storage::repo::users::find_by_id(state.db.conn(), s.user_id)
                .await
                .map(|u| u.username)
                .unwrap_or_default();
            e.insert(name);
        }
    }
    let current = p.session_id();
    Ok(axum::Json(SessionPage::from_page(
        sessions,
        page,
        |s: SessionRow| Session {
            id: s.id.as_uuid(),
            user_id: s.user_id.as_uuid(),
            username: names.get(&s.user_id).cloned().unwrap_or_default(),
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
            ip: s.ip,
            user_agent: s.user_agent,
            current: Some(s.id) == current,
        },
    )))
}

/// Revokes a session.
#[utoipa::path(delete, path = "/api/v1/sessions/{id}", tag = "sessions", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn revoke_session(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<SessionId>,
) -> ApiResult<StatusCode> {
    services::sessions::revoke(&state, &p, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
