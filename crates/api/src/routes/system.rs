//! Health, readiness, version.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// Liveness and version.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the process answers.
    pub status: String,
    /// The server version.
    pub version: String,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/api/v1/health", tag = "system", responses((status = 200, body = Health)))]
pub async fn get_health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/api/v1/ready", tag = "system", responses((status = 200, body = Health), (status = 500, body = crate::error::ErrorBody)))]
pub async fn get_ready(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    state
        .db
        .ping()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(Health {
        status: "ready".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
