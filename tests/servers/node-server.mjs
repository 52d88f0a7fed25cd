#!/usr/bin/env node
// The official socket.io server (the exact version of package.json) with the same contract as the
// Rust reference server (server/): same flags, static files, namespaces, events and control
// endpoints, so that every test can run against both. See server/src/testns.rs for the events.
//
// Usage: node tests/servers/node-server.mjs [--host 127.0.0.1] [--port 3000] [--root DIR] [--test]
//          [--ping-interval MS] [--ping-timeout MS] [--max-payload BYTES]
//          [--transports polling,websocket] [--recovery] [--redis URL] [--instance NAME]
// Prints exactly one line on stdout when ready: `LISTENING http://127.0.0.1:<port>`.
//
// With `--test`, a request (not OPTIONS) to /socket.io/ with `recordRequest=KEY` in its query
// appends {method, transport, cookie} to the records of KEY (`cookie`: the Cookie header, or null).
//
// Only here: `--recovery` turns on connection state recovery
// ({maxDisconnectionDuration: 120000, skipMiddlewares: true}), and with `--test` it adds the
// `emit-later` event ({event, count, delayMs}): after delayMs, emits `count` events `event`
// (argument: the index) to the socket's id through the namespace, so that the adapter stores
// them and replays them to a client that reconnects with recovery.
//
// `--redis URL` shares rooms with the other instances through `@socket.io/redis-adapter` (Redis
// pub/sub), as `--redis` does on the Rust server (the two adapters do not talk to each other).
// `--instance NAME` is the answer to `whoami` (default "main").

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { Server } from "socket.io";

const USAGE = `usage: node-server.mjs [--host ADDR] [--port N] [--root DIR] [--test] [--recovery]
  [--ping-interval MS] [--ping-timeout MS] [--max-payload BYTES] [--transports polling,websocket]
  [--redis URL] [--instance NAME]`;

/** Parses `--flag value` and `--flag=value`; exits with status 2 on a bad command line. */
function parseArgs(argv) {
  const config = {
    host: "127.0.0.1",
    port: 3000,
    root: process.cwd(),
    test: false,
    recovery: false,
    pingInterval: 25000,
    pingTimeout: 20000,
    maxPayload: 1000000,
    transports: ["polling", "websocket"],
    redis: null,
    instance: "main",
  };
  const fail = (message) => {
    process.stderr.write(`node-server: ${message}\n${USAGE}\n`);
    process.exit(2);
  };
  const integer = (flag, value) => {
    if (!/^\d+$/.test(value)) fail(`${flag}: a non-negative integer expected, got ${JSON.stringify(value)}`);
    return Number(value);
  };
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let value;
    const eq = flag.indexOf("=");
    if (eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    if (flag === "--test") { config.test = true; continue; }
    if (flag === "--recovery") { config.recovery = true; continue; }
    if (flag === "--help" || flag === "-h") { process.stdout.write(`${USAGE}\n`); process.exit(0); }
    if (value === undefined) {
      if (i + 1 >= argv.length) fail(`${flag} needs a value`);
      value = argv[++i];
    }
    switch (flag) {
      case "--host": config.host = value; break;
      case "--port": config.port = integer(flag, value); break;
      case "--root": config.root = path.resolve(value); break;
      case "--redis": config.redis = value; break;
      case "--instance": config.instance = value; break;
      case "--ping-interval": config.pingInterval = integer(flag, value); break;
      case "--ping-timeout": config.pingTimeout = integer(flag, value); break;
      case "--max-payload": config.maxPayload = integer(flag, value); break;
      case "--transports": {
        const list = value.split(",").map((t) => t.trim());
        if (list.length === 0 || list.some((t) => t !== "polling" && t !== "websocket")) {
          fail(`--transports: polling and/or websocket expected, got ${JSON.stringify(value)}`);
        }
        config.transports = [...new Set(list)];
        break;
      }
      default: fail(`unknown option ${flag}`);
    }
  }
  return config;
}

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".map": "application/json",
  ".css": "text/css",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ts": "text/plain; charset=utf-8",
  ".d.ts": "text/plain; charset=utf-8",
};

/** Sets the CORS headers that let a page of any origin call us with credentials. */
function setCors(req, res) {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    res.setHeader("Vary", "Origin");
  }
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function notFound(res) {
  res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": 9 });
  res.end("not found");
}

/**
 * Static files: `/` is ROOT/www/index.html, any other path a file under ROOT. Directories and
 * anything that would resolve outside ROOT answer 404 (as the Rust server's ServeDir does).
 */
function serveStatic(root, req, res, pathname) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Length": 0 });
    res.end();
    return;
  }
  let relative;
  try {
    relative = pathname === "/" ? "/www/index.html" : decodeURIComponent(pathname);
  } catch {
    notFound(res);
    return;
  }
  const file = path.join(root, relative);
  if (relative.includes("\0") || (file !== root && !file.startsWith(root + path.sep))) {
    notFound(res);
    return;
  }
  fs.stat(file, (err, stat) => {
    if (err || !stat.isFile()) {
      notFound(res);
      return;
    }
    const ext = path.extname(file).toLowerCase();
    res.writeHead(200, {
      "Content-Type": MIME[ext] ?? "application/octet-stream",
      "Content-Length": stat.size,
      "Cache-Control": "no-cache",
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const stream = fs.createReadStream(file);
    stream.on("error", () => res.destroy());
    stream.pipe(res);
  });
}

/** The last argument, if it is an ack callback (removed from `args`). */
function takeAck(args) {
  return typeof args[args.length - 1] === "function" ? args.pop() : null;
}

/** The test events; the same contract as server/src/testns.rs. */
function attachTestEvents(socket, { records, recovery, instance }) {
  const on = (event, handler) =>
    socket.on(event, (...args) => {
      const ack = takeAck(args);
      handler(args, ack);
    });

  on("echo", (args, ack) => {
    socket.emit("echo", ...args);
    ack?.(...args);
  });
  on("ack-later", ([ms], ack) => {
    setTimeout(() => ack?.("done"), Math.max(0, Number(ms) || 0));
  });
  on("no-ack", () => {});
  on("record", ([key, value], ack) => {
    const k = typeof key === "string" ? key : "";
    if (!records.has(k)) records.set(k, []);
    const list = records.get(k);
    list.push(value);
    ack?.(list.length);
  });
  on("burst", ([request], ack) => {
    const { event, count } = request ?? {};
    if (typeof event !== "string" || !Number.isInteger(count) || count < 0) return;
    for (let i = 0; i < count; i++) socket.emit(event, i);
    ack?.(count);
  });
  on("server-disconnect", () => socket.disconnect());
  on("get-handshake", (_args, ack) => {
    ack?.({ auth: socket.handshake.auth ?? null, query: socket.handshake.query });
  });
  on("join", ([room], ack) => {
    if (typeof room === "string") socket.join(room);
    ack?.();
  });
  on("to-room", ([room, event, ...rest], ack) => {
    if (typeof room !== "string" || typeof event !== "string") return;
    socket.nsp.to(room).emit(event, ...rest);
    ack?.();
  });
  on("whoami", (_args, ack) => ack?.(instance));
  on("ask", ([event, ...rest], ack) => {
    if (typeof event !== "string") return;
    socket.timeout(5000).emit(event, ...rest, (err, ...answer) => (err ? ack?.("no answer") : ack?.(...answer)));
  });
  if (recovery) {
    on("emit-later", ([request], ack) => {
      const { event, count, delayMs } = request ?? {};
      const id = socket.id;
      setTimeout(() => {
        for (let i = 0; i < count; i++) socket.nsp.to(id).emit(event, i);
      }, Math.max(0, Number(delayMs) || 0));
      ack?.();
    });
  }
}

/** The pub and sub clients of the Redis adapter, connected; exits with status 1 when Redis is not there. */
async function redisClients(url) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) {
    client.on("error", (err) => process.stderr.write(`node-server: redis: ${err.message}\n`));
  }
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (err) {
    process.stderr.write(`node-server: cannot connect to Redis at ${url}: ${err.message}\n`);
    process.exit(1);
  }
  return [pub, sub];
}

async function main() {
  const config = parseArgs(process.argv.slice(2));
  const redis = config.redis ? await redisClients(config.redis) : null;
  const records = new Map();
  let io;

  /** `/control/*` (test mode only). Returns false when the path is not a control endpoint. */
  function control(req, res, pathname) {
    const recordsMatch = /^\/control\/records\/([^/]+)$/.exec(pathname);
    if (recordsMatch && req.method === "GET") {
      let key;
      try {
        key = decodeURIComponent(recordsMatch[1]);
      } catch {
        notFound(res);
        return true;
      }
      sendJson(res, 200, records.get(key) ?? []);
      return true;
    }
    if (pathname === "/control/reset" && req.method === "POST") {
      records.clear();
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (pathname === "/control/disconnect-all" && req.method === "POST") {
      let disconnected = 0;
      for (const nsp of io._nsps.values()) {
        disconnected += nsp.sockets.size;
        nsp.disconnectSockets(false);
      }
      sendJson(res, 200, { ok: true, disconnected });
      return true;
    }
    return false;
  }

  const server = http.createServer((req, res) => {
    setCors(req, res);
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "Access-Control-Allow-Methods": req.headers["access-control-request-method"] ?? "GET, POST",
        "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "",
        "Content-Length": 0,
      });
      res.end();
      return;
    }
    const { pathname } = new URL(req.url, "http://localhost");
    if (config.test && pathname.startsWith("/control/") && control(req, res, pathname)) return;
    serveStatic(config.root, req, res, pathname);
  });

  io = new Server(server, {
    pingInterval: config.pingInterval,
    pingTimeout: config.pingTimeout,
    maxHttpBufferSize: config.maxPayload,
    transports: config.transports,
    cors: { origin: true, credentials: true },
    ...(config.recovery
      ? { connectionStateRecovery: { maxDisconnectionDuration: 120000, skipMiddlewares: true } }
      : {}),
  });
  if (redis) io.adapter(createAdapter(...redis));

  if (config.test) {
    // Before Engine.IO's own listeners (requests and WebSocket upgrades), as the Rust server's
    // `record_request`: a request (not OPTIONS) to /socket.io/ with `recordRequest=KEY` in its
    // query appends {method, transport, cookie} to the records of KEY.
    const recordRequest = (req) => {
      const { pathname, searchParams } = new URL(req.url, "http://localhost");
      const key = searchParams.get("recordRequest");
      if (!pathname.startsWith("/socket.io") || key === null || req.method === "OPTIONS") return;
      if (!records.has(key)) records.set(key, []);
      const transport = searchParams.get("transport");
      records.get(key).push({ method: req.method, transport, cookie: req.headers.cookie ?? null });
    };
    server.prependListener("request", recordRequest);
    // Only beside Engine.IO's own `upgrade` listener: with none (polling only), Node must keep
    // destroying upgrade requests.
    if (server.listenerCount("upgrade") > 0) server.prependListener("upgrade", recordRequest);
    const options = { records, recovery: config.recovery, instance: config.instance };
    io.of("/").on("connection", (socket) => attachTestEvents(socket, options));
    io.of("/custom").on("connection", (socket) => attachTestEvents(socket, options));
    const auth = io.of("/auth");
    auth.use((socket, next) => {
      if (socket.handshake.auth?.token === "secret") {
        next();
        return;
      }
      const err = new Error("unauthorized");
      err.data = { reason: "bad token" };
      next(err);
    });
    auth.on("connection", (socket) => attachTestEvents(socket, options));
  } else {
    // The demo namespace: `echo` only, as on the Rust server.
    io.of("/").on("connection", (socket) => {
      socket.on("echo", (...args) => {
        const ack = takeAck(args);
        socket.emit("echo", ...args);
        ack?.(...args);
      });
      socket.on("whoami", (...args) => takeAck(args)?.(config.instance));
    });
  }

  // Signal handlers before the LISTENING line: a test may send SIGTERM as soon as it reads it.
  const stop = () => {
    io.close();
    for (const client of redis ?? []) client.disconnect().catch(() => {});
    server.closeAllConnections?.();
    // Let the close frames go out, then leave even if a connection lingers.
    setTimeout(() => process.exit(0), 50).unref();
    server.close(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);

  server.on("error", (err) => {
    process.stderr.write(`node-server: cannot listen on ${config.host}:${config.port}: ${err.message}\n`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const { address, port } = server.address();
    const host = address.includes(":") ? `[${address}]` : address;
    process.stdout.write(`LISTENING http://${host}:${port}\n`);
  });
}

await main();
