//! A scripted driver for the Manager with a virtual clock: feed inputs, collect commands and
//! events, and assert on them in order.

use core::time::Duration;
use std::collections::VecDeque;

use crate::client::{
    Command, Event, Frame, Instant, Manager, ManagerConfig, Output, TransportEvent, TransportId,
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
            Command::Post { id, body, .. } => (id, body),
            other => panic!("expected Post, got {other:?}"),
        }
    }

    pub(crate) fn expect_text_frame(&mut self) -> String {
        match self.next_command() {
            Command::SendFrame {
                frame: Frame::Text(t),
                ..
            } => t,
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

    pub(crate) fn expect_no_events(&self) {
        assert!(
            self.events.is_empty(),
            "unexpected events: {:?}",
            self.events
        );
    }
}
