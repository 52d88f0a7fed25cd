// The page's lifecycle end to end, against both servers: a page that becomes visible again or
// resumes while the client waits out a long backoff reconnects at once, and a page that goes
// into the back/forward cache leaves it cleanly, is restored from it, and reconnects (with
// connection state recovery on the Node server: the events it missed arrive once, in order).
//
// Headless Chromium cannot hide or freeze a page: no CDP command changes
// `document.visibilityState` (window minimising, background tabs and Page.setWebLifecycleState
// were tried; the last freezes only hidden pages). So the visibility and resume tests report
// the change the way the browser does, with `document.visibilityState` overridden and the real
// `visibilitychange` / `resume` events dispatched on the document; the client under test cannot
// tell the difference. The back/forward cache is the real one (playwright-core's
// `--disable-back-forward-cache` is left out) and the tests check that the page really came
// out of it (`pageshow` with `persisted`, and page state kept).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVER_KINDS, addTestHelpers, cutUntilNoticed, openTestPage, startProxy, startServer, useServers } from "./fixtures.mjs";

const ctx = useServers({ browser: { backForwardCache: true } });
const T = { timeout: 30_000 };
/** A backoff far longer than any wait below: a reconnection inside them is the lifecycle's. */
const LONG_BACKOFF = { reconnectionDelay: 20_000, reconnectionDelayMax: 20_000, randomizationFactor: 0 };

/** In the page: makes the document report `state` and dispatches `visibilitychange`. */
function setVisibility(state) {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  Object.defineProperty(document, "hidden", { configurable: true, get: () => state === "hidden" });
  document.dispatchEvent(new Event("visibilitychange"));
}

/** Goes to another page and back, and waits until the page is shown from the cache. */
async function throughBackForwardCache(page, whileAway = async () => {}) {
  const here = page.url();
  await page.goto(`${here.split("?")[0]}?away`);
  await whileAway();
  await page.goBack({ waitUntil: "commit" });
  await page.waitForFunction(() => window.entries?.("page:pageshow").some((e) => e.args[0] === true), null, { timeout: 10_000 });
}

for (const kind of SERVER_KINDS) {
  describe(`page lifecycle against the ${kind} server`, () => {
    for (const wake of ["visible", "resume"]) {
      it(`server down, page hidden, then ${wake} with the server back: reconnects at once instead of after its 20 s backoff`, T, async (t) => {
        const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
        const page = await openTestPage(ctx, t);
        await page.evaluate(`window.setVisibility = ${setVisibility}`);
        await page.evaluate(
          async ({ url, LONG_BACKOFF }) => {
            window.socket = sio.io(url, { forceNew: true, transports: ["websocket"], ...LONG_BACKOFF });
            track(socket, "", ["connect", "disconnect"]);
            track(socket.io, "io:", ["reconnect_attempt", "reconnect"]);
            await untilEvent("connect", 1, 10000);
          },
          { url: proxy.url, LONG_BACKOFF },
        );
        proxy.refuseAll = true;
        await cutUntilNoticed(page, proxy);
        await page.evaluate(() => setVisibility("hidden"));
        proxy.refuseAll = false;
        const r = await page.evaluate(
          async (wake) => {
            const woke = performance.now();
            if (wake === "visible") setVisibility("visible");
            else document.dispatchEvent(new Event("resume"));
            const [connect] = (await untilEvent("connect", 2, 5000)).slice(1);
            const ack = await socket.timeout(5000).emitWithAck("echo", "back");
            return { delay: connect.t - woke, attempts: entries("io:reconnect_attempt").length, ack };
          },
          wake,
        );
        assert.equal(r.attempts, 1, "one attempt, made on waking");
        assert.equal(r.ack, "back");
        assert.ok(r.delay < LONG_BACKOFF.reconnectionDelay, `reconnected ${r.delay} ms after waking`);
        t.diagnostic(`${kind}/${wake}: connect ${r.delay.toFixed(0)} ms after waking (backoff 20000 ms)`);
        assert.deepEqual(page.uncaught, []);
      });
    }

    for (const transports of [["websocket"], ["polling", "websocket"]]) {
      it(`back/forward cache (${transports.join(",")}): closes on pagehide, is restored from the cache, reconnects at once`, T, async (t) => {
        const page = await openTestPage(ctx, t);
        await page.evaluate(
          async ({ url, transports, LONG_BACKOFF }) => {
            window.kept = "state of the page";
            window.socket = sio.io(url, { forceNew: true, transports, ...LONG_BACKOFF });
            track(socket, "", ["connect", "disconnect"]);
            track(socket.io, "io:", ["reconnect_attempt"]);
            addEventListener("pagehide", (e) => note("page:pagehide", e.persisted));
            addEventListener("pageshow", (e) => note("page:pageshow", e.persisted));
            await untilEvent("connect", 1, 10000);
          },
          { url: ctx.servers[kind], transports, LONG_BACKOFF },
        );
        await throughBackForwardCache(page);
        const r = await page.evaluate(async () => {
          await untilEvent("connect", 2, 5000);
          const shown = entries("page:pageshow").find((e) => e.args[0] === true);
          return {
            kept: window.kept,
            hide: entries("page:pagehide").map((e) => e.args[0]),
            disconnect: entries("disconnect")[0].args,
            delay: entries("connect")[1].t - shown.t,
            attempts: entries("io:reconnect_attempt").length,
            ack: await socket.timeout(5000).emitWithAck("echo", "restored"),
          };
        });
        assert.equal(r.kept, "state of the page", "the page came back from the cache, not reloaded");
        assert.deepEqual(r.hide, [true]);
        assert.equal(r.disconnect[0], "transport close");
        assert.equal(r.disconnect[1]?.description, "page entered the back/forward cache");
        assert.equal(r.attempts, 1);
        assert.equal(r.ack, "restored");
        t.diagnostic(`${kind}/${transports}: connect ${r.delay.toFixed(0)} ms after pageshow`);
        assert.deepEqual(page.uncaught, []);
      });
    }
  });
}

describe("page lifecycle with connection state recovery (Node server)", () => {
  it("a reload mid-stream with recoverAfterReload: the session is recovered and the events missed during the reload arrive once, in order", T, async (t) => {
    const server = await startServer("node", ["--recovery"]);
    t.after(() => server.stop());
    const page = await openTestPage(ctx, t);
    const options = { forceNew: true, transports: ["websocket"], recoverAfterReload: true, ...LONG_BACKOFF };
    const connect = ({ url, options }) => {
      window.socket = sio.io(url, options);
      track(socket, "", ["connect", "tick"]);
      return untilEvent("connect", 1, 10000);
    };
    const before = await page.evaluate(
      async ({ url, options, connect }) => {
        await eval(connect)({ url, options });
        await socket.timeout(5000).emitWithAck("emit-later", { event: "tick", count: 1, delayMs: 0 });
        await untilEvent("tick", 1, 5000);
        await socket.timeout(5000).emitWithAck("emit-later", { event: "tick", count: 5, delayMs: 300 });
        return socket.id;
      },
      { url: server.url, options, connect: connect.toString() },
    );
    await page.reload();
    await page.evaluate(async () => {
      window.sio = await import("/pkg/index.js");
    });
    await addTestHelpers(page);
    // The ticks go out while the reloaded page has no connection yet.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const r = await page.evaluate(
      async ({ url, options, connect }) => {
        await eval(connect)({ url, options });
        await untilEvent("tick", 5, 5000);
        return { id: socket.id, recovered: socket.recovered, ticks: entries("tick").map((e) => e.args[0]) };
      },
      { url: server.url, options, connect: connect.toString() },
    );
    assert.equal(r.recovered, true, "the session was recovered");
    assert.equal(r.id, before, "with the same id");
    assert.deepEqual(r.ticks, [0, 1, 2, 3, 4], "the missed events once, in order");
  });

  it("events sent while the page is in the back/forward cache arrive once, in order, in a recovered session", T, async (t) => {
    const server = await startServer("node", ["--recovery"]);
    t.after(() => server.stop());
    const page = await openTestPage(ctx, t);
    const before = await page.evaluate(
      async ({ url, LONG_BACKOFF }) => {
        window.socket = sio.io(url, { forceNew: true, transports: ["websocket"], ...LONG_BACKOFF });
        track(socket, "", ["connect", "disconnect", "tick"]);
        addEventListener("pageshow", (e) => note("page:pageshow", e.persisted));
        await untilEvent("connect", 1, 10000);
        // Recovery needs an offset: one event before the page leaves.
        await socket.timeout(5000).emitWithAck("emit-later", { event: "tick", count: 1, delayMs: 0 });
        await untilEvent("tick", 1, 5000);
        return socket.id;
      },
      { url: server.url, LONG_BACKOFF },
    );
    await page.evaluate(() => socket.timeout(5000).emitWithAck("emit-later", { event: "tick", count: 5, delayMs: 300 }));
    await throughBackForwardCache(page, () => new Promise((resolve) => setTimeout(resolve, 800)));
    const r = await page.evaluate(async () => {
      await untilEvent("connect", 2, 5000);
      await untilEvent("tick", 6, 5000);
      return { id: socket.id, recovered: socket.recovered, ticks: entries("tick").map((e) => e.args[0]) };
    });
    assert.equal(r.recovered, true, "the session was recovered");
    assert.equal(r.id, before, "with the same id");
    assert.deepEqual(r.ticks, [0, 0, 1, 2, 3, 4], "the missed events once, in order");
    assert.deepEqual(page.uncaught, []);
  });
});
