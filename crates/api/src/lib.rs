//! The IT Manager HTTP API: router, extractors, errors, OpenAPI document and
//! the services behind the handlers.

pub mod context;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod openapi;
pub mod ratelimit;
pub mod routes;
pub mod services;
pub mod state;
mod web;

pub use itmgr_automation::find_ansible;
pub use state::{ApiConfig, AppState, AutomationConfig, StartError};

use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::routing::{delete, get, post};
use axum::Router;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Builds the whole HTTP application: API, metrics, docs and the SPA.
pub fn router(state: AppState) -> Router {
    use routes::*;
    let api = Router::new()
        .route("/health", get(system::get_health))
        .route("/ready", get(system::get_ready))
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::get_me))
        .route("/auth/password", post(auth::change_password))
        .route("/users", get(users::list_users).post(users::create_user))
        .route(
            "/users/{id}",
            get(users::get_user)
                .patch(users::update_user)
                .delete(users::delete_user),
        )
        .route(
            "/users/{id}/reset-password",
            post(users::reset_user_password),
        )
        .route("/sessions", get(sessions::list_sessions))
        .route("/sessions/{id}", delete(sessions::revoke_session))
        .route(
            "/tokens",
            get(tokens::list_tokens).post(tokens::create_token),
        )
        .route("/tokens/{id}", delete(tokens::revoke_token))
        .route("/audit", get(audit::list_audit_events))
        .route("/audit/export", get(audit::export_audit_events))
        .route(
            "/secrets",
            get(secrets::list_secrets).post(secrets::create_secret),
        )
        .route(
            "/secrets/{id}",
            get(secrets::get_secret)
                .patch(secrets::update_secret)
                .delete(secrets::delete_secret),
        )
        .route(
            "/secrets/{id}/value",
            axum::routing::put(secrets::replace_secret_value),
        )
        .route("/secrets/{id}/reveal", post(secrets::reveal_secret))
        .route("/secrets/{id}/usage", get(secrets::get_secret_usage))
        .route("/hosts", get(hosts::list_hosts).post(hosts::create_host))
        .route("/hosts/bulk-delete", post(hosts::bulk_delete_hosts))
        .route("/hosts/bulk-update", post(hosts::bulk_update_hosts))
        .route("/hosts/import", post(hosts::import_hosts))
        .route("/hosts/export", get(hosts::export_hosts))
        .route("/hosts/check", post(hosts::check_hosts))
        .route("/hosts/test-connection", post(hosts::test_connection))
        .route("/hosts/events", get(hosts::host_events))
        .route(
            "/hosts/{id}",
            get(hosts::get_host)
                .patch(hosts::update_host)
                .delete(hosts::delete_host),
        )
        .route("/hosts/{id}/check", post(hosts::check_host))
        .route(
            "/hosts/{id}/status-history",
            get(hosts::get_host_status_history),
        )
        .route(
            "/hosts/{id}/membership-events",
            get(groups::get_host_membership_events),
        )
        .route(
            "/groups",
            get(groups::list_groups).post(groups::create_group),
        )
        .route("/groups/preview", post(groups::preview_rule))
        .route("/groups/rule-hints", get(groups::get_rule_hints))
        .route(
            "/groups/{id}",
            get(groups::get_group)
                .patch(groups::update_group)
                .delete(groups::delete_group),
        )
        .route(
            "/groups/{id}/members",
            get(groups::list_group_members).post(groups::add_group_members),
        )
        .route(
            "/groups/{id}/members/remove",
            post(groups::remove_group_members),
        )
        .route(
            "/groups/{id}/membership-events",
            get(groups::get_group_membership_events),
        )
        .route("/inventory", get(groups::get_inventory))
        .route(
            "/terminal/sessions",
            get(terminal::list_terminals).post(terminal::open_terminal),
        )
        .route("/terminal/sessions/{id}", delete(terminal::close_terminal))
        .route(
            "/terminal/sessions/{id}/ticket",
            post(terminal::reattach_terminal),
        )
        .route("/terminal/ws", get(terminal::terminal_ws))
        .route("/runs", get(runs::list_runs))
        .route("/runs/commands", post(runs::run_command))
        .route("/runs/ssh-keys", post(runs::run_key))
        .route("/runs/key-rotation", post(runs::rotate_key))
        .route("/runs/targets", post(runs::resolve_targets))
        .route("/runs/{id}", get(runs::get_run))
        .route("/runs/{id}/output", get(runs::get_run_output))
        .route("/runs/{id}/events", get(runs::run_events))
        .route("/runs/{id}/cancel", post(runs::cancel_run))
        .route("/runs/{id}/rerun", post(runs::rerun_run))
        .route("/runs/{id}/log", get(runs::get_run_log))
        .route("/runs/{id}/log.txt", get(runs::download_run_log))
        .route("/runs/{id}/tasks", get(runs::get_run_tasks))
        .route("/runs/{id}/artifacts", get(runs::list_run_artifacts))
        .route(
            "/runs/{id}/artifacts/{*name}",
            get(runs::download_run_artifact),
        )
        .route(
            "/playbooks",
            get(playbooks::list_playbooks).post(playbooks::create_playbook),
        )
        .route("/playbooks/validate", post(playbooks::validate_playbook))
        .route(
            "/playbooks/{id}",
            get(playbooks::get_playbook)
                .put(playbooks::update_playbook)
                .delete(playbooks::delete_playbook),
        )
        .route(
            "/playbooks/{id}/versions",
            get(playbooks::list_playbook_versions),
        )
        .route(
            "/playbooks/{id}/versions/{version}/restore",
            post(playbooks::restore_playbook_version),
        )
        .route("/playbooks/{id}/launch", post(playbooks::launch_playbook))
        .route(
            "/playbooks/{id}/launch/preview",
            post(playbooks::preview_launch),
        )
        .route(
            "/schedules",
            get(playbooks::list_schedules).post(playbooks::create_schedule),
        )
        .route("/schedules/preview", post(playbooks::preview_schedule))
        .route(
            "/schedules/{id}",
            axum::routing::put(playbooks::update_schedule).delete(playbooks::delete_schedule),
        )
        .route("/terminal/recordings", get(terminal::list_recordings))
        .route("/terminal/recordings/{id}", get(terminal::get_recording))
        .route(
            "/hosts/{id}/host-key/accept",
            post(terminal::accept_host_key),
        )
        .route(
            "/inventory/settings",
            get(hosts::get_inventory_settings).put(hosts::update_inventory_settings),
        )
        .route("/dashboard", get(dashboard::get_dashboard))
        .route(
            "/settings",
            get(settings::get_settings).put(settings::update_settings),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            services::audit::record_denied,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ratelimit::limit,
        ))
        // API responses are per-user and may be sensitive: never cache them.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));

    let timeout = state.config.request_timeout;
    Router::new()
        .nest("/api/v1", api)
        .route("/api/openapi.json", get(openapi::serve))
        .route("/api/docs", get(web::api_docs))
        .route("/api/docs/init.js", get(web::api_docs_init))
        .route("/metrics", get(metrics::render))
        .fallback(web::spa)
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(web::CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            // Method, route and status only: URIs can carry query strings, bodies are never logged.
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                    tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_response(|res: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
                    tracing::info!(status = res.status().as_u16(), duration_ms = latency.as_millis() as u64, "request");
                }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}
