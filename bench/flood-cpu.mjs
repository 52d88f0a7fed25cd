// The receive row's cold and warm costs apart: in one page per client, four floods of 20,000
// server events in a row, each with the page's main-thread task and script time per event
// (CDP Performance.getMetrics TaskDuration, ScriptDuration). The first flood is what the bench
// measures (a fresh page); the others show the same code once it is warm.
//   node bench/flood-cpu.mjs            (CLIENTS=ours,official,... the pages, in order;
//                                         CODE_ROOT=DIR: our build of another checkout)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./cdp.mjs";
import { spawnBenchServer } from "./spawn-server.mjs";

const HERE = join(dirname(fileURLToPath(import.meta.url)), "..");
const server = await spawnBenchServer({ root: HERE, codeRoot: process.env.CODE_ROOT ?? HERE });
const browser = await launch();
const metrics = async (page) => Object.fromEntries((await page.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
const n = 20000;
try {
  for (const client of (process.env.CLIENTS ?? "ours,official,ours,official").split(",")) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/bench/pages/blank.html?client=${client}`);
    await page.evaluate(() => window.ready);
    await page.send("Performance.enable");
    await page.evaluate(async () => {
      window.socket = await connect({ transports: ["websocket"] });
    });
    const floods = [];
    for (let r = 0; r < 4; r++) {
      const before = await metrics(page);
      const ms = await page.evaluate(async (n) => {
        let count = 0;
        const t0 = performance.now();
        await within(
          new Promise((resolve) => {
            const f = () => ++count === n && (socket.off("item", f), resolve());
            socket.on("item", f);
            socket.emit("flood", { n, payload: { text: "hello", ok: true } });
          }),
          30000,
          "flood",
        );
        return performance.now() - t0;
      }, n);
      const after = await metrics(page);
      const us = (k) => (((after[k] - before[k]) * 1e6) / n).toFixed(2);
      floods.push(`${ms.toFixed(0)} ms, task ${us("TaskDuration")} µs, script ${us("ScriptDuration")} µs`);
    }
    console.log(`${client.padEnd(9)} ${floods.join(" | ")}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}
