// Loads the built package in headless Chromium from a throwaway static server and checks that
// `io` is exported and a Manager can be made: once as served right, once from `/octet/`, where
// the wasm comes as `application/octet-stream` (the loader then compiles it from its bytes).
// Exits non-zero if the WebAssembly fails to load.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { chromiumArgs } from "../tests/e2e/browser.mjs";

const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const root = process.cwd();
const server = createServer(async (req, res) => {
  let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  const octet = path.startsWith("/octet/");
  if (octet) path = path.slice("/octet".length);
  if (path === "/") {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>load check</title>");
    return;
  }
  try {
    const body = await readFile(join(root, path));
    const type = octet && extname(path) === ".wasm" ? undefined : TYPES[extname(path)];
    res.writeHead(200, { "content-type": type || "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch(chromiumArgs());
let failed = false;
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  for (const base of ["", "/octet"]) {
    const result = await page.evaluate(async (base) => {
      const m = await import(`${base}/pkg/index.js`);
      const socket = m.io("http://127.0.0.1:9", { autoConnect: false });
      return typeof m.io === "function" && socket.connected === false ? "ok" : "bad exports";
    }, base);
    if (result !== "ok" || errors.length) throw new Error(`${base || "/"}: ${result} ${errors.join("; ")}`);
  }
  console.log("load check: the package loads in Chromium");
} catch (e) {
  console.error("load check FAILED:", e.message);
  failed = true;
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
