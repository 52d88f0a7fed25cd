//! The socket's side of the persistent outbox (`client/outbox.rs`): which of its emits are
//! kept, when each is done, and the emits a reloaded page gets back, put ahead of anything
//! emitted since. While the kept emits load, the CONNECT waits, so that nothing new can
//! overtake them.

use crate::client::fifo::Fifo;
use crate::client::{Bytes, Json};
use crate::prelude::*;

use super::retry::Queued;
use super::send_buffer::Buffered;
use super::{check_event_data, Effect, Socket};
use crate::client::acks::Waiter;
use crate::client::event::{AckError, Event};
use crate::client::outbox::{OutboxOp, OutboxReport, StorageFault, StoredEmit};
use crate::client::time::Instant;

/// Whether and how a socket keeps its waiting emits.
#[derive(Debug, Default)]
pub(crate) struct OutboxState {
    /// Emits are kept in storage (off when storage failed: memory only).
    persist: bool,
    /// The kept emits are loading: the CONNECT waits for them.
    loading: bool,
    /// The Manager opened while they loaded: send the CONNECT once they are in.
    open_waiting: bool,
    /// The id of this page's next kept emit.
    next_id: u64,
}

impl Socket {
    /// Turns the persistent outbox on and asks the driver for what was kept before.
    pub(crate) fn start_outbox(&mut self) {
        self.outbox.persist = true;
        self.outbox.loading = true;
        self.effects.push_back(Effect::Store(OutboxOp::Load));
    }

    /// The CONNECT must wait for the kept emits (`on_open` calls again when they are in).
    pub(super) fn outbox_holds_connect(&mut self) -> bool {
        if self.outbox.loading {
            self.outbox.open_waiting = true;
        }
        self.outbox.loading
    }

    /// The Manager's connection closed: a CONNECT that waited is no longer wanted.
    pub(super) fn outbox_on_close(&mut self) {
        self.outbox.open_waiting = false;
    }

    /// Keeps an emit that is going to wait; returns its id (none when not persisting).
    pub(super) fn keep(
        &mut self,
        data: &Json,
        attachments: &[Bytes],
        retry: bool,
        wants_ack: bool,
    ) -> Option<u64> {
        if !self.outbox.persist {
            return None;
        }
        let id = self.outbox.next_id;
        self.outbox.next_id += 1;
        self.effects
            .push_back(Effect::Store(OutboxOp::Put(StoredEmit {
                id,
                data: data.clone(),
                attachments: attachments.to_vec(),
                retry,
                wants_ack,
            })));
        Some(id)
    }

    /// A kept emit is done: it left storage's care (sent, answered, given up, removed).
    pub(super) fn forget(&mut self, stored: Option<u64>) {
        if let (true, Some(id)) = (self.outbox.persist, stored) {
            self.effects.push_back(Effect::Store(OutboxOp::Delete(id)));
        }
    }

    /// A restored emit without an ack function got its answer, or never will.
    pub(super) fn report_restored(
        &mut self,
        id: u64,
        result: Result<(String, Vec<Bytes>), AckError>,
    ) {
        self.report(Event::OutboxAck {
            nsp: self.id_num,
            id,
            result,
        });
    }

    /// What the driver loaded, or why storage failed.
    pub(crate) fn on_outbox(&mut self, now: Instant, report: OutboxReport) {
        match report {
            OutboxReport::Loaded(kept) => self.restore(now, kept),
            OutboxReport::Failed(fault) => {
                self.report(Event::OutboxError(self.id_num, fault));
                if fault != StorageFault::Corrupt && self.outbox.persist {
                    // Memory only from now on; what storage holds may be partial or stale.
                    self.outbox.persist = false;
                    self.effects.push_back(Effect::Store(OutboxOp::Clear));
                }
                self.outbox.loading = false;
            }
        }
        if !self.outbox.loading && core::mem::take(&mut self.outbox.open_waiting) {
            self.on_open();
        }
    }

    /// Puts the kept emits ahead of this page's, in their order: sent-once ones at the front
    /// of the send buffer, `retries` ones at the front of the retry queue.
    fn restore(&mut self, now: Instant, kept: Vec<StoredEmit>) {
        self.outbox.loading = false;
        let mut buffered = Vec::new();
        let mut queued = Fifo::new();
        let mut corrupt = false;
        for emit in kept {
            // The one read of a kept emit's data: storage is not trusted.
            if check_event_data(&emit.data.to_text()).is_err() {
                // Not an emit this client kept: dropped from storage, and said so.
                corrupt = true;
                self.effects
                    .push_back(Effect::Store(OutboxOp::Delete(emit.id)));
                continue;
            }
            if emit.retry {
                let seq = self.queue_seq;
                self.queue_seq += 1;
                queued.push_back(Queued::restored(seq, emit));
                continue;
            }
            let ack = emit.wants_ack.then(|| {
                let id = self.new_ack_id();
                let deadline = self.ack_timeout.map(|t| now + t);
                self.acks.insert(id, Waiter::Restored(emit.id), deadline);
                id
            });
            let head = self.event_head(ack, emit.attachments.len());
            let seq = self.buffer_seq;
            self.buffer_seq += 1;
            buffered.push(Buffered::new(seq, ack, head, &emit, Some(emit.id)));
        }
        buffered.append(&mut self.send_buffer);
        self.send_buffer = buffered;
        queued.append(&mut self.queue);
        self.queue = queued;
        if corrupt {
            self.report(Event::OutboxError(self.id_num, StorageFault::Corrupt));
        }
    }

    /// The emits kept in storage that still wait, oldest first (the send buffer's, then the
    /// retry queue's).
    pub(crate) fn outbox(&self) -> Vec<StoredEmit> {
        let mut out: Vec<StoredEmit> = self
            .send_buffer
            .iter()
            .filter_map(Buffered::stored)
            .collect();
        out.extend(self.queue.iter().filter_map(Queued::stored));
        out
    }
}
