//! What comes in on the session's transport (engine.io-client's `onPacket`, PROTOCOL.md
//! §1.10, §2.1): polling payloads and WebSocket frames, decoded and size-checked, the
//! handshake, pings (answered at once), messages for the Socket.IO layer, and the server's
//! close. Every packet is reported first while notifying (the engine `packet` event).

use crate::client::Bytes;
use crate::prelude::*;
use core::time::Duration;

use super::write::Outgoing;
use super::{Engine, EngineEvent, State};
use crate::client::reason::{CloseReason, ErrorKind};
use crate::client::time::Instant;
use crate::client::timer::Wake;
use crate::client::transport::{Failure, Frame, TransportEvent, TransportKind};
use crate::protocol::engine::{self as eio, Handshake, Packet, PacketType};

/// A received packet: a text one borrowed from its frame or payload, or a binary one (a
/// WebSocket frame as it arrived, or the bytes of a polling payload's base64).
enum Incoming<'a> {
    Text(PacketType, &'a str),
    Binary(Bytes),
}

impl<'a> From<Packet<'a>> for Incoming<'a> {
    fn from(packet: Packet<'a>) -> Self {
        match packet {
            Packet::Text(kind, text) => Self::Text(kind, text),
            Packet::Binary(bytes) => Self::Binary(Bytes::from(bytes.into_owned())),
        }
    }
}

impl Engine {
    /// Feeds one transport event.
    pub(crate) fn handle_event(&mut self, now: Instant, event: TransportEvent<'_>) {
        self.now = self.now.max(now);
        if self.state == State::Closed {
            return;
        }
        let id = match &event {
            TransportEvent::WebSocketOpen(id)
            | TransportEvent::Text(id, _)
            | TransportEvent::Binary(id, _)
            | TransportEvent::WebSocketClosed(id, _)
            | TransportEvent::PollResponse(id, _)
            | TransportEvent::PostResponse(id, _) => *id,
        };
        if self.probe.as_ref().is_some_and(|p| p.id == id) {
            self.handle_probe_event(event);
            return;
        }
        if id != self.transport.id {
            return; // a late event from a transport already forgotten
        }
        match event {
            TransportEvent::WebSocketOpen(_) => self.transport.reading = true,
            TransportEvent::Text(_, text) => {
                self.handle_packet(now, eio::decode_text(text).map(Incoming::from))
            }
            TransportEvent::Binary(_, bytes) => {
                self.handle_packet(now, Ok(Incoming::Binary(bytes)))
            }
            TransportEvent::WebSocketClosed(_, failure) => {
                self.fail(ErrorKind::WebSocketError, failure)
            }
            TransportEvent::PollResponse(_, result) => {
                self.transport.reading = false;
                self.timers.set(Wake::PollRequest, None);
                match result {
                    Ok(body) => {
                        for packet in eio::decode_payload(body) {
                            self.handle_packet(now, packet.map(Incoming::from));
                            if self.state == State::Closed {
                                return;
                            }
                        }
                        self.after_poll();
                    }
                    Err(failure) => self.fail(ErrorKind::PollError, failure),
                }
            }
            TransportEvent::PostResponse(_, result) => {
                self.transport.writing = false;
                self.timers.set(Wake::PostRequest, None);
                match result {
                    Ok(()) => {
                        if self.notify && self.write_buffer.is_empty() {
                            self.events.push_back(EngineEvent::Drain);
                        }
                        self.maybe_finish_upgrade();
                        self.flush_and_report();
                    }
                    Err(failure) => self.fail(ErrorKind::PostError, failure),
                }
            }
        }
    }

    fn after_poll(&mut self) {
        if self.is_pausing() {
            self.maybe_finish_upgrade();
        } else if self.state != State::Closed && self.transport.kind == TransportKind::Polling {
            self.poll();
        }
    }

    fn handle_packet(
        &mut self,
        now: Instant,
        packet: Result<Incoming<'_>, crate::protocol::DecodeError>,
    ) {
        let Ok(packet) = packet else {
            self.fail(ErrorKind::ParserError, Failure::Network);
            return;
        };
        let len = match &packet {
            Incoming::Text(_, text) => text.len() + 1,
            Incoming::Binary(bytes) => bytes.len(),
        };
        if eio::check_size(len, self.receive_limit()).is_err() {
            self.fail(ErrorKind::ParserError, Failure::Network);
            return;
        }
        if self.notify {
            match &packet {
                Incoming::Text(kind, text) => self.report(false, *kind, text),
                Incoming::Binary(bytes) => self.events.push_back(EngineEvent::Packet {
                    sent: false,
                    kind: PacketType::Message,
                    data: Some(Frame::Binary(bytes.clone())),
                }),
            }
        }
        if self.state == State::Opening {
            match packet {
                Incoming::Text(PacketType::Open, json) => match Handshake::parse(json) {
                    Ok(handshake) => self.on_handshake(now, handshake),
                    Err(_) => self.fail(ErrorKind::ParserError, Failure::Network),
                },
                _ => self.fail(ErrorKind::ParserError, Failure::Network),
            }
            return;
        }
        match packet {
            Incoming::Text(PacketType::Ping, _) => {
                self.heartbeat_grace = false;
                self.timers
                    .set(Wake::Heartbeat, Some(now + self.ping_window));
                if self.notify {
                    self.report(true, PacketType::Pong, "");
                }
                self.write_buffer
                    .push_back(Outgoing::Text(String::from("3")));
                self.events.push_back(EngineEvent::Ping);
                self.flush_and_report();
            }
            Incoming::Text(PacketType::Message, text) => {
                self.events.push_back(EngineEvent::Text(text.to_owned()))
            }
            Incoming::Binary(bytes) => self.events.push_back(EngineEvent::Binary(bytes)),
            Incoming::Text(PacketType::Close, _) => {
                self.close_with(CloseReason::TransportClose, None)
            }
            // A second handshake, a stray pong, upgrade or noop: nothing to do.
            Incoming::Text(_, _) => {}
        }
    }

    /// The receive limit in bytes (0: none); before the handshake, none.
    fn receive_limit(&self) -> u64 {
        match self.state {
            State::Opening => 0,
            _ => self.config.max_receive_payload.unwrap_or(self.max_payload),
        }
    }

    fn on_handshake(&mut self, now: Instant, handshake: Handshake) {
        self.state = State::Open;
        self.sid = Some(handshake.sid.clone());
        self.max_payload = handshake.max_payload;
        self.ping_window = Duration::from_millis(
            handshake
                .ping_interval_ms
                .saturating_add(handshake.ping_timeout_ms),
        );
        self.timers
            .set(Wake::Heartbeat, Some(now + self.ping_window));
        let can_upgrade = self.config.upgrade
            && self.transport.kind == TransportKind::Polling
            && handshake.upgrades.websocket
            && self.config.transports.contains(&TransportKind::WebSocket);
        self.events.push_back(EngineEvent::Open(handshake));
        if can_upgrade {
            self.start_probe();
        }
        self.flush_and_report();
    }

    /// Reports a text packet received or queued (`data` without the type digit).
    fn report(&mut self, sent: bool, kind: PacketType, data: &str) {
        let data = (!data.is_empty()).then(|| Frame::Text(data.to_owned()));
        self.events
            .push_back(EngineEvent::Packet { sent, kind, data });
    }
}
