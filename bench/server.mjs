#!/usr/bin/env node
// The benchmark server: the official Node `socket.io` server (the exact version of package.json)
// on 127.0.0.1 and a free port, and a static file server for the repository root on the same
// origin, so that a page can load either client (`/pkg/index.js` or
// `/node_modules/socket.io-client/dist/socket.io.esm.min.js`).
//
// Two socket.io servers share the HTTP server:
//   path "/socket.io": polling and WebSocket (the default);
//   path "/polling":   polling only, so that a client's WebSocket upgrade is refused (the
//                      handshake offers no upgrade).
// Both serve the namespace "/bench":
//   "expect" (n, ack)   resets this socket's counter and arms it for n "count" events; acks.
//   "count" (...)       counts; at the n-th it emits "counted" (n) to the socket.
//   "flood" ({n, payload}) emits n "item" events (index, payload) to the socket, back to back.
//   "echo" (...args, ack)  acks with the same arguments (binary too).
//   "hold" (i, ack)     keeps the ack; at the n-th (armed by "expect") emits "held" (n).
//   "release" ()        answers every held ack with its index, then forgets them.
//
// Usage: node bench/server.mjs [--port N] [--root DIR] [--code-root DIR]
// --root (default: the repository) is served statically; /js/ and /pkg/ come from --code-root
// (default: --root), so that a bench can measure the build of another checkout.
// Prints exactly one line on stdout when ready: `LISTENING http://127.0.0.1:<port>`.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Server } from "socket.io";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".ico": "image/x-icon",
};

/** Serves `root` read-only (and /js/, /pkg/ from `codeRoot`); refuses paths that leave them.
 *  `no-store`: every browser context starts with an empty cache anyway. */
function staticHandler(root, codeRoot) {
  return (req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const base = /^\/(js|pkg)\//.test(pathname) ? codeRoot : root;
    const file = path.join(base, pathname);
    if (!file.startsWith(base + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const type = MIME[path.extname(file)] || "application/octet-stream";
      res.writeHead(200, {
        "content-type": type,
        "content-length": st.size,
        "cache-control": "no-store",
        // Cross-origin isolation: performance.now() then has 5 µs resolution instead of 100 µs
        // (the ack round trips are well under a millisecond).
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-embedder-policy": "require-corp",
      });
      fs.createReadStream(file).pipe(res);
    });
  };
}

function benchNamespace(io) {
  io.of("/bench").on("connection", (socket) => {
    let target = 0;
    let count = 0;
    let held = [];
    socket.on("expect", (n, ack) => {
      target = n;
      count = 0;
      held = [];
      if (typeof ack === "function") ack(n);
    });
    socket.on("count", () => {
      count += 1;
      if (count === target) socket.emit("counted", count);
    });
    socket.on("flood", ({ n, payload }) => {
      for (let i = 0; i < n; i++) socket.emit("item", i, payload);
    });
    socket.on("echo", (...args) => {
      const ack = args.pop();
      if (typeof ack === "function") ack(...args);
    });
    socket.on("hold", (i, ack) => {
      held.push([i, ack]);
      if (held.length === target) socket.emit("held", held.length);
    });
    socket.on("release", () => {
      const list = held;
      held = [];
      for (const [i, ack] of list) ack(i);
    });
  });
}

/** Starts the bench server on `port` (0: a free one). Resolves `{ url, port, close() }`. */
export async function startBenchServer({ port = 0, root = process.cwd(), codeRoot = root } = {}) {
  root = path.resolve(root);
  codeRoot = path.resolve(codeRoot);
  const httpServer = http.createServer();
  const common = {
    serveClient: false,
    // 1 MiB binary echo (plus its packet) must fit; the default is 1e6 bytes.
    maxHttpBufferSize: 1e8,
    pingInterval: 25000,
    pingTimeout: 20000,
    cors: { origin: true },
  };
  const both = new Server(httpServer, { ...common, path: "/socket.io" });
  const pollingOnly = new Server(httpServer, { ...common, path: "/polling", transports: ["polling"] });
  benchNamespace(both);
  benchNamespace(pollingOnly);
  // socket.io takes its own paths first; everything else is a static file.
  const serveStatic = staticHandler(root, codeRoot);
  httpServer.on("request", (req, res) => {
    if (req.url.startsWith("/socket.io/") || req.url.startsWith("/polling/")) return;
    serveStatic(req, res);
  });
  await new Promise((resolve) => httpServer.listen(port, "127.0.0.1", resolve));
  const actual = httpServer.address().port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    // Server#close() closes the sockets and the shared HTTP server.
    close: () => new Promise((resolve) => pollingOnly.close(() => both.close(() => resolve()))),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
  };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = opt("--root", path.join(here, ".."));
  const server = await startBenchServer({ port: Number(opt("--port", "0")), root, codeRoot: opt("--code-root", root) });
  process.stdout.write(`LISTENING ${server.url}\n`);
  const stop = () => {
    setTimeout(() => process.exit(0), 1000).unref(); // do not wait on lingering connections
    server.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
