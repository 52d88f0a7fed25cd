// The package as a user gets it: `npm pack` of the repository (after `bash scripts/build.sh`),
// installed with `npm install <tarball>` into a fresh copy of the Vite app in
// tests/e2e/vite-app/, bundled by the repository's pinned Vite (no separate install), served as
// static files from another origin, and run in headless Chromium against the Rust server
// (`--test`, which answers `echo` with an ack). The same install is also run under Vite's dev
// server. The app has no vite.config.js: none is needed.
//
// The install is offline: the package has no dependencies, and npm runs with `--offline` and an
// unreachable registry, so any attempt to reach the network fails the test.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { promisify } from "node:util";
import { build, createLogger, createServer } from "vite";
import { ROOT, buildRustServer, startRustServer } from "../support/spawn.mjs";
import { launch } from "./browser.mjs";

const run = promisify(execFile);
const FIXTURE = path.join(ROOT, "tests", "e2e", "vite-app");
const WAIT = { timeout: 15_000 };
/** What the tarball must hold. */
const REQUIRED = [
  "LICENSE",
  "README.md",
  "package.json",
  "js/index.d.ts",
  "pkg/index.js",
  "pkg/socketio_wasm_bg.wasm",
];
const OPTIONAL = [];

const ctx = {};

/** Runs npm with `args` in `cwd`; resolves its stdout. Never reaches a registry. */
async function npm(args, cwd) {
  const { stdout } = await run(
    "npm",
    [...args, "--offline", "--registry=http://127.0.0.1:9/", "--no-update-notifier", "--loglevel=error"],
    { cwd, timeout: 60_000, maxBuffer: 16 << 20 },
  );
  return stdout;
}

/** A static file server for `dir` on 127.0.0.1 (a port of its own: another origin). */
async function serveStatic(dir) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const file = path.join(dir, url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname));
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.url = `http://127.0.0.1:${server.address().port}`;
  return server;
}

/** A Vite logger that keeps warnings and errors (and prints nothing). */
function quietLogger() {
  const logger = createLogger("warn", { allowClearScreen: false });
  const problems = [];
  logger.warn = (msg) => problems.push(`warn: ${msg}`);
  logger.warnOnce = (msg) => problems.push(`warn: ${msg}`);
  logger.error = (msg) => problems.push(`error: ${msg}`);
  logger.info = () => {};
  return { logger, problems };
}

/** Opens `url` in a fresh page and waits for the app's verdict; returns it with the .wasm loads. */
async function runApp(url) {
  const page = await ctx.browser.newPage();
  const errors = [];
  const wasm = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("response", (r) => {
    if (new URL(r.url()).pathname.endsWith(".wasm")) {
      wasm.push({ url: r.url(), status: r.status(), type: r.headers()["content-type"] });
    }
  });
  try {
    await page.goto(`${url}?server=${encodeURIComponent(ctx.rust.url)}`);
    await page.locator('#state:not([data-state="loading"])').waitFor(WAIT);
    return {
      state: await page.getAttribute("#state", "data-state"),
      result: await page.textContent("#result"),
      errors,
      wasm,
    };
  } finally {
    await page.close();
  }
}

before(async () => {
  const built = path.join(ROOT, "pkg", "socketio_wasm_bg.wasm");
  if (!fs.existsSync(built)) throw new Error("pkg/ is missing: run `bash scripts/build.sh` first");
  ctx.tmp = fs.mkdtempSync(path.join(os.tmpdir(), "socketio-wasm-vite-"));
  const [rust, browser] = await Promise.all([
    buildRustServer().then(() => startRustServer(["--test"])),
    launch(),
  ]);
  Object.assign(ctx, { rust, browser });

  // `npm pack` (no lifecycle scripts: the package is built beforehand), then a fresh app.
  const [packed] = JSON.parse(await npm(["pack", ROOT, "--json", "--ignore-scripts", "--pack-destination", ctx.tmp], ctx.tmp));
  ctx.packed = packed;
  ctx.tarball = path.join(ctx.tmp, packed.filename);
  ctx.app = path.join(ctx.tmp, "app");
  fs.cpSync(FIXTURE, ctx.app, {
    recursive: true,
    filter: (src) => !/(^|[/\\])(node_modules|dist)([/\\]|$)/.test(path.relative(FIXTURE, src)),
  });
  await npm(["install", "--no-save", "--no-audit", "--no-fund", "--no-package-lock", ctx.tarball], ctx.app);
});

after(async () => {
  await ctx.browser?.close();
  await ctx.rust?.stop();
  if (ctx.static) {
    ctx.static.closeAllConnections();
    await new Promise((resolve) => ctx.static.close(resolve));
  }
  await ctx.dev?.close();
  if (ctx.tmp) fs.rmSync(ctx.tmp, { recursive: true, force: true });
});

it("npm pack ships exactly the package's files", () => {
  const files = ctx.packed.files.map((f) => f.path).sort();
  const unexpected = files.filter((f) => !REQUIRED.includes(f) && !OPTIONAL.includes(f));
  assert.deepEqual(unexpected, [], "files that should not be in the tarball");
  for (const f of REQUIRED) assert.ok(files.includes(f), `${f} is missing from the tarball`);
  for (const f of OPTIONAL) if (!files.includes(f)) console.log(`# note: ${f} is not in the tarball`);
  assert.equal(ctx.packed.name, "socketio-wasm");
  // The installed copy is the built one.
  const installed = path.join(ctx.app, "node_modules", "socketio-wasm");
  assert.deepEqual(
    fs.readFileSync(path.join(installed, "pkg", "socketio_wasm_bg.wasm")),
    fs.readFileSync(path.join(ROOT, "pkg", "socketio_wasm_bg.wasm")),
  );
  assert.ok(!fs.existsSync(path.join(installed, "node_modules")), "the package pulled in dependencies");
});

it("a Vite production build emits the .wasm as an asset and the app gets its ack in Chromium", async () => {
  const dist = path.join(ctx.tmp, "dist");
  const { logger, problems } = quietLogger();
  await build({ root: ctx.app, logLevel: "warn", customLogger: logger, build: { outDir: dist, emptyOutDir: true } });
  assert.deepEqual(problems, [], "Vite warned");

  const assets = fs.readdirSync(path.join(dist, "assets"));
  const wasmAssets = assets.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasmAssets.length, 1, `one .wasm asset expected, got ${assets.join(", ")}`);
  const digest = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  assert.equal(
    digest(path.join(dist, "assets", wasmAssets[0])),
    digest(path.join(ROOT, "pkg", "socketio_wasm_bg.wasm")),
    "the emitted .wasm differs from pkg/",
  );
  const chunk = assets.filter((f) => f.endsWith(".js")).map((f) => fs.readFileSync(path.join(dist, "assets", f), "utf8")).join("\n");
  assert.ok(chunk.includes(wasmAssets[0]), "no chunk refers to the .wasm asset");

  ctx.static = await serveStatic(dist);
  const app = await runApp(`${ctx.static.url}/`);
  assert.equal(app.state, "acked", app.result);
  const { reply, transport } = JSON.parse(app.result);
  assert.deepEqual(reply, { from: "vite", n: 42 });
  assert.equal(transport, "websocket");
  assert.deepEqual(
    app.wasm.map(({ url, status, type }) => [new URL(url).pathname, status, type]),
    [[`/assets/${wasmAssets[0]}`, 200, "application/wasm"]],
  );
  assert.deepEqual(app.errors, []);
});

it("Vite's dev server runs the installed package as is (no optimizeDeps config)", async () => {
  const { logger, problems } = quietLogger();
  ctx.dev = await createServer({
    root: ctx.app,
    customLogger: logger,
    server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false },
  });
  await ctx.dev.listen();
  const app = await runApp(ctx.dev.resolvedUrls.local[0]);
  assert.equal(app.state, "acked", app.result);
  assert.deepEqual(JSON.parse(app.result).reply, { from: "vite", n: 42 });
  assert.equal(app.wasm.length, 1);
  assert.equal(app.wasm[0].status, 200);
  assert.equal(app.wasm[0].type, "application/wasm");
  assert.deepEqual(app.errors, []);
  assert.deepEqual(problems, [], "Vite warned");
});
