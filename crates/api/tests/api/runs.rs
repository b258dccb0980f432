//! Ad-hoc commands, scripts and key deployment against the real sshd fleet.

use crate::helpers::*;
use itmgr_testfleet::{client_keys, closed_port, Fleet, Silent, PASSWORD, USER};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// A credential (password + become password) and one host per address, host keys on record.
async fn inventory(
    app: &TestApp,
    admin: &str,
    targets: &[(String, SocketAddr, String)],
) -> Vec<String> {
    let (status, s) = app
        .post("/api/v1/secrets", admin, json!({ "name": "fleet", "kind": "ssh_credential", "username": USER, "value": PASSWORD, "become_password": PASSWORD }))
        .await;
    assert_eq!(status, 201, "{s}");
    let mut ids = Vec::new();
    for (name, addr, host_key) in targets {
        let id = host_with_key(app, admin, name, *addr, host_key, "fleet").await;
        ids.push(id.to_string());
    }
    ids
}

async fn output(app: &TestApp, token: &str, run: &str, host: Option<&str>) -> Vec<Value> {
    let q = host.map(|h| format!("&host={h}")).unwrap_or_default();
    let (status, chunks) = app
        .get(&format!("/api/v1/runs/{run}/output?after=0{q}"), token)
        .await;
    assert_eq!(status, 200, "{chunks}");
    chunks.as_array().unwrap().clone()
}

fn text_of(chunks: &[Value], stream: &str) -> String {
    chunks
        .iter()
        .filter(|c| c["stream"] == stream)
        .map(|c| c["data"].as_str().unwrap())
        .collect()
}

async fn a_command_runs_on_twenty_hosts_with_one_down_and_one_silent(backend: Backend) {
    let fleet = Fleet::start(18);
    let silent = Silent::start();
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let mut targets = fleet_targets(&fleet, "web-");
    let some_key = fleet.hosts[0].host_key.clone();
    targets.push(("web-down".into(), closed_port(), some_key.clone()));
    targets.push(("web-silent".into(), silent.addr, some_key));
    inventory(&app, &admin, &targets).await;
    let failing_ip = fleet.hosts[3].ip.to_string();
    let command = format!(
        "ip=$(echo $SSH_CONNECTION | cut -d' ' -f3); echo \"out $ip\"; echo err-line >&2; \
         [ \"$ip\" = {failing_ip} ] && exit 7; exit 0"
    );
    let (status, run) = app
        .post("/api/v1/runs/commands", &admin, json!({ "targets": { "rule": "name starts_with \"web-\"" }, "command": command, "timeout_seconds": 4, "concurrency": 50 }))
        .await;
    assert_eq!(status, 202, "{run}");
    assert_eq!(run["summary"]["total"], 20);
    let id = run["id"].as_str().unwrap().to_owned();
    let started = Instant::now();
    let run = finished(&app, &admin, &id).await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "slow: {:?}",
        started.elapsed()
    );
    assert_eq!(run["status"], "failed");
    let s = &run["summary"];
    assert_eq!(
        (
            s["succeeded"].as_u64(),
            s["failed"].as_u64(),
            s["unreachable"].as_u64(),
            s["timed_out"].as_u64()
        ),
        (Some(17), Some(1), Some(1), Some(1)),
        "{run}"
    );
    assert_eq!(host(&run, "web-03")["exit_code"], 7);
    assert_eq!(host(&run, "web-00")["exit_code"], 0);
    assert_eq!(host(&run, "web-down")["status"], "unreachable");
    assert_eq!(host(&run, "web-silent")["status"], "timed_out");
    // stdout and stderr are kept apart, per host.
    let h5 = host(&run, "web-05")["host_id"].as_str().unwrap().to_owned();
    let chunks = output(&app, &admin, &id, Some(&h5)).await;
    assert_eq!(
        text_of(&chunks, "out"),
        format!("out {}\n", fleet.hosts[5].ip)
    );
    assert_eq!(text_of(&chunks, "err"), "err-line\n");
    // Why the down host failed is in its output as a system line.
    let down = host(&run, "web-down")["host_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!text_of(&output(&app, &admin, &id, Some(&down)).await, "sys").is_empty());

    // The live stream replays everything in order and ends with the run.
    let r = app
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/runs/{id}/events"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    let body = tokio::time::timeout(Duration::from_secs(10), r.text())
        .await
        .expect("the stream of a finished run ends")
        .unwrap();
    let seqs: Vec<i64> = body
        .lines()
        .filter_map(|l| l.strip_prefix("id: ").or_else(|| l.strip_prefix("id:")))
        .map(|s| s.trim().parse().unwrap())
        .collect();
    assert!(
        !seqs.is_empty() && seqs.windows(2).all(|w| w[1] > w[0]),
        "{seqs:?}"
    );
    assert_eq!(body.matches("event: host").count(), 20);
    assert!(body.trim_end().ends_with('}') && body.contains("event: run"));
    // Resuming after the last id sends no output again.
    let last = seqs.last().unwrap();
    let again = app
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/runs/{id}/events?after={last}"),
            Some(&admin),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(again.matches("event: output").count(), 0);

    // Re-run the hosts that did not succeed: three of them.
    let (status, rerun) = app
        .post(
            &format!("/api/v1/runs/{id}/rerun"),
            &admin,
            json!({ "failed_only": true }),
        )
        .await;
    assert_eq!(status, 202, "{rerun}");
    assert_eq!(rerun["trigger"], "rerun");
    assert_eq!(rerun["rerun_of"], id.as_str());
    let rerun = finished(&app, &admin, rerun["id"].as_str().unwrap()).await;
    let names: Vec<&str> = rerun["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["web-03", "web-down", "web-silent"]);

    // History: filters by status and host.
    let (_, list) = app
        .get("/api/v1/runs?status=failed&kind=command", &admin)
        .await;
    assert_eq!(list["total"], 2, "{list}");
    let (_, list) = app.get(&format!("/api/v1/runs?host={h5}"), &admin).await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(audit(&app, &admin, "run.start").await.len(), 2);
}

on_both_databases!(a_command_runs_on_twenty_hosts_with_one_down_and_one_silent);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sudo_uses_the_become_password_on_stdin_never_in_argv_or_output() {
    let fleet = Fleet::start(2);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    inventory(&app, &admin, &fleet_targets(&fleet, "db-")).await;
    // Every process's arguments on the machine, from inside the sudo'ed command.
    let (status, run) = app
        .post("/api/v1/runs/commands", &admin, json!({ "targets": { "groups": [], "rule": "name == \"db-00\"" }, "command": "id -u; ps -eo args", "sudo": true, "timeout_seconds": 20 }))
        .await;
    assert_eq!(status, 202, "{run}");
    let id = run["id"].as_str().unwrap().to_owned();
    let run = finished(&app, &admin, &id).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    let out = text_of(&output(&app, &admin, &id, None).await, "out");
    assert!(out.starts_with("0\n"), "ran as root: {out}");
    assert!(
        out.contains("sudo -S -k"),
        "the ps output holds the sudo command line: {out}"
    );
    assert!(
        !out.contains(PASSWORD) && !out.contains("***"),
        "the password was never in argv: {out}"
    );
    assert!(!run.to_string().contains(PASSWORD));

    // A script with arguments (quoted as single words), through sudo, in bash and python.
    let (status, run) = app
        .post("/api/v1/runs/commands", &admin, json!({
            "targets": { "hosts": [] , "rule": "name starts_with \"db-\"" },
            "script": { "name": "check.sh", "interpreter": "bash", "content": "echo \"args:$1|$2\"\nid -u\n", "args": ["a b", "c'd"] },
            "sudo": true,
        }))
        .await;
    assert_eq!(status, 202, "{run}");
    assert_eq!(run["title"], "check.sh a b c'd");
    let id = run["id"].as_str().unwrap().to_owned();
    let run = finished(&app, &admin, &id).await;
    assert_eq!(run["summary"]["succeeded"], 2, "{run}");
    // Per host: the two hosts' output chunks interleave in the run's merged stream.
    for h in run["hosts"].as_array().unwrap() {
        let host = h["host_id"].as_str().unwrap();
        let out = text_of(&output(&app, &admin, &id, Some(host)).await, "out");
        assert_eq!(out, "args:a b|c'd\n0\n", "{out}");
    }
    let (status, run) = app
        .post("/api/v1/runs/commands", &admin, json!({
            "targets": { "rule": "name == \"db-01\"" },
            "script": { "name": "p.py", "interpreter": "python", "content": "import sys\nprint('py', sys.argv[1:])\n", "args": ["x"] },
        }))
        .await;
    assert_eq!(status, 202, "{run}");
    let id = run["id"].as_str().unwrap().to_owned();
    assert_eq!(finished(&app, &admin, &id).await["status"], "succeeded");
    assert_eq!(
        text_of(&output(&app, &admin, &id, None).await, "out"),
        "py ['x']\n"
    );

    // Bad input gets field errors; a viewer may look but not run.
    for (body, field) in [
        (
            json!({ "targets": { "rule": "name == \"db-01\"" } }),
            "command",
        ),
        (
            json!({ "targets": { "rule": "name ==" }, "command": "true" }),
            "targets",
        ),
        (
            json!({ "targets": { "rule": "name == \"nothing\"" }, "command": "true" }),
            "targets",
        ),
        (
            json!({ "targets": { "rule": "name == \"db-01\"" }, "command": "true", "timeout_seconds": 0 }),
            "timeout_seconds",
        ),
    ] {
        let (status, e) = app.post("/api/v1/runs/commands", &admin, body).await;
        assert_eq!(status, 422, "{e}");
        assert!(e["details"]["fields"][field].is_string(), "{field}: {e}");
    }
    let viewer = app.user_token(&admin, "vera", "viewer").await;
    let (status, _) = app
        .post(
            "/api/v1/runs/commands",
            &viewer,
            json!({ "targets": { "rule": "name == \"db-01\"" }, "command": "true" }),
        )
        .await;
    assert_eq!(status, 403);
    let (status, list) = app.get("/api/v1/runs", &viewer).await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 3);
    for e in audit(&app, &admin, "run.start").await {
        assert!(!e.to_string().contains(PASSWORD));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_on_first_failure_and_cancel_mid_run() {
    let fleet = Fleet::start(5);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    inventory(&app, &admin, &fleet_targets(&fleet, "app-")).await;
    // One at a time: the first host fails, the rest are skipped.
    let (status, run) = app
        .post("/api/v1/runs/commands", &admin, json!({ "targets": { "rule": "name starts_with \"app-\"" }, "command": "exit 2", "concurrency": 1, "stop_on_failure": true }))
        .await;
    assert_eq!(status, 202, "{run}");
    let run = finished(&app, &admin, run["id"].as_str().unwrap()).await;
    assert_eq!(run["summary"]["failed"], 1, "{run}");
    assert_eq!(run["summary"]["skipped"], 4, "{run}");
    assert_eq!(host(&run, "app-00")["exit_code"], 2);

    // Cancel while every host sleeps: channels close, the run ends at once as canceled.
    let (status, run) = app
        .post("/api/v1/runs/commands", &admin, json!({ "targets": { "rule": "name starts_with \"app-\"" }, "command": "echo started; sleep 60", "concurrency": 3 }))
        .await;
    assert_eq!(status, 202, "{run}");
    let id = run["id"].as_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !text_of(&output(&app, &admin, &id, None).await, "out").contains("started") {
        assert!(Instant::now() < deadline, "nothing started");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let t = Instant::now();
    let (status, body) = app
        .post(&format!("/api/v1/runs/{id}/cancel"), &admin, json!({}))
        .await;
    assert_eq!(status, 202, "{body}");
    let run = finished(&app, &admin, &id).await;
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "cancel took {:?}",
        t.elapsed()
    );
    assert_eq!(run["status"], "canceled");
    assert_eq!(run["summary"]["canceled"], 5, "{run}");
    let (status, _) = app
        .post(&format!("/api/v1/runs/{id}/cancel"), &admin, json!({}))
        .await;
    assert_eq!(status, 409, "a finished run cannot be canceled");
    assert_eq!(audit(&app, &admin, "run.cancel").await.len(), 1);
}

fn authorized_keys() -> std::path::PathBuf {
    let home = std::process::Command::new("sh")
        .args(["-c", &format!("getent passwd {USER} | cut -d: -f6")])
        .output()
        .unwrap();
    std::path::Path::new(String::from_utf8_lossy(&home.stdout).trim()).join(".ssh/authorized_keys")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_is_deployed_once_removed_permissions_kept_and_rotated() {
    use std::os::unix::fs::PermissionsExt;
    let fleet = Fleet::start(1);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    inventory(&app, &admin, &fleet_targets(&fleet, "k-")).await;
    // A fresh key pair of our own: the public half goes in through the API.
    let dir = tempfile::tempdir().unwrap();
    let key_path = dir.path().join("k");
    assert!(std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "deploy-test", "-f"])
        .arg(&key_path)
        .status()
        .unwrap()
        .success());
    let public = std::fs::read_to_string(key_path.with_extension("pub")).unwrap();
    let private = std::fs::read_to_string(&key_path).unwrap();
    let blob = public.split_whitespace().nth(1).unwrap().to_owned();
    let file = authorized_keys();
    let count = || {
        std::fs::read_to_string(&file)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(&blob))
            .count()
    };
    let login_with_new_key = || async {
        let h = &fleet.hosts[0];
        let mut s = itmgr_ssh::connect(
            &itmgr_domain::TargetPolicy::default(),
            &itmgr_domain::HostAddress::Ip(h.ip.into()),
            h.port,
            Some(&h.host_key),
            itmgr_ssh::Timeouts::all(Duration::from_secs(5)),
        )
        .await
        .unwrap();
        let ok = s
            .authenticate(
                &itmgr_ssh::Credentials {
                    username: USER.into(),
                    private_key: Some(zeroize::Zeroizing::new(private.clone())),
                    ..Default::default()
                },
                Duration::from_secs(5),
            )
            .await
            .is_ok();
        s.close().await;
        ok
    };
    assert!(!login_with_new_key().await);
    // The fleet's sshd reads this user's ~/.ssh/authorized_keys too.
    let mut results = Vec::new();
    for action in ["deploy", "deploy", "remove", "remove"] {
        if action == "remove" && results.len() == 2 {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        let (status, run) = app
            .post("/api/v1/runs/ssh-keys", &admin, json!({ "targets": { "rule": "name == \"k-00\"" }, "action": action, "public_key": public }))
            .await;
        assert_eq!(status, 202, "{run}");
        let run = finished(&app, &admin, run["id"].as_str().unwrap()).await;
        assert_eq!(run["status"], "succeeded", "{run}");
        results.push(host(&run, "k-00")["result"].as_str().unwrap().to_owned());
        if results.len() == 2 {
            assert_eq!(count(), 1, "deployed twice, present once");
            assert!(login_with_new_key().await, "the deployed key logs in");
        }
    }
    assert_eq!(results, ["added", "present", "removed", "absent"]);
    assert_eq!(count(), 0);
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o640,
        "permissions kept"
    );
    assert!(!login_with_new_key().await);
    // Not a key: a field error.
    let (status, e) = app
        .post("/api/v1/runs/ssh-keys", &admin, json!({ "targets": { "rule": "name == \"k-00\"" }, "action": "deploy", "public_key": "ssh-ed25519 nonsense" }))
        .await;
    assert_eq!(status, 422, "{e}");
    assert!(e["details"]["fields"]["public_key"].is_string());

    // Rotation (same test: every step edits the test user's one authorized_keys file). The hosts
    // log in with a key secret whose public half is also in ~/.ssh/authorized_keys.
    let keys = client_keys();
    let (status, k) = app
        .post(
            "/api/v1/secrets",
            &admin,
            json!({ "name": "rot-key", "kind": "ssh_key", "value": keys.ed25519 }),
        )
        .await;
    assert_eq!(status, 201, "{k}");
    let old_public = k["public_key"].as_str().unwrap().to_owned();
    let old_blob = old_public.split_whitespace().nth(1).unwrap().to_owned();
    let (status, c) = app
        .post("/api/v1/secrets", &admin, json!({ "name": "rot", "kind": "ssh_credential", "username": USER, "key_secret": "rot-key" }))
        .await;
    assert_eq!(status, 201, "{c}");
    let down = closed_port();
    let mut hosts = Vec::new();
    for (name, ip, port, hk) in [
        (
            "r-0",
            fleet.hosts[0].ip.to_string(),
            fleet.hosts[0].port,
            fleet.hosts[0].host_key.clone(),
        ),
        (
            "r-down",
            down.ip().to_string(),
            down.port(),
            fleet.hosts[0].host_key.clone(),
        ),
    ] {
        let (status, h) = app
            .post(
                "/api/v1/hosts",
                &admin,
                json!({ "name": name, "address": ip, "port": port, "credential": "rot" }),
            )
            .await;
        assert_eq!(status, 201, "{h}");
        let id: itmgr_domain::HostId = h["id"].as_str().unwrap().parse().unwrap();
        let fp = itmgr_ssh::HostKey::parse(&hk).unwrap().fingerprint;
        itmgr_storage::repo::hosts::record_host_key_if_unset(app.state.db.conn(), id, &hk, &fp)
            .await
            .unwrap();
        hosts.push((name, h));
    }
    let (status, run) = app
        .post("/api/v1/runs/ssh-keys", &admin, json!({ "targets": { "rule": "name == \"r-0\"" }, "action": "deploy", "key_secret": "rot-key" }))
        .await;
    assert_eq!(status, 202, "{run}");
    assert_eq!(
        finished(&app, &admin, run["id"].as_str().unwrap()).await["status"],
        "succeeded"
    );
    let lines_with = |blob: &str| {
        std::fs::read_to_string(&file)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(blob))
            .count()
    };
    assert_eq!(lines_with(&old_blob), 1);
    async fn key_secret(app: &TestApp, admin: &str) -> Value {
        let (_, list) = app.get("/api/v1/secrets?limit=500", admin).await;
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "rot-key")
            .unwrap()
            .clone()
    }
    // One host is down: the new key is taken away again and the secret is unchanged.
    let (status, run) = app
        .post(
            "/api/v1/runs/key-rotation",
            &admin,
            json!({ "key_secret": "rot-key", "timeout_seconds": 10 }),
        )
        .await;
    assert_eq!(status, 202, "{run}");
    assert_eq!(run["kind"], "key_rotate");
    let run = finished(&app, &admin, run["id"].as_str().unwrap()).await;
    assert_eq!(run["status"], "failed", "{run}");
    assert!(
        run["error"].as_str().unwrap().contains("unchanged"),
        "{run}"
    );
    assert_eq!(key_secret(&app, &admin).await["value_version"], 1);
    assert_eq!(
        std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .filter(|l| l.contains("itmgr:rot-key"))
            .count(),
        0,
        "the new key was removed again"
    );
    assert_eq!(lines_with(&old_blob), 1);

    // Without the dead host: deployed, verified, stored, the old key removed.
    let down_id = hosts[1].1["id"].as_str().unwrap().to_owned();
    let r = app
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/hosts/{down_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert!(r.status().is_success());
    let (status, run) = app
        .post(
            "/api/v1/runs/key-rotation",
            &admin,
            json!({ "key_secret": "rot-key" }),
        )
        .await;
    assert_eq!(status, 202, "{run}");
    let run = finished(&app, &admin, run["id"].as_str().unwrap()).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    assert_eq!(host(&run, "r-0")["result"], "rotated");
    let rotated = key_secret(&app, &admin).await;
    assert_eq!(rotated["value_version"], 2);
    let new_public = rotated["public_key"].as_str().unwrap().to_owned();
    assert_ne!(new_public, old_public);
    let new_blob = new_public.split_whitespace().nth(1).unwrap().to_owned();
    assert_eq!(lines_with(&new_blob), 1);
    assert_eq!(lines_with(&old_blob), 0, "the old key is gone");
    // The hosts keep working with the stored (new) key.
    let (status, run) = app
        .post(
            "/api/v1/runs/commands",
            &admin,
            json!({ "targets": { "rule": "name == \"r-0\"" }, "command": "echo still-in" }),
        )
        .await;
    assert_eq!(status, 202, "{run}");
    assert_eq!(
        finished(&app, &admin, run["id"].as_str().unwrap()).await["status"],
        "succeeded"
    );
    // Clean up the test user's file for later runs.
    let (status, run) = app
        .post("/api/v1/runs/ssh-keys", &admin, json!({ "targets": { "rule": "name == \"r-0\"" }, "action": "remove", "public_key": new_public }))
        .await;
    assert_eq!(status, 202, "{run}");
    finished(&app, &admin, run["id"].as_str().unwrap()).await;
    let _ = keys;
}
