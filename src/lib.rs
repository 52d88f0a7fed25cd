//! socketio-wasm: a Socket.IO v5 / Engine.IO v4 client for the browser.
//!
//! The protocol lives in a sans-IO core, [`client`]: a [`client::Manager`] (one Engine.IO
//! connection, its reconnection loop, and one namespace socket per `manager.socket(nsp)`) that
//! never reads a clock, never draws randomness of its own and never touches the network. Time
//! and what happened come in as calls; what to do comes out of [`client::Manager::poll_output`].
//! The browser driver and the JS face wrap it; tests drive it with a virtual clock.
//!
//! Rust web apps use [`api`] (feature `api`, on by default; wasm32): `io(url)` and
//! `Manager::builder(url)` with socket.io-client's options, serde-typed events, acks as futures,
//! and the connection state, events and Manager events as streams.
//!
//! # Run loop
//!
//! **After every input call, call `poll_output` until it returns `Output::Timeout`.** Then:
//!
//! 1. Wait for something to happen: a transport event, a user call, or the deadline.
//! 2. Make one input call with the current time (`now` never goes back):
//!    - [`handle_transport`](client::Manager::handle_transport): a WebSocket opened, a frame
//!      arrived, it closed; a polling GET or POST finished ([`client::TransportEvent`]).
//!    - [`handle_timeout`](client::Manager::handle_timeout): the deadline came. Calling it
//!      early is harmless.
//!    - user calls: [`open`](client::Manager::open), [`connect`](client::Manager::connect),
//!      [`disconnect`](client::Manager::disconnect), [`emit`](client::Manager::emit),
//!      [`ack`](client::Manager::ack), the setters, ...; and the browser's hooks
//!      [`handle_network`](client::Manager::handle_network) (`online`/`offline`) and
//!      [`handle_unload`](client::Manager::handle_unload).
//! 3. Call `poll_output` until it returns [`Output::Timeout`](client::Output::Timeout):
//!    - carry out each [`Output::Command`](client::Output::Command) at once (open a WebSocket,
//!      send a frame, start a GET or POST, close or abort a transport); commands never call
//!      back synchronously, their results come back as later `handle_transport` calls;
//!    - collect each [`Output::Event`](client::Output::Event) and hand it to the listeners
//!      only **after releasing any borrow of the Manager**, since a listener may emit,
//!      disconnect or reconnect, which are input calls again;
//!    - `Output::Timeout(Some(t))`: call `handle_timeout` at `t`, unless an input comes first
//!      (`None`: no deadline, wait for an input). [`next_wake`](client::Manager::next_wake)
//!      tells why that deadline is set ([`client::Wake`]).
//! 4. Repeat.
//!
//! The driver keeps one timer and resets it only when the deadline changes.
//!
//! # Example
//!
//! A WebSocket handshake and a CONNECT, then a heartbeat that never comes, on a virtual
//! clock:
//!
//! ```
//! use core::time::Duration;
//! use socketio_wasm::client::{
//!     CloseReason, Command, Event, Frame, Instant, Manager, ManagerConfig, Output,
//!     TransportEvent, TransportKind, Wake,
//! };
//!
//! /// Step 3: everything the Manager has to say, and the deadline it then sleeps until.
//! fn poll(m: &mut Manager, commands: &mut Vec<Command>, events: &mut Vec<Event>) -> Option<Instant> {
//!     loop {
//!         match m.poll_output() {
//!             Output::Command(c) => commands.push(c), // a real driver runs it here
//!             Output::Event(e) => events.push(e),     // handed out once the borrow ends
//!             Output::Timeout(deadline) => return deadline,
//!         }
//!     }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut config = ManagerConfig::default();
//! config.engine.origin = "http://localhost:3000".into();
//! config.engine.transports = vec![TransportKind::WebSocket];
//! let mut manager = Manager::new(config, 42); // the driver seeds the jitter
//! let (mut commands, mut events) = (Vec::new(), Vec::new());
//! let mut now = Instant::from_millis(0);
//!
//! // `io("http://localhost:3000")`: the main namespace connects, which opens the Manager.
//! let nsp = manager.socket("/", None);
//! manager.connect(now, nsp)?;
//! poll(&mut manager, &mut commands, &mut events);
//! assert_eq!(events.drain(..).collect::<Vec<_>>(), [Event::Opening]);
//! let Some(Command::OpenWebSocket { id, url }) = commands.pop() else { panic!() };
//! assert_eq!(url, "ws://localhost:3000/socket.io/?EIO=4&transport=websocket");
//!
//! // The WebSocket opens and the server sends its handshake: the CONNECT goes out.
//! manager.handle_transport(now, TransportEvent::WebSocketOpen(id));
//! poll(&mut manager, &mut commands, &mut events);
//! let handshake = r#"0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;
//! manager.handle_transport(now, TransportEvent::Text(id, handshake));
//! poll(&mut manager, &mut commands, &mut events);
//! assert_eq!(events.drain(..).collect::<Vec<_>>(), [Event::Open]);
//! let connect = Command::SendFrame { id, frame: Frame::Text("40".into()) };
//! assert_eq!(commands.drain(..).collect::<Vec<_>>(), [connect]);
//!
//! // The server accepts the namespace.
//! now = now + Duration::from_millis(20);
//! manager.handle_transport(now, TransportEvent::Text(id, r#"40{"sid":"s1"}"#));
//! let deadline = poll(&mut manager, &mut commands, &mut events);
//! assert_eq!(events.drain(..).collect::<Vec<_>>(), [Event::Connect(nsp)]);
//! assert_eq!(manager.socket_id(nsp), Some("s1"));
//!
//! // Nothing else is due before the heartbeat deadline: pingInterval + pingTimeout.
//! assert_eq!(deadline, Some(Instant::from_millis(45_000)));
//! assert_eq!(manager.next_wake(), Some((Instant::from_millis(45_000), Wake::Heartbeat)));
//!
//! // No ping came: at the deadline the connection closes and a reconnection is scheduled.
//! now = Instant::from_millis(45_000);
//! manager.handle_timeout(now);
//! let deadline = poll(&mut manager, &mut commands, &mut events);
//! assert_eq!(commands.drain(..).collect::<Vec<_>>(), [Command::Close { id }]);
//! assert_eq!(
//!     events.drain(..).collect::<Vec<_>>(),
//!     [Event::Close { reason: CloseReason::PingTimeout, failure: None, sockets: vec![nsp] }]
//! );
//! assert_eq!(manager.next_wake().map(|(_, why)| why), Some(Wake::ReconnectDelay));
//! assert!(deadline.is_some_and(|t| t > now));
//! # Ok(())
//! # }
//! ```
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

mod prelude;

#[cfg(feature = "api")]
pub mod api;
#[cfg(target_arch = "wasm32")]
mod browser;
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod exports;
pub mod protocol;

/// Without std, a panic traps at once, with no message formatted: that keeps core::fmt out of
/// the binary. Library code has no panics of its own (clippy denies them); what remains are the
/// standard library's checks that cannot fail here (capacity overflow and the like).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
