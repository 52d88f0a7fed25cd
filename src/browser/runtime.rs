//! The browser driver: owns the sans-IO [`Manager`], the live transports and the one timer.
//! Every input — a transport event (through the [`Inbox`] the transports were given), the
//! timer, a page event, or a user call through the client handle — enters through [`drive`],
//! which borrows the runtime, feeds the input, runs the commands, collects the events,
//! **releases the borrow**, and only then hands the events to the API layer, so listeners may
//! call back into the client freely.

use crate::prelude::*;
use alloc::rc::{Rc, Weak};
use core::cell::RefCell;
use core::sync::atomic::{AtomicBool, Ordering::Relaxed};

use super::imports::{
    global_this, is_online, page_hidden, performance_now, queue_microtask, session_entry,
};
use super::inbox::{Inbox, Source};
use super::listener::Listener;
use super::page::PageWatch;
use super::polling::{HttpOptions, PollingTransport};
use super::storage::OutboxStore;
use super::timer::{Timer, TimerFunctions};
use super::websocket::WebSocketTransport;
use crate::client::{
    Command, Event, Failure, Instant, Manager, NspId, OutboxOp, Output, PageEvent, TransportEvent,
    TransportId,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

/// Where events go once the runtime is released: the JavaScript or the Rust API layer.
pub(crate) type EventSink = Rc<dyn Fn(Vec<Event>, Option<Source<'_>>)>;

/// How a runtime talks to the browser, apart from the Manager's own configuration.
#[derive(Clone, Default)]
pub(crate) struct BrowserOptions {
    /// Cookies and headers of polling requests.
    pub(crate) http: HttpOptions,
    /// WebSocket sub-protocols (`protocols`).
    pub(crate) protocols: js_sys::Array,
    /// `closeOnBeforeunload`: drop the connection silently when the page unloads.
    pub(crate) close_on_beforeunload: bool,
    /// `useNativeTimers`: keep the `setTimeout` the page had when the package loaded.
    pub(crate) native_timers: bool,
}

enum Live {
    WebSocket(WebSocketTransport),
    Polling(PollingTransport),
}

/// A Manager with everything that connects it to the browser.
pub(crate) struct Runtime {
    manager: Manager,
    /// The live transports (two at most, during an upgrade): a list, not a map.
    transports: Vec<(TransportId, Live)>,
    timer: Option<Timer>,
    timer_functions: TimerFunctions,
    epoch: f64,
    options: BrowserOptions,
    sink: EventSink,
    this: Weak<RefCell<Self>>,
    /// Given to every transport: feeds its events back into this runtime.
    inbox: Inbox,
    /// `online`, `offline` and (with `closeOnBeforeunload`) `beforeunload` on the global scope.
    /// Held for their `Drop`, which removes them (the JS face never reads them).
    #[cfg_attr(not(feature = "api"), allow(dead_code))]
    page_listeners: Vec<Listener>,
    /// `visibilitychange`, `resume`, `pagehide` and `pageshow` (held as `page_listeners`).
    #[cfg_attr(not(feature = "api"), allow(dead_code))]
    page_watch: Option<PageWatch>,
    /// The persistent outboxes of the namespaces that keep one.
    outboxes: Vec<(NspId, OutboxStore)>,
    /// A microtask will write the queued WebSocket frames.
    flush_scheduled: bool,
    /// The call under way is the last emit of its batch ([`Runtime::write_at_once`]): its
    /// frames go out and the Manager settles before it returns, with no microtask.
    at_once: bool,
    /// The clock read while that microtask is pending: the rest of the task (an emit loop)
    /// reuses it rather than paying `performance.now()` per call (about 0.4 µs in a
    /// cross-origin isolated page, where Chromium jitters every reading). The microtask
    /// forgets it, so a later task reads the clock afresh.
    task_now: core::cell::Cell<Option<Instant>>,
    /// The microtask that runs [`flush_frames`]: made once, queued once per task that writes.
    /// JavaScript owns it (a microtask still queued when the runtime goes finds it gone).
    flush_frames: JsValue,
}

/// Whether any Manager of this page reached the WebSocket (the official client keeps this in a
/// static too, for `rememberUpgrade`). An atomic only to be a safe `static`: the page has one
/// thread.
static PRIOR_WEBSOCKET_SUCCESS: AtomicBool = AtomicBool::new(false);

impl Runtime {
    /// Wraps `manager`; events are handed to the sink `make_sink` returns, which is given a
    /// weak handle of the runtime (so that the sink can call back without a reference cycle).
    pub(crate) fn new(
        mut manager: Manager,
        options: BrowserOptions,
        make_sink: impl FnOnce(Weak<RefCell<Self>>) -> EventSink,
    ) -> Rc<RefCell<Self>> {
        manager.set_prior_websocket_success(PRIOR_WEBSOCKET_SUCCESS.load(Relaxed));
        if !is_online() {
            manager.handle_network(Instant::default(), false);
        }
        if page_hidden() {
            manager.handle_page(Instant::default(), PageEvent::Hidden);
        }
        let epoch = performance_now();
        Rc::new_cyclic(|this: &Weak<RefCell<Self>>| {
            let scope = global_this();
            let on = |kind, input: fn(&mut Manager, Instant)| {
                let rt = this.clone();
                Listener::new(&scope, kind, move |_| {
                    drive_weak(&rt, None, input);
                })
            };
            let mut page_listeners = vec![
                on("online", |m, now| m.handle_network(now, true)),
                on("offline", |m, now| m.handle_network(now, false)),
            ];
            if options.close_on_beforeunload {
                page_listeners.push(on("beforeunload", |m, now| m.handle_unload(now)));
            }
            let page_watch = {
                let rt = this.clone();
                PageWatch::new(move |event| {
                    drive_weak(&rt, None, |m, now| m.handle_page(now, event));
                })
            };
            let inbox = {
                let rt = this.clone();
                Inbox::new(move |event, source| {
                    drive_weak(&rt, source, |m, now| m.handle_transport(now, event));
                })
            };
            RefCell::new(Self {
                manager,
                transports: Vec::new(),
                timer: None,
                timer_functions: TimerFunctions::new(options.native_timers),
                epoch,
                options,
                sink: make_sink(this.clone()),
                this: this.clone(),
                inbox,
                page_listeners,
                page_watch: Some(page_watch),
                outboxes: Vec::new(),
                flush_scheduled: false,
                at_once: false,
                task_now: core::cell::Cell::new(None),
                flush_frames: {
                    let rt = this.clone();
                    // JavaScript owns it, not this runtime: a microtask queued just before the
                    // runtime goes must still find a function (it then finds no runtime and
                    // returns). wasm-bindgen frees the Rust side once the function is
                    // collected (a FinalizationRegistry), so it is one closure per runtime,
                    // not a leak; the leak suite checks.
                    #[allow(clippy::disallowed_methods)]
                    let function = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
                        flush_frames(&rt);
                    })
                    .into_js_value();
                    function
                },
            })
        })
    }

    /// The Manager, to read its state.
    pub(crate) fn manager(&self) -> &Manager {
        &self.manager
    }

    /// A time on `performance.now()`'s clock (an event's `timeStamp`) on the core's clock; the
    /// clock itself when the browser gave no time stamp.
    fn instant_at(&self, at: f64) -> Instant {
        if at > 0.0 {
            Instant::from_millis((at - self.epoch).max(0.0) as u64)
        } else {
            self.now()
        }
    }

    /// The core's clock: whole milliseconds since this runtime was made (within a task that
    /// wrote frames, the reading of its first call after the first frame; see `task_now`).
    pub(super) fn now(&self) -> Instant {
        if let Some(now) = self.task_now.get() {
            return now;
        }
        let now = Instant::from_millis((performance_now() - self.epoch).max(0.0) as u64);
        if self.flush_scheduled {
            self.task_now.set(Some(now));
        }
        now
    }

    /// Marks the calls that follow, until `false`, as each the last emit of its batch (an
    /// emit with an ack waits for its answer, not for the task's end): a frame that would
    /// start a task's batch is written at once and nothing waits for a microtask, which
    /// saves an ack's round trip two crossings and a microtask. Frames already waiting for
    /// one still go with it.
    pub(super) fn write_at_once(&mut self, at_once: bool) {
        self.at_once = at_once;
    }

    /// Runs commands and collects events until the Manager is quiet, then re-arms the timer.
    fn pump(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let mut failed = Vec::new();
        loop {
            let output = match self.manager.poll_work() {
                Some(output) => output,
                // A microtask writes this task's frames: it settles the Manager and arms the
                // timer, once for the whole task (an emit loop pays neither per emit).
                None if self.flush_scheduled && failed.is_empty() => return events,
                None => Output::Timeout(self.manager.settle()),
            };
            match output {
                Output::Command(command) => {
                    if let Some(id) = self.run(command) {
                        failed.push(id);
                    }
                }
                Output::Event(event) => {
                    if matches!(event, Event::Upgrade(_)) {
                        PRIOR_WEBSOCKET_SUCCESS.store(true, Relaxed);
                    }
                    events.push(event);
                }
                Output::Timeout(deadline) => {
                    if failed.is_empty() {
                        self.arm(deadline);
                        return events;
                    }
                    // A WebSocket that could not even be constructed: report it like a close.
                    let now = self.now();
                    for id in failed.drain(..) {
                        self.manager.handle_transport(
                            now,
                            TransportEvent::WebSocketClosed(id, Failure::Network),
                        );
                    }
                }
            }
        }
    }

    /// Carries out one command; returns the id of a transport that failed at once.
    fn run(&mut self, command: Command) -> Option<TransportId> {
        match command {
            Command::OpenWebSocket { id, url } => {
                let protocols = &self.options.protocols;
                match WebSocketTransport::open(&self.inbox, id, &url, protocols) {
                    Ok(ws) => self.transports.push((id, Live::WebSocket(ws))),
                    Err(_) => return Some(id),
                }
            }
            Command::SendFrame { id, frame } => {
                if let Some(Live::WebSocket(ws)) = live(&mut self.transports, id) {
                    // As in socket.io-client: the first frame of a task goes at once, the
                    // others together at its end (see `flush_frames`).
                    ws.queue(frame);
                    if !self.flush_scheduled {
                        ws.flush();
                        if !self.at_once {
                            self.flush_scheduled = true;
                            queue_microtask(&self.flush_frames);
                        }
                    }
                }
            }
            Command::Poll { id, url } => {
                if live(&mut self.transports, id).is_none() {
                    let polling = PollingTransport::new(id, self.inbox.clone());
                    self.transports.push((id, Live::Polling(polling)));
                }
                if let Some(Live::Polling(polling)) = live(&mut self.transports, id) {
                    polling.get(&url, &self.options.http);
                }
            }
            Command::Post {
                id,
                url,
                body,
                last,
            } => match live(&mut self.transports, id) {
                Some(Live::Polling(polling)) => polling.post(&url, body, &self.options.http, last),
                // Not live (never happens: a session polls before it posts, and posts before
                // its close): sent on its own rather than lost.
                _ => PollingTransport::new(id, self.inbox.clone()).post(
                    &url,
                    body,
                    &self.options.http,
                    last,
                ),
            },
            Command::Close { id } => {
                if let Some(Live::WebSocket(ws)) = live(&mut self.transports, id) {
                    ws.flush(); // what was written before the close still goes, in order
                }
                self.transports.retain(|(live, _)| *live != id);
            }
            Command::Outbox {
                nsp,
                key,
                op: OutboxOp::Load,
            } => {
                let rt = self.this.clone();
                let store = OutboxStore::open(&key, move |report| {
                    drive_weak(&rt, None, |m, now| m.handle_outbox(now, nsp, report));
                });
                self.outboxes.retain(|(n, _)| *n != nsp);
                self.outboxes.push((nsp, store));
            }
            Command::Outbox { nsp, op, .. } => {
                if let Some((_, store)) = self.outboxes.iter().find(|(n, _)| *n == nsp) {
                    store.apply(op);
                }
            }
            Command::SaveSession { key, value } => {
                session_entry(&key, Some(&value));
            }
        }
        None
    }

    /// Keeps one `setTimeout` for the earliest deadline, replaced only when it changes.
    fn arm(&mut self, deadline: Option<Instant>) {
        let Some(deadline) = deadline else {
            self.timer = None;
            return;
        };
        if self.timer.as_ref().is_some_and(|t| t.deadline == deadline) {
            return;
        }
        let wait = deadline.as_millis().saturating_sub(self.now().as_millis()) as f64;
        let rt = self.this.clone();
        let timer = Timer::new(&self.timer_functions, deadline, wait, move || on_timer(&rt));
        self.timer = Some(timer);
    }

    /// Drops every transport, the timer and the page listeners (the client is destroyed).
    #[cfg(feature = "api")]
    pub(crate) fn shutdown(&mut self) {
        self.transports.clear();
        self.timer = None;
        self.page_listeners.clear();
        self.page_watch = None;
        self.outboxes.clear();
    }
}

/// The live transport `id` of `transports`, if any.
fn live(transports: &mut [(TransportId, Live)], id: TransportId) -> Option<&mut Live> {
    transports
        .iter_mut()
        .find_map(|(live, transport)| (*live == id).then_some(transport))
}

/// Writes the WebSocket frames queued during the task that just ended. Batching the writes of
/// a task (an emit loop, a flushed send buffer) spares a wake-up of the browser's network
/// thread per frame; socket.io-client defers its writes the same way.
fn flush_frames(rt: &Weak<RefCell<Runtime>>) {
    let Some(rt) = rt.upgrade() else { return };
    let Ok(mut runtime) = rt.try_borrow_mut() else {
        return;
    };
    runtime.flush_scheduled = false;
    runtime.task_now.set(None);
    for (_, live) in &mut runtime.transports {
        if let Live::WebSocket(ws) = live {
            ws.flush();
        }
    }
    let deadline = runtime.manager.settle();
    runtime.arm(deadline);
}

/// The timer fired: forget it first, so that the next deadline always gets a fresh timer even
/// when it equals this one (a timer may fire a millisecond before the core's deadline). The
/// closure being run is freed by wasm-bindgen once it returns, so dropping it here is safe.
fn on_timer(rt: &Weak<RefCell<Runtime>>) {
    let Some(rt) = rt.upgrade() else { return };
    if let Ok(mut runtime) = rt.try_borrow_mut() {
        runtime.timer = None;
    }
    drive(&rt, None, |m, now| m.handle_timeout(now));
}

/// [`drive`] through a weak handle, as the browser's callbacks hold it: nothing happens once
/// the runtime is gone.
fn drive_weak<R>(
    rt: &Weak<RefCell<Runtime>>,
    source: Option<Source<'_>>,
    input: impl FnOnce(&mut Manager, Instant) -> R,
) -> Option<R> {
    drive(&rt.upgrade()?, source, input)
}

/// The one entry point: feed `input` to the Manager, run what it asks, then hand the events
/// (with the WebSocket frame `source` they came from, if any) to the API layer with no borrow
/// held. Returns what `input` returned, or `None` when the runtime is already borrowed (an
/// input from inside the driver itself, which never happens through a listener).
pub(crate) fn drive<R>(
    rt: &Rc<RefCell<Runtime>>,
    source: Option<Source<'_>>,
    input: impl FnOnce(&mut Manager, Instant) -> R,
) -> Option<R> {
    // Each caller's `input` runs inside one shared body (`drive_once`), not a copy of it.
    let (mut input, mut result) = (Some(input), None);
    drive_once(rt, source, &mut |manager, now| {
        result = input.take().map(|input| input(manager, now));
    });
    result
}

/// [`drive`]'s body, behind one indirect call so that it is compiled once.
fn drive_once(
    rt: &Rc<RefCell<Runtime>>,
    source: Option<Source<'_>>,
    input: &mut dyn FnMut(&mut Manager, Instant),
) {
    let (events, sink) = {
        let Ok(mut runtime) = rt.try_borrow_mut() else {
            return;
        };
        let now = match source {
            Some(frame) => runtime.instant_at(frame.at),
            None => runtime.now(),
        };
        input(&mut runtime.manager, now);
        let events = runtime.pump();
        (events, runtime.sink.clone())
    };
    if !events.is_empty() {
        sink(events, source);
    }
}
