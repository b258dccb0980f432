//! The real `itmgr` binary: start-up, first admin, CLI, and no secrets in logs.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_itmgr");

fn itmgr(dir: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ITMGR_DATA_DIR", dir.join("data"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/data/itmgr.db?mode=rwc", dir.display()),
        )
        .env("ITMGR_LISTEN", "127.0.0.1:0");
    c
}

struct Server {
    child: Child,
    log: Arc<Mutex<String>>,
    base: String,
}

impl Server {
    fn start(mut cmd: Command) -> Self {
        let mut child = cmd
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let re = regex::Regex::new(r"ready at http://([0-9.:]+)").unwrap();
        loop {
            let found = re
                .captures(&log.lock().unwrap())
                .map(|c| format!("http://{}", &c[1]));
            if let Some(base) = found {
                return Self { child, log, base };
            }
            assert!(
                Instant::now() < deadline,
                "server did not start:\n{}",
                log.lock().unwrap()
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "server exited:\n{}",
                log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        std::thread::sleep(Duration::from_millis(100));
        let log = self.log.lock().unwrap().clone();
        log
    }
}

async fn post(
    client: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut r = client.post(url).json(&body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn no_password_or_token_ever_reaches_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let initial = "Initial-Secret-Pass-31";
    let mut cmd = itmgr(dir.path());
    cmd.env("ITMGR_ADMIN_PASSWORD", initial)
        .env("ITMGR_LOG_FORMAT", "json")
        .env("ITMGR_LOG_LEVEL", "debug");
    let server = Server::start(cmd);
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let base = server.base.clone();

    let wrong = "Wrong-Guess-Pass-77";
    assert_eq!(
        post(
            &client,
            format!("{base}/api/v1/auth/login"),
            None,
            json!({ "username": "admin", "password": wrong })
        )
        .await
        .0,
        401
    );
    let (status, login) = post(
        &client,
        format!("{base}/api/v1/auth/login"),
        None,
        json!({ "username": "admin", "password": initial }),
    )
    .await;
    assert_eq!(status, 200);
    let access = login["access_token"].as_str().unwrap().to_owned();
    let changed = "Changed-Secret-Pass-42";
    let (status, _) = post(
        &client,
        format!("{base}/api/v1/auth/password"),
        Some(&access),
        json!({ "current_password": initial, "new_password": changed }),
    )
    .await;
    assert_eq!(status, 204);
    let refresh = client
        .post(format!("{base}/api/v1/auth/refresh"))
        .send()
        .await
        .unwrap();
    let cookie = refresh.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .split('=')
        .nth(1)
        .unwrap()
        .to_owned();
    let refreshed: Value = refresh.json().await.unwrap();
    let access2 = refreshed["access_token"].as_str().unwrap().to_owned();
    let (status, token) = post(
        &client,
        format!("{base}/api/v1/tokens"),
        Some(&access2),
        json!({ "name": "log test" }),
    )
    .await;
    assert_eq!(status, 201);
    let secret = token["secret"].as_str().unwrap().to_owned();
    let r = client
        .get(format!("{base}/api/v1/users?q={secret}"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, _) = post(&client, format!("{base}/api/v1/users"), Some(&secret), json!({ "username": "newbie", "display_name": "N", "role": "viewer", "password": "Fresh-Secret-Pass-55" })).await;
    assert_eq!(status, 201);

    let log = server.stop();
    assert!(
        log.contains("auth/login") && log.contains("request"),
        "requests are logged:\n{log}"
    );
    for line in log.lines() {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
    for (what, s) in [
        ("initial password", initial),
        ("wrong password", wrong),
        ("new password", changed),
        ("created user's password", "Fresh-Secret-Pass-55"),
        ("access token", &access),
        ("refreshed access token", &access2),
        ("refresh token", &cookie),
        ("API token", &secret),
    ] {
        assert!(!log.contains(s), "the {what} leaked into the log:\n{log}");
    }
}

#[tokio::test]
async fn first_start_generates_a_master_key_and_an_admin_password_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(itmgr(dir.path()));
    let file = dir.path().join("data/initial-admin-password");
    let password = std::fs::read_to_string(&file).unwrap().trim().to_owned();
    assert_eq!(password.len(), 20);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(dir.path().join("data/master.key"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
    }
    let client = reqwest::Client::new();
    let (status, body) = post(
        &client,
        format!("{}/api/v1/auth/login", server.base),
        None,
        json!({ "username": "admin", "password": password }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["user"]["must_change_password"], true);
    let log = server.stop();
    assert_eq!(log.matches(&password).count(), 1, "printed once:\n{log}");
    assert!(log.contains("generated a master key"));

    // A second start keeps both and creates nobody.
    let key = std::fs::read_to_string(dir.path().join("data/master.key")).unwrap();
    let log = Server::start(itmgr(dir.path())).stop();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("data/master.key")).unwrap(),
        key
    );
    assert!(!log.contains("created user admin"), "{log}");
}

#[test]
fn bad_configuration_stops_start_up_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let out = itmgr(dir.path())
        .env("DATABASE_URL", "postgres://127.0.0.1:5432/postgres")
        .arg("serve")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ITMGR_MASTER_KEY"));
    let out = itmgr(dir.path())
        .env("ITMGR_MASTER_KEY", "c2hvcnQ=")
        .arg("serve")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ITMGR_MASTER_KEY"));
    let out = itmgr(dir.path())
        .env("ITMGR_LISTEN", "not-an-address")
        .arg("serve")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("LISTEN"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = dir.path().join("itmgr.toml");
    std::fs::write(&toml, "audit_retention_days = 0\n").unwrap();
    let out = itmgr(dir.path())
        .arg("--config")
        .arg(&toml)
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ITMGR_AUDIT_RETENTION_DAYS"));
}

#[test]
fn the_admin_cli_creates_lists_and_resets_users() {
    let dir = tempfile::tempdir().unwrap();
    let out = itmgr(dir.path()).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("applied m20261123_000001_foundation"));

    let mut child = itmgr(dir.path())
        .args([
            "admin",
            "create-user",
            "--username",
            "Ops.Lead",
            "--role",
            "operator",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"from-stdin-password-1\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("from-stdin-password-1"));

    let out = itmgr(dir.path())
        .args(["admin", "create-user", "--username", "ops.lead"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));

    let out = itmgr(dir.path())
        .args(["admin", "list-users"])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.contains("ops.lead") && list.contains("operator"),
        "{list}"
    );

    let out = itmgr(dir.path())
        .args(["admin", "reset-password", "--username", "ops.lead"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("new password: "), "{text}");
    let out = itmgr(dir.path())
        .args(["admin", "reset-password", "--username", "nobody"])
        .output()
        .unwrap();
    assert!(!out.status.success());

    let out = Command::new(BIN).arg("version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("itmgr "));
}

#[tokio::test]
async fn the_vault_master_key_rotates_and_a_wrong_key_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = itmgr(dir.path());
    cmd.env("ITMGR_ADMIN_PASSWORD", "Initial-Secret-Pass-31");
    let server = Server::start(cmd);
    let client = reqwest::Client::new();
    let base = server.base.clone();
    let (_, login) = post(
        &client,
        format!("{base}/api/v1/auth/login"),
        None,
        json!({ "username": "admin", "password": "Initial-Secret-Pass-31" }),
    )
    .await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    let (status, _) = post(&client, format!("{base}/api/v1/auth/password"), Some(&token), json!({ "current_password": "Initial-Secret-Pass-31", "new_password": "Changed-Secret-Pass-42" })).await;
    assert_eq!(status, 204);
    let (status, _) = post(
        &client,
        format!("{base}/api/v1/secrets"),
        Some(&token),
        json!({ "name": "db", "kind": "password", "value": "Vault-Plain-Value-9" }),
    )
    .await;
    assert_eq!(status, 201);
    let log = server.stop();
    assert!(!log.contains("Vault-Plain-Value-9"));

    let old_key = std::fs::read_to_string(dir.path().join("data/master.key")).unwrap();
    let new_key = "ab".repeat(32);
    let mut child = itmgr(dir.path())
        .args(["vault", "rotate-master-key"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{new_key}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("re-wrapped 1 secrets"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("data/master.key")).unwrap(),
        new_key
    );

    let out = itmgr(dir.path()).args(["vault", "check"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 secrets decrypt"));

    let out = itmgr(dir.path())
        .env("ITMGR_MASTER_KEY", old_key.trim())
        .args(["vault", "check"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ITMGR_MASTER_KEY does not match"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args([url, "-tAc", sql])
        .output()
        .expect("psql is installed");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Two `itmgr worker` processes share one PostgreSQL queue of 200 runs: each runs exactly once.
#[tokio::test]
async fn two_workers_on_postgresql_run_each_of_200_queued_jobs_exactly_once() {
    let (admin_url, name, url) = fresh_pg_database("itmgr_w");
    let dir = tempfile::tempdir().unwrap();
    let key = "ab".repeat(32);
    let cmd = || {
        let mut c = on_postgres(dir.path(), &url, &key, "Initial-Worker-Pass-1");
        c.env("ITMGR_WORKER_CONCURRENCY", "4");
        c
    };
    let server = Server::start(cmd());
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let token = first_login(
        &client,
        &base,
        "Initial-Worker-Pass-1",
        "Changed-Worker-Pass-2",
    )
    .await;
    // A host without a credential: each run ends at once, with one message, on its worker.
    let (s, h) = post(
        &client,
        format!("{base}/api/v1/hosts"),
        Some(&token),
        json!({ "name": "queue-host", "address": "127.0.0.1" }),
    )
    .await;
    assert_eq!(s, 201, "{h}");
    for i in 0..200 {
        let (s, r) = post(
            &client,
            format!("{base}/api/v1/runs/commands"),
            Some(&token),
            json!({ "targets": { "hosts": [h["id"]] }, "command": format!("echo {i}") }),
        )
        .await;
        assert_eq!(s, 202, "{r}");
    }
    assert_eq!(
        psql(&url, "select count(*) from jobs where status = 'queued'"),
        "200"
    );
    let workers: Vec<Child> = (0..2)
        .map(|_| {
            let log = std::env::temp_dir().join(format!("itmgr-worker-{}.log", std::process::id()));
            spawn_worker(cmd(), Some(log))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while psql(&url, "select count(*) from jobs where status <> 'done'") != "0" {
        assert!(
            Instant::now() < deadline,
            "the workers did not drain the queue"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    for mut w in workers {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(w.id().to_string())
            .status();
        let _ = w.wait();
    }
    assert_eq!(
        psql(&url, "select count(*) from jobs where attempts = 1"),
        "200",
        "{}",
        psql(
            &url,
            "select attempts, coalesce(last_error, '-'), count(*) from jobs group by 1, 2"
        )
    );
    assert_eq!(
        psql(
            &url,
            "select count(*) from runs where status = 'failed' and started_at is not null"
        ),
        "200"
    );
    // One message per run: a second execution would have added its own.
    assert_eq!(psql(&url, "select count(*) from run_output"), "200");

    // A worker that dies mid-run: once its lease expires, another worker marks the run lost
    // (visibly, never "running" forever), and does not run it again (it had started).
    let silent = itmgr_testfleet::Silent::start();
    let (s, c) = post(&client, format!("{base}/api/v1/secrets"), Some(&token), json!({ "name": "pw", "kind": "ssh_credential", "username": "x", "value": "some-password" })).await;
    assert_eq!(s, 201, "{c}");
    let (s, h) = post(&client, format!("{base}/api/v1/hosts"), Some(&token), json!({ "name": "silent-host", "address": silent.addr.ip().to_string(), "port": silent.addr.port(), "credential": "pw" })).await;
    assert_eq!(s, 201, "{h}");
    // Runs fail closed without a host key on record: record one (the silent host never gets as
    // far as presenting its own).
    let k = dir.path().join("hk");
    assert!(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", ""])
        .arg("-f")
        .arg(&k)
        .status()
        .unwrap()
        .success());
    let public = std::fs::read_to_string(k.with_extension("pub")).unwrap();
    let public: Vec<&str> = public.split_whitespace().take(2).collect();
    let fp = String::from_utf8(
        Command::new("ssh-keygen")
            .arg("-lf")
            .arg(k.with_extension("pub"))
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let fp = fp.split_whitespace().nth(1).unwrap().to_owned();
    psql(&url, &format!("update hosts set host_key = '{}', host_key_fingerprint = '{fp}' where name = 'silent-host'", public.join(" ")));
    let (s, run) = post(
        &client,
        format!("{base}/api/v1/runs/commands"),
        Some(&token),
        json!({ "targets": { "hosts": [h["id"]] }, "command": "true", "timeout_seconds": 300 }),
    )
    .await;
    assert_eq!(s, 202, "{run}");
    let run_id = run["id"].as_str().unwrap().to_owned();
    let start_worker = || {
        let mut c = cmd();
        c.env("ITMGR_JOB_LEASE_SECONDS", "2");
        spawn_worker(c, None)
    };
    let mut doomed = start_worker();
    let deadline = Instant::now() + Duration::from_secs(30);
    while psql(
        &url,
        &format!("select status from runs where id = '{run_id}'"),
    ) != "running"
    {
        assert!(
            Instant::now() < deadline,
            "the run never started: {}",
            psql(
                &url,
                &format!("select status, coalesce(error, '-') from runs where id = '{run_id}'")
            )
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = Command::new("kill")
        .arg("-KILL")
        .arg(doomed.id().to_string())
        .status();
    let _ = doomed.wait();
    let mut rescuer = start_worker();
    let deadline = Instant::now() + Duration::from_secs(30);
    while psql(
        &url,
        &format!("select status from runs where id = '{run_id}'"),
    ) == "running"
    {
        assert!(
            Instant::now() < deadline,
            "the run stayed running after its worker died"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(rescuer.id().to_string())
        .status();
    let _ = rescuer.wait();
    assert_eq!(
        psql(
            &url,
            &format!("select status from runs where id = '{run_id}'")
        ),
        "lost"
    );
    assert_eq!(
        psql(
            &url,
            &format!("select attempts from jobs where run_id = '{run_id}'")
        ),
        "1"
    );
    server.stop();
    psql(
        &admin_url,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    );
}

async fn get(client: &reqwest::Client, url: String, token: &str) -> Value {
    let r = client.get(url).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.unwrap()
}

/// What a user sees of the data, for comparing one database with its copy. PostgreSQL keeps
/// timestamps to the microsecond, SQLite to the nanosecond: fractions are compared to 6 digits.
async fn snapshot(client: &reqwest::Client, base: &str, token: &str) -> Value {
    let mut all = serde_json::Map::new();
    for path in [
        "hosts?limit=100&sort=name",
        "groups",
        "secrets",
        "playbooks",
        "runs",
        "schedules",
    ] {
        all.insert(
            path.into(),
            get(client, format!("{base}/api/v1/{path}"), token).await,
        );
    }
    let runs = all["runs"]["items"].as_array().unwrap().clone();
    for run in runs {
        let id = run["id"].as_str().unwrap();
        all.insert(
            format!("run {id}"),
            get(client, format!("{base}/api/v1/runs/{id}"), token).await,
        );
    }
    // When a schedule fires next depends on the clock, not on the data.
    if let Some(list) = all["schedules"].as_array_mut() {
        for s in list {
            s.as_object_mut().unwrap().remove("next");
        }
    }
    let text = serde_json::to_string(&Value::Object(all)).unwrap();
    // Six digits always: chrono prints .824 for .824000, which the engines may store either way.
    let fraction = regex::Regex::new(r"(T\d\d:\d\d:\d\d)(?:\.(\d+))?Z").unwrap();
    let text = fraction.replace_all(&text, |c: &regex::Captures| {
        let digits = c.get(2).map_or("", |m| m.as_str());
        format!("{}.{:0<6.6}Z", &c[1], digits)
    });
    serde_json::from_str(&text).unwrap()
}

/// Names the parts that differ instead of printing two whole snapshots.
fn assert_same(got: &Value, want: &Value) {
    for (key, value) in want.as_object().unwrap() {
        assert_eq!(
            got.get(key),
            Some(value),
            "{key} differs:\n got {}\nwant {value}",
            got.get(key).unwrap_or(&Value::Null)
        );
    }
    assert_eq!(
        got.as_object().unwrap().len(),
        want.as_object().unwrap().len()
    );
}

async fn login(client: &reqwest::Client, base: &str, password: &str) -> String {
    let (s, login) = post(
        client,
        format!("{base}/api/v1/auth/login"),
        None,
        json!({ "username": "admin", "password": password }),
    )
    .await;
    assert_eq!(s, 200, "{login}");
    login["access_token"].as_str().unwrap().to_owned()
}

/// The first administrator's first login: the initial password must be changed; returns a token.
async fn first_login(client: &reqwest::Client, base: &str, initial: &str, changed: &str) -> String {
    let token = login(client, base, initial).await;
    let (s, body) = post(
        client,
        format!("{base}/api/v1/auth/password"),
        Some(&token),
        json!({ "current_password": initial, "new_password": changed }),
    )
    .await;
    assert_eq!(s, 204, "{body}");
    login(client, base, changed).await
}

/// Periodic host checks every `seconds` (0: off), with a 2-second timeout.
async fn set_check_interval(client: &reqwest::Client, base: &str, token: &str, seconds: u32) {
    let mut settings = get(client, format!("{base}/api/v1/inventory/settings"), token).await;
    settings["check_interval_seconds"] = json!(seconds);
    settings["check_timeout_seconds"] = json!(2);
    let r = client
        .put(format!("{base}/api/v1/inventory/settings"))
        .bearer_auth(token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

/// `itmgr` on a PostgreSQL database as compose runs it: no embedded worker.
fn on_postgres(dir: &std::path::Path, url: &str, key: &str, admin_password: &str) -> Command {
    let mut c = itmgr(dir);
    c.env("DATABASE_URL", url)
        .env("ITMGR_MASTER_KEY", key)
        .env("ITMGR_EMBEDDED_WORKER", "false")
        .env("ITMGR_ADMIN_PASSWORD", admin_password);
    c
}

/// Starts `itmgr worker` from `cmd`, its stderr going to `log` (or nowhere).
fn spawn_worker(mut cmd: Command, log: Option<std::path::PathBuf>) -> Child {
    let stderr = log
        .and_then(|p| std::fs::File::create(p).ok())
        .map_or(Stdio::null(), Stdio::from);
    cmd.arg("worker")
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

/// A new, empty PostgreSQL database for one test: (server URL to administer it, name, its URL).
fn fresh_pg_database(prefix: &str) -> (String, String, String) {
    let admin_url = std::env::var("ITMGR_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("{prefix}_{}", std::process::id());
    psql(&admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
    psql(&admin_url, &format!("CREATE DATABASE {name}"));
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    (admin_url, name, url)
}

async fn reveal(client: &reqwest::Client, base: &str, token: &str, id: &str) -> Value {
    let (s, body) = post(
        client,
        format!("{base}/api/v1/secrets/{id}/reveal"),
        Some(token),
        json!({ "password": "Moved-Owner-Pass-2" }),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    body["value"].clone()
}

fn migrate_data(dir: &std::path::Path, from: &str, to: &str) -> (bool, String) {
    let out = itmgr(dir)
        .args(["migrate-data", "--from", from, "--to", to])
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// A SQLite installation with real data moves to PostgreSQL and back with `itmgr migrate-data`:
/// users log in with the same password, every list and run reads the same, secrets still decrypt
/// under the same master key, and the copy takes new rows (sequences were advanced).
#[tokio::test]
async fn migrate_data_moves_an_installation_from_sqlite_to_postgresql_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let mut cmd = itmgr(dir.path());
    cmd.env("ITMGR_ADMIN_PASSWORD", "Initial-Owner-Pass-1");
    let server = Server::start(cmd);
    let base = server.base.clone();
    let token = first_login(&client, &base, "Initial-Owner-Pass-1", "Moved-Owner-Pass-2").await;
    // No periodic checks: a host's status must not change between the snapshot and the copy.
    set_check_interval(&client, &base, &token, 0).await;
    let (s, secret) = post(
        &client,
        format!("{base}/api/v1/secrets"),
        Some(&token),
        json!({ "name": "prod/db", "kind": "password", "value": "pg-Pa55-w0rd" }),
    )
    .await;
    assert_eq!(s, 201, "{secret}");
    let secret_id = secret["id"].as_str().unwrap().to_owned();
    for i in 0..30 {
        let env = if i % 3 == 0 { "prod" } else { "staging" };
        let (s, h) = post(&client, format!("{base}/api/v1/hosts"), Some(&token), json!({ "name": format!("web-{i:02}"), "address": format!("10.0.0.{}", i + 1), "os": "linux", "tags": { "env": env, "role": "web" } })).await;
        assert_eq!(s, 201, "{h}");
    }
    let (s, g) = post(
        &client,
        format!("{base}/api/v1/groups"),
        Some(&token),
        json!({ "name": "prod_web", "kind": "dynamic", "rule": "tags.env == \"prod\"" }),
    )
    .await;
    assert_eq!(s, 201, "{g}");
    let (s, pb) = post(&client, format!("{base}/api/v1/playbooks"), Some(&token), json!({ "name": "hello", "content": "- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n" })).await;
    assert_eq!(s, 201, "{pb}");
    let (s, sc) = post(&client, format!("{base}/api/v1/schedules"), Some(&token), json!({ "playbook_id": pb["id"], "name": "nightly", "cron": "0 3 * * *", "timezone": "Europe/Berlin" })).await;
    assert_eq!(s, 201, "{sc}");
    // Runs with output: a command on hosts that have no credential ends at once, per host.
    let (s, run) = post(
        &client,
        format!("{base}/api/v1/runs/commands"),
        Some(&token),
        json!({ "targets": { "groups": [g["id"]] }, "command": "uptime" }),
    )
    .await;
    assert_eq!(s, 202, "{run}");
    let run_url = format!("{base}/api/v1/runs/{}", run["id"].as_str().unwrap());
    let deadline = Instant::now() + Duration::from_secs(30);
    while get(&client, run_url.clone(), &token).await["status"] == "queued"
        || get(&client, run_url.clone(), &token).await["status"] == "running"
    {
        assert!(Instant::now() < deadline, "the run did not end");
        std::thread::sleep(Duration::from_millis(100));
    }
    let before = snapshot(&client, &base, &token).await;
    assert_eq!(before["hosts?limit=100&sort=name"]["total"], 30);
    assert_eq!(
        before["groups"]["items"][0]["member_count"], 10,
        "{}",
        before["groups"]
    );
    assert_eq!(before["runs"]["total"], 1, "{}", before["runs"]);
    assert_eq!(before["playbooks"]["total"], 1, "{}", before["playbooks"]);
    let master_key = std::fs::read_to_string(dir.path().join("data/master.key")).unwrap();
    server.stop();

    let (admin_url, name, pg) = fresh_pg_database("itmgr_move");
    let sqlite = format!("sqlite://{}/data/itmgr.db", dir.path().display());
    let (ok, out) = migrate_data(dir.path(), &sqlite, &pg);
    assert!(ok, "{out}");
    assert!(
        out.contains("rows  hosts") && out.contains("done:"),
        "{out}"
    );
    assert!(!out.contains("pg-Pa55-w0rd"));

    // The same installation on PostgreSQL, with the same master key.
    let mut cmd = itmgr(dir.path());
    // No worker: nothing (host checks) changes the data while it is compared.
    cmd.env("DATABASE_URL", &pg)
        .env("ITMGR_MASTER_KEY", master_key.trim())
        .env("ITMGR_EMBEDDED_WORKER", "false");
    let server = Server::start(cmd);
    let base = server.base.clone();
    let token = login(&client, &base, "Moved-Owner-Pass-2").await;
    let on_pg = snapshot(&client, &base, &token).await;
    assert_same(&on_pg, &before);
    assert_eq!(
        reveal(&client, &base, &token, &secret_id).await,
        "pg-Pa55-w0rd"
    );
    // New rows after the copy: ids from sequences must not collide with copied ones.
    let (s, h) = post(
        &client,
        format!("{base}/api/v1/hosts"),
        Some(&token),
        json!({ "name": "db-01", "address": "10.0.1.1", "tags": { "env": "prod" } }),
    )
    .await;
    assert_eq!(s, 201, "{h}");
    server.stop();

    // A used database is never overwritten.
    let (ok, out) = migrate_data(dir.path(), &sqlite, &pg);
    assert!(!ok);
    assert!(out.contains("already holds data"), "{out}");

    // And back: PostgreSQL to a new SQLite file.
    let back = format!("sqlite://{}/back.db", dir.path().display());
    let (ok, out) = migrate_data(dir.path(), &pg, &back);
    assert!(ok, "{out}");
    let mut cmd = itmgr(dir.path());
    cmd.env("DATABASE_URL", format!("{back}?mode=rwc"))
        .env("ITMGR_MASTER_KEY", master_key.trim())
        .env("ITMGR_EMBEDDED_WORKER", "false");
    let server = Server::start(cmd);
    let base = server.base.clone();
    let token = login(&client, &base, "Moved-Owner-Pass-2").await;
    let on_sqlite = snapshot(&client, &base, &token).await;
    assert_eq!(on_sqlite["hosts?limit=100&sort=name"]["total"], 31);
    assert_eq!(on_sqlite["groups"]["items"][0]["member_count"], 11);
    assert_eq!(on_sqlite["runs"], before["runs"]);
    assert_eq!(
        reveal(&client, &base, &token, &secret_id).await,
        "pg-Pa55-w0rd"
    );
    server.stop();
    psql(&admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
}

/// With `serve` and a separate `itmgr worker` (the compose layout), periodic checks run in the
/// worker, and the status changes they store still reach a page open on the server (its live
/// `/hosts/events` stream).
#[tokio::test]
async fn status_changes_found_by_a_separate_worker_reach_the_servers_live_stream() {
    // The port is closed at first: the server's own check on creation finds the host offline;
    // only the worker's periodic check, after the port opens, finds it online.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (admin_url, name, url) = fresh_pg_database("itmgr_relay");
    let dir = tempfile::tempdir().unwrap();
    let key = "cd".repeat(32);
    let cmd = || on_postgres(dir.path(), &url, &key, "Initial-Relay-Pass-1");
    let server = Server::start(cmd());
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let token = first_login(
        &client,
        &base,
        "Initial-Relay-Pass-1",
        "Changed-Relay-Pass-2",
    )
    .await;
    set_check_interval(&client, &base, &token, 10).await;
    let (s, host) = post(
        &client,
        format!("{base}/api/v1/hosts"),
        Some(&token),
        json!({ "name": "relayed", "address": "127.0.0.1", "port": port, "check_method": "tcp" }),
    )
    .await;
    assert_eq!(s, 201, "{host}");
    let host_id = host["id"].as_str().unwrap().to_owned();
    let _ = post(
        &client,
        format!("{base}/api/v1/hosts/{host_id}/check"),
        Some(&token),
        json!({}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while get(&client, format!("{base}/api/v1/hosts/{host_id}"), &token).await["status"]
        != "offline"
    {
        assert!(
            Instant::now() < deadline,
            "the server's check did not find the port closed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    std::thread::spawn(move || {
        for s in listener.incoming() {
            drop(s);
        }
    });

    let mut events = client
        .get(format!("{base}/api/v1/hosts/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(events.status().as_u16(), 200);
    let mut worker = spawn_worker(cmd(), None);
    let mut seen = String::new();
    let found = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(chunk)) = events.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(&host_id) && seen.contains("\"status\":\"online\"") {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    let _ = worker.kill();
    let _ = worker.wait();
    server.stop();
    psql(&admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
    assert!(
        found,
        "no host.status event for the worker's check:\n{seen}"
    );
    assert!(seen.contains("event: host.status"), "{seen}");
    assert!(seen.contains("\"previous\":\"offline\""), "{seen}");
}

/// A worker process is woken by PostgreSQL notifications when the server queues a run: it starts
/// each run well within its 2-second poll interval (without the notification the mean wait would
/// be a second, and five runs in a row under 0.8 s would be unlikely).
#[tokio::test]
async fn a_worker_process_starts_runs_queued_by_the_server_at_once() {
    let (admin_url, name, url) = fresh_pg_database("itmgr_notify");
    let dir = tempfile::tempdir().unwrap();
    let key = "ef".repeat(32);
    let cmd = || on_postgres(dir.path(), &url, &key, "Initial-Notify-Pass-1");
    let server = Server::start(cmd());
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let token = first_login(
        &client,
        &base,
        "Initial-Notify-Pass-1",
        "Changed-Notify-Pass-2",
    )
    .await;
    let (s, host) = post(
        &client,
        format!("{base}/api/v1/hosts"),
        Some(&token),
        json!({ "name": "n1", "address": "127.0.0.1" }),
    )
    .await;
    assert_eq!(s, 201, "{host}");
    let mut worker = spawn_worker(cmd(), None);
    // Measure once the worker listens (until then, it polls).
    let deadline = Instant::now() + Duration::from_secs(30);
    while psql(&url, &format!("select count(*) from pg_stat_activity where datname = '{name}' and query ilike 'listen%'")) == "0" {
        assert!(Instant::now() < deadline, "the worker never listened for jobs");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut waits = Vec::new();
    for i in 0..5 {
        let (s, run) = post(
            &client,
            format!("{base}/api/v1/runs/commands"),
            Some(&token),
            json!({ "targets": { "hosts": [host["id"]] }, "command": format!("echo {i}") }),
        )
        .await;
        assert_eq!(s, 202, "{run}");
        let url = format!("{base}/api/v1/runs/{}", run["id"].as_str().unwrap());
        let deadline = Instant::now() + Duration::from_secs(30);
        let run = loop {
            let r = get(&client, url.clone(), &token).await;
            if r["finished_at"].is_string() {
                break r;
            }
            assert!(Instant::now() < deadline, "the run was not taken: {r}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let at = |k: &str| chrono::DateTime::parse_from_rfc3339(run[k].as_str().unwrap()).unwrap();
        waits.push((at("started_at") - at("queued_at")).num_milliseconds());
    }
    let _ = worker.kill();
    let _ = worker.wait();
    server.stop();
    psql(&admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
    eprintln!("queued → started, ms: {waits:?}");
    assert!(
        waits.iter().all(|w| *w < 800),
        "queued → started, ms: {waits:?}"
    );
}
