// The demo page: connects to the server that served it, shows the connection state, and sends
// an echo with an acknowledgement.
import { io } from "/pkg/index.js";

const $ = (id) => document.getElementById(id);
const socket = io();

function setState(state) {
  $("state").textContent = state;
  $("state").dataset.state = state;
  $("transport").textContent = socket.io.engine.transport?.name ?? "–";
  $("sid").textContent = socket.id ?? "–";
}

function log(text) {
  const item = document.createElement("li");
  item.textContent = text;
  $("log").prepend(item);
}

socket.on("connect", () => setState("connected"));
socket.on("disconnect", (reason) => {
  setState("disconnected");
  log(`disconnected: ${reason}`);
});
socket.io.on("reconnect_attempt", (n) => setState(`reconnecting (attempt ${n})`));
socket.io.engine.on("upgrade", () => setState("connected"));
socket.on("echo", (message) => log(`echo event: ${JSON.stringify(message)}`));

$("echo-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("echo-input").value;
  const started = performance.now();
  socket.timeout(5000).emit("echo", { text }, (err, reply) => {
    if (err) log(`no ack: ${err.message}`);
    else log(`ack in ${(performance.now() - started).toFixed(1)} ms: ${JSON.stringify(reply)}`);
  });
});
