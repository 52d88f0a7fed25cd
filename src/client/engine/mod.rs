//! One Engine.IO session (PROTOCOL.md §1.10–§1.12, §2.1): the handshake over the first
//! transport, the heartbeat and request deadlines, and its end. What comes in (`receive.rs`),
//! the upgrade probe (`probe.rs`), the write queue (`write.rs`) and the request URLs (`url.rs`)
//! have their own files.
//! Sans-IO: transport events and the time in; [`Command`]s and `EngineEvent`s queue up inside
//! until the Manager drains them (`poll_command`, `poll_event`). Never touches web-sys.

use crate::client::fifo::Fifo;
use crate::client::Bytes;
use crate::prelude::*;
use core::time::Duration;

mod config;
mod probe;
mod receive;
mod url;
mod write;

pub use config::EngineConfig;
pub use probe::ProbeFailure;

/// A heartbeat check this much past its deadline ran late: the page was frozen or its timers
/// throttled (Chrome aligns hidden pages' timers to the second, and to the minute after five
/// minutes hidden), so what the network delivered meanwhile may still wait in the event loop.
pub const LATE_HEARTBEAT: Duration = Duration::from_millis(1000);

/// How long a late heartbeat check waits for a ping before it reports "ping timeout"
/// ([`EngineConfig::confirm_ping_timeout`]).
pub const LATE_HEARTBEAT_GRACE: Duration = Duration::from_millis(1000);

use super::reason::{CloseReason, ErrorKind};
use super::rng::Rng;
use super::spare::ReleaseSpare;
use super::time::Instant;
use super::timer::{Timers, Wake};
use super::transport::{Command, Failure, Frame, TransportEvent, TransportId, TransportKind};
use crate::protocol::engine::{Handshake, PacketType};
use probe::Probe;
use write::Outgoing;

/// What the engine tells the Manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EngineEvent {
    /// The handshake arrived: the session is open.
    Open(Handshake),
    /// A message for the Socket.IO layer.
    Text(String),
    /// A binary message for the Socket.IO layer.
    Binary(Bytes),
    /// The server pinged (and was answered).
    Ping,
    /// The session moved to the WebSocket.
    Upgrade(TransportKind),
    /// The upgrade probe failed; the session stays on polling.
    UpgradeError(ProbeFailure),
    /// Opening failed (before the handshake).
    OpenError(ErrorKind, Option<Failure>),
    /// A transport of the open session failed (the official engine's `error`, e.g. a polling
    /// request answered 400 "Session ID unknown" by an instance behind a proxy without
    /// stickiness); a `Close(TransportError)` follows at once.
    Error(ErrorKind, Failure),
    /// The open session ended.
    Close(CloseReason, Option<Failure>),
    /// A packet was received (`sent: false`) or queued by the engine itself (a pong); only
    /// while notifying. The Manager reports the messages it queues itself.
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
    write_buffer: Fifo<Outgoing>,
    /// [`Wake::Heartbeat`], [`Wake::PollRequest`], [`Wake::PostRequest`].
    timers: Timers,
    /// The time of the input being handled; request deadlines count from it.
    now: Instant,
    /// Report packets and drains ([`EngineEvent::Packet`], [`EngineEvent::Drain`]).
    notify: bool,
    /// A late heartbeat check was given [`LATE_HEARTBEAT_GRACE`]; the next ping clears it.
    heartbeat_grace: bool,
    next_id: u32,
    rng: Rng,
    commands: Fifo<Command>,
    events: Fifo<EngineEvent>,
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
            write_buffer: Fifo::new(),
            timers: Timers::default(),
            now,
            notify,
            heartbeat_grace: false,
            next_id: first_id + 1,
            rng: Rng::new(seed),
            commands: Fifo::new(),
            events: Fifo::new(),
        };
        engine.start_transport();
        engine
    }

    /// The next transport id this engine has not used.
    pub(crate) fn next_id(&self) -> u32 {
        self.next_id
    }

    /// Reports packets and drains from now on (`socket.io.engine` listeners).
    pub(crate) fn set_notify(&mut self, on: bool) {
        self.notify = on;
    }

    /// Whether the session is open (the handshake arrived, not closed since).
    pub(crate) fn is_open(&self) -> bool {
        self.state == State::Open
    }

    /// The transport in use.
    pub(crate) fn transport_kind(&self) -> TransportKind {
        self.transport.kind
    }

    /// The Engine.IO session id, once open.
    pub(crate) fn sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// The next command for the driver.
    pub(crate) fn poll_command(&mut self) -> Option<Command> {
        self.commands.pop_front()
    }

    /// The next event for the Manager.
    pub(crate) fn poll_event(&mut self) -> Option<EngineEvent> {
        self.events.pop_front()
    }

    /// Checks the heartbeat deadline against the real time of a user call (timers may be
    /// throttled in background tabs): when it has passed, closes with "ping timeout" and
    /// returns true.
    pub(crate) fn check_ping_expired(&mut self, now: Instant) -> bool {
        match self.timers.get(Wake::Heartbeat) {
            Some(deadline) if self.state == State::Open && now > deadline => {
                self.heartbeat_overdue(now, deadline)
            }
            _ => false,
        }
    }

    /// The heartbeat deadline passed at `now`: closes with "ping timeout" and returns true,
    /// unless the check ran late and confirmation is on, in which case a ping gets
    /// [`LATE_HEARTBEAT_GRACE`] (once per ping) to arrive first.
    fn heartbeat_overdue(&mut self, now: Instant, deadline: Instant) -> bool {
        let late = now.saturating_since(deadline) >= LATE_HEARTBEAT;
        if late && self.config.confirm_ping_timeout && !self.heartbeat_grace {
            self.heartbeat_grace = true;
            self.timers
                .set(Wake::Heartbeat, Some(now + LATE_HEARTBEAT_GRACE));
            return false;
        }
        self.close_with(CloseReason::PingTimeout, None);
        true
    }

    /// Gives back the capacity a burst left in the queues.
    pub(crate) fn release_spare(&mut self) {
        self.write_buffer.compact();
        self.write_buffer.release_spare();
        self.commands.release_spare();
        self.events.release_spare();
    }

    /// The engine's next deadline and why (none once closed).
    pub(crate) fn next_wake(&self) -> Option<(Instant, Wake)> {
        self.timers.next()
    }

    /// Handles the deadlines: a request past `request_timeout` fails as if the driver had
    /// reported a network error; no ping in time closes the session.
    pub(crate) fn handle_timeout(&mut self, now: Instant) {
        self.now = self.now.max(now);
        let id = self.transport.id;
        if self.timers.expire(Wake::PollRequest, now) {
            self.handle_event(now, TransportEvent::PollResponse(id, Err(Failure::Network)));
        }
        if self.timers.expire(Wake::PostRequest, now) {
            self.handle_event(now, TransportEvent::PostResponse(id, Err(Failure::Network)));
        }
        if let Some(deadline) = self.timers.get(Wake::Heartbeat) {
            if self.timers.expire(Wake::Heartbeat, now) {
                self.heartbeat_overdue(now, deadline);
            }
        }
    }

    /// The browser went offline: an open session closes with "transport close" (description
    /// "network connection lost"), an opening one fails. Sessions to `localhost` are kept, as
    /// the official client does (loopback does not go offline).
    pub(crate) fn lose_network(&mut self) {
        let host = crate::protocol::text::split_seq(&self.config.origin, b"://")
            .map_or("", |(_, host)| host);
        if host == "localhost" || host.starts_with("localhost:") {
            return;
        }
        self.lose(Failure::NetworkLost);
    }

    /// The page is going into the back/forward cache: the session ends as when the network
    /// goes, with [`Failure::PageCached`] (the browser would cut it anyway, and an open
    /// connection can keep the page out of the cache).
    pub(crate) fn leave_for_page_cache(&mut self) {
        self.lose(Failure::PageCached);
    }

    /// Ends the session from this side as a lost transport: an open one closes with
    /// "transport close", an opening one fails.
    fn lose(&mut self, failure: Failure) {
        match self.state {
            State::Open => self.close_with(CloseReason::TransportClose, Some(failure)),
            State::Opening => self.fail(ErrorKind::PollError, failure),
            State::Closed => {}
        }
    }

    /// Closes the session silently, reporting nothing (the page is unloading).
    pub(crate) fn abandon(&mut self) {
        self.shutdown();
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
        if reason == CloseReason::TransportError && self.state != State::Closed {
            self.events
                .push_back(EngineEvent::Error(kind, failure.clone()));
        }
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
        self.timers.clear();
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
        let deadline = self.config.request_timeout.map(|t| self.now + t);
        self.timers.set(Wake::PollRequest, deadline);
        let url = self.url(TransportKind::Polling);
        self.commands.push_back(Command::Poll {
            id: self.transport.id,
            url,
        });
    }

    fn fresh_id(&mut self) -> TransportId {
        let id = TransportId(self.next_id);
        self.next_id += 1;
        id
    }
}
