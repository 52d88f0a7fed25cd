//! An event listener that lives exactly as long as its Rust value: dropping it removes it from
//! its target (gloo's `EventListener` pattern, without the dependency).
//!
//! Every closure the driver gives JavaScript is of one of two shapes, `FnMut(JsValue)` (this
//! one, the timers', the page watch's, storage's, a binary frame's) or `FnMut(JsValue, String,
//! f64)` (a text frame's, an HTTP response's): each shape costs its own glue and invoke shim.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::EventTarget;

/// A registered `addEventListener` callback; removed on drop.
#[must_use = "the listener is removed when this value is dropped"]
pub(crate) struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    /// Adds `callback` for events of `kind` on `target` (it gets the `Event`).
    pub(crate) fn new(
        target: &EventTarget,
        kind: &'static str,
        callback: impl FnMut(JsValue) + 'static,
    ) -> Self {
        let callback = Closure::<dyn FnMut(JsValue)>::new(callback);
        // Only fails for a target that is not an EventTarget, which the types rule out.
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        Self {
            target: target.clone(),
            kind,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}
