//! [`Bytes`]: a binary attachment as the core carries it, without reading it. In the browser
//! build it is the JavaScript `Uint8Array` the bytes arrived in (the user's view on emit, the
//! received frame's buffer on receive), so an attachment crosses into and out of the
//! WebAssembly without a copy and never grows its memory; natively it is a `Vec<u8>`. The
//! core only counts, orders and hands them on; the one place that reads them, the base64 of
//! a binary packet over long-polling, asks for a copy ([`Bytes::to_vec`]).

use crate::prelude::*;

/// One binary attachment (see the module documentation). Cloning shares the bytes.
#[derive(Clone)]
pub struct Bytes(Inner);

#[cfg(target_arch = "wasm32")]
type Inner = js_sys::Uint8Array;
#[cfg(not(target_arch = "wasm32"))]
type Inner = Vec<u8>;

impl Bytes {
    /// The number of bytes.
    pub fn len(&self) -> usize {
        #[cfg(target_arch = "wasm32")]
        return self.0.length() as usize;
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.len();
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A copy of the bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        #[cfg(target_arch = "wasm32")]
        return self.0.to_vec();
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.clone();
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        #[cfg(target_arch = "wasm32")]
        return Self(js_sys::Uint8Array::from(bytes.as_slice()));
        #[cfg(not(target_arch = "wasm32"))]
        return Self(bytes);
    }
}

impl From<&[u8]> for Bytes {
    fn from(bytes: &[u8]) -> Self {
        #[cfg(target_arch = "wasm32")]
        return Self(js_sys::Uint8Array::from(bytes));
        #[cfg(not(target_arch = "wasm32"))]
        return Self(bytes.to_vec());
    }
}

#[cfg(target_arch = "wasm32")]
impl Bytes {
    /// The bytes of `array`, shared (not copied).
    pub(crate) fn from_js(array: js_sys::Uint8Array) -> Self {
        Self(array)
    }

    /// The `Uint8Array` holding the bytes.
    pub(crate) fn as_js(&self) -> &js_sys::Uint8Array {
        &self.0
    }

    /// The `Uint8Array` holding the bytes, given up.
    pub(crate) fn into_js(self) -> js_sys::Uint8Array {
        self.0
    }

    /// A `Uint8Array` over a copy of just these bytes (made in JavaScript), e.g. for storage,
    /// where a view would take its whole buffer along.
    pub(crate) fn own_copy(&self) -> js_sys::Uint8Array {
        self.0.slice(0, self.0.length())
    }
}

/// Equal bytes (a copy of each on wasm32: for tests and assertions, never on a hot path).
impl PartialEq for Bytes {
    fn eq(&self, other: &Self) -> bool {
        #[cfg(target_arch = "wasm32")]
        return self.len() == other.len() && self.to_vec() == other.to_vec();
        #[cfg(not(target_arch = "wasm32"))]
        return self.0 == other.0;
    }
}

impl Eq for Bytes {}

impl core::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        #[cfg(target_arch = "wasm32")]
        return write!(f, "Bytes({} bytes)", self.len());
        #[cfg(not(target_arch = "wasm32"))]
        return f.debug_tuple("Bytes").field(&self.0).finish();
    }
}
