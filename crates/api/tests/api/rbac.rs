use crate::helpers::*;
use reqwest::Method;
use serde_json::json;

/// Mutating endpoints every signed-in user may call on their own behalf.
/// Anything else that mutates must refuse a viewer.
const SELF_SERVICE: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/auth/password"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{id}"),
    ("delete", "/api/v1/sessions/{id}"),
    // Read-only evaluation of an unsaved rule (a POST for its body).
    ("post", "/api/v1/groups/preview"),
    // Read-only resolution of a run's selection.
    ("post", "/api/v1/runs/targets"),
    // Read-only checks of unsaved playbook text and schedule timing.
    ("post", "/api/v1/playbooks/validate"),
    ("post", "/api/v1/schedules/preview"),
];

on_both_databases!(
    a_viewer_gets_403_on_every_mutating_endpoint,
    an_operator_reads_but_cannot_administer,
    a_session_of_another_user_is_invisible_without_the_permission,
);

fn body_for(path: &str) -> serde_json::Value {
    // Valid bodies, so a 403 cannot be a validation error in disguise.
    match path {
        "/api/v1/users" => {
            json!({ "username": "mallory", "display_name": "M", "role": "admin", "password": "long-enough-password-1" })
        }
        "/api/v1/users/{id}" => json!({ "version": 1, "role": "admin" }),
        "/api/v1/users/{id}/reset-password" => json!({ "password": "long-enough-password-1" }),
        "/api/v1/settings" => {
            json!({ "session_idle_timeout_minutes": 60, "session_absolute_lifetime_hours": 24, "audit_retention_days": 30, "run_retention_days": 30, "runs_kept_per_playbook": 0, "run_logs_max_mb": 0, "version": 1 })
        }
        "/api/v1/secrets" => json!({ "name": "stolen", "kind": "text", "value": "x" }),
        "/api/v1/secrets/{id}" => json!({ "version": 1 }),
        "/api/v1/secrets/{id}/value" => json!({ "version": 1, "value": "x" }),
        "/api/v1/secrets/{id}/reveal" => json!({ "password": "a-fresh-password-123" }),
        "/api/v1/hosts" => json!({ "name": "h1", "address": "10.0.0.1" }),
        "/api/v1/hosts/{id}" => json!({ "version": 1, "port": 2222 }),
        "/api/v1/hosts/bulk-delete" | "/api/v1/hosts/check" => {
            json!({ "ids": ["0190a0a0-0000-7000-8000-000000000000"] })
        }
        "/api/v1/hosts/bulk-update" => {
            json!({ "ids": ["0190a0a0-0000-7000-8000-000000000000"], "add_tags": { "a": "b" } })
        }
        "/api/v1/hosts/import" => {
            json!({ "format": "csv", "content": "name,address\nx,10.0.0.1\n", "dry_run": true })
        }
        "/api/v1/hosts/test-connection" => json!({ "address": "10.0.0.1" }),
        "/api/v1/groups" => json!({ "name": "g1", "kind": "static" }),
        "/api/v1/hosts/{id}/host-key/accept" => json!({ "fingerprint": "SHA256:x" }),
        "/api/v1/terminal/sessions" => json!({ "host_id": "0190a0a0-0000-7000-8000-000000000000" }),
        "/api/v1/groups/{id}" => json!({ "version": 1, "description": "x" }),
        "/api/v1/groups/{id}/members" | "/api/v1/groups/{id}/members/remove" => {
            json!({ "ids": ["0190a0a0-0000-7000-8000-000000000000"] })
        }
        "/api/v1/inventory/settings" => json!({
            "check_interval_seconds": 300, "check_concurrency": 10, "check_timeout_seconds": 5,
            "default_check_method": "tcp", "status_history_retention_days": 30, "version": 0
        }),
        "/api/v1/runs/commands" => json!({ "targets": {}, "command": "true" }),
        "/api/v1/runs/ssh-keys" => json!({ "targets": {}, "action": "deploy", "public_key": "x" }),
        "/api/v1/runs/key-rotation" => json!({ "key_secret": "x" }),
        "/api/v1/playbooks" | "/api/v1/playbooks/{id}" => {
            json!({ "name": "p", "content": "- hosts: all\n  tasks: []\n" })
        }
        "/api/v1/schedules" | "/api/v1/schedules/{id}" => json!({
            "playbook_id": "0190a0a0-0000-7000-8000-000000000000", "name": "s", "cron": "0 * * * *"
        }),
        _ => json!({}),
    }
}

async fn a_viewer_gets_403_on_every_mutating_endpoint(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let viewer = app.user_token(&admin, "vera", "viewer").await;
    let (_, me) = app.get("/api/v1/auth/me", &admin).await;
    let admin_id = me["user"]["id"].as_str().unwrap().to_owned();

    let doc: serde_json::Value =
        serde_json::from_str(&itmgr_api::openapi::document_json()).unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["post", "put", "patch", "delete"] {
            if item.get(method).is_none() || SELF_SERVICE.contains(&(method, path.as_str())) {
                continue;
            }
            let url = path.replace("{id}", &admin_id).replace("{version}", "1");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let (status, body) =
                json_of(app.call(m, &url, Some(&viewer), Some(body_for(path))).await).await;
            assert_eq!(status, 403, "{method} {path} must refuse a viewer: {body}");
            assert_eq!(body["code"], "forbidden");
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} mutating endpoints found");

    // Each refusal is in the audit log, naming the endpoint and the permission.
    let denied = audit(&app, &admin, "auth.denied").await;
    assert_eq!(denied.len(), checked);
    assert!(denied
        .iter()
        .all(|e| e["actor_name"] == "vera" && e["outcome"] == "denied"));
    assert!(
        denied
            .iter()
            .any(|e| e["target_id"] == "POST /api/v1/users"
                && e["diff"]["permission"] == "users:create"),
        "{denied:?}"
    );

    // Nothing changed behind the 403s.
    let (_, users) = app.get("/api/v1/users", &admin).await;
    assert_eq!(users["total"], 2);
    let (_, me) = app.get("/api/v1/auth/me", &admin).await;
    assert_eq!(me["user"]["role"], "admin");

    // The self-service endpoints do work for a viewer, on their own things only.
    let (status, _) = app
        .post(
            "/api/v1/tokens",
            &viewer,
            json!({ "name": "read-only dashboards" }),
        )
        .await;
    assert_eq!(status, 201);
    app.cleanup().await;
}

async fn an_operator_reads_but_cannot_administer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let operator = app.user_token(&admin, "otto", "operator").await;
    for path in [
        "/api/v1/users",
        "/api/v1/audit",
        "/api/v1/dashboard",
        "/api/v1/settings",
    ] {
        assert_eq!(app.get(path, &operator).await.0, 200, "{path}");
    }
    let (_, me) = app.get("/api/v1/auth/me", &operator).await;
    let perms: Vec<&str> = me["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(perms.contains(&"audit:export") && !perms.contains(&"users:create"));
    let (status, _) = app
        .post("/api/v1/users", &operator, body_for("/api/v1/users"))
        .await;
    assert_eq!(status, 403);
    let (status, _) = app.get("/api/v1/sessions?scope=all", &operator).await;
    assert_eq!(status, 403);
    app.cleanup().await;
}

async fn a_session_of_another_user_is_invisible_without_the_permission(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let viewer = app.user_token(&admin, "vince", "viewer").await;
    let (_, own) = app.get("/api/v1/sessions", &admin).await;
    let admin_session = own["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(own["items"][0]["current"], true);

    let response = app
        .call(
            Method::DELETE,
            &format!("/api/v1/sessions/{admin_session}"),
            Some(&viewer),
            None,
        )
        .await;
    assert_eq!(
        response.status(),
        404,
        "a viewer cannot even learn that the session exists"
    );
    assert_eq!(app.get("/api/v1/auth/me", &admin).await.0, 200);

    // The admin sees everyone's sessions and can end the viewer's.
    let (status, all) = app.get("/api/v1/sessions?scope=all", &admin).await;
    assert_eq!(status, 200);
    assert_eq!(all["total"], 2);
    let viewer_session = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == "vince")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = app
        .call(
            Method::DELETE,
            &format!("/api/v1/sessions/{viewer_session}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.get("/api/v1/auth/me", &viewer).await.0, 401);
    app.cleanup().await;
}
