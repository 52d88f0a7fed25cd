//! The JavaScript API (wasm32 only): `#[wasm_bindgen]` exports that the thin JS face in `js/`
//! wraps into socket.io-client's `io`, `Manager` and `Socket`. Converts values only: every
//! decision (buffer, send, drop, ack, reconnect) is the core's.

use crate::prelude::*;
mod options;

use alloc::rc::Rc;
use core::cell::RefCell;

use core::time::Duration;
use js_sys::{Array, ArrayBuffer, Function, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::browser::{drive, EventSink, Runtime, Source};
use crate::client::url::{self, Location};
use crate::client::{AckMode, EmitOptions, EmitOutcome, Event, Failure, Manager, NspId};

/// The size of the WebAssembly memory in bytes (it only ever grows, in 64 KiB pages).
#[wasm_bindgen(js_name = wasmMemorySize)]
pub fn wasm_memory_size() -> f64 {
    crate::browser::heap::memory_size() as f64
}

/// Bytes of the WebAssembly heap in use: what the core holds now (buffers, pending acks, ...).
#[wasm_bindgen(js_name = wasmHeapInUse)]
pub fn wasm_heap_in_use() -> f64 {
    crate::browser::heap::in_use() as f64
}

/// Resolves an `io()` URL against the page's location. Returns
/// `[managerKey, namespace, origin, query]`; throws on a URL it cannot use.
#[wasm_bindgen(js_name = resolveUrl)]
pub fn resolve_url(
    uri: Option<String>,
    path: &str,
    protocol: Option<String>,
    host: Option<String>,
) -> Result<Array, JsValue> {
    let location = match (protocol, host) {
        (Some(protocol), Some(host)) if !host.is_empty() => Some(Location { protocol, host }),
        _ => None,
    };
    let parsed = url::resolve(uri.as_deref(), location.as_ref())
        .map_err(|e| js_sys::TypeError::new(e.as_str()))?;
    let out = Array::new();
    out.push(&parsed.manager_key(path).into());
    out.push(&parsed.nsp.as_str().into());
    out.push(&parsed.http_origin().into());
    out.push(&parsed.query.as_str().into());
    Ok(out)
}

/// One Manager and its browser runtime. `onEvent(kind, nsp, a, b, c)` receives every event.
#[wasm_bindgen]
pub struct RawManager {
    rt: Rc<RefCell<Runtime>>,
}

#[wasm_bindgen]
impl RawManager {
    /// Makes a closed Manager for `origin` (from `resolveUrl`) with socket.io-client `opts`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        origin: String,
        url_query: &str,
        opts: &JsValue,
        on_event: Function,
        seed: f64,
    ) -> Result<Self, JsValue> {
        let options = options::parse(opts, origin, url_query)?;
        let manager = Manager::new(options.config, seed.to_bits());
        let on_event: EventCallback = on_event.unchecked_into();
        let sink: EventSink = Rc::new(move |events, source| dispatch(&on_event, events, source));
        Ok(Self {
            rt: Runtime::new(
                manager,
                options.http,
                options.protocols,
                sink,
                options.close_on_beforeunload,
            ),
        })
    }

    /// The socket of namespace `nsp` (made if needed). Its CONNECTs wait for `provideAuth`,
    /// asked for by event kind 18: the JS face reads `socket.auth` (an object or a function)
    /// before every CONNECT.
    pub fn socket(&self, nsp: &str) -> u32 {
        drive(&self.rt, |m, _| {
            let id = m.socket(nsp, None);
            m.set_auth_deferred(id, true);
            id.0
        })
        .unwrap_or(u32::MAX)
    }

    /// Sets the Socket options `retries` and `ackTimeout` of `nsp` (negative: unset).
    pub fn configure(&self, nsp: u32, retries: f64, ack_timeout: f64) {
        let retries = (retries >= 0.0).then(|| retries.min(f64::from(u32::MAX)) as u32);
        let ack_timeout = (ack_timeout >= 0.0).then(|| Duration::from_millis(ack_timeout as u64));
        drive(&self.rt, |m, _| {
            m.set_socket_options(NspId(nsp), retries, ack_timeout)
        });
    }

    /// Answers an auth request of `nsp` with `auth` (JSON object text).
    #[wasm_bindgen(js_name = provideAuth)]
    pub fn provide_auth(&self, nsp: u32, auth: Option<String>) {
        drive(&self.rt, |m, now| m.provide_auth(now, NspId(nsp), auth));
    }

    /// Reports written packets of `nsp` as events (kind 17) while `on`.
    #[wasm_bindgen(js_name = notifyOutgoing)]
    pub fn notify_outgoing(&self, nsp: u32, on: bool) {
        drive(&self.rt, |m, _| m.set_notify_outgoing(NspId(nsp), on));
    }

    /// The send buffer of `nsp`: `[seq, json, wantsAck, seq, json, wantsAck, ...]`.
    #[wasm_bindgen(js_name = sendBuffer)]
    pub fn send_buffer(&self, nsp: u32) -> Array {
        let out = Array::new();
        for packet in self.with(|m| m.send_buffer(NspId(nsp))) {
            out.push(&JsValue::from(packet.seq as f64));
            out.push(&JsValue::from(packet.data));
            out.push(&JsValue::from(packet.wants_ack));
        }
        out
    }

    /// Keeps only the packets numbered in `keep` in the send buffer of `nsp`.
    #[wasm_bindgen(js_name = retainSendBuffer)]
    pub fn retain_send_buffer(&self, nsp: u32, keep: Vec<f64>) {
        let keep: Vec<u64> = keep.iter().map(|&seq| seq as u64).collect();
        drive(&self.rt, |m, _| m.retain_send_buffer(NspId(nsp), &keep));
    }

    /// `manager.open()`.
    pub fn open(&self) {
        drive(&self.rt, |m, now| m.open(now));
    }

    /// Closes the connection and stops reconnecting.
    pub fn close(&self) {
        drive(&self.rt, |m, now| m.close_all(now));
    }

    /// `manager.engine.close()`: closes the connection; reconnection follows.
    #[wasm_bindgen(js_name = closeEngine)]
    pub fn close_engine(&self) {
        drive(&self.rt, |m, now| m.close_engine(now));
    }

    /// `socket.connect()`.
    pub fn connect(&self, nsp: u32) -> Result<(), JsValue> {
        drive(&self.rt, |m, now| m.connect(now, NspId(nsp))).map_or(Ok(()), |r| r.map_err(misuse))
    }

    /// `socket.disconnect()`.
    pub fn disconnect(&self, nsp: u32) -> Result<(), JsValue> {
        drive(&self.rt, |m, now| m.disconnect(now, NspId(nsp)))
            .map_or(Ok(()), |r| r.map_err(misuse))
    }

    /// Emits `data` (the JSON array `[name, ...args]`) with `attachments` (array of
    /// `Uint8Array`). `ack`: 0 none, 1 callback, 2 error-first; `timeout` in ms or negative for
    /// none. Returns `outcome + 4 * (ack id + 1)`: outcome 0 sent, 1 buffered, 2 dropped
    /// (volatile); ack id -1 when none.
    pub fn emit(
        &self,
        nsp: u32,
        data: &str,
        attachments: Option<Array>,
        ack: u8,
        timeout: f64,
        volatile: bool,
    ) -> Result<f64, JsValue> {
        let attachments = attachments
            .map(|a| a.iter().map(|b| Uint8Array::new(&b).to_vec()).collect())
            .unwrap_or_default();
        let options = EmitOptions {
            ack: match ack {
                0 => AckMode::None,
                1 => AckMode::Callback,
                _ => AckMode::ErrorFirst,
            },
            volatile,
            timeout: (timeout >= 0.0).then(|| Duration::from_millis(timeout as u64)),
        };
        match drive(&self.rt, |m, now| {
            m.emit(now, NspId(nsp), data, attachments, options)
        }) {
            Some(Ok((id, outcome))) => {
                let outcome = match outcome {
                    EmitOutcome::Sent => 0.0,
                    EmitOutcome::Buffered => 1.0,
                    EmitOutcome::Dropped => 2.0,
                };
                Ok(outcome + 4.0 * id.map_or(0.0, |id| id as f64 + 1.0))
            }
            Some(Err(e)) => Err(misuse(e)),
            None => Err(js_sys::Error::new("emit called from inside the client").into()),
        }
    }

    /// Answers the server's event `id` with `data` (a JSON array of arguments).
    pub fn ack(
        &self,
        nsp: u32,
        id: f64,
        data: &str,
        attachments: Option<Array>,
    ) -> Result<(), JsValue> {
        let attachments = attachments
            .map(|a| a.iter().map(|b| Uint8Array::new(&b).to_vec()).collect())
            .unwrap_or_default();
        drive(&self.rt, |m, now| {
            m.ack(now, NspId(nsp), id as u64, data, attachments)
        })
        .map_or(Ok(()), |r| r.map_err(misuse))
    }

    /// Whether namespace `nsp` is connected.
    pub fn connected(&self, nsp: u32) -> bool {
        self.with(|m| m.is_connected(NspId(nsp)))
    }

    /// Whether namespace `nsp` will connect or reconnect.
    pub fn active(&self, nsp: u32) -> bool {
        self.with(|m| m.is_active(NspId(nsp)))
    }

    /// Whether the last CONNECT of `nsp` recovered the session.
    pub fn recovered(&self, nsp: u32) -> bool {
        self.with(|m| m.is_recovered(NspId(nsp)))
    }

    /// The namespace session id of `nsp`.
    pub fn id(&self, nsp: u32) -> Option<String> {
        self.with(|m| m.socket_id(NspId(nsp)).map(str::to_owned))
    }

    /// The name of the transport in use, or `undefined`.
    pub fn transport(&self) -> Option<String> {
        self.with(|m| m.transport().map(|t| t.as_str().to_owned()))
    }

    /// Whether the Manager is reconnecting.
    pub fn reconnecting(&self) -> bool {
        self.with(Manager::is_reconnecting)
    }

    /// Sets one of `reconnection`, `reconnectionAttempts`, `reconnectionDelay`,
    /// `reconnectionDelayMax`, `randomizationFactor`, `timeout` (negative: disabled).
    pub fn set(&self, key: &str, value: f64) -> Result<(), JsValue> {
        let ms = Duration::from_millis(value.max(0.0) as u64);
        let ok = self.with_mut(|m| {
            match key {
                "reconnection" => m.set_reconnection(value != 0.0),
                "reconnectionAttempts" => m.set_reconnection_attempts(if value.is_finite() {
                    value as u32
                } else {
                    u32::MAX
                }),
                "reconnectionDelay" => m.set_reconnection_delay(ms),
                "reconnectionDelayMax" => m.set_reconnection_delay_max(ms),
                "randomizationFactor" => m.set_randomization_factor(value.clamp(0.0, 1.0)),
                "timeout" => m.set_timeout((value >= 0.0).then_some(ms)),
                _ => return false,
            }
            true
        });
        if ok {
            Ok(())
        } else {
            Err(js_sys::TypeError::new("unknown Manager setting").into())
        }
    }

    /// Drops every transport and timer; the Manager is unusable afterwards.
    pub fn free_runtime(&self) {
        if let Ok(mut rt) = self.rt.try_borrow_mut() {
            rt.shutdown();
        }
    }

    fn with<R: Default>(&self, f: impl FnOnce(&Manager) -> R) -> R {
        self.rt
            .try_borrow()
            .map(|rt| f(&rt.manager))
            .unwrap_or_default()
    }

    fn with_mut<R: Default>(&self, f: impl FnOnce(&mut Manager) -> R) -> R {
        self.rt
            .try_borrow_mut()
            .map(|mut rt| f(&mut rt.manager))
            .unwrap_or_default()
    }
}

fn misuse(e: crate::client::ApiMisuse) -> JsValue {
    js_sys::Error::new(e.as_str()).into()
}

fn failure(f: Option<Failure>) -> JsValue {
    match f {
        Some(Failure::Status(code) | Failure::Closed(code)) => JsValue::from(code),
        Some(Failure::NetworkLost) => JsValue::from_str("network connection lost"),
        _ => JsValue::UNDEFINED,
    }
}

fn buffers(attachments: Vec<Vec<u8>>) -> JsValue {
    if attachments.is_empty() {
        return JsValue::UNDEFINED;
    }
    attachments
        .iter()
        .map(|b| -> ArrayBuffer { Uint8Array::from(b.as_slice()).buffer() })
        .collect::<Array>()
        .into()
}

#[wasm_bindgen]
extern "C" {
    /// The JS face's event callback, `(kind, nsp, a, b, c) => void`, called with plain numbers
    /// for the kind and namespace (no array, no boxed numbers: fewer boundary crossings).
    #[wasm_bindgen(extends = Function)]
    type EventCallback;

    /// `callback.call(this_arg, kind, nsp, a, b, c, offset)`; a listener's exception comes back
    /// as `Err`.
    #[wasm_bindgen(method, js_name = call, catch)]
    #[allow(clippy::too_many_arguments)] // the callback's own shape
    fn call_event(
        this: &EventCallback,
        this_arg: &JsValue,
        kind: u32,
        nsp: u32,
        a: &JsValue,
        b: &JsValue,
        c: &JsValue,
        offset: u32,
    ) -> Result<JsValue, JsValue>;
}

/// Where `data` starts in `source`'s frame, in UTF-16 code units, when it is the frame's tail
/// after an ASCII header (then JavaScript can take it with `substring`).
fn tail_offset(source: Option<Source<'_>>, data: &str) -> Option<u32> {
    let text = source?.text;
    let start = text.len().checked_sub(data.len())?;
    let (head, tail) = (text.get(..start)?, text.get(start..)?);
    if tail == data && head.is_ascii() {
        u32::try_from(start).ok()
    } else {
        None
    }
}

/// Event kinds as numbers for the JS face (see `js/index.js`). `source`: the WebSocket frame
/// that produced the events, if one did.
fn dispatch(callback: &EventCallback, events: Vec<Event>, source: Option<Source<'_>>) {
    let u = JsValue::UNDEFINED;
    for event in events {
        let mut offset = 0;
        let (kind, nsp, a, b, c): (u8, u32, JsValue, JsValue, JsValue) = match event {
            Event::Open => (0, 0, u.clone(), u.clone(), u.clone()),
            Event::Error(kind, f) => (1, 0, kind.as_str().into(), failure(f), u.clone()),
            Event::Ping => (2, 0, u.clone(), u.clone(), u.clone()),
            Event::Close(reason, f) => (3, 0, reason.as_str().into(), failure(f), u.clone()),
            Event::ReconnectAttempt(n) => (4, 0, n.into(), u.clone(), u.clone()),
            Event::Reconnect(n) => (5, 0, n.into(), u.clone(), u.clone()),
            Event::ReconnectError(kind, f) => (6, 0, kind.as_str().into(), failure(f), u.clone()),
            Event::ReconnectFailed => (7, 0, u.clone(), u.clone(), u.clone()),
            Event::Upgrade(t) => (8, 0, t.as_str().into(), u.clone(), u.clone()),
            Event::UpgradeError(cause) => (9, 0, cause.as_str().into(), u.clone(), u.clone()),
            Event::Connect(nsp) => (10, nsp.0, u.clone(), u.clone(), u.clone()),
            Event::ConnectError(nsp, error) => {
                let (data, description) = match &error {
                    crate::client::ConnectError::Server { data, .. } => (
                        data.as_deref().map_or_else(|| u.clone(), JsValue::from),
                        u.clone(),
                    ),
                    crate::client::ConnectError::Transport(_, f) => (u.clone(), failure(f.clone())),
                    _ => (u.clone(), u.clone()),
                };
                let server = matches!(error, crate::client::ConnectError::Server { .. });
                (
                    11,
                    nsp.0,
                    error.message().into(),
                    data,
                    if server { JsValue::TRUE } else { description },
                )
            }
            Event::Disconnect(nsp, reason, f) => {
                (12, nsp.0, reason.as_str().into(), failure(f), u.clone())
            }
            Event::Message {
                nsp,
                data,
                attachments,
                ack,
            } => {
                // 20: the JSON is the frame's tail from `offset` (no string copied back).
                let (kind, data) = match (source, tail_offset(source, &data)) {
                    (Some(source), Some(at)) => {
                        offset = at;
                        (20, source.js.clone())
                    }
                    _ => (13, data.into()),
                };
                (
                    kind,
                    nsp.0,
                    data,
                    buffers(attachments),
                    ack.map_or_else(|| u.clone(), |id| JsValue::from(id as f64)),
                )
            }
            Event::Ack {
                nsp,
                id,
                data,
                attachments,
                with_error,
            } => (
                if with_error { 19 } else { 14 },
                nsp.0,
                JsValue::from(id as f64),
                data.into(),
                buffers(attachments),
            ),
            Event::AckError(nsp, id, error) => (
                15,
                nsp.0,
                JsValue::from(id as f64),
                error.as_str().into(),
                u.clone(),
            ),
            Event::AckDiscarded(nsp, id) => {
                (16, nsp.0, JsValue::from(id as f64), u.clone(), u.clone())
            }
            Event::Outgoing {
                nsp,
                data,
                attachments,
            } => (17, nsp.0, data.into(), buffers(attachments), u.clone()),
            Event::AuthRequest(nsp) => (18, nsp.0, u.clone(), u.clone(), u.clone()),
        };
        // A listener that throws must not stop the other events; the error is reported to the
        // page's console by the JS face.
        let _ = callback.call_event(&JsValue::NULL, kind.into(), nsp, &a, &b, &c, offset);
    }
}
