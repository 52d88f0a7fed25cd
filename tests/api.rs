//! Browser tests of the Rust API (`socketio_wasm::api`) in headless Chromium through
//! chromedriver (wasm-bindgen-test), every case against both the Rust reference server and the
//! official Node server. Their URLs come in at compile time as `SERVER_URL` and
//! `NODE_SERVER_URL`: `bash scripts/test-rust-api.sh` starts both servers and runs
//! `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]
// Test code: a failed expectation should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "api_support/mod.rs"]
mod support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use socketio_wasm::api::{
    io, ConnectionState, DisconnectReason, Error, Manager, ManagerEvent, Socket,
};
use socketio_wasm::client::{CloseReason, TransportKind};
use support::{first, next, unique, within};
use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Note {
    text: String,
    n: u32,
    tags: Vec<String>,
}

fn note() -> Note {
    Note {
        text: "é✓ hello".into(),
        n: 7,
        tags: vec!["a".into(), "b".into()],
    }
}

async fn connected(socket: Socket) -> Socket {
    within(10_000, "connect", socket.wait_connected())
        .await
        .expect("connected");
    socket
}

fn fresh(server: &str) -> socketio_wasm::api::ManagerBuilder {
    Manager::builder(server).force_new(true)
}

both_servers!(
    typed_emit_and_ack_round_trip,
    several_arguments_are_a_tuple,
    an_ack_that_never_comes_times_out,
    a_server_ack_request_is_answered,
    on_any_sees_every_event,
    a_dropped_subscription_stops_its_listener,
    a_listener_capturing_its_socket_does_not_keep_it_alive,
    the_last_socket_leaves_and_the_last_manager_closes,
    sockets_of_one_manager_share_its_connection,
    io_follows_the_manager_cache_rules,
    states_follow_a_reconnection,
    buffered_emits_arrive_once_in_order_after_reconnection,
    volatile_emits_are_dropped_while_disconnected,
    auth_is_accepted_and_refused,
    a_stream_of_events_ends_its_listener_on_drop,
    polling_works_like_websocket,
    a_reserved_event_name_is_an_error,
    binary_fields_travel_as_attachments_both_ways,
);

async fn typed_emit_and_ack_round_trip(server: &str) {
    let socket = connected(fresh(server).connect().unwrap()).await;
    assert!(socket.connected());
    match socket.state() {
        ConnectionState::Connected { id, recovered } => {
            assert_eq!(Some(id), socket.id());
            assert!(!recovered);
        }
        other => panic!("not connected: {other:?}"),
    }
    let mut echoes = socket.stream::<Note>("echo");
    let answer: Note = within(5_000, "the ack", socket.emit_with_ack("echo", &note()))
        .await
        .expect("an answer");
    assert_eq!(answer, note());
    assert_eq!(next(5_000, "the echo", &mut echoes).await, note());
    // An ack read as the wrong type is a decode error, not a panic.
    let wrong = within(
        5_000,
        "the ack",
        socket.emit_with_ack::<u32>("echo", &"text"),
    )
    .await;
    assert!(matches!(wrong, Err(Error::Decode(_))), "{wrong:?}");
}

async fn several_arguments_are_a_tuple(server: &str) {
    let socket = connected(fresh(server).connect().unwrap()).await;
    let mut echoes = socket.stream::<(String, u32, Option<bool>)>("echo");
    socket.emit_args("echo", &("x", 3, None::<bool>)).unwrap();
    assert_eq!(
        next(5_000, "the echo", &mut echoes).await,
        ("x".to_owned(), 3, None)
    );
    // No argument at all reads as `()`.
    let none: () = within(5_000, "ack", socket.emit_with_ack("join", &"room-x"))
        .await
        .unwrap();
    assert_eq!(none, ());
}

async fn an_ack_that_never_comes_times_out(server: &str) {
    let socket = connected(fresh(server).connect().unwrap()).await;
    let result = within(
        5_000,
        "the timeout",
        socket
            .emit_with_ack::<()>("no-ack", &())
            .timeout(Duration::from_millis(200)),
    )
    .await;
    assert_eq!(result, Err(Error::AckTimeout));
    assert_eq!(Error::AckTimeout.to_string(), "operation has timed out");
    // The socket's ack_timeout applies when the emit sets none.
    let socket = connected(
        fresh(server)
            .ack_timeout(Duration::from_millis(200))
            .connect()
            .unwrap(),
    )
    .await;
    let result = within(
        5_000,
        "the timeout",
        socket.emit_with_ack::<()>("no-ack", &()),
    )
    .await;
    assert_eq!(result, Err(Error::AckTimeout));
    // An answer in time still arrives.
    let done: String = within(
        5_000,
        "ack-later",
        socket
            .emit_with_ack("ack-later", &10)
            .timeout(Duration::from_secs(5)),
    )
    .await
    .unwrap();
    assert_eq!(done, "done");
}

async fn a_server_ack_request_is_answered(server: &str) {
    let socket = connected(fresh(server).connect().unwrap()).await;
    let questions = Rc::new(RefCell::new(Vec::new()));
    let seen = questions.clone();
    let _answering = socket.on_with_ack("question", move |q: Note, ack| {
        seen.borrow_mut().push(q.n);
        let ack = ack.expect("the server asked for an ack");
        ack.send_args(&(q.n * 6, "answer")).unwrap();
        // A second answer is ignored, as with socket.io-client's ack function.
        ack.send(&0).unwrap();
    });
    let answer: (u32, String) = within(
        5_000,
        "ask",
        socket.emit_with_ack_args("ask", &("question", note())),
    )
    .await
    .unwrap();
    assert_eq!(answer, (42, "answer".to_owned()));
    assert_eq!(*questions.borrow(), [7]);
}

async fn on_any_sees_every_event(server: &str) {
    let socket = connected(fresh(server).connect().unwrap()).await;
    let names = Rc::new(RefCell::new(Vec::new()));
    let seen = names.clone();
    let _any = socket.on_any(move |name, payload| {
        seen.borrow_mut()
            .push((name.to_owned(), payload.json().to_owned()));
    });
    let count: u32 = within(
        5_000,
        "burst",
        socket.emit_with_ack("burst", &serde_json::json!({"event": "tick", "count": 3})),
    )
    .await
    .unwrap();
    assert_eq!(count, 3);
    assert_eq!(
        *names.borrow(),
        [
            ("tick".to_owned(), "[0]".to_owned()),
            ("tick".to_owned(), "[1]".to_owned()),
            ("tick".to_owned(), "[2]".to_owned()),
        ]
    );
}

async fn a_dropped_subscription_stops_its_listener(server: &str) {
    let socket = connected(fresh(server).connect().unwrap()).await;
    let calls = Rc::new(Cell::new(0));
    let counted = calls.clone();
    let subscription = socket.on("echo", move |_: serde_json::Value| {
        counted.set(counted.get() + 1)
    });
    let mut echoes = socket.stream::<u32>("echo");
    socket.emit("echo", &1).unwrap();
    assert_eq!(next(5_000, "echo 1", &mut echoes).await, 1);
    assert_eq!(calls.get(), 1);
    drop(subscription);
    socket.emit("echo", &2).unwrap();
    assert_eq!(next(5_000, "echo 2", &mut echoes).await, 2);
    assert_eq!(calls.get(), 1, "the dropped listener ran");
}

async fn a_listener_capturing_its_socket_does_not_keep_it_alive(server: &str) {
    let socket = connected(fresh(server).connect().unwrap()).await;
    let mut manager_events = socket.manager().events();
    let weak = socket.downgrade();
    let captured = socket.clone();
    let subscription = socket.on("echo", move |n: u32| {
        if n == 1 {
            captured.emit("echo", &2).unwrap();
        }
    });
    let mut echoes = socket.stream::<u32>("echo");
    socket.emit("echo", &1).unwrap();
    assert_eq!(next(5_000, "echo 1", &mut echoes).await, 1);
    assert_eq!(
        next(5_000, "echo 2 from the listener", &mut echoes).await,
        2
    );
    drop((socket, subscription, echoes));
    assert!(weak.upgrade().is_none(), "the socket is still alive");
    // Its Manager is gone too: its event stream ends once its last sender is dropped.
    let rest = within(5_000, "the end of the Manager's events", async {
        let mut rest = Vec::new();
        while let Some(event) = manager_events.next().await {
            rest.push(event);
        }
        rest
    })
    .await;
    assert!(!rest.contains(&ManagerEvent::Open), "{rest:?}");
}

async fn the_last_socket_leaves_and_the_last_manager_closes(server: &str) {
    let manager = fresh(server).build().unwrap();
    let mut events = manager.events();
    let main = connected(manager.socket("/").unwrap()).await;
    let custom = connected(manager.socket("/custom").unwrap()).await;
    let mut custom_states = custom.states();
    drop(main);
    // One socket left: the connection stays.
    custom.emit("echo", &1).unwrap();
    let n: u32 = within(5_000, "ack", custom.emit_with_ack("echo", &5))
        .await
        .unwrap();
    assert_eq!(n, 5);
    assert!(custom_states.next().await.unwrap().is_connected());
    drop(custom);
    // No socket left: the Manager closes its connection.
    let reason = first(5_000, "close", &mut events, |e| match e {
        ManagerEvent::Close(reason) => Some(reason),
        _ => None,
    })
    .await;
    assert_eq!(reason, CloseReason::ForcedClose);
    drop(manager);
    let rest = within(5_000, "the end of the events", events.collect::<Vec<_>>()).await;
    assert!(
        rest.iter().all(|e| !matches!(e, ManagerEvent::Open)),
        "{rest:?}"
    );
}

async fn sockets_of_one_manager_share_its_connection(server: &str) {
    let manager = fresh(server).build().unwrap();
    let mut events = manager.events();
    let main = connected(manager.socket("/").unwrap()).await;
    let custom = connected(manager.socket("/custom").unwrap()).await;
    assert!(main.manager().same(custom.manager()));
    assert!(manager.socket("/").unwrap().downgrade().upgrade().is_some());
    assert_eq!(main.namespace(), "/");
    assert_eq!(custom.namespace(), "/custom");
    assert!(main.id().is_some() && custom.id().is_some());
    // One Engine.IO session for both: a single Open.
    let n: u32 = within(5_000, "ack", custom.emit_with_ack("echo", &9))
        .await
        .unwrap();
    assert_eq!(n, 9);
    manager.close();
    let mut opens = 0;
    while let Some(event) = within(5_000, "events", events.next()).await {
        match event {
            ManagerEvent::Open => opens += 1,
            ManagerEvent::Close(_) => break,
            _ => {}
        }
    }
    assert_eq!(opens, 1);
}

async fn io_follows_the_manager_cache_rules(server: &str) {
    let a = connected(io(server).unwrap()).await;
    // Another namespace of the same server: the cached Manager.
    let custom = connected(io(&format!("{server}/custom")).unwrap()).await;
    assert!(a.manager().same(custom.manager()));
    // The same namespace again: a new Manager (as socket.io-client's `sameNamespace`).
    let b = connected(io(server).unwrap()).await;
    assert!(!a.manager().same(b.manager()));
    assert_ne!(a.id(), b.id());
    // forceNew and multiplex(false): never the cache.
    let forced = Manager::builder(&format!("{server}/auth"))
        .force_new(true)
        .auth(&serde_json::json!({"token": "secret"}))
        .connect()
        .unwrap();
    assert!(!a.manager().same(forced.manager()));
    let unplexed = Manager::builder(&format!("{server}/auth"))
        .multiplex(false)
        .auth(&serde_json::json!({"token": "secret"}))
        .connect()
        .unwrap();
    assert!(!a.manager().same(unplexed.manager()));
    // A bad URL is an error, not a panic.
    assert!(matches!(io("ftp://example.com"), Err(Error::Url(_))));
}

async fn states_follow_a_reconnection(server: &str) {
    let socket = fresh(server)
        .reconnection_delay(Duration::from_millis(100))
        .reconnection_delay_max(Duration::from_millis(200))
        .connect()
        .unwrap();
    let mut states = socket.states();
    assert_eq!(
        next(5_000, "first state", &mut states).await,
        ConnectionState::Connecting
    );
    let first_id = first(10_000, "connected", &mut states, |s| match s {
        ConnectionState::Connected { id, .. } => Some(id),
        _ => None,
    })
    .await;
    let mut manager_events = socket.manager().events();
    socket.manager().drop_connection();
    match next(5_000, "reconnecting", &mut states).await {
        ConnectionState::Reconnecting { attempt, retry_in } => {
            assert_eq!(attempt, 1);
            assert!(retry_in <= Duration::from_millis(200), "{retry_in:?}");
        }
        other => panic!("expected Reconnecting, got {other:?}"),
    }
    assert_eq!(
        next(5_000, "connecting", &mut states).await,
        ConnectionState::Connecting
    );
    let second_id = first(10_000, "connected again", &mut states, |s| match s {
        ConnectionState::Connected { id, .. } => Some(id),
        _ => None,
    })
    .await;
    assert_ne!(first_id, second_id);
    let mut seen = Vec::new();
    while let Some(event) = within(5_000, "manager events", manager_events.next()).await {
        let done = matches!(event, ManagerEvent::Reconnect(_));
        seen.push(event);
        if done {
            break;
        }
    }
    assert!(
        seen.contains(&ManagerEvent::Close(CloseReason::ForcedClose)),
        "{seen:?}"
    );
    assert!(
        seen.contains(&ManagerEvent::ReconnectAttempt(1)),
        "{seen:?}"
    );
    assert!(seen.contains(&ManagerEvent::Reconnect(1)), "{seen:?}");
    socket.disconnect();
    assert_eq!(
        next(5_000, "disconnected", &mut states).await,
        ConnectionState::Disconnected {
            reason: DisconnectReason::Closed(CloseReason::ClientDisconnect)
        }
    );
}

async fn buffered_emits_arrive_once_in_order_after_reconnection(server: &str) {
    let socket = connected(
        fresh(server)
            .reconnection_delay(Duration::from_millis(300))
            .reconnection_delay_max(Duration::from_millis(300))
            .connect()
            .unwrap(),
    )
    .await;
    let key = unique("buffered");
    socket.manager().drop_connection();
    assert!(!socket.connected());
    let pending: Vec<_> = (1..=3)
        .map(|i| {
            socket
                .emit_with_ack_args::<u32>("record", &(key.as_str(), i))
                .send()
        })
        .collect();
    let mut lengths = Vec::new();
    for ack in pending {
        lengths.push(within(10_000, "a buffered record", ack).await.unwrap());
    }
    assert_eq!(lengths, [1, 2, 3]);
    let after: u32 = within(
        5_000,
        "one more",
        socket.emit_with_ack_args("record", &(key.as_str(), 4)),
    )
    .await
    .unwrap();
    assert_eq!(after, 4, "a buffered emit arrived twice");
}

async fn volatile_emits_are_dropped_while_disconnected(server: &str) {
    let socket = fresh(server).auto_connect(false).connect().unwrap();
    let key = unique("volatile");
    socket
        .volatile()
        .emit_args("record", &(key.as_str(), "dropped"))
        .unwrap();
    let lost = socket
        .emit_with_ack_args::<u32>("record", &(key.as_str(), "lost"))
        .volatile()
        .send();
    socket.connect();
    let socket = connected(socket).await;
    let n: u32 = within(
        5_000,
        "record",
        socket.emit_with_ack_args("record", &(key.as_str(), "kept")),
    )
    .await
    .unwrap();
    assert_eq!(n, 1, "a volatile emit was buffered");
    // Its ack will never come: the future says so instead of waiting forever.
    let lost = within(5_000, "the volatile ack", lost).await;
    assert_eq!(lost, Err(Error::AckCut));
}

async fn auth_is_accepted_and_refused(server: &str) {
    #[derive(Deserialize)]
    struct Handshake {
        auth: serde_json::Value,
    }
    let accepted = fresh(&format!("{server}/auth"))
        .auth(&serde_json::json!({"token": "secret"}))
        .connect()
        .unwrap();
    within(10_000, "connect", accepted.wait_connected())
        .await
        .unwrap();
    let handshake: Handshake = within(
        5_000,
        "handshake",
        accepted.emit_with_ack_args("get-handshake", &()),
    )
    .await
    .unwrap();
    assert_eq!(handshake.auth, serde_json::json!({"token": "secret"}));

    let refused = fresh(&format!("{server}/auth"))
        .auth(&serde_json::json!({"token": "wrong"}))
        .connect()
        .unwrap();
    let error = within(10_000, "refusal", refused.wait_connected())
        .await
        .expect_err("refused");
    match &error {
        Error::Refused { message, .. } => assert_eq!(message, "unauthorized"),
        other => panic!("expected Refused, got {other:?}"),
    }
    assert_eq!(error.to_string(), "connection refused: unauthorized");
    assert_eq!(
        refused.state(),
        ConnectionState::Disconnected {
            reason: DisconnectReason::Refused("unauthorized".into())
        }
    );
    // set_auth applies to the next CONNECT (socket.io-client's auth function).
    refused
        .set_auth(&serde_json::json!({"token": "secret"}))
        .unwrap();
    refused.connect();
    within(
        10_000,
        "connect with the new auth",
        refused.wait_connected(),
    )
    .await
    .unwrap();
    // An auth that is not a JSON object is refused before anything is sent.
    let bad = fresh(server).auth(&[1, 2]).connect();
    assert!(matches!(bad, Err(Error::Encode(_))));
}

async fn a_stream_of_events_ends_its_listener_on_drop(server: &str) {
    let socket = connected(fresh(server).connect().unwrap()).await;
    let mut ticks = socket.stream::<u32>("tick");
    let count: u32 = within(
        5_000,
        "burst",
        socket.emit_with_ack("burst", &serde_json::json!({"event": "tick", "count": 2})),
    )
    .await
    .unwrap();
    assert_eq!(count, 2);
    assert_eq!(next(5_000, "tick 0", &mut ticks).await, 0);
    assert_eq!(next(5_000, "tick 1", &mut ticks).await, 1);
}

async fn polling_works_like_websocket(server: &str) {
    for transports in [[TransportKind::Polling], [TransportKind::WebSocket]] {
        let socket = connected(
            fresh(server)
                .transports(&transports)
                .upgrade(false)
                .connect()
                .unwrap(),
        )
        .await;
        assert_eq!(socket.manager().transport(), Some(transports[0]));
        let back: Note = within(5_000, "echo", socket.emit_with_ack("echo", &note()))
            .await
            .unwrap();
        assert_eq!(back, note());
    }
}

async fn a_reserved_event_name_is_an_error(server: &str) {
    let socket = connected(fresh(server).connect().unwrap()).await;
    let error = socket.emit("disconnect", &()).expect_err("reserved");
    assert!(matches!(error, Error::Misuse(_)));
    assert_eq!(error.to_string(), "this event name is reserved");
    let ack = within(1_000, "ack", socket.emit_with_ack::<()>("connect", &())).await;
    assert!(matches!(ack, Err(Error::Misuse(_))));
}

#[wasm_bindgen_test::wasm_bindgen_test]
async fn a_relative_url_is_resolved_against_the_page() {
    // The test page is served by the test runner, not by a Socket.IO server: a relative URL
    // must still resolve (no bad host) and be tried against the page's own origin, which
    // answers the polling handshake with an HTTP error.
    let socket = Manager::builder("/")
        .transports(&[TransportKind::Polling])
        .reconnection(false)
        .force_new(true)
        .build()
        .unwrap();
    let mut events = socket.events();
    let main = socket.socket("/").unwrap();
    let error = first(10_000, "the error", &mut events, |e| match e {
        ManagerEvent::Error(message) => Some(message),
        _ => None,
    })
    .await;
    assert_eq!(error, "xhr poll error");
    // Without reconnection the socket gives up, and says why.
    let failed = within(10_000, "the failure", main.wait_connected()).await;
    assert!(
        matches!(&failed, Err(Error::Refused { message, .. }) if message == "xhr poll error"),
        "{failed:?}"
    );
    assert_eq!(
        main.state(),
        ConnectionState::Disconnected {
            reason: DisconnectReason::Failed("xhr poll error".into())
        }
    );
}

async fn binary_fields_travel_as_attachments_both_ways(server: &str) {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct File {
        name: String,
        #[serde(with = "serde_bytes")]
        data: Vec<u8>,
        parts: Vec<serde_bytes::ByteBuf>,
    }
    let file = File {
        name: "blob.bin".into(),
        data: (0..=255).collect(),
        parts: vec![
            serde_bytes::ByteBuf::from(vec![1, 2, 3]),
            serde_bytes::ByteBuf::from(vec![9]),
        ],
    };
    let socket = connected(fresh(server).connect().unwrap()).await;
    let raw = Rc::new(RefCell::new(Vec::new()));
    let seen = raw.clone();
    let _any = socket.on_any(move |_, payload| {
        seen.borrow_mut()
            .push((payload.json().to_owned(), payload.attachments().to_vec()));
    });
    let mut echoes = socket.stream::<File>("echo");
    // Sent as attachments (the server echoes it as an event and as the ack).
    let answer: File = within(5_000, "the binary ack", socket.emit_with_ack("echo", &file))
        .await
        .unwrap();
    assert_eq!(answer, file);
    assert_eq!(next(5_000, "the binary echo", &mut echoes).await, file);
    // It came back as attachments too, not as arrays of numbers.
    let (json, attachments) = raw.borrow().first().cloned().unwrap();
    assert!(json.contains("_placeholder"), "{json}");
    assert_eq!(attachments.len(), 3);
    assert_eq!(attachments.first(), Some(&file.data));
}
