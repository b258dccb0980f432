//! Playbooks: stored Ansible content with versions, default targets, variables, a launch survey
//! and options; launching one queues a run for a worker.

use super::audit::Event;
use super::not_found;
use super::runs::{self, TargetSpec};
use super::secrets::{find_references, SecretRef};
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::Utc;
use itmgr_auth::{perm, Capability, Principal};
use itmgr_domain::{HostRunStatus, PlaybookId, RunId, RunKind, RunStatus, RunTrigger};
use itmgr_storage::repo::playbooks::{self as repo, LastRun, Playbook, Version};
use itmgr_storage::repo::runs::{Run, RunHost};
use itmgr_storage::{Page, PageRequest, StorageError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use utoipa::ToSchema;
use zeroize::Zeroizing;

/// Largest playbook or extra file accepted.
pub const MAX_CONTENT: usize = 1 << 20;
/// Most extra files per playbook.
pub const MAX_FILES: usize = 50;

/// An extra file shipped with a playbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PlaybookFile {
    /// Relative path, e.g. `templates/motd.j2` or `requirements.yml`.
    pub path: String,
    pub content: String,
}

/// The type of a variable or survey answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VarType {
    String,
    Number,
    Boolean,
    /// Survey only: one of `choices`.
    Choice,
    /// Never stored in clear or shown after launch; masked in output. As a variable, the value
    /// names a vault secret.
    Secret,
}

/// A playbook variable (`value` may contain `{{ secret:NAME }}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Variable {
    pub name: String,
    #[serde(rename = "type")]
    pub var_type: VarType,
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
}

/// A question asked at launch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SurveyQuestion {
    /// The variable it sets.
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub var_type: VarType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub default: Option<serde_json::Value>,
    /// For `choice`.
    #[serde(default)]
    pub choices: Vec<String>,
}

/// `ansible-playbook` options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PlaybookOptions {
    /// `--check`: report what would change, change nothing.
    pub check: bool,
    /// `--diff`.
    pub diff: bool,
    pub tags: Vec<String>,
    pub skip_tags: Vec<String>,
    /// `--limit`, a pattern within the targets.
    pub limit: Option<String>,
    /// 0–4.
    pub verbosity: u8,
    /// 1–500.
    pub forks: u32,
    /// Time limit of the whole run, 10–86400 s.
    pub timeout_seconds: u32,
}

impl Default for PlaybookOptions {
    fn default() -> Self {
        Self {
            check: false,
            diff: false,
            tags: vec![],
            skip_tags: vec![],
            limit: None,
            verbosity: 0,
            forks: 20,
            timeout_seconds: 3600,
        }
    }
}

/// What a launch uses unless it overrides it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PlaybookDefaults {
    pub targets: TargetSpec,
    pub variables: Vec<Variable>,
    pub survey: Vec<SurveyQuestion>,
    pub options: PlaybookOptions,
    /// Name or id of the vault secret holding the Ansible Vault password, for playbooks with
    /// `!vault` values (given to Ansible as a 0600 file, never on the command line).
    pub vault_password_secret: Option<String>,
}

impl PartialEq for TargetSpec {
    fn eq(&self, o: &Self) -> bool {
        self.hosts == o.hosts && self.groups == o.groups && self.rule == o.rule
    }
}

/// A playbook kept in a Git repository (fetched into a cached mirror before each run, checked out
/// fresh per run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GitSource {
    /// `https://…`, `ssh://…`, `git@host:path` or `file://…`.
    pub url: String,
    /// Branch, tag or commit (default `main`).
    #[serde(default = "main")]
    pub git_ref: String,
    /// The playbook's path in the repository, e.g. `site.yml`.
    pub path: String,
    /// Name or id of a vault secret: an `ssh_key` for SSH URLs, a `token` or `password` for HTTPS.
    #[serde(default)]
    pub credential: Option<String>,
    /// The user for a token over HTTPS (default `git`).
    #[serde(default)]
    pub username: Option<String>,
}

fn main() -> String {
    "main".into()
}

/// A playbook to create or save.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlaybookInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The playbook's YAML (ignored with a Git `source`).
    #[serde(default)]
    pub content: String,
    /// Take the playbook from a Git repository instead of `content`.
    #[serde(default)]
    pub source: Option<GitSource>,
    #[serde(default)]
    pub files: Vec<PlaybookFile>,
    #[serde(default)]
    pub defaults: PlaybookDefaults,
    /// Runs of this playbook may overlap (default true).
    #[serde(default = "yes")]
    pub allow_parallel: bool,
    /// Retry after an infrastructure failure even once the playbook started changing hosts.
    #[serde(default)]
    pub retry_infrastructure: bool,
}

fn yes() -> bool {
    true
}

/// The typed view of a stored playbook.
pub struct Detail {
    pub source: Option<GitSource>,
    pub playbook: Playbook,
    pub defaults: PlaybookDefaults,
    pub version: Version,
    pub files: Vec<PlaybookFile>,
    pub last_run: Option<LastRun>,
}

fn var_name_ok(n: &str) -> bool {
    let mut c = n.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic() || ch == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        && n.len() <= 64
}

fn check_options(o: &PlaybookOptions, field: &str) -> ApiResult<()> {
    if o.verbosity > 4 {
        return Err(ApiError::field(format!("{field}.verbosity"), "0 to 4"));
    }
    if !(1..=500).contains(&o.forks) {
        return Err(ApiError::field(format!("{field}.forks"), "1 to 500"));
    }
    if !(10..=86_400).contains(&o.timeout_seconds) {
        return Err(ApiError::field(
            format!("{field}.timeout_seconds"),
            "10 to 86400 seconds",
        ));
    }
    for t in o.tags.iter().chain(&o.skip_tags) {
        if t.trim().is_empty() || t.contains(',') || t.len() > 100 {
            return Err(ApiError::field(
                format!("{field}.tags"),
                format!("bad tag {t:?}"),
            ));
        }
    }
    Ok(())
}

async fn check_input(state: &AppState, b: &PlaybookInput) -> ApiResult<()> {
    let name = b.name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(ApiError::field("name", "1 to 100 characters"));
    }
    if b.description.len() > 2000 {
        return Err(ApiError::field("description", "at most 2000 characters"));
    }
    if b.content.len() > MAX_CONTENT {
        return Err(ApiError::field("content", "at most 1 MiB"));
    }
    if let Some(g) = &b.source {
        check_git(state, g).await?;
    } else {
        itmgr_automation::validate_playbook(&b.content).map_err(|e| {
            ApiError::field(
                "content",
                match e.line {
                    Some(l) => format!("line {l}: {}", e.message),
                    None => e.message,
                },
            )
        })?;
    }
    if b.files.len() > MAX_FILES {
        return Err(ApiError::field(
            "files",
            format!("at most {MAX_FILES} files"),
        ));
    }
    let mut seen = HashSet::new();
    for f in &b.files {
        let p = std::path::Path::new(&f.path);
        let ok = !f.path.is_empty()
            && f.path.len() <= 200
            && f.path != "playbook.yml"
            && p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !ok {
            return Err(ApiError::field(
                "files",
                format!("{:?} is not a relative path inside the playbook", f.path),
            ));
        }
        if !seen.insert(&f.path) {
            return Err(ApiError::field(
                "files",
                format!("{:?} appears twice", f.path),
            ));
        }
        if f.content.len() > MAX_CONTENT {
            return Err(ApiError::field(
                "files",
                format!("{:?} is over 1 MiB", f.path),
            ));
        }
        if f.path.ends_with(".yml") || f.path.ends_with(".yaml") {
            serde_json::to_value(
                serde_yaml_check(&f.content)
                    .map_err(|e| ApiError::field("files", format!("{}: {e}", f.path)))?,
            )
            .ok();
        }
    }
    let d = &b.defaults;
    check_options(&d.options, "defaults.options")?;
    if let Some(v) = d
        .vault_password_secret
        .as_deref()
        .filter(|v| !v.trim().is_empty())
    {
        super::secrets::validate_references(
            state,
            &format!("{{{{ secret:{} }}}}", v.trim()),
            "defaults.vault_password_secret",
        )
        .await?;
    }
    let mut names = HashSet::new();
    for v in &d.variables {
        if !var_name_ok(&v.name) || !names.insert(v.name.as_str()) {
            return Err(ApiError::field(
                "defaults.variables",
                format!("bad or repeated variable name {:?}", v.name),
            ));
        }
        check_value(&v.name, v.var_type, &v.value, &[])
            .map_err(|m| ApiError::field("defaults.variables", m))?;
        if v.var_type == VarType::Secret {
            let name = v.value.as_str().unwrap_or_default();
            super::secrets::validate_references(
                state,
                &format!("{{{{ secret:{name} }}}}"),
                "defaults.variables",
            )
            .await?;
        } else if let Some(s) = v.value.as_str() {
            super::secrets::validate_references(state, s, "defaults.variables").await?;
        }
    }
    let mut qs = HashSet::new();
    for q in &d.survey {
        if !var_name_ok(&q.name) || !qs.insert(q.name.as_str()) {
            return Err(ApiError::field(
                "defaults.survey",
                format!("bad or repeated question name {:?}", q.name),
            ));
        }
        if q.var_type == VarType::Choice && q.choices.is_empty() {
            return Err(ApiError::field(
                "defaults.survey",
                format!("{}: a choice needs choices", q.name),
            ));
        }
        if let Some(def) = &q.default {
            if q.var_type == VarType::Secret {
                return Err(ApiError::field(
                    "defaults.survey",
                    format!("{}: a secret question cannot have a default", q.name),
                ));
            }
            check_value(&q.name, q.var_type, def, &q.choices)
                .map_err(|m| ApiError::field("defaults.survey", m))?;
        }
    }
    if let Some(r) = d.targets.rule.as_deref().filter(|r| !r.trim().is_empty()) {
        itmgr_rules::parse(r).map_err(|e| {
            ApiError::field(
                "defaults.targets",
                format!("rule, line {} column {}: {}", e.line, e.column, e.message),
            )
        })?;
    }
    Ok(())
}

fn serde_yaml_check(text: &str) -> Result<(), String> {
    // Files are only parsed to catch broken YAML early; templates are not YAML.
    itmgr_automation::validate_playbook(text)
        .or_else(|e| {
            if e.message.starts_with("not valid YAML") {
                Err(e)
            } else {
                Ok(())
            }
        })
        .map_err(|e| e.message)
}

/// Checks a value against its type.
fn check_value(
    name: &str,
    t: VarType,
    v: &serde_json::Value,
    choices: &[String],
) -> Result<(), String> {
    let ok = match t {
        VarType::String | VarType::Secret => v.is_string(),
        VarType::Number => v.is_number(),
        VarType::Boolean => v.is_boolean(),
        VarType::Choice => v.as_str().is_some_and(|s| choices.iter().any(|c| c == s)),
    };
    if ok {
        Ok(())
    } else if t == VarType::Choice {
        Err(format!("{name}: must be one of {}", choices.join(", ")))
    } else {
        Err(format!(
            "{name}: must be a {}",
            serde_json::to_value(t)
                .unwrap_or_default()
                .as_str()
                .unwrap_or("value")
        ))
    }
}

fn files_of(v: &Version) -> Vec<PlaybookFile> {
    serde_json::from_value(v.files.clone()).unwrap_or_default()
}

/// A playbook's Git source, if it has one.
pub fn git_source_of(p: &Playbook) -> Option<GitSource> {
    (p.source["kind"] == "git")
        .then(|| serde_json::from_value(p.source.clone()).ok())
        .flatten()
}

fn source_json(s: &Option<GitSource>) -> serde_json::Value {
    match s {
        None => serde_json::json!({ "kind": "stored" }),
        Some(g) => {
            let mut v = serde_json::to_value(g).unwrap_or_default();
            v["kind"] = "git".into();
            v
        }
    }
}

async fn check_git(state: &AppState, g: &GitSource) -> ApiResult<()> {
    let url = g.url.trim();
    let scheme_ok = ["https://", "http://", "ssh://", "file://"]
        .iter()
        .any(|p| url.starts_with(p))
        || (url.starts_with("git@") && url.contains(':'));
    if !scheme_ok || url.len() > 500 || url.contains(char::is_whitespace) {
        return Err(ApiError::field(
            "source.url",
            "use an https://, ssh://, git@host:path or file:// URL",
        ));
    }
    if url.contains('@') && url.starts_with("http") {
        return Err(ApiError::field(
            "source.url",
            "put credentials in the vault and name the secret, not in the URL",
        ));
    }
    if g.git_ref.trim().is_empty() || g.git_ref.starts_with('-') || g.git_ref.contains("..") {
        return Err(ApiError::field("source.git_ref", "a branch, tag or commit"));
    }
    let p = std::path::Path::new(&g.path);
    if g.path.is_empty()
        || !p
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        || !(g.path.ends_with(".yml") || g.path.ends_with(".yaml"))
    {
        return Err(ApiError::field(
            "source.path",
            "a relative path to a .yml or .yaml file",
        ));
    }
    if let Some(c) = g.credential.as_deref().filter(|c| !c.trim().is_empty()) {
        super::secrets::validate_references(
            state,
            &format!("{{{{ secret:{} }}}}", c.trim()),
            "source.credential",
        )
        .await?;
    }
    Ok(())
}

/// The typed defaults of a stored playbook.
pub fn defaults_of(p: &Playbook) -> PlaybookDefaults {
    serde_json::from_value(p.defaults.clone()).unwrap_or_default()
}

async fn detail(state: &AppState, p: Playbook) -> ApiResult<Detail> {
    let db = state.db.conn();
    let version = repo::version(db, p.id, p.current_version).await?;
    let last_run = repo::last_runs(db, &[p.id]).await?.pop().map(|x| x.1);
    Ok(Detail {
        source: git_source_of(&p),
        defaults: defaults_of(&p),
        files: files_of(&version),
        version,
        last_run,
        playbook: p,
    })
}

/// Playbooks with their latest run.
pub async fn list(
    state: &AppState,
    _cap: Capability<perm::PlaybooksRead>,
    q: Option<&str>,
    page: PageRequest,
) -> ApiResult<(Page<Playbook>, BTreeMap<PlaybookId, LastRun>)> {
    let db = state.db.conn();
    let page = repo::list(db, q, page).await?;
    let ids: Vec<PlaybookId> = page.items.iter().map(|p| p.id).collect();
    let last = repo::last_runs(db, &ids).await?.into_iter().collect();
    Ok((page, last))
}

/// One playbook with its current content.
pub async fn get(
    state: &AppState,
    _cap: Capability<perm::PlaybooksRead>,
    id: PlaybookId,
) -> ApiResult<Detail> {
    let p = repo::find(state.db.conn(), id)
        .await
        .map_err(not_found("playbook"))?;
    detail(state, p).await
}

fn conflict(e: StorageError) -> ApiError {
    match e {
        StorageError::Conflict { .. } => ApiError::Conflict {
            message: "A playbook with this name already exists".into(),
            field: Some("name"),
        },
        e => e.into(),
    }
}

/// Creates a playbook (version 1).
pub async fn create(
    state: &AppState,
    cap: Capability<perm::PlaybooksManage>,
    ctx: &RequestContext,
    b: PlaybookInput,
) -> ApiResult<Detail> {
    check_input(state, &b).await?;
    let now = Utc::now();
    let p = Playbook {
        id: PlaybookId::new(),
        name: b.name.trim().to_owned(),
        description: b.description.trim().to_owned(),
        source: source_json(&b.source),
        current_version: 1,
        defaults: serde_json::to_value(&b.defaults).unwrap_or_default(),
        allow_parallel: b.allow_parallel,
        retry_infrastructure: b.retry_infrastructure,
        created_by: Some(cap.principal().user_id),
        created_at: now,
        updated_at: now,
    };
    let v = Version {
        version: 1,
        content: b.content,
        files: serde_json::to_value(&b.files).unwrap_or_default(),
        created_by_name: cap.principal().username.clone(),
        created_at: now,
    };
    let txn = state.db.begin().await?;
    repo::insert(&txn, &p, &v).await.map_err(conflict)?;
    Event::new(ctx, Some(cap.principal()), "playbook.create")
        .target("playbook", p.id, Some(&p.name))
        .write(&txn)
        .await?;
    itmgr_storage::commit(txn).await?;
    detail(state, p).await
}

/// Saves a playbook; changed content or files become a new version.
pub async fn update(
    state: &AppState,
    cap: Capability<perm::PlaybooksManage>,
    ctx: &RequestContext,
    id: PlaybookId,
    b: PlaybookInput,
) -> ApiResult<Detail> {
    check_input(state, &b).await?;
    let db = state.db.conn();
    let mut p = repo::find(db, id).await.map_err(not_found("playbook"))?;
    let current = repo::version(db, id, p.current_version).await?;
    let files = serde_json::to_value(&b.files).unwrap_or_default();
    let changed = current.content != b.content || files_of(&current) != b.files;
    let now = Utc::now();
    p.name = b.name.trim().to_owned();
    p.description = b.description.trim().to_owned();
    p.source = source_json(&b.source);
    p.defaults = serde_json::to_value(&b.defaults).unwrap_or_default();
    p.allow_parallel = b.allow_parallel;
    p.retry_infrastructure = b.retry_infrastructure;
    p.updated_at = now;
    let new_version = changed.then(|| {
        p.current_version += 1;
        Version {
            version: p.current_version,
            content: b.content,
            files,
            created_by_name: cap.principal().username.clone(),
            created_at: now,
        }
    });
    repo::update(state.db.conn(), &p, new_version.as_ref())
        .await
        .map_err(conflict)?;
    Event::new(ctx, Some(cap.principal()), "playbook.update")
        .target("playbook", p.id, Some(&p.name))
        .diff(serde_json::json!({ "version": p.current_version, "content_changed": changed }))
        .write(db)
        .await?;
    detail(state, p).await
}

/// Deletes a playbook, its versions and schedules; its runs stay in the history.
pub async fn delete(
    state: &AppState,
    cap: Capability<perm::PlaybooksManage>,
    ctx: &RequestContext,
    id: PlaybookId,
) -> ApiResult<()> {
    let db = state.db.conn();
    let p = repo::find(db, id).await.map_err(not_found("playbook"))?;
    repo::delete(db, id).await?;
    Event::new(ctx, Some(cap.principal()), "playbook.delete")
        .target("playbook", id, Some(&p.name))
        .write(db)
        .await?;
    Ok(())
}

/// A playbook's versions, newest first.
pub async fn versions(
    state: &AppState,
    _cap: Capability<perm::PlaybooksRead>,
    id: PlaybookId,
) -> ApiResult<Vec<Version>> {
    repo::find(state.db.conn(), id)
        .await
        .map_err(not_found("playbook"))?;
    Ok(repo::versions(state.db.conn(), id).await?)
}

/// Makes an old version's content current again (as a new version).
pub async fn restore(
    state: &AppState,
    cap: Capability<perm::PlaybooksManage>,
    ctx: &RequestContext,
    id: PlaybookId,
    version: i32,
) -> ApiResult<Detail> {
    let db = state.db.conn();
    let mut p = repo::find(db, id).await.map_err(not_found("playbook"))?;
    let old = repo::version(db, id, version)
        .await
        .map_err(not_found("version"))?;
    p.current_version += 1;
    p.updated_at = Utc::now();
    let v = Version {
        version: p.current_version,
        content: old.content,
        files: old.files,
        created_by_name: cap.principal().username.clone(),
        created_at: p.updated_at,
    };
    repo::update(state.db.conn(), &p, Some(&v)).await?;
    Event::new(ctx, Some(cap.principal()), "playbook.restore")
        .target("playbook", id, Some(&p.name))
        .diff(serde_json::json!({ "restored": version, "version": p.current_version }))
        .write(db)
        .await?;
    detail(state, p).await
}

/// A launch: everything optional overrides the playbook's defaults.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct LaunchRequest {
    pub targets: Option<TargetSpec>,
    /// Variable overrides by name (values may contain `{{ secret:NAME }}`).
    #[schema(value_type = Object)]
    pub variables: BTreeMap<String, serde_json::Value>,
    /// Survey answers by question name.
    #[schema(value_type = Object)]
    pub survey: BTreeMap<String, serde_json::Value>,
    pub options: Option<PlaybookOptions>,
    /// `--check --diff`: change nothing, show what would change.
    pub dry_run: bool,
}

/// What a launch would run.
pub struct Plan {
    pub playbook: Playbook,
    pub hosts: Vec<itmgr_storage::repo::hosts::Host>,
    pub target: TargetSpec,
    pub options: PlaybookOptions,
    /// Variables as given (secret references, not values) plus survey answers (secret ones
    /// redacted): safe to store and show.
    pub shown_vars: BTreeMap<String, serde_json::Value>,
    /// Survey answers of type secret, kept only sealed in the job.
    pub secret_answers: BTreeMap<String, Zeroizing<String>>,
    pub dry_run: bool,
}

impl Plan {
    /// The command line the worker will run (without paths and secrets).
    pub fn command(&self) -> String {
        let o = &self.options;
        let mut c = vec!["ansible-playbook".to_owned()];
        if o.check {
            c.push("--check".into());
        }
        if o.diff {
            c.push("--diff".into());
        }
        if !o.tags.is_empty() {
            c.push(format!("--tags {}", o.tags.join(",")));
        }
        if !o.skip_tags.is_empty() {
            c.push(format!("--skip-tags {}", o.skip_tags.join(",")));
        }
        if let Some(l) = &o.limit {
            c.push(format!("--limit {l}"));
        }
        if o.verbosity > 0 {
            c.push(format!("-{}", "v".repeat(usize::from(o.verbosity))));
        }
        c.push(format!("--forks {}", o.forks));
        c.push(format!("{}.yml", self.playbook.name));
        c.join(" ")
    }
}

/// Resolves a launch without starting it.
pub async fn plan(state: &AppState, id: PlaybookId, b: LaunchRequest) -> ApiResult<Plan> {
    let p = repo::find(state.db.conn(), id)
        .await
        .map_err(not_found("playbook"))?;
    let d = defaults_of(&p);
    let target = b.targets.clone().unwrap_or(d.targets.clone());
    let hosts = runs::resolve(state, &target).await?;
    if hosts.is_empty() {
        return Err(ApiError::field("targets", "the selection matches no hosts"));
    }
    let mut options = b.options.clone().unwrap_or(d.options.clone());
    if b.dry_run {
        options.check = true;
        options.diff = true;
    }
    check_options(&options, "options")?;
    let mut shown: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for v in &d.variables {
        let value = if v.var_type == VarType::Secret {
            serde_json::Value::String(format!(
                "{{{{ secret:{} }}}}",
                v.value.as_str().unwrap_or_default()
            ))
        } else {
            v.value.clone()
        };
        shown.insert(v.name.clone(), value);
    }
    for (k, v) in &b.variables {
        if !var_name_ok(k) {
            return Err(ApiError::field(
                "variables",
                format!("bad variable name {k:?}"),
            ));
        }
        if let Some(s) = v.as_str() {
            super::secrets::validate_references(state, s, "variables").await?;
        }
        shown.insert(k.clone(), v.clone());
    }
    let mut secret_answers = BTreeMap::new();
    let mut missing = BTreeMap::new();
    for q in &d.survey {
        let answer = b.survey.get(&q.name).cloned().or(q.default.clone());
        let answer = answer.filter(|a| !(a.is_null() || a.as_str() == Some("")));
        match answer {
            None if q.required => {
                missing.insert(
                    format!("survey.{}", q.name),
                    "an answer is required".to_owned(),
                );
            }
            None => {}
            Some(a) => {
                if let Err(m) = check_value(&q.label, q.var_type, &a, &q.choices) {
                    missing.insert(format!("survey.{}", q.name), m);
                    continue;
                }
                if q.var_type == VarType::Secret {
                    secret_answers.insert(
                        q.name.clone(),
                        Zeroizing::new(a.as_str().unwrap_or_default().to_owned()),
                    );
                    shown.insert(q.name.clone(), "***".into());
                } else {
                    shown.insert(q.name.clone(), a);
                }
            }
        }
    }
    for k in b.survey.keys() {
        if !d.survey.iter().any(|q| &q.name == k) {
            missing.insert(format!("survey.{k}"), "no such question".into());
        }
    }
    if !missing.is_empty() {
        return Err(ApiError::Validation(missing));
    }
    Ok(Plan {
        playbook: p,
        hosts,
        target,
        options,
        shown_vars: shown,
        secret_answers,
        dry_run: b.dry_run,
    })
}

/// Seals launch-time secrets for the job (the worker may be another process).
fn seal_answers(
    state: &AppState,
    run: RunId,
    answers: &BTreeMap<String, Zeroizing<String>>,
) -> Option<serde_json::Value> {
    use base64::Engine;
    if answers.is_empty() {
        return None;
    }
    let plain: BTreeMap<&String, &str> = answers.iter().map(|(k, v)| (k, v.as_str())).collect();
    let text = Zeroizing::new(serde_json::to_vec(&plain).unwrap_or_default());
    let id = run.to_string();
    let env = state.vault.seal(
        itmgr_vault::Binding {
            secret_id: &id,
            kind: "launch-answers",
            value_version: 1,
        },
        &text,
    );
    let b = |x: &[u8]| base64::engine::general_purpose::STANDARD.encode(x);
    Some(serde_json::json!({
        "ciphertext": b(&env.ciphertext), "nonce": b(&env.nonce),
        "wrapped_key": b(&env.wrapped_key), "key_nonce": b(&env.key_nonce), "key_id": env.key_id,
    }))
}

/// Opens what [`seal_answers`] sealed.
pub(crate) fn open_answers(
    state: &AppState,
    run: RunId,
    sealed: &serde_json::Value,
) -> ApiResult<BTreeMap<String, Zeroizing<String>>> {
    use base64::Engine;
    let d = |k: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(sealed[k].as_str().unwrap_or_default())
            .map_err(|_| ApiError::Internal("launch answers cannot be opened".into()))
    };
    let env = itmgr_vault::Envelope {
        ciphertext: d("ciphertext")?,
        nonce: d("nonce")?,
        wrapped_key: d("wrapped_key")?,
        key_nonce: d("key_nonce")?,
        key_id: sealed["key_id"].as_str().unwrap_or_default().to_owned(),
    };
    let id = run.to_string();
    let plain = state
        .vault
        .open(
            itmgr_vault::Binding {
                secret_id: &id,
                kind: "launch-answers",
                value_version: 1,
            },
            &env,
        )
        .map_err(|_| ApiError::Internal("launch answers cannot be opened".into()))?;
    let map: BTreeMap<String, String> = serde_json::from_slice(&plain)
        .map_err(|_| ApiError::Internal("launch answers cannot be opened".into()))?;
    Ok(map
        .into_iter()
        .map(|(k, v)| (k, Zeroizing::new(v)))
        .collect())
}

/// Launches a playbook: stores the run with its target snapshot and queues it.
pub async fn launch(
    state: &AppState,
    principal: Option<&Principal>,
    ctx: &RequestContext,
    id: PlaybookId,
    b: LaunchRequest,
    trigger: RunTrigger,
) -> ApiResult<Run> {
    launch_as(state, principal, ctx, id, b, trigger, None).await
}

/// A launch that repeats run `of`: the same version of the content.
async fn launch_as(
    state: &AppState,
    principal: Option<&Principal>,
    ctx: &RequestContext,
    id: PlaybookId,
    b: LaunchRequest,
    trigger: RunTrigger,
    of: Option<(RunId, i32)>,
) -> ApiResult<Run> {
    let mut plan = plan(state, id, b).await?;
    if let Some((_, version)) = of {
        repo::version(state.db.conn(), id, version)
            .await
            .map_err(|_| ApiError::Conflict {
                message: format!("version {version} of the playbook no longer exists"),
                field: None,
            })?;
        plan.playbook.current_version = version;
    }
    let run_id = RunId::new();
    let hosts: Vec<RunHost> = runs::snapshot(&plan.hosts);
    let run = Run {
        id: run_id,
        kind: RunKind::Playbook,
        status: RunStatus::Queued,
        trigger,
        rerun_of: of.map(|o| o.0),
        created_by: principal.map(|p| p.user_id),
        created_by_name: principal.map_or_else(|| "scheduler".to_owned(), |p| p.username.clone()),
        title: format!(
            "{}{}",
            plan.playbook.name,
            if plan.dry_run { " (dry run)" } else { "" }
        ),
        target: serde_json::to_value(&plan.target).unwrap_or_default(),
        parameters: serde_json::json!({
            "playbook": plan.playbook.name, "version": plan.playbook.current_version,
            "variables": plan.shown_vars, "options": plan.options, "dry_run": plan.dry_run,
            "command": plan.command(),
        }),
        summary: runs::summary(&hosts),
        queued_at: Utc::now(),
        started_at: None,
        finished_at: None,
        error: None,
        playbook: Some((plan.playbook.id, plan.playbook.current_version)),
        exit_code: None,
    };
    let max_attempts = 3;
    let payload = seal_answers(state, run_id, &plan.secret_answers);
    runs::store_and_queue(state, &run, &hosts, max_attempts, payload).await?;
    Event::new(ctx, principal, "run.start")
        .target("run", run_id, Some(&run.title))
        .diff(serde_json::json!({
            "kind": "playbook", "playbook": plan.playbook.name,
            "version": plan.playbook.current_version, "hosts": hosts.len(),
            "dry_run": plan.dry_run, "trigger": trigger.as_str(),
        }))
        .write(state.db.conn())
        .await?;
    Ok(run)
}

/// Replaces every `{{ secret:… }}` in `text` with the secret's value; the values are added to
/// `secrets` for masking.
pub(crate) async fn substitute(
    state: &AppState,
    text: &str,
    secrets: &mut Vec<Zeroizing<String>>,
) -> ApiResult<String> {
    if find_references(text)?.is_empty() {
        return Ok(text.to_owned());
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let inner = after[..end].trim();
        out.push_str(&rest[..start]);
        if let Some(target) = inner.strip_prefix("secret:") {
            let target = target.trim();
            let r = match target.parse::<itmgr_domain::SecretId>() {
                Ok(id) => SecretRef::Id(id),
                Err(_) => SecretRef::Name(target.to_owned()),
            };
            let plain = super::secrets::resolve_for_run(state, &r).await?;
            out.push_str(&plain);
            secrets.push(plain);
        } else {
            out.push_str(&rest[start..start + 2 + end + 2]);
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Per-host status from Ansible's stats.
pub(crate) fn host_status(stats: &serde_json::Value) -> HostRunStatus {
    let n = |k: &str| stats[k].as_u64().unwrap_or(0);
    if n("unreachable") > 0 {
        HostRunStatus::Unreachable
    } else if n("failed") > 0 {
        HostRunStatus::Failed
    } else {
        HostRunStatus::Succeeded
    }
}

/// Runs a finished playbook run again (all hosts, or those that did not succeed) with the same
/// content version, variables and options. A run with secret survey answers cannot be repeated:
/// the answers were never stored.
pub async fn rerun(
    state: &AppState,
    principal: &Principal,
    ctx: &RequestContext,
    run: &Run,
    hosts: Vec<itmgr_domain::HostId>,
) -> ApiResult<Run> {
    let Some((pid, version)) = run.playbook else {
        return Err(ApiError::Internal("not a playbook run".into()));
    };
    let p = repo::find(state.db.conn(), pid)
        .await
        .map_err(|_| ApiError::Conflict {
            message: "The playbook was deleted".into(),
            field: None,
        })?;
    let d = defaults_of(&p);
    let mut variables = BTreeMap::new();
    let mut survey = BTreeMap::new();
    for (k, v) in run.parameters["variables"]
        .as_object()
        .cloned()
        .unwrap_or_default()
    {
        match d.survey.iter().find(|q| q.name == k) {
            Some(q) if q.var_type == VarType::Secret => {
                return Err(ApiError::Conflict {
                    message: format!(
                        "This run had a secret answer ({}); launch the playbook again to answer it",
                        q.label
                    ),
                    field: None,
                })
            }
            Some(_) => {
                survey.insert(k, v);
            }
            None => {
                variables.insert(k, v);
            }
        }
    }
    let options: PlaybookOptions =
        serde_json::from_value(run.parameters["options"].clone()).unwrap_or_default();
    let req = LaunchRequest {
        targets: Some(TargetSpec {
            hosts,
            ..Default::default()
        }),
        variables,
        survey,
        options: Some(options),
        dry_run: run.parameters["dry_run"].as_bool().unwrap_or(false),
    };
    launch_as(
        state,
        Some(principal),
        ctx,
        pid,
        req,
        RunTrigger::Rerun,
        Some((run.id, version)),
    )
    .await
}
