//! Scripted exchanges with a virtual clock: the Manager, its engine and its sockets driven
//! through whole scenarios without a browser.

// Property tests need proptest, a native-only dev-dependency.
#[cfg(not(target_arch = "wasm32"))]
mod chaos;
mod contract;
mod harness;
mod lifecycle;
mod options;
mod outbox;
mod reload;
mod scenarios;
mod sticky;
