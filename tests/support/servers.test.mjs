// Tests of the test fixtures themselves: the Rust reference server and the Node server must honour
// the same contract (server/src/testns.rs), and the fault proxy must inject its faults. The client
// is the official socket.io-client, in Node.
//
// Run: node --test tests/support/servers.test.mjs   (builds the Rust server with cargo first)

import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { io } from "socket.io-client";
import { FaultProxy } from "./fault-proxy.mjs";
import { buildRustServer, startFaultProxyCli, startNodeServer, startRustServer } from "./spawn.mjs";

/** Per-test bound; every wait inside is bounded more tightly. */
const TEST_TIMEOUT = { timeout: 20_000 };
const WAIT_MS = 5_000;

const KINDS = [
  {
    name: "rust",
    start: async (args) => {
      await buildRustServer();
      return startRustServer(args);
    },
    // socketioxide sends CONNECT_ERROR as {"message": ...} only: no `data` field.
    connectErrorData: false,
  },
  { name: "node", start: (args) => startNodeServer(args), connectErrorData: true },
];

// ---------------------------------------------------------------------------------------------
// Helpers: every wait has a deadline and says what it was waiting for.

/** Resolves with the args of the next `event` on `emitter`, or rejects after `ms`. */
function once(emitter, event, ms = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, handler);
      reject(new Error(`timed out after ${ms} ms waiting for "${event}"`));
    }, ms);
    const handler = (...args) => {
      clearTimeout(timer);
      resolve(args);
    };
    emitter.once(event, handler);
  });
}

/** Resolves when `predicate()` is true (checked every 10 ms), or rejects after `ms`. */
async function until(predicate, what, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Emits and resolves with ALL the ack's arguments (emitWithAck only gives the first). */
function ackAll(socket, event, ...args) {
  return new Promise((resolve, reject) => {
    socket.timeout(WAIT_MS).emit(event, ...args, (err, ...reply) => (err ? reject(err) : resolve(reply)));
  });
}

const sockets = new Set();

/** A new client (own Manager, no reconnection unless asked); closed by `closeAll()`. */
function client(url, options = {}) {
  const socket = io(url, { forceNew: true, reconnection: false, ...options });
  sockets.add(socket);
  return socket;
}

function closeAll() {
  for (const socket of sockets) socket.disconnect();
  sockets.clear();
}

/** Resolves once `socket` is connected; rejects with the connect_error, or after `ms`. */
function connected(socket, ms = WAIT_MS) {
  if (socket.connected) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out after ${ms} ms waiting for connect`)), ms);
    const onConnect = () => done(null);
    const onError = (err) => done(err);
    const done = (err) => {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("connect_error", onError);
      err ? reject(err) : resolve(socket);
    };
    socket.on("connect", onConnect);
    socket.on("connect_error", onError);
  });
}

/** Resolves with the next connect_error of `socket`; rejects if it connects instead, or after `ms`. */
function connectError(socket, ms = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out after ${ms} ms waiting for connect_error`)), ms);
    const onConnect = () => done(new Error("connected, but a connect_error was expected"));
    const onError = (err) => done(null, err);
    const done = (failure, err) => {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("connect_error", onError);
      failure ? reject(failure) : resolve(err);
    };
    socket.on("connect", onConnect);
    socket.on("connect_error", onError);
  });
}

/** A raw HTTP request (no URL normalization, unlike fetch). */
function rawGet(port, rawPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: rawPath, method: "GET", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.setTimeout(WAIT_MS, () => req.destroy(new Error(`GET ${rawPath} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/**
 * A raw WebSocket handshake to `rawPath`. Resolves `{head, rest}` (latin1 text of the response
 * head, and the bytes after it) once the connection closes, `rest` holds `stopAt` bytes, or after
 * `ms`; the connection is then closed here. `afterHead(socket)` runs once the head is in.
 */
function rawWebSocket(port, rawPath, { afterHead, stopAt = Infinity, ms = 2_000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let bytes = Buffer.alloc(0);
    let end = -1;
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.on("data", (d) => {
      bytes = Buffer.concat([bytes, d]);
      if (end === -1 && (end = bytes.indexOf("\r\n\r\n")) !== -1) afterHead?.(socket);
      if (end !== -1 && bytes.length - end - 4 >= stopAt) socket.destroy();
    });
    socket.on("error", () => {}); // a reset ends in "close" too
    socket.on("close", () => {
      clearTimeout(timer);
      const cut = end === -1 ? bytes.length : end + 4;
      resolve({ head: bytes.subarray(0, cut).toString("latin1"), rest: bytes.subarray(cut) });
    });
    socket.write(
      `GET ${rawPath} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
  });
}

/** A client's masked WebSocket text frame (payload < 126 bytes). */
function maskedTextFrame(text) {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((b, i) => b ^ mask[i % 4])]);
}

/** The Engine.IO open packet of a fresh polling handshake. */
async function handshake(port) {
  const res = await rawGet(port, "/socket.io/?EIO=4&transport=polling");
  assert.equal(res.status, 200, res.body);
  assert.equal(res.body[0], "0", `open packet expected, got ${res.body}`);
  return JSON.parse(res.body.slice(1));
}

/** A static root with known files, and a secret file next to it (outside the root). */
function makeStaticRoot() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sio-static-"));
  const root = path.join(dir, "root");
  for (const sub of ["www", "pkg", "js", "empty-dir"]) fs.mkdirSync(path.join(root, sub), { recursive: true });
  fs.writeFileSync(path.join(root, "www", "index.html"), "<!doctype html><title>demo</title>");
  fs.writeFileSync(path.join(root, "www", "app.js"), "export const app = 1;\n");
  fs.writeFileSync(path.join(root, "js", "index.mjs"), "export const x = 1;\n");
  fs.writeFileSync(path.join(root, "pkg", "m.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, "secret.txt"), "TOP SECRET");
  return { dir, root };
}

// ---------------------------------------------------------------------------------------------

for (const kind of KINDS) {
  describe(`${kind.name} server`, () => {
    let server; // --test
    let fast; // --test with a 300/200 ms heartbeat and a small maxPayload
    let pollingOnly; // --test --transports polling
    let files;

    before(async () => {
      files = makeStaticRoot();
      [server, fast, pollingOnly] = await Promise.all([
        kind.start(["--test", "--root", files.root]),
        kind.start(["--test", "--ping-interval", "300", "--ping-timeout", "200", "--max-payload", "5000"]),
        kind.start(["--test", "--transports", "polling"]),
      ]);
    });

    after(async () => {
      closeAll();
      await Promise.all([server?.stop(), fast?.stop(), pollingOnly?.stop()]);
      if (files) fs.rmSync(files.dir, { recursive: true, force: true });
    });

    it("prints a LISTENING url on 127.0.0.1", () => {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.port > 0);
    });

    it("advertises the configured heartbeat, maxPayload and upgrades", TEST_TIMEOUT, async () => {
      const open = await handshake(fast.port);
      assert.equal(open.pingInterval, 300);
      assert.equal(open.pingTimeout, 200);
      assert.equal(open.maxPayload, 5000);
      assert.deepEqual(open.upgrades, ["websocket"]);
      const defaults = await handshake(server.port);
      assert.equal(defaults.pingInterval, 25000);
      assert.equal(defaults.pingTimeout, 20000);
      assert.equal(defaults.maxPayload, 1000000);
    });

    it("echo: JSON args come back as an event and as the ack", TEST_TIMEOUT, async () => {
      const s = await connected(client(server.url));
      const args = [{ a: 1, b: [true, null, "x", 1.5, -3] }, 42, "str", [], {}];
      const event = once(s, "echo");
      const ack = await ackAll(s, "echo", ...args);
      assert.deepEqual(ack, args);
      assert.deepEqual(await event, args);
    });

    it("echo: binary args (top level and nested) come back binary", TEST_TIMEOUT, async () => {
      const s = await connected(client(server.url));
      const args = [Buffer.from([1, 2, 3]), { nested: Buffer.from([4, 5]), list: [Buffer.alloc(0)] }, "t"];
      const event = once(s, "echo");
      const ack = await ackAll(s, "echo", ...args);
      assert.deepEqual(ack, args);
      assert.deepEqual(await event, args);
      assert.ok(Buffer.isBuffer(ack[0]));
    });

    it("echo without an ack still emits back, in order", TEST_TIMEOUT, async () => {
      const s = await connected(client(server.url, { transports: ["websocket"] }));
      const got = [];
      s.on("echo", (n) => got.push(n));
      for (let i = 0; i < 50; i++) s.emit("echo", i);
      await until(() => got.length === 50, "50 echoes");
      assert.deepEqual(got, [...Array(50).keys()]);
    });

    it("/custom has the same events", TEST_TIMEOUT, async () => {
      const s = await connected(client(`${server.url}/custom`));
      assert.deepEqual(await ackAll(s, "echo", "hi", Buffer.from([9])), ["hi", Buffer.from([9])]);
      assert.deepEqual(await ackAll(s, "ack-later", 10), ["done"]);
    });

    it("an unknown namespace is refused", TEST_TIMEOUT, async () => {
      const err = await connectError(client(`${server.url}/nope`));
      assert.equal(err.message, "Invalid namespace");
    });

    it("/auth refuses a bad token with message (and data on Node)", TEST_TIMEOUT, async () => {
      const err = await connectError(client(`${server.url}/auth`, { auth: { token: "wrong" } }));
      assert.equal(err.message, "unauthorized");
      if (kind.connectErrorData) assert.deepEqual(err.data, { reason: "bad token" });
      else assert.equal(err.data, undefined);
      const none = await connectError(client(`${server.url}/auth`));
      assert.equal(none.message, "unauthorized");
    });

    it("/auth accepts the token and has the test events", TEST_TIMEOUT, async () => {
      const s = await connected(client(`${server.url}/auth`, { auth: { token: "secret" } }));
      assert.deepEqual(await ackAll(s, "echo", 1, "two"), [1, "two"]);
    });

    it("get-handshake acks the auth and the query", TEST_TIMEOUT, async () => {
      const s = await connected(client(server.url, { auth: { token: "abc", n: 1 }, query: { foo: "bar" } }));
      const [hs] = await ackAll(s, "get-handshake");
      assert.deepEqual(hs.auth, { token: "abc", n: 1 });
      assert.equal(hs.query.foo, "bar");
      assert.equal(hs.query.EIO, "4");
      const bare = await connected(client(server.url));
      const [hs2] = await ackAll(bare, "get-handshake");
      assert.deepEqual(hs2.auth, {});
    });

    it("record + GET /control/records/:key + POST /control/reset", TEST_TIMEOUT, async () => {
      const s = await connected(client(server.url));
      const key = `k-${kind.name}-${Date.now()}`;
      assert.deepEqual(await ackAll(s, "record", key, { x: 1 }), [1]);
      assert.deepEqual(await ackAll(s, "record", key, "two"), [2]);
      s.emit("record", key, 3); // no ack asked
      assert.deepEqual(await ackAll(s, "record", key, null), [4]);
      const res = await fetch(`${server.url}/control/records/${encodeURIComponent(key)}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type"), /application\/json/);
      assert.deepEqual(await res.json(), [{ x: 1 }, "two", 3, null]);
      assert.deepEqual(await (await fetch(`${server.url}/control/records/unknown-key`)).json(), []);
      const reset = await fetch(`${server.url}/control/reset`, { method: "POST" });
      assert.equal(reset.status, 200);
      assert.deepEqual(await (await fetch(`${server.url}/control/records/${key}`)).json(), []);
    });

    it("burst: count events in order, then the ack", TEST_TIMEOUT, async () => {
      const s = await connected(client(server.url));
      const got = [];
      s.on("tick", (i) => got.push(i));
      // More than socketioxide's default 128-packet queue.
      assert.deepEqual(await ackAll(s, "burst", { event: "tick", count: 500 }), [500]);
      assert.equal(got.length, 500, "every event arrives before the ack");
      assert.deepEqual(got, [...Array(500).keys()]);
    });

    it("ack-later acks after the delay; no-ack never acks", TEST_TIMEOUT, async () => {
      const s = await connected(client(server.url));
      const t0 = Date.now();
      assert.deepEqual(await ackAll(s, "ack-later", 150), ["done"]);
      assert.ok(Date.now() - t0 >= 140, `acked after ${Date.now() - t0} ms`);
      await assert.rejects(s.timeout(300).emitWithAck("no-ack"), /operation has timed out/);
    });

    it("join + to-room reach every member, the sender included", TEST_TIMEOUT, async () => {
      const [a, b, c] = await Promise.all([0, 1, 2].map(() => connected(client(server.url))));
      await ackAll(a, "join", "room-1");
      await ackAll(b, "join", "room-1");
      const outsider = [];
      c.on("hello", (...args) => outsider.push(args));
      const atA = once(a, "hello");
      const atB = once(b, "hello");
      assert.deepEqual(await ackAll(a, "to-room", "room-1", "hello", 1, { bin: Buffer.from([7]) }), []);
      assert.deepEqual(await atA, [1, { bin: Buffer.from([7]) }]);
      assert.deepEqual(await atB, [1, { bin: Buffer.from([7]) }]);
      await ackAll(c, "echo"); // a round trip on c: a stray "hello" would have arrived by now
      assert.deepEqual(outsider, []);
    });

    it('server-disconnect gives "io server disconnect"', TEST_TIMEOUT, async () => {
      const s = await connected(client(server.url));
      const reason = once(s, "disconnect");
      s.emit("server-disconnect");
      assert.equal((await reason)[0], "io server disconnect");
    });

    it('POST /control/disconnect-all disconnects every namespace ("io server disconnect")', TEST_TIMEOUT, async () => {
      const a = await connected(client(server.url));
      const b = await connected(client(`${server.url}/custom`));
      const reasons = Promise.all([once(a, "disconnect"), once(b, "disconnect")]);
      const res = await fetch(`${server.url}/control/disconnect-all`, { method: "POST" });
      assert.equal(res.status, 200);
      const [[ra], [rb]] = await reasons;
      assert.equal(ra, "io server disconnect");
      assert.equal(rb, "io server disconnect");
    });

    it("polling-only: a websocket-only client cannot connect, a polling one can", TEST_TIMEOUT, async () => {
      const open = await handshake(pollingOnly.port);
      assert.deepEqual(open.upgrades, []);
      const err = await connectError(client(pollingOnly.url, { transports: ["websocket"] }));
      assert.ok(err, "connect_error expected");
      const s = await connected(client(pollingOnly.url, { transports: ["polling"] }));
      assert.deepEqual(await ackAll(s, "echo", "p"), ["p"]);
      assert.equal(s.io.engine.transport.name, "polling");
    });

    for (const transport of ["websocket", "polling"]) {
      it(`--max-payload: an oversized ${transport} message closes the connection`, TEST_TIMEOUT, async () => {
        const s = await connected(client(fast.url, { transports: [transport] }));
        const disconnected = once(s, "disconnect");
        s.emit("echo", "x".repeat(10_000)); // maxPayload is 5000
        const [reason] = await disconnected;
        assert.equal(reason, transport === "websocket" ? "transport close" : "transport error");
      });
    }

    it("serves static files with the right MIME types", TEST_TIMEOUT, async () => {
      const index = await rawGet(server.port, "/");
      assert.equal(index.status, 200);
      assert.match(index.headers["content-type"], /^text\/html/);
      assert.equal(index.body, "<!doctype html><title>demo</title>");
      const cases = [
        ["/www/app.js", /^text\/javascript/],
        ["/js/index.mjs", /^text\/javascript/],
        ["/pkg/m.wasm", /^application\/wasm$/],
        ["/www/index.html", /^text\/html/],
      ];
      for (const [p, type] of cases) {
        const res = await rawGet(server.port, p);
        assert.equal(res.status, 200, p);
        assert.match(res.headers["content-type"], type, p);
      }
      assert.equal((await rawGet(server.port, "/missing.js")).status, 404);
      assert.equal((await rawGet(server.port, "/empty-dir")).status, 404, "no directory listing");
      assert.equal((await rawGet(server.port, "/empty-dir/")).status, 404, "no directory listing");
    });

    it("refuses path traversal", TEST_TIMEOUT, async () => {
      for (const p of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/www/../../secret.txt", "/%2e%2e%5csecret.txt"]) {
        const res = await rawGet(server.port, p);
        assert.notEqual(res.status, 200, p);
        assert.ok(!res.body.includes("TOP SECRET"), p);
      }
    });

    it("opens CORS with credentials for any origin", TEST_TIMEOUT, async () => {
      const origin = "http://127.0.0.1:1";
      const res = await rawGet(server.port, "/control/records/x", { Origin: origin });
      assert.equal(res.headers["access-control-allow-origin"], origin);
      assert.equal(res.headers["access-control-allow-credentials"], "true");
      const sio = await rawGet(server.port, "/socket.io/?EIO=4&transport=polling", { Origin: origin });
      assert.equal(sio.headers["access-control-allow-origin"], origin);
      assert.equal(sio.headers["access-control-allow-credentials"], "true");
      const preflight = await new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: "127.0.0.1",
            port: server.port,
            path: "/control/reset",
            method: "OPTIONS",
            headers: { Origin: origin, "Access-Control-Request-Method": "POST" },
          },
          (r) => {
            r.resume();
            resolve(r);
          },
        );
        req.on("error", reject);
        req.end();
      });
      assert.ok(preflight.statusCode < 300, `preflight status ${preflight.statusCode}`);
      assert.equal(preflight.headers["access-control-allow-origin"], origin);
      assert.match(preflight.headers["access-control-allow-methods"], /POST/);
    });

    describe("through the fault proxy", () => {
      // `proxy` fronts the server with the default heartbeat; `fastProxy` fronts the 300/200 ms
      // one, used only where the heartbeat is the point (a loaded machine can miss 200 ms).
      let proxy;
      let proxyUrl;
      let fastProxy;
      let fastProxyUrl;

      before(async () => {
        proxy = new FaultProxy({ targetPort: server.port });
        proxyUrl = `http://127.0.0.1:${await proxy.listen()}`;
        fastProxy = new FaultProxy({ targetPort: fast.port });
        fastProxyUrl = `http://127.0.0.1:${await fastProxy.listen()}`;
      });

      after(async () => {
        closeAll();
        await Promise.all([proxy?.close(), fastProxy?.close()]);
      });

      it("passes traffic and counts connections", TEST_TIMEOUT, async () => {
        const base = proxy.connectionCount;
        const s = await connected(client(proxyUrl, { transports: ["websocket"] }));
        assert.deepEqual(await ackAll(s, "echo", Buffer.from([1]), "x"), [Buffer.from([1]), "x"]);
        assert.equal(proxy.connectionCount, base + 1);
        s.disconnect();
        await until(() => proxy.connectionCount === base, "the proxied connection to close");
      });

      for (const transport of ["websocket", "polling"]) {
        it(`cutAll: a ${transport} client reconnects`, TEST_TIMEOUT, async () => {
          const s = await connected(
            client(proxyUrl, { transports: [transport], reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 }),
          );
          const firstId = s.id;
          const disconnected = once(s, "disconnect");
          const reconnected = once(s.io, "reconnect");
          // cutAll() only cuts the connections open right now. A polling client opens a new
          // connection for each request, and the next long-poll may not be connected yet, so
          // cut until the client notices (each cut is a real fault; the deadline bounds it).
          let noticed = false;
          disconnected.then(() => (noticed = true), () => {});
          await until(() => {
            if (!noticed) proxy.cutAll();
            return noticed;
          }, "the client to notice the cut");
          const [reason] = await disconnected;
          assert.ok(["transport close", "transport error"].includes(reason), `reason: ${reason}`);
          await reconnected;
          await until(() => s.connected, "the socket to connect again");
          assert.notEqual(s.id, firstId);
          assert.deepEqual(await ackAll(s, "echo", "again"), ["again"]);
        });
      }

      it("refuseWebSocket: websocket-only fails, polling passes, an upgrade fails over", TEST_TIMEOUT, async () => {
        proxy.refuseWebSocket = true;
        try {
          const err = await connectError(client(proxyUrl, { transports: ["websocket"] }));
          assert.equal(err.message, "websocket error");
          const p = await connected(client(proxyUrl, { transports: ["polling"] }));
          assert.deepEqual(await ackAll(p, "echo", 1), [1]);
          const both = client(proxyUrl); // polling first, then an upgrade probe that gets a 403
          const upgradeError = once(both.io, "open").then(() => once(both.io.engine, "upgradeError"));
          await connected(both);
          await upgradeError;
          assert.equal(both.io.engine.transport.name, "polling");
          assert.deepEqual(await ackAll(both, "echo", 2), [2]);
        } finally {
          proxy.refuseWebSocket = false;
        }
      });

      for (const transport of ["websocket", "polling"]) {
        it(`stalled: a ${transport} client gets "ping timeout"`, TEST_TIMEOUT, async () => {
          const s = await connected(client(fastProxyUrl, { transports: [transport] }));
          const disconnected = once(s, "disconnect", 3_000); // 300 + 200 ms, plus slack
          fastProxy.stalled = true;
          try {
            const [reason] = await disconnected;
            assert.equal(reason, "ping timeout");
          } finally {
            fastProxy.stalled = false;
          }
        });
      }

      it("stalled bytes are buffered and delivered on resume", TEST_TIMEOUT, async () => {
        const s = await connected(client(proxyUrl, { transports: ["websocket"] }));
        proxy.stalled = true;
        let acked = false;
        const ack = ackAll(s, "echo", "held").then((r) => {
          acked = true;
          return r;
        });
        await new Promise((r) => setTimeout(r, 100)); // a stall must hold, so waiting is the test
        assert.equal(acked, false, "nothing passes while stalled");
        proxy.stalled = false;
        assert.deepEqual(await ack, ["held"]);
      });

      // The two modes below are checked on the wire; what clients make of them is in
      // tests/e2e/faults.test.mjs.
      it("cutWebSocketAfter101: a WebSocket gets the 101 head and nothing after it, then the connection dies", TEST_TIMEOUT, async () => {
        const wsPath = "/socket.io/?EIO=4&transport=websocket";
        const direct = await rawWebSocket(server.port, wsPath, { stopAt: 1 });
        assert.match(direct.head, /^HTTP\/1\.1 101 /);
        assert.equal(direct.rest[0], 0x81, "without the fault, the open packet follows the head");
        proxy.cutWebSocketAfter101 = true;
        try {
          const cut = await rawWebSocket(proxy.port, wsPath, { ms: WAIT_MS });
          assert.match(cut.head, /^HTTP\/1\.1 101 [^]*\r\n\r\n$/);
          assert.equal(cut.rest.length, 0, "nothing after the head");
        } finally {
          proxy.cutWebSocketAfter101 = false;
        }
      });

      it('wrongProbeAnswer: the probe is answered "3pr0be"; another first frame passes unchanged', TEST_TIMEOUT, async () => {
        proxy.wrongProbeAnswer = true;
        try {
          const { sid } = await handshake(server.port);
          const probe = await rawWebSocket(proxy.port, `/socket.io/?EIO=4&transport=websocket&sid=${sid}`, {
            afterHead: (socket) => socket.write(maskedTextFrame("2probe")),
            stopAt: 8,
          });
          assert.match(probe.head, /^HTTP\/1\.1 101 /);
          assert.deepEqual([...probe.rest.subarray(0, 2)], [0x81, 0x06]);
          assert.equal(probe.rest.subarray(2, 8).toString(), "3pr0be");
          const open = await rawWebSocket(proxy.port, "/socket.io/?EIO=4&transport=websocket", { stopAt: 10 });
          assert.equal(open.rest[0], 0x81);
          assert.ok(open.rest.toString("latin1").includes('0{"sid":'), "a fresh session's open packet is untouched");
        } finally {
          proxy.wrongProbeAnswer = false;
        }
      });

      it("refuseAll: connections fail until it is lifted, then the client reconnects", TEST_TIMEOUT, async () => {
        proxy.refuseAll = true;
        const s = client(proxyUrl, { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 });
        try {
          await connectError(s);
          const before = proxy.acceptedCount;
          await until(() => proxy.acceptedCount >= before + 2, "more refused attempts");
          assert.equal(s.connected, false);
        } finally {
          proxy.refuseAll = false;
        }
        await until(() => s.connected, "a reconnection once refuseAll is lifted");
        assert.deepEqual(await ackAll(s, "echo", "up"), ["up"]);
      });

      it("delayMs: slows each direction and keeps the order", TEST_TIMEOUT, async () => {
        const s = await connected(client(proxyUrl, { transports: ["websocket"] }));
        proxy.delayMs = 100;
        try {
          const t0 = Date.now();
          await ackAll(s, "echo", "slow");
          const rtt = Date.now() - t0;
          assert.ok(rtt >= 190, `round trip took ${rtt} ms, expected >= 200`);
          const got = [];
          s.on("d", (i) => got.push(i));
          assert.deepEqual(await ackAll(s, "burst", { event: "d", count: 100 }), [100]);
          assert.deepEqual(got, [...Array(100).keys()]);
        } finally {
          proxy.delayMs = 0;
        }
      });
    });
  });
}

describe("fault-proxy-cli", () => {
  let server;
  let cli;

  before(async () => {
    await buildRustServer();
    server = await startRustServer(["--test"]);
    cli = await startFaultProxyCli(server.port);
  });

  after(async () => {
    closeAll();
    await Promise.all([cli?.stop(), server?.stop()]);
  });

  it("prints LISTENING and CONTROL urls", () => {
    assert.match(cli.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(cli.controlUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("POST /cut makes the client reconnect; the toggles report their state", TEST_TIMEOUT, async () => {
    const s = await connected(
      client(cli.url, { transports: ["websocket"], reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 }),
    );
    const reconnected = once(s.io, "reconnect");
    await cli.control("/cut");
    await reconnected;
    await until(() => s.connected, "the socket to connect again");

    assert.equal((await cli.control("/stall?on=1")).stalled, true);
    assert.equal((await cli.control("/stall?on=0")).stalled, false);
    assert.equal((await cli.control("/refuse-websocket?on=1")).refuseWebSocket, true);
    assert.equal((await cli.control("/refuse-websocket?on=0")).refuseWebSocket, false);
    assert.equal((await cli.control("/refuse-all?on=1")).refuseAll, true);
    assert.equal((await cli.control("/refuse-all?on=0")).refuseAll, false);
    assert.equal((await cli.control("/delay?ms=25")).delayMs, 25);
    const state = await cli.control("/delay?ms=0");
    assert.equal(state.delayMs, 0);
    assert.equal(state.connectionCount, 1);
    assert.deepEqual(await ackAll(s, "echo", "ok"), ["ok"]);
  });

  it("answers CORS preflights", TEST_TIMEOUT, async () => {
    const res = await fetch(`${cli.controlUrl}/cut`, {
      method: "OPTIONS",
      headers: { Origin: "http://example.test", "Access-Control-Request-Method": "POST" },
    });
    assert.ok(res.status < 300);
    assert.equal(res.headers.get("access-control-allow-origin"), "http://example.test");
  });

  it("stops on SIGTERM", TEST_TIMEOUT, async () => {
    const extra = await startFaultProxyCli(server.port);
    const { code, signal } = await extra.stop();
    assert.equal(signal, null);
    assert.equal(code, 0);
  });
});

describe("server processes", () => {
  for (const kind of KINDS) {
    it(`${kind.name} server exits cleanly on SIGTERM with a client connected`, TEST_TIMEOUT, async () => {
      const s = await kind.start(["--test"]);
      const c = await connected(client(s.url, { transports: ["websocket"] }));
      const t0 = Date.now();
      const { code, signal } = await s.stop();
      assert.equal(signal, null, "not killed");
      assert.equal(code, 0);
      assert.ok(Date.now() - t0 < 4_000, `took ${Date.now() - t0} ms`);
      c.disconnect();
    });

    it(`${kind.name} server without --test: the demo echo only, no control endpoints`, TEST_TIMEOUT, async () => {
      const s = await kind.start([]);
      try {
        const c = await connected(client(s.url));
        assert.deepEqual(await ackAll(c, "echo", "demo", Buffer.from([1])), ["demo", Buffer.from([1])]);
        await assert.rejects(c.timeout(300).emitWithAck("record", "k", 1), /operation has timed out/);
        const custom = await connectError(client(`${s.url}/custom`));
        assert.equal(custom.message, "Invalid namespace");
        const reset = await fetch(`${s.url}/control/reset`, { method: "POST" });
        assert.notEqual(reset.status, 200);
        const records = await fetch(`${s.url}/control/records/k`);
        assert.equal(records.status, 404);
      } finally {
        closeAll();
        await s.stop();
      }
    });

    it(`${kind.name} server rejects a bad command line`, TEST_TIMEOUT, async () => {
      await assert.rejects(kind.start(["--no-such-flag"]), /exited \(2\)/);
    });
  }
});
