//! `socket::decode` on any text: never panics; what it accepts round-trips through `encode`,
//! has data that serde_json reads as JSON of the right shape for the packet kind, and has
//! placeholders that each name a distinct attachment; and for the plain packets (types 0, 1,
//! 2 and 4 with no header fields) it accepts exactly what serde_json says is valid.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use socketio_wasm_fuzz::protocol::socket::{
    self, PacketKind, DEFAULT_MAX_ATTACHMENTS, RESERVED_EVENTS,
};
use socketio_wasm_fuzz::protocol::DecodeError;
use socketio_wasm_fuzz::{depth, placeholders, verdict, Verdict};

/// Whether `data` (empty when absent) is valid data for `kind`, as socket.io-parser decides.
fn shape_ok(kind: PacketKind, data: Option<&Value>) -> bool {
    match (kind, data) {
        (PacketKind::Connect, None) | (PacketKind::Disconnect, None) => true,
        (PacketKind::Connect, Some(v)) => v.is_object(),
        (PacketKind::ConnectError, Some(v)) => v.is_object() || v.is_string(),
        (PacketKind::Event, Some(Value::Array(items))) => match items.first() {
            Some(Value::String(name)) => !RESERVED_EVENTS.contains(&name.as_str()),
            Some(Value::Number(_)) => true,
            _ => false,
        },
        (PacketKind::Ack, Some(v)) => v.is_array(),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let decoded = socket::decode(text, DEFAULT_MAX_ATTACHMENTS);

    if let Ok(packet) = &decoded {
        // Round trip.
        let mut out = String::new();
        socket::encode(packet, &mut out);
        assert_eq!(
            socket::decode(&out, DEFAULT_MAX_ATTACHMENTS).as_ref(),
            Ok(packet),
            "{out:?}"
        );
        assert!(packet.attachments <= DEFAULT_MAX_ATTACHMENTS);
        assert!(packet.nsp.starts_with('/') && !packet.nsp.contains(','));

        // The data is JSON of the right shape, with sound placeholders.
        let value = if packet.data.is_empty() {
            None
        } else {
            match verdict(packet.data) {
                Verdict::Valid(value) => Some(value),
                Verdict::Invalid(why) => panic!("accepted {text:?} whose data is not JSON: {why}"),
                Verdict::Unsure => return,
            }
        };
        assert!(
            shape_ok(packet.kind, value.as_ref()),
            "accepted {text:?} of the wrong shape"
        );
        // split_event (what the client hands its listeners) agrees with serde_json.
        if packet.kind == PacketKind::Event {
            let items = value.as_ref().and_then(Value::as_array).unwrap();
            match (items.first(), socket::split_event(packet.data)) {
                (Some(Value::String(name)), Some((got_name, args))) => {
                    assert_eq!(&got_name, name);
                    match verdict(&args) {
                        Verdict::Valid(Value::Array(rest)) => {
                            assert_eq!(rest, items[1..], "{text:?}")
                        }
                        other => panic!(
                            "split_event({:?}) gave args {args:?}: {other:?}",
                            packet.data
                        ),
                    }
                }
                (Some(Value::String(_)), None) => panic!("split_event refused {:?}", packet.data),
                (_, got) => assert!(got.is_none()),
            }
        }
        if packet.attachments > 0 {
            let mut nums = Vec::new();
            placeholders(value.as_ref().unwrap(), &mut nums);
            let mut seen = vec![false; packet.attachments];
            for num in nums {
                let num = num.expect("a placeholder without a valid num was accepted") as usize;
                assert!(
                    num < packet.attachments && !seen[num],
                    "bad placeholder accepted in {text:?}"
                );
                seen[num] = true;
            }
        }
    }

    // Exact agreement with serde_json for the packets with no header fields: `<type><json>`.
    let mut chars = text.chars();
    let kind = match chars.next() {
        Some('0') => PacketKind::Connect,
        Some('1') => PacketKind::Disconnect,
        Some('2') => PacketKind::Event,
        Some('4') => PacketKind::ConnectError,
        _ => return,
    };
    let rest = chars.as_str();
    if rest.starts_with(|c: char| c.is_ascii_digit() || c == '/') {
        return;
    }
    let want = if rest.is_empty() {
        shape_ok(kind, None)
    } else {
        match verdict(rest) {
            Verdict::Valid(value) => {
                if depth(&value) > 100 {
                    return; // the scanner's own nesting limit decides
                }
                shape_ok(kind, Some(&value))
            }
            Verdict::Invalid(_) => false,
            Verdict::Unsure => return,
        }
    };
    match (&decoded, want) {
        (Ok(_), true) | (Err(_), false) => {}
        (Err(DecodeError::JsonTooDeep), true) => {}
        (Ok(p), false) => panic!("accepted {text:?} as {p:?}; serde_json disagrees"),
        (Err(err), true) => panic!("refused {text:?} ({err:?}); serde_json accepts it"),
    }
});
