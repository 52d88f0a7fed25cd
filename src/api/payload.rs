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

/// The JSON array of one emit's or ack's arguments, `[event, ...args]` (an emit) or `[...args]`
/// (an ack's answer), written straight from serde, with its attachments.
pub(crate) struct Args {
    json: Vec<u8>,
    attachments: Vec<Vec<u8>>,
}

impl Args {
    /// The array's opening, `["event"` for an emit (nothing for an ack: see the callers).
    fn open(event: Option<&str>) -> Result<Self, Error> {
        let mut json = Vec::with_capacity(64);
        if let Some(event) = event {
            json.push(b'[');
            serde_json::to_writer(&mut json, event).map_err(|e| Error::Encode(e.to_string()))?;
        }
        Ok(Self {
            json,
            attachments: Vec::new(),
        })
    }

    /// `data` as one argument.
    pub(crate) fn one<T: Serialize + ?Sized>(event: Option<&str>, data: &T) -> Result<Self, Error> {
        let mut args = Self::open(event)?;
        args.json.push(if event.is_some() { b',' } else { b'[' });
        binary::write_json(&mut args.json, data, &mut args.attachments)?;
        args.json.push(b']');
        Ok(args)
    }

    /// Each element of `data` (a tuple or sequence; `()` for none) as an argument.
    pub(crate) fn many<T: Serialize + ?Sized>(
        event: Option<&str>,
        data: &T,
    ) -> Result<Self, Error> {
        let mut args = Self::open(event)?;
        // serde writes the whole (`[a,b]`, or `null` for `()`) after the opening, whose `[`
        // then stands for the whole's: its own `[` becomes the `,` after the event name.
        let at = args.json.len();
        binary::write_json(&mut args.json, data, &mut args.attachments)?;
        match (args.json.get(at..), event.is_some()) {
            (Some(b"null"), false) => {
                args.json.truncate(at);
                args.json.extend_from_slice(b"[]");
            }
            (Some(b"null" | b"[]"), true) => {
                args.json.truncate(at);
                args.json.push(b']');
            }
            (Some([b'[', ..]), with_event) => {
                if let (true, Some(bracket)) = (with_event, args.json.get_mut(at)) {
                    *bracket = b',';
                }
            }
            _ => {
                return Err(Error::Encode(
                    "emit_args takes a tuple or a sequence of arguments".into(),
                ))
            }
        }
        Ok(args)
    }

    /// The JSON text, with its attachments.
    pub(crate) fn into_parts(self) -> Result<(String, Vec<Vec<u8>>), Error> {
        let json = String::from_utf8(self.json).map_err(|e| Error::Encode(e.to_string()))?;
        Ok((json, self.attachments))
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn text(args: Result<Args, Error>) -> Result<String, Error> {
        args.and_then(Args::into_parts).map(|(json, _)| json)
    }

    #[test]
    fn an_emit_is_the_event_name_then_its_arguments() {
        let event = Some("say \"hi\"");
        assert_eq!(
            text(Args::one(event, &(1, "a"))).unwrap(),
            r#"["say \"hi\"",[1,"a"]]"#
        );
        assert_eq!(
            text(Args::one(event, &())).unwrap(),
            r#"["say \"hi\"",null]"#
        );
        assert_eq!(
            text(Args::many(event, &(1, "a"))).unwrap(),
            r#"["say \"hi\"",1,"a"]"#
        );
        assert_eq!(
            text(Args::many(event, &[[1], [2]])).unwrap(),
            r#"["say \"hi\"",[1],[2]]"#
        );
        assert_eq!(text(Args::many(event, &())).unwrap(), r#"["say \"hi\""]"#);
        assert_eq!(
            text(Args::many(event, &None::<u8>)).unwrap(),
            r#"["say \"hi\""]"#
        );
        assert_eq!(
            text(Args::many(event, &Vec::<u8>::new())).unwrap(),
            r#"["say \"hi\""]"#
        );
    }

    #[test]
    fn an_ack_answer_is_its_arguments() {
        assert_eq!(text(Args::one(None, &(1, "a"))).unwrap(), r#"[[1,"a"]]"#);
        assert_eq!(text(Args::many(None, &(1, "a"))).unwrap(), r#"[1,"a"]"#);
        assert_eq!(text(Args::many(None, &())).unwrap(), "[]");
        assert_eq!(text(Args::many(None, &Vec::<u8>::new())).unwrap(), "[]");
    }

    #[test]
    fn several_arguments_come_from_a_tuple_or_a_sequence_only() {
        #[derive(serde::Serialize)]
        struct Point {
            x: u8,
        }
        for event in [Some("e"), None] {
            assert!(matches!(
                Args::many(event, &Point { x: 1 }),
                Err(Error::Encode(_))
            ));
            assert!(matches!(Args::many(event, &7), Err(Error::Encode(_))));
        }
    }

    #[test]
    fn byte_arguments_become_numbered_placeholders() {
        let bytes = serde_bytes::ByteBuf::from(vec![1u8, 2]);
        let (json, attachments) = Args::many(Some("file"), &(&bytes, "x", &bytes))
            .and_then(Args::into_parts)
            .unwrap();
        assert_eq!(
            json,
            r#"["file",{"_placeholder":true,"num":0},"x",{"_placeholder":true,"num":1}]"#
        );
        assert_eq!(attachments, [vec![1, 2], vec![1, 2]]);
    }
}
