// The Leptos chat (examples/leptos-chat, Rust over the typed Rust API, built into its dist/ by
// scripts/build-examples.sh and served by the Rust server at /leptos-chat/), driven like a user:
// alice and bob join room "blue" and chat; bob sends alice a private message picked from his
// people list; alice goes offline, a message she sends meanwhile is queued, and it reaches bob
// once she is back, in her room again (the auth of her reconnection carries it).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, it } from "node:test";
import { ROOT, buildRustServer, startRustServer } from "../support/spawn.mjs";
import { launch } from "./browser.mjs";
import { WAIT, item, join, openChat as openPage, say, socketId } from "./chat-page.mjs";

const ctx = {};

before(async () => {
  const dist = path.join(ROOT, "examples", "leptos-chat", "dist", "leptos_chat_bg.wasm");
  if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run bash scripts/build-examples.sh`);
  await buildRustServer();
  const [server, browser] = await Promise.all([startRustServer(), launch()]);
  Object.assign(ctx, { server, browser });
});

after(async () => {
  await ctx.browser?.close();
  await ctx.server?.stop();
});

const openChat = (nickname) => openPage(ctx.browser, `${ctx.server.url}/leptos-chat/`, nickname);

it("two users chat in a room, one sends a private message, an offline message arrives after reconnection", async () => {
  const [alice, bob] = await Promise.all(["alice", "bob"].map(openChat));
  await join(alice, "blue");
  await join(bob, "blue");
  await item(alice, "notice", "bob joined #blue").waitFor(WAIT);
  await alice.locator("#users li[data-id]", { hasText: "bob" }).waitFor(WAIT);
  await bob.locator("#users li[data-id]", { hasText: "alice" }).waitFor(WAIT);

  // A room message reaches both (the sender's own copy included).
  await say(alice, "hello blue");
  await item(bob, "message", "hello blue").waitFor(WAIT);
  await item(alice, "message", "hello blue").waitFor(WAIT);
  assert.match(await item(bob, "message", "hello blue").locator(".from").textContent(), /^alice$/);

  // A private message from bob to alice's socket id, picked from bob's people list.
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
  await bob.locator('#target[data-mode="room"]').waitFor(WAIT);

  // alice goes offline: bob sees her leave; what she sends is queued.
  await alice.check("#offline");
  await alice.locator('#state[data-state="offline"]').waitFor(WAIT);
  await item(bob, "notice", "alice left #blue").waitFor(WAIT);
  await say(alice, "buffered while offline");
  await item(alice, "system", "Queued “buffered while offline”").waitFor(WAIT);
  // bob's own later message proves the queued one has not reached him yet (events arrive in order).
  await say(bob, "are you there?");
  await item(bob, "message", "are you there?").waitFor(WAIT);
  assert.equal(await item(bob, "message", "buffered while offline").count(), 0, "sent while offline");

  // Back online: the reconnection's auth puts alice back in blue before the buffer is flushed.
  await alice.uncheck("#offline");
  await alice.locator('#state[data-state="connected"]').waitFor(WAIT);
  await item(bob, "message", "buffered while offline").waitFor(WAIT);
  await item(alice, "message", "buffered while offline").waitFor(WAIT);
  assert.equal(await item(bob, "message", "buffered while offline").count(), 1, "delivered twice");
  assert.notEqual(await socketId(alice), aliceId, "a reconnected socket has a new id");

  fs.mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  await alice.screenshot({ path: path.join(ROOT, "test-results", "leptos-chat.png") });
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});
