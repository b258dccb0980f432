//! Schedules: a playbook launched by cron (5 fields, in a time zone) or at a fixed interval.
//! Each slot is claimed with a compare-and-set on the stored next fire time, so any number of
//! servers fire it exactly once. Slots missed while no server ran follow the schedule's policy:
//! `run_once` (one catch-up launch, however many were missed) or `skip`.

use super::audit::Event;
use super::not_found;
use super::playbooks::{self, LaunchRequest};
use super::runs::TargetSpec;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use itmgr_auth::{perm, Capability};
use itmgr_domain::{PlaybookId, RunTrigger, ScheduleId};
use itmgr_storage::repo::playbooks as pb_repo;
use itmgr_storage::repo::runs as runs_repo;
use itmgr_storage::repo::schedules::{self as repo, Schedule};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;
use utoipa::ToSchema;

/// A slot later than this after its time counts as missed.
const MISSED_AFTER: chrono::Duration = chrono::Duration::seconds(120);

/// What a schedule's launches override.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ScheduleOverrides {
    pub targets: Option<TargetSpec>,
    #[schema(value_type = Object)]
    pub variables: BTreeMap<String, serde_json::Value>,
    /// Answers to the playbook's survey (secret questions cannot be scheduled).
    #[schema(value_type = Object)]
    pub survey: BTreeMap<String, serde_json::Value>,
}

/// A schedule to create or save.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ScheduleInput {
    pub playbook_id: uuid::Uuid,
    pub name: String,
    /// A 5-field cron expression (`30 2 * * 1-5`); or use `interval_seconds`.
    pub cron: Option<String>,
    /// A fixed interval (at least 60 s).
    pub interval_seconds: Option<i64>,
    /// IANA time zone of the cron expression (default `UTC`).
    #[serde(default = "utc")]
    pub timezone: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// No launches after this.
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub overrides: ScheduleOverrides,
    /// `skip` (default) or `queue` when the previous run is still going.
    #[serde(default = "skip")]
    pub overlap: String,
    /// `run_once` (default) or `skip` for slots missed while no server was up.
    #[serde(default = "run_once")]
    pub missed: String,
}

fn utc() -> String {
    "UTC".into()
}
fn yes() -> bool {
    true
}
fn skip() -> String {
    "skip".into()
}
fn run_once() -> String {
    "run_once".into()
}

/// When a schedule fires.
#[derive(Debug, Clone)]
pub enum When {
    Cron(Box<croner::Cron>, chrono_tz::Tz),
    Every(chrono::Duration, DateTime<Utc>),
}

impl When {
    /// The first fire time strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            When::Cron(c, tz) => c
                .find_next_occurrence(&after.with_timezone(tz), false)
                .ok()
                // croner carries the sub-second part of `after` into the result; a cron slot is
                // a whole minute.
                .and_then(|t| chrono::Timelike::with_nanosecond(&t.with_timezone(&Utc), 0)),
            When::Every(d, anchor) => {
                if after < *anchor {
                    return Some(*anchor);
                }
                let secs = d.num_seconds().max(1);
                let k = (after - *anchor).num_seconds() / secs + 1;
                Some(*anchor + chrono::Duration::seconds(k * secs))
            }
        }
    }

    /// "every weekday at 02:30 (Europe/Paris)".
    pub fn describe(&self) -> String {
        match self {
            When::Cron(c, tz) => format!("{} ({tz})", c.describe()),
            When::Every(d, _) => {
                let s = d.num_seconds();
                if s % 3600 == 0 {
                    format!("every {} hour(s)", s / 3600)
                } else if s % 60 == 0 {
                    format!("every {} minute(s)", s / 60)
                } else {
                    format!("every {s} seconds")
                }
            }
        }
    }
}

/// Parses a schedule's timing.
pub fn when(
    cron: Option<&str>,
    interval_seconds: Option<i64>,
    timezone: &str,
    anchor: DateTime<Utc>,
) -> ApiResult<When> {
    match (
        cron.map(str::trim).filter(|c| !c.is_empty()),
        interval_seconds,
    ) {
        (Some(c), None) => {
            if c.split_whitespace().count() != 5 {
                return Err(ApiError::field(
                    "cron",
                    "use 5 fields: minute hour day-of-month month day-of-week",
                ));
            }
            let parsed = croner::Cron::from_str(c).map_err(|e| {
                ApiError::field("cron", format!("not a valid cron expression: {e}"))
            })?;
            let tz: chrono_tz::Tz = timezone.parse().map_err(|_| {
                ApiError::field("timezone", format!("unknown time zone {timezone:?}"))
            })?;
            Ok(When::Cron(Box::new(parsed), tz))
        }
        (None, Some(s)) if (60..=366 * 86_400).contains(&s) => {
            Ok(When::Every(chrono::Duration::seconds(s), anchor))
        }
        (None, Some(_)) => Err(ApiError::field(
            "interval_seconds",
            "between 60 seconds and a year",
        )),
        _ => Err(ApiError::field(
            "cron",
            "give either a cron expression or an interval",
        )),
    }
}

fn when_of(s: &Schedule) -> ApiResult<When> {
    when(
        s.cron.as_deref(),
        s.interval_seconds,
        &s.timezone,
        s.created_at,
    )
}

/// A schedule's timing, described, with its next fire times.
pub struct Preview {
    pub description: String,
    pub next: Vec<DateTime<Utc>>,
}

/// Describes a timing and lists its next `n` fire times after `from`.
pub fn preview(w: &When, from: DateTime<Utc>, n: usize, ends_at: Option<DateTime<Utc>>) -> Preview {
    let mut next = Vec::new();
    let mut t = from;
    while next.len() < n {
        match w.next_after(t) {
            Some(x) if ends_at.is_none_or(|e| x <= e) => {
                next.push(x);
                t = x;
            }
            _ => break,
        }
    }
    Preview {
        description: w.describe(),
        next,
    }
}

async fn check(state: &AppState, b: &ScheduleInput) -> ApiResult<When> {
    if b.name.trim().is_empty() || b.name.len() > 100 {
        return Err(ApiError::field("name", "1 to 100 characters"));
    }
    if !matches!(b.overlap.as_str(), "skip" | "queue") {
        return Err(ApiError::field("overlap", "skip or queue"));
    }
    if !matches!(b.missed.as_str(), "run_once" | "skip") {
        return Err(ApiError::field("missed", "run_once or skip"));
    }
    let p = pb_repo::find(state.db.conn(), PlaybookId::from_uuid(b.playbook_id))
        .await
        .map_err(|_| ApiError::field("playbook_id", "no such playbook"))?;
    let d = playbooks::defaults_of(&p);
    if let Some(q) = d.survey.iter().find(|q| {
        q.var_type == playbooks::VarType::Secret
            && q.required
            && !b.overrides.survey.contains_key(&q.name)
    }) {
        return Err(ApiError::field(
            "overrides.survey",
            format!(
                "{}: a required secret question cannot be answered by a schedule",
                q.name
            ),
        ));
    }
    when(
        b.cron.as_deref(),
        b.interval_seconds,
        &b.timezone,
        Utc::now(),
    )
}

fn build(
    b: ScheduleInput,
    id: ScheduleId,
    created: DateTime<Utc>,
    by: Option<itmgr_domain::UserId>,
    w: &When,
) -> Schedule {
    let now = Utc::now();
    let w = match w {
        When::Every(d, _) => When::Every(*d, created),
        other => other.clone(),
    };
    Schedule {
        id,
        playbook_id: PlaybookId::from_uuid(b.playbook_id),
        name: b.name.trim().to_owned(),
        cron: b
            .cron
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty()),
        interval_seconds: b.interval_seconds,
        timezone: b.timezone,
        enabled: b.enabled,
        ends_at: b.ends_at,
        overrides: serde_json::to_value(&b.overrides).unwrap_or_default(),
        overlap: b.overlap,
        missed: b.missed,
        next_fire_at: if b.enabled {
            w.next_after(now)
                .filter(|t| b.ends_at.is_none_or(|e| *t <= e))
        } else {
            None
        },
        last_fired_at: None,
        last_run_id: None,
        created_by: by,
        created_at: created,
    }
}

/// All schedules, or one playbook's.
pub async fn list(
    state: &AppState,
    _cap: Capability<perm::PlaybooksRead>,
    playbook: Option<PlaybookId>,
) -> ApiResult<Vec<Schedule>> {
    Ok(repo::list(state.db.conn(), playbook).await?)
}

/// A schedule's description and next 5 fire times.
pub fn upcoming(s: &Schedule) -> Preview {
    match when_of(s) {
        Ok(w) if s.enabled => preview(&w, Utc::now(), 5, s.ends_at),
        Ok(w) => Preview {
            description: w.describe(),
            next: vec![],
        },
        Err(_) => Preview {
            description: "invalid".into(),
            next: vec![],
        },
    }
}

/// Creates a schedule.
pub async fn create(
    state: &AppState,
    cap: Capability<perm::PlaybooksManage>,
    ctx: &RequestContext,
    b: ScheduleInput,
) -> ApiResult<Schedule> {
    let w = check(state, &b).await?;
    let s = build(
        b,
        ScheduleId::new(),
        Utc::now(),
        Some(cap.principal().user_id),
        &w,
    );
    repo::insert(state.db.conn(), &s).await?;
    Event::new(ctx, Some(cap.principal()), "schedule.create")
        .target("schedule", s.id, Some(&s.name))
        .write(state.db.conn())
        .await?;
    Ok(s)
}

/// Saves a schedule (its next fire time is computed afresh).
pub async fn update(
    state: &AppState,
    cap: Capability<perm::PlaybooksManage>,
    ctx: &RequestContext,
    id: ScheduleId,
    b: ScheduleInput,
) -> ApiResult<Schedule> {
    let old = repo::find(state.db.conn(), id)
        .await
        .map_err(not_found("schedule"))?;
    let w = check(state, &b).await?;
    let mut s = build(b, id, old.created_at, old.created_by, &w);
    s.last_fired_at = old.last_fired_at;
    s.last_run_id = old.last_run_id;
    repo::update(state.db.conn(), &s).await?;
    Event::new(ctx, Some(cap.principal()), "schedule.update")
        .target("schedule", s.id, Some(&s.name))
        .diff(serde_json::json!({ "enabled": s.enabled }))
        .write(state.db.conn())
        .await?;
    Ok(s)
}

/// Deletes a schedule.
pub async fn delete(
    state: &AppState,
    cap: Capability<perm::PlaybooksManage>,
    ctx: &RequestContext,
    id: ScheduleId,
) -> ApiResult<()> {
    let s = repo::find(state.db.conn(), id)
        .await
        .map_err(not_found("schedule"))?;
    repo::delete(state.db.conn(), id).await?;
    Event::new(ctx, Some(cap.principal()), "schedule.delete")
        .target("schedule", id, Some(&s.name))
        .write(state.db.conn())
        .await?;
    Ok(())
}

/// What one scheduler tick did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tick {
    /// Runs launched.
    pub launched: Vec<itmgr_domain::RunId>,
    /// Slots claimed but not launched (missed and skipped, overlap, errors).
    pub skipped: usize,
}

/// Fires every due schedule once, as of `now` (the clock is a parameter so tests control it).
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> ApiResult<Tick> {
    let mut out = Tick::default();
    for s in repo::due(state.db.conn(), now).await? {
        let Some(slot) = s.next_fire_at else { continue };
        let Ok(w) = when_of(&s) else { continue };
        let next = w
            .next_after(now)
            .filter(|t| s.ends_at.is_none_or(|e| *t <= e));
        // Exactly one server wins each slot.
        if !repo::claim_slot(state.db.conn(), s.id, slot, next, now).await? {
            continue;
        }
        let missed = now - slot > MISSED_AFTER;
        if missed && s.missed == "skip" {
            tracing::info!(schedule = %s.id, slot = %slot, "missed schedule slot skipped");
            out.skipped += 1;
            continue;
        }
        if s.overlap == "skip" {
            if let Some(last) = s.last_run_id {
                if let Ok(r) = runs_repo::find(state.db.conn(), last).await {
                    if !r.status.is_final() {
                        tracing::info!(schedule = %s.id, "previous run still going; slot skipped");
                        out.skipped += 1;
                        continue;
                    }
                }
            }
        }
        let o: ScheduleOverrides = serde_json::from_value(s.overrides.clone()).unwrap_or_default();
        let req = LaunchRequest {
            targets: o.targets,
            variables: o.variables,
            survey: o.survey,
            options: None,
            dry_run: false,
        };
        let ctx = RequestContext {
            ip: None,
            user_agent: Some("scheduler".into()),
            request_id: None,
        };
        match playbooks::launch(state, None, &ctx, s.playbook_id, req, RunTrigger::Schedule).await {
            Ok(run) => {
                repo::set_last_run(state.db.conn(), s.id, run.id).await?;
                out.launched.push(run.id);
            }
            Err(e) => {
                tracing::warn!(schedule = %s.id, error = %e, "a scheduled launch failed");
                out.skipped += 1;
            }
        }
    }
    Ok(out)
}

/// Ticks every second until `shutdown`.
pub async fn run_scheduler(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = shutdown.changed() => return,
        }
        if let Err(e) = tick(&state, Utc::now()).await {
            tracing::warn!(error = %e, "scheduler tick failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_slots_fall_on_whole_minutes_whatever_the_clock_reads() {
        let w = when(Some("0 3 * * *"), None, "Europe/Berlin", Utc::now()).unwrap();
        let after: DateTime<Utc> = "2026-11-24T01:47:38.348957Z".parse().unwrap();
        let next = w.next_after(after).unwrap();
        assert_eq!(next.to_rfc3339(), "2026-11-24T02:00:00+00:00");
        assert_eq!(
            w.next_after(next).unwrap().to_rfc3339(),
            "2026-11-25T02:00:00+00:00"
        );
    }
}
