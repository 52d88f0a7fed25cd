//! `io(url)` resolution (PROTOCOL.md §1.1): the page's location fills what the URL leaves out,
//! the path becomes the namespace, and scheme + host + port + engine path key the Manager cache.
//! Plain string handling: no `url` crate in the wasm (its tables cost tens of KiB).

use crate::prelude::*;
use crate::protocol::text::{find_byte, parse_digits, split_byte, split_seq};
use core::fmt;

/// The parts of the page's `location` that resolution needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// `location.protocol`, e.g. `"https:"`.
    pub protocol: String,
    /// `location.host`: hostname and optional port, e.g. `"example.com:8080"`.
    pub host: String,
}

/// Why a URL could not be resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// The scheme is not http, https, ws or wss.
    UnsupportedScheme,
    /// The host is missing or malformed.
    BadHost,
    /// The port is not a number from 0 to 65535.
    BadPort,
}

impl UrlError {
    /// A short English description.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::UnsupportedScheme => "unsupported URL scheme (use http, https, ws or wss)",
            Self::BadHost => "invalid host in URL",
            Self::BadPort => "invalid port in URL",
        }
    }
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::error::Error for UrlError {}

/// A resolved `io()` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUrl {
    /// Whether the connection uses TLS (`https`/`wss`).
    pub secure: bool,
    /// The scheme as written, lower-cased: `http`, `https`, `ws` or `wss`.
    pub scheme: String,
    /// The hostname; IPv6 addresses without brackets.
    pub hostname: String,
    /// The port, defaulted to 80 or 443.
    pub port: u16,
    /// The namespace: the URL's path, `/` when empty.
    pub nsp: String,
    /// The query string without `?` (empty when absent).
    pub query: String,
}

impl ParsedUrl {
    /// The hostname as it appears in a URL (IPv6 in brackets).
    pub fn host(&self) -> String {
        if find_byte(&self.hostname, b':').is_some() {
            let mut out = String::with_capacity(self.hostname.len() + 2);
            out.push('[');
            out.push_str(&self.hostname);
            out.push(']');
            out
        } else {
            self.hostname.clone()
        }
    }

    /// The Manager cache key: `scheme://host:port` + the engine path (official `url().id`).
    pub fn manager_key(&self, engine_path: &str) -> String {
        let mut out = String::new();
        out.push_str(&self.scheme);
        out.push_str("://");
        out.push_str(&self.host());
        out.push(':');
        crate::protocol::socket::push_number(&mut out, u64::from(self.port));
        out.push_str(engine_path);
        out
    }

    /// The HTTP origin of the Engine.IO endpoint, with the port only when it is not the default.
    pub fn http_origin(&self) -> String {
        let mut out = String::from(if self.secure { "https://" } else { "http://" });
        out.push_str(&self.host());
        if self.port != if self.secure { 443 } else { 80 } {
            out.push(':');
            crate::protocol::socket::push_number(&mut out, u64::from(self.port));
        }
        out
    }
}

/// Resolves `uri` against the page's location as socket.io-client's `url()` does.
pub fn resolve(uri: Option<&str>, location: Option<&Location>) -> Result<ParsedUrl, UrlError> {
    let mut uri = match (uri, location) {
        (Some(u), _) if !u.is_empty() => u.to_owned(),
        (_, Some(loc)) => format_origin(loc),
        _ => return Err(UrlError::BadHost),
    };
    if uri.starts_with("//") {
        let protocol = location.map_or("https:", |l| l.protocol.as_str());
        uri.insert_str(0, protocol);
    } else if uri.starts_with('/') {
        let host = location.map(|l| l.host.as_str()).ok_or(UrlError::BadHost)?;
        uri.insert_str(0, host);
    }
    if !has_known_scheme(&uri) {
        let prefix = location.map_or_else(
            || "https://".to_owned(),
            |l| crate::protocol::text::concat(&[l.protocol.as_str(), "//"]),
        );
        uri.insert_str(0, &prefix);
    }
    parse_absolute(&uri)
}

fn format_origin(loc: &Location) -> String {
    crate::protocol::text::concat(&[loc.protocol.as_str(), "//", loc.host.as_str()])
}

fn has_known_scheme(uri: &str) -> bool {
    split_seq(uri, b"://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
    })
}

fn parse_absolute(uri: &str) -> Result<ParsedUrl, UrlError> {
    let (scheme, rest) = split_seq(uri, b"://").ok_or(UrlError::UnsupportedScheme)?;
    let scheme = scheme.to_ascii_lowercase();
    let secure = match scheme.as_str() {
        "http" | "ws" => false,
        "https" | "wss" => true,
        _ => return Err(UrlError::UnsupportedScheme),
    };
    let rest = split_byte(rest, b'#').map_or(rest, |(before, _)| before);
    let authority_end = rest
        .bytes()
        .position(|b| b == b'/' || b == b'?')
        .unwrap_or(rest.len());
    let (authority, tail) = rest
        .split_at_checked(authority_end)
        .ok_or(UrlError::BadHost)?;
    let host_port = match authority.bytes().rposition(|b| b == b'@') {
        Some(at) => authority.get(at + 1..).ok_or(UrlError::BadHost)?,
        None => authority,
    };

    let (hostname, port_text) = if let Some(v6) = host_port.strip_prefix('[') {
        let (h, after) = split_byte(v6, b']').ok_or(UrlError::BadHost)?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or(UrlError::BadHost)?),
        };
        (h, port)
    } else {
        match split_byte(host_port, b':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if hostname.is_empty() {
        return Err(UrlError::BadHost);
    }
    let port = match port_text {
        None | Some("") => {
            if secure {
                443
            } else {
                80
            }
        }
        Some(p) => parse_digits(p)
            .and_then(|n| u16::try_from(n).ok())
            .ok_or(UrlError::BadPort)?,
    };
    let (path, query) = split_byte(tail, b'?').unwrap_or((tail, ""));
    let nsp = if path.is_empty() { "/" } else { path };
    Ok(ParsedUrl {
        secure,
        scheme,
        hostname: hostname.to_ascii_lowercase(),
        port,
        nsp: nsp.to_owned(),
        query: query.to_owned(),
    })
}

/// The Manager cache rule of `io()`: whether a call reuses the cached Manager of its URL's key
/// (`multiplex` on, no `forceNew`, and the cached Manager has no socket of that namespace yet)
/// rather than making a new one. The Rust API's `io()` applies it; the JS face keeps the same
/// one-line test next to its JS cache, whose Managers are JS objects.
pub fn reuses_manager(force_new: bool, multiplex: bool, namespace_in_use: bool) -> bool {
    !force_new && multiplex && !namespace_in_use
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(protocol: &str, host: &str) -> Location {
        Location {
            protocol: protocol.into(),
            host: host.into(),
        }
    }

    #[test]
    fn official_url_cases() {
        let page = loc("https:", "woot.com:4005");
        // works with undefined
        let p = resolve(None, Some(&page)).unwrap();
        assert_eq!(
            (p.hostname.as_str(), p.scheme.as_str(), p.port),
            ("woot.com", "https", 4005)
        );
        // works with relative paths
        let p = resolve(Some("/test"), Some(&page)).unwrap();
        assert_eq!(
            (p.hostname.as_str(), p.port, p.nsp.as_str()),
            ("woot.com", 4005, "/test")
        );
        // works with no protocol
        let p = resolve(Some("//localhost:3010"), Some(&page)).unwrap();
        assert_eq!((p.scheme.as_str(), p.port), ("https", 3010));
        // works with no schema (no location: https)
        let p = resolve(Some("localhost:3000"), None).unwrap();
        assert_eq!(
            (p.scheme.as_str(), p.hostname.as_str(), p.port),
            ("https", "localhost", 3000)
        );
        // forces ports for unique url ids
        let a = resolve(Some("http://google.com:80/"), None).unwrap();
        let b = resolve(Some("http://google.com/"), None).unwrap();
        assert_eq!(a.manager_key(""), b.manager_key(""));
        assert_eq!(a.manager_key(""), "http://google.com:80");
        assert_eq!(
            resolve(Some("https://google.com"), None)
                .unwrap()
                .manager_key(""),
            "https://google.com:443"
        );
        // identifies the namespace
        assert_eq!(
            resolve(Some("http://woot.com/woot"), None).unwrap().nsp,
            "/woot"
        );
        assert_eq!(resolve(Some("http://google.com"), None).unwrap().nsp, "/");
        assert_eq!(resolve(Some("http://google.com/"), None).unwrap().nsp, "/");
        // works with ipv6
        let p = resolve(Some("http://[::1]"), None).unwrap();
        assert_eq!((p.hostname.as_str(), p.port), ("::1", 80));
        assert_eq!(p.manager_key(""), "http://[::1]:80");
        // works with ipv6 location
        let p = resolve(None, Some(&loc("http:", "[::1]"))).unwrap();
        assert_eq!((p.hostname.as_str(), p.port), ("::1", 80));
        // works with a custom path
        let p = resolve(Some("https://woot.com/some-namespace"), None).unwrap();
        assert_eq!(
            p.manager_key("/some-path"),
            "https://woot.com:443/some-path"
        );
        assert_eq!(p.nsp, "/some-namespace");
    }

    #[test]
    fn keeps_the_query_and_builds_the_origin() {
        let p = resolve(
            Some("http://127.0.0.1:3000/chat?token=a%20b&x=1#frag"),
            None,
        )
        .unwrap();
        assert_eq!(
            (p.nsp.as_str(), p.query.as_str()),
            ("/chat", "token=a%20b&x=1")
        );
        assert_eq!(p.http_origin(), "http://127.0.0.1:3000");
        assert_eq!(
            resolve(Some("wss://h/"), None).unwrap().http_origin(),
            "https://h"
        );
    }

    #[test]
    fn rejects_what_it_cannot_use() {
        assert_eq!(
            resolve(Some("ftp://x"), None),
            Err(UrlError::UnsupportedScheme)
        );
        assert_eq!(resolve(Some("http://:80"), None), Err(UrlError::BadHost));
        assert_eq!(
            resolve(Some("http://h:99999"), None),
            Err(UrlError::BadPort)
        );
        assert_eq!(resolve(Some("http://h:8a"), None), Err(UrlError::BadPort));
        assert_eq!(resolve(None, None), Err(UrlError::BadHost));
    }

    #[test]
    fn io_reuses_the_cached_manager_only_for_a_new_namespace_without_force_new() {
        assert!(reuses_manager(false, true, false));
        assert!(!reuses_manager(false, true, true));
        assert!(!reuses_manager(true, true, false));
        assert!(!reuses_manager(false, false, false));
    }
}
