//! The pending acks' queue: runs of acks sorted by id, in chunks of at most [`CHUNK`] runs
//! (3 KiB). A run is a stretch of consecutive ids waited for by consecutive waiters,
//! which is what a socket's acks are when nothing interleaves: each emit with an ack takes the
//! next ack id and the next handle. So a burst of 50,000 acks in flight costs one run, 24
//! bytes, and 50,000 scattered ones 24 bytes each.
//!
//! A `VecDeque` doubles as it grows, so up to half of its buffer is slack, and its buffer only
//! shrinks when asked; here scattered acks cost whole chunks, and each chunk is freed as soon as
//! the queue has drained it. Pushing at the back (ids only grow) and popping at the front
//! (servers mostly answer in order) touch one run; any other id is a binary search over the
//! chunks, then within one, and may split its run in two.

use crate::prelude::*;

/// Runs per chunk: 128 × 24 bytes, 3 KiB; a power of two, which the first chunk's doubling
/// reaches exactly.
pub(super) const CHUNK: usize = 128;

/// The capacity (in runs) the only chunk keeps when the queue is empty: smaller chunks stay for
/// the next ack instead of being freed and allocated again on every input.
const KEEP: usize = 64;

/// One pending ack: its id and who waits for it (packed by the caller, so that consecutive
/// waiters pack to consecutive numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    /// The ack id.
    pub(super) id: u64,
    /// Who waits for it, packed into 8 bytes.
    pub(super) waiter: u64,
}

/// Ids `id..id + len`, waited for by `waiter..waiter + len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Run {
    /// The first id.
    id: u64,
    /// The first id's waiter.
    waiter: u64,
    /// How many ids; at least 1.
    len: u64,
}

impl Run {
    /// The run of `entry` alone.
    fn single(entry: Entry) -> Self {
        Self {
            id: entry.id,
            waiter: entry.waiter,
            len: 1,
        }
    }

    /// The id after the last one.
    fn end(&self) -> u64 {
        self.id.saturating_add(self.len)
    }

    /// The waiter of `id`, one of this run's.
    fn waiter_of(&self, id: u64) -> u64 {
        self.waiter.wrapping_add(id.wrapping_sub(self.id))
    }

    /// Whether `entry` comes right after this run's last ack, id and waiter.
    fn continues_with(&self, entry: Entry) -> bool {
        self.end() == entry.id && self.waiter.checked_add(self.len) == Some(entry.waiter)
    }
}

/// Up to [`CHUNK`] runs sorted by id; those before `start` are already gone.
#[derive(Debug, Default)]
struct Chunk {
    /// The first live run in `runs`.
    start: usize,
    /// Live from `start` on.
    runs: Vec<Run>,
}

impl Chunk {
    /// The live runs.
    fn live(&self) -> &[Run] {
        self.runs.get(self.start..).unwrap_or(&[])
    }

    /// Whether no run is live.
    fn is_empty(&self) -> bool {
        self.start >= self.runs.len()
    }

    /// Moves the live runs to the front of the buffer.
    fn compact(&mut self) {
        self.runs.drain(..self.start.min(self.runs.len()));
        self.start = 0;
    }
}

/// The queue: chunks sorted by id, none empty except an only chunk.
#[derive(Debug, Default)]
pub(super) struct Queue {
    /// In id order; each holds ids above those of the chunk before it.
    chunks: Vec<Chunk>,
    /// Live acks in all chunks.
    len: usize,
}

impl Queue {
    /// How many acks are live.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The run that holds `id`: its chunk and index in that chunk's buffer (`Err`: where a run
    /// of `id` would go).
    fn locate(&self, id: u64) -> Result<(usize, usize), (usize, usize)> {
        let after = self
            .chunks
            .partition_point(|c| c.live().first().is_some_and(|r| r.id <= id));
        let at = after.saturating_sub(1);
        let Some(chunk) = self.chunks.get(at) else {
            return Err((0, 0));
        };
        let live = chunk.live();
        let next = live.partition_point(|r| r.id <= id);
        match next.checked_sub(1).and_then(|i| live.get(i)) {
            Some(run) if id < run.end() => Ok((at, chunk.start + next - 1)),
            _ => Err((at, chunk.start + next)),
        }
    }

    /// Whether `id` is in the queue.
    pub(super) fn contains(&self, id: u64) -> bool {
        self.locate(id).is_ok()
    }

    /// Adds `entry` in id order; an entry of the same id is replaced.
    pub(super) fn insert(&mut self, entry: Entry) {
        if self.push_back(entry) {
            self.len += 1;
            return;
        }
        // Below the last id: never from this client, whose ack ids only grow. A chunk may
        // outgrow `CHUNK`, which costs memory, not order.
        self.remove(entry.id);
        if let Err((c, i)) = self.locate(entry.id) {
            if self.chunks.is_empty() {
                self.chunks.push(Chunk::default());
            }
            if let Some(chunk) = self.chunks.get_mut(c) {
                chunk
                    .runs
                    .insert(i.min(chunk.runs.len()), Run::single(entry));
                self.len += 1;
            }
        }
    }

    /// Adds `entry` after the last run if its id is above every other; false if it is not.
    fn push_back(&mut self, entry: Entry) -> bool {
        if self.chunks.is_empty() {
            self.chunks.push(Chunk::default());
        }
        let Some(last) = self.chunks.last_mut() else {
            return false;
        };
        let live = last.start..last.runs.len();
        match last.runs.get_mut(live).and_then(<[Run]>::last_mut) {
            Some(run) if run.continues_with(entry) => {
                run.len += 1;
                return true;
            }
            Some(run) if run.end() > entry.id => return false,
            _ => {}
        }
        // A full buffer that is half gone is compacted rather than grown.
        if last.runs.len() == last.runs.capacity() && last.start * 2 >= last.runs.len() {
            last.compact();
        }
        if last.runs.len() < CHUNK {
            last.runs.push(Run::single(entry));
        } else {
            let mut runs = Vec::with_capacity(CHUNK);
            runs.push(Run::single(entry));
            self.chunks.push(Chunk { start: 0, runs });
        }
        true
    }

    /// Removes `id`; returns its packed waiter, or `None` if it is not in the queue.
    pub(super) fn remove(&mut self, id: u64) -> Option<u64> {
        let (c, i) = self.locate(id).ok()?;
        let only = self.chunks.len() == 1;
        let chunk = self.chunks.get_mut(c)?;
        let run = chunk.runs.get_mut(i)?;
        let waiter = run.waiter_of(id);
        self.len -= 1;
        if run.len > 1 {
            if id == run.id {
                run.id += 1;
                run.waiter = run.waiter.wrapping_add(1);
                run.len -= 1;
            } else if id == run.end() - 1 {
                run.len -= 1;
            } else {
                // From the middle: the run splits around `id`.
                let tail = Run {
                    id: id + 1,
                    waiter: waiter.wrapping_add(1),
                    len: run.end() - id - 1,
                };
                run.len = id - run.id;
                chunk.runs.insert(i + 1, tail);
            }
            return Some(waiter);
        }
        if i == chunk.start {
            chunk.start += 1;
        } else {
            chunk.runs.remove(i);
        }
        if chunk.is_empty() {
            if only {
                // Kept for the next ack (`release_spare` frees a large one).
                chunk.start = 0;
                chunk.runs.clear();
            } else {
                self.chunks.remove(c);
            }
        }
        Some(waiter)
    }

    /// Keeps only the entries for which `keep` returns true, in chunks filled anew.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(Entry) -> bool) {
        let old = core::mem::take(self);
        for chunk in old.chunks {
            for run in chunk.live() {
                for k in 0..run.len {
                    let entry = Entry {
                        id: run.id + k,
                        waiter: run.waiter.wrapping_add(k),
                    };
                    if keep(entry) {
                        self.insert(entry);
                    }
                }
            }
        }
    }

    /// Frees an only chunk left empty by a burst.
    pub(super) fn release_spare(&mut self) {
        if self.len == 0 && self.chunks.iter().any(|c| c.runs.capacity() > KEEP) {
            self.chunks = Vec::new();
        }
    }
}

#[cfg(test)]
impl Queue {
    /// The live ids in order, chunk by chunk, for tests.
    pub(super) fn chunk_ids(&self) -> Vec<Vec<u64>> {
        self.chunks
            .iter()
            .map(|c| c.live().iter().flat_map(|r| r.id..r.end()).collect())
            .collect()
    }

    /// How many runs are live, over all chunks.
    pub(super) fn runs(&self) -> usize {
        self.chunks.iter().map(|c| c.live().len()).sum()
    }

    /// The runs allocated for, over all chunks.
    pub(super) fn capacity(&self) -> usize {
        self.chunks.iter().map(|c| c.runs.capacity()).sum()
    }
}
