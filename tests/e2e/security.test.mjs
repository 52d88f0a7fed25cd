// Security properties end to end:
// 1. `auth` travels only in the CONNECT packet of its own namespace (never in a URL, another
//    namespace's CONNECT or any other packet) and is never logged, also across a reconnection
//    and a connect_error; both servers, polling and WebSocket.
// 2. `withCredentials` is off by default: a cross-origin polling request carries no cookie
//    unless it is set; both servers (the page is served from the other server's origin).
// 3. Data with `__proto__` keys from a server stays plain data: an own property, no prototype
//    change, no pollution; events and acks, JSON and binary; a raw server and both real ones.
// 4. Receive limits: more than 10 attachments, or a packet longer than the handshake's
//    maxPayload, is a "parse error" followed by a reconnection; at the limit it is delivered.
//    So is an event whose JSON does not parse past its name (our core leaves that check to the
//    face's JSON.parse), and what follows it in the same payload is not delivered.
//
// Raw-wire scenarios use a scriptable Engine.IO polling server (hostile-server.mjs). Every wait
// is bounded. SIO_REFERENCE=1 runs the suite against socket.io-client 4.8 (socket-helpers.mjs).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { SERVER_KINDS, addTestHelpers, records, until, useServers } from "./fixtures.mjs";
import { startHostileServer } from "./hostile-server.mjs";
import { CLIENT, key } from "./socket-helpers.mjs";

const ctx = useServers();
/** Per-test bound; the waits inside are tighter. */
const T = { timeout: 30_000 };
const MODULE = CLIENT === "official" ? "/node_modules/socket.io-client/dist/socket.io.esm.min.js" : "/pkg/index.js";

/**
 * A page at `origin` (its own browser context, with `cookies` if given) with `sio` (this
 * package, or the official client with SIO_REFERENCE=1) and the helpers of fixtures.mjs
 * `openTestPage` (`addTestHelpers`). Collects every console message
 * (`page.consoleTexts`: each message's text and its arguments as JSON) and uncaught errors
 * (`page.uncaught`). Closed when test `t` ends.
 */
async function openAt(origin, t, { cookies } = {}) {
  const context = await ctx.browser.newContext();
  t.after(() => context.close());
  if (cookies) await context.addCookies(cookies);
  const page = await context.newPage();
  page.uncaught = [];
  page.on("pageerror", (e) => page.uncaught.push(String(e.stack ?? e)));
  const consoleTexts = [];
  page.consoleTexts = consoleTexts;
  page.on("console", (m) => {
    consoleTexts.push(`${m.type()}: ${m.text()}`);
    for (const arg of m.args()) {
      consoleTexts.push(
        arg.jsonValue().then(
          (v) => JSON.stringify(v) ?? String(v),
          () => "",
        ),
      );
    }
  });
  /** Every console message's text and arguments, once the arguments are read. */
  page.consoleOutput = () => Promise.all(consoleTexts);
  await page.goto(`${origin}/tests/e2e/pages/blank.html`);
  await addTestHelpers(page); // before the client's import, which may capture WebSocket and fetch
  await page.evaluate(async (module) => {
    window.sio = await import(module);
  }, MODULE);
  return page;
}

/** A fresh unique string that cannot appear anywhere by chance. */
const secret = (label) => `${label}-secret-${randomBytes(9).toString("hex")}`;

// ---- 1. auth only in its own namespace's CONNECT, never logged ---------------------------------

for (const kind of SERVER_KINDS) {
  describe(`auth confidentiality against the ${kind} server (client: ${CLIENT})`, () => {
    for (const transport of ["polling", "websocket"]) {
      it(`${transport}: each namespace's auth only in its own CONNECT, never in a URL, another packet or the console (with a reconnection and a connect_error)`, T, async (t) => {
        const page = await openAt(ctx.servers.rust, t);
        // What the page sends: polling POST bodies (split into packets), WebSocket frames, URLs.
        const urls = [];
        const packets = [];
        page.on("request", (r) => {
          urls.push(r.url());
          const body = r.postData();
          if (body != null) packets.push(...body.split("\x1e"));
        });
        page.on("websocket", (ws) => {
          urls.push(ws.url());
          ws.on("framesent", ({ payload }) => packets.push(typeof payload === "string" ? payload : payload.toString("latin1")));
        });
        const auths = {
          "/": { token: "t-root", secret: secret("root") },
          "/custom": { token: "t-custom", nested: { secret: secret("custom") } },
          // Refused by the server (its token is not "secret"): a connect_error.
          "/auth": { token: "wrong", secret: secret("auth") },
        };
        const secrets = { "/": auths["/"].secret, "/custom": auths["/custom"].nested.secret, "/auth": auths["/auth"].secret };
        const r = await page.evaluate(
          async ({ url, transport, auths }) => {
            // A canary: shows that the console capture sees messages and their arguments.
            console.debug("console capture check", { probe: "console-capture-probe" });
            const manager = new sio.Manager(url, { transports: [transport], reconnectionDelay: 100, reconnectionDelayMax: 200, randomizationFactor: 0 });
            track(manager, "io:", ["reconnect_attempt", "reconnect"]);
            const sockets = {};
            for (const nsp of Object.keys(auths)) {
              sockets[nsp] = manager.socket(nsp, { auth: auths[nsp] });
              track(sockets[nsp], `${nsp}:`, ["connect", "connect_error", "disconnect"]);
            }
            const handshakes = async () => ({
              "/": (await sockets["/"].timeout(5000).emitWithAck("get-handshake")).auth,
              "/custom": (await sockets["/custom"].timeout(5000).emitWithAck("get-handshake")).auth,
            });
            await untilEvent("/:connect", 1, 10000);
            await untilEvent("/custom:connect", 1, 10000);
            await untilEvent("/auth:connect_error", 1, 10000);
            const first = await handshakes();
            // A reconnection: the Manager sends every active namespace's CONNECT again.
            manager.engine.close();
            await untilEvent("io:reconnect", 1, 10000);
            await untilEvent("/:connect", 2, 10000);
            await untilEvent("/custom:connect", 2, 10000);
            const second = await handshakes();
            // After the connect_error, connecting again by hand: a second refusal.
            sockets["/auth"].connect();
            await untilEvent("/auth:connect_error", 2, 10000);
            const errors = entries("/auth:connect_error").map((e) => e.args[0].error);
            for (const s of Object.values(sockets)) s.disconnect();
            return { first, second, errors };
          },
          { url: ctx.servers[kind], transport, auths },
        );
        assert.deepEqual(r.first, { "/": auths["/"], "/custom": auths["/custom"] }, "each namespace's server socket got its own auth");
        assert.deepEqual(r.second, r.first, "and the same after the reconnection");
        assert.deepEqual(r.errors, ["unauthorized", "unauthorized"]);

        // Playwright reports frames asynchronously: wait until both rounds of CONNECTs are in.
        const carrying = (s) => packets.filter((p) => p.includes(s));
        await until(() => Object.values(secrets).every((s) => carrying(s).length >= 2), "two CONNECTs per namespace captured", 5000);
        for (const [nsp, auth] of Object.entries(auths)) {
          const found = carrying(secrets[nsp]);
          assert.equal(found.length, 2, `${nsp}: its secret is in exactly its two CONNECTs: ${JSON.stringify(found)}`);
          for (const packet of found) {
            const m = /^40(?:(\/[^,]*),)?(\{.*\})$/s.exec(packet);
            assert.ok(m, `${nsp}: its secret in a packet that is not a CONNECT: ${packet}`);
            assert.equal(m[1] ?? "/", nsp, `${nsp}: its secret in the CONNECT of another namespace: ${packet}`);
            assert.deepEqual(JSON.parse(m[2]), auth, `${nsp}: the CONNECT carries exactly its auth`);
          }
        }
        assert.ok(urls.length > 0 && packets.length > 0, "the capture saw the traffic");
        for (const url of urls) {
          for (const s of Object.values(secrets)) assert.ok(!url.includes(s), `a secret in a URL: ${url}`);
        }
        const logged = [...(await page.consoleOutput()), ...page.uncaught];
        assert.ok(logged.some((text) => text.includes("console-capture-probe")), "the console capture works");
        for (const text of logged) {
          for (const s of Object.values(secrets)) assert.ok(!text.includes(s), `a secret in the console: ${text}`);
        }
        assert.deepEqual(page.uncaught, []);
      });
    }
  });
}

// ---- 2. withCredentials off by default -----------------------------------------------------------

for (const kind of SERVER_KINDS) {
  describe(`withCredentials against the ${kind} server (client: ${CLIENT})`, () => {
    it("cross-origin polling: no Cookie by default; with withCredentials: true every GET and POST has it (and CORS allows credentials)", T, async (t) => {
      const serverUrl = ctx.servers[kind];
      // The page on the other server's origin: same host, another port, so cross-origin.
      const pageOrigin = kind === "rust" ? ctx.servers.node : ctx.servers.rust;
      const cookie = { name: "sio_session", value: secret("cookie"), url: serverUrl };
      const page = await openAt(pageOrigin, t, { cookies: [cookie] });
      const responses = [];
      page.on("response", (res) => {
        if (res.url().includes("/socket.io/")) responses.push({ url: res.url(), method: res.request().method(), headers: res.headers() });
      });
      const keys = { off: key(`cookie-off-${kind}`), on: key(`cookie-on-${kind}`) };
      const r = await page.evaluate(
        async ({ url, keys }) => {
          const run = async (name, opts) => {
            const socket = sio.io(url, { forceNew: true, transports: ["polling"], ...opts });
            track(socket, `${name}:`, ["connect", "connect_error"]);
            await untilEvent(`${name}:connect`, 1, 10000);
            // A POST (the event) and GETs (the handshake, polls) with the session.
            const echo = await socket.timeout(5000).emitWithAck("echo", name);
            socket.disconnect();
            return echo;
          };
          return {
            origin: location.origin,
            off: await run("off", { query: { recordRequest: keys.off } }),
            on: await run("on", { query: { recordRequest: keys.on }, withCredentials: true }),
          };
        },
        { url: serverUrl, keys },
      );
      assert.equal(r.origin, pageOrigin);
      assert.notEqual(new URL(pageOrigin).port, new URL(serverUrl).port);
      assert.deepEqual([r.off, r.on], ["off", "on"]);
      const polling = async (k) =>
        until(
          async () => {
            const list = (await records(serverUrl, k)).filter((x) => x.transport === "polling");
            // The handshake GET, a poll and the event's POST at least.
            return list.filter((x) => x.method === "GET").length >= 2 && list.some((x) => x.method === "POST") ? list : null;
          },
          `the polling requests of ${k}`,
          5000,
        );
      const off = await polling(keys.off);
      assert.deepEqual(
        off.filter((x) => x.cookie !== null),
        [],
        "no Cookie header on any polling request by default",
      );
      const on = await polling(keys.on);
      const expected = `${cookie.name}=${cookie.value}`;
      for (const x of on) assert.ok(x.cookie?.split("; ").includes(expected), `${x.method} without the cookie: ${JSON.stringify(x)}`);
      assert.ok(on.some((x) => x.method === "GET") && on.some((x) => x.method === "POST"));
      // The server allowed the credentialed requests: the exact origin, and credentials.
      const credentialed = await until(() => {
        const list = responses.filter((x) => x.url.includes(keys.on));
        return list.length >= 3 ? list : null;
      }, "the credentialed responses", 5000);
      for (const x of credentialed) {
        assert.equal(x.headers["access-control-allow-origin"], pageOrigin, `${x.method} ${x.url}`);
        assert.equal(x.headers["access-control-allow-credentials"], "true", `${x.method} ${x.url}`);
      }
      assert.deepEqual(page.uncaught, []);
    });
  });
}

// ---- 3. __proto__ in server data stays plain data -----------------------------------------------

/** In the page: a JSON-able description of what a received object `o` is. */
function describeInPage() {
  window.prototypeSnapshot = () => ({
    names: Object.getOwnPropertyNames(Object.prototype).sort(),
    proto: Object.getPrototypeOf(Object.prototype),
    polluted: {}.polluted,
    placeholder: {}._placeholder,
    num: {}.num,
  });
  window.inspect = (o) => {
    const own = o !== null && typeof o === "object" && Object.hasOwn(o, "__proto__");
    const value = own ? Object.getOwnPropertyDescriptor(o, "__proto__").value : undefined;
    return {
      own,
      protoIsObjectPrototype: Object.getPrototypeOf(o) === Object.prototype,
      keys: Object.keys(o),
      a: o.a,
      value:
        value instanceof ArrayBuffer
          ? { ArrayBuffer: [...new Uint8Array(value)] }
          : value && typeof value === "object"
            ? { json: JSON.stringify(value), protoIsObjectPrototype: Object.getPrototypeOf(value) === Object.prototype }
            : value,
    };
  };
}

const PROTO_JSON = '{"__proto__":{"polluted":"yes"},"a":1}';
const PROTO_BINARY = '{"__proto__":{"_placeholder":true,"num":0},"a":1}';
const BYTES = [1, 2, 3];
const B64 = Buffer.from(BYTES).toString("base64");
const EXPECT_JSON = { own: true, protoIsObjectPrototype: true, keys: ["__proto__", "a"], a: 1, value: { json: '{"polluted":"yes"}', protoIsObjectPrototype: true } };
const EXPECT_BINARY = { own: true, protoIsObjectPrototype: true, keys: ["__proto__", "a"], a: 1, value: { ArrayBuffer: BYTES } };

describe(`__proto__ keys in received data (client: ${CLIENT})`, () => {
  it("from a raw server: events and acks, JSON and binary: an own __proto__ property, Object.prototype untouched", T, async (t) => {
    const server = await startHostileServer({
      onPackets(session, packets) {
        for (const p of packets) {
          if (p === "40" || p.startsWith("40{")) {
            session.send('40{"sid":"p"}');
            // The two events, in one payload; the attachment follows its header.
            session.send([`42["x",${PROTO_JSON}]`, `451-["x",${PROTO_BINARY}]`, `b${B64}`].join("\x1e"));
          }
          const ask = /^42(\d+)\["(ask-json|ask-binary)"\]$/.exec(p);
          if (ask?.[2] === "ask-json") session.send(`43${ask[1]}[${PROTO_JSON}]`);
          if (ask?.[2] === "ask-binary") session.send(`461-${ask[1]}[${PROTO_BINARY}]\x1eb${B64}`);
        }
      },
    });
    t.after(() => server.close());
    const page = await openAt(ctx.servers.rust, t);
    await page.evaluate(describeInPage);
    const r = await page.evaluate(async (url) => {
      const before = prototypeSnapshot();
      const socket = sio.io(url, { forceNew: true, transports: ["polling"], reconnection: false });
      track(socket, "", ["connect", "disconnect", "x"]);
      await untilEvent("connect", 1, 10000);
      const [json, binary] = (await untilEvent("x", 2, 10000)).map((e) => e.args[0]);
      const ackJson = await socket.timeout(5000).emitWithAck("ask-json");
      const ackBinary = await socket.timeout(5000).emitWithAck("ask-binary");
      const out = {
        before,
        after: prototypeSnapshot(),
        event: { json: inspect(json), binary: inspect(binary) },
        ack: { json: inspect(ackJson), binary: inspect(ackBinary) },
        disconnects: entries("disconnect").length,
      };
      socket.disconnect();
      return out;
    }, server.url);
    assert.deepEqual(r.after, r.before, "Object.prototype unchanged");
    assert.deepEqual(r.after.polluted, undefined);
    assert.deepEqual(r.event, { json: EXPECT_JSON, binary: EXPECT_BINARY });
    assert.deepEqual(r.ack, { json: EXPECT_JSON, binary: EXPECT_BINARY });
    assert.equal(r.disconnects, 0);
    assert.deepEqual(page.uncaught, []);
  });

  for (const kind of SERVER_KINDS) {
    it(`echoed by the ${kind} server: an object with an own __proto__ comes back as plain data (event and ack)`, T, async (t) => {
      const page = await openAt(ctx.servers.rust, t);
      await page.evaluate(describeInPage);
      const r = await page.evaluate(
        async ({ url, PROTO_JSON, BYTES }) => {
          const before = prototypeSnapshot();
          const socket = sio.io(url, { forceNew: true });
          track(socket, "", ["connect", "echo"]);
          await untilEvent("connect", 1, 10000);
          const json = JSON.parse(PROTO_JSON);
          const binary = {};
          Object.defineProperty(binary, "__proto__", { value: new Uint8Array(BYTES).buffer, writable: true, enumerable: true, configurable: true });
          binary.a = 1;
          const ackJson = await socket.timeout(5000).emitWithAck("echo", json);
          const ackBinary = await socket.timeout(5000).emitWithAck("echo", binary);
          const [eventJson, eventBinary] = (await untilEvent("echo", 2, 5000)).map((e) => e.args[0]);
          const out = {
            before,
            after: prototypeSnapshot(),
            event: { json: inspect(eventJson), binary: inspect(eventBinary) },
            ack: { json: inspect(ackJson), binary: inspect(ackBinary) },
          };
          socket.disconnect();
          return out;
        },
        { url: ctx.servers[kind], PROTO_JSON, BYTES },
      );
      assert.deepEqual(r.after, r.before, "Object.prototype unchanged");
      assert.deepEqual(r.event.json, EXPECT_JSON);
      assert.deepEqual(r.ack.json, EXPECT_JSON);
      // Binary: socket.io-parser's encoder (the official client's when it sends, the Node
      // server's when it echoes) copies keys by assignment, so an own `__proto__` holding a
      // buffer becomes the copy's prototype and is not sent: what comes back is {a: 1}, still a
      // plain object. Where no such encoder is on the way, the key makes the round trip.
      const dropped = CLIENT === "official" || kind === "node";
      const expected = dropped ? { own: false, protoIsObjectPrototype: true, keys: ["a"], a: 1, value: undefined } : EXPECT_BINARY;
      assert.deepEqual(r.event.binary, expected);
      assert.deepEqual(r.ack.binary, expected);
      assert.deepEqual(page.uncaught, []);
    });
  }
});

// ---- 4. receive limits ---------------------------------------------------------------------------

/** A binary event `x` with `n` attachments (bytes [i]) as one polling payload. */
function binaryEvent(n) {
  const placeholders = Array.from({ length: n }, (_, i) => ({ _placeholder: true, num: i }));
  const attachments = Array.from({ length: n }, (_, i) => `b${Buffer.from([i]).toString("base64")}`);
  return [`45${n}-${JSON.stringify(["x", ...placeholders])}`, ...attachments].join("\x1e");
}

/**
 * A raw server whose first session, once connected, sends `bodies` (one response each); later
 * sessions only connect and send `42["again"]`.
 */
function scriptedServer(bodies, handshake) {
  return startHostileServer({
    handshake,
    onPackets(session, packets) {
      if (!packets.some((p) => p === "40" || p.startsWith("40{"))) return;
      session.send('40{"sid":"l"}');
      if (session.index === 1) for (const body of bodies) session.send(body);
      else session.send('42["again"]');
    },
  });
}

/** In the page: connects to `url` (polling, quick reconnection) and logs what happens until the
 *  second connection's `again` event; resolves the log, with `x` events' arguments described. */
async function runLimit(page, url) {
  return page.evaluate(async (url) => {
    const socket = sio.io(url, { forceNew: true, transports: ["polling"], reconnectionDelay: 100, randomizationFactor: 0 });
    track(socket, "", ["connect", "again"]);
    track(socket.io, "io:", ["reconnect_attempt"]);
    socket.on("disconnect", (reason) => note("disconnect", reason));
    socket.on("x", (...args) =>
      note("x", args.length, args.every((a) => a instanceof ArrayBuffer) ? args.map((a) => [...new Uint8Array(a)]) : args.map((a) => (typeof a === "string" ? a.length : a))),
    );
    await untilEvent("again", 1, 10000);
    const out = log.map((e) => [e.ev, ...e.args]);
    socket.disconnect();
    return out;
  }, url);
}

describe(`receive limits (client: ${CLIENT})`, () => {
  it('10 attachments are delivered; 11 are a "parse error", then a reconnection', T, async (t) => {
    const server = await scriptedServer([binaryEvent(10), binaryEvent(11)]);
    t.after(() => server.close());
    const page = await openAt(ctx.servers.rust, t);
    const log = await runLimit(page, server.url);
    assert.deepEqual(log, [
      ["connect"],
      ["x", 10, Array.from({ length: 10 }, (_, i) => [i])],
      ["disconnect", "parse error"],
      ["io:reconnect_attempt", 1],
      ["connect"],
      ["again"],
    ]);
    assert.deepEqual(page.uncaught, []);
  });

  it('an event whose JSON does not parse past its name is a "parse error"; the rest of its payload is not delivered', T, async (t) => {
    const server = await scriptedServer([['42["x",1]', '42["x",{nope}]', '42["x",2]'].join("\x1e")]);
    t.after(() => server.close());
    const page = await openAt(ctx.servers.rust, t);
    const log = await runLimit(page, server.url);
    // socket.io-client hands a decoded packet to its socket a task later (its Manager's
    // `ondecoded` defers with nextTick), so there the first `x` comes after the close that the
    // second packet caused; ours delivers it first, in the payload's order. Neither delivers
    // the third.
    const first = ["x", 1, [1]];
    const closed = [["disconnect", "parse error"], ["io:reconnect_attempt", 1]];
    const order = CLIENT === "official" ? [...closed, first] : [first, ...closed];
    assert.deepEqual(log, [["connect"], ...order, ["connect"], ["again"]]);
    assert.deepEqual(page.uncaught, []);
  });

  const MAX = 1000;
  // Engine.IO packet "4" + data `2["x","…"]`: 10 characters around the string.
  const atLimit = `42["x","${"a".repeat(MAX - 10)}"]`;
  const over = `42["x","${"b".repeat(2 * MAX)}"]`;
  const OURS_ONLY = { ...T, skip: CLIENT === "official" && "socket.io-client does not bound what it receives by maxPayload (it delivers every packet)" };

  it('a packet longer than the handshake\'s maxPayload is a "parse error", then a reconnection; one of maxPayload bytes is delivered', OURS_ONLY, async (t) => {
    assert.equal(atLimit.length, MAX, "the whole Engine.IO packet (type and data) is maxPayload bytes");
    const server = await scriptedServer([atLimit, over], { maxPayload: MAX });
    t.after(() => server.close());
    const page = await openAt(ctx.servers.rust, t);
    const log = await runLimit(page, server.url);
    assert.deepEqual(log, [
      ["connect"],
      ["x", 1, [MAX - 10]],
      ["disconnect", "parse error"],
      ["io:reconnect_attempt", 1],
      ["connect"],
      ["again"],
    ]);
    assert.deepEqual(page.uncaught, []);
  });

  for (const [name, handshake] of [
    ["maxPayload 0", { maxPayload: 0 }],
    ["no maxPayload", { maxPayload: undefined }],
  ]) {
    it(`a handshake with ${name}: no receive limit`, T, async (t) => {
      const server = await scriptedServer([over, '42["again"]'], handshake);
      t.after(() => server.close());
      const page = await openAt(ctx.servers.rust, t);
      const log = await runLimit(page, server.url);
      assert.deepEqual(log, [["connect"], ["x", 1, [2 * MAX]], ["again"]]);
      assert.deepEqual(page.uncaught, []);
    });
  }
});
