//! `/api/v1/secrets`: the vault. Values are write-only; reveal is re-authenticated and audited.

use super::page_type;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldErrors};
use crate::extract::{Auth, Json, Path, Query};
use crate::services::{self, secrets::CreateSecret};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use itmgr_auth::perm;
use itmgr_domain::{SecretId, SecretKind, SecretName, TagKey};
use itmgr_storage::repo::secrets::{Secret as SecretRow, SecretChanges, SecretFilter};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A secret's metadata. The value is never part of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Secret {
    pub id: Uuid,
    pub name: String,
    pub kind: SecretKind,
    pub description: String,
    /// `global` (project scopes later).
    pub scope: String,
    pub tags: BTreeMap<String, String>,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Send back on update; a stale one gets 409.
    pub version: i64,
    /// Bumped on every value replacement.
    pub value_version: i64,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    /// For SSH keys: the key algorithm, e.g. `ssh-ed25519`.
    pub algorithm: Option<String>,
    /// For SSH keys: the public key in `authorized_keys` format.
    pub public_key: Option<String>,
    /// For SSH keys: `SHA256:…`.
    pub fingerprint: Option<String>,
    /// For SSH credentials: the remote user name.
    pub username: Option<String>,
    /// For SSH credentials: the `ssh_key` secret used to log in.
    pub key_secret_id: Option<Uuid>,
    /// For files: the file name.
    pub file_name: Option<String>,
    /// For files: the size in bytes.
    pub size: Option<u64>,
    /// For files: the SHA-256 of the content, hex.
    pub sha256: Option<String>,
}

impl From<SecretRow> for Secret {
    fn from(s: SecretRow) -> Self {
        let meta = |k: &str| {
            s.metadata
                .get(k)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        Self {
            algorithm: meta("algorithm"),
            public_key: meta("public_key"),
            fingerprint: meta("fingerprint"),
            username: meta("username"),
            key_secret_id: meta("key_secret_id").and_then(|v| v.parse().ok()),
            file_name: meta("file_name"),
            size: s.metadata.get("size").and_then(|v| v.as_u64()),
            sha256: meta("sha256"),
            id: s.id.as_uuid(),
            name: s.name,
            kind: s.kind,
            description: s.description,
            scope: s.scope,
            tags: s.tags,
            created_by: s.created_by.map(|u| u.as_uuid()),
            updated_by: s.updated_by.map(|u| u.as_uuid()),
            created_at: s.created_at,
            updated_at: s.updated_at,
            version: s.version,
            value_version: s.value_version,
            last_used_at: s.last_used_at,
            expires_at: s.expires_at,
        }
    }
}

page_type!(SecretPage, Secret);

/// Filters for the secret list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SecretListParams {
    /// Free text over name and description.
    pub q: Option<String>,
    pub kind: Option<SecretKind>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

fn parse_tags(
    tags: Option<BTreeMap<String, String>>,
    errors: &mut FieldErrors,
) -> BTreeMap<String, String> {
    let tags = tags.unwrap_or_default();
    for (k, v) in &tags {
        errors.check(TagKey::parse(k));
        if v.len() > 256 {
            errors.add(
                "tags",
                format!("the value of tag {k:?} is longer than 256 characters"),
            );
        }
    }
    if tags.len() > 50 {
        errors.add("tags", "at most 50 tags");
    }
    tags
}

fn check_description(d: &str, errors: &mut FieldErrors) {
    if d.chars().count() > 1024 {
        errors.add("description", "must be at most 1024 characters");
    }
}

/// Lists secrets.
#[utoipa::path(get, path = "/api/v1/secrets", tag = "secrets", params(SecretListParams),
    responses((status = 200, body = SecretPage), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_secrets(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<SecretListParams>,
) -> ApiResult<axum::Json<SecretPage>> {
    let cap = p.require::<perm::SecretsRead>()?;
    let page = services::page(q.limit, q.offset);
    let secrets = services::secrets::list(
        &state,
        cap,
        &SecretFilter {
            q: q.q,
            kind: q.kind,
        },
        page,
    )
    .await?;
    Ok(axum::Json(SecretPage::from_page(
        secrets,
        page,
        Secret::from,
    )))
}

/// Reads a secret's metadata.
#[utoipa::path(get, path = "/api/v1/secrets/{id}", tag = "secrets", params(("id" = Uuid, Path)),
    responses((status = 200, body = Secret), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_secret(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<SecretId>,
) -> ApiResult<axum::Json<Secret>> {
    let cap = p.require::<perm::SecretsRead>()?;
    Ok(axum::Json(
        services::secrets::get(&state, cap, id).await?.into(),
    ))
}

/// A value as submitted, with the fields some kinds need besides it.
#[derive(Deserialize, ToSchema)]
pub struct SecretValueInput {
    /// The value; it is never returned. For `file`, the base64 content (at most 1 MiB decoded); for
    /// `ssh_credential`, the password (optional with `key_secret`). Omit it with `generate: true`.
    pub value: Option<String>,
    /// For `ssh_key`: the passphrase of an encrypted key.
    pub passphrase: Option<String>,
    /// For `ssh_key`: generate an ed25519 key pair on the server instead of taking `value`.
    #[serde(default)]
    pub generate: bool,
    /// For `ssh_credential`: the remote user name.
    pub username: Option<String>,
    /// For `ssh_credential`: name or id of the `ssh_key` secret to log in with.
    pub key_secret: Option<String>,
    /// For `ssh_credential`: the become (sudo) password.
    pub become_password: Option<String>,
    /// For `file`: the file name.
    pub file_name: Option<String>,
}

impl From<SecretValueInput> for services::secrets::RawValue {
    fn from(i: SecretValueInput) -> Self {
        Self {
            value: i.value,
            passphrase: i.passphrase,
            generate: i.generate,
            username: i.username,
            key_secret: i.key_secret,
            become_password: i.become_password,
            file_name: i.file_name,
        }
    }
}

/// A new secret.
#[derive(Deserialize, ToSchema)]
pub struct CreateSecretRequest {
    pub name: String,
    pub kind: SecretKind,
    #[serde(default)]
    pub description: String,
    pub tags: Option<BTreeMap<String, String>>,
    /// The value and its kind-specific companions.
    #[serde(flatten)]
    pub input: SecretValueInput,
    pub expires_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for CreateSecretRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateSecretRequest")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Creates a secret.
#[utoipa::path(post, path = "/api/v1/secrets", tag = "secrets", request_body = CreateSecretRequest,
    responses((status = 201, body = Secret), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_secret(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(body): Json<CreateSecretRequest>,
) -> ApiResult<(StatusCode, axum::Json<Secret>)> {
    let cap = p.require::<perm::SecretsCreate>()?;
    let mut errors = FieldErrors::default();
    let name = errors.check(SecretName::parse(&body.name));
    let value = services::secrets::new_value(body.kind, body.input.into(), &mut errors);
    let tags = parse_tags(body.tags, &mut errors);
    check_description(&body.description, &mut errors);
    errors.finish()?;
    let (Some(name), Some(value)) = (name, value) else {
        return Err(ApiError::Internal("validated fields missing".into()));
    };
    let input = CreateSecret {
        name,
        kind: body.kind,
        description: body.description.trim().to_owned(),
        tags,
        value,
        expires_at: body.expires_at,
    };
    let secret = services::secrets::create(&state, cap, &ctx, input).await?;
    Ok((StatusCode::CREATED, axum::Json(secret.into())))
}

/// Metadata changes; absent fields stay. `expires_at: null` clears the expiry.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateSecretRequest {
    pub version: i64,
    pub name: Option<String>,
    pub description: Option<String>,
    pub tags: Option<BTreeMap<String, String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub expires_at: Option<Option<DateTime<Utc>>>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<DateTime<Utc>>>, D::Error> {
    Option::<DateTime<Utc>>::deserialize(d).map(Some)
}

/// Changes a secret's metadata.
#[utoipa::path(patch, path = "/api/v1/secrets/{id}", tag = "secrets", params(("id" = Uuid, Path)), request_body = UpdateSecretRequest,
    responses((status = 200, body = Secret), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_secret(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<SecretId>,
    Json(body): Json<UpdateSecretRequest>,
) -> ApiResult<axum::Json<Secret>> {
    let cap = p.require::<perm::SecretsUpdate>()?;
    let mut errors = FieldErrors::default();
    let name = body.name.as_deref().map(SecretName::parse).transpose();
    let name = errors.check(name).flatten();
    let tags = body.tags.map(|t| parse_tags(Some(t), &mut errors));
    if let Some(d) = &body.description {
        check_description(d, &mut errors);
    }
    errors.finish()?;
    let changes = SecretChanges {
        name: name.map(|n| n.as_str().to_owned()),
        description: body.description.map(|d| d.trim().to_owned()),
        tags,
        expires_at: body.expires_at,
    };
    Ok(axum::Json(
        services::secrets::update(&state, cap, &ctx, id, body.version, changes)
            .await?
            .into(),
    ))
}

/// A replacement value.
#[derive(Deserialize, ToSchema)]
pub struct ReplaceValueRequest {
    pub version: i64,
    /// The new value and its kind-specific companions.
    #[serde(flatten)]
    pub input: SecretValueInput,
}

impl std::fmt::Debug for ReplaceValueRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplaceValueRequest")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// Replaces a secret's value.
#[utoipa::path(put, path = "/api/v1/secrets/{id}/value", tag = "secrets", params(("id" = Uuid, Path)), request_body = ReplaceValueRequest,
    responses((status = 200, body = Secret), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn replace_secret_value(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<SecretId>,
    Json(body): Json<ReplaceValueRequest>,
) -> ApiResult<axum::Json<Secret>> {
    let cap = p.require::<perm::SecretsUpdate>()?;
    let input = body.input.into();
    Ok(axum::Json(
        services::secrets::replace_value(&state, cap, &ctx, id, body.version, input)
            .await?
            .into(),
    ))
}

/// Deletion options.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteSecretParams {
    /// Delete even when something uses the secret.
    #[serde(default)]
    pub force: bool,
}

/// Deletes a secret (409 while in use, unless forced).
#[utoipa::path(delete, path = "/api/v1/secrets/{id}", tag = "secrets", params(("id" = Uuid, Path), DeleteSecretParams),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn delete_secret(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<SecretId>,
    Query(q): Query<DeleteSecretParams>,
) -> ApiResult<StatusCode> {
    let cap = p.require::<perm::SecretsDelete>()?;
    services::secrets::delete(&state, cap, &ctx, id, q.force).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's password, again.
#[derive(Deserialize, ToSchema)]
pub struct RevealRequest {
    pub password: String,
}

impl std::fmt::Debug for RevealRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevealRequest(***)")
    }
}

/// A revealed value.
#[derive(Serialize, ToSchema)]
pub struct RevealedSecret {
    /// The value (for SSH keys, the private key).
    pub value: String,
    /// For passphrase-protected SSH keys: the passphrase.
    pub passphrase: Option<String>,
    /// For SSH credentials: the user name (`value` is the password, empty when there is none).
    pub username: Option<String>,
    /// For SSH credentials: the become password.
    pub become_password: Option<String>,
    /// For files: the file name (`value` is the base64 content).
    pub file_name: Option<String>,
}

impl std::fmt::Debug for RevealedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevealedSecret(***)")
    }
}

/// Reveals a value (administrators, with their password; audited).
#[utoipa::path(post, path = "/api/v1/secrets/{id}/reveal", tag = "secrets", params(("id" = Uuid, Path)), request_body = RevealRequest,
    responses((status = 200, body = RevealedSecret), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)), security(("bearer" = [])))]
pub async fn reveal_secret(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<SecretId>,
    Json(body): Json<RevealRequest>,
) -> ApiResult<axum::Json<RevealedSecret>> {
    let cap = p.require::<perm::SecretsReveal>()?;
    let value = services::secrets::reveal(&state, cap, &ctx, id, &body.password).await?;
    Ok(axum::Json(RevealedSecret {
        value: value.value.to_string(),
        passphrase: value.passphrase.map(|p| p.to_string()),
        username: value.username,
        become_password: value.become_password.map(|p| p.to_string()),
        file_name: value.file_name,
    }))
}

/// What uses a secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct SecretUsage {
    /// `kind:name` of each user of the secret.
    pub items: Vec<String>,
    pub total: u64,
}

/// Lists what references a secret.
#[utoipa::path(get, path = "/api/v1/secrets/{id}/usage", tag = "secrets", params(("id" = Uuid, Path)),
    responses((status = 200, body = SecretUsage), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_secret_usage(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<SecretId>,
) -> ApiResult<axum::Json<SecretUsage>> {
    let cap = p.require::<perm::SecretsRead>()?;
    let items = services::secrets::usage(&state, cap, id).await?;
    Ok(axum::Json(SecretUsage {
        total: items.len() as u64,
        items,
    }))
}
