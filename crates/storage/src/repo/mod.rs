//! Repositories: functions over any connection or transaction (`C: ConnectionTrait`),
//! so a service can put a change and its audit record in one transaction.

pub mod audit;
pub mod groups;
pub mod hosts;
pub mod jobs;
pub mod playbooks;
pub mod recordings;
pub mod rule_sql;
pub mod runs;
pub mod schedules;
pub mod secrets;
pub mod sessions;
pub mod settings;
pub mod tokens;
pub mod users;

use sea_orm::sea_query::{Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::ColumnTrait;

/// `LOWER(col) LIKE %needle%` with LIKE wildcards in the needle escaped:
/// the same case-insensitive search on SQLite and PostgreSQL.
pub(crate) fn contains_ci(col: impl ColumnTrait, needle: &str) -> SimpleExpr {
    let escaped = needle
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Expr::expr(Func::lower(Expr::col(col.as_column_ref())))
        .like(sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}

/// The same search as [`contains_ci`] without wrapping the column in `LOWER()`, for large tables:
/// SQLite's `LIKE` is already case-insensitive for ASCII, PostgreSQL gets `ILIKE`.
pub(crate) fn contains_ci_fast(
    backend: sea_orm::DbBackend,
    col: impl ColumnTrait,
    needle: &str,
) -> SimpleExpr {
    let escaped = needle
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\');
    match backend {
        sea_orm::DbBackend::Postgres => Expr::col(col.as_column_ref()).binary(
            sea_orm::sea_query::BinOper::Custom("ILIKE"),
            Expr::val(format!("%{escaped}%")),
        ),
        _ => Expr::col(col.as_column_ref()).like(pattern),
    }
}
