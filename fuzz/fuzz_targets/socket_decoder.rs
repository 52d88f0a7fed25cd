//! `socket::Decoder` fed a sequence of text and binary frames: never panics, agrees with a
//! model built on `socket::decode`, and every message it completes re-encodes and decodes to
//! itself.
//!
//! Input: the first byte sets `max_attachments` (mod 70) and, with its top bit, leaves the
//! JSON of EVENTs unchecked (the JavaScript face's decoder: then it may accept an EVENT the
//! model refuses, and nothing else); the rest is frames separated by 0xFF, each led by a tag:
//! `T` text (must be UTF-8), `B` binary, `R` reset.
#![no_main]

use libfuzzer_sys::fuzz_target;
use socketio_wasm_fuzz::protocol::socket::{self, Decoder, Message};
use socketio_wasm_fuzz::protocol::{engine, DecodeError};

fn packet_of(message: &Message) -> socket::Packet<'_> {
    socket::Packet {
        kind: message.kind,
        nsp: &message.nsp,
        id: message.id,
        attachments: message.attachments.len(),
        data: &message.data,
    }
}

fn check_round_trip(message: &Message, event_json: bool) {
    let mut text = String::new();
    socket::encode(&packet_of(message), &mut text);
    let mut decoder: Decoder = Decoder::new(64, event_json);
    let mut got = decoder.decode_text(&text).unwrap();
    for blob in &message.attachments {
        assert!(got.is_none());
        got = decoder.decode_binary(blob.clone()).unwrap();
    }
    assert_eq!(got.as_ref(), Some(message));
}

fuzz_target!(|data: &[u8]| {
    let Some((&limit, frames)) = data.split_first() else {
        return;
    };
    let event_json = limit < 0x80;
    let limit = usize::from(limit % 70);
    let mut decoder: Decoder = Decoder::new(limit, event_json);
    // The model: the message being assembled and how many attachments it awaits.
    let mut pending: Option<(Message, usize)> = None;

    for frame in frames.split(|&b| b == 0xFF) {
        let Some((&tag, body)) = frame.split_first() else {
            continue;
        };
        let (got, want) = match tag {
            b'T' => {
                let text = match engine::text_from_utf8(body) {
                    Ok(text) => text,
                    Err(err) => {
                        assert_eq!(err, DecodeError::InvalidUtf8);
                        continue;
                    }
                };
                let got = decoder.decode_text(text);
                let want = if pending.take().is_some() {
                    Err(DecodeError::InvalidPayload(
                        "text packet while awaiting attachments",
                    ))
                } else {
                    socket::decode(text, limit.min(64)).map(|p| {
                        let message = Message {
                            kind: p.kind,
                            nsp: p.nsp.to_owned(),
                            id: p.id,
                            data: p.data.to_owned(),
                            attachments: Vec::new(),
                        };
                        if p.attachments == 0 {
                            Some(message)
                        } else {
                            pending = Some((message, p.attachments));
                            None
                        }
                    })
                };
                // Unchecked, only an EVENT's JSON may be what the model refused.
                if let (false, Ok(Some(message)), Err(_)) = (event_json, &got, &want) {
                    assert_eq!(message.kind, socket::PacketKind::Event);
                    assert!(message.attachments.is_empty() && message.data.starts_with('['));
                    check_round_trip(message, event_json);
                    continue;
                }
                (got, want)
            }
            b'B' => {
                let got = decoder.decode_binary(body.to_vec());
                let want = match pending.as_mut() {
                    None => Err(DecodeError::UnexpectedAttachment),
                    Some((message, expected)) => {
                        message.attachments.push(body.to_vec());
                        if message.attachments.len() == *expected {
                            Ok(pending.take().map(|(m, _)| m))
                        } else {
                            Ok(None)
                        }
                    }
                };
                (got, want)
            }
            b'R' => {
                decoder.reset();
                pending = None;
                continue;
            }
            _ => continue,
        };
        assert_eq!(got, want);
        if let Ok(Some(message)) = &got {
            assert!(message.attachments.len() <= limit.min(64));
            check_round_trip(message, event_json);
        }
    }
});
