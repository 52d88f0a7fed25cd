// Shared set-up for the end-to-end suites: both servers in test mode, one Chromium, and a page
// served from the Rust server's origin with the package importable as /pkg/index.js (the bundle it ships).
import { after, before } from "node:test";
import { FaultProxy } from "../support/fault-proxy.mjs";
import { buildRustServer, startNodeServer, startRustServer } from "../support/spawn.mjs";
import { launch } from "./browser.mjs";

/**
 * Starts both servers (with `extra` flags each) and Chromium for the calling suite; `browser`:
 * options of `launch` (browser.mjs).
 */
export function useServers({ rustArgs = [], nodeArgs = [], browser: launchOptions } = {}) {
  const ctx = { servers: {} };
  before(async () => {
    await buildRustServer();
    const [rust, node, browser] = await Promise.all([
      startRustServer(["--test", ...rustArgs]),
      startNodeServer(["--test", ...nodeArgs]),
      launch(launchOptions),
    ]);
    Object.assign(ctx, { rust, node, browser });
    ctx.servers = { rust: rust.url, node: node.url };
  });
  after(async () => {
    await ctx.browser?.close();
    await Promise.all([ctx.rust?.stop(), ctx.node?.stop()]);
  });
  return ctx;
}

/** A fresh page on the Rust server's origin, with page errors collected in `page.errors`. */
export async function openPage(ctx) {
  const page = await ctx.browser.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") page.errors.push(m.text());
  });
  await page.goto(`${ctx.rust.url}/tests/e2e/pages/blank.html`);
  await page.evaluate(async () => {
    window.sio = await import("/pkg/index.js");
    // Waits for `event` on `emitter`, or rejects after `ms`.
    window.waitFor = (emitter, event, ms = 10000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), ms);
        emitter.once(event, (...args) => {
          clearTimeout(timer);
          resolve(args);
        });
      });
  });
  return page;
}

// ---- helpers for the transport and reconnection suites -----------------------------------------

/** The two servers every scenario runs against. */
export const SERVER_KINDS = ["rust", "node"];

/**
 * Starts a server of `kind` ("rust" or "node") in test mode with `args` (e.g. `--ping-interval`,
 * `--port`). Resolves `{ kind, url, port, process, stop() }`.
 */
export async function startServer(kind, args = []) {
  if (kind === "rust") await buildRustServer();
  const start = kind === "rust" ? startRustServer : startNodeServer;
  return { kind, ...(await start(["--test", ...args])) };
}

/**
 * An in-process FaultProxy in front of `targetPort`, listening; `proxy.url` is its origin. With
 * a test context `t`, it is closed when the test ends.
 */
export async function startProxy(targetPort, t) {
  const proxy = new FaultProxy({ targetPort });
  t?.after(() => proxy.close());
  const port = await proxy.listen();
  proxy.url = `http://127.0.0.1:${port}`;
  return proxy;
}

/**
 * Cuts every connection of `proxy` until the page logs a `disconnect` (bounded). A polling GET
 * on a reused keep-alive connection is silently retried by Chromium after a reset, so one cut
 * may go unnoticed; the cuts stop as soon as the client noticed, well before the first
 * reconnection attempt (reconnectionDelay >= 500 ms, so >= 250 ms with jitter), unless new
 * connections are refused anyway.
 */
export async function cutUntilNoticed(page, proxy) {
  await until(
    async () => {
      proxy.cutAll();
      await new Promise((resolve) => setTimeout(resolve, 20));
      return page.evaluate(() => entries("disconnect").length > 0);
    },
    "the client to notice the cut",
    5000,
    10,
  );
}

/** The records of `key` on the server at `url` (`GET /control/records/:key`). */
export async function records(url, key) {
  const res = await fetch(`${url}/control/records/${encodeURIComponent(key)}`);
  if (!res.ok) throw new Error(`GET records ${key}: ${res.status}`);
  return res.json();
}

/** POSTs to a control endpoint (`/control/disconnect-all`, `/control/reset`) and returns its JSON. */
export async function control(url, pathname) {
  const res = await fetch(`${url}${pathname}`, { method: "POST" });
  if (!res.ok) throw new Error(`POST ${pathname}: ${res.status}`);
  return res.json();
}

/** Resolves when `predicate()` (may be async) is truthy, checked every `every` ms; rejects after `ms`. */
export async function until(predicate, what, ms = 10_000, every = 25) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/**
 * `openPage` plus an event log and instrumentation, closed when test `t` ends. In the page:
 * - `track(emitter, prefix, events)`: appends `{ev: prefix + event, args, t}` to `log` for each
 *   listed event (`t` is `performance.now()`; Errors become `{error, type, description, data}`);
 * - `note(ev, ...args)`: appends an entry by hand;
 * - `until(pred, ms, what)`: resolves with `pred()`'s first truthy value, checked whenever the log
 *   grows (and at once); rejects after `ms` with the log in the message;
 * - `entries(ev)`, `untilEvent(ev, n = 1, ms = 10000)`: the entries of `ev` (at least `n`);
 * - `within(promise, ms, what)`: `promise`, or a rejection after `ms`;
 * - `wsUrls`: the URL of every WebSocket constructed; `holdWebSockets()` / `releaseWebSockets()`:
 *   WebSockets constructed in between connect only at the release (to time an upgrade probe);
 * - `requests`: `{method, url, bytes}` of every `fetch` and XMLHttpRequest (polling requests);
 *   fetches also get `t`, then `status` or `error`, and `done` (times as in `log`).
 * With SIO_REFERENCE=1 in the environment, `sio` is the official socket.io-client instead (a
 * check of the expectations; a test that reads internals of this package may not apply).
 * Page errors (uncaught exceptions only; failed requests log console errors by design in fault
 * tests) are in `page.uncaught`.
 */
export async function openTestPage(ctx, t) {
  // Pages share one browser context per suite: each is still its own realm (its own client),
  // and the HTTP and compiled-wasm caches make a page much cheaper to open than in a new context.
  ctx.testContext ??= ctx.browser.newContext();
  const page = await openPage({ ...ctx, browser: await ctx.testContext });
  page.uncaught = [];
  page.on("pageerror", (e) => page.uncaught.push(String(e)));
  t?.after(() => page.close());
  await addTestHelpers(page);
  if (process.env.SIO_REFERENCE === "1") {
    // Reference mode: the same scenarios with the official socket.io-client as `sio` (imported
    // after the instrumentation, which it captures at load), to check the tests' expectations.
    await page.evaluate(async () => {
      window.sio = await import("/node_modules/socket.io-client/dist/socket.io.esm.min.js");
    });
  }
  return page;
}

/**
 * Defines the test helpers of `openTestPage` (`log`, `note`, `track`, `until`, `entries`,
 * `untilEvent`, `within`, `wsUrls`, `holdWebSockets`/`releaseWebSockets`, `requests`) in `page`,
 * for suites that open their pages themselves (another origin, another context).
 */
export async function addTestHelpers(page) {
  await page.evaluate(() => {
    window.log = [];
    const waiters = new Set();
    const plain = (v) =>
      v instanceof Error
        ? { error: v.message, type: v.type, description: v.description, data: v.data }
        : typeof v === "function"
          ? "[function]"
          : v;
    window.note = (ev, ...args) => {
      log.push({ ev, args: args.map(plain), t: performance.now() });
      for (const check of [...waiters]) check();
    };
    window.track = (emitter, prefix, events) => {
      for (const ev of events) emitter.on(ev, (...args) => note(prefix + ev, ...args));
      return emitter;
    };
    window.until = (pred, ms, what) =>
      new Promise((resolve, reject) => {
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        const check = () => {
          let value;
          try {
            value = pred();
          } catch (e) {
            finish();
            reject(e);
            return;
          }
          if (value) {
            finish();
            resolve(value);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${ms} ms waiting for ${what}; log: ${log.map((e) => e.ev).join(", ")}`));
        }, ms);
        waiters.add(check);
        check();
      });
    window.within = (promise, ms, what) =>
      Promise.race([
        promise,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)),
      ]);
    window.entries = (ev) => log.filter((e) => e.ev === ev);
    window.untilEvent = (ev, n = 1, ms = 10000) =>
      until(() => (entries(ev).length >= n ? entries(ev) : null), ms, `${n} × ${ev}`);
    // WebSocket: every construction is counted; between holdWebSockets() and
    // releaseWebSockets() new ones are held (not connected) until the release.
    window.wsUrls = [];
    const NativeWebSocket = window.WebSocket;
    class HeldWebSocket {
      constructor(url, protocols) {
        this.url = String(url);
        this._protocols = protocols;
        this._listeners = new Map();
        this._binaryType = "blob";
        this._ws = null;
        this._closed = false;
      }
      _start() {
        if (this._closed) return;
        const ws = new NativeWebSocket(this.url, this._protocols);
        ws.binaryType = this._binaryType;
        for (const type of ["open", "message", "error", "close"]) {
          ws.addEventListener(type, (event) => {
            for (const fn of [...(this._listeners.get(type) ?? [])]) fn.call(this, event);
            this[`on${type}`]?.call(this, event);
          });
        }
        this._ws = ws;
      }
      get binaryType() {
        return this._ws ? this._ws.binaryType : this._binaryType;
      }
      set binaryType(value) {
        this._binaryType = value;
        if (this._ws) this._ws.binaryType = value;
      }
      get readyState() {
        return this._ws ? this._ws.readyState : this._closed ? 3 : 0;
      }
      addEventListener(type, fn) {
        if (!this._listeners.has(type)) this._listeners.set(type, []);
        this._listeners.get(type).push(fn);
      }
      removeEventListener(type, fn) {
        const list = this._listeners.get(type) ?? [];
        const i = list.indexOf(fn);
        if (i >= 0) list.splice(i, 1);
      }
      send(data) {
        if (!this._ws) throw new DOMException("held WebSocket is not open", "InvalidStateError");
        this._ws.send(data);
      }
      close(code, reason) {
        this._closed = true;
        this._ws?.close(code, reason);
      }
    }
    let held = null;
    function WebSocket(url, protocols) {
      wsUrls.push(String(url));
      if (!held) return new NativeWebSocket(url, protocols);
      const socket = new HeldWebSocket(url, protocols);
      held.push(socket);
      return socket;
    }
    WebSocket.prototype = NativeWebSocket.prototype;
    Object.assign(WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
    window.WebSocket = WebSocket;
    window.holdWebSockets = () => {
      held = [];
    };
    window.releaseWebSockets = () => {
      const list = held ?? [];
      held = null;
      for (const socket of list) socket._start();
      return list.length;
    };
    // fetch: every request is logged as {method, url, bytes} (bytes: the UTF-8 body size).
    window.requests = [];
    const nativeFetch = window.fetch;
    window.fetch = function (input, init) {
      const body = typeof init?.body === "string" ? init.body : "";
      const entry = { method: init?.method ?? "GET", url: String(input), bytes: new TextEncoder().encode(body).length, t: performance.now() };
      requests.push(entry);
      return nativeFetch.call(this, input, init).then(
        (res) => {
          entry.status = res.status;
          entry.done = performance.now();
          return res;
        },
        (err) => {
          entry.error = String(err);
          entry.done = performance.now();
          throw err;
        },
      );
    };
    // The same for XMLHttpRequest (the official client's polling transport).
    const nativeOpen = XMLHttpRequest.prototype.open;
    const nativeSend = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url, ...rest) {
      this._logged = { method: String(method).toUpperCase(), url: String(url) };
      return nativeOpen.call(this, method, url, ...rest);
    };
    XMLHttpRequest.prototype.send = function (body) {
      const bytes = typeof body === "string" ? new TextEncoder().encode(body).length : 0;
      if (this._logged) requests.push({ ...this._logged, bytes });
      return nativeSend.call(this, body);
    };
  });
}
