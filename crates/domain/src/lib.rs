//! Domain types shared by every IT Manager crate: identifiers, values that are
//! validated once at the edge (parse, don't validate), and plain entities.
//! Nothing here knows about SQL or HTTP.

mod hosts;
mod ids;
mod policy;
mod runs;
mod secrets;
mod values;

pub use hosts::{
    CheckMethod, GroupKind, GroupName, HostAddress, HostName, HostStatus, InventorySettings, Label,
    Port, TerminalRecording,
};
pub use ids::{
    ApiTokenId, GroupId, HostId, JobId, PlaybookId, RunId, ScheduleId, SecretId, SessionId, UserId,
};
pub use policy::{Cidr, TargetDenied, TargetPolicy, TargetRule, DEFAULT_DENY};
pub use runs::{HostRunStatus, Interpreter, RunKind, RunStatus, RunTrigger};
pub use secrets::{SecretKind, SecretName, SecretValue, TagKey};
pub use values::{
    ActorType, AuditOutcome, DisplayName, Email, NewPassword, Role, Username, ValueError,
};
