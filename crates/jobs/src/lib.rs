//! Workers for the durable job queue (`itmgr_storage::repo::jobs`).
//!
//! A worker claims due jobs under a lease, runs each through a [`Handler`], renews the leases
//! with a heartbeat (which also carries cancel requests to the running job) and ends or retries
//! the job with its outcome. Every worker also reaps jobs whose lease expired: their worker
//! vanished, so they are queued again if they have attempts left, or else handed to
//! [`Handler::lost`] (the run becomes `lost`, visibly, never "running" forever).

use chrono::Utc;
use itmgr_domain::JobId;
use itmgr_storage::repo::jobs::{self as repo, Beat, Job};
use itmgr_storage::Db;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{watch, Notify, Semaphore};

/// How a handled job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done, whatever the run's own result.
    Done,
    /// An infrastructure failure before the job changed anything: try again later (if attempts
    /// are left; otherwise the job ends with this error).
    Retry(String),
    /// Put back without counting an attempt (e.g. its playbook is busy).
    Postpone(Duration),
}

/// What a running job can see and do.
pub struct Control {
    db: Db,
    job: JobId,
    /// Becomes `true` when someone asked to cancel the job (or the lease was lost).
    pub cancel: watch::Receiver<bool>,
}

impl Control {
    /// From now on failures are final: the job started changing hosts.
    pub async fn no_more_attempts(&self) {
        if let Err(e) = repo::no_more_attempts(self.db.conn(), self.job).await {
            tracing::warn!(job = %self.job, error = %e, "marking a job final failed");
        }
    }
}

/// A boxed future, so handlers can be trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Runs jobs.
pub trait Handler: Send + Sync + 'static {
    /// Runs one claimed job.
    fn handle(&self, job: Job, ctl: Control) -> BoxFuture<'_, Outcome>;
    /// A job ended without a worker: its worker vanished and no attempts are left.
    fn lost(&self, job: Job, error: String) -> BoxFuture<'_, ()>;
    /// A job failed for good after its retries (`error` from the last attempt).
    fn gave_up(&self, job: Job, error: String) -> BoxFuture<'_, ()>;
}

/// Worker settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Names this worker in the queue (host, pid, a random part).
    pub owner: String,
    /// Jobs this worker runs at once.
    pub concurrency: usize,
    /// How long a claim lasts without a heartbeat.
    pub lease: Duration,
    /// How often leases are renewed (well under `lease`).
    pub heartbeat: Duration,
    /// How often the queue is polled when nothing wakes the worker.
    pub poll: Duration,
    /// First retry delay; doubles with each attempt.
    pub backoff: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            owner: default_owner(),
            concurrency: 4,
            lease: Duration::from_secs(30),
            heartbeat: Duration::from_secs(5),
            poll: Duration::from_millis(500),
            backoff: Duration::from_secs(5),
        }
    }
}

/// `host:pid:random`.
pub fn default_owner() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "host".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{host}:{}:{nanos:08x}", std::process::id())
}

/// Wakes workers in this process at once when a job is queued here.
#[derive(Default, Clone)]
pub struct Waker(Arc<Notify>);

impl Waker {
    /// Something was queued. A worker that is busy right now finds the wake-up when it next
    /// waits (a stored permit), so a launch never waits for the poll interval.
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

fn chrono_dur(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::seconds(30))
}

/// A worker; [`Worker::run`] until `shutdown` turns `true`.
pub struct Worker {
    db: Db,
    config: Config,
    handler: Arc<dyn Handler>,
    waker: Waker,
    running: Arc<Mutex<HashMap<JobId, watch::Sender<bool>>>>,
}

impl Worker {
    /// A worker over `db`.
    pub fn new(db: Db, config: Config, handler: Arc<dyn Handler>, waker: Waker) -> Self {
        Self {
            db,
            config,
            handler,
            waker,
            running: Default::default(),
        }
    }

    /// Claims and runs jobs until `shutdown`; then waits for the running ones to finish.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let slots = Arc::new(Semaphore::new(self.config.concurrency.max(1)));
        let beat = tokio::spawn(heartbeat(
            self.db.clone(),
            self.config.clone(),
            self.running.clone(),
        ));
        let mut last_reap = tokio::time::Instant::now() - Duration::from_secs(3600);
        let mut tasks = tokio::task::JoinSet::new();
        loop {
            if *shutdown.borrow() {
                break;
            }
            if last_reap.elapsed() >= self.config.heartbeat {
                last_reap = tokio::time::Instant::now();
                self.reap().await;
            }
            let free = slots.available_permits();
            let mut claimed = 0;
            if free > 0 {
                match repo::claim(
                    self.db.conn(),
                    &self.config.owner,
                    free as u64,
                    chrono_dur(self.config.lease),
                    Utc::now(),
                )
                .await
                {
                    Ok(jobs) => {
                        claimed = jobs.len();
                        for job in jobs {
                            let Ok(permit) = slots.clone().try_acquire_owned() else {
                                // Never hold a claim without running it.
                                let _ = repo::postpone(
                                    self.db.conn(),
                                    job.id,
                                    &self.config.owner,
                                    Utc::now(),
                                )
                                .await;
                                continue;
                            };
                            let (tx, rx) = watch::channel(job.cancel_requested);
                            self.running
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .insert(job.id, tx);
                            let ctx = RunCtx {
                                db: self.db.clone(),
                                config: self.config.clone(),
                                handler: self.handler.clone(),
                                running: self.running.clone(),
                            };
                            tasks.spawn(async move {
                                ctx.run(job, rx).await;
                                drop(permit);
                            });
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "claiming jobs failed"),
                }
            }
            while tasks.try_join_next().is_some() {}
            // Claimed a full batch: look again at once; otherwise wait for a wake-up.
            if claimed > 0 && claimed == free {
                tokio::task::yield_now().await;
                continue;
            }
            let notified = self.waker.0.notified();
            tokio::select! {
                _ = notified => {}
                _ = tokio::time::sleep(self.config.poll) => {}
                _ = shutdown.changed() => {}
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            }
        }
        while tasks.join_next().await.is_some() {}
        beat.abort();
    }

    async fn reap(&self) {
        match repo::reap_expired(self.db.conn(), Utc::now(), chrono_dur(self.config.backoff)).await
        {
            Ok((requeued, ended)) => {
                for j in requeued {
                    tracing::warn!(job = %j.id, run = %j.run_id, attempts = j.attempts, "a job's worker vanished; queued again");
                }
                for j in ended {
                    tracing::warn!(job = %j.id, run = %j.run_id, "a job's worker vanished; the run is lost");
                    self.handler
                        .lost(j, "its worker stopped while it was running".into())
                        .await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "reaping expired jobs failed"),
        }
    }
}

struct RunCtx {
    db: Db,
    config: Config,
    handler: Arc<dyn Handler>,
    running: Arc<Mutex<HashMap<JobId, watch::Sender<bool>>>>,
}

impl RunCtx {
    async fn run(self, job: Job, cancel: watch::Receiver<bool>) {
        let id = job.id;
        let owner = self.config.owner.clone();
        let ctl = Control {
            db: self.db.clone(),
            job: id,
            cancel,
        };
        let (attempts, max) = (job.attempts, job.max_attempts);
        // Which worker ran what: with several worker processes this line is how to tell.
        tracing::info!(job = %id, run = %job.run_id, attempt = attempts, owner = %owner, "job started");
        let outcome = self.handler.handle(job.clone(), ctl).await;
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
        let db = self.db.conn();
        let r = match outcome {
            Outcome::Done => repo::complete(db, id, &owner, None).await,
            Outcome::Postpone(d) => {
                repo::postpone(db, id, &owner, Utc::now() + chrono_dur(d)).await
            }
            Outcome::Retry(error) => {
                // The job's max may have dropped while it ran (no_more_attempts).
                let max = repo::for_run(db, job.run_id)
                    .await
                    .map(|j| j.max_attempts)
                    .unwrap_or(max);
                if attempts < max {
                    let factor = 2u32.saturating_pow(u32::try_from(attempts - 1).unwrap_or(0));
                    let delay = self.config.backoff.saturating_mul(factor);
                    tracing::warn!(job = %id, attempts, error = %error, "job failed; retrying");
                    repo::retry_at(db, id, &owner, Utc::now() + chrono_dur(delay), &error).await
                } else {
                    let r = repo::complete(db, id, &owner, Some(&error)).await;
                    self.handler.gave_up(job, error).await;
                    r
                }
            }
        };
        if let Err(e) = r {
            tracing::error!(job = %id, error = %e, "recording a job's end failed");
        }
    }
}

async fn heartbeat(
    db: Db,
    config: Config,
    running: Arc<Mutex<HashMap<JobId, watch::Sender<bool>>>>,
) {
    let mut tick = tokio::time::interval(config.heartbeat);
    loop {
        tick.tick().await;
        let ids: Vec<JobId> = running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .copied()
            .collect();
        if ids.is_empty() {
            continue;
        }
        match repo::heartbeat(
            db.conn(),
            &config.owner,
            &ids,
            chrono_dur(config.lease),
            Utc::now(),
        )
        .await
        {
            Ok(beats) => {
                let map = running.lock().unwrap_or_else(|e| e.into_inner());
                for (id, beat) in beats {
                    let stop = match beat {
                        Beat::Held { cancel_requested } => cancel_requested,
                        // Someone else may run it now: this copy must stop.
                        Beat::Lost => true,
                    };
                    if stop {
                        if let Some(tx) = map.get(&id) {
                            tx.send_if_modified(|c| !std::mem::replace(c, true));
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "renewing job leases failed"),
        }
    }
}
