//! `/api/v1/hosts`: the inventory, its status checks and the inventory settings.

use super::page_type;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Path, Query};
use crate::services::{self, checks::HostStatusUpdate, hosts::HostInput};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use futures_util::Stream;
use itmgr_auth::perm;
use itmgr_domain::{CheckMethod, HostId, HostStatus, InventorySettings, TerminalRecording};
use itmgr_inventory::Format;
use itmgr_storage::repo::hosts::{Host as HostRow, HostFilter, HostSort, StatusEvent};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use tokio_stream::StreamExt;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// An inventory host.
#[derive(Debug, Serialize, ToSchema)]
pub struct Host {
    pub id: Uuid,
    /// Unique inventory name.
    pub name: String,
    /// Host name or IP address.
    pub address: String,
    pub port: u16,
    pub os: Option<String>,
    pub environment: Option<String>,
    pub description: String,
    pub tags: BTreeMap<String, String>,
    /// The `ssh_credential` secret the host logs in with.
    pub credential_id: Option<Uuid>,
    /// That secret's name, for display.
    pub credential_name: Option<String>,
    /// The host's own check method; `null` uses the environment's or the global default.
    pub check_method: Option<CheckMethod>,
    /// The method checks actually use.
    pub effective_check_method: CheckMethod,
    pub status: HostStatus,
    pub last_check_at: Option<DateTime<Utc>>,
    pub latency_ms: Option<f64>,
    pub last_error: Option<String>,
    /// SHA256 fingerprint of the SSH host key recorded on first contact.
    pub host_key_fingerprint: Option<String>,
    /// Legacy SSH algorithms (SHA-1 key exchange, CBC ciphers) are offered to this host.
    pub legacy_ssh: bool,
    /// Terminal recording for this host: `default` (the global setting), `on` or `off`.
    pub terminal_recording: TerminalRecording,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Send back on update; a stale one gets 409.
    pub version: i64,
}

/// Turns rows into API hosts, naming their credentials.
pub(crate) struct HostView {
    settings: InventorySettings,
    credentials: HashMap<Uuid, String>,
}

impl HostView {
    /// Settings and the names of the credentials `hosts` use (one small query, not every secret:
    /// this runs on every list request).
    pub(crate) async fn load(state: &AppState, hosts: &[HostRow]) -> ApiResult<Self> {
        let (settings, _) = state.inventory_settings().await?;
        let mut ids: Vec<itmgr_domain::SecretId> =
            hosts.iter().filter_map(|h| h.credential_id).collect();
        ids.sort();
        ids.dedup();
        let credentials = itmgr_storage::repo::secrets::names(state.db.conn(), &ids)
            .await?
            .into_iter()
            .map(|(id, name)| (id.as_uuid(), name))
            .collect();
        Ok(Self {
            settings,
            credentials,
        })
    }

    pub(crate) fn host(&self, h: HostRow) -> Host {
        let credential_id = h.credential_id.map(|c| c.as_uuid());
        Host {
            id: h.id.as_uuid(),
            effective_check_method: self
                .settings
                .method_for(h.check_method, h.environment.as_deref()),
            credential_name: credential_id.and_then(|c| self.credentials.get(&c).cloned()),
            credential_id,
            name: h.name,
            address: h.address,
            port: h.port,
            os: h.os,
            environment: h.environment,
            description: h.description,
            tags: h.tags,
            check_method: h.check_method,
            status: h.status,
            last_check_at: h.last_check_at,
            latency_ms: h.latency_ms,
            last_error: h.last_error,
            host_key_fingerprint: h.host_key_fingerprint,
            legacy_ssh: h.legacy_ssh,
            terminal_recording: h.terminal_recording,
            created_by: h.created_by.map(|u| u.as_uuid()),
            updated_by: h.updated_by.map(|u| u.as_uuid()),
            created_at: h.created_at,
            updated_at: h.updated_at,
            version: h.version,
        }
    }
}

/// How many hosts have a value.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    /// The value (`""` for hosts without one).
    pub value: String,
    pub count: u64,
}

/// Counts per value for the filter sidebar. Each dimension ignores its own filter.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostFacets {
    pub status: Vec<FacetCount>,
    pub environment: Vec<FacetCount>,
    pub os: Vec<FacetCount>,
}

/// One page of hosts, the total, and facet counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostPage {
    pub items: Vec<Host>,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
    pub facets: HostFacets,
}

/// Sortable columns.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum HostSortField {
    #[default]
    Name,
    Address,
    Port,
    Os,
    Environment,
    Status,
    LastCheckAt,
    Latency,
    CreatedAt,
    UpdatedAt,
}

impl From<HostSortField> for HostSort {
    fn from(s: HostSortField) -> Self {
        match s {
            HostSortField::Name => HostSort::Name,
            HostSortField::Address => HostSort::Address,
            HostSortField::Port => HostSort::Port,
            HostSortField::Os => HostSort::Os,
            HostSortField::Environment => HostSort::Environment,
            HostSortField::Status => HostSort::Status,
            HostSortField::LastCheckAt => HostSort::LastCheckAt,
            HostSortField::Latency => HostSort::Latency,
            HostSortField::CreatedAt => HostSort::CreatedAt,
            HostSortField::UpdatedAt => HostSort::UpdatedAt,
        }
    }
}

/// Host filters. List values are comma-separated.
#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct HostFilterParams {
    /// Free text over name, address and description.
    pub q: Option<String>,
    /// Statuses, e.g. `online,offline`.
    pub status: Option<String>,
    /// Environments, e.g. `prod,stage`; `(none)` selects hosts without one.
    pub environment: Option<String>,
    /// Operating systems; `(none)` selects hosts without one.
    pub os: Option<String>,
    /// Tags: `key=value` or `key` (has the tag), comma-separated; all must match.
    pub tag: Option<String>,
    /// Only hosts logging in with this `ssh_credential` secret.
    pub credential: Option<Uuid>,
    /// Only these hosts (comma-separated ids).
    pub ids: Option<String>,
}

/// A comma-separated list of host ids from the query (`None` when the parameter is absent).
pub(crate) fn host_ids(s: &Option<String>) -> ApiResult<Option<Vec<HostId>>> {
    s.as_ref()
        .map(|_| {
            split(s)
                .iter()
                .map(|v| {
                    v.parse::<HostId>()
                        .map_err(|_| ApiError::BadRequest(format!("{v:?} is not a host id")))
                })
                .collect()
        })
        .transpose()
}

/// A comma-separated query value as its non-empty, trimmed parts.
pub(crate) fn split(s: &Option<String>) -> Vec<String> {
    s.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

impl HostFilterParams {
    pub(crate) fn filter(&self) -> ApiResult<HostFilter> {
        let status = split(&self.status)
            .iter()
            .map(|s| s.parse::<HostStatus>())
            .collect::<Result<_, _>>()?;
        let ids = host_ids(&self.ids)?;
        Ok(HostFilter {
            q: self.q.clone(),
            status,
            environment: split(&self.environment)
                .into_iter()
                .map(|e| e.to_ascii_lowercase())
                .collect(),
            os: split(&self.os)
                .into_iter()
                .map(|e| e.to_ascii_lowercase())
                .collect(),
            tags: split(&self.tag)
                .into_iter()
                .map(|t| match t.split_once('=') {
                    Some((k, v)) => (k.trim().to_owned(), Some(v.trim().to_owned())),
                    None => (t, None),
                })
                .collect(),
            credential_id: self.credential.map(itmgr_domain::SecretId::from_uuid),
            ids,
            ..Default::default()
        })
    }
}

/// Sorting and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HostListParams {
    /// A [`HostSortField`] (default `name`); a leading `-` sorts descending, e.g. `-last_check_at`.
    pub sort: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

pub(crate) fn parse_sort(raw: Option<&str>) -> ApiResult<(HostSort, bool)> {
    let raw = raw.unwrap_or("name").trim();
    let (field, desc) = match raw.strip_prefix('-') {
        Some(f) => (f, true),
        None => (raw, false),
    };
    let field: HostSortField = serde_json::from_value(serde_json::Value::String(field.into()))
        .map_err(|_| {
            ApiError::field(
                "sort",
                "must be one of name, address, port, os, environment, status, last_check_at, \
                 latency, created_at, updated_at, optionally with a leading '-'",
            )
        })?;
    Ok((field.into(), desc))
}

fn facet(v: Vec<(String, u64)>) -> Vec<FacetCount> {
    v.into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect()
}

/// Lists hosts with filters, sorting, paging and facet counts.
#[utoipa::path(get, path = "/api/v1/hosts", tag = "hosts", params(HostFilterParams, HostListParams),
    responses((status = 200, body = HostPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_hosts(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(f): Query<HostFilterParams>,
    Query(l): Query<HostListParams>,
) -> ApiResult<axum::Json<HostPage>> {
    let cap = p.require::<perm::HostsRead>()?;
    let page = services::page(l.limit, l.offset);
    let (sort, descending) = parse_sort(l.sort.as_deref())?;
    let (hosts, facets) =
        services::hosts::list(&state, cap, &f.filter()?, sort, descending, page).await?;
    Ok(axum::Json(host_page(&state, hosts, facets, page).await?))
}

/// Builds the list response (also used for group members).
pub(crate) async fn host_page(
    state: &AppState,
    hosts: itmgr_storage::Page<HostRow>,
    facets: itmgr_storage::repo::hosts::Facets,
    page: itmgr_storage::PageRequest,
) -> ApiResult<HostPage> {
    let view = HostView::load(state, &hosts.items).await?;
    Ok(HostPage {
        items: hosts.items.into_iter().map(|h| view.host(h)).collect(),
        total: hosts.total,
        limit: page.limit,
        offset: page.offset,
        facets: HostFacets {
            status: facet(facets.status),
            environment: facet(facets.environment),
            os: facet(facets.os),
        },
    })
}

/// Reads a host.
#[utoipa::path(get, path = "/api/v1/hosts/{id}", tag = "hosts", params(("id" = Uuid, Path)),
    responses((status = 200, body = Host), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_host(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<HostId>,
) -> ApiResult<axum::Json<Host>> {
    let cap = p.require::<perm::HostsRead>()?;
    let host = services::hosts::get(&state, cap, id).await?;
    Ok(axum::Json(
        HostView::load(&state, std::slice::from_ref(&host))
            .await?
            .host(host),
    ))
}

/// A new host.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateHostRequest {
    pub name: String,
    /// Host name or IP address (no URL, no `user@`, no port).
    pub address: String,
    /// 1–65535, default 22.
    pub port: Option<i64>,
    pub os: Option<String>,
    pub environment: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Name or id of an `ssh_credential` secret.
    pub credential: Option<String>,
    /// `null`: the environment's or global default.
    pub check_method: Option<CheckMethod>,
    /// Offer legacy SSH algorithms (SHA-1 key exchange, CBC ciphers, SHA-1 MACs) for an old device.
    #[serde(default)]
    pub legacy_ssh: bool,
    /// Record terminal sessions: `default` (the global setting), `on` or `off`.
    #[serde(default)]
    pub terminal_recording: TerminalRecording,
}

impl From<CreateHostRequest> for HostInput {
    fn from(b: CreateHostRequest) -> Self {
        HostInput {
            name: b.name,
            address: b.address,
            port: b.port,
            os: b.os,
            environment: b.environment,
            description: b.description,
            tags: b.tags,
            credential: b.credential.filter(|c| !c.trim().is_empty()),
            check_method: b.check_method,
            legacy_ssh: b.legacy_ssh,
            terminal_recording: b.terminal_recording,
        }
    }
}

/// Creates a host.
#[utoipa::path(post, path = "/api/v1/hosts", tag = "hosts", request_body = CreateHostRequest,
    responses((status = 201, body = Host), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_host(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(body): Json<CreateHostRequest>,
) -> ApiResult<(StatusCode, axum::Json<Host>)> {
    let cap = p.require::<perm::HostsCreate>()?;
    let host = services::hosts::create(&state, cap, &ctx, body.into()).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(
            HostView::load(&state, std::slice::from_ref(&host))
                .await?
                .host(host),
        ),
    ))
}

/// Changes to a host; absent fields are kept. `credential: ""` detaches the credential;
/// `clear_check_method: true` goes back to the default check method.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateHostRequest {
    /// The version read; a stale one gets 409.
    pub version: i64,
    pub name: Option<String>,
    pub address: Option<String>,
    pub port: Option<i64>,
    /// `""` clears.
    pub os: Option<String>,
    /// `""` clears.
    pub environment: Option<String>,
    pub description: Option<String>,
    /// Replaces all tags.
    pub tags: Option<BTreeMap<String, String>>,
    /// Name or id of an `ssh_credential` secret; `""` detaches.
    pub credential: Option<String>,
    pub check_method: Option<CheckMethod>,
    /// Use the default check method again.
    #[serde(default)]
    pub clear_check_method: bool,
    /// Offer legacy SSH algorithms to this host.
    pub legacy_ssh: Option<bool>,
    /// Record terminal sessions: `default` (the global setting), `on` or `off`.
    pub terminal_recording: Option<TerminalRecording>,
}

/// Changes a host.
#[utoipa::path(patch, path = "/api/v1/hosts/{id}", tag = "hosts", params(("id" = Uuid, Path)), request_body = UpdateHostRequest,
    responses((status = 200, body = Host), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_host(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<HostId>,
    Json(b): Json<UpdateHostRequest>,
) -> ApiResult<axum::Json<Host>> {
    let cap = p.require::<perm::HostsUpdate>()?;
    let host = services::hosts::update(&state, cap, &ctx, id, b.version, |i| {
        if let Some(v) = b.name {
            i.name = v;
        }
        if let Some(v) = b.address {
            i.address = v;
        }
        if let Some(v) = b.port {
            i.port = Some(v);
        }
        if let Some(v) = b.os {
            i.os = Some(v);
        }
        if let Some(v) = b.environment {
            i.environment = Some(v);
        }
        if let Some(v) = b.description {
            i.description = Some(v);
        }
        if let Some(v) = b.tags {
            i.tags = v;
        }
        if let Some(v) = b.credential {
            i.credential = (!v.trim().is_empty()).then_some(v);
        }
        if b.clear_check_method {
            i.check_method = None;
        } else if let Some(m) = b.check_method {
            i.check_method = Some(m);
        }
        if let Some(v) = b.legacy_ssh {
            i.legacy_ssh = v;
        }
        if let Some(v) = b.terminal_recording {
            i.terminal_recording = v;
        }
    })
    .await?;
    Ok(axum::Json(
        HostView::load(&state, std::slice::from_ref(&host))
            .await?
            .host(host),
    ))
}

/// Deletes a host.
#[utoipa::path(delete, path = "/api/v1/hosts/{id}", tag = "hosts", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn delete_host(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<HostId>,
) -> ApiResult<StatusCode> {
    let cap = p.require::<perm::HostsDelete>()?;
    services::hosts::delete(&state, cap, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A selection of hosts.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HostSelection {
    /// At most 10,000 ids.
    pub ids: Vec<Uuid>,
}

pub(crate) fn selection(ids: Vec<Uuid>) -> ApiResult<Vec<HostId>> {
    if ids.is_empty() {
        return Err(ApiError::field("ids", "select at least one host"));
    }
    if ids.len() > 10_000 {
        return Err(ApiError::field("ids", "at most 10,000 hosts at once"));
    }
    Ok(ids.into_iter().map(HostId::from_uuid).collect())
}

/// The result of a bulk delete.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkDeleteResult {
    /// Names of the deleted hosts.
    pub deleted: Vec<String>,
    /// Ids that did not exist.
    pub missing: Vec<Uuid>,
}

/// Deletes many hosts.
#[utoipa::path(post, path = "/api/v1/hosts/bulk-delete", tag = "hosts", request_body = HostSelection,
    responses((status = 200, body = BulkDeleteResult), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn bulk_delete_hosts(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<HostSelection>,
) -> ApiResult<axum::Json<BulkDeleteResult>> {
    let cap = p.require::<perm::HostsDelete>()?;
    let (deleted, missing) =
        services::hosts::delete_many(&state, cap, &ctx, &selection(b.ids)?).await?;
    Ok(axum::Json(BulkDeleteResult {
        deleted,
        missing: missing.into_iter().map(|i| i.as_uuid()).collect(),
    }))
}

/// One change applied to many hosts.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkUpdateRequest {
    pub ids: Vec<Uuid>,
    /// Tags to add or overwrite.
    #[serde(default)]
    pub add_tags: BTreeMap<String, String>,
    /// Tag keys to remove.
    #[serde(default)]
    pub remove_tags: Vec<String>,
    /// `""` clears.
    pub environment: Option<String>,
    /// `""` clears.
    pub os: Option<String>,
    /// Name or id of an `ssh_credential` secret; `""` detaches.
    pub credential: Option<String>,
    pub check_method: Option<CheckMethod>,
    /// Use the default check method again.
    #[serde(default)]
    pub clear_check_method: bool,
}

/// Per-host outcome of a bulk update.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkUpdateItem {
    pub id: Uuid,
    pub name: Option<String>,
    /// Why this host could not be changed.
    pub error: Option<String>,
}

/// The result of a bulk update: all applied, or none (with the reasons).
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkUpdateResult {
    pub applied: bool,
    pub items: Vec<BulkUpdateItem>,
}

/// Changes many hosts at once (tags, environment, OS, credential, check method); all or nothing.
#[utoipa::path(post, path = "/api/v1/hosts/bulk-update", tag = "hosts", request_body = BulkUpdateRequest,
    responses((status = 200, body = BulkUpdateResult), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn bulk_update_hosts(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<BulkUpdateRequest>,
) -> ApiResult<axum::Json<BulkUpdateResult>> {
    let cap = p.require::<perm::HostsUpdate>()?;
    let change = services::hosts::BulkChange {
        add_tags: b.add_tags,
        remove_tags: b.remove_tags,
        environment: b.environment,
        os: b.os,
        credential: b.credential,
        check_method: if b.clear_check_method {
            Some(None)
        } else {
            b.check_method.map(Some)
        },
    };
    let (applied, items) =
        services::hosts::update_many(&state, cap, &ctx, &selection(b.ids)?, &change).await?;
    Ok(axum::Json(BulkUpdateResult {
        applied,
        items: items
            .into_iter()
            .map(|o| BulkUpdateItem {
                id: o.id.as_uuid(),
                name: o.name,
                error: o.error,
            })
            .collect(),
    }))
}

/// Import and export file formats.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InventoryFormat {
    /// Header `name,address,port,os,environment,description,tags,credential,check_method`;
    /// tags as `k=v;k2=v2`.
    Csv,
    /// A list of host objects.
    Yaml,
    /// A list of host objects.
    Json,
    /// Ansible INI inventory.
    AnsibleIni,
    /// Ansible YAML inventory.
    AnsibleYaml,
}

impl From<InventoryFormat> for Format {
    fn from(f: InventoryFormat) -> Self {
        match f {
            InventoryFormat::Csv => Format::Csv,
            InventoryFormat::Yaml => Format::Yaml,
            InventoryFormat::Json => Format::Json,
            InventoryFormat::AnsibleIni => Format::AnsibleIni,
            InventoryFormat::AnsibleYaml => Format::AnsibleYaml,
        }
    }
}

/// A file to import.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ImportRequest {
    pub format: InventoryFormat,
    /// The file's text (at most 16 MiB).
    pub content: String,
    /// Only report what would happen.
    #[serde(default)]
    pub dry_run: bool,
}

/// What happens to an entry.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    Create,
    Update,
    Unchanged,
    Reject,
}

/// One entry of the report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportLine {
    /// 1-based line (entry number for YAML/JSON lists).
    pub line: usize,
    pub name: String,
    pub action: ImportAction,
    /// For updates: the fields that change.
    pub changes: Vec<String>,
    /// For rejects: why, per field.
    pub errors: BTreeMap<String, String>,
    /// Ansible groups the host was listed under (kept as `group.<name>` tags).
    pub groups: Vec<String>,
}

/// Counts per action.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportSummary {
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub reject: usize,
}

/// The preview (dry run) or the result of an import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// False for a dry run.
    pub applied: bool,
    pub summary: ImportSummary,
    pub lines: Vec<ImportLine>,
}

/// Imports hosts from CSV, YAML, JSON or an Ansible inventory; `dry_run` previews per line.
#[utoipa::path(post, path = "/api/v1/hosts/import", tag = "hosts", request_body = ImportRequest,
    responses((status = 200, body = ImportReport), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn import_hosts(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<ImportRequest>,
) -> ApiResult<axum::Json<ImportReport>> {
    let cap = p.require::<perm::HostsCreate>()?;
    if b.content.len() > 16 * 1024 * 1024 {
        return Err(ApiError::field("content", "must be at most 16 MiB"));
    }
    let r =
        services::hosts::import(&state, cap, &ctx, b.format.into(), &b.content, b.dry_run).await?;
    use services::hosts::ImportAction as A;
    let count = |a: A| r.lines.iter().filter(|l| l.action == a).count();
    Ok(axum::Json(ImportReport {
        applied: r.applied,
        summary: ImportSummary {
            create: count(A::Create),
            update: count(A::Update),
            unchanged: count(A::Unchanged),
            reject: count(A::Reject),
        },
        lines: r
            .lines
            .into_iter()
            .map(|l| ImportLine {
                line: l.line,
                name: l.name,
                action: match l.action {
                    A::Create => ImportAction::Create,
                    A::Update => ImportAction::Update,
                    A::Unchanged => ImportAction::Unchanged,
                    A::Reject => ImportAction::Reject,
                },
                changes: l.changes,
                errors: l.errors,
                groups: l.groups,
            })
            .collect(),
    }))
}

/// Export parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    pub format: InventoryFormat,
}

/// Exports the hosts matching the filters as CSV, YAML, JSON or an Ansible inventory.
#[utoipa::path(get, path = "/api/v1/hosts/export", tag = "hosts", params(ExportParams, HostFilterParams),
    responses((status = 200, description = "The file", content_type = "text/plain"), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn export_hosts(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(e): Query<ExportParams>,
    Query(f): Query<HostFilterParams>,
) -> ApiResult<impl IntoResponse> {
    let cap = p.require::<perm::HostsRead>()?;
    let text = services::hosts::export(&state, cap, &f.filter()?, e.format.into()).await?;
    let (mime, ext) = match e.format {
        InventoryFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        InventoryFormat::Json => ("application/json", "json"),
        InventoryFormat::Yaml | InventoryFormat::AnsibleYaml => ("application/yaml", "yaml"),
        InventoryFormat::AnsibleIni => ("text/plain; charset=utf-8", "ini"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"hosts.{ext}\""),
            ),
        ],
        text,
    ))
}

/// How many checks were started.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecksStarted {
    /// Hosts already being checked are not counted twice.
    pub started: usize,
}

/// Checks the selected hosts now; returns at once, results arrive on `/hosts/events`.
#[utoipa::path(post, path = "/api/v1/hosts/check", tag = "hosts", request_body = HostSelection,
    responses((status = 202, body = ChecksStarted), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn check_hosts(
    State(state): State<AppState>,
    Auth(p): Auth,
    Json(b): Json<HostSelection>,
) -> ApiResult<(StatusCode, axum::Json<ChecksStarted>)> {
    let cap = p.require::<perm::HostsCheck>()?;
    let started = services::checks::check_now(&state, cap, selection(b.ids)?).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(ChecksStarted { started })))
}

/// Checks one host now; returns at once, the result arrives on `/hosts/events`.
#[utoipa::path(post, path = "/api/v1/hosts/{id}/check", tag = "hosts", params(("id" = Uuid, Path)),
    responses((status = 202, body = ChecksStarted), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn check_host(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<HostId>,
) -> ApiResult<(StatusCode, axum::Json<ChecksStarted>)> {
    let cap = p.require::<perm::HostsCheck>()?;
    services::hosts::get(&state, p.require::<perm::HostsRead>()?, id).await?;
    let started = services::checks::check_now(&state, cap, vec![id]).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(ChecksStarted { started })))
}

/// An unsaved host to test.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TestConnectionRequest {
    pub address: String,
    pub port: Option<i64>,
    pub environment: Option<String>,
    /// Name or id of an `ssh_credential` secret.
    pub credential: Option<String>,
    pub check_method: Option<CheckMethod>,
    #[serde(default)]
    pub legacy_ssh: bool,
}

/// The result of a test.
#[derive(Debug, Serialize, ToSchema)]
pub struct TestConnectionResult {
    pub status: HostStatus,
    pub method: CheckMethod,
    pub latency_ms: Option<f64>,
    pub error: Option<String>,
}

/// Tests reachability of a host before it is saved ("test connection" in the form).
#[utoipa::path(post, path = "/api/v1/hosts/test-connection", tag = "hosts", request_body = TestConnectionRequest,
    responses((status = 200, body = TestConnectionResult), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn test_connection(
    State(state): State<AppState>,
    Auth(p): Auth,
    Json(b): Json<TestConnectionRequest>,
) -> ApiResult<axum::Json<TestConnectionResult>> {
    let cap = p.require::<perm::HostsCheck>()?;
    let o = services::checks::test_connection(
        &state,
        cap,
        HostInput {
            name: "connection-test".into(),
            address: b.address,
            port: b.port,
            environment: b.environment,
            credential: b.credential.filter(|c| !c.trim().is_empty()),
            check_method: b.check_method,
            legacy_ssh: b.legacy_ssh,
            ..Default::default()
        },
    )
    .await?;
    Ok(axum::Json(TestConnectionResult {
        status: o.status,
        method: o.method,
        latency_ms: o.latency_ms,
        error: o.error,
    }))
}

/// A status transition.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostStatusChange {
    pub at: DateTime<Utc>,
    pub status: HostStatus,
    pub previous: HostStatus,
    pub method: CheckMethod,
    pub latency_ms: Option<f64>,
    pub error: Option<String>,
}

impl From<StatusEvent> for HostStatusChange {
    fn from(e: StatusEvent) -> Self {
        Self {
            at: e.at,
            status: e.status,
            previous: e.previous,
            method: e.method,
            latency_ms: e.latency_ms,
            error: e.error,
        }
    }
}

page_type!(HostStatusChangePage, HostStatusChange);

/// A host's status transitions, newest first.
#[utoipa::path(get, path = "/api/v1/hosts/{id}/status-history", tag = "hosts", params(("id" = Uuid, Path), super::PageParams),
    responses((status = 200, body = HostStatusChangePage), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_host_status_history(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<HostId>,
    Query(q): Query<super::PageParams>,
) -> ApiResult<axum::Json<HostStatusChangePage>> {
    let cap = p.require::<perm::HostsRead>()?;
    let page = services::page(q.limit, q.offset);
    let events = services::hosts::status_history(&state, cap, id, page).await?;
    Ok(axum::Json(HostStatusChangePage::from_page(
        events,
        page,
        HostStatusChange::from,
    )))
}

/// Live check results as Server-Sent Events (`event: host.status`, data: [`HostStatusUpdate`]).
/// Authenticate with the `Authorization` header (read it with `fetch`, not `EventSource`).
#[utoipa::path(get, path = "/api/v1/hosts/events", tag = "hosts",
    responses((status = 200, description = "An endless text/event-stream of `host.status` events", body = HostStatusUpdate, content_type = "text/event-stream")), security(("bearer" = [])))]
pub async fn host_events(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    p.require::<perm::HostsRead>()?;
    let rx = state.checker.subscribe();
    let stream = tokio_stream::wrappers::BroadcastStream::new(rx).filter_map(|msg| {
        // A slow client that lagged behind just misses some updates; the list refetches.
        let update = msg.ok()?;
        Event::default()
            .event("host.status")
            .json_data(&update)
            .ok()
            .map(Ok)
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))))
}

/// Inventory settings: periodic checks and the target policy.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InventorySettingsBody {
    /// Seconds between periodic checks of every host; 0 turns them off (10–86400).
    pub check_interval_seconds: u32,
    /// Checks running at once (1–2000).
    pub check_concurrency: u32,
    /// Seconds one check may take (1–120).
    pub check_timeout_seconds: u32,
    /// For hosts with no method of their own and no environment default.
    pub default_check_method: CheckMethod,
    /// Default methods per environment.
    #[serde(default)]
    pub environment_check_methods: BTreeMap<String, CheckMethod>,
    /// Status transitions are kept this long (1–3650 days).
    pub status_history_retention_days: u32,
    /// Allowed targets (CIDR, IP, host name, `*.domain`); empty allows all not denied.
    #[serde(default)]
    pub target_allow: Vec<String>,
    /// Denied targets; by default link-local networks and cloud metadata endpoints.
    #[serde(default)]
    pub target_deny: Vec<String>,
    /// Minutes without input before a web terminal closes (0: never; at most 1440).
    #[serde(default = "default_idle")]
    pub terminal_idle_timeout_minutes: u32,
    /// Longest a web terminal stays open, in minutes (0: no limit; at most 10080).
    #[serde(default = "default_max")]
    pub terminal_max_duration_minutes: u32,
    /// Record terminal sessions: output and resizes (never keystrokes), encrypted under the data
    /// directory, viewable by admins (audited).
    #[serde(default)]
    pub terminal_recording: bool,
    /// Recordings also hold keystrokes (including anything typed at password prompts in the
    /// shell; answers to the host's login prompts are never recorded).
    #[serde(default)]
    pub terminal_record_input: bool,
    /// Hosts a command or key deployment works on at once by default (1–1000).
    #[serde(default = "default_run_concurrency")]
    pub run_concurrency: u32,
    /// Seconds one host of a run may take by default (1–86400).
    #[serde(default = "default_run_timeout")]
    pub run_host_timeout_seconds: u32,
    /// Send back on update; a stale one gets 409 (0 before the first save).
    pub version: i64,
}

fn default_idle() -> u32 {
    InventorySettings::default().terminal_idle_timeout_minutes
}

fn default_run_concurrency() -> u32 {
    InventorySettings::default().run_concurrency
}

fn default_run_timeout() -> u32 {
    InventorySettings::default().run_host_timeout_seconds
}

fn default_max() -> u32 {
    InventorySettings::default().terminal_max_duration_minutes
}

impl InventorySettingsBody {
    fn from_parts((s, version): (InventorySettings, i64)) -> Self {
        Self {
            check_interval_seconds: s.check_interval_seconds,
            check_concurrency: s.check_concurrency,
            check_timeout_seconds: s.check_timeout_seconds,
            default_check_method: s.default_check_method,
            environment_check_methods: s.environment_check_methods,
            status_history_retention_days: s.status_history_retention_days,
            target_allow: s.target_allow,
            target_deny: s.target_deny,
            terminal_idle_timeout_minutes: s.terminal_idle_timeout_minutes,
            terminal_max_duration_minutes: s.terminal_max_duration_minutes,
            terminal_recording: s.terminal_recording,
            terminal_record_input: s.terminal_record_input,
            run_concurrency: s.run_concurrency,
            run_host_timeout_seconds: s.run_host_timeout_seconds,
            version,
        }
    }
}

/// Reads the inventory settings.
#[utoipa::path(get, path = "/api/v1/inventory/settings", tag = "hosts",
    responses((status = 200, body = InventorySettingsBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_inventory_settings(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<InventorySettingsBody>> {
    let cap = p.require::<perm::SettingsRead>()?;
    Ok(axum::Json(InventorySettingsBody::from_parts(
        services::hosts::settings(&state, cap).await?,
    )))
}

/// Replaces the inventory settings.
#[utoipa::path(put, path = "/api/v1/inventory/settings", tag = "hosts", request_body = InventorySettingsBody,
    responses((status = 200, body = InventorySettingsBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_inventory_settings(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<InventorySettingsBody>,
) -> ApiResult<axum::Json<InventorySettingsBody>> {
    let cap = p.require::<perm::SettingsUpdate>()?;
    let s = InventorySettings {
        check_interval_seconds: b.check_interval_seconds,
        check_concurrency: b.check_concurrency,
        check_timeout_seconds: b.check_timeout_seconds,
        default_check_method: b.default_check_method,
        environment_check_methods: b.environment_check_methods,
        status_history_retention_days: b.status_history_retention_days,
        target_allow: b.target_allow,
        target_deny: b.target_deny,
        terminal_idle_timeout_minutes: b.terminal_idle_timeout_minutes,
        terminal_max_duration_minutes: b.terminal_max_duration_minutes,
        terminal_recording: b.terminal_recording,
        terminal_record_input: b.terminal_record_input,
        run_concurrency: b.run_concurrency,
        run_host_timeout_seconds: b.run_host_timeout_seconds,
    };
    Ok(axum::Json(InventorySettingsBody::from_parts(
        services::hosts::update_settings(&state, cap, &ctx, b.version, s).await?,
    )))
}
