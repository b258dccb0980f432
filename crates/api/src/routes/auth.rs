//! `/api/v1/auth`: login, refresh, logout, the caller, password change.
//! The refresh token lives only in an HttpOnly, SameSite=Strict cookie scoped to this path.

use super::users::User;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AuthPending, Json};
use crate::services::{self, auth::Issued};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The refresh cookie's name.
pub const REFRESH_COOKIE: &str = "itmgr_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

/// Credentials.
#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// An access token and who it belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer …`. Keep it in memory only.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires; refresh before then.
    pub expires_in: u64,
    pub user: User,
    /// `resource:action` names the caller holds.
    pub permissions: Vec<String>,
}

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub permissions: Vec<String>,
}

fn refresh_cookie(state: &AppState, issued: &Issued) -> Cookie<'static> {
    let max_age = (issued.refresh_expires_at - chrono::Utc::now())
        .num_seconds()
        .max(0);
    Cookie::build((REFRESH_COOKIE, issued.refresh_token.clone()))
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Strict)
        .path(COOKIE_PATH)
        .max_age(time::Duration::seconds(max_age))
        .build()
}

fn issued_response(
    state: &AppState,
    jar: CookieJar,
    issued: Issued,
) -> (CookieJar, axum::Json<LoginResponse>) {
    let jar = jar.add(refresh_cookie(state, &issued));
    let permissions = issued.principal.permission_names();
    (
        jar,
        axum::Json(LoginResponse {
            access_token: issued.access_token,
            token_type: "Bearer".into(),
            expires_in: issued.expires_in,
            user: issued.user.into(),
            permissions,
        }),
    )
}

/// Logs in with a user name and password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse, headers(("set-cookie" = String, description = "The refresh token (HttpOnly)"))),
        (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Json(body): Json<LoginRequest>,
) -> ApiResult<(CookieJar, axum::Json<LoginResponse>)> {
    let issued = services::auth::login(&state, &ctx, &body.username, &body.password).await?;
    Ok(issued_response(&state, jar, issued))
}

/// Exchanges the refresh cookie for a new access token, rotating the cookie.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth",
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody)))]
pub async fn refresh(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
) -> ApiResult<(CookieJar, axum::Json<LoginResponse>)> {
    let token = jar
        .get(REFRESH_COOKIE)
        .map(|c| c.value().to_owned())
        .ok_or(ApiError::Unauthorized)?;
    let issued = services::auth::refresh(&state, &ctx, &token).await?;
    Ok(issued_response(&state, jar, issued))
}

/// Ends the current session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn logout(
    State(state): State<AppState>,
    AuthPending(p): AuthPending,
    ctx: RequestContext,
    jar: CookieJar,
) -> ApiResult<(CookieJar, StatusCode)> {
    services::auth::logout(&state, &ctx, &p).await?;
    let jar = jar.remove(
        Cookie::build((REFRESH_COOKIE, ""))
            .path(COOKIE_PATH)
            .build(),
    );
    Ok((jar, StatusCode::NO_CONTENT))
}

/// The caller and their permissions.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_me(
    State(state): State<AppState>,
    AuthPending(p): AuthPending,
) -> ApiResult<axum::Json<Me>> {
    let user = itmgr_storage::repo::users::find_by_id(state.db.conn(), p.user_id).await?;
    Ok(axum::Json(Me {
        user: user.into(),
        permissions: p.permission_names(),
    }))
}

/// A password change.
#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// At least 12 characters, not containing the user name.
    pub new_password: String,
}

impl std::fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePasswordRequest(***)")
    }
}

/// Changes the caller's password; other sessions are revoked.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    AuthPending(p): AuthPending,
    ctx: RequestContext,
    Json(body): Json<ChangePasswordRequest>,
) -> ApiResult<StatusCode> {
    p.require::<itmgr_auth::perm::ProfileManage>()?;
    services::auth::change_password(&state, &ctx, &p, &body.current_password, &body.new_password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
