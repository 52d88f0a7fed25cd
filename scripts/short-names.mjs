// Gives the WebAssembly's imports and exports short names, in the wasm and in wasm-bindgen's
// glue together (pkg/socketio_wasm_bg.wasm, pkg/socketio_wasm.js), after wasm-opt and before
// the bundle. wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` and every
// import of an inline snippet with the snippet's path (`./snippets/socketio-wasm-<hash>/…`),
// in both files; hex digits do not compress, so those names were a large part of the import
// section and of the glue. Only names change: the import object's module keys and the
// `__wbg_*` keys of its own module, the `wasm.<export>` reads of the glue, and the sections
// that hold them. The functions of the snippets keep their names inside their files and are
// exported under the short ones (`export { set_timer as e }`): their names were in the wasm's
// import section and, as the keys of the bundle's namespace objects, in `index.js` too. Fails
// (and changes nothing) when a name is not found in the glue or a snippet exactly where it is
// expected.
import fs from "node:fs";
import path from "node:path";
import { WasmReader, encodeLeb, encodeName } from "./wasm-reader.mjs";

const wasmFile = process.argv[2] ?? "pkg/socketio_wasm_bg.wasm";
const glueFile = process.argv[3] ?? "pkg/socketio_wasm.js";
const bytes = fs.readFileSync(wasmFile);
let glue = fs.readFileSync(glueFile, "utf8");

// ---- reading and writing the binary ------------------------------------------------------------

/** Short names in order: a … z, A … Z, then two letters. */
function* shortNames() {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (const a of letters) yield a;
  for (const a of letters) for (const b of letters) yield a + b;
}

const r = new WasmReader(bytes, wasmFile);
const out = [bytes.subarray(0, 8)];
const moduleNames = new Map(); // old module name -> new
const importNames = new Map(); // old field of the glue's own module -> new
const exportNames = new Map(); // old export name -> new
const snippetNames = new Map(); // snippet module -> (its function's name -> new)
const fresh = shortNames();
const OWN_MODULE = "./socketio_wasm_bg.js";

for (const { id, size, start, end } of r.sections()) {
  if (id === 2) {
    const count = r.leb();
    const parts = [encodeLeb(count)];
    for (let i = 0; i < count; i++) {
      const module = r.name();
      const field = r.name();
      const descStart = r.pos;
      r.importDescriptor();
      if (!moduleNames.has(module)) moduleNames.set(module, fresh.next().value);
      const names = module === OWN_MODULE ? importNames : snippetNames.get(module) ?? new Map();
      if (module !== OWN_MODULE) snippetNames.set(module, names);
      if (!names.has(field)) names.set(field, fresh.next().value);
      parts.push(encodeName(moduleNames.get(module)), encodeName(names.get(field)), bytes.subarray(descStart, r.pos));
    }
    const payload = Buffer.concat(parts);
    out.push(Buffer.from([id]), encodeLeb(payload.length), payload);
  } else if (id === 7) {
    const count = r.leb();
    const parts = [encodeLeb(count)];
    for (let i = 0; i < count; i++) {
      const exported = r.name();
      const descStart = r.pos;
      r.pos++;
      r.leb();
      exportNames.set(exported, fresh.next().value);
      parts.push(encodeName(exportNames.get(exported)), bytes.subarray(descStart, r.pos));
    }
    const payload = Buffer.concat(parts);
    out.push(Buffer.from([id]), encodeLeb(payload.length), payload);
  } else {
    out.push(bytes.subarray(start - 1 - encodeLeb(size).length, end));
  }
}

// ---- the glue ----------------------------------------------------------------------------------

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
function replaceAll(pattern, replacement, what) {
  let n = 0;
  glue = glue.replace(pattern, (...m) => {
    n++;
    return typeof replacement === "function" ? replacement(...m) : replacement;
  });
  if (n === 0) throw new Error(`short-names: ${what} not found in ${glueFile}`);
}
for (const [old, short] of moduleNames) {
  replaceAll(new RegExp(`"${escape(old)}": (import\\d+)`, "g"), (_, v) => `"${short}": ${v}`, `the module key ${old}`);
}
for (const [old, short] of importNames) {
  replaceAll(new RegExp(`^${escape(old)}: function`, "gm"), `${short}: function`, `the import ${old}`);
}
for (const [old, short] of exportNames) {
  // Not every export is read by the glue (e.g. the table of a closure's destructor may be).
  glue = glue.replace(new RegExp(`\\bwasm\\.${escape(old)}\\b`, "g"), `wasm.${short}`);
}
const leftover = /\b__wbg_[A-Za-z0-9_]+_[0-9a-f]{16}\b/.exec(glue);
if (leftover) throw new Error(`short-names: ${leftover[0]} is still in ${glueFile}`);

// ---- the snippets -------------------------------------------------------------------------------

// The snippet functions the glue imports by name (its wrappers of those with strings or
// arrays) are exported under short names too, and imported as `{ <short> as <name> }`.
replaceAll(/^import \{ ([^}]+) \} from '(\.\/snippets\/[^']+)';$/gm, (_, list, module) => {
  const names = snippetNames.get(module) ?? new Map();
  snippetNames.set(module, names);
  const imported = list.split(", ").map((name) => {
    if (!names.has(name)) names.set(name, fresh.next().value);
    return `${names.get(name)} as ${name}`;
  });
  return `import { ${imported.join(", ")} } from '${module}';`;
}, "the named imports of the snippets");

const snippets = new Map(); // file -> its new text
for (const [module, names] of snippetNames) {
  if (!module.startsWith("./snippets/")) throw new Error(`short-names: import module ${module} is not a snippet`);
  const file = path.join(path.dirname(glueFile), module);
  let text = fs.readFileSync(file, "utf8");
  const renames = [];
  for (const [old, short] of names) {
    const declaration = new RegExp(`^export ((?:async )?function\\*? ?${escape(old)}\\()`, "m");
    if (!declaration.test(text)) throw new Error(`short-names: no exported function ${old} in ${file}`);
    text = text.replace(declaration, "$1");
    renames.push(`${old} as ${short}`);
  }
  snippets.set(file, `${text}\nexport { ${renames.join(", ")} };\n`);
}

const wasm = Buffer.concat(out);
fs.writeFileSync(wasmFile, wasm);
fs.writeFileSync(glueFile, glue);
for (const [file, text] of snippets) fs.writeFileSync(file, text);
console.log(
  `short names: ${moduleNames.size} modules, ${importNames.size} imports, ${[...snippetNames.values()].reduce((n, m) => n + m.size, 0)} snippet functions, ${exportNames.size} exports; wasm ${bytes.length} -> ${wasm.length} B`,
);
