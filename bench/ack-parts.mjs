// The parts of one sequential ack round trip on fresh pages (as the bench's ack row: the first
// N [1000] acks of a new page), both clients alternating over R [4] pages each:
//   out  from `emitWithAck` to the WebSocket's `send`,
//   wire from `send` to the answer's `message` handler (network, server, the browser's delivery),
//   in   from that handler to the awaited answer.
// Prints median/mean in µs per page. The WebSocket's prototype is hooked before the client
// connects, so both clients' sends and message handlers are seen.
//   node bench/ack-parts.mjs          (N=…, R=…; CODE_ROOT=DIR: the build of another checkout)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./cdp.mjs";
import { spawnBenchServer } from "./spawn-server.mjs";

const HERE = join(dirname(fileURLToPath(import.meta.url)), "..");
const server = await spawnBenchServer({ root: HERE, codeRoot: process.env.CODE_ROOT ?? HERE });
const browser = await launch();
const rows = [];
try {
  for (let r = 0; r < Number(process.env.R ?? 4); r++) {
    for (const client of r % 2 ? ["ours", "official"] : ["official", "ours"]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/bench/pages/blank.html?client=${client}`);
      await page.evaluate(() => window.ready);
      const parts = await page.evaluate(async (n) => {
        const P = WebSocket.prototype;
        const at = { sent: 0, arrived: 0 };
        const send = P.send;
        P.send = function (data) {
          at.sent = performance.now();
          return send.call(this, data);
        };
        const timed = (fn) =>
          function (e) {
            at.arrived = performance.now();
            return typeof fn === "function" ? fn.call(this, e) : fn.handleEvent(e);
          };
        const onmessage = Object.getOwnPropertyDescriptor(P, "onmessage");
        Object.defineProperty(P, "onmessage", { configurable: true, get: onmessage.get, set(fn) { onmessage.set.call(this, timed(fn)); } });
        const addEventListener = EventTarget.prototype.addEventListener;
        P.addEventListener = function (type, fn, options) {
          return addEventListener.call(this, type, type === "message" ? timed(fn) : fn, options);
        };
        const socket = await connect({ transports: ["websocket"] });
        const parts = { out: [], wire: [], in: [], total: [] };
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          await socket.emitWithAck("echo", i);
          const t1 = performance.now();
          parts.out.push(at.sent - t0);
          parts.wire.push(at.arrived - at.sent);
          parts.in.push(t1 - at.arrived);
          parts.total.push(t1 - t0);
        }
        socket.disconnect();
        const us = (x) => Math.round(x * 1000);
        return Object.fromEntries(Object.entries(parts).map(([k, xs]) => {
          xs.sort((a, b) => a - b);
          return [k, `${us(xs[xs.length >> 1])}/${us(xs.reduce((a, b) => a + b, 0) / xs.length)}`];
        }));
      }, Number(process.env.N ?? 1000));
      rows.push({ client, ...parts });
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.stop();
}
console.log("µs, median/mean per page");
for (const row of rows.sort((a, b) => a.client.localeCompare(b.client))) console.log(JSON.stringify(row));
