//! Time as the sans-IO core sees it: whole milliseconds since the driver started, always given
//! from outside (the browser's `performance.now()`, or a virtual clock in tests).

use core::ops::Add;
use core::time::Duration;

/// A point in time, in whole milliseconds since the driver's epoch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(u64);

impl Instant {
    /// The instant `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms)
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// How long after `earlier` this is (zero if it is not later).
    pub fn saturating_since(self, earlier: Self) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for Instant {
    type Output = Self;

    fn add(self, rhs: Duration) -> Self {
        Self(self.0.saturating_add(whole_millis(rhs)))
    }
}

/// The whole milliseconds of `d`, saturating at `u64::MAX`. Not `Duration::as_millis`: its
/// `u128` product and its conversion to `u64` are calls into compiler-builtins on wasm32
/// (`__multi3`, and `__floatuntidf` for an `f64`) at every call site.
pub fn whole_millis(d: Duration) -> u64 {
    let secs = d.as_secs();
    if secs > (u64::MAX - 999) / 1000 {
        return u64::MAX;
    }
    secs * 1000 + u64::from(d.subsec_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_millis_matches_as_millis_and_saturates() {
        let max_exact = (u64::MAX - 999) / 1000;
        for d in [
            Duration::ZERO,
            Duration::from_nanos(999_999),
            Duration::from_millis(1_234),
            Duration::new(max_exact, 999_999_999),
        ] {
            assert_eq!(u128::from(whole_millis(d)), d.as_millis());
        }
        assert_eq!(whole_millis(Duration::new(max_exact + 1, 0)), u64::MAX);
        assert_eq!(whole_millis(Duration::MAX), u64::MAX);
    }
}
