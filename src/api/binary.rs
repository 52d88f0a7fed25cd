//! Binary parts of payloads, both ways: a serializer that turns byte fields (`serde_bytes`,
//! anything that calls `serialize_bytes`) into placeholders (`{"_placeholder":true,"num":N}`)
//! with the bytes as attachments, and the reverse: placeholders back to byte sequences, which
//! serde reads as bytes (`serde_bytes::ByteBuf`, `Vec<u8>`).

use crate::prelude::*;
use core::fmt;

use serde::ser::{self, Serialize};
use serde_json::{Map, Value};

use super::Error;

/// Serializes `data` into a JSON value; its byte fields become placeholders numbered in the
/// order they are pushed onto `attachments`.
pub(crate) fn to_value<T: Serialize + ?Sized>(
    data: &T,
    attachments: &mut Vec<Vec<u8>>,
) -> Result<Value, Error> {
    data.serialize(Values { attachments })
        .map_err(|e| Error::Encode(e.0))
}

/// Replaces every placeholder object of `value` by its attachment as an array of byte numbers.
/// A placeholder that names no attachment stays as it is (the core has already refused such
/// packets).
pub(crate) fn fill(value: &mut Value, attachments: &[Vec<u8>]) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| fill(v, attachments)),
        Value::Object(map) => {
            let num = (map.get("_placeholder") == Some(&Value::Bool(true)))
                .then(|| map.get("num").and_then(Value::as_u64))
                .flatten()
                .and_then(|n| usize::try_from(n).ok());
            match num.and_then(|n| attachments.get(n)) {
                Some(bytes) => {
                    *value = Value::Array(bytes.iter().map(|b| Value::from(*b)).collect());
                }
                None => map.values_mut().for_each(|v| fill(v, attachments)),
            }
        }
        _ => {}
    }
}

/// A serialization error (serde's message).
#[derive(Debug)]
pub(crate) struct EncodeError(String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

/// The serializer: values as `serde_json::Value`, bytes as placeholders.
struct Values<'a> {
    attachments: &'a mut Vec<Vec<u8>>,
}

impl Values<'_> {
    fn nested(&mut self) -> Values<'_> {
        Values {
            attachments: &mut *self.attachments,
        }
    }
}

type Result2 = Result<Value, EncodeError>;

fn variant(name: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(name.to_owned(), value);
    Value::Object(map)
}

impl<'a> ser::Serializer for Values<'a> {
    type Ok = Value;
    type Error = EncodeError;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    fn serialize_bool(self, v: bool) -> Result2 {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result2 {
        Ok(Value::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result2 {
        Ok(Value::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result2 {
        Ok(Value::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result2 {
        Ok(Value::from(v))
    }
    fn serialize_u8(self, v: u8) -> Result2 {
        Ok(Value::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result2 {
        Ok(Value::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result2 {
        Ok(Value::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result2 {
        Ok(Value::from(v))
    }
    fn serialize_i128(self, v: i128) -> Result2 {
        i64::try_from(v)
            .map(Value::from)
            .map_err(|_| ser::Error::custom("number out of range"))
    }
    fn serialize_u128(self, v: u128) -> Result2 {
        u64::try_from(v)
            .map(Value::from)
            .map_err(|_| ser::Error::custom("number out of range"))
    }
    fn serialize_f32(self, v: f32) -> Result2 {
        Ok(Value::from(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result2 {
        Ok(Value::from(v))
    }
    fn serialize_char(self, v: char) -> Result2 {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result2 {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result2 {
        let num = self.attachments.len();
        self.attachments.push(v.to_vec());
        let mut map = Map::new();
        map.insert("_placeholder".into(), Value::Bool(true));
        map.insert("num".into(), Value::from(num));
        Ok(Value::Object(map))
    }
    fn serialize_none(self) -> Result2 {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result2 {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result2 {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result2 {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, name: &'static str) -> Result2 {
        Ok(Value::String(name.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result2 {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        name: &'static str,
        value: &T,
    ) -> Result2 {
        Ok(variant(name, value.serialize(self.nested())?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a>, EncodeError> {
        Ok(Seq {
            attachments: self.attachments,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        len: usize,
    ) -> Result<Seq<'a>, EncodeError> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(name);
        Ok(seq)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>, EncodeError> {
        Ok(Object {
            attachments: self.attachments,
            map: Map::new(),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Object<'a>, EncodeError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        len: usize,
    ) -> Result<Object<'a>, EncodeError> {
        let mut object = self.serialize_map(Some(len))?;
        object.variant = Some(name);
        Ok(object)
    }
}

/// A sequence, tuple or tuple variant being serialized.
pub(crate) struct Seq<'a> {
    attachments: &'a mut Vec<Vec<u8>>,
    items: Vec<Value>,
    variant: Option<&'static str>,
}

impl Seq<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        let value = value.serialize(Values {
            attachments: &mut *self.attachments,
        })?;
        self.items.push(value);
        Ok(())
    }

    fn finish(self) -> Result2 {
        let array = Value::Array(self.items);
        Ok(match self.variant {
            Some(name) => variant(name, array),
            None => array,
        })
    }
}

macro_rules! seq_impl {
    ($($trait:ident :: $method:ident),*) => {
        $(
            impl ser::$trait for Seq<'_> {
                type Ok = Value;
                type Error = EncodeError;
                fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
                    self.push(value)
                }
                fn end(self) -> Result2 {
                    self.finish()
                }
            }
        )*
    };
}

seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A map, struct or struct variant being serialized.
pub(crate) struct Object<'a> {
    attachments: &'a mut Vec<Vec<u8>>,
    map: Map<String, Value>,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl Object<'_> {
    fn insert<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), EncodeError> {
        let value = value.serialize(Values {
            attachments: &mut *self.attachments,
        })?;
        self.map.insert(key, value);
        Ok(())
    }

    fn finish(self) -> Result2 {
        let object = Value::Object(self.map);
        Ok(match self.variant {
            Some(name) => variant(name, object),
            None => object,
        })
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = Value;
    type Error = EncodeError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), EncodeError> {
        let key = match serde_json::to_value(key).map_err(ser::Error::custom)? {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(ser::Error::custom("a map key must be a string or a number")),
        };
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ser::Error::custom("a map value without a key"))?;
        self.insert(key, value)
    }

    fn end(self) -> Result2 {
        self.finish()
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = Value;
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.insert(key.to_owned(), value)
    }

    fn end(self) -> Result2 {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = Value;
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.insert(key.to_owned(), value)
    }

    fn end(self) -> Result2 {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api::Payload;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct File {
        name: String,
        #[serde(with = "serde_bytes")]
        data: Vec<u8>,
        parts: Vec<serde_bytes::ByteBuf>,
    }

    #[test]
    fn byte_fields_travel_as_attachments_and_come_back_as_bytes() {
        let file = File {
            name: "a.bin".into(),
            data: vec![0, 1, 255],
            parts: vec![
                serde_bytes::ByteBuf::from(vec![7u8]),
                serde_bytes::ByteBuf::new(),
            ],
        };
        let mut attachments = Vec::new();
        let value = to_value(&file, &mut attachments).unwrap();
        assert_eq!(attachments, [vec![0, 1, 255], vec![7], vec![]]);
        assert_eq!(
            value,
            serde_json::json!({
                "name": "a.bin",
                "data": {"_placeholder": true, "num": 0},
                "parts": [{"_placeholder": true, "num": 1}, {"_placeholder": true, "num": 2}],
            })
        );
        let text = serde_json::to_string(&Value::Array(vec![value])).unwrap();
        let back: File = Payload::new(text, attachments).decode().unwrap();
        assert_eq!(back, file);
    }

    #[test]
    fn plain_values_serialize_as_serde_json_does() {
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(u8, u8),
            Struct { a: u8 },
        }
        let data = (
            E::Unit,
            E::New(1),
            E::Tuple(1, 2),
            E::Struct { a: 3 },
            Some('x'),
            None::<u8>,
        );
        let mut attachments = Vec::new();
        let ours = to_value(&data, &mut attachments).unwrap();
        assert_eq!(ours, serde_json::to_value(&data).unwrap());
        assert!(attachments.is_empty());
        let map: std::collections::BTreeMap<u32, &str> = [(1, "one")].into_iter().collect();
        assert_eq!(
            to_value(&map, &mut attachments).unwrap(),
            serde_json::json!({"1": "one"})
        );
    }
}
