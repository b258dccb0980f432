//! Host groups: static lists and rule-defined dynamic groups, nesting (cycles refused), variables
//! that become Ansible group vars, previews of unsaved rules, and the Ansible inventory.

use super::audit::Event;
use super::membership::{self, Graph};
use super::not_found;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::state::AppState;
use itmgr_auth::{perm, Capability};
use itmgr_domain::{GroupId, GroupKind, GroupName, HostId};
use itmgr_rules::{ParseError, Rule};
use itmgr_storage::repo::groups::{self as repo, Group, GroupFields, MembershipChange};
use itmgr_storage::repo::hosts::{self as hosts_repo, Host, HostFilter, HostSort};
use itmgr_storage::{commit, ConnectionTrait, Page, PageRequest};
use std::collections::{BTreeMap, HashMap};

/// A group as submitted.
#[derive(Debug, Clone)]
pub struct GroupInput {
    pub name: String,
    pub description: String,
    pub kind: GroupKind,
    /// The rule as text (dynamic groups); wins over `rule_json`.
    pub rule: Option<String>,
    /// The rule as the builder's JSON tree.
    pub rule_json: Option<Rule>,
    pub variables: BTreeMap<String, String>,
    /// Names or ids of child groups.
    pub children: Vec<String>,
}

/// Parses a rule given as text or JSON; the error names the position (text) or the problem (JSON).
pub fn parse_rule(text: Option<&str>, json: Option<&Rule>) -> Result<Rule, ParseError> {
    match (text.map(str::trim).filter(|t| !t.is_empty()), json) {
        (Some(t), _) => itmgr_rules::parse(t),
        (None, Some(r)) => {
            let r = r.clone().normalize();
            r.validate().map(|_| r.clone()).map_err(|e| ParseError {
                line: 1,
                column: 1,
                message: e.0,
            })
        }
        (None, None) => Err(ParseError {
            line: 1,
            column: 1,
            message: "a dynamic group needs a rule".into(),
        }),
    }
}

fn rule_error(e: ParseError) -> ApiError {
    ApiError::field("rule", e.to_string())
}

async fn validate(
    state: &AppState,
    graph: &Graph,
    me: Option<GroupId>,
    input: &GroupInput,
) -> ApiResult<(GroupFields, Vec<GroupId>)> {
    let mut errors = FieldErrors::default();
    let name = errors.check(GroupName::parse(&input.name));
    if input.description.chars().count() > 1024 {
        errors.add("description", "must be at most 1024 characters");
    }
    for (k, v) in &input.variables {
        let ok = (1..=128).contains(&k.len())
            && k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            errors.add(
                "variables",
                format!("{k:?} is not a valid Ansible variable name"),
            );
        }
        if v.len() > 16 * 1024 {
            errors.add(
                "variables",
                format!("the value of {k} is longer than 16 KiB"),
            );
        }
    }
    let mut children = Vec::new();
    for c in &input.children {
        match graph
            .groups
            .iter()
            .find(|g| g.name == *c || g.id.to_string() == *c)
        {
            Some(g) => children.push(g.id),
            None => errors.add("children", format!("no group named {c:?}")),
        }
    }
    errors.finish()?;
    for v in input.variables.values() {
        super::secrets::validate_references(state, v, "variables").await?;
    }
    let (rule_text, rule) = match input.kind {
        GroupKind::Static => (None, None),
        GroupKind::Dynamic => {
            let rule =
                parse_rule(input.rule.as_deref(), input.rule_json.as_ref()).map_err(rule_error)?;
            (Some(rule.to_string()), Some(rule))
        }
    };
    let name = name.ok_or_else(|| ApiError::field("name", "is required"))?;
    // Cycles: nesting, then rule dependencies with this group in its new shape.
    // A new group is nobody's child yet, so only an existing one can close a nesting loop.
    if let Some(me) = me {
        if graph.nesting_cycle(me, &children) {
            return Err(ApiError::field(
                "children",
                "would make the group contain itself",
            ));
        }
    }
    let mut trial = Graph {
        groups: graph
            .groups
            .iter()
            .filter(|g| Some(g.id) != me)
            .cloned()
            .collect(),
        edges: graph
            .edges
            .iter()
            .filter(|(p, _)| Some(*p) != me)
            .copied()
            .collect(),
    };
    let id = me.unwrap_or_default();
    trial.groups.push(Group {
        id,
        name: name.as_str().to_owned(),
        description: String::new(),
        kind: input.kind,
        rule_text: None,
        rule: rule.clone(),
        variables: BTreeMap::new(),
        created_by: None,
        updated_by: None,
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
        version: 0,
    });
    trial.edges.extend(children.iter().map(|c| (id, *c)));
    if let Err(on) = trial.order() {
        return Err(ApiError::field(
            "rule",
            format!("in_group would make a loop through group {on:?}"),
        ));
    }
    Ok((
        GroupFields {
            name: name.into_inner(),
            description: input.description.trim().to_owned(),
            kind: input.kind,
            rule_text,
            rule,
            variables: input.variables.clone(),
        },
        children,
    ))
}

/// A group with what the list shows.
pub struct GroupView {
    pub group: Group,
    /// Hosts in the group, counting nested groups (each host once).
    pub member_count: u64,
    pub parents: Vec<String>,
    pub children: Vec<String>,
}

async fn views(
    db: &impl ConnectionTrait,
    graph: &Graph,
    only: Option<GroupId>,
) -> ApiResult<Vec<GroupView>> {
    let name: HashMap<GroupId, String> = graph
        .groups
        .iter()
        .map(|g| (g.id, g.name.clone()))
        .collect();
    let mut out = Vec::new();
    for g in &graph.groups {
        if only.is_some_and(|o| o != g.id) {
            continue;
        }
        let ids: Vec<uuid::Uuid> = graph
            .descendants(g.id)
            .iter()
            .map(|i| i.as_uuid())
            .collect();
        let (count, _) = hosts_repo::facets(
            db,
            &HostFilter {
                groups: Some(ids),
                ..Default::default()
            },
        )
        .await?;
        out.push(GroupView {
            member_count: count,
            parents: graph
                .edges
                .iter()
                .filter(|(_, c)| *c == g.id)
                .filter_map(|(p, _)| name.get(p).cloned())
                .collect(),
            children: graph
                .edges
                .iter()
                .filter(|(p, _)| *p == g.id)
                .filter_map(|(_, c)| name.get(c).cloned())
                .collect(),
            group: g.clone(),
        });
    }
    Ok(out)
}

/// Lists groups (optionally filtered by name).
pub async fn list(
    state: &AppState,
    _cap: Capability<perm::HostsRead>,
    q: Option<&str>,
) -> ApiResult<Vec<GroupView>> {
    let db = state.db.conn();
    let graph = Graph::load(db).await?;
    let all = views(db, &graph, None).await?;
    Ok(match q.map(str::to_lowercase).filter(|q| !q.is_empty()) {
        None => all,
        Some(q) => all
            .into_iter()
            .filter(|v| {
                v.group.name.to_lowercase().contains(&q)
                    || v.group.description.to_lowercase().contains(&q)
            })
            .collect(),
    })
}

/// Reads one group.
pub async fn get(
    state: &AppState,
    _cap: Capability<perm::HostsRead>,
    id: GroupId,
) -> ApiResult<GroupView> {
    let db = state.db.conn();
    let graph = Graph::load(db).await?;
    views(db, &graph, Some(id))
        .await?
        .pop()
        .ok_or(ApiError::NotFound("group"))
}

fn audit_view(g: &Group, children: &[GroupId]) -> serde_json::Value {
    serde_json::json!({
        "name": g.name, "kind": g.kind.as_str(), "description": g.description,
        "rule": g.rule_text, "variables": g.variables,
        "children": children.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
    })
}

/// Creates a group (a dynamic one is filled at once).
pub async fn create(
    state: &AppState,
    cap: Capability<perm::GroupsManage>,
    ctx: &RequestContext,
    input: GroupInput,
) -> ApiResult<GroupView> {
    let txn = state.db.begin().await?;
    let graph = Graph::load(&txn).await?;
    let (fields, children) = validate(state, &graph, None, &input).await?;
    let group = repo::insert(&txn, fields, Some(cap.principal().user_id)).await?;
    repo::set_children(&txn, group.id, &children).await?;
    let joined = membership::group_changed(&txn, group.id, "group created").await?;
    Event::new(ctx, Some(cap.principal()), "group.create")
        .target("group", group.id, Some(&group.name))
        .diff(serde_json::json!({ "group": audit_view(&group, &children), "members": joined }))
        .write(&txn)
        .await?;
    let graph = Graph::load(&txn).await?;
    let view = views(&txn, &graph, Some(group.id)).await?.pop();
    commit(txn).await?;
    view.ok_or(ApiError::NotFound("group"))
}

/// Replaces a group's definition when `version` is current; membership follows.
pub async fn update(
    state: &AppState,
    cap: Capability<perm::GroupsManage>,
    ctx: &RequestContext,
    id: GroupId,
    version: i64,
    change: impl FnOnce(&mut GroupInput),
) -> ApiResult<GroupView> {
    let txn = state.db.begin().await?;
    let graph = Graph::load(&txn).await?;
    let before = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("group"))?;
    let before_children: Vec<GroupId> = graph
        .edges
        .iter()
        .filter(|(p, _)| *p == id)
        .map(|(_, c)| *c)
        .collect();
    let mut input = GroupInput {
        name: before.name.clone(),
        description: before.description.clone(),
        kind: before.kind,
        rule: before.rule_text.clone(),
        rule_json: None,
        variables: before.variables.clone(),
        children: before_children.iter().map(|c| c.to_string()).collect(),
    };
    change(&mut input);
    let (fields, children) = validate(state, &graph, Some(id), &input).await?;
    // A dynamic group turned static keeps its current members as its list.
    let after = repo::update(&txn, id, version, Some(cap.principal().user_id), fields).await?;
    repo::set_children(&txn, id, &children).await?;
    let changed = membership::group_changed(&txn, id, "group changed").await?;
    let mut d = serde_json::Map::new();
    let (b, a) = (
        audit_view(&before, &before_children),
        audit_view(&after, &children),
    );
    for (k, v) in a.as_object().into_iter().flatten() {
        if b.get(k) != Some(v) {
            d.insert(k.clone(), serde_json::json!({ "from": b.get(k), "to": v }));
        }
    }
    d.insert("membership_changes".into(), changed.into());
    Event::new(ctx, Some(cap.principal()), "group.update")
        .target("group", id, Some(&after.name))
        .diff(serde_json::Value::Object(d))
        .write(&txn)
        .await?;
    let graph = Graph::load(&txn).await?;
    let view = views(&txn, &graph, Some(id)).await?.pop();
    commit(txn).await?;
    view.ok_or(ApiError::NotFound("group"))
}

/// Deletes a group; groups whose rules read it are recomputed.
pub async fn delete(
    state: &AppState,
    cap: Capability<perm::GroupsManage>,
    ctx: &RequestContext,
    id: GroupId,
) -> ApiResult<()> {
    let txn = state.db.begin().await?;
    let graph = Graph::load(&txn).await?;
    let group = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("group"))?;
    let readers: Vec<String> = graph
        .groups
        .iter()
        .filter(|g| {
            g.id != id
                && g.rule
                    .as_ref()
                    .is_some_and(|r| r.groups().contains(&group.name))
        })
        .map(|g| g.name.clone())
        .collect();
    if !readers.is_empty() {
        return Err(ApiError::Conflict {
            message: format!(
                "The rules of {} use in_group({:?}); change them first.",
                readers.join(", "),
                group.name
            ),
            field: None,
        });
    }
    repo::delete(&txn, id).await?;
    Event::new(ctx, Some(cap.principal()), "group.delete")
        .target("group", id, Some(&group.name))
        .diff(audit_view(&group, &[]))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(())
}

/// Adds or removes hosts of a static group; dependents follow.
pub async fn change_members(
    state: &AppState,
    cap: Capability<perm::GroupsManage>,
    ctx: &RequestContext,
    id: GroupId,
    hosts: &[HostId],
    add: bool,
) -> ApiResult<usize> {
    let txn = state.db.begin().await?;
    let group = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("group"))?;
    if group.kind != GroupKind::Static {
        return Err(ApiError::Conflict {
            message: "A dynamic group's members come from its rule; edit the rule instead.".into(),
            field: None,
        });
    }
    let current: std::collections::HashSet<HostId> =
        repo::member_ids(&txn, id).await?.into_iter().collect();
    let found = hosts_repo::all(
        &txn,
        &HostFilter {
            ids: Some(hosts.to_vec()),
            ..Default::default()
        },
    )
    .await?;
    let changes: Vec<MembershipChange> = found
        .iter()
        .filter(|h| current.contains(&h.id) != add)
        .map(|h| MembershipChange {
            host_id: h.id,
            host_name: h.name.clone(),
            joined: add,
            reason: format!(
                "{} by {}",
                if add { "added" } else { "removed" },
                cap.principal().username
            ),
        })
        .collect();
    repo::apply_changes(&txn, id, &changes).await?;
    membership::group_changed(&txn, id, "a group it reads changed").await?;
    Event::new(
        ctx,
        Some(cap.principal()),
        if add {
            "group.add_members"
        } else {
            "group.remove_members"
        },
    )
    .target("group", id, Some(&group.name))
    .diff(serde_json::json!({ "hosts": changes.iter().map(|c| &c.host_name).collect::<Vec<_>>() }))
    .write(&txn)
    .await?;
    commit(txn).await?;
    Ok(changes.len())
}

/// The hosts in a group (nested groups included), with the host list's filters.
pub async fn members(
    state: &AppState,
    _cap: Capability<perm::HostsRead>,
    id: GroupId,
    mut filter: HostFilter,
    sort: HostSort,
    descending: bool,
    page: PageRequest,
) -> ApiResult<(Page<Host>, hosts_repo::Facets)> {
    let db = state.db.conn();
    let graph = Graph::load(db).await?;
    if !graph.groups.iter().any(|g| g.id == id) {
        return Err(ApiError::NotFound("group"));
    }
    filter.groups = Some(graph.descendants(id).iter().map(|g| g.as_uuid()).collect());
    let items = hosts_repo::page(db, &filter, sort, descending, page).await?;
    let (total, facets) = hosts_repo::facets(db, &filter).await?;
    Ok((Page { items, total }, facets))
}

/// The result of evaluating an unsaved rule.
pub struct Preview {
    pub rule: Result<Rule, ParseError>,
    pub total: u64,
    pub hosts: Vec<Host>,
}

/// Evaluates an unsaved rule: count and first page, or the parse error.
pub async fn preview(
    state: &AppState,
    _cap: Capability<perm::HostsRead>,
    text: Option<&str>,
    json: Option<&Rule>,
    page: PageRequest,
) -> ApiResult<Preview> {
    let rule = match parse_rule(text, json) {
        Ok(r) => r,
        Err(e) => {
            return Ok(Preview {
                rule: Err(e),
                total: 0,
                hosts: vec![],
            })
        }
    };
    let db = state.db.conn();
    let graph = Graph::load(db).await?;
    let filter = HostFilter {
        rule: Some((rule.clone(), graph.sets())),
        ..Default::default()
    };
    let hosts = hosts_repo::page(db, &filter, HostSort::Name, false, page).await?;
    let (total, _) = hosts_repo::facets(db, &filter).await?;
    Ok(Preview {
        rule: Ok(rule),
        total,
        hosts,
    })
}

/// Membership history of a group or a host.
pub async fn membership_events(
    state: &AppState,
    _cap: Capability<perm::HostsRead>,
    group: Option<GroupId>,
    host: Option<HostId>,
    page: PageRequest,
) -> ApiResult<(Page<repo::MembershipEvent>, HashMap<GroupId, String>)> {
    let db = state.db.conn();
    let names = repo::all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    Ok((repo::membership_events(db, group, host, page).await?, names))
}

/// Tag keys with their most common values, for rule autocomplete.
pub async fn tag_hints(
    state: &AppState,
    _cap: Capability<perm::HostsRead>,
) -> ApiResult<Vec<(String, Vec<String>)>> {
    Ok(hosts_repo::tag_hints(state.db.conn(), 200, 20).await?)
}

/// The inventory for Ansible: hosts (optionally only some groups' or some hosts) with their vars,
/// groups with direct members, children and vars.
pub async fn inventory(
    state: &AppState,
    _cap: Capability<perm::HostsRead>,
    only_groups: &[String],
    only_hosts: Option<Vec<HostId>>,
) -> ApiResult<itmgr_inventory::Inventory> {
    let db = state.db.conn();
    let graph = Graph::load(db).await?;
    let mut selected: Vec<&Group> = Vec::new();
    for n in only_groups {
        let g = graph
            .groups
            .iter()
            .find(|g| g.name == *n)
            .ok_or_else(|| ApiError::field("groups", format!("no group named {n:?}")))?;
        for d in graph.descendants(g.id) {
            if let Some(dg) = graph.groups.iter().find(|x| x.id == d) {
                if !selected.iter().any(|s| s.id == dg.id) {
                    selected.push(dg);
                }
            }
        }
    }
    if only_groups.is_empty() {
        selected = graph.groups.iter().collect();
    }
    let mut filter = HostFilter {
        ids: only_hosts,
        ..Default::default()
    };
    if !only_groups.is_empty() {
        filter.groups = Some(selected.iter().map(|g| g.id.as_uuid()).collect());
    }
    let hosts = hosts_repo::all(db, &filter).await?;
    let in_scope: std::collections::HashSet<HostId> = hosts.iter().map(|h| h.id).collect();
    let name_of: HashMap<HostId, String> = hosts.iter().map(|h| (h.id, h.name.clone())).collect();
    let mut groups = Vec::new();
    for g in &selected {
        let mut members: Vec<String> = repo::member_ids(db, g.id)
            .await?
            .into_iter()
            .filter(|h| in_scope.contains(h))
            .filter_map(|h| name_of.get(&h).cloned())
            .collect();
        members.sort();
        groups.push(itmgr_inventory::InventoryGroup {
            name: g.name.clone(),
            hosts: members,
            children: graph
                .edges
                .iter()
                .filter(|(p, _)| *p == g.id)
                .filter_map(|(_, c)| selected.iter().find(|s| s.id == *c).map(|s| s.name.clone()))
                .collect(),
            vars: g.variables.clone(),
        });
    }
    Ok(itmgr_inventory::Inventory {
        hosts: hosts
            .into_iter()
            .map(|h| itmgr_inventory::ExportHost {
                name: h.name,
                address: h.address,
                port: h.port,
                os: h.os,
                environment: h.environment,
                description: h.description,
                tags: h.tags,
                credential: None,
                check_method: None,
            })
            .collect(),
        groups,
    })
}
