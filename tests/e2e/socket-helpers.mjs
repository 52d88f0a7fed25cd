// Helpers for socket.test.mjs: a test page (fixtures.mjs `openTestPage`) plus wire-level
// instrumentation of what the client writes and a way to inject frames as if the server had
// sent them.
//
// `SIO_REFERENCE=1` (as in fixtures.mjs) or `SIO_CLIENT=official` runs the same suite against the
// official socket.io-client (the copy in node_modules, served from the Rust server's origin)
// instead of socketio-wasm: a check that the suite expects what the reference client does.
import { openTestPage } from "./fixtures.mjs";

/** Which client the suite drives: "wasm" (default) or "official". */
export const CLIENT = process.env.SIO_CLIENT === "official" || process.env.SIO_REFERENCE === "1" ? "official" : "wasm";

const OFFICIAL_MODULE = "/node_modules/socket.io-client/dist/socket.io.esm.min.js";

/** A unique key for the server's `record` event. */
export const key = (name) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

/** 0, 1, ..., n - 1. */
export const range = (n) => Array.from({ length: n }, (_, i) => i);

/** The values of `list` in the order of their first occurrence. */
export function firstOccurrences(list) {
  const seen = new Set();
  const out = [];
  for (const v of list) {
    const k = JSON.stringify(v);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
}

/**
 * `openTestPage(ctx, t)` plus, in the page:
 * - `wire`: every frame the client wrote, in order: `{t, data}` where `data` is the text of a
 *   WebSocket text frame or of a polling POST body (fetch or XHR), or `{binary: byteLength}`;
 * - `wireText(substring)`: the text frames containing `substring`;
 * - `wireIn`: every frame the WebSocket message listeners got, `{t, data, injected}` (not polling);
 * - `injectIncoming(text)`: hands `text` to the message listeners of the newest open WebSocket,
 *   as if the server had sent that frame (e.g. `42["ev",1]`);
 * - `injectBeforeConnectReply(frames)`: the next time a WebSocket receives a CONNECT reply
 *   (a text frame `40...`), `frames` are delivered just before it;
 * - `sleep(ms)`.
 * With `SIO_CLIENT=official`, `sio` is the official socket.io-client.
 */
export async function openSocketPage(ctx, t) {
  const page = await openTestPage(ctx, t);
  await page.evaluate(
    async ({ official }) => {
      if (official) window.sio = await import(official);
      window.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      window.wire = [];
      const record = (data) => {
        wire.push({
          t: performance.now(),
          data: typeof data === "string" ? data : { binary: data?.byteLength ?? data?.size ?? -1 },
        });
      };
      window.wireText = (s) => wire.filter((f) => typeof f.data === "string" && f.data.includes(s)).map((f) => f.data);
      const proto = WebSocket.prototype; // the native prototype (fixtures.mjs keeps it)
      const nativeSend = proto.send;
      proto.send = function (data) {
        record(data);
        return nativeSend.call(this, data);
      };
      const nativeFetch = window.fetch;
      window.fetch = function (input, init) {
        if ((init?.method ?? "GET").toUpperCase() === "POST") record(init?.body ?? "");
        return nativeFetch.call(this, input, init);
      };
      const xhrSend = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.send = function (body) {
        if (body != null) record(body);
        return xhrSend.call(this, body);
      };

      // Incoming frames: every message listener of every WebSocket, so frames can be injected.
      const sockets = [];
      const listenersOf = (ws) => {
        if (!ws.__messageListeners) {
          ws.__messageListeners = [];
          sockets.push(ws);
        }
        return ws.__messageListeners;
      };
      window.wireIn = [];
      const recordIn = (data, injected) => {
        wireIn.push({
          t: performance.now(),
          data: typeof data === "string" ? data : { binary: data?.byteLength ?? data?.size ?? -1 },
          injected,
        });
      };
      let before = null;
      const wrap = (ws, fn) => (event) => {
        if (before && typeof event.data === "string" && event.data.startsWith("40")) {
          const frames = before;
          before = null;
          for (const data of frames) {
            recordIn(data, true);
            fn.call(ws, new MessageEvent("message", { data }));
          }
        }
        recordIn(event.data, false);
        return fn.call(ws, event);
      };
      const nativeAdd = proto.addEventListener;
      proto.addEventListener = function (type, fn, options) {
        if (type !== "message" || typeof fn !== "function") return nativeAdd.call(this, type, fn, options);
        const wrapped = wrap(this, fn);
        listenersOf(this).push(fn);
        fn.__wrapped = wrapped;
        return nativeAdd.call(this, type, wrapped, options);
      };
      const nativeRemove = proto.removeEventListener;
      proto.removeEventListener = function (type, fn, options) {
        if (type === "message" && fn?.__wrapped) {
          const list = listenersOf(this);
          const i = list.indexOf(fn);
          if (i >= 0) list.splice(i, 1);
          return nativeRemove.call(this, type, fn.__wrapped, options);
        }
        return nativeRemove.call(this, type, fn, options);
      };
      const onmessage = Object.getOwnPropertyDescriptor(proto, "onmessage");
      Object.defineProperty(proto, "onmessage", {
        configurable: true,
        get() {
          return this.__onmessage ?? null;
        },
        set(fn) {
          const list = listenersOf(this);
          if (this.__onmessage) list.splice(list.indexOf(this.__onmessage), 1);
          this.__onmessage = typeof fn === "function" ? fn : null;
          if (this.__onmessage) list.push(this.__onmessage);
          onmessage.set.call(this, this.__onmessage ? wrap(this, this.__onmessage) : null);
        },
      });
      window.injectIncoming = (text) => {
        const ws = [...sockets].reverse().find((s) => s.readyState === 1);
        if (!ws) throw new Error("injectIncoming: no open WebSocket");
        recordIn(text, true);
        for (const fn of ws.__messageListeners.slice()) fn.call(ws, new MessageEvent("message", { data: text }));
      };
      window.injectBeforeConnectReply = (frames) => {
        before = frames;
      };
    },
    { official: CLIENT === "official" ? OFFICIAL_MODULE : null },
  );
  return page;
}
