//! Streams of events, connection states and Manager events (`futures_core::Stream`; use them
//! with `futures::StreamExt`, or hand them to a UI framework's signal).

use core::pin::Pin;
use core::task::{Context, Poll};

use futures_channel::mpsc::UnboundedReceiver;
use futures_core::Stream;

use super::listeners::Subscription;
use super::{ConnectionState, ManagerEvent};

/// The values of one event from the server ([`Socket::stream`](super::Socket::stream)); its
/// listener is removed when the stream is dropped.
///
/// ```no_run
/// # async fn demo(socket: &socketio_wasm::api::Socket) {
/// use futures_util::StreamExt;
/// let first: Option<String> = socket.stream("news").next().await;
/// # }
/// ```
pub struct EventStream<T> {
    rx: UnboundedReceiver<T>,
    _subscription: Subscription,
}

impl<T> EventStream<T> {
    pub(crate) fn new(rx: UnboundedReceiver<T>, subscription: Subscription) -> Self {
        Self {
            rx,
            _subscription: subscription,
        }
    }
}

impl<T> Stream for EventStream<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        Pin::new(&mut self.rx).poll_next(cx)
    }
}

/// The connection states of a socket ([`Socket::states`](super::Socket::states)), the current
/// one first.
///
/// ```no_run
/// # async fn demo(socket: &socketio_wasm::api::Socket) {
/// use futures_util::StreamExt;
/// let now = socket.states().next().await;
/// # }
/// ```
pub struct StateStream {
    rx: UnboundedReceiver<ConnectionState>,
}

impl StateStream {
    pub(crate) fn new(rx: UnboundedReceiver<ConnectionState>) -> Self {
        Self { rx }
    }
}

impl Stream for StateStream {
    type Item = ConnectionState;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.rx).poll_next(cx)
    }
}

/// The events of a Manager ([`Manager::events`](super::Manager::events)) from the moment the
/// stream is made; it ends when the Manager is gone.
///
/// ```no_run
/// # async fn demo(manager: &socketio_wasm::api::Manager) {
/// use futures_util::StreamExt;
/// let mut events = manager.events();
/// while let Some(event) = events.next().await { let _ = event; }
/// # }
/// ```
pub struct ManagerEvents {
    rx: UnboundedReceiver<ManagerEvent>,
}

impl ManagerEvents {
    pub(crate) fn new(rx: UnboundedReceiver<ManagerEvent>) -> Self {
        Self { rx }
    }
}

impl Stream for ManagerEvents {
    type Item = ManagerEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.rx).poll_next(cx)
    }
}
