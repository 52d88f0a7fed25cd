//! Connection state recovery across a reload (`recover_after_reload`): when the page unloads,
//! the core asks the driver to keep each namespace's session (`pid` and the last offset) in
//! per-tab storage ([`Command::SaveSession`]); the reloaded page hands it back before its first
//! CONNECT, which then asks the server to recover the session. The record is read once: a
//! page that crashes instead of unloading saves nothing, so an old offset is never replayed
//! (the server would send again what the page had already received).

use crate::prelude::*;

use super::Manager;
use crate::client::engine::EngineConfig;
use crate::client::event::NspId;
use crate::client::transport::Command;
use crate::protocol::json::{write_string, Kind, Scanner};

impl Manager {
    /// The storage key of `nsp`'s session: the Manager's URL and the namespace, so that
    /// different servers and namespaces of one tab keep apart.
    pub fn session_key(&self, nsp: NspId) -> Option<String> {
        let socket = self.sockets.get(nsp.0 as usize)?;
        Some(storage_key(&self.config.engine, &socket.nsp))
    }

    /// Hands back a session kept before a reload (the `value` of a
    /// [`Command::SaveSession`]): the next CONNECT of `nsp` asks to recover it. Ignored unless
    /// `recover_after_reload` is on and `nsp` has no session of its own yet, or when `value`
    /// is not one this client wrote; returns whether it was taken.
    pub fn restore_session(&mut self, nsp: NspId, value: &str) -> bool {
        if !self.config.recover_after_reload {
            return false;
        }
        let Some((pid, offset)) = parse(value) else {
            return false;
        };
        match self.socket_mut(nsp) {
            Some(socket) if socket.pid.is_none() && !socket.connected => {
                socket.pid = Some(pid);
                socket.last_offset = offset;
                true
            }
            _ => false,
        }
    }

    /// The page unloads: with `recover_after_reload`, asks the driver to keep the session of
    /// every namespace the server offered recovery for.
    pub(super) fn save_sessions(&mut self) {
        if !self.config.recover_after_reload {
            return;
        }
        for socket in &self.sockets {
            let Some(pid) = &socket.pid else { continue };
            let mut value = String::from("[");
            write_string(&mut value, pid);
            if let Some(offset) = &socket.last_offset {
                value.push(',');
                write_string(&mut value, offset);
            }
            value.push(']');
            if let Some(key) = self.session_key(socket.id_num) {
                self.commands.push_back(Command::SaveSession { key, value });
            }
        }
    }
}

/// Where what a namespace keeps across reloads is stored: the Manager's URL and the namespace.
pub(super) fn storage_key(engine: &EngineConfig, nsp: &str) -> String {
    crate::protocol::text::concat(&["socketio-wasm:", &engine.origin, &engine.path, "#", nsp])
}

/// `["pid"]` or `["pid","offset"]`.
fn parse(value: &str) -> Option<(String, Option<String>)> {
    let mut s = Scanner::new(value);
    s.expect(b'[').ok()?;
    if s.peek_kind() != Some(Kind::String) {
        return None;
    }
    let pid = s.string().ok()?;
    let offset = if s.eat(b',') {
        if s.peek_kind() != Some(Kind::String) {
            return None;
        }
        Some(s.string().ok()?)
    } else {
        None
    };
    s.expect(b']').ok()?;
    s.at_end().then_some((pid, offset))
}
