//! One `ansible-playbook` process in its private work directory.

use crate::agent::RunAgent;
use crate::AutomationError;
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::sync::{mpsc, watch};
use zeroize::Zeroizing;

/// The callback plugin that turns Ansible's progress into JSON events.
const CALLBACK_PLUGIN: &str = include_str!("../plugins/itmgr_events.py");

/// Limits on what a run may leave as artifacts: files, bytes per file, bytes in all.
pub const ARTIFACT_LIMITS: (usize, u64, u64) = (100, 10 << 20, 50 << 20);

/// One inventory host, from the run's target snapshot.
#[derive(Clone)]
pub struct InvHost {
    /// The inventory name (the host's name in IT Manager).
    pub name: String,
    pub address: String,
    pub port: u16,
    pub user: String,
    /// `algorithm base64` as on record; a host without one cannot be reached (fail closed).
    pub host_key: Option<String>,
    /// An SSH password (used by Ansible only through `sshpass`, when installed).
    pub password: Option<Zeroizing<String>>,
    /// The become (sudo) password.
    pub become_password: Option<Zeroizing<String>>,
    /// Host variables (tags, environment, …); never secrets.
    pub vars: serde_json::Map<String, serde_json::Value>,
}

/// How `ansible-playbook` runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--check`.
    pub check: bool,
    /// `--diff`.
    pub diff: bool,
    pub tags: Vec<String>,
    pub skip_tags: Vec<String>,
    /// `--limit` (a pattern within the targets).
    pub limit: Option<String>,
    /// 0–4 (`-v` … `-vvvv`).
    pub verbosity: u8,
    pub forks: u32,
    /// The whole run's time limit.
    pub timeout: Duration,
    /// Between SIGTERM and SIGKILL on cancel or timeout.
    pub grace: Duration,
}

/// Everything one run needs.
pub struct RunSpec {
    /// The `ansible-playbook` executable.
    pub ansible_playbook: PathBuf,
    /// Where the work directory is made.
    pub work_parent: PathBuf,
    /// The playbook's text.
    pub playbook: String,
    /// Extra files (relative paths): templates, vars files, `requirements.yml`.
    pub files: Vec<(String, String)>,
    pub hosts: Vec<InvHost>,
    /// Variables for the run, possibly secret: written to a file, never on the command line.
    pub extra_vars: serde_json::Map<String, serde_json::Value>,
    /// Private keys (OpenSSH/PEM text and passphrase) the agent serves.
    pub keys: Vec<(Zeroizing<String>, Option<Zeroizing<String>>)>,
    pub options: Options,
    /// A Git source: the mirror to check out from, the ref, and the playbook's path in it
    /// (`playbook` and `files` are then unused).
    pub checkout: Option<(PathBuf, String, String)>,
    /// The Ansible Vault password (written to a 0600 file, `--vault-password-file`).
    pub vault_password: Option<Zeroizing<String>>,
}

/// Progress of a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// A piece of Ansible's own output (with ANSI colours), a line at a time.
    Output { stderr: bool, text: String },
    /// One JSON event from the callback plugin.
    Event(serde_json::Value),
}

/// A file the run wrote to its artifacts directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Relative path, `/`-separated.
    pub name: String,
    pub content: Vec<u8>,
}

/// How a run ended.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// `ansible-playbook`'s exit status (`None`: killed by a signal).
    pub exit_code: Option<i32>,
    pub canceled: bool,
    pub timed_out: bool,
    pub artifacts: Vec<Artifact>,
    /// Artifacts left out because of the limits.
    pub notes: Vec<String>,
    /// For a Git source: the commit that ran.
    pub commit: Option<String>,
}

/// Finds `ansible-playbook`: the configured path, the product's virtualenv in the data dir,
/// then `PATH`.
pub fn find_ansible(configured: Option<&Path>, data_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = configured {
        return p.is_file().then(|| p.to_path_buf());
    }
    if let Some(d) = data_dir {
        let p = d.join("ansible-venv/bin/ansible-playbook");
        if p.is_file() {
            return Some(p);
        }
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("ansible-playbook"))
            .find(|p| p.is_file())
    })
}

fn prep(e: impl std::fmt::Display) -> AutomationError {
    AutomationError::Prepare(e.to_string())
}

/// Writes a file readable by the owner only.
pub(crate) fn write_private(path: &Path, data: &[u8]) -> Result<(), AutomationError> {
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(prep)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(prep)?;
    f.write_all(data).map_err(prep)
}

/// A relative path that stays inside its directory.
fn safe_relative(p: &str) -> bool {
    let path = Path::new(p);
    !p.is_empty()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

fn known_hosts(hosts: &[InvHost]) -> String {
    let mut out = String::new();
    for h in hosts {
        if let Some(k) = &h.host_key {
            let name = if h.port == 22 {
                h.address.clone()
            } else {
                format!("[{}]:{}", h.address, h.port)
            };
            out.push_str(&format!("{name} {}\n", k.trim()));
        }
    }
    out
}

/// Where the run's ssh connection masters live: inside the work directory when the socket paths
/// stay under the kernel's limit (108 bytes), else in a short private directory under /tmp.
fn control_dir(dir: &Path) -> PathBuf {
    let inside = dir.join("cp");
    // `/` + `%C` (40 hex digits) + the `.XXXXXXXXXXXXXXXX` ssh appends while it binds the
    // socket, within the 107 bytes a socket path may have.
    if inside.as_os_str().len() + 1 + 40 + 17 <= 107 {
        inside
    } else {
        std::env::temp_dir().join(format!(
            "itmgr-cp-{}",
            dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ))
    }
}

fn ansible_cfg(dir: &Path, forks: u32, cp: &Path) -> String {
    let d = dir.display();
    let cp = cp.display();
    // Connections are shared between a host's tasks (ControlPersist: a third less time on a
    // three-task playbook). The masters leave the run's process group, so they are ended
    // explicitly after the run (see `end_masters`).
    format!(
        "[defaults]\n\
         inventory = {d}/inventory/hosts.yml\n\
         callback_plugins = {d}/callback_plugins\n\
         callbacks_enabled = itmgr_events\n\
         stdout_callback = default\n\
         host_key_checking = True\n\
         retry_files_enabled = False\n\
         local_tmp = {d}/tmp\n\
         forks = {forks}\n\
         interpreter_python = auto_silent\n\
         force_color = True\n\
         \n\
         [ssh_connection]\n\
         ssh_args = -F /dev/null -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile={d}/known_hosts -o StrictHostKeyChecking=yes -o ConnectTimeout=20\n\
         control_path = {cp}/%%C\n\
         pipelining = True\n"
    )
}

/// Prepares the work directory; returns the extra-vars file and the playbook path.
fn prepare(dir: &Path, spec: &RunSpec) -> Result<(), AutomationError> {
    if spec.checkout.is_none() {
        write_private(&dir.join("playbook.yml"), spec.playbook.as_bytes())?;
    }
    for (path, content) in spec.files.iter().filter(|_| spec.checkout.is_none()) {
        if !safe_relative(path) || path == "playbook.yml" {
            return Err(AutomationError::Prepare(format!("bad file path {path:?}")));
        }
        write_private(&dir.join(path), content.as_bytes())?;
    }
    write_private(
        &dir.join("callback_plugins/itmgr_events.py"),
        CALLBACK_PLUGIN.as_bytes(),
    )?;
    let cp = control_dir(dir);
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&cp)
        .map_err(prep)?;
    write_private(
        &dir.join("ansible.cfg"),
        ansible_cfg(dir, spec.options.forks, &cp).as_bytes(),
    )?;
    write_private(
        &dir.join("known_hosts"),
        known_hosts(&spec.hosts).as_bytes(),
    )?;
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(dir.join("tmp"))
        .map_err(prep)?;
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(dir.join("artifacts"))
        .map_err(prep)?;
    let mut inv_hosts = serde_json::Map::new();
    for h in &spec.hosts {
        if !safe_relative(&h.name) || h.name.contains('/') {
            return Err(AutomationError::Prepare(format!(
                "bad host name {:?}",
                h.name
            )));
        }
        inv_hosts.insert(h.name.clone(), serde_json::Value::Null);
        let mut vars = h.vars.clone();
        vars.insert("ansible_host".into(), h.address.clone().into());
        vars.insert("ansible_port".into(), h.port.into());
        vars.insert("ansible_user".into(), h.user.clone().into());
        if let Some(p) = &h.password {
            vars.insert("ansible_password".into(), p.as_str().into());
        }
        if let Some(p) = &h.become_password {
            vars.insert("ansible_become_password".into(), p.as_str().into());
        }
        let text = Zeroizing::new(serde_json::to_string(&vars).map_err(prep)?);
        write_private(
            &dir.join(format!("inventory/host_vars/{}.json", h.name)),
            text.as_bytes(),
        )?;
    }
    let inventory = serde_json::json!({ "all": { "hosts": inv_hosts } });
    write_private(
        &dir.join("inventory/hosts.yml"),
        serde_json::to_string_pretty(&inventory)
            .map_err(prep)?
            .as_bytes(),
    )?;
    let mut extra = spec.extra_vars.clone();
    extra.insert(
        "itmgr_artifacts_dir".into(),
        dir.join("artifacts").display().to_string().into(),
    );
    let text = Zeroizing::new(serde_json::to_string(&extra).map_err(prep)?);
    write_private(&dir.join("extra_vars.json"), text.as_bytes())?;
    if let Some(v) = &spec.vault_password {
        write_private(&dir.join("vault_pass"), v.as_bytes())?;
    }
    Ok(())
}

/// An Ansible command with a cleared environment: `PATH`, `HOME` (the work directory, so no
/// user configuration is read), the locale and the run's `ansible.cfg` — never a secret.
fn ansible_command(bin: &Path, dir: &Path) -> tokio::process::Command {
    let mut c = tokio::process::Command::new(bin);
    c.env_clear()
        .env(
            "PATH",
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
        )
        .env("HOME", dir)
        .env("LANG", "C.UTF-8")
        .env("ANSIBLE_CONFIG", dir.join("ansible.cfg"));
    c
}

/// `requirements.yml` files the run should install: roles and collections go into the work
/// directory, never into a shared location.
fn requirements(base: &Path) -> Vec<PathBuf> {
    [
        "requirements.yml",
        "roles/requirements.yml",
        "collections/requirements.yml",
    ]
    .iter()
    .map(|p| base.join(p))
    .filter(|p| p.is_file())
    .collect()
}

/// Installs roles and collections named in `file` with `ansible-galaxy` (next to
/// `ansible-playbook`), its output going to the log.
async fn galaxy(
    ansible_playbook: &Path,
    dir: &Path,
    file: &Path,
    tx: &mpsc::Sender<Update>,
) -> Result<(), AutomationError> {
    let text = std::fs::read_to_string(file).map_err(prep)?;
    let doc: serde_yaml::Value = serde_yaml::from_str(&text)
        .map_err(|e| AutomationError::Prepare(format!("{}: {e}", file.display())))?;
    let has = |k: &str| doc.get(k).is_some();
    let mut kinds = Vec::new();
    if doc.is_sequence() || has("roles") {
        kinds.push(("role", dir.join("galaxy/roles")));
    }
    if has("collections") {
        kinds.push(("collection", dir.join("galaxy/collections")));
    }
    let bin = ansible_playbook.with_file_name("ansible-galaxy");
    for (kind, dest) in kinds {
        let out = ansible_command(&bin, dir)
            .args([kind, "install", "-r"])
            .arg(file)
            .arg("-p")
            .arg(&dest)
            .current_dir(dir)
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| AutomationError::Spawn(format!("ansible-galaxy: {e}")))?;
        for (stderr, bytes) in [(false, &out.stdout), (true, &out.stderr)] {
            let text = String::from_utf8_lossy(bytes).into_owned();
            if !text.is_empty() {
                let _ = tx.send(Update::Output { stderr, text }).await;
            }
        }
        if !out.status.success() {
            return Err(AutomationError::Prepare(format!(
                "installing the {kind}s of {} failed",
                file.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default()
            )));
        }
    }
    Ok(())
}

fn args(dir: &Path, o: &Options, playbook: &Path, vault: bool) -> Vec<String> {
    let mut a = vec![
        "-i".to_owned(),
        dir.join("inventory/hosts.yml").display().to_string(),
        "--extra-vars".to_owned(),
        format!("@{}", dir.join("extra_vars.json").display()),
    ];
    if vault {
        a.push("--vault-password-file".into());
        a.push(dir.join("vault_pass").display().to_string());
    }
    if o.check {
        a.push("--check".into());
    }
    if o.diff {
        a.push("--diff".into());
    }
    if !o.tags.is_empty() {
        a.push("--tags".into());
        a.push(o.tags.join(","));
    }
    if !o.skip_tags.is_empty() {
        a.push("--skip-tags".into());
        a.push(o.skip_tags.join(","));
    }
    if let Some(l) = o.limit.as_deref().filter(|l| !l.trim().is_empty()) {
        a.push("--limit".into());
        a.push(l.trim().to_owned());
    }
    if o.verbosity > 0 {
        a.push(format!("-{}", "v".repeat(usize::from(o.verbosity.min(4)))));
    }
    a.push("--forks".into());
    a.push(o.forks.max(1).to_string());
    a.push(playbook.display().to_string());
    a
}

async fn pump(r: impl AsyncRead + Unpin, stderr: bool, tx: mpsc::Sender<Update>) {
    let mut r = BufReader::new(r);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match r.read_until(b'\n', &mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                let text = String::from_utf8_lossy(&buf).into_owned();
                if tx.send(Update::Output { stderr, text }).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Reads new complete lines of the events file from `offset`.
fn read_events(path: &Path, offset: &mut u64, partial: &mut Vec<u8>) -> Vec<serde_json::Value> {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else {
        return vec![];
    };
    if f.seek(SeekFrom::Start(*offset)).is_err() {
        return vec![];
    }
    let mut buf = Vec::new();
    let Ok(n) = f.read_to_end(&mut buf) else {
        return vec![];
    };
    *offset += n as u64;
    partial.extend_from_slice(&buf);
    let mut out = Vec::new();
    while let Some(i) = partial.iter().position(|&b| b == b'\n') {
        let line: Vec<u8> = partial.drain(..=i).collect();
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&line) {
            out.push(v);
        }
    }
    out
}

fn collect_artifacts(root: &Path, notes: &mut Vec<String>) -> Vec<Artifact> {
    let (max_files, max_file, max_total) = ARTIFACT_LIMITS;
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut stack = vec![root.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                files.push(e.path());
            }
        }
    }
    files.sort();
    for p in files {
        let name = p
            .strip_prefix(root)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        if out.len() >= max_files {
            notes.push(format!(
                "artifact {name} left out: more than {max_files} files"
            ));
        } else if size > max_file {
            notes.push(format!(
                "artifact {name} left out: larger than {} MiB",
                max_file >> 20
            ));
        } else if total + size > max_total {
            notes.push(format!(
                "artifact {name} left out: artifacts exceed {} MiB",
                max_total >> 20
            ));
        } else if let Ok(content) = std::fs::read(&p) {
            total += size;
            out.push(Artifact { name, content });
        }
    }
    out
}

fn signal_group(pid: u32, sig: Signal) {
    if let Ok(pid) = i32::try_from(pid) {
        let _ = killpg(Pid::from_raw(pid), sig);
    }
}

/// Runs the playbook; progress goes to `tx`. A `true` on `cancel` stops it (SIGTERM to the
/// process group, SIGKILL after the grace period). The work directory is always removed.
pub async fn run(
    spec: RunSpec,
    tx: mpsc::Sender<Update>,
    mut cancel: watch::Receiver<bool>,
) -> Result<Outcome, AutomationError> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&spec.work_parent)
        .map_err(prep)?;
    // Absolute (ssh resolves control paths from the playbook's directory) and short: the
    // control sockets inside must stay under the kernel's path limit.
    let parent = std::fs::canonicalize(&spec.work_parent).map_err(prep)?;
    let dir = parent.join(format!("r{}", short_id()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .map_err(prep)?;
    let result = run_in(&dir, spec, tx, &mut cancel).await;
    let cp = control_dir(&dir);
    let _ = tokio::task::spawn_blocking(move || {
        end_masters(&cp);
        let _ = std::fs::remove_dir_all(&cp);
    })
    .await;
    if let Err(e) = std::fs::remove_dir_all(&dir) {
        tracing::warn!(dir = %dir.display(), error = %e, "removing a run's work directory failed");
    }
    result
}

/// Ends the run's ssh connection masters: they detach into their own session (so the process
/// group signal misses them) and name their control socket in their argv (`ssh: <dir>/<hash>
/// [mux]`).
fn end_masters(cp: &Path) {
    let prefix = format!("ssh: {}/", cp.display());
    let masters = || -> Vec<i32> {
        let Ok(rd) = std::fs::read_dir("/proc") else {
            return vec![];
        };
        rd.flatten()
            .filter_map(|e| {
                let pid = e.file_name().to_string_lossy().parse::<i32>().ok()?;
                let cmd = std::fs::read(e.path().join("cmdline")).ok()?;
                String::from_utf8_lossy(&cmd)
                    .starts_with(&prefix)
                    .then_some(pid)
            })
            .collect()
    };
    // SIGTERM, then SIGKILL for any still there after a second.
    for (round, sig) in [(0, Signal::SIGTERM), (1, Signal::SIGKILL)] {
        let pids = masters();
        if pids.is_empty() {
            return;
        }
        for pid in pids {
            let _ = nix::sys::signal::kill(Pid::from_raw(pid), sig);
        }
        for _ in 0..20 {
            if masters().is_empty() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50 * (round + 1)));
        }
    }
}

/// 12 hex digits, unique within the host: time, process id and a counter mixed.
fn short_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut h = n ^ (u64::from(std::process::id()) << 40) ^ COUNTER.fetch_add(1, Ordering::Relaxed);
    // A cheap mix (splitmix64's finaliser) so consecutive ids differ in every digit.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    format!("{:012x}", (h ^ (h >> 31)) & 0xffff_ffff_ffff)
}

async fn run_in(
    dir: &Path,
    spec: RunSpec,
    tx: mpsc::Sender<Update>,
    cancel: &mut watch::Receiver<bool>,
) -> Result<Outcome, AutomationError> {
    prepare(dir, &spec)?;
    let (cwd, playbook, commit) = match &spec.checkout {
        None => (dir.to_path_buf(), dir.join("playbook.yml"), None),
        Some((mirror, git_ref, path)) => {
            let repo = dir.join("repo");
            let commit = crate::git::checkout(mirror, git_ref, &repo).await?;
            if !safe_relative(path) || !repo.join(path).is_file() {
                return Err(AutomationError::Git(format!(
                    "no playbook at {path:?} in {git_ref} ({commit})"
                )));
            }
            let pb = repo.join(path);
            let cwd = pb.parent().map_or(repo.clone(), Path::to_path_buf);
            (cwd, pb, Some(commit))
        }
    };
    let mut keys = Vec::new();
    for (text, pass) in &spec.keys {
        keys.push(
            itmgr_vault::sshkey::decode(text, pass.as_deref().map(|p| p.as_str()))
                .map_err(|e| AutomationError::Key(e.to_string()))?,
        );
    }
    let socket = dir.join("agent.sock");
    let _agent = RunAgent::start(&socket, &keys).await?;
    drop(keys);
    let events_path = dir.join("events.jsonl");
    let mut cmd = ansible_command(&spec.ansible_playbook, dir);
    // Roles and collections from requirements files, installed into the work directory.
    let base = playbook.parent().unwrap_or(dir).to_path_buf();
    let mut reqs = requirements(&base);
    if base != cwd {
        reqs.extend(requirements(&cwd));
    }
    for file in &reqs {
        galaxy(&spec.ansible_playbook, dir, file, &tx).await?;
    }
    let roles_path = format!(
        "{}:{}",
        dir.join("galaxy/roles").display(),
        base.join("roles").display()
    );
    cmd.args(args(
        dir,
        &spec.options,
        &playbook,
        spec.vault_password.is_some(),
    ))
    .current_dir(&cwd)
    .env("ANSIBLE_FORCE_COLOR", "1")
    .env("PYTHONUNBUFFERED", "1")
    .env("SSH_AUTH_SOCK", &socket)
    .env("ITMGR_EVENTS", &events_path)
    .env("ANSIBLE_ROLES_PATH", roles_path)
    .env("ANSIBLE_COLLECTIONS_PATH", dir.join("galaxy/collections"))
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .process_group(0)
    .kill_on_drop(true);
    let mut child = cmd
        .spawn()
        .map_err(|e| AutomationError::Spawn(e.to_string()))?;
    let pid = child.id().unwrap_or(0);
    let out = child
        .stdout
        .take()
        .map(|o| tokio::spawn(pump(o, false, tx.clone())));
    let err = child
        .stderr
        .take()
        .map(|e| tokio::spawn(pump(e, true, tx.clone())));
    let mut outcome = Outcome {
        commit,
        ..Outcome::default()
    };
    let (mut offset, mut partial) = (0u64, Vec::new());
    let deadline = tokio::time::Instant::now() + spec.options.timeout;
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let status = loop {
        tokio::select! {
            s = child.wait() => break s.ok(),
            _ = tick.tick() => {
                for ev in read_events(&events_path, &mut offset, &mut partial) {
                    let _ = tx.send(Update::Event(ev)).await;
                }
            }
            _ = async { let _ = cancel.wait_for(|c| *c).await; }, if !outcome.canceled && !outcome.timed_out => {
                outcome.canceled = true;
                break stop(&mut child, pid, spec.options.grace).await;
            }
            _ = tokio::time::sleep_until(deadline), if !outcome.canceled && !outcome.timed_out => {
                outcome.timed_out = true;
                break stop(&mut child, pid, spec.options.grace).await;
            }
        }
    };
    // Whatever the group left behind (a module's background child) goes too.
    signal_group(pid, Signal::SIGKILL);
    for h in [out, err].into_iter().flatten() {
        let _ = tokio::time::timeout(Duration::from_secs(5), h).await;
    }
    for ev in read_events(&events_path, &mut offset, &mut partial) {
        let _ = tx.send(Update::Event(ev)).await;
    }
    outcome.exit_code = status.and_then(|s| s.code());
    outcome.artifacts = collect_artifacts(&dir.join("artifacts"), &mut outcome.notes);
    Ok(outcome)
}

/// SIGTERM to the group, SIGKILL after `grace`; returns the exit status.
async fn stop(
    child: &mut tokio::process::Child,
    pid: u32,
    grace: Duration,
) -> Option<std::process::ExitStatus> {
    signal_group(pid, Signal::SIGTERM);
    match tokio::time::timeout(grace, child.wait()).await {
        Ok(s) => s.ok(),
        Err(_) => {
            signal_group(pid, Signal::SIGKILL);
            child.wait().await.ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert!(safe_relative("templates/motd.j2"));
        assert!(!safe_relative("../etc/passwd"));
        assert!(!safe_relative("/etc/passwd"));
        assert!(!safe_relative("a/../../b"));
        assert!(!safe_relative(""));
    }

    #[test]
    fn known_hosts_lines_name_the_port() {
        let h = |port| InvHost {
            name: "a".into(),
            address: "10.0.0.1".into(),
            port,
            user: "u".into(),
            host_key: Some("ssh-ed25519 AAAA".into()),
            password: None,
            become_password: None,
            vars: Default::default(),
        };
        assert_eq!(known_hosts(&[h(22)]), "10.0.0.1 ssh-ed25519 AAAA\n");
        assert_eq!(
            known_hosts(&[h(2222)]),
            "[10.0.0.1]:2222 ssh-ed25519 AAAA\n"
        );
    }

    #[test]
    fn no_secret_in_arguments() {
        let o = Options {
            check: true,
            diff: true,
            tags: vec!["a".into(), "b".into()],
            skip_tags: vec![],
            limit: Some("web*".into()),
            verbosity: 2,
            forks: 10,
            timeout: Duration::from_secs(1),
            grace: Duration::from_secs(1),
        };
        let a = args(Path::new("/w"), &o, Path::new("/w/playbook.yml"), false);
        assert_eq!(
            a,
            [
                "-i",
                "/w/inventory/hosts.yml",
                "--extra-vars",
                "@/w/extra_vars.json",
                "--check",
                "--diff",
                "--tags",
                "a,b",
                "--limit",
                "web*",
                "-vv",
                "--forks",
                "10",
                "/w/playbook.yml"
            ]
        );
    }
}
