//! Tests of the browser driver's RAII pieces (wasm32, run by wasm-bindgen-test in Node): what
//! is dropped is cancelled, proven by a callback that records that it ran.

use alloc::rc::Rc;
use core::cell::Cell;

use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Event, EventTarget};

use super::listener::Listener;
use super::timer::{Timer, TimerFunctions};
use crate::client::Instant;

/// Resolves after `ms`: every timer due before then has fired (timers of equal or shorter
/// delay set earlier run first).
async fn after(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

#[wasm_bindgen_test]
async fn a_dropped_timer_never_fires() {
    let functions = TimerFunctions::new(false);
    let fired = Rc::new(Cell::new(false));
    let (kept, dropped) = (Rc::new(Cell::new(false)), fired.clone());
    let live = {
        let kept = kept.clone();
        Timer::new(&functions, Instant::default(), 0.0, move || kept.set(true))
    };
    let timer = Timer::new(&functions, Instant::default(), 0.0, move || {
        dropped.set(true)
    });
    drop(timer);
    after(20).await;
    assert!(kept.get(), "the control timer fired");
    assert!(!fired.get(), "a dropped timer fired");
    drop(live);
}

#[wasm_bindgen_test]
fn a_dropped_listener_is_removed() {
    let target = EventTarget::new().expect("an EventTarget");
    let (heard, kept) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let listener = {
        let heard = heard.clone();
        Listener::new(&target, "ping", move |_| heard.set(heard.get() + 1))
    };
    let _control = {
        let kept = kept.clone();
        Listener::new(&target, "ping", move |_| kept.set(kept.get() + 1))
    };
    let ping = Event::new("ping").expect("an Event");
    let _ = target.dispatch_event(&ping);
    drop(listener);
    let _ = target.dispatch_event(&ping);
    assert_eq!(kept.get(), 2, "the control listener heard both events");
    assert_eq!(heard.get(), 1, "a dropped listener still heard an event");
}
