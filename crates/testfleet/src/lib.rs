//! A fleet of real OpenSSH `sshd` processes on loopback (127.0.0.x, free ports), each with its own
//! host key, accepting one test user by password and by ed25519 or RSA key.
//!
//! Every sshd is a child of the test process and is killed when its [`Fleet`] drops (also when a
//! test panics). A test process killed outright cannot run destructors, so each fleet records its
//! pids under `/tmp/itmgr-testfleet/<owner pid>/`, and the next fleet started on the machine kills
//! what dead owners left behind.

use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

/// The login the fleet accepts.
pub const USER: &str = "itmgrtest";
/// Its password.
pub const PASSWORD: &str = "itmgr-Fleet-pass-7";
/// The passphrase of [`ClientKeys::encrypted`].
pub const KEY_PASSPHRASE: &str = "fleet key passphrase";
const SSHD: &str = "/usr/sbin/sshd";
const REGISTRY: &str = "/tmp/itmgr-testfleet";

/// Client key pairs the fleet's user accepts, plus one it does not.
pub struct ClientKeys {
    /// OpenSSH ed25519 private key.
    pub ed25519: String,
    /// OpenSSH RSA (3072-bit) private key.
    pub rsa: String,
    /// OpenSSH ECDSA P-256 private key.
    pub ecdsa: String,
    /// An ed25519 key encrypted with [`KEY_PASSPHRASE`].
    pub encrypted: String,
    /// A valid ed25519 key that is not authorised.
    pub stranger: String,
    authorized: String,
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("testfleet: cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "testfleet: {what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn keygen(dir: &Path, name: &str, args: &[&str]) -> (String, String) {
    keygen_with(dir, name, args, "")
}

fn keygen_with(dir: &Path, name: &str, args: &[&str], passphrase: &str) -> (String, String) {
    let path = dir.join(name);
    run(
        Command::new("ssh-keygen")
            .args(args)
            .args(["-q", "-N", passphrase, "-C", name, "-f"])
            .arg(&path),
        "ssh-keygen",
    );
    let private = fs::read_to_string(&path).expect("read generated key");
    let public = fs::read_to_string(path.with_extension("pub")).expect("read public key");
    (private, public)
}

/// The process-wide client keys (RSA generation is slow; do it once).
pub fn client_keys() -> &'static ClientKeys {
    static KEYS: OnceLock<ClientKeys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let (ed25519, ed_pub) = keygen(dir.path(), "fleet_ed25519", &["-t", "ed25519"]);
        let (rsa, rsa_pub) = keygen(dir.path(), "fleet_rsa", &["-t", "rsa", "-b", "3072"]);
        let (ecdsa, ecdsa_pub) = keygen(dir.path(), "fleet_ecdsa", &["-t", "ecdsa", "-b", "256"]);
        let (encrypted, enc_pub) = keygen_with(
            dir.path(),
            "fleet_encrypted",
            &["-t", "ed25519"],
            KEY_PASSPHRASE,
        );
        let (stranger, _) = keygen(dir.path(), "stranger", &["-t", "ed25519"]);
        ClientKeys {
            ed25519,
            rsa,
            ecdsa,
            encrypted,
            stranger,
            authorized: format!("{ed_pub}{rsa_pub}{ecdsa_pub}{enc_pub}"),
        }
    })
}

/// Checks that sshd exists and the test user can log in by password; as root, creates the user.
/// Panics with what to install otherwise.
pub fn ensure_prerequisites() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        assert!(
            Path::new(SSHD).exists(),
            "testfleet: {SSHD} is missing; install it with: sudo apt-get install -y openssh-server \
             (`make test` does this when it runs as root)"
        );
        let exists = Command::new("id")
            .arg(USER)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let root = run(Command::new("id").arg("-u"), "id -u").trim() == "0";
        if !exists {
            assert!(
                root,
                "testfleet: the test user {USER} does not exist; run the tests as root once, or: \
                 sudo useradd -m -s /bin/sh {USER} && echo '{USER}:{PASSWORD}' | sudo chpasswd"
            );
            run(
                Command::new("useradd").args(["-m", "-s", "/bin/sh", USER]),
                "useradd",
            );
        }
        if root {
            let mut child = Command::new("chpasswd")
                .stdin(Stdio::piped())
                .spawn()
                .expect("chpasswd");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(format!("{USER}:{PASSWORD}\n").as_bytes())
                .expect("chpasswd stdin");
            assert!(child.wait().expect("chpasswd").success(), "chpasswd failed");
            // The test user may use sudo with its password (become-password tests).
            if Path::new("/etc/sudoers.d").is_dir() {
                let _ = fs::write(
                    format!("/etc/sudoers.d/{USER}"),
                    format!("{USER} ALL=(ALL:ALL) ALL\n"),
                );
            }
            // sshd's privilege separation directory.
            let _ = fs::create_dir_all("/run/sshd");
        }
        reap_orphans();
    });
}

fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Kills sshd processes registered by test processes that no longer exist.
fn reap_orphans() {
    let Ok(owners) = fs::read_dir(REGISTRY) else {
        return;
    };
    for owner in owners.flatten() {
        let Some(owner_pid) = owner
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid_alive(owner_pid) {
            continue;
        }
        for f in fs::read_dir(owner.path()).into_iter().flatten().flatten() {
            if let Some(pid) = fs::read_to_string(f.path())
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok())
            {
                let _ = Command::new("kill").arg(pid.to_string()).status();
            }
        }
        let _ = fs::remove_dir_all(owner.path());
    }
}

/// One sshd.
pub struct SshHost {
    /// Loopback address it listens on.
    pub ip: Ipv4Addr,
    /// Its port.
    pub port: u16,
    /// Its host public key (`ssh-ed25519 AAAA…`, no comment).
    pub host_key: String,
    dir: PathBuf,
    child: Option<Child>,
}

impl SshHost {
    /// `ip:port`.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((self.ip, self.port))
    }

    /// Whether sshd is running.
    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// Stops sshd (the port then refuses connections).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
            let _ = fs::remove_file(registry_file(c.id()));
        }
    }

    /// Starts sshd again on the same address, port and host key.
    pub fn start(&mut self) {
        if self.child.is_none() {
            self.child = Some(spawn_sshd(&self.dir, self.addr()));
        }
    }
}

impl Drop for SshHost {
    fn drop(&mut self) {
        self.stop();
    }
}

fn registry_file(pid: u32) -> PathBuf {
    Path::new(REGISTRY)
        .join(std::process::id().to_string())
        .join(pid.to_string())
}

fn spawn_sshd(dir: &Path, addr: SocketAddr) -> Child {
    let child = Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(dir.join("sshd_config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(
            fs::File::create(dir.join("sshd.log")).expect("sshd log"),
        ))
        .spawn()
        .expect("spawn sshd");
    let reg = registry_file(child.id());
    fs::create_dir_all(reg.parent().expect("parent")).expect("registry dir");
    fs::write(&reg, child.id().to_string()).expect("registry file");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            // Wait for the banner: the port can accept before sshd is ready to talk.
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut b = [0u8; 4];
            if s.read_exact(&mut b).is_ok() && &b == b"SSH-" {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "testfleet: sshd on {addr} did not start: {}",
            fs::read_to_string(dir.join("sshd.log")).unwrap_or_default()
        );
        thread::sleep(Duration::from_millis(20));
    }
    child
}

/// A set of sshd hosts; dropping it stops them all.
pub struct Fleet {
    /// The hosts, in start order.
    pub hosts: Vec<SshHost>,
    _dir: tempfile::TempDir,
}

static NEXT_IP: AtomicU32 = AtomicU32::new(0);

/// A loopback address of its own for each host, so hosts are distinct machines to a client
/// (127.0.0.1 is left for the product itself).
fn next_ip() -> Ipv4Addr {
    let n = NEXT_IP.fetch_add(1, Ordering::Relaxed);
    let pid = std::process::id();
    // Spread processes over the second octet so parallel test binaries rarely share addresses.
    Ipv4Addr::new(
        127,
        10 + (pid % 200) as u8,
        1 + (n / 250) as u8 % 250,
        1 + (n % 250) as u8,
    )
}

fn free_port(ip: Ipv4Addr) -> u16 {
    TcpListener::bind((ip, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl Fleet {
    /// Starts `n` sshd hosts.
    pub fn start(n: usize) -> Fleet {
        Self::start_with(n, "")
    }

    /// Starts `n` sshd hosts with extra `sshd_config` lines (e.g. old algorithms only), which take
    /// precedence over the defaults.
    pub fn start_with(n: usize, extra_config: &str) -> Fleet {
        ensure_prerequisites();
        let keys = client_keys();
        let dir = tempfile::Builder::new()
            .prefix("itmgr-fleet-")
            .tempdir()
            .expect("tempdir");
        let mut hosts = Vec::with_capacity(n);
        for i in 0..n {
            let hdir = dir.path().join(format!("h{i}"));
            fs::create_dir_all(&hdir).expect("host dir");
            let (_, host_pub) = keygen(&hdir, "ssh_host_ed25519_key", &["-t", "ed25519"]);
            let host_key = host_pub
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ");
            fs::write(hdir.join("authorized_keys"), &keys.authorized).expect("authorized_keys");
            let ip = next_ip();
            let port = free_port(ip);
            // sshd keeps the first value of each keyword: the extra lines come first to override.
            let config = format!(
                "{extra_config}\n\
                 ListenAddress {ip}:{port}\n\
                 HostKey {hd}/ssh_host_ed25519_key\n\
                 PidFile none\n\
                 AuthorizedKeysFile {hd}/authorized_keys .ssh/authorized_keys\n\
                 StrictModes no\n\
                 UsePAM no\n\
                 PasswordAuthentication yes\n\
                 KbdInteractiveAuthentication no\n\
                 PubkeyAuthentication yes\n\
                 PermitRootLogin no\n\
                 AllowUsers {USER}\n\
                 UseDNS no\n\
                 MaxStartups 1000:30:1000\n\
                 MaxAuthTries 10\n\
                 LogLevel ERROR\n\
                 Subsystem sftp internal-sftp\n",
                hd = hdir.display()
            );
            fs::write(hdir.join("sshd_config"), config).expect("sshd_config");
            let addr = SocketAddr::from((ip, port));
            let child = spawn_sshd(&hdir, addr);
            hosts.push(SshHost {
                ip,
                port,
                host_key,
                dir: hdir,
                child: Some(child),
            });
        }
        Fleet { hosts, _dir: dir }
    }
}

/// `sshd_config` lines for a host that wants a key and then keyboard-interactive answers (the
/// system's PAM asks for the account password: [`PASSWORD`]), as an MFA set-up does.
pub const KEY_THEN_KBD_INTERACTIVE: &str = "UsePAM yes\n\
     KbdInteractiveAuthentication yes\n\
     AuthenticationMethods publickey,keyboard-interactive\n";

/// A TCP listener that accepts connections and never says a word (an SSH check times out on it).
pub struct Silent {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Silent {
    /// Starts one on a fresh loopback address.
    pub fn start() -> Silent {
        let ip = next_ip();
        let listener = TcpListener::bind((ip, 0)).expect("bind");
        let addr = listener.local_addr().expect("addr");
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        thread::spawn(move || {
            let mut held = Vec::new();
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((s, _)) => held.push(s),
                    Err(_) => thread::sleep(Duration::from_millis(20)),
                }
            }
        });
        Silent { addr, stop }
    }
}

impl Drop for Silent {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A loopback address and port where nothing listens (connections are refused).
pub fn closed_port() -> SocketAddr {
    let ip = next_ip();
    SocketAddr::from((ip, free_port(ip)))
}
