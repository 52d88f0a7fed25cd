//! The namespace sockets' calls (PROTOCOL.md §1.4): `manager.socket(nsp)`, `connect()`,
//! `disconnect()`, `emit(...)`, answering the server's acks, `auth`, and their per-socket
//! options and getters.

use crate::client::{Bytes, Json};
use core::time::Duration;

use crate::prelude::*;

use super::{Manager, ReadyState};
use crate::client::engine::Engine;
use crate::client::event::NspId;
use crate::client::outbox::{OutboxReport, StoredEmit};
use crate::client::socket::{ApiMisuse, BufferedPacket, EmitOptions, EmitOutcome, Link, Socket};
use crate::client::time::Instant;

impl Manager {
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

    /// Replaces the auth payload (JSON object text) sent with the next CONNECT of `nsp`.
    pub fn set_auth(&mut self, nsp: NspId, auth: Option<String>) {
        if let Some(s) = self.socket_mut(nsp) {
            s.auth = auth;
        }
    }

    /// Makes the CONNECT of `nsp` wait for [`Manager::provide_auth`] each time, announced by
    /// [`crate::client::Event::AuthRequest`] (an `auth` function in the API layer).
    pub fn set_auth_deferred(&mut self, nsp: NspId, deferred: bool) {
        if let Some(s) = self.socket_mut(nsp) {
            s.auth_deferred = deferred;
        }
    }

    /// Answers an [`crate::client::Event::AuthRequest`]: sends the CONNECT of `nsp` with `auth`
    /// (JSON object text). Ignored when no request is out (the connection closed meanwhile).
    pub fn provide_auth(&mut self, now: Instant, nsp: NspId, auth: Option<String>) {
        self.tick(now);
        if self.state == ReadyState::Open {
            self.with_socket(nsp, |s| s.provide_auth(auth));
        }
        self.drain(now);
    }

    /// Reports every packet `nsp` writes as [`crate::client::Event::Outgoing`] (for outgoing
    /// listeners).
    pub fn set_notify_outgoing(&mut self, nsp: NspId, on: bool) {
        if let Some(s) = self.socket_mut(nsp) {
            s.notify_outgoing = on;
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

    /// `manager.socket(nsp)`: the socket of namespace `name`, made if needed (not connected).
    pub fn socket(&mut self, name: &str, auth: Option<String>) -> NspId {
        if let Some(id) = self.find_socket(name) {
            return id;
        }
        let id = NspId(self.sockets.len() as u32);
        self.sockets.push(Socket::new(id, name, auth));
        if self.config.persist_outbox {
            self.with_socket(id, Socket::start_outbox);
        }
        id
    }

    /// What the driver did with the persistent outbox of `nsp` (the answer to
    /// [`OutboxOp::Load`](crate::client::OutboxOp::Load), or a storage failure).
    pub fn handle_outbox(&mut self, now: Instant, nsp: NspId, report: OutboxReport) {
        self.tick(now);
        self.with_socket(nsp, |s| s.on_outbox(now, report));
        self.drain(now);
    }

    /// The emits of `nsp` kept in the persistent outbox that still wait, oldest first.
    pub fn outbox(&self, nsp: NspId) -> Vec<StoredEmit> {
        self.socket_ref(nsp).map(Socket::outbox).unwrap_or_default()
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
            self.with_socket(nsp, Socket::on_open);
        }
        self.drain(now);
        Ok(())
    }

    /// `socket.disconnect()`: leaves namespace `nsp`; closes the connection when no socket is
    /// left active, which also stops a reconnection loop.
    pub fn disconnect(&mut self, now: Instant, nsp: NspId) -> Result<(), ApiMisuse> {
        self.tick(now);
        let socket = self.socket_mut(nsp).ok_or(ApiMisuse::UnknownSocket)?;
        socket.active = false;
        let mut was_connected = false;
        self.with_socket(nsp, |s| was_connected = s.send_disconnect());
        if self.sockets.iter().all(|s| !s.active) {
            self.close_all(now);
        }
        if was_connected {
            self.with_socket(nsp, |s| {
                s.on_close(now, crate::client::CloseReason::ClientDisconnect, None)
            });
        }
        self.drain(now);
        Ok(())
    }

    /// `socket.emit(...)`: `data` is the JSON array `[name, ...args]` with binary replaced by
    /// placeholders numbered in `attachments` order, its name checked by the caller
    /// ([`crate::client::check_event_name`]): the core writes the packet's header and carries
    /// `data` unread. Returns the ack id when an ack is wanted.
    pub fn emit(
        &mut self,
        now: Instant,
        nsp: NspId,
        data: Json,
        attachments: Vec<Bytes>,
        options: EmitOptions,
    ) -> Result<(Option<u64>, EmitOutcome), ApiMisuse> {
        self.tick(now);
        if self.socket_ref(nsp).is_none() {
            return Err(ApiMisuse::UnknownSocket);
        }
        // A deadline that passed while timers were throttled: close now, buffer the packet.
        let ping_ok = !self
            .engine
            .as_mut()
            .is_some_and(|e| e.check_ping_expired(now));
        let writable = self.engine.as_ref().is_some_and(Engine::is_writable);
        let link = Link { writable, ping_ok };
        let mut result = Err(ApiMisuse::UnknownSocket);
        self.with_socket(nsp, |s| {
            result = Ok(s.emit(now, data, attachments, options, link));
        });
        self.drain(now);
        result
    }

    /// Answers the server's event `id` on `nsp` (the listener's ack function was called) with
    /// `data`, the JSON array of its arguments, carried unread as an emit's is.
    pub fn ack(
        &mut self,
        now: Instant,
        nsp: NspId,
        id: u64,
        data: Json,
        attachments: Vec<Bytes>,
    ) -> Result<(), ApiMisuse> {
        self.tick(now);
        if self.socket_ref(nsp).is_none() {
            return Err(ApiMisuse::UnknownSocket);
        }
        self.with_socket(nsp, |s| s.send_ack(id, data, attachments));
        self.drain(now);
        Ok(())
    }
}
