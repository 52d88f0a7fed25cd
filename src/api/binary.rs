//! Binary parts of payloads: placeholders in, byte sequences out (and back).

use crate::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::Error;

/// Serializes `data` into a JSON value.
pub(crate) fn to_value<T: Serialize + ?Sized>(
    data: &T,
    _attachments: &mut Vec<Vec<u8>>,
) -> Result<Value, Error> {
    serde_json::to_value(data).map_err(|e| Error::Encode(e.to_string()))
}

/// Replaces every placeholder object of `value` by its attachment as an array of byte numbers,
/// which serde reads as bytes (`serde_bytes::ByteBuf`, `Vec<u8>`). A placeholder that names no
/// attachment stays as it is (the core has already refused such packets).
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
