// A hostile server: a minimal Engine.IO long-polling endpoint (node:http only) that completes
// the handshake and the CONNECT, then answers with a malformed packet. The client must report
// a disconnect with a reason and reconnect, never trap the WebAssembly, and leave a second
// socket on the same page (connected to the real reference server) working.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { openPage, useServers } from "./fixtures.mjs";
import { startHostileServer } from "./hostile-server.mjs";

const ctx = useServers();

const HOSTILE = [
  ["invalid JSON in an EVENT", "42{not json"],
  ["invalid JSON after an EVENT's name", '42["x",{not json}]'],
  ["a reserved event name", '42["connect"]'],
  ["a placeholder without attachments", '451-["a",{"_placeholder":true,"num":5}]'],
  ["an attachment with no header", "bAQID"],
  ["JSON nested 100,000 deep", "42" + "[".repeat(100_000)],
  ["an unknown Engine.IO packet type", "9hello"],
  ["an ack id that overflows", '4399999999999999999999999["x"]'],
  ["an unknown Socket.IO packet type", "47"],
];

let server;
let payload = "";

before(async () => {
  // Each session: the CONNECT reply, then the hostile payload, then silence.
  server = await startHostileServer({
    onOpen(session) {
      session.send('40{"sid":"ns"}');
      session.send(payload);
    },
  });
});
after(() => server.close());

for (const [name, bad] of HOSTILE) {
  it(`${name}: a disconnect with a reason, then a reconnection; no trap; the other socket works`, async () => {
    payload = bad;
    const page = await openPage(ctx);
    const hostileUrl = server.url;
    const result = await page.evaluate(
      async ({ hostileUrl, goodUrl }) => {
        const good = sio.io(goodUrl, { forceNew: true, transports: ["websocket"] });
        await waitFor(good, "connect");
        const bad = sio.io(hostileUrl, { forceNew: true, transports: ["polling"], reconnectionDelay: 100, randomizationFactor: 0 });
        const [reason] = await waitFor(bad, "disconnect", 10_000);
        const [attempt] = await waitFor(bad.io, "reconnect_attempt", 10_000);
        const reply = await good.timeout(5000).emitWithAck("echo", "alive");
        bad.disconnect();
        good.disconnect();
        return { reason, attempt, reply };
      },
      { hostileUrl, goodUrl: ctx.servers.rust },
    );
    assert.ok(["parse error", "transport error"].includes(result.reason), result.reason);
    assert.equal(result.attempt, 1);
    assert.equal(result.reply, "alive");
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}
