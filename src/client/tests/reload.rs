//! Connection state recovery across a reload (`recover_after_reload`), on a virtual clock: what
//! the unloading page keeps, and what the reloaded one sends.

use super::harness::{connected_ws_with, expect_connect_frame, ws_only, Harness, HANDSHAKE_WS};
use crate::client::*;

fn recovering() -> ManagerConfig {
    let mut config = ws_only();
    config.recover_after_reload = true;
    config
}

/// Connected with a recoverable session (`pid` p1) that has received one event (offset o1).
fn with_session(config: ManagerConfig) -> (Harness, TransportId, NspId) {
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.connect(nsp);
    let ws = expect_connect_frame(&mut h, "40");
    h.text(ws, r#"40{"sid":"s1","pid":"p1"}"#);
    h.text(ws, r#"42["tick",0,"o1"]"#);
    assert!(h.events.contains(&Event::Connect(nsp)));
    h.clear();
    (h, ws, nsp)
}

fn saved(h: &mut Harness) -> Vec<(String, String)> {
    h.commands
        .drain(..)
        .filter_map(|c| match c {
            Command::SaveSession { key, value } => Some((key, value)),
            _ => None,
        })
        .collect()
}

#[test]
fn unloading_keeps_each_session_under_its_url_and_namespace() {
    let (mut h, _, _) = with_session(recovering());
    h.page(PageEvent::PageHide { persisted: false });
    assert_eq!(
        saved(&mut h),
        [(
            "socketio-wasm:http://127.0.0.1:3000/socket.io/#/".to_owned(),
            r#"["p1","o1"]"#.to_owned()
        )]
    );
}

#[test]
fn nothing_is_kept_without_the_option_a_pid_or_for_the_page_cache() {
    let (mut h, _, _) = with_session(ws_only());
    h.page(PageEvent::PageHide { persisted: false });
    assert_eq!(saved(&mut h), []);
    let (mut h, _, _) = connected_ws_with(recovering(), HANDSHAKE_WS);
    h.clear();
    h.page(PageEvent::PageHide { persisted: false });
    assert_eq!(saved(&mut h), []);
    let mut config = recovering();
    config.close_on_page_hide = false;
    let (mut h, _, _) = with_session(config);
    h.page(PageEvent::PageHide { persisted: true });
    assert_eq!(saved(&mut h), []);
}

#[test]
fn the_reloaded_page_asks_to_recover_and_reports_recovered() {
    let mut h = Harness::new(recovering());
    let nsp = h.manager.socket("/", None);
    assert!(h.manager.restore_session(nsp, r#"["p1","o1"]"#));
    h.connect(nsp);
    let ws = expect_connect_frame(&mut h, r#"40{"pid":"p1","offset":"o1"}"#);
    h.text(ws, r#"40{"sid":"s1","pid":"p1"}"#);
    assert!(h.events.contains(&Event::Connect(nsp)));
    assert!(h.manager.is_recovered(nsp));
}

#[test]
fn a_corrupt_or_foreign_record_is_ignored_and_the_socket_connects_fresh() {
    for value in [
        "",
        "[",
        "[1]",
        r#"["p1",2]"#,
        r#"["p1","o1"] x"#,
        r#"{"pid":"p1"}"#,
    ] {
        let mut h = Harness::new(recovering());
        let nsp = h.manager.socket("/", None);
        assert!(!h.manager.restore_session(nsp, value), "{value:?}");
        h.connect(nsp);
        expect_connect_frame(&mut h, "40");
    }
    // Without the option, even a good record is not used.
    let mut h = Harness::new(ws_only());
    let nsp = h.manager.socket("/", None);
    assert!(!h.manager.restore_session(nsp, r#"["p1","o1"]"#));
}

#[test]
fn a_socket_with_a_session_of_its_own_keeps_it() {
    let (mut h, _, nsp) = with_session(recovering());
    assert!(!h.manager.restore_session(nsp, r#"["other","o9"]"#));
    h.page(PageEvent::PageHide { persisted: false });
    assert_eq!(saved(&mut h)[0].1, r#"["p1","o1"]"#);
}
