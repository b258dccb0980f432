//! API integration tests: one binary, every scenario on SQLite and PostgreSQL.

mod helpers;

mod auth;
mod automation;
mod groups;
mod hosts;
mod rbac;
mod resources;
mod runs;
mod secrets;
mod system;
mod terminal;
