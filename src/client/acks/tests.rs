//! The ack queue and its deadlines.

use super::queue::{Entry, Queue, CHUNK};
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
