//! The web terminal end to end: real sshd, real WebSocket, the frame protocol.

use crate::helpers::*;
use futures_util::{SinkExt, StreamExt};
use itmgr_testfleet::{Fleet, PASSWORD, USER};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn setup(app: &TestApp, admin: &str, fleet: &Fleet) -> String {
    let h = &fleet.hosts[0];
    let (status, s) = app
        .post("/api/v1/secrets", admin, json!({ "name": "fleet", "kind": "ssh_credential", "username": USER, "value": PASSWORD }))
        .await;
    assert_eq!(status, 201, "{s}");
    let (status, host) = app
        .post("/api/v1/hosts", admin, json!({ "name": "term", "address": h.ip.to_string(), "port": h.port, "credential": "fleet" }))
        .await;
    assert_eq!(status, 201, "{host}");
    host["id"].as_str().unwrap().to_owned()
}

async fn connect(
    app: &TestApp,
    origin: Option<&str>,
) -> Result<Ws, tokio_tungstenite::tungstenite::Error> {
    let mut req = format!("ws://{}/api/v1/terminal/ws", app.addr)
        .into_client_request()
        .unwrap();
    if let Some(o) = origin {
        req.headers_mut().insert("origin", o.parse().unwrap());
    }
    tokio_tungstenite::connect_async(req)
        .await
        .map(|(ws, _)| ws)
}

async fn hello(ws: &mut Ws, resume: u64, ticket: &str) {
    let mut f = vec![0x10];
    f.extend_from_slice(&resume.to_be_bytes());
    f.extend_from_slice(ticket.as_bytes());
    ws.send(Message::Binary(f.into())).await.unwrap();
}

async fn input(ws: &mut Ws, text: &str) {
    let mut f = vec![0x01];
    f.extend_from_slice(text.as_bytes());
    ws.send(Message::Binary(f.into())).await.unwrap();
}

/// Reads output until `needle` appears; returns (first offset seen, next offset, text).
async fn read_until(ws: &mut Ws, needle: &str, ack: bool) -> (Option<u64>, u64, String) {
    read_until_within(ws, needle, ack, Duration::from_secs(20)).await
}

/// Like `read_until`, keeping only the last 64 KiB of text (floods are megabytes).
async fn read_until_within(
    ws: &mut Ws,
    needle: &str,
    ack: bool,
    within: Duration,
) -> (Option<u64>, u64, String) {
    let mut text = String::new();
    let mut first = None;
    let mut next = 0;
    let deadline = Instant::now() + within;
    while !text.contains(needle) {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = tokio::time::timeout(left, ws.next())
            .await
            .unwrap_or_else(|_| {
                let tail: String = text
                    .chars()
                    .rev()
                    .take(200)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                panic!("{needle:?} never arrived after {next} bytes; last output {tail:?}")
            })
            .expect("socket closed")
            .unwrap();
        let Message::Binary(b) = msg else { continue };
        match b[0] {
            0x01 => {
                let off = u64::from_be_bytes(b[1..9].try_into().unwrap());
                if first.is_some() {
                    assert_eq!(off, next, "output must be contiguous");
                } else {
                    first = Some(off);
                }
                next = off + (b.len() - 9) as u64;
                text.push_str(&String::from_utf8_lossy(&b[9..]));
                if text.len() > 128 * 1024 {
                    let cut = text.len() - 64 * 1024;
                    let cut = (cut..text.len())
                        .find(|i| text.is_char_boundary(*i))
                        .unwrap_or(cut);
                    text.drain(..cut);
                }
                if ack {
                    let mut f = vec![0x03];
                    f.extend_from_slice(&next.to_be_bytes());
                    ws.send(Message::Binary(f.into())).await.unwrap();
                }
            }
            0x06 | 0x07 => panic!("session ended: {}", String::from_utf8_lossy(&b[1..])),
            _ => {}
        }
    }
    (first, next, text)
}

/// Changes some inventory settings (read, patch, write back with the version read).
async fn change_settings(app: &TestApp, admin: &str, patch: Value) {
    let (status, mut s) = app.get("/api/v1/inventory/settings", admin).await;
    assert_eq!(status, 200);
    for (k, v) in patch.as_object().unwrap() {
        s[k] = v.clone();
    }
    let (status, body) = json_of(
        app.call(
            Method::PUT,
            "/api/v1/inventory/settings",
            Some(admin),
            Some(s),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// Ends one's own terminal session.
async fn end_session(app: &TestApp, admin: &str, id: &str) {
    let (status, _) = json_of(
        app.call(
            Method::DELETE,
            &format!("/api/v1/terminal/sessions/{id}"),
            Some(admin),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 204);
}

async fn open(
    app: &TestApp,
    token: &str,
    host: &str,
    accept: Option<&str>,
) -> (reqwest::StatusCode, Value) {
    app.post(
        "/api/v1/terminal/sessions",
        token,
        json!({ "host_id": host, "cols": 80, "rows": 24, "accept_host_key": accept }),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_round_trips_resizes_resumes_and_is_audited() {
    let fleet = Fleet::start(1);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    let host = setup(&app, &admin, &fleet).await;

    // First contact: the key is shown and must be accepted explicitly.
    let (status, prompt) = open(&app, &admin, &host, None).await;
    assert_eq!(status, 428, "{prompt}");
    assert_eq!(prompt["code"], "host_key_unknown");
    let fp = prompt["fingerprint"].as_str().unwrap().to_owned();
    let (status, body) = open(&app, &admin, &host, Some("SHA256:not-the-key")).await;
    assert_eq!(status, 428, "a wrong fingerprint is not an accept: {body}");
    let (status, session) = open(&app, &admin, &host, Some(&fp)).await;
    assert_eq!(status, 201, "{session}");
    let id = session["id"].as_str().unwrap().to_owned();
    let ticket = session["ticket"].as_str().unwrap().to_owned();
    assert!(!session.to_string().contains(PASSWORD));

    let origin = format!("http://{}", app.addr);
    let mut ws = connect(&app, Some(&origin)).await.unwrap();
    hello(&mut ws, 0, &ticket).await;
    input(&mut ws, "echo hi-$((40+2))\n").await;
    let (first, mut offset, _) = read_until(&mut ws, "hi-42", true).await;
    assert_eq!(first, Some(0));

    // A resize reaches the remote PTY.
    let mut f = vec![0x02];
    f.extend_from_slice(&100u16.to_be_bytes());
    f.extend_from_slice(&40u16.to_be_bytes());
    ws.send(Message::Binary(f.into())).await.unwrap();
    input(&mut ws, "stty size\n").await;
    let (_, next, _) = read_until(&mut ws, "40 100", true).await;
    offset = offset.max(next);

    // Ping: the pong echoes the timestamp.
    let mut f = vec![0x04];
    f.extend_from_slice(&123u64.to_be_bytes());
    ws.send(Message::Binary(f.into())).await.unwrap();

    // The ticket was single-use.
    let mut again = connect(&app, Some(&origin)).await.unwrap();
    hello(&mut again, 0, &ticket).await;
    let Some(Ok(Message::Binary(b))) = again.next().await else {
        panic!("no answer")
    };
    assert_eq!(b[0], 0x07);
    assert!(String::from_utf8_lossy(&b[1..]).contains("bad_ticket"));

    // Drop the socket while output is produced; reattach and resume exactly at our offset.
    input(&mut ws, "sleep 1; echo after-drop\n").await;
    // Wait for the echo of the line before dropping: closing a socket with unread data resets the
    // connection, and the peer may then discard the input it has not read yet.
    read_until(&mut ws, "echo after-drop", false).await;
    drop(ws);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (status, t) = app
        .post(
            &format!("/api/v1/terminal/sessions/{id}/ticket"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    let mut ws = connect(&app, Some(&origin)).await.unwrap();
    hello(&mut ws, offset, t["ticket"].as_str().unwrap()).await;
    // The command's output line, not its echo: it was produced while no browser was attached.
    let (first, _, text) = read_until(&mut ws, "\nafter-drop", true).await;
    assert_eq!(
        first,
        Some(offset),
        "resumed at the acknowledged offset: nothing lost, nothing repeated"
    );
    assert!(!text.contains("hi-42"), "no duplicated output: {text:?}");

    // Others cannot attach or even see the session; a viewer cannot open terminals.
    let viewer = app.user_token(&admin, "vivian", "viewer").await;
    let (status, _) = open(&app, &viewer, &host, Some(&fp)).await;
    assert_eq!(status, 403);
    let (status, _) = app
        .post(
            &format!("/api/v1/terminal/sessions/{id}/ticket"),
            &viewer,
            json!({}),
        )
        .await;
    assert_eq!(status, 403);

    // A foreign page cannot open the socket.
    let err = connect(&app, Some("http://evil.example"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");

    // Ending the session tells the browser why, and the audit has both ends.
    end_session(&app, &admin, &id).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let msg = tokio::time::timeout(
            deadline.saturating_duration_since(Instant::now()),
            ws.next(),
        )
        .await
        .unwrap();
        if let Some(Ok(Message::Binary(b))) = msg {
            if b[0] == 0x06 {
                assert!(String::from_utf8_lossy(&b[1..]).contains("closed by the user"));
                break;
            }
        }
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let ended = audit(&app, &admin, "ssh.session_end").await;
        if let Some(e) = ended.first() {
            assert!(e["diff"]["bytes_out"].as_u64().unwrap() > 0);
            assert_eq!(e["diff"]["reason"], "closed by the user");
            assert_eq!(e["actor_name"], "admin");
            break;
        }
        assert!(Instant::now() < deadline, "no ssh.session_end");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let started = audit(&app, &admin, "ssh.session_start").await;
    assert_eq!(started[0]["diff"]["host_key_fingerprint"], fp.as_str());
    assert_eq!(started[0]["diff"]["login"], USER);
    assert_eq!(audit(&app, &admin, "host.host_key_accept").await.len(), 1);
    let all_audit = app
        .get("/api/v1/audit?limit=500", &admin)
        .await
        .1
        .to_string();
    assert!(
        !all_audit.contains(PASSWORD),
        "no credential in the audit log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_output_flood_is_throttled_not_buffered() {
    let fleet = Fleet::start(1);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    let host = setup(&app, &admin, &fleet).await;
    let (_, prompt) = open(&app, &admin, &host, None).await;
    let (status, session) = open(&app, &admin, &host, prompt["fingerprint"].as_str()).await;
    assert_eq!(status, 201, "{session}");
    let mut ws = connect(&app, None).await.unwrap();
    hello(&mut ws, 0, session["ticket"].as_str().unwrap()).await;
    // 50 MB of output; first without acknowledging anything.
    input(
        &mut ws,
        "yes | head -c 50000000; echo flood-$((1+1))-done\n",
    )
    .await;
    let mut received = 0u64;
    let quiet = Instant::now() + Duration::from_secs(3);
    while let Ok(Some(Ok(Message::Binary(b)))) =
        tokio::time::timeout(quiet.saturating_duration_since(Instant::now()), ws.next()).await
    {
        if b[0] == 0x01 {
            received = u64::from_be_bytes(b[1..9].try_into().unwrap()) + (b.len() - 9) as u64;
        }
    }
    // Without acks the server stops reading the channel past its high watermark (256 KiB) plus
    // what was in flight: the host is throttled, memory stays bounded.
    assert!(
        received < 1_000_000,
        "server kept reading without acks: {received} bytes"
    );
    // With acks everything arrives, in order.
    let mut ack = vec![0x03];
    ack.extend_from_slice(&received.to_be_bytes());
    ws.send(Message::Binary(ack.into())).await.unwrap();
    let (_, end, _) =
        read_until_within(&mut ws, "flood-2-done", true, Duration::from_secs(120)).await;
    assert!(end > 50_000_000, "{end}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_host_key_blocks_the_terminal_until_an_admin_accepts_it() {
    let fleet = Fleet::start(2);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    let host = setup(&app, &admin, &fleet).await;
    itmgr_storage::repo::hosts::replace_host_key(
        app.state.db.conn(),
        host.parse().unwrap(),
        Some((&fleet.hosts[1].host_key, "SHA256:old")),
    )
    .await
    .unwrap();
    let (status, body) = open(&app, &admin, &host, None).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "host_key_changed", "{body}");
    let (expected, got) = (
        body["details"]["expected"].as_str().unwrap(),
        body["details"]["got"].as_str().unwrap(),
    );
    assert!(
        expected.starts_with("SHA256:") && got.starts_with("SHA256:") && expected != got,
        "{body}"
    );
    let operator = app.user_token(&admin, "oscar", "operator").await;
    let (status, _) = app
        .post(
            &format!("/api/v1/hosts/{host}/host-key/accept"),
            &operator,
            json!({ "fingerprint": "x" }),
        )
        .await;
    assert_eq!(status, 403, "only admins accept changed keys");
    let (status, body) = app
        .post(
            &format!("/api/v1/hosts/{host}/host-key/accept"),
            &admin,
            json!({ "fingerprint": "SHA256:wrong" }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let presented = body["details"]["fields"]["fingerprint"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .nth(4)
        .unwrap()
        .trim_end_matches(',')
        .to_owned();
    let (status, body) = app
        .post(
            &format!("/api/v1/hosts/{host}/host-key/accept"),
            &admin,
            json!({ "fingerprint": presented }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, session) = open(&app, &admin, &host, None).await;
    assert_eq!(status, 201, "{session}");
    let accepted = audit(&app, &admin, "host.host_key_accept").await;
    assert_eq!(accepted[0]["diff"]["from"], "SHA256:old");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabling_the_user_ends_their_terminal() {
    let fleet = Fleet::start(1);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    let host = setup(&app, &admin, &fleet).await;
    let operator = app.user_token(&admin, "olga", "operator").await;
    let (_, prompt) = open(&app, &operator, &host, None).await;
    let (status, session) = open(&app, &operator, &host, prompt["fingerprint"].as_str()).await;
    assert_eq!(status, 201, "{session}");
    let mut ws = connect(&app, None).await.unwrap();
    hello(&mut ws, 0, session["ticket"].as_str().unwrap()).await;
    input(&mut ws, "echo ready-$((1+1))\n").await;
    read_until(&mut ws, "ready-2", true).await;
    let (_, users) = app.get("/api/v1/users?q=olga", &admin).await;
    let user = &users["items"][0];
    let (status, body) = json_of(
        app.call(
            Method::PATCH,
            &format!("/api/v1/users/{}", user["id"].as_str().unwrap()),
            Some(&admin),
            Some(json!({ "version": user["version"], "disabled": true })),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let msg = tokio::time::timeout(
            deadline.saturating_duration_since(Instant::now()),
            ws.next(),
        )
        .await
        .expect("the session did not end");
        if let Some(Ok(Message::Binary(b))) = msg {
            if b[0] == 0x06 {
                assert!(String::from_utf8_lossy(&b[1..]).contains("disabled"));
                break;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recordings_are_encrypted_listed_played_and_audited() {
    let fleet = Fleet::start(1);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    let host = setup(&app, &admin, &fleet).await;
    change_settings(&app, &admin, json!({ "terminal_recording": true })).await;
    let (_, prompt) = open(&app, &admin, &host, None).await;
    let (status, session) = open(&app, &admin, &host, prompt["fingerprint"].as_str()).await;
    assert_eq!(status, 201, "{session}");
    let id = session["id"].as_str().unwrap().to_owned();
    let mut ws = connect(&app, None).await.unwrap();
    hello(&mut ws, 0, session["ticket"].as_str().unwrap()).await;
    input(&mut ws, "echo recorded-$((6*7))\n").await;
    read_until(&mut ws, "recorded-42", true).await;
    end_session(&app, &admin, &id).await;
    // Wait for the session task to seal the recording.
    let deadline = Instant::now() + Duration::from_secs(10);
    let list = loop {
        let (status, list) = app.get("/api/v1/terminal/recordings", &admin).await;
        assert_eq!(status, 200, "{list}");
        if list["items"][0]["ended_at"].is_string() {
            break list;
        }
        assert!(
            Instant::now() < deadline,
            "recording never finished: {list}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(list["items"][0]["id"], id.as_str());
    assert_eq!(list["items"][0]["host_name"], "term");
    // On disk it is ciphertext.
    let files: Vec<_> = std::fs::read_dir(app.state.config.recordings_dir.as_ref().unwrap())
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(!files[0].windows(11).any(|w| w == b"recorded-42"));
    let r = app
        .call(
            Method::GET,
            &format!("/api/v1/terminal/recordings/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    let cast = r.text().await.unwrap();
    let mut lines = cast.lines();
    let header: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(header["version"], 2);
    assert!(cast.contains("recorded-42"), "{cast}");
    assert!(lines.all(|l| serde_json::from_str::<Value>(l)
        .is_ok_and(|v| v.as_array().is_some_and(|a| a.len() == 3))));
    assert_eq!(audit(&app, &admin, "ssh.recording_view").await.len(), 1);
    // Master-key rotation re-wraps the recording's key: the new key opens it, the old one no longer does.
    let old = itmgr_vault::KeyRing::from_master_key(&[7u8; 32]);
    let new = itmgr_vault::KeyRing::from_master_key(&[8u8; 32]);
    let rotated = itmgr_api::services::secrets::rotate_master_key(&app.state.db, &old, &new)
        .await
        .unwrap();
    assert_eq!((rotated.secrets, rotated.recordings), (1, 1));
    let row = itmgr_storage::repo::recordings::find(app.state.db.conn(), id.parse().unwrap())
        .await
        .unwrap();
    let b = || itmgr_vault::Binding {
        secret_id: &id,
        kind: "recording",
        value_version: 1,
    };
    assert!(new.open(b(), &row.key).is_ok());
    assert!(old.open(b(), &row.key).is_err());
    // Operators cannot list or play recordings.
    let operator = app.user_token(&admin, "otto", "operator").await;
    let (status, _) = app.get("/api/v1/terminal/recordings", &operator).await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_interactive_prompts_are_answered_by_the_user_in_the_terminal() {
    let fleet = Fleet::start_with(1, itmgr_testfleet::KEY_THEN_KBD_INTERACTIVE);
    let h = &fleet.hosts[0];
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    let keys = itmgr_testfleet::client_keys();
    for body in [
        json!({ "name": "mfa-key", "kind": "ssh_key", "value": keys.ed25519 }),
        json!({ "name": "mfa", "kind": "ssh_credential", "username": USER, "key_secret": "mfa-key" }),
    ] {
        let (status, s) = app.post("/api/v1/secrets", &admin, body).await;
        assert_eq!(status, 201, "{s}");
    }
    let (status, host) = app
        .post("/api/v1/hosts", &admin, json!({ "name": "mfa", "address": h.ip.to_string(), "port": h.port, "credential": "mfa", "terminal_recording": "on" }))
        .await;
    assert_eq!(status, 201, "{host}");
    assert_eq!(host["terminal_recording"], "on");
    let host = host["id"].as_str().unwrap().to_owned();
    let (_, prompt) = open(&app, &admin, &host, None).await;
    let fp = prompt["fingerprint"].as_str().unwrap().to_owned();

    // The key is accepted, then the host asks a question: it appears in the terminal, typed
    // characters of a secret answer are not echoed, and the answer opens the shell.
    let (status, session) = open(&app, &admin, &host, Some(&fp)).await;
    assert_eq!(status, 201, "{session}");
    let mut ws = connect(&app, None).await.unwrap();
    hello(&mut ws, 0, session["ticket"].as_str().unwrap()).await;
    read_until(&mut ws, "assword", true).await;
    input(&mut ws, PASSWORD).await;
    input(&mut ws, "\r").await;
    input(&mut ws, "echo mfa-$((40+2))\n").await;
    let (_, _, text) = read_until(&mut ws, "mfa-42", true).await;
    assert!(!text.contains(PASSWORD), "the answer was echoed: {text:?}");
    let starts = audit(&app, &admin, "ssh.session_start").await;
    assert_eq!(
        starts[0]["diff"]["auth_method"], "publickey+keyboard-interactive",
        "{starts:?}"
    );
    assert_eq!(
        starts[0]["diff"]["resolved_address"],
        format!("{}:{}", h.ip, h.port),
        "the address actually dialled is audited"
    );
    let id = session["id"].as_str().unwrap().to_owned();
    end_session(&app, &admin, &id).await;

    // The host's "on" overrides the global "off"; the answer to the login prompt is not in it.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, list) = app.get("/api/v1/terminal/recordings", &admin).await;
        if list["items"][0]["ended_at"].is_string() {
            break;
        }
        assert!(Instant::now() < deadline, "no recording: {list}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let cast = app
        .call(
            Method::GET,
            &format!("/api/v1/terminal/recordings/{id}"),
            Some(&admin),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(cast.contains("mfa-42"), "{cast}");
    assert!(!cast.contains(PASSWORD));
    assert!(!cast.contains("\"i\""), "keystrokes are off by default");

    // A wrong answer: the session ends with the reason, audited as a failed login.
    let (status, session) = open(&app, &admin, &host, None).await;
    assert_eq!(status, 201, "{session}");
    let mut ws = connect(&app, None).await.unwrap();
    hello(&mut ws, 0, session["ticket"].as_str().unwrap()).await;
    read_until(&mut ws, "assword", true).await;
    input(&mut ws, "wrong-answer\r").await;
    // PAM may ask again; a Ctrl+C cancels.
    let deadline = Instant::now() + Duration::from_secs(20);
    let reason = loop {
        let msg = tokio::time::timeout(deadline - Instant::now(), ws.next())
            .await
            .expect("the session never ended")
            .expect("socket closed")
            .unwrap();
        let Message::Binary(b) = msg else { continue };
        match b[0] {
            0x01 if String::from_utf8_lossy(&b[9..]).contains("assword") => {
                input(&mut ws, "\u{3}").await
            }
            0x06 => break String::from_utf8_lossy(&b[1..]).into_owned(),
            _ => {}
        }
    };
    assert!(
        reason.contains("refused") || reason.contains("canceled"),
        "{reason}"
    );
    let failed = audit(&app, &admin, "ssh.login_failed").await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(!failed[0].to_string().contains("wrong-answer"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_can_opt_out_of_recording_and_keystrokes_are_recorded_only_when_asked() {
    let fleet = Fleet::start(1);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    let host = setup(&app, &admin, &fleet).await;
    change_settings(
        &app,
        &admin,
        json!({ "terminal_recording": true, "terminal_record_input": true }),
    )
    .await;
    let (_, prompt) = open(&app, &admin, &host, None).await;
    let fp = prompt["fingerprint"].as_str().unwrap().to_owned();
    let mut version = app.get(&format!("/api/v1/hosts/{host}"), &admin).await.1["version"].clone();
    for (mode, recorded) in [("default", true), ("off", false)] {
        let (status, h) = json_of(
            app.call(
                Method::PATCH,
                &format!("/api/v1/hosts/{host}"),
                Some(&admin),
                Some(json!({ "version": version, "terminal_recording": mode })),
            )
            .await,
        )
        .await;
        assert_eq!(status, 200, "{h}");
        version = h["version"].clone();
        let (status, session) = open(&app, &admin, &host, Some(&fp)).await;
        assert_eq!(status, 201, "{session}");
        let id = session["id"].as_str().unwrap().to_owned();
        let mut ws = connect(&app, None).await.unwrap();
        hello(&mut ws, 0, session["ticket"].as_str().unwrap()).await;
        input(&mut ws, "echo typed-$((6*7))\n").await;
        read_until(&mut ws, "typed-42", true).await;
        input(&mut ws, "exit\n").await;
        let deadline = Instant::now() + Duration::from_secs(10);
        while app
            .state
            .terminals
            .get(id.parse().unwrap())
            .is_some_and(|t| t.closed().is_none())
        {
            assert!(Instant::now() < deadline, "the session did not end");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (status, cast) = app
            .get(&format!("/api/v1/terminal/recordings/{id}"), &admin)
            .await;
        if recorded {
            assert_eq!(status, 200);
        } else {
            assert_eq!(status, 404, "{mode}: {cast}");
        }
        if recorded {
            let text = app
                .call(
                    Method::GET,
                    &format!("/api/v1/terminal/recordings/{id}"),
                    Some(&admin),
                    None,
                )
                .await
                .text()
                .await
                .unwrap();
            assert!(
                text.lines()
                    .any(|l| l.contains("\"i\"") && l.contains("echo typed")),
                "keystrokes recorded when asked: {text}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_terminal_is_warned_then_closed() {
    let fleet = Fleet::start(1);
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.admin_token().await;
    let host = setup(&app, &admin, &fleet).await;
    change_settings(&app, &admin, json!({ "terminal_idle_timeout_minutes": 1 })).await;
    let (_, prompt) = open(&app, &admin, &host, None).await;
    let (status, session) = open(&app, &admin, &host, prompt["fingerprint"].as_str()).await;
    assert_eq!(status, 201, "{session}");
    let mut ws = connect(&app, None).await.unwrap();
    hello(&mut ws, 0, session["ticket"].as_str().unwrap()).await;
    let started = Instant::now();
    let mut notice = None;
    let reason = loop {
        let msg = tokio::time::timeout(Duration::from_secs(90), ws.next())
            .await
            .expect("the idle session was never closed")
            .expect("socket closed")
            .unwrap();
        let Message::Binary(b) = msg else { continue };
        match b[0] {
            0x01 => {
                let next = u64::from_be_bytes(b[1..9].try_into().unwrap()) + (b.len() - 9) as u64;
                let mut f = vec![0x03];
                f.extend_from_slice(&next.to_be_bytes());
                ws.send(Message::Binary(f.into())).await.unwrap();
            }
            0x08 => {
                let n: Value = serde_json::from_slice(&b[1..]).unwrap();
                notice.get_or_insert(n);
            }
            0x06 => {
                let c: Value = serde_json::from_slice(&b[1..]).unwrap();
                break c["reason"].as_str().unwrap().to_owned();
            }
            _ => {}
        }
    };
    let notice = notice.expect("no warning before the cut-off");
    assert_eq!(notice["kind"], "idle");
    assert!(notice["seconds_left"].as_u64().unwrap() <= 60, "{notice}");
    assert_eq!(reason, "idle timeout");
    assert!(
        started.elapsed() >= Duration::from_secs(55),
        "closed too early"
    );
    let ends = audit(&app, &admin, "ssh.session_end").await;
    assert_eq!(ends[0]["diff"]["reason"], "idle timeout");
}
