//! A real server for benchmarks: fresh SQLite, no rate limit, TCP_NODELAY, the admin logged in.

use itmgr_api::services::bootstrap::ensure_admin;
use itmgr_api::{router, ApiConfig, AppState};
use itmgr_storage::Db;
use serde_json::{json, Value};
use std::net::SocketAddr;

/// A running server and a logged-in admin.
#[allow(dead_code)] // each bench uses what it needs
pub struct Server {
    pub addr: SocketAddr,
    /// The server's state (e.g. to record host keys directly).
    pub state: AppState,
    pub token: String,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// Starts a server on 127.0.0.1 with a fresh database and logs in as admin.
pub async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(
        &format!("sqlite://{}/b.db?mode=rwc", dir.path().display()),
        5,
    )
    .await
    .unwrap();
    db.migrate().await.unwrap();
    let config = ApiConfig {
        rate_limit_per_minute: 1_000_000,
        rate_limit_burst: 100_000,
        ..Default::default()
    };
    let state = AppState::new(db, config, &[9u8; 32]).await.unwrap();
    ensure_admin(&state, "bench-initial-pass-1").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    state.set_own_addresses(vec![addr]);
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let listener = axum::serve::ListenerExt::tap_io(listener, |s: &mut tokio::net::TcpStream| {
        let _ = s.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = reqwest::Client::new();
    let base = format!("http://{addr}");
    let login: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": "admin", "password": "bench-initial-pass-1" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    http.post(format!("{base}/api/v1/auth/password"))
        .bearer_auth(&token)
        .json(&json!({ "current_password": "bench-initial-pass-1", "new_password": "bench-changed-pass-2" }))
        .send()
        .await
        .unwrap();
    Server {
        addr,
        state,
        token,
        http,
        _dir: dir,
    }
}
