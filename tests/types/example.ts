// A typed use of the API, checked with `tsc --noEmit` in npm test. The `@ts-expect-error` lines
// prove the types reject what they should.
import { io, Manager, Socket } from "socketio-wasm";

interface ServerToClientEvents {
  message: (from: string, text: string) => void;
  tick: (n: number) => void;
}

interface ClientToServerEvents {
  message: (text: string) => void;
  echo: (value: { a: number }, ack: (reply: { a: number }) => void) => void;
}

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io("http://127.0.0.1:3000/chat", {
  auth: (cb) => cb({ token: "secret" }),
  ackTimeout: 1000,
  reconnectionDelayMax: 10_000,
  transports: ["websocket", "polling"],
});

socket.on("connect", () => console.log(socket.id, socket.connected, socket.io.engine.transport?.name));
socket.on("disconnect", (reason) => {
  const known: "io server disconnect" | "io client disconnect" | "ping timeout" | "transport close" | "transport error" | "parse error" | "forced close" = reason;
  console.log(known);
});
socket.on("connect_error", (err) => console.log(err.message, err.data));
socket.on("message", (from, text) => console.log(from.toUpperCase(), text.length));
socket.emit("message", "hello");
socket.emit("echo", { a: 1 }, (reply) => console.log(reply.a + 1));
socket.timeout(500).emit("echo", { a: 1 }, (err, reply) => console.log(err?.message, reply.a));
socket.volatile.emit("message", "maybe");

async function ask(): Promise<number> {
  const reply = await socket.emitWithAck("echo", { a: 2 });
  return reply.a;
}

const manager = new Manager("http://127.0.0.1:3000", { autoConnect: false });
manager.reconnectionAttempts(5).reconnectionDelay(200);
const admin = manager.socket("/admin");
admin.connect();
manager.on("reconnect_attempt", (n) => console.log(n + 1));

// @ts-expect-error: `tick` is not an event the client may emit
socket.emit("tick", 1);
// @ts-expect-error: `message` takes a string
socket.emit("message", 42);
// @ts-expect-error: listeners get the declared arguments
socket.on("tick", (n: string) => n);
// @ts-expect-error: unknown option value type
io({ reconnectionAttempts: "five" });

export { ask };
