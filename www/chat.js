// The demo chat (namespace /chat of the reference server, server/src/chat.rs): nickname, rooms,
// room messages with join/leave notices, private messages to one socket id, the connection state
// with reconnection, and toggles for volatile emits and for going offline (emits made while
// offline are buffered and flushed on reconnect; volatile ones are dropped).
import { io } from "/pkg/index.js";

const $ = (id) => document.getElementById(id);

/** What this page has chosen; sent in the handshake's auth so a reconnect restores it, and
 *  kept in the tab's sessionStorage so that a reload does too. */
const me = { nickname: null, room: null, ...JSON.parse(sessionStorage.getItem("chat-me") ?? "{}") };
const saveMe = () => sessionStorage.setItem("chat-me", JSON.stringify(me));
/** The private-message target, `{ id, nickname }`, or null for the room. */
let target = null;

const socket = io("/chat", {
  auth: (cb) => cb({ nickname: me.nickname, room: me.room }),
  // What waits (offline, or for its ack) survives a reload of the page.
  persistOutbox: true,
});

// ---- connection state ------------------------------------------------------------------------

function showState(state, label = state) {
  $("state").textContent = label;
  $("state").dataset.state = state;
  $("transport").textContent = (socket.connected && socket.io.engine?.transport?.name) || "–";
  $("sid").textContent = socket.id ?? "–";
}

// socket.io-client makes a new engine per connection; watch each one's upgrade.
let watchedEngine = null;
function watchEngine() {
  const engine = socket.io.engine;
  if (engine && engine !== watchedEngine) {
    watchedEngine = engine;
    engine.on("upgrade", () => socket.connected && showState("connected"));
  }
}
watchEngine();
socket.io.on("open", watchEngine);

let connectedBefore = false;
socket.on("connect", () => {
  showState("connected");
  if (connectedBefore) system(me.room ? `Connected again, back in #${me.room}.` : "Connected again.");
  connectedBefore = true;
  if (me.room) refreshUsers();
});
socket.on("disconnect", (reason) => {
  if (reason === "io client disconnect") {
    showState("offline", "offline (by you)");
  } else if (socket.active) {
    showState("reconnecting", `reconnecting… (${reason})`);
  } else {
    showState("disconnected", `disconnected: ${reason}`);
  }
  system(`Disconnected (${reason}).`);
  renderUsers([]);
});
let attempt = 0;
socket.io.on("reconnect_attempt", (n) => {
  attempt = n;
  showState("reconnecting", `reconnecting (attempt ${n})`);
});
socket.on("connect_error", (err) => {
  if (socket.active && attempt > 0) {
    showState("reconnecting", `reconnecting… (attempt ${attempt} failed: ${err.message})`);
  } else if (socket.active) {
    showState("reconnecting", `reconnecting… (${err.message})`);
  } else {
    showState("disconnected", `refused: ${err.message}`);
  }
});
socket.io.on("reconnect", () => (attempt = 0));
socket.io.on("reconnect_failed", () => showState("disconnected", "gave up reconnecting"));
socket.io.on("outbox_ack", (nsp, id, err) => err && system(`A message kept over the reload was not acknowledged: ${err.message}.`));
socket.io.on("outbox_error", (err) => system(`${err.message}.`));

// ---- the connection's life, as it happens -----------------------------------------------------

function renderLife() {
  $("life-state").textContent = $("state").dataset.state;
  $("life-transport").textContent = (socket.connected && socket.io.engine?.transport?.name) || "–";
  $("life-attempt").textContent = attempt ? String(attempt) : "–";
  const next = socket.io.nextAttemptIn;
  $("life-next").textContent = next === undefined ? "–" : `in ${(next / 1000).toFixed(1)} s`;
  $("life-buffered").textContent = String(socket.sendBuffer.length);
  $("life-outbox").textContent = String(socket.outbox.length);
  $("life-page").textContent = document.visibilityState + (navigator.onLine ? "" : ", offline");
}
// A display refresh (four times a second) for the countdown; the state itself comes from events.
setInterval(renderLife, 250);
for (const event of ["connect", "disconnect", "connect_error"]) socket.on(event, renderLife);
socket.io.on("reconnect_attempt", renderLife);
$("reload").addEventListener("click", () => location.reload());

// ---- the message list ------------------------------------------------------------------------

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

function add(kind, build) {
  const list = $("messages");
  const item = document.createElement("li");
  item.className = kind;
  item.dataset.kind = kind;
  build(item);
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(item);
  if (atBottom) list.scrollTop = list.scrollHeight;
  return item;
}

function span(className, text) {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = text;
  return el;
}

function system(text) {
  return add("system", (li) => (li.textContent = text));
}

function chatLine(kind, { from, id, text, at }, heading) {
  return add(kind, (li) => {
    li.dataset.fromId = id;
    if (id === socket.id) li.classList.add("mine");
    const time = document.createElement("time");
    time.dateTime = new Date(at).toISOString();
    time.textContent = timeFormat.format(at);
    li.append(span("from", heading ?? from), time, span("text", text));
  });
}

socket.on("message", (message) => chatLine("message", message));
socket.on("private", (message) => chatLine("private", message, `${message.from} (privately)`));
socket.on("notice", ({ kind, nickname, room, previous }) => {
  const what =
    kind === "join"
      ? `${nickname} joined #${room}`
      : kind === "leave"
        ? `${nickname} left #${room}`
        : `${previous} is now ${nickname}`;
  add("notice", (li) => {
    li.dataset.notice = kind;
    li.textContent = what;
  });
  if (room === me.room) refreshUsers();
});

// ---- nickname and room -----------------------------------------------------------------------

$("nickname-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const name = $("nickname-input").value;
  socket.emit("nickname", name, (reply) => {
    if (!reply?.ok) return system(`Nickname refused: ${reply?.error ?? "no answer"}.`);
    me.nickname = reply.nickname;
    saveMe();
    $("nickname-shown").textContent = `Others see you as ${reply.nickname}.`;
    if (me.room) refreshUsers();
  });
});

$("room-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const room = $("room-input").value;
  socket.emit("join", room, (reply) => {
    if (!reply?.ok) return system(`Cannot join: ${reply?.error ?? "no answer"}.`);
    me.room = reply.room;
    saveMe();
    showRoom(reply.room);
    system(`You joined #${reply.room}.`);
    renderUsers(reply.users);
  });
});

function showRoom(room) {
  $("room-name").textContent = `#${room}`;
  $("room-name").dataset.room = room;
  $("message-input").disabled = false;
  $("send").disabled = false;
  $("message-input").placeholder = `Message #${room}`;
  setTarget(null);
}

// ---- people in the room ----------------------------------------------------------------------

function refreshUsers() {
  if (!socket.connected || !me.room) return;
  const room = me.room;
  socket.timeout(5000).emit("users", room, (err, users) => {
    if (!err && room === me.room) renderUsers(users);
  });
}

function renderUsers(users) {
  const list = $("users");
  list.replaceChildren();
  if (!users.length) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = me.room ? "Nobody here while you are offline." : "Join a room to see who is in it.";
    list.append(li);
    return;
  }
  for (const user of users) {
    const li = document.createElement("li");
    li.dataset.id = user.id;
    li.append(span("name", user.nickname));
    if (user.id === socket.id) {
      li.append(span("you", "you"));
    } else {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "dm";
      button.textContent = "Private";
      button.setAttribute("aria-label", `Send a private message to ${user.nickname}`);
      button.addEventListener("click", () => setTarget(user));
      li.append(button);
    }
    list.append(li);
  }
}

function setTarget(user) {
  target = user;
  $("target").dataset.mode = user ? "private" : "room";
  $("target-label").textContent = user ? `Privately to ${user.nickname}` : "To the room";
  $("target-clear").hidden = !user;
  $("message-input").placeholder = user ? `Private message to ${user.nickname}` : `Message #${me.room ?? ""}`;
  if (user) $("message-input").focus();
}
$("target-clear").addEventListener("click", () => setTarget(null));

// ---- sending ---------------------------------------------------------------------------------

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("message-input").value.trim();
  if (!text) return;
  $("message-input").value = "";
  const volatile = $("volatile").checked;
  const online = socket.connected;
  const sender = volatile ? socket.volatile : socket;
  if (target) {
    const to = target;
    sender.emit("private", to.id, text, (reply) => {
      if (!reply?.ok) system(`Private message to ${to.nickname} not delivered: ${reply?.error ?? "no answer"}.`);
    });
    chatLine("private", { from: me.nickname ?? "you", id: socket.id, text, at: Date.now() }, `you → ${to.nickname}`);
  } else {
    sender.emit("message", text);
  }
  if (!online) {
    system(
      volatile
        ? `Dropped “${text}”: volatile messages are not buffered while offline.`
        : `Queued “${text}”: it will be sent when the connection is back.`,
    );
  }
});

$("offline").addEventListener("change", (event) => {
  if (event.target.checked) {
    socket.disconnect();
  } else {
    showState("connecting", "connecting…");
    socket.connect();
  }
});

// After a reload: the nickname and room this tab had (the server restores them from the auth).
if (me.nickname) $("nickname-shown").textContent = `Others see you as ${me.nickname}.`;
if (me.room) {
  showRoom(me.room);
  system(`Back in #${me.room} after the reload.`);
}
