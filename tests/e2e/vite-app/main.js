// A bundled app using the package by its name: connects to the server given as ?server=URL,
// emits `echo` with an ack and writes the ack's arguments into #result.
import { io } from "socketio-wasm";

const state = document.getElementById("state");
const result = document.getElementById("result");
const show = (name, text) => {
  state.dataset.state = name;
  state.textContent = name;
  result.textContent = text;
};

const server = new URLSearchParams(location.search).get("server");
const socket = io(server ?? undefined, { reconnection: false });
socket.on("connect_error", (err) => show("error", `connect_error: ${err.message}`));
socket.on("connect", () => {
  socket.timeout(5000).emit("echo", { from: "vite", n: 42 }, (err, reply) => {
    if (err) show("error", `no ack: ${err.message}`);
    else show("acked", JSON.stringify({ id: socket.id, transport: socket.io.engine.transport.name, reply }));
  });
});
