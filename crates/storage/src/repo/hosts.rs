//! The host inventory: hosts, tags, status transitions, facets and the inventory settings row.

use super::contains_ci_fast;
use crate::entities::host_status_events as events;
use crate::entities::host_tags as tags;
use crate::entities::hosts::{ActiveModel, Column, Entity, Model};
use crate::entities::inventory_settings as inv;
use crate::{Page, PageRequest, Result, StorageError};
use chrono::{DateTime, Utc};
use itmgr_domain::{
    CheckMethod, HostAddress, HostId, HostName, HostStatus, InventorySettings, Label, Port,
    SecretId, TerminalRecording, UserId,
};
use sea_orm::sea_query::{Expr, ExprTrait, NullOrdering, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::BTreeMap;

/// A stored host.
#[derive(Debug, Clone)]
pub struct Host {
    pub id: HostId,
    pub name: String,
    pub address: String,
    pub port: u16,
    pub os: Option<String>,
    pub environment: Option<String>,
    pub description: String,
    pub tags: BTreeMap<String, String>,
    pub credential_id: Option<SecretId>,
    /// `None`: the inventory default applies.
    pub check_method: Option<CheckMethod>,
    pub status: HostStatus,
    pub last_check_at: Option<DateTime<Utc>>,
    pub latency_ms: Option<f64>,
    pub last_error: Option<String>,
    /// The SSH host key recorded on first contact (`algorithm base64`).
    pub host_key: Option<String>,
    pub host_key_fingerprint: Option<String>,
    pub created_by: Option<UserId>,
    pub updated_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// Also offer legacy SSH algorithms (old devices).
    pub legacy_ssh: bool,
    /// Whether its terminal sessions are recorded.
    pub terminal_recording: TerminalRecording,
}

impl TryFrom<Model> for Host {
    type Error = StorageError;
    fn try_from(m: Model) -> Result<Self> {
        let bad = |what: &str, v: &str| StorageError::Integrity(format!("host {what} {v:?}"));
        Ok(Self {
            id: HostId::from_uuid(m.id),
            port: u16::try_from(m.port).map_err(|_| bad("port", &m.port.to_string()))?,
            check_method: m
                .check_method
                .as_deref()
                .map(|s| s.parse().map_err(|_| bad("check method", s)))
                .transpose()?,
            status: m.status.parse().map_err(|_| bad("status", &m.status))?,
            tags: serde_json::from_value(m.tags).unwrap_or_default(),
            credential_id: m.credential_id.map(SecretId::from_uuid),
            name: m.name,
            address: m.address,
            os: m.os,
            environment: m.environment,
            description: m.description,
            last_check_at: m.last_check_at,
            latency_ms: m.latency_ms,
            last_error: m.last_error,
            host_key: m.host_key,
            host_key_fingerprint: m.host_key_fingerprint,
            created_by: m.created_by.map(UserId::from_uuid),
            updated_by: m.updated_by.map(UserId::from_uuid),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            legacy_ssh: m.legacy_ssh,
            terminal_recording: m
                .terminal_recording
                .parse()
                .map_err(|_| bad("terminal recording", &m.terminal_recording))?,
        })
    }
}

/// The validated fields of a host, for create and full update.
#[derive(Debug, Clone)]
pub struct HostFields {
    pub name: HostName,
    pub address: HostAddress,
    pub port: Port,
    pub os: Option<Label>,
    pub environment: Option<Label>,
    pub description: String,
    pub tags: BTreeMap<String, String>,
    pub credential_id: Option<SecretId>,
    pub check_method: Option<CheckMethod>,
    pub legacy_ssh: bool,
    pub terminal_recording: TerminalRecording,
}

/// Columns a list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostSort {
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

impl HostSort {
    fn column(self) -> Column {
        match self {
            HostSort::Name => Column::Name,
            HostSort::Address => Column::Address,
            HostSort::Port => Column::Port,
            HostSort::Os => Column::Os,
            HostSort::Environment => Column::Environment,
            HostSort::Status => Column::Status,
            HostSort::LastCheckAt => Column::LastCheckAt,
            HostSort::Latency => Column::LatencyMs,
            HostSort::CreatedAt => Column::CreatedAt,
            HostSort::UpdatedAt => Column::UpdatedAt,
        }
    }
}

/// List filters; every field narrows the result.
#[derive(Debug, Clone, Default)]
pub struct HostFilter {
    /// Free text over name, address and description.
    pub q: Option<String>,
    pub status: Vec<HostStatus>,
    pub environment: Vec<String>,
    pub os: Vec<String>,
    /// `(key, Some(value))` for `key=value`, `(key, None)` for "has the tag".
    pub tags: Vec<(String, Option<String>)>,
    pub credential_id: Option<SecretId>,
    /// Only these hosts (a selection).
    pub ids: Option<Vec<HostId>>,
    /// Only members (direct) of any of these groups; the caller includes descendants.
    pub groups: Option<Vec<uuid::Uuid>>,
    /// Only hosts matching a rule, with the group sets its `in_group` calls refer to.
    pub rule: Option<(itmgr_rules::Rule, super::rule_sql::GroupSets)>,
    /// The engine, for rules (set by the repository from the connection).
    pub backend: Option<sea_orm::DbBackend>,
}

/// Stands for "not set" in environment and OS filters (parentheses never occur in labels).
pub const NOT_SET: &str = "(none)";

fn label_in(col: Column, values: &[String]) -> Condition {
    let set: Vec<String> = values.iter().filter(|v| *v != NOT_SET).cloned().collect();
    let mut any = Condition::any();
    if values.iter().any(|v| v == NOT_SET) {
        any = any.add(col.is_null());
    }
    if !set.is_empty() {
        any = any.add(col.is_in(set));
    }
    any
}

/// The filter as a condition; `dims: false` leaves out the status/environment/OS filters (the
/// facet cube applies those itself).
fn condition(f: &HostFilter, dims: bool) -> Condition {
    let backend = f.backend.unwrap_or(sea_orm::DbBackend::Sqlite);
    let mut c = Condition::all();
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        c = c.add(
            Condition::any()
                .add(contains_ci_fast(backend, Column::Name, q))
                .add(contains_ci_fast(backend, Column::Address, q))
                .add(contains_ci_fast(backend, Column::Description, q)),
        );
    }
    if !f.status.is_empty() && dims {
        c = c.add(Column::Status.is_in(f.status.iter().map(|s| s.as_str())));
    }
    if !f.environment.is_empty() && dims {
        c = c.add(label_in(Column::Environment, &f.environment));
    }
    if !f.os.is_empty() && dims {
        c = c.add(label_in(Column::Os, &f.os));
    }
    for (key, value) in &f.tags {
        let mut sub = Query::select();
        sub.column(tags::Column::HostId)
            .from(tags::Entity)
            .and_where(tags::Column::Key.eq(key.clone()));
        if let Some(v) = value {
            sub.and_where(tags::Column::Value.eq(v.clone()));
        }
        c = c.add(Column::Id.in_subquery(sub.to_owned()));
    }
    if let Some(cred) = f.credential_id {
        c = c.add(Column::CredentialId.eq(cred.as_uuid()));
    }
    if let Some(ids) = &f.ids {
        c = c.add(Column::Id.is_in(ids.iter().map(|i| i.as_uuid())));
    }
    if let Some(groups) = &f.groups {
        let mut sub = Query::select();
        sub.column(crate::entities::group_members::Column::HostId)
            .from(crate::entities::group_members::Entity)
            .and_where(
                crate::entities::group_members::Column::GroupId.is_in(groups.iter().copied()),
            );
        c = c.add(Column::Id.in_subquery(sub.to_owned()));
    }
    if let Some((rule, sets)) = &f.rule {
        c = c.add(super::rule_sql::condition(
            rule,
            f.backend.unwrap_or(sea_orm::DbBackend::Sqlite),
            sets,
        ));
    }
    c
}

fn with_backend(db: &impl ConnectionTrait, f: &HostFilter) -> HostFilter {
    let mut f = f.clone();
    f.backend = Some(db.get_database_backend());
    f
}

/// How many hosts have each value, for the filter sidebar.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub status: Vec<(String, u64)>,
    pub environment: Vec<(String, u64)>,
    pub os: Vec<(String, u64)>,
}

async fn write_tags(
    db: &impl ConnectionTrait,
    id: HostId,
    t: &BTreeMap<String, String>,
) -> Result<()> {
    tags::Entity::delete_many()
        .filter(tags::Column::HostId.eq(id.as_uuid()))
        .exec(db)
        .await?;
    if t.is_empty() {
        return Ok(());
    }
    tags::Entity::insert_many(t.iter().map(|(k, v)| tags::ActiveModel {
        host_id: Set(id.as_uuid()),
        key: Set(k.clone()),
        value: Set(v.clone()),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Inserts a host; a taken name is `Conflict { field: "name" }`.
pub async fn insert(db: &impl ConnectionTrait, f: HostFields, by: Option<UserId>) -> Result<Host> {
    let now = Utc::now();
    let id = HostId::new();
    let model = ActiveModel {
        id: Set(id.as_uuid()),
        name: Set(f.name.into_inner()),
        address: Set(f.address.to_string()),
        port: Set(i32::from(f.port.get())),
        os: Set(f.os.map(Label::into_inner)),
        environment: Set(f.environment.map(Label::into_inner)),
        description: Set(f.description),
        tags: Set(serde_json::to_value(&f.tags).unwrap_or_default()),
        credential_id: Set(f.credential_id.map(|c| c.as_uuid())),
        check_method: Set(f.check_method.map(|m| m.as_str().to_owned())),
        status: Set(HostStatus::Unknown.as_str().to_owned()),
        last_check_at: Set(None),
        latency_ms: Set(None),
        last_error: Set(None),
        host_key: Set(None),
        host_key_fingerprint: Set(None),
        created_by: Set(by.map(|u| u.as_uuid())),
        updated_by: Set(by.map(|u| u.as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        legacy_ssh: Set(f.legacy_ssh),
        terminal_recording: Set(f.terminal_recording.as_str().to_owned()),
    }
    .insert(db)
    .await
    .map_err(|e| StorageError::from_write(e, &["name"]))?;
    write_tags(db, id, &f.tags).await?;
    model.try_into()
}

/// Inserts many hosts at once (imports); names must be free. Returns their ids in order.
pub async fn insert_many(
    db: &impl ConnectionTrait,
    hosts: Vec<HostFields>,
    by: Option<UserId>,
) -> Result<Vec<HostId>> {
    let now = Utc::now();
    let mut ids = Vec::with_capacity(hosts.len());
    // Chunks keep every statement under SQLite's bound-parameter limit.
    for chunk in hosts.chunks(200) {
        let mut models = Vec::with_capacity(chunk.len());
        let mut tag_rows = Vec::new();
        for f in chunk {
            let id = HostId::new();
            ids.push(id);
            for (k, v) in &f.tags {
                tag_rows.push(tags::ActiveModel {
                    host_id: Set(id.as_uuid()),
                    key: Set(k.clone()),
                    value: Set(v.clone()),
                });
            }
            models.push(ActiveModel {
                id: Set(id.as_uuid()),
                name: Set(f.name.as_str().to_owned()),
                address: Set(f.address.to_string()),
                port: Set(i32::from(f.port.get())),
                os: Set(f.os.as_ref().map(|l| l.as_str().to_owned())),
                environment: Set(f.environment.as_ref().map(|l| l.as_str().to_owned())),
                description: Set(f.description.clone()),
                tags: Set(serde_json::to_value(&f.tags).unwrap_or_default()),
                credential_id: Set(f.credential_id.map(|c| c.as_uuid())),
                check_method: Set(f.check_method.map(|m| m.as_str().to_owned())),
                status: Set(HostStatus::Unknown.as_str().to_owned()),
                last_check_at: Set(None),
                latency_ms: Set(None),
                last_error: Set(None),
                host_key: Set(None),
                host_key_fingerprint: Set(None),
                created_by: Set(by.map(|u| u.as_uuid())),
                updated_by: Set(by.map(|u| u.as_uuid())),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                legacy_ssh: Set(f.legacy_ssh),
                terminal_recording: Set(f.terminal_recording.as_str().to_owned()),
            });
        }
        Entity::insert_many(models)
            .exec(db)
            .await
            .map_err(|e| StorageError::from_write(e, &["name"]))?;
        for t in tag_rows.chunks(300) {
            tags::Entity::insert_many(t.to_vec()).exec(db).await?;
        }
    }
    Ok(ids)
}

/// Finds a host by id.
pub async fn find_by_id(db: &impl ConnectionTrait, id: HostId) -> Result<Host> {
    Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StorageError::NotFound)?
        .try_into()
}

/// Finds hosts by name (for imports: which names exist already).
pub async fn find_by_names(db: &impl ConnectionTrait, names: &[String]) -> Result<Vec<Host>> {
    let mut out = Vec::new();
    // Chunked: SQLite caps bound parameters.
    for chunk in names.chunks(500) {
        for m in Entity::find()
            .filter(Column::Name.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            out.push(m.try_into()?);
        }
    }
    Ok(out)
}

/// Every host matching `filter`, by name (exports, bulk checks, periodic checks).
pub async fn all(db: &impl ConnectionTrait, filter: &HostFilter) -> Result<Vec<Host>> {
    let filter = &with_backend(db, filter);
    Entity::find()
        .filter(condition(filter, true))
        .order_by_asc(Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(Host::try_from)
        .collect()
}

#[derive(FromQueryResult)]
struct CubeRow {
    status: String,
    environment: Option<String>,
    os: Option<String>,
    n: i64,
}

/// The total matching `filter` and the facet counts, where each dimension ignores its own filter
/// (so the sidebar keeps offering the other values). One scan: the counts per
/// (status, environment, OS) combination under the other filters, folded here.
pub async fn facets(db: &impl ConnectionTrait, filter: &HostFilter) -> Result<(u64, Facets)> {
    let filter = &with_backend(db, filter);
    let rows = Entity::find()
        .select_only()
        .column(Column::Status)
        .column(Column::Environment)
        .column(Column::Os)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(condition(filter, false))
        .group_by(Column::Status)
        .group_by(Column::Environment)
        .group_by(Column::Os)
        .into_model::<CubeRow>()
        .all(db)
        .await?;
    let keep = |want: &[String], v: &str| {
        want.is_empty()
            || want
                .iter()
                .any(|w| w == v || (w == NOT_SET && v.is_empty()))
    };
    let statuses: Vec<String> = filter
        .status
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    let mut total = 0u64;
    let mut by: [BTreeMap<String, u64>; 3] = Default::default();
    for r in &rows {
        let n = u64::try_from(r.n).unwrap_or(0);
        let env = r.environment.clone().unwrap_or_default();
        let os = r.os.clone().unwrap_or_default();
        let (s_ok, e_ok, o_ok) = (
            keep(&statuses, &r.status),
            keep(&filter.environment, &env),
            keep(&filter.os, &os),
        );
        if s_ok && e_ok && o_ok {
            total += n;
        }
        if e_ok && o_ok {
            *by[0].entry(r.status.clone()).or_default() += n;
        }
        if s_ok && o_ok {
            *by[1].entry(env).or_default() += n;
        }
        if s_ok && e_ok {
            *by[2].entry(os).or_default() += n;
        }
    }
    let sorted = |m: BTreeMap<String, u64>| {
        let mut v: Vec<(String, u64)> = m.into_iter().filter(|(_, n)| *n > 0).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    let [s, e, o] = by;
    Ok((
        total,
        Facets {
            status: sorted(s),
            environment: sorted(e),
            os: sorted(o),
        },
    ))
}

/// One page of hosts without counting (the total comes from [`facets`]).
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &HostFilter,
    sort: HostSort,
    descending: bool,
    page: PageRequest,
) -> Result<Vec<Host>> {
    let filter = &with_backend(db, filter);
    let order = if descending { Order::Desc } else { Order::Asc };
    let mut q = Entity::find()
        .filter(condition(filter, true))
        .order_by_with_nulls(sort.column(), order, NullOrdering::Last);
    if sort != HostSort::Name {
        q = q.order_by(Column::Name, Order::Asc);
    }
    q.limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?
        .into_iter()
        .map(Host::try_from)
        .collect()
}

/// Replaces a host's fields when `version` is current.
pub async fn update(
    db: &impl ConnectionTrait,
    id: HostId,
    version: i64,
    by: Option<UserId>,
    f: HostFields,
) -> Result<Host> {
    let before = find_by_id(db, id).await?;
    // A new address or port means a different machine may answer: forget the recorded key.
    let endpoint_changed = before.address != f.address.to_string() || before.port != f.port.get();
    let mut q = Entity::update_many()
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(Column::UpdatedBy, Expr::value(by.map(|u| u.as_uuid())))
        .col_expr(Column::Name, Expr::value(f.name.into_inner()))
        .col_expr(Column::Address, Expr::value(f.address.to_string()))
        .col_expr(Column::Port, Expr::value(i32::from(f.port.get())))
        .col_expr(Column::Os, Expr::value(f.os.map(Label::into_inner)))
        .col_expr(
            Column::Environment,
            Expr::value(f.environment.map(Label::into_inner)),
        )
        .col_expr(Column::Description, Expr::value(f.description))
        .col_expr(
            Column::Tags,
            Expr::value(serde_json::to_value(&f.tags).unwrap_or_default()),
        )
        .col_expr(
            Column::CredentialId,
            Expr::value(f.credential_id.map(|c| c.as_uuid())),
        )
        .col_expr(
            Column::CheckMethod,
            Expr::value(f.check_method.map(|m| m.as_str().to_owned())),
        )
        .col_expr(Column::LegacySsh, Expr::value(f.legacy_ssh))
        .col_expr(
            Column::TerminalRecording,
            Expr::value(f.terminal_recording.as_str()),
        )
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::Version.eq(version));
    if endpoint_changed {
        q = q
            .col_expr(Column::HostKey, Expr::value(Option::<String>::None))
            .col_expr(
                Column::HostKeyFingerprint,
                Expr::value(Option::<String>::None),
            );
    }
    let rows = q
        .exec(db)
        .await
        .map_err(|e| StorageError::from_write(e, &["name"]))?
        .rows_affected;
    if rows == 0 {
        return Err(StorageError::StaleVersion);
    }
    write_tags(db, id, &f.tags).await?;
    find_by_id(db, id).await
}

/// Deletes a host with its tags and status history.
pub async fn delete(db: &impl ConnectionTrait, id: HostId) -> Result<()> {
    tags::Entity::delete_many()
        .filter(tags::Column::HostId.eq(id.as_uuid()))
        .exec(db)
        .await?;
    events::Entity::delete_many()
        .filter(events::Column::HostId.eq(id.as_uuid()))
        .exec(db)
        .await?;
    if Entity::delete_by_id(id.as_uuid())
        .exec(db)
        .await?
        .rows_affected
        == 0
    {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Counts hosts.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(Entity::find().count(db).await?)
}

/// Names of the hosts that log in with a credential (the secret's usage list).
pub async fn names_using_credential(
    db: &impl ConnectionTrait,
    credential: SecretId,
) -> Result<Vec<String>> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Name)
        .filter(Column::CredentialId.eq(credential.as_uuid()))
        .order_by_asc(Column::Name)
        .into_tuple::<String>()
        .all(db)
        .await?)
}

/// Detaches a deleted credential from the hosts that used it.
pub async fn clear_credential(db: &impl ConnectionTrait, credential: SecretId) -> Result<u64> {
    Ok(Entity::update_many()
        .col_expr(
            Column::CredentialId,
            Expr::value(Option::<uuid::Uuid>::None),
        )
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::CredentialId.eq(credential.as_uuid()))
        .exec(db)
        .await?
        .rows_affected)
}

/// The ids among `ids` that exist.
pub async fn existing(db: &impl ConnectionTrait, ids: &[HostId]) -> Result<Vec<HostId>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            Entity::find()
                .select_only()
                .column(Column::Id)
                .filter(Column::Id.is_in(chunk.iter().map(|i| i.as_uuid())))
                .into_tuple::<uuid::Uuid>()
                .all(db)
                .await?
                .into_iter()
                .map(HostId::from_uuid),
        );
    }
    Ok(out)
}

/// The hosts among `ids` that exist, in no particular order.
pub async fn find_many(db: &impl ConnectionTrait, ids: &[HostId]) -> Result<Vec<Host>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        for m in Entity::find()
            .filter(Column::Id.is_in(chunk.iter().map(|i| i.as_uuid())))
            .all(db)
            .await?
        {
            out.push(Host::try_from(m)?);
        }
    }
    Ok(out)
}

/// Ids of the hosts matching `filter` (membership recomputation).
pub async fn ids(db: &impl ConnectionTrait, filter: &HostFilter) -> Result<Vec<HostId>> {
    let filter = &with_backend(db, filter);
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(condition(filter, true))
        .into_tuple::<uuid::Uuid>()
        .all(db)
        .await?
        .into_iter()
        .map(HostId::from_uuid)
        .collect())
}

#[derive(FromQueryResult)]
struct TagRow {
    key: String,
    value: String,
    n: i64,
}

/// The most used tag keys with their most used values (rule and filter autocomplete).
pub async fn tag_hints(
    db: &impl ConnectionTrait,
    keys: usize,
    values: usize,
) -> Result<Vec<(String, Vec<String>)>> {
    let rows = tags::Entity::find()
        .select_only()
        .column(tags::Column::Key)
        .column(tags::Column::Value)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .group_by(tags::Column::Key)
        .group_by(tags::Column::Value)
        .into_model::<TagRow>()
        .all(db)
        .await?;
    let mut by_key: BTreeMap<String, (i64, Vec<(i64, String)>)> = BTreeMap::new();
    for r in rows {
        let e = by_key.entry(r.key).or_default();
        e.0 += r.n;
        e.1.push((r.n, r.value));
    }
    let mut out: Vec<(i64, String, Vec<String>)> = by_key
        .into_iter()
        .map(|(k, (n, mut vals))| {
            vals.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            (n, k, vals.into_iter().take(values).map(|v| v.1).collect())
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(out.into_iter().take(keys).map(|(_, k, v)| (k, v)).collect())
}

/// Every host id, for the periodic checker (ids only: 100,000 hosts are a few megabytes).
pub async fn all_ids(db: &impl ConnectionTrait) -> Result<Vec<HostId>> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .into_tuple::<uuid::Uuid>()
        .all(db)
        .await?
        .into_iter()
        .map(HostId::from_uuid)
        .collect())
}

/// The outcome of one check, to store.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    pub method: CheckMethod,
    pub status: HostStatus,
    pub at: DateTime<Utc>,
    pub latency_ms: Option<f64>,
    pub error: Option<String>,
}

/// A status transition.
#[derive(Debug, Clone)]
pub struct StatusEvent {
    pub host_id: HostId,
    pub at: DateTime<Utc>,
    pub status: HostStatus,
    pub previous: HostStatus,
    pub method: CheckMethod,
    pub latency_ms: Option<f64>,
    pub error: Option<String>,
}

impl TryFrom<events::Model> for StatusEvent {
    type Error = StorageError;
    fn try_from(m: events::Model) -> Result<Self> {
        let bad = |v: &str| StorageError::Integrity(format!("status event value {v:?}"));
        Ok(Self {
            host_id: HostId::from_uuid(m.host_id),
            at: m.at,
            status: m.status.parse().map_err(|_| bad(&m.status))?,
            previous: m.previous.parse().map_err(|_| bad(&m.previous))?,
            method: m.method.parse().map_err(|_| bad(&m.method))?,
            latency_ms: m.latency_ms,
            error: m.error,
        })
    }
}

/// Stores a check result; returns the transition when the status changed. A host deleted while it
/// was being checked is `NotFound`.
pub async fn record_check(
    db: &impl ConnectionTrait,
    id: HostId,
    o: &CheckOutcome,
) -> Result<Option<StatusEvent>> {
    let before = find_by_id(db, id).await?;
    Entity::update_many()
        .col_expr(Column::Status, Expr::value(o.status.as_str()))
        .col_expr(Column::LastCheckAt, Expr::value(o.at))
        .col_expr(Column::LatencyMs, Expr::value(o.latency_ms))
        .col_expr(Column::LastError, Expr::value(o.error.clone()))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    if before.status == o.status {
        return Ok(None);
    }
    let ev = StatusEvent {
        host_id: id,
        at: o.at,
        status: o.status,
        previous: before.status,
        method: o.method,
        latency_ms: o.latency_ms,
        error: o.error.clone(),
    };
    events::ActiveModel {
        host_id: Set(id.as_uuid()),
        at: Set(ev.at),
        status: Set(ev.status.as_str().into()),
        previous: Set(ev.previous.as_str().into()),
        method: Set(ev.method.as_str().into()),
        latency_ms: Set(ev.latency_ms),
        error: Set(ev.error.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Some(ev))
}

/// The id of the newest status transition (0 when there is none).
pub async fn last_status_event_id(db: &impl ConnectionTrait) -> Result<i64> {
    Ok(events::Entity::find()
        .order_by_desc(events::Column::Id)
        .one(db)
        .await?
        .map_or(0, |m| m.id))
}

/// Status transitions with an id above `after`, oldest first, with their ids.
pub async fn status_events_after(
    db: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Vec<(i64, StatusEvent)>> {
    events::Entity::find()
        .filter(events::Column::Id.gt(after))
        .order_by_asc(events::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Ok((m.id, StatusEvent::try_from(m)?)))
        .collect()
}

/// Records the SSH host key seen on first contact (trust on first use). Does nothing when a key is
/// recorded already: changing a trusted key is an explicit, audited action.
pub async fn record_host_key_if_unset(
    db: &impl ConnectionTrait,
    id: HostId,
    key: &str,
    fingerprint: &str,
) -> Result<bool> {
    let rows = Entity::update_many()
        .col_expr(Column::HostKey, Expr::value(key))
        .col_expr(Column::HostKeyFingerprint, Expr::value(fingerprint))
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::HostKey.is_null())
        .exec(db)
        .await?
        .rows_affected;
    Ok(rows > 0)
}

/// Replaces the trusted SSH host key (an admin accepting a changed key, or an import from
/// `known_hosts`); `None` forgets it so the next contact is a first use again.
pub async fn replace_host_key(
    db: &impl ConnectionTrait,
    id: HostId,
    key: Option<(&str, &str)>,
) -> Result<()> {
    let rows = Entity::update_many()
        .col_expr(Column::HostKey, Expr::value(key.map(|k| k.0.to_owned())))
        .col_expr(
            Column::HostKeyFingerprint,
            Expr::value(key.map(|k| k.1.to_owned())),
        )
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?
        .rows_affected;
    if rows == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// A host's transitions, newest first.
pub async fn status_history(
    db: &impl ConnectionTrait,
    id: HostId,
    page: PageRequest,
) -> Result<Page<StatusEvent>> {
    let q = events::Entity::find().filter(events::Column::HostId.eq(id.as_uuid()));
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
            .map(StatusEvent::try_from)
            .collect::<Result<_>>()?,
        total,
    })
}

/// Deletes transitions older than `before`; returns how many.
pub async fn prune_status_events(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    Ok(events::Entity::delete_many()
        .filter(events::Column::At.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

const SETTINGS_ROW: i32 = 1;

/// The inventory settings and their version (defaults until first saved).
pub async fn settings(db: &impl ConnectionTrait) -> Result<(InventorySettings, i64)> {
    Ok(match inv::Entity::find_by_id(SETTINGS_ROW).one(db).await? {
        Some(m) => (
            serde_json::from_value(m.data).unwrap_or_default(),
            m.version,
        ),
        None => (InventorySettings::default(), 0),
    })
}

/// Saves the inventory settings when `version` is current (0 = never saved).
pub async fn save_settings(
    db: &impl ConnectionTrait,
    version: i64,
    s: &InventorySettings,
) -> Result<(InventorySettings, i64)> {
    let data = serde_json::to_value(s).map_err(|e| StorageError::Integrity(e.to_string()))?;
    if version == 0 {
        inv::ActiveModel {
            id: Set(SETTINGS_ROW),
            data: Set(data),
            updated_at: Set(Utc::now()),
            version: Set(1),
        }
        .insert(db)
        .await
        .map_err(|_| StorageError::StaleVersion)?;
    } else {
        let rows = inv::Entity::update_many()
            .col_expr(inv::Column::Data, Expr::value(data))
            .col_expr(inv::Column::UpdatedAt, Expr::value(Utc::now()))
            .col_expr(inv::Column::Version, Expr::col(inv::Column::Version).add(1))
            .filter(inv::Column::Id.eq(SETTINGS_ROW))
            .filter(inv::Column::Version.eq(version))
            .exec(db)
            .await?
            .rows_affected;
        if rows == 0 {
            return Err(StorageError::StaleVersion);
        }
    }
    settings(db).await
}
