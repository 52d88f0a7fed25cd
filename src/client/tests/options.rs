//! The Manager's setters and getters for every reconnection option, each checked against what
//! the Manager then does on the virtual clock, not only against the getter.

use core::time::Duration;

use super::harness::Harness;
use crate::client::*;

fn config() -> ManagerConfig {
    let mut config = ManagerConfig::default();
    config.engine.origin = "http://127.0.0.1:3000".into();
    config.engine.transports = vec![TransportKind::WebSocket];
    config
}

/// A Manager whose `/` socket is active and whose first WebSocket is about to be opened.
fn started(config: ManagerConfig) -> (Harness, NspId) {
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    (h, nsp)
}

/// Fails the WebSocket the Manager just opened, and forgets the outputs.
fn fail_open(h: &mut Harness) {
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    h.clear();
}

/// How long until the next reconnection attempt, which must be the next wake-up.
fn reconnect_delay(h: &Harness) -> Duration {
    let (at, wake) = h.manager.next_wake().expect("a wake-up");
    assert_eq!(wake, Wake::ReconnectDelay);
    at.saturating_since(h.now)
}

/// Jumps to the attempt and checks it is one.
fn attempt(h: &mut Harness, n: u32) {
    h.advance_to_deadline();
    assert_eq!(h.next_event(), Event::ReconnectAttempt(n));
    assert_eq!(h.next_event(), Event::Opening);
}

#[test]
fn reconnection_off_means_no_loop_and_on_again_means_a_loop() {
    let (mut h, nsp) = started(config());
    assert!(h.manager.config().reconnection);
    h.set_reconnection(false);
    assert!(!h.manager.config().reconnection);
    fail_open(&mut h);
    assert_eq!(h.deadline, None);
    assert!(!h.manager.is_reconnecting());
    // Back on: the next failure of a first connection enters the loop again.
    h.set_reconnection(true);
    assert!(h.manager.config().reconnection);
    h.connect(nsp);
    assert_eq!(h.next_event(), Event::Opening);
    fail_open(&mut h);
    assert!(h.manager.is_reconnecting());
    attempt(&mut h, 1);
}

#[test]
fn reconnection_attempts_gives_up_after_that_many() {
    let (mut h, _) = started(config());
    assert_eq!(h.manager.config().reconnection_attempts, u32::MAX);
    h.manager.set_reconnection_attempts(2);
    assert_eq!(h.manager.config().reconnection_attempts, 2);
    fail_open(&mut h);
    for n in 1..=2 {
        attempt(&mut h, n);
        let (ws, _) = h.expect_open_ws();
        h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
        let failed = h.events.iter().any(|e| *e == Event::ReconnectFailed);
        assert_eq!(failed, n == 2, "reconnect_failed after attempt {n}");
        h.clear();
    }
    assert_eq!(h.deadline, None);
}

#[test]
fn reconnection_delay_sets_the_first_delay() {
    let mut config = config();
    config.randomization_factor = 0.0;
    let (mut h, _) = started(config);
    assert_eq!(
        h.manager.config().reconnection_delay,
        Duration::from_millis(1000)
    );
    h.manager.set_reconnection_delay(Duration::from_millis(300));
    assert_eq!(
        h.manager.config().reconnection_delay,
        Duration::from_millis(300)
    );
    fail_open(&mut h);
    assert_eq!(reconnect_delay(&h), Duration::from_millis(300));
    h.advance(Duration::from_millis(299));
    h.expect_no_events();
    h.advance(Duration::from_millis(1));
    assert_eq!(h.next_event(), Event::ReconnectAttempt(1));
    // Doubled for the next attempt.
    fail_open(&mut h);
    assert_eq!(reconnect_delay(&h), Duration::from_millis(600));
}

#[test]
fn reconnection_delay_max_caps_the_doubling() {
    let mut config = config();
    config.randomization_factor = 0.0;
    let (mut h, _) = started(config);
    assert_eq!(
        h.manager.config().reconnection_delay_max,
        Duration::from_millis(5000)
    );
    h.manager
        .set_reconnection_delay_max(Duration::from_millis(1500));
    assert_eq!(
        h.manager.config().reconnection_delay_max,
        Duration::from_millis(1500)
    );
    fail_open(&mut h);
    let mut delays = Vec::new();
    for n in 1..=3 {
        delays.push(reconnect_delay(&h).as_millis());
        attempt(&mut h, n);
        fail_open(&mut h);
    }
    assert_eq!(delays, [1000, 1500, 1500]);
}

#[test]
fn randomization_factor_spreads_the_delay_and_zero_removes_the_spread() {
    let (mut h, _) = started(config());
    assert_eq!(h.manager.config().randomization_factor, 0.5);
    fail_open(&mut h);
    let mut jittered = Vec::new();
    for _ in 0..6 {
        jittered.push(reconnect_delay(&h).as_millis());
        attempt(&mut h, 1);
        // Back to the first delay after each attempt: a successful one resets the backoff.
        let (ws, _) = h.expect_open_ws();
        h.input(TransportEvent::WebSocketOpen(ws));
        h.text(ws, super::harness::HANDSHAKE_WS);
        h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
        h.clear();
    }
    assert!(
        jittered.iter().all(|d| (500..=1500).contains(d)),
        "{jittered:?}"
    );
    assert!(jittered.iter().any(|d| *d != 1000), "{jittered:?}");
    h.manager.set_randomization_factor(0.0);
    assert_eq!(h.manager.config().randomization_factor, 0.0);
    attempt(&mut h, 1);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, super::harness::HANDSHAKE_WS);
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    assert_eq!(reconnect_delay(&h), Duration::from_millis(1000));
}

#[test]
fn timeout_sets_the_open_deadline_and_none_removes_it() {
    let (mut h, _) = started(config());
    assert_eq!(
        h.manager.config().timeout,
        Some(Duration::from_millis(20_000))
    );
    assert_eq!(
        h.manager.next_wake(),
        Some((h.now + Duration::from_millis(20_000), Wake::OpenTimeout))
    );
    fail_open(&mut h);
    h.manager.set_timeout(Some(Duration::from_millis(500)));
    assert_eq!(h.manager.config().timeout, Some(Duration::from_millis(500)));
    attempt(&mut h, 1);
    assert_eq!(
        h.manager.next_wake(),
        Some((h.now + Duration::from_millis(500), Wake::OpenTimeout))
    );
    h.clear();
    h.advance(Duration::from_millis(500));
    assert_eq!(h.next_event(), Event::Error(ErrorKind::Timeout, None));
    h.clear();
    h.manager.set_timeout(None);
    assert_eq!(h.manager.config().timeout, None);
    attempt(&mut h, 2);
    h.clear();
    // Opening with no timeout: nothing to wake up for, however long it takes.
    assert_eq!(h.deadline, None);
    h.advance(Duration::from_secs(600));
    h.expect_no_events();
    h.expect_no_commands();
}
