//! `uptime` on 100 and 500 real sshd hosts: wall time and peak memory of an IT Manager run (from
//! the API call to the stored result of the last host) against `parallel-ssh` (Debian `pssh`)
//! and `ansible -m raw`, each with as many parallel connections as hosts and the same key.
//!
//! Memory: IT Manager's is the peak RSS of the benchmark process (server and client in one
//! process, the high-water mark reset before each run); the peers' is the peak of the summed RSS
//! of the whole process tree (they fork one `ssh` per host), sampled every 20 ms.
//!
//! Run: `cargo bench -p itmgr-api --bench commands` (root: the fleet needs its test user).

mod common;

use itmgr_testfleet::{client_keys, Fleet, USER};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SIZES: [usize; 2] = [100, 500];

fn rss_of_tree(root: u32) -> u64 {
    let mut parent: HashMap<u32, u32> = HashMap::new();
    let mut rss: HashMap<u32, u64> = HashMap::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
            continue;
        };
        for l in status.lines() {
            if let Some(v) = l.strip_prefix("PPid:") {
                parent.insert(pid, v.trim().parse().unwrap_or(0));
            }
            if let Some(v) = l.strip_prefix("VmRSS:") {
                rss.insert(
                    pid,
                    v.split_whitespace()
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0),
                );
            }
        }
    }
    let in_tree = |mut p: u32| {
        for _ in 0..64 {
            if p == root {
                return true;
            }
            match parent.get(&p) {
                Some(&pp) if pp != 0 => p = pp,
                _ => return false,
            }
        }
        false
    };
    rss.iter()
        .filter(|(p, _)| in_tree(**p))
        .map(|(_, r)| r)
        .sum()
}

/// Samples the summed RSS of a process tree every 20 ms until stopped.
struct Sampler {
    done: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl Sampler {
    fn start(pid: u32) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let thread = {
            let (done, peak) = (done.clone(), peak.clone());
            std::thread::spawn(move || {
                while !done.load(Ordering::SeqCst) {
                    peak.fetch_max(rss_of_tree(pid), Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        Self { done, peak, thread }
    }

    /// Stops and returns the peak in KiB.
    fn stop(self) -> u64 {
        self.done.store(true, Ordering::SeqCst);
        let _ = self.thread.join();
        self.peak.load(Ordering::SeqCst)
    }
}

/// Runs a command, sampling the summed RSS of its process tree; returns (wall time, peak KiB, stdout).
fn measure(cmd: &mut Command) -> (Duration, u64, String) {
    let started = Instant::now();
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let sampler = Sampler::start(child.id());
    let out = child.wait_with_output().expect("wait");
    let took = started.elapsed();
    (
        took,
        sampler.stop(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

use common::Api;

/// Polls a run until it is over.
async fn finished(api: &Api, id: &str) -> Value {
    loop {
        let r = api
            .call(reqwest::Method::GET, &format!("/api/v1/runs/{id}"), None)
            .await;
        if !matches!(r["status"].as_str(), Some("queued" | "running")) {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The released binary as users run it (`itmgr serve` on SQLite), host keys recorded by an SSH
/// status check, its RSS sampled like the peers'.
async fn real_server(
    bin: &std::path::Path,
    fleet: &Fleet,
    (n, concurrency): (usize, usize),
    lines: &mut Vec<String>,
) {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(bin)
        .arg("serve")
        .env("ITMGR_DATA_DIR", dir.path().join("data"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/itmgr.db?mode=rwc", dir.path().display()),
        )
        .env("ITMGR_LISTEN", format!("127.0.0.1:{port}"))
        .env("ITMGR_ADMIN_PASSWORD", "bench-initial-pass-1")
        .env("ITMGR_RATE_LIMIT_PER_MINUTE", "1000000")
        .env("ITMGR_RATE_LIMIT_BURST", "100000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("itmgr serve");
    let pid = child.id();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut token = None;
    for _ in 0..100 {
        token = common::first_login(&http, &base).await;
        if token.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token = token.expect("the server did not start");
    let api = Api { base, token, http };
    api.call(
        reqwest::Method::POST,
        "/api/v1/secrets",
        Some(json!({ "name": "k", "kind": "ssh_key", "value": client_keys().ed25519 })),
    )
    .await;
    api.call(reqwest::Method::POST, "/api/v1/secrets", Some(json!({ "name": "fleet", "kind": "ssh_credential", "username": USER, "key_secret": "k" }))).await;
    let mut csv = String::from("name,address,port,credential,check_method\n");
    for (i, h) in fleet.hosts.iter().enumerate() {
        csv.push_str(&format!("b{i:04},{},{},fleet,ssh\n", h.ip, h.port));
    }
    api.call(
        reqwest::Method::POST,
        "/api/v1/hosts/import",
        Some(json!({ "format": "csv", "content": csv })),
    )
    .await;
    let page = api
        .call(
            reqwest::Method::GET,
            "/api/v1/hosts?limit=500&sort=name",
            None,
        )
        .await;
    let ids: Vec<Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].clone())
        .collect();
    // An SSH check records each host key on first contact (trust on first use by the admin).
    api.call(
        reqwest::Method::POST,
        "/api/v1/hosts/check",
        Some(json!({ "ids": ids })),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let online = api
            .call(
                reqwest::Method::GET,
                "/api/v1/hosts?limit=1&status=online",
                None,
            )
            .await;
        if online["total"].as_u64() == Some(ids.len() as u64) {
            break;
        }
        assert!(Instant::now() < deadline, "checks did not finish: {online}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let idle = rss_of_tree(pid);
    {
        let hosts: Vec<Value> = ids[..n].to_vec();
        for measured in [false, true] {
            let sampler = Sampler::start(pid);
            let t = Instant::now();
            let run = api.call(reqwest::Method::POST, "/api/v1/runs/commands", Some(json!({
                "targets": { "hosts": hosts }, "command": "uptime", "concurrency": concurrency, "timeout_seconds": 120,
            }))).await;
            let id = run["id"].as_str().unwrap().to_owned();
            let run = finished(&api, &id).await;
            let took = t.elapsed();
            let peak = sampler.stop();
            let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
                .map(|d| d.count())
                .unwrap_or(0);
            eprintln!("after the run: {fds} open descriptors in the server");
            assert_eq!(run["summary"]["succeeded"], n, "{}", run["summary"]);
            if measured {
                lines.push(format!(
                    "commands/uptime-{n}/itmgr-serve (concurrency {concurrency}): {:.2} s, peak {} MiB (the `itmgr serve` process; {} MiB idle with {} hosts before the runs)",
                    took.as_secs_f64(),
                    peak / 1024,
                    idle / 1024,
                    fleet.hosts.len()
                ));
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let max = *SIZES.iter().max().unwrap();
    let t = Instant::now();
    let fleet = Fleet::start(max);
    eprintln!("fleet of {max} sshd started in {:?}", t.elapsed());
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("id_ed25519");
    std::fs::write(&key, &client_keys().ed25519).unwrap();
    let _ = Command::new("chmod").arg("600").arg(&key).status();
    let mut lines = Vec::new();
    rt.block_on(async {
        let server = common::start().await;
        let api = server.api();
        api.call(reqwest::Method::POST, "/api/v1/secrets", Some(json!({ "name": "k", "kind": "ssh_key", "value": client_keys().ed25519 }))).await;
        api.call(reqwest::Method::POST, "/api/v1/secrets", Some(json!({ "name": "fleet", "kind": "ssh_credential", "username": USER, "key_secret": "k" }))).await;
        let mut csv = String::from("name,address,port,credential\n");
        for (i, h) in fleet.hosts.iter().enumerate() {
            csv.push_str(&format!("b{i:04},{},{},fleet\n", h.ip, h.port));
        }
        api.call(reqwest::Method::POST, "/api/v1/hosts/import", Some(json!({ "format": "csv", "content": csv }))).await;
        // Host keys as a status check or a known_hosts import would have recorded them.
        let db = server.state.db.conn();
        let ids = itmgr_storage::repo::hosts::ids(db, &Default::default()).await.unwrap();
        let all = itmgr_storage::repo::hosts::find_many(db, &ids).await.unwrap();
        let by_addr: HashMap<(String, u16), String> = fleet
            .hosts
            .iter()
            .map(|h| ((h.ip.to_string(), h.port), h.host_key.clone()))
            .collect();
        for h in all {
            let k = &by_addr[&(h.address.clone(), h.port)];
            let fp = itmgr_ssh::HostKey::parse(k).unwrap().fingerprint;
            itmgr_storage::repo::hosts::record_host_key_if_unset(db, h.id, k, &fp).await.unwrap();
        }
        for n in SIZES {
            let hosts: Vec<Value> = {
                let page = api.call(reqwest::Method::GET, "/api/v1/hosts?limit=500&sort=name", None).await;
                page["items"].as_array().unwrap()[..n].iter().map(|h| h["id"].clone()).collect()
            };
            // Warm-up run (connection setup code paths, database statements).
            for measured in [false, true] {
                reset_peak();
                let before = common::self_status_kib("VmRSS");
                let t = Instant::now();
                let run = api.call(reqwest::Method::POST, "/api/v1/runs/commands", Some(json!({
                    "targets": { "hosts": hosts }, "command": "uptime", "concurrency": std::env::var("ITMGR_BENCH_CONCURRENCY").ok().and_then(|c| c.parse::<usize>().ok()).unwrap_or(n), "timeout_seconds": 120,
                }))).await;
                let id = run["id"].as_str().unwrap().to_owned();
                let run = finished(&api, &id).await;
                let took = t.elapsed();
                assert_eq!(run["summary"]["succeeded"], n, "{}", run["summary"]);
                if measured {
                    let peak = common::self_status_kib("VmHWM");
                    lines.push(format!(
                        "commands/uptime-{n}/itmgr: {:.2} s, peak {} MiB (benchmark process: server + client; {} MiB before the run, +{} MiB for it)",
                        took.as_secs_f64(),
                        peak / 1024,
                        before / 1024,
                        peak.saturating_sub(before) / 1024
                    ));
                }
            }
        }
    });
    if let Some(bin) = std::env::var_os("ITMGR_BIN") {
        // A fresh server per configuration, so no run inherits another's memory: as many
        // connections as hosts (like the peers), then 500 hosts with bounded concurrency.
        for config in SIZES.iter().map(|&n| (n, n)).chain([(500, 100), (500, 50)]) {
            rt.block_on(real_server(
                std::path::Path::new(&bin),
                &fleet,
                config,
                &mut lines,
            ));
        }
    }
    // For quick iterations on IT Manager alone.
    let peers = std::env::var_os("ITMGR_BENCH_SKIP_PEERS").is_none();
    for n in SIZES.into_iter().filter(|_| peers) {
        let hosts: String = fleet.hosts[..n]
            .iter()
            .map(|h| format!("{}:{}\n", h.ip, h.port))
            .collect();
        let file = dir.path().join(format!("pssh-{n}"));
        std::fs::write(&file, hosts).unwrap();
        let ssh_opts = format!(
            "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -i {}",
            key.display()
        );
        let (took, peak, out) = measure(
            Command::new("parallel-ssh")
                .arg("-h")
                .arg(&file)
                .args([
                    "-l",
                    USER,
                    "-p",
                    &n.to_string(),
                    "-t",
                    "120",
                    "-x",
                    &ssh_opts,
                ])
                .arg("uptime"),
        );
        let ok = out.matches("[SUCCESS]").count();
        lines.push(format!(
            "commands/uptime-{n}/parallel-ssh: {:.2} s, peak {} MiB (process tree){}",
            took.as_secs_f64(),
            peak / 1024,
            if ok == n {
                String::new()
            } else {
                format!(" — only {ok}/{n} succeeded")
            }
        ));
        let inv: String = std::iter::once("[all]\n".to_owned())
            .chain(fleet.hosts[..n].iter().enumerate().map(|(i, h)| {
                format!(
                    "h{i} ansible_host={} ansible_port={} ansible_user={USER}\n",
                    h.ip, h.port
                )
            }))
            .collect();
        let inv_file = dir.path().join(format!("inventory-{n}.ini"));
        std::fs::write(&inv_file, inv).unwrap();
        let (took, peak, out) = measure(
            Command::new("ansible")
                .arg("all")
                .arg("-i")
                .arg(&inv_file)
                .args([
                    "-m",
                    "raw",
                    "-a",
                    "uptime",
                    "-f",
                    &n.to_string(),
                    "--private-key",
                ])
                .arg(&key)
                .env("ANSIBLE_HOST_KEY_CHECKING", "False")
                .env(
                    "ANSIBLE_SSH_ARGS",
                    "-o UserKnownHostsFile=/dev/null -o ControlMaster=no",
                )
                .env("ANSIBLE_TIMEOUT", "120"),
        );
        let ok = out.matches("CHANGED").count();
        lines.push(format!(
            "commands/uptime-{n}/ansible-raw: {:.2} s, peak {} MiB (process tree){}",
            took.as_secs_f64(),
            peak / 1024,
            if ok == n {
                String::new()
            } else {
                format!(" — only {ok}/{n} succeeded")
            }
        ));
    }
    for l in lines {
        println!("{l}");
    }
}
