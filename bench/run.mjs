#!/usr/bin/env node
// `npm run bench`: socketio-wasm against socket.io-client 4.8 in headless Chromium, both talking
// to the official Node `socket.io` server (bench/server.mjs, a child process on 127.0.0.1).
//
// Method. Every measurement runs in a fresh browser context (empty cache, new renderer) with a
// page that loads exactly one client. Each round runs every metric for both clients back to back,
// and the order flips every round (official, ours / ours, official / ...), so neither client
// always runs first. One unrecorded warm-up round (server JIT, disk cache) precedes the rounds.
// The table reports the median over rounds; the ratio is official / ours for every row (all rows
// are "lower is better": times and bytes), so a ratio above 1 means ours is better.
//
// Metrics (N's are environment variables, defaults in brackets):
//   emit           N small JSON emits in one synchronous loop: (a) wall time of the loop per emit
//                  (performance.now() around it), (b) the page main thread's CPU time per emit
//                  from the loop's start until the server has counted all N (CDP
//                  Performance.getMetrics TaskDuration, thread ticks: it includes work a client
//                  defers past the loop, such as socket.io-client's WebSocket writes), (c) the
//                  emit throughput: loop start to the server's "counted"   BENCH_EMITS [20000]
//   receive        the server emits N small events: from the request to the N-th listener call,
//                  and the main thread's CPU time per event               BENCH_RECEIVE [20000]
//   ack            sequential emitWithAck("echo", i): median and p99 per round
//                                                                        BENCH_ACKS [2000]
//   binary         a 1 MiB Uint8Array echoed with an ack, median of the iterations after one
//                  warm-up echo                 BENCH_BINARY_ITERS [5], BENCH_BINARY_BYTES [1 MiB]
//   polling        the emit throughput over long-polling, WebSocket refused by the server; median
//                  of BENCH_POLLING_ITERS [3] batches on one connection    BENCH_POLLING [2000]
//   cold           navigation start (performance.timeOrigin) to the client module being ready
//                  (for ours: the WebAssembly fetched, compiled, instantiated) and to `connect`;
//                  median of BENCH_COLD_ITERS [3] page loads, each in a fresh context
//   rustApi        the emit and ack rows again, ours made through the typed Rust API
//                  (socketio_wasm::api, examples/bench-api built by scripts/build-examples.sh,
//                  on bench/pages/rust-api.html) against socket.io-client on the same measurement:
//                  the emit loop per emit, the emit throughput, the ack median and p99
//   memory         JS heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) and our
//                  WebAssembly memory: connected; with N acked emits pending (the server holds
//                  the acks); after the server answered them all          BENCH_MEMORY [50000]
//                  Only in the first BENCH_MEMORY_ROUNDS [1] rounds: bytes after a forced GC
//                  hardly vary (identical to the byte in trials), and the server taking in
//                  2 × 50,000 emits is the slowest step of the whole bench.
// Other knobs: BENCH_ROUNDS [5], BENCH_WARMUP [1] (unrecorded rounds, N's / 10), BENCH_ONLY
// (comma list of metric ids), BENCH_RESULTS (output path), BENCH_VERBOSE=1 (every sample on
// stderr), BENCH_ROOT (measure the js/ and pkg/ of another built checkout) with BENCH_COMMIT (its
// label in the results).
// Flags: --update-md rewrites the generated block of the "## Client against socket.io-client"
// section of BENCHMARKS.md (and nothing else) with this run's tables.
//
// Output: a table on stdout, bench/results.json (every per-round sample, machine, date).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./cdp.mjs";
import { spawnBenchServer } from "./spawn-server.mjs";
import { sizes, sizeTable } from "./size.mjs";

const HERE = join(dirname(fileURLToPath(import.meta.url)), "..");
// The checkout whose js/ and pkg/ are measured (default: this one). BENCH_ROOT lets a run measure
// a built snapshot of another commit while the bench itself comes from here.
const ROOT = process.env.BENCH_ROOT ? resolve(process.env.BENCH_ROOT) : HERE;
const env = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: a non-negative number expected, got ${v}`);
  return n;
};
const CONFIG = {
  rounds: env("BENCH_ROUNDS", 5),
  warmup: env("BENCH_WARMUP", 1),
  emits: env("BENCH_EMITS", 20000),
  receive: env("BENCH_RECEIVE", 20000),
  acks: env("BENCH_ACKS", 2000),
  binaryBytes: env("BENCH_BINARY_BYTES", 1 << 20),
  binaryIters: env("BENCH_BINARY_ITERS", 5),
  polling: env("BENCH_POLLING", 2000),
  pollingIters: env("BENCH_POLLING_ITERS", 3),
  coldIters: env("BENCH_COLD_ITERS", 3),
  memory: env("BENCH_MEMORY", 50000),
  // Bytes after a forced GC do not move between rounds (identical in trials), and this metric is the slowest
  // (the server must take in N emits twice per round), so it runs in the first rounds only.
  memoryRounds: env("BENCH_MEMORY_ROUNDS", 1),
};
// The warm-up round (server JIT, disk cache) runs everything with a tenth of the N's.
const WARMUP_CONFIG = Object.fromEntries(
  Object.entries(CONFIG).map(([k, v]) => [k, ["rounds", "warmup", "binaryBytes", "memoryRounds", "pollingIters", "coldIters"].includes(k) ? v : Math.max(1, Math.ceil(v / 10))]),
);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",").map((s) => s.trim())) : undefined;
const RESULTS = process.env.BENCH_RESULTS || join(HERE, "bench/results.json");
const UPDATE_MD = process.argv.includes("--update-md");
const CLIENTS = ["official", "ours"];
const WS = { transports: ["websocket"] };

// ---- the server --------------------------------------------------------------------------------

/** The bench server for this run: the pages from here, js/ and pkg/ from ROOT. */
function startServer() {
  return spawnBenchServer({ root: HERE, codeRoot: ROOT });
}

// ---- one page per measurement ------------------------------------------------------------------

/** A fresh context and page with `client` loaded; runs `fn(page, context)`, then closes it. */
async function withPage(browser, server, client, fn) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/bench/pages/blank.html?client=${client}`);
    await page.evaluate(() => window.ready);
    if (!(await page.evaluate(() => self.crossOriginIsolated))) throw new Error("the bench page is not cross-origin isolated");
    const result = await fn(page, context);
    if (page.errors.length) throw new Error(`page errors: ${page.errors.join("; ")}`);
    return result;
  } finally {
    await context.close();
  }
}

/** The renderer main thread's CPU time in ms (CDP Performance.getMetrics TaskDuration with
 *  thread ticks): work done later (e.g. socket.io-client's deferred WebSocket writes) counts,
 *  idle time and time the thread is descheduled do not. Returns an async reader. */
async function mainThreadClock(page) {
  await page.send("Performance.enable", { timeDomain: "threadTicks" });
  return async () => {
    const { metrics } = await page.send("Performance.getMetrics");
    return metrics.find((m) => m.name === "TaskDuration").value * 1000;
  };
}

/** A fresh context with the Rust API's bench page (bench/pages/rust-api.html); runs `fn(page)`. */
async function withRustPage(browser, server, fn) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/bench/pages/rust-api.html`);
    await page.evaluate(() => window.ready);
    if (!(await page.evaluate(() => self.crossOriginIsolated))) throw new Error("the bench page is not cross-origin isolated");
    const result = await fn(page);
    if (page.errors.length) throw new Error(`page errors: ${page.errors.join("; ")}`);
    return result;
  } finally {
    await context.close();
  }
}

// ---- driver numbers checked against in-page timings ------------------------------------------
// Most rows are in-page performance.now() intervals already. The CPU rows come from the driver
// (Performance.getMetrics read before and after an evaluate); they are checked against the
// in-page wall time of the same work: the main thread cannot run longer than the wall time it was
// measured over (plus CPU_SLACK_MS for the evaluate and the two reads outside the in-page window),
// and the synchronous emit loop is main-thread work throughout, so its CPU time is at least
// CPU_LOOP_SHARE of its wall time (the rest: the thread descheduled on a loaded machine).
// A disagreement prints a warning and lands in results.json `warnings`; it is not a failure.
const CPU_WALL_FACTOR = 1.1;
const CPU_SLACK_MS = 10;
const CPU_LOOP_SHARE = 0.5;
const WARNINGS = [];
let CURRENT = ""; // "round 2/5 emit ours", for the warnings
function warn(text) {
  WARNINGS.push({ at: CURRENT, warning: text });
  console.error(`warning (${CURRENT}): ${text}`);
}
/** Checks a driver CPU reading (`cpuMs`) against the in-page wall time it covers. */
function checkCpu(what, cpuMs, wallMs, loopMs) {
  const max = wallMs * CPU_WALL_FACTOR + CPU_SLACK_MS;
  if (cpuMs > max) warn(`${what}: driver CPU ${cpuMs.toFixed(1)} ms > in-page wall ${wallMs.toFixed(1)} ms × ${CPU_WALL_FACTOR} + ${CPU_SLACK_MS} ms`);
  if (loopMs !== undefined && cpuMs < loopMs * CPU_LOOP_SHARE)
    warn(`${what}: driver CPU ${cpuMs.toFixed(1)} ms < ${CPU_LOOP_SHARE} × in-page loop ${loopMs.toFixed(1)} ms`);
}

// Each metric: run(browser, server, client) -> { key: number } (one sample per key).
const METRICS = {
  rustApi: async (browser, server, client, cfg) => {
    if (client === "official") {
      const emit = await METRICS.emit(browser, server, client, cfg);
      const ack = await METRICS.ack(browser, server, client, cfg);
      return {
        rustEmitLoopUs: emit.emitLoopUs,
        rustEmitThroughputMs: emit.emitThroughputMs,
        rustAckMedianMs: ack.ackMedianMs,
        rustAckP99Ms: ack.ackP99Ms,
      };
    }
    if (!existsSync(join(HERE, "examples/bench-api/dist/bench_api_bg.wasm"))) {
      throw new Error("examples/bench-api/dist is missing: run bash scripts/build-examples.sh");
    }
    return withRustPage(browser, server, (page) =>
      page.evaluate(
        async ({ emits, acks }) => {
          const [loop, total] = await within(rust.emitBench(emits), 120000, "emitBench");
          const lat = await within(rust.ackBench(acks), 120000, "ackBench");
          const q = (p) => lat[Math.min(acks - 1, Math.floor(p * acks))];
          return {
            rustEmitLoopUs: (loop * 1000) / emits,
            rustEmitThroughputMs: total,
            rustAckMedianMs: q(0.5),
            rustAckP99Ms: q(0.99),
          };
        },
        { emits: cfg.emits, acks: cfg.acks },
      ),
    );
  },

  emit: async (browser, server, client, cfg) =>
    withPage(browser, server, client, async (page, context) => {
      const cpu = await mainThreadClock(page);
      await page.evaluate(
        async ({ n, WS }) => {
          window.socket = await connect(WS);
          await within(socket.emitWithAck("expect", n), 10000, "expect");
        },
        { n: cfg.emits, WS },
      );
      const before = await cpu();
      const r = await page.evaluate(async (n) => {
        const counted = new Promise((resolve) => socket.once("counted", resolve));
        const t0 = performance.now();
        for (let i = 0; i < n; i++) socket.emit("count", { i, text: "hello" });
        const t1 = performance.now();
        await within(counted, 120000, "counted");
        const t2 = performance.now();
        return { loop: t1 - t0, total: t2 - t0 };
      }, cfg.emits);
      const after = await cpu();
      checkCpu("emit CPU", after - before, r.total, r.loop);
      await page.evaluate(() => socket.disconnect());
      return {
        emitLoopUs: (r.loop * 1000) / cfg.emits,
        emitCpuUs: ((after - before) * 1000) / cfg.emits,
        emitThroughputMs: r.total,
      };
    }),

  receive: async (browser, server, client, cfg) =>
    withPage(browser, server, client, async (page, context) => {
      const cpu = await mainThreadClock(page);
      await page.evaluate(async (WS) => {
        window.socket = await connect(WS);
      }, WS);
      const before = await cpu();
      const ms = await page.evaluate(async (n) => {
        let count = 0;
        let bad = 0;
        let resolve;
        const done = new Promise((r) => (resolve = r));
        socket.on("item", (i, payload) => {
          if (payload.text !== "hello") bad++;
          if (++count === n) resolve(performance.now());
        });
        const t0 = performance.now();
        socket.emit("flood", { n, payload: { text: "hello", ok: true } });
        const t1 = await within(done, 120000, "flood");
        if (bad) throw new Error(`${bad} bad payloads`);
        return t1 - t0;
      }, cfg.receive);
      const after = await cpu();
      checkCpu("receive CPU", after - before, ms);
      await page.evaluate(() => socket.disconnect());
      return { receiveMs: ms, receiveCpuUs: ((after - before) * 1000) / cfg.receive };
    }),

  ack: async (browser, server, client, cfg) =>
    withPage(browser, server, client, (page) =>
      page.evaluate(
        async ({ n, WS }) => {
          const socket = await connect(WS);
          const lat = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const t = performance.now();
            const answer = await within(socket.emitWithAck("echo", i), 10000, "echo");
            lat[i] = performance.now() - t;
            if (answer !== i) throw new Error(`echo ${i} answered ${answer}`);
          }
          socket.disconnect();
          lat.sort();
          const q = (p) => lat[Math.min(n - 1, Math.floor(p * n))];
          return { ackMedianMs: q(0.5), ackP99Ms: q(0.99) };
        },
        { n: cfg.acks, WS },
      ),
    ),

  binary: async (browser, server, client, cfg) =>
    withPage(browser, server, client, (page) =>
      page.evaluate(
        async ({ bytes, iters, WS }) => {
          const socket = await connect(WS);
          const buf = new Uint8Array(bytes);
          for (let i = 0; i < bytes; i++) buf[i] = (i * 31) & 0xff;
          const check = (answer) => {
            const got = new Uint8Array(answer);
            if (got.length !== bytes || got[bytes - 1] !== buf[bytes - 1] || got[12345 % bytes] !== buf[12345 % bytes]) {
              throw new Error(`echo came back with ${got.length} bytes or different content`);
            }
          };
          check(await within(socket.emitWithAck("echo", buf), 30000, "binary echo (warm-up)"));
          const times = [];
          for (let k = 0; k < iters; k++) {
            const t = performance.now();
            const answer = await within(socket.emitWithAck("echo", buf), 30000, "binary echo");
            times.push(performance.now() - t);
            check(answer);
          }
          socket.disconnect();
          times.sort((a, b) => a - b);
          return { binaryEchoMs: times[Math.floor(times.length / 2)] };
        },
        { bytes: cfg.binaryBytes, iters: cfg.binaryIters, WS },
      ),
    ),

  polling: async (browser, server, client, cfg) =>
    withPage(browser, server, client, (page) =>
      page.evaluate(
        async ({ n, iters }) => {
          // The "/polling" server allows only polling: the handshake offers no upgrade.
          const socket = await connect({ path: "/polling" });
          const times = [];
          for (let k = 0; k < iters; k++) {
            await within(socket.emitWithAck("expect", n), 10000, "expect");
            const counted = new Promise((resolve) => socket.once("counted", resolve));
            const t0 = performance.now();
            for (let i = 0; i < n; i++) socket.emit("count", { i, text: "hello" });
            await within(counted, 120000, "counted (polling)");
            times.push(performance.now() - t0);
          }
          const transport = socket.io.engine.transport.name;
          socket.disconnect();
          if (transport !== "polling") throw new Error(`expected polling, ran on ${transport}`);
          times.sort((a, b) => a - b);
          return { pollingMs: times[Math.floor(times.length / 2)] };
        },
        { n: cfg.polling, iters: cfg.pollingIters },
      ),
    ),

  cold: async (browser, server, client, cfg) => {
    const imported = [];
    const connected = [];
    for (let k = 0; k < cfg.coldIters; k++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${server.url}/bench/pages/cold.html?client=${client}`);
        const r = await page.waitForFunction(() => window.coldStart, undefined, { timeout: 30000 });
        if (r.error) throw new Error(`cold start: ${r.error}`);
        imported.push(r.imported);
        connected.push(r.connected);
      } finally {
        await context.close();
      }
    }
    return { coldImportMs: median(imported), coldConnectMs: median(connected) };
  },

  memory: async (browser, server, client, cfg) =>
    withPage(browser, server, client, async (page) => {
      const measure = async () => {
        await page.send("HeapProfiler.collectGarbage");
        await page.send("HeapProfiler.collectGarbage");
        const heap = await page.send("Runtime.getHeapUsage");
        const { wasmMemory, wasmHeap } = await page.evaluate(() => wasmMemoryStats());
        return { heap: heap.usedSize, wasm: wasmMemory, wasmHeap };
      };
      await page.evaluate(async (WS) => {
        window.socket = await connect(WS);
      }, WS);
      const connected = await measure();
      await page.evaluate(async (n) => {
        await within(socket.emitWithAck("expect", n), 10000, "expect");
        const held = new Promise((resolve) => socket.once("held", resolve));
        window.answered = 0;
        for (let i = 0; i < n; i++) socket.emit("hold", i, () => window.answered++);
        await within(held, 120000, "held");
      }, cfg.memory);
      const pending = await measure();
      await page.evaluate(async (n) => {
        let resolve;
        const all = new Promise((r) => (resolve = r));
        const poll = () => (window.answered === n ? resolve() : setTimeout(poll, 5));
        socket.emit("release");
        poll();
        await within(all, 120000, "release");
      }, cfg.memory);
      const released = await measure();
      await page.evaluate(() => socket.disconnect());
      return {
        heapConnected: connected.heap,
        heapPending: pending.heap,
        heapReleased: released.heap,
        wasmConnected: connected.wasm,
        wasmPending: pending.wasm,
        wasmReleased: released.wasm,
        wasmHeapPending: pending.wasmHeap,
        wasmHeapReleased: released.wasmHeap,
        totalPending: pending.heap + pending.wasm,
        totalReleased: released.heap + released.wasm,
      };
    }),
};

// The rows of the table, in order: [metric, key, label, unit, format].
const MiB = (b) => (b / 1048576).toFixed(2);
const ms = (x) => x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0);
const ROWS = [
  ["emit", "emitLoopUs", () => `emit: wall time of the synchronous loop per emit (${fmtN(CONFIG.emits)})`, "µs", (x) => x.toFixed(2)],
  ["emit", "emitCpuUs", () => "emit: page main-thread CPU per emit, until all counted", "µs", (x) => x.toFixed(2)],
  ["emit", "emitThroughputMs", () => `emit throughput: ${fmtN(CONFIG.emits)} emits until server counted all`, "ms", ms],
  ["receive", "receiveMs", () => `receive: ${fmtN(CONFIG.receive)} server events to the listener`, "ms", ms],
  ["receive", "receiveCpuUs", () => "receive: page main-thread CPU per event", "µs", (x) => x.toFixed(2)],
  ["ack", "ackMedianMs", () => `ack round trip, median of ${fmtN(CONFIG.acks)} sequential`, "ms", (x) => x.toFixed(3)],
  ["ack", "ackP99Ms", () => `ack round trip, p99 of ${fmtN(CONFIG.acks)} sequential`, "ms", (x) => x.toFixed(3)],
  ["rustApi", "rustEmitLoopUs", () => `Rust API emit: wall time of the synchronous loop per emit (${fmtN(CONFIG.emits)})`, "µs", (x) => x.toFixed(2)],
  ["rustApi", "rustEmitThroughputMs", () => `Rust API emit throughput: ${fmtN(CONFIG.emits)} emits until server counted all`, "ms", ms],
  ["rustApi", "rustAckMedianMs", () => `Rust API ack round trip, median of ${fmtN(CONFIG.acks)} sequential`, "ms", (x) => x.toFixed(3)],
  ["rustApi", "rustAckP99Ms", () => `Rust API ack round trip, p99 of ${fmtN(CONFIG.acks)} sequential`, "ms", (x) => x.toFixed(3)],
  ["binary", "binaryEchoMs", () => `${MiB(CONFIG.binaryBytes)} MiB binary echo (ack)`, "ms", ms],
  ["polling", "pollingMs", () => `long-polling: ${fmtN(CONFIG.polling)} emits until counted (WebSocket refused)`, "ms", ms],
  ["cold", "coldImportMs", () => "cold start: navigation to client module ready", "ms", ms],
  ["cold", "coldConnectMs", () => "cold start: navigation to `connect`", "ms", ms],
  ["memory", "heapConnected", () => "JS heap, connected", "MiB", MiB],
  ["memory", "heapPending", () => `JS heap, ${fmtN(CONFIG.memory)} acked emits pending`, "MiB", MiB],
  ["memory", "heapReleased", () => `JS heap, after the ${fmtN(CONFIG.memory)} acks answered`, "MiB", MiB],
  ["memory", "wasmConnected", () => "wasm memory, connected", "MiB", MiB],
  ["memory", "wasmPending", () => `wasm memory, ${fmtN(CONFIG.memory)} acks pending`, "MiB", MiB],
  ["memory", "wasmReleased", () => "wasm memory, after answered (never shrinks)", "MiB", MiB],
  ["memory", "wasmHeapPending", () => `wasm heap in use, ${fmtN(CONFIG.memory)} acks pending`, "MiB", MiB],
  ["memory", "wasmHeapReleased", () => "wasm heap in use, after answered", "MiB", MiB],
  ["memory", "totalPending", () => `JS heap + wasm, ${fmtN(CONFIG.memory)} acks pending`, "MiB", MiB],
  ["memory", "totalReleased", () => "JS heap + wasm, after answered", "MiB", MiB],
];
function fmtN(n) {
  return n.toLocaleString("en-US");
}

function median(xs) {
  const s = xs.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---- machine info ------------------------------------------------------------------------------

function gitState() {
  if (process.env.BENCH_COMMIT) return { commit: process.env.BENCH_COMMIT, dirtySrcOrJs: false, codeRoot: ROOT };
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "js"], { cwd: ROOT }).toString().trim() !== "";
    return { commit, dirtySrcOrJs: dirty };
  } catch {
    return {};
  }
}

function version(pkg) {
  try {
    return JSON.parse(readFileSync(join(HERE, "node_modules", pkg, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

function machine(browser) {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: `${cpus.length} × ${cpus[0]?.model?.trim() ?? "?"}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    chromium: browser.version(),
    "socket.io": version("socket.io"),
    "socket.io-client": version("socket.io-client"),
    driver: "bare CDP pipe (bench/cdp.mjs), Network domain never enabled",
    ...gitState(),
  };
}

// ---- the run -----------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const active = Object.keys(METRICS).filter((m) => !ONLY || ONLY.has(m));
  if (!existsSync(join(ROOT, "pkg/socketio_wasm_bg.wasm"))) throw new Error("pkg/ missing: run bash scripts/build.sh");
  const server = await startServer();
  const browser = await launch();
  const samples = {}; // key -> { official: [per round], ours: [per round] }
  const errors = [];
  const loadavg = { start: os.loadavg() };
  try {
    const total = CONFIG.warmup + CONFIG.rounds;
    for (let r = 0; r < total; r++) {
      const warm = r < CONFIG.warmup;
      const order = (r - CONFIG.warmup) % 2 === 0 ? CLIENTS : [...CLIENTS].reverse();
      const label = warm ? `warm-up ${r + 1}` : `round ${r - CONFIG.warmup + 1}/${CONFIG.rounds}`;
      const t = Date.now();
      const index = r - CONFIG.warmup;
      const due = active.filter((m) => m !== "memory" || (!warm && index < CONFIG.memoryRounds));
      for (const metric of due) {
        for (const client of order) {
          const tm = Date.now();
          CURRENT = `${label} ${metric} ${client}`;
          try {
            const result = await METRICS[metric](browser, server, client, warm ? WARMUP_CONFIG : CONFIG);
            if (process.env.BENCH_VERBOSE) console.error(`  ${label} ${metric} ${client}: ${Date.now() - tm} ms ${JSON.stringify(result)}`);
            if (warm) continue;
            for (const [key, value] of Object.entries(result)) {
              samples[key] ??= { official: [], ours: [] };
              samples[key][client][index] = value; // by round; a failed measurement leaves a hole (null)
            }
          } catch (e) {
            errors.push({ round: label, metric, client, error: String(e?.message ?? e) });
            console.error(`  ${label} ${metric} ${client}: ${e?.message ?? e}`);
          }
        }
      }
      console.error(`${label} (${order.join(", ")}) done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    loadavg.end = os.loadavg();

    const rows = ROWS.filter(([m, key]) => active.includes(m) && samples[key]).map(([metric, key, label, unit, fmt]) => {
      const official = median(samples[key].official);
      const ours = median(samples[key].ours);
      const ratio = official !== undefined && ours !== undefined && ours > 0 && official > 0 ? official / ours : undefined;
      // Paired by round (both clients ran back to back): in how many rounds ours was lower.
      const pairs = samples[key].official.map((o, i) => [o, samples[key].ours[i]]).filter(([o, u]) => typeof o === "number" && typeof u === "number");
      const oursBetter = `${pairs.filter(([o, u]) => u < o).length}/${pairs.length}`;
      return { metric, key, label: label(), unit, official, ours, ratio, oursBetter, fmt };
    });
    const size = sizes(ROOT);
    const info = machine(browser);
    const date = new Date().toISOString();
    const durationS = Math.round((Date.now() - started) / 1000);

    const table = markdownTable(rows);
    console.log(`\nsocketio-wasm vs socket.io-client ${info["socket.io-client"]} — ${date}`);
    console.log(`${info.cpus}, ${info.os}, node ${info.node}, Chromium ${info.chromium}`);
    console.log(`${CONFIG.rounds} rounds (+${CONFIG.warmup} warm-up; memory: ${Math.min(CONFIG.memoryRounds, CONFIG.rounds)}), medians; ratio = official / ours (> 1: ours is better)\n`);
    console.log(table);
    console.log("\nsize (bytes)\n");
    console.log(sizeTable(size));
    if (errors.length) console.log(`\n${errors.length} measurement(s) failed; see errors in ${RESULTS}`);
    for (const w of WARNINGS) console.log(`warning (${w.at}): ${w.warning}`);
    if (!WARNINGS.length) console.log(`\nin-page check: every driver CPU reading within its in-page wall time (× ${CPU_WALL_FACTOR} + ${CPU_SLACK_MS} ms; emit loop ≥ ${CPU_LOOP_SHARE} × its wall time)`);
    console.log(`\n${durationS} s; load average ${loadavg.start.map((x) => x.toFixed(2)).join(" ")} -> ${loadavg.end.map((x) => x.toFixed(2)).join(" ")}`);

    const results = {
      date,
      durationS,
      machine: info,
      loadavg,
      config: CONFIG,
      convention: "every metric is lower-is-better; ratio = official median / ours median, > 1 means ours is better",
      method:
        "fresh browser context per measurement; per round every metric runs for both clients back to back, order flipping each round; samples are one value per round",
      table: rows.map(({ fmt, ...r }) => r),
      samples,
      size,
      errors,
      warnings: WARNINGS,
    };
    writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");
    console.log(`wrote ${RESULTS}`);
    if (UPDATE_MD) updateMarkdown({ table, size, info, date, durationS, loadavg });
    if (errors.length) process.exitCode = 1;
  } finally {
    await browser.close();
    server.stop();
  }
}

function markdownTable(rows) {
  const lines = [
    "| metric | unit | socket.io-client | socketio-wasm | ratio (official / ours, > 1: ours better) | rounds ours lower |",
    "|---|---|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const f = (x) => (x === undefined ? "–" : r.fmt(x));
    const ratio = r.ratio === undefined ? "–" : `${r.ratio.toFixed(2)}×`;
    lines.push(`| ${r.label} | ${r.unit} | ${f(r.official)} | ${f(r.ours)} | ${ratio} | ${r.oursBetter} |`);
  }
  return lines.join("\n");
}

const HEADING = "## Client against socket.io-client (npm run bench)";
const BEGIN = "<!-- bench/run.mjs --update-md: begin (generated, do not edit by hand) -->";
const END = "<!-- bench/run.mjs --update-md: end -->";

/** Rewrites only the generated block of our section of BENCHMARKS.md (between BEGIN and END);
 *  adds the section (at the end) or the block (after the heading) when missing. The prose around
 *  it and every other section are kept. */
function updateMarkdown({ table, size, info, date, durationS, loadavg }) {
  const path = join(HERE, "BENCHMARKS.md");
  const block = [
    BEGIN,
    `Latest run: ${date.slice(0, 10)}, ${info.cpus}, ${info.memory}, ${info.os}, node ${info.node}, ` +
      `Chromium ${info.chromium} (headless), socket.io ${info["socket.io"]} server, ` +
      `socket.io-client ${info["socket.io-client"]}, commit ${info.commit}` +
      `${info.dirtySrcOrJs ? " with uncommitted src/ or js/ changes" : ""}; ` +
      `${CONFIG.rounds} rounds + ${CONFIG.warmup} warm-up (memory: the first ${Math.min(CONFIG.memoryRounds, CONFIG.rounds)}), medians, ${durationS} s, 1-minute load average ` +
      `${loadavg.start[0].toFixed(1)} at the start, ${loadavg.end[0].toFixed(1)} at the end.`,
    "",
    table,
    "",
    "Size of what the browser downloads (bytes; `node bench/size.mjs`):",
    "",
    sizeTable(size),
    END,
  ].join("\n");
  let text = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin >= 0 && end > begin) {
    text = text.slice(0, begin) + block + text.slice(end + END.length);
  } else if (text.includes(HEADING)) {
    const at = text.indexOf(HEADING) + HEADING.length;
    text = text.slice(0, at) + "\n\n" + block + "\n" + text.slice(at).replace(/^\n+/, "\n");
  } else {
    text = text.replace(/\n*$/, "\n\n") + HEADING + "\n\n" + block + "\n";
  }
  writeFileSync(path, text);
  console.log(`updated the generated block of "${HEADING}" in BENCHMARKS.md`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
