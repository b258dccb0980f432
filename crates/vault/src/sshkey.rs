//! SSH private keys: parsed on save (OpenSSH, PKCS#8, PKCS#1/SEC1 PEM, encrypted
//! or not), so garbage is rejected up front; the public key and its SHA256
//! fingerprint become non-secret metadata.

use russh::keys::ssh_key::LineEnding;
use russh::keys::{decode_secret_key, Algorithm, HashAlg, PrivateKey};
use zeroize::Zeroizing;

/// The public facts about a private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// e.g. `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`.
    pub algorithm: String,
    /// The public key in `authorized_keys` format.
    pub public_key: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
}

fn info(key: &PrivateKey) -> Result<KeyInfo, String> {
    let public = key.public_key();
    Ok(KeyInfo {
        algorithm: key.algorithm().as_str().to_owned(),
        public_key: public.to_openssh().map_err(|e| e.to_string())?,
        fingerprint: public.fingerprint(HashAlg::Sha256).to_string(),
    })
}

/// Parses a private key, decrypting it with `passphrase` when it is encrypted.
/// The error message never contains key material.
pub fn parse_private_key(text: &str, passphrase: Option<&str>) -> Result<KeyInfo, String> {
    let key =
        decode_secret_key(text.trim(), passphrase.filter(|p| !p.is_empty())).map_err(|e| {
            let msg = e.to_string().to_lowercase();
            if msg.contains("encrypted")
                || msg.contains("passphrase")
                || msg.contains("password")
                || msg.contains("decrypt")
            {
                "the key is encrypted: give its passphrase, or the passphrase is wrong".to_owned()
            } else {
                "is not an OpenSSH or PEM private key (ed25519, RSA or ECDSA)".to_owned()
            }
        })?;
    info(&key)
}

/// Generates an ed25519 key pair; returns the private key in OpenSSH format.
pub fn generate_ed25519(comment: &str) -> Result<(Zeroizing<String>, KeyInfo), String> {
    let mut key = PrivateKey::random(&mut rand_core_rng::rng(), Algorithm::Ed25519)
        .map_err(|e| e.to_string())?;
    key.set_comment(comment);
    let text = key.to_openssh(LineEnding::LF).map_err(|e| e.to_string())?;
    Ok((Zeroizing::new(text.to_string()), info(&key)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_parses_back_with_the_same_fingerprint() {
        let (private, info) = generate_ed25519("itmgr test").unwrap();
        assert!(private.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
        assert_eq!(info.algorithm, "ssh-ed25519");
        assert!(info.fingerprint.starts_with("SHA256:"));
        assert!(info.public_key.starts_with("ssh-ed25519 "));
        assert_eq!(parse_private_key(&private, None).unwrap(), info);
    }

    #[test]
    fn garbage_is_rejected_without_echoing_it() {
        let err = parse_private_key("-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-key-material\n-----END OPENSSH PRIVATE KEY-----", None).unwrap_err();
        assert!(!err.contains("not-a-key-material"));
        assert!(parse_private_key("hello", None).is_err());
    }
}
