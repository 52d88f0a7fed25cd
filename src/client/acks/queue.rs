//! The pending acks' queue: entries of 16 bytes sorted by id, in chunks of at most [`CHUNK`]
//! entries (4 KiB). A `VecDeque` doubles as it grows, so up to half of its buffer is slack, and
//! its buffer only shrinks when asked; here a burst costs whole chunks, and each chunk is freed
//! as soon as the queue has drained it.
//!
//! Pushing at the back (ids only grow) and popping at the front (servers mostly answer in order)
//! touch one chunk; any other id is a binary search over the chunks, then within one.

use crate::prelude::*;

/// Entries per chunk: 256 × 16 bytes, 4 KiB.
pub(super) const CHUNK: usize = 256;

/// The capacity (in entries) the only chunk keeps when the queue is empty: smaller chunks stay
/// for the next ack instead of being freed and allocated again on every input.
const KEEP: usize = 64;

/// One pending ack: its id and who waits for it (packed by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    /// The ack id.
    pub(super) id: u64,
    /// Who waits for it, packed into 8 bytes.
    pub(super) waiter: u64,
}

/// Up to [`CHUNK`] entries sorted by id; those before `start` are already gone.
#[derive(Debug, Default)]
struct Chunk {
    /// The first live entry in `entries`.
    start: usize,
    /// Live from `start` on.
    entries: Vec<Entry>,
}

impl Chunk {
    /// The live entries.
    fn live(&self) -> &[Entry] {
        self.entries.get(self.start..).unwrap_or(&[])
    }

    /// Whether no entry is live.
    fn is_empty(&self) -> bool {
        self.start >= self.entries.len()
    }

    /// Moves the live entries to the front of the buffer.
    fn compact(&mut self) {
        self.entries.drain(..self.start.min(self.entries.len()));
        self.start = 0;
    }
}

/// The queue: chunks sorted by id, none empty except an only chunk.
#[derive(Debug, Default)]
pub(super) struct Queue {
    /// In id order; each holds ids above those of the chunk before it.
    chunks: Vec<Chunk>,
    /// Live entries in all chunks.
    len: usize,
}

impl Queue {
    /// How many entries are live.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Where `id` is: its chunk and index in that chunk's buffer (`Err`: where it would go).
    fn locate(&self, id: u64) -> Result<(usize, usize), (usize, usize)> {
        let after = self
            .chunks
            .partition_point(|c| c.live().first().is_some_and(|e| e.id <= id));
        let at = after.saturating_sub(1);
        let Some(chunk) = self.chunks.get(at) else {
            return Err((0, 0));
        };
        match chunk.live().binary_search_by_key(&id, |e| e.id) {
            Ok(i) => Ok((at, chunk.start + i)),
            Err(i) => Err((at, chunk.start + i)),
        }
    }

    /// Whether `id` is in the queue.
    pub(super) fn contains(&self, id: u64) -> bool {
        self.locate(id).is_ok()
    }

    /// Adds `entry` in id order; an entry of the same id is replaced.
    pub(super) fn insert(&mut self, entry: Entry) {
        self.len += 1;
        if let Some(last) = self.chunks.last_mut() {
            if last.live().last().is_none_or(|e| e.id < entry.id) {
                // A full buffer that is half gone is compacted rather than grown.
                if last.entries.len() == last.entries.capacity()
                    && last.start * 2 >= last.entries.len()
                {
                    last.compact();
                }
                if last.entries.len() < CHUNK {
                    last.entries.push(entry);
                } else {
                    let mut entries = Vec::with_capacity(CHUNK);
                    entries.push(entry);
                    self.chunks.push(Chunk { start: 0, entries });
                }
                return;
            }
        }
        // Below the last id: never from this client, whose ack ids only grow. The chunk may
        // outgrow `CHUNK`, which costs memory, not order.
        match self.locate(entry.id) {
            Ok((c, i)) => {
                self.len -= 1;
                if let Some(old) = self.chunks.get_mut(c).and_then(|c| c.entries.get_mut(i)) {
                    *old = entry;
                }
            }
            Err((c, i)) => {
                if self.chunks.is_empty() {
                    self.chunks.push(Chunk::default());
                }
                if let Some(chunk) = self.chunks.get_mut(c) {
                    chunk.entries.insert(i.min(chunk.entries.len()), entry);
                }
            }
        }
    }

    /// Removes `id`; returns its packed waiter, or `None` if it is not in the queue.
    pub(super) fn remove(&mut self, id: u64) -> Option<u64> {
        let (c, i) = self.locate(id).ok()?;
        let only = self.chunks.len() == 1;
        let chunk = self.chunks.get_mut(c)?;
        let entry = *chunk.entries.get(i)?;
        if i == chunk.start {
            chunk.start += 1;
        } else {
            chunk.entries.remove(i);
        }
        if chunk.is_empty() {
            if only {
                // Kept for the next ack (`release_spare` frees a large one).
                chunk.start = 0;
                chunk.entries.clear();
            } else {
                self.chunks.remove(c);
            }
        }
        self.len -= 1;
        Some(entry.waiter)
    }

    /// Keeps only the entries for which `keep` returns true, in chunks filled anew.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(Entry) -> bool) {
        let old = core::mem::take(self);
        for chunk in old.chunks {
            for entry in chunk.live() {
                if keep(*entry) {
                    self.insert(*entry);
                }
            }
        }
    }

    /// Frees an only chunk left empty by a burst.
    pub(super) fn release_spare(&mut self) {
        if self.len == 0 && self.chunks.iter().any(|c| c.entries.capacity() > KEEP) {
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
            .map(|c| c.live().iter().map(|e| e.id).collect())
            .collect()
    }

    /// The entries allocated for, over all chunks.
    pub(super) fn capacity(&self) -> usize {
        self.chunks.iter().map(|c| c.entries.capacity()).sum()
    }
}
