//! Joining the namespace (PROTOCOL.md §1.4, §1.8): the CONNECT packet with `auth` (or with the
//! `pid` and `offset` of a session to recover), an `auth` function answered later, and the
//! server's CONNECT and CONNECT_ERROR replies.

use crate::prelude::*;

use super::{Socket, MESSAGE};
use crate::client::event::{ConnectError, Event};
use crate::protocol::json::{trim_ws_start, write_string, Kind, Scanner};
use crate::protocol::socket::{self as sio, Packet, PacketKind};

impl Socket {
    /// The Manager's connection is open: ask to join the namespace, or first ask the API layer
    /// for the auth payload when it comes from a function.
    pub(crate) fn on_open(&mut self) {
        if self.connected || self.outbox_holds_connect() {
            return;
        }
        if self.auth_deferred {
            self.awaiting_auth = true;
            self.report(Event::AuthRequest(self.id_num));
            return;
        }
        self.send_connect();
    }

    /// The answer to an [`Event::AuthRequest`]: sends the CONNECT that waited for it.
    pub(crate) fn provide_auth(&mut self, auth: Option<String>) {
        if !self.awaiting_auth {
            return;
        }
        self.awaiting_auth = false;
        self.auth = auth;
        self.send_connect();
    }

    fn send_connect(&mut self) {
        let data = match (&self.pid, &self.last_offset) {
            (Some(pid), offset) => recovery_payload(pid, offset.as_deref(), self.auth.as_deref()),
            _ => self.auth.clone().unwrap_or_default(),
        };
        let mut text = String::from(MESSAGE);
        sio::encode(
            &Packet {
                kind: PacketKind::Connect,
                nsp: &self.nsp,
                id: None,
                attachments: 0,
                data: &data,
            },
            &mut text,
        );
        self.send(text, Vec::new());
    }
}

/// `{"sid":..,"pid":..}` of a CONNECT reply; `None` when there is no string `sid` (a v2 server).
pub(super) fn parse_connect_reply(data: &str) -> Option<(String, Option<String>)> {
    let (mut sid, mut pid) = (None, None);
    Scanner::new(data)
        .object(|key, s| {
            match (key, s.peek_kind()) {
                ("sid", Some(Kind::String)) => sid = Some(s.string()?),
                ("pid", Some(Kind::String)) => pid = Some(s.string()?),
                _ => {
                    s.raw_value()?;
                }
            }
            Ok(())
        })
        .ok()?;
    Some((sid?, pid))
}

/// `{"message":..,"data":..}` (or a bare string) of a CONNECT_ERROR.
pub(super) fn parse_connect_error(data: &str) -> ConnectError {
    let mut s = Scanner::new(data);
    if s.peek_kind() == Some(Kind::String) {
        return ConnectError::Server {
            message: s.string().unwrap_or_default(),
            data: None,
        };
    }
    let (mut message, mut extra) = (String::new(), None);
    let _ = s.object(|key, s| {
        match (key, s.peek_kind()) {
            ("message", Some(Kind::String)) => message = s.string()?,
            ("data", _) => extra = Some(s.raw_value()?.to_owned()),
            _ => {
                s.raw_value()?;
            }
        }
        Ok(())
    });
    ConnectError::Server {
        message,
        data: extra,
    }
}

/// The last element of a JSON array when it is a string (the recovery offset).
pub(super) fn last_string_element(data: &str) -> Option<String> {
    let mut s = Scanner::new(data);
    s.expect(b'[').ok()?;
    loop {
        let last = if s.peek_kind() == Some(Kind::String) {
            Some(s.string().ok()?)
        } else {
            s.raw_value().ok()?;
            None
        };
        if s.eat(b']') {
            return last;
        }
        s.expect(b',').ok()?;
    }
}

/// `{"pid":..,"offset":..,...auth}` for a recovering CONNECT.
fn recovery_payload(pid: &str, offset: Option<&str>, auth: Option<&str>) -> String {
    let mut out = String::from("{\"pid\":");
    write_string(&mut out, pid);
    if let Some(offset) = offset {
        out.push_str(",\"offset\":");
        write_string(&mut out, offset);
    }
    if let Some(rest) = auth
        .map(trim_ws_start)
        .and_then(|a| a.strip_prefix('{'))
        .map(trim_ws_start)
    {
        if !rest.starts_with('}') {
            out.push(',');
        }
        out.push_str(rest);
    } else {
        out.push('}');
    }
    out
}
