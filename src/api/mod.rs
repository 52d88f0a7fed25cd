//! The Rust API for Rust web apps (Leptos, Yew, Dioxus): the sans-IO core driven in the
//! browser, with serde-typed events, futures and streams. wasm32 only, behind the `api`
//! feature (on by default; the npm package's wasm is built without it).
//!
//! - [`io`] / [`Manager::builder`]: socket.io-client's `io(url, opts)` and `new Manager()`,
//!   with the same option names (in snake case), defaults and Manager cache rules; relative
//!   URLs resolve against the page.
//! - [`Socket::on`] / [`Socket::emit`]: payloads as serde types; several arguments as a tuple
//!   (see [`Payload::decode`] for the arity rule); binary fields (`serde_bytes`) as
//!   attachments.
//! - [`Socket::emit_with_ack`] returns an [`AckRequest`] to `.await` (with `.timeout(d)`),
//!   [`Socket::on_with_ack`] answers the server's acks, [`Socket::on_any`] sees every event.
//! - [`Socket::stream`], [`Socket::states`] / [`Socket::state`] and [`Manager::events`]: what
//!   happens as `futures` streams, for a UI to render.
//! - Ownership: listeners live as long as their [`Subscription`]; the last handle of a
//!   [`Socket`] leaves its namespace, the last of a [`Manager`] (sockets hold one) closes it.
//!   Listeners are held by their handles, not by the socket, so a listener that captures its
//!   socket makes no reference cycle.
//!
//! The examples of wasm32-only items are `no_run`: `cargo test --doc --target
//! wasm32-unknown-unknown` type-checks them (and runs the others), `cargo test` runs those of
//! the parts that build natively ([`Error`], [`Payload`], [`ConnectionState`]).
//!
//! ```no_run
//! # #[cfg(target_arch = "wasm32")] mod example {
//! use futures_util::StreamExt;
//! use serde::{Deserialize, Serialize};
//! use socketio_wasm::api::{io, ConnectionState, Error};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Message { from: String, text: String }
//!
//! async fn chat() -> Result<(), Error> {
//!     let socket = io("/chat")?; // relative to the page
//!     let _messages = socket.on("message", |m: Message| { let _ = (m.from, m.text); });
//!     socket.emit("message", &Message { from: "me".into(), text: "hi".into() })?;
//!     let count: u32 = socket.emit_with_ack("count", &()).timeout(core::time::Duration::from_secs(5)).await?;
//!     let mut states = socket.states();
//!     while let Some(state) = states.next().await {
//!         if let ConnectionState::Reconnecting { attempt, retry_in } = state { let _ = (attempt, retry_in); }
//!     }
//!     Ok(())
//! }
//! # }
//! ```

#[cfg(target_arch = "wasm32")]
mod ack;
// Natively only the pure parts build (their doctests run under `cargo test`); what sends is
// used by the wasm32 parts.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod binary;
#[cfg(target_arch = "wasm32")]
mod cache;
#[cfg(target_arch = "wasm32")]
mod dispatch;
#[cfg(target_arch = "wasm32")]
mod emitter;
mod error;
#[cfg(target_arch = "wasm32")]
mod listeners;
#[cfg(target_arch = "wasm32")]
mod manager;
#[cfg(target_arch = "wasm32")]
mod options;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod payload;
#[cfg(target_arch = "wasm32")]
mod socket;
mod state;
#[cfg(target_arch = "wasm32")]
mod stream;

pub use error::Error;
pub use payload::Payload;
pub use state::{ConnectionState, DisconnectReason};

#[cfg(target_arch = "wasm32")]
pub use ack::{AckFuture, AckRequest, AckSender};
#[cfg(target_arch = "wasm32")]
pub use emitter::Emitter;
#[cfg(target_arch = "wasm32")]
pub use listeners::Subscription;
#[cfg(target_arch = "wasm32")]
pub use manager::{Manager, ManagerEvent};
#[cfg(target_arch = "wasm32")]
pub use options::ManagerBuilder;
#[cfg(target_arch = "wasm32")]
pub use socket::{Socket, WeakSocket};
#[cfg(target_arch = "wasm32")]
pub use stream::{EventStream, ManagerEvents, StateStream};

/// socket.io-client's `io(url)`: the socket of the URL's namespace (`"/"` when the URL has no
/// path), on the page's cached Manager of that server when it has no socket of that namespace
/// yet, else on a new Manager. Options: [`Manager::builder`]`(url)...`[`.connect()`](ManagerBuilder::connect).
///
/// ```no_run
/// # fn demo() -> Result<(), socketio_wasm::api::Error> {
/// let main = socketio_wasm::api::io("http://127.0.0.1:3000")?;
/// let chat = socketio_wasm::api::io("http://127.0.0.1:3000/chat")?; // the same connection
/// assert!(main.manager().same(chat.manager()));
/// # Ok(()) }
/// ```
#[cfg(target_arch = "wasm32")]
pub fn io(url: &str) -> Result<Socket, Error> {
    Manager::builder(url).connect()
}
