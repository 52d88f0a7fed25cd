// Fault injection end to end, against both servers: a FaultProxy cutting every connection every
// second while 10,000 emits with `retries` flow; plain emits buffered while disconnected across
// repeated cuts; a server restart in the middle of a stream (and, on the Node server, connection
// state recovery across cuts in the middle of a server-emitted stream); an upgrade probe whose
// WebSocket dies right after its 101, or whose answer is wrong.
//
// Not here (already covered): the stalled server's "ping timeout" (transports.test.mjs), the
// malformed-packet server (hostile.test.mjs), the 403 to the upgrade (transports.test.mjs).
//
// Each scenario prints its figures (sent, delivered, duplicates, lost, cuts, reconnections, time)
// with t.diagnostic and console.log. Every wait is bounded. The faults themselves are scheduled
// in time (a cut every second is the scenario), never a wait for an outcome.
//
// SIO_REFERENCE=1 runs the suite against socket.io-client 4.8 itself (socket-helpers.mjs).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVER_KINDS, records, startProxy, startServer, until, useServers } from "./fixtures.mjs";
import { CLIENT, firstOccurrences, key, openSocketPage, range } from "./socket-helpers.mjs";

const ctx = useServers();
/** Quick reconnection: a cut costs 100-200 ms of backoff, not the default 1-5 s. */
const FAST = { reconnectionDelay: 100, reconnectionDelayMax: 200 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Prints a line of figures in the test's diagnostics and on the console. */
function report(t, line) {
  t.diagnostic(line);
  console.log(line);
}

/** Counts of a delivery: `list` as the server recorded it, `sent` the values sent in order. */
function tally(list, sent) {
  const firsts = firstOccurrences(list);
  const seen = new Set(list.map((v) => JSON.stringify(v)));
  return {
    delivered: firsts.length,
    duplicates: list.length - firsts.length,
    lost: sent.filter((v) => !seen.has(JSON.stringify(v))).length,
    inOrder: JSON.stringify(firsts) === JSON.stringify(sent),
  };
}

/**
 * Cuts every connection of `proxy` until the page has logged `n` disconnects (bounded). A
 * polling GET on a reused keep-alive connection is silently retried by Chromium after a reset, so
 * one cut may go unnoticed; the cuts stop as soon as the client noticed, well before its first
 * reconnection attempt (>= 50 ms with FAST).
 */
async function cutUntilNoticed(page, proxy, n) {
  await until(
    async () => {
      proxy.cutAll();
      await sleep(10);
      return page.evaluate((n) => entries("disconnect").length >= n, n);
    },
    `the client to notice cut ${n}`,
    5000,
    0,
  );
}

/**
 * In the page: connects `io(url)` (polling, then the upgrade probe), and while `count` numbered
 * `record` events flow up and as many `echo` events flow down (the server emits `echo` i for each
 * `echo` i the client emits, in step with the records), lets the held probe WebSocket go, so that
 * its failure falls in the middle of the traffic both ways. Resolves a summary.
 */
function trafficAcrossFailedProbe(page, { url, recordKey, count }) {
  return page.evaluate(
    async ({ url, recordKey, count }) => {
      // Every WebSocket that sends (here: only the probe, with its "2probe"), to read its state.
      const probes = new Set();
      const nativeSend = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data) {
        probes.add(this);
        return nativeSend.call(this, data);
      };
      holdWebSockets();
      const socket = sio.io(url, { forceNew: true });
      track(socket, "", ["connect", "connect_error", "disconnect"]);
      track(socket.io.engine, "engine:", ["upgrade"]);
      socket.io.engine.on("upgradeError", (err) => note("engine:upgradeError", { message: err.message, transport: err.transport }));
      const received = [];
      socket.on("echo", (i) => received.push(i));
      await untilEvent("connect", 1, 10000);
      const atConnect = socket.io.engine.transport.name;
      const acks = [];
      const acked = [];
      let released = 0;
      let sentBeforeError = null;
      let receivedAtError = null;
      let releasedAt = 0;
      const failed = () => entries("engine:upgradeError").length + entries("engine:upgrade").length > 0;
      for (let i = 0; i < count; i++) {
        if (i === Math.floor(count * 0.3)) {
          released = releaseWebSockets(); // the probe connects now
          releasedAt = performance.now();
        }
        // Keep the last tenth for after the probe's failure.
        if (i === Math.floor(count * 0.9)) await until(failed, 10000, "the probe's failure");
        if (sentBeforeError === null && failed()) {
          sentBeforeError = i;
          receivedAtError = received.length;
        }
        acked.push(new Promise((resolve) => socket.emit("record", recordKey, i, (n) => resolve(acks.push(n)))));
        socket.emit("echo", i);
        // After the release, 10 emits every 20 ms, so the next 60% take ~600 ms: the probe fails
        // in the middle of them (it takes 50-400 ms to fail on a loaded machine).
        if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, released ? 20 : 0));
      }
      await within(Promise.all(acked), 15000, "every record ack");
      await until(() => received.length >= count, 15000, "every echo");
      // One more round trip on polling, then the transport is read.
      await socket.timeout(5000).emitWithAck("ack-later", 0);
      const out = {
        atConnect,
        released,
        sentBeforeError,
        receivedAtError,
        probeMs: (entries("engine:upgradeError")[0]?.t ?? NaN) - releasedAt,
        acks,
        received,
        transport: socket.io.engine.transport.name,
        upgrades: entries("engine:upgrade").length,
        upgradeErrors: entries("engine:upgradeError").map((e) => e.args[0]),
        disconnects: entries("disconnect").map((e) => e.args[0]),
        wsUrls,
        probeStates: [...probes].map((ws) => ws.readyState),
      };
      socket.disconnect();
      return out;
    },
    { url, recordKey, count },
  );
}

for (const kind of SERVER_KINDS) {
  describe(`faults against the ${kind} server (client: ${CLIENT})`, () => {
    const port = () => ctx[kind].port;

    // ---- 1. a cut every second under 10,000 emits with retries -------------------------------

    it("a cut every second for 30 s while 10,000 emits with retries flow: all arrive, first occurrences in order", { timeout: 150_000 }, async (t) => {
      const started = Date.now();
      const proxy = await startProxy(port(), t);
      const page = await openSocketPage(ctx, t);
      const k = key(`cut-every-second-${kind}`);
      const N = 10_000;
      const CUTS = 30;
      const CUT_EVERY_MS = 1000;
      // Paced, not all at once: the retries queue has one packet in flight at a time, so 10,000
      // emitted at once would drain at whatever the round trip allows, finishing before the cuts
      // end on a fast machine or long after on a loaded one. Spread over 28 s, the stream covers
      // the whole cut window, so every cut falls in the middle of it (checked below).
      const SPREAD_MS = 28_000;
      await page.evaluate(
        async ({ url, FAST }) => {
          // ackTimeout 500 ms: an answer lost in a cut is retried soon. retries 100: far more
          // attempts than one packet can lose (one per cut it is in flight for, plus timeouts).
          window.socket = sio.io(url, { forceNew: true, ackTimeout: 500, retries: 100, ...FAST });
          track(socket, "", ["connect", "disconnect"]);
          track(socket.io, "io:", ["reconnect"]);
          await untilEvent("connect", 1, 10000);
        },
        { url: proxy.url, FAST },
      );
      await page.evaluate(
        ({ k, N, SPREAD_MS }) => {
          window.acked = [];
          window.failed = [];
          window.emitted = 0;
          const t0 = performance.now();
          const tick = () => {
            const due = Math.min(N, Math.ceil((N * (performance.now() - t0)) / SPREAD_MS));
            while (emitted < due) {
              const i = emitted++;
              socket.emit("record", k, i, (err) => {
                if (err) failed.push([i, err.message]);
                else acked.push(i);
                if (acked.length + failed.length === N) note("all-answered");
              });
            }
            if (emitted < N) setTimeout(tick, 20);
          };
          tick();
        },
        { k, N, SPREAD_MS },
      );
      const t0 = Date.now();
      const atCuts = [];
      for (let c = 1; c <= CUTS; c++) {
        await sleep(t0 + c * CUT_EVERY_MS - Date.now()); // the fault's schedule
        proxy.cutAll();
        atCuts.push(await page.evaluate(() => ({ emitted, answered: acked.length + failed.length })));
      }
      const r = await page.evaluate(async () => {
        // On a loaded machine the queue lags behind the pacing (each emit waits for the previous
        // one's ack): seen draining 25 s after the last cut with a load average of 7 on 2 cores.
        await untilEvent("all-answered", 1, 75000);
        const out = {
          acked: acked.slice(),
          failed: failed.slice(),
          disconnects: entries("disconnect").length,
          reconnects: entries("io:reconnect").length,
          connected: socket.connected,
        };
        socket.disconnect();
        return out;
      });
      const list = await records(ctx.servers[kind], k);
      const f = tally(list, range(N));
      const midStream = atCuts.filter((c) => c.answered > 0 && c.answered < N).length;
      report(
        t,
        `cut-every-second [${kind}, ${CLIENT}]: sent ${N}, delivered ${f.delivered} (first occurrences ${f.inOrder ? "in order" : "OUT OF ORDER"}), ` +
          `duplicates ${f.duplicates}, lost ${f.lost}, cuts ${CUTS} (${midStream} mid-stream), disconnects ${r.disconnects}, ` +
          `reconnects ${r.reconnects}, failed ${r.failed.length}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      assert.ok(midStream >= CUTS - 5, `the cuts fell in the middle of the stream: ${JSON.stringify(atCuts)}`);
      assert.ok(r.disconnects >= CUTS / 2, `the cuts disconnected the client (${r.disconnects} times)`);
      assert.ok(r.reconnects >= r.disconnects - 1, `a reconnection after each disconnect (${r.reconnects})`);
      assert.deepEqual(r.failed, [], "no emit ran out of retries");
      assert.deepEqual(r.acked, range(N), "the acks came in order, once each");
      assert.equal(f.lost, 0);
      assert.deepEqual(firstOccurrences(list), range(N), "every number arrived at least once, first occurrences in order");
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 2. plain emits buffered while disconnected, across repeated cuts ----------------------

    // A plain emit is at most once: one written to a connection that is cut before the server
    // read it is lost, by design (`retries` is for that, see above). So each cut waits until the
    // previous batch has arrived; what is tested is the send buffer: every batch emitted while
    // disconnected is flushed at the reconnection, exactly once, in order, cut after cut.
    it("a cut every second for 10 s, a batch of 200 plain emits at each disconnect: exactly once, in order", { timeout: 60_000 }, async (t) => {
      const started = Date.now();
      const proxy = await startProxy(port(), t);
      const page = await openSocketPage(ctx, t);
      const k = key(`buffered-${kind}`);
      const CUTS = 10;
      const BATCH = 200;
      await page.evaluate(
        async ({ url, FAST, k, BATCH }) => {
          window.socket = sio.io(url, { forceNew: true, ...FAST });
          window.sent = 0;
          window.connectedAtEmit = [];
          track(socket, "", ["connect", "disconnect"]);
          track(socket.io, "io:", ["reconnect"]);
          window.emitBatch = () => {
            connectedAtEmit.push(socket.connected);
            for (let j = 0; j < BATCH; j++) socket.emit("record", k, sent++);
          };
          socket.on("disconnect", emitBatch);
          await untilEvent("connect", 1, 10000);
        },
        { url: proxy.url, FAST, k, BATCH },
      );
      const delivered = async (n, what) =>
        until(async () => (await records(ctx.servers[kind], k)).length >= n, what, 15_000, 50);
      const t0 = Date.now();
      for (let c = 1; c <= CUTS; c++) {
        await sleep(t0 + c * 1000 - Date.now()); // the fault's schedule
        // The previous batch is in (its flush is done) before this cut.
        await delivered((c - 1) * BATCH, `batch ${c - 1} at the server`);
        await cutUntilNoticed(page, proxy, c);
      }
      await delivered(CUTS * BATCH, "the last batch at the server");
      const r = await page.evaluate(async () => {
        // A round trip after the last batch: anything more (a second flush) would be in by then.
        await until(() => socket.connected, 10000, "the last reconnection");
        await socket.timeout(5000).emitWithAck("echo", "sync");
        const out = {
          sent,
          connectedAtEmit,
          disconnects: entries("disconnect").length,
          reconnects: entries("io:reconnect").length,
        };
        socket.off("disconnect", emitBatch);
        socket.disconnect();
        return out;
      });
      const list = await records(ctx.servers[kind], k);
      const f = tally(list, range(r.sent));
      report(
        t,
        `buffered-while-disconnected [${kind}, ${CLIENT}]: sent ${r.sent}, delivered ${f.delivered} (${f.inOrder ? "in order" : "OUT OF ORDER"}), ` +
          `duplicates ${f.duplicates}, lost ${f.lost}, cuts ${CUTS}, disconnects ${r.disconnects}, reconnects ${r.reconnects}, ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      assert.equal(r.disconnects, CUTS);
      assert.equal(r.sent, CUTS * BATCH);
      assert.deepEqual(r.connectedAtEmit, Array(CUTS).fill(false), "every batch was emitted while disconnected");
      assert.equal(r.reconnects, CUTS);
      assert.deepEqual(list, range(r.sent), "every emit exactly once, in order");
      assert.deepEqual(page.uncaught, []);
    });

    // ---- 3. a server restart in the middle of a stream -----------------------------------------

    // Stopped (SIGTERM: the servers close their sessions; socketioxide may go on serving for up
    // to 2 s while it drains) or killed (SIGKILL: a crash, nothing more is answered), then
    // started again on the same port at once.
    for (const signal of ["SIGTERM", "SIGKILL"]) {
      it(`the server restarts (${signal}) on the same port in the middle of 3,000 emitWithAck with retries: a new session, every emit acknowledged`, { timeout: 60_000 }, async (t) => {
        const started = Date.now();
        const first = await startServer(kind);
        let current = first;
        t.after(() => current.stop());
        const page = await openSocketPage(ctx, t);
        const k = key(`restart-${kind}`);
        const N = 3000;
        const RESTART_AT = 300;
        const before = await page.evaluate(
          async ({ url, FAST }) => {
            window.socket = sio.io(url, { forceNew: true, ackTimeout: 1000, retries: 20, ...FAST });
            track(socket, "", ["connect", "disconnect"]);
            track(socket.io, "io:", ["reconnect_attempt", "reconnect"]);
            await untilEvent("connect", 1, 10000);
            return { id: socket.id, recovered: socket.recovered };
          },
          { url: first.url, FAST },
        );
        // All at once: the retries queue sends them one at a time, in order, each after the
        // previous one's ack; that queue draining is the stream the restart falls into.
        await page.evaluate(
          ({ k, N }) => {
            window.answers = [];
            const done = () => answers.length === N && note("all-answered");
            for (let i = 0; i < N; i++) {
              socket.emitWithAck("record", k, i).then(
                (n) => done(answers.push({ i, n, id: socket.id })),
                (e) => done(answers.push({ i, error: e.message })),
              );
            }
          },
          { k, N },
        );
        await until(() => page.evaluate((n) => answers.length >= n, RESTART_AT), `${RESTART_AT} answers`, 20_000, 10);
        const stoppedAt = Date.now();
        if (signal === "SIGKILL") first.process.kill("SIGKILL");
        await first.stop(); // SIGTERM, or (after a SIGKILL) the wait for the exit
        const atStop = await page.evaluate(async () => {
          await untilEvent("disconnect", 1, 10000);
          return answers.length;
        });
        current = await startServer(kind, ["--port", String(first.port)]);
        const downtime = Date.now() - stoppedAt;
        const r = await page.evaluate(async () => {
          await untilEvent("all-answered", 1, 30000);
          const out = {
            answers: answers.slice(),
            after: { id: socket.id, recovered: socket.recovered, connected: socket.connected },
            reason: entries("disconnect")[0].args[0],
            disconnects: entries("disconnect").length,
            attempts: entries("io:reconnect_attempt").length,
            reconnects: entries("io:reconnect").length,
          };
          socket.disconnect();
          return out;
        });
        const rejected = r.answers.filter((a) => a.error);
        const byOld = r.answers.filter((a) => !a.error && a.id === before.id);
        const m = byOld.length;
        const list = await records(current.url, k);
        const f = tally(list, range(N).slice(m));
        report(
          t,
          `server-restart [${kind}, ${CLIENT}, ${signal}]: sent ${N}, acknowledged ${r.answers.length - rejected.length} (${m} by the old server, ` +
            `${N - m - rejected.length} by the new one), rejected ${rejected.length}; the new server got ${f.delivered} first occurrences ` +
            `(${f.inOrder ? "in order" : "OUT OF ORDER"}), duplicates ${f.duplicates}, lost ${f.lost}; restart after ${atStop} answers, ` +
            `downtime ${downtime} ms, reconnect attempts ${r.attempts}, reconnects ${r.reconnects}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        assert.ok(atStop < N, "the restart fell in the middle of the stream");
        assert.ok(["transport close", "transport error"].includes(r.reason), `disconnect reason: ${r.reason}`);
        assert.equal(r.disconnects, 1);
        assert.equal(r.reconnects, 1);
        assert.equal(r.after.connected, true);
        assert.equal(typeof r.after.id, "string");
        assert.notEqual(r.after.id, before.id, "a new session id");
        if (CLIENT === "official") {
          // socket.io-client 4.8 sets `recovered = pid && ...` at each CONNECT: with no `pid` in
          // the answer (a server without recovery) it is `undefined`, not the documented boolean.
          assert.equal(r.after.recovered, undefined);
        } else {
          assert.equal(r.after.recovered, false);
        }
        assert.deepEqual(rejected, [], "no emit rejected");
        assert.deepEqual(r.answers.map((a) => a.i), range(N), "answered once each, in order");
        assert.deepEqual(byOld.map((a) => a.i), range(m), "the old server acknowledged a prefix");
        assert.ok(r.answers.slice(m).every((a) => a.id === r.after.id), "the rest was acknowledged by the new session");
        // The new server has the rest (the old one's records died with it): from the first one not
        // acknowledged before the restart (maybe delivered there too, its answer lost) to the end.
        assert.deepEqual(firstOccurrences(list), range(N).slice(m), "the new server got every emit the client still held, in order");
        assert.deepEqual(page.uncaught, []);
      });
    }

    // Only the Node server: socketioxide has no connection state recovery.
    it(
      "connection state recovery: 3 cuts in the middle of 1,000 server-emitted events: same id, recovered, the missed ones once each, in order",
      { timeout: 60_000, skip: kind !== "node" && "the Rust server (socketioxide) has no connection state recovery" },
      async (t) => {
        const started = Date.now();
        const server = await startServer("node", ["--recovery"]);
        t.after(() => server.stop());
        const proxy = await startProxy(server.port, t);
        const page = await openSocketPage(ctx, t);
        const N = 1000;
        const CUT_AT = [250, 500, 750];
        const SPREAD_MS = 3000;
        const before = await page.evaluate(
          async ({ url, direct, FAST, N, SPREAD_MS }) => {
            window.socket = sio.io(url, { forceNew: true, transports: ["websocket"], ...FAST });
            window.got = [];
            socket.on("n", (i) => {
              got.push(i);
              note("n", i);
            });
            track(socket, "", ["connect", "disconnect"]);
            socket.on("connect", () => note("state", { id: socket.id, recovered: socket.recovered }));
            await untilEvent("connect", 1, 10000);
            // The stream's source: another client, straight to the server (never cut), has the
            // server emit `n` (0, 1, ...) to the first socket's room, paced over SPREAD_MS. Each
            // goes through the server's adapter, which keeps it for a recovery.
            const observer = sio.io(direct, { forceNew: true, transports: ["websocket"] });
            window.observer = observer;
            await waitFor(observer, "connect");
            const room = socket.id;
            let next = 0;
            const t0 = performance.now();
            const tick = () => {
              const due = Math.min(N, Math.ceil((N * (performance.now() - t0)) / SPREAD_MS));
              while (next < due) observer.emit("to-room", room, "n", next++);
              if (next < N) setTimeout(tick, 10);
            };
            tick();
            return { id: socket.id, recovered: socket.recovered };
          },
          { url: proxy.url, direct: server.url, FAST, N, SPREAD_MS },
        );
        for (const [c, at] of CUT_AT.entries()) {
          await until(() => page.evaluate((at) => got.length >= at, at), `${at} events`, 15_000, 5);
          await cutUntilNoticed(page, proxy, c + 1);
          await page.evaluate((n) => untilEvent("connect", n, 10000), c + 2);
        }
        const r = await page.evaluate(async (N) => {
          await until(() => got.length >= N, 15000, `${N} events`);
          await socket.timeout(5000).emitWithAck("echo", "sync"); // a duplicate would be in by now
          // The events that came between each disconnect and the next `connect`: the replay.
          const replayed = [];
          for (const e of log) {
            if (e.ev === "disconnect") replayed.push(0);
            else if (e.ev === "connect" && replayed.length) replayed.push(null);
            else if (e.ev === "n" && typeof replayed.at(-1) === "number") replayed[replayed.length - 1]++;
          }
          const out = {
            got: got.slice(),
            states: entries("state").map((e) => e.args[0]),
            reasons: entries("disconnect").map((e) => e.args[0]),
            replayed: replayed.filter((x) => x !== null),
          };
          observer.disconnect();
          socket.disconnect();
          return out;
        }, N);
        const f = tally(r.got, range(N));
        report(
          t,
          `recovery [${kind}, ${CLIENT}]: server sent ${N}, delivered ${f.delivered} (${f.inOrder ? "in order" : "OUT OF ORDER"}), ` +
            `duplicates ${f.duplicates}, lost ${f.lost}, cuts ${CUT_AT.length}, recovered ${r.states.slice(1).filter((s) => s.recovered).length} ` +
            `of ${r.states.length - 1} reconnections, missed-then-replayed ${r.replayed.join(" + ")}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        assert.equal(before.recovered, false);
        assert.equal(r.reasons.length, CUT_AT.length);
        assert.ok(r.reasons.every((x) => ["transport close", "transport error"].includes(x)), `reasons: ${r.reasons}`);
        assert.deepEqual(r.states.slice(1), CUT_AT.map(() => ({ id: before.id, recovered: true })), "same id, recovered, at each reconnection");
        assert.ok(r.replayed.every((n) => n > 0), `each cut missed events that were replayed: ${r.replayed}`);
        assert.deepEqual(r.got, range(N), "every event exactly once, in order");
        assert.deepEqual(page.uncaught, []);
      },
    );

    // ---- 4. the upgrade probe dies after its 101, or is answered wrongly -----------------------

    // engineioxide (socketioxide's Engine.IO, 0.17) closes the whole session when a probe
    // WebSocket fails after its 101 (transport/ws.rs: an upgrade error ends in close_session), and
    // while a probe is pending answers every polling GET with a NOOP: the session cannot stay on
    // polling there. (The 403 before the 101, in transports.test.mjs, never reaches it.)
    const noProbeFailure = kind === "rust" && "socketioxide closes the session when a probe WebSocket fails after its 101";
    const probeFaults = {
      "its WebSocket is cut right after the 101": {
        set: (proxy) => (proxy.cutWebSocketAfter101 = true),
        // The WebSocket opens, then closes without a close frame (1006): engine.io-client's probe
        // sees the transport close, and Chromium fires no `error` event for it.
        error: { message: "probe error: transport closed", transport: "websocket" },
      },
      'it is answered "3pr0be" instead of "3probe"': {
        set: (proxy) => (proxy.wrongProbeAnswer = true),
        // A pong that is not the probe's: engine.io-client's Error("probe error").
        error: { message: "probe error", transport: "websocket" },
        // DIFFERENCE: socket.io-client 4.8 leaves that probe WebSocket open (its probe code emits
        // upgradeError without closing the transport); the server drops it after its
        // upgradeTimeout (10 s on Node), and the client then emits a second upgradeError,
        // "probe error: transport closed". socketio-wasm closes the failed probe at once.
        probeOpenAfter: CLIENT === "official",
      },
    };
    for (const [how, fault] of Object.entries(probeFaults)) {
      it(`the upgrade probe fails (${how}) while 500 messages flow each way: upgradeError, stays on polling, nothing lost`, { timeout: 30_000, skip: noProbeFailure }, async (t) => {
        const started = Date.now();
        const proxy = await startProxy(port(), t);
        fault.set(proxy);
        const page = await openSocketPage(ctx, t);
        const recordKey = key(`probe-${kind}`);
        const count = 500;
        const r = await trafficAcrossFailedProbe(page, { url: proxy.url, recordKey, count });
        const list = await records(ctx.servers[kind], recordKey);
        const up = tally(list, range(count));
        const down = tally(r.received, range(count));
        report(
          t,
          `probe-failure [${kind}, ${CLIENT}] (${how}): up sent ${count}, delivered ${up.delivered}, duplicates ${up.duplicates}, lost ${up.lost}; ` +
            `down sent ${count}, delivered ${down.delivered}, duplicates ${down.duplicates}, lost ${down.lost}; ` +
            `upgradeError ${JSON.stringify(r.upgradeErrors)} ${r.probeMs.toFixed(0)} ms after the probe's release, ` +
            `when ${r.sentBeforeError} were sent and ${r.receivedAtError} received; transport ${r.transport}; ` +
            `${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        assert.equal(r.atConnect, "polling");
        assert.equal(r.released, 1, "one probe WebSocket");
        assert.match(r.wsUrls[0], /transport=websocket&sid=/, "the probe joins the polling session");
        assert.deepEqual(r.upgradeErrors, [fault.error], "upgradeError once");
        assert.equal(r.upgrades, 0, "no upgrade");
        const OPEN = 1;
        const CLOSED = 3;
        assert.deepEqual(r.probeStates, [fault.probeOpenAfter ? OPEN : CLOSED], "the probe WebSocket's state at the end");
        assert.equal(r.transport, "polling");
        assert.ok(r.sentBeforeError >= count * 0.3 && r.sentBeforeError <= count * 0.9, `the probe failed after ${r.sentBeforeError} sent`);
        assert.deepEqual(r.acks, range(count).map((i) => i + 1), "the acks, in order");
        assert.deepEqual(list, range(count), "up: every record once, in order");
        assert.deepEqual(r.received, range(count), "down: every event once, in order");
        assert.deepEqual(r.disconnects, [], "the failed probe does not disturb the session");
        assert.deepEqual(page.uncaught, []);
      });
    }
  });
}
