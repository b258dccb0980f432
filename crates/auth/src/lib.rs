//! Authentication and authorization primitives. Pure functions and in-memory
//! state only: persistence of users, sessions and tokens lives in `storage`.

mod jwt;
mod password;
mod rbac;
mod throttle;
mod tokens;

pub use jwt::{AccessClaims, JwtKeys};
pub use password::{hash_password, verify_password, PasswordHash};
pub use rbac::{perm, Capability, Permission, PermissionMarker, Principal, PrincipalKind};
pub use throttle::{LoginThrottle, ThrottleConfig};
pub use tokens::{hash_token, OpaqueToken, TokenKind};

/// Failures of the authentication primitives.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The access token is malformed, forged or expired.
    #[error("invalid or expired access token")]
    InvalidToken,
    /// The principal lacks a permission.
    #[error("missing permission {0}")]
    Forbidden(Permission),
    /// Hashing failed (out of memory, bad parameters): an internal error.
    #[error("password hashing failed: {0}")]
    Hashing(String),
}
