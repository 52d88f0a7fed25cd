// The parser benchmark (see BENCHMARKS.md). Runs, in one process and on the same cases:
//   - the official socket.io-parser and engine.io-parser (pinned in package.json),
//   - our codecs natively (target/release/parser-bench, fed the same cases),
//   - our codecs as wasm under Node (pkg/, built by run.sh): the loop inside wasm, and one call
//     per operation from JS (what a browser client pays at the JS/wasm boundary), and for the
//     Socket.IO rows also with the JSON.stringify / JSON.parse the JS side does around it.
// Prints a Markdown table and writes results/results.json.
//
//   node bench.js [--quick]
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync } = require("child_process");
const sio = require("socket.io-parser");
const eio = require("engine.io-parser");

const QUICK = process.argv.includes("--quick");
const BATCH_SECONDS = QUICK ? 0.01 : 0.02;
const SAMPLES = QUICK ? 3 : 15;
const NATIVE_RUNS = QUICK ? 1 : 3;
const ONLY = process.env.BENCH_ONLY || ""; // run only the rows whose name contains this
const here = __dirname;
const results = path.join(here, "results");
fs.mkdirSync(results, { recursive: true });

// ---- The cases --------------------------------------------------------------------------------
// The four cases of socket.io-parser's benchmark (bench/index.js in its repository): the same
// objects, with an event name first since v5 decoders reject an EVENT whose first element is not
// a name, and a 1 KiB buffer in the small-binary case.
const dataObject = {
  a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
  b: "xxxyyyzzzalsdfalskdjfalksdjfalksdjfalksdjfjjfjfjfjjfjfjfj",
  data: { is: "cool", or: { is: { it: true } } },
};
const bigArray = Array.from({ length: 250 }, () => dataObject);
const fill = (n) => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));
const socketCases = [
  { name: "small json", data: ["message", dataObject] },
  { name: "big json (250 objects)", data: ["message", bigArray] },
  { name: "json + 1 KiB binary", data: ["message", { a: [1, 2, 3], b: "xxxyyyzzz", data: fill(1024) }] },
  {
    name: "big binary (3 × 10 kB + 250 objects)",
    data: ["message", { bin1: fill(10000), arr: bigArray, bin2: fill(10000), bin3: fill(10000) }],
  },
].map((c) => {
  const packet = { type: sio.PacketType.EVENT, nsp: "/bench", data: c.data };
  const encoded = new sio.Encoder().encode(packet);
  return { ...c, packet, encoded, text: encoded[0], buffers: encoded.slice(1) };
});
fs.writeFileSync(
  path.join(results, "cases.json"),
  JSON.stringify({
    socket: socketCases.map((c) => ({ name: c.name, text: c.text, attachments: c.buffers.map((b) => b.length) })),
  }),
);

// ---- Timing ----------------------------------------------------------------------------------
// Each row's implementations are measured interleaved, so that a change in machine load hits
// them alike: warm each up, calibrate a batch to about BATCH_SECONDS, then take SAMPLES rounds of
// one batch each, in turn, and keep each one's best batch (as Python's timeit does: other work
// on the machine only ever slows a batch down). run(n) performs n operations.
let sink = 0;
// CPU time of this process rather than wall time: on a shared machine, time spent waiting for
// a core is not counted against whoever was waiting.
const now = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
function measureAll(impls) {
  const batch = {};
  for (const [key, run] of Object.entries(impls)) {
    const warmUntil = now() + (QUICK ? 0.05 : 0.2);
    while (now() < warmUntil) sink ^= run(16) | 0;
    let n = 1;
    for (;;) {
      const t = now();
      sink ^= run(n) | 0;
      if (now() - t > BATCH_SECONDS || n >= 2 ** 30) break;
      n *= 2;
    }
    batch[key] = n;
  }
  const rates = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  for (let s = 0; s < SAMPLES; s++) {
    for (const [key, run] of Object.entries(impls)) {
      const t = now();
      sink ^= run(batch[key]) | 0;
      rates[key].push(batch[key] / (now() - t));
    }
  }
  return Object.fromEntries(Object.entries(rates).map(([k, r]) => [k, Math.max(...r)]));
}
const loop = (op) => (n) => {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += op();
  return acc;
};

// ---- The official parsers ----------------------------------------------------------------------
function officialSocket(c) {
  const encoder = new sio.Encoder();
  const decoder = new sio.Decoder();
  let decoded = 0;
  decoder.on("decoded", () => decoded++);
  return {
    encode: loop(() => encoder.encode(c.packet).length),
    decode: loop(() => {
      for (const part of c.encoded) decoder.add(part);
      return decoded;
    }),
  };
}
const bin4 = Buffer.from([1, 2, 3, 4]);
const engineRows = [
  // [name, official, wasm per call] (names as in src/lib.rs ENGINE_OPS)
  ["eio encode packet (string)", () => {
    let out;
    eio.encodePacket({ type: "message", data: "test" }, true, (s) => (out = s));
    return out.length;
  }, (w) => () => w.eio_encode_packet("test").length],
  ["eio encode payload (string)", () => {
    let out;
    eio.encodePayload([{ type: "message", data: "test1" }, { type: "message", data: "test2" }], (s) => (out = s));
    return out.length;
  }, (w) => () => w.eio_encode_payload(["test1", "test2"]).length],
  ["eio encode payload (string + binary)", () => {
    let out;
    eio.encodePayload([{ type: "message", data: "test" }, { type: "message", data: bin4 }], (s) => (out = s));
    return out.length;
  }, (w) => () => w.eio_encode_payload_binary("test", bin4).length],
  ["eio decode packet (string)", () => eio.decodePacket("4test").data.length,
    (w) => () => w.eio_decode_packet("4test").length],
  ["eio decode payload (string)", () => eio.decodePayload("4test1\x1e4test2").length,
    (w) => () => w.eio_decode_payload("4test1\x1e4test2").length],
  ["eio decode payload (string + binary)", () => eio.decodePayload("4test1\x1ebAQIDBA==").length,
    (w) => () => w.eio_decode_payload("4test1\x1ebAQIDBA==").length],
];

// ---- The JS side of our client, around the wasm codec (for the "+ JSON in JS" column) ---------
function deconstruct(value, buffers) {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    buffers.push(value);
    return { _placeholder: true, num: buffers.length - 1 };
  }
  if (Array.isArray(value)) return value.map((v) => deconstruct(v, buffers));
  if (value && typeof value === "object") {
    const out = {};
    for (const k of Object.keys(value)) out[k] = deconstruct(value[k], buffers);
    return out;
  }
  return value;
}
function reconstruct(value, buffers) {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reconstruct(value[i], buffers);
    return value;
  }
  if (value && typeof value === "object") {
    if (value._placeholder === true) return buffers[value.num];
    for (const k of Object.keys(value)) value[k] = reconstruct(value[k], buffers);
  }
  return value;
}
function hasBinary(value) {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return true;
  if (Array.isArray(value)) return value.some(hasBinary);
  if (value && typeof value === "object") return Object.keys(value).some((k) => hasBinary(value[k]));
  return false;
}

// ---- Run -------------------------------------------------------------------------------------
function loadWasm() {
  const file = path.join(here, "pkg", "socketio_wasm_parser_bench.js");
  if (!fs.existsSync(file)) {
    console.error("no wasm build in pkg/ (run.sh builds it): skipping the wasm columns");
    return null;
  }
  return require(file);
}
function runNative() {
  const bin = path.join(here, "target", "release", "parser-bench");
  if (!fs.existsSync(bin)) {
    console.error("no native build (run.sh builds it): skipping the native column");
    return {};
  }
  const runs = {};
  for (let r = 0; r < NATIVE_RUNS; r++) {
    const out = JSON.parse(
      execFileSync(bin, [path.join(results, "cases.json")], { encoding: "utf8", env: { ...process.env, BENCH_ONLY: ONLY } }),
    );
    for (const row of out.rows) (runs[row.name] ??= []).push(row.ops_per_sec);
  }
  return Object.fromEntries(Object.entries(runs).map(([name, rates]) => [name, Math.max(...rates)]));
}

// Native first, alone, so that it does not share the CPU with this process's JIT and GC.
const native = runNative();
const wasm = loadWasm();
const rows = [];
socketCases.forEach((c, index) => {
  const official = officialSocket(c);
  let wasmIndex = -1;
  if (wasm) wasmIndex = wasm.add_case(c.name, c.text, Uint32Array.from(c.buffers.map((b) => b.length)));
  for (const verb of ["encode", "decode"]) {
    const name = `sio ${verb} ${c.name}`;
    if (!name.includes(ONLY)) continue;
    const enc = verb === "encode";
    const impls = { official: official[verb] };
    if (wasm) {
      const attachments = c.buffers.length;
      const data = c.text.slice(c.text.indexOf("["));
      impls.wasm_loop = (n) => wasm.run_socket(wasmIndex, enc, n);
      impls.wasm_call = enc
        ? loop(() => wasm.sio_encode("/bench", attachments, data).length)
        : loop(() => {
            let got = wasm.sio_decode_text(c.text);
            for (const b of c.buffers) got = wasm.sio_decode_binary(b);
            return got.length;
          });
      impls.wasm_json = enc
        ? loop(() => {
            // What the JS side does: find binaries, replace them, stringify, encode.
            const p = c.packet;
            if (hasBinary(p.data)) {
              const buffers = [];
              const json = JSON.stringify(deconstruct(p.data, buffers));
              return wasm.sio_encode(p.nsp, buffers.length, json).length + buffers.length;
            }
            return wasm.sio_encode(p.nsp, 0, JSON.stringify(p.data)).length;
          })
        : loop(() => {
            let got = wasm.sio_decode_text(c.text);
            for (const b of c.buffers) got = wasm.sio_decode_binary(b);
            const value = JSON.parse(got);
            return c.buffers.length ? reconstruct(value, c.buffers).length : value.length;
          });
    }
    rows.push({ name, native: native[name] ?? null, ...measureAll(impls) });
    void index;
  }
});
engineRows.forEach(([name, official, perCall], i) => {
  if (!name.includes(ONLY)) return;
  const impls = { official: loop(official) };
  if (wasm) {
    impls.wasm_loop = (n) => wasm.run_engine(i, n);
    impls.wasm_call = loop(perCall(wasm));
  }
  rows.push({ name, native: native[name] ?? null, ...measureAll(impls) });
});

// ---- Report ----------------------------------------------------------------------------------
const fmt = (x) => (x == null ? "–" : x >= 1e6 ? (x / 1e6).toFixed(2) + " M" : x >= 1e3 ? (x / 1e3).toFixed(1) + " k" : x.toFixed(0));
const vs = (x, base) => (x == null ? "–" : `${fmt(x)} (${(x / base).toFixed(x / base >= 10 ? 0 : 1)}×)`);
const lines = [
  "| case | official (Node) | Rust native | wasm, loop in wasm | wasm, one call per op from JS | wasm call + JSON in JS |",
  "|---|---:|---:|---:|---:|---:|",
];
for (const r of rows) {
  lines.push(
    `| ${r.name} | ${fmt(r.official)} | ${vs(r.native, r.official)} | ${vs(r.wasm_loop, r.official)} | ${vs(r.wasm_call, r.official)} | ${r.wasm_json == null ? "–" : vs(r.wasm_json, r.official)} |`,
  );
}
const machine = {
  date: new Date().toISOString(),
  cpu: `${os.cpus()[0].model} (${os.cpus().length} cores)`,
  node: process.version,
  rustc: process.env.RUSTC_VERSION || "",
  wasm_profile: process.env.WASM_PROFILE || "",
  packages: Object.fromEntries(
    ["socket.io-parser", "engine.io-parser"].map((p) => [
      p,
      JSON.parse(fs.readFileSync(path.join(here, "node_modules", p, "package.json"), "utf8")).version,
    ]),
  ),
  quick: QUICK,
};
fs.writeFileSync(path.join(results, "results.json"), JSON.stringify({ machine, rows }, null, 2));
fs.writeFileSync(path.join(results, "table.md"), lines.join("\n") + "\n");
console.log(
  `ops/s (× = against the official parser); ${machine.cpu}; node ${machine.node}; ${machine.rustc}; wasm profile ${machine.wasm_profile}`,
);
console.log(lines.join("\n"));
if (sink === 0.5) console.log(sink);
