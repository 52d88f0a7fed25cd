//! `engine::decode_text` (and `engine::text_from_utf8`) on any bytes: never panics, refuses
//! exactly what it should, and `encode_text(decode_text(x)) == x`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use socketio_wasm_fuzz::protocol::{engine, DecodeError};

fuzz_target!(|data: &[u8]| {
    let text = match engine::text_from_utf8(data) {
        Ok(text) => text,
        Err(err) => {
            assert_eq!(err, DecodeError::InvalidUtf8);
            assert!(std::str::from_utf8(data).is_err());
            return;
        }
    };
    match engine::decode_text(text) {
        Ok(engine::Packet::Text(kind, body)) => {
            let mut out = String::new();
            engine::encode_text(kind, body, &mut out);
            assert_eq!(out, text);
        }
        Ok(engine::Packet::Binary(_)) => panic!("a text packet decoded as binary"),
        Err(DecodeError::Empty) => assert!(text.is_empty()),
        Err(DecodeError::UnknownPacketType(b)) => {
            assert_eq!(Some(&b), text.as_bytes().first());
            assert!(!(b'0'..=b'6').contains(&b));
        }
        Err(other) => panic!("unexpected error {other:?} for {text:?}"),
    }
});
