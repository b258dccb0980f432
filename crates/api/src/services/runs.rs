//! Runs on many hosts at once: ad-hoc commands and scripts, SSH key deployment. One process,
//! async SSH connections (no external `ssh`), bounded concurrency, a per-host timeout, cancel,
//! stop at the first failure, live output and a stored history.
//!
//! A run is stored with its target snapshot (the hosts resolved at launch). Each host runs in its
//! own task; their output and state changes go through one channel to a writer that stores them
//! in batches (a few statements per 150 ms whatever the number of hosts) and wakes the live
//! streams. Secrets (the credential's become password) reach the host on stdin only and are
//! masked in stored output.

use super::audit::Event;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::Utc;
use futures_util::StreamExt;
use itmgr_auth::{perm, Capability, Principal, PrincipalKind};
use itmgr_domain::{
    GroupId, HostAddress, HostId, HostRunStatus, Interpreter, RunId, RunKind, RunStatus,
    RunTrigger, SecretId,
};
use itmgr_ssh::{SshError, Timeouts};
use itmgr_storage::repo::hosts::{self as hosts_repo, Host, HostFilter};
use itmgr_storage::repo::runs::{self as repo, Chunk, Run, RunFilter, RunHost};
use itmgr_storage::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch, Semaphore};
use zeroize::Zeroizing;

/// Output stored per host; beyond it the rest is dropped with a note.
pub const MAX_OUTPUT_PER_HOST: i64 = 1 << 20;
/// Largest script accepted.
pub const MAX_SCRIPT: usize = 1 << 20;
/// Log stored per run (a playbook's output); beyond it the rest is dropped with a note.
pub const MAX_RUN_LOG: i64 = 64 << 20;
/// Most hosts one run may target.
pub const MAX_TARGETS: usize = 10_000;

/// Which hosts a run targets: explicit hosts, groups (with their nested groups) and a rule; the
/// union of all three.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TargetSpec {
    /// Host ids.
    #[serde(default)]
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub hosts: Vec<HostId>,
    /// Group names or ids.
    #[serde(default)]
    pub groups: Vec<String>,
    /// A rule such as `tags.env == "prod" AND os == "linux"`.
    #[serde(default)]
    pub rule: Option<String>,
}

/// Resolves a selection to hosts, ordered by name.
pub async fn resolve(state: &AppState, spec: &TargetSpec) -> ApiResult<Vec<Host>> {
    let db = state.db.conn();
    let mut ids: HashSet<HostId> = HashSet::new();
    if !spec.hosts.is_empty() {
        let found = hosts_repo::existing(db, &spec.hosts).await?;
        if found.len() != spec.hosts.iter().collect::<HashSet<_>>().len() {
            return Err(ApiError::field("targets", "some of the hosts do not exist"));
        }
        ids.extend(found);
    }
    let rule = spec
        .rule
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if !spec.groups.is_empty() || rule.is_some() {
        let graph = super::membership::Graph::load(db).await?;
        for g in &spec.groups {
            let id = graph
                .groups
                .iter()
                .find(|x| x.name.as_str() == g.trim() || x.id.to_string() == g.trim())
                .map(|x| x.id)
                .ok_or_else(|| ApiError::field("targets", format!("no group {g:?}")))?;
            let filter = HostFilter {
                groups: Some(graph.descendants(id).iter().map(GroupId::as_uuid).collect()),
                ..Default::default()
            };
            ids.extend(hosts_repo::ids(db, &filter).await?);
        }
        if let Some(text) = rule {
            let rule = itmgr_rules::parse(text).map_err(|e| {
                ApiError::field(
                    "targets",
                    format!("rule, line {} column {}: {}", e.line, e.column, e.message),
                )
            })?;
            let filter = HostFilter {
                rule: Some((rule, graph.sets())),
                ..Default::default()
            };
            ids.extend(hosts_repo::ids(db, &filter).await?);
        }
    }
    if ids.len() > MAX_TARGETS {
        return Err(ApiError::field(
            "targets",
            format!("at most {MAX_TARGETS} hosts per run"),
        ));
    }
    let ids: Vec<HostId> = ids.into_iter().collect();
    let mut hosts = hosts_repo::find_many(db, &ids).await?;
    hosts.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(hosts)
}

/// What runs on each host.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// A command line, run by the login shell.
    Command { command: String },
    /// A script fed to its interpreter on stdin, with arguments.
    Script {
        name: String,
        content: String,
        interpreter: Interpreter,
        args: Vec<String>,
    },
    /// Adds (`deploy`) or removes a public key in a user's `authorized_keys`.
    Key {
        deploy: bool,
        /// `type base64 [comment]`, validated.
        public_key: String,
        fingerprint: String,
        /// Another user than the login (through sudo).
        user: Option<String>,
    },
}

/// How a run executes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Options {
    pub sudo: bool,
    pub timeout_seconds: u32,
    pub concurrency: u32,
    pub stop_on_failure: bool,
}

/// A run to start.
pub struct NewRun {
    pub kind: RunKind,
    pub title: String,
    pub action: Action,
    pub options: Options,
    pub target: TargetSpec,
    pub hosts: Vec<Host>,
    pub trigger: RunTrigger,
    pub rerun_of: Option<RunId>,
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The remote side of a key change: idempotent (keys compared by their base64 blob, whatever the
/// options or comment), atomic (a temp file in the same directory, renamed over the original)
/// and keeping the file's permissions. Prints `itmgr-key: added|present|removed|absent`.
const KEY_SCRIPT: &str = r#"set -eu
umask 077
action="$1"; key="$2"
blob=$(printf '%s\n' "$key" | awk '{print $2}')
d="$HOME/.ssh"; f="$d/authorized_keys"
[ -d "$d" ] || mkdir -m 700 "$d"
[ -f "$f" ] || { : > "$f"; chmod 600 "$f"; }
has=$(awk -v b="$blob" '$2 == b || $3 == b { n++ } END { print n + 0 }' "$f")
if [ "$action" = deploy ] && [ "$has" -gt 0 ]; then echo "itmgr-key: present"; exit 0; fi
if [ "$action" = remove ] && [ "$has" -eq 0 ]; then echo "itmgr-key: absent"; exit 0; fi
tmp=$(mktemp "$d/.authorized_keys.XXXXXX")
trap 'rm -f "$tmp"' EXIT
if [ "$action" = deploy ]; then
  cat "$f" > "$tmp"
  if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$tmp"; fi
  printf '%s\n' "$key" >> "$tmp"
  result=added
else
  awk -v b="$blob" '!($2 == b || $3 == b)' "$f" > "$tmp"
  result=removed
fi
chmod "$(stat -c %a "$f")" "$tmp"
mv -f "$tmp" "$f"
trap - EXIT
echo "itmgr-key: $result"
"#;

/// The remote command line and what goes to its stdin (after the become password, if any).
fn remote(action: &Action) -> (String, Vec<u8>, Option<String>) {
    match action {
        Action::Command { command } => (format!("sh -c {}", sh_quote(command)), vec![], None),
        Action::Script {
            content,
            interpreter,
            args,
            ..
        } => {
            let head = match interpreter {
                Interpreter::Bash => "bash -s --",
                Interpreter::Sh => "sh -s --",
                Interpreter::Python => "python3 -",
            };
            let args: Vec<String> = args.iter().map(|a| sh_quote(a)).collect();
            (
                format!("{head} {}", args.join(" ")).trim_end().to_owned(),
                content.clone().into_bytes(),
                None,
            )
        }
        Action::Key {
            deploy,
            public_key,
            user,
            ..
        } => (
            format!(
                "sh -c {} itmgr-key {} {}",
                sh_quote(KEY_SCRIPT),
                if *deploy { "deploy" } else { "remove" },
                sh_quote(public_key)
            ),
            vec![],
            user.clone(),
        ),
    }
}

/// A running run: its cancel switch and the signal that new output or state was stored.
pub struct Live {
    pub(crate) cancel: watch::Sender<bool>,
    /// Bumped after each stored batch.
    pub stored: watch::Sender<u64>,
}

/// Runs executing in this process.
#[derive(Default)]
pub struct Runs {
    live: Mutex<HashMap<RunId, Arc<Live>>>,
}

impl Runs {
    /// The live state of a run executing here.
    pub fn get(&self, id: RunId) -> Option<Arc<Live>> {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    }

    pub(crate) fn insert(&self, id: RunId, live: Arc<Live>) {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, live);
    }

    pub(crate) fn remove(&self, id: RunId) {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
    }
}

pub(crate) enum Msg {
    Output(HostId, bool, Vec<u8>),
    System(Option<HostId>, String),
    Host(RunHost),
    /// A piece of the run's own log (a playbook's output), `true` for stderr.
    Log(bool, String),
    /// A structured event of a playbook run: name, host, play, task, data.
    Event(repo::RunEvent),
}

/// The target snapshot of a run: one pending host per resolved host, in order.
pub(crate) fn snapshot(hosts: &[Host]) -> Vec<RunHost> {
    hosts
        .iter()
        .enumerate()
        .map(|(i, h)| RunHost {
            host_id: h.id,
            position: i32::try_from(i).unwrap_or(i32::MAX),
            host_name: h.name.clone(),
            address: h.address.clone(),
            port: h.port,
            status: HostRunStatus::Pending,
            exit_code: None,
            error: None,
            result: None,
            started_at: None,
            finished_at: None,
            output_bytes: 0,
            stats: None,
        })
        .collect()
}

/// Deletes finished runs past the retention in force (Settings page, else configuration);
/// returns how many went.
pub async fn apply_retention(state: &AppState) -> ApiResult<u64> {
    let settings = itmgr_storage::repo::settings::get(state.db.conn()).await?;
    let r = super::settings::effective_retention(state, &settings);
    let before =
        (r.days > 0).then(|| chrono::Utc::now() - chrono::Duration::days(i64::from(r.days)));
    let keep = (r.kept_per_playbook > 0).then_some(r.kept_per_playbook);
    let cap = (r.logs_max_mb > 0)
        .then(|| i64::try_from(r.logs_max_mb.saturating_mul(1 << 20)).unwrap_or(i64::MAX));
    Ok(repo::delete_old(state.db.conn(), before, keep, cap).await?)
}

/// Stores a run and queues it for a worker: this process's embedded one is woken at once, worker
/// processes by a PostgreSQL notification.
pub(crate) async fn store_and_queue(
    state: &AppState,
    run: &Run,
    hosts: &[RunHost],
    max_attempts: i32,
    payload: Option<serde_json::Value>,
) -> ApiResult<()> {
    repo::insert_queued(state.db.conn(), run, hosts, max_attempts, payload).await?;
    state.jobs.wake();
    if let Err(e) = state.db.notify_jobs_queued().await {
        // The run is stored: a worker's next poll finds it.
        tracing::debug!(error = %e, "notifying workers failed");
    }
    Ok(())
}

pub(crate) fn summary(hosts: &[RunHost]) -> serde_json::Value {
    let mut counts: BTreeMap<&str, u64> =
        HostRunStatus::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    for h in hosts {
        *counts.entry(h.status.as_str()).or_default() += 1;
    }
    let mut v = serde_json::json!(counts);
    v["total"] = serde_json::json!(hosts.len());
    v
}

fn actor(p: &Principal) -> RunTrigger {
    match p.kind {
        PrincipalKind::ApiToken(_) => RunTrigger::ApiToken,
        PrincipalKind::Session(_) => RunTrigger::User,
    }
}

/// The trigger for a run a principal starts directly.
pub fn trigger_of(p: &Principal) -> RunTrigger {
    actor(p)
}

/// Stores a run and starts it in the background; returns it as queued.
pub async fn launch(
    state: &AppState,
    principal: &Principal,
    ctx: &RequestContext,
    new: NewRun,
) -> ApiResult<Run> {
    launch_with(state, principal, ctx, new, None).await
}

async fn launch_with(
    state: &AppState,
    principal: &Principal,
    ctx: &RequestContext,
    new: NewRun,
    rotation: Option<Rotation>,
) -> ApiResult<Run> {
    if new.hosts.is_empty() {
        return Err(ApiError::field("targets", "the selection matches no hosts"));
    }
    let id = RunId::new();
    let hosts: Vec<RunHost> = snapshot(&new.hosts);
    let run = Run {
        id,
        kind: new.kind,
        status: RunStatus::Queued,
        trigger: new.trigger,
        rerun_of: new.rerun_of,
        created_by: Some(principal.user_id),
        created_by_name: principal.username.clone(),
        title: new.title.clone(),
        target: serde_json::to_value(&new.target).unwrap_or_default(),
        parameters: serde_json::json!({ "action": new.action, "options": new.options }),
        summary: summary(&hosts),
        queued_at: Utc::now(),
        started_at: None,
        finished_at: None,
        error: None,
        playbook: None,
        exit_code: None,
    };
    // Key rotations hold the new key in memory until the end: they run here. Everything else
    // goes through the queue (any worker, retried if a worker dies before it starts).
    if rotation.is_none() {
        store_and_queue(state, &run, &hosts, 3, None).await?;
    } else {
        repo::insert(state.db.conn(), &run, &hosts).await?;
    }
    Event::new(ctx, Some(principal), "run.start")
        .target("run", id, Some(&run.title))
        .diff(serde_json::json!({
            "kind": run.kind.as_str(), "hosts": hosts.len(), "options": new.options,
            "rerun_of": new.rerun_of.map(|r| r.to_string()),
        }))
        .write(state.db.conn())
        .await?;
    let Some(rotation) = rotation else {
        return Ok(run);
    };
    let rotation = Some(rotation);
    let live = Arc::new(Live {
        cancel: watch::channel(false).0,
        stored: watch::channel(0).0,
    });
    state.runs.insert(id, live.clone());
    let targets: HashMap<HostId, Host> = new.hosts.into_iter().map(|h| (h.id, h)).collect();
    tokio::spawn(execute(
        state.clone(),
        Job {
            id,
            hosts,
            targets,
            action: new.action,
            options: new.options,
            live,
            rotation,
        },
    ));
    Ok(run)
}

/// Runs a queued command, script or key run (called by the worker that claimed its job).
pub(crate) async fn execute_queued(
    state: &AppState,
    run: Run,
    mut cancel: watch::Receiver<bool>,
) -> Result<(), String> {
    let id = run.id;
    let hosts = repo::hosts(state.db.conn(), id)
        .await
        .map_err(|e| e.to_string())?;
    let action: Action = serde_json::from_value(run.parameters["action"].clone())
        .map_err(|_| "the run's parameters are unreadable".to_owned())?;
    let options: Options = serde_json::from_value(run.parameters["options"].clone())
        .map_err(|_| "the run's parameters are unreadable".to_owned())?;
    let ids: Vec<HostId> = hosts.iter().map(|h| h.host_id).collect();
    let targets: HashMap<HostId, Host> = hosts_repo::find_many(state.db.conn(), &ids)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let live = Arc::new(Live {
        cancel: watch::channel(false).0,
        stored: watch::channel(0).0,
    });
    state.runs.insert(id, live.clone());
    let forward = {
        let live = live.clone();
        tokio::spawn(async move {
            if cancel.wait_for(|c| *c).await.is_ok() {
                live.cancel.send_replace(true);
            }
        })
    };
    execute(
        state.clone(),
        Job {
            id,
            hosts,
            targets,
            action,
            options,
            live,
            rotation: None,
        },
    )
    .await;
    forward.abort();
    Ok(())
}

/// Login material shared by the hosts of a run that use the same credential.
struct Login {
    creds: itmgr_ssh::Credentials,
    become_password: Option<Zeroizing<String>>,
}

/// Everything a run's executor gets.
struct Job {
    id: RunId,
    hosts: Vec<RunHost>,
    targets: HashMap<HostId, Host>,
    action: Action,
    options: Options,
    live: Arc<Live>,
    rotation: Option<Rotation>,
}

async fn execute(state: AppState, job: Job) {
    let Job {
        id,
        hosts,
        targets,
        action,
        options,
        live,
        rotation,
    } = job;
    let db = state.db.clone();
    let _ = repo::start(db.conn(), id).await;
    // Each credential is opened once per run, not once per host.
    let mut logins: HashMap<SecretId, Result<Arc<Login>, String>> = HashMap::new();
    for h in targets.values() {
        if let Some(c) = h.credential_id {
            if let std::collections::hash_map::Entry::Vacant(e) = logins.entry(c) {
                e.insert(
                    super::secrets::ssh_login(&state, c)
                        .await
                        .map(|(creds, become_password)| {
                            Arc::new(Login {
                                creds,
                                become_password,
                            })
                        })
                        .map_err(|e| format!("the credential cannot be used: {e}")),
                );
            }
        }
    }
    let masker = Masker::new(logins.values().flatten().flat_map(|l| {
        [l.become_password.as_deref(), l.creds.password.as_deref()]
            .into_iter()
            .flatten()
            .map(|s| s.as_str())
    }));
    let (tx, rx) = mpsc::channel::<Msg>(4096);
    let writer = tokio::spawn(write_batches(
        db.clone(),
        id,
        hosts.clone(),
        rx,
        live.clone(),
        masker,
    ));
    let policy = super::hosts::policy(&state).await;
    let semaphore = Arc::new(Semaphore::new(options.concurrency.max(1) as usize));
    let stop = Arc::new(AtomicBool::new(false));
    let action = Arc::new(action);
    let mut tasks = tokio::task::JoinSet::new();
    let mut cancel = live.cancel.subscribe();
    let mut finals: Vec<RunHost> = Vec::new();
    // Hosts start in launch order: a permit is taken here before each host's task is spawned.
    for mut rh in hosts {
        let permit = tokio::select! {
            p = semaphore.clone().acquire_owned() => p.ok(),
            _ = cancel.wait_for(|c| *c) => None,
        };
        let Some(permit) = permit.filter(|_| !*cancel.borrow()) else {
            rh.status = HostRunStatus::Canceled;
            finals.push(rh.clone());
            let _ = tx.send(Msg::Host(rh)).await;
            continue;
        };
        if stop.load(Ordering::SeqCst) {
            rh.status = HostRunStatus::Skipped;
            rh.error = Some("not started: the run stopped at the first failure".into());
            finals.push(rh.clone());
            let _ = tx.send(Msg::Host(rh)).await;
            continue;
        }
        let host = targets.get(&rh.host_id).cloned();
        let login = host
            .as_ref()
            .and_then(|h| h.credential_id)
            .and_then(|c| logins.get(&c).cloned());
        let (stop, action, tx) = (stop.clone(), action.clone(), tx.clone());
        let mut cancel = live.cancel.subscribe();
        let policy = policy.as_ref().ok().cloned();
        let options = options.clone();
        tasks.spawn(async move {
            rh.status = HostRunStatus::Running;
            rh.started_at = Some(Utc::now());
            let _ = tx.send(Msg::Host(rh.clone())).await;
            let timeout = Duration::from_secs(u64::from(options.timeout_seconds.max(1)));
            let work = run_host(&rh, host, login, policy, &action, options.sudo, &tx);
            let outcome = tokio::select! {
                r = tokio::time::timeout(timeout, work) => match r {
                    Ok(o) => o,
                    Err(_) => Outcome::status(HostRunStatus::TimedOut, format!("no result within {} s", timeout.as_secs())),
                },
                _ = cancel.wait_for(|c| *c) => Outcome::status(HostRunStatus::Canceled, "canceled".into()),
            };
            rh.status = outcome.status;
            rh.exit_code = outcome.exit_code;
            rh.error = outcome.error;
            rh.result = outcome.result;
            rh.finished_at = Some(Utc::now());
            // Before the permit goes: the next host must see the stop.
            if rh.status != HostRunStatus::Succeeded && options.stop_on_failure {
                stop.store(true, Ordering::SeqCst);
            }
            drop(permit);
            if let Some(e) = &rh.error {
                let _ = tx.send(Msg::System(Some(rh.host_id), e.clone())).await;
            }
            let _ = tx.send(Msg::Host(rh.clone())).await;
            rh
        });
        // Reap finished hosts as we go so a long run does not hold every task.
        while let Some(r) = tasks.try_join_next() {
            finals.extend(r.ok());
        }
    }
    while let Some(r) = tasks.join_next().await {
        finals.extend(r.ok());
    }
    let mut error = policy.as_ref().err().map(|e| e.to_string());
    if let Some(rotation) = rotation {
        finals.sort_by_key(|h| h.position);
        if !*live.cancel.borrow() {
            if let Some(e) = finish_rotation(
                &state,
                rotation,
                &mut finals,
                &targets,
                &logins,
                &options,
                &tx,
            )
            .await
            {
                let _ = tx.send(Msg::System(None, e.clone())).await;
                error = Some(e);
            }
        }
    }
    drop(tx);
    let hosts = writer.await.unwrap_or_default();
    let canceled = *live.cancel.borrow();
    let status = if canceled {
        RunStatus::Canceled
    } else if error.is_none() && hosts.iter().all(|h| h.status == HostRunStatus::Succeeded) {
        RunStatus::Succeeded
    } else {
        RunStatus::Failed
    };
    if let Err(e) = repo::finish(db.conn(), id, status, &summary(&hosts), error.as_deref()).await {
        tracing::error!(run = %id, error = %e, "recording the end of a run failed");
    }
    live.stored.send_modify(|v| *v += 1);
    state.runs.remove(id);
}

struct Outcome {
    status: HostRunStatus,
    exit_code: Option<i32>,
    error: Option<String>,
    result: Option<String>,
}

impl Outcome {
    fn status(status: HostRunStatus, error: String) -> Self {
        Self {
            status,
            exit_code: None,
            error: Some(error),
            result: None,
        }
    }
}

fn ssh_outcome(e: SshError) -> Outcome {
    match e {
        SshError::Net(_) | SshError::Timeout(..) => {
            Outcome::status(HostRunStatus::Unreachable, e.to_string())
        }
        other => Outcome::status(HostRunStatus::Failed, other.to_string()),
    }
}

/// Connects, logs in and runs the action on one host, streaming its output to the writer.
async fn run_host(
    rh: &RunHost,
    host: Option<Host>,
    login: Option<Result<Arc<Login>, String>>,
    policy: Option<itmgr_domain::TargetPolicy>,
    action: &Action,
    sudo: bool,
    tx: &mpsc::Sender<Msg>,
) -> Outcome {
    let Some(host) = host else {
        return Outcome::status(HostRunStatus::Failed, "the host was deleted".into());
    };
    let login = match login {
        None => {
            return Outcome::status(
                HostRunStatus::Failed,
                "the host has no credential to log in with".into(),
            )
        }
        Some(Err(e)) => return Outcome::status(HostRunStatus::Failed, e),
        Some(Ok(l)) => l,
    };
    let Some(policy) = policy else {
        return Outcome::status(HostRunStatus::Failed, "the target policy is invalid".into());
    };
    let Some(known) = host.host_key.as_deref() else {
        return Outcome::status(
            HostRunStatus::Failed,
            "the host key is not trusted yet: accept it in a terminal or record it with an SSH check"
                .into(),
        );
    };
    let address = match HostAddress::parse(&host.address) {
        Ok(a) => a,
        Err(e) => return Outcome::status(HostRunStatus::Failed, e.to_string()),
    };
    let stage = Duration::from_secs(10);
    let mut session = match itmgr_ssh::connect_with(
        &policy,
        &address,
        host.port,
        Some(known),
        Timeouts::all(stage),
        host.legacy_ssh,
    )
    .await
    {
        Ok(s) => s,
        Err(e) => return ssh_outcome(e),
    };
    if let Err(e) = session.authenticate(&login.creds, stage).await {
        session.close().await;
        return ssh_outcome(e);
    }
    let (command, input, as_user) = remote(action);
    let mut stdin = Zeroizing::new(Vec::new());
    let command = if sudo || as_user.is_some() {
        let user = as_user
            .map(|u| format!("-u {} -H ", sh_quote(&u)))
            .unwrap_or_default();
        // Ask sudo first whether it needs a password: feeding one it does not read would hand
        // the password to the command's stdin.
        let needs_password = !matches!(
            session.exec(&format!("sudo -n {user}true"), None).await,
            Ok(out) if out.exit_status == Some(0)
        );
        if needs_password {
            let Some(pw) = login.become_password.as_ref() else {
                session.close().await;
                return Outcome::status(
                    HostRunStatus::Failed,
                    "sudo needs a password and the credential has no become password".into(),
                );
            };
            stdin.extend_from_slice(pw.as_bytes());
            stdin.push(b'\n');
            format!("sudo -S -k -p '' {user}-- {command}")
        } else {
            format!("sudo -n {user}-- {command}")
        }
    } else {
        command
    };
    stdin.extend_from_slice(&input);
    let (out_tx, mut out_rx) = mpsc::channel::<(bool, Vec<u8>)>(64);
    let host_id = rh.host_id;
    let forward_tx = tx.clone();
    let keep_result = matches!(action, Action::Key { .. });
    let forward = async move {
        let mut result = None;
        while let Some((stdout, data)) = out_rx.recv().await {
            if keep_result && stdout {
                if let Some(r) = String::from_utf8_lossy(&data)
                    .lines()
                    .rev()
                    .find_map(|l| l.strip_prefix("itmgr-key: "))
                {
                    result = Some(r.trim().to_owned());
                }
            }
            let _ = forward_tx.send(Msg::Output(host_id, stdout, data)).await;
        }
        result
    };
    let exec = async {
        let r = session
            .exec_streaming(&command, (!stdin.is_empty()).then_some(&stdin[..]), &out_tx)
            .await;
        drop(out_tx);
        r
    };
    let (r, result) = tokio::join!(exec, forward);
    session.close().await;
    match r {
        Ok(Some(0)) => Outcome {
            status: HostRunStatus::Succeeded,
            exit_code: Some(0),
            error: None,
            result,
        },
        Ok(Some(code)) => Outcome {
            status: HostRunStatus::Failed,
            exit_code: i32::try_from(code).ok(),
            error: None,
            result,
        },
        Ok(None) => Outcome::status(
            HostRunStatus::Failed,
            "the command ended without an exit status (killed by a signal?)".into(),
        ),
        Err(e) => ssh_outcome(e),
    }
}

/// Replaces secret values (and their base64 and URL-encoded forms) in output.
pub(crate) struct Masker(Vec<String>);

impl Masker {
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        use base64::Engine;
        let mut v = Vec::new();
        for s in secrets.into_iter().filter(|s| s.len() >= 4) {
            v.push(s.to_owned());
            v.push(base64::engine::general_purpose::STANDARD.encode(s));
            v.push(itmgr_automation::percent_encode(s));
        }
        v.sort_by_key(|s| std::cmp::Reverse(s.len()));
        v.dedup();
        Self(v)
    }

    pub(crate) fn mask(&self, text: String) -> String {
        let mut text = text;
        for s in &self.0 {
            if text.contains(s.as_str()) {
                text = text.replace(s.as_str(), "***");
            }
        }
        text
    }
}

/// Stores output chunks, events and host states in batches; returns the final host states.
pub(crate) async fn write_batches(
    db: itmgr_storage::Db,
    id: RunId,
    mut hosts: Vec<RunHost>,
    mut rx: mpsc::Receiver<Msg>,
    live: Arc<Live>,
    masker: Masker,
) -> Vec<RunHost> {
    let index: HashMap<HostId, usize> = hosts
        .iter()
        .enumerate()
        .map(|(i, h)| (h.host_id, i))
        .collect();
    let mut seq: i64 = 0;
    let mut event_seq: i64 = 0;
    let mut log_bytes: i64 = 0;
    let mut log_truncated = false;
    let mut truncated: HashSet<HostId> = HashSet::new();
    let mut open = true;
    while open {
        let mut chunks: Vec<Chunk> = Vec::new();
        let mut events: Vec<repo::RunEvent> = Vec::new();
        let mut changed: HashSet<usize> = HashSet::new();
        // Wait for something, then gather what arrives within the batching window.
        let deadline = tokio::time::Instant::now() + Duration::from_millis(150);
        let mut first = true;
        loop {
            let msg = if first {
                first = false;
                rx.recv().await
            } else {
                match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(m) => m,
                    Err(_) => break,
                }
            };
            let Some(msg) = msg else {
                open = false;
                break;
            };
            match msg {
                Msg::Output(h, stdout, data) => {
                    let Some(&i) = index.get(&h) else { continue };
                    let stored = hosts[i].output_bytes;
                    hosts[i].output_bytes += data.len() as i64;
                    changed.insert(i);
                    if stored >= MAX_OUTPUT_PER_HOST {
                        if truncated.insert(h) {
                            seq += 1;
                            chunks.push(Chunk {
                                seq,
                                host_id: Some(h),
                                stream: "sys",
                                data: format!(
                                    "[output beyond {} KiB is not stored]",
                                    MAX_OUTPUT_PER_HOST / 1024
                                ),
                                at: Utc::now(),
                            });
                        }
                        continue;
                    }
                    let text = masker.mask(String::from_utf8_lossy(&data).into_owned());
                    // Consecutive pieces of one host's stream become one chunk.
                    let stream = if stdout { "out" } else { "err" };
                    if let Some(last) = chunks.last_mut().filter(|c| {
                        c.host_id == Some(h) && c.stream == stream && c.data.len() < 32 * 1024
                    }) {
                        last.data.push_str(&text);
                    } else {
                        seq += 1;
                        chunks.push(Chunk {
                            seq,
                            host_id: Some(h),
                            stream,
                            data: text,
                            at: Utc::now(),
                        });
                    }
                }
                Msg::System(h, text) => {
                    seq += 1;
                    chunks.push(Chunk {
                        seq,
                        host_id: h,
                        stream: "sys",
                        data: masker.mask(text),
                        at: Utc::now(),
                    });
                }
                Msg::Log(stderr, text) => {
                    let stream = if stderr { "err" } else { "out" };
                    log_bytes += text.len() as i64;
                    if log_bytes > MAX_RUN_LOG {
                        if !log_truncated {
                            log_truncated = true;
                            seq += 1;
                            chunks.push(Chunk {
                                seq,
                                host_id: None,
                                stream: "sys",
                                data: format!(
                                    "[log beyond {} MiB is not stored]",
                                    MAX_RUN_LOG >> 20
                                ),
                                at: Utc::now(),
                            });
                        }
                        continue;
                    }
                    let text = masker.mask(text);
                    if let Some(last) = chunks.last_mut().filter(|c| {
                        c.host_id.is_none() && c.stream == stream && c.data.len() < 32 * 1024
                    }) {
                        last.data.push_str(&text);
                    } else {
                        seq += 1;
                        chunks.push(Chunk {
                            seq,
                            host_id: None,
                            stream,
                            data: text,
                            at: Utc::now(),
                        });
                    }
                }
                Msg::Event(mut ev) => {
                    event_seq += 1;
                    ev.seq = event_seq;
                    let text = masker.mask(ev.data.to_string());
                    ev.data = serde_json::from_str(&text).unwrap_or_default();
                    ev.task = ev.task.map(|t| masker.mask(t));
                    ev.play = ev.play.map(|t| masker.mask(t));
                    events.push(ev);
                }
                Msg::Host(rh) => {
                    if let Some(&i) = index.get(&rh.host_id) {
                        let bytes = hosts[i].output_bytes;
                        hosts[i] = rh;
                        hosts[i].output_bytes = bytes;
                        if let Some(e) = hosts[i].error.take() {
                            hosts[i].error = Some(masker.mask(e));
                        }
                        changed.insert(i);
                    }
                }
            }
            if chunks.len() >= 500 || events.len() >= 500 {
                break;
            }
        }
        if chunks.is_empty() && changed.is_empty() && events.is_empty() {
            continue;
        }
        let changed: Vec<&RunHost> = changed.iter().map(|&i| &hosts[i]).collect();
        // A busy database gets a few tries; output is never silently dropped on the first error.
        let mut tries = 0;
        loop {
            match repo::store_batch(db.conn(), id, &chunks, &events, &changed).await {
                Ok(()) => break,
                Err(e) if tries < 5 => {
                    tries += 1;
                    tracing::warn!(run = %id, error = %e, "storing run output failed; retrying");
                    tokio::time::sleep(Duration::from_millis(100 * tries)).await;
                }
                Err(e) => {
                    tracing::error!(run = %id, error = %e, "storing run output failed");
                    break;
                }
            }
        }
        live.stored.send_modify(|v| *v += 1);
    }
    hosts
}

/// A script to upload and run.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ScriptInput {
    /// A name for the history (e.g. the file name).
    #[serde(default)]
    pub name: String,
    /// The script text (at most 1 MiB).
    pub content: String,
    #[schema(value_type = String, example = "bash")]
    pub interpreter: Interpreter,
    /// Arguments, each passed as one word.
    #[serde(default)]
    pub args: Vec<String>,
}

/// An ad-hoc command or script on a selection of hosts.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CommandRequest {
    pub targets: TargetSpec,
    /// A command line (or give `script`).
    pub command: Option<String>,
    pub script: Option<ScriptInput>,
    /// Run through sudo; a password, if sudo wants one, is the credential's become password,
    /// given on stdin.
    #[serde(default)]
    pub sudo: bool,
    /// Seconds per host (default: the inventory setting).
    pub timeout_seconds: Option<u32>,
    /// Hosts at once (default: the inventory setting).
    pub concurrency: Option<u32>,
    /// Start no more hosts after the first one that does not succeed.
    #[serde(default)]
    pub stop_on_failure: bool,
}

async fn options(
    state: &AppState,
    timeout: Option<u32>,
    concurrency: Option<u32>,
    sudo: bool,
    stop_on_failure: bool,
) -> ApiResult<Options> {
    let (settings, _) = state.inventory_settings().await?;
    let mut errors = BTreeMap::new();
    let timeout_seconds = timeout.unwrap_or(settings.run_host_timeout_seconds);
    if !(1..=86_400).contains(&timeout_seconds) {
        errors.insert(
            "timeout_seconds".to_owned(),
            "must be between 1 and 86400".to_owned(),
        );
    }
    let concurrency = concurrency.unwrap_or(settings.run_concurrency);
    if !(1..=1_000).contains(&concurrency) {
        errors.insert(
            "concurrency".to_owned(),
            "must be between 1 and 1000".to_owned(),
        );
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(Options {
        sudo,
        timeout_seconds,
        concurrency,
        stop_on_failure,
    })
}

fn no_nul(field: &str, text: &str) -> ApiResult<()> {
    if text.contains('\0') {
        return Err(ApiError::field(field, "must not contain NUL characters"));
    }
    Ok(())
}

/// Starts an ad-hoc command or script.
pub async fn run_command(
    state: &AppState,
    cap: Capability<perm::RunsExecute>,
    ctx: &RequestContext,
    req: CommandRequest,
) -> ApiResult<Run> {
    let (kind, title, action) = match (req.command, req.script) {
        (Some(c), None) => {
            let c = c.trim().to_owned();
            if c.is_empty() || c.len() > 64 * 1024 {
                return Err(ApiError::field(
                    "command",
                    "give a command of at most 64 KiB",
                ));
            }
            no_nul("command", &c)?;
            let title: String = c
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect();
            (RunKind::Command, title, Action::Command { command: c })
        }
        (None, Some(s)) => {
            if s.content.trim().is_empty() || s.content.len() > MAX_SCRIPT {
                return Err(ApiError::field("script", "give a script of at most 1 MiB"));
            }
            no_nul("script", &s.content)?;
            if s.args.len() > 100 || s.args.iter().any(|a| a.len() > 4096 || a.contains('\0')) {
                return Err(ApiError::field(
                    "script",
                    "at most 100 arguments of at most 4096 characters, without NUL",
                ));
            }
            let name: String = s
                .name
                .trim()
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect();
            let name = if name.is_empty() {
                "script".to_owned()
            } else {
                name
            };
            let title = std::iter::once(name.clone())
                .chain(s.args.iter().cloned())
                .collect::<Vec<_>>()
                .join(" ");
            (
                RunKind::Script,
                title.chars().take(200).collect(),
                Action::Script {
                    name,
                    content: s.content,
                    interpreter: s.interpreter,
                    args: s.args,
                },
            )
        }
        _ => {
            return Err(ApiError::field(
                "command",
                "give either a command or a script",
            ))
        }
    };
    let options = options(
        state,
        req.timeout_seconds,
        req.concurrency,
        req.sudo,
        req.stop_on_failure,
    )
    .await?;
    let hosts = resolve(state, &req.targets).await?;
    launch(
        state,
        cap.principal(),
        ctx,
        NewRun {
            kind,
            title,
            action,
            options,
            target: req.targets,
            hosts,
            trigger: trigger_of(cap.principal()),
            rerun_of: None,
        },
    )
    .await
}

/// Adds or removes a public key on a selection of hosts.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct KeyRequest {
    pub targets: TargetSpec,
    /// `deploy` or `remove`.
    pub action: KeyAction,
    /// A pasted public key line (or give `key_secret`).
    pub public_key: Option<String>,
    /// Name or id of an `ssh_key` secret whose public key is used.
    pub key_secret: Option<String>,
    /// Whose `authorized_keys` (default: the login user; another user goes through sudo).
    pub user: Option<String>,
    pub timeout_seconds: Option<u32>,
    pub concurrency: Option<u32>,
}

/// What to do with the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyAction {
    Deploy,
    Remove,
}

/// An `ssh_key` secret by name or id, or a field error on `key_secret`.
async fn ssh_key_secret(
    state: &AppState,
    reference: &str,
) -> ApiResult<itmgr_storage::repo::secrets::Secret> {
    let r = reference.trim();
    let db = state.db.conn();
    let found = match r.parse::<SecretId>() {
        Ok(id) => itmgr_storage::repo::secrets::find_by_id(db, id).await.ok(),
        Err(_) => itmgr_storage::repo::secrets::find_by_name(db, r).await?,
    };
    found
        .filter(|s| s.kind == itmgr_domain::SecretKind::SshKey)
        .ok_or_else(|| ApiError::field("key_secret", format!("no ssh_key secret {r:?}")))
}

/// Starts a key deployment or removal.
pub async fn run_key(
    state: &AppState,
    cap: Capability<perm::KeysDeploy>,
    ctx: &RequestContext,
    req: KeyRequest,
) -> ApiResult<Run> {
    let text = match (
        req.public_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty()),
        req.key_secret
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty()),
    ) {
        (Some(k), None) => k.to_owned(),
        (None, Some(r)) => {
            let secret = ssh_key_secret(state, r).await?;
            secret
                .metadata
                .get("public_key")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .ok_or_else(|| {
                    ApiError::field("key_secret", "the secret has no public key on record")
                })?
        }
        _ => {
            return Err(ApiError::field(
                "public_key",
                "give either a public key or a key secret",
            ))
        }
    };
    let key = itmgr_ssh::AuthorizedKey::parse(&text)
        .map_err(|e| ApiError::field("public_key", e.to_string()))?;
    let user = req
        .user
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned);
    if let Some(u) = &user {
        let ok = u.len() <= 32
            && !u.starts_with('-')
            && u.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !ok {
            return Err(ApiError::field("user", "not a valid user name"));
        }
    }
    let deploy = req.action == KeyAction::Deploy;
    let options = options(state, req.timeout_seconds, req.concurrency, false, false).await?;
    let hosts = resolve(state, &req.targets).await?;
    let kind = if deploy {
        RunKind::KeyDeploy
    } else {
        RunKind::KeyRemove
    };
    let title = format!(
        "{} {}{}",
        if deploy { "Deploy" } else { "Remove" },
        key.fingerprint,
        user.as_ref()
            .map(|u| format!(" for {u}"))
            .unwrap_or_default()
    );
    launch(
        state,
        cap.principal(),
        ctx,
        NewRun {
            kind,
            title,
            action: Action::Key {
                deploy,
                public_key: key.line,
                fingerprint: key.fingerprint,
                user,
            },
            options,
            target: req.targets,
            hosts,
            trigger: trigger_of(cap.principal()),
            rerun_of: None,
        },
    )
    .await
}

/// Runs, newest first.
pub async fn list(
    state: &AppState,
    _cap: Capability<perm::RunsRead>,
    filter: &RunFilter,
    page: PageRequest,
) -> ApiResult<Page<Run>> {
    Ok(repo::list(state.db.conn(), filter, page).await?)
}

/// A run and its hosts.
pub async fn get(
    state: &AppState,
    _cap: Capability<perm::RunsRead>,
    id: RunId,
) -> ApiResult<(Run, Vec<RunHost>)> {
    let run = repo::find(state.db.conn(), id)
        .await
        .map_err(super::not_found("run"))?;
    let hosts = repo::hosts(state.db.conn(), id).await?;
    Ok((run, hosts))
}

/// Stored output after `after`.
pub async fn output(
    state: &AppState,
    _cap: &Capability<perm::RunsRead>,
    id: RunId,
    after: i64,
    host: Option<HostId>,
    limit: u64,
) -> ApiResult<Vec<Chunk>> {
    Ok(repo::output(state.db.conn(), id, after, host, limit.clamp(1, 5_000)).await?)
}

/// A run's whole log as text, ANSI colour codes removed.
pub async fn log_text(
    state: &AppState,
    _cap: Capability<perm::RunsRead>,
    id: RunId,
) -> ApiResult<String> {
    repo::find(state.db.conn(), id)
        .await
        .map_err(super::not_found("run"))?;
    let mut out = String::new();
    let mut after = 0;
    loop {
        let chunks = repo::output(state.db.conn(), id, after, None, 5000).await?;
        let Some(last) = chunks.last() else { break };
        after = last.seq;
        for c in &chunks {
            out.push_str(&strip_ansi(&c.data));
            if c.stream == "sys" && !c.data.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    Ok(out)
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A playbook run's structured events after `after`.
pub async fn events(
    state: &AppState,
    _cap: Capability<perm::RunsRead>,
    id: RunId,
    after: i64,
    limit: u64,
) -> ApiResult<Vec<repo::RunEvent>> {
    repo::find(state.db.conn(), id)
        .await
        .map_err(super::not_found("run"))?;
    Ok(repo::events(state.db.conn(), id, after, limit.clamp(1, 5000)).await?)
}

/// A run's artifacts.
pub async fn artifacts(
    state: &AppState,
    _cap: Capability<perm::RunsRead>,
    id: RunId,
) -> ApiResult<Vec<repo::Artifact>> {
    repo::find(state.db.conn(), id)
        .await
        .map_err(super::not_found("run"))?;
    Ok(repo::artifacts(state.db.conn(), id).await?)
}

/// One artifact's content.
pub async fn artifact(
    state: &AppState,
    _cap: Capability<perm::RunsRead>,
    id: RunId,
    name: &str,
) -> ApiResult<Vec<u8>> {
    repo::artifact(state.db.conn(), id, name)
        .await
        .map_err(super::not_found("artifact"))
}

/// Cancels a running run: open channels are closed, hosts not started are marked canceled.
pub async fn cancel(
    state: &AppState,
    cap: Capability<perm::RunsExecute>,
    ctx: &RequestContext,
    id: RunId,
) -> ApiResult<()> {
    let run = repo::find(state.db.conn(), id)
        .await
        .map_err(super::not_found("run"))?;
    if run.status.is_final() {
        return Err(ApiError::Conflict {
            message: format!("The run is already {}", run.status),
            field: None,
        });
    }
    let local = state.runs.get(id);
    match itmgr_storage::repo::jobs::request_cancel(state.db.conn(), id).await? {
        // Still queued: it never starts.
        Some(false) => {
            repo::end_open(
                state.db.conn(),
                id,
                RunStatus::Canceled,
                "canceled before it started",
            )
            .await?;
        }
        // Its worker sees the request with its next heartbeat; here, at once.
        Some(true) => {}
        None if local.is_some() => {}
        None => {
            return Err(ApiError::Conflict {
                message: "The run is not executing anywhere".into(),
                field: None,
            });
        }
    }
    if let Some(live) = local {
        live.cancel.send_replace(true);
    }
    Event::new(ctx, Some(cap.principal()), "run.cancel")
        .target("run", id, Some(&run.title))
        .write(state.db.conn())
        .await?;
    Ok(())
}

/// Runs a run again on the same hosts (all, or those that did not succeed), with the same
/// parameters; the credentials and host keys are read afresh.
pub async fn rerun(
    state: &AppState,
    cap: Capability<perm::RunsExecute>,
    ctx: &RequestContext,
    id: RunId,
    failed_only: bool,
) -> ApiResult<Run> {
    let run = repo::find(state.db.conn(), id)
        .await
        .map_err(super::not_found("run"))?;
    let run_hosts = repo::hosts(state.db.conn(), id).await?;
    if !run.status.is_final() {
        return Err(ApiError::Conflict {
            message: "The run is still in progress".into(),
            field: None,
        });
    }
    let ids: Vec<HostId> = run_hosts
        .iter()
        .filter(|h| !failed_only || h.status.needs_rerun())
        .map(|h| h.host_id)
        .collect();
    let nothing_to_rerun = || ApiError::Conflict {
        message: "No host of that run needs running again".into(),
        field: None,
    };
    if run.kind == RunKind::Playbook {
        if ids.is_empty() {
            return Err(nothing_to_rerun());
        }
        return super::playbooks::rerun(state, cap.principal(), ctx, &run, ids).await;
    }
    if matches!(run.kind, RunKind::KeyDeploy | RunKind::KeyRemove)
        && !cap.principal().can(itmgr_auth::Permission::KeysDeploy)
    {
        return Err(ApiError::Forbidden(Some(
            itmgr_auth::Permission::KeysDeploy,
        )));
    }
    let action: Action =
        serde_json::from_value(run.parameters["action"].clone()).map_err(|_| {
            ApiError::Conflict {
                message: "This run cannot be repeated".into(),
                field: None,
            }
        })?;
    let options: Options =
        serde_json::from_value(run.parameters["options"].clone()).map_err(|_| {
            ApiError::Conflict {
                message: "This run cannot be repeated".into(),
                field: None,
            }
        })?;
    if ids.is_empty() {
        return Err(nothing_to_rerun());
    }
    let mut hosts = hosts_repo::find_many(state.db.conn(), &ids).await?;
    hosts.sort_by(|a, b| a.name.cmp(&b.name));
    launch(
        state,
        cap.principal(),
        ctx,
        NewRun {
            kind: run.kind,
            title: run.title,
            action,
            options,
            target: TargetSpec {
                hosts: ids,
                ..Default::default()
            },
            hosts,
            trigger: RunTrigger::Rerun,
            rerun_of: Some(id),
        },
    )
    .await
}

/// At start-up: runs this server left queued or running when it stopped become `lost` (visibly,
/// never "running" forever). Runs execute in the server that started them; with several servers
/// the lease-based queue of the automation module takes over this duty.
pub async fn recover(state: &AppState) -> ApiResult<u64> {
    Ok(repo::mark_abandoned_lost(state.db.conn()).await?)
}

/// Replaces an SSH key secret on every host that logs in with it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RotationRequest {
    /// Name or id of the `ssh_key` secret to replace.
    pub key_secret: String,
    pub timeout_seconds: Option<u32>,
    pub concurrency: Option<u32>,
}

/// What a rotation needs beyond a plain run, kept in memory only (the new private key).
struct Rotation {
    key_id: SecretId,
    old_public: String,
    new_public: String,
    new_private: Zeroizing<String>,
    principal: Principal,
    ctx: RequestContext,
}

/// Rotates an SSH key: a new key pair is deployed next to the old one on every host that logs in
/// with it (through any credential), a login with the new key is verified on each, and only if
/// every host verified is the secret replaced and the old key removed; otherwise the new key is
/// taken away again and the secret is left as it was.
pub async fn rotate_key(
    state: &AppState,
    cap: Capability<perm::KeysDeploy>,
    _secrets: Capability<perm::SecretsUpdate>,
    ctx: &RequestContext,
    req: RotationRequest,
) -> ApiResult<Run> {
    let db = state.db.conn();
    let key = ssh_key_secret(state, &req.key_secret).await?;
    let old_public = key
        .metadata
        .get("public_key")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| ApiError::field("key_secret", "the secret has no public key on record"))?;
    let old = itmgr_ssh::AuthorizedKey::parse(&old_public)
        .map_err(|e| ApiError::field("key_secret", e.to_string()))?;
    let key_text = key.id.to_string();
    let credentials: Vec<SecretId> = itmgr_storage::repo::secrets::all(db)
        .await?
        .into_iter()
        .filter(|s| {
            s.kind == itmgr_domain::SecretKind::SshCredential
                && s.metadata.get("key_secret_id").and_then(|v| v.as_str())
                    == Some(key_text.as_str())
        })
        .map(|s| s.id)
        .collect();
    let mut ids = Vec::new();
    for c in &credentials {
        let filter = HostFilter {
            credential_id: Some(*c),
            ..Default::default()
        };
        ids.extend(hosts_repo::ids(db, &filter).await?);
    }
    if ids.is_empty() {
        return Err(ApiError::field(
            "key_secret",
            "no host logs in with this key",
        ));
    }
    let mut hosts = hosts_repo::find_many(db, &ids).await?;
    hosts.sort_by(|a, b| a.name.cmp(&b.name));
    let (new_private, info) = itmgr_vault::sshkey::generate_ed25519(&format!("itmgr:{}", key.name))
        .map_err(ApiError::Internal)?;
    let new = itmgr_ssh::AuthorizedKey::parse(&info.public_key)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let options = options(state, req.timeout_seconds, req.concurrency, false, false).await?;
    let rotation = Rotation {
        key_id: key.id,
        old_public: old.line.clone(),
        new_public: new.line.clone(),
        new_private,
        principal: cap.principal().clone(),
        ctx: ctx.clone(),
    };
    launch_with(
        state,
        cap.principal(),
        ctx,
        NewRun {
            kind: RunKind::KeyRotate,
            title: format!(
                "Rotate {} ({} → {})",
                key.name, old.fingerprint, new.fingerprint
            ),
            action: Action::Key {
                deploy: true,
                public_key: new.line,
                fingerprint: new.fingerprint,
                user: None,
            },
            options,
            target: TargetSpec {
                hosts: ids,
                ..Default::default()
            },
            hosts,
            trigger: trigger_of(cap.principal()),
            rerun_of: None,
        },
        Some(rotation),
    )
    .await
}

/// One host step of a rotation phase, owning everything it uses.
fn step_on(
    rh: RunHost,
    host: Option<Host>,
    login: Option<Result<Arc<Login>, String>>,
    policy: Option<itmgr_domain::TargetPolicy>,
    action: Action,
    tx: mpsc::Sender<Msg>,
    timeout: Duration,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Outcome> + Send>> {
    Box::pin(async move {
        match tokio::time::timeout(
            timeout,
            run_host(&rh, host, login, policy, &action, false, &tx),
        )
        .await
        {
            Ok(o) => o,
            Err(_) => Outcome::status(HostRunStatus::TimedOut, "no result in time".into()),
        }
    })
}

/// The rotation's phases after the new key was deployed everywhere it could be.
async fn finish_rotation(
    state: &AppState,
    rotation: Rotation,
    hosts: &mut [RunHost],
    targets: &HashMap<HostId, Host>,
    logins: &HashMap<SecretId, Result<Arc<Login>, String>>,
    options: &Options,
    tx: &mpsc::Sender<Msg>,
) -> Option<String> {
    let policy = super::hosts::policy(state).await.ok();
    let login_of = |h: &RunHost| {
        targets
            .get(&h.host_id)
            .and_then(|t| t.credential_id)
            .and_then(|c| logins.get(&c).cloned())
    };
    let new_login = |h: &RunHost| {
        login_of(h).and_then(|l| l.ok()).map(|l| {
            Ok(Arc::new(Login {
                creds: itmgr_ssh::Credentials {
                    username: l.creds.username.clone(),
                    password: None,
                    private_key: Some(rotation.new_private.clone()),
                    passphrase: None,
                },
                become_password: l.become_password.clone(),
            }))
        })
    };
    let timeout = Duration::from_secs(u64::from(options.timeout_seconds.max(1)));
    let step = |h: &RunHost, login, action: Action| {
        step_on(
            h.clone(),
            targets.get(&h.host_id).cloned(),
            login,
            policy.clone(),
            action,
            tx.clone(),
            timeout,
        )
    };
    // Phase 2: the new key must log in everywhere.
    let width = options.concurrency.max(1) as usize;
    let verify: Vec<_> = hosts
        .iter()
        .filter(|h| h.status == HostRunStatus::Succeeded)
        .map(|h| {
            step(
                h,
                new_login(h),
                Action::Command {
                    command: "true".into(),
                },
            )
        })
        .collect();
    let verify: Vec<Outcome> = futures_util::stream::iter(verify)
        .buffered(width)
        .collect()
        .await;
    let mut verified = verify.into_iter();
    for h in hosts
        .iter_mut()
        .filter(|h| h.status == HostRunStatus::Succeeded)
    {
        let o = verified.next().expect("one outcome per host");
        if o.status != HostRunStatus::Succeeded {
            h.status = HostRunStatus::Failed;
            h.error = Some(format!(
                "the new key was deployed but does not log in: {}",
                o.error.unwrap_or_default()
            ));
        } else {
            h.result = Some("verified".into());
        }
    }
    let all_verified = hosts.iter().all(|h| h.status == HostRunStatus::Succeeded);
    if !all_verified {
        // Take the new key away where it went in; the secret stays as it was.
        let remove = Action::Key {
            deploy: false,
            public_key: rotation.new_public.clone(),
            fingerprint: String::new(),
            user: None,
        };
        let undo: Vec<_> = hosts
            .iter()
            .filter(|h| {
                matches!(h.result.as_deref(), Some("added" | "verified"))
                    || h.status == HostRunStatus::Failed
            })
            .map(|h| step(h, login_of(h), remove.clone()))
            .collect();
        futures_util::stream::iter(undo)
            .buffer_unordered(width)
            .collect::<Vec<_>>()
            .await;
        for h in hosts.iter_mut() {
            if h.status == HostRunStatus::Succeeded {
                h.status = HostRunStatus::Canceled;
                h.error = Some("rolled back: another host failed".into());
            }
            let _ = tx.send(Msg::Host(h.clone())).await;
        }
        return Some("not every host accepted the new key: the new key was removed again and the secret is unchanged".into());
    }
    // Phase 3: the vault holds the new key from now on…
    let replaced = async {
        let cap = rotation
            .principal
            .require::<perm::SecretsUpdate>()
            .map_err(ApiError::from)?;
        let current =
            itmgr_storage::repo::secrets::find_by_id(state.db.conn(), rotation.key_id).await?;
        super::secrets::replace_value(
            state,
            cap,
            &rotation.ctx,
            rotation.key_id,
            current.version,
            super::secrets::RawValue {
                value: Some(rotation.new_private.as_str().to_owned()),
                ..Default::default()
            },
        )
        .await
    }
    .await;
    if let Err(e) = replaced {
        tracing::error!(error = %e, "storing the rotated key failed; both keys stay deployed");
        return Some(
            "the new key is deployed but could not be stored; both keys stay deployed".into(),
        );
    }
    // …and the old one goes, logging in with the new key.
    let remove = Action::Key {
        deploy: false,
        public_key: rotation.old_public.clone(),
        fingerprint: String::new(),
        user: None,
    };
    let removed: Vec<_> = hosts
        .iter()
        .map(|h| step(h, new_login(h), remove.clone()))
        .collect();
    let removed: Vec<Outcome> = futures_util::stream::iter(removed)
        .buffered(width)
        .collect()
        .await;
    for (h, o) in hosts.iter_mut().zip(removed) {
        if o.status == HostRunStatus::Succeeded {
            h.result = Some("rotated".into());
        } else {
            h.status = HostRunStatus::Failed;
            h.error = Some(format!(
                "the new key works but the old one could not be removed: {}",
                o.error.unwrap_or_default()
            ));
        }
        let _ = tx.send(Msg::Host(h.clone())).await;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_their_encodings_are_masked() {
        let m = Masker::new(["s3cr3t/pass word", "ab"]);
        let text = format!(
            "a s3cr3t/pass word b {} c {} d ab",
            base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                "s3cr3t/pass word"
            ),
            itmgr_automation::percent_encode("s3cr3t/pass word"),
        );
        // Values shorter than 4 characters are not masked (they would mask everything).
        assert_eq!(m.mask(text), "a *** b *** c *** d ab");
    }

    #[test]
    fn arguments_are_quoted_as_single_words() {
        assert_eq!(sh_quote("a b"), "'a b'");
        assert_eq!(sh_quote("c'd"), "'c'\\''d'");
        let (cmd, stdin, user) = remote(&Action::Script {
            name: "x".into(),
            content: "echo hi".into(),
            interpreter: Interpreter::Python,
            args: vec!["$(rm -rf /)".into()],
        });
        assert_eq!(cmd, "python3 - '$(rm -rf /)'");
        assert_eq!(stdin, b"echo hi");
        assert_eq!(user, None);
    }
}
