//! The host inventory: validation at the edge (names, addresses, the target policy, credentials),
//! CRUD, bulk changes, import with a dry-run preview, export, and the inventory settings.

use super::audit::Event;
use super::not_found;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::state::AppState;
use itmgr_auth::{perm, Capability};
use itmgr_domain::{
    CheckMethod, HostAddress, HostId, HostName, InventorySettings, Label, Port, SecretId,
    SecretKind, TagKey, TargetPolicy, TerminalRecording,
};
use itmgr_inventory::{ExportHost, Format, HostRecord};
use itmgr_storage::repo::hosts::{
    self as repo, Facets, Host, HostFields, HostFilter, HostSort, StatusEvent,
};
use itmgr_storage::repo::secrets as secrets_repo;
use itmgr_storage::{commit, ConnectionTrait, Page, PageRequest, StorageError};
use std::collections::{BTreeMap, HashMap};

/// A host as submitted; every field is checked by [`parse_fields`].
#[derive(Debug, Clone, Default)]
pub struct HostInput {
    pub name: String,
    pub address: String,
    pub port: Option<i64>,
    pub os: Option<String>,
    pub environment: Option<String>,
    pub description: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// Name or id of an `ssh_credential` secret.
    pub credential: Option<String>,
    pub check_method: Option<CheckMethod>,
    /// Also offer legacy SSH algorithms (old devices).
    pub legacy_ssh: bool,
    /// Record its terminal sessions: as the global setting says, always or never.
    pub terminal_recording: TerminalRecording,
}

/// The compiled target policy from the current settings plus this server's own socket.
pub async fn policy(state: &AppState) -> ApiResult<TargetPolicy> {
    let (s, _) = state.inventory_settings().await?;
    Ok(TargetPolicy::new(&s.target_allow, &s.target_deny)?
        .with_own_addresses(state.own_addresses()))
}

fn check_tags(tags: &BTreeMap<String, String>, errors: &mut FieldErrors) {
    for (k, v) in tags {
        errors.check(TagKey::parse(k));
        if v.len() > 256 || v.chars().any(char::is_control) {
            errors.add(
                "tags",
                format!("the value of tag {k:?} must be at most 256 characters, without control characters"),
            );
        }
    }
    if tags.len() > 50 {
        errors.add("tags", "at most 50 tags");
    }
}

/// Finds an `ssh_credential` secret by name or id.
async fn find_credential(
    db: &impl ConnectionTrait,
    reference: &str,
    errors: &mut FieldErrors,
) -> ApiResult<Option<SecretId>> {
    let r = reference.trim();
    if r.is_empty() {
        return Ok(None);
    }
    let found = match r.parse::<SecretId>() {
        Ok(id) => match secrets_repo::find_by_id(db, id).await {
            Ok(s) => Some(s),
            Err(StorageError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        Err(_) => secrets_repo::find_by_name(db, r).await?,
    };
    match found {
        Some(s) if s.kind == SecretKind::SshCredential => Ok(Some(s.id)),
        Some(_) => {
            errors.add("credential", "must be an ssh_credential secret");
            Ok(None)
        }
        None => {
            errors.add("credential", format!("no secret named {r:?}"));
            Ok(None)
        }
    }
}

/// Validates a submitted host: value rules, the target policy, the credential's existence and kind.
/// Errors are collected per field so a form (or an import line) shows them all at once.
pub async fn parse_fields(
    db: &impl ConnectionTrait,
    policy: &TargetPolicy,
    input: &HostInput,
) -> Result<HostFields, BTreeMap<String, String>> {
    let mut errors = FieldErrors::default();
    let name = errors.check(HostName::parse(&input.name));
    let address = errors.check(HostAddress::parse(&input.address));
    let port = errors.check(Port::parse(input.port.unwrap_or(22)));
    let os = errors
        .check(Label::parse("os", input.os.as_deref().unwrap_or("")))
        .flatten();
    let environment = errors
        .check(Label::parse(
            "environment",
            input.environment.as_deref().unwrap_or(""),
        ))
        .flatten();
    let description = input.description.clone().unwrap_or_default();
    if description.chars().count() > 1024 {
        errors.add("description", "must be at most 1024 characters");
    }
    check_tags(&input.tags, &mut errors);
    if let (Some(a), Some(p)) = (&address, port) {
        if let Err(denied) = policy.check_address(a, p.get()) {
            errors.add("address", denied.0);
        }
    }
    let credential_id = match &input.credential {
        Some(c) => match find_credential(db, c, &mut errors).await {
            Ok(id) => id,
            Err(_) => {
                errors.add("credential", "cannot be looked up");
                None
            }
        },
        None => None,
    };
    match (errors.finish(), name, address, port) {
        (Ok(()), Some(name), Some(address), Some(port)) => Ok(HostFields {
            name,
            address,
            port,
            os,
            environment,
            description,
            tags: input.tags.clone(),
            credential_id,
            check_method: input.check_method,
            legacy_ssh: input.legacy_ssh,
            terminal_recording: input.terminal_recording,
        }),
        (Err(ApiError::Validation(m)), ..) => Err(m),
        _ => Err(BTreeMap::from([(
            "host".to_owned(),
            "is invalid".to_owned(),
        )])),
    }
}

fn audit_view(h: &Host) -> serde_json::Value {
    serde_json::json!({
        "name": h.name, "address": h.address, "port": h.port, "os": h.os,
        "environment": h.environment, "description": h.description, "tags": h.tags,
        "credential_id": h.credential_id.map(|c| c.to_string()),
        "check_method": h.check_method.map(|m| m.as_str()),
        "legacy_ssh": h.legacy_ssh,
        "terminal_recording": h.terminal_recording.as_str(),
    })
}

fn diff(before: &serde_json::Value, after: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        for (k, av) in a {
            let bv = b.get(k).unwrap_or(&serde_json::Value::Null);
            if bv != av {
                out.insert(k.clone(), serde_json::json!({ "from": bv, "to": av }));
            }
        }
    }
    serde_json::Value::Object(out)
}

/// Lists hosts with facet counts.
pub async fn list(
    state: &AppState,
    _cap: Capability<perm::HostsRead>,
    filter: &HostFilter,
    sort: HostSort,
    descending: bool,
    page: PageRequest,
) -> ApiResult<(Page<Host>, Facets)> {
    let db = state.db.conn();
    let items = repo::page(db, filter, sort, descending, page).await?;
    let (total, facets) = repo::facets(db, filter).await?;
    Ok((Page { items, total }, facets))
}

/// Reads one host.
pub async fn get(
    state: &AppState,
    _cap: Capability<perm::HostsRead>,
    id: HostId,
) -> ApiResult<Host> {
    repo::find_by_id(state.db.conn(), id)
        .await
        .map_err(not_found("host"))
}

/// Creates a host. Attaching a credential needs the right to use secrets.
pub async fn create(
    state: &AppState,
    cap: Capability<perm::HostsCreate>,
    ctx: &RequestContext,
    input: HostInput,
) -> ApiResult<Host> {
    if input.credential.is_some() {
        cap.principal().require::<perm::SecretsUse>()?;
    }
    let policy = policy(state).await?;
    let txn = state.db.begin().await?;
    let fields = parse_fields(&txn, &policy, &input)
        .await
        .map_err(ApiError::Validation)?;
    let host = repo::insert(&txn, fields, Some(cap.principal().user_id)).await?;
    super::membership::host_changed(&txn, host.id).await?;
    Event::new(ctx, Some(cap.principal()), "host.create")
        .target("host", host.id, Some(&host.name))
        .diff(audit_view(&host))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(host)
}

/// A host's current values as input, for partial updates.
pub fn input_of(h: &Host, credential_name: Option<String>) -> HostInput {
    HostInput {
        name: h.name.clone(),
        address: h.address.clone(),
        port: Some(i64::from(h.port)),
        os: h.os.clone(),
        environment: h.environment.clone(),
        description: Some(h.description.clone()),
        tags: h.tags.clone(),
        credential: credential_name.or_else(|| h.credential_id.map(|c| c.to_string())),
        check_method: h.check_method,
        legacy_ssh: h.legacy_ssh,
        terminal_recording: h.terminal_recording,
    }
}

/// Applies `change` to a host's current values and saves them when `version` is current.
pub async fn update(
    state: &AppState,
    cap: Capability<perm::HostsUpdate>,
    ctx: &RequestContext,
    id: HostId,
    version: i64,
    change: impl FnOnce(&mut HostInput),
) -> ApiResult<Host> {
    let policy = policy(state).await?;
    let txn = state.db.begin().await?;
    let before = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("host"))?;
    let mut input = input_of(&before, None);
    change(&mut input);
    let credential_changed = input.credential != before.credential_id.map(|c| c.to_string());
    if credential_changed && input.credential.is_some() {
        cap.principal().require::<perm::SecretsUse>()?;
    }
    let fields = parse_fields(&txn, &policy, &input)
        .await
        .map_err(ApiError::Validation)?;
    let after = repo::update(&txn, id, version, Some(cap.principal().user_id), fields).await?;
    super::membership::host_changed(&txn, id).await?;
    Event::new(ctx, Some(cap.principal()), "host.update")
        .target("host", id, Some(&after.name))
        .diff(diff(&audit_view(&before), &audit_view(&after)))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(after)
}

/// Records that a host being deleted leaves every group it was in.
async fn leave_all_groups(db: &impl ConnectionTrait, host: &Host) -> ApiResult<()> {
    use itmgr_storage::repo::groups as groups_repo;
    for g in groups_repo::groups_of_host(db, host.id).await? {
        groups_repo::apply_changes(
            db,
            g,
            &[groups_repo::MembershipChange {
                host_id: host.id,
                host_name: host.name.clone(),
                joined: false,
                reason: "the host was deleted".into(),
            }],
        )
        .await?;
    }
    Ok(())
}

/// Deletes a host.
pub async fn delete(
    state: &AppState,
    cap: Capability<perm::HostsDelete>,
    ctx: &RequestContext,
    id: HostId,
) -> ApiResult<()> {
    let txn = state.db.begin().await?;
    let host = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("host"))?;
    leave_all_groups(&txn, &host).await?;
    repo::delete(&txn, id).await?;
    Event::new(ctx, Some(cap.principal()), "host.delete")
        .target("host", id, Some(&host.name))
        .diff(audit_view(&host))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(())
}

/// Deletes many hosts in one transaction; unknown ids are reported, not fatal.
pub async fn delete_many(
    state: &AppState,
    cap: Capability<perm::HostsDelete>,
    ctx: &RequestContext,
    ids: &[HostId],
) -> ApiResult<(Vec<String>, Vec<HostId>)> {
    let txn = state.db.begin().await?;
    let mut deleted = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match repo::find_by_id(&txn, *id).await {
            Ok(h) => {
                leave_all_groups(&txn, &h).await?;
                repo::delete(&txn, *id).await?;
                deleted.push(h.name);
            }
            Err(StorageError::NotFound) => missing.push(*id),
            Err(e) => return Err(e.into()),
        }
    }
    Event::new(ctx, Some(cap.principal()), "host.bulk_delete")
        .target("host", "bulk", None)
        .diff(serde_json::json!({ "deleted": deleted, "count": deleted.len() }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok((deleted, missing))
}

/// What a bulk update changes on every selected host.
#[derive(Debug, Clone, Default)]
pub struct BulkChange {
    pub add_tags: BTreeMap<String, String>,
    pub remove_tags: Vec<String>,
    /// `Some("")` clears.
    pub environment: Option<String>,
    pub os: Option<String>,
    pub credential: Option<String>,
    pub check_method: Option<Option<CheckMethod>>,
}

/// Per-host result of a bulk update.
#[derive(Debug, Clone)]
pub struct BulkOutcome {
    pub id: HostId,
    pub name: Option<String>,
    pub error: Option<String>,
}

/// Applies one change to many hosts, all or nothing: if any host would become invalid, nothing
/// is saved and every failure is reported.
pub async fn update_many(
    state: &AppState,
    cap: Capability<perm::HostsUpdate>,
    ctx: &RequestContext,
    ids: &[HostId],
    change: &BulkChange,
) -> ApiResult<(bool, Vec<BulkOutcome>)> {
    if change.credential.as_deref().is_some_and(|c| !c.is_empty()) {
        cap.principal().require::<perm::SecretsUse>()?;
    }
    let policy = policy(state).await?;
    let txn = state.db.begin().await?;
    let mut outcomes = Vec::new();
    let mut ok = true;
    for id in ids {
        let before = match repo::find_by_id(&txn, *id).await {
            Ok(h) => h,
            Err(StorageError::NotFound) => {
                ok = false;
                outcomes.push(BulkOutcome {
                    id: *id,
                    name: None,
                    error: Some("no such host".into()),
                });
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let mut input = input_of(&before, None);
        for k in &change.remove_tags {
            input.tags.remove(k);
        }
        input.tags.extend(change.add_tags.clone());
        if let Some(e) = &change.environment {
            input.environment = Some(e.clone());
        }
        if let Some(o) = &change.os {
            input.os = Some(o.clone());
        }
        if let Some(c) = &change.credential {
            input.credential = (!c.is_empty()).then(|| c.clone());
        }
        if let Some(m) = change.check_method {
            input.check_method = m;
        }
        match parse_fields(&txn, &policy, &input).await {
            Ok(fields) => {
                repo::update(
                    &txn,
                    *id,
                    before.version,
                    Some(cap.principal().user_id),
                    fields,
                )
                .await?;
                outcomes.push(BulkOutcome {
                    id: *id,
                    name: Some(before.name),
                    error: None,
                });
            }
            Err(errs) => {
                ok = false;
                outcomes.push(BulkOutcome {
                    id: *id,
                    name: Some(before.name),
                    error: Some(
                        errs.iter()
                            .map(|(f, m)| format!("{f}: {m}"))
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                });
            }
        }
    }
    if !ok {
        // Dropping the transaction rolls everything back.
        return Ok((false, outcomes));
    }
    super::membership::hosts_changed(&txn, ids, false).await?;
    Event::new(ctx, Some(cap.principal()), "host.bulk_update")
        .target("host", "bulk", None)
        .diff(serde_json::json!({
            "hosts": outcomes.iter().filter_map(|o| o.name.clone()).collect::<Vec<_>>(),
            "add_tags": change.add_tags, "remove_tags": change.remove_tags,
            "environment": change.environment, "os": change.os,
            "credential": change.credential,
            "check_method": change.check_method.map(|m| m.map(|m| m.as_str())),
        }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok((true, outcomes))
}

/// What an import would do (or did) with one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportAction {
    Create,
    Update,
    Unchanged,
    Reject,
}

/// One line of the import report.
#[derive(Debug, Clone)]
pub struct ImportLine {
    pub line: usize,
    pub name: String,
    pub action: ImportAction,
    /// For updates: the fields that change.
    pub changes: Vec<String>,
    /// For rejects: why, per field.
    pub errors: BTreeMap<String, String>,
    /// Ansible groups the host was listed under.
    pub groups: Vec<String>,
}

/// The import report.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub applied: bool,
    pub lines: Vec<ImportLine>,
}

fn input_from_record(r: &HostRecord) -> Result<HostInput, BTreeMap<String, String>> {
    let port = match r.port.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(p.parse::<i64>().map_err(|_| {
            BTreeMap::from([("port".to_owned(), format!("{p:?} is not a number"))])
        })?),
    };
    let check_method = match r.check_method.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(m) => Some(
            m.parse::<CheckMethod>()
                .map_err(|e| BTreeMap::from([("check_method".to_owned(), e.message)]))?,
        ),
    };
    Ok(HostInput {
        name: r.name.clone(),
        address: r.address.clone().unwrap_or_else(|| r.name.clone()),
        port,
        os: r.os.clone(),
        environment: r.environment.clone(),
        description: r.description.clone(),
        tags: r.tags.clone(),
        credential: r.credential.clone(),
        check_method,
        legacy_ssh: false,
        terminal_recording: TerminalRecording::Default,
    })
}

fn field_changes(before: &Host, after: &HostFields) -> Vec<String> {
    let mut c = Vec::new();
    if before.address != after.address.to_string() {
        c.push("address".into());
    }
    if before.port != after.port.get() {
        c.push("port".into());
    }
    if before.os.as_deref() != after.os.as_ref().map(Label::as_str) {
        c.push("os".into());
    }
    if before.environment.as_deref() != after.environment.as_ref().map(Label::as_str) {
        c.push("environment".into());
    }
    if before.description != after.description {
        c.push("description".into());
    }
    if before.tags != after.tags {
        c.push("tags".into());
    }
    if before.credential_id != after.credential_id {
        c.push("credential".into());
    }
    if before.check_method != after.check_method {
        c.push("check_method".into());
    }
    c
}

/// Imports hosts from a file. Existing hosts (same name) are updated, new ones created, invalid
/// lines rejected with their reasons. With `dry_run` nothing is written; otherwise the valid lines
/// are applied in one transaction (rejected lines do not stop the rest).
pub async fn import(
    state: &AppState,
    cap: Capability<perm::HostsCreate>,
    ctx: &RequestContext,
    format: Format,
    text: &str,
    dry_run: bool,
) -> ApiResult<ImportReport> {
    let updating = cap.principal().require::<perm::HostsUpdate>().ok();
    let records =
        itmgr_inventory::parse(format, text).map_err(|e| ApiError::field("content", e.0))?;
    if records.len() > 100_000 {
        return Err(ApiError::field(
            "content",
            "at most 100,000 hosts per import",
        ));
    }
    let uses_credentials = records
        .iter()
        .any(|r| r.as_ref().is_ok_and(|r| r.credential.is_some()));
    if uses_credentials {
        cap.principal().require::<perm::SecretsUse>()?;
    }
    let policy = policy(state).await?;
    let txn = state.db.begin().await?;
    let names: Vec<String> = records
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|r| r.name.trim().to_owned()))
        .collect();
    let existing: HashMap<String, Host> = repo::find_by_names(&txn, &names)
        .await?
        .into_iter()
        .map(|h| (h.name.clone(), h))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut report = ImportReport::default();
    let mut touched: Vec<HostId> = Vec::new();
    let mut creates: Vec<HostFields> = Vec::new();
    let by = Some(cap.principal().user_id);
    for r in records {
        let rec = match r {
            Ok(rec) => rec,
            Err(e) => {
                report.lines.push(ImportLine {
                    line: e.line,
                    name: String::new(),
                    action: ImportAction::Reject,
                    changes: vec![],
                    errors: BTreeMap::from([("line".to_owned(), e.message)]),
                    groups: vec![],
                });
                continue;
            }
        };
        let mut line = ImportLine {
            line: rec.line,
            name: rec.name.trim().to_owned(),
            action: ImportAction::Reject,
            changes: vec![],
            errors: BTreeMap::new(),
            groups: rec.groups.clone(),
        };
        if let Some(first) = seen.insert(line.name.clone(), rec.line) {
            line.errors.insert(
                "name".into(),
                format!("appears twice in the file (first on line {first})"),
            );
            report.lines.push(line);
            continue;
        }
        let fields = match input_from_record(&rec) {
            Ok(input) => parse_fields(&txn, &policy, &input).await,
            Err(e) => Err(e),
        };
        let fields = match fields {
            Ok(f) => f,
            Err(errors) => {
                line.errors = errors;
                report.lines.push(line);
                continue;
            }
        };
        match existing.get(&line.name) {
            None => {
                line.action = ImportAction::Create;
                if !dry_run {
                    creates.push(fields);
                }
            }
            Some(before) => {
                // Files do not carry this flag: an import keeps what the host has.
                let mut fields = fields;
                fields.legacy_ssh = before.legacy_ssh;
                fields.terminal_recording = before.terminal_recording;
                line.changes = field_changes(before, &fields);
                if line.changes.is_empty() {
                    line.action = ImportAction::Unchanged;
                } else if updating.is_none() {
                    line.errors.insert(
                        "name".into(),
                        "exists, and you may not change existing hosts".into(),
                    );
                } else {
                    line.action = ImportAction::Update;
                    if !dry_run {
                        repo::update(&txn, before.id, before.version, by, fields).await?;
                        touched.push(before.id);
                    }
                }
            }
        }
        report.lines.push(line);
    }
    if !dry_run {
        touched.extend(repo::insert_many(&txn, creates, by).await?);
        super::membership::hosts_changed(&txn, &touched, false).await?;
        let count = |a: ImportAction| report.lines.iter().filter(|l| l.action == a).count();
        Event::new(ctx, Some(cap.principal()), "host.import")
            .target("host", "import", None)
            .diff(serde_json::json!({
                "format": format,
                "created": count(ImportAction::Create),
                "updated": count(ImportAction::Update),
                "unchanged": count(ImportAction::Unchanged),
                "rejected": count(ImportAction::Reject),
            }))
            .write(&txn)
            .await?;
        commit(txn).await?;
        report.applied = true;
    }
    Ok(report)
}

/// Renders the hosts matching `filter` as a file.
pub async fn export(
    state: &AppState,
    _cap: Capability<perm::HostsRead>,
    filter: &HostFilter,
    format: Format,
) -> ApiResult<String> {
    let db = state.db.conn();
    let hosts = repo::all(db, filter).await?;
    let names: HashMap<SecretId, String> = secrets_repo::all(db)
        .await?
        .into_iter()
        .filter(|s| s.kind == SecretKind::SshCredential)
        .map(|s| (s.id, s.name))
        .collect();
    let rows: Vec<ExportHost> = hosts
        .into_iter()
        .map(|h| ExportHost {
            credential: h.credential_id.and_then(|c| names.get(&c).cloned()),
            name: h.name,
            address: h.address,
            port: h.port,
            os: h.os,
            environment: h.environment,
            description: h.description,
            tags: h.tags,
            check_method: h.check_method.map(|m| m.as_str().to_owned()),
        })
        .collect();
    Ok(itmgr_inventory::export(format, &rows))
}

/// A host's status transitions.
pub async fn status_history(
    state: &AppState,
    cap: Capability<perm::HostsRead>,
    id: HostId,
    page: PageRequest,
) -> ApiResult<Page<StatusEvent>> {
    get(state, cap, id).await?;
    Ok(repo::status_history(state.db.conn(), id, page).await?)
}

/// Reads the inventory settings.
pub async fn settings(
    state: &AppState,
    _cap: Capability<perm::SettingsRead>,
) -> ApiResult<(InventorySettings, i64)> {
    Ok(repo::settings(state.db.conn()).await?)
}

/// Checks and saves the inventory settings.
pub async fn update_settings(
    state: &AppState,
    cap: Capability<perm::SettingsUpdate>,
    ctx: &RequestContext,
    version: i64,
    s: InventorySettings,
) -> ApiResult<(InventorySettings, i64)> {
    let mut errors = FieldErrors::default();
    if s.check_interval_seconds != 0 && !(10..=86_400).contains(&s.check_interval_seconds) {
        errors.add(
            "check_interval_seconds",
            "must be 0 (off) or between 10 and 86400 seconds",
        );
    }
    if !(1..=2_000).contains(&s.check_concurrency) {
        errors.add("check_concurrency", "must be between 1 and 2000");
    }
    if !(1..=120).contains(&s.check_timeout_seconds) {
        errors.add("check_timeout_seconds", "must be between 1 and 120 seconds");
    }
    if s.terminal_idle_timeout_minutes > 1_440 {
        errors.add(
            "terminal_idle_timeout_minutes",
            "must be between 0 (never) and 1440 minutes",
        );
    }
    if s.terminal_max_duration_minutes > 10_080 {
        errors.add(
            "terminal_max_duration_minutes",
            "must be between 0 (no limit) and 10080 minutes",
        );
    }
    if !(1..=1_000).contains(&s.run_concurrency) {
        errors.add("run_concurrency", "must be between 1 and 1000");
    }
    if !(1..=86_400).contains(&s.run_host_timeout_seconds) {
        errors.add(
            "run_host_timeout_seconds",
            "must be between 1 and 86400 seconds",
        );
    }
    if !(1..=3_650).contains(&s.status_history_retention_days) {
        errors.add(
            "status_history_retention_days",
            "must be between 1 and 3650 days",
        );
    }
    for (field, list) in [
        ("target_allow", &s.target_allow),
        ("target_deny", &s.target_deny),
    ] {
        for entry in list {
            if let Err(e) = itmgr_domain::TargetRule::parse(entry) {
                errors.add(field, e.message);
            }
        }
        if list.len() > 1000 {
            errors.add(field, "at most 1000 entries");
        }
    }
    for env in s.environment_check_methods.keys() {
        if !matches!(Label::parse("environment_check_methods", env), Ok(Some(_))) {
            errors.add(
                "environment_check_methods",
                format!("{env:?} is not a valid environment"),
            );
        }
    }
    errors.finish()?;
    let txn = state.db.begin().await?;
    let (before, _) = repo::settings(&txn).await?;
    let saved = repo::save_settings(&txn, version, &s).await?;
    Event::new(ctx, Some(cap.principal()), "inventory_settings.update")
        .target("settings", "inventory", None)
        .diff(diff(
            &serde_json::to_value(&before).unwrap_or_default(),
            &serde_json::to_value(&saved.0).unwrap_or_default(),
        ))
        .write(&txn)
        .await?;
    commit(txn).await?;
    state.cache_inventory_settings(saved.clone());
    state.checker.resize(saved.0.check_concurrency as usize);
    Ok(saved)
}
