//! [`Payload`]: the body of a long-polling POST as the core builds it. Each EVENT's JSON data
//! stays apart from the payload's text, to be joined in by the driver: in the browser that data
//! is a JavaScript string, so a burst's POST is put together in JavaScript, with no crossing and
//! no copy per emit.

use crate::client::Json;
use crate::prelude::*;

/// A polling payload: packets and their separators as `text`, each EVENT's data in `data` at
/// the byte offset of `text` where it belongs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payload {
    /// The payload without the data of its EVENTs.
    pub text: String,
    /// Each EVENT's data and where it goes in `text`, in order.
    pub data: Vec<(usize, Json)>,
}

impl Payload {
    /// Writes the separator before a packet that is not the first.
    pub(crate) fn separate(&mut self) {
        if !self.text.is_empty() {
            self.text.push(crate::protocol::engine::SEPARATOR);
        }
    }

    /// Writes `text`.
    pub(crate) fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Writes `data` here.
    pub(crate) fn push_data(&mut self, data: Json) {
        self.data.push((self.text.len(), data));
    }

    /// The whole payload as one text (a copy of each data: for tests and for reading it).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut at = 0;
        for (offset, data) in &self.data {
            out.push_str(self.text.get(at..*offset).unwrap_or(""));
            out.push_str(&data.to_text());
            at = *offset;
        }
        out.push_str(self.text.get(at..).unwrap_or(""));
        out
    }
}
