//! A scripted driver for the Manager with a virtual clock: feed inputs, collect commands and
//! events, and assert on them in order.

use core::time::Duration;
use std::collections::VecDeque;

use crate::client::{
    CloseReason, Command, EmitOptions, EmitOutcome, Event, Failure, Instant, Manager,
    ManagerConfig, NspId, Output, PageEvent, TransportEvent, TransportId, TransportKind,
};

pub(crate) const HANDSHAKE_WS: &str =
    r#"0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;
pub(crate) const HANDSHAKE_POLLING: &str = r#"0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;

pub(crate) struct Harness {
    pub(crate) manager: Manager,
    pub(crate) now: Instant,
    pub(crate) commands: VecDeque<Command>,
    pub(crate) events: VecDeque<Event>,
    pub(crate) deadline: Option<Instant>,
}

impl Harness {
    pub(crate) fn new(config: ManagerConfig) -> Self {
        Self {
            manager: Manager::new(config, 42),
            now: Instant::from_millis(1_000),
            commands: VecDeque::new(),
            events: VecDeque::new(),
            deadline: None,
        }
    }

    /// Collects outputs until the Manager is quiet (bounded, to catch loops that never settle).
    pub(crate) fn collect(&mut self) {
        for _ in 0..100_000 {
            match self.manager.poll_output() {
                Output::Command(c) => self.commands.push_back(c),
                Output::Event(e) => self.events.push_back(e),
                Output::Timeout(t) => {
                    if let Some(t) = t {
                        assert!(t >= self.now, "deadline {t:?} before now {:?}", self.now);
                    }
                    self.deadline = t;
                    return;
                }
            }
        }
        panic!("poll_output never returned Timeout");
    }

    pub(crate) fn input(&mut self, event: TransportEvent<'_>) {
        self.manager.handle_transport(self.now, event);
        self.collect();
    }

    // ---- user calls, each followed by collecting the outputs ------------------------------

    /// `manager.open()`.
    pub(crate) fn open(&mut self) {
        self.manager.open(self.now);
        self.collect();
    }

    /// `socket.connect()`.
    pub(crate) fn connect(&mut self, nsp: NspId) {
        self.manager.connect(self.now, nsp).expect("a known socket");
        self.collect();
    }

    /// `socket.disconnect()`.
    pub(crate) fn disconnect(&mut self, nsp: NspId) {
        self.manager
            .disconnect(self.now, nsp)
            .expect("a known socket");
        self.collect();
    }

    /// `socket.emit(...)`: the ack handle and what became of the packet.
    pub(crate) fn emit(
        &mut self,
        nsp: NspId,
        data: &str,
        options: EmitOptions,
    ) -> (Option<u64>, EmitOutcome) {
        self.emit_binary(nsp, data, vec![], options)
    }

    /// `socket.emit(...)` with binary attachments.
    pub(crate) fn emit_binary(
        &mut self,
        nsp: NspId,
        data: &str,
        attachments: Vec<Vec<u8>>,
        options: EmitOptions,
    ) -> (Option<u64>, EmitOutcome) {
        let attachments = attachments.into_iter().map(Into::into).collect();
        let result = self
            .manager
            .emit(self.now, nsp, data.into(), attachments, options);
        self.collect();
        result.expect("a valid emit")
    }

    /// `manager.reconnection(on)`.
    pub(crate) fn set_reconnection(&mut self, on: bool) {
        self.manager.set_reconnection(on);
        self.collect();
    }

    /// The browser's `online` / `offline`.
    pub(crate) fn network(&mut self, online: bool) {
        self.manager.handle_network(self.now, online);
        self.collect();
    }

    /// A page lifecycle event (visibility, freeze, back/forward cache).
    pub(crate) fn page(&mut self, event: PageEvent) {
        self.manager.handle_page(self.now, event);
        self.collect();
    }

    /// `manager._close()`.
    pub(crate) fn close_all(&mut self) {
        self.manager.close_all(self.now);
        self.collect();
    }

    /// `socket.io.engine.close()`.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))] // only the chaos test (native) uses it
    pub(crate) fn close_engine(&mut self) {
        self.manager.close_engine(self.now);
        self.collect();
    }

    /// The page unloads.
    pub(crate) fn unload(&mut self) {
        self.manager.handle_unload(self.now);
        self.collect();
    }

    /// Answers an auth request.
    pub(crate) fn provide_auth(&mut self, nsp: NspId, auth: Option<String>) {
        self.manager.provide_auth(self.now, nsp, auth);
        self.collect();
    }

    /// Answers the server's event `id`.
    pub(crate) fn ack(&mut self, nsp: NspId, id: u64, data: &str) {
        self.manager
            .ack(self.now, nsp, id, data.into(), vec![])
            .expect("a known socket");
        self.collect();
    }

    /// The caller found a delivered event's JSON malformed ([`Manager::malformed`]).
    pub(crate) fn malformed(&mut self) {
        self.manager.malformed(self.now);
        self.collect();
    }

    // ---- transport events ------------------------------------------------------------------

    pub(crate) fn text(&mut self, id: TransportId, text: &str) {
        self.input(TransportEvent::Text(id, text));
    }

    pub(crate) fn advance(&mut self, d: Duration) {
        self.now = self.now + d;
        self.manager.handle_timeout(self.now);
        self.collect();
    }

    /// Jumps to the next deadline and handles it.
    pub(crate) fn advance_to_deadline(&mut self) {
        let deadline = self.deadline.expect("a deadline is set");
        self.now = self.now.max(deadline);
        self.manager.handle_timeout(self.now);
        self.collect();
    }

    pub(crate) fn next_command(&mut self) -> Command {
        self.commands.pop_front().expect("a command")
    }

    pub(crate) fn next_event(&mut self) -> Event {
        self.events.pop_front().expect("an event")
    }

    pub(crate) fn expect_open_ws(&mut self) -> (TransportId, String) {
        match self.next_command() {
            Command::OpenWebSocket { id, url } => (id, url),
            other => panic!("expected OpenWebSocket, got {other:?}"),
        }
    }

    pub(crate) fn expect_poll(&mut self) -> (TransportId, String) {
        match self.next_command() {
            Command::Poll { id, url } => (id, url),
            other => panic!("expected Poll, got {other:?}"),
        }
    }

    pub(crate) fn expect_post(&mut self) -> (TransportId, String) {
        match self.next_command() {
            Command::Post { id, body, .. } => (id, body.to_text()),
            other => panic!("expected Post, got {other:?}"),
        }
    }

    pub(crate) fn expect_text_frame(&mut self) -> String {
        match self.next_command() {
            Command::SendFrame { frame, .. } if frame.to_text().is_some() => {
                frame.to_text().unwrap_or_default()
            }
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    pub(crate) fn expect_close(&mut self) -> TransportId {
        match self.next_command() {
            Command::Close { id } => id,
            other => panic!("expected Close, got {other:?}"),
        }
    }

    pub(crate) fn expect_no_commands(&self) {
        assert!(
            self.commands.is_empty(),
            "unexpected commands: {:?}",
            self.commands
        );
    }

    /// Drops what was collected so far.
    /// No command other than the persistent outbox's.
    pub(crate) fn expect_no_commands_but_outbox(&self) {
        let others: Vec<&Command> = self
            .commands
            .iter()
            .filter(|c| !matches!(c, Command::Outbox { .. }))
            .collect();
        assert!(others.is_empty(), "unexpected commands: {others:?}");
    }

    pub(crate) fn clear(&mut self) {
        self.commands.clear();
        self.events.clear();
    }

    pub(crate) fn expect_no_events(&self) {
        assert!(
            self.events.is_empty(),
            "unexpected events: {:?}",
            self.events
        );
    }
}

/// The Manager's `close` event with the sockets it disconnects.
pub(crate) fn close(reason: CloseReason, failure: Option<Failure>, sockets: &[NspId]) -> Event {
    Event::Close {
        reason,
        failure,
        sockets: sockets.to_vec(),
    }
}

pub(crate) fn ws_only() -> ManagerConfig {
    let mut config = ManagerConfig::default();
    config.engine.origin = "http://127.0.0.1:3000".into();
    config.engine.transports = vec![TransportKind::WebSocket];
    config
}

/// Opens a WebSocket-only connection with the main namespace connected.
pub(crate) fn connected_ws() -> (Harness, TransportId, NspId) {
    connected_ws_with(ws_only(), HANDSHAKE_WS)
}

/// [`connected_ws`] with its own configuration and handshake.
pub(crate) fn connected_ws_with(
    config: ManagerConfig,
    handshake: &str,
) -> (Harness, TransportId, NspId) {
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    assert_eq!(h.next_event(), Event::Opening);
    let (ws, url) = h.expect_open_ws();
    assert_eq!(
        url,
        "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket"
    );
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, handshake);
    assert_eq!(h.next_event(), Event::Open);
    assert_eq!(h.expect_text_frame(), "40");
    h.text(ws, r#"40{"sid":"s1"}"#);
    assert_eq!(h.next_event(), Event::Connect(nsp));
    assert_eq!(h.manager.socket_id(nsp), Some("s1"));
    (h, ws, nsp)
}

/// Completes the WebSocket handshake of a connecting harness and returns the transport, after
/// checking that the first frame is the CONNECT `frame`.
pub(crate) fn expect_connect_frame(h: &mut Harness, frame: &str) -> TransportId {
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, HANDSHAKE_WS);
    assert_eq!(h.expect_text_frame(), frame);
    ws
}
