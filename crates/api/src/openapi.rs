//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use crate::error::ErrorBody;
use crate::routes::*;
use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT or itm_ API token")
                    .build(),
            ),
        );
    }
}

/// The API contract.
#[derive(OpenApi)]
#[openapi(
    info(title = "IT Manager API", description = "Self-hosted control plane for IT infrastructure. Conventions: docs/API.md."),
    modifiers(&BearerAuth),
    paths(
        system::get_health, system::get_ready,
        auth::login, auth::refresh, auth::logout, auth::get_me, auth::change_password,
        users::list_users, users::get_user, users::create_user, users::update_user, users::reset_user_password, users::delete_user,
        sessions::list_sessions, sessions::revoke_session,
        tokens::list_tokens, tokens::create_token, tokens::revoke_token,
        audit::list_audit_events, audit::export_audit_events,
        secrets::list_secrets, secrets::get_secret, secrets::create_secret, secrets::update_secret,
        secrets::replace_secret_value, secrets::delete_secret, secrets::reveal_secret, secrets::get_secret_usage,
        hosts::list_hosts, hosts::get_host, hosts::create_host, hosts::update_host, hosts::delete_host,
        hosts::bulk_delete_hosts, hosts::bulk_update_hosts, hosts::import_hosts, hosts::export_hosts,
        hosts::check_hosts, hosts::check_host, hosts::test_connection, hosts::get_host_status_history,
        hosts::host_events, hosts::get_inventory_settings, hosts::update_inventory_settings,
        groups::list_groups, groups::get_group, groups::create_group, groups::update_group, groups::delete_group,
        groups::add_group_members, groups::remove_group_members, groups::list_group_members, groups::preview_rule,
        groups::get_group_membership_events, groups::get_host_membership_events, groups::get_rule_hints,
        groups::get_inventory,
        terminal::open_terminal, terminal::list_terminals, terminal::reattach_terminal, terminal::close_terminal,
        terminal::terminal_ws, terminal::accept_host_key, terminal::list_recordings, terminal::get_recording,
        runs::list_runs, runs::get_run, runs::get_run_output, runs::run_events, runs::run_command, runs::run_key, runs::rotate_key,
        runs::cancel_run, runs::rerun_run, runs::resolve_targets,
        runs::get_run_log, runs::download_run_log, runs::get_run_tasks, runs::list_run_artifacts, runs::download_run_artifact,
        playbooks::list_playbooks, playbooks::create_playbook, playbooks::get_playbook, playbooks::update_playbook,
        playbooks::delete_playbook, playbooks::list_playbook_versions, playbooks::restore_playbook_version,
        playbooks::validate_playbook, playbooks::preview_launch, playbooks::launch_playbook,
        playbooks::list_schedules, playbooks::create_schedule, playbooks::update_schedule, playbooks::delete_schedule,
        playbooks::preview_schedule,
        dashboard::get_dashboard,
        settings::get_settings, settings::update_settings,
    ),
    components(schemas(ErrorBody, hosts::HostSortField, groups::AnsibleFormat, crate::services::checks::HostStatusUpdate)),
    tags(
        (name = "system"), (name = "auth"), (name = "users"), (name = "sessions"), (name = "tokens"),
        (name = "audit"), (name = "secrets"), (name = "hosts"), (name = "groups"), (name = "terminal"), (name = "runs"), (name = "playbooks"), (name = "dashboard"), (name = "settings"),
    )
)]
pub struct ApiDoc;

/// The document as pretty JSON (what `openapi.json` at the repository root holds).
pub fn document_json() -> String {
    let mut doc = ApiDoc::openapi();
    // The version lives in Cargo.toml; keep the committed snapshot stable across releases.
    doc.info.version = "v1".into();
    doc.to_pretty_json()
        .expect("the OpenAPI document serialises")
}

/// `GET /api/openapi.json`.
pub async fn serve() -> Json<serde_json::Value> {
    Json(serde_json::from_str(&document_json()).expect("document_json is valid JSON"))
}
