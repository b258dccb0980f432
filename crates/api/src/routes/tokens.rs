//! `/api/v1/tokens`: the caller's personal API tokens.

use super::{page_type, PageParams};
use crate::context::RequestContext;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Path, Query};
use crate::services;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use itmgr_auth::perm;
use itmgr_domain::ApiTokenId;
use itmgr_storage::repo::tokens::ApiToken as TokenRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// An API token's metadata (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<TokenRow> for ApiToken {
    fn from(t: TokenRow) -> Self {
        Self {
            id: t.id.as_uuid(),
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
        }
    }
}

page_type!(ApiTokenPage, ApiToken);

/// A new token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateApiTokenRequest {
    pub name: String,
    /// 1–3650; omitted or null: never expires.
    pub expires_in_days: Option<u32>,
}

/// A created token: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiToken {
    pub token: ApiToken,
    /// Use as `Authorization: Bearer …`. It cannot be shown again.
    pub secret: String,
}

/// Lists the caller's tokens.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", params(PageParams),
    responses((status = 200, body = ApiTokenPage)), security(("bearer" = [])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<PageParams>,
) -> ApiResult<axum::Json<ApiTokenPage>> {
    let cap = p.require::<perm::ProfileManage>()?;
    let page = services::page(q.limit, q.offset);
    let tokens = services::tokens::list(&state, cap, page).await?;
    Ok(axum::Json(ApiTokenPage::from_page(
        tokens,
        page,
        ApiToken::from,
    )))
}

/// Creates a token.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = CreateApiTokenRequest,
    responses((status = 201, body = CreatedApiToken), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_token(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(body): Json<CreateApiTokenRequest>,
) -> ApiResult<(
    StatusCode,
    [(axum::http::HeaderName, &'static str); 1],
    axum::Json<CreatedApiToken>,
)> {
    let cap = p.require::<perm::ProfileManage>()?;
    let (token, secret) =
        services::tokens::create(&state, cap, &ctx, &body.name, body.expires_in_days).await?;
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        axum::Json(CreatedApiToken {
            token: token.into(),
            secret,
        }),
    ))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<ApiTokenId>,
) -> ApiResult<StatusCode> {
    let cap = p.require::<perm::ProfileManage>()?;
    services::tokens::revoke(&state, cap, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
