//! System settings.

use super::audit::Event;
use crate::context::RequestContext;
use crate::error::{ApiResult, FieldErrors};
use crate::state::AppState;
use itmgr_auth::{perm, Capability};
use itmgr_storage::commit;
use itmgr_storage::repo::settings::{self as repo, Settings, SettingsValues};

/// Reads the settings.
pub async fn get(state: &AppState, _cap: Capability<perm::SettingsRead>) -> ApiResult<Settings> {
    Ok(repo::get(state.db.conn()).await?)
}

/// Checks ranges; the UI mirrors them.
pub fn validate(v: &SettingsValues) -> ApiResult<()> {
    let mut errors = FieldErrors::default();
    if !(5..=10_080).contains(&v.session_idle_timeout_minutes) {
        errors.add(
            "session_idle_timeout_minutes",
            "must be between 5 and 10080 minutes",
        );
    }
    if !(1..=8_760).contains(&v.session_absolute_lifetime_hours) {
        errors.add(
            "session_absolute_lifetime_hours",
            "must be between 1 and 8760 hours",
        );
    }
    if !(1..=3_650).contains(&v.audit_retention_days) {
        errors.add("audit_retention_days", "must be between 1 and 3650 days");
    }
    errors.finish()
}

/// Changes the settings when `version` is current.
pub async fn update(
    state: &AppState,
    cap: Capability<perm::SettingsUpdate>,
    ctx: &RequestContext,
    version: i64,
    values: SettingsValues,
) -> ApiResult<Settings> {
    validate(&values)?;
    let txn = state.db.begin().await?;
    let before = repo::get(&txn).await?;
    let after = repo::update(&txn, version, values).await?;
    Event::new(ctx, Some(cap.principal()), "settings.update")
        .target("settings", "system", None)
        .diff(serde_json::json!({
            "session_idle_timeout_minutes": { "from": before.session_idle_timeout_minutes, "to": after.session_idle_timeout_minutes },
            "session_absolute_lifetime_hours": { "from": before.session_absolute_lifetime_hours, "to": after.session_absolute_lifetime_hours },
            "audit_retention_days": { "from": before.audit_retention_days, "to": after.audit_retention_days },
        }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    state.cache_settings(after.clone());
    Ok(after)
}
