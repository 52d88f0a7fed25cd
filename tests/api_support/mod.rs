//! Helpers of the Rust API's browser tests: the servers' URLs (given at compile time by
//! scripts/test-rust-api.sh), bounded waits, and a macro that runs one case against both
//! servers.
#![allow(dead_code)]

use core::future::IntoFuture;

use futures_util::future::{select, Either};
use futures_util::{pin_mut, Stream, StreamExt};

/// The Rust reference server (`--test` mode).
pub(crate) const RUST_SERVER: &str = match option_env!("SERVER_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:3000",
};

/// The official Node server (`tests/servers/node-server.mjs --test`).
pub(crate) const NODE_SERVER: &str = match option_env!("NODE_SERVER_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:3001",
};

/// `future`'s output, or a failed test after `ms`.
pub(crate) async fn within<T>(ms: u32, what: &str, future: impl IntoFuture<Output = T>) -> T {
    let future = future.into_future();
    let timeout = gloo_timers::future::TimeoutFuture::new(ms);
    pin_mut!(timeout);
    pin_mut!(future);
    match select(future, timeout).await {
        Either::Left((v, _)) => v,
        Either::Right(_) => panic!("timed out after {ms} ms waiting for {what}"),
    }
}

/// The next item of `stream`, within `ms`.
pub(crate) async fn next<S: Stream + Unpin>(ms: u32, what: &str, stream: &mut S) -> S::Item {
    within(ms, what, stream.next())
        .await
        .unwrap_or_else(|| panic!("the stream of {what} ended"))
}

/// The first item of `stream` that `pick` maps to `Some`, within `ms`.
pub(crate) async fn first<S: Stream + Unpin, T>(
    ms: u32,
    what: &str,
    stream: &mut S,
    mut pick: impl FnMut(S::Item) -> Option<T>,
) -> T {
    within(ms, what, async {
        while let Some(item) = stream.next().await {
            if let Some(v) = pick(item) {
                return v;
            }
        }
        panic!("the stream of {what} ended")
    })
    .await
}

/// A key no other test or run uses (records on the server are kept per key).
#[allow(clippy::disallowed_methods)] // a test key, not the core's randomness
pub(crate) fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

/// Runs `async fn $case(server: &str)` against both servers, as `$case::rust` and
/// `$case::node`.
#[macro_export]
macro_rules! both_servers {
    ($($case:ident),* $(,)?) => {
        $(
            mod $case {
                use wasm_bindgen_test::wasm_bindgen_test;
                #[wasm_bindgen_test]
                async fn rust() {
                    super::$case(super::support::RUST_SERVER).await;
                }
                #[wasm_bindgen_test]
                async fn node() {
                    super::$case(super::support::NODE_SERVER).await;
                }
            }
        )*
    };
}
