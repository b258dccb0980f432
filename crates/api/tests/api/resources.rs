use crate::helpers::*;
use reqwest::Method;
use serde_json::json;

on_both_databases!(
    users_are_created_validated_listed_updated_with_versions_and_deleted,
    the_last_administrator_cannot_be_removed,
    settings_changes_need_the_current_version_and_valid_ranges,
    the_audit_log_filters_pages_and_exports_csv,
    the_dashboard_shows_real_figures,
);

async fn users_are_created_validated_listed_updated_with_versions_and_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;

    let (status, body) = app.post("/api/v1/users", &admin, json!({ "username": "x", "display_name": "", "email": "nope", "role": "viewer", "password": "short" })).await;
    assert_eq!(status, 422);
    let fields = &body["details"]["fields"];
    for f in ["username", "display_name", "email", "password"] {
        assert!(fields[f].is_string(), "{f} should be reported: {body}");
    }
    let (status, body) = app
        .post(
            "/api/v1/users",
            &admin,
            json!({ "username": "a", "role": "root" }),
        )
        .await;
    assert_eq!(status, 422, "unknown role or missing fields: {body}");

    for (name, role) in [
        ("Alice", "operator"),
        ("bob", "viewer"),
        ("carol", "viewer"),
    ] {
        let (status, body) = app
            .post("/api/v1/users", &admin, json!({ "username": name, "display_name": format!("{name} Example"), "email": format!("{}@example.com", name.to_lowercase()), "role": role, "password": "initial-password-42" }))
            .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(
            body["username"],
            name.to_lowercase(),
            "user names are normalised"
        );
        assert_eq!(body["must_change_password"], true);
        assert!(body.get("password_hash").is_none());
    }
    let (status, body) = app.post("/api/v1/users", &admin, json!({ "username": "ALICE", "display_name": "Dup", "role": "viewer", "password": "initial-password-42" })).await;
    assert_eq!(status, 409);
    assert!(body["details"]["fields"]["username"].is_string(), "{body}");

    let (_, page) = app
        .get("/api/v1/users?role=viewer&sort=-username&limit=1", &admin)
        .await;
    assert_eq!(page["total"], 2);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["username"], "carol");
    let (_, page) = app
        .get(
            "/api/v1/users?role=viewer&sort=-username&limit=1&offset=1",
            &admin,
        )
        .await;
    assert_eq!(page["items"][0]["username"], "bob");
    let (_, page) = app.get("/api/v1/users?q=EXAMPLE.COM", &admin).await;
    assert_eq!(
        page["total"], 3,
        "search is case-insensitive over e-mail too"
    );
    let (_, page) = app.get("/api/v1/users?q=100%25", &admin).await;
    assert_eq!(page["total"], 0, "LIKE wildcards are literal");
    let (status, body) = app.get("/api/v1/users?sort=password_hash", &admin).await;
    assert_eq!(status, 422, "{body}");

    let (_, page) = app.get("/api/v1/users?q=bob", &admin).await;
    let bob = page["items"][0].clone();
    let bob_id = bob["id"].as_str().unwrap().to_owned();
    let version = bob["version"].as_i64().unwrap();
    let bob_url = format!("/api/v1/users/{bob_id}");
    let patch = |body| app.call(Method::PATCH, &bob_url, Some(&admin), Some(body));
    let (status, updated) = json_of(
        patch(json!({ "version": version, "role": "operator", "display_name": "Robert" })).await,
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["role"], "operator");
    assert_eq!(updated["version"], version + 1);
    let (status, body) =
        json_of(patch(json!({ "version": version, "disabled": true })).await).await;
    assert_eq!(status, 409, "a stale version never overwrites: {body}");
    assert_eq!(body["code"], "stale_version");
    let (status, body) =
        json_of(patch(json!({ "version": version + 1, "email": null })).await).await;
    assert_eq!(status, 200);
    assert!(body["email"].is_null());

    let updates = audit(&app, &admin, "user.update").await;
    assert_eq!(
        updates[1]["diff"]["role"],
        json!({ "from": "viewer", "to": "operator" })
    );
    let created = audit(&app, &admin, "user.create").await;
    assert!(created.iter().any(|e| e["target_name"] == "alice"));
    assert!(
        !created
            .iter()
            .any(|e| e.to_string().contains("initial-password-42")),
        "passwords never reach the audit log"
    );

    let (status, _) = app
        .post(
            &format!("/api/v1/users/{bob_id}/reset-password"),
            &admin,
            json!({ "password": "reset-password-777" }),
        )
        .await;
    assert_eq!(status, 204);
    let (status, body) = app.login("bob", "reset-password-777").await;
    assert_eq!(status, 200);
    assert_eq!(body["user"]["must_change_password"], true);

    let response = app
        .call(
            Method::DELETE,
            &format!("/api/v1/users/{bob_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    let (status, body) = app.get(&format!("/api/v1/users/{bob_id}"), &admin).await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "not_found");
    let (status, _) = app.get("/api/v1/users/not-a-uuid", &admin).await;
    assert_eq!(status, 404);
    assert_eq!(app.login("bob", "reset-password-777").await.0, 401);
    app.cleanup().await;
}

async fn the_last_administrator_cannot_be_removed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let (_, me) = app.get("/api/v1/auth/me", &admin).await;
    let id = me["user"]["id"].as_str().unwrap();
    let version = me["user"]["version"].as_i64().unwrap();
    let (status, body) = json_of(
        app.call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({ "version": version, "role": "viewer" })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let (status, _) = json_of(
        app.call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({ "version": version, "disabled": true })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "nobody disables their own account");
    let (status, _) = json_of(
        app.call(
            Method::DELETE,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 409);
    app.cleanup().await;
}

async fn settings_changes_need_the_current_version_and_valid_ranges(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let (status, settings) = app.get("/api/v1/settings", &admin).await;
    assert_eq!(status, 200);
    let version = settings["version"].as_i64().unwrap();
    let put = |body| app.call(Method::PUT, "/api/v1/settings", Some(&admin), Some(body));
    // Run retention comes from the configuration until it is saved here.
    assert_eq!(settings["run_retention_days"], 90);
    assert_eq!(settings["runs_kept_per_playbook"], 0);
    assert_eq!(settings["run_logs_max_mb"], 0);
    let (status, body) = json_of(put(json!({ "session_idle_timeout_minutes": 1, "session_absolute_lifetime_hours": 24, "audit_retention_days": 0, "run_retention_days": 5000, "runs_kept_per_playbook": 0, "run_logs_max_mb": 0, "version": version })).await).await;
    assert_eq!(status, 422);
    assert!(body["details"]["fields"]["session_idle_timeout_minutes"].is_string());
    assert!(body["details"]["fields"]["audit_retention_days"].is_string());
    assert!(
        body["details"]["fields"]["run_retention_days"].is_string(),
        "{body}"
    );
    let (status, body) = json_of(put(json!({ "session_idle_timeout_minutes": 30, "session_absolute_lifetime_hours": 24, "audit_retention_days": 90, "run_retention_days": 0, "runs_kept_per_playbook": 20, "run_logs_max_mb": 512, "version": version })).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["audit_retention_days"], 90);
    assert_eq!(
        body["run_retention_days"], 0,
        "0 keeps runs forever and is stored as such"
    );
    assert_eq!(body["runs_kept_per_playbook"], 20);
    assert_eq!(body["run_logs_max_mb"], 512);
    let (_, again) = app.get("/api/v1/settings", &admin).await;
    assert_eq!(again["run_logs_max_mb"], 512);
    let (status, _) = json_of(put(json!({ "session_idle_timeout_minutes": 40, "session_absolute_lifetime_hours": 24, "audit_retention_days": 90, "run_retention_days": 0, "runs_kept_per_playbook": 20, "run_logs_max_mb": 512, "version": version })).await).await;
    assert_eq!(status, 409);
    let (status, body) = json_of(
        app.call(Method::PUT, "/api/v1/settings", Some(&admin), None)
            .await,
    )
    .await;
    assert_eq!(status, 400, "a missing body is a bad request: {body}");
    let changes = audit(&app, &admin, "settings.update").await;
    assert_eq!(
        changes[0]["diff"]["audit_retention_days"],
        json!({ "from": 365, "to": 90 })
    );
    assert_eq!(
        changes[0]["diff"]["run_retention_days"],
        json!({ "from": 90, "to": 0 })
    );
    app.cleanup().await;
}

async fn the_audit_log_filters_pages_and_exports_csv(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    app.login("admin", "wrong-password-1").await;
    app.login("ghost", "wrong-password-2").await;
    let (_, all) = app.get("/api/v1/audit?limit=2", &admin).await;
    let total = all["total"].as_u64().unwrap();
    assert!(
        total >= 5,
        "user.create, login, password change, two failures: {all}"
    );
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert!(
        all["items"][0]["id"].as_i64() > all["items"][1]["id"].as_i64(),
        "newest first"
    );

    let (_, auth) = app.get("/api/v1/audit?action=auth.", &admin).await;
    assert!(auth["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["action"].as_str().unwrap().starts_with("auth.")));
    let (_, failures) = app
        .get("/api/v1/audit?outcome=failure&actor=GHO", &admin)
        .await;
    assert_eq!(failures["total"], 1);
    let (_, future) = app
        .get("/api/v1/audit?from=2999-01-01T00:00:00Z", &admin)
        .await;
    assert_eq!(future["total"], 0);
    let (status, _) = app.get("/api/v1/audit?from=yesterday", &admin).await;
    assert_eq!(status, 400);

    let response = app
        .call(
            Method::GET,
            "/api/v1/audit/export?action=auth.login_failed",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("id,occurred_at,actor_type"));
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(csv.contains("ghost"));
    assert_eq!(
        audit(&app, &admin, "audit.export").await.len(),
        1,
        "exports are audited too"
    );

    // No API edits or deletes audit events.
    for m in [Method::DELETE, Method::PUT, Method::PATCH, Method::POST] {
        let r = app
            .call(m.clone(), "/api/v1/audit", Some(&admin), Some(json!({})))
            .await;
        assert_eq!(r.status(), 405, "{m} /audit");
    }
    app.cleanup().await;
}

async fn the_dashboard_shows_real_figures(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    app.user_token(&admin, "dora", "viewer").await;
    app.login("dora", "wrong-password-3").await;
    let (status, d) = app.get("/api/v1/dashboard", &admin).await;
    assert_eq!(status, 200);
    assert_eq!(d["users_total"], 2);
    assert_eq!(d["users_disabled"], 0);
    assert_eq!(d["active_sessions"], 2);
    assert_eq!(d["failed_logins_24h"], 1);
    assert!(d["audit_events_24h"].as_u64().unwrap() >= 6);
    assert_eq!(
        d["recent_events"].as_array().unwrap().len(),
        10.min(d["audit_events_24h"].as_u64().unwrap() as usize)
    );
    app.cleanup().await;
}
