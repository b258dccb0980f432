//! Runs `ansible-playbook` for IT Manager.
//!
//! Each run gets a fresh 0700 work directory holding the playbook and its files, an inventory
//! generated from the run's target snapshot, an `ansible.cfg` written here, a `known_hosts` with
//! the host keys on record, and the bundled callback plugin that writes one JSON event per line.
//! Private keys never touch disk: an in-process ssh-agent serves them on a socket inside the
//! work directory (`SSH_AUTH_SOCK`). Passwords and secret variables reach Ansible through files
//! in that directory (host vars, an extra-vars file), never through argv or the environment.
//! The process runs in its own process group: a cancel sends SIGTERM to the group, then SIGKILL
//! after a grace period. The work directory is removed afterwards, artifacts copied out first.

mod agent;
mod git;
mod runner;
mod validate;

pub use git::{checkout, fetch_mirror, percent_encode, GitAuth};
pub use runner::{
    find_ansible, run, Artifact, InvHost, Options, Outcome, RunSpec, Update, ARTIFACT_LIMITS,
};
pub use validate::{validate_playbook, ValidationError};

/// Failures that keep a run from starting or finishing normally.
#[derive(Debug, thiserror::Error)]
pub enum AutomationError {
    /// The work directory or one of its files could not be written.
    #[error("preparing the run failed: {0}")]
    Prepare(String),
    /// `ansible-playbook` could not be started.
    #[error("ansible-playbook could not be started: {0}")]
    Spawn(String),
    /// A private key could not be loaded into the agent.
    #[error("a private key could not be used: {0}")]
    Key(String),
    /// Cloning, fetching or checking out a Git source failed.
    #[error("{0}")]
    Git(String),
}
