//! The HTTP long-polling transport over `fetch`: at most one GET in flight, POSTs one after
//! the other (a chain of its own per transport, never shared with another Manager), text
//! bodies, and an `AbortController` that cancels the pending GET when the transport is
//! dropped. Request timeouts (`requestTimeout`) are the core's deadlines, not timers here.

use crate::prelude::*;

use js_sys::{JsString, Object, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;
use web_sys::AbortController;

use super::imports::{http_request, utf16_len, JOINS_DATA};
use super::inbox::Inbox;
use crate::client::json::Held;
use crate::client::{Failure, Payload, TransportEvent, TransportId};

/// Request options shared by every request of a Manager.
#[derive(Clone, Default)]
pub(crate) struct HttpOptions {
    /// `withCredentials`: send cookies cross-origin.
    pub(crate) with_credentials: bool,
    /// `extraHeaders`, as a plain object of header names to values.
    pub(crate) extra_headers: Option<Object>,
}

/// The polling requests of one transport id.
pub(crate) struct PollingTransport {
    id: TransportId,
    inbox: Inbox,
    abort: Option<AbortController>,
    /// Settles when the last POST made has been answered (or failed): the next one waits.
    posts: Option<Promise>,
}

impl PollingTransport {
    /// A transport `id` whose responses go to `inbox`.
    pub(crate) fn new(id: TransportId, inbox: Inbox) -> Self {
        Self {
            id,
            inbox,
            abort: AbortController::new().ok(),
            posts: None,
        }
    }

    /// Starts the long-polling GET.
    pub(crate) fn get(&self, url: &str, options: &HttpOptions) {
        let (id, inbox) = (self.id, self.inbox.clone());
        let done = settled(move |result| {
            let result = match &result {
                Ok((200, body)) => Ok(body.as_str()),
                Ok((status, _)) => Err(Failure::Status(*status)),
                Err(()) => Err(Failure::Network),
            };
            inbox.send(TransportEvent::PollResponse(id, result));
        });
        let _ = http_request(
            None,
            url,
            None,
            &[],
            Vec::new(),
            options.with_credentials,
            options.extra_headers.as_ref(),
            self.abort.as_ref(),
            false,
            &done,
        );
    }

    /// Sends a payload after the POST in flight, if any. The POST is not aborted with the
    /// transport: the close packet and the last writes (`last`) must still reach the server,
    /// and the outcome of the `last` one is not reported.
    pub(crate) fn post(&mut self, url: &str, body: Payload, options: &HttpOptions, last: bool) {
        let (id, inbox) = (self.id, self.inbox.clone());
        let done = settled(move |result| {
            if last {
                return;
            }
            let result = match result {
                Ok((200, _)) => Ok(()),
                Ok((status, _)) => Err(Failure::Status(status)),
                Err(()) => Err(Failure::Network),
            };
            inbox.send(TransportEvent::PostResponse(id, result));
        });
        let (text, lens, data) = parts(body);
        self.posts = Some(http_request(
            self.posts.as_ref(),
            url,
            Some(&text),
            &lens,
            data,
            options.with_credentials,
            options.extra_headers.as_ref(),
            None,
            last,
            &done,
        ));
    }
}

/// `body` as [`http_request`] takes it: its text, the UTF-16 lengths of the text before each
/// data (with [`JOINS_DATA`]) and of the rest, and the data as JavaScript strings (an emit's
/// JSON already is one; the Rust API's text becomes one here).
fn parts(body: Payload) -> (String, Vec<u32>, Vec<JsString>) {
    let Payload { text, data: joins } = body;
    let mut lens = Vec::with_capacity(joins.len() + 1);
    let mut data = Vec::with_capacity(joins.len());
    let mut at = 0;
    for (offset, json) in joins {
        lens.push(utf16_len(text.get(at..offset).unwrap_or("")) | JOINS_DATA);
        data.push(match json.into_held() {
            Held::Js(js) => js,
            Held::Text(text) => JsString::from(text.as_str()),
        });
        at = offset;
    }
    lens.push(utf16_len(text.get(at..).unwrap_or("")));
    (text, lens, data)
}

impl Drop for PollingTransport {
    fn drop(&mut self) {
        if let Some(abort) = &self.abort {
            abort.abort();
        }
    }
}

/// A one-shot `done(undefined, body, status)` callback for [`http_request`] (the shape of a
/// text frame's closure, so that the glue has one shim less): `Ok((status, body))`, or `Err`
/// on a network failure or an abort (status 0). It frees itself when called, and it is always
/// called.
fn settled(done: impl FnOnce(Result<(u16, String), ()>) + 'static) -> JsValue {
    Closure::once_into_js(move |_: JsValue, body: String, status: f64| {
        done(if status > 0.0 {
            Ok((status as u16, body))
        } else {
            Err(())
        });
    })
}
