//! The SSH client of IT Manager, on russh.
//!
//! Every connection is dialled through the target policy ([`itmgr_net::dial`]), and host keys fail
//! closed: a recorded key must match exactly; with no recorded key the caller learns the key seen
//! ([`Session::host_key`]) and decides whether first use is acceptable. Credentials arrive from the
//! vault in memory only and are zeroed when dropped.

use itmgr_domain::{HostAddress, TargetPolicy};
use russh::client::AuthResult;
use russh::client::{self, Handle};
use russh::keys::{HashAlg, PrivateKeyWithHashAlg, PublicKey, PublicKeyOrCertificate};
use russh::{Disconnect, MethodKind};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use zeroize::Zeroizing;

/// Why an SSH operation failed; messages never contain credentials.
#[derive(Debug, thiserror::Error)]
pub enum SshError {
    /// Dialing failed (policy, DNS, refused, timeout).
    #[error(transparent)]
    Net(#[from] itmgr_net::NetError),
    /// A stage took too long.
    #[error("SSH {0} timed out after {1:?}")]
    Timeout(&'static str, Duration),
    /// The host presented a different key of the algorithm on record.
    #[error("host key changed: expected {expected}, got {got}; refusing to connect (an admin must accept the new key)")]
    HostKeyChanged {
        /// Fingerprint on record.
        expected: String,
        /// Fingerprint presented.
        got: String,
    },
    /// The host presented a key of an algorithm not on record.
    #[error(
        "host key not trusted yet: the host offered {algorithm} {got}, which is not on record"
    )]
    HostKeyUnknown {
        /// Algorithm presented.
        algorithm: String,
        /// Fingerprint presented.
        got: String,
    },
    /// The server refused every offered credential.
    #[error("authentication failed for user {0:?}")]
    AuthFailed(String),
    /// The credential cannot be used (e.g. an unreadable key).
    #[error("unusable credential: {0}")]
    BadCredential(String),
    /// The protocol failed.
    #[error("SSH error: {0}")]
    Protocol(String),
}

impl From<russh::Error> for SshError {
    fn from(e: russh::Error) -> Self {
        SshError::Protocol(e.to_string())
    }
}

/// A key as recorded: `algorithm base64` (authorized_keys format, no comment) and its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKey {
    /// e.g. `ssh-ed25519`.
    pub algorithm: String,
    /// `algorithm base64`.
    pub openssh: String,
    /// `SHA256:…`.
    pub fingerprint: String,
}

impl HostKey {
    fn from_public(key: &PublicKey) -> Self {
        let mut k = key.clone();
        k.set_comment("");
        Self {
            algorithm: key.algorithm().as_str().to_owned(),
            openssh: k
                .to_openssh()
                .map(|s| s.trim().to_owned())
                .unwrap_or_default(),
            fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        }
    }

    /// Parses a recorded key.
    pub fn parse(openssh: &str) -> Result<Self, SshError> {
        PublicKey::from_openssh(openssh.trim())
            .map(|k| Self::from_public(&k))
            .map_err(|_| SshError::Protocol("the recorded host key is unreadable".into()))
    }
}

/// A public key to put in `authorized_keys`: `type base64 [comment]`, checked and normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizedKey {
    /// The normalized line (no options).
    pub line: String,
    /// `SHA256:…`.
    pub fingerprint: String,
}

impl AuthorizedKey {
    /// Parses one OpenSSH public key line; options and anything else are refused.
    pub fn parse(text: &str) -> Result<Self, SshError> {
        let text = text.trim();
        if text.contains('\n') || text.contains('\r') {
            return Err(SshError::BadCredential(
                "give exactly one public key line".into(),
            ));
        }
        let key = PublicKey::from_openssh(text).map_err(|_| {
            SshError::BadCredential(
                "not an OpenSSH public key (expected \"ssh-ed25519 AAAA… comment\")".into(),
            )
        })?;
        let mut k = key.clone();
        let comment: String = key
            .comment()
            .to_string()
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        k.set_comment(comment.trim());
        let line = k
            .to_openssh()
            .map_err(|_| SshError::BadCredential("the key cannot be encoded".into()))?;
        Ok(Self {
            line: line.trim().to_owned(),
            fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        })
    }
}

/// What to log in with. `Debug` hides everything but the user name.
#[derive(Default)]
pub struct Credentials {
    /// The remote user.
    pub username: String,
    /// A password, if any.
    pub password: Option<Zeroizing<String>>,
    /// An OpenSSH/PEM private key, if any.
    pub private_key: Option<Zeroizing<String>>,
    /// The key's passphrase.
    pub passphrase: Option<Zeroizing<String>>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("private_key", &self.private_key.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Per-stage time limits.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// TCP connect (including DNS).
    pub connect: Duration,
    /// Up to the server's host key.
    pub handshake: Duration,
    /// Authentication.
    pub auth: Duration,
}

impl Timeouts {
    /// The same limit for every stage.
    pub fn all(d: Duration) -> Self {
        Self {
            connect: d,
            handshake: d,
            auth: d,
        }
    }
}

struct Client {
    known: Option<PublicKey>,
    seen: Option<oneshot::Sender<PublicKey>>,
}

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let key = match key {
            PublicKeyOrCertificate::PublicKey { key, .. } => key.clone(),
            PublicKeyOrCertificate::Certificate(cert) => PublicKey::from(cert.public_key().clone()),
        };
        let ok = match &self.known {
            None => true,
            Some(known) => known.key_data() == key.key_data(),
        };
        if let Some(tx) = self.seen.take() {
            let _ = tx.send(key);
        }
        Ok(ok)
    }
}

/// An SSH connection past the host-key check.
pub struct Session {
    handle: Handle<Client>,
    host_key: HostKey,
    first_use: bool,
    peer: Option<std::net::SocketAddr>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("host_key", &self.host_key)
            .finish_non_exhaustive()
    }
}

fn config(legacy: bool) -> Arc<client::Config> {
    let mut preferred = russh::Preferred::default();
    if legacy {
        // Old devices (switches, appliances, ancient distributions) only speak SHA-1 key exchanges,
        // CBC ciphers and SHA-1 MACs. Offered after the modern ones, and only for hosts marked so.
        let mut kex: Vec<russh::kex::Name> = preferred
            .kex
            .iter()
            .filter(|k| {
                !k.as_ref().starts_with("ext-info") && !k.as_ref().starts_with("kex-strict")
            })
            .cloned()
            .collect();
        kex.extend([
            russh::kex::ECDH_SHA2_NISTP256,
            russh::kex::DH_G14_SHA1,
            russh::kex::DH_GEX_SHA1,
            russh::kex::DH_G1_SHA1,
        ]);
        kex.extend(
            preferred
                .kex
                .iter()
                .filter(|k| {
                    k.as_ref().starts_with("ext-info") || k.as_ref().starts_with("kex-strict")
                })
                .cloned(),
        );
        preferred.kex = kex.into();
        let mut cipher = preferred.cipher.to_vec();
        cipher.extend([russh::cipher::AES_128_CBC, russh::cipher::AES_256_CBC]);
        preferred.cipher = cipher.into();
        let mut mac = preferred.mac.to_vec();
        mac.extend([russh::mac::HMAC_SHA1_ETM, russh::mac::HMAC_SHA1]);
        preferred.mac = mac.into();
    }
    Arc::new(client::Config {
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 3,
        nodelay: true,
        preferred,
        ..Default::default()
    })
}

/// Dials `address:port` through the policy and completes the key exchange up to the host key.
/// With `known` set, a different key is refused (changed key of the same algorithm, or a key of
/// another algorithm); with none, the key is accepted and [`Session::is_first_use`] is true.
pub async fn connect(
    policy: &TargetPolicy,
    address: &HostAddress,
    port: u16,
    known: Option<&str>,
    timeouts: Timeouts,
) -> Result<Session, SshError> {
    connect_with(policy, address, port, known, timeouts, false).await
}

/// [`connect`], optionally also offering legacy algorithms (SHA-1 key exchanges, CBC ciphers,
/// SHA-1 MACs) for old devices; off unless a host is marked for it.
pub async fn connect_with(
    policy: &TargetPolicy,
    address: &HostAddress,
    port: u16,
    known: Option<&str>,
    timeouts: Timeouts,
    legacy: bool,
) -> Result<Session, SshError> {
    let known_key = known
        .map(|k| {
            PublicKey::from_openssh(k.trim())
                .map_err(|_| SshError::Protocol("the recorded host key is unreadable".into()))
        })
        .transpose()?;
    let (stream, _) = itmgr_net::dial(policy, address, port, timeouts.connect).await?;
    let peer = stream.peer_addr().ok();
    let (tx, mut rx) = oneshot::channel();
    let client = Client {
        known: known_key.clone(),
        seen: Some(tx),
    };
    let handshake = async {
        // A refused key can fail `connect_stream` itself; the key seen is reported either way.
        let handle = client::connect_stream(config(legacy), stream, client).await;
        let key = match &handle {
            Ok(_) => (&mut rx).await.ok(),
            Err(_) => rx.try_recv().ok(),
        };
        (handle, key)
    };
    let (handle, key) = tokio::time::timeout(timeouts.handshake, handshake)
        .await
        .map_err(|_| SshError::Timeout("handshake", timeouts.handshake))?;
    let Some(key) = key else {
        return Err(match handle {
            Err(e) => e.into(),
            Ok(_) => {
                SshError::Protocol("the server closed the connection during the handshake".into())
            }
        });
    };
    let seen = HostKey::from_public(&key);
    if let Some(known) = known_key {
        if known.key_data() != key.key_data() {
            let expected = HostKey::from_public(&known);
            return Err(if expected.algorithm == seen.algorithm {
                SshError::HostKeyChanged {
                    expected: expected.fingerprint,
                    got: seen.fingerprint,
                }
            } else {
                SshError::HostKeyUnknown {
                    algorithm: seen.algorithm,
                    got: seen.fingerprint,
                }
            });
        }
    }
    let handle = handle?;
    Ok(Session {
        handle,
        host_key: seen,
        first_use: known.is_none(),
        peer,
    })
}

impl Session {
    /// The key the server presented.
    pub fn host_key(&self) -> &HostKey {
        &self.host_key
    }

    /// The address actually connected to (after resolution and the policy check).
    pub fn peer_addr(&self) -> Option<std::net::SocketAddr> {
        self.peer
    }

    /// Whether no key was on record (trust on first use: the caller records it or asks).
    pub fn is_first_use(&self) -> bool {
        self.first_use
    }

    /// Logs in: the private key first when there is one, then the password. A server that wants
    /// keyboard-interactive answers (MFA, or a password it only takes that way) is a failure here:
    /// those prompts are for a person, see [`Session::login`].
    pub async fn authenticate(
        &mut self,
        creds: &Credentials,
        timeout: Duration,
    ) -> Result<(), SshError> {
        match self.login(creds, timeout).await? {
            Login::Done(_) => Ok(()),
            Login::KeyboardInteractive { .. } => Err(SshError::AuthFailed(creds.username.clone())),
        }
    }

    /// Logs in with the credential (key first, then password); when the server then asks for
    /// keyboard-interactive authentication, says so instead of failing, so the caller can forward
    /// the prompts to the user ([`Session::kbd_start`]). Prompts are never auto-answered.
    pub async fn login(
        &mut self,
        creds: &Credentials,
        timeout: Duration,
    ) -> Result<Login, SshError> {
        tokio::time::timeout(timeout, self.login_inner(creds))
            .await
            .map_err(|_| SshError::Timeout("authentication", timeout))?
    }

    async fn login_inner(&mut self, creds: &Credentials) -> Result<Login, SshError> {
        if creds.private_key.is_none() && creds.password.is_none() {
            return Err(SshError::BadCredential(
                "the credential has neither a password nor a key".into(),
            ));
        }
        let mut outcome = None;
        let mut accepted = None;
        if let Some(text) = &creds.private_key {
            let key =
                itmgr_vault::sshkey::decode(text, creds.passphrase.as_deref().map(|p| p.as_str()))
                    .map_err(|_| {
                        SshError::BadCredential(
                            "the private key cannot be read (wrong passphrase?)".into(),
                        )
                    })?;
            // RSA keys sign with the SHA-2 variant the server advertises (ssh-rsa/SHA-1 is refused
            // by current OpenSSH); other algorithms ignore the hash choice.
            let hash = if key.algorithm().is_rsa() {
                self.handle.best_supported_rsa_hash().await?.flatten()
            } else {
                None
            };
            let res = self
                .handle
                .authenticate_publickey(
                    creds.username.clone(),
                    PrivateKeyWithHashAlg::new(Arc::new(key), hash),
                )
                .await?;
            if res.success() {
                return Ok(Login::Done("publickey"));
            }
            if let AuthResult::Failure {
                partial_success: true,
                ..
            } = &res
            {
                accepted = Some("publickey");
            }
            outcome = Some(res);
        }
        if let Some(pw) = &creds.password {
            let res = self
                .handle
                .authenticate_password(creds.username.clone(), pw.as_str())
                .await?;
            if res.success() {
                return Ok(Login::Done("password"));
            }
            if let AuthResult::Failure {
                partial_success: true,
                ..
            } = &res
            {
                accepted = Some("password");
            }
            outcome = Some(res);
        }
        match outcome {
            Some(AuthResult::Failure {
                remaining_methods, ..
            }) if remaining_methods.contains(&MethodKind::KeyboardInteractive) => {
                Ok(Login::KeyboardInteractive { after: accepted })
            }
            _ => Err(SshError::AuthFailed(creds.username.clone())),
        }
    }

    /// Starts keyboard-interactive authentication for `user`.
    pub async fn kbd_start(&mut self, user: &str) -> Result<KbdStep, SshError> {
        let r = self
            .handle
            .authenticate_keyboard_interactive_start(user, None)
            .await?;
        Ok(KbdStep::from(r))
    }

    /// Answers the prompts of the last [`KbdStep::Prompts`], in order.
    pub async fn kbd_respond(
        &mut self,
        answers: Vec<Zeroizing<String>>,
    ) -> Result<KbdStep, SshError> {
        // russh takes owned strings; the copies live only until they are encoded and sent.
        let plain = answers.iter().map(|a| a.as_str().to_owned()).collect();
        let r = self
            .handle
            .authenticate_keyboard_interactive_respond(plain)
            .await?;
        Ok(KbdStep::from(r))
    }

    /// Closes the connection politely, without waiting more than a second on a peer that has
    /// stopped answering.
    pub async fn close(self) {
        let _ = tokio::time::timeout(
            Duration::from_secs(1),
            self.handle.disconnect(Disconnect::ByApplication, "", "en"),
        )
        .await;
    }
}

/// The result of [`Session::login`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// Logged in with the named method (`publickey` or `password`).
    Done(&'static str),
    /// The server wants keyboard-interactive answers from a person, possibly `after` a method that
    /// already succeeded partially (e.g. a key, then a one-time code).
    KeyboardInteractive {
        /// The method that was accepted as a first factor, if any.
        after: Option<&'static str>,
    },
}

/// One prompt of a keyboard-interactive request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbdPrompt {
    /// The text to show, e.g. `Password: ` or `Verification code: `.
    pub prompt: String,
    /// Whether the answer may be echoed as it is typed.
    pub echo: bool,
}

/// A step of keyboard-interactive authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KbdStep {
    /// Logged in.
    Success,
    /// Refused; `more` when the answers were accepted but the server wants another round.
    Failure {
        /// Partial success with keyboard-interactive still possible.
        more: bool,
    },
    /// The server asks; answer with [`Session::kbd_respond`] (an empty list of prompts is valid
    /// and is answered with no answers).
    Prompts {
        /// The request's name (often empty).
        name: String,
        /// Instructions to show (often empty).
        instructions: String,
        /// The questions.
        prompts: Vec<KbdPrompt>,
    },
}

impl From<russh::client::KeyboardInteractiveAuthResponse> for KbdStep {
    fn from(r: russh::client::KeyboardInteractiveAuthResponse) -> Self {
        use russh::client::KeyboardInteractiveAuthResponse as R;
        match r {
            R::Success => KbdStep::Success,
            R::Failure {
                remaining_methods,
                partial_success,
            } => KbdStep::Failure {
                more: partial_success
                    && remaining_methods.contains(&MethodKind::KeyboardInteractive),
            },
            R::InfoRequest {
                name,
                instructions,
                prompts,
            } => KbdStep::Prompts {
                name,
                instructions,
                prompts: prompts
                    .into_iter()
                    .map(|p| KbdPrompt {
                        prompt: p.prompt,
                        echo: p.echo,
                    })
                    .collect(),
            },
        }
    }
}

/// What an interactive shell produces.
#[derive(Debug)]
pub enum ShellEvent {
    /// Terminal output (stdout and stderr are one stream on a PTY).
    Output(Vec<u8>),
    /// The remote command exited.
    Exit(u32),
    /// The channel closed.
    Closed,
}

/// The reading side of a shell.
pub struct ShellReader {
    rx: russh::ChannelReadHalf,
}

/// The writing side of a shell.
pub struct ShellWriter {
    tx: russh::ChannelWriteHalf<client::Msg>,
}

impl ShellReader {
    /// The next event; `Closed` once the channel is gone. Not calling this stops reading the
    /// channel, so the SSH window closes and the remote side is throttled (back-pressure).
    pub async fn next(&mut self) -> ShellEvent {
        loop {
            match self.rx.wait().await {
                None | Some(russh::ChannelMsg::Close) => return ShellEvent::Closed,
                Some(russh::ChannelMsg::Data { data }) => return ShellEvent::Output(data.to_vec()),
                Some(russh::ChannelMsg::ExtendedData { data, .. }) => {
                    return ShellEvent::Output(data.to_vec())
                }
                Some(russh::ChannelMsg::ExitStatus { exit_status }) => {
                    return ShellEvent::Exit(exit_status)
                }
                Some(_) => continue,
            }
        }
    }
}

impl ShellWriter {
    /// Sends keystrokes / pasted text.
    pub async fn write(&self, data: &[u8]) -> Result<(), SshError> {
        Ok(self.tx.data_bytes(data.to_vec()).await?)
    }

    /// Tells the remote side the terminal size changed.
    pub async fn resize(&self, cols: u32, rows: u32) -> Result<(), SshError> {
        Ok(self.tx.window_change(cols, rows, 0, 0).await?)
    }

    /// Ends the shell.
    pub async fn close(&self) {
        let _ = self.tx.eof().await;
        let _ = self.tx.close().await;
    }
}

/// Output of a command run with [`Session::exec`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExecOutput {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// `None` when the remote side sent no exit status (e.g. killed by a signal).
    pub exit_status: Option<u32>,
}

impl Session {
    /// Opens a login shell on a PTY of `cols` × `rows`.
    pub async fn shell(
        &self,
        term: &str,
        cols: u32,
        rows: u32,
    ) -> Result<(ShellReader, ShellWriter), SshError> {
        let channel = self.handle.channel_open_session().await?;
        channel
            .request_pty(true, term, cols, rows, 0, 0, &[])
            .await?;
        channel.request_shell(true).await?;
        let (rx, tx) = channel.split();
        Ok((ShellReader { rx }, ShellWriter { tx }))
    }

    /// Runs a command, feeding `stdin` (then EOF), and collects stdout and stderr apart and the exit
    /// status. Reads until the channel closes: output can arrive after the exit status.
    pub async fn exec(&self, command: &str, stdin: Option<&[u8]>) -> Result<ExecOutput, SshError> {
        let mut channel = self.handle.channel_open_session().await?;
        channel.exec(true, command).await?;
        if let Some(input) = stdin {
            channel.data_bytes(input.to_vec()).await?;
        }
        channel.eof().await?;
        let mut out = ExecOutput::default();
        while let Some(msg) = channel.wait().await {
            match msg {
                russh::ChannelMsg::Data { data } => out.stdout.extend_from_slice(&data),
                russh::ChannelMsg::ExtendedData { data, ext: 1 } => {
                    out.stderr.extend_from_slice(&data)
                }
                russh::ChannelMsg::ExitStatus { exit_status } => {
                    out.exit_status = Some(exit_status)
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Runs a command like [`Session::exec`], handing output to `out` as it arrives (`true` for
    /// stdout, `false` for stderr) instead of collecting it; returns the exit status. A slow
    /// receiver slows the reading (the SSH window closes), so memory stays bounded. To cancel, drop
    /// the future and close the session.
    pub async fn exec_streaming(
        &self,
        command: &str,
        stdin: Option<&[u8]>,
        out: &tokio::sync::mpsc::Sender<(bool, Vec<u8>)>,
    ) -> Result<Option<u32>, SshError> {
        let mut channel = self.handle.channel_open_session().await?;
        channel.exec(true, command).await?;
        if let Some(input) = stdin {
            channel.data_bytes(input.to_vec()).await?;
        }
        channel.eof().await?;
        let mut status = None;
        while let Some(msg) = channel.wait().await {
            match msg {
                russh::ChannelMsg::Data { data } => {
                    let _ = out.send((true, data.to_vec())).await;
                }
                russh::ChannelMsg::ExtendedData { data, ext: 1 } => {
                    let _ = out.send((false, data.to_vec())).await;
                }
                russh::ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
                _ => {}
            }
        }
        Ok(status)
    }

    /// A round trip to the server (keep-alive), for the latency shown in the terminal.
    pub async fn ping(&self) -> Result<Duration, SshError> {
        let t = std::time::Instant::now();
        self.handle.send_ping().await?;
        Ok(t.elapsed())
    }
}
