//! Socket.IO v5 packets (PROTOCOL.md §2.2): encoding, strict decoding, and the reassembly of
//! binary packets from their header and attachments. Pure functions, no I/O.
//!
//! Wire form: `<type>[<attachments>-][<nsp>,][<ack id>][<JSON data>]`; the namespace is left
//! out when it is `/`. Binary parts travel as separate Engine.IO binary messages after the
//! header, referenced from the JSON by `{"_placeholder":true,"num":i}`.

use super::error::DecodeError;
use super::json::{self, trim_ws_start, Kind, Scanner};
use crate::prelude::*;
use crate::protocol::text::holds;

/// The default namespace.
pub const MAIN_NAMESPACE: &str = "/";

/// How many attachments a binary packet may announce by default (as socket.io-parser 4.2.6).
pub const DEFAULT_MAX_ATTACHMENTS: usize = 10;

/// Event names the protocol reserves; a peer may not send them as events.
pub const RESERVED_EVENTS: [&str; 6] = [
    "connect",
    "connect_error",
    "disconnect",
    "disconnecting",
    "newListener",
    "removeListener",
];

/// Socket.IO packet kinds. Binary events and acks are `Event` and `Ack` with attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketKind {
    /// `0`: join a namespace (client, with optional auth) or its acceptance (server, `{sid}`).
    Connect,
    /// `1`: leave a namespace.
    Disconnect,
    /// `2` (`5` with attachments): an event, `[name, ...args]`.
    Event,
    /// `3` (`6` with attachments): the answer to an event that asked for an ack.
    Ack,
    /// `4`: the server refused the CONNECT.
    ConnectError,
}

impl PacketKind {
    fn digit(self, binary: bool) -> char {
        match (self, binary) {
            (Self::Connect, _) => '0',
            (Self::Disconnect, _) => '1',
            (Self::Event, false) => '2',
            (Self::Ack, false) => '3',
            (Self::ConnectError, _) => '4',
            (Self::Event, true) => '5',
            (Self::Ack, true) => '6',
        }
    }
}

/// One Socket.IO packet; the data is raw JSON text (empty when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet<'a> {
    /// What the packet is.
    pub kind: PacketKind,
    /// The namespace, `/` by default.
    pub nsp: &'a str,
    /// The ack id, for events that want an answer and for acks.
    pub id: Option<u64>,
    /// How many binary attachments follow (events and acks only).
    pub attachments: usize,
    /// The JSON data, or `""`.
    pub data: &'a str,
}

/// Appends the text form of `packet` (the Engine.IO message body, without the `4`) to `out`.
pub fn encode(packet: &Packet<'_>, out: &mut String) {
    let binary =
        packet.attachments > 0 && matches!(packet.kind, PacketKind::Event | PacketKind::Ack);
    out.push(packet.kind.digit(binary));
    if binary {
        push_number(out, packet.attachments as u64);
        out.push('-');
    }
    // As socket.io-parser, an empty namespace means the main one.
    if !packet.nsp.is_empty() && packet.nsp != MAIN_NAMESPACE {
        out.push_str(packet.nsp);
        out.push(',');
    }
    if let Some(id) = packet.id {
        push_number(out, id);
    }
    out.push_str(packet.data);
}

/// Appends the decimal digits of `n` without going through `core::fmt` (smaller wasm).
pub(crate) fn push_number(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (n % 10) as u8;
        }
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in digits.iter().take(len).rev() {
        out.push(char::from(d));
    }
}

/// Decodes the text of one packet and checks that its data fits its kind. `max_attachments`
/// bounds the attachment count of binary packets.
pub fn decode(text: &str, max_attachments: usize) -> Result<Packet<'_>, DecodeError> {
    decode_packet(text, max_attachments, true)
}

/// [`decode`], checking the JSON of an EVENT without attachments only when `event_json`.
fn decode_packet(
    text: &str,
    max_attachments: usize,
    event_json: bool,
) -> Result<Packet<'_>, DecodeError> {
    let mut rest = text;
    let (kind, binary) = match rest.as_bytes().first().ok_or(DecodeError::Empty)? {
        b'0' => (PacketKind::Connect, false),
        b'1' => (PacketKind::Disconnect, false),
        b'2' => (PacketKind::Event, false),
        b'3' => (PacketKind::Ack, false),
        b'4' => (PacketKind::ConnectError, false),
        b'5' => (PacketKind::Event, true),
        b'6' => (PacketKind::Ack, true),
        &other => return Err(DecodeError::UnknownPacketType(other)),
    };
    rest = rest.get(1..).unwrap_or("");

    let mut attachments = 0;
    if binary {
        let (count, after) =
            super::text::split_byte(rest, b'-').ok_or(DecodeError::BadAttachmentCount)?;
        attachments = super::text::parse_digits(count)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or(DecodeError::BadAttachmentCount)?;
        if attachments == 0 || attachments > max_attachments {
            return Err(DecodeError::BadAttachmentCount);
        }
        rest = after;
    }

    let mut nsp = MAIN_NAMESPACE;
    if rest.starts_with('/') {
        // Every encoder ends a namespace with `,`, even at the end of the packet (`1/admin,`).
        (nsp, rest) = super::text::split_byte(rest, b',').ok_or(DecodeError::BadNamespace)?;
    }

    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let id = if digits > 0 {
        let id_text = rest.get(..digits).unwrap_or("");
        rest = rest.get(digits..).unwrap_or("");
        Some(super::text::parse_digits(id_text).ok_or(DecodeError::BadAckId)?)
    } else {
        None
    };

    let packet = Packet {
        kind,
        nsp,
        id,
        attachments,
        data: rest,
    };
    check_data(&packet, event_json)?;
    Ok(packet)
}

/// Checks the data of a decoded packet against its kind (socket.io-parser's `isPayloadValid`),
/// and for binary packets that every placeholder names a distinct existing attachment. An
/// EVENT's JSON past its name is checked only when `event_json` (see [`Decoder::new`]).
fn check_data(packet: &Packet<'_>, event_json: bool) -> Result<(), DecodeError> {
    let data = packet.data;
    let mut scanner = Scanner::new(data);
    let kind = if data.is_empty() {
        None
    } else {
        scanner.peek_kind()
    };
    match packet.kind {
        PacketKind::Connect => match kind {
            None if data.is_empty() => {}
            Some(Kind::Object) => json::validate(data)?,
            _ => {
                return Err(DecodeError::InvalidPayload(
                    "CONNECT data must be an object",
                ))
            }
        },
        PacketKind::Disconnect => {
            if !data.is_empty() {
                return Err(DecodeError::InvalidPayload("DISCONNECT carries no data"));
            }
        }
        PacketKind::ConnectError => match kind {
            Some(Kind::Object | Kind::String) => json::validate(data)?,
            _ => {
                return Err(DecodeError::InvalidPayload(
                    "CONNECT_ERROR data must be an object or a string",
                ))
            }
        },
        PacketKind::Event => {
            if kind != Some(Kind::Array) {
                return Err(DecodeError::InvalidPayload("EVENT data must be an array"));
            }
            scanner.expect(b'[')?;
            match scanner.peek_kind() {
                Some(Kind::String) => {
                    if RESERVED_EVENTS.contains(&&*scanner.str()?) {
                        return Err(DecodeError::ReservedEventName);
                    }
                }
                Some(Kind::Number) => {}
                _ => {
                    return Err(DecodeError::InvalidPayload(
                        "EVENT name must be a string or a number",
                    ))
                }
            }
            check_values(packet, event_json)?;
        }
        PacketKind::Ack => {
            if kind != Some(Kind::Array) {
                return Err(DecodeError::InvalidPayload("ACK data must be an array"));
            }
            if packet.id.is_none() {
                return Err(DecodeError::BadAckId);
            }
            check_values(packet, true)?;
        }
    }
    Ok(())
}

/// Checks the JSON of an EVENT or ACK: all of it when `json`, and the placeholders of a binary
/// packet in any case (reading them checks the whole text).
fn check_values(packet: &Packet<'_>, json: bool) -> Result<(), DecodeError> {
    if packet.attachments == 0 {
        return if json {
            json::validate(packet.data)
        } else {
            Ok(())
        };
    }
    // Indexes below 64 are tracked in a bit set; higher ones (only with a limit above 64) in a
    // list, whose length is bounded by the number of placeholders in the text.
    let (mut seen, mut seen_high) = (0u64, Vec::new());
    json::placeholders(packet.data, |num| {
        if num >= packet.attachments as u64 {
            return Err(DecodeError::BadPlaceholder);
        }
        match u32::try_from(num).ok().and_then(|n| 1u64.checked_shl(n)) {
            Some(bit) if seen & bit == 0 => seen |= bit,
            None if !holds(&seen_high, num) => seen_high.push(num),
            _ => return Err(DecodeError::BadPlaceholder),
        }
        Ok(())
    })
}

/// Splits event data `["name", ...args]` into the name and the JSON array of the arguments
/// (`[...args]`, borrowed from `data` except for the leading `[`). `None` when the first element
/// is not a string.
pub fn split_event(data: &str) -> Option<(String, alloc::borrow::Cow<'_, str>)> {
    let mut s = Scanner::new(data);
    s.expect(b'[').ok()?;
    if s.peek_kind()? != Kind::String {
        return None;
    }
    let name = s.string().ok()?;
    let rest = trim_ws_start(s.rest());
    let args = match rest.strip_prefix(',') {
        Some(tail) => alloc::borrow::Cow::Owned(super::text::concat(&["[", trim_ws_start(tail)])),
        None => alloc::borrow::Cow::Borrowed("[]"),
    };
    Some((name, args))
}

/// An owned, decoded packet with its binary attachments gathered (`B`: how an attachment is
/// held; the decoder never reads one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<B = Vec<u8>> {
    /// What the packet is.
    pub kind: PacketKind,
    /// The namespace.
    pub nsp: String,
    /// The ack id, if any.
    pub id: Option<u64>,
    /// The raw JSON data, or `""`.
    pub data: String,
    /// The binary attachments, in placeholder order.
    pub attachments: Vec<B>,
}

/// Turns a stream of text packets and binary frames into complete [`Message`]s: a binary
/// packet's header waits until its attachments have arrived.
#[derive(Debug, Clone)]
pub struct Decoder<B = Vec<u8>> {
    max_attachments: usize,
    event_json: bool,
    pending: Option<(Message<B>, usize)>,
}

impl<B> Default for Decoder<B> {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_ATTACHMENTS, true)
    }
}

impl<B> Decoder<B> {
    /// A decoder accepting up to `max_attachments` attachments per packet (at most 64).
    /// `event_json`: check that the JSON of every EVENT without attachments is well-formed
    /// past its name; a caller that parses each one anyway (the JavaScript face's
    /// `JSON.parse`) passes `false` and reports a failure itself. Every other check stays:
    /// the packet's header, an EVENT's array and its name, ACKs, CONNECTs and placeholders.
    pub fn new(max_attachments: usize, event_json: bool) -> Self {
        Self {
            max_attachments: max_attachments.min(64),
            event_json,
            pending: None,
        }
    }

    /// Feeds the text of one packet. Returns the message when it is complete, `None` when it
    /// waits for attachments. A text packet while attachments are awaited is an error.
    pub fn decode_text(&mut self, text: &str) -> Result<Option<Message<B>>, DecodeError> {
        if self.pending.is_some() {
            self.pending = None;
            return Err(DecodeError::InvalidPayload(
                "text packet while awaiting attachments",
            ));
        }
        let p = decode_packet(text, self.max_attachments, self.event_json)?;
        let message = Message {
            kind: p.kind,
            nsp: p.nsp.to_owned(),
            id: p.id,
            data: p.data.to_owned(),
            attachments: Vec::with_capacity(p.attachments),
        };
        if p.attachments == 0 {
            return Ok(Some(message));
        }
        self.pending = Some((message, p.attachments));
        Ok(None)
    }

    /// Feeds one binary frame. Returns the message once its last attachment has arrived.
    pub fn decode_binary(&mut self, bytes: B) -> Result<Option<Message<B>>, DecodeError> {
        let (message, expected) = self
            .pending
            .as_mut()
            .ok_or(DecodeError::UnexpectedAttachment)?;
        message.attachments.push(bytes);
        if message.attachments.len() < *expected {
            return Ok(None);
        }
        Ok(self.pending.take().map(|(message, _)| message))
    }

    /// Forgets a half-received binary packet (the transport closed).
    pub fn reset(&mut self) {
        self.pending = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(packet: &Packet<'_>) -> String {
        let mut out = String::new();
        encode(packet, &mut out);
        out
    }

    fn packet<'a>(
        kind: PacketKind,
        nsp: &'a str,
        id: Option<u64>,
        attachments: usize,
        data: &'a str,
    ) -> Packet<'a> {
        Packet {
            kind,
            nsp,
            id,
            attachments,
            data,
        }
    }

    #[test]
    fn encodes_spec_examples() {
        use PacketKind::*;
        let table = [
            (packet(Connect, "/", None, 0, ""), "0"),
            (
                packet(Connect, "/admin", None, 0, r#"{"token":"123"}"#),
                r#"0/admin,{"token":"123"}"#,
            ),
            (packet(Event, "/", None, 0, r#"["foo"]"#), r#"2["foo"]"#),
            (
                packet(Event, "/admin", None, 0, r#"["bar"]"#),
                r#"2/admin,["bar"]"#,
            ),
            (
                packet(Event, "/", Some(12), 0, r#"["foo"]"#),
                r#"212["foo"]"#,
            ),
            (
                packet(Ack, "/admin", Some(13), 0, r#"["bar"]"#),
                r#"3/admin,13["bar"]"#,
            ),
            (
                packet(
                    Event,
                    "/",
                    None,
                    1,
                    r#"["baz",{"_placeholder":true,"num":0}]"#,
                ),
                r#"51-["baz",{"_placeholder":true,"num":0}]"#,
            ),
            (
                packet(
                    Ack,
                    "/",
                    Some(15),
                    1,
                    r#"["bar",{"_placeholder":true,"num":0}]"#,
                ),
                r#"61-15["bar",{"_placeholder":true,"num":0}]"#,
            ),
            (packet(Disconnect, "/admin", None, 0, ""), "1/admin,"),
        ];
        for (p, wire) in table {
            assert_eq!(encoded(&p), wire);
            assert_eq!(decode(wire, 10), Ok(p), "{wire}");
        }
    }

    #[test]
    fn decodes_server_replies() {
        let p = decode(r#"0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}"#, 10).unwrap();
        assert_eq!((p.kind, p.nsp), (PacketKind::Connect, "/admin"));
        let p = decode(r#"4/random,{"message":"Invalid namespace"}"#, 10).unwrap();
        assert_eq!(
            (p.kind, p.nsp, p.data),
            (
                PacketKind::ConnectError,
                "/random",
                r#"{"message":"Invalid namespace"}"#
            )
        );
        assert_eq!(decode("1", 10).unwrap().kind, PacketKind::Disconnect);
    }

    #[test]
    fn rejects_the_official_invalid_vectors() {
        for bad in [
            r#"442["some","data""#,
            r#"0/admin,"invalid""#,
            "0[]",
            "1/admin,{}",
            r#"2/admin,"invalid"#,
            "2/admin,{}",
            r#"2[{"toString":"foo"}]"#,
            r#"2[true,"foo"]"#,
            r#"2[null,"bar"]"#,
            r#"2["connect"]"#,
            r#"2["disconnect","123"]"#,
            "5",
            "51",
            "5a-",
            "51.23-",
            "999",
            "",
            "2[]",
            "3[]",
            "50-[\"a\"]",
            "511-[\"a\"]",
            "299999999999999999999999[\"a\"]",
            r#"51-["a",{"_placeholder":true,"num":1}]"#,
            r#"52-["a",{"_placeholder":true,"num":0},{"_placeholder":true,"num":0}]"#,
        ] {
            assert!(decode(bad, 10).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn reassembles_binary_packets() {
        let mut decoder: Decoder = Decoder::default();
        let header =
            r#"52-/admin,7["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#;
        assert_eq!(decoder.decode_text(header), Ok(None));
        assert_eq!(decoder.decode_binary(vec![1]), Ok(None));
        let message = decoder.decode_binary(vec![2, 3]).unwrap().unwrap();
        assert_eq!(message.nsp, "/admin");
        assert_eq!(message.id, Some(7));
        assert_eq!(message.attachments, vec![vec![1], vec![2, 3]]);
        assert_eq!(
            decoder.decode_binary(vec![4]),
            Err(DecodeError::UnexpectedAttachment)
        );
    }

    #[test]
    fn splits_event_names_from_arguments() {
        let (name, args) = split_event(r#"["chat", {"a":1}, 2]"#).unwrap();
        assert_eq!((name.as_str(), args.as_ref()), ("chat", r#"[{"a":1}, 2]"#));
        let (name, args) = split_event(r#"["ping"]"#).unwrap();
        assert_eq!((name.as_str(), args.as_ref()), ("ping", "[]"));
        assert_eq!(split_event("[1,2]"), None);
        assert_eq!(split_event("{}"), None);
    }

    #[test]
    fn pushes_numbers_without_fmt() {
        for n in [0, 7, 10, 12345, u64::MAX] {
            let mut out = String::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }
}
