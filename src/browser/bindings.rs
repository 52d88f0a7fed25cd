//! The few global browser functions the driver needs, bound directly (as gloo does) so they
//! work in windows and workers alike and cost no web-sys `Window` bindings.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `setTimeout(callback, ms)`.
    #[wasm_bindgen(js_name = setTimeout)]
    pub(crate) fn set_timeout(callback: &js_sys::Function, ms: i32) -> JsValue;

    /// `clearTimeout(id)`.
    #[wasm_bindgen(js_name = clearTimeout)]
    pub(crate) fn clear_timeout(id: &JsValue);

    /// `queueMicrotask(callback)`.
    #[wasm_bindgen(js_name = queueMicrotask)]
    pub(crate) fn queue_microtask(callback: &JsValue);

    /// `performance.now()`: a monotonic clock in milliseconds.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub(crate) fn performance_now() -> f64;
}

#[wasm_bindgen(inline_js = "
export function fetch_text(url, init, done, ms) {
  let timer;
  if (ms > 0) {
    const local = new AbortController();
    init.signal?.addEventListener('abort', () => local.abort());
    init.signal = local.signal;
    timer = setTimeout(() => local.abort(), ms);
  }
  fetch(url, init)
    .then((r) => r.text().then((t) => [r.status, t]))
    .then(([s, t]) => { clearTimeout(timer); done(s, t); }, () => { clearTimeout(timer); done(0); });
}
const posts = new Map();
export function post_text(key, url, init, done, ms) {
  const previous = posts.get(key) || Promise.resolve();
  const next = previous.then(() => new Promise((resolve) => fetch_text(url, init, (s, t) => { resolve(); done(s, t); }, ms)));
  posts.set(key, next);
  next.then(() => { if (posts.get(key) === next) posts.delete(key); });
}
export function send_texts(ws, text, lens) {
  let at = 0;
  for (const n of lens) {
    try { ws.send(text.substring(at, at + n)); } catch {}
    at += n;
  }
}
export function message_listener(text, binary) {
  return (e) => {
    const d = e.data;
    if (typeof d === 'string') text(d);
    else if (d instanceof ArrayBuffer) binary(new Uint8Array(d));
  };
}
export function is_online() { return typeof navigator === 'undefined' || navigator.onLine !== false; }
export function global_this() { return globalThis; }
")]
extern "C" {
    /// Fetches `url` and calls `done(status, text)` once, or `done(0)` on any failure or after
    /// `ms` milliseconds (0: no limit).
    pub(crate) fn fetch_text(url: &str, init: &JsValue, done: &JsValue, ms: u32);

    /// Like [`fetch_text`], but after the previous request made with the same `key` settled
    /// (the POSTs of one polling transport).
    pub(crate) fn post_text(key: u32, url: &str, init: &JsValue, done: &JsValue, ms: u32);

    /// Sends text frames whose texts are `text` cut at the UTF-16 lengths `lens`: one string
    /// crosses into JavaScript (one UTF-8 decoding) for a whole batch of frames. A failed send
    /// is ignored, as with `send_with_str` (the close event reports a dead socket).
    pub(crate) fn send_texts(ws: &web_sys::WebSocket, text: &str, lens: &[u32]);

    /// A WebSocket `message` listener that calls `text(string)` or `binary(Uint8Array)`: the
    /// event object, its type check and its `data` stay in JavaScript, and one crossing into
    /// the WebAssembly carries the payload.
    pub(crate) fn message_listener(text: &JsValue, binary: &JsValue) -> js_sys::Function;

    /// `navigator.onLine` (true where there is no navigator).
    pub(crate) fn is_online() -> bool;

    /// `globalThis`: the window or the worker scope, for `online`/`offline`/`beforeunload`.
    pub(crate) fn global_this() -> web_sys::EventTarget;
}
