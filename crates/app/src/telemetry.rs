//! Logging: readable lines by default, JSON with `ITMGR_LOG_FORMAT=json`.

use crate::config::{Config, LogFormat};
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber (once, in the binary only).
pub fn init(config: &Config) {
    let filter = EnvFilter::try_from_env("ITMGR_LOG").unwrap_or_else(|_| {
        // sqlx logs every statement with its arguments at info: keep it quiet.
        EnvFilter::new(format!(
            "{},sqlx=warn,sea_orm=warn,sea_orm_migration=warn",
            config.log_level
        ))
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init(),
        LogFormat::Human => builder.with_target(false).init(),
    }
}
