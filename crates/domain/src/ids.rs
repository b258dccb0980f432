use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered (UUIDv7) identifier: keeps B-tree inserts local.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            /// Wraps an identifier read back from storage.
            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            /// The underlying UUID.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// Identifies a user account.
    UserId
);
uuid_id!(
    /// Identifies a login session (one refresh-token family).
    SessionId
);
uuid_id!(
    /// Identifies a personal API token.
    ApiTokenId
);
uuid_id!(
    /// Identifies a vault secret.
    SecretId
);
uuid_id!(
    /// Identifies an inventory host.
    HostId
);
uuid_id!(
    /// Identifies a host group.
    GroupId
);
uuid_id!(
    /// Identifies a run (an ad-hoc command, a key deployment, later a playbook run).
    RunId
);
uuid_id!(
    /// Identifies a playbook.
    PlaybookId
);
uuid_id!(
    /// Identifies a schedule.
    ScheduleId
);
uuid_id!(
    /// Identifies a queued job.
    JobId
);
