//! A proxy without stickiness in front of several instances: the handshake reached one instance,
//! the next polling request another, which answers 400 "Session ID unknown". The official client
//! (4.8.4, recorded in Chromium through HAProxy against both server kinds) then reports the
//! Manager's `error` and `connect_error` (TransportError "xhr post error" / "xhr poll error",
//! description 400), then `disconnect` "transport error", and reconnects.

use core::time::Duration;

use super::harness::{Harness, HANDSHAKE_POLLING};
use crate::client::*;

fn polling_only() -> ManagerConfig {
    let mut config = ManagerConfig::default();
    config.engine.origin = "http://127.0.0.1:3000".into();
    config.engine.transports = vec![TransportKind::Polling];
    config.reconnection_delay = Duration::from_millis(100);
    config.reconnection_delay_max = Duration::from_millis(100);
    config
}

/// The events until the queue is empty.
fn drain(h: &mut Harness) -> Vec<Event> {
    h.collect();
    h.events.drain(..).collect()
}

/// Opens the session; the CONNECT goes out in a POST. Returns the transport and the namespace.
fn opened() -> (Harness, TransportId, NspId) {
    let mut h = Harness::new(polling_only());
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    assert_eq!(h.next_event(), Event::Opening);
    let (poll, _) = h.expect_poll();
    h.input(TransportEvent::PollResponse(poll, Ok(HANDSHAKE_POLLING)));
    assert_eq!(h.next_event(), Event::Open);
    let (_, get_url) = h.expect_poll();
    assert!(get_url.contains("&sid=abc&t="), "{get_url}");
    let (_, body) = h.expect_post();
    assert_eq!(body, "40");
    (h, poll, nsp)
}

/// The events the official client gives when a request of the session is answered 400.
fn expected(kind: ErrorKind, nsp: NspId) -> Vec<Event> {
    let failure = Some(Failure::Status(400));
    vec![
        Event::Error(kind, failure.clone()),
        Event::ConnectError(nsp, ConnectError::Transport(kind, failure.clone())),
        Event::Close {
            reason: CloseReason::TransportError,
            failure,
            sockets: vec![nsp],
        },
    ]
}

#[test]
fn post_answered_400_gives_error_and_connect_error_then_reconnects() {
    let (mut h, poll, nsp) = opened();
    h.input(TransportEvent::PostResponse(
        poll,
        Err(Failure::Status(400)),
    ));
    let events = drain(&mut h);
    assert_eq!(
        events[..3],
        expected(ErrorKind::PostError, nsp)[..],
        "{events:?}"
    );
    h.clear();
    h.advance(Duration::from_millis(100));
    assert_eq!(h.next_event(), Event::ReconnectAttempt(1));
    assert_eq!(h.next_event(), Event::Opening);
    let _ = h.expect_poll();
}

#[test]
fn poll_answered_400_gives_error_and_connect_error() {
    let (mut h, poll, nsp) = opened();
    h.input(TransportEvent::PollResponse(
        poll,
        Err(Failure::Status(400)),
    ));
    let events = drain(&mut h);
    assert_eq!(
        events[..3],
        expected(ErrorKind::PollError, nsp)[..],
        "{events:?}"
    );
}

#[test]
fn a_connected_socket_gets_no_connect_error() {
    let (mut h, poll, nsp) = opened();
    h.input(TransportEvent::PostResponse(poll, Ok(())));
    h.input(TransportEvent::PollResponse(poll, Ok(r#"40{"sid":"s1"}"#)));
    assert_eq!(h.next_event(), Event::Connect(nsp));
    h.clear();
    h.input(TransportEvent::PollResponse(
        poll,
        Err(Failure::Status(400)),
    ));
    let events = drain(&mut h);
    let failure = Some(Failure::Status(400));
    assert_eq!(
        events.first(),
        Some(&Event::Error(ErrorKind::PollError, failure.clone())),
        "{events:?}"
    );
    assert!(
        !events.iter().any(|e| matches!(e, Event::ConnectError(..))),
        "{events:?}"
    );
    assert!(
        events.contains(&Event::Close {
            reason: CloseReason::TransportError,
            failure,
            sockets: vec![nsp],
        }),
        "{events:?}"
    );
}
