//! The WebSocket upgrade of a polling session (PROTOCOL.md §1.11): open a WebSocket with the
//! same `sid`, `2probe` / `3probe`, pause polling until its GET and POST in flight are done,
//! then switch and send `5`. A failed probe leaves the session on polling.

use crate::prelude::*;

use super::{Engine, EngineEvent, State, Transport};
use crate::client::transport::{
    Command, Failure, Frame, TransportEvent, TransportId, TransportKind,
};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ProbeState {
    /// The WebSocket is connecting.
    Opening,
    /// `2probe` was sent, waiting for `3probe`.
    Probing,
    /// `3probe` arrived; waiting for polling's GET and POST in flight to finish.
    Pausing,
}

#[derive(Debug, Clone)]
pub(super) struct Probe {
    pub(super) id: TransportId,
    pub(super) state: ProbeState,
}

impl Engine {
    /// Whether the probe is waiting for polling to pause (writes are held meanwhile).
    pub(super) fn is_pausing(&self) -> bool {
        self.probe
            .as_ref()
            .is_some_and(|p| p.state == ProbeState::Pausing)
    }

    /// After the handshake over polling: opens the probe WebSocket.
    pub(super) fn start_probe(&mut self) {
        let id = self.fresh_id();
        let url = self.url(TransportKind::WebSocket);
        self.probe = Some(Probe {
            id,
            state: ProbeState::Opening,
        });
        self.commands.push_back(Command::OpenWebSocket { id, url });
    }

    /// An event of the probe WebSocket.
    pub(super) fn handle_probe_event(&mut self, event: TransportEvent<'_>) {
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
                self.flush_and_report();
            }
        }
    }

    /// Switches to the probed WebSocket once polling has nothing in flight.
    pub(super) fn maybe_finish_upgrade(&mut self) {
        if !self.is_pausing() || self.transport.reading || self.transport.writing {
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
        self.flush_and_report();
    }
}
