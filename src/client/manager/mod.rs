//! The Manager (PROTOCOL.md §1.4, §1.5): one Engine.IO connection shared by every namespace
//! socket. The top of the sans-IO core: see the crate docs for the run loop. Its options
//! (`config.rs`), opening and reconnection (`reconnect.rs`), the namespaces' calls
//! (`namespaces.rs`) and the routing between engine and sockets (`routing.rs`) have their own
//! files. Every layer keeps its outputs in private queues that its parent drains: the engine's
//! commands and events, each socket's effects, and the Manager's commands and events, which
//! [`Manager::poll_output`] hands out.

use crate::client::fifo::Fifo;
use crate::prelude::*;

mod config;
mod lifecycle;
mod namespaces;
mod reconnect;
mod routing;
mod session;

pub use config::ManagerConfig;
pub use lifecycle::PageEvent;

use super::backoff::Backoff;
use super::engine::Engine;
use super::event::{Event, NspId};
use super::rng::Rng;
use super::socket::Socket;
use super::spare::ReleaseSpare;
use super::time::Instant;
use super::timer::{sooner, Timers, Wake};
use super::transport::{Command, TransportEvent, TransportKind};
use crate::client::time::whole_millis;
use crate::client::Bytes;
use crate::protocol::socket::Decoder;

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
    decoder: Decoder<Bytes>,
    sockets: Vec<Socket>,
    backoff: Backoff,
    rng: Rng,
    reconnecting: bool,
    skip_reconnect: bool,
    /// [`Wake::OpenTimeout`] and [`Wake::ReconnectDelay`].
    timers: Timers,
    next_transport_id: u32,
    last_now: Instant,
    /// The browser says the network is down (`navigator.onLine` false).
    offline: bool,
    /// The page is hidden (`document.visibilityState`).
    hidden: bool,
    /// The page went into the back/forward cache and has not come back.
    in_page_cache: bool,
    /// A reconnection attempt is due but held (offline, hidden or in the page cache) until
    /// what holds it ends.
    held: bool,
    /// An earlier session of this client reached the WebSocket (for `rememberUpgrade`).
    prior_websocket_success: bool,
    /// Report the engine's packets, drains and close (`socket.io.engine` listeners).
    notify_engine: bool,
    commands: Fifo<Command>,
    events: Fifo<Event>,
}

impl Manager {
    /// A closed Manager; `seed` drives jitter and cache-busters (tests fix it).
    pub fn new(config: ManagerConfig, seed: u64) -> Self {
        let backoff = Backoff::new(
            whole_millis(config.reconnection_delay),
            whole_millis(config.reconnection_delay_max),
            config.randomization_factor,
        );
        Self {
            decoder: Decoder::new(config.max_attachments, config.check_event_json),
            config,
            state: ReadyState::Closed,
            engine: None,
            sockets: Vec::new(),
            backoff,
            rng: Rng::new(seed),
            reconnecting: false,
            skip_reconnect: false,
            timers: Timers::default(),
            next_transport_id: 1,
            last_now: Instant::default(),
            offline: false,
            hidden: false,
            in_page_cache: false,
            held: false,
            prior_websocket_success: false,
            notify_engine: false,
            commands: Fifo::new(),
            events: Fifo::new(),
        }
    }

    // ---- getters -------------------------------------------------------------------------

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
        self.handle_own_timeout(now);
        for index in 0..self.sockets.len() {
            self.with_socket(NspId(index as u32), |s| s.handle_timeout(now));
        }
        self.drain(now);
    }

    // ---- outputs -------------------------------------------------------------------------

    /// The next thing to do. Call it after every input until it returns [`Output::Timeout`].
    pub fn poll_output(&mut self) -> Output {
        self.poll_work()
            .unwrap_or_else(|| Output::Timeout(self.settle()))
    }

    /// The next command or event, if any: [`Manager::poll_output`] without the work of a quiet
    /// Manager. A driver that handles several inputs in one task (an emit loop) calls this
    /// after each, and [`Manager::settle`] once at the task's end.
    pub fn poll_work(&mut self) -> Option<Output> {
        if let Some(command) = self.commands.pop_front() {
            return Some(Output::Command(command));
        }
        self.events.pop_front().map(Output::Event)
    }

    /// Once quiet: gives back the spare capacity of a burst and returns the next deadline, as
    /// [`Output::Timeout`] carries it.
    pub fn settle(&mut self) -> Option<Instant> {
        self.release_spare();
        self.poll_timeout()
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
        self.next_wake().map(|(at, _)| at.max(self.last_now))
    }

    /// The next wake-up and why: the earliest entry of the Manager's, the engine's and the
    /// sockets' deadlines (for tests and debugging; may lie before the last `now` when it is
    /// already due).
    pub fn next_wake(&self) -> Option<(Instant, Wake)> {
        let mut next = self.timers.next();
        next = sooner(next, self.engine.as_ref().and_then(Engine::next_wake));
        for socket in &self.sockets {
            let ack = socket.next_ack_deadline().map(|at| (at, Wake::AckDeadline));
            next = sooner(next, ack);
        }
        next
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
}
