//! `/api/v1/settings`.

use crate::context::RequestContext;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};
use crate::services;
use crate::state::AppState;
use axum::extract::State;
use itmgr_auth::perm;
use itmgr_storage::repo::settings::{Settings as SettingsRow, SettingsValues};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// System settings.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    /// A session unused this long ends (5–10080).
    pub session_idle_timeout_minutes: i32,
    /// A session ends this long after login whatever happens (1–8760).
    pub session_absolute_lifetime_hours: i32,
    /// Audit events older than this are deleted (1–3650).
    pub audit_retention_days: i32,
    /// Finished runs older than this many days are deleted (0–3650; 0 keeps them forever).
    pub run_retention_days: u32,
    /// Runs kept per playbook, newest first (0–100000; 0: no limit).
    pub runs_kept_per_playbook: u64,
    /// Stored run output kept in all, MiB; the oldest runs go first (0: no limit).
    pub run_logs_max_mb: u64,
    /// Send back on update; a stale one gets 409.
    pub version: i64,
}

impl Settings {
    fn of(state: &AppState, s: SettingsRow) -> Self {
        let r = services::settings::effective_retention(state, &s);
        Self {
            session_idle_timeout_minutes: s.session_idle_timeout_minutes,
            session_absolute_lifetime_hours: s.session_absolute_lifetime_hours,
            audit_retention_days: s.audit_retention_days,
            run_retention_days: r.days,
            runs_kept_per_playbook: r.kept_per_playbook,
            run_logs_max_mb: r.logs_max_mb,
            version: s.version,
        }
    }
}

/// Reads the settings.
#[utoipa::path(get, path = "/api/v1/settings", tag = "settings",
    responses((status = 200, body = Settings), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_settings(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<Settings>> {
    let cap = p.require::<perm::SettingsRead>()?;
    let row = services::settings::get(&state, cap).await?;
    Ok(axum::Json(Settings::of(&state, row)))
}

/// Replaces the settings.
#[utoipa::path(put, path = "/api/v1/settings", tag = "settings", request_body = Settings,
    responses((status = 200, body = Settings), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_settings(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(body): Json<Settings>,
) -> ApiResult<axum::Json<Settings>> {
    let cap = p.require::<perm::SettingsUpdate>()?;
    let values = SettingsValues {
        session_idle_timeout_minutes: body.session_idle_timeout_minutes,
        session_absolute_lifetime_hours: body.session_absolute_lifetime_hours,
        audit_retention_days: body.audit_retention_days,
    };
    let retention = services::settings::EffectiveRetention {
        days: body.run_retention_days,
        kept_per_playbook: body.runs_kept_per_playbook,
        logs_max_mb: body.run_logs_max_mb,
    };
    let row =
        services::settings::update(&state, cap, &ctx, body.version, values, retention).await?;
    Ok(axum::Json(Settings::of(&state, row)))
}
