//! `/api/v1/runs`: ad-hoc commands and scripts on many hosts, SSH key deployment, the run history
//! with per-host results, stored output and a live stream.

use super::page_type;
use crate::context::RequestContext;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Path, Query};
use crate::services::{
    self,
    runs::{CommandRequest, KeyRequest, RotationRequest, TargetSpec},
};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use itmgr_auth::perm;
use itmgr_domain::{HostId, HostRunStatus, RunId, RunKind, RunStatus, RunTrigger};
use itmgr_storage::repo::runs::{Chunk, Run as RunRow, RunFilter, RunHost as RunHostRow, RunSort};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Host counts by state.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct RunSummary {
    pub total: u64,
    pub pending: u64,
    pub running: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub unreachable: u64,
    pub timed_out: u64,
    pub canceled: u64,
    pub skipped: u64,
}

/// A run.
#[derive(Debug, Serialize, ToSchema)]
pub struct Run {
    pub id: Uuid,
    #[schema(value_type = String, example = "command")]
    pub kind: RunKind,
    #[schema(value_type = String, example = "running")]
    pub status: RunStatus,
    #[schema(value_type = String, example = "user")]
    pub trigger: RunTrigger,
    /// The run this one repeats.
    pub rerun_of: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_by_name: String,
    /// One line: the command, the script and its arguments, or the key.
    pub title: String,
    /// The selection as given (hosts, groups, rule).
    #[schema(value_type = Object)]
    pub target: serde_json::Value,
    /// What runs and how (`action`, `options`); never secrets.
    #[schema(value_type = Object)]
    pub parameters: serde_json::Value,
    pub summary: RunSummary,
    pub queued_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Milliseconds from start to finish (or until now while running).
    pub duration_ms: Option<i64>,
    pub error: Option<String>,
    /// For playbook runs: the playbook and the version of its content that ran.
    pub playbook_id: Option<Uuid>,
    pub playbook_version: Option<i32>,
    /// For playbook runs: `ansible-playbook`'s exit status.
    pub exit_code: Option<i32>,
}

impl From<RunRow> for Run {
    fn from(r: RunRow) -> Self {
        let duration_ms = r
            .started_at
            .map(|s| (r.finished_at.unwrap_or_else(Utc::now) - s).num_milliseconds());
        Self {
            id: r.id.as_uuid(),
            kind: r.kind,
            status: r.status,
            trigger: r.trigger,
            rerun_of: r.rerun_of.map(|x| x.as_uuid()),
            created_by: r.created_by.map(|u| u.as_uuid()),
            created_by_name: r.created_by_name,
            title: r.title,
            target: r.target,
            parameters: r.parameters,
            summary: serde_json::from_value(r.summary).unwrap_or_default(),
            queued_at: r.queued_at,
            started_at: r.started_at,
            finished_at: r.finished_at,
            duration_ms,
            error: r.error,
            playbook_id: r.playbook.map(|p| p.0.as_uuid()),
            playbook_version: r.playbook.map(|p| p.1),
            exit_code: r.exit_code,
        }
    }
}

/// One host of a run.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RunHost {
    pub host_id: Uuid,
    pub host_name: String,
    pub address: String,
    pub port: u16,
    #[schema(value_type = String, example = "succeeded")]
    pub status: HostRunStatus,
    pub exit_code: Option<i32>,
    pub error: Option<String>,
    /// For key runs: `added`, `present`, `removed` or `absent`.
    pub result: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Output produced (stored up to 1 MiB).
    pub output_bytes: i64,
    /// For playbook runs: Ansible's counts (`ok`, `changed`, `failed`, `unreachable`,
    /// `skipped`, `rescued`, `ignored`).
    #[schema(value_type = Option<Object>)]
    pub stats: Option<serde_json::Value>,
}

impl From<RunHostRow> for RunHost {
    fn from(h: RunHostRow) -> Self {
        Self {
            host_id: h.host_id.as_uuid(),
            host_name: h.host_name,
            address: h.address,
            port: h.port,
            status: h.status,
            exit_code: h.exit_code,
            error: h.error,
            result: h.result,
            started_at: h.started_at,
            finished_at: h.finished_at,
            output_bytes: h.output_bytes,
            stats: h.stats,
        }
    }
}

/// A run with its hosts.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunDetail {
    #[serde(flatten)]
    pub run: Run,
    pub hosts: Vec<RunHost>,
}

/// A piece of output.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutputChunk {
    /// Increasing within the run; resume after the last one seen.
    pub seq: i64,
    /// `null` for messages of the run itself.
    pub host_id: Option<Uuid>,
    /// `out`, `err` or `sys` (a message from IT Manager, e.g. why a host failed).
    pub stream: String,
    pub data: String,
    pub at: DateTime<Utc>,
}

impl From<Chunk> for OutputChunk {
    fn from(c: Chunk) -> Self {
        Self {
            seq: c.seq,
            host_id: c.host_id.map(|h| h.as_uuid()),
            stream: c.stream.to_owned(),
            data: c.data,
            at: c.at,
        }
    }
}

page_type!(RunPage, Run);

/// Filters for the run history.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunListParams {
    /// Comma-separated kinds (`command`, `script`, `key_deploy`, `key_remove`, `key_rotate`,
    /// `playbook`).
    pub kind: Option<String>,
    /// Comma-separated statuses.
    pub status: Option<String>,
    /// Started by this user.
    pub user: Option<Uuid>,
    /// Runs that targeted this host.
    pub host: Option<Uuid>,
    /// Text in the title.
    pub q: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Runs of this playbook.
    pub playbook: Option<Uuid>,
    /// Comma-separated triggers (`user`, `api_token`, `rerun`, `schedule`).
    pub trigger: Option<String>,
    /// `queued_at` (default), `started_at`, `finished_at`, `title`, `status` or `kind`; prefix `-` for
    /// descending. Default `-queued_at` (newest first).
    pub sort: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

fn list_of<T: std::str::FromStr>(field: &'static str, v: Option<&str>) -> ApiResult<Vec<T>> {
    v.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| crate::error::ApiError::field(field, format!("unknown value {s:?}")))
        })
        .collect()
}

/// The run history, newest first.
#[utoipa::path(get, path = "/api/v1/runs", tag = "runs", params(RunListParams),
    responses((status = 200, body = RunPage), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_runs(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<RunListParams>,
) -> ApiResult<axum::Json<RunPage>> {
    let cap = p.require::<perm::RunsRead>()?;
    let sort_text = q.sort.as_deref().unwrap_or("-queued_at");
    let descending = sort_text.starts_with('-');
    let sort = match sort_text.trim_start_matches('-') {
        "queued_at" => RunSort::Queued,
        "started_at" => RunSort::Started,
        "finished_at" => RunSort::Finished,
        "title" => RunSort::Title,
        "status" => RunSort::Status,
        "kind" => RunSort::Kind,
        other => {
            return Err(crate::error::ApiError::field(
                "sort",
                format!("unknown sort field {other:?}"),
            ))
        }
    };
    let filter = RunFilter {
        kinds: list_of("kind", q.kind.as_deref())?,
        statuses: list_of("status", q.status.as_deref())?,
        created_by: q.user.map(itmgr_domain::UserId::from_uuid),
        host: q.host.map(HostId::from_uuid),
        q: q.q,
        since: q.since,
        until: q.until,
        playbook: q.playbook.map(itmgr_domain::PlaybookId::from_uuid),
        triggers: list_of("trigger", q.trigger.as_deref())?,
        sort,
        descending,
    };
    let page = services::page(q.limit, q.offset);
    let runs = services::runs::list(&state, cap, &filter, page).await?;
    Ok(axum::Json(RunPage::from_page(runs, page, Run::from)))
}

/// A run with its per-host results.
#[utoipa::path(get, path = "/api/v1/runs/{id}", tag = "runs", params(("id" = Uuid, Path)),
    responses((status = 200, body = RunDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_run(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<RunId>,
) -> ApiResult<axum::Json<RunDetail>> {
    let cap = p.require::<perm::RunsRead>()?;
    let (run, hosts) = services::runs::get(&state, cap, id).await?;
    Ok(axum::Json(RunDetail {
        run: run.into(),
        hosts: hosts.into_iter().map(RunHost::from).collect(),
    }))
}

/// Which output to read.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutputParams {
    /// Chunks after this sequence number (default 0: from the start).
    pub after: Option<i64>,
    /// One host's output only.
    pub host: Option<Uuid>,
    /// At most this many chunks (1–5000, default 1000).
    pub limit: Option<u64>,
}

/// A run's stored output, in order.
#[utoipa::path(get, path = "/api/v1/runs/{id}/output", tag = "runs", params(("id" = Uuid, Path), OutputParams),
    responses((status = 200, body = Vec<OutputChunk>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_run_output(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<RunId>,
    Query(q): Query<OutputParams>,
) -> ApiResult<axum::Json<Vec<OutputChunk>>> {
    let cap = p.require::<perm::RunsRead>()?;
    services::runs::get(&state, p.require::<perm::RunsRead>()?, id).await?;
    let chunks = services::runs::output(
        &state,
        &cap,
        id,
        q.after.unwrap_or(0),
        q.host.map(HostId::from_uuid),
        q.limit.unwrap_or(1000),
    )
    .await?;
    Ok(axum::Json(
        chunks.into_iter().map(OutputChunk::from).collect(),
    ))
}

/// Live progress as Server-Sent Events: `output` (an [`OutputChunk`], its `seq` as the event id),
/// `host` (a [`RunHost`] whose state changed), and finally `run` (the finished [`Run`]), after
/// which the stream ends. `?after=SEQ` (or `Last-Event-ID`) resumes without gaps or repeats.
#[utoipa::path(get, path = "/api/v1/runs/{id}/events", tag = "runs", params(("id" = Uuid, Path), OutputParams),
    responses((status = 200, description = "text/event-stream of output, host and run events", body = OutputChunk, content_type = "text/event-stream"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn run_events(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<RunId>,
    Query(q): Query<OutputParams>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let cap = p.require::<perm::RunsRead>()?;
    services::runs::get(&state, p.require::<perm::RunsRead>()?, id).await?;
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .or(q.after)
        .unwrap_or(0);
    let (tx, rx) = tokio::sync::mpsc::channel::<Event>(64);
    tokio::spawn(async move {
        let mut after = after;
        let mut sent: HashMap<Uuid, RunHost> = HashMap::new();
        loop {
            // Subscribe before reading so nothing stored in between is missed.
            let mut stored = state.runs.get(id).map(|l| l.stored.subscribe());
            let Ok((run, hosts)) = services::runs::get(&state, p_clone(&cap), id).await else {
                return;
            };
            let chunks = match services::runs::output(&state, &cap, id, after, None, 1000).await {
                Ok(c) => c,
                Err(_) => return,
            };
            let more = chunks.len() == 1000;
            for c in chunks {
                after = c.seq;
                let ev = Event::default()
                    .event("output")
                    .id(c.seq.to_string())
                    .json_data(OutputChunk::from(c));
                if let Ok(ev) = ev {
                    if tx.send(ev).await.is_err() {
                        return;
                    }
                }
            }
            for h in hosts.into_iter().map(RunHost::from) {
                if sent.get(&h.host_id) != Some(&h) {
                    if let Ok(ev) = Event::default().event("host").json_data(&h) {
                        if tx.send(ev).await.is_err() {
                            return;
                        }
                    }
                    sent.insert(h.host_id, h);
                }
            }
            if more {
                continue;
            }
            if run.status.is_final() {
                if let Ok(ev) = Event::default().event("run").json_data(Run::from(run)) {
                    let _ = tx.send(ev).await;
                }
                return;
            }
            // Wake on the next stored batch here, or poll (a run executing in another process).
            match stored.as_mut() {
                Some(rx) => {
                    let _ = tokio::time::timeout(Duration::from_secs(2), rx.changed()).await;
                }
                None => tokio::time::sleep(Duration::from_millis(500)).await,
            }
        }
    });
    let stream = futures_util::StreamExt::map(tokio_stream::wrappers::ReceiverStream::new(rx), Ok);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn p_clone(cap: &itmgr_auth::Capability<perm::RunsRead>) -> itmgr_auth::Capability<perm::RunsRead> {
    cap.principal()
        .require::<perm::RunsRead>()
        .expect("the principal already holds the permission")
}

/// Starts a command or a script on the selected hosts (202: it runs in the background; follow
/// `/runs/{id}/events`).
#[utoipa::path(post, path = "/api/v1/runs/commands", tag = "runs", request_body = CommandRequest,
    responses((status = 202, body = Run), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn run_command(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<CommandRequest>,
) -> ApiResult<(StatusCode, axum::Json<Run>)> {
    let cap = p.require::<perm::RunsExecute>()?;
    let run = services::runs::run_command(&state, cap, &ctx, b).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(run.into())))
}

/// Adds a public key to (or removes it from) `authorized_keys` on the selected hosts:
/// idempotent, atomic, permissions kept; the per-host `result` says what changed.
#[utoipa::path(post, path = "/api/v1/runs/ssh-keys", tag = "runs", request_body = KeyRequest,
    responses((status = 202, body = Run), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn run_key(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<KeyRequest>,
) -> ApiResult<(StatusCode, axum::Json<Run>)> {
    let cap = p.require::<perm::KeysDeploy>()?;
    let run = services::runs::run_key(&state, cap, &ctx, b).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(run.into())))
}

/// Rotates an SSH key secret on every host that logs in with it: deploy a new key, verify a login
/// with it on each host, then store it and remove the old key; if any host fails, the new key is
/// removed again and the secret is unchanged. Needs `keys:deploy` and `secrets:update`.
#[utoipa::path(post, path = "/api/v1/runs/key-rotation", tag = "runs", request_body = RotationRequest,
    responses((status = 202, body = Run), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn rotate_key(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<RotationRequest>,
) -> ApiResult<(StatusCode, axum::Json<Run>)> {
    let cap = p.require::<perm::KeysDeploy>()?;
    let secrets = p.require::<perm::SecretsUpdate>()?;
    let run = services::runs::rotate_key(&state, cap, secrets, &ctx, b).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(run.into())))
}

/// Stops a running run: open channels close, hosts not started yet are marked canceled.
#[utoipa::path(post, path = "/api/v1/runs/{id}/cancel", tag = "runs", params(("id" = Uuid, Path)),
    responses((status = 202, description = "Canceling"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn cancel_run(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<RunId>,
) -> ApiResult<StatusCode> {
    let cap = p.require::<perm::RunsExecute>()?;
    services::runs::cancel(&state, cap, &ctx, id).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Which hosts to run again.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RerunRequest {
    /// Only the hosts that did not succeed.
    #[serde(default)]
    pub failed_only: bool,
}

/// Runs a finished run again with the same parameters.
#[utoipa::path(post, path = "/api/v1/runs/{id}/rerun", tag = "runs", params(("id" = Uuid, Path)), request_body = RerunRequest,
    responses((status = 202, body = Run), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn rerun_run(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<RunId>,
    Json(b): Json<RerunRequest>,
) -> ApiResult<(StatusCode, axum::Json<Run>)> {
    let cap = p.require::<perm::RunsExecute>()?;
    let run = services::runs::rerun(&state, cap, &ctx, id, b.failed_only).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(run.into())))
}

/// How many hosts a selection resolves to, and the first of them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResolvedTargets {
    pub total: u64,
    /// Up to 100 hosts, by name.
    pub hosts: Vec<ResolvedHost>,
    /// Hosts without a credential (they would fail).
    pub without_credential: u64,
    /// Hosts whose SSH host key is not on record yet (they would fail).
    pub without_host_key: u64,
}

/// A host a selection resolved to.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResolvedHost {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    #[schema(value_type = String)]
    pub status: itmgr_domain::HostStatus,
}

/// Resolves a selection (hosts, groups, rule) the way a run would, for a live count.
#[utoipa::path(post, path = "/api/v1/runs/targets", tag = "runs", request_body = TargetSpec,
    responses((status = 200, body = ResolvedTargets), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn resolve_targets(
    State(state): State<AppState>,
    Auth(p): Auth,
    Json(b): Json<TargetSpec>,
) -> ApiResult<axum::Json<ResolvedTargets>> {
    p.require::<perm::HostsRead>()?;
    let hosts = services::runs::resolve(&state, &b).await?;
    Ok(axum::Json(ResolvedTargets {
        total: hosts.len() as u64,
        without_credential: hosts.iter().filter(|h| h.credential_id.is_none()).count() as u64,
        without_host_key: hosts.iter().filter(|h| h.host_key.is_none()).count() as u64,
        hosts: hosts
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

/// Where to start reading a log.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogParams {
    /// The first sequence number wanted (default 1: from the start).
    pub from: Option<i64>,
    /// At most this many chunks (1–5000, default 1000).
    pub limit: Option<u64>,
}

/// A run's log from sequence number `from` on (the same chunks as `/output`).
#[utoipa::path(get, path = "/api/v1/runs/{id}/log", tag = "runs", params(("id" = Uuid, Path), LogParams),
    responses((status = 200, body = Vec<OutputChunk>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_run_log(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<RunId>,
    Query(q): Query<LogParams>,
) -> ApiResult<axum::Json<Vec<OutputChunk>>> {
    let cap = p.require::<perm::RunsRead>()?;
    services::runs::get(&state, p.require::<perm::RunsRead>()?, id).await?;
    let from = q.from.unwrap_or(1).max(1);
    let chunks =
        services::runs::output(&state, &cap, id, from - 1, None, q.limit.unwrap_or(1000)).await?;
    Ok(axum::Json(
        chunks.into_iter().map(OutputChunk::from).collect(),
    ))
}

/// A run's whole log as plain text (ANSI colours removed), for download.
#[utoipa::path(get, path = "/api/v1/runs/{id}/log.txt", tag = "runs", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The log", content_type = "text/plain"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn download_run_log(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<RunId>,
) -> ApiResult<impl axum::response::IntoResponse> {
    let cap = p.require::<perm::RunsRead>()?;
    let text = services::runs::log_text(&state, cap, id).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"run-{id}.log\""),
            ),
        ],
        text,
    ))
}

/// One structured event of a playbook run.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskEvent {
    pub seq: i64,
    /// `playbook_on_play_start`, `playbook_on_task_start`, `runner_on_ok`, `runner_on_failed`,
    /// `runner_on_unreachable`, `runner_on_skipped`, `playbook_on_stats`.
    pub event: String,
    pub host: Option<String>,
    pub play: Option<String>,
    pub task: Option<String>,
    /// `changed`, `msg`, `rc`, `duration_ms`, `action`, … (secrets masked).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub at: DateTime<Utc>,
}

/// Which events to read.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskParams {
    /// Events after this sequence number.
    pub after: Option<i64>,
    /// At most this many (1–5000, default 1000).
    pub limit: Option<u64>,
}

/// A playbook run's per-task, per-host events (from the bundled callback plugin).
#[utoipa::path(get, path = "/api/v1/runs/{id}/tasks", tag = "runs", params(("id" = Uuid, Path), TaskParams),
    responses((status = 200, body = Vec<TaskEvent>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_run_tasks(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<RunId>,
    Query(q): Query<TaskParams>,
) -> ApiResult<axum::Json<Vec<TaskEvent>>> {
    let cap = p.require::<perm::RunsRead>()?;
    let events = services::runs::events(
        &state,
        cap,
        id,
        q.after.unwrap_or(0),
        q.limit.unwrap_or(1000),
    )
    .await?;
    Ok(axum::Json(
        events
            .into_iter()
            .map(|e| TaskEvent {
                seq: e.seq,
                event: e.event,
                host: e.host,
                play: e.play,
                task: e.task,
                data: e.data,
                at: e.at,
            })
            .collect(),
    ))
}

/// A file a run left.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactInfo {
    /// Relative path.
    pub name: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

/// The files a playbook run wrote to its artifacts directory (`itmgr_artifacts_dir`).
#[utoipa::path(get, path = "/api/v1/runs/{id}/artifacts", tag = "runs", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<ArtifactInfo>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_run_artifacts(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<RunId>,
) -> ApiResult<axum::Json<Vec<ArtifactInfo>>> {
    let cap = p.require::<perm::RunsRead>()?;
    let list = services::runs::artifacts(&state, cap, id).await?;
    Ok(axum::Json(
        list.into_iter()
            .map(|a| ArtifactInfo {
                name: a.name,
                size: a.size,
                created_at: a.created_at,
            })
            .collect(),
    ))
}

/// Downloads one artifact.
#[utoipa::path(get, path = "/api/v1/runs/{id}/artifacts/{name}", tag = "runs", params(("id" = Uuid, Path), ("name" = String, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn download_run_artifact(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path((id, name)): Path<(RunId, String)>,
) -> ApiResult<impl axum::response::IntoResponse> {
    let cap = p.require::<perm::RunsRead>()?;
    let data = services::runs::artifact(&state, cap, id, &name).await?;
    let file = name
        .rsplit('/')
        .next()
        .unwrap_or("artifact")
        .replace('"', "");
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/octet-stream".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        data,
    ))
}
