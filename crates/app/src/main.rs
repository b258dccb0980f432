//! `itmgr`: the IT Manager binary. One process is a whole product.

mod config;
mod secrets;
mod telemetry;

// mimalloc returns freed memory to the system far better than glibc's malloc under many short-lived
// allocations spread over threads (hundreds of SSH handshakes at once): measured in
// docs/PERFORMANCE.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use config::Config;
use itmgr_api::services::audit::Event;
use itmgr_api::services::bootstrap::{ensure_admin, AdminBootstrap};
use itmgr_api::AppState;
use itmgr_storage::{repo, Db};
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "itmgr",
    version,
    about = "IT Manager: a self-hosted control plane for IT infrastructure"
)]
struct Cli {
    /// A TOML configuration file (environment variables ITMGR_* override it).
    #[arg(long, global = true, env = "ITMGR_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web UI, with the embedded worker and scheduler (default).
    Serve,
    /// Run a worker process without the HTTP server.
    Worker,
    /// Apply database migrations and exit.
    Migrate,
    /// Copy every row from one database into another, never-used one (SQLite ⇄ PostgreSQL).
    MigrateData {
        /// The database to read: `sqlite://path/itmgr.db` or `postgres://…`.
        #[arg(long)]
        from: String,
        /// The database to fill: must never have served (no users); migrated first if new.
        #[arg(long)]
        to: String,
    },
    /// Manage users from the command line.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Check or rotate the vault's master key.
    Vault {
        #[command(subcommand)]
        command: VaultCommand,
    },
    /// Report what this machine has for running playbooks (Ansible, ssh, git) and the job queue.
    Doctor,
    /// Exit 0 if this container's process is healthy: the server answers `/api/v1/ready`, or
    /// with `--worker`, the worker reached the database within the last minute.
    Health {
        /// Check the worker's heartbeat instead of the HTTP server.
        #[arg(long)]
        worker: bool,
    },
    /// Print the version.
    Version,
    /// Print the OpenAPI document.
    Openapi,
}

#[derive(Subcommand)]
enum VaultCommand {
    /// Verify that every secret decrypts with the configured master key.
    Check,
    /// Re-wrap every data key under a new master key read from stdin (one transaction; safe to re-run).
    RotateMasterKey,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a user; the password is read from stdin with --password-stdin, or generated and printed.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "viewer")]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Read the initial password from standard input (never from argv).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password that must be changed at next login, and end the user's sessions.
    ResetPassword {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    ListUsers,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Version) => {
            println!("itmgr {}", env!("CARGO_PKG_VERSION"));
            return Ok(());
        }
        Some(Command::Openapi) => {
            println!("{}", itmgr_api::openapi::document_json());
            return Ok(());
        }
        Some(Command::Health { worker }) => {
            if let Err(e) = health(worker) {
                eprintln!("itmgr: unhealthy: {e:#}");
                std::process::exit(1);
            }
            return Ok(());
        }
        // Needs no configuration: both databases are named on the command line.
        Some(Command::MigrateData { from, to }) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            if let Err(e) = runtime.block_on(migrate_data(&from, &to)) {
                eprintln!("itmgr: {e:#}");
                std::process::exit(1);
            }
            return Ok(());
        }
        _ => {}
    }
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("itmgr: {e}");
            std::process::exit(2);
        }
    };
    telemetry::init(&config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(config).await,
            Command::Worker => worker(config).await,
            Command::Doctor => doctor(config).await,
            Command::Migrate => migrate(config).await,
            Command::Admin { command } => admin(config, command).await,
            Command::Vault { command } => vault(config, command).await,
            Command::Version
            | Command::Openapi
            | Command::MigrateData { .. }
            | Command::Health { .. } => Ok(()),
        }
    });
    if let Err(e) = &result {
        tracing::error!(error = format!("{e:#}"), "itmgr stopped");
        eprintln!("itmgr: {e:#}");
        std::process::exit(1);
    }
    Ok(())
}

async fn connect(config: &Config) -> anyhow::Result<Db> {
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data directory {}", config.data_dir.display()))?;
    }
    let db = Db::connect(&config.database_url, config.db_max_connections)
        .await
        .context("connecting to the database")?;
    let started = std::time::Instant::now();
    db.migrate().await.context("applying migrations")?;
    tracing::info!(duration_ms = started.elapsed().as_millis() as u64, backend = ?db.backend(), "database ready");
    Ok(db)
}

async fn state(config: &Config) -> anyhow::Result<AppState> {
    let master_key = secrets::master_key(config)?;
    let db = connect(config).await?;
    Ok(AppState::new(db, config.api(), &master_key).await?)
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let state = state(&config).await?;
    let password = secrets::admin_password(&config);
    match ensure_admin(&state, password.expose_secret())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        AdminBootstrap::Created => secrets::announce_admin_password(&config, &password)?,
        AdminBootstrap::Existing => {}
    }
    match itmgr_api::services::runs::recover(&state).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            runs = n,
            "runs interrupted by the last shutdown are marked lost"
        ),
        Err(e) => tracing::warn!(error = %e, "marking interrupted runs failed"),
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let addr = listener.local_addr()?;
    // The target policy refuses connections to the product itself.
    state.set_own_addresses(vec![addr]);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut worker_task = None;
    if config.embedded_worker {
        tokio::spawn(maintenance(state.clone()));
        tokio::spawn(itmgr_api::services::checks::run_periodic(state.clone()));
        worker_task = Some(itmgr_api::services::executor::start_worker(
            &state,
            stop_rx.clone(),
        ));
        tokio::spawn(itmgr_api::services::schedules::run_scheduler(
            state.clone(),
            stop_rx,
        ));
    } else {
        // Periodic checks run in the workers; their status changes still reach open pages.
        tokio::spawn(itmgr_api::services::checks::relay_transitions(
            state.clone(),
        ));
    }
    tracing::info!(
        address = %addr,
        startup_ms = started.elapsed().as_millis() as u64,
        "IT Manager {} is ready at http://{addr}",
        env!("CARGO_PKG_VERSION")
    );
    let app = itmgr_api::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    // Small writes (keystrokes, terminal echo) go out at once instead of waiting on Nagle.
    axum::serve(
        axum::serve::ListenerExt::tap_io(listener, |s: &mut tokio::net::TcpStream| {
            let _ = s.set_nodelay(true);
        }),
        app,
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    // Running jobs keep their leases until they end; a second signal (or the lease) ends them.
    let _ = stop_tx.send(true);
    if let Some(w) = worker_task {
        tokio::select! {
            _ = w => {}
            _ = shutdown_signal() => {}
        }
    }
    tracing::info!("shut down");
    Ok(())
}

/// Periodic housekeeping: audit and run retention, and the group membership reconcile.
async fn maintenance(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match itmgr_api::services::runs::apply_retention(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "run retention applied"),
            Err(e) => tracing::warn!(error = %e, "run retention failed"),
        }
        match itmgr_api::services::audit::apply_retention(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "audit retention applied"),
            Err(e) => tracing::warn!(error = %e, "audit retention failed"),
        }
        // Dynamic membership is kept on every change; this repairs anything that drifted.
        if let Err(e) = itmgr_api::services::membership::reconcile_and_report(&state).await {
            tracing::warn!(error = %e, "group membership reconcile failed");
        }
    }
}

async fn worker(config: Config) -> anyhow::Result<()> {
    let state = state(&config).await?;
    tracing::info!(
        "worker started: the job queue, schedules, periodic host checks and housekeeping"
    );
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let jobs = itmgr_api::services::executor::start_worker(&state, stop_rx.clone());
    tokio::spawn(heartbeat(state.clone()));
    tokio::spawn(itmgr_api::services::schedules::run_scheduler(
        state.clone(),
        stop_rx,
    ));
    tokio::select! {
        _ = itmgr_api::services::checks::run_periodic(state.clone()) => {}
        _ = maintenance(state) => {}
        _ = shutdown_signal() => {}
    }
    // Stop claiming; let running jobs finish (a second signal ends them; their leases expire).
    let _ = stop_tx.send(true);
    tokio::select! {
        _ = jobs => {}
        _ = shutdown_signal() => {}
    }
    Ok(())
}

/// Where a worker notes that it reached the database (for `itmgr health --worker`). Per
/// container: every scaled worker has its own `/tmp`.
fn heartbeat_file() -> PathBuf {
    std::env::temp_dir().join("itmgr-worker.heartbeat")
}

/// Older than this, a worker's heartbeat means the worker is stuck or cut off from the database.
const HEARTBEAT_MAX_AGE: Duration = Duration::from_secs(60);

async fn heartbeat(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    loop {
        tick.tick().await;
        match state.db.ping().await {
            Ok(()) => {
                if let Err(e) = std::fs::write(heartbeat_file(), b"ok\n") {
                    tracing::warn!(error = %e, "writing the worker heartbeat failed");
                }
            }
            Err(e) => tracing::warn!(error = %e, "the database does not answer"),
        }
    }
}

/// `itmgr health`: a container health check with no HTTP client in the image.
fn health(worker: bool) -> anyhow::Result<()> {
    use std::io::{Read, Write};
    if worker {
        let modified = std::fs::metadata(heartbeat_file())
            .and_then(|m| m.modified())
            .context("no heartbeat yet")?;
        let age = modified.elapsed().unwrap_or_default();
        if age > HEARTBEAT_MAX_AGE {
            bail!("last heartbeat {} s ago", age.as_secs());
        }
        return Ok(());
    }
    let listen: SocketAddr = std::env::var("ITMGR_LISTEN")
        .unwrap_or_else(|_| "127.0.0.1:8080".into())
        .parse()
        .context("ITMGR_LISTEN")?;
    let ip = if listen.ip().is_unspecified() {
        std::net::IpAddr::from([127, 0, 0, 1])
    } else {
        listen.ip()
    };
    let timeout = Duration::from_secs(4);
    let mut stream =
        std::net::TcpStream::connect_timeout(&SocketAddr::new(ip, listen.port()), timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.write_all(b"GET /api/v1/ready HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
    let mut head = [0u8; 16];
    let n = stream.read(&mut head)?;
    let status = String::from_utf8_lossy(&head[..n]);
    if !status.starts_with("HTTP/1.") || !status.contains(" 200") {
        bail!(
            "/api/v1/ready answered {}",
            status.lines().next().unwrap_or("")
        );
    }
    Ok(())
}

/// `itmgr doctor`: what this machine has for running playbooks.
async fn doctor(config: Config) -> anyhow::Result<()> {
    let mut ok = true;
    let ansible = itmgr_automation_find(&config);
    match &ansible {
        Some(p) => {
            let v = std::process::Command::new(p)
                .arg("--version")
                .output()
                .ok()
                .and_then(|o| String::from_utf8(o.stdout).ok())
                .and_then(|s| s.lines().next().map(str::to_owned))
                .unwrap_or_else(|| "version unknown".into());
            println!("ok      ansible-playbook: {} ({v})", p.display());
        }
        None => {
            ok = false;
            println!(
                "MISSING ansible-playbook: not in ITMGR_ANSIBLE_PLAYBOOK, {}/ansible-venv, or PATH. \
                 Install with: python3 -m venv {0}/ansible-venv && {0}/ansible-venv/bin/pip install ansible-core",
                config.data_dir.display()
            );
        }
    }
    for tool in ["ssh", "git", "sshpass"] {
        let found = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(tool))
                .find(|p| p.is_file())
        });
        match (found, tool) {
            (Some(p), _) => println!("ok      {tool}: {}", p.display()),
            (None, "sshpass") => println!(
                "note    sshpass: not found (only needed for hosts that log in with a password)"
            ),
            (None, _) => {
                ok = false;
                println!("MISSING {tool}: install it (Debian: apt install openssh-client git)");
            }
        }
    }
    match connect(&config).await {
        Ok(db) => {
            let q = itmgr_storage::repo::jobs::count(db.conn(), "queued")
                .await
                .unwrap_or(0);
            let r = itmgr_storage::repo::jobs::count(db.conn(), "running")
                .await
                .unwrap_or(0);
            println!(
                "ok      database: {:?}, jobs queued {q}, running {r}",
                db.backend()
            );
        }
        Err(e) => {
            ok = false;
            println!("FAILED  database: {e}");
        }
    }
    let work = config.data_dir.join("work");
    match std::fs::create_dir_all(&work) {
        Ok(()) => println!("ok      work directory: {}", work.display()),
        Err(e) => {
            ok = false;
            println!("FAILED  work directory {}: {e}", work.display());
        }
    }
    if !ok {
        anyhow::bail!("some checks failed");
    }
    Ok(())
}

fn itmgr_automation_find(config: &Config) -> Option<std::path::PathBuf> {
    itmgr_api::find_ansible(config.ansible_playbook.as_deref(), Some(&config.data_dir))
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    let db = connect(&config).await?;
    for name in db.applied_migrations().await? {
        println!("applied {name}");
    }
    Ok(())
}

/// `itmgr migrate-data`: both databases are brought to the current schema, then every row is
/// copied in one transaction on the target and counted back.
async fn migrate_data(from: &str, to: &str) -> anyhow::Result<()> {
    if from == to {
        bail!("--from and --to name the same database");
    }
    let source = open_db(from, "source").await?;
    let target = open_db(&with_create_mode(to), "target").await?;
    let started = std::time::Instant::now();
    let copied = itmgr_storage::transfer::copy_all(&source, &target, |t| {
        println!("copied {:>8} rows  {}", t.rows, t.table);
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let rows: u64 = copied.iter().map(|t| t.rows).sum();
    println!(
        "done: {rows} rows in {} tables in {:.1} s; every table's count was checked in the target",
        copied.len(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "next: start IT Manager on the new database with the same master key (with SQLite it is \
         the data directory's master.key) and copy the data directory's recordings/ along"
    );
    Ok(())
}

async fn open_db(url: &str, role: &str) -> anyhow::Result<Db> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or(path);
        if role == "source" && !std::path::Path::new(file).exists() {
            bail!("the source database {file} does not exist");
        }
    }
    let db = Db::connect(url, 4)
        .await
        .with_context(|| format!("connecting to the {role} database"))?;
    db.migrate()
        .await
        .with_context(|| format!("migrating the {role} database"))?;
    Ok(db)
}

/// A SQLite target file is created when missing.
fn with_create_mode(url: &str) -> String {
    if url.starts_with("sqlite:") && !url.contains("mode=") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_owned()
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

async fn vault(config: Config, command: VaultCommand) -> anyhow::Result<()> {
    match command {
        VaultCommand::Check => {
            let state = state(&config).await?;
            let (ok, failed) = itmgr_api::services::secrets::check_all(&state)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{ok} secrets decrypt");
            if !failed.is_empty() {
                for id in &failed {
                    println!("does not decrypt: {id}");
                }
                bail!("{} secrets do not decrypt", failed.len());
            }
        }
        VaultCommand::RotateMasterKey => {
            let raw = read_password_stdin()?;
            let new_key = config::decode_master_key(&raw)
                .map_err(|m| anyhow::anyhow!("new master key {m}"))?;
            let old_key = secrets::master_key(&config)?;
            let old = itmgr_vault::KeyRing::from_master_key(&old_key);
            let new = itmgr_vault::KeyRing::from_master_key(&new_key);
            let db = connect(&config).await?;
            let rotated = itmgr_api::services::secrets::rotate_master_key(&db, &old, &new)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if config.master_key.is_none() {
                secrets::replace_master_key_file(&config, raw.trim())?;
                println!(
                    "re-wrapped {} secrets and {} recordings; the new key is in {}",
                    rotated.secrets,
                    rotated.recordings,
                    config.data_dir.join("master.key").display()
                );
            } else {
                println!(
                    "re-wrapped {} secrets and {} recordings; now set ITMGR_MASTER_KEY to the new key and restart",
                    rotated.secrets, rotated.recordings
                );
            }
        }
    }
    Ok(())
}

fn read_password_stdin() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn admin(config: Config, command: AdminCommand) -> anyhow::Result<()> {
    let db = connect(&config).await?;
    let conn = db.conn();
    match command {
        AdminCommand::ListUsers => {
            let filter = repo::users::UserFilter::default();
            let page = repo::users::list(
                conn,
                &filter,
                itmgr_storage::PageRequest {
                    limit: 10_000,
                    offset: 0,
                },
            )
            .await?;
            println!(
                "{:<24} {:<9} {:<8} {:<25} DISPLAY NAME",
                "USERNAME", "ROLE", "STATE", "LAST LOGIN"
            );
            for u in page.items {
                let last = u
                    .last_login_at
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                    .unwrap_or_else(|| "never".into());
                let state = if u.disabled { "disabled" } else { "active" };
                println!(
                    "{:<24} {:<9} {:<8} {:<25} {}",
                    u.username, u.role, state, last, u.display_name
                );
            }
        }
        AdminCommand::CreateUser {
            username,
            role,
            display_name,
            email,
            password_stdin,
        } => {
            let username = itmgr_domain::Username::parse(&username)
                .map_err(|e| anyhow::anyhow!("--username {e}"))?;
            let role: itmgr_domain::Role = role
                .parse()
                .map_err(|e: itmgr_domain::ValueError| anyhow::anyhow!("--role {e}"))?;
            let display_name = itmgr_domain::DisplayName::parse(
                display_name.as_deref().unwrap_or(username.as_str()),
            )
            .map_err(|e| anyhow::anyhow!("--display-name {e}"))?;
            let email = email
                .map(|e| itmgr_domain::Email::parse(&e))
                .transpose()
                .map_err(|e| anyhow::anyhow!("--email {e}"))?;
            let (password, generated) = if password_stdin {
                (read_password_stdin()?, false)
            } else {
                (secrets::random_password(), true)
            };
            let password =
                itmgr_domain::NewPassword::parse(&password, username.as_str(), "password")
                    .map_err(|e| anyhow::anyhow!("password {e}"))?;
            let hash = itmgr_auth::hash_password(password.expose())?;
            let txn = db.begin().await?;
            let user = match repo::users::insert(
                &txn,
                repo::users::NewUser {
                    username: username.as_str().into(),
                    display_name: display_name.into_inner(),
                    email: email.map(itmgr_domain::Email::into_inner),
                    role,
                    password_hash: hash.0,
                    must_change_password: true,
                },
            )
            .await
            {
                Err(itmgr_storage::StorageError::Conflict { .. }) => {
                    bail!("user {username} already exists")
                }
                other => other?,
            };
            Event::system("user.create")
                .target("user", user.id, Some(&user.username))
                .diff(serde_json::json!({ "username": user.username, "role": user.role, "via": "cli" }))
                .write(&txn)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            itmgr_storage::commit(txn).await?;
            println!("created user {} ({})", user.username, user.role);
            if generated {
                println!(
                    "initial password (must be changed at first login): {}",
                    password.expose()
                );
            }
        }
        AdminCommand::ResetPassword {
            username,
            password_stdin,
        } => {
            let name = itmgr_domain::Username::parse(&username)
                .map_err(|e| anyhow::anyhow!("--username {e}"))?;
            let Some(user) = repo::users::find_by_username(conn, name.as_str()).await? else {
                bail!("no user named {name}");
            };
            let (password, generated) = if password_stdin {
                (read_password_stdin()?, false)
            } else {
                (secrets::random_password(), true)
            };
            let password = itmgr_domain::NewPassword::parse(&password, &user.username, "password")
                .map_err(|e| anyhow::anyhow!("password {e}"))?;
            let hash = itmgr_auth::hash_password(password.expose())?;
            let txn = db.begin().await?;
            repo::users::set_password(&txn, user.id, &hash.0, true).await?;
            repo::sessions::revoke_all_for_user(&txn, user.id, None).await?;
            Event::system("user.password_reset")
                .target("user", user.id, Some(&user.username))
                .diff(serde_json::json!({ "via": "cli" }))
                .write(&txn)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            itmgr_storage::commit(txn).await?;
            println!(
                "password of {} reset; it must be changed at next login",
                user.username
            );
            if generated {
                println!("new password: {}", password.expose());
            }
        }
    }
    Ok(())
}
