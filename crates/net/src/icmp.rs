//! ICMP echo. Prefers unprivileged datagram ICMP sockets (Linux `net.ipv4.ping_group_range`), falls
//! back to a raw socket when the process has `CAP_NET_RAW`, and otherwise says plainly that ping is
//! unavailable rather than pretending the host is down.

use crate::{resolve, NetError};
use itmgr_domain::{HostAddress, TargetPolicy};
use socket2::{Domain, Protocol, Socket, Type};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::net::UdpSocket;

const ECHO_V4: u8 = 8;
const REPLY_V4: u8 = 0;
const ECHO_V6: u8 = 128;
const REPLY_V6: u8 = 129;

fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for chunk in data.chunks(2) {
        let word = u16::from_be_bytes([chunk[0], *chunk.get(1).unwrap_or(&0)]);
        sum = sum.wrapping_add(u32::from(word));
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn open(ip: IpAddr) -> Result<(UdpSocket, bool), NetError> {
    let (domain, proto) = match ip {
        IpAddr::V4(_) => (Domain::IPV4, Protocol::ICMPV4),
        IpAddr::V6(_) => (Domain::IPV6, Protocol::ICMPV6),
    };
    let (sock, raw) = match Socket::new(domain, Type::DGRAM, Some(proto)) {
        Ok(s) => (s, false),
        Err(dgram) => match Socket::new(domain, Type::RAW, Some(proto)) {
            Ok(s) => (s, true),
            Err(_) => {
                return Err(NetError::PingUnavailable(format!(
                    "unprivileged ICMP sockets are not permitted ({dgram}; see sysctl \
                     net.ipv4.ping_group_range) and raw sockets need CAP_NET_RAW"
                )))
            }
        },
    };
    let wrap = |e: io::Error| NetError::PingUnavailable(e.to_string());
    sock.set_nonblocking(true).map_err(wrap)?;
    let std: std::net::UdpSocket = sock.into();
    Ok((UdpSocket::from_std(std).map_err(wrap)?, raw))
}

/// Sends one ICMP echo to the (policy-checked) address and waits for the reply within `timeout`;
/// returns the round-trip time.
pub async fn ping(
    policy: &TargetPolicy,
    address: &HostAddress,
    timeout: Duration,
) -> Result<Duration, NetError> {
    // Port 0: ICMP has none; the product's own socket check cannot match it.
    let addrs = tokio::time::timeout(timeout, resolve(policy, address, 0))
        .await
        .map_err(|_| NetError::Timeout(address.to_string(), timeout))??;
    let ip = addrs[0].ip();
    let (sock, raw) = open(ip)?;
    let connect_err = |e: io::Error| NetError::Connect {
        addr: SocketAddr::new(ip, 0),
        reason: e.to_string(),
    };
    sock.connect(SocketAddr::new(ip, 0))
        .await
        .map_err(connect_err)?;
    let ident: u16 = rand::random();
    let seq: u16 = rand::random();
    let (echo, reply) = if ip.is_ipv4() {
        (ECHO_V4, REPLY_V4)
    } else {
        (ECHO_V6, REPLY_V6)
    };
    let mut pkt = vec![echo, 0, 0, 0];
    pkt.extend_from_slice(&ident.to_be_bytes());
    pkt.extend_from_slice(&seq.to_be_bytes());
    pkt.extend_from_slice(b"itmgr-ping-0123456789abcdef");
    // The kernel computes ICMPv6 checksums itself; ICMPv4 needs ours on raw sockets.
    if ip.is_ipv4() {
        let c = checksum(&pkt);
        pkt[2..4].copy_from_slice(&c.to_be_bytes());
    }
    let start = Instant::now();
    sock.send(&pkt).await.map_err(connect_err)?;
    let wait = async {
        let mut buf = [0u8; 1500];
        loop {
            let n = sock.recv(&mut buf).await?;
            let mut msg = &buf[..n];
            // Raw IPv4 sockets deliver the IP header too.
            if raw && ip.is_ipv4() && !msg.is_empty() {
                let ihl = usize::from(msg[0] & 0x0f) * 4;
                msg = msg.get(ihl..).unwrap_or_default();
            }
            if msg.len() < 8 || msg[0] != reply {
                continue;
            }
            let got_seq = u16::from_be_bytes([msg[6], msg[7]]);
            let got_id = u16::from_be_bytes([msg[4], msg[5]]);
            // Datagram sockets get their identifier rewritten and filtered by the kernel.
            if got_seq == seq && (!raw || got_id == ident) {
                return Ok::<_, io::Error>(start.elapsed());
            }
        }
    };
    match tokio::time::timeout(timeout, wait).await {
        Ok(Ok(rtt)) => Ok(rtt),
        Ok(Err(e)) => Err(connect_err(e)),
        Err(_) => Err(NetError::Timeout(ip.to_string(), timeout)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_the_rfc_1071_example() {
        // Words 0x0001 0xf203 0xf4f5 0xf6f7 sum to 0xddf2 after folding; the checksum is its complement.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(checksum(&data), !0xddf2);
    }

    #[tokio::test]
    async fn ping_answers_on_loopback_or_says_why_it_cannot() {
        let policy = TargetPolicy::default();
        let addr = HostAddress::parse("127.0.0.1").unwrap();
        match ping(&policy, &addr, Duration::from_secs(2)).await {
            Ok(rtt) => assert!(rtt < Duration::from_secs(2)),
            Err(NetError::PingUnavailable(msg)) => assert!(msg.contains("ping_group_range")),
            Err(e) => panic!("loopback ping failed: {e}"),
        }
    }
}
