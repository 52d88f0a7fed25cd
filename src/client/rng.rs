//! A small seeded random number generator (SplitMix64). The driver seeds it once
//! (`crypto.getRandomValues` in the browser); tests fix the seed so runs repeat exactly.

use crate::prelude::*;
/// A deterministic pseudo-random generator; not for cryptography.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1), like `Math.random()`.
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Appends `len` characters of base-36 noise (a cache-buster like the official `t=`).
    pub(crate) fn push_token(&mut self, out: &mut String, len: usize) {
        const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut bits = self.next_u64();
        for _ in 0..len {
            out.push(
                DIGITS
                    .get((bits % 36) as usize)
                    .map_or('0', |&d| char::from(d)),
            );
            bits /= 36;
        }
    }
}
