//! User administration.

use super::audit::Event;
use super::auth::hash_new_password;
use super::not_found;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use itmgr_auth::{perm, Capability};
use itmgr_domain::{DisplayName, Email, NewPassword, Role, UserId, Username};
use itmgr_storage::repo::users::{self as repo, NewUser, User, UserChanges, UserFilter};
use itmgr_storage::{commit, repo::sessions, Page, PageRequest};
use serde_json::json;

/// A validated request to create a user.
#[derive(Debug)]
pub struct CreateUser {
    pub username: Username,
    pub display_name: DisplayName,
    pub email: Option<Email>,
    pub role: Role,
    pub password: NewPassword,
}

/// A validated change to a user.
#[derive(Debug)]
pub struct UpdateUser {
    pub version: i64,
    pub display_name: Option<DisplayName>,
    pub email: Option<Option<Email>>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

/// Lists users.
pub async fn list(
    state: &AppState,
    _cap: Capability<perm::UsersRead>,
    filter: &UserFilter,
    page: PageRequest,
) -> ApiResult<Page<User>> {
    Ok(repo::list(state.db.conn(), filter, page).await?)
}

/// Reads one user.
pub async fn get(
    state: &AppState,
    _cap: Capability<perm::UsersRead>,
    id: UserId,
) -> ApiResult<User> {
    repo::find_by_id(state.db.conn(), id)
        .await
        .map_err(not_found("user"))
}

/// Creates a user who must change the initial password at first login.
pub async fn create(
    state: &AppState,
    cap: Capability<perm::UsersCreate>,
    ctx: &RequestContext,
    input: CreateUser,
) -> ApiResult<User> {
    let hash = hash_new_password(&input.password).await?;
    let txn = state.db.begin().await?;
    let user = repo::insert(
        &txn,
        NewUser {
            username: input.username.as_str().to_owned(),
            display_name: input.display_name.into_inner(),
            email: input.email.map(Email::into_inner),
            role: input.role,
            password_hash: hash,
            must_change_password: true,
        },
    )
    .await?;
    Event::new(ctx, Some(cap.principal()), "user.create")
        .target("user", user.id, Some(&user.username))
        .diff(json!({
            "username": user.username, "display_name": user.display_name,
            "email": user.email, "role": user.role, "password": "set",
        }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(user)
}

fn change<T: serde::Serialize + PartialEq>(
    diff: &mut serde_json::Map<String, serde_json::Value>,
    field: &str,
    from: &T,
    to: &Option<T>,
) {
    if let Some(to) = to {
        if to != from {
            diff.insert(field.into(), json!({ "from": from, "to": to }));
        }
    }
}

/// Applies a change, refusing to lock the installation out of administration.
pub async fn update(
    state: &AppState,
    cap: Capability<perm::UsersUpdate>,
    ctx: &RequestContext,
    id: UserId,
    input: UpdateUser,
) -> ApiResult<User> {
    let txn = state.db.begin().await?;
    let before = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("user"))?;
    let me = cap.principal().user_id == id;
    if me && input.disabled == Some(true) {
        return Err(ApiError::field(
            "disabled",
            "you cannot disable your own account",
        ));
    }
    let loses_admin = before.role == Role::Admin
        && !before.disabled
        && (input.role.is_some_and(|r| r != Role::Admin) || input.disabled == Some(true));
    if loses_admin && repo::count(&txn, true, false).await? <= 1 {
        return Err(ApiError::Conflict {
            message: "This is the last active administrator.".into(),
            field: Some("role"),
        });
    }
    let display_name = input.display_name.map(DisplayName::into_inner);
    let email = input.email.map(|e| e.map(Email::into_inner));
    let mut diff = serde_json::Map::new();
    change(
        &mut diff,
        "display_name",
        &before.display_name,
        &display_name,
    );
    change(&mut diff, "email", &before.email, &email);
    change(&mut diff, "role", &before.role, &input.role);
    change(&mut diff, "disabled", &before.disabled, &input.disabled);
    let user = repo::update(
        &txn,
        id,
        input.version,
        UserChanges {
            display_name,
            email,
            role: input.role,
            disabled: input.disabled,
        },
    )
    .await?;
    if input.disabled == Some(true) && !before.disabled {
        sessions::revoke_all_for_user(&txn, id, None).await?;
    }
    Event::new(ctx, Some(cap.principal()), "user.update")
        .target("user", user.id, Some(&user.username))
        .diff(serde_json::Value::Object(diff))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(user)
}

/// Sets a new password that the user must change at next login; ends their sessions.
pub async fn reset_password(
    state: &AppState,
    cap: Capability<perm::UsersUpdate>,
    ctx: &RequestContext,
    id: UserId,
    password: &str,
) -> ApiResult<()> {
    let user = repo::find_by_id(state.db.conn(), id)
        .await
        .map_err(not_found("user"))?;
    let password = NewPassword::parse(password, &user.username, "password")?;
    let hash = hash_new_password(&password).await?;
    let txn = state.db.begin().await?;
    repo::set_password(&txn, id, &hash, true).await?;
    let revoked = sessions::revoke_all_for_user(&txn, id, None).await?;
    Event::new(ctx, Some(cap.principal()), "user.password_reset")
        .target("user", id, Some(&user.username))
        .diff(json!({ "password": "reset", "sessions_revoked": revoked }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(())
}

/// Deletes a user; not oneself, not the last administrator.
pub async fn delete(
    state: &AppState,
    cap: Capability<perm::UsersDelete>,
    ctx: &RequestContext,
    id: UserId,
) -> ApiResult<()> {
    if cap.principal().user_id == id {
        return Err(ApiError::Conflict {
            message: "You cannot delete your own account.".into(),
            field: None,
        });
    }
    let txn = state.db.begin().await?;
    let user = repo::find_by_id(&txn, id)
        .await
        .map_err(not_found("user"))?;
    if user.role == Role::Admin && !user.disabled && repo::count(&txn, true, false).await? <= 1 {
        return Err(ApiError::Conflict {
            message: "This is the last active administrator.".into(),
            field: None,
        });
    }
    repo::delete(&txn, id).await?;
    Event::new(ctx, Some(cap.principal()), "user.delete")
        .target("user", id, Some(&user.username))
        .diff(json!({ "username": user.username, "role": user.role }))
        .write(&txn)
        .await?;
    commit(txn).await?;
    Ok(())
}
