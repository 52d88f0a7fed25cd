//! The `retries` queue (PROTOCOL.md §1.6): with `retries` set, every non-volatile emit waits
//! here and goes on the wire one at a time, each waiting for its ack (deadline: the emit's
//! `timeout(ms)`, else `ackTimeout`), and is retried until `tries > retries`. At least once and
//! in order; on connect the head is sent again before `connect` is reported.

use crate::client::{Bytes, Json};
use core::time::Duration;

use crate::prelude::*;

use super::{AckMode, EmitOptions, EmitOutcome, Socket};
use crate::client::acks::Waiter;
use crate::client::event::{AckError, Event};
use crate::client::outbox::StoredEmit;
use crate::client::time::Instant;

/// A packet of the retry queue.
#[derive(Debug)]
pub(super) struct Queued {
    seq: u64,
    data: Json,
    attachments: Vec<Bytes>,
    tries: u32,
    pending: bool,
    /// The id the user's callback was given, when the user asked for an ack.
    user_ack: Option<u64>,
    /// The emit's own `timeout(ms)`, which overrides `ackTimeout` for each try.
    timeout: Option<Duration>,
    /// Its id in the persistent outbox, when kept there.
    stored: Option<u64>,
    /// Restored after a reload: its answer is reported as [`Event::OutboxAck`] (when it
    /// wanted one), there being no ack function any more.
    restored_ack: bool,
}

impl Queued {
    /// A restored `retries` emit of the persistent outbox.
    pub(super) fn restored(seq: u64, emit: StoredEmit) -> Self {
        Self {
            seq,
            data: emit.data,
            attachments: emit.attachments,
            tries: 0,
            pending: false,
            user_ack: None,
            timeout: None,
            stored: Some(emit.id),
            restored_ack: emit.wants_ack,
        }
    }

    /// The packet as the persistent outbox keeps it, when kept there.
    pub(super) fn stored(&self) -> Option<StoredEmit> {
        Some(StoredEmit {
            id: self.stored?,
            data: self.data.clone(),
            attachments: self.attachments.clone(),
            retry: true,
            wants_ack: self.user_ack.is_some() || self.restored_ack,
        })
    }
}

impl Socket {
    /// Queues an emit; it is sent now when it is the head and the namespace is connected.
    pub(super) fn enqueue(
        &mut self,
        now: Instant,
        data: Json,
        attachments: Vec<Bytes>,
        options: EmitOptions,
    ) -> (Option<u64>, EmitOutcome) {
        let user_ack = (options.ack != AckMode::None).then(|| self.new_handle());
        let stored = self.keep(&data, &attachments, true, user_ack.is_some());
        self.queue.push_back(Queued {
            seq: self.queue_seq,
            data,
            attachments,
            tries: 0,
            pending: false,
            user_ack,
            timeout: options.timeout,
            stored,
            restored_ack: false,
        });
        self.queue_seq += 1;
        self.drain_queue(now, false);
        // Connected: on its way (now, or after the packets ahead of it); otherwise it waits.
        let outcome = if self.connected {
            EmitOutcome::Sent
        } else {
            EmitOutcome::Buffered
        };
        (user_ack, outcome)
    }

    /// Sends the head of the retry queue unless it already waits for its ack (`force`: send it
    /// again anyway, as on connect).
    pub(super) fn drain_queue(&mut self, now: Instant, force: bool) {
        if !self.connected {
            return;
        }
        let Some(head) = self.queue.front_mut() else {
            return;
        };
        if head.pending && !force {
            return;
        }
        head.pending = true;
        head.tries = head.tries.saturating_add(1);
        let (seq, data, attachments) = (head.seq, head.data.clone(), head.attachments.clone());
        let deadline = head.timeout.or(self.ack_timeout).map(|t| now + t);
        let id = self.new_ack_id();
        self.acks.insert(id, Waiter::Queue(seq), deadline);
        let head = self.event_head(Some(id), attachments.len());
        self.write(head, data, attachments);
    }

    /// The queued packet `seq` got its answer, or an error: done, retried, or given up.
    pub(super) fn on_queue_answer(
        &mut self,
        now: Instant,
        seq: u64,
        answer: Result<(String, Vec<Bytes>), AckError>,
    ) {
        let Some(head) = self.queue.front_mut() else {
            return;
        };
        if head.seq != seq {
            return; // an older try of a packet already acknowledged
        }
        head.pending = false;
        let retries = self.retries.unwrap_or(0);
        if answer.is_err() && head.tries <= retries {
            self.drain_queue(now, false); // tried again
            return;
        }
        let (user_ack, stored, restored_ack) = (head.user_ack, head.stored, head.restored_ack);
        self.queue.pop_front();
        self.forget(stored);
        match (answer, user_ack, stored) {
            (answer, _, Some(id)) if restored_ack => self.report_restored(id, answer),
            (Ok((data, attachments)), Some(id), _) => self.report(Event::Ack {
                nsp: self.id_num,
                id,
                data,
                attachments,
                with_error: true, // queued emits always answer error-first
            }),
            (Err(error), Some(id), _) => self.report(Event::AckError(self.id_num, id, error)),
            _ => {}
        }
        self.drain_queue(now, false);
    }
}
