//! System settings.

use super::audit::Event;
use crate::context::RequestContext;
use crate::error::{ApiResult, FieldErrors};
use crate::state::AppState;
use itmgr_auth::{perm, Capability};
use itmgr_storage::commit;
use itmgr_storage::repo::settings::{self as repo, RunRetention, Settings, SettingsValues};

/// Run retention in force: the Settings page's values, else the configuration's. 0 = no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EffectiveRetention {
    /// Finished runs older than this many days are deleted.
    pub days: u32,
    /// Runs kept per playbook, newest first.
    pub kept_per_playbook: u64,
    /// Stored run output kept in all, MiB.
    pub logs_max_mb: u64,
}

/// The run retention in force for `settings`.
pub fn effective_retention(state: &AppState, settings: &Settings) -> EffectiveRetention {
    let d = state.config.run_retention_defaults;
    let r = settings.run_retention;
    EffectiveRetention {
        days: r.days.and_then(|v| u32::try_from(v).ok()).unwrap_or(d.days),
        kept_per_playbook: r
            .kept_per_playbook
            .and_then(|v| u64::try_from(v).ok())
            .unwrap_or(d.kept_per_playbook),
        logs_max_mb: r
            .logs_max_mb
            .and_then(|v| u64::try_from(v).ok())
            .unwrap_or(d.logs_max_mb),
    }
}

/// Reads the settings.
pub async fn get(state: &AppState, _cap: Capability<perm::SettingsRead>) -> ApiResult<Settings> {
    Ok(repo::get(state.db.conn()).await?)
}

/// Checks ranges; the UI mirrors them.
pub fn validate(v: &SettingsValues) -> ApiResult<()> {
    let mut errors = FieldErrors::default();
    check_values(v, &mut errors);
    errors.finish()
}

fn check_values(v: &SettingsValues, errors: &mut FieldErrors) {
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
}

/// Run retention ranges; the UI mirrors them.
fn check_retention(r: &EffectiveRetention, errors: &mut FieldErrors) {
    if r.days > 3_650 {
        errors.add(
            "run_retention_days",
            "must be between 0 (keep forever) and 3650 days",
        );
    }
    if r.kept_per_playbook > 100_000 {
        errors.add(
            "runs_kept_per_playbook",
            "must be between 0 (no limit) and 100000",
        );
    }
    if r.logs_max_mb > 10_000_000 {
        errors.add(
            "run_logs_max_mb",
            "must be between 0 (no limit) and 10000000 MiB",
        );
    }
}

/// Changes the settings when `version` is current.
pub async fn update(
    state: &AppState,
    cap: Capability<perm::SettingsUpdate>,
    ctx: &RequestContext,
    version: i64,
    values: SettingsValues,
    retention: EffectiveRetention,
) -> ApiResult<Settings> {
    let mut errors = FieldErrors::default();
    check_values(&values, &mut errors);
    check_retention(&retention, &mut errors);
    errors.finish()?;
    let stored = RunRetention {
        days: Some(i64::from(retention.days)),
        kept_per_playbook: Some(i64::try_from(retention.kept_per_playbook).unwrap_or(i64::MAX)),
        logs_max_mb: Some(i64::try_from(retention.logs_max_mb).unwrap_or(i64::MAX)),
    };
    let txn = state.db.begin().await?;
    let before = repo::get(&txn).await?;
    let old_retention = effective_retention(state, &before);
    let after = repo::update(&txn, version, values, stored).await?;
    Event::new(ctx, Some(cap.principal()), "settings.update")
        .target("settings", "system", None)
        .diff(serde_json::json!({
            "session_idle_timeout_minutes": { "from": before.session_idle_timeout_minutes, "to": after.session_idle_timeout_minutes },
            "session_absolute_lifetime_hours": { "from": before.session_absolute_lifetime_hours, "to": after.session_absolute_lifetime_hours },
            "audit_retention_days": { "from": before.audit_retention_days, "to": after.audit_retention_days },
            "run_retention_days": { "from": old_retention.days, "to": retention.days },
            "runs_kept_per_playbook": { "from": old_retention.kept_per_playbook, "to": retention.kept_per_playbook },
            "run_logs_max_mb": { "from": old_retention.logs_max_mb, "to": retention.logs_max_mb },
        }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    state.cache_settings(after.clone());
    Ok(after)
}
