//! Gives the values of socket.io-client's options their meaning and defaults (the core's
//! configuration). The face reads them out of the options object and checks each one's type
//! (`optionValues` in `js/index.js`, which throws the `TypeError` naming a bad one); they come
//! here as one array in the order of [`Opt`], `undefined` for an option not given.

use crate::prelude::*;
use core::time::Duration;

use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use super::millis;
use crate::browser::{page_location, BrowserOptions, HttpOptions};
use crate::client::{url, ManagerConfig, TransportKind};
use crate::protocol::text::{concat, trim_end_byte};

/// The `path` option's default.
pub(crate) const DEFAULT_PATH: &str = "/socket.io";

/// Everything `new Manager(uri, opts)` takes.
pub(crate) struct Options {
    pub(crate) config: ManagerConfig,
    pub(crate) browser: BrowserOptions,
    /// `autoConnect` (default true).
    pub(crate) auto_connect: bool,
}

/// The option tables the face reads options by (`optionValues` in `js/index.js`): the options
/// of `new Manager(uri, opts)` in the order of [`Opt`], then after a `|` those of
/// `manager.socket(nsp, opts)` in the order of [`socket_options`]. Each name ends with the digit
/// of the type the face checks: 0 boolean, 1 non-negative number, 2 number from 0 to 1,
/// 3 number or `false`, 4 string, 5 array, 6 string or array (as an array), 7 query (object or
/// string, as its encoded string), 8 anything.
pub(crate) const OPTION_TABLES: &str = concat!(
    "path4 addTrailingSlash0 query7 transports5 upgrade0 tryAllTransports0 timestampRequests0 ",
    "timestampParam4 rememberUpgrade0 maxReceivePayload1 reconnectOnOnline0 ",
    "pauseReconnectWhileOffline0 reconnectOnVisible0 pauseReconnectWhileHidden0 closeOnPageHide0 ",
    "recoverAfterReload0 persistOutbox0 confirmPingTimeout0 reconnection0 reconnectionAttempts1 ",
    "reconnectionDelay1 reconnectionDelayMax1 randomizationFactor2 timeout3 requestTimeout1 ",
    "withCredentials0 extraHeaders8 closeOnBeforeunload0 protocols6 useNativeTimers0 autoConnect0",
    "|retries1 ackTimeout1",
);

/// The Manager table of [`OPTION_TABLES`] names one option per [`Opt`], checked when this
/// compiles.
const _: () = {
    let mut rest = OPTION_TABLES.as_bytes();
    let mut names = 1;
    while let [byte, tail @ ..] = rest {
        match *byte {
            b'|' => break,
            b' ' => names += 1,
            _ => {}
        }
        rest = tail;
    }
    assert!(names == Opt::AutoConnect as usize + 1);
};

/// The options of `new Manager(uri, opts)`, in the order of their values (the Manager table of
/// [`OPTION_TABLES`]).
#[derive(Clone, Copy)]
enum Opt {
    Path,
    AddTrailingSlash,
    Query,
    Transports,
    Upgrade,
    TryAllTransports,
    TimestampRequests,
    TimestampParam,
    RememberUpgrade,
    MaxReceivePayload,
    ReconnectOnOnline,
    PauseReconnectWhileOffline,
    ReconnectOnVisible,
    PauseReconnectWhileHidden,
    CloseOnPageHide,
    RecoverAfterReload,
    PersistOutbox,
    ConfirmPingTimeout,
    Reconnection,
    ReconnectionAttempts,
    ReconnectionDelay,
    ReconnectionDelayMax,
    RandomizationFactor,
    Timeout,
    RequestTimeout,
    WithCredentials,
    ExtraHeaders,
    CloseOnBeforeunload,
    Protocols,
    UseNativeTimers,
    AutoConnect,
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// A count: `Infinity` (or anything above `u32::MAX`) for no limit.
pub(super) fn count(n: f64) -> u32 {
    n.min(f64::from(u32::MAX)) as u32
}

/// The Socket options of `manager.socket(nsp, opts)`: the values of `retries` and
/// `ackTimeout`, in this order (the socket table of [`OPTION_TABLES`]).
pub(crate) fn socket_options(values: &Array) -> (Option<u32>, Option<Duration>) {
    (
        values.get(0).as_f64().map(count),
        values.get(1).as_f64().map(millis),
    )
}

/// The `transports` option: the names it may hold, in the order to try them.
fn transports(list: &Array) -> Result<Vec<TransportKind>, JsValue> {
    let mut transports = Vec::new();
    for name in list.iter() {
        match name.as_string().as_deref() {
            Some("polling") => transports.push(TransportKind::Polling),
            Some("websocket") => transports.push(TransportKind::WebSocket),
            Some("webtransport") => {} // not supported: skipped, as browsers without it do
            _ => {
                return Err(type_error(
                    "option 'transports' accepts \"polling\" and \"websocket\"",
                ))
            }
        }
    }
    if transports.is_empty() {
        return Err(type_error("option 'transports' names no usable transport"));
    }
    Ok(transports)
}

/// Resolves `uri` against the page's location and gives the option `values` (in the order of
/// [`Opt`], each of the type the face checked) their meaning over the defaults.
pub(crate) fn parse(uri: Option<&str>, values: &Array) -> Result<Options, JsValue> {
    let value = |opt: Opt| values.get(opt as u32);
    let number = |opt: Opt| value(opt).as_f64();
    let parsed = url::resolve(uri, page_location().as_ref())
        .map_err(|e| js_sys::TypeError::new(e.as_str()))?;
    let mut config = ManagerConfig {
        // The face parses every event's JSON (`JSON.parse`) and reports one that does not parse.
        check_event_json: false,
        ..ManagerConfig::default()
    };
    let mut with_credentials = false;
    let mut close_on_beforeunload = false;
    let mut native_timers = false;
    let mut auto_connect = true;
    let engine = &mut config.engine;
    engine.origin = parsed.http_origin();
    if let Some(path) = value(Opt::Path).as_string() {
        engine.path = concat(&[trim_end_byte(&path, b'/'), "/"]);
    }
    if value(Opt::AddTrailingSlash).as_bool() == Some(false) {
        let trimmed = trim_end_byte(&engine.path, b'/').to_owned();
        engine.path = trimmed;
    }
    engine.query = value(Opt::Query)
        .as_string()
        .unwrap_or_else(|| parsed.query.as_str().to_owned());
    if let Ok(list) = value(Opt::Transports).dyn_into::<Array>() {
        engine.transports = transports(&list)?;
    }
    engine.timestamp_requests = value(Opt::TimestampRequests).as_bool();
    if let Some(param) = value(Opt::TimestampParam).as_string() {
        engine.timestamp_param = param;
    }
    if let Some(n) = number(Opt::MaxReceivePayload) {
        engine.max_receive_payload = Some(n.min(1e15) as u64);
    }
    if let Some(n) = number(Opt::RequestTimeout).filter(|n| *n > 0.0) {
        engine.request_timeout = Some(millis(n));
    }
    for (opt, slot) in [
        (Opt::Upgrade, &mut engine.upgrade),
        (Opt::TryAllTransports, &mut engine.try_all_transports),
        (Opt::RememberUpgrade, &mut engine.remember_upgrade),
        (Opt::ConfirmPingTimeout, &mut engine.confirm_ping_timeout),
        (Opt::ReconnectOnOnline, &mut config.reconnect_on_online),
        (
            Opt::PauseReconnectWhileOffline,
            &mut config.pause_reconnect_while_offline,
        ),
        (Opt::ReconnectOnVisible, &mut config.reconnect_on_visible),
        (
            Opt::PauseReconnectWhileHidden,
            &mut config.pause_reconnect_while_hidden,
        ),
        (Opt::CloseOnPageHide, &mut config.close_on_page_hide),
        (Opt::RecoverAfterReload, &mut config.recover_after_reload),
        (Opt::PersistOutbox, &mut config.persist_outbox),
        (Opt::Reconnection, &mut config.reconnection),
        (Opt::WithCredentials, &mut with_credentials),
        (Opt::CloseOnBeforeunload, &mut close_on_beforeunload),
        (Opt::UseNativeTimers, &mut native_timers),
        (Opt::AutoConnect, &mut auto_connect),
    ] {
        if let Some(v) = value(opt).as_bool() {
            *slot = v;
        }
    }
    if let Some(n) = number(Opt::ReconnectionAttempts) {
        config.reconnection_attempts = count(n);
    }
    if let Some(n) = number(Opt::ReconnectionDelay) {
        config.reconnection_delay = millis(n);
    }
    if let Some(n) = number(Opt::ReconnectionDelayMax) {
        config.reconnection_delay_max = millis(n);
    }
    if let Some(n) = number(Opt::RandomizationFactor) {
        if n > 1.0 {
            return Err(type_error(
                "option 'randomizationFactor' must be a number from 0 to 1",
            ));
        }
        config.randomization_factor = n;
    }
    let timeout = value(Opt::Timeout);
    if timeout.as_bool() == Some(false) {
        config.timeout = None;
    } else if let Some(n) = timeout.as_f64() {
        config.timeout = Some(millis(n));
    }
    Ok(Options {
        config,
        browser: BrowserOptions {
            http: HttpOptions {
                with_credentials,
                extra_headers: value(Opt::ExtraHeaders).dyn_into::<Object>().ok(),
            },
            protocols: value(Opt::Protocols)
                .dyn_into::<Array>()
                .unwrap_or_else(|_| Array::new()),
            close_on_beforeunload,
            native_timers,
        },
        auto_connect,
    })
}
