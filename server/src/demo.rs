//! The demo page's namespace, always on.
//!
//! For now `/` only answers `echo` (the same handler as the test namespaces). The demo's chat
//! (rooms, nicknames) belongs here. In `--test` mode the test namespaces take `/` instead; their
//! event set includes `echo`, so the demo page keeps working there too.

use socketioxide::extract::SocketRef;
use socketioxide::SocketIo;

use crate::testns;

/// Registers the demo namespace `/`.
pub fn register(io: &SocketIo) {
    io.ns("/", async |s: SocketRef| {
        s.on("echo", testns::echo);
    });
}
