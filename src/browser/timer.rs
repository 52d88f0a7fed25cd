//! The driver's single timer: one `setTimeout` for the core's earliest deadline, replaced only
//! when the deadline changes, cleared on drop. Which `setTimeout` is chosen once per runtime
//! ([`TimerFunctions`]), as socket.io-client does (`useNativeTimers`).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::imports::{clear_timer, set_timer, timer_functions};
use crate::client::Instant;

/// The `setTimeout`/`clearTimeout` pair a runtime uses.
#[derive(Clone)]
pub(crate) struct TimerFunctions(JsValue);

impl TimerFunctions {
    /// With `native`, the global scope's timer functions as they were when the package loaded
    /// (a page that replaces `setTimeout` later, e.g. with fake timers, does not affect them);
    /// otherwise the ones in force now.
    pub(crate) fn new(native: bool) -> Self {
        Self(timer_functions(native))
    }
}

/// A pending `setTimeout`; cleared when dropped.
#[must_use = "the timeout is cleared when this value is dropped"]
pub(crate) struct Timer {
    pub(crate) deadline: Instant,
    functions: TimerFunctions,
    id: JsValue,
    /// Called with no argument (`FnMut(JsValue)`: the shape of most of the driver's closures).
    _callback: Closure<dyn FnMut(JsValue)>,
}

impl Timer {
    /// Calls `callback` after `ms` milliseconds (clamped to what browsers accept).
    pub(crate) fn new(
        functions: &TimerFunctions,
        deadline: Instant,
        ms: f64,
        mut callback: impl FnMut() + 'static,
    ) -> Self {
        let callback = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| callback());
        let ms = ms.clamp(0.0, f64::from(i32::MAX)) as i32;
        let id = set_timer(&functions.0, callback.as_ref().unchecked_ref(), ms);
        Self {
            deadline,
            functions: functions.clone(),
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timer(&self.functions.0, &self.id);
    }
}
