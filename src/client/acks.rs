//! Pending acknowledgements and their deadlines: one sorted queue and one min-heap, so ten
//! thousand pending acks with timeouts cost a heap, not ten thousand timers (DESIGN.md
//! decision 2).
//!
//! Ack ids only grow, and servers mostly answer in order, so the pending acks are a queue sorted
//! by id: inserting is a push at the back, resolving the oldest a pop at the front, any other a
//! binary search. No hash map: it would add hashbrown (7 KB) to the WebAssembly for nothing.

use crate::prelude::*;
use alloc::collections::{BinaryHeap, VecDeque};
use core::cmp::Reverse;

use super::spare::ReleaseSpare;
use super::time::Instant;

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

/// The acks a socket waits for.
#[derive(Debug, Default)]
pub(crate) struct Acks {
    /// Sorted by id.
    pending: VecDeque<(u64, Waiter)>,
    /// (deadline, id); entries of acks already resolved are skipped when they surface.
    deadlines: BinaryHeap<Reverse<(Instant, u64)>>,
}

impl Acks {
    pub(crate) fn insert(&mut self, id: u64, waiter: Waiter, deadline: Option<Instant>) {
        match self.pending.back() {
            Some((last, _)) if *last >= id => match self.find(id) {
                Ok(at) => {
                    if let Some(entry) = self.pending.get_mut(at) {
                        entry.1 = waiter;
                    }
                }
                Err(at) => self.pending.insert(at, (id, waiter)),
            },
            _ => self.pending.push_back((id, waiter)),
        }
        if let Some(at) = deadline {
            self.deadlines.push(Reverse((at, id)));
        }
    }

    /// Where `id` is in `pending` (`Err`: where it would go).
    fn find(&self, id: u64) -> Result<usize, usize> {
        find(&self.pending, id)
    }

    fn take(&mut self, id: u64) -> Option<Waiter> {
        let at = self.find(id).ok()?;
        self.pending.remove(at).map(|(_, waiter)| waiter)
    }

    /// Resolves `id`; returns who waited for it, or `None` if unknown.
    pub(crate) fn remove(&mut self, id: u64) -> Option<Waiter> {
        let found = self.take(id);
        // Resolved acks leave stale heap entries; drop them once they dominate.
        if self.deadlines.len() > 64 && self.deadlines.len() > 2 * self.pending.len() {
            let pending = &self.pending;
            self.deadlines
                .retain(|Reverse((_, id))| find(pending, *id).is_ok());
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
            if let Some(waiter) = self.take(id) {
                return Some((id, waiter));
            }
        }
        None
    }

    /// Removes every pending ack except those in `keep` (sorted), returning them in id order.
    pub(crate) fn drain_except(&mut self, keep: &[u64]) -> Vec<(u64, Waiter)> {
        let mut gone = Vec::new();
        self.pending.retain(|&(id, waiter)| {
            let kept = keep.binary_search(&id).is_ok();
            if !kept {
                gone.push((id, waiter));
            }
            kept
        });
        if self.pending.is_empty() {
            self.deadlines.clear();
        }
        gone
    }
}

/// Where `id` is in the sorted `pending` (`Err`: where it would go).
fn find(pending: &VecDeque<(u64, Waiter)>, id: u64) -> Result<usize, usize> {
    pending.binary_search_by_key(&id, |(id, _)| *id)
}
