//! Role-based access control as a permission matrix in code.
//!
//! A [`Principal`] holds the permissions of its role. Code that performs a
//! protected action asks for a [`Capability<P>`], which only
//! [`Principal::require`] can make: a service function that takes
//! `Capability<perm::UsersCreate>` cannot be called by a caller that skipped
//! the check. Custom roles later only change where the permission set comes from.

use crate::AuthError;
use itmgr_domain::{ApiTokenId, Role, SessionId, UserId};
use std::collections::BTreeSet;
use std::fmt;
use std::marker::PhantomData;

macro_rules! permissions {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// One thing a principal may do: a resource × action pair.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Permission {
            $(#[doc = $doc] $variant,)*
        }

        impl Permission {
            /// Every permission.
            pub const ALL: &'static [Permission] = &[$(Permission::$variant,)*];

            /// The stable `resource:action` name used in the API and the UI.
            pub fn as_str(&self) -> &'static str {
                match self { $(Permission::$variant => $name,)* }
            }
        }

        /// Type-level markers for [`Capability`], one per [`Permission`].
        pub mod perm {
            $(
                #[doc = $doc]
                #[derive(Debug)]
                pub struct $variant;
                impl super::PermissionMarker for $variant {
                    const PERMISSION: super::Permission = super::Permission::$variant;
                }
            )*
        }
    };
}

permissions! {
    DashboardRead => "dashboard:read", "See the dashboard figures.";
    ProfileManage => "profile:manage", "Change one's own password, sessions and API tokens.";
    UsersRead => "users:read", "List and view users.";
    UsersCreate => "users:create", "Create users.";
    UsersUpdate => "users:update", "Change users' names, roles, disabled flag and passwords.";
    UsersDelete => "users:delete", "Delete users.";
    SessionsReadAll => "sessions:read_all", "See every user's sessions.";
    SessionsRevokeAll => "sessions:revoke_all", "Revoke any user's sessions.";
    AuditRead => "audit:read", "Read the audit log.";
    AuditExport => "audit:export", "Export the audit log as CSV.";
    SettingsRead => "settings:read", "Read system settings.";
    SettingsUpdate => "settings:update", "Change system settings.";
    SecretsRead => "secrets:read", "See secrets' metadata (never values).";
    SecretsCreate => "secrets:create", "Create secrets.";
    SecretsUpdate => "secrets:update", "Change secrets' metadata and replace values.";
    SecretsDelete => "secrets:delete", "Delete secrets.";
    SecretsReveal => "secrets:reveal", "Reveal a secret's value (re-authenticated, audited).";
    SecretsUse => "secrets:use", "Let runs use secrets without seeing them.";
    HostsRead => "hosts:read", "List, view and export hosts and their status history.";
    HostsCreate => "hosts:create", "Create and import hosts.";
    HostsUpdate => "hosts:update", "Change hosts, their tags and credentials.";
    HostsDelete => "hosts:delete", "Delete hosts.";
    HostsCheck => "hosts:check", "Run status checks on demand.";
    GroupsManage => "groups:manage", "Create, change and delete host groups and their members.";
    TerminalOpen => "terminal:open", "Open SSH terminals to hosts (audited).";
    HostKeysManage => "host_keys:manage", "Accept a changed SSH host key after checking it.";
    RecordingsView => "recordings:view", "List and play terminal session recordings (audited).";
    RunsRead => "runs:read", "See runs, their per-host results and output.";
    RunsExecute => "runs:execute", "Run commands and scripts on hosts, cancel and re-run runs.";
    KeysDeploy => "keys:deploy", "Deploy, remove and rotate SSH keys on hosts.";
    PlaybooksRead => "playbooks:read", "See playbooks, their versions and schedules.";
    PlaybooksManage => "playbooks:manage", "Create, change and delete playbooks and schedules.";
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Links a marker type to its permission.
pub trait PermissionMarker {
    /// The permission the marker stands for.
    const PERMISSION: Permission;
}

/// The built-in permission matrix.
pub fn role_permissions(role: Role) -> BTreeSet<Permission> {
    use Permission::*;
    let list: &[Permission] = match role {
        Role::Admin => Permission::ALL,
        Role::Operator => &[
            DashboardRead,
            ProfileManage,
            UsersRead,
            AuditRead,
            AuditExport,
            SettingsRead,
            SecretsRead,
            SecretsUse,
            HostsRead,
            HostsCreate,
            HostsUpdate,
            HostsDelete,
            HostsCheck,
            GroupsManage,
            TerminalOpen,
            RunsRead,
            RunsExecute,
            KeysDeploy,
            PlaybooksRead,
            PlaybooksManage,
        ],
        Role::Viewer => &[
            DashboardRead,
            ProfileManage,
            UsersRead,
            AuditRead,
            SettingsRead,
            SecretsRead,
            HostsRead,
            RunsRead,
            PlaybooksRead,
        ],
    };
    list.iter().copied().collect()
}

/// How the principal authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// A browser session (access token bound to a session).
    Session(SessionId),
    /// A personal API token.
    ApiToken(ApiTokenId),
}

/// An authenticated caller and what it may do.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The user acting (API tokens act as their owner).
    pub user_id: UserId,
    /// The user's name, for audit records.
    pub username: String,
    /// The user's role.
    pub role: Role,
    /// Session or API token.
    pub kind: PrincipalKind,
    permissions: BTreeSet<Permission>,
}

impl Principal {
    /// A principal with the permissions of `role`.
    pub fn new(user_id: UserId, username: String, role: Role, kind: PrincipalKind) -> Self {
        Self {
            user_id,
            username,
            role,
            kind,
            permissions: role_permissions(role),
        }
    }

    /// Whether the principal holds `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// The permission names, for the UI to hide what it cannot do.
    pub fn permission_names(&self) -> Vec<String> {
        self.permissions
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect()
    }

    /// The session, when the principal is a browser session.
    pub fn session_id(&self) -> Option<SessionId> {
        match self.kind {
            PrincipalKind::Session(id) => Some(id),
            PrincipalKind::ApiToken(_) => None,
        }
    }

    /// Returns the capability for `P`, or `Forbidden`.
    pub fn require<P: PermissionMarker>(&self) -> Result<Capability<P>, AuthError> {
        if self.can(P::PERMISSION) {
            Ok(Capability {
                principal: self.clone(),
                _marker: PhantomData,
            })
        } else {
            Err(AuthError::Forbidden(P::PERMISSION))
        }
    }
}

/// Proof that `principal` holds the permission `P`.
#[derive(Debug)]
pub struct Capability<P> {
    principal: Principal,
    _marker: PhantomData<P>,
}

impl<P> Capability<P> {
    /// Who holds the capability.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role) -> Principal {
        Principal::new(
            UserId::new(),
            "u".into(),
            role,
            PrincipalKind::Session(SessionId::new()),
        )
    }

    #[test]
    fn admins_hold_every_permission() {
        let admin = principal(Role::Admin);
        assert!(Permission::ALL.iter().all(|p| admin.can(*p)));
    }

    #[test]
    fn viewers_cannot_change_anything_but_their_own_profile() {
        let viewer = principal(Role::Viewer);
        assert!(viewer.require::<perm::UsersRead>().is_ok());
        assert!(viewer.require::<perm::UsersCreate>().is_err());
        assert!(viewer.require::<perm::SettingsUpdate>().is_err());
        assert!(viewer.require::<perm::SessionsRevokeAll>().is_err());
        for p in Permission::ALL {
            let name = p.as_str();
            let mutating = ["create", "update", "delete", "revoke_all", "reveal", "use"]
                .iter()
                .any(|a| name.ends_with(a));
            if mutating {
                assert!(!viewer.can(*p), "viewer must not hold {name}");
            }
        }
    }

    #[test]
    fn permission_names_are_unique() {
        let names: BTreeSet<_> = Permission::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(names.len(), Permission::ALL.len());
    }
}
