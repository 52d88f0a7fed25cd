//! `engine::Handshake::parse` on any text: never panics; what it accepts serde_json reads as the
//! same handshake; what serde_json reads as a valid handshake it accepts; and writing the
//! parsed handshake back out parses to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use socketio_wasm_fuzz::protocol::engine::Handshake;
use socketio_wasm_fuzz::protocol::DecodeError;
use socketio_wasm_fuzz::{depth, verdict, write_string, Verdict};

/// The handshake serde_json sees in `value`, if the value is a valid one.
fn expected(value: &Value) -> Option<Handshake> {
    let map = value.as_object()?;
    let upgrades = match map.get("upgrades") {
        None => Vec::new(),
        Some(list) => list
            .as_array()?
            .iter()
            .map(|u| u.as_str())
            .collect::<Option<Vec<_>>>()?,
    };
    let max_payload = match map.get("maxPayload") {
        None => 0,
        Some(n) => n.as_u64()?,
    };
    Some(Handshake {
        sid: map
            .get("sid")?
            .as_str()
            .filter(|s| !s.is_empty())?
            .to_owned(),
        upgrades: socketio_wasm_fuzz::protocol::engine::Upgrades {
            websocket: upgrades.contains(&"websocket"),
        },
        ping_interval_ms: map.get("pingInterval")?.as_u64()?,
        ping_timeout_ms: map.get("pingTimeout")?.as_u64()?,
        max_payload,
    })
}

fn write(hs: &Handshake) -> String {
    let mut out = String::from("{\"sid\":");
    write_string(&mut out, &hs.sid);
    out.push_str(if hs.upgrades.websocket {
        ",\"upgrades\":[\"websocket\"]"
    } else {
        ",\"upgrades\":[]"
    });
    out.push_str(&format!(
        ",\"pingInterval\":{},\"pingTimeout\":{},\"maxPayload\":{}}}",
        hs.ping_interval_ms, hs.ping_timeout_ms, hs.max_payload
    ));
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Handshake::parse(text);
    if let Ok(hs) = &parsed {
        assert_eq!(Handshake::parse(&write(hs)).as_ref(), Ok(hs));
    }
    match (verdict(text), &parsed) {
        (Verdict::Valid(value), _) => match (expected(&value), &parsed) {
            (Some(want), Ok(got)) => assert_eq!(&want, got, "{text:?}"),
            (Some(_), Err(DecodeError::JsonTooDeep)) => assert!(depth(&value) > 100),
            (Some(want), Err(err)) => {
                panic!("refused {text:?} ({err:?}), serde_json reads {want:?}")
            }
            (None, Ok(got)) => panic!("accepted {text:?} as {got:?}, serde_json reads {value}"),
            (None, Err(_)) => {}
        },
        (Verdict::Invalid(why), Ok(got)) => {
            panic!("accepted {text:?} as {got:?}; serde_json: {why}")
        }
        _ => {}
    }
});
