//! The test namespaces (`--test`): `/` and `/custom` with the same events, and `/auth`, which only
//! accepts `auth = {token: "secret"}`. `tests/servers/node-server.mjs` implements the same contract
//! on the official Node server; keep the two in step.
//!
//! Events (any of them may carry an ack):
//! - `echo` (...args): emits `echo` back with the same args, and acks with the same args.
//! - `ack-later` (ms): acks with `"done"` after `ms` milliseconds.
//! - `no-ack`: does nothing.
//! - `record` (key, value): appends `value` to the list `key`; acks with the new length.
//! - `burst` ({event, count}): emits `count` events `event` with the index as sole argument, in
//!   order, then acks with `count`.
//! - `server-disconnect`: disconnects the socket from the server side.
//! - `get-handshake`: acks with `{auth, query}` (`auth` is `{}` when the client sent none, as on
//!   the Node server).
//! - `join` (room): joins `room`, then acks with no argument.
//! - `to-room` (room, event, ...args): emits `event` with `args` to every socket of the namespace
//!   in `room` (the sender included), then acks with no argument.
//! - `whoami`: acks with the name of the server instance (`--instance`, default `"main"`).
//! - `ask` (event, ...args): emits `event` with `args` to the sender, asking for an ack (5 s), then
//!   acks with the client's answer (its arguments), or `"no answer"` when none came.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Deserialize;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, Data, SocketRef, State, TryData};
use socketioxide::handler::ConnectHandler;
use socketioxide::{SendError, SocketError, SocketIo};
use socketioxide_core::adapter::DefinedAdapter;

use crate::payload::{Arg, Args};

/// The in-memory lists written by the `record` event and read by `/control/records/{key}`.
#[derive(Debug, Default)]
pub struct Records(Mutex<HashMap<String, Vec<serde_json::Value>>>);

impl Records {
    /// Appends `value` to the list `key` and returns the list's new length.
    pub fn push(&self, key: &str, value: serde_json::Value) -> usize {
        let mut lists = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let list = lists.entry(key.to_owned()).or_default();
        list.push(value);
        list.len()
    }

    /// A copy of the list `key` (empty when nothing was recorded under it).
    pub fn get(&self, key: &str) -> Vec<serde_json::Value> {
        let lists = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        lists.get(key).cloned().unwrap_or_default()
    }

    /// Forgets every list.
    pub fn clear(&self) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// Registers `/`, `/custom` and `/auth`. The records live in the `SocketIo` state
/// (`Arc<Records>`), so they must be given to the builder with `with_state`.
/// Returns each namespace's adapter initialisation, which the caller awaits (a Redis adapter
/// subscribes there) or drops (the local adapter's is `()`).
pub fn register<A: Adapter + DefinedAdapter>(io: &SocketIo<A>) -> Vec<A::InitRes> {
    vec![
        io.ns("/", on_connect::<A>),
        io.ns("/custom", on_connect::<A>),
        io.ns("/auth", on_connect::<A>.with(check_token)),
    ]
}

/// Why `/auth` refused a connection. Its `Display` is the CONNECT_ERROR `message`.
///
/// socketioxide sends `{"message": <Display>}` and nothing else: it has no way to attach the
/// `data` field that the Node server sends (`{"reason":"bad token"}`).
#[derive(Debug)]
pub struct Unauthorized;

impl std::fmt::Display for Unauthorized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unauthorized")
    }
}

/// `/auth` middleware: accepts only `auth = {token: "secret"}`.
async fn check_token(TryData(auth): TryData<serde_json::Value>) -> Result<(), Unauthorized> {
    let token = auth.ok().and_then(|a| a.get("token").cloned());
    match token {
        Some(serde_json::Value::String(t)) if t == "secret" => Ok(()),
        _ => Err(Unauthorized),
    }
}

/// Attaches the test events to a socket that just connected.
async fn on_connect<A: Adapter>(s: SocketRef<A>, TryData(auth): TryData<serde_json::Value>) {
    let handshake = serde_json::json!({
        "auth": auth.unwrap_or(serde_json::Value::Null),
        "query": query_object(s.req_parts().uri.query().unwrap_or("")),
    });
    s.on("echo", echo::<A>);
    s.on("ack-later", ack_later::<A>);
    s.on("no-ack", async || {});
    s.on("record", record::<A>);
    s.on("burst", burst::<A>);
    s.on("server-disconnect", async |s: SocketRef<A>| {
        // Err only means the socket is already gone, which is what was asked for.
        let _ = s.disconnect();
    });
    s.on("get-handshake", move |ack: AckSender<A>| async move {
        let _ = ack.send(&(handshake,));
    });
    s.on("join", join::<A>);
    s.on("to-room", to_room::<A>);
    s.on("ask", ask::<A>);
    s.on("whoami", crate::cluster::whoami::<A>);
}

/// `ask` (event, ...args): asks the client the question `event` with `args` and acks with its
/// answer.
async fn ask<A: Adapter>(s: SocketRef<A>, Data(args): Data<Args>, ack: AckSender<A>) {
    let mut args = args.0.into_iter();
    let Some(crate::payload::Arg::String(event)) = args.next() else {
        return;
    };
    let question = Args(args.collect());
    let answer = match s
        .timeout(Duration::from_secs(5))
        .emit_with_ack::<_, Args>(&event, &question)
    {
        Ok(stream) => stream.await.ok(),
        Err(_) => None,
    };
    let _ = match answer {
        Some(answer) => ack.send(&answer),
        None => ack.send(&("no answer",)),
    };
}

/// The query string as Node's `querystring.parse` returns it: a repeated key becomes an array.
fn query_object(query: &str) -> serde_json::Value {
    use serde_json::Value;
    let mut object = serde_json::Map::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = Value::String(value.into_owned());
        match object.get_mut(key.as_ref()) {
            None => {
                object.insert(key.into_owned(), value);
            }
            Some(Value::Array(values)) => values.push(value),
            Some(first) => *first = Value::Array(vec![first.take(), value]),
        }
    }
    Value::Object(object)
}

/// `echo`: sends the same args back as an event, and as the ack if one was asked for.
///
/// Send errors mean the client is gone; there is no one left to tell.
pub async fn echo<A: Adapter>(s: SocketRef<A>, Data(args): Data<Args>, ack: AckSender<A>) {
    let _ = s.emit("echo", &args);
    let _ = ack.send(&args);
}

/// `ack-later` (ms): acks with `"done"` after `ms` milliseconds.
async fn ack_later<A: Adapter>(Data(args): Data<Args>, ack: AckSender<A>) {
    let ms = args.get(0).and_then(Arg::as_f64).unwrap_or(0.0).max(0.0);
    tokio::time::sleep(Duration::from_secs_f64(ms / 1000.0)).await;
    let _ = ack.send(&("done",));
}

/// `record` (key, value): appends `value` to the list `key`, acks with the new length.
async fn record<A: Adapter>(
    State(records): State<Arc<Records>>,
    Data(args): Data<Args>,
    ack: AckSender<A>,
) {
    let key = args.get(0).and_then(Arg::as_str).unwrap_or("");
    let value = args.get(1).map_or(serde_json::Value::Null, Arg::to_json);
    let len = records.push(key, value);
    let _ = ack.send(&(len,));
}

/// The argument of `burst`.
#[derive(Debug, Deserialize)]
struct BurstRequest {
    event: String,
    count: u64,
}

/// `burst` ({event, count}): emits `count` events in order, then acks with `count`.
async fn burst<A: Adapter>(s: SocketRef<A>, Data(req): Data<BurstRequest>, ack: AckSender<A>) {
    for i in 0..req.count {
        if !emit_waiting(&s, &req.event, &(i,)).await {
            return;
        }
    }
    let _ = ack.send(&(req.count,));
}

/// Emits, waiting while the socket's outgoing queue is full (a burst can be larger than it).
/// Returns false when the socket is gone or the data cannot be encoded.
async fn emit_waiting<A: Adapter, T: serde::Serialize + ?Sized>(
    s: &SocketRef<A>,
    event: &str,
    data: &T,
) -> bool {
    loop {
        match s.emit(event, data) {
            Ok(()) => return true,
            Err(SendError::Socket(SocketError::InternalChannelFull)) => {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            Err(_) => return false,
        }
    }
}

/// `join` (room): joins the room, then acks.
async fn join<A: Adapter>(s: SocketRef<A>, Data(args): Data<Args>, ack: AckSender<A>) {
    if let Some(room) = args.get(0).and_then(Arg::as_str) {
        s.join(room.to_owned());
    }
    let _ = ack.send(&Args::default());
}

/// `to-room` (room, event, ...args): emits to the whole room (sender included), then acks.
async fn to_room<A: Adapter>(s: SocketRef<A>, Data(args): Data<Args>, ack: AckSender<A>) {
    let mut args = args.0.into_iter();
    let (Some(Arg::String(room)), Some(Arg::String(event))) = (args.next(), args.next()) else {
        return;
    };
    let _ = s.within(room).emit(&event, &Args(args.collect())).await;
    let _ = ack.send(&Args::default());
}
