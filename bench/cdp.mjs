// The bench's browser driver: headless Chromium over a bare DevTools pipe (--remote-debugging-pipe:
// the browser reads commands on fd 3 and writes replies and events on fd 4, each message JSON
// followed by a NUL byte). It enables only the domains a measurement asks for (Runtime for
// evaluation and uncaught errors, Page for the load event, Performance where CPU is read), and
// never Network: with Network enabled (as Playwright does on every page), Chromium copies every
// WebSocket frame, payload included, to the driver, and that copy lands inside the timings.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { chromiumArgs } from "../tests/e2e/browser.mjs";

/** The message pipe to the browser: `send(method, params, sessionId)` resolves the command's
 *  result (or rejects with its error); events go to the listeners of their session. */
class Connection {
  constructor(input, output) {
    this.input = input;
    this.nextId = 1;
    this.pending = new Map(); // id -> { resolve, reject, method }
    this.listeners = new Map(); // sessionId ("" for the browser) -> Set<fn(method, params)>
    this.closed = false;
    let buffered = [];
    output.on("data", (chunk) => {
      let start = 0;
      for (let end = chunk.indexOf(0); end >= 0; end = chunk.indexOf(0, start)) {
        buffered.push(chunk.subarray(start, end));
        this.dispatch(JSON.parse(Buffer.concat(buffered).toString("utf8")));
        buffered = [];
        start = end + 1;
      }
      if (start < chunk.length) buffered.push(chunk.subarray(start));
    });
    output.on("close", () => this.fail(new Error("the browser closed its DevTools pipe")));
  }

  dispatch(msg) {
    if (msg.id !== undefined) {
      const call = this.pending.get(msg.id);
      if (!call) return;
      this.pending.delete(msg.id);
      if (msg.error) call.reject(new Error(`${call.method}: ${msg.error.message}${msg.error.data ? ` (${msg.error.data})` : ""}`));
      else call.resolve(msg.result);
      return;
    }
    for (const fn of this.listeners.get(msg.sessionId ?? "") ?? []) fn(msg.method, msg.params);
  }

  fail(error) {
    this.closed = true;
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }

  send(method, params = {}, sessionId) {
    if (this.closed) return Promise.reject(new Error(`${method}: the browser is gone`));
    const id = this.nextId++;
    const msg = { id, method, params, ...(sessionId ? { sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.input.write(JSON.stringify(msg) + "\0");
    });
  }

  on(sessionId, fn) {
    if (!this.listeners.has(sessionId)) this.listeners.set(sessionId, new Set());
    this.listeners.get(sessionId).add(fn);
    return () => this.listeners.get(sessionId)?.delete(fn);
  }
}

/** Rejects with `what` when `promise` has not settled within `ms`. */
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `fn` as an expression calling it with `arg` (JSON values only, as in Playwright); a result
 *  that is not JSON (e.g. the socket `socket.disconnect()` returns) comes back as undefined. */
function callExpression(fn, arg) {
  const call = `(${fn})(${arg === undefined ? "" : JSON.stringify(arg)})`;
  return `(async () => { const v = await ${call}; try { return v === undefined ? v : JSON.parse(JSON.stringify(v)); } catch { return undefined; } })()`;
}

/** One page (a target attached with flatten: true): its commands carry its sessionId. */
class Page {
  constructor(conn, targetId, sessionId) {
    this.conn = conn;
    this.targetId = targetId;
    this.sessionId = sessionId;
    /** Uncaught exceptions and unhandled rejections in the page (Runtime.exceptionThrown). */
    this.errors = [];
    conn.on(sessionId, (method, params) => {
      if (method === "Runtime.exceptionThrown") {
        const d = params.exceptionDetails;
        this.errors.push(d.exception?.description ?? d.text);
      }
    });
  }

  /** A raw CDP command on this page's session. */
  send(method, params) {
    return this.conn.send(method, params, this.sessionId);
  }

  /** Navigates and waits for the load event. */
  async goto(url, { timeout = 30000 } = {}) {
    let off;
    const loaded = new Promise((resolve) => (off = this.conn.on(this.sessionId, (method) => method === "Page.loadEventFired" && resolve())));
    try {
      const nav = await this.send("Page.navigate", { url });
      if (nav.errorText) throw new Error(`navigation to ${url}: ${nav.errorText}`);
      await within(loaded, timeout, `load event of ${url}`);
    } finally {
      off();
    }
  }

  /** Runs `fn(arg)` in the page, awaits its promise, returns its value (JSON). Throws the page's
   *  exception as an Error. */
  async evaluate(fn, arg) {
    const r = await this.send("Runtime.evaluate", {
      expression: callExpression(fn, arg),
      awaitPromise: true,
      returnByValue: true,
      userGesture: false,
    });
    if (r.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new Error(`in the page: ${d.exception?.description ?? d.exception?.value ?? d.text}`);
    }
    return r.result.value;
  }

  /** Polls `fn(arg)` every `polling` ms until it returns a truthy value, and returns that value. */
  async waitForFunction(fn, arg, { timeout = 30000, polling = 10 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await this.evaluate(fn, arg);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`waitForFunction timed out after ${timeout} ms`);
      await new Promise((r) => setTimeout(r, polling));
    }
  }
}

/** A browser context (its own cache, storage and renderer): pages, then `close()`. */
class Context {
  constructor(conn, id) {
    this.conn = conn;
    this.id = id;
  }

  /** A new page at about:blank with Runtime and Page enabled (nothing else). */
  async newPage() {
    const { targetId } = await this.conn.send("Target.createTarget", { url: "about:blank", browserContextId: this.id });
    const { sessionId } = await this.conn.send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(this.conn, targetId, sessionId);
    await Promise.all([page.send("Runtime.enable"), page.send("Page.enable")]);
    return page;
  }

  close() {
    return this.conn.send("Target.disposeBrowserContext", { browserContextId: this.id });
  }
}

/** Launches headless Chromium (the flags of tests/e2e/browser.mjs) on a DevTools pipe. */
export async function launch() {
  const { executablePath, args } = chromiumArgs();
  const profile = mkdtempSync(join(os.tmpdir(), "bench-chromium-"));
  const child = spawn(executablePath, [...args, "--headless", "--remote-debugging-pipe", `--user-data-dir=${profile}`, "about:blank"], {
    stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const conn = new Connection(child.stdio[3], child.stdio[4]);
  child.stdio[3].on("error", () => {}); // EPIPE after the browser died: reported by the pending calls
  let product;
  try {
    ({ product } = await within(conn.send("Browser.getVersion"), 30000, "Chromium start"));
  } catch (e) {
    child.kill("SIGKILL");
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`${e.message}; chromium stderr: ${stderr}`);
  }
  return {
    /** "156.0.…" (like Playwright's browser.version()). */
    version: () => product.replace(/^[^/]*\//, ""),
    async newContext() {
      const { browserContextId } = await conn.send("Target.createBrowserContext", { disposeOnDetach: true });
      return new Context(conn, browserContextId);
    },
    async close() {
      await within(conn.send("Browser.close"), 5000, "Browser.close").catch(() => child.kill("SIGKILL"));
      await within(exited, 5000, "chromium exit").catch(() => child.kill("SIGKILL"));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
