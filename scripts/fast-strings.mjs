// Makes wasm-bindgen's glue (pkg/socketio_wasm.js) copy a long string into the WebAssembly with
// the browser's own encoder (`TextEncoder.encodeInto`) instead of its loop over the characters:
// an 11 KB frame took 31-47 µs through the loop and 7-9 µs through `encodeInto` (Chromium 156,
// BENCHMARKS.md, session 8). Short strings keep the loop, which is faster below ~64 characters
// (one call less). Replaces one exact block of the generated code (after strip-glue.mjs) and
// fails, changing nothing, when that block is not there: a new wasm-bindgen must be checked.
import fs from "node:fs";

const file = process.argv[2] ?? "pkg/socketio_wasm.js";
const glue = fs.readFileSync(file, "utf8");
const loop = `let offset = 0;
for (; offset < len; offset++) {
const code = arg.charCodeAt(offset);
if (code > 0x7F) break;
mem[ptr + offset] = code;
}
if (offset !== len) {
if (offset !== 0) {
arg = arg.slice(offset);
}
`;
// `read`: the characters taken, `offset`: the bytes written; the rest (from the first character
// the first pass could not fit, or the first non-ASCII one) goes through `encodeInto` as before.
const native = `let offset = 0, read = 0;
if (len > 64) {
({ read, written: offset } = cachedTextEncoder.encodeInto(arg, mem.subarray(ptr, ptr + len)));
} else {
for (; offset < len; offset++) {
const code = arg.charCodeAt(offset);
if (code > 0x7F) break;
mem[ptr + offset] = code;
}
read = offset;
}
if (read !== len) {
arg = arg.slice(read);
`;
const at = glue.indexOf(loop);
if (at < 0 || glue.indexOf(loop, at + 1) >= 0) {
  console.error(`fast-strings: the string copy loop of ${file} is not where expected (a new wasm-bindgen?)`);
  process.exit(1);
}
fs.writeFileSync(file, glue.replace(loop, native));
