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
/// How long before an idle cut-off the user is warned.
const WARN_IDLE: Duration = Duration::from_secs(60);
/// How long before the maximum duration the user is warned.
const WARN_MAX: Duration = Duration::from_secs(300);

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
    /// The latest warning before a cut-off, numbered so each socket sends it once.
    notice: Option<(u64, Notice)>,
}

/// A warning that the session will be cut off.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Notice {
    /// `idle` (typing anything resets it) or `max_duration`.
    pub kind: &'static str,
    /// Seconds until the cut-off.
    pub seconds_left: u64,
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

    /// The latest warning numbered after `seen`, if any.
    pub fn notice_after(&self, seen: u64) -> Option<(u64, Notice)> {
        self.lock().notice.clone().filter(|(n, _)| *n > seen)
    }

    fn warn(&self, notice: Notice) {
        let mut st = self.lock();
        let n = st.notice.as_ref().map_or(0, |(n, _)| *n) + 1;
        st.notice = Some((n, notice));
        drop(st);
        self.version.send_modify(|v| *v += 1);
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
        self.get(self.redeem_session(ticket)?)
    }

    fn redeem_session(&self, ticket: &str) -> Option<Uuid> {
        let t = self
            .tickets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(ticket)?;
        (t.expires >= Instant::now()).then_some(t.session)
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
    let mut session = itmgr_ssh::connect_with(
        &policy,
        &address,
        host.port,
        host.host_key.as_deref(),
        Timeouts::all(timeout),
        host.legacy_ssh,
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
    let login = session.login(&creds, timeout).await.map_err(ssh_error)?;
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
            notice: None,
        }),
        version: watch::channel(0).0,
        acks: watch::channel(0).0,
        input: input_tx,
        attach_gen: AtomicU64::new(0),
    });
    drop(creds);
    let start = Start {
        principal: cap.principal().clone(),
        ctx: ctx.clone(),
        address: host.address.clone(),
        port: host.port,
        fingerprint: key.fingerprint.clone(),
        resolved: session.peer_addr().map(|a| a.to_string()),
        recording: host.terminal_recording.forced(),
        limits: (
            Duration::from_secs(u64::from(settings.terminal_idle_timeout_minutes) * 60),
            Duration::from_secs(u64::from(settings.terminal_max_duration_minutes) * 60),
        ),
    };
    match login {
        itmgr_ssh::Login::Done(method) => {
            // The common case opens the shell before answering, so a failure is this request's error.
            let shell = begin(state, &term, &session, &start, method, (cols, rows)).await?;
            register(state, &term);
            tokio::spawn(run(
                state.clone(),
                term.clone(),
                session,
                shell,
                input_rx,
                start,
            ));
        }
        itmgr_ssh::Login::KeyboardInteractive { after } => {
            // The host asks questions only a person can answer (a one-time code, a password it
            // takes only this way): the session opens now and the prompts appear in the terminal.
            register(state, &term);
            tokio::spawn(interactive(
                state.clone(),
                term.clone(),
                session,
                input_rx,
                start,
                after,
                (cols, rows),
            ));
        }
    }
    let ticket = state.terminals.issue(term.id);
    Ok(Ok(Opened {
        term,
        ticket,
        host_key_fingerprint: key.fingerprint,
    }))
}

/// What the session task needs to know to start the shell and audit it.
struct Start {
    principal: itmgr_auth::Principal,
    ctx: RequestContext,
    address: String,
    port: u16,
    fingerprint: String,
    /// The IP and port actually dialled (the address may be a name).
    resolved: Option<String>,
    /// The host's recording override (`None`: the global setting).
    recording: Option<bool>,
    /// Idle timeout and maximum duration (zero: none).
    limits: (Duration, Duration),
}

type Shell = (
    itmgr_ssh::ShellReader,
    itmgr_ssh::ShellWriter,
    Option<super::recordings::Recorder>,
);

fn register(state: &AppState, term: &Arc<Term>) {
    state
        .terminals
        .sessions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(term.id, term.clone());
}

/// Opens the PTY shell of a logged-in session, audits the start and starts the recording.
async fn begin(
    state: &AppState,
    term: &Term,
    session: &itmgr_ssh::Session,
    start: &Start,
    auth_method: &str,
    (cols, rows): (u16, u16),
) -> ApiResult<Shell> {
    let (reader, writer) = session
        .shell(
            "xterm-256color",
            u32::from(cols.max(10)),
            u32::from(rows.max(2)),
        )
        .await
        .map_err(ssh_error)?;
    Event::new(&start.ctx, Some(&start.principal), "ssh.session_start")
        .target("host", term.host_id, Some(&term.host_name))
        .diff(serde_json::json!({
            "session": term.id, "address": start.address, "port": start.port, "resolved_address": start.resolved,
            "login": term.login,
            "host_key_fingerprint": start.fingerprint, "auth_method": auth_method,
            "credential_id": term.credential_id.to_string(), "cols": cols, "rows": rows,
        }))
        .write(state.db.conn())
        .await?;
    let recorder = super::recordings::Recorder::start(
        state,
        term.id,
        (term.host_id, &term.host_name),
        (start.principal.user_id, &start.principal.username),
        (cols, rows),
        start.recording,
    )
    .await?;
    Ok((reader, writer, recorder))
}

/// How long a person has to answer the host's keyboard-interactive questions.
const ANSWER_WITHIN: Duration = Duration::from_secs(120);

/// Runs keyboard-interactive authentication through the terminal, then the shell.
async fn interactive(
    state: AppState,
    term: Arc<Term>,
    mut session: itmgr_ssh::Session,
    mut input: mpsc::Receiver<Input>,
    start: Start,
    after: Option<&'static str>,
    mut size: (u16, u16),
) {
    let asked = ask(&term, &mut session, &mut input, &mut size).await;
    let method = match after {
        Some("publickey") => "publickey+keyboard-interactive",
        Some(_) => "password+keyboard-interactive",
        None => "keyboard-interactive",
    };
    let shell = match asked {
        Ok(()) => begin(&state, &term, &session, &start, method, size)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, session = %term.id, "terminal shell could not be opened");
                "the shell could not be opened".to_owned()
            }),
        Err(why) => Err(why),
    };
    match shell {
        Ok(shell) => run(state, term, session, shell, input, start).await,
        Err(reason) => {
            term.push_output(format!("\r\n{reason}\r\n").as_bytes());
            session.close().await;
            let _ = Event::new(&start.ctx, Some(&start.principal), "ssh.login_failed")
                .target("host", term.host_id, Some(&term.host_name))
                .diff(serde_json::json!({
                    "session": term.id, "address": start.address, "login": term.login,
                    "auth_method": method, "reason": reason,
                }))
                .write(state.db.conn())
                .await;
            term.close(Closed {
                reason,
                exit_status: None,
            });
            tokio::time::sleep(Duration::from_secs(30)).await;
            state.terminals.remove(term.id);
        }
    }
}

/// The keyboard-interactive conversation: each prompt is written to the terminal and its answer
/// read from what the user types (echoed only when the host allows). Answers live only in memory.
async fn ask(
    term: &Term,
    session: &mut itmgr_ssh::Session,
    input: &mut mpsc::Receiver<Input>,
    size: &mut (u16, u16),
) -> Result<(), String> {
    let deadline = Instant::now() + ANSWER_WITHIN;
    let lost = |e: SshError| format!("authentication failed: {e}");
    let mut step = session.kbd_start(&term.login).await.map_err(lost)?;
    let mut rounds = 0;
    loop {
        step = match step {
            itmgr_ssh::KbdStep::Success => return Ok(()),
            itmgr_ssh::KbdStep::Failure { more: true } if rounds < 5 => {
                rounds += 1;
                session.kbd_start(&term.login).await.map_err(lost)?
            }
            itmgr_ssh::KbdStep::Failure { .. } => {
                return Err("the host refused the answers".to_owned())
            }
            itmgr_ssh::KbdStep::Prompts {
                name,
                instructions,
                prompts,
            } => {
                for text in [name, instructions] {
                    if !text.trim().is_empty() {
                        term.push_output(format!("{}\r\n", printable(&text)).as_bytes());
                    }
                }
                let mut answers = Vec::with_capacity(prompts.len());
                for p in prompts {
                    term.push_output(printable(&p.prompt).as_bytes());
                    answers.push(read_line(term, input, p.echo, deadline, size).await?);
                }
                session.kbd_respond(answers).await.map_err(lost)?
            }
        };
    }
}

/// A host's text without control characters (it goes to the user's terminal), lines as CRLF.
fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .replace('\n', "\r\n")
}

/// Reads one answer typed in the terminal: Enter ends it, Backspace and Ctrl+U edit it, Ctrl+C
/// cancels; escape sequences (arrows, function keys) are ignored.
async fn read_line(
    term: &Term,
    input: &mut mpsc::Receiver<Input>,
    echo: bool,
    deadline: Instant,
    size: &mut (u16, u16),
) -> Result<zeroize::Zeroizing<String>, String> {
    let mut line = zeroize::Zeroizing::new(Vec::<u8>::new());
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        let data = tokio::select! {
            msg = input.recv() => match msg {
                Some(Input::Data(d)) => d,
                Some(Input::Resize(c, r)) => {
                    *size = (c, r);
                    continue;
                }
                Some(Input::Close(why)) => return Err(why),
                None => return Err("the server is shutting down".to_owned()),
            },
            _ = tick.tick() => {
                if Instant::now() > deadline {
                    return Err("no answer in time".to_owned());
                }
                if term.lock().detached_since.is_some_and(|d| d.elapsed() > GRACE) {
                    return Err("the browser did not come back within the grace period".to_owned());
                }
                continue;
            }
        };
        let data = zeroize::Zeroizing::new(data);
        if data.first() == Some(&0x1b) {
            continue;
        }
        for &b in data.iter() {
            match b {
                b'\r' | b'\n' => {
                    term.push_output(b"\r\n");
                    let text = String::from_utf8_lossy(&line).into_owned();
                    return Ok(zeroize::Zeroizing::new(text));
                }
                0x03 => {
                    term.push_output(b"^C");
                    return Err("authentication canceled".to_owned());
                }
                0x7f | 0x08 => {
                    // Remove one UTF-8 character.
                    while let Some(last) = line.pop() {
                        if last & 0xc0 != 0x80 {
                            break;
                        }
                    }
                    if echo {
                        term.push_output(b"\x08 \x08");
                    }
                }
                0x15 => line.clear(),
                b if b < 0x20 => {}
                b => {
                    if line.len() < 1024 {
                        line.push(b);
                        if echo {
                            term.push_output(&[b]);
                        }
                    }
                }
            }
        }
    }
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
    session: itmgr_ssh::Session,
    (mut reader, writer, mut recorder): Shell,
    mut input: mpsc::Receiver<Input>,
    start: Start,
) {
    let (idle, max) = start.limits;
    let ctx = start.ctx;
    let started = Instant::now();
    let mut acks = term.acks.subscribe();
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    let mut exit_status = None;
    let mut last_size = (0u16, 0u16);
    // The input time an idle warning was given for (typing re-arms it), and whether the end of
    // the maximum duration was announced.
    let mut idle_warned: Option<Instant> = None;
    let mut max_warned = false;
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
                    if let Some(r) = recorder.as_mut() {
                        r.input(&d);
                    }
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
                if !idle.is_zero() && idle_warned != Some(last_input) {
                    let left = idle.saturating_sub(last_input.elapsed());
                    if left <= WARN_IDLE {
                        idle_warned = Some(last_input);
                        term.warn(Notice { kind: "idle", seconds_left: left.as_secs() });
                    }
                }
                if !max.is_zero() && !max_warned {
                    let left = max.saturating_sub(started.elapsed());
                    if left <= WARN_MAX {
                        max_warned = true;
                        term.warn(Notice { kind: "max_duration", seconds_left: left.as_secs() });
                    }
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
    let session = itmgr_ssh::connect_with(
        &policy,
        &address,
        host.port,
        None,
        Timeouts::all(Duration::from_secs(10)),
        host.legacy_ssh,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_single_use_and_expire() {
        let t = Terminals::default();
        let s = Uuid::now_v7();
        let fresh = t.issue(s);
        let old = t.issue(s);
        assert_ne!(fresh, old);
        t.tickets.lock().unwrap().get_mut(&old).unwrap().expires =
            Instant::now() - Duration::from_secs(1);
        assert_eq!(t.redeem_session(&old), None, "expired");
        assert_eq!(t.redeem_session(&fresh), Some(s));
        assert_eq!(t.redeem_session(&fresh), None, "reused");
        assert_eq!(t.redeem_session("not-a-ticket"), None);
    }
}
