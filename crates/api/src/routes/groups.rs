//! `/api/v1/groups` and `/api/v1/inventory`: host groups, rule previews, membership, Ansible inventory.

use super::hosts::{Host, HostFilterParams, HostListParams, HostPage, HostSelection};
use super::page_type;
use crate::context::RequestContext;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Path, Query};
use crate::services::{self, groups::GroupInput};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use itmgr_auth::perm;
use itmgr_domain::{GroupId, GroupKind, HostId};
use itmgr_rules::Rule;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A host group.
#[derive(Debug, Serialize, ToSchema)]
pub struct Group {
    pub id: Uuid,
    /// Unique; also the Ansible group name.
    pub name: String,
    pub description: String,
    pub kind: GroupKind,
    /// The rule in its canonical text form (dynamic groups).
    pub rule: Option<String>,
    /// The same rule as the builder's JSON tree.
    #[schema(value_type = Option<Object>)]
    pub rule_json: Option<serde_json::Value>,
    /// Ansible group variables (values may hold `{{ secret:… }}` references).
    pub variables: BTreeMap<String, String>,
    /// Hosts in the group, nested groups included, each once.
    pub member_count: u64,
    pub parents: Vec<String>,
    pub children: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Send back on update; a stale one gets 409.
    pub version: i64,
}

impl From<services::groups::GroupView> for Group {
    fn from(v: services::groups::GroupView) -> Self {
        let g = v.group;
        Self {
            id: g.id.as_uuid(),
            rule_json: g.rule.as_ref().and_then(|r| serde_json::to_value(r).ok()),
            rule: g.rule_text,
            name: g.name,
            description: g.description,
            kind: g.kind,
            variables: g.variables,
            member_count: v.member_count,
            parents: v.parents,
            children: v.children,
            created_at: g.created_at,
            updated_at: g.updated_at,
            version: g.version,
        }
    }
}

/// All groups (installations have hundreds).
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    pub items: Vec<Group>,
    pub total: u64,
}

/// Group list filter.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupListParams {
    /// Free text over name and description.
    pub q: Option<String>,
}

/// Lists groups with member counts and nesting.
#[utoipa::path(get, path = "/api/v1/groups", tag = "groups", params(GroupListParams),
    responses((status = 200, body = GroupList)), security(("bearer" = [])))]
pub async fn list_groups(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<GroupListParams>,
) -> ApiResult<axum::Json<GroupList>> {
    let cap = p.require::<perm::HostsRead>()?;
    let items: Vec<Group> = services::groups::list(&state, cap, q.q.as_deref())
        .await?
        .into_iter()
        .map(Group::from)
        .collect();
    Ok(axum::Json(GroupList {
        total: items.len() as u64,
        items,
    }))
}

/// Reads a group.
#[utoipa::path(get, path = "/api/v1/groups/{id}", tag = "groups", params(("id" = Uuid, Path)),
    responses((status = 200, body = Group), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_group(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<GroupId>,
) -> ApiResult<axum::Json<Group>> {
    let cap = p.require::<perm::HostsRead>()?;
    Ok(axum::Json(
        services::groups::get(&state, cap, id).await?.into(),
    ))
}

/// A new group.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateGroupRequest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub kind: GroupKind,
    /// Dynamic groups: the rule as text (wins over `rule_json`).
    pub rule: Option<String>,
    /// Dynamic groups: the rule as a JSON tree.
    #[schema(value_type = Option<Object>)]
    pub rule_json: Option<Rule>,
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    /// Names or ids of child groups.
    #[serde(default)]
    pub children: Vec<String>,
}

/// Creates a group; a dynamic group is filled at once.
#[utoipa::path(post, path = "/api/v1/groups", tag = "groups", request_body = CreateGroupRequest,
    responses((status = 201, body = Group), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_group(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<CreateGroupRequest>,
) -> ApiResult<(StatusCode, axum::Json<Group>)> {
    let cap = p.require::<perm::GroupsManage>()?;
    let input = GroupInput {
        name: b.name,
        description: b.description,
        kind: b.kind,
        rule: b.rule,
        rule_json: b.rule_json,
        variables: b.variables,
        children: b.children,
    };
    let g = services::groups::create(&state, cap, &ctx, input).await?;
    Ok((StatusCode::CREATED, axum::Json(g.into())))
}

/// Changes to a group; absent fields are kept.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateGroupRequest {
    pub version: i64,
    pub name: Option<String>,
    pub description: Option<String>,
    pub kind: Option<GroupKind>,
    pub rule: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub rule_json: Option<Rule>,
    pub variables: Option<BTreeMap<String, String>>,
    pub children: Option<Vec<String>>,
}

/// Changes a group; membership follows a new rule or nesting at once.
#[utoipa::path(patch, path = "/api/v1/groups/{id}", tag = "groups", params(("id" = Uuid, Path)), request_body = UpdateGroupRequest,
    responses((status = 200, body = Group), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_group(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<GroupId>,
    Json(b): Json<UpdateGroupRequest>,
) -> ApiResult<axum::Json<Group>> {
    let cap = p.require::<perm::GroupsManage>()?;
    let g = services::groups::update(&state, cap, &ctx, id, b.version, |i| {
        if let Some(v) = b.name {
            i.name = v;
        }
        if let Some(v) = b.description {
            i.description = v;
        }
        if let Some(v) = b.kind {
            i.kind = v;
        }
        if b.rule.is_some() || b.rule_json.is_some() {
            i.rule = b.rule;
            i.rule_json = b.rule_json;
        }
        if let Some(v) = b.variables {
            i.variables = v;
        }
        if let Some(v) = b.children {
            i.children = v;
        }
    })
    .await?;
    Ok(axum::Json(g.into()))
}

/// Deletes a group (409 while other groups' rules use it).
#[utoipa::path(delete, path = "/api/v1/groups/{id}", tag = "groups", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn delete_group(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<GroupId>,
) -> ApiResult<StatusCode> {
    let cap = p.require::<perm::GroupsManage>()?;
    services::groups::delete(&state, cap, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many memberships changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembersChanged {
    pub changed: usize,
}

/// Adds hosts to a static group.
#[utoipa::path(post, path = "/api/v1/groups/{id}/members", tag = "groups", params(("id" = Uuid, Path)), request_body = HostSelection,
    responses((status = 200, body = MembersChanged), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn add_group_members(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<GroupId>,
    Json(b): Json<HostSelection>,
) -> ApiResult<axum::Json<MembersChanged>> {
    let cap = p.require::<perm::GroupsManage>()?;
    let changed = services::groups::change_members(
        &state,
        cap,
        &ctx,
        id,
        &super::hosts::selection(b.ids)?,
        true,
    )
    .await?;
    Ok(axum::Json(MembersChanged { changed }))
}

/// Removes hosts from a static group.
#[utoipa::path(post, path = "/api/v1/groups/{id}/members/remove", tag = "groups", params(("id" = Uuid, Path)), request_body = HostSelection,
    responses((status = 200, body = MembersChanged), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn remove_group_members(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<GroupId>,
    Json(b): Json<HostSelection>,
) -> ApiResult<axum::Json<MembersChanged>> {
    let cap = p.require::<perm::GroupsManage>()?;
    let changed = services::groups::change_members(
        &state,
        cap,
        &ctx,
        id,
        &super::hosts::selection(b.ids)?,
        false,
    )
    .await?;
    Ok(axum::Json(MembersChanged { changed }))
}

/// The hosts in a group (nested groups included) with the host list's filters, sorting and facets.
#[utoipa::path(get, path = "/api/v1/groups/{id}/members", tag = "groups", params(("id" = Uuid, Path), HostFilterParams, HostListParams),
    responses((status = 200, body = HostPage), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_group_members(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<GroupId>,
    Query(f): Query<HostFilterParams>,
    Query(l): Query<HostListParams>,
) -> ApiResult<axum::Json<HostPage>> {
    let cap = p.require::<perm::HostsRead>()?;
    let page = services::page(l.limit, l.offset);
    let (sort, desc) = super::hosts::parse_sort(l.sort.as_deref())?;
    let (hosts, facets) =
        services::groups::members(&state, cap, id, f.filter()?, sort, desc, page).await?;
    Ok(axum::Json(
        super::hosts::host_page(&state, hosts, facets, page).await?,
    ))
}

/// An unsaved rule to evaluate.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PreviewRequest {
    /// The rule as text (wins over `rule_json`).
    pub rule: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub rule_json: Option<Rule>,
    /// Hosts to return (default 20).
    pub limit: Option<u64>,
}

/// Where and why a rule does not parse.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The preview of a rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewResult {
    pub valid: bool,
    /// Set when the rule does not parse.
    pub error: Option<RuleError>,
    /// The canonical text of the rule.
    pub rule: Option<String>,
    /// The rule as a JSON tree (for the visual builder).
    #[schema(value_type = Option<Object>)]
    pub rule_json: Option<serde_json::Value>,
    /// Hosts matching now.
    pub total: u64,
    pub hosts: Vec<Host>,
}

/// Evaluates an unsaved rule: its canonical forms, the number of matching hosts and the first
/// ones, or where it fails to parse.
#[utoipa::path(post, path = "/api/v1/groups/preview", tag = "groups", request_body = PreviewRequest,
    responses((status = 200, body = PreviewResult)), security(("bearer" = [])))]
pub async fn preview_rule(
    State(state): State<AppState>,
    Auth(p): Auth,
    Json(b): Json<PreviewRequest>,
) -> ApiResult<axum::Json<PreviewResult>> {
    let cap = p.require::<perm::HostsRead>()?;
    let page = services::page(Some(b.limit.unwrap_or(20)), None);
    let r = services::groups::preview(&state, cap, b.rule.as_deref(), b.rule_json.as_ref(), page)
        .await?;
    let view = super::hosts::HostView::load(&state, &r.hosts).await?;
    Ok(axum::Json(match r.rule {
        Err(e) => PreviewResult {
            valid: false,
            error: Some(RuleError {
                line: e.line,
                column: e.column,
                message: e.message,
            }),
            rule: None,
            rule_json: None,
            total: 0,
            hosts: vec![],
        },
        Ok(rule) => PreviewResult {
            valid: true,
            error: None,
            rule_json: serde_json::to_value(&rule).ok(),
            rule: Some(rule.to_string()),
            total: r.total,
            hosts: r.hosts.into_iter().map(|h| view.host(h)).collect(),
        },
    }))
}

/// Which way a membership changed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MembershipChangeKind {
    Joined,
    Left,
}

/// A membership change.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipEvent {
    pub group_id: Uuid,
    pub group_name: String,
    pub host_id: Uuid,
    pub host_name: String,
    pub at: DateTime<Utc>,
    pub change: MembershipChangeKind,
    /// Why, e.g. "matches the rule …", "added by alice", "the host was deleted".
    pub reason: String,
}

page_type!(MembershipEventPage, MembershipEvent);

async fn events_page(
    state: &AppState,
    p: &itmgr_auth::Principal,
    group: Option<GroupId>,
    host: Option<HostId>,
    q: super::PageParams,
) -> ApiResult<MembershipEventPage> {
    let cap = p.require::<perm::HostsRead>()?;
    let page = services::page(q.limit, q.offset);
    let (events, names) =
        services::groups::membership_events(state, cap, group, host, page).await?;
    Ok(MembershipEventPage::from_page(events, page, |e| {
        MembershipEvent {
            group_name: names.get(&e.group_id).cloned().unwrap_or_default(),
            group_id: e.group_id.as_uuid(),
            host_id: e.host_id.as_uuid(),
            host_name: e.host_name,
            at: e.at,
            change: if e.joined {
                MembershipChangeKind::Joined
            } else {
                MembershipChangeKind::Left
            },
            reason: e.reason,
        }
    }))
}

/// Who joined and left a group, when and why.
#[utoipa::path(get, path = "/api/v1/groups/{id}/membership-events", tag = "groups", params(("id" = Uuid, Path), super::PageParams),
    responses((status = 200, body = MembershipEventPage)), security(("bearer" = [])))]
pub async fn get_group_membership_events(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<GroupId>,
    Query(q): Query<super::PageParams>,
) -> ApiResult<axum::Json<MembershipEventPage>> {
    Ok(axum::Json(
        events_page(&state, &p, Some(id), None, q).await?,
    ))
}

/// The groups a host joined and left, when and why.
#[utoipa::path(get, path = "/api/v1/hosts/{id}/membership-events", tag = "groups", params(("id" = Uuid, Path), super::PageParams),
    responses((status = 200, body = MembershipEventPage)), security(("bearer" = [])))]
pub async fn get_host_membership_events(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<HostId>,
    Query(q): Query<super::PageParams>,
) -> ApiResult<axum::Json<MembershipEventPage>> {
    Ok(axum::Json(
        events_page(&state, &p, None, Some(id), q).await?,
    ))
}

/// A tag key and its common values.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagHint {
    pub key: String,
    pub values: Vec<String>,
}

/// What the rule editor autocompletes.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleHints {
    /// Fixed fields (`tags.<key>` stands for any tag).
    pub fields: Vec<String>,
    /// Operators.
    pub operators: Vec<String>,
    /// The most used tag keys with their most used values.
    pub tags: Vec<TagHint>,
    /// Group names for `in_group`.
    pub groups: Vec<String>,
}

/// Fields, operators, known tag keys/values and group names for the rule editor.
#[utoipa::path(get, path = "/api/v1/groups/rule-hints", tag = "groups",
    responses((status = 200, body = RuleHints)), security(("bearer" = [])))]
pub async fn get_rule_hints(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<RuleHints>> {
    let cap = p.require::<perm::HostsRead>()?;
    let tags = services::groups::tag_hints(&state, cap).await?;
    let groups = services::groups::list(&state, p.require::<perm::HostsRead>()?, None)
        .await?
        .into_iter()
        .map(|g| g.group.name)
        .collect();
    Ok(axum::Json(RuleHints {
        fields: itmgr_rules::Field::NAMES
            .iter()
            .map(|s| s.to_string())
            .collect(),
        operators: [
            "==",
            "!=",
            "=~",
            "in",
            "exists",
            "contains",
            "starts_with",
            "<",
            "<=",
            ">",
            ">=",
            "AND",
            "OR",
            "NOT",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        tags: tags
            .into_iter()
            .map(|(key, values)| TagHint { key, values })
            .collect(),
        groups,
    }))
}

/// Inventory formats.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum AnsibleFormat {
    /// Dynamic-inventory JSON (`_meta.hostvars`).
    #[default]
    Json,
    Ini,
    Yaml,
}

/// Inventory selection.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InventoryParams {
    pub format: Option<AnsibleFormat>,
    /// Only these groups (comma-separated names), with their nested groups.
    pub groups: Option<String>,
    /// Only these hosts (comma-separated ids).
    pub hosts: Option<String>,
}

/// The inventory for Ansible (`ansible-inventory -i` reads every format).
#[utoipa::path(get, path = "/api/v1/inventory", tag = "groups", params(InventoryParams),
    responses((status = 200, description = "The inventory", content_type = "application/json")), security(("bearer" = [])))]
pub async fn get_inventory(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<InventoryParams>,
) -> ApiResult<impl IntoResponse> {
    let cap = p.require::<perm::HostsRead>()?;
    let hosts = super::hosts::host_ids(&q.hosts)?;
    let inv =
        services::groups::inventory(&state, cap, &super::hosts::split(&q.groups), hosts).await?;
    let (mime, ext, body) = match q.format.unwrap_or_default() {
        AnsibleFormat::Json => (
            "application/json",
            "json",
            serde_json::to_string_pretty(&itmgr_inventory::to_json(&inv)).unwrap_or_default(),
        ),
        AnsibleFormat::Ini => (
            "text/plain; charset=utf-8",
            "ini",
            itmgr_inventory::to_ini(&inv),
        ),
        AnsibleFormat::Yaml => ("application/yaml", "yaml", itmgr_inventory::to_yaml(&inv)),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"inventory.{ext}\""),
            ),
        ],
        body,
    ))
}
