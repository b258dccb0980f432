//! Inventory values: what a host is called, where it is, and how it is checked.
//!
//! Addresses end up as arguments to `ssh`, `ansible` and socket calls, so the rules here are
//! strict on purpose: nothing that parses as an option, a URL or a `user@host` gets in.

use crate::ValueError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

pub(crate) fn err(field: &'static str, message: impl Into<String>) -> ValueError {
    ValueError {
        field,
        message: message.into(),
    }
}

/// A host's inventory name (what Ansible calls `inventory_hostname`): 1–128 characters of
/// letters, digits, `.`, `_`, `-`, starting with a letter or digit. Unique.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct HostName(String);

impl HostName {
    /// Parses a host name.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim();
        if s.is_empty() || s.len() > 128 {
            return Err(err("name", "must be 1 to 128 characters long"));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(err(
                "name",
                "may contain only letters, digits, '.', '_' and '-'",
            ));
        }
        if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(err("name", "must start with a letter or a digit"));
        }
        Ok(Self(s.to_owned()))
    }
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The owned name.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a host is reached: an IP address or a DNS host name (RFC 1123 labels; `_` tolerated
/// because real internal zones have it). Never a URL, never `user@host`, never starting with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HostAddress {
    /// An IPv4 or IPv6 address.
    Ip(IpAddr),
    /// A DNS name, lower-cased, without a trailing dot.
    Dns(String),
}

impl HostAddress {
    /// Parses an address.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(err("address", "must not be empty"));
        }
        if s.starts_with('-') {
            return Err(err(
                "address",
                "must not start with '-' (it would be read as an option)",
            ));
        }
        if s.contains("://") {
            return Err(err(
                "address",
                "must be a host name or an IP address, not a URL",
            ));
        }
        if s.contains('@') {
            return Err(err(
                "address",
                "must not contain '@': the login user comes from the host's credential",
            ));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(err("address", "must not contain white space"));
        }
        let unbracketed = s
            .strip_prefix('[')
            .and_then(|x| x.strip_suffix(']'))
            .unwrap_or(s);
        if let Ok(ip) = unbracketed.parse::<IpAddr>() {
            return Ok(Self::Ip(ip));
        }
        if s.contains(':') {
            return Err(err(
                "address",
                "is not a valid IP address (put the port in the port field)",
            ));
        }
        let name = s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase();
        if name.len() > 253 {
            return Err(err("address", "a host name is at most 253 characters"));
        }
        for label in name.split('.') {
            let ok = (1..=63).contains(&label.len())
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !label.starts_with('-')
                && !label.ends_with('-');
            if !ok {
                return Err(err(
                    "address",
                    format!("{s:?} is neither an IP address nor a valid host name"),
                ));
            }
        }
        // All-numeric dotted names like 10.0.0 are typos of an IP, not host names.
        if name
            .split('.')
            .all(|l| l.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(err("address", format!("{s:?} is not a valid IP address")));
        }
        Ok(Self::Dns(name))
    }

    /// The IP, when the address is one.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Self::Ip(ip) => Some(*ip),
            Self::Dns(_) => None,
        }
    }
}

impl fmt::Display for HostAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ip(ip) => ip.fmt(f),
            Self::Dns(name) => f.write_str(name),
        }
    }
}

/// A TCP port, 1–65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Port(u16);

impl Port {
    /// The SSH default.
    pub const SSH: Port = Port(22);
    /// Parses a port number.
    pub fn parse(raw: i64) -> Result<Self, ValueError> {
        match u16::try_from(raw) {
            Ok(p) if p > 0 => Ok(Self(p)),
            _ => Err(err("port", "must be between 1 and 65535")),
        }
    }
    /// The number.
    pub fn get(self) -> u16 {
        self.0
    }
}

/// A short label such as an environment (`prod`) or an OS (`linux`, `debian-12`): 1–64 characters of
/// letters, digits, `.`, `_`, `-`, lower-cased so filters and facets do not split on case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Label(String);

impl Label {
    /// Parses a label for `field`; empty input is `None` (not set).
    pub fn parse(field: &'static str, raw: &str) -> Result<Option<Self>, ValueError> {
        let s = raw.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Ok(None);
        }
        if s.len() > 64
            || !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(err(
                field,
                "must be at most 64 letters, digits, '.', '_' or '-'",
            ));
        }
        Ok(Some(Self(s)))
    }
    /// The label.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The owned label.
    pub fn into_inner(self) -> String {
        self.0
    }
}

macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($(#[$vmeta:meta])* $variant:ident => $s:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The stable stored name.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $s,)* }
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($name::$variant),)*
                    _ => Err(err($field, format!("must be one of {}", [$($s),*].join(", ")))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

str_enum!(
    /// How a host's reachability is checked.
    CheckMethod, "check_method" {
        /// ICMP echo (unprivileged ICMP sockets).
        Ping => "ping",
        /// TCP connect to the SSH port.
        Tcp => "tcp",
        /// SSH handshake and authentication with the host's credential.
        Ssh => "ssh",
    }
);

str_enum!(
    /// The result of the last check.
    HostStatus, "status" {
        /// The last check succeeded.
        Online => "online",
        /// The last check failed.
        Offline => "offline",
        /// Never checked, or the check could not be performed.
        Unknown => "unknown",
    }
);

pub(crate) use str_enum;

str_enum!(
    /// Whether a host's terminal sessions are recorded.
    #[derive(Default)]
    TerminalRecording, "terminal_recording" {
        /// As the global setting says.
        #[default]
        Default => "default",
        /// Always, whatever the global setting.
        On => "on",
        /// Never, whatever the global setting.
        Off => "off",
    }
);

impl TerminalRecording {
    /// The override: `None` defers to the global setting.
    pub fn forced(self) -> Option<bool> {
        match self {
            TerminalRecording::Default => None,
            TerminalRecording::On => Some(true),
            TerminalRecording::Off => Some(false),
        }
    }
}

str_enum!(
    /// How a group gets its members.
    GroupKind, "kind" {
        /// An explicit list.
        Static => "static",
        /// Every host matching a rule.
        Dynamic => "dynamic",
    }
);

/// A group name, also an Ansible group name: 1–64 letters, digits and `_`, starting with a letter
/// (Ansible warns about anything else).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct GroupName(String);

impl GroupName {
    /// Parses a group name.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim();
        let ok = (1..=64).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(err(
                "name",
                "must be 1 to 64 letters, digits or '_', starting with a letter (an Ansible group name)",
            ));
        }
        if matches!(s, "all" | "ungrouped") {
            return Err(err("name", format!("{s:?} is reserved by Ansible")));
        }
        Ok(Self(s.to_owned()))
    }
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The owned name.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Inventory-wide settings: periodic checks and the target policy. Stored as one JSON document so
/// new settings do not need a migration; unknown or missing fields take their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InventorySettings {
    /// Seconds between periodic checks of every host; 0 turns them off.
    pub check_interval_seconds: u32,
    /// Checks running at once.
    pub check_concurrency: u32,
    /// Seconds a single check may take.
    pub check_timeout_seconds: u32,
    /// The method for hosts that have none, unless their environment has one.
    pub default_check_method: CheckMethod,
    /// Per-environment default methods.
    pub environment_check_methods: std::collections::BTreeMap<String, CheckMethod>,
    /// Status transitions older than this are deleted.
    pub status_history_retention_days: u32,
    /// Target policy allow list (CIDR, IP, host name or `*.domain`); empty allows all not denied.
    pub target_allow: Vec<String>,
    /// Target policy deny list.
    pub target_deny: Vec<String>,
    /// Minutes without input before a web terminal is closed (0: never).
    pub terminal_idle_timeout_minutes: u32,
    /// Longest a web terminal may stay open, in minutes (0: no limit).
    pub terminal_max_duration_minutes: u32,
    /// Record terminal sessions (output and resizes, encrypted); hosts may override.
    pub terminal_recording: bool,
    /// Recordings also hold what users type (passwords typed at prompts included: off by default).
    pub terminal_record_input: bool,
    /// Hosts a command or key deployment works on at once, unless the run says otherwise.
    pub run_concurrency: u32,
    /// Seconds one host of a run may take, unless the run says otherwise.
    pub run_host_timeout_seconds: u32,
}

impl Default for InventorySettings {
    fn default() -> Self {
        Self {
            check_interval_seconds: 300,
            check_concurrency: 100,
            check_timeout_seconds: 5,
            default_check_method: CheckMethod::Tcp,
            environment_check_methods: Default::default(),
            status_history_retention_days: 30,
            target_allow: Vec::new(),
            target_deny: crate::policy::DEFAULT_DENY
                .iter()
                .map(|s| s.to_string())
                .collect(),
            terminal_idle_timeout_minutes: 30,
            terminal_max_duration_minutes: 480,
            terminal_recording: false,
            terminal_record_input: false,
            run_concurrency: 50,
            run_host_timeout_seconds: 300,
        }
    }
}

impl InventorySettings {
    /// The method a host uses: its own, else its environment's, else the default.
    pub fn method_for(&self, own: Option<CheckMethod>, environment: Option<&str>) -> CheckMethod {
        own.or_else(|| environment.and_then(|e| self.environment_check_methods.get(e).copied()))
            .unwrap_or(self.default_check_method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_accept_ips_and_host_names() {
        assert_eq!(
            HostAddress::parse("10.0.0.1").unwrap(),
            HostAddress::Ip("10.0.0.1".parse().unwrap())
        );
        assert_eq!(
            HostAddress::parse("[::1]").unwrap(),
            HostAddress::Ip("::1".parse().unwrap())
        );
        assert_eq!(
            HostAddress::parse("fe80::1").unwrap().to_string(),
            "fe80::1"
        );
        assert_eq!(
            HostAddress::parse("Web-01.Example.com.").unwrap(),
            HostAddress::Dns("web-01.example.com".into())
        );
        assert!(HostAddress::parse("db_1.internal").is_ok());
    }

    #[test]
    fn addresses_reject_anything_that_could_become_an_option() {
        for bad in [
            "",
            "-oProxyCommand=touch /tmp/x",
            "root@host",
            "ssh://host",
            "host name",
            "host\tname",
            "host:22",
            "10.0.0",
            "-host",
            "host-.example",
            "a..b",
            "ho$t",
            "host;rm",
            "1.2.3.4.5",
        ] {
            assert!(HostAddress::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn ports_and_labels() {
        assert!(Port::parse(0).is_err());
        assert!(Port::parse(65536).is_err());
        assert_eq!(Port::parse(2222).unwrap().get(), 2222);
        assert_eq!(
            Label::parse("environment", " Prod ")
                .unwrap()
                .unwrap()
                .as_str(),
            "prod"
        );
        assert_eq!(Label::parse("os", "").unwrap(), None);
        assert!(Label::parse("os", "linux; rm").is_err());
        assert_eq!("ssh".parse::<CheckMethod>().unwrap(), CheckMethod::Ssh);
        assert!("icmp".parse::<CheckMethod>().is_err());
    }
}
