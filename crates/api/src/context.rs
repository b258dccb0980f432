//! Facts about the request that go into audit records: client address, user agent, request id.

use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::SocketAddr;

/// Where a request came from.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// The client address (from the socket, or `X-Forwarded-For` behind a trusted proxy).
    pub ip: Option<String>,
    /// The `User-Agent` header, truncated.
    pub user_agent: Option<String>,
    /// The request id set by the request-id layer.
    pub request_id: Option<String>,
}

impl RequestContext {
    /// Reads the context from request parts.
    pub fn from_parts(parts: &Parts, trust_forwarded_for: bool) -> Self {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let forwarded = trust_forwarded_for
            .then(|| header("x-forwarded-for"))
            .flatten()
            .and_then(|v| v.split(',').next().map(|s| s.trim().to_owned()))
            .filter(|s| s.parse::<std::net::IpAddr>().is_ok());
        let socket = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Self {
            ip: forwarded.or(socket),
            user_agent: header("user-agent").map(|ua| ua.chars().take(256).collect()),
            request_id: header("x-request-id"),
        }
    }
}

impl FromRequestParts<AppState> for RequestContext {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(Self::from_parts(parts, state.config.trust_forwarded_for))
    }
}
