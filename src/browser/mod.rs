//! The browser driver (wasm32 only): the one place that touches web-sys. It turns WebSocket,
//! fetch and timer callbacks into inputs of the sans-IO core, carries out its commands, and
//! hands its events to the API layer after releasing every borrow.

mod bindings;
pub(crate) mod heap;
mod listener;
mod polling;
pub(crate) mod runtime;
mod timer;
mod websocket;

pub(crate) use polling::HttpOptions;
pub(crate) use runtime::{drive, EventSink, Runtime, Source};
