//! The core's events as the JS face receives them: one call of its callback per event,
//! `(kind, nsp, a, b, c, offset)`, with plain numbers for the kind and the namespace (no array,
//! no boxed numbers: fewer boundary crossings). [`EventKind`] is defined here once and exported;
//! `js/index.js` names its members (`EventKind.Connect`, …), and `tests/support/seam.test.mjs`
//! fails when the two drift.

use crate::prelude::*;

use js_sys::{Array, Function, JsString};
use wasm_bindgen::prelude::*;

use crate::browser::{array_buffer, array_buffers, Source};
use crate::client::{Bytes, ConnectError, Event, Failure, Frame};

/// What an event callback call carries. Kinds below [`EventKind::Connect`] are the Manager's
/// and its engine's (`nsp` is 0); from `Connect` on they are a namespace socket's, `nsp` its
/// id. The arguments `a`, `b`, `c` of each kind are listed with it, and `n` where it has one.
#[wasm_bindgen]
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Manager `open`.
    Open = 0,
    /// Manager `error`: message, description, error type.
    Error,
    /// Manager `ping`.
    Ping,
    /// Manager `close`: reason, description, the namespace ids that disconnect with it.
    Close,
    /// Manager `reconnect_attempt`: attempt.
    ReconnectAttempt,
    /// Manager `reconnect`: attempts.
    Reconnect,
    /// Manager `reconnect_error`: message, description, error type.
    ReconnectError,
    /// Manager `reconnect_failed`.
    ReconnectFailed,
    /// Engine `upgrade`: the transport's name.
    Upgrade,
    /// Engine `upgradeError`: message.
    UpgradeError,
    /// A new Engine.IO session starts opening: `manager.engine` is a new object from now on.
    Opening,
    /// Engine `packet`: type, data (text, `ArrayBuffer` or none).
    EnginePacket,
    /// Engine `packetCreate`: type, data.
    EnginePacketCreate,
    /// Engine `drain`.
    Drain,
    /// Engine `close`: reason, description.
    EngineClose,
    /// Socket `connect`.
    Connect,
    /// Socket `connect_error` for a failed connection: message, description, error type.
    ConnectError,
    /// Socket `connect_error` for a namespace the server refused: message, `data` JSON.
    ConnectRefused,
    /// Socket `disconnect`: reason, description.
    Disconnect,
    /// An event from the server: JSON `[name, ...args]`, attachments; `n` the ack id to
    /// answer (-1: none).
    Message,
    /// An ack for a plain callback: JSON arguments, attachments; `n` the handle.
    Ack,
    /// An ack for an error-first callback (called with `null` first): JSON, attachments; `n`
    /// the handle.
    AckWithError,
    /// An error-first callback's error: message; `n` the handle.
    AckError,
    /// A plain callback that will never be called: `n` its handle.
    AckDiscarded,
    /// A packet being written, for outgoing listeners: JSON `[name, ...args]`, attachments.
    Outgoing,
    /// The next CONNECT waits for `provideAuth`.
    AuthRequest,
    /// A restored emit of the persistent outbox was acknowledged: JSON arguments,
    /// attachments; `n` its id.
    OutboxAck,
    /// A restored emit of the persistent outbox will not be acknowledged: message; `n` its id.
    OutboxAckError,
    /// The persistent outbox's storage failed: message.
    OutboxError,
    /// A flag added to [`EventKind::Message`] or [`EventKind::Ack`]/[`EventKind::AckWithError`]:
    /// their JSON `a` is the tail of the WebSocket frame `a` from `offset` (no string is copied
    /// back out of the WebAssembly).
    InFrame = 128,
}

#[wasm_bindgen]
extern "C" {
    /// The JS face's event callback, `(kind, nsp, a, b, c, offset) => void`.
    #[wasm_bindgen(extends = Function)]
    pub(crate) type EventCallback;

    /// `callback.call(this_arg, kind, nsp, a, b, c, offset, n)`; a listener's exception comes
    /// back as `Err`. `n`: the number an event is about, as a plain number (a `JsValue` number
    /// costs a crossing to make): a MESSAGE's ack id (-1 for none), the handle of the ack an
    /// ACK, an ack error or a discarded ack is for, the id of an outbox emit's answer.
    #[wasm_bindgen(method, js_name = call, catch)]
    #[allow(clippy::too_many_arguments)] // the callback's own shape
    fn call_event(
        this: &EventCallback,
        this_arg: &JsValue,
        kind: u8,
        nsp: u32,
        a: &JsValue,
        b: &JsValue,
        c: &JsValue,
        offset: u32,
        n: f64,
    ) -> Result<(), JsValue>;
}

fn description(f: Option<Failure>) -> JsValue {
    match f {
        Some(Failure::Status(code) | Failure::Closed(code)) => JsValue::from(code),
        Some(Failure::NetworkLost) => JsValue::from_str("network connection lost"),
        Some(Failure::PageCached) => JsValue::from_str("page entered the back/forward cache"),
        _ => JsValue::UNDEFINED,
    }
}

fn text(s: Option<&'static str>) -> JsValue {
    s.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

/// The attachments as listeners get them ([`array_buffers`]), or undefined when there are none.
pub(super) fn buffers(attachments: Vec<Bytes>) -> JsValue {
    if attachments.is_empty() {
        return JsValue::UNDEFINED;
    }
    array_buffers(attachments.into_iter().map(Bytes::into_js).collect()).into()
}

fn frame(data: Option<Frame>) -> JsValue {
    match data {
        Some(Frame::Text(t)) => t.into(),
        Some(Frame::Event(head, data)) => {
            JsString::from(head.as_str()).concat(&data.to_js()).into()
        }
        Some(Frame::Binary(b)) => array_buffer(b.as_js()).into(),
        None => JsValue::UNDEFINED,
    }
}

/// Where `data` starts in `source`'s frame, in UTF-16 code units, when it is the frame's tail
/// after an ASCII header (then JavaScript can take it with `substring`).
fn tail_offset(source: Option<Source<'_>>, data: &str) -> Option<u32> {
    let text = source?.text;
    let start = text.len().checked_sub(data.len())?;
    let (head, tail) = (text.get(..start)?, text.get(start..)?);
    if same_bytes(tail.as_bytes(), data.as_bytes()) && head.is_ascii() {
        u32::try_from(start).ok()
    } else {
        None
    }
}

/// Whether `a` and `b` hold the same bytes, compared 8 at a time: the target's `memcmp`
/// compares one byte at a time, which made this check the largest part of receiving 10 KB.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let ((a_words, a_rest), (b_words, b_rest)) = (a.as_chunks::<8>(), b.as_chunks::<8>());
    a.len() == b.len()
        && a_words
            .iter()
            .zip(b_words)
            .all(|(x, y)| u64::from_ne_bytes(*x) == u64::from_ne_bytes(*y))
        && a_rest == b_rest
}

/// An event's JSON for JavaScript: nothing when it is the tail of `source`'s frame (then
/// `in_frame` gets the frame and `offset` where the JSON starts), else a copy.
fn json<'a>(
    source: Option<Source<'a>>,
    data: &str,
    in_frame: &mut Option<&'a JsValue>,
    offset: &mut u32,
) -> JsValue {
    match (source, tail_offset(source, data)) {
        (Some(source), Some(at)) => {
            *offset = at;
            *in_frame = Some(source.js);
            JsValue::UNDEFINED
        }
        _ => data.into(),
    }
}

/// Hands `events` to the JS face; `source`: the WebSocket frame that produced them, if one did.
pub(crate) fn dispatch(callback: &EventCallback, events: Vec<Event>, source: Option<Source<'_>>) {
    use EventKind as K;
    let u = || JsValue::UNDEFINED;
    for event in events {
        // An event whose JSON is the tail of the frame gives JavaScript the frame itself
        // (borrowed: no slot in the externref table) and where the JSON starts.
        let (mut offset, mut in_frame, mut n) = (0, None, 0.0);
        let (kind, nsp, a, b, c): (K, u32, JsValue, JsValue, JsValue) = match event {
            Event::Open => (K::Open, 0, u(), u(), u()),
            Event::Error(kind, f) => (
                K::Error,
                0,
                kind.as_str().into(),
                description(f),
                text(kind.error_type()),
            ),
            Event::Ping => (K::Ping, 0, u(), u(), u()),
            Event::Close {
                reason,
                failure,
                sockets,
            } => {
                let ids: Array = sockets.iter().map(|n| JsValue::from(n.0)).collect();
                (
                    K::Close,
                    0,
                    reason.as_str().into(),
                    description(failure),
                    ids.into(),
                )
            }
            Event::ReconnectAttempt(n) => (K::ReconnectAttempt, 0, n.into(), u(), u()),
            Event::Reconnect(n) => (K::Reconnect, 0, n.into(), u(), u()),
            Event::ReconnectError(kind, f) => (
                K::ReconnectError,
                0,
                kind.as_str().into(),
                description(f),
                text(kind.error_type()),
            ),
            Event::ReconnectFailed => (K::ReconnectFailed, 0, u(), u(), u()),
            Event::Upgrade(t) => (K::Upgrade, 0, t.as_str().into(), u(), u()),
            Event::UpgradeError(cause) => (K::UpgradeError, 0, cause.as_str().into(), u(), u()),
            Event::Opening => (K::Opening, 0, u(), u(), u()),
            Event::EnginePacket { sent, kind, data } => (
                if sent {
                    K::EnginePacketCreate
                } else {
                    K::EnginePacket
                },
                0,
                kind.as_str().into(),
                frame(data),
                u(),
            ),
            Event::Drain => (K::Drain, 0, u(), u(), u()),
            Event::EngineClose(reason, f) => (
                K::EngineClose,
                0,
                reason.as_str().into(),
                description(f),
                u(),
            ),
            Event::Connect(nsp) => (K::Connect, nsp.0, u(), u(), u()),
            Event::ConnectError(nsp, error) => match &error {
                ConnectError::Server { message, data } => (
                    K::ConnectRefused,
                    nsp.0,
                    message.as_str().into(),
                    data.as_deref().map_or_else(u, JsValue::from),
                    u(),
                ),
                ConnectError::Transport(_, f) => (
                    K::ConnectError,
                    nsp.0,
                    error.message().into(),
                    description(f.clone()),
                    text(error.error_type()),
                ),
                _ => (
                    K::ConnectError,
                    nsp.0,
                    error.message().into(),
                    u(),
                    text(error.error_type()),
                ),
            },
            Event::Disconnect(nsp, reason, f) => (
                K::Disconnect,
                nsp.0,
                reason.as_str().into(),
                description(f),
                u(),
            ),
            Event::Message {
                nsp,
                data,
                attachments,
                ack,
            } => {
                let data = json(source, &data, &mut in_frame, &mut offset);
                n = ack.map_or(-1.0, |ack| ack as f64);
                (K::Message, nsp.0, data, buffers(attachments), u())
            }
            Event::Ack {
                nsp,
                id: handle,
                data,
                attachments,
                with_error,
            } => {
                n = handle as f64;
                (
                    if with_error { K::AckWithError } else { K::Ack },
                    nsp.0,
                    json(source, &data, &mut in_frame, &mut offset),
                    buffers(attachments),
                    u(),
                )
            }
            Event::AckError(nsp, handle, error) => {
                n = handle as f64;
                (K::AckError, nsp.0, error.as_str().into(), u(), u())
            }
            Event::AckDiscarded(nsp, handle) => {
                n = handle as f64;
                (K::AckDiscarded, nsp.0, u(), u(), u())
            }
            Event::Outgoing {
                nsp,
                data,
                attachments,
            } => (K::Outgoing, nsp.0, data.into(), buffers(attachments), u()),
            Event::AuthRequest(nsp) => (K::AuthRequest, nsp.0, u(), u(), u()),
            Event::OutboxAck { nsp, id, result } => {
                n = id as f64;
                match result {
                    Ok((data, attachments)) => {
                        (K::OutboxAck, nsp.0, data.into(), buffers(attachments), u())
                    }
                    Err(error) => (K::OutboxAckError, nsp.0, error.as_str().into(), u(), u()),
                }
            }
            Event::OutboxError(nsp, fault) => {
                (K::OutboxError, nsp.0, fault.as_str().into(), u(), u())
            }
        };
        // A listener that throws must not stop the other events; the JS face reports it to the
        // page's console.
        let (a, kind) = match in_frame {
            Some(frame) => (frame, kind as u8 | K::InFrame as u8),
            None => (&a, kind as u8),
        };
        let _ = callback.call_event(&JsValue::NULL, kind, nsp, a, &b, &c, offset, n);
    }
}
