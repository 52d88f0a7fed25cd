//! Browser tests of the Rust API and the browser driver, in headless Chromium through
//! chromedriver (`wasm-bindgen-test`). The reference server's URL comes in at compile time as
//! `SERVER_URL` (scripts/test.sh starts the server); without it the tests are not built.
#![cfg(target_arch = "wasm32")]
// Test code: a failed expectation should stop the test loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

use std::cell::RefCell;
use std::rc::Rc;

use core::time::Duration;
use futures_channel::oneshot;
use socketio_wasm::api::Socket;
use socketio_wasm::client::{CloseReason, ManagerConfig, TransportKind};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = match option_env!("SERVER_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:3000",
};

/// Resolves with the first value sent through the returned sender, or fails after `ms`.
async fn within<T>(ms: u32, rx: oneshot::Receiver<T>) -> T {
    let timeout = gloo_timers::future::TimeoutFuture::new(ms);
    futures_util::pin_mut!(timeout);
    match futures_util::future::select(rx, timeout).await {
        futures_util::future::Either::Left((Ok(v), _)) => v,
        _ => panic!("timed out after {ms} ms"),
    }
}

fn once<T: 'static>() -> (
    Rc<RefCell<Option<oneshot::Sender<T>>>>,
    oneshot::Receiver<T>,
) {
    let (tx, rx) = oneshot::channel();
    (Rc::new(RefCell::new(Some(tx))), rx)
}

fn fire<T>(slot: &Rc<RefCell<Option<oneshot::Sender<T>>>>, value: T) {
    if let Some(tx) = slot.borrow_mut().take() {
        let _ = tx.send(value);
    }
}

async fn connected(config: ManagerConfig) -> Socket {
    let socket = Socket::connect_with(SERVER, config).expect("valid URL");
    let (tx, rx) = once();
    socket.on_connect(move |()| fire(&tx, ()));
    within(10_000, rx).await;
    socket
}

fn with_transports(transports: Vec<TransportKind>) -> ManagerConfig {
    let mut config = ManagerConfig::default();
    config.engine.transports = transports;
    config
}

#[wasm_bindgen_test]
async fn websocket_echo_and_ack_carry_the_same_json() {
    let socket = connected(with_transports(vec![TransportKind::WebSocket])).await;
    assert!(socket.connected());
    assert!(socket.id().is_some());
    let (echo_tx, echo_rx) = once();
    socket.on("echo", move |args| fire(&echo_tx, args));
    let (ack_tx, ack_rx) = once();
    socket
        .emit_with_ack(
            "echo",
            r#"[{"a":1,"s":"é✓"}]"#,
            Some(Duration::from_secs(5)),
            move |answer| fire(&ack_tx, answer),
        )
        .expect("emit");
    assert_eq!(within(5_000, echo_rx).await, r#"[{"a":1,"s":"é✓"}]"#);
    assert_eq!(
        within(5_000, ack_rx).await,
        Ok(r#"[{"a":1,"s":"é✓"}]"#.to_owned())
    );
    let (tx, rx) = once();
    socket.on_disconnect(move |reason| fire(&tx, reason));
    socket.disconnect();
    assert_eq!(within(5_000, rx).await, CloseReason::ClientDisconnect);
    assert!(!socket.connected());
}

#[wasm_bindgen_test]
async fn polling_connects_and_acks() {
    let socket = connected(with_transports(vec![TransportKind::Polling])).await;
    let (tx, rx) = once();
    socket
        .emit_with_ack("echo", "[1,2,3]", None, move |answer| fire(&tx, answer))
        .expect("emit");
    assert_eq!(within(5_000, rx).await, Ok("[1,2,3]".to_owned()));
    socket.disconnect();
}

#[wasm_bindgen_test]
async fn a_listener_may_emit_from_inside_a_listener() {
    let socket = connected(ManagerConfig::default()).await;
    let (tx, rx) = once();
    let inner = socket.clone();
    socket.on("echo", move |args| {
        if args == "[\"first\"]" {
            // Re-entrant call from inside the event dispatch: must not panic (no borrow held).
            inner
                .emit("echo", "[\"second\"]")
                .expect("emit from a listener");
        } else {
            fire(&tx, args);
        }
    });
    socket.emit("echo", "[\"first\"]").expect("emit");
    assert_eq!(within(5_000, rx).await, "[\"second\"]");
    socket.disconnect();
}

#[wasm_bindgen_test]
async fn an_ack_that_never_comes_times_out_with_the_official_message() {
    let socket = connected(ManagerConfig::default()).await;
    let (tx, rx) = once();
    socket
        .emit_with_ack(
            "no-ack",
            "[]",
            Some(Duration::from_millis(200)),
            move |answer| fire(&tx, answer),
        )
        .expect("emit");
    let error = within(5_000, rx).await.expect_err("a timeout");
    assert_eq!(error.as_str(), "operation has timed out");
    socket.disconnect();
}

#[wasm_bindgen_test]
async fn a_relative_url_is_resolved_against_the_page() {
    // The test page is served by the test runner, not by a Socket.IO server: a relative URL
    // must still resolve (no BadHost) and be tried against the page's own origin, which answers
    // the polling handshake with an HTTP error.
    let socket = Socket::connect_with("/", with_transports(vec![TransportKind::Polling]))
        .expect("a relative URL resolves against the page");
    let (tx, rx) = once();
    socket.on_connect_error(move |error| fire(&tx, error));
    let error = within(10_000, rx).await;
    assert_eq!(error.message(), "xhr poll error");
    socket.disconnect();
}

#[wasm_bindgen_test]
async fn an_event_that_asks_for_an_ack_is_answered() {
    let socket = connected(ManagerConfig::default()).await;
    let (question_tx, question_rx) = once();
    socket.on_with_ack("question", move |args, ack| {
        let ack = ack.expect("the server asked for an ack");
        ack.send("[42,\"answer\"]").expect("answered");
        // A second answer is ignored, as with socket.io-client's ack function.
        ack.send("[0]").expect("ignored");
        fire(&question_tx, args);
    });
    let (tx, rx) = once();
    socket
        .emit_with_ack(
            "ask",
            r#"["question",{"n":1}]"#,
            Some(Duration::from_secs(5)),
            move |answer| fire(&tx, answer),
        )
        .expect("emit");
    assert_eq!(within(5_000, question_rx).await, r#"[{"n":1}]"#);
    assert_eq!(within(5_000, rx).await, Ok(r#"[42,"answer"]"#.to_owned()));
    socket.disconnect();
}
