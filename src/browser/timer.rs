//! The driver's single timer: one `setTimeout` for the core's earliest deadline, replaced only
//! when the deadline changes, cleared on drop.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::bindings::{clear_timeout, set_timeout};
use crate::client::Instant;

/// A pending `setTimeout`; cleared when dropped.
#[must_use = "the timeout is cleared when this value is dropped"]
pub(crate) struct Timer {
    pub(crate) deadline: Instant,
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Calls `callback` after `ms` milliseconds (clamped to what browsers accept).
    pub(crate) fn new(deadline: Instant, ms: f64, callback: impl FnMut() + 'static) -> Self {
        let callback = Closure::<dyn FnMut()>::new(callback);
        let ms = ms.clamp(0.0, f64::from(i32::MAX)) as i32;
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms);
        Self {
            deadline,
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}
