//! Random but well-formed sequences of user calls, transport events and time steps, against
//! invariants (STYLE.md §2.4): nothing panics; no deadline lies before `now`; no command names
//! a transport after its `Close`; every user ack is answered at most once, and every ack with a
//! timeout exactly once by the end; plain emits go on the wire at most once and in order; and
//! emits buffered while disconnected (without a timeout, which may drop them) are never lost:
//! once a healthy session connects at the end, every one buffered since the namespace last
//! connected has gone on the wire. (Those flushed into a session that then died before writing
//! them are lost, as with socket.io-client, whose flush also hands them to the transport.)
//!
//! With `retries` and `ackTimeout` on, every non-volatile emit goes through the retry queue:
//! each goes on the wire at least once, first deliveries come in emit order, and once a
//! healthy session acknowledges what it receives, none is lost and every queued ack callback
//! is answered exactly once.

use core::time::Duration;
use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use crate::client::*;

#[derive(Debug, Clone)]
enum Step {
    Emit {
        ack: u8,
        volatile: bool,
        timeout_ms: Option<u16>,
    },
    Connect,
    Disconnect,
    CloseEngine,
    Network(bool),
    Advance(u16),
    WsOpen,
    Text(u8),
    Binary,
    WsClosed,
    PollOk(u8),
    PollErr,
    PostOk,
    PostErr,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u8..3, any::<bool>(), proptest::option::of(1u16..3000))
            .prop_map(|(ack, volatile, timeout_ms)| Step::Emit { ack, volatile, timeout_ms }),
        1 => Just(Step::Connect),
        1 => Just(Step::Disconnect),
        1 => Just(Step::CloseEngine),
        1 => any::<bool>().prop_map(Step::Network),
        3 => (0u16..30_000).prop_map(Step::Advance),
        3 => Just(Step::WsOpen),
        6 => (0u8..12).prop_map(Step::Text),
        1 => Just(Step::Binary),
        1 => Just(Step::WsClosed),
        3 => (0u8..12).prop_map(Step::PollOk),
        1 => Just(Step::PollErr),
        2 => Just(Step::PostOk),
        1 => Just(Step::PostErr),
    ]
}

/// What a server might say, valid or not.
fn server_text(kind: u8, acks_seen: u64) -> String {
    let ack = acks_seen.saturating_sub(1);
    match kind {
        0 => r#"0{"sid":"e1","upgrades":["websocket"],"pingInterval":1000,"pingTimeout":500,"maxPayload":200}"#.into(),
        1 => r#"40{"sid":"s1"}"#.into(),
        2 => r#"40{"sid":"s2","pid":"p1"}"#.into(),
        3 => "2".into(),
        4 => format!("43{ack}[\"ok\"]"),
        5 => r#"42["news",1,"off1"]"#.into(),
        6 => r#"421["ask"]"#.into(),
        7 => "41".into(),
        8 => r#"44{"message":"no"}"#.into(),
        9 => r#"451-["bin",{"_placeholder":true,"num":0}]"#.into(),
        10 => "3probe".into(),
        _ => "42{garbage".into(),
    }
}

struct Model {
    h: super::harness::Harness,
    nsp: NspId,
    closed: HashSet<TransportId>,
    ws: Option<TransportId>,
    polling: Option<TransportId>,
    answered: HashMap<u64, u32>,
    with_timeout: HashSet<u64>,
    next_seq: u64,
    last_sent: Option<u64>,
    sent: HashSet<u64>,
    /// Emits the core buffered, without a timeout, since the namespace last connected: each must
    /// reach the wire by the end.
    buffered: Vec<u64>,
    /// The final, healthy session is being driven: its CONNECT flushes `buffered`.
    healing: bool,
    /// `retries` and `ackTimeout` are on.
    retries: bool,
    /// Retry mode: the emits that went into the retry queue, in emit order.
    queued: Vec<u64>,
    /// Retry mode: the ack handles of queued emits.
    queued_handles: HashSet<u64>,
    /// Ack ids of the EVENT packets written, for the healthy server to answer.
    written_ids: Vec<u64>,
}

impl Model {
    fn new(transports: Vec<TransportKind>, retries: bool) -> Self {
        let mut config = ManagerConfig::default();
        config.engine.transports = transports;
        config.reconnection_attempts = 5;
        let mut h = super::harness::Harness::new(config);
        let nsp = h.manager.socket("/", None);
        if retries {
            h.manager
                .set_socket_options(nsp, Some(2), Some(Duration::from_millis(700)));
        }
        let mut model = Self {
            h,
            nsp,
            closed: HashSet::new(),
            ws: None,
            polling: None,
            answered: HashMap::new(),
            with_timeout: HashSet::new(),
            next_seq: 0,
            last_sent: None,
            sent: HashSet::new(),
            buffered: Vec::new(),
            healing: false,
            retries,
            queued: Vec::new(),
            queued_handles: HashSet::new(),
            written_ids: Vec::new(),
        };
        model.h.manager.connect(model.h.now, nsp).unwrap();
        model.settle();
        model
    }

    /// Collects outputs and checks the invariants on each.
    fn settle(&mut self) {
        self.h.collect();
        let commands: Vec<Command> = self.h.commands.drain(..).collect();
        for command in commands {
            let id = match &command {
                Command::OpenWebSocket { id, .. }
                | Command::SendFrame { id, .. }
                | Command::Poll { id, .. }
                | Command::Post { id, .. }
                | Command::Close { id } => *id,
                Command::SaveSession { .. } | Command::Outbox { .. } => continue,
            };
            assert!(
                !self.closed.contains(&id),
                "{command:?} after Close of {id:?}"
            );
            match command {
                Command::OpenWebSocket { id, .. } => self.ws = Some(id),
                Command::Poll { id, .. } => self.polling = Some(id),
                Command::Close { id } => {
                    self.closed.insert(id);
                }
                Command::SendFrame { frame, .. } if frame.to_text().is_some() => {
                    self.saw_text(&frame.to_text().unwrap_or_default())
                }
                Command::Post { body, .. } => {
                    for part in body.to_text().split('\x1e') {
                        self.saw_text(part);
                    }
                }
                Command::SendFrame { .. }
                | Command::SaveSession { .. }
                | Command::Outbox { .. } => {}
            }
        }
        for event in self.h.events.drain(..) {
            if matches!(event, Event::Connect(_)) && !self.healing {
                self.buffered.clear(); // flushed into this session, whatever becomes of it
            }
            let (Event::Ack { id: handle, .. }
            | Event::AckError(_, handle, _)
            | Event::AckDiscarded(_, handle)) = event
            else {
                continue;
            };
            let count = self.answered.entry(handle).or_default();
            *count += 1;
            assert_eq!(*count, 1, "ack {handle} answered twice");
        }
    }

    /// Plain emits carry `["n",seq]`: each goes out at most once, in increasing order. In
    /// retry mode, at least once: the first deliveries are in increasing order.
    fn saw_text(&mut self, text: &str) {
        let Some(rest) = text.strip_prefix("42") else {
            return;
        };
        let id: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(id) = id.parse::<u64>() {
            self.written_ids.push(id);
        }
        let Some(start) = rest.find("[\"n\",") else {
            return;
        };
        let digits: String = rest[start + 5..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let Ok(seq) = digits.parse::<u64>() else {
            return;
        };
        if !self.sent.insert(seq) {
            assert!(self.retries, "packet {seq} sent twice");
            return; // a retry
        }
        if let Some(last) = self.last_sent {
            assert!(seq > last, "packet {seq} sent after {last}");
        }
        self.last_sent = Some(seq);
    }

    fn apply(&mut self, step: Step) {
        let now = self.h.now;
        match step {
            Step::Emit {
                ack,
                volatile,
                timeout_ms,
            } => {
                let seq = self.next_seq;
                // Retry mode: volatile emits bypass the queue and may be dropped; they are
                // named apart so that the delivery checks leave them out.
                let queued = self.retries && !volatile;
                let name = if self.retries && volatile { "v" } else { "n" };
                let data = format!(r#"["{name}",{seq}]"#);
                self.next_seq += 1;
                let ack = match ack {
                    0 => AckMode::None,
                    1 => AckMode::Callback,
                    _ => AckMode::ErrorFirst,
                };
                let timeout = timeout_ms.map(|ms| Duration::from_millis(u64::from(ms)));
                let options = EmitOptions {
                    ack,
                    volatile,
                    timeout,
                };
                let result =
                    self.h
                        .manager
                        .emit(now, self.nsp, data.as_str().into(), vec![], options);
                match result {
                    Ok((handle, _)) if queued => {
                        self.queued.push(seq);
                        self.queued_handles.extend(handle);
                    }
                    Ok((handle, outcome)) => {
                        if let (Some(handle), true) = (handle, timeout.is_some()) {
                            self.with_timeout.insert(handle);
                        }
                        if outcome == EmitOutcome::Buffered && timeout.is_none() && !self.retries {
                            self.buffered.push(seq);
                        }
                    }
                    Err(error) => panic!("emit refused: {error:?}"),
                }
            }
            Step::Connect => self.h.connect(self.nsp),
            Step::Disconnect => self.h.disconnect(self.nsp),
            Step::CloseEngine => self.h.close_engine(),
            Step::Network(online) => self.h.network(online),
            Step::Advance(ms) => {
                self.h.now = now + Duration::from_millis(u64::from(ms));
                self.h.manager.handle_timeout(self.h.now);
            }
            Step::WsOpen => {
                if let Some(id) = self.ws {
                    self.h
                        .manager
                        .handle_transport(now, TransportEvent::WebSocketOpen(id));
                }
            }
            Step::Text(kind) => {
                if let Some(id) = self.ws {
                    let text = server_text(kind, self.next_seq);
                    self.h
                        .manager
                        .handle_transport(now, TransportEvent::Text(id, &text));
                }
            }
            Step::Binary => {
                if let Some(id) = self.ws {
                    self.h
                        .manager
                        .handle_transport(now, TransportEvent::Binary(id, vec![1, 2].into()));
                }
            }
            Step::WsClosed => {
                if let Some(id) = self.ws {
                    self.h.manager.handle_transport(
                        now,
                        TransportEvent::WebSocketClosed(id, Failure::Closed(1006)),
                    );
                }
            }
            Step::PollOk(kind) => {
                if let Some(id) = self.polling {
                    let body = server_text(kind, self.next_seq);
                    self.h
                        .manager
                        .handle_transport(now, TransportEvent::PollResponse(id, Ok(&body)));
                }
            }
            Step::PollErr => {
                if let Some(id) = self.polling {
                    self.h.manager.handle_transport(
                        now,
                        TransportEvent::PollResponse(id, Err(Failure::Status(400))),
                    );
                }
            }
            Step::PostOk => {
                if let Some(id) = self.polling {
                    self.h
                        .manager
                        .handle_transport(now, TransportEvent::PostResponse(id, Ok(())));
                }
            }
            Step::PostErr => {
                if let Some(id) = self.polling {
                    self.h.manager.handle_transport(
                        now,
                        TransportEvent::PostResponse(id, Err(Failure::Network)),
                    );
                }
            }
        }
        self.settle();
    }

    /// The live transport of `kind` the client opened last, unless closed since.
    fn live(&self, id: Option<TransportId>) -> Option<TransportId> {
        id.filter(|id| !self.closed.contains(id))
    }

    /// Ends with a healthy server: connects the namespace again if needed and answers whatever
    /// transport the client opens with a handshake and a CONNECT reply, acknowledging POSTs.
    fn heal(&mut self) {
        self.healing = true;
        for _ in 0..20 {
            if self.h.manager.is_connected(self.nsp) {
                break;
            }
            let now = self.h.now;
            self.h.manager.connect(now, self.nsp).unwrap();
            self.h.manager.handle_network(now, true);
            self.settle();
            let (ws, polling) = (self.live(self.ws), self.live(self.polling));
            if let Some(id) = ws {
                self.apply_all(&[Step::WsOpen]);
                for text in [server_text(0, 0), server_text(1, 0)] {
                    let now = self.h.now;
                    self.h
                        .manager
                        .handle_transport(now, TransportEvent::Text(id, &text));
                    self.settle();
                }
            } else if polling.is_some() {
                self.apply_all(&[Step::PollOk(0), Step::PostOk, Step::PollOk(1), Step::PostOk]);
            }
            if !self.h.manager.is_connected(self.nsp) {
                self.apply_all(&[Step::Advance(29_000), Step::Advance(29_000)]);
            }
        }
        assert!(
            self.h.manager.is_connected(self.nsp),
            "a healthy server, yet no connection"
        );
        // Let the flush through: every POST answered.
        self.apply_all(&[Step::PostOk, Step::PostOk, Step::PostOk, Step::PostOk]);
        for seq in &self.buffered {
            assert!(self.sent.contains(seq), "buffered packet {seq} never sent");
        }
        if self.retries {
            self.acknowledge_everything();
        }
    }

    /// Retry mode, on the healthy session: the server acknowledges every EVENT it receives,
    /// so the retry queue drains; then every queued emit has been delivered and every queued
    /// ack callback answered.
    fn acknowledge_everything(&mut self) {
        let limit = self.queued.len() + 10;
        for _ in 0..limit {
            self.apply(Step::PostOk);
            let ids = core::mem::take(&mut self.written_ids);
            for id in ids {
                let answer = format!("43{id}[]");
                let now = self.h.now;
                let on_ws = self.h.manager.transport() == Some(TransportKind::WebSocket);
                if let (Some(ws), true) = (self.live(self.ws), on_ws) {
                    self.h
                        .manager
                        .handle_transport(now, TransportEvent::Text(ws, &answer));
                } else if let Some(polling) = self.live(self.polling) {
                    self.h
                        .manager
                        .handle_transport(now, TransportEvent::PollResponse(polling, Ok(&answer)));
                }
                self.settle();
            }
        }
        assert!(
            self.h.manager.is_connected(self.nsp),
            "the healthy session broke"
        );
        for seq in &self.queued {
            assert!(self.sent.contains(seq), "queued packet {seq} never sent");
        }
        for handle in &self.queued_handles {
            assert_eq!(
                self.answered.get(handle),
                Some(&1),
                "queued ack {handle} never answered"
            );
        }
    }

    fn apply_all(&mut self, steps: &[Step]) {
        for step in steps {
            self.apply(step.clone());
        }
    }

    /// Every ack with a timeout is answered once its deadline has long passed.
    fn finish(&mut self) {
        for _ in 0..3 {
            self.h.now = self.h.now + Duration::from_secs(10);
            self.h.manager.handle_timeout(self.h.now);
            self.settle();
        }
        for handle in &self.with_timeout {
            assert_eq!(
                self.answered.get(handle),
                Some(&1),
                "ack {handle} with a timeout never answered"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn websocket_sessions_keep_the_invariants(steps in proptest::collection::vec(step(), 1..120)) {
        let mut model = Model::new(vec![TransportKind::WebSocket], false);
        for s in steps {
            model.apply(s);
        }
        model.finish();
        model.heal();
    }

    #[test]
    fn websocket_sessions_with_retries_deliver_every_emit_in_order(steps in proptest::collection::vec(step(), 1..120)) {
        let mut model = Model::new(vec![TransportKind::WebSocket], true);
        for s in steps {
            model.apply(s);
        }
        model.finish();
        model.heal();
    }

    #[test]
    fn polling_sessions_with_retries_deliver_every_emit_in_order(steps in proptest::collection::vec(step(), 1..120)) {
        let mut model = Model::new(vec![TransportKind::Polling, TransportKind::WebSocket], true);
        for s in steps {
            model.apply(s);
        }
        model.finish();
        model.heal();
    }

    #[test]
    fn polling_sessions_with_upgrades_keep_the_invariants(steps in proptest::collection::vec(step(), 1..120)) {
        let mut model = Model::new(vec![TransportKind::Polling, TransportKind::WebSocket], false);
        for s in steps {
            model.apply(s);
        }
        model.finish();
        model.heal();
    }
}
