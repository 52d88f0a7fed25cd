//! Static files: `GET /` serves `ROOT/www/index.html`; `/leptos-chat/` serves the built Leptos
//! example (`ROOT/examples/leptos-chat/dist`, made by scripts/build-examples.sh); any other
//! path is a file under `ROOT` (`/pkg/socketio_wasm.js`, `/www/app.js`,
//! `/tests/e2e/pages/x.html`...).
//!
//! `ServeDir` refuses path traversal and never lists directories (a directory answers 404 here).
//! MIME types come from the file extension; `.mjs` is corrected to `text/javascript` (the table of
//! `mime_guess` says `application/javascript` for it), `.wasm` is `application/wasm`, which
//! `WebAssembly.instantiateStreaming` requires. Every answer carries `Cache-Control: no-cache`
//! so that a rebuilt package is never served stale.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

/// The static-file routes, rooted at `root`.
pub fn router(root: &Path) -> Router {
    Router::new()
        .route_service("/", ServeFile::new(root.join("www").join("index.html")))
        .nest_service(
            "/leptos-chat",
            ServeDir::new(root.join("examples").join("leptos-chat").join("dist")),
        )
        .fallback_service(ServeDir::new(root).append_index_html_on_directories(false))
        .layer(middleware::from_fn(fix_headers))
}

/// Sets `text/javascript` on `.mjs` files and `Cache-Control: no-cache` on everything.
async fn fix_headers(req: Request, next: Next) -> Response {
    let is_mjs = req.uri().path().ends_with(".mjs");
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if is_mjs && headers.contains_key(CONTENT_TYPE) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/javascript"));
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}
