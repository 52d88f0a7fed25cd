// The JavaScript face of socketio-wasm: socket.io-client's API (io, Manager, Socket) over the
// WebAssembly core. Marshalling only: variadic arguments, ack functions, JSON and binary
// placeholders, and listener lists. Every protocol decision (buffer, send, drop, ack timeouts,
// reconnection) is made by the Rust core.
// The package ships this file bundled with the glue into one minified module (pkg/index.js,
// scripts/bundle.mjs): the WebAssembly is fetched as soon as that module runs, and compiled
// while it streams in.
import init, { Control as C, EmitFlag as F, EventKind as K, ManagerSetting, optionTables, RawManager, reservedLengths, resolveUrl, State as S, wasmHeapInUse, wasmMemorySize } from "../pkg/socketio_wasm.js";

await init({ module_or_path: fetch(new URL("../pkg/socketio_wasm_bg.wasm", import.meta.url)) });

/** Bit n set: a name n characters long may be refused by the core (its `checkEmit`). */
const RESERVED_LENGTHS = reservedLengths();

/** Throws what a core method that can fail returned: its `Error`, or nothing (`undefined`). */
function thrown(error) {
  if (error !== undefined) throw error;
}

/** Throws the core's error now for an event `name` it refuses, and returns the name when the
 *  core must see it (its length is a reserved name's; lengths of 32 and more wrap around:
 *  checked needlessly, harmless), else undefined: other names never cross into the core. */
function checkName(core, name) {
  if (!((RESERVED_LENGTHS >>> name.length) & 1)) return undefined;
  thrown(core.checkEmit(name));
  return name;
}

const SEQ = Symbol("seq");
/** `socket.flags` between emits: shared and never written (`timeout()` and `volatile` replace it). */
const NO_FLAGS = Object.freeze({});

/** The engine events reported only while someone listens (`Control.NotifyEngine`). */
const ENGINE_EVENTS = ["packet", "packetCreate", "drain", "close"];

/** The Socket.IO protocol revision this client speaks. */
export const protocol = 5;

/** A minimal event emitter with the component-emitter API socket.io-client exposes. */
export class Emitter {
  constructor() {
    this._callbacks = new Map();
  }
  on(event, fn) {
    let list = this._callbacks.get(event);
    if (!list) this._callbacks.set(event, (list = []));
    list.push(fn);
    return this;
  }
  once(event, fn) {
    const wrapper = (...args) => {
      this.off(event, wrapper);
      fn.apply(this, args);
    };
    wrapper.fn = fn;
    return this.on(event, wrapper);
  }
  off(event, fn) {
    if (event === undefined) {
      this._callbacks.clear();
      return this;
    }
    const list = this._callbacks.get(event);
    if (!list) return this;
    if (fn === undefined) {
      this._callbacks.delete(event);
      return this;
    }
    const i = list.findIndex((l) => l === fn || l.fn === fn);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this._callbacks.delete(event);
    return this;
  }
  emitReserved(event, ...args) {
    const list = this._callbacks.get(event);
    // A copy, so that listeners added or removed meanwhile do not change this call (none
    // needed for one listener).
    if (list?.length === 1) list[0].apply(this, args);
    else if (list) for (const fn of list.slice()) fn.apply(this, args);
    return this;
  }
  listeners(event) {
    return (this._callbacks.get(event) || []).slice();
  }
  hasListeners(event) {
    return !!this._callbacks.get(event)?.length;
  }
}
Emitter.prototype.addEventListener = function (event, fn) {
  return this.on(event, fn);
};
Emitter.prototype.removeListener = Emitter.prototype.removeAllListeners = Emitter.prototype.removeEventListener = function (event, fn) {
  return this.off(event, fn);
};

// ---- payloads: JSON text plus binary attachments ---------------------------------------------

const hasBlob = typeof Blob === "function";

function isBinary(v) {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v) || (hasBlob && v instanceof Blob);
}

/** What a value holds: 0 nothing binary, BINARY some bytes (ArrayBuffer, views), BLOB also a
 *  Blob or File (read asynchronously before the emit). One walk, no allocation; it stops at the
 *  first Blob, and at the first binary when `blobs` is false. Nesting deeper than 512 counts as
 *  plain data (JSON.stringify then reports the cycle or the depth). */
const BINARY = 1;
const BLOB = 2;
function binaryIn(v, blobs, depth) {
  if (v === null || typeof v !== "object" || depth > 512) return 0;
  if (hasBlob && v instanceof Blob) return BLOB;
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return BINARY;
  if (typeof v.toJSON === "function" && !Array.isArray(v)) return binaryIn(v.toJSON(), blobs, depth + 1);
  let found = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      found |= binaryIn(v[i], blobs, depth + 1);
      if (found & BLOB || (found && !blobs)) return found;
    }
  } else {
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      found |= binaryIn(v[k], blobs, depth + 1);
      if (found & BLOB || (found && !blobs)) return found;
    }
  }
  return found;
}

/** Whether a value holds binary data. */
function hasBinary(v) {
  return binaryIn(v, false, 0) !== 0;
}

/** The Blobs (and Files) of a value, in order, for reading before it is sent. */
function blobsIn(v, out = [], depth = 0) {
  if (v === null || typeof v !== "object" || depth > 512) return out;
  if (hasBlob && v instanceof Blob) out.push(v);
  else if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return out;
  else if (typeof v.toJSON === "function" && !Array.isArray(v)) blobsIn(v.toJSON(), out, depth + 1);
  else if (Array.isArray(v)) for (const x of v) blobsIn(x, out, depth + 1);
  else for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) blobsIn(v[k], out, depth + 1);
  return out;
}

function deconstruct(v, buffers, blobs) {
  if (v === null || typeof v !== "object") return v;
  if (isBinary(v)) {
    const bytes =
      v instanceof ArrayBuffer
        ? new Uint8Array(v)
        : ArrayBuffer.isView(v)
          ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
          : new Uint8Array(blobs.get(v));
    buffers.push(bytes);
    return { _placeholder: true, num: buffers.length - 1 };
  }
  if (Array.isArray(v)) return v.map((x) => deconstruct(x, buffers, blobs));
  if (typeof v.toJSON === "function") return deconstruct(v.toJSON(), buffers, blobs);
  const out = {};
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    const value = deconstruct(v[k], buffers, blobs);
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Turns an argument list into [json, attachments | undefined]; `blobs` maps each Blob to
 *  its bytes, read beforehand; `binary`: whether the list holds binary, when already known. */
function encode(args, blobs, binary = hasBinary(args)) {
  if (!binary) return [JSON.stringify(args), undefined];
  const buffers = [];
  return [JSON.stringify(deconstruct(args, buffers, blobs)), buffers];
}

/** Parses JSON text, putting the binary attachments back in place of their placeholders. */
function decode(json, buffers) {
  const value = JSON.parse(json);
  return buffers ? restore(value, buffers) : value;
}

/** `value` with each placeholder object replaced by its attachment, in place. A walk after
 *  `JSON.parse` costs a quarter of a reviver (which calls back for every value); the core has
 *  checked the placeholders and capped the nesting at 128, so the recursion is bounded. */
function restore(value, buffers) {
  if (!value || typeof value !== "object") return value;
  if (value._placeholder === true && typeof value.num === "number") return buffers[value.num];
  for (const k in value) {
    const v = value[k];
    if (v && typeof v === "object") {
      const r = restore(v, buffers);
      if (r !== v) value[k] = r;
    }
  }
  return value;
}

function report(error) {
  setTimeout(() => {
    throw error;
  });
}

/** An `Error` with what the core says of it: its `type` (a transport error's) and the
 *  description (an HTTP status or close code). */
function failure(message, description, type) {
  const err = new Error(message);
  if (type !== undefined) {
    err.type = type;
    err.description = description;
  }
  return err;
}

/** A close's description as socket.io-client gives it (`{ description }`), when there is one. */
function details(description) {
  return description === undefined ? undefined : { description };
}

// ---- options --------------------------------------------------------------------------------

const isNumber = (v) => typeof v === "number" && v >= 0;
const isString = (v) => typeof v === "string";

/** The JSON text of a query value (as the empty string when it has none or throws). */
function queryValue(v) {
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return "";
  }
}

/** The kinds of option value, by digit: each one's check, the end of the TypeError message
 *  for a value that fails it, and what the core is given of a value that passes. */
const KINDS = [
  [(v) => typeof v === "boolean", "a boolean"],
  [isNumber, "a non-negative number"],
  [isNumber, "a number from 0 to 1"],
  [(v) => v === false || isNumber(v), "a non-negative number or false"],
  [isString, "a string"],
  [Array.isArray, "an array"],
  [(v) => isString(v) || Array.isArray(v), "a string or an array", (v) => (isString(v) ? [v] : v)],
  // `query`: an object's entries encoded as `a=1&b=2`, a string without its leading `?`.
  [
    (v) => isString(v) || typeof v === "object",
    "an object or a string",
    (v) =>
      isString(v)
        ? v.replace(/^\?+/, "")
        : Object.entries(v)
            .map(([k, x]) => encodeURIComponent(k) + "=" + encodeURIComponent(isString(x) ? x : queryValue(x)))
            .join("&"),
  ],
  [() => true],
];

/** The options the core reads (its `optionTables()`: each name with the digit of its kind in
 *  `KINDS`), for `new Manager(uri, opts)` and for `manager.socket(nsp, opts)`. */
const [MANAGER_OPTIONS, SOCKET_OPTIONS] = optionTables().split("|");

/** The values of the options `names` (see `MANAGER_OPTIONS`) in `opts`, for the core: each
 *  checked for its kind, `undefined` for one not given (or null). */
function optionValues(opts, names) {
  return names.split(" ").map((name) => {
    const key = name.slice(0, -1);
    const [valid, kind, given = (v) => v] = KINDS[name.slice(-1)];
    const v = opts?.[key];
    if (v == null) return;
    if (!valid(v)) throw new TypeError(`option '${key}' must be ${kind}`);
    return given(v);
  });
}

// ---- Socket ----------------------------------------------------------------------------------

/** One namespace over a Manager's connection (socket.io-client's Socket). */
export class Socket extends Emitter {
  constructor(io, nsp, opts = {}) {
    super();
    this.io = io;
    this.nsp = nsp;
    this.auth = opts.auth;
    this.flags = NO_FLAGS;
    this.receiveBuffer = [];
    // Ack callbacks by handle: a plain object, as socket.io-client keeps them (integer keys
    // in the elements store take less heap per pending ack than a Map's entries).
    this._acks = {};
    this._anyListeners = [];
    this._anyOutgoingListeners = [];
    // `auth` is read at every CONNECT (an object, or a function answering through a callback).
    this._nsp = io._raw.socket(nsp, optionValues(opts, SOCKET_OPTIONS));
    if (this._nsp < 0) throw io._raw.takeError();
    io._sockets[this._nsp] = this;
    // Like socket.io-client, the socket hears of the connection's close as a listener of the
    // Manager's `close` (added at connect, removed at disconnect): its `disconnect` comes in
    // the order the listeners were added. The core names the sockets a close disconnects.
    this._onManagerClose = (reason, description) => {
      if (io._closing?.includes(this._nsp)) this.emitReserved("disconnect", reason, description);
    };
    if (io._autoConnect) this.open();
  }

  /** The namespace session id, set while connected. */
  get id() {
    return this.io._raw.id(this._nsp);
  }
  get connected() {
    return (this.io._raw.state(this._nsp) & S.Connected) !== 0;
  }
  get disconnected() {
    return !this.connected;
  }
  /** Whether the socket will connect or reconnect. */
  get active() {
    return (this.io._raw.state(this._nsp) & S.Active) !== 0;
  }
  /** Whether the last connection recovered the previous session's state. */
  get recovered() {
    return (this.io._raw.state(this._nsp) & S.Recovered) !== 0;
  }

  connect() {
    if (this.connected) return this;
    if (!this.io.listeners("close").includes(this._onManagerClose)) this.io.on("close", this._onManagerClose);
    thrown(this.io._raw.control(C.Connect, this._nsp, false));
    return this;
  }
  open() {
    return this.connect();
  }
  disconnect() {
    this.io.off("close", this._onManagerClose);
    thrown(this.io._raw.control(C.Disconnect, this._nsp, false));
    return this;
  }
  close() {
    return this.disconnect();
  }

  send(...args) {
    return this.emit("message", ...args);
  }

  emit(event, ...args) {
    if (typeof event !== "string" && typeof event !== "number") throw new TypeError("the event name must be a string");
    const flags = this.flags;
    if (flags !== NO_FLAGS) this.flags = NO_FLAGS;
    let ack;
    if (typeof args[args.length - 1] === "function") ack = args.pop();
    args.unshift(event);
    const found = binaryIn(args, true, 0);
    if (!(found & BLOB) && !this._reading) {
      this._send(args, flags, ack, undefined, found !== 0);
      return this;
    }
    // Blobs are read asynchronously; later emits wait behind them so that order is kept. The
    // core's checks of the emit still throw now.
    checkName(this.io._core, String(event));
    const blobs = blobsIn(args);
    const read = (this._reading || Promise.resolve()).then(async () => {
      const bytes = await Promise.all(blobs.map((b) => b.arrayBuffer()));
      this._send(args, flags, ack, new Map(blobs.map((b, i) => [b, bytes[i]])));
    });
    const chain = read.catch(report).then(() => {
      if (this._reading === chain) this._reading = undefined;
    });
    this._reading = chain;
    return this;
  }

  _send(data, flags, ack, blobs, binary) {
    // As `encode`, without its pair: nothing allocated per emit but the JSON.
    let buffers;
    const json = JSON.stringify((binary ?? hasBinary(data)) ? deconstruct(data, (buffers = []), blobs) : data);
    // The core decides the ack's mode (error-first with a timeout, the socket's default
    // timeout or its retry queue): `mode` tells it what was given.
    const mode = (ack === undefined ? 0 : ack.withError === true ? F.AckErrorFirst : F.Ack) | (flags.volatile ? F.Volatile : 0);
    // The JSON stays a JavaScript string: the core writes the header and carries it unread.
    const name = typeof data[0] === "string" ? data[0] : String(data[0]);
    const io = this.io;
    // Checked now, so that a refusal throws here (the core takes the emit later).
    io._queue(this, checkName(io._core, name), json, buffers, mode, flags.timeout ?? -1, ack);
    // Outgoing and engine listeners hear of the packet within the emit, as in socket.io-client
    // (the outgoing ones with the very arguments given).
    if (this._anyOutgoingListeners.length || io.engine._watched) {
      this._emitting = data;
      io._flushEmits();
      this._emitting = undefined;
    }
  }

  /** The packets waiting to be sent, as socket.io-client shows them; assigning a subset of
   *  them (e.g. `[]`) keeps only those. */
  get sendBuffer() {
    const flat = this.io._raw.sendBuffer(this._nsp);
    const packets = [];
    for (let i = 0; i < flat.length; i += 3) {
      packets.push({ type: 2, nsp: this.nsp, data: JSON.parse(flat[i + 1]), options: { ack: flat[i + 2] }, [SEQ]: flat[i] });
    }
    return packets;
  }
  /** The emits kept in the persistent outbox (`persistOutbox`) that still wait, oldest first:
   *  `{ id, data: [event, ...args], retry, ack }`. */
  get outbox() {
    const flat = this.io._raw.outbox(this._nsp);
    const out = [];
    for (let i = 0; i < flat.length; i += 5) {
      out.push({ id: flat[i], data: decode(flat[i + 1], flat[i + 2]), retry: flat[i + 3], ack: flat[i + 4] });
    }
    return out;
  }
  set sendBuffer(packets) {
    if (!Array.isArray(packets)) throw new TypeError("sendBuffer must be an array of its own packets");
    this.io._raw.retainSendBuffer(this._nsp, packets.map((p) => p?.[SEQ]).filter((n) => n !== undefined));
  }

  emitWithAck(event, ...args) {
    return new Promise((resolve, reject) => {
      const fn = (err, value) => (err ? reject(err) : resolve(value));
      fn.withError = true;
      args.push(fn);
      this.emit(event, ...args);
    });
  }

  timeout(ms) {
    if (typeof ms !== "number" || !(ms >= 0)) throw new TypeError("timeout(ms): ms must be a non-negative number");
    this.flags = { ...this.flags, timeout: ms };
    return this;
  }
  get volatile() {
    this.flags = { ...this.flags, volatile: true };
    return this;
  }
  compress(compress) {
    this.flags = { ...this.flags, compress };
    return this;
  }

  onAny(fn) {
    this._anyListeners.push(fn);
    return this;
  }
  prependAny(fn) {
    this._anyListeners.unshift(fn);
    return this;
  }
  offAny(fn) {
    this._anyListeners = fn ? this._anyListeners.filter((l) => l !== fn) : [];
    return this;
  }
  listenersAny() {
    return this._anyListeners.slice();
  }
  onAnyOutgoing(fn) {
    this._anyOutgoingListeners.push(fn);
    return this._outgoingChanged();
  }
  prependAnyOutgoing(fn) {
    this._anyOutgoingListeners.unshift(fn);
    return this._outgoingChanged();
  }
  offAnyOutgoing(fn) {
    this._anyOutgoingListeners = fn ? this._anyOutgoingListeners.filter((l) => l !== fn) : [];
    return this._outgoingChanged();
  }
  _outgoingChanged() {
    this.io._raw.control(C.NotifyOutgoing, this._nsp, this._anyOutgoingListeners.length > 0);
    return this;
  }
  listenersAnyOutgoing() {
    return this._anyOutgoingListeners.slice();
  }

  _provideAuth() {
    const send = (data) => this.io._raw.provideAuth(this._nsp, data == null ? undefined : JSON.stringify(data));
    if (typeof this.auth === "function") this.auth(send);
    else send(this.auth);
  }

  _ackFunction(id) {
    let sent = false;
    return (...args) => {
      if (sent) return;
      sent = true;
      const [json, buffers] = encode(args);
      thrown(this.io._raw.ack(this._nsp, id, json, buffers));
    };
  }

  _dispatch(kind, a, b, c, n) {
    switch (kind) {
      case K.Connect:
        this.emitReserved("connect");
        break;
      case K.ConnectError:
        this.emitReserved("connect_error", failure(a, b, c));
        break;
      case K.ConnectRefused: {
        const err = new Error(a);
        if (b !== undefined) err.data = JSON.parse(b);
        this.emitReserved("connect_error", err);
        break;
      }
      case K.Disconnect:
        this.emitReserved("disconnect", a, details(b));
        break;
      case K.Message: {
        // The core leaves an event's JSON to this JSON.parse (it checks the header and the
        // name only): JSON that does not parse closes the connection with "parse error", as
        // the official client's decoder does, and nothing more from that connection arrives.
        if (this.io._malformed) break;
        let args;
        try {
          args = decode(a, b);
        } catch {
          this.io._malformed = true;
          this.io._raw.control(C.Malformed, 0, false);
          break;
        }
        if (n >= 0) args.push(this._ackFunction(n));
        if (this._anyListeners.length) for (const fn of this._anyListeners.slice()) fn.apply(this, args);
        this.emitReserved(...args);
        break;
      }
      case K.Ack:
      case K.AckWithError: {
        const ack = this._acks[n];
        if (!ack) break;
        delete this._acks[n];
        const args = decode(a, b);
        if (kind === K.AckWithError) args.unshift(null);
        ack.apply(this, args);
        break;
      }
      case K.AckError: {
        const ack = this._acks[n];
        delete this._acks[n];
        if (ack) ack.call(this, new Error(a));
        break;
      }
      case K.AckDiscarded:
        delete this._acks[n];
        break;
      case K.Outgoing: {
        // A packet written by the emit under way: its listeners get the very arguments given.
        const data = this._emitting || decode(a, b);
        this._emitting = undefined;
        for (const fn of this._anyOutgoingListeners.slice()) fn.apply(this, data);
        break;
      }
      case K.AuthRequest:
        this._provideAuth();
        break;
      // The persistent outbox (persistOutbox): reported on the Manager, where no server event
      // can have the same name.
      case K.OutboxAck:
        this.io.emitReserved("outbox_ack", this.nsp, n, null, ...decode(a, b));
        break;
      case K.OutboxAckError:
        this.io.emitReserved("outbox_ack", this.nsp, n, new Error(a));
        break;
      case K.OutboxError: {
        const err = new Error(a);
        err.nsp = this.nsp;
        this.io.emitReserved("outbox_error", err);
        break;
      }
    }
  }
}

// ---- Manager ---------------------------------------------------------------------------------

/** `manager.engine`: the connection's transport and its events; a new one for every
 *  connection attempt, as in socket.io-client. Its `packet`, `packetCreate`, `drain` and
 *  `close` events cost nothing until someone listens to them. */
class Engine extends Emitter {
  constructor(manager) {
    super();
    this._manager = manager;
  }
  on(event, fn) {
    super.on(event, fn);
    return this._watch();
  }
  off(event, fn) {
    super.off(event, fn);
    return this._watch();
  }
  _watch() {
    const on = ENGINE_EVENTS.some((ev) => this.hasListeners(ev));
    if (on !== !!this._watched && this._manager.engine === this) {
      this._watched = on;
      this._manager._raw.control(C.NotifyEngine, 0, on);
    }
    return this;
  }
  get transport() {
    const name = this._manager._raw.transport();
    return name === undefined ? undefined : { name };
  }
  close() {
    this._manager._raw.control(C.CloseEngine, 0, false);
    return this;
  }
}

function checkArguments(fn, uri, opts) {
  if (uri !== undefined && uri !== null && typeof uri !== "string") {
    throw new TypeError(`${fn}(uri, opts): uri must be a string, got ${typeof uri}`);
  }
  if (opts !== undefined && opts !== null && typeof opts !== "object") {
    throw new TypeError(`${fn}(uri, opts): opts must be an object, got ${typeof opts}`);
  }
}

/** One connection shared by the sockets of its namespaces (socket.io-client's Manager). */
export class Manager extends Emitter {
  constructor(uri, opts) {
    super();
    if (uri && typeof uri === "object") {
      opts = uri;
      uri = undefined;
    }
    checkArguments("Manager", uri, opts);
    this.opts = opts = Object.assign({}, opts);
    this.nsps = {};
    this._sockets = [];
    this.engine = new Engine(this);
    this._core = new RawManager(uri, optionValues(opts, MANAGER_OPTIONS), (kind, nsp, a, b, c, offset, n) => this._dispatch(kind, nsp, a, b, c, offset, n));
    // Emits wait here, seven slots each, until the end of the task (a microtask) or the next
    // other call into the core, whichever comes first: a burst's loop pays only for its
    // JSON, as socket.io-client's pays for its encoding, and the core takes them in order.
    this._queued = [];
    this._malformed = false;
    this._next = 0;
    this._flush = () => this._flushEmits();
    // An option: read once (the namespace given does not matter for this bit).
    this._autoConnect = (this._core.state(0) & S.AutoConnect) !== 0;
    if (this._autoConnect) this.open();
  }

  /** The core, after it has taken the emits waiting: every call but an emit goes through it,
   *  so that the core sees calls in the order they were made. */
  get _raw() {
    if (this._queued.length) this._flushEmits();
    return this._core;
  }

  _queue(socket, name, json, buffers, mode, timeout, ack) {
    if (this._queued.push(socket, name, json, buffers, mode, timeout, ack) === 7) queueMicrotask(this._flush);
  }

  /** Hands the waiting emits to the core, oldest first. Re-entrant: a listener the core calls
   *  back (an `Outgoing` event) may emit or call the core again; `_next` is shared. Only an
   *  emit made while its socket has outgoing listeners is reported back, and that one is
   *  handed over within the emit (`_send`). */
  _flushEmits() {
    const q = this._queued;
    const core = this._core;
    while (this._next < q.length) {
      const i = this._next;
      this._next += 7;
      const socket = q[i];
      const last = this._next === q.length ? F.Last : 0;
      const handle = core.emit(socket._nsp, q[i + 1], q[i + 2], q[i + 3], q[i + 4] | last, q[i + 5]);
      if (handle >= 0) socket._acks[handle] = q[i + 6];
      else if (handle === -2) report(core.takeError()); // checked at the emit: never expected
    }
    q.length = 0;
    this._next = 0;
  }

  open(fn) {
    if (typeof fn === "function") {
      const done = (err) => {
        this.off("open", onOpen);
        this.off("error", onError);
        fn(err);
      };
      const onOpen = () => done();
      const onError = (err) => done(err);
      this.once("open", onOpen);
      this.once("error", onError);
    }
    this._raw.control(C.Open, 0, false);
    return this;
  }
  connect(fn) {
    return this.open(fn);
  }

  socket(nsp, opts) {
    let socket = this.nsps[nsp];
    if (!socket) {
      socket = new Socket(this, nsp, opts);
      this.nsps[nsp] = socket;
    } else if (this._autoConnect && !socket.active) {
      socket.connect();
    }
    return socket;
  }

  /** socketio-wasm: milliseconds until the next reconnection attempt while one waits out its
   *  delay (undefined when none is scheduled, one is under way, or it is held). */
  get nextAttemptIn() {
    return this._raw.nextAttemptIn();
  }

  /** A getter without `value`, a setter (returning the Manager) with it; the core keeps it. */
  _setting(key, args, value) {
    if (!args.length) return this._raw.setting(key);
    thrown(this._raw.set(key, value));
    return this;
  }
  reconnection(v) {
    return this._setting(ManagerSetting.Reconnection, arguments, v);
  }
  reconnectionAttempts(v) {
    return this._setting(ManagerSetting.ReconnectionAttempts, arguments, v);
  }
  reconnectionDelay(v) {
    return this._setting(ManagerSetting.ReconnectionDelay, arguments, v);
  }
  reconnectionDelayMax(v) {
    return this._setting(ManagerSetting.ReconnectionDelayMax, arguments, v);
  }
  randomizationFactor(v) {
    return this._setting(ManagerSetting.RandomizationFactor, arguments, v);
  }
  timeout(v) {
    return this._setting(ManagerSetting.Timeout, arguments, v);
  }

  _dispatch(kind, nsp, a, b, c, offset, n) {
    try {
      // An event whose JSON is the tail of the frame `a`, from `offset`: no copy came back.
      if (kind & K.InFrame) {
        kind ^= K.InFrame;
        a = a.substring(offset);
      }
      if (kind >= K.Connect) {
        this._sockets[nsp]?._dispatch(kind, a, b, c, n);
        return;
      }
      switch (kind) {
        case K.Open:
          return this.emitReserved("open");
        case K.Error:
          return this.emitReserved("error", failure(a, b, c));
        case K.Ping:
          return this.emitReserved("ping");
        case K.Close: {
          const closing = this._closing;
          this._closing = c;
          try {
            this.emitReserved("close", a, details(b));
          } finally {
            this._closing = closing;
          }
          return;
        }
        case K.ReconnectAttempt:
          return this.emitReserved("reconnect_attempt", a);
        case K.Reconnect:
          return this.emitReserved("reconnect", a);
        case K.ReconnectError:
          return this.emitReserved("reconnect_error", failure(a, b, c));
        case K.ReconnectFailed:
          return this.emitReserved("reconnect_failed");
        case K.Upgrade:
          return this.engine.emitReserved("upgrade", { name: a });
        case K.UpgradeError: {
          const err = new Error(a);
          err.transport = "websocket";
          return this.engine.emitReserved("upgradeError", err);
        }
        case K.Opening:
          this._malformed = false;
          if (this.engine._watched) this._raw.control(C.NotifyEngine, 0, false);
          this.engine = new Engine(this);
          return;
        case K.EnginePacket:
          return this.engine.emitReserved("packet", { type: a, data: b });
        case K.EnginePacketCreate:
          return this.engine.emitReserved("packetCreate", { type: a, data: b });
        case K.Drain:
          return this.engine.emitReserved("drain");
        case K.EngineClose:
          return this.engine.emitReserved("close", a, details(b));
      }
    } catch (error) {
      report(error);
    }
  }
}

// ---- io() ------------------------------------------------------------------------------------

const cache = {};

/** Looks up (or makes) the Manager for `uri` and returns the socket of its namespace. */
export function io(uri, opts) {
  if (uri && typeof uri === "object") {
    opts = uri;
    uri = undefined;
  }
  checkArguments("io", uri, opts);
  opts = opts || {};
  const resolved = resolveUrl(uri, opts.path);
  if (!Array.isArray(resolved)) throw resolved;
  const [key, nsp] = resolved;
  const sameNamespace = cache[key] && nsp in cache[key].nsps;
  const newConnection = opts.forceNew || opts["force new connection"] || opts.multiplex === false || sameNamespace;
  let manager;
  if (newConnection) {
    manager = new Manager(uri, opts);
  } else {
    if (!cache[key]) cache[key] = new Manager(uri, opts);
    manager = cache[key];
  }
  return manager.socket(nsp, opts);
}

/**
 * What the WebAssembly core holds, in bytes: `wasmMemory` is the size of its memory (it grows
 * and never shrinks), `wasmHeap` the part of it in use now. Not in socket.io-client.
 */
export function memoryStats() {
  return { wasmMemory: wasmMemorySize(), wasmHeap: wasmHeapInUse() };
}

export { io as connect };
export default io;
