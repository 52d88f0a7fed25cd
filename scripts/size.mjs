// Prints the size of the shipped files (the wasm and the one JS module): raw, gzip -9, brotli.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

export function sizes() {
  const shipped = ["pkg/socketio_wasm_bg.wasm", "pkg/index.js"];
  return shipped.map((file) => {
    const bytes = readFileSync(file);
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = sizes();
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  console.log("file".padEnd(44) + "raw".padStart(9) + "gzip".padStart(9) + "brotli".padStart(9));
  for (const r of [...rows, { file: "total", ...total }]) {
    console.log(r.file.padEnd(44) + String(r.raw).padStart(9) + String(r.gzip).padStart(9) + String(r.brotli).padStart(9));
  }
}
