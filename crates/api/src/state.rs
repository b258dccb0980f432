//! Shared application state and the API's typed configuration.

use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use itmgr_auth::{JwtKeys, LoginThrottle, ThrottleConfig};
use itmgr_domain::InventorySettings;
use itmgr_storage::repo::settings::{Settings, SettingsValues};
use itmgr_storage::{repo, Db};
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// What the API needs to know; built by the binary from its validated config.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Lifetime of an access token.
    pub access_token_ttl: Duration,
    /// Mark the refresh cookie `Secure` (when served over TLS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Sustained requests per minute per client before 429.
    pub rate_limit_per_minute: u32,
    /// Requests a client may burst above the sustained rate.
    pub rate_limit_burst: u32,
    /// Login back-off.
    pub login_throttle: ThrottleConfig,
    /// Settings used when the database has none yet.
    pub settings_defaults: SettingsValues,
    /// Longest time a plain request may take.
    pub request_timeout: Duration,
    /// The URL users reach the product at (for future Origin checks of WebSockets).
    pub public_url: Option<String>,
    /// A rotated refresh token replayed within this window is refused without
    /// revoking the session (two tabs refreshing at once); later, it revokes it.
    pub refresh_reuse_grace: Duration,
    /// Where terminal recordings are written (`None`: recording unavailable).
    pub recordings_dir: Option<std::path::PathBuf>,
    /// Job workers and Ansible.
    pub automation: AutomationConfig,
    /// Run retention while the Settings page has not set it (`ITMGR_RUN_RETENTION_DAYS` …).
    pub run_retention_defaults: crate::services::settings::EffectiveRetention,
}

/// How this process's job worker and `ansible-playbook` runs behave.
#[derive(Debug, Clone)]
pub struct AutomationConfig {
    /// Where per-run work directories are made (0700 each, removed after the run).
    pub work_dir: std::path::PathBuf,
    /// `ansible-playbook` to use (`None`: the product's virtualenv in `data_dir`, then `PATH`).
    pub ansible_playbook: Option<std::path::PathBuf>,
    /// The data directory (for the virtualenv).
    pub data_dir: Option<std::path::PathBuf>,
    /// Jobs one worker runs at once.
    pub worker_concurrency: usize,
    /// How long a job's claim lasts without a heartbeat (a vanished worker's run is `lost` or
    /// retried after it).
    pub lease: Duration,
    /// Between SIGTERM and SIGKILL when a playbook run is canceled or times out.
    pub cancel_grace: Duration,
    /// Bare mirrors of playbook Git repositories (fetched before each run).
    pub git_cache: std::path::PathBuf,
}

impl Default for AutomationConfig {
    fn default() -> Self {
        Self {
            work_dir: std::env::temp_dir().join("itmgr-work"),
            ansible_playbook: None,
            data_dir: None,
            worker_concurrency: 4,
            lease: Duration::from_secs(30),
            cancel_grace: Duration::from_secs(10),
            git_cache: std::env::temp_dir().join("itmgr-git"),
        }
    }
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            access_token_ttl: Duration::from_secs(15 * 60),
            secure_cookies: false,
            trust_forwarded_for: false,
            rate_limit_per_minute: 1200,
            rate_limit_burst: 200,
            login_throttle: ThrottleConfig::default(),
            settings_defaults: SettingsValues {
                session_idle_timeout_minutes: 60 * 8,
                session_absolute_lifetime_hours: 24 * 7,
                audit_retention_days: 365,
            },
            request_timeout: Duration::from_secs(30),
            public_url: None,
            refresh_reuse_grace: Duration::from_secs(30),
            recordings_dir: None,
            automation: AutomationConfig::default(),
            run_retention_defaults: crate::services::settings::EffectiveRetention {
                days: 90,
                kept_per_playbook: 0,
                logs_max_mb: 0,
            },
        }
    }
}

/// Why the state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] itmgr_storage::StorageError),
    /// The master key is not the one this database's secrets were written with.
    #[error(
        "ITMGR_MASTER_KEY does not match this database (its key id is {expected}, the loaded key's is {loaded}); \
         start with the original master key, or rotate with `itmgr vault rotate-master-key`"
    )]
    WrongMasterKey {
        /// Key id recorded in the database.
        expected: String,
        /// Key id of the loaded key.
        loaded: String,
    },
}

/// Cheap to clone; everything lives behind one `Arc`.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The state's contents.
pub struct Inner {
    /// The database.
    pub db: Db,
    /// API configuration.
    pub config: ApiConfig,
    /// Access-token signing keys.
    pub jwt: JwtKeys,
    /// Failed-login back-off.
    pub throttle: LoginThrottle,
    /// General per-client rate limit.
    pub limiter: RateLimiter,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// The vault's key ring (key-encryption key derived from the master key).
    pub vault: itmgr_vault::KeyRing,
    /// Open web terminal sessions and their tickets.
    pub terminals: crate::services::terminal::Terminals,
    /// Runs executing in this process.
    pub runs: crate::services::runs::Runs,
    /// Wakes this process's job workers when a run is queued here.
    pub jobs: itmgr_jobs::Waker,
    /// Host status checks: concurrency limit and result channel.
    pub checker: crate::services::checks::Checker,
    settings_cache: RwLock<Option<(Instant, Settings)>>,
    inventory_cache: RwLock<Option<(Instant, (InventorySettings, i64))>>,
    own_addresses: RwLock<Vec<SocketAddr>>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// How long settings are cached in memory; other processes see a change within this.
const SETTINGS_TTL: Duration = Duration::from_secs(5);

impl AppState {
    /// Builds the state and makes sure the settings row exists.
    pub async fn new(db: Db, config: ApiConfig, master_key: &[u8]) -> Result<Self, StartError> {
        repo::settings::ensure(db.conn(), config.settings_defaults).await?;
        let vault = itmgr_vault::KeyRing::from_master_key(master_key);
        match repo::secrets::key_check(db.conn()).await? {
            None => repo::secrets::put_key_check(db.conn(), &vault.key_check()).await?,
            Some(check) => {
                vault
                    .verify_key_check(&check)
                    .map_err(|_| StartError::WrongMasterKey {
                        expected: check.key_id.clone(),
                        loaded: vault.key_id().to_owned(),
                    })?
            }
        }
        let limiter = RateLimiter::new(config.rate_limit_per_minute, config.rate_limit_burst);
        let (inventory, _) = repo::hosts::settings(db.conn()).await?;
        let checker = crate::services::checks::Checker::new(inventory.check_concurrency as usize);
        let metrics = Metrics::new(env!("CARGO_PKG_VERSION"));
        checker.start_writer(db.clone(), metrics.host_checks.clone());
        Ok(Self(Arc::new(Inner {
            jwt: JwtKeys::derive(master_key),
            throttle: LoginThrottle::new(config.login_throttle),
            metrics,
            vault,
            limiter,
            db,
            config,
            settings_cache: RwLock::new(None),
            checker,
            terminals: Default::default(),
            runs: Default::default(),
            jobs: Default::default(),
            inventory_cache: RwLock::new(None),
            own_addresses: RwLock::new(Vec::new()),
        })))
    }

    /// The current settings, cached briefly.
    pub async fn settings(&self) -> Result<Settings, itmgr_storage::StorageError> {
        if let Some((at, s)) = self
            .settings_cache
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            if at.elapsed() < SETTINGS_TTL {
                return Ok(s.clone());
            }
        }
        let s = repo::settings::get(self.db.conn()).await?;
        self.cache_settings(s.clone());
        Ok(s)
    }

    /// Replaces the cached settings after a change.
    pub fn cache_settings(&self, s: Settings) {
        *self
            .settings_cache
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), s));
    }

    /// The inventory settings and their version, cached briefly like the system settings.
    pub async fn inventory_settings(
        &self,
    ) -> Result<(InventorySettings, i64), itmgr_storage::StorageError> {
        if let Some((at, s)) = self
            .inventory_cache
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            if at.elapsed() < SETTINGS_TTL {
                return Ok(s.clone());
            }
        }
        let s = repo::hosts::settings(self.db.conn()).await?;
        self.cache_inventory_settings(s.clone());
        Ok(s)
    }

    /// Replaces the cached inventory settings after a change.
    pub fn cache_inventory_settings(&self, s: (InventorySettings, i64)) {
        *self
            .inventory_cache
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), s));
    }

    /// Records the socket(s) this server listens on; the target policy refuses them.
    pub fn set_own_addresses(&self, addrs: Vec<SocketAddr>) {
        *self
            .own_addresses
            .write()
            .unwrap_or_else(|e| e.into_inner()) = addrs;
    }

    /// The sockets this server listens on.
    pub fn own_addresses(&self) -> Vec<SocketAddr> {
        self.own_addresses
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}
