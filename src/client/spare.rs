//! Giving back the capacity a burst left behind. Collections keep their largest size: after
//! 10,000 acks timed out at once, the pending-ack map, the deadline heap and the event queue
//! would pin their peak memory for the life of the page. When one is mostly empty, it shrinks.

use alloc::collections::{BinaryHeap, VecDeque};
use alloc::vec::Vec;

/// Capacity kept in any case: small collections never shrink (no churn on every input).
const KEEP: usize = 64;

/// A collection whose spare capacity can be released.
pub(crate) trait ReleaseSpare {
    /// Shrinks to twice the length when less than a quarter of the capacity is in use.
    fn release_spare(&mut self);
}

macro_rules! release_spare_for {
    ($($ty:ty),*) => {$(
        impl<T> ReleaseSpare for $ty {
            fn release_spare(&mut self) {
                if self.capacity() > KEEP && self.len() < self.capacity() / 4 {
                    self.shrink_to(self.len().saturating_mul(2).max(KEEP));
                }
            }
        }
    )*};
}

release_spare_for!(Vec<T>, VecDeque<T>, BinaryHeap<T>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinks_only_when_mostly_empty_and_large() {
        let mut v: VecDeque<u32> = (0..10_000).collect();
        v.release_spare();
        assert!(v.capacity() >= 10_000, "full: kept");
        v.truncate(10);
        v.release_spare();
        assert!(
            v.capacity() < 256,
            "mostly empty: shrunk to {}",
            v.capacity()
        );
        let mut small: Vec<u32> = Vec::with_capacity(KEEP);
        small.release_spare();
        assert_eq!(small.capacity(), KEEP, "small: kept");
        let mut heap: BinaryHeap<u64> = (0..5_000).collect();
        heap.retain(|k| *k < 3);
        heap.release_spare();
        assert!(heap.capacity() < 256);
        assert_eq!(heap.len(), 3);
    }
}
