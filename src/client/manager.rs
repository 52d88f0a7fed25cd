//! The Manager (PROTOCOL.md §1.4, §1.5): one Engine.IO connection shared by every namespace
//! socket, its opening timeout, reconnection with backoff, and the routing of packets to
//! namespaces. The top of the sans-IO core: see the crate docs for the run loop.

use crate::prelude::*;
use alloc::collections::VecDeque;
use core::time::Duration;

use super::spare::ReleaseSpare;

use super::backoff::Backoff;
use super::engine::{Engine, EngineConfig, EngineEvent};
use super::event::{ConnectError, Event, NspId};
use super::reason::{CloseReason, ErrorKind};
use super::rng::Rng;
use super::socket::{ApiMisuse, BufferedPacket, EmitOptions, EmitOutcome, Link, Out, Socket};
use super::time::{soonest, Instant};
use super::transport::{Command, Failure, TransportEvent, TransportKind};
use crate::protocol::socket::{Decoder, PacketKind, DEFAULT_MAX_ATTACHMENTS};

/// Manager options, with socket.io-client's defaults (PROTOCOL.md §1.2).
#[derive(Debug, Clone, PartialEq)]
pub struct ManagerConfig {
    /// The Engine.IO options.
    pub engine: EngineConfig,
    /// Reconnect automatically (default true).
    pub reconnection: bool,
    /// Give up after this many attempts (default unlimited).
    pub reconnection_attempts: u32,
    /// The first delay (default 1000 ms).
    pub reconnection_delay: Duration,
    /// The largest delay (default 5000 ms).
    pub reconnection_delay_max: Duration,
    /// Jitter, 0 to 1 (default 0.5).
    pub randomization_factor: f64,
    /// How long one connection attempt may take before `Error("timeout")` (default 20 s;
    /// `None` disables it).
    pub timeout: Option<Duration>,
    /// The most binary attachments accepted in one packet (default 10).
    pub max_attachments: usize,
    /// Beyond the official client: when the browser comes back `online` during a reconnection
    /// delay, try at once instead of waiting the delay out (default true).
    pub reconnect_on_online: bool,
    /// Beyond the official client: while the browser is offline, hold the next reconnection
    /// attempt until it is back `online` instead of spending `reconnection_attempts` on a
    /// network that is not there (default true).
    pub pause_reconnect_while_offline: bool,
}

impl Default for ManagerConfig {
    fn default() -> Self {
        Self {
            engine: EngineConfig::default(),
            reconnection: true,
            reconnection_attempts: u32::MAX,
            reconnection_delay: Duration::from_millis(1000),
            reconnection_delay_max: Duration::from_millis(5000),
            randomization_factor: 0.5,
            timeout: Some(Duration::from_millis(20_000)),
            max_attachments: DEFAULT_MAX_ATTACHMENTS,
            reconnect_on_online: true,
            pause_reconnect_while_offline: true,
        }
    }
}

/// What the driver must do next: run a command, hand over an event, or sleep until the
/// deadline (`None`: until the next input).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "call poll_output until it returns Output::Timeout"]
pub enum Output {
    /// Carry out this command now.
    Command(Command),
    /// Hand this event to the listeners, after releasing any borrow of the Manager.
    Event(Event),
    /// Nothing more for now; call [`Manager::handle_timeout`] at this instant.
    Timeout(Option<Instant>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadyState {
    Closed,
    Opening,
    Open,
}

/// A Socket.IO connection manager. See the crate docs for how to drive it.
#[derive(Debug)]
pub struct Manager {
    config: ManagerConfig,
    state: ReadyState,
    engine: Option<Engine>,
    decoder: Decoder,
    sockets: Vec<Socket>,
    backoff: Backoff,
    rng: Rng,
    reconnecting: bool,
    skip_reconnect: bool,
    open_deadline: Option<Instant>,
    reconnect_at: Option<Instant>,
    next_transport_id: u32,
    last_now: Instant,
    /// The browser says the network is down (`navigator.onLine` false).
    offline: bool,
    /// A reconnection attempt is due but held until the network is back.
    waiting_online: bool,
    /// An earlier session of this client reached the WebSocket (for `rememberUpgrade`).
    prior_websocket_success: bool,
    /// Report the engine's packets, drains and close (`socket.io.engine` listeners).
    notify_engine: bool,
    commands: VecDeque<Command>,
    events: VecDeque<Event>,
}

impl Manager {
    /// A closed Manager; `seed` drives jitter and cache-busters (tests fix it).
    pub fn new(config: ManagerConfig, seed: u64) -> Self {
        let backoff = Backoff::new(
            duration_ms(config.reconnection_delay),
            duration_ms(config.reconnection_delay_max),
            config.randomization_factor,
        );
        Self {
            decoder: Decoder::new(config.max_attachments),
            config,
            state: ReadyState::Closed,
            engine: None,
            sockets: Vec::new(),
            backoff,
            rng: Rng::new(seed),
            reconnecting: false,
            skip_reconnect: false,
            open_deadline: None,
            reconnect_at: None,
            next_transport_id: 1,
            last_now: Instant::default(),
            offline: false,
            waiting_online: false,
            prior_websocket_success: false,
            notify_engine: false,
            commands: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    // ---- getters -------------------------------------------------------------------------

    /// The options in force.
    pub fn config(&self) -> &ManagerConfig {
        &self.config
    }

    /// Whether the Engine.IO connection is open.
    pub fn is_open(&self) -> bool {
        self.state == ReadyState::Open
    }

    /// Whether a reconnection is scheduled or under way.
    pub fn is_reconnecting(&self) -> bool {
        self.reconnecting
    }

    /// The transport in use, when a connection exists.
    pub fn transport(&self) -> Option<TransportKind> {
        self.engine.as_ref().map(Engine::transport_kind)
    }

    /// The Engine.IO session id, when open.
    pub fn engine_id(&self) -> Option<&str> {
        self.engine.as_ref().and_then(Engine::sid)
    }

    /// Whether namespace `nsp` is connected.
    pub fn is_connected(&self, nsp: NspId) -> bool {
        self.socket_ref(nsp).is_some_and(|s| s.connected)
    }

    /// Whether namespace `nsp` is active (connected, or will connect or reconnect).
    pub fn is_active(&self, nsp: NspId) -> bool {
        self.socket_ref(nsp).is_some_and(|s| s.active)
    }

    /// The namespace session id of `nsp` (the official `socket.id`), while connected.
    pub fn socket_id(&self, nsp: NspId) -> Option<&str> {
        self.socket_ref(nsp).and_then(|s| s.sid.as_deref())
    }

    /// Whether the last CONNECT of `nsp` recovered its session.
    pub fn is_recovered(&self, nsp: NspId) -> bool {
        self.socket_ref(nsp).is_some_and(|s| s.recovered)
    }

    /// How many packets of `nsp` wait in its send buffer.
    pub fn send_buffer_len(&self, nsp: NspId) -> usize {
        self.socket_ref(nsp).map_or(0, Socket::send_buffer_len)
    }

    /// The namespace name of `nsp`.
    pub fn namespace(&self, nsp: NspId) -> Option<&str> {
        self.socket_ref(nsp).map(|s| s.nsp.as_str())
    }

    /// The socket of namespace `name`, if one was made.
    pub fn find_socket(&self, name: &str) -> Option<NspId> {
        self.sockets
            .iter()
            .find(|s| s.nsp == name)
            .map(|s| s.id_num)
    }

    // ---- setters -------------------------------------------------------------------------

    /// `reconnection(bool)`.
    pub fn set_reconnection(&mut self, on: bool) {
        self.config.reconnection = on;
        if !on {
            self.skip_reconnect = true;
        }
    }

    /// `reconnectionAttempts(n)`.
    pub fn set_reconnection_attempts(&mut self, n: u32) {
        self.config.reconnection_attempts = n;
    }

    /// `reconnectionDelay(ms)`.
    pub fn set_reconnection_delay(&mut self, d: Duration) {
        self.config.reconnection_delay = d;
        self.backoff.min_ms = duration_ms(d);
    }

    /// `reconnectionDelayMax(ms)`.
    pub fn set_reconnection_delay_max(&mut self, d: Duration) {
        self.config.reconnection_delay_max = d;
        self.backoff.max_ms = duration_ms(d);
    }

    /// `randomizationFactor(f)`.
    pub fn set_randomization_factor(&mut self, f: f64) {
        self.config.randomization_factor = f;
        self.backoff.jitter = f;
    }

    /// `timeout(ms)` (`None` disables it).
    pub fn set_timeout(&mut self, t: Option<Duration>) {
        self.config.timeout = t;
    }

    /// Replaces the auth payload (JSON object text) sent with the next CONNECT of `nsp`.
    pub fn set_auth(&mut self, nsp: NspId, auth: Option<String>) {
        if let Some(s) = self.socket_mut(nsp) {
            s.auth = auth;
        }
    }

    /// Makes the CONNECT of `nsp` wait for [`Manager::provide_auth`] each time, announced by
    /// [`Event::AuthRequest`] (an `auth` function in the API layer).
    pub fn set_auth_deferred(&mut self, nsp: NspId, deferred: bool) {
        if let Some(s) = self.socket_mut(nsp) {
            s.auth_deferred = deferred;
        }
    }

    /// Answers an [`Event::AuthRequest`]: sends the CONNECT of `nsp` with `auth` (JSON object
    /// text). Ignored when no request is out (the connection closed meanwhile).
    pub fn provide_auth(&mut self, now: Instant, nsp: NspId, auth: Option<String>) {
        self.tick(now);
        if self.state == ReadyState::Open {
            self.with_socket(nsp, |s, out| s.provide_auth(auth, out));
        }
        self.drain(now);
    }

    /// Reports every packet `nsp` writes as [`Event::Outgoing`] (for outgoing listeners).
    pub fn set_notify_outgoing(&mut self, nsp: NspId, on: bool) {
        if let Some(s) = self.socket_mut(nsp) {
            s.notify_outgoing = on;
        }
    }

    /// Reports the Engine.IO session's packets ([`Event::EnginePacket`]), drains
    /// ([`Event::Drain`]) and close ([`Event::EngineClose`]) while `on`; costs nothing while off.
    pub fn set_notify_engine(&mut self, on: bool) {
        self.notify_engine = on;
        if let Some(engine) = self.engine.as_mut() {
            engine.set_notify(on);
        }
    }

    /// The packets waiting in the send buffer of `nsp`, oldest first.
    pub fn send_buffer(&self, nsp: NspId) -> Vec<BufferedPacket> {
        self.socket_ref(nsp)
            .map(Socket::send_buffer)
            .unwrap_or_default()
    }

    /// Keeps only the packets `keep` (by [`BufferedPacket::seq`]) in the send buffer of `nsp`.
    pub fn retain_send_buffer(&mut self, nsp: NspId, keep: &[u64]) {
        if let Some(s) = self.socket_mut(nsp) {
            s.retain_send_buffer(keep);
        }
    }

    /// Sets `retries` and `ackTimeout` of `nsp` (the Socket options of PROTOCOL.md §1.2).
    pub fn set_socket_options(
        &mut self,
        nsp: NspId,
        retries: Option<u32>,
        ack_timeout: Option<Duration>,
    ) {
        if let Some(s) = self.socket_mut(nsp) {
            s.retries = retries;
            s.ack_timeout = ack_timeout;
        }
    }

    // ---- user commands -------------------------------------------------------------------

    /// `manager.socket(nsp)`: the socket of namespace `name`, made if needed (not connected).
    pub fn socket(&mut self, name: &str, auth: Option<String>) -> NspId {
        if let Some(id) = self.find_socket(name) {
            return id;
        }
        let id = NspId(self.sockets.len() as u32);
        self.sockets.push(Socket::new(id, name, auth));
        id
    }

    /// `manager.open()`: starts connecting unless already open or opening.
    pub fn open(&mut self, now: Instant) {
        self.tick(now);
        if self.state != ReadyState::Closed {
            return;
        }
        self.skip_reconnect = false;
        self.start_engine(now);
        self.drain(now);
    }

    /// `socket.connect()`: subscribes `nsp` to the Manager, opening it if needed.
    pub fn connect(&mut self, now: Instant, nsp: NspId) -> Result<(), ApiMisuse> {
        self.tick(now);
        let socket = self.socket_mut(nsp).ok_or(ApiMisuse::UnknownSocket)?;
        if socket.connected {
            return Ok(());
        }
        socket.active = true;
        if !self.reconnecting {
            self.open(now);
        }
        if self.state == ReadyState::Open {
            self.with_socket(nsp, |s, out| s.on_open(out));
        }
        self.drain(now);
        Ok(())
    }

    /// `socket.disconnect()`: leaves namespace `nsp`; closes the connection when no socket is
    /// left active, which also stops a reconnection loop.
    pub fn disconnect(&mut self, now: Instant, nsp: NspId) -> Result<(), ApiMisuse> {
        self.tick(now);
        let socket = self.socket_mut(nsp).ok_or(ApiMisuse::UnknownSocket)?;
        let packet = socket.disconnect_packet();
        let was_connected = socket.connected;
        socket.active = false;
        if let (Some(text), Some(engine)) = (packet, self.engine.as_mut()) {
            engine.send_message(now, text, Vec::new());
        }
        if self.sockets.iter().all(|s| !s.active) {
            self.close_all(now);
        }
        if was_connected {
            self.with_socket(nsp, |s, out| {
                s.on_close(CloseReason::ClientDisconnect, None, out)
            });
        }
        self.drain(now);
        Ok(())
    }

    /// Closes the connection and stops reconnecting (the official `_close()`): in any state,
    /// `onclose("forced close")` resets the backoff and reports the Manager's `close`; an
    /// attempt under way is abandoned without an error.
    pub fn close_all(&mut self, now: Instant) {
        self.tick(now);
        self.skip_reconnect = true;
        self.reconnecting = false;
        self.reconnect_at = None;
        self.waiting_online = false;
        self.on_close(now, CloseReason::ForcedClose, None);
        self.drain(now);
    }

    /// Closes the Engine.IO connection as `socket.io.engine.close()` does: "forced close",
    /// after which the Manager reconnects (when reconnection is on).
    pub fn close_engine(&mut self, now: Instant) {
        if let Some(engine) = self.engine.as_mut() {
            engine.close();
        }
        self.drain(now);
    }

    /// `socket.emit(...)`: `data` is the JSON array `[name, ...args]` with binary replaced by
    /// placeholders numbered in `attachments` order. Returns the ack id when an ack is wanted.
    pub fn emit(
        &mut self,
        now: Instant,
        nsp: NspId,
        data: &str,
        attachments: Vec<Vec<u8>>,
        options: EmitOptions,
    ) -> Result<(Option<u64>, EmitOutcome), ApiMisuse> {
        self.tick(now);
        // A deadline that passed while timers were throttled: close now, buffer the packet.
        let ping_ok = !self
            .engine
            .as_mut()
            .is_some_and(|e| e.check_ping_expired(now));
        let writable = self.engine.as_ref().is_some_and(Engine::is_writable);
        let mut writes = Vec::new();
        let socket = self
            .sockets
            .get_mut(nsp.0 as usize)
            .ok_or(ApiMisuse::UnknownSocket)?;
        let result = socket.emit(
            now,
            data,
            attachments,
            options,
            Link { writable, ping_ok },
            &mut Out {
                now,
                writes: &mut writes,
                events: &mut self.events,
            },
        );
        self.write(writes);
        self.drain(now);
        result
    }

    /// Answers the server's event `id` on `nsp` (the listener's ack function was called).
    pub fn ack(
        &mut self,
        now: Instant,
        nsp: NspId,
        id: u64,
        data: &str,
        attachments: Vec<Vec<u8>>,
    ) -> Result<(), ApiMisuse> {
        self.tick(now);
        let socket = self.socket_ref(nsp).ok_or(ApiMisuse::UnknownSocket)?;
        let text = socket.ack_packet(id, data, attachments.len());
        if let Some(engine) = self.engine.as_mut() {
            engine.send_message(now, text, attachments);
        }
        self.drain(now);
        Ok(())
    }

    /// The browser's network state changed (`online`/`offline` events, or `navigator.onLine`
    /// at start). Going offline closes the connection like the official client; coming back
    /// online resumes a held or pending reconnection at once (see the config options).
    pub fn handle_network(&mut self, now: Instant, online: bool) {
        self.tick(now);
        let was_offline = self.offline;
        self.offline = !online;
        if !online {
            if let Some(engine) = self.engine.as_mut() {
                engine.lose_network();
            }
        } else if was_offline && self.reconnecting && !self.skip_reconnect {
            let held = core::mem::take(&mut self.waiting_online);
            if held || self.config.reconnect_on_online {
                self.reconnect_at = Some(self.last_now);
                self.handle_timeout(now);
                return;
            }
        }
        self.drain(now);
    }

    /// The page is unloading (`closeOnBeforeunload`): drop the connection silently.
    pub fn handle_unload(&mut self, now: Instant) {
        self.tick(now);
        self.skip_reconnect = true;
        self.reconnecting = false;
        self.reconnect_at = None;
        if let Some(engine) = self.engine.as_mut() {
            engine.abandon();
        }
        self.take_engine();
        self.state = ReadyState::Closed;
        self.open_deadline = None;
    }

    /// Whether a session of this client reached the WebSocket transport.
    pub fn prior_websocket_success(&self) -> bool {
        self.prior_websocket_success
    }

    /// Tells a new Manager that an earlier one reached the WebSocket (`rememberUpgrade` is
    /// global in the official client).
    pub fn set_prior_websocket_success(&mut self, success: bool) {
        self.prior_websocket_success = success;
    }

    // ---- inputs --------------------------------------------------------------------------

    /// Feeds what happened to a transport.
    pub fn handle_transport(&mut self, now: Instant, event: TransportEvent<'_>) {
        self.tick(now);
        if let Some(engine) = self.engine.as_mut() {
            engine.handle_event(now, event);
        }
        self.drain(now);
    }

    /// Handles every deadline at or before `now`; calling it early is harmless.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.tick(now);
        if let Some(engine) = self.engine.as_mut() {
            engine.handle_timeout(now);
        }
        self.drain(now);
        if self.open_deadline.is_some_and(|d| now >= d) {
            self.open_deadline = None;
            if let Some(mut engine) = self.engine.take() {
                engine.close();
                self.commands.extend(engine.commands.drain(..));
                self.next_transport_id = engine.next_id();
            }
            self.on_open_error(now, ErrorKind::Timeout, None);
        }
        if self.reconnect_at.is_some_and(|d| now >= d) {
            self.reconnect_at = None;
            if self.offline && self.config.pause_reconnect_while_offline {
                self.waiting_online = true;
            } else if !self.skip_reconnect {
                self.events
                    .push_back(Event::ReconnectAttempt(self.backoff.attempts));
                self.start_engine(now);
            }
        }
        let mut writes = Vec::new();
        for socket in &mut self.sockets {
            socket.handle_timeout(
                now,
                &mut Out {
                    now,
                    writes: &mut writes,
                    events: &mut self.events,
                },
            );
        }
        self.write(writes);
        self.drain(now);
    }

    // ---- outputs -------------------------------------------------------------------------

    /// The next thing to do. Call it after every input until it returns [`Output::Timeout`].
    pub fn poll_output(&mut self) -> Output {
        if let Some(command) = self.commands.pop_front() {
            return Output::Command(command);
        }
        if let Some(event) = self.events.pop_front() {
            return Output::Event(event);
        }
        self.release_spare();
        Output::Timeout(self.poll_timeout())
    }

    /// Gives back the capacity a burst left in the queues, buffers and ack maps.
    fn release_spare(&mut self) {
        self.commands.release_spare();
        self.events.release_spare();
        if let Some(engine) = &mut self.engine {
            engine.release_spare();
        }
        for socket in &mut self.sockets {
            socket.release_spare();
        }
    }

    /// The earliest deadline of the Manager, its engine and its sockets, never before the
    /// last `now` seen.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let mut next = soonest(self.open_deadline, self.reconnect_at);
        next = soonest(next, self.engine.as_ref().and_then(Engine::poll_timeout));
        for socket in &self.sockets {
            next = soonest(next, socket.poll_timeout());
        }
        next.map(|t| t.max(self.last_now))
    }

    // ---- internals -----------------------------------------------------------------------

    /// Records the time of an input; `last_now` bounds deadlines and times socket effects.
    fn tick(&mut self, now: Instant) {
        self.last_now = self.last_now.max(now);
    }

    fn socket_ref(&self, nsp: NspId) -> Option<&Socket> {
        self.sockets.get(nsp.0 as usize)
    }

    fn socket_mut(&mut self, nsp: NspId) -> Option<&mut Socket> {
        self.sockets.get_mut(nsp.0 as usize)
    }

    fn with_socket(&mut self, nsp: NspId, f: impl FnOnce(&mut Socket, &mut Out<'_>)) {
        let mut writes = Vec::new();
        let now = self.last_now;
        if let Some(socket) = self.sockets.get_mut(nsp.0 as usize) {
            f(
                socket,
                &mut Out {
                    now,
                    writes: &mut writes,
                    events: &mut self.events,
                },
            );
        }
        self.write(writes);
    }

    fn write(&mut self, writes: Vec<(String, Vec<Vec<u8>>)>) {
        let now = self.last_now;
        if let Some(engine) = self.engine.as_mut() {
            for (text, attachments) in writes {
                engine.send_message(now, text, attachments);
            }
        }
    }

    fn start_engine(&mut self, now: Instant) {
        let seed = self.rng.next_u64();
        self.events.push_back(Event::Opening);
        let engine = Engine::open(
            now,
            self.config.engine.clone(),
            self.next_transport_id,
            seed,
            self.prior_websocket_success,
            self.notify_engine,
        );
        self.next_transport_id = engine.next_id();
        self.engine = Some(engine);
        self.decoder.reset();
        self.state = ReadyState::Opening;
        self.open_deadline = self.config.timeout.map(|t| now + t);
    }

    /// Processes what the engine reported, moving its commands out, until it is quiet.
    fn drain(&mut self, now: Instant) {
        loop {
            let Some(engine) = self.engine.as_mut() else {
                return;
            };
            self.commands.extend(engine.commands.drain(..));
            self.next_transport_id = engine.next_id();
            let Some(event) = engine.events.pop_front() else {
                return;
            };
            self.on_engine_event(now, event);
        }
    }

    fn on_engine_event(&mut self, now: Instant, event: EngineEvent) {
        match event {
            EngineEvent::Open(_) => {
                self.state = ReadyState::Open;
                self.open_deadline = None;
                self.events.push_back(Event::Open);
                let active: Vec<NspId> = self
                    .sockets
                    .iter()
                    .filter(|s| s.active)
                    .map(|s| s.id_num)
                    .collect();
                for nsp in active {
                    self.with_socket(nsp, |s, out| s.on_open(out));
                }
                if self.reconnecting {
                    let attempts = self.backoff.attempts;
                    self.reconnecting = false;
                    self.backoff.reset();
                    self.events.push_back(Event::Reconnect(attempts));
                }
            }
            EngineEvent::Text(text) => match self.decoder.decode_text(&text) {
                Ok(Some(message)) => self.route(message),
                Ok(None) => {}
                Err(_) => self.parse_error(now),
            },
            EngineEvent::Binary(bytes) => match self.decoder.decode_binary(bytes) {
                Ok(Some(message)) => self.route(message),
                Ok(None) => {}
                Err(_) => self.parse_error(now),
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

    fn parse_error(&mut self, now: Instant) {
        self.on_close(now, CloseReason::ParseError, None);
    }

    fn route(&mut self, message: crate::protocol::socket::Message) {
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
                self.close_all(self.last_now);
            }
        }
        self.with_socket(nsp, |s, out| s.on_packet(message, out));
        // A socket the server refused or disconnected leaves; the connection closes with the last.
        if self.sockets.iter().all(|s| !s.active) && self.state != ReadyState::Closed {
            self.close_all(self.last_now);
        }
    }

    fn take_engine(&mut self) {
        if let Some(mut engine) = self.engine.take() {
            self.commands.extend(engine.commands.drain(..));
            self.next_transport_id = engine.next_id();
        }
    }

    /// Opening failed: manager `error`, `connect_error` on waiting sockets, then the
    /// reconnection loop (PROTOCOL.md §1.5).
    fn on_open_error(&mut self, now: Instant, kind: ErrorKind, failure: Option<Failure>) {
        self.take_engine();
        self.state = ReadyState::Closed;
        self.open_deadline = None;
        self.events.push_back(Event::Error(kind, failure.clone()));
        for socket in self.sockets.iter().filter(|s| s.active && !s.connected) {
            self.events.push_back(Event::ConnectError(
                socket.id_num,
                ConnectError::Transport(kind, failure.clone()),
            ));
        }
        if self.reconnecting {
            self.reconnecting = false;
            self.reconnect(now);
            self.events.push_back(Event::ReconnectError(kind, failure));
        } else if self.config.reconnection && self.backoff.attempts == 0 {
            self.reconnect(now);
        }
    }

    /// The connection ended, or is closed from this side (the official `onclose`): the engine
    /// closes (its own `close` is "forced close" when it was still open), the backoff resets,
    /// the Manager's `close` names the sockets that disconnect, then their acks are settled.
    fn on_close(&mut self, now: Instant, reason: CloseReason, failure: Option<Failure>) {
        if let Some(engine) = self.engine.as_mut() {
            if self.notify_engine && engine.is_open() {
                self.events
                    .push_back(Event::EngineClose(CloseReason::ForcedClose, None));
            }
            engine.close();
        }
        self.take_engine();
        self.decoder.reset();
        self.backoff.reset();
        self.state = ReadyState::Closed;
        self.open_deadline = None;
        let sockets: Vec<NspId> = self
            .sockets
            .iter()
            .filter(|s| s.active)
            .map(|s| s.id_num)
            .collect();
        self.events.push_back(Event::Close {
            reason,
            failure,
            sockets: sockets.clone(),
        });
        for nsp in sockets {
            self.with_socket(nsp, |s, out| s.on_manager_close(out));
        }
        if self.config.reconnection && !self.skip_reconnect {
            self.reconnect(now);
        }
    }

    /// Schedules the next attempt, or gives up after `reconnection_attempts`.
    fn reconnect(&mut self, now: Instant) {
        if self.reconnecting || self.skip_reconnect {
            return;
        }
        if self.backoff.attempts >= self.config.reconnection_attempts {
            self.backoff.reset();
            self.events.push_back(Event::ReconnectFailed);
            return;
        }
        let delay = self.backoff.duration(&mut self.rng);
        self.reconnecting = true;
        self.reconnect_at = Some(now + delay);
    }
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
