//! `/api/v1/users`: user administration.

use super::page_type;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldErrors};
use crate::extract::{Auth, Json, Path, Query};
use crate::services::{
    self,
    users::{CreateUser, UpdateUser},
};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use itmgr_auth::perm;
use itmgr_domain::{DisplayName, Email, NewPassword, Role, UserId, Username};
use itmgr_storage::repo::users::{User as UserRow, UserFilter, UserSort};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A user as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub disabled: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Send back on update; a stale one gets 409.
    pub version: i64,
}

impl From<UserRow> for User {
    fn from(u: UserRow) -> Self {
        Self {
            id: u.id.as_uuid(),
            username: u.username,
            display_name: u.display_name,
            email: u.email,
            role: u.role,
            disabled: u.disabled,
            must_change_password: u.must_change_password,
            last_login_at: u.last_login_at,
            created_at: u.created_at,
            updated_at: u.updated_at,
            version: u.version,
        }
    }
}

page_type!(UserPage, User);

/// Filters and sorting for the user list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// Free text over user name, display name and e-mail.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    /// `username`, `display_name`, `role`, `created_at`, `last_login_at`; a leading `-` sorts descending.
    pub sort: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

fn parse_sort(raw: &str) -> ApiResult<(UserSort, bool)> {
    let (desc, name) = raw.strip_prefix('-').map_or((false, raw), |n| (true, n));
    let field = match name {
        "username" => UserSort::Username,
        "display_name" => UserSort::DisplayName,
        "role" => UserSort::Role,
        "created_at" => UserSort::CreatedAt,
        "last_login_at" => UserSort::LastLoginAt,
        _ => {
            return Err(ApiError::field(
                "sort",
                "must be one of username, display_name, role, created_at, last_login_at",
            ))
        }
    };
    Ok((field, desc))
}

/// Lists users.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserListParams),
    responses((status = 200, body = UserPage), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<UserListParams>,
) -> ApiResult<axum::Json<UserPage>> {
    let cap = p.require::<perm::UsersRead>()?;
    let filter = UserFilter {
        q: q.q,
        role: q.role,
        disabled: q.disabled,
        sort: q.sort.as_deref().map(parse_sort).transpose()?,
    };
    let page = services::page(q.limit, q.offset);
    let users = services::users::list(&state, cap, &filter, page).await?;
    Ok(axum::Json(UserPage::from_page(users, page, User::from)))
}

/// Reads one user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)),
    responses((status = 200, body = User), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_user(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<UserId>,
) -> ApiResult<axum::Json<User>> {
    let cap = p.require::<perm::UsersRead>()?;
    Ok(axum::Json(
        services::users::get(&state, cap, id).await?.into(),
    ))
}

/// A new user.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserRequest {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    /// The initial password; the user must change it at first login.
    pub password: String,
}

/// Creates a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUserRequest,
    responses((status = 201, body = User), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_user(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(body): Json<CreateUserRequest>,
) -> ApiResult<(StatusCode, axum::Json<User>)> {
    let cap = p.require::<perm::UsersCreate>()?;
    let mut errors = FieldErrors::default();
    let username = errors.check(Username::parse(&body.username));
    let display_name = errors.check(DisplayName::parse(&body.display_name));
    let email = body
        .email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(Email::parse)
        .transpose();
    let email = errors.check(email);
    let password = errors.check(NewPassword::parse(
        &body.password,
        body.username.trim(),
        "password",
    ));
    errors.finish()?;
    let input = match (username, display_name, email, password) {
        (Some(username), Some(display_name), Some(email), Some(password)) => CreateUser {
            username,
            display_name,
            email,
            role: body.role,
            password,
        },
        _ => return Err(ApiError::Internal("validated fields missing".into())),
    };
    let user = services::users::create(&state, cap, &ctx, input).await?;
    Ok((StatusCode::CREATED, axum::Json(user.into())))
}

/// Changes to a user; absent fields stay as they are. `email: null` clears it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateUserRequest {
    /// The version read; 409 if someone changed the user since.
    pub version: i64,
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Updates a user.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)), request_body = UpdateUserRequest,
    responses((status = 200, body = User), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_user(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<UserId>,
    Json(body): Json<UpdateUserRequest>,
) -> ApiResult<axum::Json<User>> {
    let cap = p.require::<perm::UsersUpdate>()?;
    let mut errors = FieldErrors::default();
    let display_name = body
        .display_name
        .as_deref()
        .map(DisplayName::parse)
        .transpose();
    let display_name = errors.check(display_name).flatten();
    let email = match body.email {
        Some(Some(e)) if !e.trim().is_empty() => errors.check(Email::parse(&e)).map(Some),
        Some(_) => Some(None),
        None => None,
    };
    errors.finish()?;
    let input = UpdateUser {
        version: body.version,
        display_name,
        email,
        role: body.role,
        disabled: body.disabled,
    };
    Ok(axum::Json(
        services::users::update(&state, cap, &ctx, id, input)
            .await?
            .into(),
    ))
}

/// A password set by an administrator.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetPasswordRequest {
    /// The new password; the user must change it at next login.
    pub password: String,
}

/// Resets a user's password and ends their sessions.
#[utoipa::path(post, path = "/api/v1/users/{id}/reset-password", tag = "users", params(("id" = Uuid, Path)), request_body = ResetPasswordRequest,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn reset_user_password(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<UserId>,
    Json(body): Json<ResetPasswordRequest>,
) -> ApiResult<StatusCode> {
    let cap = p.require::<perm::UsersUpdate>()?;
    services::users::reset_password(&state, cap, &ctx, id, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a user.
#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn delete_user(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<UserId>,
) -> ApiResult<StatusCode> {
    let cap = p.require::<perm::UsersDelete>()?;
    services::users::delete(&state, cap, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
