//! The demo chat on the namespace `/chat`, always on (also with `--test`). `www/chat.html` is its
//! page.
//!
//! Each socket has a nickname (`guest-xxxx` until it picks one) and is in at most one chat room.
//! Client → server events:
//! - `nickname` (name, ack): sets the nickname; acks `{ok: true, nickname}` or
//!   `{ok: false, error}`. Tells the socket's room `notice {kind: "rename", nickname, previous,
//!   room}`.
//! - `join` (room, ack): leaves the previous room (telling it `notice {kind: "leave", ...}`), joins
//!   `room`, tells the others there `notice {kind: "join", nickname, room}`, and acks
//!   `{ok: true, room, users}` (`users` as `users` below) or `{ok: false, error}`.
//! - `message` (text, ack?): sends `message {from, id, text, at}` to everyone in the sender's
//!   room, the sender included (so its own copy confirms delivery); `at` is milliseconds since the
//!   Unix epoch. Ignored outside a room. Acks `{ok}` if asked.
//! - `private` (toSocketId, text, ack?): sends `private {from, id, text, at}` to that one socket of
//!   `/chat` only. Acks `{ok: true}` or `{ok: false, error}` if asked.
//! - `users` (room, ack): acks the list `[{id, nickname}]` of the room, sorted by nickname.
//!
//! When a socket goes away, the disconnect handler (socketioxide's counterpart of Node's
//! `disconnecting`: it runs before the socket's rooms are cleaned up) tells its room
//! `notice {kind: "leave", nickname, room}`.
//!
//! The handshake's `auth` may carry `{nickname, room}`: a client that reconnects (a new socket,
//! with no server-side state) is put back where it was before its buffered emits are handled, and
//! the room is told `notice {kind: "join"}` again.
//!
//! The state lives in one [`Chat`], given to the builder with `with_state(Arc<Chat>)`; the adapter's
//! rooms are used for broadcasting only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::json;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};
use socketioxide::socket::Sid;
use socketioxide::SocketIo;
use socketioxide_core::adapter::DefinedAdapter;

/// The longest nickname or room name, in characters.
const MAX_NAME_CHARS: usize = 32;
/// The longest message, in characters.
const MAX_TEXT_CHARS: usize = 2000;

/// The chat's state: who is connected to `/chat`, under which nickname, in which room.
#[derive(Debug, Default)]
pub struct Chat(Mutex<HashMap<Sid, Member>>);

/// One connected socket of the chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The display name.
    pub nickname: String,
    /// The chat room the socket is in, if any.
    pub room: Option<String>,
}

/// One entry of a room's user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// The socket id (the target of a private message).
    pub id: String,
    /// The display name.
    pub nickname: String,
}

/// The handshake's `auth`, as far as the chat reads it.
#[derive(Debug, Default, Deserialize)]
struct Auth {
    nickname: Option<String>,
    room: Option<String>,
}

/// A room notice: someone joined, left or changed nickname.
#[derive(Debug, Serialize)]
struct Notice<'a> {
    kind: &'static str,
    nickname: &'a str,
    room: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<&'a str>,
}

/// A message, to a room (`message`) or to one socket (`private`).
#[derive(Debug, Serialize)]
struct Message<'a> {
    from: &'a str,
    id: String,
    text: &'a str,
    at: u64,
}

impl Chat {
    fn members(&self) -> std::sync::MutexGuard<'_, HashMap<Sid, Member>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a socket that just connected, with its nickname and room from `auth` when they
    /// are valid (a default nickname and no room otherwise). Returns the new member.
    pub fn connect(&self, sid: Sid, nickname: Option<&str>, room: Option<&str>) -> Member {
        let member = Member {
            nickname: nickname
                .and_then(|n| clean(n, MAX_NAME_CHARS).ok())
                .unwrap_or_else(|| default_nickname(sid)),
            room: room.and_then(|r| clean(r, MAX_NAME_CHARS).ok()),
        };
        self.members().insert(sid, member.clone());
        member
    }

    /// Forgets a socket that left; returns what it was.
    pub fn disconnect(&self, sid: Sid) -> Option<Member> {
        self.members().remove(&sid)
    }

    /// The member `sid`, if connected.
    pub fn member(&self, sid: Sid) -> Option<Member> {
        self.members().get(&sid).cloned()
    }

    /// Sets the nickname of `sid`; returns the member before and after the change.
    pub fn rename(&self, sid: Sid, nickname: &str) -> Result<(Member, Member), &'static str> {
        let nickname = clean(nickname, MAX_NAME_CHARS)?;
        let mut members = self.members();
        let member = members.get_mut(&sid).ok_or("not connected")?;
        let before = member.clone();
        member.nickname = nickname;
        Ok((before, member.clone()))
    }

    /// Moves `sid` into `room`; returns the member before and after the move.
    pub fn join(&self, sid: Sid, room: &str) -> Result<(Member, Member), &'static str> {
        let room = clean(room, MAX_NAME_CHARS)?;
        let mut members = self.members();
        let member = members.get_mut(&sid).ok_or("not connected")?;
        let before = member.clone();
        member.room = Some(room);
        Ok((before, member.clone()))
    }

    /// The members of `room`, sorted by nickname (then id, for a stable order).
    pub fn users(&self, room: &str) -> Vec<User> {
        let mut users: Vec<User> = self
            .members()
            .iter()
            .filter(|(_, m)| m.room.as_deref() == Some(room))
            .map(|(sid, m)| User {
                id: sid.to_string(),
                nickname: m.nickname.clone(),
            })
            .collect();
        users.sort_by(|a, b| (&a.nickname, &a.id).cmp(&(&b.nickname, &b.id)));
        users
    }
}

/// `text` trimmed, if it is not empty, has at most `max` characters and no control characters.
fn clean(text: &str, max: usize) -> Result<String, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        Err("empty")
    } else if text.chars().count() > max {
        Err("too long")
    } else if text.chars().any(char::is_control) {
        Err("control characters are not allowed")
    } else {
        Ok(text.to_owned())
    }
}

/// `guest-` and the first four characters of the socket id.
fn default_nickname(sid: Sid) -> String {
    let id = sid.to_string();
    format!("guest-{}", id.get(..4).unwrap_or(&id))
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
#[allow(
    clippy::disallowed_methods,
    reason = "the workspace bans SystemTime::now for the wasm32 core; this is a native server"
)]
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Registers the namespace `/chat`. The builder must have been given `with_state(Arc<Chat>)`.
pub fn register<A: Adapter + DefinedAdapter>(io: &SocketIo<A>) -> A::InitRes {
    io.ns("/chat", on_connect::<A>)
}

/// A socket connected: restore its nickname and room from `auth`, attach the chat events.
async fn on_connect<A: Adapter>(
    s: SocketRef<A>,
    State(chat): State<Arc<Chat>>,
    TryData(auth): TryData<Auth>,
) {
    // Handlers first: the client sends its buffered emits as soon as it is connected.
    s.on("nickname", on_nickname::<A>);
    s.on("join", on_join::<A>);
    s.on("message", on_message::<A>);
    s.on("private", on_private::<A>);
    s.on("users", on_users::<A>);
    s.on_disconnect(on_disconnect::<A>);

    let auth = auth.unwrap_or_default();
    let member = chat.connect(s.id, auth.nickname.as_deref(), auth.room.as_deref());
    if let Some(room) = &member.room {
        s.join(room.clone());
        notify(&s, "join", &member.nickname, room, None).await;
    }
}

/// Sends `notice` to the others in `room`. Send errors mean a receiver is gone; nothing to do.
async fn notify<A: Adapter>(
    s: &SocketRef<A>,
    kind: &'static str,
    nickname: &str,
    room: &str,
    previous: Option<&str>,
) {
    let notice = Notice {
        kind,
        nickname,
        room,
        previous,
    };
    let _ = s.to(room.to_owned()).emit("notice", &notice).await;
}

/// `nickname` (name, ack).
async fn on_nickname<A: Adapter>(
    s: SocketRef<A>,
    State(chat): State<Arc<Chat>>,
    TryData(name): TryData<String>,
    ack: AckSender<A>,
) {
    let result = name
        .map_err(|_| "a nickname must be a string")
        .and_then(|name| chat.rename(s.id, &name));
    match result {
        Ok((before, after)) => {
            let _ = ack.send(&json!({"ok": true, "nickname": after.nickname}));
            if let Some(room) = &after.room {
                if before.nickname != after.nickname {
                    notify(&s, "rename", &after.nickname, room, Some(&before.nickname)).await;
                }
            }
        }
        Err(error) => {
            let _ = ack.send(&json!({"ok": false, "error": error}));
        }
    }
}

/// `join` (room, ack).
async fn on_join<A: Adapter>(
    s: SocketRef<A>,
    State(chat): State<Arc<Chat>>,
    TryData(room): TryData<String>,
    ack: AckSender<A>,
) {
    let result = room
        .map_err(|_| "a room must be a string")
        .and_then(|room| chat.join(s.id, &room));
    let (before, after) = match result {
        Ok(moved) => moved,
        Err(error) => {
            let _ = ack.send(&json!({"ok": false, "error": error}));
            return;
        }
    };
    let Some(room) = after.room else {
        let _ = ack.send(&json!({"ok": false, "error": "not in a room"}));
        return;
    };
    if let Some(previous) = before.room.filter(|p| *p != room) {
        s.leave(previous.clone());
        notify(&s, "leave", &before.nickname, &previous, None).await;
    }
    s.join(room.clone());
    let _ = ack.send(&json!({"ok": true, "room": room, "users": chat.users(&room)}));
    notify(&s, "join", &after.nickname, &room, None).await;
}

/// `message` (text, ack?): to the sender's room, the sender included.
async fn on_message<A: Adapter>(
    s: SocketRef<A>,
    State(chat): State<Arc<Chat>>,
    TryData(text): TryData<String>,
    ack: AckSender<A>,
) {
    let member = chat.member(s.id);
    let checked = text
        .map_err(|_| "a message must be a string")
        .and_then(|t| clean(&t, MAX_TEXT_CHARS));
    let (Some(member), Ok(text)) = (member, checked) else {
        let _ = ack.send(&json!({"ok": false, "error": "not a valid message"}));
        return;
    };
    let Some(room) = member.room else {
        let _ = ack.send(&json!({"ok": false, "error": "join a room first"}));
        return;
    };
    let message = Message {
        from: &member.nickname,
        id: s.id.to_string(),
        text: &text,
        at: now_ms(),
    };
    let _ = s.within(room).emit("message", &message).await;
    let _ = ack.send(&json!({"ok": true}));
}

/// `private` (toSocketId, text, ack?): to that one socket only.
async fn on_private<A: Adapter>(
    s: SocketRef<A>,
    State(chat): State<Arc<Chat>>,
    TryData(args): TryData<(String, String)>,
    ack: AckSender<A>,
) {
    let result = args
        .map_err(|_| "expected (socket id, text)")
        .and_then(|(to, text)| send_private(&s, &chat, &to, &text));
    let _ = match result {
        Ok(()) => ack.send(&json!({"ok": true})),
        Err(error) => ack.send(&json!({"ok": false, "error": error})),
    };
}

/// Emits `private` from `s` to the socket `to` of the same namespace.
fn send_private<A: Adapter>(
    s: &SocketRef<A>,
    chat: &Chat,
    to: &str,
    text: &str,
) -> Result<(), &'static str> {
    let text = clean(text, MAX_TEXT_CHARS)?;
    let from = chat.member(s.id).ok_or("not connected")?;
    let target = to
        .parse::<Sid>()
        .ok()
        .and_then(|sid| s.broadcast().get_socket(sid))
        .ok_or("no such user")?;
    let message = Message {
        from: &from.nickname,
        id: s.id.to_string(),
        text: &text,
        at: now_ms(),
    };
    target.emit("private", &message).map_err(|_| "user gone")
}

/// `users` (room, ack): the room's user list.
async fn on_users<A: Adapter>(
    State(chat): State<Arc<Chat>>,
    TryData(room): TryData<String>,
    ack: AckSender<A>,
) {
    let users = room.map(|r| chat.users(r.trim())).unwrap_or_default();
    let _ = ack.send(&users);
}

/// The socket is going away (its rooms still exist): tell its room it left.
async fn on_disconnect<A: Adapter>(s: SocketRef<A>, State(chat): State<Arc<Chat>>) {
    if let Some(Member {
        nickname,
        room: Some(room),
    }) = chat.disconnect(s.id)
    {
        notify(&s, "leave", &nickname, &room, None).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(clean("  ada ", MAX_NAME_CHARS), Ok("ada".to_owned()));
        assert_eq!(clean("   ", MAX_NAME_CHARS), Err("empty"));
        assert_eq!(clean(&"x".repeat(33), MAX_NAME_CHARS), Err("too long"));
        assert_eq!(
            clean(&"é".repeat(32), MAX_NAME_CHARS).map(|s| s.len()),
            Ok(64)
        );
        assert!(clean("a\u{0}b", MAX_NAME_CHARS).is_err());
    }

    #[test]
    fn connect_restores_valid_auth_and_defaults_the_rest() {
        let chat = Chat::default();
        let (a, b) = (Sid::new(), Sid::new());
        let ada = chat.connect(a, Some(" ada "), Some("blue"));
        assert_eq!(ada.nickname, "ada");
        assert_eq!(ada.room.as_deref(), Some("blue"));
        let guest = chat.connect(b, Some(""), Some(&"r".repeat(40)));
        assert!(guest.nickname.starts_with("guest-"), "{}", guest.nickname);
        assert_eq!(guest.room, None);
    }

    #[test]
    fn join_moves_between_rooms_and_users_lists_each_room() {
        let chat = Chat::default();
        let (a, b, c) = (Sid::new(), Sid::new(), Sid::new());
        chat.connect(a, Some("zoe"), None);
        chat.connect(b, Some("ada"), None);
        chat.connect(c, Some("max"), None);
        chat.join(a, "blue").expect("valid room");
        chat.join(b, "blue").expect("valid room");
        let (before, after) = chat.join(c, "green").expect("valid room");
        assert_eq!((before.room, after.room.as_deref()), (None, Some("green")));

        let names = |room| {
            chat.users(room)
                .into_iter()
                .map(|u| u.nickname)
                .collect::<Vec<_>>()
        };
        assert_eq!(names("blue"), ["ada", "zoe"]);
        assert_eq!(names("green"), ["max"]);

        let (before, _) = chat.join(a, "green").expect("valid room");
        assert_eq!(before.room.as_deref(), Some("blue"));
        assert_eq!(names("blue"), ["ada"]);
        assert_eq!(names("green"), ["max", "zoe"]);
        assert_eq!(chat.users("green")[1].id, a.to_string());

        assert!(chat.join(a, " ").is_err());
        assert_eq!(
            chat.member(a).and_then(|m| m.room).as_deref(),
            Some("green")
        );
    }

    #[test]
    fn rename_and_disconnect() {
        let chat = Chat::default();
        let a = Sid::new();
        assert!(chat.rename(a, "ada").is_err(), "unknown socket");
        chat.connect(a, None, Some("blue"));
        let (before, after) = chat.rename(a, "ada").expect("valid name");
        assert!(before.nickname.starts_with("guest-"));
        assert_eq!(after.nickname, "ada");
        assert_eq!(chat.disconnect(a), Some(after));
        assert!(chat.users("blue").is_empty());
        assert_eq!(chat.disconnect(a), None);
    }
}
