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
    let token = first_login(&http, &format!("http://{addr}"))
        .await
        .expect("login");
    Server {
        addr,
        state,
        token,
        http,
        _dir: dir,
    }
}

/// Logs in as admin with the bench's initial password and changes it, as the first login must;
/// `None` while the server is not answering yet.
pub async fn first_login(http: &reqwest::Client, base: &str) -> Option<String> {
    let login: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": "admin", "password": "bench-initial-pass-1" }))
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let token = login["access_token"].as_str()?.to_owned();
    http.post(format!("{base}/api/v1/auth/password"))
        .bearer_auth(&token)
        .json(&json!({ "current_password": "bench-initial-pass-1", "new_password": "bench-changed-pass-2" }))
        .send()
        .await
        .ok()?;
    Some(token)
}

/// A logged-in API client.
#[allow(dead_code)] // each bench uses what it needs
pub struct Api {
    pub base: String,
    pub token: String,
    pub http: reqwest::Client,
}

#[allow(dead_code)]
impl Api {
    /// Calls the API and insists on success.
    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let res = r.send().await.expect("request");
        let status = res.status();
        let v: Value = res.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{path}: {status} {v}");
        v
    }
}

#[allow(dead_code)]
impl Server {
    /// A client for this server.
    pub fn api(&self) -> Api {
        Api {
            base: format!("http://{}", self.addr),
            token: self.token.clone(),
            http: self.http.clone(),
        }
    }
}

/// A `/proc/self/status` field in KiB (`VmRSS`, `VmHWM`…), 0 when unreadable.
#[allow(dead_code)]
pub fn self_status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
