//! Extractors: authentication (returns a [`Principal`]), and JSON / query / path
//! extractors whose rejections use the API's error body.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use chrono::Utc;
use itmgr_auth::{hash_token, Principal, PrincipalKind};
use itmgr_domain::{SessionId, UserId};
use itmgr_storage::repo::{self, users::User};
use itmgr_storage::StorageError;
use serde::de::DeserializeOwned;

/// An authenticated caller whose account is in good standing.
/// Refuses accounts that must change their password first.
#[derive(Debug, Clone)]
pub struct Auth(pub Principal);

/// An authenticated caller who may still have to change the password:
/// only for the endpoints that let them do so (me, password, logout).
#[derive(Debug, Clone)]
pub struct AuthPending(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (principal, user) = authenticate(parts, state).await?;
        if user.must_change_password {
            return Err(ApiError::PasswordChangeRequired);
        }
        Ok(Auth(principal))
    }
}

impl FromRequestParts<AppState> for AuthPending {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(AuthPending(authenticate(parts, state).await?.0))
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Filled by the authentication extractors so middleware can see who made a request.
#[derive(Debug, Clone, Default)]
pub struct PrincipalSlot(std::sync::Arc<std::sync::Mutex<Option<Principal>>>);

impl PrincipalSlot {
    fn fill(&self, principal: &Principal) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(principal.clone());
    }
    /// The authenticated principal, if any.
    pub fn take(&self) -> Option<Principal> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// Only stamp "last used" this often: a write per request would be wasteful.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);

async fn authenticate(parts: &Parts, state: &AppState) -> Result<(Principal, User), ApiError> {
    let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
    let db = state.db.conn();
    let now = Utc::now();
    let (user_id, kind) = if token.starts_with("itm_") {
        let api_token = repo::tokens::find_usable_by_hash(db, &hash_token(token))
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if api_token.last_used_at.is_none_or(|t| now - t > TOUCH_EVERY) {
            repo::tokens::touch(db, api_token.id).await?;
        }
        (api_token.user_id, PrincipalKind::ApiToken(api_token.id))
    } else {
        let claims = state.jwt.verify(token)?;
        let session_id: SessionId = claims.sid.parse().map_err(|_| ApiError::Unauthorized)?;
        let user_id: UserId = claims.sub.parse().map_err(|_| ApiError::Unauthorized)?;
        let session = match repo::sessions::find_by_id(db, session_id).await {
            Ok(s) => s,
            Err(StorageError::NotFound) => return Err(ApiError::Unauthorized),
            Err(e) => return Err(e.into()),
        };
        let settings = state.settings().await?;
        let idle = chrono::Duration::minutes(settings.session_idle_timeout_minutes.into());
        if session.revoked_at.is_some()
            || session.expires_at <= now
            || now - session.last_seen_at > idle
            || session.user_id != user_id
        {
            return Err(ApiError::Unauthorized);
        }
        if now - session.last_seen_at > TOUCH_EVERY {
            repo::sessions::touch(db, session.id).await?;
        }
        (user_id, PrincipalKind::Session(session.id))
    };
    let user = match repo::users::find_by_id(db, user_id).await {
        Ok(u) => u,
        Err(StorageError::NotFound) => return Err(ApiError::Unauthorized),
        Err(e) => return Err(e.into()),
    };
    if user.disabled {
        return Err(ApiError::Unauthorized);
    }
    let principal = Principal::new(user.id, user.username.clone(), user.role, kind);
    if let Some(slot) = parts.extensions.get::<PrincipalSlot>() {
        slot.fill(&principal);
    }
    Ok((principal, user))
}

/// `axum::Json` with the API's error body on rejection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::Validation(
                [("body".to_owned(), e.body_text())].into_iter().collect(),
            )),
            Err(e) => Err(ApiError::BadRequest(e.body_text())),
        }
    }
}

/// `axum::extract::Query` with the API's error body on rejection.
#[derive(Debug, Clone, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e: QueryRejection| ApiError::BadRequest(e.body_text()))
    }
}

/// `axum::extract::Path` with the API's error body; an unparsable id is a 404,
/// since no such resource can exist.
#[derive(Debug, Clone)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_: PathRejection| ApiError::NotFound("resource"))
    }
}
