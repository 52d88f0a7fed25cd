//! A small, panic-free JSON scanner for the few places the core must look inside JSON text: the
//! Engine.IO handshake, the CONNECT reply, CONNECT_ERROR, an event's name, and binary placeholders.
//!
//! It validates structure as it goes but never builds a value tree: payloads stay opaque text
//! and are parsed by the edge that knows the value model (`JSON.parse` in JavaScript, serde in
//! Rust). Never touches I/O.

use super::error::DecodeError;

/// A cursor over JSON text that only moves forward and never indexes out of bounds.
#[derive(Debug, Clone)]
pub(crate) struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

/// How deep arrays and objects may nest before the scanner gives up (stack safety).
const MAX_DEPTH: usize = 128;

impl<'a> Scanner<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    pub(crate) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Consumes `byte` after optional white space, or fails.
    pub(crate) fn expect(&mut self, byte: u8) -> Result<(), DecodeError> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(DecodeError::InvalidJson)
        }
    }

    /// Consumes `byte` after optional white space if it is next.
    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The text not yet consumed.
    pub(crate) fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    /// True once only white space is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.pos >= self.bytes().len()
    }

    /// The kind of the next value, without consuming it.
    pub(crate) fn peek_kind(&mut self) -> Option<Kind> {
        self.skip_ws();
        Some(match self.peek()? {
            b'{' => Kind::Object,
            b'[' => Kind::Array,
            b'"' => Kind::String,
            b't' | b'f' => Kind::Bool,
            b'n' => Kind::Null,
            b'-' | b'0'..=b'9' => Kind::Number,
            _ => return None,
        })
    }

    /// Skips one complete value and returns its raw text.
    pub(crate) fn raw_value(&mut self) -> Result<&'a str, DecodeError> {
        self.skip_ws();
        let start = self.pos;
        self.skip_value(0)?;
        self.text
            .get(start..self.pos)
            .ok_or(DecodeError::InvalidJson)
    }

    fn skip_value(&mut self, depth: usize) -> Result<(), DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::JsonTooDeep);
        }
        match self.peek_kind().ok_or(DecodeError::InvalidJson)? {
            Kind::Object => {
                self.pos += 1;
                if self.eat(b'}') {
                    return Ok(());
                }
                loop {
                    self.skip_ws();
                    self.skip_string()?;
                    self.expect(b':')?;
                    self.skip_value(depth + 1)?;
                    if self.eat(b'}') {
                        return Ok(());
                    }
                    self.expect(b',')?;
                }
            }
            Kind::Array => {
                self.pos += 1;
                if self.eat(b']') {
                    return Ok(());
                }
                loop {
                    self.skip_value(depth + 1)?;
                    if self.eat(b']') {
                        return Ok(());
                    }
                    self.expect(b',')?;
                }
            }
            Kind::String => self.skip_string(),
            Kind::Bool | Kind::Null => {
                for word in ["true", "false", "null"] {
                    if self
                        .bytes()
                        .get(self.pos..)
                        .is_some_and(|rest| rest.starts_with(word.as_bytes()))
                    {
                        self.pos += word.len();
                        return Ok(());
                    }
                }
                Err(DecodeError::InvalidJson)
            }
            Kind::Number => self.number().map(|_| ()),
        }
    }

    /// Reads a number and returns its text.
    pub(crate) fn number(&mut self) -> Result<&'a str, DecodeError> {
        self.skip_ws();
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |s: &mut Self| {
            let from = s.pos;
            while let Some(b'0'..=b'9') = s.peek() {
                s.pos += 1;
            }
            s.pos > from
        };
        // The integer part is `0` or starts with 1-9: JSON has no leading zeros (`01`, `-00`).
        if self.peek() == Some(b'0') {
            self.pos += 1;
            if let Some(b'0'..=b'9') = self.peek() {
                return Err(DecodeError::InvalidJson);
            }
        } else if !digits(self) {
            return Err(DecodeError::InvalidJson);
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(DecodeError::InvalidJson);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(DecodeError::InvalidJson);
            }
        }
        self.text
            .get(start..self.pos)
            .ok_or(DecodeError::InvalidJson)
    }

    /// Reads a non-negative integer that fits in a `u64`.
    pub(crate) fn unsigned(&mut self) -> Result<u64, DecodeError> {
        let text = self.number()?;
        text.parse().map_err(|_| DecodeError::InvalidJson)
    }

    fn skip_string(&mut self) -> Result<(), DecodeError> {
        if self.peek() != Some(b'"') {
            return Err(DecodeError::InvalidJson);
        }
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err(DecodeError::InvalidJson),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.skip_escape()?;
                }
                Some(c) if c < 0x20 => return Err(DecodeError::InvalidJson),
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Skips what follows a backslash: one of `"\/bfnrt`, or `u` and four hex digits. (A lone
    /// surrogate such as `\ud800` passes, as it does for `JSON.parse`; [`Scanner::string`]
    /// rejects it when it has to build a Rust string.)
    fn skip_escape(&mut self) -> Result<(), DecodeError> {
        match self.peek() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.pos += 1,
            Some(b'u') => {
                self.pos += 1;
                for _ in 0..4 {
                    if !self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                        return Err(DecodeError::InvalidJson);
                    }
                    self.pos += 1;
                }
            }
            _ => return Err(DecodeError::InvalidJson),
        }
        Ok(())
    }

    /// Reads a string and returns its unescaped content.
    pub(crate) fn string(&mut self) -> Result<String, DecodeError> {
        self.skip_ws();
        let start = self.pos + 1;
        self.skip_string()?;
        let raw = self
            .text
            .get(start..self.pos.saturating_sub(1))
            .ok_or(DecodeError::InvalidJson)?;
        if !raw.contains('\\') {
            return Ok(raw.to_owned());
        }
        unescape(raw)
    }

    /// Walks the members of an object, calling `member` with each key; `member` must consume
    /// the value (with [`Scanner::raw_value`] to skip it).
    pub(crate) fn object(
        &mut self,
        mut member: impl FnMut(&str, &mut Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.expect(b'{')?;
        if self.eat(b'}') {
            return Ok(());
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            member(&key, self)?;
            if self.eat(b'}') {
                return Ok(());
            }
            self.expect(b',')?;
        }
    }
}

/// Walks every value of `text`, calling `found` with the `num` of each binary placeholder
/// object (`{"_placeholder":true,"num":N}`), and checks that `text` is one well-formed value.
pub(crate) fn placeholders(
    text: &str,
    mut found: impl FnMut(u64) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let mut scanner = Scanner::new(text);
    walk(&mut scanner, 0, &mut found)?;
    if scanner.at_end() {
        Ok(())
    } else {
        Err(DecodeError::TrailingData)
    }
}

fn walk(
    s: &mut Scanner<'_>,
    depth: usize,
    found: &mut impl FnMut(u64) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError::JsonTooDeep);
    }
    match s.peek_kind() {
        Some(Kind::Object) => {
            let (mut is_placeholder, mut num) = (false, None);
            s.object(|key, s| {
                match (key, s.peek_kind()) {
                    ("_placeholder", Some(Kind::Bool)) => is_placeholder = s.raw_value()? == "true",
                    ("num", Some(Kind::Number)) => num = Some(s.number()?),
                    _ => walk(s, depth + 1, found)?,
                }
                Ok(())
            })?;
            if is_placeholder {
                let index = num
                    .and_then(|n| n.parse().ok())
                    .ok_or(DecodeError::BadPlaceholder)?;
                found(index)?;
            }
            Ok(())
        }
        Some(Kind::Array) => {
            s.expect(b'[')?;
            if s.eat(b']') {
                return Ok(());
            }
            loop {
                walk(s, depth + 1, found)?;
                if s.eat(b']') {
                    return Ok(());
                }
                s.expect(b',')?;
            }
        }
        _ => s.raw_value().map(|_| ()),
    }
}

/// The kind of a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Bool,
    Null,
    Number,
}

fn unescape(raw: &str) -> Result<String, DecodeError> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next().ok_or(DecodeError::InvalidJson)? {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            '/' => out.push('/'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let mut unit = hex4(&mut chars)?;
                if (0xD800..0xDC00).contains(&unit) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if chars.next() != Some('\\') || chars.next() != Some('u') {
                        return Err(DecodeError::InvalidJson);
                    }
                    let low = hex4(&mut chars)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(DecodeError::InvalidJson);
                    }
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                }
                out.push(char::from_u32(unit).ok_or(DecodeError::InvalidJson)?);
            }
            _ => return Err(DecodeError::InvalidJson),
        }
    }
    Ok(out)
}

fn hex4(chars: &mut core::str::Chars<'_>) -> Result<u32, DecodeError> {
    let mut value = 0;
    for _ in 0..4 {
        let digit = chars
            .next()
            .and_then(|c| c.to_digit(16))
            .ok_or(DecodeError::InvalidJson)?;
        value = value * 16 + digit;
    }
    Ok(value)
}

/// Writes `s` as a JSON string literal (with quotes) into `out`.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                let n = c as usize;
                for nibble in [n >> 4, n & 0xf] {
                    out.push(HEX.get(nibble).map_or('0', |&h| h as char));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Checks that `text` is exactly one well-formed JSON value.
pub(crate) fn validate(text: &str) -> Result<(), DecodeError> {
    let mut scanner = Scanner::new(text);
    scanner.raw_value()?;
    if scanner.at_end() {
        Ok(())
    } else {
        Err(DecodeError::TrailingData)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_values() {
        for ok in [
            "{}",
            "[]",
            r#"{"a":[1,2.5e-3,"x\"y",true,null,{}]}"#,
            " 1 ",
            r#""\u00e9""#,
        ] {
            assert_eq!(validate(ok), Ok(()), "{ok}");
        }
        for bad in [
            "", "{", "[1,]", "{\"a\"}", "tru", "01x", "\"abc", "[1] 2", "-", "1.", "{1:2}",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rejects_deep_nesting_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert_eq!(validate(&deep), Err(DecodeError::JsonTooDeep));
    }

    #[test]
    fn unescapes_strings_and_surrogate_pairs() {
        let mut s = Scanner::new(r#""a\n\"\u00e9\ud83d\ude00""#);
        assert_eq!(s.string().unwrap(), "a\n\"é😀");
        assert!(Scanner::new(r#""\ud83d""#).string().is_err());
    }

    #[test]
    fn writes_escaped_strings() {
        let mut out = String::new();
        write_string(&mut out, "a\"b\\c\nd\u{1}");
        assert_eq!(out, r#""a\"b\\c\nd\u0001""#);
    }
}
