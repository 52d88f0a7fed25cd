//! The JavaScript API (wasm32 only): `#[wasm_bindgen]` exports that the thin JS face in
//! `js/index.js` wraps into socket.io-client's `io`, `Manager` and `Socket`. Converts values
//! only, over the browser layer's [`Client`]: every decision (buffer, send, drop, ack mode and
//! timeout, reserved names, settings and their defaults, error types, reconnection) is the
//! core's.

use crate::prelude::*;
mod control;
mod events;
mod options;

use core::time::Duration;
use js_sys::{Array, Function, JsString, Uint8Array};
use wasm_bindgen::prelude::*;

pub use crate::browser::SettingKey as ManagerSetting;
use crate::browser::{page_location, CallError, Client, EventSink};
use crate::client::time::whole_millis;
use crate::client::{check_event_name, url, AckMode, ApiMisuse, Bytes, EmitOptions, Json, NspId};
pub use control::Control;
pub use events::EventKind;
use events::{dispatch, EventCallback};

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

/// Resolves an `io()` URL against the page's location: `[managerKey, namespace]` for the
/// Manager cache of `io()`, or the `TypeError` to throw for a URL it cannot use (a value, not
/// a `Result`: see [`RawManager::control`]). `path`: the `path` option, if given.
#[wasm_bindgen(js_name = resolveUrl)]
pub fn resolve_url(uri: Option<String>, path: Option<String>) -> JsValue {
    match url::resolve(uri.as_deref(), page_location().as_ref()) {
        Ok(parsed) => {
            let key = parsed.manager_key(path.as_deref().unwrap_or(options::DEFAULT_PATH));
            Array::of2(&key.into(), &parsed.nsp.as_str().into()).into()
        }
        Err(e) => js_sys::TypeError::new(e.as_str()).into(),
    }
}

/// The lengths of the reserved event names, bit n for n characters: the face checks a name of
/// such a length at the emit ([`RawManager::check_emit`]), before the emit waits for the end
/// of the task.
#[wasm_bindgen(js_name = reservedLengths)]
pub fn reserved_lengths() -> u32 {
    crate::client::reserved_lengths()
}

/// The tables of the options the face reads and type-checks for [`RawManager::new`] and
/// [`RawManager::socket`] (`options::OPTION_TABLES`).
#[wasm_bindgen(js_name = optionTables)]
pub fn option_tables() -> JsValue {
    // A string made here, not a `String` returned: that is a pointer and a length the glue
    // decodes and then frees.
    JsValue::from_str(options::OPTION_TABLES)
}

/// The bits of [`RawManager::emit`]'s `mode`.
#[wasm_bindgen]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmitFlag {
    /// An ack callback was given.
    Ack = 1,
    /// The ack callback is error-first (`emitWithAck`).
    AckErrorFirst = 2,
    /// The `volatile` flag.
    Volatile = 4,
    /// No other emit follows in this batch (the face's last queued emit): its frames go out
    /// before the call returns instead of at the task's end.
    Last = 8,
}

impl EmitFlag {
    fn is_in(self, mode: u32) -> bool {
        mode & self as u32 != 0
    }
}

/// The bits of [`RawManager::state`].
#[wasm_bindgen]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The namespace is connected.
    Connected = 1,
    /// The namespace will connect or reconnect.
    Active = 2,
    /// The namespace's last CONNECT recovered its session.
    Recovered = 4,
    /// The Manager's `autoConnect` option (default true).
    AutoConnect = 8,
}

/// One Manager and its browser runtime. `onEvent(kind, nsp, a, b, c, offset)` receives every
/// event (see [`EventKind`]).
#[wasm_bindgen]
pub struct RawManager {
    client: Client,
    auto_connect: bool,
    /// The `Error` of the last refused [`RawManager::emit`] or [`RawManager::socket`], until
    /// [`RawManager::take_error`].
    refused: core::cell::Cell<Option<JsValue>>,
}

/// What [`RawManager::emit`] returns when no ack callback was given.
const NO_ACK: f64 = -1.0;
/// What [`RawManager::emit`] returns when it refused the emit.
const REFUSED: f64 = -2.0;

#[wasm_bindgen]
impl RawManager {
    /// Makes a closed Manager for `uri` (resolved against the page) with the values of
    /// socket.io-client's options, `values` (see `options::parse`); throws a `TypeError` on
    /// an unusable URL or value.
    #[wasm_bindgen(constructor)]
    pub fn new(uri: Option<String>, values: &Array, on_event: Function) -> Result<Self, JsValue> {
        let options = options::parse(uri.as_deref(), values)?;
        let on_event: EventCallback = on_event.unchecked_into();
        let sink = |_| -> EventSink {
            alloc::rc::Rc::new(move |events, source| dispatch(&on_event, events, source))
        };
        Ok(Self {
            client: Client::new(options.config, options.browser, sink),
            auto_connect: options.auto_connect,
            refused: core::cell::Cell::new(None),
        })
    }

    /// The socket of namespace `nsp` (made if needed), with the values of the Socket options
    /// `retries` and `ackTimeout` (see `options::socket_options`). Its CONNECTs wait for
    /// `provideAuth`, asked for by [`EventKind::AuthRequest`]. Returns its id, or -1 when it
    /// was refused: then [`RawManager::take_error`] gives the `Error` to throw.
    pub fn socket(&self, nsp: &str, values: &Array) -> f64 {
        let (retries, ack_timeout) = options::socket_options(values);
        match self.client.socket(nsp, true) {
            Ok(id) => {
                if retries.is_some() || ack_timeout.is_some() {
                    self.client.configure_socket(id, retries, ack_timeout);
                }
                f64::from(id.0)
            }
            Err(e) => {
                self.refused.set(Some(error(e)));
                -1.0
            }
        }
    }

    /// Answers an auth request of `nsp` with `auth` (JSON object text).
    #[wasm_bindgen(js_name = provideAuth)]
    pub fn provide_auth(&self, nsp: u32, auth: Option<String>) {
        self.client.provide_auth(NspId(nsp), auth);
    }

    /// The send buffer of `nsp`: `[seq, json, wantsAck, seq, json, wantsAck, ...]`.
    #[wasm_bindgen(js_name = sendBuffer)]
    pub fn send_buffer(&self, nsp: u32) -> Array {
        let out = Array::new();
        for packet in self.client.send_buffer(NspId(nsp)) {
            out.push(&JsValue::from(packet.seq as f64));
            out.push(&packet.data.to_js());
            out.push(&JsValue::from(packet.wants_ack));
        }
        out
    }

    /// Milliseconds until the next reconnection attempt while one waits out its delay, else
    /// `undefined`. (A `JsValue`, as [`RawManager::id`]'s: an `Option` return is a pair that
    /// wasm-bindgen's glue unpacks.)
    #[wasm_bindgen(js_name = nextAttemptIn)]
    pub fn next_attempt_in(&self) -> JsValue {
        self.client
            .next_attempt_in()
            .map_or(
                JsValue::UNDEFINED,
                |d| JsValue::from(whole_millis(d) as f64),
            )
    }

    /// The emits of `nsp` kept in the persistent outbox that still wait, oldest first:
    /// `[id, json, attachments, retry, wantsAck, ...]`.
    pub fn outbox(&self, nsp: u32) -> Array {
        let out = Array::new();
        for emit in self.client.outbox(NspId(nsp)) {
            out.push(&JsValue::from(emit.id as f64));
            out.push(&emit.data.to_js());
            out.push(&events::buffers(emit.attachments));
            out.push(&JsValue::from(emit.retry));
            out.push(&JsValue::from(emit.wants_ack));
        }
        out
    }

    /// Keeps only the packets numbered in `keep` (an array of their numbers) in the send
    /// buffer of `nsp`. (An `Array` read here, not a `Vec<f64>`: that one needs the glue's
    /// copy into the WebAssembly memory, for a setter that is rarely called.)
    #[wasm_bindgen(js_name = retainSendBuffer)]
    pub fn retain_send_buffer(&self, nsp: u32, keep: &Array) {
        let keep: Vec<u64> = keep
            .iter()
            .filter_map(|seq| seq.as_f64())
            .map(|seq| seq as u64)
            .collect();
        self.client.retain_send_buffer(NspId(nsp), &keep);
    }

    /// The error [`RawManager::emit`] would throw for the event `name` (or `undefined`), for
    /// an emit that will be made later (its Blobs are read first).
    #[wasm_bindgen(js_name = checkEmit)]
    pub fn check_emit(&self, name: &str) -> JsValue {
        thrown(check_event_name(name).map_err(|e| misuse(e, name)))
    }

    /// Emits `data` (the JSON array `[name, ...args]`, a JavaScript string that stays one: the
    /// core writes the header and the WebSocket joins the two) with `attachments` (array of
    /// `Uint8Array`). `name`: the event name as a string (a number's too) when its length
    /// makes it a possible reserved one (`reservedLengths()`), else none: the face reads that
    /// bit, so that other names never cross. `mode`: the [`EmitFlag`] bits of what was given; the core decides the
    /// rest (timeouts, `ackTimeout`, `retries`). `timeout`: `timeout(ms)`, or a negative number
    /// for none. Returns the handle of the ack callback, -1 when none was given, or -2 when the
    /// emit was refused: then [`RawManager::take_error`] gives the `Error` to throw. (Plain
    /// numbers in and out, no `Result`: wasm-bindgen returns a `Result` as an array, one
    /// allocation per emit.)
    pub fn emit(
        &self,
        nsp: u32,
        name: Option<String>,
        data: JsString,
        attachments: Option<Array>,
        mode: u32,
        timeout: f64,
    ) -> f64 {
        let name = name.unwrap_or_default();
        if let Err(e) = check_event_name(&name) {
            self.refused.set(Some(misuse(e, &name)));
            return REFUSED;
        }
        let options = EmitOptions {
            ack: if EmitFlag::AckErrorFirst.is_in(mode) {
                AckMode::ErrorFirst
            } else if EmitFlag::Ack.is_in(mode) {
                AckMode::Callback
            } else {
                AckMode::None
            },
            volatile: EmitFlag::Volatile.is_in(mode),
            timeout: (timeout >= 0.0).then(|| millis(timeout)),
        };
        match self.client.emit(
            NspId(nsp),
            Json::from_js(data),
            attached(attachments),
            options,
            EmitFlag::Last.is_in(mode),
        ) {
            Ok(handle) => handle.map_or(NO_ACK, |h| h as f64),
            Err(e) => {
                self.refused.set(Some(match e {
                    CallError::Misuse(e) => misuse(e, &name),
                    e => error(e),
                }));
                REFUSED
            }
        }
    }

    /// The `Error` of the last emit that returned -2 or socket that returned -1 (once;
    /// `undefined` after).
    #[wasm_bindgen(js_name = takeError)]
    pub fn take_error(&self) -> JsValue {
        self.refused.take().unwrap_or(JsValue::UNDEFINED)
    }

    /// Answers the server's event `id` with `data` (a JSON array of arguments, a JavaScript
    /// string that stays one, as an emit's); returns the `Error` to throw, or `undefined`.
    pub fn ack(&self, nsp: u32, id: f64, data: JsString, attachments: Option<Array>) -> JsValue {
        let answer = Json::from_js(data);
        let attachments = attached(attachments);
        thrown(
            self.client
                .ack(NspId(nsp), id as u64, answer, attachments)
                .map_err(error),
        )
    }

    /// The [`State`] bits of namespace `nsp` (and the Manager's `autoConnect`): one call for
    /// every getter of the face that reads them.
    pub fn state(&self, nsp: u32) -> u32 {
        let nsp = NspId(nsp);
        let bit = |on: bool, bit: State| if on { bit as u32 } else { 0 };
        bit(self.auto_connect, State::AutoConnect)
            | self.client.read(|m| {
                bit(m.is_connected(nsp), State::Connected)
                    | bit(m.is_active(nsp), State::Active)
                    | bit(m.is_recovered(nsp), State::Recovered)
            })
    }

    /// The namespace session id of `nsp`, or `undefined`. (A string made here: an
    /// `Option<String>` return is a pointer and a length that the glue decodes and frees.)
    pub fn id(&self, nsp: u32) -> JsValue {
        self.client
            .socket_id(NspId(nsp))
            .map_or(JsValue::UNDEFINED, |id| JsValue::from_str(&id))
    }

    /// The name of the transport in use, or `undefined`.
    pub fn transport(&self) -> JsValue {
        self.client
            .transport()
            .map_or(JsValue::UNDEFINED, |t| JsValue::from_str(t.as_str()))
    }
}

/// Milliseconds from JavaScript as a duration (a negative number or NaN as zero, more than
/// 1e15 as 1e15: about 31,700 years).
fn millis(n: f64) -> Duration {
    Duration::from_millis(n.clamp(0.0, 1e15) as u64)
}

/// Each `Uint8Array` of `attachments`, shared (not copied into the WebAssembly).
fn attached(attachments: Option<Array>) -> Vec<Bytes> {
    attachments
        .map(|a| {
            a.iter()
                // The face makes every attachment a `Uint8Array` (`deconstruct`).
                .map(|b| Bytes::from_js(b.unchecked_into::<Uint8Array>()))
                .collect()
        })
        .unwrap_or_default()
}

/// The error of `result` for the face to throw, or `undefined`.
fn thrown(result: Result<(), JsValue>) -> JsValue {
    result.err().unwrap_or(JsValue::UNDEFINED)
}

fn error(e: CallError) -> JsValue {
    js_sys::Error::new(e.as_str()).into()
}

/// The `Error` for a misuse of an emit of event `name`: socket.io-client's own message for a
/// reserved name.
fn misuse(e: ApiMisuse, name: &str) -> JsValue {
    match e {
        ApiMisuse::ReservedEventName => js_sys::Error::new(&crate::protocol::text::concat(&[
            "\"",
            name,
            "\" is a reserved event name",
        ]))
        .into(),
        _ => error(CallError::Misuse(e)),
    }
}
