#!/usr/bin/env node
// The fault proxy as a process with an HTTP control port, for browser tests.
//
// Usage: node tests/support/fault-proxy-cli.mjs --target-port N [--target-host 127.0.0.1]
//          [--port 0] [--control-port 0]
// Prints, once ready, exactly two lines on stdout:
//   LISTENING http://127.0.0.1:<proxy port>
//   CONTROL http://127.0.0.1:<control port>
// Control endpoints (CORS open; each answers the proxy's state as JSON):
//   POST /cut                     destroy every proxied connection
//   POST /stall?on=1|0            stop / resume forwarding (bytes are buffered, see fault-proxy.mjs)
//   POST /refuse-websocket?on=1|0 answer 403 to new WebSocket connections
//   POST /refuse-all?on=1|0       reset new connections at once
//   POST /delay?ms=N              delay each chunk by N ms
//   GET  /state                   the state only
// Exits on SIGTERM/SIGINT.

import http from "node:http";
import { FaultProxy } from "./fault-proxy.mjs";

const USAGE =
  "usage: fault-proxy-cli.mjs --target-port N [--target-host H] [--port 0] [--control-port 0]";

function parseArgs(argv) {
  const config = { targetHost: "127.0.0.1", targetPort: undefined, port: 0, controlPort: 0 };
  const fail = (message) => {
    process.stderr.write(`fault-proxy: ${message}\n${USAGE}\n`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let value;
    const eq = flag.indexOf("=");
    if (eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    } else {
      if (i + 1 >= argv.length) fail(`${flag} needs a value`);
      value = argv[++i];
    }
    const port = () => {
      if (!/^\d+$/.test(value) || Number(value) > 65535) fail(`${flag}: a port expected, got ${value}`);
      return Number(value);
    };
    switch (flag) {
      case "--target-port": config.targetPort = port(); break;
      case "--target-host": config.targetHost = value; break;
      case "--port": config.port = port(); break;
      case "--control-port": config.controlPort = port(); break;
      default: fail(`unknown option ${flag}`);
    }
  }
  if (!config.targetPort) fail("--target-port is required");
  return config;
}

function state(proxy) {
  return {
    stalled: proxy.stalled,
    refuseWebSocket: proxy.refuseWebSocket,
    refuseAll: proxy.refuseAll,
    delayMs: proxy.delayMs,
    connectionCount: proxy.connectionCount,
    acceptedCount: proxy.acceptedCount,
  };
}

async function main() {
  const config = parseArgs(process.argv.slice(2));
  const proxy = new FaultProxy({ targetHost: config.targetHost, targetPort: config.targetPort });
  const port = await proxy.listen(config.port);

  const control = http.createServer((req, res) => {
    res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
    res.setHeader("Vary", "Origin");
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "",
        "Content-Length": 0,
      });
      res.end();
      return;
    }
    const url = new URL(req.url, "http://localhost");
    const on = url.searchParams.get("on") === "1" || url.searchParams.get("on") === "true";
    const reply = (status, body) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
      res.end(text);
    };
    req.resume(); // no request body is used
    if (req.method === "GET" && url.pathname === "/state") return reply(200, state(proxy));
    if (req.method !== "POST") return reply(405, { error: "POST expected" });
    switch (url.pathname) {
      case "/cut": proxy.cutAll(); break;
      case "/stall": proxy.stalled = on; break;
      case "/refuse-websocket": proxy.refuseWebSocket = on; break;
      case "/refuse-all": proxy.refuseAll = on; break;
      case "/delay": {
        const ms = Number(url.searchParams.get("ms"));
        if (!Number.isFinite(ms) || ms < 0) return reply(400, { error: "ms must be >= 0" });
        proxy.delayMs = ms;
        break;
      }
      default: return reply(404, { error: "unknown endpoint" });
    }
    return reply(200, state(proxy));
  });
  await new Promise((resolve, reject) => {
    control.once("error", reject);
    control.listen(config.controlPort, "127.0.0.1", resolve);
  });

  // Handlers first: a test may send SIGTERM as soon as it reads the lines below.
  const stop = async () => {
    control.closeAllConnections?.();
    control.close();
    await proxy.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);

  process.stdout.write(
    `LISTENING http://127.0.0.1:${port}\nCONTROL http://127.0.0.1:${control.address().port}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`fault-proxy: ${err.message}\n`);
  process.exit(1);
});
