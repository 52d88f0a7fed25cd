//! The code under test and the oracles the fuzz targets share: a second opinion on JSON from
//! `serde_json`, and a tiny JSON string writer.

use serde_json::Value;

extern crate alloc;

/// The crate's prelude (the `alloc` types its `no_std` modules import), compiled in as it is.
#[path = "../../src/prelude.rs"]
#[allow(unused_imports)] // `vec!` is for the client, which the targets leave out
mod prelude;

/// The crate's `src/protocol`, compiled in as it is (pure Rust, no dependencies).
#[path = "../../src/protocol/mod.rs"]
#[allow(dead_code)] // helpers the client uses and the targets do not
pub mod protocol;

/// What `serde_json` makes of some text.
#[derive(Debug)]
pub enum Verdict {
    /// Well-formed JSON, with its value.
    Valid(Value),
    /// Not JSON.
    Invalid(String),
    /// No opinion: serde_json refuses it for a reason where the protocol scanner rightly
    /// differs. It accepts lone surrogates in escapes (as `JSON.parse` does), numbers beyond
    /// `f64` (`JSON.parse` gives `Infinity`), and nesting beyond serde's limit of 128 (the
    /// scanner's own limit is checked separately).
    Unsure,
}

/// Asks serde_json about `text`.
pub fn verdict(text: &str) -> Verdict {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Verdict::Valid(value),
        Err(err) => {
            let msg = err.to_string();
            if [
                "surrogate",
                "end of hex escape",
                "out of range",
                "recursion limit",
            ]
            .iter()
            .any(|m| msg.contains(m))
            {
                Verdict::Unsure
            } else {
                Verdict::Invalid(msg)
            }
        }
    }
}

/// How deeply arrays and objects nest in `value` (a scalar is 0).
pub fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Every `num` of a binary placeholder object in `value`, in document order; `None` for a
/// placeholder whose `num` is not a non-negative integer.
pub fn placeholders(value: &Value, out: &mut Vec<Option<u64>>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| placeholders(v, out)),
        Value::Object(map) => {
            if map.get("_placeholder") == Some(&Value::Bool(true)) {
                out.push(map.get("num").and_then(Value::as_u64));
            }
            for (key, v) in map {
                if key != "_placeholder" && key != "num" {
                    placeholders(v, out);
                }
            }
        }
        _ => {}
    }
}

/// Writes `s` as a JSON string literal.
pub fn write_string(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}
