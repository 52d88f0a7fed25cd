// Trims wasm-bindgen's JavaScript glue (pkg/socketio_wasm.js) of what every user would download
// and none runs:
// - the doc comments and the indentation (they document the generated exports for readers of
//   the source). Only whole-line comment blocks and leading whitespace are touched.
// - the reverse entries of its enums (`Ack: 1, "1": "Ack"`): the face maps names to
//   numbers only.
// - the `free()` of the exported class (and its `Symbol.dispose` alias): the face never frees
//   a RawManager; the FinalizationRegistry frees it once it is collected.
// - fallbacks no browser that runs this module needs: it uses reference types (Chrome 96,
//   Firefox 79, Safari 15), and all of those have `FinalizationRegistry` and
//   `TextEncoder.encodeInto`; and the string copy without `realloc`, which no call uses.
// - its general loader, which takes a URL, a Request, bytes, a module or deprecated arguments,
//   and has initSync. The JS face (js/index.js) makes one call, `init({ module_or_path:
//   fetch(url) })`; the loader below does that one case: streaming compilation, or, from a
//   server that does not serve the wasm as `application/wasm`, compilation from its bytes.
//   When the generated loader is not found (a new wasm-bindgen), the build fails here.
import fs from "node:fs";

const file = process.argv[2] ?? "pkg/socketio_wasm.js";
const before = fs.readFileSync(file, "utf8");
let after = before
  .replace(/^[ \t]*\/\*\*[\s\S]*?\*\/[ \t]*\n/gm, "")
  .replace(/^[ \t]*\/\/[^\n]*\n/gm, "")
  .replace(/^[ \t]+/gm, "")
  .replace(/\n{2,}/g, "\n")
  .replace(/^(\w+): (\d+), "\2": "\1",$/gm, "$1: $2,")
  .replace(/\(typeof FinalizationRegistry === 'undefined'\)\n\? \{ register: \(\) => \{\}, unregister: \(\) => \{\} \}\n: /g, "")
  .replace(/^if \(!\('encodeInto' in cachedTextEncoder\)\) \{\n[\s\S]*?\n\};\n\}\n/m, "")
  .replace(/^if \(realloc === undefined\) \{\n[\s\S]*?\nreturn ptr;\n\}\n/m, "")
  .replace(/^__destroy_into_raw\(\) \{\n[^}]*\n\}\nfree\(\) \{\n[^}]*\n\}\n/m, "")
  .replace(/^if \(Symbol\.dispose\) \w+\.prototype\[Symbol\.dispose\] = \w+\.prototype\.free;\n/m, "");

const start = after.indexOf("async function __wbg_load(module, imports) {");
const end = "export { initSync, __wbg_init as default };";
const endAt = after.indexOf(end);
if (start < 0 || endAt < start) {
  console.error("strip-glue: wasm-bindgen's loader (__wbg_load ... export) not found; update scripts/strip-glue.mjs");
  process.exit(1);
}
const loader = `async function __wbg_init({ module_or_path }) {
const imports = __wbg_get_imports();
const response = await module_or_path;
if (!response.ok) throw new Error(\`failed to fetch Wasm: \${response.status} \${response.statusText} fetching '\${response.url}'\`);
let result;
try {
result = await WebAssembly.instantiateStreaming(response, imports);
} catch (e) {
if (response.headers.get('Content-Type') === 'application/wasm') throw e;
result = await WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
return __wbg_finalize_init(result.instance, result.module);
}
export { __wbg_init as default };`;
after = after.slice(0, start) + loader + after.slice(endAt + end.length);
fs.writeFileSync(file, after);
