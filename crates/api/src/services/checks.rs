//! Host status checks: on demand (returns at once, results pushed to open UIs) and periodic
//! (every host once per interval at a stable, hash-derived phase, so 10,000 hosts spread evenly
//! over the interval instead of arriving together), bounded by one shared concurrency limit.

use super::hosts::policy;
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::Utc;
use itmgr_auth::{perm, Capability};
use itmgr_domain::{CheckMethod, HostAddress, HostId, HostStatus, InventorySettings, TargetPolicy};
use itmgr_net::NetError;
use itmgr_ssh::{SshError, Timeouts};
use itmgr_storage::repo::hosts::{self as repo, CheckOutcome, Host};
use itmgr_storage::StorageError;
use serde::Serialize;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, Semaphore};

/// A check result as pushed to open UIs.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HostStatusUpdate {
    pub host_id: uuid::Uuid,
    pub name: String,
    pub status: HostStatus,
    /// Set when the status changed with this check.
    pub previous: Option<HostStatus>,
    pub method: CheckMethod,
    pub checked_at: chrono::DateTime<Utc>,
    pub latency_ms: Option<f64>,
    pub error: Option<String>,
}

/// The shared check machinery: a concurrency limit, the set of hosts being checked (a host is
/// never checked twice at once), and the channel results are published on.
pub struct Checker {
    slots: Arc<Semaphore>,
    size: Mutex<usize>,
    in_flight: Mutex<HashSet<HostId>>,
    events: broadcast::Sender<HostStatusUpdate>,
    results: Mutex<Option<mpsc::UnboundedSender<Finished>>>,
}

/// A probe result on its way to the database.
struct Finished {
    id: HostId,
    name: String,
    outcome: CheckOutcome,
}

impl Checker {
    /// A checker running at most `concurrency` checks at once.
    pub fn new(concurrency: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            size: Mutex::new(concurrency.max(1)),
            in_flight: Mutex::new(HashSet::new()),
            events: broadcast::channel(4096).0,
            results: Mutex::new(None),
        }
    }

    /// Starts the result writer: one task that stores results in batches (one transaction per
    /// batch instead of one per check, so thousands of results do not queue on the database's
    /// write lock) and then publishes them. It ends when the checker is dropped.
    pub fn start_writer(
        &self,
        db: itmgr_storage::Db,
        counter: prometheus_client::metrics::counter::Counter,
    ) {
        let (tx, rx) = mpsc::unbounded_channel();
        *self.results.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx);
        tokio::spawn(write_results(db, counter, self.events.clone(), rx));
    }

    /// Changes the concurrency limit (settings change); running checks finish undisturbed.
    pub fn resize(&self, n: usize) {
        let n = n.max(1);
        let mut size = self.size.lock().unwrap_or_else(|e| e.into_inner());
        if n > *size {
            self.slots.add_permits(n - *size);
        } else if n < *size {
            let slots = self.slots.clone();
            let shrink = (*size - n) as u32;
            // Taking the permits out of circulation waits for running checks to return them.
            tokio::spawn(async move {
                if let Ok(p) = slots.acquire_many(shrink).await {
                    p.forget();
                }
            });
        }
        *size = n;
    }

    /// Subscribes to check results.
    pub fn subscribe(&self) -> broadcast::Receiver<HostStatusUpdate> {
        self.events.subscribe()
    }

    fn claim(&self, id: HostId) -> bool {
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id)
    }

    fn release(&self, id: HostId) {
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
    }
}

fn outcome(method: CheckMethod, r: Result<Duration, String>, unknown: bool) -> CheckOutcome {
    let (status, latency_ms, error) = match r {
        Ok(d) => (HostStatus::Online, Some(d.as_secs_f64() * 1000.0), None),
        Err(e) if unknown => (HostStatus::Unknown, None, Some(e)),
        Err(e) => (HostStatus::Offline, None, Some(e)),
    };
    CheckOutcome {
        method,
        status,
        at: Utc::now(),
        latency_ms,
        error,
    }
}

/// Runs one check of `host` (no storage writes but the trust-on-first-use host key).
pub async fn probe(
    state: &AppState,
    host: &Host,
    settings: &InventorySettings,
    policy: &TargetPolicy,
) -> CheckOutcome {
    let method = settings.method_for(host.check_method, host.environment.as_deref());
    let timeout = Duration::from_secs(u64::from(settings.check_timeout_seconds.max(1)));
    let address = match HostAddress::parse(&host.address) {
        Ok(a) => a,
        Err(e) => return outcome(method, Err(e.message), true),
    };
    match method {
        CheckMethod::Ping => match itmgr_net::ping(policy, &address, timeout).await {
            Ok(rtt) => outcome(method, Ok(rtt), false),
            Err(e @ (NetError::PingUnavailable(_) | NetError::Denied(_))) => {
                outcome(method, Err(e.to_string()), true)
            }
            Err(e) => outcome(method, Err(e.to_string()), false),
        },
        CheckMethod::Tcp => {
            match itmgr_net::tcp_check(policy, &address, host.port, timeout).await {
                Ok(d) => outcome(method, Ok(d), false),
                Err(e @ NetError::Denied(_)) => outcome(method, Err(e.to_string()), true),
                Err(e) => outcome(method, Err(e.to_string()), false),
            }
        }
        CheckMethod::Ssh => {
            let started = std::time::Instant::now();
            match ssh_check(state, host, &address, policy, timeout).await {
                Ok(()) => outcome(method, Ok(started.elapsed()), false),
                // Not knowing how to log in (or being forbidden to try) says nothing about the host.
                Err(e @ (SshError::Net(NetError::Denied(_)) | SshError::BadCredential(_))) => {
                    outcome(method, Err(e.to_string()), true)
                }
                Err(e) => outcome(method, Err(e.to_string()), false),
            }
        }
    }
}

async fn ssh_check(
    state: &AppState,
    host: &Host,
    address: &HostAddress,
    policy: &TargetPolicy,
    timeout: Duration,
) -> Result<(), SshError> {
    let mut session = itmgr_ssh::connect_with(
        policy,
        address,
        host.port,
        host.host_key.as_deref(),
        Timeouts::all(timeout),
        host.legacy_ssh,
    )
    .await?;
    if session.is_first_use() {
        let key = session.host_key().clone();
        let _ = repo::record_host_key_if_unset(
            state.db.conn(),
            host.id,
            &key.openssh,
            &key.fingerprint,
        )
        .await;
    }
    let result = match host.credential_id {
        None => Err(SshError::BadCredential(
            "the host has no credential; the ssh check needs one (the handshake worked)".into(),
        )),
        Some(cred) => match super::secrets::ssh_credentials(state, cred).await {
            Ok(creds) => session.authenticate(&creds, timeout).await,
            Err(_) => Err(SshError::BadCredential(
                "the host's credential cannot be loaded".into(),
            )),
        },
    };
    session.close().await;
    result
}

async fn write_results(
    db: itmgr_storage::Db,
    counter: prometheus_client::metrics::counter::Counter,
    events: broadcast::Sender<HostStatusUpdate>,
    mut rx: mpsc::UnboundedReceiver<Finished>,
) {
    const BATCH: usize = 500;
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        // Gather what else finished meanwhile (briefly), so a burst becomes one transaction.
        let until = tokio::time::Instant::now() + Duration::from_millis(20);
        while batch.len() < BATCH {
            match tokio::time::timeout_at(until, rx.recv()).await {
                Ok(Some(f)) => batch.push(f),
                _ => break,
            }
        }
        // A write can lose a race with another writer (SQLite reports a busy snapshot when a
        // transaction that began by reading tries to write): retry rather than drop results.
        let mut attempt = 0;
        let updates = loop {
            match store_batch(&db, &batch).await {
                Ok(u) => break Some(u),
                Err(e) if attempt < 5 => {
                    attempt += 1;
                    tracing::debug!(error = %e, attempt, "storing check results, retrying");
                    tokio::time::sleep(Duration::from_millis(20 * attempt)).await;
                }
                Err(e) => {
                    tracing::warn!(error = %e, checks = batch.len(), "storing check results failed");
                    break None;
                }
            }
        };
        let Some(updates) = updates else { continue };
        for u in updates {
            counter.inc();
            let _ = events.send(u);
        }
    }
}

async fn store_batch(
    db: &itmgr_storage::Db,
    batch: &[Finished],
) -> Result<Vec<HostStatusUpdate>, StorageError> {
    let txn = db.begin().await?;
    let mut updates = Vec::with_capacity(batch.len());
    for f in batch {
        let transition = match repo::record_check(&txn, f.id, &f.outcome).await {
            Ok(t) => t,
            // Deleted while being checked.
            Err(StorageError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        updates.push(HostStatusUpdate {
            host_id: f.id.as_uuid(),
            name: f.name.clone(),
            status: f.outcome.status,
            previous: transition.map(|t| t.previous),
            method: f.outcome.method,
            checked_at: f.outcome.at,
            latency_ms: f.outcome.latency_ms,
            error: f.outcome.error.clone(),
        });
    }
    // Rules on `status` change membership when the status does.
    let changed: Vec<HostId> = updates
        .iter()
        .filter(|u| u.previous.is_some())
        .map(|u| HostId::from_uuid(u.host_id))
        .collect();
    super::membership::hosts_changed(&txn, &changed, true).await?;
    itmgr_storage::commit(txn).await?;
    Ok(updates)
}

/// Checks one host now and hands the result to the writer. A host deleted meanwhile is skipped.
async fn check_one(state: &AppState, id: HostId) -> ApiResult<()> {
    let host = match repo::find_by_id(state.db.conn(), id).await {
        Ok(h) => h,
        Err(StorageError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let (settings, _) = state.inventory_settings().await?;
    let policy = policy(state).await?;
    // Every stage has its own timeout; this bound makes sure no check can outlive its slot.
    let limit = Duration::from_secs(u64::from(settings.check_timeout_seconds.max(1)) * 3 + 2);
    let method = settings.method_for(host.check_method, host.environment.as_deref());
    let result = tokio::time::timeout(limit, probe(state, &host, &settings, &policy))
        .await
        .unwrap_or_else(|_| {
            outcome(
                method,
                Err(format!("the check did not finish within {limit:?}")),
                false,
            )
        });
    let tx = state
        .checker
        .results
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some(tx) = tx {
        let _ = tx.send(Finished {
            id,
            name: host.name,
            outcome: result,
        });
    }
    Ok(())
}

/// Starts checks of `ids` in the background and returns how many were started (hosts already
/// being checked are not checked twice).
pub fn spawn(state: &AppState, ids: Vec<HostId>) -> usize {
    let mut started = 0;
    for id in ids {
        if !state.checker.claim(id) {
            continue;
        }
        started += 1;
        let state = state.clone();
        tokio::spawn(async move {
            let permit = state.checker.slots.clone().acquire_owned().await;
            if let Err(e) = check_one(&state, id).await {
                tracing::warn!(host = %id, error = %e, "status check failed");
            }
            drop(permit);
            state.checker.release(id);
        });
    }
    started
}

/// On-demand checks of the given hosts (they must exist). Returns how many were started.
pub async fn check_now(
    state: &AppState,
    _cap: Capability<perm::HostsCheck>,
    ids: Vec<HostId>,
) -> ApiResult<usize> {
    let existing = repo::existing(state.db.conn(), &ids).await?;
    Ok(spawn(state, existing))
}

/// Probes an unsaved host (the form's "test connection"); nothing is stored.
pub async fn test_connection(
    state: &AppState,
    cap: Capability<perm::HostsCheck>,
    input: super::hosts::HostInput,
) -> ApiResult<CheckOutcome> {
    if input.credential.is_some() {
        cap.principal().require::<perm::SecretsUse>()?;
    }
    let policy = policy(state).await?;
    let fields = super::hosts::parse_fields(state.db.conn(), &policy, &input)
        .await
        .map_err(crate::error::ApiError::Validation)?;
    let (settings, _) = state.inventory_settings().await?;
    let now = Utc::now();
    let host = Host {
        id: HostId::new(),
        name: fields.name.into_inner(),
        address: fields.address.to_string(),
        port: fields.port.get(),
        os: None,
        environment: fields.environment.map(|e| e.into_inner()),
        description: String::new(),
        tags: Default::default(),
        credential_id: fields.credential_id,
        check_method: fields.check_method,
        status: HostStatus::Unknown,
        last_check_at: None,
        latency_ms: None,
        last_error: None,
        host_key: None,
        host_key_fingerprint: None,
        created_by: None,
        updated_by: None,
        created_at: now,
        updated_at: now,
        version: 0,
        legacy_ssh: fields.legacy_ssh,
        terminal_recording: fields.terminal_recording,
    };
    Ok(probe(state, &host, &settings, &policy).await)
}

/// A host's stable phase within the interval.
fn phase(id: HostId, interval: Duration) -> Duration {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    let ms = interval.as_millis().max(1) as u64;
    Duration::from_millis(h.finish() % ms)
}

/// The periodic checker: runs until the process ends. Each cycle loads the host ids, checks each
/// at its phase within the interval, and prunes status history past its retention.
/// How far behind the newest transition the relay looks again: on PostgreSQL an id can commit after
/// a higher one (concurrent writers), so a small window is re-read and ids already relayed skipped.
const RELAY_WINDOW: i64 = 200;

/// A server without the embedded worker does not run periodic checks: `itmgr worker` processes do,
/// and store each status change. This relays those changes to the pages open on this server, as run
/// streams follow output stored by another process: by reading the database every second.
pub async fn relay_transitions(state: AppState) {
    use std::collections::{BTreeSet, HashMap};
    let mut published = state.checker.subscribe();
    let mut cursor = match repo::last_status_event_id(state.db.conn()).await {
        Ok(id) => id,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read host status transitions");
            0
        }
    };
    let mut relayed: BTreeSet<i64> = BTreeSet::new();
    // Checks this server ran itself are already on the channel: (host, millisecond) → when seen.
    let mut own: HashMap<(HostId, i64), tokio::time::Instant> = HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        loop {
            match published.try_recv() {
                Ok(u) => {
                    let host = HostId::from_uuid(u.host_id);
                    own.insert(
                        (host, u.checked_at.timestamp_millis()),
                        tokio::time::Instant::now(),
                    );
                }
                Err(broadcast::error::TryRecvError::Lagged(_)) => {}
                Err(_) => break,
            }
        }
        let rows = match repo::status_events_after(
            state.db.conn(),
            cursor.saturating_sub(RELAY_WINDOW),
            1000,
        )
        .await
        {
            Ok(rows) => rows,
            Err(e) => {
                tracing::debug!(error = %e, "reading host status transitions failed");
                continue;
            }
        };
        let fresh: Vec<_> = rows
            .into_iter()
            .filter(|(id, _)| !relayed.contains(id))
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let ids: Vec<HostId> = fresh.iter().map(|(_, ev)| ev.host_id).collect();
        let names: HashMap<HostId, String> = repo::find_many(state.db.conn(), &ids)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|h| (h.id, h.name))
            .collect();
        for (id, ev) in fresh {
            relayed.insert(id);
            cursor = cursor.max(id);
            if own
                .remove(&(ev.host_id, ev.at.timestamp_millis()))
                .is_some()
            {
                continue;
            }
            let Some(name) = names.get(&ev.host_id) else {
                continue; // deleted since
            };
            let _ = state.checker.events.send(HostStatusUpdate {
                host_id: ev.host_id.as_uuid(),
                name: name.clone(),
                status: ev.status,
                previous: Some(ev.previous),
                method: ev.method,
                checked_at: ev.at,
                latency_ms: ev.latency_ms,
                error: ev.error,
            });
        }
        let floor = cursor.saturating_sub(RELAY_WINDOW);
        relayed = relayed.split_off(&floor);
        own.retain(|_, seen| seen.elapsed() < Duration::from_secs(300));
    }
}

pub async fn run_periodic(state: AppState) {
    loop {
        let settings = match state.inventory_settings().await {
            Ok((s, _)) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read inventory settings");
                tokio::time::sleep(Duration::from_secs(30)).await;
                continue;
            }
        };
        if settings.check_interval_seconds == 0 {
            tokio::time::sleep(Duration::from_secs(30)).await;
            continue;
        }
        let interval = Duration::from_secs(u64::from(settings.check_interval_seconds));
        let cycle = tokio::time::Instant::now();
        let cutoff =
            Utc::now() - chrono::Duration::days(i64::from(settings.status_history_retention_days));
        if let Err(e) = repo::prune_status_events(state.db.conn(), cutoff).await {
            tracing::warn!(error = %e, "pruning status history failed");
        }
        let mut ids = match repo::all_ids(state.db.conn()).await {
            Ok(ids) => ids,
            Err(e) => {
                tracing::warn!(error = %e, "cannot list hosts for periodic checks");
                Vec::new()
            }
        };
        ids.sort_by_key(|id| phase(*id, interval));
        for id in ids {
            tokio::time::sleep_until(cycle + phase(id, interval)).await;
            // Wait for a free slot so a slow cycle throttles itself instead of piling up tasks.
            if let Ok(p) = state.checker.slots.clone().acquire_owned().await {
                drop(p);
            }
            spawn(&state, vec![id]);
        }
        tokio::time::sleep_until(cycle + interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_spread_over_the_interval() {
        let interval = Duration::from_secs(60);
        let mut buckets = [0u32; 6];
        for _ in 0..6000 {
            let p = phase(HostId::new(), interval);
            assert!(p < interval);
            buckets[(p.as_secs() / 10) as usize] += 1;
        }
        // Roughly uniform: every 10-second bucket gets 1000 ± 20 %.
        assert!(
            buckets.iter().all(|b| (800..1200).contains(b)),
            "{buckets:?}"
        );
    }
}
