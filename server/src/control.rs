//! The control endpoints of test mode (`--test`), for tests that need to act on the server:
//! - `GET /control/records/{key}`: the JSON array recorded under `key` (or `[]`);
//! - `POST /control/reset`: forgets every record;
//! - `POST /control/disconnect-all`: disconnects every socket of every namespace from the server
//!   side (the clients see `"io server disconnect"`).
//!
//! They answer JSON; CORS is opened by the layer that `main` puts around the whole app.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use socketioxide::SocketIo;

use crate::testns::Records;

/// What the control handlers act on.
#[derive(Clone)]
struct Control {
    io: SocketIo,
    records: Arc<Records>,
}

/// The `/control/*` routes.
pub fn router(io: SocketIo, records: Arc<Records>) -> Router {
    Router::new()
        .route("/control/records/{key}", get(get_records))
        .route("/control/reset", post(reset))
        .route("/control/disconnect-all", post(disconnect_all))
        .with_state(Control { io, records })
}

/// `GET /control/records/{key}`.
async fn get_records(State(c): State<Control>, Path(key): Path<String>) -> Json<Vec<Value>> {
    Json(c.records.get(&key))
}

/// `POST /control/reset`.
async fn reset(State(c): State<Control>) -> Json<Value> {
    c.records.clear();
    Json(json!({ "ok": true }))
}

/// `POST /control/disconnect-all`: answers once every DISCONNECT packet is queued.
async fn disconnect_all(State(c): State<Control>) -> Json<Value> {
    let mut disconnected = 0;
    for ns in c.io.nsps() {
        disconnected += ns.clone().sockets().len();
        // An error means some sockets were already closing, which is the goal anyway.
        let _ = ns.disconnect().await;
    }
    Json(json!({ "ok": true, "disconnected": disconnected }))
}
