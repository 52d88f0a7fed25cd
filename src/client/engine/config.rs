//! What an Engine.IO session is opened with (socket.io-client's engine options, PROTOCOL.md
//! §1.2).

use crate::prelude::*;
use core::time::Duration;

use crate::client::transport::TransportKind;

/// What the engine needs to know to open sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineConfig {
    /// `http://host[:port]` or `https://...` of the server.
    pub origin: String,
    /// The engine path with its trailing slash, e.g. `/socket.io/`.
    pub path: String,
    /// The user's query string, already URL-encoded, without `?` (may be empty).
    pub query: String,
    /// Transports to use, in order of preference (the first opens the session).
    pub transports: Vec<TransportKind>,
    /// Whether to probe for a WebSocket upgrade after opening over polling.
    pub upgrade: bool,
    /// On an error while opening, try the next transport of `transports`.
    pub try_all_transports: bool,
    /// Add the `t` cache-buster to polling requests (official default); `Some(true)` also adds
    /// it to WebSocket URLs, `Some(false)` never.
    pub timestamp_requests: Option<bool>,
    /// The cache-buster's parameter name.
    pub timestamp_param: String,
    /// Open with a WebSocket when an earlier session upgraded (`rememberUpgrade`).
    pub remember_upgrade: bool,
    /// The largest received packet, in bytes of data: `None` takes the handshake's
    /// `maxPayload` (what the server accepts, so a fair bound on what it sends), `Some(0)`
    /// means no limit. A larger packet fails the session with "parse error".
    pub max_receive_payload: Option<u64>,
    /// How long one polling GET or POST may take (socket.io-client's `requestTimeout`, default
    /// none): past it the request counts as failed with
    /// [`Failure::Network`](crate::client::Failure::Network) and the driver is told to abort
    /// it ([`Command::Close`](crate::client::Command::Close)).
    pub request_timeout: Option<Duration>,
    /// Beyond the official client: a heartbeat deadline whose timer ran late (the page was
    /// frozen or its timers throttled) is confirmed before it ends the session: "ping
    /// timeout" comes only if no ping arrives within [`LATE_HEARTBEAT_GRACE`] of the late
    /// check, so pings that waited in the event loop behind the timer count (default true).
    ///
    /// [`LATE_HEARTBEAT_GRACE`]: crate::client::engine::LATE_HEARTBEAT_GRACE
    pub confirm_ping_timeout: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            origin: String::from("http://localhost"),
            path: String::from("/socket.io/"),
            query: String::new(),
            transports: vec![TransportKind::Polling, TransportKind::WebSocket],
            upgrade: true,
            try_all_transports: false,
            timestamp_requests: None,
            timestamp_param: String::from("t"),
            remember_upgrade: false,
            max_receive_payload: None,
            request_timeout: None,
            confirm_ping_timeout: true,
        }
    }
}
