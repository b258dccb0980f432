use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;

on_both_databases!(
    first_login_must_change_the_password_before_anything_else,
    failed_logins_are_generic_audited_and_throttled,
    refresh_rotates_the_cookie_and_a_replayed_token_revokes_the_session,
    logout_ends_the_session_and_its_access_tokens,
    password_change_revokes_other_sessions,
    api_tokens_are_shown_once_authenticate_and_can_be_revoked,
);

async fn first_login_must_change_the_password_before_anything_else(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, body) = app.login("admin", ADMIN_INITIAL).await;
    assert_eq!(status, 200);
    assert_eq!(body["user"]["must_change_password"], true);
    assert_eq!(body["token_type"], "Bearer");
    let token = body["access_token"].as_str().unwrap();

    let (status, body) = app.get("/api/v1/dashboard", token).await;
    assert_eq!(status, 403);
    assert_eq!(body["code"], "password_change_required");
    let (status, _) = app.get("/api/v1/auth/me", token).await;
    assert_eq!(
        status, 200,
        "me stays reachable so the UI can show the change screen"
    );

    let (status, body) = app
        .post(
            "/api/v1/auth/password",
            token,
            json!({ "current_password": ADMIN_INITIAL, "new_password": "short" }),
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["details"]["fields"]["new_password"]
        .as_str()
        .unwrap()
        .contains("12"));
    let (status, body) = app
        .post(
            "/api/v1/auth/password",
            token,
            json!({ "current_password": "wrong-password-000", "new_password": ADMIN_PASSWORD }),
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["details"]["fields"]["current_password"].is_string());

    let (status, _) = app
        .post(
            "/api/v1/auth/password",
            token,
            json!({ "current_password": ADMIN_INITIAL, "new_password": ADMIN_PASSWORD }),
        )
        .await;
    assert_eq!(status, 204);
    let (status, body) = app.get("/api/v1/dashboard", token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["users_total"], 1);
    let (status, body) = app.get("/api/v1/auth/me", token).await;
    assert_eq!(status, 200);
    assert_eq!(body["user"]["must_change_password"], false);
    assert!(body["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "users:create"));

    let (status, _) = app.login("admin", ADMIN_INITIAL).await;
    assert_eq!(status, 401, "the initial password is gone");
    let (status, _) = app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(status, 200);
    app.cleanup().await;
}

async fn failed_logins_are_generic_audited_and_throttled(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.login_throttle.free_attempts = 3;
        c.login_throttle.base_delay = Duration::from_secs(30);
    })
    .await;
    let (s1, wrong_password) = app.login("admin", "not-the-password").await;
    let (s2, unknown_user) = app.login("nobody", "not-the-password").await;
    assert_eq!(
        (s1, s2),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(wrong_password, unknown_user, "no hint which part was wrong");
    assert_eq!(wrong_password["code"], "invalid_credentials");

    app.login("admin", "not-the-password").await;
    app.login("admin", "not-the-password").await;
    let response = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({ "username": "admin", "password": ADMIN_INITIAL })),
        )
        .await;
    assert_eq!(
        response.status(),
        429,
        "even the right password waits out the back-off"
    );
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    let (_, body) = json_of(response).await;
    assert_eq!(body["code"], "rate_limited");

    // A fresh app (no back-off) to read the audit log.
    let other = TestApp::spawn(backend).await;
    let token = other.admin_token().await;
    other.login("admin", "wrong-wrong-wrong").await;
    let failed = audit(&other, &token, "auth.login_failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["outcome"], "failure");
    assert_eq!(failed[0]["actor_name"], "admin");
    assert_eq!(failed[0]["ip"], "127.0.0.1");
    assert!(
        !failed[0].to_string().contains("wrong-wrong-wrong"),
        "the tried password is never recorded"
    );
    app.cleanup().await;
    other.cleanup().await;
}

async fn refresh_rotates_the_cookie_and_a_replayed_token_revokes_the_session(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.refresh_reuse_grace = Duration::ZERO).await;
    app.admin_token().await;
    let (status, body) = app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(status, 200, "{body}");

    // The cookie is HttpOnly, SameSite=Strict, scoped to the auth endpoints.
    let response = app
        .call(Method::POST, "/api/v1/auth/refresh", None, None)
        .await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("itmgr_refresh=itmr_"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/api/v1/auth"),
        "{cookie}"
    );
    let old_value = cookie.split(';').next().unwrap().to_owned();
    let (_, body) = json_of(response).await;
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/auth/me", &token).await.0, 200);

    // Rotation: the jar now holds a new token; refreshing again works.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let response = app
        .call(Method::POST, "/api/v1/auth/refresh", None, None)
        .await;
    assert_eq!(response.status(), 200);

    // Replaying the first (rotated) token: refused, and the whole session dies.
    let thief = reqwest::Client::new();
    let replay = thief
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", &old_value)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);
    assert_eq!(
        app.call(Method::POST, "/api/v1/auth/refresh", None, None)
            .await
            .status(),
        401,
        "the family is revoked"
    );
    assert_eq!(
        app.get("/api/v1/auth/me", &token).await.0,
        401,
        "its access tokens too"
    );

    let no_cookie = reqwest::Client::new()
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_cookie.status(), 401);
    app.cleanup().await;
}

async fn logout_ends_the_session_and_its_access_tokens(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let response = app
        .call(Method::POST, "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(response.status(), 204);
    let cleared = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cleared.contains("itmgr_refresh=") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    assert_eq!(app.get("/api/v1/auth/me", &token).await.0, 401);
    assert_eq!(
        app.call(Method::POST, "/api/v1/auth/refresh", None, None)
            .await
            .status(),
        401
    );
    let (_, again) = app.login("admin", ADMIN_PASSWORD).await;
    let logouts = audit(&app, again["access_token"].as_str().unwrap(), "auth.logout").await;
    assert_eq!(logouts.len(), 1);
    app.cleanup().await;
}

async fn password_change_revokes_other_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.admin_token().await;
    let (_, body) = app.login("admin", ADMIN_PASSWORD).await;
    let second = body["access_token"].as_str().unwrap().to_owned();
    let (status, _) = app
        .post(
            "/api/v1/auth/password",
            &second,
            json!({ "current_password": ADMIN_PASSWORD, "new_password": "yet-another-password-9" }),
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get("/api/v1/auth/me", &first).await.0,
        401,
        "the other session is revoked"
    );
    assert_eq!(
        app.get("/api/v1/auth/me", &second).await.0,
        200,
        "the current one survives"
    );
    app.cleanup().await;
}

async fn api_tokens_are_shown_once_authenticate_and_can_be_revoked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let (status, body) = app
        .post(
            "/api/v1/tokens",
            &admin,
            json!({ "name": "ci pipeline", "expires_in_days": 30 }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let secret = body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("itm_"));
    assert!(secret.starts_with(body["token"]["prefix"].as_str().unwrap()));
    let id = body["token"]["id"].as_str().unwrap().to_owned();

    let (status, list) = app.get("/api/v1/tokens", &admin).await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 1);
    assert!(
        !list.to_string().contains(&secret),
        "the secret is never listed"
    );

    let (status, me) = app.get("/api/v1/auth/me", &secret).await;
    assert_eq!(status, 200);
    assert_eq!(me["user"]["username"], "admin");
    let (status, _) = app.get("/api/v1/users", &secret).await;
    assert_eq!(status, 200, "a token acts with its owner's role");

    let (status, body) = app
        .post(
            "/api/v1/tokens",
            &admin,
            json!({ "name": "", "expires_in_days": 0 }),
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["details"]["fields"]["name"].is_string());

    let response = app
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.get("/api/v1/auth/me", &secret).await.0, 401);
    let created = audit(&app, &admin, "token.create").await;
    assert_eq!(created.len(), 1);
    assert!(!created[0].to_string().contains(&secret));
    assert_eq!(audit(&app, &admin, "token.revoke").await.len(), 1);
    app.cleanup().await;
}
