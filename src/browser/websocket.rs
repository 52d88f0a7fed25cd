//! The WebSocket transport: one browser `WebSocket` with array-buffer binary frames, its
//! listeners, and nothing else. Dropping it removes the listeners and closes the socket.

use crate::prelude::*;
use alloc::rc::Weak;
use core::cell::RefCell;

use js_sys::Uint8Array;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, CloseEvent, WebSocket};

use super::bindings::{message_listener, send_texts};
use super::listener::Listener;
use super::runtime::{deliver, Runtime};
use crate::client::spare::ReleaseSpare;
use crate::client::{Failure, Frame, TransportEvent, TransportId};

/// An open or opening WebSocket.
pub(crate) struct WebSocketTransport {
    socket: WebSocket,
    /// Frames written during the current task, sent at its end.
    pending: Vec<Frame>,
    _listeners: [Listener; 3],
    _messages: MessageListener,
}

/// The `message` listener (see [`message_listener`]) and the two closures it calls; removed
/// from the socket on drop.
struct MessageListener {
    socket: WebSocket,
    listener: js_sys::Function,
    _text: Closure<dyn FnMut(String)>,
    _binary: Closure<dyn FnMut(Uint8Array)>,
}

impl MessageListener {
    fn new(socket: &WebSocket, rt: &Weak<RefCell<Runtime>>, id: TransportId) -> Self {
        let text = {
            let rt = rt.clone();
            Closure::<dyn FnMut(String)>::new(move |text: String| {
                deliver(&rt, |m, now| {
                    m.handle_transport(now, TransportEvent::Text(id, &text))
                });
            })
        };
        let binary = {
            let rt = rt.clone();
            Closure::<dyn FnMut(Uint8Array)>::new(move |bytes: Uint8Array| {
                let bytes = bytes.to_vec();
                deliver(&rt, |m, now| {
                    m.handle_transport(now, TransportEvent::Binary(id, bytes))
                });
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
    /// Connects to `url`; events go to the runtime behind `rt` tagged with `id`.
    pub(crate) fn open(
        rt: &Weak<RefCell<Runtime>>,
        id: TransportId,
        url: &str,
        protocols: &js_sys::Array,
    ) -> Result<Self, Failure> {
        let socket =
            WebSocket::new_with_str_sequence(url, protocols).map_err(|_| Failure::Network)?;
        socket.set_binary_type(BinaryType::Arraybuffer);
        let on = |kind, handler: fn(&Weak<RefCell<Runtime>>, TransportId, web_sys::Event)| {
            let rt = rt.clone();
            Listener::new(&socket, kind, move |event| handler(&rt, id, event))
        };
        let listeners = [
            on("open", |rt, id, _| {
                deliver(rt, |m, now| {
                    m.handle_transport(now, TransportEvent::WebSocketOpen(id))
                })
            }),
            on("close", |rt, id, event| {
                let code = event.dyn_ref::<CloseEvent>().map_or(1006, CloseEvent::code);
                deliver(rt, |m, now| {
                    m.handle_transport(
                        now,
                        TransportEvent::WebSocketClosed(id, Failure::Closed(code)),
                    )
                });
            }),
            on("error", |rt, id, _| {
                deliver(rt, |m, now| {
                    m.handle_transport(now, TransportEvent::WebSocketClosed(id, Failure::Network))
                });
            }),
        ];
        let messages = MessageListener::new(&socket, rt, id);
        Ok(Self {
            socket,
            pending: Vec::new(),
            _listeners: listeners,
            _messages: messages,
        })
    }

    /// Queues one frame for [`WebSocketTransport::flush`].
    pub(crate) fn queue(&mut self, frame: Frame) {
        self.pending.push(frame);
    }

    /// Writes the queued frames in order; a failure surfaces later as the socket's close event.
    /// Consecutive text frames go to JavaScript as one string and their lengths: decoding UTF-8
    /// once per batch rather than once per frame is most of the cost of a small emit.
    pub(crate) fn flush(&mut self) {
        let mut texts = String::new();
        let mut lens: Vec<u32> = Vec::new();
        for frame in self.pending.drain(..) {
            match frame {
                Frame::Text(text) => {
                    lens.push(utf16_len(&text));
                    texts.push_str(&text);
                    if texts.len() >= BATCH_BYTES {
                        send_batch(&self.socket, &mut texts, &mut lens);
                    }
                }
                Frame::Binary(bytes) => {
                    send_batch(&self.socket, &mut texts, &mut lens);
                    let _ = self.socket.send_with_u8_array(&bytes);
                }
            }
        }
        send_batch(&self.socket, &mut texts, &mut lens);
        self.pending.release_spare(); // a burst of emits must not pin its peak
    }
}

/// A batch of text frames crosses into JavaScript once it holds this many bytes: large enough
/// to amortise the crossing, small enough that a burst of emits does not double its memory.
const BATCH_BYTES: usize = 64 * 1024;

/// Sends the text frames batched in `texts` (cut at `lens`), then empties both.
fn send_batch(socket: &WebSocket, texts: &mut String, lens: &mut Vec<u32>) {
    match lens.len() {
        0 => {}
        1 => {
            let _ = socket.send_with_str(texts);
        }
        _ => send_texts(socket, texts, lens),
    }
    texts.clear();
    lens.clear();
}

/// The length of `text` in UTF-16 code units, as JavaScript counts it.
fn utf16_len(text: &str) -> u32 {
    let units = if text.is_ascii() {
        text.len()
    } else {
        text.chars().map(char::len_utf16).sum()
    };
    u32::try_from(units).unwrap_or(u32::MAX)
}

impl Drop for WebSocketTransport {
    fn drop(&mut self) {
        self.flush();
        let _ = self.socket.close();
    }
}
