//! What the core reports to the API layer: the events of socket.io-client's Manager and Socket,
//! with namespaces as [`NspId`]s and payloads as raw JSON text plus binary attachments.

use super::reason::{CloseReason, ErrorKind};
use super::transport::{Failure, Frame, TransportKind};
use crate::client::Bytes;
use crate::prelude::*;
use crate::protocol::engine::PacketType;

/// A namespace socket of a Manager, by creation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NspId(pub u32);

/// Why a namespace could not connect.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectError {
    /// The connection itself failed (the official `Error("timeout")`, `TransportError`, ...).
    Transport(ErrorKind, Option<Failure>),
    /// The server refused the namespace: its CONNECT_ERROR `message` and raw JSON `data`.
    Server {
        /// `err.message`.
        message: String,
        /// `err.data` as JSON text, when present.
        data: Option<String>,
    },
    /// The server speaks Socket.IO v2 (its CONNECT reply has no `sid`).
    IncompatibleServer,
}

impl ConnectError {
    /// The message of the `Error` given to `connect_error` listeners.
    pub fn message(&self) -> &str {
        match self {
            Self::Transport(kind, _) => kind.as_str(),
            Self::Server { message, .. } => message,
            Self::IncompatibleServer => {
                "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)"
            }
        }
    }

    /// The official error's `type`: `Some("TransportError")` when the connection itself failed
    /// (except the Manager's timeout), `None` for the others.
    pub fn error_type(&self) -> Option<&'static str> {
        match self {
            Self::Transport(kind, _) => kind.error_type(),
            Self::Server { .. } | Self::IncompatibleServer => None,
        }
    }
}

/// Why an acknowledgement will never come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AckError {
    /// `timeout(ms)` or `ackTimeout` passed.
    Timeout,
    /// The socket disconnected while the packet was already sent.
    Disconnected,
}

impl AckError {
    /// The official error message.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Timeout => "operation has timed out",
            Self::Disconnected => "socket has been disconnected",
        }
    }
}

/// Something that happened, for the API layer to hand to listeners.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// Manager `open`: the Engine.IO session is open.
    Open,
    /// Manager `error`: opening failed.
    Error(ErrorKind, Option<Failure>),
    /// Manager `ping`.
    Ping,
    /// Manager `close(reason, description)`.
    Close {
        /// Why the connection closed.
        reason: CloseReason,
        /// The transport failure behind it, when any (the `description`).
        failure: Option<Failure>,
        /// The namespace sockets that disconnect because of this close, in creation order:
        /// each hears it as a Manager `close` listener and fires `disconnect(reason,
        /// description)` at this position. No [`Event::Disconnect`] follows for them; their
        /// [`Event::AckError`]s and [`Event::AckDiscarded`]s do.
        sockets: Vec<NspId>,
    },
    /// A new Engine.IO session starts opening (`manager.open()`, a reconnection attempt, or
    /// `socket.connect()` opening the Manager): the official client makes a new
    /// `socket.io.engine` at this moment. Always reported.
    Opening,
    /// Engine `packet` (`sent: false`, every packet received) or `packetCreate` (`sent: true`,
    /// every packet queued to send), except the upgrade probe and the upgrade packet. Reported
    /// only while [`super::Manager::set_notify_engine`] is on.
    EnginePacket {
        /// Queued to send (`packetCreate`) rather than received (`packet`).
        sent: bool,
        /// The Engine.IO packet type.
        kind: PacketType,
        /// The data: text without the type digit (the handshake JSON for `open`), or a
        /// binary message; `None` when empty.
        data: Option<Frame>,
    },
    /// Engine `drain`: the write buffer was emptied onto the transport. Reported only while
    /// [`super::Manager::set_notify_engine`] is on.
    Drain,
    /// Engine `close(reason, description)`: the Engine.IO session that was open closed; comes
    /// before the Manager's [`Event::Close`]. Reported only while
    /// [`super::Manager::set_notify_engine`] is on.
    EngineClose(CloseReason, Option<Failure>),
    /// Manager `reconnect_attempt(n)`.
    ReconnectAttempt(u32),
    /// Manager `reconnect(n)`.
    Reconnect(u32),
    /// Manager `reconnect_error`.
    ReconnectError(ErrorKind, Option<Failure>),
    /// Manager `reconnect_failed`.
    ReconnectFailed,
    /// Engine `upgrade`: the session now runs on this transport.
    Upgrade(TransportKind),
    /// Engine `upgradeError`, with why the probe failed.
    UpgradeError(super::engine::ProbeFailure),
    /// Socket `connect`.
    Connect(NspId),
    /// Socket `connect_error`.
    ConnectError(NspId, ConnectError),
    /// Socket `disconnect(reason, description)`, for disconnects that are not a Manager close
    /// (`io client disconnect`, `io server disconnect`); see [`Event::Close`] for the others.
    Disconnect(NspId, CloseReason, Option<Failure>),
    /// An event from the server: `data` is the JSON array `[name, ...args]`; when `ack` is set,
    /// the listener gets an ack function that answers with [`super::Manager::ack`].
    Message {
        /// The namespace.
        nsp: NspId,
        /// `[name, ...args]` as JSON text, binary as placeholders.
        data: String,
        /// The binary attachments the placeholders refer to.
        attachments: Vec<Bytes>,
        /// The id to answer, when the server asked for an ack.
        ack: Option<u64>,
    },
    /// The server acknowledged emit `id`: `data` is the JSON array of the ack's arguments.
    Ack {
        /// The namespace.
        nsp: NspId,
        /// The id returned by `emit`.
        id: u64,
        /// The arguments as a JSON array.
        data: String,
        /// Binary attachments.
        attachments: Vec<Bytes>,
        /// The callback is error-first (a timeout or `retries` applies): it gets `null` before
        /// the arguments.
        with_error: bool,
    },
    /// Emit `id`'s error-first callback gets this error.
    AckError(NspId, u64, AckError),
    /// Emit `id`'s plain callback will never be called; forget it.
    AckDiscarded(NspId, u64),
    /// A packet of `nsp` is being written (sent now, flushed from the send buffer, or a retry):
    /// for outgoing listeners; reported only while [`super::Manager::set_notify_outgoing`] is on.
    Outgoing {
        /// The namespace.
        nsp: NspId,
        /// `[name, ...args]` as JSON text.
        data: crate::client::Json,
        /// Binary attachments.
        attachments: Vec<Bytes>,
    },
    /// The CONNECT of `nsp` waits for its auth payload: answer with
    /// [`super::Manager::provide_auth`] (the socket's `auth` is a function).
    AuthRequest(NspId),
    /// A restored emit of the persistent outbox that wanted an acknowledgement got it (the
    /// JSON array of its arguments and their attachments), or never will (error-first, as
    /// `retries` acks): it replaces the ack function that did not survive the reload.
    OutboxAck {
        /// The namespace.
        nsp: NspId,
        /// The emit's [`StoredEmit::id`](super::outbox::StoredEmit::id).
        id: u64,
        /// The answer, or why none will come.
        result: Result<(String, Vec<Bytes>), AckError>,
    },
    /// The persistent outbox of `nsp` could not use its storage; see the fault for what
    /// happens next (nothing is dropped: emits stay in memory).
    OutboxError(NspId, super::outbox::StorageFault),
}

// `PacketType` lives in the protocol layer; its official event-facing names are the client's
// vocabulary (the `packet`/`packetCreate` events), so they are defined here.
impl PacketType {
    /// The official name, as in engine.io-parser's packet `type`: `"open"`, `"close"`,
    /// `"ping"`, `"pong"`, `"message"`, `"upgrade"`, `"noop"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Close => "close",
            Self::Ping => "ping",
            Self::Pong => "pong",
            Self::Message => "message",
            Self::Upgrade => "upgrade",
            Self::Noop => "noop",
        }
    }
}
