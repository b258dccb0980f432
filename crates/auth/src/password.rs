use crate::AuthError;
use argon2::password_hash::{rand_core::OsRng, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// A PHC-format argon2id hash, safe to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<PasswordHash, AuthError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| PasswordHash(h.to_string()))
        .map_err(|e| AuthError::Hashing(e.to_string()))
}

/// Checks a password against a stored hash; a malformed hash never verifies.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match argon2::PasswordHash::new(hash) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.0.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash.0));
        assert!(!verify_password("correct horse battery!", &hash.0));
        assert!(!verify_password("anything", "not a hash"));
    }
}
