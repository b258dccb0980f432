//! SeaORM entities: the rows as stored. Never exposed outside this crate.

pub mod api_tokens;
pub mod audit_events;
pub mod group_children;
pub mod group_members;
pub mod group_membership_events;
pub mod host_groups;
pub mod host_status_events;
pub mod host_tags;
pub mod hosts;
pub mod inventory_settings;
pub mod jobs;
pub mod playbook_versions;
pub mod playbooks;
pub mod run_artifacts;
pub mod run_events;
pub mod run_hosts;
pub mod run_output;
pub mod runs;
pub mod schedules;
pub mod secrets;
pub mod sessions;
pub mod settings;
pub mod terminal_recordings;
pub mod users;
pub mod vault_key_check;
