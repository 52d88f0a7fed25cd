//! The write queue (engine.io-client's `writeBuffer`): packets wait here until the transport
//! takes them, so nothing is lost or reordered across a POST in flight or an upgrade. Over
//! WebSocket one frame per packet; over polling one POST at a time, sliced to `maxPayload`.

use crate::client::{Bytes, Json, Payload};
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

impl Outgoing {
    /// How many bytes the packet adds to a polling payload ([`eio::payload_cost`]); unless
    /// `exact`, an EVENT's JSON held in JavaScript counts its upper bound (no copy).
    fn payload_cost(&self, exact: bool) -> usize {
        match self {
            // A text has its type digit (the core writes only valid packets): the text, then
            // the separator.
            Self::Text(whole) => whole.len() + 1,
            Self::Event(head, data) => head.len() + data.utf8_len(exact) + 1,
            Self::Binary(bytes) => eio::binary_payload_cost(bytes.len()),
        }
    }

    /// Appends the packet to a polling payload (after a separator unless it is the first).
    /// An EVENT's data joins it apart, after its header (so the text is never empty once a
    /// packet is in); an attachment is read once, into base64.
    fn write_to(&self, body: &mut Payload) {
        match self {
            Self::Text(text) => {
                body.separate();
                body.push_str(text);
            }
            Self::Event(head, data) => {
                body.separate();
                body.push_str(head);
                body.push_data(data.clone());
            }
            Self::Binary(bytes) => eio::encode_payload_part(
                &Packet::Binary(Cow::Owned(bytes.to_vec())),
                &mut body.text,
            ),
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
                let mut body = Payload::default();
                let (mut taken, mut size, mut exact) = (0, 0u64, false);
                let max_payload = self.max_payload;
                // `size` counts a separator per packet taken, one more than the body has: the
                // limit is on the body with the next packet in (as the official client's).
                let over =
                    |size: u64, cost: usize| size + cost as u64 > max_payload.saturating_add(1);
                for packet in self.write_buffer.iter() {
                    let mut cost = packet.payload_cost(exact);
                    let limited = taken > 0 && max_payload != 0;
                    if limited && !exact && over(size, cost) {
                        // Near maxPayload: the exact sizes from here on (copies of the JSON
                        // held in JavaScript), so the POST is cut where the official one is.
                        exact = true;
                        let taken_cost = self.write_buffer.iter().take(taken);
                        size = taken_cost.map(|p| p.payload_cost(true) as u64).sum();
                        cost = packet.payload_cost(true);
                    }
                    if limited && over(size, cost) {
                        break;
                    }
                    packet.write_to(&mut body);
                    size += cost as u64;
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
            let mut body = Payload::default();
            while let Some(packet) = self.write_buffer.pop_front() {
                packet.write_to(&mut body);
            }
            eio::encode_payload_part(&Packet::Text(PacketType::Close, ""), &mut body.text);
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
