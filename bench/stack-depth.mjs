// How deep the shipped wasm's stack goes: the high-water mark of its shadow stack over a workload
// that walks every path of the JS face (websocket and polling connects, the upgrade, emits and
// acks with nested JSON and binary, 1 MiB attachments, a flood of events, namespaces, a refused
// namespace, disconnects). The linker puts the stack first in the memory, growing down from its
// size (`-zstack-size`, scripts/build.sh) towards 0, and a fresh memory is zeros, so the lowest
// non-zero byte below the stack's top is as deep as it has been. A hook on
// `WebAssembly.instantiate*` installed before the page's scripts hands the memory to the page.
//   node bench/stack-depth.mjs            (R=… pages [2]; prints the deepest offset per page)
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./cdp.mjs";
import { spawnBenchServer } from "./spawn-server.mjs";

const HERE = join(dirname(fileURLToPath(import.meta.url)), "..");
const HOOK = `(() => {
  const keep = (result) => {
    const instance = result.instance ?? result;
    for (const v of Object.values(instance.exports)) if (v instanceof WebAssembly.Memory) window.__wasmMemory = v;
    return result;
  };
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(keep);
  }
})();`;

/** The stack's top: the initial value of the module's first global, the stack pointer
 *  (`i32.const N`; the linker places it first). */
function stackTop(wasm) {
  let at = 8;
  const leb = (signed) => {
    let value = 0, shift = 0, byte;
    do {
      byte = wasm[at++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return signed && shift < 32 && byte & 0x40 ? value | (-1 << shift) : value;
  };
  while (at < wasm.length) {
    const id = wasm[at++];
    const size = leb(false);
    if (id === 6) {
      leb(false); // the count of globals
      at += 2; // i32, mutable
      if (wasm[at++] !== 0x41) throw new Error("the first global does not start with i32.const");
      return leb(true);
    }
    at += size;
  }
  throw new Error("no global section");
}
const top = stackTop(readFileSync(join(HERE, "pkg/socketio_wasm_bg.wasm")));

const server = await spawnBenchServer({ root: HERE, codeRoot: HERE });
const browser = await launch();
try {
  for (let r = 0; r < Number(process.env.R ?? 2); r++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.send("Page.addScriptToEvaluateOnNewDocument", { source: HOOK });
    await page.goto(`${server.url}/bench/pages/blank.html?client=ours`);
    await page.evaluate(() => window.ready);
    const result = await page.evaluate(async () => {
      const nested = (depth) => {
        let v = { leaf: [1, "two", null, true, 3.5e10] };
        for (let i = 0; i < depth; i++) v = i % 2 ? [v, i] : { k: v, s: "é\u2028\"\\" };
        return v;
      };
      const deep = nested(120); // the placeholder scanner stops at 128 levels (protocol/json.rs)
      const big = new Uint8Array(1 << 20).fill(7);
      const steps = [];
      const step = async (name, fn) => {
        try {
          await within(fn(), 20000, name);
        } catch (e) {
          throw new Error(`${name}: ${e.message}`);
        }
        steps.push(name);
      };
      let socket;
      await step("websocket connect", async () => (socket = await connect({ transports: ["websocket"] })));
      await step("emits", async () => {
        await socket.emitWithAck("expect", 2000);
        const counted = new Promise((resolve) => socket.once("counted", resolve));
        for (let i = 0; i < 2000; i++) socket.emit("count", i, "x".repeat(i % 50), { i, deep: i % 100 ? null : deep });
        await counted;
      });
      await step("acks with nested JSON and binary", async () => {
        for (let i = 0; i < 50; i++) await socket.emitWithAck("echo", deep, [big.subarray(0, 100), { b: new Uint8Array(3) }], i);
      });
      await step("1 MiB attachment echo", () => socket.emitWithAck("echo", big, { again: big }));
      await step("receive flood", async () => {
        const seen = new Promise((resolve) => {
          let n = 0;
          socket.on("item", () => ++n === 3000 && resolve());
        });
        socket.emit("flood", { n: 3000, payload: { deep: nested(50), text: "ü".repeat(300) } });
        await seen;
      });
      await step("volatile, timeout, offAny", async () => {
        socket.volatile.emit("count", 1);
        await socket.timeout(5000).emitWithAck("echo", 1);
        socket.onAny(() => {});
        socket.offAny();
      });
      await step("disconnect", async () => socket.disconnect());
      await step("polling connect and upgrade", async () => {
        const s = await connect({});
        await within(new Promise((resolve) => (s.io.engine.transport.name === "websocket" ? resolve() : s.io.engine.once("upgrade", resolve))), 10000, "upgrade");
        await s.emitWithAck("echo", deep, big.subarray(0, 1000));
        s.disconnect();
      });
      await step("polling only", async () => {
        const s = await connect({ transports: ["polling"] });
        await s.emitWithAck("echo", deep, big.subarray(0, 5000));
        for (let i = 0; i < 200; i++) s.emit("count", i);
        s.disconnect();
      });
      await step("refused namespace", async () => {
        const s = window.io("/nowhere", { forceNew: true, reconnection: false });
        await new Promise((resolve) => s.once("connect_error", resolve));
        s.close();
      });
      const bytes = new Uint8Array(window.__wasmMemory.buffer);
      let lowest = 0;
      while (lowest < bytes.length && bytes[lowest] === 0) lowest++;
      return { steps: steps.length, lowest, memory: bytes.length };
    });
    console.log(`page ${r + 1}: ${result.steps} steps; lowest non-zero byte at ${result.lowest} of ${result.memory} (stack top ${top}: ${top - result.lowest} B deep)`);
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}
