//! Playbooks from Git: a bare mirror per repository URL in a cache directory, fetched before each
//! run, and a fresh checkout of the wanted ref inside the run's work directory, so two runs of one
//! playbook never share a checkout. Credentials never reach argv or the environment: an SSH key is
//! served by a short-lived agent; an HTTPS token goes through a 0600 credential-store file.

use crate::agent::RunAgent;
use crate::AutomationError;
use std::collections::HashMap;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use zeroize::Zeroizing;

/// How to authenticate to the repository.
pub enum GitAuth {
    None,
    /// A private key (and passphrase) for `ssh://` or `git@` URLs.
    SshKey(Zeroizing<String>, Option<Zeroizing<String>>),
    /// A user and token (or password) for `https://` URLs.
    Token(String, Zeroizing<String>),
}

fn git_err(what: &str, out: &std::process::Output) -> AutomationError {
    let stderr = String::from_utf8_lossy(&out.stderr);
    // URLs may carry user names; never echo more than git's first lines.
    let msg: String = stderr.lines().take(3).collect::<Vec<_>>().join(" ");
    AutomationError::Git(format!("{what}: {msg}"))
}

fn mirror_locks() -> &'static Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>> {
    static LOCKS: OnceLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    LOCKS.get_or_init(Default::default)
}

fn mirror_dir(cache: &Path, url: &str) -> PathBuf {
    // A stable, file-system-safe name per URL.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in url.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    cache.join(format!("{h:016x}.git"))
}

async fn git(
    args: &[&str],
    cwd: Option<&Path>,
    env: &[(String, String)],
) -> Result<std::process::Output, AutomationError> {
    let mut c = tokio::process::Command::new("git");
    c.args(args)
        .env_clear()
        .env(
            "PATH",
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
        )
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LANG", "C")
        .kill_on_drop(true);
    for (k, v) in env {
        c.env(k, v);
    }
    if let Some(d) = cwd {
        c.current_dir(d);
    }
    c.output()
        .await
        .map_err(|e| AutomationError::Git(format!("git could not be started: {e}")))
}

/// Brings the mirror of `url` up to date (cloning it the first time); returns its path.
pub async fn fetch_mirror(
    cache: &Path,
    url: &str,
    auth: &GitAuth,
) -> Result<PathBuf, AutomationError> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(cache)
        .map_err(|e| AutomationError::Prepare(e.to_string()))?;
    // Absolute: the per-run clones refer to the mirror's objects by this path.
    let cache =
        &std::fs::canonicalize(cache).map_err(|e| AutomationError::Prepare(e.to_string()))?;
    let mirror = mirror_dir(cache, url);
    let lock = mirror_locks()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(mirror.clone())
        .or_default()
        .clone();
    let _held = lock.lock().await;
    // Credentials live in a private directory for the duration of the fetch.
    let scratch = cache.join(format!(".auth-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&scratch)
        .map_err(|e| AutomationError::Prepare(e.to_string()))?;
    let mut env: Vec<(String, String)> = vec![(
        "GIT_SSH_COMMAND".into(),
        format!(
            "ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile={}",
            cache.join("known_hosts").display()
        ),
    )];
    let mut config: Vec<String> = Vec::new();
    let mut _agent = None;
    match auth {
        GitAuth::None => {}
        GitAuth::SshKey(key, pass) => {
            let k = itmgr_vault::sshkey::decode(key, pass.as_deref().map(|p| p.as_str()))
                .map_err(|e| AutomationError::Key(e.to_string()))?;
            let sock = scratch.join("agent.sock");
            _agent = Some(RunAgent::start(&sock, &[k]).await?);
            env.push(("SSH_AUTH_SOCK".into(), sock.display().to_string()));
        }
        GitAuth::Token(user, token) => {
            let Some((scheme, rest)) = url.split_once("://") else {
                return Err(AutomationError::Git("a token needs an https:// URL".into()));
            };
            let host = rest.split('/').next().unwrap_or_default();
            let line = Zeroizing::new(format!(
                "{scheme}://{}:{}@{host}\n",
                percent_encode(user),
                percent_encode(token)
            ));
            let store = scratch.join("credentials");
            crate::runner::write_private(&store, line.as_bytes())?;
            config.push(format!(
                "credential.helper=store --file={}",
                store.display()
            ));
        }
    }
    let mut args: Vec<String> = Vec::new();
    for c in &config {
        args.push("-c".into());
        args.push(c.clone());
    }
    let result = if mirror.join("HEAD").exists() {
        let mut a = args.clone();
        a.extend([
            "-C".into(),
            mirror.display().to_string(),
            "fetch".into(),
            "--prune".into(),
            "--quiet".into(),
            "origin".into(),
            "+refs/*:refs/*".into(),
        ]);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = git(&a, None, &env).await;
        out.and_then(|o| {
            if o.status.success() {
                Ok(())
            } else {
                Err(git_err("fetching the repository failed", &o))
            }
        })
    } else {
        let tmp = mirror.with_extension("tmp");
        let _ = std::fs::remove_dir_all(&tmp);
        let mut a = args.clone();
        a.extend([
            "clone".into(),
            "--mirror".into(),
            "--quiet".into(),
            "--".into(),
            url.to_owned(),
            tmp.display().to_string(),
        ]);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        match git(&a, None, &env).await {
            Ok(o) if o.status.success() => {
                std::fs::rename(&tmp, &mirror).map_err(|e| AutomationError::Prepare(e.to_string()))
            }
            Ok(o) => Err(git_err("cloning the repository failed", &o)),
            Err(e) => Err(e),
        }
    };
    let _ = std::fs::remove_dir_all(&scratch);
    result.map(|()| mirror)
}

/// Percent-encodes everything but RFC 3986's unreserved characters (for credentials in URLs, and
/// for masking a secret's URL-encoded form in output).
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Checks `git_ref` of the mirror out into `dest`; returns the commit.
pub async fn checkout(
    mirror: &Path,
    git_ref: &str,
    dest: &Path,
) -> Result<String, AutomationError> {
    if git_ref.starts_with('-') || git_ref.contains("..") || git_ref.trim().is_empty() {
        return Err(AutomationError::Git(format!("bad ref {git_ref:?}")));
    }
    let m = mirror.display().to_string();
    let d = dest.display().to_string();
    let out = git(
        &[
            "clone",
            "--quiet",
            "--shared",
            "--no-checkout",
            "--",
            &m,
            &d,
        ],
        None,
        &[],
    )
    .await?;
    if !out.status.success() {
        return Err(git_err("checking out failed", &out));
    }
    // A commit or tag as given, a branch as the clone names it.
    let mut commit = None;
    for candidate in [git_ref.to_owned(), format!("origin/{git_ref}")] {
        let spec = format!("{candidate}^{{commit}}");
        let out = git(
            &["rev-parse", "--verify", "--quiet", &spec],
            Some(dest),
            &[],
        )
        .await?;
        if out.status.success() {
            commit = Some(String::from_utf8_lossy(&out.stdout).trim().to_owned());
            break;
        }
    }
    let Some(commit) = commit else {
        return Err(AutomationError::Git(format!(
            "ref {git_ref:?} not found in the repository"
        )));
    };
    let out = git(
        &["checkout", "--quiet", "--detach", &commit],
        Some(dest),
        &[],
    )
    .await?;
    if !out.status.success() {
        return Err(git_err("checking out failed", &out));
    }
    let out = git(&["rev-parse", "HEAD"], Some(dest), &[]).await?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}
