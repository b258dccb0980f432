//! Envelope encryption for secret values.
//!
//! Each value is encrypted with its own random 256-bit data key (XChaCha20-Poly1305,
//! 192-bit random nonces, so random nonces never collide in practice). The data key
//! is wrapped by the key-encryption key (KEK), derived from the master key with
//! HKDF-SHA256. Associated data binds a ciphertext to its secret id, type and value
//! version: copied onto another row it fails to decrypt. Rotating the master key
//! re-wraps data keys only; values are never re-encrypted.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

pub mod sshkey;

/// Vault failures. None of them carries plaintext.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VaultError {
    /// The data key was wrapped under another master key.
    #[error("wrapped under key {found}, the loaded master key is {expected}")]
    WrongKey {
        /// The key id stored with the value.
        found: String,
        /// The id of the loaded key.
        expected: String,
    },
    /// Authentication failed: tampered, moved to another row, or the wrong key.
    #[error("decryption failed: the value was altered, moved, or encrypted under another key")]
    Decrypt,
    /// The stored envelope is malformed.
    #[error("malformed envelope: {0}")]
    Malformed(&'static str),
}

/// The key-encryption key and its public id.
pub struct KeyRing {
    kek: Zeroizing<[u8; 32]>,
    key_id: String,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// An encrypted value as stored: all fields are safe to persist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The value, encrypted under the data key (with the 16-byte tag).
    pub ciphertext: Vec<u8>,
    /// The nonce of the value encryption (24 bytes).
    pub nonce: Vec<u8>,
    /// The data key encrypted under the KEK (with tag).
    pub wrapped_key: Vec<u8>,
    /// The nonce of the key wrapping (24 bytes).
    pub key_nonce: Vec<u8>,
    /// Which KEK wrapped the data key.
    pub key_id: String,
}

/// What a ciphertext is bound to.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    /// The secret's id.
    pub secret_id: &'a str,
    /// The secret's type name.
    pub kind: &'a str,
    /// The value version (bumped on every value replacement).
    pub value_version: i64,
}

impl Binding<'_> {
    fn aad(&self) -> Vec<u8> {
        // Length-prefixed fields: no two bindings share a serialisation.
        let mut out = Vec::new();
        for part in [
            self.secret_id.as_bytes(),
            self.kind.as_bytes(),
            &self.value_version.to_be_bytes(),
        ] {
            out.extend_from_slice(&(part.len() as u32).to_be_bytes());
            out.extend_from_slice(part);
        }
        out
    }
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

fn nonce(bytes: &[u8]) -> Result<&XNonce, VaultError> {
    if bytes.len() != 24 {
        return Err(VaultError::Malformed("nonce length"));
    }
    Ok(XNonce::from_slice(bytes))
}

const KEY_CHECK_PLAINTEXT: &[u8] = b"itmgr key check v1";
const KEY_CHECK_BINDING: Binding<'static> = Binding {
    secret_id: "key-check",
    kind: "key-check",
    value_version: 1,
};

impl KeyRing {
    /// Derives the KEK from the master key.
    pub fn from_master_key(master_key: &[u8]) -> Self {
        let hk = Hkdf::<Sha256>::new(Some(b"itmgr"), master_key);
        let mut kek = Zeroizing::new([0u8; 32]);
        hk.expand(b"itmgr/vault/kek/v1", kek.as_mut())
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        let key_id = hex::encode(&Sha256::digest(kek.as_ref())[..8]);
        Self { kek, key_id }
    }

    /// The public id of this KEK (a hash prefix, not the key).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    fn kek_cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(Key::from_slice(self.kek.as_ref()))
    }

    /// Encrypts `plaintext` under a fresh data key bound to `binding`.
    pub fn seal(&self, binding: Binding<'_>, plaintext: &[u8]) -> Envelope {
        let mut dek = Zeroizing::new(random::<32>());
        let nonce_bytes = random::<24>();
        let aad = binding.aad();
        let ciphertext = XChaCha20Poly1305::new(Key::from_slice(dek.as_ref()))
            .encrypt(
                XNonce::from_slice(&nonce_bytes),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 encryption of in-memory data cannot fail");
        let key_nonce = random::<24>();
        let wrapped_key = self
            .kek_cipher()
            .encrypt(
                XNonce::from_slice(&key_nonce),
                Payload {
                    msg: dek.as_ref(),
                    aad: &aad,
                },
            )
            .expect("key wrapping cannot fail");
        dek.zeroize();
        Envelope {
            ciphertext,
            nonce: nonce_bytes.to_vec(),
            wrapped_key,
            key_nonce: key_nonce.to_vec(),
            key_id: self.key_id.clone(),
        }
    }

    fn unwrap_key(
        &self,
        binding: Binding<'_>,
        env: &Envelope,
    ) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        if env.key_id != self.key_id {
            return Err(VaultError::WrongKey {
                found: env.key_id.clone(),
                expected: self.key_id.clone(),
            });
        }
        let dek = self
            .kek_cipher()
            .decrypt(
                nonce(&env.key_nonce)?,
                Payload {
                    msg: &env.wrapped_key,
                    aad: &binding.aad(),
                },
            )
            .map_err(|_| VaultError::Decrypt)?;
        let dek = Zeroizing::new(dek);
        if dek.len() != 32 {
            return Err(VaultError::Malformed("data key length"));
        }
        Ok(dek)
    }

    /// Decrypts an envelope; the plaintext is wiped when dropped.
    pub fn open(
        &self,
        binding: Binding<'_>,
        env: &Envelope,
    ) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let dek = self.unwrap_key(binding, env)?;
        XChaCha20Poly1305::new(Key::from_slice(&dek))
            .decrypt(
                nonce(&env.nonce)?,
                Payload {
                    msg: &env.ciphertext,
                    aad: &binding.aad(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Decrypt)
    }

    /// Re-wraps the data key of `env` (sealed under `old`) under this ring.
    /// Already re-wrapped envelopes are returned unchanged, so a rotation can be re-run.
    pub fn rewrap_from(
        &self,
        old: &KeyRing,
        binding: Binding<'_>,
        env: &Envelope,
    ) -> Result<Envelope, VaultError> {
        if env.key_id == self.key_id {
            return Ok(env.clone());
        }
        let dek = old.unwrap_key(binding, env)?;
        let key_nonce = random::<24>();
        let wrapped_key = self
            .kek_cipher()
            .encrypt(
                XNonce::from_slice(&key_nonce),
                Payload {
                    msg: dek.as_ref(),
                    aad: &binding.aad(),
                },
            )
            .expect("key wrapping cannot fail");
        Ok(Envelope {
            wrapped_key,
            key_nonce: key_nonce.to_vec(),
            key_id: self.key_id.clone(),
            ..env.clone()
        })
    }

    /// A record to store once; [`KeyRing::verify_key_check`] tells at start-up whether
    /// the loaded master key is the one the data was written with.
    pub fn key_check(&self) -> Envelope {
        self.seal(KEY_CHECK_BINDING, KEY_CHECK_PLAINTEXT)
    }

    /// Checks the stored key-check record against this ring.
    pub fn verify_key_check(&self, env: &Envelope) -> Result<(), VaultError> {
        let plain = self.open(KEY_CHECK_BINDING, env)?;
        if plain.as_slice() == KEY_CHECK_PLAINTEXT {
            Ok(())
        } else {
            Err(VaultError::Decrypt)
        }
    }
}

/// Encrypts a stream (e.g. a terminal recording) in independently sealed chunks under one data
/// key. The key itself is stored sealed with [`KeyRing::seal`], so master-key rotation re-wraps it
/// like any secret. Each chunk's associated data names the stream and the chunk's position, so
/// chunks cannot be reordered, dropped from the middle or moved to another stream unnoticed.
pub struct ChunkCipher {
    cipher: XChaCha20Poly1305,
}

impl ChunkCipher {
    /// A fresh random data key (to seal and store) and its cipher.
    pub fn generate() -> (Zeroizing<Vec<u8>>, Self) {
        let key = Zeroizing::new(random::<32>().to_vec());
        let cipher = Self::from_key(&key).expect("32-byte key");
        (key, cipher)
    }

    /// The cipher for a stored data key.
    pub fn from_key(key: &[u8]) -> Result<Self, VaultError> {
        if key.len() != 32 {
            return Err(VaultError::Decrypt);
        }
        Ok(Self {
            cipher: XChaCha20Poly1305::new(Key::from_slice(key)),
        })
    }

    /// Seals one chunk: `nonce (24 bytes) || ciphertext`.
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let nonce = random::<24>();
        let ct = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .expect("XChaCha20-Poly1305 encryption does not fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        out
    }

    /// Opens one chunk sealed by [`ChunkCipher::seal`] with the same associated data.
    pub fn open(&self, aad: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        if data.len() < 24 {
            return Err(VaultError::Decrypt);
        }
        self.cipher
            .decrypt(
                XNonce::from_slice(&data[..24]),
                Payload {
                    msg: &data[24..],
                    aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Decrypt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(id: &str) -> Binding<'_> {
        Binding {
            secret_id: id,
            kind: "password",
            value_version: 1,
        }
    }

    #[test]
    fn a_sealed_value_opens_to_the_same_bytes() {
        let ring = KeyRing::from_master_key(&[1; 32]);
        let env = ring.seal(binding("a"), b"hunter2 but longer");
        assert_eq!(
            ring.open(binding("a"), &env).unwrap().as_slice(),
            b"hunter2 but longer"
        );
        assert!(!env.ciphertext.windows(7).any(|w| w == b"hunter2"));
        assert_eq!(env.nonce.len(), 24);
        let again = ring.seal(binding("a"), b"hunter2 but longer");
        assert_ne!(
            env.ciphertext, again.ciphertext,
            "fresh data key and nonce every time"
        );
    }

    #[test]
    fn any_tampering_is_detected() {
        let ring = KeyRing::from_master_key(&[1; 32]);
        let env = ring.seal(binding("a"), b"value");
        for field in 0..4 {
            let mut bad = env.clone();
            let bytes = match field {
                0 => &mut bad.ciphertext,
                1 => &mut bad.nonce,
                2 => &mut bad.wrapped_key,
                _ => &mut bad.key_nonce,
            };
            bytes[0] ^= 1;
            assert_eq!(
                ring.open(binding("a"), &bad),
                Err(VaultError::Decrypt),
                "field {field}"
            );
        }
    }

    #[test]
    fn a_wrong_master_key_is_refused() {
        let ring = KeyRing::from_master_key(&[1; 32]);
        let other = KeyRing::from_master_key(&[2; 32]);
        let env = ring.seal(binding("a"), b"value");
        assert!(matches!(
            other.open(binding("a"), &env),
            Err(VaultError::WrongKey { .. })
        ));
        let forged = Envelope {
            key_id: other.key_id().to_owned(),
            ..env
        };
        assert_eq!(other.open(binding("a"), &forged), Err(VaultError::Decrypt));
    }

    #[test]
    fn a_ciphertext_moved_to_another_row_type_or_version_fails() {
        let ring = KeyRing::from_master_key(&[1; 32]);
        let env = ring.seal(binding("a"), b"value");
        assert_eq!(ring.open(binding("b"), &env), Err(VaultError::Decrypt));
        assert_eq!(
            ring.open(
                Binding {
                    kind: "token",
                    ..binding("a")
                },
                &env
            ),
            Err(VaultError::Decrypt)
        );
        assert_eq!(
            ring.open(
                Binding {
                    value_version: 2,
                    ..binding("a")
                },
                &env
            ),
            Err(VaultError::Decrypt)
        );
    }

    #[test]
    fn rotation_rewraps_keys_and_is_safe_to_rerun() {
        let old = KeyRing::from_master_key(&[1; 32]);
        let new = KeyRing::from_master_key(&[2; 32]);
        let envs: Vec<_> = (0..5)
            .map(|i| old.seal(binding(&i.to_string()), format!("v{i}").as_bytes()))
            .collect();
        // "Interrupted" after two: rewrap those, then run the whole rotation again.
        let mut stored: Vec<_> = envs.clone();
        for (i, env) in stored.iter_mut().enumerate().take(2) {
            *env = new.rewrap_from(&old, binding(&i.to_string()), env).unwrap();
        }
        for (i, env) in stored.iter_mut().enumerate() {
            *env = new.rewrap_from(&old, binding(&i.to_string()), env).unwrap();
        }
        for (i, env) in stored.iter().enumerate() {
            assert_eq!(
                env.ciphertext, envs[i].ciphertext,
                "values are not re-encrypted"
            );
            assert_eq!(
                new.open(binding(&i.to_string()), env).unwrap().as_slice(),
                format!("v{i}").as_bytes()
            );
        }
    }

    #[test]
    fn the_key_check_tells_the_right_key_from_a_wrong_one() {
        let ring = KeyRing::from_master_key(&[1; 32]);
        let check = ring.key_check();
        assert!(ring.verify_key_check(&check).is_ok());
        assert!(KeyRing::from_master_key(&[3; 32])
            .verify_key_check(&check)
            .is_err());
        assert!(!format!("{ring:?}").contains("kek:"));
    }

    #[test]
    fn chunks_open_only_in_place_and_untampered() {
        let (key, c) = ChunkCipher::generate();
        let sealed = c.seal(b"stream:0", b"hello");
        assert_eq!(&*c.open(b"stream:0", &sealed).unwrap(), b"hello");
        assert!(c.open(b"stream:1", &sealed).is_err(), "moved chunk");
        let mut bad = sealed.clone();
        bad[30] ^= 1;
        assert!(c.open(b"stream:0", &bad).is_err(), "tampered chunk");
        let again = ChunkCipher::from_key(&key).unwrap();
        assert_eq!(&*again.open(b"stream:0", &sealed).unwrap(), b"hello");
        let (_, other) = ChunkCipher::generate();
        assert!(other.open(b"stream:0", &sealed).is_err(), "another key");
        assert!(ChunkCipher::from_key(&[0u8; 16]).is_err());
    }
}
