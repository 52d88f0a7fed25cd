//! The client's queues: the commands, events and effects between the state machines and their
//! drivers (filled by one input, emptied in order before the driver returns), and the two that
//! live longer, the engine's write buffer and a socket's retry queue. A `Vec` read from a
//! position does that with less code than a `VecDeque`, whose ring buffer costs its wrap-around
//! logic in every `push_back`/`pop_front` monomorphisation (measured: 1.6 KB of wasm for the
//! first five queues).

use alloc::vec::Vec;

use super::spare::ReleaseSpare;

/// A first-in, first-out queue that is emptied after it is filled. Reading moves a position;
/// once every item is read, the storage is reused from the start.
#[derive(Debug)]
pub(crate) struct Fifo<T> {
    /// Read items are `None` until the queue is empty again.
    items: Vec<Option<T>>,
    /// The next item to read.
    head: usize,
}

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Fifo<T> {
    /// An empty queue (no allocation).
    pub(crate) const fn new() -> Self {
        Self {
            items: Vec::new(),
            head: 0,
        }
    }

    /// Adds `item` at the back.
    pub(crate) fn push_back(&mut self, item: T) {
        self.items.push(Some(item));
    }

    /// Takes the item at the front.
    pub(crate) fn pop_front(&mut self) -> Option<T> {
        let item = self.items.get_mut(self.head).and_then(Option::take);
        if item.is_some() {
            self.head += 1;
        }
        if self.head >= self.items.len() {
            // Everything is read: start again at the front (the slots hold `None`, nothing to
            // drop but the storage's reuse).
            self.items.clear();
            self.head = 0;
        }
        item
    }

    /// The item at the front, to change in place.
    pub(crate) fn front_mut(&mut self) -> Option<&mut T> {
        self.items.get_mut(self.head).and_then(Option::as_mut)
    }

    /// The items not yet read, front first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.items.iter().flatten()
    }

    /// Whether every item is read.
    pub(crate) fn is_empty(&self) -> bool {
        self.head >= self.items.len()
    }

    /// Drops every item.
    pub(crate) fn clear(&mut self) {
        self.items.clear();
        self.head = 0;
    }

    /// Moves the items of `other` to the back, in their order, leaving it empty.
    pub(crate) fn append(&mut self, other: &mut Self) {
        while let Some(item) = other.pop_front() {
            self.push_back(item);
        }
    }

    /// Gives the slots of read items back, for a queue that may never be read to the end (the
    /// write buffer while a POST is in flight, the retry queue under a steady flow): called when
    /// the Manager settles, it bounds the read slots to what one task left.
    pub(crate) fn compact(&mut self) {
        if self.head > 0 {
            self.items.drain(..self.head);
            self.head = 0;
        }
    }

    /// The number of items not yet read.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.items.len() - self.head
    }
}

impl<T> Extend<T> for Fifo<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        self.items.extend(items.into_iter().map(Some));
    }
}

impl<T> ReleaseSpare for Fifo<T> {
    fn release_spare(&mut self) {
        self.items.release_spare();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_order_and_reuses_storage() {
        let mut q = Fifo::new();
        assert_eq!(q.pop_front(), None::<u32>);
        q.push_back(1);
        q.push_back(2);
        assert_eq!(q.pop_front(), Some(1));
        q.push_back(3);
        assert_eq!(q.len(), 2);
        assert_eq!(q.pop_front(), Some(2));
        assert_eq!(q.pop_front(), Some(3));
        assert_eq!(q.pop_front(), None);
        assert_eq!(
            (q.items.len(), q.head),
            (0, 0),
            "emptied: back to the front"
        );
        q.push_back(4);
        assert_eq!(q.pop_front(), Some(4));
        assert_eq!(q.len(), 0);
        assert!(q.is_empty());
    }

    #[test]
    fn compacts_what_was_read_and_keeps_the_rest_in_order() {
        let mut q = Fifo::new();
        q.extend(1..=5);
        assert_eq!(q.pop_front(), Some(1));
        assert_eq!(q.pop_front(), Some(2));
        if let Some(front) = q.front_mut() {
            *front *= 10;
        }
        q.compact();
        assert_eq!((q.items.len(), q.head), (3, 0));
        let mut other = Fifo::new();
        other.push_back(6);
        q.append(&mut other);
        assert!(other.is_empty());
        assert_eq!(q.iter().copied().collect::<Vec<_>>(), [30, 4, 5, 6]);
        q.clear();
        assert_eq!(q.pop_front(), None);
    }
}
