//! The Manager's options (PROTOCOL.md §1.2) and their setters (`reconnection(v)`,
//! `reconnectionDelay(ms)`, ...), which act on the next attempt.

use core::time::Duration;

use super::Manager;
use crate::client::engine::EngineConfig;
use crate::client::time::whole_millis;
use crate::protocol::socket::DEFAULT_MAX_ATTACHMENTS;

/// Manager options, with socket.io-client's defaults (PROTOCOL.md §1.2).
#[derive(Debug, Clone, PartialEq)]
pub struct ManagerConfig {
    /// The Engine.IO options.
    pub engine: EngineConfig,
    /// Reconnect automatically (default true).
    pub reconnection: bool,
    /// Give up after this many attempts (default unlimited).
    pub reconnection_attempts: u32,
    /// The first delay (default 1000 ms).
    pub reconnection_delay: Duration,
    /// The largest delay (default 5000 ms).
    pub reconnection_delay_max: Duration,
    /// Jitter, 0 to 1 (default 0.5).
    pub randomization_factor: f64,
    /// How long one connection attempt may take before `Error("timeout")` (default 20 s;
    /// `None` disables it).
    pub timeout: Option<Duration>,
    /// The most binary attachments accepted in one packet (default 10).
    pub max_attachments: usize,
    /// Check that the JSON of every EVENT without attachments is well-formed before it is
    /// delivered (default true). A caller that parses every event's JSON anyway, as the
    /// JavaScript face's `JSON.parse` does, turns this off and reports one that does not parse
    /// with [`Manager::malformed`]: the connection then closes with "parse error", as when
    /// the check fails here.
    pub check_event_json: bool,
    /// Beyond the official client: when the browser comes back `online` during a reconnection
    /// delay, try at once instead of waiting the delay out (default true).
    pub reconnect_on_online: bool,
    /// Beyond the official client: while the browser is offline, hold the next reconnection
    /// attempt until it is back `online` instead of spending `reconnection_attempts` on a
    /// network that is not there (default true).
    pub pause_reconnect_while_offline: bool,
    /// Beyond the official client: when the page becomes visible again (`visibilitychange`,
    /// `pageshow`) or resumes after being frozen (`resume`) during a reconnection delay, try
    /// at once (default true).
    pub reconnect_on_visible: bool,
    /// Beyond the official client: while the page is hidden, hold the next reconnection
    /// attempt until it is visible again (default false: a hidden chat still reconnects).
    pub pause_reconnect_while_hidden: bool,
    /// Beyond the official client: on `pagehide` with `persisted` (the page goes into the
    /// back/forward cache), close the connection as if the network went away, so the page can
    /// enter the cache and emits are buffered; hold reconnection while it is there, and
    /// reconnect at once on `pageshow` (default true).
    pub close_on_page_hide: bool,
    /// Beyond the official client (opt-in): keep each namespace's recoverable session in the
    /// tab's storage when the page unloads, and recover it after the reload (default false).
    pub recover_after_reload: bool,
    /// Beyond the official client (opt-in): keep the emits that wait (buffered while
    /// disconnected, or waiting for their `retries` ack) in storage that survives a reload,
    /// and send them after it, once and in order (`client/outbox.rs`; default false).
    pub persist_outbox: bool,
}

impl Default for ManagerConfig {
    fn default() -> Self {
        Self {
            engine: EngineConfig::default(),
            reconnection: true,
            reconnection_attempts: u32::MAX,
            reconnection_delay: Duration::from_millis(1000),
            reconnection_delay_max: Duration::from_millis(5000),
            randomization_factor: 0.5,
            timeout: Some(Duration::from_millis(20_000)),
            max_attachments: DEFAULT_MAX_ATTACHMENTS,
            check_event_json: true,
            reconnect_on_online: true,
            pause_reconnect_while_offline: true,
            reconnect_on_visible: true,
            pause_reconnect_while_hidden: false,
            close_on_page_hide: true,
            recover_after_reload: false,
            persist_outbox: false,
        }
    }
}

impl Manager {
    /// The options in force.
    pub fn config(&self) -> &ManagerConfig {
        &self.config
    }

    /// `reconnection(bool)`. Turning it off also stops a loop under way: the attempt due next
    /// is not made (the official `skipReconnect`).
    pub fn set_reconnection(&mut self, on: bool) {
        self.config.reconnection = on;
        if !on {
            self.skip_reconnect = true;
        }
    }

    /// `reconnectionAttempts(n)`.
    pub fn set_reconnection_attempts(&mut self, n: u32) {
        self.config.reconnection_attempts = n;
    }

    /// `reconnectionDelay(ms)`.
    pub fn set_reconnection_delay(&mut self, d: Duration) {
        self.config.reconnection_delay = d;
        self.backoff.min_ms = whole_millis(d);
    }

    /// `reconnectionDelayMax(ms)`.
    pub fn set_reconnection_delay_max(&mut self, d: Duration) {
        self.config.reconnection_delay_max = d;
        self.backoff.max_ms = whole_millis(d);
    }

    /// `randomizationFactor(f)`.
    pub fn set_randomization_factor(&mut self, f: f64) {
        self.config.randomization_factor = f;
        self.backoff.jitter = f;
    }

    /// `timeout(ms)` (`None` disables it), from the next attempt on.
    pub fn set_timeout(&mut self, t: Option<Duration>) {
        self.config.timeout = t;
    }
}
