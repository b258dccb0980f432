use crate::AuthError;
use hkdf::Hkdf;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The claims of a short-lived access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user id.
    pub sub: String,
    /// The session id, so revoking a session invalidates its access tokens too.
    pub sid: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
}

/// Signing keys for access tokens, derived from the master key so that every
/// backend process of one installation agrees without sharing another secret.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    /// Derives the HS256 key from the master key with HKDF-SHA256.
    pub fn derive(master_key: &[u8]) -> Self {
        let hk = Hkdf::<Sha256>::new(Some(b"itmgr"), master_key);
        let mut okm = [0u8; 32];
        hk.expand(b"itmgr/jwt/v1", &mut okm)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        Self {
            encoding: EncodingKey::from_secret(&okm),
            decoding: DecodingKey::from_secret(&okm),
        }
    }

    /// Signs claims.
    pub fn sign(&self, claims: &AccessClaims) -> String {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 signing of plain claims cannot fail")
    }

    /// Verifies signature and expiry (no leeway: the tokens are short and we refresh early).
    pub fn verify(&self, token: &str) -> Result<AccessClaims, AuthError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        decode::<AccessClaims>(token, &self.decoding, &validation)
            .map(|d| d.claims)
            .map_err(|_| AuthError::InvalidToken)
    }
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp_offset: i64) -> AccessClaims {
        let now = chrono::Utc::now().timestamp();
        AccessClaims {
            sub: "u".into(),
            sid: "s".into(),
            iat: now,
            exp: now + exp_offset,
        }
    }

    #[test]
    fn tokens_verify_only_with_the_same_master_key_and_before_expiry() {
        let keys = JwtKeys::derive(b"master key one");
        let token = keys.sign(&claims(60));
        assert_eq!(keys.verify(&token).unwrap().sub, "u");
        assert!(JwtKeys::derive(b"master key two").verify(&token).is_err());
        assert!(keys.verify(&keys.sign(&claims(-5))).is_err());
        assert!(keys.verify("garbage").is_err());
    }
}
