//! The control endpoints of test mode (`--test`), for tests that need to act on the server:
//! - `GET /control/records/{key}`: the JSON array recorded under `key` (or `[]`);
//! - `POST /control/reset`: forgets every record;
//! - `POST /control/disconnect-all`: disconnects every socket of every namespace from the server
//!   side (the clients see `"io server disconnect"`).
//!
//! And a hook on the Engine.IO path ([`record_request`]): a request (not OPTIONS) to
//! `/socket.io/` whose query has `recordRequest=KEY` appends `{method, transport, cookie}` to the
//! records of `KEY` (`cookie` is the `Cookie` header, or null), so that a test can see what the
//! browser sent.
//!
//! They answer JSON; CORS is opened by the layer that `main` puts around the whole app.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::header::COOKIE;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use socketioxide::adapter::Adapter;
use socketioxide::SocketIo;

use crate::testns::Records;

/// What the control handlers act on.
struct Control<A: Adapter> {
    io: SocketIo<A>,
    records: Arc<Records>,
}

impl<A: Adapter> Clone for Control<A> {
    fn clone(&self) -> Self {
        Self {
            io: self.io.clone(),
            records: self.records.clone(),
        }
    }
}

/// The `/control/*` routes.
pub fn router<A: Adapter>(io: SocketIo<A>, records: Arc<Records>) -> Router {
    Router::new()
        .route("/control/records/{key}", get(get_records::<A>))
        .route("/control/reset", post(reset::<A>))
        .route("/control/disconnect-all", post(disconnect_all::<A>))
        .with_state(Control { io, records })
}

/// `GET /control/records/{key}`.
async fn get_records<A: Adapter>(
    State(c): State<Control<A>>,
    Path(key): Path<String>,
) -> Json<Vec<Value>> {
    Json(c.records.get(&key))
}

/// `POST /control/reset`.
async fn reset<A: Adapter>(State(c): State<Control<A>>) -> Json<Value> {
    c.records.clear();
    Json(json!({ "ok": true }))
}

/// `POST /control/disconnect-all`: answers once every DISCONNECT packet is queued.
async fn disconnect_all<A: Adapter>(State(c): State<Control<A>>) -> Json<Value> {
    let mut disconnected = 0;
    for ns in c.io.nsps() {
        disconnected += ns.clone().sockets().len();
        // An error means some sockets were already closing, which is the goal anyway.
        let _ = ns.disconnect().await;
    }
    Json(json!({ "ok": true, "disconnected": disconnected }))
}

/// Records `{method, transport, cookie}` under `KEY` for each request (not OPTIONS) to
/// `/socket.io/` with `recordRequest=KEY` in its query, then lets the request through unchanged.
pub async fn record_request(
    State(records): State<Arc<Records>>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::OPTIONS && req.uri().path().starts_with("/socket.io") {
        let query = req.uri().query().unwrap_or("");
        let mut key = None;
        let mut transport = Value::Null;
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            match k.as_ref() {
                "recordRequest" => key = Some(v.into_owned()),
                "transport" => transport = Value::String(v.into_owned()),
                _ => {}
            }
        }
        if let Some(key) = key {
            let cookie = req.headers().get(COOKIE).map_or(Value::Null, |c| {
                Value::String(String::from_utf8_lossy(c.as_bytes()).into_owned())
            });
            let method = req.method().as_str().to_owned();
            records.push(
                &key,
                json!({ "method": method, "transport": transport, "cookie": cookie }),
            );
        }
    }
    next.run(req).await
}
