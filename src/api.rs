//! The Rust API for Rust web apps (Leptos, Yew, Dioxus), wasm32 only: a namespace [`Socket`]
//! with closures as listeners, over the browser layer's client handle. Payloads are JSON text:
//! serialize arguments as a JSON array (e.g. with serde_json) and parse what arrives the same
//! way.
//!
//! ```ignore
//! use socketio_wasm::api::Socket;
//! let socket = Socket::connect("/chat").expect("a valid URL"); // relative to the page
//! socket.on_connect(|()| log("connected"));
//! socket.on_with_ack("question", |args, ack| ack.send("[42]"));
//! socket.emit_with_ack("echo", r#"[{"a":1}]"#, None, |answer| {
//!     log(&format!("{answer:?}"));
//! }).expect("not a reserved name");
//! ```

use crate::prelude::*;
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

use core::time::Duration;

use crate::browser::{page_location, BrowserOptions, Client, EventSink, WeakClient};
use crate::client::url::{self, ParsedUrl, UrlError};
use crate::client::{
    AckError, AckMode, ApiMisuse, CloseReason, ConnectError, EmitOptions, Event, ManagerConfig,
    NspId,
};
use crate::protocol::json::write_string;
use crate::protocol::socket::split_event;

type Callback<A> = Rc<RefCell<dyn FnMut(A)>>;
type AckCallback = Box<dyn FnOnce(Result<String, AckError>)>;
/// An event listener: the JSON arguments, and the ack to answer when the server asked for one.
type EventListener = Callback<(String, Option<Ack>)>;

#[derive(Default)]
struct Listeners {
    connect: Vec<Callback<()>>,
    connect_error: Vec<Callback<ConnectError>>,
    disconnect: Vec<Callback<CloseReason>>,
    events: BTreeMap<String, Vec<EventListener>>,
    acks: BTreeMap<u64, AckCallback>,
}

/// The answer to an event from the server that asked for an acknowledgement: call
/// [`Ack::send`] once (later calls, and calls from other listeners of the same event, are
/// ignored, as with socket.io-client's ack function).
#[derive(Clone)]
pub struct Ack {
    client: WeakClient,
    nsp: NspId,
    id: u64,
    sent: Rc<Cell<bool>>,
}

impl Ack {
    /// Answers with `args`, a JSON array of arguments (`"[]"` for none).
    pub fn send(&self, args: &str) -> Result<(), ApiMisuse> {
        if self.sent.replace(true) {
            return Ok(());
        }
        let client = self.client.upgrade().ok_or(ApiMisuse::UnknownSocket)?;
        client
            .ack(self.nsp, self.id, args, Vec::new())
            .map_err(|_| ApiMisuse::UnknownSocket)
    }
}

/// A Socket.IO namespace socket with its own connection (a Manager of its own).
#[derive(Clone)]
pub struct Socket {
    client: Client,
    nsp: NspId,
    listeners: Rc<RefCell<Listeners>>,
}

impl Socket {
    /// Connects to `url` (its path is the namespace; a relative URL such as `"/chat"` is
    /// resolved against the page's location) with the default options.
    pub fn connect(url: &str) -> Result<Self, UrlError> {
        Self::connect_with(url, ManagerConfig::default())
    }

    /// Connects to `url` with `config`; its `engine.origin` and `engine.query` are taken from
    /// the URL.
    pub fn connect_with(url: &str, mut config: ManagerConfig) -> Result<Self, UrlError> {
        let parsed: ParsedUrl = url::resolve(Some(url), page_location().as_ref())?;
        config.engine.origin = parsed.http_origin();
        if config.engine.query.is_empty() {
            config.engine.query = parsed.query.clone();
        }
        let listeners = Rc::new(RefCell::new(Listeners::default()));
        let sink = |client: WeakClient| -> EventSink {
            let listeners = Rc::downgrade(&listeners);
            Rc::new(move |events, _source| {
                if let Some(listeners) = listeners.upgrade() {
                    dispatch(&client, &listeners, events);
                }
            })
        };
        let client = Client::new(config, BrowserOptions::default(), sink);
        let nsp = client.socket(&parsed.nsp, false).unwrap_or(NspId(0));
        let _ = client.connect(nsp);
        Ok(Self {
            client,
            nsp,
            listeners,
        })
    }

    /// Calls `f` on every connection (and reconnection) of the namespace.
    pub fn on_connect(&self, f: impl FnMut(()) + 'static) {
        self.listeners
            .borrow_mut()
            .connect
            .push(Rc::new(RefCell::new(f)));
    }

    /// Calls `f` when the namespace cannot connect.
    pub fn on_connect_error(&self, f: impl FnMut(ConnectError) + 'static) {
        self.listeners
            .borrow_mut()
            .connect_error
            .push(Rc::new(RefCell::new(f)));
    }

    /// Calls `f` with the reason on every disconnection.
    pub fn on_disconnect(&self, f: impl FnMut(CloseReason) + 'static) {
        self.listeners
            .borrow_mut()
            .disconnect
            .push(Rc::new(RefCell::new(f)));
    }

    /// Calls `f` with the JSON array of the arguments of every `event` from the server.
    pub fn on(&self, event: &str, mut f: impl FnMut(String) + 'static) {
        self.on_with_ack(event, move |args, _ack| f(args));
    }

    /// Calls `f` with the JSON array of the arguments of every `event` from the server, and,
    /// when the server asked for an acknowledgement, the [`Ack`] that answers it.
    pub fn on_with_ack(&self, event: &str, mut f: impl FnMut(String, Option<Ack>) + 'static) {
        let listener = move |(args, ack): (String, Option<Ack>)| f(args, ack);
        self.listeners
            .borrow_mut()
            .events
            .entry(event.to_owned())
            .or_default()
            .push(Rc::new(RefCell::new(listener)));
    }

    /// Emits `event` with `args`, a JSON array of arguments (`"[]"` for none).
    pub fn emit(&self, event: &str, args: &str) -> Result<(), ApiMisuse> {
        self.send(event, args, EmitOptions::default()).map(|_| ())
    }

    /// Emits and calls `f` once with the server's answer (a JSON array) or why none came.
    pub fn emit_with_ack(
        &self,
        event: &str,
        args: &str,
        timeout: Option<Duration>,
        f: impl FnOnce(Result<String, AckError>) + 'static,
    ) -> Result<(), ApiMisuse> {
        let options = EmitOptions {
            ack: AckMode::ErrorFirst,
            timeout,
            ..EmitOptions::default()
        };
        if let Some(id) = self.send(event, args, options)? {
            self.listeners.borrow_mut().acks.insert(id, Box::new(f));
        }
        Ok(())
    }

    /// Leaves the namespace; the connection closes when no socket is left.
    pub fn disconnect(&self) {
        let _ = self.client.disconnect(self.nsp);
    }

    /// Whether the namespace is connected.
    pub fn connected(&self) -> bool {
        self.client.is_connected(self.nsp)
    }

    /// The namespace session id, while connected.
    pub fn id(&self) -> Option<String> {
        self.client.socket_id(self.nsp)
    }

    fn send(
        &self,
        event: &str,
        args: &str,
        options: EmitOptions,
    ) -> Result<Option<u64>, ApiMisuse> {
        let mut data = String::with_capacity(event.len() + args.len() + 4);
        data.push('[');
        write_string(&mut data, event);
        let rest = args
            .trim()
            .strip_prefix('[')
            .ok_or(ApiMisuse::BadEventData)?
            .trim_start();
        if !rest.starts_with(']') {
            data.push(',');
        }
        data.push_str(rest);
        self.client
            .emit(self.nsp, &data, Vec::new(), options)
            .map_err(|e| match e {
                crate::browser::CallError::Misuse(misuse) => misuse,
                crate::browser::CallError::Busy => ApiMisuse::UnknownSocket,
            })
    }
}

fn call_all<A: Clone>(list: &[Callback<A>], arg: &A) {
    for f in list {
        if let Ok(mut f) = f.try_borrow_mut() {
            f(arg.clone());
        }
    }
}

fn dispatch(client: &WeakClient, listeners: &Rc<RefCell<Listeners>>, events: Vec<Event>) {
    for event in events {
        // Clone the callbacks out so that a listener may add listeners or emit.
        match event {
            Event::Connect(_) => {
                let list = listeners.borrow().connect.clone();
                call_all(&list, &());
            }
            Event::ConnectError(_, error) => {
                let list = listeners.borrow().connect_error.clone();
                call_all(&list, &error);
            }
            Event::Close {
                reason, sockets, ..
            } if !sockets.is_empty() => {
                let list = listeners.borrow().disconnect.clone();
                call_all(&list, &reason);
            }
            Event::Disconnect(_, reason, _) => {
                let list = listeners.borrow().disconnect.clone();
                call_all(&list, &reason);
            }
            Event::Message { nsp, data, ack, .. } => {
                if let Some((name, args)) = split_event(&data) {
                    let list = listeners
                        .borrow()
                        .events
                        .get(&name)
                        .cloned()
                        .unwrap_or_default();
                    let ack = ack.map(|id| Ack {
                        client: client.clone(),
                        nsp,
                        id,
                        sent: Rc::new(Cell::new(false)),
                    });
                    call_all(&list, &(args.into_owned(), ack));
                }
            }
            Event::Ack { id, data, .. } => {
                let ack = listeners.borrow_mut().acks.remove(&id);
                if let Some(f) = ack {
                    f(Ok(data));
                }
            }
            Event::AckError(_, id, error) => {
                let ack = listeners.borrow_mut().acks.remove(&id);
                if let Some(f) = ack {
                    f(Err(error));
                }
            }
            Event::AckDiscarded(_, id) => {
                listeners.borrow_mut().acks.remove(&id);
            }
            _ => {}
        }
    }
}
