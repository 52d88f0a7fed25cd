//! The vocabulary between the sans-IO core and whatever carries bytes: which transport, what to
//! do with it ([`Command`]), and what happened to it ([`TransportEvent`]).

use crate::client::{Bytes, Json};
use crate::prelude::*;
/// Identifies one transport instance (one WebSocket, or one polling session's requests). Ids
/// are never reused by a Manager, so late events from a closed transport are recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransportId(pub u32);

/// The two transports a browser client can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// HTTP long-polling: a GET that waits for data, a POST to send.
    Polling,
    /// One WebSocket carrying one packet per frame.
    WebSocket,
}

impl TransportKind {
    /// The Engine.IO name, as in the `transport=` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Polling => "polling",
            Self::WebSocket => "websocket",
        }
    }
}

/// A frame to write on a WebSocket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A text frame.
    Text(String),
    /// A text frame in two parts, to be joined as it is sent: the packet's header as the core
    /// wrote it (Engine.IO type included, `42/chat,7`, `43/chat,7`) and the JSON data of the
    /// emit or the ack, which the core carries unread (see [`Json`]).
    Event(String, Json),
    /// A binary frame.
    Binary(Bytes),
}

impl Frame {
    /// The text of a text frame, its two parts joined for [`Frame::Event`] (a copy of the
    /// data on wasm32, where it lives in JavaScript); none for a binary frame.
    pub fn to_text(&self) -> Option<String> {
        match self {
            Self::Text(text) => Some(text.clone()),
            Self::Event(head, data) => {
                Some(crate::protocol::text::concat(&[head, &data.to_text()]))
            }
            Self::Binary(_) => None,
        }
    }
}

/// What the driver must do. Commands never call back synchronously into the core: their
/// results come back later as [`TransportEvent`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// Open a WebSocket to `url` (binary type: array buffer).
    OpenWebSocket {
        /// The transport this WebSocket is.
        id: TransportId,
        /// The full `ws://` or `wss://` URL.
        url: String,
    },
    /// Write one frame on the WebSocket `id`.
    SendFrame {
        /// The WebSocket.
        id: TransportId,
        /// What to write.
        frame: Frame,
    },
    /// Start a long-polling GET; answer with [`TransportEvent::PollResponse`].
    Poll {
        /// The polling transport.
        id: TransportId,
        /// The full `http(s)://` URL.
        url: String,
    },
    /// POST a payload; answer with [`TransportEvent::PostResponse`]. POSTs of one transport
    /// go one after the other. A POST with `last: true` carries the last writes and the goodbye
    /// `1` of a session being closed: send it after the POST in flight, if any, and ignore its
    /// outcome.
    Post {
        /// The polling transport.
        id: TransportId,
        /// The full URL.
        url: String,
        /// The text payload (`text/plain;charset=UTF-8`).
        body: super::Payload,
        /// Whether this is the final close packet of a session being closed.
        last: bool,
    },
    /// Close the WebSocket or abort the pending GET of `id`, and forget it.
    Close {
        /// The transport.
        id: TransportId,
    },
    /// Keep `value` under `key` in storage that lives as long as the tab (`sessionStorage`),
    /// for [`Manager::restore_session`](crate::client::Manager::restore_session) after a
    /// reload. A failure to store is not reported back: the page is going away.
    SaveSession {
        /// See [`Manager::session_key`](crate::client::Manager::session_key).
        key: String,
        /// The session, as `restore_session` reads it.
        value: String,
    },
    /// Carry out `op` on the persistent outbox of `nsp`, stored under `key` (the Manager's URL
    /// and the namespace; the driver adds what keeps tabs apart). Ops of one key are carried
    /// out in order; [`OutboxOp::Load`](crate::client::OutboxOp::Load) is answered with
    /// [`Manager::handle_outbox`](crate::client::Manager::handle_outbox).
    Outbox {
        /// The namespace.
        nsp: crate::client::NspId,
        /// Where its emits are kept.
        key: String,
        /// What to do.
        op: crate::client::OutboxOp,
    },
}

/// Why an HTTP request or a WebSocket failed, for `connect_error` and `disconnect` descriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The request failed without an HTTP status (network error, CORS, abort, timeout).
    Network,
    /// The server answered with this HTTP status, which is not 200.
    Status(u16),
    /// A WebSocket closed with this code (1000-4999) before or during the session.
    Closed(u16),
    /// The browser reported that the network went away (the `offline` event).
    NetworkLost,
    /// The page went into the back/forward cache (`pagehide` with `persisted`).
    PageCached,
}

/// What happened to a transport, fed back to the core.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportEvent<'a> {
    /// The WebSocket `id` is open.
    WebSocketOpen(TransportId),
    /// A text frame arrived on WebSocket `id`.
    Text(TransportId, &'a str),
    /// A binary frame arrived on WebSocket `id`.
    Binary(TransportId, Bytes),
    /// WebSocket `id` closed or failed.
    WebSocketClosed(TransportId, Failure),
    /// The pending GET of `id` finished: the body, or why not.
    PollResponse(TransportId, Result<&'a str, Failure>),
    /// The POST of `id` finished.
    PostResponse(TransportId, Result<(), Failure>),
}
