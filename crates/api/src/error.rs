//! The API error: every failure becomes an HTTP status and a JSON body
//! `{code, message, details}`. Internals are logged once here and never sent.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use itmgr_auth::{AuthError, Permission};
use itmgr_domain::ValueError;
use itmgr_storage::StorageError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable machine-readable code, e.g. `validation_failed`.
    pub code: String,
    /// A human-readable message, safe to show.
    pub message: String,
    /// Extra structure, e.g. `{"fields": {"username": "already taken"}}`.
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
}

/// Marks a 403 response with the permission that was missing, for the audit middleware.
#[derive(Debug, Clone, Copy)]
pub struct DeniedPermission(pub Permission);

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed (bad JSON, bad query string).
    #[error("{0}")]
    BadRequest(String),
    /// 401: no or invalid credentials.
    #[error("authentication required")]
    Unauthorized,
    /// 401: login with a wrong user name or password (deliberately vague).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// 403: authenticated but not allowed.
    #[error("forbidden")]
    Forbidden(Option<Permission>),
    /// 403: the account must change its password first.
    #[error("password change required")]
    PasswordChangeRequired,
    /// 404.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 409: a uniqueness or state conflict.
    #[error("{message}")]
    Conflict {
        /// What clashed.
        message: String,
        /// The field, when one is to blame.
        field: Option<&'static str>,
    },
    /// 409: the resource changed since the client read it.
    #[error("stale version")]
    StaleVersion,
    /// 409: an SSH host presented a different key than the one on record.
    #[error("host key changed")]
    HostKeyChanged {
        /// Fingerprint on record.
        expected: String,
        /// Fingerprint presented.
        got: String,
    },
    /// 422: field-level validation errors.
    #[error("validation failed")]
    Validation(BTreeMap<String, String>),
    /// 429.
    #[error("rate limited")]
    RateLimited(Duration),
    /// 500: logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 422 for one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut m = BTreeMap::new();
        m.insert(field.into(), message.into());
        ApiError::Validation(m)
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. }
            | ApiError::StaleVersion
            | ApiError::HostKeyChanged { .. } => StatusCode::CONFLICT,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody {
        let (code, message, details) = match self {
            ApiError::BadRequest(m) => ("bad_request", m.clone(), None),
            ApiError::Unauthorized => ("unauthorized", "Authentication is required.".into(), None),
            ApiError::InvalidCredentials => (
                "invalid_credentials",
                "Invalid user name or password.".into(),
                None,
            ),
            ApiError::Forbidden(p) => (
                "forbidden",
                "You are not allowed to do this.".into(),
                p.map(|p| serde_json::json!({ "permission": p.as_str() })),
            ),
            ApiError::PasswordChangeRequired => (
                "password_change_required",
                "You must change your password before continuing.".into(),
                None,
            ),
            ApiError::NotFound(what) => ("not_found", format!("The {what} does not exist."), None),
            ApiError::Conflict { message, field } => (
                "conflict",
                message.clone(),
                field.map(|f| serde_json::json!({ "fields": { f: message } })),
            ),
            ApiError::HostKeyChanged { expected, got } => (
                "host_key_changed",
                format!(
                    "The host key changed (expected {expected}, got {got}). Refusing to connect; an administrator must accept the new key after checking it."
                ),
                Some(serde_json::json!({ "expected": expected, "got": got })),
            ),
            ApiError::StaleVersion => (
                "stale_version",
                "Someone else changed this in the meantime. Reload and try again.".into(),
                None,
            ),
            ApiError::Validation(fields) => (
                "validation_failed",
                "Some fields are invalid.".into(),
                Some(serde_json::json!({ "fields": fields })),
            ),
            ApiError::RateLimited(after) => (
                "rate_limited",
                format!(
                    "Too many requests. Try again in {} s.",
                    after.as_secs().max(1)
                ),
                Some(serde_json::json!({ "retry_after_seconds": after.as_secs().max(1) })),
            ),
            ApiError::Internal(_) => ("internal", "Something went wrong on our side.".into(), None),
        };
        ErrorBody {
            code: code.into(),
            message,
            details,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            // The one place internal failures are logged.
            tracing::error!(error = %detail, "request failed");
        }
        let status = self.status();
        let mut response = (status, axum::Json(self.body())).into_response();
        if let ApiError::Forbidden(Some(permission)) = &self {
            response
                .extensions_mut()
                .insert(DeniedPermission(*permission));
        }
        if let ApiError::RateLimited(after) = &self {
            if let Ok(v) = HeaderValue::from_str(&after.as_secs().max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => ApiError::NotFound("resource"),
            StorageError::Conflict { field } => ApiError::Conflict {
                message: match field {
                    Some(f) => format!("This {} is already taken.", f.replace('_', " ")),
                    None => "It already exists.".into(),
                },
                field,
            },
            StorageError::StaleVersion => ApiError::StaleVersion,
            StorageError::Integrity(m) => ApiError::Internal(m),
            StorageError::Database(e) => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::InvalidToken => ApiError::Unauthorized,
            AuthError::Forbidden(p) => ApiError::Forbidden(Some(p)),
            AuthError::Hashing(m) => ApiError::Internal(m),
        }
    }
}

impl From<ValueError> for ApiError {
    fn from(e: ValueError) -> Self {
        ApiError::field(e.field, e.message)
    }
}

/// Collects field errors from several parses into one 422.
#[derive(Default)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    /// Keeps the value or records its error.
    pub fn check<T>(&mut self, r: Result<T, ValueError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.entry(e.field.to_owned()).or_insert(e.message);
                None
            }
        }
    }
    /// Records an error by hand.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert(message.into());
    }
    /// `Err(Validation)` when anything was recorded.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;
