//! Exponential backoff with jitter, by the official formula (PROTOCOL.md §1.5):
//! `ms = min · 2^attempts`, then `± floor(r · jitter · ms)` by a coin from the same `r`,
//! capped at `max`.

use core::time::Duration;

use super::rng::Rng;

/// Reconnection delays; `attempts` counts the delays handed out since the last reset.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    pub(crate) min_ms: u64,
    pub(crate) max_ms: u64,
    pub(crate) jitter: f64,
    pub(crate) attempts: u32,
}

impl Backoff {
    pub(crate) fn new(min_ms: u64, max_ms: u64, jitter: f64) -> Self {
        Self {
            min_ms,
            max_ms,
            jitter,
            attempts: 0,
        }
    }

    /// The next delay; counts an attempt.
    pub(crate) fn duration(&mut self, rng: &mut Rng) -> Duration {
        let exp = pow2(self.attempts.min(1023));
        self.attempts = self.attempts.saturating_add(1);
        let mut ms = self.min_ms as f64 * exp;
        if self.jitter > 0.0 {
            let r = rng.next_f64();
            let deviation = floor(r * self.jitter * ms);
            ms = if ((r * 10.0) as u64) & 1 == 0 {
                ms - deviation
            } else {
                ms + deviation
            };
        }
        let ms = ms.min(self.max_ms as f64).max(0.0);
        Duration::from_millis(ms as u64)
    }

    pub(crate) fn reset(&mut self) {
        self.attempts = 0;
    }
}

/// 2^`n` for `n` up to 1023, exactly (`f64::powi` is std-only).
fn pow2(n: u32) -> f64 {
    f64::from_bits((1023 + u64::from(n.min(1023))) << 52)
}

/// `x.floor()` for `x >= 0` (`f64::floor` is std-only): from 2^52 up every f64 is an integer.
fn floor(x: f64) -> f64 {
    if x < 4_503_599_627_370_496.0 {
        (x as u64) as f64
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_within_the_official_bounds() {
        let mut rng = Rng::new(7);
        for _ in 0..1000 {
            let mut backoff = Backoff::new(1000, 5000, 0.5);
            let bounds = [
                (500, 1500),
                (1000, 3000),
                (2000, 5000),
                (4000, 5000),
                (5000, 5000),
            ];
            for (lo, hi) in bounds {
                let d = backoff.duration(&mut rng).as_millis() as u64;
                assert!((lo..=hi).contains(&d), "{d} not in {lo}..={hi}");
            }
        }
    }

    #[test]
    fn without_jitter_doubles_then_caps() {
        let mut rng = Rng::new(1);
        let mut backoff = Backoff::new(100, 1000, 0.0);
        let delays: Vec<_> = (0..6)
            .map(|_| backoff.duration(&mut rng).as_millis())
            .collect();
        assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
        backoff.reset();
        assert_eq!(backoff.duration(&mut rng).as_millis(), 100);
    }

    #[test]
    fn pow2_and_floor_match_std() {
        for n in [0, 1, 10, 52, 53, 64, 1000, 1023] {
            assert_eq!(pow2(n), 2f64.powi(n as i32));
        }
        for x in [0.0, 0.4, 1.0, 2.9, 12345.678, 4.5e15, 9.1e15, 1e300] {
            assert_eq!(floor(x), x.floor());
        }
    }
}
