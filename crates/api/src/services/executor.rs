//! The job handler: what a worker (embedded in `itmgr serve` or a standalone `itmgr worker`) does
//! with a claimed run. Commands, scripts and key runs go to the SSH engine of `runs`; playbook
//! runs to `ansible-playbook` through `itmgr_automation`.

use super::playbooks::{self, defaults_of, host_status, VarType};
use super::runs::{self as runs_svc, Masker, Msg};
use crate::state::AppState;
use chrono::Utc;
use itmgr_domain::{HostId, HostRunStatus, RunKind, RunStatus, SecretId, SecretKind};
use itmgr_jobs::{BoxFuture, Control, Handler, Outcome};
use itmgr_storage::repo::jobs::Job;
use itmgr_storage::repo::playbooks as pb_repo;
use itmgr_storage::repo::runs::{self as repo, Run, RunEvent, RunHost};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use zeroize::Zeroizing;

/// Runs claimed jobs against this process's state.
pub struct Executor {
    state: AppState,
}

/// Starts this process's worker; it stops when `shutdown` turns `true`.
pub fn start_worker(
    state: &AppState,
    shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let a = &state.config.automation;
    let config = itmgr_jobs::Config {
        concurrency: a.worker_concurrency.max(1),
        lease: a.lease,
        heartbeat: (a.lease / 4).max(Duration::from_millis(200)),
        // On PostgreSQL jobs queued by other processes arrive as notifications; polling is then only
        // the safety net (and less load on an idle database).
        poll: match state.db.backend() {
            itmgr_storage::Backend::Postgres => Duration::from_secs(2),
            itmgr_storage::Backend::Sqlite => Duration::from_millis(500),
        },
        backoff: Duration::from_secs(2),
        ..Default::default()
    };
    tracing::info!(owner = %config.owner, concurrency = config.concurrency, "job worker started");
    let (db, waker, mut stop) = (state.db.clone(), state.jobs.clone(), shutdown.clone());
    tokio::spawn(async move {
        tokio::select! {
            _ = db.listen_jobs_queued(move || waker.wake()) => {}
            _ = stop.wait_for(|s| *s) => {}
        }
    });
    let worker = itmgr_jobs::Worker::new(
        state.db.clone(),
        config,
        Arc::new(Executor {
            state: state.clone(),
        }),
        state.jobs.clone(),
    );
    tokio::spawn(worker.run(shutdown))
}

impl Handler for Executor {
    fn handle(&self, job: Job, ctl: Control) -> BoxFuture<'_, Outcome> {
        Box::pin(async move {
            let state = &self.state;
            let run = match repo::find(state.db.conn(), job.run_id).await {
                Ok(r) => r,
                Err(e) => return Outcome::Retry(format!("reading the run failed: {e}")),
            };
            if run.status.is_final() {
                return Outcome::Done;
            }
            if *ctl.cancel.borrow() {
                let _ =
                    repo::end_open(state.db.conn(), run.id, RunStatus::Canceled, "canceled").await;
                return Outcome::Done;
            }
            let playbook = match run.playbook {
                Some((p, _)) => pb_repo::find(state.db.conn(), p).await.ok(),
                None => None,
            };
            let exclusive = playbook
                .as_ref()
                .filter(|p| !p.allow_parallel)
                .map(|p| p.id);
            match repo::start_exclusive(state.db.conn(), run.id, exclusive).await {
                Ok(true) => {}
                // Another run of this playbook is going and it does not allow parallel runs.
                Ok(false) => return Outcome::Postpone(Duration::from_secs(2)),
                Err(e) => return Outcome::Retry(format!("starting the run failed: {e}")),
            }
            let result = match run.kind {
                RunKind::Playbook => match playbook {
                    Some(pb) => execute_playbook(state, run.clone(), pb, &job, &ctl).await,
                    None => Err(Failure::Final("the playbook was deleted".into())),
                },
                RunKind::KeyRotate => Err(Failure::Final(
                    "key rotations run in the server that started them".into(),
                )),
                _ => {
                    ctl.no_more_attempts().await;
                    runs_svc::execute_queued(state, run.clone(), ctl.cancel.clone())
                        .await
                        .map_err(Failure::Final)
                }
            };
            match result {
                Ok(()) => Outcome::Done,
                Err(Failure::Final(e)) => {
                    tracing::warn!(run = %run.id, error = %e, "run failed");
                    let _ = repo::end_open(state.db.conn(), run.id, RunStatus::Failed, &e).await;
                    Outcome::Done
                }
                Err(Failure::Infrastructure(e)) => {
                    // Back to queued so a retry starts it afresh; `lost` handles the last try.
                    let _ = reset_to_queued(state, &run).await;
                    Outcome::Retry(e)
                }
            }
        })
    }

    fn gave_up(&self, job: Job, error: String) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let db = self.state.db.conn();
            if let Err(e) = repo::end_open(db, job.run_id, RunStatus::Failed, &error).await {
                tracing::error!(run = %job.run_id, error = %e, "marking a run failed");
            }
        })
    }

    fn lost(&self, job: Job, error: String) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            if let Err(e) = repo::mark_lost(self.state.db.conn(), job.run_id, &error).await {
                tracing::error!(run = %job.run_id, error = %e, "marking a run lost failed");
            }
        })
    }
}

async fn reset_to_queued(state: &AppState, run: &Run) -> itmgr_storage::Result<()> {
    repo::requeue(state.db.conn(), run.id).await
}

enum Failure {
    /// The run failed; do not try again.
    Final(String),
    /// The worker's side failed before anything changed: try again later.
    Infrastructure(String),
}

/// A credential opened for a run: login material and the become password, or why it cannot be used.
type Login = Result<(itmgr_ssh::Credentials, Option<Zeroizing<String>>), String>;

async fn execute_playbook(
    state: &AppState,
    run: Run,
    playbook: itmgr_storage::repo::playbooks::Playbook,
    job: &Job,
    ctl: &Control,
) -> Result<(), Failure> {
    let db = state.db.conn();
    let (pid, version) = run
        .playbook
        .ok_or_else(|| Failure::Final("not a playbook run".into()))?;
    let content = pb_repo::version(db, pid, version)
        .await
        .map_err(|_| Failure::Final(format!("version {version} of the playbook is gone")))?;
    // A Git source is fetched first: a failure here changed nothing and is retried.
    let checkout = match playbooks::git_source_of(&playbook) {
        None => None,
        Some(g) => {
            let auth = match g.credential.as_deref().filter(|c| !c.trim().is_empty()) {
                None => itmgr_automation::GitAuth::None,
                Some(c) => match super::secrets::open_for_run(state, c.trim()).await {
                    Ok((SecretKind::SshKey, plain)) => {
                        itmgr_automation::GitAuth::SshKey(plain.value, plain.passphrase)
                    }
                    Ok((_, plain)) => itmgr_automation::GitAuth::Token(
                        g.username.clone().unwrap_or_else(|| "git".into()),
                        plain.value,
                    ),
                    Err(e) => {
                        return Err(Failure::Final(format!(
                            "the repository's credential cannot be used: {e}"
                        )))
                    }
                },
            };
            let mirror = itmgr_automation::fetch_mirror(
                &state.config.automation.git_cache,
                g.url.trim(),
                &auth,
            )
            .await
            .map_err(|e| Failure::Infrastructure(e.to_string()))?;
            Some((mirror, g.git_ref.clone(), g.path.clone()))
        }
    };
    let ansible = itmgr_automation::find_ansible(
        state.config.automation.ansible_playbook.as_deref(),
        state.config.automation.data_dir.as_deref(),
    )
    .ok_or_else(|| {
        Failure::Infrastructure(
            "ansible-playbook was not found on this worker (see `itmgr doctor`)".into(),
        )
    })?;
    let run_hosts = repo::hosts(db, run.id)
        .await
        .map_err(|e| Failure::Infrastructure(e.to_string()))?;
    let ids: Vec<HostId> = run_hosts.iter().map(|h| h.host_id).collect();
    let hosts = itmgr_storage::repo::hosts::find_many(db, &ids)
        .await
        .map_err(|e| Failure::Infrastructure(e.to_string()))?;
    let mut logins: HashMap<SecretId, Login> = HashMap::new();
    for h in &hosts {
        if let Some(c) = h.credential_id {
            if let std::collections::hash_map::Entry::Vacant(e) = logins.entry(c) {
                e.insert(
                    super::secrets::ssh_login(state, c)
                        .await
                        .map_err(|e| format!("the credential cannot be used: {e}")),
                );
            }
        }
    }
    // Secrets: variables referencing the vault, sealed survey answers, credentials.
    let mut secrets: Vec<Zeroizing<String>> = Vec::new();
    let defaults = defaults_of(&playbook);
    let shown: serde_json::Map<String, serde_json::Value> = run.parameters["variables"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut extra = serde_json::Map::new();
    for (k, v) in &shown {
        let is_secret_answer = defaults
            .survey
            .iter()
            .any(|q| &q.name == k && q.var_type == VarType::Secret);
        if is_secret_answer {
            continue;
        }
        let value = match v {
            serde_json::Value::String(s) => serde_json::Value::String(
                playbooks::substitute(state, s, &mut secrets)
                    .await
                    .map_err(|e| Failure::Final(format!("variable {k}: {e}")))?,
            ),
            other => other.clone(),
        };
        extra.insert(k.clone(), value);
    }
    if let Some(sealed) = &job.payload {
        let answers = playbooks::open_answers(state, run.id, sealed)
            .map_err(|_| Failure::Final("the launch's secret answers cannot be opened".into()))?;
        for (k, v) in answers {
            extra.insert(k, serde_json::Value::String(v.as_str().to_owned()));
            secrets.push(v);
        }
    }
    let mut keys = Vec::new();
    let mut inv = Vec::new();
    let mut missing: Vec<(HostId, String)> = Vec::new();
    for h in &hosts {
        let login = h.credential_id.and_then(|c| logins.get(&c));
        let (creds, become_pw) = match login {
            Some(Ok((c, b))) => (c, b.clone()),
            Some(Err(e)) => {
                missing.push((h.id, e.clone()));
                continue;
            }
            None => {
                missing.push((h.id, "the host has no credential".into()));
                continue;
            }
        };
        if let Some(k) = &creds.private_key {
            if !keys.iter().any(|(kk, _): &(Zeroizing<String>, _)| kk == k) {
                keys.push((k.clone(), creds.passphrase.clone()));
            }
        }
        for s in [creds.password.clone(), become_pw.clone()]
            .into_iter()
            .flatten()
        {
            secrets.push(s);
        }
        let mut vars = serde_json::Map::new();
        vars.insert("itmgr_host_id".into(), h.id.to_string().into());
        for (k, v) in &h.tags {
            if playbooks_var_ok(k) {
                vars.insert(format!("tag_{k}"), v.clone().into());
            }
        }
        inv.push(itmgr_automation::InvHost {
            name: h.name.clone(),
            address: h.address.clone(),
            port: h.port,
            user: creds.username.clone(),
            host_key: h.host_key.clone(),
            password: creds.password.clone(),
            become_password: become_pw,
            vars,
        });
    }
    let vault_password = match defaults
        .vault_password_secret
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => None,
        Some(v) => {
            let (_, plain) = super::secrets::open_for_run(state, v)
                .await
                .map_err(|e| Failure::Final(format!("the vault password cannot be used: {e}")))?;
            secrets.push(plain.value.clone());
            Some(plain.value)
        }
    };
    let masker = Masker::new(secrets.iter().map(|s| s.as_str()));
    let live = Arc::new(runs_svc::Live {
        cancel: watch::channel(false).0,
        stored: watch::channel(0).0,
    });
    state.runs.insert(run.id, live.clone());
    let (tx, rx) = mpsc::channel::<Msg>(4096);
    let writer = tokio::spawn(runs_svc::write_batches(
        state.db.clone(),
        run.id,
        run_hosts.clone(),
        rx,
        live.clone(),
        masker,
    ));
    let by_name: HashMap<String, RunHost> = run_hosts
        .iter()
        .map(|h| (h.host_name.clone(), h.clone()))
        .collect();
    for (id, why) in &missing {
        if let Some(rh) = run_hosts.iter().find(|h| h.host_id == *id) {
            let mut rh = rh.clone();
            rh.status = HostRunStatus::Failed;
            rh.error = Some(why.clone());
            rh.finished_at = Some(Utc::now());
            let _ = tx.send(Msg::System(Some(rh.host_id), why.clone())).await;
            let _ = tx.send(Msg::Host(rh)).await;
        }
    }
    let options: playbooks::PlaybookOptions =
        serde_json::from_value(run.parameters["options"].clone()).unwrap_or_default();
    let files: Vec<(String, String)> =
        serde_json::from_value::<Vec<playbooks::PlaybookFile>>(content.files.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|f| (f.path, f.content))
            .collect();
    let spec = itmgr_automation::RunSpec {
        ansible_playbook: ansible,
        work_parent: state.config.automation.work_dir.clone(),
        playbook: content.content.clone(),
        files,
        hosts: inv,
        extra_vars: extra,
        keys,
        options: itmgr_automation::Options {
            check: options.check,
            diff: options.diff,
            tags: options.tags.clone(),
            skip_tags: options.skip_tags.clone(),
            limit: options.limit.clone(),
            verbosity: options.verbosity,
            forks: options.forks,
            timeout: Duration::from_secs(u64::from(options.timeout_seconds)),
            grace: state.config.automation.cancel_grace,
        },
        checkout,
        vault_password,
    };
    if !playbook.retry_infrastructure {
        // From here on the playbook may change hosts: never re-run it silently.
        ctl.no_more_attempts().await;
    }
    let (utx, mut urx) = mpsc::channel::<itmgr_automation::Update>(4096);
    let mut cancel = ctl.cancel.clone();
    let (acancel_tx, acancel_rx) = watch::channel(false);
    let mut local_cancel = live.cancel.subscribe();
    let forward = tokio::spawn(async move {
        tokio::select! {
            _ = cancel.wait_for(|c| *c) => {}
            _ = local_cancel.wait_for(|c| *c) => {}
        }
        let _ = acancel_tx.send(true);
    });
    let runner = tokio::spawn(itmgr_automation::run(spec, utx, acancel_rx));
    let mut started: std::collections::HashSet<String> = Default::default();
    let mut stats_seen = false;
    while let Some(u) = urx.recv().await {
        match u {
            itmgr_automation::Update::Output { stderr, text } => {
                let _ = tx.send(Msg::Log(stderr, text)).await;
            }
            itmgr_automation::Update::Event(v) => {
                let event = v["event"].as_str().unwrap_or_default().to_owned();
                let host = v["host"].as_str().map(str::to_owned);
                if let Some(h) = host.as_deref() {
                    if started.insert(h.to_owned()) {
                        if let Some(rh) = by_name.get(h) {
                            let mut rh = rh.clone();
                            rh.status = HostRunStatus::Running;
                            rh.started_at = Some(Utc::now());
                            let _ = tx.send(Msg::Host(rh)).await;
                        }
                    }
                }
                if event == "playbook_on_stats" {
                    stats_seen = true;
                    if let Some(map) = v["hosts"].as_object() {
                        for (name, s) in map {
                            if let Some(rh) = by_name.get(name) {
                                let mut rh = rh.clone();
                                rh.status = host_status(s);
                                rh.stats = Some(s.clone());
                                rh.started_at = rh.started_at.or(Some(Utc::now()));
                                rh.finished_at = Some(Utc::now());
                                let _ = tx.send(Msg::Host(rh)).await;
                            }
                        }
                    }
                }
                let mut data = v.clone();
                if let Some(o) = data.as_object_mut() {
                    for k in ["event", "host", "play", "task"] {
                        o.remove(k);
                    }
                }
                let _ = tx
                    .send(Msg::Event(RunEvent {
                        seq: 0,
                        event,
                        host,
                        play: v["play"].as_str().map(str::to_owned),
                        task: v["task"].as_str().map(str::to_owned),
                        data,
                        at: Utc::now(),
                    }))
                    .await;
            }
        }
    }
    forward.abort();
    let outcome = runner.await;
    let outcome = match outcome {
        Ok(Ok(o)) => Ok(o),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(format!("the runner stopped: {e}")),
    };
    let (status, error) = match &outcome {
        Ok(o) if o.canceled => (RunStatus::Canceled, None),
        Ok(o) if o.timed_out => (
            RunStatus::TimedOut,
            Some(format!("no result within {} s", options.timeout_seconds)),
        ),
        Ok(o) if o.exit_code == Some(0) => (RunStatus::Succeeded, None),
        Ok(o) => (
            RunStatus::Failed,
            Some(match o.exit_code {
                Some(c) => format!("ansible-playbook exited with status {c}"),
                None => "ansible-playbook was killed".to_owned(),
            }),
        ),
        Err(e) => (RunStatus::Failed, Some(e.clone())),
    };
    // Hosts with no result: canceled, skipped by a limit, or the run ended early.
    for rh in &run_hosts {
        if missing.iter().any(|(id, _)| *id == rh.host_id) {
            continue;
        }
        let in_stats = stats_seen && started.contains(&rh.host_name);
        if !in_stats {
            let mut rh = rh.clone();
            rh.status = match status {
                RunStatus::Canceled => HostRunStatus::Canceled,
                RunStatus::TimedOut => HostRunStatus::TimedOut,
                _ if stats_seen => HostRunStatus::Skipped,
                _ => HostRunStatus::Failed,
            };
            rh.finished_at = Some(Utc::now());
            let _ = tx.send(Msg::Host(rh)).await;
        }
    }
    if let Some(e) = &error {
        let _ = tx.send(Msg::System(None, e.clone())).await;
    }
    if let Ok(o) = &outcome {
        for n in &o.notes {
            let _ = tx.send(Msg::System(None, n.clone())).await;
        }
    }
    drop(tx);
    let final_hosts = writer.await.unwrap_or_default();
    if let Ok(o) = outcome {
        let _ = repo::set_exit_code(db, run.id, o.exit_code).await;
        if let Some(c) = &o.commit {
            let mut params = run.parameters.clone();
            params["commit"] = c.clone().into();
            let _ = repo::set_parameters(db, run.id, &params).await;
        }
        for a in o.artifacts {
            if let Err(e) = repo::put_artifact(db, run.id, &a.name, a.content).await {
                tracing::warn!(run = %run.id, error = %e, "storing an artifact failed");
            }
        }
    }
    let error = match (&error, status) {
        (_, RunStatus::Canceled) => None,
        _ => error,
    };
    if let Err(e) = repo::finish(
        db,
        run.id,
        status,
        &runs_svc::summary(&final_hosts),
        error.as_deref(),
    )
    .await
    {
        tracing::error!(run = %run.id, error = %e, "recording the end of a run failed");
    }
    live.stored.send_modify(|v| *v += 1);
    state.runs.remove(run.id);
    Ok(())
}

fn playbooks_var_ok(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
