//! What the page and the network do to the connection: `online`/`offline`, the page's
//! visibility, freezing and the back/forward cache, and unloading. The browser layer reports
//! them; every decision they lead to is made here, for both faces.
//!
//! A reconnection attempt that comes due while something holds it (offline with
//! `pause_reconnect_while_offline`, hidden with `pause_reconnect_while_hidden`, or in the
//! back/forward cache) is *held*, not made and not counted; the input that ends the last hold
//! makes it at once. An input that says the page is running again (visible, shown, resumed)
//! also cuts a backoff delay short when `reconnect_on_visible` is on, as `online` does with
//! `reconnect_on_online`. A page that unloads (`pagehide` without `persisted`) keeps its
//! sessions for a reload when `recover_after_reload` is on (`session.rs`).

use super::Manager;
use crate::client::time::Instant;
use crate::client::timer::Wake;

/// A change in the page's lifecycle, as the browser reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageEvent {
    /// `visibilitychange` to `hidden`.
    Hidden,
    /// `visibilitychange` to `visible`.
    Visible,
    /// `resume` on the document: the page was frozen and runs again.
    Resumed,
    /// `pagehide`; `persisted`: the page is going into the back/forward cache.
    PageHide {
        /// The page may be restored from the cache (`PageTransitionEvent.persisted`).
        persisted: bool,
    },
    /// `pageshow`; `persisted`: the page was restored from the back/forward cache.
    PageShow {
        /// The page came out of the cache (`PageTransitionEvent.persisted`).
        persisted: bool,
    },
}

impl Manager {
    /// The browser's network state changed (`online`/`offline` events, or `navigator.onLine`
    /// at start). Going offline closes the connection like the official client; coming back
    /// online resumes a held or pending reconnection at once (see the config options).
    pub fn handle_network(&mut self, now: Instant, online: bool) {
        self.tick(now);
        let was_offline = self.offline;
        self.offline = !online;
        if !online {
            if let Some(engine) = self.engine.as_mut() {
                engine.lose_network();
            }
        } else if was_offline && self.retry_now(self.config.reconnect_on_online) {
            self.handle_timeout(now);
            return;
        }
        self.drain(now);
    }

    /// The page's lifecycle changed (see [`PageEvent`] and the `*_visible`, `*_hidden` and
    /// `close_on_page_hide` options of [`ManagerConfig`](super::ManagerConfig)).
    pub fn handle_page(&mut self, now: Instant, event: PageEvent) {
        self.tick(now);
        match event {
            PageEvent::Hidden => self.hidden = true,
            PageEvent::PageHide { persisted: true } if self.config.close_on_page_hide => {
                self.in_page_cache = true;
                if let Some(engine) = self.engine.as_mut() {
                    engine.leave_for_page_cache();
                }
            }
            PageEvent::PageHide { persisted: false } => self.save_sessions(),
            PageEvent::PageHide { persisted: true } => {}
            PageEvent::Visible | PageEvent::Resumed | PageEvent::PageShow { .. } => {
                let was_cached = core::mem::take(&mut self.in_page_cache);
                self.hidden = false;
                if self.retry_now(self.config.reconnect_on_visible || was_cached) {
                    self.handle_timeout(now);
                    return;
                }
            }
        }
        self.drain(now);
    }

    /// The page is unloading (`closeOnBeforeunload`): drop the connection silently.
    pub fn handle_unload(&mut self, now: Instant) {
        self.tick(now);
        self.skip_reconnect = true;
        self.reconnecting = false;
        self.timers.clear();
        if let Some(engine) = self.engine.as_mut() {
            engine.abandon();
        }
        self.take_engine();
        self.state = super::ReadyState::Closed;
    }

    /// Whether a reconnection attempt due now must wait: offline, hidden or in the page
    /// cache, as the options say.
    pub(super) fn must_hold(&self) -> bool {
        (self.offline && self.config.pause_reconnect_while_offline)
            || (self.hidden && self.config.pause_reconnect_while_hidden)
            || self.in_page_cache
    }

    /// After an input that may end a hold or a wait: when a reconnection attempt is waiting
    /// (held, or in its backoff delay; not one under way) and nothing holds it any more, makes
    /// it due now (returns true: the caller runs [`Manager::handle_timeout`]) if it was held,
    /// or if `cut_delay` says to skip the rest of the delay.
    fn retry_now(&mut self, cut_delay: bool) -> bool {
        let waiting = self.held || self.timers.get(Wake::ReconnectDelay).is_some();
        if !waiting || !self.reconnecting || self.skip_reconnect || self.must_hold() {
            return false;
        }
        let held = core::mem::take(&mut self.held);
        if held || cut_delay {
            self.timers.set(Wake::ReconnectDelay, Some(self.last_now));
            return true;
        }
        false
    }
}
