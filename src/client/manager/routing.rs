//! Between the engine and the namespaces: the engine's events drained in order and turned into
//! Manager events, decoded Socket.IO packets routed to their namespace, and each socket's
//! writes and events taken in the order it made them (its writes go to the engine, reported as
//! `packetCreate` while notifying).

use crate::client::fifo::Fifo;
use crate::client::{Bytes, Json};
use crate::prelude::*;

use super::{Manager, ReadyState};
use crate::client::engine::{Engine, EngineEvent};
use crate::client::event::{Event, NspId};
use crate::client::reason::{CloseReason, ErrorKind};
use crate::client::socket::{Effect, Socket};
use crate::client::time::Instant;
use crate::client::transport::{Command, Frame};
use crate::protocol::engine::PacketType;
use crate::protocol::socket::{Message, PacketKind};

impl Manager {
    /// Reports the Engine.IO session's packets ([`Event::EnginePacket`]), drains
    /// ([`Event::Drain`]) and close ([`Event::EngineClose`]) while `on`; costs nothing while off.
    pub fn set_notify_engine(&mut self, on: bool) {
        self.notify_engine = on;
        if let Some(engine) = self.engine.as_mut() {
            engine.set_notify(on);
        }
    }

    /// Runs `f` on socket `nsp`, then takes what it did, in order.
    pub(super) fn with_socket(&mut self, nsp: NspId, f: impl FnOnce(&mut Socket)) {
        let Some(socket) = self.sockets.get_mut(nsp.0 as usize) else {
            return;
        };
        f(socket);
        while let Some(effect) = socket.poll_effect() {
            match effect {
                Effect::Event(event) => self.events.push_back(event),
                Effect::Store(op) => self.commands.push_back(Command::Outbox {
                    nsp,
                    key: super::session::storage_key(&self.config.engine, &socket.nsp),
                    op,
                }),
                Effect::Write(text, data, attachments) => write(
                    self.engine.as_mut(),
                    &mut self.events,
                    self.notify_engine,
                    self.last_now,
                    (text, data),
                    attachments,
                ),
            }
        }
    }

    /// Processes what the engine reported, moving its commands out, until it is quiet.
    pub(super) fn drain(&mut self, now: Instant) {
        loop {
            let Some(engine) = self.engine.as_mut() else {
                return;
            };
            while let Some(command) = engine.poll_command() {
                self.commands.push_back(command);
            }
            self.next_transport_id = engine.next_id();
            let Some(event) = engine.poll_event() else {
                return;
            };
            self.on_engine_event(now, event);
        }
    }

    /// Forgets the engine, keeping the commands it still had for the driver.
    pub(super) fn take_engine(&mut self) {
        if let Some(mut engine) = self.engine.take() {
            while let Some(command) = engine.poll_command() {
                self.commands.push_back(command);
            }
            self.next_transport_id = engine.next_id();
        }
    }

    fn on_engine_event(&mut self, now: Instant, event: EngineEvent) {
        match event {
            EngineEvent::Open(_) => {
                self.state = ReadyState::Open;
                self.timers.set(crate::client::Wake::OpenTimeout, None);
                self.events.push_back(Event::Open);
                let active: Vec<NspId> = self
                    .sockets
                    .iter()
                    .filter(|s| s.active)
                    .map(|s| s.id_num)
                    .collect();
                for nsp in active {
                    self.with_socket(nsp, Socket::on_open);
                }
                if self.reconnecting {
                    let attempts = self.backoff.attempts;
                    self.reconnecting = false;
                    self.backoff.reset();
                    self.events.push_back(Event::Reconnect(attempts));
                }
            }
            EngineEvent::Text(text) => match self.decoder.decode_text(&text) {
                Ok(Some(message)) => self.route(now, message),
                Ok(None) => {}
                Err(_) => self.on_close(now, CloseReason::ParseError, None),
            },
            EngineEvent::Binary(bytes) => match self.decoder.decode_binary(bytes) {
                Ok(Some(message)) => self.route(now, message),
                Ok(None) => {}
                Err(_) => self.on_close(now, CloseReason::ParseError, None),
            },
            EngineEvent::Ping => self.events.push_back(Event::Ping),
            EngineEvent::Upgrade(kind) => {
                self.prior_websocket_success = true;
                self.events.push_back(Event::Upgrade(kind));
            }
            EngineEvent::UpgradeError(cause) => self.events.push_back(Event::UpgradeError(cause)),
            EngineEvent::OpenError(kind, failure) => {
                if kind == ErrorKind::WebSocketError {
                    self.prior_websocket_success = false;
                }
                self.take_engine();
                self.on_open_error(now, kind, failure);
            }
            EngineEvent::Error(kind, failure) => self.on_transport_error(kind, failure),
            EngineEvent::Close(reason, failure) => {
                if self.notify_engine {
                    self.events
                        .push_back(Event::EngineClose(reason, failure.clone()));
                }
                self.on_close(now, reason, failure);
            }
            EngineEvent::Packet { sent, kind, data } => {
                self.events
                    .push_back(Event::EnginePacket { sent, kind, data });
            }
            EngineEvent::Drain => self.events.push_back(Event::Drain),
        }
    }

    fn route(&mut self, now: Instant, message: Message<Bytes>) {
        let Some(index) = self
            .sockets
            .iter()
            .position(|s| s.active && s.nsp == message.nsp)
        else {
            return;
        };
        let nsp = NspId(index as u32);
        // A socket the server disconnects or refuses is destroyed before it reports it, so the
        // Manager's `close` of the last one comes first (the official `ondisconnect` and
        // CONNECT_ERROR handling call `destroy()` first).
        if matches!(
            message.kind,
            PacketKind::Disconnect | PacketKind::ConnectError
        ) {
            if let Some(socket) = self.socket_mut(nsp) {
                socket.active = false;
            }
            if self.sockets.iter().all(|s| !s.active) {
                self.close_all(now);
            }
        }
        self.with_socket(nsp, |s| s.on_packet(now, message));
        // A socket refused otherwise (a v2 server) leaves too; the connection closes with the
        // last one.
        if self.sockets.iter().all(|s| !s.active) && self.state != ReadyState::Closed {
            self.close_all(now);
        }
    }
}

/// Queues one Socket.IO packet on the engine (its text, or an EVENT's header and JSON data),
/// reporting it (`packetCreate`) and the drain it caused while notifying.
fn write(
    engine: Option<&mut Engine>,
    events: &mut Fifo<Event>,
    notify: bool,
    now: Instant,
    (text, data): (String, Option<Json>),
    attachments: Vec<Bytes>,
) {
    let Some(engine) = engine else {
        return;
    };
    if notify {
        let head = text.get(1..).unwrap_or("").to_owned();
        let frame = match &data {
            Some(data) => Some(Frame::Event(head, data.clone())),
            None => (!head.is_empty()).then_some(Frame::Text(head)),
        };
        events.push_back(Event::EnginePacket {
            sent: true,
            kind: PacketType::Message,
            data: frame,
        });
        for bytes in &attachments {
            events.push_back(Event::EnginePacket {
                sent: true,
                kind: PacketType::Message,
                data: Some(Frame::Binary(bytes.clone())),
            });
        }
    }
    if engine.send_message(now, text, data, attachments) && notify {
        events.push_back(Event::Drain);
    }
}
