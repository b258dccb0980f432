//! Web terminal sessions: an SSH shell that lives in a server task independent of any WebSocket,
//! with a bounded buffer of recent output addressed by byte offset, so a browser that drops can
//! reattach and resume exactly where it was; acknowledgement-driven flow control (past a high
//! watermark of unacknowledged output the task stops reading the channel, and SSH back-pressure
//! throttles the host); single-use tickets; idle, duration and detach limits; audit at both ends.

use super::audit::Event;
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::Utc;
use itmgr_auth::{perm, Capability};
use itmgr_domain::{HostAddress, HostId, UserId};
use itmgr_ssh::{ShellEvent, SshError, Timeouts};
use itmgr_storage::repo::hosts as hosts_repo;
use rand::RngCore;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

/// Recent output kept for resuming (per session).
pub const RING: usize = 1 << 20;
/// Unacknowledged output after which the channel is no longer read.
pub const HIGH_WATER: u64 = 256 * 1024;
/// How long a session waits for its browser to come back.
pub const GRACE: Duration = Duration::from_secs(60);
/// How long a ticket is valid.
pub const TICKET_TTL: Duration = Duration::from_secs(30);

/// Input from the browser to the shell.
#[derive(Debug)]
pub enum Input {
    Data(Vec<u8>),
    Resize(u16, u16),
    Close(String),
}

/// Why and how a session ended.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Closed {
    pub reason: String,
    pub exit_status: Option<u32>,
}

#[derive(Debug)]
struct State {
    buf: VecDeque<u8>,
    /// Offset of `buf[0]`.
    start: u64,
    /// Offset after the last byte produced.
    end: u64,
    acked: u64,
    closed: Option<Closed>,
    detached_since: Option<Instant>,
    last_input: Instant,
    bytes_in: u64,
    host_latency_ms: Option<f64>,
}

/// One terminal session.
#[derive(Debug)]
pub struct Term {
    pub id: Uuid,
    pub user_id: UserId,
    pub host_id: HostId,
    pub host_name: String,
    pub login: String,
    pub started: chrono::DateTime<Utc>,
    /// The credential used; revoking (deleting) it ends the session.
    pub credential_id: itmgr_domain::SecretId,
    state: Mutex<State>,
    /// Bumped on new output and on close; attached sockets wait on it.
    version: watch::Sender<u64>,
    /// The acknowledged offset; the shell task waits on it when past the watermark.
    acks: watch::Sender<u64>,
    input: mpsc::Sender<Input>,
    attach_gen: AtomicU64,
}

/// A chunk of output to send, or the end.
pub enum Next {
    Output(u64, Vec<u8>),
    /// Output before `resume` was dropped from the buffer (only after a very long absence).
    Gap {
        from: u64,
        to: u64,
    },
    Closed(Closed),
    Wait,
}

impl Term {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The output from `offset` on (at most `max` bytes), or what to do instead.
    pub fn read_from(&self, offset: u64, max: usize) -> Next {
        let st = self.lock();
        if offset < st.start {
            return Next::Gap {
                from: offset,
                to: st.start,
            };
        }
        if offset < st.end {
            let skip = (offset - st.start) as usize;
            let n = ((st.end - offset) as usize).min(max);
            let out: Vec<u8> = st.buf.range(skip..skip + n).copied().collect();
            return Next::Output(offset, out);
        }
        match &st.closed {
            Some(c) => Next::Closed(c.clone()),
            None => Next::Wait,
        }
    }

    /// The browser acknowledged rendering everything before `offset`.
    pub fn ack(&self, offset: u64) {
        let mut st = self.lock();
        let v = offset.min(st.end);
        if v > st.acked {
            st.acked = v;
            drop(st);
            self.acks.send_replace(v);
        }
    }

    /// Watches for new output or the end.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// Sends input to the shell (bounded: a flood of keystrokes waits).
    pub async fn send(&self, input: Input) {
        if let Input::Data(d) = &input {
            let mut st = self.lock();
            st.bytes_in += d.len() as u64;
            st.last_input = Instant::now();
        }
        let _ = self.input.send(input).await;
    }

    /// A socket attaches; returns its generation (a newer attach supersedes older sockets).
    pub fn attach(&self) -> u64 {
        self.lock().detached_since = None;
        self.attach_gen.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Whether `generation` is still the attached socket.
    pub fn is_current(&self, generation: u64) -> bool {
        self.attach_gen.load(Ordering::SeqCst) == generation
    }

    /// The socket of `generation` went away.
    pub fn detach(&self, generation: u64) {
        if self.is_current(generation) {
            self.lock().detached_since = Some(Instant::now());
        }
    }

    /// Server↔host round-trip time, when measured.
    pub fn host_latency_ms(&self) -> Option<f64> {
        self.lock().host_latency_ms
    }

    /// Whether the session ended.
    pub fn closed(&self) -> Option<Closed> {
        self.lock().closed.clone()
    }

    fn push_output(&self, data: &[u8]) {
        let mut st = self.lock();
        st.buf.extend(data);
        st.end += data.len() as u64;
        let over = st.buf.len().saturating_sub(RING);
        if over > 0 {
            st.buf.drain(..over);
            st.start += over as u64;
        }
        let v = st.end;
        drop(st);
        self.version.send_replace(v);
    }

    fn close(&self, c: Closed) {
        self.lock().closed = Some(c);
        self.version.send_modify(|v| *v += 1);
    }
}

struct Ticket {
    session: Uuid,
    expires: Instant,
}

/// The registry of open sessions and outstanding tickets.
#[derive(Default)]
pub struct Terminals {
    sessions: Mutex<HashMap<Uuid, Arc<Term>>>,
    tickets: Mutex<HashMap<String, Ticket>>,
}

impl Terminals {
    fn issue(&self, session: Uuid) -> String {
        let mut bytes = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut bytes);
        let t = hex::encode(bytes);
        let mut tickets = self.tickets.lock().unwrap_or_else(|e| e.into_inner());
        tickets.retain(|_, t| t.expires > Instant::now());
        tickets.insert(
            t.clone(),
            Ticket {
                session,
                expires: Instant::now() + TICKET_TTL,
            },
        );
        t
    }

    /// Redeems a ticket once; expired, unknown or reused tickets are `None`.
    pub fn redeem(&self, ticket: &str) -> Option<Arc<Term>> {
        let t = self
            .tickets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(ticket)?;
        if t.expires < Instant::now() {
            return None;
        }
        self.get(t.session)
    }

    /// A session by id.
    pub fn get(&self, id: Uuid) -> Option<Arc<Term>> {
        self.sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    }

    fn remove(&self, id: Uuid) {
        self.sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
    }

    /// Open sessions of a user.
    pub fn of_user(&self, user: UserId) -> Vec<Arc<Term>> {
        self.sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter(|t| t.user_id == user)
            .cloned()
            .collect()
    }
}

/// A new session, ready to attach.
pub struct Opened {
    pub term: Arc<Term>,
    pub ticket: String,
    pub host_key_fingerprint: String,
}

/// Why a session could not be opened, when the user can act on it.
fn ssh_error(e: SshError) -> ApiError {
    match e {
        SshError::HostKeyChanged { expected, got } => ApiError::HostKeyChanged { expected, got },
        SshError::AuthFailed(u) => ApiError::field(
            "credential",
            format!("the host refused the login for {u:?}"),
        ),
        SshError::BadCredential(m) => ApiError::field("credential", m),
        SshError::Net(itmgr_net::NetError::Denied(d)) => ApiError::field("address", d.0),
        other => ApiError::Conflict {
            message: format!("Cannot connect: {other}"),
            field: None,
        },
    }
}

/// The answer when the host's key is not on record yet: the caller shows it and asks.
#[derive(Debug, Clone)]
pub struct UnknownKey {
    pub algorithm: String,
    pub fingerprint: String,
}

/// Opens a terminal on a host: connects through the target policy, checks the host key (unknown
/// keys need `accept_fingerprint` equal to the presented one; the key is then recorded and
/// audited), logs in with the host's credential, opens a PTY shell and starts the session task.
pub async fn open(
    state: &AppState,
    cap: Capability<perm::TerminalOpen>,
    ctx: &RequestContext,
    host_id: HostId,
    cols: u16,
    rows: u16,
    accept_fingerprint: Option<&str>,
) -> ApiResult<Result<Opened, UnknownKey>> {
    let host = hosts_repo::find_by_id(state.db.conn(), host_id)
        .await
        .map_err(super::not_found("host"))?;
    let credential = host.credential_id.ok_or_else(|| {
        ApiError::field("credential", "the host has no credential to log in with")
    })?;
    let address = HostAddress::parse(&host.address)?;
    let policy = super::hosts::policy(state).await?;
    let (settings, _) = state.inventory_settings().await?;
    let timeout = Duration::from_secs(u64::from(settings.check_timeout_seconds.max(5)));
    let mut session = itmgr_ssh::connect(
        &policy,
        &address,
        host.port,
        host.host_key.as_deref(),
        Timeouts::all(timeout),
    )
    .await
    .map_err(ssh_error)?;
    let key = session.host_key().clone();
    if session.is_first_use() {
        if accept_fingerprint != Some(key.fingerprint.as_str()) {
            session.close().await;
            return Ok(Err(UnknownKey {
                algorithm: key.algorithm,
                fingerprint: key.fingerprint,
            }));
        }
        hosts_repo::record_host_key_if_unset(
            state.db.conn(),
            host.id,
            &key.openssh,
            &key.fingerprint,
        )
        .await?;
        Event::new(ctx, Some(cap.principal()), "host.host_key_accept")
            .target("host", host.id, Some(&host.name))
            .diff(serde_json::json!({ "algorithm": key.algorithm, "fingerprint": key.fingerprint, "first_use": true }))
            .write(state.db.conn())
            .await?;
    }
    let creds = super::secrets::ssh_credentials(state, credential).await?;
    let auth_method = if creds.private_key.is_some() {
        "publickey"
    } else {
        "password"
    };
    session
        .authenticate(&creds, timeout)
        .await
        .map_err(ssh_error)?;
    let (reader, writer) = session
        .shell(
            "xterm-256color",
            u32::from(cols.max(10)),
            u32::from(rows.max(2)),
        )
        .await
        .map_err(ssh_error)?;
    let (input_tx, input_rx) = mpsc::channel(64);
    let term = Arc::new(Term {
        id: Uuid::now_v7(),
        user_id: cap.principal().user_id,
        host_id: host.id,
        host_name: host.name.clone(),
        login: creds.username.clone(),
        started: Utc::now(),
        credential_id: credential,
        state: Mutex::new(State {
            buf: VecDeque::new(),
            start: 0,
            end: 0,
            acked: 0,
            closed: None,
            detached_since: Some(Instant::now()),
            last_input: Instant::now(),
            bytes_in: 0,
            host_latency_ms: None,
        }),
        version: watch::channel(0).0,
        acks: watch::channel(0).0,
        input: input_tx,
        attach_gen: AtomicU64::new(0),
    });
    Event::new(ctx, Some(cap.principal()), "ssh.session_start")
        .target("host", host.id, Some(&host.name))
        .diff(serde_json::json!({
            "session": term.id, "address": host.address, "port": host.port, "login": creds.username,
            "host_key_fingerprint": key.fingerprint, "auth_method": auth_method,
            "credential_id": credential.to_string(), "cols": cols, "rows": rows,
        }))
        .write(state.db.conn())
        .await?;
    drop(creds);
    state
        .terminals
        .sessions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(term.id, term.clone());
    let ticket = state.terminals.issue(term.id);
    let recorder = super::recordings::Recorder::start(
        state,
        term.id,
        (host.id, &host.name),
        (cap.principal().user_id, &cap.principal().username),
        cols,
        rows,
    )
    .await?;
    let idle = Duration::from_secs(u64::from(settings.terminal_idle_timeout_minutes) * 60);
    let max = Duration::from_secs(u64::from(settings.terminal_max_duration_minutes) * 60);
    tokio::spawn(run(
        state.clone(),
        term.clone(),
        (session, reader, writer),
        input_rx,
        (idle, max),
        ctx.clone(),
        recorder,
    ));
    Ok(Ok(Opened {
        term,
        ticket,
        host_key_fingerprint: key.fingerprint,
    }))
}

/// A new ticket to reattach to one's own open session.
pub fn reattach(
    state: &AppState,
    cap: &Capability<perm::TerminalOpen>,
    id: Uuid,
) -> ApiResult<String> {
    let term = state
        .terminals
        .get(id)
        .ok_or(ApiError::NotFound("terminal session"))?;
    if term.user_id != cap.principal().user_id {
        return Err(ApiError::NotFound("terminal session"));
    }
    if let Some(c) = term.closed() {
        return Err(ApiError::Conflict {
            message: format!("The session ended: {}", c.reason),
            field: None,
        });
    }
    Ok(state.terminals.issue(id))
}

/// Ends one's own session.
pub async fn close(
    state: &AppState,
    cap: &Capability<perm::TerminalOpen>,
    id: Uuid,
) -> ApiResult<()> {
    let term = state
        .terminals
        .get(id)
        .ok_or(ApiError::NotFound("terminal session"))?;
    if term.user_id != cap.principal().user_id {
        return Err(ApiError::NotFound("terminal session"));
    }
    term.send(Input::Close("closed by the user".into())).await;
    Ok(())
}

async fn run(
    state: AppState,
    term: Arc<Term>,
    (session, mut reader, writer): (
        itmgr_ssh::Session,
        itmgr_ssh::ShellReader,
        itmgr_ssh::ShellWriter,
    ),
    mut input: mpsc::Receiver<Input>,
    (idle, max): (Duration, Duration),
    ctx: RequestContext,
    mut recorder: Option<super::recordings::Recorder>,
) {
    let started = Instant::now();
    let mut acks = term.acks.subscribe();
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    let mut exit_status = None;
    let mut last_size = (0u16, 0u16);
    let reason = loop {
        let can_read = {
            let st = term.lock();
            st.end - st.acked < HIGH_WATER
        };
        tokio::select! {
            ev = reader.next(), if can_read => match ev {
                ShellEvent::Output(b) => {
                    if let Some(r) = recorder.as_mut() {
                        r.output(&b);
                    }
                    term.push_output(&b)
                }
                ShellEvent::Exit(code) => exit_status = Some(code),
                ShellEvent::Closed => break "the remote shell ended".to_owned(),
            },
            msg = input.recv() => match msg {
                Some(Input::Data(d)) => {
                    if writer.write(&d).await.is_err() {
                        break "the connection to the host was lost".to_owned();
                    }
                }
                Some(Input::Resize(c, r)) => {
                    // Only real changes reach the host.
                    if (c, r) != last_size && c > 0 && r > 0 {
                        last_size = (c, r);
                        let _ = writer.resize(u32::from(c), u32::from(r)).await;
                        if let Some(rec) = recorder.as_mut() {
                            rec.resize(c, r);
                        }
                    }
                }
                Some(Input::Close(why)) => break why,
                None => break "the server is shutting down".to_owned(),
            },
            _ = acks.changed(), if !can_read => {}
            _ = tick.tick() => {
                let (detached, last_input) = {
                    let st = term.lock();
                    (st.detached_since, st.last_input)
                };
                if detached.is_some_and(|d| d.elapsed() > GRACE) {
                    break "the browser did not come back within the grace period".to_owned();
                }
                if !idle.is_zero() && last_input.elapsed() > idle {
                    break "idle timeout".to_owned();
                }
                if !max.is_zero() && started.elapsed() > max {
                    break "maximum session duration reached".to_owned();
                }
                // Access ends with the account or the credential, not at the next login.
                match itmgr_storage::repo::users::find_by_id(state.db.conn(), term.user_id).await {
                    Ok(u) if u.disabled => break "the user account was disabled".to_owned(),
                    Err(itmgr_storage::StorageError::NotFound) => break "the user account was deleted".to_owned(),
                    _ => {}
                }
                if let Err(itmgr_storage::StorageError::NotFound) =
                    itmgr_storage::repo::secrets::find_by_id(state.db.conn(), term.credential_id).await
                {
                    break "the credential was revoked".to_owned();
                }
                if let Ok(Ok(rtt)) = tokio::time::timeout(Duration::from_secs(1), session.ping()).await {
                    term.lock().host_latency_ms = Some(rtt.as_secs_f64() * 1000.0);
                }
            },
        }
    };
    writer.close().await;
    session.close().await;
    if let Some(r) = recorder {
        r.finish(&state).await;
    }
    let (bytes_in, bytes_out) = {
        let st = term.lock();
        (st.bytes_in, st.end)
    };
    term.close(Closed {
        reason: reason.clone(),
        exit_status,
    });
    let principal_name = itmgr_storage::repo::users::find_by_id(state.db.conn(), term.user_id)
        .await
        .map(|u| u.username)
        .unwrap_or_default();
    let _ = Event::system("ssh.session_end")
        .actor_id(term.user_id)
        .actor_name(&principal_name)
        .target("host", term.host_id, Some(&term.host_name))
        .diff(serde_json::json!({
            "session": term.id, "login": term.login, "duration_seconds": started.elapsed().as_secs(),
            "bytes_in": bytes_in, "bytes_out": bytes_out, "exit_status": exit_status, "reason": reason,
            "source_ip": ctx.ip,
        }))
        .write(state.db.conn())
        .await;
    // Keep the closed session briefly so a reconnecting browser learns why it ended.
    tokio::time::sleep(Duration::from_secs(30)).await;
    state.terminals.remove(term.id);
}

/// Records the key a host presents now in place of the old one, if it has the fingerprint the
/// administrator checked; audited with both fingerprints.
pub async fn accept_host_key(
    state: &AppState,
    cap: Capability<perm::HostKeysManage>,
    ctx: &RequestContext,
    id: HostId,
    fingerprint: &str,
) -> ApiResult<(String, String)> {
    let host = hosts_repo::find_by_id(state.db.conn(), id)
        .await
        .map_err(super::not_found("host"))?;
    let address = HostAddress::parse(&host.address)?;
    let policy = super::hosts::policy(state).await?;
    let session = itmgr_ssh::connect(
        &policy,
        &address,
        host.port,
        None,
        Timeouts::all(Duration::from_secs(10)),
    )
    .await
    .map_err(ssh_error)?;
    let key = session.host_key().clone();
    session.close().await;
    if key.fingerprint != fingerprint.trim() {
        return Err(ApiError::field(
            "fingerprint",
            format!(
                "the host presents {} {}, not the fingerprint given",
                key.algorithm, key.fingerprint
            ),
        ));
    }
    hosts_repo::replace_host_key(state.db.conn(), id, Some((&key.openssh, &key.fingerprint)))
        .await?;
    Event::new(ctx, Some(cap.principal()), "host.host_key_accept")
        .target("host", id, Some(&host.name))
        .diff(serde_json::json!({
            "from": host.host_key_fingerprint, "to": key.fingerprint, "algorithm": key.algorithm,
        }))
        .write(state.db.conn())
        .await?;
    Ok((key.algorithm, key.fingerprint))
}
