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

/// Decodes a private key for use (signing), accepting the short ECDSA scalars `ssh-keygen` writes
/// (see [`canonical`]). Every place that turns key text into a key goes through here.
pub fn decode(text: &str, passphrase: Option<&str>) -> Result<PrivateKey, russh::keys::Error> {
    match canonical(text) {
        Some(fixed) => decode_secret_key(fixed.trim(), passphrase),
        None => decode_secret_key(text.trim(), passphrase),
    }
}

/// Parses a private key, decrypting it with `passphrase` when it is encrypted.
/// The error message never contains key material.
pub fn parse_private_key(text: &str, passphrase: Option<&str>) -> Result<KeyInfo, String> {
    let key = decode(text, passphrase.filter(|p| !p.is_empty())).map_err(|e| {
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

/// An unencrypted OpenSSH ECDSA key whose private scalar has leading zero bytes is written by
/// `ssh-keygen` as a shorter integer (about one key in 256), which the key parser refuses. This
/// returns the same key with the scalar padded to the curve's size, or `None` when the text needs
/// no change (other kinds, encrypted keys, PEM, or a scalar of full length).
pub fn canonical(text: &str) -> Option<Zeroizing<String>> {
    use base64::Engine;
    const BEGIN: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";
    const END: &str = "-----END OPENSSH PRIVATE KEY-----";
    let body = text.trim().strip_prefix(BEGIN)?.strip_suffix(END)?;
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let raw = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(compact)
            .ok()?,
    );
    let mut r = Reader(&raw[..]);
    r.magic(b"openssh-key-v1\0")?;
    let cipher = r.string()?;
    let kdf = r.string()?;
    let kdf_options = r.string()?;
    let nkeys = r.u32()?;
    if cipher != b"none" || nkeys != 1 {
        return None;
    }
    let public = r.string()?;
    let private = r.string()?;
    let mut p = Reader(private);
    let (check1, check2) = (p.u32()?, p.u32()?);
    let key_type = p.string()?;
    let size = match key_type {
        b"ecdsa-sha2-nistp256" => 32,
        b"ecdsa-sha2-nistp384" => 48,
        b"ecdsa-sha2-nistp521" => 66,
        _ => return None,
    };
    let curve = p.string()?;
    let point = p.string()?;
    let scalar = p.string()?;
    let comment = p.string()?;
    if scalar.len() >= size {
        return None;
    }
    let mut padded = Zeroizing::new(vec![0u8; size - scalar.len()]);
    padded.extend_from_slice(scalar);
    let mut section = Zeroizing::new(Vec::new());
    section.extend_from_slice(&check1.to_be_bytes());
    section.extend_from_slice(&check2.to_be_bytes());
    for field in [key_type, curve, point, &padded[..], comment] {
        put(&mut section, field);
    }
    // Pad to the cipher block size (8 for "none") with 1, 2, 3, …
    let mut n = 1u8;
    while section.len() % 8 != 0 {
        section.push(n);
        n += 1;
    }
    let mut out = Zeroizing::new(b"openssh-key-v1\0".to_vec());
    for field in [cipher, kdf, kdf_options] {
        put(&mut out, field);
    }
    out.extend_from_slice(&1u32.to_be_bytes());
    put(&mut out, public);
    put(&mut out, &section);
    let encoded = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&out[..]));
    let mut text = String::from(BEGIN);
    text.push('\n');
    for line in encoded.as_bytes().chunks(70) {
        text.push_str(std::str::from_utf8(line).ok()?);
        text.push('\n');
    }
    text.push_str(END);
    text.push('\n');
    Some(Zeroizing::new(text))
}

fn put(out: &mut Vec<u8>, field: &[u8]) {
    out.extend_from_slice(&(field.len() as u32).to_be_bytes());
    out.extend_from_slice(field);
}

/// Reads SSH wire-format fields.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn magic(&mut self, m: &[u8]) -> Option<()> {
        (self.take(m.len())? == m).then_some(())
    }
    fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn string(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
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

    /// A throwaway key from ssh-keygen whose private scalar is 31 bytes long.
    #[test]
    fn a_short_ecdsa_scalar_is_padded() {
        let text = include_str!("testdata/ecdsa-short-scalar.key");
        assert!(
            decode_secret_key(text.trim(), None).is_err(),
            "the parser still refuses it"
        );
        assert!(decode(text, None).is_ok(), "decode pads it on the way");
        let fixed = canonical(text).expect("needs padding");
        let info = parse_private_key(&fixed, None).unwrap();
        assert_eq!(info.algorithm, "ecdsa-sha2-nistp256");
        assert!(canonical(&fixed).is_none(), "already canonical");
    }

    /// Every ECDSA key ssh-keygen makes is accepted (one in ~256 has a short private scalar).
    #[test]
    fn ecdsa_keys_with_a_short_scalar_are_accepted() {
        let dir = std::env::temp_dir().join(format!("itmgr-ecdsa-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut padded = 0;
        for i in 0..600 {
            let p = dir.join(format!("k{i}"));
            let ok = std::process::Command::new("ssh-keygen")
                .args(["-q", "-t", "ecdsa", "-N", "", "-C", "c"])
                .arg("-f")
                .arg(&p)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !ok {
                return; // no ssh-keygen here
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let public = std::fs::read_to_string(p.with_extension("pub")).unwrap();
            let fixed = canonical(&text);
            padded += usize::from(fixed.is_some());
            let text = fixed.map(|f| f.to_string()).unwrap_or(text);
            let info = parse_private_key(&text, None).unwrap_or_else(|e| panic!("key {i}: {e}"));
            let expected: Vec<&str> = public.split_whitespace().take(2).collect();
            assert!(info.public_key.starts_with(&expected.join(" ")), "key {i}");
        }
        let _ = std::fs::remove_dir_all(&dir);
        // Not a guarantee for any one run, but 600 keys without a short scalar is unlikely.
        eprintln!("{padded} of 600 keys needed padding");
    }

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
