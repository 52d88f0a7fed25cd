// The Manager and reconnection end to end, against both servers: drops (fault proxy), a server
// restart on the same port with the backoff's bounds, reconnectionAttempts, multiplexing of
// namespaces over one connection, server-side and manual disconnects, auth, and the order of
// the Manager and Socket events around a drop.
//
// Pages live on the Rust server's origin (fixtures.mjs). Every wait is bounded; "no
// reconnection" is checked over a fixed window several times the largest backoff delay.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVER_KINDS, control, cutUntilNoticed, openTestPage, startProxy, startServer, useServers } from "./fixtures.mjs";

const ctx = useServers();
/** Per-test bound; the waits inside are tighter. */
const T = { timeout: 30_000 };
/** How long "no reconnection" is watched for: 5 times the largest delay those tests allow (200 ms). */
const QUIET_MS = 1000;
const RECONNECT_REASONS = ["transport close", "transport error"];

/** In the page: the sequence of logged event names, without heartbeats and upgrades. */
const sequence = (page) => page.evaluate(() => log.map((e) => e.ev).filter((ev) => ev !== "io:ping"));

for (const kind of SERVER_KINDS) {
  describe(`against the ${kind} server`, () => {
    for (const transport of ["websocket", "polling"]) {
      it(`every connection dropped (${transport}): disconnect, reconnect_attempt, reconnect, connect with a new id`, T, async (t) => {
        const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
        const page = await openTestPage(ctx, t);
        const firstId = await page.evaluate(
          async ({ url, transport }) => {
            const socket = sio.io(url, { forceNew: true, transports: [transport], reconnectionDelay: 500, reconnectionDelayMax: 1000 });
            window.socket = socket;
            track(socket, "", ["connect", "connect_error", "disconnect"]);
            track(socket.io, "io:", ["close", "reconnect_attempt", "reconnect", "reconnect_error"]);
            await untilEvent("connect", 1, 10000);
            return socket.id;
          },
          { url: proxy.url, transport },
        );
        await cutUntilNoticed(page, proxy);
        const r = await page.evaluate(async () => {
          await untilEvent("connect", 2, 10000);
          const ack = await socket.timeout(5000).emitWithAck("echo", "after the drop");
          return {
            reason: entries("disconnect")[0].args[0],
            attempts: entries("io:reconnect_attempt").map((e) => e.args[0]),
            reconnects: entries("io:reconnect").map((e) => e.args[0]),
            connected: socket.connected,
            active: socket.active,
            id: socket.id,
            ack,
          };
        });
        assert.ok(RECONNECT_REASONS.includes(r.reason), `disconnect reason: ${r.reason}`);
        assert.deepEqual(r.attempts, [1], "one attempt, numbered 1");
        assert.deepEqual(r.reconnects, [1], "reconnect(1)");
        assert.equal(r.connected, true);
        assert.equal(r.active, true);
        assert.equal(typeof r.id, "string");
        assert.notEqual(r.id, firstId, "a new session id");
        assert.equal(r.ack, "after the drop");
        assert.deepEqual(page.uncaught, []);
      });
    }

    it("the server stops and comes back on the same port ~1 s later: the first attempt waits within the backoff bounds, then it reconnects", T, async (t) => {
      const first = await startServer(kind);
      let current = first;
      t.after(() => current.stop());
      const page = await openTestPage(ctx, t);
      const firstId = await page.evaluate(async (url) => {
        const socket = sio.io(url, {
          forceNew: true,
          reconnectionDelay: 500,
          reconnectionDelayMax: 1000,
          randomizationFactor: 0.5,
        });
        window.socket = socket;
        track(socket, "", ["connect", "connect_error", "disconnect"]);
        track(socket.io, "io:", ["close", "reconnect_attempt", "reconnect", "reconnect_error"]);
        track(socket.io.engine, "engine:", ["upgrade"]);
        await untilEvent("connect", 1, 10000);
        // Stop the server after the upgrade, not in the middle of it.
        await untilEvent("engine:upgrade", 1, 10000);
        return socket.id;
      }, first.url);
      const stoppedAt = Date.now();
      await first.stop();
      await page.evaluate(() => untilEvent("disconnect", 1, 5000));
      // The downtime itself (not a wait for an event): the server is away for about a second.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - stoppedAt))));
      current = await startServer(kind, ["--port", String(first.port)]);
      const r = await page.evaluate(async () => {
        await untilEvent("connect", 2, 15000);
        const ack = await socket.timeout(5000).emitWithAck("echo", "back");
        const [disconnect] = entries("disconnect");
        const [attempt] = entries("io:reconnect_attempt");
        return {
          reason: disconnect.args[0],
          firstDelay: attempt.t - disconnect.t,
          attempts: entries("io:reconnect_attempt").map((e) => e.args[0]),
          reconnects: entries("io:reconnect").map((e) => e.args[0]),
          id: socket.id,
          ack,
        };
      });
      assert.ok(RECONNECT_REASONS.includes(r.reason), `disconnect reason: ${r.reason}`);
      // reconnectionDelay 500, randomizationFactor 0.5: the first delay is 500 ± floor(r·250),
      // so in [250, 750] ms. The timer cannot fire early (2 ms for clock rounding); 250 ms of
      // slack above for a late timer on a loaded machine (a delay from the second step of the
      // backoff, or the default 1000 ± 500, would usually land outside).
      assert.ok(r.firstDelay >= 248 && r.firstDelay <= 750 + 250, `first attempt ${r.firstDelay} ms after the disconnect`);
      assert.equal(r.attempts[0], 1);
      assert.deepEqual(r.attempts, r.attempts.map((_, i) => i + 1), "attempts numbered 1, 2, ...");
      assert.equal(r.reconnects.length, 1);
      assert.equal(r.reconnects[0], r.attempts.at(-1), "reconnect(n) carries the successful attempt's number");
      assert.notEqual(r.id, firstId);
      assert.equal(r.ack, "back");
      assert.deepEqual(page.uncaught, []);
    });

    it("reconnectionAttempts: 2 with the server unreachable: 2 attempts, 2 reconnect_error, reconnect_failed, then nothing", T, async (t) => {
      const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
      const page = await openTestPage(ctx, t);
      await page.evaluate(async (url) => {
        const socket = sio.io(url, {
          forceNew: true,
          reconnectionAttempts: 2,
          reconnectionDelay: 100,
          reconnectionDelayMax: 200,
        });
        window.socket = socket;
        track(socket, "", ["connect", "connect_error", "disconnect"]);
        track(socket.io, "io:", ["reconnect_attempt", "reconnect_error", "reconnect_failed", "reconnect", "open"]);
        await untilEvent("connect", 1, 10000);
      }, proxy.url);
      proxy.refuseAll = true;
      await cutUntilNoticed(page, proxy);
      const r = await page.evaluate(async () => {
        await untilEvent("io:reconnect_failed", 1, 10000);
        const failedAt = performance.now();
        // Nothing more may happen: watch for 1 s, 5 times reconnectionDelayMax.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return {
          seq: log.map((e) => e.ev).filter((ev) => ev.startsWith("io:reconnect")),
          attempts: entries("io:reconnect_attempt").map((e) => e.args[0]),
          errors: entries("io:reconnect_error").map((e) => e.args[0]),
          connectErrors: entries("connect_error").length,
          after: log.filter((e) => e.t > failedAt).map((e) => e.ev),
          connects: entries("connect").length,
          connected: socket.connected,
        };
      });
      assert.deepEqual(r.attempts, [1, 2]);
      assert.equal(r.errors.length, 2);
      assert.equal(r.errors[0].error, "xhr poll error", "a refused polling request");
      // socket.io-client's order: the next attempt (or reconnect_failed) is decided before the
      // failed attempt's reconnect_error is emitted.
      assert.deepEqual(r.seq, [
        "io:reconnect_attempt",
        "io:reconnect_error",
        "io:reconnect_attempt",
        "io:reconnect_failed",
        "io:reconnect_error",
      ]);
      assert.equal(r.connectErrors, 2, "connect_error on the socket for each failed attempt");
      assert.deepEqual(r.after.filter((ev) => ev !== "io:reconnect_error"), [], "no attempt after reconnect_failed");
      assert.equal(r.connects, 1);
      assert.equal(r.connected, false);
      assert.deepEqual(page.uncaught, []);
    });

    it("io(url) and io(url + '/custom') share one Manager and one WebSocket; forceNew makes another", T, async (t) => {
      const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
      const page = await openTestPage(ctx, t);
      const r = await page.evaluate(async (url) => {
        const opts = { transports: ["websocket"] };
        const main = sio.io(url, opts);
        const custom = sio.io(`${url}/custom`, opts);
        track(main, "main:", ["connect", "echo"]);
        track(custom, "custom:", ["connect", "echo"]);
        await untilEvent("main:connect", 1, 10000);
        await untilEvent("custom:connect", 1, 10000);
        const acks = await Promise.all([
          main.timeout(5000).emitWithAck("echo", "to /"),
          custom.timeout(5000).emitWithAck("echo", "to /custom"),
        ]);
        await untilEvent("main:echo", 1, 5000);
        await untilEvent("custom:echo", 1, 5000);
        const shared = { sameManager: main.io === custom.io, nsps: [main.nsp, custom.nsp], ws: wsUrls.length };
        const other = sio.io(url, { ...opts, forceNew: true });
        track(other, "other:", ["connect"]);
        await untilEvent("other:connect", 1, 10000);
        const otherAck = await other.timeout(5000).emitWithAck("echo", "forced");
        const out = {
          ...shared,
          acks,
          echoes: [entries("main:echo")[0].args[0], entries("custom:echo")[0].args[0]],
          otherManager: other.io !== main.io,
          otherAck,
          wsAfter: wsUrls.length,
          ids: [main.id, custom.id, other.id],
        };
        main.disconnect();
        custom.disconnect();
        other.disconnect();
        return out;
      }, proxy.url);
      assert.equal(r.sameManager, true, "socket1.io === socket2.io");
      assert.deepEqual(r.nsps, ["/", "/custom"]);
      assert.deepEqual(r.acks, ["to /", "to /custom"]);
      assert.deepEqual(r.echoes, ["to /", "to /custom"]);
      assert.equal(r.ws, 1, "one WebSocket for both namespaces");
      assert.equal(r.otherManager, true);
      assert.equal(r.otherAck, "forced");
      assert.equal(r.wsAfter, 2, "forceNew opened a second WebSocket");
      assert.ok(!r.ids.slice(0, 2).includes(r.ids[2]), "the forced connection is another session");
      // socketioxide reuses the Engine.IO sid as every namespace's socket id; Node makes one each.
      if (kind === "node") assert.notEqual(r.ids[0], r.ids[1]);
      assert.equal(proxy.acceptedCount, 2, "two TCP connections reached the proxy in all");
      assert.deepEqual(page.uncaught, []);
    });

    const serverDisconnects = {
      'the "server-disconnect" event': async (page) => page.evaluate(() => socket.emit("server-disconnect")),
      "POST /control/disconnect-all": async () => {
        const answer = await control(ctx.servers[kind], "/control/disconnect-all");
        assert.ok(answer.disconnected >= 1, `disconnected ${answer.disconnected}`);
      },
    };
    for (const [how, disconnect] of Object.entries(serverDisconnects)) {
      it(`server-side disconnect (${how}): "io server disconnect", inactive, no reconnection`, T, async (t) => {
        const page = await openTestPage(ctx, t);
        await page.evaluate(async (url) => {
          const socket = sio.io(url, { forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 200 });
          window.socket = socket;
          track(socket, "", ["connect", "connect_error", "disconnect"]);
          track(socket.io, "io:", ["close", "reconnect_attempt", "reconnect", "open"]);
          await untilEvent("connect", 1, 10000);
        }, ctx.servers[kind]);
        await disconnect(page);
        const r = await page.evaluate(async (quiet) => {
          const [d] = await untilEvent("disconnect", 1, 5000);
          await new Promise((resolve) => setTimeout(resolve, quiet));
          return {
            reason: d.args[0],
            active: socket.active,
            connected: socket.connected,
            id: socket.id,
            after: log.filter((e) => e.t > d.t).map((e) => e.ev),
          };
        }, QUIET_MS);
        assert.equal(r.reason, "io server disconnect");
        assert.equal(r.active, false);
        assert.equal(r.connected, false);
        assert.equal(r.id, undefined, "the id is cleared");
        assert.deepEqual(
          r.after.filter((ev) => ev !== "io:close"),
          [],
          `no reconnect_attempt, open or connect within ${QUIET_MS} ms`,
        );
        assert.deepEqual(page.uncaught, []);
      });
    }

    it("socket.connect() after socket.disconnect() reconnects; active is false after disconnect, true after connect", T, async (t) => {
      const page = await openTestPage(ctx, t);
      const r = await page.evaluate(async (url) => {
        const socket = sio.io(url, { forceNew: true });
        track(socket, "", ["connect", "connect_error", "disconnect"]);
        track(socket.io, "io:", ["reconnect_attempt", "reconnect"]);
        await untilEvent("connect", 1, 10000);
        const firstId = socket.id;
        socket.disconnect();
        const afterDisconnect = { active: socket.active, connected: socket.connected, id: socket.id };
        const [d] = await untilEvent("disconnect", 1, 1000);
        socket.connect();
        const afterConnectCall = socket.active;
        await untilEvent("connect", 2, 10000);
        const ack = await socket.timeout(5000).emitWithAck("echo", "again");
        const out = {
          reason: d.args[0],
          afterDisconnect,
          afterConnectCall,
          active: socket.active,
          connected: socket.connected,
          firstId,
          id: socket.id,
          ack,
          reconnectEvents: log.filter((e) => e.ev.startsWith("io:")).map((e) => e.ev),
        };
        socket.disconnect();
        return out;
      }, ctx.servers[kind]);
      assert.equal(r.reason, "io client disconnect");
      assert.deepEqual(r.afterDisconnect, { active: false, connected: false, id: undefined });
      assert.equal(r.afterConnectCall, true, "active as soon as connect() is called");
      assert.equal(r.active, true);
      assert.equal(r.connected, true);
      assert.notEqual(r.id, r.firstId);
      assert.equal(r.ack, "again");
      assert.deepEqual(r.reconnectEvents, [], "a manual connect is not a reconnection");
      assert.deepEqual(page.uncaught, []);
    });

    it('/auth with a bad token: connect_error "unauthorized", inactive, no reconnection', T, async (t) => {
      const page = await openTestPage(ctx, t);
      const r = await page.evaluate(async ({ url, quiet }) => {
        const socket = sio.io(`${url}/auth`, { forceNew: true, auth: { token: "wrong" }, reconnectionDelay: 100, reconnectionDelayMax: 200 });
        track(socket, "", ["connect", "connect_error", "disconnect"]);
        track(socket.io, "io:", ["reconnect_attempt", "reconnect"]);
        const [e] = await untilEvent("connect_error", 1, 10000);
        await new Promise((resolve) => setTimeout(resolve, quiet));
        return {
          error: e.args[0],
          active: socket.active,
          connected: socket.connected,
          after: log.filter((x) => x.t > e.t).map((x) => x.ev),
        };
      }, { url: ctx.servers[kind], quiet: QUIET_MS });
      assert.equal(r.error.error, "unauthorized");
      if (kind === "node") {
        assert.deepEqual(r.error.data, { reason: "bad token" });
      } else {
        // socketioxide sends CONNECT_ERROR as {"message": ...} only: it cannot attach `data`.
        assert.equal(r.error.data, undefined);
      }
      assert.equal(r.active, false);
      assert.equal(r.connected, false);
      assert.deepEqual(r.after, [], `no retry within ${QUIET_MS} ms`);
      assert.deepEqual(page.uncaught, []);
    });

    it('/auth with auth {token: "secret"}, as an object and as a function (cb) => cb({...}): connects', T, async (t) => {
      const page = await openTestPage(ctx, t);
      const r = await page.evaluate(async (url) => {
        const viaObject = sio.io(`${url}/auth`, { forceNew: true, auth: { token: "secret" } });
        const viaFunction = sio.io(`${url}/auth`, { forceNew: true, auth: (cb) => cb({ token: "secret" }) });
        track(viaObject, "object:", ["connect", "connect_error"]);
        track(viaFunction, "function:", ["connect", "connect_error"]);
        await untilEvent("object:connect", 1, 10000);
        await untilEvent("function:connect", 1, 10000);
        const handshakes = await Promise.all([
          viaObject.timeout(5000).emitWithAck("get-handshake"),
          viaFunction.timeout(5000).emitWithAck("get-handshake"),
        ]);
        const out = {
          auths: handshakes.map((h) => h.auth),
          errors: entries("object:connect_error").length + entries("function:connect_error").length,
        };
        viaObject.disconnect();
        viaFunction.disconnect();
        return out;
      }, ctx.servers[kind]);
      assert.deepEqual(r.auths, [{ token: "secret" }, { token: "secret" }]);
      assert.equal(r.errors, 0);
      assert.deepEqual(page.uncaught, []);
    });

    it("event order on a drop: manager close, socket disconnect, reconnect_attempt, manager open, reconnect, socket connect", T, async (t) => {
      const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
      const page = await openTestPage(ctx, t);
      await page.evaluate(async (url) => {
        // The Manager's listeners go on before the socket exists: in socket.io-client the
        // socket's own "close" listener (which emits "disconnect") comes after them then.
        const manager = new sio.Manager(url, { transports: ["websocket"], reconnectionDelay: 500, reconnectionDelayMax: 1000 });
        track(manager, "io:", ["open", "close", "reconnect_attempt", "reconnect", "reconnect_error", "error"]);
        const socket = manager.socket("/");
        window.socket = socket;
        track(socket, "", ["connect", "connect_error", "disconnect"]);
        await untilEvent("connect", 1, 10000);
      }, proxy.url);
      await cutUntilNoticed(page, proxy);
      await page.evaluate(() => untilEvent("connect", 2, 10000));
      const seq = await sequence(page);
      assert.deepEqual(seq, [
        "io:open",
        "connect",
        "io:close",
        "disconnect",
        "io:reconnect_attempt",
        "io:open",
        "io:reconnect",
        "connect",
      ]);
      assert.deepEqual(page.uncaught, []);
    });

    it(
      "event order on a drop with the Manager listener added after io(): the socket's disconnect comes first",
      T,
      async (t) => {
        const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
        const page = await openTestPage(ctx, t);
        await page.evaluate(async (url) => {
          const socket = sio.io(url, { forceNew: true, transports: ["websocket"], reconnectionDelay: 500, reconnectionDelayMax: 1000 });
          track(socket, "", ["connect", "disconnect"]);
          track(socket.io, "io:", ["close"]);
          await untilEvent("connect", 1, 10000);
        }, proxy.url);
        await cutUntilNoticed(page, proxy);
        await page.evaluate(() => untilEvent("io:close", 1, 5000));
        const seq = await sequence(page);
        assert.deepEqual(seq.slice(0, 3), ["connect", "disconnect", "io:close"]);
      },
    );
  });
}
