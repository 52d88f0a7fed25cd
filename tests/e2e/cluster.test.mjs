// Scale-out end to end, against both server kinds: two instances sharing rooms through a real
// redis-server, behind a real HAProxy (deploy/haproxy.cfg) on 127.0.0.1, started and stopped by
// the suite (tests/support/cluster.mjs). Each client has its own browser context (its own
// stickiness cookie); its page is served through the proxy unless said otherwise.
//
// Which instance a client is on comes from the server (`whoami`), never from a guess.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startCluster } from "../support/cluster.mjs";
import { launch } from "./browser.mjs";
import { CLIENTS, openClusterPage } from "./cluster-helpers.mjs";
import { SERVER_KINDS, records } from "./fixtures.mjs";

/** Per-test bound; the waits inside are tighter. */
const T = { timeout: 30_000 };

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** A unique name (room, record key). */
const unique = (name) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

/** The instance of `cluster` named `name`. */
const instance = (cluster, name) => {
  const found = cluster.instances.find((i) => i.name === name);
  assert.ok(found, `an instance named ${name}`);
  return found;
};

for (const kind of SERVER_KINDS) {
  describe(`a ${kind} cluster (2 instances, redis, haproxy)`, () => {
    let cluster;
    before(async () => {
      cluster = await startCluster(kind, { count: 2, proxies: [{ sticky: true }, { sticky: false }] });
    });
    after(() => cluster?.stop());
    const sticky = () => cluster.proxies[0];
    const nonSticky = () => cluster.proxies[1];

    /** `n` clients (pages on `origin`) through `proxy` with `opts`, joined to `room`; resolves their pages and instances. */
    async function clientsInRoom(t, proxy, n, room, opts, origin = proxy.url) {
      const pages = [];
      const names = [];
      for (let i = 0; i < n; i++) {
        const page = await openClusterPage(browser, origin, t);
        const name = await page.evaluate(
          async ({ url, room, opts }) => {
            await openSocket(url, opts);
            track(socket, "", ["news"]);
            await socket.timeout(5000).emitWithAck("join", room);
            return whoami();
          },
          { url: proxy.url, room, opts },
        );
        pages.push(page);
        names.push(name);
      }
      return { pages, names };
    }

    /** Broadcasts "hello" then "marker" to `room` from `pages[0]`; returns each page's news. */
    async function broadcast(pages, room) {
      await pages[0].evaluate(async (room) => {
        await socket.timeout(5000).emitWithAck("to-room", room, "news", "hello");
        await socket.timeout(5000).emitWithAck("to-room", room, "news", "marker");
      }, room);
      return Promise.all(
        pages.map((page) =>
          page.evaluate(async () => {
            await until(() => entries("news").some((e) => e.args[0] === "marker"), 10000, "the marker");
            return entries("news").map((e) => e.args[0]);
          }),
        ),
      );
    }

    it("three clients on both instances share a room: a broadcast reaches each once", T, async (t) => {
      const room = unique("room");
      const { pages, names } = await clientsInRoom(t, sticky(), 3, room, {});
      assert.ok(new Set(names).size >= 2, `on at least 2 instances: ${names}`);
      const news = await broadcast(pages, room);
      for (const [i, got] of news.entries()) assert.deepEqual(got, ["hello", "marker"], `client ${i} (${names[i]})`);
      console.log(`# ${kind} room: instances ${names.join(",")}; delivered ${news.map((n) => n.filter((x) => x === "hello").length)}`);
    });

    it("polling only through the sticky proxy: 100 ordered messages each way, binary, an ack, no lost session", T, async (t) => {
      const page = await openClusterPage(browser, sticky().url, t);
      const key = unique("polling");
      const r = await page.evaluate(
        async ({ url, key }) => {
          await openSocket(url, { transports: ["polling"] });
          const name = await whoami();
          track(socket, "", ["n"]);
          for (let i = 0; i < 100; i++) socket.emit("record", key, i);
          const length = await socket.timeout(10000).emitWithAck("record", key, "end");
          const count = await socket.timeout(10000).emitWithAck("burst", { event: "n", count: 100 });
          const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
          const echoed = await socket.timeout(5000).emitWithAck("echo", bytes);
          const statuses = requests.filter((q) => q.url.includes("/socket.io/")).map((q) => q.status ?? q.error);
          return {
            name,
            length,
            count,
            received: entries("n").map((e) => e.args[0]),
            echoed: Array.from(new Uint8Array(echoed)),
            statuses,
            errors: entries("connect_error").length + entries("disconnect").length,
            transport: socket.io.engine.transport.name,
            after: await whoami(),
          };
        },
        { url: sticky().url, key },
      );
      assert.equal(r.transport, "polling");
      assert.equal(r.length, 101);
      assert.deepEqual(await records(instance(cluster, r.name).url, key), [...Array.from({ length: 100 }, (_, i) => i), "end"]);
      assert.equal(r.count, 100);
      assert.deepEqual(r.received, Array.from({ length: 100 }, (_, i) => i));
      assert.deepEqual(r.echoed, [0, 1, 2, 253, 254, 255]);
      assert.equal(r.errors, 0, "no connect_error, no disconnect");
      assert.equal(r.after, r.name, "the session stayed on its instance");
      const bad = r.statuses.filter((s) => s !== 200 && s !== undefined);
      assert.deepEqual(bad, [], "every polling request answered 200 (no 400 Session ID unknown)");
      console.log(`# ${kind} polling: ${r.statuses.length} requests, all 200, on ${r.name}`);
    });

    it("the upgrade to WebSocket passes through the proxy and stays on the instance", T, async (t) => {
      const page = await openClusterPage(browser, sticky().url, t);
      const r = await page.evaluate(async (url) => {
        await openSocket(url);
        const before = await whoami();
        const deadline = Date.now() + 10000;
        while (socket.io.engine.transport.name !== "websocket" && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        const echo = await socket.timeout(5000).emitWithAck("echo", "over websocket");
        return {
          transport: socket.io.engine.transport.name,
          before,
          after: await whoami(),
          echo,
          ws: wsUrls.length,
          drops: entries("disconnect").length,
        };
      }, sticky().url);
      assert.equal(r.transport, "websocket");
      assert.equal(r.after, r.before);
      assert.equal(r.echo, "over websocket");
      assert.equal(r.drops, 0);
    });

    it("WebSocket-only clients work through a proxy without stickiness", T, async (t) => {
      const room = unique("ws-room");
      // Pages from an instance's own origin: through the proxy, only the WebSockets alternate.
      const { pages, names } = await clientsInRoom(t, nonSticky(), 3, room, { transports: ["websocket"] }, cluster.instances[0].url);
      assert.ok(new Set(names).size >= 2, `on at least 2 instances: ${names}`);
      const news = await broadcast(pages, room);
      for (const [i, got] of news.entries()) assert.deepEqual(got, ["hello", "marker"], `client ${i} (${names[i]})`);
      console.log(`# ${kind} websocket-only, non-sticky: instances ${names.join(",")}`);
    });

    for (const client of CLIENTS) {
      it(`[${client}] cross-origin polling with withCredentials keeps its session through the sticky proxy`, T, async (t) => {
        // The page is on an instance's own origin; the proxy is another origin (another port).
        const page = await openClusterPage(browser, cluster.instances[0].url, t, client);
        const r = await page.evaluate(async (url) => {
          await openSocket(url, { transports: ["polling"], withCredentials: true });
          const first = await whoami();
          const names = [];
          for (let i = 0; i < 10; i++) names.push(await whoami());
          return { first, names, drops: entries("disconnect").length + entries("connect_error").length };
        }, sticky().url);
        assert.deepEqual(r.names, Array(10).fill(r.first), "every request on one instance");
        assert.equal(r.drops, 0);
      });
    }

    /**
     * Polling from a page on an instance's own origin through `proxy` with `opts`, when every
     * session's next request lands on the other instance: the events until the first
     * reconnection attempt.
     */
    async function lostSession(t, client, proxy, opts) {
      const page = await openClusterPage(browser, cluster.instances[0].url, t, client);
      return page.evaluate(
        async ({ url, opts }) => {
          openSocket(url, { transports: ["polling"], reconnectionDelay: 200, reconnectionDelayMax: 200, ...opts }, false);
          await untilEvent("io:reconnect_attempt", 1, 10000);
          socket.close();
          const first = (ev) => entries(ev)[0]?.args;
          return { connectError: first("connect_error")?.[0], ioError: first("io:error")?.[0], disconnect: first("disconnect")?.[0], connects: entries("connect").length };
        },
        { url: proxy.url, opts },
      );
    }

    /** What the official client reports when an instance answers 400 "Session ID unknown". */
    function assertSessionUnknown(r) {
      assert.ok(["xhr poll error", "xhr post error"].includes(r.connectError?.error), `connect_error: ${JSON.stringify(r.connectError)}`);
      assert.equal(r.connectError.type, "TransportError");
      assert.equal(r.connectError.description, 400);
      assert.deepEqual(r.ioError, r.connectError, "the Manager's error is the same");
      assert.equal(r.disconnect, "transport error");
      assert.equal(r.connects, 0);
    }

    for (const client of CLIENTS) {
      it(`[${client}] polling through a proxy without stickiness: connect_error and the Manager's error (400 Session ID unknown), then reconnection`, T, async (t) => {
        const r = await lostSession(t, client, nonSticky(), {});
        assertSessionUnknown(r);
        console.log(`# ${kind} ${client} non-sticky polling: connect_error "${r.connectError.error}" ${r.connectError.description}`);
      });

      it(`[${client}] cross-origin polling without withCredentials: the sticky proxy gets no cookie, a clear connect_error`, T, async (t) => {
        assertSessionUnknown(await lostSession(t, client, sticky(), { withCredentials: false }));
      });
    }
  });
}

for (const kind of SERVER_KINDS) {
  describe(`a ${kind} cluster loses an instance (SIGKILL)`, () => {
    it("the client reconnects to the survivor; emits made meanwhile arrive once, in order; room broadcasts reach it after it rejoins", T, async (t) => {
      const cluster = await startCluster(kind, { count: 2 });
      t.after(() => cluster.stop());
      const room = unique("failover");
      const key = unique("meanwhile");
      const page = await openClusterPage(browser, cluster.proxy.url, t);
      const victim = await page.evaluate(
        async ({ url, room }) => {
          // The app joins its room on every connect.
          await openSocket(url, { reconnectionDelay: 200, reconnectionDelayMax: 500 }, false);
          socket.on("connect", () => {
            socket.timeout(5000).emitWithAck("join", room).then(() => note("joined"), () => note("join failed"));
          });
          track(socket, "", ["news"]);
          await untilEvent("joined", 1, 10000);
          return whoami();
        },
        { url: cluster.proxy.url, room },
      );
      const doomed = instance(cluster, victim);
      const survivor = cluster.instances.find((i) => i !== doomed);
      // A second client straight on the survivor, in the room.
      const other = await openClusterPage(browser, survivor.url, t);
      await other.evaluate(async ({ url, room }) => {
        await openSocket(url);
        await socket.timeout(5000).emitWithAck("join", room);
      }, { url: survivor.url, room });

      const killedAt = Date.now();
      doomed.process.kill("SIGKILL");
      const r = await page.evaluate(async (key) => {
        await untilEvent("disconnect", 1, 10000);
        const droppedAt = performance.now();
        for (let i = 0; i < 10; i++) socket.emit("record", key, i);
        await untilEvent("connect", 2, 15000);
        await untilEvent("joined", 2, 10000);
        return {
          reason: entries("disconnect")[0].args[0],
          reconnectMs: Math.round(entries("connect")[1].t - droppedAt),
          now: await whoami(),
        };
      }, key);
      const totalMs = Date.now() - killedAt;
      assert.equal(r.now, survivor.name, "reconnected to the survivor");
      let recorded;
      const deadline = Date.now() + 10_000;
      while ((recorded = await records(survivor.url, key)).length < 10 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(recorded, Array.from({ length: 10 }, (_, i) => i), "delivered once, in order");
      await other.evaluate(async (room) => {
        await socket.timeout(5000).emitWithAck("to-room", room, "news", "after the failover");
      }, room);
      const news = await page.evaluate(async () => {
        await until(() => entries("news").length > 0, 10000, "news");
        return entries("news").map((e) => e.args[0]);
      });
      assert.deepEqual(news, ["after the failover"]);
      console.log(`# ${kind} SIGKILL: disconnect "${r.reason}", reconnected to ${r.now} ${r.reconnectMs} ms after the drop (${totalMs} ms after the kill), 10/10 emits once in order`);
    });
  });
}
