// Strips the doc comments and the indentation from wasm-bindgen's JavaScript glue
// (pkg/socketio_wasm.js): they document the generated exports for readers of the source, and
// cost every user's download. Only whole-line comment blocks and leading whitespace are
// touched, so no code or string literal changes.
import fs from "node:fs";

const file = process.argv[2] ?? "pkg/socketio_wasm.js";
const before = fs.readFileSync(file, "utf8");
const after = before
  .replace(/^[ \t]*\/\*\*[\s\S]*?\*\/[ \t]*\n/gm, "")
  .replace(/^[ \t]*\/\/[^\n]*\n/gm, "")
  .replace(/^[ \t]+/gm, "")
  .replace(/\n{2,}/g, "\n");
fs.writeFileSync(file, after);
