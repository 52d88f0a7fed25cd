// The persistent outbox (`persistOutbox`) end to end, against both servers: emits made while
// disconnected survive a reload and are delivered once, in order; `retries` emits survive
// connection cuts and reloads, none lost (duplicates, which at-least-once allows, are counted);
// storage that is full (a real quota, set over CDP), missing, or holding a corrupt record gives
// an `outbox_error` and loses nothing; a second tab never sends the first tab's emits.
//
// Every wait is bounded. Before a reload the tests wait until the kept emits are in IndexedDB
// (read there): the outbox writes one transaction per task, and a page torn down before it
// commits loses that task's writes (see the README).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVER_KINDS, addTestHelpers, openPage, openTestPage, records, startProxy, until, useServers } from "./fixtures.mjs";
import { key } from "./socket-helpers.mjs";

const ctx = useServers();
const FAST = { reconnectionDelay: 100, reconnectionDelayMax: 200 };

/** In the page: the number of records IndexedDB holds for this tab's outbox. */
function storedCount() {
  const tab = sessionStorage.getItem("socketio-wasm:tab");
  return new Promise((resolve, reject) => {
    const req = indexedDB.open("socketio-wasm", 1);
    req.onupgradeneeded = () => req.result.createObjectStore("outbox");
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const keys = req.result.transaction("outbox").objectStore("outbox").getAllKeys();
      keys.onsuccess = () => {
        req.result.close();
        resolve(keys.result.filter((k) => k[0] === tab).length);
      };
      keys.onerror = () => reject(keys.error);
    };
  });
}

/** Reloads `page` and loads the package and the test helpers again. */
async function reload(page) {
  await page.reload();
  await page.evaluate(async () => {
    window.sio = await import("/pkg/index.js");
  });
  await addTestHelpers(page);
  await page.evaluate(`window.storedCount = ${storedCount}`);
}

/** In the page: a persisting socket to `url`, tracked; resolves once it connected (`wait`). */
async function open(page, url, options = {}, wait = true) {
  await page.evaluate(`window.storedCount ??= ${storedCount}`);
  await page.evaluate(
    async ({ url, options, wait }) => {
      window.socket = sio.io(url, { forceNew: true, persistOutbox: true, ...options });
      window.outboxAcks = [];
      track(socket, "", ["connect", "disconnect"]);
      track(socket.io, "io:", ["outbox_error"]);
      socket.io.on("outbox_ack", (nsp, id, err, ...args) => outboxAcks.push({ id, err: err?.message ?? null, args }));
      if (wait) await untilEvent("connect", 1, 10000);
    },
    { url, options: { ...FAST, ...options }, wait },
  );
}

const inOrderOnce = (list, n) => list.length === n && list.every((v, i) => v === i);

for (const kind of SERVER_KINDS) {
  describe(`persistent outbox against the ${kind} server`, () => {
    it("1,000 emits made offline, a reload, then the server back: 1,000 delivered, in order, each once", { timeout: 60_000 }, async (t) => {
      const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
      const page = await openTestPage(ctx, t);
      const k = key(`outbox-${kind}`);
      await open(page, proxy.url);
      proxy.refuseAll = true;
      proxy.cutAll();
      await page.evaluate(async (k) => {
        await untilEvent("disconnect", 1, 5000);
        for (let i = 0; i < 1000; i++) socket.emit("record", k, i);
      }, k);
      await until(() => page.evaluate(async () => (await storedCount()) === 1000), "1,000 kept emits in IndexedDB", 10_000, 50);
      const before = await page.evaluate(() => socket.outbox.length);
      await reload(page);
      await open(page, proxy.url, {}, false);
      proxy.refuseAll = false;
      await until(async () => (await records(ctx.servers[kind], k)).length >= 1000, "1,000 records", 20_000, 50);
      const got = await records(ctx.servers[kind], k);
      assert.equal(before, 1000, "the outbox listed 1,000 emits before the reload");
      assert.ok(inOrderOnce(got, 1000), `1,000 in order, each once (got ${got.length})`);
      await until(() => page.evaluate(async () => (await storedCount()) === 0), "the outbox emptied", 5000, 50);
      assert.deepEqual(await page.evaluate(() => entries("io:outbox_error")), []);
      assert.deepEqual(page.uncaught, []);
    });

    it("1,000 retries emits, the connection cut every second, 3 reloads on the way: none lost, duplicates counted", { timeout: 90_000 }, async (t) => {
      const proxy = await startProxy(new URL(ctx.servers[kind]).port * 1, t);
      const page = await openTestPage(ctx, t);
      const k = key(`outbox-retries-${kind}`);
      const options = { retries: 100, ackTimeout: 1000 };
      await open(page, proxy.url, options);
      // `retries` emits go one at a time, each after the last one's ack: at a few ms per
      // round trip the stream paces itself, so each reload below finds part of it still kept.
      proxy.delayMs = 1;
      await page.evaluate((k) => {
        for (let i = 0; i < 1000; i++) socket.emit("record", k, i, () => {});
      }, k);
      const cutter = setInterval(() => proxy.cutAll(), 1000);
      t.after(() => clearInterval(cutter));
      let restoredAcks = 0;
      for (let reloads = 0; reloads < 3; reloads++) {
        // Let part of the stream through, stop it, then reload with the rest still kept.
        const target = (reloads + 1) * 150;
        await until(async () => new Set(await records(ctx.servers[kind], k)).size >= target, `${target} delivered`, 30_000, 50);
        proxy.refuseAll = true;
        proxy.cutAll();
        await until(() => page.evaluate(() => !socket.connected), "the stream stopped", 5000, 20);
        await until(() => page.evaluate(async () => (await storedCount()) === socket.outbox.length), "the outbox written", 10_000, 20);
        const kept = await page.evaluate(() => socket.outbox.length);
        assert.ok(kept > 0, `reload ${reloads + 1} keeps part of the stream (${kept} kept)`);
        await reload(page);
        await open(page, proxy.url, options, false);
        proxy.refuseAll = false;
      }
      await until(() => page.evaluate(() => socket.outbox.length === 0 && entries("connect").length > 0), "the outbox emptied", 60_000, 100);
      clearInterval(cutter);
      restoredAcks = await page.evaluate(() => outboxAcks.filter((a) => a.err === null).length);
      const got = await records(ctx.servers[kind], k);
      const distinct = new Set(got);
      const firsts = got.filter((v, i) => got.indexOf(v) === i);
      t.diagnostic(`${kind}: ${got.length} records for 1,000 emits: ${distinct.size} distinct, ${got.length - distinct.size} duplicates; ${restoredAcks} outbox_ack after the last reload`);
      assert.equal(distinct.size, 1000, "none lost");
      assert.ok(firsts.every((v, i) => v === i), "first deliveries in order");
      assert.ok(restoredAcks > 0, "restored emits report their acks");
      assert.deepEqual(await page.evaluate(() => entries("io:outbox_error")), []);
    });
  });
}

describe("persistent outbox storage faults and tabs (Rust server)", () => {
  it("a full storage (a real quota over CDP) reports outbox_error and every emit is still delivered", { timeout: 30_000 }, async (t) => {
    const proxy = await startProxy(new URL(ctx.servers.rust).port * 1, t);
    // A context of its own: a quota override does not reach storage already in use.
    const context = await ctx.browser.newContext();
    t.after(() => context.close());
    const page = await openPage({ ...ctx, browser: context });
    await addTestHelpers(page);
    const cdp = await page.context().newCDPSession(page);
    const origin = new URL(page.url()).origin;
    await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 1 });
    t.after(() => cdp.send("Storage.overrideQuotaForOrigin", { origin }).catch(() => {}));
    const k = key("outbox-full");
    await open(page, proxy.url);
    proxy.refuseAll = true;
    proxy.cutAll();
    const error = await page.evaluate(async (k) => {
      await untilEvent("disconnect", 1, 5000);
      for (let i = 0; i < 100; i++) socket.emit("record", k, i, "x".repeat(1000));
      const [e] = await untilEvent("io:outbox_error", 1, 5000);
      return e.args[0].error;
    }, k);
    proxy.refuseAll = false;
    await until(async () => (await records(ctx.servers.rust, k)).length >= 100, "100 records", 15_000, 50);
    assert.match(error, /storage full/);
    assert.ok(inOrderOnce(await records(ctx.servers.rust, k), 100), "all 100, in order, once");
  });

  it("no IndexedDB at all: outbox_error, and the emits go from memory", { timeout: 30_000 }, async (t) => {
    const page = await openTestPage(ctx, t);
    const k = key("outbox-missing");
    await page.evaluate(() => Object.defineProperty(window, "indexedDB", { value: undefined }));
    await open(page, ctx.servers.rust, {}, false);
    const r = await page.evaluate(async (k) => {
      for (let i = 0; i < 10; i++) socket.emit("record", k, i);
      const [e] = await untilEvent("io:outbox_error", 1, 5000);
      await untilEvent("connect", 1, 5000);
      return e.args[0].error;
    }, k);
    assert.match(r, /storage unavailable/);
    await until(async () => (await records(ctx.servers.rust, k)).length >= 10, "10 records", 10_000, 50);
    assert.ok(inOrderOnce(await records(ctx.servers.rust, k), 10));
  });

  it("a corrupt record is reported and skipped; the good ones are delivered", { timeout: 30_000 }, async (t) => {
    const proxy = await startProxy(new URL(ctx.servers.rust).port * 1, t);
    const page = await openTestPage(ctx, t);
    const k = key("outbox-corrupt");
    await open(page, proxy.url);
    proxy.refuseAll = true;
    proxy.cutAll();
    await page.evaluate(async (k) => {
      await untilEvent("disconnect", 1, 5000);
      for (let i = 0; i < 5; i++) socket.emit("record", k, i);
    }, k);
    await until(() => page.evaluate(async () => (await storedCount()) === 5), "5 kept emits", 10_000, 50);
    // Damage one record in place: its JSON is no emit any more.
    await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open("socketio-wasm", 1);
          req.onsuccess = () => {
            const tx = req.result.transaction("outbox", "readwrite");
            const store = tx.objectStore("outbox");
            const keys = store.getAllKeys();
            keys.onsuccess = () => {
              const get = store.get(keys.result[2]);
              get.onsuccess = () => store.put({ ...get.result, data: "{not an emit" }, keys.result[2]);
            };
            tx.oncomplete = () => resolve(req.result.close());
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    await reload(page);
    await open(page, proxy.url, {}, false);
    proxy.refuseAll = false;
    const error = await page.evaluate(async () => (await untilEvent("io:outbox_error", 1, 5000))[0].args[0].error);
    await until(async () => (await records(ctx.servers.rust, k)).length >= 4, "4 records", 10_000, 50);
    assert.match(error, /could not be read/);
    assert.deepEqual(await records(ctx.servers.rust, k), [0, 1, 3, 4]);
  });

  it("a second tab does not send the first tab's outbox; the first sends it after its reload", { timeout: 40_000 }, async (t) => {
    const proxy = await startProxy(new URL(ctx.servers.rust).port * 1, t);
    const first = await openTestPage(ctx, t);
    const k = key("outbox-tabs");
    await open(first, proxy.url);
    proxy.refuseAll = true;
    proxy.cutAll();
    await first.evaluate(async (k) => {
      await untilEvent("disconnect", 1, 5000);
      for (let i = 0; i < 20; i++) socket.emit("record", k, i);
      // Stopped, as a tab that goes away: its emits stay kept for its next load.
      socket.disconnect();
    }, k);
    await until(() => first.evaluate(async () => (await storedCount()) === 20), "20 kept emits", 10_000, 50);
    proxy.refuseAll = false;
    const second = await openTestPage(ctx, t);
    await open(second, proxy.url);
    const listed = await second.evaluate(async (k) => {
      await socket.timeout(5000).emitWithAck("record", k, "second");
      return socket.outbox.length;
    }, k);
    assert.equal(listed, 0, "the second tab has an outbox of its own");
    assert.deepEqual(await records(ctx.servers.rust, k), ["second"], "nothing of the first tab's was sent");
    await reload(first);
    await open(first, proxy.url);
    await until(async () => (await records(ctx.servers.rust, k)).length >= 21, "the first tab's 20", 10_000, 50);
    assert.deepEqual(await records(ctx.servers.rust, k), ["second", ...Array.from({ length: 20 }, (_, i) => i)]);
  });
});
