//! Routes the core's events to the sockets (listeners, acks, states) and to the Manager's
//! event streams.

use crate::prelude::*;
use alloc::rc::Rc;

use super::manager::ManagerInner;
use super::payload::from_bytes;
use super::{AckSender, ConnectionState, DisconnectReason, Error, Manager, ManagerEvent, Payload};
use crate::client::{CloseReason, ConnectError, ErrorKind, Event};
use crate::protocol::socket::split_event;

fn kind_message(kind: ErrorKind) -> String {
    kind.as_str().to_owned()
}

/// Routes the core's events to the sockets and the Manager's streams; runs after the client
/// released its borrow, so listeners may call back into it.
pub(crate) fn dispatch(inner: &Rc<ManagerInner>, events: Vec<Event>) {
    let manager = Manager::from_inner(inner.clone());
    for event in events {
        match event {
            Event::Open => manager.tell(ManagerEvent::Open),
            Event::Error(kind, _) => manager.tell(ManagerEvent::Error(kind_message(kind))),
            Event::Ping => manager.tell(ManagerEvent::Ping),
            Event::Upgrade(kind) => manager.tell(ManagerEvent::Upgrade(kind)),
            Event::Close {
                reason, sockets, ..
            } => {
                manager.inner.attempt.set(1);
                let lost: Vec<_> = sockets
                    .iter()
                    .filter_map(|n| manager.socket_of(*n))
                    .collect();
                manager.lost(&lost, reason);
                manager.tell(ManagerEvent::Close(reason));
            }
            Event::ReconnectAttempt(n) => {
                manager.inner.attempt.set(n);
                for socket in manager.live_sockets() {
                    if !manager.inner.client.is_connected(socket.nsp)
                        && manager.inner.client.is_active(socket.nsp)
                    {
                        socket.set_state(ConnectionState::Connecting);
                    }
                }
                manager.tell(ManagerEvent::ReconnectAttempt(n));
            }
            Event::ReconnectError(kind, _) => {
                manager
                    .inner
                    .attempt
                    .set(manager.inner.attempt.get().saturating_add(1));
                let waiting: Vec<_> = manager
                    .live_sockets()
                    .into_iter()
                    .filter(|s| manager.inner.client.is_active(s.nsp))
                    .collect();
                manager.lost(&waiting, CloseReason::TransportError);
                manager.tell(ManagerEvent::ReconnectError(kind_message(kind)));
            }
            Event::Reconnect(n) => manager.tell(ManagerEvent::Reconnect(n)),
            Event::ReconnectFailed => {
                for socket in manager.live_sockets() {
                    if !manager.inner.client.is_connected(socket.nsp) {
                        socket.set_state(ConnectionState::Disconnected {
                            reason: DisconnectReason::GaveUp,
                        });
                    }
                }
                manager.tell(ManagerEvent::ReconnectFailed);
            }
            Event::Connect(nsp) => {
                if let Some(socket) = manager.socket_of(nsp) {
                    let client = &manager.inner.client;
                    socket.set_state(ConnectionState::Connected {
                        id: client.socket_id(nsp).unwrap_or_default(),
                        recovered: client.is_recovered(nsp),
                    });
                }
            }
            Event::ConnectError(nsp, error) => {
                if let Some(socket) = manager.socket_of(nsp) {
                    let reason = match &error {
                        ConnectError::Server { message, .. } => {
                            Some(DisconnectReason::Refused(message.clone()))
                        }
                        // Nothing will retry: reconnection is off (the socket itself stays
                        // active, as in socket.io-client, and a connect() tries again).
                        other if !manager.inner.client.is_reconnecting() => {
                            Some(DisconnectReason::Failed(other.message().to_owned()))
                        }
                        _ => None,
                    };
                    socket.connect_error(Error::from(error));
                    if let Some(reason) = reason {
                        socket.set_state(ConnectionState::Disconnected { reason });
                    }
                }
            }
            Event::Disconnect(nsp, reason, _) => {
                if let Some(socket) = manager.socket_of(nsp) {
                    socket.set_state(ConnectionState::Disconnected {
                        reason: DisconnectReason::Closed(reason),
                    });
                }
            }
            Event::Message {
                nsp,
                data,
                attachments,
                ack,
            } => {
                let Some(socket) = manager.socket_of(nsp) else {
                    continue;
                };
                if let Some((name, args)) = split_event(&data) {
                    let payload = Payload::new(args.into_owned(), from_bytes(&attachments));
                    let ack =
                        ack.map(|id| AckSender::new(manager.inner.client.downgrade(), nsp, id));
                    socket.deliver(&name, &payload, ack.as_ref());
                }
            }
            Event::Ack {
                nsp,
                id,
                data,
                attachments,
                ..
            } => {
                if let Some(socket) = manager.socket_of(nsp) {
                    socket.settle(id, Ok(Payload::new(data, from_bytes(&attachments))));
                }
            }
            Event::AckError(nsp, id, error) => {
                if let Some(socket) = manager.socket_of(nsp) {
                    socket.settle(id, Err(error.into()));
                }
            }
            Event::AckDiscarded(nsp, id) => {
                if let Some(socket) = manager.socket_of(nsp) {
                    socket.settle(id, Err(Error::AckCut));
                }
            }
            Event::AuthRequest(nsp) => {
                if let Some(socket) = manager.socket_of(nsp) {
                    manager.inner.client.provide_auth(nsp, socket.auth());
                }
            }
            _ => {}
        }
    }
}
