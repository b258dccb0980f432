//! Personal API tokens.

use super::audit::Event;
use super::not_found;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::Utc;
use itmgr_auth::{perm, Capability, OpaqueToken, TokenKind};
use itmgr_domain::ApiTokenId;
use itmgr_storage::repo::tokens::{self as repo, ApiToken};
use itmgr_storage::{commit, Page, PageRequest};

/// Lists the caller's usable tokens.
pub async fn list(
    state: &AppState,
    cap: Capability<perm::ProfileManage>,
    page: PageRequest,
) -> ApiResult<Page<ApiToken>> {
    Ok(repo::list_for_user(state.db.conn(), cap.principal().user_id, page).await?)
}

/// Creates a token; the secret is returned once and only its hash is kept.
pub async fn create(
    state: &AppState,
    cap: Capability<perm::ProfileManage>,
    ctx: &RequestContext,
    name: &str,
    expires_in_days: Option<u32>,
) -> ApiResult<(ApiToken, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(ApiError::field(
            "name",
            "must be 1 to 64 printable characters",
        ));
    }
    if expires_in_days.is_some_and(|d| !(1..=3650).contains(&d)) {
        return Err(ApiError::field(
            "expires_in_days",
            "must be between 1 and 3650 days",
        ));
    }
    let token = OpaqueToken::generate(TokenKind::Api);
    let expires_at = expires_in_days.map(|d| Utc::now() + chrono::Duration::days(d.into()));
    let txn = state.db.begin().await?;
    let stored = repo::insert(
        &txn,
        cap.principal().user_id,
        name,
        &token.hash,
        &token.display_prefix,
        expires_at,
    )
    .await?;
    Event::new(ctx, Some(cap.principal()), "token.create")
        .target("api_token", stored.id, Some(name))
        .diff(serde_json::json!({ "name": name, "expires_at": expires_at, "prefix": token.display_prefix }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok((stored, token.secret))
}

/// Revokes one of the caller's tokens.
pub async fn revoke(
    state: &AppState,
    cap: Capability<perm::ProfileManage>,
    ctx: &RequestContext,
    id: ApiTokenId,
) -> ApiResult<()> {
    let txn = state.db.begin().await?;
    let token = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("API token"))?;
    if token.user_id != cap.principal().user_id || token.revoked_at.is_some() {
        return Err(ApiError::NotFound("API token"));
    }
    repo::revoke(&txn, id).await?;
    Event::new(ctx, Some(cap.principal()), "token.revoke")
        .target("api_token", id, Some(&token.name))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(())
}
