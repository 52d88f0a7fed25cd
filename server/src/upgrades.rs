//! Polling-only mode (`--transports polling`): socketioxide refuses WebSocket requests by itself,
//! but its polling handshake still offers `"upgrades":["websocket"]`, where the Node server
//! offers `[]`. This middleware rewrites that one field of the handshake answer, so that clients
//! see the same handshake from both servers (and do not try a doomed upgrade probe).

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header::CONTENT_LENGTH;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest handshake answer worth reading back (a real one is about 120 bytes).
const MAX_HANDSHAKE: usize = 4096;

/// Rewrites `"upgrades":["websocket"]` to `"upgrades":[]` in polling handshake answers.
pub async fn strip_websocket_upgrade(req: Request, next: Next) -> Response {
    if !is_polling_handshake(&req) {
        return next.run(req).await;
    }
    let res = next.run(req).await;
    if !res.status().is_success() {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_HANDSHAKE).await else {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let text =
        String::from_utf8_lossy(&bytes).replace("\"upgrades\":[\"websocket\"]", "\"upgrades\":[]");
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(text))
}

/// A first polling request of an Engine.IO session: `GET /socket.io/?...transport=polling`, no sid.
fn is_polling_handshake(req: &Request) -> bool {
    if req.method() != Method::GET || !req.uri().path().starts_with("/socket.io") {
        return false;
    }
    let query = req.uri().query().unwrap_or("");
    let mut polling = false;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "sid" => return false,
            "transport" => polling = value == "polling",
            _ => {}
        }
    }
    polling
}
