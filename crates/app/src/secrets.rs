//! The master key and the first administrator's password on first start.

use crate::config::{decode_master_key, Config};
use anyhow::{bail, Context};
use base64::Engine;
use rand::{Rng, RngCore};
use secrecy::{ExposeSecret, SecretString};
use std::io::Write;
use std::path::Path;

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

/// The master key: from the configuration, else (embedded mode only) from
/// `data_dir/master.key`, generated on first start.
pub fn master_key(config: &Config) -> anyhow::Result<Vec<u8>> {
    if let Some(key) = &config.master_key {
        return decode_master_key(key.expose_secret())
            .map_err(|m| anyhow::anyhow!("ITMGR_MASTER_KEY {m}"));
    }
    if !config.is_sqlite() {
        bail!("ITMGR_MASTER_KEY is required with PostgreSQL");
    }
    std::fs::create_dir_all(&config.data_dir)?;
    let path = config.data_dir.join("master.key");
    if path.exists() {
        let raw = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        return decode_master_key(&raw).map_err(|m| anyhow::anyhow!("{}: {m}", path.display()));
    }
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    write_private(
        &path,
        &base64::engine::general_purpose::STANDARD.encode(key),
    )?;
    tracing::warn!(
        path = %path.display(),
        "ITMGR_MASTER_KEY is not set: generated a master key in the data directory. Back it up: \
         without it, encrypted data cannot be read. Set ITMGR_MASTER_KEY in production."
    );
    Ok(key.to_vec())
}

/// A random password of 20 characters from an unambiguous alphabet.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The configured first-admin password, or a random one.
pub fn admin_password(config: &Config) -> SecretString {
    config
        .admin_password
        .clone()
        .unwrap_or_else(|| SecretString::from(random_password()))
}

/// Tells the operator the first password, once: in the log (only when it was
/// generated) and in `data_dir/initial-admin-password` (0600).
pub fn announce_admin_password(config: &Config, password: &SecretString) -> anyhow::Result<()> {
    if config.admin_password.is_some() {
        tracing::info!("created user admin with the password from ITMGR_ADMIN_PASSWORD; it must be changed at first login");
        return Ok(());
    }
    std::fs::create_dir_all(&config.data_dir)?;
    let path = config.data_dir.join("initial-admin-password");
    let _ = std::fs::remove_file(&path);
    write_private(&path, &format!("{}\n", password.expose_secret()))?;
    tracing::warn!(
        file = %path.display(),
        "created user admin with initial password {} (shown once; also in the file; it must be changed at first login)",
        password.expose_secret()
    );
    Ok(())
}

/// After a rotation in embedded mode: the new key replaces `master.key`; the old one is kept beside it.
pub fn replace_master_key_file(config: &Config, new_key: &str) -> anyhow::Result<()> {
    let path = config.data_dir.join("master.key");
    let previous = config.data_dir.join("master.key.previous");
    let _ = std::fs::remove_file(&previous);
    std::fs::rename(&path, &previous).with_context(|| format!("keeping {}", previous.display()))?;
    write_private(&path, new_key)
}
