//! Why things end: disconnect reasons and connection errors, with the exact strings of
//! socket.io-client (PROTOCOL.md §1.3) so that code comparing them keeps working.

use core::fmt;

/// Why a Manager's connection or a Socket closed (the official `DisconnectReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The server disconnected the socket (`socket.disconnect()` there). No reconnection.
    ServerDisconnect,
    /// The client called `socket.disconnect()`. No reconnection.
    ClientDisconnect,
    /// No ping arrived within `pingInterval + pingTimeout`.
    PingTimeout,
    /// The connection was closed (server gone, network lost).
    TransportClose,
    /// The connection failed (an HTTP error, a WebSocket error).
    TransportError,
    /// A packet from the server could not be decoded.
    ParseError,
    /// The client closed the connection (`manager.engine.close()`, or no socket left).
    ForcedClose,
}

impl CloseReason {
    /// The official string, e.g. `"ping timeout"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ServerDisconnect => "io server disconnect",
            Self::ClientDisconnect => "io client disconnect",
            Self::PingTimeout => "ping timeout",
            Self::TransportClose => "transport close",
            Self::TransportError => "transport error",
            Self::ParseError => "parse error",
            Self::ForcedClose => "forced close",
        }
    }

    /// Whether the Manager reconnects after this (when reconnection is on).
    pub fn reconnects(&self) -> bool {
        !matches!(self, Self::ServerDisconnect | Self::ClientDisconnect)
    }
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a connection attempt failed (the message of the `connect_error` / `error` Error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The Manager's `timeout` passed before the handshake.
    Timeout,
    /// A polling GET failed.
    PollError,
    /// A polling POST failed.
    PostError,
    /// The WebSocket failed or closed before the handshake.
    WebSocketError,
    /// The server's answer could not be decoded.
    ParserError,
}

impl ErrorKind {
    /// The official message, e.g. `"xhr poll error"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::PollError => "xhr poll error",
            Self::PostError => "xhr post error",
            Self::WebSocketError => "websocket error",
            Self::ParserError => "parser error",
        }
    }

    /// The official error's `type`: `"TransportError"` for every kind but the Manager's
    /// `Timeout` (a plain `Error("timeout")`).
    pub fn error_type(&self) -> Option<&'static str> {
        match self {
            Self::Timeout => None,
            Self::PollError | Self::PostError | Self::WebSocketError | Self::ParserError => {
                Some("TransportError")
            }
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
