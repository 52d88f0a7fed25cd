//! Engine.IO v4 packets and polling payloads (PROTOCOL.md §2.1). Pure functions, no I/O.
//!
//! A text packet is `<type digit><data>`; over WebSocket a binary frame is a message packet
//! with no type byte; a polling payload joins packets with `\x1e`, binary ones as `b<base64>`.

use crate::prelude::*;
use alloc::borrow::Cow;

use super::base64;
use super::error::DecodeError;
use super::json::{Kind, Scanner};

/// The separator between packets of a polling payload.
pub const SEPARATOR: char = '\x1e';

/// Engine.IO packet types, with their wire digit as discriminant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketType {
    /// `0`: the handshake, sent by the server.
    Open = 0,
    /// `1`: the session ends.
    Close = 1,
    /// `2`: heartbeat request (server to client), or the upgrade probe `2probe`.
    Ping = 2,
    /// `3`: heartbeat answer, or the probe answer `3probe`.
    Pong = 3,
    /// `4`: a message for the layer above.
    Message = 4,
    /// `5`: the client switches to the probed transport.
    Upgrade = 5,
    /// `6`: nothing; ends a pending poll during an upgrade.
    Noop = 6,
}

impl PacketType {
    fn from_byte(b: u8) -> Result<Self, DecodeError> {
        Ok(match b {
            b'0' => Self::Open,
            b'1' => Self::Close,
            b'2' => Self::Ping,
            b'3' => Self::Pong,
            b'4' => Self::Message,
            b'5' => Self::Upgrade,
            b'6' => Self::Noop,
            other => return Err(DecodeError::UnknownPacketType(other)),
        })
    }

    /// The wire digit.
    pub fn as_char(self) -> char {
        char::from(b'0' + self as u8)
    }
}

/// One decoded Engine.IO packet. Text borrows from the input; binary borrows when it came as a
/// WebSocket frame and is owned when it was base64 in a polling payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet<'a> {
    /// A packet with text data (possibly empty).
    Text(PacketType, &'a str),
    /// A binary message.
    Binary(Cow<'a, [u8]>),
}

/// Decodes one text packet (a WebSocket text frame, or one element of a polling payload that
/// is not binary).
pub fn decode_text(text: &str) -> Result<Packet<'_>, DecodeError> {
    let first = *text.as_bytes().first().ok_or(DecodeError::Empty)?;
    let kind = PacketType::from_byte(first)?;
    // The first byte is an ASCII digit, so index 1 is a char boundary.
    Ok(Packet::Text(kind, text.get(1..).unwrap_or("")))
}

/// Iterates over the packets of a polling payload.
pub fn decode_payload(body: &str) -> impl Iterator<Item = Result<Packet<'_>, DecodeError>> {
    // A byte search rather than `str::split`: the separator is ASCII, so every cut is a char
    // boundary, and this stays small and fast in size-optimised wasm.
    let mut rest = Some(body);
    core::iter::from_fn(move || {
        let text = rest?;
        let (part, tail) = match text.bytes().position(|b| b == SEPARATOR as u8) {
            Some(at) => (text.get(..at)?, text.get(at + 1..)),
            None => (text, None),
        };
        rest = tail;
        Some(match part.strip_prefix('b') {
            Some(b64) => base64::decode(b64).map(|bytes| Packet::Binary(Cow::Owned(bytes))),
            None => decode_text(part),
        })
    })
}

/// Rejects an input of `len` bytes that is longer than `limit` bytes (0: no limit) with
/// [`DecodeError::TooLarge`]. Meant for received frames and polling bodies, against a limit the
/// client chooses. The client uses the handshake's `maxPayload` per received packet: servers do
/// not slice what they send by it, but a packet larger than the server would accept is suspect.
pub fn check_size(len: usize, limit: u64) -> Result<(), DecodeError> {
    match u64::try_from(len) {
        Ok(len) if limit == 0 || len <= limit => Ok(()),
        _ => Err(DecodeError::TooLarge),
    }
}

/// [`decode_payload`] behind [`check_size`]: a body longer than `limit` bytes (0: no limit) is
/// rejected whole before any packet is decoded.
pub fn decode_payload_limited(
    body: &str,
    limit: u64,
) -> Result<impl Iterator<Item = Result<Packet<'_>, DecodeError>>, DecodeError> {
    check_size(body.len(), limit)?;
    Ok(decode_payload(body))
}

/// Checks that bytes which should hold text (a polling body read as bytes, a text frame from a
/// native transport) are UTF-8, and returns the text.
pub fn text_from_utf8(bytes: &[u8]) -> Result<&str, DecodeError> {
    core::str::from_utf8(bytes).map_err(|_| DecodeError::InvalidUtf8)
}

/// Appends a text packet to `out`.
pub fn encode_text(kind: PacketType, data: &str, out: &mut String) {
    out.push(kind.as_char());
    out.push_str(data);
}

/// Appends one packet to a polling payload under construction (adds the separator).
pub fn encode_payload_part(packet: &Packet<'_>, out: &mut String) {
    if !out.is_empty() {
        out.push(SEPARATOR);
    }
    match packet {
        Packet::Text(kind, data) => encode_text(*kind, data, out),
        Packet::Binary(bytes) => {
            out.push('b');
            base64::encode(bytes, out);
        }
    }
}

/// How many bytes a packet adds to a polling payload, as the official client estimates it
/// (PROTOCOL.md §1.11): UTF-8 length, binary counted as base64 (×4/3), plus the separator.
pub fn payload_cost(packet: &Packet<'_>) -> usize {
    match packet {
        Packet::Text(_, data) => 1 + data.len() + 1,
        Packet::Binary(bytes) => binary_payload_cost(bytes.len()),
    }
}

/// [`payload_cost`] of a binary packet of `len` bytes.
pub fn binary_payload_cost(len: usize) -> usize {
    1 + len.div_ceil(3) * 4 + 1
}

/// Which transports a server offers for upgrade.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upgrades {
    /// `"websocket"` is in the handshake's `upgrades`.
    pub websocket: bool,
}

/// The Engine.IO handshake sent by the server in the `open` packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handshake {
    /// The session id.
    pub sid: String,
    /// The transports the session may upgrade to.
    pub upgrades: Upgrades,
    /// How often the server pings, in milliseconds.
    pub ping_interval_ms: u64,
    /// How long the server waits for a pong, in milliseconds.
    pub ping_timeout_ms: u64,
    /// The largest payload the server accepts, in bytes (0 when absent: no limit).
    pub max_payload: u64,
}

impl Handshake {
    /// Parses the JSON data of an `open` packet.
    ///
    /// As with `JSON.parse`, a repeated key replaces the earlier value: a field of the wrong
    /// type is an error only when no later member replaces it.
    pub fn parse(json: &str) -> Result<Self, DecodeError> {
        use DecodeError::BadHandshake;
        let mut sid = None;
        let mut upgrades = Ok(Upgrades::default());
        let (mut ping_interval_ms, mut ping_timeout_ms, mut max_payload) = (None, None, Ok(0));
        let mut scanner = Scanner::new(json);
        scanner.object(|key, s| {
            let value = s.raw_value()?;
            match key {
                "sid" => {
                    sid = Some(
                        string_value(value).ok_or(BadHandshake("handshake sid is not a string")),
                    )
                }
                "pingInterval" => {
                    ping_interval_ms = Some(
                        unsigned_value(value)
                            .ok_or(BadHandshake("handshake pingInterval is not an integer")),
                    )
                }
                "pingTimeout" => {
                    ping_timeout_ms = Some(
                        unsigned_value(value)
                            .ok_or(BadHandshake("handshake pingTimeout is not an integer")),
                    )
                }
                "maxPayload" => {
                    max_payload = unsigned_value(value)
                        .ok_or(BadHandshake("handshake maxPayload is not an integer"))
                }
                "upgrades" => {
                    upgrades = upgrades_value(value)
                        .ok_or(BadHandshake("handshake upgrades is not a list of names"))
                }
                _ => {}
            }
            Ok(())
        })?;
        if !scanner.at_end() {
            return Err(DecodeError::TrailingData);
        }
        let sid = sid.ok_or(BadHandshake("handshake without sid"))??;
        if sid.is_empty() {
            return Err(BadHandshake("handshake without sid"));
        }
        Ok(Self {
            sid,
            upgrades: upgrades?,
            ping_interval_ms: ping_interval_ms
                .ok_or(BadHandshake("handshake without pingInterval"))??,
            ping_timeout_ms: ping_timeout_ms
                .ok_or(BadHandshake("handshake without pingTimeout"))??,
            max_payload: max_payload?,
        })
    }
}

/// The content of `value` (one well-formed JSON value) if it is a string.
fn string_value(value: &str) -> Option<String> {
    let mut s = Scanner::new(value);
    match s.peek_kind()? {
        Kind::String => s.string().ok(),
        _ => None,
    }
}

/// `value` (one well-formed JSON value) if it is a non-negative integer that fits in a `u64`:
/// plain digits, so not `-1`, `1.5` or `1e3`.
fn unsigned_value(value: &str) -> Option<u64> {
    super::text::parse_digits(value)
}

/// The transports named in `value` (one well-formed JSON value) if it is an array of strings.
fn upgrades_value(value: &str) -> Option<Upgrades> {
    let mut s = Scanner::new(value);
    let mut upgrades = Upgrades::default();
    s.expect(b'[').ok()?;
    if s.eat(b']') {
        return Some(upgrades);
    }
    loop {
        if string_value(s.raw_value().ok()?)? == "websocket" {
            upgrades.websocket = true;
        }
        if s.eat(b']') {
            return Some(upgrades);
        }
        s.expect(b',').ok()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_text_type() {
        assert_eq!(
            decode_text("4hello"),
            Ok(Packet::Text(PacketType::Message, "hello"))
        );
        assert_eq!(
            decode_text("2probe"),
            Ok(Packet::Text(PacketType::Ping, "probe"))
        );
        assert_eq!(decode_text("6"), Ok(Packet::Text(PacketType::Noop, "")));
        assert_eq!(decode_text(""), Err(DecodeError::Empty));
        assert_eq!(
            decode_text("a123"),
            Err(DecodeError::UnknownPacketType(b'a'))
        );
        assert_eq!(decode_text("7"), Err(DecodeError::UnknownPacketType(b'7')));
    }

    #[test]
    fn decodes_spec_payloads() {
        let packets: Vec<_> = decode_payload("0\x1e1\x1e2probe\x1e3probe\x1e4test").collect();
        assert_eq!(packets.len(), 5);
        assert_eq!(packets[2], Ok(Packet::Text(PacketType::Ping, "probe")));
        let packets: Vec<_> = decode_payload("4test\x1ebAQIDBA==\x1eb").collect();
        assert_eq!(packets[1], Ok(Packet::Binary(Cow::Owned(vec![1, 2, 3, 4]))));
        assert_eq!(packets[2], Ok(Packet::Binary(Cow::Owned(vec![]))));
    }

    #[test]
    fn encodes_payloads() {
        let mut out = String::new();
        encode_payload_part(&Packet::Text(PacketType::Message, "hello"), &mut out);
        encode_payload_part(&Packet::Binary(Cow::Borrowed(&[1, 2, 3, 4])), &mut out);
        assert_eq!(out, "4hello\x1ebAQIDBA==");
    }

    #[test]
    fn parses_the_handshake() {
        let hs = Handshake::parse(
            r#"{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#,
        )
        .unwrap();
        assert_eq!(hs.sid, "lv_VI97HAXpY6yYWAAAC");
        assert!(hs.upgrades.websocket);
        assert_eq!(
            (hs.ping_interval_ms, hs.ping_timeout_ms, hs.max_payload),
            (25000, 20000, 1_000_000)
        );
        assert_eq!(
            Handshake::parse(r#"{"upgrades":[],"pingInterval":1,"pingTimeout":1}"#),
            Err(DecodeError::BadHandshake("handshake without sid"))
        );
        assert!(Handshake::parse(r#"{"sid":"x","pingInterval":-1,"pingTimeout":1}"#).is_err());
    }
}
