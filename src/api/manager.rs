//! The Manager: one connection to a server, shared by the namespace sockets made on it.

use crate::prelude::*;
use alloc::rc::{Rc, Weak};
use core::cell::{Cell, RefCell};

use futures_channel::mpsc;

use super::options::SocketOptions;
use super::socket::SocketInner;
use super::stream::ManagerEvents;
use super::{ConnectionState, DisconnectReason, Error, Socket};
use crate::browser::{BrowserOptions, CallError, Client, EventSink};
use crate::client::{ApiMisuse, CloseReason, ManagerConfig, NspId, TransportKind};

/// Something that happened to a Manager's connection ([`Manager::events`]).
///
/// ```
/// use socketio_wasm::api::ManagerEvent;
/// assert_ne!(ManagerEvent::Open, ManagerEvent::ReconnectFailed);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ManagerEvent {
    /// The Engine.IO session opened.
    Open,
    /// Opening failed, with the official error message (e.g. `"xhr poll error"`).
    Error(String),
    /// A heartbeat from the server.
    Ping,
    /// The connection closed.
    Close(CloseReason),
    /// Reconnection attempt `n` (from 1) starts.
    ReconnectAttempt(u32),
    /// Reconnected after `n` attempts.
    Reconnect(u32),
    /// A reconnection attempt failed, with the official error message.
    ReconnectError(String),
    /// Reconnection gave up (`reconnection_attempts` reached).
    ReconnectFailed,
    /// The session now runs on this transport.
    Upgrade(TransportKind),
}

/// A connection to a server (socket.io-client's `Manager`), shared by every socket made with
/// [`Manager::socket`]. Cloning gives another handle; when the last handle (sockets hold one)
/// is dropped, the connection closes.
///
/// ```no_run
/// # fn demo() -> Result<(), socketio_wasm::api::Error> {
/// use socketio_wasm::api::Manager;
/// let manager = Manager::builder("https://example.com").reconnection_attempts(5).build()?;
/// let main = manager.socket("/")?;
/// let admin = manager.socket("/admin")?; // the same connection
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Manager {
    pub(crate) inner: Rc<ManagerInner>,
}

pub(crate) struct ManagerInner {
    pub(crate) client: Client,
    sockets: RefCell<Vec<(NspId, Weak<SocketInner>)>>,
    defaults: SocketOptions,
    auto_connect: bool,
    events: RefCell<Vec<mpsc::UnboundedSender<ManagerEvent>>>,
    /// The number of the next reconnection attempt.
    pub(crate) attempt: Cell<u32>,
}

impl Drop for ManagerInner {
    fn drop(&mut self) {
        self.client.close();
        self.client.shutdown();
    }
}

impl Manager {
    pub(crate) fn new(
        config: ManagerConfig,
        browser: BrowserOptions,
        defaults: SocketOptions,
        auto_connect: bool,
    ) -> Self {
        let inner = Rc::new_cyclic(|this: &Weak<ManagerInner>| {
            let this = this.clone();
            let client = Client::new(config, browser, move |_| -> EventSink {
                Rc::new(move |events, _source| {
                    if let Some(inner) = this.upgrade() {
                        super::dispatch::dispatch(&inner, events);
                    }
                })
            });
            ManagerInner {
                client,
                sockets: RefCell::new(Vec::new()),
                defaults,
                auto_connect,
                events: RefCell::new(Vec::new()),
                attempt: Cell::new(1),
            }
        });
        Self { inner }
    }

    /// The socket of namespace `nsp` on this connection: the live one when there is one, else
    /// a new one with the builder's socket options (`auth`, `retries`, `ack_timeout`), which
    /// connects unless the Manager was built with `auto_connect(false)`.
    ///
    /// ```no_run
    /// # fn demo(manager: &socketio_wasm::api::Manager) -> Result<(), socketio_wasm::api::Error> {
    /// let chat = manager.socket("/chat")?;
    /// # Ok(()) }
    /// ```
    pub fn socket(&self, nsp: &str) -> Result<Socket, Error> {
        if let Some(socket) = self.live_socket(nsp) {
            return Ok(socket);
        }
        let client = &self.inner.client;
        let defaults = &self.inner.defaults;
        // The auth is asked for before every CONNECT, so that Socket::set_auth applies to the
        // next (re)connection, as socket.io-client's `auth` function.
        let id = client.socket(nsp, true).map_err(call_error)?;
        client.configure_socket(id, defaults.retries, defaults.ack_timeout);
        let inner = Rc::new(SocketInner::new(
            self.clone(),
            id,
            nsp,
            defaults.auth.clone(),
        ));
        self.inner
            .sockets
            .borrow_mut()
            .retain(|(_, s)| s.strong_count() > 0);
        self.inner
            .sockets
            .borrow_mut()
            .push((id, Rc::downgrade(&inner)));
        let socket = Socket { inner };
        if self.inner.auto_connect {
            socket.connect();
        }
        Ok(socket)
    }

    /// Whether a live socket of namespace `nsp` is on this Manager.
    pub(crate) fn has_socket(&self, nsp: &str) -> bool {
        self.live_socket(nsp).is_some()
    }

    fn live_socket(&self, nsp: &str) -> Option<Socket> {
        let sockets = self.inner.sockets.borrow();
        sockets
            .iter()
            .filter_map(|(_, s)| s.upgrade())
            .find(|s| s.name == nsp)
            .map(|inner| Socket { inner })
    }

    pub(crate) fn socket_of(&self, nsp: NspId) -> Option<Rc<SocketInner>> {
        let sockets = self.inner.sockets.borrow();
        sockets
            .iter()
            .find(|(id, _)| *id == nsp)
            .and_then(|(_, s)| s.upgrade())
    }

    pub(crate) fn live_sockets(&self) -> Vec<Rc<SocketInner>> {
        let sockets = self.inner.sockets.borrow();
        sockets.iter().filter_map(|(_, s)| s.upgrade()).collect()
    }

    /// The Manager's events from now on, as a stream.
    ///
    /// ```no_run
    /// # async fn demo(manager: &socketio_wasm::api::Manager) {
    /// use futures_util::StreamExt;
    /// use socketio_wasm::api::ManagerEvent;
    /// let mut events = manager.events();
    /// while let Some(ManagerEvent::ReconnectAttempt(n)) = events.next().await { let _ = n; }
    /// # }
    /// ```
    pub fn events(&self) -> ManagerEvents {
        let (tx, rx) = mpsc::unbounded();
        self.inner.events.borrow_mut().push(tx);
        ManagerEvents::new(rx)
    }

    /// Opens the connection (sockets do it themselves when they connect).
    ///
    /// ```no_run
    /// # fn demo(manager: &socketio_wasm::api::Manager) {
    /// manager.open();
    /// # }
    /// ```
    pub fn open(&self) {
        self.inner.client.open();
    }

    /// Closes the connection and stops reconnecting; every socket disconnects.
    ///
    /// ```no_run
    /// # fn demo(manager: &socketio_wasm::api::Manager) {
    /// manager.close();
    /// # }
    /// ```
    pub fn close(&self) {
        self.inner.client.close();
    }

    /// Closes the connection as if it had been lost: reconnection follows (when enabled), and
    /// emits made meanwhile wait in the send buffer. For tests and "reconnect now" buttons.
    ///
    /// ```no_run
    /// # fn demo(manager: &socketio_wasm::api::Manager) {
    /// manager.drop_connection();
    /// # }
    /// ```
    pub fn drop_connection(&self) {
        self.inner.client.close_engine();
    }

    /// The transport in use, while connected.
    ///
    /// ```no_run
    /// # fn demo(manager: &socketio_wasm::api::Manager) {
    /// let websocket = manager.transport() == Some(socketio_wasm::client::TransportKind::WebSocket);
    /// # }
    /// ```
    pub fn transport(&self) -> Option<TransportKind> {
        self.inner.client.transport()
    }

    /// Whether the Manager is reconnecting.
    ///
    /// ```no_run
    /// # fn demo(manager: &socketio_wasm::api::Manager) {
    /// let busy = manager.reconnecting();
    /// # }
    /// ```
    pub fn reconnecting(&self) -> bool {
        self.inner.client.is_reconnecting()
    }

    /// Whether `self` and `other` are handles to the same Manager.
    ///
    /// ```no_run
    /// # fn demo(a: &socketio_wasm::api::Socket, b: &socketio_wasm::api::Socket) {
    /// let shared = a.manager().same(b.manager());
    /// # }
    /// ```
    pub fn same(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }

    pub(crate) fn downgrade(&self) -> Weak<ManagerInner> {
        Rc::downgrade(&self.inner)
    }

    pub(crate) fn tell(&self, event: ManagerEvent) {
        self.inner
            .events
            .borrow_mut()
            .retain(|tx| tx.unbounded_send(event.clone()).is_ok());
    }

    /// Every socket that is lost with the connection and will reconnect shows
    /// `Reconnecting`; the others are disconnected.
    pub(crate) fn lost(&self, sockets: &[Rc<SocketInner>], reason: CloseReason) {
        let reconnecting = self.inner.client.is_reconnecting();
        let retry_in = self.inner.client.reconnect_delay();
        for socket in sockets {
            let state = match retry_in {
                Some(retry_in) if reconnecting && self.inner.client.is_active(socket.nsp) => {
                    ConnectionState::Reconnecting {
                        attempt: self.inner.attempt.get(),
                        retry_in,
                    }
                }
                _ => ConnectionState::Disconnected {
                    reason: DisconnectReason::Closed(reason),
                },
            };
            socket.set_state(state);
        }
    }
}

impl Manager {
    pub(crate) fn from_inner(inner: Rc<ManagerInner>) -> Self {
        Self { inner }
    }
}

pub(crate) fn manager_of(weak: &Weak<ManagerInner>) -> Option<Manager> {
    weak.upgrade().map(|inner| Manager { inner })
}

fn call_error(e: CallError) -> Error {
    match e {
        CallError::Misuse(misuse) => Error::Misuse(misuse),
        CallError::Busy => Error::Misuse(ApiMisuse::UnknownSocket),
    }
}
