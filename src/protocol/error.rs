//! What can be wrong with bytes that came from the network.

use core::fmt;

/// A packet or payload that could not be decoded. Each variant names what was wrong; none
/// carries text formatted at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input was empty where a packet was expected.
    Empty,
    /// The packet type is not one the protocol defines (the offending byte).
    UnknownPacketType(u8),
    /// The Engine.IO handshake (`open` packet) lacks a field or has one of the wrong type.
    BadHandshake(&'static str),
    /// The JSON text is not well formed.
    InvalidJson,
    /// The JSON nests deeper than the scanner allows.
    JsonTooDeep,
    /// Something follows a complete value.
    TrailingData,
    /// A base64 attachment in a polling payload is not valid base64.
    InvalidBase64,
    /// The namespace is not of the form `/name` followed by `,`.
    BadNamespace,
    /// The ack id is not a number or does not fit in 64 bits.
    BadAckId,
    /// The attachment count of a binary packet is missing, zero, malformed or above the limit.
    BadAttachmentCount,
    /// A placeholder names an attachment that does not exist, or names one twice.
    BadPlaceholder,
    /// A binary frame arrived that no binary packet header announced.
    UnexpectedAttachment,
    /// The packet's data does not fit its type (e.g. an EVENT whose data is not a non-empty
    /// array starting with a name, or a DISCONNECT carrying data).
    InvalidPayload(&'static str),
    /// The event name is reserved (`connect`, `disconnect`, ...).
    ReservedEventName,
    /// The input is larger than the size limit it was checked against.
    TooLarge,
    /// Text arrived as bytes that are not valid UTF-8 (e.g. a multi-byte character cut short).
    InvalidUtf8,
}

impl DecodeError {
    /// A short English description, stable across versions.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Empty => "empty packet",
            Self::UnknownPacketType(_) => "unknown packet type",
            Self::BadHandshake(field) => field,
            Self::InvalidJson => "invalid JSON",
            Self::JsonTooDeep => "JSON nested too deeply",
            Self::TrailingData => "trailing data after the packet",
            Self::InvalidBase64 => "invalid base64 attachment",
            Self::BadNamespace => "invalid namespace",
            Self::BadAckId => "invalid ack id",
            Self::BadAttachmentCount => "illegal attachments",
            Self::BadPlaceholder => "invalid binary placeholder",
            Self::UnexpectedAttachment => "got binary data when not reconstructing a packet",
            Self::InvalidPayload(what) => what,
            Self::ReservedEventName => "reserved event name",
            Self::TooLarge => "packet larger than the size limit",
            Self::InvalidUtf8 => "invalid UTF-8",
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::error::Error for DecodeError {}
