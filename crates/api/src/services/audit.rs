//! Building audit events, and reading the log.

use crate::context::RequestContext;
use crate::error::ApiResult;
use crate::state::AppState;
use itmgr_auth::{perm, Capability, Principal, PrincipalKind};
use itmgr_domain::{ActorType, AuditOutcome};
use itmgr_storage::repo::audit::{self as repo, AuditEvent, AuditFilter, NewAuditEvent};
use itmgr_storage::ConnectionTrait;
use itmgr_storage::{Page, PageRequest};

/// Keys whose values never reach the audit log.
const SECRET_KEYS: &[&str] = &[
    "password",
    "new_password",
    "current_password",
    "secret",
    "token",
    "refresh_token",
    "password_hash",
];

/// Replaces the value of every secret-looking key, at any depth, with `"[redacted]"`.
pub fn redact(mut value: serde_json::Value) -> serde_json::Value {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if SECRET_KEYS.contains(&k.as_str()) {
                        *v = serde_json::Value::String("[redacted]".into());
                    } else {
                        walk(v);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    value
}

/// A builder for one audit event.
pub struct Event(NewAuditEvent);

impl Event {
    /// An event by `actor` (None: anonymous) with `action`, outcome success.
    pub fn new(ctx: &RequestContext, actor: Option<&Principal>, action: &str) -> Self {
        let (actor_type, actor_id, actor_name) = match actor {
            Some(p) => (
                match p.kind {
                    PrincipalKind::Session(_) => ActorType::User,
                    PrincipalKind::ApiToken(_) => ActorType::Token,
                },
                Some(p.user_id.to_string()),
                Some(p.username.clone()),
            ),
            None => (ActorType::Anonymous, None, None),
        };
        Self(NewAuditEvent {
            actor_type,
            actor_id,
            actor_name,
            action: action.to_owned(),
            target_type: None,
            target_id: None,
            target_name: None,
            outcome: AuditOutcome::Success,
            ip: ctx.ip.clone(),
            user_agent: ctx.user_agent.clone(),
            request_id: ctx.request_id.clone(),
            diff: None,
        })
    }

    /// An event by the server itself (start-up, CLI, retention).
    pub fn system(action: &str) -> Self {
        let mut e = Self::new(&RequestContext::default(), None, action);
        e.0.actor_type = ActorType::System;
        e.0.actor_name = Some("system".into());
        e
    }

    /// Names the actor when there is no principal (e.g. the user name tried at login).
    pub fn actor_name(mut self, name: &str) -> Self {
        self.0.actor_name = Some(name.chars().take(64).collect());
        self
    }

    /// Names the actor id when there is no principal.
    pub fn actor_id(mut self, id: impl ToString) -> Self {
        self.0.actor_id = Some(id.to_string());
        self
    }

    /// What the action was done to.
    pub fn target(mut self, kind: &str, id: impl ToString, name: Option<&str>) -> Self {
        self.0.target_type = Some(kind.to_owned());
        self.0.target_id = Some(id.to_string());
        self.0.target_name = name.map(str::to_owned);
        self
    }

    /// How it ended.
    pub fn outcome(mut self, outcome: AuditOutcome) -> Self {
        self.0.outcome = outcome;
        self
    }

    /// The changed fields; secrets are redacted here, whatever the caller passed.
    pub fn diff(mut self, diff: serde_json::Value) -> Self {
        self.0.diff = Some(redact(diff));
        self
    }

    /// Appends the event using `db` (usually the transaction of the change).
    pub async fn write(self, db: &impl ConnectionTrait) -> ApiResult<()> {
        repo::insert(db, self.0).await?;
        Ok(())
    }
}

/// Middleware: every request refused for a missing permission leaves an
/// `auth.denied` event naming the endpoint and the permission.
pub async fn record_denied(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let slot = crate::extract::PrincipalSlot::default();
    let (mut parts, body) = request.into_parts();
    let ctx = RequestContext::from_parts(&parts, state.config.trust_forwarded_for);
    let endpoint = format!(
        "{} {}",
        parts.method,
        parts
            .extensions
            .get::<axum::extract::MatchedPath>()
            .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned())
    );
    parts.extensions.insert(slot.clone());
    let response = next
        .run(axum::extract::Request::from_parts(parts, body))
        .await;
    if let (Some(denied), Some(principal)) = (
        response
            .extensions()
            .get::<crate::error::DeniedPermission>(),
        slot.take(),
    ) {
        let event = Event::new(&ctx, Some(&principal), "auth.denied")
            .target("endpoint", &endpoint, None)
            .outcome(AuditOutcome::Denied)
            .diff(serde_json::json!({ "permission": denied.0.as_str() }));
        if let Err(e) = event.write(state.db.conn()).await {
            tracing::warn!(error = %e, "could not record a denied request");
        }
    }
    response
}

/// Lists audit events.
pub async fn list(
    state: &AppState,
    _cap: Capability<perm::AuditRead>,
    filter: &AuditFilter,
    page: PageRequest,
) -> ApiResult<Page<AuditEvent>> {
    Ok(repo::list(state.db.conn(), filter, page).await?)
}

/// The most rows one CSV export returns.
pub const EXPORT_LIMIT: u64 = 100_000;

/// Renders matching events as CSV, newest first, and audits the export itself.
pub async fn export_csv(
    state: &AppState,
    cap: Capability<perm::AuditExport>,
    ctx: &RequestContext,
    filter: &AuditFilter,
) -> ApiResult<String> {
    let page = repo::list(
        state.db.conn(),
        filter,
        PageRequest {
            limit: EXPORT_LIMIT,
            offset: 0,
        },
    )
    .await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "occurred_at",
        "actor_type",
        "actor_id",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "target_name",
        "outcome",
        "ip",
        "user_agent",
        "request_id",
        "diff",
    ];
    let to_internal = |e: csv::Error| crate::error::ApiError::Internal(e.to_string());
    w.write_record(header).map_err(to_internal)?;
    for e in &page.items {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        w.write_record([
            e.id.to_string(),
            e.occurred_at.to_rfc3339(),
            e.actor_type.as_str().to_owned(),
            opt(&e.actor_id),
            opt(&e.actor_name),
            e.action.clone(),
            opt(&e.target_type),
            opt(&e.target_id),
            opt(&e.target_name),
            e.outcome.as_str().to_owned(),
            opt(&e.ip),
            opt(&e.user_agent),
            opt(&e.request_id),
            e.diff.as_ref().map(|d| d.to_string()).unwrap_or_default(),
        ])
        .map_err(to_internal)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| crate::error::ApiError::Internal(e.to_string()))?;
    Event::new(ctx, Some(cap.principal()), "audit.export")
        .diff(serde_json::json!({ "rows": page.items.len() }))
        .write(state.db.conn())
        .await?;
    String::from_utf8(bytes).map_err(|e| crate::error::ApiError::Internal(e.to_string()))
}

/// Deletes events older than the retention setting; returns how many.
pub async fn apply_retention(state: &AppState) -> ApiResult<u64> {
    let settings = state.settings().await?;
    let cutoff = chrono::Utc::now() - chrono::Duration::days(settings.audit_retention_days.into());
    let deleted = repo::delete_older_than(state.db.conn(), cutoff).await?;
    if deleted > 0 {
        Event::system("audit.retention")
            .diff(serde_json::json!({ "deleted": deleted, "retention_days": settings.audit_retention_days }))
            .write(state.db.conn())
            .await?;
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_at_any_depth() {
        let v = redact(serde_json::json!({
            "username": "bob",
            "password": "hunter2hunter2",
            "nested": [{ "token": "itm_abc", "role": { "from": "viewer", "to": "admin" } }]
        }));
        let text = v.to_string();
        assert!(!text.contains("hunter2"));
        assert!(!text.contains("itm_abc"));
        assert!(text.contains("bob") && text.contains("admin"));
    }
}
