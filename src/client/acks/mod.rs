//! Pending acknowledgements and their deadlines: one sorted queue and one min-heap, so ten
//! thousand pending acks with timeouts cost a heap, not ten thousand timers (DESIGN.md
//! decision 2).
//!
//! Ack ids only grow, and servers mostly answer in order, so the pending acks are a queue sorted
//! by id: inserting is a push at the back, resolving the oldest a pop at the front, any other a
//! binary search. No hash map: it would add hashbrown (7 KB) to the WebAssembly for nothing.
//! The queue ([`queue`]) keeps runs of consecutive ids with consecutive waiters, 24 bytes a run:
//! acks emitted one after another on a socket are one run however many there are. An ack with a
//! deadline costs 16 more bytes in the heap.

mod queue;

use crate::prelude::*;
use alloc::collections::BinaryHeap;
use core::cmp::Reverse;

use super::spare::ReleaseSpare;
use super::time::Instant;
use queue::{Entry, Queue};

/// Who waits for an ack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Waiter {
    /// The user's callback, known to the API layer by `handle`.
    User {
        /// The id the API layer was given for this callback.
        handle: u64,
        /// Whether the callback is error-first.
        with_error: bool,
    },
    /// The retry queue's packet with this sequence number.
    Queue(u64),
    /// A restored emit of the persistent outbox (no ack function survived the reload), by its
    /// outbox id.
    Restored(u64),
}

/// Where the kind of a packed [`Waiter`] starts: its top two bits.
const TAG_SHIFT: u32 = 62;

/// The bits of a packed [`Waiter`]'s number.
const NUMBER: u64 = u64::MAX >> 2;

impl Waiter {
    /// Packs into 8 bytes: the kind in the top two bits, the number below. Handles, sequence
    /// numbers and outbox ids count up from 0 (restored outbox ids from 2^52), and cross to
    /// JavaScript as numbers, so they stay below 2^53: the top bits are free, and the next
    /// waiter of a kind packs to the next number (the queue's runs rely on it).
    fn pack(self) -> u64 {
        let (tag, number) = match self {
            Self::User { handle, with_error } => (u64::from(with_error), handle),
            Self::Queue(seq) => (2, seq),
            Self::Restored(id) => (3, id),
        };
        tag << TAG_SHIFT | number & NUMBER
    }

    /// The waiter `packed` came from.
    fn unpack(packed: u64) -> Self {
        let number = packed & NUMBER;
        match packed >> TAG_SHIFT {
            0 | 1 => Self::User {
                handle: number,
                with_error: packed >> TAG_SHIFT == 1,
            },
            2 => Self::Queue(number),
            _ => Self::Restored(number),
        }
    }
}

/// The acks a socket waits for.
#[derive(Debug, Default)]
pub(crate) struct Acks {
    /// Sorted by id.
    pending: Queue,
    /// (deadline, id) of the acks that have one; entries of acks already resolved are skipped
    /// when they surface.
    deadlines: BinaryHeap<Reverse<(Instant, u64)>>,
}

impl Acks {
    /// Waits for ack `id` (a waiter already there for `id` is replaced), until `deadline`.
    pub(crate) fn insert(&mut self, id: u64, waiter: Waiter, deadline: Option<Instant>) {
        self.pending.insert(Entry {
            id,
            waiter: waiter.pack(),
        });
        if let Some(at) = deadline {
            self.deadlines.push(Reverse((at, id)));
        }
    }

    /// Resolves `id`; returns who waited for it, or `None` if unknown.
    pub(crate) fn remove(&mut self, id: u64) -> Option<Waiter> {
        let found = self.pending.remove(id).map(Waiter::unpack);
        // Resolved acks leave stale heap entries; drop them once they dominate.
        if self.deadlines.len() > 64 && self.deadlines.len() > 2 * self.pending.len() {
            let pending = &self.pending;
            self.deadlines
                .retain(|Reverse((_, id))| pending.contains(*id));
        }
        found
    }

    /// Gives back the capacity of a burst of acks.
    pub(crate) fn release_spare(&mut self) {
        self.pending.release_spare();
        self.deadlines.release_spare();
    }

    /// The earliest deadline of a pending ack.
    /// The top entry may belong to an ack already resolved: waking for it is harmless.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.deadlines.peek().map(|Reverse((at, _))| *at)
    }

    /// Removes and returns one pending ack whose deadline is at or before `now`.
    pub(crate) fn pop_expired(&mut self, now: Instant) -> Option<(u64, Waiter)> {
        while let Some(Reverse((at, id))) = self.deadlines.peek().copied() {
            if at > now {
                return None;
            }
            self.deadlines.pop();
            if let Some(waiter) = self.pending.remove(id) {
                return Some((id, Waiter::unpack(waiter)));
            }
        }
        None
    }

    /// Removes every pending ack except those in `keep` (sorted), returning them in id order.
    pub(crate) fn drain_except(&mut self, keep: &[u64]) -> Vec<(u64, Waiter)> {
        let mut gone = Vec::new();
        self.pending.retain(|entry| {
            let kept = keep.binary_search(&entry.id).is_ok();
            if !kept {
                gone.push((entry.id, Waiter::unpack(entry.waiter)));
            }
            kept
        });
        if self.pending.len() == 0 {
            self.deadlines.clear();
        }
        gone
    }
}

#[cfg(test)]
mod tests;
