//! Binary parts of payloads, both ways: JSON text written straight from serde, with byte fields
//! (`serde_bytes`, anything that calls `serialize_bytes`) as placeholders
//! (`{"_placeholder":true,"num":N}`) and the bytes as attachments; and the reverse, placeholders
//! back to byte sequences, which serde reads as bytes (`serde_bytes::ByteBuf`, `Vec<u8>`).

use crate::prelude::*;
use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use serde_json::Value;

use super::Error;

/// Appends `data` as JSON text to `out`, as `serde_json::to_writer` would, except that byte
/// fields become placeholders numbered in the order they are pushed onto `attachments`.
pub(crate) fn write_json<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    data: &T,
    attachments: &mut Vec<Vec<u8>>,
) -> Result<(), Error> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Placeholders { attachments });
    data.serialize(&mut serializer)
        .map_err(|e| Error::Encode(e.to_string()))
}

/// serde_json's compact output, with byte arrays written as placeholders.
struct Placeholders<'a> {
    attachments: &'a mut Vec<Vec<u8>>,
}

impl Formatter for Placeholders<'_> {
    fn write_byte_array<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        bytes: &[u8],
    ) -> io::Result<()> {
        let num = self.attachments.len() as u64;
        self.attachments.push(bytes.to_vec());
        out.write_all(br#"{"_placeholder":true,"num":"#)?;
        CompactFormatter.write_u64(out, num)?;
        out.write_all(b"}")
    }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api::Payload;

    fn to_json<T: Serialize + ?Sized>(data: &T, attachments: &mut Vec<Vec<u8>>) -> String {
        let mut out = Vec::new();
        write_json(&mut out, data, attachments).unwrap();
        String::from_utf8(out).unwrap()
    }

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
        let text = to_json(&file, &mut attachments);
        assert_eq!(attachments, [vec![0, 1, 255], vec![7], vec![]]);
        assert_eq!(
            text,
            r#"{"name":"a.bin","data":{"_placeholder":true,"num":0},"parts":[{"_placeholder":true,"num":1},{"_placeholder":true,"num":2}]}"#
        );
        let back: File = Payload::new(format!("[{text}]"), attachments)
            .decode()
            .unwrap();
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
        let ours = to_json(&data, &mut attachments);
        assert_eq!(ours, serde_json::to_string(&data).unwrap());
        assert!(attachments.is_empty());
        let map: std::collections::BTreeMap<u32, &str> = [(1, "one")].into_iter().collect();
        assert_eq!(to_json(&map, &mut attachments), r#"{"1":"one"}"#);
    }
}
