//! The web terminal against plain `ssh` on the same sshd: throughput of `cat` of a 100 MB file
//! through the WebSocket (acknowledging as a browser would), keystroke echo latency, and server
//! memory per open terminal.
//!
//! Run: `cargo bench -p itmgr-api --bench terminal` (root: the fleet needs its test user).

use futures_util::{SinkExt, StreamExt};
mod common;

use itmgr_testfleet::{client_keys, Fleet, PASSWORD, USER};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;
const FILE_MB: usize = 100;

struct Api {
    addr: SocketAddr,
    token: String,
    http: reqwest::Client,
}

impl Api {
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("http://{}{path}", self.addr))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(Value::Null))
    }
}

async fn start() -> (Api, common::Server) {
    let server = common::start().await;
    let api = Api {
        addr: server.addr,
        token: server.token.clone(),
        http: server.http.clone(),
    };
    (api, server)
}

async fn open(api: &Api, host: &str) -> Ws {
    let (_, prompt) = api
        .post("/api/v1/terminal/sessions", json!({ "host_id": host }))
        .await;
    let fp = prompt["fingerprint"].clone();
    let (s, session) = api
        .post(
            "/api/v1/terminal/sessions",
            json!({ "host_id": host, "accept_host_key": fp, "cols": 200, "rows": 50 }),
        )
        .await;
    assert_eq!(s, 201, "{session}");
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(
        format!("ws://{}/api/v1/terminal/ws", api.addr),
        None,
        true,
    )
    .await
    .unwrap();
    let mut f = vec![0x10];
    f.extend_from_slice(&0u64.to_be_bytes());
    f.extend_from_slice(session["ticket"].as_str().unwrap().as_bytes());
    ws.send(Message::Binary(f.into())).await.unwrap();
    ws
}

async fn send(ws: &mut Ws, text: &str) {
    let mut f = vec![0x01];
    f.extend_from_slice(text.as_bytes());
    ws.send(Message::Binary(f.into())).await.unwrap();
}

/// Reads (and acknowledges) until `needle` is in the recent output; returns the bytes read.
async fn until(ws: &mut Ws, needle: &[u8]) -> u64 {
    let mut tail: Vec<u8> = Vec::new();
    let mut total = 0u64;
    let mut since_ack = 0usize;
    loop {
        let Some(Ok(Message::Binary(b))) = ws.next().await else {
            panic!("socket ended")
        };
        if b[0] != 0x01 {
            continue;
        }
        let off = u64::from_be_bytes(b[1..9].try_into().unwrap());
        let data = &b[9..];
        total += data.len() as u64;
        since_ack += data.len();
        if since_ack > 64 * 1024 {
            let mut f = vec![0x03];
            f.extend_from_slice(&(off + data.len() as u64).to_be_bytes());
            ws.send(Message::Binary(f.into())).await.unwrap();
            since_ack = 0;
        }
        tail.extend_from_slice(data);
        if tail.windows(needle.len()).any(|w| w == needle) {
            let mut f = vec![0x03];
            f.extend_from_slice(&(off + data.len() as u64).to_be_bytes());
            ws.send(Message::Binary(f.into())).await.unwrap();
            return total;
        }
        if tail.len() > 4096 {
            tail.drain(..tail.len() - 256);
        }
    }
}

fn pct(mut v: Vec<Duration>, p: usize) -> f64 {
    v.sort();
    v[(v.len() * p / 100).min(v.len() - 1)].as_secs_f64() * 1000.0
}

fn main() {
    let fleet = Fleet::start(1);
    let h = &fleet.hosts[0];
    let dir = tempfile::tempdir().unwrap();
    // A file the test user can read, text so the terminal prints it as is.
    let file = std::path::PathBuf::from(format!("/tmp/itmgr-bench-{}.txt", std::process::id()));
    {
        let line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz!\n";
        let mut f = std::fs::File::create(&file).unwrap();
        for _ in 0..(FILE_MB * 1_000_000 / line.len()) {
            f.write_all(line.as_bytes()).unwrap();
        }
    }
    let _ = Command::new("chmod").arg("644").arg(&file).status();
    let key = dir.path().join("id");
    std::fs::write(&key, &client_keys().ed25519).unwrap();
    let _ = Command::new("chmod").arg("600").arg(&key).status();
    let ssh = |extra: &[&str]| {
        let mut c = Command::new("ssh");
        c.args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
        ])
        .arg("-i")
        .arg(&key)
        .arg("-p")
        .arg(h.port.to_string())
        .args(extra)
        .arg(format!("{USER}@{}", h.ip));
        c
    };

    // Plain ssh: cat the file to /dev/null.
    let t = Instant::now();
    let st = ssh(&[])
        .arg(format!("cat {}", file.display()))
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    let ssh_cat = t.elapsed();

    // Plain ssh keystroke echo through a PTY (-tt): write one byte, wait for its echo.
    let mut child = ssh(&["-tt"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut sin = child.stdin.take().unwrap();
    let mut sout = child.stdout.take().unwrap();
    sin.write_all(b"stty -icanon; echo ready\n").unwrap();
    let mut buf = [0u8; 4096];
    let mut seen = Vec::new();
    while !String::from_utf8_lossy(&seen).contains("ready\r\n") {
        let n = sout.read(&mut buf).unwrap();
        seen.extend_from_slice(&buf[..n]);
    }
    let mut ssh_echo = Vec::new();
    // A different letter each time: a shell may echo a key twice (tty and line editor), and a
    // late copy of the previous key must not count as this one's echo.
    for i in 0..200u8 {
        let c = b'b' + i % 24;
        let t = Instant::now();
        sin.write_all(&[c]).unwrap();
        loop {
            let n = sout.read(&mut buf).unwrap();
            if buf[..n].contains(&c) {
                break;
            }
        }
        ssh_echo.push(t.elapsed());
    }
    let _ = child.kill();
    let _ = child.wait();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (api, _dir) = start().await;
        api.post("/api/v1/secrets", json!({ "name": "fleet", "kind": "ssh_credential", "username": USER, "value": PASSWORD })).await;
        let (_, host) = api
            .post("/api/v1/hosts", json!({ "name": "bench", "address": h.ip.to_string(), "port": h.port, "credential": "fleet" }))
            .await;
        let host = host["id"].as_str().unwrap().to_owned();
        let mut ws = open(&api, &host).await;
        send(&mut ws, "stty -echo; echo re$((1))ady\n").await;
        until(&mut ws, b"re1ady").await;
        let t = Instant::now();
        send(&mut ws, &format!("cat {}; echo cat-$((6*7))-done\n", file.display())).await;
        let bytes = until(&mut ws, b"cat-42-done").await;
        let term_cat = t.elapsed();
        send(&mut ws, "stty echo -icanon\n").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        // Drain.
        while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(200), ws.next()).await {}
        let mut echo = Vec::new();
        for i in 0..200u8 {
            let c = [b'b' + i % 24];
            let t = Instant::now();
            send(&mut ws, std::str::from_utf8(&c).unwrap()).await;
            until(&mut ws, &c).await;
            echo.push(t.elapsed());
        }
        let before = common::self_status_kib("VmRSS");
        let mut open_ws = Vec::new();
        for _ in 0..50 {
            let mut w = open(&api, &host).await;
            send(&mut w, "echo up-$((2+3))\n").await;
            until(&mut w, b"up-5").await;
            open_ws.push(w);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let per = (common::self_status_kib("VmRSS").saturating_sub(before)) as f64 / 50.0;
        println!("terminal/cat-{FILE_MB}MB: IT Manager {:.2} s ({:.0} MB/s, {} bytes through the WebSocket) | plain ssh {:.2} s ({:.0} MB/s)",
            term_cat.as_secs_f64(), bytes as f64 / 1e6 / term_cat.as_secs_f64(), bytes, ssh_cat.as_secs_f64(), FILE_MB as f64 / ssh_cat.as_secs_f64());
        println!("terminal/echo: IT Manager p50 {:.2} ms p99 {:.2} ms | plain ssh -tt p50 {:.2} ms p99 {:.2} ms (200 keystrokes)",
            pct(echo.clone(), 50), pct(echo, 99), pct(ssh_echo.clone(), 50), pct(ssh_echo, 99));
        println!("terminal/memory: {:.0} KiB per open terminal (50 sessions, server and client in one process)", per);
    });
    let _ = std::fs::remove_file(&file);
}
