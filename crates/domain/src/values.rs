use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Why a raw value was rejected; the message is safe to show to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValueError {
    /// The name of the field the value was meant for.
    pub field: &'static str,
    /// A human-readable explanation.
    pub message: String,
}

impl ValueError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// A login name: 3–64 characters of `a-z 0-9 . _ -`, starting with a letter or digit.
/// Stored lower-case so `Admin` and `admin` can never be two accounts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    /// Parses and normalises a user name.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim().to_ascii_lowercase();
        let len = s.chars().count();
        if !(3..=64).contains(&len) {
            return Err(ValueError::new(
                "username",
                "must be 3 to 64 characters long",
            ));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err(ValueError::new(
                "username",
                "may contain only letters, digits, '.', '_' and '-'",
            ));
        }
        if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(ValueError::new(
                "username",
                "must start with a letter or a digit",
            ));
        }
        Ok(Self(s))
    }
    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name: 1–128 printable characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses a display name, trimming surrounding white space.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim();
        let len = s.chars().count();
        if !(1..=128).contains(&len) {
            return Err(ValueError::new(
                "display_name",
                "must be 1 to 128 characters long",
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(ValueError::new(
                "display_name",
                "must not contain control characters",
            ));
        }
        Ok(Self(s.to_owned()))
    }
    /// The display name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Consumes the value.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An e-mail address, checked for shape only (delivery is the mail server's business).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parses an e-mail address.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim();
        let valid = s.len() <= 254
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && matches!(s.split_once('@'), Some((local, domain)) if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@'));
        if !valid {
            return Err(ValueError::new(
                "email",
                "must be an e-mail address like name@example.com",
            ));
        }
        Ok(Self(s.to_owned()))
    }
    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Consumes the value.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A password that satisfies the policy: 12–256 characters, not the user name,
/// not one character repeated. Length beats composition rules (NIST 800-63B).
pub struct NewPassword(String);

impl NewPassword {
    /// The minimum length, shared with the UI's form validation.
    pub const MIN_LEN: usize = 12;

    /// Checks a candidate password against the policy for `username`.
    pub fn parse(raw: &str, username: &str, field: &'static str) -> Result<Self, ValueError> {
        let len = raw.chars().count();
        if len < Self::MIN_LEN {
            return Err(ValueError::new(
                field,
                format!("must be at least {} characters long", Self::MIN_LEN),
            ));
        }
        if len > 256 {
            return Err(ValueError::new(
                field,
                "must be at most 256 characters long",
            ));
        }
        if raw
            .to_ascii_lowercase()
            .contains(&username.to_ascii_lowercase())
        {
            return Err(ValueError::new(field, "must not contain the user name"));
        }
        let first = raw.chars().next();
        if raw.chars().all(|c| Some(c) == first) {
            return Err(ValueError::new(field, "must not be one character repeated"));
        }
        Ok(Self(raw.to_owned()))
    }
    /// The password, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// The built-in roles. Permissions per role live in the `auth` crate's matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Everything, including users and settings.
    Admin,
    /// Day-to-day operations; cannot manage users or settings.
    Operator,
    /// Read-only.
    Viewer,
}

impl Role {
    /// Every role, in order of decreasing power.
    pub const ALL: [Role; 3] = [Role::Admin, Role::Operator, Role::Viewer];

    /// The stable name stored in the database and used in the API.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Viewer => "viewer",
        }
    }
}

impl FromStr for Role {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "operator" => Ok(Role::Operator),
            "viewer" => Ok(Role::Viewer),
            _ => Err(ValueError::new(
                "role",
                "must be one of admin, operator, viewer",
            )),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who performed an audited action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActorType {
    /// A logged-in user.
    User,
    /// A personal API token.
    Token,
    /// The server itself (start-up, retention, CLI).
    System,
    /// Nobody authenticated yet (e.g. a failed login).
    Anonymous,
}

impl ActorType {
    /// The stable stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ActorType::User => "user",
            ActorType::Token => "token",
            ActorType::System => "system",
            ActorType::Anonymous => "anonymous",
        }
    }
}

impl FromStr for ActorType {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "user" => Ok(Self::User),
            "token" => Ok(Self::Token),
            "system" => Ok(Self::System),
            "anonymous" => Ok(Self::Anonymous),
            _ => Err(ValueError::new("actor_type", "unknown actor type")),
        }
    }
}

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AuditOutcome {
    /// It happened.
    Success,
    /// It was attempted and failed (bad password, validation).
    Failure,
    /// The actor was not allowed to do it.
    Denied,
}

impl AuditOutcome {
    /// The stable stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            AuditOutcome::Success => "success",
            AuditOutcome::Failure => "failure",
            AuditOutcome::Denied => "denied",
        }
    }
}

impl FromStr for AuditOutcome {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "success" => Ok(Self::Success),
            "failure" => Ok(Self::Failure),
            "denied" => Ok(Self::Denied),
            _ => Err(ValueError::new(
                "outcome",
                "must be one of success, failure, denied",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(
            Username::parse("  Alice.Ops ").unwrap().as_str(),
            "alice.ops"
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("-root").is_err());
        assert!(Username::parse("a b c").is_err());
        assert!(Username::parse("üser").is_err());
    }

    #[test]
    fn passwords_follow_the_policy() {
        assert!(NewPassword::parse("short", "bob", "password").is_err());
        assert!(NewPassword::parse("aaaaaaaaaaaaaaaa", "bob", "password").is_err());
        assert!(NewPassword::parse("my-bob-password-1", "bob", "password").is_err());
        assert!(NewPassword::parse("correct horse battery", "bob", "password").is_ok());
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(Email::parse("ops@example.com").is_ok());
        assert!(Email::parse("ops@localhost").is_err());
        assert!(Email::parse("@example.com").is_err());
        assert!(Email::parse("a b@example.com").is_err());
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }
}
