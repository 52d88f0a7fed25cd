//! The request URL of a session's transports: origin, path, the user's query, then `EIO`,
//! `transport`, `sid` and the cache-buster, in the official order (PROTOCOL.md §2.1).

use crate::prelude::*;

use super::Engine;
use crate::client::transport::TransportKind;

impl Engine {
    /// Builds the URL of a `kind` request (a WebSocket URL is the origin with `ws` for `http`).
    pub(super) fn url(&mut self, kind: TransportKind) -> String {
        let mut url = String::with_capacity(self.config.origin.len() + self.config.path.len() + 64);
        match (kind, self.config.origin.strip_prefix("http")) {
            (TransportKind::WebSocket, Some(rest)) => {
                url.push_str("ws");
                url.push_str(rest);
            }
            _ => url.push_str(&self.config.origin),
        }
        url.push_str(&self.config.path);
        url.push('?');
        if !self.config.query.is_empty() {
            url.push_str(&self.config.query);
            url.push('&');
        }
        url.push_str("EIO=4&transport=");
        url.push_str(kind.as_str());
        if let Some(sid) = &self.sid {
            url.push_str("&sid=");
            url.push_str(sid);
        }
        let stamp = match kind {
            TransportKind::Polling => self.config.timestamp_requests != Some(false),
            TransportKind::WebSocket => self.config.timestamp_requests == Some(true),
        };
        if stamp {
            url.push('&');
            url.push_str(&self.config.timestamp_param);
            url.push('=');
            self.rng.push_token(&mut url, 8);
        }
        url
    }
}
