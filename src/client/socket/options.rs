//! What the caller says about one emit, and the caller's mistakes (PROTOCOL.md §1.3, §1.6).

use core::time::Duration;

use crate::protocol::json::{Kind, Scanner};
use crate::protocol::socket::RESERVED_EVENTS;

/// How an emit wants its answer: what the caller gave. The core decides the effective mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AckMode {
    /// No acknowledgement.
    #[default]
    None,
    /// A plain callback: called with the server's answer, dropped on disconnect.
    Callback,
    /// A callback known to be error-first (`emitWithAck`). A [`AckMode::Callback`] is also
    /// made error-first when a timeout applies (`timeout(ms)` or the socket's `ackTimeout`)
    /// or the emit goes through the `retries` queue;
    /// [`Event::Ack`](crate::client::Event::Ack)'s `with_error` tells.
    ErrorFirst,
}

/// Flags of one emit (`socket.timeout(ms).volatile.emit(...)`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmitOptions {
    /// Whether and how the server's acknowledgement is wanted.
    pub ack: AckMode,
    /// Drop instead of buffering when the transport cannot take it now.
    pub volatile: bool,
    /// Give up waiting for the ack after this long (`timeout(ms)`); `None` takes the
    /// socket's `ackTimeout`. Either makes the callback error-first.
    pub timeout: Option<Duration>,
}

/// A caller's mistake, returned by the API instead of panicking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiMisuse {
    /// The event name is reserved (`connect`, `disconnect`, ...).
    ReservedEventName,
    /// The event data is not a JSON array starting with a string or number name.
    BadEventData,
    /// No socket has this id.
    UnknownSocket,
}

impl ApiMisuse {
    /// A short English description.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ReservedEventName => "this event name is reserved",
            Self::BadEventData => "event data must be a JSON array starting with the event name",
            Self::UnknownSocket => "no socket has this id",
        }
    }
}

impl core::fmt::Display for ApiMisuse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::error::Error for ApiMisuse {}

/// What happened to one emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmitOutcome {
    /// Written to the transport now.
    Sent,
    /// Kept in the send buffer until the namespace connects.
    Buffered,
    /// Volatile and the transport was not ready: dropped.
    Dropped,
}

/// Checks the name of an emit: socket.io-client refuses its reserved names (a number is no
/// name of these). Every face checks before it emits: the core carries the emit's data
/// unread (see [`crate::client::Json`]).
pub fn check_event_name(name: &str) -> Result<(), ApiMisuse> {
    if RESERVED_EVENTS.contains(&name) {
        return Err(ApiMisuse::ReservedEventName);
    }
    Ok(())
}

/// Whether an event name `len` characters long (UTF-16 code units, as JavaScript counts them)
/// could be a reserved one: a face that holds the name outside the core reads it only then
/// (the reserved names are ASCII, so a name of another length is none of them).
pub fn may_be_reserved(len: usize) -> bool {
    len < 32 && reserved_lengths() >> len & 1 != 0
}

/// The lengths of the reserved names as a bit set (bit n: some reserved name is n characters
/// long; all are shorter than 32), for a face that checks a name outside the core first:
/// [`may_be_reserved`] is this bit.
pub const fn reserved_lengths() -> u32 {
    let mut mask = 0;
    let mut rest: &[&str] = &RESERVED_EVENTS;
    while let [name, tail @ ..] = rest {
        mask |= 1 << name.len(); // evaluated at compile time: a longer name fails the build
        rest = tail;
    }
    mask
}

/// Checks the data of an emit: a JSON array whose first element is the event name (a string
/// that is not reserved, or a number). For data read back from storage, and for a face that
/// holds the data as text ([`check_event_name`] when it has the name).
pub fn check_event_data(data: &str) -> Result<(), ApiMisuse> {
    let mut s = Scanner::new(data);
    s.expect(b'[').map_err(|_| ApiMisuse::BadEventData)?;
    match s.peek_kind() {
        Some(Kind::String) => {
            // Borrowed unless escaped: no allocation for the name of every emit.
            let name = s.str().map_err(|_| ApiMisuse::BadEventData)?;
            check_event_name(&name)
        }
        Some(Kind::Number) => Ok(()),
        _ => Err(ApiMisuse::BadEventData),
    }
}
