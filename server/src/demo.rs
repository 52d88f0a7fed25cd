//! The demo page's namespace, always on.
//!
//! `/` only answers `echo` (the same handler as the test namespaces); the demo's chat is on its
//! own namespace, `/chat` (`chat.rs`), registered in every mode. In `--test` mode the test
//! namespaces take `/` instead; their event set includes `echo`, so the demo page keeps working
//! there too.

use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;
use socketioxide::SocketIo;
use socketioxide_core::adapter::DefinedAdapter;

use crate::testns;

/// Registers the demo namespace `/`. Returns the adapter's initialisation, as `testns::register` does.
pub fn register<A: Adapter + DefinedAdapter>(io: &SocketIo<A>) -> A::InitRes {
    io.ns("/", async |s: SocketRef<A>| {
        s.on("echo", testns::echo::<A>);
        s.on("whoami", crate::cluster::whoami::<A>);
    })
}
