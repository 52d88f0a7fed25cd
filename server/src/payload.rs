//! Event arguments as an opaque value tree that keeps binary parts binary.
//!
//! `serde_json::Value` has no binary variant: socketioxide would turn a received `Buffer` into an
//! array of numbers. [`Arg`] keeps it as bytes, so that an echo sends back exactly what came in
//! (binary attachments included, in the same depth-first order), and [`Args`] stands for the whole
//! argument list of an event or an ack.

use std::fmt;

use bytes::Bytes;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, SerializeTuple, Serializer};
use serde::{Deserialize, Serialize};

/// One argument of an event: a JSON value in which any node may be binary.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `null` (also what `undefined` becomes on the wire).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as serde_json keeps it (integer or float).
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// A binary attachment (`Buffer`, `ArrayBuffer`, typed array...).
    Binary(Bytes),
    /// An array.
    Array(Vec<Arg>),
    /// An object, with its keys in the order they were received.
    Object(Vec<(String, Arg)>),
}

impl Arg {
    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number inside as an `f64`, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// Plain JSON for this value, with binary written as Node's `JSON.stringify(buffer)` writes a
    /// `Buffer`: `{"type":"Buffer","data":[1,2,3]}`. Used by the control endpoints.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(*b),
            Self::Number(n) => Value::Number(n.clone()),
            Self::String(s) => Value::String(s.clone()),
            Self::Binary(b) => serde_json::json!({ "type": "Buffer", "data": b.to_vec() }),
            Self::Array(items) => Value::Array(items.iter().map(Self::to_json).collect()),
            Self::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

impl From<serde_json::Value> for Arg {
    fn from(value: serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(b),
            Value::Number(n) => Self::Number(n),
            Value::String(s) => Self::String(s),
            Value::Array(items) => Self::Array(items.into_iter().map(Self::from).collect()),
            Value::Object(map) => {
                Self::Object(map.into_iter().map(|(k, v)| (k, Self::from(v))).collect())
            }
        }
    }
}

impl Serialize for Arg {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Number(n) => n.serialize(serializer),
            Self::String(s) => serializer.serialize_str(s),
            // socketioxide's serializer turns this into a `{"_placeholder":true,"num":i}` attachment.
            Self::Binary(b) => serializer.serialize_bytes(b),
            Self::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Self::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Builds an [`Arg`] from whatever the deserializer finds.
struct ArgVisitor;

impl<'de> Visitor<'de> for ArgVisitor {
    type Value = Arg;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value or a binary attachment")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Arg, E> {
        Ok(Arg::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Arg, E> {
        Ok(Arg::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Arg, E> {
        Ok(Arg::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Arg, E> {
        // JSON has no NaN or infinity; serde_json never produces them, but be total anyway.
        Ok(serde_json::Number::from_f64(v).map_or(Arg::Null, Arg::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Arg, E> {
        Ok(Arg::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Arg, E> {
        Ok(Arg::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Arg, E> {
        Ok(Arg::Binary(Bytes::copy_from_slice(v)))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Arg, E> {
        Ok(Arg::Binary(Bytes::from(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Arg, E> {
        Ok(Arg::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Arg, E> {
        Ok(Arg::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Arg, D::Error> {
        Arg::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Arg, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Arg>()? {
            items.push(item);
        }
        Ok(Arg::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Arg, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((k, v)) = map.next_entry::<String, Arg>()? {
            entries.push((k, v));
        }
        Ok(Arg::Object(entries))
    }
}

impl<'de> Deserialize<'de> for Arg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ArgVisitor)
    }
}

/// The full argument list of an event or an ack.
///
/// socketioxide treats a tuple-like type as "all the arguments" and anything else as "the first
/// argument only", so this (de)serializes as a tuple of runtime length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args(pub Vec<Arg>);

impl Args {
    /// The argument at `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<&Arg> {
        self.0.get(index)
    }
}

impl Serialize for Args {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tuple = serializer.serialize_tuple(self.0.len())?;
        for arg in &self.0 {
            tuple.serialize_element(arg)?;
        }
        tuple.end()
    }
}

/// Collects every element of the argument array.
struct ArgsVisitor;

impl<'de> Visitor<'de> for ArgsVisitor {
    type Value = Args;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an argument list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Args, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Arg>()? {
            items.push(item);
        }
        Ok(Args(items))
    }
}

impl<'de> Deserialize<'de> for Args {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The length is ignored by JSON deserializers; usize::MAX just means "any".
        deserializer.deserialize_tuple(usize::MAX, ArgsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_key_order_and_numbers() {
        let text = r#"[{"b":1,"a":[true,null,"x",1.5,-3]},"s"]"#;
        let args: Args = serde_json::from_str(text).expect("valid JSON");
        assert_eq!(serde_json::to_string(&args).expect("serializable"), text);
    }

    #[test]
    fn binary_renders_like_a_node_buffer() {
        let arg = Arg::Binary(Bytes::from_static(&[1, 2]));
        assert_eq!(
            arg.to_json(),
            serde_json::json!({"type": "Buffer", "data": [1, 2]})
        );
    }
}
