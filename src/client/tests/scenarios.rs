use core::time::Duration;

use super::harness::{
    close, connected_ws, connected_ws_with, ws_only, Harness, HANDSHAKE_POLLING, HANDSHAKE_WS,
};
use crate::client::*;

#[test]
fn emit_with_ack_round_trips_over_websocket() {
    let (mut h, ws, nsp) = connected_ws();
    let options = EmitOptions {
        ack: AckMode::Callback,
        ..Default::default()
    };
    let (id, outcome) = h.emit(nsp, r#"["echo",{"a":1}]"#, options);
    assert_eq!((id, outcome), (Some(0), EmitOutcome::Sent));
    assert_eq!(h.expect_text_frame(), r#"420["echo",{"a":1}]"#);
    h.text(ws, r#"430[{"a":1}]"#);
    assert_eq!(
        h.next_event(),
        Event::Ack {
            nsp,
            id: 0,
            data: r#"[{"a":1}]"#.into(),
            attachments: vec![],
            with_error: false,
        }
    );
    // A second ack for the same id is ignored.
    h.text(ws, r#"430[{"a":1}]"#);
    h.expect_no_events();
}

#[test]
fn answers_pings_and_times_out_without_them() {
    let (mut h, ws, nsp) = connected_ws();
    h.advance(Duration::from_millis(25_000));
    h.text(ws, "2");
    assert_eq!(h.expect_text_frame(), "3");
    assert_eq!(h.next_event(), Event::Ping);
    // No ping for pingInterval + pingTimeout: the connection is dead.
    h.advance(Duration::from_millis(44_999));
    h.expect_no_events();
    h.advance(Duration::from_millis(1));
    assert_eq!(h.expect_close(), ws);
    assert_eq!(
        h.next_event(),
        close(CloseReason::PingTimeout, None, &[nsp])
    );
    // Then a reconnection within the first backoff bounds.
    let delay = h.deadline.unwrap().saturating_since(h.now).as_millis();
    assert!((500..=1500).contains(&delay), "{delay}");
    h.advance_to_deadline();
    assert_eq!(h.next_event(), Event::ReconnectAttempt(1));
    assert_eq!(h.next_event(), Event::Opening);
    let (ws2, _) = h.expect_open_ws();
    assert!(ws2 > ws);
    h.input(TransportEvent::WebSocketOpen(ws2));
    h.text(ws2, HANDSHAKE_WS);
    assert_eq!(h.next_event(), Event::Open);
    assert_eq!(h.next_event(), Event::Reconnect(1));
    assert_eq!(h.expect_text_frame(), "40");
    h.text(ws2, r#"40{"sid":"s2"}"#);
    assert_eq!(h.next_event(), Event::Connect(nsp));
    assert_eq!(h.manager.socket_id(nsp), Some("s2"));
}

#[test]
fn emits_while_offline_are_buffered_and_flushed_once_in_order_before_connect() {
    let (mut h, ws, nsp) = connected_ws();
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    h.clear();
    for i in 0..3 {
        let data = format!(r#"["n",{i}]"#);
        let (_, outcome) = h.emit(nsp, &data, EmitOptions::default());
        assert_eq!(outcome, EmitOutcome::Buffered);
    }
    let volatile = EmitOptions {
        volatile: true,
        ..Default::default()
    };
    assert_eq!(h.emit(nsp, r#"["v"]"#, volatile).1, EmitOutcome::Dropped);
    h.advance_to_deadline();
    h.events.clear();
    let (ws2, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws2));
    h.text(ws2, HANDSHAKE_WS);
    assert_eq!(h.expect_text_frame(), "40");
    h.events.clear();
    h.text(ws2, r#"40{"sid":"s2"}"#);
    for i in 0..3 {
        assert_eq!(h.expect_text_frame(), format!(r#"42["n",{i}]"#));
    }
    h.expect_no_commands();
    assert_eq!(h.next_event(), Event::Connect(nsp));
}

#[test]
fn ack_timeout_fires_once_and_removes_the_buffered_packet() {
    let mut h = Harness::new(ws_only());
    let nsp = h.manager.socket("/", None);
    let options = EmitOptions {
        ack: AckMode::ErrorFirst,
        timeout: Some(Duration::from_millis(500)),
        ..Default::default()
    };
    let (id, outcome) = h.emit(nsp, r#"["x"]"#, options);
    assert_eq!(outcome, EmitOutcome::Buffered);
    assert_eq!(h.manager.send_buffer_len(nsp), 1);
    h.advance(Duration::from_millis(499));
    h.expect_no_events();
    h.advance(Duration::from_millis(1));
    assert_eq!(
        h.next_event(),
        Event::AckError(nsp, id.unwrap(), AckError::Timeout)
    );
    assert_eq!(h.manager.send_buffer_len(nsp), 0);
    h.advance(Duration::from_millis(10_000));
    h.expect_no_events();
}

/// The core carries an emit's data unread, so the refusal is the check every face makes
/// before it emits (by name in the JS face, on the data in the Rust API).
#[test]
fn reserved_event_names_are_refused() {
    for name in [
        "connect",
        "disconnect",
        "connect_error",
        "disconnecting",
        "newListener",
        "removeListener",
    ] {
        let data = format!(r#"["{name}",1]"#);
        assert_eq!(check_event_data(&data), Err(ApiMisuse::ReservedEventName));
        assert_eq!(check_event_name(name), Err(ApiMisuse::ReservedEventName));
        assert!(may_be_reserved(name.len()), "{name}");
    }
    assert!(!may_be_reserved("count".len()));
    assert_eq!(check_event_name("connected"), Ok(()));
    assert_eq!(check_event_name(""), Ok(()));
}

#[test]
fn polling_handshake_then_upgrade_keeps_order() {
    let mut config = ws_only();
    config.engine.transports = vec![TransportKind::Polling, TransportKind::WebSocket];
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    assert_eq!(h.next_event(), Event::Opening);
    let (poll, url) = h.expect_poll();
    assert!(
        url.starts_with("http://127.0.0.1:3000/socket.io/?EIO=4&transport=polling&t="),
        "{url}"
    );
    h.input(TransportEvent::PollResponse(poll, Ok(HANDSHAKE_POLLING)));
    assert_eq!(h.next_event(), Event::Open);
    let (probe, probe_url) = h.expect_open_ws();
    assert_eq!(
        probe_url,
        "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket&sid=abc"
    );
    // A new GET is started; the CONNECT goes out in a POST.
    let (_, get_url) = h.expect_poll();
    assert!(get_url.contains("&sid=abc&t="));
    let (_, body) = h.expect_post();
    assert_eq!(body, "40");
    h.input(TransportEvent::PostResponse(poll, Ok(())));
    h.input(TransportEvent::PollResponse(poll, Ok(r#"40{"sid":"s1"}"#)));
    assert_eq!(h.next_event(), Event::Connect(nsp));
    let (_, _) = h.expect_poll();
    // Probe.
    h.input(TransportEvent::WebSocketOpen(probe));
    assert_eq!(h.expect_text_frame(), "2probe");
    h.text(probe, "3probe");
    // Pausing: the GET is still in flight; emits queue up.
    h.emit(nsp, r#"["a"]"#, EmitOptions::default());
    h.emit(nsp, r#"["b"]"#, EmitOptions::default());
    h.expect_no_commands();
    // The server ends the GET with a noop (and a message that must not be lost).
    h.input(TransportEvent::PollResponse(poll, Ok("6\x1e42[\"late\"]")));
    assert!(matches!(h.next_event(), Event::Message { .. }));
    assert_eq!(h.expect_close(), poll);
    assert_eq!(h.expect_text_frame(), "5");
    assert_eq!(h.expect_text_frame(), r#"42["a"]"#);
    assert_eq!(h.expect_text_frame(), r#"42["b"]"#);
    assert_eq!(h.next_event(), Event::Upgrade(TransportKind::WebSocket));
    assert_eq!(h.manager.transport(), Some(TransportKind::WebSocket));
}

#[test]
fn failed_probe_stays_on_polling() {
    let mut config = ws_only();
    config.engine.transports = vec![TransportKind::Polling, TransportKind::WebSocket];
    let mut h = Harness::new(config);
    h.open();
    let (poll, _) = h.expect_poll();
    h.input(TransportEvent::PollResponse(poll, Ok(HANDSHAKE_POLLING)));
    let (probe, _) = h.expect_open_ws();
    h.expect_poll();
    h.events.clear();
    h.input(TransportEvent::WebSocketClosed(
        probe,
        Failure::Closed(1006),
    ));
    assert_eq!(h.expect_close(), probe);
    assert_eq!(h.next_event(), Event::UpgradeError(ProbeFailure::Closed));
    assert_eq!(h.manager.transport(), Some(TransportKind::Polling));
    assert!(h.manager.is_open());
}

#[test]
fn server_connect_error_gives_connect_error_and_no_reconnection() {
    let mut h = Harness::new(ws_only());
    let nsp = h.manager.socket("/auth", Some(r#"{"token":"bad"}"#.into()));
    h.connect(nsp);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, HANDSHAKE_WS);
    assert_eq!(h.expect_text_frame(), r#"40/auth,{"token":"bad"}"#);
    h.events.clear();
    h.text(
        ws,
        r#"44/auth,{"message":"unauthorized","data":{"reason":"bad token"}}"#,
    );
    // The refused socket is destroyed first (the official CONNECT_ERROR handling calls
    // `destroy()` before `connect_error`): it was the last active one, so the connection
    // closes, and the Manager's `close` comes before the socket's `connect_error`.
    assert_eq!(h.expect_close(), ws);
    assert_eq!(h.next_event(), close(CloseReason::ForcedClose, None, &[]));
    assert_eq!(
        h.next_event(),
        Event::ConnectError(
            nsp,
            ConnectError::Server {
                message: "unauthorized".into(),
                data: Some(r#"{"reason":"bad token"}"#.into())
            }
        )
    );
    h.expect_no_events();
    assert_eq!(h.deadline, None);
}

#[test]
fn malformed_packet_closes_with_parse_error_and_reconnects() {
    let (mut h, ws, nsp) = connected_ws();
    h.text(ws, "42{not json");
    assert_eq!(h.expect_close(), ws);
    assert_eq!(h.next_event(), close(CloseReason::ParseError, None, &[nsp]));
    assert!(h.manager.is_reconnecting());
}

#[test]
fn unchecked_event_json_is_delivered_and_reported_malformed_by_the_caller() {
    let unchecked = ManagerConfig {
        check_event_json: false,
        ..ws_only()
    };
    let (mut h, ws, nsp) = connected_ws_with(unchecked, HANDSHAKE_WS);
    // The header, the array and the name are still checked here.
    h.text(ws, r#"42["connect",1]"#);
    assert_eq!(h.expect_close(), ws);
    assert_eq!(h.next_event(), close(CloseReason::ParseError, None, &[nsp]));
    let (mut h, ws, nsp) = connected_ws_with(
        ManagerConfig {
            check_event_json: false,
            ..ws_only()
        },
        HANDSHAKE_WS,
    );
    // What follows the name is the caller's to parse; it reports JSON that does not parse.
    h.text(ws, r#"42["x",{nope}]"#);
    assert!(matches!(h.next_event(), Event::Message { data, .. } if data == r#"["x",{nope}]"#));
    h.malformed();
    assert_eq!(h.expect_close(), ws);
    assert_eq!(h.next_event(), close(CloseReason::ParseError, None, &[nsp]));
    assert!(h.manager.is_reconnecting());
    // Once closed, a late report changes nothing.
    h.malformed();
    h.expect_no_events();
    // ACKs keep their check.
    let (mut h, ws, nsp) = connected_ws_with(
        ManagerConfig {
            check_event_json: false,
            ..ws_only()
        },
        HANDSHAKE_WS,
    );
    let options = EmitOptions {
        ack: AckMode::Callback,
        ..Default::default()
    };
    assert_eq!(h.emit(nsp, r#"["a"]"#, options).0, Some(0));
    h.clear();
    h.text(ws, "430[nope]");
    assert_eq!(h.expect_close(), ws);
}

const HANDSHAKE_SMALL: &str =
    r#"0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":100}"#;

/// An event packet of exactly `len` bytes on the wire (`42["e","xx…"]`).
fn event_of_len(len: usize) -> String {
    let fill = len - r#"42["e",""]"#.len();
    format!(r#"42["e","{}"]"#, "x".repeat(fill))
}

#[test]
fn received_packets_larger_than_max_payload_close_with_parse_error() {
    let (mut h, ws, nsp) = connected_ws_with(ws_only(), HANDSHAKE_SMALL);
    h.text(ws, &event_of_len(100));
    assert!(matches!(h.next_event(), Event::Message { nsp: n, .. } if n == nsp));
    h.input(TransportEvent::Binary(ws, vec![0; 101].into()));
    assert_eq!(h.expect_close(), ws);
    assert_eq!(
        h.next_event(),
        close(CloseReason::ParseError, Some(Failure::Network), &[nsp])
    );

    let (mut h, ws, nsp) = connected_ws_with(ws_only(), HANDSHAKE_SMALL);
    h.text(ws, &event_of_len(101));
    assert_eq!(h.expect_close(), ws);
    assert_eq!(
        h.next_event(),
        close(CloseReason::ParseError, Some(Failure::Network), &[nsp])
    );
    assert!(h.manager.is_reconnecting());
}

#[test]
fn max_receive_payload_overrides_the_handshake() {
    let mut config = ws_only();
    config.engine.max_receive_payload = Some(0);
    let (mut h, ws, nsp) = connected_ws_with(config, HANDSHAKE_SMALL);
    h.text(ws, &event_of_len(100_000));
    assert!(matches!(h.next_event(), Event::Message { nsp: n, .. } if n == nsp));

    let mut config = ws_only();
    config.engine.max_receive_payload = Some(50);
    let (mut h, ws, nsp) = connected_ws_with(config, HANDSHAKE_WS);
    h.text(ws, &event_of_len(51));
    assert_eq!(
        h.next_event(),
        close(CloseReason::ParseError, Some(Failure::Network), &[nsp])
    );
}

#[test]
fn reconnection_attempts_exhausted_gives_reconnect_failed() {
    let mut config = ws_only();
    config.reconnection_attempts = 2;
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    assert_eq!(h.next_event(), Event::Opening);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    assert_eq!(h.expect_close(), ws);
    assert_eq!(
        h.next_event(),
        Event::Error(ErrorKind::WebSocketError, Some(Failure::Closed(1006)))
    );
    assert!(matches!(
        h.next_event(),
        Event::ConnectError(_, ConnectError::Transport(ErrorKind::WebSocketError, _))
    ));
    for attempt in 1..=2 {
        h.advance_to_deadline();
        assert_eq!(h.next_event(), Event::ReconnectAttempt(attempt));
        assert_eq!(h.next_event(), Event::Opening);
        let (ws, _) = h.expect_open_ws();
        h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
        assert_eq!(h.expect_close(), ws);
        assert!(matches!(h.next_event(), Event::Error(..)));
        assert!(matches!(h.next_event(), Event::ConnectError(..)));
        if attempt == 2 {
            assert_eq!(h.next_event(), Event::ReconnectFailed);
        }
        assert!(matches!(h.next_event(), Event::ReconnectError(..)));
    }
    assert_eq!(h.deadline, None);
}

#[test]
fn client_disconnect_of_the_last_socket_closes_without_reconnecting() {
    let (mut h, ws, nsp) = connected_ws();
    h.disconnect(nsp);
    assert_eq!(h.expect_text_frame(), "41");
    assert_eq!(h.expect_close(), ws);
    assert_eq!(h.next_event(), close(CloseReason::ForcedClose, None, &[]));
    assert_eq!(
        h.next_event(),
        Event::Disconnect(nsp, CloseReason::ClientDisconnect, None)
    );
    assert_eq!(h.deadline, None);
}

#[test]
fn binary_events_are_reassembled() {
    let (mut h, ws, nsp) = connected_ws();
    h.text(ws, r#"451-["bin",{"_placeholder":true,"num":0}]"#);
    h.expect_no_events();
    h.input(TransportEvent::Binary(ws, vec![1, 2, 3].into()));
    assert_eq!(
        h.next_event(),
        Event::Message {
            nsp,
            data: r#"["bin",{"_placeholder":true,"num":0}]"#.into(),
            attachments: vec![vec![1, 2, 3].into()],
            ack: None
        }
    );
}

fn with_retries(retries: u32) -> (Harness, TransportId, NspId) {
    let mut h = Harness::new(ws_only());
    let nsp = h.manager.socket("/", None);
    h.manager
        .set_socket_options(nsp, Some(retries), Some(Duration::from_millis(100)));
    h.connect(nsp);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, HANDSHAKE_WS);
    assert_eq!(h.expect_text_frame(), "40");
    h.text(ws, r#"40{"sid":"s1"}"#);
    h.events.clear();
    (h, ws, nsp)
}

#[test]
fn retries_send_one_packet_at_a_time_in_order() {
    let (mut h, ws, nsp) = with_retries(3);
    let plain = EmitOptions::default();
    let with_ack = EmitOptions {
        ack: AckMode::ErrorFirst,
        ..Default::default()
    };
    let (_, first) = h.emit(nsp, r#"["echo",1]"#, plain);
    let (id2, second) = h.emit(nsp, r#"["echo",2]"#, with_ack);
    assert_eq!((first, second), (EmitOutcome::Sent, EmitOutcome::Sent));
    // Only the head of the queue is on the wire, with an internal ack id.
    assert_eq!(h.expect_text_frame(), r#"420["echo",1]"#);
    h.expect_no_commands();
    h.text(ws, "430[1]");
    assert_eq!(h.expect_text_frame(), r#"421["echo",2]"#);
    h.expect_no_events();
    h.text(ws, "431[2]");
    assert_eq!(
        h.next_event(),
        Event::Ack {
            nsp,
            id: id2.unwrap(),
            data: "[2]".into(),
            attachments: vec![],
            with_error: true,
        }
    );
    h.expect_no_commands();
}

#[test]
fn retries_resend_after_ack_timeout_then_fail_with_the_timeout() {
    let (mut h, _ws, nsp) = with_retries(2);
    let with_ack = EmitOptions {
        ack: AckMode::ErrorFirst,
        ..Default::default()
    };
    let (id, _) = h.emit(nsp, r#"["no-ack"]"#, with_ack);
    let mut sent = vec![h.expect_text_frame()];
    for _ in 0..2 {
        h.advance(Duration::from_millis(100));
        sent.push(h.expect_text_frame());
    }
    assert_eq!(
        sent,
        [r#"420["no-ack"]"#, r#"421["no-ack"]"#, r#"422["no-ack"]"#]
    );
    h.expect_no_events();
    h.advance(Duration::from_millis(100));
    assert_eq!(
        h.next_event(),
        Event::AckError(nsp, id.unwrap(), AckError::Timeout)
    );
    h.expect_no_commands();
    h.advance(Duration::from_millis(1000));
    h.expect_no_commands();
    h.expect_no_events();
}

#[test]
fn retries_wait_while_disconnected_and_resend_the_head_before_connect() {
    let (mut h, ws, nsp) = with_retries(5);
    h.emit(nsp, r#"["a"]"#, EmitOptions::default());
    assert_eq!(h.expect_text_frame(), r#"420["a"]"#);
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    h.clear();
    // Queued while offline: nothing goes out.
    h.emit(nsp, r#"["b"]"#, EmitOptions::default());
    h.expect_no_commands();
    h.advance_to_deadline();
    let (ws2, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws2));
    h.text(ws2, HANDSHAKE_WS);
    assert_eq!(h.expect_text_frame(), "40");
    h.events.clear();
    h.text(ws2, r#"40{"sid":"s2"}"#);
    // The unacknowledged head goes again (at least once), before `connect` is reported.
    assert_eq!(h.expect_text_frame(), r#"421["a"]"#);
    h.expect_no_commands();
    assert_eq!(h.next_event(), Event::Connect(nsp));
    h.text(ws2, "431[]");
    assert_eq!(h.expect_text_frame(), r#"422["b"]"#);
}

#[test]
fn going_offline_closes_and_reconnection_waits_for_online() {
    let (mut h, ws, nsp) = connected_ws();
    h.network(false);
    assert_eq!(h.expect_close(), ws);
    let lost = Some(Failure::NetworkLost);
    assert_eq!(
        h.next_event(),
        close(CloseReason::TransportClose, lost, &[nsp])
    );
    // The delay passes while offline: no attempt is made, none is counted.
    h.advance(Duration::from_millis(60_000));
    h.expect_no_commands();
    h.expect_no_events();
    // Back online: the attempt starts at once.
    h.network(true);
    assert_eq!(h.next_event(), Event::ReconnectAttempt(1));
    assert_eq!(h.next_event(), Event::Opening);
    h.expect_open_ws();
}

#[test]
fn coming_online_during_the_delay_retries_at_once() {
    let (mut h, ws, _) = connected_ws();
    h.network(false);
    h.clear();
    let due = h.deadline.unwrap();
    h.network(true);
    assert!(h.now < due);
    assert_eq!(h.next_event(), Event::ReconnectAttempt(1));
    assert_eq!(h.next_event(), Event::Opening);
    let (ws2, _) = h.expect_open_ws();
    assert!(ws2 > ws);
}

#[test]
fn the_official_behaviour_is_kept_when_the_online_options_are_off() {
    let mut config = ws_only();
    config.reconnect_on_online = false;
    config.pause_reconnect_while_offline = false;
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, HANDSHAKE_WS);
    h.network(false);
    h.clear();
    h.network(true);
    h.expect_no_events();
    h.advance_to_deadline();
    assert_eq!(h.next_event(), Event::ReconnectAttempt(1));
    assert_eq!(h.next_event(), Event::Opening);
}

#[test]
fn offline_leaves_localhost_connections_alone() {
    let mut config = ws_only();
    config.engine.origin = "http://localhost:3000".into();
    let mut h = Harness::new(config);
    h.open();
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, HANDSHAKE_WS);
    h.events.clear();
    h.network(false);
    h.expect_no_commands();
    h.expect_no_events();
    assert!(h.manager.is_open());
}

#[test]
fn remember_upgrade_opens_with_a_websocket_after_an_upgrade() {
    let mut config = ws_only();
    config.engine.transports = vec![TransportKind::Polling, TransportKind::WebSocket];
    config.engine.remember_upgrade = true;
    let mut h = Harness::new(config);
    h.manager.set_prior_websocket_success(true);
    h.open();
    let (_, url) = h.expect_open_ws();
    assert!(url.contains("transport=websocket"));
}

#[test]
fn unload_drops_the_connection_silently_and_for_good() {
    let (mut h, ws, _) = connected_ws();
    h.unload();
    assert_eq!(h.expect_close(), ws);
    h.expect_no_events();
    assert!(!h.manager.is_reconnecting());
}

#[test]
fn an_auth_function_is_asked_at_every_connect_and_the_connect_waits_for_it() {
    let mut h = Harness::new(ws_only());
    let nsp = h.manager.socket("/", None);
    h.manager.set_auth_deferred(nsp, true);
    h.connect(nsp);
    assert_eq!(h.next_event(), Event::Opening);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, HANDSHAKE_WS);
    assert_eq!(h.next_event(), Event::Open);
    assert_eq!(h.next_event(), Event::AuthRequest(nsp));
    h.expect_no_commands();
    // The answer may come later (an asynchronous function): then the CONNECT goes.
    h.advance(Duration::from_millis(200));
    h.provide_auth(nsp, Some(r#"{"token":"late"}"#.into()));
    assert_eq!(h.expect_text_frame(), r#"40{"token":"late"}"#);
    // A second answer is ignored.
    h.provide_auth(nsp, Some("{}".into()));
    h.expect_no_commands();
}

#[test]
fn outgoing_listeners_see_what_is_written_when_it_is_written() {
    let mut h = Harness::new(ws_only());
    let nsp = h.manager.socket("/", None);
    h.manager.set_notify_outgoing(nsp, true);
    let timeout = EmitOptions {
        ack: AckMode::ErrorFirst,
        timeout: Some(Duration::from_millis(100)),
        ..Default::default()
    };
    h.emit(nsp, r#"["expires"]"#, timeout);
    h.emit_binary(nsp, r#"["kept",1]"#, vec![vec![7]], EmitOptions::default());
    h.expect_no_events();
    let buffered = h.manager.send_buffer(nsp);
    assert_eq!(buffered.len(), 2);
    assert_eq!(
        (buffered[0].data.to_text().as_str(), buffered[0].wants_ack),
        (r#"["expires"]"#, true)
    );
    h.advance(Duration::from_millis(100));
    assert!(matches!(
        h.next_event(),
        Event::AckError(_, _, AckError::Timeout)
    ));
    h.connect(nsp);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, HANDSHAKE_WS);
    h.events.clear();
    h.commands.clear();
    h.text(ws, r#"40{"sid":"s"}"#);
    // Only the packet that was written is reported, before `connect`.
    assert_eq!(
        h.next_event(),
        Event::Outgoing {
            nsp,
            data: r#"["kept",1]"#.into(),
            attachments: vec![vec![7].into()]
        }
    );
    assert_eq!(h.next_event(), Event::Connect(nsp));
}

#[test]
fn the_send_buffer_can_be_inspected_and_cleared() {
    let mut h = Harness::new(ws_only());
    let nsp = h.manager.socket("/", None);
    for i in 0..3 {
        h.emit(nsp, &format!(r#"["n",{i}]"#), EmitOptions::default());
    }
    let seqs: Vec<u64> = h.manager.send_buffer(nsp).iter().map(|p| p.seq).collect();
    assert_eq!(seqs.len(), 3);
    h.manager.retain_send_buffer(nsp, &seqs[2..]);
    assert_eq!(h.manager.send_buffer(nsp).len(), 1);
    h.manager.retain_send_buffer(nsp, &[]);
    assert_eq!(h.manager.send_buffer_len(nsp), 0);
}

#[test]
fn closing_a_polling_session_sends_what_is_queued_with_the_goodbye() {
    let mut config = ws_only();
    config.engine.transports = vec![TransportKind::Polling];
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    let (poll, _) = h.expect_poll();
    h.input(TransportEvent::PollResponse(poll, Ok(HANDSHAKE_POLLING)));
    h.expect_poll();
    assert_eq!(h.expect_post().1, "40");
    h.input(TransportEvent::PostResponse(poll, Ok(())));
    h.input(TransportEvent::PollResponse(poll, Ok(r#"40{"sid":"s"}"#)));
    h.expect_poll();
    // A POST is in flight when the socket leaves: the DISCONNECT waits, then goes with the `1`.
    h.emit(nsp, r#"["a"]"#, EmitOptions::default());
    assert_eq!(h.expect_post().1, r#"42["a"]"#);
    h.disconnect(nsp);
    match h.next_command() {
        Command::Post {
            body, last: true, ..
        } => assert_eq!(body.to_text(), "41\x1e1"),
        other => panic!("expected the last POST, got {other:?}"),
    }
    assert_eq!(h.expect_close(), poll);
}

#[test]
fn ten_thousand_pending_acks_time_out_through_one_deadline() {
    let (mut h, _ws, nsp) = connected_ws();
    let mut handles = Vec::new();
    for i in 0..10_000u64 {
        // Deadlines spread over one second, in no particular order.
        let timeout = Duration::from_millis(1_000 + (i * 7919) % 1_000);
        let options = EmitOptions {
            ack: AckMode::ErrorFirst,
            timeout: Some(timeout),
            ..Default::default()
        };
        let (handle, _) = h.emit(nsp, r#"["no-ack"]"#, options);
        handles.push(handle.unwrap());
    }
    h.commands.clear();
    // One deadline for all of them: the earliest.
    assert_eq!(h.deadline, Some(h.now + Duration::from_millis(1_000)));
    let mut answered = std::collections::HashSet::new();
    for _ in 0..2_000 {
        let before = h.now;
        h.advance_to_deadline();
        assert!(h.now >= before);
        for event in h.events.drain(..) {
            if let Event::AckError(_, handle, AckError::Timeout) = event {
                assert!(answered.insert(handle), "ack {handle} timed out twice");
            }
        }
        if answered.len() == handles.len() {
            break;
        }
    }
    assert_eq!(answered.len(), 10_000);
}
