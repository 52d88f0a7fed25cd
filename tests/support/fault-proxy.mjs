// A loopback TCP proxy that injects network faults between a client and a server, for tests of
// reconnection, heartbeats and transport fallback. Node built-ins only.
//
//   const proxy = new FaultProxy({ targetPort: server.port });
//   const port = await proxy.listen();          // clients connect to http://127.0.0.1:<port>
//   proxy.stalled = true;                       // a black hole: sockets stay open, bytes wait
//   proxy.cutAll();                             // every connection dies at once
//   await proxy.close();
//
// Faults:
// - `cutAll()`: destroys every client and upstream socket at once (both ends see a reset/close).
// - `stalled = true`: no byte moves in either direction, on existing and new connections, but
//   every socket stays open. Bytes are BUFFERED, not dropped (so are end-of-stream and aborts):
//   `stalled = false` delivers everything in order, like a network that came back.
// - `refuseWebSocket = true`: a new connection whose first HTTP request has `Upgrade: websocket`
//   gets `HTTP/1.1 403 Forbidden` + `Connection: close` and is closed; others pass through.
//   (Only the first request of a connection is looked at; browsers open a fresh connection for
//   every WebSocket.)
// - `cutWebSocketAfter101 = true`: a new connection whose first request is a WebSocket upgrade
//   is passed through until the server's answer head (`HTTP/1.1 101 Switching Protocols` ...
//   blank line) has been written to the client; then both sockets are destroyed, and nothing the
//   server sent after the head is forwarded. The WebSocket opens and dies at once: an Engine.IO
//   upgrade probe never gets its answer. (An answer other than 101 passes through unchanged.)
// - `wrongProbeAnswer = true`: on a new connection whose first request is a WebSocket upgrade
//   answered 101, if the server's first frame is the Engine.IO probe answer (the unmasked text
//   frame `3probe`: bytes 0x81 0x06 "3probe"), the client gets `3pr0be` instead (same length, so
//   the framing stays valid); any other first frame, and everything after it, passes unchanged.
//   (`refuseWebSocket` wins over both modes above, and `cutWebSocketAfter101` over this one. All
//   three are read when a connection is accepted: a change applies to new connections only.)
// - `refuseAll = true`: new connections are reset at once, like a server that is down.
// - `delayMs = n`: each chunk is forwarded n ms after it arrived, order preserved. A new value
//   applies to chunks that arrive after the change.

import net from "node:net";

const FORBIDDEN = "HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
const HEAD_END = Buffer.from("\r\n\r\n");
/** Past this many bytes without the end of the request head, stop looking and pass through. */
const MAX_HEAD = 64 * 1024;
/** The Engine.IO probe answer as a server sends it: FIN + text opcode, unmasked, 6 bytes. */
const PROBE_ANSWER = Buffer.from([0x81, 0x06, ...Buffer.from("3probe")]);
/** What `wrongProbeAnswer` delivers instead. */
const WRONG_PROBE_ANSWER = Buffer.from([0x81, 0x06, ...Buffer.from("3pr0be")]);

/**
 * The filter of the server -> client bytes of a WebSocket connection, for `cutWebSocketAfter101`
 * (`mode` "cut") and `wrongProbeAnswer` (`mode` "wrong-probe"). `data(chunk)` and `flush()` (at
 * the end of the stream) return the items to forward: `{chunk, cutAfter?}`, where `cutAfter`
 * asks the lane to destroy the connection once that chunk is written.
 */
class WebSocketResponseFilter {
  /** @param {"cut" | "wrong-probe"} mode */
  constructor(mode) {
    this.mode = mode;
    /** "head" (reading the response head), "frame" (the first frame), "pass" or "drop". */
    this.phase = "head";
    this.pending = Buffer.alloc(0);
  }

  /** @param {Buffer} chunk */
  data(chunk) {
    if (this.phase === "pass") return [{ chunk }];
    if (this.phase === "drop") return [];
    this.pending = Buffer.concat([this.pending, chunk]);
    const out = [];
    if (this.phase === "head") {
      const end = this.pending.indexOf(HEAD_END);
      if (end === -1) return this.pending.length >= MAX_HEAD ? this.#pass(out) : out;
      const head = this.pending.subarray(0, end + HEAD_END.length);
      this.pending = this.pending.subarray(end + HEAD_END.length);
      if (!/^HTTP\/1\.1 101 /.test(head.toString("latin1"))) {
        out.push({ chunk: head });
        return this.#pass(out);
      }
      if (this.mode === "cut") {
        this.phase = "drop";
        this.pending = Buffer.alloc(0);
        return [{ chunk: head, cutAfter: true }];
      }
      out.push({ chunk: head });
      this.phase = "frame";
    }
    // "frame": compare the bytes after the head with the probe answer, as far as they go.
    const n = Math.min(this.pending.length, PROBE_ANSWER.length);
    if (!this.pending.subarray(0, n).equals(PROBE_ANSWER.subarray(0, n))) return this.#pass(out);
    if (this.pending.length < PROBE_ANSWER.length) return out; // wait for the rest of the frame
    out.push({ chunk: WRONG_PROBE_ANSWER });
    this.pending = this.pending.subarray(PROBE_ANSWER.length);
    return this.#pass(out);
  }

  /** What is still held back, at the end of the stream (a partial head or frame). */
  flush() {
    return this.phase === "drop" ? [] : this.#pass([]);
  }

  /** Appends what is pending to `out` and passes everything from now on. */
  #pass(out) {
    if (this.pending.length > 0) out.push({ chunk: this.pending });
    this.pending = Buffer.alloc(0);
    this.phase = "pass";
    return out;
  }
}

/** One direction of a proxied connection: a queue of chunks and end/abort marks for `dst`. */
class Lane {
  /**
   * @param {net.Socket} src @param {net.Socket} dst @param {FaultProxy} proxy
   * @param {{filter?: WebSocketResponseFilter | null, cut?: () => void}} [options] `filter`
   *   rewrites what `src` sends; `cut` destroys the whole connection (for a `cutAfter` item).
   */
  constructor(src, dst, proxy, { filter = null, cut = null } = {}) {
    this.src = src;
    this.dst = dst;
    this.proxy = proxy;
    this.filter = filter;
    this.cut = cut;
    /** @type {{at: number, chunk?: Buffer, cutAfter?: true, end?: true, abort?: true}[]} */
    this.queue = [];
    this.timer = null;
    this.ended = false;
    this.draining = false;
    src.on("data", (chunk) => this.take(chunk));
    src.on("end", () => {
      this.ended = true;
      this.flushFilter();
      this.push({ end: true });
    });
    src.on("close", () => {
      // Closed without a clean end: an error or a reset. Pass the abort on (in order).
      if (!this.ended) {
        this.flushFilter();
        this.push({ abort: true });
      }
    });
  }

  /** A chunk read from `src`: queued, through the filter if there is one. */
  take(chunk) {
    if (!this.filter) return this.push({ chunk });
    for (const item of this.filter.data(chunk)) this.push(item);
  }

  flushFilter() {
    if (this.filter) for (const item of this.filter.flush()) this.push(item);
  }

  push(item) {
    item.at = Date.now() + this.proxy.delayMs;
    this.queue.push(item);
    this.pump();
  }

  /** Forwards what is due, unless stalled; arms a timer for the next delayed item. */
  pump() {
    if (this.timer) return;
    while (this.queue.length > 0 && !this.proxy.stalled) {
      const head = this.queue[0];
      const wait = head.at - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      this.queue.shift();
      const dst = this.dst;
      if (dst.destroyed) continue;
      if (head.abort) {
        dst.destroy();
      } else if (head.end) {
        dst.end();
      } else if (head.cutAfter) {
        // Written, then the connection dies: nothing queued after this chunk is forwarded.
        this.clear();
        dst.write(head.chunk, () => this.cut?.());
        return;
      } else if (!dst.write(head.chunk) && !this.draining) {
        // Backpressure: stop reading until the other side has drained.
        this.draining = true;
        this.src.pause();
        dst.once("drain", () => {
          this.draining = false;
          this.src.resume();
        });
      }
    }
  }

  clear() {
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export class FaultProxy {
  #targetHost;
  #targetPort;
  /** @type {net.Server | null} */
  #server = null;
  /** Every open socket, client or upstream. */
  #sockets = new Set();
  /** Client sockets that are open. */
  #clients = new Set();
  #lanes = new Set();
  #accepted = 0;
  #stalled = false;
  #refuseWebSocket = false;
  #refuseAll = false;
  #cutWebSocketAfter101 = false;
  #wrongProbeAnswer = false;
  #delayMs = 0;

  /** @param {{targetHost?: string, targetPort: number}} options */
  constructor({ targetHost = "127.0.0.1", targetPort } = {}) {
    if (!Number.isInteger(targetPort) || targetPort <= 0 || targetPort > 65535) {
      throw new TypeError(`FaultProxy: targetPort must be a port number, got ${targetPort}`);
    }
    this.#targetHost = targetHost;
    this.#targetPort = targetPort;
  }

  /** Listens on 127.0.0.1 (port 0: any free port) and resolves the bound port. */
  listen(port = 0) {
    if (this.#server) return Promise.reject(new Error("FaultProxy: already listening"));
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.#accept(socket));
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve(server.address().port);
      });
    });
  }

  /** The bound port (after `listen`). */
  get port() {
    return this.#server?.address()?.port;
  }

  /** Client connections open right now. */
  get connectionCount() {
    return this.#clients.size;
  }

  /** Client connections accepted since the start (refused ones included). */
  get acceptedCount() {
    return this.#accepted;
  }

  get stalled() {
    return this.#stalled;
  }

  set stalled(on) {
    this.#stalled = Boolean(on);
    if (!this.#stalled) for (const lane of this.#lanes) lane.pump();
  }

  get refuseWebSocket() {
    return this.#refuseWebSocket;
  }

  set refuseWebSocket(on) {
    this.#refuseWebSocket = Boolean(on);
  }

  get cutWebSocketAfter101() {
    return this.#cutWebSocketAfter101;
  }

  set cutWebSocketAfter101(on) {
    this.#cutWebSocketAfter101 = Boolean(on);
  }

  get wrongProbeAnswer() {
    return this.#wrongProbeAnswer;
  }

  set wrongProbeAnswer(on) {
    this.#wrongProbeAnswer = Boolean(on);
  }

  get refuseAll() {
    return this.#refuseAll;
  }

  set refuseAll(on) {
    this.#refuseAll = Boolean(on);
  }

  get delayMs() {
    return this.#delayMs;
  }

  set delayMs(ms) {
    const n = Number(ms);
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`FaultProxy: bad delayMs ${ms}`);
    this.#delayMs = n;
  }

  /** Destroys every client and upstream socket at once. */
  cutAll() {
    for (const lane of this.#lanes) lane.clear();
    this.#lanes.clear();
    for (const socket of [...this.#sockets]) socket.destroy();
  }

  /** Cuts every connection and stops listening. */
  async close() {
    this.cutAll();
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    await new Promise((resolve) => server.close(() => resolve()));
  }

  #track(socket) {
    this.#sockets.add(socket);
    socket.on("error", () => {}); // every error ends in "close", which is handled
    socket.on("close", () => this.#sockets.delete(socket));
  }

  /** @param {net.Socket} client */
  #accept(client) {
    this.#accepted++;
    if (this.#refuseAll) {
      client.on("error", () => {});
      client.resetAndDestroy();
      return;
    }
    this.#track(client);
    this.#clients.add(client);
    client.on("close", () => this.#clients.delete(client));
    client.setNoDelay(true);
    // What happens to a WebSocket connection is decided now, from the modes set at accept time.
    const webSocket = this.#refuseWebSocket
      ? "refuse"
      : this.#cutWebSocketAfter101
        ? "cut"
        : this.#wrongProbeAnswer
          ? "wrong-probe"
          : null;
    if (webSocket) {
      this.#sniff(client, webSocket);
    } else {
      this.#connect(client, []);
    }
  }

  /**
   * Reads the first request head. A WebSocket upgrade is refused (`mode` "refuse") or connected
   * upstream with its response filtered (`mode` "cut" or "wrong-probe"); anything else is
   * connected upstream as is.
   */
  #sniff(client, mode) {
    const chunks = [];
    let size = 0;
    const decide = () => {
      client.off("data", onData);
      client.off("end", decide);
      const head = Buffer.concat(chunks).toString("latin1");
      const webSocket = /^upgrade:[ \t]*websocket[ \t]*$/im.test(head.split("\r\n\r\n")[0]);
      if (webSocket && mode === "refuse") {
        client.end(FORBIDDEN);
        return;
      }
      // The chunks read so far go first; an "end" already seen here must be passed on too.
      const filter = webSocket ? new WebSocketResponseFilter(mode) : null;
      this.#connect(client, chunks, client.readableEnded, filter);
    };
    const onData = (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_HEAD || Buffer.concat(chunks).indexOf(HEAD_END) !== -1) decide();
    };
    client.on("data", onData);
    client.on("end", decide);
  }

  /** Connects upstream and starts both lanes, `initial` chunks first; `filter`: see Lane. */
  #connect(client, initial, alreadyEnded = false, filter = null) {
    const upstream = net.connect({
      host: this.#targetHost,
      port: this.#targetPort,
      allowHalfOpen: true,
      noDelay: true,
    });
    this.#track(upstream);
    const cut = () => {
      up.clear();
      down.clear();
      client.destroy();
      upstream.destroy();
    };
    const up = new Lane(client, upstream, this);
    const down = new Lane(upstream, client, this, { filter, cut });
    this.#lanes.add(up);
    this.#lanes.add(down);
    let closed = 0;
    const onClose = () => {
      if (++closed === 2) {
        this.#lanes.delete(up);
        this.#lanes.delete(down);
      }
    };
    client.on("close", onClose);
    upstream.on("close", onClose);
    for (const chunk of initial) up.push({ chunk });
    if (alreadyEnded) {
      up.ended = true;
      up.push({ end: true });
    }
    if (client.destroyed) up.push({ abort: true });
  }
}
