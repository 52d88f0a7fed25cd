//! The one error type of the Rust API.

use crate::prelude::*;
use core::fmt;

use crate::client::url::UrlError;
use crate::client::{AckError, ApiMisuse, ConnectError};

/// Everything that can go wrong in the Rust API: a misuse, a bad URL, a payload that does not
/// (de)serialize, an acknowledgement that times out or is cut, a refused connection.
///
/// ```
/// use socketio_wasm::api::Error;
/// let error = Error::AckTimeout;
/// assert_eq!(error.to_string(), "operation has timed out");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The URL cannot be used.
    Url(UrlError),
    /// The call cannot be made: a reserved event name (`connect`, `disconnect`, ...), or a
    /// socket or Manager that is gone.
    Misuse(ApiMisuse),
    /// The payload could not be serialized to JSON (serde's message).
    Encode(String),
    /// What arrived does not deserialize into the type asked for (serde's message).
    Decode(String),
    /// No acknowledgement came in time (`.timeout(d)` or the socket's `ack_timeout`).
    AckTimeout,
    /// The socket disconnected before the acknowledgement came.
    AckCut,
    /// The server refused the namespace (its middleware's error `message` and `data` as JSON
    /// text), or the connection failed.
    Refused {
        /// The error's message, e.g. `"unauthorized"`.
        message: String,
        /// The error's `data`, as JSON text, when the server sent some.
        data: Option<String>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Url(e) => write!(f, "bad URL: {e}"),
            Self::Misuse(e) => f.write_str(e.as_str()),
            Self::Encode(e) => write!(f, "cannot serialize the payload: {e}"),
            Self::Decode(e) => write!(f, "cannot deserialize the payload: {e}"),
            Self::AckTimeout => f.write_str(AckError::Timeout.as_str()),
            Self::AckCut => f.write_str(AckError::Disconnected.as_str()),
            Self::Refused { message, .. } => write!(f, "connection refused: {message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<UrlError> for Error {
    fn from(e: UrlError) -> Self {
        Self::Url(e)
    }
}

impl From<ApiMisuse> for Error {
    fn from(e: ApiMisuse) -> Self {
        Self::Misuse(e)
    }
}

impl From<AckError> for Error {
    fn from(e: AckError) -> Self {
        match e {
            AckError::Timeout => Self::AckTimeout,
            _ => Self::AckCut,
        }
    }
}

impl From<ConnectError> for Error {
    fn from(e: ConnectError) -> Self {
        match e {
            ConnectError::Server { message, data } => Self::Refused { message, data },
            other => Self::Refused {
                message: other.message().to_owned(),
                data: None,
            },
        }
    }
}
