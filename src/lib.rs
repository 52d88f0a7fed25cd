//! socketio-wasm: a Socket.IO v5 / Engine.IO v4 client for the browser.

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
mod browser;
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod js;
pub mod protocol;
