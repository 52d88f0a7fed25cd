// The parts of one emit, timed in a page (20,000 each, six rounds; the first is cold):
// `socket.emit`, `JSON.stringify` alone, and the raw `emit` of a fixed JSON.
//   node bench/emit-parts.mjs [ours|official]   (CODE_ROOT=DIR: the build of another checkout;
//   ROUNDS=N rounds [6]; the last line is the best of rounds 2-N)
import { runParts } from "./parts.mjs";

await runParts(async (n) => {
  const out = {};
  const time = (name, f) => { const t0 = performance.now(); f(); out[name] = +(((performance.now() - t0) * 1000) / n).toFixed(3); };
  await socket.emitWithAck("expect", n);
  const counted = new Promise((resolve) => socket.once("counted", resolve));
  time("emit", () => { for (let i = 0; i < n; i++) socket.emit("count", { i, text: "hello" }); });
  await counted;
  time("stringify", () => { let s = 0; for (let i = 0; i < n; i++) s += JSON.stringify(["count", { i, text: "hello" }]).length; window.s = s; });
  const raw = socket.io && socket.io._raw;
  if (raw) {
    time("checkEmit", () => { for (let i = 0; i < n; i++) raw.checkEmit(JSON.stringify(["count", { i, text: "hello" }])); });
    time("takeError", () => { for (let i = 0; i < n; i++) raw.takeError(); });
    const js = JSON.stringify(["count", { i: 12345, text: "hello" }]);
    const tiny = '["a"]'; const long = JSON.stringify(["count", { i: 12345, text: "hello".repeat(40) }]);
    time("checkTiny", () => { for (let i = 0; i < n; i++) raw.checkEmit(tiny); });
    time("checkLong", () => { for (let i = 0; i < n; i++) raw.checkEmit(long); });
    time("checkFixed", () => { for (let i = 0; i < n; i++) raw.checkEmit(js); });
    await socket.emitWithAck("expect", n);
    const c2 = new Promise((resolve) => socket.once("counted", resolve));
    time("rawEmitFixed", () => { for (let i = 0; i < n; i++) raw.emit(socket._nsp, "count", js, undefined, 0, -1); });
    await c2;
    await socket.emitWithAck("expect", n);
    const c3 = new Promise((resolve) => socket.once("counted", resolve));
    time("faceEmitAgain", () => { for (let i = 0; i < n; i++) socket.emit("count", { i, text: "hello" }); });
    await c3;
  }
  return out;
});
