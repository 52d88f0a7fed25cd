//! Every deadline of the core in one table keyed by why it is set ([`Wake`]), as quinn's
//! `TimerTable` does: no timer objects, the earliest entry is the next wake-up, and a wake-up
//! says what it is for. Each layer keeps its entries (the Manager its open timeout and
//! reconnection delay, the engine its heartbeat and request deadlines); the acks' earliest
//! deadline comes from their heap. [`super::Manager::next_wake`] folds them.

use super::time::Instant;

/// Why the core wants to be woken up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Wake {
    /// The Manager's `timeout`: the connection attempt fails with `Error("timeout")`.
    OpenTimeout,
    /// The reconnection delay ends: the next attempt starts.
    ReconnectDelay,
    /// No ping within `pingInterval + pingTimeout`: "ping timeout".
    Heartbeat,
    /// The polling GET in flight passed `requestTimeout`.
    PollRequest,
    /// The polling POST in flight passed `requestTimeout`.
    PostRequest,
    /// The earliest ack deadline (`timeout(ms)`, `ackTimeout`) of a namespace socket.
    AckDeadline,
}

impl Wake {
    /// Every kind, in table order.
    const ALL: [Self; 6] = [
        Self::OpenTimeout,
        Self::ReconnectDelay,
        Self::Heartbeat,
        Self::PollRequest,
        Self::PostRequest,
        Self::AckDeadline,
    ];

    /// A short name for logs and test messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OpenTimeout => "open timeout",
            Self::ReconnectDelay => "reconnect delay",
            Self::Heartbeat => "heartbeat",
            Self::PollRequest => "poll request",
            Self::PostRequest => "post request",
            Self::AckDeadline => "ack deadline",
        }
    }
}

/// Deadlines by [`Wake`]; a layer only uses its own kinds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Timers([Option<Instant>; Wake::ALL.len()]);

impl Timers {
    /// Sets (or, with `None`, clears) the deadline of `wake`.
    pub(crate) fn set(&mut self, wake: Wake, at: Option<Instant>) {
        if let Some(slot) = self.0.get_mut(wake as usize) {
            *slot = at;
        }
    }

    /// The deadline of `wake`.
    pub(crate) fn get(&self, wake: Wake) -> Option<Instant> {
        self.0.get(wake as usize).copied().flatten()
    }

    /// Clears `wake` and returns true when its deadline is at or before `now`.
    pub(crate) fn expire(&mut self, wake: Wake, now: Instant) -> bool {
        let due = self.get(wake).is_some_and(|at| at <= now);
        if due {
            self.set(wake, None);
        }
        due
    }

    /// Clears every deadline.
    pub(crate) fn clear(&mut self) {
        self.0 = Default::default();
    }

    /// The earliest deadline and why.
    pub(crate) fn next(&self) -> Option<(Instant, Wake)> {
        Wake::ALL
            .iter()
            .filter_map(|&wake| Some((self.get(wake)?, wake)))
            .min()
    }
}

/// The earlier of two wake-ups.
pub(crate) fn sooner(
    a: Option<(Instant, Wake)>,
    b: Option<(Instant, Wake)>,
) -> Option<(Instant, Wake)> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earliest_entry_wakes_and_says_why() {
        let mut timers = Timers::default();
        assert_eq!(timers.next(), None);
        timers.set(Wake::Heartbeat, Some(Instant::from_millis(50)));
        timers.set(Wake::PollRequest, Some(Instant::from_millis(20)));
        assert_eq!(
            timers.next(),
            Some((Instant::from_millis(20), Wake::PollRequest))
        );
        assert!(!timers.expire(Wake::Heartbeat, Instant::from_millis(49)));
        assert!(timers.expire(Wake::PollRequest, Instant::from_millis(20)));
        assert_eq!(timers.get(Wake::PollRequest), None);
        assert_eq!(
            timers.next(),
            Some((Instant::from_millis(50), Wake::Heartbeat))
        );
        timers.clear();
        assert_eq!(timers.next(), None);
    }
}
