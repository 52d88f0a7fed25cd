//! The page's lifecycle as the core's [`PageEvent`]s: `visibilitychange`, `resume` (after a
//! freeze), `pagehide` and `pageshow` (with `persisted` for the back/forward cache). One
//! inline JavaScript function registers the four listeners and reads the events' fields, so
//! one callback of an existing closure type crosses into the WebAssembly with a small code.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::imports::watch_page;
use crate::client::PageEvent;

/// The page listeners of one runtime; removed on drop.
#[must_use = "the listeners are removed when this value is dropped"]
pub(crate) struct PageWatch {
    _callback: Closure<dyn FnMut(JsValue)>,
    /// Removes the listeners; `None` where there is no document (a worker).
    unwatch: Option<js_sys::Function>,
}

impl PageWatch {
    /// Calls `on_event` with every lifecycle change of the page.
    pub(crate) fn new(mut on_event: impl FnMut(PageEvent) + 'static) -> Self {
        let callback = Closure::<dyn FnMut(JsValue)>::new(move |code: JsValue| {
            if let Some(event) = code.as_f64().and_then(decode) {
                on_event(event);
            }
        });
        let unwatch = watch_page(callback.as_ref()).dyn_into().ok();
        Self {
            _callback: callback,
            unwatch,
        }
    }
}

impl Drop for PageWatch {
    fn drop(&mut self) {
        if let Some(unwatch) = self.unwatch.take() {
            let _ = unwatch.call0(&JsValue::UNDEFINED);
        }
    }
}

/// The codes `watch_page` calls back with (see `imports.rs`).
fn decode(code: f64) -> Option<PageEvent> {
    Some(match code as u8 {
        0 => PageEvent::Hidden,
        1 => PageEvent::Visible,
        2 => PageEvent::Resumed,
        3 => PageEvent::PageHide { persisted: false },
        4 => PageEvent::PageHide { persisted: true },
        5 => PageEvent::PageShow { persisted: false },
        6 => PageEvent::PageShow { persisted: true },
        _ => return None,
    })
}
