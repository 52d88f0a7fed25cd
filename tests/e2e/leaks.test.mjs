// Leak checks: after 50,000 acked emits, 10,000 ack timeouts and 100 reconnect cycles, the
// client holds no more than it did before. Acked emits and timeouts go 1,000 pending at a time:
// this checks that nothing is kept, not the peak of a burst (BENCHMARKS.md has that). Measured after a warm-up of the same work (so that
// JIT code, lazily made tables and the allocator's first growth are in the baseline):
// - the JS heap after two forced garbage collections (CDP Runtime.getHeapUsage);
// - our WebAssembly memory (it never shrinks, so it bounds the peak) and the bytes of its heap in
//   use (exact: the core's allocator counts them), from `memoryStats()`.
// With SIO_REFERENCE=1 the official client runs instead (JS heap only).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openTestPage, startProxy, useServers } from "./fixtures.mjs";

const MiB = 1024 * 1024;
/** Issue 9: memory returns to within 1 MiB of where it started. */
const BOUND = MiB;
const T = { timeout: 240_000 };
const ACKED = 50_000;
const TIMEOUTS = 10_000;
const CYCLES = 100;

const ctx = useServers();

/** `{ heap, wasmMemory, wasmHeap }` in bytes, after two full garbage collections. */
async function measure(page, cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  const wasm = await page.evaluate(() => sio.memoryStats?.() ?? { wasmMemory: 0, wasmHeap: 0 });
  return { heap: usedSize, ...wasm };
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const delta = (after, before) => Object.fromEntries(Object.keys(before).map((k) => [k, after[k] - before[k]]));

/** In the page: `n` emits of `echo` with an ack, `batch` in flight at a time. */
function ackedEmits(page, n, batch = 1000) {
  return page.evaluate(
    async ({ n, batch }) => {
      for (let done = 0; done < n; done += batch) {
        const size = Math.min(batch, n - done);
        const acks = [];
        for (let i = 0; i < size; i++) acks.push(socket.emitWithAck("echo", done + i, { n: done + i, text: "leak check" }));
        await within(Promise.all(acks), 30000, `acks ${done}..${done + size}`);
      }
    },
    { n, batch },
  );
}

/**
 * In the page: `n` emits to `no-ack` with `timeout(50)`, `batch` pending at a time; resolves with
 * how many timed out.
 */
function ackTimeouts(page, n, batch = 1000) {
  return page.evaluate(
    async ({ n, batch }) => {
      let timedOut = 0;
      for (let done = 0; done < n; done += batch) {
        const size = Math.min(batch, n - done);
        const errors = [];
        for (let i = 0; i < size; i++) {
          errors.push(new Promise((resolve) => socket.timeout(50).emit("no-ack", done + i, resolve)));
        }
        for (const err of await within(Promise.all(errors), 30000, `ack timeouts ${done}..${done + size}`)) {
          if (err?.message !== "operation has timed out") throw new Error(`an ack callback got ${err}`);
          timedOut++;
        }
      }
      return timedOut;
    },
    { n, batch },
  );
}

/**
 * Cuts every connection `n` times, each time waiting for the socket to reconnect and upgrade: a
 * cut while the session is on polling between two requests, with only the probe open, would
 * fail the probe and leave the session as it was (no reconnection to wait for).
 */
async function reconnectCycles(page, proxy, n) {
  for (let i = 0; i < n; i++) {
    const connects = await page.evaluate(() => entries("connect").length);
    proxy.cutAll();
    await page.evaluate(async (want) => {
      await untilEvent("connect", want, 10000);
      await upgraded();
    }, connects + 1);
  }
}

// Against the official server only: what the client keeps does not depend on the server, and
// the fault and socket suites already run every path against both.
for (const kind of ["node"]) {
  describe(`leaks against the ${kind} server`, () => {
    it(`${ACKED} acked emits, ${TIMEOUTS} ack timeouts and ${CYCLES} reconnect cycles leave memory within 1 MiB of the start`, T, async (t) => {
      const proxy = await startProxy(ctx[kind].port, t);
      const page = await openTestPage(ctx, t);
      const cdp = await page.context().newCDPSession(page);
      t.after(() => cdp.detach().catch(() => {}));
      await page.evaluate(async (url) => {
        window.socket = sio.io(url, { forceNew: true, reconnectionDelay: 10, randomizationFactor: 0 });
        track(socket, "", ["connect", "disconnect"]);
        socket.on("echo", () => {});
        // Resolves once the session is on the WebSocket.
        window.upgraded = () =>
          within(
            new Promise((resolve) => (socket.io.engine.transport.name === "websocket" ? resolve() : socket.io.engine.once("upgrade", resolve))),
            10000,
            "upgrade",
          );
        await untilEvent("connect", 1, 10000);
        await upgraded();
      }, proxy.url);

      // Warm-up: the same kinds of work, smaller.
      await ackedEmits(page, 5000);
      await ackTimeouts(page, 1000);
      await reconnectCycles(page, proxy, 5);
      const start = await measure(page, cdp);

      await ackedEmits(page, ACKED);
      const afterAcks = await measure(page, cdp);
      assert.equal(await ackTimeouts(page, TIMEOUTS), TIMEOUTS);
      const afterTimeouts = await measure(page, cdp);
      await reconnectCycles(page, proxy, CYCLES);
      const afterCycles = await measure(page, cdp);

      const rows = { afterAcks, afterTimeouts, afterCycles };
      const line = (name, m) => {
        const d = delta(m, start);
        return `${name}: JS heap ${kib(m.heap)} (${d.heap >= 0 ? "+" : ""}${kib(d.heap)}), wasm memory ${kib(m.wasmMemory)} (+${kib(d.wasmMemory)}), wasm heap in use ${kib(m.wasmHeap)} (${d.wasmHeap >= 0 ? "+" : ""}${kib(d.wasmHeap)})`;
      };
      const report = [line("start", start), ...Object.entries(rows).map(([name, m]) => line(name, m))].join("\n");
      t.diagnostic(`[${kind}]\n${report}`);
      console.log(`leaks [${kind}]\n${report}`);
      for (const [name, m] of Object.entries(rows)) {
        const d = delta(m, start);
        assert.ok(d.heap <= BOUND, `${name}: the JS heap grew by ${kib(d.heap)}\n${report}`);
        assert.ok(d.wasmMemory <= BOUND, `${name}: the wasm memory grew by ${kib(d.wasmMemory)}\n${report}`);
        assert.ok(d.wasmHeap <= BOUND, `${name}: the wasm heap in use grew by ${kib(d.wasmHeap)}\n${report}`);
      }
      assert.deepEqual(page.uncaught, []);
      await page.evaluate(() => socket.disconnect());
    });
  });
}
