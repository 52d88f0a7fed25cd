//! The operations the parser benchmark times, shared by the native runner (`src/main.rs`) and the
//! wasm module (the `wasm` section below, driven from Node by `bench.js`).
//!
//! Socket.IO cases come from `bench.js`, which writes what the official `socket.io-parser`
//! Encoder produces for each case (the header text and the attachment sizes), so both sides
//! work on identical packets. The Engine.IO cases are the fixed strings of engine.io-parser's
//! own benchmark.

extern crate alloc;

use std::borrow::Cow;
use std::hint::black_box;

/// The crate's prelude (the `alloc` types its `no_std` modules import), compiled in as it is.
#[path = "../../../src/prelude.rs"]
#[allow(unused_imports)] // `vec!` is for the client, which the benchmark leaves out
mod prelude;

/// The crate's `src/protocol`, compiled in as it is (pure Rust, no dependencies).
#[path = "../../../src/protocol/mod.rs"]
#[allow(dead_code, unreachable_pub)] // helpers the client uses and the benchmark does not
pub mod protocol;

use protocol::engine::{self, PacketType};
use protocol::socket::{self, Decoder};

/// A Socket.IO case: the packet text (the Engine.IO message body) and its attachments.
#[derive(Debug, Clone)]
pub struct SocketCase {
    /// The case's name, as in bench.js.
    pub name: String,
    /// What the official encoder writes for the packet, e.g. `2/bench,["message",{...}]`.
    pub text: String,
    /// The binary attachments (contents do not matter, only sizes).
    pub attachments: Vec<Vec<u8>>,
}

/// The operation of one benchmark row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Encode the case's packet (header text; attachments pass through untouched). Encoders
    /// append to a buffer the caller keeps, as the API is meant to be used.
    SocketEncode(usize),
    /// Decode the case's header and attachments back into a message.
    SocketDecode(usize),
    /// `encodePacket({type: "message", data: "test"})`.
    EncodePacket,
    /// `encodePayload([{message "test1"}, {message "test2"}])`.
    EncodePayload,
    /// `encodePayload([{message "test"}, {message <4 bytes>}])` (binary as base64).
    EncodePayloadBinary,
    /// `decodePacket("4test")`.
    DecodePacket,
    /// `decodePayload("4test1\x1e4test2")`.
    DecodePayload,
    /// `decodePayload("4test1\x1ebAQIDBA==")`.
    DecodePayloadBinary,
}

/// The engine.io-parser cases, in table order, with their row names.
pub const ENGINE_OPS: [(Op, &str); 6] = [
    (Op::EncodePacket, "eio encode packet (string)"),
    (Op::EncodePayload, "eio encode payload (string)"),
    (
        Op::EncodePayloadBinary,
        "eio encode payload (string + binary)",
    ),
    (Op::DecodePacket, "eio decode packet (string)"),
    (Op::DecodePayload, "eio decode payload (string)"),
    (
        Op::DecodePayloadBinary,
        "eio decode payload (string + binary)",
    ),
];

const BINARY: [u8; 4] = [1, 2, 3, 4];

/// What a caller of `decode_payload` looks at: each packet's data (the iterator is consumed as
/// the client consumes it, not collected).
fn packet_len(packet: Result<engine::Packet<'_>, protocol::DecodeError>) -> usize {
    match black_box(packet) {
        Ok(engine::Packet::Text(_, data)) => data.len(),
        Ok(engine::Packet::Binary(bytes)) => bytes.len(),
        Err(_) => 0,
    }
}

/// Owns the cases and the decoder the rows share.
#[derive(Debug, Default)]
pub struct Bench {
    cases: Vec<SocketCase>,
    decoder: Decoder,
}

impl Bench {
    /// Adds a Socket.IO case; returns its index for [`Op::SocketEncode`] / [`Op::SocketDecode`].
    pub fn add_case(
        &mut self,
        name: &str,
        text: &str,
        attachment_sizes: &[u32],
    ) -> Result<usize, String> {
        socket::decode(text, 64)
            .map_err(|e| format!("{name}: our decoder refuses {text:.60}: {e}"))?;
        let attachments = attachment_sizes
            .iter()
            .map(|&n| (0..n).map(|i| (i % 251) as u8).collect())
            .collect();
        self.cases.push(SocketCase {
            name: name.to_owned(),
            text: text.to_owned(),
            attachments,
        });
        Ok(self.cases.len() - 1)
    }

    /// The Socket.IO cases.
    pub fn cases(&self) -> &[SocketCase] {
        &self.cases
    }

    /// Runs `op` `n` times; returns a checksum so that nothing is optimised away.
    pub fn run(&mut self, op: Op, n: u32) -> usize {
        let mut sum = 0usize;
        match op {
            Op::SocketEncode(i) => {
                let Some(case) = self.cases.get(i) else {
                    return 0;
                };
                // The fields as the client holds them before encoding (decoded once, outside
                // the loop).
                let Ok(packet) = socket::decode(&case.text, 64) else {
                    return 0;
                };
                let mut out = String::new();
                for _ in 0..n {
                    out.clear();
                    socket::encode(black_box(&packet), &mut out);
                    sum += black_box(&out).len();
                }
            }
            Op::SocketDecode(i) => {
                let Some(case) = self.cases.get(i) else {
                    return 0;
                };
                for _ in 0..n {
                    let mut got = self
                        .decoder
                        .decode_text(black_box(&case.text))
                        .ok()
                        .flatten();
                    for blob in &case.attachments {
                        // The transport hands over an owned copy of each frame.
                        got = self.decoder.decode_binary(blob.clone()).ok().flatten();
                    }
                    sum += black_box(got).map_or(0, |m| m.data.len());
                }
            }
            Op::EncodePacket => {
                let mut out = String::new();
                for _ in 0..n {
                    out.clear();
                    engine::encode_text(PacketType::Message, black_box("test"), &mut out);
                    sum += black_box(&out).len();
                }
            }
            Op::EncodePayload => {
                let mut out = String::new();
                for _ in 0..n {
                    out.clear();
                    engine::encode_payload_part(
                        &engine::Packet::Text(PacketType::Message, black_box("test1")),
                        &mut out,
                    );
                    engine::encode_payload_part(
                        &engine::Packet::Text(PacketType::Message, black_box("test2")),
                        &mut out,
                    );
                    sum += black_box(&out).len();
                }
            }
            Op::EncodePayloadBinary => {
                let mut out = String::new();
                for _ in 0..n {
                    out.clear();
                    engine::encode_payload_part(
                        &engine::Packet::Text(PacketType::Message, black_box("test")),
                        &mut out,
                    );
                    engine::encode_payload_part(
                        &engine::Packet::Binary(Cow::Borrowed(black_box(&BINARY))),
                        &mut out,
                    );
                    sum += black_box(&out).len();
                }
            }
            Op::DecodePacket => {
                for _ in 0..n {
                    sum += usize::from(engine::decode_text(black_box("4test")).is_ok());
                }
            }
            Op::DecodePayload => {
                for _ in 0..n {
                    sum += engine::decode_payload(black_box("4test1\x1e4test2"))
                        .map(packet_len)
                        .sum::<usize>();
                }
            }
            Op::DecodePayloadBinary => {
                for _ in 0..n {
                    sum += engine::decode_payload(black_box("4test1\x1ebAQIDBA=="))
                        .map(packet_len)
                        .sum::<usize>();
                }
            }
        }
        sum
    }
}

/// The module bench.js loads: the loops above run inside wasm (timed from JS around one call),
/// and single operations cross the JS/wasm boundary per call, as a browser client does.
#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::borrow::Cow;
    use std::cell::RefCell;

    use crate::protocol::engine::{self, PacketType};
    use crate::protocol::socket::{self, Decoder, PacketKind};
    use wasm_bindgen::prelude::*;

    use super::{Bench, Op, ENGINE_OPS};

    thread_local! {
        static BENCH: RefCell<Bench> = RefCell::new(Bench::default());
        static DECODER: RefCell<Decoder> = RefCell::new(Decoder::default());
    }

    /// Registers a Socket.IO case; returns its index.
    #[wasm_bindgen]
    pub fn add_case(name: &str, text: &str, attachment_sizes: &[u32]) -> Result<usize, JsError> {
        BENCH
            .with(|b| b.borrow_mut().add_case(name, text, attachment_sizes))
            .map_err(|e| JsError::new(&e))
    }

    /// Runs a Socket.IO row `n` times inside wasm: `encode` or decode of case `case`.
    #[wasm_bindgen]
    pub fn run_socket(case: usize, encode: bool, n: u32) -> usize {
        let op = if encode {
            Op::SocketEncode(case)
        } else {
            Op::SocketDecode(case)
        };
        BENCH.with(|b| b.borrow_mut().run(op, n))
    }

    /// Runs engine row `row` (the order of `ENGINE_OPS`) `n` times inside wasm.
    #[wasm_bindgen]
    pub fn run_engine(row: usize, n: u32) -> usize {
        let Some(&(op, _)) = ENGINE_OPS.get(row) else {
            return 0;
        };
        BENCH.with(|b| b.borrow_mut().run(op, n))
    }

    /// One Socket.IO EVENT encode, called from JS: returns the header text.
    #[wasm_bindgen]
    pub fn sio_encode(nsp: &str, attachments: usize, data: &str) -> String {
        let mut out = String::new();
        let packet = socket::Packet {
            kind: PacketKind::Event,
            nsp,
            id: None,
            attachments,
            data,
        };
        socket::encode(&packet, &mut out);
        out
    }

    /// Feeds one text frame; returns the JSON data when the message is complete.
    #[wasm_bindgen]
    pub fn sio_decode_text(text: &str) -> Result<Option<String>, JsError> {
        DECODER
            .with(|d| d.borrow_mut().decode_text(text))
            .map(|m| m.map(|m| m.data))
            .map_err(JsError::from)
    }

    /// Feeds one binary frame (copied into wasm); returns the JSON data when complete.
    #[wasm_bindgen]
    pub fn sio_decode_binary(bytes: Vec<u8>) -> Result<Option<String>, JsError> {
        DECODER
            .with(|d| d.borrow_mut().decode_binary(bytes))
            .map(|m| m.map(|m| m.data))
            .map_err(JsError::from)
    }

    /// One Engine.IO text packet encode.
    #[wasm_bindgen]
    pub fn eio_encode_packet(data: &str) -> String {
        let mut out = String::new();
        engine::encode_text(PacketType::Message, data, &mut out);
        out
    }

    /// A payload of text messages.
    #[wasm_bindgen]
    pub fn eio_encode_payload(parts: Vec<String>) -> String {
        let mut out = String::new();
        for part in &parts {
            engine::encode_payload_part(&engine::Packet::Text(PacketType::Message, part), &mut out);
        }
        out
    }

    /// A payload of one text message and one binary message.
    #[wasm_bindgen]
    pub fn eio_encode_payload_binary(text: &str, bytes: &[u8]) -> String {
        let mut out = String::new();
        engine::encode_payload_part(&engine::Packet::Text(PacketType::Message, text), &mut out);
        engine::encode_payload_part(&engine::Packet::Binary(Cow::Borrowed(bytes)), &mut out);
        out
    }

    /// One Engine.IO text packet decode: returns the data (the type digit is its wire form).
    #[wasm_bindgen]
    pub fn eio_decode_packet(text: &str) -> Result<String, JsError> {
        match engine::decode_text(text)? {
            engine::Packet::Text(_, data) => Ok(data.to_owned()),
            engine::Packet::Binary(_) => Err(JsError::new("binary")),
        }
    }

    /// A polling payload decode: text parts come back as strings, binary ones as `Uint8Array`s.
    #[wasm_bindgen]
    pub fn eio_decode_payload(body: &str) -> Result<js_sys::Array, JsError> {
        let out = js_sys::Array::new();
        for packet in engine::decode_payload(body) {
            match packet? {
                engine::Packet::Text(_, data) => out.push(&JsValue::from_str(data)),
                engine::Packet::Binary(bytes) => {
                    out.push(&js_sys::Uint8Array::from(&bytes[..]).into())
                }
            };
        }
        Ok(out)
    }
}
