//! Pending acknowledgements and their deadlines: one map and one min-heap, so ten thousand
//! pending acks with timeouts cost a heap, not ten thousand timers (DESIGN.md decision 2).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

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
}

/// The acks a socket waits for.
#[derive(Debug, Default)]
pub(crate) struct Acks {
    pending: HashMap<u64, Waiter>,
    /// (deadline, id); entries of acks already resolved are skipped when they surface.
    deadlines: BinaryHeap<Reverse<(Instant, u64)>>,
}

impl Acks {
    pub(crate) fn insert(&mut self, id: u64, waiter: Waiter, deadline: Option<Instant>) {
        self.pending.insert(id, waiter);
        if let Some(at) = deadline {
            self.deadlines.push(Reverse((at, id)));
        }
    }

    /// Resolves `id`; returns who waited for it, or `None` if unknown.
    pub(crate) fn remove(&mut self, id: u64) -> Option<Waiter> {
        let found = self.pending.remove(&id);
        // Resolved acks leave stale heap entries; drop them once they dominate.
        if self.deadlines.len() > 64 && self.deadlines.len() > 2 * self.pending.len() {
            let pending = &self.pending;
            self.deadlines
                .retain(|Reverse((_, id))| pending.contains_key(id));
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
            if let Some(waiter) = self.pending.remove(&id) {
                return Some((id, waiter));
            }
        }
        None
    }

    /// Removes every pending ack except `keep`, returning them in id order.
    pub(crate) fn drain_except(&mut self, keep: &HashSet<u64>) -> Vec<(u64, Waiter)> {
        let mut gone: Vec<(u64, Waiter)> = self
            .pending
            .iter()
            .filter(|(id, _)| !keep.contains(id))
            .map(|(&id, &e)| (id, e))
            .collect();
        gone.sort_unstable_by_key(|(id, _)| *id);
        for (id, _) in &gone {
            self.pending.remove(id);
        }
        if self.pending.is_empty() {
            self.deadlines.clear();
        }
        gone
    }
}
