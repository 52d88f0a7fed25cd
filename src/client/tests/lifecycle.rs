//! The page's lifecycle on a virtual clock: visibility, freezing, the back/forward cache, and
//! heartbeats checked late.

use core::time::Duration;

use super::harness::{close, connected_ws, connected_ws_with, ws_only, Harness, HANDSHAKE_WS};
use crate::client::*;

/// A connection lost to a server that is down: the Manager is in its first backoff delay.
fn in_backoff() -> (Harness, NspId, Instant) {
    let (mut h, ws, nsp) = connected_ws();
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    h.clear();
    let due = h.deadline.expect("a reconnection delay");
    assert!(due > h.now);
    (h, nsp, due)
}

fn expect_attempt(h: &mut Harness, n: u32) {
    assert_eq!(h.next_event(), Event::ReconnectAttempt(n));
    assert_eq!(h.next_event(), Event::Opening);
    h.expect_open_ws();
}

#[test]
fn becoming_visible_or_resuming_cuts_the_backoff_short() {
    for event in [
        PageEvent::Visible,
        PageEvent::Resumed,
        PageEvent::PageShow { persisted: false },
    ] {
        let (mut h, _, due) = in_backoff();
        h.page(PageEvent::Hidden);
        h.expect_no_events();
        h.page(event);
        assert!(h.now < due, "{event:?}");
        expect_attempt(&mut h, 1);
    }
}

#[test]
fn an_attempt_under_way_is_not_restarted_by_more_lifecycle_events() {
    let (mut h, _, _) = in_backoff();
    h.page(PageEvent::PageShow { persisted: false });
    expect_attempt(&mut h, 1);
    // The page's other events around a restore (visible, resume, online) leave it alone.
    h.page(PageEvent::Visible);
    h.page(PageEvent::Resumed);
    h.network(true);
    h.expect_no_events();
    h.expect_no_commands();
}

#[test]
fn without_reconnect_on_visible_the_delay_is_waited_out() {
    let mut config = ws_only();
    config.reconnect_on_visible = false;
    let (mut h, ws, _) = connected_ws_with(config, HANDSHAKE_WS);
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    h.clear();
    h.page(PageEvent::Hidden);
    h.page(PageEvent::Visible);
    h.page(PageEvent::Resumed);
    h.expect_no_events();
    h.expect_no_commands();
    h.advance_to_deadline();
    expect_attempt(&mut h, 1);
}

#[test]
fn visible_while_connected_or_not_reconnecting_does_nothing() {
    let (mut h, _, _) = connected_ws();
    h.clear();
    h.page(PageEvent::Hidden);
    h.page(PageEvent::Visible);
    h.page(PageEvent::Resumed);
    h.expect_no_events();
    h.expect_no_commands();
    assert!(h.manager.is_open());
}

#[test]
fn pause_while_hidden_holds_the_attempt_until_visible_without_counting_it() {
    let mut config = ws_only();
    config.pause_reconnect_while_hidden = true;
    config.reconnect_on_visible = false;
    let (mut h, ws, _) = connected_ws_with(config, HANDSHAKE_WS);
    h.page(PageEvent::Hidden);
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    h.clear();
    h.advance(Duration::from_secs(600));
    h.expect_no_events();
    h.expect_no_commands();
    // Visible again: the held attempt goes at once, even with reconnect_on_visible off.
    h.page(PageEvent::Visible);
    expect_attempt(&mut h, 1);
}

#[test]
fn a_hidden_page_still_reconnects_by_default() {
    let (mut h, _, _) = in_backoff();
    h.page(PageEvent::Hidden);
    h.advance_to_deadline();
    expect_attempt(&mut h, 1);
}

#[test]
fn visible_while_offline_keeps_the_offline_hold() {
    let (mut h, _, _) = in_backoff();
    h.network(false);
    h.advance(Duration::from_secs(60));
    h.expect_no_events();
    h.page(PageEvent::Visible);
    h.expect_no_events();
    h.expect_no_commands();
    h.network(true);
    expect_attempt(&mut h, 1);
}

#[test]
fn entering_the_page_cache_closes_holds_and_showing_it_reconnects_at_once() {
    let (mut h, ws, nsp) = connected_ws();
    h.clear();
    h.page(PageEvent::PageHide { persisted: true });
    assert_eq!(h.expect_close(), ws);
    assert_eq!(
        h.next_event(),
        close(
            CloseReason::TransportClose,
            Some(Failure::PageCached),
            &[nsp]
        )
    );
    h.clear();
    // Timers that still run before the freeze do not reconnect from inside the cache.
    h.advance(Duration::from_secs(60));
    h.expect_no_events();
    h.expect_no_commands();
    // Emits meanwhile are buffered, as when offline.
    assert_eq!(
        h.emit(nsp, "[\"chat\",1]", EmitOptions::default()).1,
        EmitOutcome::Buffered
    );
    h.page(PageEvent::PageShow { persisted: true });
    expect_attempt(&mut h, 1);
}

#[test]
fn page_cache_restore_reconnects_at_once_even_without_reconnect_on_visible() {
    let mut config = ws_only();
    config.reconnect_on_visible = false;
    let (mut h, _, _) = connected_ws_with(config, HANDSHAKE_WS);
    h.page(PageEvent::PageHide { persisted: true });
    h.clear();
    h.page(PageEvent::PageShow { persisted: true });
    expect_attempt(&mut h, 1);
}

#[test]
fn a_plain_pagehide_or_close_on_page_hide_off_leaves_the_connection() {
    let (mut h, _, _) = connected_ws();
    h.clear();
    h.page(PageEvent::PageHide { persisted: false });
    h.expect_no_commands();
    h.expect_no_events();
    let mut config = ws_only();
    config.close_on_page_hide = false;
    let (mut h, _, _) = connected_ws_with(config, HANDSHAKE_WS);
    h.clear();
    h.page(PageEvent::PageHide { persisted: true });
    h.expect_no_commands();
    h.expect_no_events();
    assert!(h.manager.is_open());
}

/// The session ends with "ping timeout": its WebSocket closes and `nsp` disconnects.
fn expect_ping_timeout(h: &mut Harness, ws: TransportId, nsp: NspId) {
    assert_eq!(h.expect_close(), ws);
    assert_eq!(
        h.next_event(),
        close(CloseReason::PingTimeout, None, &[nsp])
    );
}

/// Connected, with a ping answered: the heartbeat deadline is pingInterval + pingTimeout
/// (45 s) away.
fn pinged(config: ManagerConfig) -> (Harness, TransportId, NspId) {
    let (mut h, ws, nsp) = connected_ws_with(config, HANDSHAKE_WS);
    h.text(ws, "2");
    assert_eq!(h.expect_text_frame(), "3");
    h.clear();
    (h, ws, nsp)
}

#[test]
fn a_late_heartbeat_check_waits_for_the_pings_queued_behind_it() {
    let (mut h, ws, _) = pinged(ws_only());
    // Frozen for two minutes: the timer fires long after its deadline.
    h.now = h.now + Duration::from_secs(120);
    h.manager.handle_page(h.now, PageEvent::Resumed);
    h.collect();
    h.manager.handle_timeout(h.now);
    h.collect();
    h.expect_no_events();
    h.expect_no_commands();
    // The server's ping that waited in the event loop arrives: the session lives on.
    h.text(ws, "2");
    assert_eq!(h.expect_text_frame(), "3");
    assert_eq!(h.next_event(), Event::Ping);
    h.advance(engine::LATE_HEARTBEAT_GRACE);
    h.expect_no_events();
    assert!(h.manager.is_open());
}

#[test]
fn a_late_heartbeat_check_with_nothing_arriving_times_out_after_the_grace() {
    let (mut h, ws, nsp) = pinged(ws_only());
    h.now = h.now + Duration::from_secs(120);
    h.manager.handle_timeout(h.now);
    h.collect();
    h.expect_no_events();
    assert_eq!(h.deadline, Some(h.now + engine::LATE_HEARTBEAT_GRACE));
    // Even a late grace check is final: the grace is given once per ping.
    h.advance(engine::LATE_HEARTBEAT_GRACE + Duration::from_secs(30));
    expect_ping_timeout(&mut h, ws, nsp);
}

#[test]
fn an_emit_on_a_late_heartbeat_does_not_end_the_session_before_the_grace() {
    let (mut h, ws, nsp) = pinged(ws_only());
    h.now = h.now + Duration::from_secs(120);
    let (_, outcome) = h.emit(nsp, "[\"chat\",1]", EmitOptions::default());
    assert_eq!(outcome, EmitOutcome::Sent);
    assert!(h.manager.is_open());
    h.text(ws, "2");
    assert!(h.manager.is_open());
}

#[test]
fn an_on_time_heartbeat_and_the_official_setting_time_out_at_once() {
    // On time (the timer is not late): "ping timeout" at the deadline, no grace.
    let (mut h, ws, nsp) = pinged(ws_only());
    h.advance(Duration::from_millis(45_000));
    expect_ping_timeout(&mut h, ws, nsp);
    // Late, with confirm_ping_timeout off: at once, as the official client.
    let mut config = ws_only();
    config.engine.confirm_ping_timeout = false;
    let (mut h, ws, nsp) = pinged(config);
    h.advance(Duration::from_secs(120));
    expect_ping_timeout(&mut h, ws, nsp);
}

#[test]
fn next_attempt_in_counts_down_the_delay_and_is_none_while_held_or_under_way() {
    let (mut h, _, due) = in_backoff();
    assert_eq!(
        h.manager.next_attempt_in(h.now),
        Some(due.saturating_since(h.now))
    );
    h.network(false);
    h.advance(Duration::from_secs(60));
    assert_eq!(h.manager.next_attempt_in(h.now), None, "held while offline");
    h.network(true);
    expect_attempt(&mut h, 1);
    assert_eq!(h.manager.next_attempt_in(h.now), None, "under way");
}
