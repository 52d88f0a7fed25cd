//! The page's Manager cache of [`io`](super::io) (socket.io-client's `cache`), keyed by scheme,
//! host, port and engine path. It holds Managers weakly: a Manager no socket uses any more
//! closes, and the next `io()` makes a new one.

use crate::prelude::*;
use alloc::rc::Weak;
use core::cell::RefCell;

use super::manager::{manager_of, ManagerInner};
use super::Manager;

std::thread_local! {
    static CACHE: RefCell<Vec<(String, Weak<ManagerInner>)>> = const { RefCell::new(Vec::new()) };
}

/// The live cached Manager of `key`.
pub(crate) fn get(key: &str) -> Option<Manager> {
    CACHE.with(|cache| {
        let cache = cache.borrow();
        cache
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, m)| manager_of(m))
    })
}

/// Caches `manager` under `key`.
pub(crate) fn put(key: String, manager: &Manager) {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        cache.retain(|(k, m)| *k != key && m.strong_count() > 0);
        cache.push((key, manager.downgrade()));
    });
}
