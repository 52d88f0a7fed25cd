//! Reads socket.io-client's options object into the core's configuration, with the official
//! defaults; a value of the wrong type throws a `TypeError` that names the option.

use crate::prelude::*;
use core::time::Duration;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::{page_location, BrowserOptions, HttpOptions};
use crate::client::{url, ManagerConfig, TransportKind};

/// The `path` option's default.
pub(crate) const DEFAULT_PATH: &str = "/socket.io";

/// Everything `new Manager(uri, opts)` takes.
pub(crate) struct Options {
    pub(crate) config: ManagerConfig,
    pub(crate) browser: BrowserOptions,
    /// `autoConnect` (default true).
    pub(crate) auto_connect: bool,
}

fn get(opts: &JsValue, key: &str) -> Option<JsValue> {
    if !opts.is_object() {
        return None;
    }
    Reflect::get(opts, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

fn boolean(opts: &JsValue, key: &str, message: &str) -> Result<Option<bool>, JsValue> {
    get(opts, key)
        .map(|v| v.as_bool().ok_or_else(|| type_error(message)))
        .transpose()
}

/// The boolean options of the network and page lifecycle that go beyond the official client
/// (README "Different, on purpose"); each one's `false` is the official behaviour.
fn beyond_official(opts: &JsValue, config: &mut ManagerConfig) -> Result<(), JsValue> {
    for (key, slot) in [
        ("reconnectOnOnline", &mut config.reconnect_on_online),
        (
            "pauseReconnectWhileOffline",
            &mut config.pause_reconnect_while_offline,
        ),
        ("reconnectOnVisible", &mut config.reconnect_on_visible),
        (
            "pauseReconnectWhileHidden",
            &mut config.pause_reconnect_while_hidden,
        ),
        ("closeOnPageHide", &mut config.close_on_page_hide),
        ("recoverAfterReload", &mut config.recover_after_reload),
        ("persistOutbox", &mut config.persist_outbox),
        (
            "confirmPingTimeout",
            &mut config.engine.confirm_ping_timeout,
        ),
    ] {
        if let Some(v) = get(opts, key) {
            let message = crate::protocol::text::concat(&["option '", key, "' must be a boolean"]);
            *slot = v.as_bool().ok_or_else(|| type_error(&message))?;
        }
    }
    Ok(())
}

fn number(opts: &JsValue, key: &str, message: &str) -> Result<Option<f64>, JsValue> {
    get(opts, key)
        .map(|v| {
            v.as_f64()
                .filter(|n| *n >= 0.0 && !n.is_nan())
                .ok_or_else(|| type_error(message))
        })
        .transpose()
}

fn millis(n: f64) -> Duration {
    Duration::from_millis(n.min(1e15) as u64)
}

/// Encodes a query object or string as `a=1&b=2` (values through `encodeURIComponent`).
pub(crate) fn query_string(query: &JsValue) -> Result<String, JsValue> {
    if let Some(s) = query.as_string() {
        return Ok(s.trim_start_matches('?').to_owned());
    }
    if !query.is_object() {
        return Err(type_error("option 'query' must be an object or a string"));
    }
    let mut out = String::new();
    for entry in Object::entries(query.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        let value = value.as_string().or_else(|| {
            js_sys::JSON::stringify(&value)
                .ok()
                .and_then(|s| s.as_string())
        });
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&String::from(js_sys::encode_uri_component(&key)));
        out.push('=');
        out.push_str(&String::from(js_sys::encode_uri_component(
            value.as_deref().unwrap_or(""),
        )));
    }
    Ok(out)
}

/// The Socket options of `manager.socket(nsp, opts)`: `retries` and `ackTimeout`.
pub(crate) fn socket_options(opts: &JsValue) -> Result<(Option<u32>, Option<Duration>), JsValue> {
    let retries = number(
        opts,
        "retries",
        "option 'retries' must be a non-negative number",
    )?;
    let ack = number(
        opts,
        "ackTimeout",
        "option 'ackTimeout' must be a non-negative number",
    )?;
    Ok((
        retries.map(|n| n.min(f64::from(u32::MAX)) as u32),
        ack.map(millis),
    ))
}

/// Resolves `uri` against the page's location and parses `opts`.
pub(crate) fn parse(uri: Option<&str>, opts: &JsValue) -> Result<Options, JsValue> {
    let parsed = url::resolve(uri, page_location().as_ref())
        .map_err(|e| js_sys::TypeError::new(e.as_str()))?;
    let url_query = parsed.query.as_str();
    let mut config = ManagerConfig::default();
    let engine = &mut config.engine;
    engine.origin = parsed.http_origin();
    if let Some(path) = get(opts, "path") {
        let path = path
            .as_string()
            .ok_or_else(|| type_error("option 'path' must be a string"))?;
        let trimmed = path.trim_end_matches('/');
        engine.path = crate::protocol::text::concat(&[trimmed, "/"]);
    }
    if boolean(
        opts,
        "addTrailingSlash",
        "option 'addTrailingSlash' must be a boolean",
    )? == Some(false)
    {
        let trimmed = engine.path.trim_end_matches('/').to_owned();
        engine.path = trimmed;
    }
    engine.query = match get(opts, "query") {
        Some(q) => query_string(&q)?,
        None => url_query.to_owned(),
    };
    if let Some(list) = get(opts, "transports") {
        let list: Array = list
            .dyn_into()
            .map_err(|_| type_error("option 'transports' must be an array"))?;
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
        engine.transports = transports;
    }
    if let Some(v) = boolean(opts, "upgrade", "option 'upgrade' must be a boolean")? {
        engine.upgrade = v;
    }
    if let Some(v) = boolean(
        opts,
        "tryAllTransports",
        "option 'tryAllTransports' must be a boolean",
    )? {
        engine.try_all_transports = v;
    }
    engine.timestamp_requests = boolean(
        opts,
        "timestampRequests",
        "option 'timestampRequests' must be a boolean",
    )?;
    if let Some(v) = get(opts, "timestampParam") {
        engine.timestamp_param = v
            .as_string()
            .ok_or_else(|| type_error("option 'timestampParam' must be a string"))?;
    }
    if let Some(v) = boolean(
        opts,
        "rememberUpgrade",
        "option 'rememberUpgrade' must be a boolean",
    )? {
        engine.remember_upgrade = v;
    }
    if let Some(n) = number(
        opts,
        "maxReceivePayload",
        "option 'maxReceivePayload' must be a non-negative number",
    )? {
        engine.max_receive_payload = Some(n.min(1e15) as u64);
    }
    beyond_official(opts, &mut config)?;
    if let Some(v) = boolean(
        opts,
        "reconnection",
        "option 'reconnection' must be a boolean",
    )? {
        config.reconnection = v;
    }
    if let Some(n) = number(
        opts,
        "reconnectionAttempts",
        "option 'reconnectionAttempts' must be a non-negative number",
    )? {
        config.reconnection_attempts = if n.is_finite() {
            n.min(f64::from(u32::MAX)) as u32
        } else {
            u32::MAX
        };
    }
    if let Some(n) = number(
        opts,
        "reconnectionDelay",
        "option 'reconnectionDelay' must be a non-negative number",
    )? {
        config.reconnection_delay = millis(n);
    }
    if let Some(n) = number(
        opts,
        "reconnectionDelayMax",
        "option 'reconnectionDelayMax' must be a non-negative number",
    )? {
        config.reconnection_delay_max = millis(n);
    }
    if let Some(n) = number(
        opts,
        "randomizationFactor",
        "option 'randomizationFactor' must be a number from 0 to 1",
    )? {
        if n > 1.0 {
            return Err(type_error(
                "option 'randomizationFactor' must be a number from 0 to 1",
            ));
        }
        config.randomization_factor = n;
    }
    match get(opts, "timeout") {
        None => {}
        Some(v) if v.as_bool() == Some(false) => config.timeout = None,
        Some(v) => match v.as_f64().filter(|n| *n >= 0.0) {
            Some(n) => config.timeout = Some(millis(n)),
            None => {
                return Err(type_error(
                    "option 'timeout' must be a non-negative number or false",
                ))
            }
        },
    }
    config.engine.request_timeout = number(
        opts,
        "requestTimeout",
        "option 'requestTimeout' must be a non-negative number",
    )?
    .filter(|n| *n > 0.0)
    .map(millis);
    let http = HttpOptions {
        with_credentials: boolean(
            opts,
            "withCredentials",
            "option 'withCredentials' must be a boolean",
        )?
        .unwrap_or(false),
        extra_headers: get(opts, "extraHeaders").and_then(|v| v.dyn_into::<Object>().ok()),
    };
    let close_on_beforeunload = boolean(
        opts,
        "closeOnBeforeunload",
        "option 'closeOnBeforeunload' must be a boolean",
    )?
    .unwrap_or(false);
    let protocols = match get(opts, "protocols") {
        None => Array::new(),
        Some(v) if v.is_string() => Array::of1(&v),
        Some(v) => v
            .dyn_into::<Array>()
            .map_err(|_| type_error("option 'protocols' must be a string or an array"))?,
    };
    let native_timers = boolean(
        opts,
        "useNativeTimers",
        "option 'useNativeTimers' must be a boolean",
    )?
    .unwrap_or(false);
    let auto_connect = boolean(
        opts,
        "autoConnect",
        "option 'autoConnect' must be a boolean",
    )?
    .unwrap_or(true);
    Ok(Options {
        config,
        browser: BrowserOptions {
            http,
            protocols,
            close_on_beforeunload,
            native_timers,
        },
        auto_connect,
    })
}
