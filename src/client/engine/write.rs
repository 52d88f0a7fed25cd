//! The write queue (engine.io-client's `writeBuffer`): packets wait here until the transport
//! takes them, so nothing is lost or reordered across a POST in flight or an upgrade. Over
//! WebSocket one frame per packet; over polling one POST at a time, sliced to `maxPayload`.

use crate::client::{Bytes, Json};
use crate::prelude::*;
use alloc::borrow::Cow;

use super::{Engine, EngineEvent, State};
use crate::client::reason::CloseReason;
use crate::client::time::Instant;
use crate::client::timer::Wake;
use crate::client::transport::{Command, Frame, TransportKind};
use crate::protocol::engine::{self as eio, Packet, PacketType};

/// A packet waiting to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outgoing {
    /// A whole text packet, type digit included (`4...`, `3`, `1`).
    Text(String),
    /// An EVENT or an ACK in two parts: its header, type digit included, and its JSON data
    /// (see [`Frame::Event`]).
    Event(String, Json),
    /// A binary message.
    Binary(Bytes),
}

/// `text` as Engine.IO packet (a `noop` if it is none: the core writes only valid ones).
fn text_packet(text: &str) -> Packet<'_> {
    eio::decode_text(text).unwrap_or(Packet::Text(PacketType::Noop, ""))
}

impl Outgoing {
    /// Calls `f` with the packet as Engine.IO packet, for a polling payload. The one read of
    /// an emit's data and of an attachment's bytes: they join the payload's text.
    fn with_packet<R>(&self, f: impl FnOnce(&Packet<'_>) -> R) -> R {
        match self {
            Self::Text(whole) => f(&text_packet(whole)),
            Self::Event(head, data) => {
                let mut whole = head.clone();
                whole.push_str(&data.to_text());
                f(&text_packet(&whole))
            }
            Self::Binary(bytes) => f(&Packet::Binary(Cow::Owned(bytes.to_vec()))),
        }
    }
}

impl Engine {
    /// Whether a packet written now would go out at once (the official `transport.writable`).
    pub(crate) fn is_writable(&self) -> bool {
        self.state == State::Open
            && !self.is_pausing()
            && match self.transport.kind {
                TransportKind::Polling => !self.transport.writing,
                TransportKind::WebSocket => true,
            }
    }

    /// Queues a message: `packet` is the Engine.IO text, `4` included (an EVENT's header when
    /// `data` is its JSON), followed by its binary attachments. Returns true when this emptied
    /// the write buffer onto the transport (a `drain`, for the caller to report in its place).
    pub(crate) fn send_message(
        &mut self,
        now: Instant,
        packet: String,
        data: Option<Json>,
        attachments: Vec<Bytes>,
    ) -> bool {
        self.now = self.now.max(now);
        self.write_buffer.push_back(match data {
            Some(data) => Outgoing::Event(packet, data),
            None => Outgoing::Text(packet),
        });
        self.write_buffer
            .extend(attachments.into_iter().map(Outgoing::Binary));
        self.flush()
    }

    /// Writes what the transport can take now, reporting a drain while notifying.
    pub(super) fn flush_and_report(&mut self) {
        if self.flush() && self.notify {
            self.events.push_back(EngineEvent::Drain);
        }
    }

    /// Writes what the transport can take now; true when a WebSocket took everything.
    fn flush(&mut self) -> bool {
        if !self.is_writable() || self.write_buffer.is_empty() {
            return false;
        }
        let id = self.transport.id;
        match self.transport.kind {
            TransportKind::WebSocket => {
                // pop_front rather than drain: VecDeque's Drain and its drop cost 1.2 KB of wasm.
                while let Some(packet) = self.write_buffer.pop_front() {
                    let frame = match packet {
                        Outgoing::Text(text) => Frame::Text(text),
                        Outgoing::Event(head, data) => Frame::Event(head, data),
                        Outgoing::Binary(bytes) => Frame::Binary(bytes),
                    };
                    self.commands.push_back(Command::SendFrame { id, frame });
                }
                true
            }
            TransportKind::Polling => {
                let mut body = String::new();
                let mut taken = 0;
                let max_payload = self.max_payload;
                for packet in &self.write_buffer {
                    let fits = packet.with_packet(|packet| {
                        let cost = eio::payload_cost(packet) as u64;
                        let fits = taken == 0
                            || max_payload == 0
                            || body.len() as u64 + cost <= max_payload;
                        if fits {
                            eio::encode_payload_part(packet, &mut body);
                        }
                        fits
                    });
                    if !fits {
                        break;
                    }
                    taken += 1;
                }
                for _ in 0..taken {
                    self.write_buffer.pop_front();
                }
                self.transport.writing = true;
                let deadline = self.config.request_timeout.map(|t| self.now + t);
                self.timers.set(Wake::PostRequest, deadline);
                let url = self.url(TransportKind::Polling);
                self.commands.push_back(Command::Post {
                    id,
                    url,
                    body,
                    last: false,
                });
                false
            }
        }
    }

    /// Closes the session from this side ("forced close"). Over polling, what is still queued
    /// (e.g. a DISCONNECT) goes with the goodbye `1`.
    pub(crate) fn close(&mut self) {
        if self.state == State::Closed {
            return;
        }
        let was_open = self.state == State::Open;
        if was_open && self.transport.kind == TransportKind::Polling {
            // One last POST that the driver sends after any POST in flight, so that nothing is
            // lost and the server never sees two POSTs at once.
            let mut body = String::new();
            while let Some(packet) = self.write_buffer.pop_front() {
                packet.with_packet(|packet| eio::encode_payload_part(packet, &mut body));
            }
            eio::encode_payload_part(&Packet::Text(PacketType::Close, ""), &mut body);
            let url = self.url(TransportKind::Polling);
            self.commands.push_back(Command::Post {
                id: self.transport.id,
                url,
                body,
                last: true,
            });
        }
        self.shutdown();
        if was_open {
            self.events
                .push_back(EngineEvent::Close(CloseReason::ForcedClose, None));
        }
    }
}
