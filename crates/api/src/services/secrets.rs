//! The secrets vault: metadata CRUD, write-only values, audited reveal, and the
//! resolver other modules use to inject values into runs without showing them.

use super::audit::Event;
use super::not_found;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use itmgr_auth::{perm, verify_password, Capability};
use itmgr_domain::{AuditOutcome, SecretId, SecretKind, SecretName, SecretValue};
use itmgr_storage::repo::secrets::{self as repo, NewSecret, Secret, SecretChanges, SecretFilter};
use itmgr_storage::{commit, repo::users, Page, PageRequest, StorageError};
use itmgr_vault::Binding;
use std::collections::BTreeMap;
use zeroize::Zeroizing;

fn binding(id: &str, kind: SecretKind, value_version: i64) -> Binding<'_> {
    Binding {
        secret_id: id,
        kind: kind.as_str(),
        value_version,
    }
}

/// A validated new secret.
#[derive(Debug)]
pub struct CreateSecret {
    pub name: SecretName,
    pub kind: SecretKind,
    pub description: String,
    pub tags: BTreeMap<String, String>,
    pub value: NewValue,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A value as submitted.
#[derive(Debug)]
pub enum NewValue {
    /// Text, password or token.
    Plain(SecretValue),
    /// A private key to parse, with its passphrase if it is encrypted.
    SshKey {
        /// The key text (OpenSSH or PEM).
        key: SecretValue,
        /// Its passphrase.
        passphrase: Option<Zeroizing<String>>,
    },
    /// Generate an ed25519 key pair on the server.
    GenerateSshKey,
    /// A login: user name, password and/or key secret, become password.
    Credential {
        /// The remote user.
        username: String,
        /// Its password, if it logs in (or also logs in) with one.
        password: Option<SecretValue>,
        /// Name or id of an `ssh_key` secret to log in with.
        key_secret: Option<String>,
        /// The sudo/become password.
        become_password: Option<SecretValue>,
    },
    /// A file's bytes and name.
    File {
        /// The file name.
        file_name: String,
        /// The content.
        content: Zeroizing<Vec<u8>>,
    },
}

/// A value as it arrives in a request, parsed by [`new_value`] once the kind is known.
#[derive(Default)]
pub struct RawValue {
    /// The value, unless generating.
    pub value: Option<String>,
    /// For SSH keys: the passphrase.
    pub passphrase: Option<String>,
    /// For SSH keys: generate a new key pair.
    pub generate: bool,
    /// For SSH credentials: the remote user name.
    pub username: Option<String>,
    /// For SSH credentials: name or id of the `ssh_key` secret to log in with.
    pub key_secret: Option<String>,
    /// For SSH credentials: the become (sudo) password.
    pub become_password: Option<String>,
    /// For files: the file name.
    pub file_name: Option<String>,
}

/// The largest file secret, decoded.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Validates a submitted value for `kind`, recording problems in `errors`.
pub fn new_value(kind: SecretKind, raw: RawValue, errors: &mut FieldErrors) -> Option<NewValue> {
    let RawValue {
        value,
        passphrase,
        generate,
        username,
        key_secret,
        become_password,
        file_name,
    } = raw;
    if kind == SecretKind::File {
        use base64::Engine;
        let name = file_name.unwrap_or_default();
        let name_ok = (1..=255).contains(&name.len())
            && name != "."
            && name != ".."
            && !name
                .chars()
                .any(|c| c == '/' || c == '\\' || c.is_control());
        if !name_ok {
            errors.add(
                "file_name",
                "must be 1 to 255 characters without '/', '\\' or control characters",
            );
        }
        let Some(raw) = value else {
            errors.add("value", "is required (the file's content, base64-encoded)");
            return None;
        };
        let checked = errors.check(SecretValue::parse(kind, raw))?;
        let content =
            match base64::engine::general_purpose::STANDARD.decode(checked.expose().trim()) {
                Ok(bytes) if bytes.len() <= MAX_FILE_BYTES => Zeroizing::new(bytes),
                Ok(_) => {
                    errors.add("value", "must be at most 1 MiB");
                    return None;
                }
                Err(_) => {
                    errors.add("value", "must be base64-encoded");
                    return None;
                }
            };
        return name_ok.then_some(NewValue::File {
            file_name: name,
            content,
        });
    }
    if kind == SecretKind::SshCredential {
        let username = username.unwrap_or_default();
        let ok = (1..=64).contains(&username.len())
            && !username.starts_with('-')
            && username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !ok {
            errors.add(
                "username",
                "must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '-'",
            );
        }
        let password = value
            .filter(|v| !v.is_empty())
            .map(|v| SecretValue::parse(kind, v))
            .transpose();
        let password = errors.check(password).flatten();
        let become_password = become_password
            .filter(|v| !v.is_empty())
            .map(|v| SecretValue::parse(kind, v))
            .transpose()
            .map_err(|mut e| {
                e.field = "become_password";
                e
            });
        let become_password = errors.check(become_password).flatten();
        let key_secret = key_secret.filter(|k| !k.trim().is_empty());
        if password.is_none() && key_secret.is_none() {
            errors.add("value", "give a password, a key_secret, or both");
        }
        return ok.then_some(NewValue::Credential {
            username,
            password,
            key_secret,
            become_password,
        });
    }
    if generate {
        if kind != SecretKind::SshKey {
            errors.add("generate", "only ssh_key secrets can be generated");
            return None;
        }
        return Some(NewValue::GenerateSshKey);
    }
    let Some(raw) = value else {
        errors.add("value", "is required");
        return None;
    };
    let value = errors.check(SecretValue::parse(kind, raw))?;
    Some(match kind {
        SecretKind::SshKey => NewValue::SshKey {
            key: value,
            passphrase: passphrase.map(zeroize::Zeroizing::new),
        },
        _ => NewValue::Plain(value),
    })
}

/// A decrypted value: for SSH keys, the private key and its passphrase.
pub struct Plain {
    /// The value (for SSH keys, the private key text).
    pub value: Zeroizing<String>,
    /// The key's passphrase, for SSH keys that have one.
    pub passphrase: Option<Zeroizing<String>>,
    /// For SSH credentials: the user name.
    pub username: Option<String>,
    /// For SSH credentials: the become password.
    pub become_password: Option<Zeroizing<String>>,
    /// For files: the file name (`value` is the base64 content).
    pub file_name: Option<String>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct FilePayload {
    file_name: String,
    content_base64: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CredentialPayload {
    username: String,
    password: Option<String>,
    become_password: Option<String>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct SshKeyPayload {
    private_key: String,
    passphrase: Option<String>,
}

/// Like [`prepare`], resolving an SSH credential's key secret first.
async fn prepare_with_refs(
    state: &AppState,
    kind: SecretKind,
    value: NewValue,
    name: &str,
) -> ApiResult<(Zeroizing<String>, serde_json::Value)> {
    let NewValue::Credential {
        username,
        password,
        key_secret,
        become_password,
    } = value
    else {
        return prepare(kind, value, name);
    };
    let key = match key_secret {
        None => None,
        Some(r) => {
            let found = match r.trim().parse::<SecretId>() {
                Ok(id) => repo::find_by_id(state.db.conn(), id).await.ok(),
                Err(_) => repo::find_by_name(state.db.conn(), r.trim()).await?,
            };
            match found {
                Some(k) if k.kind == SecretKind::SshKey => Some(k),
                Some(_) => {
                    return Err(ApiError::field("key_secret", "must name an ssh_key secret"))
                }
                None => {
                    return Err(ApiError::field(
                        "key_secret",
                        format!("no secret named {:?}", r.trim()),
                    ))
                }
            }
        }
    };
    let payload = CredentialPayload {
        username: username.clone(),
        password: password.map(|p| p.expose().to_owned()),
        become_password: become_password.map(|p| p.expose().to_owned()),
    };
    let text = Zeroizing::new(
        serde_json::to_string(&payload).map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    let meta = serde_json::json!({
        "username": username,
        "key_secret_id": key.as_ref().map(|k| k.id.to_string()),
        "has_password": payload.password.is_some(),
        "has_become_password": payload.become_password.is_some(),
    });
    drop(payload);
    Ok((text, meta))
}

/// Turns a submitted value into the plaintext to seal and its public metadata.
fn prepare(
    kind: SecretKind,
    value: NewValue,
    name: &str,
) -> ApiResult<(Zeroizing<String>, serde_json::Value)> {
    let ssh = |private_key: String,
               passphrase: Option<String>|
     -> ApiResult<(Zeroizing<String>, serde_json::Value)> {
        // Stored in the form every parser accepts (see `canonical`).
        let private_key = match itmgr_vault::sshkey::canonical(&private_key) {
            Some(fixed) => fixed.to_string(),
            None => private_key,
        };
        let info = itmgr_vault::sshkey::parse_private_key(&private_key, passphrase.as_deref())
            .map_err(|m| ApiError::field("value", m))?;
        let payload = Zeroizing::new(
            serde_json::to_string(&SshKeyPayload {
                private_key,
                passphrase,
            })
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        );
        let meta = serde_json::json!({ "algorithm": info.algorithm, "public_key": info.public_key, "fingerprint": info.fingerprint });
        Ok((payload, meta))
    };
    match (kind, value) {
        (SecretKind::SshKey, NewValue::SshKey { key, passphrase }) => {
            ssh(key.expose().to_owned(), passphrase.map(|p| p.to_string()))
        }
        (SecretKind::SshKey, NewValue::GenerateSshKey) => {
            let (private, _) = itmgr_vault::sshkey::generate_ed25519(&format!("itmgr:{name}"))
                .map_err(ApiError::Internal)?;
            ssh(private.to_string(), None)
        }
        (SecretKind::SshKey, NewValue::Plain(v)) => ssh(v.expose().to_owned(), None),
        (SecretKind::File, NewValue::File { file_name, content }) => {
            use base64::Engine;
            use sha2::Digest;
            let payload = FilePayload {
                file_name: file_name.clone(),
                content_base64: base64::engine::general_purpose::STANDARD.encode(&*content),
            };
            let text = Zeroizing::new(
                serde_json::to_string(&payload).map_err(|e| ApiError::Internal(e.to_string()))?,
            );
            let meta = serde_json::json!({
                "file_name": file_name,
                "size": content.len(),
                "sha256": hex::encode(sha2::Sha256::digest(&*content)),
            });
            drop(payload);
            Ok((text, meta))
        }
        (_, NewValue::Plain(v)) => {
            Ok((Zeroizing::new(v.expose().to_owned()), serde_json::json!({})))
        }
        (_, _) => Err(ApiError::field(
            "kind",
            "only ssh_key secrets take a key or can be generated",
        )),
    }
}

fn decode(kind: SecretKind, raw: Zeroizing<String>) -> ApiResult<Plain> {
    let malformed = |_| ApiError::Internal(format!("malformed {kind} payload"));
    match kind {
        SecretKind::SshKey => {
            let p: SshKeyPayload = serde_json::from_str(&raw).map_err(malformed)?;
            Ok(Plain {
                value: Zeroizing::new(p.private_key),
                passphrase: p.passphrase.map(Zeroizing::new),
                username: None,
                become_password: None,
                file_name: None,
            })
        }
        SecretKind::SshCredential => {
            let p: CredentialPayload = serde_json::from_str(&raw).map_err(malformed)?;
            Ok(Plain {
                value: Zeroizing::new(p.password.unwrap_or_default()),
                passphrase: None,
                username: Some(p.username),
                become_password: p.become_password.map(Zeroizing::new),
                file_name: None,
            })
        }
        SecretKind::File => {
            let p: FilePayload = serde_json::from_str(&raw).map_err(malformed)?;
            Ok(Plain {
                value: Zeroizing::new(p.content_base64),
                passphrase: None,
                username: None,
                become_password: None,
                file_name: Some(p.file_name),
            })
        }
        _ => Ok(Plain {
            value: raw,
            passphrase: None,
            username: None,
            become_password: None,
            file_name: None,
        }),
    }
}

/// Lists secrets (metadata only).
pub async fn list(
    state: &AppState,
    _cap: Capability<perm::SecretsRead>,
    filter: &SecretFilter,
    page: PageRequest,
) -> ApiResult<Page<Secret>> {
    Ok(repo::list(state.db.conn(), filter, page).await?)
}

/// Reads one secret's metadata.
pub async fn get(
    state: &AppState,
    _cap: Capability<perm::SecretsRead>,
    id: SecretId,
) -> ApiResult<Secret> {
    repo::find_by_id(state.db.conn(), id)
        .await
        .map_err(not_found("secret"))
}

/// Encrypts and stores a new secret.
pub async fn create(
    state: &AppState,
    cap: Capability<perm::SecretsCreate>,
    ctx: &RequestContext,
    input: CreateSecret,
) -> ApiResult<Secret> {
    let id = SecretId::new();
    let id_text = id.to_string();
    let (plaintext, metadata) =
        prepare_with_refs(state, input.kind, input.value, input.name.as_str()).await?;
    let envelope = state
        .vault
        .seal(binding(&id_text, input.kind, 1), plaintext.as_bytes());
    let txn = state.db.begin().await?;
    let secret = repo::insert(
        &txn,
        NewSecret {
            id,
            name: input.name.as_str().to_owned(),
            kind: input.kind,
            description: input.description,
            tags: input.tags,
            metadata,
            envelope,
            created_by: Some(cap.principal().user_id),
            expires_at: input.expires_at,
        },
    )
    .await?;
    Event::new(ctx, Some(cap.principal()), "secret.create")
        .target("secret", secret.id, Some(&secret.name))
        .diff(serde_json::json!({ "name": secret.name, "kind": secret.kind.as_str(), "tags": secret.tags, "value": "set" }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(secret)
}

/// Changes metadata.
pub async fn update(
    state: &AppState,
    cap: Capability<perm::SecretsUpdate>,
    ctx: &RequestContext,
    id: SecretId,
    version: i64,
    changes: SecretChanges,
) -> ApiResult<Secret> {
    let txn = state.db.begin().await?;
    let before = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("secret"))?;
    let mut diff = serde_json::Map::new();
    if let Some(n) = changes.name.as_ref().filter(|n| **n != before.name) {
        diff.insert(
            "name".into(),
            serde_json::json!({ "from": before.name, "to": n }),
        );
    }
    if let Some(d) = changes
        .description
        .as_ref()
        .filter(|d| **d != before.description)
    {
        diff.insert(
            "description".into(),
            serde_json::json!({ "from": before.description, "to": d }),
        );
    }
    if let Some(t) = changes.tags.as_ref().filter(|t| **t != before.tags) {
        diff.insert(
            "tags".into(),
            serde_json::json!({ "from": before.tags, "to": t }),
        );
    }
    if let Some(e) = changes.expires_at.filter(|e| *e != before.expires_at) {
        diff.insert(
            "expires_at".into(),
            serde_json::json!({ "from": before.expires_at, "to": e }),
        );
    }
    let secret = repo::update(&txn, id, version, Some(cap.principal().user_id), changes).await?;
    Event::new(ctx, Some(cap.principal()), "secret.update")
        .target("secret", id, Some(&secret.name))
        .diff(serde_json::Value::Object(diff))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(secret)
}

/// Replaces the value: a new data key, bound to the next value version.
pub async fn replace_value(
    state: &AppState,
    cap: Capability<perm::SecretsUpdate>,
    ctx: &RequestContext,
    id: SecretId,
    version: i64,
    raw: RawValue,
) -> ApiResult<Secret> {
    let txn = state.db.begin().await?;
    let current = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("secret"))?;
    let mut errors = FieldErrors::default();
    let value = new_value(current.kind, raw, &mut errors);
    errors.finish()?;
    let value = value.ok_or_else(|| ApiError::Internal("validated value missing".into()))?;
    let (plaintext, metadata) =
        prepare_with_refs(state, current.kind, value, &current.name).await?;
    let next = current.value_version + 1;
    let id_text = id.to_string();
    let envelope = state
        .vault
        .seal(binding(&id_text, current.kind, next), plaintext.as_bytes());
    let secret = repo::replace_value(
        &txn,
        id,
        version,
        Some(cap.principal().user_id),
        next,
        envelope,
        metadata,
    )
    .await?;
    Event::new(ctx, Some(cap.principal()), "secret.value_replace")
        .target("secret", id, Some(&secret.name))
        .diff(serde_json::json!({ "value": "replaced", "value_version": next }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(secret)
}

/// What references a secret. Hosts, playbooks, schedules and clusters register
/// here as those modules land; until then nothing can reference a secret.
pub async fn usage(
    state: &AppState,
    cap: Capability<perm::SecretsRead>,
    id: SecretId,
) -> ApiResult<Vec<String>> {
    get(state, cap, id).await?;
    used_by(state.db.conn(), id).await
}

/// Every registered user of a secret: SSH credentials pointing at a key, hosts logging in with a
/// credential; later modules (playbooks, schedules, clusters) add theirs here.
async fn used_by(db: &impl itmgr_storage::ConnectionTrait, id: SecretId) -> ApiResult<Vec<String>> {
    let id_text = id.to_string();
    let mut users: Vec<String> = repo::all(db)
        .await?
        .into_iter()
        .filter(|s| {
            s.kind == SecretKind::SshCredential
                && s.metadata.get("key_secret_id").and_then(|v| v.as_str())
                    == Some(id_text.as_str())
        })
        .map(|s| format!("secret:{}", s.name))
        .collect();
    users.extend(
        itmgr_storage::repo::hosts::names_using_credential(db, id)
            .await?
            .into_iter()
            .map(|n| format!("host:{n}")),
    );
    Ok(users)
}

/// Deletes a secret; refused with 409 while something uses it, unless forced.
pub async fn delete(
    state: &AppState,
    cap: Capability<perm::SecretsDelete>,
    ctx: &RequestContext,
    id: SecretId,
    force: bool,
) -> ApiResult<()> {
    let txn = state.db.begin().await?;
    let secret = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("secret"))?;
    let used_by = used_by(&txn, id).await?;
    if !used_by.is_empty() && !force {
        return Err(ApiError::Conflict {
            message: format!("The secret is in use by {}.", used_by.join(", ")),
            field: None,
        });
    }
    itmgr_storage::repo::hosts::clear_credential(&txn, id).await?;
    repo::delete(&txn, id).await?;
    Event::new(ctx, Some(cap.principal()), "secret.delete")
        .target("secret", id, Some(&secret.name))
        .diff(serde_json::json!({ "name": secret.name, "kind": secret.kind.as_str(), "forced": force }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(())
}

/// Shows a value to an administrator who typed their password again. Wrong
/// passwords count towards the login back-off; every attempt is audited.
pub async fn reveal(
    state: &AppState,
    cap: Capability<perm::SecretsReveal>,
    ctx: &RequestContext,
    id: SecretId,
    password: &str,
) -> ApiResult<Plain> {
    let principal = cap.principal();
    let keys = vec![format!("reveal:{}", principal.user_id)];
    if let Some(wait) = state.throttle.check(&keys) {
        return Err(ApiError::RateLimited(wait));
    }
    let secret = repo::find_by_id(state.db.conn(), id)
        .await
        .map_err(not_found("secret"))?;
    let user = users::find_by_id(state.db.conn(), principal.user_id).await?;
    let hash = user.password_hash.clone();
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !ok {
        state.throttle.record_failure(&keys);
        Event::new(ctx, Some(principal), "secret.reveal")
            .target("secret", id, Some(&secret.name))
            .outcome(AuditOutcome::Failure)
            .diff(serde_json::json!({ "reason": "wrong_password" }))
            .write(state.db.conn())
            .await?;
        return Err(ApiError::field("password", "is not your current password"));
    }
    let value = decode(secret.kind, open(state, &secret)?)?;
    Event::new(ctx, Some(principal), "secret.reveal")
        .target("secret", id, Some(&secret.name))
        .write(state.db.conn())
        .await?;
    Ok(value)
}

fn open(state: &AppState, secret: &Secret) -> ApiResult<Zeroizing<String>> {
    let id_text = secret.id.to_string();
    let plain = state
        .vault
        .open(
            binding(&id_text, secret.kind, secret.value_version),
            &secret.envelope,
        )
        .map_err(|e| ApiError::Internal(format!("secret {} does not decrypt: {e}", secret.id)))?;
    String::from_utf8(plain.to_vec())
        .map(Zeroizing::new)
        .map_err(|_| ApiError::Internal("secret is not UTF-8".into()))
}

/// A reference to a secret as written in variables: `{{ secret:NAME }}` or `{{ secret:<uuid> }}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// By id.
    Id(SecretId),
    /// By name (global scope).
    Name(String),
}

/// Finds every `{{ secret:… }}` reference in `text`, in order.
pub fn find_references(text: &str) -> Result<Vec<SecretRef>, ApiError> {
    let mut refs = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let inner = after[..end].trim();
        if let Some(target) = inner.strip_prefix("secret:") {
            let target = target.trim();
            refs.push(match target.parse::<SecretId>() {
                Ok(id) => SecretRef::Id(id),
                Err(_) => SecretRef::Name(SecretName::parse(target)?.as_str().to_owned()),
            });
        }
        rest = &after[end + 2..];
    }
    Ok(refs)
}

/// Save-time check used by modules that store variables: every reference must exist.
pub async fn validate_references(state: &AppState, text: &str, field: &str) -> ApiResult<()> {
    for r in find_references(text)
        .map_err(|_| ApiError::field(field, "contains a malformed secret reference"))?
    {
        let found = match &r {
            SecretRef::Id(id) => repo::find_by_id(state.db.conn(), *id)
                .await
                .map(Some)
                .or_else(|e| match e {
                    StorageError::NotFound => Ok(None),
                    e => Err(e),
                })?,
            SecretRef::Name(n) => repo::find_by_name(state.db.conn(), n).await?,
        };
        if found.is_none() {
            let shown = match r {
                SecretRef::Id(id) => id.to_string(),
                SecretRef::Name(n) => n,
            };
            return Err(ApiError::field(
                field,
                format!("references unknown secret {shown:?}"),
            ));
        }
    }
    Ok(())
}

/// Decrypts a referenced secret for a run (never for display) and stamps its use.
pub async fn resolve(
    state: &AppState,
    _cap: &Capability<perm::SecretsUse>,
    reference: &SecretRef,
) -> ApiResult<Plain> {
    Ok(open_ref(state, reference).await?.1)
}

/// Finds a secret by reference, decrypts it and stamps its use.
async fn open_ref(state: &AppState, reference: &SecretRef) -> ApiResult<(SecretKind, Plain)> {
    let secret = match reference {
        SecretRef::Id(id) => repo::find_by_id(state.db.conn(), *id)
            .await
            .map_err(not_found("secret"))?,
        SecretRef::Name(n) => repo::find_by_name(state.db.conn(), n)
            .await?
            .ok_or(ApiError::NotFound("secret"))?,
    };
    let value = decode(secret.kind, open(state, &secret)?)?;
    repo::touch(state.db.conn(), secret.id).await?;
    Ok((secret.kind, value))
}

/// Decrypts a secret by name or id for a queued run (e.g. a playbook's Git credential), with its
/// kind, and stamps its use.
pub(crate) async fn open_for_run(
    state: &AppState,
    reference: &str,
) -> ApiResult<(SecretKind, Plain)> {
    let r = match reference.parse::<SecretId>() {
        Ok(id) => SecretRef::Id(id),
        Err(_) => SecretRef::Name(reference.to_owned()),
    };
    open_ref(state, &r).await
}

/// Decrypts a referenced secret's value for a queued run (the launch was authorised when it was
/// queued) and stamps its use.
pub(crate) async fn resolve_for_run(
    state: &AppState,
    reference: &SecretRef,
) -> ApiResult<Zeroizing<String>> {
    Ok(open_ref(state, reference).await?.1.value)
}

/// The login material of an `ssh_credential` secret, with its key secret opened too, for a
/// connection the system makes on a host's behalf (status checks, runs). Who may attach a
/// credential to a host is checked when the host is saved; this only decrypts, in memory, and
/// stamps the use.
pub(crate) async fn ssh_credentials(
    state: &AppState,
    id: SecretId,
) -> ApiResult<itmgr_ssh::Credentials> {
    Ok(ssh_login(state, id).await?.0)
}

/// [`ssh_credentials`] plus the credential's become (sudo) password.
pub(crate) async fn ssh_login(
    state: &AppState,
    id: SecretId,
) -> ApiResult<(itmgr_ssh::Credentials, Option<Zeroizing<String>>)> {
    let secret = repo::find_by_id(state.db.conn(), id)
        .await
        .map_err(not_found("credential"))?;
    if secret.kind != SecretKind::SshCredential {
        return Err(ApiError::field(
            "credential",
            "must be an ssh_credential secret",
        ));
    }
    let plain = decode(secret.kind, open(state, &secret)?)?;
    let mut creds = itmgr_ssh::Credentials {
        username: plain.username.clone().unwrap_or_default(),
        password: (!plain.value.is_empty()).then(|| plain.value.clone()),
        private_key: None,
        passphrase: None,
    };
    if let Some(key_id) = secret
        .metadata
        .get("key_secret_id")
        .and_then(|v| v.as_str())
        .and_then(|v| v.parse::<SecretId>().ok())
    {
        let key = repo::find_by_id(state.db.conn(), key_id)
            .await
            .map_err(not_found("credential key"))?;
        let k = decode(key.kind, open(state, &key)?)?;
        creds.private_key = Some(k.value.clone());
        creds.passphrase = k.passphrase.clone();
        repo::touch(state.db.conn(), key.id).await?;
    }
    repo::touch(state.db.conn(), secret.id).await?;
    Ok((creds, plain.become_password.clone()))
}

/// What a master-key rotation re-wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotated {
    pub secrets: usize,
    pub recordings: usize,
}

/// `itmgr vault rotate-master-key`: re-wraps every data key (secrets and terminal recordings) and
/// the key check from `old` to `new` in one transaction. Values are not re-encrypted; envelopes
/// already under `new` are left alone, so a re-run after an interruption is safe.
pub async fn rotate_master_key(
    db: &itmgr_storage::Db,
    old: &itmgr_vault::KeyRing,
    new: &itmgr_vault::KeyRing,
) -> ApiResult<Rotated> {
    let txn = db.begin().await?;
    let fail =
        |what: String| move |e: itmgr_vault::VaultError| ApiError::Internal(format!("{what}: {e}"));
    let all = repo::all(&txn).await?;
    for s in &all {
        let id = s.id.to_string();
        let env = new
            .rewrap_from(old, binding(&id, s.kind, s.value_version), &s.envelope)
            .map_err(fail(format!("secret {id}")))?;
        repo::rewrap(&txn, s.id, &env).await?;
    }
    let recordings = itmgr_storage::repo::recordings::all(&txn).await?;
    for r in &recordings {
        let id = r.id.to_string();
        let b = Binding {
            secret_id: &id,
            kind: "recording",
            value_version: 1,
        };
        let env = new
            .rewrap_from(old, b, &r.key)
            .map_err(fail(format!("recording {id}")))?;
        itmgr_storage::repo::recordings::rewrap(&txn, r.id, &env).await?;
    }
    repo::put_key_check(&txn, &new.key_check()).await?;
    Event::system("vault.rotate_master_key")
        .diff(serde_json::json!({
            "secrets": all.len(), "recordings": recordings.len(),
            "from_key_id": old.key_id(), "to_key_id": new.key_id(),
        }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(Rotated {
        secrets: all.len(),
        recordings: recordings.len(),
    })
}

/// `itmgr vault check`: how many secrets decrypt, and the ids of those that do not.
pub async fn check_all(state: &AppState) -> ApiResult<(usize, Vec<SecretId>)> {
    let all = repo::all(state.db.conn()).await?;
    let failed: Vec<SecretId> = all
        .iter()
        .filter(|s| open(state, s).is_err())
        .map(|s| s.id)
        .collect();
    Ok((all.len() - failed.len(), failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_by_name_and_id() {
        let id = SecretId::new();
        let refs = find_references(&format!(
            "user={{{{ secret:db/user }}}} pass={{{{secret:{id}}}}} {{{{ other }}}}"
        ))
        .unwrap();
        assert_eq!(
            refs,
            vec![SecretRef::Name("db/user".into()), SecretRef::Id(id)]
        );
        assert!(find_references("{{ secret:bad name }}").is_err());
        assert!(find_references("no references").unwrap().is_empty());
    }
}
