//! Network reachability for IT Manager: every outbound connection to an inventory host goes
//! through [`resolve`], which checks the target policy against the address as written *and*
//! against every IP it resolves to at that moment (so DNS rebinding cannot point a harmless
//! name at a metadata service), then [`dial`] or [`ping`].

use itmgr_domain::{HostAddress, TargetDenied, TargetPolicy};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

mod icmp;

pub use icmp::ping;

/// Why a probe failed; every message is safe to show to a user.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// The target policy refused the address.
    #[error("{0}")]
    Denied(#[from] TargetDenied),
    /// The name did not resolve.
    #[error("{name} does not resolve: {reason}")]
    Resolve {
        /// The name.
        name: String,
        /// The resolver's reason.
        reason: String,
    },
    /// Nothing answered in time.
    #[error("no answer from {0} within {1:?}")]
    Timeout(String, Duration),
    /// The connection was refused or failed.
    #[error("cannot connect to {addr}: {reason}")]
    Connect {
        /// Where to.
        addr: SocketAddr,
        /// The OS's reason.
        reason: String,
    },
    /// ICMP echo cannot be used on this machine.
    #[error("ping is unavailable here: {0}; use the tcp check method instead")]
    PingUnavailable(String),
}

/// Resolves `address` and checks the result against `policy`. Returns the socket addresses to
/// try, in resolver order.
pub async fn resolve(
    policy: &TargetPolicy,
    address: &HostAddress,
    port: u16,
) -> Result<Vec<SocketAddr>, NetError> {
    policy.check_address(address, port)?;
    let addrs: Vec<SocketAddr> = match address {
        HostAddress::Ip(ip) => vec![SocketAddr::new(*ip, port)],
        HostAddress::Dns(name) => tokio::net::lookup_host((name.as_str(), port))
            .await
            .map_err(|e| NetError::Resolve {
                name: name.clone(),
                reason: e.to_string(),
            })?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(NetError::Resolve {
            name: address.to_string(),
            reason: "no addresses".into(),
        });
    }
    let ips: Vec<IpAddr> = addrs.iter().map(SocketAddr::ip).collect();
    policy.check_resolved(address, &ips, port)?;
    Ok(addrs)
}

/// Connects over TCP (policy-checked) within `timeout`, trying each resolved address; returns the
/// stream and the time the connect took. Nagle is off: interactive SSH wants small writes out now.
pub async fn dial(
    policy: &TargetPolicy,
    address: &HostAddress,
    port: u16,
    timeout: Duration,
) -> Result<(TcpStream, Duration), NetError> {
    let deadline = Instant::now() + timeout;
    let addrs = tokio::time::timeout(timeout, resolve(policy, address, port))
        .await
        .map_err(|_| NetError::Timeout(address.to_string(), timeout))??;
    let mut last = None;
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let start = Instant::now();
        match tokio::time::timeout(left, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                return Ok((stream, start.elapsed()));
            }
            Ok(Err(e)) => {
                last = Some(NetError::Connect {
                    addr,
                    reason: e.to_string(),
                })
            }
            Err(_) => last = Some(NetError::Timeout(addr.to_string(), timeout)),
        }
    }
    Err(last.unwrap_or_else(|| NetError::Timeout(address.to_string(), timeout)))
}

/// The `tcp` check: connect and close. Returns the connect time.
pub async fn tcp_check(
    policy: &TargetPolicy,
    address: &HostAddress,
    port: u16,
    timeout: Duration,
) -> Result<Duration, NetError> {
    let (stream, took) = dial(policy, address, port, timeout).await?;
    drop(stream);
    Ok(took)
}

#[cfg(test)]
mod tests {
    use super::*;
    use itmgr_domain::DEFAULT_DENY;

    fn policy() -> TargetPolicy {
        let deny: Vec<String> = DEFAULT_DENY.iter().map(|s| s.to_string()).collect();
        TargetPolicy::new(&[], &deny).unwrap()
    }

    #[tokio::test]
    async fn tcp_check_connects_to_a_listener_and_fails_on_a_closed_port() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        let addr = HostAddress::parse("127.0.0.1").unwrap();
        let t = Duration::from_secs(2);
        assert!(tcp_check(&policy(), &addr, port, t).await.is_ok());
        drop(l);
        let err = tcp_check(&policy(), &addr, port, t).await.unwrap_err();
        assert!(matches!(err, NetError::Connect { .. }), "{err}");
    }

    #[tokio::test]
    async fn denied_targets_are_never_dialled() {
        let addr = HostAddress::parse("169.254.169.254").unwrap();
        let err = tcp_check(&policy(), &addr, 80, Duration::from_secs(1))
            .await
            .unwrap_err();
        assert!(matches!(err, NetError::Denied(_)), "{err}");
        // A name that resolves to a denied IP is caught after resolution.
        let local = TargetPolicy::new(&[], &["127.0.0.0/8".into()]).unwrap();
        let err = tcp_check(
            &local,
            &HostAddress::parse("localhost").unwrap(),
            22,
            Duration::from_secs(1),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, NetError::Denied(_)), "{err}");
    }
}
