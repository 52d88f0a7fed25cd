//! The HTTP long-polling transport over `fetch`: at most one GET and one POST in flight, text
//! bodies, an `AbortController` that cancels the pending GET when the transport is dropped.

use crate::prelude::*;
use alloc::rc::Weak;
use core::cell::RefCell;

use js_sys::{Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;
use web_sys::AbortController;

use super::bindings::{fetch_text, post_text};
use super::runtime::{deliver, Runtime};
use crate::client::{Failure, TransportEvent, TransportId};

/// Request options shared by every request of a Manager.
#[derive(Clone, Default)]
pub(crate) struct HttpOptions {
    /// `withCredentials`: send cookies cross-origin.
    pub(crate) with_credentials: bool,
    /// `extraHeaders`, as a plain object of header names to values.
    pub(crate) extra_headers: Option<Object>,
    /// `requestTimeout` in milliseconds (0: none).
    pub(crate) request_timeout: u32,
}

/// The polling requests of one transport id.
pub(crate) struct PollingTransport {
    abort: Option<AbortController>,
}

impl PollingTransport {
    pub(crate) fn new() -> Self {
        Self {
            abort: AbortController::new().ok(),
        }
    }

    /// Starts the long-polling GET.
    pub(crate) fn get(
        &self,
        rt: &Weak<RefCell<Runtime>>,
        id: TransportId,
        url: &str,
        options: &HttpOptions,
    ) {
        let init = request_init("GET", None, options, self.abort.as_ref(), false);
        let rt = rt.clone();
        on_settled(
            None,
            url,
            &init,
            options.request_timeout,
            move |result| match result {
                Ok((200, body)) => deliver(&rt, |m, now| {
                    m.handle_transport(now, TransportEvent::PollResponse(id, Ok(&body)))
                }),
                Ok((status, _)) => deliver(&rt, |m, now| {
                    m.handle_transport(
                        now,
                        TransportEvent::PollResponse(id, Err(Failure::Status(status))),
                    );
                }),
                Err(()) => deliver(&rt, |m, now| {
                    m.handle_transport(now, TransportEvent::PollResponse(id, Err(Failure::Network)))
                }),
            },
        );
    }

    /// Sends a payload. The POST is not aborted with the transport: the close packet and the
    /// last writes must still reach the server.
    pub(crate) fn post(
        rt: &Weak<RefCell<Runtime>>,
        id: TransportId,
        url: &str,
        body: &str,
        options: &HttpOptions,
        last: bool,
    ) {
        let init = request_init("POST", Some(body), options, None, last);
        let key = Some(id.0);
        if last {
            on_settled(key, url, &init, options.request_timeout, |_| {});
            return;
        }
        let rt = rt.clone();
        on_settled(key, url, &init, options.request_timeout, move |result| {
            let result = match result {
                Ok((200, _)) => Ok(()),
                Ok((status, _)) => Err(Failure::Status(status)),
                Err(()) => Err(Failure::Network),
            };
            deliver(&rt, |m, now| {
                m.handle_transport(now, TransportEvent::PostResponse(id, result))
            });
        });
    }
}

impl Drop for PollingTransport {
    fn drop(&mut self) {
        if let Some(abort) = &self.abort {
            abort.abort();
        }
    }
}

fn request_init(
    method: &str,
    body: Option<&str>,
    options: &HttpOptions,
    abort: Option<&AbortController>,
    keepalive: bool,
) -> JsValue {
    let init = Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&init, &JsValue::from_str(key), value);
    };
    set("method", &JsValue::from_str(method));
    set("cache", &JsValue::from_str("no-store"));
    set(
        "credentials",
        &JsValue::from_str(if options.with_credentials {
            "include"
        } else {
            "same-origin"
        }),
    );
    let headers = Object::new();
    if let Some(extra) = &options.extra_headers {
        let _ = Object::assign(&headers, extra);
    }
    if let Some(body) = body {
        let _ = Reflect::set(
            &headers,
            &JsValue::from_str("Content-Type"),
            &JsValue::from_str("text/plain;charset=UTF-8"),
        );
        set("body", &JsValue::from_str(body));
    }
    set("headers", &headers);
    if let Some(abort) = abort {
        set("signal", &abort.signal());
    }
    if keepalive {
        set("keepalive", &JsValue::TRUE);
    }
    init.into()
}

/// Calls `done` exactly once with (status, body), or `Err` on a network failure or abort. The
/// one-shot closure frees itself when called, and it is always called. Requests with the same
/// `chain` key (the POSTs of one transport) go one after the other.
fn on_settled(
    chain: Option<u32>,
    url: &str,
    init: &JsValue,
    timeout_ms: u32,
    done: impl FnOnce(Result<(u16, String), ()>) + 'static,
) {
    let callback = Closure::once_into_js(move |status: u16, body: JsValue| {
        done(match body.as_string() {
            Some(body) if status > 0 => Ok((status, body)),
            _ => Err(()),
        });
    });
    match chain {
        Some(key) => post_text(key, url, init, &callback, timeout_ms),
        None => fetch_text(url, init, &callback, timeout_ms),
    }
}
