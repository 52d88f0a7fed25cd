//! The persistent outbox on a virtual clock: what is kept and forgotten, the CONNECT waiting
//! for the kept emits, their order after a reload, their acks, and storage faults.

use core::time::Duration;

use super::harness::{expect_connect_frame, ws_only, Harness, HANDSHAKE_WS};
use crate::client::*;

fn persisting() -> ManagerConfig {
    let mut config = ws_only();
    config.persist_outbox = true;
    config
}

const KEY: &str = "socketio-wasm:http://127.0.0.1:3000/socket.io/#/";

/// The outbox ops among the commands so far (the others stay).
fn ops(h: &mut Harness) -> Vec<OutboxOp> {
    h.collect();
    let mut out = Vec::new();
    h.commands.retain(|c| match c {
        Command::Outbox { key, op, .. } => {
            assert_eq!(key, KEY);
            out.push(op.clone());
            false
        }
        _ => true,
    });
    out
}

fn emit(h: &mut Harness, nsp: NspId, data: &str) -> EmitOutcome {
    h.emit(nsp, data, EmitOptions::default()).1
}

fn kept(id: u64, data: &str, retry: bool, wants_ack: bool) -> StoredEmit {
    StoredEmit {
        id,
        data: data.into(),
        attachments: vec![],
        retry,
        wants_ack,
    }
}

fn loaded(h: &mut Harness, nsp: NspId, emits: Vec<StoredEmit>) {
    h.manager
        .handle_outbox(h.now, nsp, OutboxReport::Loaded(emits));
    h.collect();
}

/// A persisting socket whose (empty) outbox loaded, connected over a WebSocket.
fn connected() -> (Harness, TransportId, NspId) {
    let mut h = Harness::new(persisting());
    let nsp = h.manager.socket("/", None);
    assert_eq!(ops(&mut h), [OutboxOp::Load]);
    loaded(&mut h, nsp, vec![]);
    h.connect(nsp);
    let ws = expect_connect_frame(&mut h, "40");
    h.text(ws, r#"40{"sid":"s1"}"#);
    h.clear();
    (h, ws, nsp)
}

#[test]
fn emits_buffered_offline_are_kept_and_forgotten_when_flushed() {
    let (mut h, ws, nsp) = connected();
    assert_eq!(emit(&mut h, nsp, r#"["live"]"#), EmitOutcome::Sent);
    assert_eq!(ops(&mut h), [], "a packet sent at once is not kept");
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    h.clear();
    assert_eq!(emit(&mut h, nsp, r#"["a"]"#), EmitOutcome::Buffered);
    assert_eq!(emit(&mut h, nsp, r#"["b",1]"#), EmitOutcome::Buffered);
    assert_eq!(
        ops(&mut h),
        [
            OutboxOp::Put(kept(0, r#"["a"]"#, false, false)),
            OutboxOp::Put(kept(1, r#"["b",1]"#, false, false)),
        ]
    );
    assert_eq!(h.manager.outbox(nsp).len(), 2);
    h.advance_to_deadline();
    let ws2 = expect_connect_frame(&mut h, "40");
    h.text(ws2, r#"40{"sid":"s2"}"#);
    assert_eq!(ops(&mut h), [OutboxOp::Delete(0), OutboxOp::Delete(1)]);
    assert_eq!(h.expect_text_frame(), r#"42["a"]"#);
    assert_eq!(h.expect_text_frame(), r#"42["b",1]"#);
    assert_eq!(h.manager.outbox(nsp), []);
}

#[test]
fn the_connect_waits_for_the_kept_emits_which_go_first_in_their_order() {
    let mut h = Harness::new(persisting());
    let nsp = h.manager.socket("/", None);
    assert_eq!(ops(&mut h), [OutboxOp::Load]);
    // Emitted before the kept ones are in: kept too, and sent after them.
    assert_eq!(emit(&mut h, nsp, r#"["new"]"#), EmitOutcome::Buffered);
    assert_eq!(
        ops(&mut h),
        [OutboxOp::Put(kept(0, r#"["new"]"#, false, false))]
    );
    h.connect(nsp);
    let (ws, _) = h.expect_open_ws();
    h.input(TransportEvent::WebSocketOpen(ws));
    h.text(ws, HANDSHAKE_WS);
    h.expect_no_commands_but_outbox();
    let base = outbox::RESTORED_ID_BASE;
    loaded(
        &mut h,
        nsp,
        vec![
            kept(base, r#"["old",1]"#, false, false),
            kept(base + 1, r#"["old",2]"#, false, true),
        ],
    );
    assert_eq!(h.expect_text_frame(), "40");
    h.text(ws, r#"40{"sid":"s1"}"#);
    assert_eq!(
        ops(&mut h),
        [
            OutboxOp::Delete(base),
            OutboxOp::Delete(base + 1),
            OutboxOp::Delete(0)
        ]
    );
    assert_eq!(h.expect_text_frame(), r#"42["old",1]"#);
    assert_eq!(h.expect_text_frame(), r#"420["old",2]"#);
    assert_eq!(h.expect_text_frame(), r#"42["new"]"#);
    // The restored emit's ack has no function any more: it is reported by its id.
    h.events.clear();
    h.text(ws, r#"430["ok"]"#);
    assert_eq!(
        h.next_event(),
        Event::OutboxAck {
            nsp,
            id: base + 1,
            result: Ok((r#"["ok"]"#.into(), vec![]))
        }
    );
}

#[test]
fn retries_emits_are_kept_until_acknowledged_and_restored_ones_report_their_ack() {
    let mut config = persisting();
    config.engine.transports = vec![TransportKind::WebSocket];
    let mut h = Harness::new(config);
    let nsp = h.manager.socket("/", None);
    h.manager
        .set_socket_options(nsp, Some(3), Some(Duration::from_secs(1)));
    ops(&mut h);
    let base = outbox::RESTORED_ID_BASE;
    loaded(&mut h, nsp, vec![kept(base, r#"["r",0]"#, true, true)]);
    h.connect(nsp);
    let ws = expect_connect_frame(&mut h, "40");
    assert_eq!(emit(&mut h, nsp, r#"["r",1]"#), EmitOutcome::Buffered);
    assert_eq!(
        ops(&mut h),
        [OutboxOp::Put(kept(0, r#"["r",1]"#, true, false))]
    );
    h.text(ws, r#"40{"sid":"s1"}"#);
    assert_eq!(h.expect_text_frame(), r#"420["r",0]"#);
    // No answer in time: tried again, still kept.
    h.advance(Duration::from_secs(1));
    assert_eq!(h.expect_text_frame(), r#"421["r",0]"#);
    assert_eq!(ops(&mut h), []);
    h.events.clear();
    h.text(ws, "431[]");
    assert_eq!(
        h.next_event(),
        Event::OutboxAck {
            nsp,
            id: base,
            result: Ok(("[]".into(), vec![]))
        }
    );
    assert_eq!(ops(&mut h), [OutboxOp::Delete(base)]);
    assert_eq!(h.expect_text_frame(), r#"422["r",1]"#);
    h.text(ws, "432[]");
    assert_eq!(ops(&mut h), [OutboxOp::Delete(0)]);
    assert_eq!(h.manager.outbox(nsp), []);
}

#[test]
fn storage_that_fails_reports_and_falls_back_to_memory_without_losing_an_emit() {
    for fault in [StorageFault::Unavailable, StorageFault::Full] {
        let mut h = Harness::new(persisting());
        let nsp = h.manager.socket("/", None);
        ops(&mut h);
        assert_eq!(emit(&mut h, nsp, r#"["a"]"#), EmitOutcome::Buffered);
        assert_eq!(
            ops(&mut h),
            [OutboxOp::Put(kept(0, r#"["a"]"#, false, false))]
        );
        h.connect(nsp);
        let (ws, _) = h.expect_open_ws();
        h.input(TransportEvent::WebSocketOpen(ws));
        h.text(ws, HANDSHAKE_WS);
        h.events.clear();
        h.manager
            .handle_outbox(h.now, nsp, OutboxReport::Failed(fault));
        h.collect();
        assert_eq!(h.next_event(), Event::OutboxError(nsp, fault));
        // The CONNECT that waited goes; storage is cleared and no longer written.
        assert_eq!(ops(&mut h), [OutboxOp::Clear]);
        assert_eq!(h.expect_text_frame(), "40");
        assert_eq!(emit(&mut h, nsp, r#"["b"]"#), EmitOutcome::Buffered);
        assert_eq!(ops(&mut h), []);
        h.text(ws, r#"40{"sid":"s1"}"#);
        assert_eq!(h.expect_text_frame(), r#"42["a"]"#);
        assert_eq!(h.expect_text_frame(), r#"42["b"]"#);
    }
}

#[test]
fn a_corrupt_record_is_reported_and_the_outbox_keeps_persisting() {
    let (mut h, ws, nsp) = connected();
    h.manager
        .handle_outbox(h.now, nsp, OutboxReport::Failed(StorageFault::Corrupt));
    h.collect();
    assert_eq!(
        h.next_event(),
        Event::OutboxError(nsp, StorageFault::Corrupt)
    );
    assert_eq!(ops(&mut h), []);
    h.input(TransportEvent::WebSocketClosed(ws, Failure::Closed(1006)));
    emit(&mut h, nsp, r#"["a"]"#);
    assert_eq!(
        ops(&mut h),
        [OutboxOp::Put(kept(0, r#"["a"]"#, false, false))]
    );
}

#[test]
fn without_the_option_nothing_is_kept_and_nothing_waits() {
    let mut h = Harness::new(ws_only());
    let nsp = h.manager.socket("/", None);
    emit(&mut h, nsp, r#"["a"]"#);
    h.connect(nsp);
    expect_connect_frame(&mut h, "40");
    assert_eq!(ops(&mut h), []);
}
