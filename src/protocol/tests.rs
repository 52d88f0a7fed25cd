//! Protocol tests that span the codecs (each module keeps its own small unit tests):
//!
//! - the invalid-vector tables: socket.io-parser's own invalid vectors and more, each mapped to
//!   the exact [`DecodeError`] that names what was wrong;
//! - proptest round trips, `decode(encode(x)) == x`, over every Socket.IO packet kind,
//!   namespaces, ack ids and binary mixes, over Engine.IO packets and payloads, base64 and the
//!   handshake;
//! - properties of strictness: no decoder panics on any input, and no proper prefix of an
//!   EVENT or ACK is accepted.
//!
//! The fuzz targets in `fuzz/` push the same properties much further; these run in `cargo test`.

use std::borrow::Cow;

use proptest::prelude::*;

use super::engine::{self, Handshake, PacketType, Upgrades};
use super::socket::{self, Decoder, Message, PacketKind, DEFAULT_MAX_ATTACHMENTS, RESERVED_EVENTS};
use super::{base64, json, DecodeError};

// The `InvalidPayload` reasons, as the decoder words them.
const CONNECT_NOT_OBJECT: DecodeError =
    DecodeError::InvalidPayload("CONNECT data must be an object");
const DISCONNECT_DATA: DecodeError = DecodeError::InvalidPayload("DISCONNECT carries no data");
const CONNECT_ERROR_DATA: DecodeError =
    DecodeError::InvalidPayload("CONNECT_ERROR data must be an object or a string");
const EVENT_NOT_ARRAY: DecodeError = DecodeError::InvalidPayload("EVENT data must be an array");
const EVENT_NAME: DecodeError =
    DecodeError::InvalidPayload("EVENT name must be a string or a number");
const ACK_NOT_ARRAY: DecodeError = DecodeError::InvalidPayload("ACK data must be an array");
const TEXT_WHILE_AWAITING: DecodeError =
    DecodeError::InvalidPayload("text packet while awaiting attachments");

fn placeholder(num: &str) -> String {
    format!(r#"{{"_placeholder":true,"num":{num}}}"#)
}

/// Socket.IO packet texts (the Engine.IO message body, without its `4`) that must be refused,
/// with the error each must give, under the default attachment limit.
fn invalid_socket_packets() -> Vec<(String, DecodeError)> {
    use DecodeError::*;
    let mut table: Vec<(String, DecodeError)> = [
        // socket.io-parser test/parser.js, "throw an error upon parsing error" (PROTOCOL.md §2.2).
        (r#"442["some","data""#, CONNECT_ERROR_DATA),
        (r#"0/admin,"invalid""#, CONNECT_NOT_OBJECT),
        ("0[]", CONNECT_NOT_OBJECT),
        ("1/admin,{}", DISCONNECT_DATA),
        (r#"2/admin,"invalid"#, EVENT_NOT_ARRAY),
        ("2/admin,{}", EVENT_NOT_ARRAY),
        (r#"2[{"toString":"foo"}]"#, EVENT_NAME),
        (r#"2[true,"foo"]"#, EVENT_NAME),
        (r#"2[null,"bar"]"#, EVENT_NAME),
        (r#"2["connect"]"#, ReservedEventName),
        (r#"2["disconnect","123"]"#, ReservedEventName),
        ("5", BadAttachmentCount),
        ("51", BadAttachmentCount),
        ("5a-", BadAttachmentCount),
        ("51.23-", BadAttachmentCount),
        ("999", UnknownPacketType(b'9')),
        // socket.io-protocol test-suite: `4abc`, `42{}`, `42abc[...]` close the connection.
        ("abc", UnknownPacketType(b'a')),
        ("2{}", EVENT_NOT_ARRAY),
        (r#"2abc["message"]"#, EVENT_NOT_ARRAY),
        // Empty input and unknown types.
        ("", Empty),
        ("7", UnknownPacketType(b'7')),
        ("-1", UnknownPacketType(b'-')),
        (" 2[\"a\"]", UnknownPacketType(b' ')),
        ("é", UnknownPacketType(0xC3)),
        // Bad namespaces: every encoder ends the namespace with a comma.
        ("1/admin", BadNamespace),
        ("0/admin", BadNamespace),
        ("2/", BadNamespace),
        (r#"51-/admin"#, BadNamespace),
        // Event data that is not an array, event names that are not strings.
        ("2", EVENT_NOT_ARRAY),
        ("212", EVENT_NOT_ARRAY),
        (r#"2"foo""#, EVENT_NOT_ARRAY),
        ("2 ", EVENT_NOT_ARRAY),
        ("2null", EVENT_NOT_ARRAY),
        ("2[]", EVENT_NAME),
        ("2[ ]", EVENT_NAME),
        (r#"2[["a"]]"#, EVENT_NAME),
        (r#"2[false]"#, EVENT_NAME),
        (r#"51-[{"_placeholder":true,"num":0}]"#, EVENT_NAME),
        // Every reserved name, also spelled with escapes.
        (r#"2["connect_error"]"#, ReservedEventName),
        (r#"2["disconnecting"]"#, ReservedEventName),
        (r#"2["newListener",1]"#, ReservedEventName),
        (r#"2/admin,7["removeListener"]"#, ReservedEventName),
        (r#"2["conn\u0065ct"]"#, ReservedEventName),
        (r#"2[ "disconnect" ]"#, ReservedEventName),
        // ACK: data must be an array and an id must be there.
        ("3", ACK_NOT_ARRAY),
        ("3[]", BadAckId),
        ("3/admin,[]", BadAckId),
        ("31", ACK_NOT_ARRAY),
        ("31{}", ACK_NOT_ARRAY),
        (r#"31"a""#, ACK_NOT_ARRAY),
        // CONNECT, DISCONNECT and CONNECT_ERROR data.
        ("0null", CONNECT_NOT_OBJECT),
        ("0 ", CONNECT_NOT_OBJECT),
        (r#"0"token""#, CONNECT_NOT_OBJECT),
        ("1[]", DISCONNECT_DATA),
        ("1/admin,1{}", DISCONNECT_DATA),
        ("4", CONNECT_ERROR_DATA),
        ("4[]", CONNECT_ERROR_DATA),
        ("4null", CONNECT_ERROR_DATA),
        ("4/random,42", CONNECT_ERROR_DATA),
        // Attachment counts: zero, above the limit, malformed, overflowing.
        (r#"50-["a"]"#, BadAttachmentCount),
        (r#"500-["a"]"#, BadAttachmentCount),
        (r#"511-["a"]"#, BadAttachmentCount),
        (r#"6-1["a"]"#, BadAttachmentCount),
        (r#"5-["a"]"#, BadAttachmentCount),
        (r#"5+1-["a"]"#, BadAttachmentCount),
        (r#"5 1-["a"]"#, BadAttachmentCount),
        (r#"5١-["a"]"#, BadAttachmentCount),
        // A binary ACK needs an id too.
        (r#"61-[{"_placeholder":true,"num":0}]"#, BadAckId),
        // Malformed JSON.
        (r#"2["a""#, InvalidJson),
        (r#"2["a",]"#, InvalidJson),
        (r#"2["a",01]"#, InvalidJson),
        (r#"2["a",-01]"#, InvalidJson),
        (r#"2["a",1.]"#, InvalidJson),
        (r#"2["a",.5]"#, InvalidJson),
        (r#"2["a",1e]"#, InvalidJson),
        (r#"2["a",+1]"#, InvalidJson),
        (r#"2["a",tru]"#, InvalidJson),
        (r#"2["a",True]"#, InvalidJson),
        (r#"2["a",undefined]"#, InvalidJson),
        (r#"2["a",NaN]"#, InvalidJson),
        (r#"2["a",'b']"#, InvalidJson),
        (r#"2["a",{b:1}]"#, InvalidJson),
        (r#"2["a",{"b"}]"#, InvalidJson),
        (r#"2["a",{"b":1,}]"#, InvalidJson),
        (r#"2["a\x"]"#, InvalidJson),
        (r#"2["a","\u12"]"#, InvalidJson),
        (r#"2["a","\u12g4"]"#, InvalidJson),
        (r#"2["a","\"]"#, InvalidJson),
        ("2[\"a\",\"\u{1}\"]", InvalidJson),
        ("2[\"a\",\"tab\there\"]", InvalidJson),
        (r#"2["\ud83d"]"#, InvalidJson), // a name must be a Rust string: no lone surrogate
        (r#"2["\q"]"#, InvalidJson),
        (r#"2["a"]x"#, TrailingData),
        (r#"2["a"]]"#, TrailingData),
        (r#"2["a"] ["b"]"#, TrailingData),
        (r#"0{}{}"#, TrailingData),
        (r#"4"a""b""#, TrailingData),
        (r#"51-["a",{"_placeholder":true}]"#, BadPlaceholder),
        (
            r#"51-["a",{"_placeholder":true,"num":"0"}]"#,
            BadPlaceholder,
        ),
    ]
    .into_iter()
    .map(|(text, err)| (text.to_owned(), err))
    .collect();

    // Placeholders: out of range, repeated, malformed.
    let p = placeholder;
    table.push((format!(r#"51-["a",{}]"#, p("1")), BadPlaceholder));
    table.push((format!(r#"52-["a",{},{}]"#, p("0"), p("0")), BadPlaceholder));
    table.push((
        format!(r#"52-["a",{{"x":[{}]}},{}]"#, p("1"), p("1")),
        BadPlaceholder,
    ));
    for num in ["-1", "0.5", "1e0", "18446744073709551616"] {
        table.push((format!(r#"51-["a",{}]"#, p(num)), BadPlaceholder));
    }
    table.push((format!(r#"61-1[{}]"#, p("10")), BadPlaceholder));
    // Ack ids that overflow 64 bits.
    table.push((format!(r#"2{}["a"]"#, "9".repeat(30)), BadAckId));
    table.push((r#"218446744073709551616["a"]"#.to_owned(), BadAckId));
    table.push(("318446744073709551616[]".to_owned(), BadAckId));
    table.push((
        format!("51-/admin,{}[{}]", "1".repeat(25), placeholder("0")),
        BadAckId,
    ));
    // Attachment counts that overflow.
    table.push((format!(r#"5{}-["a"]"#, "9".repeat(30)), BadAttachmentCount));
    // Nesting deeper than the scanner allows, in the data and around a placeholder.
    table.push((format!(r#"2["a",{}"#, "[".repeat(10_000)), JsonTooDeep));
    table.push((
        format!(r#"2["a",{}1{}]"#, "[".repeat(200), "]".repeat(200)),
        JsonTooDeep,
    ));
    table.push((format!(r#"0{}"#, r#"{"a":"#.repeat(200)), JsonTooDeep));
    table.push((
        format!(
            r#"51-["a",{}{}{}]"#,
            "[".repeat(200),
            placeholder("0"),
            "]".repeat(200)
        ),
        JsonTooDeep,
    ));
    table
}

#[test]
fn socket_decode_rejects_each_invalid_vector_with_its_error() {
    for (text, expected) in invalid_socket_packets() {
        assert_eq!(
            socket::decode(&text, DEFAULT_MAX_ATTACHMENTS),
            Err(expected),
            "{text:?}"
        );
        // The stateful decoder gives the same error and is left ready for the next packet.
        let mut decoder: Decoder = Decoder::default();
        assert_eq!(decoder.decode_text(&text), Err(expected), "{text:?}");
        assert_eq!(
            decoder.decode_text(r#"2["ok"]"#).unwrap().unwrap().data,
            r#"["ok"]"#
        );
    }
}

#[test]
fn socket_decode_accepts_what_the_official_parser_accepts_at_the_edges() {
    for ok in [
        r#"2[1]"#,                          // a number is a valid event name (socket.io-parser)
        r#"2[ "a" , 1 ]"#,                  // white space inside the JSON
        r#"2 ["a"]"#,                       // and before it
        r#"2["a"] "#,                       // and after it
        "2/,[\"a\"]",                       // the main namespace written out
        r#"3/admin,0[]"#,                   // ack id 0
        r#"318446744073709551615[]"#,       // the largest ack id
        r#"4"Not authorized""#,             // the EIO3-style string reason
        r#"0{"token":"\ud83d\ude00"}"#,     // a surrogate pair
        r#"2["a","\ud800"]"#,               // a lone surrogate in the data, as JSON.parse
        "2[\"a\",\"\u{2028}\u{7f}\"]",      // characters JSON does not need escaped
        r#"2["a",-0,0.5e-3,1E+2,{}]"#,      // number forms
        r#"2["a",{"_placeholder":false}]"#, // not a placeholder
        r#"2["a",{"_placeholder":true,"num":7}]"#, // placeholders mean nothing without attachments
        r#"52-["a",{"_placeholder":true,"num":1}]"#, // an attachment nothing refers to
        r#"1/admin,"#,
        r#"01"#, // an id on a CONNECT is kept, as socket.io-parser does
    ] {
        assert!(
            socket::decode(ok, DEFAULT_MAX_ATTACHMENTS).is_ok(),
            "{ok:?}"
        );
    }
}

#[test]
fn socket_decode_parts_of_accepted_edges() {
    let p = socket::decode("2/,[\"a\"]", 10).unwrap();
    assert_eq!(p.nsp, "/");
    let p = socket::decode("318446744073709551615[]", 10).unwrap();
    assert_eq!(p.id, Some(u64::MAX));
    let p = socket::decode(r#"2/a-b_c.d,12["x"]"#, 10).unwrap();
    assert_eq!((p.nsp, p.id, p.data), ("/a-b_c.d", Some(12), r#"["x"]"#));
}

#[test]
fn attachment_limit_is_configurable() {
    let packet = |n: usize| {
        let refs: Vec<String> = (0..n).map(|i| placeholder(&i.to_string())).collect();
        format!(r#"5{n}-["a",{}]"#, refs.join(","))
    };
    assert_eq!(
        socket::decode(&packet(10), 10).map(|p| p.attachments),
        Ok(10)
    );
    assert_eq!(
        socket::decode(&packet(11), 10),
        Err(DecodeError::BadAttachmentCount)
    );
    assert_eq!(
        socket::decode(&packet(3), 2),
        Err(DecodeError::BadAttachmentCount)
    );
    assert_eq!(
        socket::decode(&packet(1), 0),
        Err(DecodeError::BadAttachmentCount)
    );
    // Above 64, placeholders are still checked for range and repetition.
    assert_eq!(
        socket::decode(&packet(100), 100).map(|p| p.attachments),
        Ok(100)
    );
    let repeated = format!(r#"5100-["a",{},{}]"#, placeholder("70"), placeholder("70"));
    assert_eq!(
        socket::decode(&repeated, 100),
        Err(DecodeError::BadPlaceholder)
    );
    let out_of_range = format!(r#"570-["a",{}]"#, placeholder("70"));
    assert_eq!(
        socket::decode(&out_of_range, 100),
        Err(DecodeError::BadPlaceholder)
    );

    // The stateful decoder caps its limit at 64.
    let mut decoder: Decoder = Decoder::new(20, true);
    assert_eq!(decoder.decode_text(&packet(15)), Ok(None));
    let mut decoder: Decoder = Decoder::new(2, true);
    assert_eq!(
        decoder.decode_text(&packet(3)),
        Err(DecodeError::BadAttachmentCount)
    );
    let mut decoder: Decoder = Decoder::new(1000, true);
    assert_eq!(decoder.decode_text(&packet(64)), Ok(None));
    let mut decoder: Decoder = Decoder::new(1000, true);
    assert_eq!(
        decoder.decode_text(&packet(65)),
        Err(DecodeError::BadAttachmentCount)
    );
}

#[test]
fn decoder_refuses_attachments_out_of_sequence() {
    let mut decoder: Decoder = Decoder::default();
    // An attachment with no header.
    assert_eq!(
        decoder.decode_binary(vec![1, 2]),
        Err(DecodeError::UnexpectedAttachment)
    );
    // A text packet where an attachment was due: refused, and the half packet is dropped.
    let header = format!(r#"52-["a",{},{}]"#, placeholder("0"), placeholder("1"));
    assert_eq!(decoder.decode_text(&header), Ok(None));
    assert_eq!(decoder.decode_binary(vec![1]), Ok(None));
    assert_eq!(decoder.decode_text(r#"2["b"]"#), Err(TEXT_WHILE_AWAITING));
    assert_eq!(
        decoder.decode_binary(vec![2]),
        Err(DecodeError::UnexpectedAttachment)
    );
    // A refused header leaves nothing pending.
    assert_eq!(
        decoder.decode_text(r#"52-["a"]x"#),
        Err(DecodeError::TrailingData)
    );
    assert_eq!(
        decoder.decode_binary(vec![2]),
        Err(DecodeError::UnexpectedAttachment)
    );
    // reset() forgets a half packet.
    assert_eq!(decoder.decode_text(&header), Ok(None));
    decoder.reset();
    assert_eq!(
        decoder.decode_binary(vec![2]),
        Err(DecodeError::UnexpectedAttachment)
    );
    assert!(decoder.decode_text(r#"2["b"]"#).unwrap().is_some());
}

#[test]
fn engine_rejects_invalid_packets_and_payloads() {
    use DecodeError::*;
    for (text, expected) in [
        ("", Empty),
        ("a123", UnknownPacketType(b'a')),
        ("7", UnknownPacketType(b'7')),
        ("9hello", UnknownPacketType(b'9')),
        ("b", UnknownPacketType(b'b')), // base64 only inside a polling payload
        ("é", UnknownPacketType(0xC3)),
        ("\u{1e}", UnknownPacketType(0x1e)),
    ] {
        assert_eq!(engine::decode_text(text), Err(expected), "{text:?}");
    }
    for (body, expected) in [
        ("", vec![Err(Empty)]),
        ("4a\u{1e}\u{1e}4b", vec![Ok(()), Err(Empty), Ok(())]),
        ("4a\u{1e}", vec![Ok(()), Err(Empty)]),
        ("4a\u{1e}x", vec![Ok(()), Err(UnknownPacketType(b'x'))]),
        ("bA", vec![Err(InvalidBase64)]),
        ("bAQIDBA=", vec![Err(InvalidBase64)]),
        ("bAQID BA==", vec![Err(InvalidBase64)]),
        ("bAQIDBA==\u{1e}b=", vec![Ok(()), Err(InvalidBase64)]),
        ("6:4hello", vec![Ok(())]), // EIO3 framing is one NOOP packet with data here
        ("4test\u{1e}bAQIDBA==\u{1e}b", vec![Ok(()), Ok(()), Ok(())]),
    ] {
        let got: Vec<_> = engine::decode_payload(body)
            .map(|r| r.map(|_| ()))
            .collect();
        assert_eq!(got, expected, "{body:?}");
    }
}

#[test]
fn payload_size_guard() {
    assert_eq!(engine::check_size(10, 10), Ok(()));
    assert_eq!(engine::check_size(11, 10), Err(DecodeError::TooLarge));
    assert_eq!(engine::check_size(usize::MAX, 0), Ok(()));
    assert_eq!(
        engine::check_size(1_000_001, 1_000_000),
        Err(DecodeError::TooLarge)
    );
    let body = "4hello\u{1e}4world";
    assert_eq!(
        engine::decode_payload_limited(body, 13).map(Iterator::count),
        Ok(2)
    );
    assert_eq!(
        engine::decode_payload_limited(body, 12).map(Iterator::count),
        Err(DecodeError::TooLarge)
    );
    assert_eq!(
        engine::decode_payload_limited(body, 0).map(Iterator::count),
        Ok(2)
    );
}

#[test]
fn truncated_utf8_is_a_typed_error() {
    let text = "42[\"€\"]";
    let bytes = text.as_bytes();
    assert_eq!(engine::text_from_utf8(bytes), Ok(text));
    // Cut inside the three bytes of `€`.
    for cut in [5, 6] {
        assert_eq!(
            engine::text_from_utf8(&bytes[..cut]),
            Err(DecodeError::InvalidUtf8),
            "{cut}"
        );
    }
    assert_eq!(
        engine::text_from_utf8(&[b'4', 0xC3]),
        Err(DecodeError::InvalidUtf8)
    );
    assert_eq!(
        engine::text_from_utf8(&[b'4', 0xFF]),
        Err(DecodeError::InvalidUtf8)
    );
    assert_eq!(
        engine::text_from_utf8(&[0xED, 0xA0, 0x80]),
        Err(DecodeError::InvalidUtf8)
    ); // a surrogate
}

#[test]
fn handshake_rejects_what_is_missing_or_mistyped() {
    use DecodeError::*;
    const SID: DecodeError = BadHandshake("handshake sid is not a string");
    const INTERVAL: DecodeError = BadHandshake("handshake pingInterval is not an integer");
    const MAX: DecodeError = BadHandshake("handshake maxPayload is not an integer");
    const UPGRADES: DecodeError = BadHandshake("handshake upgrades is not a list of names");
    let ok = r#"{"sid":"s","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;
    assert!(Handshake::parse(ok).is_ok());
    let base = r#""sid":"s","pingInterval":1,"pingTimeout":1"#;
    for (json, expected) in [
        ("".to_owned(), InvalidJson),
        ("[]".to_owned(), InvalidJson),
        ("null".to_owned(), InvalidJson),
        ("{".to_owned(), InvalidJson),
        ("{}".to_owned(), BadHandshake("handshake without sid")),
        (
            r#"{"sid":"","pingInterval":1,"pingTimeout":1}"#.to_owned(),
            BadHandshake("handshake without sid"),
        ),
        (
            r#"{"sid":"s","pingTimeout":1}"#.to_owned(),
            BadHandshake("handshake without pingInterval"),
        ),
        (
            r#"{"sid":"s","pingInterval":1}"#.to_owned(),
            BadHandshake("handshake without pingTimeout"),
        ),
        (
            r#"{"sid":1,"pingInterval":1,"pingTimeout":1}"#.to_owned(),
            SID,
        ),
        (
            r#"{"sid":null,"pingInterval":1,"pingTimeout":1}"#.to_owned(),
            SID,
        ),
        // A lone surrogate cannot be a Rust string.
        (
            r#"{"sid":"\ud800","pingInterval":1,"pingTimeout":1}"#.to_owned(),
            SID,
        ),
        (
            r#"{"sid":"s","pingInterval":"1","pingTimeout":1}"#.to_owned(),
            INTERVAL,
        ),
        (
            r#"{"sid":"s","pingInterval":-1,"pingTimeout":1}"#.to_owned(),
            INTERVAL,
        ),
        (
            r#"{"sid":"s","pingInterval":1.5,"pingTimeout":1}"#.to_owned(),
            INTERVAL,
        ),
        (
            r#"{"sid":"s","pingInterval":1e3,"pingTimeout":1}"#.to_owned(),
            INTERVAL,
        ),
        (
            r#"{"sid":"s","pingInterval":18446744073709551616,"pingTimeout":1}"#.to_owned(),
            INTERVAL,
        ),
        (
            r#"{"sid":"s","pingInterval":1,"pingTimeout":{}}"#.to_owned(),
            BadHandshake("handshake pingTimeout is not an integer"),
        ),
        (format!(r#"{{{base},"maxPayload":null}}"#), MAX),
        (format!(r#"{{{base},"upgrades":"websocket"}}"#), UPGRADES),
        (format!(r#"{{{base},"upgrades":[1]}}"#), UPGRADES),
        (
            format!(r#"{{{base},"upgrades":[["websocket"]]}}"#),
            UPGRADES,
        ),
        // A later member replaces an earlier one, as with JSON.parse; the last one counts.
        (format!(r#"{{{base},"pingInterval":"x"}}"#), INTERVAL),
        (format!(r#"{{{base},"sid":2}}"#), SID),
        // Malformed JSON.
        (
            r#"{"sid":"s","pingInterval":01,"pingTimeout":1}"#.to_owned(),
            InvalidJson,
        ),
        (
            format!(r#"{{{base},"upgrades":["websocket",]}}"#),
            InvalidJson,
        ),
        (format!(r#"{{{base},"x":[}}"#), InvalidJson),
        (format!(r#"{{{base}}}x"#), TrailingData),
        (format!(r#"{{{base}}}{{}}"#), TrailingData),
    ] {
        assert_eq!(Handshake::parse(&json), Err(expected), "{json:?}");
    }
    let deep = format!(r#"{{{base},"x":{}}}"#, "[".repeat(1000));
    assert_eq!(Handshake::parse(&deep), Err(JsonTooDeep));
}

#[test]
fn handshake_keys_repeat_as_with_json_parse() {
    // Found by the engine_handshake fuzz target: JSON.parse keeps the last of repeated keys, so
    // an earlier mistyped value that a later one replaces is no error.
    let json = r#"{"sid":"s","pingInterval":1,"pingTimeout":"s","pingInterval":2,"pingTimeout":3,"maxPayloa":1,"maxPayload":0}"#;
    let hs = Handshake::parse(json).unwrap();
    assert_eq!(
        (hs.ping_interval_ms, hs.ping_timeout_ms, hs.max_payload),
        (2, 3, 0)
    );
    let hs = Handshake::parse(
        r#"{"sid":1,"sid":"b","upgrades":["websocket"],"upgrades":[],"pingInterval":1,"pingTimeout":1}"#,
    )
    .unwrap();
    assert_eq!(hs.sid, "b");
    assert!(!hs.upgrades.websocket);
}

#[test]
fn every_error_says_what_was_wrong() {
    use DecodeError::*;
    for err in [
        Empty,
        UnknownPacketType(b'9'),
        BadHandshake("handshake without sid"),
        InvalidJson,
        JsonTooDeep,
        TrailingData,
        InvalidBase64,
        BadNamespace,
        BadAckId,
        BadAttachmentCount,
        BadPlaceholder,
        UnexpectedAttachment,
        EVENT_NAME,
        ReservedEventName,
        TooLarge,
        InvalidUtf8,
    ] {
        assert!(!err.as_str().is_empty());
        assert_eq!(err.to_string(), err.as_str());
    }
}

// ---------------------------------------------------------------------------------------------
// Generators for the property tests.

/// A JSON value, written out by [`write_json`].
#[derive(Debug, Clone)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Arr(Vec<Self>),
    Obj(Vec<(String, Self)>),
    /// A binary placeholder `{"_placeholder":true,"num":n}`.
    Placeholder(usize),
}

fn json_leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::Int),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Json::Float),
        any::<String>().prop_map(Json::Str),
        "[a-z]{0,8}".prop_map(Json::Str),
    ]
}

fn json_value() -> impl Strategy<Value = Json> {
    json_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Arr),
            prop::collection::vec((object_key(), inner), 0..6).prop_map(Json::Obj),
        ]
    })
}

fn object_key() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z_]{0,8}", any::<String>()]
        .prop_filter("not a placeholder key", |k| k != "_placeholder")
}

fn json_object() -> impl Strategy<Value = Json> {
    prop::collection::vec((object_key(), json_value()), 0..6).prop_map(Json::Obj)
}

/// Writes `value`; `space` puts white space after every `[`, `{`, `,` and `:`.
fn write_json(value: &Json, space: bool, out: &mut String) {
    let sep = |out: &mut String, c: char| {
        out.push(c);
        if space {
            out.push_str(" \n\t\r");
        }
    };
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Int(n) => out.push_str(&n.to_string()),
        Json::Float(f) => out.push_str(&f.to_string()),
        Json::Str(s) => json::write_string(out, s),
        Json::Arr(items) => {
            sep(out, '[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    sep(out, ',');
                }
                write_json(item, space, out);
            }
            out.push(']');
        }
        Json::Obj(members) => {
            sep(out, '{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    sep(out, ',');
                }
                json::write_string(out, key);
                sep(out, ':');
                write_json(item, space, out);
            }
            out.push('}');
        }
        Json::Placeholder(num) => {
            sep(out, '{');
            out.push_str(r#""_placeholder""#);
            sep(out, ':');
            out.push_str("true");
            sep(out, ',');
            out.push_str(r#""num""#);
            sep(out, ':');
            out.push_str(&num.to_string());
            out.push('}');
        }
    }
}

fn to_json(value: &Json, space: bool) -> String {
    let mut out = String::new();
    write_json(value, space, &mut out);
    out
}

/// Puts a placeholder for each of `order` (a permutation of the attachment indexes) into
/// `args`, at the positions and depths that `spots` pick.
fn place_attachments(args: &mut Vec<Json>, order: &[usize], spots: &[(usize, u8)]) {
    for (&num, &(at, depth)) in order.iter().zip(spots) {
        let placeholder = match depth % 3 {
            0 => Json::Placeholder(num),
            1 => Json::Obj(vec![("file".to_owned(), Json::Placeholder(num))]),
            _ => Json::Arr(vec![
                Json::Int(1),
                Json::Obj(vec![("deep".to_owned(), Json::Placeholder(num))]),
            ]),
        };
        let at = at % (args.len() + 1);
        args.insert(at, placeholder);
    }
}

fn namespace() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => Just("/".to_owned()),
        2 => "/[a-z0-9_-]{1,12}",
        1 => "/[^,\\x1e]{1,12}", // not the polling separator either
    ]
}

fn event_name() -> impl Strategy<Value = Json> {
    prop_oneof![
        4 => any::<String>()
            .prop_filter("reserved", |s| !RESERVED_EVENTS.contains(&s.as_str()))
            .prop_map(Json::Str),
        1 => any::<i64>().prop_map(Json::Int),
        1 => (0.0f64..1e9).prop_map(Json::Float),
    ]
}

/// An owned Socket.IO packet; the test borrows it as a [`socket::Packet`].
#[derive(Debug, Clone)]
struct OwnedPacket {
    kind: PacketKind,
    nsp: String,
    id: Option<u64>,
    attachments: Vec<Vec<u8>>,
    data: String,
}

impl OwnedPacket {
    fn borrow(&self) -> socket::Packet<'_> {
        socket::Packet {
            kind: self.kind,
            nsp: &self.nsp,
            id: self.id,
            attachments: self.attachments.len(),
            data: &self.data,
        }
    }

    fn encoded(&self) -> String {
        let mut out = String::new();
        socket::encode(&self.borrow(), &mut out);
        out
    }

    fn message(&self) -> Message {
        Message {
            kind: self.kind,
            nsp: self.nsp.clone(),
            id: self.id,
            data: self.data.clone(),
            attachments: self.attachments.clone(),
        }
    }
}

prop_compose! {
    /// An EVENT or ACK with 0 to 10 attachments whose placeholders sit anywhere in the data.
    fn event_or_ack()(
        ack in any::<bool>(),
        nsp in namespace(),
        id in any::<u64>(),
        wants_ack in any::<bool>(),
        name in event_name(),
        mut args in prop::collection::vec(json_value(), 0..5),
        blobs in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 0..=DEFAULT_MAX_ATTACHMENTS),
        spots in prop::collection::vec((any::<usize>(), any::<u8>()), DEFAULT_MAX_ATTACHMENTS),
        shuffle in Just((0..DEFAULT_MAX_ATTACHMENTS).collect::<Vec<usize>>()).prop_shuffle(),
        space in any::<bool>(),
    ) -> OwnedPacket {
        let order: Vec<usize> = shuffle.into_iter().filter(|&i| i < blobs.len()).collect();
        place_attachments(&mut args, &order, &spots);
        if !ack {
            args.insert(0, name);
        }
        OwnedPacket {
            kind: if ack { PacketKind::Ack } else { PacketKind::Event },
            nsp,
            id: if ack || wants_ack { Some(id) } else { None },
            attachments: blobs,
            data: to_json(&Json::Arr(args), space),
        }
    }
}

prop_compose! {
    /// A CONNECT, DISCONNECT or CONNECT_ERROR.
    fn control_packet()(
        which in 0..4u8,
        nsp in namespace(),
        id in prop::option::weighted(0.2, any::<u64>()),
        object in json_object(),
        text in any::<String>(),
        space in any::<bool>(),
    ) -> OwnedPacket {
        let (kind, data) = match which {
            0 => (PacketKind::Connect, String::new()),
            1 => (PacketKind::Connect, to_json(&object, space)),
            2 => (PacketKind::Disconnect, String::new()),
            _ if text.len() % 2 == 0 => (PacketKind::ConnectError, to_json(&object, space)),
            _ => (PacketKind::ConnectError, to_json(&Json::Str(text), space)),
        };
        OwnedPacket { kind, nsp, id, attachments: Vec::new(), data }
    }
}

fn any_packet() -> impl Strategy<Value = OwnedPacket> {
    prop_oneof![3 => event_or_ack(), 1 => control_packet()]
}

fn engine_type() -> impl Strategy<Value = PacketType> {
    prop::sample::select(vec![
        PacketType::Open,
        PacketType::Close,
        PacketType::Ping,
        PacketType::Pong,
        PacketType::Message,
        PacketType::Upgrade,
        PacketType::Noop,
    ])
}

#[derive(Debug, Clone)]
enum OwnedEnginePacket {
    Text(PacketType, String),
    Binary(Vec<u8>),
}

impl OwnedEnginePacket {
    fn borrow(&self) -> engine::Packet<'_> {
        match self {
            Self::Text(kind, data) => engine::Packet::Text(*kind, data),
            Self::Binary(bytes) => engine::Packet::Binary(Cow::Borrowed(bytes)),
        }
    }
}

fn payload_part() -> impl Strategy<Value = OwnedEnginePacket> {
    prop_oneof![
        (engine_type(), "[^\u{1e}]{0,20}")
            .prop_map(|(kind, data)| OwnedEnginePacket::Text(kind, data)),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(OwnedEnginePacket::Binary),
    ]
}

prop_compose! {
    fn handshake_json()(
        sid in any::<String>().prop_filter("sid is not empty", |s| !s.is_empty()),
        upgrades in prop::collection::vec(
            prop_oneof![Just("websocket".to_owned()), Just("webtransport".to_owned()), any::<String>()],
            0..4,
        ),
        ping_interval in any::<u64>(),
        ping_timeout in any::<u64>(),
        max_payload in prop::option::of(any::<u64>()),
        extra in prop::collection::vec(
            (object_key().prop_filter("not a handshake key", |k| {
                !["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"].contains(&k.as_str())
            }), json_value()),
            0..3,
        ),
        order in Just((0..8).collect::<Vec<usize>>()).prop_shuffle(),
        space in any::<bool>(),
    ) -> (String, Handshake) {
        let mut members: Vec<(String, String)> = vec![
            ("sid".to_owned(), to_json(&Json::Str(sid.clone()), space)),
            (
                "upgrades".to_owned(),
                to_json(&Json::Arr(upgrades.iter().cloned().map(Json::Str).collect()), space),
            ),
            ("pingInterval".to_owned(), ping_interval.to_string()),
            ("pingTimeout".to_owned(), ping_timeout.to_string()),
        ];
        if let Some(max) = max_payload {
            members.push(("maxPayload".to_owned(), max.to_string()));
        }
        for (key, value) in &extra {
            members.push((key.clone(), to_json(value, space)));
        }
        let mut text = String::from("{");
        let mut first = true;
        for i in order.into_iter().filter(|&i| i < members.len()) {
            if !first {
                text.push(',');
            }
            first = false;
            let (key, value) = &members[i];
            json::write_string(&mut text, key);
            text.push(':');
            if space {
                text.push(' ');
            }
            text.push_str(value);
        }
        text.push('}');
        let expected = Handshake {
            sid,
            upgrades: Upgrades { websocket: upgrades.iter().any(|u| u == "websocket") },
            ping_interval_ms: ping_interval,
            ping_timeout_ms: ping_timeout,
            max_payload: max_payload.unwrap_or(0),
        };
        (text, expected)
    }
}

// ---------------------------------------------------------------------------------------------
// Properties.

// 256 cases each (proptest's default); set PROPTEST_CASES for a longer run.
proptest! {
    #[test]
    fn socket_packets_round_trip(packet in any_packet()) {
        let text = packet.encoded();
        prop_assert_eq!(socket::decode(&text, DEFAULT_MAX_ATTACHMENTS), Ok(packet.borrow()));
        // One attachment fewer than announced is over a limit set just below the count.
        let n = packet.attachments.len();
        if n > 0 {
            prop_assert_eq!(socket::decode(&text, n - 1), Err(DecodeError::BadAttachmentCount));
        }
    }

    #[test]
    fn decoder_reassembles_sequences_of_packets(packets in prop::collection::vec(any_packet(), 1..6)) {
        let mut decoder: Decoder = Decoder::default();
        for packet in &packets {
            let text = packet.encoded();
            let mut got = decoder.decode_text(&text).unwrap();
            for (i, blob) in packet.attachments.iter().enumerate() {
                prop_assert!(got.is_none(), "complete before attachment {}", i);
                got = decoder.decode_binary(blob.clone()).unwrap();
            }
            prop_assert_eq!(got, Some(packet.message()));
        }
        prop_assert_eq!(decoder.decode_binary(vec![0]), Err(DecodeError::UnexpectedAttachment));
    }

    #[test]
    fn no_proper_prefix_of_an_event_or_ack_is_accepted(packet in event_or_ack()) {
        let text = packet.encoded();
        // Every cut in the header and the last few; elsewhere about 64 cuts (quadratic otherwise).
        let len = text.len();
        let step = (len / 64).max(1);
        for (cut, _) in text
            .char_indices()
            .filter(|&(cut, _)| cut < 48 || cut + 8 > len || cut % step == 0)
        {
            let prefix = &text[..cut];
            prop_assert!(socket::decode(prefix, DEFAULT_MAX_ATTACHMENTS).is_err(), "{:?}", prefix);
        }
    }

    #[test]
    fn engine_text_packets_round_trip(kind in engine_type(), data in any::<String>()) {
        let mut out = String::new();
        engine::encode_text(kind, &data, &mut out);
        prop_assert_eq!(engine::decode_text(&out), Ok(engine::Packet::Text(kind, &data)));
    }

    #[test]
    fn engine_payloads_round_trip(parts in prop::collection::vec(payload_part(), 1..8)) {
        let mut body = String::new();
        for part in &parts {
            engine::encode_payload_part(&part.borrow(), &mut body);
        }
        let decoded: Vec<_> = engine::decode_payload(&body).collect::<Result<_, _>>().unwrap();
        let expected: Vec<_> = parts.iter().map(OwnedEnginePacket::borrow).collect();
        prop_assert_eq!(&decoded, &expected);
        let limit = body.len() as u64;
        prop_assert_eq!(engine::decode_payload_limited(&body, limit).map(Iterator::count), Ok(parts.len()));
        if limit > 1 {
            prop_assert_eq!(
                engine::decode_payload_limited(&body, limit - 1).map(Iterator::count),
                Err(DecodeError::TooLarge)
            );
        }
    }

    #[test]
    fn socket_packets_inside_engine_payloads_round_trip(packets in prop::collection::vec(any_packet(), 1..4)) {
        // As over polling: each packet a message, each attachment a `b` + base64 part.
        let mut body = String::new();
        for packet in &packets {
            engine::encode_payload_part(&engine::Packet::Text(PacketType::Message, &packet.encoded()), &mut body);
            for blob in &packet.attachments {
                engine::encode_payload_part(&engine::Packet::Binary(Cow::Borrowed(blob)), &mut body);
            }
        }
        let mut decoder: Decoder = Decoder::default();
        let mut messages = Vec::new();
        for part in engine::decode_payload(&body) {
            let got = match part.unwrap() {
                engine::Packet::Text(PacketType::Message, text) => decoder.decode_text(text).unwrap(),
                engine::Packet::Binary(bytes) => decoder.decode_binary(bytes.into_owned()).unwrap(),
                other => panic!("unexpected {other:?}"),
            };
            messages.extend(got);
        }
        let expected: Vec<_> = packets.iter().map(OwnedPacket::message).collect();
        prop_assert_eq!(messages, expected);
    }

    #[test]
    fn base64_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let mut coded = String::new();
        base64::encode(&bytes, &mut coded);
        prop_assert_eq!(coded.len() % 4, 0);
        prop_assert_eq!(base64::decode(&coded), Ok(bytes.clone()));
        prop_assert_eq!(base64::decode(coded.trim_end_matches('=')), Ok(bytes));
    }

    #[test]
    fn handshakes_round_trip((text, expected) in handshake_json()) {
        prop_assert_eq!(Handshake::parse(&text), Ok(expected));
    }

    #[test]
    fn decoders_never_panic_on_any_text(text in any::<String>(), limit in 0usize..80) {
        let _ = socket::decode(&text, limit);
        let _ = engine::decode_text(&text);
        let _ = engine::decode_payload(&text).count();
        let _ = Handshake::parse(&text);
        let _ = base64::decode(&text);
        let mut decoder: Decoder = Decoder::new(limit, true);
        let _ = decoder.decode_text(&text);
        let _ = decoder.decode_binary(text.clone().into_bytes());
    }

    #[test]
    fn decoders_never_panic_on_protocol_like_text(
        text in r#"[0-6]([0-9]{0,3}-)?(/[a-z,]{0,4},?)?[0-9]{0,3}[\[\]{}",:0-9a-z_ \\-]{0,40}"#,
    ) {
        let _ = socket::decode(&text, DEFAULT_MAX_ATTACHMENTS);
        let _ = Handshake::parse(&text);
    }

    #[test]
    fn text_from_utf8_agrees_with_std(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(
            engine::text_from_utf8(&bytes).ok(),
            core::str::from_utf8(&bytes).ok()
        );
    }
}
