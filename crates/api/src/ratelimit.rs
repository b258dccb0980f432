//! The general API rate limit: a token bucket per client (per bearer token,
//! else per address). A 429 carries `Retry-After`.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Token buckets keyed by client.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// `per_minute` sustained, `burst` extra; 0 disables the limit.
    pub fn new(per_minute: u32, burst: u32) -> Self {
        Self {
            per_second: f64::from(per_minute) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`, or says how long to wait.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        if self.per_second <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 50_000 {
            // Full buckets carry no information: forget them.
            let (rate, burst) = (self.per_second, self.burst);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets.entry(key.to_owned()).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                ((1.0 - *tokens) / self.per_second).ceil().max(1.0),
            ))
        }
    }
}

/// Middleware applying [`RateLimiter`] to API requests.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let key = match request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        // Hash so the limiter never holds a usable credential.
        Some(v) => format!("tok:{}", &itmgr_auth::hash_token(v)[..24]),
        None => {
            let ip = request
                .extensions()
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string());
            let forwarded = state
                .config
                .trust_forwarded_for
                .then(|| {
                    request
                        .headers()
                        .get("x-forwarded-for")
                        .and_then(|v| v.to_str().ok())
                })
                .flatten()
                .and_then(|v| v.split(',').next())
                .map(|s| s.trim().to_owned());
            format!("ip:{}", forwarded.or(ip).unwrap_or_default())
        }
    };
    match state.limiter.check(&key) {
        Ok(()) => next.run(request).await,
        Err(wait) => ApiError::RateLimited(wait).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_the_burst_then_refuses_with_a_wait() {
        let limiter = RateLimiter::new(60, 3);
        for _ in 0..3 {
            assert!(limiter.check("a").is_ok());
        }
        let wait = limiter.check("a").unwrap_err();
        assert!(wait >= Duration::from_secs(1));
        assert!(limiter.check("b").is_ok(), "buckets are per client");
    }
}
