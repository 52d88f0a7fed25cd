//! Payloads between serde types and the core's wire form: the JSON array of an event's
//! arguments, binary parts as placeholders (`{"_placeholder":true,"num":N}`) numbered in the
//! order of their attachments.
//!
//! Arity rule, both ways: an emit with [`Socket::emit`](super::Socket::emit) sends its value as
//! one argument, [`Socket::emit_args`](super::Socket::emit_args) sends each element of a tuple
//! (or sequence) as an argument. A listener's type is read from the one argument when exactly
//! one came, from `null` when none came (so `()` matches), and from the array of all the
//! arguments when several came (so a tuple matches).

use crate::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::binary;
use super::Error;

/// What arrived: the JSON array of the arguments and the binary attachments it refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payload {
    args: String,
    attachments: Vec<Vec<u8>>,
}

impl Payload {
    /// A payload from its JSON array of arguments and attachments.
    ///
    /// ```
    /// use socketio_wasm::api::Payload;
    /// let payload = Payload::new("[1,\"two\"]".into(), Vec::new());
    /// assert_eq!(payload.decode::<(u8, String)>(), Ok((1, "two".to_owned())));
    /// ```
    pub fn new(args: String, attachments: Vec<Vec<u8>>) -> Self {
        Self { args, attachments }
    }

    /// The arguments as a JSON array, binary parts as placeholders.
    ///
    /// ```
    /// use socketio_wasm::api::Payload;
    /// assert_eq!(Payload::new("[]".into(), Vec::new()).json(), "[]");
    /// ```
    pub fn json(&self) -> &str {
        &self.args
    }

    /// The binary attachments, in placeholder order.
    ///
    /// ```
    /// use socketio_wasm::api::Payload;
    /// let payload = Payload::new(r#"[{"_placeholder":true,"num":0}]"#.into(), vec![vec![1, 2]]);
    /// assert_eq!(payload.attachments(), [vec![1u8, 2]]);
    /// ```
    pub fn attachments(&self) -> &[Vec<u8>] {
        &self.attachments
    }

    /// How many arguments arrived (0 when the JSON is not an array).
    ///
    /// ```
    /// use socketio_wasm::api::Payload;
    /// assert_eq!(Payload::new("[1,2,3]".into(), Vec::new()).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        match serde_json::from_str::<Value>(&self.args) {
            Ok(Value::Array(items)) => items.len(),
            _ => 0,
        }
    }

    /// Whether no argument arrived.
    ///
    /// ```
    /// use socketio_wasm::api::Payload;
    /// assert!(Payload::new("[]".into(), Vec::new()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Deserializes the arguments into `T` by the arity rule of this module: one argument is
    /// read as `T`, none as `null`, several as an array (a tuple). Binary placeholders are
    /// read as byte sequences (`serde_bytes::ByteBuf`, `Vec<u8>`).
    ///
    /// ```
    /// use socketio_wasm::api::Payload;
    /// let one = Payload::new(r#"[{"n":1}]"#.into(), Vec::new());
    /// assert_eq!(one.decode::<serde_json::Value>().unwrap()["n"], 1);
    /// let none = Payload::new("[]".into(), Vec::new());
    /// assert_eq!(none.decode::<()>(), Ok(()));
    /// ```
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let value: Value =
            serde_json::from_str(&self.args).map_err(|e| Error::Decode(e.to_string()))?;
        let mut items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in &mut items {
            binary::fill(item, &self.attachments);
        }
        let value = match items.len() {
            0 => Value::Null,
            1 => items.pop().unwrap_or(Value::Null),
            _ => Value::Array(items),
        };
        serde_json::from_value(value).map_err(|e| Error::Decode(e.to_string()))
    }
}

/// The arguments of one emit or ack, before the event name goes in front.
pub(crate) struct Args {
    items: Vec<Value>,
    attachments: Vec<Vec<u8>>,
}

impl Args {
    /// `data` as one argument.
    pub(crate) fn one<T: Serialize + ?Sized>(data: &T) -> Result<Self, Error> {
        let mut attachments = Vec::new();
        let value = binary::to_value(data, &mut attachments)?;
        Ok(Self {
            items: vec![value],
            attachments,
        })
    }

    /// Each element of `data` (a tuple or sequence; `()` for none) as an argument.
    pub(crate) fn many<T: Serialize + ?Sized>(data: &T) -> Result<Self, Error> {
        let mut attachments = Vec::new();
        let items = match binary::to_value(data, &mut attachments)? {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            _ => {
                return Err(Error::Encode(
                    "emit_args takes a tuple or a sequence of arguments".into(),
                ))
            }
        };
        Ok(Self { items, attachments })
    }

    /// `[event, ...args]` as JSON text, with its attachments.
    pub(crate) fn event_data(self, event: &str) -> Result<(String, Vec<Vec<u8>>), Error> {
        let mut all = Vec::with_capacity(self.items.len() + 1);
        all.push(Value::String(event.to_owned()));
        all.extend(self.items);
        Ok((to_text(Value::Array(all))?, self.attachments))
    }

    /// The JSON array of the arguments, with its attachments (an ack's answer).
    pub(crate) fn array(self) -> Result<(String, Vec<Vec<u8>>), Error> {
        Ok((to_text(Value::Array(self.items))?, self.attachments))
    }
}

/// A serializable value as a JSON object's text (a socket's `auth`).
pub(crate) fn object_text<T: Serialize + ?Sized>(data: &T) -> Result<String, Error> {
    match serde_json::to_value(data).map_err(|e| Error::Encode(e.to_string()))? {
        value @ Value::Object(_) => to_text(value),
        Value::Null => to_text(Value::Object(Map::new())),
        _ => Err(Error::Encode("auth must serialize to a JSON object".into())),
    }
}

fn to_text(value: Value) -> Result<String, Error> {
    serde_json::to_string(&value).map_err(|e| Error::Encode(e.to_string()))
}

/// Attachments the API made, as the core carries them (each copied once, into JavaScript).
pub(crate) fn to_bytes(attachments: Vec<Vec<u8>>) -> Vec<crate::client::Bytes> {
    attachments.into_iter().map(Into::into).collect()
}

/// Attachments the core delivered, as the API's serde payloads read them (each copied once,
/// out of JavaScript).
pub(crate) fn from_bytes(attachments: &[crate::client::Bytes]) -> Vec<Vec<u8>> {
    attachments
        .iter()
        .map(crate::client::Bytes::to_vec)
        .collect()
}
