// The Socket semantics end to end (PROTOCOL.md §1.3, §1.4, §1.6–§1.9), against both servers:
// offline buffering and its flush order, volatile, ack timeouts and `ackTimeout`, acks on
// disconnect, `retries`, binary round trips over WebSocket and polling, `auth` (object, function,
// rejection), connection state recovery (Node only), catch-all listeners, the socket's state,
// and the receive buffer.
//
// Each scenario runs in a page on the Rust server's origin (fixtures.mjs); the FaultProxy sits
// between the page and a server where the network must fail. Every wait is bounded; absences
// ("no reconnection attempt", "the plain callback is not called") are checked after a later
// round trip, or in a bounded window where the presence would certainly have shown.
//
// SIO_REFERENCE=1 runs the suite against socket.io-client 4.8 itself (socket-helpers.mjs), to
// check that what the suite expects is what the reference client does.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVER_KINDS, records, startProxy, startServer, until, useServers } from "./fixtures.mjs";
import { CLIENT, firstOccurrences, key, openSocketPage, range } from "./socket-helpers.mjs";

const ctx = useServers();
/** Per-test bound; the waits inside are tighter. */
const T = { timeout: 40_000 };
/** Quick reconnection, so that tests that cut the network do not wait for the default backoff. */
const FAST = { reconnectionDelay: 100, reconnectionDelayMax: 200 };

for (const kind of SERVER_KINDS) {
  describe(`socket semantics against the ${kind} server (client: ${CLIENT})`, () => {
    const url = () => ctx.servers[kind];
    const port = () => ctx[kind].port;

    // ---- 1. offline buffering ----------------------------------------------------------------

    it("offline buffering: 1,000 emits made while disconnected arrive once, in order; the flush starts before `connect`", T, async (t) => {
      const proxy = await startProxy(port(), t);
      const page = await openSocketPage(ctx, t);
      const k = key(`offline-${kind}`);
      await page.evaluate(
        async ({ url, FAST }) => {
          window.socket = sio.io(url, { forceNew: true, transports: ["websocket"], ...FAST });
          track(socket, "", ["connect", "disconnect"]);
          await untilEvent("connect", 1, 10000);
        },
        { url: proxy.url, FAST },
      );
      proxy.refuseAll = true;
      proxy.cutAll();
      const offline = await page.evaluate(async (k) => {
        await untilEvent("disconnect", 1, 10000);
        const connected = socket.connected;
        for (let i = 0; i < 1000; i++) socket.emit("record", k, i);
        // Registered after the tracker's: how many of the buffered packets were written to the
        // transport by the time user code sees `connect`.
        socket.on("connect", () => note("written-at-connect", wireText(`"${k}"`).length));
        return { connected, reason: entries("disconnect")[0].args[0], written: wireText(`"${k}"`).length };
      }, k);
      assert.equal(offline.connected, false);
      assert.equal(offline.reason, "transport close");
      assert.equal(offline.written, 0, "nothing is written while disconnected");
      proxy.refuseAll = false;
      const online = await page.evaluate(async (k) => {
        const [entry] = await untilEvent("written-at-connect", 1, 15000);
        // A round trip after the last record: by its ack every record has been handled.
        const end = await socket.timeout(10000).emitWithAck("record", `${k}-end`, 0);
        const out = { writtenAtConnect: entry.args[0], written: wireText(`"${k}"`).length, end };
        socket.disconnect();
        return out;
      }, k);
      assert.ok(online.writtenAtConnect >= 1, `the first buffered packet is written before the connect listener runs (written then: ${online.writtenAtConnect})`);
      assert.equal(online.written, 1000, "each buffered packet is written once");
      assert.equal(online.end, 1);
      const list = await until(async () => {
        const l = await records(url(), k);
        return l.length >= 1000 ? l : null;
      }, "1,000 records", 10_000);
      assert.deepEqual(list, range(1000), "every record exactly once and in order");
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 2. volatile --------------------------------------------------------------------------

    it("a burst in one task: 5,000 emits (past the 64 KiB batch, non-ASCII, binary in between) arrive once, in order", T, async (t) => {
      const page = await openSocketPage(ctx, t);
      const k = key(`burst-${kind}`);
      const sent = await page.evaluate(
        async ({ url, k }) => {
          window.socket = sio.io(url, { forceNew: true, transports: ["websocket"] });
          await new Promise((resolve) => socket.once("connect", resolve));
          const values = [];
          for (let i = 0; i < 5000; i++) {
            const v = i % 7 === 0 ? `${i} ünï ✓ 😀` : `${i}`;
            values.push(v);
            // Two carry an attachment: a binary frame between text batches of over 64 KiB.
            if (i === 2000 || i === 4000) socket.emit("record", k, v, new Uint8Array([i & 255, 1, 2]));
            else socket.emit("record", k, v);
          }
          await socket.timeout(10000).emitWithAck("echo", "after the burst");
          return values;
        },
        { url: url(), k },
      );
      await until(async () => (await records(url(), k)).length >= 5000, "5,000 records", 15_000, 50);
      assert.deepEqual(await records(url(), k), sent);
      assert.deepEqual(page.uncaught, []);
    });

    it("10,000 concurrent emitWithAck: every ack arrives, with its own answer", T, async (t) => {
      const page = await openSocketPage(ctx, t);
      const wrong = await page.evaluate(async (url) => {
        window.socket = sio.io(url, { forceNew: true, transports: ["websocket"] });
        await new Promise((resolve) => socket.once("connect", resolve));
        const answers = await Promise.all(Array.from({ length: 10000 }, (_, i) => socket.timeout(20000).emitWithAck("echo", i)));
        return answers.filter((a, i) => a !== i).length;
      }, url());
      assert.equal(wrong, 0);
      assert.deepEqual(page.uncaught, []);
    });

    it("volatile: emits made while offline are dropped, emits made while connected arrive", T, async (t) => {
      const proxy = await startProxy(port(), t);
      const page = await openSocketPage(ctx, t);
      const k = key(`volatile-${kind}`);
      await page.evaluate(
        async ({ url, FAST, k }) => {
          window.socket = sio.io(url, { forceNew: true, ...FAST });
          track(socket, "", ["connect", "disconnect"]);
          track(socket.io, "io:", ["reconnect_error"]);
          await untilEvent("connect", 1, 10000);
          // An idle, writable transport (any previous write has drained): volatile goes out.
          await socket.timeout(5000).emitWithAck("echo", 0);
          socket.volatile.emit("record", k, "volatile-connected");
          await socket.timeout(5000).emitWithAck("record", k, "after-volatile-connected");
        },
        { url: proxy.url, FAST, k },
      );
      proxy.refuseAll = true;
      proxy.cutAll();
      await page.evaluate(async (k) => {
        await untilEvent("disconnect", 1, 10000);
        // Once a reconnection attempt has failed, the Manager's transport is one that never
        // opened. (Right after the disconnect, socket.io-client still sees the closed transport
        // as writable and buffers volatile emits: a quirk not tested here.)
        await untilEvent("io:reconnect_error", 1, 10000);
        for (let i = 0; i < 5; i++) socket.volatile.emit("record", k, `volatile-offline-${i}`);
        socket.emit("record", k, "buffered-offline");
        for (let i = 5; i < 10; i++) socket.volatile.emit("record", k, `volatile-offline-${i}`);
      }, k);
      proxy.refuseAll = false;
      await page.evaluate(async (k) => {
        await untilEvent("connect", 2, 15000);
        await socket.timeout(5000).emitWithAck("record", k, "end");
        socket.disconnect();
      }, k);
      assert.deepEqual(await records(url(), k), ["volatile-connected", "after-volatile-connected", "buffered-offline", "end"]);
      assert.deepEqual(page.uncaught, []);
    });

    it("sendBuffer: the packets buffered while offline are in socket.sendBuffer; emptying it discards them", T, async (t) => {
      const proxy = await startProxy(port(), t);
      const page = await openSocketPage(ctx, t);
      const k = key(`send-buffer-${kind}`);
      await page.evaluate(
        async ({ url, FAST }) => {
          window.socket = sio.io(url, { forceNew: true, ...FAST });
          track(socket, "", ["connect", "disconnect"]);
          await untilEvent("connect", 1, 10000);
        },
        { url: proxy.url, FAST },
      );
      proxy.refuseAll = true;
      proxy.cutAll();
      const length = await page.evaluate(async (k) => {
        await untilEvent("disconnect", 1, 10000);
        for (const v of ["a", "b", "c"]) socket.emit("record", k, v);
        const n = socket.sendBuffer.length;
        socket.sendBuffer = []; // the documented way to drop what was buffered
        return n;
      }, k);
      proxy.refuseAll = false;
      await page.evaluate(async (k) => {
        await untilEvent("connect", 2, 15000);
        await socket.timeout(5000).emitWithAck("record", k, "end");
        socket.disconnect();
      }, k);
      assert.equal(length, 3);
      assert.deepEqual(await records(url(), k), ["end"]);
      assert.deepEqual(page.uncaught, []);
    });

    it("emits wait for the end of their task, yet every other call sees them made: disconnect() after emits sends them first", T, async (t) => {
      const page = await openSocketPage(ctx, t);
      const k = key(`emit-order-${kind}`);
      const r = await page.evaluate(
        async ({ url, k }) => {
          const socket = sio.io(url, { forceNew: true, transports: ["websocket"] });
          await waitFor(socket, "connect");
          const out = {};
          // An outgoing listener hears of an emit within the emit, as in socket.io-client.
          let heard = 0;
          socket.onAnyOutgoing(() => heard++);
          // "a" and "b" are not recorded: the Node server ignores events that a DISCONNECT in
          // the same read follows (its listeners run a tick later, once it is disconnected).
          socket.emit("record", `${k}-unread`, "a");
          out.heardWithinEmit = heard;
          socket.offAnyOutgoing();
          socket.emit("record", `${k}-unread`, "b", () => {});
          out.bufferedWhileConnected = socket.sendBuffer.length; // written, not buffered
          socket.disconnect(); // after "a" and "b", which were not buffered: only "c" is
          socket.emit("record", k, "c"); // disconnected now: buffered
          out.bufferedAfterDisconnect = socket.sendBuffer.map((p) => p.data);
          socket.connect();
          await socket.timeout(5000).emitWithAck("record", k, "end");
          socket.disconnect();
          return out;
        },
        { url: url(), k },
      );
      assert.equal(r.bufferedWhileConnected, 0);
      assert.deepEqual(r.bufferedAfterDisconnect, [["record", k, "c"]]);
      assert.equal(r.heardWithinEmit, 1);
      assert.deepEqual(await records(url(), k), ["c", "end"]);
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 3. ack timeouts ----------------------------------------------------------------------

    it('ack timeouts: timeout(ms) and ackTimeout give "operation has timed out"; answers in time resolve', T, async (t) => {
      const page = await openSocketPage(ctx, t);
      const r = await page.evaluate(async (url) => {
        const socket = sio.io(url, { forceNew: true });
        await waitFor(socket, "connect");
        const describeArgs = (args) => args.map((a) => (a instanceof Error ? { error: a.message } : a));
        const timed = (start, fn) =>
          new Promise((resolve) => fn((...args) => resolve({ args: describeArgs(args), ms: performance.now() - start })));
        const out = {};
        // timeout(ms).emit with a callback: error-first, called once with the timeout error.
        let calls = 0;
        out.cb = await timed(performance.now(), (done) =>
          socket.timeout(200).emit("no-ack", (...args) => {
            calls++;
            done(...args);
          }),
        );
        // timeout(ms).emitWithAck rejects.
        let start = performance.now();
        try {
          await socket.timeout(200).emitWithAck("no-ack");
          out.rejected = { resolved: true };
        } catch (e) {
          out.rejected = { error: e.message, isError: e instanceof Error, ms: performance.now() - start };
        }
        // Answers in time: error-first with null, and emitWithAck resolves the first argument.
        out.inTime = await timed(performance.now(), (done) => socket.timeout(2000).emit("echo", 5, "five", done));
        out.withAck = await socket.emitWithAck("echo", { x: [1, "y"] });
        out.withAckTimeout = await socket.timeout(2000).emitWithAck("echo", "z");
        // A late answer (after the timeout fired) does not call the callback a second time.
        let lateCalls = 0;
        out.late = await timed(performance.now(), (done) =>
          socket.timeout(100).emit("ack-later", 300, (...args) => {
            lateCalls++;
            done(...args);
          }),
        );
        await socket.timeout(5000).emitWithAck("ack-later", 400); // the first answer came meanwhile
        out.calls = calls;
        out.lateCalls = lateCalls;
        socket.disconnect();

        // ackTimeout: the default timeout of every emit with an ack (error-first callbacks).
        const s2 = sio.io(url, { forceNew: true, ackTimeout: 200 });
        await waitFor(s2, "connect");
        out.defaultCb = await timed(performance.now(), (done) => s2.emit("no-ack", done));
        out.defaultAnswer = await timed(performance.now(), (done) => s2.emit("echo", 7, done));
        // timeout(ms) overrides ackTimeout.
        out.override = await timed(performance.now(), (done) => s2.timeout(2000).emit("ack-later", 300, done));
        start = performance.now();
        try {
          await s2.emitWithAck("no-ack");
          out.defaultRejected = { resolved: true };
        } catch (e) {
          out.defaultRejected = { error: e.message, ms: performance.now() - start };
        }
        s2.disconnect();
        return out;
      }, url());
      const TIMED_OUT = "operation has timed out";
      assert.deepEqual(r.cb.args, [{ error: TIMED_OUT }]);
      assert.ok(r.cb.ms >= 190 && r.cb.ms < 5000, `timeout after ${r.cb.ms} ms`);
      assert.equal(r.calls, 1);
      assert.equal(r.rejected.error, TIMED_OUT);
      assert.equal(r.rejected.isError, true);
      assert.ok(r.rejected.ms >= 190, `rejected after ${r.rejected.ms} ms`);
      assert.deepEqual(r.inTime.args, [null, 5, "five"]);
      assert.deepEqual(r.withAck, { x: [1, "y"] });
      assert.equal(r.withAckTimeout, "z");
      assert.deepEqual(r.late.args, [{ error: TIMED_OUT }]);
      assert.equal(r.lateCalls, 1, "a late answer is ignored");
      assert.deepEqual(r.defaultCb.args, [{ error: TIMED_OUT }]);
      assert.ok(r.defaultCb.ms >= 190 && r.defaultCb.ms < 5000, `ackTimeout after ${r.defaultCb.ms} ms`);
      assert.deepEqual(r.defaultAnswer.args, [null, 7], "with ackTimeout a callback is error-first");
      assert.deepEqual(r.override.args, [null, "done"], "timeout(2000) overrides ackTimeout: 200");
      assert.equal(r.defaultRejected.error, TIMED_OUT);
      assert.ok(r.defaultRejected.ms >= 190, `emitWithAck with ackTimeout rejected after ${r.defaultRejected.ms} ms`);
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 4. acks on disconnect ----------------------------------------------------------------

    it("acks on disconnect: sent error-first acks fail, plain callbacks are dropped, buffered acks survive; timed-out packets leave the buffer", T, async (t) => {
      const proxy = await startProxy(port(), t);
      const page = await openSocketPage(ctx, t);
      const k = key(`acks-${kind}`);
      await page.evaluate(
        async ({ url, FAST }) => {
          window.socket = sio.io(url, { forceNew: true, ...FAST });
          track(socket, "", ["connect", "disconnect"]);
          await untilEvent("connect", 1, 10000);
          socket.timeout(10000).emit("no-ack", (...args) => note("sent:timeout-cb", ...args));
          socket.emitWithAck("no-ack").then(
            (v) => note("sent:emitWithAck", "resolved", v),
            (e) => note("sent:emitWithAck", e),
          );
          socket.emit("no-ack", (...args) => note("sent:plain-cb", ...args));
          // Packets are written in order: once this answer is back, the three above were sent.
          await socket.timeout(5000).emitWithAck("echo", "flushed");
        },
        { url: proxy.url, FAST },
      );
      proxy.refuseAll = true;
      proxy.cutAll();
      const offline = await page.evaluate(async (k) => {
        await untilEvent("disconnect", 1, 10000);
        await untilEvent("sent:timeout-cb", 1, 5000);
        await untilEvent("sent:emitWithAck", 1, 5000);
        // Emitted while offline: they sit in the send buffer with their acks.
        socket.emit("echo", "buffered-plain", (...args) => note("buffered:plain-cb", ...args));
        socket.timeout(20000).emit("echo", "buffered-timeout", (...args) => note("buffered:timeout-cb", ...args));
        socket.emitWithAck("echo", "buffered-promise").then(
          (v) => note("buffered:emitWithAck", v),
          (e) => note("buffered:emitWithAck", e),
        );
        // This one times out while buffered: it must never be sent.
        socket.timeout(150).emit("record", k, "expired", (...args) => note("buffered:expired-cb", ...args));
        await untilEvent("buffered:expired-cb", 1, 5000);
        return { order: log.map((e) => e.ev) };
      }, k);
      const order = offline.order.filter((ev) => ev === "disconnect" || ev.startsWith("sent:"));
      assert.equal(order[0], "disconnect", `the disconnect listener runs before the acks fail: ${order}`);
      proxy.refuseAll = false;
      const r = await page.evaluate(async (k) => {
        await untilEvent("connect", 2, 15000);
        await untilEvent("buffered:plain-cb", 1, 5000);
        await untilEvent("buffered:timeout-cb", 1, 5000);
        await untilEvent("buffered:emitWithAck", 1, 5000);
        await socket.timeout(5000).emitWithAck("record", k, "end");
        const args = (ev) => entries(ev).map((e) => e.args);
        const out = {
          sentTimeout: args("sent:timeout-cb"),
          sentPromise: args("sent:emitWithAck"),
          sentPlain: args("sent:plain-cb"),
          bufferedPlain: args("buffered:plain-cb"),
          bufferedTimeout: args("buffered:timeout-cb"),
          bufferedPromise: args("buffered:emitWithAck"),
          expired: args("buffered:expired-cb"),
          expiredWritten: wireText('"expired"').length,
        };
        socket.disconnect();
        return out;
      }, k);
      const DISCONNECTED = "socket has been disconnected";
      assert.equal(r.sentTimeout.length, 1);
      assert.equal(r.sentTimeout[0][0]?.error, DISCONNECTED);
      assert.equal(r.sentPromise.length, 1);
      assert.equal(r.sentPromise[0][0]?.error, DISCONNECTED, "emitWithAck rejects");
      assert.deepEqual(r.sentPlain, [], "a plain callback of a sent packet is never called");
      assert.deepEqual(r.bufferedPlain, [["buffered-plain"]]);
      assert.deepEqual(r.bufferedTimeout, [[null, "buffered-timeout"]]);
      assert.deepEqual(r.bufferedPromise, [["buffered-promise"]]);
      assert.equal(r.expired.length, 1);
      assert.equal(r.expired[0][0]?.error, "operation has timed out");
      assert.equal(r.expiredWritten, 0, "a packet that timed out in the send buffer is not sent");
      assert.deepEqual(await records(url(), k), ["end"]);
      assert.deepEqual(page.uncaught, []);
    });

    it("onAnyOutgoing and the send buffer: buffered packets are seen at the flush, before `connect`; one that timed out in the buffer is never seen", T, async (t) => {
      const proxy = await startProxy(port(), t);
      const page = await openSocketPage(ctx, t);
      await page.evaluate(
        async ({ url, FAST }) => {
          window.socket = sio.io(url, { forceNew: true, ...FAST });
          track(socket, "", ["connect", "disconnect"]);
          await untilEvent("connect", 1, 10000);
        },
        { url: proxy.url, FAST },
      );
      proxy.refuseAll = true;
      proxy.cutAll();
      const offline = await page.evaluate(async () => {
        await untilEvent("disconnect", 1, 10000);
        socket.onAnyOutgoing((ev, ...args) => note("outgoing", ev, ...args));
        socket.emit("echo", "first");
        socket.timeout(150).emit("echo", "expires", (...args) => note("expired-cb", ...args));
        socket.emit("echo", "last", () => {});
        await untilEvent("expired-cb", 1, 5000);
        return entries("outgoing").length;
      });
      assert.equal(offline, 0, "no outgoing notification while the packets are buffered");
      proxy.refuseAll = false;
      const r = await page.evaluate(async () => {
        await untilEvent("connect", 2, 15000);
        await socket.timeout(5000).emitWithAck("echo", "sync");
        const out = {
          seen: log.filter((e) => e.ev === "outgoing" || e.ev === "connect").map((e) => (e.ev === "connect" ? "connect" : e.args.join(" "))),
          written: wireText('"expires"').length,
        };
        socket.disconnect();
        return out;
      });
      assert.equal(r.written, 0, "the timed-out packet is not sent");
      assert.deepEqual(r.seen, ["connect", "echo first", "echo last", "connect", "echo sync"]);
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 5. retries ---------------------------------------------------------------------------

    it("retries: 200 emits through repeated connection cuts all arrive, in first-occurrence order", T, async (t) => {
      const proxy = await startProxy(port(), t);
      const page = await openSocketPage(ctx, t);
      const k = key(`retries-${kind}`);
      const N = 200;
      await page.evaluate(
        async ({ url, FAST }) => {
          window.socket = sio.io(url, { forceNew: true, transports: ["websocket"], retries: 3, ackTimeout: 500, ...FAST });
          track(socket, "", ["connect", "disconnect"]);
          await untilEvent("connect", 1, 10000);
        },
        { url: proxy.url, FAST },
      );
      // Slow every round trip a little so that the 200 one-at-a-time emits span the cuts.
      proxy.delayMs = 2;
      await page.evaluate(
        ({ k, N }) => {
          window.acked = [];
          window.failed = [];
          for (let i = 0; i < N; i++) {
            socket.emit("record", k, i, (err) => {
              if (err) failed.push([i, err.message]);
              else acked.push(i);
              if (acked.length + failed.length === N) note("all-answered");
            });
          }
        },
        { k, N },
      );
      const progress = [];
      for (let cut = 0; cut < 4; cut++) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        progress.push(await page.evaluate(() => acked.length + failed.length));
        proxy.cutAll();
      }
      const r = await page.evaluate(async () => {
        await untilEvent("all-answered", 1, 30000);
        const out = { acked: acked.slice(), failed: failed.slice(), disconnects: entries("disconnect").length, connects: entries("connect").length };
        socket.disconnect();
        return out;
      });
      const list = await records(url(), k);
      const firsts = firstOccurrences(list);
      const duplicates = list.length - firsts.length;
      t.diagnostic(`answered at each cut: ${progress.join(", ")}; disconnects ${r.disconnects}; delivered ${list.length}, distinct ${firsts.length}, duplicates ${duplicates}; failed ${JSON.stringify(r.failed)}`);
      assert.ok(progress.some((n) => n < N), `at least one cut fell in the middle of the emits (answered at each cut: ${progress})`);
      assert.ok(r.disconnects >= 1, "the cuts disconnected the client");
      assert.deepEqual(firsts, range(N), "every number arrived at least once, first occurrences in order");
      assert.deepEqual(r.failed, [], "no emit ran out of retries");
      assert.deepEqual(r.acked, range(N), "the acks came in order, once each");
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 6. binary ----------------------------------------------------------------------------

    for (const [mode, opts] of Object.entries({ websocket: { transports: ["websocket"] }, polling: { transports: ["polling"] } })) {
      it(`binary over ${mode}: every kind of binary, nested and several per packet, round-trips as ArrayBuffer`, T, async (t) => {
        const page = await openSocketPage(ctx, t);
        const r = await page.evaluate(
          async ({ url, opts }) => {
            const socket = sio.io(url, { forceNew: true, ...opts });
            await waitFor(socket, "connect");
            // The received side: the real type name and the bytes of each binary value.
            const shape = (v, normalize) => {
              if (v instanceof ArrayBuffer) return { type: "ArrayBuffer", bytes: [...new Uint8Array(v)] };
              if (ArrayBuffer.isView(v)) {
                return { type: normalize ? "ArrayBuffer" : v.constructor.name, bytes: [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)] };
              }
              if (v instanceof Blob) return { type: "Blob" };
              if (Array.isArray(v)) return v.map((x) => shape(x, normalize));
              if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x, normalize)]));
              return v;
            };
            const base = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255);
            const blobBytes = new Uint8Array([250, 0, 251, 252]);
            const make = (blob) => [
              {
                ab: base.buffer.slice(0, 5),
                u8: base.subarray(3, 9), // a view that does not start at 0
                i16: new Int16Array([-1, 2, 300, -32768]),
                f64: new Float64Array([1.5, -2.25, Math.PI]),
                dv: new DataView(base.buffer, 10, 6),
                blob,
                deep: { a: [1, { b: [[new Uint8Array([9, 8, 7])]], c: "x" }], n: null },
                text: "ünïcode ✓",
              },
              [new Uint8Array([1, 2]), "between", new Int16Array([513, -2])],
              42,
            ];
            const sent = make(new Blob([blobBytes]));
            const expected = shape(make(blobBytes), true);
            const echoed = waitFor(socket, "echo", 5000);
            const acked = new Promise((resolve, reject) =>
              socket.timeout(5000).emit("echo", ...sent, (err, ...args) => (err ? reject(err) : resolve(args))),
            );
            const [echo, ack] = await Promise.all([echoed, acked]);
            // A lone buffer, answered through emitWithAck.
            const lone = await socket.timeout(5000).emitWithAck("echo", new Uint8Array([0, 255, 128]));
            const out = {
              expected,
              echo: shape(echo),
              ack: shape(ack),
              lone: shape(lone),
              transport: socket.io.engine.transport.name,
              binaryFramesOut: wire.filter((f) => typeof f.data !== "string").length,
              base64Bodies: wire.filter((f) => typeof f.data === "string" && f.data.includes("\x1eb")).length,
            };
            socket.disconnect();
            return out;
          },
          { url: url(), opts },
        );
        assert.equal(r.transport, mode);
        assert.deepEqual(r.echo, r.expected, "the echo event");
        assert.deepEqual(r.ack, r.expected, "the ack answer");
        assert.deepEqual(r.lone, { type: "ArrayBuffer", bytes: [0, 255, 128] });
        if (mode === "websocket") assert.equal(r.binaryFramesOut, 10, "9 + 1 attachments, each a binary frame");
        else assert.ok(r.base64Bodies >= 1, "polling carries binary as b-prefixed base64");
        assert.deepEqual(page.uncaught, []);
      });
    }

    // ---- 7. auth ------------------------------------------------------------------------------

    it("auth: an object reaches the server; a function is called again for every CONNECT", T, async (t) => {
      const page = await openSocketPage(ctx, t);
      const r = await page.evaluate(
        async ({ url, FAST }) => {
          const handshake = async (socket) => (await socket.timeout(5000).emitWithAck("get-handshake")).auth;
          const out = {};
          const s1 = sio.io(url, { forceNew: true, auth: { token: "abc", n: 1, list: [true] } });
          await waitFor(s1, "connect");
          out.object = await handshake(s1);
          s1.disconnect();

          let current = "one";
          let calls = 0;
          const s2 = sio.io(url, {
            forceNew: true,
            ...FAST,
            auth: (cb) => {
              calls++;
              cb({ v: current });
            },
          });
          await waitFor(s2, "connect");
          out.first = await handshake(s2);
          current = "two";
          s2.io.engine.close(); // forced close: the Manager reconnects
          await waitFor(s2, "connect");
          out.afterReconnect = await handshake(s2);
          current = "three";
          s2.disconnect();
          s2.connect();
          await waitFor(s2, "connect");
          out.afterConnect = await handshake(s2);
          out.calls = calls;
          s2.disconnect();
          return out;
        },
        { url: url(), FAST },
      );
      assert.deepEqual(r.object, { token: "abc", n: 1, list: [true] });
      assert.deepEqual(r.first, { v: "one" });
      assert.deepEqual(r.afterReconnect, { v: "two" }, "read again at the reconnection");
      assert.deepEqual(r.afterConnect, { v: "three" }, "read again at connect()");
      assert.equal(r.calls, 3, "the function is called once per CONNECT");
      assert.deepEqual(page.uncaught, []);
    });

    // socket.io-client calls the auth function when the Manager opens and sends CONNECT from its
    // callback; socketio-wasm calls it before opening and sends CONNECT at once, with whatever the
    // callback had given by then (nothing, the first time; the previous value on a reconnection).
    it("auth: a function that answers asynchronously (the official client waits for its callback)", T, async (t) => {
      const page = await openSocketPage(ctx, t);
      const r = await page.evaluate(async (url) => {
        const socket = sio.io(url, {
          forceNew: true,
          auth: (cb) => setTimeout(() => cb({ token: "late" }), 200),
        });
        await waitFor(socket, "connect");
        const out = (await socket.timeout(5000).emitWithAck("get-handshake")).auth;
        socket.disconnect();
        return out;
      }, url());
      assert.deepEqual(r, { token: "late" });
      assert.deepEqual(page.uncaught, []);
    });

    it('auth: /auth rejection gives connect_error "unauthorized", leaves the socket inactive, and does not reconnect', T, async (t) => {
      const page = await openSocketPage(ctx, t);
      const r = await page.evaluate(
        async ({ url, FAST }) => {
          const socket = sio.io(`${url}/auth`, { forceNew: true, ...FAST, auth: { token: "wrong" } });
          track(socket, "", ["connect", "connect_error", "disconnect"]);
          track(socket.io, "io:", ["reconnect_attempt", "close"]);
          const [[err]] = await Promise.all([waitFor(socket, "connect_error", 10000)]);
          const out = {
            message: err.message,
            isError: err instanceof Error,
            data: err.data,
            hasData: "data" in err,
            active: socket.active,
            connected: socket.connected,
          };
          // With a 100-200 ms reconnection delay, an attempt would show well within 800 ms.
          await sleep(800);
          out.connectErrors = entries("connect_error").length;
          out.attempts = entries("io:reconnect_attempt").length;
          out.connects = entries("connect").length;
          // The documented fix: set the credentials and connect again by hand.
          socket.auth = { token: "secret" };
          socket.connect();
          await untilEvent("connect", 1, 10000);
          out.afterFix = { connected: socket.connected, active: socket.active, handshake: (await socket.timeout(5000).emitWithAck("get-handshake")).auth };
          socket.disconnect();
          return out;
        },
        { url: url(), FAST },
      );
      assert.equal(r.message, "unauthorized");
      assert.equal(r.isError, true);
      if (kind === "node") assert.deepEqual(r.data, { reason: "bad token" });
      else assert.equal(r.data, undefined, "socketioxide sends no data with its CONNECT_ERROR");
      assert.equal(r.active, false);
      assert.equal(r.connected, false);
      assert.equal(r.connectErrors, 1);
      assert.equal(r.attempts, 0, "no reconnection attempt");
      assert.equal(r.connects, 0);
      assert.deepEqual(r.afterFix, { connected: true, active: true, handshake: { token: "secret" } });
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 8. connection state recovery ---------------------------------------------------------

    // Only the Node server: socketioxide does not implement connection state recovery (its
    // CONNECT reply has no `pid`, and it has no `emit-later`).
    it("connection state recovery: same id, recovered, missed events delivered once and in order (before `connect`)", { ...T, skip: kind !== "node" && "the Rust server (socketioxide) has no connection state recovery" }, async (t) => {
      const server = await startServer("node", ["--recovery"]);
      t.after(() => server.stop());
      const page = await openSocketPage(ctx, t);
      const r = await page.evaluate(async (url) => {
        const socket = sio.io(url, { forceNew: true, transports: ["websocket"], reconnectionDelay: 1000, reconnectionDelayMax: 1000, randomizationFactor: 0 });
        window.socket = socket;
        track(socket, "", ["connect", "disconnect"]);
        track(socket.io, "io:", ["reconnect_attempt"]);
        for (const ev of ["before", "missed"]) {
          socket.on(ev, (...args) => note(ev, { args, connected: socket.connected, recovered: socket.recovered, id: socket.id }));
        }
        await untilEvent("connect", 1, 10000);
        const first = { id: socket.id, recovered: socket.recovered };
        // An observer in the socket's own room sees the same emits: the proof that they happened
        // while the socket was away.
        const observer = sio.io(url, { forceNew: true, transports: ["websocket"] });
        observer.on("missed", (i) => note("observer:missed", i));
        await waitFor(observer, "connect");
        await observer.timeout(5000).emitWithAck("join", first.id);
        // One event while connected, so that the client has an offset to resume from.
        await socket.timeout(5000).emitWithAck("emit-later", { event: "before", count: 1, delayMs: 0 });
        await untilEvent("before", 1, 5000);
        // Five events 200 ms from now; the reconnection comes 1000 ms after the close.
        await socket.timeout(5000).emitWithAck("emit-later", { event: "missed", count: 5, delayMs: 200 });
        socket.io.engine.close();
        await untilEvent("disconnect", 1, 5000);
        await untilEvent("observer:missed", 5, 5000);
        const attemptsWhenEmitted = entries("io:reconnect_attempt").length;
        await untilEvent("connect", 2, 10000);
        await untilEvent("missed", 5, 5000);
        await socket.timeout(5000).emitWithAck("echo", "sync"); // anything more would have come by now
        const out = {
          first,
          reason: entries("disconnect")[0].args[0],
          attemptsWhenEmitted,
          second: { id: socket.id, recovered: socket.recovered },
          before: entries("before").map((e) => e.args[0]),
          missed: entries("missed").map((e) => e.args[0]),
          order: log.filter((e) => ["connect", "missed"].includes(e.ev)).map((e) => e.ev),
        };
        observer.disconnect();
        socket.disconnect();
        return out;
      }, server.url);
      assert.equal(r.first.recovered, false);
      assert.equal(r.reason, "forced close");
      assert.equal(r.attemptsWhenEmitted, 0, "the missed events were emitted while the client was away");
      assert.equal(r.second.id, r.first.id, "the same id after recovery");
      assert.equal(r.second.recovered, true);
      // The offset is not stripped: listeners get it as a trailing string argument.
      assert.equal(r.before.length, 1);
      assert.equal(r.before[0].args[0], 0);
      assert.equal(typeof r.before[0].args[1], "string");
      assert.deepEqual(r.missed.map((m) => m.args[0]), range(5), "each missed event once, in order");
      for (const m of r.missed) {
        assert.equal(m.args.length, 2);
        assert.equal(typeof m.args[1], "string", "the offset");
        assert.equal(m.connected, true, "delivered once the socket is connected");
        assert.equal(m.recovered, true);
        assert.equal(m.id, r.first.id);
      }
      // socket.io sends the missed packets before its CONNECT reply: the client buffers them and
      // replays them in onconnect, before emitting `connect`.
      assert.deepEqual(r.order, ["connect", "missed", "missed", "missed", "missed", "missed", "connect"]);
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 9. catch-all listeners ---------------------------------------------------------------

    it("catch-all: onAny / prependAny / offAny / listenersAny; onAnyOutgoing sees emits (binary too), not acks", T, async (t) => {
      const page = await openSocketPage(ctx, t);
      const r = await page.evaluate(async (url) => {
        const socket = sio.io(url, { forceNew: true, transports: ["websocket"] });
        track(socket, "", ["disconnect"]);
        await waitFor(socket, "connect");
        const calls = [];
        const bin = (v) => (v instanceof ArrayBuffer ? { ab: [...new Uint8Array(v)] } : ArrayBuffer.isView(v) ? { view: v.constructor.name, bytes: [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)] } : typeof v === "function" ? "[function]" : v);
        const A = (...args) => calls.push(["A", ...args.map(bin)]);
        const B = (...args) => calls.push(["B", ...args.map(bin)]);
        const C = (...args) => calls.push(["C", ...args.map(bin)]);
        socket.on("echo", (...args) => calls.push(["on", ...args.map(bin)]));
        const out = {};
        out.chain = socket.onAny(A) === socket;
        socket.prependAny(B);
        socket.onAny(C);
        const any = socket.listenersAny();
        out.listenersAny = [any.length, any[0] === B, any[1] === A, any[2] === C];
        await socket.timeout(5000).emitWithAck("echo", 1, "two", { three: 3 });
        out.first = calls.splice(0);
        await socket.timeout(5000).emitWithAck("echo", new Uint8Array([4, 5]));
        out.binary = calls.splice(0);
        socket.offAny(A);
        await socket.timeout(5000).emitWithAck("echo", 2);
        out.afterOffA = calls.splice(0);
        socket.offAny();
        await socket.timeout(5000).emitWithAck("echo", 3);
        out.afterOffAll = calls.splice(0);
        out.listenersAfter = socket.listenersAny().length;

        // Outgoing.
        const outgoing = [];
        const O1 = (...args) => outgoing.push(["O1", ...args]);
        const O0 = (...args) => outgoing.push(["O0", ...args.map(bin)]);
        socket.onAnyOutgoing(O1);
        socket.prependAnyOutgoing(O0);
        const anyOut = socket.listenersAnyOutgoing();
        out.listenersAnyOutgoing = [anyOut.length, anyOut[0] === O0, anyOut[1] === O1];
        const view = new Uint8Array([1, 2, 3]);
        await socket.timeout(5000).emitWithAck("echo", view, "x");
        out.outgoingSameObject = outgoing[1]?.[2] === view;
        outgoing[1] = ["O1", outgoing[1]?.[1], "(checked)", outgoing[1]?.[3]];
        out.outgoing = outgoing.splice(0);
        calls.length = 0; // the echo of that emit
        // An event from the server that asks for an ack: the ack goes out (binary included), but
        // outgoing listeners do not see it; incoming catch-all listeners see the ack function.
        socket.onAny((...args) => calls.push(["any", ...args.map(bin)]));
        socket.on("needs-ack", (n, ack) => ack("answer", n, new Uint8Array([7, 8])));
        injectIncoming('4217["needs-ack",5]');
        await socket.timeout(5000).emitWithAck("echo", "after-ack");
        out.ackCalls = calls.splice(0);
        out.ackWire = wireText("4317[").concat(wireText("461-17["));
        out.outgoingAfterAck = outgoing.splice(0).map((o) => o.slice(0, 2));
        socket.offAnyOutgoing(O1);
        out.listenersAnyOutgoingAfter = socket.listenersAnyOutgoing().length;
        socket.offAnyOutgoing();
        socket.emit("no-ack");
        out.outgoingAfterOff = outgoing.length;
        out.disconnects = entries("disconnect").length;
        socket.disconnect();
        return out;
      }, url());
      assert.equal(r.chain, true, "onAny returns the socket");
      assert.deepEqual(r.listenersAny, [3, true, true, true], "listenersAny: prepended first, then in order");
      const args = ["echo", 1, "two", { three: 3 }];
      assert.deepEqual(r.first, [["B", ...args], ["A", ...args], ["C", ...args], ["on", 1, "two", { three: 3 }]], "catch-all listeners first (prepended first), then the event's, and nothing for the ack");
      assert.deepEqual(r.binary.map((c) => c[0]), ["B", "A", "C", "on"]);
      assert.deepEqual(r.binary[0], ["B", "echo", { ab: [4, 5] }], "binary arrives as an ArrayBuffer");
      assert.deepEqual(r.afterOffA, [["B", "echo", 2], ["C", "echo", 2], ["on", 2]]);
      assert.deepEqual(r.afterOffAll, [["on", 3]]);
      assert.equal(r.listenersAfter, 0);
      assert.deepEqual(r.listenersAnyOutgoing, [2, true, true]);
      assert.equal(r.outgoingSameObject, true, "outgoing listeners get the emitted objects themselves");
      assert.deepEqual(r.outgoing, [
        ["O0", "echo", { view: "Uint8Array", bytes: [1, 2, 3] }, "x"],
        ["O1", "echo", "(checked)", "x"],
      ], "outgoing listeners: prepended first; the ack callback is not among the arguments");
      assert.deepEqual(r.ackCalls.map((c) => c.slice(0, 3)), [["any", "needs-ack", 5], ["any", "echo", "after-ack"], ["on", "after-ack"]]);
      assert.equal(r.ackCalls[0][3], "[function]", "incoming catch-all listeners get the ack function");
      assert.equal(r.ackWire.length, 1, `the ack went out once: ${JSON.stringify(r.ackWire)}`);
      assert.ok(r.ackWire[0].startsWith('461-17["answer",5,{"_placeholder":true,"num":0}]'), `as BINARY_ACK id 17: ${r.ackWire[0]}`);
      assert.deepEqual(r.outgoingAfterAck, [["O0", "echo"], ["O1", "echo"]], "outgoing listeners do not see acks");
      assert.equal(r.listenersAnyOutgoingAfter, 1);
      assert.equal(r.outgoingAfterOff, 0);
      assert.equal(r.disconnects, 0);
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 10. state ----------------------------------------------------------------------------

    it("state: id, connected/disconnected, a new id after a reconnection, reserved names throw, send() emits message", T, async (t) => {
      const page = await openSocketPage(ctx, t);
      const r = await page.evaluate(
        async ({ url, FAST, checkRoom }) => {
          const socket = sio.io(url, { forceNew: true, transports: ["websocket"], ...FAST });
          const state = () => ({ id: socket.id ?? null, idType: typeof socket.id, connected: socket.connected, disconnected: socket.disconnected, active: socket.active });
          track(socket, "", ["connect", "disconnect"]);
          socket.on("connect", () => note("state@connect", state()));
          socket.on("disconnect", () => note("state@disconnect", state()));
          const out = { initial: state() };
          await untilEvent("connect", 1, 10000);
          out.connected = state();
          if (checkRoom) {
            // socket.io puts each socket in a room named by its id: an event to the room named
            // socket.id reaches us only if that is the server's id for this socket.
            socket.on("to-me", (v) => note("to-me", v));
            await socket.timeout(5000).emitWithAck("to-room", socket.id, "to-me", 42);
            out.toMe = (await untilEvent("to-me", 1, 5000)).map((e) => e.args);
          }
          // Reserved names throw and send nothing.
          out.reserved = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"].map((name) => {
            try {
              socket.emit(name, 1);
              return { name, threw: false };
            } catch (e) {
              return { name, threw: true, isError: e instanceof Error, message: e.message };
            }
          });
          out.reservedWritten = wire.filter((f) => typeof f.data === "string" && /\["(connect|connect_error|disconnect|disconnecting|newListener|removeListener)"/.test(f.data)).length;
          // send() is emit("message", ...).
          out.sendReturns = socket.send({ x: 1 }, "y") === socket;
          await socket.timeout(5000).emitWithAck("echo", "sync");
          out.sendWire = wireText('"message"');
          // Without recovery, a reconnection brings a new id.
          socket.io.engine.close();
          await untilEvent("connect", 2, 10000);
          out.reconnected = state();
          out.atDisconnect = entries("state@disconnect")[0].args[0];
          out.disconnectReason = entries("disconnect")[0].args[0];
          out.atConnect = entries("state@connect").map((e) => e.args[0]);
          socket.disconnect();
          out.afterDisconnect = state();
          out.clientReason = entries("disconnect")[1]?.args[0];
          return out;
        },
        // socketioxide does not put a socket in a room named by its id: no way to read the
        // server's id for it there, so only the Node server checks it.
        { url: url(), FAST, checkRoom: kind === "node" },
      );
      assert.deepEqual(r.initial, { id: null, idType: "undefined", connected: false, disconnected: true, active: true });
      assert.equal(r.connected.idType, "string");
      assert.ok(r.connected.id.length > 0);
      assert.equal(r.connected.connected, true);
      assert.equal(r.connected.disconnected, false);
      if (kind === "node") assert.deepEqual(r.toMe, [[42]], "socket.id is the server's id for this socket");
      for (const res of r.reserved) {
        assert.deepEqual(res, { name: res.name, threw: true, isError: true, message: `"${res.name}" is a reserved event name` });
      }
      assert.equal(r.reservedWritten, 0);
      assert.equal(r.sendReturns, true);
      assert.deepEqual(r.sendWire, ['42["message",{"x":1},"y"]']);
      assert.equal(r.disconnectReason, "forced close");
      assert.deepEqual(r.atDisconnect, { id: null, idType: "undefined", connected: false, disconnected: true, active: true }, "in the disconnect listener");
      assert.equal(r.atConnect[0].id, r.connected.id, "the id is set when connect listeners run");
      assert.equal(r.reconnected.idType, "string");
      assert.notEqual(r.reconnected.id, r.connected.id, "a new id after a reconnection without recovery");
      assert.deepEqual(r.atConnect[1], r.reconnected);
      assert.deepEqual(r.afterDisconnect, { id: null, idType: "undefined", connected: false, disconnected: true, active: false });
      assert.equal(r.clientReason, "io client disconnect");
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 11. receive buffer -------------------------------------------------------------------

    // No server here sends an event before its CONNECT reply on a fresh connection (the Node
    // server does on a recovered one: see the recovery test), so the frames are injected on the
    // WebSocket just before the real CONNECT reply, as such a server would have sent them.
    it("receive buffer: events that arrive before the CONNECT reply are delivered once connected, in order, before `connect`", T, async (t) => {
      const page = await openSocketPage(ctx, t);
      const r = await page.evaluate(async (url) => {
        injectBeforeConnectReply(['42["early",1]', '42["early",2,{"x":[3]}]']);
        const socket = sio.io(url, { forceNew: true, transports: ["websocket"] });
        socket.on("early", (...args) => note("early", { args, connected: socket.connected, idType: typeof socket.id }));
        socket.onAny((ev) => note("any", ev));
        track(socket, "", ["connect"]);
        await untilEvent("connect", 1, 10000);
        await socket.timeout(5000).emitWithAck("echo", "sync");
        const out = {
          early: entries("early").map((e) => e.args[0]),
          order: log.filter((e) => e.ev !== "any" || e.args[0] !== "echo").map((e) => e.ev),
          injected: wireIn.filter((f) => f.injected).length,
        };
        socket.disconnect();
        return out;
      }, url());
      assert.equal(r.injected, 2);
      assert.deepEqual(r.early, [
        { args: [1], connected: true, idType: "string" },
        { args: [2, { x: [3] }], connected: true, idType: "string" },
      ]);
      assert.deepEqual(r.order, ["any", "early", "any", "early", "connect"]);
      assert.deepEqual(page.uncaught, []);
    });
  });
}
