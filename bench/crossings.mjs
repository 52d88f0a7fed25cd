// How often the JS side and the WebAssembly call each other per operation: every import and
// export of our module is wrapped (a hook on `WebAssembly.instantiate*` installed before the
// page's scripts), then one workload runs N times on a connected socket and the calls per
// operation are printed, by the short name (scripts/short-names.mjs; `grep -n "^NAME: function"
// pkg/socketio_wasm.js` for an import, `wasm.NAME(` for an export). Cold, a crossing costs more
// than the wasm work around it (BENCHMARKS.md, "What the cold rows are made of").
//   node bench/crossings.mjs [ack|emit|receive|binary]   (N=… [1000]; CODE_ROOT=DIR: another build)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./cdp.mjs";
import { spawnBenchServer } from "./spawn-server.mjs";

const HERE = join(dirname(fileURLToPath(import.meta.url)), "..");
const HOOK = `(() => {
  window.__calls = {};
  const count = (k) => (window.__calls[k] = (window.__calls[k] ?? 0) + 1);
  const wrapImports = (imports) => Object.fromEntries(Object.entries(imports).map(([mod, fns]) => [
    mod,
    Object.fromEntries(Object.entries(fns).map(([name, f]) => [name, typeof f !== "function" ? f : function (...a) {
      count("import " + name);
      return f.apply(this, a);
    }])),
  ]));
  const wrapResult = (r) => {
    const instance = r.instance ?? r;
    const exports = Object.fromEntries(Object.entries(instance.exports).map(([name, v]) => [name, typeof v !== "function" ? v : (...a) => {
      count("export " + name);
      return v(...a);
    }]));
    return r.instance ? { instance: { exports }, module: r.module } : { exports };
  };
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = (source, imports) => original.call(WebAssembly, source, wrapImports(imports)).then(wrapResult);
  }
})();`;

const what = process.argv[2] ?? "ack";
const server = await spawnBenchServer({ root: HERE, codeRoot: process.env.CODE_ROOT ?? HERE });
const browser = await launch();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.send("Page.addScriptToEvaluateOnNewDocument", { source: HOOK });
  await page.goto(`${server.url}/bench/pages/blank.html?client=ours`);
  await page.evaluate(() => window.ready);
  const rows = await page.evaluate(
    async ({ what, n }) => {
      const socket = await connect({ transports: ["websocket"] });
      await socket.emitWithAck("expect", n);
      const big = new Uint8Array(1 << 20);
      const workloads = {
        ack: async () => {
          for (let i = 0; i < n; i++) await socket.emitWithAck("echo", i);
        },
        emit: async () => {
          const counted = new Promise((resolve) => socket.once("counted", resolve));
          for (let i = 0; i < n; i++) socket.emit("count", { i });
          await counted;
        },
        receive: async () => {
          const all = new Promise((resolve) => {
            let seen = 0;
            socket.on("item", () => ++seen === n && resolve());
          });
          socket.emit("flood", { n, payload: { text: "hello" } });
          await all;
        },
        binary: async () => {
          for (let i = 0; i < n; i++) await socket.emitWithAck("echo", big);
        },
      };
      if (!workloads[what]) throw new Error(`ack|emit|receive|binary expected, got ${what}`);
      window.__calls = {};
      await within(workloads[what](), 60000, what);
      return Object.entries(window.__calls).map(([k, v]) => [k, v / n]).sort((a, b) => b[1] - a[1]);
    },
    { what, n: Number(process.env.N ?? (what === "binary" ? 10 : 1000)) },
  );
  const total = rows.reduce((sum, [, v]) => sum + v, 0);
  console.log(`${what}: ${total.toFixed(2)} crossings per operation`);
  for (const [k, v] of rows) if (v >= 0.01) console.log(`${v.toFixed(2).padStart(8)}  ${k}`);
} finally {
  await browser.close();
  server.stop();
}
