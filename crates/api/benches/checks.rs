//! Status-check throughput against real sshd processes: 200 hosts by the `ssh` method
//! (handshake + password login) and 2,000 host entries by the `tcp` method, measured from the
//! API call to the last result arriving on the live event stream. The peer is `parallel-ssh`
//! (Debian `pssh`) logging in to the same 200 hosts and running `true`, with as many parallel
//! connections as hosts.
//!
//! Run: `cargo bench -p itmgr-api --bench checks` (root: the fleet needs its test user).

mod common;

use itmgr_testfleet::{Fleet, PASSWORD, USER};
use serde_json::json;
use std::process::Command;
use std::time::{Duration, Instant};

const SSH_HOSTS: usize = 200;
const TCP_ENTRIES: usize = 2000;

use common::Api;

async fn start() -> (Api, common::Server) {
    let server = common::start().await;
    (server.api(), server)
}

/// Imports hosts, checks them all, and returns the time until every result was pushed.
async fn run(api: &Api, csv: String, n: usize) -> Duration {
    let report = api
        .call(
            reqwest::Method::POST,
            "/api/v1/hosts/import",
            Some(json!({ "format": "csv", "content": csv })),
        )
        .await;
    assert_eq!(report["summary"]["create"], n, "{}", report["summary"]);
    let mut ids = Vec::new();
    let mut offset = 0;
    while ids.len() < n {
        let page = api
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/hosts?limit=500&offset={offset}&sort=-created_at"),
                None,
            )
            .await;
        for h in page["items"].as_array().unwrap() {
            ids.push(h["id"].as_str().unwrap().to_owned());
        }
        offset += 500;
    }
    let mut events = api
        .http
        .get(format!("{}/api/v1/hosts/events", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    let started = Instant::now();
    api.call(
        reqwest::Method::POST,
        "/api/v1/hosts/check",
        Some(json!({ "ids": ids })),
    )
    .await;
    let (mut seen, mut online, mut buf) = (0, 0, String::new());
    while seen < n {
        let chunk = tokio::time::timeout(Duration::from_secs(120), events.chunk())
            .await
            .expect("results stopped arriving")
            .unwrap()
            .expect("stream ended");
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let ev: String = buf.drain(..end + 2).collect();
            if ev.contains("event: host.status") {
                seen += 1;
                if ev.contains("\"status\":\"online\"") {
                    online += 1;
                }
            }
        }
    }
    let took = started.elapsed();
    assert_eq!(online, n, "every host should be online");
    took
}

fn pssh(fleet: &Fleet, dir: &std::path::Path) -> Option<Duration> {
    let bin = ["parallel-ssh", "pssh"].into_iter().find(|b| {
        Command::new("which")
            .arg(b)
            .output()
            .is_ok_and(|o| o.status.success())
    })?;
    let hosts: String = fleet
        .hosts
        .iter()
        .map(|h| format!("{}:{}\n", h.ip, h.port))
        .collect();
    let file = dir.join("pssh-hosts");
    std::fs::write(&file, hosts).ok()?;
    let key = dir.join("id_ed25519");
    std::fs::write(&key, &itmgr_testfleet::client_keys().ed25519).ok()?;
    let _ = Command::new("chmod").arg("600").arg(&key).status();
    let started = Instant::now();
    let out = Command::new(bin)
        .args(["-h"])
        .arg(&file)
        .args(["-l", USER, "-p", &SSH_HOSTS.to_string(), "-t", "60"])
        .args([
            "-x",
            &format!(
            "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -i {}",
            key.display()
        ),
        ])
        .arg("true")
        .output()
        .ok()?;
    let took = started.elapsed();
    let ok = String::from_utf8_lossy(&out.stdout)
        .matches("[SUCCESS]")
        .count();
    if ok != SSH_HOSTS {
        eprintln!("parallel-ssh: only {ok}/{SSH_HOSTS} succeeded");
        return None;
    }
    Some(took)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let fleet = Fleet::start(SSH_HOSTS);
    eprintln!(
        "fleet of {SSH_HOSTS} sshd started in {:?}",
        started.elapsed()
    );
    rt.block_on(async {
        let (api, _server) = start().await;
        let dir = tempfile::tempdir().unwrap();
        api.call(
            reqwest::Method::PUT,
            "/api/v1/inventory/settings",
            Some(json!({
                "check_interval_seconds": 0, "check_concurrency": 500, "check_timeout_seconds": 30,
                "default_check_method": "tcp", "status_history_retention_days": 30,
                "target_deny": ["169.254.0.0/16"], "version": 0
            })),
        )
        .await;
        api.call(
            reqwest::Method::POST,
            "/api/v1/secrets",
            Some(json!({ "name": "fleet", "kind": "ssh_credential", "username": USER, "value": PASSWORD })),
        )
        .await;
        let mut csv = String::from("name,address,port,check_method,credential\n");
        for (i, h) in fleet.hosts.iter().enumerate() {
            csv.push_str(&format!("ssh-{i},{},{},ssh,fleet\n", h.ip, h.port));
        }
        let ssh = run(&api, csv, SSH_HOSTS).await;
        let mut csv = String::from("name,address,port,check_method\n");
        for i in 0..TCP_ENTRIES {
            let h = &fleet.hosts[i % SSH_HOSTS];
            csv.push_str(&format!("tcp-{i},{},{},tcp\n", h.ip, h.port));
        }
        let tcp_sshd = run(&api, csv, TCP_ENTRIES).await;
        // The same count against a listener that accepts and closes at once: what the checker
        // itself costs, without 2,000 sshd forks competing for the same two cores.
        let listener = std::net::TcpListener::bind("0.0.0.0:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for s in listener.incoming() {
                drop(s);
            }
        });
        let mut csv = String::from("name,address,port,check_method\n");
        for i in 0..TCP_ENTRIES {
            csv.push_str(&format!("plain-{i},127.30.{}.{},{port},tcp\n", i / 250, i % 250 + 1));
        }
        let tcp = run(&api, csv, TCP_ENTRIES).await;
        let rss = common::self_status_kib("VmHWM") / 1024;
        let peer = pssh(&fleet, dir.path());
        println!("checks/ssh-{SSH_HOSTS}: {:.2} s (IT Manager, password login, results pushed over SSE)", ssh.as_secs_f64());
        match peer {
            Some(p) => println!("checks/ssh-{SSH_HOSTS}/parallel-ssh: {:.2} s (key login + `true`, -p {SSH_HOSTS})", p.as_secs_f64()),
            None => println!("checks/ssh-{SSH_HOSTS}/parallel-ssh: not measured (pssh missing or failed)"),
        }
        println!("checks/tcp-{TCP_ENTRIES} (to the 200 sshd): {:.2} s", tcp_sshd.as_secs_f64());
        println!("checks/tcp-{TCP_ENTRIES} (2,000 addresses, plain listener): {:.2} s", tcp.as_secs_f64());
        println!("checks/peak-rss: {rss} MiB (benchmark process: server + client)");
    });
}
