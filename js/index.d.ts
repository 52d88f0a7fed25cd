// Type declarations of socketio-wasm: the socket.io-client 4.8 API, with typed events.

/** A map from event names to listener signatures. */
export interface EventsMap {
  [event: string]: any;
}

/** The events map when none is given: any event, any arguments. */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

/** The event names of a map. */
export type EventNames<Map extends EventsMap> = keyof Map & (string | symbol);

/** The parameters of the listener of `Ev`. */
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

type Last<T extends any[]> = T extends [...infer _, infer L] ? L : never;
type AllButLast<T extends any[]> = T extends [...infer H, any] ? H : any[];
type FirstArg<T> = T extends (arg: infer A, ...rest: any[]) => any ? A : any;

/** An ack callback made error-first (what `timeout(ms)` and `retries` give). */
type WithError<T> = T extends (...args: infer A) => infer R ? (err: Error, ...args: A) => R : T;

/** Every event's trailing ack callback made error-first. */
export type DecorateAcknowledgements<Map extends EventsMap> = {
  [Ev in keyof Map]: Map[Ev] extends (...args: infer P) => infer R
    ? P extends [...infer Head, infer Ack]
      ? Ack extends (...args: any[]) => any
        ? (...args: [...Head, WithError<Ack>]) => R
        : Map[Ev]
      : Map[Ev]
    : Map[Ev];
};

/** Why a socket disconnected. */
export type DisconnectReason =
  | "io server disconnect"
  | "io client disconnect"
  | "ping timeout"
  | "transport close"
  | "transport error"
  | "parse error"
  | "forced close";

/** Extra information about a disconnection (the HTTP status or WebSocket close code). */
export interface DisconnectDescription {
  description: number | string;
}

/** The error given to `connect_error` listeners. */
export interface ExtendedError extends Error {
  /** The `data` a server middleware attached to its refusal. */
  data?: any;
  /** `"TransportError"` when the connection itself failed. */
  type?: string;
  /** The HTTP status or WebSocket close code of a transport error. */
  description?: number | string;
}

/** The events a Socket emits on its own. */
export interface SocketReservedEvents {
  connect: () => void;
  connect_error: (err: ExtendedError) => void;
  disconnect: (reason: DisconnectReason, description?: DisconnectDescription) => void;
}

/** The events a Manager emits. */
export interface ManagerReservedEvents {
  open: () => void;
  error: (err: ExtendedError) => void;
  ping: () => void;
  packet: (packet: unknown) => void;
  close: (reason: DisconnectReason, description?: DisconnectDescription) => void;
  reconnect_failed: () => void;
  reconnect_attempt: (attempt: number) => void;
  reconnect_error: (err: ExtendedError) => void;
  reconnect: (attempt: number) => void;
  /** socketio-wasm (`persistOutbox`): a restored emit `id` of namespace `nsp` was answered
   *  (`err` null) or will not be (`err` the ack error). */
  outbox_ack: (nsp: string, id: number, err: Error | null, ...args: any[]) => void;
  /** socketio-wasm (`persistOutbox`): the outbox's storage failed; emits stay in memory. */
  outbox_error: (err: Error & { nsp: string }) => void;
}

/** A minimal typed event emitter (component-emitter's API). */
export declare class Emitter<ListenEvents extends EventsMap, ReservedEvents extends EventsMap = {}> {
  on<Ev extends EventNames<ListenEvents & ReservedEvents>>(ev: Ev, listener: (ListenEvents & ReservedEvents)[Ev]): this;
  once<Ev extends EventNames<ListenEvents & ReservedEvents>>(ev: Ev, listener: (ListenEvents & ReservedEvents)[Ev]): this;
  off<Ev extends EventNames<ListenEvents & ReservedEvents>>(ev?: Ev, listener?: (ListenEvents & ReservedEvents)[Ev]): this;
  listeners<Ev extends EventNames<ListenEvents & ReservedEvents>>(ev: Ev): (ListenEvents & ReservedEvents)[Ev][];
  hasListeners(ev: string): boolean;
  removeAllListeners(ev?: string): this;
}

/** Options of a Manager (the connection), with socket.io-client's defaults. */
export interface ManagerOptions {
  /** A new connection even if one to the same server exists (default false). */
  forceNew?: boolean;
  /** Share connections between namespaces of the same server (default true). */
  multiplex?: boolean;
  /** The server's Engine.IO path (default "/socket.io"). */
  path?: string;
  /** Reconnect automatically (default true). */
  reconnection?: boolean;
  /** Attempts before giving up (default Infinity). */
  reconnectionAttempts?: number;
  /** The first reconnection delay in ms (default 1000). */
  reconnectionDelay?: number;
  /** The largest reconnection delay in ms (default 5000). */
  reconnectionDelayMax?: number;
  /** Jitter, 0 to 1 (default 0.5). */
  randomizationFactor?: number;
  /** Connection timeout in ms, or false for none (default 20000). */
  timeout?: number | false;
  /** Connect when made (default true). */
  autoConnect?: boolean;
  /** Transports in order of preference (default ["polling", "websocket"]). */
  transports?: ("polling" | "websocket" | "webtransport")[];
  /** Try to upgrade to WebSocket after opening with polling (default true). */
  upgrade?: boolean;
  /** Open with WebSocket when an earlier connection of the page upgraded (default false). */
  rememberUpgrade?: boolean;
  /**
   * The largest packet accepted from the server, in bytes; a larger one closes the connection
   * with "parse error" (then it reconnects). Default: the server's `maxPayload` from the
   * handshake (its `maxHttpBufferSize`); 0 means no limit. Not in socket.io-client.
   */
  maxReceivePayload?: number;
  /** On an error while opening, try the next transport (default false). */
  tryAllTransports?: boolean;
  /** Query parameters sent with every request. */
  query?: string | Record<string, string | number | boolean>;
  /** HTTP headers for polling requests (browsers cannot set WebSocket headers). */
  extraHeaders?: Record<string, string>;
  /** Send cookies cross-origin (default false). */
  withCredentials?: boolean;
  /** Close silently when the page unloads (default false). */
  closeOnBeforeunload?: boolean;
  /** The cache-buster parameter's name (default "t"). */
  timestampParam?: string;
  /** Add the cache-buster to every request (default: polling only). */
  timestampRequests?: boolean;
  /** Polling request timeout in ms (default none). */
  requestTimeout?: number;
  /** Keep the `setTimeout` the page had when the package loaded, even if it is replaced later
   *  (e.g. by fake timers). Default false: the one in force when the Manager is made. */
  useNativeTimers?: boolean;
  /** WebSocket subprotocols. */
  protocols?: string | string[];
  /** Keep the trailing slash of the path (default true). */
  addTrailingSlash?: boolean;
  /** socketio-wasm: retry at once when the browser comes back online (default true). */
  reconnectOnOnline?: boolean;
  /** socketio-wasm: hold reconnection attempts while the browser is offline (default true). */
  pauseReconnectWhileOffline?: boolean;
  /** socketio-wasm: retry at once when the page becomes visible again or resumes after a
   *  freeze (default true). */
  reconnectOnVisible?: boolean;
  /** socketio-wasm: hold reconnection attempts while the page is hidden (default false). */
  pauseReconnectWhileHidden?: boolean;
  /** socketio-wasm: close cleanly when the page enters the back/forward cache and reconnect
   *  at once when it is restored (default true). */
  closeOnPageHide?: boolean;
  /** socketio-wasm: a heartbeat timer that fired late (frozen or throttled page) waits 1 s for
   *  the pings queued behind it before "ping timeout" (default true). */
  confirmPingTimeout?: boolean;
  /** socketio-wasm: keep each namespace's recoverable session in `sessionStorage` when the
   *  page unloads and recover it after a reload (needs connection state recovery on the
   *  server; default false). */
  recoverAfterReload?: boolean;
  /** socketio-wasm: keep the emits that wait (buffered while disconnected, or waiting for
   *  their `retries` ack) in IndexedDB, and send them after a reload, once and in order
   *  (default false). Restored emits report their acks as the Manager's `outbox_ack`. */
  persistOutbox?: boolean;
}

/** Options of a Socket (one namespace). */
export interface SocketOptions {
  /** Sent with every CONNECT; a function is called again before each one. */
  auth?: { [key: string]: any } | ((cb: (data: object) => void) => void);
  /** The default ack timeout in ms. */
  ackTimeout?: number;
  /** Retry every emit until acknowledged, up to this many times (at-least-once, in order). */
  retries?: number;
}

/** An Engine.IO packet as `packet` and `packetCreate` listeners get it. */
export interface EnginePacket {
  type: "open" | "close" | "ping" | "pong" | "message" | "upgrade" | "noop";
  data?: string | ArrayBuffer;
}

/** `manager.engine`: the current connection attempt's transport and events (a new object for
 *  every attempt, as in socket.io-client). */
export interface Engine {
  readonly transport: { readonly name: "polling" | "websocket" } | undefined;
  on(ev: "upgrade", listener: (transport: { name: string }) => void): this;
  on(ev: "upgradeError", listener: (err: Error) => void): this;
  on(ev: "packet" | "packetCreate", listener: (packet: EnginePacket) => void): this;
  on(ev: "drain", listener: () => void): this;
  on(ev: "close", listener: (reason: string, description?: { description: unknown }) => void): this;
  off(ev?: string, listener?: (...args: any[]) => void): this;
  close(): this;
}

/** One connection shared by the sockets of its namespaces. */
export declare class Manager<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends Emitter<{}, ManagerReservedEvents> {
  constructor(uri?: string | Partial<ManagerOptions & SocketOptions>, opts?: Partial<ManagerOptions & SocketOptions>);
  readonly engine: Engine;
  readonly opts: Partial<ManagerOptions & SocketOptions>;
  /** socketio-wasm: milliseconds until the next reconnection attempt while one waits out its
   *  delay (undefined when none is scheduled, one is under way, or it is held). */
  readonly nextAttemptIn: number | undefined;
  readonly nsps: Record<string, Socket>;
  open(fn?: (err?: Error) => void): this;
  connect(fn?: (err?: Error) => void): this;
  socket(nsp: string, opts?: Partial<SocketOptions>): Socket<ListenEvents, EmitEvents>;
  reconnection(): boolean;
  reconnection(v: boolean): this;
  reconnectionAttempts(): number;
  reconnectionAttempts(v: number): this;
  reconnectionDelay(): number;
  reconnectionDelay(v: number): this;
  reconnectionDelayMax(): number;
  reconnectionDelayMax(v: number): this;
  randomizationFactor(): number;
  randomizationFactor(v: number): this;
  timeout(): number | false;
  timeout(v: number | false): this;
}

/** One namespace over a Manager's connection. */
export declare class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends Emitter<ListenEvents, SocketReservedEvents> {
  readonly io: Manager<ListenEvents, EmitEvents>;
  readonly nsp: string;
  /** The session id of this namespace, while connected. */
  readonly id: string | undefined;
  readonly connected: boolean;
  readonly disconnected: boolean;
  /** Whether the socket will connect or reconnect. */
  readonly active: boolean;
  /** Whether the last connection restored the previous session (connection state recovery). */
  readonly recovered: boolean;
  /** socketio-wasm (`persistOutbox`): the kept emits that still wait, oldest first. */
  readonly outbox: { id: number; data: unknown[]; retry: boolean; ack: boolean }[];
  auth: SocketOptions["auth"];
  connect(): this;
  open(): this;
  disconnect(): this;
  close(): this;
  send(...args: any[]): this;
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): this;
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstArg<Last<EventParams<EmitEvents, Ev>>>>;
  /** The next emit's ack gets an error after `ms` (its callback becomes error-first). */
  timeout(ms: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>>;
  /** The next emit is dropped rather than buffered when it cannot be sent at once. */
  readonly volatile: this;
  compress(compress: boolean): this;
  onAny(listener: (event: string, ...args: any[]) => void): this;
  prependAny(listener: (event: string, ...args: any[]) => void): this;
  offAny(listener?: (event: string, ...args: any[]) => void): this;
  listenersAny(): ((event: string, ...args: any[]) => void)[];
  onAnyOutgoing(listener: (event: string, ...args: any[]) => void): this;
  prependAnyOutgoing(listener: (event: string, ...args: any[]) => void): this;
  offAnyOutgoing(listener?: (event: string, ...args: any[]) => void): this;
  listenersAnyOutgoing(): ((event: string, ...args: any[]) => void)[];
}

/** Looks up (or makes) the Manager of `uri` and returns the socket of its namespace. */
export declare function io<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  opts?: Partial<ManagerOptions & SocketOptions>,
): Socket<ListenEvents, EmitEvents>;
export declare function io<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
  uri?: string,
  opts?: Partial<ManagerOptions & SocketOptions>,
): Socket<ListenEvents, EmitEvents>;

export { io as connect };
export default io;

/** The Socket.IO protocol revision. */
export declare const protocol: number;

/**
 * What the WebAssembly core holds, in bytes: `wasmMemory` is the size of its memory (it grows and
 * never shrinks), `wasmHeap` the part in use now. Not in socket.io-client.
 */
export declare function memoryStats(): { wasmMemory: number; wasmHeap: number };
