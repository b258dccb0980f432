//! `TestApp`: a real server on a random port, over a fresh SQLite file or a
//! fresh PostgreSQL database, driven over HTTP like any client.

use itmgr_api::services::bootstrap::ensure_admin;
use itmgr_api::{router, ApiConfig, AppState};
use itmgr_storage::Db;
use reqwest::{Client, Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};
use std::net::SocketAddr;

pub const ADMIN_INITIAL: &str = "initial-boss-pass-0001";
pub const ADMIN_PASSWORD: &str = "changed-boss-pass-0002";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named scenario twice: once on SQLite, once on PostgreSQL.
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                super::$name(crate::helpers::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                super::$name(crate::helpers::Backend::Postgres).await
            }
        }
    )*};
}
pub(crate) use on_both_databases;

pub fn postgres_admin_url() -> String {
    std::env::var("ITMGR_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub struct TestApp {
    pub addr: SocketAddr,
    /// A client with a cookie jar, like a browser.
    pub client: Client,
    pub state: AppState,
    pg_database: Option<String>,
    url: String,
    _dir: tempfile::TempDir,
    _stop: tokio::sync::watch::Sender<bool>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut ApiConfig)) -> Self {
        if std::env::var_os("ITMGR_TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        }
        let dir = tempfile::tempdir().unwrap();
        let (url, pg_database) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}/itmgr.db?mode=rwc", dir.path().display()),
                None,
            ),
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let name = format!("itmgr_t_{}", uuid::Uuid::new_v4().simple());
                let conn = Database::connect(&admin).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL is required for the PostgreSQL suite (ITMGR_TEST_DATABASE_URL={admin}): {e}")
                });
                conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .unwrap();
                conn.close().await.unwrap();
                let base = admin.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap();
                (format!("{base}/{name}"), Some(name))
            }
        };
        let db = Db::connect(&url, 5).await.unwrap();
        db.migrate().await.unwrap();
        let mut config = ApiConfig {
            recordings_dir: Some(dir.path().join("recordings")),
            ..ApiConfig::default()
        };
        config.automation.work_dir = dir.path().join("work");
        config.automation.git_cache = dir.path().join("git");
        config.automation.worker_concurrency = 8;
        config.automation.cancel_grace = std::time::Duration::from_secs(3);
        tweak(&mut config);
        // A worker concurrency of 0 means: no embedded worker (tests that run their own).
        let embedded_worker = config.automation.worker_concurrency > 0;
        let state = AppState::new(db, config, &[7u8; 32]).await.unwrap();
        ensure_admin(&state, ADMIN_INITIAL).await.unwrap();
        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        if embedded_worker {
            itmgr_api::services::executor::start_worker(&state, stop_rx);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        state.set_own_addresses(vec![addr]);
        let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            axum::serve(
                axum::serve::ListenerExt::tap_io(listener, |s: &mut tokio::net::TcpStream| {
                    let _ = s.set_nodelay(true);
                }),
                app,
            )
            .await
            .unwrap()
        });
        Self {
            addr,
            client: browser(),
            state,
            pg_database,
            url: url.clone(),
            _dir: dir,
            _stop: stop,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A request with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        self.call_with(&self.client, method, path, token, body)
            .await
    }

    pub async fn call_with(
        &self,
        client: &Client,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut req = client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.unwrap()
    }

    /// The database this app uses (for a second server on it).
    pub fn database_url(&self) -> String {
        self.url.clone()
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        json_of(self.call(Method::GET, path, Some(token), None).await).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        json_of(self.call(Method::POST, path, Some(token), Some(body)).await).await
    }

    pub async fn login(&self, username: &str, password: &str) -> (StatusCode, Value) {
        json_of(
            self.call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({ "username": username, "password": password })),
            )
            .await,
        )
        .await
    }

    /// Logs in as admin, changes the initial password, returns an access token.
    pub async fn admin_token(&self) -> String {
        let (status, body) = self.login("admin", ADMIN_INITIAL).await;
        assert_eq!(status, 200, "{body}");
        let token = body["access_token"].as_str().unwrap().to_owned();
        let (status, body) = self
            .post(
                "/api/v1/auth/password",
                &token,
                json!({ "current_password": ADMIN_INITIAL, "new_password": ADMIN_PASSWORD }),
            )
            .await;
        assert_eq!(status, 204, "{body}");
        token
    }

    /// Creates a user with `role` and returns a token for them, first password already changed.
    pub async fn user_token(&self, admin: &str, username: &str, role: &str) -> String {
        let initial = "temporary-pass-9876";
        let (status, body) = self
            .post("/api/v1/users", admin, json!({ "username": username, "display_name": username, "role": role, "password": initial }))
            .await;
        assert_eq!(status, 201, "{body}");
        let client = browser();
        let (status, body) = json_of(
            self.call_with(
                &client,
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({ "username": username, "password": initial })),
            )
            .await,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let token = body["access_token"].as_str().unwrap().to_owned();
        let (status, body) = json_of(
            self.call_with(
                &client,
                Method::POST,
                "/api/v1/auth/password",
                Some(&token),
                Some(
                    json!({ "current_password": initial, "new_password": "a-fresh-password-123" }),
                ),
            )
            .await,
        )
        .await;
        assert_eq!(status, 204, "{body}");
        token
    }

    /// Drops the PostgreSQL database (call at the end of a passing test).
    pub async fn cleanup(self) {
        if let Some(name) = &self.pg_database {
            let state = self.state;
            drop(state);
            if let Ok(conn) = Database::connect(&postgres_admin_url()).await {
                let _ = conn
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        }
    }
}

pub fn browser() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

pub async fn json_of(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Audit events with `action`, newest first.
pub async fn audit(app: &TestApp, token: &str, action: &str) -> Vec<Value> {
    let (status, body) = app
        .get(&format!("/api/v1/audit?action={action}&limit=500"), token)
        .await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().unwrap().clone()
}

/// Polls until a run is over (at most 60 s).
pub async fn finished(app: &TestApp, token: &str, id: &str) -> Value {
    finished_within(app, token, id, std::time::Duration::from_secs(60)).await
}

/// Polls until a run is over.
pub async fn finished_within(
    app: &TestApp,
    token: &str,
    id: &str,
    within: std::time::Duration,
) -> Value {
    let deadline = std::time::Instant::now() + within;
    loop {
        let (status, run) = app.get(&format!("/api/v1/runs/{id}"), token).await;
        assert_eq!(status, 200, "{run}");
        if !matches!(run["status"].as_str(), Some("queued" | "running")) {
            return run;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the run never finished: {run}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A run's host by name.
pub fn host<'a>(run: &'a Value, name: &str) -> &'a Value {
    run["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["host_name"] == name)
        .unwrap_or_else(|| panic!("no host {name} in {run}"))
}

/// Creates a host logging in with `credential` and records its SSH host key as if it had been
/// accepted; returns its id.
pub async fn host_with_key(
    app: &TestApp,
    admin: &str,
    name: &str,
    addr: std::net::SocketAddr,
    host_key: &str,
    credential: &str,
) -> itmgr_domain::HostId {
    let (status, h) = app
        .post("/api/v1/hosts", admin, json!({ "name": name, "address": addr.ip().to_string(), "port": addr.port(), "credential": credential }))
        .await;
    assert_eq!(status, 201, "{h}");
    let id: itmgr_domain::HostId = h["id"].as_str().unwrap().parse().unwrap();
    let fp = itmgr_ssh::HostKey::parse(host_key).unwrap().fingerprint;
    itmgr_storage::repo::hosts::record_host_key_if_unset(app.state.db.conn(), id, host_key, &fp)
        .await
        .unwrap();
    id
}

/// The fleet's hosts as (name, address, host key), named `{prefix}00`, `{prefix}01`, …
pub fn fleet_targets(
    fleet: &itmgr_testfleet::Fleet,
    prefix: &str,
) -> Vec<(String, std::net::SocketAddr, String)> {
    fleet
        .hosts
        .iter()
        .enumerate()
        .map(|(i, h)| {
            (
                format!("{prefix}{i:02}"),
                std::net::SocketAddr::from((h.ip, h.port)),
                h.host_key.clone(),
            )
        })
        .collect()
}
