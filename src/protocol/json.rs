//! A small, panic-free JSON scanner for the few places the core must look inside JSON text: the
//! Engine.IO handshake, the CONNECT reply, CONNECT_ERROR, an event's name, and binary placeholders.
//!
//! It validates structure as it goes but never builds a value tree: payloads stay opaque text
//! and are parsed by the edge that knows the value model (`JSON.parse` in JavaScript, serde in
//! Rust). Never touches I/O.

use crate::prelude::*;
use alloc::borrow::Cow;

use super::error::DecodeError;
use super::text::find_byte;

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
        self.pos = skip_ws(self.bytes(), self.pos);
    }

    /// Consumes `byte` after optional white space, or fails.
    pub(crate) fn expect(&mut self, byte: u8) -> Result<(), DecodeError> {
        self.skip_ws();
        if self.peek().is_some_and(|b| b == byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(DecodeError::InvalidJson)
        }
    }

    /// Consumes `byte` after optional white space if it is next.
    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        if self.peek().is_some_and(|b| b == byte) {
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
        self.pos = scan_value(self.text, start, None)?;
        self.text
            .get(start..self.pos)
            .ok_or(DecodeError::InvalidJson)
    }

    fn skip_string(&mut self) -> Result<(), DecodeError> {
        if !matches!(self.peek(), Some(b'"')) {
            return Err(DecodeError::InvalidJson);
        }
        self.pos = skip_string(self.bytes(), self.pos).ok_or(DecodeError::InvalidJson)?;
        Ok(())
    }

    /// Reads a string and returns its unescaped content.
    pub(crate) fn string(&mut self) -> Result<String, DecodeError> {
        self.str().map(Cow::into_owned)
    }

    /// Reads a string and returns its unescaped content, borrowed when it has no escapes.
    pub(crate) fn str(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        self.skip_ws();
        let start = self.pos + 1;
        self.skip_string()?;
        let raw = self
            .text
            .get(start..self.pos.saturating_sub(1))
            .ok_or(DecodeError::InvalidJson)?;
        if find_byte(raw, b'\\').is_none() {
            return Ok(Cow::Borrowed(raw));
        }
        unescape(raw).map(Cow::Owned)
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
    let end = scan_value(text, 0, Some(&mut found))?;
    if skip_ws(text.as_bytes(), end) == text.len() {
        Ok(())
    } else {
        Err(DecodeError::TrailingData)
    }
}

// The helpers below test bytes with `matches!` / `if let` rather than `== Some(&b)`: at
// opt-level "z" the `Option` comparison stays an out-of-line call in wasm.

/// Skips JSON white space from `i`.
#[inline]
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// `text` without its leading JSON white space (`str::trim_start` trims Unicode's, with a
/// table and a UTF-8 decoder in the wasm).
pub(crate) fn trim_ws_start(text: &str) -> &str {
    text.get(skip_ws(text.as_bytes(), 0)..).unwrap_or(text)
}

/// Skips the string whose opening quote is at `i`; returns the index after its closing quote.
/// (The helpers return `Option`, which travels in registers; callers turn `None` into
/// [`DecodeError::InvalidJson`].)
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        // Eight bytes at a time past plain text, then to the byte that ends the string, starts
        // an escape, or is not allowed.
        while let Some(word) = b.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
            if has_special(u64::from_le_bytes(word)) {
                break;
            }
            i += 8;
        }
        i += b
            .get(i..)?
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
        match b.get(i) {
            Some(b'"') => return Some(i + 1),
            Some(b'\\') => i = skip_escape(b, i + 1)?,
            _ => return None,
        }
    }
}

/// Whether one of the eight bytes of `word` is `"`, `\` or a control byte (below 0x20): the
/// bytes a string's scan must stop at. (The classic "has a zero byte" test, for the bytes XOR
/// the quote, XOR the backslash, and for the bytes below 0x20; bytes of 0x80 and above are
/// never flagged.)
fn has_special(word: u64) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    (below(quote, 1) | below(backslash, 1) | below(word, 0x20)) != 0
}

/// Skips what follows a backslash at `i - 1`: one of `"\/bfnrt`, or `u` and four hex digits. (A
/// lone surrogate such as `\ud800` passes, as it does for `JSON.parse`; [`Scanner::string`]
/// rejects it when it has to build a Rust string.)
fn skip_escape(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(i + 1),
        b'u' if b.get(i + 1..i + 5)?.iter().all(u8::is_ascii_hexdigit) => Some(i + 5),
        _ => None,
    }
}

/// Skips ASCII digits from `i`.
#[inline]
fn skip_digits(b: &[u8], mut i: usize) -> usize {
    while let Some(b'0'..=b'9') = b.get(i) {
        i += 1;
    }
    i
}

/// Skips the number that starts at `i`; returns the index after it.
fn skip_number(b: &[u8], mut i: usize) -> Option<usize> {
    if let Some(b'-') = b.get(i) {
        i += 1;
    }
    // The integer part is `0` or starts with 1-9: JSON has no leading zeros (`01`, `-00`).
    i = match b.get(i) {
        Some(b'0') => i + 1,
        Some(b'1'..=b'9') => skip_digits(b, i + 1),
        _ => return None,
    };
    if let Some(b'0'..=b'9') = b.get(i) {
        return None;
    }
    if let Some(b'.') = b.get(i) {
        let end = skip_digits(b, i + 1);
        if end == i + 1 {
            return None;
        }
        i = end;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        let end = skip_digits(b, i);
        if end == i {
            return None;
        }
        i = end;
    }
    Some(i)
}

/// Skips `word` (`true`, `false`, `null`) at `i`.
#[inline]
fn skip_literal(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    (b.get(i..i + word.len())? == word).then_some(i + word.len())
}

/// The member keys that matter to binary placeholders.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Other,
    Placeholder,
    Num,
}

/// Reads an object member's key and its `:`, from `i` (white space allowed around both).
fn member_key(text: &str, i: usize, track: bool) -> Option<(usize, Key)> {
    let b = text.as_bytes();
    let i = skip_ws(b, i);
    if !matches!(b.get(i), Some(b'"')) {
        return None;
    }
    let end = skip_string(b, i)?;
    let mut key = Key::Other;
    if track {
        let raw = text.get(i + 1..end - 1).unwrap_or("");
        // Compared as `JSON.parse` would see them, so an escaped spelling still counts.
        let unescaped;
        let name = if find_byte(raw, b'\\').is_some() {
            unescaped = unescape(raw).unwrap_or_default();
            unescaped.as_str()
        } else {
            raw
        };
        key = match name {
            "_placeholder" => Key::Placeholder,
            "num" => Key::Num,
            _ => Key::Other,
        };
    }
    let i = skip_ws(b, end);
    if !matches!(b.get(i), Some(b':')) {
        return None;
    }
    Some((i + 1, key))
}

/// What is known of the placeholder fields of one open object (the last of each key wins, as
/// with `JSON.parse`).
#[derive(Clone, Copy, Default)]
struct Frame {
    /// `"_placeholder": true`.
    placeholder: bool,
    /// The span of `"num"` when it is a number.
    num: Option<(usize, usize)>,
}

/// The callback of [`placeholders`].
type Found<'f> = &'f mut dyn FnMut(u64) -> Result<(), DecodeError>;

/// Skips the JSON value at `start` (after optional white space) and returns the index just after
/// it. With `found`, calls it with the `num` of every placeholder object as the object closes.
///
/// One loop with an explicit stack instead of recursion: nothing to overflow, and fast both
/// natively and in size-optimised wasm. The stack is a bit per open container (object or
/// array), so nesting stops at [`MAX_DEPTH`] = 128 levels.
fn scan_value(
    text: &str,
    start: usize,
    mut found: Option<Found<'_>>,
) -> Result<usize, DecodeError> {
    let b = text.as_bytes();
    let mut i = start;
    let mut depth = 0;
    let mut objects = 0u128; // bit 0: the innermost open container is an object
    let mut frames: Vec<Frame> = Vec::new(); // one per open object, only with `found`
    let mut key = Key::Other; // the key of the member whose value comes next
    loop {
        // A value.
        i = skip_ws(b, i);
        let c = *b.get(i).ok_or(DecodeError::InvalidJson)?;
        let frame = match found {
            Some(_) if objects & 1 == 1 && depth > 0 => frames.last_mut(),
            _ => None,
        };
        let mut opened = false;
        match c {
            b'{' | b'[' => {
                if depth >= MAX_DEPTH {
                    return Err(DecodeError::JsonTooDeep);
                }
                if let Some(f) = frame {
                    match key {
                        Key::Placeholder => f.placeholder = false,
                        Key::Num => f.num = None,
                        Key::Other => {}
                    }
                }
                depth += 1;
                objects = (objects << 1) | u128::from(c == b'{');
                if c == b'{' && found.is_some() {
                    frames.push(Frame::default());
                }
                i += 1;
                opened = true;
            }
            b'"' => {
                i = skip_string(b, i).ok_or(DecodeError::InvalidJson)?;
                if let Some(f) = frame {
                    match key {
                        Key::Placeholder => f.placeholder = false,
                        Key::Num => f.num = None,
                        Key::Other => {}
                    }
                }
            }
            b't' | b'f' | b'n' => {
                let word: &[u8] = match c {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                i = skip_literal(b, i, word).ok_or(DecodeError::InvalidJson)?;
                if let Some(f) = frame {
                    match key {
                        Key::Placeholder => f.placeholder = c == b't',
                        Key::Num => f.num = None,
                        Key::Other => {}
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let from = i;
                i = skip_number(b, i).ok_or(DecodeError::InvalidJson)?;
                if let Some(f) = frame {
                    match key {
                        Key::Placeholder => f.placeholder = false,
                        Key::Num => f.num = Some((from, i)),
                        Key::Other => {}
                    }
                }
            }
            _ => return Err(DecodeError::InvalidJson),
        }

        // What follows: `,` and the next value, or closers, until a value is due again.
        loop {
            if depth == 0 {
                return Ok(i);
            }
            i = skip_ws(b, i);
            let in_object = objects & 1 == 1;
            match b.get(i) {
                Some(b',') if !opened => {
                    if in_object {
                        (i, key) = member_key(text, i + 1, found.is_some())
                            .ok_or(DecodeError::InvalidJson)?;
                    } else {
                        i += 1;
                    }
                    break;
                }
                Some(b'}') if in_object => {
                    i += 1;
                    if let Some(f) = found.as_mut() {
                        let frame = frames.pop().unwrap_or_default();
                        if frame.placeholder {
                            let num = frame
                                .num
                                .and_then(|(from, to)| text.get(from..to))
                                .and_then(super::text::parse_digits)
                                .ok_or(DecodeError::BadPlaceholder)?;
                            f(num)?;
                        }
                    }
                }
                Some(b']') if !in_object => i += 1,
                _ if opened && in_object => {
                    (i, key) =
                        member_key(text, i, found.is_some()).ok_or(DecodeError::InvalidJson)?;
                    break;
                }
                _ if opened => break,
                _ => return Err(DecodeError::InvalidJson),
            }
            // A container closed.
            depth -= 1;
            objects >>= 1;
            opened = false;
        }
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
    let end = scan_value(text, 0, None)?;
    if skip_ws(text.as_bytes(), end) == text.len() {
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
    fn skips_strings_eight_bytes_at_a_time_as_byte_by_byte() {
        // Where the byte-by-byte scan stops in `b` from `i` (the scan before the word skipping).
        fn naive(b: &[u8], mut i: usize) -> Option<usize> {
            i += 1;
            loop {
                match *b.get(i)? {
                    b'"' => return Some(i + 1),
                    b'\\' => i = skip_escape(b, i + 1)?,
                    c if c < 0x20 => return None,
                    _ => i += 1,
                }
            }
        }
        let specials: [&[u8]; 9] = [
            b"\"",
            b"\\n",
            b"\\u00e9",
            b"\x01",
            b"\x1f",
            b"\\",
            b" ",
            b"\xc3\xa9",
            b"~",
        ];
        for len in 0..40 {
            for at in 0..=len {
                for special in specials {
                    let mut text = vec![b'"'];
                    text.extend(core::iter::repeat_n(b'a', at));
                    text.extend_from_slice(special);
                    text.extend(core::iter::repeat_n(b'b', len - at));
                    text.push(b'"');
                    assert_eq!(
                        skip_string(&text, 0),
                        naive(&text, 0),
                        "{:?}",
                        String::from_utf8_lossy(&text)
                    );
                }
            }
        }
        for byte in 0..=255u8 {
            let word = u64::from_le_bytes([b'a', b'a', b'a', byte, b'a', b'a', b'a', b'a']);
            assert_eq!(
                has_special(word),
                byte == b'"' || byte == b'\\' || byte < 0x20,
                "{byte}"
            );
        }
    }

    #[test]
    fn writes_escaped_strings() {
        let mut out = String::new();
        write_string(&mut out, "a\"b\\c\nd\u{1}");
        assert_eq!(out, r#""a\"b\\c\nd\u0001""#);
    }
}
