// A scriptable raw Engine.IO v4 long-polling server (node:http only), for tests that need to put
// exact bytes on the wire, malformed or not. No WebSocket (the handshake offers no upgrade).
//
//   const server = await startHostileServer({
//     handshake: { maxPayload: 1000 },            // merged into the OPEN packet's JSON
//     onOpen(session) { session.send('40{"sid":"a"}'); },
//     onPackets(session, packets) { ... },        // the packets of each POST body, as text
//   });
//   sio.io(server.url, { transports: ["polling"] });
//   ...
//   server.close();
//
// Each session (`{ sid, index, posted, send(body) }`, in `server.sessions`) answers its polling
// GETs in order from what `send` queued: one `send` is one whole HTTP response body (join
// packets with "\x1e" to batch them). A GET with nothing queued waits for the next `send`, or
// 20 s, then gets a NOOP ("6"). POSTs are answered "ok". Every response allows CORS with
// credentials from the requesting origin.
import { createServer } from "node:http";

/** How long a GET with nothing to send is held before a NOOP (longer than any test). */
const HOLD_MS = 20_000;

export async function startHostileServer({ handshake = {}, onOpen, onPackets } = {}) {
  const sessions = new Map();
  let count = 0;

  function newSession() {
    count += 1;
    const session = {
      sid: `h${count}`,
      index: count,
      posted: [],
      queue: [],
      waiting: null,
      send(body) {
        const waiting = session.waiting;
        if (waiting) {
          session.waiting = null;
          clearTimeout(waiting.timer);
          waiting.res.writeHead(200, waiting.cors).end(body);
        } else {
          session.queue.push(body);
        }
      },
    };
    sessions.set(session.sid, session);
    return session;
  }

  function handle(req, res) {
    const url = new URL(req.url, "http://x");
    const cors = { "access-control-allow-origin": req.headers.origin || "*", "access-control-allow-credentials": "true" };
    if (req.method === "OPTIONS") {
      res.writeHead(204, { ...cors, "access-control-allow-headers": "content-type" }).end();
      return;
    }
    const sid = url.searchParams.get("sid");
    if (!sid) {
      const session = newSession();
      const open = { sid: session.sid, upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1e6, ...handshake };
      res.writeHead(200, { ...cors, "content-type": "text/plain" }).end("0" + JSON.stringify(open));
      onOpen?.(session);
      return;
    }
    const session = sessions.get(sid);
    if (!session) {
      res.writeHead(400, { ...cors, "content-type": "application/json" }).end('{"code":1,"message":"Session ID unknown"}');
      return;
    }
    if (req.method === "POST") {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        res.writeHead(200, { ...cors, "content-type": "text/plain" }).end("ok");
        const packets = body.split("\x1e");
        session.posted.push(...packets);
        onPackets?.(session, packets);
      });
      return;
    }
    if (session.queue.length > 0) {
      res.writeHead(200, cors).end(session.queue.shift());
      return;
    }
    const timer = setTimeout(() => {
      if (session.waiting?.res === res) session.waiting = null;
      res.writeHead(200, cors).end("6");
    }, HOLD_MS);
    timer.unref();
    session.waiting = { res, cors, timer };
  }

  const server = createServer(handle);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = server.address().port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    sessions,
    close() {
      for (const session of sessions.values()) if (session.waiting) clearTimeout(session.waiting.timer);
      server.closeAllConnections();
      server.close();
    },
  };
}
