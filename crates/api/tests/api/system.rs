use crate::helpers::*;
use reqwest::Method;
use serde_json::json;

on_both_databases!(
    errors_are_json_with_code_message_details,
    the_general_rate_limit_answers_429_with_retry_after,
    metrics_health_and_docs_are_served,
    migrations_are_idempotent_and_safe_to_run_concurrently,
);

async fn errors_are_json_with_code_message_details(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let (status, body) = app.get("/api/v1/no-such-thing", &admin).await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "not_found");
    let (status, body) = app.get("/api/v1/users", "garbage-token").await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "unauthorized");
    let r = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(r).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "bad_request");
    assert!(body["message"].is_string() && body.get("details").is_some());
    let (status, body) = json_of(
        app.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({ "username": 5 })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "validation_failed");
    let r = app
        .call(Method::GET, "/api/v1/users", Some(&admin), None)
        .await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(r.headers().contains_key("x-request-id"));
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-eval")
            && !csp
                .split(';')
                .any(|d| d.contains("script-src") && d.contains("unsafe-inline"))
    );
    app.cleanup().await;
}

async fn the_general_rate_limit_answers_429_with_retry_after(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.rate_limit_per_minute = 60;
        c.rate_limit_burst = 5;
    })
    .await;
    let mut limited = None;
    for _ in 0..10 {
        let r = app.call(Method::GET, "/api/v1/health", None, None).await;
        if r.status() == 429 {
            limited = Some(r);
            break;
        }
    }
    let r = limited.expect("the sixth request within a second is limited");
    assert!(
        r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    let (_, body) = json_of(r).await;
    assert_eq!(body["code"], "rate_limited");
    app.cleanup().await;
}

async fn metrics_health_and_docs_are_served(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    app.get("/api/v1/users", &token).await;
    assert_eq!(
        app.call(Method::GET, "/api/v1/ready", None, None)
            .await
            .status(),
        200
    );
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(
            "itmgr_http_requests_total{method=\"GET\",route=\"/api/v1/users\",status=\"200\"} 1"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("itmgr_http_request_duration_seconds_bucket"));
    assert!(metrics.contains("itmgr_db_pool_connections"));
    assert!(metrics.contains("itmgr_build_info{version="));
    let doc: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let docs = app
        .client
        .get(app.url("/api/docs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        docs.contains("/apidocs/swagger-ui-bundle.js")
            && !docs.contains("https://")
            && !docs.contains("<script>"),
        "no CDN"
    );
    app.cleanup().await;
}

async fn migrations_are_idempotent_and_safe_to_run_concurrently(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let db = &app.state.db;
    let before = db.applied_migrations().await.unwrap();
    let (a, b) = tokio::join!(db.migrate(), db.migrate());
    a.unwrap();
    b.unwrap();
    assert_eq!(db.applied_migrations().await.unwrap(), before);
    assert!(!before.is_empty());
    app.cleanup().await;
}

#[test]
fn the_openapi_document_matches_the_committed_contract() {
    let doc = itmgr_api::openapi::document_json();
    let value: serde_json::Value = serde_json::from_str(&doc).unwrap();
    insta::assert_json_snapshot!("openapi", value);
    // The web client's types are generated from the root copy: keep it in step.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.json");
    if std::env::var_os("ITMGR_UPDATE_OPENAPI").is_some() {
        std::fs::write(root, format!("{doc}\n")).unwrap();
    }
    let committed = std::fs::read_to_string(root).unwrap_or_default();
    assert_eq!(
        committed.trim(),
        doc.trim(),
        "openapi.json is stale: run `make openapi`"
    );
}
