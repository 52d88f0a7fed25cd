//! [`Json`]: the JSON data of an emit (`[name, ...args]`) or of an ack (`[...args]`) as the
//! core carries it, without reading it. In the browser build it is the JavaScript string
//! `JSON.stringify` made, so the data never crosses into the WebAssembly: the core writes only
//! the packet's header (`42/nsp,id`, `43/nsp,id`) and the WebSocket driver joins the two in
//! JavaScript, as it sends the frame. Data made in Rust (the Rust API's serde) stays Rust
//! text instead, and joins the header in the WebAssembly's batch: turning it into a JavaScript
//! string per emit would cost more than the copy it saves. Natively it is a `String`. A
//! long-polling payload keeps it apart too ([`super::Payload`]), joined in JavaScript. The few
//! places that read the text (a restored emit's check, the Rust API's outgoing listeners, a
//! polling payload near `maxPayload`) ask for a copy ([`Json::to_text`]).

use crate::prelude::*;

/// The JSON text of one emit's or ack's data (see the module documentation). Cloning shares a
/// JavaScript string (it copies Rust text).
#[derive(Clone)]
pub struct Json(Inner);

#[cfg(target_arch = "wasm32")]
#[derive(Clone)]
enum Inner {
    /// Made in JavaScript, and left there.
    Js(js_sys::JsString),
    /// Made in Rust.
    Text(String),
}
#[cfg(not(target_arch = "wasm32"))]
type Inner = String;

impl Json {
    /// A copy of the text (a read of the JavaScript string on wasm32: not for a hot path).
    pub fn to_text(&self) -> String {
        #[cfg(target_arch = "wasm32")]
        return match &self.0 {
            Inner::Js(js) => String::from(js),
            Inner::Text(text) => text.clone(),
        };
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.clone();
    }

    /// The length of the text in UTF-8 bytes. Of a JavaScript string, unless `exact`, an upper
    /// bound instead (3 bytes per UTF-16 unit), which costs no copy.
    pub(crate) fn utf8_len(&self, exact: bool) -> usize {
        #[cfg(target_arch = "wasm32")]
        return match &self.0 {
            Inner::Js(js) if !exact => 3 * js.length() as usize,
            Inner::Js(js) => String::from(js).len(),
            Inner::Text(text) => text.len(),
        };
        #[cfg(not(target_arch = "wasm32"))]
        return {
            let _ = exact;
            self.0.len()
        };
    }

    /// The text, borrowed (native only: the wasm32 text may live in JavaScript).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Json {
    fn from(text: String) -> Self {
        #[cfg(target_arch = "wasm32")]
        return Self(Inner::Text(text));
        #[cfg(not(target_arch = "wasm32"))]
        return Self(text);
    }
}

impl From<&str> for Json {
    fn from(text: &str) -> Self {
        Self::from(text.to_owned())
    }
}

#[cfg(target_arch = "wasm32")]
impl Json {
    /// The JavaScript string `text`, shared (not copied).
    pub(crate) fn from_js(text: js_sys::JsString) -> Self {
        Self(Inner::Js(text))
    }

    /// The text as a JavaScript string: shared when it is one, else made from the Rust text.
    pub(crate) fn to_js(&self) -> js_sys::JsString {
        match &self.0 {
            Inner::Js(js) => js.clone(),
            Inner::Text(text) => js_sys::JsString::from(text.as_str()),
        }
    }

    /// The text where it is held: a JavaScript string or Rust text, moved out.
    pub(crate) fn into_held(self) -> Held {
        match self.0 {
            Inner::Js(js) => Held::Js(js),
            Inner::Text(text) => Held::Text(text),
        }
    }
}

/// A [`Json`]'s text where it is held ([`Json::into_held`]).
#[cfg(target_arch = "wasm32")]
pub(crate) enum Held {
    /// A JavaScript string.
    Js(js_sys::JsString),
    /// Rust text.
    Text(String),
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
        match json.0 {
            Inner::Js(js) => js.into(),
            Inner::Text(text) => Self::from_str(&text),
        }
    }
}
