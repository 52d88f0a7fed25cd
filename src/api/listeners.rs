//! A socket's listeners and the handles that remove them on drop.

use crate::prelude::*;
use alloc::collections::BTreeMap;
use alloc::rc::{Rc, Weak};
use core::cell::RefCell;
use futures_channel::oneshot;

use super::socket::SocketInner;
use super::{AckSender, Error, Payload};

/// One event as listeners see it.
pub(crate) struct Incoming<'a> {
    pub(crate) name: &'a str,
    pub(crate) payload: &'a Payload,
    pub(crate) ack: Option<&'a AckSender>,
}

/// A listener: owned by its [`Subscription`], seen by the socket through a weak reference, so
/// that a listener capturing its socket makes no reference cycle.
pub(crate) type ListenerFn = RefCell<dyn FnMut(&Incoming<'_>)>;

/// What a socket knows of its listeners and of the acks it waits for.
#[derive(Default)]
pub(crate) struct Listeners {
    next: u64,
    /// (id, the event name or `None` for every event, the listener).
    list: Vec<(u64, Option<String>, Weak<ListenerFn>)>,
    /// The emits waiting for an acknowledgement, by the core's ack handle.
    pub(crate) acks: BTreeMap<u64, oneshot::Sender<Result<Payload, Error>>>,
}

impl Listeners {
    /// Adds a listener of `event` (`None`: every event); returns its id.
    pub(crate) fn add(&mut self, event: Option<String>, listener: &Rc<ListenerFn>) -> u64 {
        self.next += 1;
        self.list.retain(|(_, _, f)| f.strong_count() > 0);
        self.list.push((self.next, event, Rc::downgrade(listener)));
        self.next
    }

    /// Removes listener `id`.
    pub(crate) fn remove(&mut self, id: u64) {
        self.list.retain(|(i, _, _)| *i != id);
    }

    /// The live listeners of `event`, in the order they were added (`on_any` listeners after
    /// the named ones, as socket.io-client calls them before).
    pub(crate) fn of(&self, event: &str) -> Vec<Rc<ListenerFn>> {
        let any = self.list.iter().filter(|(_, name, _)| name.is_none());
        let named = self
            .list
            .iter()
            .filter(|(_, name, _)| name.as_deref() == Some(event));
        any.chain(named)
            .filter_map(|(_, _, f)| f.upgrade())
            .collect()
    }
}

/// A listener's handle: the listener stays while the handle lives and is removed when it is
/// dropped. Keep it (e.g. in a component's state, or with `leptos::on_cleanup`) as long as the
/// listener should run.
///
/// ```no_run
/// # fn demo(socket: &socketio_wasm::api::Socket) {
/// let subscription = socket.on("news", |headline: String| web_sys_log(&headline));
/// // ... later: stop listening.
/// drop(subscription);
/// # }
/// # fn web_sys_log(_: &str) {}
/// ```
#[must_use = "the listener is removed when its Subscription is dropped"]
pub struct Subscription {
    socket: Weak<SocketInner>,
    id: u64,
    _listener: Rc<ListenerFn>,
}

impl Subscription {
    pub(crate) fn new(
        socket: &Rc<SocketInner>,
        event: Option<String>,
        listener: Rc<ListenerFn>,
    ) -> Self {
        let id = socket.listeners.borrow_mut().add(event, &listener);
        Self {
            socket: Rc::downgrade(socket),
            id,
            _listener: listener,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(socket) = self.socket.upgrade() {
            if let Ok(mut listeners) = socket.listeners.try_borrow_mut() {
                listeners.remove(self.id);
            }
        }
    }
}

/// Calls `listeners` with `incoming`; a listener already running (a re-entrant event) is
/// skipped. No borrow is held while they run.
pub(crate) fn call(listeners: Vec<Rc<ListenerFn>>, incoming: &Incoming<'_>) {
    for listener in listeners {
        if let Ok(mut f) = listener.try_borrow_mut() {
            f(incoming);
        }
    }
}
