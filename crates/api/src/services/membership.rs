//! Keeps dynamic group membership materialized and correct.
//!
//! Direct members of a dynamic group are the hosts its rule matches; `in_group("x")` means "a
//! direct member of x or of one of x's descendants". Groups are recomputed in dependency order (a
//! group after the groups its rule refers to), so one pass settles everything. Entry points:
//! a single host changed ([`host_changed`], evaluated in memory), many hosts changed
//! ([`hosts_changed`], SQL over the subset), a group changed ([`group_changed`], SQL), and the
//! periodic [`reconcile`] that repairs any drift and reports how much it fixed.

use itmgr_domain::{GroupId, GroupKind, HostId};
use itmgr_rules::{Facts, Field, Rule};
use itmgr_storage::repo::groups::{self as repo, Group, MembershipChange};
use itmgr_storage::repo::hosts::{self as hosts_repo, Host, HostFilter};
use itmgr_storage::repo::rule_sql::GroupSets;
use itmgr_storage::{ConnectionTrait, Result, StorageError};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The groups and their nesting, loaded once per operation.
pub struct Graph {
    pub groups: Vec<Group>,
    pub edges: Vec<(GroupId, GroupId)>,
}

impl Graph {
    /// Loads every group and link.
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self> {
        Ok(Self {
            groups: repo::all(db).await?,
            edges: repo::edges(db).await?,
        })
    }

    /// The group and everything nested below it.
    pub fn descendants(&self, id: GroupId) -> Vec<GroupId> {
        let mut out = vec![id];
        let mut seen: HashSet<GroupId> = HashSet::from([id]);
        let mut i = 0;
        while i < out.len() {
            let cur = out[i];
            for (p, c) in &self.edges {
                if *p == cur && seen.insert(*c) {
                    out.push(*c);
                }
            }
            i += 1;
        }
        out
    }

    /// Name → the ids `in_group(name)` covers.
    pub fn sets(&self) -> GroupSets {
        self.groups
            .iter()
            .map(|g| {
                (
                    g.name.clone(),
                    self.descendants(g.id).iter().map(|i| i.as_uuid()).collect(),
                )
            })
            .collect()
    }

    /// Whether making `children` the children of `parent` closes a loop.
    pub fn nesting_cycle(&self, parent: GroupId, children: &[GroupId]) -> bool {
        let mut g = Graph {
            groups: Vec::new(),
            edges: self
                .edges
                .iter()
                .filter(|(p, _)| *p != parent)
                .copied()
                .collect(),
        };
        g.edges.extend(children.iter().map(|c| (parent, *c)));
        children
            .iter()
            .any(|c| *c == parent || g.descendants(*c).contains(&parent))
    }

    /// The groups a dynamic group's rule reads (through `in_group`, with their descendants).
    fn depends_on(&self, g: &Group, sets: &GroupSets) -> Vec<GroupId> {
        let Some(rule) = &g.rule else { return vec![] };
        rule.groups()
            .iter()
            .filter_map(|n| sets.get(n))
            .flatten()
            .map(|u| GroupId::from_uuid(*u))
            .collect()
    }

    /// Dynamic groups in dependency order; `Err(name)` names a group on a dependency cycle.
    pub fn order(&self) -> std::result::Result<Vec<GroupId>, String> {
        let sets = self.sets();
        let by_id: HashMap<GroupId, &Group> = self.groups.iter().map(|g| (g.id, g)).collect();
        let mut out = Vec::new();
        let mut state: HashMap<GroupId, u8> = HashMap::new(); // 1 visiting, 2 done
        fn visit(
            id: GroupId,
            graph: &Graph,
            by_id: &HashMap<GroupId, &Group>,
            sets: &GroupSets,
            state: &mut HashMap<GroupId, u8>,
            out: &mut Vec<GroupId>,
        ) -> std::result::Result<(), String> {
            match state.get(&id) {
                Some(2) => return Ok(()),
                Some(1) => return Err(by_id.get(&id).map(|g| g.name.clone()).unwrap_or_default()),
                _ => {}
            }
            state.insert(id, 1);
            if let Some(g) = by_id.get(&id) {
                for dep in graph.depends_on(g, sets) {
                    visit(dep, graph, by_id, sets, state, out)?;
                }
                if g.kind == GroupKind::Dynamic {
                    out.push(id);
                }
            }
            state.insert(id, 2);
            Ok(())
        }
        for g in &self.groups {
            visit(g.id, self, &by_id, &sets, &mut state, &mut out)?;
        }
        Ok(out)
    }

    fn get(&self, id: GroupId) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
}

/// A host as the rule evaluator sees it.
pub struct HostFacts<'a> {
    pub host: &'a Host,
    /// The groups the host is a direct member of.
    pub direct: &'a HashSet<uuid::Uuid>,
    pub sets: &'a GroupSets,
}

impl Facts for HostFacts<'_> {
    fn text(&self, field: &Field) -> Option<&str> {
        match field {
            Field::Name => Some(&self.host.name),
            Field::Address => Some(&self.host.address),
            Field::Os => self.host.os.as_deref(),
            Field::Environment => self.host.environment.as_deref(),
            Field::Status => Some(self.host.status.as_str()),
            Field::Description => Some(&self.host.description),
            Field::Tag(k) => self.host.tags.get(k).map(String::as_str),
            Field::Port => None,
        }
    }
    fn port(&self) -> i64 {
        i64::from(self.host.port)
    }
    fn in_group(&self, name: &str) -> bool {
        self.sets
            .get(name)
            .is_some_and(|ids| ids.iter().any(|i| self.direct.contains(i)))
    }
}

fn reason_for(rule: &Rule, joined: bool) -> String {
    if joined {
        format!("matches the rule {rule}")
    } else {
        format!("no longer matches the rule {rule}")
    }
}

/// Recomputes one host's membership of every dynamic group, in memory. Returns the changes made.
pub async fn host_changed(db: &impl ConnectionTrait, id: HostId) -> Result<usize> {
    let graph = Graph::load(db).await?;
    let Ok(order) = graph.order() else {
        return Ok(0); // a cycle cannot be saved; nothing sensible to do with one
    };
    if order.is_empty() {
        return Ok(0);
    }
    let host = match hosts_repo::find_by_id(db, id).await {
        Ok(h) => h,
        Err(StorageError::NotFound) => return Ok(0),
        Err(e) => return Err(e),
    };
    let sets = graph.sets();
    let mut direct: HashSet<uuid::Uuid> = repo::groups_of_host(db, id)
        .await?
        .into_iter()
        .map(|g| g.as_uuid())
        .collect();
    let mut changes = 0;
    for gid in order {
        let Some(group) = graph.get(gid) else {
            continue;
        };
        let Some(rule) = &group.rule else { continue };
        let matches = rule.matches(&HostFacts {
            host: &host,
            direct: &direct,
            sets: &sets,
        });
        let member = direct.contains(&gid.as_uuid());
        if matches != member {
            repo::apply_changes(
                db,
                gid,
                &[MembershipChange {
                    host_id: id,
                    host_name: host.name.clone(),
                    joined: matches,
                    reason: reason_for(rule, matches),
                }],
            )
            .await?;
            if matches {
                direct.insert(gid.as_uuid());
            } else {
                direct.remove(&gid.as_uuid());
            }
            changes += 1;
        }
    }
    Ok(changes)
}

async fn names(db: &impl ConnectionTrait, ids: &[HostId]) -> Result<HashMap<HostId, String>> {
    let hosts = hosts_repo::all(
        db,
        &HostFilter {
            ids: Some(ids.to_vec()),
            ..Default::default()
        },
    )
    .await?;
    Ok(hosts.into_iter().map(|h| (h.id, h.name)).collect())
}

/// Brings one dynamic group in line with its rule, over all hosts or a subset; returns the changes.
async fn settle(
    db: &impl ConnectionTrait,
    group: &Group,
    sets: &GroupSets,
    subset: Option<&[HostId]>,
    why: Option<&str>,
) -> Result<usize> {
    let Some(rule) = &group.rule else {
        return Ok(0);
    };
    let mut matching = Vec::new();
    let mut current: BTreeSet<HostId> = repo::member_ids(db, group.id).await?.into_iter().collect();
    match subset {
        None => {
            matching = hosts_repo::ids(
                db,
                &HostFilter {
                    rule: Some((rule.clone(), sets.clone())),
                    ..Default::default()
                },
            )
            .await?;
        }
        Some(ids) => {
            let wanted: HashSet<HostId> = ids.iter().copied().collect();
            current.retain(|h| wanted.contains(h));
            for chunk in ids.chunks(500) {
                matching.extend(
                    hosts_repo::ids(
                        db,
                        &HostFilter {
                            ids: Some(chunk.to_vec()),
                            rule: Some((rule.clone(), sets.clone())),
                            ..Default::default()
                        },
                    )
                    .await?,
                );
            }
        }
    }
    let matching: BTreeSet<HostId> = matching.into_iter().collect();
    let joined: Vec<HostId> = matching.difference(&current).copied().collect();
    let left: Vec<HostId> = current.difference(&matching).copied().collect();
    if joined.is_empty() && left.is_empty() {
        return Ok(0);
    }
    let all: Vec<HostId> = joined.iter().chain(left.iter()).copied().collect();
    let mut name_of = HashMap::new();
    for chunk in all.chunks(500) {
        name_of.extend(names(db, chunk).await?);
    }
    let change = |h: &HostId, j: bool| MembershipChange {
        host_id: *h,
        host_name: name_of.get(h).cloned().unwrap_or_default(),
        joined: j,
        reason: match why {
            Some(w) => format!("{w}: {}", reason_for(rule, j)),
            None => reason_for(rule, j),
        },
    };
    let changes: Vec<MembershipChange> = joined
        .iter()
        .map(|h| change(h, true))
        .chain(left.iter().map(|h| change(h, false)))
        .collect();
    repo::apply_changes(db, group.id, &changes).await?;
    Ok(changes.len())
}

/// Recomputes the given hosts' membership of every dynamic group (imports, bulk edits, status
/// changes), with SQL over the subset.
pub async fn hosts_changed(
    db: &impl ConnectionTrait,
    ids: &[HostId],
    only_status: bool,
) -> Result<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let graph = Graph::load(db).await?;
    let Ok(order) = graph.order() else {
        return Ok(0);
    };
    let sets = graph.sets();
    let mut n = 0;
    for gid in order {
        let Some(g) = graph.get(gid) else { continue };
        if only_status
            && !g
                .rule
                .as_ref()
                .is_some_and(|r| r.uses(&Field::Status) || !r.groups().is_empty())
        {
            continue;
        }
        n += settle(db, g, &sets, Some(ids), None).await?;
    }
    Ok(n)
}

/// Recomputes a group that changed (rule, members or nesting) and every dynamic group after it in
/// dependency order (they may read it through `in_group`).
pub async fn group_changed(
    db: &impl ConnectionTrait,
    changed: GroupId,
    why: &str,
) -> Result<usize> {
    let graph = Graph::load(db).await?;
    let Ok(order) = graph.order() else {
        return Ok(0);
    };
    let sets = graph.sets();
    let start = order.iter().position(|g| *g == changed).unwrap_or(0);
    let mut n = 0;
    for gid in &order[start..] {
        if let Some(g) = graph.get(*gid) {
            n += settle(db, g, &sets, None, Some(why)).await?;
        }
    }
    Ok(n)
}

/// Recomputes every dynamic group from scratch; returns how many memberships were wrong.
pub async fn reconcile(db: &impl ConnectionTrait) -> Result<usize> {
    let graph = Graph::load(db).await?;
    let Ok(order) = graph.order() else {
        return Ok(0);
    };
    let sets = graph.sets();
    let mut n = 0;
    for gid in order {
        if let Some(g) = graph.get(gid) {
            n += settle(db, g, &sets, None, Some("reconcile")).await?;
        }
    }
    Ok(n)
}

/// The periodic reconcile: repairs drift in one transaction and, when it fixed anything, says so
/// in the log and the audit log (drift means a bug or a manual database edit worth knowing about).
pub async fn reconcile_and_report(
    state: &crate::state::AppState,
) -> crate::error::ApiResult<usize> {
    let txn = state.db.begin().await?;
    let fixed = reconcile(&txn).await?;
    if fixed > 0 {
        super::audit::Event::system("group.reconcile")
            .target("group", "all", None)
            .diff(serde_json::json!({ "fixed": fixed }))
            .write(&txn)
            .await?;
        tracing::warn!(fixed, "group membership reconcile repaired drift");
    }
    itmgr_storage::commit(txn).await?;
    Ok(fixed)
}
