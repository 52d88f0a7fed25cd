// The client's own cost of receiving one event, timed in a page: the server's frames are
// replayed as `message` events on the client's WebSocket (20,000 per part, ROUNDS rounds [6];
// the first is cold, the last line the best of the others), so neither the network nor the
// server is in the interval.
//   node bench/receive-parts.mjs [ours|official]   (CODE_ROOT=DIR: the build of another checkout)
// Parts: `dispatch` (a bare listener on an EventTarget: the browser's share), `event`
// (an EVENT `["item", i, {text, ok}]` to one listener), `binary` (a BINARY_EVENT with one
// 16-byte attachment), `ackEvent` (an EVENT with an ack id, the ack function unused), `large`
// (an EVENT of 10 KB of JSON).
import { runParts } from "./parts.mjs";

await runParts(async (n) => {
  const out = {};
  // Until the n-th event reached its listener (the official client delivers a packet in a
  // microtask after its frame, ours in the frame's listener).
  let count = 0;
  let reached = () => {};
  const f = () => ++count % n === 0 && reached();
  const time = async (name, replay) => {
    const done = new Promise((resolve) => (reached = resolve));
    const t0 = performance.now();
    replay();
    if (name !== "dispatch") await within(done, 10000, name);
    out[name] = +(((performance.now() - t0) * 1000) / n).toFixed(3);
  };
  const replay = (frames) => {
    for (let i = 0; i < n; i++) ws.dispatchEvent(new MessageEvent("message", { data: frames[i % frames.length] }));
  };
  const texts = Array.from({ length: 64 }, (_, i) => `42/bench,["item",${i},{"text":"hello","ok":true}]`);
  const other = new EventTarget();
  let seen = 0;
  other.addEventListener("message", (e) => (seen += e.data.length));
  await time("dispatch", () => {
    for (let i = 0; i < n; i++) other.dispatchEvent(new MessageEvent("message", { data: texts[i % 64] }));
  });
  const counts = [];
  socket.on("item", f);
  await time("event", () => replay(texts));
  socket.off("item", f);
  counts.push(count);
  const acks = texts.map((t, i) => t.replace("bench,", `bench,${1000 + i}`));
  socket.on("item", f);
  await time("ackEvent", () => replay(acks));
  socket.off("item", f);
  counts.push(count);
  // A 10 KB event (50 objects): where copying the JSON into the wasm shows.
  const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ["a", "b"], score: i * 1.5, text: "lorem ipsum dolor sit amet ".repeat(6) }));
  const big = Array.from({ length: 8 }, (_, i) => `42/bench,${JSON.stringify(["item", i, rows])}`);
  out.largeBytes = big[0].length;
  socket.on("item", f);
  await time("large", () => replay(big));
  socket.off("item", f);
  counts.push(count);
  socket.on("bin", f);
  const bin = new Uint8Array(16).buffer;
  const head = '451-/bench,["bin",{"_placeholder":true,"num":0}]';
  await time("binary", () => {
    for (let i = 0; i < n; i++) {
      ws.dispatchEvent(new MessageEvent("message", { data: head }));
      ws.dispatchEvent(new MessageEvent("message", { data: bin }));
    }
  });
  socket.off("bin", f);
  counts.push(count);
  out.received = count === 4 * n ? "all" : counts.join(",");
  return out;
});
