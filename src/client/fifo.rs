//! The queues between the state machines and their drivers (commands, events, effects): filled
//! by one input, then emptied in order before the driver returns. A `Vec` read from a position
//! does that with less code than a `VecDeque`, whose ring buffer costs its wrap-around logic in
//! every `push_back`/`pop_front` monomorphisation (measured: 1.3 KB of wasm for five queues).

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

    /// The number of items not yet read.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.items.len() - self.head
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
    }
}
