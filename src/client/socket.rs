//! One namespace (PROTOCOL.md §1.4, §1.6–§1.8): CONNECT with auth, the send buffer for emits
//! made while disconnected, the receive buffer for events that arrive before CONNECT
//! completes, acknowledgements and their deadlines, volatile emits. Sans-IO: the Manager feeds
//! it decoded packets and the time; it writes packets into an [`Out`] and reports [`Event`]s.

use crate::prelude::*;
use alloc::collections::VecDeque;
use core::time::Duration;

use super::acks::{Acks, Waiter};
use super::event::{AckError, ConnectError, Event, NspId};
use super::reason::CloseReason;
use super::spare::ReleaseSpare;
use super::time::Instant;
use super::transport::Failure;
use crate::protocol::json::{Kind, Scanner};
use crate::protocol::socket::{self as sio, Message, Packet, PacketKind, RESERVED_EVENTS};

/// Every packet text a socket produces starts with the Engine.IO message type, so that the
/// engine can queue it without another copy.
const MESSAGE: &str = "4";

/// Where a socket's effects go: packets to write now (Engine.IO message texts, `4` included,
/// with their attachments), events to report.
pub(crate) struct Out<'a> {
    /// The time of the input being handled; deadlines set now count from it.
    pub(crate) now: Instant,
    pub(crate) writes: &'a mut Vec<(String, Vec<Vec<u8>>)>,
    pub(crate) events: &'a mut VecDeque<Event>,
}

/// The Manager's view of the connection at the time of an emit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    /// The transport takes a packet now (the official `transport.writable`).
    pub(crate) writable: bool,
    /// The heartbeat deadline has not passed.
    pub(crate) ping_ok: bool,
}

/// How an emit wants its answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AckMode {
    /// No acknowledgement.
    #[default]
    None,
    /// A plain callback: called with the server's answer, dropped on disconnect.
    Callback,
    /// A callback known to be error-first (`emitWithAck`). A [`AckMode::Callback`] is also
    /// made error-first when a timeout applies (`timeout(ms)` or the socket's `ackTimeout`)
    /// or the emit goes through the `retries` queue; [`Event::Ack`]'s `with_error` tells.
    ErrorFirst,
}

/// Flags of one emit (`socket.timeout(ms).volatile.emit(...)`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmitOptions {
    /// Whether and how the server's acknowledgement is wanted.
    pub ack: AckMode,
    /// Drop instead of buffering when the transport cannot take it now.
    pub volatile: bool,
    /// Give up waiting for the ack after this long (`timeout(ms)`); `None` takes the
    /// socket's `ackTimeout`. Either makes the callback error-first.
    pub timeout: Option<Duration>,
}

/// A caller's mistake, returned by the API instead of panicking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiMisuse {
    /// The event name is reserved (`connect`, `disconnect`, ...).
    ReservedEventName,
    /// The event data is not a JSON array starting with a string or number name.
    BadEventData,
    /// No socket has this id.
    UnknownSocket,
}

impl ApiMisuse {
    /// A short English description.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ReservedEventName => "this event name is reserved",
            Self::BadEventData => "event data must be a JSON array starting with the event name",
            Self::UnknownSocket => "no socket has this id",
        }
    }
}

impl core::fmt::Display for ApiMisuse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::error::Error for ApiMisuse {}

/// What happened to one emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmitOutcome {
    /// Written to the transport now.
    Sent,
    /// Kept in the send buffer until the namespace connects.
    Buffered,
    /// Volatile and the transport was not ready: dropped.
    Dropped,
}

#[derive(Debug, Clone)]
struct Buffered {
    /// A number that stays with the packet while it waits, for the API's `sendBuffer`.
    seq: u64,
    /// The wire ack id, when an ack is wanted.
    id: Option<u64>,
    text: String,
    /// Where the JSON data starts in `text`.
    data_start: usize,
    attachments: Vec<Vec<u8>>,
}

impl Buffered {
    fn data(&self) -> &str {
        self.text.get(self.data_start..).unwrap_or("")
    }
}

/// A packet of the send buffer as the API shows it (`socket.sendBuffer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BufferedPacket {
    /// Identifies the packet while it waits (for [`super::Manager::retain_send_buffer`]).
    pub seq: u64,
    /// `[name, ...args]` as JSON text, binary as placeholders.
    pub data: String,
    /// Whether the emit asked for an acknowledgement.
    pub wants_ack: bool,
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
    send_buffer: VecDeque<Buffered>,
    receive_buffer: VecDeque<Message>,
    acks: Acks,
    next_ack_id: u64,
    next_handle: u64,
    /// `retries`: when set, every non-volatile emit goes through the retry queue.
    pub(crate) retries: Option<u32>,
    /// `ackTimeout`: the ack deadline of queued packets.
    pub(crate) ack_timeout: Option<Duration>,
    queue: VecDeque<Queued>,
    queue_seq: u64,
    /// `auth` is a function of the API layer: ask for it ([`Event::AuthRequest`]) at every
    /// CONNECT instead of using `auth`.
    pub(crate) auth_deferred: bool,
    /// An [`Event::AuthRequest`] is out; the CONNECT waits for its answer.
    pub(crate) awaiting_auth: bool,
    /// Report every packet written ([`Event::Outgoing`]): someone listens to outgoing packets.
    pub(crate) notify_outgoing: bool,
    buffer_seq: u64,
}

/// A packet of the retry queue (PROTOCOL.md §1.6): sent one at a time, each waiting for its
/// ack, retried until `tries > retries`.
#[derive(Debug)]
struct Queued {
    seq: u64,
    data: String,
    attachments: Vec<Vec<u8>>,
    tries: u32,
    pending: bool,
    /// The id the user's callback was given, when the user asked for an ack.
    user_ack: Option<u64>,
    /// The emit's own `timeout(ms)`, which overrides `ackTimeout` for each try.
    timeout: Option<Duration>,
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
            send_buffer: VecDeque::new(),
            receive_buffer: VecDeque::new(),
            acks: Acks::default(),
            next_ack_id: 0,
            next_handle: 0,
            retries: None,
            ack_timeout: None,
            queue: VecDeque::new(),
            queue_seq: 0,
            auth_deferred: false,
            awaiting_auth: false,
            notify_outgoing: false,
            buffer_seq: 0,
        }
    }

    /// Packets waiting in the send buffer.
    pub(crate) fn send_buffer_len(&self) -> usize {
        self.send_buffer.len()
    }

    /// The Manager's connection is open: ask to join the namespace, or first ask the API layer
    /// for the auth payload when it comes from a function.
    pub(crate) fn on_open(&mut self, out: &mut Out<'_>) {
        if self.connected {
            return;
        }
        if self.auth_deferred {
            self.awaiting_auth = true;
            out.events.push_back(Event::AuthRequest(self.id_num));
            return;
        }
        self.send_connect(out);
    }

    /// The answer to an [`Event::AuthRequest`]: sends the CONNECT that waited for it.
    pub(crate) fn provide_auth(&mut self, auth: Option<String>, out: &mut Out<'_>) {
        if !self.awaiting_auth {
            return;
        }
        self.awaiting_auth = false;
        self.auth = auth;
        self.send_connect(out);
    }

    fn send_connect(&self, out: &mut Out<'_>) {
        let data = match (&self.pid, &self.last_offset) {
            (Some(pid), offset) => recovery_payload(pid, offset.as_deref(), self.auth.as_deref()),
            _ => self.auth.clone().unwrap_or_default(),
        };
        let mut text = String::from(MESSAGE);
        let kind = PacketKind::Connect;
        sio::encode(
            &Packet {
                kind,
                nsp: &self.nsp,
                id: None,
                attachments: 0,
                data: &data,
            },
            &mut text,
        );
        out.writes.push((text, Vec::new()));
    }

    /// The packets waiting in the send buffer, oldest first.
    pub(crate) fn send_buffer(&self) -> Vec<BufferedPacket> {
        let packet = |b: &Buffered| BufferedPacket {
            seq: b.seq,
            data: b.data().to_owned(),
            wants_ack: b.id.is_some(),
        };
        self.send_buffer.iter().map(packet).collect()
    }

    /// Keeps only the buffered packets in `keep` (`socket.sendBuffer = [...]`); the acks of the
    /// others stay registered, as in the official client.
    pub(crate) fn retain_send_buffer(&mut self, keep: &[u64]) {
        self.send_buffer.retain(|b| keep.contains(&b.seq));
    }

    /// Writes a packet, telling outgoing listeners first when there are any.
    fn write(&self, text: String, data_start: usize, attachments: Vec<Vec<u8>>, out: &mut Out<'_>) {
        if self.notify_outgoing {
            out.events.push_back(Event::Outgoing {
                nsp: self.id_num,
                data: text.get(data_start..).unwrap_or("").to_owned(),
                attachments: attachments.clone(),
            });
        }
        out.writes.push((text, attachments));
    }

    /// A decoded packet for this namespace.
    pub(crate) fn on_packet(&mut self, message: Message, out: &mut Out<'_>) {
        match message.kind {
            PacketKind::Connect => match parse_connect_reply(&message.data) {
                Some((sid, pid)) => self.on_connect(sid, pid, out),
                None => {
                    self.active = false;
                    out.events.push_back(Event::ConnectError(
                        self.id_num,
                        ConnectError::IncompatibleServer,
                    ));
                }
            },
            PacketKind::Event => {
                if self.connected {
                    self.deliver(message, out);
                } else {
                    self.receive_buffer.push_back(message);
                }
            }
            PacketKind::Ack => match message.id.and_then(|id| Some((id, self.acks.remove(id)?))) {
                Some((_, Waiter::User { handle, with_error })) => {
                    out.events.push_back(Event::Ack {
                        nsp: self.id_num,
                        id: handle,
                        data: message.data,
                        attachments: message.attachments,
                        with_error,
                    })
                }
                Some((_, Waiter::Queue(seq))) => {
                    self.on_queue_answer(seq, Ok((message.data, message.attachments)), out);
                }
                None => {}
            },
            PacketKind::Disconnect => {
                self.active = false;
                self.on_close(CloseReason::ServerDisconnect, None, out);
            }
            PacketKind::ConnectError => {
                self.active = false;
                let error = parse_connect_error(&message.data);
                out.events
                    .push_back(Event::ConnectError(self.id_num, error));
            }
        }
    }

    fn on_connect(&mut self, sid: String, pid: Option<String>, out: &mut Out<'_>) {
        self.recovered = pid.is_some() && self.pid.is_some() && pid == self.pid;
        self.sid = Some(sid);
        if pid.is_some() {
            self.pid = pid;
        }
        self.connected = true;
        while let Some(message) = self.receive_buffer.pop_front() {
            self.deliver(message, out);
        }
        for packet in core::mem::take(&mut self.send_buffer) {
            self.write(packet.text, packet.data_start, packet.attachments, out);
        }
        self.drain_queue(true, out);
        out.events.push_back(Event::Connect(self.id_num));
    }

    fn deliver(&mut self, message: Message, out: &mut Out<'_>) {
        if self.pid.is_some() {
            if let Some(offset) = last_string_element(&message.data) {
                self.last_offset = Some(offset);
            }
        }
        out.events.push_back(Event::Message {
            nsp: self.id_num,
            data: message.data,
            attachments: message.attachments,
            ack: message.id,
        });
    }

    /// The server or the client disconnected this namespace: `disconnect(reason)`.
    pub(crate) fn on_close(
        &mut self,
        reason: CloseReason,
        failure: Option<Failure>,
        out: &mut Out<'_>,
    ) {
        out.events
            .push_back(Event::Disconnect(self.id_num, reason, failure));
        self.on_manager_close(out);
    }

    /// The Manager's connection closed: the `disconnect` is reported by the Manager's
    /// [`Event::Close`], which lists this socket; only the acks' fate follows.
    pub(crate) fn on_manager_close(&mut self, out: &mut Out<'_>) {
        self.connected = false;
        self.awaiting_auth = false;
        self.sid = None;
        self.clear_acks(out);
    }

    /// Acks of packets already sent will not come: error-first callbacks get an error, plain
    /// ones are discarded. Acks of packets still in the send buffer are kept (PROTOCOL.md §1.6).
    fn clear_acks(&mut self, out: &mut Out<'_>) {
        let mut buffered: Vec<u64> = self.send_buffer.iter().filter_map(|p| p.id).collect();
        buffered.sort_unstable();
        for (_, waiter) in self.acks.drain_except(&buffered) {
            match waiter {
                Waiter::User {
                    handle,
                    with_error: true,
                } => out.events.push_back(Event::AckError(
                    self.id_num,
                    handle,
                    AckError::Disconnected,
                )),
                Waiter::User { handle, .. } => {
                    out.events
                        .push_back(Event::AckDiscarded(self.id_num, handle));
                }
                Waiter::Queue(seq) => self.on_queue_answer(seq, Err(AckError::Disconnected), out),
            }
        }
    }

    /// Emits `[name, ...args]`. With `retries` set, non-volatile emits go through the retry
    /// queue (their ack is error-first); otherwise see [`Socket::send_event`].
    pub(crate) fn emit(
        &mut self,
        now: Instant,
        data: &str,
        attachments: Vec<Vec<u8>>,
        options: EmitOptions,
        link: Link,
        out: &mut Out<'_>,
    ) -> Result<(Option<u64>, EmitOutcome), ApiMisuse> {
        check_event_data(data)?;
        if self.retries.is_none() || options.volatile {
            return Ok(self.send_event(now, data, attachments, options, link, out));
        }
        let user_ack = (options.ack != AckMode::None).then(|| self.new_handle());
        self.queue.push_back(Queued {
            seq: self.queue_seq,
            data: data.to_owned(),
            attachments,
            tries: 0,
            pending: false,
            user_ack,
            timeout: options.timeout,
        });
        self.queue_seq += 1;
        let before = self.send_buffer.len();
        self.drain_queue(false, out);
        let outcome = if !self.connected || self.send_buffer.len() > before {
            EmitOutcome::Buffered
        } else {
            EmitOutcome::Sent
        };
        Ok((user_ack, outcome))
    }

    /// Encodes one EVENT and decides as the official client does: volatile and not writable →
    /// drop; connected and the ping deadline not passed → send; otherwise → the send buffer.
    fn send_event(
        &mut self,
        now: Instant,
        data: &str,
        attachments: Vec<Vec<u8>>,
        options: EmitOptions,
        link: Link,
        out: &mut Out<'_>,
    ) -> (Option<u64>, EmitOutcome) {
        let (id, handle) = match options.ack {
            AckMode::None => (None, None),
            mode => {
                let id = self.next_ack_id;
                self.next_ack_id += 1;
                let handle = self.new_handle();
                // socket.io-client: `const timeout = this.flags.timeout ?? this._opts.ackTimeout`.
                let timeout = options.timeout.or(self.ack_timeout);
                let with_error = mode == AckMode::ErrorFirst || timeout.is_some();
                let waiter = Waiter::User { handle, with_error };
                self.acks.insert(id, waiter, timeout.map(|t| now + t));
                (Some(id), Some(handle))
            }
        };
        let text = self.event_packet(id, data, attachments.len());
        let data_start = text.len() - data.len();
        let outcome = if options.volatile && !link.writable {
            EmitOutcome::Dropped
        } else if self.connected && link.ping_ok {
            self.write(text, data_start, attachments, out);
            EmitOutcome::Sent
        } else {
            let seq = self.buffer_seq;
            self.buffer_seq += 1;
            self.send_buffer.push_back(Buffered {
                seq,
                id,
                text,
                data_start,
                attachments,
            });
            EmitOutcome::Buffered
        };
        (handle, outcome)
    }

    /// A fresh id for a user's ack callback (separate from the ack ids on the wire, which
    /// retried packets use up).
    fn new_handle(&mut self) -> u64 {
        let handle = self.next_handle;
        self.next_handle += 1;
        handle
    }

    fn event_packet(&self, id: Option<u64>, data: &str, attachments: usize) -> String {
        let mut text = String::with_capacity(data.len() + self.nsp.len() + 8);
        text.push_str(MESSAGE);
        let kind = PacketKind::Event;
        sio::encode(
            &Packet {
                kind,
                nsp: &self.nsp,
                id,
                attachments,
                data,
            },
            &mut text,
        );
        text
    }

    /// Sends the head of the retry queue unless it already waits for its ack (`force`: send it
    /// again anyway, as on connect).
    fn drain_queue(&mut self, force: bool, out: &mut Out<'_>) {
        if !self.connected {
            return;
        }
        let Some(head) = self.queue.front_mut() else {
            return;
        };
        if head.pending && !force {
            return;
        }
        head.pending = true;
        head.tries = head.tries.saturating_add(1);
        let (seq, data, attachments) = (head.seq, head.data.clone(), head.attachments.clone());
        let deadline = head.timeout.or(self.ack_timeout).map(|t| out.now + t);
        let id = self.next_ack_id;
        self.next_ack_id += 1;
        self.acks.insert(id, Waiter::Queue(seq), deadline);
        let text = self.event_packet(Some(id), &data, attachments.len());
        let data_start = text.len() - data.len();
        self.write(text, data_start, attachments, out);
    }

    /// The queued packet `seq` got its answer, or an error: done, retried, or given up.
    fn on_queue_answer(
        &mut self,
        seq: u64,
        answer: Result<(String, Vec<Vec<u8>>), AckError>,
        out: &mut Out<'_>,
    ) {
        let Some(head) = self.queue.front_mut() else {
            return;
        };
        if head.seq != seq {
            return; // an older try of a packet already acknowledged
        }
        head.pending = false;
        let retries = self.retries.unwrap_or(0);
        match answer {
            Ok((data, attachments)) => {
                let user_ack = head.user_ack;
                self.queue.pop_front();
                if let Some(id) = user_ack {
                    out.events.push_back(Event::Ack {
                        nsp: self.id_num,
                        id,
                        data,
                        attachments,
                        with_error: true, // queued emits always answer error-first
                    });
                }
            }
            Err(error) if head.tries > retries => {
                let user_ack = head.user_ack;
                self.queue.pop_front();
                if let Some(id) = user_ack {
                    out.events
                        .push_back(Event::AckError(self.id_num, id, error));
                }
            }
            Err(_) => {}
        }
        self.drain_queue(false, out);
    }

    /// Gives back the capacity a burst left in the buffers and the ack map.
    pub(crate) fn release_spare(&mut self) {
        self.send_buffer.release_spare();
        self.receive_buffer.release_spare();
        self.queue.release_spare();
        self.acks.release_spare();
    }

    /// The earliest ack deadline.
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        self.acks.next_deadline()
    }

    /// Times out the acks whose deadline has passed; their packets leave the send buffer.
    pub(crate) fn handle_timeout(&mut self, now: Instant, out: &mut Out<'_>) {
        while let Some((id, waiter)) = self.acks.pop_expired(now) {
            self.send_buffer.retain(|p| p.id != Some(id));
            match waiter {
                Waiter::User { handle, .. } => {
                    out.events
                        .push_back(Event::AckError(self.id_num, handle, AckError::Timeout));
                }
                Waiter::Queue(seq) => self.on_queue_answer(seq, Err(AckError::Timeout), out),
            }
        }
    }

    /// Leaves the namespace: returns the DISCONNECT packet to send when connected.
    pub(crate) fn disconnect_packet(&self) -> Option<String> {
        if !self.connected {
            return None;
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
        Some(text)
    }

    /// The ACK packet answering the server's event `id`.
    pub(crate) fn ack_packet(&self, id: u64, data: &str, attachments: usize) -> String {
        let mut text = String::from(MESSAGE);
        sio::encode(
            &Packet {
                kind: PacketKind::Ack,
                nsp: &self.nsp,
                id: Some(id),
                attachments,
                data,
            },
            &mut text,
        );
        text
    }
}

/// Checks the data of an emit: a JSON array whose first element is the event name (a string
/// that is not reserved, or a number). The emit does the same check; the API layer calls this
/// before an emit whose payload it completes later, so a reserved name still fails at once.
pub fn check_event_data(data: &str) -> Result<(), ApiMisuse> {
    let mut s = Scanner::new(data);
    s.expect(b'[').map_err(|_| ApiMisuse::BadEventData)?;
    match s.peek_kind() {
        Some(Kind::String) => {
            let name = s.string().map_err(|_| ApiMisuse::BadEventData)?;
            if RESERVED_EVENTS.contains(&name.as_str()) {
                return Err(ApiMisuse::ReservedEventName);
            }
            Ok(())
        }
        Some(Kind::Number) => Ok(()),
        _ => Err(ApiMisuse::BadEventData),
    }
}

/// `{"sid":..,"pid":..}` of a CONNECT reply; `None` when there is no string `sid` (a v2 server).
fn parse_connect_reply(data: &str) -> Option<(String, Option<String>)> {
    let (mut sid, mut pid) = (None, None);
    Scanner::new(data)
        .object(|key, s| {
            match (key, s.peek_kind()) {
                ("sid", Some(Kind::String)) => sid = Some(s.string()?),
                ("pid", Some(Kind::String)) => pid = Some(s.string()?),
                _ => {
                    s.raw_value()?;
                }
            }
            Ok(())
        })
        .ok()?;
    Some((sid?, pid))
}

/// `{"message":..,"data":..}` (or a bare string) of a CONNECT_ERROR.
fn parse_connect_error(data: &str) -> ConnectError {
    let mut s = Scanner::new(data);
    if s.peek_kind() == Some(Kind::String) {
        return ConnectError::Server {
            message: s.string().unwrap_or_default(),
            data: None,
        };
    }
    let (mut message, mut extra) = (String::new(), None);
    let _ = s.object(|key, s| {
        match (key, s.peek_kind()) {
            ("message", Some(Kind::String)) => message = s.string()?,
            ("data", _) => extra = Some(s.raw_value()?.to_owned()),
            _ => {
                s.raw_value()?;
            }
        }
        Ok(())
    });
    ConnectError::Server {
        message,
        data: extra,
    }
}

/// The last element of a JSON array when it is a string (the recovery offset).
fn last_string_element(data: &str) -> Option<String> {
    let mut s = Scanner::new(data);
    s.expect(b'[').ok()?;
    loop {
        let last = if s.peek_kind() == Some(Kind::String) {
            Some(s.string().ok()?)
        } else {
            s.raw_value().ok()?;
            None
        };
        if s.eat(b']') {
            return last;
        }
        s.expect(b',').ok()?;
    }
}

/// `{"pid":..,"offset":..,...auth}` for a recovering CONNECT.
fn recovery_payload(pid: &str, offset: Option<&str>, auth: Option<&str>) -> String {
    use crate::protocol::json::write_string;
    let mut out = String::from("{\"pid\":");
    write_string(&mut out, pid);
    if let Some(offset) = offset {
        out.push_str(",\"offset\":");
        write_string(&mut out, offset);
    }
    if let Some(rest) = auth
        .map(str::trim)
        .and_then(|a| a.strip_prefix('{'))
        .map(str::trim_start)
    {
        if !rest.starts_with('}') {
            out.push(',');
        }
        out.push_str(rest);
    } else {
        out.push('}');
    }
    out
}
