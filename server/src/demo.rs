//! The demo page's namespace, always on.
//!
//! `/` only answers `echo` (the same handler as the test namespaces); the demo's chat is on its
//! own namespace, `/chat` (`chat.rs`), registered in every mode. In `--test` mode the test
//! namespaces take `/` instead; their event set includes `echo`, so the demo page keeps working
//! there too.

use socketioxide::extract::SocketRef;
use socketioxide::SocketIo;

use crate::testns;

/// Registers the demo namespace `/`.
pub fn register(io: &SocketIo) {
    io.ns("/", async |s: SocketRef| {
        s.on("echo", testns::echo);
    });
}
