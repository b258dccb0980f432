//! One migration source for every engine. Each migration only uses
//! sea-query's portable schema builder, so SQLite and PostgreSQL get the same schema.

use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_vault;
mod m20261123_000003_hosts;
mod m20261123_000004_groups;
mod m20261123_000005_host_legacy_ssh;
mod m20261123_000006_terminal_recordings;
mod m20261123_000007_host_terminal_recording;
mod m20261123_000008_runs;
mod m20261123_000009_automation;
mod m20261124_000010_run_retention_settings;

/// The ordered list of migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_vault::Migration),
            Box::new(m20261123_000003_hosts::Migration),
            Box::new(m20261123_000004_groups::Migration),
            Box::new(m20261123_000005_host_legacy_ssh::Migration),
            Box::new(m20261123_000006_terminal_recordings::Migration),
            Box::new(m20261123_000007_host_terminal_recording::Migration),
            Box::new(m20261123_000008_runs::Migration),
            Box::new(m20261123_000009_automation::Migration),
            Box::new(m20261124_000010_run_retention_settings::Migration),
        ]
    }
}
