//! First start: the initial administrator.

use super::audit::Event;
use crate::error::ApiResult;
use crate::state::AppState;
use itmgr_auth::hash_password;
use itmgr_domain::Role;
use itmgr_storage::repo::users::{self as repo, NewUser};
use itmgr_storage::{commit, StorageError};

/// The outcome of [`ensure_admin`].
pub enum AdminBootstrap {
    /// Users exist already; nothing was done.
    Existing,
    /// The `admin` user was created with this password (must be changed at first login).
    Created,
}

/// Creates user `admin` with `password` when there are no users at all.
pub async fn ensure_admin(state: &AppState, password: &str) -> ApiResult<AdminBootstrap> {
    if repo::count(state.db.conn(), false, false).await? > 0 {
        return Ok(AdminBootstrap::Existing);
    }
    let hash = hash_password(password)?;
    let txn = state.db.begin().await?;
    let created = repo::insert(
        &txn,
        NewUser {
            username: "admin".into(),
            display_name: "Administrator".into(),
            email: None,
            role: Role::Admin,
            password_hash: hash.0,
            must_change_password: true,
        },
    )
    .await;
    let user = match created {
        Ok(u) => u,
        // Another process created it at the same moment.
        Err(StorageError::Conflict { .. }) => return Ok(AdminBootstrap::Existing),
        Err(e) => return Err(e.into()),
    };
    Event::system("user.create")
        .target("user", user.id, Some(&user.username))
        .diff(serde_json::json!({ "username": "admin", "role": "admin", "reason": "first start" }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(AdminBootstrap::Created)
}
