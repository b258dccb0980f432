//! Terminal session recordings (off by default, globally or per host): asciicast v2 (output and
//! resizes; keystrokes only when the setting asks for them, and never the answers to login prompts),
//! encrypted in chunks under a per-recording data key that the vault seals, stored under the data
//! directory. Viewing one is permission-checked and audited.

use super::audit::Event;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::Utc;
use itmgr_auth::{perm, Capability};
use itmgr_domain::{HostId, UserId};
use itmgr_storage::repo::recordings::{self as repo, Recording};
use itmgr_storage::{Page, PageRequest};
use itmgr_vault::{Binding, ChunkCipher};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;
use uuid::Uuid;

const CHUNK: usize = 64 * 1024;

fn binding(id: &str) -> Binding<'_> {
    Binding {
        secret_id: id,
        kind: "recording",
        value_version: 1,
    }
}

fn aad(id: Uuid, chunk: u64, last: bool) -> Vec<u8> {
    format!(
        "itmgr-recording:{id}:{chunk}:{}",
        if last { "end" } else { "more" }
    )
    .into_bytes()
}

/// Writes one session's recording.
pub struct Recorder {
    id: Uuid,
    path: PathBuf,
    file: std::fs::File,
    cipher: ChunkCipher,
    chunk: u64,
    buf: Vec<u8>,
    started: Instant,
    bytes: u64,
    /// Keystrokes are recorded too.
    input: bool,
}

fn path_of(state: &AppState, id: Uuid) -> Option<PathBuf> {
    state
        .config
        .recordings_dir
        .as_ref()
        .map(|d| d.join(format!("{id}.cast.enc")))
}

impl Recorder {
    /// Starts recording when the host's override, else the global setting, says so and a
    /// recordings directory is configured.
    pub async fn start(
        state: &AppState,
        id: Uuid,
        host: (HostId, &str),
        user: (UserId, &str),
        (cols, rows): (u16, u16),
        host_override: Option<bool>,
    ) -> ApiResult<Option<Recorder>> {
        let (settings, _) = state.inventory_settings().await?;
        let on = host_override.unwrap_or(settings.terminal_recording);
        let Some(path) = path_of(state, id).filter(|_| on) else {
            return Ok(None);
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| ApiError::Internal(format!("recordings directory: {e}")))?;
        }
        let (key, cipher) = ChunkCipher::generate();
        let id_text = id.to_string();
        let sealed = state.vault.seal(binding(&id_text), &key);
        repo::insert(
            state.db.conn(),
            &Recording {
                id,
                host_id: host.0,
                host_name: host.1.to_owned(),
                user_id: user.0,
                username: user.1.to_owned(),
                started_at: Utc::now(),
                ended_at: None,
                bytes: 0,
                key: sealed,
            },
        )
        .await?;
        let file = std::fs::OpenOptions::new()
            .create_new(true)
            .write(true)
            .open(&path)
            .map_err(|e| ApiError::Internal(format!("recording file: {e}")))?;
        let mut r = Recorder {
            id,
            path,
            file,
            cipher,
            chunk: 0,
            buf: Vec::new(),
            started: Instant::now(),
            bytes: 0,
            input: settings.terminal_record_input,
        };
        let header = serde_json::json!({
            "version": 2, "width": cols, "height": rows, "timestamp": Utc::now().timestamp(),
            "env": { "TERM": "xterm-256color" }, "title": host.1,
        });
        r.buf.extend_from_slice(header.to_string().as_bytes());
        r.buf.push(b'\n');
        Ok(Some(r))
    }

    fn event(&mut self, kind: &str, data: &str) {
        let t = self.started.elapsed().as_secs_f64();
        let line = serde_json::json!([(t * 1e6).round() / 1e6, kind, data]);
        self.buf.extend_from_slice(line.to_string().as_bytes());
        self.buf.push(b'\n');
        if self.buf.len() >= CHUNK {
            self.flush(false);
        }
    }

    /// Terminal output.
    pub fn output(&mut self, data: &[u8]) {
        self.bytes += data.len() as u64;
        self.event("o", &String::from_utf8_lossy(data));
    }

    /// Keystrokes (recorded only when the setting asks for them).
    pub fn input(&mut self, data: &[u8]) {
        if self.input {
            self.event("i", &String::from_utf8_lossy(data));
        }
    }

    /// A terminal resize.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.event("r", &format!("{cols}x{rows}"));
    }

    fn flush(&mut self, last: bool) {
        let sealed = self.cipher.seal(&aad(self.id, self.chunk, last), &self.buf);
        self.buf.clear();
        self.chunk += 1;
        let len = u32::try_from(sealed.len())
            .unwrap_or(u32::MAX)
            .to_be_bytes();
        if let Err(e) = self
            .file
            .write_all(&len)
            .and_then(|_| self.file.write_all(&sealed))
        {
            tracing::warn!(recording = %self.id, path = %self.path.display(), error = %e, "writing a recording failed");
        }
    }

    /// Seals the rest (marked as the end, so a truncated file is detected) and records the size.
    pub async fn finish(mut self, state: &AppState) {
        self.flush(true);
        let _ = self.file.sync_all();
        let _ = repo::finish(
            state.db.conn(),
            self.id,
            i64::try_from(self.bytes).unwrap_or(i64::MAX),
        )
        .await;
    }
}

/// Recordings, newest first.
pub async fn list(
    state: &AppState,
    _cap: Capability<perm::RecordingsView>,
    page: PageRequest,
) -> ApiResult<Page<Recording>> {
    Ok(repo::list(state.db.conn(), page).await?)
}

/// Decrypts a recording into asciicast v2 text, after checking every chunk's place; audited.
pub async fn read(
    state: &AppState,
    cap: Capability<perm::RecordingsView>,
    ctx: &RequestContext,
    id: Uuid,
) -> ApiResult<String> {
    let rec = repo::find(state.db.conn(), id)
        .await
        .map_err(super::not_found("recording"))?;
    let id_text = id.to_string();
    let key = state
        .vault
        .open(binding(&id_text), &rec.key)
        .map_err(|e| ApiError::Internal(format!("recording key {id}: {e}")))?;
    let cipher = ChunkCipher::from_key(&key).map_err(|e| ApiError::Internal(e.to_string()))?;
    let path = path_of(state, id).ok_or(ApiError::NotFound("recording"))?;
    let data = std::fs::read(&path).map_err(|_| ApiError::NotFound("recording"))?;
    let mut out = Vec::new();
    let (mut at, mut chunk, mut ended) = (0usize, 0u64, false);
    while at + 4 <= data.len() {
        let len = u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]) as usize;
        let body = data
            .get(at + 4..at + 4 + len)
            .ok_or_else(|| ApiError::Internal(format!("recording {id} is truncated")))?;
        let plain = match cipher.open(&aad(id, chunk, false), body) {
            Ok(p) => p,
            Err(_) => {
                let p = cipher.open(&aad(id, chunk, true), body).map_err(|_| {
                    ApiError::Internal(format!("recording {id} chunk {chunk} does not decrypt"))
                })?;
                ended = true;
                p
            }
        };
        out.extend_from_slice(&plain);
        at += 4 + len;
        chunk += 1;
        if ended {
            break;
        }
    }
    Event::new(ctx, Some(cap.principal()), "ssh.recording_view")
        .target("host", rec.host_id, Some(&rec.host_name))
        .diff(
            serde_json::json!({ "recording": id, "session_user": rec.username, "complete": ended }),
        )
        .write(state.db.conn())
        .await?;
    String::from_utf8(out).map_err(|_| ApiError::Internal("recording is not UTF-8".into()))
}
