// Seams between the JS face and the core, end to end against both servers: the Manager's
// getters and setters (defaults, chaining, and each setting's effect on a real connection),
// reconnection(false) from a reconnect_error listener, a restart of the loop from a
// reconnect_attempt listener (socket.io-client's "should reconnect after stopping reconnection"),
// useNativeTimers, the documented `socket.io.engine` events (packet, packetCreate, drain, close)
// and a new engine per connection attempt, and two polling Managers that must not share a queue.
//
// SIO_REFERENCE=1 runs the same page code against socket.io-client 4.8.4 (fixtures.mjs): every
// expectation here is the official client's behaviour.
//
// Absences ("no reconnection") are checked deterministically: with randomizationFactor 0 the
// reconnection delay is exact, and the check is a page timer of that delay + 250 ms armed at or
// after the moment the client arms (or would arm) its own reconnection timer; an earlier-due
// timer fires first, so an attempt would be logged before the check.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SERVER_KINDS, cutUntilNoticed, openTestPage, startProxy, startServer, useServers } from "./fixtures.mjs";
import { addSeamHelpers, withoutHeartbeats } from "./seams-helpers.mjs";

const ctx = useServers();
const T = { timeout: 30_000 };
/** The heartbeat of the per-kind "fast" server: a ping every 400 ms, 1.5 s to answer. */
const FAST_PING = ["--ping-interval", "400", "--ping-timeout", "1500"];
/** How long past a reconnection delay an absence is watched. */
const QUIET = 250;

async function page(t) {
  const p = await openTestPage(ctx, t);
  await addSeamHelpers(p);
  return p;
}

// No server is involved (autoConnect: false): one run covers both.
it("Manager getters give the defaults; every setter returns the manager and its getter reads the value back", T, async (t) => {
  const p = await page(t);
  const r = await p.evaluate((url) => {
    const m = new sio.Manager(url, { autoConnect: false });
    const names = ["reconnection", "reconnectionAttempts", "reconnectionDelay", "reconnectionDelayMax", "randomizationFactor", "timeout"];
    const defaults = Object.fromEntries(names.map((n) => [n, String(m[n]())]));
    const values = { reconnection: false, reconnectionAttempts: 3, reconnectionDelay: 250, reconnectionDelayMax: 750, randomizationFactor: 0.25, timeout: 1234 };
    const chained = Object.fromEntries(names.map((n) => [n, m[n](values[n]) === m]));
    const readBack = Object.fromEntries(names.map((n) => [n, m[n]()]));
    const reEnabled = m.reconnection(true).reconnection();
    return { defaults, chained, readBack, values, reEnabled };
  }, ctx.servers.rust);
  assert.deepEqual(r.defaults, {
    reconnection: "true",
    reconnectionAttempts: "Infinity",
    reconnectionDelay: "1000",
    reconnectionDelayMax: "5000",
    randomizationFactor: "0.5",
    timeout: "20000",
  });
  assert.deepEqual(r.chained, Object.fromEntries(Object.keys(r.values).map((n) => [n, true])), "each setter returns the manager");
  assert.deepEqual(r.readBack, r.values);
  assert.equal(r.reEnabled, true);
  assert.deepEqual(p.uncaught, []);
});

for (const kind of SERVER_KINDS) {
  describe(`against the ${kind} server`, () => {
    /** A server of this kind with a fast heartbeat (FAST_PING), for the heartbeat scenarios. */
    let fast;
    before(async () => {
      fast = await startServer(kind, FAST_PING);
    });
    after(() => fast?.stop());

    it("reconnection(false) set after connecting: a dropped connection is not retried", T, async (t) => {
      const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
      const p = await page(t);
      await p.evaluate(async ({ url, QUIET }) => {
        const socket = sio.io(url, { forceNew: true, transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 50, randomizationFactor: 0 });
        window.socket = socket;
        track(socket, "", ["connect", "disconnect"]);
        track(socket.io, "io:", ["reconnect_attempt", "reconnect", "open"]);
        // Armed in the same task as (just before) the Manager's 50 ms reconnection timer.
        socket.on("disconnect", () => setTimeout(() => note("quiet"), 50 + QUIET));
        await untilEvent("connect", 1, 10000);
        window.chained = socket.io.reconnection(false) === socket.io;
      }, { url: proxy.url, QUIET });
      await cutUntilNoticed(p, proxy);
      const r = await p.evaluate(async () => {
        await untilEvent("quiet", 1, 5000);
        return { chained, getter: socket.io.reconnection(), seq: log.map((e) => e.ev), connected: socket.connected };
      });
      assert.equal(r.chained, true);
      assert.equal(r.getter, false);
      assert.deepEqual(r.seq, ["io:open", "connect", "disconnect", "quiet"], "no reconnect_attempt after reconnection(false)");
      assert.equal(r.connected, false);
      assert.deepEqual(p.uncaught, []);
    });

    it("reconnectionAttempts(2), reconnectionDelay(300), reconnectionDelayMax(300), randomizationFactor(0) set on a Manager: 2 attempts 300 ms apart with TransportErrors, reconnect_failed, then nothing", T, async (t) => {
      const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
      proxy.refuseAll = true;
      const p = await page(t);
      const r = await p.evaluate(async ({ url, QUIET }) => {
        const m = new sio.Manager(url, { autoConnect: false });
        m.reconnectionAttempts(2).reconnectionDelay(300).reconnectionDelayMax(300).randomizationFactor(0);
        track(m, "io:", ["reconnect_attempt", "reconnect_error", "reconnect_failed", "reconnect", "open"]);
        // Nothing is armed after reconnect_failed; a third attempt would be due 300 ms later.
        m.on("reconnect_failed", () => setTimeout(() => note("quiet"), 300 + QUIET));
        const socket = m.socket("/");
        track(socket, "", ["connect", "connect_error"]);
        socket.connect();
        await untilEvent("quiet", 1, 10000);
        socket.disconnect();
        const at = (ev, i = 0) => entries(ev)[i].t;
        return {
          seq: log.map((e) => e.ev),
          attempts: entries("io:reconnect_attempt").map((e) => e.args[0]),
          types: entries("io:reconnect_error").map((e) => e.args[0].type),
          gaps: [at("io:reconnect_attempt") - at("connect_error"), at("io:reconnect_attempt", 1) - at("io:reconnect_error")],
        };
      }, { url: proxy.url, QUIET });
      assert.deepEqual(r.attempts, [1, 2]);
      assert.deepEqual(r.seq, [
        "connect_error",
        "io:reconnect_attempt",
        "connect_error",
        "io:reconnect_error",
        "io:reconnect_attempt",
        "connect_error",
        "io:reconnect_failed",
        "io:reconnect_error",
        "quiet",
      ]);
      assert.deepEqual(r.types, ["TransportError", "TransportError"]);
      // 300 ms each, exactly (factor 0); the max caps the second at 300 (600 without it), the
      // default delay would be 1000. 20 ms below for a client that arms its timer a little before
      // it emits the event measured from (socket.io-client: after it, in the same task), 250 ms
      // above for a late timer.
      for (const gap of r.gaps) assert.ok(gap >= 280 && gap <= 550, `reconnection delays ${r.gaps.map(Math.round)} ms`);
      assert.deepEqual(p.uncaught, []);
    });

    it('timeout(200) against a stalled server: connect_error "timeout" after ~200 ms, an Error with no type', T, async (t) => {
      const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
      proxy.stalled = true;
      const p = await page(t);
      const r = await p.evaluate(async (url) => {
        const m = new sio.Manager(url, { autoConnect: false, reconnection: false });
        const chained = m.timeout(200) === m;
        const socket = m.socket("/");
        track(socket, "", ["connect", "connect_error"]);
        const start = performance.now();
        socket.connect();
        const [e] = await untilEvent("connect_error", 1, 5000);
        socket.disconnect();
        return { chained, getter: m.timeout(), error: e.args[0], after: e.t - start };
      }, proxy.url);
      assert.equal(r.chained, true);
      assert.equal(r.getter, 200);
      assert.equal(r.error.error, "timeout");
      assert.ok(r.after >= 198 && r.after <= 1000, `connect_error after ${Math.round(r.after)} ms`);
      assert.equal(r.error.type, undefined, 'Error("timeout") is not a TransportError');
      assert.deepEqual(p.uncaught, []);
    });

    it("manager.reconnection(false) in a reconnect_error listener stops the loop: one attempt, no reconnect_failed", T, async (t) => {
      const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
      proxy.refuseAll = true;
      const p = await page(t);
      const r = await p.evaluate(async ({ url, QUIET }) => {
        const socket = sio.io(url, { forceNew: true, reconnectionDelay: 20, reconnectionDelayMax: 20, randomizationFactor: 0 });
        track(socket.io, "io:", ["reconnect_attempt", "reconnect_error", "reconnect_failed", "open"]);
        // socket.io-client arms the next attempt (20 ms) before it emits reconnect_error; this
        // check is armed after it and due later.
        socket.io.once("reconnect_error", () => {
          socket.io.reconnection(false);
          setTimeout(() => note("quiet"), 20 + QUIET);
        });
        await untilEvent("quiet", 1, 10000);
        socket.disconnect();
        return log.map((e) => e.ev);
      }, { url: proxy.url, QUIET });
      assert.deepEqual(r, ["io:reconnect_attempt", "io:reconnect_error", "quiet"], "no attempt after reconnection(false) in the reconnect_error listener");
      assert.deepEqual(p.uncaught, []);
    });

    it("socket.disconnect(); socket.connect() in the first reconnect_attempt listener starts the loop again: another reconnect_attempt", T, async (t) => {
      const p = await page(t);
      const r = await p.evaluate(async (url) => {
        // As socket.io-client's test: timeout 0 makes every attempt fail with "timeout".
        const socket = sio.io(`${url}/invalid`, { forceNew: true, timeout: 0, reconnectionDelay: 10 });
        track(socket, "", ["connect_error"]);
        track(socket.io, "io:", ["reconnect_attempt", "reconnect_error"]);
        socket.io.once("reconnect_attempt", () => {
          socket.disconnect();
          socket.connect();
        });
        await untilEvent("io:reconnect_attempt", 2, 5000).finally(() => socket.disconnect());
        return { firstError: entries("connect_error")[0].args[0].error, active: socket.active };
      }, ctx.servers[kind]);
      assert.equal(r.firstError, "timeout");
      assert.equal(r.active, false, "inactive after the final disconnect()");
      assert.deepEqual(p.uncaught, []);
    });

    for (const useNativeTimers of [false, true]) {
      const title = useNativeTimers
        ? "useNativeTimers: true: the page's replaced setTimeout is never called and the reconnection runs on the native one"
        : "without useNativeTimers: the setTimeout current at new Manager() (a fake clock) holds the reconnection until it is ticked";
      it(title, T, async (t) => {
        const p = await page(t);
        const r = await p.evaluate(async ({ url, useNativeTimers, QUIET }) => {
          installFakeSetTimeout();
          const opts = { transports: ["websocket"], reconnectionDelay: 150, reconnectionDelayMax: 150, randomizationFactor: 0 };
          const m = new sio.Manager(url, useNativeTimers ? { ...opts, useNativeTimers } : opts);
          track(m, "io:", ["reconnect_attempt", "reconnect"]);
          const socket = m.socket("/");
          track(socket, "", ["connect"]);
          const out = {};
          try {
            await fake.waitFor(() => entries("connect").length, 5000, "connect");
            out.callsWhileConnecting = fake.calls.length;
            const closedAt = performance.now();
            m.engine.close();
            if (!useNativeTimers) {
              // Real time well past the 150 ms delay: the fake holds the timer, nothing happens.
              await fake.sleep(150 + QUIET);
              out.beforeTick = entries("io:reconnect_attempt").length;
              out.heldDelays = [...fake.held.values()].map((h) => h.ms).filter((ms) => ms <= 150);
              fake.tick(150);
            }
            await fake.waitFor(() => entries("io:reconnect").length, 3000, "reconnect");
            out.callsAfterClose = fake.calls.filter((c) => c.t >= closedAt).length;
          } finally {
            socket.disconnect();
          }
          return out;
        }, { url: ctx.servers[kind], useNativeTimers, QUIET });
        if (useNativeTimers) {
          assert.equal(r.callsWhileConnecting, 0, "no call of the replaced setTimeout while connecting");
          assert.equal(r.callsAfterClose, 0, "no call of the replaced setTimeout for the reconnection");
        } else {
          assert.ok(r.callsWhileConnecting >= 1, "the Manager's timers go through the replaced setTimeout");
          assert.equal(r.beforeTick, 0, "no reconnect_attempt while the fake clock stands still");
          assert.ok(r.heldDelays.length >= 1, "the reconnection timer is held by the fake");
        }
        assert.deepEqual(p.uncaught, []);
      });
    }

    it("socket.io.engine events over websocket: packet open, packetCreate CONNECT, echo round trip, ping/pong, close \"forced close\"", T, async (t) => {
      const p = await page(t);
      const r = await p.evaluate(async (url) => {
        const socket = sio.io(`${url}/custom`, { forceNew: true, transports: ["websocket"], reconnection: false });
        const engine = socket.io.engine;
        recordEngine(engine, "e:");
        track(socket, "", ["connect", "disconnect"]);
        await untilEvent("connect", 1, 5000);
        await until(() => entries("e:packet").length >= 2, 2000, "engine packet events (the handshake, the CONNECT reply)");
        const ack = await socket.timeout(3000).emitWithAck("echo", "hi");
        const echoes = log.length;
        // A server ping after the round trip, and the answer's drain.
        await until(() => log.slice(echoes).some((e) => e.ev === "e:packet" && e.args[0] === "ping") && log.at(-1).ev === "e:drain", 3000, "a ping after the echo");
        engine.close();
        const [d] = await untilEvent("disconnect", 1, 3000);
        return { ack, log: log.map(({ ev, args }) => ({ ev, args })), reason: d.args[0] };
      }, fast.url);
      assert.equal(r.ack, "hi");
      const { seq, pings, broken } = withoutHeartbeats(r.log, "e:");
      assert.ok(pings >= 1, "at least one ping");
      assert.equal(broken, 0, "each ping answered at once: packetCreate pong, then drain");
      const [open, ...rest] = seq;
      assert.deepEqual(open.slice(0, 2), ["packet", "open"]);
      const handshake = JSON.parse(open[2]);
      assert.equal(typeof handshake.sid, "string");
      assert.equal(handshake.pingInterval, 400);
      assert.equal(handshake.pingTimeout, 1500);
      assert.match(rest[2]?.[2] ?? "", /^0\/custom,\{"sid":"[^"]+"/, "the CONNECT reply");
      rest[2][2] = "<connect reply>";
      assert.deepEqual(rest, [
        ["packetCreate", "message", "0/custom,"],
        ["drain"],
        ["packet", "message", "<connect reply>"],
        ["packetCreate", "message", '2/custom,0["echo","hi"]'],
        ["drain"],
        ["packet", "message", '2/custom,["echo","hi"]'],
        ["packet", "message", '3/custom,0["hi"]'],
        ["close", "forced close", null],
      ]);
      assert.equal(r.reason, "forced close");
      assert.deepEqual(p.uncaught, []);
    });

    it("socket.io.engine is a new object for each connection attempt; the closed one stays silent", T, async (t) => {
      const p = await page(t);
      const r = await p.evaluate(async (url) => {
        const socket = sio.io(url, { forceNew: true, transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 50, randomizationFactor: 0 });
        const first = socket.io.engine;
        recordEngine(first, "e1:");
        track(socket, "", ["connect", "disconnect"]);
        // The attempt's open() creates the engine right after this listener returns.
        socket.io.once("reconnect_attempt", () => queueMicrotask(() => recordEngine((window.second = socket.io.engine), "e2:")));
        await untilEvent("connect", 1, 5000);
        first.close();
        await untilEvent("connect", 2, 5000);
        const out = {
          distinct: socket.io.engine !== first,
          current: socket.io.engine === window.second,
          e1: log.filter((e) => e.ev.startsWith("e1:")).map((e) => [e.ev, ...e.args]),
          e2: log.filter((e) => e.ev.startsWith("e2:")).map((e) => [e.ev, ...e.args]),
        };
        socket.disconnect();
        return out;
      }, ctx.servers[kind]);
      assert.equal(r.distinct, true, "socket.io.engine changed");
      assert.equal(r.current, true, "the engine created by the attempt is socket.io.engine");
      const closeAt = r.e1.findIndex((e) => e[0] === "e1:close");
      assert.ok(closeAt > 0, "the first engine closed");
      assert.deepEqual(r.e1[closeAt], ["e1:close", "forced close", null]);
      assert.deepEqual(r.e1.slice(closeAt + 1), [], "nothing from the first engine after its close");
      assert.deepEqual(r.e2[0]?.slice(0, 2), ["e2:packet", "open"], "the new engine's first event is its handshake");
      assert.notEqual(JSON.parse(r.e2[0][2]).sid, JSON.parse(r.e1[0][2]).sid);
      assert.ok(r.e2.some((e) => e[0] === "e2:packet" && /^0\{"sid"/.test(e[2])), "the CONNECT reply came on the new engine");
    });

    it("two polling Managers: A's POST hangs behind a stalled proxy, B (another server) still connects, keeps its heartbeat and gets acks", T, async (t) => {
      const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
      const p = await page(t);
      await p.evaluate(async (url) => {
        window.a = new sio.Manager(url, { transports: ["polling"], autoConnect: false, reconnection: false });
        track(a, "A:", ["open", "error", "close"]);
        a.open();
        await untilEvent("A:open", 1, 5000);
      }, proxy.url);
      // A's handshake is done; from now on nothing moves through the proxy.
      proxy.stalled = true;
      const r = await p.evaluate(async ({ urlA, urlB }) => {
        const sa = a.socket("/");
        track(sa, "sa:", ["connect", "connect_error"]);
        sa.connect(); // the CONNECT goes out in a POST that hangs
        await poll(() => requests.some((q) => q.method === "POST" && q.url.startsWith(urlA)), 3000, "A's POST");
        const b = sio.io(urlB, { forceNew: true, transports: ["polling"] });
        track(b, "B:", ["connect", "connect_error", "disconnect"]);
        track(b.io, "B:io:", ["ping", "reconnect_attempt"]);
        try {
          await untilEvent("B:connect", 1, 5000);
          // The server sends a ping only once the previous one was answered: a third ping
          // proves two pongs went through, across two ping intervals.
          const connectedAt = entries("B:connect")[0].t;
          await until(() => entries("B:io:ping").filter((e) => e.t > connectedAt).length >= 3, 5000, "3 pings on B");
          const ack = await b.timeout(3000).emitWithAck("echo", "through B");
          const bLog = log.filter((e) => e.ev.startsWith("B:")).map((e) => `${e.ev}${e.ev === "B:disconnect" ? `(${e.args[0]})` : ""}@${Math.round(e.t - connectedAt)}`);
          return { ack, bLog, bRetries: log.filter((e) => /^B:(disconnect|io:reconnect_attempt)$/.test(e.ev)).length, aConnected: sa.connected, aEvents: log.filter((e) => e.ev.startsWith("A:") || e.ev.startsWith("sa:")).map((e) => e.ev) };
        } finally {
          b.disconnect();
          a.engine?.close?.();
        }
      }, { urlA: proxy.url, urlB: fast.url });
      assert.equal(r.ack, "through B");
      assert.equal(r.bRetries, 0, `B connected on its first engine and stayed connected (B's events, ms from its connect: ${r.bLog.join(" ")})`);
      assert.equal(r.aConnected, false, "A is still stuck (the proxy holds its POST)");
      assert.deepEqual(r.aEvents, ["A:open"]);
      assert.deepEqual(p.uncaught, []);
    });
  });
}
