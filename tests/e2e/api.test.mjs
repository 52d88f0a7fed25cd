// Bad calls from JavaScript: each throws a clear TypeError or Error naming what is wrong, and
// none traps the WebAssembly (the client keeps working on the same page afterwards).
import assert from "node:assert/strict";
import { it } from "node:test";
import { openPage, useServers } from "./fixtures.mjs";

const ctx = useServers();

it("bad arguments and options throw errors that name them, and the client keeps working", async () => {
  const page = await openPage(ctx);
  const result = await page.evaluate(async (url) => {
    const attempt = (fn) => {
      try {
        fn();
        return "no error";
      } catch (e) {
        return `${e.constructor.name}: ${e.message}`;
      }
    };
    const socket = sio.io(url, { forceNew: true, transports: ["websocket"] });
    await waitFor(socket, "connect");
    const errors = {
      uri: attempt(() => sio.io(123)),
      opts: attempt(() => sio.io(url, "fast")),
      delay: attempt(() => sio.io(url, { forceNew: true, reconnectionDelay: "soon" })),
      transports: attempt(() => sio.io(url, { forceNew: true, transports: ["carrier-pigeon"] })),
      factor: attempt(() => sio.io(url, { forceNew: true, randomizationFactor: 2 })),
      retries: attempt(() => sio.io(url, { forceNew: true, retries: -1 })),
      scheme: attempt(() => sio.io("ftp://127.0.0.1/")),
      reserved: attempt(() => socket.emit("disconnect")),
      eventName: attempt(() => socket.emit({ not: "a name" })),
      timeout: attempt(() => socket.timeout("1s")),
      cyclic: attempt(() => {
        const a = {};
        a.self = a;
        socket.emit("echo", a);
      }),
    };
    // Still alive: the same socket round-trips an ack.
    const reply = await socket.timeout(5000).emitWithAck("echo", "still here");
    socket.disconnect();
    return { errors, reply };
  }, ctx.servers.rust);
  const e = result.errors;
  assert.match(e.uri, /^TypeError: .*uri must be a string/);
  assert.match(e.opts, /^TypeError: .*opts must be an object/);
  assert.match(e.delay, /^TypeError: option 'reconnectionDelay'/);
  assert.match(e.transports, /^TypeError: option 'transports'/);
  assert.match(e.factor, /^TypeError: option 'randomizationFactor'/);
  assert.match(e.retries, /^TypeError: option 'retries'/);
  assert.match(e.scheme, /^TypeError: unsupported URL scheme/);
  assert.match(e.reserved, /^Error: "disconnect" is a reserved event name/);
  assert.match(e.eventName, /^TypeError: the event name must be a string/);
  assert.match(e.timeout, /^TypeError: timeout\(ms\)/);
  assert.match(e.cyclic, /^TypeError: .*circular/i);
  assert.equal(result.reply, "still here");
  assert.deepEqual(page.errors, []);
  await page.close();
});
