// Empties functions that wasm-bindgen's output keeps but nothing can call, before wasm-opt
// (which then drops what only they called): their bodies become `unreachable`.
//
// Which, and why they are dead: js-sys 0.3.107's `futures::jspi` exports a raw
// `__wbg_jspi_task_poll` for JSPI tasks. In a module with no `#[wasm_bindgen(jspi)]` export the
// wasm-bindgen CLI deletes that export (its own doc comment: "leaving no JSPI machinery at
// all"), but the four functions of the task waker's `RawWakerVTable` stay in the function
// table, where the linker put them because the vtable in data takes their addresses, and
// wasm-opt keeps every table entry. A waker with that vtable is only made by the task's poll,
// which only that deleted export called. With what they call (the task's wake and drop) and
// the vtable's source location they are about 550 B of the shipped wasm (BENCHMARKS.md,
// session 15).
//
// Needs the name section (wasm-bindgen keeps it, demangled). Fails, changing nothing, when a function it
// expects is not there or a name matches twice: a new js-sys must be checked by hand.
//   node scripts/stub-dead.mjs pkg/socketio_wasm_bg.wasm
import fs from "node:fs";
import { WasmReader, encodeLeb } from "./wasm-reader.mjs";

/** How the names of the functions to empty end (wasm-bindgen demangles them), each matching
 *  exactly one. */
const DEAD = ["raw_clone", "raw_wake", "raw_wake_by_ref", "raw_drop"].map((f) => `::futures::jspi::task_waker::${f}`);

const file = process.argv[2] ?? "pkg/socketio_wasm_bg.wasm";
const bytes = fs.readFileSync(file);
const r = new WasmReader(bytes, file);
const fail = (why) => {
  console.error(`stub-dead: ${why} in ${file} (a new js-sys or wasm-bindgen?)`);
  process.exit(1);
};

let imported = 0;
let code = null;
let names = new Map(); // function index -> name
let header = 8; // where the section being read begins (its id byte): the previous one's end
for (const { id, start, end } of r.sections()) {
  if (id === 2) imported = r.importedFunctions();
  else if (id === 10) code = { header, start, end };
  else if (id === 0 && r.name() === "name") names = r.functionNames(end);
  header = end;
}
if (code === null) fail("no code section");
if (names.size === 0) fail("no function names");

const dead = new Set();
for (const pattern of DEAD) {
  // The nightly build's names carry crate hashes (`js_sys[930f…]::…`), the stable build's a
  // trailing `::h<16 hex digits>`.
  const found = [...names].filter(([, name]) => name.startsWith("js_sys") && name.replace(/::h[0-9a-f]{16}$/, "").endsWith(pattern));
  if (found.length !== 1) fail(`${found.length} functions named like ${pattern}`);
  dead.add(found[0][0]);
}

// The code section again, with each dead body replaced by: no locals, `unreachable`, `end`.
r.pos = code.start;
const count = r.leb();
const bodies = [encodeLeb(count)];
for (let i = 0; i < count; i++) {
  const size = r.leb();
  const body = bytes.subarray(r.pos, r.pos + size);
  r.pos += size;
  if (dead.has(imported + i)) bodies.push(Buffer.from([3, 0x00, 0x00, 0x0b]));
  else bodies.push(Buffer.from(encodeLeb(size)), body);
}
const content = Buffer.concat(bodies.map((b) => Buffer.from(b)));
const out = Buffer.concat([bytes.subarray(0, code.header), Buffer.from([10]), Buffer.from(encodeLeb(content.length)), content, bytes.subarray(code.end)]);
fs.writeFileSync(file, out);
console.log(`stub-dead: ${dead.size} functions emptied, ${bytes.length} -> ${out.length} B`);
