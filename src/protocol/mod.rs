//! Wire formats: Engine.IO v4 packets and polling payloads, Socket.IO v5 packets with binary
//! attachments. Pure functions over text and bytes: no I/O, no clock, no web-sys. Every decoder
//! returns a [`DecodeError`] for malformed input and never panics.
#![forbid(unsafe_code)]

pub mod base64;
pub mod engine;
mod error;
pub(crate) mod json;
pub mod socket;
pub(crate) mod text;

pub use error::DecodeError;

// Property tests need proptest, a native-only dev-dependency.
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests;
