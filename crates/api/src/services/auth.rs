//! Login, refresh-token rotation, logout and password change.

use super::audit::Event;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::Utc;
use itmgr_auth::{
    hash_password, hash_token, verify_password, AccessClaims, OpaqueToken, Principal,
    PrincipalKind, TokenKind,
};
use itmgr_domain::{AuditOutcome, NewPassword, Username};
use itmgr_storage::repo::sessions::{RefreshLookup, Session};
use itmgr_storage::repo::{self, users::User};
use itmgr_storage::{commit, StorageError};
use std::sync::OnceLock;

/// A successful login or refresh.
pub struct Issued {
    /// The signed access token.
    pub access_token: String,
    /// Its lifetime in seconds.
    pub expires_in: u64,
    /// The refresh token for the cookie (never in a body).
    pub refresh_token: String,
    /// When the refresh token (the session) expires at the latest.
    pub refresh_expires_at: chrono::DateTime<Utc>,
    /// Who logged in.
    pub user: User,
    /// The caller as a principal (for the permission list).
    pub principal: Principal,
}

fn issue_access(state: &AppState, user: &User, session: &Session) -> (String, u64) {
    let now = Utc::now().timestamp();
    let ttl = state.config.access_token_ttl.as_secs();
    let claims = AccessClaims {
        sub: user.id.to_string(),
        sid: session.id.to_string(),
        iat: now,
        exp: now + ttl as i64,
    };
    (state.jwt.sign(&claims), ttl)
}

/// A hash of a random password, so that an unknown user name costs the same
/// time as a wrong password and does not reveal which accounts exist.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        hash_password("itmgr-timing-equaliser")
            .map(|h| h.0)
            .unwrap_or_default()
    })
}

async fn verify_blocking(password: String, hash: String) -> ApiResult<bool> {
    // argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))
}

async fn hash_blocking(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map(|h| h.0)
        .map_err(Into::into)
}

/// Hashes a new password on the blocking pool.
pub(crate) async fn hash_new_password(password: &NewPassword) -> ApiResult<String> {
    hash_blocking(password.expose().to_owned()).await
}

/// Checks credentials with back-off per user name and per address, opens a session.
pub async fn login(
    state: &AppState,
    ctx: &RequestContext,
    username: &str,
    password: &str,
) -> ApiResult<Issued> {
    let name = username.trim().to_ascii_lowercase();
    let keys = vec![
        format!("user:{name}"),
        format!("ip:{}", ctx.ip.clone().unwrap_or_default()),
    ];
    if let Some(wait) = state.throttle.check(&keys) {
        Event::new(ctx, None, "auth.login_throttled")
            .actor_name(&name)
            .outcome(AuditOutcome::Denied)
            .write(state.db.conn())
            .await?;
        return Err(ApiError::RateLimited(wait));
    }
    let user = match Username::parse(&name) {
        Ok(u) => repo::users::find_by_username(state.db.conn(), u.as_str()).await?,
        Err(_) => None,
    };
    let hash = user
        .as_ref()
        .map_or_else(|| dummy_hash().to_owned(), |u| u.password_hash.clone());
    let password_ok = verify_blocking(password.to_owned(), hash).await?;
    let user = match user {
        Some(u) if password_ok && !u.disabled => u,
        other => {
            state.throttle.record_failure(&keys);
            let reason = match other {
                None => "unknown_user",
                Some(u) if u.disabled && password_ok => "disabled",
                Some(_) => "wrong_password",
            };
            let mut event = Event::new(ctx, None, "auth.login_failed")
                .actor_name(&name)
                .outcome(AuditOutcome::Failure);
            event = event.diff(serde_json::json!({ "reason": reason }));
            event.write(state.db.conn()).await?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    state.throttle.record_success(&keys[..1]);

    let settings = state.settings().await?;
    let refresh = OpaqueToken::generate(TokenKind::Refresh);
    let expires_at =
        Utc::now() + chrono::Duration::hours(settings.session_absolute_lifetime_hours.into());
    let txn = state.db.begin().await?;
    let session = repo::sessions::insert(
        &txn,
        user.id,
        &refresh.hash,
        expires_at,
        ctx.ip.clone(),
        ctx.user_agent.clone(),
    )
    .await?;
    repo::users::record_login(&txn, user.id, Utc::now()).await?;
    let principal = Principal::new(
        user.id,
        user.username.clone(),
        user.role,
        PrincipalKind::Session(session.id),
    );
    Event::new(ctx, Some(&principal), "auth.login")
        .target("session", session.id, Some(&user.username))
        .write(&txn)
        .await?;
    commit(txn).await?;
    let (access_token, expires_in) = issue_access(state, &user, &session);
    Ok(Issued {
        access_token,
        expires_in,
        refresh_token: refresh.secret,
        refresh_expires_at: expires_at,
        user,
        principal,
    })
}

/// Rotates the refresh token and issues a new access token.
pub async fn refresh(
    state: &AppState,
    ctx: &RequestContext,
    refresh_token: &str,
) -> ApiResult<Issued> {
    let db = state.db.conn();
    let old_hash = hash_token(refresh_token);
    let session = match repo::sessions::find_by_refresh_hash(db, &old_hash).await? {
        RefreshLookup::Current(s) => s,
        RefreshLookup::Reused(s) => {
            if s.revoked_at.is_none()
                && (Utc::now() - s.last_seen_at).to_std().unwrap_or_default()
                    > state.config.refresh_reuse_grace
            {
                let txn = state.db.begin().await?;
                repo::sessions::revoke(&txn, s.id).await?;
                Event::new(ctx, None, "auth.refresh_reuse_detected")
                    .actor_id(s.user_id)
                    .target("session", s.id, None)
                    .outcome(AuditOutcome::Denied)
                    .write(&txn)
                    .await?;
                commit(txn).await?;
                tracing::warn!(session.id = %s.id, "refresh token replayed; session revoked");
            }
            return Err(ApiError::Unauthorized);
        }
        RefreshLookup::Unknown => return Err(ApiError::Unauthorized),
    };
    let settings = state.settings().await?;
    let now = Utc::now();
    let idle = chrono::Duration::minutes(settings.session_idle_timeout_minutes.into());
    if session.revoked_at.is_some()
        || session.expires_at <= now
        || now - session.last_seen_at > idle
    {
        return Err(ApiError::Unauthorized);
    }
    let user = match repo::users::find_by_id(db, session.user_id).await {
        Ok(u) if !u.disabled => u,
        Ok(_) | Err(StorageError::NotFound) => return Err(ApiError::Unauthorized),
        Err(e) => return Err(e.into()),
    };
    let next = OpaqueToken::generate(TokenKind::Refresh);
    match repo::sessions::rotate(db, session.id, &old_hash, &next.hash).await {
        Ok(()) => {}
        Err(StorageError::StaleVersion) => return Err(ApiError::Unauthorized),
        Err(e) => return Err(e.into()),
    }
    let (access_token, expires_in) = issue_access(state, &user, &session);
    let principal = Principal::new(
        user.id,
        user.username.clone(),
        user.role,
        PrincipalKind::Session(session.id),
    );
    Ok(Issued {
        access_token,
        expires_in,
        refresh_token: next.secret,
        refresh_expires_at: session.expires_at,
        user,
        principal,
    })
}

/// Ends the caller's session (an API token cannot log out; it is revoked instead).
pub async fn logout(
    state: &AppState,
    ctx: &RequestContext,
    principal: &Principal,
) -> ApiResult<()> {
    if let Some(session_id) = principal.session_id() {
        let txn = state.db.begin().await?;
        repo::sessions::revoke(&txn, session_id).await?;
        Event::new(ctx, Some(principal), "auth.logout")
            .target("session", session_id, Some(&principal.username))
            .write(&txn)
            .await?;
        commit(txn).await?;
    }
    Ok(())
}

/// Changes the caller's own password; every other session of theirs is revoked.
pub async fn change_password(
    state: &AppState,
    ctx: &RequestContext,
    principal: &Principal,
    current: &str,
    new: &str,
) -> ApiResult<()> {
    let user = repo::users::find_by_id(state.db.conn(), principal.user_id).await?;
    if !verify_blocking(current.to_owned(), user.password_hash.clone()).await? {
        Event::new(ctx, Some(principal), "auth.password_change")
            .target("user", user.id, Some(&user.username))
            .outcome(AuditOutcome::Failure)
            .write(state.db.conn())
            .await?;
        return Err(ApiError::field(
            "current_password",
            "is not your current password",
        ));
    }
    let new = NewPassword::parse(new, &user.username, "new_password")?;
    if new.expose() == current {
        return Err(ApiError::field(
            "new_password",
            "must differ from the current password",
        ));
    }
    let hash = hash_new_password(&new).await?;
    let txn = state.db.begin().await?;
    repo::users::set_password(&txn, user.id, &hash, false).await?;
    let revoked =
        repo::sessions::revoke_all_for_user(&txn, user.id, principal.session_id()).await?;
    Event::new(ctx, Some(principal), "auth.password_change")
        .target("user", user.id, Some(&user.username))
        .diff(serde_json::json!({ "password": "changed", "other_sessions_revoked": revoked }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(())
}
