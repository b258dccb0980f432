//! The target policy: which addresses the product may connect to (an SSRF guard).
//!
//! Checked twice: on the address as saved, and on every IP the name resolves to when a connection
//! is made, because DNS can change between the two (rebinding).

use crate::hosts::HostAddress;
use crate::ValueError;
use std::fmt;
use std::net::{IpAddr, SocketAddr};

/// An IP network in CIDR notation (`10.0.0.0/8`, `fe80::/10`); a bare IP is a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `ip/prefix` or a bare IP.
    pub fn parse(raw: &str) -> Option<Self> {
        let (ip, prefix) = match raw.split_once('/') {
            Some((ip, p)) => (ip.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (raw.parse::<IpAddr>().ok()?, None),
        };
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        if prefix > max {
            return None;
        }
        Some(Self {
            network: mask(ip, prefix),
            prefix,
        })
    }

    /// Whether `ip` is inside the network (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        ip.is_ipv4() == self.network.is_ipv4() && mask(ip, self.prefix) == self.network
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let m = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - prefix)
            };
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let m = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - prefix)
            };
            IpAddr::V6((bits & m).into())
        }
    }
}

/// One entry of an allow or deny list: a network, or a host name pattern (`db.example.com`, or
/// `*.example.com` for every name below it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TargetRule {
    /// An IP network.
    Net(Cidr),
    /// A DNS name or `*.suffix` pattern, lower-case.
    Name(String),
}

impl TargetRule {
    /// Parses an entry; the error names it.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim().to_ascii_lowercase();
        if let Some(c) = Cidr::parse(&s) {
            return Ok(Self::Net(c));
        }
        let bare = s.strip_prefix("*.").unwrap_or(&s);
        match HostAddress::parse(bare) {
            Ok(HostAddress::Dns(_)) => Ok(Self::Name(s)),
            _ => Err(ValueError {
                field: "target_policy",
                message: format!(
                    "{raw:?} is not a CIDR network, an IP, a host name or a *.domain pattern"
                ),
            }),
        }
    }

    fn matches_name(&self, name: &str) -> bool {
        match self {
            Self::Name(p) => match p.strip_prefix("*.") {
                Some(suffix) => name
                    .strip_suffix(suffix)
                    .is_some_and(|head| head.ends_with('.')),
                None => p == name,
            },
            Self::Net(_) => false,
        }
    }

    fn matches_ip(&self, ip: IpAddr) -> bool {
        match self {
            Self::Net(c) => c.contains(ip),
            Self::Name(_) => false,
        }
    }
}

impl fmt::Display for TargetRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Net(c) => c.fmt(f),
            Self::Name(n) => f.write_str(n),
        }
    }
}

/// Entries denied unless an admin removes them: link-local networks (where cloud metadata services
/// live) and the well-known metadata names and addresses.
pub const DEFAULT_DENY: &[&str] = &[
    "169.254.0.0/16",
    "fe80::/10",
    "fd00:ec2::254",
    "100.100.100.200",
    "0.0.0.0",
    "::",
    "metadata.google.internal",
    "metadata.azure.internal",
    "instance-data.ec2.internal",
];

/// Why a target was refused; the message is safe to show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TargetDenied(pub String);

/// The compiled allow/deny lists plus the product's own listening sockets.
#[derive(Debug, Clone, Default)]
pub struct TargetPolicy {
    allow: Vec<TargetRule>,
    deny: Vec<TargetRule>,
    own: Vec<SocketAddr>,
}

impl TargetPolicy {
    /// Compiles the lists; an empty allow list allows everything not denied.
    pub fn new(allow: &[String], deny: &[String]) -> Result<Self, ValueError> {
        Ok(Self {
            allow: allow
                .iter()
                .map(|s| TargetRule::parse(s))
                .collect::<Result<_, _>>()?,
            deny: deny
                .iter()
                .map(|s| TargetRule::parse(s))
                .collect::<Result<_, _>>()?,
            own: Vec::new(),
        })
    }

    /// Also refuses the product's own listening socket(s) (an unspecified bind address stands for
    /// every local address on that port).
    pub fn with_own_addresses(mut self, own: Vec<SocketAddr>) -> Self {
        self.own = own;
        self
    }

    /// The check at save time: the address as written (a name is checked again once resolved).
    pub fn check_address(&self, address: &HostAddress, port: u16) -> Result<(), TargetDenied> {
        match address {
            HostAddress::Ip(ip) => self.check_ip(*ip, port),
            HostAddress::Dns(name) => self.check_name(name),
        }
    }

    /// The name part of the check at save time: denied names are refused, and with an allow list
    /// the name must match a name entry unless network entries may still admit its IPs.
    pub fn check_name(&self, name: &str) -> Result<(), TargetDenied> {
        if let Some(r) = self.deny.iter().find(|r| r.matches_name(name)) {
            return Err(TargetDenied(format!(
                "{name} is denied by the target policy ({r})"
            )));
        }
        let has_nets = self.allow.iter().any(|r| matches!(r, TargetRule::Net(_)));
        if !self.allow.is_empty() && !has_nets && !self.name_allowed(name) {
            return Err(TargetDenied(format!(
                "{name} is not in the target policy's allow list"
            )));
        }
        Ok(())
    }

    fn name_allowed(&self, name: &str) -> bool {
        self.allow.iter().any(|r| r.matches_name(name))
    }

    /// The check for an IP: deny list, the product itself, then the allow list.
    pub fn check_ip(&self, ip: IpAddr, port: u16) -> Result<(), TargetDenied> {
        self.check_ip_inner(ip, port, false)
    }

    fn check_ip_inner(&self, ip: IpAddr, port: u16, admitted: bool) -> Result<(), TargetDenied> {
        let ip = canonical(ip);
        if let Some(r) = self.deny.iter().find(|r| r.matches_ip(ip)) {
            return Err(TargetDenied(format!(
                "{ip} is denied by the target policy ({r})"
            )));
        }
        if self.own.iter().any(|own| {
            own.port() == port
                && (canonical(own.ip()) == ip
                    || (own.ip().is_unspecified() && (ip.is_loopback() || ip.is_unspecified())))
        }) {
            return Err(TargetDenied(format!("{ip}:{port} is IT Manager itself")));
        }
        if !admitted && !self.allow.is_empty() && !self.allow.iter().any(|r| r.matches_ip(ip)) {
            return Err(TargetDenied(format!(
                "{ip} is not in the target policy's allow list"
            )));
        }
        Ok(())
    }

    /// The check at connect time for an address and the IPs it resolved to. A name on the allow
    /// list admits its IPs, but the deny list and the product's own socket still apply to each.
    pub fn check_resolved(
        &self,
        address: &HostAddress,
        ips: &[IpAddr],
        port: u16,
    ) -> Result<(), TargetDenied> {
        let admitted = match address {
            HostAddress::Dns(name) => {
                self.check_name(name)?;
                self.name_allowed(name)
            }
            HostAddress::Ip(_) => false,
        };
        ips.iter()
            .try_for_each(|ip| self.check_ip_inner(*ip, port, admitted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> TargetPolicy {
        let deny: Vec<String> = DEFAULT_DENY.iter().map(|s| s.to_string()).collect();
        TargetPolicy::new(&[], &deny).unwrap()
    }

    #[test]
    fn cidr_contains() {
        let c = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(c.contains("10.1.200.3".parse().unwrap()));
        assert!(!c.contains("10.2.0.1".parse().unwrap()));
        assert!(c.contains("::ffff:10.1.0.9".parse().unwrap()));
        assert!(Cidr::parse("fe80::/10")
            .unwrap()
            .contains("fe80::1".parse().unwrap()));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert_eq!(Cidr::parse("10.1.2.3/8").unwrap().to_string(), "10.0.0.0/8");
    }

    #[test]
    fn defaults_deny_link_local_and_metadata() {
        let p = defaults();
        let ip = |s: &str| HostAddress::parse(s).unwrap();
        assert!(p.check_address(&ip("169.254.169.254"), 22).is_err());
        assert!(p.check_address(&ip("fe80::1"), 22).is_err());
        assert!(p
            .check_address(&ip("metadata.google.internal"), 22)
            .is_err());
        assert!(p.check_address(&ip("10.0.0.5"), 22).is_ok());
        assert!(p.check_address(&ip("127.0.0.1"), 22).is_ok());
        // Rebinding: a harmless name that resolves to the metadata address is caught at dial time.
        assert!(p
            .check_resolved(
                &ip("harmless.example"),
                &["169.254.169.254".parse().unwrap()],
                22
            )
            .is_err());
    }

    #[test]
    fn own_listening_socket_is_denied() {
        let p = defaults().with_own_addresses(vec!["0.0.0.0:8080".parse().unwrap()]);
        assert!(p.check_ip("127.0.0.1".parse().unwrap(), 8080).is_err());
        assert!(p.check_ip("127.0.0.1".parse().unwrap(), 22).is_ok());
    }

    #[test]
    fn allow_lists_restrict() {
        let p = TargetPolicy::new(&["10.0.0.0/8".into(), "*.corp.example".into()], &[]).unwrap();
        assert!(p.check_ip("10.9.9.9".parse().unwrap(), 22).is_ok());
        assert!(p.check_ip("192.168.1.1".parse().unwrap(), 22).is_err());
        assert!(p.check_name("db.corp.example").is_ok());
        let name = |s: &str| HostAddress::parse(s).unwrap();
        let ten = ["10.1.1.1".parse().unwrap()];
        let other = ["192.168.1.1".parse().unwrap()];
        assert!(p
            .check_resolved(&name("db.corp.example"), &other, 22)
            .is_ok());
        assert!(p
            .check_resolved(&name("corp.example.evil"), &ten, 22)
            .is_ok());
        assert!(p
            .check_resolved(&name("corp.example.evil"), &other, 22)
            .is_err());
        let names_only = TargetPolicy::new(&["*.corp.example".into()], &[]).unwrap();
        assert!(names_only.check_name("evilcorp.example").is_err());
        assert!(names_only.check_name("a.corp.example").is_ok());
        assert!(TargetRule::parse("not a rule").is_err());
    }
}
