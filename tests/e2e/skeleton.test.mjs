// The walking skeleton, end to end: the package loads in Chromium, connects to each server
// over each transport mode, and an emit with an ack round-trips the same JSON both ways.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openPage, useServers } from "./fixtures.mjs";

const ctx = useServers();
const MODES = {
  websocket: { transports: ["websocket"] },
  "polling then upgrade": {},
  "polling only": { transports: ["polling"] },
};

for (const server of ["rust", "node"]) {
  describe(`against the ${server} server`, () => {
    for (const [mode, opts] of Object.entries(MODES)) {
      it(`connects over ${mode}; the echo event and the ack carry the sent JSON`, async () => {
        const page = await openPage(ctx);
        const result = await page.evaluate(
          async ({ url, opts }) => {
            const socket = sio.io(url, { forceNew: true, ...opts });
            await waitFor(socket, "connect");
            const sent = { a: 1, nested: { list: [1, "two", null, true], text: "héllo ✓" } };
            const echoed = waitFor(socket, "echo");
            const acked = new Promise((resolve) => socket.emit("echo", sent, (...args) => resolve(args)));
            const [[echo], ack] = await Promise.all([echoed, acked]);
            const out = { id: socket.id, connected: socket.connected, echo, ack, transport: socket.io.engine.transport.name };
            socket.disconnect();
            return { ...out, sent, after: socket.connected };
          },
          { url: ctx.servers[server], opts },
        );
        assert.equal(result.connected, true);
        assert.equal(typeof result.id, "string");
        assert.deepEqual(result.echo, result.sent);
        assert.deepEqual(result.ack, [result.sent]);
        assert.equal(result.after, false);
        if (mode === "websocket") assert.equal(result.transport, "websocket");
        if (mode === "polling only") assert.equal(result.transport, "polling");
        assert.deepEqual(page.errors, []);
        await page.close();
      });
    }
  });
}
