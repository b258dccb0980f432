//! Playbook runs: the same playbook on N real sshd hosts (default 100) through IT Manager (API
//! launch → queue → embedded worker → `ansible-playbook` → stored result) against plain
//! `ansible-playbook` with the same forks, once with Ansible's default SSH settings
//! (ControlPersist on, as IT Manager runs it) and once without connection sharing; the time from "launch" to the first log line on the live stream; and
//! log ingestion: a run printing 100,000 lines, with the delay from a chunk being stored to its
//! arrival on the live stream.
//!
//! Run: `cargo bench -p itmgr-api --bench automation` (root: the fleet needs its test user).
//! `ITMGR_BENCH_HOSTS` sets N.

mod common;

use itmgr_testfleet::{client_keys, Fleet, USER};
use serde_json::{json, Value};
use std::process::Command;
use std::time::{Duration, Instant};

const PLAYBOOK: &str = "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: uptime\n      command: uptime\n    - name: marker\n      copy:\n        dest: \"/tmp/itmgr-bench-{{ inventory_hostname }}\"\n        content: \"x\\n\"\n    - name: read it back\n      command: cat /tmp/itmgr-bench-{{ inventory_hostname }}\n";

const LINES: usize = 100_000;

fn chatty() -> String {
    format!(
        "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: many lines\n      debug:\n        msg: \"{{{{ range(0, {LINES}) | list }}}}\"\n"
    )
}

async fn finished(api: &common::Api, id: &str) -> Value {
    loop {
        let run = api
            .call(reqwest::Method::GET, &format!("/api/v1/runs/{id}"), None)
            .await;
        if !matches!(run["status"].as_str(), Some("queued" | "running")) {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Launches and returns (wall time to the final state, time to the first output event, the
/// delays between storing and receiving each output chunk, the run).
async fn launch_and_follow(
    api: &common::Api,
    pid: &str,
    targets: Value,
) -> (Duration, Duration, Vec<f64>, Value) {
    let t = Instant::now();
    let run = api
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/playbooks/{pid}/launch"),
            Some(json!({ "targets": targets })),
        )
        .await;
    let id = run["id"].as_str().unwrap().to_owned();
    let mut res = api
        .http
        .get(format!("{}/api/v1/runs/{id}/events", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    let mut first = None;
    let mut delays = Vec::new();
    let mut buf = String::new();
    while let Some(chunk) = res.chunk().await.unwrap() {
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let event: String = buf.drain(..end + 2).collect();
            if event.contains("event: output") {
                first.get_or_insert_with(|| t.elapsed());
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data:")) {
                    if let Ok(v) = serde_json::from_str::<Value>(data.trim()) {
                        if let Some(at) = v["at"]
                            .as_str()
                            .and_then(|a| a.parse::<chrono::DateTime<chrono::Utc>>().ok())
                        {
                            delays.push(
                                (chrono::Utc::now() - at).num_microseconds().unwrap_or(0) as f64
                                    / 1000.0,
                            );
                        }
                    }
                }
            }
        }
    }
    let run = finished(api, &id).await;
    (t.elapsed(), first.unwrap_or_default(), delays, run)
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn plain(
    inv: &std::path::Path,
    key: &std::path::Path,
    pb: &std::path::Path,
    forks: usize,
    itmgr_ssh: bool,
) -> (Duration, bool) {
    let mut c = Command::new("ansible-playbook");
    c.arg("-i")
        .arg(inv)
        .arg("--private-key")
        .arg(key)
        .args(["-f", &forks.to_string()])
        .arg(pb)
        .env("ANSIBLE_HOST_KEY_CHECKING", "False")
        .env("ANSIBLE_RETRY_FILES_ENABLED", "False")
        .env("ANSIBLE_PIPELINING", "True");
    if itmgr_ssh {
        c.env(
            "ANSIBLE_SSH_ARGS",
            "-o ControlMaster=no -o ControlPersist=no -o UserKnownHostsFile=/dev/null",
        );
    } else {
        c.env(
            "ANSIBLE_SSH_ARGS",
            "-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=/dev/null",
        );
    }
    let t = Instant::now();
    let out = c.output().unwrap();
    (t.elapsed(), out.status.success())
}

fn main() {
    let n: usize = std::env::var("ITMGR_BENCH_HOSTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let fleet = Fleet::start(n);
    let keys = client_keys();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    std::fs::write(&key, &keys.ed25519).unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut lines: Vec<String> = Vec::new();
    rt.block_on(async {
        let server = common::start().await;
        let (_stop, rx) = tokio::sync::watch::channel(false);
        itmgr_api::services::executor::start_worker(&server.state, rx);
        let api = server.api();
        api.call(reqwest::Method::POST, "/api/v1/secrets", Some(json!({ "name": "k", "kind": "ssh_key", "value": keys.ed25519 }))).await;
        api.call(reqwest::Method::POST, "/api/v1/secrets", Some(json!({ "name": "login", "kind": "ssh_credential", "username": USER, "key_secret": "k" }))).await;
        let mut ids = Vec::new();
        for (i, h) in fleet.hosts.iter().enumerate() {
            let host = api.call(reqwest::Method::POST, "/api/v1/hosts", Some(json!({ "name": format!("b{i:03}"), "address": h.ip.to_string(), "port": h.port, "credential": "login" }))).await;
            let id: itmgr_domain::HostId = host["id"].as_str().unwrap().parse().unwrap();
            let fp = itmgr_ssh::HostKey::parse(&h.host_key).unwrap().fingerprint;
            itmgr_storage::repo::hosts::record_host_key_if_unset(server.state.db.conn(), id, &h.host_key, &fp).await.unwrap();
            ids.push(host["id"].clone());
        }
        let pb = api.call(reqwest::Method::POST, "/api/v1/playbooks", Some(json!({ "name": "bench", "content": PLAYBOOK, "defaults": { "options": { "forks": n.min(500), "timeout_seconds": 3600 } } }))).await;
        let pid = pb["id"].as_str().unwrap().to_owned();
        // Launch to first log line, one host: the median of 5.
        let mut firsts = Vec::new();
        for _ in 0..5 {
            let (_, first, _, run) = launch_and_follow(&api, &pid, json!({ "hosts": [ids[0]] })).await;
            assert_eq!(run["status"], "succeeded", "{run}");
            firsts.push(first.as_secs_f64() * 1000.0);
        }
        lines.push(format!("automation/launch-to-first-log-line: median {:.0} ms (of 5; API launch → queue → worker → ansible-playbook → stored → SSE)", pct(&mut firsts, 0.5)));
        // N hosts: a warm-up, then measured.
        let mut took = Duration::ZERO;
        for measured in [false, true] {
            let (t, _, _, run) = launch_and_follow(&api, &pid, json!({ "hosts": ids })).await;
            assert_eq!(run["summary"]["succeeded"], n, "{}", run["summary"]);
            if measured {
                took = t;
            }
        }
        lines.push(format!("automation/playbook-{n}-hosts/itmgr: {:.2} s (3 tasks, forks {})", took.as_secs_f64(), n.min(500)));
        // Ingestion.
        let chatty_pb = api.call(reqwest::Method::POST, "/api/v1/playbooks", Some(json!({ "name": "chatty", "content": chatty() }))).await;
        let cid = chatty_pb["id"].as_str().unwrap().to_owned();
        let (t, _, mut delays, run) = launch_and_follow(&api, &cid, json!({ "hosts": [ids[0]] })).await;
        assert_eq!(run["status"], "succeeded", "{run}");
        let stored: usize = {
            let mut count = 0;
            let mut from = 1;
            loop {
                let chunks = api.call(reqwest::Method::GET, &format!("/api/v1/runs/{}/log?from={from}&limit=5000", run["id"].as_str().unwrap()), None).await;
                let chunks = chunks.as_array().unwrap().clone();
                let Some(last) = chunks.last() else { break };
                from = last["seq"].as_i64().unwrap() + 1;
                count += chunks.iter().map(|c| c["data"].as_str().unwrap().matches('\n').count()).sum::<usize>();
            }
            count
        };
        lines.push(format!(
            "automation/log-ingestion: {stored} lines stored in a {:.2} s run ({:.0} lines/s end to end); stored → received on the live stream: p50 {:.0} ms, p99 {:.0} ms",
            t.as_secs_f64(), stored as f64 / t.as_secs_f64(), pct(&mut delays, 0.5), pct(&mut delays, 0.99)
        ));
        let (t_plain, ok) = {
            let pbf = dir.path().join("chatty.yml");
            std::fs::write(&pbf, chatty()).unwrap();
            let inv = dir.path().join("one.ini");
            let h = &fleet.hosts[0];
            std::fs::write(&inv, format!("[all]\nb000 ansible_host={} ansible_port={} ansible_user={USER}\n", h.ip, h.port)).unwrap();
            plain(&inv, &key, &pbf, 1, true)
        };
        lines.push(format!("automation/log-ingestion/plain-ansible-playbook: the same 100,000 lines to a terminal pipe in {:.2} s{}", t_plain.as_secs_f64(), if ok { "" } else { " (FAILED)" }));
        lines.push(format!("automation/playbook-{n}-hosts/itmgr-total: {:.2}", took.as_secs_f64()));
    });
    // Plain ansible-playbook, same playbook, same forks.
    let pbf = dir.path().join("pb.yml");
    std::fs::write(&pbf, PLAYBOOK).unwrap();
    let inv: String = std::iter::once("[all]\n".to_owned())
        .chain(fleet.hosts.iter().enumerate().map(|(i, h)| {
            format!(
                "b{i:03} ansible_host={} ansible_port={} ansible_user={USER}\n",
                h.ip, h.port
            )
        }))
        .collect();
    let inv_file = dir.path().join("inv.ini");
    std::fs::write(&inv_file, inv).unwrap();
    let itmgr_total: f64 = lines
        .iter()
        .find_map(|l| l.split_once("-total: ").and_then(|(_, v)| v.parse().ok()))
        .unwrap_or(0.0);
    lines.retain(|l| !l.contains("-total: "));
    for (label, same_ssh) in [
        (
            "plain-ansible-playbook (ControlPersist on, Ansible's default)",
            false,
        ),
        ("plain-ansible-playbook (ControlPersist off)", true),
    ] {
        let _ = plain(&inv_file, &key, &pbf, n.min(500), same_ssh); // warm-up
        let (t, ok) = plain(&inv_file, &key, &pbf, n.min(500), same_ssh);
        lines.push(format!(
            "automation/playbook-{n}-hosts/{label}: {:.2} s{} — IT Manager {:+.1}%",
            t.as_secs_f64(),
            if ok { "" } else { " (FAILED)" },
            (itmgr_total / t.as_secs_f64() - 1.0) * 100.0
        ));
    }
    for l in lines {
        println!("{l}");
    }
}
