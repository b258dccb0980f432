//! Starts N test sshd hosts and keeps them up for manual experiments (e.g. comparing
//! `ansible-playbook` settings against IT Manager's): writes an INI inventory, the client key and
//! a known_hosts file into the given directory, prints `ready`, then sleeps for an hour.
//!
//! `cargo run -p itmgr-testfleet --example fleet -- 40 /tmp/fleet` (as root: the test user).

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let out = std::path::PathBuf::from(std::env::args().nth(2).unwrap_or("/tmp/fx/out".into()));
    std::fs::create_dir_all(&out).unwrap();
    let fleet = itmgr_testfleet::Fleet::start(n);
    let keys = itmgr_testfleet::client_keys();
    std::fs::write(out.join("key"), &keys.ed25519).unwrap();
    let mut inv = String::from("[all]\n");
    let mut kh = String::new();
    for (i, h) in fleet.hosts.iter().enumerate() {
        inv.push_str(&format!(
            "h{i:03} ansible_host={} ansible_port={} ansible_user={}\n",
            h.ip,
            h.port,
            itmgr_testfleet::USER
        ));
        kh.push_str(&format!("[{}]:{} {}\n", h.ip, h.port, h.host_key.trim()));
    }
    std::fs::write(out.join("inv.ini"), inv).unwrap();
    std::fs::write(out.join("known_hosts"), kh).unwrap();
    println!("ready");
    std::thread::sleep(std::time::Duration::from_secs(3600));
}
