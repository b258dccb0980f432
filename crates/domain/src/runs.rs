//! Runs: what was executed where, and how it went. Shared by ad-hoc commands, key deployment and
//! (later) playbooks.

use crate::hosts::{err, str_enum};
use crate::ValueError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

str_enum!(
    /// What a run executes.
    RunKind, "kind" {
        /// A shell command line.
        Command => "command",
        /// An uploaded script with arguments.
        Script => "script",
        /// Adds a public key to `authorized_keys`.
        KeyDeploy => "key_deploy",
        /// Removes a public key from `authorized_keys`.
        KeyRemove => "key_remove",
        /// Replaces the key of an SSH credential on its hosts.
        KeyRotate => "key_rotate",
        /// An Ansible playbook.
        Playbook => "playbook",
    }
);

str_enum!(
    /// Where a run is in its life.
    RunStatus, "status" {
        /// Waiting to start.
        Queued => "queued",
        /// Executing.
        Running => "running",
        /// Every host succeeded.
        Succeeded => "succeeded",
        /// At least one host did not succeed.
        Failed => "failed",
        /// Stopped by a user.
        Canceled => "canceled",
        /// The whole run took too long.
        TimedOut => "timed_out",
        /// Its executor vanished (e.g. the server stopped mid-run).
        Lost => "lost",
    }
);

impl RunStatus {
    /// Whether the run is over.
    pub fn is_final(self) -> bool {
        !matches!(self, RunStatus::Queued | RunStatus::Running)
    }
}

str_enum!(
    /// How one host of a run went.
    HostRunStatus, "status" {
        /// Not started yet.
        Pending => "pending",
        /// Executing.
        Running => "running",
        /// Exit status 0.
        Succeeded => "succeeded",
        /// A non-zero exit status, or a login or host-key problem.
        Failed => "failed",
        /// The host could not be reached.
        Unreachable => "unreachable",
        /// The host took longer than the per-host timeout.
        TimedOut => "timed_out",
        /// Stopped by a cancel.
        Canceled => "canceled",
        /// Not started because the run stopped at an earlier failure.
        Skipped => "skipped",
    }
);

impl HostRunStatus {
    /// Whether the host is done.
    pub fn is_final(self) -> bool {
        !matches!(self, HostRunStatus::Pending | HostRunStatus::Running)
    }

    /// Whether a "re-run failed hosts" includes it.
    pub fn needs_rerun(self) -> bool {
        !matches!(self, HostRunStatus::Succeeded)
    }
}

str_enum!(
    /// Who or what started a run.
    RunTrigger, "trigger" {
        /// A user in the UI or with a session.
        User => "user",
        /// An API token.
        ApiToken => "api_token",
        /// A re-run of an earlier run.
        Rerun => "rerun",
        /// A schedule.
        Schedule => "schedule",
    }
);

str_enum!(
    /// The interpreter of an uploaded script.
    Interpreter, "interpreter" {
        /// `bash -s`.
        Bash => "bash",
        /// `sh -s`.
        Sh => "sh",
        /// `python3 -`.
        Python => "python",
    }
);
