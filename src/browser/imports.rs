//! What the driver imports from JavaScript: a few global functions bound directly (as gloo
//! does), so they work in windows and workers alike and cost no web-sys `Window` bindings, and
//! a small inline module for what is cheaper said in JavaScript than through bindings.

use crate::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `queueMicrotask(callback)`.
    #[wasm_bindgen(js_name = queueMicrotask)]
    pub(crate) fn queue_microtask(callback: &JsValue);

    /// `performance.now()`: a monotonic clock in milliseconds.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub(crate) fn performance_now() -> f64;
}

#[wasm_bindgen(inline_js = "
const nativeTimers = [globalThis.setTimeout, globalThis.clearTimeout];
export function timer_functions(native) {
  return native ? nativeTimers : [globalThis.setTimeout, globalThis.clearTimeout];
}
export function set_timer(fns, callback, ms) { return fns[0].call(globalThis, callback, ms); }
export function clear_timer(fns, id) { fns[1].call(globalThis, id); }
export function http_request(after, url, text, lens, data, credentials, extra, abort, keepalive, done) {
  const headers = Object.assign({}, extra);
  const init = { method: 'GET', cache: 'no-store', credentials: credentials ? 'include' : 'same-origin', headers };
  if (text !== undefined) {
    init.method = 'POST';
    let body = '';
    each_frame(text, lens, data, (t) => { body += t; });
    init.body = body;
    headers['Content-Type'] = 'text/plain;charset=UTF-8';
  }
  if (abort) init.signal = abort.signal;
  if (keepalive) init.keepalive = true;
  const go = () => fetch(url, init)
    .then((r) => r.text().then((t) => [r.status, t]))
    .then(([s, t]) => done(undefined, t, s), () => done(undefined, '', 0));
  // Only a POST still in flight holds the next one back: after a settled one it starts now,
  // not a microtask later (behind the rest of the task's emits).
  const p = after && after.busy ? after.then(go, go) : go();
  const idle = () => { p.busy = false; };
  p.busy = true;
  p.then(idle, idle);
  return p;
}
export function page_location() {
  const l = globalThis.location;
  return l && l.host ? l.protocol + '//' + l.host : undefined;
}
export function send_texts(ws, held, text, lens, data) {
  if (!ws) return void held.push(text, lens.slice(), data);
  for (let i = 0; i < held.length; i += 3) send_batch(ws, held[i], held[i + 1], held[i + 2]);
  held.length = 0;
  send_batch(ws, text, lens, data);
}
function send_batch(ws, text, lens, data) {
  each_frame(text, lens, data, (t) => { try { ws.send(t); } catch {} });
}
function each_frame(text, lens, data, f) {
  let at = 0, d = 0;
  for (const n of lens) {
    const len = n & 0x7fffffff;
    let t = text.substring(at, at + len);
    if (n !== len) t += data[d++];
    f(t);
    at += len;
  }
}
export function send_joined(ws, head, data) {
  try { ws.send(head + data); } catch {}
}
export function array_buffer(v) {
  return (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v : v.slice()).buffer;
}
export function array_buffers(views) { return views.map(array_buffer); }
export function message_listener(text, binary) {
  return (e) => {
    const d = e.data;
    if (typeof d === 'string') text(d, d, e.timeStamp);
    else if (d instanceof ArrayBuffer) binary(new Uint8Array(d));
  };
}
export function is_online() { return typeof navigator === 'undefined' || navigator.onLine !== false; }
export function global_this() { return globalThis; }
export function session_entry(k, v) {
  try {
    if (v !== undefined) return void sessionStorage.setItem(k, v);
    const kept = sessionStorage.getItem(k);
    if (kept !== null) sessionStorage.removeItem(k);
    return kept ?? undefined;
  } catch {}
}
export function page_hidden() { return typeof document !== 'undefined' && document.visibilityState === 'hidden'; }
export function watch_page(cb) {
  if (typeof document === 'undefined' || typeof addEventListener !== 'function') return;
  const d = document, g = globalThis, on = [
    [d, 'visibilitychange', () => cb(d.visibilityState === 'hidden' ? 0 : 1)],
    [d, 'resume', () => cb(2)],
    [g, 'pagehide', (e) => cb(e.persisted ? 4 : 3)],
    [g, 'pageshow', (e) => cb(e.persisted ? 6 : 5)],
  ];
  for (const [t, k, f] of on) t.addEventListener(k, f);
  return () => { for (const [t, k, f] of on) t.removeEventListener(k, f); };
}
")]
extern "C" {
    /// `[setTimeout, clearTimeout]`: the ones of the global scope when this module loaded
    /// (`native`, for `useNativeTimers`), else the ones in force now, as socket.io-client picks
    /// them when a Manager is made.
    pub(crate) fn timer_functions(native: bool) -> JsValue;

    /// `setTimeout(callback, ms)` through `fns` of [`timer_functions`]; returns the timer id.
    pub(crate) fn set_timer(fns: &JsValue, callback: &js_sys::Function, ms: i32) -> JsValue;

    /// `clearTimeout(id)` through `fns` of [`timer_functions`].
    pub(crate) fn clear_timer(fns: &JsValue, id: &JsValue);

    /// Fetches `url` (a GET, or a POST of the body that `text`, `lens` and `data` make, cut
    /// as [`send_texts`] cuts frames and joined with nothing between them; `no-store`;
    /// cookies cross-origin with `credentials`; the headers of `extra`; cancelled by `abort`;
    /// `keepalive`) now, or once `after` (the previous POST of the same transport, if any)
    /// settled when it is still in flight, and calls
    /// `done(undefined, text, status)` once, or `done(undefined, '', 0)` on any failure (an
    /// abort included; the arguments of a text frame's closure, see `listener.rs`). Returns a
    /// promise that settles after `done` ran. The request is built here, in one crossing.
    #[allow(clippy::too_many_arguments)] // one crossing for the whole request
    pub(crate) fn http_request(
        after: Option<&js_sys::Promise>,
        url: &str,
        text: Option<&str>,
        lens: &[u32],
        data: Vec<js_sys::JsString>,
        credentials: bool,
        extra: Option<&js_sys::Object>,
        abort: Option<&web_sys::AbortController>,
        keepalive: bool,
        done: &JsValue,
    ) -> js_sys::Promise;

    /// `location.protocol + '//' + location.host` of the global scope, when it has a location
    /// with a host (a page or a worker served over HTTP).
    pub(crate) fn page_location() -> Option<String>;

    /// Sends the text frames whose texts are `text` cut at the UTF-16 lengths `lens` (one
    /// string crosses into JavaScript, one UTF-8 decoding, for a whole batch of frames), each
    /// length with [`JOINS_DATA`] set followed by the next string of `data` (an EVENT's header,
    /// then its JSON), after the batches held in `held`, which it empties. Without `ws`, only
    /// holds the batch (copies of its lengths): it is cut into frames when it is sent, so that
    /// a burst's loop does not pay for it. A failed send is ignored, as with `send_with_str`
    /// (the close event reports a dead socket).
    pub(crate) fn send_texts(
        ws: Option<&web_sys::WebSocket>,
        held: &js_sys::Array,
        text: &str,
        lens: &[u32],
        data: Vec<js_sys::JsString>,
    );

    /// Sends the text frame `head` + `data` (an EVENT's header and its JSON), ignoring a
    /// failure as [`send_texts`] does.
    pub(crate) fn send_joined(ws: &web_sys::WebSocket, head: &str, data: &js_sys::JsString);

    /// The bytes of `view` as an `ArrayBuffer` of their own, as socket.io-client hands
    /// attachments to listeners: the buffer they arrived in when the view spans it (a received
    /// frame), else a copy of just the view.
    pub(crate) fn array_buffer(view: &js_sys::Uint8Array) -> js_sys::ArrayBuffer;

    /// [`array_buffer`] of each view, in one crossing.
    pub(crate) fn array_buffers(views: Vec<js_sys::Uint8Array>) -> js_sys::Array;

    /// A WebSocket `message` listener that calls `text(data, data, timeStamp)` (the frame as a
    /// JS value, then as the text the glue copies in) or `binary(Uint8Array)`: the event
    /// object, its type check and its `data` stay in JavaScript, and one crossing into the
    /// WebAssembly carries the payload.
    pub(crate) fn message_listener(text: &JsValue, binary: &JsValue) -> js_sys::Function;

    /// `navigator.onLine` (true where there is no navigator).
    pub(crate) fn is_online() -> bool;

    /// `globalThis`: the window or the worker scope, for `online`/`offline`/`beforeunload`.
    pub(crate) fn global_this() -> web_sys::EventTarget;

    /// Whether the page is hidden now (false where there is no document).
    pub(crate) fn page_hidden() -> bool;

    /// With a `value`: `sessionStorage[key] = value` (a full or refused storage is ignored).
    /// Without: reads and removes `sessionStorage[key]` (none when absent, or where the
    /// storage is missing or refused).
    pub(crate) fn session_entry(key: &str, value: Option<&str>) -> Option<String>;

    /// Calls `cb(code)` on the page's lifecycle events (`visibilitychange`: 0 hidden,
    /// 1 visible; `resume`: 2; `pagehide`: 3, or 4 when persisted; `pageshow`: 5, or 6 when
    /// persisted) and returns a function that removes the listeners (undefined where there is
    /// no document).
    pub(crate) fn watch_page(cb: &JsValue) -> JsValue;
}

/// The bit of a [`send_texts`] length that says the frame's text goes on with the next
/// string of `data`.
pub(crate) const JOINS_DATA: u32 = 1 << 31;

/// The length of `text` in UTF-16 code units, as JavaScript counts it.
pub(crate) fn utf16_len(text: &str) -> u32 {
    let units = if text.is_ascii() {
        text.len()
    } else {
        text.chars().map(char::len_utf16).sum()
    };
    u32::try_from(units).unwrap_or(u32::MAX)
}
