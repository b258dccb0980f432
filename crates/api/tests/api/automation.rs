//! Playbooks with the real `ansible-playbook` against the sshd fleet, the job queue and the
//! scheduler.

use crate::helpers::*;
use itmgr_testfleet::{client_keys, closed_port, Fleet, USER};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "Pb-Secret-Token-4711";
const ANSWER: &str = "Survey-Answer-Secret-99";

const PLAYBOOK: &str = r#"- hosts: all
  gather_facts: false
  tasks:
    - name: write the marker
      copy:
        dest: "{{ marker_dir }}/{{ inventory_hostname }}"
        content: "hello\n"
    - name: say the secrets
      debug:
        msg: "token is {{ token }} and answer is {{ api_key }}"
    - name: fail on one host
      fail:
        msg: "this host fails on purpose"
      when: inventory_hostname == 'pb-01'
    - name: keep an artifact
      copy:
        dest: "{{ itmgr_artifacts_dir }}/report-{{ inventory_hostname }}.txt"
        content: "report of {{ inventory_hostname }}\n"
      delegate_to: localhost
"#;

/// Key-based credential (the agent serves it) and hosts with their host keys on record.
async fn inventory(app: &TestApp, admin: &str, targets: &[(String, SocketAddr, String)]) {
    let keys = client_keys();
    let (s, b) = app
        .post(
            "/api/v1/secrets",
            admin,
            json!({ "name": "pb-key", "kind": "ssh_key", "value": keys.ecdsa }),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, b) = app
        .post("/api/v1/secrets", admin, json!({ "name": "pb-login", "kind": "ssh_credential", "username": USER, "key_secret": "pb-key" }))
        .await;
    assert_eq!(s, 201, "{b}");
    for (name, addr, host_key) in targets {
        host_with_key(app, admin, name, *addr, host_key, "pb-login").await;
    }
}

async fn log(app: &TestApp, token: &str, id: &str) -> (Vec<i64>, String) {
    let (status, chunks) = app
        .get(&format!("/api/v1/runs/{id}/log?from=1&limit=5000"), token)
        .await;
    assert_eq!(status, 200, "{chunks}");
    let chunks = chunks.as_array().unwrap();
    (
        chunks.iter().map(|c| c["seq"].as_i64().unwrap()).collect(),
        chunks.iter().map(|c| c["data"].as_str().unwrap()).collect(),
    )
}

/// Reads every process's argv and environment until stopped; true if `needles` ever appeared.
fn sample_proc(
    needles: Vec<String>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<(bool, usize)> {
    std::thread::spawn(move || {
        let mut seen = false;
        let mut ansible_seen = 0;
        while !stop.load(Ordering::SeqCst) {
            for e in std::fs::read_dir("/proc").unwrap().flatten() {
                let p = e.path();
                for f in ["cmdline", "environ"] {
                    if let Ok(b) = std::fs::read(p.join(f)) {
                        let t = String::from_utf8_lossy(&b);
                        if f == "cmdline" && t.contains("ansible-playbook") {
                            ansible_seen += 1;
                        }
                        if needles.iter().any(|n| t.contains(n.as_str())) {
                            seen = true;
                        }
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        (seen, ansible_seen)
    })
}

on_both_databases!(a_playbook_runs_against_real_hosts_with_check_mode_stats_secrets_and_artifacts);

async fn a_playbook_runs_against_real_hosts_with_check_mode_stats_secrets_and_artifacts(
    backend: Backend,
) {
    let fleet = Fleet::start(2);
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let mut targets = fleet_targets(&fleet, "pb-");
    targets.push((
        "pb-down".into(),
        closed_port(),
        fleet.hosts[0].host_key.clone(),
    ));
    inventory(&app, &admin, &targets).await;
    let (s, b) = app
        .post(
            "/api/v1/secrets",
            &admin,
            json!({ "name": "pb-token", "kind": "password", "value": TOKEN }),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let marker = tempfile::tempdir().unwrap();
    std::fs::set_permissions(
        marker.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .unwrap();

    // Bad YAML and a non-playbook are refused with the line.
    let (s, e) = app
        .post(
            "/api/v1/playbooks",
            &admin,
            json!({ "name": "broken", "content": "- hosts: all\n  tasks:\n  - ping: {\n" }),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(
        e["details"]["fields"]["content"]
            .as_str()
            .unwrap()
            .contains("line"),
        "{e}"
    );

    let (s, pb) = app
        .post("/api/v1/playbooks", &admin, json!({
            "name": "marker", "description": "writes a marker", "content": PLAYBOOK,
            "defaults": {
                "targets": { "rule": "name starts_with \"pb-\"" },
                "variables": [
                    { "name": "token", "type": "string", "value": "{{ secret:pb-token }}" },
                    { "name": "marker_dir", "type": "string", "value": marker.path().display().to_string() }
                ],
                "survey": [ { "name": "api_key", "label": "API key", "type": "secret", "required": true } ],
                "options": { "forks": 5, "timeout_seconds": 120 }
            }
        }))
        .await;
    assert_eq!(s, 201, "{pb}");
    let pid = pb["id"].as_str().unwrap().to_owned();
    assert_eq!(pb["current_version"], 1);

    // A launch without the required survey answer is refused; the preview shows the plan.
    let (s, e) = app
        .post(
            &format!("/api/v1/playbooks/{pid}/launch"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let (s, pv) = app
        .post(
            &format!("/api/v1/playbooks/{pid}/launch/preview"),
            &admin,
            json!({ "survey": { "api_key": ANSWER }, "dry_run": true }),
        )
        .await;
    assert_eq!(s, 200, "{pv}");
    assert_eq!(pv["total_hosts"], 3);
    assert!(
        pv["command"].as_str().unwrap().contains("--check --diff"),
        "{pv}"
    );
    assert_eq!(pv["variables"]["api_key"], "***");
    assert!(!pv.to_string().contains(ANSWER) && !pv.to_string().contains(TOKEN));

    // Dry run on one host: reports the change, changes nothing.
    let ids = {
        let (_, list) = app.get("/api/v1/hosts?q=pb-00", &admin).await;
        list["items"][0]["id"].as_str().unwrap().to_owned()
    };
    let (s, run) = app
        .post(&format!("/api/v1/playbooks/{pid}/launch"), &admin, json!({ "targets": { "hosts": [ids] }, "survey": { "api_key": ANSWER }, "dry_run": true }))
        .await;
    assert_eq!(s, 202, "{run}");
    assert_eq!(run["kind"], "playbook");
    let run = finished_within(
        &app,
        &admin,
        run["id"].as_str().unwrap(),
        Duration::from_secs(120),
    )
    .await;
    assert_eq!(run["status"], "succeeded", "{run}");
    let h = host(&run, "pb-00");
    assert_eq!(h["status"], "succeeded");
    assert!(h["stats"]["changed"].as_u64().unwrap() >= 1, "{h}");
    assert!(
        !marker.path().join("pb-00").exists(),
        "check mode changed a file"
    );

    // The real run on all three, with the /proc sampler watching for secrets.
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = sample_proc(vec![TOKEN.into(), ANSWER.into()], stop.clone());
    let (s, run) = app
        .post(
            &format!("/api/v1/playbooks/{pid}/launch"),
            &admin,
            json!({ "survey": { "api_key": ANSWER } }),
        )
        .await;
    assert_eq!(s, 202, "{run}");
    let id = run["id"].as_str().unwrap().to_owned();
    let run = finished_within(&app, &admin, &id, Duration::from_secs(180)).await;
    stop.store(true, Ordering::SeqCst);
    let (leaked, ansible_seen) = sampler.join().unwrap();
    assert!(
        ansible_seen > 0,
        "the sampler never saw ansible-playbook running"
    );
    assert!(
        !leaked,
        "a secret appeared in a process's argv or environment"
    );
    assert_eq!(run["status"], "failed", "{run}");
    assert!(run["exit_code"].as_i64().unwrap() != 0);
    assert_eq!(host(&run, "pb-00")["status"], "succeeded", "{run}");
    assert_eq!(host(&run, "pb-01")["status"], "failed", "{run}");
    assert_eq!(host(&run, "pb-down")["status"], "unreachable", "{run}");
    assert_eq!(host(&run, "pb-00")["stats"]["failed"], 0);
    assert_eq!(host(&run, "pb-01")["stats"]["failed"], 1);
    assert_eq!(host(&run, "pb-down")["stats"]["unreachable"], 1);
    assert!(marker.path().join("pb-00").exists() && marker.path().join("pb-01").exists());
    assert_eq!(run["parameters"]["variables"]["api_key"], "***");
    let (s, e) = app
        .post(
            &format!("/api/v1/runs/{id}/rerun"),
            &admin,
            json!({ "failed_only": true }),
        )
        .await;
    assert_eq!(s, 409, "a run with secret answers cannot be repeated: {e}");
    assert!(!run.to_string().contains(TOKEN) && !run.to_string().contains(ANSWER));

    // Stored log and events: the secrets are masked, the structure is there.
    let (seqs, text) = log(&app, &admin, &id).await;
    assert!(text.contains("token is *** and answer is ***"), "{text}");
    assert!(!text.contains(TOKEN) && !text.contains(ANSWER));
    let (s, tasks) = app
        .get(&format!("/api/v1/runs/{id}/tasks?limit=5000"), &admin)
        .await;
    assert_eq!(s, 200);
    let t = tasks.to_string();
    assert!(!t.contains(TOKEN) && !t.contains(ANSWER), "{t}");
    let events: Vec<&Value> = tasks.as_array().unwrap().iter().collect();
    assert!(events.iter().any(|e| e["event"] == "runner_on_failed"
        && e["host"] == "pb-01"
        && e["task"] == "fail on one host"));
    assert!(events
        .iter()
        .any(|e| e["event"] == "runner_on_unreachable" && e["host"] == "pb-down"));
    assert!(events.iter().any(|e| e["event"] == "runner_on_ok"
        && e["host"] == "pb-00"
        && e["task"] == "write the marker"
        && e["data"]["changed"] == true));
    assert!(events.iter().any(|e| e["event"] == "playbook_on_stats"));

    // Artifacts, the downloadable log.
    let (s, arts) = app
        .get(&format!("/api/v1/runs/{id}/artifacts"), &admin)
        .await;
    assert_eq!(s, 200);
    let names: Vec<&str> = arts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["report-pb-00.txt"], "{arts}");
    let r = app
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/runs/{id}/artifacts/report-pb-00.txt"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "report of pb-00\n");
    let r = app
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/runs/{id}/log.txt"),
            Some(&admin),
            None,
        )
        .await;
    let plain = r.text().await.unwrap();
    assert!(
        plain.contains("PLAY RECAP") && !plain.contains('\u{1b}'),
        "{plain}"
    );

    // The live stream resumes after a disconnect without gaps or repeats.
    let cut = seqs[seqs.len() / 2];
    let first = app
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/runs/{id}/events?after=0"),
            Some(&admin),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    let ids_of = |body: &str| -> Vec<i64> {
        body.lines()
            .filter_map(|l| l.strip_prefix("id:"))
            .map(|s| s.trim().parse().unwrap())
            .collect()
    };
    let before: Vec<i64> = ids_of(&first).into_iter().filter(|s| *s <= cut).collect();
    let rest = app
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/runs/{id}/events?after={cut}"),
            Some(&admin),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    let mut all = before;
    all.extend(ids_of(&rest));
    assert_eq!(all, seqs, "resumed stream has a gap or a repeat");

    // History filters by playbook; versions: an edit makes version 2, restore makes 3.
    let (_, list) = app
        .get(
            &format!("/api/v1/runs?playbook={pid}&kind=playbook"),
            &admin,
        )
        .await;
    assert_eq!(list["total"], 2, "{list}");
    assert_eq!(
        list["items"][0]["id"],
        id.as_str(),
        "newest first by default"
    );
    let (_, oldest) = app
        .get(
            &format!("/api/v1/runs?playbook={pid}&sort=queued_at&trigger=user"),
            &admin,
        )
        .await;
    assert_eq!(oldest["items"][1]["id"], id.as_str(), "{oldest}");
    assert!(oldest["items"][0]["title"]
        .as_str()
        .unwrap()
        .ends_with("(dry run)"));
    let (s, e) = app.get("/api/v1/runs?sort=nope", &admin).await;
    assert_eq!(s, 422, "{e}");
    let mut input = json!({ "name": "marker", "content": format!("{PLAYBOOK}# edited\n"), "defaults": pb["defaults"].clone() });
    let r = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/playbooks/{pid}"),
            Some(&admin),
            Some(input.clone()),
        )
        .await;
    assert_eq!(r.status(), 200);
    let pb2: Value = r.json().await.unwrap();
    assert_eq!(pb2["current_version"], 2, "{pb2}");
    input["description"] = json!("same content");
    let pb3: Value = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/playbooks/{pid}"),
            Some(&admin),
            Some(input),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        pb3["current_version"], 2,
        "saving without content changes makes no version"
    );
    let (s, v) = app
        .post(
            &format!("/api/v1/playbooks/{pid}/versions/1/restore"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["current_version"], 3);
    assert_eq!(v["content"], PLAYBOOK);
    let (_, versions) = app
        .get(&format!("/api/v1/playbooks/{pid}/versions"), &admin)
        .await;
    assert_eq!(versions.as_array().unwrap().len(), 3);

    // Retention: one run kept per playbook (set on the Settings page), then a log budget.
    use itmgr_storage::repo::runs::delete_old;
    let db = app.state.db.conn();
    let (_, mut settings) = app.get("/api/v1/settings", &admin).await;
    assert_eq!(
        settings["runs_kept_per_playbook"], 0,
        "the configured default"
    );
    assert_eq!(
        itmgr_api::services::runs::apply_retention(&app.state)
            .await
            .unwrap(),
        0,
        "nothing is old enough for the configured 90 days"
    );
    settings["runs_kept_per_playbook"] = json!(1);
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/settings",
            Some(&admin),
            Some(settings),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        itmgr_api::services::runs::apply_retention(&app.state)
            .await
            .unwrap(),
        1
    );
    let (_, list) = app
        .get(&format!("/api/v1/runs?playbook={pid}"), &admin)
        .await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(
        list["items"][0]["id"],
        id.as_str(),
        "the newest run is kept"
    );
    assert_eq!(delete_old(db, None, None, Some(i64::MAX)).await.unwrap(), 0);
    assert_eq!(
        delete_old(db, None, None, Some(10)).await.unwrap(),
        1,
        "its log exceeds 10 bytes"
    );
    let (s, _) = app.get(&format!("/api/v1/runs/{id}"), &admin).await;
    assert_eq!(s, 404);
    let (s, _) = app
        .get(&format!("/api/v1/runs/{id}/artifacts"), &admin)
        .await;
    assert_eq!(s, 404);
}

const SLEEPER: &str = r#"- hosts: all
  gather_facts: false
  tasks:
    - name: sleep
      command: sleep 300
"#;

/// No process of the run is left: nothing whose argv names the app's work directory, no ssh to
/// the fleet's ports from a run.
fn leftovers(work: &std::path::Path) -> Vec<String> {
    let w = work.display().to_string();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .filter(|c| c.contains(&w))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_and_timeout_kill_every_child_of_a_playbook_run() {
    let fleet = Fleet::start(2);
    let work = tempfile::tempdir().unwrap();
    let work_dir = work.path().to_owned();
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.automation.work_dir = work_dir.clone();
        c.automation.cancel_grace = Duration::from_secs(2);
    })
    .await;
    let admin = app.admin_token().await;
    let targets = fleet_targets(&fleet, "sl-");
    inventory(&app, &admin, &targets).await;
    let (s, pb) = app
        .post("/api/v1/playbooks", &admin, json!({ "name": "sleeper", "content": SLEEPER,
            "defaults": { "targets": { "rule": "name starts_with \"sl-\"" }, "options": { "timeout_seconds": 600 } } }))
        .await;
    assert_eq!(s, 201, "{pb}");
    let pid = pb["id"].as_str().unwrap();

    // Cancel once the task runs on the hosts.
    let (_, run) = app
        .post(
            &format!("/api/v1/playbooks/{pid}/launch"),
            &admin,
            json!({}),
        )
        .await;
    let id = run["id"].as_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, tasks) = app.get(&format!("/api/v1/runs/{id}/tasks"), &admin).await;
        if tasks
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"] == "playbook_on_task_start")
        {
            break;
        }
        assert!(Instant::now() < deadline, "the task never started");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !leftovers(&work_dir).is_empty(),
        "nothing of the run was seen running"
    );
    let (s, b) = app
        .post(&format!("/api/v1/runs/{id}/cancel"), &admin, json!({}))
        .await;
    assert_eq!(s, 202, "{b}");
    let run = finished_within(&app, &admin, &id, Duration::from_secs(30)).await;
    assert_eq!(run["status"], "canceled", "{run}");
    assert!(
        run["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["status"] == "canceled"),
        "{run}"
    );
    assert_eq!(leftovers(&work_dir), Vec::<String>::new());

    // A run that exceeds its time limit is killed the same way.
    let (_, run) = app
        .post(
            &format!("/api/v1/playbooks/{pid}/launch"),
            &admin,
            json!({ "options": { "timeout_seconds": 10, "forks": 5 } }),
        )
        .await;
    let id = run["id"].as_str().unwrap().to_owned();
    let run = finished_within(&app, &admin, &id, Duration::from_secs(60)).await;
    assert_eq!(run["status"], "timed_out", "{run}");
    assert_eq!(leftovers(&work_dir), Vec::<String>::new());
    // Work directories are removed after each run.
    assert_eq!(std::fs::read_dir(&work_dir).unwrap().count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schedule_fires_once_per_slot_across_two_servers() {
    use itmgr_api::services::schedules::tick;
    let app = TestApp::spawn_with(Backend::Postgres, |c| c.automation.worker_concurrency = 0).await;
    let admin = app.admin_token().await;
    // A second server on the same database.
    let db2 = itmgr_storage::Db::connect(&app.database_url(), 5)
        .await
        .unwrap();
    let other = itmgr_api::AppState::new(db2, itmgr_api::ApiConfig::default(), &[7u8; 32])
        .await
        .unwrap();
    let (s, h) = app
        .post(
            "/api/v1/hosts",
            &admin,
            json!({ "name": "sched-host", "address": "127.0.0.1" }),
        )
        .await;
    assert_eq!(s, 201, "{h}");
    let (s, pb) = app
        .post(
            "/api/v1/playbooks",
            &admin,
            json!({ "name": "nightly", "content": "- hosts: all\n  tasks: []\n",
            "defaults": { "targets": { "rule": "name == \"sched-host\"" } } }),
        )
        .await;
    assert_eq!(s, 201, "{pb}");
    let (s, e) = app
        .post(
            "/api/v1/schedules",
            &admin,
            json!({ "playbook_id": pb["id"], "name": "bad", "cron": "61 * * * *" }),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let (s, pv) = app
        .post(
            "/api/v1/schedules/preview",
            &admin,
            json!({ "cron": "30 2 * * 1-5", "timezone": "Europe/Paris" }),
        )
        .await;
    assert_eq!(s, 200, "{pv}");
    assert_eq!(pv["next"].as_array().unwrap().len(), 5);
    assert!(
        pv["description"].as_str().unwrap().contains("Europe/Paris"),
        "{pv}"
    );
    let (s, sc) = app
        .post("/api/v1/schedules", &admin, json!({ "playbook_id": pb["id"], "name": "every 5", "cron": "*/5 * * * *", "overlap": "queue" }))
        .await;
    assert_eq!(s, 201, "{sc}");
    let slot: chrono::DateTime<chrono::Utc> = sc["next"][0].as_str().unwrap().parse().unwrap();
    // Before the slot nothing fires.
    let early = tick(&app.state, slot - chrono::Duration::seconds(1))
        .await
        .unwrap();
    assert!(early.launched.is_empty());
    // Both servers tick at the slot, at the same time: one run.
    let at = slot + chrono::Duration::seconds(1);
    let (a, b) = tokio::join!(tick(&app.state, at), tick(&other, at));
    let launched = a.unwrap().launched.len() + b.unwrap().launched.len();
    assert_eq!(launched, 1);
    // Ticking again within the slot fires nothing; the next slot fires once more.
    assert!(tick(&other, at + chrono::Duration::seconds(5))
        .await
        .unwrap()
        .launched
        .is_empty());
    let next = slot + chrono::Duration::minutes(5) + chrono::Duration::seconds(1);
    let (a, b) = tokio::join!(tick(&app.state, next), tick(&other, next));
    assert_eq!(a.unwrap().launched.len() + b.unwrap().launched.len(), 1);
    // After an hour of downtime, "run once" fires one catch-up run, not twelve.
    let later = next + chrono::Duration::hours(1);
    let (a, b) = tokio::join!(tick(&app.state, later), tick(&other, later));
    assert_eq!(a.unwrap().launched.len() + b.unwrap().launched.len(), 1);
    let (_, runs) = app.get("/api/v1/runs?trigger=schedule", &admin).await;
    assert_eq!(runs["total"], 3, "{runs}");
    let (_, list) = app.get("/api/v1/schedules", &admin).await;
    assert!(list[0]["last_run_id"].is_string(), "{list}");
}

/// A host for plays that run only on the controller (`pause`, `debug`): it must be in the
/// inventory (so it has a credential), it is never connected to.
async fn controller_host(app: &TestApp, admin: &str, name: &str) {
    let (s, b) = app
        .post("/api/v1/secrets", admin, json!({ "name": format!("unused-login-{name}"), "kind": "ssh_credential", "username": "nobody", "value": "never-used-password" }))
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, h) = app
        .post("/api/v1/hosts", admin, json!({ "name": name, "address": "127.0.0.1", "credential": format!("unused-login-{name}") }))
        .await;
    assert_eq!(s, 201, "{h}");
}

async fn launch(app: &TestApp, admin: &str, pid: &str) -> Value {
    let (s, run) = app
        .post(&format!("/api/v1/playbooks/{pid}/launch"), admin, json!({}))
        .await;
    assert_eq!(s, 202, "{run}");
    finished_within(
        app,
        admin,
        run["id"].as_str().unwrap(),
        Duration::from_secs(120),
    )
    .await
}

fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn commit_playbook(work: &std::path::Path, message: &str) -> String {
    std::fs::create_dir_all(work.join("playbooks/templates")).unwrap();
    std::fs::write(
        work.join("playbooks/site.yml"),
        "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: render\n      debug:\n        msg: \"{{ lookup('template', 'templates/motd.j2') }}\"\n",
    )
    .unwrap();
    std::fs::write(
        work.join("playbooks/templates/motd.j2"),
        format!("{message}\n"),
    )
    .unwrap();
    git(work, &["add", "-A"]);
    git(work, &["commit", "-qm", message]);
    git(work, &["push", "-q", "origin", "HEAD:main"]);
    git(work, &["rev-parse", "HEAD"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_playbook_from_git_runs_the_commit_of_its_ref_and_clone_failures_are_retried() {
    let fleet = Fleet::start(1);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    let h = &fleet.hosts[0];
    inventory(
        &app,
        &admin,
        &[(
            "git-00".into(),
            SocketAddr::from((h.ip, h.port)),
            h.host_key.clone(),
        )],
    )
    .await;
    let repos = tempfile::tempdir().unwrap();
    let bare = repos.path().join("pb.git");
    std::fs::create_dir_all(&bare).unwrap();
    git(&bare, &["init", "-q", "--bare", "-b", "main"]);
    let work = repos.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    git(&work, &["init", "-q", "-b", "main"]);
    git(&work, &["remote", "add", "origin", bare.to_str().unwrap()]);
    let first = commit_playbook(&work, "first message from git");
    let url = format!("file://{}", bare.display());

    // A URL with credentials in it, or a path outside the repository, is refused.
    let (s, e) = app
        .post("/api/v1/playbooks", &admin, json!({ "name": "bad", "source": { "url": "https://u:p@example.org/r.git", "path": "site.yml" } }))
        .await;
    assert_eq!(s, 422, "{e}");
    let (s, e) = app
        .post(
            "/api/v1/playbooks",
            &admin,
            json!({ "name": "bad", "source": { "url": url, "path": "../x.yml" } }),
        )
        .await;
    assert_eq!(s, 422, "{e}");

    let (s, pb) = app
        .post(
            "/api/v1/playbooks",
            &admin,
            json!({ "name": "from-git",
            "source": { "url": url, "git_ref": "main", "path": "playbooks/site.yml" },
            "defaults": { "targets": { "rule": "name == \"git-00\"" } } }),
        )
        .await;
    assert_eq!(s, 201, "{pb}");
    assert_eq!(pb["source"]["url"], url.as_str());
    let pid = pb["id"].as_str().unwrap().to_owned();
    let run = launch(&app, &admin, &pid).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    assert_eq!(run["parameters"]["commit"], first.as_str());
    let first_run = run["id"].as_str().unwrap().to_owned();
    let (s, again) = app
        .post(
            &format!("/api/v1/runs/{first_run}/rerun"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(s, 202, "{again}");
    assert_eq!(again["trigger"], "rerun");
    assert_eq!(again["rerun_of"], first_run.as_str());
    assert_eq!(again["playbook_version"], 1);
    let again = finished(&app, &admin, again["id"].as_str().unwrap()).await;
    assert_eq!(again["status"], "succeeded", "{again}");
    let (_, text) = log(&app, &admin, run["id"].as_str().unwrap()).await;
    assert!(text.contains("first message from git"), "{text}");

    // A new commit on the branch: the next run fetches it (the mirror is reused).
    let second = commit_playbook(&work, "second message from git");
    let run = launch(&app, &admin, &pid).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    assert_eq!(run["parameters"]["commit"], second.as_str());
    let (_, text) = log(&app, &admin, run["id"].as_str().unwrap()).await;
    assert!(
        text.contains("second message from git") && !text.contains("first message"),
        "{text}"
    );

    // Pinned to the first commit.
    let (s, _) = json_of(
        app.call(
            reqwest::Method::PUT,
            &format!("/api/v1/playbooks/{pid}"),
            Some(&admin),
            Some(json!({ "name": "from-git",
        "source": { "url": url, "git_ref": first, "path": "playbooks/site.yml" },
        "defaults": { "targets": { "rule": "name == \"git-00\"" } } })),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    let run = launch(&app, &admin, &pid).await;
    assert_eq!(run["parameters"]["commit"], first.as_str(), "{run}");

    // A ref that does not exist fails the run (nothing to retry).
    let (s, _) = json_of(
        app.call(
            reqwest::Method::PUT,
            &format!("/api/v1/playbooks/{pid}"),
            Some(&admin),
            Some(json!({ "name": "from-git",
        "source": { "url": url, "git_ref": "no-such-branch", "path": "playbooks/site.yml" },
        "defaults": { "targets": { "rule": "name == \"git-00\"" } } })),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    let run = launch(&app, &admin, &pid).await;
    assert_eq!(run["status"], "failed", "{run}");
    assert!(
        run["error"].as_str().unwrap().contains("no-such-branch"),
        "{run}"
    );

    // A repository that cannot be fetched is an infrastructure failure: retried, then failed.
    let (s, _) = json_of(app.call(reqwest::Method::PUT, &format!("/api/v1/playbooks/{pid}"), Some(&admin), Some(json!({ "name": "from-git",
        "source": { "url": format!("file://{}/missing.git", repos.path().display()), "git_ref": "main", "path": "playbooks/site.yml" },
        "defaults": { "targets": { "rule": "name == \"git-00\"" } } }))).await).await;
    assert_eq!(s, 200);
    let run = launch(&app, &admin, &pid).await;
    assert_eq!(run["status"], "failed", "{run}");
    assert!(
        run["error"]
            .as_str()
            .unwrap()
            .contains("cloning the repository failed"),
        "{run}"
    );
    let job = itmgr_storage::repo::jobs::for_run(
        app.state.db.conn(),
        run["id"].as_str().unwrap().parse().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(job.attempts, 3, "three attempts before giving up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_of_a_playbook_without_parallel_runs_wait_for_each_other() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    controller_host(&app, &admin, "serial-host").await;
    // `pause` runs on the controller: no SSH needed.
    let (s, pb) = app
        .post("/api/v1/playbooks", &admin, json!({ "name": "serial", "allow_parallel": false,
            "content": "- hosts: all\n  gather_facts: false\n  tasks:\n    - pause:\n        seconds: 2\n",
            "defaults": { "targets": { "rule": "name == \"serial-host\"" } } }))
        .await;
    assert_eq!(s, 201, "{pb}");
    let pid = pb["id"].as_str().unwrap();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let (s, run) = app
            .post(
                &format!("/api/v1/playbooks/{pid}/launch"),
                &admin,
                json!({}),
            )
            .await;
        assert_eq!(s, 202, "{run}");
        ids.push(run["id"].as_str().unwrap().to_owned());
    }
    let a = finished(&app, &admin, &ids[0]).await;
    let b = finished(&app, &admin, &ids[1]).await;
    assert_eq!(a["status"], "succeeded", "{a}");
    assert_eq!(b["status"], "succeeded", "{b}");
    assert_eq!(
        host(&a, "serial-host")["stats"]["ok"],
        1,
        "the pause ran: {a}"
    );
    let t = |r: &Value, k: &str| -> chrono::DateTime<chrono::Utc> {
        r[k].as_str().unwrap().parse().unwrap()
    };
    let (first, second) = if t(&a, "started_at") <= t(&b, "started_at") {
        (&a, &b)
    } else {
        (&b, &a)
    };
    assert!(
        t(second, "started_at") >= t(first, "finished_at"),
        "the runs overlapped: {first} {second}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requirements_and_vault_encrypted_values_work_inside_the_run() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    controller_host(&app, &admin, "local-only").await;
    // A role shipped as a local tarball, named in requirements.yml.
    let t = tempfile::tempdir().unwrap();
    let role = t.path().join("greeter");
    std::fs::create_dir_all(role.join("tasks")).unwrap();
    std::fs::create_dir_all(role.join("meta")).unwrap();
    std::fs::write(role.join("meta/main.yml"), "galaxy_info:\n  author: t\n  description: t\n  license: MIT\n  min_ansible_version: '2.9'\n").unwrap();
    std::fs::write(
        role.join("tasks/main.yml"),
        "- debug:\n    msg: \"hello from the greeter role\"\n",
    )
    .unwrap();
    let tarball = t.path().join("greeter.tar.gz");
    let ok = std::process::Command::new("tar")
        .arg("czf")
        .arg(&tarball)
        .arg("-C")
        .arg(t.path())
        .arg("greeter")
        .status()
        .unwrap()
        .success();
    assert!(ok);
    // A value encrypted with Ansible Vault; its password lives in IT Manager's vault.
    let vault_pass = "Vault-Pass-For-Ansible-5";
    let pass_file = t.path().join("vp");
    std::fs::write(&pass_file, vault_pass).unwrap();
    let out = std::process::Command::new("ansible-vault")
        .args(["encrypt_string", "--vault-password-file"])
        .arg(&pass_file)
        .args(["decrypted-by-ansible", "--name", "sealed"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sealed = String::from_utf8(out.stdout).unwrap();
    let indented: String = sealed.lines().map(|l| format!("    {l}\n")).collect();
    let content = format!(
        "- hosts: all\n  gather_facts: false\n  vars:\n{indented}  roles:\n    - greeter\n  tasks:\n    - debug:\n        msg: \"value {{{{ sealed }}}}\"\n"
    );
    let (s, b) = app
        .post(
            "/api/v1/secrets",
            &admin,
            json!({ "name": "ansible-vault", "kind": "password", "value": vault_pass }),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, pb) = app
        .post("/api/v1/playbooks", &admin, json!({ "name": "roles-and-vault", "content": content,
            "files": [ { "path": "requirements.yml", "content": format!("- src: file://{}\n  name: greeter\n", tarball.display()) } ],
            "defaults": { "targets": { "rule": "name == \"local-only\"" }, "vault_password_secret": "ansible-vault" } }))
        .await;
    assert_eq!(s, 201, "{pb}");
    let run = launch(&app, &admin, pb["id"].as_str().unwrap()).await;
    let (_, text) = log(&app, &admin, run["id"].as_str().unwrap()).await;
    assert_eq!(run["status"], "succeeded", "{run}\n{text}");
    assert!(text.contains("hello from the greeter role"), "{text}");
    assert!(text.contains("value decrypted-by-ansible"), "{text}");
    assert!(!text.contains(vault_pass));
    // An unknown vault password secret is refused when the playbook is saved.
    let (s, e) = app
        .post(
            "/api/v1/playbooks",
            &admin,
            json!({ "name": "x", "content": "- hosts: all\n  tasks: []\n",
            "defaults": { "vault_password_secret": "no-such-secret" } }),
        )
        .await;
    assert_eq!(s, 422, "{e}");
}
