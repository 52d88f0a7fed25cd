//! [`Json`]: the JSON data of an emit (`[name, ...args]`) or of an ack (`[...args]`) as the
//! core carries it, without reading it. In the browser build it is the JavaScript string
//! `JSON.stringify` made, so the data never crosses into the WebAssembly: the core writes only
//! the packet's header (`42/nsp,id`, `43/nsp,id`) and the WebSocket driver joins the two in
//! JavaScript, as it sends the frame.
//! Natively it is a `String`. The few places that read the text (a long-polling payload, a
//! restored emit's check, the Rust API's outgoing listeners) ask for a copy
//! ([`Json::to_text`]).

use crate::prelude::*;

/// The JSON text of one emit's or ack's data (see the module documentation). Cloning shares the text
/// on wasm32.
#[derive(Clone)]
pub struct Json(Inner);

#[cfg(target_arch = "wasm32")]
type Inner = js_sys::JsString;
#[cfg(not(target_arch = "wasm32"))]
type Inner = String;

impl Json {
    /// A copy of the text (a read of the JavaScript string on wasm32: not for a hot path).
    pub fn to_text(&self) -> String {
        #[cfg(target_arch = "wasm32")]
        return String::from(&self.0);
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.clone();
    }

    /// The text, borrowed (native only: the wasm32 text lives in JavaScript).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Json {
    fn from(text: String) -> Self {
        #[cfg(target_arch = "wasm32")]
        return Self(js_sys::JsString::from(text.as_str()));
        #[cfg(not(target_arch = "wasm32"))]
        return Self(text);
    }
}

impl From<&str> for Json {
    fn from(text: &str) -> Self {
        #[cfg(target_arch = "wasm32")]
        return Self(js_sys::JsString::from(text));
        #[cfg(not(target_arch = "wasm32"))]
        return Self(text.to_owned());
    }
}

#[cfg(target_arch = "wasm32")]
impl Json {
    /// The JavaScript string `text`, shared (not copied).
    pub(crate) fn from_js(text: js_sys::JsString) -> Self {
        Self(text)
    }

    /// The JavaScript string holding the text.
    pub(crate) fn as_js(&self) -> &js_sys::JsString {
        &self.0
    }
}

/// Equal texts (a copy of each on wasm32: for tests and assertions, never on a hot path).
impl PartialEq for Json {
    fn eq(&self, other: &Self) -> bool {
        #[cfg(target_arch = "wasm32")]
        return self.to_text() == other.to_text();
        #[cfg(not(target_arch = "wasm32"))]
        return self.0 == other.0;
    }
}

impl Eq for Json {}

impl core::fmt::Debug for Json {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        #[cfg(target_arch = "wasm32")]
        return f.write_str("Json(..)");
        #[cfg(not(target_arch = "wasm32"))]
        return f.debug_tuple("Json").field(&self.0).finish();
    }
}

#[cfg(target_arch = "wasm32")]
impl From<Json> for wasm_bindgen::JsValue {
    fn from(json: Json) -> Self {
        json.0.into()
    }
}
