//! Login throttling: exponential back-off per user name and per client address.
//!
//! In memory, per process: good enough to make online guessing impractical;
//! a shared store can replace it when several backends serve one database.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Tunables for [`LoginThrottle`].
#[derive(Debug, Clone, Copy)]
pub struct ThrottleConfig {
    /// Failures allowed before the back-off starts.
    pub free_attempts: u32,
    /// First delay once back-off starts; doubles with each further failure.
    pub base_delay: Duration,
    /// The longest delay.
    pub max_delay: Duration,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            free_attempts: 5,
            base_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    blocked_until: Option<Instant>,
    last_failure: Instant,
}

/// Tracks failed logins by key (`user:<name>`, `ip:<addr>`).
#[derive(Debug)]
pub struct LoginThrottle {
    config: ThrottleConfig,
    entries: Mutex<HashMap<String, Entry>>,
}

impl LoginThrottle {
    /// A throttle with the given tunables.
    pub fn new(config: ThrottleConfig) -> Self {
        Self {
            config,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// How long the caller must wait before trying any of `keys`, if at all.
    pub fn check(&self, keys: &[String]) -> Option<Duration> {
        let now = Instant::now();
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter()
            .filter_map(|k| entries.get(k).and_then(|e| e.blocked_until))
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max()
    }

    /// Records a failure against every key.
    pub fn record_failure(&self, keys: &[String]) {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Forget keys idle for longer than the longest back-off, so the map stays small.
        if entries.len() > 10_000 {
            let horizon = self.config.max_delay * 2;
            entries.retain(|_, e| now.duration_since(e.last_failure) < horizon);
        }
        for key in keys {
            let entry = entries.entry(key.clone()).or_insert(Entry {
                failures: 0,
                blocked_until: None,
                last_failure: now,
            });
            entry.failures += 1;
            entry.last_failure = now;
            if entry.failures >= self.config.free_attempts {
                let exp = (entry.failures - self.config.free_attempts).min(20);
                let delay = self
                    .config
                    .base_delay
                    .saturating_mul(1u32 << exp)
                    .min(self.config.max_delay);
                entry.blocked_until = Some(now + delay);
            }
        }
    }

    /// Clears the record of `keys` after a successful login.
    pub fn record_success(&self, keys: &[String]) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        for key in keys {
            entries.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_starts_after_the_free_attempts_and_doubles() {
        let t = LoginThrottle::new(ThrottleConfig {
            free_attempts: 3,
            base_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(25),
        });
        let keys = vec!["user:bob".to_string()];
        t.record_failure(&keys);
        t.record_failure(&keys);
        assert!(t.check(&keys).is_none());
        t.record_failure(&keys);
        let first = t.check(&keys).unwrap();
        assert!(first > Duration::from_secs(9) && first <= Duration::from_secs(10));
        t.record_failure(&keys);
        assert!(t.check(&keys).unwrap() > Duration::from_secs(19));
        t.record_failure(&keys);
        assert!(
            t.check(&keys).unwrap() <= Duration::from_secs(25),
            "capped at max_delay"
        );
        t.record_success(&keys);
        assert!(t.check(&keys).is_none());
        assert!(t.check(&["ip:1.2.3.4".to_string()]).is_none());
    }
}
