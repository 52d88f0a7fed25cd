//! `engine::decode_payload` on any text: never panics, yields one result per `\x1e`-separated
//! part, and re-encoding what it decoded decodes to the same packets. Also the size guard.
#![no_main]

use libfuzzer_sys::fuzz_target;
use socketio_wasm_fuzz::protocol::{engine, DecodeError};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let decoded: Vec<_> = engine::decode_payload(body).collect();
    assert_eq!(decoded.len(), body.split(engine::SEPARATOR).count());

    let len = body.len() as u64;
    assert!(engine::decode_payload_limited(body, len).is_ok());
    assert!(engine::decode_payload_limited(body, 0).is_ok());
    if len > 1 {
        assert_eq!(
            engine::decode_payload_limited(body, len - 1).err(),
            Some(DecodeError::TooLarge)
        );
    }

    let Ok(packets) = decoded.into_iter().collect::<Result<Vec<_>, _>>() else {
        return;
    };
    let mut again = String::new();
    for packet in &packets {
        engine::encode_payload_part(packet, &mut again);
    }
    let redecoded: Vec<_> = engine::decode_payload(&again)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(packets, redecoded);
});
