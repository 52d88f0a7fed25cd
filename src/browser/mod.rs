//! The browser driver (wasm32 only): the one place that touches web-sys. It turns WebSocket,
//! fetch, timer and page callbacks into inputs of the sans-IO core, carries out its commands,
//! and hands its events to the API layer after releasing every borrow. The API layers (the
//! JavaScript exports and the Rust API) see only the [`Client`] handle.

use crate::prelude::*;

mod client;
pub(crate) mod heap;
mod imports;
mod inbox;
mod listener;
mod page;
mod polling;
mod runtime;
mod storage;
mod timer;
mod websocket;

#[cfg(test)]
mod tests;

pub use client::SettingKey;
#[cfg(feature = "api")]
pub(crate) use client::WeakClient;
pub(crate) use client::{CallError, Client, Setting};
pub(crate) use imports::{array_buffer, array_buffers};
pub(crate) use inbox::Source;
pub(crate) use polling::HttpOptions;
pub(crate) use runtime::{BrowserOptions, EventSink};

/// The page's location (`globalThis.location`) as the core's URL resolution needs it, when the
/// client runs in a page (or a worker) that has one.
pub(crate) fn page_location() -> Option<crate::client::url::Location> {
    let location = imports::page_location()?;
    let (protocol, host) = crate::protocol::text::split_seq(&location, b"//")?;
    Some(crate::client::url::Location {
        protocol: protocol.to_owned(),
        host: host.to_owned(),
    })
}
