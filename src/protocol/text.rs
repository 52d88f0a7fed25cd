//! Small text helpers for the decoders, URL resolution and message building: byte scans and
//! decimal parsing that stay out of core's generic `str` pattern search (`StrSearcher`, two-way
//! search) and `from_str_radix`, which cost kilobytes of wasm for inputs that are short and
//! ASCII-delimited.

use crate::prelude::*;

/// The decimal number `text` spells: one or more ASCII digits (no sign), `None` when empty,
/// when another byte occurs or when it overflows a `u64`. Same results as `str::parse::<u64>`
/// on sign-less input.
#[inline(never)]
pub(crate) fn parse_digits(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for b in text.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        // Not `checked_mul`: on wasm32 its overflow check is a 128-bit multiply
        // (compiler-builtins' `__multi3`).
        let digit = u64::from(b - b'0');
        if n > u64::MAX / 10 || (n == u64::MAX / 10 && digit > u64::MAX % 10) {
            return None;
        }
        n = n * 10 + digit;
    }
    Some(n)
}

/// `text` without the ASCII `byte`s at its end (`str::trim_end_matches` with a `char` pattern
/// decodes UTF-8 backwards, which costs its own code in the wasm).
pub(crate) fn trim_end_byte(text: &str, byte: u8) -> &str {
    let end = text.bytes().rposition(|b| b != byte).map_or(0, |i| i + 1);
    text.get(..end).unwrap_or(text)
}

/// Whether `list` holds `n`: a plain loop, for short lists. `<[u64]>::contains` is unrolled
/// for long ones (172 B of wasm for two callers whose lists hold a few numbers).
#[allow(clippy::manual_contains)]
pub(crate) fn holds(list: &[u64], n: u64) -> bool {
    list.iter().any(|x| *x == n)
}

/// The index of the first `byte` (ASCII) in `text`.
pub(crate) fn find_byte(text: &str, byte: u8) -> Option<usize> {
    text.bytes().position(|b| b == byte)
}

/// `text` split around its first `byte` (ASCII), which neither part keeps.
#[inline(never)]
pub(crate) fn split_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = find_byte(text, byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `text` split around its first occurrence of `sep` (ASCII), as `str::split_once(sep)` does
/// (an empty `sep` splits off nothing at the start).
#[inline(never)]
pub(crate) fn split_seq<'t>(text: &'t str, sep: &[u8]) -> Option<(&'t str, &'t str)> {
    if sep.is_empty() {
        return Some(("", text)); // `windows(0)` would panic
    }
    let at = text.as_bytes().windows(sep.len()).position(|w| w == sep)?;
    Some((text.get(..at)?, text.get(at + sep.len()..)?))
}

/// The parts joined, as `[..].concat()` does, without its generic `join_generic_copy`.
#[inline(never)]
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_digits_matches_str_parse_on_unsigned_input() {
        for text in [
            "",
            "0",
            "007",
            "42",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "1a",
            "-1",
            "+1",
            " 1",
            "1.5",
        ] {
            let expected = if text.starts_with('+') {
                None
            } else {
                text.parse::<u64>().ok()
            };
            assert_eq!(parse_digits(text), expected, "{text:?}");
        }
    }

    #[test]
    fn trim_end_byte_matches_trim_end_matches() {
        for text in ["", "/", "///", "/a/", "a//", "é/", "/é"] {
            assert_eq!(
                trim_end_byte(text, b'/'),
                text.trim_end_matches('/'),
                "{text:?}"
            );
        }
    }

    #[test]
    fn trim_ws_start_trims_json_white_space_only() {
        use crate::protocol::json::trim_ws_start;
        assert_eq!(trim_ws_start(" \t\r\n[1] "), "[1] ");
        assert_eq!(trim_ws_start("\u{a0}[1]"), "\u{a0}[1]");
        assert_eq!(trim_ws_start("   "), "");
    }

    #[test]
    fn splits_match_str_split_once() {
        for text in [
            "",
            "a",
            "a?b",
            "?",
            "a?b?c",
            "é?ü",
            "a://b://c",
            "a:/b",
            "://",
        ] {
            assert_eq!(split_byte(text, b'?'), text.split_once('?'), "{text:?}");
            assert_eq!(split_seq(text, b"://"), text.split_once("://"), "{text:?}");
            assert_eq!(split_seq(text, b"//"), text.split_once("//"), "{text:?}");
            assert_eq!(split_seq(text, b""), text.split_once(""), "{text:?}");
        }
    }

    #[test]
    fn concat_matches_slice_concat() {
        for parts in [&[][..], &[""], &["a"], &["a", "", "é", "//"]] {
            assert_eq!(concat(parts), parts.concat());
        }
    }
}
