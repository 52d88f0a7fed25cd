//! One Engine.IO session (PROTOCOL.md §1.10–§1.12, §2.1): the handshake over the first
//! transport, the WebSocket upgrade probe, the heartbeat deadline, and a write queue that never
//! loses or reorders packets across an upgrade. Sans-IO: transport events and the time in,
//! [`Command`]s and [`EngineEvent`]s out. Never touches web-sys.

use crate::prelude::*;
use alloc::borrow::Cow;
use alloc::collections::VecDeque;
use core::time::Duration;

use super::reason::{CloseReason, ErrorKind};
use super::rng::Rng;
use super::spare::ReleaseSpare;
use super::time::{soonest, Instant};
use super::transport::{Command, Failure, Frame, TransportEvent, TransportId, TransportKind};
use crate::protocol::engine::{self as eio, Handshake, Packet, PacketType};

/// What the engine needs to know to open sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineConfig {
    /// `http://host[:port]` or `https://...` of the server.
    pub origin: String,
    /// The engine path with its trailing slash, e.g. `/socket.io/`.
    pub path: String,
    /// The user's query string, already URL-encoded, without `?` (may be empty).
    pub query: String,
    /// Transports to use, in order of preference (the first opens the session).
    pub transports: Vec<TransportKind>,
    /// Whether to probe for a WebSocket upgrade after opening over polling.
    pub upgrade: bool,
    /// On an error while opening, try the next transport of `transports`.
    pub try_all_transports: bool,
    /// Add the `t` cache-buster to polling requests (official default); `Some(true)` also adds
    /// it to WebSocket URLs, `Some(false)` never.
    pub timestamp_requests: Option<bool>,
    /// The cache-buster's parameter name.
    pub timestamp_param: String,
    /// Open with a WebSocket when an earlier session upgraded (`rememberUpgrade`).
    pub remember_upgrade: bool,
    /// The largest received packet, in bytes of data: `None` takes the handshake's
    /// `maxPayload` (what the server accepts, so a fair bound on what it sends), `Some(0)`
    /// means no limit. A larger packet fails the session with "parse error".
    pub max_receive_payload: Option<u64>,
    /// How long one polling GET or POST may take (socket.io-client's `requestTimeout`, default
    /// none): past it the request counts as failed with [`Failure::Network`] and the driver is
    /// told to abort it ([`Command::Close`]).
    pub request_timeout: Option<Duration>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            origin: String::from("http://localhost"),
            path: String::from("/socket.io/"),
            query: String::new(),
            transports: vec![TransportKind::Polling, TransportKind::WebSocket],
            upgrade: true,
            try_all_transports: false,
            timestamp_requests: None,
            timestamp_param: String::from("t"),
            remember_upgrade: false,
            max_receive_payload: None,
            request_timeout: None,
        }
    }
}

/// A packet waiting to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outgoing {
    /// A whole text packet, type digit included (`4...`, `3`, `1`).
    Text(String),
    /// A binary message.
    Binary(Vec<u8>),
}

impl Outgoing {
    fn as_packet(&self) -> Packet<'_> {
        match self {
            Self::Text(text) => match eio::decode_text(text) {
                Ok(packet) => packet,
                Err(_) => Packet::Text(PacketType::Noop, ""),
            },
            Self::Binary(bytes) => Packet::Binary(Cow::Borrowed(bytes)),
        }
    }
}

/// Why an upgrade probe failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeFailure {
    /// The WebSocket failed (its `error` event).
    Error,
    /// The WebSocket closed before the probe completed.
    Closed,
    /// The server answered something other than `3probe`.
    WrongAnswer,
}

impl ProbeFailure {
    /// The official `upgradeError` message.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Error => "probe error: Error: websocket error",
            Self::Closed => "probe error: transport closed",
            Self::WrongAnswer => "probe error",
        }
    }
}

/// What the engine tells the Manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EngineEvent {
    /// The handshake arrived: the session is open.
    Open(Handshake),
    /// A message for the Socket.IO layer.
    Text(String),
    /// A binary message for the Socket.IO layer.
    Binary(Vec<u8>),
    /// The server pinged (and was answered).
    Ping,
    /// The session moved to the WebSocket.
    Upgrade(TransportKind),
    /// The upgrade probe failed; the session stays on polling.
    UpgradeError(ProbeFailure),
    /// Opening failed (before the handshake).
    OpenError(ErrorKind, Option<Failure>),
    /// The open session ended.
    Close(CloseReason, Option<Failure>),
    /// A packet was received (`sent: false`) or queued (`sent: true`); only while notifying.
    Packet {
        sent: bool,
        kind: PacketType,
        data: Option<Frame>,
    },
    /// The write buffer was emptied onto the transport; only while notifying.
    Drain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Opening,
    Open,
    Closed,
}

#[derive(Debug, Clone)]
struct Transport {
    id: TransportId,
    kind: TransportKind,
    /// Polling: a GET is in flight. WebSocket: it has opened.
    reading: bool,
    /// Polling: a POST is in flight.
    writing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProbeState {
    /// The WebSocket is connecting.
    Opening,
    /// `2probe` was sent, waiting for `3probe`.
    Probing,
    /// `3probe` arrived; waiting for polling's GET and POST in flight to finish.
    Pausing,
}

#[derive(Debug, Clone)]
struct Probe {
    id: TransportId,
    state: ProbeState,
}

/// One Engine.IO session, from the first request to its close. Not reused: the Manager makes a
/// new one for every connection attempt.
#[derive(Debug)]
pub(crate) struct Engine {
    config: EngineConfig,
    state: State,
    sid: Option<String>,
    max_payload: u64,
    ping_window: Duration,
    transport: Transport,
    probe: Option<Probe>,
    remaining: Vec<TransportKind>,
    write_buffer: VecDeque<Outgoing>,
    /// When the session is considered dead if no ping arrives.
    ping_deadline: Option<Instant>,
    /// When the GET in flight fails (`request_timeout`).
    poll_deadline: Option<Instant>,
    /// When the POST in flight fails (`request_timeout`).
    post_deadline: Option<Instant>,
    /// The time of the input being handled; request deadlines count from it.
    now: Instant,
    /// Report packets and drains ([`EngineEvent::Packet`], [`EngineEvent::Drain`]).
    notify: bool,
    next_id: u32,
    rng: Rng,
    pub(crate) commands: VecDeque<Command>,
    pub(crate) events: VecDeque<EngineEvent>,
}

impl Engine {
    /// Starts opening a session; transport ids start at `first_id`; `seed` feeds cache-busters.
    /// `prior_websocket_success`: an earlier session upgraded (for `rememberUpgrade`).
    /// `notify`: report packets and drains.
    pub(crate) fn open(
        now: Instant,
        config: EngineConfig,
        first_id: u32,
        seed: u64,
        prior_websocket_success: bool,
        notify: bool,
    ) -> Self {
        let mut remaining = config.transports.clone();
        remaining.reverse();
        let mut kind = remaining.pop().unwrap_or(TransportKind::Polling);
        if config.remember_upgrade
            && prior_websocket_success
            && config.transports.contains(&TransportKind::WebSocket)
        {
            kind = TransportKind::WebSocket;
            remaining.retain(|k| *k != TransportKind::WebSocket);
        }
        let mut engine = Self {
            config,
            state: State::Opening,
            sid: None,
            max_payload: 0,
            ping_window: Duration::ZERO,
            transport: Transport {
                id: TransportId(first_id),
                kind,
                reading: false,
                writing: false,
            },
            probe: None,
            remaining,
            write_buffer: VecDeque::new(),
            ping_deadline: None,
            poll_deadline: None,
            post_deadline: None,
            now,
            notify,
            next_id: first_id + 1,
            rng: Rng::new(seed),
            commands: VecDeque::new(),
            events: VecDeque::new(),
        };
        engine.start_transport();
        engine
    }

    /// The next transport id this engine has not used.
    pub(crate) fn next_id(&self) -> u32 {
        self.next_id
    }

    /// The transport in use.
    pub(crate) fn transport_kind(&self) -> TransportKind {
        self.transport.kind
    }

    /// Reports packets and drains from now on (`socket.io.engine` listeners).
    pub(crate) fn set_notify(&mut self, on: bool) {
        self.notify = on;
    }

    /// Whether the session is open (the handshake arrived, not closed since).
    pub(crate) fn is_open(&self) -> bool {
        self.state == State::Open
    }

    /// The Engine.IO session id, once open.
    pub(crate) fn sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// Whether a packet written now would go out at once (the official `transport.writable`).
    pub(crate) fn is_writable(&self) -> bool {
        self.state == State::Open
            && self
                .probe
                .as_ref()
                .is_none_or(|p| p.state != ProbeState::Pausing)
            && match self.transport.kind {
                TransportKind::Polling => !self.transport.writing,
                TransportKind::WebSocket => true,
            }
    }

    /// Checks the heartbeat deadline against the real time of a user call (timers may be
    /// throttled in background tabs): when it has passed, closes with "ping timeout" and
    /// returns true.
    pub(crate) fn check_ping_expired(&mut self, now: Instant) -> bool {
        match self.ping_deadline {
            Some(deadline) if self.state == State::Open && now > deadline => {
                self.close_with(CloseReason::PingTimeout, None);
                true
            }
            _ => false,
        }
    }

    /// Gives back the capacity a burst left in the queues.
    pub(crate) fn release_spare(&mut self) {
        self.write_buffer.release_spare();
        self.commands.release_spare();
        self.events.release_spare();
    }

    /// The engine's next deadline.
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::Closed => None,
            State::Opening => soonest(self.poll_deadline, self.post_deadline),
            State::Open => soonest(
                self.ping_deadline,
                soonest(self.poll_deadline, self.post_deadline),
            ),
        }
    }

    /// Handles the deadlines: a request past `request_timeout` fails as if the driver had
    /// reported a network error; no ping in time closes the session.
    pub(crate) fn handle_timeout(&mut self, now: Instant) {
        self.now = self.now.max(now);
        let id = self.transport.id;
        if self.poll_deadline.is_some_and(|d| now >= d) {
            self.handle_event(now, TransportEvent::PollResponse(id, Err(Failure::Network)));
        }
        if self.post_deadline.is_some_and(|d| now >= d) {
            self.handle_event(now, TransportEvent::PostResponse(id, Err(Failure::Network)));
        }
        if let Some(deadline) = self.ping_deadline {
            if self.state == State::Open && now >= deadline {
                self.close_with(CloseReason::PingTimeout, None);
            }
        }
    }

    /// Queues a message: `packet` is the Engine.IO text, `4` included, followed by its binary
    /// attachments.
    pub(crate) fn send_message(&mut self, now: Instant, packet: String, attachments: Vec<Vec<u8>>) {
        self.now = self.now.max(now);
        if self.notify {
            let text = packet.get(1..).unwrap_or("");
            self.report(true, PacketType::Message, text);
            for bytes in &attachments {
                self.events.push_back(EngineEvent::Packet {
                    sent: true,
                    kind: PacketType::Message,
                    data: Some(Frame::Binary(bytes.clone())),
                });
            }
        }
        self.write_buffer.push_back(Outgoing::Text(packet));
        self.write_buffer
            .extend(attachments.into_iter().map(Outgoing::Binary));
        self.flush();
    }

    /// The browser went offline: an open session closes with "transport close" (description
    /// "network connection lost"), an opening one fails. Sessions to `localhost` are kept, as
    /// the official client does (loopback does not go offline).
    pub(crate) fn lose_network(&mut self) {
        let host = self.config.origin.split("://").nth(1).unwrap_or("");
        if host == "localhost" || host.starts_with("localhost:") {
            return;
        }
        match self.state {
            State::Open => self.close_with(CloseReason::TransportClose, Some(Failure::NetworkLost)),
            State::Opening => self.fail(ErrorKind::PollError, Failure::NetworkLost),
            State::Closed => {}
        }
    }

    /// Closes the session silently, reporting nothing (the page is unloading).
    pub(crate) fn abandon(&mut self) {
        self.shutdown();
    }

    /// Closes the session from this side ("forced close").
    pub(crate) fn close(&mut self) {
        if self.state == State::Closed {
            return;
        }
        let was_open = self.state == State::Open;
        if was_open && self.transport.kind == TransportKind::Polling {
            // What is still queued (e.g. a DISCONNECT) goes with the goodbye `1`, in a POST the
            // driver sends after any POST in flight, so that nothing is lost and the server never
            // sees two POSTs at once.
            let mut body = String::new();
            for packet in self.write_buffer.drain(..) {
                eio::encode_payload_part(&packet.as_packet(), &mut body);
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
            TransportEvent::Text(_, text) => self.handle_packet(now, eio::decode_text(text)),
            TransportEvent::Binary(_, bytes) => {
                self.handle_packet(now, Ok(Packet::Binary(Cow::Owned(bytes))))
            }
            TransportEvent::WebSocketClosed(_, failure) => {
                self.fail(ErrorKind::WebSocketError, failure)
            }
            TransportEvent::PollResponse(_, result) => {
                self.transport.reading = false;
                self.poll_deadline = None;
                match result {
                    Ok(body) => {
                        for packet in eio::decode_payload(body) {
                            self.handle_packet(now, packet);
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
                self.post_deadline = None;
                match result {
                    Ok(()) => {
                        if self.notify && self.write_buffer.is_empty() {
                            self.events.push_back(EngineEvent::Drain);
                        }
                        self.maybe_finish_upgrade();
                        self.flush();
                    }
                    Err(failure) => self.fail(ErrorKind::PostError, failure),
                }
            }
        }
    }

    fn after_poll(&mut self) {
        if self
            .probe
            .as_ref()
            .is_some_and(|p| p.state == ProbeState::Pausing)
        {
            self.maybe_finish_upgrade();
        } else if self.state != State::Closed && self.transport.kind == TransportKind::Polling {
            self.poll();
        }
    }

    fn handle_packet(
        &mut self,
        now: Instant,
        packet: Result<Packet<'_>, crate::protocol::DecodeError>,
    ) {
        let Ok(packet) = packet else {
            self.fail(ErrorKind::ParserError, Failure::Network);
            return;
        };
        let len = match &packet {
            Packet::Text(_, text) => text.len() + 1,
            Packet::Binary(bytes) => bytes.len(),
        };
        if eio::check_size(len, self.receive_limit()).is_err() {
            self.fail(ErrorKind::ParserError, Failure::Network);
            return;
        }
        if self.notify {
            match &packet {
                Packet::Text(kind, text) => self.report(false, *kind, text),
                Packet::Binary(bytes) => self.events.push_back(EngineEvent::Packet {
                    sent: false,
                    kind: PacketType::Message,
                    data: Some(Frame::Binary(bytes.to_vec())),
                }),
            }
        }
        if self.state == State::Opening {
            match packet {
                Packet::Text(PacketType::Open, json) => match Handshake::parse(json) {
                    Ok(handshake) => self.on_handshake(now, handshake),
                    Err(_) => self.fail(ErrorKind::ParserError, Failure::Network),
                },
                _ => self.fail(ErrorKind::ParserError, Failure::Network),
            }
            return;
        }
        match packet {
            Packet::Text(PacketType::Ping, _) => {
                self.ping_deadline = Some(now + self.ping_window);
                if self.notify {
                    self.report(true, PacketType::Pong, "");
                }
                self.write_buffer
                    .push_back(Outgoing::Text(String::from("3")));
                self.events.push_back(EngineEvent::Ping);
                self.flush();
            }
            Packet::Text(PacketType::Message, text) => {
                self.events.push_back(EngineEvent::Text(text.to_owned()))
            }
            Packet::Binary(bytes) => self
                .events
                .push_back(EngineEvent::Binary(bytes.into_owned())),
            Packet::Text(PacketType::Close, _) => {
                self.close_with(CloseReason::TransportClose, None)
            }
            // A second handshake, a stray pong, upgrade or noop: nothing to do.
            Packet::Text(_, _) => {}
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
        self.ping_deadline = Some(now + self.ping_window);
        let can_upgrade = self.config.upgrade
            && self.transport.kind == TransportKind::Polling
            && handshake.upgrades.websocket
            && self.config.transports.contains(&TransportKind::WebSocket);
        self.events.push_back(EngineEvent::Open(handshake));
        if can_upgrade {
            let id = self.fresh_id();
            let url = self.url(TransportKind::WebSocket);
            self.probe = Some(Probe {
                id,
                state: ProbeState::Opening,
            });
            self.commands.push_back(Command::OpenWebSocket { id, url });
        }
        self.flush();
    }

    fn handle_probe_event(&mut self, event: TransportEvent<'_>) {
        let Some(probe) = self.probe.as_mut() else {
            return;
        };
        match (probe.state, event) {
            (ProbeState::Opening, TransportEvent::WebSocketOpen(id)) => {
                probe.state = ProbeState::Probing;
                self.commands.push_back(Command::SendFrame {
                    id,
                    frame: Frame::Text(String::from("2probe")),
                });
            }
            (ProbeState::Probing, TransportEvent::Text(_, "3probe")) => {
                probe.state = ProbeState::Pausing;
                self.maybe_finish_upgrade();
            }
            (_, event) => {
                // Anything else (an error, a close, a wrong answer) fails the probe.
                let cause = match event {
                    TransportEvent::WebSocketClosed(_, Failure::Closed(_)) => ProbeFailure::Closed,
                    TransportEvent::WebSocketClosed(..) => ProbeFailure::Error,
                    _ => ProbeFailure::WrongAnswer,
                };
                let id = probe.id;
                self.probe = None;
                self.commands.push_back(Command::Close { id });
                self.events.push_back(EngineEvent::UpgradeError(cause));
                if self.state == State::Open && !self.transport.reading {
                    self.poll();
                }
                self.flush();
            }
        }
    }

    /// Switches to the probed WebSocket once polling has nothing in flight.
    fn maybe_finish_upgrade(&mut self) {
        let ready = self
            .probe
            .as_ref()
            .is_some_and(|p| p.state == ProbeState::Pausing)
            && !self.transport.reading
            && !self.transport.writing;
        if !ready {
            return;
        }
        let Some(probe) = self.probe.take() else {
            return;
        };
        self.commands.push_back(Command::Close {
            id: self.transport.id,
        });
        self.transport = Transport {
            id: probe.id,
            kind: TransportKind::WebSocket,
            reading: true,
            writing: false,
        };
        self.commands.push_back(Command::SendFrame {
            id: probe.id,
            frame: Frame::Text(String::from("5")),
        });
        self.events
            .push_back(EngineEvent::Upgrade(TransportKind::WebSocket));
        self.flush();
    }

    /// Writes what the transport can take now.
    fn flush(&mut self) {
        if !self.is_writable() || self.write_buffer.is_empty() {
            return;
        }
        let id = self.transport.id;
        match self.transport.kind {
            TransportKind::WebSocket => {
                for packet in self.write_buffer.drain(..) {
                    let frame = match packet {
                        Outgoing::Text(text) => Frame::Text(text),
                        Outgoing::Binary(bytes) => Frame::Binary(bytes),
                    };
                    self.commands.push_back(Command::SendFrame { id, frame });
                }
                if self.notify {
                    self.events.push_back(EngineEvent::Drain);
                }
            }
            TransportKind::Polling => {
                let mut body = String::new();
                let mut taken = 0;
                for packet in &self.write_buffer {
                    let part = packet.as_packet();
                    let cost = eio::payload_cost(&part) as u64;
                    if taken > 0
                        && self.max_payload > 0
                        && body.len() as u64 + cost > self.max_payload
                    {
                        break;
                    }
                    eio::encode_payload_part(&part, &mut body);
                    taken += 1;
                }
                self.write_buffer.drain(..taken);
                self.transport.writing = true;
                self.post_deadline = self.config.request_timeout.map(|t| self.now + t);
                let url = self.url(TransportKind::Polling);
                self.commands.push_back(Command::Post {
                    id,
                    url,
                    body,
                    last: false,
                });
            }
        }
    }

    /// A transport failed: before the handshake that is an open error (or the next transport
    /// is tried); after it, the session closes with "transport error".
    fn fail(&mut self, kind: ErrorKind, failure: Failure) {
        if self.state == State::Opening {
            if self.config.try_all_transports {
                if let Some(next) = self.remaining.pop() {
                    // A transport that failed is not probed again for an upgrade later.
                    let failed = self.transport.kind;
                    self.config.transports.retain(|k| *k != failed);
                    self.commands.push_back(Command::Close {
                        id: self.transport.id,
                    });
                    self.transport = Transport {
                        id: self.fresh_id(),
                        kind: next,
                        reading: false,
                        writing: false,
                    };
                    self.start_transport();
                    return;
                }
            }
            self.shutdown();
            self.events
                .push_back(EngineEvent::OpenError(kind, Some(failure)));
            return;
        }
        let reason = match kind {
            ErrorKind::ParserError => CloseReason::ParseError,
            _ if matches!(failure, Failure::Closed(_)) => CloseReason::TransportClose,
            _ => CloseReason::TransportError,
        };
        self.close_with(reason, Some(failure));
    }

    fn close_with(&mut self, reason: CloseReason, failure: Option<Failure>) {
        if self.state == State::Closed {
            return;
        }
        self.shutdown();
        self.events.push_back(EngineEvent::Close(reason, failure));
    }

    fn shutdown(&mut self) {
        self.state = State::Closed;
        self.ping_deadline = None;
        self.poll_deadline = None;
        self.post_deadline = None;
        if let Some(probe) = self.probe.take() {
            self.commands.push_back(Command::Close { id: probe.id });
        }
        self.commands.push_back(Command::Close {
            id: self.transport.id,
        });
        self.write_buffer.clear();
    }

    fn start_transport(&mut self) {
        let id = self.transport.id;
        match self.transport.kind {
            TransportKind::Polling => self.poll(),
            TransportKind::WebSocket => {
                let url = self.url(TransportKind::WebSocket);
                self.commands.push_back(Command::OpenWebSocket { id, url });
            }
        }
    }

    fn poll(&mut self) {
        if self.transport.reading {
            return;
        }
        self.transport.reading = true;
        self.poll_deadline = self.config.request_timeout.map(|t| self.now + t);
        let url = self.url(TransportKind::Polling);
        self.commands.push_back(Command::Poll {
            id: self.transport.id,
            url,
        });
    }

    /// Reports a text packet received or queued (`data` without the type digit).
    fn report(&mut self, sent: bool, kind: PacketType, data: &str) {
        let data = (!data.is_empty()).then(|| Frame::Text(data.to_owned()));
        self.events
            .push_back(EngineEvent::Packet { sent, kind, data });
    }

    fn fresh_id(&mut self) -> TransportId {
        let id = TransportId(self.next_id);
        self.next_id += 1;
        id
    }

    /// Builds the request URL: origin, path, the user's query, then `EIO`, `transport`, `sid`
    /// and the cache-buster, in the official order.
    fn url(&mut self, kind: TransportKind) -> String {
        let mut url = String::with_capacity(self.config.origin.len() + self.config.path.len() + 64);
        match (kind, self.config.origin.strip_prefix("http")) {
            (TransportKind::WebSocket, Some(rest)) => {
                url.push_str("ws");
                url.push_str(rest);
            }
            _ => url.push_str(&self.config.origin),
        }
        url.push_str(&self.config.path);
        url.push('?');
        if !self.config.query.is_empty() {
            url.push_str(&self.config.query);
            url.push('&');
        }
        url.push_str("EIO=4&transport=");
        url.push_str(kind.as_str());
        if let Some(sid) = &self.sid {
            url.push_str("&sid=");
            url.push_str(sid);
        }
        let stamp = match kind {
            TransportKind::Polling => self.config.timestamp_requests != Some(false),
            TransportKind::WebSocket => self.config.timestamp_requests == Some(true),
        };
        if stamp {
            url.push('&');
            url.push_str(&self.config.timestamp_param);
            url.push('=');
            self.rng.push_token(&mut url, 8);
        }
        url
    }
}
