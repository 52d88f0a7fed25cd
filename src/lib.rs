//! socketio-wasm: a Socket.IO v5 / Engine.IO v4 client for the browser.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

mod prelude;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
mod browser;
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod exports;
pub mod protocol;

/// Without std, a panic traps at once, with no message formatted: that keeps core::fmt out of
/// the binary. Library code has no panics of its own (clippy denies them); what remains are the
/// standard library's checks that cannot fail here (capacity overflow and the like).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
