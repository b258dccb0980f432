//! The embedded single-page app and the interactive API docs.
//!
//! Release builds carry `web/dist` inside the binary; debug builds read it
//! from disk, so a `vite build` shows up without recompiling Rust.

use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use std::borrow::Cow;

#[cfg(not(debug_assertions))]
#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
#[allow_missing = true]
struct Assets;

#[cfg(not(debug_assertions))]
fn load(path: &str) -> Option<Cow<'static, [u8]>> {
    Assets::get(path).map(|f| f.data)
}

/// Debug builds resolve `web/dist` when serving, not when compiling: the folder may not exist yet
/// when the crate is built (a fresh checkout builds Rust before the web app).
#[cfg(debug_assertions)]
fn load(path: &str) -> Option<Cow<'static, [u8]>> {
    let root =
        std::fs::canonicalize(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/dist")).ok()?;
    let file = std::fs::canonicalize(root.join(path)).ok()?;
    // No escaping the folder with `..` or symlinks.
    if !file.starts_with(&root) || !file.is_file() {
        return None;
    }
    std::fs::read(file).ok().map(Cow::Owned)
}

fn asset(path: &str) -> Option<Response> {
    let data = load(path)?;
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    // Vite fingerprints everything under assets/: cache it for good; never cache the shell.
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Some(
        (
            [
                (header::CONTENT_TYPE, mime.as_ref().to_owned()),
                (header::CACHE_CONTROL, cache.to_owned()),
            ],
            data,
        )
            .into_response(),
    )
}

/// Serves a file of the SPA, or `index.html` for client-side routes.
pub async fn spa(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if let Some(r) = asset(path) {
        return r;
    }
    // An unknown API path is a JSON 404, never the SPA shell.
    if path.starts_with("api/") || path == "metrics" {
        return crate::error::ApiError::NotFound("endpoint").into_response();
    }
    asset("index.html").unwrap_or_else(|| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Html("<h1>IT Manager</h1><p>The web UI has not been built. Run <code>make run</code> (or <code>npm --prefix web run build</code>).</p>"),
        )
            .into_response()
    })
}

/// `GET /api/docs`: Swagger UI from assets bundled with the SPA (no CDN, no inline script, so it
/// works under the same Content-Security-Policy as the app).
pub async fn api_docs() -> Html<&'static str> {
    Html(
        r##"<!doctype html><html><head><meta charset="utf-8"><title>IT Manager API</title>
<link rel="stylesheet" href="/apidocs/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/apidocs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>"##,
    )
}

/// `GET /api/docs/init.js`: starts Swagger UI on the contract.
pub async fn api_docs_init() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        r##"window.onload=function(){SwaggerUIBundle({url:"/api/openapi.json",dom_id:"#ui",persistAuthorization:false});};"##,
    )
}

/// The Content-Security-Policy for every response: scripts only from this origin (an XSS here
/// would be shell access through the terminal), no framing, no plugins. Mantine injects styles at
/// run time, hence `'unsafe-inline'` for styles only.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
form-action 'self'; frame-ancestors 'none'";
