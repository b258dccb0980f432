//! Vault values parsed at the edge.

use crate::ValueError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kinds of secret the vault stores. Each has its own validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SecretKind {
    /// Free text up to 64 KiB (multi-line allowed).
    Text,
    /// A password: one line, up to 4 KiB.
    Password,
    /// An API token or similar credential: one line, up to 4 KiB.
    Token,
    /// An SSH private key (OpenSSH or PEM; ed25519, RSA, ECDSA), optionally passphrase-protected.
    SshKey,
    /// What a host logs in with: a user name plus a password and/or an `ssh_key` secret,
    /// and an optional become (sudo) password.
    SshCredential,
    /// Opaque bytes with a file name (kubeconfig, certificate), up to 1 MiB, sent base64-encoded.
    File,
}

impl SecretKind {
    /// The stable stored name (also bound into the ciphertext).
    pub fn as_str(&self) -> &'static str {
        match self {
            SecretKind::Text => "text",
            SecretKind::Password => "password",
            SecretKind::Token => "token",
            SecretKind::SshKey => "ssh_key",
            SecretKind::SshCredential => "ssh_credential",
            SecretKind::File => "file",
        }
    }
}

impl FromStr for SecretKind {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Self::Text),
            "password" => Ok(Self::Password),
            "token" => Ok(Self::Token),
            "ssh_key" => Ok(Self::SshKey),
            "ssh_credential" => Ok(Self::SshCredential),
            "file" => Ok(Self::File),
            _ => Err(ValueError {
                field: "kind",
                message: "must be one of text, password, token, ssh_key, ssh_credential, file"
                    .into(),
            }),
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secret's name: what `{{ secret:NAME }}` references use, so no spaces or braces.
/// 1–128 characters of letters, digits, `.`, `_`, `-`, `/`, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct SecretName(String);

impl SecretName {
    /// Parses a name.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim();
        let err = |m: &str| ValueError {
            field: "name",
            message: m.into(),
        };
        if s.is_empty() || s.len() > 128 {
            return Err(err("must be 1 to 128 characters long"));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
        {
            return Err(err(
                "may contain only letters, digits, '.', '_', '-' and '/'",
            ));
        }
        if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(err("must start with a letter or a digit"));
        }
        Ok(Self(s.to_owned()))
    }
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tag key: 1–64 characters of letters, digits, `.`, `_`, `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagKey(String);

impl TagKey {
    /// Parses a tag key.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let ok = (1..=64).contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValueError {
                field: "tags",
                message: format!(
                    "tag key {raw:?} must be 1 to 64 letters, digits, '.', '_' or '-'"
                ),
            })
        }
    }
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A secret value checked for its kind. `Debug` never prints it.
pub struct SecretValue(String);

impl SecretValue {
    /// Checks `raw` against the rules of `kind`.
    pub fn parse(kind: SecretKind, raw: String) -> Result<Self, ValueError> {
        let err = |m: &str| ValueError {
            field: "value",
            message: m.into(),
        };
        if raw.is_empty() {
            return Err(err("must not be empty"));
        }
        match kind {
            SecretKind::Text => {
                if raw.len() > 64 * 1024 {
                    return Err(err("must be at most 64 KiB"));
                }
                if raw
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                {
                    return Err(err("must not contain control characters"));
                }
            }
            SecretKind::SshKey => {
                if raw.len() > 16 * 1024 {
                    return Err(err("must be at most 16 KiB"));
                }
            }
            SecretKind::File => {
                // Base64 of at most 1 MiB; the decoded size is checked where it is decoded.
                if raw.len() > 1_400_000 {
                    return Err(err("must be at most 1 MiB"));
                }
            }
            SecretKind::Password | SecretKind::Token | SecretKind::SshCredential => {
                if raw.len() > 4096 {
                    return Err(err("must be at most 4 KiB"));
                }
                if raw.chars().any(char::is_control) {
                    return Err(err("must be a single line without control characters"));
                }
            }
        }
        Ok(Self(raw))
    }
    /// The plaintext, for encryption only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretValue(***)")
    }
}

impl Drop for SecretValue {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_template_safe() {
        assert!(SecretName::parse("prod/db.password").is_ok());
        assert!(SecretName::parse("has space").is_err());
        assert!(SecretName::parse("{{x}}").is_err());
        assert!(SecretName::parse("/leading").is_err());
    }

    #[test]
    fn values_follow_their_kind() {
        assert!(SecretValue::parse(SecretKind::Password, "one\nline".into()).is_err());
        assert!(SecretValue::parse(SecretKind::Text, "two\nlines".into()).is_ok());
        assert!(SecretValue::parse(SecretKind::Token, String::new()).is_err());
        let v = SecretValue::parse(SecretKind::Token, "abc".into()).unwrap();
        assert!(!format!("{v:?}").contains("abc"));
    }
}
