//! The chat demo of socketio-wasm (the JS one is www/chat.html) written in Rust with Leptos
//! (client-side rendering) over the typed Rust API: nickname, rooms, the people in the room,
//! private messages, offline buffering (and volatile messages that are dropped instead), and
//! the connection state shown live. It talks to the `/chat` namespace of the reference server
//! (server/src/chat.rs), which serves this app at `/leptos-chat/`.

use std::time::Duration;

use futures_util::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use socketio_wasm::api::{io, ConnectionState, DisconnectReason, Socket};
use socketio_wasm::client::CloseReason;
use wasm_bindgen::prelude::wasm_bindgen;

/// A chat message, to the room (`message`) or to one socket (`private`).
#[derive(Debug, Clone, Deserialize)]
struct ChatMessage {
    from: String,
    id: String,
    text: String,
}

/// Someone joined, left or changed nickname.
#[derive(Debug, Clone, Deserialize)]
struct Notice {
    kind: String,
    nickname: String,
    room: String,
    previous: Option<String>,
}

/// One person in the room.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct User {
    id: String,
    nickname: String,
}

/// The server's answer to `nickname` and `join`.
#[derive(Debug, Deserialize)]
struct Reply {
    ok: bool,
    error: Option<String>,
    nickname: Option<String>,
    room: Option<String>,
    users: Option<Vec<User>>,
}

/// What the handshake's auth carries, so that a reconnection restores the nickname and room.
#[derive(Debug, Clone, Default, Serialize)]
struct Me {
    nickname: Option<String>,
    room: Option<String>,
}

/// One line of the message list.
#[derive(Debug, Clone)]
struct Line {
    seq: usize,
    kind: &'static str,
    heading: String,
    from_id: String,
    text: String,
}

/// The app's reactive state (signals are `Copy` handles).
#[derive(Clone, Copy)]
struct Chat {
    socket: StoredValue<Socket, LocalStorage>,
    lines: RwSignal<Vec<Line>>,
    users: RwSignal<Vec<User>>,
    me: RwSignal<Me>,
    my_id: RwSignal<Option<String>>,
    target: RwSignal<Option<User>>,
    state: RwSignal<(&'static str, String)>,
}

impl Chat {
    fn push(&self, kind: &'static str, heading: &str, from_id: &str, text: &str) {
        self.lines.update(|lines| {
            let seq = lines.len();
            lines.push(Line {
                seq,
                kind,
                heading: heading.to_owned(),
                from_id: from_id.to_owned(),
                text: text.to_owned(),
            });
        });
    }

    fn system(&self, text: &str) {
        self.push("system", "", "", text);
    }

    fn socket(&self) -> Socket {
        self.socket.get_value()
    }

    /// Keeps the handshake's auth in step with the nickname and room.
    fn remember(&self) {
        let _ = self.socket().set_auth(&self.me.get_untracked());
    }

    fn refresh_users(&self) {
        let chat = *self;
        let Some(room) = self.me.get_untracked().room else {
            return;
        };
        if !self.socket().connected() {
            return;
        }
        spawn_local(async move {
            let users = chat
                .socket()
                .emit_with_ack::<Vec<User>>("users", &room)
                .timeout(Duration::from_secs(5))
                .await;
            if let Ok(users) = users {
                if chat.me.get_untracked().room.as_deref() == Some(room.as_str()) {
                    chat.users.set(users);
                }
            }
        });
    }
}

/// Starts the app (called by wasm-bindgen's `init()`).
#[wasm_bindgen(start)]
pub fn main() {
    // Inside the mount: Leptos's executor (for spawn_local) and reactive owner exist there.
    mount_to_body(|| {
        let socket = io("/chat");
        let chat = socket.as_ref().ok().map(|socket| {
            let _ = socket.set_auth(&Me::default());
            let chat = Chat {
                socket: StoredValue::new_local(socket.clone()),
                lines: RwSignal::new(Vec::new()),
                users: RwSignal::new(Vec::new()),
                me: RwSignal::new(Me::default()),
                my_id: RwSignal::new(None),
                target: RwSignal::new(None),
                state: RwSignal::new(("connecting", "connecting…".to_owned())),
            };
            chat.system("Pick a nickname and join a room to start chatting.");
            listen(chat, socket);
            chat
        });
        match (chat, socket) {
            (Some(chat), _) => view! { <App chat=chat/> }.into_any(),
            (None, Err(e)) => {
                web_sys_log(&format!("cannot connect: {e}"));
                view! { <p>{format!("cannot connect: {e}")}</p> }.into_any()
            }
            (None, Ok(_)) => view! { <p>"cannot connect"</p> }.into_any(),
        }
    });
}

fn web_sys_log(text: &str) {
    web_sys::console::error_1(&text.into());
}

/// The socket's events and states feed the signals; the subscriptions live as long as the page.
fn listen(chat: Chat, socket: &Socket) {
    let subscriptions = vec![
        socket.on("message", move |m: ChatMessage| {
            chat.push("message", &m.from, &m.id, &m.text);
        }),
        socket.on("private", move |m: ChatMessage| {
            chat.push(
                "private",
                &format!("{} (privately)", m.from),
                &m.id,
                &m.text,
            );
        }),
        socket.on("notice", move |n: Notice| {
            let text = match n.kind.as_str() {
                "join" => format!("{} joined #{}", n.nickname, n.room),
                "leave" => format!("{} left #{}", n.nickname, n.room),
                _ => format!("{} is now {}", n.previous.unwrap_or_default(), n.nickname),
            };
            chat.push("notice", "", "", &text);
            if chat.me.get_untracked().room.as_deref() == Some(n.room.as_str()) {
                chat.refresh_users();
            }
        }),
    ];
    // Kept for the page's lifetime: dropping them would remove the listeners.
    std::mem::forget(subscriptions);
    let mut states = socket.states();
    spawn_local(async move {
        let mut connected_before = false;
        while let Some(state) = states.next().await {
            let shown = match &state {
                ConnectionState::Connecting => ("connecting", "connecting…".to_owned()),
                ConnectionState::Connected { id, .. } => {
                    chat.my_id.set(Some(id.clone()));
                    if connected_before {
                        let room = chat.me.get_untracked().room;
                        chat.system(&match room {
                            Some(room) => format!("Connected again, back in #{room}."),
                            None => "Connected again.".to_owned(),
                        });
                    }
                    connected_before = true;
                    chat.refresh_users();
                    ("connected", "connected".to_owned())
                }
                ConnectionState::Reconnecting { attempt, retry_in } => (
                    "reconnecting",
                    format!(
                        "reconnecting (attempt {attempt} in {} ms)",
                        retry_in.as_millis()
                    ),
                ),
                ConnectionState::Disconnected {
                    reason: DisconnectReason::Closed(CloseReason::ClientDisconnect),
                } => ("offline", "offline (by you)".to_owned()),
                ConnectionState::Disconnected { reason } => {
                    ("disconnected", format!("disconnected: {}", reason.as_str()))
                }
                _ => ("connecting", "connecting…".to_owned()),
            };
            if !state.is_connected() {
                chat.my_id.set(None);
                chat.users.set(Vec::new());
                if connected_before && !matches!(state, ConnectionState::Connecting) {
                    chat.system(&format!("Disconnected ({}).", shown.1));
                }
            }
            chat.state.set(shown);
        }
    });
}

#[component]
fn App(chat: Chat) -> impl IntoView {
    view! {
        <header class="topbar">
            <h1><a href="/">"socketio-wasm"</a> " " <span>"chat (Rust + Leptos)"</span></h1>
            <p class="status" role="status" aria-live="polite">
                <span class="dot" aria-hidden="true"></span>
                <strong id="state" data-state=move || chat.state.get().0>
                    {move || chat.state.get().1}
                </strong>
                <span class="meta">
                    " id " <code id="sid">{move || chat.my_id.get().unwrap_or_else(|| "–".into())}</code>
                </span>
            </p>
        </header>
        <div class="layout">
            <aside class="sidebar">
                <NicknameCard chat=chat/>
                <RoomCard chat=chat/>
                <UsersCard chat=chat/>
                <DeliveryCard chat=chat/>
            </aside>
            <main class="room">
                <h2 class="sr-only">"Messages"</h2>
                <ol id="messages" class="messages" aria-live="polite" aria-relevant="additions">
                    <For
                        each=move || chat.lines.get()
                        key=|line| line.seq
                        children=move |line: Line| {
                            let mine = !line.from_id.is_empty()
                                && chat.my_id.get_untracked().as_deref() == Some(line.from_id.as_str());
                            view! {
                                <li
                                    class=format!("{}{}", line.kind, if mine { " mine" } else { "" })
                                    data-kind=line.kind
                                    data-from-id=line.from_id.clone()
                                >
                                    {(!line.heading.is_empty()).then(|| view! { <span class="from">{line.heading.clone()}</span> })}
                                    <span class="text">{line.text.clone()}</span>
                                </li>
                            }
                        }
                    />
                </ol>
                <Composer chat=chat/>
            </main>
        </div>
    }
}

fn input_value(id: &str) -> String {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|e| e.value())
        .unwrap_or_default()
}

fn set_input_value(id: &str, value: &str) {
    use wasm_bindgen::JsCast;
    if let Some(e) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        e.set_value(value);
    }
}

fn checked(id: &str) -> bool {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|e| e.checked())
}

#[component]
fn NicknameCard(chat: Chat) -> impl IntoView {
    let shown = RwSignal::new("Until you pick one, others see a guest name.".to_owned());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = input_value("nickname-input");
        spawn_local(async move {
            let reply = chat
                .socket()
                .emit_with_ack::<Reply>("nickname", &name)
                .await;
            match reply {
                Ok(Reply {
                    ok: true,
                    nickname: Some(nickname),
                    ..
                }) => {
                    shown.set(format!("Others see you as {nickname}."));
                    chat.me.update(|me| me.nickname = Some(nickname));
                    chat.remember();
                    chat.refresh_users();
                }
                Ok(reply) => chat.system(&format!(
                    "Nickname refused: {}.",
                    reply.error.unwrap_or_else(|| "no answer".into())
                )),
                Err(e) => chat.system(&format!("Nickname refused: {e}.")),
            }
        });
    };
    view! {
        <section class="card">
            <h2 id="you-heading">"You"</h2>
            <form id="nickname-form" aria-labelledby="you-heading" on:submit=submit>
                <label class="sr-only" for="nickname-input">"Nickname"</label>
                <input id="nickname-input" autocomplete="nickname" maxlength="32" placeholder="Pick a nickname" required/>
                <button type="submit">"Set"</button>
            </form>
            <p class="hint" id="nickname-shown">{move || shown.get()}</p>
        </section>
    }
}

#[component]
fn RoomCard(chat: Chat) -> impl IntoView {
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let room = input_value("room-input");
        spawn_local(async move {
            let reply = chat.socket().emit_with_ack::<Reply>("join", &room).await;
            match reply {
                Ok(Reply {
                    ok: true,
                    room: Some(room),
                    users,
                    ..
                }) => {
                    chat.me.update(|me| me.room = Some(room.clone()));
                    chat.remember();
                    chat.target.set(None);
                    chat.system(&format!("You joined #{room}."));
                    chat.users.set(users.unwrap_or_default());
                }
                Ok(reply) => chat.system(&format!(
                    "Cannot join: {}.",
                    reply.error.unwrap_or_else(|| "no answer".into())
                )),
                Err(e) => chat.system(&format!("Cannot join: {e}.")),
            }
        });
    };
    let room = move || chat.me.get().room;
    view! {
        <section class="card">
            <h2 id="room-heading">"Room"</h2>
            <form id="room-form" aria-labelledby="room-heading" on:submit=submit>
                <label class="sr-only" for="room-input">"Room name"</label>
                <input id="room-input" autocomplete="off" maxlength="32" placeholder="e.g. blue" required/>
                <button type="submit">"Join"</button>
            </form>
            <p class="hint">
                "Current room: "
                <strong id="room-name" data-room=move || room().unwrap_or_default()>
                    {move || room().map(|r| format!("#{r}")).unwrap_or_else(|| "none".into())}
                </strong>
            </p>
        </section>
    }
}

#[component]
fn UsersCard(chat: Chat) -> impl IntoView {
    view! {
        <section class="card">
            <h2 id="users-heading">"People here"</h2>
            <ul id="users" class="users" aria-labelledby="users-heading">
                {move || {
                    let users = chat.users.get();
                    if users.is_empty() {
                        let text = if chat.me.get().room.is_some() {
                            "Nobody here while you are offline."
                        } else {
                            "Join a room to see who is in it."
                        };
                        return view! { <li class="empty">{text}</li> }.into_any();
                    }
                    let me = chat.my_id.get();
                    users
                        .into_iter()
                        .map(|user| {
                            let is_me = me.as_deref() == Some(user.id.as_str());
                            let label = format!("Send a private message to {}", user.nickname);
                            let picked = user.clone();
                            view! {
                                <li data-id=user.id.clone()>
                                    <span class="name">{user.nickname.clone()}</span>
                                    {if is_me {
                                        view! { <span class="you">"you"</span> }.into_any()
                                    } else {
                                        view! {
                                            <button type="button" class="dm" aria-label=label
                                                on:click=move |_| chat.target.set(Some(picked.clone()))>
                                                "Private"
                                            </button>
                                        }.into_any()
                                    }}
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
        </section>
    }
}

#[component]
fn DeliveryCard(chat: Chat) -> impl IntoView {
    let offline = move |_| {
        if checked("offline") {
            chat.socket().disconnect();
        } else {
            chat.socket().connect();
        }
    };
    view! {
        <section class="card">
            <h2>"Delivery"</h2>
            <div class="toggles">
                <label class="toggle">
                    <input type="checkbox" id="volatile"/>
                    <span><strong>"Volatile"</strong> " — sent with " <code>"socket.volatile()"</code> ": dropped, not buffered, while offline"</span>
                </label>
                <label class="toggle">
                    <input type="checkbox" id="offline" on:change=offline/>
                    <span><strong>"Go offline"</strong> " — " <code>"socket.disconnect()"</code> "; untick to " <code>"socket.connect()"</code> " and flush what was buffered"</span>
                </label>
            </div>
        </section>
    }
}

#[component]
fn Composer(chat: Chat) -> impl IntoView {
    let in_room = move || chat.me.get().room.is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = input_value("message-input").trim().to_owned();
        if text.is_empty() {
            return;
        }
        set_input_value("message-input", "");
        let socket = chat.socket();
        let volatile = checked("volatile");
        let online = socket.connected();
        let sent = match chat.target.get_untracked() {
            Some(to) => {
                let heading = format!("you → {}", to.nickname);
                let from = chat.my_id.get_untracked().unwrap_or_default();
                chat.push("private", &heading, &from, &text);
                let args = (to.id.as_str(), text.as_str());
                if volatile {
                    socket.volatile().emit_args("private", &args)
                } else {
                    socket.emit_args("private", &args)
                }
            }
            None if volatile => socket.volatile().emit("message", &text),
            None => socket.emit("message", &text),
        };
        if let Err(e) = sent {
            chat.system(&format!("Not sent: {e}."));
        } else if !online {
            chat.system(&if volatile {
                format!("Dropped “{text}”: volatile messages are not buffered while offline.")
            } else {
                format!("Queued “{text}”: it will be sent when the connection is back.")
            });
        }
    };
    let target = move || chat.target.get();
    view! {
        <form id="composer" class="composer" on:submit=submit>
            <p class="target" id="target" data-mode=move || if target().is_some() { "private" } else { "room" }>
                <span id="target-label">
                    {move || target().map(|u| format!("Privately to {}", u.nickname)).unwrap_or_else(|| "To the room".into())}
                </span>
                <button type="button" id="target-clear" class="link" hidden=move || target().is_none()
                    on:click=move |_| chat.target.set(None)>
                    "back to the room"
                </button>
            </p>
            <div class="row">
                <label class="sr-only" for="message-input">"Message"</label>
                <input id="message-input" autocomplete="off" maxlength="2000"
                    placeholder=move || match (target(), chat.me.get().room) {
                        (Some(u), _) => format!("Private message to {}", u.nickname),
                        (None, Some(room)) => format!("Message #{room}"),
                        (None, None) => "Join a room first".to_owned(),
                    }
                    disabled=move || !in_room()/>
                <button type="submit" id="send" disabled=move || !in_room()>"Send"</button>
            </div>
        </form>
    }
}
