// Bundles what the browser loads into one minified ES module, pkg/index.js: the JS face
// (js/index.js), wasm-bindgen's glue (pkg/socketio_wasm.js) and its inline snippet. One module
// instead of three saves two requests (each a round trip before the next could start) and the
// per-file overhead of compression; minifying saves the rest. The WebAssembly stays its own
// file, fetched at the top of the module (`new URL("../pkg/socketio_wasm_bg.wasm", ...)`
// resolves to the same file from js/ and from pkg/). Uses rolldown, Vite 8's bundler, pinned in
// package.json.
import { rolldown } from "rolldown";

const bundle = await rolldown({ input: "js/index.js", logLevel: "warn" });
await bundle.write({
  file: "pkg/index.js",
  format: "esm",
  minify: process.env.SIO_MINIFY !== "0",
  comments: false,
});
await bundle.close();
