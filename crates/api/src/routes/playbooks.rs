//! `/api/v1/playbooks` and `/api/v1/schedules`: stored Ansible playbooks with versions, their
//! launch (one endpoint, with a preview), and schedules.

use super::page_type;
use super::runs::{ResolvedHost, Run};
use crate::context::RequestContext;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Path, Query};
use crate::services::{
    self,
    playbooks::{
        Detail, GitSource, LaunchRequest, PlaybookDefaults, PlaybookFile, PlaybookInput,
        PlaybookOptions,
    },
    schedules::{ScheduleInput, ScheduleOverrides},
};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use itmgr_auth::perm;
use itmgr_domain::{PlaybookId, RunStatus, ScheduleId};
use itmgr_storage::repo::playbooks::{LastRun as LastRunRow, Playbook as PlaybookRow, Version};
use itmgr_storage::repo::schedules::Schedule as ScheduleRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The latest run of a playbook.
#[derive(Debug, Serialize, ToSchema)]
pub struct LastRun {
    pub id: Uuid,
    #[schema(value_type = String, example = "succeeded")]
    pub status: RunStatus,
    pub queued_at: DateTime<Utc>,
}

impl From<LastRunRow> for LastRun {
    fn from(r: LastRunRow) -> Self {
        Self {
            id: r.id.as_uuid(),
            status: r.status,
            queued_at: r.queued_at,
        }
    }
}

/// A playbook in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaybookSummary {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub current_version: i32,
    pub allow_parallel: bool,
    pub updated_at: DateTime<Utc>,
    pub last_run: Option<LastRun>,
}

fn summary(p: PlaybookRow, last: Option<LastRunRow>) -> PlaybookSummary {
    PlaybookSummary {
        id: p.id.as_uuid(),
        name: p.name,
        description: p.description,
        current_version: p.current_version,
        allow_parallel: p.allow_parallel,
        updated_at: p.updated_at,
        last_run: last.map(LastRun::from),
    }
}

page_type!(PlaybookPage, PlaybookSummary);

/// A playbook with its current content.
#[derive(Debug, Serialize, ToSchema)]
pub struct Playbook {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub current_version: i32,
    /// The current version's YAML (empty for a Git source).
    pub content: String,
    /// Where the playbook comes from when it is not stored here.
    pub source: Option<GitSource>,
    pub files: Vec<PlaybookFile>,
    pub defaults: PlaybookDefaults,
    pub allow_parallel: bool,
    pub retry_infrastructure: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_run: Option<LastRun>,
}

impl From<Detail> for Playbook {
    fn from(d: Detail) -> Self {
        Self {
            id: d.playbook.id.as_uuid(),
            name: d.playbook.name,
            description: d.playbook.description,
            current_version: d.playbook.current_version,
            content: d.version.content,
            source: d.source,
            files: d.files,
            defaults: d.defaults,
            allow_parallel: d.playbook.allow_parallel,
            retry_infrastructure: d.playbook.retry_infrastructure,
            created_at: d.playbook.created_at,
            updated_at: d.playbook.updated_at,
            last_run: d.last_run.map(LastRun::from),
        }
    }
}

/// One version of a playbook's content.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaybookVersion {
    pub version: i32,
    pub content: String,
    pub files: Vec<PlaybookFile>,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
}

impl From<Version> for PlaybookVersion {
    fn from(v: Version) -> Self {
        Self {
            version: v.version,
            files: serde_json::from_value(v.files).unwrap_or_default(),
            content: v.content,
            created_by_name: v.created_by_name,
            created_at: v.created_at,
        }
    }
}

/// Search and paging.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlaybookListParams {
    /// Text in the name or description.
    pub q: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Playbooks by name, with their latest run.
#[utoipa::path(get, path = "/api/v1/playbooks", tag = "playbooks", params(PlaybookListParams),
    responses((status = 200, body = PlaybookPage), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_playbooks(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<PlaybookListParams>,
) -> ApiResult<axum::Json<PlaybookPage>> {
    let cap = p.require::<perm::PlaybooksRead>()?;
    let page = services::page(q.limit, q.offset);
    let (rows, last) = services::playbooks::list(&state, cap, q.q.as_deref(), page).await?;
    Ok(axum::Json(PlaybookPage::from_page(rows, page, |p| {
        let l = last.get(&p.id).cloned();
        summary(p, l)
    })))
}

/// Creates a playbook: its YAML is checked as YAML and as a playbook's shape.
#[utoipa::path(post, path = "/api/v1/playbooks", tag = "playbooks", request_body = PlaybookInput,
    responses((status = 201, body = Playbook), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_playbook(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<PlaybookInput>,
) -> ApiResult<(StatusCode, axum::Json<Playbook>)> {
    let cap = p.require::<perm::PlaybooksManage>()?;
    let d = services::playbooks::create(&state, cap, &ctx, b).await?;
    Ok((StatusCode::CREATED, axum::Json(d.into())))
}

/// A playbook with its current content.
#[utoipa::path(get, path = "/api/v1/playbooks/{id}", tag = "playbooks", params(("id" = Uuid, Path)),
    responses((status = 200, body = Playbook), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_playbook(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<PlaybookId>,
) -> ApiResult<axum::Json<Playbook>> {
    let cap = p.require::<perm::PlaybooksRead>()?;
    Ok(axum::Json(
        services::playbooks::get(&state, cap, id).await?.into(),
    ))
}

/// Saves a playbook; changed content or files become a new version.
#[utoipa::path(put, path = "/api/v1/playbooks/{id}", tag = "playbooks", params(("id" = Uuid, Path)), request_body = PlaybookInput,
    responses((status = 200, body = Playbook), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_playbook(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<PlaybookId>,
    Json(b): Json<PlaybookInput>,
) -> ApiResult<axum::Json<Playbook>> {
    let cap = p.require::<perm::PlaybooksManage>()?;
    Ok(axum::Json(
        services::playbooks::update(&state, cap, &ctx, id, b)
            .await?
            .into(),
    ))
}

/// Deletes a playbook with its versions and schedules (its runs stay in the history).
#[utoipa::path(delete, path = "/api/v1/playbooks/{id}", tag = "playbooks", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn delete_playbook(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<PlaybookId>,
) -> ApiResult<StatusCode> {
    let cap = p.require::<perm::PlaybooksManage>()?;
    services::playbooks::delete(&state, cap, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A playbook's content versions, newest first.
#[utoipa::path(get, path = "/api/v1/playbooks/{id}/versions", tag = "playbooks", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<PlaybookVersion>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_playbook_versions(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<PlaybookId>,
) -> ApiResult<axum::Json<Vec<PlaybookVersion>>> {
    let cap = p.require::<perm::PlaybooksRead>()?;
    let v = services::playbooks::versions(&state, cap, id).await?;
    Ok(axum::Json(
        v.into_iter().map(PlaybookVersion::from).collect(),
    ))
}

/// Makes an old version's content current again (saved as a new version).
#[utoipa::path(post, path = "/api/v1/playbooks/{id}/versions/{version}/restore", tag = "playbooks",
    params(("id" = Uuid, Path), ("version" = i32, Path)),
    responses((status = 200, body = Playbook), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn restore_playbook_version(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path((id, version)): Path<(PlaybookId, i32)>,
) -> ApiResult<axum::Json<Playbook>> {
    let cap = p.require::<perm::PlaybooksManage>()?;
    Ok(axum::Json(
        services::playbooks::restore(&state, cap, &ctx, id, version)
            .await?
            .into(),
    ))
}

/// Text to check.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ValidateRequest {
    pub content: String,
}

/// Whether text is a playbook.
#[derive(Debug, Serialize, ToSchema)]
pub struct ValidateResult {
    pub valid: bool,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    pub message: Option<String>,
}

/// Checks a playbook's YAML as the save would (for live feedback in the editor).
#[utoipa::path(post, path = "/api/v1/playbooks/validate", tag = "playbooks", request_body = ValidateRequest,
    responses((status = 200, body = ValidateResult)), security(("bearer" = [])))]
pub async fn validate_playbook(
    Auth(p): Auth,
    Json(b): Json<ValidateRequest>,
) -> ApiResult<axum::Json<ValidateResult>> {
    p.require::<perm::PlaybooksRead>()?;
    Ok(axum::Json(
        match itmgr_automation::validate_playbook(&b.content) {
            Ok(()) => ValidateResult {
                valid: true,
                line: None,
                message: None,
            },
            Err(e) => ValidateResult {
                valid: false,
                line: e.line,
                message: Some(e.message),
            },
        },
    ))
}

/// Exactly what a launch would run.
#[derive(Debug, Serialize, ToSchema)]
pub struct LaunchPreview {
    pub playbook: String,
    pub version: i32,
    /// The command line (paths and secrets left out).
    pub command: String,
    pub options: PlaybookOptions,
    /// Variables and survey answers; secret values shown as `***` or as their reference.
    #[schema(value_type = Object)]
    pub variables: serde_json::Value,
    pub dry_run: bool,
    pub total_hosts: u64,
    /// Up to 100 hosts, by name.
    pub hosts: Vec<ResolvedHost>,
    /// Hosts without a credential (they would fail).
    pub without_credential: u64,
    /// Hosts whose SSH host key is not on record (they would be unreachable).
    pub without_host_key: u64,
}

/// Resolves a launch (targets, survey, variables, options) without starting it.
#[utoipa::path(post, path = "/api/v1/playbooks/{id}/launch/preview", tag = "playbooks", params(("id" = Uuid, Path)), request_body = LaunchRequest,
    responses((status = 200, body = LaunchPreview), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn preview_launch(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<PlaybookId>,
    Json(b): Json<LaunchRequest>,
) -> ApiResult<axum::Json<LaunchPreview>> {
    p.require::<perm::RunsExecute>()?;
    let plan = services::playbooks::plan(&state, id, b).await?;
    Ok(axum::Json(LaunchPreview {
        command: plan.command(),
        playbook: plan.playbook.name.clone(),
        version: plan.playbook.current_version,
        options: plan.options.clone(),
        variables: serde_json::to_value(&plan.shown_vars).unwrap_or_default(),
        dry_run: plan.dry_run,
        total_hosts: plan.hosts.len() as u64,
        without_credential: plan
            .hosts
            .iter()
            .filter(|h| h.credential_id.is_none())
            .count() as u64,
        without_host_key: plan.hosts.iter().filter(|h| h.host_key.is_none()).count() as u64,
        hosts: plan
            .hosts
            .into_iter()
            .take(100)
            .map(|h| ResolvedHost {
                id: h.id.as_uuid(),
                name: h.name,
                address: h.address,
                status: h.status,
            })
            .collect(),
    }))
}

/// Launches a playbook: the run is queued for a worker (202; follow `/runs/{id}/events`).
#[utoipa::path(post, path = "/api/v1/playbooks/{id}/launch", tag = "playbooks", params(("id" = Uuid, Path)), request_body = LaunchRequest,
    responses((status = 202, body = Run), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn launch_playbook(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<PlaybookId>,
    Json(b): Json<LaunchRequest>,
) -> ApiResult<(StatusCode, axum::Json<Run>)> {
    let cap = p.require::<perm::RunsExecute>()?;
    let trigger = services::runs::trigger_of(cap.principal());
    let run =
        services::playbooks::launch(&state, Some(cap.principal()), &ctx, id, b, trigger).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(run.into())))
}

/// A schedule with its upcoming fire times.
#[derive(Debug, Serialize, ToSchema)]
pub struct Schedule {
    pub id: Uuid,
    pub playbook_id: Uuid,
    pub name: String,
    pub cron: Option<String>,
    pub interval_seconds: Option<i64>,
    pub timezone: String,
    pub enabled: bool,
    pub ends_at: Option<DateTime<Utc>>,
    pub overrides: ScheduleOverrides,
    pub overlap: String,
    pub missed: String,
    /// e.g. "At 02:30 on Monday through Friday (Europe/Paris)".
    pub description: String,
    /// The next 5 fire times.
    pub next: Vec<DateTime<Utc>>,
    pub last_fired_at: Option<DateTime<Utc>>,
    pub last_run_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<ScheduleRow> for Schedule {
    fn from(s: ScheduleRow) -> Self {
        let up = services::schedules::upcoming(&s);
        Self {
            id: s.id.as_uuid(),
            playbook_id: s.playbook_id.as_uuid(),
            name: s.name,
            cron: s.cron,
            interval_seconds: s.interval_seconds,
            timezone: s.timezone,
            enabled: s.enabled,
            ends_at: s.ends_at,
            overrides: serde_json::from_value(s.overrides).unwrap_or_default(),
            overlap: s.overlap,
            missed: s.missed,
            description: up.description,
            next: up.next,
            last_fired_at: s.last_fired_at,
            last_run_id: s.last_run_id.map(|r| r.as_uuid()),
            created_at: s.created_at,
        }
    }
}

/// Which schedules.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScheduleListParams {
    /// One playbook's schedules.
    pub playbook: Option<Uuid>,
}

/// Schedules by name with their next 5 fire times.
#[utoipa::path(get, path = "/api/v1/schedules", tag = "playbooks", params(ScheduleListParams),
    responses((status = 200, body = Vec<Schedule>)), security(("bearer" = [])))]
pub async fn list_schedules(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<ScheduleListParams>,
) -> ApiResult<axum::Json<Vec<Schedule>>> {
    let cap = p.require::<perm::PlaybooksRead>()?;
    let rows =
        services::schedules::list(&state, cap, q.playbook.map(PlaybookId::from_uuid)).await?;
    Ok(axum::Json(rows.into_iter().map(Schedule::from).collect()))
}

/// Creates a schedule.
#[utoipa::path(post, path = "/api/v1/schedules", tag = "playbooks", request_body = ScheduleInput,
    responses((status = 201, body = Schedule), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_schedule(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<ScheduleInput>,
) -> ApiResult<(StatusCode, axum::Json<Schedule>)> {
    let cap = p.require::<perm::PlaybooksManage>()?;
    let s = services::schedules::create(&state, cap, &ctx, b).await?;
    Ok((StatusCode::CREATED, axum::Json(s.into())))
}

/// Saves a schedule (enable/disable by saving `enabled`).
#[utoipa::path(put, path = "/api/v1/schedules/{id}", tag = "playbooks", params(("id" = Uuid, Path)), request_body = ScheduleInput,
    responses((status = 200, body = Schedule), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_schedule(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<ScheduleId>,
    Json(b): Json<ScheduleInput>,
) -> ApiResult<axum::Json<Schedule>> {
    let cap = p.require::<perm::PlaybooksManage>()?;
    Ok(axum::Json(
        services::schedules::update(&state, cap, &ctx, id, b)
            .await?
            .into(),
    ))
}

/// Deletes a schedule.
#[utoipa::path(delete, path = "/api/v1/schedules/{id}", tag = "playbooks", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn delete_schedule(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<ScheduleId>,
) -> ApiResult<StatusCode> {
    let cap = p.require::<perm::PlaybooksManage>()?;
    services::schedules::delete(&state, cap, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A timing to describe.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SchedulePreviewRequest {
    pub cron: Option<String>,
    pub interval_seconds: Option<i64>,
    #[serde(default)]
    pub timezone: Option<String>,
}

/// A timing, described, with its next fire times.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchedulePreview {
    pub description: String,
    pub next: Vec<DateTime<Utc>>,
}

/// Describes a cron expression or interval and lists its next 5 fire times.
#[utoipa::path(post, path = "/api/v1/schedules/preview", tag = "playbooks", request_body = SchedulePreviewRequest,
    responses((status = 200, body = SchedulePreview), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn preview_schedule(
    Auth(p): Auth,
    Json(b): Json<SchedulePreviewRequest>,
) -> ApiResult<axum::Json<SchedulePreview>> {
    p.require::<perm::PlaybooksRead>()?;
    let w = services::schedules::when(
        b.cron.as_deref(),
        b.interval_seconds,
        b.timezone.as_deref().unwrap_or("UTC"),
        Utc::now(),
    )?;
    let pv = services::schedules::preview(&w, Utc::now(), 5, None);
    Ok(axum::Json(SchedulePreview {
        description: pv.description,
        next: pv.next,
    }))
}
