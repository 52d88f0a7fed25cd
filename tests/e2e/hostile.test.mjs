// A hostile server: a minimal Engine.IO long-polling endpoint (node:http only) that completes
// the handshake and the CONNECT, then answers with a malformed packet. The client must report
// a disconnect with a reason and reconnect, never trap the WebAssembly, and leave a second
// socket on the same page (connected to the real reference server) working.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, it } from "node:test";
import { openPage, useServers } from "./fixtures.mjs";

const ctx = useServers();

const HOSTILE = [
  ["invalid JSON in an EVENT", "42{not json"],
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
let sessions = 0;

function handle(req, res) {
  const url = new URL(req.url, "http://x");
  const cors = { "access-control-allow-origin": req.headers.origin || "*", "access-control-allow-credentials": "true" };
  if (req.method === "OPTIONS") {
    res.writeHead(204, { ...cors, "access-control-allow-headers": "content-type" }).end();
    return;
  }
  const sid = url.searchParams.get("sid");
  if (req.method === "POST") {
    req.resume();
    req.on("end", () => res.writeHead(200, { ...cors, "content-type": "text/plain" }).end("ok"));
    return;
  }
  if (!sid) {
    sessions += 1;
    const open = { sid: `h${sessions}`, upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1e6 };
    res.writeHead(200, { ...cors, "content-type": "text/plain" }).end("0" + JSON.stringify(open));
    return;
  }
  // Each session: the CONNECT reply, then the hostile payload, then silence.
  const step = (handle.steps[sid] = (handle.steps[sid] || 0) + 1);
  if (step === 1) res.writeHead(200, cors).end('40{"sid":"ns"}');
  else if (step === 2) res.writeHead(200, cors).end(payload);
  else setTimeout(() => res.writeHead(200, cors).end("6"), 20_000).unref();
}
handle.steps = {};

before(async () => {
  server = createServer(handle);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
});
after(() => {
  server.closeAllConnections();
  server.close();
});

for (const [name, bad] of HOSTILE) {
  it(`${name}: a disconnect with a reason, then a reconnection; no trap; the other socket works`, async () => {
    payload = bad;
    const page = await openPage(ctx);
    const hostileUrl = `http://127.0.0.1:${server.address().port}`;
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
