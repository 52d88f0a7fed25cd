#!/usr/bin/env node
// A sampling CPU profile of one bench scenario in headless Chromium (the bench's CDP pipe and
// server), for finding where a row's time goes: self time per function, largest first.
//
//   node bench/profile.mjs emit|receive|replay|ack|binary|polling [official|ours] [N]
// PROFILE_WARM=K runs the scenario K times before the profiled run (JIT and wasm tier-up done).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./cdp.mjs";
import { spawnBenchServer } from "./spawn-server.mjs";

const HERE = join(dirname(fileURLToPath(import.meta.url)), "..");
const [scenario = "emit", client = "ours", nArg] = process.argv.slice(2);
const n = Number(nArg ?? 20000);
const SCENARIOS = {
  // polling: the emit scenario over long-polling (the "/polling" server offers no upgrade).
  emit: async (n) => {
    const counted = new Promise((resolve) => socket.once("counted", resolve));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) socket.emit("count", { i, text: "hello" });
    const loop = performance.now() - t0;
    await counted;
    return { loopUs: (loop * 1000) / n, totalMs: performance.now() - t0 };
  },
  receive: async (n) => {
    let count = 0;
    const t0 = performance.now();
    await new Promise((resolve) => {
      const f = () => ++count === n && (socket.off("item", f), resolve());
      socket.on("item", f);
      socket.emit("flood", { n, payload: { text: "hello", ok: true } });
    });
    return { totalMs: performance.now() - t0 };
  },
  binary: async (n) => {
    const buf = new Uint8Array(1 << 20);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 31) & 0xff;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await socket.emitWithAck("echo", buf);
    return { perEchoMs: (performance.now() - t0) / n };
  },
  // replay: receive's frames replayed on the client's WebSocket (bench/receive-parts.mjs), so
  // the profile holds the client's work and little else.
  replay: async (n) => {
    let count = 0;
    const done = new Promise((resolve) => socket.on("item", () => ++count === n && resolve()));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) ws.dispatchEvent(new MessageEvent("message", { data: `42/bench,["item",${i & 63},{"text":"hello","ok":true}]` }));
    await done;
    socket.off("item");
    return { perEventUs: ((performance.now() - t0) * 1000) / n };
  },
  ack: async (n) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await socket.emitWithAck("echo", i);
    return { perAckMs: (performance.now() - t0) / n };
  },
};

const server = await spawnBenchServer({ root: HERE });
const browser = await launch();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/bench/pages/blank.html?client=${client}`);
  await page.evaluate(() => window.ready);
  await page.evaluate(async (polling) => {
    // The client's WebSocket, caught as it sends (for the replay scenario).
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      window.ws = this;
      return send.call(this, data);
    };
    window.socket = await connect(polling ? { path: "/polling" } : { transports: ["websocket"] });
    WebSocket.prototype.send = send;
  }, scenario === "polling");
  const counting = scenario === "emit" || scenario === "polling";
  const run = SCENARIOS[scenario === "polling" ? "emit" : scenario];
  if (!run) throw new Error(`unknown scenario ${scenario}`);
  for (let i = 0; i < Number(process.env.PROFILE_WARM ?? 0); i++) {
    if (counting) await page.evaluate((n) => socket.emitWithAck("expect", n), n);
    await page.evaluate(run, n);
  }
  if (counting) await page.evaluate((n) => socket.emitWithAck("expect", n), n);
  await page.send("Profiler.enable");
  await page.send("Profiler.setSamplingInterval", { interval: 50 });
  await page.send("Profiler.start");
  const result = await page.evaluate(run, n);
  const { profile } = await page.send("Profiler.stop");
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(JSON.stringify(result));
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(v / 1000).toFixed(1).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
  await context.close();
} finally {
  await browser.close();
  server.stop();
}
