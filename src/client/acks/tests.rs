//! The ack queue and its deadlines.

use super::queue::{Entry, Queue, Run, CHUNK};
use super::*;

fn entry(id: u64) -> Entry {
    Entry {
        id,
        waiter: id * 10,
    }
}

/// Every live id, checked to be strictly sorted, with no empty chunk but an only one.
fn ids(queue: &Queue) -> Vec<u64> {
    let chunks = queue.chunk_ids();
    if chunks.len() > 1 {
        assert!(chunks.iter().all(|c| !c.is_empty()), "an empty chunk");
    }
    let all: Vec<u64> = chunks.into_iter().flatten().collect();
    assert!(all.windows(2).all(|w| w[0] < w[1]), "not sorted: {all:?}");
    assert_eq!(all.len(), queue.len());
    all
}

fn user(handle: u64) -> Waiter {
    Waiter::User {
        handle,
        with_error: false,
    }
}

#[test]
fn waiters_pack_into_eight_bytes_and_back() {
    for waiter in [
        user(0),
        Waiter::User {
            handle: (1 << 53) - 1,
            with_error: true,
        },
        Waiter::Queue(7),
        Waiter::Queue(1 << 61),
        Waiter::Restored(crate::client::outbox::RESTORED_ID_BASE + 3),
        Waiter::Restored(0),
    ] {
        assert_eq!(Waiter::unpack(waiter.pack()), waiter);
    }
    assert_eq!(size_of::<Entry>(), 16);
    assert_eq!(size_of::<Run>(), 24);
    let mut next = user(41).pack();
    next += 1;
    assert_eq!(Waiter::unpack(next), user(42), "runs of waiters count up");
}

/// An entry whose waiter follows the id, as a socket's acks are.
fn consecutive(id: u64) -> Entry {
    Entry {
        id,
        waiter: id + 1000,
    }
}

#[test]
fn consecutive_acks_are_one_run_whatever_their_number() {
    let mut q = Queue::default();
    for id in 0..50_000 {
        q.insert(consecutive(id));
    }
    assert_eq!((q.len(), q.runs()), (50_000, 1));
    assert!(q.capacity() <= 4, "capacity {}", q.capacity());
    // In order from the front: the run shrinks.
    for id in 0..100 {
        assert_eq!(q.remove(id), Some(id + 1000));
    }
    assert_eq!(q.runs(), 1);
    // From the back, then from the middle: a split.
    assert_eq!(q.remove(49_999), Some(50_999));
    assert_eq!(q.remove(20_000), Some(21_000));
    assert_eq!(q.remove(20_000), None);
    assert_eq!(q.runs(), 2);
    assert!(q.contains(19_999) && q.contains(20_001) && !q.contains(49_999));
    assert_eq!(q.len(), 50_000 - 102);
    // The next ack after a gap in the waiters starts a new run.
    q.insert(Entry {
        id: 50_000,
        waiter: 7,
    });
    q.insert(Entry {
        id: 50_001,
        waiter: 8,
    });
    assert_eq!(q.runs(), 3);
    // A waiter replaced inside a run: the run splits around it.
    q.insert(Entry {
        id: 30_000,
        waiter: 3,
    });
    assert_eq!(q.runs(), 5);
    assert_eq!(q.remove(30_000), Some(3));
    assert_eq!(q.remove(30_001), Some(31_001));
    assert_eq!(q.remove(29_999), Some(30_999));
    let all = ids(&q);
    assert_eq!(all.len(), q.len());
    assert_eq!(all.first(), Some(&100));
}

#[test]
fn retain_merges_what_it_keeps_into_runs() {
    let mut q = Queue::default();
    for id in 0..1000 {
        q.insert(consecutive(id));
    }
    q.retain(|e| !(400..600).contains(&e.id));
    assert_eq!((q.len(), q.runs()), (800, 2));
    assert_eq!(q.remove(600), Some(1600));
    assert_eq!(q.remove(399), Some(1399));
    assert_eq!(q.remove(450), None);
}

#[test]
fn in_order_pushes_fill_whole_chunks() {
    let mut q = Queue::default();
    for id in 0..(3 * CHUNK as u64 + 5) {
        q.insert(entry(id));
    }
    let chunks = q.chunk_ids();
    assert_eq!(chunks.len(), 4);
    assert!(chunks[..3].iter().all(|c| c.len() == CHUNK));
    assert_eq!(ids(&q), (0..(3 * CHUNK as u64 + 5)).collect::<Vec<_>>());
    assert_eq!(q.capacity(), 4 * CHUNK, "no doubling slack");
}

#[test]
fn out_of_order_inserts_stay_sorted() {
    let mut q = Queue::default();
    // Even ids first, then the odd ones in between, into full chunks.
    for id in (0..2000).step_by(2) {
        q.insert(entry(id));
    }
    for id in (1..2000u64).rev().step_by(2) {
        q.insert(entry(id));
    }
    assert_eq!(ids(&q), (0..2000).collect::<Vec<_>>());
    // A scrambled order (a multiplicative permutation of 0..4099).
    let mut q = Queue::default();
    for i in 0..4099u64 {
        q.insert(entry(i * 1237 % 4099));
    }
    assert_eq!(ids(&q), (0..4099).collect::<Vec<_>>());
    for id in 0..4099 {
        assert_eq!(q.remove(id), Some(id * 10));
    }
    assert_eq!(q.len(), 0);
}

#[test]
fn a_duplicate_id_replaces_its_entry() {
    let mut q = Queue::default();
    for id in 0..300 {
        q.insert(entry(id));
    }
    q.insert(Entry { id: 299, waiter: 1 });
    q.insert(Entry { id: 0, waiter: 2 });
    q.insert(Entry { id: 256, waiter: 3 });
    assert_eq!(q.len(), 300);
    assert_eq!(q.remove(299), Some(1));
    assert_eq!(q.remove(0), Some(2));
    assert_eq!(q.remove(256), Some(3));
    assert_eq!(q.remove(256), None);
}

#[test]
fn resolving_the_front_the_middle_and_unknown_ids() {
    let mut q = Queue::default();
    for id in 10..20 {
        q.insert(entry(id));
    }
    assert_eq!(q.remove(10), Some(100));
    assert_eq!(q.remove(15), Some(150));
    assert_eq!(q.remove(15), None);
    assert_eq!(q.remove(5), None);
    assert_eq!(q.remove(25), None);
    assert_eq!(ids(&q), [11, 12, 13, 14, 16, 17, 18, 19]);
    // An id below the front goes into the slot the front left.
    q.insert(entry(10));
    assert_eq!(ids(&q), [10, 11, 12, 13, 14, 16, 17, 18, 19]);
    assert!(q.contains(16) && !q.contains(15));
}

#[test]
fn draining_frees_chunks_and_release_spare_the_last() {
    let mut q = Queue::default();
    let n = 10 * CHUNK as u64;
    for id in 0..n {
        q.insert(entry(id));
    }
    for id in 0..n / 2 {
        q.remove(id);
    }
    assert_eq!(q.chunk_ids().len(), 5, "drained chunks are freed");
    assert_eq!(q.capacity(), 5 * CHUNK);
    for id in n / 2..n {
        q.remove(id);
    }
    assert_eq!(q.len(), 0);
    assert_eq!(
        q.capacity(),
        CHUNK,
        "the only chunk waits for release_spare"
    );
    q.release_spare();
    assert_eq!(q.capacity(), 0);
    // A small only chunk stays for the next ack.
    q.insert(entry(n));
    q.remove(n);
    q.release_spare();
    assert_eq!(q.capacity(), 4);
    q.insert(entry(n + 1));
    assert_eq!(ids(&q), [n + 1]);
}

#[test]
fn a_few_acks_in_flight_reuse_one_small_chunk() {
    let mut q = Queue::default();
    for id in 0..3 {
        q.insert(entry(id));
    }
    for id in 3..100_000 {
        q.insert(entry(id));
        assert_eq!(q.remove(id - 3), Some((id - 3) * 10));
    }
    assert_eq!(ids(&q), [99_997, 99_998, 99_999]);
    assert!(q.capacity() <= 8, "capacity {}", q.capacity());
}

#[test]
fn retain_removes_and_frees_emptied_chunks() {
    let mut q = Queue::default();
    for id in 0..1000 {
        q.insert(entry(id));
    }
    q.remove(0);
    q.retain(|e| e.id % 100 == 7);
    assert_eq!(ids(&q), [7, 107, 207, 307, 407, 507, 607, 707, 807, 907]);
    q.retain(|e| e.id >= 900);
    assert_eq!(q.chunk_ids().len(), 1);
    q.retain(|_| false);
    assert_eq!((q.len(), q.capacity()), (0, 0));
    q.insert(entry(3));
    assert_eq!(ids(&q), [3]);
}

#[test]
fn acks_resolve_and_keep_the_set_given() {
    let mut acks = Acks::default();
    for id in 0..600 {
        acks.insert(id, user(id), None);
    }
    acks.insert(3, Waiter::Queue(9), None);
    assert_eq!(acks.remove(3), Some(Waiter::Queue(9)));
    assert_eq!(acks.remove(3), None);
    assert_eq!(acks.remove(0), Some(user(0)));
    let gone = acks.drain_except(&[5, 300, 599, 1000]);
    assert_eq!(gone.len(), 600 - 2 - 3);
    assert!(gone.windows(2).all(|w| w[0].0 < w[1].0), "in id order");
    assert_eq!(gone[0], (1, user(1)));
    assert_eq!(acks.remove(300), Some(user(300)));
    assert_eq!(acks.remove(5), Some(user(5)));
    assert_eq!(acks.remove(599), Some(user(599)));
    assert_eq!(acks.remove(1), None);
}

#[test]
fn deadlines_expire_in_order_and_skip_resolved_acks() {
    let at = Instant::from_millis;
    let mut acks = Acks::default();
    acks.insert(1, user(1), Some(at(300)));
    acks.insert(2, Waiter::Restored(8), Some(at(100)));
    acks.insert(3, user(3), None);
    acks.insert(4, Waiter::Queue(4), Some(at(200)));
    acks.insert(0, user(0), Some(at(50)));
    assert_eq!(acks.next_deadline(), Some(at(50)));
    assert_eq!(acks.remove(0), Some(user(0)));
    assert_eq!(acks.pop_expired(at(40)), None);
    assert_eq!(acks.pop_expired(at(250)), Some((2, Waiter::Restored(8))));
    assert_eq!(acks.pop_expired(at(250)), Some((4, Waiter::Queue(4))));
    assert_eq!(acks.pop_expired(at(250)), None);
    assert_eq!(acks.next_deadline(), Some(at(300)));
    assert_eq!(acks.pop_expired(at(1000)), Some((1, user(1))));
    assert_eq!(acks.pop_expired(at(1000)), None);
    assert_eq!(acks.remove(3), Some(user(3)), "no deadline: never expires");
}

#[test]
fn stale_deadlines_are_dropped_once_they_dominate() {
    let mut acks = Acks::default();
    for id in 0..1000 {
        acks.insert(id, user(id), Some(Instant::from_millis(id)));
    }
    for id in 0..990 {
        acks.remove(id);
    }
    assert!(acks.deadlines.len() <= 2 * 10 + 64);
    assert_eq!(
        acks.pop_expired(Instant::from_millis(5000))
            .map(|(id, _)| id),
        Some(990)
    );
}

/// The queue against a sorted map, over random inserts (mostly at the back, with runs of
/// consecutive waiters), removals and retains.
#[cfg(not(target_arch = "wasm32"))]
mod model {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Op {
        /// The next id, its waiter following the last one's or jumping ahead.
        Push { jump: bool },
        /// An id at or below the last one, with this waiter.
        Insert { back: u64, waiter: u64 },
        /// The id this far from the front's, or from the back's.
        Remove { offset: u64, from_back: bool },
        /// Keeps the ids not divisible by this.
        Retain(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => any::<bool>().prop_map(|jump| Op::Push { jump }),
            1 => (0..40u64, any::<u64>()).prop_map(|(back, waiter)| Op::Insert { back, waiter: waiter >> 12 }),
            4 => (0..40u64, any::<bool>()).prop_map(|(offset, from_back)| Op::Remove { offset, from_back }),
            1 => (2..7u64).prop_map(Op::Retain),
        ]
    }

    proptest! {
        #[test]
        fn the_queue_holds_what_a_map_holds(ops in proptest::collection::vec(op(), 1..400)) {
            let mut q = Queue::default();
            let mut map = BTreeMap::new();
            let (mut next_id, mut next_waiter) = (0u64, 0u64);
            for op in ops {
                match op {
                    Op::Push { jump } => {
                        next_waiter += if jump { 5 } else { 1 };
                        q.insert(Entry { id: next_id, waiter: next_waiter });
                        map.insert(next_id, next_waiter);
                        next_id += 1;
                    }
                    Op::Insert { back, waiter } => {
                        let id = next_id.saturating_sub(back);
                        q.insert(Entry { id, waiter });
                        map.insert(id, waiter);
                        next_id = next_id.max(id + 1);
                    }
                    Op::Remove { offset, from_back } => {
                        let first = map.keys().next().copied().unwrap_or(0);
                        let id = if from_back { next_id.saturating_sub(offset + 1) } else { first + offset };
                        prop_assert_eq!(q.remove(id), map.remove(&id));
                    }
                    Op::Retain(d) => {
                        q.retain(|e| e.id % d != 0);
                        map.retain(|id, _| id % d != 0);
                    }
                }
                prop_assert_eq!(ids(&q), map.keys().copied().collect::<Vec<_>>());
            }
            for (id, waiter) in map {
                prop_assert!(q.contains(id));
                prop_assert_eq!(q.remove(id), Some(waiter));
            }
            prop_assert_eq!(q.len(), 0);
        }
    }
}
