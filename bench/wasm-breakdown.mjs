#!/usr/bin/env node
// Where the bytes of the shipped WebAssembly are: a twiggy-style breakdown with no tool to
// install. Reads a wasm that still has its name section (scripts/build.sh writes one beside the
// package when SIO_NAMES=1: pkg/socketio_wasm_bg.names.wasm, the same wasm-opt run with -g),
// and prints the size of every section and of the code per owner: our modules
// (socketio_wasm::client::engine, ...), and each other crate (core, alloc, talc, wasm_bindgen,
// js_sys, ...). Function names are Rust's legacy mangling, demangled here.
//
//   node bench/wasm-breakdown.mjs [file.wasm] [--depth N] [--top N] [--json]
//
// --depth: path segments that name an owner for our crate (default 3, e.g. socketio_wasm::client::engine);
// --top: also list the N largest functions.
// --names I,J: print the names of those function indices and stop.
import { readFileSync } from "node:fs";
import { WasmReader } from "../scripts/wasm-reader.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const file = args.find((a, i) => !a.startsWith("--") && !/^--/.test(args[i - 1] ?? "")) ?? "pkg/socketio_wasm_bg.names.wasm";
const depth = flag("--depth", 3);
const top = flag("--top", 0);
const bytes = readFileSync(file);

const r = new WasmReader(bytes, file);
const SECTION = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount"];
const sections = [];
let imported = 0;
let bodies = [];
let names = new Map();
while (!r.done) {
  const id = r.u8();
  const size = r.leb();
  const start = r.pos;
  let name = SECTION[id] ?? `section ${id}`;
  if (id === 0) {
    name = `custom "${r.name()}"`;
    if (name === 'custom "name"') names = r.functionNames(start + size);
  } else if (id === 2) {
    imported = r.importedFunctions();
  } else if (id === 10) {
    const count = r.leb();
    for (let i = 0; i < count; i++) {
      const len = r.leb();
      bodies.push({ index: imported + i, size: len + lebLength(len) });
      r.pos += len;
    }
  }
  sections.push({ name, size: size + 1 + lebLength(size) });
  r.pos = start + size;
}

function lebLength(n) {
  let len = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** Rust's legacy mangling (`_ZN3foo3bar17h0123456789abcdefE`) to its path, hash dropped. */
function demangle(name) {
  // The sort key scripts/exports-first.mjs put in front (the shipped file's order).
  name = name.replace(/^[01]\d{6}_/, "");
  const m = /^_?_ZN(.*)E/.exec(name);
  if (!m) return name;
  const body = m[1];
  const parts = [];
  let i = 0;
  while (i < body.length) {
    const d = /^\d+/.exec(body.slice(i));
    if (!d) break;
    i += d[0].length;
    const n = Number(d[0]);
    parts.push(body.slice(i, i + n));
    i += n;
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) parts.pop();
  return parts
    .join("::")
    .replace(/\$LT\$/g, "<")
    .replace(/\$GT\$/g, ">")
    .replace(/\$u20\$/g, " ")
    .replace(/\$u7b\$/g, "{")
    .replace(/\$u7d\$/g, "}")
    .replace(/\$RF\$/g, "&")
    .replace(/\$C\$/g, ",")
    .replace(/\$BP\$/g, "*")
    .replace(/\.\./g, "::");
}

/** The owner of a function: the path of the trait impl's type when there is one, cut to
 *  `depth` segments for our crate and to the crate name for the others. */
function owner(path) {
  let p = path.replace(/\[[0-9a-f]+\]/g, "");
  if (/^(rawmanager_|__wbg_|__wbindgen|resolveUrl|wasmHeap|wasmMemory|__externref)/.test(p)) return "(wasm-bindgen exports and their shims)";
  const impl = /^<&?(?:mut )?([A-Za-z0-9_:]+)/.exec(p);
  if (impl) p = impl[1];
  const segs = p.split("::").filter(Boolean);
  if (!segs.length) return "(unnamed)";
  if (segs[0] === "socketio_wasm") return segs.slice(0, depth).join("::");
  if (/^[a-z_][a-z0-9_]*$/.test(segs[0])) return segs[0];
  return "(other)";
}

const owners = new Map();
const functions = [];
let code = 0;
for (const body of bodies) {
  const raw = names.get(body.index) ?? `func[${body.index}]`;
  const path = demangle(raw).replace(/\[[0-9a-f]+\]/g, "");
  const who = names.has(body.index) ? owner(path) : "(unnamed)";
  const entry = owners.get(who) ?? { size: 0, count: 0 };
  entry.size += body.size;
  entry.count++;
  owners.set(who, entry);
  functions.push({ path, size: body.size });
  code += body.size;
}

// --names I,J,…: the names of those function indices (as a profile's wasm-function[I] shows them).
const wanted = args.includes("--names") ? args[args.indexOf("--names") + 1].split(",").map(Number) : [];
for (const i of wanted) console.log(`${i}: ${demangle(names.get(i) ?? `func[${i}]`)}`);
if (wanted.length) process.exit(0);

const total = bytes.length;
const pct = (n) => `${((100 * n) / total).toFixed(1)}%`;
if (args.includes("--json")) {
  console.log(JSON.stringify({ file, total, sections, owners: Object.fromEntries(owners) }, null, 2));
} else {
  console.log(`${file}: ${total} B (the name section is not shipped)`);
  console.log("\n| section | bytes | share |\n|---|---:|---:|");
  for (const s of sections.sort((a, b) => b.size - a.size)) console.log(`| ${s.name} | ${s.size} | ${pct(s.size)} |`);
  console.log(`\n| code of | functions | bytes | share of the file |\n|---|---:|---:|---:|`);
  for (const [who, e] of [...owners].sort((a, b) => b[1].size - a[1].size)) console.log(`| ${who} | ${e.count} | ${e.size} | ${pct(e.size)} |`);
  console.log(`| all code | ${bodies.length} | ${code} | ${pct(code)} |`);
  if (top) {
    console.log(`\n| largest functions | bytes |\n|---|---:|`);
    for (const f of functions.sort((a, b) => b.size - a.size).slice(0, top)) console.log(`| \`${f.path.slice(0, 110)}\` | ${f.size} |`);
  }
}
