// Helpers of seams.test.mjs: a polling wait, a fake
// `setTimeout` for the useNativeTimers tests, and the recorder of `socket.io.engine` events.

/**
 * In the page: resolves with `pred()`'s first truthy value, checked every 10 ms with the
 * setTimeout of the page's start (the fixtures' `until` checks only when the log grows); rejects
 * after `ms` with the log in the message.
 */
export function poll(pred, ms, what) {
  const deadline = performance.now() + ms;
  return new Promise((resolve, reject) => {
    (function check() {
      const value = pred();
      if (value) resolve(value);
      else if (performance.now() > deadline) reject(new Error(`timed out after ${ms} ms waiting for ${what}; log: ${log.map((e) => e.ev).join(", ")}`));
      else realSetTimeout(check, 10);
    })();
  });
}

/**
 * In the page: replaces `window.setTimeout` / `clearTimeout` with a fake clock that holds every
 * callback until `fake.tick(maxMs)` runs those scheduled with a delay <= maxMs. `fake.calls` is
 * every call (`{ms, t}`); `fake.waitFor` is `poll` (the fixtures' `until`/`untilEvent` arm
 * their deadlines with the global setTimeout, frozen here).
 */
export function installFakeSetTimeout() {
  const realClearTimeout = window.clearTimeout.bind(window);
  const held = new Map();
  const calls = [];
  let nextId = 1e9;
  window.setTimeout = (fn, ms = 0, ...args) => {
    const id = nextId++;
    calls.push({ ms: Number(ms), t: performance.now() });
    held.set(id, { fn, ms: Number(ms), args });
    return id;
  };
  window.clearTimeout = (id) => (held.has(id) ? held.delete(id) : realClearTimeout(id));
  window.fake = {
    calls,
    held,
    tick(maxMs) {
      for (const [id, h] of [...held]) {
        if (h.ms > maxMs) continue;
        held.delete(id);
        if (typeof h.fn === "function") h.fn(...h.args);
      }
    },
    sleep: (ms) => new Promise((resolve) => realSetTimeout(resolve, ms)),
    waitFor: poll,
  };
}

/**
 * In the page: logs the Engine.IO events of `engine` as `{ev: prefix + name, args}`: `packet`
 * and `packetCreate` as [type, data] (data: the string, "[binary]", or null when absent),
 * `drain` with no argument, `close` as [reason, description].
 */
export function recordEngine(engine, prefix = "") {
  const data = (d) => (d === undefined ? null : typeof d === "string" ? d : "[binary]");
  engine.on("packet", (p) => note(`${prefix}packet`, p.type, data(p.data)));
  engine.on("packetCreate", (p) => note(`${prefix}packetCreate`, p.type, data(p.data)));
  engine.on("drain", () => note(`${prefix}drain`));
  engine.on("close", (reason, description) => note(`${prefix}close`, reason, description ?? null));
}

/**
 * `[ev, ...args]` of the logged engine entries (names starting with `prefix`, which is cut off),
 * with every heartbeat triple (packet ping, packetCreate pong, drain) taken out; `pings` counts
 * them, `broken` the pings not answered at once by exactly that triple.
 */
export function withoutHeartbeats(log, prefix = "") {
  const seq = log.filter((e) => e.ev.startsWith(prefix)).map((e) => [e.ev.slice(prefix.length), ...e.args]);
  const out = [];
  let pings = 0;
  let broken = 0;
  for (let i = 0; i < seq.length; i++) {
    if (seq[i][0] !== "packet" || seq[i][1] !== "ping") {
      out.push(seq[i]);
      continue;
    }
    pings++;
    const [create, drain] = [seq[i + 1], seq[i + 2]];
    if (create?.[0] === "packetCreate" && create[1] === "pong" && drain?.[0] === "drain") i += 2;
    else broken++;
  }
  return { seq: out, pings, broken };
}

/** Defines `realSetTimeout`, `poll`, `installFakeSetTimeout` and `recordEngine` in `page`. */
export async function addSeamHelpers(page) {
  await page.evaluate(
    `window.realSetTimeout = window.setTimeout.bind(window); window.poll = ${poll};` +
      `window.installFakeSetTimeout = ${installFakeSetTimeout}; window.recordEngine = ${recordEngine};`,
  );
}
