//! The sans-IO client: Engine.IO session, Manager and namespace sockets as state machines.
//! Inputs (transport events, user calls) and the time go in; [`Command`]s, [`Event`]s and the
//! next deadline come out. No clock, no randomness of its own, no web-sys. (The one browser
//! type it names is the `Uint8Array` inside [`Bytes`] in the wasm32 build: carried, never
//! read, so that attachments do not pass through the WebAssembly memory.)
#![forbid(unsafe_code)]

mod acks;
mod backoff;
pub mod bytes;
pub mod engine;
pub mod event;
mod fifo;
pub mod json;
pub mod manager;
pub mod outbox;
pub mod payload;
pub mod reason;
mod rng;
pub mod socket;
pub(crate) mod spare;
pub mod time;
pub mod timer;
pub mod transport;
pub mod url;

#[cfg(test)]
mod tests;

pub use bytes::Bytes;
pub use engine::{EngineConfig, ProbeFailure};
pub use event::{AckError, ConnectError, Event, NspId};
pub use json::Json;
pub use manager::{Manager, ManagerConfig, Output, PageEvent};
pub use outbox::{OutboxOp, OutboxReport, StorageFault, StoredEmit};
pub use payload::Payload;
pub use reason::{CloseReason, ErrorKind};
pub use socket::{
    check_event_data, check_event_name, may_be_reserved, reserved_lengths, AckMode, ApiMisuse,
    BufferedPacket, EmitOptions, EmitOutcome,
};
pub use time::Instant;
pub use timer::Wake;
pub use transport::{Command, Failure, Frame, TransportEvent, TransportId, TransportKind};
