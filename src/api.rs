//! The Rust API for Rust web apps (Leptos, Yew, Dioxus), wasm32 only: a namespace [`Socket`]
//! with closures as listeners. Payloads are JSON text: serialize arguments as a JSON array
//! (e.g. with serde_json) and parse what arrives the same way.
//!
//! ```ignore
//! use socketio_wasm::api::Socket;
//! let socket = Socket::connect("http://127.0.0.1:3000/").expect("a valid URL");
//! socket.on_connect(|()| log("connected"));
//! socket.emit_with_ack("echo", r#"[{"a":1}]"#, None, |answer| {
//!     log(&format!("{answer:?}"));
//! }).expect("not a reserved name");
//! ```

use crate::prelude::*;
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use core::cell::RefCell;

use core::time::Duration;

use crate::browser::{drive, EventSink, HttpOptions, Runtime};
use crate::client::url::{self, ParsedUrl, UrlError};
use crate::client::{
    AckError, AckMode, ApiMisuse, CloseReason, ConnectError, EmitOptions, Event, Manager,
    ManagerConfig, NspId,
};
use crate::protocol::json::write_string;
use crate::protocol::socket::split_event;

type Callback<A> = Rc<RefCell<dyn FnMut(A)>>;
type AckCallback = Box<dyn FnOnce(Result<String, AckError>)>;

#[derive(Default)]
struct Listeners {
    connect: Vec<Callback<()>>,
    connect_error: Vec<Callback<ConnectError>>,
    disconnect: Vec<Callback<CloseReason>>,
    events: BTreeMap<String, Vec<Callback<String>>>,
    acks: BTreeMap<u64, AckCallback>,
}

/// A Socket.IO namespace socket with its own connection (a Manager of its own).
#[derive(Clone)]
pub struct Socket {
    rt: Rc<RefCell<Runtime>>,
    nsp: NspId,
    listeners: Rc<RefCell<Listeners>>,
}

impl Socket {
    /// Connects to `url` (its path is the namespace) with the default options.
    pub fn connect(url: &str) -> Result<Self, UrlError> {
        Self::connect_with(url, ManagerConfig::default())
    }

    /// Connects to `url` with `config`; its `engine.origin` and `engine.query` are taken from
    /// the URL.
    pub fn connect_with(url: &str, mut config: ManagerConfig) -> Result<Self, UrlError> {
        let parsed: ParsedUrl = url::resolve(Some(url), None)?;
        config.engine.origin = parsed.http_origin();
        if config.engine.query.is_empty() {
            config.engine.query = parsed.query.clone();
        }
        // Seeding the core once is the driver's job; the core itself never reads randomness.
        #[allow(clippy::disallowed_methods)]
        let seed = (js_sys::Math::random() * 9e15) as u64;
        let listeners = Rc::new(RefCell::new(Listeners::default()));
        let sink: EventSink = {
            let listeners = Rc::downgrade(&listeners);
            Rc::new(move |events, _source| {
                if let Some(listeners) = listeners.upgrade() {
                    dispatch(&listeners, events);
                }
            })
        };
        let rt = Runtime::new(
            Manager::new(config, seed),
            HttpOptions::default(),
            js_sys::Array::new(),
            sink,
            false,
        );
        let nsp = drive(&rt, |m, now| {
            let nsp = m.socket(&parsed.nsp, None);
            let _ = m.connect(now, nsp);
            nsp
        })
        .unwrap_or(NspId(0));
        Ok(Self { rt, nsp, listeners })
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
    pub fn on(&self, event: &str, f: impl FnMut(String) + 'static) {
        self.listeners
            .borrow_mut()
            .events
            .entry(event.to_owned())
            .or_default()
            .push(Rc::new(RefCell::new(f)));
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
        drive(&self.rt, |m, now| m.disconnect(now, self.nsp));
    }

    /// Whether the namespace is connected.
    pub fn connected(&self) -> bool {
        self.rt
            .try_borrow()
            .is_ok_and(|rt| rt.manager.is_connected(self.nsp))
    }

    /// The namespace session id, while connected.
    pub fn id(&self) -> Option<String> {
        self.rt
            .try_borrow()
            .ok()
            .and_then(|rt| rt.manager.socket_id(self.nsp).map(str::to_owned))
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
        drive(&self.rt, |m, now| {
            m.emit(now, self.nsp, &data, Vec::new(), options)
        })
        .unwrap_or(Err(ApiMisuse::UnknownSocket))
        .map(|(id, _)| id)
    }
}

fn call_all<A: Clone>(list: &[Callback<A>], arg: &A) {
    for f in list {
        if let Ok(mut f) = f.try_borrow_mut() {
            f(arg.clone());
        }
    }
}

fn dispatch(listeners: &Rc<RefCell<Listeners>>, events: Vec<Event>) {
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
            Event::Disconnect(_, reason, _) => {
                let list = listeners.borrow().disconnect.clone();
                call_all(&list, &reason);
            }
            Event::Message { data, .. } => {
                if let Some((name, args)) = split_event(&data) {
                    let list = listeners
                        .borrow()
                        .events
                        .get(&name)
                        .cloned()
                        .unwrap_or_default();
                    call_all(&list, &args.into_owned());
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
