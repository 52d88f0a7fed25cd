//! How transports hand what happened to them to the runtime without knowing it: an [`Inbox`]
//! is a callback the runtime makes once and gives to every transport it opens. The transports
//! (`websocket.rs`, `polling.rs`) depend on this and on the core's vocabulary only, so the
//! browser layer has no import cycle.

use alloc::rc::Rc;

use wasm_bindgen::JsValue;

use crate::client::TransportEvent;

/// The WebSocket text frame whose arrival produced the events being handed over: the JS string,
/// its text and when it arrived. An event whose JSON is the tail of the frame can be given to
/// JavaScript as an offset into the string it already holds, with no UTF-8 decoding.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    /// The frame as JavaScript holds it.
    pub(crate) js: &'a JsValue,
    /// The same frame as text.
    pub(crate) text: &'a str,
    /// The `message` event's `timeStamp`: milliseconds on `performance.now()`'s clock, read by
    /// the browser already (reading the clock again costs about 0.4 µs per frame).
    pub(crate) at: f64,
}

/// What an [`Inbox`] calls: the event, and the frame it came from, if any.
type Feed = dyn Fn(TransportEvent<'_>, Option<Source<'_>>);

/// Where a transport reports its events.
#[derive(Clone)]
pub(crate) struct Inbox(Rc<Feed>);

impl Inbox {
    /// An inbox that hands every event to `feed`.
    pub(crate) fn new(feed: impl Fn(TransportEvent<'_>, Option<Source<'_>>) + 'static) -> Self {
        Self(Rc::new(feed))
    }

    /// Reports `event`.
    pub(crate) fn send(&self, event: TransportEvent<'_>) {
        (self.0)(event, None);
    }

    /// Reports `event`, which came from the WebSocket text frame `source`.
    pub(crate) fn send_from(&self, event: TransportEvent<'_>, source: Source<'_>) {
        (self.0)(event, Some(source));
    }
}
