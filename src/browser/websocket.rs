//! The WebSocket transport: one browser `WebSocket` with array-buffer binary frames, its
//! listeners, and nothing else. Dropping it removes the listeners and closes the socket.

use crate::prelude::*;

use js_sys::Uint8Array;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BinaryType, CloseEvent, WebSocket};

use super::imports::{message_listener, send_joined, send_texts, utf16_len, JOINS_DATA};
use super::inbox::{Inbox, Source};
use super::listener::Listener;
use crate::client::json::Held;
use crate::client::spare::ReleaseSpare;
use crate::client::{Bytes, Failure, Frame, TransportEvent, TransportId};

/// An open or opening WebSocket.
pub(crate) struct WebSocketTransport {
    socket: WebSocket,
    /// Text frames written during the current task, sent at its end: their texts one after
    /// the other, each one's length in UTF-16 code units (with [`JOINS_DATA`] for an EVENT's
    /// header), and the EVENTs' JSON data, which stays in JavaScript.
    texts: String,
    lens: Vec<u32>,
    data: Vec<js_sys::JsString>,
    /// Batches of this task already moved out of `texts` into JavaScript, in order, waiting
    /// for the task's end (see [`BATCH_BYTES`]); `holding` says whether there are any.
    held: js_sys::Array,
    holding: bool,
    _listeners: [Listener; 3],
    _messages: MessageListener,
}

/// The `message` listener (see [`message_listener`]) and the two closures it calls; removed
/// from the socket on drop.
struct MessageListener {
    socket: WebSocket,
    listener: js_sys::Function,
    _text: Closure<dyn FnMut(JsValue, String, f64)>,
    _binary: Closure<dyn FnMut(JsValue)>,
}

impl MessageListener {
    fn new(socket: &WebSocket, inbox: &Inbox, id: TransportId) -> Self {
        let text = {
            let inbox = inbox.clone();
            // The frame twice: as JavaScript holds it (for a `substring` later) and copied
            // into the wasm by the glue as the call's argument.
            Closure::<dyn FnMut(JsValue, String, f64)>::new(
                move |js: JsValue, text: String, at: f64| {
                    let source = Source {
                        js: &js,
                        text: &text,
                        at,
                    };
                    inbox.send_from(TransportEvent::Text(id, &text), source);
                },
            )
        };
        let binary = {
            let inbox = inbox.clone();
            // Called with a `Uint8Array` (see `message_listener`).
            Closure::<dyn FnMut(JsValue)>::new(move |bytes: JsValue| {
                let bytes = Bytes::from_js(bytes.unchecked_into::<Uint8Array>());
                inbox.send(TransportEvent::Binary(id, bytes));
            })
        };
        let listener = message_listener(text.as_ref(), binary.as_ref());
        // Only fails for a target that is not an EventTarget, which the types rule out.
        let _ = socket.add_event_listener_with_callback("message", &listener);
        Self {
            socket: socket.clone(),
            listener,
            _text: text,
            _binary: binary,
        }
    }
}

impl Drop for MessageListener {
    fn drop(&mut self) {
        let _ = self
            .socket
            .remove_event_listener_with_callback("message", &self.listener);
    }
}

impl WebSocketTransport {
    /// Connects to `url`; events go to `inbox` tagged with `id`.
    pub(crate) fn open(
        inbox: &Inbox,
        id: TransportId,
        url: &str,
        protocols: &js_sys::Array,
    ) -> Result<Self, Failure> {
        let socket =
            WebSocket::new_with_str_sequence(url, protocols).map_err(|_| Failure::Network)?;
        socket.set_binary_type(BinaryType::Arraybuffer);
        let on = |kind, event: fn(TransportId, JsValue) -> TransportEvent<'static>| {
            let inbox = inbox.clone();
            Listener::new(&socket, kind, move |e| inbox.send(event(id, e)))
        };
        let listeners = [
            on("open", |id, _| TransportEvent::WebSocketOpen(id)),
            on("close", |id, event| {
                // A WebSocket's `close` is a `CloseEvent`.
                let code = event.unchecked_ref::<CloseEvent>().code();
                TransportEvent::WebSocketClosed(id, Failure::Closed(code))
            }),
            on("error", |id, _| {
                TransportEvent::WebSocketClosed(id, Failure::Network)
            }),
        ];
        let messages = MessageListener::new(&socket, inbox, id);
        Ok(Self {
            socket,
            texts: String::new(),
            lens: Vec::new(),
            data: Vec::new(),
            held: js_sys::Array::new(),
            holding: false,
            _listeners: listeners,
            _messages: messages,
        })
    }

    /// Queues one frame for [`WebSocketTransport::flush`]. Text frames join the batch (the
    /// frame's own allocation is freed at once, so a burst holds its texts once); a binary frame
    /// goes now, in order after what was queued before it.
    pub(crate) fn queue(&mut self, frame: Frame) {
        match frame {
            Frame::Text(text) => self.queue_text(&[&text], 0),
            Frame::Event(head, data) => match data.into_held() {
                Held::Js(js) => {
                    self.data.push(js);
                    self.queue_text(&[&head], JOINS_DATA);
                }
                // Rust text (the Rust API's): one frame of the batch, header and data together.
                Held::Text(text) => self.queue_text(&[&head, &text], 0),
            },
            Frame::Binary(bytes) => {
                self.send_texts();
                let _ = self.socket.send_with_array_buffer_view(bytes.as_js());
            }
        }
    }

    /// Adds one frame's text, made of `parts`, to the batch (`joins`: [`JOINS_DATA`] when a
    /// JavaScript string of `data` follows it).
    fn queue_text(&mut self, parts: &[&str], joins: u32) {
        let len = parts
            .iter()
            .map(|part| utf16_len(part))
            .fold(0, u32::saturating_add);
        self.lens.push(len | joins);
        for part in parts {
            self.texts.push_str(part);
        }
        // A burst of thousands of emits in one task leaves the WebAssembly in slices, so that
        // the batch, and with it the wasm memory's high-water mark, stays small; the frames
        // are still sent at the task's end.
        if self.texts.len() + 4 * self.lens.len() >= BATCH_BYTES {
            self.hand_over(false);
            self.holding = true;
        }
    }

    /// Moves the batch into JavaScript with [`send_texts`] (which sends it and the held ones
    /// when `send`, else holds it), then empties it.
    fn hand_over(&mut self, send: bool) {
        let data = core::mem::take(&mut self.data);
        let ws = send.then_some(&self.socket);
        send_texts(ws, &self.held, &self.texts, &self.lens, data);
        self.texts.clear();
        self.lens.clear();
    }

    /// Writes the queued frames in order; a failure surfaces later as the socket's close event.
    /// Consecutive text frames go to JavaScript as one string and their lengths: decoding UTF-8
    /// once per batch rather than once per frame is most of the cost of a small emit.
    pub(crate) fn flush(&mut self) {
        self.send_texts();
        // A burst of emits must not pin its peak.
        if self.texts.capacity() > SPARE_BYTES {
            self.texts = String::new();
        }
        self.lens.release_spare();
    }

    /// Sends the held and the batched text frames, then empties both.
    fn send_texts(&mut self) {
        match self.lens.len() {
            0 if !self.holding => {}
            // One frame (an ack's emit, an answer): sent as it is, without a batch's arrays.
            // A lone frame with data is an EVENT's header, its text the whole batch's.
            1 if !self.holding => match self.data.pop() {
                Some(data) => send_joined(&self.socket, &self.texts, &data),
                None => {
                    let _ = self.socket.send_with_str(&self.texts);
                }
            },
            _ => self.hand_over(true),
        }
        self.holding = false;
        self.texts.clear();
        self.lens.clear();
    }
}

/// The batch's capacity kept between tasks; a larger one (left by a burst) is freed.
const SPARE_BYTES: usize = 4 * 1024;

/// A batch this long moves into JavaScript before the task ends (it is cut into frames and sent
/// at its end, as the official client sends a burst after its loop): a large burst needs one
/// crossing per 8 KiB, not wasm memory the size of the whole burst, which never shrinks. At
/// 8 KiB a burst's peak (the texts, their lengths and the JavaScript data, about 28 KB with
/// their regrowth) fits the heap's part of the first page (src/browser/heap.rs), so the memory
/// never grows for it; 16 KiB took a second page. Sending, or even cutting, the frames at once
/// instead would slow a synchronous emit loop (the bench's first row).
const BATCH_BYTES: usize = 8 * 1024;

impl Drop for WebSocketTransport {
    fn drop(&mut self) {
        self.flush();
        let _ = self.socket.close();
    }
}
