//! One typed configuration: defaults → optional TOML file (`--config`) → `ITMGR_*`
//! environment variables (plus the conventional `DATABASE_URL`). Validated once at start-up.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Readable lines.
    Human,
    /// One JSON object per line.
    Json,
}

/// Every setting of the binary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub listen: SocketAddr,
    /// `sqlite://…` (embedded) or `postgres://…`.
    pub database_url: String,
    /// Where the embedded mode keeps its database, master key and initial password.
    pub data_dir: PathBuf,
    /// 32 bytes, base64 or hex. Required with PostgreSQL; generated in `data_dir` with SQLite.
    #[serde(serialize_with = "redacted", skip_serializing_if = "Option::is_none")]
    pub master_key: Option<SecretString>,
    /// The first administrator's password (must be changed at first login); random if unset.
    #[serde(serialize_with = "redacted", skip_serializing_if = "Option::is_none")]
    pub admin_password: Option<SecretString>,
    /// `human` or `json`.
    pub log_format: LogFormat,
    /// A tracing filter, e.g. `info` or `itmgr=debug,info`.
    pub log_level: String,
    /// Lifetime of access tokens in seconds.
    pub access_token_ttl_seconds: u64,
    /// The URL users reach the product at; `https://` makes cookies `Secure`.
    pub public_url: Option<String>,
    /// Force the `Secure` cookie flag on or off (default: from `public_url`).
    pub secure_cookies: Option<bool>,
    /// Take client addresses from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Sustained API requests per minute per client (0 disables the limit).
    pub rate_limit_per_minute: u32,
    /// Burst above the sustained rate.
    pub rate_limit_burst: u32,
    /// Database pool size.
    pub db_max_connections: u32,
    /// Default idle timeout for sessions, minutes (the Settings page overrides it).
    pub session_idle_timeout_minutes: i32,
    /// Default absolute session lifetime, hours.
    pub session_absolute_lifetime_hours: i32,
    /// Default audit retention, days.
    pub audit_retention_days: i32,
    /// Run the worker inside `serve` (off when separate `itmgr worker` processes run).
    pub embedded_worker: bool,
    /// `ansible-playbook` to use; unset: `<data_dir>/ansible-venv/bin/ansible-playbook`, then `PATH`.
    pub ansible_playbook: Option<PathBuf>,
    /// Jobs (runs) one worker executes at once.
    pub worker_concurrency: usize,
    /// Seconds a worker's claim on a job lasts without a heartbeat.
    pub job_lease_seconds: u64,
    /// Seconds between SIGTERM and SIGKILL when a playbook run is canceled or times out.
    pub cancel_grace_seconds: u64,
    /// Finished runs older than this many days are deleted (0: keep forever); the Settings page
    /// overrides the three run retention values once saved there.
    pub run_retention_days: u32,
    /// Runs kept per playbook, newest first (0: no limit).
    pub runs_kept_per_playbook: u64,
    /// Stored run output kept in all, MiB; the oldest runs go first (0: no limit).
    pub run_logs_max_mb: u64,
}

fn redacted<S: serde::Serializer>(v: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if v.is_some() { "[redacted]" } else { "" })
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".parse().expect("literal address"),
            database_url: "sqlite://./data/itmgr.db?mode=rwc".into(),
            data_dir: PathBuf::from("./data"),
            master_key: None,
            admin_password: None,
            log_format: LogFormat::Human,
            log_level: "info".into(),
            access_token_ttl_seconds: 900,
            public_url: None,
            secure_cookies: None,
            trust_forwarded_for: false,
            rate_limit_per_minute: 1200,
            rate_limit_burst: 200,
            db_max_connections: 10,
            session_idle_timeout_minutes: 480,
            session_absolute_lifetime_hours: 168,
            audit_retention_days: 365,
            embedded_worker: true,
            ansible_playbook: None,
            worker_concurrency: 4,
            job_lease_seconds: 30,
            cancel_grace_seconds: 10,
            run_retention_days: 90,
            runs_kept_per_playbook: 0,
            run_logs_max_mb: 0,
        }
    }
}

/// A setting that is wrong, named.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Could not read or parse a source.
    #[error("configuration: {0}")]
    Load(String),
    /// A value is out of range or malformed.
    #[error("configuration: {setting}: {message}")]
    Invalid {
        /// The setting's name (as an environment variable).
        setting: &'static str,
        /// What is wrong.
        message: String,
    },
}

fn invalid(setting: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        setting,
        message: message.into(),
    }
}

impl Config {
    /// Loads from defaults, an optional TOML file, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError::Load(format!(
                    "{} does not exist",
                    file.display()
                )));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            )
            .merge(Env::prefixed("ITMGR_"));
        let config: Config = figment
            .extract()
            .map_err(|e| ConfigError::Load(e.to_string()))?;
        let config = config.without_empty_values();
        config.validate()?;
        Ok(config)
    }

    /// An optional setting given as an empty string (`ITMGR_ADMIN_PASSWORD=` in an env file, or
    /// `${VAR:-}` in compose) means "not set", not "set to nothing".
    pub fn without_empty_values(mut self) -> Self {
        let blank = |s: &SecretString| s.expose_secret().trim().is_empty();
        if self.master_key.as_ref().is_some_and(blank) {
            self.master_key = None;
        }
        if self.admin_password.as_ref().is_some_and(blank) {
            self.admin_password = None;
        }
        if self
            .public_url
            .as_deref()
            .is_some_and(|u| u.trim().is_empty())
        {
            self.public_url = None;
        }
        if self
            .ansible_playbook
            .as_deref()
            .is_some_and(|p| p.as_os_str().is_empty())
        {
            self.ansible_playbook = None;
        }
        self
    }

    /// Checks every value; errors name the setting.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !self.is_sqlite() && !self.is_postgres() {
            return Err(invalid(
                "DATABASE_URL",
                "must start with sqlite:// or postgres://",
            ));
        }
        if self.is_postgres() && self.master_key.is_none() {
            return Err(invalid(
                "ITMGR_MASTER_KEY",
                "is required with PostgreSQL (generate one with `openssl rand -base64 32`)",
            ));
        }
        if let Some(key) = &self.master_key {
            decode_master_key(key.expose_secret()).map_err(|m| invalid("ITMGR_MASTER_KEY", m))?;
        }
        if !(60..=86_400).contains(&self.access_token_ttl_seconds) {
            return Err(invalid(
                "ITMGR_ACCESS_TOKEN_TTL_SECONDS",
                "must be between 60 and 86400",
            ));
        }
        if !(1..=1_000).contains(&self.db_max_connections) {
            return Err(invalid(
                "ITMGR_DB_MAX_CONNECTIONS",
                "must be between 1 and 1000",
            ));
        }
        if let Some(url) = &self.public_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(invalid(
                    "ITMGR_PUBLIC_URL",
                    "must start with http:// or https://",
                ));
            }
        }
        let defaults = itmgr_storage::repo::settings::SettingsValues {
            session_idle_timeout_minutes: self.session_idle_timeout_minutes,
            session_absolute_lifetime_hours: self.session_absolute_lifetime_hours,
            audit_retention_days: self.audit_retention_days,
        };
        if let Err(itmgr_api::error::ApiError::Validation(fields)) =
            itmgr_api::services::settings::validate(&defaults)
        {
            let (field, message) = fields.into_iter().next().unwrap_or_default();
            return Err(ConfigError::Invalid {
                setting: setting_name(&field),
                message,
            });
        }
        if let Some(p) = &self.admin_password {
            itmgr_domain::NewPassword::parse(p.expose_secret(), "admin", "ITMGR_ADMIN_PASSWORD")
                .map_err(|e| invalid("ITMGR_ADMIN_PASSWORD", e.message))?;
        }
        Ok(())
    }

    /// Embedded SQLite?
    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// PostgreSQL?
    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres:") || self.database_url.starts_with("postgresql:")
    }

    /// The API's part of the configuration.
    pub fn api(&self) -> itmgr_api::ApiConfig {
        itmgr_api::ApiConfig {
            access_token_ttl: std::time::Duration::from_secs(self.access_token_ttl_seconds),
            secure_cookies: self.secure_cookies.unwrap_or_else(|| {
                self.public_url
                    .as_deref()
                    .is_some_and(|u| u.starts_with("https://"))
            }),
            trust_forwarded_for: self.trust_forwarded_for,
            rate_limit_per_minute: self.rate_limit_per_minute,
            rate_limit_burst: self.rate_limit_burst,
            settings_defaults: itmgr_storage::repo::settings::SettingsValues {
                session_idle_timeout_minutes: self.session_idle_timeout_minutes,
                session_absolute_lifetime_hours: self.session_absolute_lifetime_hours,
                audit_retention_days: self.audit_retention_days,
            },
            public_url: self.public_url.clone(),
            recordings_dir: Some(self.data_dir.join("recordings")),
            automation: itmgr_api::AutomationConfig {
                work_dir: self.data_dir.join("work"),
                ansible_playbook: self.ansible_playbook.clone(),
                data_dir: Some(self.data_dir.clone()),
                worker_concurrency: self.worker_concurrency.max(1),
                lease: std::time::Duration::from_secs(self.job_lease_seconds.max(2)),
                cancel_grace: std::time::Duration::from_secs(self.cancel_grace_seconds),
                git_cache: self.data_dir.join("git"),
            },
            run_retention_defaults: itmgr_api::services::settings::EffectiveRetention {
                days: self.run_retention_days,
                kept_per_playbook: self.runs_kept_per_playbook,
                logs_max_mb: self.run_logs_max_mb,
            },
            ..itmgr_api::ApiConfig::default()
        }
    }
}

fn setting_name(field: &str) -> &'static str {
    match field {
        "session_idle_timeout_minutes" => "ITMGR_SESSION_IDLE_TIMEOUT_MINUTES",
        "session_absolute_lifetime_hours" => "ITMGR_SESSION_ABSOLUTE_LIFETIME_HOURS",
        _ => "ITMGR_AUDIT_RETENTION_DAYS",
    }
}

/// Decodes a master key: 32 bytes as base64 (standard or URL-safe) or 64 hex digits.
pub fn decode_master_key(raw: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    let raw = raw.trim();
    let bytes = if raw.len() == 64 && raw.chars().all(|c| c.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&raw[2 * i..2 * i + 2], 16).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(raw)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(raw))
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(raw))
            .map_err(|_| "must be 32 bytes encoded as base64 or 64 hex digits".to_string())?
    };
    if bytes.len() != 32 {
        return Err(format!("must decode to 32 bytes, not {}", bytes.len()));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_embedded() {
        let c = Config::default();
        c.validate().unwrap();
        assert!(c.is_sqlite());
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn postgres_without_a_master_key_is_refused_by_name() {
        let c = Config {
            database_url: "postgres://localhost/x".into(),
            ..Config::default()
        };
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("ITMGR_MASTER_KEY"), "{err}");
    }

    #[test]
    fn master_keys_decode_from_base64_or_hex_only_at_32_bytes() {
        assert_eq!(decode_master_key(&"ab".repeat(32)).unwrap().len(), 32);
        assert_eq!(
            decode_master_key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                .unwrap()
                .len(),
            32
        );
        assert!(decode_master_key("too short").is_err());
        assert!(decode_master_key("AAAA").is_err());
    }

    #[test]
    fn bad_settings_name_the_variable() {
        let c = Config {
            audit_retention_days: 0,
            ..Config::default()
        };
        assert!(c
            .validate()
            .unwrap_err()
            .to_string()
            .contains("ITMGR_AUDIT_RETENTION_DAYS"));
        let c = Config {
            access_token_ttl_seconds: 5,
            ..Config::default()
        };
        assert!(c
            .validate()
            .unwrap_err()
            .to_string()
            .contains("ITMGR_ACCESS_TOKEN_TTL_SECONDS"));
    }

    #[test]
    fn empty_optional_settings_count_as_unset() {
        let c = Config {
            admin_password: Some(SecretString::from("")),
            public_url: Some(String::new()),
            ansible_playbook: Some(PathBuf::new()),
            ..Config::default()
        };
        assert!(
            c.validate().is_err(),
            "an empty password is refused as given"
        );
        let c = c.without_empty_values();
        c.validate().unwrap();
        assert!(c.admin_password.is_none() && c.public_url.is_none());
        assert!(c.ansible_playbook.is_none());
        // An empty master key with PostgreSQL is missing, and says so.
        let c = Config {
            database_url: "postgres://localhost/x".into(),
            master_key: Some(SecretString::from(" ")),
            ..Config::default()
        }
        .without_empty_values();
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("ITMGR_MASTER_KEY: is required"), "{err}");
    }

    #[test]
    fn the_config_never_serialises_secrets() {
        let c = Config {
            master_key: Some(SecretString::from("s3cr3t-key")),
            ..Config::default()
        };
        let text = serde_json::to_string(&c).unwrap();
        assert!(!text.contains("s3cr3t-key"));
        assert!(!format!("{c:?}").contains("s3cr3t-key"));
    }
}
