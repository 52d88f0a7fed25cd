//! `Manager::builder(url)`: socket.io-client's options under their names (in snake case) and
//! with their defaults, mapped onto the core's configuration.

use crate::prelude::*;
use core::time::Duration;

use serde::Serialize;

use super::{payload, Error, Manager, Socket};
use crate::browser::{page_location, BrowserOptions, HttpOptions};
use crate::client::url::{self, ParsedUrl};
use crate::client::{ManagerConfig, TransportKind};

/// The `path` option's default.
const DEFAULT_PATH: &str = "/socket.io";

/// The options of the sockets a Manager makes: `auth`, `retries`, `ackTimeout`.
#[derive(Debug, Clone, Default)]
pub(crate) struct SocketOptions {
    pub(crate) auth: Option<String>,
    pub(crate) retries: Option<u32>,
    pub(crate) ack_timeout: Option<Duration>,
}

/// Options of a [`Manager`] and of its sockets, with socket.io-client's defaults; made by
/// [`Manager::builder`]. Finish with [`ManagerBuilder::build`] (a Manager) or
/// [`ManagerBuilder::connect`] (the socket of the URL's namespace, through the `io()` cache).
///
/// ```no_run
/// # fn demo() -> Result<(), socketio_wasm::api::Error> {
/// use core::time::Duration;
/// use socketio_wasm::api::Manager;
/// use socketio_wasm::client::TransportKind;
/// let socket = Manager::builder("/chat")
///     .transports(&[TransportKind::WebSocket])
///     .reconnection_delay(Duration::from_millis(500))
///     .auth(&serde_json::json!({ "token": "secret" }))
///     .ack_timeout(Duration::from_secs(10))
///     .connect()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until build() or connect()"]
pub struct ManagerBuilder {
    url: String,
    config: ManagerConfig,
    path: Option<String>,
    add_trailing_slash: bool,
    query: Option<String>,
    socket: SocketOptions,
    auto_connect: bool,
    force_new: bool,
    multiplex: bool,
    with_credentials: bool,
    extra_headers: Vec<(String, String)>,
    close_on_beforeunload: bool,
    use_native_timers: bool,
    error: Option<Error>,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident($example:literal): $ty:ty => |$b:ident, $v:ident| $body:expr;)*) => {
        $(
            $(#[$doc])*
            ///
            #[doc = concat!(
                "```no_run\n",
                "# use core::time::Duration;\n",
                "# use socketio_wasm::client::TransportKind;\n",
                "let builder = socketio_wasm::api::Manager::builder(\"/\").",
                stringify!($name), "(", $example, ");\n",
                "```"
            )]
            pub fn $name(mut self, $v: $ty) -> Self {
                let $b = &mut self;
                $body;
                self
            }
        )*
    };
}

impl Manager {
    /// Options for a Manager of `url` (absolute, or relative to the page such as `"/"` or
    /// `"/chat"`; its path is the namespace of [`ManagerBuilder::connect`]).
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), socketio_wasm::api::Error> {
    /// let manager = socketio_wasm::api::Manager::builder("http://127.0.0.1:3000").build()?;
    /// # Ok(()) }
    /// ```
    pub fn builder(url: &str) -> ManagerBuilder {
        ManagerBuilder {
            url: url.to_owned(),
            config: ManagerConfig::default(),
            path: None,
            add_trailing_slash: true,
            query: None,
            socket: SocketOptions::default(),
            auto_connect: true,
            force_new: false,
            multiplex: true,
            with_credentials: false,
            extra_headers: Vec::new(),
            close_on_beforeunload: false,
            use_native_timers: false,
            error: None,
        }
    }
}

impl ManagerBuilder {
    setters! {
        /// `transports` (default polling, then websocket); an empty list keeps the default.
        transports("&[TransportKind::WebSocket]"): &[TransportKind] => |b, v| if !v.is_empty() { b.config.engine.transports = v.to_vec() };
        /// `upgrade` (default true): probe for a WebSocket after opening over polling.
        upgrade("false"): bool => |b, v| b.config.engine.upgrade = v;
        /// `rememberUpgrade` (default false).
        remember_upgrade("true"): bool => |b, v| b.config.engine.remember_upgrade = v;
        /// `tryAllTransports` (default false).
        try_all_transports("true"): bool => |b, v| b.config.engine.try_all_transports = v;
        /// `timestampRequests` (default: on for polling only).
        timestamp_requests("false"): bool => |b, v| b.config.engine.timestamp_requests = Some(v);
        /// `timestampParam` (default `"t"`).
        timestamp_param("\"ts\""): &str => |b, v| b.config.engine.timestamp_param = v.to_owned();
        /// `requestTimeout` of polling requests (default none).
        request_timeout("Duration::from_secs(10)"): Duration => |b, v| b.config.engine.request_timeout = Some(v);
        /// `path` of the Engine.IO endpoint (default `"/socket.io"`).
        path("\"/my-path\""): &str => |b, v| b.path = Some(v.to_owned());
        /// `addTrailingSlash` (default true).
        add_trailing_slash("false"): bool => |b, v| b.add_trailing_slash = v;
        /// `reconnection` (default true).
        reconnection("false"): bool => |b, v| b.config.reconnection = v;
        /// `reconnectionAttempts` (default unlimited).
        reconnection_attempts("5"): u32 => |b, v| b.config.reconnection_attempts = v;
        /// `reconnectionDelay` (default 1 s).
        reconnection_delay("Duration::from_millis(500)"): Duration => |b, v| b.config.reconnection_delay = v;
        /// `reconnectionDelayMax` (default 5 s).
        reconnection_delay_max("Duration::from_secs(10)"): Duration => |b, v| b.config.reconnection_delay_max = v;
        /// `randomizationFactor`, 0 to 1 (default 0.5).
        randomization_factor("0.2"): f64 => |b, v| b.config.randomization_factor = v.clamp(0.0, 1.0);
        /// `timeout` of one connection attempt (default 20 s; `None` disables it).
        timeout("Some(Duration::from_secs(5))"): Option<Duration> => |b, v| b.config.timeout = v;
        /// `autoConnect` (default true): sockets connect when made.
        auto_connect("false"): bool => |b, v| b.auto_connect = v;
        /// `forceNew` (default false): [`ManagerBuilder::connect`] never reuses a cached Manager.
        force_new("true"): bool => |b, v| b.force_new = v;
        /// `multiplex` (default true): `false` is `forceNew`.
        multiplex("false"): bool => |b, v| b.multiplex = v;
        /// `withCredentials` (default false): send cookies with cross-origin polling requests.
        with_credentials("true"): bool => |b, v| b.with_credentials = v;
        /// `closeOnBeforeunload` (default false).
        close_on_beforeunload("true"): bool => |b, v| b.close_on_beforeunload = v;
        /// `useNativeTimers` (default false).
        use_native_timers("true"): bool => |b, v| b.use_native_timers = v;
        /// `retries` of the sockets' emits (default none).
        retries("3"): u32 => |b, v| b.socket.retries = Some(v);
        /// `ackTimeout` of the sockets' emits (default none).
        ack_timeout("Duration::from_secs(10)"): Duration => |b, v| b.socket.ack_timeout = Some(v);
        /// Beyond the official client: try at once when the browser comes back online (default true).
        reconnect_on_online("false"): bool => |b, v| b.config.reconnect_on_online = v;
        /// Beyond the official client: hold reconnection while offline (default true).
        pause_reconnect_while_offline("false"): bool => |b, v| b.config.pause_reconnect_while_offline = v;
        /// Beyond the official client: try at once when the page becomes visible, is shown or
        /// resumes (default true).
        reconnect_on_visible("false"): bool => |b, v| b.config.reconnect_on_visible = v;
        /// Beyond the official client: hold reconnection while the page is hidden (default false).
        pause_reconnect_while_hidden("true"): bool => |b, v| b.config.pause_reconnect_while_hidden = v;
        /// Beyond the official client: close for the back/forward cache, reconnect on restore
        /// (default true).
        close_on_page_hide("false"): bool => |b, v| b.config.close_on_page_hide = v;
        /// Beyond the official client: a late heartbeat check waits 1 s for queued pings
        /// (default true).
        confirm_ping_timeout("false"): bool => |b, v| b.config.engine.confirm_ping_timeout = v;
        /// Beyond the official client: recover the session after a reload (default false).
        recover_after_reload("true"): bool => |b, v| b.config.recover_after_reload = v;
        /// Beyond the official client: keep waiting emits in IndexedDB across reloads (default
        /// false).
        persist_outbox("true"): bool => |b, v| b.config.persist_outbox = v;
    }

    /// `query`: parameters added to every request (replaces the URL's own query).
    ///
    /// ```no_run
    /// let b = socketio_wasm::api::Manager::builder("/").query(&[("room", "lobby")]);
    /// ```
    pub fn query(mut self, pairs: &[(&str, &str)]) -> Self {
        let mut out = String::new();
        for (key, value) in pairs {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(&String::from(js_sys::encode_uri_component(key)));
            out.push('=');
            out.push_str(&String::from(js_sys::encode_uri_component(value)));
        }
        self.query = Some(out);
        self
    }

    /// `extraHeaders` of polling requests (browsers do not let WebSockets carry headers).
    ///
    /// ```no_run
    /// let b = socketio_wasm::api::Manager::builder("/").extra_headers(&[("x-app", "chat")]);
    /// ```
    pub fn extra_headers(mut self, headers: &[(&str, &str)]) -> Self {
        self.extra_headers = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self
    }

    /// `auth`: the payload of the sockets' CONNECT (it must serialize to a JSON object).
    ///
    /// ```no_run
    /// let b = socketio_wasm::api::Manager::builder("/").auth(&serde_json::json!({ "token": "t" }));
    /// ```
    pub fn auth<T: Serialize + ?Sized>(mut self, auth: &T) -> Self {
        match payload::object_text(auth) {
            Ok(text) => self.socket.auth = Some(text),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// A new Manager with these options (closed until a socket connects or
    /// [`Manager::open`]); errors: a URL that cannot be used, an `auth` that is not an object.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), socketio_wasm::api::Error> {
    /// let manager = socketio_wasm::api::Manager::builder("/").build()?;
    /// # Ok(()) }
    /// ```
    pub fn build(self) -> Result<Manager, Error> {
        self.parts().map(|(manager, _, _)| manager)
    }

    /// The socket of the URL's namespace, as socket.io-client's `io(url, opts)`: through the
    /// page's Manager cache unless `force_new(true)` or `multiplex(false)` (and a new Manager
    /// when the cached one already has that namespace).
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), socketio_wasm::api::Error> {
    /// let socket = socketio_wasm::api::Manager::builder("/chat").force_new(true).connect()?;
    /// # Ok(()) }
    /// ```
    pub fn connect(self) -> Result<Socket, Error> {
        let parsed = self.resolve()?;
        let key = parsed.manager_key(self.path.as_deref().unwrap_or(DEFAULT_PATH));
        let cached = super::cache::get(&key);
        let in_use = cached.as_ref().is_some_and(|m| m.has_socket(&parsed.nsp));
        if url::reuses_manager(self.force_new, self.multiplex, in_use) {
            if let Some(manager) = cached {
                return manager.socket(&parsed.nsp);
            }
            let (manager, _, nsp) = self.parts()?;
            super::cache::put(key, &manager);
            return manager.socket(&nsp);
        }
        let (manager, _, nsp) = self.parts()?;
        manager.socket(&nsp)
    }

    fn resolve(&self) -> Result<ParsedUrl, Error> {
        Ok(url::resolve(Some(&self.url), page_location().as_ref())?)
    }

    fn parts(self) -> Result<(Manager, ParsedUrl, String), Error> {
        if let Some(e) = self.error.clone() {
            return Err(e);
        }
        let parsed = self.resolve()?;
        let mut config = self.config;
        config.engine.origin = parsed.http_origin();
        let path = self
            .path
            .as_deref()
            .unwrap_or(DEFAULT_PATH)
            .trim_end_matches('/');
        config.engine.path = if self.add_trailing_slash {
            [path, "/"].concat()
        } else {
            path.to_owned()
        };
        config.engine.query = self.query.unwrap_or_else(|| parsed.query.clone());
        let extra_headers = (!self.extra_headers.is_empty()).then(|| {
            let object = js_sys::Object::new();
            for (k, v) in &self.extra_headers {
                let _ = js_sys::Reflect::set(&object, &k.as_str().into(), &v.as_str().into());
            }
            object
        });
        let browser = BrowserOptions {
            http: HttpOptions {
                with_credentials: self.with_credentials,
                extra_headers,
            },
            close_on_beforeunload: self.close_on_beforeunload,
            native_timers: self.use_native_timers,
            ..BrowserOptions::default()
        };
        let nsp = parsed.nsp.clone();
        let manager = Manager::new(config, browser, self.socket, self.auto_connect);
        Ok((manager, parsed, nsp))
    }
}
