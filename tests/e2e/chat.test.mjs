// The chat demo (www/chat.html on the namespace /chat of the Rust server), driven like a user:
// alice and bob chat in room "blue", carol is in "green" and must see none of it; bob sends
// alice a private message; alice goes offline, and what she sends meanwhile is buffered (or, with
// the volatile toggle, dropped) and reaches bob when she reconnects; bob closes his page and
// alice sees him leave; the server is killed and restarted, and carol's page shows its
// reconnection attempts and comes back in her room. Saves a screenshot of alice's page to
// test-results/chat.png.
//
// "Must not see" is proven without sleeping: a page's events arrive in order, so once a page has
// received a later message, an earlier one that was (wrongly) sent to it would already be there.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, it } from "node:test";
import { ROOT, buildRustServer, startRustServer } from "../support/spawn.mjs";
import { launch } from "./browser.mjs";
import { WAIT, item, join, openChat as openPage, say, socketId } from "./chat-page.mjs";

const ctx = {};

before(async () => {
  await buildRustServer();
  const [server, browser] = await Promise.all([startRustServer(), launch()]);
  Object.assign(ctx, { server, browser });
});

after(async () => {
  await ctx.browser?.close();
  await ctx.server?.stop();
});

const openChat = (nickname) => openPage(ctx.browser, `${ctx.server.url}/www/chat.html`, nickname);

it("two pages chat in one room, a third room sees nothing; private, offline buffering, leave", async () => {
  const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map(openChat));
  await join(alice, "blue");
  await join(bob, "blue");
  await join(carol, "green");
  // alice saw bob join, and both are listed on her page.
  await item(alice, "notice", "bob joined #blue").waitFor(WAIT);
  await alice.locator("#users li[data-id]", { hasText: "bob" }).waitFor(WAIT);
  assert.equal(await alice.locator("#users li[data-id]").count(), 2);

  // A room message reaches the room (the sender's own copy included), not the other room.
  await say(alice, "hello blue");
  await item(bob, "message", "hello blue").waitFor(WAIT);
  await item(alice, "message", "hello blue").waitFor(WAIT);
  await say(carol, "hello green");
  await item(carol, "message", "hello green").waitFor(WAIT);
  assert.equal(await item(carol, "message", "hello blue").count(), 0, "carol (green) got a blue message");
  assert.equal(await item(carol, "notice", "joined #blue").count(), 0, "carol (green) got a blue notice");
  await say(bob, "blue again");
  await item(alice, "message", "blue again").waitFor(WAIT);
  assert.equal(await item(alice, "message", "hello green").count(), 0, "alice (blue) got a green message");
  assert.equal(await item(bob, "message", "hello green").count(), 0, "bob (blue) got a green message");
  const line = item(bob, "message", "hello blue");
  assert.match(await line.locator(".from").textContent(), /^alice$/);

  // A private message from bob to alice's socket id, picked from bob's user list.
  const aliceId = await socketId(alice);
  const bobId = await socketId(bob);
  await bob.click(`#users li[data-id="${aliceId}"] button.dm`);
  await bob.locator('#target[data-mode="private"]', { hasText: "alice" }).waitFor(WAIT);
  await say(bob, "psst, alice");
  const secret = item(alice, "private", "psst, alice");
  await secret.waitFor(WAIT);
  assert.equal(await secret.getAttribute("data-from-id"), bobId);
  assert.match(await secret.locator(".from").textContent(), /bob \(privately\)/);
  await bob.click("#target-clear");
  await say(bob, "back to the room");
  await item(bob, "message", "back to the room").waitFor(WAIT);
  // bob has only his own copy (the local "you → alice" line); carol has none.
  assert.equal(await bob.locator('#messages li[data-kind="private"]').count(), 1);
  await say(carol, "still green");
  await item(carol, "message", "still green").waitFor(WAIT);
  assert.equal(await carol.locator('#messages li[data-kind="private"]').count(), 0);

  // alice goes offline: bob sees her leave; a volatile message is dropped, a plain one buffered.
  await alice.check("#offline");
  await alice.locator('#state[data-state="offline"]').waitFor(WAIT);
  await item(bob, "notice", "alice left #blue").waitFor(WAIT);
  await alice.check("#volatile");
  await say(alice, "volatile while offline");
  await item(alice, "system", "Dropped “volatile while offline”").waitFor(WAIT);
  await alice.uncheck("#volatile");
  await say(alice, "buffered while offline");
  await item(alice, "system", "Queued “buffered while offline”").waitFor(WAIT);
  assert.equal(await item(bob, "message", "while offline").count(), 0, "sent while offline");

  // Back online: the handshake's auth puts alice back in blue before the buffer is flushed.
  await alice.uncheck("#offline");
  await alice.locator('#state[data-state="connected"]').waitFor(WAIT);
  await item(bob, "message", "buffered while offline").waitFor(WAIT);
  await item(alice, "message", "buffered while offline").waitFor(WAIT);
  assert.equal(await item(bob, "message", "volatile while offline").count(), 0, "volatile was buffered");
  assert.equal(await item(bob, "notice", "alice joined #blue").count(), 1);
  assert.notEqual(await socketId(alice), aliceId, "a reconnected socket has a new id");

  // bob closes his page: the server's disconnect handler tells the room.
  await bob.context().close();
  await item(alice, "notice", "bob left #blue").waitFor(WAIT);
  await alice.locator("#users li[data-id]").first().waitFor(WAIT);
  await alice.waitForFunction(() => document.querySelectorAll("#users li[data-id]").length === 1, null, WAIT);
  assert.equal(await item(carol, "notice", "left #blue").count(), 0);

  fs.mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  await alice.screenshot({ path: path.join(ROOT, "test-results", "chat.png") });
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
  await alice.context().close();

  // The server dies (no goodbye): carol shows her reconnection attempts; a new server on the same
  // port knows nothing of her, and the handshake's auth puts her back in green as carol.
  const { port } = ctx.server;
  ctx.server.process.kill("SIGKILL");
  await ctx.server.stop();
  await carol.locator('#state[data-state="reconnecting"]', { hasText: /attempt \d+/ }).waitFor(WAIT);
  ctx.server = await startRustServer(["--port", String(port)]);
  await carol.locator('#state[data-state="connected"]').waitFor({ timeout: 20_000 });
  await item(carol, "system", "Connected again, back in #green.").waitFor(WAIT);
  await say(carol, "green after a restart");
  const restarted = item(carol, "message", "green after a restart");
  await restarted.waitFor(WAIT);
  assert.match(await restarted.locator(".from").textContent(), /^carol$/);
  await carol.locator("#users li[data-id]", { hasText: "carol" }).waitFor(WAIT);
  // Chromium logs each refused attempt to the console; nothing else may be there.
  const unexpected = carol.errors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection to .* failed/.test(e));
  assert.deepEqual(unexpected, []);
  await carol.context().close();
});

it("the connection-life card shows what waits, and a message sent offline survives the reload button", async () => {
  const [dave, erin] = await Promise.all(["dave", "erin"].map(openChat));
  await join(dave, "orange");
  await join(erin, "orange");
  await dave.check("#offline");
  await dave.locator('#state[data-state="offline"]').waitFor(WAIT);
  await say(dave, "kept over the reload");
  await dave.locator("#life-buffered", { hasText: "1" }).waitFor(WAIT);
  await dave.locator("#life-outbox", { hasText: "1" }).waitFor(WAIT);
  // Written to IndexedDB before the page goes away (the outbox writes at the end of the task).
  await dave.waitForFunction(
    () =>
      new Promise((resolve) => {
        const req = indexedDB.open("socketio-wasm", 1);
        req.onsuccess = () => {
          const count = req.result.transaction("outbox").objectStore("outbox").count();
          count.onsuccess = () => resolve(count.result === 1);
        };
        req.onerror = () => resolve(false);
      }),
    null,
    WAIT,
  );
  await dave.click("#reload");
  await dave.locator('#state[data-state="connected"]').waitFor(WAIT);
  await item(dave, "system", "Back in #orange after the reload.").waitFor(WAIT);
  const got = item(erin, "message", "kept over the reload");
  await got.waitFor(WAIT);
  assert.match(await got.locator(".from").textContent(), /^dave$/, "sent under the nickname kept over the reload");
  await dave.locator("#life-outbox", { hasText: "0" }).waitFor(WAIT);
  assert.equal(await got.count(), 1, "delivered once");
  assert.deepEqual(dave.errors, []);
  await Promise.all([dave.context().close(), erin.context().close()]);
});
