//! A socket's connection state, as a UI shows it.

use crate::prelude::*;
use core::time::Duration;

use crate::client::CloseReason;

/// Where a socket's connection stands. [`Socket::state`](super::Socket::state) gives the
/// current value, [`Socket::states`](super::Socket::states) every change.
///
/// ```
/// use socketio_wasm::api::ConnectionState;
/// let state = ConnectionState::Connecting;
/// assert!(!state.is_connected());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionState {
    /// The first connection attempt (or a reconnection attempt) is under way.
    Connecting,
    /// Connected to the namespace.
    Connected {
        /// The namespace session id.
        id: String,
        /// Whether the server restored the previous session (connection state recovery).
        recovered: bool,
    },
    /// Not connected, and no reconnection will be made unless asked for.
    Disconnected {
        /// Why.
        reason: DisconnectReason,
    },
    /// The connection was lost; attempt number `attempt` starts in `retry_in`.
    Reconnecting {
        /// The number of the next attempt, from 1.
        attempt: u32,
        /// How long until it starts.
        retry_in: Duration,
    },
}

impl ConnectionState {
    /// Whether this is [`ConnectionState::Connected`].
    ///
    /// ```
    /// use socketio_wasm::api::ConnectionState;
    /// let state = ConnectionState::Connected { id: "a1".into(), recovered: false };
    /// assert!(state.is_connected());
    /// ```
    pub fn is_connected(&self) -> bool {
        matches!(self, Self::Connected { .. })
    }
}

/// Why a socket is [`ConnectionState::Disconnected`].
///
/// ```
/// use socketio_wasm::api::DisconnectReason;
/// use socketio_wasm::client::CloseReason;
/// let reason = DisconnectReason::Closed(CloseReason::ClientDisconnect);
/// assert_eq!(reason.as_str(), "io client disconnect");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DisconnectReason {
    /// The connection or the namespace closed, with the official reason.
    Closed(CloseReason),
    /// The server refused the namespace (e.g. its auth middleware), with its message.
    Refused(String),
    /// The connection failed and will not be retried (`reconnection(false)`), with the
    /// official error message (e.g. `"xhr poll error"`).
    Failed(String),
    /// Reconnection gave up (`reconnection_attempts` reached).
    GaveUp,
}

impl DisconnectReason {
    /// A short English description (the official reason string where there is one).
    ///
    /// ```
    /// use socketio_wasm::api::DisconnectReason;
    /// assert_eq!(DisconnectReason::GaveUp.as_str(), "reconnection failed");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Self::Closed(reason) => reason.as_str(),
            Self::Refused(message) | Self::Failed(message) => message,
            Self::GaveUp => "reconnection failed",
        }
    }
}
