// Prepares the wasm (after `wasm-opt -g`, so that it has a name section) for
// `wasm-opt --reorder-functions-by-name`, which then numbers the exported functions first:
// every defined function is renamed `<0 if exported, else 1><its index, 6 digits>_<old name>`,
// so that sorting by name keeps wasm-opt's order within each group. Why: instantiating a
// module makes a string of each exported function's index (its `name`), and V8's
// number-to-string cache starts with 128 entries and grows to its full size (64 KiB of JS
// heap on these machines) at its first collision; exported functions numbered one after the
// other, fewer than 128 of them, never collide (BENCHMARKS.md, session 10). Fails when the
// module has no function names or has 128 exported functions or more.
//   node scripts/exports-first.mjs pkg/socketio_wasm_bg.wasm
import fs from "node:fs";
import { WasmReader, encodeLeb, encodeName } from "./wasm-reader.mjs";

const file = process.argv[2] ?? "pkg/socketio_wasm_bg.wasm";
const bytes = fs.readFileSync(file);
const r = new WasmReader(bytes, file);
const sections = []; // [id, start, end] of each section's content
let imported = 0;
const exported = new Set();
let names = null; // index of the "name" section in `sections`
for (const { id, start, end } of r.sections()) {
  if (id === 2) {
    imported = r.importedFunctions();
  } else if (id === 7) {
    for (let n = r.leb(); n > 0; n--) {
      r.name();
      const kind = r.u8();
      const index = r.leb();
      if (kind === 0) exported.add(index);
    }
  } else if (id === 0 && r.name() === "name") {
    names = sections.length;
  }
  sections.push([id, start, end]);
}
if (names === null) throw new Error(`${file} has no name section: run wasm-opt with -g first`);
if (exported.size >= 128) throw new Error(`${exported.size} exported functions: their indices would collide`);

// The function names of the name section (subsection 1), by index.
const [, nameStart, nameEnd] = sections[names];
const nr = new WasmReader(bytes, file);
nr.pos = nameStart;
nr.name();
const functionNames = nr.functionNames(nameEnd);
const total = Math.max(imported, ...functionNames.keys(), ...exported) + 1;
const entries = [];
for (let i = 0; i < total; i++) {
  const old = functionNames.get(i) ?? `f${i}`;
  const name = i < imported ? old : `${exported.has(i) ? 0 : 1}${String(i).padStart(6, "0")}_${old}`;
  entries.push(Buffer.concat([encodeLeb(i), encodeName(name)]));
}
const subsection = Buffer.concat([encodeLeb(entries.length), ...entries]);
const content = Buffer.concat([encodeName("name"), Buffer.from([1]), encodeLeb(subsection.length), subsection]);

const out = [bytes.subarray(0, 8)];
for (const [i, [id, start, end]] of sections.entries()) {
  const body = i === names ? content : bytes.subarray(start, end);
  out.push(Buffer.from([id]), encodeLeb(body.length), body);
}
fs.writeFileSync(file, Buffer.concat(out));
