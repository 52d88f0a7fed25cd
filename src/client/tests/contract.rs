//! The public contract the JS face relies on: effective ack modes, the Manager `close` naming
//! its sockets, error types, engine observability, request timeouts, and the reconnection
//! loop's reaction to user calls made from its own listeners.

use core::time::Duration;

use super::harness::{Harness, HANDSHAKE_POLLING, HANDSHAKE_WS};
use crate::client::*;
use crate::protocol::engine::PacketType;

fn ws_only() -> ManagerConfig {
    let mut config = ManagerConfig::default();
    config.engine.origin = "http://127.0.0.1:3000".into();
    config.engine.transports = vec![TransportKind::WebSocket];
    config
}

fn polling_only() -> ManagerConfig {
    let mut config = ws_only();
    config.engine.transports = vec![TransportKind::Polling];
    config
}

/// A WebSocket session with `/` connected; every output so far consumed.
fn connected(config: ManagerConfig) -> (Harness, TransportId, NspId) {
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, HANDSHAKE_WS);
    h.text(ws, r#"40{"sid":"s1"}"#);
    assert!(h.manager.is_connected(nsp));
    h.clear();
    (h, ws, nsp)
}

fn callback() -> EmitOptions {
    EmitOptions {
        ack: AckMode::Callback,
        ..Default::default()
    }
}

#[test]
fn ack_timeout_makes_a_plain_callback_error_first_with_its_deadline() {
    let (mut h, ws, nsp) = connected(ws_only());
    h.manager
        .set_socket_options(nsp, None, Some(Duration::from_millis(300)));
    let (answered, _) = h.emit(nsp, r#"["a"]"#, callback());
    let (expires, _) = h.emit(nsp, r#"["b"]"#, callback());
    h.text(ws, "430[1]");
    assert_eq!(
        h.next_event(),
        Event::Ack {
            nsp,
            id: answered.unwrap(),
            data: "[1]".into(),
            attachments: vec![],
            with_error: true,
        }
    );
    h.advance(Duration::from_millis(299));
    h.expect_no_events();
    h.advance(Duration::from_millis(1));
    assert_eq!(
        h.next_event(),
        Event::AckError(nsp, expires.unwrap(), AckError::Timeout)
    );
}

#[test]
fn a_plain_callback_without_any_timeout_stays_plain() {
    let (mut h, ws, nsp) = connected(ws_only());
    let (id, _) = h.emit(nsp, r#"["a"]"#, callback());
    h.text(ws, "430[]");
    assert!(matches!(
        h.next_event(),
        Event::Ack { id: i, with_error: false, .. } if Some(i) == id
    ));
}

#[test]
fn the_retry_queue_answers_error_first_even_for_a_plain_callback() {
    let (mut h, ws, nsp) = connected(ws_only());
    h.manager.set_socket_options(nsp, Some(1), None);
    let (id, _) = h.emit(nsp, r#"["a"]"#, callback());
    assert_eq!(h.expect_text_frame(), r#"420["a"]"#);
    h.text(ws, "430[]");
    assert!(matches!(
        h.next_event(),
        Event::Ack { id: i, with_error: true, .. } if Some(i) == id
    ));
}

#[test]
fn check_event_data_refuses_reserved_names_and_bad_data() {
    assert_eq!(check_event_data(r#"["chat",1]"#), Ok(()));
    assert_eq!(check_event_data("[7]"), Ok(()));
    assert_eq!(
        check_event_data(r#"["disconnecting"]"#),
        Err(ApiMisuse::ReservedEventName)
    );
    assert_eq!(check_event_data("{}"), Err(ApiMisuse::BadEventData));
}

#[test]
fn the_manager_close_names_its_sockets_and_their_acks_follow() {
    let (mut h, ws, nsp) = connected(ws_only());
    let other = h.manager.socket("/other", None);
    h.connect(other);
    assert_eq!(h.expect_text_frame(), "40/other,");
    h.text(ws, r#"40/other,{"sid":"s2"}"#);
    h.clear();
    let error_first = EmitOptions {
        ack: AckMode::ErrorFirst,
        ..Default::default()
    };
    let (a, _) = h.emit(nsp, r#"["a"]"#, error_first);
    let (b, _) = h.emit(other, r#"["b"]"#, callback());
    h.clear();
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    assert_eq!(h.expect_close(), ws);
    assert_eq!(
        h.next_event(),
        Event::Close {
            reason: CloseReason::TransportClose,
            failure: Some(Failure::Closed(1006)),
            sockets: vec![nsp, other],
        }
    );
    assert_eq!(
        h.next_event(),
        Event::AckError(nsp, a.unwrap(), AckError::Disconnected)
    );
    assert_eq!(h.next_event(), Event::AckDiscarded(other, b.unwrap()));
    h.expect_no_events();
}

#[test]
fn error_types_follow_the_official_errors() {
    assert_eq!(ErrorKind::Timeout.error_type(), None);
    for kind in [
        ErrorKind::PollError,
        ErrorKind::PostError,
        ErrorKind::WebSocketError,
        ErrorKind::ParserError,
    ] {
        assert_eq!(kind.error_type(), Some("TransportError"));
        assert_eq!(
            ConnectError::Transport(kind, None).error_type(),
            Some("TransportError")
        );
    }
    let server = ConnectError::Server {
        message: "no".into(),
        data: None,
    };
    assert_eq!(server.error_type(), None);
    assert_eq!(ConnectError::IncompatibleServer.error_type(), None);
    assert_eq!(PacketType::Message.as_str(), "message");
    assert_eq!(PacketType::Noop.as_str(), "noop");
}

fn packet(sent: bool, kind: PacketType, text: Option<&str>) -> Event {
    Event::EnginePacket {
        sent,
        kind,
        data: text.map(|t| Frame::Text(t.into())),
    }
}

#[test]
fn engine_events_over_websocket_while_notifying() {
    let mut h = Harness::new(ws_only());
    h.manager.set_notify_engine(true);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    assert_eq!(h.next_event(), Event::Opening);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, HANDSHAKE_WS);
    let json = HANDSHAKE_WS.get(1..);
    assert_eq!(h.next_event(), packet(false, PacketType::Open, json));
    assert_eq!(h.next_event(), Event::Open);
    // The CONNECT is queued (packetCreate) and written at once (drain).
    assert_eq!(h.next_event(), packet(true, PacketType::Message, Some("0")));
    assert_eq!(h.next_event(), Event::Drain);
    h.text(ws, r#"40{"sid":"s1"}"#);
    assert_eq!(
        h.next_event(),
        packet(false, PacketType::Message, Some(r#"0{"sid":"s1"}"#))
    );
    assert_eq!(h.next_event(), Event::Connect(nsp));
    h.text(ws, "2");
    assert_eq!(h.next_event(), packet(false, PacketType::Ping, None));
    assert_eq!(h.next_event(), packet(true, PacketType::Pong, None));
    assert_eq!(h.next_event(), Event::Ping);
    assert_eq!(h.next_event(), Event::Drain);
    h.clear();
    h.emit_binary(
        nsp,
        r#"["bin",{"_placeholder":true,"num":0}]"#,
        vec![vec![9]],
        EmitOptions::default(),
    );
    // An EVENT's frame comes in two parts: the header the core wrote and the data unread.
    assert_eq!(
        h.next_event(),
        Event::EnginePacket {
            sent: true,
            kind: PacketType::Message,
            data: Some(Frame::Event(
                "51-".into(),
                r#"["bin",{"_placeholder":true,"num":0}]"#.into()
            )),
        }
    );
    assert_eq!(
        h.next_event(),
        Event::EnginePacket {
            sent: true,
            kind: PacketType::Message,
            data: Some(Frame::Binary(vec![9].into())),
        }
    );
    assert_eq!(h.next_event(), Event::Drain);
    h.expect_no_events();
    // The server closes the session: the engine's close, then the Manager's.
    h.text(ws, "1");
    assert_eq!(h.next_event(), packet(false, PacketType::Close, None));
    assert_eq!(
        h.next_event(),
        Event::EngineClose(CloseReason::TransportClose, None)
    );
    assert!(matches!(
        h.next_event(),
        Event::Close {
            reason: CloseReason::TransportClose,
            ..
        }
    ));
}

#[test]
fn a_manager_side_close_is_a_forced_close_of_the_engine() {
    let (mut h, ws, _) = connected(ws_only());
    h.manager.set_notify_engine(true);
    h.text(ws, "42{not json");
    assert_eq!(
        h.next_event(),
        packet(false, PacketType::Message, Some("2{not json"))
    );
    assert_eq!(
        h.next_event(),
        Event::EngineClose(CloseReason::ForcedClose, None)
    );
    assert!(matches!(
        h.next_event(),
        Event::Close {
            reason: CloseReason::ParseError,
            ..
        }
    ));
}

#[test]
fn engine_events_cost_nothing_while_off_but_opening_is_always_reported() {
    let (mut h, ws, nsp) = connected(ws_only());
    h.text(ws, "2");
    h.emit(nsp, r#"["a"]"#, EmitOptions::default());
    assert_eq!(h.next_event(), Event::Ping);
    h.expect_no_events();
    h.text(ws, "1");
    assert!(matches!(h.next_event(), Event::Close { .. }));
    h.expect_no_events();
    h.advance_to_deadline();
    assert_eq!(h.next_event(), Event::ReconnectAttempt(1));
    assert_eq!(h.next_event(), Event::Opening);
}

#[test]
fn polling_drains_when_a_post_completes_with_nothing_left() {
    let mut h = Harness::new(polling_only());
    h.manager.set_notify_engine(true);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    let (poll, _) = h.expect_poll();
    h.input(TransportEvent::PollResponse(poll, Ok(HANDSHAKE_POLLING)));
    h.expect_poll();
    assert_eq!(h.expect_post().1, "40");
    h.clear();
    // Queued while the POST is in flight: no drain yet, the next POST takes it.
    h.ack(nsp, 1, "[]");
    // An ACK's frame, as an EVENT's, comes in two parts: the header and the data unread.
    assert_eq!(
        h.next_event(),
        Event::EnginePacket {
            sent: true,
            kind: PacketType::Message,
            data: Some(Frame::Event("31".into(), "[]".into())),
        }
    );
    h.expect_no_events();
    h.input(TransportEvent::PostResponse(poll, Ok(())));
    assert_eq!(h.expect_post().1, "431[]");
    h.expect_no_events();
    h.input(TransportEvent::PostResponse(poll, Ok(())));
    assert_eq!(h.next_event(), Event::Drain);
    // A noop ending a GET is a packet too.
    h.input(TransportEvent::PollResponse(poll, Ok("6")));
    assert_eq!(h.next_event(), packet(false, PacketType::Noop, None));
}

#[test]
fn request_timeout_fails_a_stuck_handshake_get_as_a_poll_error() {
    let mut config = polling_only();
    config.engine.request_timeout = Some(Duration::from_millis(2_000));
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    let (poll, _) = h.expect_poll();
    h.clear();
    assert_eq!(h.deadline, Some(h.now + Duration::from_millis(2_000)));
    h.advance(Duration::from_millis(1_999));
    h.expect_no_commands();
    h.advance(Duration::from_millis(1));
    assert_eq!(h.expect_close(), poll);
    assert_eq!(
        h.next_event(),
        Event::Error(ErrorKind::PollError, Some(Failure::Network))
    );
    assert_eq!(
        h.next_event(),
        Event::ConnectError(
            nsp,
            ConnectError::Transport(ErrorKind::PollError, Some(Failure::Network))
        )
    );
    // A late answer of the aborted GET is ignored.
    h.input(TransportEvent::PollResponse(poll, Ok(HANDSHAKE_POLLING)));
    h.expect_no_events();
}

#[test]
fn request_timeout_fails_a_stuck_post_as_a_transport_error() {
    let mut config = polling_only();
    config.engine.request_timeout = Some(Duration::from_millis(2_000));
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    let (poll, _) = h.expect_poll();
    h.advance(Duration::from_millis(500));
    h.input(TransportEvent::PollResponse(poll, Ok(HANDSHAKE_POLLING)));
    h.expect_poll();
    assert_eq!(h.expect_post().1, "40");
    h.input(TransportEvent::PostResponse(poll, Ok(())));
    h.input(TransportEvent::PollResponse(poll, Ok(r#"40{"sid":"s"}"#)));
    h.expect_poll();
    h.emit(nsp, r#"["a"]"#, EmitOptions::default());
    h.expect_post();
    h.clear();
    // The GETs are answered in time; the POST never is.
    h.advance(Duration::from_millis(1_500));
    h.input(TransportEvent::PollResponse(poll, Ok("6")));
    h.expect_poll();
    h.advance(Duration::from_millis(499));
    h.expect_no_events();
    h.advance(Duration::from_millis(1));
    assert_eq!(h.expect_close(), poll);
    // The official engine's `error` first: the Manager's `error` (the socket is connected, so
    // no `connect_error`).
    assert_eq!(
        h.next_event(),
        Event::Error(ErrorKind::PostError, Some(Failure::Network))
    );
    assert_eq!(
        h.next_event(),
        Event::Close {
            reason: CloseReason::TransportError,
            failure: Some(Failure::Network),
            sockets: vec![nsp],
        }
    );
}

/// socket.io-client test/connection.ts "should reconnect after stopping reconnection": in the
/// first `reconnect_attempt` listener the app calls `socket.disconnect()` then
/// `socket.connect()`; that open times out and starts a new reconnection loop.
#[test]
fn reconnects_after_the_loop_was_stopped_from_a_reconnect_attempt_listener() {
    let mut config = ws_only();
    config.timeout = Some(Duration::ZERO);
    config.reconnection_delay = Duration::from_millis(10);
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/invalid", None);
    h.connect(nsp);
    h.advance_to_deadline();
    h.clear();
    h.advance_to_deadline();
    assert_eq!(h.next_event(), Event::ReconnectAttempt(1));
    assert_eq!(h.next_event(), Event::Opening);
    h.expect_no_events();
    let (ws, _) = h.expect_open_ws();
    // The listener.
    h.disconnect(nsp);
    assert_eq!(h.expect_close(), ws);
    assert_eq!(
        h.next_event(),
        Event::Close {
            reason: CloseReason::ForcedClose,
            failure: None,
            sockets: vec![],
        }
    );
    h.connect(nsp);
    assert_eq!(h.next_event(), Event::Opening);
    let (ws, _) = h.expect_open_ws();
    assert!(h.manager.is_active(nsp));
    // That open times out: a new loop.
    h.advance_to_deadline();
    assert_eq!(h.expect_close(), ws);
    assert_eq!(h.next_event(), Event::Error(ErrorKind::Timeout, None));
    assert!(matches!(h.next_event(), Event::ConnectError(..)));
    h.expect_no_events();
    h.advance_to_deadline();
    assert_eq!(h.next_event(), Event::ReconnectAttempt(1));
    assert_eq!(h.next_event(), Event::Opening);
}

#[test]
fn turning_reconnection_off_from_a_reconnect_error_listener_stops_the_loop() {
    let mut h = Harness::new(ws_only());
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    h.clear();
    h.advance_to_deadline();
    let (ws, _) = h.expect_open_ws();
    h.clear();
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    assert!(matches!(
        h.events.pop_back(),
        Some(Event::ReconnectError(..))
    ));
    // The listener.
    h.set_reconnection(false);
    h.clear();
    for _ in 0..3 {
        h.advance(Duration::from_secs(10));
    }
    h.expect_no_commands();
    h.expect_no_events();
    assert_eq!(h.deadline, None);
}

/// The official `_close()` runs `onclose("forced close")` in every state: during the
/// reconnection delay it too reports the Manager's `close`, and the loop stops.
#[test]
fn closing_during_the_reconnection_delay_is_a_forced_close_and_stops_the_loop() {
    let (mut h, ws, nsp) = connected(ws_only());
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    h.clear();
    assert!(h.manager.is_reconnecting());
    h.close_all();
    assert_eq!(
        h.next_event(),
        Event::Close {
            reason: CloseReason::ForcedClose,
            failure: None,
            sockets: vec![nsp],
        }
    );
    h.expect_no_events();
    assert!(!h.manager.is_reconnecting());
    assert_eq!(h.deadline, None);
}

/// Found by the chaos test with retries: a CONNECT_ERROR for a namespace already connected
/// left it looking connected while the Manager had closed.
#[test]
fn a_connect_error_for_a_connected_namespace_leaves_it_disconnected() {
    let (mut h, ws, nsp) = connected(ws_only());
    let (id, _) = h.emit(nsp, r#"["a"]"#, callback());
    h.clear();
    h.text(ws, r#"44{"message":"no"}"#);
    assert_eq!(h.expect_close(), ws);
    assert!(matches!(h.next_event(), Event::Close { .. }));
    assert!(matches!(h.next_event(), Event::ConnectError(..)));
    assert_eq!(h.next_event(), Event::AckDiscarded(nsp, id.unwrap()));
    assert!(!h.manager.is_connected(nsp));
    assert_eq!(h.manager.socket_id(nsp), None);
}
