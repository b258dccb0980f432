//! HTTP handlers, one module per resource. Handlers stay thin:
//! extract → authorize → one service call → response type.

pub mod audit;
pub mod auth;
pub mod dashboard;
pub mod groups;
pub mod hosts;
pub mod playbooks;
pub mod runs;
pub mod secrets;
pub mod sessions;
pub mod settings;
pub mod system;
pub mod terminal;
pub mod tokens;
pub mod users;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Paging parameters shared by list endpoints.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Rows per page (1–500, default 50).
    pub limit: Option<u64>,
    /// Rows to skip.
    pub offset: Option<u64>,
}

/// Declares a concrete page type for OpenAPI (generic schemas do not carry over to TypeScript well).
macro_rules! page_type {
    ($name:ident, $item:ty) => {
        /// One page of results and the total.
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            /// The rows.
            pub items: Vec<$item>,
            /// Rows matching the filter in all.
            pub total: u64,
            /// The page size used.
            pub limit: u64,
            /// Rows skipped.
            pub offset: u64,
        }

        impl $name {
            /// Converts a storage page.
            pub fn from_page<T>(
                page: itmgr_storage::Page<T>,
                req: itmgr_storage::PageRequest,
                f: impl Fn(T) -> $item,
            ) -> Self {
                Self {
                    items: page.items.into_iter().map(f).collect(),
                    total: page.total,
                    limit: req.limit,
                    offset: req.offset,
                }
            }
        }
    };
}
pub(crate) use page_type;

/// An empty success body is 204; this documents nothing else.
#[derive(Debug, Serialize, ToSchema)]
pub struct Empty {}
