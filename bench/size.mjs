#!/usr/bin/env node
// What the browser downloads: our WebAssembly and the one JS module that loads it (the face,
// wasm-bindgen's glue and its snippet, bundled and minified by scripts/bundle.mjs), raw, gzip -9
// and brotli (quality 11), beside socket.io-client's socket.io.esm.min.js.
//
//   node bench/size.mjs               prints the table
//   node bench/size.mjs --json        prints it as JSON
//   node bench/size.mjs --check       fails (exit 1) if a file's raw size exceeds its budget in
//                                     bench/size-budget.json (wired into `npm test`)
//   node bench/size.mjs --set-budget  rewrites the budget to today's sizes rounded up to the next
//                                     KiB: the deliberate way to accept growth (commit the diff)
//
// Budgets are on raw bytes: they are deterministic for a given toolchain (rust-toolchain.toml,
// the wasm-bindgen and binaryen pins), while compressed sizes also depend on node's zlib.
// Needs a built pkg/ (scripts/build.sh).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BUDGET = join(ROOT, "bench/size-budget.json");
const OFFICIAL = "node_modules/socket.io-client/dist/socket.io.esm.min.js";
/** Our shipped files (what `npm pack` puts in front of the browser). */
const SHIPPED = ["pkg/socketio_wasm_bg.wasm", "pkg/index.js"];

/** Raw, gzip and brotli sizes of `path`. */
function measure(root, path) {
  const bytes = readFileSync(join(root, path));
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

/** `{ ours: [{file, raw, gzip, brotli}], total, official }` of the checkout at `root`; throws
 *  if its pkg/ is not built. */
export function sizes(root = ROOT) {
  const missing = SHIPPED.filter((p) => !existsSync(join(root, p)));
  if (missing.length) throw new Error(`missing ${missing.join(", ")}: run bash scripts/build.sh first`);
  const ours = SHIPPED.map((file) => ({ file, ...measure(root, file) }));
  const total = { file: "total (ours)", raw: 0, gzip: 0, brotli: 0 };
  for (const r of ours) for (const k of ["raw", "gzip", "brotli"]) total[k] += r[k];
  const official = { file: `socket.io-client ${OFFICIAL.split("/").pop()}`, ...measure(ROOT, OFFICIAL) };
  return { ours, total, official };
}

const kib = (n) => (n / 1024).toFixed(1);

export function sizeTable({ ours, total, official }) {
  const lines = ["| file | raw | gzip -9 | brotli |", "|---|---:|---:|---:|"];
  for (const r of [...ours, total, official]) {
    lines.push(`| ${r.file} | ${r.raw} (${kib(r.raw)} KiB) | ${r.gzip} (${kib(r.gzip)} KiB) | ${r.brotli} (${kib(r.brotli)} KiB) |`);
  }
  const x = (k) => (total[k] / official[k]).toFixed(2);
  lines.push(`| ours / official | ${x("raw")}× | ${x("gzip")}× | ${x("brotli")}× |`);
  return lines.join("\n");
}

function readBudget() {
  return JSON.parse(readFileSync(BUDGET, "utf8"));
}

function check() {
  const { ours, total } = sizes();
  const budget = readBudget().raw;
  let failed = false;
  for (const r of [...ours, { ...total, file: "total" }]) {
    const limit = budget[r.file];
    if (limit === undefined) {
      console.error(`size: ${r.file} has no budget in bench/size-budget.json`);
      failed = true;
      continue;
    }
    const ok = r.raw <= limit;
    if (!ok) failed = true;
    console.log(`${ok ? "ok  " : "OVER"} ${r.file.padEnd(28)} ${String(r.raw).padStart(8)} of ${String(limit).padStart(8)} bytes`);
  }
  if (failed) {
    console.error(
      "size: over budget. If the growth is intended, run `node bench/size.mjs --set-budget` and " +
        "commit bench/size-budget.json with a note on what the bytes buy.",
    );
    process.exit(1);
  }
}

function setBudget() {
  const { ours, total } = sizes();
  const up = (n) => Math.ceil(n / 1024) * 1024;
  const raw = {};
  for (const r of ours) raw[r.file] = up(r.raw);
  raw.total = up(total.raw);
  const doc = {
    _about: [
      "Size budget of the shipped files, in raw (uncompressed) bytes; `npm test` runs",
      "`node bench/size.mjs --check`, which fails when a file (or the total) exceeds its budget.",
      "Raw sizes are deterministic for a given toolchain (rust-toolchain.toml, the wasm-bindgen",
      "and binaryen pins); compressed sizes also depend on node's zlib, so they are reported",
      "(`node bench/size.mjs`) but not budgeted. The total has its own budget (also rounded up).",
      "To accept growth deliberately: build (bash scripts/build.sh), run",
      "`node bench/size.mjs --set-budget` (today's sizes rounded up to the next KiB), and",
      "commit this file with a note saying what the new bytes buy. Do not edit numbers by hand",
      "to make a failing check pass without that note.",
    ],
    measuredRaw: Object.fromEntries([...ours.map((r) => [r.file, r.raw]), ["total", total.raw]]),
    raw,
  };
  writeFileSync(BUDGET, JSON.stringify(doc, null, 2) + "\n");
  console.log(`wrote ${relative(process.cwd(), BUDGET)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = process.argv[2];
  if (arg === "--check") check();
  else if (arg === "--set-budget") setBudget();
  else if (arg === "--json") console.log(JSON.stringify(sizes(), null, 2));
  else if (arg === undefined) console.log(sizeTable(sizes()));
  else {
    console.error("usage: node bench/size.mjs [--check | --set-budget | --json]");
    process.exit(2);
  }
}
