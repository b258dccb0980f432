//! Host groups, their nesting, materialized direct membership and its history.

use crate::entities::group_children as children;
use crate::entities::group_members as members;
use crate::entities::group_membership_events as events;
use crate::entities::host_groups::{ActiveModel, Column, Entity, Model};
use crate::{Page, PageRequest, Result, StorageError};
use chrono::{DateTime, Utc};
use itmgr_domain::{GroupId, GroupKind, HostId, UserId};
use itmgr_rules::Rule;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// A stored group.
#[derive(Debug, Clone)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    pub kind: GroupKind,
    /// The rule as written (dynamic groups).
    pub rule_text: Option<String>,
    pub rule: Option<Rule>,
    /// Ansible group variables; values may hold `{{ secret:… }}` references.
    pub variables: BTreeMap<String, String>,
    pub created_by: Option<UserId>,
    pub updated_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl TryFrom<Model> for Group {
    type Error = StorageError;
    fn try_from(m: Model) -> Result<Self> {
        Ok(Self {
            id: GroupId::from_uuid(m.id),
            kind: m
                .kind
                .parse()
                .map_err(|_| StorageError::Integrity(format!("group kind {:?}", m.kind)))?,
            rule: m
                .rule
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| StorageError::Integrity(format!("group rule: {e}")))?,
            variables: serde_json::from_value(m.variables).unwrap_or_default(),
            name: m.name,
            description: m.description,
            rule_text: m.rule_text,
            created_by: m.created_by.map(UserId::from_uuid),
            updated_by: m.updated_by.map(UserId::from_uuid),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
        })
    }
}

/// Validated group fields.
#[derive(Debug, Clone)]
pub struct GroupFields {
    pub name: String,
    pub description: String,
    pub kind: GroupKind,
    pub rule_text: Option<String>,
    pub rule: Option<Rule>,
    pub variables: BTreeMap<String, String>,
}

/// Inserts a group; a taken name is `Conflict { field: "name" }`.
pub async fn insert(
    db: &impl ConnectionTrait,
    f: GroupFields,
    by: Option<UserId>,
) -> Result<Group> {
    let now = Utc::now();
    ActiveModel {
        id: Set(GroupId::new().as_uuid()),
        name: Set(f.name),
        description: Set(f.description),
        kind: Set(f.kind.as_str().to_owned()),
        rule_text: Set(f.rule_text),
        rule: Set(f.rule.map(|r| serde_json::to_value(r).unwrap_or_default())),
        variables: Set(serde_json::to_value(f.variables).unwrap_or_default()),
        created_by: Set(by.map(|u| u.as_uuid())),
        updated_by: Set(by.map(|u| u.as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(db)
    .await
    .map_err(|e| StorageError::from_write(e, &["name"]))?
    .try_into()
}

/// Finds a group by id.
pub async fn find_by_id(db: &impl ConnectionTrait, id: GroupId) -> Result<Group> {
    Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .try_into()
}

/// Every group, by name (installations have hundreds, not millions).
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Group>> {
    Entity::find()
        .order_by_asc(Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(Group::try_from)
        .collect()
}

/// Replaces a group's fields when `version` is current.
pub async fn update(
    db: &impl ConnectionTrait,
    id: GroupId,
    version: i64,
    by: Option<UserId>,
    f: GroupFields,
) -> Result<Group> {
    let rows = Entity::update_many()
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(Column::UpdatedBy, Expr::value(by.map(|u| u.as_uuid())))
        .col_expr(Column::Name, Expr::value(f.name))
        .col_expr(Column::Description, Expr::value(f.description))
        .col_expr(Column::Kind, Expr::value(f.kind.as_str()))
        .col_expr(Column::RuleText, Expr::value(f.rule_text))
        .col_expr(
            Column::Rule,
            Expr::value(f.rule.map(|r| serde_json::to_value(r).unwrap_or_default())),
        )
        .col_expr(
            Column::Variables,
            Expr::value(serde_json::to_value(f.variables).unwrap_or_default()),
        )
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::Version.eq(version))
        .exec(db)
        .await
        .map_err(|e| StorageError::from_write(e, &["name"]))?
        .rows_affected;
    if rows == 0 {
        find_by_id(db, id).await?;
        return Err(StorageError::StaleVersion);
    }
    find_by_id(db, id).await
}

/// Deletes a group with its memberships, nesting links and history.
pub async fn delete(db: &impl ConnectionTrait, id: GroupId) -> Result<()> {
    let g = id.as_uuid();
    members::Entity::delete_many()
        .filter(members::Column::GroupId.eq(g))
        .exec(db)
        .await?;
    children::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(children::Column::ParentId.eq(g))
                .add(children::Column::ChildId.eq(g)),
        )
        .exec(db)
        .await?;
    events::Entity::delete_many()
        .filter(events::Column::GroupId.eq(g))
        .exec(db)
        .await?;
    if Entity::delete_by_id(g).exec(db).await?.rows_affected == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Every nesting link as (parent, child).
pub async fn edges(db: &impl ConnectionTrait) -> Result<Vec<(GroupId, GroupId)>> {
    Ok(children::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            (
                GroupId::from_uuid(m.parent_id),
                GroupId::from_uuid(m.child_id),
            )
        })
        .collect())
}

/// Replaces a group's children.
pub async fn set_children(
    db: &impl ConnectionTrait,
    parent: GroupId,
    kids: &[GroupId],
) -> Result<()> {
    children::Entity::delete_many()
        .filter(children::Column::ParentId.eq(parent.as_uuid()))
        .exec(db)
        .await?;
    if kids.is_empty() {
        return Ok(());
    }
    children::Entity::insert_many(kids.iter().map(|c| children::ActiveModel {
        parent_id: Set(parent.as_uuid()),
        child_id: Set(c.as_uuid()),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Direct members of a group.
pub async fn member_ids(db: &impl ConnectionTrait, group: GroupId) -> Result<Vec<HostId>> {
    Ok(members::Entity::find()
        .select_only()
        .column(members::Column::HostId)
        .filter(members::Column::GroupId.eq(group.as_uuid()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .map(HostId::from_uuid)
        .collect())
}

/// The groups a host is a direct member of.
pub async fn groups_of_host(db: &impl ConnectionTrait, host: HostId) -> Result<Vec<GroupId>> {
    Ok(members::Entity::find()
        .select_only()
        .column(members::Column::GroupId)
        .filter(members::Column::HostId.eq(host.as_uuid()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .map(GroupId::from_uuid)
        .collect())
}

#[derive(FromQueryResult)]
struct CountRow {
    group_id: Uuid,
    n: i64,
}

/// Direct member counts per group.
pub async fn member_counts(db: &impl ConnectionTrait) -> Result<HashMap<GroupId, u64>> {
    Ok(members::Entity::find()
        .select_only()
        .column(members::Column::GroupId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .group_by(members::Column::GroupId)
        .into_model::<CountRow>()
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            (
                GroupId::from_uuid(r.group_id),
                u64::try_from(r.n).unwrap_or(0),
            )
        })
        .collect())
}

/// A membership change to record.
#[derive(Debug, Clone)]
pub struct MembershipChange {
    pub host_id: HostId,
    pub host_name: String,
    pub joined: bool,
    pub reason: String,
}

/// Applies membership changes to a group and records each in the history.
pub async fn apply_changes(
    db: &impl ConnectionTrait,
    group: GroupId,
    changes: &[MembershipChange],
) -> Result<()> {
    let now = Utc::now();
    let (join, leave): (Vec<&MembershipChange>, Vec<&MembershipChange>) =
        changes.iter().partition(|c| c.joined);
    for chunk in leave.chunks(500) {
        members::Entity::delete_many()
            .filter(members::Column::GroupId.eq(group.as_uuid()))
            .filter(members::Column::HostId.is_in(chunk.iter().map(|c| c.host_id.as_uuid())))
            .exec(db)
            .await?;
    }
    for chunk in join.chunks(500) {
        members::Entity::insert_many(chunk.iter().map(|c| members::ActiveModel {
            group_id: Set(group.as_uuid()),
            host_id: Set(c.host_id.as_uuid()),
            since: Set(now),
        }))
        .exec(db)
        .await?;
    }
    for chunk in changes.chunks(500) {
        events::Entity::insert_many(chunk.iter().map(|c| events::ActiveModel {
            group_id: Set(group.as_uuid()),
            host_id: Set(c.host_id.as_uuid()),
            host_name: Set(c.host_name.clone()),
            at: Set(now),
            change: Set(if c.joined { "joined" } else { "left" }.into()),
            reason: Set(c.reason.clone()),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Drops a deleted host from every group (its history stays).
pub async fn forget_host(db: &impl ConnectionTrait, host: HostId) -> Result<()> {
    members::Entity::delete_many()
        .filter(members::Column::HostId.eq(host.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// A recorded membership change.
#[derive(Debug, Clone)]
pub struct MembershipEvent {
    pub group_id: GroupId,
    pub host_id: HostId,
    pub host_name: String,
    pub at: DateTime<Utc>,
    pub joined: bool,
    pub reason: String,
}

/// Membership history of a group or of a host, newest first.
pub async fn membership_events(
    db: &impl ConnectionTrait,
    group: Option<GroupId>,
    host: Option<HostId>,
    page: PageRequest,
) -> Result<Page<MembershipEvent>> {
    let mut q = events::Entity::find();
    if let Some(g) = group {
        q = q.filter(events::Column::GroupId.eq(g.as_uuid()));
    }
    if let Some(h) = host {
        q = q.filter(events::Column::HostId.eq(h.as_uuid()));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(events::Column::At)
        .order_by_desc(events::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|m| MembershipEvent {
                group_id: GroupId::from_uuid(m.group_id),
                host_id: HostId::from_uuid(m.host_id),
                host_name: m.host_name,
                at: m.at,
                joined: m.change == "joined",
                reason: m.reason,
            })
            .collect(),
        total,
    })
}
