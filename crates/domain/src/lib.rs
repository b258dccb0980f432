//! Domain types shared by every IT Manager crate: identifiers, values that are
//! validated once at the edge (parse, don't validate), and plain entities.
//! Nothing here knows about SQL or HTTP.

mod ids;
mod secrets;
mod values;

pub use ids::{ApiTokenId, SecretId, SessionId, UserId};
pub use secrets::{SecretKind, SecretName, SecretValue, TagKey};
pub use values::{
    ActorType, AuditOutcome, DisplayName, Email, NewPassword, Role, Username, ValueError,
};
