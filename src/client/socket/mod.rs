//! One namespace (PROTOCOL.md §1.4, §1.6–§1.8): what comes in for it, the receive buffer for
//! events that arrive before CONNECT completes, acknowledgements and their deadlines, and the
//! disconnect. Joining (`connect.rs`), emitting outside the retry queue (`send_buffer.rs`), the
//! retry queue (`retry.rs`) and the caller's options (`options.rs`) have their own files.
//! Sans-IO: the Manager feeds it decoded packets and the time; its writes and events queue up
//! inside, in order, until the Manager drains them (`poll_effect`).

use crate::client::fifo::Fifo;
use crate::client::{Bytes, Json};
use crate::prelude::*;
use core::time::Duration;

mod connect;
mod options;
mod outbox;
mod retry;
mod send_buffer;

pub use options::{
    check_event_data, check_event_name, may_be_reserved, reserved_lengths, AckMode, ApiMisuse,
    EmitOptions, EmitOutcome,
};
pub use send_buffer::BufferedPacket;

use super::acks::{Acks, Waiter};
use super::event::{AckError, ConnectError, Event, NspId};
use super::reason::CloseReason;
use super::spare::ReleaseSpare;
use super::time::Instant;
use super::transport::Failure;
use crate::client::outbox::OutboxOp;
use crate::protocol::socket::{self as sio, Message, Packet, PacketKind};
use connect::{last_string_element, parse_connect_error, parse_connect_reply};
use outbox::OutboxState;
use retry::Queued;
use send_buffer::Buffered;

/// Every packet text a socket produces starts with the Engine.IO message type, so that the
/// engine can queue it without another copy.
const MESSAGE: &str = "4";

/// What a socket did, in order: a packet to write now (its Engine.IO message text, `4`
/// included, or an EVENT's or an ACK's header and JSON data; then its attachments), or an
/// event to report.
#[derive(Debug)]
pub(crate) enum Effect {
    Write(String, Option<Json>, Vec<Bytes>),
    Event(Event),
    /// Something for the persistent outbox's storage.
    Store(OutboxOp),
}

/// The Manager's view of the connection at the time of an emit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    /// The transport takes a packet now (the official `transport.writable`).
    pub(crate) writable: bool,
    /// The heartbeat deadline has not passed.
    pub(crate) ping_ok: bool,
}

/// The state of one namespace socket.
#[derive(Debug)]
pub(crate) struct Socket {
    pub(crate) id_num: NspId,
    pub(crate) nsp: String,
    /// Subscribed to the Manager: will connect when it opens, will reconnect.
    pub(crate) active: bool,
    pub(crate) connected: bool,
    /// The namespace session id from the CONNECT reply.
    pub(crate) sid: Option<String>,
    pub(crate) pid: Option<String>,
    pub(crate) last_offset: Option<String>,
    pub(crate) recovered: bool,
    /// The CONNECT payload as JSON object text (`auth`), when any.
    pub(crate) auth: Option<String>,
    send_buffer: Vec<Buffered>,
    receive_buffer: Fifo<Message<Bytes>>,
    acks: Acks,
    next_ack_id: u64,
    next_handle: u64,
    /// `retries`: when set, every non-volatile emit goes through the retry queue.
    pub(crate) retries: Option<u32>,
    /// `ackTimeout`: the default ack deadline (and that of queued packets).
    pub(crate) ack_timeout: Option<Duration>,
    queue: Fifo<Queued>,
    queue_seq: u64,
    /// `auth` is a function of the API layer: ask for it ([`Event::AuthRequest`]) at every
    /// CONNECT instead of using `auth`.
    pub(crate) auth_deferred: bool,
    /// An [`Event::AuthRequest`] is out; the CONNECT waits for its answer.
    pub(crate) awaiting_auth: bool,
    /// Report every packet written ([`Event::Outgoing`]): someone listens to outgoing packets.
    pub(crate) notify_outgoing: bool,
    buffer_seq: u64,
    /// The persistent outbox (`persist_outbox`).
    outbox: OutboxState,
    effects: Fifo<Effect>,
}

impl Socket {
    pub(crate) fn new(id_num: NspId, nsp: &str, auth: Option<String>) -> Self {
        Self {
            id_num,
            nsp: nsp.to_owned(),
            active: false,
            connected: false,
            sid: None,
            pid: None,
            last_offset: None,
            recovered: false,
            auth,
            send_buffer: Vec::new(),
            receive_buffer: Fifo::new(),
            acks: Acks::default(),
            next_ack_id: 0,
            next_handle: 0,
            retries: None,
            ack_timeout: None,
            queue: Fifo::new(),
            queue_seq: 0,
            auth_deferred: false,
            awaiting_auth: false,
            notify_outgoing: false,
            buffer_seq: 0,
            outbox: OutboxState::default(),
            effects: Fifo::new(),
        }
    }

    /// The next write or event, in the order they happened.
    pub(crate) fn poll_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    fn report(&mut self, event: Event) {
        self.effects.push_back(Effect::Event(event));
    }

    /// Writes a packet nobody listens to as outgoing (CONNECT, DISCONNECT).
    fn send(&mut self, text: String, attachments: Vec<Bytes>) {
        self.effects
            .push_back(Effect::Write(text, None, attachments));
    }

    /// Writes an EVENT (its header and its data), telling outgoing listeners first when there
    /// are any.
    fn write(&mut self, head: String, data: Json, attachments: Vec<Bytes>) {
        if self.notify_outgoing {
            self.report(Event::Outgoing {
                nsp: self.id_num,
                data: data.clone(),
                attachments: attachments.clone(),
            });
        }
        self.effects
            .push_back(Effect::Write(head, Some(data), attachments));
    }

    /// A decoded packet for this namespace.
    pub(crate) fn on_packet(&mut self, now: Instant, message: Message<Bytes>) {
        match message.kind {
            PacketKind::Connect => match parse_connect_reply(&message.data) {
                Some((sid, pid)) => self.on_connect(now, sid, pid),
                None => {
                    self.active = false;
                    self.report(Event::ConnectError(
                        self.id_num,
                        ConnectError::IncompatibleServer,
                    ));
                }
            },
            PacketKind::Event => {
                if self.connected {
                    self.deliver(message);
                } else {
                    self.receive_buffer.push_back(message);
                }
            }
            PacketKind::Ack => match message.id.and_then(|id| self.acks.remove(id)) {
                Some(Waiter::User { handle, with_error }) => self.report(Event::Ack {
                    nsp: self.id_num,
                    id: handle,
                    data: message.data,
                    attachments: message.attachments,
                    with_error,
                }),
                Some(Waiter::Queue(seq)) => {
                    self.on_queue_answer(now, seq, Ok((message.data, message.attachments)));
                }
                Some(Waiter::Restored(id)) => {
                    self.report_restored(id, Ok((message.data, message.attachments)));
                }
                None => {}
            },
            PacketKind::Disconnect => {
                self.active = false;
                self.on_close(now, CloseReason::ServerDisconnect, None);
            }
            PacketKind::ConnectError => {
                self.active = false;
                let error = parse_connect_error(&message.data);
                self.report(Event::ConnectError(self.id_num, error));
                if self.connected {
                    // Refused while connected (not what a real server does): the namespace is
                    // left, so it must not look connected, and its acks will never come.
                    self.on_manager_close(now);
                }
            }
        }
    }

    /// The CONNECT reply (PROTOCOL.md §1.7 `onconnect`): the receive buffer is replayed, the
    /// send buffer flushed and the retry queue's head sent, all before `connect`.
    fn on_connect(&mut self, now: Instant, sid: String, pid: Option<String>) {
        self.recovered = pid.is_some() && self.pid.is_some() && pid == self.pid;
        self.sid = Some(sid);
        if pid.is_some() {
            self.pid = pid;
        }
        self.connected = true;
        while let Some(message) = self.receive_buffer.pop_front() {
            self.deliver(message);
        }
        self.flush_send_buffer();
        self.drain_queue(now, true);
        self.report(Event::Connect(self.id_num));
    }

    fn deliver(&mut self, message: Message<Bytes>) {
        if self.pid.is_some() {
            if let Some(offset) = last_string_element(&message.data) {
                self.last_offset = Some(offset);
            }
        }
        self.report(Event::Message {
            nsp: self.id_num,
            data: message.data,
            attachments: message.attachments,
            ack: message.id,
        });
    }

    /// The server or the client disconnected this namespace: `disconnect(reason)`.
    pub(crate) fn on_close(&mut self, now: Instant, reason: CloseReason, failure: Option<Failure>) {
        self.report(Event::Disconnect(self.id_num, reason, failure));
        self.on_manager_close(now);
    }

    /// The Manager's connection closed: the `disconnect` is reported by the Manager's
    /// [`Event::Close`], which lists this socket; only the acks' fate follows.
    pub(crate) fn on_manager_close(&mut self, now: Instant) {
        self.connected = false;
        self.awaiting_auth = false;
        self.outbox_on_close();
        self.sid = None;
        self.clear_acks(now);
    }

    /// Acks of packets already sent will not come: error-first callbacks get an error, plain
    /// ones are discarded. Acks of packets still in the send buffer are kept (PROTOCOL.md §1.6).
    fn clear_acks(&mut self, now: Instant) {
        // Sorted by insertion (binary search for the place) rather than `sort_unstable`, whose
        // quicksort for `u64` costs 3 KB of wasm. The buffer is in emit order and ack ids are
        // given at emit, so each id lands at the end: linear for the thousands an offline
        // burst can buffer (quadratic only for an order that does not happen).
        let mut buffered: Vec<u64> = Vec::new();
        for id in self.send_buffer.iter().filter_map(|p| p.id) {
            let at = buffered.partition_point(|&other| other < id);
            buffered.insert(at, id);
        }
        for (_, waiter) in self.acks.drain_except(&buffered) {
            match waiter {
                Waiter::User {
                    handle,
                    with_error: true,
                } => self.report(Event::AckError(self.id_num, handle, AckError::Disconnected)),
                Waiter::User { handle, .. } => {
                    self.report(Event::AckDiscarded(self.id_num, handle));
                }
                Waiter::Queue(seq) => self.on_queue_answer(now, seq, Err(AckError::Disconnected)),
                Waiter::Restored(id) => self.report_restored(id, Err(AckError::Disconnected)),
            }
        }
    }

    /// Emits `[name, ...args]` (the caller checked the name: [`check_event_name`]). With
    /// `retries` set, non-volatile emits go through the retry queue (their ack is error-first);
    /// the others are sent, buffered or dropped at once.
    pub(crate) fn emit(
        &mut self,
        now: Instant,
        data: Json,
        attachments: Vec<Bytes>,
        options: EmitOptions,
        link: Link,
    ) -> (Option<u64>, EmitOutcome) {
        if self.retries.is_none() || options.volatile {
            self.send_event(now, data, attachments, options, link)
        } else {
            self.enqueue(now, data, attachments, options)
        }
    }

    /// A fresh ack id on the wire.
    fn new_ack_id(&mut self) -> u64 {
        let id = self.next_ack_id;
        self.next_ack_id += 1;
        id
    }

    /// A fresh id for a user's ack callback (separate from the ack ids on the wire, which
    /// retried packets use up).
    fn new_handle(&mut self) -> u64 {
        let handle = self.next_handle;
        self.next_handle += 1;
        handle
    }

    /// The header of an EVENT ([`Socket::head`]).
    fn event_head(&self, id: Option<u64>, attachments: usize) -> String {
        self.head(PacketKind::Event, id, attachments)
    }

    /// The header of an EVENT or an ACK (`42/nsp,id`, `43/nsp,id`, or with attachments `45`
    /// and their count, `46`): what the core writes of an emit or an ack; the JSON data follows
    /// it unread.
    fn head(&self, kind: PacketKind, id: Option<u64>, attachments: usize) -> String {
        let mut text = String::with_capacity(self.nsp.len() + 24);
        text.push_str(MESSAGE);
        sio::encode(
            &Packet {
                kind,
                nsp: &self.nsp,
                id,
                attachments,
                data: "",
            },
            &mut text,
        );
        text
    }

    /// Gives back the capacity a burst left in the buffers and the ack map.
    pub(crate) fn release_spare(&mut self) {
        self.send_buffer.release_spare();
        self.receive_buffer.release_spare();
        self.queue.compact();
        self.queue.release_spare();
        self.acks.release_spare();
        self.effects.release_spare();
    }

    /// The earliest ack deadline.
    pub(crate) fn next_ack_deadline(&self) -> Option<Instant> {
        self.acks.next_deadline()
    }

    /// Times out the acks whose deadline has passed; their packets leave the send buffer.
    pub(crate) fn handle_timeout(&mut self, now: Instant) {
        while let Some((id, waiter)) = self.acks.pop_expired(now) {
            self.drop_buffered_ack(id);
            match waiter {
                Waiter::User { handle, .. } => {
                    self.report(Event::AckError(self.id_num, handle, AckError::Timeout));
                }
                Waiter::Queue(seq) => self.on_queue_answer(now, seq, Err(AckError::Timeout)),
                Waiter::Restored(id) => self.report_restored(id, Err(AckError::Timeout)),
            }
        }
    }

    /// `socket.disconnect()`: writes the DISCONNECT when connected; returns whether it was.
    pub(crate) fn send_disconnect(&mut self) -> bool {
        if !self.connected {
            return false;
        }
        let mut text = String::from(MESSAGE);
        sio::encode(
            &Packet {
                kind: PacketKind::Disconnect,
                nsp: &self.nsp,
                id: None,
                attachments: 0,
                data: "",
            },
            &mut text,
        );
        self.send(text, Vec::new());
        true
    }

    /// Answers the server's event `id` (the listener called its ack function).
    pub(crate) fn send_ack(&mut self, id: u64, data: Json, attachments: Vec<Bytes>) {
        let head = self.head(PacketKind::Ack, Some(id), attachments.len());
        self.effects
            .push_back(Effect::Write(head, Some(data), attachments));
    }
}
