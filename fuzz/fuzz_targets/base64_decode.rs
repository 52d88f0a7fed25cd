//! `base64::decode` on any text: never panics, the output has the length the input implies,
//! and `decode(encode(decode(x))) == decode(x)`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use socketio_wasm_fuzz::protocol::base64;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(bytes) = base64::decode(text) else {
        return;
    };
    let digits = text.trim_end_matches('=').len();
    assert_eq!(bytes.len(), digits * 3 / 4);
    let mut coded = String::new();
    base64::encode(&bytes, &mut coded);
    assert_eq!(coded.trim_end_matches('=').len(), digits);
    assert_eq!(base64::decode(&coded).unwrap(), bytes);
});
