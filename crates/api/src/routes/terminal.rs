//! `/api/v1/terminal`: open SSH terminal sessions and stream them over a WebSocket.
//!
//! Frames are binary, the first byte an opcode:
//! - client → server: `0x10` hello `[u64 resume offset][ticket]` (first frame, within 10 s),
//!   `0x01` input bytes, `0x02` resize `[u16 cols][u16 rows]`, `0x03` ack `[u64 offset]`,
//!   `0x04` ping `[u64 client timestamp]`.
//! - server → client: `0x01` output `[u64 offset][bytes]`, `0x03` pong
//!   `[u64 client timestamp][f64 server↔host ms, NaN if unknown]`, `0x05` gap `[u64 from][u64 to]`
//!   (output that was dropped while away), `0x06` closed `{reason, exit_status}` (JSON), `0x08` notice
//!   `{kind: "idle" | "max_duration", seconds_left}` (JSON: a cut-off is near), `0x07` error
//!   `{code, message}` (JSON). All integers big-endian.

use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Path};
use crate::services::{self, terminal::Next};
use crate::state::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures_util::{SinkExt, StreamExt};
use itmgr_auth::perm;
use itmgr_domain::HostId;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::ToSchema;
use uuid::Uuid;

/// Opcodes.
pub mod op {
    pub const INPUT: u8 = 0x01;
    pub const OUTPUT: u8 = 0x01;
    pub const RESIZE: u8 = 0x02;
    pub const ACK: u8 = 0x03;
    pub const PING: u8 = 0x04;
    pub const PONG: u8 = 0x03;
    pub const GAP: u8 = 0x05;
    pub const CLOSED: u8 = 0x06;
    pub const ERROR: u8 = 0x07;
    pub const NOTICE: u8 = 0x08;
    pub const HELLO: u8 = 0x10;
}

/// Opening a terminal.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenTerminalRequest {
    pub host_id: Uuid,
    /// Terminal columns (default 80).
    pub cols: Option<u16>,
    /// Terminal rows (default 24).
    pub rows: Option<u16>,
    /// The SHA256 fingerprint the user accepted for a host whose key is not on record yet.
    pub accept_host_key: Option<String>,
}

/// An open terminal.
#[derive(Debug, Serialize, ToSchema)]
pub struct TerminalSession {
    pub id: Uuid,
    pub host_id: Uuid,
    pub host_name: String,
    pub login: String,
    pub started_at: DateTime<Utc>,
    pub host_key_fingerprint: Option<String>,
    /// Single-use, valid 30 s: send it in the first WebSocket frame to `/api/v1/terminal/ws`.
    pub ticket: Option<String>,
}

/// The host's key is not on record: show it, ask, and open again with `accept_host_key`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostKeyPrompt {
    pub code: String,
    pub message: String,
    pub algorithm: String,
    pub fingerprint: String,
}

/// Opens an SSH terminal on a host (needs `terminal:open`). Answers 201 with a ticket, or 428 with
/// the host key to confirm on first contact.
#[utoipa::path(post, path = "/api/v1/terminal/sessions", tag = "terminal", request_body = OpenTerminalRequest,
    responses((status = 201, body = TerminalSession), (status = 428, body = HostKeyPrompt), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn open_terminal(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Json(b): Json<OpenTerminalRequest>,
) -> ApiResult<Response> {
    let cap = p.require::<perm::TerminalOpen>()?;
    let opened = services::terminal::open(
        &state,
        cap,
        &ctx,
        HostId::from_uuid(b.host_id),
        b.cols.unwrap_or(80),
        b.rows.unwrap_or(24),
        b.accept_host_key.as_deref(),
    )
    .await?;
    Ok(match opened {
        Ok(o) => (
            StatusCode::CREATED,
            axum::Json(TerminalSession {
                id: o.term.id,
                host_id: o.term.host_id.as_uuid(),
                host_name: o.term.host_name.clone(),
                login: o.term.login.clone(),
                started_at: o.term.started,
                host_key_fingerprint: Some(o.host_key_fingerprint),
                ticket: Some(o.ticket),
            }),
        )
            .into_response(),
        Err(k) => (
            StatusCode::PRECONDITION_REQUIRED,
            axum::Json(HostKeyPrompt {
                code: "host_key_unknown".into(),
                message: format!(
                    "First connection to this host: it presents the {} key {}. Check it and accept to continue.",
                    k.algorithm, k.fingerprint
                ),
                algorithm: k.algorithm,
                fingerprint: k.fingerprint,
            }),
        )
            .into_response(),
    })
}

/// The caller's open terminals (to restore tabs after a reload).
#[utoipa::path(get, path = "/api/v1/terminal/sessions", tag = "terminal",
    responses((status = 200, body = [TerminalSession])), security(("bearer" = [])))]
pub async fn list_terminals(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<Vec<TerminalSession>>> {
    let cap = p.require::<perm::TerminalOpen>()?;
    Ok(axum::Json(
        state
            .terminals
            .of_user(cap.principal().user_id)
            .into_iter()
            .filter(|t| t.closed().is_none())
            .map(|t| TerminalSession {
                id: t.id,
                host_id: t.host_id.as_uuid(),
                host_name: t.host_name.clone(),
                login: t.login.clone(),
                started_at: t.started,
                host_key_fingerprint: None,
                ticket: None,
            })
            .collect(),
    ))
}

/// A ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct TerminalTicket {
    pub ticket: String,
}

/// A new single-use ticket to reattach to one's own open session (after a dropped connection).
#[utoipa::path(post, path = "/api/v1/terminal/sessions/{id}/ticket", tag = "terminal", params(("id" = Uuid, Path)),
    responses((status = 200, body = TerminalTicket), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn reattach_terminal(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<axum::Json<TerminalTicket>> {
    let cap = p.require::<perm::TerminalOpen>()?;
    Ok(axum::Json(TerminalTicket {
        ticket: services::terminal::reattach(&state, &cap, id)?,
    }))
}

/// Ends one's own terminal session.
#[utoipa::path(delete, path = "/api/v1/terminal/sessions/{id}", tag = "terminal", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn close_terminal(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    let cap = p.require::<perm::TerminalOpen>()?;
    services::terminal::close(&state, &cap, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether the WebSocket's `Origin` is this server (scheme, host and port) — a foreign page must not
/// drive a terminal with the user's cookies (cross-site WebSocket hijacking).
fn origin_allowed(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Non-browser clients send no Origin; they still need a ticket.
        return true;
    };
    if let Some(public) = &state.config.public_url {
        return origin.trim_end_matches('/') == public.trim_end_matches('/');
    }
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let forwarded_https = state.config.trust_forwarded_for
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let scheme = if forwarded_https || state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    origin == format!("{scheme}://{host}")
}

/// The terminal stream. Authenticated by the ticket in the first frame, never by the URL.
#[utoipa::path(get, path = "/api/v1/terminal/ws", tag = "terminal",
    responses((status = 101, description = "WebSocket; see the module docs for the frame format"), (status = 403, body = ErrorBody)))]
pub async fn terminal_ws(
    State(state): State<AppState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !origin_allowed(&state, &headers) {
        return ApiError::Forbidden(None).into_response();
    }
    ws.max_message_size(1 << 20)
        .on_upgrade(move |socket| serve(state, socket))
}

fn json_frame(opcode: u8, v: serde_json::Value) -> Message {
    let mut f = vec![opcode];
    f.extend_from_slice(v.to_string().as_bytes());
    Message::Binary(f.into())
}

async fn serve(state: AppState, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let hello = tokio::time::timeout(Duration::from_secs(10), stream.next()).await;
    let (resume, ticket) = match hello {
        Ok(Some(Ok(Message::Binary(b)))) if b.len() > 9 && b[0] == op::HELLO => {
            let mut off = [0u8; 8];
            off.copy_from_slice(&b[1..9]);
            (
                u64::from_be_bytes(off),
                String::from_utf8_lossy(&b[9..]).into_owned(),
            )
        }
        _ => {
            let _ = sink
                .send(json_frame(op::ERROR, serde_json::json!({ "code": "bad_hello", "message": "the first frame must carry a ticket" })))
                .await;
            return;
        }
    };
    let Some(term) = state.terminals.redeem(&ticket) else {
        let _ = sink
            .send(json_frame(op::ERROR, serde_json::json!({ "code": "bad_ticket", "message": "the ticket is unknown, expired or already used" })))
            .await;
        return;
    };
    let generation = term.attach();
    let (ctrl_tx, mut ctrl_rx) = tokio::sync::mpsc::channel::<Message>(16);
    let writer_term = term.clone();
    let mut send_task = tokio::spawn(async move {
        let mut version = writer_term.subscribe();
        let mut offset = resume;
        let mut notice_seen = 0;
        loop {
            if !writer_term.is_current(generation) {
                break; // a newer socket took over
            }
            if let Some((n, notice)) = writer_term.notice_after(notice_seen) {
                notice_seen = n;
                if sink
                    .send(json_frame(op::NOTICE, serde_json::json!(notice)))
                    .await
                    .is_err()
                {
                    break;
                }
            }
            match writer_term.read_from(offset, 32 * 1024) {
                Next::Output(at, bytes) => {
                    let mut f = Vec::with_capacity(9 + bytes.len());
                    f.push(op::OUTPUT);
                    f.extend_from_slice(&at.to_be_bytes());
                    f.extend_from_slice(&bytes);
                    offset = at + bytes.len() as u64;
                    if sink.send(Message::Binary(f.into())).await.is_err() {
                        break;
                    }
                    continue;
                }
                Next::Gap { from, to } => {
                    let mut f = vec![op::GAP];
                    f.extend_from_slice(&from.to_be_bytes());
                    f.extend_from_slice(&to.to_be_bytes());
                    offset = to;
                    if sink.send(Message::Binary(f.into())).await.is_err() {
                        break;
                    }
                    continue;
                }
                Next::Closed(c) => {
                    let _ = sink
                        .send(json_frame(op::CLOSED, serde_json::json!(c)))
                        .await;
                    let _ = sink.close().await;
                    break;
                }
                Next::Wait => {}
            }
            tokio::select! {
                changed = version.changed() => if changed.is_err() { break },
                msg = ctrl_rx.recv() => match msg {
                    Some(m) => if sink.send(m).await.is_err() { break },
                    None => break,
                },
            }
        }
    });
    loop {
        let msg = tokio::select! {
            m = stream.next() => m,
            _ = &mut send_task => break,
        };
        let Some(Ok(msg)) = msg else { break };
        let Message::Binary(b) = msg else {
            if matches!(msg, Message::Close(_)) {
                break;
            }
            continue;
        };
        if b.is_empty() {
            continue;
        }
        let body = &b[1..];
        match b[0] {
            op::INPUT => {
                term.send(services::terminal::Input::Data(body.to_vec()))
                    .await
            }
            op::RESIZE if body.len() == 4 => {
                let cols = u16::from_be_bytes([body[0], body[1]]);
                let rows = u16::from_be_bytes([body[2], body[3]]);
                term.send(services::terminal::Input::Resize(cols, rows))
                    .await;
            }
            op::ACK if body.len() == 8 => {
                let mut v = [0u8; 8];
                v.copy_from_slice(body);
                term.ack(u64::from_be_bytes(v));
            }
            op::PING if body.len() == 8 => {
                let mut f = vec![op::PONG];
                f.extend_from_slice(body);
                f.extend_from_slice(&term.host_latency_ms().unwrap_or(f64::NAN).to_be_bytes());
                let _ = ctrl_tx.try_send(Message::Binary(f.into()));
            }
            _ => {}
        }
    }
    send_task.abort();
    term.detach(generation);
}

/// Accepting a changed host key.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptHostKeyRequest {
    /// The SHA256 fingerprint the administrator checked out of band.
    pub fingerprint: String,
}

/// What is on record now.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostKeyRecord {
    pub algorithm: String,
    pub fingerprint: String,
}

/// Replaces a host's recorded SSH key with the one it presents now, if its fingerprint is the
/// one the administrator checked (admin only, audited).
#[utoipa::path(post, path = "/api/v1/hosts/{id}/host-key/accept", tag = "terminal", params(("id" = Uuid, Path)), request_body = AcceptHostKeyRequest,
    responses((status = 200, body = HostKeyRecord), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn accept_host_key(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<HostId>,
    Json(b): Json<AcceptHostKeyRequest>,
) -> ApiResult<axum::Json<HostKeyRecord>> {
    let cap = p.require::<perm::HostKeysManage>()?;
    let (algorithm, fingerprint) =
        services::terminal::accept_host_key(&state, cap, &ctx, id, &b.fingerprint).await?;
    Ok(axum::Json(HostKeyRecord {
        algorithm,
        fingerprint,
    }))
}

/// A recorded terminal session.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordingInfo {
    /// The terminal session's id.
    pub id: Uuid,
    pub host_id: Uuid,
    pub host_name: String,
    pub user_id: Uuid,
    pub username: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Output bytes recorded.
    pub bytes: i64,
}

super::page_type!(RecordingPage, RecordingInfo);

/// Terminal recordings, newest first (needs `recordings:view`).
#[utoipa::path(get, path = "/api/v1/terminal/recordings", tag = "terminal", params(super::PageParams),
    responses((status = 200, body = RecordingPage), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_recordings(
    State(state): State<AppState>,
    Auth(p): Auth,
    crate::extract::Query(q): crate::extract::Query<super::PageParams>,
) -> ApiResult<axum::Json<RecordingPage>> {
    let cap = p.require::<perm::RecordingsView>()?;
    let page = services::page(q.limit, q.offset);
    let recs = services::recordings::list(&state, cap, page).await?;
    Ok(axum::Json(RecordingPage::from_page(recs, page, |r| {
        RecordingInfo {
            id: r.id,
            host_id: r.host_id.as_uuid(),
            host_name: r.host_name,
            user_id: r.user_id.as_uuid(),
            username: r.username,
            started_at: r.started_at,
            ended_at: r.ended_at,
            bytes: r.bytes,
        }
    })))
}

/// A recording as asciicast v2 (decrypted for this request; audited as `ssh.recording_view`).
#[utoipa::path(get, path = "/api/v1/terminal/recordings/{id}", tag = "terminal", params(("id" = Uuid, Path)),
    responses((status = 200, description = "asciicast v2", content_type = "application/x-asciicast"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_recording(
    State(state): State<AppState>,
    Auth(p): Auth,
    ctx: RequestContext,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let cap = p.require::<perm::RecordingsView>()?;
    let cast = services::recordings::read(&state, cap, &ctx, id).await?;
    Ok(([(header::CONTENT_TYPE, "application/x-asciicast")], cast).into_response())
}
