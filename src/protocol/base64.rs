//! Standard base64 (RFC 4648, with padding), for binary packets inside polling payloads.
//! Small and table-driven instead of a dependency: every byte of the wasm counts.

use super::error::DecodeError;
use crate::prelude::*;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends the base64 encoding of `bytes` to `out`.
pub fn encode(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    let sym = |n: u32| ALPHABET.get((n & 63) as usize).map_or('A', |&b| b as char);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        out.push(if chunk.len() > 1 { sym(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { sym(n) } else { '=' });
    }
}

fn value(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// Decodes base64 text (padding optional, no white space).
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let trimmed = super::text::trim_end_byte(text, b'=');
    let padding = text.len() - trimmed.len();
    // Padding, when present, completes the last group of four: `Zg==` and `Zg` pass, `Zg=`
    // and `Zm9v=` do not.
    if padding > 2 || trimmed.len() % 4 == 1 || (padding > 0 && !text.len().is_multiple_of(4)) {
        return Err(DecodeError::InvalidBase64);
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    for chunk in trimmed.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c).ok_or(DecodeError::InvalidBase64)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend(bytes.iter().skip(1).take(chunk.len() - 1));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rfc4648_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut out = String::new();
            encode(plain.as_bytes(), &mut out);
            assert_eq!(out, coded);
            assert_eq!(decode(coded).unwrap(), plain.as_bytes());
        }
        assert_eq!(decode("AQIDBA==").unwrap(), [1, 2, 3, 4]);
    }

    #[test]
    fn rejects_bad_input() {
        for bad in ["A", "A===", "AB$=", "ABCDE", "Zg=", "Zm9v=", "Zm9vYg=", "="] {
            assert_eq!(decode(bad), Err(DecodeError::InvalidBase64), "{bad}");
        }
    }
}
