use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What an opaque token is for; the prefix makes leaked tokens recognisable to secret scanners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A refresh token, kept in an HttpOnly cookie.
    Refresh,
    /// A personal API token, used as `Authorization: Bearer`.
    Api,
}

impl TokenKind {
    fn prefix(self) -> &'static str {
        match self {
            TokenKind::Refresh => "itmr_",
            TokenKind::Api => "itm_",
        }
    }
}

/// A freshly generated high-entropy token: the secret goes to the client once,
/// only its SHA-256 is stored.
pub struct OpaqueToken {
    /// The full token, to hand to the client exactly once.
    pub secret: String,
    /// The hex SHA-256 of `secret`, to store and look up by.
    pub hash: String,
    /// A short, non-secret prefix that identifies the token in lists.
    pub display_prefix: String,
}

impl OpaqueToken {
    /// Generates 256 random bits for a token of `kind`.
    pub fn generate(kind: TokenKind) -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let secret = format!("{}{}", kind.prefix(), URL_SAFE_NO_PAD.encode(bytes));
        let display_prefix = secret.chars().take(kind.prefix().len() + 6).collect();
        Self {
            hash: hash_token(&secret),
            secret,
            display_prefix,
        }
    }
}

impl std::fmt::Debug for OpaqueToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpaqueToken")
            .field("display_prefix", &self.display_prefix)
            .finish_non_exhaustive()
    }
}

/// SHA-256 of a token, hex encoded. Tokens carry 256 bits of entropy, so a fast
/// hash is enough: there is nothing to brute-force.
pub fn hash_token(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_prefixed_and_hashed() {
        let a = OpaqueToken::generate(TokenKind::Api);
        let b = OpaqueToken::generate(TokenKind::Api);
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.starts_with("itm_"));
        assert_eq!(a.hash, hash_token(&a.secret));
        assert!(a.secret.starts_with(&a.display_prefix));
        assert!(!format!("{a:?}").contains(&a.secret));
    }
}
