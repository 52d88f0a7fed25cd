//! Opening, closing and reconnecting (PROTOCOL.md §1.5): `open()`, the open timeout, the
//! official `onclose` / `_close()`, the backoff loop with `reconnect_attempt`,
//! `reconnect_error` and `reconnect_failed`. What the page and the network do to it is in
//! `lifecycle.rs`.

use crate::prelude::*;

use super::{Manager, ReadyState};
use crate::client::engine::Engine;
use crate::client::event::{ConnectError, Event, NspId};
use crate::client::reason::{CloseReason, ErrorKind};
use crate::client::time::Instant;
use crate::client::timer::Wake;
use crate::client::transport::Failure;

impl Manager {
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

    /// Closes the connection and stops reconnecting (the official `_close()`): in any state,
    /// `onclose("forced close")` resets the backoff and reports the Manager's `close`; an
    /// attempt under way is abandoned without an error.
    pub fn close_all(&mut self, now: Instant) {
        self.tick(now);
        self.skip_reconnect = true;
        self.reconnecting = false;
        self.timers.set(Wake::ReconnectDelay, None);
        self.held = false;
        self.on_close(now, CloseReason::ForcedClose, None);
        self.drain(now);
    }

    /// Closes the Engine.IO connection as `socket.io.engine.close()` does: "forced close",
    /// after which the Manager reconnects (when reconnection is on).
    pub fn close_engine(&mut self, now: Instant) {
        self.tick(now);
        if let Some(engine) = self.engine.as_mut() {
            engine.close();
        }
        self.drain(now);
    }

    /// The caller could not parse the JSON of an event this Manager delivered (with
    /// [`super::ManagerConfig::check_event_json`] off): closes the connection with "parse
    /// error", as a packet the decoder refuses does; reconnection follows. Nothing when the
    /// connection is already closed.
    pub fn malformed(&mut self, now: Instant) {
        self.tick(now);
        if self.engine.is_some() {
            self.on_close(now, CloseReason::ParseError, None);
        }
        self.drain(now);
    }

    /// How long until the next reconnection attempt while one waits out its backoff delay;
    /// none when no attempt is scheduled, one is under way, or it is held (offline, hidden,
    /// in the page cache) until what holds it ends.
    pub fn next_attempt_in(&self, now: Instant) -> Option<core::time::Duration> {
        if !self.reconnecting || self.held {
            return None;
        }
        let due = self.timers.get(Wake::ReconnectDelay)?;
        Some(due.saturating_since(now))
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

    /// Handles the Manager's own deadlines: the open timeout, then the reconnection delay.
    pub(super) fn handle_own_timeout(&mut self, now: Instant) {
        if self.timers.expire(Wake::OpenTimeout, now) {
            if let Some(mut engine) = self.engine.take() {
                engine.close();
                while let Some(command) = engine.poll_command() {
                    self.commands.push_back(command);
                }
                self.next_transport_id = engine.next_id();
            }
            self.on_open_error(now, ErrorKind::Timeout, None);
        }
        if self.timers.expire(Wake::ReconnectDelay, now) {
            if self.must_hold() {
                self.held = true;
            } else if !self.skip_reconnect {
                self.events
                    .push_back(Event::ReconnectAttempt(self.backoff.attempts));
                self.start_engine(now);
            }
        }
    }

    /// A new Engine.IO session (the official `open()` makes a new engine): reported as
    /// [`Event::Opening`], with the open timeout armed.
    pub(super) fn start_engine(&mut self, now: Instant) {
        self.events.push_back(Event::Opening);
        let seed = self.rng.next_u64();
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
        self.timers
            .set(Wake::OpenTimeout, self.config.timeout.map(|t| now + t));
    }

    /// Opening failed: manager `error`, `connect_error` on waiting sockets, then the
    /// reconnection loop (PROTOCOL.md §1.5).
    pub(super) fn on_open_error(
        &mut self,
        now: Instant,
        kind: ErrorKind,
        failure: Option<Failure>,
    ) {
        self.take_engine();
        self.state = ReadyState::Closed;
        self.timers.set(Wake::OpenTimeout, None);
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

    /// A transport of the open session failed (its `Close` follows): the Manager's `error`, and
    /// `connect_error` on the sockets still waiting for their CONNECT reply, as the official
    /// Manager forwards its engine's `error` (a proxy without stickiness answering a polling
    /// request 400 "Session ID unknown" is the common case).
    pub(super) fn on_transport_error(&mut self, kind: ErrorKind, failure: Failure) {
        self.events
            .push_back(Event::Error(kind, Some(failure.clone())));
        for socket in self.sockets.iter().filter(|s| s.active && !s.connected) {
            self.events.push_back(Event::ConnectError(
                socket.id_num,
                ConnectError::Transport(kind, Some(failure.clone())),
            ));
        }
    }

    /// The connection ended, or is closed from this side (the official `onclose`): the engine
    /// closes (its own `close` is "forced close" when it was still open), the backoff resets,
    /// the Manager's `close` names the sockets that disconnect, then their acks are settled.
    pub(super) fn on_close(&mut self, now: Instant, reason: CloseReason, failure: Option<Failure>) {
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
        self.timers.set(Wake::OpenTimeout, None);
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
            self.with_socket(nsp, |s| s.on_manager_close(now));
        }
        if self.config.reconnection && !self.skip_reconnect {
            self.reconnect(now);
        }
    }

    /// Schedules the next attempt, or gives up after `reconnection_attempts`.
    pub(super) fn reconnect(&mut self, now: Instant) {
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
        self.timers.set(Wake::ReconnectDelay, Some(now + delay));
    }
}
