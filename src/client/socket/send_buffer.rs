//! Emits outside the retry queue (PROTOCOL.md §1.6, §1.7): the official decision between
//! dropping (volatile, transport not writable), sending now (connected, heartbeat alive) and the
//! send buffer, which is flushed in order when the namespace connects. The API layer can
//! inspect and trim it (`socket.sendBuffer`).

use crate::client::{Bytes, Json};
use crate::prelude::*;
use crate::protocol::text::holds;

use super::{AckMode, EmitOptions, EmitOutcome, Link, Socket};
use crate::client::acks::Waiter;
use crate::client::outbox::StoredEmit;
use crate::client::time::Instant;

/// A packet waiting in the send buffer.
#[derive(Debug, Clone)]
pub(super) struct Buffered {
    /// A number that stays with the packet while it waits, for the API's `sendBuffer`.
    seq: u64,
    /// The wire ack id, when an ack is wanted.
    pub(super) id: Option<u64>,
    /// The EVENT's header, then its data.
    head: String,
    data: Json,
    attachments: Vec<Bytes>,
    /// Its id in the persistent outbox, when kept there.
    stored: Option<u64>,
}

impl Buffered {
    /// A restored emit of the persistent outbox, with its EVENT header `head`.
    pub(super) fn new(
        seq: u64,
        id: Option<u64>,
        head: String,
        emit: &StoredEmit,
        stored: Option<u64>,
    ) -> Self {
        Self {
            seq,
            id,
            head,
            data: emit.data.clone(),
            attachments: emit.attachments.clone(),
            stored,
        }
    }

    /// The packet as the persistent outbox keeps it, when kept there.
    pub(super) fn stored(&self) -> Option<StoredEmit> {
        Some(StoredEmit {
            id: self.stored?,
            data: self.data.clone(),
            attachments: self.attachments.clone(),
            retry: false,
            wants_ack: self.id.is_some(),
        })
    }
}

/// A packet of the send buffer as the API shows it (`socket.sendBuffer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BufferedPacket {
    /// Identifies the packet while it waits (for [`crate::client::Manager::retain_send_buffer`]).
    pub seq: u64,
    /// `[name, ...args]` as JSON text, binary as placeholders.
    pub data: Json,
    /// Whether the emit asked for an acknowledgement.
    pub wants_ack: bool,
}

impl Socket {
    /// Packets waiting in the send buffer.
    pub(crate) fn send_buffer_len(&self) -> usize {
        self.send_buffer.len()
    }

    /// The packets waiting in the send buffer, oldest first.
    pub(crate) fn send_buffer(&self) -> Vec<BufferedPacket> {
        let packet = |b: &Buffered| BufferedPacket {
            seq: b.seq,
            data: b.data.clone(),
            wants_ack: b.id.is_some(),
        };
        self.send_buffer.iter().map(packet).collect()
    }

    /// Keeps only the buffered packets in `keep` (`socket.sendBuffer = [...]`); the acks of the
    /// others stay registered, as in the official client.
    pub(crate) fn retain_send_buffer(&mut self, keep: &[u64]) {
        // Refilled in order (each packet pushed back or dropped): smaller wasm than `retain`
        // with a closure.
        let mut dropped = Vec::new();
        for b in core::mem::take(&mut self.send_buffer) {
            if holds(keep, b.seq) {
                self.send_buffer.push(b);
            } else {
                dropped.push(b.stored);
            }
        }
        for stored in dropped {
            self.forget(stored);
        }
    }

    /// Removes the buffered packet waiting for ack `id` (its ack timed out).
    pub(super) fn drop_buffered_ack(&mut self, id: u64) {
        if let Some(at) = self.send_buffer.iter().position(|p| p.id == Some(id)) {
            let packet = self.send_buffer.remove(at);
            self.forget(packet.stored);
        }
    }

    /// Writes the whole send buffer, in order (on connect).
    pub(super) fn flush_send_buffer(&mut self) {
        for packet in core::mem::take(&mut self.send_buffer) {
            self.forget(packet.stored);
            self.write(packet.head, packet.data, packet.attachments);
        }
    }

    /// Encodes one EVENT and decides as the official client does: volatile and not writable →
    /// drop; connected and the ping deadline not passed → send; otherwise → the send buffer.
    /// The ack is error-first when asked so or when a timeout applies (`timeout(ms)`, else
    /// `ackTimeout`), whose deadline it then gets.
    pub(super) fn send_event(
        &mut self,
        now: Instant,
        data: Json,
        attachments: Vec<Bytes>,
        options: EmitOptions,
        link: Link,
    ) -> (Option<u64>, EmitOutcome) {
        let (id, handle) = match options.ack {
            AckMode::None => (None, None),
            mode => {
                let id = self.new_ack_id();
                let handle = self.new_handle();
                // socket.io-client: `const timeout = this.flags.timeout ?? this._opts.ackTimeout`.
                let timeout = options.timeout.or(self.ack_timeout);
                let with_error = mode == AckMode::ErrorFirst || timeout.is_some();
                let waiter = Waiter::User { handle, with_error };
                self.acks.insert(id, waiter, timeout.map(|t| now + t));
                (Some(id), Some(handle))
            }
        };
        let head = self.event_head(id, attachments.len());
        let outcome = if options.volatile && !link.writable {
            EmitOutcome::Dropped
        } else if self.connected && link.ping_ok {
            self.write(head, data, attachments);
            EmitOutcome::Sent
        } else {
            let seq = self.buffer_seq;
            self.buffer_seq += 1;
            let stored = self.keep(&data, &attachments, false, id.is_some());
            self.send_buffer.push(Buffered {
                seq,
                id,
                head,
                data,
                attachments,
                stored,
            });
            EmitOutcome::Buffered
        };
        (handle, outcome)
    }
}
