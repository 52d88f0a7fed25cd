//! A namespace socket: typed listeners, emits and its connection state.

use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::RefCell;
use core::time::Duration;

use futures_channel::mpsc;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::listeners::{Incoming, ListenerFn, Listeners, Subscription};
use super::payload::to_bytes;
use super::stream::{EventStream, StateStream};
use super::{
    AckRequest, AckSender, ConnectionState, DisconnectReason, Emitter, Error, Manager, Payload,
};
use crate::browser::CallError;
use crate::client::{ApiMisuse, EmitOptions, EmitOutcome, NspId};

/// A Socket.IO namespace socket on a [`Manager`]'s connection. Cloning gives another handle to
/// the same socket; when the last handle is dropped, the socket leaves its namespace (and the
/// Manager closes when nothing else holds it).
///
/// ```no_run
/// # fn demo() -> Result<(), socketio_wasm::api::Error> {
/// let socket = socketio_wasm::api::io("/chat")?;
/// let _news = socket.on("news", |(title, n): (String, u32)| { let _ = (title, n); });
/// socket.emit("hello", &"world")?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Socket {
    pub(crate) inner: Rc<SocketInner>,
}

pub(crate) struct SocketInner {
    pub(crate) manager: Manager,
    pub(crate) nsp: NspId,
    pub(crate) name: String,
    pub(crate) listeners: RefCell<Listeners>,
    state: RefCell<ConnectionState>,
    states: RefCell<Vec<mpsc::UnboundedSender<ConnectionState>>>,
    /// The CONNECT's auth payload (JSON object text).
    auth: RefCell<Option<String>>,
    /// Why the last connection attempt of the namespace failed.
    last_error: RefCell<Option<Error>>,
}

impl Drop for SocketInner {
    fn drop(&mut self) {
        let client = &self.manager.inner.client;
        if client.is_active(self.nsp) {
            let _ = client.disconnect(self.nsp);
        }
    }
}

impl SocketInner {
    pub(crate) fn new(manager: Manager, nsp: NspId, name: &str, auth: Option<String>) -> Self {
        Self {
            auth: RefCell::new(auth),
            manager,
            nsp,
            name: name.to_owned(),
            listeners: RefCell::new(Listeners::default()),
            state: RefCell::new(ConnectionState::Disconnected {
                reason: DisconnectReason::Closed(crate::client::CloseReason::ForcedClose),
            }),
            states: RefCell::new(Vec::new()),
            last_error: RefCell::new(None),
        }
    }

    /// Records a new state and tells the state streams (which wake their tasks later, never
    /// calling user code now).
    pub(crate) fn set_state(&self, state: ConnectionState) {
        if *self.state.borrow() == state {
            return;
        }
        self.state.replace(state.clone());
        self.states
            .borrow_mut()
            .retain(|tx| tx.unbounded_send(state.clone()).is_ok());
    }

    /// The auth payload of the next CONNECT.
    pub(crate) fn auth(&self) -> Option<String> {
        self.auth.borrow().clone()
    }

    /// Records why the namespace could not connect.
    pub(crate) fn connect_error(&self, error: Error) {
        self.last_error.replace(Some(error));
    }

    pub(crate) fn state(&self) -> ConnectionState {
        self.state.borrow().clone()
    }

    /// Hands an event of the server to the listeners.
    pub(crate) fn deliver(&self, name: &str, payload: &Payload, ack: Option<&AckSender>) {
        let listeners = self.listeners.borrow().of(name);
        let incoming = Incoming { name, payload, ack };
        super::listeners::call(listeners, &incoming);
    }

    /// Settles the future of ack `id`.
    pub(crate) fn settle(&self, id: u64, answer: Result<Payload, Error>) {
        let tx = self.listeners.borrow_mut().acks.remove(&id);
        if let Some(tx) = tx {
            let _ = tx.send(answer);
        }
    }
}

/// A handle that does not keep its socket alive (for listeners and UI state that should not
/// own the socket); [`WeakSocket::upgrade`] gives the socket while something else holds it.
///
/// ```no_run
/// # fn demo(socket: &socketio_wasm::api::Socket) {
/// let weak = socket.downgrade();
/// let _sub = socket.on("ping", move |(): ()| {
///     if let Some(socket) = weak.upgrade() { socket.emit("pong", &()).ok(); }
/// });
/// # }
/// ```
#[derive(Clone)]
pub struct WeakSocket(alloc::rc::Weak<SocketInner>);

impl WeakSocket {
    /// The socket, while a [`Socket`] handle still holds it.
    ///
    /// ```no_run
    /// # fn demo(weak: socketio_wasm::api::WeakSocket) {
    /// let alive = weak.upgrade().is_some();
    /// # }
    /// ```
    pub fn upgrade(&self) -> Option<Socket> {
        self.0.upgrade().map(|inner| Socket { inner })
    }
}

impl Socket {
    /// A [`WeakSocket`] of this socket.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// let weak = socket.downgrade();
    /// # }
    /// ```
    pub fn downgrade(&self) -> WeakSocket {
        WeakSocket(Rc::downgrade(&self.inner))
    }

    /// The Manager this socket runs on.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// let other = socket.manager().socket("/admin");
    /// # }
    /// ```
    pub fn manager(&self) -> &Manager {
        &self.inner.manager
    }

    /// The namespace, e.g. `"/chat"`.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// assert_eq!(socket.namespace(), "/");
    /// # }
    /// ```
    pub fn namespace(&self) -> &str {
        &self.inner.name
    }

    /// The namespace session id, while connected.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// if let Some(id) = socket.id() { let _ = id; }
    /// # }
    /// ```
    pub fn id(&self) -> Option<String> {
        self.inner.manager.inner.client.socket_id(self.inner.nsp)
    }

    /// Whether the namespace is connected.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// let online = socket.connected();
    /// # }
    /// ```
    pub fn connected(&self) -> bool {
        self.inner.manager.inner.client.is_connected(self.inner.nsp)
    }

    /// The connection state now.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// use socketio_wasm::api::ConnectionState;
    /// if let ConnectionState::Reconnecting { attempt, retry_in } = socket.state() { let _ = (attempt, retry_in); }
    /// # }
    /// ```
    pub fn state(&self) -> ConnectionState {
        self.inner.state()
    }

    /// Every change of the connection state, starting with the current one.
    ///
    /// ```no_run
    /// # async fn demo(socket: &socketio_wasm::api::Socket) {
    /// use futures_util::StreamExt;
    /// let mut states = socket.states();
    /// while let Some(state) = states.next().await { let _ = state; }
    /// # }
    /// ```
    pub fn states(&self) -> StateStream {
        let (tx, rx) = mpsc::unbounded();
        let _ = tx.unbounded_send(self.state());
        self.inner.states.borrow_mut().push(tx);
        StateStream::new(rx)
    }

    /// Waits until the namespace is connected: `Ok` at once when it is, [`Error::Refused`]
    /// when the server refuses it (e.g. bad auth), [`Error::Misuse`] when the socket is
    /// disconnected and not connecting.
    ///
    /// ```no_run
    /// # async fn demo(socket: &socketio_wasm::api::Socket) {
    /// match socket.wait_connected().await {
    ///     Ok(()) => {}
    ///     Err(socketio_wasm::api::Error::Refused { message, .. }) => { let _ = message; }
    ///     Err(other) => { let _ = other; }
    /// }
    /// # }
    /// ```
    pub async fn wait_connected(&self) -> Result<(), Error> {
        use futures_core::Stream;
        let mut states = self.states();
        loop {
            let next = core::future::poll_fn(|cx| core::pin::Pin::new(&mut states).poll_next(cx));
            match next.await {
                Some(ConnectionState::Connected { .. }) => return Ok(()),
                Some(ConnectionState::Disconnected { reason }) => {
                    let known = self.inner.last_error.borrow().clone();
                    match (known, reason) {
                        (
                            Some(error),
                            DisconnectReason::Refused(_) | DisconnectReason::Failed(_),
                        ) => return Err(error),
                        (
                            None,
                            DisconnectReason::Refused(message) | DisconnectReason::Failed(message),
                        ) => {
                            return Err(Error::Refused {
                                message,
                                data: None,
                            })
                        }
                        _ if !self.inner.manager.inner.client.is_active(self.inner.nsp) => {
                            return Err(Error::Misuse(ApiMisuse::UnknownSocket))
                        }
                        _ => {}
                    }
                }
                Some(_) => {}
                None => return Err(Error::Misuse(ApiMisuse::UnknownSocket)),
            }
        }
    }

    /// Sets the `auth` payload of the next CONNECT (every reconnection sends the value in
    /// force then, as with socket.io-client's `auth` function); it must serialize to a JSON
    /// object.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) -> Result<(), socketio_wasm::api::Error> {
    /// socket.set_auth(&serde_json::json!({ "nickname": "ada", "room": "lobby" }))?;
    /// # Ok(()) }
    /// ```
    pub fn set_auth<T: Serialize + ?Sized>(&self, auth: &T) -> Result<(), Error> {
        let text = super::payload::object_text(auth)?;
        self.inner.auth.replace(Some(text));
        Ok(())
    }

    /// Connects (again) after [`Socket::disconnect`], or when the Manager was built with
    /// `auto_connect(false)`.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// socket.connect();
    /// # }
    /// ```
    pub fn connect(&self) {
        if !self.inner.manager.inner.client.is_connected(self.inner.nsp) {
            self.inner.set_state(ConnectionState::Connecting);
        }
        let _ = self.inner.manager.inner.client.connect(self.inner.nsp);
    }

    /// Leaves the namespace (no reconnection); the connection closes when no socket is left.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// socket.disconnect();
    /// # }
    /// ```
    pub fn disconnect(&self) {
        let _ = self.inner.manager.inner.client.disconnect(self.inner.nsp);
    }

    /// Calls `f` with every `event` from the server, its arguments read as `T` by the arity
    /// rule of [`Payload::decode`] (a tuple for several). An event whose arguments do not
    /// deserialize into `T` is skipped by this listener (listen with
    /// `serde_json::Value`, or [`Socket::on_any`], to see everything).
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// #[derive(serde::Deserialize)]
    /// struct Message { from: String, text: String }
    /// let _messages = socket.on("message", |m: Message| { let _ = (m.from, m.text); });
    /// # }
    /// ```
    pub fn on<T, F>(&self, event: &str, mut f: F) -> Subscription
    where
        T: DeserializeOwned + 'static,
        F: FnMut(T) + 'static,
    {
        self.listen(Some(event), move |incoming| {
            if let Ok(value) = incoming.payload.decode::<T>() {
                f(value);
            }
        })
    }

    /// As [`Socket::on`], with the [`AckSender`] that answers the server when it asked for an
    /// acknowledgement (`None` when it did not).
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// let _q = socket.on_with_ack("question", |(a, b): (i32, i32), ack| {
    ///     if let Some(ack) = ack { ack.send(&(a + b)).ok(); }
    /// });
    /// # }
    /// ```
    pub fn on_with_ack<T, F>(&self, event: &str, mut f: F) -> Subscription
    where
        T: DeserializeOwned + 'static,
        F: FnMut(T, Option<AckSender>) + 'static,
    {
        self.listen(Some(event), move |incoming| {
            if let Ok(value) = incoming.payload.decode::<T>() {
                f(value, incoming.ack.cloned());
            }
        })
    }

    /// Calls `f` with the name and the [`Payload`] of every event from the server, before the
    /// event's own listeners.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// let _all = socket.on_any(|name, payload| { let _ = (name, payload.json()); });
    /// # }
    /// ```
    pub fn on_any<F>(&self, mut f: F) -> Subscription
    where
        F: FnMut(&str, &Payload) + 'static,
    {
        self.listen(None, move |incoming| f(incoming.name, incoming.payload))
    }

    /// Every `event` from the server as a stream of `T` (arity rule of [`Payload::decode`]);
    /// dropping the stream removes its listener.
    ///
    /// ```no_run
    /// # async fn demo(socket: &socketio_wasm::api::Socket) {
    /// use futures_util::StreamExt;
    /// let mut ticks = socket.stream::<u64>("tick");
    /// while let Some(n) = ticks.next().await { let _ = n; }
    /// # }
    /// ```
    pub fn stream<T: DeserializeOwned + 'static>(&self, event: &str) -> EventStream<T> {
        let (tx, rx) = mpsc::unbounded();
        let subscription = self.on(event, move |value: T| {
            let _ = tx.unbounded_send(value);
        });
        EventStream::new(rx, subscription)
    }

    /// Emits `event` with `data` as its one argument. While disconnected the packet waits in
    /// the send buffer and goes out once connected (again).
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) -> Result<(), socketio_wasm::api::Error> {
    /// socket.emit("chat message", &"hello")?;
    /// # Ok(()) }
    /// ```
    pub fn emit<T: Serialize + ?Sized>(&self, event: &str, data: &T) -> Result<(), Error> {
        self.flags().emit(event, data)
    }

    /// Emits `event` with each element of `args` (a tuple, or `()` for none) as an argument.
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) -> Result<(), socketio_wasm::api::Error> {
    /// socket.emit_args("move", &(10, 20))?;
    /// # Ok(()) }
    /// ```
    pub fn emit_args<T: Serialize + ?Sized>(&self, event: &str, args: &T) -> Result<(), Error> {
        self.flags().emit_args(event, args)
    }

    /// Emits `event` with `data` as its one argument and the server's acknowledgement as the
    /// answer, read as `R`; see [`AckRequest`].
    ///
    /// ```no_run
    /// # async fn demo(socket: &socketio_wasm::api::Socket) -> Result<(), socketio_wasm::api::Error> {
    /// let echoed: String = socket.emit_with_ack("echo", &"hi").await?;
    /// # Ok(()) }
    /// ```
    pub fn emit_with_ack<R: DeserializeOwned>(
        &self,
        event: &str,
        data: &impl Serialize,
    ) -> AckRequest<R> {
        self.flags().emit_with_ack(event, data)
    }

    /// Emits `event` with each element of `args` (a tuple) as an argument and the server's
    /// acknowledgement as the answer, read as `R`; see [`AckRequest`].
    ///
    /// ```no_run
    /// # async fn demo(socket: &socketio_wasm::api::Socket) -> Result<(), socketio_wasm::api::Error> {
    /// let length: u32 = socket.emit_with_ack_args("record", &("key", 42)).await?;
    /// # Ok(()) }
    /// ```
    pub fn emit_with_ack_args<R: DeserializeOwned>(
        &self,
        event: &str,
        args: &impl Serialize,
    ) -> AckRequest<R> {
        self.flags().emit_with_ack_args(event, args)
    }

    /// Flags for the next emit: volatile (dropped rather than buffered when it cannot be
    /// written now).
    ///
    /// ```no_run
    /// # fn demo(socket: &socketio_wasm::api::Socket) {
    /// socket.volatile().emit("cursor", &(1, 2)).ok();
    /// # }
    /// ```
    pub fn volatile(&self) -> Emitter<'_> {
        self.flags().volatile()
    }

    /// Flags for the next emit: an ack timeout.
    ///
    /// ```no_run
    /// # async fn demo(socket: &socketio_wasm::api::Socket) {
    /// let r = socket.timeout(core::time::Duration::from_secs(2)).emit_with_ack::<u8>("q", &()).await;
    /// # }
    /// ```
    pub fn timeout(&self, timeout: Duration) -> Emitter<'_> {
        self.flags().timeout(timeout)
    }

    fn flags(&self) -> Emitter<'_> {
        Emitter::new(self)
    }

    fn listen(&self, event: Option<&str>, f: impl FnMut(&Incoming<'_>) + 'static) -> Subscription {
        let listener: Rc<ListenerFn> = Rc::new(RefCell::new(f));
        Subscription::new(&self.inner, event.map(str::to_owned), listener)
    }

    /// Hands an emit's JSON array (taken as it is, not copied) and attachments to the core;
    /// the ack id when an answer will come.
    pub(crate) fn send(
        &self,
        data: String,
        attachments: Vec<Vec<u8>>,
        options: EmitOptions,
    ) -> Result<Option<u64>, Error> {
        crate::client::check_event_data(&data).map_err(Error::Misuse)?;
        self.inner
            .manager
            .inner
            .client
            .emit_with_outcome(self.inner.nsp, data.into(), to_bytes(attachments), options)
            .map(|(id, outcome)| id.filter(|_| outcome != EmitOutcome::Dropped))
            .map_err(|e| match e {
                CallError::Misuse(misuse) => Error::Misuse(misuse),
                CallError::Busy => Error::Misuse(ApiMisuse::UnknownSocket),
            })
    }
}
