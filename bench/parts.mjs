// What the in-page timing scripts (emit-parts.mjs, receive-parts.mjs) share: the bench server,
// one page with one client (`process.argv[2]`: ours [default] or official, CODE_ROOT=DIR for
// the build of another checkout) connected to /bench over WebSocket (its WebSocket in
// `window.ws`, its socket in `window.socket`), and ROUNDS [6] rounds of `round(n)` evaluated
// in the page. Prints each round's result (an object of numbers, µs per operation), then the
// best of the rounds after the first (which is cold).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./cdp.mjs";
import { spawnBenchServer } from "./spawn-server.mjs";

const HERE = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function runParts(round, n = 20000) {
  const server = await spawnBenchServer({ root: HERE, codeRoot: process.env.CODE_ROOT ?? HERE });
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/bench/pages/blank.html?client=${process.argv[2] ?? "ours"}`);
    await page.evaluate(() => window.ready);
    await page.evaluate(async () => {
      // The client's WebSocket, caught as it sends (the official client keeps its own
      // reference to the WebSocket class, so a replaced constructor would not see it).
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data) {
        window.ws = this;
        return send.call(this, data);
      };
      window.socket = await connect({ transports: ["websocket"] });
      WebSocket.prototype.send = send;
    });
    const rounds = Number(process.env.ROUNDS ?? 6);
    const best = {};
    for (let r = 0; r < rounds; r++) {
      const res = await page.evaluate(round, n);
      console.log(JSON.stringify(res));
      if (r === 0) continue;
      for (const [k, v] of Object.entries(res)) if (typeof v === "number") best[k] = Math.min(best[k] ?? Infinity, v);
    }
    console.log(`best of rounds 2-${rounds}: ${JSON.stringify(best)}`);
    await context.close();
  } finally {
    await browser.close();
    server.stop();
  }
}
